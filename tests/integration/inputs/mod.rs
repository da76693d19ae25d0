//! Every bad input of issue 2 gets exit 2, nothing on stdout, and exactly one
//! `uvtool: error: …` line naming the file (or option) and what is wrong.
//! Paths are relative to the crate root, so the messages are exact.

mod kinds;
mod text;

use std::fs;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run uvtool in the crate root and expect exit 2 with exactly this message.
fn refused(args: &[&str], msg: &str) {
    crate::common::uvtool()
        .current_dir(root())
        .args(args)
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!("uvtool: error: {msg}\n"));
}

// ------------------------------------------------ missing, folder, empty

#[test]
fn missing_file() {
    refused(
        &["cert", "--key", "fixtures/nope.pem"],
        "fixtures/nope.pem: no such file",
    );
    refused(
        &["jwk", "--cert", "fixtures/nope.pem"],
        "fixtures/nope.pem: no such file",
    );
    refused(
        &["jwk", "--key", "fixtures/nope.pem"],
        "fixtures/nope.pem: no such file",
    );
    refused(
        &["jwks", "fixtures/nope.json"],
        "fixtures/nope.json: no such file",
    );
    refused(
        &["jwks", "--set", "fixtures/nope.json", "--remove", "x"],
        "fixtures/nope.json: no such file",
    );
}

#[test]
fn directory_instead_of_file() {
    let m = "fixtures/keys: is a directory, expected a file";
    refused(&["cert", "--key", "fixtures/keys"], m);
    refused(&["jwk", "--cert", "fixtures/keys"], m);
    refused(&["jwks", "fixtures/keys"], m);
}

#[test]
fn empty_file() {
    let m = "fixtures/bad/empty.pem: is empty";
    refused(&["cert", "--key", "fixtures/bad/empty.pem"], m);
    refused(&["jwk", "--cert", "fixtures/bad/empty.pem"], m);
    refused(&["jwk", "--key", "fixtures/bad/empty.pem"], m);
    refused(&["jwks", "fixtures/bad/empty.pem"], m);
}

