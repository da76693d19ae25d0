//! Reading what `check` is given and working out what it is: a JWK, a JWKS,
//! a JSON array of keys, a certificate (PEM/DER), a key (PEM/DER) or a token.
//!
//! Keys are read without uvtool's key policy, so a 1024-bit key or an EC
//! certificate becomes a finding (K3, K2) instead of an unreadable input.

use pkcs1::der::Decode;
use pkcs8::spki::SubjectPublicKeyInfoRef;
use serde_json::{Map, Value};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use crate::jwk::JwkObject;
use crate::keys::{self, DerKind, RsaPublic};
use crate::{b64, io, pem, token, Error, Result};

/// One input, read and recognised.
#[derive(Debug)]
pub enum Input {
    /// Keys: a JWK, JWKS, array, certificate or key file.
    Keys(KeyDoc),
    /// A compact JWS.
    Token(TokenInput),
    /// A keyset URL and what it answered.
    Endpoint(EndpointInput),
}

/// A keyset URL, fetched as the platform would.
#[derive(Debug)]
pub struct EndpointInput {
    pub url: String,
    /// What the server answered; `None` when check did not fetch (plain
    /// http to a host that is not this machine: E1).
    pub response: Option<Fetched>,
}

/// A response from a keyset URL.
#[derive(Debug)]
pub struct Fetched {
    pub facts: crate::net::ResponseFacts,
    /// The body looks like an HTML page.
    pub html: bool,
    /// The body read as keys, for a 200 answer that is not HTML; the error
    /// says why it is not a key document.
    pub doc: Option<std::result::Result<KeyDoc, String>>,
}

/// The shape of a key document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One JWK object.
    Jwk,
    /// A JWKS `{"keys":[…]}`.
    Set,
    /// A JSON array of keys (neither a JWK nor a JWKS).
    Array,
    /// An X.509 certificate, PEM or DER.
    Certificate,
    /// A public key, PEM or DER.
    PublicKey,
    /// A private key, PEM or DER.
    PrivateKey,
}

/// A key document and the keys in it.
#[derive(Debug)]
pub struct KeyDoc {
    pub file: String,
    pub shape: Shape,
    pub keys: Vec<KeyView>,
}

/// One key, as far as it could be read.
#[derive(Debug)]
pub struct KeyView {
    /// JSON path of the key object (`""` for a JWK file or a PEM/DER file,
    /// `keys[1]` in a JWKS, `[1]` in an array).
    pub path: String,
    /// The JWK object, when the key came from JSON.
    pub jwk: Option<JwkObject>,
    /// The key type: the JWK's `kty` string, or `RSA`/`EC`/`OKP`/… from a
    /// certificate or key file.
    pub kty: Option<String>,
    /// The RSA public key, when `n`/`e` (or the certificate or key) could be read.
    pub public: Option<RsaPublic>,
    /// The certificate: `x5c[0]` of a JWK, or the certificate file itself.
    pub cert: Option<CertSlot>,
}

/// A certificate and where it sits.
#[derive(Debug)]
pub struct CertSlot {
    /// JSON path (`x5c[0]`, `keys[0].x5c[0]`) or `""` for a certificate file.
    pub path: String,
    pub parsed: std::result::Result<CertFacts, CertProblem>,
}

/// What the rules need to know about a certificate.
#[derive(Debug, Clone)]
pub struct CertFacts {
    /// `RSA`, `EC`, `DSA`, `OKP` or `unknown`.
    pub key_type: String,
    /// The RSA public key, for an RSA certificate.
    pub public: Option<RsaPublic>,
    /// Validity, unix seconds.
    pub not_before: i64,
    pub not_after: i64,
}

/// Why a certificate could not be read.
#[derive(Debug, Clone)]
pub enum CertProblem {
    /// The `x5c` entry is not standard base64 (K5 reports it).
    Encoding(String),
    /// The bytes are not a certificate (K8 reports it).
    NotCertificate(String),
}

/// A token, decoded and owned.
#[derive(Debug)]
pub struct TokenInput {
    pub file: String,
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    pub signing_input: String,
    pub signature: Vec<u8>,
}

