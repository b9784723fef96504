use super::*;
use serde_json::json;

/// A model with target group `web` (instances `web-1`, `web-2`) and an Auto Scaling group
/// `web-asg` registering with `pool`; no WebSocket clients.
fn scenario() -> Scenario {
    let text = r#"{ "name": "m", "duration": "1m",
        "clients": [{ "name": "c", "arrival": { "type": "constant", "rate_per_second": 1 },
                      "requests": [{ "name": "r", "service_time": { "distribution": "constant", "ms": 1 } }] }],
        "load_balancer": { "name": "lb", "listeners": [{ "port": 80, "protocol": "HTTP",
            "default_actions": [{ "type": "forward", "target_group": "web" }] }] },
        "target_groups": [{ "name": "web", "port": 80, "protocol": "HTTP", "targets": ["web-1", "web-2"] },
                          { "name": "pool", "port": 80, "protocol": "HTTP" }],
        "instances": [{ "id": "web-1", "instance_type": "t3.micro", "availability_zone": "us-east-1a" },
                      { "id": "web-2", "instance_type": "t3.micro", "availability_zone": "us-east-1a" }],
        "auto_scaling_groups": [{ "AutoScalingGroupName": "web-asg", "MinSize": 1, "MaxSize": 3,
            "DesiredCapacity": 1, "LaunchTemplate": { "instance_type": "t3.micro" },
            "AvailabilityZones": ["us-east-1a"], "TargetGroupARNs": ["pool"] }] }"#;
    crate::scenario::from_json(text, std::path::Path::new("m.json")).expect("test model")
}

/// The same model without the Auto Scaling group.
fn static_scenario() -> Scenario {
    let mut sc = scenario();
    sc.auto_scaling_groups.clear();
    sc
}

fn check(path: &str) -> Result<(), String> {
    SummaryPath::parse(path)?.check(&scenario())
}

#[test]
fn the_paths_of_the_brief_are_valid_and_print_back() {
    for path in [
        "latency_ms.p99",
        "requests.by_status.502",
        "target_groups.web.latency_ms.p99",
        "target_groups.web.stickiness.share",
        "auto_scaling_groups[name=web-asg].instance_hours",
        "auto_scaling_groups[0].scale_out_activities",
        "auto_scaling_groups[0].seconds_from_load_end_to_starting_capacity",
        "instances[id=web-1].cpu_utilization",
        "instances[id=web-asg-0002].requests_completed",
        "instances[7].terminated_seconds",
        "cost.total",
        "load_ends_seconds",
        "partial.simulated_seconds_reached",
    ] {
        assert_eq!(check(path), Ok(()), "{path}");
        assert_eq!(SummaryPath::parse(path).unwrap().to_string(), path);
    }
}

#[test]
fn an_unknown_field_names_the_segment_and_what_is_known() {
    assert_eq!(
        check("latency_ms.p98"),
        Err(
            "latency_ms.p98: no field 'p98' in latency_ms; known: mean, p50, p90, p99, p999, max"
                .into()
        )
    );
    let top = check("latency.p99").unwrap_err();
    assert!(
        top.starts_with("latency: no field 'latency' in summary.json; known: seed, duration_seconds, load_ends_seconds, partial, requests, latency_ms,"),
        "{top}"
    );
    assert_eq!(
        check("cost.ec2_usd"),
        Err("cost.ec2_usd: no field 'ec2_usd' in cost; known: ec2, alb, total, instance_hours, lcu_hours".into())
    );
    // Text fields are not metrics.
    assert!(
        check("model")
            .unwrap_err()
            .starts_with("model: no field 'model' in summary.json")
    );
}

#[test]
fn unknown_names_say_which_the_model_has() {
    assert_eq!(
        check("auto_scaling_groups[name=api].instance_hours"),
        Err("auto_scaling_groups[name=api]: no Auto Scaling group 'api' in the model; known: web-asg".into())
    );
    assert_eq!(
        check("target_groups.api.requests"),
        Err("target_groups.api: no target group 'api' in the model; known: web, pool".into())
    );
    assert_eq!(
        check("instances[id=db-1].cpu_utilization"),
        Err("instances[id=db-1]: no instance 'db-1' in the model; known: web-1, web-2, and those Auto Scaling groups launch (web-asg-0001, …)".into())
    );
    assert_eq!(
        check("auto_scaling_groups[id=web-asg].instance_hours"),
        Err("auto_scaling_groups[id=web-asg]: Auto Scaling groups are picked by name ([name=…]) or by position ([0]), not by id".into())
    );
    assert_eq!(
        check("requests.by_status.5xx"),
        Err("requests.by_status.5xx: expected an HTTP status code from 100 to 599 (requests.by_status.502), got '5xx'".into())
    );
}

