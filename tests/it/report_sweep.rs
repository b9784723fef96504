//! The sweep report's content (`report::sweep_report`), built from folders `albsim sweep`
//! wrote: every grid level, a row with an anchor per point, the best points the terminal
//! names, links to kept runs that exist, every plot the manifest lists; a run's folder is
//! refused.

use albsim::report::document::{Block, Document, Inline, Section, Text};
use albsim::report::folder::OnDisk;
use albsim::report::output::Manifest;
use albsim::report::sweep_report;
use assert_cmd::Command;
use serde_json::json;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository's root (shipped experiments and models).
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh folder under cargo's temporary folder for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("report_sweep")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// A sweep's output folder and what `albsim sweep` printed.
struct Swept {
    out: PathBuf,
    stdout: String,
}

/// `albsim sweep EXPERIMENT --out <scratch>/out --keep-runs`, run from `cwd`.
fn sweep(cwd: &Path, experiment: &str, name: &str) -> Swept {
    let out = scratch(name).join("out");
    let o = Command::cargo_bin("albsim")
        .unwrap()
        .current_dir(cwd)
        .args(["sweep", experiment, "--keep-runs", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "albsim sweep failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    Swept {
        out,
        stdout: String::from_utf8(o.stdout).unwrap(),
    }
}

/// The shipped target-value experiment (6 TargetValue levels × 5 replications), swept once.
fn target_value() -> &'static Swept {
    static SWEPT: OnceLock<Swept> = OnceLock::new();
    SWEPT.get_or_init(|| sweep(&root(), "experiments/target-value.json", "target-value"))
}

/// A small experiment of its own: a numeric parameter and named cases, a constraint, an
/// objective per level, over the shipped fixed-fleet model shortened to 2 minutes.
fn cases_and_constraint() -> &'static Swept {
    static SWEPT: OnceLock<Swept> = OnceLock::new();
    SWEPT.get_or_init(|| {
        let dir = scratch("cases");
        let experiment = json!({
            "name": "fleet-cases",
            "description": "A fleet's size against the request rate, with two service-time cases.",
            "model": root().join("models/fixed-fleet.json").display().to_string(),
            "seed": 7,
            "replications": 2,
            "set": { "duration": "2m" },
            "parameters": [
                { "name": "rate", "path": "clients[0].arrival.rate_per_second",
                  "values": [50, 150] },
                { "name": "instances", "paths": [
                    "auto_scaling_groups[0].MinSize",
                    "auto_scaling_groups[0].MaxSize",
                    "auto_scaling_groups[0].DesiredCapacity"],
                  "values": [1, 2, 3] },
                { "name": "work", "cases": [
                    { "name": "light", "set": {} },
                    { "name": "heavy", "set": {
                        "clients[0].requests[0].service_time.mean_ms": 30 } } ] }
            ],
            "constraint": "rate / instances < 95",
            "metrics": [
                { "name": "p99_ms", "path": "latency_ms.p99" },
                { "name": "cost_usd", "path": "cost.total" }
            ],
            "objectives": [
                { "name": "smallest fleet with p99 <= 150 ms", "minimise": "instances",
                  "subject_to": "p99_ms <= 150", "for_each": "rate" }
            ],
            "plots": { "x": "rate", "lines": "instances" }
        });
        fs::write(dir.join("exp.json"), experiment.to_string()).unwrap();
        sweep(&dir, "exp.json", "cases-out")
    })
}

fn build(out: &Path) -> Document {
    let folder = sweep_report::read(&OnDisk(out.to_path_buf())).unwrap();
    sweep_report::build(&folder)
}

fn section<'a>(doc: &'a Document, id: &str) -> &'a Section {
    doc.sections
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no section {id}"))
}

/// Every piece of text of a section, tables and pairs included, one per line.
fn plain(s: &Section) -> String {
    let mut out = String::new();
    let mut push = |t: &Text| {
        out.push_str(&t.to_plain());
        out.push('\n');
    };
    for b in &s.blocks {
        match b {
            Block::Heading(h) | Block::Code(h) => push(&Text::plain(h.clone())),
            Block::Paragraph(t) => push(t),
            Block::Bullets(items) => items.iter().for_each(&mut push),
            Block::Pairs(pairs) => pairs.iter().for_each(|(k, v)| {
                push(&Text::plain(k.clone()));
                push(v);
            }),
            Block::Table(t) => t.rows.iter().flatten().for_each(&mut push),
            _ => {}
        }
    }
    out
}

fn points_table(doc: &Document) -> &albsim::report::document::Table {
    section(doc, "points")
        .blocks
        .iter()
        .find_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .expect("a points table")
}

/// The entries of the `best` lines `albsim sweep` printed (`best  NAME: ENTRY`), as
/// (name, entry); `names` are the objectives' names (an entry has colons of its own).
fn best_lines(stdout: &str, names: &[&str]) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("best  "))
        .map(|l| {
            let name = names
                .iter()
                .find(|n| l.starts_with(&format!("{n}: ")))
                .unwrap_or_else(|| panic!("a best line of an unknown objective: {l}"));
            (name.to_string(), l[name.len() + 2..].to_string())
        })
        .collect()
}

