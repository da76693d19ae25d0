//! `uvtool keygen`: the five files, their modes and agreement with openssl,
//! no clobbering, `--force`, key sizes, parent folders and unwritable folders.
//!
//! Key generation is the slow path, so this file generates four keys in all:
//! one shared by every test through `generated()` (made under umask 000), one
//! with `--bits 3072 --force`, one with `--bits 4096`, and one whose files
//! cannot be written (unwritable folder). Every other test uses fixture keys.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::files::*;
use crate::common::run::{run, s};
use crate::common::{fixture, openssl, uvtool};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use predicates::prelude::*;

const FILES: [&str; 5] = [
    "private.pem",
    "public.pem",
    "cert.pem",
    "jwk.json",
    "jwks.json",
];

/// The output of one `uvtool keygen`, shared by the tests of this file.
struct Generated {
    dir: PathBuf,
    stderr: String,
}

/// Run `uvtool keygen` once, under umask 000 (so a 0600 private key proves
/// the mode is set at open time, not left to the umask).
fn generated() -> &'static Generated {
    static KEYGEN: OnceLock<Generated> = OnceLock::new();
    KEYGEN.get_or_init(|| {
        let base =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("keygen-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        fs::create_dir_all(&base).unwrap();
        let dir = base.join("keys"); // keygen creates it
        let out = crate::common::output_within(
            Command::new("sh")
                .arg("-c")
                .arg("umask 000; exec \"$0\" \"$@\"")
                .arg(assert_cmd::cargo::cargo_bin("uvtool"))
                .args(["keygen", "--out-dir"])
                .arg(&dir)
                .args(["--subject", "CN=Foundation test,O=uvtool", "--days", "30"]),
            crate::common::BOUND,
        );
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "keygen failed: {stderr}");
        assert!(out.stdout.is_empty(), "keygen prints nothing on stdout");
        Generated { dir, stderr }
    })
}

fn gen_path(name: &str) -> String {
    generated().dir.join(name).to_string_lossy().into_owned()
}

