//! The set-based SQL that generates the bulk rows: `INSERT … SELECT … FROM generate_series(…)`,
//! every random choice drawn per row by PostgreSQL. Column lists follow
//! `migrations/src/m0002_sales_core.rs`.

use crate::seed::Volume;
use crate::vocab::*;

/// Session settings, the id generator and the owner table every later step joins (temporary
/// tables and functions: they vanish with the session).
pub const SESSION_SQL: &str = r"
SET synchronous_commit = off;
SET work_mem = '64MB';
SET maintenance_work_mem = '256MB';
SELECT setseed(0.2026);
-- A UUIDv7 whose timestamp is `ts`, like the ids the server gives new records.
CREATE OR REPLACE FUNCTION pg_temp.uuid7(ts timestamptz) RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT (lpad(to_hex(floor(extract(epoch FROM ts) * 1000)::bigint), 12, '0')
          || '7' || substr(md5(random()::text), 1, 3)
          || to_hex(8 + floor(random() * 4)::int) || substr(md5(random()::text), 1, 15))::uuid
$$;
DROP TABLE IF EXISTS seed_owner;
CREATE TEMP TABLE seed_owner AS
  SELECT (row_number() OVER (ORDER BY email) - 1)::int AS n, id
  FROM users WHERE role = 'sales';
ALTER TABLE seed_owner ADD PRIMARY KEY (n);
ANALYZE seed_owner;
";

pub(crate) fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub(crate) fn array<S: AsRef<str>>(items: &[S]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s.as_ref())).collect();
    format!("(ARRAY[{}])", quoted.join(", "))
}

/// A random element, drawn per row.
pub(crate) fn pick<S: AsRef<str>>(items: &[S]) -> String {
    format!(
        "{}[1 + floor(random() * {})::int]",
        array(items),
        items.len()
    )
}

/// The element at the 1-based index `idx` (an SQL expression).
pub(crate) fn at<S: AsRef<str>>(items: &[S], idx: &str) -> String {
    format!("{}[{idx}]", array(items))
}

/// A random 1-based index into `items`, for picks that are used twice (name and e-mail).
fn index_of<T>(items: &[T]) -> String {
    format!("1 + floor(random() * {})::int", items.len())
}

/// A value chosen by weight from the uniform number `r` in [0, 1).
pub(crate) fn weighted(choices: &[(&str, u32)], r: &str) -> String {
    let total: u32 = choices.iter().map(|c| c.1).sum();
    let mut sql = String::from("CASE");
    let mut upto = 0;
    for (value, weight) in &choices[..choices.len() - 1] {
        upto += weight;
        sql.push_str(&format!(
            " WHEN {r} < {} THEN {}",
            f64::from(upto) / f64::from(total),
            quote(value)
        ));
    }
    sql.push_str(&format!(
        " ELSE {} END",
        quote(choices[choices.len() - 1].0)
    ));
    sql
}

/// `n` timestamps over the last three years in order: row `g` gets one in slot `g`.
fn spread_ts(n: u64) -> String {
    format!("now() - interval '1095 days' + (g + random()) * (interval '1095 days' / {n})")
}

fn zh_company(city: &str, b1: &str, b2: &str, kind: &str) -> String {
    format!(
        "{} || {} || {} || {}",
        at(&CITIES, city),
        at(&BRAND_1, b1),
        at(&BRAND_2, b2),
        at(&COMPANY_KIND, kind)
    )
}

fn en_company(brand: &str, kind: &str, suffix: &str) -> String {
    format!(
        "{} || ' ' || {} || ' ' || {}",
        at(&EN_BRAND, brand),
        at(&EN_KIND, kind),
        at(&EN_SUFFIX, suffix)
    )
}

fn random_company() -> String {
    let r = |items: usize| format!("1 + floor(random() * {items})::int");
    format!(
        "CASE WHEN random() < 0.8 THEN {} ELSE {} END",
        zh_company(&r(20), &r(20), &r(20), &r(12)),
        en_company(&r(20), &r(12), &r(6))
    )
}

