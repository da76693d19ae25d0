//! Token verification: the signature primitive, key sources, the policy and
//! verdicts with precise reasons.
//!
//! Checks run in a fixed order and stop at the first failure: structure,
//! algorithm allow-list, `crit`, `kid` lookup, the key's own `alg`,
//! signature, `exp`, `nbf`, `iat`, `iss`, `aud`, `sub`, required claims.
//! Keys come only from a [`KeySource`] the caller chose: the header members
//! `jwk`, `jku`, `x5u` and `x5c` are never used to find a key.

use std::sync::OnceLock;

use aws_lc_rs::signature::{ParsedPublicKey, RsaPublicKeyComponents};
use serde_json::{Map, Value};

use crate::keys::RsaPublic;
use crate::token::{self, Alg};
use crate::{clock, jwk, Error, Result};

/// Default clock-skew allowance for `exp`, `nbf` and `iat`, seconds.
pub const DEFAULT_LEEWAY: u64 = 60;

/// The earliest and latest times uvtool reasons about: 0001-01-01 and
/// 9999-12-31T23:59:59Z, unix seconds.
pub const MIN_TIME: i64 = -62_135_596_800;
pub const MAX_TIME: i64 = 253_402_300_799;

/// Header members that name or carry keys; never trusted as key sources.
pub const UNTRUSTED_KEY_HEADERS: [&str; 4] = ["jwk", "jku", "x5u", "x5c"];

/// Verify a raw RSA signature over `msg` (PKCS#1 v1.5 or PSS per `alg`).
/// Keys outside 2048..=8192 bits are refused. This is the primitive the
/// token checks use; it knows nothing about JWTs.
pub fn verify_signature(alg: Alg, key: &RsaPublic, msg: &[u8], sig: &[u8]) -> bool {
    RsaPublicKeyComponents {
        n: key.n.as_slice(),
        e: key.e.as_slice(),
    }
    .to_parsed_public_key(alg.parameters())
    .is_ok_and(|p| p.verify_sig(msg, sig).is_ok())
}

/// A verification key with its metadata and a per-algorithm cache of the
/// parsed backend key, so a batch parses each key once per algorithm.
#[derive(Debug)]
pub struct PreparedKey {
    /// The JWK's `kid`; `None` for keys given directly (`--cert`, `--key`),
    /// which are tried whatever `kid` the token names.
    pub kid: Option<String>,
    /// The JWK's own `alg`, honoured: a token signed with another algorithm
    /// is refused for this key.
    pub alg: Option<String>,
    pub public: RsaPublic,
    /// Where the key came from, for messages (`jwks.json`, `cert.pem`).
    pub origin: String,
    parsed: [OnceLock<Option<ParsedPublicKey>>; 6],
}

impl PreparedKey {
    pub fn new(kid: Option<String>, alg: Option<String>, public: RsaPublic, origin: &str) -> Self {
        PreparedKey {
            kid,
            alg,
            public,
            origin: origin.to_string(),
            parsed: Default::default(),
        }
    }

    /// Verify `sig` over `msg` with this key, parsing it at most once per `alg`.
    pub fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> bool {
        let parsed = self.parsed[alg.index()].get_or_init(|| {
            RsaPublicKeyComponents {
                n: self.public.n.as_slice(),
                e: self.public.e.as_slice(),
            }
            .to_parsed_public_key(alg.parameters())
            .ok()
        });
        parsed
            .as_ref()
            .is_some_and(|p| p.verify_sig(msg, sig).is_ok())
    }

    /// How the key is named in messages.
    pub fn label(&self) -> String {
        match &self.kid {
            Some(k) => format!("key {k:?} from {}", self.origin),
            None => format!("the key from {}", self.origin),
        }
    }
}

