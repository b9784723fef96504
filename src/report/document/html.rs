//! The report as one self-contained HTML page.

use super::Document;

/// The HTML page of `doc`.
pub fn render(doc: &Document) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title></head><body></body></html>\n",
        doc.title
    )
}
