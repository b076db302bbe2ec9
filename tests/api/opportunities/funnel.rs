//! The funnel: per stage and currency, counts and sums equal to what was created.

use kedao_tests::{Actor, TestApp, both};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{account, create, default_stages};

/// (owner, account, stage index, amount, currency, probability override)
type Deal<'a> = (&'a Actor, &'a str, usize, &'a str, &'a str, Option<i64>);

async fn funnel_sums_per_stage_and_currency(app: TestApp) {
    let team = app.team("华北").await;
    let rep = app.rep(Some(team)).await;
    let other = app.rep(None).await;
    let admin = app.admin().await;
    let stages = default_stages(&app, &rep.token).await;
    let acc = account(&app, &rep, "北京京华").await;
    let other_acc = account(&app, &other, "Other Co").await;
    let deals: [Deal; 7] = [
        (&rep, &acc, 0, "1000.05", "CNY", None),
        (&rep, &acc, 0, "0.05", "CNY", Some(50)),
        (&rep, &acc, 0, "250.00", "USD", None),
        (&rep, &acc, 3, "1000.05", "CNY", None),
        (&rep, &acc, 4, "99.99", "CNY", None),
        (&other, &other_acc, 0, "70.00", "CNY", None),
        (&other, &other_acc, 3, "300", "JPY", None),
    ];
    for (owner, account_id, stage, amount, currency, probability) in deals {
        let mut body = json!({"title": "deal", "account_id": account_id, "stage_id": stages[stage],
            "amount": amount, "currency": currency, "expected_close_date": "2027-06-30"});
        if let Some(p) = probability {
            body["probability"] = json!(p);
        }
        create(&app, &owner.token, body).await;
    }
    let stage = |funnel: &Value, i: usize| funnel["stages"][i].clone();
    let totals = |s: &Value| -> Vec<(String, String, String)> {
        s["totals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["currency"].as_str().unwrap().to_owned(),
                    t["amount"].as_str().unwrap().to_owned(),
                    t["weighted_amount"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let t = |c: &str, a: &str, w: &str| (c.to_owned(), a.to_owned(), w.to_owned());

    let all = app.get("/api/v1/funnel", &admin.token).await;
    let all = all.ok().clone();
    assert_eq!(all["stages"].as_array().unwrap().len(), 7);
    assert_eq!(stage(&all, 0)["stage_id"], stages[0]);
    assert_eq!(stage(&all, 0)["name_zh"], "机会建立");
    assert_eq!(stage(&all, 0)["count"], 4);
    // CNY: 1000.05 + 0.05 + 70.00; weighted 100.005 + 0.025 + 7.00 = 107.03 (rounded once).
    assert_eq!(
        totals(&stage(&all, 0)),
        vec![t("CNY", "1070.10", "107.03"), t("USD", "250.00", "25.00")]
    );
    assert_eq!(stage(&all, 3)["count"], 2);
    assert_eq!(
        totals(&stage(&all, 3)),
        vec![t("CNY", "1000.05", "700.04"), t("JPY", "300", "210")]
    );
    assert_eq!(totals(&stage(&all, 4)), vec![t("CNY", "99.99", "99.99")]);
    assert_eq!(stage(&all, 1)["count"], 0);
    assert_eq!(totals(&stage(&all, 1)), vec![]);

    // The rep's own funnel equals the admin's filtered by that owner (and by the team).
    let mine = app.get("/api/v1/funnel", &rep.token).await.ok().clone();
    let by_owner = app
        .get(&format!("/api/v1/funnel?owner_id={}", rep.id), &admin.token)
        .await
        .ok()
        .clone();
    let by_team = app
        .get(&format!("/api/v1/funnel?team_id={team}"), &admin.token)
        .await
        .ok()
        .clone();
    assert_eq!(mine, by_owner);
    assert_eq!(mine, by_team);
    assert_eq!(stage(&mine, 0)["count"], 3);
    assert_eq!(
        totals(&stage(&mine, 0)),
        vec![t("CNY", "1000.10", "100.03"), t("USD", "250.00", "25.00")]
    );
    let later = app
        .get("/api/v1/funnel?close_from=2027-07-01", &admin.token)
        .await;
    assert_eq!(later.ok()["stages"][0]["count"], 0);
    app.get(
        &format!("/api/v1/funnel?pipeline_id={}", Uuid::now_v7()),
        &admin.token,
    )
    .await
    .invalid_field("pipeline_id");
}

both!(funnel_sums_per_stage_and_currency);
