//! `AWS::AutoScaling::AutoScalingGroup` with what it launches (`AWS::EC2::LaunchTemplate`,
//! `AWS::AutoScaling::LaunchConfiguration`, `MixedInstancesPolicy`), its
//! `AWS::AutoScaling::ScalingPolicy`s and `::LifecycleHook`s → `auto_scaling_groups[]`.

use super::read::Prop;
use super::scheduled;
use super::{
    ASG, Ctx, LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE, LIFECYCLE_HOOK, Resolved, SCALING_POLICY,
    SCHEDULED_ACTION, SUBNET,
};
use crate::import::cloudformation::ImportError;
use serde_json::{Map, Value as Json, json};

/// Every Auto Scaling group, in the template's order.
pub fn map_all(cx: &mut Ctx<'_>) -> Result<Vec<Json>, ImportError> {
    let mut out = Vec::new();
    let groups: Vec<_> = cx.of_type(ASG).collect();
    for r in groups {
        let at = format!("auto_scaling_groups[{}]", out.len());
        out.push(group(cx, r, &at)?);
    }
    for r in cx.of_type(SCHEDULED_ACTION) {
        if !cx.asg_names.contains_key(&owner(cx, r).unwrap_or_default()) {
            cx.ignored.push((r.logical_id.clone(), r.type_name.clone()));
            cx.note(
                &r.logical_id,
                "its AutoScalingGroupName is not a group of this template; not imported",
            );
        }
    }
    for r in cx.of_type(SCALING_POLICY) {
        if !cx.asg_names.contains_key(&owner(cx, r).unwrap_or_default()) {
            cx.ignored.push((r.logical_id.clone(), r.type_name.clone()));
            cx.note(
                &r.logical_id,
                "its AutoScalingGroupName is not a group of this template; not imported",
            );
        }
    }
    Ok(out)
}

/// The logical id of the group a policy or hook names in `AutoScalingGroupName`.
fn owner(cx: &Ctx<'_>, r: &Resolved) -> Option<String> {
    let ids = cx.ids(ASG);
    let name = cx.props(r).get("AutoScalingGroupName")?;
    name.reference(&ids).or_else(|| {
        let s = name.string().ok()?;
        cx.asg_names
            .iter()
            .find(|(_, n)| **n == s)
            .map(|(id, _)| id.clone())
    })
}

