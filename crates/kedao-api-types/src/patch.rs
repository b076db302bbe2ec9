//! Partial updates: a field left out is unchanged, `null` clears it, a value sets it.

use serde::{Deserialize, Deserializer};

/// Deserializes a present field (value or `null`) as `Some(..)`; with `#[serde(default)]` an
/// absent field stays `None`.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use std::fmt::Debug;

    use serde::Serialize;
    use serde::de::DeserializeOwned;

    use crate::accounts::AccountUpdate;
    use crate::activities::ActivityUpdate;
    use crate::contacts::ContactUpdate;
    use crate::dealers::DealerUpdate;
    use crate::leads::LeadUpdate;
    use crate::opportunities::OpportunityUpdate;
    use crate::pipelines::StageUpdate;
    use crate::products::ProductUpdate;
    use crate::quotes::QuoteUpdate;
    use crate::users::UserUpdate;

    /// A change that sets nothing, sent by a Rust client (the browser app), reads back as a
    /// change that sets nothing: a field left unset is left out, not sent as `null`, which
    /// would clear it.
    fn sends_nothing_it_was_not_given<T>()
    where
        T: Default + Serialize + DeserializeOwned + Debug,
    {
        let sent = serde_json::to_value(T::default()).unwrap();
        let read: T = serde_json::from_value(sent.clone()).unwrap();
        assert_eq!(format!("{read:?}"), format!("{:?}", T::default()), "{sent}");
    }

    #[test]
    fn an_unset_field_is_not_a_cleared_one() {
        sends_nothing_it_was_not_given::<AccountUpdate>();
        sends_nothing_it_was_not_given::<ActivityUpdate>();
        sends_nothing_it_was_not_given::<ContactUpdate>();
        sends_nothing_it_was_not_given::<DealerUpdate>();
        sends_nothing_it_was_not_given::<LeadUpdate>();
        sends_nothing_it_was_not_given::<OpportunityUpdate>();
        sends_nothing_it_was_not_given::<StageUpdate>();
        sends_nothing_it_was_not_given::<ProductUpdate>();
        sends_nothing_it_was_not_given::<QuoteUpdate>();
        sends_nothing_it_was_not_given::<UserUpdate>();
    }

    #[test]
    fn a_cleared_field_is_sent_as_null() {
        let clear = ProductUpdate {
            cost: Some(None),
            active: Some(false),
            ..ProductUpdate::default()
        };
        let sent = serde_json::to_value(&clear).unwrap();
        assert_eq!(sent["cost"], serde_json::Value::Null);
        assert!(sent.as_object().unwrap().contains_key("cost"));
        assert!(!sent.as_object().unwrap().contains_key("name_en"));
        let read: ProductUpdate = serde_json::from_value(sent).unwrap();
        assert_eq!(read.cost, Some(None));
        assert_eq!(read.name_en, None);
    }
}
