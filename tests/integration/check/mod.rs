//! `uvtool check`: one test that trips each rule and one that passes it,
//! through the binary, plus input detection, output and exit codes.
//!
//! Broken artifacts are built here from the key fixtures (see each test);
//! tokens are signed here with the fixture keys through the library's signer
//! (and by `uvtool mint` in `mint_output_passes`).
//! `every_listed_rule_has_tests` fails when `--list-rules` names a rule
//! without a `trips_<id>` and a `passes_<id>` test in this file or in
//! `check/endpoint.rs` (the URL rules).

mod endpoint;
mod pre_commit;
mod rule_boundaries;

use assert_cmd::assert::Assert;
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::{json, Map, Value};
use tempfile::TempDir;

use crate::common::run::check;
use crate::common::token::jwk_a;
use crate::common::{fixture, fixture_str, uvtool};

use crate::common::clock::NOW;
const ISS: &str = "https://example.com";

fn jwk(rel: &str) -> Map<String, Value> {
    serde_json::from_slice(&std::fs::read(fixture(rel)).unwrap()).unwrap()
}

fn write(dir: &TempDir, name: &str, data: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, data).unwrap();
    p.to_string_lossy().into_owned()
}

fn write_json(dir: &TempDir, name: &str, v: &impl serde::Serialize) -> String {
    write(dir, name, &serde_json::to_string_pretty(v).unwrap())
}

/// Run check on one JWK object written to a file.
fn check_jwk(obj: &Map<String, Value>, extra: &[&str]) -> Assert {
    let d = TempDir::new().unwrap();
    let p = write_json(&d, "jwk.json", obj);
    let mut args = vec![p.as_str()];
    args.extend_from_slice(extra);
    check(&args)
}

/// Sign a token with a fixture private key through the library's signer.
fn sign(header: Value, claims: Value, key_rel: &str) -> String {
    let enc = |v: &Value| uvtool::b64::url_encode(&serde_json::to_vec(v).unwrap());
    let input = format!("{}.{}", enc(&header), enc(&claims));
    let k = uvtool::keys::load_private(&std::fs::read(fixture(key_rel)).unwrap(), key_rel).unwrap();
    let alg = uvtool::token::Alg::from_name(header["alg"].as_str().unwrap()).unwrap();
    let sig = uvtool::token::sign(&k, alg, input.as_bytes()).unwrap();
    format!("{input}.{}", uvtool::b64::url_encode(&sig))
}

fn header_a() -> Value {
    json!({"alg": "RS256", "typ": "JWT", "kid": "fixture-a"})
}

/// Claims as `uvtool mint --sub user-123 --iss ISS --ttl 10m` would give at NOW.
fn claims() -> Value {
    json!({"iss": ISS, "sub": "user-123", "iat": NOW - 60, "exp": NOW + 540})
}

/// A token file signed with key a.
fn token_file(dir: &TempDir, header: Value, claims: Value) -> String {
    write(
        dir,
        "token.txt",
        &(sign(header, claims, "keys/a/private.pem") + "\n"),
    )
}

/// Check a token (signed with key a) together with a/jwks.json and --issuer.
fn check_token(header: Value, claims: Value, extra: &[&str]) -> Assert {
    let d = TempDir::new().unwrap();
    let t = token_file(&d, header, claims);
    let jwks = fixture_str("keys/a/jwks.json");
    let mut args = vec![t.as_str(), jwks.as_str(), "--issuer", ISS];
    args.extend_from_slice(extra);
    check(&args)
}

fn no_rule(id: &str) -> impl Predicate<str> {
    predicate::str::is_match(format!(r"(?m)^(error|warning|info) {id} "))
        .unwrap()
        .not()
}

// ---------------------------------------------------------------- coverage