/// One group.
fn group(cx: &mut Ctx<'_>, r: &Resolved, at: &str) -> Result<Json, ImportError> {
    let p = cx.props(r);
    let mut g = Map::new();
    g.insert(
        "AutoScalingGroupName".into(),
        json!(cx.asg_names[&r.logical_id]),
    );
    let size = |key: &str| -> Result<Option<i64>, ImportError> {
        p.int_of(key, 0, i64::from(crate::scenario::MAX_GROUP_SIZE))
    };
    let min = size("MinSize")?.ok_or_else(|| cx.error(r, "expected a MinSize"))?;
    let max = size("MaxSize")?.ok_or_else(|| cx.error(r, "expected a MaxSize"))?;
    g.insert("MinSize".into(), json!(min));
    g.insert("MaxSize".into(), json!(max));
    if let Some(d) = size("DesiredCapacity")? {
        g.insert("DesiredCapacity".into(), json!(d));
    }
    g.insert("LaunchTemplate".into(), launch(cx, r, &p, at)?);
    g.insert("AvailabilityZones".into(), json!(zones(cx, r, &p, at)?));
    if let Some(list) = p.get("TargetGroupARNs") {
        let mut names = Vec::new();
        for item in list.items()? {
            names.push(cx.target_group(&item)?);
        }
        g.insert("TargetGroupARNs".into(), json!(names));
    }
    if let Some(t) = p.str_of("HealthCheckType")? {
        g.insert("HealthCheckType".into(), json!(t));
    }
    for (key, name, hi) in [
        (
            "HealthCheckGracePeriod",
            "HealthCheckGracePeriod",
            86_400 * 366,
        ),
        ("Cooldown", "DefaultCooldown", 86_400 * 366),
        ("DefaultInstanceWarmup", "DefaultInstanceWarmup", 3600),
    ] {
        if let Some(v) = p.int_of(key, 0, hi)? {
            g.insert(name.into(), json!(v));
        }
    }
    if let Some(list) = p.get("TerminationPolicies") {
        let policies: Result<Vec<String>, _> = list.items()?.iter().map(Prop::string).collect();
        g.insert("TerminationPolicies".into(), json!(policies?));
    }
    if let Some(b) = p.bool_of("NewInstancesProtectedFromScaleIn")? {
        g.insert("NewInstancesProtectedFromScaleIn".into(), json!(b));
    }
    let mut hooks = Vec::new();
    if let Some(list) = p.get("LifecycleHookSpecificationList") {
        for h in list.items()? {
            hooks.push(hook(&h, None)?);
        }
    }
    let policies_and_hooks: Vec<_> = cx
        .resources
        .iter()
        .filter(|x| x.type_name == SCALING_POLICY || x.type_name == LIFECYCLE_HOOK)
        .filter(|x| owner(cx, x).as_deref() == Some(r.logical_id.as_str()))
        .collect();
    let mut policies = Vec::new();
    for x in policies_and_hooks {
        if x.type_name == LIFECYCLE_HOOK {
            hooks.push(hook(&cx.props(x), Some(&x.logical_id))?);
        } else if let Some(policy) = policy(cx, x, &format!("{at}.Policies[{}]", policies.len()))? {
            policies.push(policy);
        }
    }
    if !hooks.is_empty() {
        g.insert("LifecycleHooks".into(), Json::Array(hooks));
    }
    if !policies.is_empty() {
        g.insert("Policies".into(), Json::Array(policies));
    }
    let actions: Vec<_> = cx
        .of_type(SCHEDULED_ACTION)
        .filter(|x| owner(cx, x).as_deref() == Some(r.logical_id.as_str()))
        .collect();
    let mut runs = Vec::new();
    for x in actions {
        let calendar = cx.calendar.clone();
        runs.extend(scheduled::runs(cx, x, &calendar)?);
    }
    if !runs.is_empty() {
        let template = (
            min,
            max,
            g.get("DesiredCapacity")
                .and_then(Json::as_i64)
                .unwrap_or(min),
        );
        let start = scheduled::sizes_at_start(&runs, &cx.calendar, template)
            .map_err(|e| cx.error(r, format!("its scheduled actions: {e}")))?;
        if runs.iter().any(|run| run.at < cx.calendar.start) {
            let (min, max, desired) = start;
            g.insert("MinSize".into(), json!(min));
            g.insert("MaxSize".into(), json!(max));
            g.insert("DesiredCapacity".into(), json!(desired));
            let template_says = if start == template {
                "the template's sizes".to_string()
            } else {
                format!(
                    "the template says MinSize {}, MaxSize {}, DesiredCapacity {}",
                    template.0, template.1, template.2
                )
            };
            cx.note(
                &r.logical_id,
                format!(
                    "starts with MinSize {min}, MaxSize {max}, DesiredCapacity {desired}, as its scheduled actions left it before the run's start ({template_says})"
                ),
            );
        }
        if !cx.start_given {
            cx.assume(
                &format!("{at}.ScheduledActions"),
                &format!(
                    "the run starts at {} (the template's schedule needs a calendar; set --start)",
                    super::cron::iso_utc(cx.calendar.start)
                ),
            );
        }
        let entries = scheduled::entries(runs, &cx.calendar);
        if !entries.is_empty() {
            g.insert("ScheduledActions".into(), Json::Array(entries));
        }
    }
    Ok(Json::Object(g))
}