#[test]
fn keygen_writes_five_files_with_safe_modes() {
    let g = generated();
    let mut names: Vec<String> = fs::read_dir(&g.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut want: Vec<String> = FILES.iter().map(|s| s.to_string()).collect();
    want.sort();
    assert_eq!(names, want, "exactly the five files, no temporary file");
    // umask 000 was in force: 0600 comes from the open call itself.
    assert_eq!(mode(g.dir.join("private.pem")), 0o600);
    for f in &FILES[1..] {
        assert_eq!(mode(g.dir.join(f)), 0o644, "{f}");
    }
    let private = fs::read_to_string(g.dir.join("private.pem")).unwrap();
    assert!(
        private.starts_with("-----BEGIN PRIVATE KEY-----\n"),
        "PKCS#8"
    );
    let public = fs::read_to_string(g.dir.join("public.pem")).unwrap();
    assert!(public.starts_with("-----BEGIN PUBLIC KEY-----\n"), "SPKI");
}

#[test]
fn keygen_summary_names_files_kid_and_expiry() {
    let g = generated();
    let jwk = read_json(g.dir.join("jwk.json"));
    for needle in [
        "RSA-2048",
        "private.pem",
        "public.pem",
        "cert.pem",
        "jwk.json",
        "jwks.json",
        "valid until",
        "(30 days)",
    ] {
        assert!(g.stderr.contains(needle), "{needle:?} in {}", g.stderr);
    }
    let kid = jwk["kid"].as_str().unwrap();
    assert!(g.stderr.contains(&format!("kid: {kid}")), "{}", g.stderr);
}

#[test]
fn keygen_cert_verifies_with_openssl() {
    let cert = gen_path("cert.pem");
    let (ok, out, err) = openssl(&["verify", "-CAfile", &cert, &cert]);
    assert!(ok, "openssl verify: {out}{err}");
    assert!(out.contains(": OK"), "{out}");
}

#[test]
fn keygen_cert_is_v3_sha256_signing_cert() {
    let cert = gen_path("cert.pem");
    let (ok, text, err) = openssl(&["x509", "-in", &cert, "-noout", "-text"]);
    assert!(ok, "{err}");
    for needle in [
        "Version: 3 (0x2)",
        "Signature Algorithm: sha256WithRSAEncryption",
        "Public-Key: (2048 bit)",
        "Exponent: 65537 (0x10001)",
        "CA:FALSE",
        "Digital Signature",
        "Subject Key Identifier",
    ] {
        assert!(text.contains(needle), "{needle:?} missing in\n{text}");
    }
    let (ok, subj, _) = openssl(&["x509", "-in", &cert, "-noout", "-subject", "-issuer"]);
    assert!(ok);
    assert!(subj.contains("CN = Foundation test"), "{subj}");
    assert!(subj.contains("O = uvtool"), "{subj}");
    // 30 days: valid in 29 days, not in 31.
    let valid_in_days = |days: u32| {
        let secs = (days * 86400).to_string();
        openssl(&["x509", "-in", &cert, "-noout", "-checkend", &secs]).0
    };
    assert!(valid_in_days(29), "still valid in 29 days");
    assert!(!valid_in_days(31), "expired in 31 days");
    // The serial is random: not 0 or 1, at least 64 bits.
    let (_, serial, _) = openssl(&["x509", "-in", &cert, "-noout", "-serial"]);
    let hex = serial.trim().strip_prefix("serial=").unwrap();
    assert!(hex.len() >= 16, "serial {hex}");
}

#[test]
fn keygen_keys_agree_with_openssl() {
    let cert_mod = openssl_modulus("x509", &gen_path("cert.pem"), &[]);
    let key_mod = openssl_modulus("rsa", &gen_path("private.pem"), &[]);
    let pub_mod = openssl_modulus("rsa", &gen_path("public.pem"), &["-pubin"]);
    assert_eq!(
        cert_mod, key_mod,
        "the certificate holds the private key's public half"
    );
    assert_eq!(pub_mod, key_mod);
    let (ok, out, err) = openssl(&["rsa", "-in", &gen_path("private.pem"), "-check", "-noout"]);
    assert!(ok && out.contains("RSA key ok"), "{out}{err}");
    // openssl derives the same SPKI from the private key.
    let (ok, spki, _) = openssl(&["pkey", "-in", &gen_path("private.pem"), "-pubout"]);
    assert!(ok);
    assert_eq!(spki, fs::read_to_string(gen_path("public.pem")).unwrap());
}

#[test]
fn keygen_jwk_matches_the_certificate() {
    let g = generated();
    let jwk = read_json(g.dir.join("jwk.json"));
    let obj = jwk.as_object().unwrap();
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["kty", "kid", "use", "alg", "n", "e", "x5c", "x5t#S256"],
        "members and their order"
    );
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["use"], "sig");
    assert_eq!(jwk["alg"], "RS256");
    // n/e: base64url, no padding, no leading zero, equal to openssl's modulus.
    let n = b64url(&jwk["n"]);
    assert_ne!(n[0], 0, "no leading zero byte");
    assert_eq!(n.len(), 256);
    assert_eq!(
        hex_upper(&n),
        openssl_modulus("x509", &gen_path("cert.pem"), &[])
    );
    assert_eq!(jwk["e"], "AQAB");
    assert_eq!(b64url(&jwk["e"]), vec![1, 0, 1]);
    // x5c[0] is standard base64 of the certificate DER; x5t#S256 its hash.
    let x5c = jwk["x5c"][0].as_str().unwrap();
    assert!(!x5c.contains(['-', '_']), "x5c is not url-safe base64");
    let tmp = tempfile::tempdir().unwrap();
    let der = openssl_cert_der(&gen_path("cert.pem"), tmp.path());
    assert_eq!(STANDARD.decode(x5c).unwrap(), der);
    assert_eq!(jwk["x5c"].as_array().unwrap().len(), 1);
    assert_eq!(
        jwk["x5t#S256"].as_str().unwrap(),
        URL_SAFE_NO_PAD.encode(sha256(&der))
    );
    // kid defaults to the RFC 7638 thumbprint.
    assert_eq!(jwk["kid"].as_str().unwrap(), rfc7638(&jwk));
    // jwks.json is the same key in a set.
    assert_eq!(
        read_json(g.dir.join("jwks.json")),
        serde_json::json!({ "keys": [jwk] })
    );
}

#[test]
fn keygen_never_clobbers_without_force() {
    let g = generated();
    let before: Vec<Vec<u8>> = FILES
        .iter()
        .map(|f| fs::read(g.dir.join(f)).unwrap())
        .collect();
    uvtool()
        .args(["keygen", "--out-dir", g.dir.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "uvtool: error: {}: already exists (use --force to overwrite)\n",
            g.dir.join("private.pem").display()
        ));
    let after: Vec<Vec<u8>> = FILES
        .iter()
        .map(|f| fs::read(g.dir.join(f)).unwrap())
        .collect();
    assert!(before == after, "old files intact");
    no_temp_files(&g.dir);
}

#[test]
fn keygen_refuses_when_any_one_file_exists() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("jwks.json"), "old").unwrap();
    uvtool()
        .args(["keygen", "--out-dir", d.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "jwks.json: already exists (use --force to overwrite)",
        ));
    assert_eq!(
        fs::read_to_string(d.path().join("jwks.json")).unwrap(),
        "old"
    );
    assert_eq!(
        fs::read_dir(d.path()).unwrap().count(),
        1,
        "nothing else written"
    );
}

