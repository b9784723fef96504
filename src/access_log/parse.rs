//! Reading ALB access-log lines: one line → a [`Record`] that borrows from the line (no
//! allocation per line), every field typed as AWS documents it (ALB User Guide, "Access log
//! entries"). Lines of AWS's older, shorter formats are read (fields after `"request"` are
//! optional); fields after the last one albsim knows are ignored, as AWS asks readers to do.

pub mod files;
pub mod time;

pub use files::{LogSummary, ReadError, read_logs};

use super::fields::FIELDS;

/// Fields a line must have: `type` through `"request"`, the oldest format AWS documents.
pub const REQUIRED_FIELDS: usize = 13;

/// One access-log entry. Optional fields are `None` where AWS writes `-` (or `-1` for times and
/// the rule priority) and where an older, shorter line does not have them. Quoted fields are given
/// as written between the quotes (an escaped `\"` stays escaped).
#[derive(Debug, Clone, PartialEq)]
pub struct Record<'a> {
    /// `type`: `http`, `https`, `h2`, `grpcs`, `ws` or `wss`.
    pub kind: &'a str,
    /// `time`: when the ALB sent the response (for WebSockets: when the connection closed), µs
    /// since the Unix epoch.
    pub time_us: i64,
    /// `elb`: the load balancer's resource id, `app/NAME/ID`.
    pub elb: &'a str,
    /// `client:port`: the client's address.
    pub client: Endpoint<'a>,
    /// `target:port`; `None` when nothing was dispatched (`-`).
    pub target: Option<Endpoint<'a>>,
    /// `request_processing_time` \[s\]; `None` for `-1`.
    pub request_processing_time: Option<f64>,
    /// `target_processing_time` \[s\]: from sending the request to the target until it started
    /// answering; `None` for `-1` (not dispatched, or the target closed or timed out).
    pub target_processing_time: Option<f64>,
    /// `response_processing_time` \[s\]; `None` for `-1`.
    pub response_processing_time: Option<f64>,
    /// `elb_status_code`; `None` for `-` (no response, e.g. the client closed first).
    pub elb_status_code: Option<u16>,
    /// `target_status_code`; `None` for `-` (no target response).
    pub target_status_code: Option<u16>,
    /// `received_bytes`.
    pub received_bytes: u64,
    /// `sent_bytes`.
    pub sent_bytes: u64,
    /// `"request"`: `METHOD scheme://host:port/path?query HTTP/x.y`.
    pub request: RequestLine<'a>,
    /// `"user_agent"`; `None` for `-`.
    pub user_agent: Option<&'a str>,
    /// `ssl_cipher`; `None` for `-` (HTTP).
    pub ssl_cipher: Option<&'a str>,
    /// `ssl_protocol`; `None` for `-`.
    pub ssl_protocol: Option<&'a str>,
    /// `target_group_arn`; `None` for `-`.
    pub target_group_arn: Option<&'a str>,
    /// `"trace_id"` (`X-Amzn-Trace-Id`); `None` for `-`.
    pub trace_id: Option<&'a str>,
    /// `"domain_name"`: the SNI domain (HTTPS); `None` for `-`.
    pub domain_name: Option<&'a str>,
    /// `"chosen_cert_arn"`; `None` for `-`.
    pub chosen_cert_arn: Option<&'a str>,
    /// `matched_rule_priority`: 1–50,000 for a rule, 0 for the default action; `None` for `-1`
    /// (an evaluation error) and on older lines.
    pub matched_rule_priority: Option<u32>,
    /// `request_creation_time`: when the ALB received the request, µs since the Unix epoch;
    /// `None` on older lines.
    pub request_creation_time_us: Option<i64>,
    /// `"actions_executed"`, comma-separated (`forward`, `redirect`, `fixed-response`, `waf`…).
    pub actions_executed: Option<&'a str>,
    /// `"redirect_url"`; `None` for `-`.
    pub redirect_url: Option<&'a str>,
    /// `"error_reason"`; `None` for `-`.
    pub error_reason: Option<&'a str>,
    /// `"target:port_list"`; `None` for `-`.
    pub target_port_list: Option<&'a str>,
    /// `"target_status_code_list"`; `None` for `-`.
    pub target_status_code_list: Option<&'a str>,
    /// `"classification"` (HTTP desync mitigation); `None` for `-`.
    pub classification: Option<&'a str>,
    /// `"classification_reason"`; `None` for `-`.
    pub classification_reason: Option<&'a str>,
    /// `conn_trace_id`; `None` for `-`.
    pub conn_trace_id: Option<&'a str>,
}

