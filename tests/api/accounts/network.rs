//! The relationship network: links between accounts and the network drawn around one.

use kedao_domain::access::Role;
use kedao_tests::{Reply, TestApp, both};
use serde_json::{Value, json};

use super::{create, id, path};

async fn link(app: &TestApp, token: &str, from: &Value, to: &Value, kind: &str) -> Reply {
    app.post(
        &format!("{}/links", path(from)),
        token,
        &json!({"to_account_id": id(to), "kind": kind, "note": "同一商会 🤝"}),
    )
    .await
}

/// Links carry no version, so their DELETE takes no If-Match.
async fn unlink(app: &TestApp, path: &str, token: &str) -> Reply {
    app.call(reqwest::Method::DELETE, path, Some(token), None, None)
        .await
}

async fn link_rules(app: TestApp) {
    let rep = app.rep(None).await;
    let other = app.rep(None).await;
    let finance = app.user(Role::Finance, None).await;
    let a = create(&app, &rep.token, json!({"name": "甲公司"})).await;
    let b = create(&app, &rep.token, json!({"name": "乙公司"})).await;
    let theirs = create(&app, &other.token, json!({"name": "丙公司"})).await;

    let made = link(&app, &rep.token, &a, &b, "upstream").await;
    assert_eq!(made.status, 201, "{}", made.text);
    assert_eq!(made.body["from_account_id"], id(&a));
    assert_eq!(made.body["kind"], "upstream");
    assert_eq!(made.body["note"], "同一商会 🤝");
    // The same pair may be linked another way, not the same way twice.
    assert_eq!(link(&app, &rep.token, &a, &b, "referral").await.status, 201);
    link(&app, &rep.token, &a, &b, "upstream")
        .await
        .problem(409, "link-exists");
    link(&app, &rep.token, &a, &a, "peer")
        .await
        .invalid_field("to_account_id");
    link(&app, &rep.token, &a, &theirs, "peer")
        .await
        .invalid_field("to_account_id");
    link(&app, &rep.token, &theirs, &a, "peer")
        .await
        .problem(404, "not-found");
    link(&app, &finance.token, &a, &b, "peer")
        .await
        .problem(403, "forbidden");
    app.post(
        &format!("{}/links", path(&a)),
        &rep.token,
        &json!({"to_account_id": id(&b), "kind": "cousin"}),
    )
    .await
    .invalid_field("kind");
    assert_eq!(app.count("account_links").await, 2);

    // Listed from both ends.
    let from_b = app.get(&format!("{}/links", path(&b)), &rep.token).await;
    assert_eq!(from_b.ok()["items"].as_array().unwrap().len(), 2);
    assert_eq!(from_b.body["total"], 2);
    app.get(&format!("{}/links", path(&theirs)), &rep.token)
        .await
        .problem(404, "not-found");

    let link_path = format!("{}/links/{}", path(&a), id(&made.body));
    unlink(&app, &link_path, &finance.token)
        .await
        .problem(403, "forbidden");
    unlink(
        &app,
        &format!("{}/links/{}", path(&theirs), id(&made.body)),
        &rep.token,
    )
    .await
    .problem(404, "not-found");
    assert_eq!(unlink(&app, &link_path, &rep.token).await.status, 204);
    unlink(&app, &link_path, &rep.token)
        .await
        .problem(404, "not-found");
    assert_eq!(app.count("account_links").await, 1);
}

async fn network_depth_and_masking(app: TestApp) {
    let rep = app.rep(None).await;
    let other = app.rep(None).await;
    let admin = app.admin().await;
    // a — b — c — d — e, with c another rep's; plus b — d directly, so d is two hops away.
    let a = create(&app, &rep.token, json!({"name": "甲"})).await;
    let b = create(
        &app,
        &rep.token,
        json!({"name": "乙", "customer_type": "key"}),
    )
    .await;
    let c = create(&app, &other.token, json!({"name": "丙 (secret)"})).await;
    let d = create(&app, &rep.token, json!({"name": "丁"})).await;
    let e = create(&app, &rep.token, json!({"name": "戊"})).await;
    let f = create(&app, &rep.token, json!({"name": "孤岛"})).await;
    for (from, to) in [(&a, &b), (&c, &b), (&c, &d), (&d, &e)] {
        assert_eq!(link(&app, &admin.token, from, to, "peer").await.status, 201);
    }
    assert_eq!(
        link(&app, &admin.token, &c, &e, "affiliate").await.status,
        201
    );

    let network = |depth: Option<u32>| {
        let app = &app;
        let token = rep.token.clone();
        let url = match depth {
            Some(n) => format!("{}/network?depth={n}", path(&a)),
            None => format!("{}/network", path(&a)),
        };
        async move { app.get(&url, &token).await }
    };
    let node_names = |reply: &Reply| -> Vec<(u64, Option<String>)> {
        reply.ok()["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["depth"].as_u64().unwrap(),
                    n["name"].as_str().map(str::to_owned),
                )
            })
            .collect()
    };

    let one = network(Some(1)).await;
    assert_eq!(one.ok()["root"], id(&a));
    assert_eq!(
        node_names(&one),
        vec![(0, Some("甲".into())), (1, Some("乙".into()))]
    );
    assert_eq!(one.body["edges"].as_array().unwrap().len(), 1);

    // Depth 2 (the default) reaches c through b, masked: its shape, not its name or type.
    let two = network(None).await;
    assert_eq!(
        node_names(&two),
        vec![(0, Some("甲".into())), (1, Some("乙".into())), (2, None)]
    );
    let masked = &two.body["nodes"][2];
    assert_eq!(masked["id"], id(&c));
    assert_eq!(masked["customer_type"], Value::Null);
    assert_eq!(two.body["nodes"][1]["customer_type"], "key");
    assert!(!two.text.contains("secret"));
    assert_eq!(two.body["edges"].as_array().unwrap().len(), 2);

    // Depth 3 goes through the invisible account to d and e; the d — e link between two
    // accounts of the outer ring is drawn too.
    let three = network(Some(3)).await;
    let mut ring: Vec<_> = node_names(&three)
        .into_iter()
        .filter(|(d, _)| *d == 3)
        .collect();
    ring.sort();
    assert_eq!(ring, vec![(3, Some("丁".into())), (3, Some("戊".into()))]);
    assert_eq!(three.body["edges"].as_array().unwrap().len(), 5);
    assert!(!three.text.contains(id(&f)), "unlinked accounts stay out");

    for bad in ["depth=0", "depth=6", "depth=two"] {
        app.get(&format!("{}/network?{bad}", path(&a)), &rep.token)
            .await
            .invalid_field("depth");
    }
    app.get(&format!("{}/network", path(&c)), &rep.token)
        .await
        .problem(404, "not-found");
    // The owner of c sees it named from their side.
    let theirs = app
        .get(&format!("{}/network?depth=1", path(&c)), &other.token)
        .await;
    assert_eq!(theirs.ok()["nodes"][0]["name"], "丙 (secret)");
    assert_eq!(theirs.body["nodes"].as_array().unwrap().len(), 4);
}

both!(link_rules, network_depth_and_masking);