fn phone(zh: &str) -> String {
    let digits = |n: u32| {
        format!(
            "lpad(floor(random() * {})::bigint::text, {n}, '0')",
            10_u64.pow(n)
        )
    };
    format!(
        "CASE WHEN {zh} THEN '+86 1' || {} || ' ' || {} || ' ' || {} ELSE '+1 ' || (200 + floor(random() * 700)::int)::text || ' 555 ' || {} END",
        pick(&["38", "39", "35", "36", "86", "88", "58", "37", "50", "59"]),
        digits(4),
        digits(4),
        digits(4)
    )
}

/// 100,000 accounts (unique Chinese names by construction, 15% English), owned by reps.
pub fn accounts_sql(v: Volume) -> String {
    let n = v.accounts;
    let zh_name = zh_company(
        "1 + (a.n % 20)",
        "1 + ((a.n / 20) % 20)",
        "1 + ((a.n / 400) % 20)",
        "1 + ((a.n / 8000) % 12)",
    );
    let en_name = en_company(
        "1 + (a.n % 20)",
        "1 + ((a.n / 20) % 12)",
        "1 + ((a.n / 240) % 6)",
    );
    format!(
        r"
DROP TABLE IF EXISTS seed_account;
CREATE TEMP TABLE seed_account AS
  SELECT g::int AS n, pg_temp.uuid7(ts) AS id, ts AS created_at,
         floor(random() * (SELECT count(*) FROM seed_owner))::int AS owner_n
  FROM (SELECT g, {ts} AS ts FROM generate_series(0, {last}) g) t;
ALTER TABLE seed_account ADD PRIMARY KEY (n);
ANALYZE seed_account;
INSERT INTO accounts (id, name, customer_type, industry, size, region, phone, email, website,
                      address, tags, notes, owner_id, created_by, created_at, updated_at, version)
SELECT a.id,
       CASE WHEN s.zh THEN {zh_name} ELSE {en_name} END,
       {customer_type},
       CASE WHEN random() < 0.9 THEN {industry} END,
       CASE WHEN random() < 0.8 THEN {size} END,
       CASE WHEN random() < 0.9 THEN {region} END,
       CASE WHEN random() < 0.85 THEN {phone} END,
       CASE WHEN random() < 0.7 THEN 'info' || a.n || '@' || {domain} END,
       CASE WHEN random() < 0.5 THEN 'https://www' || a.n || '.' || {domain} END,
       CASE WHEN random() < 0.7 THEN CASE WHEN s.zh
            THEN {city} || '市' || {district} || (1 + floor(random() * 999)::int) || '号'
            ELSE (1 + floor(random() * 999)::int) || ' Market Street, Suite ' || (1 + floor(random() * 99)::int) END END,
       CASE WHEN s.r_tags < 0.5 THEN '[]'::jsonb
            WHEN s.r_tags < 0.85 THEN jsonb_build_array({tag})
            ELSE jsonb_build_array({tag}, {tag}) END,
       CASE WHEN random() < 0.1 THEN {note} END,
       o.id, o.id, a.created_at,
       least(now(), a.created_at + random() * interval '90 days'),
       1 + floor(random() * 3)::int
FROM (SELECT n, random() < 0.85 AS zh, random() AS r_ct, random() AS r_tags FROM seed_account) s
JOIN seed_account a ON a.n = s.n
JOIN seed_owner o ON o.n = a.owner_n;
",
        ts = spread_ts(n),
        last = n.saturating_sub(1),
        customer_type = weighted(&CUSTOMER_TYPES, "s.r_ct"),
        industry = pick(&kedao_api::seed_data::INDUSTRIES),
        size = pick(&SIZES),
        region = pick(&kedao_api::seed_data::REGIONS),
        phone = phone("s.zh"),
        domain = pick(&DOMAINS),
        city = at(&CITIES, "1 + (a.n % 20)"),
        district = pick(&["高新区", "工业园区", "经济开发区", "新区", "开发区"]),
        tag = pick(&TAGS),
        note = pick(&LEAD_NOTES),
    )
}

