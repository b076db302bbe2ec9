//! Pipelines and their funnel stages (销售漏斗 / 阶段).

use chrono::{DateTime, Utc};
use kedao_domain::pipeline::StageKind;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
#[cfg(feature = "validate")]
use validator::Validate;

/// A stage of a pipeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageView {
    pub id: Uuid,
    pub pipeline_id: Uuid,
    pub name: String,
    /// The Chinese name, when it differs.
    pub name_zh: Option<String>,
    /// 0-based order within the pipeline.
    pub position: i32,
    /// Win probability in percent; 100 for won stages, 0 for lost ones.
    pub probability: u8,
    pub kind: StageKind,
    pub version: i32,
}

/// A pipeline with its stages in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PipelineView {
    pub id: Uuid,
    pub name: String,
    pub is_default: bool,
    pub stages: Vec<StageView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// A stage to create.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct StageCreate {
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub name: String,
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub name_zh: Option<String>,
    /// 0–100; must be 100 for `won` and 0 for `lost`.
    pub probability: i64,
    /// Defaults to `open`.
    pub kind: Option<StageKind>,
    /// Where to insert it (0-based); defaults to before the first closed stage.
    pub position: Option<i64>,
}

/// A new pipeline with its stages in order.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "name": "经销商渠道", "stages": [
        {"name": "Qualified", "name_zh": "已确认", "probability": 20},
        {"name": "Negotiation", "name_zh": "商务谈判", "probability": 60},
        {"name": "Won", "name_zh": "赢单", "probability": 100, "kind": "won"},
        {"name": "Lost", "name_zh": "丢单", "probability": 0, "kind": "lost"}
    ]
})))]
#[serde(deny_unknown_fields)]
pub struct PipelineCreate {
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub name: String,
    /// At least one open, one won and one lost stage; at most 30.
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 30), nested))]
    pub stages: Vec<StageCreate>,
    pub is_default: Option<bool>,
}

/// Changes to a pipeline.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct PipelineUpdate {
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub name: Option<String>,
    /// Only `true` is meaningful: makes this the default (the previous default stops being one).
    pub is_default: Option<bool>,
}

/// Changes to a stage.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct StageUpdate {
    #[cfg_attr(feature = "validate", validate(length(max = 100)))]
    pub name: Option<String>,
    #[serde(
        default,
        deserialize_with = "crate::patch::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub name_zh: Option<Option<String>>,
    pub probability: Option<i64>,
}

/// The new order of a pipeline's stages: every stage id exactly once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "validate", derive(validator::Validate))]
#[serde(deny_unknown_fields)]
pub struct StageReorder {
    #[cfg_attr(feature = "validate", validate(length(min = 1, max = 30)))]
    pub stage_ids: Vec<Uuid>,
}
