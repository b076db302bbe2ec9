//! Every word the app shows, in 简体中文 and English. Screens name a message by its key
//! (`leads.title`); the catalogues in `zh_cn` and `en` must hold the same keys (tested).

mod en;
mod zh_cn;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    ZhCn,
    En,
}

const LANG_KEY: &str = "kedao.lang";

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::ZhCn => "简体中文",
            Lang::En => "English",
        }
    }

    /// Chinese for any `zh` tag, English otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.trim().to_ascii_lowercase().starts_with("zh") {
            Lang::ZhCn
        } else {
            Lang::En
        }
    }

    fn messages(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::ZhCn => zh_cn::MESSAGES,
            Lang::En => en::MESSAGES,
        }
    }

    /// The message for `key`, if the catalogue has one (for keys made from data).
    pub fn find(self, key: &str) -> Option<&'static str> {
        self.messages()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, text)| *text)
    }

    /// The message for `key`; the key itself if the catalogue lacks it (a test keeps that
    /// from happening), so a gap shows instead of breaking the screen.
    pub fn t(self, key: &str) -> &'static str {
        self.find(key).unwrap_or_else(|| missing(key))
    }
}

fn missing(key: &str) -> &'static str {
    // Leaked once per distinct missing key; only a catalogue bug gets here.
    Box::leak(key.to_owned().into_boxed_str())
}

/// The language chosen before (on this browser), else the browser's own.
pub fn initial_lang() -> Lang {
    let window = web_sys::window();
    let stored = window
        .as_ref()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten());
    let browser = window.and_then(|w| w.navigator().language());
    Lang::from_tag(stored.or(browser).as_deref().unwrap_or("zh-CN"))
}

pub fn remember_lang(lang: Lang) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(LANG_KEY, lang.tag());
    }
}

