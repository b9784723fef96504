//! (being written) Metric curves with confidence bands, heat maps, capacity over time (SVG).
