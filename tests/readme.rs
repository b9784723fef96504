//! The README's examples are tests, so the README cannot drift from what albsim prints.
//!
//! Every ```` ```console ```` block of README.md is run with [trycmd]: each `$ …` line is a
//! command exactly as a user types it in a checkout (`albsim run models/quickstart.json`), and the
//! lines below it are its expected output (stdout and stderr together), compared line by line.
//! `[..]` stands for the volatile part of a line (wall time), a line `...` for lines the README
//! leaves out, and `? 2` below a command for its exit code. Excerpts of output files are checked
//! the same way, as the output of `grep`/`head` on the file the run wrote.
//!
//! The commands run in a sandbox, a temporary folder holding copies of `models/` and
//! `tests/readme/` (the example inputs): runs write `output/<model>/` there, never into the
//! repository, and the sandbox belongs to this test binary alone, so nothing else writes there.
//!
//! After an intended change of output, regenerate the README's blocks from the binary with
//! `TRYCMD=overwrite cargo test --release --test readme` and review the diff.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Programs the README's console blocks may call. trycmd silently skips a command whose program it
/// does not know, so a command naming any other program fails this test instead.
const PROGRAMS: &[&str] = &["albsim", "grep", "head"];

/// Folders copied into the sandbox at the same relative paths, so every command works as typed in
/// a checkout of the repository.
const SANDBOX_INPUTS: &[&str] = &["models", "experiments", "tests/readme"];

/// What follows a number that changes from run to run (the wall time, a rate per wall second):
/// the README shows `[..]` in its place.
const VOLATILE_UNITS: &[&str] = &[" s wall", " events/s"];

/// JSON keys whose string value changes without the simulation changing (the version that wrote
/// the file): the README shows `"[..]"` as their value.
const VOLATILE_KEYS: &[&str] = &["\"albsim_version\": \""];

/// The longest one README command may take (the slowest takes about a second in a debug build).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(120);

#[test]
fn readme_console_blocks_show_what_albsim_prints() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = repo.join("README.md");
    let text = std::fs::read_to_string(&readme).expect("README.md is readable");

    let commands = console_commands(&text);
    assert!(
        !commands.is_empty(),
        "README.md has no ```console block with a `$ ` command: nothing would be checked"
    );
    for (line, program) in &commands {
        assert!(
            PROGRAMS.contains(&program.as_str()),
            "README.md line {line}: `{program}` is not one of the programs the README test knows \
             ({PROGRAMS:?}); trycmd would skip the command unchecked"
        );
    }

    if let Some(line) = lines(&text).iter().find(|l| {
        l.text.starts_with(char::is_whitespace) && l.text.trim_start().starts_with("```console")
    }) {
        panic!(
            "README.md line {}: an indented ```console fence is not run by trycmd; start it at the \
             beginning of the line",
            line.number
        );
    }

    let unmarked = mark_volatile(&text);
    if unmarked != text && std::env::var_os("TRYCMD").is_none() {
        let line = text
            .lines()
            .zip(unmarked.lines())
            .position(|(a, b)| a != b)
            .map_or(0, |i| i + 1);
        panic!(
            "README.md line {line}: a volatile value (a number before {VOLATILE_UNITS:?}, or the \
             value of {VOLATILE_KEYS:?}) is written out; write `[..]` instead (`TRYCMD=overwrite` \
             does it)"
        );
    }

    let sandbox = tempfile::tempdir().expect("a temporary folder for the sandbox");
    for folder in SANDBOX_INPUTS {
        copy_folder(&repo.join(folder), &sandbox.path().join(folder));
    }
    // No other test of this binary uses the working folder, so changing it affects nothing else.
    std::env::set_current_dir(sandbox.path()).expect("enter the sandbox");

    let cases = trycmd::TestCases::new();
    cases.timeout(COMMAND_TIMEOUT);
    // `--help` wraps at $COLUMNS when no stream is a terminal (here none is): pin clap's default.
    cases.env("COLUMNS", "100");
    cases.register_bin("albsim", Path::new(env!("CARGO_BIN_EXE_albsim")));
    for program in PROGRAMS.iter().filter(|p| **p != "albsim") {
        cases.register_bin(*program, on_path(program));
    }
    cases.case(&readme);
    cases.run();
    drop(cases);

    if std::env::var_os("TRYCMD").is_some_and(|mode| mode == "overwrite") {
        // trycmd wrote the binary's output literally into every block that differed: mark the
        // volatile parts again, so the regenerated README passes the next run.
        let written = std::fs::read_to_string(&readme).expect("README.md is readable");
        let marked = mark_volatile(&written);
        if marked != written {
            std::fs::write(&readme, marked).expect("README.md is writable");
        }
    }
}

/// One line of markdown (with its line ending) and whether it is inside a console block.
struct Line<'a> {
    /// 1-based line number.
    number: usize,
    text: &'a str,
    /// Between the fences of a block that trycmd runs (fence lines excluded).
    in_console: bool,
}

