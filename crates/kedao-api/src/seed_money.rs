//! Demo data for the money half of the chain, made through the same store functions the API
//! calls (so every rule holds): a price book, two dealers, quotes in every status, orders
//! from accepted quotes with payment plans, partial and late payments (so the aging report has
//! every bucket), a credit limit that puts an order on hold, and a cancelled order.

use chrono::{Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use kedao_api_types::accounts::AccountUpdate;
use kedao_api_types::credit::CreditLimitSet;
use kedao_api_types::dealers::DealerCreate;
use kedao_api_types::orders::{OrderCreate, OrderStatus, OrderStatusChange};
use kedao_api_types::products::ProductCreate;
use kedao_api_types::quotes::{QuoteCreate, QuoteLineInput};
use kedao_api_types::receivables::{InstallmentInput, PaymentCreate, PaymentMethod, PlanReplace};
use kedao_domain::Currency;
use kedao_domain::access::Role;
use kedao_domain::pipeline::StageKind;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::settings::DEFAULT_TIME_ZONE;
use crate::store::entities::{opportunities, stages};
use crate::store::orders::OrderTerms;
use crate::store::{
    accounts, credit, dealers, order_status, orders, payments, products, quote_accept,
    quote_status, quotes, receivables,
};

/// (SKU, name, English name, unit, list price, tax %).
const PRODUCTS: [(&str, &str, &str, &str, i64, i64); 8] = [
    (
        "CNC-VMC850",
        "立式加工中心 VMC850",
        "Vertical machining centre VMC850",
        "台",
        268_000,
        13,
    ),
    (
        "CNC-HMC630",
        "卧式加工中心 HMC630",
        "Horizontal machining centre HMC630",
        "台",
        585_000,
        13,
    ),
    (
        "LATHE-CK6150",
        "数控车床 CK6150",
        "CNC lathe CK6150",
        "台",
        96_000,
        13,
    ),
    (
        "SPINDLE-BT40",
        "BT40 主轴总成",
        "BT40 spindle assembly",
        "套",
        18_500,
        13,
    ),
    ("TOOL-KIT-A", "刀具套装 A", "Tooling kit A", "套", 4_200, 13),
    (
        "SVC-INSTALL",
        "安装调试服务",
        "Installation and commissioning",
        "次",
        8_000,
        6,
    ),
    (
        "SVC-TRAIN",
        "操作培训(天)",
        "Operator training (day)",
        "天",
        3_000,
        6,
    ),
    (
        "SVC-MAINT-Y",
        "年度维保合同",
        "Annual maintenance contract",
        "年",
        36_000,
        6,
    ),
];

const TERMS: OrderTerms = OrderTerms {
    payment_terms_days: 30,
    credit_hold_overdue_days: 30,
};

fn principal(user_id: Uuid, role: Role, team_id: Option<Uuid>) -> Principal {
    Principal {
        user_id,
        role,
        team_id,
        dealer_id: None,
        token_id: None,
        token_scopes: None,
        today: Utc::now().with_timezone(&DEFAULT_TIME_ZONE).date_naive(),
        time_zone: DEFAULT_TIME_ZONE,
    }
}

fn days(today: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        today.checked_add_days(Days::new(n.unsigned_abs()))
    } else {
        today.checked_sub_days(Days::new(n.unsigned_abs()))
    }
    .unwrap_or(today)
}

fn wrap(e: ApiError) -> anyhow::Error {
    anyhow::anyhow!("demo data refused: {e:?}")
}

