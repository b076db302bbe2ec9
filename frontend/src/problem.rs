//! What a failed request means to the screen: the API's problem+json (RFC 9457, see
//! `kedao_api_types::Problem`) turned into a general message and per-field messages shown
//! next to the form fields they name.

use std::collections::BTreeMap;

use kedao_api_types::Problem;

/// Why a request failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The server could not be reached.
    Network,
    /// The session is over (refreshing did not help): sign in again.
    SignedOut,
    /// Someone else changed the record first (409 version conflict, 412): reload and retry.
    Stale(Problem),
    /// Any other answer in problem+json.
    Problem(Problem),
    /// An error status without a problem body, or a body the app cannot read.
    Unexpected(u16),
}

impl ApiFailure {
    /// Reads an error answer.
    pub fn from_response(status: u16, body: &str) -> ApiFailure {
        if status == 401 {
            return ApiFailure::SignedOut;
        }
        match serde_json::from_str::<Problem>(body) {
            Ok(problem) if status == 412 || (status == 409 && is_version_conflict(&problem)) => {
                ApiFailure::Stale(problem)
            }
            Ok(problem) => ApiFailure::Problem(problem),
            Err(_) => ApiFailure::Unexpected(status),
        }
    }

    /// The message catalogue key of the general message for this failure.
    pub fn message_key(&self) -> &'static str {
        match self {
            ApiFailure::Network => "error.network",
            ApiFailure::SignedOut => "error.signed_out",
            ApiFailure::Stale(_) => "error.stale",
            ApiFailure::Problem(p) if p.status == 422 => "error.invalid_fields",
            ApiFailure::Problem(p) if p.status == 403 => "error.forbidden",
            ApiFailure::Problem(p) if p.status == 404 => "error.not_found",
            ApiFailure::Problem(p) if p.status == 429 => "error.too_many_attempts",
            ApiFailure::Problem(p) if p.status >= 500 => "error.server",
            ApiFailure::Problem(_) => "error.rejected",
            ApiFailure::Unexpected(_) => "error.server",
        }
    }

    /// The server's own explanation, when it gave one.
    pub fn detail(&self) -> Option<&str> {
        match self {
            ApiFailure::Problem(p) | ApiFailure::Stale(p) => p.detail.as_deref(),
            _ => None,
        }
    }

    /// The invalid fields, keyed by the request field they name.
    pub fn field_errors(&self) -> FieldErrors {
        match self {
            ApiFailure::Problem(p) => FieldErrors::from_problem(p),
            _ => FieldErrors::default(),
        }
    }
}

fn is_version_conflict(problem: &Problem) -> bool {
    problem.code.contains("version") || problem.code.contains("stale")
}

/// Per-field messages of a form. Keys are the API's field paths (`name`,
/// `opportunity.amount`, `lines[1].discount_percent`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors {
    by_field: BTreeMap<String, FieldMessage>,
}

/// One field's problem: a stable code (for a translated message) and the server's words.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMessage {
    pub code: String,
    pub message: String,
}

impl FieldErrors {
    pub fn from_problem(problem: &Problem) -> FieldErrors {
        let mut by_field = BTreeMap::new();
        for error in &problem.errors {
            // The first complaint about a field is the one shown.
            by_field
                .entry(error.field.clone())
                .or_insert_with(|| FieldMessage {
                    code: error.code.clone(),
                    message: error.message.clone(),
                });
        }
        FieldErrors { by_field }
    }

    /// A client-side complaint, in the same shape as the server's.
    pub fn insert(&mut self, field: &str, code: &str, message: &str) {
        self.by_field.insert(
            field.to_owned(),
            FieldMessage {
                code: code.to_owned(),
                message: message.to_owned(),
            },
        );
    }

    pub fn get(&self, field: &str) -> Option<&FieldMessage> {
        self.by_field.get(field)
    }

    pub fn is_empty(&self) -> bool {
        self.by_field.is_empty()
    }

