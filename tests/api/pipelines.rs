//! Pipelines and stages: the seeded default, administration, the rules that keep a pipeline
//! usable, and what a stage change does to the opportunities in it.

mod stages;

use kedao_domain::access::Role;
use kedao_tests::{TestApp, both};
use serde_json::{Value, json};

fn dealer_pipeline(name: &str) -> Value {
    json!({"name": name, "stages": [
        {"name": "Qualified", "name_zh": "已确认", "probability": 20},
        {"name": "Negotiation", "name_zh": "商务谈判", "probability": 60},
        {"name": "Won", "name_zh": "赢单", "probability": 100, "kind": "won"},
        {"name": "Lost", "name_zh": "丢单", "probability": 0, "kind": "lost"}
    ]})
}

async fn create_pipeline(app: &TestApp, token: &str, body: Value) -> Value {
    let reply = app.post("/api/v1/pipelines", token, &body).await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.etag(), "\"1\"");
    reply.body
}

fn names(pipeline: &Value) -> Vec<String> {
    pipeline["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

fn positions(pipeline: &Value) -> Vec<i64> {
    pipeline["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["position"].as_i64().unwrap())
        .collect()
}

fn stage_id(pipeline: &Value, i: usize) -> String {
    pipeline["stages"][i]["id"].as_str().unwrap().to_owned()
}

async fn the_default_pipeline_has_the_seeded_stages(app: TestApp) {
    let rep = app.rep(None).await;
    let list = app.get("/api/v1/pipelines", &rep.token).await;
    let pipelines = list.ok()["items"].as_array().unwrap();
    assert_eq!(pipelines.len(), 1);
    let default = &pipelines[0];
    assert_eq!(default["is_default"], true);
    let stages: Vec<(String, String, String, i64)> = default["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["name_zh"].as_str().unwrap().to_owned(),
                s["kind"].as_str().unwrap().to_owned(),
                s["probability"].as_i64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, String, String, i64)> = kedao_domain::pipeline::DEFAULT_FUNNEL
        .iter()
        .map(|(n, zh, k, p)| ((*n).into(), (*zh).into(), k.as_str().into(), i64::from(*p)))
        .collect();
    assert_eq!(stages, expected);
    assert_eq!(positions(default), vec![0, 1, 2, 3, 4, 5, 6]);
    let one = app
        .get(
            &format!("/api/v1/pipelines/{}", default["id"].as_str().unwrap()),
            &rep.token,
        )
        .await;
    assert_eq!(one.ok(), default);
    assert_eq!(one.etag(), "\"1\"");
    app.get(
        &format!("/api/v1/pipelines/{}", uuid::Uuid::now_v7()),
        &rep.token,
    )
    .await
    .problem(404, "not-found");
}

async fn admins_create_rename_default_and_delete_pipelines(app: TestApp) {
    let admin = app.admin().await;
    let original = app.get("/api/v1/pipelines", &admin.token).await.ok()["items"][0].clone();
    let dealer = create_pipeline(&app, &admin.token, dealer_pipeline("经销商渠道")).await;
    assert_eq!(dealer["is_default"], false);
    assert_eq!(
        names(&dealer),
        vec!["Qualified", "Negotiation", "Won", "Lost"]
    );
    assert_eq!(positions(&dealer), vec![0, 1, 2, 3]);
    let path = format!("/api/v1/pipelines/{}", dealer["id"].as_str().unwrap());

    app.post(
        "/api/v1/pipelines",
        &admin.token,
        &dealer_pipeline(" 经销商渠道 "),
    )
    .await
    .problem(409, "name-taken");
    // Incomplete pipelines and stages that contradict their kind are refused.
    let mut no_lost = dealer_pipeline("无丢单");
    no_lost["stages"].as_array_mut().unwrap().pop();
    app.post("/api/v1/pipelines", &admin.token, &no_lost)
        .await
        .invalid_field("stages");
    let mut uncertain_win = dealer_pipeline("不确定");
    uncertain_win["stages"][2]["probability"] = json!(90);
    app.post("/api/v1/pipelines", &admin.token, &uncertain_win)
        .await
        .invalid_field("stages[2].probability");
    let mut too_likely = dealer_pipeline("太高");
    too_likely["stages"][0]["probability"] = json!(120);
    app.post("/api/v1/pipelines", &admin.token, &too_likely)
        .await
        .invalid_field("stages[0].probability");
    assert_eq!(app.count("pipelines").await, 2);

    // Rename, with a version check.
    let renamed = app
        .patch(
            &path,
            &admin.token,
            "\"1\"",
            &json!({"name": "渠道销售 Dealer sales"}),
        )
        .await;
    assert_eq!(renamed.ok()["name"], "渠道销售 Dealer sales");
    assert_eq!(renamed.etag(), "\"2\"");
    app.patch(&path, &admin.token, "\"1\"", &json!({"name": "x"}))
        .await
        .problem(412, "stale-version");
    app.patch(
        &path,
        &admin.token,
        "\"2\"",
        &json!({"name": original["name"]}),
    )
    .await
    .problem(409, "name-taken");

    // The default moves; the old default changes version.
    let made_default = app
        .patch(&path, &admin.token, "\"2\"", &json!({"is_default": true}))
        .await;
    assert_eq!(made_default.ok()["is_default"], true);
    let old = app
        .get(
            &format!("/api/v1/pipelines/{}", original["id"].as_str().unwrap()),
            &admin.token,
        )
        .await;
    assert_eq!(old.ok()["is_default"], false);
    assert_eq!(old.etag(), "\"2\"");
    let defaults = app.get("/api/v1/pipelines", &admin.token).await;
    assert_eq!(
        defaults.ok()["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["is_default"] == true)
            .count(),
        1
    );
    app.delete(&path, &admin.token, &made_default.etag())
        .await
        .problem(409, "pipeline-default");
    app.patch(
        &path,
        &admin.token,
        &made_default.etag(),
        &json!({"is_default": false}),
    )
    .await
    .invalid_field("is_default");

    // A new pipeline created as the default takes the flag as well.
    let third = create_pipeline(
        &app,
        &admin.token,
        json!({"name": "大客户", "is_default": true, "stages": dealer_pipeline("x")["stages"]}),
    )
    .await;
    assert_eq!(third["is_default"], true);
    let dealer_now = app.get(&path, &admin.token).await;
    assert_eq!(dealer_now.ok()["is_default"], false);
    app.delete(&path, &admin.token, "\"1\"")
        .await
        .problem(412, "stale-version");
    assert_eq!(
        app.delete(&path, &admin.token, &dealer_now.etag())
            .await
            .status,
        204
    );
    app.get(&path, &admin.token).await.problem(404, "not-found");
    assert_eq!(app.count("pipelines").await, 2);
    assert_eq!(app.count("stages").await, 7 + 4);
}

async fn only_admins_change_pipelines(app: TestApp) {
    let admin = app.admin().await;
    let dealer = create_pipeline(&app, &admin.token, dealer_pipeline("经销商渠道")).await;
    let path = format!("/api/v1/pipelines/{}", dealer["id"].as_str().unwrap());
    let stage = format!("/api/v1/stages/{}", stage_id(&dealer, 0));
    let team = app.team("华东").await;
    for role in [Role::Sales, Role::Manager, Role::Finance, Role::Service] {
        let user = app.user(role, Some(team)).await;
        assert_eq!(
            app.get("/api/v1/pipelines", &user.token).await.ok()["items"]
                .as_array()
                .unwrap()
                .len(),
            2,
            "{role:?} reads pipelines"
        );
        app.post("/api/v1/pipelines", &user.token, &dealer_pipeline("新"))
            .await
            .problem(403, "forbidden");
        app.patch(&path, &user.token, "\"1\"", &json!({"name": "新"}))
            .await
            .problem(403, "forbidden");
        app.delete(&path, &user.token, "\"1\"")
            .await
            .problem(403, "forbidden");
        app.post(
            &format!("{path}/stages"),
            &user.token,
            &json!({"name": "Demo", "probability": 40}),
        )
        .await
        .problem(403, "forbidden");
        app.post(
            &format!("{path}/stages/reorder"),
            &user.token,
            &json!({"stage_ids": [stage_id(&dealer, 1), stage_id(&dealer, 0), stage_id(&dealer, 2), stage_id(&dealer, 3)]}),
        )
        .await
        .problem(403, "forbidden");
        app.patch(&stage, &user.token, "\"1\"", &json!({"name": "新"}))
            .await
            .problem(403, "forbidden");
        app.delete(&stage, &user.token, "\"1\"")
            .await
            .problem(403, "forbidden");
    }
    assert_eq!(app.get(&path, &admin.token).await.body, dealer, "unchanged");
}

both!(
    the_default_pipeline_has_the_seeded_stages,
    admins_create_rename_default_and_delete_pipelines,
    only_admins_change_pipelines
);
