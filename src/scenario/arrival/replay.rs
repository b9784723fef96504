//! `"arrival": {"type": "access_log"}`: reading ALB access logs into a [`ReplayLoad`].
//!
//! Each line's request (method, host, port, path, query), user agent, client IP, protocol,
//! `request_creation_time` and `target_processing_time` are read; the strings the listener rules
//! look at are interned into classes (one route each, computed here through the rules, as for a
//! model's own request types), client IPs into sessions, and the request becomes a 24-byte event.
//!
//! Assumptions AWS does not document, each with its default:
//! - t = 0 is the earliest `request_creation_time` of all files; a window (`from`, `to`) is
//!   relative to it, and its start becomes t = 0 of the run;
//! - the listener is the one on the port of the logged URL (`"GET https://host:443/ HTTP/2.0"`),
//!   or the client's `port` when given;
//! - rules see the logged method, host, path, query (not URL-decoded) and `User-Agent`; other
//!   headers are not logged, so `http-header` conditions on them never match a replayed request;
//! - a redirect's follow-up request is an entry of its own in the log, so the replay does not
//!   send it again;
//! - WebSocket entries (`ws`, `wss`) are one line per connection: replayed as the upgrade request.

use super::super::FieldError;
use super::super::path::JsonPath;
use super::{RawArrivalAccessLog, RawServiceTimeSource};
use crate::access_log::parse::{ReadError, read_logs};
use crate::model::ids::ListenerId;
use crate::model::listener::{Condition, ListenerSpec, RequestView};
use crate::model::matching::{Cidr, wildcard_match};
use crate::model::replay::{
    EventsBuilder, MAX_REPLAYED_REQUESTS, MalformedLines, NO_LOGGED_SERVICE, ReplayClass,
    ReplayLoad, TimeMap,
};
use crate::model::resolved::{Scenario, Warning};
use crate::model::route::RouteTable;
use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::path::{Component, Path, PathBuf};

mod logged;
use logged::LoggedRequest;

/// `file` (relative to the folder `base`, or absolute) as one path, its leading `..` taken off
/// `base`'s own folders: an output folder's `model.json` names the logs as `../../models/…`,
/// and is read (for its report) before that folder exists, where the system could not walk
/// through it. (Through a symbolic link, `..` would differ; albsim writes such paths from
/// resolved folders only.)
fn join_lexically(base: &Path, file: &Path) -> PathBuf {
    let mut out = base.to_path_buf();
    let mut parts = file.components().peekable();
    while parts.peek() == Some(&Component::ParentDir)
        && matches!(out.components().next_back(), Some(Component::Normal(_)))
    {
        parts.next();
        out.pop();
    }
    out.extend(parts);
    out
}

/// Malformed lines listed one by one in the warning; the rest are counted.
const MALFORMED_LISTED: usize = 10;

/// Said after a malformed line that stops the replay.
const STRICT_NOTE: &str =
    "(strict is true: malformed lines stop the replay; leave strict out to skip and count them)";

/// Fastest replay accepted: 1000× (an hour of log in 3.6 s).
const MAX_SPEED: f64 = 1000.0;

/// Most log files of one client.
const MAX_FILES: usize = 10_000;

/// Which of a client's request types a replayed request belongs to: the first whose method, host
/// and path patterns all match (each absent pattern matches anything).
#[derive(Clone, Debug)]
pub(in crate::scenario) struct TypeMatcher {
    /// Exact method, if given.
    pub method: Option<String>,
    /// Host wildcard (case-insensitive), if given.
    pub host: Option<String>,
    /// Path wildcard (case-sensitive), if given.
    pub path: Option<String>,
}

impl TypeMatcher {
    fn matches(&self, method: &str, host: &str, path: &str) -> bool {
        self.method.as_deref().is_none_or(|m| m == method)
            && self
                .host
                .as_deref()
                .is_none_or(|h| wildcard_match(h, host, true))
            && self
                .path
                .as_deref()
                .is_none_or(|p| wildcard_match(p, path, false))
    }

    fn describe(&self) -> String {
        format!(
            "{} {}{}",
            self.method.as_deref().unwrap_or("any method"),
            self.host.as_deref().unwrap_or("any host"),
            self.path.as_deref().unwrap_or(" any path")
        )
    }
}

/// What a client around the replay brings: its listener port (if set), the model's listeners
/// and routes, and its request types as matchers.
pub(in crate::scenario) struct ReplayContext<'a> {
    /// The client's `port`: every replayed request goes to this listener.
    pub port: Option<u16>,
    /// The model's listeners.
    pub listeners: &'a [ListenerSpec],
    /// The model's routes (classes add theirs).
    pub routes: &'a mut RouteTable,
    /// The client's request types, in order.
    pub types: &'a [TypeMatcher],
}

