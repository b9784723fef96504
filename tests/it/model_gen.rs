//! A structure-aware model generator (proptest strategies): models of the right shape — clients
//! with every arrival type, listeners with rules, conditions and every action, target groups with
//! attributes and health checks, instances, custom instance types, faults, operations, Auto
//! Scaling groups with every policy type, scheduled actions, lifecycle hooks and alarms; and, in
//! two models of five, the messaging sections: SQS queues (standard and FIFO, dead-letter queues,
//! every attribute), SNS topics with `sqs`/e-mail/https/lambda subscriptions and filter policies,
//! producers (the open-loop arrivals), request-path `messages`, worker programs on instances or
//! the group, alarms on `AWS/SQS`/`AWS/SNS` metrics and queue target tracking (one metric or
//! backlog-per-instance metric math); a quarter of those have no load balancer, clients or
//! target groups (a queue-and-workers model).
//!
//! Two modes. [`Mode::Valid`] draws every value from the range the loader accepts (the property
//! tests run these). [`Mode::Hostile`] keeps the same structure but replaces about one value in 60 by a hostile one: 0,
//! negative, huge, 1e308, numbers as NaN-like strings, empty, very long, `..` and `.` names,
//! duplicate names, times beyond the run's duration, zero think time. Names come from small pools
//! so that references resolve (and duplicates happen) often.

use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// What values to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Only values the loader accepts.
    Valid,
    /// Values of the right shape, some of them hostile.
    Hostile,
}

/// Instance ids models refer to (a small pool: references resolve often).
pub const INSTANCE_IDS: [&str; 3] = ["i-1", "i-2", "i-3"];
/// Target group names.
pub const GROUPS: [&str; 2] = ["tg-a", "tg-b"];
/// Availability Zones.
const ZONES: [&str; 2] = ["us-east-1a", "us-east-1b"];
/// Instance types of the built-in catalog, and one defined by the model.
const TYPES: [&str; 4] = ["t3.micro", "c5.large", "m5.xlarge", "test.c2"];

type S = BoxedStrategy<Value>;

/// An object of the pairs that are present (`None` leaves the key out, as a user would).
fn obj(pairs: Vec<(&str, Option<Value>)>) -> Value {
    let mut m = Map::new();
    for (k, v) in pairs {
        if let Some(v) = v {
            m.insert(k.to_string(), v);
        }
    }
    Value::Object(m)
}

/// Hostile numbers: zero, negative, huge, tiny, beyond u32/u64, numbers written as strings.
fn hostile_number() -> S {
    prop_oneof![
        Just(json!(0)),
        Just(json!(-1)),
        Just(json!(-1e308)),
        Just(json!(1e308)),
        Just(json!(1e-300)),
        Just(json!(0.5)),
        Just(json!(4294967296u64)),
        Just(json!(u64::MAX)),
        Just(json!(i64::MIN)),
        Just(json!(1e12)),
        Just(json!("NaN")),
        Just(json!("inf")),
        Just(json!("")),
        Just(json!("-0")),
        Just(json!("1e308")),
    ]
    .boxed()
}

/// Hostile durations: zero, one nanosecond, far beyond the run, overflowing, negative, garbage.
fn hostile_duration() -> S {
    prop_oneof![
        Just(json!(0)),
        Just(json!("0s")),
        Just(json!("1ns")),
        Just(json!("366d")),
        Just(json!(18446744074u64)),
        Just(json!(999999999999.0)),
        Just(json!(u64::MAX)),
        Just(json!(-5)),
        Just(json!("NaN")),
        Just(json!("")),
        Just(json!("1e308")),
        Just(json!("10000000000000000000000s")),
    ]
    .boxed()
}

/// Hostile names: empty, path-like, NUL, very long, non-ASCII, and the pool's own names again
/// (duplicates).
pub fn hostile_name() -> S {
    proptest::sample::select(HOSTILE_NAMES.to_vec())
        .prop_map(Value::from)
        .boxed()
}

/// The hostile names [`hostile_name`] draws from.
pub const HOSTILE_NAMES: [&str; 13] = [
    "",
    "..",
    ".",
    "../escape",
    "a/b",
    "/tmp/abs",
    "nul\u{0}byte",
    "CON",
    "ünïcødé ✓",
    " ",
    "tg-a",
    "i-1",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
];

/// Mixes a sane strategy with a hostile one (about one draw in six) in hostile mode.
fn mix(mode: Mode, sane: S, hostile: S) -> S {
    match mode {
        Mode::Valid => sane,
        Mode::Hostile => prop_oneof![60 => sane, 1 => hostile].boxed(),
    }
}

/// A number in `lo..=hi` (whole numbers when both are whole).
fn num(mode: Mode, lo: f64, hi: f64) -> S {
    let sane = if lo.fract() == 0.0 && hi.fract() == 0.0 {
        (lo as i64..=hi as i64).prop_map(|v| json!(v)).boxed()
    } else {
        (lo..=hi).prop_map(|v| json!(v)).boxed()
    };
    mix(mode, sane, hostile_number())
}

/// An AWS-style integer attribute: a number or the same number as a string.
fn aws_int(mode: Mode, lo: i64, hi: i64) -> S {
    let sane = (lo..=hi, any::<bool>())
        .prop_map(|(v, as_string)| {
            if as_string {
                json!(v.to_string())
            } else {
                json!(v)
            }
        })
        .boxed();
    mix(mode, sane, hostile_number())
}

/// A duration of `lo..=hi` seconds, as a number or a humantime string.
fn dur(mode: Mode, lo: u64, hi: u64) -> S {
    let sane = (lo..=hi, 0..3u8)
        .prop_map(|(s, form)| match form {
            0 => json!(s),
            1 => json!(format!("{s}s")),
            _ => json!(format!("{}ms", s * 1000)),
        })
        .boxed();
    mix(mode, sane, hostile_duration())
}

/// One of `choices`, or a hostile name.
fn pick(mode: Mode, choices: &'static [&'static str]) -> S {
    let sane = proptest::sample::select(choices)
        .prop_map(|s| json!(s))
        .boxed();
    mix(mode, sane, hostile_name())
}

/// `Some` of the strategy or `None` (key left out).
fn opt(s: S) -> BoxedStrategy<Option<Value>> {
    proptest::option::of(s).boxed()
}

/// A random duration in milliseconds, every distribution.
pub fn distribution(mode: Mode, lo_ms: f64, hi_ms: f64) -> S {
    let n = move || num(mode, lo_ms, hi_ms);
    prop_oneof![
        n().prop_map(|ms| json!({ "distribution": "constant", "ms": ms })),
        num(mode, lo_ms.max(0.01), hi_ms)
            .prop_map(|m| json!({ "distribution": "exponential", "mean_ms": m })),
        (lo_ms..=hi_ms, 0.0..=hi_ms)
            .prop_map(|(a, w)| json!({ "distribution": "uniform", "min_ms": a, "max_ms": a + w })),
        (n(), n())
            .prop_map(|(m, s)| json!({ "distribution": "normal", "mean_ms": m, "stddev_ms": s })),
        (lo_ms.max(0.01)..=hi_ms, 1.0..5.0f64).prop_map(|(median, k)| {
            json!({ "distribution": "lognormal", "median_ms": median, "p99_ms": median * k })
        }),
        (lo_ms.max(0.01)..=hi_ms, 0.0..=hi_ms).prop_map(
            |(mean, sd)| json!({ "distribution": "lognormal", "mean_ms": mean, "stddev_ms": sd })
        ),
        (lo_ms..=hi_ms, 0.0..=hi_ms).prop_map(|(a, w)| {
            json!({ "distribution": "empirical", "percentiles": [
                { "p": 0, "ms": a }, { "p": 50, "ms": a + w / 4.0 }, { "p": 100, "ms": a + w } ] })
        }),
    ]
    .prop_flat_map(move |d| {
        // In hostile mode a whole distribution is sometimes replaced by a hostile scalar.
        mix(mode, Just(d).boxed(), hostile_number())
    })
    .boxed()
}

/// In hostile mode, now and then a hostile value; otherwise `None` (use the sane one).
fn hostile_or_none(mode: Mode, hostile: S) -> BoxedStrategy<Option<Value>> {
    match mode {
        Mode::Valid => Just(None).boxed(),
        Mode::Hostile => prop_oneof![60 => Just(None), 1 => hostile.prop_map(Some)].boxed(),
    }
}

fn process() -> BoxedStrategy<Option<Value>> {
    opt(prop_oneof![Just(json!("poisson")), Just(json!("constant"))].boxed())
}