/// 1,000,000 leads over three years, 60% Chinese names; qualified ones point at an account.
pub fn leads_sql(v: Volume) -> String {
    let names_zh: Vec<&str> = SURNAMES.iter().map(|s| s.0).collect();
    let names_py: Vec<&str> = SURNAMES.iter().map(|s| s.1).collect();
    let given_zh: Vec<&str> = GIVEN.iter().map(|s| s.0).collect();
    let given_py: Vec<&str> = GIVEN.iter().map(|s| s.1).collect();
    format!(
        r"
INSERT INTO leads (id, name, company, title, phone, email, source, status, score, region,
                   industry, notes, disqualify_reason, owner_id, converted_account_id,
                   converted_contact_id, converted_opportunity_id, converted_at, created_at,
                   updated_at, version)
SELECT pg_temp.uuid7(s.ts),
       CASE WHEN s.zh THEN {surname} || {given} ELSE {first} || ' ' || {last} END,
       CASE WHEN random() < 0.9 THEN {company} END,
       CASE WHEN random() < 0.8 THEN {title} END,
       CASE WHEN random() < 0.9 THEN {phone} END,
       CASE WHEN random() < 0.85 THEN
         (CASE WHEN s.zh THEN {given_py} || '.' || {surname_py}
               ELSE lower({first}) || '.' || lower({last}) END) || s.g || '@' || {domain} END,
       {source},
       s.status,
       floor(random() * 101)::smallint,
       CASE WHEN random() < 0.9 THEN {region} END,
       CASE WHEN random() < 0.8 THEN {industry} END,
       CASE WHEN random() < 0.15 THEN {note} END,
       CASE WHEN s.status = 'disqualified' THEN {reason} END,
       o.id,
       CASE WHEN s.status = 'qualified' THEN a.id END,
       NULL, NULL,
       CASE WHEN s.status = 'qualified' THEN s.touched END,
       s.ts,
       s.touched,
       CASE WHEN s.status = 'new' THEN 1 ELSE 2 + floor(random() * 3)::int END
FROM (
  SELECT g, ts, {status} AS status, zh, r_source, owner_n, account_n, si, gi, fi, li,
         least(now(), ts + random() * interval '30 days') AS touched
  FROM (
    SELECT g, {ts} AS ts, random() AS r_status, random() < 0.6 AS zh, random() AS r_source,
           floor(random() * (SELECT count(*) FROM seed_owner))::int AS owner_n,
           floor(random() * {accounts})::int AS account_n,
           {si} AS si, {gi} AS gi, {fi} AS fi, {li} AS li
    FROM generate_series(0, {last_row}) g
  ) t
) s
JOIN seed_owner o ON o.n = s.owner_n
LEFT JOIN seed_account a ON a.n = s.account_n;
",
        surname = at(&names_zh, "s.si"),
        surname_py = at(&names_py, "s.si"),
        given = at(&given_zh, "s.gi"),
        given_py = at(&given_py, "s.gi"),
        first = at(&FIRST, "s.fi"),
        last = at(&LAST, "s.li"),
        company = random_company(),
        title = pick(&TITLES),
        phone = phone("s.zh"),
        domain = pick(&DOMAINS),
        source = weighted(&SOURCES, "s.r_source"),
        status = weighted(&STATUSES, "r_status"),
        region = pick(&kedao_api::seed_data::REGIONS),
        industry = pick(&kedao_api::seed_data::INDUSTRIES),
        note = pick(&LEAD_NOTES),
        reason = pick(&DISQUALIFY),
        ts = spread_ts(v.leads),
        accounts = v.accounts.max(1),
        si = index_of(&SURNAMES),
        gi = index_of(&GIVEN),
        fi = index_of(&FIRST),
        li = index_of(&LAST),
        last_row = v.leads.saturating_sub(1),
    )
}

