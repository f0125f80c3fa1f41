//! Dates as pages write them, in French and English: machine forms (ISO 8601, RFC 2822,
//! offsets with or without a colon), numeric ones ("28/11/2025", day first), written ones
//! ("28 novembre 2025", "1er décembre 2025 à 14h05", "Nov 28, 2025", "aout", "févr."),
//! without a year ("lundi 12 janvier": the nearest such day not in the future) and
//! relative ones ("il y a 2 heures", "hier", "2 hours ago"). Dates without an offset are
//! in the offset of `now`.

use std::sync::LazyLock;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use regex::Regex;

/// The date `text` gives, read as of `now`.
pub fn parse(text: &str, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if text.is_empty() || text.len() > 300 {
        return None;
    }
    // Every form but a relative one has a digit: most text that is no date goes quickly.
    let digits = text.bytes().any(|b| b.is_ascii_digit());
    if digits && let Some(date) = machine(text, now) {
        return Some(date);
    }
    let folded = fold(text);
    digits.then(|| written(&folded, now)).flatten().or_else(|| relative(&folded, now))
}

/// ISO 8601 and RFC 2822, with the usual liberties.
fn machine(text: &str, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d);
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(text) {
        return Some(d);
    }
    static ISO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?)?",
        )
        .expect("valid")
    });
    let c = ISO.captures(text)?;
    let number = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let date = NaiveDate::from_ymd_opt(number(1)? as i32, number(2)?, number(3)?)?;
    let time = NaiveTime::from_hms_opt(number(4).unwrap_or(0), number(5).unwrap_or(0), number(6).unwrap_or(0))?;
    let offset = match c.get(7).map(|m| m.as_str()) {
        None => *now.offset(),
        Some("Z") => FixedOffset::east_opt(0)?,
        Some(zone) => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
            let (h, m) = digits.split_at(2);
            let minutes = h.parse::<i32>().ok()? * 60 + m.parse::<i32>().unwrap_or(0);
            FixedOffset::east_opt(sign * minutes * 60)?
        }
    };
    offset.from_local_datetime(&NaiveDateTime::new(date, time)).single()
}

/// Lowercase, without accents on the letters month and day names use.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
            'û' | 'ù' | 'ü' | 'Û' => 'u',
            'à' | 'â' | 'À' => 'a',
            'ô' | 'Ô' => 'o',
            'î' | 'ï' => 'i',
            'ç' => 'c',
            '\u{a0}' | '\u{202f}' => ' ',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Each month's (folded) names and abbreviations, French and English.
const MONTHS: [&[&str]; 12] = [
    &["janvier", "janv", "jan", "january"],
    &["fevrier", "fevr", "fev", "feb", "february"],
    &["mars", "mar", "march"],
    &["avril", "avr", "apr", "april"],
    &["mai", "may"],
    &["juin", "jun", "june"],
    &["juillet", "juil", "jul", "july"],
    &["aout", "aug", "august"],
    &["septembre", "sept", "sep", "september"],
    &["octobre", "oct", "october"],
    &["novembre", "nov", "november"],
    &["decembre", "dec", "december"],
];

/// Month number of a (folded) month name or abbreviation, French or English.
fn month(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.');
    MONTHS.iter().position(|names| names.contains(&name)).map(|i| i as u32 + 1)
}

/// A regex group matching any name of `MONTHS`; an abbreviation (a name that begins
/// another name of its month) may end with a dot.
fn month_pattern() -> String {
    let names: Vec<String> = MONTHS
        .iter()
        .flat_map(|names| {
            names.iter().map(move |name| {
                let abbreviation = names.iter().any(|other| other.len() > name.len() && other.starts_with(name));
                if abbreviation { format!("{name}\\.?") } else { (*name).to_owned() }
            })
        })
        .collect();
    format!("({})", names.join("|"))
}

/// A (folded) month or weekday name, French or English.
pub fn is_month_or_day_name(word: &str) -> bool {
    const DAYS: &[&str] = &[
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    ];
    month(&fold(word)).is_some() || DAYS.contains(&fold(word).as_str())
}

