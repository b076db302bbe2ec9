//! The set-based SQL of the quote-to-cash seed, part 2: payment plans (installments), payments
//! and their allocations, following `migrations/src/m0006_receivables.rs` and the invariants of
//! `kedao_domain::receivable`:
//!
//! - an order's installment amounts add up exactly to its grand total (whole cents, the
//!   remainder spread so no cent is lost);
//! - installments are paid oldest due first: the first `m` in full, perhaps the next in part;
//! - each payment's allocations plus its unapplied credit equal its amount;
//! - each installment's `paid` is the sum of its allocations of payments not voided (a voided
//!   payment keeps its allocations, as `payments::void` leaves them);
//! - unapplied credit is left only where the account has nothing open in that currency (the
//!   API spends it on open installments at once).
//!
//! Due dates run from about 150 days ago to 90 days ahead, so every aging bucket is filled.

use crate::seed_sql::weighted;
use crate::vocab_money::METHODS;

/// Each order's installments, with what was paid on each.
pub const INSTALLMENT_PLAN_SQL: &str = r"
DROP TABLE IF EXISTS seed_inst;
CREATE TEMP TABLE seed_inst AS
SELECT i.*, pg_temp.uuid7(i.created_at) AS id,
       CASE WHEN i.seq <= i.m THEN i.amount
            WHEN i.seq = i.m + 1 AND i.partial AND i.amount >= 300
              THEN least(i.amount - 100, greatest(100, (round(i.amount / 100 * i.frac) * 100)::bigint))
            ELSE 0 END AS paid
FROM (
  SELECT b.*,
         -- A cancelled order keeps its plan (the API does not remove it) but was never paid.
         CASE WHEN b.cancelled THEN 0 ELSE greatest(0, b.due_count - b.lag) END AS m
  FROM (
    SELECT a.*, count(*) FILTER (WHERE a.due_date < current_date)
                  OVER (PARTITION BY a.order_n) AS due_count
    FROM (
      SELECT o.n AS order_n, o.id AS order_id, o.account_id, o.owner_id, o.currency, o.ts,
             o.k, o.lag, o.partial, o.frac, o.cancelled, o.void, s AS seq,
             -- Whole cents, split evenly; the remainder cents go to the later installments.
             (t.grand_total / 100 * s / o.k - t.grand_total / 100 * (s - 1) / o.k) * 100 AS amount,
             least(o.ts::date + 30 * s + o.n % 10 - 5, current_date + 90) AS due_date,
             -- A plan of several installments replaced the default one soon after the order.
             least(now(), o.ts + CASE WHEN o.k > 1 THEN interval '1 hour' ELSE interval '0' END)
               AS created_at
      FROM seed_order o
      JOIN seed_total t ON t.parent_n = o.n
      CROSS JOIN LATERAL generate_series(1, o.k) s
    ) a
  ) b
) i;
ALTER TABLE seed_inst ADD PRIMARY KEY (order_n, seq);
ANALYZE seed_inst;
";

/// One payment per installment with something paid, received around its due date and scoped
/// to the order (`order_id` set); a few overpay the last installment (unapplied credit is only
/// possible once nothing of the order is left open); and for 1% of orders a mistaken payment
/// that took installment 1 and was voided before the real one came.
pub fn payment_plan_sql() -> String {
    format!(
        r"
DROP TABLE IF EXISTS seed_pay;
CREATE TEMP TABLE seed_pay AS
SELECT p.*, pg_temp.uuid7(p.created_at) AS id,
       ({method}) AS method
FROM (
  SELECT r.order_n, r.seq, r.order_id, r.account_id, r.owner_id, r.currency, false AS voided,
         r.paid AS applied,
         CASE WHEN r.seq = r.k AND r.paid = r.amount AND r.r_over < 0.03
              THEN (1 + floor(r.r_over * 1000))::bigint * 1000000 ELSE 0 END AS unapplied,
         r.received_on,
         -- In office hours of the day received, never before the installment existed.
         least(now(), greatest(r.created_at + interval '1 hour',
                               r.received_on + time '09:00' + r.r_time * interval '8 hours'))
           AS created_at,
         NULL::timestamptz AS voided_at, random() AS r_method
  FROM (
    SELECT i.*, random() AS r_over, random() AS r_time,
           least(current_date, greatest(i.ts::date, i.due_date - 10 + floor(random() * 15)::int))
             AS received_on
    FROM seed_inst i WHERE i.paid > 0
  ) r
) p;
INSERT INTO seed_pay (order_n, seq, order_id, account_id, owner_id, currency, voided, applied,
                      unapplied, received_on, created_at, voided_at, r_method, id, method)
SELECT v.order_n, v.seq, v.order_id, v.account_id, v.owner_id, v.currency, true, v.amount, 0,
       v.created_at::date, v.created_at, v.created_at + (v.real_at - v.created_at) / 2, 0,
       pg_temp.uuid7(v.created_at), 'bank_transfer'
FROM (
  SELECT i.order_n, i.seq, i.order_id, i.account_id, i.owner_id, i.currency, i.amount,
         p.created_at AS real_at,
         greatest(i.created_at + interval '30 minutes', p.created_at - interval '2 days')
           AS created_at
  FROM seed_inst i
  JOIN seed_pay p ON p.order_n = i.order_n AND p.seq = i.seq
  WHERE i.void AND i.seq = 1 AND i.paid = i.amount
) v;
-- The API spends unapplied credit on the account's open installments as soon as there are
-- any (store/credit_application.rs), so credit is only left where nothing else is open.
UPDATE seed_pay p SET unapplied = 0
FROM (SELECT DISTINCT account_id, currency FROM seed_inst
      WHERE paid < amount AND NOT cancelled) o
WHERE p.unapplied > 0 AND o.account_id = p.account_id AND o.currency = p.currency;
ANALYZE seed_pay;
",
        method = weighted(&METHODS, "p.r_method"),
    )
}

