//! Notes (便签): written on records the author can see, read by whoever can see the record,
//! on the customer's timeline; each mention notifies once, and a mention of someone unknown or
//! who cannot see the record is refused without storing anything.

use serde_json::{Value, json};

use kedao_domain::access::Role;
use kedao_tests::{TestApp, both};

use crate::opportunities::account;

/// The mention notifications of a user.
async fn mentions(app: &TestApp, token: &str) -> Vec<Value> {
    let reply = app.get("/api/v1/notifications", token).await;
    reply.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "mention")
        .cloned()
        .collect()
}

async fn notes_mention_once_refuse_strangers_and_show_on_the_timeline(app: TestApp) {
    let east = app.team("华东").await;
    let west = app.team("西南").await;
    let rep = app.rep(Some(east)).await;
    let manager = app.manager(Some(east)).await;
    let stranger = app.rep(Some(west)).await;
    let acc = account(&app, &rep, "银杏制造").await;

    let note = app
        .post(
            "/api/v1/notes",
            &rep.token,
            &json!({"record_type": "account", "record_id": acc,
                    "body": "@王经理 客户要求下周三前确认交期", "mentions": [manager.id, manager.id]}),
        )
        .await;
    assert_eq!(note.status, 201, "{}", note.text);
    assert_eq!(note.body["mentions"], json!([manager.id]));
    assert_eq!(note.body["account_id"], acc.as_str());
    let note_path = format!("/api/v1/notes/{}", note.body["id"].as_str().unwrap());

    let told = mentions(&app, &manager.token).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0]["record_type"], "account");
    assert_eq!(told[0]["record_id"], acc.as_str());
    // Editing the note with the same mention tells nobody again.
    let edited = app
        .patch(
            &note_path,
            &rep.token,
            &note.etag(),
            &json!({"body": "@王经理 交期改为周四", "mentions": [manager.id]}),
        )
        .await;
    assert_eq!(edited.status, 200, "{}", edited.text);
    assert_eq!(mentions(&app, &manager.token).await.len(), 1);
    // The author is never told about their own mention.
    assert!(mentions(&app, &rep.token).await.is_empty());

    // Unknown users and users who cannot see the account are refused, and nothing is stored.
    let notes_before = app.count("notes").await;
    let notifications_before = app.count("notifications").await;
    for who in [stranger.id.to_string(), uuid::Uuid::new_v4().to_string()] {
        let reply = app
            .post(
                "/api/v1/notes",
                &rep.token,
                &json!({"record_type": "account", "record_id": acc, "body": "看一下",
                        "mentions": [who]}),
            )
            .await;
        reply.invalid_field("mentions");
    }
    let empty = app
        .post(
            "/api/v1/notes",
            &rep.token,
            &json!({"record_type": "account", "record_id": acc, "body": "  "}),
        )
        .await;
    empty.invalid_field("body");
    let long = app
        .post(
            "/api/v1/notes",
            &rep.token,
            &json!({"record_type": "account", "record_id": acc, "body": "长".repeat(10_001)}),
        )
        .await;
    long.invalid_field("body");
    assert_eq!(app.count("notes").await, notes_before);
    assert_eq!(app.count("notifications").await, notifications_before);

    // The stranger, and a dealer's staff, neither read nor write notes on the account.
    let list = format!("/api/v1/notes?record_type=account&record_id={acc}");
    app.get(&list, &stranger.token)
        .await
        .problem(404, "not-found");
    let dealer = app.new_dealer("D-02", "华东").await;
    let dealer_staff = app.dealer_staff(Role::DealerAdmin, dealer).await;
    app.get(&list, &dealer_staff.token)
        .await
        .problem(404, "not-found");
    let theirs = app
        .post(
            "/api/v1/notes",
            &stranger.token,
            &json!({"record_type": "account", "record_id": acc, "body": "我也看看"}),
        )
        .await;
    theirs.problem(404, "not-found");
    // The manager reads it but, not being its author, cannot change it.
    let seen = app.get(&list, &manager.token).await;
    assert_eq!(seen.ok()["items"][0]["body"], "@王经理 交期改为周四");
    let meddle = app
        .patch(
            &note_path,
            &manager.token,
            &edited.etag(),
            &json!({"body": "改"}),
        )
        .await;
    meddle.problem(403, "forbidden");

    // The note is on the customer's timeline.
    let timeline = app
        .get(&format!("/api/v1/accounts/{acc}/timeline"), &manager.token)
        .await;
    let entries = timeline.ok()["items"].as_array().unwrap();
    let on_it = entries
        .iter()
        .find(|e| e["kind"] == "note")
        .unwrap_or_else(|| panic!("no note in {entries:?}"));
    assert_eq!(on_it["record_id"], note.body["id"]);
    assert_eq!(on_it["actor_id"], rep.id.to_string());

    // Deleted by its author: gone from the list and the timeline.
    let gone = app.delete(&note_path, &rep.token, &edited.etag()).await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    assert!(
        app.get(&list, &rep.token).await.ok()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let timeline = app
        .get(&format!("/api/v1/accounts/{acc}/timeline"), &rep.token)
        .await;
    assert!(
        !timeline.ok()["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "note")
    );
}

both!(notes_mention_once_refuse_strangers_and_show_on_the_timeline);