/// "28 novembre 2025 à 14h05", "Nov 28, 2025 2:05 pm", "28/11/2025", "lundi 12 janvier".
fn written(text: &str, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?:de\s+)?{}(?:\s*,?\s+(\d{{4}}))?\b",
            month_pattern()
        ))
        .expect("valid")
    });
    static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(r"\b{}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*,?\s*(\d{{4}}))?", month_pattern()))
            .expect("valid")
    });
    static NUMERIC: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b").expect("valid"));
    static YEAR_FIRST: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\b(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b").expect("valid"));

    let (date, end) = if let Some(c) = DAY_MONTH.captures(text) {
        let day: u32 = c[1].parse().ok()?;
        let year = c.get(3).and_then(|y| y.as_str().parse().ok());
        (with_year(day, month(&c[2])?, year, now)?, c.get(0)?.end())
    } else if let Some(c) = MONTH_DAY.captures(text) {
        let day: u32 = c[2].parse().ok()?;
        let year = c.get(3).and_then(|y| y.as_str().parse().ok());
        (with_year(day, month(&c[1])?, year, now)?, c.get(0)?.end())
    } else if let Some(c) = YEAR_FIRST.captures(text) {
        (NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?, c.get(0)?.end())
    } else if let Some(c) = NUMERIC.captures(text) {
        let (a, b): (u32, u32) = (c[1].parse().ok()?, c[2].parse().ok()?);
        let year: i32 = match c[3].len() {
            2 => 2000 + c[3].parse::<i32>().ok()?,
            _ => c[3].parse().ok()?,
        };
        // Day first, as in French and British usage, unless that cannot be.
        let (day, month) = if a > 12 || b <= 12 { (a, b) } else { (b, a) };
        (NaiveDate::from_ymd_opt(year, month, day)?, c.get(0)?.end())
    } else {
        return None;
    };
    let time = clock_time(&text[end..]).unwrap_or_default();
    now.offset().from_local_datetime(&NaiveDateTime::new(date, time)).single()
}

/// A date without its year: the latest such day that is not after today.
fn with_year(day: u32, month: u32, year: Option<i32>, now: DateTime<FixedOffset>) -> Option<NaiveDate> {
    if let Some(year) = year {
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    let today = now.date_naive();
    (0..8).map(|back| today.year() - back).find_map(|y| NaiveDate::from_ymd_opt(y, month, day).filter(|d| *d <= today))
}

/// The time of day just after a date: "à 14h05", "14:05", "2:05 pm", "at 9 am".
fn clock_time(rest: &str) -> Option<NaiveTime> {
    static TIME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?:,|-|–|a|at|\|)?\s*(\d{1,2})\s*(?:h|:)\s*(\d{2})?\s*(am|pm|a\.m\.|p\.m\.)?|^\s*(?:,|at)?\s*(\d{1,2})\s*(am|pm)")
            .expect("valid")
    });
    let c = TIME.captures(rest)?;
    let (hour, minute, meridiem) = match c.get(1) {
        Some(h) => (h.as_str().parse::<u32>().ok()?, c.get(2).map_or(Some(0), |m| m.as_str().parse().ok())?, c.get(3)),
        None => (c.get(4)?.as_str().parse().ok()?, 0, c.get(5)),
    };
    let hour = match meridiem.map(|m| m.as_str().starts_with('p')) {
        Some(true) if hour < 12 => hour + 12,
        Some(false) if hour == 12 => 0,
        _ => hour,
    };
    NaiveTime::from_hms_opt(hour, minute, 0)
}

