//! Targets and faults: a target unhealthy until healthy again, draining until removed, a group
//! failing open, and a fault from start to end are spans; a first passing health check,
//! a registration and slow start are minor moments without a marker.

use super::Story;
use super::words::{clock, duration};
use crate::recorder::{
    Activity, ActivityKind, AnomalyChange, FailOpen, Fault, NotJudgedBecause, Registration,
    ScalingActivity, TargetHealth, TargetState, Transition,
};
use crate::report::document::Mark;

/// Tells line `i`: a target's health, a target group, a registration or a fault.
pub(super) fn tell(s: &mut Story, i: usize) {
    let a = &s.acts[i];
    match &a.kind {
        ActivityKind::TargetHealth(TargetHealth::Transition(x)) => transition(s, i, x),
        ActivityKind::TargetHealth(TargetHealth::SlowStart { seconds }) => {
            let (group, instance) = target(a);
            let text = format!(
                "{instance} gets a share of {group}'s requests that ramps up linearly over {} (slow start)",
                duration(*seconds)
            );
            s.add(
                a.time_seconds,
                Some(a.time_seconds + seconds),
                Mark::Health,
                &a.subject,
                None,
                text,
                vec![i],
            );
        }
        ActivityKind::TargetHealth(TargetHealth::Anomaly(change)) => anomaly(s, i, *change),
        ActivityKind::TargetGroup(f) => fail_open(s, i, *f),
        ActivityKind::LoadBalancer(n) => {
            let (t, node) = (a.time_seconds, a.subject.clone());
            let text = format!("load balancer node {node}: {n}");
            s.add(t, None, Mark::Health, &node, None, text, vec![i]);
        }
        ActivityKind::Registration(r) => {
            let (group, instance) = target(a);
            let text = match r {
                Registration::Registered {
                    health_checks: true,
                } => format!(
                    "{instance} is registered with target group {group}: initial until it passes one health check"
                ),
                Registration::Registered {
                    health_checks: false,
                } => format!(
                    "{instance} is registered with target group {group}, which checks no health: it gets requests at once"
                ),
                Registration::AlreadyRegistered { instance } => {
                    format!(
                        "RegisterTargets is ignored: {instance} is already registered with {group}"
                    )
                }
                Registration::NotRegistered { instance } => {
                    format!(
                        "DeregisterTargets is ignored: {instance} is not registered with {group}"
                    )
                }
                Registration::Drained => {
                    format!(
                        "{instance} has no request in flight left in {group}: draining is complete"
                    )
                }
            };
            s.add(
                a.time_seconds,
                None,
                Mark::Health,
                &a.subject,
                None,
                text,
                vec![i],
            );
        }
        ActivityKind::Fault(f) => fault(s, i, f),
        _ => {}
    }
}

