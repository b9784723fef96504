//! Open-loop arrival shapes through the whole pipeline, counted by the CSV's `RequestCount`:
//! `schedule` (steps and ramps), `spike` and `diurnal`. With Poisson spacing a count over a window
//! is Poisson with mean ∫λ(t)dt (checked within a 99.9 % interval); with `constant` spacing it is
//! ∫λ(t)dt to within one request.

use crate::common::{
    Csv, assert_poisson, client, constant_ms, group, http_listener, instance, model, run_value,
};
use serde_json::{Value, json};

/// One client with `arrival`, `seconds` long, metric period `period` seconds.
fn counts(arrival: Value, seconds: f64, period: u32) -> Vec<u64> {
    let mut m = model(
        "arrivals",
        4,
        seconds,
        json!([client("c", arrival, constant_ms(1.0))]),
        json!([http_listener(json!([]), "tg")]),
        json!([group("tg", &["i-1"], "round_robin")]),
        json!([instance("i-1", "test.c10", 100)]),
    );
    m["metrics"] = json!({ "period": period });
    let r = run_value(&m);
    let c: Vec<u64> = Csv::of(&r)
        .column("RequestCount")
        .iter()
        .map(|&x| x as u64)
        .collect();
    assert_eq!(c.iter().sum::<u64>(), r.requests_total);
    c
}

#[test]
fn constant_spaced_schedule_steps_and_ramps_are_exact() {
    // 10/s from 0 s, 20/s from 60 s, then a ramp from 20/s to 40/s over 120–180 s.
    let arrival = json!({ "type": "schedule", "process": "constant", "steps": [
        { "at": 0, "rate_per_second": 10 },
        { "at": 60, "rate_per_second": 20 },
        { "at": 120, "rate_per_second": 40, "ramp": 60 } ] });
    let c = counts(arrival, 240.0, 60);
    // ∫λ over each minute: 600, 1200, (20 + 40)/2·60 = 1800, 2400.
    for (got, want) in c.iter().zip([600, 1200, 1800, 2400]) {
        assert!(got.abs_diff(want) <= 1, "{c:?}");
    }
}

#[test]
fn poisson_spike_counts_follow_the_integrated_rate() {
    // Base 50/s; spike to 200/s at 300 s for 120 s with 30 s ramps: plateau 330–390 s.
    let arrival = json!({ "type": "spike", "base_rate_per_second": 50, "spike_rate_per_second": 200,
                          "at": 300, "duration": 120, "ramp": 30 });
    let c = counts(arrival, 900.0, 30);
    // Total: 50·900 + 150·(60 + 2·15) = 58 500.
    assert_poisson(c.iter().sum(), 58_500.0, "spike total");
    assert_poisson(c[11] + c[12], 12_000.0, "plateau 330–390 s");
    assert_poisson(c[0..10].iter().sum(), 15_000.0, "before the spike");
    assert_poisson(c[10], 50.0 * 30.0 + 150.0 * 15.0, "ramp up 300–330 s");
}

#[test]
fn poisson_diurnal_cycle_integrates_to_its_mean_rate() {
    // 10…110/s over a 1 h cycle peaking at 30 min: over a whole cycle the mean rate is 60/s;
    // over the 20 min around the peak it is 60 + 50·sin(π/3)/(π/3) ≈ 101.35/s.
    let arrival = json!({ "type": "diurnal", "min_rate_per_second": 10, "max_rate_per_second": 110,
                          "period": "1h", "peak_at": "30m" });
    let c = counts(arrival, 3600.0, 60);
    assert_poisson(c.iter().sum(), 60.0 * 3600.0, "one full cycle");
    let peak_rate = 60.0 + 50.0 * (std::f64::consts::PI / 3.0).sin() / (std::f64::consts::PI / 3.0);
    assert_poisson(
        c[20..40].iter().sum(),
        peak_rate * 1200.0,
        "20 min around the peak",
    );
}
