//! Dates and times for people, per locale: `2026年11月24日 09:05` or `24 Nov 2026, 09:05`,
//! in the reader's time zone (its offset passed in, so this is tested without a browser).

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::i18n::Lang;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A day, e.g. `2026年11月24日` / `24 Nov 2026`.
pub fn format_date(lang: Lang, date: NaiveDate) -> String {
    use chrono::Datelike;
    match lang {
        Lang::ZhCn => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Lang::En => format!(
            "{} {} {}",
            date.day(),
            MONTHS[date.month0() as usize],
            date.year()
        ),
    }
}

/// A moment, shifted by `offset_minutes` east of UTC (what the browser's zone is).
pub fn format_date_time(lang: Lang, at: DateTime<Utc>, offset_minutes: i64) -> String {
    let local = at.naive_utc() + Duration::minutes(offset_minutes);
    let time = local.format("%H:%M");
    match lang {
        Lang::ZhCn => format!("{} {time}", format_date(lang, local.date())),
        Lang::En => format!("{}, {time}", format_date(lang, local.date())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_per_locale() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(format_date(Lang::ZhCn, day), "2026年3月5日");
        assert_eq!(format_date(Lang::En, day), "5 Mar 2026");
    }

    #[test]
    fn moments_in_the_readers_zone() {
        let at = DateTime::parse_from_rfc3339("2026-11-24T20:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        // Beijing is 8 hours east: already the next day there.
        assert_eq!(
            format_date_time(Lang::ZhCn, at, 480),
            "2026年11月25日 04:30"
        );
        assert_eq!(format_date_time(Lang::En, at, -60), "24 Nov 2026, 19:30");
    }
}
