//! The history of key fields for people: the field's name in the reader's language, ids as
//! the names the client knows (users, stages, dealers), money in its currency, days and
//! statuses per locale. The server keeps the values as the record's JSON shows them; a field
//! or value this does not know shows as it came, so a new field never breaks the screen.

use std::collections::HashMap;

use chrono::NaiveDate;
use kedao_api_types::history::FieldChangeView;
use kedao_domain::Currency;
use kedao_domain::access::Resource;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::i18n::Lang;
use crate::money::format_money;

/// Names of the records history values point at, as far as the client could read them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names {
    pub users: HashMap<Uuid, String>,
    pub stages: HashMap<Uuid, String>,
    pub dealers: HashMap<Uuid, String>,
}

/// What a key field holds, which decides how its values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    User,
    Stage,
    Dealer,
    /// An amount in the currency held by the named field of the same record.
    Money(&'static str),
    Percent,
    Day,
    /// A value with a message under this namespace (`customer_type.key`).
    Choice(&'static str),
    YesNo,
    Text,
}

fn kind(resource: Resource, field: &str) -> Kind {
    match field {
        "owner_id" | "approved_by" => Kind::User,
        "stage_id" => Kind::Stage,
        "dealer_id" => Kind::Dealer,
        "credit_limit" => Kind::Money("credit_currency"),
        "amount" | "grand_total" | "discount" | "list_price" => Kind::Money("currency"),
        "probability" | "max_discount_percent" | "tax_rate_percent" => Kind::Percent,
        "expected_close_date" | "valid_until" => Kind::Day,
        "customer_type" => Kind::Choice("customer_type"),
        "credit_status" => Kind::Choice("credit_status"),
        "status" => match resource {
            Resource::Leads => Kind::Choice("lead_status"),
            Resource::Quotes => Kind::Choice("quote_status"),
            Resource::Orders => Kind::Choice("order_status"),
            _ => Kind::Text,
        },
        "active" => Kind::YesNo,
        _ => Kind::Text,
    }
}

/// The field's name for people: its message under `history_field.`, else the raw name.
pub fn field_label(lang: Lang, field: &str) -> String {
    lang.find(&format!("history_field.{field}"))
        .map_or_else(|| field.to_owned(), str::to_owned)
}

/// One side of a change (`value` as the server kept it; `None` is empty) for people.
/// `currency` is the currency of a money field (see [`currency_for`]).
pub fn show_value(
    lang: Lang,
    resource: Resource,
    field: &str,
    value: Option<&str>,
    names: &Names,
    currency: Option<Currency>,
) -> String {
    let Some(raw) = value else {
        return "—".to_owned();
    };
    let named = |map: &HashMap<Uuid, String>| {
        Uuid::parse_str(raw)
            .ok()
            .and_then(|id| map.get(&id).cloned())
    };
    let shown = match kind(resource, field) {
        Kind::User => named(&names.users),
        Kind::Stage => named(&names.stages),
        Kind::Dealer => named(&names.dealers),
        Kind::Money(_) => raw.parse::<Decimal>().ok().map(|amount| match currency {
            Some(c) => format_money(amount, c),
            None => amount.normalize().to_string(),
        }),
        Kind::Percent => raw.parse::<Decimal>().ok().map(|p| format!("{p}%")),
        Kind::Day => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .ok()
            .map(|d| crate::dates::format_date(lang, d)),
        Kind::Choice(ns) => lang.find(&format!("{ns}.{raw}")).map(str::to_owned),
        Kind::YesNo => match raw {
            "true" => Some(lang.t("history.yes").to_owned()),
            "false" => Some(lang.t("history.no").to_owned()),
            _ => None,
        },
        Kind::Text => None,
    };
    shown.unwrap_or_else(|| raw.to_owned())
}

/// The currency of a money change's `old` or new side: the currency the same save changed
/// it to or from (changes of one save share their moment), else the record's `current` one.
pub fn currency_for(
    resource: Resource,
    change: &FieldChangeView,
    page: &[FieldChangeView],
    old: bool,
    current: Option<Currency>,
) -> Option<Currency> {
    let Kind::Money(currency_field) = kind(resource, &change.field) else {
        return None;
    };
    let same_save = page
        .iter()
        .find(|c| c.at == change.at && c.field == currency_field);
    match same_save {
        Some(c) => {
            let side = if old { &c.old_value } else { &c.new_value };
            side.as_deref().and_then(|code| code.parse().ok())
        }
        None => current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn names() -> Names {
        let mut n = Names::default();
        n.users.insert(Uuid::from_u128(1), "王经理".into());
        n.stages.insert(Uuid::from_u128(2), "Negotiation".into());
        n.dealers.insert(Uuid::from_u128(3), "华东经销".into());
        n
    }

    fn show(resource: Resource, field: &str, value: &str, currency: Option<Currency>) -> String {
        show_value(Lang::En, resource, field, Some(value), &names(), currency)
    }

    #[test]
    fn key_fields_have_labels_in_both_languages_and_unknown_ones_stay_raw() {
        assert_eq!(field_label(Lang::En, "owner_id"), "Owner");
        assert_eq!(field_label(Lang::ZhCn, "owner_id"), "负责人");
        assert_eq!(field_label(Lang::ZhCn, "credit_limit"), "信用额度");
        assert_eq!(field_label(Lang::En, "shoe_size"), "shoe_size");
    }

    #[test]
    fn ids_read_as_names_and_unknown_ids_stay_raw() {
        let user = Uuid::from_u128(1).to_string();
        assert_eq!(show(Resource::Accounts, "owner_id", &user, None), "王经理");
        let stage = Uuid::from_u128(2).to_string();
        assert_eq!(
            show(Resource::Opportunities, "stage_id", &stage, None),
            "Negotiation"
        );
        let dealer = Uuid::from_u128(3).to_string();
        assert_eq!(
            show(Resource::Accounts, "dealer_id", &dealer, None),
            "华东经销"
        );
        let stranger = Uuid::from_u128(9).to_string();
        assert_eq!(
            show(Resource::Accounts, "owner_id", &stranger, None),
            stranger
        );
    }

    #[test]
    fn money_days_percent_and_choices_per_locale() {
        assert_eq!(
            show(
                Resource::Accounts,
                "credit_limit",
                "500000.00",
                Some(Currency::Cny)
            ),
            "¥500,000.00"
        );
        assert_eq!(
            show(Resource::Accounts, "credit_limit", "500000.00", None),
            "500000"
        );
        assert_eq!(
            show(Resource::Opportunities, "probability", "40", None),
            "40%"
        );
        let day = |lang| {
            show_value(
                lang,
                Resource::Opportunities,
                "expected_close_date",
                Some("2026-12-05"),
                &names(),
                None,
            )
        };
        assert_eq!(day(Lang::En), "5 Dec 2026");
        assert_eq!(day(Lang::ZhCn), "2026年12月5日");
        assert_eq!(
            show(Resource::Accounts, "customer_type", "key", None),
            "Key account"
        );
        assert_eq!(
            show(Resource::Leads, "status", "qualified", None),
            "Qualified"
        );
        assert_eq!(show(Resource::Orders, "status", "shipped", None), "Shipped");
        assert_eq!(show(Resource::Products, "active", "false", None), "No");
        assert_eq!(
            show(Resource::Accounts, "name", "云杉科技", None),
            "云杉科技"
        );
        assert_eq!(
            show_value(Lang::En, Resource::Accounts, "name", None, &names(), None),
            "—"
        );
    }

    #[test]
    fn a_money_change_uses_the_currency_of_its_own_save() {
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
        let change = |field: &str, old: &str, new: &str, at| FieldChangeView {
            id: Uuid::from_u128(7),
            field: field.into(),
            old_value: Some(old.into()),
            new_value: Some(new.into()),
            actor_id: None,
            token_id: None,
            at,
        };
        let limit = change("credit_limit", "100", "200", at);
        let page = vec![limit.clone(), change("credit_currency", "USD", "EUR", at)];
        let of = |old| currency_for(Resource::Accounts, &limit, &page, old, Some(Currency::Cny));
        assert_eq!(of(true), Some(Currency::Usd));
        assert_eq!(of(false), Some(Currency::Eur));
        let later = change(
            "credit_limit",
            "200",
            "300",
            at + chrono::Duration::hours(1),
        );
        assert_eq!(
            currency_for(
                Resource::Accounts,
                &later,
                &page,
                false,
                Some(Currency::Cny)
            ),
            Some(Currency::Cny)
        );
        let name = change("name", "a", "b", at);
        assert_eq!(
            currency_for(Resource::Accounts, &name, &page, false, Some(Currency::Cny)),
            None
        );
    }
}