/// Read an input (a path, or `-` for stdin) and recognise it. Anything that
/// cannot be read at all is an error (exit 2).
pub fn read(arg: &str) -> Result<Input> {
    let lower = arg.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return read_url(arg).map(Input::Endpoint);
    }
    let bytes = io::read_input(arg)?;
    classify(&bytes, io::display_name(arg))
}

/// Recognise the bytes of an input named `file`.
pub fn classify(bytes: &[u8], file: &str) -> Result<Input> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{') | Some(b'[')) {
        return json_doc(bytes, file).map(Input::Keys);
    }
    if pem::looks_like_pem(bytes) {
        return pem_doc(bytes, file).map(Input::Keys);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let t = text.trim();
        if t.starts_with("eyJ") && t.contains('.') && t.contains(char::is_whitespace) {
            return Err(Error::input(
                file,
                "holds several tokens or a token with spaces in it; give one token per file",
            ));
        }
        if looks_like_token(t) {
            let d = token::decode(t).map_err(|m| Error::input(file, format!("token {m}")))?;
            return Ok(Input::Token(TokenInput {
                file: file.to_string(),
                header: d.header,
                claims: d.claims,
                signing_input: d.signing_input.to_string(),
                signature: d.signature,
            }));
        }
    }
    der_doc(bytes, file).map(Input::Keys)
}

fn looks_like_token(t: &str) -> bool {
    t.starts_with("eyJ") && t.contains('.') && !t.contains(char::is_whitespace)
}

fn json_doc(bytes: &[u8], file: &str) -> Result<KeyDoc> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::input(file, format!("is not valid JSON ({e})")))?;
    let objects = |arr: Vec<Value>, prefix: &str| -> Result<Vec<KeyView>> {
        arr.into_iter()
            .enumerate()
            .map(|(i, k)| {
                let path = format!("{prefix}[{i}]");
                match k {
                    Value::Object(o) => Ok(jwk_view(o, path)),
                    _ => Err(Error::input(
                        format!("{file}: {path}"),
                        "is not a JSON object (a key is an object with \"kty\")",
                    )),
                }
            })
            .collect()
    };
    match v {
        Value::Array(arr) => Ok(KeyDoc {
            file: file.to_string(),
            shape: Shape::Array,
            keys: objects(arr, "")?,
        }),
        Value::Object(mut m) => {
            if let Some(keys) = m.remove("keys") {
                let Value::Array(arr) = keys else {
                    return Err(Error::input(
                        format!("{file}: keys"),
                        "is not an array (a JWKS is {\"keys\":[…]})",
                    ));
                };
                Ok(KeyDoc {
                    file: file.to_string(),
                    shape: Shape::Set,
                    keys: objects(arr, "keys")?,
                })
            } else if ["kty", "kid", "n", "e", "x5c", "alg"]
                .iter()
                .any(|k| m.contains_key(*k))
            {
                Ok(KeyDoc {
                    file: file.to_string(),
                    shape: Shape::Jwk,
                    keys: vec![jwk_view(m, String::new())],
                })
            } else {
                Err(Error::input(
                    file,
                    "is a JSON object with neither \"keys\" (a JWKS) nor JWK members such as \"kty\"",
                ))
            }
        }
        _ => Err(Error::input(
            file,
            "is JSON but not an object (expected a JWK or a JWKS {\"keys\":[…]})",
        )),
    }
}

fn jwk_view(obj: JwkObject, path: String) -> KeyView {
    let kty = obj.get("kty").and_then(Value::as_str).map(str::to_string);
    let member = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .and_then(|s| b64::url_decode(s).ok())
            .filter(|v| !v.is_empty())
    };
    let public = match (member("n"), member("e")) {
        (Some(n), Some(e)) => Some(RsaPublic::new(&n, &e)),
        _ => None,
    };
    let cert = match obj.get("x5c") {
        Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(|s| CertSlot {
            path: super::join(&path, "x5c[0]"),
            parsed: match b64::std_decode(s) {
                Ok(der) => cert_facts(&der),
                Err(m) => Err(CertProblem::Encoding(m)),
            },
        }),
        _ => None,
    };
    KeyView {
        path,
        jwk: Some(obj),
        kty,
        public,
        cert,
    }
}

