//! The reader's kinds of key and certificate, as `uvtool check` names them:
//! every key type the platform cannot use (EC, Ed25519/X25519, DSA,
//! RSASSA-PSS) is named by its own type in K2, whether it arrives as a
//! private key (PKCS#8), a public key (SPKI), a certificate (PEM or DER) or
//! the certificate in a JWK's `x5c`; an RSA public key is read as RSA; an
//! encrypted key, a block under the wrong label and PEM files holding more
//! than one block get their own answer. Fixtures: `fixtures/kinds/`
//! (README there); the rest is built here from them.

use assert_cmd::assert::Assert;
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::{json, Map, Value};
use tempfile::TempDir;

use crate::common::{fixture, fixture_str};

use crate::common::run;

const NEW_KEY: &str =
    "fix: make a new key pair with `uvtool keygen --out-dir keys`, then upload keys/jwk.json";

/// `check` names the key in `path` by `kty` in K2, alone, and exits 1.
fn check(path: &str) -> Assert {
    run::check(&[path])
}

fn named(path: &str, kty: &str) {
    check(path).code(1).stdout(format!(
        "error K2 {path}: holds a key of type {kty}; the platform accepts RSA keys only (WEB: RS256 or RS512); {NEW_KEY}\n\
         checked 1 input: 1 error, 0 warnings, 0 info\n"
    ));
}

/// The private key, public key and certificate of one kind.
fn kind_files(stem: &str, kty: &str) {
    for part in ["key", "public", "cert"] {
        named(&fixture_str(&format!("kinds/{stem}-{part}.pem")), kty);
    }
}

fn write(dir: &TempDir, name: &str, data: impl AsRef<[u8]>) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, data).unwrap();
    p.to_string_lossy().into_owned()
}

/// The DER of the first PEM block of a fixture.
fn der_of(rel: &str) -> Vec<u8> {
    let pem = std::fs::read(fixture(rel)).unwrap();
    uvtool::pem::parse(&pem).unwrap().remove(0).der
}

#[test]
fn ec_keys_and_certificates_are_named_ec() {
    kind_files("ec-p256", "EC");
}

#[test]
fn ed25519_keys_and_certificates_are_named_okp() {
    kind_files("ed25519", "OKP");
}

#[test]
fn x25519_keys_and_certificates_are_named_okp() {
    kind_files("x25519", "OKP");
}

#[test]
fn dsa_keys_and_certificates_are_named_dsa() {
    kind_files("dsa", "DSA");
}

#[test]
fn rsassa_pss_keys_and_certificates_are_named_rsa_pss() {
    // An RSASSA-PSS key (OID 1.2.840.113549.1.1.10) is not an RS256 key:
    // K2 names it, it is not read as RSA.
    kind_files("rsa-pss", "RSA-PSS");
}

#[test]
fn a_der_certificate_of_another_type_is_named_too() {
    let d = TempDir::new().unwrap();
    for (stem, kty) in [("ec-p256", "EC"), ("ed25519", "OKP"), ("dsa", "DSA")] {
        let p = write(
            &d,
            &format!("{stem}.der"),
            der_of(&format!("kinds/{stem}-cert.pem")),
        );
        named(&p, kty);
    }
}

#[test]
fn an_rsa_public_key_is_read_as_rsa_and_its_size_judged() {
    // SPKI of a 1024-bit RSA key: read as RSA, so K3 judges the modulus.
    let p = fixture_str("kinds/rsa1024-public.pem");
    check(&p).code(1).stdout(format!(
        "error K3 {p}: RSA modulus is 1024 bits; the platform requires at least 2048 (seed); {NEW_KEY}\n\
         checked 1 input: 1 error, 0 warnings, 0 info\n"
    ));
    // And a 2048-bit one passes.
    check(&fixture_str("keys/openssl-spki.pem"))
        .code(0)
        .stdout("checked 1 input: no findings\n");
}

