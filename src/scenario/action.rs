//! Listener actions as written (`forward`, `redirect`, `fixed-response`) and their resolution into
//! [`ActionSpec`]s, target group names turned into ids.

use super::tagged::tagged_deserialize;
use super::values::AwsInt;
use serde::Deserialize;

/// A rule action (AWS `Action`).
#[derive(Debug)]
pub enum RawAction {
    /// Forward to one target group, or split by weight across several.
    Forward(RawActionForward),

    /// Redirect; the client follows it.
    Redirect(RawActionRedirect),

    /// Answer directly from the load balancer.
    FixedResponse(RawActionFixedResponse),
}

tagged_deserialize!(RawAction, "type", {
    "forward" => Forward,
    "redirect" => Redirect,
    "fixed-response" => FixedResponse,
});

/// Forward to one target group, or split by weight across several.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActionForward {
    /// One target group.
    #[serde(default)]
    pub target_group: Option<String>,
    /// Several target groups with weights 0–999.
    #[serde(default)]
    pub target_groups: Option<Vec<RawWeightedGroup>>,
    /// Target-group-level stickiness of a weighted forward (AWS `TargetGroupStickinessConfig`).
    #[serde(default)]
    pub stickiness: Option<RawGroupStickiness>,
}

/// `TargetGroupStickinessConfig`: keep a session on the target group it was first sent to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroupStickiness {
    /// `Enabled`.
    pub enabled: bool,
    /// `DurationSeconds`, 1–604800.
    #[serde(default)]
    pub duration_seconds: Option<AwsInt>,
}

/// Redirect; the client follows it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActionRedirect {
    /// `HTTP` or `HTTPS` or `#{protocol}`.
    #[serde(default)]
    pub protocol: Option<String>,
    /// Port or `#{port}`.
    #[serde(default)]
    pub port: Option<String>,
    /// Host or `#{host}`.
    #[serde(default)]
    pub host: Option<String>,
    /// Path (`/#{path}` by default).
    #[serde(default)]
    pub path: Option<String>,
    /// Query (`#{query}` by default).
    #[serde(default)]
    pub query: Option<String>,
    /// `HTTP_301` or `HTTP_302`.
    pub status_code: String,
}

/// Answer directly from the load balancer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActionFixedResponse {
    /// 2XX, 4XX or 5XX code, as a string (`"503"`) or number.
    pub status_code: AwsInt,
    /// Content type (informational).
    #[serde(default)]
    pub content_type: Option<String>,
    /// Body (its length counts as response bytes).
    #[serde(default)]
    pub message_body: Option<String>,
}

/// One target group of a weighted forward.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWeightedGroup {
    /// Target group name.
    pub name: String,
    /// Weight, 0–999.
    pub weight: u32,
}
