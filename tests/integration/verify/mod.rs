//! `uvtool verify`: every failure reason with its exit code and message,
//! batches, output formats and the RFC 7515 A.2 known answer.

mod batch;
mod url;

use std::process::Command;

use crate::common::{fixture_str, uvtool};
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::{json, Value};

use crate::common::clock::{NOW, NOW_ARG};
use crate::common::files::b64url_encode as b64;
use crate::common::token::jwks_a_path;

/// A token with any header, signed RS256 by openssl with `key` (a file
/// under fixtures/keys), independently of uvtool's signer.
fn openssl_token(header: &Value, claims: &Value, key: &str) -> String {
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(claims.to_string().as_bytes())
    );
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("in");
    std::fs::write(&f, &input).unwrap();
    let out = crate::common::output_within(
        Command::new("openssl")
            .args(["dgst", "-sha256", "-sign", &fixture_str(key)])
            .arg(&f),
        crate::common::BOUND,
    );
    assert!(out.status.success());
    format!("{input}.{}", b64(&out.stdout))
}

fn claims() -> Value {
    json!({"iss": "https://acme.example", "sub": "user-1", "aud": "chat", "iat": NOW - 10, "exp": NOW + 600})
}

fn hdr() -> Value {
    json!({"alg": "RS256", "kid": "fixture-a", "typ": "JWT"})
}

fn good() -> String {
    openssl_token(&hdr(), &claims(), "keys/a/private.pem")
}

/// `uvtool verify --jwks A --now NOW`, for more arguments.
fn verify_cmd() -> assert_cmd::Command {
    let mut c = uvtool();
    c.args(["verify", "--jwks", &jwks_a_path(), "--now", NOW_ARG]);
    c
}

fn verify(args: &[&str], token: &str) -> assert_cmd::assert::Assert {
    verify_cmd().args(args).arg(token).assert()
}

fn rejected(args: &[&str], token: &str, msg: &str) {
    verify(args, token)
        .code(1)
        .stdout(contains(format!("invalid: {msg}")));
}

#[test]
fn valid_token_full_report() {
    verify(
        &[
            "--iss",
            "https://acme.example",
            "--aud",
            "chat",
            "--sub",
            "user-1",
            "--require",
            "iat",
            "--config",
            "MyConfig",
        ],
        &good(),
    )
    .success()
    .stdout(predicate::str::starts_with(
        "valid\nsigned with RS256 by key \"fixture-a\" from ",
    ))
    .stdout(contains("\"sub\": \"user-1\""))
    .stdout(contains("exp: 2027-01-15T08:10:00Z (expires in 10m)"))
    .stdout(contains("iat: 2027-01-15T07:59:50Z (10s ago)"))
    .stdout(contains(
        "platform key: v2/iamessage/AUTH/MyConfig/uid:user-1",
    ))
    .stdout(contains("\x1b[").not());
}

