//! The printable quote: one self-contained HTML page a customer can be sent or print to PDF.
//! Every user-supplied string is escaped; the figures are the stored ones, never recomputed.

use chrono::NaiveDate;
use std::fmt::Write;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use kedao_api_types::quotes::{QuoteStatus, QuoteView};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::settings::CompanyProfile;
use crate::store::print::{
    STYLE, bank_account, customer_name, escape, lines_table, render_failed, seller_header,
    totals_table,
};
use crate::store::quotes;

/// The quote as an HTML page.
pub async fn document<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
    company: &CompanyProfile,
) -> Result<String, ApiError> {
    let quote = quotes::get(db, principal, id).await?;
    let customer = customer_name(db, quote.account_id).await?;
    render(
        &quote,
        &customer,
        principal.date_of(quote.created_at),
        company,
    )
    .map_err(render_failed)
}

/// Renders a quote; separate from the reads so it can be tested alone.
pub fn render(
    q: &QuoteView,
    customer: &str,
    date: NaiveDate,
    company: &CompanyProfile,
) -> Result<String, std::fmt::Error> {
    let mut h = String::with_capacity(4096);
    let number = escape(&q.number);
    let cur = q.currency.code();
    write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<title>{number} rev {rev}</title><style>{STYLE}</style></head><body>\n{seller}\
<h2>报价单 Quote {number} (revision {rev})</h2>\n\
<p>Customer 客户: <strong>{customer}</strong><br>Date 日期: {date}<br>\
Valid until 有效期至: {valid}<br>Status 状态: {status}<br>Currency 币种: {cur}</p>\n",
        rev = q.revision,
        seller = seller_header(company),
        customer = escape(customer),
        valid = q.valid_until,
        status = status_words(q.status),
    )?;
    lines_table(&mut h, &q.lines)?;
    totals_table(
        &mut h,
        [q.subtotal, q.discount, q.net, q.tax, q.grand_total],
        q.currency,
    )?;
    if let Some(notes) = &q.notes {
        writeln!(h, "<p>{}</p>", escape(notes).replace('\n', "<br>"))?;
    }
    h.push_str(&bank_account(company));
    h.push_str("</body></html>\n");
    Ok(h)
}

/// The status in both languages, as the customer reads it.
fn status_words(status: QuoteStatus) -> &'static str {
    match status {
        QuoteStatus::Draft => "草稿 draft",
        QuoteStatus::Sent => "已发送 sent",
        QuoteStatus::Accepted => "已接受 accepted",
        QuoteStatus::Rejected => "已拒绝 rejected",
        QuoteStatus::Expired => "已过期 expired",
        QuoteStatus::Superseded => "已被新版本取代 superseded",
    }
}