/// Read a certificate without the key policy.
pub fn cert_facts(der: &[u8]) -> std::result::Result<CertFacts, CertProblem> {
    match X509Certificate::from_der(der) {
        Ok((&[], cert)) => {
            let spki = cert.public_key();
            let (key_type, public) = match spki.parsed() {
                Ok(PublicKey::RSA(r)) => (
                    "RSA".to_string(),
                    Some(RsaPublic::new(r.modulus, r.exponent)),
                ),
                Ok(PublicKey::EC(_)) => ("EC".to_string(), None),
                Ok(PublicKey::DSA(_)) => ("DSA".to_string(), None),
                _ => (
                    oid_key_type(&spki.algorithm.algorithm.to_id_string()).to_string(),
                    None,
                ),
            };
            let v = cert.validity();
            Ok(CertFacts {
                key_type,
                public,
                not_before: v.not_before.timestamp(),
                not_after: v.not_after.timestamp(),
            })
        }
        Ok(_) => Err(CertProblem::NotCertificate(
            "has trailing data after the certificate".into(),
        )),
        Err(e) => Err(CertProblem::NotCertificate(match keys::der_kind(der) {
            DerKind::PrivateKey => {
                "is a private key, not a certificate: never paste or upload a private key".into()
            }
            DerKind::PublicKey | DerKind::Pkcs1Public => {
                "is a bare public key, not a certificate".into()
            }
            _ => format!("does not parse as an X.509 certificate ({e})"),
        })),
    }
}

fn oid_key_type(oid: &str) -> &'static str {
    match oid {
        "1.2.840.113549.1.1.1" => "RSA",
        "1.2.840.113549.1.1.10" => "RSA-PSS",
        "1.2.840.10045.2.1" => "EC",
        "1.3.101.110" | "1.3.101.111" | "1.3.101.112" | "1.3.101.113" => "OKP",
        "1.2.840.10040.4.1" => "DSA",
        _ => "unknown",
    }
}

fn file_view(kty: String, public: Option<RsaPublic>, cert: Option<CertSlot>) -> KeyView {
    KeyView {
        path: String::new(),
        jwk: None,
        kty: Some(kty),
        public,
        cert,
    }
}

fn doc(file: &str, shape: Shape, view: KeyView) -> KeyDoc {
    KeyDoc {
        file: file.to_string(),
        shape,
        keys: vec![view],
    }
}

fn cert_doc(der: &[u8], file: &str) -> KeyDoc {
    let parsed = cert_facts(der);
    let (kty, public) = match &parsed {
        Ok(f) => (f.key_type.clone(), f.public.clone()),
        Err(_) => ("unknown".to_string(), None),
    };
    let mut view = file_view(
        kty,
        public,
        Some(CertSlot {
            path: String::new(),
            parsed,
        }),
    );
    if view.public.is_none() && view.kty.as_deref() == Some("unknown") {
        view.kty = None;
    }
    doc(file, Shape::Certificate, view)
}

fn pem_doc(bytes: &[u8], file: &str) -> Result<KeyDoc> {
    let blocks = pem::parse(bytes).map_err(|m| Error::input(file, m))?;
    let block = blocks
        .iter()
        .find(|b| b.label == "CERTIFICATE" || b.label.contains("KEY"))
        .unwrap_or(&blocks[0]);
    let encrypted = block
        .headers
        .iter()
        .any(|(k, v)| k == "Proc-Type" && v.contains("ENCRYPTED"));
    match block.label.as_str() {
        "CERTIFICATE" => Ok(cert_doc(&block.der, file)),
        "PRIVATE KEY" => private_pkcs8(&block.der, file),
        "RSA PRIVATE KEY" if !encrypted => private_pkcs1(&block.der, file),
        "RSA PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => Err(Error::input(
            file,
            format!("is an encrypted private key; check cannot read it (decrypt a copy with `openssl pkey -in {file} -out plain.pem`)"),
        )),
        "EC PRIVATE KEY" => Ok(doc(file, Shape::PrivateKey, file_view("EC".into(), None, None))),
        "PUBLIC KEY" => public_spki(&block.der, file),
        "RSA PUBLIC KEY" => public_pkcs1(&block.der, file),
        other => Err(Error::input(
            file,
            format!("is a PEM block labelled {other:?}; check reads JWKs, JWKS, certificates, keys and tokens"),
        )),
    }
}

