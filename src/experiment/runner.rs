//! Running an experiment's runs: in parallel on a rayon pool, each run's result cached as soon as
//! it is finished, skipping the runs the cache already holds.
//!
//! A run's result depends only on its model and seed (see [`super::seeds`]), never on the thread
//! that ran it or the order: the tables, made from the cache in run order, are the same bytes
//! with any number of threads, shards or interruptions.

use super::cache::{self, RunKey, RunRecord};
use super::{Experiment, RunId, RunOutcome};
use crate::report::output::{
    Manifest, ManifestOverride, OutputError, OutputFolder, RunOutput, files,
};
use crate::scenario;
use rayon::prelude::*;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

/// The name of the folder of kept runs (`--keep-runs`) inside a sweep's output folder.
pub const RUNS_FOLDER: &str = "runs";

/// Why a sweep could not finish its runs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SweepError {
    /// A run could not give a correct result (simulated time stopped advancing).
    #[error("{file}: point {point} replication {replication}: {source}")]
    Run {
        /// The experiment file.
        file: PathBuf,
        /// The run's point.
        point: usize,
        /// The run's replication.
        replication: u32,
        /// What went wrong.
        #[source]
        source: anyhow::Error,
    },
    /// The output folder could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// How to run the runs.
pub struct Options<'a> {
    /// Threads of the pool (`--threads`); `None`: rayon's default (every core, or
    /// `RAYON_NUM_THREADS`).
    pub threads: Option<usize>,
    /// Also write each run's own output folder under `runs/` (`--keep-runs`).
    pub keep_runs: bool,
    /// Set (by Ctrl-C) to start no more runs; runs in progress finish and are kept.
    pub stop: &'a AtomicBool,
    /// Called after each finished run (from any thread).
    pub finished: &'a (dyn Fn() + Sync),
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("threads", &self.threads)
            .field("keep_runs", &self.keep_runs)
            .field("stop", &self.stop)
            .finish_non_exhaustive()
    }
}

/// What [`run_missing`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Done {
    /// Runs simulated now.
    pub ran: usize,
    /// Runs whose result the cache already held.
    pub reused: usize,
    /// Runs not started because [`Options::stop`] was set.
    pub stopped: usize,
}

/// The keys of `runs`, in the same order.
pub fn keys(exp: &Experiment, runs: &[RunId]) -> Vec<RunKey> {
    let bases: Vec<Value> = exp
        .variants
        .iter()
        .map(|v| serde_json::from_str(&v.text).expect("checked when the experiment was loaded"))
        .collect();
    runs.par_iter()
        .map(|&run| {
            let base = &bases[exp.variant_of(&exp.points[run.point])];
            RunKey::of(base, &exp.overrides_of(run))
                .expect("every point's overrides were applied when the experiment was loaded")
        })
        .collect()
}

/// The runs of `runs` (with their `keys`) that the cache in `folder` does not hold yet (or,
/// with `keep_runs`, whose run folder is missing).
pub fn missing(
    folder: &OutputFolder,
    runs: &[RunId],
    keys: &[RunKey],
    keep_runs: bool,
) -> Vec<(RunId, RunKey)> {
    runs.iter()
        .zip(keys)
        .filter(|(run, key)| {
            let cached = folder.join(cache::FOLDER).join(key.file_name()).is_file();
            !cached
                || (keep_runs
                    && !folder
                        .join(RUNS_FOLDER)
                        .join(run_folder_name(**run, key))
                        .is_dir())
        })
        .map(|(run, key)| (*run, key.clone()))
        .collect()
}

