//! Model builders: pieces of a model as JSON values in AWS spelling (instances, target groups,
//! listeners, clients, health checks, Auto Scaling groups and policies) and whole models.

use super::results::status;
use super::running::run_json;
use super::stats::R;
use super::timing::CHECK_MS;
use albsim::RunResult;
use serde_json::{Value, json};

/// Exponential service time with mean `mean_ms`.
pub fn exponential_ms(mean_ms: f64) -> Value {
    json!({ "distribution": "exponential", "mean_ms": mean_ms })
}

/// Constant service time.
pub fn constant_ms(ms: f64) -> Value {
    json!({ "distribution": "constant", "ms": ms })
}

/// A user-defined instance type `test.c<vcpus>` with `vcpus` vCPUs.
pub fn test_type(vcpus: u32) -> Value {
    json!({ "name": format!("test.c{vcpus}"), "vcpus": vcpus, "memory_gib": 8, "price_per_hour": 0.1 })
}

/// An instance that never refuses work (huge backlog).
pub fn instance(id: &str, instance_type: &str, workers: u32) -> Value {
    json!({ "id": id, "instance_type": instance_type, "availability_zone": "us-east-1a",
            "workers": workers, "backlog": 10_000_000 })
}

/// A target group over `targets` with `algorithm` (`load_balancing.algorithm.type`).
pub fn group(name: &str, targets: &[&str], algorithm: &str) -> Value {
    json!({ "name": name, "port": 8080, "protocol": "HTTP",
            "attributes": { "load_balancing.algorithm.type": algorithm },
            "targets": targets })
}

/// `forward` to one target group.
pub fn forward(tg: &str) -> Value {
    json!({ "type": "forward", "target_group": tg })
}

/// An HTTP listener on port 80 with `rules` and a default `forward` to `default_tg`.
pub fn http_listener(rules: Value, default_tg: &str) -> Value {
    json!({ "port": 80, "protocol": "HTTP", "rules": rules, "default_actions": [forward(default_tg)] })
}

/// A client with one request type (`GET /`) and `arrival` (`{"type": …}`).
pub fn client(name: &str, arrival: Value, service: Value) -> Value {
    json!({ "name": name, "arrival": arrival,
            "requests": [ { "name": "r", "service_time": service } ] })
}

/// Poisson arrivals at `rate` per second.
pub fn poisson(rate: f64) -> Value {
    json!({ "type": "poisson", "rate_per_second": rate })
}

/// Evenly spaced arrivals at `rate` per second.
pub fn constant_rate(rate: f64) -> Value {
    json!({ "type": "constant", "rate_per_second": rate })
}

/// A whole model. The ALB idle timeout is the maximum (4000 s) so that nothing times out unless a
/// test lowers it, and the listener list is taken as given.
pub fn model(
    name: &str,
    seed: u64,
    seconds: f64,
    clients: Value,
    listeners: Value,
    groups: Value,
    instances: Value,
) -> Value {
    json!({
        "name": name,
        "duration": seconds,
        "seed": seed,
        "instance_types": [test_type(1), test_type(2), test_type(4), test_type(10)],
        "clients": clients,
        "load_balancer": {
            "name": "lb",
            "attributes": { "idle_timeout.timeout_seconds": 4000 },
            "listeners": listeners
        },
        "target_groups": groups,
        "instances": instances
    })
}

/// A single queue: Poisson arrivals at `lambda` per second into one instance with `vcpus` vCPUs
/// and `workers` workers (FCFS backlog that never refuses), service time `service`.
pub struct Queue {
    /// Arrival rate [1/s].
    pub lambda: f64,
    /// Service-time distribution (JSON).
    pub service: Value,
    /// vCPUs of the instance (1, 2, 4 or 10: the test types).
    pub vcpus: u32,
    /// Requests processed at once.
    pub workers: u32,
    /// Simulated time [s].
    pub seconds: f64,
}

impl Queue {
    /// The model as JSON text, for master seed `seed`.
    pub fn json(&self, seed: u64) -> String {
        let itype = format!("test.c{}", self.vcpus);
        model(
            "queue",
            seed,
            self.seconds,
            json!([client("c", poisson(self.lambda), self.service.clone())]),
            json!([http_listener(json!([]), "tg")]),
            json!([group("tg", &["i-1"], "round_robin")]),
            json!([instance("i-1", &itype, self.workers)]),
        )
        .to_string()
    }