/// Every arrival type; rates kept small so a short run stays short.
pub fn arrival(mode: Mode) -> S {
    let rate = move || num(mode, 0.1, 200.0);
    prop_oneof![
        rate().prop_map(|r| json!({ "type": "constant", "rate_per_second": r })),
        rate().prop_map(|r| json!({ "type": "poisson", "rate_per_second": r })),
        (
            process(),
            vec(
                (
                    1u64..60,
                    rate(),
                    0.0..1.0f64,
                    hostile_or_none(mode, hostile_duration())
                ),
                1..4
            )
        )
            .prop_map(|(process, steps)| {
                // Steps in time order, each after the previous ramp: `at` is a running sum of gaps.
                let mut at = 0;
                let steps: Vec<(Value, Value, Option<Value>)> = steps
                    .into_iter()
                    .enumerate()
                    .map(|(k, (gap, r, ramp_share, hostile_at))| {
                        let start = at;
                        at += gap;
                        let ramp = (k > 0 && ramp_share > 0.5).then(|| json!(gap / 2));
                        (hostile_at.unwrap_or(json!(start)), r, ramp)
                    })
                    .collect();
                obj(vec![
                    ("type", Some(json!("schedule"))),
                    ("process", process),
                    (
                        "steps",
                        Some(Value::Array(
                            steps
                                .into_iter()
                                .map(|(at, r, ramp)| {
                                    obj(vec![
                                        ("at", Some(at)),
                                        ("rate_per_second", Some(r)),
                                        ("ramp", ramp),
                                    ])
                                })
                                .collect(),
                        )),
                    ),
                ])
            }),
        (
            process(),
            rate(),
            rate(),
            dur(mode, 0, 150),
            2u64..60,
            any::<bool>(),
            hostile_or_none(mode, hostile_duration()),
        )
            .prop_map(
                |(process, base, spike, at, d, ramped, hostile_ramp)| obj(vec![
                    ("type", Some(json!("spike"))),
                    ("process", process),
                    ("base_rate_per_second", Some(base)),
                    ("spike_rate_per_second", Some(spike)),
                    ("at", Some(at)),
                    ("duration", Some(json!(d))),
                    ("ramp", hostile_ramp.or(ramped.then(|| json!(d / 2)))),
                ])
            ),
        (
            process(),
            0.0..50.0f64,
            0.0..150.0f64,
            opt(dur(mode, 60, 600)),
            opt(dur(mode, 0, 59))
        )
            .prop_map(|(process, lo, extra, period, peak)| obj(vec![
                ("type", Some(json!("diurnal"))),
                ("process", process),
                ("min_rate_per_second", Some(json!(lo))),
                ("max_rate_per_second", Some(json!(lo + extra))),
                ("period", period),
                ("peak_at", peak),
            ])),
        (
            num(mode, 1.0, 40.0),
            opt(num(mode, 0.5, 50.0)),
            think_time(mode)
        )
            .prop_map(|(count, spawn, think)| obj(vec![
                ("type", Some(json!("users"))),
                ("count", Some(count)),
                ("spawn_rate_per_second", spawn),
                ("think_time", Some(think)),
            ])),
        (
            num(mode, 1.0, 30.0),
            opt(num(mode, 0.5, 50.0)),
            opt(distribution(mode, 100.0, 20_000.0)),
            opt(distribution(mode, 100.0, 20_000.0)),
            opt(dur(mode, 1, 60)),
            opt(distribution(mode, 10.0, 3000.0)),
            opt(num(mode, 0.0, 5000.0)),
        )
            .prop_map(
                |(n, spawn, client, server, ping, reconnect, bytes)| obj(vec![
                    ("type", Some(json!("websocket"))),
                    ("connections", Some(n)),
                    ("spawn_rate_per_second", spawn),
                    ("client_message_interval", client),
                    ("server_message_interval", server),
                    ("ping_interval", ping),
                    ("reconnect_delay", reconnect),
                    ("message_bytes", bytes),
                ])
            ),
    ]
    .boxed()
}

/// Think time of closed-loop users; hostile mode includes zero think time.
fn think_time(mode: Mode) -> S {
    let sane = distribution(Mode::Valid, 100.0, 5000.0);
    match mode {
        Mode::Valid => sane,
        Mode::Hostile => prop_oneof![
            3 => sane,
            1 => Just(json!({ "distribution": "constant", "ms": 0 })),
            1 => distribution(mode, 0.0, 10.0),
        ]
        .boxed(),
    }
}

fn request(mode: Mode, name: &'static str) -> S {
    let path = prop_oneof![
        Just("/"),
        Just("/api/orders"),
        Just("/static/a.css"),
        Just("/healthz"),
        Just("/ws")
    ];
    (
        opt(num(mode, 0.1, 10.0)),
        opt(pick(mode, &["GET", "POST", "PUT"])),
        opt(pick(
            mode,
            &["example.com", "api.example.com", "EXAMPLE.com"],
        )),
        path,
        any::<bool>(),
        opt(num(mode, 0.0, 100_000.0)),
        opt(num(mode, 0.0, 1_000_000.0)),
        distribution(mode, 0.1, 200.0),
        opt(prop_oneof![Just(json!(80)), Just(json!(443))].boxed()),
    )
        .prop_map(
            move |(weight, method, host, path, upgrade, rq, rs, service, port)| {
                let headers = if upgrade {
                    json!({ "Upgrade": "websocket", "User-Agent": "ShopApp/2" })
                } else {
                    json!({})
                };
                obj(vec![
                    ("name", Some(json!(name))),
                    ("weight", weight),
                    ("method", method),
                    ("host", host),
                    ("path", Some(json!(path))),
                    ("headers", Some(headers)),
                    ("query", Some(json!({ "version": "2" }))),
                    ("port", port),
                    ("request_bytes", rq),
                    ("response_bytes", rs),
                    ("service_time", Some(service)),
                ])
            },
        )
        .boxed()
}

fn client(mode: Mode, name: &'static str) -> S {
    (
        arrival(mode),
        prop_oneof![
            request(mode, "r1").prop_map(|r| vec![r]),
            (request(mode, "r1"), request(mode, "r2")).prop_map(|(a, b)| vec![a, b]),
        ],
        opt(prop_oneof![Just(json!(80)), Just(json!(443))].boxed()),
        opt(pick(mode, &["10.1.2.3", "192.0.2.7", "2001:db8::1"])),
        opt(any::<bool>().prop_map(|b| json!(b)).boxed()),
        opt(any::<bool>().prop_map(|b| json!(b)).boxed()),
        opt(num(mode, 1.0, 50.0)),
    )
        .prop_map(
            move |(arrival, requests, port, ip, keep_alive, http2, sessions)| {
                obj(vec![
                    ("name", Some(json!(name))),
                    ("arrival", Some(arrival)),
                    ("requests", Some(Value::Array(requests))),
                    ("port", port),
                    ("source_ip", ip),
                    ("keep_alive", keep_alive),
                    ("http2", http2),
                    ("sessions", sessions),
                ])
            },
        )
        .boxed()
}

fn condition(mode: Mode) -> S {
    prop_oneof![
        pick(mode, &["/api/*", "/static/*", "/?ealthz", "*"])
            .prop_map(|v| json!({ "field": "path-pattern", "values": [v] })),
        pick(mode, &["*.example.com", "api.example.com"])
            .prop_map(|v| json!({ "field": "host-header", "values": [v] })),
        pick(mode, &["ShopApp/*", "*"]).prop_map(
            |v| json!({ "field": "http-header", "http_header_name": "User-Agent", "values": [v] })
        ),
        pick(mode, &["GET", "POST"])
            .prop_map(|v| json!({ "field": "http-request-method", "values": [v] })),
        pick(mode, &["2", "*"]).prop_map(
            |v| json!({ "field": "query-string", "values": [{ "key": "version", "value": v }] })
        ),
        pick(mode, &["10.0.0.0/8", "0.0.0.0/0", "2001:db8::/32"])
            .prop_map(|v| json!({ "field": "source-ip", "values": [v] })),
    ]
    .boxed()
}

fn action(mode: Mode, redirect: bool) -> S {
    let redirect_weight = if redirect || mode == Mode::Hostile {
        1
    } else {
        0
    };
    prop_oneof![
        4 => pick(mode, &GROUPS).prop_map(|g| json!({ "type": "forward", "target_group": g })),
        1 => (num(mode, 0.0, 999.0), num(mode, 0.0, 999.0), opt(aws_int(mode, 1, 604_800)))
            .prop_map(|(a, b, sticky)| {
                let mut v = json!({ "type": "forward", "target_groups": [
                    { "name": "tg-a", "weight": a }, { "name": "tg-b", "weight": b } ] });
                if let Some(d) = sticky {
                    v["stickiness"] = json!({ "enabled": true, "duration_seconds": d });
                }
                v
            }),
        redirect_weight => (
            pick(mode, &["HTTP_301", "HTTP_302"]),
            mix(mode, Just(json!("HTTPS")).boxed(), hostile_name()).prop_map(Some),
            mix(mode, Just(json!("443")).boxed(), hostile_name()).prop_map(Some), opt(pick(mode, &["/#{path}", "/moved"])))
            .prop_map(|(code, protocol, port, path)| obj(vec![
                ("type", Some(json!("redirect"))),
                ("status_code", Some(code)),
                ("protocol", protocol),
                ("port", port),
                ("path", path),
            ])),
        1 => (mix(mode, proptest::sample::select(&[200i64, 204, 404, 429, 500, 503][..]).prop_map(|c| json!(c.to_string())).boxed(), hostile_number()), opt(pick(mode, &["text/plain", "application/json"])),
              opt(pick(mode, &["ok", ""])))
            .prop_map(|(code, ct, body)| obj(vec![
                ("type", Some(json!("fixed-response"))),
                ("status_code", Some(code)),
                ("content_type", ct),
                ("message_body", body),
            ])),
    ]
    .boxed()
}

fn rule(mode: Mode, redirect: bool) -> S {
    (
        num(mode, 1.0, 50_000.0),
        vec(condition(mode), 1..3),
        action(mode, redirect),
    )
        .prop_map(move |(p, mut c, a)| {
            {
                // At most one condition of each kind per rule.
                c.sort_by_key(|c| c["field"].to_string());
                c.dedup_by_key(|c| c["field"].to_string());
            }
            json!({ "priority": p, "conditions": c, "actions": [a] })
        })
        .boxed()
}

