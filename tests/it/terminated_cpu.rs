//! A terminated instance's CPU integral never runs back in time.
//!
//! Found by the hostile-model generator (`hostile_models`): an Auto Scaling instance terminated
//! (a scheduled action lowers `MaxSize`) while an Availability Zone outage is on, and a request
//! completion handled on it after its termination moved its clock past its death. The next
//! CloudWatch period then brought its CPU integral "up" to the death time, which is earlier: a
//! subtraction overflow (a panic in a debug build, a wrapped integral in release). And the
//! CPU time of that work after the termination was counted as the instance's: a period's
//! `CPUUtilization` of 119 % and 144 %. The integral now ends at the termination.

use std::path::Path;

/// A scheduled action lowers `MaxSize` at 40 s while requests of 127 ms run on the instance
/// terminated (the generator's shrunk case, run for 120 s as the generator runs it).
const BUSY_AT_TERMINATION: &str = r#"{"alarms":[{"AlarmActions":["p-out"],"AlarmName":"alarm","ComparisonOperator":"GreaterThanThreshold","Dimensions":{"AutoScalingGroupName":"asg"},"EvaluationPeriods":4,"MetricName":"CPUUtilization","Period":60,"Statistic":"Average","Threshold":89,"TreatMissingData":"breaching"}],"auto_scaling_groups":[{"AutoScalingGroupName":"asg","AvailabilityZones":["us-east-1a","us-east-1b"],"DefaultCooldown":"147","DesiredCapacity":2,"HealthCheckGracePeriod":"59","LaunchTemplate":{"detailed_monitoring":true,"instance_type":"c5.large","launch_time":{"distribution":"constant","ms":20000}},"LifecycleHooks":[],"MaxSize":2,"MinSize":2,"Policies":[{"AdjustmentType":"ExactCapacity","PolicyName":"p-out","PolicyType":"StepScaling","StepAdjustments":[{"MetricIntervalLowerBound":0,"MetricIntervalUpperBound":17,"ScalingAdjustment":-2},{"MetricIntervalLowerBound":17,"ScalingAdjustment":-2}]}],"ScheduledActions":[{"MaxSize":1,"MinSize":0,"ScheduledActionName":"s0","at":"40s"}],"TargetGroupARNs":["tg-a"],"TerminationPolicies":["Default"]}],"clients":[{"arrival":{"rate_per_second":79.54975073760686,"type":"constant"},"http2":false,"keep_alive":true,"name":"c1","requests":[{"headers":{},"name":"r1","path":"/","port":443,"query":{"version":"2"},"service_time":{"distribution":"constant","ms":126.68983341100949}}],"sessions":13,"source_ip":"10.1.2.3"}],"description":"generated","duration":120,"faults":[{"at":"147s","availability_zone":"us-east-1b","duration":"51s","type":"az_outage"}],"instance_types":[{"memory_gib":4,"name":"test.c2","price_per_hour":0.05,"vcpus":2}],"instances":[{"availability_zone":"us-east-1a","id":"i-1","instance_type":"t3.micro"}],"load_balancer":{"attributes":{"client_keep_alive.seconds":"264062","idle_timeout.timeout_seconds":2386},"listeners":[{"default_actions":[{"stickiness":{"duration_seconds":133039,"enabled":true},"target_groups":[{"name":"tg-a","weight":636},{"name":"tg-b","weight":394}],"type":"forward"}],"port":80,"protocol":"HTTP","rules":[{"actions":[{"target_group":"tg-b","type":"forward"}],"conditions":[{"field":"path-pattern","values":["*"]},{"field":"source-ip","values":["2001:db8::/32"]}],"priority":42611}]},{"default_actions":[{"target_group":"tg-b","type":"forward"}],"port":443,"protocol":"HTTPS","rules":[{"actions":[{"target_group":"tg-a","type":"forward"}],"conditions":[{"field":"path-pattern","values":["*"]}],"priority":15614}]}],"name":"lb"},"name":"gen","operations":[{"action":"deregister","at":"28000ms","instance":"i-1","target_group":"tg-b"},{"action":"register","at":"153000ms","instance":"i-1","target_group":"tg-a"}],"seed":0,"target_groups":[{"attributes":{"deregistration_delay.timeout_seconds":"25","load_balancing.algorithm.type":"round_robin","stickiness.enabled":"false","stickiness.type":"lb_cookie","target_group_health.unhealthy_state_routing.minimum_healthy_targets.count":"2"},"health_check":{"HealthCheckIntervalSeconds":"256","HealthCheckPath":"/","HealthyThresholdCount":8,"UnhealthyThresholdCount":"3","first_check_delay":"2000ms","nodes":2},"name":"tg-a","port":41398,"protocol":"HTTPS","targets":["i-1"]},{"attributes":{"deregistration_delay.timeout_seconds":17,"stickiness.enabled":true,"stickiness.lb_cookie.duration_seconds":244394,"stickiness.type":"lb_cookie"},"health_check":{"HealthCheckPort":"traffic-port","HealthCheckProtocol":"HTTPS","HealthyThresholdCount":"9","UnhealthyThresholdCount":"2","nodes":2,"service_time":{"distribution":"exponential","mean_ms":0.6118545086843995}},"name":"tg-b","port":65363,"protocol":"HTTPS","targets":["i-1"]}]}"#;