#[test]
fn structure_failures() {
    rejected(
        &[],
        "eyJhbGciOiJSUzI1NiJ9.e30",
        "malformed token: has 2 segment(s), expected 3",
    );
    // An argument that looks like a file name and does not exist is a
    // missing file (exit 2), not a malformed token.
    verify(&[], "tokn.txt")
        .code(2)
        .stderr(contains("tokn.txt: no such file"));
    rejected(
        &[],
        "a.b.c.d.e",
        "malformed token: has 5 segments: this is a JWE",
    );
    rejected(
        &[],
        "e30=.e30.AA",
        "malformed token: header segment has '=' padding",
    );
    rejected(
        &[],
        "e30.W10.AA",
        "malformed token: payload segment is JSON but not an object",
    );
    let t = good();
    let dup = format!(
        "{}.{}",
        b64(br#"{"alg":"RS256","alg":"none"}"#),
        t.split_once('.').unwrap().1
    );
    rejected(
        &[],
        &dup,
        "malformed token: header segment: member \"alg\" appears twice",
    );
}

#[test]
fn algorithm_failures() {
    let c = claims();
    let with_alg = |alg: &str| {
        openssl_token(
            &json!({"alg": alg, "kid": "fixture-a"}),
            &c,
            "keys/a/private.pem",
        )
    };
    let unsigned = format!(
        "{}.{}.",
        b64(br#"{"alg":"none"}"#),
        b64(c.to_string().as_bytes())
    );
    rejected(
        &[],
        &unsigned,
        "alg \"none\" is refused: unsigned tokens are never accepted",
    );
    rejected(&[], &with_alg("NONE"), "alg \"NONE\" is refused");
    rejected(
        &[],
        &with_alg("HS256"),
        "alg HS256 is refused: HMAC tokens use a shared secret",
    );
    rejected(
        &[],
        &with_alg("ES256"),
        "alg \"ES256\" is not supported (the platform accepts RS256 and RS512 only; source: WEB) (T1)",
    );
    rejected(
        &["--profile", "rfc"],
        &with_alg("ES256"),
        "alg \"ES256\" is not supported (RSA algorithms only",
    );
    rejected(
        &["--alg", "RS512"],
        &good(),
        "alg RS256 is not allowed (allowed: RS512) (T1)",
    );
    rejected(
        &["--profile", "rfc", "--alg", "RS512,PS256"],
        &good(),
        "alg RS256 is not allowed (allowed: RS512, PS256)",
    );
    verify(&["--alg", "PS256"], &good())
        .code(2)
        .stderr(contains(
            "--alg PS256: the platform accepts RS256 and RS512 only (T1; WEB); use --profile rfc",
        ));
    let no_alg = openssl_token(&json!({"kid": "fixture-a"}), &c, "keys/a/private.pem");
    rejected(&[], &no_alg, "the header has no alg");
    // The JWK's own alg (RS256) is honoured: a PS256 token for it is refused.
    let ps = uvtool()
        .args([
            "mint",
            "--key",
            &fixture_str("keys/a/private.pem"),
            "--kid",
            "fixture-a",
            "--alg",
            "PS256",
            "--sub",
            "u",
            "--now",
            &NOW.to_string(),
        ])
        .output()
        .unwrap();
    let ps = String::from_utf8(ps.stdout).unwrap();
    // The platform refuses PS256 outright (T1) ...
    rejected(
        &[],
        ps.trim(),
        "alg PS256 is not accepted by the platform (RS256 or RS512 only; WEB) (T1)",
    );
    // ... and under the rfc profile the key's own alg refuses it (T10).
    rejected(&["--profile", "rfc"], ps.trim(), "key \"fixture-a\" from ");
    verify(&["--profile", "rfc"], ps.trim()).stdout(contains(
        "is for RS256 (its JWK \"alg\"), but the token is signed with PS256 (T10)",
    ));
}

#[test]
fn crit_and_untrusted_key_headers() {
    let mut h = hdr();
    h["crit"] = json!(["exp"]);
    h["exp"] = json!(1);
    rejected(
        &[],
        &openssl_token(&h, &claims(), "keys/a/private.pem"),
        "header crit lists extension(s) \"exp\" that uvtool does not understand",
    );
    let mut h = hdr();
    h["crit"] = json!([]);
    rejected(
        &[],
        &openssl_token(&h, &claims(), "keys/a/private.pem"),
        "header crit is an empty array",
    );
    // A token signed by key b that points at b through jku/jwk/x5c is still
    // checked against our keys only.
    let b_jwk: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_str("keys/b/jwk.json")).unwrap())
            .unwrap();
    let mut h = hdr();
    h["jku"] = json!("https://attacker.example/jwks.json");
    h["jwk"] = b_jwk.clone();
    h["x5c"] = b_jwk["x5c"].clone();
    h["x5u"] = json!("https://attacker.example/cert.pem");
    let forged = openssl_token(&h, &claims(), "keys/b/private.pem");
    verify(&[], &forged)
        .code(1)
        .stdout(contains(
            "invalid: signature does not verify with key \"fixture-a\"",
        ))
        .stderr(contains("header \"jku\" ignored"))
        .stderr(contains("header \"jwk\" ignored"))
        .stderr(contains("header \"x5c\" ignored"))
        .stderr(contains("header \"x5u\" ignored"));
    // Signed by a with a jku: valid, with the note.
    verify(&[], &openssl_token(&h, &claims(), "keys/a/private.pem"))
        .success()
        .stderr(contains("header \"jku\" ignored"));
}

