//! What dealers' staff do and may not do beyond the isolation sweep: who belongs to a dealer,
//! shares, masking, lead distribution by region, internal fields, and a dealer's own orders
//! and money.

use serde_json::json;
use uuid::Uuid;

use kedao_domain::access::Role;
use kedao_tests::{TestApp, both};

use super::{FUTURE, created};

/// A suspended dealer's staff can no longer sign in; staff roles and dealers must match.
async fn dealer_staff_belong_to_one_dealer(app: TestApp) {
    let admin = app.admin().await;
    let dealer = app.new_dealer("D-S", "华南").await;
    let staff = app.dealer_staff(Role::DealerUser, dealer).await;
    assert_eq!(staff.dealer_id, Some(dealer));
    let me = app.get("/api/v1/users?limit=200", &staff.token).await;
    let ids: Vec<&str> = me.ok()["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["id"].as_str())
        .collect();
    assert_eq!(
        ids,
        [staff.id.to_string().as_str()],
        "a dealer sees its own people only"
    );
    let no_dealer = app
        .post(
            "/api/v1/users",
            &admin.token,
            &json!({"email": "d@kedao.test", "display_name": "d", "password": "a long passphrase",
                    "role": "dealer_user"}),
        )
        .await;
    no_dealer.invalid_field("dealer_id");
    let staff_with_dealer = app
        .post(
            "/api/v1/users",
            &admin.token,
            &json!({"email": "s@kedao.test", "display_name": "s", "password": "a long passphrase",
                    "role": "sales", "dealer_id": dealer}),
        )
        .await;
    staff_with_dealer.invalid_field("dealer_id");
    let d = app
        .get(&format!("/api/v1/dealers/{dealer}"), &admin.token)
        .await;
    let suspended = app
        .patch(
            &format!("/api/v1/dealers/{dealer}"),
            &admin.token,
            &d.etag(),
            &json!({"status": "suspended"}),
        )
        .await;
    assert_eq!(suspended.status, 200, "{}", suspended.text);
    let login = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(&json!({"email": staff.email, "password": kedao_tests::actors::PASSWORD})),
            None,
        )
        .await;
    login.problem(403, "forbidden");
    let refresh = app
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(&json!({"refresh_token": staff.refresh_token})),
            None,
        )
        .await;
    assert_eq!(refresh.status, 403, "{}", refresh.text);
}

/// Staff cannot share an account with a dealer's people, nor dealers with anyone.
async fn shares_never_reach_a_dealer(app: TestApp) {
    let dealer = app.new_dealer("D-H", "华北").await;
    let dealer_admin = app.dealer_staff(Role::DealerAdmin, dealer).await;
    let rep = app.rep(None).await;
    let acc = created(&app, &rep, "/api/v1/accounts", json!({"name": "共享客户"})).await;
    let id = acc["id"].as_str().unwrap();
    let share = app
        .post(
            &format!("/api/v1/accounts/{id}/shares"),
            &rep.token,
            &json!({"user_id": dealer_admin.id, "access": "read"}),
        )
        .await;
    share.invalid_field("user_id");
    let hidden = app
        .get(&format!("/api/v1/accounts/{id}"), &dealer_admin.token)
        .await;
    assert_eq!(hidden.status, 404);
    let own = created(
        &app,
        &dealer_admin,
        "/api/v1/accounts",
        json!({"name": "经销商客户"}),
    )
    .await;
    let by_dealer = app
        .post(
            &format!("/api/v1/accounts/{}/shares", own["id"].as_str().unwrap()),
            &dealer_admin.token,
            &json!({"user_id": rep.id, "access": "read"}),
        )
        .await;
    assert_eq!(by_dealer.status, 403, "{}", by_dealer.text);
}

