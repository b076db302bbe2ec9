//! Demo accounts, contacts, network links and opportunities in every funnel stage, each with a
//! stage history that walks the funnel up to where the deal is now.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use kedao_domain::Currency;
use kedao_domain::lead::LeadSource;
use kedao_domain::money::Money;
use kedao_domain::pipeline::StageKind;

use crate::seed_data::{COMPANIES, INDUSTRIES, REGIONS};
use crate::store::entities::{
    account_links, accounts, contacts, opportunities, pipelines, stage_history, stages,
};
use crate::store::{new_id, now};

const CITIES: [&str; 8] = [
    "无锡", "佛山", "东莞", "合肥", "西安", "昆明", "郑州", "济南",
];
const TRADES: [&str; 6] = ["精工", "新能源", "智造", "建设", "供应链", "包装"];
const CONTACTS: [(&str, &str); 10] = [
    ("张伟", "采购经理"),
    ("李娜", "总经理"),
    ("王强", "技术总监"),
    ("刘芳", "财务经理"),
    ("陈杰", "项目经理"),
    ("Emily Chen", "Procurement Lead"),
    ("David Lee", "CTO"),
    ("Sarah Johnson", "Operations Director"),
    ("赵丽", "行政主管"),
    ("孙浩", "生产厂长"),
];
const COMPETITORS: [&str; 6] = [
    "德马吉",
    "马扎克",
    "Siemens",
    "金蝶",
    "Oracle",
    "本地代理商",
];
const LOST_REASONS: [&str; 4] = [
    "价格太高 Price too high",
    "选择了竞争对手 Chose a competitor",
    "项目取消 Project cancelled",
    "预算冻结 Budget frozen",
];
const OPPORTUNITY_KINDS: [&str; 5] = [
    "产线升级",
    "年度采购框架",
    "数控设备",
    "ERP 集成项目",
    "Warehouse automation",
];

/// Inserts the demo sales records for the given owners.
pub async fn fill<C: ConnectionTrait>(
    db: &C,
    rng: &mut StdRng,
    owners: &[Uuid],
) -> anyhow::Result<()> {
    let account_ids = seed_accounts(db, rng, owners).await?;
    seed_links(db, rng, &account_ids).await?;
    seed_opportunities(db, rng, &account_ids).await
}