/// An `address:port` field (IPv4, or IPv6 written without brackets as AWS does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint<'a> {
    /// The address, as written.
    pub ip: &'a str,
    /// The port.
    pub port: u16,
}

/// The `"request"` field split into its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLine<'a> {
    /// `GET`, `POST`…; `-` when the ALB could not read the request.
    pub method: &'a str,
    /// `http`, `https`, `ws`, `wss` (empty when the URL has no scheme).
    pub scheme: &'a str,
    /// Host from the URL.
    pub host: &'a str,
    /// Port from the URL.
    pub port: Option<u16>,
    /// Path, from the `/` (at least `/`).
    pub path: &'a str,
    /// Query string without the `?` (empty when none).
    pub query: &'a str,
    /// `HTTP/1.1`, `HTTP/2.0`…
    pub version: &'a str,
}

/// What is wrong with a line: the field (AWS's name) and a message in a user's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ParseError {
    /// AWS's name of the field, or `line` for the line as a whole.
    pub field: &'static str,
    /// What was expected.
    pub message: String,
}

fn error(field: &'static str, message: impl Into<String>) -> ParseError {
    ParseError {
        field,
        message: message.into(),
    }
}

/// Splits a line into its fields (at most [`FIELDS`]`.len()`), quoted ones without their quotes.
/// Returns how many were found.
fn split_fields<'a>(line: &'a str, out: &mut [&'a str; FIELDS.len()]) -> Result<usize, ParseError> {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut n = 0;
    while n < out.len() {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        if bytes[i] == b'"' {
            let start = i + 1;
            let mut j = start;
            loop {
                match bytes.get(j) {
                    None => {
                        return Err(error(
                            FIELDS[n].name,
                            "expected a closing double quote before the end of the line",
                        ));
                    }
                    Some(b'\\') => j += 2,
                    Some(b'"') => break,
                    Some(_) => j += 1,
                }
            }
            out[n] = &line[start..j];
            i = j + 1;
            if i < bytes.len() && bytes[i] != b' ' {
                return Err(error(
                    FIELDS[n].name,
                    "expected a space after the closing double quote",
                ));
            }
        } else {
            let start = i;
            while i < bytes.len() && bytes[i] != b' ' {
                i += 1;
            }
            out[n] = &line[start..i];
        }
        n += 1;
    }
    Ok(n)
}

/// Reads one line (without its line end).
pub fn parse_line(line: &str) -> Result<Record<'_>, ParseError> {
    let mut f: [&str; FIELDS.len()] = [""; FIELDS.len()];
    let n = split_fields(line, &mut f)?;
    if n < REQUIRED_FIELDS {
        let missing = FIELDS[n.min(REQUIRED_FIELDS - 1)].name;
        return Err(error(
            "line",
            format!(
                "expected at least {REQUIRED_FIELDS} space-separated fields (type … \"request\"), \
                 found {n}: `{missing}` is missing"
            ),
        ));
    }
    let opt = |i: usize| -> Option<&str> { (i < n && f[i] != "-").then_some(f[i]) };
    Ok(Record {
        kind: kind(f[0])?,
        time_us: time::iso8601_us(f[1]).ok_or_else(|| timestamp_error("time"))?,
        elb: f[2],
        client: endpoint(f[3]).ok_or_else(|| {
            error(
                "client:port",
                format!("expected ADDRESS:PORT, found `{}`", f[3]),
            )
        })?,
        target: match f[4] {
            "-" => None,
            t => Some(endpoint(t).ok_or_else(|| {
                error(
                    "target:port",
                    format!("expected ADDRESS:PORT or -, found `{t}`"),
                )
            })?),
        },
        request_processing_time: seconds(f[5], "request_processing_time")?,
        target_processing_time: seconds(f[6], "target_processing_time")?,
        response_processing_time: seconds(f[7], "response_processing_time")?,
        elb_status_code: status(f[8], "elb_status_code")?,
        target_status_code: status(f[9], "target_status_code")?,
        received_bytes: bytes(f[10], "received_bytes")?,
        sent_bytes: bytes(f[11], "sent_bytes")?,
        request: request_line(f[12])?,
        user_agent: opt(13),
        ssl_cipher: opt(14),
        ssl_protocol: opt(15),
        target_group_arn: opt(16),
        trace_id: opt(17),
        domain_name: opt(18),
        chosen_cert_arn: opt(19),
        matched_rule_priority: match opt(20) {
            None | Some("-1") => None,
            Some(p) => Some(
                p.parse::<u32>()
                    .ok()
                    .filter(|&p| p <= 50_000)
                    .ok_or_else(|| {
                        error(
                            "matched_rule_priority",
                            format!("expected 0 (default action), 1–50000 or -1, found `{p}`"),
                        )
                    })?,
            ),
        },
        request_creation_time_us: match opt(21) {
            None => None,
            Some(t) => {
                Some(time::iso8601_us(t).ok_or_else(|| timestamp_error("request_creation_time"))?)
            }
        },
        actions_executed: opt(22),
        redirect_url: opt(23),
        error_reason: opt(24),
        target_port_list: opt(25),
        target_status_code_list: opt(26),
        classification: opt(27),
        classification_reason: opt(28),
        conn_trace_id: opt(29),
    })
}