#[test]
fn every_listed_rule_has_tests() {
    let out = uvtool().args(["check", "--list-rules"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let ids: Vec<&str> = text
        .lines()
        .skip(2)
        .filter(|l| !l.starts_with(' ') && !l.is_empty())
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert!(ids.len() >= 20, "too few rules listed: {ids:?}");
    let me = [include_str!("mod.rs"), include_str!("endpoint.rs")].concat();
    for id in &ids {
        let lower = id.to_lowercase();
        for kind in ["trips", "passes"] {
            let name = format!("fn {kind}_{lower}(");
            assert!(me.contains(&name), "rule {id} has no test `{name}`");
        }
    }
    // Every rule has a level and a source.
    for l in text
        .lines()
        .filter(|l| l.trim_start().starts_with("source:"))
    {
        assert!(l.len() > "     source: ".len() + 3, "empty source: {l}");
    }
}

#[test]
fn list_rules_json_has_ids_levels_sources() {
    let out = uvtool()
        .args(["check", "--list-rules", "--json"])
        .assert()
        .success();
    // JSON Lines (issue 23): one rule a line.
    let arr: Vec<Value> = String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(arr
        .iter()
        .any(|r| r["id"] == "K13" && r["level"] == "error"));
    assert!(arr
        .iter()
        .all(|r| r["source"].as_str().is_some_and(|s| !s.is_empty())));
}

// ------------------------------------------------- uvtool's own outputs pass

#[test]
fn uvtool_outputs_have_zero_findings() {
    for f in [
        "keys/a/jwk.json",
        "keys/a/jwks.json",
        "keys/a/cert.pem",
        "keys/a/public.pem",
        "keys/a/private.pem",
        "keys/rsa4096/jwk.json",
        "keys/rsa4096/jwks.json",
    ] {
        check(&[&fixture_str(f)])
            .code(0)
            .stdout(contains("checked 1 input: no findings"));
    }
    // A rotation set assembled by `uvtool jwks`.
    let d = TempDir::new().unwrap();
    let set = d.path().join("set.json");
    uvtool()
        .args([
            "jwks",
            &fixture_str("keys/a/jwk.json"),
            &fixture_str("keys/b/jwk.json"),
            "-o",
        ])
        .arg(&set)
        .assert()
        .success();
    check(&[set.to_str().unwrap(), "--upload"]).code(1); // a set is not for the upload form
    check(&[set.to_str().unwrap()])
        .code(0)
        .stdout(contains("no findings"));
}

#[test]
fn default_token_with_its_jwks_has_zero_findings() {
    check_token(header_a(), claims(), &["--config", "MyConfig"])
        .code(0)
        .stdout(contains("platform key ("))
        .stdout(contains("v2/iamessage/AUTH/MyConfig/uid:user-123"))
        .stdout(contains("checked 2 inputs: no findings"))
        .stdout(contains("note:").not());
}

#[test]
fn mint_output_passes() {
    // Defaults throughout: the JWKS gets the thumbprint kid from the
    // certificate, and mint's default kid is the same thumbprint.
    let d = TempDir::new().unwrap();
    let set = d.path().join("jwks.json");
    uvtool()
        .args(["jwks", &fixture_str("keys/a/cert.pem"), "-o"])
        .arg(&set)
        .assert()
        .success();
    let now = NOW.to_string();
    let out = uvtool()
        .args([
            "mint",
            "--key",
            &fixture_str("keys/a/private.pem"),
            "--sub",
            "user-123",
            "--iss",
            ISS,
            "--now",
            &now,
        ])
        .assert()
        .success();
    let tok = d.path().join("token.txt");
    std::fs::write(&tok, &out.get_output().stdout).unwrap();
    check(&[
        tok.to_str().unwrap(),
        set.to_str().unwrap(),
        "--issuer",
        ISS,
        "--strict",
    ])
    .code(0)
    .stdout(contains("checked 2 inputs: no findings"))
    .stdout(contains("note:").not());
    // The same token against the fixture JWKS, whose kid is fixture-a: T2
    // names the kid that works.
    check(&[
        tok.to_str().unwrap(),
        &fixture_str("keys/a/jwks.json"),
        "--issuer",
        ISS,
    ])
    .code(1)
    .stdout(contains("error T2 "))
    .stdout(contains("mint with `--kid fixture-a`"));
}

#[test]
fn official_sample_gets_exactly_the_placeholder_warning() {
    let out = check(&[&fixture_str("check/official-sample.json")])
        .code(0)
        .stdout(contains("checked 1 input: 0 errors, 1 warning, 0 info"));
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let findings: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("error") || l.starts_with("warning") || l.starts_with("info"))
        .collect();
    assert_eq!(findings.len(), 1, "{text}");
    assert!(findings[0].starts_with("warning K10 "), "{text}");
    assert!(findings[0].contains("\"y\":\"y\"") && findings[0].contains("\"d\":\"d\""));
}

// ------------------------------------------------------------- key rules

#[test]
fn trips_k1() {
    let mut o = jwk_a();
    o.remove("kid");
    o.remove("alg");
    check_jwk(&o, &[])
        .code(1)
        .stdout(contains("error K1 "))
        .stdout(contains("missing required member(s) \"kid\", \"alg\""))
        .stdout(contains("uvtool jwk --cert cert.pem"));
}

#[test]
fn passes_k1() {
    // `use` and `x5t#S256` are optional.
    let mut o = jwk_a();
    o.remove("use");
    o.remove("x5t#S256");
    check_jwk(&o, &[]).code(0).stdout(no_rule("K1"));
}

#[test]
fn trips_k2() {
    let mut o = jwk_a();
    o.insert("alg".into(), "PS256".into());
    check_jwk(&o, &[])
        .code(1)
        .stdout(contains("error K2 "))
        .stdout(contains(
            "alg: \"alg\" is \"PS256\"; the platform accepts RS256 or RS512 only",
        ))
        .stdout(contains("--alg RS256"));
    check(&[&fixture_str("keys/ec-p256.pem")])
        .code(1)
        .stdout(contains("error K2 "))
        .stdout(contains("holds a key of type EC"));
}

#[test]
fn passes_k2() {
    let mut o = jwk_a();
    o.insert("alg".into(), "RS512".into());
    check_jwk(&o, &[]).code(0).stdout(no_rule("K2"));
}

#[test]
fn trips_k3() {
    check(&[&fixture_str("keys/rsa1024.pem")])
        .code(1)
        .stdout(contains("error K3 "))
        .stdout(contains(
            "RSA modulus is 1024 bits; the platform requires at least 2048",
        ))
        .stdout(contains("uvtool keygen"));
}

#[test]
fn passes_k3() {
    check(&[&fixture_str("keys/openssl-pkcs1.pem")])
        .code(0)
        .stdout(no_rule("K3"));
}

#[test]
fn trips_k4() {
    let mut o = jwk_a();
    o.insert("e".into(), "AQAB=".into());
    let n = o["n"].as_str().unwrap().replace('-', "+").replace('_', "/");
    o.insert("n".into(), n.into());
    check_jwk(&o, &[])
        .code(1)
        .stdout(contains("error K4 "))
        .stdout(contains("n: \"n\" has '"))
        .stdout(contains("': standard base64, not base64url"))
        .stdout(contains("e: \"e\" has '=' padding"));
}

#[test]
fn passes_k4() {
    check_jwk(&jwk_a(), &[]).code(0).stdout(no_rule("K4"));
}

#[test]
fn trips_k5() {
    // The url-safe alphabet in x5c.
    let mut o = jwk_a();
    let url = o["x5c"][0]
        .as_str()
        .unwrap()
        .replace('+', "-")
        .replace('/', "_");
    o.insert("x5c".into(), json!([url]));
    check_jwk(&o, &[])
        .code(1)
        .stdout(contains("error K5 "))
        .stdout(contains("x5c[0]: uses the url-safe alphabet"));
    // PEM armour pasted in.
    let pem = std::fs::read_to_string(fixture("keys/a/cert.pem")).unwrap();
    o.insert("x5c".into(), json!([pem]));
    check_jwk(&o, &[])
        .code(1)
        .stdout(contains("error K5 "))
        .stdout(contains("holds PEM armour"));
}

#[test]
fn passes_k5() {
    // A chain of two standard-base64 certificates.
    let mut o = jwk_a();
    let b = jwk("keys/b/jwk.json");
    o.insert("x5c".into(), json!([o["x5c"][0], b["x5c"][0]]));
    check_jwk(&o, &[]).code(0).stdout(no_rule("K5"));
}

#[test]
fn trips_k6() {
    // a's n/e with b's certificate.
    let mut o = jwk_a();
    o.insert("x5c".into(), jwk("keys/b/jwk.json")["x5c"].clone());
    check_jwk(&o, &[])
        .code(1)
        .stdout(contains("error K6 "))
        .stdout(contains(
            "x5c[0]: the certificate holds a different public key",
        ));
}

#[test]
fn passes_k6() {
    check_jwk(&jwk("keys/b/jwk.json"), &[])
        .code(0)
        .stdout(no_rule("K6"));
}

#[test]
fn trips_k7() {
    // Fixture a's certificate ends 2126-11-01T12:12:11Z.
    let jwk_path = fixture_str("keys/a/jwk.json");
    uvtool()
        .args(["check", &jwk_path, "--now", "2126-10-25T00:00:00Z"])
        .assert()
        .code(1)
        .stdout(contains("error K7 "))
        .stdout(contains("x5c[0]: the certificate expires on 2126-11-01T12:12:11Z (in 7d 12h); keys fail to upload without at least 10 more days of validity (TS)"))
        .stdout(contains("uvtool cert --key private.pem"));
    uvtool()
        .args([
            "check",
            &fixture_str("keys/a/cert.pem"),
            "--now",
            "2127-01-01T00:00:00Z",
        ])
        .assert()
        .code(1)
        .stdout(contains("error K7 "))
        .stdout(contains("the certificate expired on 2126-11-01T12:12:11Z"));
}

#[test]
fn passes_k7() {
    uvtool()
        .args([
            "check",
            &fixture_str("keys/a/jwk.json"),
            "--now",
            "2126-10-20T00:00:00Z",
        ])
        .assert()
        .code(0)
        .stdout(no_rule("K7"));
}

#[test]
fn trips_k8() {
    // The private key's DER pasted into x5c.
    let pem = std::fs::read(fixture("keys/a/private.pem")).unwrap();
    let der = &uvtool::pem::parse(&pem).unwrap()[0].der;
    let mut o = jwk_a();
    o.insert("x5c".into(), json!([uvtool::b64::std_encode(der)]));
    check_jwk(&o, &[])
        .code(1)
        .stdout(contains("error K8 "))
        .stdout(contains("x5c[0]: is a private key, not a certificate"));
    // A certificate file whose body is not a certificate.
    let d = TempDir::new().unwrap();
    let bad = uvtool::pem::encode("CERTIFICATE", b"\x30\x03\x02\x01\x01");
    let p = write(&d, "cert.pem", &bad);
    check(&[&p])
        .code(1)
        .stdout(contains("error K8 "))
        .stdout(contains("does not parse as an X.509 certificate"));
}

#[test]
fn passes_k8() {
    check(&[&fixture_str("keys/openssl-cert.der")])
        .code(0)
        .stdout(no_rule("K8"));
}

#[test]
fn trips_k9() {
    let d = TempDir::new().unwrap();
    let p = write_json(&d, "keys.json", &json!([jwk_a()]));
    check(&[&p])
        .code(1)
        .stdout(contains("error K9 "))
        .stdout(contains("is a JSON array"))
        .stdout(contains("upload each key individually"));
    check(&[&fixture_str("keys/a/jwks.json"), "--upload"])
        .code(1)
        .stdout(contains("error K9 "))
        .stdout(contains(
            "is a JWKS with 1 key(s); the upload form takes a single JWK object",
        ));
}

#[test]
fn passes_k9() {
    check(&[&fixture_str("keys/a/jwk.json"), "--upload"])
        .code(0)
        .stdout(no_rule("K9"));
    check(&[&fixture_str("keys/a/jwks.json")])
        .code(0)
        .stdout(no_rule("K9"));
}

#[test]
fn trips_k10() {
    // A private JWK from `uvtool jwk --private`.
    let d = TempDir::new().unwrap();
    let p = d.path().join("private-jwk.json");
    uvtool()
        .args([
            "jwk",
            "--key",
            &fixture_str("keys/a/private.pem"),
            "--cert",
            &fixture_str("keys/a/cert.pem"),
            "--private",
            "-o",
        ])
        .arg(&p)
        .assert()
        .success();
    check(&[p.to_str().unwrap()])
        .code(1)
        .stdout(contains("error K10 "))
        .stdout(contains("has private member(s) d, p, q, dp, dq, qi"));
    // Placeholders only: a warning, exit 0 (--strict makes it exit 1).
    check(&[&fixture_str("check/official-sample.json")])
        .code(0)
        .stdout(contains("warning K10 "));
    check(&[&fixture_str("check/official-sample.json"), "--strict"]).code(1);
}

#[test]
fn passes_k10() {
    // Placeholder-looking members that are not placeholders of private members.
    let mut o = jwk_a();
    o.insert("x5t".into(), "x5t".into());
    check_jwk(&o, &[]).code(0).stdout(no_rule("K10"));
}

#[test]
fn trips_k11() {
    let mut o = jwk_a();
    o.insert("use".into(), "enc".into());
    check_jwk(&o, &[])
        .code(1)
        .stdout(contains("error K11 "))
        .stdout(contains(
            "use: \"use\" is \"enc\", not \"sig\": verifiers skip a key",
        ));
}

#[test]
fn passes_k11() {
    let mut o = jwk_a();
    o.remove("use");
    check_jwk(&o, &["--strict"]).code(0).stdout(no_rule("K11"));
}

#[test]
fn trips_k12() {
    let d = TempDir::new().unwrap();
    let a = jwk_a();
    let mut b = jwk("keys/b/jwk.json");
    b.insert("kid".into(), "fixture-a".into());
    let p = write_json(&d, "dup.json", &json!({"keys": [a, b]}));
    check(&[&p])
        .code(1)
        .stdout(contains("error K12 "))
        .stdout(contains(
            "keys[1].kid: kid \"fixture-a\" is also the kid of keys[0]",
        ));
    let mut o = jwk_a();
    o.insert("kid".into(), "my key".into());
    check_jwk(&o, &[])
        .code(0)
        .stdout(contains("warning K12 "))
        .stdout(contains("whitespace"));
}

#[test]
fn passes_k12() {
    let d = TempDir::new().unwrap();
    let p = write_json(
        &d,
        "set.json",
        &json!({"keys": [jwk_a(), jwk("keys/b/jwk.json")]}),
    );
    check(&[&p, "--strict"]).code(0).stdout(no_rule("K12"));
}

#[test]
fn trips_k13() {
    // What `uvtool jwk --key public.pem` (no --cert) makes.
    let d = TempDir::new().unwrap();
    let p = d.path().join("nocert.json");
    uvtool()
        .args(["jwk", "--key", &fixture_str("keys/a/public.pem"), "-o"])
        .arg(&p)
        .assert()
        .success();
    check(&[p.to_str().unwrap()])
        .code(1)
        .stdout(contains("error K13 "))
        .stdout(contains("has no \"x5c\": Troubleshooting lists it as required for the upload (TS); one field report says the form accepted a key without it"))
        .stdout(contains("fix: re-export with `uvtool jwk --cert cert.pem`"))
        .stdout(no_rule("K1"));
}

#[test]
fn passes_k13() {
    check_jwk(&jwk_a(), &[]).code(0).stdout(no_rule("K13"));
}

#[test]
fn trips_k14() {
    check(&[&fixture_str("keys/rsa-e3.pem")])
        .code(0)
        .stdout(contains("warning K14 "))
        .stdout(contains("public exponent is 3, not 65537"));
    check(&[&fixture_str("keys/rsa-e3.pem"), "--strict"]).code(1);
}

#[test]
fn passes_k14() {
    check(&[&fixture_str("keys/openssl-spki.pem"), "--strict"])
        .code(0)
        .stdout(no_rule("K14"));
}

// ----------------------------------------------------------- token rules

#[test]
fn trips_t1() {
    check_token(json!({"alg": "RS384", "kid": "fixture-a"}), claims(), &[])
        .code(1)
        .stdout(contains("error T1 "))
        .stdout(contains(
            "header.alg: alg RS384 is not accepted by the platform (RS256 or RS512 only; WEB)",
        ))
        .stdout(contains("--alg RS256"))
        .stdout(contains(
            "token.txt): invalid under the platform profile: alg RS384 is not accepted by the platform (RS256 or RS512 only; WEB) (T1)",
        ));
    // Under the rfc profile RS384 is a JOSE algorithm like any other, but
    // key a's JWK says RS256 (T10).
    check_token(
        json!({"alg": "RS384", "kid": "fixture-a"}),
        claims(),
        &["--profile", "rfc"],
    )
    .code(1)
    .stdout(no_rule("T1"))
    .stdout(contains("error T10 "));
}

#[test]
fn passes_t1() {
    // RS512 alone (no keys, so T10 does not apply).
    let d = TempDir::new().unwrap();
    let t = token_file(&d, json!({"alg": "RS512", "kid": "fixture-a"}), claims());
    check(&[&t, "--issuer", ISS])
        .code(0)
        .stdout(no_rule("T1"))
        .stdout(contains("note:").and(contains("signature (T7)")));
}

#[test]
fn trips_t2() {
    check_token(json!({"alg": "RS256"}), claims(), &[])
        .code(1)
        .stdout(contains("error T2 "))
        .stdout(contains(
            "header.kid: the token has no kid; the platform selects the key by kid (tool)",
        ));
    check_token(json!({"alg": "RS256", "kid": "old-key"}), claims(), &[])
        .code(1)
        .stdout(contains("error T2 "))
        .stdout(contains("kid \"old-key\" is not in "))
        .stdout(contains("(it has: \"fixture-a\")"))
        .stdout(contains(
            "fix: the signature verifies with the key whose kid is \"fixture-a\": mint with `--kid fixture-a`",
        ));
}

#[test]
fn passes_t2() {
    check_token(header_a(), claims(), &[])
        .code(0)
        .stdout(no_rule("T2"));
}

#[test]
fn trips_t3() {
    check_token(
        header_a(),
        json!({"iss": ISS, "iat": NOW - 60, "exp": NOW + 540}),
        &[],
    )
    .code(1)
    .stdout(contains("error T3 "))
    .stdout(contains(
        "claims.sub: no sub claim: the platform stores the verified user under it",
    ));
    check_token(
        header_a(),
        json!({"iss": ISS, "sub": "", "iat": NOW - 60, "exp": NOW + 540}),
        &[],
    )
    .code(1)
    .stdout(contains("error T3 "))
    .stdout(contains("sub is empty"))
    .stdout(no_rule("T8"));
}

#[test]
fn passes_t3() {
    check_token(header_a(), claims(), &[])
        .code(0)
        .stdout(no_rule("T3"));
}

#[test]
fn trips_t4() {
    let mut c = claims();
    c["iss"] = json!(format!("{ISS}/"));
    check_token(header_a(), c, &[])
        .code(1)
        .stdout(contains("error T4 "))
        .stdout(contains("claims.iss: iss is \"https://example.com/\", expected \"https://example.com\" (a trailing slash is a mismatch: the issuer is compared exactly)"))
        .stdout(contains("fix: mint with `--iss https://example.com`"));
    let mut c = claims();
    c.as_object_mut().unwrap().remove("iss");
    check_token(header_a(), c, &[])
        .code(1)
        .stdout(contains("error T4 "))
        .stdout(contains("no iss claim (expected \"https://example.com\")"));
}

#[test]
fn passes_t4() {
    check_token(header_a(), claims(), &[])
        .code(0)
        .stdout(no_rule("T4"));
}

#[test]
fn trips_t5() {
    let mut c = claims();
    c["exp"] = json!(NOW - 180);
    c["iat"] = json!(NOW - 780);
    check_token(header_a(), c, &[])
        .code(1)
        .stdout(contains("error T5 "))
        .stdout(contains(
            "claims.exp: expired 3m ago (exp 2027-01-15T07:57:00Z, leeway 60s)",
        ));
    // Inside the leeway (the same 60 s as verify): no finding.
    let mut c = claims();
    c["exp"] = json!(NOW - 30);
    check_token(header_a(), c, &[])
        .code(0)
        .stdout(no_rule("T5"));
    let mut c = claims();
    c.as_object_mut().unwrap().remove("exp");
    check_token(header_a(), c, &[]).code(1).stdout(contains(
        "claims.exp: no exp claim: the web client refuses a token without exp",
    ));
}

#[test]
fn passes_t5() {
    // The same token as the expired one, checked while it was fresh.
    let mut c = claims();
    c["exp"] = json!(NOW - 180);
    c["iat"] = json!(NOW - 780);
    let d = TempDir::new().unwrap();
    let t = token_file(&d, header_a(), c);
    let then = (NOW - 600).to_string();
    uvtool()
        .args([
            "check",
            &t,
            &fixture_str("keys/a/jwks.json"),
            "--issuer",
            ISS,
            "--now",
            &then,
        ])
        .assert()
        .code(0)
        .stdout(no_rule("T5"));
}

#[test]
fn trips_t6() {
    let mut c = claims();
    c["exp"] = json!(NOW + 30 * 86400);
    check_token(header_a(), c, &[])
        .code(0)
        .stdout(contains("warning T6 "))
        .stdout(contains("lifetime is 30d"));
}

#[test]
fn passes_t6() {
    let mut c = claims();
    c["exp"] = json!(NOW - 60 + 86400);
    check_token(header_a(), c, &["--strict"])
        .code(0)
        .stdout(no_rule("T6"));
}

#[test]
fn trips_t7() {
    // Signed with key b but naming fixture-a.
    let d = TempDir::new().unwrap();
    let tok = sign(header_a(), claims(), "keys/b/private.pem");
    let t = write(&d, "token.txt", &tok);
    check(&[&t, &fixture_str("keys/a/jwks.json"), "--issuer", ISS])
        .code(1)
        .stdout(contains("error T7 "))
        .stdout(contains(
            "token.txt: signature: signature does not verify with key \"fixture-a\" from ",
        ))
        .stdout(contains("jwks.json: keys[0]"));
    // Claims altered after signing.
    let good = sign(header_a(), claims(), "keys/a/private.pem");
    let parts: Vec<&str> = good.split('.').collect();
    let mut c = claims();
    c["sub"] = json!("admin");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        uvtool::b64::url_encode(&serde_json::to_vec(&c).unwrap()),
        parts[2]
    );
    let t = write(&d, "forged.txt", &forged);
    check(&[&t, &fixture_str("keys/a/jwk.json"), "--issuer", ISS])
        .code(1)
        .stdout(contains("error T7 "));
}

