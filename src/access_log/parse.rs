//! Reading access-log lines back into records.