fn timestamp_error(field: &'static str) -> ParseError {
    error(
        field,
        "expected an ISO 8601 UTC time such as 2018-07-02T22:23:00.186641Z",
    )
}

fn kind(t: &str) -> Result<&str, ParseError> {
    match t {
        "http" | "https" | "h2" | "grpcs" | "ws" | "wss" => Ok(t),
        _ => Err(error(
            "type",
            format!("expected http, https, h2, grpcs, ws or wss, found `{t}`"),
        )),
    }
}

/// `192.0.2.1:443`, `2001:db8::1:443` (AWS writes IPv6 without brackets) or `[2001:db8::1]:443`.
fn endpoint(t: &str) -> Option<Endpoint<'_>> {
    let (ip, port) = t.rsplit_once(':')?;
    let ip = ip
        .strip_prefix('[')
        .and_then(|i| i.strip_suffix(']'))
        .unwrap_or(ip);
    if ip.is_empty() {
        return None;
    }
    Some(Endpoint {
        ip,
        port: port.parse().ok()?,
    })
}

/// Seconds with AWS's millisecond precision; `-1` → `None`.
fn seconds(t: &str, field: &'static str) -> Result<Option<f64>, ParseError> {
    if t == "-1" {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(s) if s.is_finite() && s >= 0.0 => Ok(Some(s)),
        _ => Err(error(
            field,
            format!("expected seconds (e.g. 0.001) or -1, found `{t}`"),
        )),
    }
}

fn status(t: &str, field: &'static str) -> Result<Option<u16>, ParseError> {
    if t == "-" {
        return Ok(None);
    }
    match t.parse::<u16>() {
        Ok(s) if (100..=599).contains(&s) => Ok(Some(s)),
        _ => Err(error(
            field,
            format!("expected an HTTP status code (100–599) or -, found `{t}`"),
        )),
    }
}

fn bytes(t: &str, field: &'static str) -> Result<u64, ParseError> {
    // AWS writes `-` for received bytes of some failed requests.
    if t == "-" {
        return Ok(0);
    }
    t.parse()
        .map_err(|_| error(field, format!("expected a number of bytes, found `{t}`")))
}

