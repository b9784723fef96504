//! albsim's integration tests: one binary (`cargo test --release --test it`), one module per
//! behaviour. Theory checks need many samples: run them in release.

mod arrivals;
mod autoscaling;
mod bad_input;
mod cli;
mod common;
mod connections;
mod determinism;
mod draining;
mod faults;
mod health_timeline;
mod hostile_models;
mod invariants;
mod model_gen;
mod model_stories;
mod properties;
mod routing;
mod rule_conditions;
mod theory_closed_loop;
mod theory_mm1;
mod theory_mmc;
mod theory_ps;
mod users;
mod utilisation;
