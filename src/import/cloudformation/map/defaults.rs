//! What a template never says, and albsim needs to run it: traffic (one client, its request mix
//! and service time), the run's length and seed, instance types and zones it cannot tell. Every
//! value here is recorded in [`Imported::assumed`](crate::import::cloudformation::Imported) by the
//! model path it fills.

use super::Ctx;
use serde_json::{Value as Json, json};

/// `AWS::Region` when the stack does not settle it.
pub const REGION: &str = "us-east-1";
/// How long the imported model runs.
pub const DURATION: &str = "30m";
/// The imported model's seed.
pub const SEED: u64 = 1;
/// The instance type of an instance the template names only by id.
pub const INSTANCE_TYPE: &str = "t3.micro";
/// Requests per second of the assumed client (Poisson arrivals).
pub const RATE_PER_SECOND: f64 = 10.0;
/// Browser sessions (cookie jars) the assumed client's requests are spread over.
pub const SESSIONS: u32 = 100;
/// Median and 99th percentile [ms] of the assumed requests' service time (lognormal).
pub const SERVICE_MEDIAN_MS: f64 = 20.0;
/// See [`SERVICE_MEDIAN_MS`].
pub const SERVICE_P99_MS: f64 = 200.0;

/// The `i`-th Availability Zone of `region` (`us-east-1a`, `us-east-1b`, …).
pub fn zone(region: &str, i: usize) -> String {
    format!("{region}{}", (b'a' + (i % 6) as u8) as char)
}

/// One assumed client sending to the first listener of `load_balancer`.
pub fn clients(cx: &mut Ctx<'_>, load_balancer: &Json) -> Json {
    let port = load_balancer["listeners"][0]["port"].clone();
    cx.assume(
        "clients[0].arrival",
        &format!("Poisson arrivals at {RATE_PER_SECOND} requests per second (the template does not describe traffic)"),
    );
    cx.assume(
        "clients[0].sessions",
        &format!(
            "{SESSIONS} browser sessions (cookie jars), so sticky sessions have clients to follow"
        ),
    );
    cx.assume(
        "clients[0].port",
        &format!("{port}, the first listener's port"),
    );
    cx.assume(
        "clients[0].requests[0]",
        &format!("GET / with a lognormal service time, median {SERVICE_MEDIAN_MS} ms, p99 {SERVICE_P99_MS} ms"),
    );
    json!([{
        "name": "assumed-clients",
        "arrival": { "type": "poisson", "rate_per_second": RATE_PER_SECOND },
        "port": port,
        "sessions": SESSIONS,
        "requests": [{
            "name": "page",
            "method": "GET",
            "path": "/",
            "service_time": { "distribution": "lognormal", "median_ms": SERVICE_MEDIAN_MS, "p99_ms": SERVICE_P99_MS }
        }]
    }])
}
