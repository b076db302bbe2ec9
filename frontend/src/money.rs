//! Money for people: the currency's symbol, thousands separators and exactly the currency's
//! minor-unit decimals (`¥1,234.50`, `¥1,235` for yen), rounded the way the server rounds.

use std::str::FromStr;

use kedao_domain::money::{group_digits, round_to_minor};
use kedao_domain::{Currency, Money, MoneyError};
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

/// An amount as typed, read the way the server reads money: a number, not negative, no
/// more decimal places than the currency has and not above the largest amount; else the code
/// of what is wrong, as the server names it (`not-a-number`, `too-precise`, `out-of-range`).
pub fn read_amount(text: &str, currency: Currency) -> Result<Decimal, &'static str> {
    let typed = Decimal::from_str(text.trim()).map_err(|_| "not-a-number")?;
    match Money::new(typed, currency) {
        Ok(money) => Ok(money.amount()),
        Err(MoneyError::TooPrecise { .. }) => Err("too-precise"),
        Err(_) => Err("out-of-range"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_the_server_reads_them() {
        assert_eq!(read_amount(" 1017.00 ", Currency::Cny), Ok(d("1017.00")));
        assert_eq!(
            read_amount("2373", Currency::Cny).map(|a| a.to_string()),
            Ok("2373.00".into())
        );
        assert_eq!(read_amount("1,017", Currency::Cny), Err("not-a-number"));
        assert_eq!(read_amount("", Currency::Cny), Err("not-a-number"));
        assert_eq!(read_amount("10.001", Currency::Cny), Err("too-precise"));
        assert_eq!(read_amount("10.5", Currency::Jpy), Err("too-precise"));
        assert_eq!(read_amount("-1", Currency::Cny), Err("out-of-range"));
        assert_eq!(
            read_amount("1000000000001", Currency::Cny),
            Err("out-of-range")
        );
        assert_eq!(read_amount("0", Currency::Cny), Ok(Decimal::ZERO));
    }

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
