//! The AWS model: one file per concept, and the [`world::World`] that runs them.
//!
//! Everything here is runtime: resolved settings and the state and rules the world runs. Building
//! these settings from a model file (defaults, AWS ranges, names to ids) is `crate::scenario`'s
//! job; nothing here reads JSON or imports `scenario`.
//!
//! | file | models | AWS names |
//! | --- | --- | --- |
//! | [`resolved`] | the resolved, runnable model the world is built from, and its warnings | — |
//! | [`client`], [`arrival`] | traffic sources: open-loop arrivals, closed-loop users; their size limits | — |
//! | [`distribution`] | service, think and handshake times: sampling | — |
//! | [`listener`], [`matching`], [`route`] | listeners, rules, conditions, actions: evaluation and precomputed routes | `path-pattern`, `forward`, `redirect`, `fixed-response` |
//! | [`target_group`] | routing algorithms, slow start, sticky sessions | `load_balancing.algorithm.type` |
//! | [`instance`], [`catalog`] | targets: workers, backlog, CPU sharing, instance types | `t3.micro`, `CPUUtilization` |
//! | [`connection`] | keep-alive, idle timeout, HTTP/2 streams | `idle_timeout.timeout_seconds`, `client_keep_alive.seconds` |
//! | [`health`] | health check settings and the target state machine | `HealthCheckIntervalSeconds`, `HealthyThresholdCount`, `Target.Timeout` |
//! | [`fault`] | injected failures and register/deregister operations | — |
//! | [`autoscaling`] | Auto Scaling groups, policies, capacity arithmetic | `DesiredCapacity`, `TargetTrackingScaling`, `DefaultCooldown` |
//! | [`cloudwatch`] | alarms: M of N datapoints, missing data, statistics | `EvaluationPeriods`, `DatapointsToAlarm`, `TreatMissingData` |
//! | [`ids`] | typed indices into the world's tables | — |
//! | [`event`], [`world`] | what happens, and what it does | — |

pub mod arrival;
pub mod autoscaling;
pub mod catalog;
pub mod client;
pub mod cloudwatch;
pub mod connection;
pub mod distribution;
pub mod event;
pub mod fault;
pub mod health;
pub mod ids;
pub mod instance;
pub mod listener;
pub mod matching;
pub mod resolved;
pub mod route;
pub mod target_group;
pub mod world;