async fn seed_accounts<C: ConnectionTrait>(
    db: &C,
    rng: &mut StdRng,
    owners: &[Uuid],
) -> anyhow::Result<Vec<(Uuid, Uuid, String)>> {
    let mut names: Vec<String> = COMPANIES.iter().map(|c| (*c).to_owned()).collect();
    for city in CITIES {
        for trade in TRADES.iter().take(4) {
            names.push(format!("{city}{trade}有限公司"));
        }
    }
    let types = ["potential", "target", "key", "partner", "target", "key"];
    let sizes = ["micro", "small", "medium", "large", "enterprise"];
    let base = now();
    let mut rows = Vec::new();
    let mut contact_rows = Vec::new();
    let mut ids = Vec::new();
    for (i, name) in names.into_iter().enumerate() {
        let id = new_id();
        let owner = owners[i % owners.len()];
        let at = base - Duration::days(rng.gen_range(30..900));
        let region = REGIONS[rng.gen_range(0..REGIONS.len())];
        rows.push(accounts::ActiveModel {
            id: Set(id),
            name: Set(name.clone()),
            customer_type: Set(types[i % types.len()].to_owned()),
            industry: Set(Some(
                INDUSTRIES[rng.gen_range(0..INDUSTRIES.len())].to_owned(),
            )),
            size: Set(Some(sizes[rng.gen_range(0..sizes.len())].to_owned())),
            region: Set(Some(region.to_owned())),
            phone: Set(Some(format!(
                "+86 {} {:04} {:04}",
                rng.gen_range(20..29),
                rng.gen_range(0..10000),
                rng.gen_range(0..10000)
            ))),
            email: Set(Some(format!("info{i}@customer.example.cn"))),
            website: Set(Some(format!("https://www.customer{i}.example.cn"))),
            address: Set(None),
            tags: Set(serde_json::json!([
                region,
                if i % 3 == 0 { "重点跟进" } else { "常规" }
            ])),
            notes: Set(None),
            owner_id: Set(owner),
            created_by: Set(owner),
            created_at: Set(at),
            updated_at: Set(at),
            version: Set(1),
            credit_limit: Set(None),
            credit_currency: Set(None),
            dealer_id: Set(None),
        });
        for c in 0..rng.gen_range(1..=3) {
            let (person, title) = CONTACTS[rng.gen_range(0..CONTACTS.len())];
            contact_rows.push(contacts::ActiveModel {
                id: Set(new_id()),
                account_id: Set(id),
                name: Set(person.to_owned()),
                title: Set(Some(title.to_owned())),
                phone: Set(None),
                mobile: Set(Some(format!(
                    "+86 13{} {:04} {:04}",
                    rng.gen_range(0..10),
                    rng.gen_range(0..10000),
                    rng.gen_range(0..10000)
                ))),
                email: Set(Some(format!("contact{i}-{c}@customer.example.cn"))),
                birthday: Set(NaiveDate::from_ymd_opt(
                    rng.gen_range(1965..2000),
                    rng.gen_range(1..=12),
                    rng.gen_range(1..=28),
                )),
                is_primary: Set(c == 0),
                notes: Set(None),
                created_at: Set(at),
                updated_at: Set(at),
                version: Set(1),
            });
        }
        ids.push((id, owner, name));
    }
    for chunk in rows.chunks(100) {
        accounts::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    for chunk in contact_rows.chunks(100) {
        contacts::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(ids)
}

async fn seed_links<C: ConnectionTrait>(
    db: &C,
    rng: &mut StdRng,
    accounts: &[(Uuid, Uuid, String)],
) -> anyhow::Result<()> {
    let kinds = ["peer", "upstream", "downstream", "affiliate", "referral"];
    let mut seen = std::collections::HashSet::new();
    let mut rows = Vec::new();
    for _ in 0..40 {
        let from = rng.gen_range(0..accounts.len());
        let to = rng.gen_range(0..accounts.len());
        let kind = kinds[rng.gen_range(0..kinds.len())];
        if from == to || !seen.insert((from, to, kind)) {
            continue;
        }
        rows.push(account_links::ActiveModel {
            id: Set(new_id()),
            from_account_id: Set(accounts[from].0),
            to_account_id: Set(accounts[to].0),
            kind: Set(kind.to_owned()),
            note: Set(None),
            created_by: Set(accounts[from].1),
            created_at: Set(now()),
        });
    }
    account_links::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

async fn seed_opportunities<C: ConnectionTrait>(
    db: &C,
    rng: &mut StdRng,
    accounts: &[(Uuid, Uuid, String)],
) -> anyhow::Result<()> {
    let pipeline = pipelines::Entity::find()
        .filter(pipelines::Column::IsDefault.eq(true))
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the default pipeline is missing"))?;
    let stage_list = stages::Entity::find()
        .filter(stages::Column::PipelineId.eq(pipeline.id))
        .order_by_asc(stages::Column::Position)
        .all(db)
        .await?;
    let open: Vec<&stages::Model> = stage_list
        .iter()
        .filter(|s| s.kind == StageKind::Open.as_str())
        .collect();
    let won_stages: Vec<&stages::Model> = stage_list
        .iter()
        .filter(|s| s.kind == StageKind::Won.as_str())
        .collect();
    let won = won_stages.first().copied();
    let lost = stage_list
        .iter()
        .find(|s| s.kind == StageKind::Lost.as_str());
    let (Some(won), Some(lost)) = (won, lost) else {
        anyhow::bail!("the default pipeline needs won and lost stages");
    };
    let base = now();
    let today = base.date_naive();
    let mut rows = Vec::new();
    let mut history = Vec::new();
    for i in 0..220 {
        let (account, owner, account_name) = &accounts[rng.gen_range(0..accounts.len())];
        // Walk the open stages; about a fifth of deals end won and a tenth lost.
        let roll = rng.gen_range(0..10);
        let reached = rng.gen_range(0..open.len());
        let mut path: Vec<&stages::Model> = open[..=reached].to_vec();
        let closing = match roll {
            0 | 1 => Some(won),
            2 => Some(lost),
            _ => None,
        };
        if let Some(s) = closing {
            path.push(s);
            // Some won deals have moved on to implementation (项目实施), a later won stage.
            if s.id == won.id && rng.gen_bool(0.4) {
                path.extend(won_stages.iter().skip(1));
            }
        }
        let current = path.last().copied().unwrap_or(open[0]);
        let currency = if i % 9 == 0 {
            Currency::Usd
        } else {
            Currency::Cny
        };
        let amount = Money::new(
            rust_decimal::Decimal::new(rng.gen_range(20_000_i64..2_000_000) * 100, 2),
            currency,
        )?;
        // Old enough that every move (at most 8, each under 15 days apart) lies in the past.
        let created = base - Duration::days(rng.gen_range(130..500));
        let id = new_id();
        let mut at = created;
        let mut moved_at = created;
        let mut from = None;
        for stage in &path {
            moved_at = at;
            history.push(stage_history::ActiveModel {
                id: Set(new_id()),
                opportunity_id: Set(id),
                from_stage_id: Set(from),
                to_stage_id: Set(stage.id),
                changed_by: Set(*owner),
                changed_at: Set(at),
            });
            from = Some(stage.id);
            at += Duration::hours(rng.gen_range(24..24 * 15));
        }
        let closed = closing.is_some();
        let competitors: Vec<&str> = (0..rng.gen_range(0..3))
            .map(|_| COMPETITORS[rng.gen_range(0..COMPETITORS.len())])
            .collect();
        rows.push(opportunities::ActiveModel {
            dealer_id: Set(None),
            id: Set(id),
            title: Set(format!(
                "{} {}",
                short(account_name),
                OPPORTUNITY_KINDS[rng.gen_range(0..OPPORTUNITY_KINDS.len())]
            )),
            account_id: Set(*account),
            contact_id: Set(None),
            pipeline_id: Set(pipeline.id),
            stage_id: Set(current.id),
            amount: Set(amount.to_storage()?),
            currency: Set(currency.code().to_owned()),
            probability: Set(current.probability),
            probability_overridden: Set(false),
            expected_close_date: Set(today + Duration::days(rng.gen_range(-120..240))),
            source: Set(LeadSource::ALL[rng.gen_range(0..LeadSource::ALL.len())]
                .as_str()
                .to_owned()),
            competitors: Set(serde_json::json!(competitors)),
            lost_reason: Set((current.kind == StageKind::Lost.as_str())
                .then(|| LOST_REASONS[rng.gen_range(0..LOST_REASONS.len())].to_owned())),
            description: Set(None),
            lead_id: Set(None),
            owner_id: Set(*owner),
            stage_changed_at: Set(moved_at),
            closed_at: Set(closed.then_some(moved_at)),
            created_at: Set(created),
            updated_at: Set(moved_at),
            version: Set(1),
        });
    }
    for chunk in rows.chunks(100) {
        opportunities::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    for chunk in history.chunks(200) {
        stage_history::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// The distinctive part of a company name, for opportunity titles.
fn short(name: &str) -> String {
    name.chars().take(6).collect()
}
