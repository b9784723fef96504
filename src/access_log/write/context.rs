//! What every line of a run shares, worked out once before the run (the only place that
//! allocates): the load balancer's id, each target group's ARN, and for each request type the
//! hops of its redirect chain with their request line, user agent, rule priority, action and
//! redirect URL, already escaped and ready to copy into a line.

use super::sample::fnv;
use crate::model::client::Load;
use crate::model::ids::{ListenerId, RouteId};
use crate::model::listener::{ActionSpec, ListenerSpec, Protocol, RequestView};
use crate::model::replay::ReplayClass;
use crate::model::resolved::Scenario;
use crate::model::route::{Route, redirected};

/// The AWS account id of every ARN albsim writes: AWS's own documentation example account.
pub const ACCOUNT_ID: &str = "123456789012";
/// The Region of every ARN albsim writes.
pub const REGION: &str = "us-east-1";
/// `ssl_cipher` of an HTTPS listener: the cipher AWS's examples show (the default security
/// policy's first ECDHE suite).
pub const SSL_CIPHER: &str = "ECDHE-RSA-AES128-GCM-SHA256";
/// `ssl_protocol` of an HTTPS listener.
pub const SSL_PROTOCOL: &str = "TLSv1.2";
/// The client address a model gets when it names none (`scenario/client.rs`): requests from it
/// are given synthetic addresses instead, one per client or user.
const MODEL_DEFAULT_SOURCE_IP: [u8; 4] = [203, 0, 113, 10];

/// One request of a request type's chain: the first request, or one sent after a redirect.
#[derive(Debug)]
pub struct Hop {
    /// Listener it arrives on.
    pub listener: ListenerId,
    /// Its route there.
    pub route: RouteId,
    /// `"request"` up to the HTTP version: `GET https://host:443/path?q=1 ` (escaped).
    pub request_prefix: Box<str>,
    /// `"user_agent"` (escaped), `-` if the request type sends none.
    pub user_agent: Box<str>,
    /// `"domain_name"`: the SNI host on HTTPS, else `-`.
    pub domain_name: Box<str>,
    /// `"chosen_cert_arn"` on HTTPS, else `-`.
    pub chosen_cert_arn: Box<str>,
    /// `matched_rule_priority`: the rule's priority, 0 for the default action.
    pub priority: u32,
    /// `"actions_executed"`: `forward`, `redirect` or `fixed-response`.
    pub action: &'static str,
    /// `"redirect_url"`, `-` unless the action is a redirect.
    pub redirect_url: Box<str>,
    /// The model's client address, if it set one other than the default.
    pub source_ip: Option<[u8; 4]>,
}

/// Everything lines share.
#[derive(Debug)]
pub struct Context {
    /// `elb`: `app/<name>/<16 hex>`.
    pub elb: Box<str>,
    /// `target_group_arn` of each target group.
    pub group_arns: Vec<Box<str>>,
    /// Traffic port of each target group.
    pub group_ports: Vec<u16>,
    /// Hops of each request type, at `type_base[client] + rtype`.
    pub hops: Vec<Vec<Hop>>,
    /// First index in `hops` of each client's request types.
    pub type_base: Vec<usize>,
    /// Whether each listener is HTTPS.
    pub https: Vec<bool>,
    /// Per client: the hop of each replayed class, by class index (empty unless it replays).
    pub replay_hops: Vec<Vec<Hop>>,
    /// Per client: each replayed session's client IP as written, by session index.
    pub replay_ips: Vec<Vec<Box<str>>>,
}

