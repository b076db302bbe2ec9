//! The one error type of the API, rendered as RFC 9457 `application/problem+json`.
//!
//! Client mistakes carry a stable `code` and, for invalid fields, one entry per field.
//! Internal errors are logged with their cause chain and answered with a bare 500 that says
//! nothing about the inside.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use kedao_api_types::{FieldError, Problem};

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 422: the body parsed but some fields are invalid.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// 400: the request itself is malformed (bad JSON, bad query parameter).
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    /// 401: no valid credentials.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// 403: valid credentials, not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such record (or one the caller may not see: the two look the same).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 405: the path exists, but not for this method (the `Allow` header lists the methods).
    #[error("this path accepts only {0}")]
    MethodNotAllowed(String),
    /// 409: the request conflicts with the state of the data (duplicate, in use, wrong state).
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    /// 412: `If-Match` names an old version.
    #[error("the record was changed by someone else")]
    PreconditionFailed { current_version: i32 },
    /// 428: an update without `If-Match`.
    #[error("If-Match is required")]
    PreconditionRequired,
    /// 413
    #[error("request body larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// 415
    #[error("content type must be application/json")]
    UnsupportedMediaType,
    /// 415: an uploaded file whose bytes are not of an accepted type (named: what they are).
    #[error(
        "files of type {0} are not accepted: upload a PDF, PNG, JPEG, GIF, WebP, Office document, CSV or plain text"
    )]
    UnsupportedFileType(&'static str),
    /// 429: too many failed sign-ins for this account or from this address; `Retry-After`
    /// says when the next attempt will be heard.
    #[error("too many failed sign-in attempts: try again in {retry_after_secs} seconds")]
    TooManyAttempts { retry_after_secs: u64 },
    /// 403: an integration API token without the scope (named here) the operation needs.
    #[error("this API token lacks the scope `{0}` this operation needs")]
    InsufficientScope(String),
    /// 429: an integration API token over its per-minute rate limit; `Retry-After` says when
    /// its next request will be heard.
    #[error("this API token's rate limit is used up: try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    /// 503: a dependency (the database) is unreachable.
    #[error("service unavailable")]
    Unavailable,
    /// 500: a bug or an infrastructure failure; logged, never described to the client.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A 422 for one field.
    pub fn field(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::Conflict {
            code,
            detail: detail.into(),
        }
    }

    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code,
            detail: detail.into(),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation-failed",
            ApiError::BadRequest { code, .. } | ApiError::Conflict { code, .. } => code,
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not-found",
            ApiError::MethodNotAllowed(_) => "method-not-allowed",
            ApiError::PreconditionFailed { .. } => "stale-version",
            ApiError::PreconditionRequired => "if-match-required",
            ApiError::PayloadTooLarge(_) => "payload-too-large",
            ApiError::UnsupportedMediaType => "unsupported-media-type",
            ApiError::UnsupportedFileType(_) => "unsupported-file-type",
            ApiError::TooManyAttempts { .. } => "too-many-attempts",
            ApiError::InsufficientScope(_) => "insufficient-scope",
            ApiError::RateLimited { .. } => "rate-limited",
            ApiError::Unavailable => "unavailable",
            ApiError::Internal(_) => "internal-error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "The request has invalid fields",
            ApiError::BadRequest { .. } => "The request is malformed",
            ApiError::Unauthorized(_) => "Authentication required",
            ApiError::Forbidden(_) => "Not allowed",
            ApiError::NotFound(_) => "Not found",
            ApiError::MethodNotAllowed(_) => "Method not allowed",
            ApiError::Conflict { .. } => "Conflict with the current state",
            ApiError::PreconditionFailed { .. } => "The record was changed since you read it",
            ApiError::PreconditionRequired => "If-Match header required",
            ApiError::PayloadTooLarge(_) => "Request body too large",
            ApiError::UnsupportedMediaType => "Unsupported media type",
            ApiError::UnsupportedFileType(_) => "Unsupported file type",
            ApiError::TooManyAttempts { .. } => "Too many attempts",
            ApiError::InsufficientScope(_) => "Scope missing",
            ApiError::RateLimited { .. } => "Rate limit exceeded",
            ApiError::Unavailable => "Service unavailable",
            ApiError::Internal(_) => "Internal server error",
        }
    }

    /// The problem body for this error.
    pub fn problem(&self) -> Problem {
        let detail = match self {
            ApiError::Validation(errors) => Some(match errors.as_slice() {
                [one] => format!("{}: {}", one.field, one.message),
                many => format!("{} fields are invalid", many.len()),
            }),
            ApiError::PreconditionFailed { current_version } => Some(format!(
                "the record is now at version {current_version}; read it again and reapply your change"
            )),
            ApiError::Internal(_) => None,
            other => Some(other.to_string()),
        };
        let code = self.code();
        Problem {
            problem_type: format!("urn:kedao:problem:{code}"),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            code: code.to_owned(),
            detail,
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType | ApiError::UnsupportedFileType(_) => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::InsufficientScope(_) => StatusCode::FORBIDDEN,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = ?cause, "internal error");
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type(PROBLEM_JSON);
        match self {
            ApiError::Unauthorized(_) => {
                response.insert_header(("WWW-Authenticate", "Bearer"));
            }
            ApiError::TooManyAttempts { retry_after_secs }
            | ApiError::RateLimited { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::InsufficientScope(scope) => {
                // RFC 6750 §3: the scope a client must ask for.
                response.insert_header((
                    "WWW-Authenticate",
                    format!("Bearer error=\"insufficient_scope\", scope=\"{scope}\""),
                ));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

impl From<sea_orm::DbErr> for ApiError {
    fn from(e: sea_orm::DbErr) -> Self {
        if is_transient_conflict(&e) {
            // Two requests touched the same rows at once and the database gave one up; the
            // client did nothing wrong and may simply send it again.
            tracing::warn!(error = %e, "transaction lost a race");
            return crate::store::retry::lost_race();
        }
        if matches!(
            e.sql_err(),
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
        ) {
            // A unique value taken by a concurrent request after the store checked it was
            // free: the request conflicts with the data, it is no server fault.
            return ApiError::conflict(
                "duplicate",
                "another record took one of these unique values at the same moment",
            );
        }
        ApiError::Internal(anyhow::Error::new(e))
    }
}

/// Deadlocks and serialization failures (PostgreSQL 40P01 / 40001) and SQLite lock time-outs:
/// errors caused by timing, not by the request.
fn is_transient_conflict(e: &sea_orm::DbErr) -> bool {
    let text = e.to_string();
    [
        "deadlock detected",
        "could not serialize access",
        "database is locked",
        "40P01",
        "40001",
    ]
    .iter()
    .any(|marker| text.contains(marker))
}

impl From<sea_orm::TransactionError<ApiError>> for ApiError {
    fn from(e: sea_orm::TransactionError<ApiError>) -> Self {
        match e {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(api) => api,
        }
    }
}

/// Builds the field error for a rule from `kedao-domain`.
pub fn rule(field: &str, code: &str, error: impl std::fmt::Display) -> ApiError {
    ApiError::field(field, code, error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{DbErr, RuntimeErr};

    #[test]
    fn lost_races_are_409_not_500() {
        let deadlock = DbErr::Exec(RuntimeErr::Internal(
            "error returned from database: deadlock detected".into(),
        ));
        let e = ApiError::from(deadlock);
        assert_eq!(e.status_code(), StatusCode::CONFLICT);
        assert_eq!(e.problem().code, "concurrent-update");
        let other = DbErr::Exec(RuntimeErr::Internal("relation \"x\" does not exist".into()));
        assert_eq!(
            ApiError::from(other).status_code(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }

    #[test]
    fn internal_errors_say_nothing_about_the_inside() {
        let problem = ApiError::Internal(anyhow::anyhow!("password=hunter2 at db:5432")).problem();
        assert_eq!(problem.status, 500);
        assert!(problem.detail.is_none());
        assert!(
            !serde_json::to_string(&problem)
                .unwrap_or_default()
                .contains("hunter2")
        );
    }
}
