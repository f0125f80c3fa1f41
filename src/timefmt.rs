//! Dates as a news reader shows them: short and relative in lists ("5 min", "hier",
//! "28 nov."), whole in an article's header ("vendredi 28 novembre 2025 à 14:05").
//! French or English, chosen from the config or the locale.

use chrono::{DateTime, Datelike, FixedOffset, Local, TimeZone, Timelike};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    /// From a POSIX locale name such as `fr_FR.UTF-8`; English unless it is French.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("fr") { Lang::Fr } else { Lang::En }
    }

    /// From `LC_ALL`, `LC_TIME` or `LANG`, the first that is set.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_TIME", "LANG"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            .map_or(Lang::En, |l| Lang::from_locale(&l))
    }
}

/// Where "now" comes from: the system, or a fixed instant (and its offset) for tests
/// and screenshots that must not change with the day they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(DateTime<FixedOffset>),
}

impl Clock {
    pub fn now(&self) -> DateTime<FixedOffset> {
        match self {
            Clock::System => Local::now().fixed_offset(),
            Clock::Fixed(t) => *t,
        }
    }

    /// Unix seconds in the local time zone (the fixed clock's offset, for a fixed clock).
    pub fn local(&self, secs: i64) -> DateTime<FixedOffset> {
        let utc = DateTime::from_timestamp(secs, 0).unwrap_or_default();
        match self {
            Clock::System => utc.with_timezone(&Local).fixed_offset(),
            Clock::Fixed(t) => utc.with_timezone(t.offset()),
        }
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const MONTHS_FR_SHORT: [&str; 12] =
    ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS_FR: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
const DAYS_EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// The widest string `list_date` returns, in columns, so lists can reserve it.
pub const LIST_DATE_WIDTH: usize = 10;

/// A short date for a list row: "5 min", "3 h" and "hier"/"yesterday" while recent,
/// then "28 nov."/"28 Nov", and "nov. 2024"/"Nov 2024" before this year.
pub fn list_date<Tz: TimeZone>(t: &DateTime<Tz>, now: &DateTime<Tz>, lang: Lang) -> String {
    let minutes = (now.clone() - t.clone()).num_minutes();
    let (day, today) = (t.date_naive(), now.date_naive());
    let month = match lang {
        Lang::Fr => MONTHS_FR_SHORT[t.month0() as usize],
        Lang::En => &MONTHS_EN[t.month0() as usize][..3],
    };
    match lang {
        _ if minutes < -1 || t.year() != now.year() => format!("{month} {}", t.year()),
        _ if minutes < 1 => "< 1 min".to_owned(),
        _ if minutes < 60 => format!("{minutes} min"),
        _ if day == today => format!("{} h", minutes / 60),
        Lang::Fr if today.pred_opt() == Some(day) => "hier".to_owned(),
        Lang::En if today.pred_opt() == Some(day) => "yesterday".to_owned(),
        _ => format!("{} {month}", t.day()),
    }
}

/// The full date for an article's header: "vendredi 28 novembre 2025 à 14:05".
/// The day alone, as pages print it: "28 novembre 2025" / "28 November 2025".
pub fn day_date<Tz: TimeZone>(t: &DateTime<Tz>, lang: Lang) -> String {
    let months = match lang {
        Lang::Fr => MONTHS_FR,
        Lang::En => MONTHS_EN,
    };
    format!("{} {} {}", t.day(), months[t.month0() as usize], t.year())
}

pub fn full_date<Tz: TimeZone>(t: &DateTime<Tz>, lang: Lang) -> String {
    let weekday = t.weekday().num_days_from_monday() as usize;
    let (day, month0, year) = (t.day(), t.month0() as usize, t.year());
    let (h, min) = (t.hour(), t.minute());
    match lang {
        Lang::Fr => {
            let day = if day == 1 { "1er".to_owned() } else { day.to_string() };
            format!("{} {day} {} {year} à {h:02}:{min:02}", DAYS_FR[weekday], MONTHS_FR[month0])
        }
        Lang::En => format!("{} {day} {} {year}, {h:02}:{min:02}", DAYS_EN[weekday], MONTHS_EN[month0]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn recent_dates_are_relative_in_both_languages() {
        let now = at("2025-11-28T15:00:00+01:00");
        let cases = [
            ("2025-11-28T14:59:40+01:00", "< 1 min", "< 1 min"),
            ("2025-11-28T14:55:00+01:00", "5 min", "5 min"),
            ("2025-11-28T14:01:00+01:00", "59 min", "59 min"),
            ("2025-11-28T12:00:00+01:00", "3 h", "3 h"),
            ("2025-11-27T09:00:00+01:00", "hier", "yesterday"),
            ("2025-11-20T09:00:00+01:00", "20 nov.", "20 Nov"),
            ("2025-02-03T09:00:00+01:00", "3 févr.", "3 Feb"),
            ("2024-12-30T09:00:00+01:00", "déc. 2024", "Dec 2024"),
            ("2026-02-03T09:00:00+01:00", "févr. 2026", "Feb 2026"),
        ];
        for (t, fr, en) in cases {
            let (got_fr, got_en) = (list_date(&at(t), &now, Lang::Fr), list_date(&at(t), &now, Lang::En));
            assert_eq!((got_fr.as_str(), got_en.as_str()), (fr, en), "{t}");
            assert!(got_fr.chars().count() <= LIST_DATE_WIDTH && got_en.chars().count() <= LIST_DATE_WIDTH);
        }
    }

    #[test]
    fn full_dates_name_the_day() {
        let t = at("2025-11-28T14:05:00+01:00");
        assert_eq!(full_date(&t, Lang::Fr), "vendredi 28 novembre 2025 à 14:05");
        assert_eq!(full_date(&t, Lang::En), "Friday 28 November 2025, 14:05");
        assert_eq!(full_date(&at("2025-12-01T08:00:00+01:00"), Lang::Fr), "lundi 1er décembre 2025 à 08:00");
    }

    #[test]
    fn locale_names_pick_the_language() {
        assert_eq!(Lang::from_locale("fr_FR.UTF-8"), Lang::Fr);
        assert_eq!(Lang::from_locale("en_GB.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
    }
}
