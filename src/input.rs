//! The one reader: bytes -> what they are (JWK, private JWK, JWKS, JSON
//! array of keys, certificate, public key, private key, encrypted key,
//! token(s)), for every command and for `check`.
//!
//! Recognising ([`kind_of`]) is one step; strictness is a second: the key,
//! certificate and JWK parsers (`keys`, `cert`, `jwk`) apply uvtool's key
//! policy to what this module recognised, while [`classify`] builds a lenient
//! view for the policy's rules, so a 1024-bit key or an EC certificate
//! becomes a finding (K3, K2) instead of an unreadable input.

use pkcs1::der::Decode;
use pkcs8::spki::SubjectPublicKeyInfoRef;
use serde_json::{Map, Value};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use crate::jwk::JwkObject;
use crate::keys::{self, DerKind, RsaPublic};
use crate::{b64, io, jwk, pem, token, Error, Result};

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
    /// The subject, as x509-parser prints it (`CN=…, O=…`).
    pub subject: String,
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

/// A token and what it decodes to.
#[derive(Debug)]
pub struct TokenInput {
    pub file: String,
    /// The token, cleaned of whitespace and a `Bearer ` prefix.
    pub text: String,
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
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

/// Recognise the bytes of an input named `file` and build the lenient view
/// the policy's rules read.
pub fn classify(bytes: &[u8], file: &str) -> Result<Input> {
    let bytes = strip_bom(bytes);
    match kind_of(bytes) {
        Kind::Jwk | Kind::PrivateJwk | Kind::Jwks | Kind::JwkArray | Kind::Json => {
            json_doc(bytes, file).map(Input::Keys)
        }
        Kind::Tokens => Err(Error::input(
            file,
            "holds several tokens; give one token per file",
        )),
        Kind::Token => {
            let text = String::from_utf8_lossy(bytes);
            let t = clean_token(first_line(&text));
            // A token that does not decode is still a token: the policy
            // refuses it (T0), as `verify` does.
            let (header, claims) = match token::decode(t) {
                Ok(d) => (d.header, d.claims),
                Err(_) => Default::default(),
            };
            Ok(Input::Token(TokenInput {
                file: file.to_string(),
                text: t.to_string(),
                header,
                claims,
            }))
        }
        _ if pem::looks_like_pem(bytes) => pem_doc(bytes, file).map(Input::Keys),
        _ => der_doc(bytes, file).map(Input::Keys),
    }
}

/// What an input is, recognised from its bytes before any strict parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A public JWK object (placeholder private members such as `"d":"d"` included).
    Jwk,
    /// A JWK with real private members.
    PrivateJwk,
    /// A JWKS `{"keys":[…]}`.
    Jwks,
    /// A JSON array (of keys, presumably).
    JwkArray,
    /// Other JSON, or text that starts like JSON but does not parse.
    Json,
    /// An X.509 certificate (PEM, possibly a chain, or DER).
    Certificate,
    /// A public key: SPKI or PKCS#1, PEM or DER.
    PublicKey,
    /// A private key: PKCS#8 or PKCS#1, PEM or DER.
    PrivateKey,
    /// An encrypted private key (PKCS#8 or legacy PEM encryption).
    EncryptedKey,
    /// A certificate signing request.
    CertificateRequest,
    /// An OpenSSH private key.
    OpenSshKey,
    /// A PEM block of another kind.
    OtherPem,
    /// One token (a compact JWS), possibly with a `Bearer ` prefix.
    Token,
    /// Several tokens, one a line.
    Tokens,
    /// Text that is none of the above.
    Text,
    /// Binary data that is none of the above.
    Binary,
}

impl Kind {
    /// How the kind is named in messages: "a certificate", "a JWKS".
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Jwk => "a JWK",
            Kind::PrivateJwk => "a private JWK",
            Kind::Jwks => "a JWKS",
            Kind::JwkArray => "a JSON array",
            Kind::Json => "JSON that is neither a JWK nor a JWKS",
            Kind::Certificate => "a certificate",
            Kind::PublicKey => "a public key",
            Kind::PrivateKey => "a private key",
            Kind::EncryptedKey => "an encrypted private key",
            Kind::CertificateRequest => "a certificate request",
            Kind::OpenSshKey => "an OpenSSH private key",
            Kind::OtherPem => "a PEM file of another kind",
            Kind::Token => "a token",
            Kind::Tokens => "a file of tokens",
            Kind::Text => "text that is not a key, a certificate or a token",
            Kind::Binary => "binary data that is not a key or a certificate",
        }
    }
}

