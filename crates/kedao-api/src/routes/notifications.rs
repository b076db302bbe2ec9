//! `/notifications`: the caller's own notifications; `/admin/reminders/run`: a reminder scan
//! now (until the job runner schedules it).

use actix_web::{HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use kedao_api_types::ListPage;
use kedao_api_types::notifications::{
    MarkedRead, NotificationListQuery, NotificationView, ScanCounts, UnreadCount,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::extract::ValidQuery;
use crate::routes::AppState;
use crate::routes::responses::{CreateErrors, ListErrors, ReadErrors};
use crate::store::notifications::{self, SORT_FIELDS};
use crate::store::paging::Paging;
use crate::store::{now, reminders};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(unread_count)
        .service(read_all)
        .service(mark_read)
        .service(run_reminders);
}

/// The caller's notifications, newest first (only the unread ones with `unread=true`).
#[utoipa::path(tag = "notifications", params(NotificationListQuery), responses((status = 200, body = ListPage<NotificationView>), ListErrors), security(("bearer" = [])))]
#[get("/notifications")]
pub async fn list(
    state: web::Data<AppState>,
    principal: Principal,
    ValidQuery(query): ValidQuery<NotificationListQuery>,
) -> Result<HttpResponse, ApiError> {
    let paging = Paging::parse(
        None,
        query.limit,
        query.cursor.as_deref(),
        query.include_total,
        &SORT_FIELDS,
        "-created_at",
    )?;
    let page =
        notifications::list(&state.db, &principal, query.unread.unwrap_or(false), paging).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// How many of the caller's notifications are unread (for the bell's badge).
#[utoipa::path(tag = "notifications", responses((status = 200, body = UnreadCount), ReadErrors), security(("bearer" = [])))]
#[get("/notifications/unread-count")]
pub async fn unread_count(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(notifications::unread_count(&state.db, &principal).await?))
}

/// Mark one of the caller's notifications read; another user's is not found.
#[utoipa::path(tag = "notifications", params(("id" = Uuid, Path)), responses((status = 200, body = NotificationView), ReadErrors), security(("bearer" = [])))]
#[post("/notifications/{id}/read")]
pub async fn mark_read(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let n = notifications::mark_read(&state.db, &principal, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(n))
}

/// Mark all the caller's notifications read.
#[utoipa::path(tag = "notifications", responses((status = 200, body = MarkedRead), ReadErrors), security(("bearer" = [])))]
#[post("/notifications/read-all")]
pub async fn read_all(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(notifications::mark_all_read(&state.db, &principal).await?))
}

/// Run the reminder scan now (admins): due and overdue tasks and installments, the daily
/// receivables digest and today's birthdays. Safe to repeat: each occurrence is notified once.
#[utoipa::path(tag = "notifications", responses((status = 200, body = ScanCounts), CreateErrors), security(("bearer" = [])))]
#[post("/admin/reminders/run")]
pub async fn run_reminders(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    if !principal.is_admin() {
        return Err(ApiError::Forbidden(
            "only admins run the reminder scan".to_owned(),
        ));
    }
    let counts = reminders::scan(&state.db, &state.settings, now()).await?;
    Ok(HttpResponse::Ok().json(counts))
}