#[test]
fn kid_failures() {
    let mut h = hdr();
    h["kid"] = json!("nope");
    let t = openssl_token(&h, &claims(), "keys/a/private.pem");
    rejected(&[], &t, "kid \"nope\" is not in ");
    verify(&[], &t).stdout(contains("(it has: \"fixture-a\")"));
    // The platform selects the key by kid: a token without one is refused,
    // and the fix names the kid of the key that verifies it.
    let no_kid = openssl_token(&json!({"alg": "RS256"}), &claims(), "keys/a/private.pem");
    rejected(
        &[],
        &no_kid,
        "the token has no kid; the platform selects the key by kid (tool) (T2)",
    );
    verify(&[], &no_kid).stdout(contains("fix: mint with `--kid fixture-a`"));
    // Under the rfc profile: with one key it is used; with two it is refused.
    verify(&["--profile", "rfc"], &no_kid).success();
    uvtool()
        .args([
            "verify",
            "--profile",
            "rfc",
            "--jwks",
            &fixture_str("keys/a/jwks.json"),
            "--jwks",
            &fixture_str("keys/b/jwks.json"),
            "--now",
            &NOW.to_string(),
            &no_kid,
        ])
        .assert()
        .code(1)
        .stdout(contains("invalid: the token has no kid and "))
        .stdout(contains(
            "has 2 keys (\"fixture-a\", \"fixture-b\"); the key is ambiguous (T2)",
        ))
        .stdout(contains("fix: mint with `--kid KID`"));
    // A kid the set does not have: the fix names the kid that verifies.
    verify(&[], &t).stdout(contains(
        "fix: the signature verifies with the key whose kid is \"fixture-a\": mint with `--kid fixture-a`",
    ));
    // Keys given directly are tried whatever the kid.
    uvtool()
        .args([
            "verify",
            "--cert",
            &fixture_str("keys/a/cert.pem"),
            "--now",
            &NOW.to_string(),
            &t,
        ])
        .assert()
        .success();
    let mut h = hdr();
    h["kid"] = json!(5);
    rejected(
        &[],
        &openssl_token(&h, &claims(), "keys/a/private.pem"),
        "header kid is not a string",
    );
}

#[test]
fn signature_failures() {
    let wrong_key = openssl_token(&hdr(), &claims(), "keys/b/private.pem");
    rejected(
        &[],
        &wrong_key,
        "signature does not verify with key \"fixture-a\" from ",
    );
    let t = good();
    let parts: Vec<&str> = t.split('.').collect();
    let mut c = claims();
    c["sub"] = json!("admin");
    let altered = format!(
        "{}.{}.{}",
        parts[0],
        b64(c.to_string().as_bytes()),
        parts[2]
    );
    rejected(&[], &altered, "signature does not verify");
    let truncated = format!("{}.{}.{}", parts[0], parts[1], &parts[2][..40]);
    rejected(&[], &truncated, "signature does not verify");
}