/// What the group launches: instance type and monitoring from its launch template, launch
/// configuration or mixed instances policy.
fn launch(cx: &mut Ctx<'_>, r: &Resolved, p: &Prop<'_>, at: &str) -> Result<Json, ImportError> {
    let lt_ids = cx.ids(LAUNCH_TEMPLATE);
    let lc_ids = cx.ids(LAUNCH_CONFIGURATION);
    let template_of = |spec: &Prop<'_>| -> Result<&Resolved, ImportError> {
        let id = spec
            .get("LaunchTemplateId")
            .or_else(|| spec.get("LaunchTemplateName"))
            .ok_or_else(|| spec.error("expected a LaunchTemplateId or LaunchTemplateName"))?;
        id.reference(&lt_ids)
            .and_then(|id| cx.find(&id))
            .filter(|t| t.type_name == LAUNCH_TEMPLATE)
            .ok_or_else(|| id.error(format!(
                "expected a reference to an AWS::EC2::LaunchTemplate of this template (albsim needs its InstanceType), got {}",
                super::read::describe(id.node)
            )))
    };
    let (instance_type, detailed, source) = if let Some(spec) = p.get("LaunchTemplate") {
        let t = template_of(&spec)?;
        let data = cx.props(t).get("LaunchTemplateData");
        let ty = data.as_ref().and_then(|d| d.get("InstanceType"));
        let monitoring = match data.as_ref().and_then(|d| d.get("Monitoring")) {
            Some(m) => m.bool_of("Enabled")?.unwrap_or(false),
            None => false,
        };
        (
            ty.map(|t| t.string()).transpose()?,
            monitoring,
            t.logical_id.clone(),
        )
    } else if let Some(mixed) = p.get("MixedInstancesPolicy") {
        let lt = mixed
            .get("LaunchTemplate")
            .ok_or_else(|| mixed.error("expected a LaunchTemplate"))?;
        let spec = lt
            .get("LaunchTemplateSpecification")
            .ok_or_else(|| lt.error("expected a LaunchTemplateSpecification"))?;
        let t = template_of(&spec)?;
        let data = cx.props(t).get("LaunchTemplateData");
        let mut ty = data
            .as_ref()
            .and_then(|d| d.get("InstanceType"))
            .map(|t| t.string())
            .transpose()?;
        if let Some(overrides) = lt.get("Overrides") {
            let items = overrides.items()?;
            if let Some(first) = items.first()
                && let Some(o) = first.str_of("InstanceType")?
            {
                if items.len() > 1 {
                    cx.note(&r.logical_id, format!("MixedInstancesPolicy lists {} instance types; albsim launches one type: the first, {o}", items.len()));
                }
                ty = Some(o);
            }
        }
        let monitoring = match data.as_ref().and_then(|d| d.get("Monitoring")) {
            Some(m) => m.bool_of("Enabled")?.unwrap_or(false),
            None => false,
        };
        (ty, monitoring, t.logical_id.clone())
    } else if let Some(lc) = p.get("LaunchConfigurationName") {
        let c = lc
            .reference(&lc_ids)
            .and_then(|id| cx.find(&id))
            .filter(|c| c.type_name == LAUNCH_CONFIGURATION)
            .ok_or_else(|| lc.error("expected a reference to an AWS::AutoScaling::LaunchConfiguration of this template"))?;
        let cp = cx.props(c);
        // AWS: InstanceMonitoring defaults to true (detailed monitoring) for launch configurations.
        let monitoring = cp.bool_of("InstanceMonitoring")?.unwrap_or(true);
        (cp.str_of("InstanceType")?, monitoring, c.logical_id.clone())
    } else {
        return Err(cx.error(
            r,
            "expected a LaunchTemplate, MixedInstancesPolicy or LaunchConfigurationName (albsim needs the instance type)",
        ));
    };
    let instance_type = instance_type.ok_or_else(|| {
        cx.error(r, format!("the launch template or configuration {source} has no InstanceType (albsim needs it)"))
    })?;
    cx.assume(
        &format!("{at}.LaunchTemplate.workers"),
        "left out: one worker (request processed at once) per vCPU of the instance type",
    );
    cx.assume(
        &format!("{at}.LaunchTemplate.launch_time"),
        "left out: albsim's default boot-to-ready time (lognormal, median 60 s, p99 120 s)",
    );
    Ok(json!({ "instance_type": instance_type, "detailed_monitoring": detailed }))
}

/// The group's Availability Zones: `AvailabilityZones`, or the zones of the subnets in
/// `VPCZoneIdentifier`.
fn zones(
    cx: &mut Ctx<'_>,
    r: &Resolved,
    p: &Prop<'_>,
    at: &str,
) -> Result<Vec<String>, ImportError> {
    if let Some(list) = p.get("AvailabilityZones") {
        let zones: Result<Vec<String>, _> = list.items()?.iter().map(Prop::string).collect();
        let zones = zones?;
        if !zones.is_empty() {
            return Ok(zones);
        }
    }
    let subnets = p.get("VPCZoneIdentifier").ok_or_else(|| {
        cx.error(r, "expected AvailabilityZones or VPCZoneIdentifier (albsim balances instances across zones)")
    })?;
    let subnet_ids = cx.ids(SUBNET);
    let mut zones = Vec::new();
    for (i, s) in subnets.items()?.into_iter().enumerate() {
        let zone = match s.reference(&subnet_ids).and_then(|id| cx.find(&id)) {
            Some(subnet) if subnet.type_name == SUBNET => {
                cx.props(subnet).str_of("AvailabilityZone")?
            }
            _ => None,
        };
        let zone = match zone {
            Some(z) => z,
            None => {
                let z = super::defaults::zone(&cx.region, i);
                cx.assume(
                    &format!("{at}.AvailabilityZones[{i}]"),
                    &format!(
                        "{z:?} (the template does not say which zone subnet {} is in)",
                        s.string().unwrap_or_else(|_| super::read::describe(s.node))
                    ),
                );
                z
            }
        };
        if !zones.contains(&zone) {
            zones.push(zone);
        }
    }
    if zones.is_empty() {
        return Err(subnets.error("expected at least one subnet"));
    }
    Ok(zones)
}

