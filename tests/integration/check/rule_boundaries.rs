//! Key and endpoint rules at their exact boundaries, as a user sees them:
//! K7's "valid now" and "10 more days" (a certificate ending exactly at the
//! clock, exactly 10 days after it), K4's empty `n`/`e`, K5's broken `x5c`
//! string, the K4/K13 rules that are for RSA keys only, and E4's time and
//! size thresholds (the endpoint's measured facts built directly, as
//! `check/endpoint.rs` does for E5: a fetch cannot take exactly 1 s).

use std::time::Duration;

use assert_cmd::assert::Assert;
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::{json, Map, Value};
use tempfile::TempDir;

use crate::common::clock::NOW_ARG;
use crate::common::token::{self, jwk_a, key_a};
use crate::common::{fixture, fixture_str, uvtool};

/// Fixture a's certificate ends here (`openssl x509 -enddate`).
const A_NOT_AFTER: &str = "2126-11-01T12:12:11Z";
/// Exactly 10 days before it.
const A_TEN_DAYS_BEFORE: &str = "2126-10-22T12:12:11Z";

const REEXPORT: &str = "fix: re-export with `uvtool jwk --cert cert.pem`";

fn check_at(path: &str, now: &str) -> Assert {
    uvtool().args(["check", path, "--now", now]).assert()
}

/// A token signed by fixture a with `kid`, valid for 10 minutes from `now`.
fn token_a(kid: &str, now: &str) -> String {
    token::mint(&[
        "--key",
        &key_a(),
        "--kid",
        kid,
        "--sub",
        "u1",
        "--iss",
        "https://example.com",
        "--ttl",
        "10m",
        "--now",
        now,
    ])
}

fn no_rule(id: &str) -> impl Predicate<str> {
    predicate::str::is_match(format!(r"(?m)^(error|warning|info) {id} "))
        .unwrap()
        .not()
}

fn write_json(dir: &TempDir, v: &impl serde::Serialize) -> String {
    let p = dir.path().join("jwk.json");
    std::fs::write(&p, serde_json::to_vec_pretty(v).unwrap()).unwrap();
    p.to_string_lossy().into_owned()
}

// ------------------------------------------------------------------- K7

#[test]
fn k7_a_certificate_with_exactly_ten_days_left_passes() {
    let jwk = fixture_str("keys/a/jwk.json");
    check_at(&jwk, A_TEN_DAYS_BEFORE)
        .code(0)
        .stdout("checked 1 input: no findings\n");
    // One second later it has less than 10 days: the upload fails.
    check_at(&jwk, "2126-10-22T12:12:12Z")
        .code(1)
        .stdout(format!(
            "error K7 {jwk}: x5c[0]: the certificate expires on {A_NOT_AFTER} (in 9d 23h); keys fail to upload without at least 10 more days of validity (TS); fix: issue a new certificate with `uvtool cert --key private.pem --days 365 -o cert.pem`, then re-export with `uvtool jwk --cert cert.pem`\n\
             checked 1 input: 1 error, 0 warnings, 0 info\n"
        ));
}

#[test]
fn k7_a_certificate_ending_exactly_now_has_not_expired() {
    // At its last second a certificate is still valid (it expires after
    // notAfter): too short for the upload, not expired.
    let cert = fixture_str("keys/a/cert.pem");
    check_at(&cert, A_NOT_AFTER)
        .code(1)
        .stdout(contains(format!(
            "error K7 {cert}: the certificate expires on {A_NOT_AFTER} (in 0s); keys fail to upload without at least 10 more days"
        )))
        .stdout(contains("expired").not());
    check_at(&cert, "2126-11-01T12:12:12Z")
        .code(1)
        .stdout(contains(format!(
            "error K7 {cert}: the certificate expired on {A_NOT_AFTER} (1s ago): a documented reason the upload fails (TS)"
        )));
}

#[test]
fn k7_a_certificate_is_valid_from_its_first_second() {
    // Fixture a's certificate starts 2026-11-25T12:12:11Z (notBefore).
    let cert = fixture_str("keys/a/cert.pem");
    check_at(&cert, "2026-11-25T12:12:11Z")
        .code(0)
        .stdout("checked 1 input: no findings\n");
    check_at(&cert, "2026-11-25T12:12:10Z")
        .code(1)
        .stdout(contains(format!(
            "error K7 {cert}: the certificate is not valid until 2026-11-25T12:12:11Z (in 1s): the upload needs one valid now (TS)"
        )));
}

