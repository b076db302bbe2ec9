//! Masking of customers' contact details for audiences that may know a customer exists but
//! not how to reach them behind the company's back: a dealer's staff see phone numbers and
//! e-mail addresses of records that are not theirs as `138****8000` and `z***@example.cn`.
//! Enough remains to recognise a customer on the phone; not enough to call them.

/// A phone number with all but its first three and last four digits hidden; a short number
/// (fewer than 8 characters) is hidden whole.
pub fn phone(number: &str) -> String {
    let chars: Vec<char> = number.trim().chars().collect();
    if chars.len() < 8 {
        return "****".to_owned();
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

/// An e-mail address with its local part hidden but for the first character.
pub fn email(address: &str) -> String {
    match address.trim().split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn examples() {
        assert_eq!(phone("13800138000"), "138****8000");
        assert_eq!(phone("+86 21 5555 0101"), "+86****0101");
        assert_eq!(phone("110"), "****");
        assert_eq!(email("zhang.wei@example.cn"), "z***@example.cn");
        assert_eq!(email("不是地址"), "***");
    }

    proptest! {
        /// The middle of a number never shows, and the masked form has a fixed shape.
        #[test]
        fn a_masked_phone_hides_the_middle(number in "[0-9]{8,15}") {
            let masked = phone(&number);
            prop_assert_eq!(
                masked,
                format!("{}****{}", &number[..3], &number[number.len() - 4..])
            );
        }

        #[test]
        fn a_masked_email_keeps_only_the_domain_and_one_letter(
            local in "[a-z]{2,20}", domain in "[a-z]{2,10}\\.cn"
        ) {
            let masked = email(&format!("{local}@{domain}"));
            prop_assert_eq!(masked, format!("{}***@{domain}", &local[..1]));
        }
    }
}