#[test]
fn time_failures() {
    let with = |f: &dyn Fn(&mut Value)| {
        let mut c = claims();
        f(&mut c);
        openssl_token(&hdr(), &c, "keys/a/private.pem")
    };
    let no_exp = with(&|c| {
        c.as_object_mut().unwrap().remove("exp");
    });
    rejected(
        &[],
        &no_exp,
        "no exp claim: the web client refuses a token without exp, and tokens must expire (T5)",
    );
    rejected(
        &["--profile", "rfc"],
        &no_exp,
        "no exp claim: tokens must expire (T5)",
    );
    verify(&["--profile", "rfc", "--allow-no-exp"], &no_exp).success();
    verify(&["--allow-no-exp"], &no_exp)
        .code(2)
        .stderr(contains("--allow-no-exp applies only with --profile rfc"));
    let expired = with(&|c| c["exp"] = json!(NOW - 180));
    rejected(
        &[],
        &expired,
        "expired 3m ago (exp 2027-01-15T07:57:00Z, leeway 60s)",
    );
    // Inside the default 60 s leeway: valid; with --leeway 0: expired.
    let just = with(&|c| c["exp"] = json!(NOW - 30));
    verify(&[], &just).success();
    rejected(&["--leeway", "0"], &just, "expired 30s ago");
    rejected(
        &[],
        &with(&|c| c["exp"] = json!("tomorrow")),
        "exp is not a number",
    );
    rejected(
        &[],
        &with(&|c| c["nbf"] = json!(NOW + 300)),
        "not valid yet: nbf is 2027-01-15T08:05:00Z (in 5m, leeway 60s)",
    );
    verify(&[], &with(&|c| c["nbf"] = json!(NOW + 30))).success();
    // iat in the future: a warning under the platform profile (T13), an
    // error under the rfc profile.
    let ahead = with(&|c| c["iat"] = json!(NOW + 120));
    verify(&[], &ahead).success().stdout(contains(
        "warning: iat is in the future: 2027-01-15T08:02:00Z (in 2m, leeway 60s); the issuer's clock is ahead (T13)",
    ));
    rejected(
        &["--profile", "rfc"],
        &ahead,
        "iat is in the future: 2027-01-15T08:02:00Z (in 2m, leeway 60s)",
    );
    rejected(
        &[],
        &with(&|c| c["exp"] = json!(1_800_000_600_000i64)),
        "exp 1800000600000 is outside the years 1970 to 9999 (NumericDate: unix seconds); milliseconds? as seconds it would be 2027-01-15T08:10:00Z (T14)",
    );
    uvtool()
        .args([
            "verify",
            "--jwks",
            &fixture_str("keys/a/jwks.json"),
            "--leeway",
            "1h",
            "--now",
            "1800010000",
            &expired,
        ])
        .assert()
        .code(1)
        .stdout(contains(
            "invalid: expired 2h 49m ago (exp 2027-01-15T07:57:00Z, leeway 3600s)",
        ));
    // Fractional NumericDates are accepted.
    verify(&[], &with(&|c| c["exp"] = json!(NOW as f64 + 100.5))).success();
}

#[test]
fn claim_failures() {
    let t = good();
    rejected(&["--iss", "https://acme.example/"], &t, "iss is \"https://acme.example\", expected \"https://acme.example/\" (a trailing slash is a mismatch: the issuer is compared exactly) (T4)");
    rejected(
        &["--iss", "other"],
        &t,
        "iss is \"https://acme.example\", expected \"other\"",
    );
    rejected(
        &["--aud", "web", "--aud", "app"],
        &t,
        "aud \"chat\" does not include one of \"web\", \"app\"",
    );
    verify(&["--aud", "web", "--aud", "chat"], &t).success();
    rejected(
        &["--sub", "user-2"],
        &t,
        "sub is \"user-1\", expected \"user-2\"",
    );
    rejected(
        &["--require", "iat", "--require", "email"],
        &t,
        "required claim \"email\" is missing",
    );
    let bare = openssl_token(&hdr(), &json!({"exp": NOW + 60}), "keys/a/private.pem");
    rejected(&["--iss", "x"], &bare, "no iss claim (expected \"x\")");
    // The platform requires iss (T4) and sub (T3) whatever was asked.
    rejected(
        &[],
        &bare,
        "no iss claim: the platform matches it with the issuer registered with the keyset (SU) (T4)",
    );
    let only_iss = openssl_token(
        &hdr(),
        &json!({"iss": "x", "exp": NOW + 60}),
        "keys/a/private.pem",
    );
    rejected(
        &[],
        &only_iss,
        "no sub claim: the platform stores the verified user under it",
    );
    let rfc = ["--profile", "rfc"];
    verify(&rfc, &bare).success();
    rejected(
        &["--profile", "rfc", "--aud", "x"],
        &bare,
        "no aud claim (expected \"x\") (A1)",
    );
    rejected(
        &["--profile", "rfc", "--sub", "x"],
        &bare,
        "no sub claim (expected \"x\") (A2)",
    );
}

