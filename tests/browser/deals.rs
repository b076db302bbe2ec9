//! Opportunities for browser tests, made through the API as a rep would.

use kedao_tests::{Actor, Reply, TestApp};
use serde_json::{Value, json};

/// A converted lead's opportunity (CNY, in the default pipeline's first stage); its id.
pub async fn opportunity(app: &TestApp, rep: &Actor, title: &str) -> String {
    let lead = app
        .post(
            "/api/v1/leads",
            &rep.token,
            &json!({"name": "王芳", "company": title, "source": "exhibition"}),
        )
        .await;
    let lead_id = lead.ok()["id"].as_str().unwrap().to_owned();
    let converted = app
        .post(
            &format!("/api/v1/leads/{lead_id}/convert"),
            &rep.token,
            &json!({"opportunity": {"title": title, "amount": "480000.00", "currency": "CNY",
                                    "expected_close_date": app.days_from_today(60)}}),
        )
        .await;
    converted.ok()["opportunity_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The default pipeline's stage ids, in funnel order.
pub async fn stages(app: &TestApp, token: &str) -> Vec<String> {
    let funnel = app.get("/api/v1/funnel", token).await;
    let mut stages: Vec<(i64, String)> = funnel.ok()["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["position"].as_i64().unwrap(),
                s["stage_id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    stages.sort();
    stages.into_iter().map(|(_, id)| id).collect()
}

/// A draft quote by `rep` on the deal, valid for 30 days, with these lines; the answer to its
/// creation (the quote and its ETag).
pub async fn draft_quote(app: &TestApp, rep: &Actor, deal: &str, lines: Value) -> Reply {
    let created = app
        .post(
            "/api/v1/quotes",
            &rep.token,
            &json!({"opportunity_id": deal, "valid_until": app.days_from_today(30), "lines": lines}),
        )
        .await;
    created.ok();
    created
}
