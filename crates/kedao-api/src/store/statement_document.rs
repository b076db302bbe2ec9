//! The printable statement of account (对账单): one self-contained HTML page to send to the
//! customer or print to PDF. Every user-supplied string is escaped; the figures are the JSON
//! statement's, never recomputed here.

use std::fmt::Write;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use kedao_api_types::statements::{
    StatementLine, StatementLineKind, StatementQuery, StatementSection, StatementView,
};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::settings::CompanyProfile;
use crate::store::print::{
    STYLE, amount, bank_account, escape, in_words, render_failed, seller_header,
};
use crate::store::statements::statement_of;

/// The statement as an HTML page.
pub async fn document<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    account_id: Uuid,
    query: StatementQuery,
    company: &CompanyProfile,
) -> Result<String, ApiError> {
    let view = statement_of(db, principal, account_id, query).await?;
    render(&view, company).map_err(render_failed)
}

/// Renders a statement; separate from the reads so it can be tested alone.
pub fn render(s: &StatementView, company: &CompanyProfile) -> Result<String, std::fmt::Error> {
    let mut h = String::with_capacity(4096);
    let name = escape(&s.account_name);
    write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<title>对账单 Statement — {name}</title><style>{STYLE}</style></head><body>\n{seller}\
<h2>对账单 Statement of account</h2>\n\
<p>Customer 客户: <strong>{name}</strong><br>Period 期间: {from} – {to}<br>\
Date 日期: {today}</p>\n\
<p><small>余额 = 借方 − 贷方:正数为客户应付,负数为客户预付余额。\
Balance = debits − credits: positive is owed by the customer, negative is the customer's \
credit.</small></p>\n",
        seller = seller_header(company),
        from = s.from,
        to = s.to,
        today = s.generated_on,
    )?;
    if s.sections.is_empty() {
        h.push_str("<p>本期无往来 No entries up to the end of the period.</p>\n");
    }
    for section in &s.sections {
        render_section(&mut h, section)?;
    }
    h.push_str(&bank_account(company));
    h.push_str("</body></html>\n");
    Ok(h)
}

fn render_section(h: &mut String, s: &StatementSection) -> Result<(), std::fmt::Error> {
    let cur = s.currency.code();
    write!(
        h,
        "<h3>{cur}</h3>\n<table><thead><tr><th>Date 日期</th><th>Description 摘要</th>\
<th>Debit 借方</th><th>Credit 贷方</th><th>Balance 余额</th></tr></thead><tbody>\n\
<tr><td></td><td>Opening balance 期初余额</td><td></td><td></td>\
<td class=\"n\">{}</td></tr>\n",
        amount(s.opening_balance)
    )?;
    for l in &s.lines {
        writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
<td class=\"n\">{}</td></tr>",
            l.date,
            description(l),
            amount(l.debit),
            amount(l.credit),
            amount(l.balance)
        )?;
    }
    write!(
        h,
        "</tbody><tfoot>\n<tr><th></th><th>Period totals 本期合计</th><td class=\"n\">{debits}</td>\
<td class=\"n\">{credits}</td><td></td></tr>\n<tr><th></th><th>Closing balance 期末余额</th>\
<td></td><td></td><td class=\"n\"><strong>{closing} {cur}</strong></td></tr>\n</tfoot></table>\n",
        debits = amount(s.total_debits),
        credits = amount(s.total_credits),
        closing = amount(s.closing_balance),
    )?;
    if let Some(words) = in_words(s.closing_balance, s.currency) {
        writeln!(
            h,
            "<p class=\"words\">Closing balance in words 期末余额（大写）: {words}</p>"
        )?;
    }
    writeln!(
        h,
        "<p>Unapplied credit now 当前未核销预收款: {} {cur}</p>",
        amount(s.unapplied_credit)
    )
}

/// What a line is, in both languages, with its escaped order number or payment reference.
fn description(l: &StatementLine) -> String {
    let number = escape(l.order_number.as_deref().unwrap_or(""));
    let paid = || {
        let method = l.payment_method.map_or("", |m| m.as_str());
        match l.payment_reference.as_deref() {
            Some(r) => format!("{method} · {}", escape(r)),
            None => method.to_owned(),
        }
    };
    match l.kind {
        StatementLineKind::Order => format!("订单 Order {number}"),
        StatementLineKind::OrderCancelled => format!("订单取消 Order cancelled {number}"),
        StatementLineKind::Payment => format!("回款 Payment {}", paid()),
        StatementLineKind::PaymentVoided => format!("回款作废 Payment voided {}", paid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use kedao_api_types::receivables::PaymentMethod;
    use kedao_domain::Currency;
    use rust_decimal::Decimal;

    #[test]
    fn user_text_is_escaped_and_figures_shown() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        let line = StatementLine {
            date: d,
            kind: StatementLineKind::Payment,
            order_id: None,
            order_number: None,
            payment_id: None,
            payment_method: Some(PaymentMethod::Cash),
            payment_reference: Some("<img src=x>".into()),
            debit: Decimal::new(0, 2),
            credit: Decimal::new(1000, 2),
            balance: Decimal::new(-1000, 2),
        };
        let view = StatementView {
            account_id: Uuid::nil(),
            account_name: "<script>alert(1)</script>".into(),
            from: d,
            to: d,
            generated_on: d,
            sections: vec![StatementSection {
                currency: Currency::Cny,
                opening_balance: Decimal::new(0, 2),
                lines: vec![line],
                total_debits: Decimal::new(0, 2),
                total_credits: Decimal::new(1000, 2),
                closing_balance: Decimal::new(-1000, 2),
                unapplied_credit: Decimal::new(1000, 2),
            }],
        };
        let company = CompanyProfile {
            bank_account: Some("<银行> 001".into()),
            ..CompanyProfile::default()
        };
        let html = render(&view, &company).unwrap_or_default();
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;img src=x&gt;"));
        assert!(!html.contains("<script>") && !html.contains("<img"));
        assert!(html.contains("-10.00 CNY"));
        assert!(
            html.contains("人民币负壹拾元整"),
            "the closing balance in words"
        );
        assert!(html.contains("开户行及账号: &lt;银行&gt; 001"));
    }
}