pub use crate::io::strip_bom;

/// Recognise what the bytes are. Cheap: JSON is parsed, PEM labels are read,
/// DER is tried against the key and certificate structures.
pub fn kind_of(bytes: &[u8]) -> Kind {
    let bytes = strip_bom(bytes);
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{') | Some(b'[')) {
        return match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(m)) if m.contains_key("keys") => Kind::Jwks,
            Ok(Value::Object(m)) if is_jwk_object(&m) => {
                if jwk::real_private_members(&m).is_empty() {
                    Kind::Jwk
                } else {
                    Kind::PrivateJwk
                }
            }
            Ok(Value::Array(_)) => Kind::JwkArray,
            _ => Kind::Json,
        };
    }
    if pem::looks_like_pem(bytes) {
        let text = String::from_utf8_lossy(bytes);
        let labels = text.lines().filter_map(|l| {
            l.trim()
                .strip_prefix("-----BEGIN ")
                .and_then(|l| l.strip_suffix("-----"))
        });
        let mut other = None;
        for label in labels {
            let kind = match label {
                "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => Kind::Certificate,
                "ENCRYPTED PRIVATE KEY" => Kind::EncryptedKey,
                "RSA PRIVATE KEY" if text.contains("Proc-Type: 4,ENCRYPTED") => Kind::EncryptedKey,
                "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" | "DSA PRIVATE KEY" => {
                    Kind::PrivateKey
                }
                "OPENSSH PRIVATE KEY" => Kind::OpenSshKey,
                "PUBLIC KEY" | "RSA PUBLIC KEY" => Kind::PublicKey,
                "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => Kind::CertificateRequest,
                _ => {
                    other.get_or_insert(Kind::OtherPem);
                    continue;
                }
            };
            return kind;
        }
        return other.unwrap_or(Kind::OtherPem);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        if let Some(l) = lines.next() {
            if looks_like_token(clean_token(l)) {
                return if lines.next().is_some() {
                    Kind::Tokens
                } else {
                    Kind::Token
                };
            }
        }
    }
    match keys::der_kind(bytes) {
        DerKind::Certificate => Kind::Certificate,
        DerKind::PublicKey | DerKind::Pkcs1Public => Kind::PublicKey,
        DerKind::PrivateKey => Kind::PrivateKey,
        DerKind::Unknown if std::str::from_utf8(bytes).is_ok() => Kind::Text,
        DerKind::Unknown => Kind::Binary,
    }
}

/// A JSON object is a JWK when it has `kty` or another JWK member; one
/// definition for every reader (`jwk::parse_doc` included).
pub fn is_jwk_object(m: &Map<String, Value>) -> bool {
    ["kty", "kid", "n", "e", "x5c", "alg"]
        .iter()
        .any(|k| m.contains_key(*k))
}

/// A pasted token without what terminals and HTTP tools add around it:
/// whitespace, an `Authorization:` header name, a `Bearer ` scheme, quotes.
pub fn clean_token(s: &str) -> &str {
    let mut t = s.trim().trim_start_matches('\u{feff}').trim();
    if t.len() > 14 && t[..14].eq_ignore_ascii_case("authorization:") {
        t = t[14..].trim_start();
    }
    if t.len() > 7 && t[..7].eq_ignore_ascii_case("bearer ") {
        t = t[7..].trim_start();
    }
    if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
        t = &t[1..t.len() - 1];
    }
    t.trim()
}

fn first_line(text: &str) -> &str {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
}

fn looks_like_token(t: &str) -> bool {
    t.starts_with("eyJ") && t.contains('.') && !t.contains(char::is_whitespace)
}

/// Where a command's token argument points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenArg {
    /// `-` or no argument: tokens on stdin, one a line.
    Stdin,
    /// A file holding tokens, one a line.
    File(String),
    /// The token itself (cleaned of a `Bearer ` prefix and whitespace).
    Inline(String),
}

