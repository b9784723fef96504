//! Reading `timeseries.csv`.

use albsim::RunResult;

/// A parsed `timeseries.csv`: header and rows of cells.
pub struct Csv {
    /// Column names.
    pub header: Vec<String>,
    /// Data rows.
    pub rows: Vec<Vec<String>>,
}

impl Csv {
    /// The CSV of a run, as `albsim run` writes it.
    pub fn of(r: &RunResult) -> Csv {
        Csv::parse(&albsim::report::timeseries::to_csv(r))
    }

    /// Parses CSV text (no quoting: albsim's CSV has none).
    pub fn parse(text: &str) -> Csv {
        let mut lines = text.lines();
        let header = lines
            .next()
            .expect("a header line")
            .split(',')
            .map(str::to_string)
            .collect::<Vec<_>>();
        let rows: Vec<Vec<String>> = lines
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect();
        for row in &rows {
            assert_eq!(row.len(), header.len(), "ragged CSV row {row:?}");
        }
        Csv { header, rows }
    }

    /// The values of column `name` as numbers.
    pub fn column(&self, name: &str) -> Vec<f64> {
        let i = self
            .header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header));
        self.rows
            .iter()
            .map(|r| {
                r[i].parse::<f64>()
                    .unwrap_or_else(|_| panic!("{name}: not a number: {:?}", r[i]))
            })
            .collect()
    }

    /// The sum of an integer column.
    pub fn sum(&self, name: &str) -> u64 {
        self.column(name).iter().map(|&x| x as u64).sum()
    }
}
