//! Listener rule conditions end to end: each rule routes matching request types to its own
//! target group, and the per-group response counts must be exactly what the conditions say.
//! One condition kind per test (path-pattern `*` and `?`, host-header, http-header,
//! http-request-method, query-string with and without key, source-ip CIDR), plus rule priority
//! (lowest number wins, whatever the order in the file) and AND of conditions.
//!
//! Method: one client per case, all with the same evenly spaced arrivals, so every client sends
//! the same number n of requests; group g must receive exactly n × (cases expected in g).

use crate::common::{
    client, constant_ms, constant_rate, forward, group, http_listener, instance, model, run_value,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A request type (fields of `requests[]`), the client's extra fields, and the expected group.
struct Case {
    request: Value,
    client: Value,
    expect: &'static str,
}

fn case(request: Value, expect: &'static str) -> Case {
    Case {
        request,
        client: json!({}),
        expect,
    }
}

fn from_ip(ip: &str, expect: &'static str) -> Case {
    Case {
        request: json!({}),
        client: json!({ "source_ip": ip }),
        expect,
    }
}

/// A rule: priority, conditions, forward to `tg`.
fn rule(priority: u32, conditions: Value, tg: &str) -> Value {
    json!({ "priority": priority, "conditions": conditions, "actions": [forward(tg)] })
}

/// Runs `cases` against a listener with `rules` (default: forward to `default`) and checks the
/// per-group counts.
fn check_routes(rules: Value, cases: &[Case]) {
    let mut names: Vec<&str> = cases.iter().map(|c| c.expect).collect();
    names.push("default");
    names.sort_unstable();
    names.dedup();
    for r in rules.as_array().unwrap() {
        let tg = r["actions"][0]["target_group"].as_str().unwrap();
        assert!(
            names.contains(&tg),
            "every rule's group should be expected by a case: {tg}"
        );
    }
    let groups: Vec<Value> = names
        .iter()
        .map(|g| group(g, &[&format!("i-{g}")], "round_robin"))
        .collect();
    let instances: Vec<Value> = names
        .iter()
        .map(|g| instance(&format!("i-{g}"), "test.c4", 4))
        .collect();
    let clients: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut cl = client(&format!("c{i}"), constant_rate(5.0), constant_ms(1.0));
            for (k, v) in c.request.as_object().unwrap() {
                cl["requests"][0][k] = v.clone();
            }
            for (k, v) in c.client.as_object().unwrap() {
                cl[k] = v.clone();
            }
            cl
        })
        .collect();
    let m = model(
        "rules",
        1,
        10.0,
        Value::Array(clients),
        json!([http_listener(rules, "default")]),
        Value::Array(groups),
        Value::Array(instances),
    );
    let r = run_value(&m);
    assert_eq!(r.in_flight_at_end(), 0);
    let k = cases.len() as u64;
    assert_eq!(
        r.requests_total % k,
        0,
        "every client sends the same number"
    );
    let n = r.requests_total / k;
    assert!(n > 0);
    let mut expected: BTreeMap<String, u64> = names.iter().map(|g| (g.to_string(), 0)).collect();
    for c in cases {
        *expected.get_mut(c.expect).unwrap() += n;
    }
    let got: BTreeMap<String, u64> = r
        .target_groups
        .iter()
        .map(|(g, res)| (g.clone(), res.requests))
        .collect();
    assert_eq!(got, expected, "responses per target group ({n} per case)");
}

#[test]
fn path_pattern_star_and_question_mark_case_sensitive() {
    check_routes(
        json!([
            rule(
                10,
                json!([{ "field": "path-pattern", "values": ["/img/?.png"] }]),
                "one_char"
            ),
            rule(
                20,
                json!([{ "field": "path-pattern", "values": ["/api/*"] }]),
                "api"
            )
        ]),
        &[
            case(json!({ "path": "/img/a.png" }), "one_char"),
            case(json!({ "path": "/img/ab.png" }), "default"),
            case(json!({ "path": "/img/.png" }), "default"),
            case(json!({ "path": "/api/items" }), "api"),
            case(json!({ "path": "/api/" }), "api"),
            case(json!({ "path": "/api" }), "default"),
            case(json!({ "path": "/API/items" }), "default"),
        ],
    );
}

