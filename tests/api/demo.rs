//! The demo data the quick start promises: a sign-in per role, realistic records in every
//! funnel stage, and quotes, orders and receivables in every state.

use kedao_api::seed::{DEMO_PASSWORD, DEMO_USERS, seed_if_empty};
use kedao_api::seed_dealer::DEMO_DEALER_USERS;
use kedao_tests::{TestApp, both};
use sea_orm::{ConnectionTrait, Statement};

async fn demo_seed_gives_every_role_a_sign_in_and_fills_every_stage(app: TestApp) {
    let db = app.db().await;
    assert!(seed_if_empty(&db).await.unwrap(), "seeds an empty database");
    assert!(!seed_if_empty(&db).await.unwrap(), "never seeds twice");

    for (email, _, role) in DEMO_USERS {
        let actor = app.sign_in_with(email, DEMO_PASSWORD).await;
        assert_eq!(actor.role, role);
    }
    assert!(app.count("leads").await >= 300);
    assert!(app.count("accounts").await >= 50);
    assert!(app.count("contacts").await >= 50);
    assert!(app.count("opportunities").await >= 200);
    assert!(app.count("account_links").await >= 20);

    // Every stage of the default pipeline holds at least one deal, and every deal's history
    // ends in the stage it is in.
    let empty_stages = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM stages s WHERE NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.stage_id = s.id)",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(empty_stages.try_get::<i64>("", "n").unwrap(), 0);
    let inconsistent = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM opportunities o WHERE o.stage_id <> (SELECT h.to_stage_id FROM stage_history h \
             WHERE h.opportunity_id = o.id ORDER BY h.changed_at DESC LIMIT 1)",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(inconsistent.try_get::<i64>("", "n").unwrap(), 0);
    let lost_without_reason = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM opportunities o JOIN stages s ON s.id = o.stage_id WHERE s.kind = 'lost' AND o.lost_reason IS NULL",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(lost_without_reason.try_get::<i64>("", "n").unwrap(), 0);

    // A demo rep sees their own leads over the API, in Chinese and English.
    let rep = app.sign_in_with("sales@kedao.demo", DEMO_PASSWORD).await;
    let page = app.get("/api/v1/leads?limit=200", &rep.token).await;
    let items = page.ok()["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|l| l["owner_id"] == rep.id.to_string()));

    // The money half: quotes, orders with payment plans and payments, every aging bucket
    // filled, a held order waiting for finance, a cancelled one.
    assert!(app.count("products").await >= 8);
    assert!(app.count("quotes").await >= 12);
    assert!(app.count("orders").await >= 8);
    assert!(app.count("payments").await >= 4);
    let finance = app.sign_in_with("finance@kedao.demo", DEMO_PASSWORD).await;
    let aging = app
        .get("/api/v1/receivables/aging?group_by=owner", &finance.token)
        .await;
    let rows = aging.ok()["rows"].as_array().unwrap().clone();
    for bucket in ["not_due", "d1_30", "d31_60", "d61_90", "over_90"] {
        assert!(
            rows.iter().any(|r| r[bucket] != "0.00"),
            "bucket {bucket} is empty: {rows:?}"
        );
    }
    let held = app
        .get("/api/v1/orders?credit_status=on_hold", &finance.token)
        .await;
    assert_eq!(held.ok()["items"].as_array().unwrap().len(), 1);
    let cancelled = app
        .get("/api/v1/orders?status=cancelled", &finance.token)
        .await;
    assert_eq!(cancelled.ok()["items"].as_array().unwrap().len(), 1);
    let dealers = app.get("/api/v1/dealers", &finance.token).await;
    assert_eq!(dealers.ok()["items"].as_array().unwrap().len(), 2);

    // The dealer's sign-ins see the dealer's customers, deals, orders and leads, and only
    // those; its salesperson reads others' phone numbers masked.
    for (email, _, role) in DEMO_DEALER_USERS {
        let actor = app.sign_in_with(email, DEMO_PASSWORD).await;
        assert_eq!(actor.role, role);
        let dealer = actor.dealer_id.unwrap().to_string();
        for list in ["accounts", "opportunities", "orders", "leads"] {
            let page = app
                .get(&format!("/api/v1/{list}?limit=200"), &actor.token)
                .await;
            let items = page.ok()["items"].as_array().unwrap();
            assert!(!items.is_empty(), "the dealer has {list}");
            assert!(items.iter().all(|r| r["dealer_id"] == dealer.as_str()));
        }
    }
    let seller = app
        .sign_in_with("dealer.sales@kedao.demo", DEMO_PASSWORD)
        .await;
    let leads = app.get("/api/v1/leads?limit=200", &seller.token).await;
    let items = leads.ok()["items"].as_array().unwrap();
    assert!(items.iter().any(|l| l["owner_id"] == seller.id.to_string()));
    assert!(
        items
            .iter()
            .filter(|l| l["owner_id"] != seller.id.to_string())
            .filter_map(|l| l["phone"].as_str())
            .all(|p| p.contains("****"))
    );
}

/// The seed writes through a connection of its own while the server runs (as `kedao serve
/// --demo` seeds before the server starts): on SQLite a job worker writing beside it would
/// make the seed's transactions lose their snapshot, so this server runs none.
fn without_job_workers(s: &mut kedao_api::Settings) {
    s.job_workers = 0;
}

both!(demo_seed_gives_every_role_a_sign_in_and_fills_every_stage with without_job_workers);
