//! The OpenAPI 3.1 document. Paths come from route registration (utoipa-actix-web), so a route
//! cannot exist without its entry; this module adds the frame: info, tags, security scheme.

use actix_web::App;
use actix_web::dev::{ServiceFactory, ServiceRequest};
use utoipa::openapi::OpenApi as Spec;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::{AppExt, scope};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kedao CRM API",
        description = "Lead-to-cash CRM for direct sales and dealer networks. Every list is cursor-paged \
with one envelope; every update needs `If-Match` with the record's ETag; every error is \
`application/problem+json` with a stable `code`. Money is exact decimal, sent as strings.",
        license(name = "Apache-2.0")
    ),
    modifiers(&BearerAuth),
    components(schemas(kedao_api_types::Problem, kedao_api_types::FieldError)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Sign-in and sessions"),
        (name = "users", description = "Staff users and teams"),
        (name = "leads", description = "Leads (销售线索) and their conversion"),
        (name = "accounts", description = "Accounts (客户) and the relationship network"),
        (name = "dealers", description = "Dealers (经销商): the channel partners serving accounts"),
        (name = "activities", description = "Activities (跟进记录): calls, visits, meetings, tasks, notes and e-mail logs on customers"),
        (name = "contacts", description = "Contacts (联系人)"),
        (name = "pipelines", description = "Pipelines and funnel stages (销售漏斗)"),
        (name = "opportunities", description = "Opportunities (销售机会), stage history and the funnel"),
        (name = "products", description = "The price book (产品价目表)"),
        (name = "quotes", description = "Quotes (报价): pricing, approval, sending and revisions"),
        (name = "orders", description = "Orders (订单): accepted quotes and direct entries, their fulfilment and timeline"),
        (name = "receivables", description = "Receivables (应收款): payment plans and their status"),
        (name = "payments", description = "Payments (回款): applied oldest due first, voids"),
        (name = "credit", description = "Credit control (信用控制): credit limits; orders over the limit or with long-overdue installments go on hold until released"),
        (name = "statements", description = "Statements of account (对账单): per account and period, JSON and printable"),
        (name = "notifications", description = "Notifications (通知): the caller's reminders, mentions and hand-overs"),
        (name = "notes", description = "Notes (便签) on records, with @mentions that notify"),
        (name = "attachments", description = "Attachments (附件): files on records, typed by their bytes, seen by whoever sees the record"),
        (name = "api-tokens", description = "Integration API tokens: scoped, revocable, rate-limited bearer tokens for other systems (managed from a signed-in session)")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut Spec) {
        if let Some(components) = openapi.components.as_mut() {
            let mut scheme = Http::new(HttpAuthScheme::Bearer);
            scheme.bearer_format = Some("JWT".to_owned());
            scheme.description = Some(
                "Access token from `POST /api/v1/auth/login` (the role's full rights), or an \
integration API token from `POST /api/v1/api-tokens`. Each operation lists the one scope an API \
token needs to call it (`resource:read` or `resource:write`); operations listing none are for \
signed-in staff only. A token also never exceeds its user's role. An API token over its rate \
limit gets 429 with `Retry-After`."
                    .to_owned(),
            );
            components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
        }
    }
}

/// Registers every documented route on `app` and returns it with the spec.
pub fn mount<T>(app: App<T>) -> (App<T>, Spec)
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    let (app, mut spec) = app
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(routes::health::health)
        .service(routes::health::ready)
        .service(scope::scope("/api/v1").configure(routes::configure))
        .split_for_parts();
    // Every operation's scope, derived from its tag and method (see `auth::scopes`).
    crate::auth::scopes::annotate(&mut spec);
    (app, spec)
}

/// The spec alone, as served at `/api-docs/openapi.json` and committed in `openapi/`.
pub fn spec() -> Spec {
    mount(App::new()).1
}

/// The spec as pretty JSON with a trailing newline (the committed file's format).
pub fn spec_json() -> anyhow::Result<String> {
    Ok(spec().to_pretty_json()? + "\n")
}