/// Work out what a token argument is: `-` (stdin), a file that exists, or
/// the token itself. An argument that looks like a path (has a `/`, or a
/// `.` but not the two of a token) and does not exist is a missing file,
/// not a malformed token; a folder is named as one.
pub fn token_arg(arg: Option<&str>) -> Result<TokenArg> {
    let Some(arg) = arg.filter(|a| *a != "-") else {
        return Ok(TokenArg::Stdin);
    };
    let path = std::path::Path::new(arg);
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_dir() {
            return Err(Error::input(
                arg,
                "is a directory, expected a token or a file of tokens",
            ));
        }
        return Ok(TokenArg::File(arg.to_string()));
    }
    let t = clean_token(arg);
    let dots = t.matches('.').count();
    let pathlike = t.contains('/') || t.contains('\\') || (dots == 1 && !t.starts_with("eyJ"));
    if pathlike && !looks_like_token(t) {
        return Err(Error::input(arg, "no such file"));
    }
    Ok(TokenArg::Inline(t.to_string()))
}

/// The first token of an argument (a token, a file of tokens, or `-`), as
/// `decode` and `platform-key --token` read it; the second value names the
/// source for messages.
pub fn first_token(arg: Option<&str>) -> Result<(String, String)> {
    match token_arg(arg)? {
        TokenArg::Inline(t) => Ok((t, "token".into())),
        TokenArg::Stdin => {
            let text = io::read_text("-")?;
            Ok((clean_token(first_line(&text)).to_string(), "<stdin>".into()))
        }
        TokenArg::File(f) => {
            let text = io::read_text(&f)?;
            let t = clean_token(first_line(&text)).to_string();
            if let Err(m) = token::decode(&t) {
                let kind = kind_of(text.as_bytes());
                let msg = match kind {
                    // A malformed token: say what is wrong with it.
                    Kind::Token | Kind::Tokens => format!("token {m}"),
                    Kind::Text | Kind::Binary | Kind::Json => format!(
                        "does not start with a token (first line: {m}); give a token, a file of tokens one a line, or -"
                    ),
                    k => format!("is {}, not a token", k.describe()),
                };
                return Err(Error::input(&f, msg));
            }
            Ok((t, f))
        }
    }
}

/// `prefix.member`, or `member` at the top level (JSON paths in findings).
pub fn join(prefix: &str, member: &str) -> String {
    if prefix.is_empty() {
        member.to_string()
    } else if member.starts_with('[') {
        format!("{prefix}{member}")
    } else {
        format!("{prefix}.{member}")
    }
}

