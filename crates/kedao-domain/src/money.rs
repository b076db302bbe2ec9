//! Exact money: a decimal amount with its currency, never a float.
//!
//! Storage uses a fixed scale of 4 decimal places as a 64-bit integer so that both SQLite
//! and PostgreSQL store and add amounts exactly with the same schema. Amounts given by users
//! may not have more decimal places than their currency's minor unit (two for CNY, none for
//! JPY), so nothing is ever silently rounded on the way in.
//!
//! Rounding rule (the one rule for every derived figure): round half away from zero to the
//! currency's minor unit (四舍五入), applied once to each figure that is shown or stored.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Decimal places kept in storage.
pub const STORAGE_SCALE: u32 = 4;

/// The largest absolute amount accepted: one trillion units. Far above any single deal, and
/// small enough that sums of millions of rows stay inside an `i64` at storage scale.
pub fn max_amount() -> Decimal {
    Decimal::from(1_000_000_000_000_i64)
}

/// ISO 4217 currencies the CRM accepts. CNY is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    #[serde(rename = "CNY")]
    Cny,
    #[serde(rename = "USD")]
    Usd,
    #[serde(rename = "EUR")]
    Eur,
    #[serde(rename = "HKD")]
    Hkd,
    #[serde(rename = "JPY")]
    Jpy,
    #[serde(rename = "GBP")]
    Gbp,
}

impl Currency {
    /// Every supported currency, in display order.
    pub const ALL: [Currency; 6] = [
        Currency::Cny,
        Currency::Usd,
        Currency::Eur,
        Currency::Hkd,
        Currency::Jpy,
        Currency::Gbp,
    ];

    /// The ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Hkd => "HKD",
            Currency::Jpy => "JPY",
            Currency::Gbp => "GBP",
        }
    }

    /// Decimal places of the currency's minor unit.
    pub fn minor_units(self) -> u32 {
        match self {
            Currency::Jpy => 0,
            _ => 2,
        }
    }

    /// The symbol used when formatting for people.
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Cny | Currency::Jpy => "¥",
            Currency::Usd => "$",
            Currency::Eur => "€",
            Currency::Hkd => "HK$",
            Currency::Gbp => "£",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or_else(|| MoneyError::UnknownCurrency(s.to_owned()))
    }
}

/// Why an amount was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("unknown currency `{0}`; use one of CNY, USD, EUR, HKD, JPY, GBP")]
    UnknownCurrency(String),
    #[error("{currency} amounts have at most {places} decimal places")]
    TooPrecise { currency: Currency, places: u32 },
    #[error("amount must not be negative")]
    Negative,
    #[error("amount is too large (at most 1000000000000)")]
    TooLarge,
    #[error("stored amount is out of range")]
    StorageOverflow,
}