fn listener(mode: Mode, port: u16, https: bool) -> S {
    (
        vec(rule(mode, !https), 0..4),
        action(mode, !https),
        opt(num(mode, 0.0, 20.0)),
    )
        .prop_map(move |(mut rules, default, tls)| {
            {
                // Priorities are unique per listener.
                rules.sort_by_key(|r| r["priority"].as_i64());
                rules.dedup_by_key(|r| r["priority"].as_i64());
            }
            obj(vec![
                ("port", Some(json!(port))),
                (
                    "protocol",
                    Some(json!(if https { "HTTPS" } else { "HTTP" })),
                ),
                ("tls_handshake_ms", if https { tls } else { None }),
                ("rules", Some(Value::Array(rules))),
                ("default_actions", Some(json!([default]))),
            ])
        })
        .boxed()
}

fn health_check(mode: Mode) -> S {
    (
        (
            opt(prop_oneof![Just(json!(true)), Just(json!("true")), Just(json!(false))].boxed()),
            opt(pick(mode, &["HTTP", "HTTPS"])),
            opt(pick(mode, &["traffic-port", "8081"])),
            opt(pick(mode, &["/", "/health"])),
            opt(aws_int(mode, 10, 300)),
            opt(aws_int(mode, 2, 4)),
        ),
        (
            opt(aws_int(mode, 2, 10)),
            opt(aws_int(mode, 2, 10)),
            opt(pick(mode, &["200", "200,202", "200-299"])),
            opt(distribution(mode, 0.1, 50.0)),
            opt(num(mode, 1.0, 3.0)),
            opt(dur(mode, 0, 5)),
        ),
    )
        .prop_map(
            |(
                (enabled, protocol, port, path, interval, timeout),
                (healthy, unhealthy, matcher, st, nodes, first),
            )| {
                obj(vec![
                    ("HealthCheckEnabled", enabled),
                    ("HealthCheckProtocol", protocol),
                    ("HealthCheckPort", port),
                    ("HealthCheckPath", path),
                    ("HealthCheckIntervalSeconds", interval),
                    ("HealthCheckTimeoutSeconds", timeout),
                    ("HealthyThresholdCount", healthy),
                    ("UnhealthyThresholdCount", unhealthy),
                    ("Matcher", matcher.map(|m| json!({ "HttpCode": m }))),
                    ("service_time", st),
                    ("nodes", nodes),
                    ("first_check_delay", first),
                ])
            },
        )
        .boxed()
}

fn tg_attributes(mode: Mode) -> S {
    (
        opt(pick(
            mode,
            &[
                "round_robin",
                "least_outstanding_requests",
                "weighted_random",
            ],
        )),
        opt(aws_int(mode, 0, 60)),
        opt(prop_oneof![Just(json!(true)), Just(json!("false"))].boxed()),
        opt(pick(mode, &["lb_cookie"])),
        opt(aws_int(mode, 1, 604_800)),
        opt(aws_int(mode, 1, 2)),
    )
        .prop_map(move |(alg, dereg, sticky, st_type, cookie, min_healthy)| {
            // AWS refuses stickiness with weighted_random.
            let sticky = match (mode, &alg) {
                (_, Some(a)) if a == "weighted_random" => None,
                _ => sticky,
            };
            obj(vec![
                ("load_balancing.algorithm.type", alg),
                ("deregistration_delay.timeout_seconds", dereg),
                ("stickiness.enabled", sticky),
                ("stickiness.type", st_type),
                ("stickiness.lb_cookie.duration_seconds", cookie),
                (
                    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count",
                    min_healthy,
                ),
            ])
        })
        .boxed()
}

fn target_group(mode: Mode, name: &'static str) -> S {
    (
        num(mode, 1.0, 65_535.0),
        pick(mode, &["HTTP", "HTTPS"]),
        tg_attributes(mode),
        proptest::sample::subsequence(INSTANCE_IDS.to_vec(), 0..=3),
        health_check(mode),
        prop_oneof![3 => Just(None), 1 => hostile_name().prop_map(Some)],
    )
        .prop_map(move |(port, protocol, attributes, targets, hc, extra)| {
            let mut targets: Vec<Value> = targets.into_iter().map(|t| json!(t)).collect();
            if mode == Mode::Hostile {
                targets.extend(extra);
            }
            json!({ "name": name, "port": port, "protocol": protocol, "attributes": attributes,
                    "targets": targets, "health_check": hc })
        })
        .boxed()
}

fn instance(mode: Mode, id: &'static str) -> S {
    (
        pick(mode, &TYPES),
        pick(mode, &ZONES),
        opt(num(mode, 1.0, 16.0)),
        opt(num(mode, 0.0, 2048.0)),
    )
        .prop_map(move |(t, z, workers, backlog)| {
            obj(vec![
                ("id", Some(json!(id))),
                ("instance_type", Some(t)),
                ("availability_zone", Some(z)),
                ("workers", workers),
                ("backlog", backlog),
            ])
        })
        .boxed()
}

/// Faults of every kind, one-off and random; `at` may lie beyond the run (valid, warned about).
fn fault(mode: Mode) -> S {
    let kinds: &'static [&'static str] = &[
        "crash",
        "hang",
        "slow",
        "health_path_broken",
        "network_blocked",
    ];
    prop_oneof![
        (
            pick(mode, kinds),
            pick(mode, &INSTANCE_IDS),
            dur(mode, 0, 200),
            opt(dur(mode, 1, 60)),
            num(mode, 1.5, 10.0),
            opt(num(mode, 500.0, 503.0)),
        )
            .prop_map(|(kind, inst, at, d, factor, code)| {
                let slow = kind == json!("slow");
                let broken = kind == json!("health_path_broken");
                obj(vec![
                    ("type", Some(kind)),
                    ("instance", Some(inst)),
                    ("at", Some(at)),
                    ("duration", d),
                    ("factor", slow.then_some(factor)),
                    ("status_code", if broken { code } else { None }),
                ])
            }),
        (pick(mode, &ZONES), dur(mode, 0, 200), opt(dur(mode, 1, 60))).prop_map(|(z, at, d)| obj(
            vec![
                ("type", Some(json!("az_outage"))),
                ("availability_zone", Some(z)),
                ("at", Some(at)),
                ("duration", d),
            ]
        )),
        (
            pick(mode, &INSTANCE_IDS),
            dur(mode, 10, 600),
            opt(dur(mode, 1, 120))
        )
            .prop_map(|(inst, mtbf, mttr)| obj(vec![
                ("type", Some(json!("crash"))),
                ("instance", Some(inst)),
                ("mean_time_between_failures", Some(mtbf)),
                ("mean_time_to_recover", mttr),
            ])),
    ]
    .boxed()
}

fn operation(mode: Mode) -> S {
    (
        dur(mode, 0, 200),
        pick(mode, &["register", "deregister"]),
        pick(mode, &GROUPS),
        pick(mode, &INSTANCE_IDS),
    )
        .prop_map(|(at, action, tg, inst)| {
            json!({ "at": at, "action": action, "target_group": tg, "instance": inst })
        })
        .boxed()
}

fn policy(mode: Mode, name: &'static str) -> S {
    prop_oneof![
        (
            pick(mode, &["ASGAverageCPUUtilization", "ASGAverageNetworkIn", "ALBRequestCountPerTarget"]),
            num(mode, 1.0, 90.0),
            opt(any::<bool>().prop_map(|b| json!(b)).boxed()),
            opt(aws_int(mode, 0, 300)),
        )
            .prop_map(move |(metric, target, disable_in, warmup)| {
                let mut spec = json!({ "PredefinedMetricType": metric });
                if metric == json!("ALBRequestCountPerTarget") {
                    spec["ResourceLabel"] = json!("tg-a");
                }
                obj(vec![
                    ("PolicyName", Some(json!(name))),
                    ("PolicyType", Some(json!("TargetTrackingScaling"))),
                    (
                        "TargetTrackingConfiguration",
                        Some(obj(vec![
                            ("PredefinedMetricSpecification", Some(spec)),
                            ("TargetValue", Some(target)),
                            ("DisableScaleIn", disable_in),
                        ])),
                    ),
                    ("EstimatedInstanceWarmup", warmup),
                ])
            }),
        (
            pick(mode, &["ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"]),
            num(mode, -3.0, 3.0),
            num(mode, 0.0, 20.0),
            opt(aws_int(mode, 0, 300)),
        )
            .prop_map(move |(adj, step, split, warmup)| obj(vec![
                ("PolicyName", Some(json!(name))),
                ("PolicyType", Some(json!("StepScaling"))),
                ("AdjustmentType", Some(adj)),
                ("StepAdjustments", Some(json!([
                    { "MetricIntervalLowerBound": 0, "MetricIntervalUpperBound": split, "ScalingAdjustment": step },
                    { "MetricIntervalLowerBound": split, "ScalingAdjustment": step } ]))),
                ("EstimatedInstanceWarmup", warmup),
            ])),
        (
            pick(mode, &["ChangeInCapacity", "ExactCapacity"]),
            num(mode, -2.0, 3.0),
            opt(aws_int(mode, 0, 300)),
        )
            .prop_map(move |(adj, n, cooldown)| obj(vec![
                ("PolicyName", Some(json!(name))),
                ("PolicyType", Some(json!("SimpleScaling"))),
                ("AdjustmentType", Some(adj)),
                ("ScalingAdjustment", Some(n)),
                ("Cooldown", cooldown),
            ])),
    ]
    .boxed()
}

