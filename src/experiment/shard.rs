//! Slices of an experiment's runs for several machines: `--shard I/N` takes every run whose
//! position `r` (in [`super::Experiment::runs`]' order) has `r mod N = I`, so the slices are
//! disjoint, cover every run and are balanced however the grid is ordered. `--shard auto` reads
//! `I` and `N` from the array job a batch engine started.

use std::fmt;

/// One slice of `count`: the runs at positions `index`, `index + count`, `index + 2·count`, …
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, from 0.
    pub index: usize,
    /// How many slices.
    pub count: usize,
}

/// The most shards a sweep may be split into.
pub const MAX_SHARDS: usize = 100_000;

impl Shard {
    /// Reads `I/N` (I from 0 to N−1); `auto` reads the batch engine's variables through `env`.
    pub fn parse(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, String> {
        if text.trim() == "auto" {
            return Shard::from_env(env);
        }
        let Some((i, n)) = text.split_once('/') else {
            return Err(format!(
                "--shard: expected I/N (slice I of N, I from 0 to N-1, e.g. 0/4) or auto, got {text:?}"
            ));
        };
        let n: usize = match n.trim().parse() {
            Ok(n @ 1..=MAX_SHARDS) => n,
            _ => {
                return Err(format!(
                    "--shard {text}: expected a number of shards N from 1 to {MAX_SHARDS}, got {n:?}"
                ));
            }
        };
        match i.trim().parse::<usize>() {
            Ok(i) if i < n => Ok(Shard { index: i, count: n }),
            _ => Err(format!(
                "--shard {text}: expected a slice I from 0 to {} (shards are numbered from 0, as array indices are), got {i:?}",
                n - 1
            )),
        }
    }

    /// The slice an array job's variables name: Slurm (`SLURM_ARRAY_TASK_ID` less
    /// `SLURM_ARRAY_TASK_MIN`, divided by `SLURM_ARRAY_TASK_STEP`, of `SLURM_ARRAY_TASK_COUNT`),
    /// AWS Batch (`AWS_BATCH_JOB_ARRAY_INDEX` of `AWS_BATCH_JOB_ARRAY_SIZE`) or a Kubernetes
    /// Indexed Job (`JOB_COMPLETION_INDEX` of `ALBSIM_SHARD_COUNT`, which the Job sets to its
    /// `completions`: Kubernetes does not pass the count itself).
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, String> {
        let number =
            |name: &str| -> Result<Option<usize>, String> {
                match env(name) {
                    None => Ok(None),
                    Some(v) => v.trim().parse::<usize>().map(Some).map_err(|_| {
                        format!("--shard auto: {name} is {v:?}, expected a whole number")
                    }),
                }
            };
        let pair = |index: &str, count: &str| -> Result<Option<Shard>, String> {
            match (number(index)?, number(count)?) {
                (None, _) => Ok(None),
                (Some(_), None) => Err(format!(
                    "--shard auto: {index} is set but {count} is not; set it to the number of tasks, or give --shard I/N"
                )),
                (Some(i), Some(n)) => Ok(Some(Shard { index: i, count: n })),
            }
        };
        let shard = if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
            let Some(count) = number("SLURM_ARRAY_TASK_COUNT")? else {
                return Err("--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not; give --shard I/N".into());
            };
            if id < min || (id - min) % step != 0 {
                return Err(format!(
                    "--shard auto: SLURM_ARRAY_TASK_ID {id} is not in the array (minimum {min}, step {step}); give --shard I/N"
                ));
            }
            Shard {
                index: (id - min) / step,
                count,
            }
        } else if let Some(s) = pair("AWS_BATCH_JOB_ARRAY_INDEX", "AWS_BATCH_JOB_ARRAY_SIZE")? {
            s
        } else if let Some(s) = pair("JOB_COMPLETION_INDEX", "ALBSIM_SHARD_COUNT")? {
            s
        } else {
            return Err("--shard auto: no array job found (none of SLURM_ARRAY_TASK_ID, AWS_BATCH_JOB_ARRAY_INDEX, JOB_COMPLETION_INDEX is set); give --shard I/N".into());
        };
        if shard.count == 0 || shard.count > MAX_SHARDS || shard.index >= shard.count {
            return Err(format!(
                "--shard auto: the array job names slice {} of {}; expected a slice from 0 to the count less one, and a count from 1 to {MAX_SHARDS}",
                shard.index, shard.count
            ));
        }
        Ok(shard)
    }

    /// Whether the run at `position` belongs to this slice.
    pub fn holds(&self, position: usize) -> bool {
        position % self.count == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn slices_are_disjoint_and_cover_every_run() {
        let none = env(&[]);
        let shards: Vec<Shard> = (0..3)
            .map(|i| Shard::parse(&format!("{i}/3"), &none).unwrap())
            .collect();
        for position in 0..100 {
            assert_eq!(shards.iter().filter(|s| s.holds(position)).count(), 1);
        }
        assert_eq!(shards[2].to_string(), "2/3");
    }

    #[test]
    fn bad_slices_say_what_is_expected() {
        let none = env(&[]);
        let e = |t: &str| Shard::parse(t, &none).unwrap_err();
        assert_eq!(
            e("3/3"),
            "--shard 3/3: expected a slice I from 0 to 2 (shards are numbered from 0, as array indices are), got \"3\""
        );
        assert!(
            e("1/0").starts_with("--shard 1/0: expected a number of shards N from 1 to 100000")
        );
        assert!(e("two").starts_with("--shard: expected I/N"));
        assert!(e("auto").starts_with("--shard auto: no array job found"));
    }

    #[test]
    fn auto_reads_each_batch_engines_array_index() {
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "7"),
            ("SLURM_ARRAY_TASK_MIN", "5"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(
            Shard::parse("auto", &slurm),
            Ok(Shard { index: 2, count: 4 })
        );
        let stepped = env(&[
            ("SLURM_ARRAY_TASK_ID", "4"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ]);
        assert_eq!(Shard::from_env(&stepped), Ok(Shard { index: 2, count: 3 }));
        let batch = env(&[
            ("AWS_BATCH_JOB_ARRAY_INDEX", "0"),
            ("AWS_BATCH_JOB_ARRAY_SIZE", "10"),
        ]);
        assert_eq!(
            Shard::from_env(&batch),
            Ok(Shard {
                index: 0,
                count: 10
            })
        );
        let k8s = env(&[("JOB_COMPLETION_INDEX", "3"), ("ALBSIM_SHARD_COUNT", "4")]);
        assert_eq!(Shard::from_env(&k8s), Ok(Shard { index: 3, count: 4 }));
        let k8s_no_count = env(&[("JOB_COMPLETION_INDEX", "3")]);
        assert!(
            Shard::from_env(&k8s_no_count)
                .unwrap_err()
                .contains("ALBSIM_SHARD_COUNT is not")
        );
        let past = env(&[
            ("AWS_BATCH_JOB_ARRAY_INDEX", "10"),
            ("AWS_BATCH_JOB_ARRAY_SIZE", "10"),
        ]);
        assert!(
            Shard::from_env(&past)
                .unwrap_err()
                .contains("slice 10 of 10")
        );
    }
}
