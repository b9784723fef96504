//! Fitting service times per request class from access logs (`albsim fit`): requests grouped by
//! path pattern (ids collapsed to `*`, [`pattern`]), optionally by method too; per class the
//! logged `target_processing_time`s summarised, a lognormal fitted by maximum likelihood with its
//! Kolmogorov–Smirnov distance ([`lognormal`]), and an empirical percentile table — each written
//! as an albsim `service_time`, so the class pastes into a model's `requests`.
//!
//! `target_processing_time` is the whole time a request spent at its target (waiting for a
//! worker, then served), so it is the service time only where the targets were not busy.

pub mod lognormal;
pub mod pattern;

pub use lognormal::Lognormal;

use super::parse::Record;
use serde_json::{Value, json};
use std::collections::HashMap;

/// AWS logs durations with millisecond precision: each value stands for ± half a millisecond.
pub const HALF_STEP_S: f64 = 0.0005;

/// A logged time of `0.000` (under half a millisecond) is taken as a quarter millisecond, the
/// middle of what it stands for, so that its logarithm exists.
pub const ZERO_AS_S: f64 = 0.000_25;

/// The percentiles of the empirical `service_time` table (99.9 added from 1,000 requests on).
pub const TABLE_PERCENTILES: [f64; 15] = [
    0.0, 1.0, 5.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 95.0, 99.0, 100.0,
];

/// Requests of one class, as they are read.
#[derive(Debug, Default)]
struct Samples {
    /// Logged `target_processing_time`s \[s\].
    seconds: Vec<f64>,
    /// Requests logged with `-1` (not dispatched, or no answer from the target).
    without_target_time: u64,
}

/// Groups logged requests into classes as they are read.
#[derive(Debug, Default)]
pub struct Collector {
    by_method: bool,
    index: HashMap<String, usize>,
    classes: Vec<(String, Option<String>, Samples)>,
    key: String,
    pattern: String,
}

impl Collector {
    /// A collector grouping by path pattern, and by method too when `by_method`.
    pub fn new(by_method: bool) -> Collector {
        Collector {
            by_method,
            ..Collector::default()
        }
    }

    /// Adds one logged request.
    pub fn add(&mut self, r: &Record<'_>) {
        pattern::path_pattern(r.request.path, &mut self.pattern);
        self.key.clear();
        if self.by_method {
            self.key.push_str(r.request.method);
            self.key.push(' ');
        }
        self.key.push_str(&self.pattern);
        let i = match self.index.get(&self.key) {
            Some(&i) => i,
            None => {
                let method = self.by_method.then(|| r.request.method.to_string());
                self.classes
                    .push((self.pattern.clone(), method, Samples::default()));
                self.index.insert(self.key.clone(), self.classes.len() - 1);
                self.classes.len() - 1
            }
        };
        let samples = &mut self.classes[i].2;
        match r.target_processing_time {
            Some(s) => samples.seconds.push(s),
            None => samples.without_target_time += 1,
        }
    }

    /// The fitted classes, most requests first (then by name).
    pub fn finish(self) -> Vec<ClassFit> {
        let mut fits: Vec<ClassFit> = self
            .classes
            .into_iter()
            .map(|(path, method, samples)| ClassFit::new(path, method, samples))
            .collect();
        fits.sort_by(|a, b| {
            b.requests()
                .cmp(&a.requests())
                .then(a.name().cmp(&b.name()))
        });
        fits
    }
}

/// Which `service_time` `albsim fit` suggests for a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggestion {
    /// The lognormal: its KS distance is under the 5 % critical value.
    Lognormal,
    /// The empirical table: the lognormal does not fit, or cannot be fitted.
    Empirical,
}

/// One request class and what the logs say of its target times.
#[derive(Debug, Clone)]
pub struct ClassFit {
    /// Path pattern (ALB `path-pattern` syntax).
    pub path: String,
    /// Method, when grouping by method.
    pub method: Option<String>,
    /// Requests with a target time.
    pub timed: u64,
    /// Requests logged with `-1`.
    pub without_target_time: u64,
    /// Mean target time \[s\] (0 when none).
    pub mean_s: f64,
    /// `(percentile, seconds)` for [`TABLE_PERCENTILES`] (linear interpolation between order
    /// statistics); empty when no request had a target time.
    pub table: Vec<(f64, f64)>,
    /// The lognormal fit and its KS distance, when it can be fitted.
    pub lognormal: Option<(Lognormal, f64)>,
}

