//! Opportunities: records, stage moves and their history, probability and money rules,
//! visibility, list filters and paging, and the funnel.

mod funnel;
mod listing;

use kedao_tests::{Actor, TestApp, both};
use serde_json::{Value, json};

/// An account owned by `owner`, created through the accounts API.
pub async fn account(app: &TestApp, owner: &Actor, name: &str) -> String {
    let reply = app
        .post("/api/v1/accounts", &owner.token, &json!({"name": name}))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    id(&reply.body).to_owned()
}

/// A contact of an account, created through the contacts API by someone who sees the account.
async fn contact(app: &TestApp, by: &Actor, account_id: &str, name: &str) -> String {
    let reply = app
        .post(
            "/api/v1/contacts",
            &by.token,
            &json!({"account_id": account_id, "name": name}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    id(&reply.body).to_owned()
}

/// The default pipeline's stage ids, in order.
pub async fn default_stages(app: &TestApp, token: &str) -> Vec<String> {
    let pipelines = app.get("/api/v1/pipelines", token).await;
    let default = pipelines.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["is_default"] == true)
        .unwrap()
        .clone();
    default["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

pub async fn create(app: &TestApp, token: &str, body: Value) -> Value {
    let reply = app.post("/api/v1/opportunities", token, &body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert!(reply.headers.get("location").is_some());
    reply.body
}

fn id(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

fn path(v: &Value) -> String {
    format!("/api/v1/opportunities/{}", id(v))
}

async fn create_read_update_delete(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "苏州恒达机械有限公司").await;
    let stages = default_stages(&app, &rep.token).await;
    let opp = create(
        &app,
        &rep.token,
        json!({"title": " 恒达 数控机床 20 台 ", "account_id": acc, "amount": "1260000.00",
               "expected_close_date": "2027-02-28", "source": "exhibition",
               "competitors": ["德马吉", "马扎克", "德马吉", " "], "description": "二期扩产 🚀"}),
    )
    .await;
    assert_eq!(opp["title"], "恒达 数控机床 20 台", "trimmed");
    assert_eq!(opp["currency"], "CNY");
    assert_eq!(opp["amount"], "1260000.00");
    assert_eq!(
        opp["stage_id"], stages[0],
        "first open stage of the default pipeline"
    );
    assert_eq!(opp["stage_kind"], "open");
    assert_eq!(opp["probability"], 10);
    assert_eq!(opp["probability_overridden"], false);
    assert_eq!(opp["weighted_amount"], "126000.00");
    assert_eq!(opp["competitors"], json!(["德马吉", "马扎克"]));
    assert_eq!(opp["owner_id"], rep.id.to_string());
    assert_eq!(opp["closed_at"], Value::Null);
    let p = path(&opp);

    let read = app.get(&p, &rep.token).await;
    assert_eq!(read.ok()["description"], "二期扩产 🚀");
    assert_eq!(read.etag(), "\"1\"");

    let updated = app
        .patch(
            &p,
            &rep.token,
            &read.etag(),
            &json!({"title": "恒达 数控机床 25 台", "amount": "1500000", "description": null}),
        )
        .await;
    assert_eq!(updated.ok()["title"], "恒达 数控机床 25 台");
    assert_eq!(updated.body["amount"], "1500000.00");
    assert_eq!(updated.body["weighted_amount"], "150000.00");
    assert_eq!(updated.body["description"], Value::Null);
    assert_eq!(updated.etag(), "\"2\"");

    // A stale If-Match changes nothing.
    app.patch(&p, &rep.token, "\"1\"", &json!({"title": "覆盖"}))
        .await
        .problem(412, "stale-version");
    assert_eq!(
        app.get(&p, &rep.token).await.body["title"],
        "恒达 数控机床 25 台"
    );
    app.delete(&p, &rep.token, "\"1\"")
        .await
        .problem(412, "stale-version");
    assert_eq!(app.delete(&p, &rep.token, "\"2\"").await.status, 204);
    app.get(&p, &rep.token).await.problem(404, "not-found");
    assert_eq!(app.count("stage_history").await, 0, "history goes too");
}

async fn stage_moves_are_recorded(app: TestApp) {
    let team = app.team("华南").await;
    let rep = app.rep(Some(team)).await;
    let manager = app.manager(Some(team)).await;
    let acc = account(&app, &rep, "深圳市华信电子科技有限公司").await;
    let stages = default_stages(&app, &rep.token).await;
    let opp = create(
        &app,
        &rep.token,
        json!({"title": "华信 SMT 产线", "account_id": acc, "amount": "800000", "expected_close_date": "2027-06-30"}),
    )
    .await;
    let p = path(&opp);
    let moved = app
        .patch(&p, &rep.token, "\"1\"", &json!({"stage_id": stages[1]}))
        .await;
    assert_eq!(moved.ok()["probability"], 30);
    let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    assert!(at(&moved.body["stage_changed_at"]) >= at(&opp["stage_changed_at"]));

    // Lost needs a reason, and a refused move changes nothing.
    app.patch(&p, &manager.token, "\"2\"", &json!({"stage_id": stages[6]}))
        .await
        .invalid_field("lost_reason");
    app.patch(
        &p,
        &manager.token,
        "\"2\"",
        &json!({"stage_id": stages[6], "lost_reason": "  "}),
    )
    .await
    .invalid_field("lost_reason");
    let lost = app
        .patch(
            &p,
            &manager.token,
            "\"2\"",
            &json!({"stage_id": stages[6], "lost_reason": " 价格太高 "}),
        )
        .await;
    assert_eq!(lost.ok()["stage_kind"], "lost");
    assert_eq!(lost.body["lost_reason"], "价格太高");
    assert_eq!(lost.body["probability"], 0);
    assert_eq!(lost.body["weighted_amount"], "0.00");
    assert!(lost.body["closed_at"].is_string());

    // Reopening clears the close and the reason.
    let reopened = app
        .patch(
            &p,
            &rep.token,
            &lost.etag(),
            &json!({"stage_id": stages[3]}),
        )
        .await;
    assert_eq!(reopened.ok()["closed_at"], Value::Null);
    assert_eq!(reopened.body["lost_reason"], Value::Null);
    assert_eq!(reopened.body["probability"], 70);
    // A reason without a move is only for lost deals.
    app.patch(
        &p,
        &rep.token,
        &reopened.etag(),
        &json!({"lost_reason": "x"}),
    )
    .await
    .invalid_field("lost_reason");
    let won = app
        .patch(
            &p,
            &rep.token,
            &reopened.etag(),
            &json!({"stage_id": stages[4]}),
        )
        .await;
    let closed_at = won.ok()["closed_at"].clone();
    assert!(closed_at.is_string());
    // Between two won stages the deal stays closed since it was won.
    let implemented = app
        .patch(&p, &rep.token, &won.etag(), &json!({"stage_id": stages[5]}))
        .await;
    assert_eq!(implemented.ok()["closed_at"], closed_at);

    // A stage of another pipeline is refused.
    let admin = app.admin().await;
    let other = app
        .post(
            "/api/v1/pipelines",
            &admin.token,
            &json!({"name": "经销商渠道", "stages": [
                {"name": "Qualified", "probability": 20},
                {"name": "Won", "probability": 100, "kind": "won"},
                {"name": "Lost", "probability": 0, "kind": "lost"}]}),
        )
        .await;
    let foreign = other.ok()["stages"][0]["id"].clone();
    app.patch(
        &p,
        &rep.token,
        &implemented.etag(),
        &json!({"stage_id": foreign}),
    )
    .await
    .invalid_field("stage_id");

    let history = app.get(&format!("{p}/stage-history"), &rep.token).await;
    let moves: Vec<(Value, Value, Value)> = history.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert_eq!(m["opportunity_id"], opp["id"]);
            (
                m["from_stage_id"].clone(),
                m["to_stage_id"].clone(),
                m["changed_by"].clone(),
            )
        })
        .collect();
    let s = |i: usize| json!(stages[i]);
    let by = |a: &Actor| json!(a.id.to_string());
    assert_eq!(
        moves,
        vec![
            (Value::Null, s(0), by(&rep)),
            (s(0), s(1), by(&rep)),
            (s(1), s(6), by(&manager)),
            (s(6), s(3), by(&rep)),
            (s(3), s(4), by(&rep)),
            (s(4), s(5), by(&rep)),
        ]
    );
    let outsider = app.rep(None).await;
    app.get(&format!("{p}/stage-history"), &outsider.token)
        .await
        .problem(404, "not-found");
}

async fn probability_override_and_exact_money(app: TestApp) {
    let rep = app.rep(None).await;
    let acc = account(&app, &rep, "Acme Industrial Supply Co.").await;
    let stages = default_stages(&app, &rep.token).await;
    let base = |amount: &str| json!({"title": "Acme retrofit", "account_id": acc, "amount": amount, "expected_close_date": "2027-01-15"});
    let mut body = base("1000.05");
    body["probability"] = json!(70);
    let opp = create(&app, &rep.token, body).await;
    assert_eq!(opp["probability"], 70);
    assert_eq!(opp["probability_overridden"], true);
    // 700.035 rounds half away from zero.
    assert_eq!(opp["weighted_amount"], "700.04");
    let p = path(&opp);
    let reset = app
        .patch(&p, &rep.token, "\"1\"", &json!({"probability": null}))
        .await;
    assert_eq!(reset.ok()["probability"], 10);
    assert_eq!(reset.body["probability_overridden"], false);
    assert_eq!(reset.body["weighted_amount"], "100.01");
    let half = app
        .patch(
            &p,
            &rep.token,
            "\"2\"",
            &json!({"amount": "0.05", "probability": 50}),
        )
        .await;
    assert_eq!(
        half.ok()["weighted_amount"],
        "0.03",
        "0.025 → 0.03, not 0.02"
    );
    // An override survives other edits, not a move; a closed stage ignores it.
    let renamed = app
        .patch(
            &p,
            &rep.token,
            "\"3\"",
            &json!({"title": "Acme retrofit II"}),
        )
        .await;
    assert_eq!(renamed.ok()["probability"], 50);
    let won = app
        .patch(
            &p,
            &rep.token,
            "\"4\"",
            &json!({"stage_id": stages[4], "probability": 40}),
        )
        .await;
    assert_eq!(won.ok()["probability"], 100);
    assert_eq!(won.body["probability_overridden"], false);
    assert_eq!(won.body["weighted_amount"], "0.05");

    for bad in ["12.345", "-1.00", "1000000000000.01"] {
        app.post("/api/v1/opportunities", &rep.token, &base(bad))
            .await
            .invalid_field("amount");
    }
    let mut yen = base("12.5");
    yen["currency"] = json!("JPY");
    app.post("/api/v1/opportunities", &rep.token, &yen)
        .await
        .invalid_field("amount");
    let mut over = base("1");
    over["probability"] = json!(101);
    app.post("/api/v1/opportunities", &rep.token, &over)
        .await
        .invalid_field("probability");
    // The kept amount must fit a new currency too.
    app.patch(&p, &rep.token, "\"5\"", &json!({"currency": "JPY"}))
        .await
        .invalid_field("currency");
    assert_eq!(app.get(&p, &rep.token).await.body["currency"], "CNY");
    assert_eq!(
        app.count("opportunities").await,
        1,
        "nothing refused was stored"
    );
}

both!(
    create_read_update_delete,
    stage_moves_are_recorded,
    probability_override_and_exact_money
);