/// Where verification keys come from. A source that can change (a JWKS
/// URL) refreshes when a token names a `kid` it does not have.
pub trait KeySource {
    /// How the source is named in messages (file names, a URL).
    fn name(&self) -> &str;
    /// The keys currently known.
    fn keys(&self) -> &[PreparedKey];
    /// Fetch the keys again after an unknown `kid`. `Ok(true)` when the set
    /// changed. Fixed sources (files) never change.
    fn refresh(&mut self) -> Result<bool> {
        Ok(false)
    }
}

impl<T: KeySource + ?Sized> KeySource for Box<T> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn keys(&self) -> &[PreparedKey] {
        (**self).keys()
    }
    fn refresh(&mut self) -> Result<bool> {
        (**self).refresh()
    }
}

/// Keys from files: JWK/JWKS documents, certificates, public or private keys.
#[derive(Debug, Default)]
pub struct StaticKeys {
    name: String,
    keys: Vec<PreparedKey>,
}

impl StaticKeys {
    pub fn new() -> Self {
        Self::default()
    }

    fn note_source(&mut self, what: &str) {
        if !self.name.is_empty() {
            self.name.push_str(", ");
        }
        self.name.push_str(what);
    }

    /// Add the usable keys of a JWK or JWKS document (RSA keys with `use`
    /// absent or `sig`; others are skipped). Returns how many were skipped.
    pub fn add_jwk_doc(&mut self, input: &[u8], what: &str) -> Result<usize> {
        let objs = match jwk::parse_doc(input, what)? {
            jwk::KeyDoc::Jwk(o) => vec![o],
            jwk::KeyDoc::Set(keys) => keys,
        };
        let (keys, skipped) = jwk::verify_keys(&objs, what)?;
        self.note_source(what);
        for k in keys {
            self.keys
                .push(PreparedKey::new(k.kid, k.alg, k.public, what));
        }
        Ok(skipped)
    }

    /// Add one public key given directly (a certificate or key file).
    pub fn add_public(&mut self, public: RsaPublic, what: &str) {
        self.note_source(what);
        self.keys.push(PreparedKey::new(None, None, public, what));
    }

    /// Add a ready key (sources built elsewhere, tests).
    pub fn add_key(&mut self, key: PreparedKey) {
        let origin = key.origin.clone();
        if !self.name.split(", ").any(|n| n == origin) {
            self.note_source(&origin);
        }
        self.keys.push(key);
    }
}

impl KeySource for StaticKeys {
    fn name(&self) -> &str {
        &self.name
    }
    fn keys(&self) -> &[PreparedKey] {
        &self.keys
    }
}

/// What a valid token must satisfy beyond its signature.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Allowed algorithms (the RSA family by default).
    pub algs: Vec<Alg>,
    /// Clock-skew allowance for `exp`, `nbf`, `iat`, seconds.
    pub leeway: u64,
    /// Accept tokens without `exp`.
    pub allow_no_exp: bool,
    pub iss: Option<String>,
    /// The token's `aud` must include one of these (when any are given).
    pub aud: Vec<String>,
    pub sub: Option<String>,
    /// Claims that must be present.
    pub require: Vec<String>,
    /// The clock, unix seconds.
    pub now: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            algs: Alg::ALL.to_vec(),
            leeway: DEFAULT_LEEWAY,
            allow_no_exp: false,
            iss: None,
            aud: Vec::new(),
            sub: None,
            require: Vec::new(),
            now: clock::now(),
        }
    }
}

/// Why a token is invalid: a stable code for machines and a precise message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// `malformed`, `alg`, `crit`, `kid`, `key_alg`, `signature`, `exp`,
    /// `nbf`, `iat`, `iss`, `aud`, `sub` or `require`.
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn fail(code: &'static str, message: impl Into<String>) -> Failure {
    Failure {
        code,
        message: message.into(),
    }
}

/// The outcome for one token.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// `None` when the token is valid.
    pub failure: Option<Failure>,
    /// The header and claims, when the token could be decoded.
    pub header: Option<Map<String, Value>>,
    pub claims: Option<Map<String, Value>>,
    /// The algorithm the token was verified with.
    pub alg: Option<Alg>,
    /// The `kid` of the key that verified the signature (or the header's).
    pub kid: Option<String>,
    /// Where the verifying key came from.
    pub key_origin: Option<String>,
    /// Remarks that do not change the verdict (ignored header members).
    pub notes: Vec<String>,
}