#[test]
fn empty_stdin() {
    crate::common::uvtool()
        .args(["cert", "--key", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stdout("")
        .stderr("uvtool: error: <stdin>: is empty\n");
}

// ------------------------------------------------ not PEM, bad base64

#[test]
fn not_pem() {
    let f = "fixtures/bad/not-pem.txt";
    refused(
        &["cert", "--key", f],
        &format!("{f}: is neither PEM nor a DER private key (PKCS#8 or PKCS#1)"),
    );
    refused(
        &["jwk", "--cert", f],
        &format!("{f}: is neither PEM (no -----BEGIN line) nor a DER certificate"),
    );
    refused(
        &["jwk", "--key", f],
        &format!("{f}: is neither PEM nor a DER public key (SPKI or PKCS#1)"),
    );
    refused(
        &["jwks", f],
        &format!("{f}: is not JSON, PEM or DER; expected a JWK, JWKS, certificate or public key"),
    );
}

#[test]
fn pem_with_bad_base64() {
    refused(
        &["cert", "--key", "fixtures/bad/bad-base64.pem"],
        "fixtures/bad/bad-base64.pem: PEM block PRIVATE KEY has bad base64 ('!' at offset 4)",
    );
    refused(
        &["jwk", "--cert", "fixtures/bad/bad-base64-cert.pem"],
        "fixtures/bad/bad-base64-cert.pem: PEM block CERTIFICATE has bad base64 ('@' at offset 4)",
    );
    refused(
        &["jwks", "fixtures/bad/bad-base64-cert.pem"],
        "fixtures/bad/bad-base64-cert.pem: PEM block CERTIFICATE has bad base64 ('@' at offset 4)",
    );
}

// ------------------------------------------------ the wrong kind of file

#[test]
fn certificate_where_a_key_is_expected() {
    refused(
        &["cert", "--key", "fixtures/keys/a/cert.pem"],
        "fixtures/keys/a/cert.pem: is a certificate, expected a private key",
    );
    refused(
        &["cert", "--key", "fixtures/keys/openssl-cert.der"],
        "fixtures/keys/openssl-cert.der: is a certificate, expected a private key",
    );
    refused(
        &["jwk", "--key", "fixtures/keys/a/cert.pem"],
        "fixtures/keys/a/cert.pem: --key got a certificate: use --cert",
    );
}

#[test]
fn key_where_a_certificate_is_expected() {
    refused(
        &["jwk", "--cert", "fixtures/keys/a/private.pem"],
        "fixtures/keys/a/private.pem: --cert got a private key (keep it secret, never upload it): use --key",
    );
    refused(
        &["jwk", "--cert", "fixtures/keys/a/public.pem"],
        "fixtures/keys/a/public.pem: --cert got a public key: use --key",
    );
    refused(
        &["jwk", "--cert", "fixtures/keys/openssl-pkcs8.der"],
        "fixtures/keys/openssl-pkcs8.der: --cert got a private key (keep it secret, never upload it): use --key",
    );
    refused(
        &["jwk", "--cert", "fixtures/keys/a/jwk.json"],
        "fixtures/keys/a/jwk.json: --cert got a JWK: use --key",
    );
}

#[test]
fn public_key_where_a_private_key_is_expected() {
    refused(
        &["cert", "--key", "fixtures/keys/openssl-spki.der"],
        "fixtures/keys/openssl-spki.der: is a public key, expected a private key",
    );
    refused(
        &["cert", "--key", "fixtures/keys/a/public.pem"],
        "fixtures/keys/a/public.pem: is a public key, expected a private key",
    );
}

#[test]
fn private_key_where_a_public_one_is_published() {
    refused(
        &["jwks", "fixtures/keys/a/private.pem"],
        "fixtures/keys/a/private.pem: is a private key; a JWKS holds public keys only (give cert.pem or jwk.json)",
    );
}

// ------------------------------------------------ key policy

#[test]
fn ec_and_ed25519_are_not_supported() {
    let tail = "only RSA keys are supported (the platform accepts RS256/RS512; source: WEB)";
    refused(
        &["cert", "--key", "fixtures/keys/ec-p256.pem"],
        &format!("fixtures/keys/ec-p256.pem: is an EC key (private key); {tail}"),
    );
    refused(
        &["jwk", "--key", "fixtures/keys/ec-p256.pem"],
        &format!("fixtures/keys/ec-p256.pem: is an EC key (private key); {tail}"),
    );
    refused(
        &["cert", "--key", "fixtures/keys/ed25519.pem"],
        &format!("fixtures/keys/ed25519.pem: is an Ed25519 key (private key); {tail}"),
    );
    refused(
        &["jwk", "--key", "fixtures/keys/ed25519.pem", "--private"],
        &format!("fixtures/keys/ed25519.pem: is an Ed25519 key (private key); {tail}"),
    );
}

#[test]
fn rsa_below_2048_bits() {
    let m = "fixtures/keys/rsa1024.pem: RSA key is 1024 bits; at least 2048 are required (make a new one with `uvtool keygen`)";
    refused(&["cert", "--key", "fixtures/keys/rsa1024.pem"], m);
    refused(&["jwk", "--key", "fixtures/keys/rsa1024.pem"], m);
    refused(
        &["keygen", "--bits", "1024", "--out-dir", "fixtures/none"],
        "--bits 1024: RSA keys below 2048 bits are refused (the platform requires at least 2048; source: seed); use 2048, 3072 or 4096",
    );
    assert!(!root().join("fixtures/none").exists());
}

#[test]
fn exponent_policy() {
    // Odd exponents >= 3 are accepted with a warning (tests/integration/cert.rs, jwk.rs);
    // even exponents and 1 are refused.
    refused(
        &["jwks", "fixtures/bad/jwk-e-even.json"],
        "fixtures/bad/jwk-e-even.json: RSA public exponent 65536 is invalid (it must be odd and at least 3; 65537 is standard)",
    );
    refused(
        &["jwks", "fixtures/bad/jwk-e-1.json"],
        "fixtures/bad/jwk-e-1.json: RSA public exponent 1 is invalid (it must be odd and at least 3; 65537 is standard)",
    );
}

#[test]
fn encrypted_keys() {
    for f in [
        "fixtures/keys/encrypted-pkcs8.pem",
        "fixtures/keys/encrypted-pkcs1.pem",
    ] {
        let m = format!("{f}: is an encrypted private key; decrypt it first: openssl pkey -in {f} -out key-plain.pem (and keep that file private)");
        refused(&["cert", "--key", f], &m);
        refused(&["jwk", "--key", f, "--private"], &m);
    }
}

// ------------------------------------------------ JWK and JWKS shape

#[test]
fn jwk_missing_or_non_string_n_e() {
    for (f, m) in [
        ("jwk-no-n.json", "has no \"n\" member"),
        ("jwk-no-e.json", "has no \"e\" member"),
        ("jwk-n-number.json", "\"n\" is not a string"),
        ("jwk-e-number.json", "\"e\" is not a string"),
    ] {
        let path = format!("fixtures/bad/{f}");
        refused(&["jwks", &path], &format!("{path}: {m}"));
    }
}

#[test]
fn jwks_not_an_object_with_keys() {
    for (f, m) in [
        (
            "jwks-array.json",
            "is a JSON array; a JWKS is an object {\"keys\":[…]}",
        ),
        ("jwks-keys-object.json", "\"keys\" is not an array"),
        (
            "jwks-no-keys.json",
            "has no \"kty\" member (a JWK needs \"kty\":\"RSA\"; a JWKS is {\"keys\":[…]})",
        ),
        (
            "not-json.json",
            "is not valid JSON (EOF while parsing a list at line 2 column 0)",
        ),
    ] {
        let path = format!("fixtures/bad/{f}");
        refused(&["jwks", &path], &format!("{path}: {m}"));
        // A JWK without kty is still a JWK: --set wants a set.
        let set_m = if f == "jwks-no-keys.json" {
            "is a single JWK, not a JWKS; wrap it with `uvtool jwks FILE`"
        } else {
            m
        };
        refused(
            &["jwks", "--set", &path, "--add", "fixtures/keys/a/jwk.json"],
            &format!("{path}: {set_m}"),
        );
    }
    refused(
        &[
            "jwks",
            "--set",
            "fixtures/keys/a/jwk.json",
            "--remove",
            "fixture-a",
        ],
        "fixtures/keys/a/jwk.json: is a single JWK, not a JWKS; wrap it with `uvtool jwks FILE`",
    );
}

#[test]
fn duplicate_kids() {
    refused(
        &["jwks", "fixtures/bad/jwks-dup-kid.json"],
        "fixtures/bad/jwks-dup-kid.json: keys[1]: duplicate kid \"fixture-a\" (also in fixtures/bad/jwks-dup-kid.json: keys[0]); every key in a set needs its own kid",
    );
    refused(
        &["jwks", "fixtures/keys/a/jwk.json", "fixtures/keys/a/jwks.json"],
        "fixtures/keys/a/jwks.json: duplicate kid \"fixture-a\" (also in fixtures/keys/a/jwk.json); every key in a set needs its own kid",
    );
}

// ------------------------------------------------ output folders

#[test]
fn missing_output_folder() {
    refused(
        &[
            "cert",
            "--key",
            "fixtures/keys/a/private.pem",
            "--out",
            "fixtures/no-such-dir/cert.pem",
        ],
        "fixtures/no-such-dir: no such folder (create it first, e.g. mkdir -p)",
    );
    refused(
        &[
            "jwk",
            "--cert",
            "fixtures/keys/a/cert.pem",
            "-o",
            "fixtures/no-such-dir/jwk.json",
        ],
        "fixtures/no-such-dir: no such folder (create it first, e.g. mkdir -p)",
    );
    // keygen --out-dir creates missing parents, as init does (keygen.rs).
    assert!(!root().join("fixtures/no-such-dir").exists());
}

#[test]
fn output_folder_is_a_file() {
    refused(
        &["keygen", "--out-dir", "fixtures/bad/empty.pem"],
        "fixtures/bad/empty.pem: exists and is not a folder",
    );
}

/// A folder this process cannot create files in: a 0555 folder when not
/// root, otherwise /sys (sysfs refuses new regular files even to root).
fn unwritable_dir() -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap().keep();
    fs::set_permissions(&d, fs::Permissions::from_mode(0o555)).unwrap();
    if fs::File::create(d.join("probe")).is_err() {
        return Some(d);
    }
    let _ = fs::remove_file(d.join("probe"));
    let _ = fs::remove_dir(&d);
    let sys = std::path::PathBuf::from("/sys");
    if sys.is_dir() && fs::File::create(sys.join("uvtool-probe")).is_err() {
        return Some(sys);
    }
    eprintln!("skipping: no unwritable folder available");
    None
}

#[test]
fn unwritable_output_folder() {
    let Some(dir) = unwritable_dir() else {
        return;
    };
    let d = dir.display();
    for args in [
        vec!["cert", "--key", "fixtures/keys/a/private.pem", "--out"],
        vec!["jwk", "--cert", "fixtures/keys/a/cert.pem", "-o"],
        vec!["jwks", "fixtures/keys/a/jwk.json", "-o"],
    ] {
        let out = dir.join("out.pem");
        let mut a: Vec<&str> = args.clone();
        let o = out.to_string_lossy().into_owned();
        a.push(&o);
        let assert = crate::common::uvtool()
            .current_dir(root())
            .args(&a)
            .assert()
            .code(2)
            .stdout("");
        let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            err.starts_with(&format!(
                "uvtool: error: {d}: cannot write in this folder: "
            )),
            "{args:?}: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(!out.exists());
    }
}

#[test]
fn bad_certificate_options() {
    refused(
        &[
            "cert",
            "--key",
            "fixtures/keys/a/private.pem",
            "--days",
            "0",
        ],
        "--days 0: a certificate is valid from now for 1 to 36500 days (uvtool makes no certificate that is already expired)",
    );
    refused(
        &[
            "cert",
            "--key",
            "fixtures/keys/a/private.pem",
            "--subject",
            "Bad",
        ],
        "--subject: \"Bad\" is not NAME=VALUE (example: \"CN=My Site Test,O=Example\")",
    );
}

#[test]
fn empty_kid() {
    let m = "--kid is empty; give a key id or leave it out for the thumbprint";
    refused(
        &["jwk", "--cert", "fixtures/keys/a/cert.pem", "--kid", ""],
        m,
    );
    refused(&["keygen", "--out-dir", "fixtures/none", "--kid", " "], m);
    assert!(!root().join("fixtures/none").exists());
}

#[test]
fn no_panic_on_garbage() {
    // Random-looking bytes, a truncated DER SEQUENCE and binary junk: always
    // a clean exit 2 with one error line.
    let d = tempfile::tempdir().unwrap();
    let cases: [(&str, Vec<u8>); 4] = [
        ("seq.der", vec![0x30, 0x82, 0x01]),
        ("junk.bin", (0u8..=255).rev().collect()),
        ("nul.bin", vec![0; 64]),
        ("half.pem", b"-----BEGIN CERTIFICATE-----\nMIIB\n".to_vec()),
    ];
    for (name, bytes) in cases {
        let p = d.path().join(name);
        fs::write(&p, bytes).unwrap();
        let p = p.to_string_lossy().into_owned();
        for args in [
            vec!["cert", "--key", &p],
            vec!["jwk", "--cert", &p],
            vec!["jwk", "--key", &p],
            vec!["jwks", &p],
        ] {
            let a = crate::common::uvtool()
                .args(&args)
                .assert()
                .code(2)
                .stdout("");
            let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
            assert!(
                err.starts_with(&format!("uvtool: error: {p}: ")),
                "{args:?}: {err}"
            );
            assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        }
    }
}