/// Reads the logs of `raw` (at `path`, the client's `arrival`) into a replay.
pub(in crate::scenario) fn resolve_replay(
    raw: &RawArrivalAccessLog,
    path: &JsonPath,
    cx: ReplayContext<'_>,
) -> Result<ReplayLoad, FieldError> {
    let map = time_map(raw, path)?;
    if raw.files.is_empty() || raw.files.len() > MAX_FILES {
        return Err(path.key("files").error(format!(
            "expected 1–{MAX_FILES} access-log files, got {}",
            raw.files.len()
        )));
    }
    let logged = raw.service_time == Some(RawServiceTimeSource::Logged);
    let strict = raw.strict.unwrap_or(false);
    let mut interner = Interner::new(cx);
    let mut events = EventsBuilder::default();
    let mut load = ReplayLoad::default();
    let paths: Vec<PathBuf> = (raw.files.iter())
        .map(|f| join_lexically(&raw.base_dir, Path::new(f)))
        .collect();
    let at_file = |fi: usize| path.key("files").index(fi);
    // The first problem the model has with a logged request (reading goes on, but adds nothing).
    let mut failed: Option<FieldError> = None;
    let mut unreplayable = MalformedLines::default();
    let summary = read_logs(&paths, strict, |fi, lineno, record| {
        if failed.is_some() {
            return;
        }
        let name = &raw.files[fi];
        let r = match LoggedRequest::of(record) {
            Ok(r) => r,
            Err(why) => {
                let place = format!("{}:{lineno}: {why}", paths[fi].display());
                if strict {
                    failed = Some(at_file(fi).error(format!("{place} {STRICT_NOTE}")));
                } else {
                    unreplayable.count += 1;
                    if unreplayable.first.len() < MALFORMED_LISTED {
                        unreplayable.first.push(place);
                    }
                }
                return;
            }
        };
        if events.len() >= MAX_REPLAYED_REQUESTS {
            failed = Some(at_file(fi).error(format!(
                "more than {MAX_REPLAYED_REQUESTS} logged requests (24 bytes each in memory); replay a time window (from, to) or split the logs over several runs"
            )));
            return;
        }
        let class = match interner.class(&r) {
            Ok(c) => c,
            Err(m) => {
                failed = Some(at_file(fi).error(format!("{name}:{lineno}: {m}")));
                return;
            }
        };
        let session = interner.session(r.client_ip);
        let service = match r.target_processing_us {
            Some(us) if logged => us,
            _ => NO_LOGGED_SERVICE,
        };
        load.websocket_entries += u64::from(r.websocket);
        events.push(r.created_ns, class, session, service, r.http2);
    })
    .map_err(|e| match e {
        ReadError::Io { path: file, source } => {
            let fi = paths.iter().position(|p| *p == file).unwrap_or(0);
            at_file(fi).error(format!(
                "cannot read access log {:?} (looked for {}): {source}",
                raw.files[fi],
                file.display()
            ))
        }
        ReadError::Malformed {
            path: file,
            line,
            error,
        } => {
            let fi = paths.iter().position(|p| *p == file).unwrap_or(0);
            at_file(fi).error(format!("{}:{line}: {error} {STRICT_NOTE}", file.display()))
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    load.lines = summary.lines;
    load.malformed = MalformedLines {
        count: summary.malformed + unreplayable.count,
        first: (summary.first_malformed.into_iter())
            .chain(unreplayable.first)
            .take(MALFORMED_LISTED)
            .collect(),
    };
    let (events, outside) = events.finish(map);
    if events.is_empty() {
        return Err(path.error(if outside > 0 {
            format!("no logged request lies in the window (from, to): all {outside} are outside it")
        } else {
            let first = (load.malformed.first.first())
                .map_or(String::new(), |l| format!("; the first: {l}"));
            format!(
                "the access logs hold no request ({} line{}, {} malformed{first})",
                load.lines,
                if load.lines == 1 { "" } else { "s" },
                load.malformed.count
            )
        }));
    }
    load.logged_service = logged;
    load.events = events;
    load.outside_window = outside;
    load.client_ips = interner.ips.len() as u32;
    load.ips = interner.by_session;
    load.classes = interner.classes;
    Ok(load)
}

/// The window and speed of `raw`.
fn time_map(raw: &RawArrivalAccessLog, path: &JsonPath) -> Result<TimeMap, FieldError> {
    let speed = raw.speed.unwrap_or(1.0);
    if !(speed.is_finite() && speed > 0.0 && speed <= MAX_SPEED) {
        return Err(path.key("speed").error(format!(
            "expected a replay speed above 0 up to {MAX_SPEED} (2 replays the log twice as fast), got {}",
            super::readable(speed)
        )));
    }
    let ns = |d: Option<super::DurationValue>, key: &str| -> Result<Option<u64>, FieldError> {
        d.map(|d| super::timing::time_value(d.0, &path.key(key)).map(|s| s.0))
            .transpose()
    };
    let from_ns = ns(raw.from, "from")?.unwrap_or(0);
    let to_ns = ns(raw.to, "to")?;
    if let Some(to) = to_ns {
        if to <= from_ns {
            return Err(path.key("to").error(format!(
                "expected the window's end after its start ({} s), got {} s",
                from_ns as f64 / 1e9,
                to as f64 / 1e9
            )));
        }
    }
    Ok(TimeMap {
        from_ns,
        to_ns,
        speed,
    })
}

/// Interns classes (distinct requests as the rules see them) and sessions (client IPs).
struct Interner<'a> {
    cx: ReplayContext<'a>,
    /// Every CIDR block of every `source-ip` condition: a client IP matters to the rules only by
    /// which of them contain it.
    cidrs: Vec<Cidr>,
    classes: Vec<ReplayClass>,
    by_key: HashMap<Box<str>, u32>,
    key: String,
    /// Client IP → (session, source-ip signature).
    ips: HashMap<IpAddr, (u32, u32)>,
    /// Client IP of each session, by session index.
    by_session: Vec<IpAddr>,
    /// Source-ip signature → (id, the first IP seen with it).
    signatures: HashMap<Box<[bool]>, (u32, IpAddr)>,
    representative: Vec<IpAddr>,
    last_ip: Option<(IpAddr, u32, u32)>,
}

impl<'a> Interner<'a> {
    fn new(cx: ReplayContext<'a>) -> Interner<'a> {
        let cidrs = (cx.listeners.iter())
            .flat_map(|l| l.rules.iter())
            .flat_map(|r| r.conditions.iter())
            .filter_map(|c| match c {
                Condition::SourceIp(blocks) => Some(blocks.iter().copied()),
                _ => None,
            })
            .flatten()
            .collect();
        Interner {
            cx,
            cidrs,
            classes: Vec::new(),
            by_key: HashMap::new(),
            key: String::new(),
            ips: HashMap::new(),
            by_session: Vec::new(),
            signatures: HashMap::new(),
            representative: Vec::new(),
            last_ip: None,
        }
    }

    /// The session of a client IP (and its source-ip signature).
    fn ip(&mut self, ip: IpAddr) -> (u32, u32) {
        if let Some((last, s, g)) = self.last_ip {
            if last == ip {
                return (s, g);
            }
        }
        let (s, g) = match self.ips.get(&ip) {
            Some(&sg) => sg,
            None => {
                let sig: Box<[bool]> = self.cidrs.iter().map(|c| c.contains(ip)).collect();
                let next = self.signatures.len() as u32;
                let g = self.signatures.entry(sig).or_insert((next, ip)).0;
                if g == next {
                    self.representative.push(ip);
                }
                let s = self.ips.len() as u32;
                self.ips.insert(ip, (s, g));
                self.by_session.push(ip);
                (s, g)
            }
        };
        self.last_ip = Some((ip, s, g));
        (s, g)
    }

    fn session(&mut self, ip: IpAddr) -> u32 {
        self.ip(ip).0
    }

    /// The class of a logged request, adding it (and its route) when new; errors name what the
    /// model lacks to replay it.
    fn class(&mut self, r: &LoggedRequest<'_>) -> Result<u32, String> {
        let (_, sig) = self.ip(r.client_ip);
        let port = self.cx.port.unwrap_or(r.port);
        self.key.clear();
        for part in [
            r.method,
            r.host,
            r.path,
            r.query,
            r.user_agent.unwrap_or(""),
        ] {
            self.key.push_str(part);
            self.key.push('\0');
        }
        self.key.push_str(&port.to_string());
        self.key.push('\0');
        self.key.push_str(&sig.to_string());
        if let Some(&c) = self.by_key.get(self.key.as_str()) {
            return Ok(c);
        }
        let listeners = self.cx.listeners;
        let listener = listeners.iter().position(|l| l.port == port).ok_or_else(|| {
            let ports: Vec<String> = listeners.iter().map(|l| l.port.to_string()).collect();
            format!(
                "the request went to port {port}, where the model has no listener (listeners: {}); set the client's port to replay every request on one listener",
                ports.join(", ")
            )
        })?;
        let request_type = (self.cx.types.iter())
            .position(|t| t.matches(r.method, r.host, r.path))
            .ok_or_else(|| {
                let types: Vec<String> = self.cx.types.iter().map(TypeMatcher::describe).collect();
                format!(
                    "no request type of the client matches {} {}{} (its types: {}); add one that matches any request last, e.g. {{\"name\": \"other\", \"path\": \"/*\", \"service_time\": …}}",
                    r.method,
                    r.host,
                    r.path,
                    types.join("; ")
                )
            })?;
        let mut headers = BTreeMap::new();
        if let Some(ua) = r.user_agent {
            headers.insert("User-Agent".to_string(), ua.to_string());
        }
        let view = RequestView {
            method: r.method.to_string(),
            host: r.host.to_string(),
            path: r.path.to_string(),
            headers,
            query: query_pairs(r.query),
            source_ip: self.representative[sig as usize],
        };
        let listener = ListenerId(listener as u32);
        let route = self.cx.routes.add(listeners, listener, &view)?;
        let c = self.classes.len() as u32;
        self.classes.push(ReplayClass {
            view,
            query: r.query.into(),
            listener,
            route,
            request_type: request_type as u32,
        });
        self.by_key.insert(self.key.as_str().into(), c);
        Ok(c)
    }
}

/// `a=1&b` → `{a: 1, b: ""}` (as written: not URL-decoded).
fn query_pairs(query: &str) -> BTreeMap<String, String> {
    query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (kv.to_string(), String::new()),
        })
        .collect()
}

/// What `validate` and `run` say about replays: malformed lines skipped (with FILE:LINE), and a
/// replay longer than the run.
pub(in crate::scenario) fn warnings(sc: &Scenario) -> Vec<Warning> {
    let mut out = Vec::new();
    for (i, c) in sc.clients.iter().enumerate() {
        let crate::model::client::Load::Replay(r) = &c.load else {
            continue;
        };
        let at = format!("clients[{i}].arrival");
        if r.malformed.count > 0 {
            let more = r.malformed.count - r.malformed.first.len() as u64;
            out.push(Warning {
                path: format!("{at}.files"),
                message: format!(
                    "{} malformed access-log line{} skipped: {}{} (strict: true makes them an error)",
                    r.malformed.count,
                    if r.malformed.count == 1 { "" } else { "s" },
                    r.malformed.first.join("; "),
                    if more > 0 {
                        format!("; and {more} more")
                    } else {
                        String::new()
                    }
                ),
            });
        }
        if let Some(last) = r.last_arrival() {
            if last.0 > sc.duration.0 {
                let left = r.events.iter().filter(|e| e.at.0 > sc.duration.0).count();
                out.push(Warning {
                    path: at,
                    message: format!(
                        "the replay lasts {:.0} s but the run {:.0} s: its last {left} requests are not sent (raise duration, or replay faster with speed)",
                        last.as_secs_f64(),
                        sc.duration.as_secs_f64()
                    ),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_parent_folders_come_off_the_base() {
        let j = |b: &str, f: &str| join_lexically(Path::new(b), Path::new(f));
        assert_eq!(
            j("output/run", "../../models/a.log"),
            Path::new("models/a.log")
        );
        assert_eq!(j("/w/out/x", "../../../m/a.log"), Path::new("/m/a.log"));
        assert_eq!(j("", "../logs/a.log"), Path::new("../logs/a.log"));
        assert_eq!(j("models", "logs/a.log"), Path::new("models/logs/a.log"));
        assert_eq!(j("models", "/abs/a.log"), Path::new("/abs/a.log"));
    }

    #[test]
    fn request_types_match_by_method_host_and_path_patterns() {
        let api = TypeMatcher {
            method: Some("POST".into()),
            host: Some("*.example.com".into()),
            path: Some("/api/*".into()),
        };
        assert!(api.matches("POST", "WWW.example.com", "/api/cart"));
        assert!(!api.matches("GET", "www.example.com", "/api/cart"));
        assert!(
            !api.matches("POST", "www.example.com", "/API/cart"),
            "paths are case-sensitive"
        );
        let any = TypeMatcher {
            method: None,
            host: None,
            path: None,
        };
        assert!(any.matches("DELETE", "h", "/"));
    }

    #[test]
    fn query_strings_split_into_pairs_as_written() {
        let q = query_pairs("id=7&flag&a=%20");
        assert_eq!(q["id"], "7");
        assert_eq!(q["flag"], "");
        assert_eq!(q["a"], "%20");
        assert!(query_pairs("").is_empty());
    }
}
