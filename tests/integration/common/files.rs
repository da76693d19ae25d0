//! Reading what a command wrote, with code independent of the library:
//! JSON, file modes, base64url, SHA-256, RFC 7638 thumbprints, openssl's
//! view of a key or certificate, and leftover temporary files.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::Value;

use crate::common::openssl;

pub fn read_json(path: impl AsRef<Path>) -> Value {
    serde_json::from_slice(&fs::read(path.as_ref()).unwrap()).unwrap()
}

pub fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("stdout is JSON")
}

pub fn mode(path: impl AsRef<Path>) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

pub fn b64url(s: &Value) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(s.as_str().unwrap()).unwrap()
}

/// `bytes` as unpadded base64url (the `base64` crate, not the library's).
pub fn b64url_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn hex_upper(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

pub fn sha256(data: &[u8]) -> Vec<u8> {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, data)
        .as_ref()
        .to_vec()
}

/// `openssl ... -noout -modulus` → the hex after `Modulus=`.
pub fn openssl_modulus(kind: &str, path: &str, extra: &[&str]) -> String {
    let mut args = vec![kind, "-in", path, "-noout", "-modulus"];
    args.extend_from_slice(extra);
    let (ok, out, err) = openssl(&args);
    assert!(ok, "openssl {kind} -modulus: {err}");
    out.trim()
        .strip_prefix("Modulus=")
        .expect("Modulus=")
        .to_string()
}

/// The DER of a PEM certificate, converted by openssl.
pub fn openssl_cert_der(pem: &str, dir: &Path) -> Vec<u8> {
    let der = dir.join("cert.der");
    let (ok, _, err) = openssl(&[
        "x509",
        "-in",
        pem,
        "-outform",
        "DER",
        "-out",
        der.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    fs::read(der).unwrap()
}

/// RFC 7638 thumbprint computed here, independently of the library.
pub fn rfc7638(jwk: &Value) -> String {
    let canonical = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        jwk["e"].as_str().unwrap(),
        jwk["n"].as_str().unwrap()
    );
    URL_SAFE_NO_PAD.encode(sha256(canonical.as_bytes()))
}

pub fn no_temp_files(dir: &Path) {
    let stray: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.starts_with('.'))
        .collect();
    assert!(
        stray.is_empty(),
        "stray files in {}: {stray:?}",
        dir.display()
    );
}