#[test]
fn checks_run_in_order() {
    // Expired AND wrong issuer AND signed by the wrong key: the signature
    // is reported, as it is checked first.
    let mut c = claims();
    c["exp"] = json!(NOW - 1000);
    let t = openssl_token(&hdr(), &c, "keys/b/private.pem");
    rejected(&["--iss", "x"], &t, "signature does not verify");
    let t = openssl_token(&hdr(), &c, "keys/a/private.pem");
    rejected(&["--iss", "x"], &t, "expired");
}

#[test]
fn json_output() {
    let out = verify(&["--json", "--config", "Cfg"], &good()).success();
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["reason"], Value::Null);
    assert_eq!(v["kid"], "fixture-a");
    assert_eq!(v["alg"], "RS256");
    assert_eq!(v["header"]["typ"], "JWT");
    assert_eq!(v["claims"]["sub"], "user-1");
    assert_eq!(v["platform_key"], "v2/iamessage/AUTH/Cfg/uid:user-1");
    let out = verify(&["--json", "--config", "Cfg", "--sub", "x"], &good()).code(1);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["code"], "sub");
    assert_eq!(v["reason"], "sub is \"user-1\", expected \"x\"");
    assert_eq!(v["platform_key"], Value::Null);
}

#[test]
fn batch_mix_in_order() {
    let mut c = claims();
    c["exp"] = json!(NOW - 1000);
    c["sub"] = json!("old");
    let lines = [
        good(),
        openssl_token(&hdr(), &c, "keys/a/private.pem"),
        "garbage".to_string(),
        openssl_token(&hdr(), &claims(), "keys/b/private.pem"),
        good(),
    ];
    let input = format!(
        "{}\n\n{}\n{}\n{}\n{}\n",
        lines[0], lines[1], lines[2], lines[3], lines[4]
    );
    let out = verify_cmd()
        .args(["--config", "C"])
        .write_stdin(input.clone())
        .assert()
        .code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let got: Vec<&str> = text.lines().collect();
    assert_eq!(got.len(), 5, "{text}");
    assert_eq!(
        got[0],
        "valid sub=user-1 platform_key=v2/iamessage/AUTH/C/uid:user-1 [-:1]"
    );
    assert!(got[1].starts_with("invalid: expired 16m ago"), "{}", got[1]);
    assert!(
        got[2].starts_with("invalid: malformed token: has 1 segment(s)"),
        "{}",
        got[2]
    );
    assert!(
        got[3].starts_with("invalid: signature does not verify"),
        "{}",
        got[3]
    );
    assert_eq!(got[4], got[0].replace("[-:1]", "[-:6]"));
    // JSON lines, one object per token.
    let out = verify_cmd()
        .args(["--json", "-"])
        .write_stdin(input)
        .assert()
        .code(1);
    let rows: Vec<Value> = String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let valid: Vec<bool> = rows.iter().map(|r| r["valid"].as_bool().unwrap()).collect();
    assert_eq!(valid, [true, false, false, false, true]);
    // All valid: exit 0.
    verify_cmd()
        .write_stdin(format!("{}\n{}\n", good(), good()))
        .assert()
        .success();
}