impl ClassFit {
    fn new(path: String, method: Option<String>, samples: Samples) -> ClassFit {
        let mut s = samples.seconds;
        s.sort_by(f64::total_cmp);
        let n = s.len();
        let mean_s = if n == 0 {
            0.0
        } else {
            s.iter().sum::<f64>() / n as f64
        };
        let mut percentiles: Vec<f64> = TABLE_PERCENTILES.to_vec();
        if n >= 1000 {
            percentiles.insert(percentiles.len() - 1, 99.9);
        }
        let table = if n == 0 {
            Vec::new()
        } else {
            percentiles
                .iter()
                .map(|&p| (p, quantile(&s, p / 100.0)))
                .collect()
        };
        let positive: Vec<f64> = s
            .iter()
            .map(|&x| if x > 0.0 { x } else { ZERO_AS_S })
            .collect();
        let lognormal = Lognormal::fit(&positive).map(|f| (f, f.ks_distance(&s, HALF_STEP_S)));
        ClassFit {
            path,
            method,
            timed: n as u64,
            without_target_time: samples.without_target_time,
            mean_s,
            table,
            lognormal,
        }
    }

    /// All requests of the class.
    pub fn requests(&self) -> u64 {
        self.timed + self.without_target_time
    }

    /// `GET /api/*` or `/api/*`: the request type's name in the pasted snippet.
    pub fn name(&self) -> String {
        match &self.method {
            Some(m) => format!("{m} {}", self.path),
            None => self.path.clone(),
        }
    }

    /// The `p`-th percentile \[s\] (`p` in 0–100) from the table, if it has it.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        self.table.iter().find(|(q, _)| *q == p).map(|(_, s)| *s)
    }

    /// The 5 % critical value of the KS distance for this many requests.
    pub fn ks_critical(&self) -> f64 {
        lognormal::KS_5 / (self.timed.max(1) as f64).sqrt()
    }

    /// Lognormal when it fits (KS distance under the 5 % critical value), else empirical.
    pub fn suggestion(&self) -> Suggestion {
        match self.lognormal {
            Some((_, d)) if d <= self.ks_critical() => Suggestion::Lognormal,
            _ => Suggestion::Empirical,
        }
    }

    /// The suggested `service_time`, in albsim's model format; `None` without target times.
    pub fn service_time(&self) -> Option<Value> {
        match (self.suggestion(), self.lognormal) {
            (Suggestion::Lognormal, Some((f, _))) => Some(lognormal_json(&f)),
            _ => self.empirical_json(),
        }
    }

    /// The empirical table as a `service_time`.
    pub fn empirical_json(&self) -> Option<Value> {
        if self.table.is_empty() {
            return None;
        }
        let points: Vec<Value> = self
            .table
            .iter()
            .map(|&(p, s)| json!({ "p": p, "ms": ms(s) }))
            .collect();
        Some(json!({ "distribution": "empirical", "percentiles": points }))
    }

    /// The class as an entry of a model's `requests`: name, relative weight (its request
    /// count), method, path and the suggested `service_time`.
    pub fn request_type(&self) -> Option<Value> {
        let service_time = self.service_time()?;
        let mut entry = serde_json::Map::new();
        entry.insert("name".into(), json!(self.name()));
        entry.insert("weight".into(), json!(self.requests()));
        if let Some(m) = &self.method {
            entry.insert("method".into(), json!(m));
        }
        entry.insert("path".into(), json!(self.path));
        entry.insert("service_time".into(), service_time);
        Some(Value::Object(entry))
    }
}

/// A lognormal `service_time` by its median and p99 (µs precision).
pub fn lognormal_json(f: &Lognormal) -> Value {
    json!({ "distribution": "lognormal", "median_ms": ms(f.median()), "p99_ms": ms(f.p99()) })
}

/// Seconds → milliseconds rounded to the microsecond.
fn ms(s: f64) -> f64 {
    (s * 1e6).round() / 1e3
}

