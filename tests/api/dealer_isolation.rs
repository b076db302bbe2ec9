//! Dealer isolation as a property: over randomly generated data (two dealers and the company
//! each creating accounts, contacts, leads, deals, quotes, orders and payments in random
//! amounts and by random people), dealer A's staff never see, change, pay or attach to
//! anything of dealer B's or of the company's own. Every list endpoint and every operation
//! on one record comes from the served OpenAPI document, so a new endpoint is covered the
//! day it is added.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use uuid::Uuid;

use kedao_domain::access::Role;
use kedao_tests::{Actor, TestApp, both};

mod dealer_work;

const FUTURE: &str = "2099-06-30";

/// Record ids by the first path segment of the resource they are served under.
#[derive(Debug, Default)]
struct Records(BTreeMap<&'static str, Vec<String>>);

impl Records {
    fn add(&mut self, resource: &'static str, id: &Value) {
        let id = id.as_str().unwrap_or_else(|| panic!("no id: {id}"));
        self.0.entry(resource).or_default().push(id.to_owned());
    }

    fn of(&self, resource: &str) -> &[String] {
        self.0.get(resource).map_or(&[], Vec::as_slice)
    }

    fn all(&self) -> impl Iterator<Item = &String> {
        self.0.values().flatten()
    }
}

/// What one party put into the system, and who works for it.
struct Party {
    dealer: Option<Uuid>,
    staff: Vec<Actor>,
    records: Records,
}

async fn created(app: &TestApp, by: &Actor, path: &str, body: Value) -> Value {
    let reply = app.post(path, &by.token, &body).await;
    assert_eq!(reply.status, 201, "POST {path}: {}", reply.text);
    reply.body
}

/// Random data entered by `party`'s own staff (and, for a dealer, leads the company hands it).
async fn populate(app: &TestApp, rng: &mut StdRng, party: &mut Party, company: &Actor) {
    let dealer = party.dealer.map(|d| json!(d.to_string()));
    let pick = |rng: &mut StdRng, staff: &[Actor]| staff[rng.gen_range(0..staff.len())].clone();
    for n in 0..rng.gen_range(1..=2) {
        let by = pick(rng, &party.staff);
        let acc = created(
            app,
            &by,
            "/api/v1/accounts",
            json!({"name": format!("客户 {} {n}", Uuid::new_v4().simple())}),
        )
        .await;
        if let Some(d) = &dealer {
            assert_eq!(&acc["dealer_id"], d, "a dealer's account is its dealer's");
        }
        party.records.add("accounts", &acc["id"]);
        let contact = created(
            app,
            &by,
            "/api/v1/contacts",
            json!({"account_id": acc["id"], "name": "张伟", "phone": "13800138000"}),
        )
        .await;
        party.records.add("contacts", &contact["id"]);
        let visit = created(
            app,
            &by,
            "/api/v1/activities",
            json!({"kind": "visit", "subject": "拜访", "account_id": acc["id"],
                   "contact_id": contact["id"], "outcome": "有意向"}),
        )
        .await;
        assert_eq!(visit["dealer_id"], acc["dealer_id"]);
        party.records.add("activities", &visit["id"]);
        let opp = created(
            app,
            &by,
            "/api/v1/opportunities",
            json!({"title": "注塑机", "account_id": acc["id"], "amount": "50000",
                   "expected_close_date": FUTURE}),
        )
        .await;
        assert_eq!(opp["dealer_id"], acc["dealer_id"]);
        party.records.add("opportunities", &opp["id"]);
        if rng.gen_bool(0.7) {
            let quote = created(
                app,
                &by,
                "/api/v1/quotes",
                json!({"opportunity_id": opp["id"], "valid_until": FUTURE, "lines": [
                    {"description": "设备", "quantity": "1", "unit_price": "1000",
                     "tax_rate_percent": "13"}]}),
            )
            .await;
            party.records.add("quotes", &quote["id"]);
            if rng.gen_bool(0.6) {
                let q = quote["id"].as_str().unwrap_or_default();
                let sent = app
                    .call(
                        reqwest::Method::POST,
                        &format!("/api/v1/quotes/{q}/send"),
                        Some(&by.token),
                        None,
                        Some("\"1\""),
                    )
                    .await;
                assert_eq!(sent.status, 200, "{}", sent.text);
                let accepted = app
                    .call(
                        reqwest::Method::POST,
                        &format!("/api/v1/quotes/{q}/accept"),
                        Some(&by.token),
                        None,
                        Some(&sent.etag()),
                    )
                    .await;
                assert_eq!(accepted.status, 201, "{}", accepted.text);
                assert_eq!(accepted.body["dealer_id"], acc["dealer_id"]);
                party.records.add("orders", &accepted.body["id"]);
            }
        }
        if rng.gen_bool(0.6) {
            let order = created(
                app,
                &by,
                "/api/v1/orders",
                json!({"account_id": acc["id"], "currency": "CNY", "lines": [
                    {"description": "货款", "quantity": "1", "unit_price": "800",
                     "tax_rate_percent": "0"}]}),
            )
            .await;
            assert_eq!(order["dealer_id"], acc["dealer_id"]);
            party.records.add("orders", &order["id"]);
            // The dealer's administrator (or the company's) records what the customer paid.
            let payment = created(
                app,
                &party.staff[0],
                "/api/v1/payments",
                json!({"account_id": acc["id"], "amount": "300", "currency": "CNY",
                       "received_on": "2026-01-15", "method": "bank_transfer"}),
            )
            .await;
            assert_eq!(payment["dealer_id"], acc["dealer_id"]);
            party.records.add("payments", &payment["id"]);
        }
    }
    for n in 0..rng.gen_range(0..=2) {
        let by = pick(rng, &party.staff);
        let lead = created(
            app,
            &by,
            "/api/v1/leads",
            json!({"name": format!("线索 {n}"), "source": "web", "phone": "13900139000"}),
        )
        .await;
        party.records.add("leads", &lead["id"]);
    }
    if let Some(d) = &dealer {
        // A lead the company distributes to the dealer by hand.
        let lead = created(
            app,
            company,
            "/api/v1/leads",
            json!({"name": "分配线索", "source": "exhibition", "dealer_id": d}),
        )
        .await;
        assert_eq!(&lead["dealer_id"], d);
        party.records.add("leads", &lead["id"]);
    }
}

async fn dealer_party(app: &TestApp, code: &str) -> Party {
    let dealer = app.new_dealer(code, "华东").await;
    let mut staff = vec![app.dealer_staff(Role::DealerAdmin, dealer).await];
    staff.push(app.dealer_staff(Role::DealerUser, dealer).await);
    let mut records = Records::default();
    records.add("dealers", &json!(dealer.to_string()));
    for s in &staff {
        records.add("users", &json!(s.id.to_string()));
    }
    Party {
        dealer: Some(dealer),
        staff,
        records,
    }
}

/// (path template, method) of every operation in the served spec.
async fn operations(app: &TestApp) -> Vec<(String, String)> {
    let spec = app
        .call(
            reqwest::Method::GET,
            "/api-docs/openapi.json",
            None,
            None,
            None,
        )
        .await
        .body;
    let mut ops = Vec::new();
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() && path.starts_with("/api/v1/") {
                ops.push((path.clone(), method.to_uppercase()));
            }
        }
    }
    assert!(ops.len() > 50, "the spec lists the operations");
    ops
}

