//! Time helpers: the clock (which tests and callers can fix), human durations,
//! timestamps as unix seconds or RFC 3339, and human-readable renderings.

use std::time::{SystemTime, UNIX_EPOCH};

use ::time::format_description::well_known::Rfc3339;
use ::time::OffsetDateTime;

use crate::Result;

/// The longest timeout a fetch (`net`) or a served connection (`http`)
/// waits: a longer one is taken as this one, so no timeout, however large,
/// overflows a clock (`Instant + Duration` panics past the clock's range).
/// The command line refuses a longer `--timeout` naming this bound. One
/// hour is an assumption, not a platform rule.
pub const MAX_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3600);

/// `start + wait`, with `wait` bounded by [`MAX_TIMEOUT`]: never a panic.
pub fn deadline(start: std::time::Instant, wait: std::time::Duration) -> std::time::Instant {
    start.checked_add(wait.min(MAX_TIMEOUT)).unwrap_or(start)
}

/// The current time in unix seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Parse a duration such as `90s`, `10m`, `1h`, `7d` or `1h 30m`; a bare
/// number is seconds.
pub fn parse_duration(s: &str) -> Result<u64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty duration (try 90s, 10m, 1h or 7d)".into());
    }
    if t.starts_with('-') {
        return Err(format!(
            "{t} is negative; give a duration like 90s, 10m, 1h or 7d"
        ));
    }
    if let Ok(n) = t.parse::<u64>() {
        return Ok(n);
    }
    humantime::parse_duration(t)
        .map(|d| d.as_secs())
        .map_err(|e| format!("invalid duration {s:?}: {e} (try 90s, 10m, 1h or 7d)"))
}

/// Parse a point in time: unix seconds or RFC 3339 (`2026-01-31T12:00:00Z`).
pub fn parse_timestamp(s: &str) -> Result<i64, String> {
    let t = s.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Ok(n);
    }
    OffsetDateTime::parse(t, &Rfc3339)
        .map(|d| d.unix_timestamp())
        .map_err(|_| {
            format!("invalid time {s:?}: give unix seconds or RFC 3339 like 2026-01-31T12:00:00Z")
        })
}

/// Render unix seconds as an RFC 3339 UTC date, or `None` when out of range.
pub fn format_utc(secs: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|d| d.format(&Rfc3339).ok())
}

/// A compact human duration: `45s`, `3m`, `2h 5m`, `4d 3h`.
pub fn human_span(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m"),
        (0, _, 0) => format!("{h}h"),
        (0, _, _) => format!("{h}h {m}m"),
        (_, 0, _) => format!("{d}d"),
        _ => format!("{d}d {h}h"),
    }
}

/// Say where `t` lies relative to `now`: `in 59m` or `3m ago`.
pub fn relative(t: i64, now: i64) -> String {
    // abs_diff: no overflow for any pair (i64::MIN against i64::MAX included).
    if t >= now {
        format!("in {}", human_span(t.abs_diff(now)))
    } else {
        format!("{} ago", human_span(t.abs_diff(now)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_never_overflows() {
        let now = std::time::Instant::now();
        assert_eq!(deadline(now, std::time::Duration::MAX), now + MAX_TIMEOUT);
        let two = std::time::Duration::from_secs(2);
        assert_eq!(deadline(now, two), now + two);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s").unwrap(), 90);
        assert_eq!(parse_duration("10m").unwrap(), 600);
        assert_eq!(parse_duration("1h").unwrap(), 3600);
        assert_eq!(parse_duration("7d").unwrap(), 7 * 86400);
        assert_eq!(parse_duration("300").unwrap(), 300);
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1300819380").unwrap(), 1300819380);
        assert_eq!(parse_timestamp("2011-03-22T18:43:00Z").unwrap(), 1300819380);
        assert!(parse_timestamp("yesterday").is_err());
        assert_eq!(format_utc(0).unwrap(), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn spans() {
        assert_eq!(relative(100 + 59 * 60, 100), "in 59m");
        assert_eq!(relative(100, 100 + 180), "3m ago");
        assert_eq!(human_span(3 * 86400 + 3600), "3d 1h");
        assert_eq!(human_span(3661), "1h 1m");
        // Every branch, at its edges.
        for (secs, text) in [
            (0, "0s"),
            (59, "59s"),
            (60, "1m"),
            (61, "1m"),
            (3599, "59m"),
            (3600, "1h"),
            (3660, "1h 1m"),
            (86399, "23h 59m"),
            (86400, "1d"),
            (86400 + 59 * 60, "1d"),
            (2 * 86400 + 7200, "2d 2h"),
            (u64::MAX, "213503982334601d 7h"),
        ] {
            assert_eq!(human_span(secs), text, "{secs}");
        }
        assert_eq!(relative(5, 5), "in 0s");
        assert_eq!(relative(4, 5), "1s ago");
        assert_eq!(relative(i64::MAX, i64::MIN), "in 213503982334601d 7h");
        assert_eq!(relative(i64::MIN, i64::MAX), "213503982334601d 7h ago");
        assert!(now() > 1_700_000_000);
    }
}
