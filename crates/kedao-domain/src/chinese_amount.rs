//! An amount in Chinese financial capitals (大写金额), as quotes, contracts and statements
//! print the grand total beside its figures: 203,744.00 → 贰拾万叁仟柒佰肆拾肆元整.
//!
//! The writing follows the rules for filling in settlement documents (正确填写票据和结算凭证
//! 的基本规定): the units 拾佰仟 are always written with their digit (壹拾, never 拾);
//! the number is read in groups of four digits (亿, 万, 元); zeros at the end of a group are
//! not written, and a run of zeros before or between a group's digits is one 零; 万 and 亿
//! follow a group only when it has a digit; an amount of whole yuan
//! ends in 整, one with 角 and no 分 does not need it; with 分 and no 角 the 角 is a 零
//! (壹佰元零伍分); below one yuan the words start at 角 or 分. A negative amount (a credit
//! balance) starts with 负.

use rust_decimal::Decimal;

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
/// The units of a digit's place inside a group of four, from the right.
const PLACES: [&str; 4] = ["", "拾", "佰", "仟"];
/// The unit after each group of four, from the right: yuan, 万, 亿.
const GROUPS: [&str; 3] = ["", "万", "亿"];

/// The amount in capitals, or `None` when it has a non-zero digit below the 分 or is a
/// trillion (万亿) or more, which no settlement document writes.
pub fn in_capitals(amount: Decimal) -> Option<String> {
    let cents = (amount.abs() * Decimal::ONE_HUNDRED).normalize();
    if !cents.fract().is_zero() {
        return None;
    }
    let cents = u64::try_from(cents).ok()?;
    let yuan = cents / 100;
    if yuan >= 1_000_000_000_000 {
        return None;
    }
    let (jiao, fen) = ((cents / 10 % 10) as usize, (cents % 10) as usize);
    let mut out = String::new();
    if amount.is_sign_negative() && cents > 0 {
        out.push('负');
    }
    if yuan > 0 {
        write_yuan(&mut out, yuan);
        out.push('元');
    }
    match (jiao, fen) {
        (0, 0) if yuan == 0 => out.push_str("零元整"),
        (0, 0) => out.push('整'),
        (j, 0) => {
            out.push(DIGITS[j]);
            out.push('角');
        }
        (j, f) => {
            if j > 0 {
                out.push(DIGITS[j]);
                out.push('角');
            } else if yuan > 0 {
                out.push('零');
            }
            out.push(DIGITS[f]);
            out.push('分');
        }
    }
    Some(out)
}

