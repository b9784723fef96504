//! The run cache: one file per finished run, `cache/<key>.json`, so that a sweep resumes where it
//! stopped, shards run apart and `albsim collect` merges them.
//!
//! A run's key is the SHA-256 of what decides its result: albsim's version and the run's model
//! exactly as it is simulated (the model file with every override of the run applied, the seed
//! included, as canonical JSON: keys sorted, numbers as read). Rerunning a sweep skips the runs
//! whose key has a record; changing the model (or a parameter's value) changes exactly the keys
//! of the runs it changes. A record holds the run's whole `summary.json` (without its wall-clock
//! field), so metrics added to the experiment later are read from it without running again.

use super::{Capacity, RunId};
use crate::RunResult;
use crate::scenario::overrides::{self, Override};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::fmt;

/// The name of the cache's folder inside a sweep's output folder.
pub const FOLDER: &str = "cache";

/// What a run's result is keyed by (hex digits of a SHA-256; 128 bits are kept).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RunKey(String);

impl RunKey {
    /// The key of the run of `model` (a model file's JSON) with `overrides` applied, or why the
    /// overrides cannot be applied (the experiment's checks have said so already).
    pub fn of(model: &Value, overrides: &[Override]) -> Result<RunKey, String> {
        let mut patched = model.clone();
        overrides::apply(&mut patched, overrides).map_err(|problems| problems[0].to_string())?;
        Ok(RunKey::of_patched(&patched))
    }

