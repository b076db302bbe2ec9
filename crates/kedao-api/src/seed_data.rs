//! The generated part of the demo data: deterministic, so every fresh demo looks the same.

use chrono::Duration;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, EntityTrait, Set};
use uuid::Uuid;

use kedao_domain::access::Role;
use kedao_domain::lead::{LeadSource, LeadStatus};

use crate::store::entities::leads;
use crate::store::{new_id, now};

pub const COMPANIES: [&str; 24] = [
    "苏州恒达机械有限公司",
    "杭州云杉制造有限公司",
    "深圳市华信电子科技有限公司",
    "上海东方精密仪器有限公司",
    "北京中科博远软件有限公司",
    "广州南方建材集团",
    "成都天府置业有限公司",
    "武汉长江物流股份有限公司",
    "青岛海润食品有限公司",
    "宁波甬兴五金制品厂",
    "天津滨海新材料有限公司",
    "南京金陵医疗器械有限公司",
    "Acme Industrial Supply Co.",
    "Northwind Traders Ltd.",
    "Blue Harbor Logistics",
    "Summit Precision Tools GmbH",
    "Pacific Rim Components Inc.",
    "Evergreen Building Materials",
    "Orion Medical Devices",
    "Silverline Packaging Ltd.",
    "厦门鹭岛贸易有限公司",
    "重庆山城汽配有限公司",
    "Redwood Property Development",
    "长沙湘江智能装备有限公司",
];

const PEOPLE: [&str; 20] = [
    "张伟",
    "王芳",
    "李娜",
    "刘洋",
    "陈静",
    "杨磊",
    "赵敏",
    "黄强",
    "周杰",
    "吴婷",
    "徐明",
    "孙丽",
    "John Smith",
    "Emily Chen",
    "Michael Brown",
    "Sarah Johnson",
    "David Lee",
    "Anna Müller",
    "Tom Wilson",
    "Grace Liu",
];

const TITLES: [&str; 6] = [
    "采购经理",
    "总经理",
    "技术总监",
    "Purchasing Manager",
    "Operations Director",
    "CEO",
];
pub const REGIONS: [&str; 6] = ["华东", "华南", "华北", "西南", "华中", "海外"];
pub const INDUSTRIES: [&str; 6] = ["机械制造", "电子", "建材", "物流", "医疗器械", "房地产"];

/// Fills leads, then accounts, contacts, links and opportunities.
pub async fn fill<C: ConnectionTrait>(db: &C, users: &[(Role, Uuid)]) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(2026);
    let owners: Vec<Uuid> = users
        .iter()
        .filter(|(r, _)| *r == Role::Sales || *r == Role::Manager)
        .map(|(_, id)| *id)
        .collect();
    anyhow::ensure!(!owners.is_empty(), "the demo needs sales users");
    let sources = LeadSource::ALL;
    let statuses = [
        LeadStatus::New,
        LeadStatus::New,
        LeadStatus::Working,
        LeadStatus::Working,
        LeadStatus::Disqualified,
    ];
    let base = now();
    let mut rows = Vec::new();
    for i in 0..300 {
        let person = PEOPLE[rng.gen_range(0..PEOPLE.len())];
        let company = COMPANIES[rng.gen_range(0..COMPANIES.len())];
        let status = statuses[rng.gen_range(0..statuses.len())];
        let at = base - Duration::minutes(i64::from(i) * 97 + rng.gen_range(0..60));
        rows.push(leads::ActiveModel {
            dealer_id: Set(None),
            id: Set(new_id()),
            name: Set(person.to_owned()),
            company: Set(Some(company.to_owned())),
            title: Set(Some(TITLES[rng.gen_range(0..TITLES.len())].to_owned())),
            phone: Set(Some(format!(
                "+86 13{:01} {:04} {:04}",
                rng.gen_range(0..10),
                rng.gen_range(0..10000),
                rng.gen_range(0..10000)
            ))),
            email: Set(Some(format!("lead{i}@example.cn"))),
            source: Set(sources[rng.gen_range(0..sources.len())].as_str().to_owned()),
            status: Set(status.as_str().to_owned()),
            score: Set(rng.gen_range(0..=100)),
            region: Set(Some(REGIONS[rng.gen_range(0..REGIONS.len())].to_owned())),
            industry: Set(Some(
                INDUSTRIES[rng.gen_range(0..INDUSTRIES.len())].to_owned(),
            )),
            notes: Set(None),
            disqualify_reason: Set((status == LeadStatus::Disqualified)
                .then(|| "暂无预算 No budget this year".to_owned())),
            owner_id: Set(owners[rng.gen_range(0..owners.len())]),
            converted_account_id: Set(None),
            converted_contact_id: Set(None),
            converted_opportunity_id: Set(None),
            converted_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            version: Set(1),
        });
    }
    for chunk in rows.chunks(100) {
        leads::Entity::insert_many(chunk.to_vec()).exec(db).await?;
    }
    crate::seed_sales::fill(db, &mut rng, &owners).await
}