/// An Auto Scaling group: `MinSize ≤ DesiredCapacity ≤ MaxSize` in valid mode.
pub fn auto_scaling_group(mode: Mode) -> S {
    (
        (0u32..3, 0u32..3, 0u32..3),
        pick(mode, &TYPES),
        opt(prop_oneof![Just(json!("EC2")), Just(json!("ELB"))].boxed()),
        opt(aws_int(mode, 0, 120)),
        opt(aws_int(mode, 0, 300)),
        vec(policy(mode, "p-out"), 0..2),
        vec((dur(mode, 0, 200), 0u32..3, 0u32..3), 0..2),
        opt(prop_oneof![
            Just(json!("autoscaling:EC2_INSTANCE_LAUNCHING")),
            Just(json!("autoscaling:EC2_INSTANCE_TERMINATING"))
        ]
        .boxed()),
        (
            opt(aws_int(mode, 30, 7200)),
            opt(dur(mode, 0, 60)),
            opt(pick(mode, &["Default", "OldestInstance", "NewestInstance"])),
        ),
        prop_oneof![4 => Just(None), 1 => hostile_number().prop_map(Some)],
    )
        .prop_map(
            move |(
                (min, extra_desired, extra_max),
                t,
                hc_type,
                grace,
                cooldown,
                policies,
                scheduled,
                hook,
                (heartbeat, completes, termination),
                hostile_size,
            )| {
                let desired = min + extra_desired;
                let max = desired + extra_max;
                let scheduled: Vec<Value> = scheduled
                    .into_iter()
                    .enumerate()
                    .map(|(k, (at, lo, extra))| {
                        json!({ "ScheduledActionName": format!("s{k}"), "at": at,
                                "MinSize": lo, "MaxSize": lo + extra + 1 })
                    })
                    .collect();
                let hooks: Vec<Value> = hook
                    .into_iter()
                    .map(|transition| {
                        obj(vec![
                            ("LifecycleHookName", Some(json!("hook"))),
                            ("LifecycleTransition", Some(transition)),
                            ("HeartbeatTimeout", heartbeat.clone()),
                            ("completes_after", completes.clone()),
                        ])
                    })
                    .collect();
                let mut g = obj(vec![
                    ("AutoScalingGroupName", Some(json!("asg"))),
                    ("MinSize", Some(json!(min))),
                    ("MaxSize", Some(json!(max))),
                    ("DesiredCapacity", Some(json!(desired))),
                    (
                        "LaunchTemplate",
                        Some(json!({ "instance_type": t, "detailed_monitoring": true,
                                      "launch_time": { "distribution": "constant", "ms": 20000 } })),
                    ),
                    ("AvailabilityZones", Some(json!(ZONES))),
                    ("TargetGroupARNs", Some(json!(["tg-a"]))),
                    ("HealthCheckType", hc_type),
                    ("HealthCheckGracePeriod", grace),
                    ("DefaultCooldown", cooldown),
                    ("Policies", Some(Value::Array(policies))),
                    ("ScheduledActions", Some(Value::Array(scheduled))),
                    ("LifecycleHooks", Some(Value::Array(hooks))),
                    ("TerminationPolicies", termination.map(|t| json!([t]))),
                ]);
                if mode == Mode::Hostile {
                    if let Some(h) = hostile_size {
                        g["MaxSize"] = h;
                    }
                }
                g
            },
        )
        .boxed()
}

fn alarm(mode: Mode) -> S {
    (
        pick(
            mode,
            &[
                "CPUUtilization",
                "RequestCount",
                "GroupInServiceInstances",
                "TargetResponseTime",
            ],
        ),
        pick(mode, &["Average", "Sum", "Maximum", "Minimum"]),
        // Period: a multiple of the metric period (60 s or 10 s).
        mix(
            mode,
            (1i64..4).prop_map(|k| json!(k * 60)).boxed(),
            hostile_number(),
        ),
        num(mode, 1.0, 5.0),
        num(mode, 0.0, 100.0),
        pick(
            mode,
            &[
                "GreaterThanOrEqualToThreshold",
                "GreaterThanThreshold",
                "LessThanThreshold",
                "LessThanOrEqualToThreshold",
            ],
        ),
        opt(pick(
            mode,
            &["missing", "notBreaching", "breaching", "ignore"],
        )),
    )
        .prop_map(|(metric, stat, period, evals, threshold, cmp, missing)| {
            let dims = if metric == json!("RequestCount") || metric == json!("TargetResponseTime") {
                json!({ "TargetGroup": "tg-a" })
            } else {
                json!({ "AutoScalingGroupName": "asg" })
            };
            obj(vec![
                ("AlarmName", Some(json!("alarm"))),
                ("MetricName", Some(metric)),
                ("Dimensions", Some(dims)),
                ("Statistic", Some(stat)),
                ("Period", Some(period)),
                ("EvaluationPeriods", Some(evals)),
                ("Threshold", Some(threshold)),
                ("ComparisonOperator", Some(cmp)),
                ("TreatMissingData", missing),
                ("AlarmActions", Some(json!(["p-out"]))),
            ])
        })
        .boxed()
}

/// A whole model. `Mode::Valid` models are meant to be accepted by the loader; the run's
/// `duration` is short (at most 3 minutes) either way.
pub fn model(mode: Mode) -> S {
    let name = mix(
        mode,
        prop_oneof![Just(json!("gen")), Just(json!("gen-model_2"))].boxed(),
        hostile_name(),
    );
    let instances =
        proptest::sample::subsequence(INSTANCE_IDS.to_vec(), 1..=3).prop_flat_map(move |ids| {
            ids.into_iter()
                .map(|id| instance(mode, id))
                .collect::<Vec<_>>()
        });
    (
        (
            name,
            dur(mode, 10, 180),
            any::<u64>(),
            opt(prop_oneof![Just(json!("60s")), Just(json!(10)), Just(json!("1m"))].boxed()),
            prop_oneof![
                client(mode, "c1").prop_map(|c| vec![c]),
                (client(mode, "c1"), client(mode, "c2")).prop_map(|(a, b)| vec![a, b]),
            ],
        ),
        (
            listener(mode, 80, false),
            listener(mode, 443, true).prop_map(Some),
            opt(aws_int(mode, 1, 4000)),
            opt(aws_int(mode, 60, 604_800)),
        ),
        (
            target_group(mode, "tg-a"),
            proptest::option::of(target_group(mode, "tg-b")),
            instances,
            vec(fault(mode), 0..3),
            vec(operation(mode), 0..3),
            proptest::option::of((auto_scaling_group(mode), vec(alarm(mode), 0..2))),
        ),
        // In hostile mode, half the messaging sections are valid, so that hostile models with
        // queues still reach runs as often as the others.
        match mode {
            Mode::Valid => prop_oneof![3 => Just(None), 2 => messaging(mode).prop_map(Some)].boxed(),
            Mode::Hostile => prop_oneof![
                3 => Just(None),
                1 => messaging(mode).prop_map(Some),
                1 => messaging(Mode::Valid).prop_map(Some),
            ]
            .boxed(),
        },
    )
        .prop_map(
            move |(
                (name, duration, seed, period, clients),
                (http, https, idle, keep_alive),
                (tg_a, tg_b, instances, faults, operations, asg),
                messaging,
            )| {
                let mut listeners = vec![http];
                listeners.extend(https);
                let mut target_groups = vec![tg_a];
                match tg_b {
                    Some(b) => target_groups.push(b),
                    // Every reference to tg-b must still resolve: an empty group of that name.
                    None => target_groups.push(json!({ "name": "tg-b", "port": 80, "protocol": "HTTP" })),
                }
                let (asgs, alarms) = match asg {
                    Some((g, alarms)) => {
                        // Alarms act on the group's policy; with no such policy they would dangle.
                        let has_policy = g["Policies"].as_array().is_some_and(|p| !p.is_empty());
                        (vec![g], if has_policy { alarms } else { vec![] })
                    }
                    None => (vec![], vec![]),
                };
                let mut lb_attributes = Map::new();
                if let Some(v) = idle {
                    lb_attributes.insert("idle_timeout.timeout_seconds".into(), v);
                }
                if let Some(v) = keep_alive {
                    lb_attributes.insert("client_keep_alive.seconds".into(), v);
                }
                let mut m = obj(vec![
                    ("name", Some(name)),
                    ("description", Some(json!("generated"))),
                    ("duration", Some(duration)),
                    ("seed", Some(json!(seed))),
                    ("metrics", period.map(|p| json!({ "period": p }))),
                    ("clients", Some(Value::Array(clients))),
                    (
                        "load_balancer",
                        Some(json!({ "name": "lb", "attributes": lb_attributes, "listeners": listeners })),
                    ),
                    ("target_groups", Some(Value::Array(target_groups))),
                    ("instances", Some(Value::Array(instances))),
                    (
                        "instance_types",
                        Some(json!([{ "name": "test.c2", "vcpus": 2, "memory_gib": 4, "price_per_hour": 0.05 }])),
                    ),
                    ("faults", Some(Value::Array(faults))),
                    ("operations", Some(Value::Array(operations))),
                    ("auto_scaling_groups", Some(Value::Array(asgs))),
                    ("alarms", Some(Value::Array(alarms))),
                ]);
                if let Some(g) = messaging {
                    add_messaging(&mut m, g);
                }
                m
            },
        )
        .prop_map(move |mut m| {
            {
                drop_dangling_references(&mut m);
            }
            m
        })
        .boxed()
}