/// A dealer's salesperson reads the phone numbers and e-mail addresses of the dealer's other
/// customers masked, in lists and one by one; their own in the clear, as do the dealer's
/// administrator and the company's staff.
async fn a_dealers_salesperson_sees_others_details_masked(app: TestApp) {
    let company = app.admin().await;
    let dealer = app.new_dealer("D-M", "华东").await;
    let boss = app.dealer_staff(Role::DealerAdmin, dealer).await;
    let seller = app.dealer_staff(Role::DealerUser, dealer).await;
    let acc = created(
        &app,
        &boss,
        "/api/v1/accounts",
        json!({"name": "恒信", "phone": "13800138000", "email": "zhang.wei@hengxin.cn"}),
    )
    .await;
    created(
        &app,
        &boss,
        "/api/v1/contacts",
        json!({"account_id": acc["id"], "name": "张伟", "mobile": "13912345678",
               "email": "zw@hengxin.cn"}),
    )
    .await;
    let theirs = created(
        &app,
        &boss,
        "/api/v1/leads",
        json!({"name": "王五", "source": "web", "phone": "13700137000"}),
    )
    .await;
    let mine = created(
        &app,
        &seller,
        "/api/v1/leads",
        json!({"name": "赵六", "source": "web", "phone": "13600136000"}),
    )
    .await;
    let acc_path = format!("/api/v1/accounts/{}", acc["id"].as_str().unwrap());
    let seen = app.get(&acc_path, &seller.token).await;
    assert_eq!(seen.ok()["phone"], "138****8000");
    assert_eq!(seen.body["email"], "z***@hengxin.cn");
    let listed = app.get("/api/v1/contacts", &seller.token).await;
    assert_eq!(listed.ok()["items"][0]["mobile"], "139****5678");
    assert_eq!(listed.body["items"][0]["email"], "z***@hengxin.cn");
    let leads = app.get("/api/v1/leads", &seller.token).await;
    for lead in leads.ok()["items"].as_array().unwrap() {
        let expected = if lead["id"] == mine["id"] {
            "13600136000"
        } else {
            "137****7000"
        };
        assert_eq!(lead["phone"], expected, "{lead}");
    }
    let one = app
        .get(
            &format!("/api/v1/leads/{}", theirs["id"].as_str().unwrap()),
            &seller.token,
        )
        .await;
    assert_eq!(one.ok()["phone"], "137****7000");
    // Searching for a masked number finds nothing (it would tell whose it is); searching for
    // one's own still works, and names are searchable on every record.
    for (list, q, found) in [
        ("leads", "13700137000", false),
        ("leads", "13600136000", true),
        ("leads", "王五", true),
        ("accounts", "13800138000", false),
        ("contacts", "13912345678", false),
        ("contacts", "张伟", true),
    ] {
        let hits = app
            .get(&format!("/api/v1/{list}?q={q}"), &seller.token)
            .await;
        let n = hits.ok()["items"].as_array().unwrap().len();
        assert_eq!(n > 0, found, "{list}?q={q}: {}", hits.text);
    }
    for clear in [&boss, &company] {
        let hits = app.get("/api/v1/leads?q=13700137000", &clear.token).await;
        assert_eq!(hits.ok()["items"].as_array().unwrap().len(), 1);
        assert_eq!(
            app.get(&acc_path, &clear.token).await.ok()["phone"],
            "13800138000"
        );
        let contacts = app.get("/api/v1/contacts?limit=200", &clear.token).await;
        assert!(contacts.text.contains("13912345678"));
    }
}

