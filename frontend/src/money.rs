//! Money for people: the currency's symbol, thousands separators and exactly the currency's
//! minor-unit decimals (`¥1,234.50`, `¥1,235` for yen), rounded the way the server rounds.

use kedao_domain::Currency;
use kedao_domain::money::{group_digits, round_to_minor};
use rust_decimal::Decimal;

/// `amount` in `currency`, e.g. `¥1,234.50` or `-$12.00`.
pub fn format_money(amount: Decimal, currency: Currency) -> String {
    let rounded = round_to_minor(amount, currency);
    let sign = if rounded.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    format!(
        "{sign}{}{}",
        currency.symbol(),
        group_digits(rounded.abs(), currency.minor_units())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn yuan_have_two_decimals_and_separators() {
        assert_eq!(format_money(d("1234.5"), Currency::Cny), "¥1,234.50");
        assert_eq!(format_money(d("480000"), Currency::Cny), "¥480,000.00");
        assert_eq!(
            format_money(d("1234567.891"), Currency::Cny),
            "¥1,234,567.89"
        );
        assert_eq!(format_money(d("0"), Currency::Cny), "¥0.00");
        assert_eq!(format_money(d("999.999"), Currency::Cny), "¥1,000.00");
    }

    #[test]
    fn each_currency_has_its_symbol_and_minor_unit() {
        assert_eq!(format_money(d("1234.5"), Currency::Jpy), "¥1,235");
        assert_eq!(format_money(d("12"), Currency::Usd), "$12.00");
        assert_eq!(format_money(d("100.1"), Currency::Hkd), "HK$100.10");
        assert_eq!(format_money(d("5.5"), Currency::Eur), "€5.50");
        assert_eq!(format_money(d("5.5"), Currency::Gbp), "£5.50");
    }

    #[test]
    fn negatives_and_half_away_from_zero() {
        assert_eq!(format_money(d("-1234.5"), Currency::Cny), "-¥1,234.50");
        assert_eq!(format_money(d("0.005"), Currency::Cny), "¥0.01");
        assert_eq!(format_money(d("-0.001"), Currency::Cny), "¥0.00");
    }

    #[test]
    fn grouping_boundaries() {
        assert_eq!(group_digits(d("100"), 0), "100");
        assert_eq!(group_digits(d("1000"), 0), "1,000");
        assert_eq!(group_digits(d("100000"), 1), "100,000.0");
    }
}
