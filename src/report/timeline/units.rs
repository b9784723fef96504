//! The unit of a CloudWatch metric albsim computes, for the alarm panel's axis.

/// The unit a reader reads the metric `name` in, as CloudWatch reports it (`%` for
/// `CPUUtilization`, `s` for `TargetResponseTime` and `ApproximateAgeOfOldestMessage`,
/// `bytes`, `requests`, `messages`, …); `None` for a metric albsim does not compute.
pub fn metric_unit(name: &str) -> Option<&'static str> {
    Some(match name {
        "CPUUtilization" => "%",
        "NetworkIn" | "NetworkOut" => "bytes",
        "GroupInServiceInstances" => "instances",
        "RequestCount" => "requests",
        "RequestCountPerTarget" => "requests per target",
        "TargetResponseTime" | "ApproximateAgeOfOldestMessage" => "s",
        "HTTPCode_ELB_5XX_Count" => "responses",
        "NumberOfEmptyReceives" => "receives",
        "NumberOfNotificationsDelivered" => "notifications",
        n if n.starts_with("ApproximateNumberOfMessages") || n.starts_with("NumberOfMessages") => {
            "messages"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The units CloudWatch documents for these metrics.
    #[test]
    fn units_follow_cloudwatch() {
        assert_eq!(metric_unit("CPUUtilization"), Some("%"));
        assert_eq!(metric_unit("TargetResponseTime"), Some("s"));
        assert_eq!(metric_unit("ApproximateAgeOfOldestMessage"), Some("s"));
        assert_eq!(
            metric_unit("ApproximateNumberOfMessagesVisible"),
            Some("messages")
        );
        assert_eq!(metric_unit("NumberOfMessagesSent"), Some("messages"));
        assert_eq!(metric_unit("NumberOfMessagesPublished"), Some("messages"));
        assert_eq!(
            metric_unit("RequestCountPerTarget"),
            Some("requests per target")
        );
        assert_eq!(metric_unit("NetworkIn"), Some("bytes"));
        assert_eq!(metric_unit("MemoryUtilization"), None);
    }
}
