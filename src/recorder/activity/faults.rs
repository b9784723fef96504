//! Injected faults: when they strike, whom they miss, when they end.

use std::fmt;

/// An injected fault.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// The fault strikes.
    Starts {
        /// What it is, in words (`crash`, `health path broken`, …).
        fault: &'static str,
        /// What it does (`in-flight requests are reset, new connections refused`).
        effect: String,
        /// How long it lasts \[s\]; `None` until the end of the run.
        recovery_seconds: Option<f64>,
    },
    /// No running instance matched the fault's target.
    HitsNothing,
    /// The fault ends.
    Ends {
        /// The fault's `type` in the model (`crash`, `health_path_broken`, …).
        fault: &'static str,
    },
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Starts {
                fault,
                effect,
                recovery_seconds,
            } => {
                write!(f, "{fault}: {effect} (")?;
                match recovery_seconds {
                    Some(s) => write!(f, "for {s:.0} s)"),
                    None => f.write_str("until the end of the run)"),
                }
            }
            Fault::HitsNothing => f.write_str("no running instance to hit: the fault does nothing"),
            Fault::Ends { fault } => write!(f, "{fault} ends: recovered"),
        }
    }
}
