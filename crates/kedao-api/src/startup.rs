//! Builds the server: the one start-up path for `kedao serve` and for the tests.

use std::net::TcpListener;
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, Service, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use anyhow::Context;
use futures_util::FutureExt;
use sea_orm::DatabaseConnection;
use secrecy::ExposeSecret;
use tracing::Instrument;
use utoipa_swagger_ui::{Config, SwaggerUi};
use uuid::Uuid;

use crate::auth::scopes::OperationTable;
use crate::auth::{RateLimiter, TokenKeys, gate};
use crate::error::{ApiError, PROBLEM_JSON};
use crate::extract::BodyLimit;
use crate::jobs::JobRunner;
use crate::routes::AppState;
use crate::routes::api_docs::{self, SPEC_PATH, SpecDocument};
use crate::routes::fallback::RouteTable;
use crate::settings::Settings;
use crate::web_app::{self, WebApp};
use crate::{db, openapi};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A bound, not yet running server, with its background job workers already started.
pub struct Application {
    port: u16,
    server: Server,
    jobs: Option<JobRunner>,
}

impl Application {
    /// Connects, migrates, installs the default pipeline if missing, and binds.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let db = db::connect(&settings).await?;
        db::migrate(&db).await?;
        crate::store::pipelines::ensure_default(&db).await?;
        Application::with_database(settings, db)
    }

    /// Binds a server on an already prepared database.
    pub fn with_database(
        settings: Settings,
        db: DatabaseConnection,
    ) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(&settings.bind).with_context(|| {
            format!(
                "cannot listen on {}: is the port in use? Set KEDAO_BIND to another address",
                settings.bind
            )
        })?;
        let port = listener.local_addr()?.port();
        let keys = web::Data::new(TokenKeys::new(
            &settings.jwt_secret,
            settings.access_token_ttl_secs,
        ));
        let limit = BodyLimit(settings.max_body_bytes);
        let workers = settings.workers;
        let web_app = web::Data::new(WebApp::load(&settings.web_dir));
        // Per process: see `auth::rate_limit` on what that means with several replicas.
        let limiter = web::Data::new(RateLimiter::new(settings.token_rate_limit_per_minute));
        let jobs = JobRunner::start(db.clone(), &settings);
        let state = web::Data::new(AppState { db, settings });
        let spec = openapi::spec();
        let route_table = web::Data::new(RouteTable::from_spec(&spec));
        let spec = serde_json::to_value(&spec)?;
        let operations = web::Data::new(OperationTable::from_spec(&spec));
        let spec = web::Data::new(SpecDocument(spec));
        let mut server = HttpServer::new(move || {
            let app = App::new()
                .app_data(state.clone())
                .app_data(route_table.clone())
                .app_data(web_app.clone())
                .app_data(keys.clone())
                .app_data(operations.clone())
                .app_data(limiter.clone())
                .app_data(spec.clone())
                .app_data(limit)
                .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound("resource").into()))
                // Innermost: authentication and scopes, before any handler (see `auth::gate`).
                .wrap(from_fn(gate::gate))
                .wrap(Compress::default())
                .wrap_fn(|req, srv| {
                    let request_id = request_id(req.request());
                    let span = tracing::info_span!("request", request_id = %request_id, method = %req.method(), path = %req.path());
                    let started = Instant::now();
                    srv.call(req)
                        .map(move |result| {
                            result.map(|res| {
                                let mut res = problem_fallback(res);
                                tracing::info!(status = res.status().as_u16(), elapsed_ms = started.elapsed().as_millis() as u64, "answered");
                                if let Ok(v) = HeaderValue::from_str(&request_id) {
                                    res.headers_mut().insert(REQUEST_ID, v);
                                }
                                res
                            })
                        })
                        .instrument(span)
                });
            let (app, _) = openapi::mount(app);
            // The spec is served by `api_docs` (it answers each token with its own part); the
            // explorer only points at it.
            app.route(SPEC_PATH, web::get().to(api_docs::openapi_json))
                .service(SwaggerUi::new("/docs/{_:.*}").config(Config::new([SPEC_PATH])))
                .route("/docs", web::get().to(|| async { redirect("/docs/") }))
                .default_service(web::to(web_app::app_or_unmatched))
        })
        .listen(listener)?;
        if let Some(n) = workers {
            server = server.workers(n);
        }
        Ok(Application {
            port,
            server: server.shutdown_timeout(10).run(),
            jobs,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process is told to stop (SIGINT/SIGTERM), finishing in-flight requests.
    /// From the signal on, the job workers claim nothing new; jobs in flight finish within
    /// the grace period or go back to the queue.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        if let Some(jobs) = &self.jobs {
            let stop = jobs.stopper();
            tokio::spawn(async move {
                stop_signal().await;
                stop.send_replace(true);
            });
        }
        let served = self.server.await;
        if let Some(jobs) = self.jobs {
            jobs.shutdown().await;
        }
        served
    }

    /// The server handle, for tests that run it in the background; the job workers keep
    /// running as long as the runtime does.
    pub fn into_server(self) -> Server {
        if let Some(jobs) = self.jobs {
            jobs.detach();
        }
        self.server
    }
}

/// Resolves on SIGINT or (on Unix) SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// The caller's request id if it is a sane token, else a new one.
fn request_id(req: &HttpRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map_or_else(|| Uuid::new_v4().to_string(), str::to_owned)
}

/// Any error answer that is not yet problem+json (framework-level errors) becomes one, so a
/// client sees a single error format.
fn problem_fallback<B: MessageBody + 'static>(res: ServiceResponse<B>) -> ServiceResponse {
    let status = res.status();
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_JSON));
    if !status.is_client_error() && !status.is_server_error() || is_problem {
        return res.map_into_boxed_body();
    }
    let (req, _) = res.into_parts();
    let problem = kedao_api_types::Problem {
        problem_type: "about:blank".to_owned(),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        code: status
            .canonical_reason()
            .unwrap_or("error")
            .to_lowercase()
            .replace(' ', "-"),
        detail: None,
        errors: Vec::new(),
    };
    let response = HttpResponse::build(status)
        .content_type(PROBLEM_JSON)
        .json(problem);
    ServiceResponse::new(req, response).map_into_boxed_body()
}

fn redirect(to: &'static str) -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, to))
        .finish()
}

/// Logs where the server listens, without the database password.
pub fn describe(settings: &Settings, port: u16) -> String {
    let url = settings.database_url.expose_secret();
    let shown = match url.split_once('@') {
        Some((scheme_user, host)) => format!(
            "{}:***@{host}",
            scheme_user.split(':').take(2).collect::<Vec<_>>().join(":")
        ),
        None => url.to_owned(),
    };
    let host = settings
        .bind
        .rsplit_once(':')
        .map_or(settings.bind.as_str(), |(h, _)| h);
    format!("listening on http://{host}:{port} (database {shown})")
}