/// A lifecycle hook (an `AWS::AutoScaling::LifecycleHook`, or an entry of
/// `LifecycleHookSpecificationList`).
fn hook(p: &Prop<'_>, logical_id: Option<&str>) -> Result<Json, ImportError> {
    let name = match p.str_of("LifecycleHookName")? {
        Some(n) => n,
        None => logical_id
            .map(str::to_string)
            .ok_or_else(|| p.error("expected a LifecycleHookName"))?,
    };
    let transition = p
        .get("LifecycleTransition")
        .ok_or_else(|| p.error("expected a LifecycleTransition"))?
        .string()?;
    let mut h = Map::new();
    h.insert("LifecycleHookName".into(), json!(name));
    h.insert("LifecycleTransition".into(), json!(transition));
    if let Some(t) = p.int_of("HeartbeatTimeout", 30, 7200)? {
        h.insert("HeartbeatTimeout".into(), json!(t));
    }
    Ok(Json::Object(h))
}

/// A scaling policy (`None`: a kind albsim does not model, noted).
fn policy(cx: &mut Ctx<'_>, r: &Resolved, at: &str) -> Result<Option<Json>, ImportError> {
    let p = cx.props(r);
    let kind = p
        .str_of("PolicyType")?
        .unwrap_or_else(|| "SimpleScaling".into());
    let mut out = Map::new();
    out.insert("PolicyName".into(), json!(cx.policy_names[&r.logical_id]));
    match kind.as_str() {
        "TargetTrackingScaling" => {
            let c = p
                .get("TargetTrackingConfiguration")
                .ok_or_else(|| cx.error(r, "expected a TargetTrackingConfiguration"))?;
            let mut tt = Map::new();
            if let Some(pre) = c.get("PredefinedMetricSpecification") {
                let ty = pre
                    .get("PredefinedMetricType")
                    .ok_or_else(|| pre.error("expected a PredefinedMetricType"))?
                    .string()?;
                let mut m = Map::new();
                m.insert("PredefinedMetricType".into(), json!(ty));
                if let Some(label) = pre.get("ResourceLabel") {
                    // app/<lb>/<id>/targetgroup/<tg>/<id>: albsim names the target group.
                    m.insert("ResourceLabel".into(), json!(cx.target_group(&label)?));
                }
                tt.insert("PredefinedMetricSpecification".into(), Json::Object(m));
            }
            if let Some(custom) = c.get("CustomizedMetricSpecification") {
                let mut m = Map::new();
                for key in ["MetricName", "Namespace", "Statistic"] {
                    if let Some(v) = custom.str_of(key)? {
                        m.insert(key.into(), json!(v));
                    }
                }
                if let Some(d) = custom.get("Dimensions") {
                    m.insert("Dimensions".into(), super::alarm::dimensions(cx, &d)?);
                }
                if custom.get("Metrics").is_some() {
                    cx.note(&r.logical_id, "CustomizedMetricSpecification.Metrics (metric math) is not imported; write it in the model");
                }
                tt.insert("CustomizedMetricSpecification".into(), Json::Object(m));
            }
            let target = c
                .get("TargetValue")
                .ok_or_else(|| c.error("expected a TargetValue"))?
                .number()?;
            tt.insert("TargetValue".into(), json!(target));
            if let Some(b) = c.bool_of("DisableScaleIn")? {
                tt.insert("DisableScaleIn".into(), json!(b));
            }
            out.insert("PolicyType".into(), json!(kind));
            out.insert("TargetTrackingConfiguration".into(), Json::Object(tt));
            cx.assume(
                &format!("{at}.TargetTrackingConfiguration.alarms"),
                "left out: target tracking alarms AWS creates: high 3 of 3 one-minute datapoints, low 15 of 15 below 90 % of the target (observed, not documented)",
            );
        }
        "StepScaling" | "SimpleScaling" => {
            out.insert("PolicyType".into(), json!(kind));
            if let Some(a) = p.str_of("AdjustmentType")? {
                out.insert("AdjustmentType".into(), json!(a));
            }
            if let Some(a) = p.int_of("ScalingAdjustment", -100_000, 100_000)? {
                out.insert("ScalingAdjustment".into(), json!(a));
            }
            if let Some(c) = p.int_of("Cooldown", 0, 86_400 * 366)? {
                out.insert("Cooldown".into(), json!(c));
            }
            if let Some(steps) = p.get("StepAdjustments") {
                let mut list = Vec::new();
                for s in steps.items()? {
                    let mut step = Map::new();
                    for (key, name) in [
                        ("MetricIntervalLowerBound", "MetricIntervalLowerBound"),
                        ("MetricIntervalUpperBound", "MetricIntervalUpperBound"),
                    ] {
                        if let Some(b) = s.get(key) {
                            step.insert(name.into(), json!(b.number()?));
                        }
                    }
                    let adj = s
                        .get("ScalingAdjustment")
                        .ok_or_else(|| s.error("expected a ScalingAdjustment"))?
                        .int(-100_000, 100_000)?;
                    step.insert("ScalingAdjustment".into(), json!(adj));
                    list.push(Json::Object(step));
                }
                out.insert("StepAdjustments".into(), Json::Array(list));
            }
            if let Some(m) = p.int_of("MinAdjustmentMagnitude", 1, 100_000)? {
                out.insert("MinAdjustmentMagnitude".into(), json!(m));
            }
        }
        other => {
            cx.ignored.push((r.logical_id.clone(), r.type_name.clone()));
            cx.note(&r.logical_id, format!("PolicyType {other}: albsim models TargetTrackingScaling, StepScaling and SimpleScaling; not imported"));
            return Ok(None);
        }
    }
    if let Some(w) = p.int_of("EstimatedInstanceWarmup", 0, 86_400)? {
        out.insert("EstimatedInstanceWarmup".into(), json!(w));
    }
    Ok(Some(Json::Object(out)))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{import, import_in, minimal, validates};
    use super::super::{ASG, LAUNCH_TEMPLATE, SCALING_POLICY, SCHEDULED_ACTION, SUBNET};
    use crate::access_log::write::clock::parse_start;
    use crate::import::cloudformation::RunWindow;
    use serde_json::json;

    /// A run from `start` for `hours`.
    fn window(start: &str, hours: u64) -> RunWindow {
        RunWindow {
            start: Some(parse_start(start).unwrap()),
            duration: Some((format!("{hours}h"), hours * 3600)),
        }
    }

    fn action(props: serde_json::Value) -> serde_json::Value {
        let mut p = props;
        p["AutoScalingGroupName"] = json!("!ref:Group");
        json!({"Type": SCHEDULED_ACTION, "Properties": p})
    }

    fn with_group() -> serde_json::Value {
        let mut t = minimal();
        t["Subnet1"] = json!({"Type": SUBNET, "Properties": {"AvailabilityZone": "us-east-1a"}});
        t["Subnet2"] = json!({"Type": SUBNET, "Properties": {"AvailabilityZone": "us-east-1b"}});
        t["LT"] = json!({"Type": LAUNCH_TEMPLATE, "Properties": {"LaunchTemplateData": {"InstanceType": "t2.micro"}}});
        t["Group"] = json!({"Type": ASG, "Properties": {"MinSize": "2", "MaxSize": "4",
            "DesiredCapacity": "2", "VPCZoneIdentifier": ["!ref:Subnet1", "!ref:Subnet2"],
            "LaunchTemplate": {"LaunchTemplateId": "!ref:LT", "Version": "!ref:LT.LatestVersionNumber"},
            "TargetGroupARNs": ["!ref:TG"], "HealthCheckType": "ELB", "HealthCheckGracePeriod": 300}});
        t["Cpu"] = json!({"Type": SCALING_POLICY, "Properties": {"AutoScalingGroupName": "!ref:Group",
            "PolicyType": "TargetTrackingScaling", "TargetTrackingConfiguration": {
                "PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
                "TargetValue": 50}}});
        t
    }

    #[test]
    fn a_group_with_a_launch_template_subnets_and_target_tracking() {
        let m = import(with_group()).unwrap();
        validates(&m);
        let g = &m.model["auto_scaling_groups"][0];
        assert_eq!(g["MinSize"], 2);
        assert_eq!(g["LaunchTemplate"]["instance_type"], "t2.micro");
        assert_eq!(g["AvailabilityZones"], json!(["us-east-1a", "us-east-1b"]));
        assert_eq!(g["TargetGroupARNs"], json!(["TG"]));
        assert_eq!(
            g["Policies"][0]["TargetTrackingConfiguration"]["TargetValue"],
            50.0
        );
        assert!(m.ignored.iter().any(|(id, _)| id == "Subnet1"));
        assert!(!m.ignored.iter().any(|(id, _)| id == "LT" || id == "Cpu"));
    }

    #[test]
    fn recurring_actions_run_at_each_cron_time_of_the_window_and_the_last_earlier_run_holds_at_0s()
    {
        let mut t = with_group();
        t["Morning"] =
            action(json!({"Recurrence": "0 9 * * *", "DesiredCapacity": "4", "MaxSize": 4}));
        t["Evening"] = action(json!({"Recurrence": "0 18 * * *", "DesiredCapacity": 2}));
        // Monday 06:00 for a day: the group starts as Sunday's runs left it (the morning's
        // MaxSize 4 and the evening's DesiredCapacity 2); then 09:00 and 18:00.
        let m = import_in(t, &window("2026-03-09T06:00:00Z", 24)).unwrap();
        validates(&m);
        let g = &m.model["auto_scaling_groups"][0];
        assert_eq!(
            g["ScheduledActions"],
            json!([
                {"ScheduledActionName": "Morning", "at": "3h", "MaxSize": 4, "DesiredCapacity": 4},
                {"ScheduledActionName": "Evening", "at": "12h", "DesiredCapacity": 2},
            ])
        );
        assert_eq!(
            (&g["MinSize"], &g["MaxSize"], &g["DesiredCapacity"]),
            (&json!(2), &json!(4), &json!(2))
        );
        assert_eq!(m.model["duration"], "24h");
        let morning = m
            .notes
            .iter()
            .find(|n| n.starts_with("Resources.Morning:"))
            .unwrap();
        assert!(
            morning.contains("Recurrence \"0 9 * * *\" (UTC) runs 1 time during the run (from 2026-03-09T06:00:00Z for 1day), imported as ScheduledActions at 3h; it last ran at 2026-03-08T09:00:00Z"),
            "{morning}"
        );
        assert!(
            !m.ignored
                .iter()
                .any(|(id, _)| id == "Morning" || id == "Evening")
        );
    }

    #[test]
    fn a_one_time_action_runs_at_its_start_time_or_holds_from_0s_or_is_outside_the_run() {
        let mut t = with_group();
        t["Peak"] = action(json!({"StartTime": "2026-01-01T00:20:00Z", "MinSize": 3}));
        t["Past"] =
            action(json!({"StartTime": "2025-12-24T10:00:00Z", "MinSize": 1, "MaxSize": 6}));
        t["Later"] = action(json!({"StartTime": "2026-01-02T00:00:00Z", "MinSize": 4}));
        let m = import(t).unwrap();
        validates(&m);
        let g = &m.model["auto_scaling_groups"][0];
        assert_eq!(
            g["ScheduledActions"],
            json!([{"ScheduledActionName": "Peak", "at": "20m", "MinSize": 3}])
        );
        assert_eq!(
            (&g["MinSize"], &g["MaxSize"], &g["DesiredCapacity"]),
            (&json!(1), &json!(6), &json!(2))
        );
        assert!(m.notes.iter().any(|n| n == "Resources.Group: starts with MinSize 1, MaxSize 6, DesiredCapacity 2, as its scheduled actions left it before the run's start (the template says MinSize 2, MaxSize 4, DesiredCapacity 2)"), "{:?}", m.notes);
        assert!(m.ignored.iter().any(|(id, _)| id == "Later"));
        assert!(m.notes.iter().any(|n| n.starts_with("Resources.Later: StartTime does not run during the run (from 2026-01-01T00:00:00Z for 30m); not imported")));
        // Without --start the calendar is an assumption, said so.
        assert!(m.assumed.iter().any(|a| a.starts_with(
            "auto_scaling_groups[0].ScheduledActions: the run starts at 2026-01-01T00:00:00Z"
        )));
    }

    #[test]
    fn start_and_end_time_bound_a_recurrence_and_the_start_time_runs_too() {
        let mut t = with_group();
        t["Hourly"] = action(
            json!({"Recurrence": "0 * * * *", "StartTime": "2026-01-01T01:30:00Z",
            "EndTime": "2026-01-01T04:00:00Z", "DesiredCapacity": 3}),
        );
        let m = import_in(t, &window("2026-01-01T00:00:00Z", 6)).unwrap();
        let at: Vec<&str> = m.model["auto_scaling_groups"][0]["ScheduledActions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["at"].as_str().unwrap())
            .collect();
        assert_eq!(at, ["1h 30m", "2h", "3h", "4h"]);
    }

    #[test]
    fn a_fixed_time_zone_shifts_the_cron_and_a_zone_with_daylight_saving_is_not_imported() {
        let mut t = with_group();
        // Etc/GMT-1 is UTC+1: 09:00 there is 08:00 UTC.
        t["Paris"] = action(
            json!({"Recurrence": "0 9 * * *", "TimeZone": "Etc/GMT-1", "DesiredCapacity": 3}),
        );
        t["Berlin"] = action(
            json!({"Recurrence": "0 9 * * *", "TimeZone": "Europe/Berlin", "DesiredCapacity": 3}),
        );
        let m = import_in(t, &window("2026-01-01T07:00:00Z", 2)).unwrap();
        let g = &m.model["auto_scaling_groups"][0];
        assert_eq!(
            g["ScheduledActions"],
            json!([{"ScheduledActionName": "Paris", "at": "1h", "DesiredCapacity": 3}])
        );
        assert!(m.ignored.iter().any(|(id, _)| id == "Berlin"));
        assert!(m.notes.iter().any(|n| n.starts_with(
            "Resources.Berlin: TimeZone \"Europe/Berlin\": albsim has no time-zone database"
        )));
    }

    #[test]
    fn a_bad_recurrence_or_an_action_without_sizes_is_an_error_naming_the_resource() {
        let mut t = with_group();
        t["Bad"] = action(json!({"Recurrence": "0 25 * * *", "DesiredCapacity": 3}));
        let e = import(t).unwrap_err().to_string();
        assert!(
            e.contains("Resources.Bad") && e.contains("Recurrence: the hour field \"25\""),
            "{e}"
        );
        let mut t = with_group();
        t["Empty"] = action(json!({"Recurrence": "0 9 * * *"}));
        let e = import(t).unwrap_err().to_string();
        assert!(
            e.contains("Resources.Empty")
                && e.contains("at least one of MinSize, MaxSize, DesiredCapacity"),
            "{e}"
        );
        let mut t = with_group();
        t["Never"] = action(json!({"MinSize": 1}));
        let e = import(t).unwrap_err().to_string();
        assert!(e.contains("needs a StartTime or a Recurrence"), "{e}");
    }

    #[test]
    fn a_launch_configuration_defaults_to_detailed_monitoring() {
        let mut t = with_group();
        t["LC"] = json!({"Type": super::super::LAUNCH_CONFIGURATION, "Properties": {"InstanceType": "c5.large"}});
        t["Group"]["Properties"]
            .as_object_mut()
            .unwrap()
            .remove("LaunchTemplate");
        t["Group"]["Properties"]["LaunchConfigurationName"] = json!("!ref:LC");
        let m = import(t).unwrap();
        validates(&m);
        assert_eq!(
            m.model["auto_scaling_groups"][0]["LaunchTemplate"],
            json!({"instance_type": "c5.large", "detailed_monitoring": true})
        );
    }

    #[test]
    fn step_scaling_and_a_missing_max_size() {
        let mut t = with_group();
        t["Step"] = json!({"Type": SCALING_POLICY, "Properties": {"AutoScalingGroupName": "!ref:Group",
            "PolicyType": "StepScaling", "AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalLowerBound": "0", "ScalingAdjustment": "1"}]}});
        let m = import(t.clone()).unwrap();
        let p = &m.model["auto_scaling_groups"][0]["Policies"][1];
        assert_eq!(
            p["StepAdjustments"],
            json!([{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}])
        );
        t["Group"]["Properties"]
            .as_object_mut()
            .unwrap()
            .remove("MaxSize");
        let e = import(t).unwrap_err();
        assert!(
            e.to_string()
                .contains("Resources.Group: expected a MaxSize"),
            "{e}"
        );
    }
}
