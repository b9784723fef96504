//! The fields of one access-log line that a replay needs, borrowed from the line.
//!
//! Fields are separated by single spaces; quoted fields (`"request"`, `"user_agent"`, …) may hold
//! spaces (a `"` inside one is written `\"`). Readers ignore fields after the last one they know,
//! as AWS asks.

/// What a replay reads from one access-log line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoggedRequest<'a> {
    /// `request_creation_time` \[ns since the Unix epoch\].
    pub created_ns: i64,
    /// The port of the logged URL (the listener's).
    pub port: u16,
    /// HTTP method.
    pub method: &'a str,
    /// Host of the logged URL.
    pub host: &'a str,
    /// Path (no query).
    pub path: &'a str,
    /// Query string without `?` (empty when none).
    pub query: &'a str,
    /// `user_agent`, or `None` for `-`.
    pub user_agent: Option<&'a str>,
    /// The client's address.
    pub client_ip: std::net::IpAddr,
    /// `type` `h2`.
    pub http2: bool,
    /// `type` `ws` or `wss`.
    pub websocket: bool,
    /// `target_processing_time` \[µs\], or `None` for `-1`.
    pub target_processing_us: Option<u32>,
}

/// Field positions (see `crate::access_log::fields::FIELDS`).
const TYPE: usize = 0;
const CLIENT: usize = 3;
const TARGET_TIME: usize = 6;
const REQUEST: usize = 12;
const USER_AGENT: usize = 13;
const CREATED: usize = 21;

/// Reads one line; the error says what is wrong, in a user's words.
pub fn parse_line(line: &str) -> Result<LoggedRequest<'_>, String> {
    let mut fields: [&str; CREATED + 1] = [""; CREATED + 1];
    let mut n = 0;
    let mut rest = line.trim_end_matches(['\r', '\n']);
    while n <= CREATED && !rest.is_empty() {
        let (field, after) = if let Some(q) = rest.strip_prefix('"') {
            let end = closing_quote(q)
                .ok_or_else(|| format!("field {} ({}) has no closing quote", n + 1, name(n)))?;
            (&q[..end], &q[end + 1..])
        } else {
            match rest.find(' ') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            }
        };
        fields[n] = field;
        n += 1;
        rest = after.strip_prefix(' ').unwrap_or(after);
    }
    if n <= CREATED {
        return Err(format!(
            "expected at least {} space-separated fields (up to request_creation_time), got {n}",
            CREATED + 1
        ));
    }
    let kind = fields[TYPE];
    if !matches!(kind, "http" | "https" | "h2" | "grpcs" | "ws" | "wss") {
        return Err(format!(
            "expected a type of http, https, h2, grpcs, ws or wss, got {kind:?}"
        ));
    }
    let client_ip = client_ip(fields[CLIENT])?;
    let target_processing_us = match fields[TARGET_TIME] {
        "-1" => None,
        t => Some(seconds_us(t).ok_or_else(|| {
            format!("expected target_processing_time in seconds or -1, got {t:?}")
        })?),
    };
    let (method, port, host, path, query) = request(fields[REQUEST])?;
    let user_agent = match fields[USER_AGENT] {
        "-" | "" => None,
        ua => Some(ua),
    };
    let created_ns = iso8601_ns(fields[CREATED]).ok_or_else(|| {
        format!(
            "expected request_creation_time such as 2018-07-02T22:22:48.364000Z, got {:?}",
            fields[CREATED]
        )
    })?;
    Ok(LoggedRequest {
        created_ns,
        port,
        method,
        host,
        path,
        query,
        user_agent,
        client_ip,
        http2: kind == "h2",
        websocket: kind == "ws" || kind == "wss",
        target_processing_us,
    })
}

fn name(i: usize) -> &'static str {
    crate::access_log::fields::FIELDS
        .get(i)
        .map_or("a trailing field", |f| f.name)
}