/// The lines of `markdown`, each marked inside a console block or not, read as trycmd reads them:
/// a fence starts at the beginning of a line; a block runs if its info string is empty, `console`
/// or `trycmd`, unless it also says `ignore`; it ends at a line starting with its opening backticks.
fn lines(markdown: &str) -> Vec<Line<'_>> {
    let mut open: Option<(&str, bool)> = None; // inside a block: (its backticks, whether it runs)
    let mut lines = Vec::new();
    for (i, text) in markdown.split_inclusive('\n').enumerate() {
        let ticks = &text[..text.len() - text.trim_start_matches('`').len()];
        let in_console = match open {
            Some((fence, _)) if text.starts_with(fence) => {
                open = None;
                false
            }
            Some((_, runs)) => runs,
            None if ticks.len() >= 3 => {
                let mut info = text[ticks.len()..].trim().split(',');
                let lang = info.next().unwrap_or("");
                let runs =
                    matches!(lang, "" | "console" | "trycmd") && !info.any(|w| w == "ignore");
                open = Some((ticks, runs));
                false
            }
            None => false,
        };
        lines.push(Line {
            number: i + 1,
            text,
            in_console,
        });
    }
    lines
}

/// The program of every `$ ` command in the console blocks (after any `NAME=value` environment
/// settings), with its line number.
fn console_commands(markdown: &str) -> Vec<(usize, String)> {
    lines(markdown)
        .into_iter()
        .filter(|line| line.in_console)
        .filter_map(|line| {
            let command = line.text.strip_prefix("$ ")?;
            let program = command.split_whitespace().find(|word| !word.contains('='));
            Some((line.number, program.unwrap_or("").to_owned()))
        })
        .collect()
}

/// `markdown` with every number that precedes one of [`VOLATILE_UNITS`], and the value of each of
/// [`VOLATILE_KEYS`], on an output line of a console block replaced by `[..]`.
fn mark_volatile(markdown: &str) -> String {
    lines(markdown)
        .into_iter()
        .map(|line| {
            let is_output = line.in_console && !line.text.starts_with("$ ");
            if is_output {
                mark_volatile_line(line.text)
            } else {
                line.text.to_owned()
            }
        })
        .collect()
}

/// `line` with the number before each of [`VOLATILE_UNITS`] and the string after each of
/// [`VOLATILE_KEYS`] replaced by `[..]`.
fn mark_volatile_line(line: &str) -> String {
    let mut line = line.to_owned();
    for key in VOLATILE_KEYS {
        if let Some(found) = line.find(key) {
            let start = found + key.len();
            if let Some(len) = line[start..].find('"') {
                line.replace_range(start..start + len, "[..]");
            }
        }
    }
    for unit in VOLATILE_UNITS {
        let mut from = 0;
        while let Some(found) = line[from..].find(unit) {
            let end = from + found;
            let start = line[..end]
                .rfind(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
                .map_or(0, |i| i + 1);
            if line[start..end].bytes().any(|b| b.is_ascii_digit()) {
                line.replace_range(start..end, "[..]");
                from = start + "[..]".len() + unit.len();
            } else {
                from = end + unit.len();
            }
        }
    }
    line
}

/// The full path of `program` on `PATH`, or why it cannot be run.
fn on_path(program: &str) -> Result<PathBuf, String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| format!("the README's examples need `{program}` on PATH"))
}

/// Copies the folder `from` to `to`, recursively (regular files and folders only).
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()));
    for entry in entries {
        let entry = entry.unwrap_or_else(|e| panic!("read {}: {e}", from.display()));
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if source.is_dir() {
            copy_folder(&source, &target);
        } else {
            std::fs::copy(&source, &target).unwrap_or_else(|e| {
                panic!("copy {} to {}: {e}", source.display(), target.display())
            });
        }
    }
}

#[test]
fn console_commands_finds_commands_only_in_console_blocks() {
    let markdown = "\
```sh
$ cargo run
```
```console
$ albsim run models/quickstart.json
  requests   1 received
$ TRYCMD=1 grep x y
```
```console,ignore
$ nope
```
````
$ bare
````
";
    assert_eq!(
        console_commands(markdown),
        vec![
            (5, "albsim".to_owned()),
            (7, "grep".to_owned()),
            (13, "bare".to_owned())
        ]
    );
}

#[test]
fn mark_volatile_replaces_wall_time_rates_and_version_in_console_output_only() {
    let markdown = "\
took 0.3 s wall in prose
```console
$ albsim run m.json --note 1.5 s wall
m: 30m simulated (seed 42) in 0.02 s wall, 321,121 events, 1,234,567 events/s
m: 30m simulated (seed 42) in [..] s wall
  \"albsim_version\": \"0.1.0\",
```
```text
in 0.02 s wall
```
";
    let expected = "\
took 0.3 s wall in prose
```console
$ albsim run m.json --note 1.5 s wall
m: 30m simulated (seed 42) in [..] s wall, 321,121 events, [..] events/s
m: 30m simulated (seed 42) in [..] s wall
  \"albsim_version\": \"[..]\",
```
```text
in 0.02 s wall
```
";
    assert_eq!(mark_volatile(markdown), expected);
}