/// Fills a path template: the first parameter with `first`, any others with random ids.
fn fill(template: &str, first: &str) -> String {
    let mut out = Vec::new();
    let mut seen = false;
    for seg in template.split('/') {
        if seg.starts_with('{') {
            out.push(if seen {
                Uuid::new_v4().to_string()
            } else {
                first.to_owned()
            });
            seen = true;
        } else {
            out.push(seg.to_owned());
        }
    }
    out.join("/")
}

async fn send(app: &TestApp, method: &str, path: &str, token: &str) -> kedao_tests::Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let body = (method != reqwest::Method::GET).then(|| json!({}));
    app.call(method, path, Some(token), body.as_ref(), Some("\"1\""))
        .await
}

/// Dealer A's view of the world: lists hold none of the others' rows and all of A's; any
/// operation on another party's record answers exactly as for a record that does not exist.
async fn check_isolation(app: &TestApp, ops: &[(String, String)], a: &Party, others: &[&Party]) {
    let forbidden: Vec<&String> = others.iter().flat_map(|p| p.records.all()).collect();
    for viewer in &a.staff {
        let mut seen = String::new();
        for (path, method) in ops.iter().filter(|(p, m)| m == "GET" && !p.contains('{')) {
            let reply = app.get(path, &viewer.token).await;
            assert!(reply.status.as_u16() < 500, "GET {path}: {}", reply.text);
            for id in &forbidden {
                assert!(
                    !reply.text.contains(id.as_str()),
                    "{:?} sees another party's {id} in {method} {path}: {}",
                    viewer.role,
                    reply.text
                );
            }
            seen.push_str(&reply.text);
        }
        for resource in [
            "accounts",
            "contacts",
            "leads",
            "opportunities",
            "quotes",
            "orders",
        ] {
            for id in a.records.of(resource) {
                assert!(
                    seen.contains(id.as_str()),
                    "{:?} misses its own {resource} {id} in every list",
                    viewer.role
                );
            }
        }
        for (template, method) in ops.iter().filter(|(p, _)| p.contains('{')) {
            let resource = template.split('/').nth(3).unwrap_or_default();
            let theirs: Vec<&String> = others.iter().flat_map(|p| p.records.of(resource)).collect();
            if theirs.is_empty() {
                continue;
            }
            let absent = send(
                app,
                method,
                &fill(template, &Uuid::new_v4().to_string()),
                &viewer.token,
            )
            .await;
            for id in theirs {
                let reply = send(app, method, &fill(template, id), &viewer.token).await;
                assert_eq!(
                    reply.status, absent.status,
                    "{:?} {method} {template} with another party's {id} answers unlike a \
                     missing record: {} vs {}",
                    viewer.role, reply.text, absent.text
                );
                if method == "GET" {
                    assert_eq!(reply.status, 404, "{method} {template}: {}", reply.text);
                }
            }
        }
    }
}

