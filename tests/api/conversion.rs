//! Converting a lead: one transaction that creates the account, contact and opportunity and
//! links the lead to them.

use kedao_tests::{TestApp, both};
use serde_json::{Value, json};

async fn new_lead(app: &TestApp, token: &str) -> Value {
    let reply = app
        .post(
            "/api/v1/leads",
            token,
            &json!({"name": "李雷", "company": "杭州云杉制造有限公司", "title": "采购经理", "email": "li.lei@yunshan.example.cn", "phone": "+86 138 0000 0000", "source": "exhibition", "region": "华东"}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body
}

async fn converting_creates_account_contact_and_opportunity(app: TestApp) {
    let rep = app.rep(None).await;
    let lead = new_lead(&app, &rep.token).await;
    let id = lead["id"].as_str().unwrap();
    let reply = app
        .post(
            &format!("/api/v1/leads/{id}/convert"),
            &rep.token,
            &json!({"opportunity": {"amount": "480000.00", "currency": "CNY", "expected_close_date": "2027-03-31"}}),
        )
        .await;
    let result = reply.ok().clone();
    assert!(result["account_created"].as_bool().unwrap());
    assert_eq!(result["lead"]["status"], "qualified");
    let conversion = &result["lead"]["conversion"];
    assert_eq!(conversion["account_id"], result["account_id"]);
    assert_eq!(conversion["contact_id"], result["contact_id"]);
    assert_eq!(conversion["opportunity_id"], result["opportunity_id"]);

    let account = app
        .get(
            &format!(
                "/api/v1/accounts/{}",
                result["account_id"].as_str().unwrap()
            ),
            &rep.token,
        )
        .await;
    assert_eq!(account.ok()["name"], "杭州云杉制造有限公司");
    assert_eq!(account.body["owner_id"], rep.id.to_string());
    let contact = app
        .get(
            &format!(
                "/api/v1/contacts/{}",
                result["contact_id"].as_str().unwrap()
            ),
            &rep.token,
        )
        .await;
    assert_eq!(contact.ok()["name"], "李雷");
    assert_eq!(contact.body["email"], "li.lei@yunshan.example.cn");
    let opp = app
        .get(
            &format!(
                "/api/v1/opportunities/{}",
                result["opportunity_id"].as_str().unwrap()
            ),
            &rep.token,
        )
        .await;
    assert_eq!(opp.ok()["amount"], "480000.00");
    assert_eq!(opp.body["lead_id"], id);
    assert_eq!(opp.body["source"], "exhibition");
    let history = app
        .get(
            &format!(
                "/api/v1/opportunities/{}/stage-history",
                result["opportunity_id"].as_str().unwrap()
            ),
            &rep.token,
        )
        .await;
    assert_eq!(history.ok()["items"].as_array().map(Vec::len), Some(1));

    // A converted lead is final: no second conversion, no edits, no deletion.
    let again = app
        .post(
            &format!("/api/v1/leads/{id}/convert"),
            &rep.token,
            &json!({}),
        )
        .await;
    again.problem(409, "invalid-transition");
    let etag = app
        .get(&format!("/api/v1/leads/{id}"), &rep.token)
        .await
        .etag();
    app.patch(
        &format!("/api/v1/leads/{id}"),
        &rep.token,
        &etag,
        &json!({"score": 5}),
    )
    .await
    .problem(409, "lead-converted");
    app.delete(&format!("/api/v1/leads/{id}"), &rep.token, &etag)
        .await
        .problem(409, "lead-converted");
}

async fn converting_into_an_existing_account_without_an_opportunity(app: TestApp) {
    let rep = app.rep(None).await;
    let account = app
        .post("/api/v1/accounts", &rep.token, &json!({"name": "云杉集团"}))
        .await;
    let account_id = account.ok()["id"].as_str().unwrap().to_owned();
    let lead = new_lead(&app, &rep.token).await;
    let reply = app
        .post(
            &format!("/api/v1/leads/{}/convert", lead["id"].as_str().unwrap()),
            &rep.token,
            &json!({"account_id": account_id}),
        )
        .await;
    let result = reply.ok();
    assert_eq!(result["account_id"], account_id.as_str());
    assert_eq!(result["account_created"], false);
    assert_eq!(result["opportunity_id"], Value::Null);
    assert_eq!(app.count("accounts").await, 1);
}

async fn counts(app: &TestApp) -> (i64, i64, i64) {
    (
        app.count("accounts").await,
        app.count("contacts").await,
        app.count("opportunities").await,
    )
}

async fn a_failed_conversion_changes_nothing(app: TestApp) {
    let rep = app.rep(None).await;
    let other = app.rep(None).await;
    let theirs = app
        .post(
            "/api/v1/accounts",
            &other.token,
            &json!({"name": "别人的客户"}),
        )
        .await;
    let lead = new_lead(&app, &rep.token).await;
    let path = format!("/api/v1/leads/{}/convert", lead["id"].as_str().unwrap());
    let before = counts(&app).await;

    // An account the rep cannot see.
    app.post(&path, &rep.token, &json!({"account_id": theirs.body["id"]}))
        .await
        .invalid_field("account_id");
    // A bad opportunity: amount with too many decimals fails after the account would exist.
    app.post(
        &path,
        &rep.token,
        &json!({"opportunity": {"amount": "1.001", "expected_close_date": "2027-01-01"}}),
    )
    .await
    .invalid_field("opportunity.amount");
    // Unknown field, malformed date.
    app.post(&path, &rep.token, &json!({"oppotunity": {}}))
        .await
        .invalid_field("oppotunity");
    app.post(
        &path,
        &rep.token,
        &json!({"opportunity": {"amount": "1", "expected_close_date": "31/03/2027"}}),
    )
    .await
    .invalid_field("opportunity.expected_close_date");
    // Someone else's lead looks like no lead at all.
    app.post(&path, &other.token, &json!({}))
        .await
        .problem(404, "not-found");

    assert_eq!(
        counts(&app).await,
        before,
        "the transaction left nothing behind"
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/leads/{}", lead["id"].as_str().unwrap()),
            &rep.token
        )
        .await
        .body["status"],
        "new"
    );
}

both!(
    converting_creates_account_contact_and_opportunity,
    converting_into_an_existing_account_without_an_opportunity,
    a_failed_conversion_changes_nothing
);