/// Simulates `todo` on a pool of `opts.threads`, writing each result to the cache of `folder`
/// as soon as it is finished.
pub fn run_missing(
    exp: &Experiment,
    folder: &OutputFolder,
    todo: &[(RunId, RunKey)],
    opts: &Options<'_>,
) -> Result<Done, SweepError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.unwrap_or(0))
        .build()
        .expect("a thread pool of a checked size starts");
    let outcomes: Vec<Result<bool, SweepError>> = pool.install(|| {
        todo.par_iter()
            .with_max_len(1)
            .map(|(run, key)| {
                if opts.stop.load(Ordering::Relaxed) {
                    return Ok(false);
                }
                run_one(exp, folder, *run, key, opts.keep_runs)?;
                (opts.finished)();
                Ok(true)
            })
            .collect()
    });
    let mut done = Done::default();
    for outcome in outcomes {
        if outcome? {
            done.ran += 1;
        } else {
            done.stopped += 1;
        }
    }
    Ok(done)
}

/// Simulates one run and caches its record (and, with `keep_runs`, writes its run folder).
fn run_one(
    exp: &Experiment,
    folder: &OutputFolder,
    run: RunId,
    key: &RunKey,
    keep_runs: bool,
) -> Result<(), SweepError> {
    let failed = |source: anyhow::Error| SweepError::Run {
        file: exp.file.clone(),
        point: run.point,
        replication: run.replication,
        source,
    };
    let variant = &exp.variants[exp.variant_of(&exp.points[run.point])];
    let overrides = exp.overrides_of(run);
    let sc = scenario::from_json_with(&variant.text, &variant.file, &overrides)
        .map_err(|e| failed(e.into()))?;
    let result =
        crate::run_with(&sc, &mut crate::RunOptions::default()).map_err(|e| failed(e.into()))?;
    let record = RunRecord::of(key.clone(), run, &result);
    folder.write_atomically(
        PathBuf::from(cache::FOLDER).join(key.file_name()),
        &record.to_bytes(),
    )?;
    if keep_runs {
        let dir = folder.join(RUNS_FOLDER).join(run_folder_name(run, key));
        let label = dir.display().to_string();
        let kept = OutputFolder::check(&dir, label)?;
        let mut model = scenario::model_as_run(&variant.text, &variant.file, &overrides)
            .map_err(|e| failed(e.into()))?;
        kept.refuse_inputs_inside(&scenario::replayed_files(&model, &variant.file))?;
        scenario::rebase_files(&mut model, &variant.file, kept.target());
        let files = files::render_all(RunOutput {
            result: &result,
            partial: None,
            model: &model,
        })
        .map_err(|e| failed(e.into()))?;
        let manifest = Manifest {
            overrides: overrides.iter().map(ManifestOverride::of).collect(),
            warnings: (sc.warnings.iter())
                .map(|w| format!("{}: {}", w.path, w.message))
                .collect(),
            ..Manifest::for_run(&variant.file, &sc.name, sc.seed)
        };
        kept.write(&manifest, &files)?;
    }
    Ok(())
}

/// A kept run's folder name: `p0003-r01-<first 8 digits of its key>` (the key part changes
/// with the run's model, so a folder is never one of another model's runs).
pub fn run_folder_name(run: RunId, key: &RunKey) -> String {
    format!(
        "p{:04}-r{:02}-{}",
        run.point,
        run.replication,
        &key.to_string()[..8]
    )
}

/// Every run's outcome from the cache of `folder`, in `runs`' order; `Err` with the runs whose
/// record is missing (or unreadable) if there are any.
pub fn outcomes(
    exp: &Experiment,
    folder: &OutputFolder,
    runs: &[RunId],
    keys: &[RunKey],
) -> Result<Vec<RunOutcome>, Vec<RunId>> {
    let read: Vec<Option<RunOutcome>> = runs
        .par_iter()
        .zip(keys)
        .map(|(run, key)| {
            let bytes = std::fs::read(folder.join(cache::FOLDER).join(key.file_name())).ok()?;
            let record = RunRecord::from_bytes(&bytes, key)?;
            Some(super::outcome::of(exp, *run, &record))
        })
        .collect();
    let missing: Vec<RunId> = runs
        .iter()
        .zip(&read)
        .filter(|(_, o)| o.is_none())
        .map(|(run, _)| *run)
        .collect();
    if missing.is_empty() {
        Ok(read.into_iter().flatten().collect())
    } else {
        Err(missing)
    }
}