impl Verdict {
    pub fn is_valid(&self) -> bool {
        self.failure.is_none()
    }

    /// The `sub` claim, if it is a string.
    pub fn sub(&self) -> Option<&str> {
        self.claims.as_ref()?.get("sub")?.as_str()
    }
}

/// A key source plus a policy.
pub struct Verifier<S: KeySource> {
    source: S,
    policy: Policy,
}

impl<S: KeySource> Verifier<S> {
    /// A verifier; a source without usable keys is an input error.
    pub fn new(source: S, policy: Policy) -> Result<Self> {
        if source.keys().is_empty() {
            return Err(Error::input(source.name(), "has no usable RSA signing key"));
        }
        Ok(Verifier { source, policy })
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn source(&self) -> &S {
        &self.source
    }

    /// Verify one token; after an unknown `kid` the source is refreshed once
    /// and the token checked again.
    pub fn verify(&mut self, token: &str) -> Verdict {
        let v = self.check(token);
        if v.failure.as_ref().is_some_and(|f| f.code == "kid") {
            match self.source.refresh() {
                Ok(true) => return self.check(token),
                Ok(false) => {}
                Err(e) => {
                    let mut v = v;
                    v.notes.push(format!("refreshing the keys failed: {e}"));
                    return v;
                }
            }
        }
        v
    }

    /// Verify one token against the keys as they are now (no refresh).
    pub fn check(&self, token: &str) -> Verdict {
        let mut v = Verdict {
            failure: None,
            header: None,
            claims: None,
            alg: None,
            kid: None,
            key_origin: None,
            notes: Vec::new(),
        };
        let d = match token::decode(token) {
            Ok(d) => d,
            Err(m) => {
                v.failure = Some(fail("malformed", format!("malformed token: {m}")));
                return v;
            }
        };
        let result = self.check_decoded(&d, &mut v);
        v.header = Some(d.header);
        v.claims = Some(d.claims);
        v.failure = result.err();
        v
    }

    fn check_decoded(
        &self,
        d: &token::Decoded<'_>,
        v: &mut Verdict,
    ) -> std::result::Result<(), Failure> {
        for h in UNTRUSTED_KEY_HEADERS {
            if d.header.contains_key(h) {
                v.notes.push(format!(
                    "header {h:?} ignored: keys come only from the key source you gave ({})",
                    self.source.name()
                ));
            }
        }
        let alg = check_alg(&d.header, &self.policy.algs)?;
        v.alg = Some(alg);
        check_crit(&d.header)?;
        let header_kid = match d.header.get("kid") {
            None => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => return Err(fail("kid", "header kid is not a string")),
        };
        v.kid = header_kid.map(str::to_string);
        let candidates = self.lookup(header_kid)?;
        let usable: Vec<&PreparedKey> = candidates
            .iter()
            .copied()
            .filter(|k| k.alg.as_deref().is_none_or(|a| a == alg.name()))
            .collect();
        if usable.is_empty() {
            let k = candidates[0];
            return Err(fail(
                "key_alg",
                format!(
                    "{} is for {} (its JWK \"alg\"), but the token is signed with {alg}",
                    k.label(),
                    k.alg.as_deref().unwrap_or("?")
                ),
            ));
        }
        let msg = d.signing_input.as_bytes();
        match usable.iter().find(|k| k.verify(alg, msg, &d.signature)) {
            Some(k) => {
                if k.kid.is_some() {
                    v.kid.clone_from(&k.kid);
                }
                v.key_origin = Some(k.origin.clone());
            }
            None => {
                let who = if usable.len() == 1 {
                    usable[0].label()
                } else {
                    format!("any of {} keys", usable.len())
                };
                return Err(fail(
                    "signature",
                    format!(
                        "signature does not verify with {who} (signed by another key, or the token was altered)"
                    ),
                ));
            }
        }
        self.check_claims(&d.claims)
    }

    fn lookup(&self, kid: Option<&str>) -> std::result::Result<Vec<&PreparedKey>, Failure> {
        let keys = self.source.keys();
        let listed = || {
            keys.iter()
                .map(|k| match &k.kid {
                    Some(k) => format!("{k:?}"),
                    None => format!("(no kid: {})", k.origin),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        match kid {
            Some(kid) => {
                let mut found: Vec<&PreparedKey> = keys
                    .iter()
                    .filter(|k| k.kid.as_deref() == Some(kid))
                    .collect();
                if found.is_empty() {
                    // Keys given directly carry no kid: they are tried for any kid.
                    found = keys.iter().filter(|k| k.kid.is_none()).collect();
                }
                if found.is_empty() {
                    return Err(fail(
                        "kid",
                        format!(
                            "kid {kid:?} is not in {} (it has: {})",
                            self.source.name(),
                            listed()
                        ),
                    ));
                }
                Ok(found)
            }
            None if keys.len() == 1 => Ok(vec![&keys[0]]),
            None => Err(fail(
                "kid",
                format!(
                    "the token has no kid and {} has {} keys ({}); mint it with --kid",
                    self.source.name(),
                    keys.len(),
                    listed()
                ),
            )),
        }
    }

    fn check_claims(&self, c: &Map<String, Value>) -> std::result::Result<(), Failure> {
        let p = &self.policy;
        let now = p.now;
        let leeway = i64::try_from(p.leeway).unwrap_or(i64::MAX);
        match numeric_date(c, "exp")? {
            None if !p.allow_no_exp => {
                return Err(fail(
                    "exp",
                    "no exp claim: tokens must expire (mint with --ttl; --allow-no-exp accepts it)",
                ))
            }
            Some(exp) if now >= exp.saturating_add(leeway) => {
                return Err(fail(
                    "exp",
                    format!(
                        "expired {} (exp {}, leeway {}s)",
                        clock::relative(exp, now),
                        utc(exp),
                        p.leeway
                    ),
                ));
            }
            _ => {}
        }
        if let Some(nbf) = numeric_date(c, "nbf")? {
            if nbf > now.saturating_add(leeway) {
                return Err(fail(
                    "nbf",
                    format!(
                        "not valid yet: nbf is {} ({}, leeway {}s)",
                        utc(nbf),
                        clock::relative(nbf, now),
                        p.leeway
                    ),
                ));
            }
        }
        if let Some(iat) = numeric_date(c, "iat")? {
            if iat > now.saturating_add(leeway) {
                return Err(fail(
                    "iat",
                    format!(
                        "iat is in the future: {} ({}, leeway {}s); the issuer's clock is ahead",
                        utc(iat),
                        clock::relative(iat, now),
                        p.leeway
                    ),
                ));
            }
        }
        if let Some(want) = &p.iss {
            match c.get("iss") {
                None => return Err(fail("iss", format!("no iss claim (expected {want:?})"))),
                Some(Value::String(got)) if got == want => {}
                Some(Value::String(got)) => {
                    let hint = if got.trim_end_matches('/') == want.trim_end_matches('/') {
                        " (a trailing slash is a mismatch)"
                    } else {
                        ""
                    };
                    return Err(fail(
                        "iss",
                        format!("iss is {got:?}, expected {want:?}{hint}"),
                    ));
                }
                Some(_) => return Err(fail("iss", "iss is not a string")),
            }
        }
        if !p.aud.is_empty() {
            let got: Vec<&str> = match c.get("aud") {
                None => {
                    return Err(fail(
                        "aud",
                        format!("no aud claim (expected {})", quoted_list(&p.aud)),
                    ))
                }
                Some(Value::String(s)) => vec![s.as_str()],
                Some(Value::Array(a)) if a.iter().all(Value::is_string) => {
                    a.iter().filter_map(Value::as_str).collect()
                }
                Some(_) => {
                    return Err(fail(
                        "aud",
                        "aud is neither a string nor an array of strings",
                    ))
                }
            };
            if !got.iter().any(|g| p.aud.iter().any(|w| w == g)) {
                let shown = if got.len() == 1 {
                    format!("{:?}", got[0])
                } else {
                    format!("{got:?}")
                };
                return Err(fail(
                    "aud",
                    format!("aud {shown} does not include {}", quoted_list(&p.aud)),
                ));
            }
        }
        if let Some(want) = &p.sub {
            match c.get("sub") {
                None => return Err(fail("sub", format!("no sub claim (expected {want:?})"))),
                Some(Value::String(got)) if got == want => {}
                Some(Value::String(got)) => {
                    return Err(fail("sub", format!("sub is {got:?}, expected {want:?}")))
                }
                Some(_) => return Err(fail("sub", "sub is not a string")),
            }
        }
        for r in &p.require {
            if !c.contains_key(r) {
                return Err(fail("require", format!("required claim {r:?} is missing")));
            }
        }
        Ok(())
    }
}

fn quoted_list(v: &[String]) -> String {
    let q: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
    if q.len() == 1 {
        q[0].clone()
    } else {
        format!("one of {}", q.join(", "))
    }
}

fn utc(t: i64) -> String {
    clock::format_utc(t).unwrap_or_else(|| t.to_string())
}

/// A NumericDate claim: seconds, possibly fractional (floored).
fn numeric_date(
    c: &Map<String, Value>,
    name: &'static str,
) -> std::result::Result<Option<i64>, Failure> {
    match c.get(name) {
        None => Ok(None),
        // Fractional values are floored; absurd ones are clamped to years
        // 0001..9999 so date arithmetic cannot overflow.
        Some(Value::Number(n)) => Ok(n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f.floor() as i64))
            .map(|t| t.clamp(MIN_TIME, MAX_TIME))),
        Some(_) => Err(fail(
            name,
            format!("{name} is not a number (NumericDate: unix seconds)"),
        )),
    }
}

fn check_alg(header: &Map<String, Value>, allowed: &[Alg]) -> std::result::Result<Alg, Failure> {
    let name = match header.get("alg") {
        None => return Err(fail("alg", "the header has no alg")),
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(fail("alg", "header alg is not a string")),
    };
    if name.eq_ignore_ascii_case("none") {
        return Err(fail(
            "alg",
            format!("alg {name:?} is refused: unsigned tokens are never accepted"),
        ));
    }
    if name.len() > 2 && name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("HS")) {
        return Err(fail(
            "alg",
            format!(
                "alg {name} is refused: HMAC tokens use a shared secret, and only RSA signatures are accepted (an RSA public key used as an HMAC secret is a known forgery)"
            ),
        ));
    }
    let allowed_list = || {
        allowed
            .iter()
            .map(|a| a.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match Alg::from_name(name) {
        None => Err(fail(
            "alg",
            format!(
                "alg {name:?} is not supported (RSA algorithms only: {})",
                Alg::ALL.map(Alg::name).join(", ")
            ),
        )),
        Some(a) if !allowed.contains(&a) => Err(fail(
            "alg",
            format!("alg {a} is not allowed (allowed: {})", allowed_list()),
        )),
        Some(a) => Ok(a),
    }
}

/// uvtool understands no JWS extensions, so any `crit` is refused (RFC 7515
/// §4.1.11: a recipient must reject extensions it does not understand).
fn check_crit(header: &Map<String, Value>) -> std::result::Result<(), Failure> {
    let Some(crit) = header.get("crit") else {
        return Ok(());
    };
    let Value::Array(items) = crit else {
        return Err(fail("crit", "header crit is not an array"));
    };
    if items.is_empty() {
        return Err(fail(
            "crit",
            "header crit is an empty array (RFC 7515 forbids it)",
        ));
    }
    let names: Vec<String> = items
        .iter()
        .map(|i| match i {
            Value::String(s) => format!("{s:?}"),
            other => other.to_string(),
        })
        .collect();
    Err(fail(
        "crit",
        format!(
            "header crit lists extension(s) {} that uvtool does not understand, so the token is refused",
            names.join(", ")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::{ClaimsSpec, ClaimsTemplate, Signer};

    fn a2() -> Value {
        serde_json::from_str(include_str!("../fixtures/vectors/rfc7515-a2-rs256.json")).unwrap()
    }

    fn a2_verifier(now: i64) -> Verifier<StaticKeys> {
        let v = a2();
        let mut s = StaticKeys::new();
        s.add_jwk_doc(v["jwk_public"].to_string().as_bytes(), "rfc7515")
            .unwrap();
        Verifier::new(
            s,
            Policy {
                now,
                ..Default::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn absurd_times_do_not_overflow() {
        let now = 2_000_000_000;
        let mut ver = a2_verifier(now);
        for (exp, code) in [(-1e30, Some("exp")), (1e30, None)] {
            let mut c = claims(now);
            c.insert("exp".into(), exp.into());
            c.insert("iat".into(), (-1e300).into());
            let v = ver.verify(&token(Signer::header(Alg::RS256, None, None), &c));
            assert_eq!(v.failure.as_ref().map(|f| f.code), code, "{v:?}");
        }
        let mut c = claims(now);
        c.insert("nbf".into(), i64::MAX.into());
        let f = ver
            .verify(&token(Signer::header(Alg::RS256, None, None), &c))
            .failure
            .unwrap();
        assert!(f.message.contains("9999-12-31T23:59:59Z"), "{f}");
    }

    #[test]
    fn signature_primitive() {
        let v = a2();
        let jws = v["compact_jws"].as_str().unwrap();
        let (msg, sig) = jws.rsplit_once('.').unwrap();
        let sig = crate::b64::url_decode(sig).unwrap();
        let key =
            crate::keys::load_public(v["public_key_spki_pem"].as_str().unwrap().as_bytes(), "a2")
                .unwrap();
        assert!(verify_signature(Alg::RS256, &key, msg.as_bytes(), &sig));
        assert!(!verify_signature(Alg::RS512, &key, msg.as_bytes(), &sig));
        assert!(!verify_signature(Alg::PS256, &key, msg.as_bytes(), &sig));
        assert!(!verify_signature(Alg::RS256, &key, b"other", &sig));
    }

    #[test]
    fn rfc7515_a2_valid_then_expired() {
        let jws = a2()["compact_jws"].as_str().unwrap().to_string();
        let mut ok = a2_verifier(1300819379);
        let v = ok.verify(&jws);
        assert!(v.is_valid(), "{:?}", v.failure);
        let v = a2_verifier(1300819380 + 61).verify(&jws);
        let f = v.failure.unwrap();
        assert_eq!(f.code, "exp");
        assert!(f.message.starts_with("expired 1m ago"), "{}", f.message);
    }

    fn token(header: Map<String, Value>, claims: &Map<String, Value>) -> String {
        let v = a2();
        let key = crate::keys::load_private(
            v["private_key_pkcs8_pem"].as_str().unwrap().as_bytes(),
            "a2",
        )
        .unwrap();
        let alg = header
            .get("alg")
            .and_then(Value::as_str)
            .and_then(Alg::from_name)
            .unwrap_or(Alg::RS256);
        Signer::new(key, alg, header).sign_claims(claims).unwrap()
    }

    fn claims(now: i64) -> Map<String, Value> {
        ClaimsTemplate::new(&ClaimsSpec {
            sub: Some("u".into()),
            iss: Some("https://me/".into()),
            ttl: Some(600),
            now,
            ..Default::default()
        })
        .unwrap()
        .claims()
        .clone()
    }

    #[test]
    fn checks_in_order() {
        let now = 2_000_000_000;
        let c = claims(now);
        let mut h = Signer::header(Alg::PS384, None, Some("JWT"));
        h.insert("jku".into(), "https://evil/".into());
        let t = token(h, &c);
        let mut ver = a2_verifier(now);
        let v = ver.verify(&t);
        assert!(v.is_valid(), "{:?}", v.failure);
        assert_eq!(v.alg, Some(Alg::PS384));
        assert!(v.notes[0].contains("\"jku\" ignored"), "{:?}", v.notes);

        // Non-ASCII alg names are refused, not a panic.
        for odd in ["é", "Hé256", "H\u{1F600}"] {
            let h = Signer::header(Alg::RS256, None, None);
            let mut t = token(h, &c);
            let hdr = crate::b64::url_encode(format!("{{\"alg\":{odd:?}}}").as_bytes());
            t = format!("{hdr}.{}", t.split_once('.').unwrap().1);
            assert_eq!(ver.verify(&t).failure.unwrap().code, "alg", "{odd}");
        }

        ver.policy.algs = vec![Alg::RS256];
        assert_eq!(ver.verify(&t).failure.unwrap().code, "alg");
        ver.policy.algs = Alg::ALL.to_vec();

        let mut h = Signer::header(Alg::RS256, Some("k"), None);
        h.insert("crit".into(), serde_json::json!(["b64"]));
        assert_eq!(ver.verify(&token(h, &c)).failure.unwrap().code, "crit");

        ver.policy.iss = Some("https://me".into());
        let f = ver
            .verify(&token(Signer::header(Alg::RS256, None, None), &c))
            .failure
            .unwrap();
        assert_eq!(f.code, "iss");
        assert!(f.message.contains("trailing slash"), "{f}");
    }

    /// A source that learns a key only on refresh, as a JWKS URL does after
    /// a rotation.
    struct Rotating {
        keys: StaticKeys,
        next: Option<PreparedKey>,
        refreshes: usize,
    }

    impl KeySource for Rotating {
        fn name(&self) -> &str {
            "rotating"
        }
        fn keys(&self) -> &[PreparedKey] {
            self.keys.keys()
        }
        fn refresh(&mut self) -> Result<bool> {
            self.refreshes += 1;
            match self.next.take() {
                Some(k) => {
                    self.keys.add_key(k);
                    Ok(true)
                }
                None => Ok(false),
            }
        }
    }

    #[test]
    fn unknown_kid_refreshes_the_source_once() {
        let now = 2_000_000_000;
        let v = a2();
        let public =
            crate::keys::load_public(v["public_key_spki_pem"].as_str().unwrap().as_bytes(), "a2")
                .unwrap();
        let mut old = StaticKeys::new();
        let other =
            crate::keys::load_public(include_bytes!("../fixtures/keys/b/public.pem"), "b").unwrap();
        old.add_key(PreparedKey::new(
            Some("old".into()),
            None,
            other,
            "rotating",
        ));
        let src = Rotating {
            keys: old,
            next: Some(PreparedKey::new(
                Some("new".into()),
                None,
                public,
                "rotating",
            )),
            refreshes: 0,
        };
        let mut ver = Verifier::new(
            Box::new(src) as Box<Rotating>,
            Policy {
                now,
                ..Default::default()
            },
        )
        .unwrap();
        let t = token(Signer::header(Alg::RS256, Some("new"), None), &claims(now));
        let verdict = ver.verify(&t);
        assert!(verdict.is_valid(), "{:?}", verdict.failure);
        assert_eq!(verdict.kid.as_deref(), Some("new"));
        assert_eq!(ver.source().refreshes, 1);
        // A kid that never appears: one refresh, then the precise failure.
        let t = token(Signer::header(Alg::RS256, Some("gone"), None), &claims(now));
        let f = ver.verify(&t).failure.unwrap();
        assert_eq!(f.code, "kid");
        assert_eq!(
            f.message,
            "kid \"gone\" is not in rotating (it has: \"old\", \"new\")"
        );
        assert_eq!(ver.source().refreshes, 2);
    }
}
