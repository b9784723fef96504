//! Speed of the engine and of the whole simulator, against a bare M/M/c loop.
//!
//! Groups (all report `Throughput::Elements`, so criterion prints elements/s):
//!
//! - `engine/queue`: [`EventQueue`] hold model — pop the earliest event, schedule one at
//!   `now + Exp(mean 1 µs)`, with about 1000 events pending. Elements = events (one pop plus one
//!   schedule each).
//! - `mmc/bare_binary_heap`: the yardstick, [`bare_mmc::run_bare_mmc`] — λ = 8000/s, mean service
//!   1 ms, c = 10, 10⁶ requests per iteration. Elements = requests.
//! - `mmc/albsim`: the same M/M/10 through the full simulator (`benches/mmc10.json`: one Poisson
//!   client, one HTTP listener, one target group, one instance with 10 vCPUs and 10 workers,
//!   125 s ≈ 10⁶ requests). Elements = `requests_total` of the run. `mmc/albsim` ÷
//!   `mmc/bare_binary_heap` is the cost of the ALB machinery per request.
//! - `quickstart/albsim`: `models/quickstart.json` end to end (run only, no report files).
//!   Elements = `requests_total`.
//! - `features/`: the cost of health checks and sticky sessions on the `mmc/albsim` model. Three
//!   variants of `benches/mmc10.json`, edited in memory so they differ only in the feature:
//!   `hc_off` (`HealthCheckEnabled: false`), `hc_5s` (health checks on, 5 s interval, the most
//!   aggressive AWS allows, with a 2 s timeout since the timeout must be shorter than the interval)
//!   and `hc_5s_sticky` (`hc_5s` plus `lb_cookie` stickiness on the target group and
//!   `sessions: 10000` on the client). Elements = `requests_total` of each variant;
//!   `hc_5s` ÷ `hc_off` and `hc_5s_sticky` ÷ `hc_off` are the features' costs per request;
//!   `asg_tt` runs the same server as the only instance of an Auto Scaling group with a target
//!   tracking policy (alarms and metrics every minute).
//! - `sqs/albsim`: the same M/M/10 as SQS messages (`benches/sqs-mmc10.json`: a Poisson producer,
//!   one queue, 10 long-polling pollers on one instance, 1 ms processing and a 1 ms API round trip
//!   per receive and per delete, ρ = 0.8, 375 s ≈ 10⁶ messages). Elements = messages deleted: each
//!   one sent, received, processed on the instance's CPU and deleted.
//! - `sweep/per_run_overhead`: what `albsim sweep` adds to each run besides simulating it, on
//!   `benches/sweep-short-runs.json`: the run's overrides and cache key, parsing and resolving
//!   its model, its record (`summary.json` rendered and parsed back, capacity over time) written
//!   whole into the cache, and its metrics read back. Elements = runs; compare with
//!   `sweep/one_run`, the simulation of the same run.
//!
//! Scenarios are parsed once, outside the timed loop; only `albsim::run` is timed.
//!
//! ```text
//! cargo bench --bench engine -- --noplot           # everything, about a minute
//! cargo bench --bench engine -- --noplot 'mmc/'    # just the M/M/c comparison
//! cargo bench --bench engine -- --noplot 'features/'  # health checks and stickiness
//! cargo bench --bench engine -- --noplot 'sweep/'  # the sweep machinery's cost per run
//! cargo bench --bench engine -- --noplot 'sqs/'    # messages through a queue and its workers
//! ```

mod bare_mmc;

use albsim::engine::{EventQueue, RngStream, SimTime};
use albsim::scenario::{self, Scenario};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// Pending events in the hold model.
const HOLD_QUEUE_SIZE: usize = 1000;
/// Hold operations (pop + schedule) per timed iteration.
const HOLD_OPS: u64 = 100_000;
/// Mean of the exponential hold time [ns].
const HOLD_MEAN_NS: f64 = 1000.0;

/// The M/M/c model shared by the bare loop and `benches/mmc10.json`.
const MMC_ARRIVAL_RATE: f64 = 8000.0;
const MMC_SERVICE_MEAN_S: f64 = 0.001;
const MMC_SERVERS: usize = 10;
const MMC_REQUESTS: u64 = 1_000_000;
const MMC_SEED: u64 = 1;

