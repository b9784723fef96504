//! Shared helpers of the integration tests, by purpose: model builders (JSON values), running a
//! model, reading its result, activity and `timeseries.csv`, listing folders, exact event times, replication
//! statistics (Student-t and binomial/Poisson intervals) and queueing formulas (Erlang B and C),
//! with unit tests of the formulas themselves (Erlang B/C against textbook values, the t
//! interval). Everything is re-exported here: tests `use crate::common::…`.

mod activity;
mod builders;
mod csv;
mod folders;
mod queueing;
mod results;
mod running;
mod stats;
mod timing;

pub use activity::*;
pub use builders::*;
pub use csv::*;
pub use folders::*;
pub use queueing::*;
pub use results::*;
pub use running::*;
pub use stats::*;
pub use timing::*;
