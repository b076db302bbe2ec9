//! Stages: adding, changing, reordering and deleting them, and what stays because deals use it.

use kedao_tests::{TestApp, both};
use serde_json::{Value, json};

use super::{create_pipeline, dealer_pipeline, names, positions, stage_id};
use crate::opportunities::{account, create as create_opportunity, default_stages};

async fn stages_are_added_changed_reordered_and_deleted(app: TestApp) {
    let admin = app.admin().await;
    let dealer = create_pipeline(&app, &admin.token, dealer_pipeline("经销商渠道")).await;
    let path = format!("/api/v1/pipelines/{}", dealer["id"].as_str().unwrap());

    // By default a new stage goes before the first closed stage.
    let demo = app
        .post(
            &format!("{path}/stages"),
            &admin.token,
            &json!({"name": "Demo", "name_zh": "产品演示", "probability": 40}),
        )
        .await;
    assert_eq!(demo.status, 201, "{}", demo.text);
    assert_eq!(demo.body["position"], 2);
    assert_eq!(demo.body["kind"], "open");
    let first = app
        .post(
            &format!("{path}/stages"),
            &admin.token,
            &json!({"name": "Lead in", "probability": 5, "position": 0}),
        )
        .await;
    assert_eq!(first.body["position"], 0);
    let now = app.get(&path, &admin.token).await;
    assert_eq!(
        names(now.ok()),
        vec!["Lead in", "Qualified", "Negotiation", "Demo", "Won", "Lost"]
    );
    assert_eq!(positions(&now.body), vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(
        now.etag(),
        "\"3\"",
        "each stage change moves the pipeline's version"
    );
    for bad in [
        json!({"name": "Far", "probability": 10, "position": 7}),
        json!({"name": "Neg", "probability": 10, "position": -1}),
    ] {
        app.post(&format!("{path}/stages"), &admin.token, &bad)
            .await
            .invalid_field("position");
    }
    app.post(
        &format!("{path}/stages"),
        &admin.token,
        &json!({"name": "Half won", "probability": 50, "kind": "won"}),
    )
    .await
    .invalid_field("probability");

    // Change a stage; a won stage keeps 100.
    let demo_path = format!("/api/v1/stages/{}", demo.body["id"].as_str().unwrap());
    let changed = app
        .patch(
            &demo_path,
            &admin.token,
            "\"1\"",
            &json!({"name": "Product demo", "name_zh": null, "probability": 45}),
        )
        .await;
    assert_eq!(changed.ok()["name"], "Product demo");
    assert_eq!(changed.body["name_zh"], Value::Null);
    assert_eq!(changed.body["probability"], 45);
    assert_eq!(changed.etag(), "\"2\"");
    app.patch(&demo_path, &admin.token, "\"1\"", &json!({"name": "x"}))
        .await
        .problem(412, "stale-version");
    let won_path = format!("/api/v1/stages/{}", stage_id(&now.body, 4));
    app.patch(
        &won_path,
        &admin.token,
        "\"1\"",
        &json!({"probability": 90}),
    )
    .await
    .invalid_field("probability");

    // Reorder: a permutation of every stage, nothing else.
    let ids: Vec<String> = (0..6).map(|i| stage_id(&now.body, i)).collect();
    let reversed_open: Vec<&String> = vec![&ids[3], &ids[2], &ids[1], &ids[0], &ids[4], &ids[5]];
    let reordered = app
        .post(
            &format!("{path}/stages/reorder"),
            &admin.token,
            &json!({"stage_ids": reversed_open}),
        )
        .await;
    assert_eq!(
        names(reordered.ok()),
        vec![
            "Product demo",
            "Negotiation",
            "Qualified",
            "Lead in",
            "Won",
            "Lost"
        ]
    );
    assert_eq!(positions(&reordered.body), vec![0, 1, 2, 3, 4, 5]);
    for bad in [
        json!({"stage_ids": &ids[..5]}),
        json!({"stage_ids": [&ids[0], &ids[0], &ids[1], &ids[2], &ids[3], &ids[4]]}),
        json!({"stage_ids": [&ids[0], &ids[1], &ids[2], &ids[3], &ids[4], uuid::Uuid::now_v7()]}),
    ] {
        app.post(&format!("{path}/stages/reorder"), &admin.token, &bad)
            .await
            .invalid_field("stage_ids");
    }

    // Delete a stage: positions close up; the last lost stage cannot go.
    let lead_in = format!("/api/v1/stages/{}", ids[0]);
    app.delete(&lead_in, &admin.token, "\"2\"")
        .await
        .problem(412, "stale-version");
    assert_eq!(
        app.delete(&lead_in, &admin.token, "\"1\"").await.status,
        204
    );
    let after = app.get(&path, &admin.token).await;
    assert_eq!(
        names(after.ok()),
        vec!["Product demo", "Negotiation", "Qualified", "Won", "Lost"]
    );
    assert_eq!(positions(&after.body), vec![0, 1, 2, 3, 4]);
    let lost = format!("/api/v1/stages/{}", ids[5]);
    app.delete(&lost, &admin.token, "\"1\"")
        .await
        .problem(409, "invalid-pipeline");
    app.delete(
        &format!("/api/v1/stages/{}", uuid::Uuid::now_v7()),
        &admin.token,
        "\"1\"",
    )
    .await
    .problem(404, "not-found");
    assert_eq!(
        app.get(&path, &admin.token).await.body,
        after.body,
        "unchanged"
    );
}

async fn stages_and_pipelines_in_use_stay(app: TestApp) {
    let admin = app.admin().await;
    let rep = app.rep(None).await;
    let dealer = create_pipeline(&app, &admin.token, dealer_pipeline("经销商渠道")).await;
    let path = format!("/api/v1/pipelines/{}", dealer["id"].as_str().unwrap());
    let acc = account(&app, &rep, "成都天府机电").await;
    let body = |probability: Option<i64>| {
        let mut b = json!({"title": "天府 数控", "account_id": acc, "pipeline_id": dealer["id"],
            "amount": "1000.00", "expected_close_date": "2027-09-30"});
        if let Some(p) = probability {
            b["probability"] = json!(p);
        }
        b
    };
    let plain = create_opportunity(&app, &rep.token, body(None)).await;
    let overridden = create_opportunity(&app, &rep.token, body(Some(35))).await;
    assert_eq!(plain["stage_id"], stage_id(&dealer, 0));
    assert_eq!(plain["probability"], 20);

    // A new stage probability reaches the deals that follow the stage, not the overridden one.
    let qualified = format!("/api/v1/stages/{}", stage_id(&dealer, 0));
    let changed = app
        .patch(
            &qualified,
            &admin.token,
            "\"1\"",
            &json!({"probability": 25}),
        )
        .await;
    assert_eq!(changed.ok()["probability"], 25);
    let read = |o: &Value| format!("/api/v1/opportunities/{}", o["id"].as_str().unwrap());
    let plain_now = app.get(&read(&plain), &rep.token).await;
    assert_eq!(plain_now.ok()["probability"], 25);
    assert_eq!(plain_now.body["weighted_amount"], "250.00");
    assert_eq!(
        app.get(&read(&overridden), &rep.token).await.ok()["probability"],
        35
    );

    app.delete(&qualified, &admin.token, &changed.etag())
        .await
        .problem(409, "stage-in-use");
    app.delete(&path, &admin.token, "\"2\"")
        .await
        .problem(409, "pipeline-in-use");
    // Once deals moved on, the history still names the stage.
    for o in [&plain, &overridden] {
        let p = format!("/api/v1/opportunities/{}", o["id"].as_str().unwrap());
        let current = app.get(&p, &rep.token).await;
        app.patch(
            &p,
            &rep.token,
            &current.etag(),
            &json!({"stage_id": stage_id(&dealer, 1)}),
        )
        .await
        .ok();
    }
    app.delete(&qualified, &admin.token, &changed.etag())
        .await
        .problem(409, "stage-in-use");
    // The default pipeline still serves deals that name no pipeline.
    let stages = default_stages(&app, &rep.token).await;
    let mut plain_body = body(None);
    plain_body.as_object_mut().unwrap().remove("pipeline_id");
    assert_eq!(
        create_opportunity(&app, &rep.token, plain_body).await["stage_id"],
        stages[0]
    );
}

both!(
    stages_are_added_changed_reordered_and_deleted,
    stages_and_pipelines_in_use_stay
);