/// `GET http://www.example.com:80/a/b?x=1 HTTP/1.1`; AWS writes `- - - ` for a request it could
/// not read, and `- http://host:80- -` for some failed requests: both give method `-` and path `/`.
fn request_line(t: &str) -> Result<RequestLine<'_>, ParseError> {
    let bad = || {
        error(
            "request",
            format!("expected METHOD URL HTTP-VERSION, found `{t}`"),
        )
    };
    let mut parts = t.splitn(3, ' ');
    let method = parts.next().filter(|m| !m.is_empty()).ok_or_else(bad)?;
    let url = parts.next().ok_or_else(bad)?;
    let version = parts.next().unwrap_or("-");
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s, r),
        None => ("", url),
    };
    if !matches!(scheme, "" | "http" | "https" | "ws" | "wss") {
        return Err(error(
            "request",
            format!("expected a URL starting http://, https://, ws:// or wss://, found `{url}`"),
        ));
    }
    let (authority, target) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest.trim_end_matches('-'), "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            (h, p.parse::<u16>().ok())
        }
        _ => (authority, None),
    };
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, q),
        None => (target, ""),
    };
    Ok(RequestLine {
        method,
        scheme,
        host,
        port,
        path,
        query,
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The HTTP example of AWS's "Access log entries" page.
    const AWS_HTTP: &str = r#"http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90"#;

    /// The HTTPS example of the same page.
    const AWS_HTTPS: &str = r#"https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90"#;

    /// A redirect: nothing dispatched, so `-1` times, `-` target and target status.
    const REDIRECT: &str = r#"https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - -1 -1 -1 301 - 0 275 "GET https://www.example.com:443/old?a=1&b=2 HTTP/1.1" "Mozilla/5.0 (Windows NT 10.0) \"quoted\"" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-58337364-23a8c76965a2ef7629b185e3" "www.example.com" "-" 2 2018-07-02T22:22:48.364000Z "redirect" "https://www.example.com:443/new" "-" "-" "-" "-" "-" -"#;

    #[test]
    fn every_field_of_the_aws_http_example() {
        let r = parse_line(AWS_HTTP).unwrap();
        assert_eq!(r.kind, "http");
        assert_eq!(r.time_us, 1_530_570_180_186_641);
        assert_eq!(r.elb, "app/my-loadbalancer/50dc6c495c0c9188");
        assert_eq!(
            r.client,
            Endpoint {
                ip: "192.168.131.39",
                port: 2817
            }
        );
        assert_eq!(
            r.target,
            Some(Endpoint {
                ip: "10.0.0.1",
                port: 80
            })
        );
        assert_eq!(r.request_processing_time, Some(0.0));
        assert_eq!(r.target_processing_time, Some(0.001));
        assert_eq!(r.response_processing_time, Some(0.0));
        assert_eq!(
            (r.elb_status_code, r.target_status_code),
            (Some(200), Some(200))
        );
        assert_eq!((r.received_bytes, r.sent_bytes), (34, 366));
        assert_eq!(
            r.request,
            RequestLine {
                method: "GET",
                scheme: "http",
                host: "www.example.com",
                port: Some(80),
                path: "/",
                query: "",
                version: "HTTP/1.1"
            }
        );
        assert_eq!(r.user_agent, Some("curl/7.46.0"));
        assert_eq!((r.ssl_cipher, r.ssl_protocol), (None, None));
        assert_eq!(
            r.target_group_arn,
            Some(
                "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067"
            )
        );
        assert_eq!(r.trace_id, Some("Root=1-58337262-36d228ad5d99923122bbe354"));
        assert_eq!((r.domain_name, r.chosen_cert_arn), (None, None));
        assert_eq!(r.matched_rule_priority, Some(0));
        // 22:22:48.364 is 11.822641 s before the response.
        assert_eq!(
            r.request_creation_time_us,
            Some(1_530_570_180_186_641 - 11_822_641)
        );
        assert_eq!(r.actions_executed, Some("forward"));
        assert_eq!((r.redirect_url, r.error_reason), (None, None));
        assert_eq!(r.target_port_list, Some("10.0.0.1:80"));
        assert_eq!(r.target_status_code_list, Some("200"));
        assert_eq!((r.classification, r.classification_reason), (None, None));
        assert_eq!(r.conn_trace_id, Some("TID_1234abcd5678ef90"));
    }

    #[test]
    fn https_fields_and_rule_priority() {
        let r = parse_line(AWS_HTTPS).unwrap();
        assert_eq!(r.kind, "https");
        assert_eq!(r.ssl_cipher, Some("ECDHE-RSA-AES128-GCM-SHA256"));
        assert_eq!(r.ssl_protocol, Some("TLSv1.2"));
        assert_eq!(r.domain_name, Some("www.example.com"));
        assert_eq!(r.matched_rule_priority, Some(1));
        assert_eq!(r.actions_executed, Some("authenticate,forward"));
        assert_eq!(r.request.port, Some(443));
        assert_eq!(r.request_processing_time, Some(0.086));
    }

    #[test]
    fn nothing_dispatched_reads_as_none() {
        let r = parse_line(REDIRECT).unwrap();
        assert_eq!(r.target, None);
        assert_eq!(r.request_processing_time, None);
        assert_eq!(r.target_processing_time, None);
        assert_eq!(r.response_processing_time, None);
        assert_eq!((r.elb_status_code, r.target_status_code), (Some(301), None));
        assert_eq!(r.request.path, "/old");
        assert_eq!(r.request.query, "a=1&b=2");
        assert_eq!(
            r.user_agent,
            Some(r#"Mozilla/5.0 (Windows NT 10.0) \"quoted\""#)
        );
        assert_eq!(r.redirect_url, Some("https://www.example.com:443/new"));
        assert_eq!(r.target_group_arn, None);
        assert_eq!(r.conn_trace_id, None);
    }

    #[test]
    fn older_shorter_lines_and_trailing_fields() {
        // The 2016 format ends at target_group_arn.
        let old = AWS_HTTP.split(r#" "Root="#).next().unwrap();
        let r = parse_line(old).unwrap();
        assert_eq!(r.matched_rule_priority, None);
        assert_eq!(r.request_creation_time_us, None);
        assert!(r.target_group_arn.is_some());
        // Newer fields albsim does not know (transformed_host …) are ignored.
        let newer = format!(r#"{AWS_HTTP} "www.example.com" "/" "-""#);
        assert_eq!(parse_line(&newer).unwrap(), parse_line(AWS_HTTP).unwrap());
    }

    #[test]
    fn ipv6_endpoints() {
        assert_eq!(
            endpoint("2001:db8::1:443"),
            Some(Endpoint {
                ip: "2001:db8::1",
                port: 443
            })
        );
        assert_eq!(
            endpoint("[2001:db8::1]:443"),
            Some(Endpoint {
                ip: "2001:db8::1",
                port: 443
            })
        );
        assert_eq!(endpoint("10.0.0.1"), None);
    }

    #[test]
    fn unreadable_requests() {
        let r = request_line("- - - ").unwrap();
        assert_eq!((r.method, r.path), ("-", "/"));
        let e = request_line("GET htp://www.example.com:80/ HTTP/1.1").unwrap_err();
        assert!(e.to_string().contains("htp://www.example.com:80/"), "{e}");
        assert!(request_line("GET wss://www.example.com:443/chat HTTP/1.1").is_ok());
        let r = request_line("- http://www.example.com:80- -").unwrap();
        assert_eq!(
            (r.method, r.host, r.port, r.path),
            ("-", "www.example.com", Some(80), "/")
        );
    }

    #[test]
    fn malformed_lines_name_the_field() {
        let e = |l: &str| parse_line(l).unwrap_err().field;
        assert_eq!(e("http 2018-07-02T22:23:00Z"), "line");
        assert_eq!(e(&AWS_HTTP.replacen("http ", "ftp ", 1)), "type");
        assert_eq!(
            e(&AWS_HTTP.replacen("2018-07-02T22:23:00.186641Z", "yesterday", 1)),
            "time"
        );
        assert_eq!(
            e(&AWS_HTTP.replacen(" 200 200 ", " 200 OK ", 1)),
            "target_status_code"
        );
        assert_eq!(
            e(&AWS_HTTP.replacen(" 0.001 ", " fast ", 1)),
            "target_processing_time"
        );
        assert_eq!(e(&AWS_HTTP.replacen(" 34 ", " x ", 1)), "received_bytes");
        assert_eq!(
            e(&AWS_HTTP.replacen(" 0 2018", " 70000 2018", 1)),
            "matched_rule_priority"
        );
        let unclosed = AWS_HTTP.split(r#" HTTP/1.1""#).next().unwrap();
        assert_eq!(e(unclosed), "request");
        let err = parse_line(&AWS_HTTP.replacen("192.168.131.39:2817", "nowhere", 1)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "client:port: expected ADDRESS:PORT, found `nowhere`"
        );
    }
}
