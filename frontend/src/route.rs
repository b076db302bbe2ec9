//! The app's addresses: each screen has a path, so reload, back and bookmarks work (the
//! server answers every such path with the app).

use kedao_api_types::notifications::RecordType;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Sign in, then go to `next` (where the user was when the session ended).
    SignIn {
        next: Option<String>,
    },
    Dashboard,
    Leads,
    LeadNew,
    Lead(Uuid),
    Pipeline,
    /// The quote builder for an opportunity.
    QuoteNew(Uuid),
    Receivables,
    Accounts,
    /// The 360 view of one customer.
    Account(Uuid),
    Quote(Uuid),
    Orders,
    Order(Uuid),
    /// A direct order for a customer.
    OrderNew(Uuid),
    /// The price book.
    Products,
    /// A customer's statement of account.
    Statement(Uuid),
    AdminUsers,
    AdminPipelines,
    /// The signed-in user's notifications.
    Notifications,
    NotFound,
}

impl Route {
    /// The screen of a record a notification (or note) is on, where the app has one: a deal
    /// opens in its quote builder; contacts and activities have no screen of their own.
    pub fn of_record(record_type: RecordType, id: Uuid) -> Option<Route> {
        match record_type {
            RecordType::Account => Some(Route::Account(id)),
            RecordType::Lead => Some(Route::Lead(id)),
            RecordType::Opportunity => Some(Route::QuoteNew(id)),
            RecordType::Quote => Some(Route::Quote(id)),
            RecordType::Order => Some(Route::Order(id)),
            RecordType::Contact | RecordType::Activity => None,
        }
    }

    /// Reads a location's path and query string (`?next=/leads`).
    pub fn parse(path: &str, query: &str) -> Route {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        match segments.as_slice() {
            [] => Route::Dashboard,
            ["sign-in"] => Route::SignIn {
                next: query_param(query, "next").filter(|n| is_local_path(n)),
            },
            ["leads"] => Route::Leads,
            ["leads", "new"] => Route::LeadNew,
            ["leads", id] => id.parse().map_or(Route::NotFound, Route::Lead),
            ["pipeline"] => Route::Pipeline,
            ["opportunities", id, "quote"] => id.parse().map_or(Route::NotFound, Route::QuoteNew),
            ["receivables"] => Route::Receivables,
            ["accounts"] => Route::Accounts,
            ["accounts", id] => id.parse().map_or(Route::NotFound, Route::Account),
            ["accounts", id, "statement"] => id.parse().map_or(Route::NotFound, Route::Statement),
            ["accounts", id, "order"] => id.parse().map_or(Route::NotFound, Route::OrderNew),
            ["quotes", id] => id.parse().map_or(Route::NotFound, Route::Quote),
            ["orders"] => Route::Orders,
            ["orders", id] => id.parse().map_or(Route::NotFound, Route::Order),
            ["products"] => Route::Products,
            ["admin", "users"] => Route::AdminUsers,
            ["admin", "pipelines"] => Route::AdminPipelines,
            ["notifications"] => Route::Notifications,
            _ => Route::NotFound,
        }
    }

    /// The path (and query) of the route.
    pub fn to_path(&self) -> String {
        match self {
            Route::SignIn { next: None } => "/sign-in".to_owned(),
            Route::SignIn { next: Some(next) } => {
                format!("/sign-in?next={}", encode_component(next))
            }
            Route::Dashboard => "/".to_owned(),
            Route::Leads => "/leads".to_owned(),
            Route::LeadNew => "/leads/new".to_owned(),
            Route::Lead(id) => format!("/leads/{id}"),
            Route::Pipeline => "/pipeline".to_owned(),
            Route::QuoteNew(id) => format!("/opportunities/{id}/quote"),
            Route::Receivables => "/receivables".to_owned(),
            Route::Accounts => "/accounts".to_owned(),
            Route::Account(id) => format!("/accounts/{id}"),
            Route::Quote(id) => format!("/quotes/{id}"),
            Route::Orders => "/orders".to_owned(),
            Route::Order(id) => format!("/orders/{id}"),
            Route::Products => "/products".to_owned(),
            Route::Statement(id) => format!("/accounts/{id}/statement"),
            Route::OrderNew(id) => format!("/accounts/{id}/order"),
            Route::AdminUsers => "/admin/users".to_owned(),
            Route::AdminPipelines => "/admin/pipelines".to_owned(),
            Route::Notifications => "/notifications".to_owned(),
            Route::NotFound => "/not-found".to_owned(),
        }
    }

    /// Screens anyone may see without signing in.
    pub fn is_public(&self) -> bool {
        matches!(self, Route::SignIn { .. })
    }
}

/// Only same-site paths are followed after sign-in, never another origin.
fn is_local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.contains("://")
}

fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| decode_component(value))
}

/// Percent-encodes what a query value cannot hold as is.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn decode_component(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip() {
        let id = Uuid::nil();
        for route in [
            Route::Dashboard,
            Route::Leads,
            Route::LeadNew,
            Route::Lead(id),
            Route::Pipeline,
            Route::QuoteNew(id),
            Route::Receivables,
            Route::Accounts,
            Route::Account(id),
            Route::Quote(id),
            Route::Orders,
            Route::Order(id),
            Route::Products,
            Route::Statement(id),
            Route::OrderNew(id),
            Route::AdminUsers,
            Route::AdminPipelines,
            Route::Notifications,
            Route::SignIn { next: None },
            Route::SignIn {
                next: Some("/leads?q=云杉&x=1".into()),
            },
        ] {
            let path = route.to_path();
            let (p, q) = path.split_once('?').unwrap_or((&path, ""));
            assert_eq!(Route::parse(p, q), route, "{path}");
        }
    }

    #[test]
    fn records_open_on_their_screens() {
        let id = Uuid::nil();
        assert_eq!(
            Route::of_record(RecordType::Account, id),
            Some(Route::Account(id))
        );
        assert_eq!(
            Route::of_record(RecordType::Opportunity, id),
            Some(Route::QuoteNew(id))
        );
        assert_eq!(Route::of_record(RecordType::Contact, id), None);
    }

    #[test]
    fn unknown_paths_and_foreign_next_are_refused() {
        assert_eq!(Route::parse("/nope", ""), Route::NotFound);
        assert_eq!(Route::parse("/leads/not-a-uuid", ""), Route::NotFound);
        assert_eq!(
            Route::parse("/sign-in", "next=https://evil.example/"),
            Route::SignIn { next: None }
        );
        assert_eq!(
            Route::parse("/sign-in", "next=//evil.example/"),
            Route::SignIn { next: None }
        );
    }
}
