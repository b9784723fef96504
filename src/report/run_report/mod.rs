//! The run report's content: what the model is, what happened, and why.

use crate::report::document::{Document, Section};
use crate::report::folder::RunFolder;

/// The report of one run.
pub fn build(f: &RunFolder) -> Document {
    Document {
        title: f.manifest.model.clone(),
        lead: None,
        sections: vec![Section {
            id: "timeline".into(),
            title: "Timeline".into(),
            blocks: vec![crate::report::document::Block::Figure(
                crate::report::document::Figure {
                    name: "timeline".into(),
                    svg: f.timeline_svg.clone(),
                    caption: "The run's metrics per period.".into(),
                },
            )],
        }],
    }
}