/// The index of the quote closing a quoted field (`q` starts after the opening quote).
fn closing_quote(q: &str) -> Option<usize> {
    let bytes = q.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// `192.0.2.1:46532` or `[2001:db8::1]:46532` (or `2001:db8::1:46532`).
fn client_ip(field: &str) -> Result<std::net::IpAddr, String> {
    let bad = || format!("expected client:port such as 192.0.2.1:46532, got {field:?}");
    let (ip, port) = field.rsplit_once(':').ok_or_else(bad)?;
    port.parse::<u16>().map_err(|_| bad())?;
    ip.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .map_err(|_| bad())
}

/// `0.001` seconds → 1000 µs; at most `u32::MAX − 1` µs (71 minutes, beyond any idle timeout).
fn seconds_us(t: &str) -> Option<u32> {
    let s: f64 = t.parse().ok()?;
    (s.is_finite() && s >= 0.0).then(|| (s * 1e6).round().min(f64::from(u32::MAX - 1)) as u32)
}

/// `"GET https://www.example.com:443/a/b?x=1 HTTP/2.0"` → (method, port, host, path, query).
fn request(field: &str) -> Result<(&str, u16, &str, &str, &str), String> {
    let bad = |what: &str| {
        format!(
            "expected a request such as \"GET http://www.example.com:80/ HTTP/1.1\" ({what}), got {field:?}"
        )
    };
    let mut parts = field.splitn(3, ' ');
    let (Some(method), Some(url)) = (parts.next(), parts.next()) else {
        return Err(bad("method and URL"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(bad("an upper-case method"));
    }
    let (_, after_scheme) = url.split_once("://").ok_or_else(|| bad("scheme://"))?;
    let slash = after_scheme.find('/').unwrap_or(after_scheme.len());
    let authority = &after_scheme[..slash];
    let target = &after_scheme[slash..];
    let (host, port) = authority
        .rsplit_once(':')
        .filter(|(_, p)| !p.contains(']'))
        .ok_or_else(|| bad("host:port"))?;
    let port: u16 = port.parse().map_err(|_| bad("a port number"))?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = if path.is_empty() { "/" } else { path };
    Ok((method, port, host, path, query))
}

/// `2018-07-02T22:22:48.364000Z` → ns since the Unix epoch.
fn iso8601_ns(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || *b.last()? != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = t.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let frac = &t[19..t.len() - 1];
    let frac_ns = match frac.strip_prefix('.') {
        None if frac.is_empty() => 0,
        Some(f) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|c| c.is_ascii_digit()) => {
            f.parse::<i64>().ok()? * 10i64.pow(9 - f.len() as u32)
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    Some(((days * 86_400 + h * 3600 + mi * 60 + s) * 1_000_000_000) + frac_ns)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first example of the ALB user guide's access-log page.
    const AWS_EXAMPLE: &str = r#"http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90"#;

    #[test]
    fn the_aws_example_line_reads_as_documented() {
        let r = parse_line(AWS_EXAMPLE).unwrap();
        assert_eq!(
            (r.method, r.host, r.port, r.path, r.query),
            ("GET", "www.example.com", 80, "/", "")
        );
        assert_eq!(r.user_agent, Some("curl/7.46.0"));
        assert_eq!(
            r.client_ip,
            "192.168.131.39".parse::<std::net::IpAddr>().unwrap()
        );
        assert_eq!(r.target_processing_us, Some(1000));
        assert!(!r.http2 && !r.websocket);
        // 2018-07-02T22:22:48.364Z: 17714 days after 1970-01-01, then 80 568.364 s.
        assert_eq!(
            r.created_ns,
            (17_714 * 86_400 + 80_568) * 1_000_000_000 + 364_000_000
        );
    }

    #[test]
    fn h2_minus_one_query_and_ipv6() {
        let line = AWS_EXAMPLE
            .replacen("http ", "h2 ", 1)
            .replace(" 0.001 ", " -1 ")
            .replace("192.168.131.39:2817", "[2001:db8::1]:2817")
            .replace(
                "http://www.example.com:80/",
                "https://API.example.com:443/v1/items?id=7&x",
            );
        let r = parse_line(&line).unwrap();
        assert!(r.http2);
        assert_eq!(r.target_processing_us, None);
        assert_eq!(
            (r.host, r.port, r.path, r.query),
            ("API.example.com", 443, "/v1/items", "id=7&x")
        );
        assert!(r.client_ip.is_ipv6());
    }

    #[test]
    fn malformed_lines_say_what_is_wrong() {
        assert!(parse_line("http 2018").unwrap_err().contains("at least 22"));
        let e = parse_line(&AWS_EXAMPLE.replace("\"curl/7.46.0\" - -", "\"curl/7.46.0 - -"))
            .unwrap_err();
        assert!(e.contains("closing quote") || e.contains("expected"), "{e}");
        let e = parse_line(&AWS_EXAMPLE.replace("2018-07-02T22:22:48.364000Z", "yesterday"))
            .unwrap_err();
        assert!(e.contains("request_creation_time"), "{e}");
        let e = parse_line(&AWS_EXAMPLE.replace("GET http", "get http")).unwrap_err();
        assert!(e.contains("upper-case"), "{e}");
    }
}
