//! Queue and topic names, and references to them by name or by ARN.
//!
//! AWS's rules: a queue name (`QueueName`) is 1–80 characters, letters, digits, `-` and `_`; a FIFO
//! queue's name ends in `.fifo`, counted in the 80. A topic name (`TopicName`) is the same with
//! 1–256 characters. Elsewhere a queue or topic is named by its name or by its ARN,
//! `arn:aws:sqs:us-east-1:123456789012:orders` (the last segment is the name).

use super::super::FieldError;
use super::super::path::JsonPath;

/// The suffix of FIFO queue and topic names.
pub(super) const FIFO_SUFFIX: &str = ".fifo";

/// Longest `QueueName` (with `.fifo`).
pub(super) const MAX_QUEUE_NAME: usize = 80;

/// Longest `TopicName` (with `.fifo`).
pub(super) const MAX_TOPIC_NAME: usize = 256;

/// Which AWS service a name belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Service {
    /// Amazon SQS: queues.
    Sqs,
    /// Amazon SNS: topics.
    Sns,
}

impl Service {
    fn arn_service(self) -> &'static str {
        match self {
            Service::Sqs => "sqs",
            Service::Sns => "sns",
        }
    }

    /// `queue` or `topic`.
    pub(super) fn thing(self) -> &'static str {
        match self {
            Service::Sqs => "queue",
            Service::Sns => "topic",
        }
    }

    fn example(self) -> &'static str {
        match self {
            Service::Sqs => "arn:aws:sqs:us-east-1:123456789012:orders",
            Service::Sns => "arn:aws:sns:us-east-1:123456789012:OrderAlerts",
        }
    }

    fn max_len(self) -> usize {
        match self {
            Service::Sqs => MAX_QUEUE_NAME,
            Service::Sns => MAX_TOPIC_NAME,
        }
    }
}

/// Checks a `QueueName` or `TopicName` at `at` against AWS's rule; `fifo` says whether it must
/// end in `.fifo`. The FIFO mismatch itself is the caller's to report (it knows which key says
/// what); this checks length and characters.
pub(super) fn check_name(name: &str, at: &JsonPath, service: Service) -> Result<(), FieldError> {
    let max = service.max_len();
    let stem = name.strip_suffix(FIFO_SUFFIX).unwrap_or(name);
    let ok = !stem.is_empty()
        && name.len() <= max
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(at.error(format!(
            "expected a {} name of 1–{max} characters: letters, digits, '-' and '_', and \".fifo\" at the end for FIFO (AWS's rule), got {}",
            service.thing(),
            shown(name)
        )))
    }
}

/// The name a reference at `at` stands for: the text itself, or the last segment of an ARN of
/// `service` (`arn:<partition>:sqs:<region>:<account>:<name>`).
pub(super) fn referenced<'a>(
    text: &'a str,
    at: &JsonPath,
    service: Service,
) -> Result<&'a str, FieldError> {
    if !text.starts_with("arn:") {
        return Ok(text);
    }
    let parts: Vec<&str> = text.split(':').collect();
    match parts.as_slice() {
        ["arn", partition, svc, region, account, name]
            if !partition.is_empty()
                && *svc == service.arn_service()
                && !region.is_empty()
                && !account.is_empty()
                && !name.is_empty() =>
        {
            Ok(name)
        }
        _ => Err(at.error(format!(
            "expected a {thing} name of this model or an {} ARN such as {:?}, got {}",
            service.arn_service().to_ascii_uppercase(),
            service.example(),
            shown(text),
            thing = service.thing(),
        ))),
    }
}

pub(super) use super::super::names::shown;

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> JsonPath {
        JsonPath::root().key("queues").index(0).key("QueueName")
    }

    #[test]
    fn queue_names_follow_aws_rules() {
        for good in ["orders", "a", "orders.fifo", "A-b_9", &"x".repeat(80)] {
            assert!(check_name(good, &at(), Service::Sqs).is_ok(), "{good}");
        }
        let long_fifo = format!("{}.fifo", "x".repeat(75));
        assert!(check_name(&long_fifo, &at(), Service::Sqs).is_ok());
        let too_long_fifo = format!("{}.fifo", "x".repeat(76));
        for bad in [
            "",
            ".fifo",
            "a.b",
            "a b",
            "ü",
            &"x".repeat(81),
            &too_long_fifo,
        ] {
            let e = check_name(bad, &at(), Service::Sqs).unwrap_err();
            assert!(e.message.contains("1–80 characters"), "{bad}: {e:?}");
        }
        assert!(check_name(&"t".repeat(256), &at(), Service::Sns).is_ok());
        assert!(check_name(&"t".repeat(257), &at(), Service::Sns).is_err());
    }

    #[test]
    fn arns_stand_for_their_last_segment() {
        let q = |t| referenced(t, &at(), Service::Sqs);
        assert_eq!(q("orders"), Ok("orders"));
        assert_eq!(q("arn:aws:sqs:us-east-1:123456789012:orders"), Ok("orders"));
        assert_eq!(
            q("arn:aws-cn:sqs:cn-north-1:123456789012:o.fifo"),
            Ok("o.fifo")
        );
        for bad in [
            "arn:aws:sns:us-east-1:123456789012:orders",
            "arn:aws:sqs:us-east-1:orders",
            "arn:aws:sqs:us-east-1:123456789012:",
        ] {
            let e = q(bad).unwrap_err();
            assert!(e.message.contains("SQS ARN such as"), "{bad}: {e:?}");
        }
        let t = referenced("arn:aws:sns:eu-west-1:1:Alerts", &at(), Service::Sns);
        assert_eq!(t, Ok("Alerts"));
    }
}
