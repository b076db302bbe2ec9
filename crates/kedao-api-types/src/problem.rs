//! RFC 9457 problem details: the one error body of the API.

use serde::{Deserialize, Serialize};

/// An error answer (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "type": "urn:kedao:problem:validation-failed",
    "title": "The request has invalid fields",
    "status": 422,
    "code": "validation-failed",
    "detail": "1 field is invalid",
    "errors": [{"field": "amount", "code": "too-precise", "message": "CNY amounts have at most 2 decimal places"}]
})))]
pub struct Problem {
    /// A stable URI naming the kind of problem (`urn:kedao:problem:<code>`).
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// A stable machine-readable code, the last part of `type`.
    pub code: String,
    /// What went wrong with this request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// One entry per invalid field, for validation problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One invalid field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's path in the request, e.g. `name` or `stages[2].probability`.
    pub field: String,
    /// A stable machine-readable code, e.g. `required`, `too-long`, `invalid`.
    pub code: String,
    /// A human-readable explanation.
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}