/// The generator's shrunk case, as it printed it.
const MODEL: &str = r#"{"alarms":[],"auto_scaling_groups":[{"AutoScalingGroupName":"asg","AvailabilityZones":["us-east-1a","us-east-1b"],"DefaultCooldown":99,"DesiredCapacity":2,"HealthCheckType":"EC2","LaunchTemplate":{"detailed_monitoring":true,"instance_type":"m5.xlarge","launch_time":{"distribution":"constant","ms":20000}},"LifecycleHooks":[],"MaxSize":2,"MinSize":0,"Policies":[],"ScheduledActions":[{"MaxSize":1,"MinSize":0,"ScheduledActionName":"s0","at":"90000ms"}],"TargetGroupARNs":["tg-a"],"TerminationPolicies":["Default"]}],"clients":[{"arrival":{"rate_per_second":0.1,"type":"constant"},"name":"c1","port":80,"requests":[{"headers":{},"name":"r1","path":"/","port":80,"query":{"version":"2"},"service_time":{"distribution":"lognormal","median_ms":0.1,"p99_ms":0.17012622086153728}},{"headers":{},"host":"example.com","name":"r2","path":"/","query":{"version":"2"},"response_bytes":272284,"service_time":{"distribution":"lognormal","mean_ms":77.18346191475703,"stddev_ms":184.33608391023253}}],"source_ip":"10.1.2.3"}],"description":"generated","duration":103,"faults":[{"at":"140s","availability_zone":"us-east-1a","duration":"44000ms","type":"az_outage"},{"at":"70000ms","availability_zone":"us-east-1b","duration":32,"type":"az_outage"}],"instance_types":[{"memory_gib":4,"name":"test.c2","price_per_hour":0.05,"vcpus":2}],"instances":[{"availability_zone":"us-east-1b","id":"i-2","instance_type":"c5.large","workers":16}],"load_balancer":{"attributes":{"client_keep_alive.seconds":476359,"idle_timeout.timeout_seconds":"1425"},"listeners":[{"default_actions":[{"target_group":"tg-b","type":"forward"}],"port":80,"protocol":"HTTP","rules":[{"actions":[{"target_groups":[{"name":"tg-a","weight":853},{"name":"tg-b","weight":756}],"type":"forward"}],"conditions":[{"field":"http-header","http_header_name":"User-Agent","values":["ShopApp/*"]},{"field":"query-string","values":[{"key":"version","value":"2"}]}],"priority":39892}]},{"default_actions":[{"path":"/moved","port":"443","protocol":"HTTPS","status_code":"HTTP_301","type":"redirect"}],"port":443,"protocol":"HTTPS","rules":[{"actions":[{"target_group":"tg-a","type":"forward"}],"conditions":[{"field":"host-header","values":["*.example.com"]},{"field":"http-header","http_header_name":"User-Agent","values":["ShopApp/*"]}],"priority":15464},{"actions":[{"target_group":"tg-b","type":"forward"}],"conditions":[{"field":"http-header","http_header_name":"User-Agent","values":["*"]},{"field":"source-ip","values":["0.0.0.0/0"]}],"priority":19436},{"actions":[{"port":"443","protocol":"HTTPS","status_code":"HTTP_302","type":"redirect"}],"conditions":[{"field":"http-header","http_header_name":"User-Agent","values":["ShopApp/*"]},{"field":"source-ip","values":["0.0.0.0/0"]}],"priority":44361}],"tls_handshake_ms":13}],"name":"lb"},"name":"gen","operations":[],"seed":1044478861507748763,"target_groups":[{"attributes":{"load_balancing.algorithm.type":"least_outstanding_requests","stickiness.enabled":true,"stickiness.lb_cookie.duration_seconds":"481474"},"health_check":{"HealthCheckPort":"8081","HealthyThresholdCount":"2","Matcher":{"HttpCode":"200,202"},"nodes":1,"service_time":{"distribution":"uniform","max_ms":28.270393798658482,"min_ms":16.74635874161615}},"name":"tg-a","port":47686,"protocol":"HTTP","targets":[]},{"attributes":{"load_balancing.algorithm.type":"round_robin","stickiness.enabled":true},"health_check":{"HealthCheckPort":"traffic-port","first_check_delay":4,"nodes":1},"name":"tg-b","port":48808,"protocol":"HTTPS","targets":[]}]}"#;

// See: issue 7, defect 3
#[test]
fn terminated_instance_cpu_never_runs_backwards() {
    // A time subtraction that wrapped (defect 3's class): silently in release, a panic in debug.
    let sc = albsim::scenario::from_json(MODEL, Path::new("terminated.json")).unwrap();
    let r = albsim::run_with(&sc, &mut albsim::RunOptions::default()).expect("runs");
    assert_eq!(r.end, albsim::RunEnd::Completed);
    assert!(r.instances.len() > 1, "the Auto Scaling group launched");
    for i in &r.instances {
        assert!(
            (0.0..=100.0).contains(&i.cpu_utilization),
            "{}: CPUUtilization {}",
            i.id,
            i.cpu_utilization
        );
    }
}

// See: issue 7, defect 3
#[test]
fn terminated_instance_cpu_stops_at_termination() {
    let sc =
        albsim::scenario::from_json(BUSY_AT_TERMINATION, Path::new("terminated.json")).unwrap();
    let r = albsim::run_with(&sc, &mut albsim::RunOptions::default()).expect("runs");
    assert!(
        r.instances.iter().any(|i| i.terminated_seconds.is_some()),
        "an instance was terminated"
    );
    for (k, p) in r.periods.iter().enumerate() {
        for (i, cpu) in p.cpu_utilization.iter().enumerate() {
            if let Some(cpu) = cpu {
                assert!(
                    (0.0..=100.0).contains(cpu),
                    "period {k}, {}: CPUUtilization {cpu}",
                    r.instances[i].id
                );
            }
        }
    }
    for i in &r.instances {
        assert!(
            (0.0..=100.0).contains(&i.cpu_utilization),
            "{}: {}",
            i.id,
            i.cpu_utilization
        );
    }
}
