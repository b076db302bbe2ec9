//! The error responses each kind of operation documents, so every path in the OpenAPI spec
//! lists its problem+json answers without repeating them.

use std::collections::BTreeMap;

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, RefOr, Response, ResponseBuilder};

fn problem(description: &str) -> RefOr<Response> {
    problem_builder(description).build().into()
}

fn problem_builder(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        crate::error::PROBLEM_JSON,
        ContentBuilder::new()
            .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
            .build(),
    )
}

fn set(codes: &[(&str, &str)]) -> BTreeMap<String, RefOr<Response>> {
    codes
        .iter()
        .map(|(code, text)| ((*code).to_owned(), problem(text)))
        .collect()
}

const BAD_REQUEST: (&str, &str) = ("400", "Malformed request: bad JSON or query parameter");
const UNAUTHORIZED: (&str, &str) = ("401", "Missing, invalid or expired bearer token");
const FORBIDDEN: (&str, &str) = ("403", "The caller's role may not do this");
const NOT_FOUND: (&str, &str) = ("404", "No such record, or not one the caller may see");
const CONFLICT: (&str, &str) = (
    "409",
    "Conflicts with the current state (duplicate, invalid transition, in use)",
);
const STALE: (&str, &str) = (
    "412",
    "If-Match names an old version: read again and reapply",
);
const TOO_LARGE: (&str, &str) = ("413", "Body larger than the configured limit");
const MEDIA: (&str, &str) = ("415", "Body is not application/json");
const INVALID: (&str, &str) = ("422", "Invalid fields, listed in `errors`");
const IF_MATCH: (&str, &str) = ("428", "If-Match header required");

/// Errors of a list: 400, 401, 403, 422.
pub struct ListErrors;
impl utoipa::IntoResponses for ListErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, INVALID])
    }
}

/// Errors of a read: 401, 403, 404.
pub struct ReadErrors;
impl utoipa::IntoResponses for ReadErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[UNAUTHORIZED, FORBIDDEN, NOT_FOUND])
    }
}

/// Errors of a create or action with a body: 400, 401, 403, 404, 409, 413, 415, 422.
pub struct CreateErrors;
impl utoipa::IntoResponses for CreateErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[
            BAD_REQUEST,
            UNAUTHORIZED,
            FORBIDDEN,
            NOT_FOUND,
            CONFLICT,
            TOO_LARGE,
            MEDIA,
            INVALID,
        ])
    }
}

/// Errors of a file upload: 400, 401, 403, 404, 413 (over the attachment limit), 415 (not an
/// accepted file type), 422.
pub struct UploadErrors;
impl utoipa::IntoResponses for UploadErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut errors = set(&[BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, INVALID]);
        errors.insert(
            "413".to_owned(),
            problem("The file is larger than the attachment limit (named in `detail`)"),
        );
        errors.insert(
            "415".to_owned(),
            problem("The file's bytes are not of an accepted type (the type found is named)"),
        );
        errors
    }
}

/// Errors of a versioned update: everything a create has, plus 412 and 428.
pub struct UpdateErrors;
impl utoipa::IntoResponses for UpdateErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[
            BAD_REQUEST,
            UNAUTHORIZED,
            FORBIDDEN,
            NOT_FOUND,
            CONFLICT,
            STALE,
            TOO_LARGE,
            MEDIA,
            INVALID,
            IF_MATCH,
        ])
    }
}

/// Errors of a versioned delete: 400, 401, 403, 404, 409, 412, 428.
pub struct DeleteErrors;
impl utoipa::IntoResponses for DeleteErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[
            BAD_REQUEST,
            UNAUTHORIZED,
            FORBIDDEN,
            NOT_FOUND,
            CONFLICT,
            STALE,
            IF_MATCH,
        ])
    }
}

/// Errors of a public endpoint with a body (refresh, sign-out): 400, 401, 413, 415, 422.
pub struct PublicErrors;
impl utoipa::IntoResponses for PublicErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        set(&[BAD_REQUEST, UNAUTHORIZED, TOO_LARGE, MEDIA, INVALID])
    }
}

/// Errors of sign-in: those of a public endpoint, plus 429 with `Retry-After` when too many
/// attempts failed for the account or from the client address.
pub struct LoginErrors;
impl utoipa::IntoResponses for LoginErrors {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut responses = PublicErrors::responses();
        responses.insert("429".to_owned(), too_many_attempts());
        responses
    }
}

fn too_many_attempts() -> RefOr<Response> {
    let seconds = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .build();
    problem_builder(
        "Too many failed sign-ins for this account or from this address: try again after \
         `Retry-After` seconds (even the right password is refused until then)",
    )
    .header(
        "Retry-After",
        HeaderBuilder::new()
            .schema(seconds)
            .description(Some("Seconds until the next attempt will be heard"))
            .build(),
    )
    .build()
    .into()
}

/// 429 of an integration API token over its rate limit, with `Retry-After`; added to every
/// operation a token may call (see `auth::scopes`).
pub fn rate_limited() -> RefOr<Response> {
    let seconds = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .build();
    problem_builder(
        "The API token sent more requests this minute than its rate limit allows: try again \
         after `Retry-After` seconds",
    )
    .header(
        "Retry-After",
        HeaderBuilder::new()
            .schema(seconds)
            .description(Some("Seconds until the token's next request will be heard"))
            .build(),
    )
    .build()
    .into()
}