/// Valid mode: leaves out what refers to an instance or zone the model does not have, and the
/// settings a client's arrival type does not take.
fn drop_dangling_references(m: &mut Value) {
    let instances = m["instances"].as_array().unwrap().clone();
    let ids: Vec<Value> = instances.iter().map(|i| i["id"].clone()).collect();
    let mut zones: Vec<Value> = instances
        .iter()
        .map(|i| i["availability_zone"].clone())
        .collect();
    if !m["auto_scaling_groups"].as_array().unwrap().is_empty() {
        zones.extend(ZONES.iter().map(|z| json!(z)));
    }
    for tg in m
        .get_mut("target_groups")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        if let Some(t) = tg.get_mut("targets").and_then(Value::as_array_mut) {
            t.retain(|t| ids.contains(t));
        }
    }
    m["faults"]
        .as_array_mut()
        .unwrap()
        .retain(|f| match f.get("instance") {
            Some(i) => ids.contains(i),
            None => zones.contains(&f["availability_zone"]),
        });
    m["operations"]
        .as_array_mut()
        .unwrap()
        .retain(|o| ids.contains(&o["instance"]));
    for c in m
        .get_mut("clients")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let t = c["arrival"]["type"].clone();
        if t == "users" || t == "websocket" {
            c.as_object_mut().unwrap().remove("sessions");
        }
    }
    // Alarms act on step and simple policies only (target tracking makes its own).
    let tracking = m["auto_scaling_groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["Policies"].as_array().unwrap().iter())
        .any(|p| p["PolicyType"] == "TargetTrackingScaling");
    if tracking {
        m["alarms"] = json!([]);
    }
}

// ---------------------------------------------------------------------------------------------
// Messaging: SQS queues, SNS topics, producers, request-path messages and worker programs.

/// Queue names: two standard (a working queue and its dead-letter queue), two FIFO.
pub const QUEUE_NAMES: [&str; 4] = ["jobs", "jobs-dlq", "orders.fifo", "orders-dlq.fifo"];
/// Topic names: one standard, one FIFO.
pub const TOPIC_NAMES: [&str; 2] = ["alerts", "events.fifo"];
/// Message attribute names producers write and filter policies test.
const ATTRIBUTES: [&str; 3] = ["event", "amount", "tier"];

/// A queue of the pool, the working queues (those with a dead-letter queue) more often.
fn queue_name() -> BoxedStrategy<&'static str> {
    prop_oneof![
        3 => Just(QUEUE_NAMES[0]),
        1 => Just(QUEUE_NAMES[1]),
        3 => Just(QUEUE_NAMES[2]),
        1 => Just(QUEUE_NAMES[3]),
    ]
    .boxed()
}

fn is_fifo(name: &str) -> bool {
    name.ends_with(".fifo")
}

/// A queue or topic reference: its name, or now and then its ARN.
fn reference(service: &str, name: &str, arn: bool) -> Value {
    if arn {
        json!(format!("arn:aws:{service}:us-east-1:123456789012:{name}"))
    } else {
        json!(name)
    }
}

/// A duration of `lo..=hi` milliseconds, written as `"<n>ms"`.
fn ms(mode: Mode, lo: u64, hi: u64) -> S {
    mix(
        mode,
        (lo..=hi).prop_map(|v| json!(format!("{v}ms"))).boxed(),
        hostile_duration(),
    )
}

/// A probability in `lo..hi`.
fn prob(mode: Mode, lo: f64, hi: f64) -> S {
    mix(
        mode,
        (lo..hi).prop_map(|p| json!(p)).boxed(),
        prop_oneof![
            Just(json!(1.0)),
            Just(json!(-0.1)),
            Just(json!(1.5)),
            Just(json!("0.5")),
            Just(json!(1e308))
        ]
        .boxed(),
    )
}

fn bool_value() -> S {
    prop_oneof![Just(json!(true)), Just(json!(false)), Just(json!("true"))].boxed()
}

/// One queue named `name`; its dead-letter queue is the other queue of its kind (if the model
/// has it: see [`fix_messaging`]).
fn queue(mode: Mode, name: &'static str) -> S {
    let fifo = is_fifo(name);
    let dlq = match name {
        "jobs" => "jobs-dlq",
        "orders.fifo" => "orders-dlq.fifo",
        _ => "",
    };
    let hostile_dlq = match mode {
        Mode::Valid => Just(None).boxed(),
        Mode::Hostile => prop_oneof![
            8 => Just(None),
            1 => proptest::sample::select(QUEUE_NAMES.to_vec()).prop_map(|q| Some(json!(q))),
            1 => hostile_name().prop_map(Some),
        ]
        .boxed(),
    };
    (
        (
            opt(aws_int(mode, 0, 60)),
            opt(aws_int(mode, 0, 20)),
            opt(aws_int(mode, 60, 1_209_600)),
            opt(aws_int(mode, 0, 30)),
            opt(aws_int(mode, 4096, 1_048_576)),
        ),
        (
            proptest::option::of((aws_int(mode, 1, 5), any::<bool>(), hostile_dlq)),
            opt(prob(mode, 0.0, 0.3)),
            opt(prob(mode, 0.05, 1.0)),
            opt(bool_value()),
            prop_oneof![8 => Just(None), 1 => bool_value().prop_map(Some)],
        ),
    )
        .prop_map(
            move |(
                (visibility, wait, retention, delay, max_size),
                (redrive, duplicate, sample, dedup, fifo_flag),
            )| {
                let redrive = redrive.and_then(|(count, arn, hostile)| {
                    let target = hostile
                        .or_else(|| (!dlq.is_empty()).then(|| reference("sqs", dlq, arn)))?;
                    Some(json!({ "deadLetterTargetArn": target, "maxReceiveCount": count }))
                });
                // FifoQueue: true for a .fifo name; now and then written false for a standard one
                // (in hostile mode, anything now and then).
                let fifo_flag = match (mode, fifo_flag) {
                    (Mode::Hostile, Some(v)) => Some(v),
                    _ if fifo => Some(json!(true)),
                    (_, Some(_)) => Some(json!(false)),
                    _ => None,
                };
                let valid = mode == Mode::Valid;
                obj(vec![
                    ("QueueName", Some(json!(name))),
                    ("FifoQueue", fifo_flag),
                    (
                        "ContentBasedDeduplication",
                        if fifo || !valid { dedup } else { None },
                    ),
                    ("VisibilityTimeout", visibility),
                    ("ReceiveMessageWaitTimeSeconds", wait),
                    ("MessageRetentionPeriod", retention),
                    ("DelaySeconds", delay),
                    ("MaximumMessageSize", max_size),
                    ("RedrivePolicy", redrive),
                    (
                        "duplicate_probability",
                        if !fifo || !valid { duplicate } else { None },
                    ),
                    ("short_poll_sample", sample),
                ])
            },
        )
        .boxed()
}

/// One filter policy condition: every accepted form, and in hostile mode some refused ones.
fn filter_condition(mode: Mode) -> S {
    let sane = prop_oneof![
        proptest::sample::select(&["order_placed", "refund", "big", "standard"][..])
            .prop_map(|s| json!(s)),
        (0i64..500).prop_map(|n| json!(n)),
        proptest::sample::select(&["test", "dev"][..]).prop_map(|s| json!({ "anything-but": s })),
        Just(json!({ "anything-but": ["test", "dev"] })),
        proptest::sample::select(&["eu-", "ord", "b"][..]).prop_map(|s| json!({ "prefix": s })),
        any::<bool>().prop_map(|b| json!({ "exists": b })),
        (
            proptest::sample::select(&["=", "<", "<=", ">", ">="][..]),
            0i64..500
        )
            .prop_map(|(op, n)| json!({ "numeric": [op, n] })),
        (0i64..250, 1i64..250).prop_map(|(lo, w)| json!({ "numeric": [">", lo, "<=", lo + w] })),
    ]
    .boxed();
    let hostile = prop_oneof![
        Just(json!({ "numeric": ["!=", 5] })),
        Just(json!({ "numeric": [">", 5, ">", 6] })),
        Just(json!({ "numeric": [">"] })),
        Just(json!({ "numeric": [] })),
        Just(json!({ "numeric": [">", "NaN"] })),
        Just(json!({ "numeric": ["<", 1e308, ">", -1e308] })),
        Just(json!({ "anything-but": [] })),
        Just(json!({ "anything-but": { "prefix": "x" } })),
        Just(json!({ "prefix": "" })),
        Just(json!({ "prefix": 5 })),
        Just(json!({ "exists": "yes" })),
        Just(json!({ "suffix": "x" })),
        Just(json!({ "prefix": "a", "exists": true })),
        Just(json!({})),
        Just(json!(null)),
        Just(json!(true)),
        Just(json!([["nested"]])),
        Just(json!(1e308)),
    ]
    .boxed();
    mix(mode, sane, hostile)
}

/// A `FilterPolicy` on the producers' attributes.
fn filter_policy(mode: Mode) -> S {
    let sane = proptest::collection::btree_map(
        proptest::sample::select(ATTRIBUTES.to_vec()),
        vec(filter_condition(mode), 1..3),
        1..3,
    )
    .prop_map(|m| {
        Value::Object(
            m.into_iter()
                .map(|(k, v)| (k.to_string(), Value::Array(v)))
                .collect(),
        )
    })
    .boxed();
    let hostile = prop_oneof![
        Just(json!({})),
        Just(json!({ "event": "order_placed" })),
        Just(json!({ "event": [] })),
        Just(json!({ "a": ["x"], "b": ["x"], "c": ["x"], "d": ["x"], "e": ["x"], "f": ["x"] })),
        Just(json!([])),
        Just(json!("event")),
        Just(json!({ "": ["x"] })),
    ]
    .boxed();
    mix(mode, sane, hostile)
}

