//! Sticky sessions: cookies that pin a browser session to a target (`stickiness.*`) or, for a
//! weighted forward, to a target group (`TargetGroupStickinessConfig`).
//!
//! A session is a cookie jar: each closed-loop user has one; an open-loop client with `sessions: N`
//! spreads its requests over N. The cookie of a (session, group) names a target and an expiry.
//! As AWS documents it: a request with a valid cookie goes to that target, bypassing the routing
//! algorithm, unless the target is no longer routable (unhealthy, draining, deregistered) — then the
//! algorithm picks a new one and the cookie is rewritten, so the session stays on the new target
//! even after the old one recovers. The expiry is reset on every request.

use super::World;
use crate::engine::SimTime;
use crate::model::ids::{MemberId, TargetGroupId};
use crate::model::resolved::Scenario;
use crate::model::route::Route;

/// A request without a session (no cookies).
pub(super) const NO_SESSION: u32 = u32::MAX;
const NONE: u32 = u32::MAX;

/// One cookie: what it points to (a member or a group index), and until when it is valid.
#[derive(Clone, Copy, Debug)]
struct Cookie {
    target: u32,
    expires: SimTime,
}

const NO_COOKIE: Cookie = Cookie {
    target: NONE,
    expires: SimTime::ZERO,
};

/// All cookie jars of a run.
#[derive(Debug, Default)]
pub(super) struct Sessions {
    /// First session index of each open-loop client (users take 0..users).
    pub(super) client_base: Vec<u32>,
    /// Dense index of each sticky target group, or NONE.
    group_slot: Vec<u32>,
    /// Dense index of each sticky weighted route, or NONE.
    route_slot: Vec<u32>,
    /// `sessions × sticky groups` target cookies.
    target_cookies: Vec<Cookie>,
    /// `sessions × sticky routes` group cookies.
    group_cookies: Vec<Cookie>,
    sticky_groups: usize,
    sticky_routes: usize,
}

impl Sessions {
    /// Cookie jars for `users` users plus the open-loop clients' sessions of `sc`.
    pub(super) fn new(sc: &Scenario, users: u32) -> Sessions {
        let mut next = users;
        let client_base = sc
            .clients
            .iter()
            .map(|c| {
                let base = next;
                next += c.sessions;
                base
            })
            .collect();
        let mut sticky_groups = 0usize;
        let group_slot = sc
            .target_groups
            .iter()
            .map(|g| {
                if g.stickiness.is_some() {
                    sticky_groups += 1;
                    (sticky_groups - 1) as u32
                } else {
                    NONE
                }
            })
            .collect();
        let mut sticky_routes = 0usize;
        let route_slot = sc
            .routes
            .routes
            .iter()
            .map(|r| match r {
                Route::Weighted {
                    sticky: Some(_), ..
                } => {
                    sticky_routes += 1;
                    (sticky_routes - 1) as u32
                }
                _ => NONE,
            })
            .collect();
        let sessions = next as usize;
        Sessions {
            client_base,
            group_slot,
            route_slot,
            target_cookies: vec![NO_COOKIE; sessions * sticky_groups],
            group_cookies: vec![NO_COOKIE; sessions * sticky_routes],
            sticky_groups,
            sticky_routes,
        }
    }
}

impl World<'_> {
    /// The target a session's cookie keeps it on in group `g`, if the cookie is valid and the target
    /// still routable; counts the outcome. `None` when the group is not sticky or there is no cookie.
    #[inline(always)]
    pub(super) fn sticky_member(
        &mut self,
        session: u32,
        g: TargetGroupId,
        node: u8,
    ) -> Option<Result<MemberId, ()>> {
        let slot = self.lb.sessions.group_slot[g.index()];
        if slot == NONE || session == NO_SESSION {
            return None;
        }
        let c = self.lb.sessions.target_cookies
            [session as usize * self.lb.sessions.sticky_groups + slot as usize];
        if c.target == NONE || c.expires <= self.now {
            return None;
        }
        let kept = self.lb.groups[g.index()].is_routable(MemberId(c.target), node);
        self.rec.sticky(g.index(), kept);
        Some(if kept {
            Ok(MemberId(c.target))
        } else {
            Err(())
        })
    }

    /// (Re)writes a session's cookie for group `g` after routing to `member`.
    #[inline(always)]
    pub(super) fn set_sticky_member(&mut self, session: u32, g: TargetGroupId, member: MemberId) {
        let slot = self.lb.sessions.group_slot[g.index()];
        if slot == NONE || session == NO_SESSION {
            return;
        }
        let duration = self.sc.target_groups[g.index()]
            .stickiness
            .as_ref()
            .map_or(Default::default(), |s| s.duration);
        let i = session as usize * self.lb.sessions.sticky_groups + slot as usize;
        self.lb.sessions.target_cookies[i] = Cookie {
            target: member.0,
            expires: self.now + duration,
        };
    }

    /// The group a session's `AWSALBTG` cookie keeps it on for weighted route `route`, or a fresh
    /// weighted choice (which the cookie then records).
    #[inline]
    pub(super) fn sticky_group(
        &mut self,
        session: u32,
        route: usize,
        choose: impl FnOnce(&mut Self) -> TargetGroupId,
    ) -> TargetGroupId {
        let slot = self.lb.sessions.route_slot[route];
        if slot == NONE || session == NO_SESSION {
            return choose(self);
        }
        let i = session as usize * self.lb.sessions.sticky_routes + slot as usize;
        let c = self.lb.sessions.group_cookies[i];
        let g = if c.target != NONE && c.expires > self.now {
            TargetGroupId(c.target)
        } else {
            choose(self)
        };
        let duration = match &self.sc.routes.routes[route] {
            Route::Weighted {
                sticky: Some(d), ..
            } => *d,
            _ => Default::default(),
        };
        self.lb.sessions.group_cookies[i] = Cookie {
            target: g.0,
            expires: self.now + duration,
        };
        g
    }
}
