//! Auto Scaling activities and policy notes: a capacity change is one event naming what changed
//! it (the alarm, what it saw, the policy; a scheduled action; the group's health check) and the
//! instances launched or terminated; a note says why a policy did not act.

use super::Story;
use super::words::{clock, count, duration, list};
use crate::recorder::{
    ActivityKind, ChangedBy, PolicyNote, ScalingActivity, ScalingCause, SizeLimit,
};
use crate::report::document::Mark;

/// Tells line `i`, a scaling activity (with the lines that belong to its story).
pub(super) fn tell(s: &mut Story, i: usize) {
    let a = &s.acts[i];
    let (t, group) = (a.time_seconds, a.subject.as_str());
    let ActivityKind::Scaling(activity) = &a.kind else {
        return;
    };
    match activity {
        ScalingActivity::Launching { cause, .. } | ScalingActivity::Terminating { cause, .. } => {
            capacity_change(s, i, cause)
        }
        ScalingActivity::MarkedUnhealthy { instance, why } => replacement(s, i, instance, why),
        ScalingActivity::Policy { policy, note } => policy_note(s, i, policy, note),
        ScalingActivity::GroupStarts { desired, min, max } => s.add(
            t,
            None,
            Mark::Scaling,
            group,
            None,
            format!(
                "{group} starts with {} InService (DesiredCapacity {desired}, MinSize {min}, MaxSize {max})",
                count(u64::from(*desired), "instance", "instances")
            ),
            vec![i],
        ),
        ScalingActivity::InService {
            instance,
            registered,
        } => {
            let launched = s.acts[..i].iter().rev().find_map(|b| match &b.kind {
                ActivityKind::Scaling(ScalingActivity::Launching { instance: x, .. })
                    if x == instance =>
                {
                    Some(b.time_seconds)
                }
                _ => None,
            });
            let mut text = format!("{instance} is InService");
            if let Some(l) = launched {
                text += &format!(" {} after its launch", duration(t - l));
            }
            text += if *registered {
                ": registered with its target groups, it gets requests once it passes its first health check"
            } else {
                ""
            };
            s.add(t, None, Mark::Scaling, group, None, text, vec![i]);
        }
        ScalingActivity::CooldownStarts { policy, seconds } => s.add(
            t,
            Some(t + seconds),
            Mark::Policy,
            group,
            None,
            format!(
                "policy {policy}'s scaling activity is complete; its cooldown of {} starts, and the policy does not act again until it ends",
                duration(*seconds)
            ),
            vec![i],
        ),
        ScalingActivity::LifecycleHook {
            instance,
            from,
            to,
            hook,
            seconds,
        } => s.add(
            t,
            Some(t + seconds),
            Mark::Scaling,
            group,
            None,
            format!(
                "lifecycle hook {hook} holds {instance} in {to} (from {from}) for {}",
                duration(*seconds)
            ),
            vec![i],
        ),
        ScalingActivity::Terminated {
            instance,
            billed_seconds,
        } => s.add(
            t,
            None,
            Mark::Scaling,
            group,
            None,
            format!(
                "{instance} is terminated; EC2 bills it for {}",
                duration(*billed_seconds)
            ),
            vec![i],
        ),
        ScalingActivity::AllProtected => s.add(
            t,
            None,
            Mark::Policy,
            group,
            Some("scale-in blocked".into()),
            format!(
                "{group} should scale in but every instance is protected from scale-in: nothing is terminated until a protection is removed"
            ),
            vec![i],
        ),
        ScalingActivity::ScheduledAction { action, min, max } => s.add(
            t,
            None,
            Mark::Scaling,
            group,
            Some(format!("scheduled {action}")),
            format!("scheduled action {action} runs: {group} now has MinSize {min}, MaxSize {max}"),
            vec![i],
        ),
    }
}

/// The instance of a `Launching` or `Terminating` line, and whether it launches.
fn launch_or_terminate(kind: &ActivityKind) -> Option<(&str, bool, &ScalingCause)> {
    match kind {
        ActivityKind::Scaling(ScalingActivity::Launching {
            instance, cause, ..
        }) => Some((instance, true, cause)),
        ActivityKind::Scaling(ScalingActivity::Terminating { instance, cause }) => {
            Some((instance, false, cause))
        }
        _ => None,
    }
}

