//! A structure-aware model generator (proptest strategies): models of the right shape — clients
//! with every arrival type, listeners with rules, conditions and every action, target groups with
//! attributes and health checks, instances, custom instance types, faults, operations, Auto
//! Scaling groups with every policy type, scheduled actions, lifecycle hooks and alarms.
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
    )
        .prop_map(
            move |(
                (name, duration, seed, period, clients),
                (http, https, idle, keep_alive),
                (tg_a, tg_b, instances, faults, operations, asg),
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
                obj(vec![
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
                ])
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
    for tg in m["target_groups"].as_array_mut().unwrap() {
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
    for c in m["clients"].as_array_mut().unwrap() {
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