/// A subscription: `sqs` to a queue of the pool (kept only if the model has it and its kind
/// matches the topic's, in valid mode), or a protocol albsim only counts.
fn subscription(mode: Mode) -> S {
    (
        prop_oneof![
            4 => proptest::sample::select(QUEUE_NAMES.to_vec()).prop_map(|q| ("sqs", q)),
            1 => Just(("email", "ops@example.com")),
            1 => Just(("https", "https://hooks.example.com/x")),
            1 => Just(("lambda", "arn:aws:lambda:us-east-1:123456789012:function:f")),
        ],
        any::<bool>(),
        opt(bool_value()),
        opt(filter_policy(mode)),
        hostile_or_none(
            mode,
            prop_oneof![
                Just(json!("MessageBody")),
                Just(json!("MessageAttributes")),
                Just(json!("carrier-pigeon")),
                hostile_name(),
            ]
            .boxed(),
        ),
        hostile_or_none(
            mode,
            prop_oneof![Just(json!("carrier-pigeon")), hostile_name()].boxed(),
        ),
    )
        .prop_map(
            |((protocol, endpoint), arn, raw, filter, scope, hostile_protocol)| {
                let endpoint = if protocol == "sqs" {
                    reference("sqs", endpoint, arn)
                } else {
                    json!(endpoint)
                };
                obj(vec![
                    (
                        "Protocol",
                        Some(hostile_protocol.unwrap_or(json!(protocol))),
                    ),
                    ("Endpoint", Some(endpoint)),
                    ("RawMessageDelivery", raw),
                    ("FilterPolicy", filter),
                    ("FilterPolicyScope", scope),
                ])
            },
        )
        .boxed()
}

fn topic(mode: Mode, name: &'static str) -> S {
    (
        vec(subscription(mode), 0..4),
        prop_oneof![3 => Just(None), 1 => bool_value().prop_map(Some)],
    )
        .prop_map(move |(subs, flag)| {
            let flag = match (mode, flag) {
                (Mode::Hostile, Some(v)) => Some(v),
                _ if is_fifo(name) => Some(json!(true)),
                (_, Some(_)) => Some(json!(false)),
                _ => None,
            };
            obj(vec![
                ("TopicName", Some(json!(name))),
                ("FifoTopic", flag),
                ("Subscriptions", Some(Value::Array(subs))),
            ])
        })
        .boxed()
}

/// Message attributes: the pool's names with strings or numbers (hostile: objects, empty names,
/// more than 10).
fn attributes(mode: Mode) -> S {
    let sane = (
        opt(
            proptest::sample::select(&["order_placed", "refund", "eu-order"][..])
                .prop_map(|s| json!(s))
                .boxed(),
        ),
        opt(prop_oneof![
            (0i64..500).prop_map(|n| json!(n)),
            (0i64..500).prop_map(|n| json!(n.to_string())),
            (0.0..500.0f64).prop_map(|x| json!(x)),
        ]
        .boxed()),
        opt(proptest::sample::select(&["big", "standard"][..])
            .prop_map(|s| json!(s))
            .boxed()),
    )
        .prop_map(|(e, a, t)| obj(vec![("event", e), ("amount", a), ("tier", t)]))
        .boxed();
    let hostile = prop_oneof![
        Just(json!({ "event": { "nested": 1 } })),
        Just(json!({ "event": null })),
        Just(json!({ "event": [1] })),
        Just(json!({ "": "x" })),
        Just(
            json!({ "a0": 1, "a1": 1, "a2": 1, "a3": 1, "a4": 1, "a5": 1, "a6": 1, "a7": 1,
                     "a8": 1, "a9": 1, "a10": 1 })
        ),
        Just(json!([])),
        Just(json!("event")),
    ]
    .boxed();
    mix(mode, sane, hostile)
}

/// The keys of a message template (`size_bytes`, `attributes`, `message_groups`, resends).
fn message_keys(mode: Mode) -> BoxedStrategy<Vec<(&'static str, Option<Value>)>> {
    (
        opt(num(mode, 1.0, 1024.0)),
        opt(attributes(mode)),
        opt(num(mode, 1.0, 20.0)),
        opt(prob(mode, 0.0, 0.3)),
        opt(dur(mode, 0, 30)),
    )
        .prop_map(|(size, attributes, groups, resend, after)| {
            vec![
                ("size_bytes", size),
                ("attributes", attributes),
                ("message_groups", groups),
                ("resend_probability", resend),
                ("resend_after", after),
            ]
        })
        .boxed()
}

/// Where a message goes: `("queue" | "topic", name from the pool, as ARN?)`.
type Dest = (&'static str, &'static str, bool);

fn destination() -> BoxedStrategy<Dest> {
    prop_oneof![
        3 => (queue_name(), any::<bool>()).prop_map(|(q, arn)| ("queue", q, arn)),
        1 => (proptest::sample::select(TOPIC_NAMES.to_vec()), any::<bool>())
            .prop_map(|(t, arn)| ("topic", t, arn)),
    ]
    .boxed()
}

