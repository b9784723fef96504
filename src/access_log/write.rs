//! Writing one access-log line per request of a run.
