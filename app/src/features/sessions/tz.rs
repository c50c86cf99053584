//! Time zones: each person's setting, and formatting UTC times for them.

use crate::db::Db;
use crate::error::AppError;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The person's time zone (UTC when unset or unknown).
pub async fn of(db: &Db, user_id: &str) -> Result<Tz, AppError> {
    let name: Option<String> =
        sqlx::query_scalar("select time_zone from app_user where app_user_id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?;
    Ok(name.and_then(|n| n.parse().ok()).unwrap_or(Tz::UTC))
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
