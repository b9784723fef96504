//! Scalar value formats shared by the model file: durations and AWS-style attribute values.
//!
//! AWS's APIs carry attribute values as strings (`"60"`, `"true"`), while people writing JSON by
//! hand write numbers; both are accepted. Durations may be seconds (`300`) or human-readable
//! (`"5m"`, `"300s"`, `"1h 30m"`, `"250ms"`), parsed by `humantime`.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::fmt;
use std::time::Duration;

/// A duration as written: seconds as a number, or a string such as `"5m"`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DurationValue(pub Duration);

impl DurationValue {
    /// As simulated time; durations beyond what simulated time can hold (about 584 years)
    /// saturate at its end, instead of wrapping round to a small value.
    pub fn sim(self) -> crate::engine::SimDuration {
        crate::engine::SimDuration(u64::try_from(self.0.as_nanos()).unwrap_or(u64::MAX))
    }
}

/// Parses `"5m"`, `"300s"`, `"1h 30m"`, `"250ms"` or a bare number of seconds (`"300"`, `"1.5"`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    if let Ok(secs) = t.parse::<f64>() {
        return seconds_to_duration(secs);
    }
    humantime::parse_duration(t).map_err(|e| {
        format!("expected a duration such as \"90s\", \"5m\", \"1h 30m\" or a number of seconds, got {text:?} ({e})")
    })
}

fn seconds_to_duration(secs: f64) -> Result<Duration, String> {
    if (0.0..1e12).contains(&secs) {
        Ok(Duration::from_secs_f64(secs))
    } else {
        Err(format!(
            "expected a non-negative number of seconds, got {secs}"
        ))
    }
}

impl<'de> Deserialize<'de> for DurationValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DurationValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a duration: seconds as a number, or a string such as \"5m\" or \"300s\"",
                )
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DurationValue, E> {
                Ok(DurationValue(Duration::from_secs(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DurationValue, E> {
                Err(E::custom(format!(
                    "expected a non-negative duration, got {v} seconds"
                )))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DurationValue, E> {
                seconds_to_duration(v).map(DurationValue).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DurationValue, E> {
                parse_duration(v).map(DurationValue).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// An integer attribute value, written as a number (`60`) or as AWS writes it (`"60"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AwsInt(pub i64);

impl<'de> Deserialize<'de> for AwsInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = AwsInt;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer, as a number (60) or a string (\"60\")")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<AwsInt, E> {
                i64::try_from(v)
                    .map(AwsInt)
                    .map_err(|_| E::custom("integer too large"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<AwsInt, E> {
                Ok(AwsInt(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<AwsInt, E> {
                if v.fract() == 0.0 && v.abs() < 9e15 {
                    Ok(AwsInt(v as i64))
                } else {
                    Err(E::custom(format!("expected an integer, got {v}")))
                }
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AwsInt, E> {
                v.trim()
                    .parse::<i64>()
                    .map(AwsInt)
                    .map_err(|_| E::custom(format!("expected an integer, got {v:?}")))
            }
        }
        d.deserialize_any(V)
    }
}

/// A boolean attribute value, written as `true` or as AWS writes it (`"true"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AwsBool(pub bool);

impl<'de> Deserialize<'de> for AwsBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = AwsBool;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a boolean, as true/false or \"true\"/\"false\"")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<AwsBool, E> {
                Ok(AwsBool(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<AwsBool, E> {
                match v.trim() {
                    "true" => Ok(AwsBool(true)),
                    "false" => Ok(AwsBool(false)),
                    _ => Err(E::custom(format!(
                        "expected \"true\" or \"false\", got {v:?}"
                    ))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_all_spellings() {
        let p = |s| parse_duration(s).unwrap();
        assert_eq!(p("30m"), Duration::from_secs(1800));
        assert_eq!(p("300s"), Duration::from_secs(300));
        assert_eq!(p("1h 30m"), Duration::from_secs(5400));
        assert_eq!(p("250ms"), Duration::from_millis(250));
        assert_eq!(p("90"), Duration::from_secs(90));
        assert_eq!(p("1.5"), Duration::from_millis(1500));
        assert!(parse_duration("soon").unwrap_err().contains("\"5m\""));
        assert!(parse_duration("-3").is_err());
        // See: issue 7, defect 3
        let huge = DurationValue(Duration::from_secs(18_446_744_074));
        assert_eq!(
            huge.sim().0,
            u64::MAX,
            "saturates instead of wrapping to 0.29 s"
        );
    }

    #[test]
    fn json_values_accept_numbers_and_aws_strings() {
        let d: DurationValue = serde_json::from_str("120").unwrap();
        assert_eq!(d.0, Duration::from_secs(120));
        let d: DurationValue = serde_json::from_str("\"2m\"").unwrap();
        assert_eq!(d.0, Duration::from_secs(120));
        assert!(serde_json::from_str::<DurationValue>("-1").is_err());
        assert_eq!(
            serde_json::from_str::<AwsInt>("\"60\"").unwrap(),
            AwsInt(60)
        );
        assert_eq!(serde_json::from_str::<AwsInt>("60").unwrap(), AwsInt(60));
        assert!(serde_json::from_str::<AwsInt>("6.5").is_err());
        assert_eq!(
            serde_json::from_str::<AwsBool>("\"true\"").unwrap(),
            AwsBool(true)
        );
        assert!(serde_json::from_str::<AwsBool>("\"yes\"").is_err());
    }
}
