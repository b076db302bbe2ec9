//! What the printable documents (the quote, the order confirmation, the statement of account)
//! share: escaping, the seller's header, amounts with thousands separators, the priced lines
//! and their totals, and a total in Chinese capitals.

use std::fmt::Write;

use rust_decimal::Decimal;

use kedao_api_types::quotes::QuoteLineView;
use kedao_domain::Currency;
use kedao_domain::chinese_amount::in_capitals;
use kedao_domain::money::group_digits;

use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use crate::error::ApiError;
use crate::settings::CompanyProfile;
use crate::store::entities::accounts;

/// The style both documents print with: A4, and nothing cut at a page break inside a row.
pub const STYLE: &str = "body{font-family:sans-serif;margin:2em}\
table{border-collapse:collapse;width:100%;margin-bottom:1.5em}\
td,th{border:1px solid #ccc;padding:4px 8px}tr{page-break-inside:avoid}\
.n{text-align:right;white-space:nowrap}.seller{border-bottom:2px solid #333;padding-bottom:.5em;margin-bottom:1em}\
.seller h1{margin:0 0 .2em}.seller p{margin:0;color:#333}\
table.totals{width:auto;margin-left:auto}.words{font-weight:bold}\
@page{size:A4;margin:15mm}@media print{body{margin:0}}";

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

/// The seller's block at the head of a document: its name, then each detail it has.
pub fn seller_header(company: &CompanyProfile) -> String {
    let mut h = format!(
        "<header class=\"seller\"><h1>{}</h1>",
        escape(&company.name)
    );
    for (label, value) in [
        ("Address 地址", &company.address),
        ("Phone 电话", &company.phone),
        ("Tax ID 纳税人识别号", &company.tax_id),
    ] {
        if let Some(v) = value {
            // Writing to a String cannot fail.
            let _ = write!(h, "<p>{label}: {}</p>", escape(v));
        }
    }
    h.push_str("</header>\n");
    h
}

/// Where the customer pays, when the seller has said: a paragraph, or nothing.
pub fn bank_account(company: &CompanyProfile) -> String {
    company
        .bank_account
        .as_deref()
        .map_or_else(String::new, |b| {
            format!("<p>Bank account 开户行及账号: {}</p>\n", escape(b))
        })
}

/// An amount as documents print it: thousands separated, its decimals as stored
/// (1234567.5 → 1,234,567.50 when stored with two places).
pub fn amount(value: Decimal) -> String {
    let sign = if value.is_sign_negative() && !value.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}", group_digits(value, value.scale()))
}

/// A total written in Chinese capitals (人民币大写), as Chinese business documents print
/// it beside the figures: only for renminbi, whose 元角分 the words name.
pub fn in_words(value: Decimal, currency: Currency) -> Option<String> {
    match currency {
        Currency::Cny => in_capitals(value).map(|w| format!("人民币{w}")),
        _ => None,
    }
}

/// The customer's name for the head of a quote or an order: seeing the record is enough to
/// print its customer's name on it (empty if the account is gone).
pub async fn customer_name<C: ConnectionTrait>(
    db: &C,
    account_id: Uuid,
) -> Result<String, ApiError> {
    Ok(accounts::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .map(|a| a.name)
        .unwrap_or_default())
}

/// A document that failed to render (writing to a string cannot fail, so this is a bug).
pub fn render_failed(e: std::fmt::Error) -> ApiError {
    ApiError::Internal(anyhow::Error::new(e))
}

/// The priced lines of a quote or an order, as sold: one table row each.
pub fn lines_table(h: &mut String, lines: &[QuoteLineView]) -> std::fmt::Result {
    h.push_str(
        "<table><thead><tr><th>#</th><th>Description 描述</th><th>Quantity 数量</th>\
<th>Unit price 单价</th><th>Discount 折扣 %</th><th>Tax 税率 %</th><th>Total 合计</th></tr>\
</thead><tbody>\n",
    );
    for (i, l) in lines.iter().enumerate() {
        writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            i + 1,
            escape(&l.description),
            l.quantity,
            amount(l.unit_price),
            l.discount_percent,
            l.tax_rate_percent,
            amount(l.total)
        )?;
    }
    h.push_str("</tbody></table>\n");
    Ok(())
}

/// The stored totals of a quote or an order (subtotal, discount, net, tax, grand total), then
/// the grand total in words where the currency has them.
pub fn totals_table(
    h: &mut String,
    [subtotal, discount, net, tax, grand_total]: [Decimal; 5],
    currency: Currency,
) -> std::fmt::Result {
    h.push_str("<table class=\"totals\">\n");
    for (label, value) in [
        ("Subtotal 小计", subtotal),
        ("Discount 折扣", discount),
        ("Net 净额", net),
        ("Tax 税额", tax),
        ("Grand total 总计", grand_total),
    ] {
        writeln!(
            h,
            "<tr><th>{label}</th><td class=\"n\">{} {}</td></tr>",
            amount(value),
            currency.code()
        )?;
    }
    h.push_str("</table>\n");
    if let Some(words) = in_words(grand_total, currency) {
        writeln!(
            h,
            "<p class=\"words\">Grand total in words 合计金额（大写）: {words}</p>"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape("<b>\"A&B\"</b> 'x'"),
            "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt; &#39;x&#39;"
        );
    }

    #[test]
    fn amounts_are_grouped_by_thousands() {
        for (value, printed) in [
            (Decimal::new(0, 2), "0.00"),
            (Decimal::new(99900, 2), "999.00"),
            (Decimal::new(100000, 2), "1,000.00"),
            (Decimal::new(123456750, 2), "1,234,567.50"),
            (Decimal::new(-2037440, 1), "-203,744.0"),
            (Decimal::new(100000000, 0), "100,000,000"),
        ] {
            assert_eq!(amount(value), printed);
        }
    }

    #[test]
    fn only_renminbi_totals_are_written_in_words() {
        assert_eq!(
            in_words(Decimal::new(20374400, 2), Currency::Cny).as_deref(),
            Some("人民币贰拾万叁仟柒佰肆拾肆元整")
        );
        assert_eq!(in_words(Decimal::new(100, 0), Currency::Usd), None);
    }

    #[test]
    fn the_header_prints_only_what_the_seller_has() {
        let bare = seller_header(&CompanyProfile {
            name: "A & B".into(),
            ..CompanyProfile::default()
        });
        assert!(
            bare.contains("<h1>A &amp; B</h1>") && !bare.contains("<p>"),
            "{bare}"
        );
        let full = seller_header(&CompanyProfile {
            address: Some("<x>".into()),
            tax_id: Some("9131".into()),
            ..CompanyProfile::default()
        });
        assert!(full.contains("地址: &lt;x&gt;") && full.contains("纳税人识别号: 9131"));
        assert!(!full.contains("电话"), "{full}");
    }
}
