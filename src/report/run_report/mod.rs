//! The run report's content: what the model is, what happened, and why.
//!
//! [`build`] reads nothing but the run's folder ([`RunFolder`]) and returns the [`Document`]
//! the writers render: the model's settings as run, the results, the timeline, the narrative
//! of explained events, the activity history with those events' lines marked, the assumptions
//! albsim made for this model, and how to run it again.

mod assumptions;
mod describe;
mod format;
mod history;
mod reproduce;
mod results;
mod settings;

use crate::report::document::{Document, Section, Text};
use crate::report::folder::RunFolder;

pub use assumptions::{ASSUMPTIONS, Assumption};
pub use reproduce::command;

/// The report of one run.
pub fn build(f: &RunFolder) -> Document {
    let sections: Vec<Section> = [
        Some(settings::section(f)),
        Some(results::section(f)),
        Some(history::timeline(f)),
        Some(history::narrative(f)),
        history::activity(f),
        assumptions::section(&f.model),
        Some(reproduce::section(f)),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.blocks.is_empty())
    .collect();
    Document {
        title: f.model.name.clone(),
        lead: f
            .model
            .description
            .as_ref()
            .filter(|d| !d.trim().is_empty())
            .map(|d| Text::plain(d.clone())),
        sections,
    }
}
