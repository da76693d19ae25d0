//! JWK and JWKS: the model, RFC 7638 thumbprints, and conversions between
//! keys, certificates and JWKs.
//!
//! JWKs are kept as ordered JSON objects so members uvtool does not know are
//! preserved when a set is edited; typed views are parsed on demand.

use serde_json::{Map, Value};

use crate::b64;
use crate::cert::CertInfo;
use crate::error::KeyProblem;
use crate::keys::{RsaPrivate, RsaPublic};
use crate::token::Alg;
use crate::{Error, Result};

/// A JWK as an ordered JSON object.
pub type JwkObject = Map<String, Value>;

/// Private members of an RSA JWK (RFC 7518 §6.3.2).
pub const PRIVATE_MEMBERS: [&str; 6] = ["d", "p", "q", "dp", "dq", "qi"];

/// Members that the documented "Sample JWK Structure" and the official tool
/// carry as placeholders whose value is their own name (`"d":"d"`); such a
/// member is no key material and is read everywhere with a warning (K10).
pub const PLACEHOLDER_MEMBERS: [&str; 10] = ["d", "p", "q", "dp", "dq", "qi", "k", "y", "crv", "x"];

/// Whether member `m` of `obj` is a placeholder: its value is exactly its name.
pub fn is_placeholder(obj: &JwkObject, m: &str) -> bool {
    PLACEHOLDER_MEMBERS.contains(&m) && obj.get(m).and_then(Value::as_str) == Some(m)
}

/// The private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, and a symmetric
/// `k`) that hold real values, i.e. are not placeholders.
pub fn real_private_members(obj: &JwkObject) -> Vec<&'static str> {
    PRIVATE_MEMBERS
        .iter()
        .copied()
        .chain(["k"])
        .filter(|m| obj.contains_key(*m) && !is_placeholder(obj, m))
        .collect()
}

/// The placeholder members of `obj`, in its order.
pub fn placeholder_members(obj: &JwkObject) -> Vec<&str> {
    obj.keys()
        .map(String::as_str)
        .filter(|m| is_placeholder(obj, m))
        .collect()
}

/// A JSON object is a JWK when it has `kty` or another JWK member; one
/// definition for every reader (the reader's included).
pub fn is_jwk_object(m: &Map<String, Value>) -> bool {
    ["kty", "kid", "n", "e", "x5c", "alg"]
        .iter()
        .any(|k| m.contains_key(*k))
}

/// What to put in a new JWK.
#[derive(Debug, Default)]
pub struct JwkOptions<'a> {
    /// Key id; defaults to the RFC 7638 thumbprint.
    pub kid: Option<String>,
    /// `alg` member, e.g. `RS256`.
    pub alg: Option<Alg>,
    /// A certificate for `x5c` and `x5t#S256`.
    pub cert: Option<&'a CertInfo>,
    /// Include the private members of this key.
    pub private: Option<&'a RsaPrivate>,
}

/// The RFC 7638 SHA-256 thumbprint of an RSA public key, base64url.
pub fn thumbprint(public: &RsaPublic) -> String {
    let canonical = format!(
        r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
        b64::url_encode(&public.e),
        b64::url_encode(&public.n)
    );
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, canonical.as_bytes());
    b64::url_encode(digest.as_ref())
}

/// `x5t#S256`: base64url SHA-256 of the certificate DER.
pub fn x5t_s256(cert_der: &[u8]) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, cert_der);
    b64::url_encode(digest.as_ref())
}

