//! What a replay takes from an access-log [`Record`] (read by `crate::access_log::parse`).

use crate::access_log::parse::Record;

/// The fields of one logged request that a replay needs, borrowed from its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoggedRequest<'a> {
    /// When the ALB received it \[ns since the Unix epoch\].
    pub created_ns: i64,
    /// The port of the logged URL (the listener's); 443 for `https`/`wss` and 80 otherwise when
    /// the URL has none.
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

impl<'a> LoggedRequest<'a> {
    /// The replayable part of `r`; the error says why a well-formed entry cannot be replayed.
    ///
    /// Entries older than `request_creation_time` (a field AWS added later) arrive at `time`
    /// (when the response was sent) less the logged processing times.
    pub fn of(r: &Record<'a>) -> Result<LoggedRequest<'a>, String> {
        let q = &r.request;
        if q.method == "-" || q.method.is_empty() {
            return Err(
                "request: the ALB could not read this request (\"-\"), so there is nothing to replay"
                    .into(),
            );
        }
        let client_ip =
            r.client.ip.parse().map_err(|_| {
                format!("client:port: expected an IP address, got {:?}", r.client.ip)
            })?;
        let created_us = r.request_creation_time_us.unwrap_or_else(|| {
            let spent: f64 = [
                r.request_processing_time,
                r.target_processing_time,
                r.response_processing_time,
            ]
            .iter()
            .flatten()
            .sum();
            r.time_us - (spent * 1e6).round() as i64
        });
        let secure = matches!(q.scheme, "https" | "wss");
        Ok(LoggedRequest {
            created_ns: created_us.saturating_mul(1000),
            port: q.port.unwrap_or(if secure { 443 } else { 80 }),
            method: q.method,
            host: q.host,
            path: q.path,
            query: q.query,
            user_agent: r.user_agent,
            client_ip,
            http2: r.kind == "h2",
            websocket: matches!(r.kind, "ws" | "wss"),
            target_processing_us: r
                .target_processing_time
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(|s| (s * 1e6).round().min(f64::from(u32::MAX - 1)) as u32),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access_log::parse::parse_line;

    /// The first example of the ALB user guide's access-log page.
    const AWS_EXAMPLE: &str = r#"http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90"#;

    #[test]
    fn the_aws_example_line_is_replayed_as_documented() {
        let r = LoggedRequest::of(&parse_line(AWS_EXAMPLE).unwrap()).unwrap();
        assert_eq!(
            (r.method, r.host, r.port, r.path, r.query),
            ("GET", "www.example.com", 80, "/", "")
        );
        assert_eq!(r.user_agent, Some("curl/7.46.0"));
        assert_eq!(r.client_ip.to_string(), "192.168.131.39");
        assert_eq!(r.target_processing_us, Some(1000));
        assert!(!r.http2 && !r.websocket);
        // 2018-07-02T22:22:48.364Z: 17714 days after 1970-01-01, then 80 568.364 s.
        assert_eq!(
            r.created_ns,
            (17_714 * 86_400 + 80_568) * 1_000_000_000 + 364_000_000
        );
    }

    #[test]
    fn h2_and_minus_one() {
        let line = AWS_EXAMPLE
            .replacen("http ", "h2 ", 1)
            .replace(" 0.001 ", " -1 ")
            .replace(
                "http://www.example.com:80/",
                "https://API.example.com:443/v1/items?id=7&x",
            );
        let r = LoggedRequest::of(&parse_line(&line).unwrap()).unwrap();
        assert!(r.http2);
        assert_eq!(r.target_processing_us, None);
        assert_eq!(
            (r.host, r.port, r.path, r.query),
            ("API.example.com", 443, "/v1/items", "id=7&x")
        );
    }
}