/// An exact amount in one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// Accepts a non-negative amount that fits the currency's minor unit exactly.
    pub fn new(amount: Decimal, currency: Currency) -> Result<Self, MoneyError> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(MoneyError::Negative);
        }
        if amount > max_amount() {
            return Err(MoneyError::TooLarge);
        }
        let normalized = amount.normalize();
        if normalized.scale() > currency.minor_units() {
            return Err(MoneyError::TooPrecise {
                currency,
                places: currency.minor_units(),
            });
        }
        Ok(Money {
            amount: with_scale(normalized, currency.minor_units()),
            currency,
        })
    }

    /// Zero in a currency.
    pub fn zero(currency: Currency) -> Self {
        Money {
            amount: with_scale(Decimal::ZERO, currency.minor_units()),
            currency,
        }
    }

    /// Rebuilds an amount read from storage (an integer at [`STORAGE_SCALE`]).
    pub fn from_storage(units: i64, currency: Currency) -> Self {
        let amount = Decimal::new(units, STORAGE_SCALE);
        Money {
            amount: round_to_minor(amount, currency),
            currency,
        }
    }

    /// The integer stored for this amount.
    pub fn to_storage(self) -> Result<i64, MoneyError> {
        decimal_to_storage(self.amount)
    }

    pub fn amount(self) -> Decimal {
        self.amount
    }

    pub fn currency(self) -> Currency {
        self.currency
    }

    /// The amount weighted by a win probability, rounded by the one rounding rule.
    pub fn weighted(self, probability: crate::pipeline::Probability) -> Money {
        let raw = self.amount * Decimal::from(probability.percent()) / Decimal::ONE_HUNDRED;
        Money {
            amount: round_to_minor(raw, self.currency),
            currency: self.currency,
        }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

/// Converts an exact decimal to the storage integer; refuses anything that would lose digits.
pub fn decimal_to_storage(amount: Decimal) -> Result<i64, MoneyError> {
    let scaled = amount * Decimal::from(10_i64.pow(STORAGE_SCALE));
    if scaled.fract() != Decimal::ZERO {
        return Err(MoneyError::StorageOverflow);
    }
    i64::try_from(scaled).map_err(|_| MoneyError::StorageOverflow)
}

/// Converts a storage-scale sum (which may exceed `i64` when summed by the database) back to
/// an exact decimal.
pub fn storage_sum_to_decimal(units: i128, currency: Currency) -> Decimal {
    // i128 sums of i64 values fit the 96-bit mantissa for any realistic row count.
    let amount = Decimal::from_i128_with_scale(units, STORAGE_SCALE);
    round_to_minor(amount, currency)
}

/// The one rounding rule: half away from zero, to the currency's minor unit.
pub fn round_to_minor(amount: Decimal, currency: Currency) -> Decimal {
    let rounded = amount.round_dp_with_strategy(
        currency.minor_units(),
        RoundingStrategy::MidpointAwayFromZero,
    );
    with_scale(rounded, currency.minor_units())
}

/// A plain number with thousands separators and `decimals` places, e.g. `1,234.50`; the sign
/// is left to the caller (the absolute value is written).
pub fn group_digits(amount: Decimal, decimals: u32) -> String {
    let text = with_scale(amount, decimals).abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3 + 1);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if !fraction.is_empty() {
        grouped.push('.');
        grouped.push_str(fraction);
    }
    grouped
}

/// `d` written with exactly `scale` decimal places (`5` → `5.00`).
pub(crate) fn with_scale(mut d: Decimal, scale: u32) -> Decimal {
    d.rescale(scale);
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Probability;
    use proptest::prelude::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn refuses_more_places_than_the_currency_has() {
        assert_eq!(
            Money::new(dec("1.005"), Currency::Cny),
            Err(MoneyError::TooPrecise {
                currency: Currency::Cny,
                places: 2
            })
        );
        assert!(Money::new(dec("1.50"), Currency::Jpy).is_err());
        assert!(
            Money::new(dec("1.500"), Currency::Cny).is_ok(),
            "trailing zeros are exact"
        );
    }

    #[test]
    fn refuses_negative_and_huge() {
        assert_eq!(
            Money::new(dec("-0.01"), Currency::Cny),
            Err(MoneyError::Negative)
        );
        assert_eq!(
            Money::new(dec("1000000000000.01"), Currency::Cny),
            Err(MoneyError::TooLarge)
        );
    }

    #[test]
    fn weighted_amount_rounds_half_away_from_zero() {
        let m = Money::new(dec("0.05"), Currency::Cny).unwrap();
        let p = Probability::new(50).unwrap();
        // 0.025 -> 0.03 (half away from zero), not 0.02 (banker's rounding).
        assert_eq!(m.weighted(p).amount(), dec("0.03"));
    }

    #[test]
    fn displays_with_the_currency_scale() {
        let m = Money::new(dec("12"), Currency::Cny).unwrap();
        assert_eq!(m.to_string(), "12.00 CNY");
    }

    #[test]
    fn currency_codes_round_trip() {
        for c in Currency::ALL {
            assert_eq!(Currency::from_str(c.code()), Ok(c));
        }
        assert!(Currency::from_str("cny").is_err());
    }

    proptest! {
        #[test]
        fn storage_round_trip_is_exact(cents in 0_i64..100_000_000_000_000) {
            let amount = Decimal::new(cents, 2);
            let m = Money::new(amount, Currency::Cny).unwrap();
            let stored = m.to_storage().unwrap();
            prop_assert_eq!(Money::from_storage(stored, Currency::Cny), m);
        }

        #[test]
        fn weighted_never_exceeds_amount(cents in 0_i64..100_000_000_000_000, p in 0_u8..=100) {
            let m = Money::new(Decimal::new(cents, 2), Currency::Cny).unwrap();
            let prob = Probability::new(p).unwrap();
            let w = m.weighted(prob);
            prop_assert!(w.amount() <= m.amount());
            prop_assert!(w.amount() >= Decimal::ZERO);
            prop_assert_eq!(w.amount().scale(), 2);
        }
    }
}