    /// Runs replications with seeds 1..=R and maps each result with `f`.
    pub fn replicate(&self, mut f: impl FnMut(&RunResult) -> f64) -> Vec<f64> {
        (1..=R)
            .map(|seed| {
                let r = run_json(&self.json(seed));
                assert_eq!(
                    r.responses(),
                    status(&r, 200),
                    "a queue with a huge backlog and no timeout answers only 200: {:?}",
                    r.by_status
                );
                f(&r)
            })
            .collect()
    }
}

/// A `health_check` object in AWS spelling. `first_check_delay` (an albsim setting; `None`: random
/// within one interval) applies to load balancer node 0, whose results drive the target's state,
/// so with `Some(d)` node 0 checks at `registration + d + k·interval` exactly.
pub fn health_check(
    interval: u32,
    timeout: u32,
    healthy: u32,
    unhealthy: u32,
    first_check_delay: Option<f64>,
) -> Value {
    let mut hc = json!({
        "HealthCheckIntervalSeconds": interval,
        "HealthCheckTimeoutSeconds": timeout,
        "HealthyThresholdCount": healthy,
        "UnhealthyThresholdCount": unhealthy,
        "service_time": constant_ms(CHECK_MS)
    });
    if let Some(d) = first_check_delay {
        hc["first_check_delay"] = json!(d);
    }
    hc
}

/// `group` (see [`group`]) with a `health_check` object.
pub fn checked_group(name: &str, targets: &[&str], hc: Value) -> Value {
    let mut g = group(name, targets, "round_robin");
    g["health_check"] = hc;
    g
}

/// An instance (see [`instance`]) in Availability Zone `az`.
pub fn instance_in(id: &str, instance_type: &str, workers: u32, az: &str) -> Value {
    let mut i = instance(id, instance_type, workers);
    i["availability_zone"] = json!(az);
    i
}

/// A `schedule` arrival with evenly spaced (`constant`) arrivals: `steps` are (time [s], rate
/// [1/s]) pairs, each rate holding until the next step.
pub fn constant_steps(steps: &[(f64, f64)]) -> Value {
    let steps: Vec<Value> = steps
        .iter()
        .map(|&(at, rate)| json!({ "at": format!("{at}s"), "rate_per_second": rate }))
        .collect();
    json!({ "type": "schedule", "process": "constant", "steps": steps })
}

/// A `LaunchTemplate` with a constant launch time of `launch_s` seconds (so lifecycle times are
/// exact), `workers` workers and 1-minute (`detailed`) or 5-minute CPU monitoring.
pub fn launch_template(instance_type: &str, workers: u32, detailed: bool, launch_s: f64) -> Value {
    json!({ "instance_type": instance_type, "workers": workers, "backlog": 10_000_000,
            "detailed_monitoring": detailed,
            "launch_time": constant_ms(launch_s * 1000.0) })
}

/// An Auto Scaling group in one Availability Zone (`us-east-1a`) registering with `groups`.
pub fn auto_scaling_group(
    name: &str,
    (min, max, desired): (u32, u32, u32),
    template: Value,
    groups: &[&str],
) -> Value {
    json!({ "AutoScalingGroupName": name, "MinSize": min, "MaxSize": max,
            "DesiredCapacity": desired, "LaunchTemplate": template,
            "AvailabilityZones": ["us-east-1a"], "TargetGroupARNs": groups })
}

/// A target tracking policy on `ASGAverageCPUUtilization`.
pub fn cpu_target_tracking(name: &str, target: f64) -> Value {
    json!({ "PolicyName": name, "PolicyType": "TargetTrackingScaling",
            "TargetTrackingConfiguration": {
                "PredefinedMetricSpecification": { "PredefinedMetricType": "ASGAverageCPUUtilization" },
                "TargetValue": target } })
}

/// A model with Auto Scaling groups: one listener forwarding to `default_tg`, the test instance
/// types (`test.c1` … `test.c10` at $0.1/h), and the ALB idle timeout at its maximum.
pub fn asg_model(
    name: &str,
    seconds: f64,
    clients: Value,
    default_tg: &str,
    groups: Value,
    instances: Value,
    asgs: Value,
) -> Value {
    let mut m = model(
        name,
        1,
        seconds,
        clients,
        json!([http_listener(json!([]), default_tg)]),
        groups,
        instances,
    );
    m["auto_scaling_groups"] = asgs;
    m
}
