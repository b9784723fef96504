//! Reading access-log files: plain or gzip'd (by their first bytes, as S3 delivers them; several
//! gzip members one after the other read as one file), line by line into one reused buffer.
//! Malformed lines are counted and the first few reported as `FILE:LINE: field: what`; with
//! `strict`, the first one stops the reading.

use super::{ParseError, Record, parse_line};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// How many malformed lines are quoted in full (the rest are counted).
pub const MALFORMED_QUOTED: usize = 5;

/// Longest line read \[bytes\]; longer ones are malformed (AWS's lines are a few hundred bytes).
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// What reading the logs found besides the records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogSummary {
    /// Files read.
    pub files: usize,
    /// Lines read (blank lines excepted), malformed or not.
    pub lines: u64,
    /// Malformed lines, skipped.
    pub malformed: u64,
    /// The first [`MALFORMED_QUOTED`] malformed lines as `FILE:LINE: field: what is wrong`.
    pub first_malformed: Vec<String>,
}

/// Logs that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A file could not be opened or read.
    #[error("{}: cannot read the access log", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A malformed line, with `strict`.
    #[error("{}:{line}: {error} (without --strict, malformed lines are counted and skipped)", path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Line number, from 1.
        line: u64,
        /// What is wrong.
        error: ParseError,
    },
}

/// Reads `files` in order and calls `each(file index, line number, record)` for every
/// well-formed line.
pub fn read_logs(
    files: &[PathBuf],
    strict: bool,
    mut each: impl FnMut(usize, u64, &Record<'_>),
) -> Result<LogSummary, ReadError> {
    let mut summary = LogSummary::default();
    let mut buf = Vec::with_capacity(1024);
    for (index, path) in files.iter().enumerate() {
        let io = |source| ReadError::Io {
            path: path.clone(),
            source,
        };
        let mut reader = open(path).map_err(io)?;
        summary.files += 1;
        let mut number = 0u64;
        loop {
            buf.clear();
            let n = read_line_capped(&mut reader, &mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            number += 1;
            let line = trim_line_end(&buf);
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            summary.lines += 1;
            let parsed = if n > MAX_LINE_BYTES {
                Err(ParseError {
                    field: "line",
                    message: format!("longer than {} KiB", MAX_LINE_BYTES / 1024),
                })
            } else {
                match std::str::from_utf8(line) {
                    Ok(text) => parse_line(text),
                    Err(_) => Err(ParseError {
                        field: "line",
                        message: "not UTF-8 text".into(),
                    }),
                }
            };
            match parsed {
                Ok(record) => each(index, number, &record),
                Err(error) if strict => {
                    return Err(ReadError::Malformed {
                        path: path.clone(),
                        line: number,
                        error,
                    });
                }
                Err(error) => {
                    summary.malformed += 1;
                    if summary.first_malformed.len() < MALFORMED_QUOTED {
                        summary
                            .first_malformed
                            .push(format!("{}:{number}: {error}", path.display()));
                    }
                }
            }
        }
    }
    Ok(summary)
}

/// The file as a line reader, gunzipped when it starts with gzip's magic bytes.
fn open(path: &Path) -> std::io::Result<Box<dyn BufRead>> {
    let mut file = BufReader::new(File::open(path)?);
    let gzip = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if gzip {
        Box::new(BufReader::new(flate2::bufread::MultiGzDecoder::new(file)))
    } else {
        Box::new(file)
    })
}

/// Reads up to the next `\n` into `buf`, keeping at most [`MAX_LINE_BYTES`] + 1 bytes of it (a
/// longer line is consumed but not buffered whole). Returns the line's full length.
fn read_line_capped(reader: &mut dyn BufRead, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut total = 0;
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(total);
        }
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let room = (MAX_LINE_BYTES + 1).saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..take.min(room)]);
        reader.consume(take);
        total += take;
        if done {
            return Ok(total);
        }
    }
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let mut end = line.len();
    while end > 0 && matches!(line[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &line[..end]
}

/// A file's whole (gunzipped) content.
#[cfg(test)]
fn read_all(path: &Path) -> Vec<u8> {
    use std::io::Read;
    let mut v = Vec::new();
    open(path).unwrap().read_to_end(&mut v).unwrap();
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{Compression, write::GzEncoder};
    use std::io::Write;

    const LINE: &str = r#"http 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2018-07-02T22:22:48.364000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-" TID_1234abcd5678ef90"#;

    fn gzip(text: &str) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn plain_gzip_and_concatenated_gzip_members_read_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let text = format!("{LINE}\n{LINE}\r\n\n{LINE}");
        let plain = dir.path().join("a.log");
        std::fs::write(&plain, &text).unwrap();
        let gz = dir.path().join("a.log.gz");
        std::fs::write(&gz, gzip(&text)).unwrap();
        let multi = dir.path().join("b.log.gz");
        let mut two = gzip(&format!("{LINE}\n{LINE}\n"));
        two.extend(gzip(&format!("{LINE}\n")));
        std::fs::write(&multi, two).unwrap();
        assert_eq!(read_all(&gz), text.as_bytes());
        for f in [&plain, &gz, &multi] {
            let mut seen = Vec::new();
            let s = read_logs(std::slice::from_ref(f), true, |_, n, r| {
                seen.push((n, r.time_us))
            })
            .unwrap();
            assert_eq!(s.lines, 3, "{}", f.display());
            assert_eq!(s.malformed, 0);
            assert_eq!(seen.len(), 3);
        }
    }

    #[test]
    fn malformed_lines_are_counted_or_stop_a_strict_read() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("x.log");
        let long = "x".repeat(MAX_LINE_BYTES + 10);
        let lines: Vec<String> = (0..8)
            .map(|i| match i {
                1 => "garbage".to_string(),
                2 => long.clone(),
                4..=7 => LINE.replacen("http ", "ftp ", 1),
                _ => LINE.to_string(),
            })
            .collect();
        let mut bytes = lines.join("\n").into_bytes();
        bytes.extend(b"\n\xff\xfe\n");
        std::fs::write(&f, bytes).unwrap();
        let mut good = 0;
        let s = read_logs(std::slice::from_ref(&f), false, |_, _, _| good += 1).unwrap();
        assert_eq!((good, s.lines, s.malformed), (2, 9, 7));
        assert_eq!(s.first_malformed.len(), MALFORMED_QUOTED);
        let name = f.display().to_string();
        assert!(s.first_malformed[0].starts_with(&format!("{name}:2: line: expected at least 13")));
        assert_eq!(
            s.first_malformed[1],
            format!("{name}:3: line: longer than 64 KiB")
        );
        assert!(s.first_malformed[2].starts_with(&format!("{name}:5: type: expected http")));
        let e = read_logs(std::slice::from_ref(&f), true, |_, _, _| {}).unwrap_err();
        assert!(
            e.to_string().starts_with(&format!("{name}:2: line: ")),
            "{e}"
        );
    }

    #[test]
    fn a_missing_file_is_named() {
        let e = read_logs(&[PathBuf::from("/nonexistent/a.log")], false, |_, _, _| {}).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/nonexistent/a.log: cannot read the access log"
        );
        let why = std::error::Error::source(&e).map(ToString::to_string);
        assert!(why.is_some_and(|w| w.contains("No such file")), "{e:?}");
    }
}