const MMC_MODEL: &str = include_str!("mmc10.json");
const QUICKSTART_MODEL: &str = include_str!("../models/quickstart.json");
const SQS_MODEL: &str = include_str!("sqs-mmc10.json");

fn load(text: &str, name: &str) -> Scenario {
    scenario::from_json(text, Path::new(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[inline(always)]
fn hold_draw(rng: &mut RngStream) -> u64 {
    (rng.exp1() * HOLD_MEAN_NS + 0.5) as u64
}

fn engine_queue(c: &mut Criterion) {
    let mut group = c.benchmark_group("engine");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(HOLD_OPS));

    let mut rng = RngStream::derive(MMC_SEED, "bench/engine/queue");
    let mut queue: EventQueue<u32> = EventQueue::with_capacity(HOLD_QUEUE_SIZE + 1);
    for i in 0..HOLD_QUEUE_SIZE as u32 {
        queue.schedule(SimTime(hold_draw(&mut rng)), i);
    }
    group.bench_function("queue", |b| {
        b.iter(|| {
            for _ in 0..HOLD_OPS {
                let (now, event) = queue.pop().expect("the hold model never empties");
                queue.schedule(SimTime(now.0 + hold_draw(&mut rng)), black_box(event));
            }
        })
    });
    group.finish();
    assert_eq!(queue.len(), HOLD_QUEUE_SIZE);
}

fn mmc(c: &mut Criterion) {
    let scenario = load(MMC_MODEL, "benches/mmc10.json");
    // Deterministic: the same count on every run.
    let albsim_requests = albsim::run(&scenario).requests_total;

    let mut group = c.benchmark_group("mmc");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));

    group.throughput(Throughput::Elements(MMC_REQUESTS));
    group.bench_function("bare_binary_heap", |b| {
        b.iter(|| {
            let r = bare_mmc::run_bare_mmc(
                black_box(MMC_ARRIVAL_RATE),
                black_box(MMC_SERVICE_MEAN_S),
                black_box(MMC_SERVERS),
                black_box(MMC_REQUESTS),
                black_box(MMC_SEED),
            );
            assert_eq!(r.completed, MMC_REQUESTS);
            r
        })
    });

    group.throughput(Throughput::Elements(albsim_requests));
    group.bench_function("albsim", |b| {
        b.iter(|| {
            let r = albsim::run(black_box(&scenario));
            assert_eq!(r.requests_total, albsim_requests);
            r
        })
    });
    group.finish();
}

fn sqs(c: &mut Criterion) {
    let scenario = load(SQS_MODEL, "benches/sqs-mmc10.json");
    let deleted = albsim::run(&scenario).queues[0].deleted;
    let mut group = c.benchmark_group("sqs");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(6));
    group.throughput(Throughput::Elements(deleted));
    group.bench_function("albsim", |b| {
        b.iter(|| {
            let r = albsim::run(black_box(&scenario));
            assert_eq!(r.queues[0].deleted, deleted);
            r
        })
    });
    group.finish();
}

fn quickstart(c: &mut Criterion) {
    let scenario = load(QUICKSTART_MODEL, "models/quickstart.json");
    let requests = albsim::run(&scenario).requests_total;

    let mut group = c.benchmark_group("quickstart");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(requests));
    group.bench_function("albsim", |b| {
        b.iter(|| {
            let r = albsim::run(black_box(&scenario));
            assert_eq!(r.requests_total, requests);
            r
        })
    });
    group.finish();
}

/// `benches/mmc10.json` with its one target group and its one client edited by `edit`.
fn mmc_variant(edit: impl FnOnce(&mut Value, &mut Value)) -> String {
    let mut model: Value = serde_json::from_str(MMC_MODEL).expect("benches/mmc10.json is JSON");
    let mut tg = model["target_groups"][0].take();
    let mut client = model["clients"][0].take();
    edit(&mut tg, &mut client);
    model["target_groups"][0] = tg;
    model["clients"][0] = client;
    model.to_string()
}