/// The `q`-quantile (0–1) of ascending `sorted`, interpolating linearly between order statistics
/// (Hyndman & Fan type 7, the default of R and NumPy).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access_log::parse::parse_line;
    use rand::SeedableRng;
    use rand_distr::Distribution;

    fn line(method: &str, path: &str, target_s: &str) -> String {
        format!(
            r#"http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 {target_s} 0.000 200 200 34 366 "{method} http://www.example.com:80{path} HTTP/1.1" "curl/7.46.0" - - - "-" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "-" "-" "-" "-" -"#
        )
    }

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&s, 0.0), 1.0);
        assert_eq!(quantile(&s, 1.0), 4.0);
        assert_eq!(quantile(&s, 0.5), 2.5);
        assert!((quantile(&s, 0.9) - 3.7).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.99), 7.0);
    }

    #[test]
    fn classes_by_pattern_and_method_with_exact_tables() {
        let mut c = Collector::new(true);
        for (m, p, t) in [
            ("GET", "/api/users/1", "0.010"),
            ("GET", "/api/users/2", "0.020"),
            ("GET", "/api/users/3", "0.030"),
            ("POST", "/api/users/4", "0.100"),
            ("GET", "/api/users/5", "-1"),
        ] {
            c.add(&parse_line(&line(m, p, t)).unwrap());
        }
        let fits = c.finish();
        assert_eq!(fits.len(), 2);
        let get = &fits[0];
        assert_eq!(get.name(), "GET /api/users/*");
        assert_eq!(
            (get.timed, get.without_target_time, get.requests()),
            (3, 1, 4)
        );
        assert!((get.mean_s - 0.02).abs() < 1e-12);
        assert_eq!(get.percentile(50.0), Some(0.02));
        assert!((get.percentile(90.0).unwrap() - 0.028).abs() < 1e-12);
        assert_eq!(fits[1].name(), "POST /api/users/*");
        let entry = get.request_type().unwrap();
        assert_eq!(entry["weight"], 4);
        assert_eq!(entry["method"], "GET");
        assert_eq!(entry["path"], "/api/users/*");
    }

    #[test]
    fn lognormal_fit_lies_within_its_confidence_interval() {
        // 20,000 draws of ln X ~ N(ln 0.05, 0.6²), logged with AWS's ms precision. The MLE of mu
        // has standard error σ/√n, that of sigma σ/√(2n); 3.29 standard errors is a 99.9 % band.
        let (mu, sigma, n) = (0.05f64.ln(), 0.6, 20_000usize);
        let d = rand_distr::LogNormal::new(mu, sigma).unwrap();
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(12);
        let mut c = Collector::new(false);
        for _ in 0..n {
            let x: f64 = d.sample(&mut rng);
            c.add(&parse_line(&line("GET", "/", &format!("{x:.3}"))).unwrap());
        }
        let fit = &c.finish()[0];
        let (f, ks) = fit.lognormal.unwrap();
        let se_mu = sigma / (n as f64).sqrt();
        let se_sigma = sigma / (2.0 * n as f64).sqrt();
        assert!((f.mu - mu).abs() < 3.29 * se_mu, "mu {} vs {mu}", f.mu);
        assert!(
            (f.sigma - sigma).abs() < 3.29 * se_sigma,
            "sigma {} vs {sigma}",
            f.sigma
        );
        assert_eq!(fit.suggestion(), Suggestion::Lognormal, "KS {ks}");
    }

    #[test]
    fn a_bimodal_class_gets_the_empirical_table() {
        // Half the requests take 5 ms, half 500 ms: no lognormal fits.
        let mut c = Collector::new(false);
        for i in 0..2000 {
            let t = if i % 2 == 0 { "0.005" } else { "0.500" };
            c.add(&parse_line(&line("GET", "/report", t)).unwrap());
        }
        let fit = &c.finish()[0];
        assert_eq!(fit.suggestion(), Suggestion::Empirical);
        let st = fit.service_time().unwrap();
        assert_eq!(st["distribution"], "empirical");
        assert_eq!(st["percentiles"][0]["ms"], 5.0);
        assert_eq!(st["percentiles"].as_array().unwrap().len(), 16);
    }
}
