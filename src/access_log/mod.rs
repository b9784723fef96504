//! ALB access logs: the AWS format, field by field ([`fields`]); writing one line per request
//! from a run (`albsim run --access-log`, [`write`](mod@write)); reading them back ([`parse`]) to replay real
//! traffic (`"arrival": { "type": "access_log" }`) or to fit service times (`albsim fit`, [`fit`]).

pub mod fields;
pub mod fit;
pub mod parse;
pub mod write;