#[test]
fn single_token_on_stdin_gets_full_report() {
    verify_cmd()
        .arg("-")
        .write_stdin(format!("\n{}\n", good()))
        .assert()
        .success()
        .stdout(predicate::str::starts_with("valid\nsigned with RS256"));
}

#[test]
fn colour_only_when_asked_and_no_color_wins() {
    verify(&[], &good())
        .success()
        .stdout(contains("\x1b[").not());
    verify_cmd()
        .env("CLICOLOR_FORCE", "1")
        .arg(good())
        .assert()
        .success()
        // anstyle writes bold and green as two codes.
        .stdout(contains("\x1b[1m\x1b[32mvalid\x1b[0m"));
    verify_cmd()
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .arg(good())
        .assert()
        .success()
        .stdout(contains("\x1b[").not());
}

#[test]
fn unusable_keys_exit_2() {
    let t = good();
    let cases: &[(&[&str], &str)] = &[
        (&[], "give the keys to verify with"),
        (
            &["--jwks", "/nonexistent/jwks.json"],
            "/nonexistent/jwks.json: no such file",
        ),
        (
            &["--cert", &fixture_str("keys/a/private.pem")],
            "--cert got a private key (keep it secret, never upload it): use --key",
        ),
        (
            &["--jwks", &fixture_str("keys/a/cert.pem")],
            "--jwks got a certificate: use --cert",
        ),
        (
            &["--key", &fixture_str("keys/a/jwks.json")],
            "--key got a JWKS: use --jwks",
        ),
        (
            &[
                "--jwks",
                &fixture_str("keys/a/jwks.json"),
                "--leeway",
                "a while",
            ],
            "invalid value 'a while' for '--leeway <DURATION>': not a duration",
        ),
        (
            &["--jwks", &fixture_str("keys/a/jwks.json"), "--now", "later"],
            "invalid value 'later' for '--now <TIME>': not a time",
        ),
        (
            &["--jwks", &fixture_str("keys/a/jwks.json"), "--alg", "HS256"],
            "invalid value 'HS256'",
        ),
    ];
    for (args, msg) in cases {
        uvtool()
            .arg("verify")
            .args(*args)
            .arg(&t)
            .assert()
            .code(2)
            .stderr(contains(*msg));
    }
    uvtool()
        .args([
            "verify",
            "--jwks",
            &fixture_str("keys/a/jwks.json"),
            &fixture_str("keys/a/jwk.json"),
        ])
        .assert()
        .code(2)
        .stderr(contains(
            "jwk.json: is a JWK, not a token: give it with --jwks, and the token as the argument",
        ));
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("ec.json");
    std::fs::write(
        &f,
        r#"{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}"#,
    )
    .unwrap();
    // A set that can be read but holds no key for the token is a verdict
    // (invalid, exit 1) naming why, never a silent pass or exit 2.
    uvtool()
        .args(["verify", "--jwks", f.to_str().unwrap(), &t])
        .assert()
        .code(1)
        .stdout(contains("invalid: "))
        .stdout(contains("(K1)"));
    uvtool()
        .args(["verify", "--jwks", "-", "-"])
        .assert()
        .code(2)
        .stderr(contains("only one input can read stdin"));
    uvtool()
        .args(["verify", "--jwks", &fixture_str("keys/a/jwks.json")])
        .write_stdin("\n\n")
        .assert()
        .code(2)
        .stderr(contains("<stdin>: has no token"));
}

#[test]
fn a_key_file_that_breaks_a_key_rule_is_a_verdict() {
    // Readable key files uvtool would not make are judged, not refused:
    // the token is invalid with the key's rule (exit 1), as `check` says.
    let t = good();
    for (key, rule) in [("keys/ec-p256.pem", "(K2)"), ("keys/rsa1024.pem", "(K3)")] {
        uvtool()
            .args(["verify", "--key", &fixture_str(key), &t])
            .assert()
            .code(1)
            .stdout(contains("invalid: the key from ").and(contains(rule)));
    }
}