/// A message object: destination plus template keys, with `message_groups` left for
/// [`fix_messaging`] to drop where the destination is standard (valid mode).
fn message_object(dest: Dest, keys: Vec<(&'static str, Option<Value>)>, inline: bool) -> Value {
    let (kind, name, arn) = dest;
    let service = if kind == "queue" { "sqs" } else { "sns" };
    let template = obj(keys);
    if inline {
        let mut m = template;
        m[kind] = reference(service, name, arn);
        m
    } else {
        json!({ kind: reference(service, name, arn), "message": template })
    }
}

/// A producer: open-loop arrivals of the clients' generator.
fn producer(mode: Mode, name: &'static str) -> S {
    (
        arrival(mode),
        destination(),
        opt(message_keys(mode).prop_map(|k| obj(k)).boxed()),
        hostile_or_none(mode, hostile_name()),
    )
        .prop_map(move |(arrival, dest, message, hostile_dest)| {
            let mut p = message_object(dest, vec![], false);
            p["name"] = json!(name);
            p["arrival"] = arrival;
            match message {
                Some(m) => p["message"] = m,
                None => {
                    p.as_object_mut().unwrap().remove("message");
                }
            }
            if let Some(h) = hostile_dest {
                p[dest.0] = h;
            }
            p
        })
        .boxed()
}

/// A message a request type sends after its target served it.
fn request_message(mode: Mode) -> S {
    (destination(), message_keys(mode))
        .prop_map(|(dest, keys)| message_object(dest, keys, true))
        .boxed()
}

/// A worker program polling a queue of the pool, on listed instances or the group `asg`.
fn consumer(mode: Mode, name: &'static str) -> S {
    (
        (
            queue_name(),
            any::<bool>(),
            prop_oneof![
                1 => proptest::sample::subsequence(INSTANCE_IDS.to_vec(), 1..=3)
                    .prop_map(|ids| json!({ "instances": ids })),
                1 => Just(json!({ "auto_scaling_group": "asg" })),
            ],
            opt(num(mode, 1.0, 8.0)),
            opt(aws_int(mode, 1, 10)),
            opt(prop_oneof![1 => aws_int(mode, 0, 0), 3 => aws_int(mode, 1, 20)].boxed()),
        ),
        (
            distribution(mode, 1.0, 2000.0),
            opt(prob(mode, 0.0, 1.0)),
            proptest::option::of((dur(mode, 1, 30), opt(aws_int(mode, 0, 120)))),
            proptest::option::of(any::<bool>()),
            opt(pick(mode, &["not_deleted", "deleted"])),
        ),
        (
            opt(ms(mode, 5, 200)),
            opt(ms(mode, 0, 2000)),
            opt(ms(mode, 1, 1000)),
            hostile_or_none(
                mode,
                prop_oneof![
                    Just(json!({ "instances": ["i-1"], "auto_scaling_group": "asg" })),
                    Just(json!({})),
                    Just(json!({ "instances": [] })),
                    hostile_name().prop_map(|n| json!({ "instances": [n] })),
                    hostile_name().prop_map(|n| json!({ "auto_scaling_group": n })),
                ]
                .boxed(),
            ),
        ),
    )
        .prop_map(
            move |(
                (queue, arn, placement, pollers, max_messages, wait),
                (processing, failure, heartbeat, protect, stale),
                (api, pause, backoff, hostile_placement),
            )| {
                let heartbeat = heartbeat.map(|(interval, vt)| {
                    obj(vec![
                        ("interval", Some(interval)),
                        ("VisibilityTimeout", vt),
                    ])
                });
                let mut c = obj(vec![
                    ("name", Some(json!(name))),
                    ("queue", Some(reference("sqs", queue, arn))),
                    ("pollers_per_instance", pollers),
                    ("MaxNumberOfMessages", max_messages),
                    ("WaitTimeSeconds", wait),
                    ("processing_time", Some(processing)),
                    ("failure_probability", failure),
                    ("heartbeat", heartbeat),
                    ("scale_in_protection", protect.map(|b| json!(b))),
                    ("stale_receipt_delete", stale),
                    ("api_latency", api),
                    ("empty_receive_pause", pause),
                    ("throttle_backoff", backoff),
                ]);
                for (k, v) in hostile_placement.unwrap_or(placement).as_object().unwrap() {
                    c[k] = v.clone();
                }
                c
            },
        )
        .boxed()
}

/// An alarm on a queue or topic metric, acting on the group's policy `p-out`.
fn messaging_alarm(mode: Mode) -> S {
    (
        prop_oneof![
            4 => (
                pick(
                    mode,
                    &[
                        "ApproximateNumberOfMessagesVisible",
                        "ApproximateNumberOfMessagesNotVisible",
                        "ApproximateNumberOfMessagesDelayed",
                        "ApproximateAgeOfOldestMessage",
                        "NumberOfMessagesSent",
                        "NumberOfMessagesReceived",
                        "NumberOfMessagesDeleted",
                        "NumberOfEmptyReceives",
                    ],
                ),
                pick(mode, &QUEUE_NAMES),
            )
                .prop_map(|(m, q)| (m, json!({ "QueueName": q }))),
            1 => (
                pick(mode, &["NumberOfMessagesPublished", "NumberOfNotificationsDelivered"]),
                pick(mode, &TOPIC_NAMES),
            )
                .prop_map(|(m, t)| (m, json!({ "TopicName": t }))),
        ],
        pick(mode, &["Average", "Sum", "Maximum", "Minimum"]),
        num(mode, 1.0, 3.0),
        num(mode, 0.0, 200.0),
        pick(
            mode,
            &["GreaterThanOrEqualToThreshold", "LessThanThreshold"],
        ),
    )
        .prop_map(|((metric, dims), stat, evals, threshold, cmp)| {
            json!({ "AlarmName": "queue-alarm", "MetricName": metric, "Dimensions": dims,
                    "Statistic": stat, "Period": 60, "EvaluationPeriods": evals,
                    "Threshold": threshold, "ComparisonOperator": cmp,
                    "AlarmActions": ["p-out"] })
        })
        .boxed()
}

/// Target tracking on a queue: one `AWS/SQS` metric, or backlog per instance in metric math.
fn queue_tracking_policy(mode: Mode) -> S {
    (
        pick(mode, &QUEUE_NAMES),
        num(mode, 1.0, 200.0),
        any::<bool>(),
        hostile_or_none(
            mode,
            prop_oneof![
                Just(json!("m1 * 2")),
                Just(json!("SUM(METRICS())")),
                Just(json!("m1 / m3")),
                Just(json!("")),
                Just(json!("m1 / m2 / m2")),
            ]
            .boxed(),
        ),
    )
        .prop_map(|(q, target, math, hostile_expr)| {
            let spec = if math {
                json!({ "Metrics": [
                    { "Id": "m1", "MetricStat": { "Metric": {
                        "MetricName": "ApproximateNumberOfMessagesVisible", "Namespace": "AWS/SQS",
                        "Dimensions": [ { "Name": "QueueName", "Value": q } ] }, "Stat": "Sum" },
                      "ReturnData": false },
                    { "Id": "m2", "MetricStat": { "Metric": {
                        "MetricName": "GroupInServiceInstances", "Namespace": "AWS/AutoScaling",
                        "Dimensions": [ { "Name": "AutoScalingGroupName", "Value": "asg" } ] },
                        "Stat": "Average" }, "ReturnData": false },
                    { "Id": "e1", "Expression": hostile_expr.unwrap_or(json!("m1 / m2")),
                      "Label": "Backlog per instance", "ReturnData": true } ] })
            } else {
                json!({ "MetricName": "ApproximateNumberOfMessagesVisible", "Namespace": "AWS/SQS",
                        "Dimensions": { "QueueName": q }, "Statistic": "Average" })
            };
            json!({ "PolicyName": "p-queue", "PolicyType": "TargetTrackingScaling",
                    "TargetTrackingConfiguration": { "TargetValue": target,
                        "CustomizedMetricSpecification": spec } })
        })
        .boxed()
}

/// Every messaging section of a model, before [`fix_messaging`] resolves their references.
#[derive(Clone, Debug)]
pub struct Messaging {
    queues: Vec<Value>,
    topics: Vec<Value>,
    producers: Vec<Value>,
    request_messages: Vec<Value>,
    consumers: Vec<Value>,
    alarms: Vec<Value>,
    tracking: Option<Value>,
    /// Leave out the load balancer, clients and target groups (a queue-and-workers model).
    no_load_balancer: bool,
    /// The mode the sections were drawn in (a hostile model's may be valid).
    mode: Mode,
}

fn messaging(mode: Mode) -> BoxedStrategy<Messaging> {
    let queues =
        proptest::sample::subsequence(QUEUE_NAMES.to_vec(), 1..=4).prop_flat_map(move |names| {
            names
                .into_iter()
                .map(|n| queue(mode, n))
                .collect::<Vec<_>>()
        });
    let topics =
        proptest::sample::subsequence(TOPIC_NAMES.to_vec(), 0..=2).prop_flat_map(move |names| {
            names
                .into_iter()
                .map(|n| topic(mode, n))
                .collect::<Vec<_>>()
        });
    (
        queues,
        topics,
        prop_oneof![
            1 => Just(vec![]),
            3 => producer(mode, "p1").prop_map(|p| vec![p]),
            1 => (producer(mode, "p1"), producer(mode, "p2")).prop_map(|(a, b)| vec![a, b]),
        ],
        vec(request_message(mode), 0..3),
        prop_oneof![
            1 => Just(vec![]),
            3 => consumer(mode, "w1").prop_map(|c| vec![c]),
            1 => (consumer(mode, "w1"), consumer(mode, "w2")).prop_map(|(a, b)| vec![a, b]),
        ],
        vec(messaging_alarm(mode), 0..2),
        opt(queue_tracking_policy(mode)),
        prop_oneof![3 => Just(false), 1 => Just(true)],
    )
        .prop_map(
            move |(
                queues,
                topics,
                producers,
                request_messages,
                consumers,
                alarms,
                tracking,
                no_load_balancer,
            )| Messaging {
                queues,
                topics,
                producers,
                request_messages,
                consumers,
                alarms,
                tracking,
                no_load_balancer,
                mode,
            },
        )
        .boxed()
}

/// Adds the messaging sections to `m`. In valid mode every reference is made to resolve: a
/// destination the model lacks becomes one it has (of the right kind for `message_groups`),
/// subscriptions to a missing queue or one of the other kind are dropped, consumers go where the
/// model has hosts, and so on. Hostile mode keeps what was drawn.
fn add_messaging(m: &mut Value, g: Messaging) {
    let mode = g.mode;
    let valid = mode == Mode::Valid;
    let queue_names: Vec<&str> = g
        .queues
        .iter()
        .filter_map(|q| q["QueueName"].as_str())
        .collect();
    let topic_names: Vec<&str> = g
        .topics
        .iter()
        .filter_map(|t| t["TopicName"].as_str())
        .collect();
    let name_of = |v: &Value| -> String {
        let s = v.as_str().unwrap_or_default();
        s.rsplit(':').next().unwrap_or(s).to_string()
    };
    let mut queues = g.queues.clone();
    let mut topics = g.topics.clone();
    if valid {
        for q in &mut queues {
            let target = q["RedrivePolicy"]["deadLetterTargetArn"].clone();
            if !target.is_null() && !queue_names.contains(&name_of(&target).as_str()) {
                q.as_object_mut().unwrap().remove("RedrivePolicy");
            }
        }
        for t in &mut topics {
            let fifo = is_fifo(t["TopicName"].as_str().unwrap());
            t["Subscriptions"].as_array_mut().unwrap().retain(|s| {
                // A FIFO topic delivers to FIFO queues only (no e-mail, no https).
                (s["Protocol"] != "sqs" && !fifo) || {
                    let q = name_of(&s["Endpoint"]);
                    queue_names.contains(&q.as_str()) && is_fifo(&q) == fifo
                }
            });
        }
    }
    // A message's destination, in valid mode: one the model has (a queue when it has no topic).
    let resolve = |msg: &mut Value| {
        if !valid {
            return;
        }
        let (kind, name) = if msg.get("queue").is_some() {
            ("queue", name_of(&msg["queue"]))
        } else {
            ("topic", name_of(&msg["topic"]))
        };
        let present = if kind == "queue" {
            queue_names.contains(&name.as_str())
        } else {
            topic_names.contains(&name.as_str())
        };
        let fifo = if present {
            is_fifo(&name)
        } else {
            let o = msg.as_object_mut().unwrap();
            o.remove(kind);
            // The same index into what the model has, so the choice stays random.
            let k = name.len();
            match topic_names.get(k % 3) {
                Some(t) if kind == "topic" => {
                    o.insert("topic".into(), json!(t));
                    is_fifo(t)
                }
                _ => {
                    let q = queue_names[k % queue_names.len()];
                    o.insert("queue".into(), json!(q));
                    is_fifo(q)
                }
            }
        };
        if !fifo {
            msg.as_object_mut().unwrap().remove("message_groups");
            if let Some(t) = msg.get_mut("message").and_then(Value::as_object_mut) {
                t.remove("message_groups");
            }
        }
    };
    let mut producers = g.producers.clone();
    for p in &mut producers {
        resolve(p);
        if valid {
            // Producers send open loop: users and websocket arrivals are for clients.
            let t = p["arrival"]["type"].clone();
            if t == "users" || t == "websocket" {
                p["arrival"] = json!({ "type": "poisson", "rate_per_second": 5 });
            }
        }
    }
    let mut request_messages = g.request_messages.clone();
    request_messages.iter_mut().for_each(resolve);

    // Hosts: the model's instances and its Auto Scaling group.
    let ids: Vec<Value> = m["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].clone())
        .collect();
    let has_asg = !m["auto_scaling_groups"].as_array().unwrap().is_empty();
    let mut consumers = Vec::new();
    for mut c in g.consumers.clone() {
        if valid {
            let q = name_of(&c["queue"]);
            if !queue_names.contains(&q.as_str()) {
                c["queue"] = json!(queue_names[q.len() % queue_names.len()]);
            }
            let o = c.as_object_mut().unwrap();
            if let Some(list) = o.get_mut("instances").and_then(Value::as_array_mut) {
                list.retain(|i| ids.contains(i));
                if list.is_empty() {
                    o.remove("instances");
                    if !has_asg {
                        continue;
                    }
                    o.insert("auto_scaling_group".into(), json!("asg"));
                }
            } else if !has_asg {
                o.remove("auto_scaling_group");
                o.insert("instances".into(), json!([ids[0].clone()]));
            }
            if o.contains_key("instances") {
                o.remove("scale_in_protection");
            }
        }
        consumers.push(c);
    }

    // Alarms and target tracking on queues act on the group.
    if has_asg {
        let group = &mut m["auto_scaling_groups"][0];
        let policies = group["Policies"].as_array_mut().unwrap();
        let has_step_or_simple = policies
            .iter()
            .any(|p| p["PolicyType"] != "TargetTrackingScaling");
        let mut alarms = g.alarms.clone();
        if valid {
            alarms.retain(|a| {
                let d = &a["Dimensions"];
                match (d["QueueName"].as_str(), d["TopicName"].as_str()) {
                    (Some(q), _) => queue_names.contains(&q),
                    (_, Some(t)) => topic_names.contains(&t),
                    _ => false,
                }
            });
        }
        let tracking = g.tracking.clone().filter(|t| {
            let spec = &t["TargetTrackingConfiguration"]["CustomizedMetricSpecification"];
            let q = spec["Dimensions"]["QueueName"]
                .as_str()
                .or(spec["Metrics"][0]["MetricStat"]["Metric"]["Dimensions"][0]["Value"].as_str())
                .unwrap_or_default();
            !valid || queue_names.contains(&q)
        });
        if has_step_or_simple || !valid {
            m["alarms"].as_array_mut().unwrap().extend(alarms);
        }
        if let Some(t) = tracking {
            // Alarms act on step and simple policies only: with target tracking there are none.
            if valid {
                m["alarms"] = json!([]);
            }
            m["auto_scaling_groups"][0]["Policies"]
                .as_array_mut()
                .unwrap()
                .push(t);
        }
    }

    // Request-path messages, spread over the clients' request types.
    let clients = m["clients"].as_array_mut().unwrap();
    for (k, msg) in request_messages.into_iter().enumerate() {
        let n_clients = clients.len();
        let c = &mut clients[k % n_clients];
        let requests = c["requests"].as_array_mut().unwrap();
        let n = requests.len();
        let r = &mut requests[k % n];
        if r.get("messages").is_none() {
            r["messages"] = json!([]);
        }
        r["messages"].as_array_mut().unwrap().push(msg);
    }

    let no_lb = g.no_load_balancer && (!valid || !producers.is_empty());
    let o = m.as_object_mut().unwrap();
    o.insert("queues".into(), Value::Array(queues));
    o.insert("topics".into(), Value::Array(topics));
    o.insert("producers".into(), Value::Array(producers));
    o.insert("consumers".into(), Value::Array(consumers));
    if no_lb {
        without_load_balancer(m, mode);
    }
}

/// A queue-and-workers model: no load balancer, clients or target groups, and nothing that
/// refers to them (in valid mode).
fn without_load_balancer(m: &mut Value, mode: Mode) {
    let o = m.as_object_mut().unwrap();
    o.remove("load_balancer");
    o.remove("clients");
    o.remove("target_groups");
    if mode == Mode::Hostile {
        return;
    }
    o.insert("operations".into(), json!([]));
    for g in m["auto_scaling_groups"].as_array_mut().unwrap() {
        let g = g.as_object_mut().unwrap();
        g.remove("TargetGroupARNs");
        g.remove("HealthCheckType");
        g["Policies"].as_array_mut().unwrap().retain(|p| {
            p["TargetTrackingConfiguration"]["PredefinedMetricSpecification"]
                ["PredefinedMetricType"]
                != "ALBRequestCountPerTarget"
        });
    }
    m["alarms"]
        .as_array_mut()
        .unwrap()
        .retain(|a| a["Dimensions"].get("TargetGroup").is_none());
    let has_policy = m["auto_scaling_groups"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| !g["Policies"].as_array().unwrap().is_empty());
    if !has_policy {
        m["alarms"] = json!([]);
    }
}

/// The generator's valid models are accepted by the loader, and they cover the messaging
/// sections: queues (standard and FIFO, with dead-letter queues), topics with filter policies,
/// producers, request-path messages, consumers on instances and on the group, queue alarms and
/// tracking, and queue-and-workers models without a load balancer.
#[test]
fn valid_models_are_accepted_and_cover_the_messaging_sections() {
    use proptest::strategy::ValueTree;
    let mut runner = crate::hostile_models::runner(1);
    let strategy = model(Mode::Valid);
    let mut rejected = Vec::new();
    let mut seen: std::collections::BTreeMap<&str, u32> = Default::default();
    let n = 400;
    for _ in 0..n {
        let m = strategy.new_tree(&mut runner).unwrap().current();
        let text = m.to_string();
        if let Err(e) = albsim::scenario::from_json(&text, std::path::Path::new("valid.json")) {
            rejected.push(format!("{e}\nmodel: {text}"));
        }
        let arr = |k: &str| {
            m.get(k)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let mut count = |what: &'static str, yes: bool| {
            if yes {
                *seen.entry(what).or_default() += 1;
            }
        };
        let queues = arr("queues");
        count("queues", !queues.is_empty());
        count("fifo queue", queues.iter().any(|q| q["FifoQueue"] == true));
        count(
            "dead-letter queue",
            queues.iter().any(|q| q.get("RedrivePolicy").is_some()),
        );
        let topics = arr("topics");
        let subs: Vec<Value> = topics
            .iter()
            .flat_map(|t| t["Subscriptions"].as_array().cloned().unwrap_or_default())
            .collect();
        count(
            "sqs subscription",
            subs.iter().any(|s| s["Protocol"] == "sqs"),
        );
        count(
            "filter policy",
            subs.iter().any(|s| s.get("FilterPolicy").is_some()),
        );
        let producers = arr("producers");
        count(
            "producer to a queue",
            producers.iter().any(|p| p.get("queue").is_some()),
        );
        count(
            "producer to a topic",
            producers.iter().any(|p| p.get("topic").is_some()),
        );
        count(
            "request-path messages",
            arr("clients").iter().any(|c| {
                c["requests"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|r| r.get("messages").is_some())
            }),
        );
        let consumers = arr("consumers");
        count(
            "consumer on instances",
            consumers.iter().any(|c| c.get("instances").is_some()),
        );
        count(
            "consumer on the group",
            consumers
                .iter()
                .any(|c| c.get("auto_scaling_group").is_some()),
        );
        count(
            "queue alarm",
            arr("alarms")
                .iter()
                .any(|a| a["Dimensions"].get("QueueName").is_some()),
        );
        count(
            "queue tracking",
            arr("auto_scaling_groups").iter().any(|g| {
                g["Policies"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["PolicyName"] == "p-queue")
            }),
        );
        count("no load balancer", m.get("load_balancer").is_none());
        count("no queues", queues.is_empty());
    }
    let mut kinds: Vec<String> = rejected
        .iter()
        .flat_map(|r| r.lines().skip(1).take_while(|l| !l.starts_with("model:")))
        .map(|l| l.chars().filter(|c| !c.is_ascii_digit()).collect())
        .collect();
    kinds.sort();
    kinds.dedup();
    assert!(
        rejected.is_empty(),
        "{} of {n} valid models rejected; problems:\n{}\nthe first:\n{}",
        rejected.len(),
        kinds.join("\n"),
        rejected[0]
    );
    let wanted = [
        "queues",
        "fifo queue",
        "dead-letter queue",
        "sqs subscription",
        "filter policy",
        "producer to a queue",
        "producer to a topic",
        "request-path messages",
        "consumer on instances",
        "consumer on the group",
        "queue alarm",
        "queue tracking",
        "no load balancer",
        "no queues",
    ];
    let missing: Vec<_> = wanted.iter().filter(|w| !seen.contains_key(*w)).collect();
    assert!(
        missing.is_empty(),
        "never generated: {missing:?} (seen: {seen:?})"
    );
}

/// How much of the messaging engine the valid models' runs reach (counts printed; ignored in
/// `cargo test`): `cargo test --release --test it messaging_reach -- --ignored --nocapture`.
#[test]
#[ignore = "a report, not a check"]
fn messaging_reach_of_valid_runs() {
    use proptest::strategy::ValueTree;
    let mut runner = crate::hostile_models::runner(1);
    let strategy = model(Mode::Valid);
    let mut seen: std::collections::BTreeMap<&str, u32> = Default::default();
    let n = crate::hostile_models::cases(300);
    for _ in 0..n {
        let text = strategy
            .new_tree(&mut runner)
            .unwrap()
            .current()
            .to_string();
        let sc = albsim::scenario::from_json(&text, std::path::Path::new("v.json")).unwrap();
        let mut opts = albsim::RunOptions {
            max_events: Some(2_000_000),
            ..Default::default()
        };
        let r = albsim::run_with(&sc, &mut opts).unwrap();
        let mut count = |what: &'static str, yes: bool| {
            if yes {
                *seen.entry(what).or_default() += 1;
            }
        };
        count("has queues", !r.queues.is_empty());
        count("sent", r.queues.iter().any(|q| q.sent > 0));
        count("deleted", r.queues.iter().any(|q| q.deleted > 0));
        count("redelivered", r.queues.iter().any(|q| q.redelivered > 0));
        count("moved to DLQ", r.queues.iter().any(|q| q.moved_to_dlq > 0));
        count("deduplicated", r.queues.iter().any(|q| q.deduplicated > 0));
        count(
            "lost by workers",
            r.queues.iter().any(|q| q.lost_by_workers > 0),
        );
        count(
            "stale deletes",
            r.queues.iter().any(|q| q.stale_deletes > 0),
        );
        count("throttled", r.queues.iter().any(|q| q.throttled_calls > 0));
        count("topic delivered", r.topics.iter().any(|t| t.delivered > 0));
        count("filtered out", r.topics.iter().any(|t| t.filtered_out > 0));
        count("processed", r.consumers.iter().any(|c| c.processed > 0));
        count("max events", r.end != albsim::RunEnd::Completed);
    }
    eprintln!("{n} valid models: {seen:?}");
}