#[test]
fn passes_t7() {
    // Against the certificate (no kid) and against the JWK.
    let d = TempDir::new().unwrap();
    let t = token_file(&d, header_a(), claims());
    check(&[&t, &fixture_str("keys/a/cert.pem"), "--issuer", ISS])
        .code(0)
        .stdout(no_rule("T7"));
    check(&[&t, &fixture_str("keys/a/jwk.json"), "--issuer", ISS])
        .code(0)
        .stdout(no_rule("T7"));
}

#[test]
fn trips_t8() {
    let mut c = claims();
    c["sub"] = json!("team/alice");
    check_token(header_a(), c, &[])
        .code(0)
        .stdout(contains("warning T8 "))
        .stdout(contains("claims.sub: sub \"team/alice\" contains '/'"));
}

#[test]
fn passes_t8() {
    let mut c = claims();
    c["sub"] = json!("alice@example.com");
    check_token(header_a(), c, &["--strict"])
        .code(0)
        .stdout(no_rule("T8"));
}

#[test]
fn trips_t9() {
    let mut c = claims();
    c["aud"] = json!("https://chat.example.com");
    check_token(header_a(), c, &["--strict"])
        .code(0)
        .stdout(contains("info T9 "))
        .stdout(contains("claims.aud: aud is \"https://chat.example.com\": allowed; the keyset has no audience setting, so the platform is not known to check it (field reports disagree)"));
}