/// Fills the money half of the demo; `users` are the demo users as (role, id, team).
pub async fn fill(
    db: &DatabaseConnection,
    users: &[(Role, Uuid, Option<Uuid>)],
) -> anyhow::Result<()> {
    let find = |role: Role, nth: usize| {
        users
            .iter()
            .filter(|u| u.0 == role)
            .nth(nth)
            .map(|u| principal(u.1, u.0, u.2))
    };
    let (Some(admin), Some(finance), Some(manager)) = (
        find(Role::Admin, 0),
        find(Role::Finance, 0),
        find(Role::Manager, 0),
    ) else {
        anyhow::bail!("the demo users are missing");
    };
    let reps: Vec<Principal> = (0..2).filter_map(|n| find(Role::Sales, n)).collect();
    let today = admin.today;

    let mut catalogue = Vec::new();
    for (sku, name, name_en, unit, price, tax) in PRODUCTS {
        let p = products::create(
            db,
            &admin,
            ProductCreate {
                sku: sku.into(),
                name: name.into(),
                name_en: Some(name_en.into()),
                unit: Some(unit.into()),
                list_price: Decimal::from(price),
                currency: Some(Currency::Cny),
                tax_rate_percent: Some(Decimal::from(tax)),
                active: Some(true),
                // A standard cost of 70 % of the list price: a 30 % margin to defend.
                cost: Some(Decimal::from(price) * Decimal::new(7, 1)),
            },
        )
        .await
        .map_err(wrap)?;
        catalogue.push(p.id);
    }
    let mut dealer_ids = Vec::new();
    for (code, name, region) in [
        ("D-SZ-001", "苏州精工设备经销有限公司", "华东"),
        ("D-GZ-001", "广州南方机床贸易有限公司", "华南"),
    ] {
        let d = dealers::create(
            db,
            &admin,
            DealerCreate {
                code: code.into(),
                name: name.into(),
                region: Some(region.into()),
                status: None,
                notes: None,
            },
        )
        .await
        .map_err(wrap)?;
        dealer_ids.push(d.id);
    }

    let open_stages: Vec<Uuid> = stages::Entity::find()
        .filter(stages::Column::Kind.eq(StageKind::Open.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.id)
        .collect();
    for (r, rep) in reps.iter().enumerate() {
        let deals = opportunities::Entity::find()
            .filter(opportunities::Column::OwnerId.eq(rep.user_id))
            .filter(opportunities::Column::StageId.is_in(open_stages.clone()))
            // Priced from the CNY price book.
            .filter(opportunities::Column::Currency.eq("CNY"))
            .order_by_asc(opportunities::Column::Id)
            .limit(9)
            .all(db)
            .await?;
        for (i, deal) in deals.into_iter().enumerate() {
            let n = r * 9 + i;
            let lines = vec![
                QuoteLineInput {
                    product_id: Some(catalogue[n % 3]),
                    description: None,
                    quantity: Decimal::from(1 + (n % 2) as i64),
                    unit_price: None,
                    discount_percent: Some(Decimal::from((n % 3) as i64 * 5)),
                    tax_rate_percent: None,
                },
                QuoteLineInput {
                    product_id: Some(catalogue[5]),
                    description: None,
                    quantity: Decimal::ONE,
                    unit_price: None,
                    discount_percent: None,
                    tax_rate_percent: None,
                },
            ];
            let q = quotes::create(
                db,
                rep,
                QuoteCreate {
                    opportunity_id: deal.id,
                    currency: None,
                    valid_until: days(today, 30),
                    notes: None,
                    lines,
                },
                Decimal::from(15),
            )
            .await
            .map_err(wrap)?;
            // A few stay drafts; the rest are sent, most of those accepted.
            if i % 4 == 3 {
                continue;
            }
            let sent = quote_status::send(db, rep, q.id, q.version)
                .await
                .map_err(wrap)?;
            if i % 4 == 2 {
                continue;
            }
            let order = quote_accept::accept(db, rep, sent.id, sent.version, TERMS)
                .await
                .map_err(wrap)?;
            money_story(db, rep, &finance, order.id, n, today).await?;
        }
        // The first rep's first account is served by a dealer and has a tight credit limit:
        // its next order goes on hold until finance releases it.
        if r == 0
            && let Some(acc) = crate::store::entities::accounts::Entity::find()
                .filter(crate::store::entities::accounts::Column::OwnerId.eq(rep.user_id))
                .order_by_asc(crate::store::entities::accounts::Column::Id)
                .one(db)
                .await?
        {
            accounts::update(
                db,
                rep,
                acc.id,
                acc.version,
                AccountUpdate {
                    dealer_id: Some(Some(dealer_ids[0])),
                    ..AccountUpdate::default()
                },
            )
            .await
            .map_err(wrap)?;
            credit::set_limit(
                db,
                &manager,
                acc.id,
                acc.version + 1,
                CreditLimitSet {
                    limit: Some(Decimal::from(50_000)),
                    currency: Some(Currency::Cny),
                },
                TERMS.credit_hold_overdue_days,
            )
            .await
            .map_err(wrap)?;
            orders::create(
                db,
                rep,
                OrderCreate {
                    account_id: acc.id,
                    currency: Some(Currency::Cny),
                    owner_id: None,
                    notes: Some("追加订单:超出信用额度,待财务放行".into()),
                    lines: vec![QuoteLineInput {
                        product_id: Some(catalogue[0]),
                        description: None,
                        quantity: Decimal::ONE,
                        unit_price: None,
                        discount_percent: None,
                        tax_rate_percent: None,
                    }],
                },
                TERMS,
            )
            .await
            .map_err(wrap)?;
        }
    }
    Ok(())
}

/// What happens to one demo order after it is placed, by its number `n`: a plan in three
/// parts due in the past and future, payments in part or in full, or a cancellation.
async fn money_story(
    db: &DatabaseConnection,
    rep: &Principal,
    finance: &Principal,
    order_id: Uuid,
    n: usize,
    today: NaiveDate,
) -> anyhow::Result<()> {
    let plan = receivables::plan(db, rep, order_id).await.map_err(wrap)?;
    let total: Decimal = plan.installments.iter().map(|i| i.amount).sum();
    let account_id = orders::get(db, rep, order_id)
        .await
        .map_err(wrap)?
        .account_id;
    // 30% deposit, 60% on delivery, 10% retention, due at different ages per order.
    let age = [95_i64, 130, 70, 35, 10, 0][n % 6];
    let deposit = (total * Decimal::new(3, 1)).round_dp(2);
    let delivery = (total * Decimal::new(6, 1)).round_dp(2);
    let plan = receivables::replace(
        db,
        rep,
        order_id,
        plan.order_version,
        PlanReplace {
            installments: vec![
                InstallmentInput {
                    due_date: days(today, -age),
                    amount: deposit,
                },
                InstallmentInput {
                    due_date: days(today, 30 - age),
                    amount: delivery,
                },
                InstallmentInput {
                    due_date: days(today, 180 - age),
                    amount: total - deposit - delivery,
                },
            ],
        },
    )
    .await
    .map_err(wrap)?;
    let paid = match n % 5 {
        0 => total,
        1 | 2 => deposit,
        3 => (deposit / Decimal::TWO).round_dp(2),
        _ => Decimal::ZERO,
    };
    if paid > Decimal::ZERO {
        payments::create(
            db,
            finance,
            PaymentCreate {
                account_id,
                amount: paid,
                currency: Currency::Cny,
                received_on: days(today, -age / 2),
                method: PaymentMethod::BankTransfer,
                reference: Some(format!("银行回单 {:04}", 1000 + n)),
                order_id: Some(order_id),
            },
        )
        .await
        .map_err(wrap)?;
    }
    if n == 5 {
        order_status::change(
            db,
            rep,
            order_id,
            plan.order_version,
            OrderStatusChange {
                status: OrderStatus::Cancelled,
                note: Some("客户预算调整,取消订单".into()),
            },
        )
        .await
        .map_err(wrap)?;
    }
    Ok(())
}
