//! The company calendar: "today" is the date in the configured time zone (`KEDAO_TIME_ZONE`),
//! and a sent quote expires the day after its `valid_until` there.

use chrono::{NaiveDate, Utc};
use kedao_api::Settings;
use kedao_api::settings::Tz;
use kedao_tests::{TestApp, both};
use serde_json::json;

use crate::quotes::{PostIf, create_quote, etag, free_line, opportunity, path};

/// UTC+14: at every moment its date differs from UTC−12's, so the two tests below can only
/// both pass if the server really reads its time zone setting.
fn far_east(s: &mut Settings) {
    s.time_zone = Tz::Pacific__Kiritimati;
}

fn far_west(s: &mut Settings) {
    s.time_zone = Tz::Etc__GMTPlus12;
}

/// The date at `offset_hours` from UTC, read before and after `call` (a midnight may pass).
async fn dates_around(
    offset_hours: i64,
    app: &TestApp,
    token: &str,
) -> (NaiveDate, NaiveDate, NaiveDate) {
    let date = || (Utc::now() + chrono::Duration::hours(offset_hours)).date_naive();
    let before = date();
    let reply = app
        .get("/api/v1/receivables/aging?group_by=account", token)
        .await;
    let as_of = reply.ok()["as_of"].as_str().unwrap().parse().unwrap();
    (before, as_of, date())
}

async fn today_is_the_date_in_the_far_east(app: TestApp) {
    let admin = app.admin().await;
    let (before, as_of, after) = dates_around(14, &app, &admin.token).await;
    assert!(
        as_of == before || as_of == after,
        "{as_of} vs {before}/{after}"
    );
}

async fn today_is_the_date_in_the_far_west(app: TestApp) {
    let admin = app.admin().await;
    let (before, as_of, after) = dates_around(-12, &app, &admin.token).await;
    assert!(
        as_of == before || as_of == after,
        "{as_of} vs {before}/{after}"
    );
}

/// The company's date as the server sees it.
async fn company_today(app: &TestApp, token: &str) -> NaiveDate {
    let reply = app
        .get("/api/v1/receivables/aging?group_by=account", token)
        .await;
    reply.ok()["as_of"].as_str().unwrap().parse().unwrap()
}

async fn a_sent_quote_expires_after_its_last_valid_day(app: TestApp) {
    let rep = app.rep(None).await;
    let opp = opportunity(&app, &rep, "到期客户").await;
    let q = create_quote(&app, &rep, &opp, json!([free_line("1000", "0")])).await;
    let p = path(&q);
    let sent = app
        .post_if(&format!("{p}/send"), &rep.token, &etag(&q))
        .await
        .ok()
        .clone();
    let id = q["id"].as_str().unwrap();
    let today = company_today(&app, &rep.token).await;
    // The database holds this one quote (ids are stored differently per backend, so no WHERE).

    // On its last valid day the quote is still sent and can be accepted.
    app.execute_sql(&format!("UPDATE quotes SET valid_until = '{today}'"))
        .await;
    assert_eq!(app.get(&p, &rep.token).await.ok()["status"], "sent");

    // The day after, it is expired: read, listed and refused as such.
    let yesterday = today.pred_opt().unwrap();
    app.execute_sql(&format!("UPDATE quotes SET valid_until = '{yesterday}'"))
        .await;
    assert_eq!(app.get(&p, &rep.token).await.ok()["status"], "expired");
    let listed = app.get("/api/v1/quotes?status=expired", &rep.token).await;
    let ids: Vec<&str> = listed.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id]);
    let sent_list = app.get("/api/v1/quotes?status=sent", &rep.token).await;
    assert_eq!(sent_list.ok()["items"].as_array().unwrap().len(), 0);
    app.post_if(&format!("{p}/accept"), &rep.token, &etag(&sent))
        .await
        .problem(409, "invalid-transition");
    // Nothing was ordered.
    let orders = app.get("/api/v1/orders", &rep.token).await;
    assert_eq!(orders.ok()["items"].as_array().unwrap().len(), 0);
}

both!(today_is_the_date_in_the_far_east with far_east);
both!(today_is_the_date_in_the_far_west with far_west);
both!(a_sent_quote_expires_after_its_last_valid_day);
