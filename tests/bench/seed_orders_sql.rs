//! The set-based SQL of the quote-to-cash seed, part 1: the price book, orders with their lines
//! and timelines, and the pool of sent quotes the accept scenario consumes. Column lists follow
//! `migrations/src/m0004_products_quotes.rs` and `m0005_orders.rs`; every column is named so a
//! nullable column added by a later migration does not break the seed.
//!
//! Money is stored as i64 units at scale 4 (`kedao_domain::money`); seeded prices are whole
//! yuan or dollars and quantities whole numbers, so each figure is computed in integers and
//! rounded to the cent half away from zero (`round(numeric)`), exactly as
//! `kedao_domain::quote::price_line` does.

use crate::seed_money::MoneyVolume;
use crate::seed_sql::{array, at, pick, quote, weighted};
use crate::vocab_money::{DISCOUNTS_BP, ORDER_NOTES, ORDER_PATH, PRODUCT_NAMES, TAX_RATES_BP};

/// `notes` of every quote in the accept pool: how the bench finds (and restores) them.
pub const POOL_NOTE: &str = "kedao-bench: accept scenario pool";

/// Session settings of the money seed and an account table to draw from by number.
pub const MONEY_SESSION_SQL: &str = r"
SET TimeZone = 'UTC';
SELECT setseed(0.3031);
DROP TABLE IF EXISTS seed_acct;
CREATE TEMP TABLE seed_acct AS
  SELECT (row_number() OVER (ORDER BY created_at, id) - 1)::int AS n, id, owner_id FROM accounts;
ALTER TABLE seed_acct ADD PRIMARY KEY (n);
ANALYZE seed_acct;
";

/// A money figure as `UNITS` in `NUMERIC * bp`, rounded to the cent: `x × bp / 10,000`, where
/// a cent is 100 units.
fn cents_of(units: &str, bp: &str) -> String {
    format!("(round(({units})::numeric * ({bp}) / 1000000) * 100)::bigint")
}

/// A zero-padded number that widens past six digits instead of being cut (`lpad` truncates).
fn padded(n: &str) -> String {
    format!("lpad(({n})::text, greatest(6, length(({n})::text)), '0')")
}

/// The price book: 90% priced in CNY, 10% in USD, a few no longer sold.
pub fn products_sql(v: MoneyVolume) -> String {
    let zh: Vec<&str> = PRODUCT_NAMES.iter().map(|p| p.0).collect();
    let en: Vec<&str> = PRODUCT_NAMES.iter().map(|p| p.1).collect();
    let unit: Vec<&str> = PRODUCT_NAMES.iter().map(|p| p.2).collect();
    let idx = format!("1 + g % {}", PRODUCT_NAMES.len());
    format!(
        r"
DROP TABLE IF EXISTS seed_product;
CREATE TEMP TABLE seed_product AS
SELECT g AS n, pg_temp.uuid7(ts) AS id, ts, currency,
       (row_number() OVER (PARTITION BY currency ORDER BY g) - 1)::int AS cn,
       name || ' KD-' || lpad(g::text, 4, '0') AS name,
       name_en || ' KD-' || lpad(g::text, 4, '0') AS name_en, unit,
       (CASE WHEN currency = 'USD' THEN round(exp(ln(30) + r_price * ln(2500)))
             ELSE round(exp(ln(200) + r_price * ln(2500))) END)::bigint * 10000 AS list_price,
       ({tax})::int AS tax_rate_bp,
       g % 25 <> 24 AS active
FROM (
  SELECT g, now() - interval '1095 days' + (g + random()) * (interval '1000 days' / {p}) AS ts,
         CASE WHEN g % 10 = 9 THEN 'USD' ELSE 'CNY' END AS currency,
         {zh} AS name, {en} AS name_en, {unit} AS unit, random() AS r_price, random() AS r_tax
  FROM generate_series(0, {last}) g
) t;
ALTER TABLE seed_product ADD PRIMARY KEY (currency, cn);
ANALYZE seed_product;
DROP TABLE IF EXISTS seed_product_n;
CREATE TEMP TABLE seed_product_n AS
  SELECT currency, count(*)::int AS n FROM seed_product GROUP BY currency;
INSERT INTO products (id, sku, name, name_en, unit, list_price, currency, tax_rate_bp, active,
                      created_at, updated_at, version)
SELECT id, 'KD-' || lpad(n::text, 5, '0'), name, name_en, unit, list_price, currency,
       tax_rate_bp, active, ts, ts, 1
FROM seed_product ORDER BY ts;
",
        tax = weighted(&TAX_RATES_BP, "r_tax"),
        zh = at(&zh, &idx),
        en = at(&en, &idx),
        unit = at(&unit, &idx),
        p = v.products.max(1),
        last = v.products.saturating_sub(1),
    )
}

