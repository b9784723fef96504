//! Writing one access-log line per request of a run (`albsim run --access-log[=gzip]`).
//!
//! The engine hands each finished request to [`AccessLog::log`] as an [`Entry`] (plain numbers:
//! ids, instants, sizes); the line is formatted by hand into one reused buffer and written through
//! a buffered writer (gzip'd with `--access-log=gzip`), so memory stays flat and no line
//! allocates. Everything lines share (ids, ARNs, request lines) is worked out once before the run
//! ([`context`]).
//!
//! Where the engine does not model something AWS logs, a documented constant stands in: the
//! account id `123456789012` and Region `us-east-1` of every ARN, synthetic client and target
//! addresses, `response_processing_time` 0 for a target's answer, the TLS cipher and protocol of
//! AWS's examples, `"-"` for the classification fields (every simulated request complies with RFC
//! 7230) and for `error_reason` (AWS sets it only for authenticate actions, Lambda targets, WAF
//! and weighted target groups' cookies, none of which albsim models).

pub mod clock;
pub mod context;
pub mod sample;

use crate::model::ids::{ListenerId, RouteId};
use crate::model::resolved::Scenario;
use clock::{push_instant, push_padded, push_seconds};
use context::{Context, SSL_CIPHER, SSL_PROTOCOL};
use sample::{Sampler, mix};
use std::io::{self, Write};

/// How the log is written and which requests it keeps.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// gzip'd (`access.log.gz`, deterministic bytes: no file name, modification time 0).
    pub gzip: bool,
    /// Share of requests logged, in (0, 1] (see [`sample::check_rate`]).
    pub sample: f64,
    /// The calendar instant of simulated time 0, in seconds since the Unix epoch
    /// (default [`clock::DEFAULT_START_UNIX_SECONDS`], 2026-01-01T00:00:00Z).
    pub start_unix_seconds: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            gzip: false,
            sample: 1.0,
            start_unix_seconds: clock::DEFAULT_START_UNIX_SECONDS,
        }
    }
}

impl Settings {
    /// The log's file name in the output folder.
    pub fn file_name(&self) -> &'static str {
        if self.gzip {
            "access.log.gz"
        } else {
            "access.log"
        }
    }
}

/// How a request ended, as far as the access log cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The target answered: the processing times are known.
    Answered {
        /// Load balancer received it → sent it to the target \[ns\].
        request_ns: u64,
        /// Sent to the target → the target's answer \[ns\].
        target_ns: u64,
    },
    /// The load balancer answered without a target's response (redirect, fixed response, 503
    /// without targets, 502/504 when the target refused, reset or never answered): AWS writes
    /// `-1` for the three processing times.
    NoTargetResponse,
    /// The client closed the connection while the load balancer waited for the target (460):
    /// the request processing time is known, the target and response times are `-1`.
    ClientClosed {
        /// Load balancer received it → sent it to the target \[ns\].
        request_ns: u64,
    },
}

/// One finished request (or closed WebSocket connection), as the engine knows it.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// Client index.
    pub client: u32,
    /// Request type index within the client.
    pub rtype: u32,
    /// User index, or `u32::MAX` for an open-loop request.
    pub user: u32,
    /// Listener it arrived on.
    pub listener: ListenerId,
    /// Its route there.
    pub route: RouteId,
    /// When the load balancer received it \[ns of simulated time\].
    pub arrived_ns: u64,
    /// When it answered (WebSockets: when the connection closed) \[ns\].
    pub answered_ns: u64,
    /// Target group, if the request was forwarded to one.
    pub group: Option<u32>,
    /// Instance the request was sent to (or tried), if any.
    pub target: Option<u32>,
    /// How it ended.
    pub outcome: Outcome,
    /// `elb_status_code`.
    pub elb_status: u16,
    /// `target_status_code`, if the target answered.
    pub target_status: Option<u16>,
    /// `received_bytes`.
    pub received_bytes: u64,
    /// `sent_bytes`.
    pub sent_bytes: u64,
    /// Sent as an HTTP/2 stream.
    pub h2: bool,
    /// An upgraded WebSocket connection (logged when it closed).
    pub websocket: bool,
    /// Identity of the client connection (its opening instant and booking), for the client port
    /// and `conn_trace_id`.
    pub conn: u64,
}

/// What a replayed request was (`"arrival": {"type": "access_log"}`): its line shows the logged
/// request of its class and its session's logged client IP, not its request type's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Replayed {
    /// Its class index in the client's replay.
    pub class: u32,
    /// Its session (client IP) index within the client.
    pub session: u32,
}

/// The access log of one run: a buffered (optionally gzip'd) writer and a reused line buffer.
pub struct AccessLog {
    ctx: Context,
    settings: Settings,
    sampler: Sampler,
    out: io::BufWriter<Output>,
    line: Vec<u8>,
    /// Requests offered so far (the sampling sequence number).
    seq: u64,
    /// Lines written.
    lines: u64,
    /// The first write error; nothing more is written after it.
    error: Option<io::Error>,
}

