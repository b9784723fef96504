//! The AWS model: one file per concept, and the [`world::World`] that runs them.
//!
//! Everything here is runtime: resolved settings and the state and rules the world runs. Building
//! these settings from a model file (defaults, AWS ranges, names to ids) is `crate::scenario`'s
//! job; nothing here reads JSON or imports `scenario`.
//!
//! | file | models | AWS names |
//! | --- | --- | --- |
//! | [`resolved`] | the resolved, runnable model the world is built from, and its warnings | — |
//! | [`client`], [`arrival`], [`replay`] | traffic sources: open-loop arrivals, closed-loop users, replayed access logs; their size limits | — |
//! | [`distribution`] | service, think and handshake times: sampling | — |
//! | [`listener`], [`matching`], [`route`] | listeners, rules, conditions, actions: evaluation and precomputed routes | `path-pattern`, `forward`, `redirect`, `fixed-response` |
//! | [`target_group`] | routing algorithms, slow start, sticky sessions | `load_balancing.algorithm.type` |
//! | [`anomaly`] | Automatic Target Weights: anomaly detection and mitigation | `load_balancing.algorithm.anomaly_mitigation`, `AnomalousHostCount`, `MitigatedHostCount` |
//! | [`instance`], [`catalog`] | targets: workers, backlog, CPU sharing, instance types | `t3.micro`, `CPUUtilization` |
//! | [`connection`] | keep-alive, idle timeout, HTTP/2 streams | `idle_timeout.timeout_seconds`, `client_keep_alive.seconds` |
//! | [`health`] | health check settings and the target state machine | `HealthCheckIntervalSeconds`, `HealthyThresholdCount`, `Target.Timeout` |
//! | [`fault`] | injected failures and register/deregister operations | — |
//! | [`autoscaling`] | Auto Scaling groups, policies, capacity arithmetic | `DesiredCapacity`, `TargetTrackingScaling`, `DefaultCooldown` |
//! | [`cloudwatch`] | metrics albsim computes, alarm settings, M of N datapoints, missing data, statistics | `MetricName`, `EvaluationPeriods`, `DatapointsToAlarm`, `TreatMissingData` |
//! | [`sqs`] | SQS queues, SNS topics and subscriptions, producers, worker programs | `VisibilityTimeout`, `RedrivePolicy`, `FilterPolicy`, `WaitTimeSeconds` |
//! | [`ids`] | typed indices into the world's tables | — |
//! | [`event`], [`world`] | what happens, and what it does | — |
//! | `world/mod.rs` | one run: the clock, the event queue, the recorder, event dispatch, period ends | — |
//! | `world/traffic.rs` | clients' random streams and connections, closed-loop users | — |
//! | `world/request_path.rs` | a request from arrival to response: connection, route, forward, answer | `forward`, 502/503/504 |
//! | `world/load_balancer.rs` | the ALB's run state: requests in flight, target groups, sessions, idle deadlines | — |
//! | `world/idle_timeout.rs` | the ALB idle timeout at targets | `idle_timeout.timeout_seconds` |
//! | `world/sessions.rs` | cookie jars for sticky sessions | `lb_cookie`, `app_cookie`, `AWSALB` |
//! | `world/websocket.rs` | WebSocket connections: upgrade, frames, idle close, reconnect | `101 Switching Protocols` |
//! | `world/fleet.rs` | every EC2 instance of the run: spec, state, lifetime, per-period counters | `NetworkIn`, `NetworkOut` |
//! | `world/jobs.rs` | work at instances (a request or a health check): admission and completion | — |
//! | `world/slab.rs` | recycled slots with generations, for requests and checks in flight | — |
//! | `world/health.rs` | health checkers, target states, registration, draining | `RegisterTargets`, `DeregisterTargets`, `Target.Timeout` |
//! | `world/faults.rs` | injected faults and their recovery | — |
//! | `world/stall.rs` | detecting simulated time that stops advancing | — |
//! | `world/autoscaling/mod.rs` | Auto Scaling at run time: groups' start, warm-up, activity history, capacity row and totals | `DefaultInstanceWarmup`, `Activities` |
//! | `world/autoscaling/group.rs` | a group's members, capacity, scale-in victim, unhealthy replacement | `MinSize`, `MaxSize`, `TerminationPolicies`, `HealthCheckType` |
//! | `world/autoscaling/member.rs` | a group's instance and its lifecycle state | `Pending`, `InService`, `Terminating:Wait` |
//! | `world/autoscaling/lifecycle.rs` | launch, lifecycle hooks, registration, draining, termination | `Pending:Wait`, `InService`, `Terminating:Wait` |
//! | `world/autoscaling/metrics.rs` | the groups as a CloudWatch metric source | `CPUUtilization`, `NetworkIn`, `NetworkOut` |
//! | `world/autoscaling/policy.rs` | the seam: an alarm in `ALARM` invokes its policies | `AlarmActions` |
//! | `world/autoscaling/trigger.rs` | what an alarm hands the policy it invokes | `AlarmActions` |
//! | `world/autoscaling/target_tracking.rs` | target tracking | `TargetTrackingScaling`, `DisableScaleIn` |
//! | `world/autoscaling/step.rs` | step scaling | `StepScaling`, `MetricIntervalLowerBound` |
//! | `world/autoscaling/simple.rs` | simple scaling and its cooldown | `SimpleScaling`, `Cooldown` |
//! | `world/autoscaling/scheduled.rs` | scheduled actions | `PutScheduledUpdateGroupAction` |
//! | `world/cloudwatch/mod.rs` | CloudWatch at run time: publishing, then alarm evaluation, each period | `PutMetricData` |
//! | `world/cloudwatch/metric.rs` | metric names, dimensions, statistics; the metric store | `Namespace`, `MetricName`, `Dimensions` |
//! | `world/cloudwatch/alarm.rs` | an alarm's datapoints, state and transitions | `PutMetricAlarm`, `StateValue` |
//! | `world/cloudwatch/load_balancer.rs` | the load balancer as a metric source | `RequestCount`, `TargetResponseTime`, `HTTPCode_ELB_5XX_Count` |

pub mod anomaly;
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
pub mod replay;
pub mod resolved;
pub mod retry;
pub mod route;
pub mod sqs;
pub mod target_group;
pub mod world;