#[test]
fn rfc7517_a1_set_skips_the_ec_key() {
    // RFC 7517 A.1 has an EC key and an RSA key (kid 2011-04-29, 2048 bits).
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_str("vectors/rfc7517-a1-public-jwks.json")).unwrap(),
    )
    .unwrap();
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("a1.json");
    std::fs::write(&f, v["jwks"].to_string()).unwrap();
    let t = openssl_token(
        &json!({"alg": "RS256", "kid": "2011-04-29"}),
        &claims(),
        "keys/a/private.pem",
    );
    uvtool()
        .args([
            "verify",
            "--profile",
            "rfc",
            "--jwks",
            f.to_str().unwrap(),
            "--now",
            &NOW.to_string(),
            &t,
        ])
        .assert()
        .code(1)
        .stdout(contains(
            "invalid: signature does not verify with key \"2011-04-29\"",
        ));
    // Under the platform profile the key itself is refused first: the
    // RFC's key has no x5c (K13).
    uvtool()
        .args([
            "verify",
            "--jwks",
            f.to_str().unwrap(),
            "--now",
            &NOW.to_string(),
            &t,
        ])
        .assert()
        .code(1)
        .stdout(contains("invalid: key \"2011-04-29\" from "))
        .stdout(contains("has no \"x5c\""))
        .stdout(contains("(K13)"));
}

#[test]
fn rfc7515_a2_known_answer() {
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_str("vectors/rfc7515-a2-rs256.json")).unwrap(),
    )
    .unwrap();
    let jws = v["compact_jws"].as_str().unwrap();
    let d = tempfile::tempdir().unwrap();
    let spki = d.path().join("a2.pem");
    std::fs::write(&spki, v["public_key_spki_pem"].as_str().unwrap()).unwrap();
    let jwks = d.path().join("a2.jwks");
    std::fs::write(&jwks, json!({"keys": [v["jwk_public"]]}).to_string()).unwrap();
    for (flag, file) in [("--key", &spki), ("--jwks", &jwks)] {
        uvtool()
            .args([
                "verify",
                "--profile",
                "rfc",
                flag,
                file.to_str().unwrap(),
                "--now",
                "1300819379",
                jws,
            ])
            .assert()
            .success()
            .stdout(contains("valid\n"))
            .stdout(contains("\"http://example.com/is_root\": true"))
            .stdout(contains("exp: 2011-03-22T18:43:00Z (expires in 1s)"));
        uvtool()
            .args([
                "verify",
                "--profile",
                "rfc",
                flag,
                file.to_str().unwrap(),
                jws,
            ])
            .assert()
            .code(1)
            .stdout(contains("invalid: expired "))
            .stdout(contains("(exp 2011-03-22T18:43:00Z, leeway 60s)"));
    }
    // Minting the same claims with the same key and clock gives a token the
    // RFC's key verifies.
    let key = d.path().join("a2-private.pem");
    std::fs::write(&key, v["private_key_pkcs8_pem"].as_str().unwrap()).unwrap();
    let out = uvtool()
        .args([
            "mint",
            "--key",
            key.to_str().unwrap(),
            "--iss",
            "joe",
            "--exp",
            "1300819380",
            "--iat",
            "1300819000",
            "--claim",
            "http://example.com/is_root=true",
        ])
        .output()
        .unwrap();
    let t = String::from_utf8(out.stdout).unwrap();
    uvtool()
        .args([
            "verify",
            "--profile",
            "rfc",
            "--jwks",
            jwks.to_str().unwrap(),
            "--now",
            "1300819379",
            t.trim(),
        ])
        .assert()
        .success();
}

/// A FIFO at `path` that gives `text` once, to the first reader.
#[cfg(unix)]
fn fifo(path: &std::path::Path, text: String) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
    let path = path.to_path_buf();
    // Opening blocks until the reader opens; the thread ends with the test.
    std::thread::spawn(move || {
        use std::io::Write;
        if let Ok(mut w) = std::fs::OpenOptions::new().write(true).open(&path) {
            let _ = w.write_all(text.as_bytes());
        }
    });
}

