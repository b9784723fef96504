//! `results.csv` (one row per run) and `points.csv` (one row per point): cells quoted per
//! RFC 4180, lines ending in `\n` as in `timeseries.csv`.

use crate::experiment::summary::Summary;

/// A cell as RFC 4180 writes it: quoted (inner quotes doubled) when it holds `,`, `"` or a line
/// break.
pub(super) fn cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn number(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

fn row(cells: impl IntoIterator<Item = String>) -> String {
    let mut line = cells
        .into_iter()
        .map(|c| cell(&c))
        .collect::<Vec<_>>()
        .join(",");
    line.push('\n');
    line
}

/// `results.csv`: `point,replication,seed,<parameters>,<metrics>`, one row per finished run, in
/// run order; a metric without a value is an empty cell.
pub(super) fn results(s: &Summary<'_>) -> String {
    let e = s.experiment;
    let header = ["point", "replication", "seed"]
        .map(String::from)
        .into_iter()
        .chain(e.parameters.iter().map(|p| p.name.clone()))
        .chain(e.metrics.iter().map(|m| m.name.clone()));
    let mut out = row(header);
    for p in &s.points {
        for run in &p.runs {
            let cells = [
                p.point.index.to_string(),
                run.run.replication.to_string(),
                run.seed.to_string(),
            ]
            .into_iter()
            .chain((0..e.parameters.len()).map(|k| e.level_label(p.point, k).to_string()))
            .chain(run.metrics.iter().map(|v| number(*v)));
            out.push_str(&row(cells));
        }
    }
    out
}

/// `points.csv`: `point,<parameters>,replications`, then `<metric>_mean`, `<metric>_ci95_low`,
/// `<metric>_ci95_high`, `<metric>_n` per metric; one row per point. `replications` counts the
/// point's finished runs, `_n` those with a value of the metric; the interval is empty below two.
pub(super) fn points(s: &Summary<'_>) -> String {
    let e = s.experiment;
    let header = std::iter::once("point".to_string())
        .chain(e.parameters.iter().map(|p| p.name.clone()))
        .chain(std::iter::once("replications".to_string()))
        .chain(e.metrics.iter().flat_map(|m| {
            ["mean", "ci95_low", "ci95_high", "n"].map(|what| format!("{}_{what}", m.name))
        }));
    let mut out = row(header);
    for p in &s.points {
        let cells = std::iter::once(p.point.index.to_string())
            .chain((0..e.parameters.len()).map(|k| e.level_label(p.point, k).to_string()))
            .chain(std::iter::once(p.runs.len().to_string()))
            .chain(p.estimates.iter().flat_map(|est| {
                [
                    number(est.mean),
                    number(est.ci95.map(|c| c.low)),
                    number(est.ci95.map(|c| c.high)),
                    est.n.to_string(),
                ]
            }));
        out.push_str(&row(cells));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell(""), "");
    }

    #[test]
    fn numbers_round_trip() {
        assert_eq!(number(Some(0.1 + 0.2)), "0.30000000000000004");
        assert_eq!(number(Some(3.0)), "3");
        assert_eq!(number(None), "");
        assert_eq!(number(Some(f64::NAN)), "");
    }
}