/// Distribution by region: leads of a region go to its active dealers, evenly; leads of a
/// region no dealer serves stay; a dealer cannot distribute; history says who handed what.
async fn leads_are_distributed_to_dealers_by_region(app: TestApp) {
    let company = app.admin().await;
    let east_1 = app.new_dealer("D-E1", "华东").await;
    let east_2 = app.new_dealer("D-E2", "华东").await;
    let north = app.new_dealer("D-N", "华北").await;
    let mut east_leads = Vec::new();
    for n in 0..4 {
        let lead = created(
            &app,
            &company,
            "/api/v1/leads",
            json!({"name": format!("华东线索 {n}"), "source": "web", "region": "华东"}),
        )
        .await;
        east_leads.push(lead["id"].as_str().unwrap().to_owned());
    }
    let west = created(
        &app,
        &company,
        "/api/v1/leads",
        json!({"name": "西部线索", "source": "web", "region": "西南"}),
    )
    .await;
    let dealer_admin = app.dealer_staff(Role::DealerAdmin, north).await;
    let refused = app
        .post("/api/v1/leads/distribute", &dealer_admin.token, &json!({}))
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);

    let done = app
        .post("/api/v1/leads/distribute", &company.token, &json!({}))
        .await;
    let body = done.ok();
    let went: Vec<(&str, &str)> = body["distributed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["lead_id"].as_str().unwrap(),
                d["dealer_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(went.len(), 4, "{body}");
    let to = |dealer: Uuid| {
        went.iter()
            .filter(|(_, d)| *d == dealer.to_string())
            .count()
    };
    assert_eq!(
        (to(east_1), to(east_2), to(north)),
        (2, 2, 0),
        "spread evenly: {body}"
    );
    assert_eq!(body["unmatched"], json!([west["id"]]));
    for (lead, dealer) in &went {
        let seen = app
            .get(&format!("/api/v1/leads/{lead}"), &company.token)
            .await;
        assert_eq!(seen.ok()["dealer_id"], *dealer);
        let history = app
            .get(&format!("/api/v1/leads/{lead}/history"), &company.token)
            .await;
        assert!(
            history.ok()["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["field"] == "dealer_id" && c["new_value"] == *dealer),
            "{}",
            history.text
        );
    }
    // A second run has nothing left to hand out but the unmatched lead.
    let again = app
        .post(
            "/api/v1/leads/distribute",
            &company.token,
            &json!({"region": "华东"}),
        )
        .await;
    assert_eq!(again.ok()["distributed"], json!([]));
}

/// A product's cost and margin and the internal notes on accounts and deals are for the
/// company's eyes: a dealer's staff never receive them and cannot write them.
async fn internal_fields_never_reach_a_dealer(app: TestApp) {
    let company = app.admin().await;
    let dealer = app.new_dealer("D-I", "华东").await;
    let boss = app.dealer_staff(Role::DealerAdmin, dealer).await;
    let product = created(
        &app,
        &company,
        "/api/v1/products",
        json!({"sku": "INJ-100", "name": "注塑机", "list_price": "1000", "cost": "700"}),
    )
    .await;
    assert_eq!(product["cost"], "700.00");
    assert_eq!(product["margin_percent"], "30.00");
    let product_path = format!("/api/v1/products/{}", product["id"].as_str().unwrap());
    let acc = created(
        &app,
        &company,
        "/api/v1/accounts",
        json!({"name": "内部客户", "dealer_id": dealer, "internal_notes": "底价 650，勿外传"}),
    )
    .await;
    assert_eq!(acc["internal_notes"], "底价 650，勿外传");
    let opp = created(
        &app,
        &company,
        "/api/v1/opportunities",
        json!({"title": "注塑机", "account_id": acc["id"], "amount": "1000",
               "expected_close_date": FUTURE, "internal_notes": "竞品报价 900"}),
    )
    .await;
    assert_eq!(opp["dealer_id"], json!(dealer));
    for (path, list) in [
        (product_path, "/api/v1/products"),
        (
            format!("/api/v1/accounts/{}", acc["id"].as_str().unwrap()),
            "/api/v1/accounts",
        ),
        (
            format!("/api/v1/opportunities/{}", opp["id"].as_str().unwrap()),
            "/api/v1/opportunities",
        ),
    ] {
        let one = app.get(&path, &boss.token).await;
        let all = app.get(list, &boss.token).await;
        for text in [&one.text, &all.text] {
            for hidden in [
                "\"cost\"",
                "margin_percent",
                "internal_notes",
                "底价",
                "竞品",
            ] {
                assert!(!text.contains(hidden), "{hidden} reaches a dealer: {text}");
            }
        }
        assert_eq!(one.status, 200, "{}", one.text);
        // The company's staff read them where they are.
        let staff = app.get(&path, &company.token).await;
        assert!(
            ["\"cost\"", "底价", "竞品"]
                .iter()
                .any(|f| staff.text.contains(f)),
            "{}",
            staff.text
        );
    }
    let refused = app
        .post(
            "/api/v1/accounts",
            &boss.token,
            &json!({"name": "x", "internal_notes": "x"}),
        )
        .await;
    refused.invalid_field("internal_notes");
}

/// A dealer's own work end to end: its administrator places an order for its customer, follows
/// its timeline, sees what is owed in the receivables reports and the statement of account
/// (对账), and records the customer's payment; its salesperson sees the money but records none.
async fn a_dealer_places_orders_and_follows_its_money(app: TestApp) {
    let dealer = app.new_dealer("D-W", "华东").await;
    let boss = app.dealer_staff(Role::DealerAdmin, dealer).await;
    let seller = app.dealer_staff(Role::DealerUser, dealer).await;
    let acc = created(
        &app,
        &seller,
        "/api/v1/accounts",
        json!({"name": "经销商客户"}),
    )
    .await;
    let acc_id = acc["id"].as_str().unwrap();
    let order = created(
        &app,
        &seller,
        "/api/v1/orders",
        json!({"account_id": acc_id, "currency": "CNY", "lines": [
            {"description": "设备", "quantity": "2", "unit_price": "500", "tax_rate_percent": "0"}]}),
    )
    .await;
    let order_id = order["id"].as_str().unwrap();
    let timeline = app
        .get(
            &format!("/api/v1/orders/{order_id}/timeline"),
            &seller.token,
        )
        .await;
    assert!(
        !timeline.ok()["items"].as_array().unwrap().is_empty(),
        "{}",
        timeline.text
    );
    let refused = app
        .post(
            "/api/v1/payments",
            &seller.token,
            &json!({"account_id": acc_id, "amount": "400", "currency": "CNY",
                    "received_on": "2026-01-15", "method": "bank_transfer"}),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    created(
        &app,
        &boss,
        "/api/v1/payments",
        json!({"account_id": acc_id, "amount": "400", "currency": "CNY",
               "received_on": "2026-01-15", "method": "bank_transfer"}),
    )
    .await;
    for viewer in [&boss, &seller] {
        let plan = app
            .get(&format!("/api/v1/orders/{order_id}/plan"), &viewer.token)
            .await;
        assert_eq!(
            plan.ok()["installments"][0]["paid"],
            "400.00",
            "{}",
            plan.text
        );
        let aging = app
            .get("/api/v1/receivables/aging?group_by=account", &viewer.token)
            .await;
        let rows = aging.ok()["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{}", aging.text);
        assert_eq!(rows[0]["group_id"], acc_id, "{}", aging.text);
        let today = app.today();
        let statement = app
            .get(
                &format!("/api/v1/accounts/{acc_id}/statement?from={today}&to={today}"),
                &viewer.token,
            )
            .await;
        assert_eq!(statement.status, 200, "{}", statement.text);
        assert!(statement.text.contains("600.00"), "{}", statement.text);
    }
}

both!(
    a_dealer_places_orders_and_follows_its_money,
    internal_fields_never_reach_a_dealer,
    leads_are_distributed_to_dealers_by_region,
    a_dealers_salesperson_sees_others_details_masked,
    dealer_staff_belong_to_one_dealer,
    shares_never_reach_a_dealer
);