impl std::fmt::Debug for AccessLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessLog")
            .field("settings", &self.settings)
            .field("seq", &self.seq)
            .field("lines", &self.lines)
            .finish_non_exhaustive()
    }
}

/// The file under the buffer: plain or gzip'd.
enum Output {
    Plain(std::fs::File),
    Gzip(flate2::write::GzEncoder<std::fs::File>),
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Plain(f) => f.write(buf),
            Output::Gzip(g) => g.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Plain(f) => f.flush(),
            Output::Gzip(g) => g.flush(),
        }
    }
}

impl AccessLog {
    /// An access log of a run of `sc` written to `file`.
    pub fn new(sc: &Scenario, file: std::fs::File, settings: Settings) -> AccessLog {
        let output = if settings.gzip {
            // No file name, modification time 0, OS "unknown": the same bytes on every machine.
            let gz = flate2::GzBuilder::new()
                .mtime(0)
                .operating_system(255)
                .write(file, flate2::Compression::default());
            Output::Gzip(gz)
        } else {
            Output::Plain(file)
        };
        AccessLog {
            ctx: Context::new(sc),
            settings,
            sampler: Sampler::new(settings.sample),
            out: io::BufWriter::with_capacity(1 << 16, output),
            line: Vec::with_capacity(1024),
            seq: 0,
            lines: 0,
            error: None,
        }
    }

    /// Lines written so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// Logs one finished request, if the sample keeps it.
    pub fn log(&mut self, e: &Entry) {
        self.log_as(e, None);
    }

    /// Logs one finished request, replayed as `replayed` if given, if the sample keeps it.
    #[inline(never)]
    pub fn log_as(&mut self, e: &Entry, replayed: Option<Replayed>) {
        let seq = self.seq;
        self.seq += 1;
        if self.error.is_some() || !self.sampler.keeps(seq) {
            return;
        }
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        self.format(&mut line, e, replayed, seq);
        if let Err(err) = self.out.write_all(&line) {
            self.error = Some(err);
        }
        self.line = line;
        self.lines += 1;
    }

    /// Flushes and closes the file (the gzip trailer); the first write error, if any.
    pub fn finish(self) -> io::Result<u64> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let lines = self.lines;
        let output = self.out.into_inner().map_err(|e| e.into_error())?;
        match output {
            Output::Plain(mut f) => {
                f.flush()?;
                f.sync_all()?;
            }
            Output::Gzip(g) => g.finish()?.sync_all()?,
        }
        Ok(lines)
    }

    /// Formats the line of `e` (request number `seq`, replayed as `replayed`) into `out`, in
    /// AWS's field order.
    fn format(&self, out: &mut Vec<u8>, e: &Entry, replayed: Option<Replayed>, seq: u64) {
        let ctx = &self.ctx;
        let hop = match replayed {
            Some(r) => ctx.replayed_hop(e.client, r.class),
            None => ctx.hop(e.client, e.rtype, e.listener, e.route),
        };
        let https = ctx.https[e.listener.index()];
        let start = self.settings.start_unix_seconds;
        let sp = |out: &mut Vec<u8>| out.push(b' ');
        let quoted = |out: &mut Vec<u8>, s: &[u8]| {
            out.push(b'"');
            out.extend_from_slice(s);
            out.push(b'"');
        };
        // type
        out.extend_from_slice(match (e.websocket, e.h2, https) {
            (true, _, false) => b"ws",
            (true, _, true) => b"wss",
            (false, true, _) => b"h2",
            (false, false, false) => b"http",
            (false, false, true) => b"https",
        });
        sp(out);
        // time
        push_instant(out, start, e.answered_ns);
        sp(out);
        // elb
        out.extend_from_slice(ctx.elb.as_bytes());
        sp(out);
        // client:port
        match (replayed, hop.source_ip) {
            (Some(r), _) => out.extend_from_slice(ctx.replayed_ip(e.client, r.session).as_bytes()),
            (None, Some(ip)) => push_ip(out, ip),
            (None, None) => push_ip(out, client_ip(e.client, e.user)),
        }
        out.push(b':');
        push_padded(out, client_port(e.conn), 1);
        sp(out);
        // target:port
        let target = e.target.zip(e.group);
        match target {
            Some((i, g)) => push_target(out, i, ctx.group_ports[g as usize]),
            None => out.push(b'-'),
        }
        sp(out);
        // request / target / response processing times
        let (request, target_time, response) = match e.outcome {
            Outcome::Answered {
                request_ns,
                target_ns,
            } => (Some(request_ns), Some(target_ns), Some(0)),
            Outcome::ClientClosed { request_ns } => (Some(request_ns), None, None),
            Outcome::NoTargetResponse => (None, None, None),
        };
        push_seconds(out, request);
        sp(out);
        push_seconds(out, target_time);
        sp(out);
        push_seconds(out, response);
        sp(out);
        // elb_status_code target_status_code
        push_padded(out, u64::from(e.elb_status), 1);
        sp(out);
        match e.target_status {
            Some(s) => push_padded(out, u64::from(s), 1),
            None => out.push(b'-'),
        }
        sp(out);
        // received_bytes sent_bytes
        push_padded(out, e.received_bytes, 1);
        sp(out);
        push_padded(out, e.sent_bytes, 1);
        sp(out);
        // "request"
        out.push(b'"');
        out.extend_from_slice(hop.request_prefix.as_bytes());
        out.extend_from_slice(if e.h2 { b"HTTP/2.0" } else { b"HTTP/1.1" });
        out.push(b'"');
        sp(out);
        // "user_agent"
        quoted(out, hop.user_agent.as_bytes());
        sp(out);
        // ssl_cipher ssl_protocol
        if https {
            out.extend_from_slice(SSL_CIPHER.as_bytes());
            sp(out);
            out.extend_from_slice(SSL_PROTOCOL.as_bytes());
        } else {
            out.extend_from_slice(b"- -");
        }
        sp(out);
        // target_group_arn
        match e.group {
            Some(g) => out.extend_from_slice(ctx.group_arns[g as usize].as_bytes()),
            None => out.push(b'-'),
        }
        sp(out);
        // "trace_id": Root=1-<8 hex: epoch seconds of the request>-<24 hex>
        out.extend_from_slice(b"\"Root=1-");
        push_hex(out, start + e.arrived_ns / 1_000_000_000, 8);
        out.push(b'-');
        let id = mix(seq);
        push_hex(out, id, 16);
        push_hex(out, mix(id) >> 32, 8);
        out.push(b'"');
        sp(out);
        // "domain_name" "chosen_cert_arn"
        quoted(out, hop.domain_name.as_bytes());
        sp(out);
        quoted(out, hop.chosen_cert_arn.as_bytes());
        sp(out);
        // matched_rule_priority
        push_padded(out, u64::from(hop.priority), 1);
        sp(out);
        // request_creation_time
        push_instant(out, start, e.arrived_ns);
        sp(out);
        // "actions_executed" "redirect_url" "error_reason"
        quoted(out, hop.action.as_bytes());
        sp(out);
        quoted(out, hop.redirect_url.as_bytes());
        sp(out);
        quoted(out, b"-");
        sp(out);
        // "target:port_list": the target the request was sent to
        out.push(b'"');
        match target {
            Some((i, g)) => push_target(out, i, ctx.group_ports[g as usize]),
            None => out.push(b'-'),
        }
        out.push(b'"');
        sp(out);
        // "target_status_code_list"
        out.push(b'"');
        match e.target_status {
            Some(s) => push_padded(out, u64::from(s), 1),
            None => out.push(b'-'),
        }
        out.push(b'"');
        sp(out);
        // "classification" "classification_reason"
        out.extend_from_slice(b"\"-\" \"-\" ");
        // conn_trace_id
        out.extend_from_slice(b"TID_");
        // Salted: a connection's id never repeats a request's trace id.
        let conn = mix(e.conn ^ (u64::from(e.client) << 40) ^ u64::from(e.user) ^ CONN_SALT);
        push_hex(out, conn, 16);
        push_hex(out, mix(conn), 16);
        out.push(b'\n');
    }
}