    /// The fields of one nested object, with `prefix.` removed: `opportunity.amount` → `amount`.
    pub fn nested(&self, prefix: &str) -> FieldErrors {
        let lead = format!("{prefix}.");
        let by_field = self
            .by_field
            .iter()
            .filter_map(|(field, message)| {
                field
                    .strip_prefix(&lead)
                    .map(|rest| (rest.to_owned(), message.clone()))
            })
            .collect();
        FieldErrors { by_field }
    }

    /// Fields the form does not show (so their messages are not lost): `(field, message)`.
    pub fn others<'a>(&'a self, shown: &'a [&str]) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.by_field
            .iter()
            .filter(move |(field, _)| !shown.contains(&field.as_str()))
            .map(|(field, m)| (field.as_str(), m.message.as_str()))
    }
}

/// The catalogue key of the message for a field error code, if the app words it itself.
pub fn field_code_key(code: &str) -> Option<&'static str> {
    match code {
        "required" | "blank" | "empty" => Some("field.required"),
        "too-long" => Some("field.too_long"),
        "out-of-range" => Some("field.out_of_range"),
        "too-precise" => Some("field.too_precise"),
        "not-a-number" => Some("field.not_a_number"),
        "invalid-split" => Some("plan.invalid_split"),
        "invalid-plan" => Some("plan.must_add_up"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kedao_api_types::FieldError;

    fn validation(errors: Vec<FieldError>) -> String {
        serde_json::to_string(&Problem {
            problem_type: "urn:kedao:problem:validation-failed".into(),
            title: "The request has invalid fields".into(),
            status: 422,
            code: "validation-failed".into(),
            detail: None,
            errors,
        })
        .unwrap()
    }

    #[test]
    fn validation_problem_maps_fields_to_messages() {
        let body = validation(vec![
            FieldError::new("name", "required", "is required"),
            FieldError::new("opportunity.amount", "too-precise", "CNY has 2 decimals"),
            FieldError::new("name", "too-long", "second complaint"),
        ]);
        let failure = ApiFailure::from_response(422, &body);
        assert_eq!(failure.message_key(), "error.invalid_fields");
        let fields = failure.field_errors();
        assert_eq!(fields.get("name").unwrap().code, "required");
        assert_eq!(fields.get("name").unwrap().message, "is required");
        let nested = fields.nested("opportunity");
        assert_eq!(nested.get("amount").unwrap().code, "too-precise");
        assert!(nested.get("name").is_none());
        let others: Vec<_> = fields.others(&["name"]).collect();
        assert_eq!(others, [("opportunity.amount", "CNY has 2 decimals")]);
    }

    #[test]
    fn statuses_map_to_kinds() {
        let problem = |status: u16, code: &str| {
            serde_json::json!({"type": "t", "title": "x", "status": status, "code": code})
                .to_string()
        };
        assert_eq!(
            ApiFailure::from_response(401, &problem(401, "unauthorized")),
            ApiFailure::SignedOut
        );
        assert_eq!(ApiFailure::from_response(401, ""), ApiFailure::SignedOut);
        assert!(matches!(
            ApiFailure::from_response(412, &problem(412, "precondition-failed")),
            ApiFailure::Stale(_)
        ));
        assert!(matches!(
            ApiFailure::from_response(409, &problem(409, "version-conflict")),
            ApiFailure::Stale(_)
        ));
        assert!(matches!(
            ApiFailure::from_response(409, &problem(409, "duplicate")),
            ApiFailure::Problem(_)
        ));
        assert_eq!(
            ApiFailure::from_response(502, "<html>"),
            ApiFailure::Unexpected(502)
        );
        assert_eq!(
            ApiFailure::from_response(429, &problem(429, "too-many-attempts")).message_key(),
            "error.too_many_attempts"
        );
        assert!(ApiFailure::Network.field_errors().is_empty());
    }

    #[test]
    fn known_field_codes_have_own_words() {
        assert_eq!(field_code_key("required"), Some("field.required"));
        assert_eq!(field_code_key("something-new"), None);
    }
}