/// Build a JWK for `public`: `kty`, `kid`, `use`, `alg`, `n`, `e`, then
/// `x5c` and `x5t#S256` with a certificate, then private members if asked.
/// A certificate whose key differs from `public` is an error.
pub fn build(public: &RsaPublic, opts: &JwkOptions<'_>) -> Result<JwkObject> {
    if let Some(cert) = opts.cert {
        if cert.public != *public {
            return Err(Error::input(
                "certificate",
                "its public key does not match the key given",
            ));
        }
    }
    if let Some(private) = opts.private {
        if private.public != *public {
            return Err(Error::input(
                "private key",
                "does not match the public key given",
            ));
        }
    }
    let mut m = Map::new();
    m.insert("kty".into(), "RSA".into());
    m.insert(
        "kid".into(),
        opts.kid
            .clone()
            .unwrap_or_else(|| thumbprint(public))
            .into(),
    );
    m.insert("use".into(), "sig".into());
    if let Some(alg) = opts.alg {
        m.insert("alg".into(), alg.name().into());
    }
    m.insert("n".into(), b64::url_encode(&public.n).into());
    m.insert("e".into(), b64::url_encode(&public.e).into());
    if let Some(cert) = opts.cert {
        m.insert(
            "x5c".into(),
            Value::Array(vec![b64::std_encode(&cert.der).into()]),
        );
        m.insert("x5t#S256".into(), x5t_s256(&cert.der).into());
    }
    if let Some(k) = opts.private {
        for (name, v) in [
            ("d", &k.d),
            ("p", &k.p),
            ("q", &k.q),
            ("dp", &k.dp),
            ("dq", &k.dq),
            ("qi", &k.qi),
        ] {
            m.insert(name.into(), b64::url_encode(v).into());
        }
    }
    Ok(m)
}

/// A typed view of an RSA JWK.
#[derive(Debug, Clone)]
pub struct RsaJwk {
    pub kid: Option<String>,
    pub alg: Option<String>,
    pub use_: Option<String>,
    pub public: RsaPublic,
    /// Names of private members present.
    pub private_members: Vec<String>,
}

/// Why a JWK is not usable as an RSA key.
#[derive(Debug)]
pub enum JwkProblem {
    /// A key of another type (`EC`, `OKP`, `oct`): skipped in a set.
    OtherKty(String),
    /// A malformed RSA key.
    Bad(Error),
}

/// Parse a JWK object as an RSA public key. `what` names it in messages
/// (e.g. `jwks.json: keys[1]`).
pub fn parse_rsa(obj: &JwkObject, what: &str) -> Result<RsaJwk, JwkProblem> {
    let kty = match obj.get("kty") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => {
            return Err(JwkProblem::Bad(Error::input(
                what,
                "\"kty\" is not a string",
            )))
        }
        None => {
            return Err(JwkProblem::Bad(Error::input(
                what,
                "has no \"kty\" member (a JWK needs \"kty\":\"RSA\"; a JWKS is {\"keys\":[…]})",
            )))
        }
    };
    if kty != "RSA" {
        return Err(JwkProblem::OtherKty(kty.to_string()));
    }
    let bad = |m: String| JwkProblem::Bad(Error::input(what, m));
    let n = b64_member(obj, "n").map_err(bad)?;
    let e = b64_member(obj, "e").map_err(bad)?;
    let public = RsaPublic::new(&n, &e);
    public.check_policy(what).map_err(JwkProblem::Bad)?;
    let opt_str = |k: &str| -> Result<Option<String>, JwkProblem> {
        match obj.get(k) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(JwkProblem::Bad(Error::input(
                what,
                format!("\"{k}\" is not a string"),
            ))),
        }
    };
    Ok(RsaJwk {
        kid: opt_str("kid")?,
        alg: opt_str("alg")?,
        use_: opt_str("use")?,
        public,
        private_members: real_private_members(obj)
            .into_iter()
            .map(str::to_string)
            .collect(),
    })
}

/// Parse an RSA JWK, treating a non-RSA key as an error.
pub fn parse_rsa_strict(obj: &JwkObject, what: &str) -> Result<RsaJwk> {
    parse_rsa(obj, what).map_err(|p| match p {
        JwkProblem::OtherKty(k) => Error::input(
            what,
            format!(
                "is a {k:?} key; only RSA keys are supported (the platform accepts RS256/RS512; source: WEB)"
            ),
        ),
        JwkProblem::Bad(e) => e,
    })
}

fn b64_member(obj: &JwkObject, k: &str) -> Result<Vec<u8>, String> {
    match obj.get(k) {
        None => Err(format!("has no \"{k}\" member")),
        Some(Value::String(s)) => {
            let v = b64::url_decode(s).map_err(|m| format!("\"{k}\" {m}"))?;
            if v.is_empty() {
                return Err(format!("\"{k}\" is empty"));
            }
            Ok(v)
        }
        Some(_) => Err(format!("\"{k}\" is not a string")),
    }
}

