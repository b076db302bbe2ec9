//! The printable quote: one self-contained HTML page a customer can be sent or print to PDF.
//! Every user-supplied string is escaped; the figures are the stored ones, never recomputed.

use chrono::NaiveDate;
use std::fmt::Write;

use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use kedao_api_types::quotes::QuoteView;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::accounts;
use crate::store::quotes;

/// The seller's name on the header (no setting yet names the company).
const COMPANY: &str = "Kedao CRM";

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The quote as an HTML page.
pub async fn document<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
) -> Result<String, ApiError> {
    let quote = quotes::get(db, principal, id).await?;
    // Seeing the quote is enough to print its customer's name on it.
    let customer = accounts::Entity::find_by_id(quote.account_id)
        .one(db)
        .await?
        .map(|a| a.name)
        .unwrap_or_default();
    render(&quote, &customer, principal.date_of(quote.created_at))
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))
}

/// Renders a quote; separate from the reads so it can be tested alone.
pub fn render(q: &QuoteView, customer: &str, date: NaiveDate) -> Result<String, std::fmt::Error> {
    let mut h = String::with_capacity(4096);
    let number = escape(&q.number);
    let cur = q.currency.code();
    write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<title>{number} rev {rev}</title><style>body{{font-family:sans-serif;margin:2em}}\
table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #ccc;padding:4px 8px}}\
.n{{text-align:right}}</style></head><body>\n<header><h1>{company}</h1></header>\n\
<h2>报价单 Quote {number} (revision {rev})</h2>\n\
<p>Customer 客户: <strong>{customer}</strong><br>Date 日期: {date}<br>\
Valid until 有效期至: {valid}<br>Status: {status}</p>\n",
        rev = q.revision,
        company = escape(COMPANY),
        customer = escape(customer),
        valid = q.valid_until,
        status = q.status.as_str(),
    )?;
    h.push_str(
        "<table><thead><tr><th>#</th><th>Description 描述</th><th>Quantity 数量</th>\
<th>Unit price 单价</th><th>Discount 折扣 %</th><th>Tax 税率 %</th><th>Total 合计</th></tr>\
</thead><tbody>\n",
    );
    for (i, l) in q.lines.iter().enumerate() {
        writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            i + 1,
            escape(&l.description),
            l.quantity,
            l.unit_price,
            l.discount_percent,
            l.tax_rate_percent,
            l.total
        )?;
    }
    h.push_str("</tbody></table>\n<table class=\"totals\">\n");
    for (label, value) in [
        ("Subtotal 小计", q.subtotal),
        ("Discount 折扣", q.discount),
        ("Net 净额", q.net),
        ("Tax 税额", q.tax),
        ("Grand total 总计", q.grand_total),
    ] {
        writeln!(
            h,
            "<tr><th>{label}</th><td class=\"n\">{value} {cur}</td></tr>"
        )?;
    }
    h.push_str("</table>\n");
    if let Some(notes) = &q.notes {
        writeln!(h, "<p>{}</p>", escape(notes).replace('\n', "<br>"))?;
    }
    h.push_str("</body></html>\n");
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<b>\"A&B\"</b> 'x'"),
            "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; &#39;x&#39;"
        );
    }
}