/// The order plan: first one order per opportunity won in the last 180 days (its account,
/// owner and currency), then direct orders on random accounts, all in the last 180 days. Each
/// row carries the draws that decide its status, lines, installments and how much was paid.
pub fn order_plan_sql(v: MoneyVolume) -> String {
    format!(
        r"
DROP TABLE IF EXISTS seed_order;
CREATE TEMP TABLE seed_order AS
WITH won AS MATERIALIZED (
  SELECT o.id AS opportunity_id, o.account_id, o.owner_id, o.currency,
         least(now(), o.closed_at + random() * interval '5 days') AS ts
  FROM opportunities o JOIN stages s ON s.id = o.stage_id
  WHERE s.kind = 'won' AND o.closed_at >= now() - interval '180 days'
  ORDER BY o.closed_at DESC, o.id
  LIMIT {n}
), direct AS (
  SELECT NULL::uuid AS opportunity_id, a.id AS account_id, a.owner_id, d.currency, d.ts
  FROM (
    SELECT g, CASE WHEN random() < 0.1 THEN 'USD' ELSE 'CNY' END AS currency,
           now() - random() * interval '180 days' AS ts,
           floor(random() * (SELECT count(*) FROM seed_acct))::int AS account_n
    FROM generate_series(1, {n} - (SELECT count(*) FROM won)) g
  ) d
  JOIN seed_acct a ON a.n = d.account_n
), planned AS (
  SELECT (row_number() OVER (ORDER BY u.ts, u.account_id) - 1)::int AS n, u.*,
         random() AS r_cancel, random() AS r_step, random() AS r_lines, random() AS r_lag,
         random() AS r_partial, random() AS r_frac, random() AS r_note, random() AS r_void
  FROM (SELECT * FROM won UNION ALL SELECT * FROM direct) u
)
SELECT n, pg_temp.uuid7(ts) AS id, ts, opportunity_id, account_id, owner_id, currency,
       cancelled, step, CASE WHEN cancelled THEN step + 1 ELSE step END AS steps,
       lines, k, lag, partial AND NOT cancelled AS partial, frac, note,
       r_void < 0.01 AND NOT cancelled AS void
FROM (
  SELECT p.*, p.r_cancel < 0.02 AS cancelled,
         CASE WHEN p.r_cancel < 0.02 THEN floor(p.r_step * 2)::int
              -- Older orders are further along: about one step per 45 days, give or take.
              ELSE least(4, floor(extract(epoch FROM now() - p.ts) / 86400 / 45 + p.r_step * 1.5))::int
         END AS step,
         1 + floor(p.r_lines * 3)::int AS lines,
         -- 1, 2, 3, 4 installments in turn: 2.5 per order on average, exactly.
         1 + p.n % 4 AS k,
         -- How many installments already due the customer is behind on (99: paid nothing).
         (CASE WHEN p.r_lag < 0.55 THEN 0 WHEN p.r_lag < 0.80 THEN 1
               WHEN p.r_lag < 0.90 THEN 2 ELSE 99 END) AS lag,
         p.r_partial < 0.3 AS partial,
         0.2 + 0.6 * p.r_frac AS frac,
         CASE WHEN p.r_note < 0.1 THEN {note} END AS note
  FROM planned p
) x;
ALTER TABLE seed_order ADD PRIMARY KEY (n);
ANALYZE seed_order;
",
        n = v.orders,
        note = pick(&ORDER_NOTES),
    )
}

