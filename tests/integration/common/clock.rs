//! The one clock of the integration tests. Every command that reads the
//! time runs with `--now`, so no test depends on today's date.

/// The instant every test runs at: 2027-01-15T08:00:00Z, inside the
/// fixture certificates' validity (2026-11-25 to 2126-11-01).
pub const NOW: i64 = 1_800_000_000;

/// [`NOW`] as a `--now` argument.
pub const NOW_ARG: &str = "1800000000";

/// [`NOW`] plus `seconds`, as a `--now` argument.
pub fn now_plus(seconds: i64) -> String {
    (NOW + seconds).to_string()
}

/// The instant the committed `fixtures/corpus` and `fixtures/golden` were
/// generated at (`uvtool fixtures fixtures/corpus --seed ci --now
/// 2026-01-01T00:00:00Z`): regenerating them byte for byte needs it.
pub const FIXTURES_MADE_AT: &str = "2026-01-01T00:00:00Z";

#[test]
fn now_arg_is_now() {
    assert_eq!(NOW_ARG.parse::<i64>(), Ok(NOW));
}