#[test]
fn a_jwk_whose_x5c_holds_another_type_of_certificate_names_that_type() {
    let jwk: Map<String, Value> =
        serde_json::from_slice(&std::fs::read(fixture("keys/a/jwk.json")).unwrap()).unwrap();
    let d = TempDir::new().unwrap();
    for (stem, kty) in [
        ("ec-p256", "EC"),
        ("ed25519", "OKP"),
        ("x25519", "OKP"),
        ("dsa", "DSA"),
        ("rsa-pss", "RSA-PSS"),
    ] {
        let mut o = jwk.clone();
        let der = der_of(&format!("kinds/{stem}-cert.pem"));
        o.insert("x5c".into(), json!([uvtool::b64::std_encode(&der)]));
        o.remove("x5t#S256");
        let p = write(&d, &format!("{stem}.json"), serde_json::to_vec(&o).unwrap());
        check(&p).code(1).stdout(contains(format!(
            "error K6 {p}: x5c[0]: the certificate holds a different public key ({kty}) than \"n\"/\"e\""
        )));
    }
}

#[test]
fn encrypted_private_keys_cannot_be_read() {
    for rel in ["keys/encrypted-pkcs1.pem", "keys/encrypted-pkcs8.pem"] {
        let p = fixture_str(rel);
        check(&p).code(2).stdout("").stderr(format!(
            "uvtool: error: {p}: is an encrypted private key, which cannot be read without its password (decrypt a copy with `openssl pkey -in {p} -out plain.pem`)\n"
        ));
    }
}

/// The reader words what it cannot read without naming a command (issue
/// 22: the library names no command or flag); the advice stays.
#[test]
fn a_pem_block_of_another_kind_is_named_by_its_label() {
    let d = TempDir::new().unwrap();
    let p = write(
        &d,
        "req.pem",
        uvtool::pem::encode("CERTIFICATE REQUEST", b"\x30\x03\x02\x01\x00"),
    );
    check(&p).code(2).stdout("").stderr(format!(
        "uvtool: error: {p}: is a PEM block labelled \"CERTIFICATE REQUEST\", not a JWK, a JWKS, a certificate, a key or a token\n"
    ));
    for text in [
        uvtool::pem::encode("CERTIFICATE REQUEST", b"\x30\x00"),
        std::fs::read_to_string(fixture("keys/encrypted-pkcs8.pem")).unwrap(),
    ] {
        let e = match uvtool::read::classify(text.as_bytes(), "f") {
            Err(e) => e.to_string(),
            Ok(i) => panic!("{i:?}"),
        };
        assert!(!e.contains("check") && !e.contains("uvtool"), "{e}");
    }
}

#[test]
fn a_pem_header_that_is_not_encryption_leaves_the_key_readable() {
    // RFC 1421 allows other Proc-Type values (MIC-ONLY: signed, not
    // encrypted); the PKCS#1 key under it is read.
    let pem = std::fs::read_to_string(fixture("keys/openssl-pkcs1.pem")).unwrap();
    assert!(
        pem.starts_with("-----BEGIN RSA PRIVATE KEY-----\n"),
        "{pem}"
    );
    let with_header = pem.replacen(
        "-----BEGIN RSA PRIVATE KEY-----\n",
        "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,MIC-ONLY\n\n",
        1,
    );
    let d = TempDir::new().unwrap();
    let p = write(&d, "key.pem", with_header);
    check(&p).code(0).stdout("checked 1 input: no findings\n");
}

#[test]
fn the_key_or_certificate_block_is_read_whatever_comes_before_it() {
    let d = TempDir::new().unwrap();
    // `openssl ecparam -genkey` writes EC PARAMETERS before the key.
    let params = uvtool::pem::encode("EC PARAMETERS", b"\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07");
    let key = std::fs::read_to_string(fixture("kinds/ec-p256-key.pem")).unwrap();
    let p = write(&d, "ec.pem", format!("{params}{key}"));
    named(&p, "EC");
    // A certificate after a block of another kind.
    let cert = std::fs::read_to_string(fixture("kinds/dsa-cert.pem")).unwrap();
    let p = write(&d, "cert.pem", format!("{params}{cert}"));
    named(&p, "DSA");
    let cert = std::fs::read_to_string(fixture("keys/a/cert.pem")).unwrap();
    let p = write(&d, "a.pem", format!("{params}{cert}"));
    check(&p).code(0).stdout(contains("no findings"));
}

#[test]
fn a_certificate_under_a_key_label_is_not_read_as_one() {
    let der = der_of("keys/a/cert.pem");
    let d = TempDir::new().unwrap();
    let p = write(&d, "cert.pem", uvtool::pem::encode("PUBLIC KEY", &der));
    check(&p)
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(format!(
            "uvtool: error: {p}: not a valid SubjectPublicKeyInfo ("
        )));
}