/// Checks that each printed best line is a bullet of the best section under its objective's
/// heading, whose `point K` links to row `point-K` of the points table.
fn check_best_points(doc: &Document, stdout: &str, names: &[&str], expected_lines: usize) {
    let best = section(doc, "best");
    let printed = best_lines(stdout, names);
    assert_eq!(printed.len(), expected_lines, "{stdout}");
    let table = points_table(doc);
    for (name, entry) in &printed {
        let at = best
            .blocks
            .iter()
            .position(|b| *b == Block::Heading(name.clone()))
            .unwrap_or_else(|| panic!("no heading {name}"));
        let bullets = best.blocks[at..]
            .iter()
            .find_map(|b| match b {
                Block::Bullets(items) => Some(items),
                _ => None,
            })
            .unwrap();
        let bullet = bullets
            .iter()
            .find(|t| t.to_plain().starts_with(entry.as_str()))
            .unwrap_or_else(|| panic!("no bullet `{entry}` under {name}"));
        let k: usize = entry
            .split("point ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|k| k.parse().ok())
            .unwrap_or_else(|| panic!("no point in `{entry}`"));
        let hrefs: Vec<&str> = bullet
            .0
            .iter()
            .filter_map(|i| match i {
                Inline::Link { href, .. } => Some(href.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(hrefs, [format!("#point-{k}").as_str()], "{entry}");
        assert!(table.row_ids.contains(&Some(format!("point-{k}"))));
    }
}

/// Checks every kept run's link: one per replication of each point, to a run folder (holding
/// a run's manifest) of that point and replication.
fn check_run_links(doc: &Document, out: &Path, points: usize, replications: usize) {
    let table = points_table(doc);
    let mut all = 0;
    for (row, id) in table.rows.iter().zip(&table.row_ids) {
        let k: usize = id.as_deref().unwrap()["point-".len()..].parse().unwrap();
        let cell = row.last().unwrap();
        let row_links: Vec<(String, String)> = cell
            .0
            .iter()
            .filter_map(|i| match i {
                Inline::Link { text, href } => Some((text.clone(), href.clone())),
                _ => None,
            })
            .collect();
        assert_eq!(row_links.len(), replications, "point {k}");
        for (r, (text, href)) in row_links.iter().enumerate() {
            assert_eq!(*text, format!("r{r:02}"));
            let folder = href
                .strip_prefix("runs/")
                .and_then(|h| h.strip_suffix("/report.html"))
                .unwrap_or_else(|| panic!("{href}"));
            assert!(folder.starts_with(&format!("p{k:04}-r{r:02}-")), "{href}");
            let m = Manifest::read(&out.join("runs").join(folder))
                .unwrap_or_else(|| panic!("{href}: no run folder"));
            assert!(m.kind.is_run());
            all += 1;
        }
    }
    assert_eq!(all, points * replications);
}

#[test]
fn a_sweep_report_has_every_level_point_best_point_run_and_plot() {
    let swept = target_value();
    let doc = build(&swept.out);
    assert_eq!(doc.title, "target-value");
    assert!(
        doc.lead
            .as_ref()
            .unwrap()
            .to_plain()
            .starts_with("What does a lower TargetValue buy?")
    );
    let ids: Vec<&str> = doc.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["experiment", "curves", "best", "points", "reproduce"]);

    // The grid: TargetValue from 30 to 80 in steps of 10, into the policy's path.
    let experiment = plain(section(&doc, "experiment"));
    assert!(
        experiment.contains("30, 40, 50, 60, 70, 80"),
        "{experiment}"
    );
    assert!(
        experiment.contains(
            "each level into auto_scaling_groups[0].Policies[0].TargetTrackingConfiguration.TargetValue"
        ),
        "{experiment}"
    );
    assert!(experiment.contains("experiments/target-value.json"));
    assert!(experiment.contains("5 per point: 6 points × 5 = 30 runs (30 finished)"));
    for (metric, from) in [
        ("cost_usd", "cost.total"),
        ("instance_hours", "auto_scaling_groups[0].instance_hours"),
        ("p99_ms", "latency_ms.p99"),
        ("max_in_service", "auto_scaling_groups[0].max_in_service"),
    ] {
        assert!(experiment.contains(&format!("{metric}\n")), "{metric}");
        assert!(
            experiment.contains(&format!("{from} in each run's summary.json")),
            "{from}"
        );
    }

    // A row per point, in grid order, each with its anchor and its TargetValue.
    let table = points_table(&doc);
    let ids: Vec<Option<String>> = (0..6).map(|k| Some(format!("point-{k}"))).collect();
    assert_eq!(table.row_ids, ids);
    for (k, row) in table.rows.iter().enumerate() {
        assert_eq!(row[0].to_plain(), k.to_string());
        assert_eq!(row[1].to_plain(), (30 + 10 * k).to_string());
        assert_eq!(row[row.len() - 2].to_plain(), "5", "n");
    }

    check_best_points(&doc, &swept.stdout, &["cheapest with p99 <= 70 ms"], 1);
    check_run_links(&doc, &swept.out, 6, 5);

    // Every plot the manifest lists, in its order, as a figure with its SVG.
    let manifest = Manifest::read(&swept.out).unwrap();
    let svgs: Vec<&String> = manifest
        .files
        .iter()
        .filter(|f| f.ends_with(".svg"))
        .collect();
    assert!(svgs.len() >= 4, "{svgs:?}");
    let figures: Vec<_> = section(&doc, "curves")
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Figure(f) => Some(f),
            _ => None,
        })
        .collect();
    assert_eq!(figures.len(), svgs.len());
    for (fig, file) in figures.iter().zip(&svgs) {
        assert_eq!(format!("{}.svg", fig.name), **file);
        assert_eq!(fig.svg, fs::read_to_string(swept.out.join(file)).unwrap());
        if fig.name.starts_with("plot-") {
            assert!(
                fig.caption.contains("95 % confidence interval"),
                "{}",
                fig.caption
            );
            assert!(fig.caption.contains("against target"), "{}", fig.caption);
        }
    }
    assert!(figures.iter().any(|f| f.name == "plot-p99_ms"));

    let reproduce = plain(section(&doc, "reproduce"));
    assert!(reproduce.contains("albsim sweep experiments/target-value.json --keep-runs"));
    assert!(reproduce.contains(env!("CARGO_PKG_VERSION")));

    look_at(&swept.out, &doc);
}

/// For looking at: the page and the Markdown as the writers render them.
fn look_at(out: &Path, doc: &Document) {
    use albsim::report::document::{html, markdown};
    fs::write(out.join("report-content.html"), html::render(doc)).unwrap();
    let md = markdown::render(doc, &|f| format!("{}.png", f.name));
    fs::write(out.join("report-content.md"), md).unwrap();
}

#[test]
fn cases_constraint_and_an_objective_per_level() {
    let swept = cases_and_constraint();
    let doc = build(&swept.out);
    let experiment = plain(section(&doc, "experiment"));
    // Both cases, each with what it sets; the numeric parameters' levels and paths.
    assert!(
        experiment.contains("light\nnothing: the model as written\n"),
        "{experiment}"
    );
    assert!(
        experiment.contains("heavy\nclients[0].requests[0].service_time.mean_ms = 30\n"),
        "{experiment}"
    );
    assert!(experiment.contains("50, 150\n"), "{experiment}");
    assert!(experiment.contains("1, 2, 3\n"), "{experiment}");
    assert!(experiment.contains(
        "each level into auto_scaling_groups[0].MinSize, auto_scaling_groups[0].MaxSize, auto_scaling_groups[0].DesiredCapacity"
    ));
    assert!(experiment.contains("duration = \"2m\""), "{experiment}");
    // 2 × 3 × 2 = 12 combinations; rate/instances < 95 leaves out rate 150 on 1 instance
    // (150 ≥ 95) in both cases: 10 points.
    assert!(
        experiment.contains("3 parameters of 2 × 3 × 2 levels (12 combinations)"),
        "{experiment}"
    );
    assert!(
        experiment.contains("rate / instances < 95 are run: 10 points."),
        "{experiment}"
    );

    let table = points_table(&doc);
    assert_eq!(table.rows.len(), 10);
    let ids: Vec<Option<String>> = (0..10).map(|k| Some(format!("point-{k}"))).collect();
    assert_eq!(table.row_ids, ids);
    for row in &table.rows {
        let (rate, instances): (f64, f64) = (
            row[1].to_plain().parse().unwrap(),
            row[2].to_plain().parse().unwrap(),
        );
        assert!(rate / instances < 95.0);
    }
    // One best line per rate.
    check_best_points(
        &doc,
        &swept.stdout,
        &["smallest fleet with p99 <= 150 ms"],
        2,
    );
    check_run_links(&doc, &swept.out, 10, 2);
    // The curves' lines: every level pair of instances and work (instances first, as `lines`).
    for fig in section(&doc, "curves")
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Figure(f) if f.name.starts_with("plot-") => Some(f),
            _ => None,
        })
    {
        assert!(
            fig.caption
                .contains("against rate: the mean over each point's 2 replications, one line per combination of instances × work;"),
            "{}",
            fig.caption
        );
    }
    let best = plain(section(&doc, "best"));
    assert!(best.contains("rate=50: point"), "{best}");
    assert!(best.contains("rate=150: point"), "{best}");
    look_at(&swept.out, &doc);
}

#[test]
fn a_run_folder_is_refused_naming_it() {
    let swept = target_value();
    let run = fs::read_dir(swept.out.join("runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let err = sweep_report::read(&OnDisk(run.clone()))
        .unwrap_err()
        .to_string();
    assert!(err.contains(&run.display().to_string()), "{err}");
    assert!(err.contains("is a run's manifest"), "{err}");
}