#[test]
fn k7_in_a_tokens_verdict_the_ten_days_are_a_warning_and_expiry_an_error() {
    // A registered key's token is judged by token rules: under 10 days
    // left is the upload's rule (a warning); an expired certificate is K7's
    // error, from the second after notAfter.
    let jwks = fixture_str("keys/a/jwks.json");
    let token_at = |now: &str| token_a("fixture-a", now);
    let verify = |now: &str| {
        let t = token_at(now);
        uvtool()
            .args(["verify", "--jwks", &jwks, "--now", now, &t])
            .assert()
    };
    verify(A_TEN_DAYS_BEFORE)
        .code(0)
        .stdout(predicate::str::starts_with("valid\n"))
        .stdout(contains("K7").not());
    verify(A_NOT_AFTER)
        .code(0)
        .stdout(predicate::str::starts_with("valid\n"))
        .stdout(contains(
            "(keys[0].x5c[0]): the certificate expires on 2126-11-01T12:12:11Z (in 0s); keys fail to upload without at least 10 more days of validity (TS); no source says the platform refuses tokens of a key already registered then (K7)",
        ));
    verify("2126-11-01T12:12:12Z")
        .code(1)
        .stdout(predicate::str::starts_with("invalid"))
        .stdout(contains(
            "the certificate expired on 2126-11-01T12:12:11Z (1s ago)",
        ));
}

// ------------------------------------------------------------- K4, K5

#[test]
fn k4_an_empty_n_or_e_is_named_empty() {
    let d = TempDir::new().unwrap();
    for m in ["n", "e"] {
        let mut o = jwk_a();
        o.insert(m.into(), json!(""));
        let p = write_json(&d, &o);
        check_at(&p, "1800000000").code(1).stdout(contains(format!(
            "error K4 {p}: {m}: \"{m}\" is empty; n and e must be base64url without padding; {REEXPORT}"
        )));
    }
}

#[test]
fn k5_an_x5c_string_with_a_line_break_is_named_so() {
    let d = TempDir::new().unwrap();
    let a = jwk_a();
    let c0 = a["x5c"][0].as_str().unwrap().to_string();
    // Wrapped at 64 columns, as PEM bodies are; first and second entry.
    let wrapped = format!("{}\n{}", &c0[..64], &c0[64..]);
    for (x5c, at) in [
        (json!([wrapped.clone()]), "x5c[0]"),
        (json!([c0.clone(), wrapped.clone()]), "x5c[1]"),
        (
            json!([c0.clone(), format!("{} {}", &c0[..64], &c0[64..])]),
            "x5c[1]",
        ),
    ] {
        let mut o = a.clone();
        o.insert("x5c".into(), x5c);
        o.remove("x5t#S256");
        let p = write_json(&d, &o);
        check_at(&p, "1800000000").code(1).stdout(contains(format!(
            "error K5 {p}: {at}: contains line breaks or spaces; x5c takes one unbroken base64 string; {REEXPORT}"
        )));
    }
}

#[test]
fn k4_and_k13_are_for_rsa_keys_only() {
    // An EC JWK without n, e or x5c: K2 names it; K4 (n/e) and K13 (x5c)
    // are RSA rules and stay silent.
    let p = fixture_str("bad/jwk-ec.json");
    check_at(&p, "1800000000")
        .code(1)
        .stdout(contains(format!("error K2 {p}: kty: \"kty\" is \"EC\"")))
        .stdout(no_rule("K4"))
        .stdout(no_rule("K13"));
    // The same without kty is read as RSA: both speak.
    let mut o: Map<String, Value> =
        serde_json::from_slice(&std::fs::read(fixture("bad/jwk-ec.json")).unwrap()).unwrap();
    o.remove("kty");
    let d = TempDir::new().unwrap();
    let p = write_json(&d, &o);
    check_at(&p, "1800000000")
        .code(1)
        .stdout(contains(format!("error K4 {p}: has no \"n\" member")))
        .stdout(contains(format!("error K13 {p}: has no \"x5c\"")));
}

// ------------------------------------------------------------------- E4