#[test]
fn passes_t9() {
    check_token(header_a(), claims(), &[])
        .code(0)
        .stdout(no_rule("T9"));
}

#[test]
fn trips_t10() {
    // An RS512 token from key a, whose JWK says alg RS256.
    check_token(json!({"alg": "RS512", "kid": "fixture-a"}), claims(), &[])
        .code(1)
        .stdout(contains("error T10 "))
        .stdout(contains("key \"fixture-a\" from "))
        .stdout(contains(
            "is for RS256 (its JWK \"alg\"), but the token is signed with RS512",
        ))
        .stdout(no_rule("T1"))
        .stdout(no_rule("T7"));
}

#[test]
fn passes_t10() {
    // The same token against the certificate, which carries no alg.
    let d = TempDir::new().unwrap();
    let t = token_file(&d, json!({"alg": "RS512", "kid": "fixture-a"}), claims());
    check(&[&t, &fixture_str("keys/a/cert.pem"), "--issuer", ISS])
        .code(0)
        .stdout(no_rule("T10"));
}

#[test]
fn trips_k15() {
    // A certificate whose subject marks a seeded fixture key.
    let d = TempDir::new().unwrap();
    let cert = d.path().join("cert.pem");
    uvtool()
        .args([
            "cert",
            "--key",
            &fixture_str("keys/a/private.pem"),
            "--subject",
        ])
        .arg(format!("CN={} (seed: public)", uvtool::cert::FIXTURE_CN))
        .arg("-o")
        .arg(&cert)
        .assert()
        .success();
    check(&[cert.to_str().unwrap()])
        .code(0)
        .stdout(contains("warning K15 "))
        .stdout(contains("anyone can re-derive its private key"));
}

