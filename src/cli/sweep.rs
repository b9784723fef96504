//! `albsim sweep`: load and check an experiment, pick the runs asked for (all, `--point`,
//! `--shard`), run those the output folder's cache does not hold, and write the tables once
//! every run of the experiment is there.

use super::Exit;
use super::args::SweepArgs;
use crate::engine::human::thousands;
use crate::experiment::inputs::{self, Inputs};
use crate::experiment::runner::{self, Options};
use crate::experiment::shard::Shard;
use crate::experiment::summary::SweepResults;
use crate::experiment::tables;
use crate::experiment::{Experiment, RunId, RunOutcome, cache, spec};
use crate::report::output::{self, FolderKind, Manifest, OutputFolder};
use crate::scenario;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

/// A sweep of more runs than this needs `--yes`.
pub const MAX_RUNS_WITHOUT_YES: usize = 10_000;

/// A sweep the command line asks for that cannot be done as asked (exit 2; nothing written).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub String);

/// Set by the first Ctrl-C: start no more runs.
static STOP: AtomicBool = AtomicBool::new(false);

/// Runs an experiment (or lists it).
pub fn sweep(a: &SweepArgs) -> Result<Exit> {
    let (exp, inputs) = load(&a.experiment)?;
    let env = |name: &str| std::env::var(name).ok();
    let shard = a
        .shard
        .as_deref()
        .map(|s| Shard::parse(s, &env))
        .transpose()
        .map_err(Refused)?;
    let selected = select(&exp, a.point, shard)?;
    if a.list {
        super::print_stdout(&list(&exp, &selected, shard))?;
        return Ok(Exit::Success);
    }
    if exp.run_count() > MAX_RUNS_WITHOUT_YES && !a.yes {
        return Err(Refused(format!(
            "{}: the experiment has {} runs ({} points × {} replications), more than {} without --yes; add --yes to run them, --list to see the points, or --shard to split them",
            exp.file.display(),
            thousands(exp.run_count() as u64),
            thousands(exp.points.len() as u64),
            exp.replications,
            thousands(MAX_RUNS_WITHOUT_YES as u64)
        ))
        .into());
    }
    let folder = output_folder(a.out.as_deref(), &exp)?;
    let mut folders = vec![cache::FOLDER];
    if a.keep_runs {
        folders.push(runner::RUNS_FOLDER);
    }
    let manifest = Manifest::for_sweep(&exp.file, &exp.name, exp.seed);
    folder.prepare_sweep(
        &manifest,
        &[(inputs::FILE_NAME, inputs.to_bytes())],
        &folders,
    )?;

    let start = Instant::now();
    let keys = runner::keys(&exp, &selected);
    let todo = runner::missing(&folder, &selected, &keys, a.keep_runs);
    let bar = progress_bar(todo.len(), a.quiet);
    handle_ctrl_c(a.quiet);
    let in_progress = AtomicUsize::new(0);
    let finished = || {
        in_progress.fetch_add(1, Ordering::Relaxed);
        bar.inc(1);
    };
    let done = runner::run_missing(
        &exp,
        &folder,
        &todo,
        &Options {
            threads: a.threads,
            keep_runs: a.keep_runs,
            stop: &STOP,
            finished: &finished,
        },
    );
    bar.finish_and_clear();
    let done = done?;
    let threads = a.threads.unwrap_or_else(rayon::current_num_threads);
    let ran_line = format!(
        "{}: {} of {} runs done now, {} found in {}, in {:.2} s wall on {} thread{}",
        exp.name,
        thousands(done.ran as u64),
        thousands(selected.len() as u64),
        thousands((selected.len() - todo.len()) as u64),
        folder.shown().join(cache::FOLDER).display(),
        start.elapsed().as_secs_f64(),
        threads,
        if threads == 1 { "" } else { "s" }
    );
    if done.stopped > 0 {
        eprintln!("{ran_line}");
        eprintln!(
            "interrupted: {} runs not started; the finished ones are kept, and the same command goes on from there",
            thousands(done.stopped as u64)
        );
        return Ok(Exit::Interrupted);
    }
    let all: Vec<RunId> = exp.runs().collect();
    let all_keys = if selected.len() == all.len() {
        keys
    } else {
        runner::keys(&exp, &all)
    };
    match runner::outcomes(&exp, &folder, &all, &all_keys) {
        Ok(outcomes) => {
            write_tables(&folder, &manifest, &exp, &outcomes, &ran_line, a.quiet)?;
            let wanted = super::report::wanted(a.report, a.png);
            if wanted != Default::default() {
                let written = super::report::report_folder(folder.shown(), wanted)?;
                if !a.quiet {
                    super::print_stdout(&format!("  {}", super::report::wrote_line(&written)))?;
                }
            }
        }
        Err(missing) => {
            if !a.quiet {
                super::print_stdout(&format!(
                    "{ran_line}\n  {} of the experiment's {} runs are still to do: the tables are written when every run is done (run the other shards or points into this folder, or merge shard folders with albsim collect)\n",
                    thousands(missing.len() as u64),
                    thousands(all.len() as u64)
                ))?;
            }
        }
    }
    Ok(Exit::Success)
}