/// Makes a text safe between the double quotes of a field: `"`, `\` and control characters are
/// percent-encoded; with `no_spaces`, spaces too (a URL).
fn escape(text: &str, no_spaces: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '"' || c == '\\' || c.is_control() || (no_spaces && c == ' ') {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `protocol://host:port/path?query` of a request.
fn url(protocol: Protocol, port: u16, view: &RequestView) -> String {
    let scheme = match protocol {
        Protocol::Http => "http",
        Protocol::Https => "https",
    };
    let query: Vec<String> = view.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut u = format!("{scheme}://{}:{port}{}", view.host, view.path);
    if !query.is_empty() {
        u.push('?');
        u.push_str(&query.join("&"));
    }
    escape(&u, true)
}

/// The rule priority and action a listener applies to a request (as `ListenerSpec::evaluate`).
fn matched(spec: &ListenerSpec, view: &RequestView) -> (u32, &'static str) {
    let (priority, action) = spec
        .rules
        .iter()
        .find(|rule| rule.conditions.iter().all(|c| c.matches(view)))
        .map_or((0, &spec.default_action), |rule| {
            (rule.priority, &rule.action)
        });
    let name = match action {
        ActionSpec::Forward(..) => "forward",
        ActionSpec::Redirect(_) => "redirect",
        ActionSpec::FixedResponse { .. } => "fixed-response",
    };
    (priority, name)
}

/// 16 lowercase hex digits of `x`.
fn hex16(x: u64) -> String {
    format!("{x:016x}")
}

impl Context {
    /// The shared facts of a run of `sc`.
    pub fn new(sc: &Scenario) -> Context {
        let elb = format!(
            "app/{}/{}",
            sc.load_balancer,
            hex16(fnv(&format!("loadbalancer/{}", sc.load_balancer)))
        );
        let group_arns = (sc.target_groups.iter())
            .map(|g| {
                format!(
                    "arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT_ID}:targetgroup/{}/{}",
                    g.name,
                    hex16(fnv(&format!("targetgroup/{}", g.name)))
                )
                .into()
            })
            .collect();
        let mut hops = Vec::new();
        let mut type_base = Vec::with_capacity(sc.clients.len());
        let (mut replay_hops, mut replay_ips) = (Vec::new(), Vec::new());
        for c in &sc.clients {
            type_base.push(hops.len());
            for t in &c.types {
                hops.push(chain(sc, t.listener, t.route, &t.view));
            }
            let (classes, ips) = match &c.load {
                Load::Replay(r) => (
                    r.classes.iter().map(|k| replayed(sc, k)).collect(),
                    r.ips.iter().map(|ip| ip.to_string().into()).collect(),
                ),
                _ => (Vec::new(), Vec::new()),
            };
            replay_hops.push(classes);
            replay_ips.push(ips);
        }
        Context {
            elb: elb.into(),
            group_arns,
            group_ports: sc.target_groups.iter().map(|g| g.port).collect(),
            hops,
            type_base,
            https: (sc.listeners.iter())
                .map(|l| l.protocol == Protocol::Https)
                .collect(),
            replay_hops,
            replay_ips,
        }
    }

    /// The hop of replayed class `class` of `client`.
    #[inline]
    pub fn replayed_hop(&self, client: u32, class: u32) -> &Hop {
        &self.replay_hops[client as usize][class as usize]
    }

    /// The logged client IP of replayed session `session` of `client`.
    #[inline]
    pub fn replayed_ip(&self, client: u32, session: u32) -> &str {
        &self.replay_ips[client as usize][session as usize]
    }

    /// The hop of request type `rtype` of `client` that arrived on `listener` with `route`.
    #[inline]
    pub fn hop(&self, client: u32, rtype: u32, listener: ListenerId, route: RouteId) -> &Hop {
        let hops = &self.hops[self.type_base[client as usize] + rtype as usize];
        hops.iter()
            .find(|h| h.listener == listener && h.route == route)
            .unwrap_or(&hops[0])
    }
}

/// The hop of a replayed class: its logged method, host, path, query (in its logged order) and
/// User-Agent, with the scheme and port of the listener it arrived on. Its redirect's follow-up
/// is an entry of its own in a replayed log, so only the first hop is kept.
fn replayed(sc: &Scenario, class: &ReplayClass) -> Hop {
    let mut hop = chain(sc, class.listener, class.route, &class.view)
        .into_iter()
        .next()
        .expect("a chain has its first request");
    let spec = &sc.listeners[class.listener.index()];
    let mut view = class.view.clone();
    view.query.clear();
    let mut u = url(spec.protocol, spec.port, &view);
    if !class.query.is_empty() {
        u.push('?');
        u.push_str(&escape(&class.query, true));
    }
    hop.request_prefix = format!("{} {u} ", escape(&view.method, true)).into();
    hop
}

/// The hops of a request type: its first request, then one per redirect it follows.
fn chain(sc: &Scenario, listener: ListenerId, route: RouteId, view: &RequestView) -> Vec<Hop> {
    let mut hops = Vec::new();
    let (mut listener, mut route, mut view) = (listener, route, view.clone());
    // Chains are at most a few hops (longer ones are rejected as loops when the model loads).
    for _ in 0..64 {
        let spec = &sc.listeners[listener.index()];
        let (priority, action) = matched(spec, &view);
        let https = spec.protocol == Protocol::Https;
        let redirect = match (&sc.routes.get(route), action) {
            (Route::Redirect { follow, .. }, "redirect") => {
                let rule_action = spec
                    .rules
                    .iter()
                    .find(|rule| rule.conditions.iter().all(|c| c.matches(&view)))
                    .map_or(&spec.default_action, |rule| &rule.action);
                match rule_action {
                    ActionSpec::Redirect(r) => {
                        let (protocol, port, next) = redirected(r, spec, &view);
                        Some((url(protocol, port, &next), *follow, next))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        let user_agent = (view.headers.iter())
            .find(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
            .map_or("-".to_string(), |(_, v)| escape(v, false));
        let source_ip = match view.source_ip {
            std::net::IpAddr::V4(a) if a.octets() != MODEL_DEFAULT_SOURCE_IP => Some(a.octets()),
            _ => None,
        };
        let host = escape(&view.host, true);
        hops.push(Hop {
            listener,
            route,
            request_prefix: format!("{} {} ", escape(&view.method, true), url(spec.protocol, spec.port, &view)).into(),
            user_agent: user_agent.into(),
            domain_name: if https { host.clone().into() } else { "-".into() },
            chosen_cert_arn: if https {
                // A version-4-shaped UUID from the host: one certificate per domain.
                let h = fnv(&format!("certificate/{}", view.host));
                let l = super::sample::mix(h);
                format!(
                    "arn:aws:acm:{REGION}:{ACCOUNT_ID}:certificate/{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
                    h >> 32,
                    (h >> 16) & 0xffff,
                    h & 0xfff,
                    0x8000 | (l >> 48) & 0x3fff,
                    l & 0xffff_ffff_ffff
                )
                .into()
            } else {
                "-".into()
            },
            priority,
            action,
            redirect_url: redirect
                .as_ref()
                .map_or("-".into(), |(u, _, _)| u.clone().into()),
            source_ip,
        });
        match redirect {
            Some((_, Some((next_listener, next_route)), next)) => {
                (listener, route, view) = (next_listener, next_route, next);
            }
            _ => break,
        }
    }
    hops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_controls_and_url_spaces_are_percent_encoded() {
        assert_eq!(escape("curl/8 \"x\"", false), "curl/8 %22x%22");
        assert_eq!(escape("/a b\n", true), "/a%20b%0A");
        assert_eq!(escape("Mozilla/5.0 (X11)", false), "Mozilla/5.0 (X11)");
    }
}