#[test]
fn passes_k15() {
    check(&[&fixture_str("keys/a/cert.pem"), "--strict"])
        .code(0)
        .stdout(no_rule("K15"));
}

#[test]
fn trips_t0() {
    let d = TempDir::new().unwrap();
    // Three segments that start like a token but whose payload is not JSON.
    let t = write(&d, "token.txt", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.AA\n");
    check(&[&t, &fixture_str("keys/a/jwks.json")])
        .code(1)
        .stdout(contains("error T0 "))
        .stdout(contains(
            "malformed token: payload segment is not valid JSON",
        ));
}

#[test]
fn passes_t0() {
    check_token(header_a(), claims(), &[])
        .code(0)
        .stdout(no_rule("T0"));
}

#[test]
fn trips_t11() {
    let mut h = header_a();
    h["crit"] = json!(["b64"]);
    check_token(h, claims(), &[])
        .code(1)
        .stdout(contains("error T11 "))
        .stdout(contains(
            "header.crit: header crit lists extension(s) \"b64\"",
        ));
}

#[test]
fn passes_t11() {
    check_token(header_a(), claims(), &[])
        .code(0)
        .stdout(no_rule("T11"));
}

#[test]
fn trips_t12() {
    let mut h = header_a();
    h["typ"] = json!("at+jwt");
    check_token(h, claims(), &[])
        .code(0)
        .stdout(contains("warning T12 "))
        .stdout(contains("typ is \"at+jwt\", not \"JWT\""));
}

#[test]
fn passes_t12() {
    let mut h = header_a();
    h.as_object_mut().unwrap().remove("typ");
    check_token(h, claims(), &["--strict"])
        .code(0)
        .stdout(no_rule("T12"));
}

#[test]
fn trips_t13() {
    let mut c = claims();
    c["iat"] = json!(NOW + 3600);
    c["exp"] = json!(NOW + 4200);
    // A warning under the platform profile, an error under the rfc one.
    check_token(header_a(), c.clone(), &[])
        .code(0)
        .stdout(contains("warning T13 "))
        .stdout(contains("claims.iat: iat is in the future"));
    check_token(header_a(), c, &["--profile", "rfc"])
        .code(1)
        .stdout(contains("error T13 "));
}

#[test]
fn passes_t13() {
    // 30 s ahead is inside the leeway: verify and check agree it is fine.
    let mut c = claims();
    c["iat"] = json!(NOW + 30);
    check_token(header_a(), c, &["--strict"])
        .code(0)
        .stdout(no_rule("T13"));
}

#[test]
fn trips_t14() {
    let mut c = claims();
    c["exp"] = json!((NOW + 540) * 1000);
    check_token(header_a(), c, &[])
        .code(1)
        .stdout(contains("error T14 "))
        .stdout(contains(
            "milliseconds? as seconds it would be 2027-01-15T08:09:00Z",
        ));
    let mut c = claims();
    c["nbf"] = json!("now");
    check_token(header_a(), c, &[])
        .code(1)
        .stdout(contains("claims.nbf: nbf is not a number"));
}

#[test]
fn passes_t14() {
    let mut c = claims();
    c["exp"] = json!(NOW as f64 + 540.5);
    check_token(header_a(), c, &[])
        .code(0)
        .stdout(no_rule("T14"));
}

#[test]
fn trips_t15() {
    let mut c = claims();
    c["nbf"] = json!(NOW + 300);
    check_token(header_a(), c, &[])
        .code(1)
        .stdout(contains("error T15 "))
        .stdout(contains(
            "not valid yet: nbf is 2027-01-15T08:05:00Z (in 5m, leeway 60s)",
        ));
}

#[test]
fn passes_t15() {
    let mut c = claims();
    c["nbf"] = json!(NOW + 30);
    check_token(header_a(), c, &[])
        .code(0)
        .stdout(no_rule("T15"));
}

/// `uvtool verify` (key a's JWKS, NOW) of a token signed with key a, with
/// what was asked for: the A rules are requests only `verify` takes, and
/// their findings come through the same evaluation.
fn verify_asking(claims: Value, asked: &[&str]) -> Assert {
    let t = sign(header_a(), claims, "keys/a/private.pem");
    let jwks = fixture_str("keys/a/jwks.json");
    let now = NOW.to_string();
    uvtool()
        .args(["verify", "--jwks", &jwks, "--now", &now])
        .args(asked)
        .arg(&t)
        .assert()
}

#[test]
fn trips_a1() {
    verify_asking(claims(), &["--aud", "chat"])
        .code(1)
        .stdout(contains("invalid: no aud claim (expected \"chat\") (A1)"));
}

#[test]
fn passes_a1() {
    let mut c = claims();
    c["aud"] = json!(["web", "chat"]);
    verify_asking(c, &["--aud", "chat"]).success();
}

#[test]
fn trips_a2() {
    verify_asking(claims(), &["--sub", "alice"])
        .code(1)
        .stdout(contains(
            "invalid: sub is \"user-123\", expected \"alice\" (A2)",
        ));
}

#[test]
fn passes_a2() {
    verify_asking(claims(), &["--sub", "user-123"]).success();
}

#[test]
fn trips_a3() {
    verify_asking(claims(), &["--require", "email"])
        .code(1)
        .stdout(contains(
            "invalid: required claim \"email\" is missing (A3)",
        ));
}

#[test]
fn passes_a3() {
    verify_asking(claims(), &["--require", "iat"]).success();
}

#[test]
fn trips_p1() {
    check(&[&fixture_str("keys/a/jwk.json"), "--config", "my-config"])
        .code(1)
        .stdout(contains(
            "error P1 configuration name: configuration name \"my-config\" contains '-'",
        ));
    let t = sign(header_a(), claims(), "keys/a/private.pem");
    uvtool()
        .args([
            "verify",
            "--jwks",
            &fixture_str("keys/a/jwks.json"),
            "--config",
            "2fast",
            &t,
        ])
        .assert()
        .code(2)
        .stderr(contains("begins with '2'"))
        .stderr(contains("rule P1; source: meta"));
}

#[test]
fn passes_p1() {
    check(&[&fixture_str("keys/a/jwk.json"), "--config", "My_Config2"])
        .code(0)
        .stdout(no_rule("P1"));
}

// -------------------------------------------------- inputs, output, exits

#[test]
fn unreadable_inputs_exit_2() {
    check(&["no-such-file.json"])
        .code(2)
        .stderr(contains("no-such-file.json: no such file"));
    let d = TempDir::new().unwrap();
    let p = write(&d, "junk.bin", "hello world\n");
    check(&[&p]).code(2).stderr(contains(
        "is not a JWK, a JWKS, a certificate (PEM/DER), a key (PEM/DER) or a token",
    ));
    let p = write(&d, "bad.json", "{\"kty\": ");
    check(&[&p]).code(2).stderr(contains("is not valid JSON"));
    check(&[&fixture_str("keys/encrypted-pkcs8.pem")])
        .code(2)
        .stderr(contains("is an encrypted private key"));
    // A token that does not decode is refused (T0), as verify refuses it.
    let p = write(&d, "bad-token.txt", "eyJhbGciOiJSUzI1NiJ9.e30");
    check(&[&p])
        .code(1)
        .stdout(contains("error T0 "))
        .stdout(contains("has 2 segment(s)"));
    // A good input with a bad one: still exit 2, no half report.
    check(&[&fixture_str("keys/a/jwk.json"), "no-such-file.json"])
        .code(2)
        .stdout("");
    uvtool()
        .args(["check", &fixture_str("keys/a/jwk.json"), "--now", "someday"])
        .assert()
        .code(2)
        .stderr(contains("--now"));
    check(&["-", "-"])
        .code(2)
        .stderr(contains("only one input can be -"));
}

#[test]
fn reads_stdin() {
    let tok = sign(header_a(), claims(), "keys/a/private.pem");
    let now = NOW.to_string();
    uvtool()
        .args([
            "check",
            "-",
            &fixture_str("keys/a/jwks.json"),
            "--issuer",
            ISS,
            "--now",
            &now,
        ])
        .write_stdin(tok)
        .assert()
        .code(0)
        .stdout(contains("no findings"));
    let mut o = jwk_a();
    o.remove("x5c");
    uvtool()
        .args(["check", "-"])
        .write_stdin(serde_json::to_string(&o).unwrap())
        .assert()
        .code(1)
        .stdout(contains("error K13 <stdin>: has no \"x5c\""));
}

#[test]
fn json_output_is_a_line_per_input_with_its_findings() {
    // JSON Lines (issue 23): one object per input, its findings inside.
    let mut o = jwk_a();
    o.remove("x5c");
    o.insert("use".into(), "enc".into());
    let out = check_jwk(&o, &["--json"]).code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["kind"], "jwk");
    assert!(v["source"].as_str().unwrap().ends_with("jwk.json"));
    let arr = v["findings"].as_array().unwrap();
    assert_eq!(arr.len(), 2, "{v}");
    let k13 = arr.iter().find(|f| f["rule"] == "K13").unwrap();
    assert_eq!(k13["level"], "error");
    assert_eq!(k13["path"], "");
    assert!(k13["file"].as_str().unwrap().ends_with("jwk.json"));
    assert!(k13["fix"]
        .as_str()
        .unwrap()
        .contains("uvtool jwk --cert cert.pem"));
    let k11 = arr.iter().find(|f| f["rule"] == "K11").unwrap();
    assert_eq!(k11["level"], "error");
    assert_eq!(k11["path"], "use");
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("2 errors, 0 warnings"), "{stderr}");
    // No findings: the input's line, its findings empty.
    let jwk = fixture_str("keys/a/jwk.json");
    check(&[&jwk, "--json"])
        .code(0)
        .stdout(predicate::str::diff(format!(
            "{{\"source\":\"{jwk}\",\"kind\":\"jwk\",\"findings\":[]}}\n"
        )));
}

