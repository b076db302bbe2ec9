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