/// Automatic Target Weights: an anomalous target, until normal again, and its mitigation, until
/// its traffic is back to its full share, are spans; their ends are told with them.
fn anomaly(s: &mut Story, i: usize, change: AnomalyChange) {
    let a = &s.acts[i];
    let (t, subject) = (a.time_seconds, a.subject.clone());
    let (group, instance) = target(a);
    let (group, instance) = (group.to_string(), instance.to_string());
    let next = |s: &Story, wanted: fn(&AnomalyChange) -> bool| {
        s.after(i).find_map(|(j, b)| match &b.kind {
            ActivityKind::TargetHealth(TargetHealth::Anomaly(c))
                if b.subject == subject && wanted(c) =>
            {
                Some((j, b.time_seconds))
            }
            _ => None,
        })
    };
    match change {
        AnomalyChange::Anomalous { .. } => {
            let ends = |c: &AnomalyChange| {
                matches!(c, AnomalyChange::Normal | AnomalyChange::NotJudged(_))
            };
            let end = next(s, ends);
            let mitigated = next(s, |c| matches!(c, AnomalyChange::MitigationStarted { .. }))
                .filter(|&(j, _)| end.is_none_or(|(k, _)| j <= k));
            let mut text = format!(
                "{instance} answers far more errors than its peers in {group}: {change}. Until health checks say otherwise it stays healthy, so only Automatic Target Weights can see it"
            );
            if mitigated.is_none() {
                text += ", and nothing cuts its traffic (anomaly mitigation needs weighted_random with load_balancing.algorithm.anomaly_mitigation on, and cuts at most max_mitigated_percentage of the healthy targets at once)";
            }
            let mut lines = vec![i];
            let until = end.map(|(j, back)| {
                let how = match &s.acts[j].kind {
                    ActivityKind::TargetHealth(TargetHealth::Anomaly(
                        c @ AnomalyChange::NotJudged(_),
                    )) => {
                        format!(". At {} {c}", clock(back))
                    }
                    _ => format!(". Its detection result was normal again at {}", clock(back)),
                };
                text += &how;
                lines.push(j);
                back
            });
            s.add(
                t,
                until,
                Mark::Health,
                &subject,
                Some(format!("{instance} anomalous")),
                text,
                lines,
            );
        }
        AnomalyChange::MitigationStarted { .. } => {
            let mut text = format!("{group} sheds {instance}: {change}");
            let mut lines = vec![i];
            // Forgotten (not healthy) or back at parity; with detection off or no result the
            // weight keeps ramping to parity, which ends the span.
            let ends = |c: &AnomalyChange| {
                matches!(
                    c,
                    AnomalyChange::MitigationEnded
                        | AnomalyChange::NotJudged(NotJudgedBecause::Unhealthy)
                )
            };
            let until = next(s, ends).map(|(j, back)| {
                let parity = matches!(
                    s.acts[j].kind,
                    ActivityKind::TargetHealth(TargetHealth::Anomaly(
                        AnomalyChange::MitigationEnded
                    ))
                );
                if parity {
                    text += &format!(
                        ". Its traffic was back to its full share at {}, after {} of mitigation",
                        clock(back),
                        duration(back - t)
                    );
                    lines.push(j);
                } else {
                    // The line is told by the anomalous span, or on its own.
                    text += &format!(
                        ". It left detection at {} (no longer healthy), after {} of mitigation",
                        clock(back),
                        duration(back - t)
                    );
                }
                back
            });
            s.add(
                t,
                until,
                Mark::Health,
                &subject,
                Some(format!("{instance} mitigated")),
                text,
                lines,
            );
        }
        // Told with the span they end.
        AnomalyChange::NotJudged(_) => {
            // Told by the anomalous span it ends, unless the target was only recovering its
            // weight (no longer anomalous) when detection stopped.
            let in_span = s.acts[..i].iter().rev().find_map(|b| match &b.kind {
                ActivityKind::TargetHealth(TargetHealth::Anomaly(c)) if b.subject == subject => {
                    match c {
                        AnomalyChange::Anomalous { .. } => Some(true),
                        AnomalyChange::Normal | AnomalyChange::NotJudged(_) => Some(false),
                        _ => None,
                    }
                }
                _ => None,
            });
            if in_span != Some(true) {
                let text = format!("{instance} in {group}: {change}");
                s.add(t, None, Mark::Health, &subject, None, text, vec![i]);
            }
        }
        AnomalyChange::Normal | AnomalyChange::MitigationEnded => {}
    }
}

/// `web/web-1` → (`web`, `web-1`); a subject without a group is the instance.
fn target(a: &Activity) -> (&str, &str) {
    a.subject.split_once('/').unwrap_or(("", &a.subject))
}

/// The `because` of a transition: `Target.Timeout: 2 consecutive …`.
fn because(x: &Transition) -> String {
    if x.reason.is_empty() {
        x.detail.clone()
    } else {
        format!("{}: {}", x.reason, x.detail)
    }
}

/// The next transition of the same target, after line `i`.
fn next_transition<'a>(s: &'a Story, i: usize) -> Option<(usize, &'a Activity, &'a Transition)> {
    let subject = &s.acts[i].subject;
    s.after(i).find_map(|(j, b)| match &b.kind {
        ActivityKind::TargetHealth(TargetHealth::Transition(y)) if &b.subject == subject => {
            Some((j, b, y))
        }
        _ => None,
    })
}