#[test]
fn findings_name_file_and_json_path() {
    let d = TempDir::new().unwrap();
    let mut b = jwk("keys/b/jwk.json");
    let url = b["x5c"][0]
        .as_str()
        .unwrap()
        .replace('+', "-")
        .replace('/', "_");
    b.insert("x5c".into(), json!([url]));
    let p = write_json(&d, "jwks.json", &json!({"keys": [jwk_a(), b]}));
    check(&[&p]).code(1).stdout(contains(
        "jwks.json: keys[1].x5c[0]: uses the url-safe alphabet",
    ));
}

#[test]
fn absurd_token_times_do_not_panic() {
    let d = TempDir::new().unwrap();
    // Out of range is refused (T14), as verify refuses it: never clamped.
    let c = json!({"iss": ISS, "sub": "u", "iat": -9.0e300, "exp": 1.0e300});
    let t = token_file(&d, header_a(), c);
    check(&[&t, &fixture_str("keys/a/jwks.json"), "--issuer", ISS])
        .code(1)
        .stdout(contains("error T14 "))
        .stdout(no_rule("T6"));
    let c = json!({"iss": ISS, "sub": "u", "iat": i64::MAX, "exp": i64::MIN});
    let t = token_file(&d, header_a(), c);
    check(&[&t, &fixture_str("keys/a/jwks.json"), "--issuer", ISS])
        .code(1)
        .stdout(contains("error T14 "));
}

#[test]
fn token_without_keys_notes_what_was_not_checked() {
    let d = TempDir::new().unwrap();
    let t = token_file(&d, header_a(), claims());
    check(&[&t])
        .code(0)
        .stdout(contains("note: "))
        .stdout(contains("signature (T7)"))
        .stdout(contains("iss not compared with the registered issuer (T4)"))
        .stdout(contains("no findings"));
}
