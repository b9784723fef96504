//! albsim's integration tests: one binary (`cargo test --release --test it`), one module per
//! behaviour. Theory checks need many samples: run them in release.

mod arrivals;
mod autoscaling;
mod bad_input;
mod cli;
mod cloudwatch;
mod common;
mod connections;
mod determinism;
mod draining;
mod faults;
mod golden;
mod health_timeline;
mod hostile_models;
mod invariants;
mod livelock;
mod model_checks;
mod model_errors;
mod model_gen;
mod model_stories;
mod never_lie;
mod output_safety;
mod partial_results;
mod plot;
mod properties;
mod routing;
mod rule_conditions;
mod size_limits;
mod terminated_cpu;
mod theory_closed_loop;
mod theory_mm1;
mod theory_mmc;
mod theory_ps;
mod time_limits;
mod users;
mod utilisation;