/// The rows: installments (version and `updated_at` as the payments left them), payments and
/// allocations.
pub const RECEIVABLES_SQL: &str = r"
INSERT INTO installments (id, order_id, account_id, owner_id, seq, due_date, amount, paid,
                          currency, created_at, updated_at, version)
SELECT i.id, i.order_id, i.account_id, i.owner_id, i.seq, i.due_date, i.amount, i.paid,
       i.currency, i.created_at, coalesce(u.last_at, i.created_at), 1 + coalesce(u.changes, 0)
FROM seed_inst i
LEFT JOIN (
  -- Every allocation bumps the version; a void reverses it and bumps it again.
  SELECT order_n, seq, max(coalesce(voided_at, created_at)) AS last_at,
         sum(CASE WHEN voided THEN 2 ELSE 1 END)::int AS changes
  FROM seed_pay GROUP BY order_n, seq
) u ON u.order_n = i.order_n AND u.seq = i.seq
ORDER BY i.created_at;
INSERT INTO payments (id, account_id, order_id, amount, currency, received_on, method, reference,
                      unapplied, voided_at, voided_by, created_by, created_at, version)
SELECT p.id, p.account_id, p.order_id, p.applied + p.unapplied, p.currency, p.received_on,
       p.method,
       CASE p.method
         WHEN 'bank_transfer' THEN 'HX' || to_char(p.received_on, 'YYYYMMDD')
                                   || lpad(floor(random() * 1000000)::int::text, 6, '0')
         WHEN 'cheque' THEN 'CHQ-' || lpad(floor(random() * 100000000)::int::text, 8, '0')
       END,
       p.unapplied, p.voided_at, CASE WHEN p.voided THEN p.owner_id END, p.owner_id,
       p.created_at, CASE WHEN p.voided THEN 2 ELSE 1 END
FROM seed_pay p
ORDER BY p.created_at;
INSERT INTO allocations (id, payment_id, installment_id, amount, created_at)
SELECT pg_temp.uuid7(p.created_at), p.id, i.id, p.applied, p.created_at
FROM seed_pay p JOIN seed_inst i ON i.order_n = p.order_n AND i.seq = p.seq
ORDER BY p.created_at;
";

/// Counts of rows breaking an invariant the API keeps; all must be 0 after seeding.
pub const CHECKS: [(&str, &str); 7] = [
    (
        "orders whose figures are not the sums of their lines",
        "SELECT count(*) FROM orders o JOIN (SELECT order_id, sum(gross) g, sum(discount) d, \
         sum(net) n, sum(tax) t, sum(total) s FROM order_lines GROUP BY order_id) l \
         ON l.order_id = o.id WHERE (o.subtotal, o.discount, o.net, o.tax, o.grand_total) \
         <> (l.g, l.d, l.n, l.t, l.s) OR o.net <> o.subtotal - o.discount \
         OR o.grand_total <> o.net + o.tax",
    ),
    (
        "order lines whose figures do not add up",
        "SELECT count(*) FROM order_lines WHERE net <> gross - discount OR total <> net + tax \
         OR gross <> quantity / 10000 * unit_price",
    ),
    (
        "orders whose installments do not add up to the grand total",
        "SELECT count(*) FROM orders o JOIN (SELECT order_id, sum(amount) a FROM installments \
         GROUP BY order_id) i ON i.order_id = o.id WHERE i.a <> o.grand_total",
    ),
    (
        "installments paid outside 0..amount",
        "SELECT count(*) FROM installments WHERE paid < 0 OR paid > amount",
    ),
    (
        "payments whose allocations plus unapplied differ from the amount",
        "SELECT count(*) FROM payments p LEFT JOIN (SELECT payment_id, sum(amount) a FROM \
         allocations GROUP BY payment_id) x ON x.payment_id = p.id \
         WHERE coalesce(x.a, 0) + p.unapplied <> p.amount",
    ),
    (
        "installments whose paid differs from their allocations of payments not voided",
        "SELECT count(*) FROM installments i LEFT JOIN (SELECT a.installment_id, sum(a.amount) s \
         FROM allocations a JOIN payments p ON p.id = a.payment_id WHERE p.voided_at IS NULL \
         GROUP BY a.installment_id) x ON x.installment_id = i.id WHERE i.paid <> coalesce(x.s, 0)",
    ),
    (
        "payments with credit left while their account has something open in that currency",
        "SELECT count(*) FROM payments p WHERE p.unapplied > 0 AND p.voided_at IS NULL \
         AND EXISTS (SELECT 1 FROM installments i JOIN orders o ON o.id = i.order_id \
         WHERE i.account_id = p.account_id AND i.currency = p.currency \
         AND i.paid < i.amount AND o.status <> 'cancelled')",
    ),
];
