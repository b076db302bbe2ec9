//! A notification in the reader's language: the catalogue's wording for its kind
//! (`notification.<kind>.title` / `.summary`, with `{name}` placeholders) filled with the values
//! the server sent along (`params`). A notification without them, or a wording that names a
//! value it lacks, shows the server's own (English) title and summary.

use std::collections::BTreeMap;

use kedao_api_types::notifications::NotificationView;

use crate::i18n::Lang;

/// `template` with each `{name}` replaced by its value; `None` if a value is missing.
pub fn fill(template: &str, params: &BTreeMap<String, String>) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        out.push_str(params.get(&after[..close])?);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The title and summary to show.
pub fn wording(lang: Lang, n: &NotificationView) -> (String, String) {
    let worded = |part: &str| {
        lang.find(&format!("notification.{}.{part}", n.kind.as_str()))
            .and_then(|template| fill(template, &n.params))
    };
    match (n.params.is_empty(), worded("title"), worded("summary")) {
        (false, Some(title), Some(summary)) => (title, summary),
        _ => (n.title.clone(), n.summary.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn placeholders_take_their_values() {
        let p = params(&[("seq", "2"), ("due", "2026-12-01")]);
        assert_eq!(
            fill("第 {seq} 期款 {due} 到期", &p).as_deref(),
            Some("第 2 期款 2026-12-01 到期")
        );
        assert_eq!(fill("no values", &p).as_deref(), Some("no values"));
        assert_eq!(fill("{missing}", &p), None);
        assert_eq!(fill("{unclosed", &p), None);
    }

    fn notification(kind: &str, params: serde_json::Value) -> NotificationView {
        serde_json::from_value(serde_json::json!({
            "id": uuid::Uuid::nil(), "kind": kind, "title": "Server title",
            "summary": "Server summary", "record_type": null, "record_id": null,
            "created_at": "2026-11-24T10:00:00Z", "read_at": null, "params": params
        }))
        .unwrap()
    }

    #[test]
    fn the_readers_language_words_it_and_the_server_wording_is_the_fallback() {
        let n = notification("birthday", serde_json::json!({"name": "王寿星"}));
        let (title, summary) = wording(Lang::ZhCn, &n);
        assert!(
            title.contains("王寿星") && title.contains("生日"),
            "{title}"
        );
        assert!(summary.contains("王寿星"), "{summary}");
        // Sent without values (an older notification): the server's words.
        let old = notification("birthday", serde_json::json!({}));
        assert_eq!(
            wording(Lang::ZhCn, &old),
            ("Server title".to_owned(), "Server summary".to_owned())
        );
        // A wording naming a value the notification lacks: the server's words too.
        let partial = notification("task_due", serde_json::json!({"subject": "回访"}));
        assert_eq!(wording(Lang::En, &partial).0, "Server title");
    }
}