/// 1–3 lines per row of `source` (its `lines`), products in the row's currency, into the temp
/// table `target` with every figure priced.
pub fn lines_sql(source: &str, target: &str) -> String {
    format!(
        r"
DROP TABLE IF EXISTS {target};
CREATE TEMP TABLE {target} AS
SELECT y.*, y.net + y.tax AS total
FROM (
  SELECT x.*, x.gross - x.discount AS net,
         {tax} AS tax
  FROM (
    SELECT l.parent_n, l.position, p.id AS product_id, p.name AS description,
           l.qty * 10000 AS quantity, p.list_price AS unit_price, l.discount_bp,
           p.tax_rate_bp, l.qty * p.list_price AS gross,
           {discount} AS discount
    FROM (
      SELECT o.n AS parent_n, o.currency, pos - 1 AS position,
             (1 + floor(r.r_qty * 10))::bigint AS qty,
             ({discount_bp})::int AS discount_bp,
             floor(r.r_product * c.n)::int AS product_n
      FROM {source} o
      JOIN seed_product_n c ON c.currency = o.currency
      CROSS JOIN LATERAL (
        SELECT pos, random() AS r_qty, random() AS r_disc, random() AS r_product
        FROM generate_series(1, o.lines) pos
      ) r
    ) l
    JOIN seed_product p ON p.currency = l.currency AND p.cn = l.product_n
  ) x
) y;
CREATE INDEX ON {target} (parent_n);
ANALYZE {target};
",
        discount_bp = weighted(&DISCOUNTS_BP, "r.r_disc"),
        discount = cents_of("l.qty * p.list_price", "l.discount_bp"),
        tax = cents_of("x.gross - x.discount", "x.tax_rate_bp"),
    )
}

/// Per-parent sums of priced lines: the totals a quote or order stores (sums of the rounded
/// line figures, as `price_quote` adds them).
pub fn totals_sql(lines: &str, target: &str) -> String {
    format!(
        r"
DROP TABLE IF EXISTS {target};
CREATE TEMP TABLE {target} AS
SELECT parent_n, sum(gross)::bigint AS subtotal, sum(discount)::bigint AS discount,
       sum(net)::bigint AS net, sum(tax)::bigint AS tax, sum(total)::bigint AS grand_total,
       max(discount_bp) AS max_discount_bp
FROM {lines} GROUP BY parent_n;
ALTER TABLE {target} ADD PRIMARY KEY (parent_n);
ANALYZE {target};
"
    )
}

/// Orders numbered per year of their date as the API numbers them (`O-2026-000042`), their
/// lines, and one timeline event per status they went through.
pub fn orders_sql() -> String {
    let path = array(&ORDER_PATH);
    let year = "to_char(o.ts, 'YYYY')";
    let number = padded(&format!(
        "row_number() OVER (PARTITION BY {year} ORDER BY o.n)"
    ));
    format!(
        r"
INSERT INTO orders (id, number, quote_id, opportunity_id, account_id, owner_id, status, currency,
                    subtotal, discount, net, tax, grand_total, notes, created_by, created_at,
                    updated_at, version)
SELECT o.id, 'O-' || {year} || '-' || {number}, NULL, o.opportunity_id, o.account_id,
       o.owner_id,
       CASE WHEN o.cancelled THEN 'cancelled' ELSE {path}[o.step + 1] END,
       o.currency, t.subtotal, t.discount, t.net, t.tax, t.grand_total, o.note, o.owner_id,
       o.ts, o.ts + (now() - o.ts) * o.steps / (o.steps + 1),
       -- Each status change bumps the version, and so does replacing the one-installment plan.
       1 + o.steps + CASE WHEN o.k > 1 THEN 1 ELSE 0 END
FROM seed_order o JOIN seed_total t ON t.parent_n = o.n
ORDER BY o.n;
INSERT INTO order_lines (id, order_id, position, product_id, description, quantity, unit_price,
                         discount_bp, tax_rate_bp, gross, discount, net, tax, total)
SELECT pg_temp.uuid7(o.ts), o.id, l.position, l.product_id, l.description, l.quantity,
       l.unit_price, l.discount_bp, l.tax_rate_bp, l.gross, l.discount, l.net, l.tax, l.total
FROM seed_line l JOIN seed_order o ON o.n = l.parent_n
ORDER BY o.n, l.position;
INSERT INTO order_events (id, order_id, from_status, to_status, actor_id, note, at)
SELECT pg_temp.uuid7(e.at), e.order_id, e.from_status, e.to_status, e.owner_id, NULL, e.at
FROM (
  SELECT o.id AS order_id, o.owner_id, o.ts + (now() - o.ts) * j / (o.steps + 1) AS at,
         CASE WHEN j = 0 THEN NULL ELSE {path}[j] END AS from_status,
         CASE WHEN o.cancelled AND j = o.steps THEN 'cancelled' ELSE {path}[j + 1] END AS to_status
  FROM seed_order o CROSS JOIN LATERAL generate_series(0, o.steps) j
) e
ORDER BY e.at;
"
    )
}