/// `<html lang>`, for screen readers and fonts.
pub fn set_document_lang(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.tag());
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::charts::AGING_BUCKETS;
    use crate::problem::{ApiFailure, field_code_key};
    use kedao_api_types::accounts::{CustomerType, LinkKind};
    use kedao_api_types::activities::ActivityKind;
    use kedao_api_types::orders::{CreditStatus, OrderStatus};
    use kedao_api_types::quotes::QuoteStatus;
    use kedao_api_types::receivables::PaymentMethod;
    use kedao_domain::access::Role;
    use kedao_domain::lead::{LeadSource, LeadStatus};
    use kedao_domain::pipeline::StageKind;

    fn keys(lang: Lang) -> BTreeSet<&'static str> {
        lang.messages().iter().map(|(k, _)| *k).collect()
    }

    #[test]
    fn both_languages_have_the_same_keys_once_each_and_no_blank_text() {
        for lang in Lang::ALL {
            assert_eq!(
                keys(lang).len(),
                lang.messages().len(),
                "duplicate key in {lang:?}"
            );
            for (key, text) in lang.messages() {
                assert!(!text.trim().is_empty(), "{key} is blank in {lang:?}");
            }
        }
        let zh = keys(Lang::ZhCn);
        let en = keys(Lang::En);
        assert_eq!(
            zh.difference(&en).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "only in zh-CN"
        );
        assert_eq!(
            en.difference(&zh).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "only in en"
        );
    }

    /// Every key-shaped string literal in the app's source (in a namespace the catalogue
    /// uses) must be a key, so a typo cannot reach the screen.
    #[test]
    fn every_key_the_source_names_exists() {
        let known = keys(Lang::En);
        let namespaces: BTreeSet<&str> = known
            .iter()
            .filter_map(|k| k.split_once('.'))
            .map(|(ns, _)| ns)
            .collect();
        let mut unknown = Vec::new();
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        for file in rust_files(&src) {
            if file.components().any(|c| c.as_os_str() == "i18n") {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            for literal in text.split('"').skip(1).step_by(2) {
                let Some((ns, rest)) = literal.split_once('.') else {
                    continue;
                };
                let key_shaped = !rest.is_empty()
                    && literal.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                    });
                if key_shaped && namespaces.contains(ns) && !known.contains(literal) {
                    unknown.push(format!("{}: {literal}", file.display()));
                }
            }
        }
        assert!(
            unknown.is_empty(),
            "keys missing from the catalogue: {unknown:#?}"
        );
    }

    #[test]
    fn keys_made_at_run_time_exist() {
        let known = keys(Lang::En);
        let mut made: Vec<String> = Vec::new();
        made.extend(
            LeadStatus::ALL
                .iter()
                .map(|s| format!("lead_status.{}", s.as_str())),
        );
        made.extend(
            LeadSource::ALL
                .iter()
                .map(|s| format!("lead_source.{}", s.as_str())),
        );
        made.extend(
            PaymentMethod::ALL
                .iter()
                .map(|m| format!("payment_method.{}", m.as_str())),
        );
        made.extend(AGING_BUCKETS.iter().map(|k| (*k).to_owned()));
        made.extend(
            CustomerType::ALL
                .iter()
                .map(|c| format!("customer_type.{}", c.as_str())),
        );
        made.extend(
            LinkKind::ALL
                .iter()
                .map(|k| format!("link_kind.{}", k.as_str())),
        );
        for status in OrderStatus::ALL {
            made.push(format!("order_status.{}", status.as_str()));
            made.push(format!("order_step.{}", status.as_str()));
        }
        for credit in [
            CreditStatus::Clear,
            CreditStatus::OnHold,
            CreditStatus::Released,
        ] {
            made.push(format!("credit_status.{}", credit.as_str()));
        }
        for reason in [
            kedao_domain::credit::HoldReason::OverLimit,
            kedao_domain::credit::HoldReason::Overdue,
        ] {
            made.push(format!("hold_reason.{}", reason.as_str()));
        }
        for kind in [StageKind::Open, StageKind::Won, StageKind::Lost] {
            made.push(format!("stage_kind.{}", kind.as_str()));
        }
        for status in [
            QuoteStatus::Draft,
            QuoteStatus::Sent,
            QuoteStatus::Accepted,
            QuoteStatus::Rejected,
            QuoteStatus::Expired,
            QuoteStatus::Superseded,
        ] {
            made.push(format!("quote_status.{}", status.as_str()));
        }
        made.extend(Role::ALL.iter().map(|r| format!("role.{}", r.as_str())));
        for kind in kedao_api_types::notifications::NotificationKind::ALL {
            for part in ["title", "summary"] {
                made.push(format!("notification.{}.{part}", kind.as_str()));
            }
        }
        made.extend(
            ActivityKind::ALL
                .iter()
                .map(|k| format!("activity_kind.{}", k.as_str())),
        );
        for code in [
            "required",
            "too-long",
            "out-of-range",
            "too-precise",
            "not-a-number",
        ] {
            made.push(field_code_key(code).unwrap().to_owned());
        }
        for failure in [
            ApiFailure::Network,
            ApiFailure::SignedOut,
            ApiFailure::Unexpected(500),
        ] {
            made.push(failure.message_key().to_owned());
        }
        // Every key field the server keeps history of (store/history.rs `key_fields`).
        for field in [
            "name",
            "owner_id",
            "dealer_id",
            "customer_type",
            "credit_limit",
            "credit_currency",
            "status",
            "disqualify_reason",
            "stage_id",
            "amount",
            "currency",
            "probability",
            "expected_close_date",
            "lost_reason",
            "valid_until",
            "grand_total",
            "discount",
            "max_discount_percent",
            "approved_by",
            "credit_status",
            "sku",
            "list_price",
            "tax_rate_percent",
            "active",
            "code",
            "region",
        ] {
            made.push(format!("history_field.{field}"));
        }
        for key in made {
            assert!(known.contains(key.as_str()), "{key}");
        }
    }

    #[test]
    fn browser_tags_choose_the_language() {
        assert_eq!(Lang::from_tag("zh-CN"), Lang::ZhCn);
        assert_eq!(Lang::from_tag("zh-TW"), Lang::ZhCn);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("de"), Lang::En);
        assert_eq!(Lang::ZhCn.t("nav.leads"), "销售线索");
        assert_eq!(Lang::En.t("nav.leads"), "Leads");
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        out
    }
}