/// "il y a 2 heures", "hier", "aujourd'hui", "3 days ago", "yesterday".
fn relative(text: &str, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    static AGO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:il y a|depuis)\s+(\d+|une?)\s*(seconde|minute|min|heure|h|jour|semaine|mois|an)s?\b|(\d+|an?|one)\s*(second|minute|min|hour|hr|h|day|week|month|year)s?\s+ago")
            .expect("valid")
    });
    if let Some(c) = AGO.captures(text) {
        let (count, unit) = match c.get(1) {
            Some(n) => (n.as_str(), c.get(2)?.as_str()),
            None => (c.get(3)?.as_str(), c.get(4)?.as_str()),
        };
        let n: i64 = count.parse().unwrap_or(1);
        // "il y a 50046416461 h" is no date: a span past what a date holds is none.
        let span = match unit {
            "seconde" | "second" => Duration::try_seconds(n),
            "minute" | "min" => Duration::try_minutes(n),
            "heure" | "h" | "hour" | "hr" => Duration::try_hours(n),
            "jour" | "day" => Duration::try_days(n),
            "semaine" | "week" => Duration::try_weeks(n),
            "mois" | "month" => n.checked_mul(30).and_then(Duration::try_days),
            _ => n.checked_mul(365).and_then(Duration::try_days),
        };
        return now.checked_sub_signed(span?);
    }
    let midnight = |d: DateTime<FixedOffset>| {
        let time = clock_time(text.split_once(" a ").or_else(|| text.split_once(" at ")).map_or("", |(_, t)| t));
        d.offset().from_local_datetime(&d.date_naive().and_time(time.unwrap_or_default())).single()
    };
    if text.contains("avant-hier") {
        midnight(now - Duration::days(2))
    } else if text.contains("hier") || text.contains("yesterday") {
        midnight(now - Duration::days(1))
    } else if text.contains("aujourd'hui") || text.contains("aujourd’hui") || text.contains("today") {
        midnight(now)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2025-11-28T15:00:00+01:00").unwrap()
    }

    fn day(text: &str) -> Option<String> {
        parse(text, now()).map(|d| d.format("%Y-%m-%d %H:%M %:z").to_string())
    }

    #[test]
    fn machine_forms() {
        assert_eq!(day("2025-11-28T14:05:00+01:00").unwrap(), "2025-11-28 14:05 +01:00");
        assert_eq!(day("2020-04-12T18:00:00-0700").unwrap(), "2020-04-12 18:00 -07:00");
        assert_eq!(day("2025-11-28T13:05:00.000Z").unwrap(), "2025-11-28 13:05 +00:00");
        assert_eq!(day("2025-11-28 14:05").unwrap(), "2025-11-28 14:05 +01:00");
        assert_eq!(day("2025-11-28").unwrap(), "2025-11-28 00:00 +01:00");
        assert_eq!(day("Fri, 28 Nov 2025 13:05:00 +0000").unwrap(), "2025-11-28 13:05 +00:00");
    }

    #[test]
    fn french_written_dates() {
        assert_eq!(day("28 novembre 2025").unwrap(), "2025-11-28 00:00 +01:00");
        assert_eq!(day("1er décembre 2025 à 14h05").unwrap(), "2025-12-01 14:05 +01:00");
        assert_eq!(day("Publié le 28 novembre 2025 à 9h").unwrap(), "2025-11-28 09:00 +01:00");
        assert_eq!(day("lundi 12 janvier").unwrap(), "2025-01-12 00:00 +01:00");
        assert_eq!(day("le 3 aout 2024").unwrap(), "2024-08-03 00:00 +01:00");
        assert_eq!(day("12 févr. 2025").unwrap(), "2025-02-12 00:00 +01:00");
        assert_eq!(day("Mis à jour le 28/11/2025 à 16:30").unwrap(), "2025-11-28 16:30 +01:00");
        assert_eq!(day("30 décembre").unwrap(), "2024-12-30 00:00 +01:00", "nearest past year");
    }

    #[test]
    fn english_written_dates() {
        assert_eq!(day("Nov 28, 2025").unwrap(), "2025-11-28 00:00 +01:00");
        assert_eq!(day("Updated August 14, 2025").unwrap(), "2025-08-14 00:00 +01:00");
        assert_eq!(day("November 28th, 2025 at 2:05 pm").unwrap(), "2025-11-28 14:05 +01:00");
        assert_eq!(day("28 November 2025, 09:30").unwrap(), "2025-11-28 09:30 +01:00");
        assert_eq!(day("Published: Jan 29, 2025").unwrap(), "2025-01-29 00:00 +01:00");
        assert_eq!(day("2025/03/07").unwrap(), "2025-03-07 00:00 +01:00");
        assert_eq!(day("03/14/2025").unwrap(), "2025-03-14 00:00 +01:00", "month first when day first cannot be");
    }

    #[test]
    fn relative_dates() {
        assert_eq!(day("il y a 2 heures").unwrap(), "2025-11-28 13:00 +01:00");
        assert_eq!(day("Il y a une heure").unwrap(), "2025-11-28 14:00 +01:00");
        assert_eq!(day("hier à 18h30").unwrap(), "2025-11-27 18:30 +01:00");
        assert_eq!(day("2 hours ago").unwrap(), "2025-11-28 13:00 +01:00");
        assert_eq!(day("yesterday").unwrap(), "2025-11-27 00:00 +01:00");
        assert_eq!(day("il y a 3 jours").unwrap(), "2025-11-25 15:00 +01:00");
    }

    #[test]
    fn text_without_a_date_has_none() {
        for text in ["", "Par Camille Durand", "le 32 novembre 2025", "1234", "Page 2 of 10", "2025"] {
            assert_eq!(day(text), None, "{text}");
        }
    }
}
