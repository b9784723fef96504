//! Reports as their readers get them. Every shipped model's report (`albsim run MODEL --report`,
//! then `albsim report DIR --format both`) and one shipped experiment's, the smallest, with its
//! kept runs (`albsim sweep … --keep-runs --report=both`):
//! - open in Debian's Chromium with no network (tests/browser/check-reports.mjs): no console or
//!   page errors, no request but the file itself, every plot visible and not blank, A4 and Letter
//!   print with a page per section, links that land, and html-validate clean (strict config);
//! - report.md parses and renders as CommonMark, with one PNG image per figure of the HTML page,
//!   each found beside it, and anchors that resolve;
//! - writing a report again gives the same bytes.
//!
//! Screenshots (page, each plot, the A4 print) are left in `target/report-screenshots/` and the
//! report folders in `target/report-browser/`. Without Chromium or `tests/browser/node_modules`
//! the browser tests fail with the command that installs them; `ALBSIM_SKIP_BROWSER=1` skips them.

use crate::common::albsim;
use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The experiment whose sweep report is checked: the smallest shipped one (6 points × 5 runs).
const EXPERIMENT: &str = "target-value";

/// The first bytes of every PNG file.
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The reports written once for all the tests of this module.
struct Reports {
    /// Each shipped model's run folder, by model name.
    runs: Vec<(String, PathBuf)>,
    /// The sweep's folder.
    sweep: PathBuf,
    /// The sweep's kept run folders, in name order.
    kept: Vec<PathBuf>,
}

impl Reports {
    /// Every folder holding a report: the runs, the sweep, its first and last kept run.
    fn folders(&self) -> Vec<PathBuf> {
        let mut all: Vec<PathBuf> = self.runs.iter().map(|(_, p)| p.clone()).collect();
        all.push(self.sweep.clone());
        all.extend(self.kept.first().cloned());
        all.extend(self.kept.last().cloned());
        all
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target")
}

/// Writes the reports on first use; every test sees the same folders (or the same error).
fn reports() -> &'static Reports {
    static REPORTS: OnceLock<Result<Reports, String>> = OnceLock::new();
    match REPORTS.get_or_init(write_reports) {
        Ok(r) => r,
        Err(e) => panic!("the reports could not be written: {e}"),
    }
}

/// Runs `albsim ARGS` in the repository; an error says the command and what it printed.
fn cli(args: &[&str]) -> Result<(), String> {
    let (code, out, err) = albsim(Path::new(env!("CARGO_MANIFEST_DIR")), args);
    if code == Some(0) {
        Ok(())
    } else {
        Err(format!(
            "albsim {} exited {code:?}\n{out}{err}",
            args.join(" ")
        ))
    }
}

fn write_reports() -> Result<Reports, String> {
    let base = root().join("report-browser");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).map_err(|e| format!("{}: {e}", base.display()))?;
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let mut names: Vec<String> = std::fs::read_dir(&models)
        .map_err(|e| e.to_string())?
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().to_string();
            name.strip_suffix(".json").map(str::to_string)
        })
        .collect();
    names.sort();
    let mut runs = Vec::new();
    for name in names {
        let dir = base.join(&name);
        let model = models.join(format!("{name}.json"));
        let (model, d) = (model.to_string_lossy(), dir.to_string_lossy());
        cli(&["run", &model, "--out", &d, "--report", "-q"])?;
        cli(&["report", &d, "--format", "both", "-q"])?;
        runs.push((name, dir));
    }
    let sweep = base.join(format!("sweep-{EXPERIMENT}"));
    let experiment = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("experiments")
        .join(format!("{EXPERIMENT}.json"));
    cli(&[
        "sweep",
        &experiment.to_string_lossy(),
        "--out",
        &sweep.to_string_lossy(),
        "--keep-runs",
        "--report=both",
        "-q",
    ])?;
    let mut kept: Vec<PathBuf> = std::fs::read_dir(sweep.join("runs"))
        .map_err(|e| format!("the sweep kept no runs: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("albsim-output.json").is_file())
        .collect();
    kept.sort();
    Ok(Reports { runs, sweep, kept })
}

/// Every file of `dir` named `report.*` or `*.png`, with its bytes, in name order.
fn report_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().to_string_lossy().to_string();
            (name.starts_with("report.") || name.ends_with(".png"))
                .then(|| (name, std::fs::read(e.path()).unwrap()))
        })
        .collect();
    files.sort();
    files
}