/// Build the private key a private JWK describes (all of `d`, `p`, `q`,
/// `dp`, `dq`, `qi` are required).
pub fn private_key(obj: &JwkObject, what: &str) -> Result<RsaPrivate> {
    let j = parse_rsa_strict(obj, what)?;
    if !obj.contains_key("d") || is_placeholder(obj, "d") {
        return Err(Error::key_file(what, KeyProblem::PublicJwk));
    }
    let mut parts = Vec::new();
    for m in PRIVATE_MEMBERS {
        parts.push(b64_member(obj, m).map_err(|e| {
            Error::input(
                what,
                if obj.contains_key(m) {
                    e
                } else {
                    format!("has no \"{m}\" member (all of d, p, q, dp, dq, qi are required)")
                },
            )
        })?);
    }
    RsaPrivate::from_components(
        &j.public.n,
        &j.public.e,
        &parts[0],
        &parts[1],
        &parts[2],
        &parts[3],
        &parts[4],
        &parts[5],
        what,
    )
}

/// A key read from a file that may hold PEM/DER or a JWK.
#[derive(Debug)]
pub struct LoadedKey {
    pub public: RsaPublic,
    /// The private key, when the file holds one.
    pub private: Option<RsaPrivate>,
    /// The JWK's `kid` and `alg`, when the file is a JWK.
    pub kid: Option<String>,
    pub alg: Option<String>,
}

/// Read a key from PEM/DER (PKCS#8, PKCS#1, SPKI) or a JWK (public, or
/// private with `d`). With `need_private`, a public key is an error that
/// says how to get the private one. A JWKS is refused: one key is wanted.
pub fn load_key(input: &[u8], what: &str, need_private: bool) -> Result<LoadedKey> {
    let input = crate::io::strip_bom(input);
    let _parse = crate::probe::doc(input);
    let first = input.iter().find(|b| !b.is_ascii_whitespace());
    if !matches!(first, Some(b'{') | Some(b'[')) {
        return Ok(if need_private {
            let k = crate::keys::load_private(input, what)?;
            LoadedKey {
                public: k.public.clone(),
                private: Some(k),
                kid: None,
                alg: None,
            }
        } else {
            LoadedKey {
                public: crate::keys::load_public(input, what)?,
                private: None,
                kid: None,
                alg: None,
            }
        });
    }
    let obj = match parse_doc(input, what)? {
        KeyDoc::Jwk(o) => o,
        KeyDoc::Set(_) if need_private => return Err(Error::key_file(what, KeyProblem::SetToSign)),
        KeyDoc::Set(_) => {
            return Err(Error::input(
                what,
                "is a JWKS; give a single JWK (or the certificate or key file it was made from)",
            ))
        }
    };
    let s = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
    let (kid, alg) = (s("kid"), s("alg"));
    if obj.contains_key("d") || need_private {
        let k = private_key(&obj, what)?;
        return Ok(LoadedKey {
            public: k.public.clone(),
            private: Some(k),
            kid,
            alg,
        });
    }
    let j = parse_rsa_strict(&obj, what)?;
    check_x5c(&obj, &j.public, what)?;
    Ok(LoadedKey {
        public: j.public,
        private: None,
        kid,
        alg,
    })
}

/// What a JSON key file holds.
#[derive(Debug)]
pub enum KeyDoc {
    /// One JWK object.
    Jwk(JwkObject),
    /// A JWKS `{"keys":[…]}`.
    Set(Vec<JwkObject>),
}

/// Most keys read from one set (a JWKS, or an array of JWKs). Real sets hold
/// a few keys; the cap bounds the work and memory of a hostile one (a 1 MiB
/// fetch holds 28,000 tiny keys, a 64 MiB file 1.8 million).
pub const MAX_KEYS: usize = 1000;

/// The error for a set of `n` keys, more than [`MAX_KEYS`].
pub fn too_many_keys(what: &str, n: usize) -> Error {
    Error::input(
        what,
        format!("holds {n} keys, more than {MAX_KEYS}, the limit for a key set (jwk::MAX_KEYS)"),
    )
}