/// Writes with well-formed bodies aimed at B's records: none lands.
async fn check_writes(app: &TestApp, a: &Party, b: &Party) {
    let admin = &a.staff[0];
    let payments_before = app.count("payments").await;
    for acc in b.records.of("accounts") {
        let pay = app
            .post(
                "/api/v1/payments",
                &admin.token,
                &json!({"account_id": acc, "amount": "10", "currency": "CNY",
                        "received_on": "2026-01-15", "method": "cash"}),
            )
            .await;
        pay.invalid_field("account_id");
        for (path, body) in [
            (
                "/api/v1/opportunities",
                json!({"title": "x", "account_id": acc, "amount": "1",
                                             "expected_close_date": FUTURE}),
            ),
            (
                "/api/v1/contacts",
                json!({"account_id": acc, "name": "李四"}),
            ),
            (
                "/api/v1/orders",
                json!({"account_id": acc, "currency": "CNY", "lines": [
                {"description": "x", "quantity": "1", "unit_price": "1", "tax_rate_percent": "0"}]}),
            ),
        ] {
            let reply = app.post(path, &admin.token, &body).await;
            reply.invalid_field("account_id");
        }
        let renamed = app
            .patch(
                &format!("/api/v1/accounts/{acc}"),
                &admin.token,
                "\"1\"",
                &json!({"name": "x"}),
            )
            .await;
        assert_eq!(renamed.status, 404, "{}", renamed.text);
    }
    for lead in b.records.of("leads") {
        let reply = app
            .patch(
                &format!("/api/v1/leads/{lead}"),
                &admin.token,
                "\"1\"",
                &json!({"name": "x"}),
            )
            .await;
        assert_eq!(reply.status, 404, "{}", reply.text);
    }
    for payment in b.records.of("payments") {
        let reply = app
            .call(
                reqwest::Method::POST,
                &format!("/api/v1/payments/{payment}/void"),
                Some(&admin.token),
                Some(&json!({"reason": "x"})),
                Some("\"1\""),
            )
            .await;
        assert_eq!(reply.status, 404, "{}", reply.text);
    }
    assert_eq!(app.count("payments").await, payments_before);
    // Nothing is created for B in A's name, and A cannot hand its own lead over to B.
    let other = b.dealer.map(|d| d.to_string());
    let reply = app
        .post(
            "/api/v1/leads",
            &admin.token,
            &json!({"name": "x", "source": "web", "dealer_id": other}),
        )
        .await;
    reply.invalid_field("dealer_id");
    if let Some(own) = a.records.of("leads").first() {
        let current = app.get(&format!("/api/v1/leads/{own}"), &admin.token).await;
        let moved = app
            .patch(
                &format!("/api/v1/leads/{own}"),
                &admin.token,
                &current.etag(),
                &json!({"dealer_id": other}),
            )
            .await;
        moved.invalid_field("dealer_id");
    }
}

async fn dealers_see_only_their_own_records(app: TestApp) {
    let seed: u64 = rand::thread_rng().r#gen();
    println!("dealer isolation seed {seed}");
    let mut rng = StdRng::seed_from_u64(seed);
    let company = app.admin().await;
    let ops = operations(&app).await;
    let mut a = dealer_party(&app, "D-A").await;
    let mut b = dealer_party(&app, "D-B").await;
    let mut own = Party {
        dealer: None,
        staff: vec![company.clone(), app.rep(None).await],
        records: Records::default(),
    };
    // Two rounds: the second adds to what the first left, in another random shape.
    for _ in 0..2 {
        populate(&app, &mut rng, &mut a, &company).await;
        populate(&app, &mut rng, &mut b, &company).await;
        populate(&app, &mut rng, &mut own, &company).await;
        check_isolation(&app, &ops, &a, &[&b, &own]).await;
        check_isolation(&app, &ops, &b, &[&a, &own]).await;
    }
    check_writes(&app, &a, &b).await;
    // The company's admin sees every party's records.
    let leads = app.get("/api/v1/leads?limit=200", &company.token).await;
    for id in a.records.of("leads").iter().chain(b.records.of("leads")) {
        assert!(leads.text.contains(id.as_str()));
    }
}

both!(dealers_see_only_their_own_records);
