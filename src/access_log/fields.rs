//! The fields of an ALB access-log entry, in the order AWS writes them (ALB User Guide, "Access
//! log entries"; the Athena `alb_access_logs` table names them the same way). Quoted fields are
//! written between double quotes. Readers ignore fields after the last one they know, as AWS asks.

/// One field of an access-log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// AWS's name for it.
    pub name: &'static str,
    /// Whether it is written between double quotes.
    pub quoted: bool,
}

const fn plain(name: &'static str) -> Field {
    Field {
        name,
        quoted: false,
    }
}

const fn quoted(name: &'static str) -> Field {
    Field { name, quoted: true }
}

/// Every field albsim writes, in AWS's order (`client:port` and `target:port` are one field each).
pub const FIELDS: [Field; 30] = [
    plain("type"),
    plain("time"),
    plain("elb"),
    plain("client:port"),
    plain("target:port"),
    plain("request_processing_time"),
    plain("target_processing_time"),
    plain("response_processing_time"),
    plain("elb_status_code"),
    plain("target_status_code"),
    plain("received_bytes"),
    plain("sent_bytes"),
    quoted("request"),
    quoted("user_agent"),
    plain("ssl_cipher"),
    plain("ssl_protocol"),
    plain("target_group_arn"),
    quoted("trace_id"),
    quoted("domain_name"),
    quoted("chosen_cert_arn"),
    plain("matched_rule_priority"),
    plain("request_creation_time"),
    quoted("actions_executed"),
    quoted("redirect_url"),
    quoted("error_reason"),
    quoted("target:port_list"),
    quoted("target_status_code_list"),
    quoted("classification"),
    quoted("classification_reason"),
    plain("conn_trace_id"),
];

/// Position of a field in [`FIELDS`], by name.
pub fn index(name: &str) -> Option<usize> {
    FIELDS.iter().position(|f| f.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found_where_they_stand() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert_eq!(index(f.name), Some(i), "{}", f.name);
        }
    }
}
