//! Times as Trellis stores and shows them: UTC milliseconds in the database, shown in each
//! person's time zone, and written as ISO 8601 in exports. (A person's time zone setting is
//! read by `couple::time_zone`.)

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A stored time (UTC milliseconds) as a UTC date-time (the epoch if out of range).
pub fn utc(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// A time as exports write it: UTC, ISO 8601.
pub fn iso(ms: i64) -> String {
    utc(ms).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The Monday that starts the week of `day` (weeks run Monday to Sunday in charts).
pub fn week_start(day: chrono::NaiveDate) -> chrono::NaiveDate {
    day - chrono::Duration::days(chrono::Datelike::weekday(&day).num_days_from_monday() as i64)
}

pub fn at(ms: i64, tz: Tz) -> DateTime<Tz> {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz)
}

/// e.g. "Thu 26 Nov 2026, 14:00".
pub fn when(ms: i64, tz: Tz) -> String {
    at(ms, tz).format("%a %-d %b %Y, %H:%M").to_string()
}

/// The value of a `datetime-local` field.
pub fn input_value(ms: i64, tz: Tz) -> String {
    at(ms, tz).format("%Y-%m-%dT%H:%M").to_string()
}

/// Reads a `datetime-local` value in the time zone; the UTC milliseconds, or a message.
pub fn parse_local(value: &str, tz: Tz) -> Result<i64, String> {
    let naive = NaiveDateTime::parse_from_str(value.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(value.trim(), "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| "Enter the date and time of the session.".to_string())?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc).timestamp_millis())
        .ok_or_else(|| {
            format!("{value} does not exist in {tz} (the clocks change then). Choose another time.")
        })
}

/// Every time zone name, for the settings page.
pub fn names() -> Vec<&'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_round_trip_through_utc() {
        let tz: Tz = "Europe/London".parse().unwrap();
        let ms = parse_local("2026-07-01T14:00", tz).unwrap();
        assert_eq!(
            DateTime::<Utc>::from_timestamp_millis(ms)
                .unwrap()
                .to_rfc3339(),
            "2026-07-01T13:00:00+00:00"
        );
        assert_eq!(input_value(ms, tz), "2026-07-01T14:00");
        assert_eq!(when(ms, tz), "Wed 1 Jul 2026, 14:00");
        // The hour that does not exist when clocks go forward.
        assert!(parse_local("2026-03-29T01:30", tz).is_err());
        assert!(parse_local("tomorrow", tz).is_err());
    }
}
