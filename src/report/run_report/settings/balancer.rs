//! The load balancer, its listeners and rules, and the clients.

use super::super::describe::{action, arrival, condition, distribution};
use super::super::format::{Clock, count, duration, number, percent, seconds};
use super::{Given, pair, setting};
use crate::model::client::{ClientSpec, Load};
use crate::report::document::{Block, Table, Text};
use crate::scenario::Scenario;

/// The load balancer's settings, its listeners' rules, and the clients.
pub(super) fn blocks(s: &Scenario, given: &Given<'_>, clock: Clock) -> Vec<Block> {
    let mut out = Vec::new();
    if !s.listeners.is_empty() {
        let lb = given.at("load_balancer");
        let attrs = lb.at("attributes");
        out.push(Block::Heading(format!("Load balancer {}", s.load_balancer)));
        out.push(Block::Pairs(vec![
            pair("Name", Text::plain(s.load_balancer.clone())),
            pair(
                "idle_timeout.timeout_seconds",
                setting(
                    seconds(s.idle_timeout),
                    attrs.has("idle_timeout.timeout_seconds"),
                ),
            ),
            pair(
                "client_keep_alive.seconds",
                setting(
                    seconds(s.client_keep_alive),
                    attrs.has("client_keep_alive.seconds"),
                ),
            ),
        ]));
        out.push(Block::Table(listeners(s)));
    }
    if !s.clients.is_empty() {
        out.push(Block::Heading("Clients".into()));
        let mut t = Table::new(&["Client", "Kind", "Load", "Requests"], &[]);
        for c in &s.clients {
            let (kind, load) = load(c, clock, s.listeners.iter().any(|l| l.http2));
            t.row(vec![
                Text::plain(c.name.clone()),
                Text::plain(kind),
                Text::plain(load),
                Text::plain(request_types(c)),
            ]);
        }
        out.push(Block::Table(t));
    }
    out
}

/// One row per rule of each listener, by priority, then its default action.
fn listeners(s: &Scenario) -> Table {
    let mut t = Table::new(
        &["Listener", "Priority", "Conditions", "Action"],
        &[false, true],
    );
    for l in &s.listeners {
        let mut name = format!("{} {}", l.protocol.as_str(), l.port);
        if l.http2 {
            name.push_str(" (HTTP/2)");
        }
        for r in &l.rules {
            let conds: Vec<String> = r.conditions.iter().map(condition).collect();
            t.row(vec![
                Text::plain(name.clone()),
                Text::plain(r.priority.to_string()),
                Text::plain(conds.join("; ")),
                Text::plain(action(&r.action, s)),
            ]);
        }
        t.row(vec![
            Text::plain(name),
            Text::plain("default"),
            Text::plain("(any request)"),
            Text::plain(action(&l.default_action, s)),
        ]);
    }
    t
}

/// A client's kind and its load in one line (HTTP/2 only where a listener offers it).
fn load(c: &ClientSpec, clock: Clock, http2_offered: bool) -> (String, String) {
    let (mut kind, load) = load_only(c, clock, http2_offered);
    if let Some(r) = &c.retry {
        kind.push_str(&format!(", {}", retries(r)));
    }
    if c.dns_ttl != crate::model::client::DNS_TTL {
        kind.push_str(&format!(
            ", keeps DNS answers {}",
            super::super::format::duration(c.dns_ttl)
        ));
    }
    (kind, load)
}

/// A client's `retry`, in a user's words: `retries: 3 attempts, exponential 100 ms–20 s, full
/// jitter, quota 500 tokens`.
fn retries(r: &crate::model::retry::RetryPolicy) -> String {
    use crate::model::retry::{BackoffKind, Jitter};
    let backoff = match r.kind {
        BackoffKind::Exponential => format!("exponential {}–{}", duration(r.base), duration(r.max)),
        BackoffKind::Constant => format!("constant {}", duration(r.base.min(r.max))),
    };
    let jitter = match r.jitter {
        Jitter::None => "no jitter",
        Jitter::Full => "full jitter",
        Jitter::Equal => "equal jitter",
        Jitter::Decorrelated => "decorrelated jitter",
    };
    let quota = r.quota.map_or("no quota".to_string(), |q| {
        format!("quota {} tokens", count(u64::from(q.initial_tokens)))
    });
    format!(
        "retries: {} attempts, {backoff}, {jitter}, {quota}",
        r.max_attempts
    )
}

