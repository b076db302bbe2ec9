//! The printable order confirmation (订单确认书): one self-contained HTML page the customer or
//! the dealer can be sent or print to PDF — the order as sold, its status, and when each
//! installment of its payment plan falls due. Every user-supplied string is escaped; the
//! figures are the stored ones, never recomputed.

use chrono::NaiveDate;
use std::fmt::Write;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use kedao_api_types::orders::{CreditStatus, OrderStatus, OrderView};
use kedao_api_types::receivables::InstallmentView;

use crate::auth::Principal;
use crate::error::ApiError;
use crate::settings::CompanyProfile;
use crate::store::print::{
    STYLE, amount, bank_account, customer_name, escape, lines_table, render_failed, seller_header,
    totals_table,
};
use crate::store::{orders, receivables};

/// The order as an HTML page.
pub async fn document<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    id: Uuid,
    company: &CompanyProfile,
) -> Result<String, ApiError> {
    let order = orders::get(db, principal, id).await?;
    let plan = receivables::plan(db, principal, id).await?;
    let customer = customer_name(db, order.account_id).await?;
    render(
        &order,
        &plan.installments,
        &customer,
        principal.date_of(order.created_at),
        company,
    )
    .map_err(render_failed)
}

/// Renders an order; separate from the reads so it can be tested alone.
pub fn render(
    o: &OrderView,
    installments: &[InstallmentView],
    customer: &str,
    date: NaiveDate,
    company: &CompanyProfile,
) -> Result<String, std::fmt::Error> {
    let mut h = String::with_capacity(4096);
    let number = escape(&o.number);
    let cur = o.currency.code();
    write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
<title>{number}</title><style>{STYLE}</style></head><body>\n{seller}\
<h2>订单确认书 Order confirmation {number}</h2>\n\
<p>Customer 客户: <strong>{customer}</strong><br>Date 日期: {date}<br>\
Status 状态: {status}<br>Currency 币种: {cur}</p>\n",
        seller = seller_header(company),
        customer = escape(customer),
        status = status_words(o.status),
    )?;
    if o.credit_status == CreditStatus::OnHold {
        h.push_str("<p class=\"words\">信用审核中，放行后安排发货 On credit review: fulfilment starts once it is released.</p>\n");
    }
    lines_table(&mut h, &o.lines)?;
    totals_table(
        &mut h,
        [o.subtotal, o.discount, o.net, o.tax, o.grand_total],
        o.currency,
    )?;
    if !installments.is_empty() {
        h.push_str(
            "<h3>付款计划 Payment plan</h3>\n<table><thead><tr><th>#</th><th>Due 到期日</th>\
<th>Amount 金额</th><th>Paid 已付</th><th>Outstanding 未付</th></tr></thead><tbody>\n",
        );
        for i in installments {
            writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{} {cur}</td><td class=\"n\">{} {cur}</td>\
<td class=\"n\">{} {cur}</td></tr>",
                i.seq,
                i.due_date,
                amount(i.amount),
                amount(i.paid),
                amount(i.outstanding)
            )?;
        }
        h.push_str("</tbody></table>\n");
    }
    if let Some(notes) = &o.notes {
        writeln!(h, "<p>{}</p>", escape(notes).replace('\n', "<br>"))?;
    }
    h.push_str(&bank_account(company));
    h.push_str("</body></html>\n");
    Ok(h)
}

/// The status in both languages, as the customer reads it.
fn status_words(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::Confirmed => "已确认 confirmed",
        OrderStatus::InFulfilment => "备货中 in fulfilment",
        OrderStatus::Shipped => "已发货 shipped",
        OrderStatus::Delivered => "已送达 delivered",
        OrderStatus::Completed => "已完成 completed",
        OrderStatus::Cancelled => "已取消 cancelled",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(credit_status: &str) -> OrderView {
        serde_json::from_value(serde_json::json!({
            "id": Uuid::nil(), "dealer_id": null, "number": "O-2026-000042", "quote_id": null,
            "opportunity_id": null, "account_id": Uuid::nil(), "owner_id": Uuid::nil(),
            "status": "confirmed", "currency": "USD", "lines": [], "subtotal": "100.00",
            "discount": "0.00", "net": "100.00", "tax": "0.00", "grand_total": "1000.00",
            "notes": null, "credit_status": credit_status, "credit_hold_reasons": [],
            "credit_released_by": null, "credit_released_at": null, "created_by": Uuid::nil(),
            "created_at": "2026-12-01T00:00:00Z", "updated_at": "2026-12-01T00:00:00Z",
            "version": 1
        }))
        .unwrap()
    }

    fn print(o: &OrderView) -> String {
        let date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        render(o, &[], "ACME", date, &CompanyProfile::default()).unwrap()
    }

    #[test]
    fn a_held_order_says_so_and_a_plan_prints_only_when_there_is_one() {
        let held = print(&order("on_hold"));
        assert!(held.contains("信用审核中"), "{held}");
        let clear = print(&order("clear"));
        assert!(!clear.contains("信用审核中"));
        assert!(
            !clear.contains("Payment plan"),
            "no installments, no plan table"
        );
        assert!(clear.contains("1,000.00 USD"));
        assert!(
            !clear.contains("人民币"),
            "only renminbi totals are written in words"
        );
    }
}