/// The launches and terminations of one cause at line `i`'s instant: one event.
fn capacity_change(s: &mut Story, i: usize, cause: &ScalingCause) {
    let a = &s.acts[i];
    let (t, group) = (a.time_seconds, a.subject.clone());
    let mut lines = vec![i];
    let (mut launched, mut terminated) = (Vec::new(), Vec::new());
    let first = launch_or_terminate(&a.kind).expect("a launch or termination");
    for (j, b) in std::iter::once((i, a)).chain(s.after(i)) {
        if b.time_seconds > t {
            break;
        }
        match launch_or_terminate(&b.kind) {
            Some((instance, launch, c)) if c == cause && b.subject == group => {
                if j != i {
                    lines.push(j);
                }
                if launch {
                    launched.push(instance.to_string());
                } else {
                    terminated.push(instance.to_string());
                }
            }
            _ => {}
        }
    }
    let _ = first;
    let mut does = Vec::new();
    if !launched.is_empty() {
        does.push(format!("launches {}", list(&launched)));
    }
    if !terminated.is_empty() {
        does.push(format!(
            "terminates {} (each is deregistered from its target groups and drains first)",
            list(&terminated)
        ));
    }
    let does = format!("Auto Scaling {}", does.join(" and "));
    let (label, text) = match cause {
        ScalingCause::DesiredCapacity {
            by,
            from,
            to,
            wanted,
            ..
        } => {
            let clamp = match i64::from(*to) {
                to if *wanted > to => format!(" (it asked for {wanted}; MaxSize {to} caps it)"),
                to if *wanted < to => format!(" (it asked for {wanted}; MinSize {to} holds it)"),
                _ => String::new(),
            };
            let why = match by {
                ChangedBy::Alarm {
                    alarm,
                    policy,
                    value,
                } => format!(
                    "{} ⇒ policy {policy} set {group}'s desired capacity {from} → {to}{clamp}",
                    alarm_saw(s, i, alarm, *value)
                ),
                ChangedBy::ScheduledAction { action } => format!(
                    "scheduled action {action} ran ⇒ {group}'s desired capacity {from} → {to}{clamp}"
                ),
                ChangedBy::ScheduledLimits { action } => format!(
                    "scheduled action {action} changed MinSize and MaxSize ⇒ {group}'s desired capacity moves into the new range, {from} → {to}"
                ),
            };
            (format!("{group} {from}→{to}"), format!("{why}; {does}"))
        }
        ScalingCause::UnhealthyInstance { why, .. } => (
            format!(
                "replace {}",
                terminated.first().cloned().unwrap_or_default()
            ),
            format!("{group} takes an instance out of service in response to {why}; {does}"),
        ),
        ScalingCause::ReplacingUnhealthy { .. } => (
            format!("{group} replaces"),
            format!(
                "{group} is below its desired capacity after taking an unhealthy instance out of service; {does} to replace it"
            ),
        ),
        ScalingCause::ProtectionRemoved { .. } => (
            format!("{group} scale-in"),
            format!(
                "a worker removed its scale-in protection, so the scale-in that found every instance protected goes on; {does}"
            ),
        ),
        ScalingCause::AzRebalance { launch: true, .. } => (
            format!("{group} rebalances"),
            format!(
                "{group}'s Availability Zones are unbalanced (AZRebalance): it launches in the zone with the fewest instances before terminating any, so capacity never dips; {does}"
            ),
        ),
        ScalingCause::AzRebalance { launch: false, .. } => (
            format!("{group} rebalanced"),
            format!(
                "{group}'s rebalancing instance is in service, so it terminates one in the zone with the most instances (AZRebalance); {does}"
            ),
        ),
    };
    s.add(t, None, Mark::Scaling, &group, Some(label), text, lines);
}