/// `albsim report DIR` writes the same bytes as the report already there (from `run --report`
/// and a first `albsim report`, or from `sweep --report`), for runs and for the sweep.
#[test]
fn reports_are_byte_identical_when_written_again() {
    let r = reports();
    let mut folders: Vec<PathBuf> = r.runs.iter().map(|(_, p)| p.clone()).collect();
    folders.push(r.sweep.clone());
    for dir in folders {
        let before = report_files(&dir);
        let names: Vec<&str> = before.iter().map(|(n, _)| n.as_str()).collect();
        assert!(
            names.contains(&"report.html") && names.contains(&"report.md"),
            "{}: {names:?}",
            dir.display()
        );
        cli(&["report", &dir.to_string_lossy(), "--format", "both", "-q"]).unwrap();
        let after = report_files(&dir);
        assert_eq!(
            before.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            after.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            "{}",
            dir.display()
        );
        for ((name, a), (_, b)) in before.iter().zip(&after) {
            assert!(
                a == b,
                "{}/{name} changed when written again",
                dir.display()
            );
        }
    }
}

/// The number of `<figure` elements of an HTML report: one PNG image each in report.md.
fn html_figures(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("report.html"))
        .unwrap()
        .matches("<figure")
        .count()
}

/// What a CommonMark parser finds in `report.md`: its images, its links and its anchors.
struct Markdown {
    images: Vec<String>,
    links: Vec<String>,
    anchors: Vec<String>,
    html: String,
}