/// Writes a whole number of yuan (1 up to 10¹² − 1) without the 元.
fn write_yuan(out: &mut String, yuan: u64) {
    let digits: Vec<usize> = yuan
        .to_string()
        .bytes()
        .map(|b| (b - b'0') as usize)
        .collect();
    // A zero is written only once a later digit of its group shows it is not at the group's
    // end.
    let mut zero_pending = false;
    let mut group_has_digit = false;
    for (i, &d) in digits.iter().enumerate() {
        let place = digits.len() - 1 - i;
        if d == 0 {
            zero_pending = true;
        } else {
            if zero_pending {
                out.push('零');
                zero_pending = false;
            }
            out.push(DIGITS[d]);
            out.push_str(PLACES[place % 4]);
            group_has_digit = true;
        }
        if place.is_multiple_of(4) {
            if group_has_digit {
                out.push_str(GROUPS[place / 4]);
            }
            group_has_digit = false;
            // Zeros closing a group are not read (贰拾万叁仟, not 贰拾万零叁仟).
            zero_pending = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn capitals(s: &str) -> String {
        in_capitals(s.parse().unwrap_or_default()).unwrap_or_default()
    }

    #[test]
    fn the_regulations_examples_and_the_edges() {
        for (figure, words) in [
            ("0", "零元整"),
            ("0.00", "零元整"),
            ("0.5", "伍角"),
            ("0.05", "伍分"),
            ("0.35", "叁角伍分"),
            ("1", "壹元整"),
            ("10", "壹拾元整"),
            ("100.05", "壹佰元零伍分"),
            ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
            ("1409.50", "壹仟肆佰零玖元伍角"),
            ("6007.14", "陆仟零柒元壹角肆分"),
            ("10010", "壹万零壹拾元整"),
            ("100000", "壹拾万元整"),
            ("107000.53", "壹拾万柒仟元伍角叁分"),
            ("325000", "叁拾贰万伍仟元整"),
            ("1010000", "壹佰零壹万元整"),
            ("20005000", "贰仟万伍仟元整"),
            ("100000001", "壹亿零壹元整"),
            ("203744.00", "贰拾万叁仟柒佰肆拾肆元整"),
            (
                "999999999999.99",
                "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
            ),
            ("-10.00", "负壹拾元整"),
            ("-0.00", "零元整"),
        ] {
            assert_eq!(capitals(figure), words, "{figure}");
        }
    }

    #[test]
    fn amounts_no_document_writes_have_none() {
        assert_eq!(in_capitals(Decimal::new(1001, 3)), None, "a tenth of a 分");
        assert_eq!(in_capitals(Decimal::from(1_000_000_000_000_i64)), None);
        // Trailing zeros below the 分 are no digit.
        assert_eq!(
            in_capitals(Decimal::new(12_3400, 4)).as_deref(),
            Some("壹拾贰元叁角肆分")
        );
    }

    /// Reads capitals back into cents, independently of how they were written: each digit
    /// times its place, each group times its 万 or 亿.
    fn read_back(words: &str) -> Option<i64> {
        let (sign, words) = match words.strip_prefix('负') {
            Some(rest) => (-1, rest),
            None => (1, words),
        };
        let (yuan_words, rest) = words.split_once('元').unwrap_or(("", words));
        let (mut total, mut group, mut digit) = (0_i64, 0_i64, 0_i64);
        for c in yuan_words.chars() {
            match c {
                '拾' => (group, digit) = (group + digit * 10, 0),
                '佰' => (group, digit) = (group + digit * 100, 0),
                '仟' => (group, digit) = (group + digit * 1000, 0),
                '亿' => (total, group, digit) = ((group + digit) * 100_000_000, 0, 0),
                '万' => (total, group, digit) = (total + (group + digit) * 10_000, 0, 0),
                c => digit = DIGITS.iter().position(|&d| d == c)? as i64,
            }
        }
        let yuan = total + group + digit;
        let (mut jiao, mut fen, mut digit) = (0, 0, 0);
        for c in rest.chars() {
            match c {
                '角' => jiao = digit,
                '分' => fen = digit,
                '整' => {}
                c => digit = DIGITS.iter().position(|&d| d == c)? as i64,
            }
        }
        Some(sign * (yuan * 100 + jiao * 10 + fen))
    }

    proptest! {
        #[test]
        fn capitals_read_back_to_the_amount(cents in -99_999_999_999_999_i64..=99_999_999_999_999) {
            let words = in_capitals(Decimal::new(cents, 2)).unwrap_or_default();
            prop_assert_eq!(read_back(&words), Some(cents), "{}", words);
        }

        #[test]
        fn no_doubled_or_trailing_zero_and_units_keep_their_digit(cents in 0_i64..=99_999_999_999_999) {
            let words = in_capitals(Decimal::new(cents, 2)).unwrap_or_default();
            prop_assert!(!words.contains("零零"), "{}", words);
            prop_assert!(!words.contains("零元") || cents == 0, "{}", words);
            prop_assert!(!words.contains("零万") && !words.contains("零亿"), "{}", words);
            let chars: Vec<char> = words.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                if "拾佰仟".contains(*c) {
                    prop_assert!(i > 0 && DIGITS[1..].contains(&chars[i - 1]), "{}", words);
                }
            }
            let whole = cents % 100 == 0;
            prop_assert_eq!(words.ends_with('整'), whole, "{}", words);
        }
    }
}
