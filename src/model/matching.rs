//! Matching primitives of listener rule conditions: AWS wildcards and CIDR blocks.
//!
//! AWS wildcards: `*` matches zero or more characters, `?` exactly one. Matching runs only when the
//! model is built (each request type's route is fixed by its method, host, path, headers, query and
//! the client's address), never per request.

use std::net::IpAddr;

/// Whether `text` matches the AWS wildcard `pattern`, optionally ignoring ASCII case.
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p: Vec<u8> = pattern.bytes().collect();
    let t: Vec<u8> = text.bytes().collect();
    let eq = |a: u8, b: u8| {
        if ignore_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    // Classic linear-time glob with a single backtrack point for the last `*`.
    let (mut pi, mut ti) = (0usize, 0usize);
    let (mut star, mut star_t) = (None::<usize>, 0usize);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || (p[pi] != b'*' && eq(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            star_t = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            star_t += 1;
            ti = star_t;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == b'*' {
        pi += 1;
    }
    pi == p.len()
}

/// Number of wildcard characters in a pattern (AWS allows 5 per rule).
pub fn wildcard_count(pattern: &str) -> usize {
    pattern.bytes().filter(|&b| b == b'*' || b == b'?').count()
}

/// An IPv4 or IPv6 CIDR block, as in a `source-ip` condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `"10.0.0.0/8"` or `"2001:db8::/32"`.
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let (a, p) = text
            .split_once('/')
            .ok_or_else(|| format!("expected a CIDR block such as \"10.0.0.0/8\", got {text:?}"))?;
        let addr: IpAddr = a
            .parse()
            .map_err(|_| format!("expected an IP address before '/', got {a:?}"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix: u8 = p
            .parse()
            .ok()
            .filter(|&n| n <= max)
            .ok_or_else(|| format!("expected a prefix length in 0–{max}, got {p:?}"))?;
        Ok(Cidr { addr, prefix })
    }

    /// Whether `ip` lies in this block (an IPv4 address never lies in an IPv6 block).
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u32::MAX << (32 - self.prefix)
                };
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = if self.prefix == 0 {
                    0
                } else {
                    u128::MAX << (128 - self.prefix)
                };
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_wildcards() {
        assert!(wildcard_match("/api/*", "/api/items", false));
        assert!(wildcard_match("/api/*", "/api/", false));
        assert!(!wildcard_match("/api/*", "/api", false));
        assert!(wildcard_match("/img/?.png", "/img/a.png", false));
        assert!(!wildcard_match("/img/?.png", "/img/ab.png", false));
        assert!(wildcard_match("*.example.com", "API.Example.com", true));
        assert!(!wildcard_match("*.example.com", "API.Example.com", false));
        assert!(wildcard_match("*a*b*c", "xxaybzzc", false));
        assert!(!wildcard_match("*a*b*c", "xxaybzz", false));
        assert!(wildcard_match("*", "", false));
        assert_eq!(wildcard_count("/a/*/b?/*"), 3);
    }

    #[test]
    fn cidr_blocks() {
        let c = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(c.contains("10.1.200.3".parse().unwrap()));
        assert!(!c.contains("10.2.0.1".parse().unwrap()));
        assert!(
            Cidr::parse("0.0.0.0/0")
                .unwrap()
                .contains("8.8.8.8".parse().unwrap())
        );
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains("2001:db8::1".parse().unwrap()));
        assert!(!v6.contains("10.0.0.1".parse().unwrap()));
        assert!(Cidr::parse("10.0.0.0/33").is_err());
        assert!(Cidr::parse("10.0.0.0").is_err());
    }
}
