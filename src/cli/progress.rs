//! Progress of a long run on a terminal: simulated time reached of the total, events per
//! second and an estimate of the time left, drawn on stderr.
//!
//! Shown only when stderr is a terminal, `--quiet` is not given and the run has taken more than
//! [`SHOW_AFTER`]; silent otherwise, so pipes, files and tests never see it. The run reports every
//! [`crate::PROGRESS_EVERY`] events; the line is redrawn at most every [`REDRAW_EVERY`].
//!
//! Drawing is `indicatif`'s: it fits the line to the terminal's width (a hand-written `\r` line
//! that wraps cannot be redrawn), throttles and clears it before the summary is printed.

use crate::engine::human::rough_duration;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// Runs shorter than this show no progress.
pub const SHOW_AFTER: Duration = Duration::from_secs(1);

/// The progress line is updated at most this often.
pub const REDRAW_EVERY: Duration = Duration::from_millis(200);

/// At most this many redraws a second, whatever calls for them.
const DRAWS_PER_SECOND: u8 = 5;

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
        // Position first: the first frame is drawn as soon as the message is set, and must not
        // show 0 % next to the time reached.
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
    let target = ProgressDrawTarget::stderr_with_hz(DRAWS_PER_SECOND);
    let bar = ProgressBar::with_draw_target(Some(end_nanos), target);
    // A constant template: it parses.
    let style = ProgressStyle::with_template("  [{bar:16}] {percent:>3}% {wide_msg}")
        .expect("valid progress template")
        .progress_chars("=> ");
    bar.set_style(style);
    bar
}

/// `simulated 2h 10m of 1d, 1.2M events/s, 3m 20s left` (fits 80 columns with the bar).
pub fn describe(p: &crate::Progress) -> String {
    let wall = p.wall.as_secs_f64();
    let rate = if wall > 0.0 {
        p.events as f64 / wall
    } else {
        0.0
    };
    let left = match time_left(p) {
        Some(d) => format!("{} left", rough_duration(d.as_secs_f64().ceil())),
        None => "time left unknown".into(),
    };
    format!(
        "simulated {} of {}, {} events/s, {left}",
        rough_duration(p.now.as_secs_f64()),
        rough_duration(p.end.as_secs_f64()),
        per_second(rate)
    )
}

/// A rate with two or three significant digits: `950`, `12k`, `1.2M`.
fn per_second(rate: f64) -> String {
    match rate {
        r if r >= 9.95e5 => format!("{:.1}M", r / 1e6),
        r if r >= 9.95e3 => format!("{:.0}k", r / 1e3),
        r if r >= 1e3 => format!("{:.1}k", r / 1e3),
        r => format!("{r:.0}"),
    }
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
            "simulated 1h of 4h, 2.5M events/s, 30s left"
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
            "simulated 0s of 1m, 33k events/s, time left unknown"
        );
    }

    #[test]
    fn rates_stay_short() {
        assert_eq!(per_second(950.0), "950");
        assert_eq!(per_second(1234.0), "1.2k");
        assert_eq!(per_second(12_345.0), "12k");
        assert_eq!(per_second(999_999.0), "1.0M");
        assert_eq!(per_second(2_468_000.0), "2.5M");
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