/// What the alarm that invoked a policy saw: its transition to `ALARM` (now or earlier).
fn alarm_saw(s: &Story, i: usize, alarm: &str, value: f64) -> String {
    let role = s.alarm_role(alarm);
    let last = s.acts[..i].iter().rev().find_map(|b| match &b.kind {
        ActivityKind::Alarm(c) if c.alarm == alarm => Some((b.time_seconds, c)),
        _ => None,
    });
    match last {
        Some((when, c)) if c.to == "ALARM" && when == s.acts[i].time_seconds => format!(
            "{role} saw {} of the last {} datapoints {} {} (latest {value:.2})",
            c.breaching, c.evaluation_periods, c.comparison, c.threshold
        ),
        Some((when, c)) if c.to == "ALARM" => format!(
            "{role}, in ALARM since {} (datapoints {} {}), is still breaching (latest {value:.2}) and invokes its policy again",
            clock(when),
            c.comparison,
            c.threshold
        ),
        _ => format!("{role} is in ALARM (latest datapoint {value:.2})"),
    }
}

/// The group's health check marked an instance unhealthy: its termination and replacement are
/// one event.
fn replacement(s: &mut Story, i: usize, instance: &str, why: &str) {
    let a = &s.acts[i];
    let (t, group) = (a.time_seconds, a.subject.clone());
    let mut lines = vec![i];
    let mut replaced_by = Vec::new();
    for (j, b) in s.after(i) {
        if b.time_seconds > t {
            break;
        }
        match &b.kind {
            ActivityKind::Scaling(ScalingActivity::Terminating {
                instance: x,
                cause: ScalingCause::UnhealthyInstance { .. },
            }) if x == instance => lines.push(j),
            ActivityKind::Scaling(ScalingActivity::Launching {
                instance: x,
                cause: ScalingCause::ReplacingUnhealthy { .. },
                ..
            }) if replaced_by.is_empty() => {
                lines.push(j);
                replaced_by.push(x.clone());
            }
            _ => {}
        }
    }
    let replace = match replaced_by.first() {
        Some(x) => format!(" and launches {x} to replace it, keeping the desired capacity"),
        None => String::new(),
    };
    s.add(
        t,
        None,
        Mark::Scaling,
        &group,
        Some(format!("replace {instance}")),
        format!(
            "{group}'s health check marked {instance} Unhealthy ({why}) ⇒ Auto Scaling terminates it{replace}; a replacement does not wait for any cooldown"
        ),
        lines,
    );
}

/// Why a policy did not act. Waiting for the low alarm is a span: from the start of the first
/// datapoint below the low threshold to the policy's next news (the low alarm's scale-in, or
/// anything that interrupted the count).
fn policy_note(s: &mut Story, i: usize, policy: &str, note: &PolicyNote) {
    let a = &s.acts[i];
    let (t, group) = (a.time_seconds, a.subject.clone());
    let said = |text: String| format!("policy {policy} does not act: {text}");
    let max_label = |max: u32| Some(format!("at MaxSize {max}"));
    let (until, label, text) = match note {
        PolicyNote::NoWarmedUpInstance => (
            None,
            None,
            said(
                "no InService instance has finished its warm-up, so it has nothing to measure yet"
                    .into(),
            ),
        ),
        PolicyNote::WantsAboveMaxSize { wanted, max } => (
            None,
            max_label(*max),
            said(format!(
                "it wants {wanted} instances but {group} is already at MaxSize {max}, so nothing is launched"
            )),
        ),
        PolicyNote::OtherPolicyDisagrees { policy: other } => (
            None,
            None,
            said(format!(
                "scale-in waits because policy {other} does not agree (every target tracking policy of the group must be ready to scale in)"
            )),
        ),
        PolicyNote::ScaleInDisabled => (
            None,
            None,
            said("it would scale in, but DisableScaleIn is set".into()),
        ),
        PolicyNote::ScaleInBlockedByWarmup { instances } => (
            None,
            None,
            said(format!(
                "target tracking does not scale in while {} still launching or warming up",
                count(u64::from(*instances), "instance is", "instances are")
            )),
        ),
        PolicyNote::WouldScaleInBelowMinSize { min } => (
            None,
            None,
            said(format!(
                "the low alarm asks for fewer instances, but {group} is at MinSize {min}"
            )),
        ),
        PolicyNote::ActivityInProgress { instances } => (
            None,
            None,
            said(format!(
                "a simple scaling policy waits until its scaling activity ends ({} still launching or terminating)",
                count(*instances as u64, "instance", "instances")
            )),
        ),
        PolicyNote::CooldownUntil { until } => {
            let end = until.as_secs_f64();
            (
                Some(end),
                None,
                said(format!(
                    "its cooldown lasts until {} ({} from now)",
                    clock(end),
                    duration(end - t)
                )),
            )
        }
        PolicyNote::AtLimit { limit, desired } => {
            let (name, label) = match limit {
                SizeLimit::MinSize => ("MinSize", None),
                SizeLimit::MaxSize => ("MaxSize", max_label(*desired)),
            };
            (
                None,
                label,
                said(format!("{group} is already at its {name} ({desired})")),
            )
        }
        PolicyNote::NoStepCovers { value, threshold } => (
            None,
            None,
            said(format!(
                "no step adjustment covers the datapoint {value} (threshold {threshold})"
            )),
        ),
        PolicyNote::AtMaxSize { max } => (
            None,
            max_label(*max),
            said(format!("{group} is already at MaxSize {max}")),
        ),
        PolicyNote::StepScaleInWaits { instances } => (
            None,
            None,
            said(format!(
                "step scaling does not scale in while {} still launching or warming up",
                count(u64::from(*instances), "instance is", "instances are")
            )),
        ),
        PolicyNote::WaitingForLowAlarm {
            streak,
            comparison,
            threshold,
            needed,
            every_seconds,
        } => {
            return low_alarm_count(
                s,
                i,
                policy,
                *streak,
                comparison,
                *threshold,
                *needed,
                *every_seconds,
            );
        }
    };
    s.add(t, until, Mark::Policy, &group, label, text, vec![i]);
}

