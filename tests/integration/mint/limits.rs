//! mint's limits on times: a lifetime past i64 and an `exp` past the year
//! 9999 (T14) are refused, never wrapped (each found by an independent
//! tester; each failed on the tree it was written on).

use crate::common::run::run;
use crate::common::token::key_a;

fn mint_with(extra: &[&str]) -> (i32, String, String) {
    let key = key_a();
    let mut args = vec!["mint", "--key", key.as_str(), "--sub", "u", "--iss", "x"];
    args.extend_from_slice(extra);
    run(&args)
}

/// `--ttl` larger than i64::MAX wrapped (`t as i64`) into a negative
/// expiry, and the message then spoke of an `--exp` the user never gave
/// ("--exp -9223372035058129456 is a point in time … use --ttl -9223…").
#[test]
fn a_ttl_beyond_i64_is_too_long_not_a_wrapped_exp() {
    for ttl in ["9223372036854775808", "18446744073709551615"] {
        let (code, out, err) = mint_with(&["--ttl", ttl]);
        assert_eq!(code, 2, "--ttl {ttl}: {err}");
        assert!(out.is_empty(), "--ttl {ttl}: no token: {out}");
        assert!(err.contains("--ttl"), "--ttl {ttl} names the flag: {err}");
        assert!(
            !err.contains("--exp -"),
            "--ttl {ttl}: no wrapped exp: {err}"
        );
        assert!(
            !err.contains("born expired"),
            "--ttl {ttl}: a long lifetime is not an expired token: {err}"
        );
    }
}

/// `mint` signed tokens whose exp lies past 9999 (T14), which `verify`
/// then refuses: mint must refuse what verify refuses by default.
#[test]
fn mint_refuses_an_exp_past_the_year_9999() {
    for extra in [
        &["--ttl", "1000000000000d"][..],
        &["--ttl", "5000000000000000000s"][..],
        &["--now", "9999-12-31T23:59:59Z"][..],
    ] {
        let (code, out, err) = mint_with(extra);
        assert_eq!(code, 2, "{extra:?}: {err}");
        assert!(out.is_empty(), "{extra:?}: no token: {out}");
        assert!(
            err.contains("9999") || err.contains("too long"),
            "{extra:?}: the message names the bound: {err}"
        );
    }
}
