//! The AWS model: one file per concept, and the [`world::World`] that runs them.
//!
//! | file | models | AWS names |
//! | --- | --- | --- |
//! | [`client`], [`arrival`] | traffic sources: open-loop arrivals, closed-loop users | — |
//! | [`distribution`] | service, think and handshake times | — |
//! | [`listener`], [`matching`], [`route`] | listeners, rules, conditions, actions | `path-pattern`, `forward`, `redirect`, `fixed-response` |
//! | [`target_group`] | routing algorithms | `load_balancing.algorithm.type` |
//! | [`instance`], [`catalog`] | targets: workers, backlog, CPU sharing, instance types | `t3.micro`, `CPUUtilization` |
//! | [`connection`] | keep-alive, idle timeout, HTTP/2 streams | `idle_timeout.timeout_seconds`, `client_keep_alive.seconds` |
//! | [`health`] | health checks and target states | `HealthCheckIntervalSeconds`, `HealthyThresholdCount`, `Target.Timeout` |
//! | [`fault`] | injected failures and register/deregister operations | — |
//! | [`autoscaling`] | Auto Scaling groups, policies, capacity arithmetic | `DesiredCapacity`, `TargetTrackingScaling`, `DefaultCooldown` |
//! | [`cloudwatch`] | alarms: M of N datapoints, missing data, statistics | `EvaluationPeriods`, `DatapointsToAlarm`, `TreatMissingData` |
//! | [`timing`] | checked conversion of a model's times and milliseconds to simulated time | — |
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
pub mod number;
pub mod route;
pub mod target_group;
pub mod timing;
pub mod world;
