//! `uvtool cert`: a certificate for every key form, stdout and stdin,
//! no clobbering, exponent 3 and subjects with commas.

use crate::common::files::*;
use crate::common::run::{run, s};
use crate::common::{fixture, fixture_str, openssl, uvtool};
use predicates::prelude::*;
use std::fs;
use std::os::unix::fs::MetadataExt;

#[test]
fn cert_for_fixture_keys_in_every_format() {
    let want = openssl_modulus("rsa", &fixture_str("keys/openssl-pkcs1.pem"), &[]);
    let d = tempfile::tempdir().unwrap();
    for key in [
        "keys/openssl-pkcs1.pem",
        "keys/openssl-pkcs8.pem",
        "keys/openssl-pkcs1.der",
        "keys/openssl-pkcs8.der",
    ] {
        let out = d.path().join(format!("{}.crt", key.replace('/', "_")));
        uvtool()
            .args(["cert", "--key", &fixture_str(key), "--days", "10"])
            .args([
                "--subject",
                "/CN=Legacy key/O=Acme",
                "--out",
                out.to_str().unwrap(),
            ])
            .assert()
            .success()
            .stdout("")
            .stderr(predicate::str::contains("RSA-2048 key, valid until"));
        let o = out.to_str().unwrap();
        assert_eq!(openssl_modulus("x509", o, &[]), want, "{key}");
        let (ok, v, e) = openssl(&["verify", "-CAfile", o, o]);
        assert!(ok, "{key}: {v}{e}");
        let (_, subj, _) = openssl(&["x509", "-in", o, "-noout", "-subject"]);
        assert!(subj.contains("CN = Legacy key, O = Acme"), "{subj}");
        assert!(
            openssl(&[
                "x509",
                "-in",
                o,
                "-noout",
                "-checkend",
                &(9 * 86400).to_string()
            ])
            .0
        );
        assert!(
            !openssl(&[
                "x509",
                "-in",
                o,
                "-noout",
                "-checkend",
                &(11 * 86400).to_string()
            ])
            .0
        );
    }
}

#[test]
fn cert_to_stdout_from_stdin() {
    let key = fs::read(fixture("keys/a/private.pem")).unwrap();
    let out = uvtool()
        .args(["cert", "--key", "-"])
        .write_stdin(key)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("-----BEGIN CERTIFICATE-----\n"));
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("c.pem");
    fs::write(&p, &text).unwrap();
    assert_eq!(
        openssl_modulus("x509", p.to_str().unwrap(), &[]),
        openssl_modulus("rsa", &fixture_str("keys/a/private.pem"), &[])
    );
}

#[test]
fn cert_out_no_clobber_then_force() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("cert.pem");
    fs::write(&out, "old").unwrap();
    let o = out.to_str().unwrap();
    // `uvtool cert --key A --out O EXTRA`.
    let cert_out = |extra: &[&str]| {
        uvtool()
            .args([
                "cert",
                "--key",
                &fixture_str("keys/a/private.pem"),
                "--out",
                o,
            ])
            .args(extra)
            .assert()
    };
    cert_out(&[]).code(2).stderr(format!(
        "uvtool: error: {o}: already exists (use --force to overwrite)\n"
    ));
    assert_eq!(fs::read_to_string(&out).unwrap(), "old");
    no_temp_files(d.path());
    let ino = fs::metadata(&out).unwrap().ino();
    cert_out(&["--force"]).success();
    assert!(fs::read_to_string(&out)
        .unwrap()
        .starts_with("-----BEGIN CERTIFICATE-----"));
    assert_ne!(fs::metadata(&out).unwrap().ino(), ino, "replaced by rename");
    no_temp_files(d.path());
}

#[test]
fn cert_exponent_3_is_accepted_with_a_warning() {
    let key = fixture_str("keys/rsa-e3.pem");
    uvtool()
        .args(["cert", "--key", &key])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("-----BEGIN CERTIFICATE-----"))
        .stderr(predicate::str::contains(format!(
            "uvtool: warning: {key}: RSA public exponent is 3, not 65537; some verifiers refuse it"
        )));
}

#[test]
fn subject_with_escaped_or_quoted_commas() {
    let key = fixture_str("keys/a/private.pem");
    for subject in [r"CN=Acme\, Inc,O=Acme", r#"CN="Acme, Inc",O=Acme"#] {
        let (code, pem, err) = run(&["cert", "--key", &key, "--subject", subject]);
        assert_eq!(code, 0, "{subject}: {err}");
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("c.pem");
        std::fs::write(&f, pem).unwrap();
        let (ok, out, _) = openssl(&[
            "x509",
            "-noout",
            "-subject",
            "-nameopt",
            "RFC2253",
            "-in",
            &s(&f),
        ]);
        assert!(ok);
        assert!(out.contains(r"CN=Acme\, Inc"), "{subject}: {out}");
    }
}
