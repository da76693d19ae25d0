//! `uvtool jwk`: from a certificate (PEM, DER, chain) or any key form, with
//! or without private members, checked against the certificate; private JWK
//! input and PEM export.

use crate::common::files::*;
use crate::common::run::{run, s};
use crate::common::{fixture, fixture_str, openssl, uvtool};
use predicates::prelude::*;
use std::fs;

#[test]
fn jwk_from_cert_reproduces_the_fixture() {
    // fixtures/keys/a/jwk.json was written by keygen; jwk --cert must agree.
    uvtool()
        .args([
            "jwk",
            "--cert",
            &fixture_str("keys/a/cert.pem"),
            "--kid",
            "fixture-a",
        ])
        .assert()
        .success()
        .stderr("")
        .stdout(fs::read_to_string(fixture("keys/a/jwk.json")).unwrap());
}

#[test]
fn jwk_from_cert_der_and_chain() {
    let from_pem = uvtool()
        .args(["jwk", "--cert", &fixture_str("keys/openssl-cert.pem")])
        .assert()
        .success();
    let from_der = uvtool()
        .args(["jwk", "--cert", &fixture_str("keys/openssl-cert.der")])
        .assert()
        .success();
    assert_eq!(from_pem.get_output().stdout, from_der.get_output().stdout);
    // A chain: the first certificate is the leaf.
    let d = tempfile::tempdir().unwrap();
    let chain = d.path().join("chain.pem");
    let mut text = fs::read_to_string(fixture("keys/openssl-cert.pem")).unwrap();
    text.push_str(&fs::read_to_string(fixture("keys/a/cert.pem")).unwrap());
    fs::write(&chain, text).unwrap();
    let from_chain = uvtool()
        .args(["jwk", "--cert", chain.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(from_pem.get_output().stdout, from_chain.get_output().stdout);
}

#[test]
fn jwk_from_any_key_form_has_the_same_n_e_and_kid() {
    let cert_jwk = json_of(
        &uvtool()
            .args(["jwk", "--cert", &fixture_str("keys/openssl-cert.pem")])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(cert_jwk["kid"].as_str().unwrap(), rfc7638(&cert_jwk));
    for key in [
        "keys/openssl-pkcs1.pem",
        "keys/openssl-pkcs8.pem",
        "keys/openssl-pkcs1.der",
        "keys/openssl-pkcs8.der",
        "keys/openssl-spki.pem",
        "keys/openssl-spki.der",
        "keys/openssl-pkcs1-public.pem",
    ] {
        let a = uvtool()
            .args(["jwk", "--key", &fixture_str(key), "--alg", "RS512"])
            .assert()
            .success()
            .stderr(predicate::str::contains("no --cert: the JWK has no x5c"));
        let j = json_of(&a.get_output().stdout);
        assert_eq!(j["n"], cert_jwk["n"], "{key}");
        assert_eq!(j["e"], cert_jwk["e"], "{key}");
        assert_eq!(j["kid"], cert_jwk["kid"], "{key}");
        assert_eq!(j["alg"], "RS512");
        assert!(j.get("x5c").is_none() && j.get("d").is_none(), "{key}");
    }
}

#[test]
fn jwk_from_cert_and_matching_key() {
    let out = uvtool()
        .args(["jwk", "--cert", &fixture_str("keys/openssl-cert.pem")])
        .args([
            "--key",
            &fixture_str("keys/openssl-pkcs1.pem"),
            "--kid",
            "2026-11",
        ])
        .assert()
        .success()
        .stderr("");
    let j = json_of(&out.get_output().stdout);
    assert_eq!(j["kid"], "2026-11");
    assert!(j["x5c"].is_array() && j["x5t#S256"].is_string());
    assert!(j.get("d").is_none(), "no private members without --private");
}

#[test]
fn jwk_mismatched_cert_and_key() {
    let cert = fixture_str("keys/a/cert.pem");
    let key = fixture_str("keys/b/private.pem");
    uvtool()
        .args(["jwk", "--cert", &cert, "--key", &key])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!("uvtool: error: {cert}: the certificate's public key does not match {key}; use the certificate made for that key (or make one with `uvtool cert --key {key}`)\n"));
}

#[test]
fn jwk_private_members_only_with_private() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("private-jwk.json");
    uvtool()
        .args([
            "jwk",
            "--key",
            &fixture_str("keys/openssl-pkcs1.pem"),
            "--private",
        ])
        .args([
            "--cert",
            &fixture_str("keys/openssl-cert.pem"),
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout("");
    assert_eq!(mode(&out), 0o600, "private JWK written 0600");
    let j = read_json(&out);
    for m in ["d", "p", "q", "dp", "dq", "qi"] {
        let v = b64url(&j[m]);
        assert_ne!(v[0], 0, "{m} has no leading zero");
    }
    // openssl's view of the same key: p and q (prime1/prime2) in the text dump.
    let (ok, text, _) = openssl(&[
        "rsa",
        "-in",
        &fixture_str("keys/openssl-pkcs1.pem"),
        "-noout",
        "-text",
    ]);
    assert!(ok);
    let compact: String = text.split_whitespace().collect::<String>().replace(':', "");
    for (m, label) in [("p", "prime1"), ("q", "prime2"), ("d", "privateExponent")] {
        let hex = hex_upper(&b64url(&j[m])).to_lowercase();
        let after = compact.split(label).nth(1).unwrap();
        assert!(
            after.trim_start_matches("00").starts_with(&hex),
            "{m} matches openssl's {label}"
        );
    }
    // A public key cannot give private members.
    let spki = fixture_str("keys/openssl-spki.pem");
    uvtool()
        .args(["jwk", "--key", &spki, "--private"])
        .assert()
        .code(2)
        .stderr(format!(
            "uvtool: error: {spki}: is a public key, expected a private key\n"
        ));
    // --private needs --key.
    uvtool()
        .args([
            "jwk",
            "--cert",
            &fixture_str("keys/a/cert.pem"),
            "--private",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--key <FILE>"));
}

#[test]
fn jwk_out_no_clobber() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("jwk.json");
    fs::write(&out, "{}").unwrap();
    let o = out.to_str().unwrap();
    uvtool()
        .args(["jwk", "--cert", &fixture_str("keys/a/cert.pem"), "-o", o])
        .assert()
        .code(2)
        .stderr(format!(
            "uvtool: error: {o}: already exists (use --force to overwrite)\n"
        ));
    assert_eq!(fs::read_to_string(&out).unwrap(), "{}");
    no_temp_files(d.path());
}

#[test]
fn jwk_exponent_3_warns() {
    let key = fixture_str("keys/rsa-e3.pem");
    let a = uvtool()
        .args(["jwk", "--key", &key])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "uvtool: warning: {key}: RSA public exponent is 3, not 65537"
        )));
    assert_eq!(json_of(&a.get_output().stdout)["e"], "Aw");
}

#[test]
fn jwk_and_cert_take_a_private_jwk_and_jwk_exports_pem() {
    let d = tempfile::tempdir().unwrap();
    let a = |f: &str| fixture_str(&format!("keys/a/{f}"));
    let pj = s(&d.path().join("private-jwk.json"));
    assert_eq!(
        run(&["jwk", "--key", &a("private.pem"), "--private", "-o", &pj]).0,
        0
    );

    // jwk --key private-jwk.json: the public JWK, no hint about --jwks.
    let (code, from_jwk, err) = run(&["jwk", "--key", &pj]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("--jwks"), "{err}");
    let (_, from_pem, _) = run(&["jwk", "--key", &a("private.pem")]);
    assert_eq!(from_jwk, from_pem);
    // With the certificate it becomes the JWK keygen made.
    let (code, full, _) = run(&[
        "jwk",
        "--key",
        &pj,
        "--cert",
        &a("cert.pem"),
        "--kid",
        "fixture-a",
    ]);
    assert_eq!(code, 0);
    assert_eq!(full, std::fs::read_to_string(a("jwk.json")).unwrap());

    // To PEM: public from any JWK, private only with --private and a private JWK.
    let (code, public, _) = run(&["jwk", "--key", &a("jwk.json"), "--to-pem"]);
    assert_eq!(code, 0);
    assert_eq!(public, std::fs::read_to_string(a("public.pem")).unwrap());
    let out = d.path().join("key.pem");
    let (code, _, err) = run(&["jwk", "--key", &pj, "--to-pem", "--private", "-o", &s(&out)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string(a("private.pem")).unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let (code, _, err) = run(&["jwk", "--key", &a("jwk.json"), "--to-pem", "--private"]);
    assert_eq!(code, 2);
    assert!(err.contains("is a public JWK"), "{err}");
    let (code, _, err) = run(&["jwk", "--key", &a("jwks.json")]);
    assert_eq!(code, 2);
    assert!(
        err.contains("is a JWKS") && err.contains("single JWK"),
        "{err}"
    );

    // cert --key private-jwk.json makes a certificate for that key.
    let c = d.path().join("c.pem");
    let (code, _, err) = run(&["cert", "--key", &pj, "-o", &s(&c)]);
    assert_eq!(code, 0, "{err}");
    let (ok, modulus, _) = openssl(&["x509", "-noout", "-modulus", "-in", &s(&c)]);
    assert!(ok);
    let (_, want, _) = openssl(&["x509", "-noout", "-modulus", "-in", &a("cert.pem")]);
    assert_eq!(modulus, want);
    let (code, _, err) = run(&["cert", "--key", &a("jwk.json")]);
    assert_eq!(code, 2);
    assert!(err.contains("is a public JWK"), "{err}");
}

/// The first finding of `rule` that `check --json FILE` gives.
fn check_finding(dir: &std::path::Path, file: &str, rule: &str) -> serde_json::Value {
    let out = uvtool()
        .current_dir(dir)
        .args(["check", "--json", file])
        .output()
        .unwrap();
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    row["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {row}"))
        .clone()
}

#[test]
fn jwk_cert_and_the_official_tool_word_k7_and_k14_as_check_does() {
    // K7 was worded three more times outside the policy (jwk, the official
    // tool's -generateJwk with a hard-coded 10 days, cert/keygen --days),
    // and the exponent warning twice (review of a577057): one policy call
    // now gives every command check's finding.
    let d = tempfile::tempdir().unwrap();
    let key = fixture_str("keys/a/private.pem");
    uvtool()
        .current_dir(d.path())
        .args(["cert", "--key", &key, "--days", "5", "-o", "c.pem"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "uvtool: warning: --days 5: the certificate expires on ",
        ))
        .stderr(predicate::str::contains(
            "keys fail to upload without at least 10 more days of validity (TS) (K7); fine for local tests",
        ));
    let k7 = check_finding(d.path(), "c.pem", "K7");
    let said = format!(
        "uvtool: warning: c.pem: {} (K7); fix: {}\n",
        k7["message"].as_str().unwrap(),
        k7["fix"].as_str().unwrap()
    );
    assert!(
        said.contains("; keys fail to upload without at least 10 more days"),
        "{said}"
    );
    uvtool()
        .current_dir(d.path())
        .args(["jwk", "--cert", "c.pem"])
        .assert()
        .code(0)
        .stderr(said.clone());
    uvtool()
        .current_dir(d.path())
        .args(["--generateJwk", "-kid", "1", "-publicKeyFile"])
        .arg(fixture_str("keys/a/public.pem"))
        .args(["-publicCertFile", "c.pem"])
        .assert()
        .code(0)
        .stderr(said);
    // K14: the exponent, as check words it, from jwk and cert.
    fs::copy(fixture("keys/rsa-e3.pem"), d.path().join("e3.pem")).unwrap();
    let k14 = check_finding(d.path(), "e3.pem", "K14");
    let said = format!(
        "uvtool: warning: e3.pem: {} (K14); fix: {}\n",
        k14["message"].as_str().unwrap(),
        k14["fix"].as_str().unwrap()
    );
    assert!(
        said.contains("RSA public exponent is 3, not 65537"),
        "{said}"
    );
    uvtool()
        .current_dir(d.path())
        .args(["jwk", "--key", "e3.pem", "--private"])
        .assert()
        .code(0)
        .stderr(said.clone());
    uvtool()
        .current_dir(d.path())
        .args(["cert", "--key", "e3.pem"])
        .assert()
        .code(0)
        .stderr(predicate::str::starts_with(said));
}
