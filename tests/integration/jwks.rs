//! `uvtool jwks`: assembling a set from JWKS, JWK and certificates, refusing
//! duplicate kids and private members, rotation (add, remove), the RFC 7638
//! and RFC 7517 A.1 known answers, and inputs on stdin.

use crate::common::files::*;
use crate::common::{fixture, fixture_str, uvtool};
use predicates::prelude::*;
use serde_json::Value;
use std::fs;
use std::os::unix::fs::MetadataExt;

fn kids(set: &Value) -> Vec<String> {
    set["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn jwks_assembles_jwks_jwk_and_certificates() {
    let a = uvtool()
        .args([
            "jwks",
            &fixture_str("keys/a/jwk.json"),
            &fixture_str("keys/b/jwks.json"),
        ])
        .arg(fixture_str("keys/openssl-cert.pem"))
        .arg(fixture_str("keys/rsa4096/public.pem"))
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "JWKS with 4 key(s) (4 added, 0 removed)",
        ));
    let set = json_of(&a.get_output().stdout);
    let k = kids(&set);
    assert_eq!(k[..2], ["fixture-a", "fixture-b"]);
    let from_cert = &set["keys"][2];
    assert_eq!(from_cert["kid"].as_str().unwrap(), rfc7638(from_cert));
    assert!(from_cert["x5c"].is_array());
    assert!(set["keys"][3].get("x5c").is_none());
    assert_eq!(set["keys"][0], read_json(fixture("keys/a/jwk.json")));
}

#[test]
fn jwks_refuses_duplicate_kids_and_private_members() {
    let a = fixture_str("keys/a/jwk.json");
    let set = fixture_str("keys/a/jwks.json");
    uvtool()
        .args(["jwks", &a, &set])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!("uvtool: error: {set}: duplicate kid \"fixture-a\" (also in {a}); every key in a set needs its own kid\n"));
    let private = fixture_str("jwk/a-private.json");
    uvtool()
        .args(["jwks", &private])
        .assert()
        .code(2)
        .stderr(format!("uvtool: error: {private}: has private member(s) d, p, q, dp, dq, qi; a JWKS is published and must hold public keys only (export the public JWK with `uvtool jwk --cert cert.pem`)\n"));
    let key = fixture_str("keys/a/private.pem");
    uvtool()
        .args(["jwks", &key])
        .assert()
        .code(2)
        .stderr(format!("uvtool: error: {key}: is a private key; a JWKS holds public keys only (give cert.pem or jwk.json)\n"));
}

#[test]
fn jwks_rotation_add_then_remove_replaces_the_file() {
    let d = tempfile::tempdir().unwrap();
    let set = d.path().join("jwks.json");
    fs::copy(fixture("keys/a/jwks.json"), &set).unwrap();
    let s = set.to_str().unwrap();
    let ino = fs::metadata(&set).unwrap().ino();
    uvtool()
        .args(["jwks", "--set", s, "--add", &fixture_str("keys/b/jwk.json")])
        .assert()
        .success()
        .stdout("")
        .stderr("uvtool: JWKS with 2 key(s) (1 added, 0 removed); kids: fixture-a, fixture-b\n");
    assert_eq!(kids(&read_json(&set)), ["fixture-a", "fixture-b"]);
    assert_ne!(
        fs::metadata(&set).unwrap().ino(),
        ino,
        "replaced atomically (rename)"
    );
    uvtool()
        .args(["jwks", "--set", s, "--remove", "fixture-a"])
        .assert()
        .success()
        .stderr("uvtool: JWKS with 1 key(s) (0 added, 1 removed); kids: fixture-b\n");
    let after = read_json(&set);
    assert_eq!(after, read_json(fixture("keys/b/jwks.json")));
    // Unknown kid: exit 2, set untouched.
    let before = fs::read(&set).unwrap();
    uvtool()
        .args(["jwks", "--set", s, "--remove", "no-such-kid"])
        .assert()
        .code(2)
        .stderr(format!(
            "uvtool: error: {s}: has no key with kid \"no-such-kid\" (kids: fixture-b)\n"
        ));
    assert_eq!(fs::read(&set).unwrap(), before);
    // Adding the key already there: unchanged, exit 0, set untouched
    // (issue 23: re-runs are idempotent; a different key under the same
    // kid stays an error, tests/integration/output_contract.rs).
    let b = fixture_str("keys/b/jwk.json");
    uvtool()
        .args(["jwks", "--set", s, "--add", &b])
        .assert()
        .code(0)
        .stderr(format!("uvtool: note: {b}: key \"fixture-b\" is already in the set, unchanged\nuvtool: JWKS with 1 key(s) (0 added, 0 removed); kids: fixture-b\n"));
    assert_eq!(fs::read(&set).unwrap(), before);
    // Add and remove in one go, written to --out: the set itself is kept.
    let out = d.path().join("next.json");
    uvtool()
        .args(["jwks", "--set", s, "--add", &fixture_str("keys/a/jwk.json")])
        .args(["--remove", "fixture-b", "-o", out.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(kids(&read_json(&out)), ["fixture-a"]);
    assert_eq!(fs::read(&set).unwrap(), before);
    no_temp_files(d.path());
}

#[test]
fn jwks_rfc7638_known_answer() {
    // A JWK without kid gets its RFC 7638 thumbprint (RFC 7638 §3.1).
    let a = uvtool()
        .args(["jwks", &fixture_str("jwk/rfc7638-no-kid.json")])
        .assert()
        .success();
    let set = json_of(&a.get_output().stdout);
    let v = read_json(fixture("vectors/rfc7638-thumbprint.json"));
    assert_eq!(set["keys"][0]["kid"], v["sha256_thumbprint_b64url"]);
    assert_eq!(
        set["keys"][0]["kid"],
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
    assert_eq!(set["keys"][0]["n"], v["jwk"]["n"]);
}

#[test]
fn jwks_rfc7517_a1_passes_ec_through_and_keeps_rsa() {
    let v = read_json(fixture("vectors/rfc7517-a1-public-jwks.json"));
    assert_eq!(
        read_json(fixture("jwk/rfc7517-a1.json")),
        v["jwks"],
        "fixture copy"
    );
    let a = uvtool()
        .args(["jwks", &fixture_str("jwk/rfc7517-a1.json")])
        .assert()
        .success()
        .stderr(predicate::str::contains("kids: 1, 2011-04-29"));
    let set = json_of(&a.get_output().stdout);
    assert_eq!(set, v["jwks"], "both keys kept unchanged");
    assert_eq!(set["keys"][1]["kid"], v["rsa_kid"]);
}

#[test]
fn stdin_inputs() {
    let cert = fs::read(fixture("keys/a/cert.pem")).unwrap();
    uvtool()
        .args(["jwk", "--cert", "-", "--kid", "fixture-a"])
        .write_stdin(cert)
        .assert()
        .success()
        .stdout(fs::read_to_string(fixture("keys/a/jwk.json")).unwrap());
    let jwk = fs::read(fixture("keys/b/jwk.json")).unwrap();
    let a = uvtool()
        .args(["jwks", &fixture_str("keys/a/jwk.json"), "-"])
        .write_stdin(jwk)
        .assert()
        .success();
    assert_eq!(
        kids(&json_of(&a.get_output().stdout)),
        ["fixture-a", "fixture-b"]
    );
    uvtool()
        .args(["jwks", "-", "-"])
        .assert()
        .code(2)
        .stderr("uvtool: error: only one input can be - (stdin)\n");
}
