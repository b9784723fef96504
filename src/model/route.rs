//! Precomputed routes: what the listener rules do with each request type.
//!
//! Built once per model from the rules ([`super::listener`]); the event loop then needs one table
//! lookup per request. Redirects are followed here too (the client follows a `redirect` with a new
//! request on the listener it points to), so a chain `HTTP:80 → HTTPS:443 → forward` becomes two
//! routes linked by [`Route::Redirect::follow`].

use super::ids::{ListenerId, RouteId, TargetGroupId};
use super::listener::{ActionSpec, ListenerSpec, Protocol, RedirectSpec, RequestView};
use std::collections::BTreeMap;

/// The longest redirect chain a client follows before giving up (browsers stop at about 20; a
/// model with a longer chain is a loop).
const MAX_REDIRECTS: usize = 10;

/// A precomputed route.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    /// Forward to one target group.
    Forward(TargetGroupId),
    /// Forward to one of several target groups, chosen by weight.
    Weighted {
        /// `(group, cumulative weight)`; groups of weight 0 are left out.
        groups: Box<[(TargetGroupId, u32)]>,
        /// Sum of the weights.
        total: u32,
        /// Target-group stickiness duration (`AWSALBTG` cookie), if enabled.
        sticky: Option<crate::engine::SimDuration>,
    },
    /// Answer 301/302; the client then sends the follow-up request, unless it leaves this load
    /// balancer (`None`: the redirect points to a port with no listener).
    Redirect {
        /// 301 or 302.
        status: u16,
        /// Listener and route of the follow-up request.
        follow: Option<(ListenerId, RouteId)>,
    },
    /// Answer from the load balancer with a fixed status.
    Fixed {
        /// Status code.
        status: u16,
        /// Body length \[bytes\].
        body_bytes: u64,
    },
}

/// All routes of a model.
#[derive(Clone, Debug, Default)]
pub struct RouteTable {
    /// Routes, indexed by [`RouteId`].
    pub routes: Vec<Route>,
}

impl RouteTable {
    /// The route of `view` arriving on `listener`, adding it (and any redirect follow-ups) to the
    /// table. Errors describe a redirect chain that loops or points at a listener of the wrong
    /// protocol.
    pub fn add(
        &mut self,
        listeners: &[ListenerSpec],
        listener: ListenerId,
        view: &RequestView,
    ) -> Result<RouteId, String> {
        self.add_depth(listeners, listener, view, 0)
    }

    fn add_depth(
        &mut self,
        listeners: &[ListenerSpec],
        listener: ListenerId,
        view: &RequestView,
        depth: usize,
    ) -> Result<RouteId, String> {
        if depth > MAX_REDIRECTS {
            return Err(format!(
                "the redirect rules send {} {}{} round more than {MAX_REDIRECTS} times (a redirect loop)",
                view.method, view.host, view.path
            ));
        }
        let spec = &listeners[listener.index()];
        let route = match spec.evaluate(view) {
            ActionSpec::Forward(groups, sticky) => match groups.as_slice() {
                [(g, _)] => Route::Forward(*g),
                many => {
                    let mut cumulative = 0;
                    let mut table = Vec::with_capacity(many.len());
                    for &(g, w) in many.iter().filter(|(_, w)| *w > 0) {
                        cumulative += w;
                        table.push((g, cumulative));
                    }
                    Route::Weighted {
                        groups: table.into_boxed_slice(),
                        total: cumulative,
                        sticky: *sticky,
                    }
                }
            },
            ActionSpec::FixedResponse { status, body_bytes } => Route::Fixed {
                status: *status,
                body_bytes: *body_bytes,
            },
            ActionSpec::Redirect(r) => {
                let (protocol, port, next) = redirected(r, spec, view);
                let follow = match listeners.iter().position(|l| l.port == port) {
                    None => None,
                    Some(i) if listeners[i].protocol != protocol => {
                        return Err(format!(
                            "a redirect sends clients to {}:{port}, but the listener on port {port} is {}",
                            protocol.as_str(),
                            listeners[i].protocol.as_str()
                        ));
                    }
                    Some(i) => {
                        let next_listener = ListenerId(i as u32);
                        Some((
                            next_listener,
                            self.add_depth(listeners, next_listener, &next, depth + 1)?,
                        ))
                    }
                };
                Route::Redirect {
                    status: r.status,
                    follow,
                }
            }
        };
        if let Some(i) = self.routes.iter().position(|r| *r == route) {
            return Ok(RouteId(i as u32));
        }
        self.routes.push(route);
        Ok(RouteId(self.routes.len() as u32 - 1))
    }