/// Writes the tables and plots of every run's `outcomes`, replacing the folder's previous ones,
/// and (unless `quiet`) prints `headline`, each objective's best points and the files written.
pub(super) fn write_tables(
    folder: &OutputFolder,
    manifest: &Manifest,
    exp: &Experiment,
    outcomes: &[RunOutcome],
    headline: &str,
    quiet: bool,
) -> Result<()> {
    let results = SweepResults {
        experiment: exp,
        runs: outcomes,
    };
    let files = tables::render_all(&results)?;
    let best = tables::best_point_lines(&results)?;
    let written = folder.replace_tables(manifest, &files)?;
    for warning in &written.warnings {
        eprintln!("warning: {warning}");
    }
    if !quiet {
        let names: Vec<&str> = files
            .iter()
            .map(|(n, _)| n.as_str())
            .chain([output::manifest::FILE_NAME])
            .collect();
        let mut text = format!("{headline}\n");
        for line in &best {
            text.push_str(&format!("  best  {line}\n"));
        }
        text.push_str(&format!(
            "  wrote {}/: {}\n",
            folder.shown().display(),
            names.join(", ")
        ));
        super::print_stdout(&text)?;
    }
    Ok(())
}

/// Loads and checks the experiment, and keeps the inputs it read (the experiment file is read
/// once: the inputs are exactly what was checked).
fn load(file: &Path) -> Result<(Experiment, Inputs)> {
    let text = spec::read_experiment(file)?;
    let exp = spec::load_with_reader(file, &text, &crate::scenario::read_model)?;
    let inputs = Inputs::of(&exp, text);
    Ok((exp, inputs))
}

/// The runs asked for: all, one point's (`--point`), a shard's, or a shard's of one point.
fn select(
    exp: &Experiment,
    point: Option<usize>,
    shard: Option<Shard>,
) -> Result<Vec<RunId>, Refused> {
    if let Some(k) = point {
        if k >= exp.points.len() {
            return Err(Refused(format!(
                "--point {k}: the experiment {} has points 0 to {} (see --list)",
                exp.file.display(),
                exp.points.len() - 1
            )));
        }
    }
    Ok(exp
        .runs()
        .enumerate()
        .filter(|(position, run)| {
            shard.is_none_or(|s| s.holds(*position)) && point.is_none_or(|k| run.point == k)
        })
        .map(|(_, run)| run)
        .collect())
}

/// `--list`: every point, its parameters and how many of its runs are selected.
fn list(exp: &Experiment, selected: &[RunId], shard: Option<Shard>) -> String {
    let mut header: Vec<String> = vec!["point".into()];
    header.extend(exp.parameters.iter().map(|p| p.name.clone()));
    header.push("runs".into());
    let mut rows: Vec<Vec<String>> = vec![header];
    for p in &exp.points {
        let mut row = vec![p.index.to_string()];
        row.extend((0..exp.parameters.len()).map(|k| exp.level_label(p, k).to_string()));
        row.push(
            selected
                .iter()
                .filter(|r| r.point == p.index)
                .count()
                .to_string(),
        );
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = format!(
        "{}: {} points × {} replication{} = {} runs{}\n",
        exp.name,
        thousands(exp.points.len() as u64),
        exp.replications,
        if exp.replications == 1 { "" } else { "s" },
        thousands(exp.run_count() as u64),
        match shard {
            Some(s) => format!(
                ", {} of them in shard {s}",
                thousands(selected.len() as u64)
            ),
            None if selected.len() < exp.run_count() => {
                format!(", {} of them selected", thousands(selected.len() as u64))
            }
            None => String::new(),
        }
    );
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// The output folder: `--out`, or `output/<experiment name>/`.
fn output_folder(out: Option<&Path>, exp: &Experiment) -> Result<OutputFolder> {
    let folder = match out {
        Some(dir) => {
            OutputFolder::check_for(dir, format!("--out {}", dir.display()), FolderKind::Sweep)?
        }
        None => {
            let dir = output::default_folder(&exp.name).map_err(|e| {
                Refused(format!("{}: {}: {}", exp.file.display(), e.path, e.message))
            })?;
            OutputFolder::check_for(&dir, dir.display().to_string(), FolderKind::Sweep)?
        }
    };
    check_same_experiment(&folder, &exp.name)?;
    for variant in &exp.variants {
        if let Ok(model) = serde_json::from_str(&variant.text) {
            folder.refuse_inputs_inside(&scenario::replayed_files(&model, &variant.file))?;
        }
    }
    Ok(folder)
}

/// An error if the folder holds another experiment's sweep: its cache, tables and kept runs
/// would mix with this one's.
pub(super) fn check_same_experiment(folder: &OutputFolder, name: &str) -> Result<(), Refused> {
    match Manifest::read(folder.path()) {
        Some(m) if m.kind == FolderKind::Sweep && m.model != name => Err(Refused(format!(
            "{}: the folder holds the sweep of the experiment {:?} ({}), not of {name:?}; choose another folder, or remove it yourself",
            folder.shown().display(),
            m.model,
            m.model_file
        ))),
        _ => Ok(()),
    }
}

/// The progress bar of the runs to do: on a terminal only, and not with `--quiet`.
fn progress_bar(len: usize, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() || len == 0 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{wide_bar} {human_pos}/{human_len} runs · {per_sec} · {eta} left",
        )
        .expect("the template is valid"),
    );
    bar
}

/// The first Ctrl-C stops starting runs (those in progress finish and are kept); a second one
/// quits at once (the cache holds only whole files, so nothing is damaged).
fn handle_ctrl_c(quiet: bool) {
    // Only one handler per process; a second sweep in the same process keeps the first.
    let _ = ctrlc::set_handler(move || {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(Exit::Interrupted as i32);
        }
        if !quiet {
            eprintln!(
                "\nstopping: the runs in progress finish and are kept (Ctrl-C again to quit now)"
            );
        }
    });
}