/// Mixed into connection ids (`conn_trace_id`).
const CONN_SALT: u64 = 0x434F_4E4E_5F54_4944;

/// Appends the low `digits` hex digits of `x`, lowercase.
fn push_hex(out: &mut Vec<u8>, x: u64, digits: u32) {
    for k in (0..digits).rev() {
        out.push(b"0123456789abcdef"[((x >> (4 * k)) & 0xf) as usize]);
    }
}

fn push_ip(out: &mut Vec<u8>, ip: [u8; 4]) {
    for (k, b) in ip.iter().enumerate() {
        if k > 0 {
            out.push(b'.');
        }
        push_padded(out, u64::from(*b), 1);
    }
}

/// A synthetic client address (the benchmarking range 198.18.0.0/15 of RFC 2544): open-loop
/// clients from 198.18.0.0/16 by client index, users from 198.19.0.0/16 by user index.
fn client_ip(client: u32, user: u32) -> [u8; 4] {
    if user == u32::MAX {
        let n = client.wrapping_add(1);
        [198, 18, (n >> 8) as u8, n as u8]
    } else {
        let n = user.wrapping_add(1);
        [198, 19, (n >> 8) as u8, n as u8]
    }
}

/// A synthetic client port, 1024–65535, the same for every request on one connection.
fn client_port(conn: u64) -> u64 {
    1024 + mix(conn) % (65_536 - 1024)
}

/// A synthetic target address, `10.0.0.10` onwards by instance index, with the group's port.
fn push_target(out: &mut Vec<u8>, instance: u32, port: u16) {
    let n = instance.wrapping_add(10);
    push_ip(out, [10, (n >> 16) as u8, (n >> 8) as u8, n as u8]);
    out.push(b':');
    push_padded(out, u64::from(port), 1);
}

/// The identity of a client connection from its opening instant \[ns\] and its close booking.
#[inline]
pub fn conn_id(born_ns: u64, booking: u32) -> u64 {
    born_ns.rotate_left(17) ^ u64::from(booking)
}