/// The accept pool: sent quotes (revision 1, sent within the last three weeks, valid for
/// another 30–60 days) on distinct opportunities in an open stage, owned as the API owns them
/// (by the opportunity's owner). Distinct opportunities keep concurrent accepts from racing on
/// one opportunity's version.
pub fn quote_plan_sql(v: MoneyVolume) -> String {
    format!(
        r"
DROP TABLE IF EXISTS seed_quote;
CREATE TEMP TABLE seed_quote AS
SELECT (row_number() OVER (ORDER BY q.ts, q.opportunity_id) - 1)::int AS n,
       pg_temp.uuid7(q.ts) AS id, q.*
FROM (
  SELECT o.opportunity_id, o.account_id, o.owner_id, o.currency,
         now() - interval '21 days' + random() * interval '20 days' AS ts,
         1 + floor(random() * 3)::int AS lines
  FROM (
    SELECT o.id AS opportunity_id, o.account_id, o.owner_id, o.currency
    FROM opportunities o JOIN stages s ON s.id = o.stage_id
    WHERE s.kind = 'open'
    ORDER BY md5(o.id::text)
    LIMIT {q}
  ) o
) q;
ALTER TABLE seed_quote ADD PRIMARY KEY (n);
ANALYZE seed_quote;
",
        q = v.sent_quotes,
    )
}

/// The pool's quotes and lines, numbered per year like the API (`Q-2026-000042`). Sent
/// quotes have been saved twice (created, then sent), so they are at version 2.
pub fn quotes_sql() -> String {
    let year = "to_char(q.ts, 'YYYY')";
    let number = padded(&format!(
        "row_number() OVER (PARTITION BY {year} ORDER BY q.n)"
    ));
    format!(
        r"
INSERT INTO quotes (id, number, revision, opportunity_id, account_id, owner_id, status, currency,
                    valid_until, subtotal, discount, net, tax, grand_total, max_discount_bp,
                    needs_approval, approved_by, approved_at, sent_at, notes, created_by,
                    created_at, updated_at, version)
SELECT q.id, 'Q-' || {year} || '-' || {number}, 1, q.opportunity_id, q.account_id, q.owner_id,
       'sent', q.currency, current_date + 30 + q.n % 30, t.subtotal, t.discount, t.net, t.tax,
       t.grand_total, t.max_discount_bp, t.max_discount_bp > 1500, NULL, NULL,
       least(now(), q.ts + interval '2 hours'), {note}, q.owner_id, q.ts,
       least(now(), q.ts + interval '2 hours'), 2
FROM seed_quote q JOIN seed_qtotal t ON t.parent_n = q.n
ORDER BY q.n;
INSERT INTO quote_lines (id, quote_id, position, product_id, description, quantity, unit_price,
                         discount_bp, tax_rate_bp, gross, discount, net, tax, total)
SELECT pg_temp.uuid7(q.ts), q.id, l.position, l.product_id, l.description, l.quantity,
       l.unit_price, l.discount_bp, l.tax_rate_bp, l.gross, l.discount, l.net, l.tax, l.total
FROM seed_qline l JOIN seed_quote q ON q.n = l.parent_n
ORDER BY q.n, l.position;
",
        note = quote(POOL_NOTE),
    )
}

/// Number counters past every seeded number, so numbers the API hands out never collide:
/// `order-YYYY` / `quote-YYYY` rows of `number_sequences` hold the next value (see
/// `store/quote_numbers.rs`). Never lowers a counter. On PostgreSQL the API draws from a
/// sequence that starts at its row's value when first used: dropping the sequences makes the
/// next draw start past what is seeded now.
pub const SEQUENCES_SQL: &str = r"
INSERT INTO number_sequences (name, next_value)
SELECT 'order-' || split_part(number, '-', 2), max(split_part(number, '-', 3)::bigint) + 1
FROM orders WHERE number ~ '^O-[0-9]{4}-[0-9]+$' GROUP BY 1
ON CONFLICT (name) DO UPDATE
  SET next_value = greatest(number_sequences.next_value, excluded.next_value);
INSERT INTO number_sequences (name, next_value)
SELECT 'quote-' || split_part(number, '-', 2), max(split_part(number, '-', 3)::bigint) + 1
FROM quotes WHERE number ~ '^Q-[0-9]{4}-[0-9]+$' GROUP BY 1
ON CONFLICT (name) DO UPDATE
  SET next_value = greatest(number_sequences.next_value, excluded.next_value);
DO $$ DECLARE s record; BEGIN
  FOR s IN SELECT relname FROM pg_class WHERE relkind = 'S' AND relname LIKE 'kedao\_number\_%' LOOP
    EXECUTE format('DROP SEQUENCE %I', s.relname);
  END LOOP;
END $$;
";