#[test]
fn an_index_past_the_groups_is_an_error() {
    assert_eq!(
        check("auto_scaling_groups[1].instance_hours"),
        Err("auto_scaling_groups[1]: no Auto Scaling group at index 1; the model has 1 Auto Scaling group (index 0)".into())
    );
    // Without Auto Scaling groups, instances are the model's: an index past them is an error too.
    let path = SummaryPath::parse("instances[2].cpu_utilization").unwrap();
    assert_eq!(
        path.check(&static_scenario()),
        Err("instances[2]: no instance at index 2; the model has 2 instances (indexes 0–1)".into())
    );
    let path = SummaryPath::parse("auto_scaling_groups[0].instance_hours").unwrap();
    assert_eq!(
        path.check(&static_scenario()),
        Err("auto_scaling_groups: the model has no Auto Scaling groups (summary.json has auto_scaling_groups only with them)".into())
    );
}

#[test]
fn sections_the_model_cannot_have_are_errors() {
    assert_eq!(
        check("websockets.opened"),
        Err("websockets: the model has no WebSocket clients (summary.json has websockets only with them)".into())
    );
}

#[test]
fn a_path_to_an_object_says_which_numbers_are_in_it() {
    assert_eq!(
        check("latency_ms"),
        Err("latency_ms: an object, not a number; the numbers in it: mean, p50, p90, p99, p999, max".into())
    );
    assert_eq!(
        check("requests.by_status"),
        Err("requests.by_status: a map keyed by HTTP status code, not a number; pick one (requests.by_status.502)".into())
    );
    let groups = check("auto_scaling_groups").unwrap_err();
    assert!(
        groups.starts_with("auto_scaling_groups: a list of Auto Scaling groups, not a number; pick one (auto_scaling_groups[name=web-asg] or auto_scaling_groups[0]); the numbers in each: starting_capacity, instance_hours,"),
        "{groups}"
    );
    assert_eq!(
        check("auto_scaling_groups.instance_hours"),
        Err("auto_scaling_groups.instance_hours: auto_scaling_groups is a list of Auto Scaling groups; pick one first: auto_scaling_groups[name=web-asg] or auto_scaling_groups[0]".into())
    );
    assert_eq!(
        check("cost.total.usd"),
        Err("cost.total.usd: cost.total is a number; there is nothing inside it".into())
    );
    assert_eq!(
        check("target_groups[0].requests"),
        Err("target_groups[0]: target_groups is keyed by target group name, not a list: write target_groups.web".into())
    );
    assert_eq!(
        check("latency_ms[0]"),
        Err("latency_ms[0]: latency_ms is an object, not a list; pick a field: mean, p50, p90, p99, p999, max".into())
    );
}

#[test]
fn bad_syntax_is_refused_by_the_override_path_reader() {
    assert!(SummaryPath::parse("latency_ms..p99").is_err());
    assert!(SummaryPath::parse("auto_scaling_groups[name=web").is_err());
    assert!(SummaryPath::parse("").is_err());
}

fn summary() -> Value {
    json!({
        "requests": { "total": 10, "by_status": { "200": 7, "502": 3 } },
        "latency_ms": null,
        "target_groups": { "web": { "requests": 4, "latency_ms": { "p99": 12.5 } } },
        "instances": [ { "id": "web-1", "cpu_utilization": 31.5, "terminated_seconds": null },
                       { "id": "web-asg-0001", "cpu_utilization": 2.0 } ],
        "auto_scaling_groups": [ { "name": "web-asg", "instance_hours": 2.5 } ],
        "cost": { "total": 0.25 }
    })
}

fn read(path: &str) -> Option<f64> {
    SummaryPath::parse(path).unwrap().read(&summary())
}

#[test]
fn read_takes_the_number_at_the_path() {
    assert_eq!(read("requests.total"), Some(10.0));
    assert_eq!(read("requests.by_status.502"), Some(3.0));
    assert_eq!(read("target_groups.web.latency_ms.p99"), Some(12.5));
    assert_eq!(
        read("instances[id=web-asg-0001].cpu_utilization"),
        Some(2.0)
    );
    assert_eq!(read("instances[0].cpu_utilization"), Some(31.5));
    assert_eq!(
        read("auto_scaling_groups[name=web-asg].instance_hours"),
        Some(2.5)
    );
    assert_eq!(read("auto_scaling_groups[0].instance_hours"), Some(2.5));
    assert_eq!(read("cost.total"), Some(0.25));
}

#[test]
fn absent_status_codes_read_zero_and_null_reads_none() {
    // No 504 response: a count of 0.
    assert_eq!(read("requests.by_status.504"), Some(0.0));
    // Null: no value.
    assert_eq!(read("latency_ms.p99"), None);
    assert_eq!(read("instances[0].terminated_seconds"), None);
    // Not there: an instance never launched, a group's field a run does not have.
    assert_eq!(read("instances[id=web-asg-0009].cpu_utilization"), None);
    assert_eq!(read("instances[5].cpu_utilization"), None);
    assert_eq!(read("target_groups.web.stickiness.share"), None);
    // A text is not a number.
    assert_eq!(read("instances[0].id"), None);
}
