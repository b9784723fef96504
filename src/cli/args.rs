//! Command-line arguments.

use crate::scenario::overrides::Override;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// Examples and exit codes, shown after `--help`.
const EXAMPLES: &str = "\
Examples:
  albsim run models/quickstart.json
      Run the model; results go to output/quickstart/
  albsim run models/quickstart.json --seed 7 --duration 2h --out /tmp/qs
      Another seed, a longer run, another folder
  albsim run models/target-tracking-cpu.json --set 'auto_scaling_groups[0].MaxSize=6'
      Change a value of the model without editing the file (repeatable)
  albsim run models/traffic-doubles.json --max-wall 2m
      Stop after 2 minutes of wall-clock time at the latest (results marked partial)
  albsim validate models/*.json
      Check model files without running them
  albsim sweep experiments/capacity-curve.json
      Run every point of an experiment in parallel; tables and plots go to output/capacity-curve/
  albsim sweep experiments/capacity-curve.json --list
      List the experiment's points without running anything
  albsim collect shard-0 shard-1 shard-2 --out capacity-curve
      Merge the folders of a sweep's shards into the folder one machine would have written
  albsim run models/target-tracking-cpu.json --report
      Also write report.html: the model, the results, the plots and what happened, and why
  albsim report output/target-tracking-cpu --format both
      Write report.html and report.md (with PNG plots) for a run's or a sweep's folder

Exit codes:
  0  success
  1  an I/O or system failure (e.g. the output folder cannot be written)
  2  the model or the arguments are wrong; nothing was written
  3  --max-events or --max-wall stopped the run; partial results were written, marked partial
  130  Ctrl-C stopped a sweep; its finished runs are kept, and the same command resumes it";

/// Deterministic discrete-event simulator of AWS Application Load Balancer + EC2 behaviour.
#[derive(Debug, Parser)]
#[command(name = "albsim", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a model and write summary.json, timeseries.csv, timeline.svg, activity.log, events.json
    /// and model.json (and with --report, report.html).
    #[command(after_help = EXAMPLES)]
    Run(RunArgs),
    /// Check model files (types, AWS ranges, references) without running them.
    Validate(ValidateArgs),
    /// Run an experiment: every point of its parameter grid, each replication with its own seed,
    /// in parallel; write results.csv, points.csv, sweep.json, results.md and plots.
    #[command(after_help = SWEEP_EXAMPLES)]
    Sweep(SweepArgs),
    /// Merge the output folders of a sweep's shards (`albsim sweep --shard I/N`) into one,
    /// with the tables one machine would have written.
    Collect(CollectArgs),
    /// Write the report of a run's or a sweep's output folder: one self-contained report.html
    /// (and/or report.md with PNG plots), into the folder or where --out says.
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// Make an albsim model from what you already have: a CloudFormation template.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Fit a service time per request class (path pattern) from ALB access logs, ready to paste
    /// into a model.
    Fit(FitArgs),
}

/// `albsim import …`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Read a CloudFormation template (YAML or JSON) and write an albsim model: the load
    /// balancer, listeners, rules, target groups, Auto Scaling groups, alarms, queues and topics
    /// it declares, with traffic defaults you edit.
    Cloudformation(ImportCloudFormationArgs),
}

/// `albsim import cloudformation`.
#[derive(Debug, Args)]
pub struct ImportCloudFormationArgs {
    /// The template file (YAML or JSON).
    pub template: PathBuf,
    /// Template parameters, `Key=Value` (repeatable; as `aws cloudformation deploy
    /// --parameter-overrides` takes them).
    #[arg(long, value_name = "KEY=VALUE", num_args = 1..)]
    pub parameters: Vec<String>,
    /// Where to write the model (default: print it on standard output).
    #[arg(long, value_name = "MODEL.json")]
    pub out: Option<PathBuf>,
    /// The calendar instant (UTC) at which the run starts, e.g. `2026-03-09T06:00:00Z`: the
    /// template's scheduled actions (StartTime, Recurrence) are placed from there (default
    /// 2026-01-01T00:00:00Z, as `run --access-log-start`).
    #[arg(long, value_name = "INSTANT", value_parser = crate::access_log::write::clock::parse_start)]
    pub start: Option<u64>,
    /// The imported model's run length, e.g. `8h` (default 30m).
    #[arg(long, value_name = "DURATION")]
    pub duration: Option<String>,
    /// Print nothing but errors and the model (no list of what was assumed or ignored).
    #[arg(long, short)]
    pub quiet: bool,
}

/// `albsim fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// ALB access-log files (plain or gzip'd).
    #[arg(required = true)]
    pub logs: Vec<PathBuf>,
    /// Stop at the first malformed line instead of counting and skipping it.
    #[arg(long)]
    pub strict: bool,
    /// One class per method and path pattern (default: per path pattern).
    #[arg(long)]
    pub by_method: bool,
    /// Print the classes as JSON (for scripts) instead of a table and a snippet.
    #[arg(long)]
    pub json: bool,
}

/// Examples of `albsim report`, shown after its `--help`.
const REPORT_EXAMPLES: &str = "\
Examples:
  albsim report output/quickstart
      Write output/quickstart/report.html (open it in a browser; it needs no network)
  albsim report output/quickstart --format md
      Write report.md and its plots as PNG files (timeline.png), for a wiki or a repository
  albsim report output/capacity-curve --format both
      A sweep's report, and one for each run it kept (--keep-runs), linked from its table
  albsim report output/quickstart --out notes/quickstart.html --png
      Write the report elsewhere, with its plots as PNG files beside it (notes/quickstart-timeline.png)";

/// `albsim report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The output folder of `albsim run` or `albsim sweep` (e.g. output/quickstart).
    pub folder: PathBuf,
    /// Which report: `html` (one self-contained page), `md` (Markdown with PNG plots beside it)
    /// or `both`.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html, hide_possible_values = true)]
    pub format: ReportFormat,
    /// Write the report as this file (its plots beside it, named after it) instead of into the
    /// folder; an existing file is replaced only if albsim wrote it.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also write each plot as a PNG image (e.g. for slides).
    #[arg(long)]
    pub png: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Which report files to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// `report.html`: one self-contained page.
    Html,
    /// `report.md` with its plots as PNG files beside it.
    Md,
    /// Both.
    Both,
}

/// Examples of `albsim sweep`, shown after its `--help`.
const SWEEP_EXAMPLES: &str = "\
Examples:
  albsim sweep experiments/capacity-curve.json
      Every point × replication, on every core; results in output/capacity-curve/
  albsim sweep experiments/capacity-curve.json --list
      The points, their parameters and run counts; nothing is run
  albsim sweep experiments/capacity-curve.json --point 4
      One point's replications only (the tables wait for the others)
  albsim sweep experiments/capacity-curve.json --shard 0/3 --out shard-0
      A third of the runs, e.g. on one machine of three; then albsim collect merges the folders
  albsim sweep experiments/capacity-curve.json --shard auto --out shard-$SLURM_ARRAY_TASK_ID
      The slice a batch engine's array index names (Slurm, Kubernetes Indexed Jobs, AWS Batch)

Rerunning a sweep into the same folder runs only what is missing: the runs a Ctrl-C or a kill
stopped, and those whose model changed.";

/// `albsim sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The experiment file (JSON), e.g. experiments/capacity-curve.json.
    pub experiment: PathBuf,
    /// Output folder (default: `output/<experiment name>/`). It must be new or one an earlier
    /// sweep wrote (it then resumes: finished runs are not run again).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Worker threads (default: one per core, or RAYON_NUM_THREADS). Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Print every point with its parameters and run count, and run nothing.
    #[arg(long)]
    pub list: bool,
    /// Run only point K's replications (K as `--list` numbers them, from 0).
    #[arg(long, value_name = "K")]
    pub point: Option<usize>,
    /// Run only the slice I of N (I from 0 to N-1) of the runs, for N machines; `auto` reads it
    /// from a batch engine: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, JOB_COMPLETION_INDEX
    /// with ALBSIM_SHARD_COUNT (Kubernetes Indexed Jobs), AWS_BATCH_JOB_ARRAY_INDEX/
    /// AWS_BATCH_JOB_ARRAY_SIZE.
    #[arg(long, value_name = "I/N|auto")]
    pub shard: Option<String>,
    /// Also write each run's own output folder (summary.json, timeseries.csv, timeline.svg,
    /// activity.log, events.json, model.json) under runs/.
    #[arg(long)]
    pub keep_runs: bool,
    /// Run a sweep of more than 10,000 runs (without it, such a sweep says how many it would run).
    #[arg(long)]
    pub yes: bool,
    /// Also write the sweep's report (report.html; `--report=md` or `--report=both` for
    /// Markdown with PNG plots), and one per kept run, as `albsim report` does.
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, require_equals = true, default_missing_value = "html", hide_possible_values = true)]
    pub report: Option<ReportFormat>,
    /// Also write each plot as a PNG image beside its SVG.
    #[arg(long)]
    pub png: bool,
    /// Print nothing but errors (no progress, no table).
    #[arg(long, short)]
    pub quiet: bool,
}

/// `albsim collect`.
#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The shards' output folders (each written by `albsim sweep --shard`).
    #[arg(required = true)]
    pub folders: Vec<PathBuf>,
    /// The merged folder (new, or one a sweep of the same experiment wrote).
    #[arg(long)]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `albsim run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The model file (JSON).
    pub model: PathBuf,
    /// Values of the model set on the command line.
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// Output folder (default: `output/<model name>/`). albsim replaces it as a whole, so it
    /// must be new or one albsim wrote (it holds albsim-output.json).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Stop after this many events; the results written are then marked partial (exit code 3).
    #[arg(long, value_name = "N", value_parser = parse_max_events)]
    pub max_events: Option<u64>,
    /// Stop after this much wall-clock time, e.g. `30s`, `2m`; the results written are then
    /// marked partial (exit code 3).
    #[arg(long, value_name = "DURATION", value_parser = parse_max_wall)]
    pub max_wall: Option<Duration>,
    /// Also write the report: report.html (`--report=md` or `--report=both` for Markdown with
    /// PNG plots), as `albsim report` does.
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, require_equals = true, default_missing_value = "html", hide_possible_values = true)]
    pub report: Option<ReportFormat>,
    /// Also write the timeline as a PNG image (timeline.png), e.g. for slides.
    #[arg(long)]
    pub png: bool,
    /// Also write access.log: one line per request in the ALB access-log format (`--access-log=gzip`
    /// for access.log.gz, as AWS delivers them).
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, require_equals = true, default_missing_value = "plain", hide_possible_values = true)]
    pub access_log: Option<AccessLogFormat>,
    /// Log only this share of requests (0 < RATE ≤ 1), chosen deterministically.
    #[arg(long, value_name = "RATE", requires = "access_log", value_parser = crate::access_log::write::sample::parse_rate)]
    pub access_log_sample: Option<f64>,
    /// The calendar instant (UTC) at which simulated time 0 falls in the access log, e.g.
    /// `2026-03-09T08:00:00Z` (default 2026-01-01T00:00:00Z).
    #[arg(long, value_name = "INSTANT", requires = "access_log", value_parser = crate::access_log::write::clock::parse_start)]
    pub access_log_start: Option<u64>,
    /// Print nothing but errors (no warnings, no progress, no summary).
    #[arg(long, short)]
    pub quiet: bool,
}

/// How `--access-log` writes the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AccessLogFormat {
    /// access.log, plain text.
    Plain,
    /// access.log.gz.
    Gzip,
}

/// `albsim validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Model files (JSON).
    #[arg(required = true)]
    pub models: Vec<PathBuf>,
    /// Values set on the command line, applied to every model (as `run` applies them).
    #[command(flatten)]
    pub overrides: OverrideArgs,
}

/// Values of the model set on the command line, for `run` and `validate` alike.
#[derive(Debug, Args)]
pub struct OverrideArgs {
    /// Master seed, a whole number (overrides the model's `seed`).
    #[arg(long, allow_negative_numbers = true)]
    pub seed: Option<String>,
    /// Simulated time, e.g. `30m`, `2h`, `900s` (overrides the model's `duration`).
    #[arg(long, allow_negative_numbers = true)]
    pub duration: Option<String>,
    /// Sets one value of the model, as if the file said so. PATH is written as error messages
    /// print it (`clients[0].arrival.rate_per_second`, `target_groups[name=web].port`), VALUE
    /// as JSON (`120`, `true`, `{"distribution":"constant","ms":5}`) or plain text (`2h`).
    /// Repeatable; applied in order, so of two with the same PATH the last wins; `--seed` and
    /// `--duration` apply after every `--set`.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = Override::parse)]
    pub set: Vec<Override>,
}

impl OverrideArgs {
    /// The overrides in the order they apply: each `--set`, then `--seed`, then `--duration`.
    pub fn overrides(&self) -> Vec<Override> {
        let mut all = self.set.clone();
        if let Some(seed) = &self.seed {
            // A number stays a number; anything else is passed on as text, so the loader's own
            // message says what a seed must be (`expected a whole number 0–…, got a string`).
            let value = serde_json::from_str::<serde_json::Value>(seed)
                .ok()
                .filter(serde_json::Value::is_number)
                .unwrap_or_else(|| serde_json::Value::String(seed.clone()));
            all.push(Override::from_option("--seed", seed, "seed", value));
        }
        if let Some(d) = &self.duration {
            // As text: the loader reads `2h`, `900s` and `900` alike, and names what it refused.
            all.push(Override::from_option(
                "--duration",
                d,
                "duration",
                d.as_str().into(),
            ));
        }
        all
    }
}

/// `--threads`: 1 to 1024.
fn parse_threads(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n @ 1..=1024) => Ok(n),
        _ => Err("expected a whole number of threads from 1 to 1024, e.g. 2".into()),
    }
}

/// `--max-events`: a whole number of at least 1.
fn parse_max_events(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "expected a whole number of events from 1 to {}, e.g. 50000000",
            u64::MAX
        )),
    }
}

/// `--max-wall`: a duration of more than zero.
fn parse_max_wall(text: &str) -> Result<Duration, String> {
    let d = crate::scenario::values::parse_duration(text)?;
    if d.is_zero() {
        return Err("expected a wall-clock time of more than zero, e.g. 30s or 2m".into());
    }
    Ok(d)
}