/// 300,000 opportunities on random accounts (owned by the account's owner), spread over the
/// default pipeline's stages; amounts log-uniform, 90% CNY and 10% USD.
pub fn opportunities_sql(v: Volume, pipeline: &str, stages: usize) -> String {
    let weights: Vec<u32> = if stages == STAGE_WEIGHTS.len() {
        STAGE_WEIGHTS.to_vec()
    } else {
        vec![1; stages.max(1)]
    };
    let labels: Vec<String> = (0..weights.len()).map(|i| i.to_string()).collect();
    let choices: Vec<(&str, u32)> = labels
        .iter()
        .map(String::as_str)
        .zip(weights.iter().copied())
        .collect();
    format!(
        r"
DROP TABLE IF EXISTS seed_stage;
CREATE TEMP TABLE seed_stage AS
  SELECT (row_number() OVER (ORDER BY position) - 1)::int AS n, id, probability, kind
  FROM stages WHERE pipeline_id = '{pipeline}';
ANALYZE seed_stage;
INSERT INTO opportunities (id, title, account_id, contact_id, pipeline_id, stage_id, amount,
                           currency, probability, probability_overridden, expected_close_date,
                           source, competitors, lost_reason, description, lead_id, owner_id,
                           stage_changed_at, closed_at, created_at, updated_at, version)
SELECT pg_temp.uuid7(s.ts),
       {product} || ' ' || to_char(s.ts, 'YYYY'),
       a.id, NULL, '{pipeline}', st.id,
       (CASE WHEN s.usd THEN round(exp(ln(2000) + random() * ln(500)) / 100) * 100
             ELSE round(exp(ln(10000) + random() * ln(500)) / 100) * 100 END)::bigint * 10000,
       CASE WHEN s.usd THEN 'USD' ELSE 'CNY' END,
       st.probability, false,
       current_date - 365 + floor(random() * 730)::int,
       {source},
       CASE WHEN s.r_comp < 0.5 THEN '[]'::jsonb
            WHEN s.r_comp < 0.85 THEN jsonb_build_array({competitor})
            ELSE jsonb_build_array({competitor}, {competitor}) END,
       CASE WHEN st.kind = 'lost' THEN {lost} END,
       CASE WHEN random() < 0.3 THEN {description} END,
       NULL,
       o.id,
       s.ts,
       CASE WHEN st.kind <> 'open' THEN s.ts END,
       s.ts, s.ts, 1
FROM (
  SELECT g, {ts} AS ts, random() < 0.1 AS usd, random() AS r_source, random() AS r_comp,
         ({stage})::int AS stage_n, floor(random() * {accounts})::int AS account_n
  FROM (SELECT g, random() AS r_stage FROM generate_series(0, {last_row}) g) t
) s
JOIN seed_stage st ON st.n = s.stage_n
JOIN seed_account a ON a.n = s.account_n
JOIN seed_owner o ON o.n = a.owner_n;
",
        product = pick(&PRODUCTS),
        source = weighted(&SOURCES, "s.r_source"),
        competitor = pick(&COMPETITORS),
        lost = pick(&LOST),
        description = pick(&DESCRIPTIONS),
        ts = spread_ts(v.opportunities),
        stage = weighted(&choices, "r_stage"),
        accounts = v.accounts.max(1),
        last_row = v.opportunities.saturating_sub(1),
    )
}

/// One creation row per opportunity, by its owner, when it was created.
pub const STAGE_HISTORY_SQL: &str = r"
INSERT INTO stage_history (id, opportunity_id, from_stage_id, to_stage_id, changed_by, changed_at)
SELECT pg_temp.uuid7(created_at), id, NULL, stage_id, owner_id, created_at
FROM opportunities ORDER BY created_at;
";
