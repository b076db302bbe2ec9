//! Asking for a discount approval: the managers above the quote's owner are notified (the
//! admins when there is no such manager), once per version; only a draft that still needs the
//! approval can be sent for it, and only by someone who may change the quote.

use serde_json::{Value, json};

use kedao_domain::access::Role;
use kedao_tests::{Actor, TestApp, both};

use crate::quotes::{PostIf, create_quote, etag, free_line, opportunity, path};

/// The approval requests in the user's inbox.
async fn requests(app: &TestApp, who: &Actor) -> Vec<Value> {
    let reply = app.get("/api/v1/notifications", &who.token).await;
    reply.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "approval_requested")
        .cloned()
        .collect()
}

async fn approval_requests_reach_the_managers_above_the_owner(app: TestApp) {
    let region = app.team("华东区").await;
    let team = app.sub_team("华东一组", region).await;
    let other_team = app.team("华南").await;
    let rep = app.rep(Some(team)).await;
    let manager = app.manager(Some(team)).await;
    let regional = app.manager(Some(region)).await;
    let other_manager = app.manager(Some(other_team)).await;
    let admin = app.admin().await;
    let opp = opportunity(&app, &rep, "大折扣客户").await;
    let q = create_quote(&app, &rep, &opp, json!([free_line("1000", "20")])).await;
    let p = path(&q);

    // Someone who cannot change the quote cannot ask for it either.
    app.post_if(
        &format!("{p}/request-approval"),
        &other_manager.token,
        &etag(&q),
    )
    .await
    .problem(404, "not-found");
    app.post_if(&format!("{p}/request-approval"), &rep.token, "\"9\"")
        .await
        .problem(412, "stale-version");

    let asked = app
        .post_if(&format!("{p}/request-approval"), &rep.token, &etag(&q))
        .await;
    let mut approvers: Vec<String> = asked.ok()["approvers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    approvers.sort();
    let mut expected = vec![manager.id.to_string(), regional.id.to_string()];
    expected.sort();
    assert_eq!(approvers, expected);
    for who in [&manager, &regional] {
        let got = requests(&app, who).await;
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0]["record_type"], "quote");
        assert_eq!(got[0]["record_id"], q["id"]);
        assert_eq!(got[0]["params"]["number"], q["number"]);
        assert!(
            got[0]["title"]
                .as_str()
                .unwrap()
                .contains(q["number"].as_str().unwrap())
        );
    }
    assert!(requests(&app, &other_manager).await.is_empty());
    assert!(requests(&app, &admin).await.is_empty());
    // Asking again for the same version notifies nobody twice.
    app.post_if(&format!("{p}/request-approval"), &rep.token, &etag(&q))
        .await
        .ok();
    assert_eq!(requests(&app, &manager).await.len(), 1);

    // Approved: nothing left to ask for.
    let approved = app
        .post_if(&format!("{p}/approve"), &manager.token, &etag(&q))
        .await;
    approved.ok();
    app.post_if(
        &format!("{p}/request-approval"),
        &rep.token,
        &approved.etag(),
    )
    .await
    .problem(409, "invalid-transition");
    // A quote within the threshold needs no approval.
    let small = create_quote(&app, &rep, &opp, json!([free_line("1000", "5")])).await;
    app.post_if(
        &format!("{}/request-approval", path(&small)),
        &rep.token,
        &etag(&small),
    )
    .await
    .problem(409, "invalid-transition");

    // An owner with no manager above: the admins are asked.
    let loner = app.user(Role::Sales, None).await;
    let opp = opportunity(&app, &loner, "无人管客户").await;
    let q = create_quote(&app, &loner, &opp, json!([free_line("1000", "30")])).await;
    let asked = app
        .post_if(
            &format!("{}/request-approval", path(&q)),
            &loner.token,
            &etag(&q),
        )
        .await;
    let approvers = asked.ok()["approvers"].as_array().unwrap().clone();
    assert!(
        approvers.contains(&json!(admin.id.to_string())),
        "{approvers:?}"
    );
    for manager in [&manager, &regional, &other_manager] {
        assert!(!approvers.contains(&json!(manager.id.to_string())));
    }
    assert_eq!(requests(&app, &admin).await.len(), 1);
}

both!(approval_requests_reach_the_managers_above_the_owner);
