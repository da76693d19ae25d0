//! Bounds and tips on the command line (an independent tester's findings,
//! each fixed as a class):
//! every duration flag has a stated bound (never a panic), `--key` takes a
//! private JWK as it takes a private PEM, tips name only the command's
//! flags, the `@` and `=` habits get their tips, and errors say what failed.

use std::path::Path;

use crate::common::fixture_str;
use crate::common::run::{run, s};

const ISS: &str = "https://example.com";

fn token(dir: &Path) -> String {
    let key = fixture_str("keys/a/private.pem");
    let (code, out, err) = run(&["mint", "--key", &key, "--sub", "u1", "--iss", ISS]);
    assert_eq!(code, 0, "{err}");
    let t = dir.join("t.jwt");
    std::fs::write(&t, out.trim()).unwrap();
    s(&t)
}

fn usage(arg: &str, flag: &str, why: &str) -> String {
    format!("uvtool: error: invalid value '{arg}' for '{flag}': {why}\n\nFor more information, try '--help'.\n")
}

// ------------------------------------------------ 1. duration flags: bounded, never a panic

#[test]
fn every_timeout_past_its_bound_is_a_usage_error_naming_the_range() {
    let d = tempfile::tempdir().unwrap();
    let t = token(d.path());
    let jwks = fixture_str("keys/a/jwks.json");
    for big in [
        "18000000000000000000",
        "500000000000y",
        "99999999999999999",
        "9223372036854775807",
        "1e20",
        "3601",
        "2h",
    ] {
        let why = format!("invalid timeout \"{big}\": too large: a timeout is more than zero and at most 1h (3600 s; try 500ms, 2s or 10s)");
        let (code, out, err) = run(&[
            "verify",
            "--jwks-url",
            "http://127.0.0.1:1/k",
            "--timeout",
            big,
            &t,
        ]);
        assert_eq!((code, out.as_str()), (2, ""), "{big}: {err}");
        assert_eq!(err, usage(big, "--timeout <DURATION>", &why), "{big}");
        let (code, _, err) = run(&["serve", "--jwks", &jwks, "--port", "0", "--timeout", big]);
        assert_eq!(code, 2, "{big}: {err}");
        assert_eq!(err, usage(big, "--timeout <DURATION>", &why), "{big}");
    }
    // The bound itself is accepted: the fetch fails on its own (refused).
    let (code, _, err) = run(&[
        "verify",
        "--jwks-url",
        "http://127.0.0.1:1/k",
        "--timeout",
        "1h",
        &t,
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("invalid timeout"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn leeway_and_max_age_have_a_stated_bound() {
    let d = tempfile::tempdir().unwrap();
    let t = token(d.path());
    let jwks = fixture_str("keys/a/jwks.json");
    let why = "too large: a leeway is 0 to 1d (86400 s; an assumption: more is not clock skew), e.g. --leeway 2m";
    for big in ["1d 1s", "86401", "99999999999999999999", "500000000000y"] {
        let (code, out, err) = run(&["verify", "--jwks", &jwks, "--iss", ISS, "--leeway", big, &t]);
        assert_eq!((code, out.as_str()), (2, ""), "{big}: {err}");
        assert_eq!(err, usage(big, "--leeway <DURATION>", why), "{big}");
        let (code, _, err) = run(&["check", &t, "--leeway", big]);
        assert_eq!(code, 2, "{big}: {err}");
        assert_eq!(err, usage(big, "--leeway <DURATION>", why), "{big}");
    }
    // The bound itself is accepted.
    let key = fixture_str("keys/a/private.pem");
    let (code, out, err) = run(&["verify", "--key", &key, "--iss", ISS, "--leeway", "1d", &t]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = run(&[
        "serve",
        "--jwks",
        &jwks,
        "--port",
        "0",
        "--max-age",
        "31536001",
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err,
        usage(
            "31536001",
            "--max-age <SECS>",
            "31536001 is not in 0..=31536000"
        )
    );
}

// ------------------------------------------------ 2. --key takes a private JWK

#[test]
fn a_private_jwk_verifies_with_key_as_a_private_pem_does() {
    let d = tempfile::tempdir().unwrap();
    let t = token(d.path());
    let pem = fixture_str("keys/a/private.pem");
    let jwk = s(&d.path().join("priv-jwk.json"));
    let (code, _, err) = run(&["jwk", "--key", &pem, "--private", "-o", &jwk]);
    assert_eq!(code, 0, "{err}");
    for key in [&pem, &jwk] {
        let (code, out, err) = run(&["verify", "--key", key, "--iss", ISS, &t]);
        assert_eq!(code, 0, "--key {key}: {out}{err}");
    }
    // K10 stays where the key is published: a set given to --jwks.
    let (code, out, err) = run(&["verify", "--jwks", &jwk, "--iss", ISS, &t]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("never upload or publish it"),
        "{out}{err}"
    );
}

// ------------------------------------------------ 3. tips name only the command's flags

#[test]
fn tips_never_name_a_flag_the_command_lacks() {
    let key = fixture_str("keys/a/private.pem");
    let jwks = fixture_str("keys/a/jwks.json");
    let cases: &[(&[&str], &str)] = &[
        (
            &["cert", "--key", &key, "-e", "+1h"],
            "use '--days': the certificate's validity, a whole number of days (e.g. --days 365) (see `uvtool cert --help`)",
        ),
        (
            &["cert", "--jwks", "f"],
            "use '--key': cert reads the private key (PEM, DER or a private JWK) and makes its certificate (see `uvtool cert --help`)",
        ),
        (
            &["serve", "--jwks", &jwks, "--key", "f"],
            "each input of uvtool has a flag that names its kind or is an argument (serve's: --jwks): see `uvtool serve --help`",
        ),
        (
            &["platform-key", "--in", "t.jwt"],
            "each input of uvtool has a flag that names its kind or is an argument (platform-key's: --token): see `uvtool platform-key --help`",
        ),
    ];
    for (args, tip) in cases {
        let (code, out, err) = run(args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert!(err.contains(&format!("  tip: {tip}\n")), "{args:?}: {err}");
        for bad in ["--ttl", "--cert", "--key,"] {
            assert!(!err.contains(&format!("tip: {bad}")), "{args:?}: {err}");
        }
    }
}

// ------------------------------------------------ 4, 5. jwt-cli's @ and = habits

#[test]
fn the_at_habit_gets_the_flag_of_the_files_kind_and_every_file_flag_says_it() {
    let d = tempfile::tempdir().unwrap();
    let jwk = fixture_str("keys/a/jwk.json");
    let at_jwk = format!("@{jwk}");
    let (code, out, err) = run(&["verify", "-S", &at_jwk, "t"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains(&format!(
            "tip: use '--jwks {jwk}'; uvtool takes the file name as it is, without jwt-cli's @"
        )),
        "{err}"
    );
    let (code, _, err) = run(&["verify", "--jwks", &at_jwk, "t"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        usage(
            &at_jwk,
            "--jwks <FILE>",
            &format!("no file is named {at_jwk}; uvtool takes the file name as it is, without jwt-cli's @: {jwk}")
        )
    );
    drop(d);
}

#[test]
fn the_equals_spelling_gets_the_same_tips() {
    let key = fixture_str("keys/a/private.pem");
    let at_key = format!("-S=@{key}");
    for (arg, tip) in [
        ("-e=+1h", "use '--ttl 1h': +1h is a lifetime"),
        ("-e=600", "use '--ttl 600': 600 is a lifetime"),
        (at_key.as_str(), "use '--key "),
    ] {
        let (code, out, err) = run(&["mint", "--key", &key, "--sub", "u", "--iss", ISS, arg]);
        assert_eq!((code, out.as_str()), (2, ""), "{arg}");
        assert!(err.contains(&format!("tip: {tip}")), "{arg}: {err}");
    }
}

// ------------------------------------------------ 6. milliseconds and unix times as lifetimes

#[test]
fn now_in_milliseconds_and_ttl_as_a_unix_time_say_so() {
    let key = fixture_str("keys/a/private.pem");
    let why =
        "outside the years 1970 to 9999; milliseconds? as seconds it would be 2026-01-01T00:00:00Z";
    for cmd in [
        vec!["mint", "--key", key.as_str(), "--sub", "u"],
        vec!["verify", "--key", key.as_str(), "t"],
        vec!["decode", "t"],
        vec!["check", "t"],
    ] {
        let args = [cmd.clone(), vec!["--now", "1767225600000"]].concat();
        let (code, out, err) = run(&args);
        assert_eq!((code, out.as_str()), (2, ""), "{cmd:?}");
        assert_eq!(err, usage("1767225600000", "--now <TIME>", why), "{cmd:?}");
    }
    let (code, out, err) = run(&[
        "mint",
        "--key",
        &key,
        "--sub",
        "u",
        "--iss",
        ISS,
        "--now",
        "1767225600",
        "--ttl",
        "1767225600",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!out.is_empty());
    assert!(
        err.contains("uvtool: warning: --ttl 1767225600 is a lifetime of 20454d: a unix time (2026-01-01T00:00:00Z)? a point in time is --exp 1767225600 (an assumption: no platform rule bounds a token's lifetime; T6 warns past a day)"),
        "{err}"
    );
}

// ------------------------------------------------ 7. alg tips worded per command

#[test]
fn the_hmac_tip_says_what_the_command_does() {
    let jwks = fixture_str("keys/a/jwks.json");
    let (code, _, err) = run(&["verify", "--jwks", &jwks, "--alg", "hs256", "t"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("tip: hs256 is HMAC with a shared secret: the platform accepts RS256 and RS512 only (T1; source: WEB), and uvtool verifies with RSA keys\n"),
        "{err}"
    );
}

// ------------------------------------------------ 8. the official tool's native command

#[test]
fn the_native_command_never_carries_a_value_it_would_refuse() {
    for expiry in ["99999999999999999999", "1e3"] {
        let (code, _, err) = run(&[
            "--generateJwt",
            "-kid",
            "k",
            "-issuer",
            ISS,
            "-subject",
            "u",
            "-expiry",
            expiry,
            "-privateKeyFile",
            "k.pem",
        ]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("--ttl SECONDS"), "{expiry}: {err}");
        assert!(!err.contains(&format!("--ttl {expiry}")), "{expiry}: {err}");
    }
}

// ------------------------------------------------ 9. an unread URL is not "no findings"

#[test]
fn check_of_an_unreachable_url_does_not_say_no_findings() {
    let url = "http://127.0.0.1:1/jwks.json";
    let (code, out, err) = run(&["check", url]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(!out.contains("no findings"), "{out}");
    assert!(
        out.contains("checked 1 input: 1 could not be read"),
        "{out}"
    );
    assert_eq!(err.matches(url).count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("uvtool: error: {url}: cannot fetch: ")),
        "{err}"
    );
    let (code, out, err) = run(&["check", "--json", url]);
    assert_eq!(code, 2, "{out}{err}");
    let line: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert!(line["error"].as_str().is_some(), "{out}");
    assert!(
        err.contains("checked 1 input: 1 could not be read"),
        "{err}"
    );
}

// ------------------------------------------------ 10. a failed stdout says so

#[test]
fn a_full_stdout_is_named() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let key = fixture_str("keys/a/private.pem");
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let bin = assert_cmd::cargo::cargo_bin("uvtool");
    let out = std::process::Command::new(&bin)
        .args(["mint", "--key", &key, "--sub", "u", "--iss", ISS])
        .stdout(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "uvtool: error: cannot write to stdout: No space left on device (os error 28)\n"
    );
    let d = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(&bin)
        .current_dir(d.path())
        .args(["init", "demo"])
        .stdout(full())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).ends_with(
            "uvtool: error: cannot write to stdout: No space left on device (os error 28)\n"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