fn load_only(c: &ClientSpec, clock: Clock, http2_offered: bool) -> (String, String) {
    match &c.load {
        Load::Open(a) => {
            let mut kind = "open loop".to_string();
            if c.keep_alive {
                kind.push_str(", keep-alive");
            }
            if c.http2 && http2_offered {
                kind.push_str(", HTTP/2");
            }
            if c.sessions > 0 {
                kind.push_str(&format!(", {} sessions", count(u64::from(c.sessions))));
            }
            (kind, format!("requests: {}", arrival(a, clock)))
        }
        Load::Replay(r) => (
            "replayed access logs".into(),
            format!(
                "{} logged requests, {} distinct, from {} client IPs",
                count(r.events.len() as u64),
                count(r.classes.len() as u64),
                count(u64::from(r.client_ips))
            ),
        ),
        Load::Users {
            count: n,
            spawn_interval,
            think,
        } => (
            "closed loop (users)".into(),
            format!(
                "{} users{}, think time {}",
                count(u64::from(*n)),
                started(*spawn_interval),
                distribution(think)
            ),
        ),
        Load::Websocket(w) => {
            let mut parts = vec![format!(
                "{} clients{}",
                count(u64::from(w.count)),
                started(w.spawn_interval)
            )];
            if let Some(d) = &w.client_messages {
                parts.push(format!("client messages every {}", distribution(d)));
            }
            if let Some(d) = &w.server_messages {
                parts.push(format!("server messages every {}", distribution(d)));
            }
            match w.ping {
                Some(p) => parts.push(format!("ping every {}", duration(p))),
                None => parts.push("no pings".into()),
            }
            parts.push(format!("reconnect after {}", distribution(&w.reconnect)));
            ("WebSocket".into(), parts.join(", "))
        }
    }
}

/// `, starting 2 s apart`, or nothing when all start at once.
fn started(gap: crate::engine::SimDuration) -> String {
    if gap.0 == 0 {
        String::new()
    } else {
        format!(", starting {} apart", duration(gap))
    }
}

/// The request types with their shares: `page` or `page 90.0 %, api 10.0 %`, and service times.
fn request_types(c: &ClientSpec) -> String {
    if let Load::Replay(r) = &c.load {
        return replayed_types(c, r);
    }
    let mut prev = 0.0;
    let parts: Vec<String> = c
        .types
        .iter()
        .zip(&c.cumulative_weights)
        .map(|(t, &cw)| {
            let share = cw - prev;
            prev = cw;
            let mut text = format!(
                "{} {} {}",
                t.view.method,
                t.view.path,
                if t.name.is_empty() {
                    String::new()
                } else {
                    format!("({})", t.name)
                }
            )
            .trim_end()
            .to_string();
            if c.types.len() > 1 {
                text.push_str(&format!(" {}", percent(share * 100.0)));
            }
            text.push_str(&format!(", service time {}", distribution(&t.service_time)));
            if let Some(timeout) = t.timeout {
                text.push_str(&format!(", timeout {}", duration(timeout)));
            }
            if !t.messages.is_empty() {
                text.push_str(&format!(
                    ", then sends {} message{}",
                    number(t.messages.len() as f64),
                    if t.messages.len() == 1 { "" } else { "s" }
                ));
            }
            text
        })
        .collect();
    parts.join("; ")
}

/// A replayed client's request types: each one's logged requests and share, and service time.
fn replayed_types(c: &ClientSpec, r: &crate::model::replay::ReplayLoad) -> String {
    let mut per_type = vec![0u64; c.types.len()];
    for e in r.events.iter() {
        per_type[r.classes[e.class as usize].request_type as usize] += 1;
    }
    let total = r.events.len().max(1) as f64;
    (c.types.iter().zip(&per_type))
        .map(|(t, &n)| {
            let service = if r.logged_service {
                format!(
                    "the logged target processing time ({} when logged as -1)",
                    distribution(&t.service_time)
                )
            } else {
                distribution(&t.service_time)
            };
            format!(
                "{}: {} logged requests ({}), service time {service}",
                t.name,
                count(n),
                percent(n as f64 * 100.0 / total),
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
