//! The scope each operation needs, derived — never written on handlers — from what route
//! registration already puts in the OpenAPI document: the operation's tag (or path) names the
//! resource, its method the action (`GET` reads, everything else writes).
//!
//! [`annotate`] writes the scope into each operation's security requirement
//! (`bearer: ["leads:read"]`, which OpenAPI 3.1 allows for any scheme), so the served spec
//! shows it; [`OperationTable`] reads it back from that same document and is what the gate
//! (`auth::gate`) enforces. A new endpoint therefore gets its scope from its tag, and one
//! whose tag names no resource is callable by signed-in staff only, never by an API token.

use std::collections::HashMap;

use serde_json::Value;
use utoipa::openapi::OpenApi as Spec;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::SecurityRequirement;

use kedao_domain::access::{Action, Resource};
use kedao_domain::scope::Scope;

use crate::routes::responses::rate_limited;

/// What an operation asks of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// No credentials (sign-in, health).
    Public,
    /// A staff session: API tokens may not call it (managing API tokens).
    Session,
    /// A staff session, or an API token holding this scope.
    Scope(Scope),
}

/// The resource an operation acts on, from its tag and path; `None` when it is on none of the
/// permission table's resources (such operations are for staff sessions only).
fn resource_of(tag: &str, path: &str) -> Option<Resource> {
    let named = |name: &str| Resource::ALL.into_iter().find(|r| r.as_str() == name);
    let first_segment = path
        .strip_prefix("/api/v1/")
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_default();
    match tag {
        // Users and teams share a tag; the path says which.
        "users" => named(first_segment).or(Some(Resource::Users)),
        // Who am I: reading a user.
        "auth" => Some(Resource::Users),
        // Payments and statements are the receivables' money, under the same rights.
        "payments" | "statements" => Some(Resource::Receivables),
        // Notes and files are part of the customer's record: a token reads and writes them
        // under the accounts scopes (the record's own rules still decide which ones).
        "notes" | "attachments" => Some(Resource::Accounts),
        other => named(other),
    }
}

/// The scope an operation with this tag, path and method needs.
pub fn scope_of(tag: &str, path: &str, method: &str) -> Option<Scope> {
    let action = if method.eq_ignore_ascii_case("get") || method.eq_ignore_ascii_case("head") {
        Action::Read
    } else {
        Action::Write
    };
    resource_of(tag, path).map(|resource| Scope::new(resource, action))
}

/// Writes each secured operation's scope into its security requirement, and documents the
/// 429 an API token over its rate limit gets. Operations without security stay public.
pub fn annotate(spec: &mut Spec) {
    for (path, item) in spec.paths.paths.iter_mut() {
        let operations = [
            ("get", item.get.as_mut()),
            ("put", item.put.as_mut()),
            ("post", item.post.as_mut()),
            ("delete", item.delete.as_mut()),
            ("patch", item.patch.as_mut()),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation {
                annotate_operation(path, method, operation);
            }
        }
    }
}

fn annotate_operation(path: &str, method: &str, operation: &mut Operation) {
    if operation.security.as_ref().is_none_or(Vec::is_empty) {
        return;
    }
    let tag = operation
        .tags
        .as_ref()
        .and_then(|tags| tags.first())
        .map_or("", String::as_str);
    let scopes: Vec<String> = scope_of(tag, path, method)
        .map(|scope| scope.to_string())
        .into_iter()
        .collect();
    let token_callable = !scopes.is_empty();
    operation.security = Some(vec![SecurityRequirement::new("bearer", scopes)]);
    if token_callable {
        operation
            .responses
            .responses
            .entry("429".to_owned())
            .or_insert_with(rate_limited);
    }
}

/// A request's method and its number of path segments.
type Shape = (String, usize);

/// A path template split at `/`, with its operation's requirement.
type Template = (Vec<String>, Requirement);

/// The requirement of each documented operation, read from the (annotated) spec.
pub struct OperationTable {
    /// Path templates (split at `/`) and their requirements, by method and segment count: a
    /// request is compared with the few templates of its shape, not with every operation.
    by_shape: HashMap<Shape, Vec<Template>>,
}

impl OperationTable {
    pub fn from_spec(spec: &Value) -> OperationTable {
        let mut by_shape: HashMap<Shape, Vec<Template>> = HashMap::new();
        for (path, item) in spec["paths"].as_object().into_iter().flatten() {
            let segments: Vec<String> = path.split('/').map(str::to_owned).collect();
            for (method, operation) in item.as_object().into_iter().flatten() {
                by_shape
                    .entry((method.to_uppercase(), segments.len()))
                    .or_default()
                    .push((segments.clone(), requirement(operation)));
            }
        }
        OperationTable { by_shape }
    }