fn parse_markdown(text: &str) -> Markdown {
    let mut md = Markdown {
        images: Vec::new(),
        links: Vec::new(),
        anchors: Vec::new(),
        html: String::new(),
    };
    let options = Options::ENABLE_TABLES;
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => md.images.push(dest_url.to_string()),
            Event::Start(Tag::Link { dest_url, .. }) => md.links.push(dest_url.to_string()),
            Event::Html(h) | Event::InlineHtml(h) => {
                for piece in h.split("<a id=\"").skip(1) {
                    if let Some((id, _)) = piece.split_once('"') {
                        md.anchors.push(id.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    pulldown_cmark::html::push_html(&mut md.html, Parser::new_ext(text, options));
    md
}

/// report.md renders as CommonMark; each figure of the HTML page is an image in it, a PNG file
/// found beside it; its in-page links land on an anchor and its file links on a file.
#[test]
fn markdown_reports_render_with_their_images() {
    let r = reports();
    for dir in r.folders() {
        let path = dir.join("report.md");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let md = parse_markdown(&text);
        let shown = path.display();
        assert!(md.html.contains("<h1>"), "{shown}: no title");
        assert_eq!(
            md.images.len(),
            html_figures(&dir),
            "{shown}: one image per figure of report.html"
        );
        for image in &md.images {
            assert!(!image.contains("://"), "{shown}: remote image {image}");
            let file = dir.join(image);
            let bytes = std::fs::read(&file)
                .unwrap_or_else(|e| panic!("{shown}: image {image} not found: {e}"));
            assert!(
                bytes.starts_with(PNG_SIGNATURE),
                "{shown}: {image} is no PNG"
            );
            assert!(
                md.html.contains(&format!("<img src=\"{image}\"")),
                "{shown}: {image} not rendered as an image"
            );
        }
        for link in &md.links {
            if let Some(anchor) = link.strip_prefix('#') {
                assert!(
                    md.anchors.iter().any(|a| a == anchor),
                    "{shown}: link {link} names no anchor"
                );
            } else if !link.contains("://") {
                let target = link.split('#').next().unwrap();
                assert!(
                    dir.join(target).exists(),
                    "{shown}: link {link} leads nowhere"
                );
            }
        }
    }
}

/// Whether the browser checks can run here; `None` when ALBSIM_SKIP_BROWSER=1 skips them.
/// Fails, saying how to install them, when Chromium or the Node packages are missing.
fn browser() -> Option<PathBuf> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/check-reports.mjs");
    if std::env::var("ALBSIM_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!(
            "\n*** SKIPPED: the browser checks of the reports (ALBSIM_SKIP_BROWSER=1): no report was opened in Chromium ***\n"
        );
        return None;
    }
    let chromium = std::env::var_os("ALBSIM_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let modules = script.with_file_name("node_modules");
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        chromium.is_file() && modules.join("playwright-core").is_dir() && node,
        "browser checks need Chromium, Node and tests/browser/node_modules: apt-get install -y chromium nodejs npm && (cd tests/browser && npm ci), or set ALBSIM_SKIP_BROWSER=1 to skip them"
    );
    Some(script)
}

/// Runs check-reports.mjs on `files`: its exit code and its JSON result.
fn check(script: &Path, files: &[PathBuf], screenshots: &Path) -> (Option<i32>, Value) {
    let out = Command::new("node")
        .arg(script)
        .arg("--screenshots")
        .arg(screenshots)
        .args(files)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "check-reports.mjs printed no JSON ({e}), exit {:?}\n{stdout}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), value)
}

/// The problems each report has, as lines `file: problem`.
fn problems(result: &Value) -> Vec<String> {
    let mut all = Vec::new();
    for r in result["reports"].as_array().unwrap() {
        for p in r["problems"].as_array().unwrap() {
            all.push(format!(
                "{}: {}",
                r["file"].as_str().unwrap(),
                p.as_str().unwrap()
            ));
        }
    }
    all
}

/// Every report opens in Chromium offline with no errors and no request but itself, every plot
/// is visible and drawn, it prints, its links land, and html-validate finds nothing.
#[test]
fn html_reports_pass_in_chromium_and_html_validate() {
    let Some(script) = browser() else { return };
    let r = reports();
    let files: Vec<PathBuf> = r.folders().iter().map(|d| d.join("report.html")).collect();
    let (code, result) = check(&script, &files, &root().join("report-screenshots"));
    let found = problems(&result);
    assert!(
        found.is_empty(),
        "{} problem(s):\n{}",
        found.len(),
        found.join("\n")
    );
    assert_eq!(code, Some(0));
    let reports = result["reports"].as_array().unwrap();
    assert_eq!(reports.len(), files.len());
    for (report, dir) in reports.iter().zip(r.folders()) {
        let plots = report["plots"].as_array().unwrap();
        assert_eq!(plots.len(), html_figures(&dir), "{}", dir.display());
        for plot in plots {
            let shot = plot["screenshot"].as_str().unwrap();
            let png = std::fs::read(shot).unwrap();
            assert!(png.starts_with(PNG_SIGNATURE), "{shot}");
        }
    }
    // A run report shows its timeline; the sweep's shows at least one plot.
    for (report, (name, _)) in reports.iter().zip(&r.runs) {
        let ids: Vec<&str> = report["plots"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["id"].as_str())
            .collect();
        assert!(ids.contains(&"figure-timeline"), "{name}: {ids:?}");
    }
    let sweep = &reports[r.runs.len()];
    assert!(
        !sweep["plots"].as_array().unwrap().is_empty(),
        "the sweep report has no plot"
    );
}

/// The checks can fail: a page with one of each fault (tests/browser/fixtures/broken.html) is
/// reported for every one of them.
#[test]
fn the_browser_checks_catch_each_fault() {
    let Some(script) = browser() else { return };
    let fixture = script.with_file_name("fixtures").join("broken.html");
    let (code, result) = check(&script, &[fixture], &root().join("report-screenshots"));
    assert_eq!(code, Some(1), "a page with faults fails");
    let found = problems(&result).join("\n");
    for fault in [
        "1 <script> element(s)",
        "external request: https://fonts.example.invalid/report.css",
        "external request: http://images.example.invalid/plot.png",
        "console error: a console error",
        "page error: a page error",
        "plot figure-blank is blank",
        "plot figure-grey shows no data",
        "plot figure-hidden is hidden",
        "plot svg-3 is 40×20 px: not visible",
        "link #nowhere leads nowhere",
        "link missing/report.html leads nowhere",
        "A4 print has 1 page(s) for 1 section(s)",
        "html-validate no-dup-id",
        "html-validate close-order",
        "html-validate no-implicit-close",
        "html-validate heading-level",
        "html-validate require-sri",
    ] {
        assert!(found.contains(fault), "not reported: {fault}\n{found}");
    }
}