    /// The key of a run whose model, every override applied, is `patched`.
    pub fn of_patched(patched: &Value) -> RunKey {
        let mut hash = Sha256::new();
        hash.update(b"albsim run cache v1\n");
        hash.update(env!("CARGO_PKG_VERSION").as_bytes());
        hash.update(b"\n");
        // serde_json's maps are sorted by key (no `preserve_order`): the text is canonical.
        hash.update(patched.to_string().as_bytes());
        let digest = hash.finalize();
        RunKey(digest[..16].iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The record's file name in the cache folder: `<key>.json`.
    pub fn file_name(&self) -> String {
        format!("{}.json", self.0)
    }

    /// Reads a key back from a record's file name.
    pub fn from_file_name(name: &str) -> Option<RunKey> {
        let hex = name.strip_suffix(".json")?;
        (hex.len() == 32 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| RunKey(hex.to_string()))
    }
}

impl fmt::Display for RunKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One finished run, as the cache keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRecord {
    /// Its key.
    pub key: RunKey,
    /// The run it was made for (informative: the key alone decides whether it is reused).
    pub run: RunId,
    /// The seed it ran with.
    pub seed: u64,
    /// Its `summary.json`, without `wall_seconds`.
    pub summary: Value,
    /// Its Auto Scaling groups' capacity over time.
    pub capacity: Capacity,
}

impl RunRecord {
    /// The record of `result`, the run `run` with key `key`.
    pub fn of(key: RunKey, run: RunId, result: &RunResult) -> RunRecord {
        let mut summary: Value = serde_json::from_str(&crate::report::summary::to_json(result))
            .expect("summary.json is JSON");
        if let Some(fields) = summary.as_object_mut() {
            fields.remove("wall_seconds");
        }
        RunRecord {
            key,
            run,
            seed: result.seed,
            summary,
            capacity: Capacity::of(result),
        }
    }

    /// The record's file contents (compact JSON, ending in a newline).
    pub fn to_bytes(&self) -> Vec<u8> {
        let groups: Vec<Value> = self
            .capacity
            .groups
            .iter()
            .map(|(name, in_service)| json!({ "name": name, "in_service": in_service }))
            .collect();
        let mut text = json!({
            "key": self.key.0,
            "point": self.run.point,
            "replication": self.run.replication,
            "seed": self.seed,
            "summary": self.summary,
            "capacity": { "period_seconds": self.capacity.period_seconds, "groups": groups },
        })
        .to_string();
        text.push('\n');
        text.into_bytes()
    }

    /// Reads a record written by [`to_bytes`](Self::to_bytes); `None` if it is not one, or not
    /// the record of `key` (a file edited or damaged by hand is then simply run again).
    pub fn from_bytes(bytes: &[u8], key: &RunKey) -> Option<RunRecord> {
        let v: Value = serde_json::from_slice(bytes).ok()?;
        if v.get("key")?.as_str()? != key.0 {
            return None;
        }
        let capacity = v.get("capacity")?;
        let groups = capacity
            .get("groups")?
            .as_array()?
            .iter()
            .map(|g| {
                let name = g.get("name")?.as_str()?.to_string();
                let counts = g
                    .get("in_service")?
                    .as_array()?
                    .iter()
                    .map(|n| n.as_u64().and_then(|n| u32::try_from(n).ok()))
                    .collect::<Option<Vec<u32>>>()?;
                Some((name, counts))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(RunRecord {
            key: key.clone(),
            run: RunId {
                point: usize::try_from(v.get("point")?.as_u64()?).ok()?,
                replication: u32::try_from(v.get("replication")?.as_u64()?).ok()?,
            },
            seed: v.get("seed")?.as_u64()?,
            summary: v.get("summary").filter(|s| s.is_object())?.clone(),
            capacity: Capacity {
                period_seconds: capacity.get("period_seconds")?.as_f64()?,
                groups,
            },
        })
    }
}

impl Capacity {
    /// `GroupInServiceInstances` of each Auto Scaling group of `result`, per period.
    pub fn of(result: &RunResult) -> Capacity {
        let groups = result
            .auto_scaling_groups
            .iter()
            .enumerate()
            .map(|(g, asg)| {
                let counts = result
                    .periods
                    .iter()
                    .map(|p| p.groups.get(g).map_or(0, |c| c.in_service))
                    .collect();
                (asg.name.clone(), counts)
            })
            .collect();
        Capacity {
            period_seconds: result.period_seconds,
            groups,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_model_as_simulated_not_its_spelling() {
        let model: Value = serde_json::from_str(r#"{"b": 1, "a": {"y": 2, "x": 3}}"#).unwrap();
        let same: Value = serde_json::from_str(r#"{"a": {"x": 3, "y": 2}, "b": 1}"#).unwrap();
        let k = RunKey::of(&model, &[]).unwrap();
        assert_eq!(
            k,
            RunKey::of(&same, &[]).unwrap(),
            "key order does not matter"
        );
        let seed = Override::parse("seed=7").unwrap();
        let k7 = RunKey::of(&model, std::slice::from_ref(&seed)).unwrap();
        assert_ne!(k, k7);
        let mut by_hand = model.clone();
        by_hand["seed"] = json!(7);
        assert_eq!(
            k7,
            RunKey::of_patched(&by_hand),
            "an override is the same as the file saying so"
        );
        assert_eq!(k.to_string().len(), 32);
        assert_eq!(RunKey::from_file_name(&k.file_name()), Some(k.clone()));
        for bad in [
            "x.json",
            "0123.json",
            &k.to_string(),
            &format!("{}.JSON", k),
        ] {
            assert_eq!(RunKey::from_file_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_record_reads_back_and_only_as_its_own_key() {
        let model: Value = serde_json::from_str(r#"{"name": "m"}"#).unwrap();
        let key = RunKey::of(&model, &[]).unwrap();
        let record = RunRecord {
            key: key.clone(),
            run: RunId {
                point: 3,
                replication: 1,
            },
            seed: 99,
            summary: json!({"latency_ms": {"p99": 12.5}, "seed": 99}),
            capacity: Capacity {
                period_seconds: 60.0,
                groups: vec![("web-asg".into(), vec![2, 3, 4])],
            },
        };
        let bytes = record.to_bytes();
        assert_eq!(RunRecord::from_bytes(&bytes, &key), Some(record));
        let other = RunKey::of(&json!({"name": "n"}), &[]).unwrap();
        assert_eq!(RunRecord::from_bytes(&bytes, &other), None);
        assert_eq!(RunRecord::from_bytes(&bytes[..bytes.len() / 2], &key), None);
    }
}