fn der_doc(bytes: &[u8], file: &str) -> Result<KeyDoc> {
    match keys::der_kind(bytes) {
        DerKind::Certificate => Ok(cert_doc(bytes, file)),
        DerKind::PublicKey => public_spki(bytes, file),
        DerKind::Pkcs1Public => public_pkcs1(bytes, file),
        DerKind::PrivateKey => {
            if pkcs8::PrivateKeyInfo::from_der(bytes).is_ok() {
                private_pkcs8(bytes, file)
            } else {
                private_pkcs1(bytes, file)
            }
        }
        DerKind::Unknown => Err(Error::input(
            file,
            "is not a JWK, a JWKS, a certificate (PEM/DER), a key (PEM/DER) or a token",
        )),
    }
}

fn private_pkcs8(der: &[u8], file: &str) -> Result<KeyDoc> {
    let info = pkcs8::PrivateKeyInfo::from_der(der)
        .map_err(|e| Error::input(file, format!("not a valid PKCS#8 private key ({e})")))?;
    let kty = oid_key_type(&info.algorithm.oid.to_string());
    if kty != "RSA" {
        return Ok(doc(
            file,
            Shape::PrivateKey,
            file_view(kty.into(), None, None),
        ));
    }
    private_pkcs1(info.private_key, file)
}

fn private_pkcs1(der: &[u8], file: &str) -> Result<KeyDoc> {
    let k = pkcs1::RsaPrivateKey::from_der(der)
        .map_err(|e| Error::input(file, format!("not a valid PKCS#1 RSA private key ({e})")))?;
    let public = RsaPublic::new(k.modulus.as_bytes(), k.public_exponent.as_bytes());
    Ok(doc(
        file,
        Shape::PrivateKey,
        file_view("RSA".into(), Some(public), None),
    ))
}

fn public_spki(der: &[u8], file: &str) -> Result<KeyDoc> {
    let spki = SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|e| Error::input(file, format!("not a valid SubjectPublicKeyInfo ({e})")))?;
    let kty = oid_key_type(&spki.algorithm.oid.to_string());
    if kty != "RSA" {
        return Ok(doc(
            file,
            Shape::PublicKey,
            file_view(kty.into(), None, None),
        ));
    }
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| Error::input(file, "public key bit string is not byte-aligned"))?;
    public_pkcs1(bits, file)
}

fn public_pkcs1(der: &[u8], file: &str) -> Result<KeyDoc> {
    let k = pkcs1::RsaPublicKey::from_der(der)
        .map_err(|e| Error::input(file, format!("not a valid RSA public key ({e})")))?;
    let public = RsaPublic::new(k.modulus.as_bytes(), k.public_exponent.as_bytes());
    Ok(doc(
        file,
        Shape::PublicKey,
        file_view("RSA".into(), Some(public), None),
    ))
}

/// Fetch a keyset URL (https, or http on loopback) with the network module's
/// bounds. Plain http to another host is not fetched (E1 reports it); a URL
/// that cannot be fetched at all is an error (exit 2).
fn read_url(url: &str) -> Result<EndpointInput> {
    crate::net::check_url(url, true)?;
    if crate::net::check_url(url, false).is_err() {
        return Ok(EndpointInput {
            url: url.to_string(),
            response: None,
        });
    }
    let raw = crate::net::fetch(url, &crate::net::FetchOptions::default())?;
    let html = looks_like_html(&raw.body, raw.facts.content_type.as_deref());
    let doc = (raw.facts.status == 200 && !html).then(|| {
        json_doc(&raw.body, url).map_err(|e| match e {
            Error::Input { msg, .. } => msg,
            other => other.to_string(),
        })
    });
    Ok(EndpointInput {
        url: url.to_string(),
        response: Some(Fetched {
            facts: raw.facts,
            html,
            doc,
        }),
    })
}

/// An HTML page rather than JSON: by Content-Type, or by the first tag.
fn looks_like_html(body: &[u8], content_type: Option<&str>) -> bool {
    if content_type.is_some_and(|c| c.to_ascii_lowercase().contains("html")) {
        return true;
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(256)]).to_ascii_lowercase();
    let t = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    ["<!doctype html", "<html", "<head", "<body"]
        .iter()
        .any(|p| t.starts_with(p))
}
