//! Request classes from paths: segments that name one item among many (ids, hashes, UUIDs)
//! become `*` (`14.png` becomes `*.png`), so `/api/users/123` and `/api/users/456` are one class, `/api/users/*`, and the
//! pattern is an ALB `path-pattern` that matches them all.

/// `path` with every id-like segment replaced by `*`, written into `out` (cleared first).
pub fn path_pattern(path: &str, out: &mut String) {
    out.clear();
    if path.is_empty() {
        out.push('/');
        return;
    }
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        // `14.png` is item 14 of many: `*.png`.
        let (stem, extension) = match segment.rfind('.') {
            Some(dot) if dot > 0 => segment.split_at(dot),
            _ => (segment, ""),
        };
        if is_id(stem) {
            out.push('*');
            out.push_str(extension);
        } else {
            out.push_str(segment);
        }
    }
}

/// Whether a path segment looks like the id of one item: all digits; a UUID; or a hex string
/// of at least 8 characters with a digit in it (object ids, hashes).
pub fn is_id(segment: &str) -> bool {
    if segment.is_empty() {
        return false;
    }
    let b = segment.as_bytes();
    if b.iter().all(u8::is_ascii_digit) {
        return true;
    }
    let uuid = b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        });
    let hex =
        b.len() >= 8 && b.iter().all(u8::is_ascii_hexdigit) && b.iter().any(u8::is_ascii_digit);
    uuid || hex
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(path: &str) -> String {
        let mut s = String::new();
        path_pattern(path, &mut s);
        s
    }

    #[test]
    fn ids_collapse_words_stay() {
        assert_eq!(p("/"), "/");
        assert_eq!(p(""), "/");
        assert_eq!(p("/index.html"), "/index.html");
        assert_eq!(p("/api/users/123"), "/api/users/*");
        assert_eq!(p("/api/users/123/orders/9"), "/api/users/*/orders/*");
        assert_eq!(p("/o/123e4567-e89b-12d3-a456-426614174000/x"), "/o/*/x");
        assert_eq!(p("/blob/5f2b8c9d01aa"), "/blob/*");
        // Words made of hex letters only, or short hex, are not ids.
        assert_eq!(p("/cafe/deadbeef/abc123"), "/cafe/deadbeef/abc123");
        assert_eq!(p("/v2/items/"), "/v2/items/");
        // An id with an extension keeps the extension.
        assert_eq!(p("/img/14.png"), "/img/*.png");
        assert_eq!(p("/a/.hidden/v1.2"), "/a/.hidden/v1.2");
    }
}