#[test]
fn host_header_wildcard_is_case_insensitive() {
    check_routes(
        json!([rule(
            1,
            json!([{ "field": "host-header", "values": ["*.example.com"] }]),
            "sub"
        )]),
        &[
            case(json!({ "host": "api.example.com" }), "sub"),
            case(json!({ "host": "API.Example.COM" }), "sub"),
            case(json!({ "host": "example.com" }), "default"),
            case(json!({ "host": "api.example.org" }), "default"),
        ],
    );
}

#[test]
fn http_header_name_and_value_are_case_insensitive() {
    check_routes(
        json!([rule(
            1,
            json!([{ "field": "http-header", "http_header_name": "User-Agent",
                                  "values": ["*Mobile*"] }]),
            "mobile"
        )]),
        &[
            case(
                json!({ "headers": { "user-agent": "Foo mobile/1.0" } }),
                "mobile",
            ),
            case(json!({ "headers": { "User-Agent": "Desktop" } }), "default"),
            case(json!({ "headers": { "X-Other": "Mobile" } }), "default"),
            case(json!({}), "default"),
        ],
    );
}

#[test]
fn http_request_method_matches_any_listed_method() {
    check_routes(
        json!([rule(
            1,
            json!([{ "field": "http-request-method", "values": ["POST", "PUT"] }]),
            "write"
        )]),
        &[
            case(json!({ "method": "POST" }), "write"),
            case(json!({ "method": "PUT" }), "write"),
            case(json!({ "method": "GET" }), "default"),
            case(json!({ "method": "DELETE" }), "default"),
        ],
    );
}

#[test]
fn query_string_with_and_without_key() {
    check_routes(
        json!([
            rule(
                10,
                json!([{ "field": "query-string", "values": [{ "key": "version", "value": "v2" }] }]),
                "keyed"
            ),
            rule(
                20,
                json!([{ "field": "query-string", "values": [{ "value": "beta" }] }]),
                "any_key"
            )
        ]),
        &[
            case(json!({ "query": { "version": "v2" } }), "keyed"),
            case(json!({ "query": { "VERSION": "V2" } }), "keyed"),
            case(json!({ "query": { "version": "v1" } }), "default"),
            case(json!({ "query": { "channel": "beta" } }), "any_key"),
            case(json!({ "query": { "version": "beta" } }), "any_key"),
            case(json!({}), "default"),
        ],
    );
}

#[test]
fn source_ip_cidr_blocks_v4_and_v6() {
    check_routes(
        json!([rule(
            1,
            json!([{ "field": "source-ip", "values": ["10.0.0.0/8", "2001:db8::/32"] }]),
            "internal"
        )]),
        &[
            from_ip("10.1.2.3", "internal"),
            from_ip("2001:db8::5", "internal"),
            from_ip("11.0.0.1", "default"),
            from_ip("192.168.1.1", "default"),
            case(json!({}), "default"), // the default client address, 203.0.113.10
        ],
    );
}

/// Rules are evaluated by ascending priority, not by their order in the file.
#[test]
fn lowest_priority_number_wins() {
    check_routes(
        json!([
            rule(
                100,
                json!([{ "field": "path-pattern", "values": ["/x/*"] }]),
                "late"
            ),
            rule(
                50,
                json!([{ "field": "http-request-method", "values": ["POST"] }]),
                "post"
            ),
            rule(
                5,
                json!([{ "field": "path-pattern", "values": ["/x/special"] }]),
                "early"
            )
        ]),
        &[
            case(json!({ "path": "/x/special" }), "early"),
            case(json!({ "path": "/x/special", "method": "POST" }), "early"),
            case(json!({ "path": "/x/other", "method": "POST" }), "post"),
            case(json!({ "path": "/x/other" }), "late"),
        ],
    );
}

/// All conditions of a rule must match.
#[test]
fn conditions_of_a_rule_are_and_ed() {
    check_routes(
        json!([rule(
            1,
            json!([
                { "field": "path-pattern", "values": ["/a/*"] },
                { "field": "http-request-method", "values": ["POST"] }
            ]),
            "both"
        )]),
        &[
            case(json!({ "path": "/a/1", "method": "POST" }), "both"),
            case(json!({ "path": "/a/1" }), "default"),
            case(json!({ "path": "/b", "method": "POST" }), "default"),
        ],
    );
}