/// The fault striking the instance at line `i` (started before it, not ended): its words and
/// start [s]; and the end of the latest fault that ended before it.
fn fault_on(s: &Story, i: usize, instance: &str) -> (Option<(&'static str, f64)>, Option<f64>) {
    let mut on = None;
    let mut ended = None;
    for b in s.acts[..i].iter().filter(|b| b.subject == instance) {
        match &b.kind {
            ActivityKind::Fault(Fault::Starts { fault, .. }) => on = Some((*fault, b.time_seconds)),
            ActivityKind::Fault(Fault::Ends { .. }) => {
                on = None;
                ended = Some(b.time_seconds);
            }
            _ => {}
        }
    }
    (on, ended)
}

/// A target's state change.
fn transition(s: &mut Story, i: usize, x: &Transition) {
    let a = &s.acts[i];
    let t = a.time_seconds;
    let (group, instance) = target(a);
    let (group, instance, subject) = (group.to_string(), instance.to_string(), a.subject.clone());
    match x.to {
        TargetState::Unhealthy => {
            let (fault, _) = fault_on(s, i, &instance);
            let mut text = format!(
                "{instance} became unhealthy in target group {group} ({})",
                because(x)
            );
            if let Some((what, since)) = fault {
                text += &format!(
                    ", {} after the {what} of {instance} began: until then the ALB kept sending it requests",
                    duration(t - since)
                );
            } else if x.from == TargetState::Initial {
                text += ": it never passed a health check since its registration";
            }
            text += "; the ALB sends it no new requests";
            let mut lines = vec![i];
            let mut until = None;
            if let Some((j, b, y)) = next_transition(s, i)
                && y.to == TargetState::Healthy
            {
                let back = b.time_seconds;
                let (_, ended) = fault_on(s, j, &instance);
                text += &format!(". It was healthy again at {} ({})", clock(back), because(y));
                if let Some(e) = ended.filter(|&e| e > t) {
                    text += &format!(", {} after the fault ended", duration(back - e));
                }
                lines.push(j);
                until = Some(back);
            }
            s.add(
                t,
                until,
                Mark::Health,
                &subject,
                Some(format!("{instance} unhealthy")),
                text,
                lines,
            );
        }
        TargetState::Draining => draining(s, i, x),
        TargetState::Healthy if x.from == TargetState::Initial => s.add(
            t,
            None,
            Mark::Health,
            &subject,
            None,
            format!(
                "{instance} passed its first health check in {group}: healthy, it gets requests now"
            ),
            vec![i],
        ),
        TargetState::Healthy => s.add(
            t,
            None,
            Mark::Health,
            &subject,
            Some(format!("{instance} healthy")),
            format!("{instance} is healthy again in {group} ({})", because(x)),
            vec![i],
        ),
        _ => s.add(
            t,
            None,
            Mark::Health,
            &subject,
            None,
            format!(
                "{instance} in {group}: {} → {} ({})",
                x.from,
                x.to,
                because(x)
            ),
            vec![i],
        ),
    }
}

/// A target drains: from deregistration to removal (`unused`), with its drained line.
fn draining(s: &mut Story, i: usize, x: &Transition) {
    let a = &s.acts[i];
    let t = a.time_seconds;
    let (group, instance) = target(a);
    let (group, instance, subject) = (group.to_string(), instance.to_string(), a.subject.clone());
    // A termination at this instant tells why (and has the marker).
    let terminated = s.acts.iter().any(|b| {
        b.time_seconds == t
            && matches!(&b.kind, ActivityKind::Scaling(ScalingActivity::Terminating { instance: y, .. }) if *y == instance)
    });
    let mut text = format!(
        "{instance} is deregistered from {group} and drains ({})",
        because(x)
    );
    let mut lines = vec![i];
    let mut until = None;
    for (j, b) in s.after(i).filter(|(_, b)| b.subject == subject) {
        match &b.kind {
            ActivityKind::Registration(Registration::Drained) if until.is_none() => {
                let d = b.time_seconds - t;
                if d < 0.5 {
                    text += "; it had no request in flight";
                } else {
                    text += &format!(
                        "; its last in-flight request finished {} later",
                        duration(d)
                    );
                }
                lines.push(j);
            }
            ActivityKind::TargetHealth(TargetHealth::Transition(y)) => {
                if y.to == TargetState::Unused {
                    text += &format!(
                        "; it left the target group at {} ({})",
                        clock(b.time_seconds),
                        because(y)
                    );
                    lines.push(j);
                    until = Some(b.time_seconds);
                }
                break;
            }
            _ => {}
        }
    }
    let label = (!terminated).then(|| format!("{instance} draining"));
    s.add(t, until, Mark::Health, &subject, label, text, lines);
}

/// A target group starts failing open: a span until it stops.
fn fail_open(s: &mut Story, i: usize, f: FailOpen) {
    let a = &s.acts[i];
    let (t, group) = (a.time_seconds, a.subject.clone());
    let ended = |f: FailOpen| match f {
        FailOpen::EndedHealthyAgain => "enough targets are healthy again",
        FailOpen::EndedNoTargetLeft => "no unhealthy target is left to fail open to",
        FailOpen::Started(_) => "",
    };
    let FailOpen::Started(cause) = f else {
        let text = format!("target group {group} stops failing open: {}", ended(f));
        s.add(t, None, Mark::Health, &group, None, text, vec![i]);
        return;
    };
    let mut text = if cause.healthy == 0 {
        format!(
            "no target of {group} is healthy, so the ALB fails open: it routes requests to all its targets, unhealthy ones included"
        )
    } else {
        format!(
            "{group} has {cause}, so the ALB fails open: it routes requests to all its targets, unhealthy ones included"
        )
    };
    let mut lines = vec![i];
    let mut until = None;
    let end = s.after(i).find_map(|(j, b)| match &b.kind {
        ActivityKind::TargetGroup(e) if b.subject == group => Some((j, b.time_seconds, *e)),
        _ => None,
    });
    if let Some((j, e, how)) = end
        && !matches!(how, FailOpen::Started(_))
    {
        text += &format!("; at {} it stops: {}", clock(e), ended(how));
        lines.push(j);
        until = Some(e);
    }
    s.add(
        t,
        until,
        Mark::Health,
        &group,
        Some(format!("{group} fails open")),
        text,
        lines,
    );
}

/// A fault: from its start to its end (or the run's end).
fn fault(s: &mut Story, i: usize, f: &Fault) {
    let a = &s.acts[i];
    let (t, instance) = (a.time_seconds, a.subject.clone());
    match f {
        Fault::Starts { fault, effect, .. } => {
            let end = s.after(i).find_map(|(j, b)| match &b.kind {
                ActivityKind::Fault(Fault::Ends { .. }) if b.subject == instance => {
                    Some((j, b.time_seconds))
                }
                ActivityKind::Fault(Fault::Starts { .. }) if b.subject == instance => {
                    Some((usize::MAX, b.time_seconds))
                }
                _ => None,
            });
            let mut text = format!("{fault} on {instance}: {effect}");
            let mut lines = vec![i];
            let until = match end {
                Some((j, e)) if j != usize::MAX => {
                    text += &format!("; it ends at {}, after {}", clock(e), duration(e - t));
                    lines.push(j);
                    e
                }
                _ => {
                    text += ", until the end of the run";
                    s.end_seconds
                }
            };
            s.add(
                t,
                Some(until),
                Mark::Fault,
                &instance,
                Some(format!("{fault} {instance}")),
                text,
                lines,
            );
        }
        Fault::HitsNothing => s.add(
            t,
            None,
            Mark::Fault,
            &instance,
            None,
            "a fault found no running instance to hit: it does nothing".into(),
            vec![i],
        ),
        Fault::Ends { fault } => s.add(
            t,
            None,
            Mark::Fault,
            &instance,
            None,
            format!("the {fault} fault on {instance} ends"),
            vec![i],
        ),
    }
}