fn endpoint(elapsed: Duration, size: usize) -> Vec<(String, uvtool::policy::Level)> {
    let url = "https://keys.example.com/jwks.json";
    let ep = uvtool::read::EndpointInput {
        url: url.into(),
        response: Some(uvtool::read::Fetched {
            facts: uvtool::net::ResponseFacts {
                url: url.into(),
                final_url: url.into(),
                redirects: Vec::new(),
                status: 200,
                content_type: Some("application/json".into()),
                cache_control: None,
                etag: None,
                elapsed,
                size,
            },
            html: false,
            doc: None,
        }),
        fetch_error: None,
    };
    let mut findings = Vec::new();
    uvtool::policy::endpoint::run(&ep, &uvtool::policy::Settings::default(), &mut findings);
    findings
        .into_iter()
        .filter(|f| f.rule == "E4")
        .map(|f| (f.message, f.level))
        .collect()
}

#[test]
fn e4_an_answer_in_exactly_one_second_is_not_slow() {
    use uvtool::policy::endpoint::SLOW;
    assert_eq!(endpoint(SLOW, 2048), vec![]);
    let slow = endpoint(SLOW + Duration::from_millis(1), 2048);
    assert_eq!(slow.len(), 1, "{slow:?}");
    assert_eq!(
        slow[0].0,
        "took 1.0 s to answer; the platform may time out on a slow keyset (an assumption: its time-out is undocumented)"
    );
    assert_eq!(slow[0].1, uvtool::policy::Level::Warning);
}

#[test]
fn e4_a_body_of_exactly_100_kib_is_not_large() {
    use uvtool::policy::endpoint::LARGE;
    assert_eq!(LARGE, 100 * 1024);
    assert_eq!(endpoint(Duration::from_millis(5), LARGE), vec![]);
    let large = endpoint(Duration::from_millis(5), LARGE + 1);
    assert_eq!(large.len(), 1, "{large:?}");
    assert_eq!(
        large[0].0,
        "the body is 100 KiB; keep a keyset under 100 KiB (a few keys are ~2 KiB each; the limit is an assumption: the platform's is undocumented)"
    );
}

// ------------------------------------------------- keys a verifier can use

/// `verify --profile rfc` (no platform key rules) of a token signed by
/// fixture a, with `kid`, against the key set in `path`.
fn verify_rfc(kid: &str, path: &str) -> Assert {
    let token = token_a(kid, NOW_ARG);
    uvtool()
        .args([
            "verify",
            "--profile",
            "rfc",
            "--jwks",
            path,
            "--now",
            NOW_ARG,
            &token,
        ])
        .assert()
}

#[test]
fn a_modulus_of_exactly_8192_bits_can_be_used_and_one_more_bit_cannot() {
    let d = TempDir::new().unwrap();
    for (bytes, usable) in [(1024usize, true), (1025, false)] {
        // An odd modulus whose top byte sets its length: 8192 or 8193 bits.
        let mut n = vec![0x5au8; bytes];
        n[0] = if usable { 0x80 } else { 0x01 };
        n[bytes - 1] = 0x01;
        let jwk =
            json!({"kty": "RSA", "kid": "big", "n": uvtool::b64::url_encode(&n), "e": "AQAB"});
        let p = write_json(&d, &jwk);
        let first = if usable {
            "invalid: signature does not verify with key \"big\"".to_string()
        } else {
            format!("invalid: signature not verified: key \"big\" from {p} cannot be used: its modulus is 8193 bits, above the 8192 that verifiers take (T7)\n")
        };
        verify_rfc("big", &p)
            .code(1)
            .stdout(predicate::str::starts_with(first));
    }
}

#[test]
fn a_key_with_an_even_or_unit_exponent_cannot_be_used() {
    for (kid, e) in [("e-even", 65536), ("e-1", 1)] {
        let p = fixture_str(&format!("bad/jwk-{kid}.json"));
        verify_rfc(kid, &p).code(1).stdout(predicate::str::starts_with(format!(
            "invalid: signature not verified: key \"{kid}\" from {p} cannot be used: its public exponent {e} is invalid (it must be odd and at least 3; 65537 is standard) (T7)\n"
        )));
    }
}

#[test]
fn a_jwk_without_kty_cannot_be_used() {
    // RFC 7517 §4.1: kty is required; a key without it is not read as RSA
    // for verifying (K1 names it in `check`).
    let d = TempDir::new().unwrap();
    let mut o = jwk_a();
    o.remove("kty");
    let p = write_json(&d, &o);
    verify_rfc("fixture-a", &p).code(1).stdout(predicate::str::starts_with(format!(
        "invalid: signature not verified: key \"fixture-a\" from {p} cannot be used: it has no kty (T7)\n"
    )));
}