/// Read JSON key material leniently: a JWK, a JWKS or an array of JWKs.
pub fn json_doc(bytes: &[u8], file: &str) -> Result<KeyDoc> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::input(file, format!("is not valid JSON ({e})")))?;
    let objects = |arr: Vec<Value>, prefix: &str| -> Result<Vec<KeyView>> {
        if arr.len() > crate::jwk::MAX_KEYS {
            return Err(crate::jwk::too_many_keys(file, arr.len()));
        }
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
            } else if is_jwk_object(&m) {
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

/// The lenient view of one JWK object at `path` (`""`, `keys[1]`).
pub fn jwk_view(obj: JwkObject, path: String) -> KeyView {
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
            path: join(&path, "x5c[0]"),
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
                subject: crate::cert::name_string(cert.subject()),
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
    let html = crate::net::looks_like_html(&raw.body, raw.facts.content_type.as_deref());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fx(rel: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(rel),
        )
        .unwrap()
    }

    const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";

    #[test]
    fn kinds_of_every_fixture() {
        for (rel, kind) in [
            ("keys/a/jwk.json", Kind::Jwk),
            ("keys/a/jwks.json", Kind::Jwks),
            ("jwk/a-private.json", Kind::PrivateJwk),
            ("check/official-sample.json", Kind::Jwk),
            ("keys/a/cert.pem", Kind::Certificate),
            ("keys/openssl-cert.der", Kind::Certificate),
            ("keys/a/public.pem", Kind::PublicKey),
            ("keys/openssl-pkcs1-public.pem", Kind::PublicKey),
            ("keys/openssl-spki.der", Kind::PublicKey),
            ("keys/a/private.pem", Kind::PrivateKey),
            ("keys/openssl-pkcs1.pem", Kind::PrivateKey),
            ("keys/openssl-pkcs1.der", Kind::PrivateKey),
            ("keys/openssl-pkcs8.der", Kind::PrivateKey),
            ("keys/ec-p256.pem", Kind::PrivateKey),
            ("keys/encrypted-pkcs8.pem", Kind::EncryptedKey),
            ("keys/encrypted-pkcs1.pem", Kind::EncryptedKey),
        ] {
            assert_eq!(kind_of(&fx(rel)), kind, "{rel}");
        }
        for (bytes, kind) in [
            (&b"[1]"[..], Kind::JwkArray),
            (b"{\"a\":1}", Kind::Json),
            (b"{not json", Kind::Json),
            (b"\xEF\xBB\xBF {\"keys\":[]}", Kind::Jwks),
            (b"-----BEGIN CERTIFICATE REQUEST-----\nAA==\n-----END CERTIFICATE REQUEST-----\n", Kind::CertificateRequest),
            (b"-----BEGIN OPENSSH PRIVATE KEY-----\nAA==\n-----END OPENSSH PRIVATE KEY-----\n", Kind::OpenSshKey),
            (b"-----BEGIN X-----\nAA==\n-----END X-----\n", Kind::OtherPem),
            (b"-----BEGIN X-----\nAA==\n-----END X-----\n-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n", Kind::PublicKey),
            (b"hello", Kind::Text),
            (b"\xff\x00\x01", Kind::Binary),
            (b"", Kind::Text),
        ] {
            assert_eq!(kind_of(bytes), kind, "{}", String::from_utf8_lossy(bytes));
        }
        assert_eq!(kind_of(TOKEN.as_bytes()), Kind::Token);
        assert_eq!(
            kind_of(format!("\n  Bearer {TOKEN}\n\n").as_bytes()),
            Kind::Token
        );
        assert_eq!(
            kind_of(format!("{TOKEN}\n{TOKEN}\n").as_bytes()),
            Kind::Tokens
        );
        assert_eq!(kind_of(b"eyJ no token here"), Kind::Text);
        assert_eq!(kind_of(b"eyJabc"), Kind::Text);
        // Every kind has its own name.
        let all = [
            Kind::Jwk,
            Kind::PrivateJwk,
            Kind::Jwks,
            Kind::JwkArray,
            Kind::Json,
            Kind::Certificate,
            Kind::PublicKey,
            Kind::PrivateKey,
            Kind::EncryptedKey,
            Kind::CertificateRequest,
            Kind::OpenSshKey,
            Kind::OtherPem,
            Kind::Token,
            Kind::Tokens,
            Kind::Text,
            Kind::Binary,
        ];
        let names: std::collections::HashSet<&str> = all.iter().map(|k| k.describe()).collect();
        assert_eq!(names.len(), all.len());
        assert_eq!(Kind::Certificate.describe(), "a certificate");
    }

    #[test]
    fn pasted_tokens_are_cleaned() {
        assert_eq!(
            clean_token(&format!("  Authorization: Bearer {TOKEN} ")),
            TOKEN
        );
        assert_eq!(clean_token(&format!("bearer   {TOKEN}")), TOKEN);
        assert_eq!(clean_token(&format!("\"{TOKEN}\"")), TOKEN);
        assert_eq!(clean_token(&format!("\u{feff}{TOKEN}")), TOKEN);
        // The prefixes alone, and a lone quote, stay as they are.
        assert_eq!(clean_token("Authorization:"), "Authorization:");
        assert_eq!(clean_token("authorization:x"), "x");
        assert_eq!(clean_token("Bearer"), "Bearer");
        assert_eq!(clean_token("\""), "\"");
        assert_eq!(clean_token("\"\""), "");
        assert_eq!(clean_token("\"a\""), "a");
        assert_eq!(first_line("\n \n  x y \nz"), "x y");
        assert_eq!(first_line(" \n"), "");
        assert!(looks_like_token(TOKEN));
        assert!(!looks_like_token("eyJabc"));
        assert!(!looks_like_token("eyJ a.b"));
        assert!(!looks_like_token("abc.def"));
    }

    #[test]
    fn token_arguments() {
        assert_eq!(token_arg(None).unwrap(), TokenArg::Stdin);
        assert_eq!(token_arg(Some("-")).unwrap(), TokenArg::Stdin);
        assert_eq!(
            token_arg(Some(&format!("Bearer {TOKEN}"))).unwrap(),
            TokenArg::Inline(TOKEN.into())
        );
        let dir = env!("CARGO_MANIFEST_DIR");
        let e = token_arg(Some(dir)).unwrap_err().to_string();
        assert!(
            e.ends_with("is a directory, expected a token or a file of tokens"),
            "{e}"
        );
        let f = format!("{dir}/Cargo.toml");
        assert_eq!(token_arg(Some(&f)).unwrap(), TokenArg::File(f.clone()));
        for missing in ["no/such", "tok.jwt", "a\\b"] {
            let e = token_arg(Some(missing)).unwrap_err().to_string();
            assert_eq!(e, format!("{missing}: no such file"));
        }
        // Not path-like: a malformed token, for the policy to name (T0).
        for odd in ["abc", "a.b.c", "eyJx.y"] {
            assert_eq!(token_arg(Some(odd)).unwrap(), TokenArg::Inline(odd.into()));
        }
        assert_eq!(
            first_token(Some(TOKEN)).unwrap(),
            (TOKEN.to_string(), "token".to_string())
        );
        let e = first_token(Some(&f)).unwrap_err().to_string();
        assert!(e.contains("does not start with a token"), "{e}");
        let cert = format!("{dir}/fixtures/keys/a/cert.pem");
        let e = first_token(Some(&cert)).unwrap_err().to_string();
        assert!(e.ends_with("is a certificate, not a token"), "{e}");
    }

    #[test]
    fn urls_are_endpoints_not_files() {
        // A plain-http URL is not fetched (E1 names it); it is never read
        // as a file name.
        for url in ["http://example.com/jwks.json", "HTTP://example.com/x"] {
            match read(url) {
                Ok(Input::Endpoint(e)) => {
                    assert_eq!(e.url, url);
                    assert!(e.response.is_none());
                }
                Ok(_) => panic!("{url}: not an endpoint"),
                Err(e) => panic!("{url}: {e}"),
            }
        }
    }

    #[test]
    fn json_paths_and_docs() {
        assert_eq!(join("", "kty"), "kty");
        assert_eq!(join("keys[0]", "x5c[0]"), "keys[0].x5c[0]");
        assert_eq!(join("keys", "[1]"), "keys[1]");
        let jwk: Map<String, Value> = serde_json::from_str(r#"{"kid":"x"}"#).unwrap();
        assert!(is_jwk_object(&jwk));
        assert!(!is_jwk_object(&Map::new()));
        let Input::Keys(d) = classify(&fx("keys/a/jwks.json"), "s.json").unwrap() else {
            panic!()
        };
        assert_eq!((d.shape, d.keys.len()), (Shape::Set, 1));
        assert_eq!(d.keys[0].path, "keys[0]");
        assert_eq!(d.keys[0].cert.as_ref().unwrap().path, "keys[0].x5c[0]");
        assert!(d.keys[0].public.is_some());
        let Input::Keys(d) = classify(b"[{\"kty\":\"RSA\"}]", "a.json").unwrap() else {
            panic!()
        };
        assert_eq!((d.shape, d.keys[0].path.as_str()), (Shape::Array, "[0]"));
        assert!(d.keys[0].public.is_none());
        for (text, msg) in [
            ("[1]", "a.json: [0]: is not a JSON object"),
            ("{\"keys\":1}", "a.json: keys: is not an array"),
            ("{\"a\":1}", "a.json: is a JSON object with neither"),
            ("{x", "a.json: is not valid JSON"),
        ] {
            let e = classify(text.as_bytes(), "a.json")
                .err()
                .unwrap()
                .to_string();
            assert!(e.starts_with(msg), "{text}: {e}");
        }
        let e = classify(format!("{TOKEN}\n{TOKEN}").as_bytes(), "t")
            .err()
            .unwrap()
            .to_string();
        assert_eq!(e, "t: holds several tokens; give one token per file");
        let Input::Token(t) = classify(format!("Bearer {TOKEN}\n").as_bytes(), "t").unwrap() else {
            panic!()
        };
        assert_eq!(t.text, TOKEN);
        assert_eq!(t.claims["sub"], "u");
    }
}