    /// The route with id `id`.
    #[inline]
    pub fn get(&self, id: RouteId) -> &Route {
        &self.routes[id.index()]
    }

    /// How the load balancer answers a request on `route`, in a user's words, following its
    /// redirects: a fixed response and a redirect the ALB answers itself; a forward to target
    /// group `g` is described by `group(g)` (`None`: the target group may take time, and so may
    /// the answer). `follow` sees the listener of each redirect followed. The whole answer is
    /// `None` when any part of it is.
    pub fn describe_answer(
        &self,
        route: RouteId,
        group: &mut impl FnMut(TargetGroupId) -> Option<String>,
        follow: &mut impl FnMut(ListenerId),
    ) -> Option<String> {
        self.describe_answer_at(route, 0, group, follow)
    }

    fn describe_answer_at(
        &self,
        route: RouteId,
        depth: usize,
        group: &mut impl FnMut(TargetGroupId) -> Option<String>,
        follow: &mut impl FnMut(ListenerId),
    ) -> Option<String> {
        Some(match self.get(route) {
            Route::Fixed { status, .. } => format!("a fixed-response action answers {status}"),
            Route::Redirect {
                follow: Some((listener, next)),
                status,
            } => {
                // Chains are at most MAX_REDIRECTS long (longer ones are rejected as loops).
                if depth >= MAX_REDIRECTS {
                    return None;
                }
                follow(*listener);
                let then = self.describe_answer_at(*next, depth + 1, group, follow)?;
                format!("a redirect answers {status}, then {then}")
            }
            Route::Redirect { status, .. } => format!("a redirect answers {status}"),
            Route::Forward(g) => group(*g)?,
            Route::Weighted { groups, .. } => {
                let mut words = Vec::with_capacity(groups.len());
                for &(g, _) in groups.iter() {
                    words.push(group(g)?);
                }
                words.join(" or ")
            }
        })
    }
}

/// Applies a redirect's `#{protocol}`, `#{host}`, `#{port}`, `#{path}`, `#{query}` keywords.
/// (Also used by the access log to write `redirect_url`.)
pub(crate) fn redirected(
    r: &RedirectSpec,
    on: &ListenerSpec,
    view: &RequestView,
) -> (Protocol, u16, RequestView) {
    let query_string: String = view
        .query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let port_text = on.port.to_string();
    let subst = |template: &str| {
        template
            .replace("#{protocol}", on.protocol.as_str())
            .replace("#{host}", &view.host)
            .replace("#{port}", &port_text)
            .replace("#{path}", view.path.trim_start_matches('/'))
            .replace("#{query}", &query_string)
    };
    let protocol = if subst(&r.protocol) == "HTTPS" {
        Protocol::Https
    } else {
        Protocol::Http
    };
    let port = subst(&r.port).parse().unwrap_or(on.port);
    let query: BTreeMap<String, String> = subst(&r.query)
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| match kv.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (kv.to_string(), String::new()),
        })
        .collect();
    let next = RequestView {
        method: view.method.clone(),
        host: subst(&r.host),
        path: subst(&r.path),
        headers: view.headers.clone(),
        query,
        source_ip: view.source_ip,
    };
    (protocol, port, next)
}