fn features(c: &mut Criterion) {
    let hc_off = mmc_variant(|tg, _| {
        tg["health_check"] = json!({ "HealthCheckEnabled": false });
    });
    let hc_5s = mmc_variant(|tg, _| {
        tg["health_check"] =
            json!({ "HealthCheckIntervalSeconds": 5, "HealthCheckTimeoutSeconds": 2 });
    });
    let hc_5s_sticky = mmc_variant(|tg, client| {
        tg["health_check"] =
            json!({ "HealthCheckIntervalSeconds": 5, "HealthCheckTimeoutSeconds": 2 });
        tg["attributes"] = json!({
            "stickiness.enabled": "true",
            "stickiness.type": "lb_cookie",
        });
        client["sessions"] = json!(10_000);
    });

    // The same single server, launched by an Auto Scaling group (MinSize = MaxSize = 1) with a
    // target tracking policy evaluated every minute: the cost of alarms, metrics and the group's
    // bookkeeping on the request path.
    let asg_tt = {
        let mut model: Value = serde_json::from_str(MMC_MODEL).expect("benches/mmc10.json is JSON");
        let instance = model["instances"][0].take();
        model["instances"] = json!([]);
        model["target_groups"][0]["targets"] = json!([]);
        model["auto_scaling_groups"] = json!([{
            "AutoScalingGroupName": "mmc-asg", "MinSize": 1, "MaxSize": 1, "DesiredCapacity": 1,
            "LaunchTemplate": { "instance_type": instance["instance_type"], "workers": instance["workers"],
                                "backlog": instance["backlog"], "detailed_monitoring": true },
            "AvailabilityZones": ["us-east-1a"], "TargetGroupARNs": ["tg"],
            "Policies": [{ "PolicyName": "cpu80", "PolicyType": "TargetTrackingScaling",
                "TargetTrackingConfiguration": {
                    "PredefinedMetricSpecification": { "PredefinedMetricType": "ASGAverageCPUUtilization" },
                    "TargetValue": 80 } }]
        }]);
        model.to_string()
    };

    let mut group = c.benchmark_group("features");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    for (name, text) in [
        ("hc_off", hc_off),
        ("hc_5s", hc_5s),
        ("hc_5s_sticky", hc_5s_sticky),
        ("asg_tt", asg_tt),
    ] {
        let scenario = load(&text, &format!("benches/mmc10.json ({name})"));
        let requests = albsim::run(&scenario).requests_total;
        group.throughput(Throughput::Elements(requests));
        group.bench_function(name, |b| {
            b.iter(|| {
                let r = albsim::run(black_box(&scenario));
                assert_eq!(r.requests_total, requests);
                r
            })
        });
    }
    group.finish();
}

/// The sweep machinery's cost per run against the run itself.
fn sweep(c: &mut Criterion) {
    use albsim::experiment::cache::{RunKey, RunRecord};
    use albsim::experiment::{RunId, outcome, spec};
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/sweep-short-runs.json");
    let exp = spec::load(&file).unwrap_or_else(|e| panic!("{e}"));
    let run = RunId {
        point: exp.points.len() / 2,
        replication: 0,
    };
    let variant = &exp.variants[0];
    let base: Value = serde_json::from_str(&variant.text).unwrap();
    let scenario = scenario::from_json_with(&variant.text, &variant.file, &exp.overrides_of(run))
        .unwrap_or_else(|e| panic!("{e}"));
    let result = albsim::run(&scenario);
    let cache = tempfile_dir();

    let mut group = c.benchmark_group("sweep");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(1));
    group.bench_function("per_run_overhead", |b| {
        b.iter(|| {
            let overrides = exp.overrides_of(black_box(run));
            let key = RunKey::of(&base, &overrides).unwrap();
            let sc = scenario::from_json_with(&variant.text, &variant.file, &overrides).unwrap();
            let record = RunRecord::of(key.clone(), run, black_box(&result));
            let path = cache.join(key.file_name());
            std::fs::write(cache.join("tmp"), record.to_bytes()).unwrap();
            std::fs::rename(cache.join("tmp"), &path).unwrap();
            let bytes = std::fs::read(&path).unwrap();
            let back = RunRecord::from_bytes(&bytes, &key).unwrap();
            (sc.seed, outcome::of(&exp, run, &back))
        })
    });
    group.bench_function("one_run", |b| b.iter(|| albsim::run(black_box(&scenario))));
    group.finish();
    let _ = std::fs::remove_dir_all(&cache);
}

/// A fresh folder for the bench's cache files, under target/.
fn tempfile_dir() -> std::path::PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-sweep-cache");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

criterion_group!(benches, engine_queue, mmc, sqs, quickstart, features, sweep);
criterion_main!(benches);
