//! (being written) `results.csv`, `points.csv`, `sweep.json`, `results.md`, best points.
