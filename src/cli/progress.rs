//! Progress of a long run on a terminal: simulated time reached of the total, events per
//! second and an estimate of the time left, drawn on stderr.
//!
//! Shown only when stderr is a terminal, `--quiet` is not given and the run has taken more than
//! [`SHOW_AFTER`]; silent otherwise, so pipes, files and tests never see it. The run reports every
//! [`crate::PROGRESS_EVERY`] events; the line is redrawn at most every [`REDRAW_EVERY`].
//!
//! Drawing is `indicatif`'s: it fits the line to the terminal's width (a hand-written `\r` line
//! that wraps cannot be redrawn), throttles and clears it before the summary is printed.

use crate::report::terminal::{human_duration, thousands};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// Runs shorter than this show no progress.
pub const SHOW_AFTER: Duration = Duration::from_secs(1);

/// The progress line is updated at most this often.
pub const REDRAW_EVERY: Duration = Duration::from_millis(200);

/// The progress line of one run (nothing at all if it is not to be shown).
#[derive(Debug)]
pub struct ProgressLine {
    enabled: bool,
    bar: Option<ProgressBar>,
    last_update: Duration,
}

impl ProgressLine {
    /// Progress for a run whose output is `--quiet` or not: shown only on a terminal.
    pub fn for_stderr(quiet: bool) -> ProgressLine {
        ProgressLine {
            enabled: !quiet && std::io::stderr().is_terminal(),
            bar: None,
            last_update: Duration::ZERO,
        }
    }

    /// Takes in where the run stands.
    pub fn update(&mut self, p: &crate::Progress) {
        if !self.enabled || p.wall < SHOW_AFTER {
            return;
        }
        if self.bar.is_some() && p.wall < self.last_update + REDRAW_EVERY {
            return;
        }
        self.last_update = p.wall;
        let bar = self.bar.get_or_insert_with(|| new_bar(p.end.0));
        bar.set_position(p.now.0.min(p.end.0));
        bar.set_message(describe(p));
    }

    /// Removes the line (before the summary is printed, or an error).
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        self.finish();
    }
}

/// A bar whose length is the run's simulated time in nanoseconds.
fn new_bar(end_nanos: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(end_nanos), ProgressDrawTarget::stderr());
    // A constant template: it parses.
    let style = ProgressStyle::with_template("  simulating [{bar:24}] {percent:>3}%  {wide_msg}")
        .expect("valid progress template")
        .progress_chars("=> ");
    bar.set_style(style);
    bar
}

/// `2h 10m of 24h simulated, 1,234,000 events/s, about 3m 20s left`.
pub fn describe(p: &crate::Progress) -> String {
    let wall = p.wall.as_secs_f64();
    let rate = if wall > 0.0 {
        (p.events as f64 / wall) as u64
    } else {
        0
    };
    let left = match time_left(p) {
        Some(d) => format!("about {} left", human_duration(d.as_secs_f64().ceil())),
        None => "time left unknown".into(),
    };
    format!(
        "{} of {} simulated, {} events/s, {left}",
        human_duration(p.now.as_secs_f64()),
        human_duration(p.end.as_secs_f64()),
        thousands(rate)
    )
}

/// Wall-clock time left if the run goes on at the pace it has had so far.
pub fn time_left(p: &crate::Progress) -> Option<Duration> {
    let (now, end) = (p.now.as_secs_f64(), p.end.as_secs_f64());
    if now <= 0.0 || now > end {
        return None;
    }
    let secs = p.wall.as_secs_f64() * (end - now) / now;
    Duration::try_from_secs_f64(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::SimTime;

    fn at(now_s: u64, end_s: u64, events: u64, wall_s: u64) -> crate::Progress {
        crate::Progress {
            now: SimTime(now_s * 1_000_000_000),
            end: SimTime(end_s * 1_000_000_000),
            events,
            wall: Duration::from_secs(wall_s),
        }
    }

    #[test]
    fn the_line_gives_simulated_time_rate_and_time_left() {
        // A quarter of 4 h in 10 s: 30 s more at that pace.
        assert_eq!(
            describe(&at(3600, 4 * 3600, 25_000_000, 10)),
            "1h of 4h simulated, 2,500,000 events/s, about 30s left"
        );
        assert_eq!(
            time_left(&at(3600, 4 * 3600, 1, 10)),
            Some(Duration::from_secs(30))
        );
    }

    #[test]
    fn no_estimate_before_simulated_time_moves() {
        assert_eq!(time_left(&at(0, 60, 65_536, 2)), None);
        assert_eq!(
            describe(&at(0, 60, 65_536, 2)),
            "0s of 1m simulated, 32,768 events/s, time left unknown"
        );
    }

    #[test]
    fn nothing_is_drawn_when_disabled_or_early() {
        let mut off = ProgressLine {
            enabled: false,
            bar: None,
            last_update: Duration::ZERO,
        };
        off.update(&at(10, 60, 1, 5));
        assert!(off.bar.is_none());
        let mut early = ProgressLine {
            enabled: true,
            bar: None,
            last_update: Duration::ZERO,
        };
        early.update(&crate::Progress {
            wall: SHOW_AFTER / 2,
            ..at(10, 60, 1, 0)
        });
        assert!(early.bar.is_none(), "a short run shows nothing");
    }
}
