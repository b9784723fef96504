//! What a caller may ask of a run besides the model: guards (`--max-events`, `--max-wall`), a
//! progress observer, and why a run can fail to give a correct result.

use crate::engine::SimTime;

/// Why a run could not give a correct result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// Simulated time stopped advancing: events kept happening at one instant.
    #[error("{message}")]
    Stalled {
        /// What kept the clock still, naming the client (or other component) in the model.
        message: String,
    },
}

/// How often (in events) [`crate::run_with`] checks its guards and reports progress.
pub const PROGRESS_EVERY: u64 = 1 << 16;

/// Guards and an observer for one run; the default has none.
#[derive(Default)]
pub struct RunOptions<'a> {
    /// Stop after this many events (`--max-events`).
    pub max_events: Option<u64>,
    /// Stop after this much wall-clock time (`--max-wall`).
    pub max_wall: Option<std::time::Duration>,
    /// Called every [`PROGRESS_EVERY`] events with where the run stands.
    pub progress: Option<&'a mut dyn FnMut(&Progress)>,
    /// Where to write one ALB access-log line per request (`--access-log`); the run takes it and
    /// gives it back when it ends, for the caller to [`finish`](crate::access_log::write::AccessLog::finish).
    pub access_log: Option<Box<crate::access_log::write::AccessLog>>,
}

impl std::fmt::Debug for RunOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("max_events", &self.max_events)
            .field("max_wall", &self.max_wall)
            .field("progress", &self.progress.is_some())
            .field("access_log", &self.access_log)
            .finish()
    }
}

/// Where a run stands, for a progress display.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// Simulated time reached.
    pub now: SimTime,
    /// Simulated time at which the run ends.
    pub end: SimTime,
    /// Events processed so far.
    pub events: u64,
    /// Wall-clock time since the run started.
    pub wall: std::time::Duration,
}