    /// The requirement of the operation a request reaches; `None` when no documented operation
    /// takes it (the fallback answers 404 or 405). A path matching several templates takes
    /// the one with the most fixed segments, as the router does.
    pub fn requirement(&self, method: &str, path: &str) -> Option<Requirement> {
        let method = if method == "HEAD" { "GET" } else { method };
        let parts: Vec<&str> = path.split('/').collect();
        self.by_shape
            .get(&(method.to_owned(), parts.len()))?
            .iter()
            .filter(|(template, _)| {
                template
                    .iter()
                    .zip(&parts)
                    .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
            })
            .max_by_key(|(template, _)| template.iter().filter(|t| !t.starts_with('{')).count())
            .map(|(_, requirement)| *requirement)
    }
}

/// An operation's requirement from its `security` entry.
fn requirement(operation: &Value) -> Requirement {
    let Some(security) = operation["security"].as_array().filter(|s| !s.is_empty()) else {
        return Requirement::Public;
    };
    let scopes: Vec<&str> = security
        .iter()
        .filter_map(|entry| entry["bearer"].as_array())
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    match scopes.as_slice() {
        [one] => Scope::parse(one).map_or(Requirement::Session, Requirement::Scope),
        // None, or a combination this server does not define: staff sessions only.
        _ => Requirement::Session,
    }
}

/// The spec with only the operations `allowed` keeps (paths left empty are dropped).
pub fn filtered_spec(spec: &Value, allowed: impl Fn(Requirement) -> bool) -> Value {
    let mut out = spec.clone();
    if let Some(paths) = out.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            if let Some(methods) = item.as_object_mut() {
                methods.retain(|key, operation| {
                    !["get", "put", "post", "delete", "patch"].contains(&key.as_str())
                        || allowed(requirement(operation))
                });
            }
        }
        paths.retain(|_, item| {
            item.as_object().is_some_and(|methods| {
                methods
                    .keys()
                    .any(|k| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
            })
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> (Value, OperationTable) {
        let spec = serde_json::to_value(crate::openapi::spec()).unwrap_or_default();
        let table = OperationTable::from_spec(&spec);
        (spec, table)
    }

    #[test]
    fn every_secured_operation_but_token_management_has_one_scope() {
        let (spec, _) = table();
        let mut session_only = Vec::new();
        for (path, item) in spec["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                if requirement(operation) == Requirement::Session {
                    session_only.push(format!("{method} {path}"));
                }
            }
        }
        assert!(
            session_only
                .iter()
                .all(|op| op.contains("/api/v1/api-tokens")),
            "operations no API token can call: {session_only:?}"
        );
    }

    #[test]
    fn scopes_follow_tag_path_and_method() {
        let (_, table) = table();
        let scope = |method: &str, path: &str| match table.requirement(method, path) {
            Some(Requirement::Scope(s)) => s.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(scope("GET", "/api/v1/leads"), "leads:read");
        assert_eq!(scope("HEAD", "/api/v1/leads"), "leads:read");
        assert_eq!(scope("POST", "/api/v1/leads"), "leads:write");
        assert_eq!(scope("PATCH", "/api/v1/leads/x"), "leads:write");
        assert_eq!(scope("GET", "/api/v1/teams"), "teams:read");
        assert_eq!(scope("POST", "/api/v1/users"), "users:write");
        assert_eq!(scope("GET", "/api/v1/auth/me"), "users:read");
        assert_eq!(scope("POST", "/api/v1/payments"), "receivables:write");
        assert_eq!(
            scope("GET", "/api/v1/accounts/x/statement"),
            "receivables:read"
        );
        assert_eq!(scope("PUT", "/api/v1/accounts/x/credit"), "credit:write");
        assert_eq!(scope("GET", "/api/v1/notifications"), "notifications:read");
        assert_eq!(scope("POST", "/api/v1/notes"), "accounts:write");
        assert_eq!(
            scope("GET", "/api/v1/attachments/x/content"),
            "accounts:read"
        );
        assert_eq!(
            scope("POST", "/api/v1/orders/x/release-hold"),
            "credit:write"
        );
        assert_eq!(scope("GET", "/api/v1/funnel"), "opportunities:read");
        assert_eq!(scope("PATCH", "/api/v1/stages/x"), "pipelines:write");
        assert_eq!(
            scope("GET", "/api/v1/receivables/aging"),
            "receivables:read"
        );
        assert_eq!(
            table.requirement("POST", "/api/v1/auth/login"),
            Some(Requirement::Public)
        );
        assert_eq!(
            table.requirement("GET", "/health"),
            Some(Requirement::Public)
        );
        assert_eq!(table.requirement("GET", "/api/v1/nothing"), None);
        assert_eq!(table.requirement("PUT", "/api/v1/leads"), None);
    }

    #[test]
    fn a_filtered_spec_keeps_only_what_is_allowed() {
        let (spec, _) = table();
        let read_leads = Scope::parse("leads:read");
        let filtered = filtered_spec(&spec, |r| match r {
            Requirement::Scope(s) => Some(s) == read_leads,
            Requirement::Public => false,
            Requirement::Session => false,
        });
        let paths = filtered["paths"].as_object().unwrap();
        assert!(paths["/api/v1/leads"].get("get").is_some());
        assert!(paths["/api/v1/leads"].get("post").is_none());
        assert!(!paths.contains_key("/api/v1/orders"));
    }
}