/// The span of target tracking's low alarm counting its datapoints (see [`policy_note`]).
#[allow(clippy::too_many_arguments)]
fn low_alarm_count(
    s: &mut Story,
    i: usize,
    policy: &str,
    streak: usize,
    comparison: &str,
    threshold: f64,
    needed: u32,
    every_seconds: u64,
) {
    let a = &s.acts[i];
    let (t, group) = (a.time_seconds, a.subject.clone());
    let every = every_seconds as f64;
    let start = t - streak as f64 * every;
    // The policy's next news: its next note, or a capacity change it made.
    let next = s.after(i).find_map(|(_, b)| {
        if b.subject != group {
            return None;
        }
        match &b.kind {
            ActivityKind::Scaling(ScalingActivity::Policy { policy: p, note }) if p == policy => {
                Some((b.time_seconds, Err(note.to_string())))
            }
            ActivityKind::Scaling(
                ScalingActivity::Launching { cause, .. }
                | ScalingActivity::Terminating { cause, .. },
            ) => match cause {
                ScalingCause::DesiredCapacity {
                    by:
                        ChangedBy::Alarm {
                            alarm, policy: p, ..
                        },
                    from,
                    to,
                    ..
                } if p == policy => Some((b.time_seconds, Ok((alarm.clone(), *from, *to)))),
                _ => None,
            },
            _ => None,
        }
    });
    let each = duration(every);
    let counting = format!(
        "scale-in of {group} waits for policy {policy}'s low alarm, which needs {needed} consecutive datapoints {comparison} {threshold}, one every {each}; the first one covers {}–{}",
        clock(start),
        clock(start + every)
    );
    // Only a count that reached the scale-in (or the run's end) is marked on the plot: an
    // interrupted count is told, but a flapping metric would flood the plot with them.
    let mut marked = false;
    let (until, text) = match next {
        Some((end, Ok((alarm, from, to)))) if to < from => (
            {
                marked = true;
                end
            },
            format!(
                "{counting}. The low alarm {alarm} counted {needed} × {each} = {} and went to ALARM at {} ⇒ scale-in {from} → {to}",
                duration(f64::from(needed) * every),
                clock(end)
            ),
        ),
        Some((end, Ok(_))) => (
            end,
            format!(
                "{counting}. The count had not reached {needed} when the policy scaled out at {}",
                clock(end)
            ),
        ),
        Some((end, Err(note))) => (
            end,
            format!(
                "{counting}. The count had not reached {needed} at {}, when the policy said: {note}",
                clock(end)
            ),
        ),
        None => (
            {
                marked = true;
                s.end_seconds
            },
            format!("{counting}. The count had not reached {needed} when the run ended"),
        ),
    };
    s.add(
        start,
        Some(until),
        Mark::Policy,
        &group,
        marked.then(|| format!("low alarm: {needed} × {each}")),
        text,
        vec![i],
    );
}