/// A FIFO (`<(cmd)`) or `/dev/stdin` gives its bytes once: its start is
/// checked and then read on from there, never opened twice (the tokens
/// the check read were lost: "has no token", exit 2).
#[cfg(unix)]
#[test]
fn a_fifo_or_dev_stdin_of_tokens_is_read_once() {
    // A second open of a FIFO waits for a writer that never comes.
    let run = |input: &str| {
        let mut c = uvtool();
        c.args(["verify", "--jwks", &fixture_str("keys/a/jwks.json")])
            .args(["--now", &NOW.to_string(), input])
            .timeout(std::time::Duration::from_secs(20));
        c
    };
    let d = tempfile::tempdir().unwrap();
    let two = format!("{}\n{}\n", good(), good());
    let p = d.path().join("tokens.fifo");
    fifo(&p, two.clone());
    let name = p.to_str().unwrap();
    run(name).assert().code(0).stderr("").stdout(format!(
        "valid sub=user-1 [{name}:1]\nvalid sub=user-1 [{name}:2]\n"
    ));
    // One token: the full report, as for a file.
    let p = d.path().join("one.fifo");
    fifo(&p, format!("{}\n", good()));
    run(p.to_str().unwrap())
        .assert()
        .code(0)
        .stderr(contains("has no token").not())
        .stdout(contains("valid\n").and(contains("\"sub\": \"user-1\"")));
    // `/dev/stdin` on a pipe is a FIFO too.
    run("/dev/stdin")
        .write_stdin(two)
        .assert()
        .code(0)
        .stderr("")
        .stdout("valid sub=user-1 [/dev/stdin:1]\nvalid sub=user-1 [/dev/stdin:2]\n");
    // Keys given where tokens go are named, as in a file.
    let p = d.path().join("keys.fifo");
    fifo(
        &p,
        std::fs::read_to_string(fixture_str("keys/a/jwks.json")).unwrap(),
    );
    run(p.to_str().unwrap()).assert().code(2).stdout("").stderr(format!(
        "uvtool: error: {}: is a JWKS, not a token: give it with --jwks, and the token as the argument\n",
        p.display()
    ));
}

#[test]
fn token_arguments_may_name_files() {
    let d = tempfile::tempdir().unwrap();
    let one = d.path().join("token.jwt");
    std::fs::write(&one, format!("{}\n", good())).unwrap();
    let one = one.to_str().unwrap();
    // verify: a file with one token gets the full report.
    verify(&[], one)
        .success()
        .stdout(contains("valid"))
        .stdout(contains("user-1"));
    // verify: a file of tokens gets one verdict a line, in order.
    let many = d.path().join("tokens.txt");
    let bad = good().replace(".ey", ".eyX");
    std::fs::write(&many, format!("{}\n\n{}\n{}\n", good(), bad, good())).unwrap();
    let out = verify(&[], many.to_str().unwrap())
        .code(1)
        .get_output()
        .stdout
        .clone();
    let lines: Vec<String> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| l.split([':', ' ']).next().unwrap_or_default().to_string())
        .collect();
    assert_eq!(lines, ["valid", "invalid", "valid"]);
    // decode and platform-key read the first line of the file.
    uvtool()
        .args(["decode", one])
        .assert()
        .success()
        .stdout(contains("user-1"));
    uvtool()
        .args(["platform-key", "--config", "Cfg", "--token", one])
        .assert()
        .success()
        .stdout("v2/iamessage/AUTH/Cfg/uid:user-1\n");
    // A file that holds no token is named in the error.
    let junk = d.path().join("notes.txt");
    std::fs::write(&junk, "hello\n").unwrap();
    uvtool()
        .args(["decode", junk.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains(
            "notes.txt: does not start with a token (first line: has 1 segment(s)",
        ));
}