#[test]
fn keygen_3072_force_replaces_every_file() {
    let d = tempfile::tempdir().unwrap();
    for f in FILES {
        fs::copy(fixture("keys/a").join(f), d.path().join(f)).unwrap();
        fs::set_permissions(d.path().join(f), fs::Permissions::from_mode(0o644)).unwrap();
    }
    let dir = d.path().to_str().unwrap();
    uvtool()
        .args(["keygen", "--out-dir", dir, "--bits", "3072", "--force"])
        .args(["--alg", "RS512", "--kid", "rotated-3072"])
        .assert()
        .success()
        .stderr(predicate::str::contains("RSA-3072"));
    for f in FILES {
        assert_ne!(
            fs::read(d.path().join(f)).unwrap(),
            fs::read(fixture("keys/a").join(f)).unwrap(),
            "{f} replaced"
        );
    }
    // Replaced by rename of a new 0600 file: the old mode does not survive.
    assert_eq!(mode(d.path().join("private.pem")), 0o600);
    no_temp_files(d.path());
    let (ok, text, _) = openssl(&[
        "rsa",
        "-in",
        &format!("{dir}/private.pem"),
        "-noout",
        "-text",
    ]);
    assert!(ok && text.contains("Private-Key: (3072 bit"), "{text}");
    let jwk = read_json(d.path().join("jwk.json"));
    assert_eq!(jwk["kid"], "rotated-3072");
    assert_eq!(jwk["alg"], "RS512");
    assert_eq!(b64url(&jwk["n"]).len(), 384);
    let cert = format!("{dir}/cert.pem");
    assert!(openssl(&["verify", "-CAfile", &cert, &cert]).0);
}

#[test]
fn keygen_4096() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("k4096");
    uvtool()
        .args([
            "keygen",
            "--bits",
            "4096",
            "--out-dir",
            dir.to_str().unwrap(),
        ])
        .assert()
        .success();
    let key = dir.join("private.pem");
    let (ok, text, _) = openssl(&["rsa", "-in", key.to_str().unwrap(), "-noout", "-text"]);
    assert!(ok && text.contains("Private-Key: (4096 bit"), "{text}");
    assert_eq!(b64url(&read_json(dir.join("jwk.json"))["n"]).len(), 512);
    assert_eq!(
        openssl_modulus("x509", dir.join("cert.pem").to_str().unwrap(), &[]),
        openssl_modulus("rsa", key.to_str().unwrap(), &[])
    );
}

#[test]
fn keygen_bits_policy() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().to_str().unwrap();
    uvtool()
        .args(["keygen", "--bits", "1024", "--out-dir", dir])
        .assert()
        .code(2)
        .stdout("")
        .stderr("uvtool: error: --bits 1024: RSA keys below 2048 bits are refused (the platform requires at least 2048; source: seed); use 2048, 3072 or 4096\n");
    uvtool()
        .args(["keygen", "--bits", "5000", "--out-dir", dir])
        .assert()
        .code(2)
        .stderr("uvtool: error: --bits 5000: choose 2048, 3072 or 4096\n");
    assert_eq!(
        fs::read_dir(d.path()).unwrap().count(),
        0,
        "no file written"
    );
}

#[test]
fn keygen_unwritable_folder_leaves_nothing() {
    let Some(dir) = common_unwritable_dir() else {
        return;
    };
    uvtool()
        .args(["keygen", "--out-dir", dir.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(format!(
            "uvtool: error: {}: cannot write in this folder",
            dir.display()
        )))
        .stderr(predicate::str::contains("\n").count(1));
    for f in FILES {
        assert!(!dir.join(f).exists());
    }
}

/// A folder this process cannot create files in: a 0555 folder when not
/// root, otherwise /sys (sysfs refuses new regular files even to root).
fn common_unwritable_dir() -> Option<PathBuf> {
    let d = tempfile::tempdir().unwrap().keep();
    fs::set_permissions(&d, fs::Permissions::from_mode(0o555)).unwrap();
    if fs::File::create(d.join("probe")).is_err() {
        return Some(d);
    }
    let _ = fs::remove_file(d.join("probe"));
    let _ = fs::remove_dir(&d);
    let sys = PathBuf::from("/sys");
    if sys.is_dir() && fs::File::create(sys.join("uvtool-probe")).is_err() {
        return Some(sys);
    }
    eprintln!("skipping: no unwritable folder available");
    None
}

#[test]
fn keygen_and_init_both_create_parent_folders() {
    let d = tempfile::tempdir().unwrap();
    let deep = d.path().join("a/b/c");
    let (code, _, err) = run(&["keygen", "--out-dir", &s(&deep)]);
    assert_eq!(code, 0, "{err}");
    assert!(deep.join("private.pem").exists());
    let deep2 = d.path().join("x/y/z");
    let (code, _, err) = run(&["init", &s(&deep2)]);
    assert_eq!(code, 0, "{err}");
    assert!(deep2.join("NEXT-STEPS.md").exists());
    let (_, help, _) = run(&["keygen", "--help"]);
    assert!(
        help.contains("created, with its parents, if missing"),
        "{help}"
    );
}