/// Parse JSON text that is a JWK or a JWKS. Arrays and other shapes are
/// errors naming `what`.
pub fn parse_doc(input: &[u8], what: &str) -> Result<KeyDoc> {
    let input = crate::io::strip_bom(input);
    let _parse = crate::probe::doc(input);
    crate::probe::layer("json", input);
    let v: Value = serde_json::from_slice(input)
        .map_err(|e| Error::input(what, format!("is not valid JSON ({e})")))?;
    match v {
        Value::Object(mut m) => {
            if let Some(keys) = m.remove("keys") {
                let Value::Array(arr) = keys else {
                    return Err(Error::input(what, "\"keys\" is not an array"));
                };
                if arr.len() > MAX_KEYS {
                    return Err(too_many_keys(what, arr.len()));
                }
                let mut out = Vec::with_capacity(arr.len());
                for (i, k) in arr.into_iter().enumerate() {
                    match k {
                        Value::Object(o) => out.push(o),
                        _ => {
                            return Err(Error::input(
                                format!("{what}: keys[{i}]"),
                                "is not a JSON object",
                            ))
                        }
                    }
                }
                Ok(KeyDoc::Set(out))
            } else if is_jwk_object(&m) {
                Ok(KeyDoc::Jwk(m))
            } else {
                Err(Error::input(
                    what,
                    "is a JSON object with neither \"keys\" (a JWKS) nor \"kty\" (a JWK)",
                ))
            }
        }
        Value::Array(_) => Err(Error::input(
            what,
            "is a JSON array; a JWKS is an object {\"keys\":[…]}",
        )),
        _ => Err(Error::input(
            what,
            "is not a JSON object (expected a JWK or a JWKS {\"keys\":[…]})",
        )),
    }
}

/// Parse JSON text that must be a JWKS `{"keys":[…]}`.
pub fn parse_jwks(input: &[u8], what: &str) -> Result<Vec<JwkObject>> {
    match parse_doc(input, what)? {
        KeyDoc::Set(keys) => Ok(keys),
        KeyDoc::Jwk(_) => Err(Error::key_file(what, KeyProblem::NotASet)),
    }
}

/// When a JWK carries `x5c`, its first certificate must hold the same key
/// as `n`/`e`: otherwise readers that use the certificate and readers that
/// use `n`/`e` would verify with different keys.
pub fn check_x5c(obj: &JwkObject, public: &RsaPublic, what: &str) -> Result<()> {
    let Some(x5c) = obj.get("x5c") else {
        return Ok(());
    };
    let first = match x5c {
        Value::Array(a) => match a.first() {
            Some(Value::String(s)) => s,
            Some(_) => return Err(Error::input(what, "\"x5c\"[0] is not a string")),
            None => return Err(Error::input(what, "\"x5c\" is an empty array")),
        },
        _ => return Err(Error::input(what, "\"x5c\" is not an array")),
    };
    let der = b64::std_decode(first).map_err(|m| Error::input(what, format!("\"x5c\"[0] {m}")))?;
    let cert = crate::cert::parse_der(&der, &format!("{what}: \"x5c\"[0]"))?;
    if cert.public != *public {
        return Err(Error::key_file(what, KeyProblem::X5cMismatch));
    }
    Ok(())
}

/// Serialise a JWKS with pretty formatting and a trailing newline.
pub fn jwks_to_string(keys: &[JwkObject]) -> String {
    let set = serde_json::json!({ "keys": keys });
    let mut s = serde_json::to_string_pretty(&set).unwrap_or_default();
    s.push('\n');
    s
}

/// Serialise one JWK with pretty formatting and a trailing newline.
pub fn jwk_to_string(jwk: &JwkObject) -> String {
    let mut s = serde_json::to_string_pretty(jwk).unwrap_or_default();
    s.push('\n');
    s
}

/// Check a set for duplicate `kid`s and private members; `what` names it
/// (keys are named `{what}: keys[i]`).
pub fn check_set(keys: &[JwkObject], what: &str) -> Result<()> {
    let labels: Vec<String> = (0..keys.len())
        .map(|i| format!("{what}: keys[{i}]"))
        .collect();
    check_set_labelled(keys, &labels)
}

/// Like [`check_set`], but each key is named by its own label (the file it
/// came from, e.g. `new/jwk.json` or `jwks.json: keys[2]`), and a duplicate
/// names both places. `labels` is parallel to `keys`.
pub fn check_set_labelled(keys: &[JwkObject], labels: &[String]) -> Result<()> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        let fallback = format!("keys[{i}]");
        let name = labels.get(i).unwrap_or(&fallback);
        // Placeholders ("d":"d", as the official tool emits) are no key
        // material: read with a warning (K10), never refused.
        let present = real_private_members(k);
        if !present.is_empty() {
            return Err(Error::key_file(
                name,
                KeyProblem::PrivateInSet(present.iter().map(|m| m.to_string()).collect()),
            ));
        }
        if let Some(kid) = k.get("kid").and_then(Value::as_str) {
            if let Some(&first) = seen.get(kid) {
                let other = labels
                    .get(first)
                    .cloned()
                    .unwrap_or_else(|| format!("keys[{first}]"));
                return Err(Error::input(
                    name,
                    format!("duplicate kid {kid:?} (also in {other}); every key in a set needs its own kid"),
                ));
            }
            seen.insert(kid, i);
        }
    }
    Ok(())
}

/// The keys an input file contributes to a JWKS: a JWK, the keys of a JWKS,
/// or a key made from a certificate (with `x5c`) or a public key, whose
/// `alg` is `alg`. RSA keys are validated; a key without `kid` gets its
/// thumbprint. Private key files are refused.
pub fn keys_from_input(input: &[u8], what: &str, alg: Alg) -> Result<Vec<JwkObject>> {
    let _parse = crate::probe::doc(input);
    let first = input.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{') | Some(b'[')) {
        let (keys, single) = match parse_doc(input, what)? {
            KeyDoc::Jwk(o) => (vec![o], true),
            KeyDoc::Set(keys) => (keys, false),
        };
        let mut out = Vec::with_capacity(keys.len());
        for (i, mut k) in keys.into_iter().enumerate() {
            let name = if single {
                what.to_string()
            } else {
                format!("{what}: keys[{i}]")
            };
            match parse_rsa(&k, &name) {
                Ok(j) => {
                    check_x5c(&k, &j.public, &name)?;
                    if j.kid.is_none() {
                        k.insert("kid".into(), thumbprint(&j.public).into());
                    }
                }
                Err(JwkProblem::OtherKty(_)) => {}
                Err(JwkProblem::Bad(e)) => return Err(e),
            }
            out.push(k);
        }
        return Ok(out);
    }
    // Read once: the PEM blocks, or the DER structure. A private key is
    // refused; a certificate or a public key, decided by the PEM labels or
    // the DER structure, so the error speaks about what the file is.
    use crate::keys::DerKind;
    let cert_or_key = if crate::pem::looks_like_pem(input) {
        let blocks = crate::pem::parse(input).map_err(|m| Error::input(what, m))?;
        if blocks.iter().any(|b| b.label.contains("PRIVATE KEY")) {
            return Err(private_in_set(what));
        }
        if let Some(b) = blocks.iter().find(|b| b.label == "CERTIFICATE") {
            Ok(crate::cert::parse_der(&b.der, what)?)
        } else if blocks.iter().any(|b| b.label.contains("PUBLIC KEY")) {
            Err(crate::keys::public_from_blocks(&blocks, what)?)
        } else {
            return Err(Error::input(
                what,
                format!(
                    "is a PEM block labelled {:?}; expected a JWK, JWKS, certificate or public key",
                    blocks.first().map_or("", |b| b.label.as_str())
                ),
            ));
        }
    } else {
        match crate::keys::der_kind(input) {
            DerKind::PrivateKey => return Err(private_in_set(what)),
            DerKind::PublicKey => Err(crate::keys::public_from_spki(input, what)?),
            DerKind::Pkcs1Public => Err(crate::keys::public_from_pkcs1(input, what)?),
            // A DER SEQUENCE: the certificate parser says what is wrong.
            DerKind::Certificate => Ok(crate::cert::parse_der(input, what)?),
            DerKind::Unknown if input.first() == Some(&0x30) => {
                Ok(crate::cert::parse_der(input, what)?)
            }
            DerKind::Unknown => {
                return Err(Error::input(
                    what,
                    "is not JSON, PEM or DER; expected a JWK, JWKS, certificate or public key",
                ))
            }
        }
    };
    let obj = match cert_or_key {
        Ok(cert) => build(
            &cert.public,
            &JwkOptions {
                alg: Some(alg),
                cert: Some(&cert),
                ..Default::default()
            },
        )?,
        Err(public) => build(
            &public,
            &JwkOptions {
                alg: Some(alg),
                ..Default::default()
            },
        )?,
    };
    Ok(vec![obj])
}

fn private_in_set(what: &str) -> Error {
    Error::input(
        what,
        "is a private key; a JWKS holds public keys only (give cert.pem or jwk.json)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7638_thumbprint() {
        // RFC 7638 §3.1.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        let public = RsaPublic::new(&b64::url_decode(n).unwrap(), &[1, 0, 1]);
        assert_eq!(
            thumbprint(&public),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn rfc7515_a2_private_jwk_is_its_pem_key() {
        let v: Value =
            serde_json::from_str(include_str!("../fixtures/vectors/rfc7515-a2-rs256.json"))
                .unwrap();
        let pem = v["private_key_pkcs8_pem"].as_str().unwrap();
        let from_pem = crate::keys::load_private(pem.as_bytes(), "rfc7515").unwrap();
        let jwk: JwkObject = serde_json::from_value(v["jwk_private"].clone()).unwrap();
        let from_jwk = private_key(&jwk, "rfc7515 jwk").unwrap();
        assert_eq!(from_jwk.public, from_pem.public);
        assert_eq!(from_jwk.pkcs1_der(), from_pem.pkcs1_der());
    }

    #[test]
    fn doc_shapes() {
        assert!(matches!(
            parse_doc(br#"{"keys":[]}"#, "x").unwrap(),
            KeyDoc::Set(_)
        ));
        assert!(parse_doc(b"[]", "x")
            .unwrap_err()
            .to_string()
            .contains("array"));
        assert!(parse_doc(br#"{"a":1}"#, "x")
            .unwrap_err()
            .to_string()
            .contains("neither"));
        assert!(parse_doc(br#"{"keys":{}}"#, "x")
            .unwrap_err()
            .to_string()
            .contains("not an array"));
        assert!(parse_doc(b"{", "x")
            .unwrap_err()
            .to_string()
            .contains("not valid JSON"));
    }

    #[test]
    fn labelled_set_checks_name_the_source() {
        let a: JwkObject = serde_json::from_str(r#"{"kty":"EC","kid":"x"}"#).unwrap();
        let b: JwkObject = serde_json::from_str(r#"{"kty":"RSA","kid":"x"}"#).unwrap();
        let labels = vec!["one.json".to_string(), "two.json".to_string()];
        let e = check_set_labelled(&[a.clone(), b], &labels)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "two.json: duplicate kid \"x\" (also in one.json); every key in a set needs its own kid"
        );
        let p: JwkObject = serde_json::from_str(r#"{"kty":"RSA","kid":"y","d":"AA"}"#).unwrap();
        let e = check_set_labelled(&[a.clone(), p], &labels)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("two.json: has private member(s) d;"), "{e}");
        assert!(check_set_labelled(&[a], &labels).is_ok());
    }

    #[test]
    fn missing_members() {
        let o: JwkObject = serde_json::from_str(r#"{"kty":"RSA","e":"AQAB"}"#).unwrap();
        let e = parse_rsa_strict(&o, "k").unwrap_err().to_string();
        assert!(e.contains("no \"n\""), "{e}");
        let o: JwkObject = serde_json::from_str(r#"{"kty":"RSA","n":5,"e":"AQAB"}"#).unwrap();
        let e = parse_rsa_strict(&o, "k").unwrap_err().to_string();
        assert!(e.contains("\"n\" is not a string"), "{e}");
        let o: JwkObject = serde_json::from_str(r#"{"kty":"EC"}"#).unwrap();
        let e = parse_rsa_strict(&o, "k").unwrap_err().to_string();
        assert!(e.contains("only RSA"), "{e}");
    }
}
