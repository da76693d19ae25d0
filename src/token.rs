//! JWTs: compact serialisation, decoding, claims building and signing.

use std::cell::RefCell;
use std::fmt;

use aws_lc_rs::signature::{self, RsaEncoding, RsaParameters};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::keys::RsaPrivate;
use crate::{b64, Error, Result};

/// Largest token uvtool reads, the one limit of a token whichever way it
/// arrives (argument, file, stdin, batch line, the `ui` page's API): a real
/// identity token is a few KiB, and HTTP servers commonly refuse header
/// lines over 8 to 16 KiB.
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// A compact JWS split and decoded, nothing verified.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    /// The JOSE header.
    pub header: Map<String, Value>,
    /// The claims (payload).
    pub claims: Map<String, Value>,
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`: what the signature covers.
    pub signing_input: &'a str,
    /// The decoded signature bytes.
    pub signature: Vec<u8>,
}

impl Decoded<'_> {
    /// The header's `alg`, if it is a string.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The header's `kid`, if it is a string.
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// The `sub` claim, if it is a string.
    pub fn sub(&self) -> Option<&str> {
        self.claims.get("sub").and_then(Value::as_str)
    }
}

/// Split and decode a compact JWS without verifying anything. The error says
/// which segment is wrong and how.
pub fn decode(token: &str) -> Result<Decoded<'_>, String> {
    // The limit counts the text as given (readers give it cleaned): text
    // over the limit is refused before any other look at it.
    if token.len() > MAX_TOKEN_LEN {
        return Err(over_limit());
    }
    let token = token.trim();
    if token.is_empty() {
        return Err("the token is empty".into());
    }
    if let Some(lines) = wrapped(token) {
        return Err(wrapped_message(lines));
    }
    let mut parts = token.splitn(4, '.');
    let (Some(h), Some(p), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(match token.split('.').count() {
            5 => "has 5 segments: this is a JWE (encrypted token), not a signed JWT".into(),
            // The end cut off (a copy short of its last `.`, a paste cut
            // at a line end): say so, as a short signature does.
            2 => "has 2 segment(s), expected 3 (header.payload.signature): the last one is missing; truncated? copy the whole token".into(),
            n => format!("has {n} segment(s), expected 3 (header.payload.signature)"),
        });
    };
    let header = json_segment(h, "header")?;
    let claims = json_segment(p, "payload")?;
    let signature = b64::url_decode(sig).map_err(|m| match truncated_signature(sig) {
        Some(t) => format!("signature segment {t} ({m})"),
        None => format!("signature segment {m}"),
    })?;
    // Everything before the last `.` (the third segment holds none).
    let signing_input = token.rsplit_once('.').map_or(token, |(si, _)| si);
    Ok(Decoded {
        header,
        claims,
        signing_input,
        signature,
    })
}

/// A token broken over lines (as a mail client, a terminal or `fold` wraps
/// it): its lines, joined, make a token that decodes. Returns how many
/// lines it spans.
fn wrapped(token: &str) -> Option<usize> {
    // Line ends are `\n` or `\r\n`; a lone `\r` is whitespace inside.
    if !token.contains('\n') {
        return None;
    }
    let lines: Vec<&str> = token
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let joined: String = lines.concat();
    (lines.len() > 1 && !joined.contains(char::is_whitespace) && decode(&joined).is_ok())
        .then_some(lines.len())
}

/// Why a token broken over `lines` lines is refused.
pub fn wrapped_message(lines: usize) -> String {
    format!("the token looks wrapped over {lines} lines: join the lines into one (a token is header.payload.signature on one line)")
}

/// The length of an RS*/PS* signature with a 2048-bit key, in base64url
/// characters: the shortest a whole signature from a key uvtool reads has.
pub const MIN_SIGNATURE_CHARS: usize = 342;

/// Words for a signature segment that fails to decode and is shorter than
/// a whole signature: the token was most likely cut while copied.
fn truncated_signature(sig: &str) -> Option<String> {
    let base64url = sig
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (base64url && sig.len() < MIN_SIGNATURE_CHARS).then(|| {
        format!(
            "looks truncated: {} characters, fewer than the {MIN_SIGNATURE_CHARS} of a signature with a 2048-bit key; copy the whole token",
            sig.len()
        )
    })
}

/// Why a token over [`MAX_TOKEN_LEN`] is refused (the same words on every path).
pub fn over_limit() -> String {
    format!(
        "the token is over the {} KiB limit of a token ({MAX_TOKEN_LEN} bytes)",
        MAX_TOKEN_LEN / 1024
    )
}

fn json_segment(seg: &str, name: &str) -> Result<Map<String, Value>, String> {
    if seg.is_empty() {
        return Err(format!("{name} segment is empty"));
    }
    // The decoded bytes only live until the JSON is read: one buffer a
    // thread serves every segment (a batch verify reads two a token).
    thread_local! {
        static BYTES: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    }
    BYTES.with_borrow_mut(|bytes| {
        bytes.clear();
        b64::url_decode_into(seg, bytes).map_err(|m| format!("{name} segment {m}"))?;
        let text =
            std::str::from_utf8(bytes).map_err(|_| format!("{name} segment is not UTF-8"))?;
        match serde_json::from_str::<Top>(text) {
            Ok(Top(Value::Object(m))) => Ok(m),
            Ok(_) => Err(format!("{name} segment is JSON but not an object")),
            Err(e) if e.is_data() => Err(format!("{name} segment: {e}")),
            Err(e) => Err(format!("{name} segment is not valid JSON ({e})")),
        }
    })
}

/// A segment's JSON value, read as [`Strict`]; only its own object (the
/// header or the claims) starts with room for a token's usual members.
struct Top(Value);

impl<'de> Deserialize<'de> for Top {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor { top: true }).map(Top)
    }
}

/// A JSON value whose objects must not repeat a member name. Parsers
/// disagree on which duplicate wins (first or last), so a token with
/// `{"sub":"a","sub":"b"}` can mean different users to different readers;
/// it is refused outright.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor { top: false }).map(Strict)
    }
}

struct StrictVisitor {
    /// The segment's own object, not one nested in it.
    top: bool,
}

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        // Room for a token's usual members in the header and the claims
        // (no regrowth from 0 to 4 to 8); nested objects start empty, or
        // each would cost that room, and a 64 KiB token can hold tens of
        // thousands of them.
        let mut out = if self.top {
            Map::with_capacity(8)
        } else {
            Map::new()
        };
        while let Some(k) = map.next_key::<String>()? {
            // The map itself tells whether the name was seen (no second set,
            // no copy of every name), with one hash of the name.
            match out.entry(k) {
                serde_json::map::Entry::Occupied(o) => {
                    return Err(de::Error::custom(format!(
                        "member {:?} appears twice (readers disagree on which one counts, so the token is refused)",
                        o.key()
                    )));
                }
                serde_json::map::Entry::Vacant(slot) => {
                    let Strict(v) = map.next_value()?;
                    slot.insert(v);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

/// The JWS algorithms uvtool signs and verifies with (RSA only): the one
/// algorithm type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Alg {
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
}

impl Alg {
    /// Every supported algorithm, in a fixed order (see [`Alg::index`]).
    pub const ALL: [Alg; 6] = [
        Alg::RS256,
        Alg::RS384,
        Alg::RS512,
        Alg::PS256,
        Alg::PS384,
        Alg::PS512,
    ];

    /// The JOSE name, e.g. `RS256`.
    pub fn name(self) -> &'static str {
        match self {
            Alg::RS256 => "RS256",
            Alg::RS384 => "RS384",
            Alg::RS512 => "RS512",
            Alg::PS256 => "PS256",
            Alg::PS384 => "PS384",
            Alg::PS512 => "PS512",
        }
    }

    /// Parse a JOSE name (exact, case-sensitive as RFC 7515 requires).
    pub fn from_name(s: &str) -> Option<Alg> {
        Alg::ALL.into_iter().find(|a| a.name() == s)
    }

    /// Position in [`Alg::ALL`], for per-algorithm caches.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The aws-lc-rs signing encoding (PSS uses a salt as long as the hash,
    /// as RFC 7518 §3.5 requires).
    pub fn encoding(self) -> &'static dyn RsaEncoding {
        match self {
            Alg::RS256 => &signature::RSA_PKCS1_SHA256,
            Alg::RS384 => &signature::RSA_PKCS1_SHA384,
            Alg::RS512 => &signature::RSA_PKCS1_SHA512,
            Alg::PS256 => &signature::RSA_PSS_SHA256,
            Alg::PS384 => &signature::RSA_PSS_SHA384,
            Alg::PS512 => &signature::RSA_PSS_SHA512,
        }
    }

    /// The aws-lc-rs verification parameters (2048 to 8192-bit keys).
    pub fn parameters(self) -> &'static RsaParameters {
        match self {
            Alg::RS256 => &signature::RSA_PKCS1_2048_8192_SHA256,
            Alg::RS384 => &signature::RSA_PKCS1_2048_8192_SHA384,
            Alg::RS512 => &signature::RSA_PKCS1_2048_8192_SHA512,
            Alg::PS256 => &signature::RSA_PSS_2048_8192_SHA256,
            Alg::PS384 => &signature::RSA_PSS_2048_8192_SHA384,
            Alg::PS512 => &signature::RSA_PSS_2048_8192_SHA512,
        }
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Sign `msg` with `key` using `alg`; returns the raw signature.
pub fn sign(key: &RsaPrivate, alg: Alg, msg: &[u8]) -> Result<Vec<u8>> {
    let kp = key.key_pair();
    let mut sig = vec![0u8; kp.public_modulus_len()];
    kp.sign(
        alg.encoding(),
        &aws_lc_rs::rand::SystemRandom::new(),
        msg,
        &mut sig,
    )
    .map_err(|_| Error::Crypto(format!("{alg} signing failed")))?;
    Ok(sig)
}

/// A signing key, its algorithm and its encoded header, prepared once and
/// used for any number of tokens. `Send + Sync`: batch minting may share
/// one signer between threads.
pub struct Signer {
    key: RsaPrivate,
    alg: Alg,
    header_b64: String,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("alg", &self.alg)
            .field("header_b64", &self.header_b64)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// Prepare a signer. `header` must not carry an `alg` other than `alg`
    /// (it is set here).
    pub fn new(key: RsaPrivate, alg: Alg, mut header: Map<String, Value>) -> Self {
        header.insert("alg".into(), alg.name().into());
        let json = serde_json::to_vec(&Value::Object(header)).unwrap_or_default();
        Signer {
            key,
            alg,
            header_b64: b64::url_encode(&json),
        }
    }

    /// A header in the usual order: `alg`, `kid` (when given), `typ` (when given).
    pub fn header(alg: Alg, kid: Option<&str>, typ: Option<&str>) -> Map<String, Value> {
        let mut h = Map::new();
        h.insert("alg".into(), alg.name().into());
        if let Some(k) = kid {
            h.insert("kid".into(), k.into());
        }
        if let Some(t) = typ {
            h.insert("typ".into(), t.into());
        }
        h
    }

    /// The algorithm.
    pub fn alg(&self) -> Alg {
        self.alg
    }

    /// The signing key.
    pub fn key(&self) -> &RsaPrivate {
        &self.key
    }

    /// Append the compact token for a JSON payload to `out`.
    pub fn sign_payload_into(&self, payload_json: &[u8], out: &mut String) -> Result<()> {
        let start = out.len();
        out.push_str(&self.header_b64);
        out.push('.');
        base64::Engine::encode_string(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            payload_json,
            out,
        );
        // The signature goes to a stack buffer: no allocation per token.
        // aws-lc signs with keys up to 8192 bits (1024 bytes).
        let kp = self.key.key_pair();
        let mut sig = [0u8; 1024];
        let sig = sig
            .get_mut(..kp.public_modulus_len())
            .ok_or_else(|| Error::Crypto(format!("{} key is too large", self.alg)))?;
        kp.sign(
            self.alg.encoding(),
            &aws_lc_rs::rand::SystemRandom::new(),
            &out.as_bytes()[start..],
            sig,
        )
        .map_err(|_| Error::Crypto(format!("{} signing failed", self.alg)))?;
        out.push('.');
        base64::Engine::encode_string(&base64::engine::general_purpose::URL_SAFE_NO_PAD, sig, out);
        Ok(())
    }

    /// The compact token for a claims object.
    pub fn sign_claims(&self, claims: &Map<String, Value>) -> Result<String> {
        let json = serde_json::to_vec(claims)
            .map_err(|e| Error::Crypto(format!("cannot encode the claims: {e}")))?;
        let mut out = String::with_capacity(self.header_b64.len() + json.len() * 4 / 3 + 400);
        self.sign_payload_into(&json, &mut out)?;
        Ok(out)
    }
}

/// How `jti` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Jti {
    /// No `jti`.
    #[default]
    None,
    /// A fixed value.
    Fixed(String),
    /// A fresh random value per token (128 bits, base64url).
    Auto,
}

/// What to put in the claims. Standard claims are placed first in the
/// order `iss`, `sub`, `aud`, `iat`, `nbf`, `exp`, `jti`; `extra` (from
/// `--claims` and `--claim`) follows. A claim given both by its own field
/// and in `extra` is an error, so no value is silently dropped; `extra`
/// may replace the defaults (`iat` = `now`, `exp` = `iat` + `ttl`).
#[derive(Debug, Clone, Default)]
pub struct ClaimsSpec {
    pub iss: Option<String>,
    pub sub: Option<String>,
    /// One value gives a string, several an array.
    pub aud: Vec<String>,
    /// Issued-at; defaults to `now`.
    pub iat: Option<i64>,
    pub nbf: Option<i64>,
    /// Absolute expiry; wins over `ttl`.
    pub exp: Option<i64>,
    /// Lifetime from `iat`, seconds.
    pub ttl: Option<u64>,
    pub jti: Jti,
    /// The clock.
    pub now: i64,
    /// Further claims, in order.
    pub extra: Map<String, Value>,
    /// Accept `exp` at or before `iat` (an expired token made on purpose,
    /// for test fixtures).
    pub allow_expired: bool,
}

/// A claims object ready for per-token values: build once with
/// [`ClaimsTemplate::new`], then [`ClaimsTemplate::payload`] per `sub`.
/// Cloneable so worker threads can each own one.
#[derive(Debug, Clone)]
pub struct ClaimsTemplate {
    claims: Map<String, Value>,
    jti_auto: bool,
    /// Where `sub` goes when a payload adds it (right after a flag-given
    /// `iss`), so a batch token has the same member order as a single one.
    sub_at: usize,
}

impl ClaimsTemplate {
    /// Build the claims from a spec. Errors are usage errors naming the claim.
    pub fn new(spec: &ClaimsSpec) -> Result<Self> {
        let mut c = Map::new();
        let iat = spec.iat.unwrap_or(spec.now);
        let exp = match (spec.exp, spec.ttl) {
            (Some(e), _) => Some(e),
            (None, Some(t)) => Some(
                iat.checked_add(i64::try_from(t).unwrap_or(i64::MAX))
                    .ok_or(crate::ErrorKind::TtlTooLong)?,
            ),
            (None, None) => None,
        };
        if let Some(v) = &spec.iss {
            c.insert("iss".into(), v.clone().into());
        }
        if let Some(v) = &spec.sub {
            c.insert("sub".into(), v.clone().into());
        }
        match spec.aud.len() {
            0 => {}
            1 => {
                c.insert("aud".into(), spec.aud[0].clone().into());
            }
            _ => {
                c.insert(
                    "aud".into(),
                    Value::Array(spec.aud.iter().cloned().map(Value::String).collect()),
                );
            }
        }
        c.insert("iat".into(), iat.into());
        if let Some(v) = spec.nbf {
            c.insert("nbf".into(), v.into());
        }
        if let Some(v) = exp {
            if v <= iat && !spec.allow_expired {
                return Err(crate::ErrorKind::BornExpired { exp: v, iat }.into());
            }
            c.insert("exp".into(), v.into());
        }
        match &spec.jti {
            Jti::None => {}
            Jti::Fixed(v) => {
                c.insert("jti".into(), v.clone().into());
            }
            Jti::Auto => {
                c.insert("jti".into(), random_jti()?.into());
            }
        }
        for (k, v) in &spec.extra {
            let by_flag = match k.as_str() {
                "iss" => spec.iss.is_some(),
                "sub" => spec.sub.is_some(),
                "aud" => !spec.aud.is_empty(),
                "iat" => spec.iat.is_some(),
                "nbf" => spec.nbf.is_some(),
                "exp" => spec.exp.is_some(),
                "jti" => spec.jti != Jti::None,
                _ => false,
            };
            if by_flag {
                return Err(crate::ErrorKind::ClaimTwice(k.clone()).into());
            }
            // Replaces a default (iat = now, exp = iat + ttl) in place.
            c.insert(k.clone(), v.clone());
        }
        Ok(ClaimsTemplate {
            claims: c,
            jti_auto: spec.jti == Jti::Auto,
            sub_at: usize::from(spec.iss.is_some()),
        })
    }

    /// The claims as built (with the `sub` and `jti` of the last payload).
    pub fn claims(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// Serialise the claims for one token into `buf` (cleared first): `sub`
    /// replaced when given, a fresh `jti` when it is automatic.
    pub fn payload(&mut self, sub: Option<&str>, buf: &mut Vec<u8>) -> Result<()> {
        if let Some(s) = sub {
            match self.claims.get_mut("sub") {
                Some(Value::String(v)) => {
                    v.clear();
                    v.push_str(s);
                }
                Some(v) => *v = s.into(),
                None => {
                    // In the place a single mint puts it: iss, sub, aud, iat, ...
                    self.claims
                        .shift_insert(self.sub_at, "sub".into(), s.into());
                }
            }
        }
        if self.jti_auto {
            self.claims.insert("jti".into(), random_jti()?.into());
        }
        buf.clear();
        serde_json::to_writer(&mut *buf, &self.claims)
            .map_err(|e| Error::Crypto(format!("cannot encode the claims: {e}")))
    }
}

/// 128 random bits, base64url.
pub fn random_jti() -> Result<String> {
    let mut b = [0u8; 16];
    aws_lc_rs::rand::fill(&mut b)
        .map_err(|_| Error::Crypto("random number generator failed".into()))?;
    Ok(b64::url_encode(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_types_can_cross_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Signer>();
        send_sync::<ClaimsTemplate>();
    }

    #[test]
    fn decoded_accessors_and_the_size_limit() {
        let enc = |v: &str| b64::url_encode(v.as_bytes());
        let t = format!(
            "{}.{}.{}",
            enc(r#"{"alg":"RS256","kid":"k1","n":null,"s":"\u00e9"}"#),
            enc(r#"{"sub":"alice"}"#),
            enc("sig")
        );
        let d = decode(&t).unwrap();
        assert_eq!(
            (d.alg(), d.kid(), d.sub()),
            (Some("RS256"), Some("k1"), Some("alice"))
        );
        // null and escaped strings are read as themselves.
        assert_eq!(d.header["n"], Value::Null);
        assert_eq!(d.header["s"], "é");
        let t = format!("{}.{}.{}", enc(r#"{"alg":1}"#), enc("{}"), enc("s"));
        let d = decode(&t).unwrap();
        assert_eq!((d.alg(), d.kid(), d.sub()), (None, None, None));
        // Exactly at the limit is read; one byte over is refused.
        let head = format!("{}.", enc(r#"{"alg":"RS256"}"#));
        let sig = ".c2ln";
        let pad = MAX_TOKEN_LEN - head.len() - sig.len();
        let claims = format!("{{\"x\":\"{}\"}}", "a".repeat(pad));
        // Find a claims text whose encoding fills the token exactly.
        let mut body = enc(&claims);
        body.truncate(pad);
        while b64::url_decode(&body).is_err() || body.len() < pad {
            body.push('A');
        }
        body.truncate(pad);
        let at_limit = format!("{head}{body}{sig}");
        assert_eq!(at_limit.len(), MAX_TOKEN_LEN);
        assert!(!decode(&at_limit)
            .err()
            .unwrap_or_default()
            .contains("limit"));
        let over = format!("{head}{body}A{sig}");
        assert_eq!(
            decode(&over).err().unwrap(),
            "the token is over the 64 KiB limit of a token (65536 bytes)"
        );
        // A JSON data error (a repeated member) and a syntax error read differently.
        let dup = format!("{}.{}.{}", enc(r#"{"a":1,"a":2}"#), enc("{}"), enc("s"));
        let e = decode(&dup).unwrap_err();
        assert!(e.starts_with("header segment: "), "{e}");
        let bad = format!("{}.{}.{}", enc("{"), enc("{}"), enc("s"));
        let e = decode(&bad).unwrap_err();
        assert!(e.starts_with("header segment is not valid JSON ("), "{e}");
    }

    #[test]
    fn decode_errors_name_the_segment() {
        assert!(decode("a.b").unwrap_err().contains("2 segment"));
        assert!(decode("a.b.c.d.e").unwrap_err().contains("JWE"));
        assert!(decode(".e30.")
            .unwrap_err()
            .contains("header segment is empty"));
        assert!(decode("e30.W10.")
            .unwrap_err()
            .contains("payload segment is JSON but not an object"));
        assert!(decode("e30=.e30.")
            .unwrap_err()
            .contains("header segment has '=' padding"));
        let d = decode("e30.e30.").unwrap();
        assert!(d.header.is_empty() && d.claims.is_empty() && d.signature.is_empty());
        assert_eq!(d.signing_input, "e30.e30");
    }

    fn rfc7515_a2() -> Value {
        serde_json::from_str(include_str!("../fixtures/vectors/rfc7515-a2-rs256.json")).unwrap()
    }

    #[test]
    fn rfc7515_a2_signature_reproduced_byte_for_byte() {
        let v = rfc7515_a2();
        let pem = v["private_key_pkcs8_pem"].as_str().unwrap();
        let key = crate::keys::load_private(pem.as_bytes(), "rfc7515").unwrap();
        let jws = v["compact_jws"].as_str().unwrap();
        let (input, sig) = jws.rsplit_once('.').unwrap();
        // The signing input is exactly the RFC's header and payload.
        let d = decode(jws).unwrap();
        assert_eq!(d.signing_input, input);
        assert_eq!(
            b64::url_decode(input.split('.').nth(1).unwrap()).unwrap(),
            v["payload_json"].as_str().unwrap().as_bytes()
        );
        let ours = sign(&key, Alg::RS256, input.as_bytes()).unwrap();
        assert_eq!(b64::url_encode(&ours), sig);
        // And through the signer, from the RFC's own header and payload
        // bytes (the RFC's private JWK is this key: jwk.rs tests it).
        let signer = Signer {
            header_b64: b64::url_encode(v["protected_header_json"].as_str().unwrap().as_bytes()),
            key,
            alg: Alg::RS256,
        };
        let mut out = String::new();
        signer
            .sign_payload_into(v["payload_json"].as_str().unwrap().as_bytes(), &mut out)
            .unwrap();
        assert_eq!(out, jws);
    }

    #[test]
    fn duplicate_members_refused() {
        let h = b64::url_encode(br#"{"alg":"RS256","alg":"none"}"#);
        let e = decode(&format!("{h}.e30.")).unwrap_err();
        assert!(
            e.contains("header segment") && e.contains("\"alg\" appears twice"),
            "{e}"
        );
        let p = b64::url_encode(br#"{"a":{"sub":1,"sub":2}}"#);
        let e = decode(&format!("e30.{p}.")).unwrap_err();
        assert!(
            e.contains("payload segment") && e.contains("\"sub\" appears twice"),
            "{e}"
        );
        let p = b64::url_encode(br#"{"n":[1,2.5,null,true,{"x":"y"}]}"#);
        let t = format!("e30.{p}.");
        let d = decode(&t).unwrap();
        assert_eq!(
            d.claims["n"],
            serde_json::json!([1, 2.5, null, true, {"x": "y"}])
        );
    }

    #[test]
    fn alg_names() {
        for a in Alg::ALL {
            assert_eq!(Alg::from_name(a.name()), Some(a));
            assert_eq!(Alg::ALL[a.index()], a);
        }
        assert_eq!(Alg::from_name("rs256"), None);
        assert_eq!(Alg::from_name("none"), None);
    }

    #[test]
    fn batch_payload_has_the_single_mint_order() {
        for (iss, jti) in [
            (Some("me"), Jti::None),
            (None, Jti::None),
            (Some("me"), Jti::Fixed("j".into())),
            (None, Jti::Fixed("j".into())),
        ] {
            let spec = |sub: Option<&str>| ClaimsSpec {
                iss: iss.map(str::to_string),
                sub: sub.map(str::to_string),
                aud: vec!["a".into()],
                nbf: Some(900),
                ttl: Some(60),
                now: 1000,
                jti: jti.clone(),
                ..Default::default()
            };
            let (mut single, mut batch) = (Vec::new(), Vec::new());
            ClaimsTemplate::new(&spec(Some("u1")))
                .unwrap()
                .payload(None, &mut single)
                .unwrap();
            let mut t = ClaimsTemplate::new(&spec(None)).unwrap();
            t.payload(Some("u1"), &mut batch).unwrap();
            assert_eq!(
                String::from_utf8(batch.clone()).unwrap(),
                String::from_utf8(single.clone()).unwrap()
            );
            t.payload(Some("u1"), &mut batch).unwrap();
            assert_eq!(batch, single, "the second line too");
        }
    }

    #[test]
    fn claims_template() {
        let mut extra = Map::new();
        extra.insert("role".into(), "admin".into());
        extra.insert("exp".into(), 5000.into());
        let spec = ClaimsSpec {
            iss: Some("me".into()),
            sub: Some("u1".into()),
            aud: vec!["a".into(), "b".into()],
            ttl: Some(3600),
            now: 1000,
            jti: Jti::Auto,
            extra,
            ..Default::default()
        };
        let mut t = ClaimsTemplate::new(&spec).unwrap();
        let mut buf = Vec::new();
        t.payload(Some("u2"), &mut buf).unwrap();
        let v: Value = serde_json::from_slice(&buf).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["iss", "sub", "aud", "iat", "exp", "jti", "role"]);
        assert_eq!(v["sub"], "u2");
        assert_eq!(v["aud"], serde_json::json!(["a", "b"]));
        assert_eq!(v["iat"], 1000);
        assert_eq!(v["exp"], 5000, "--claim exp replaces the ttl default");
        let jti1 = v["jti"].as_str().unwrap().to_string();
        t.payload(Some("u3"), &mut buf).unwrap();
        let v: Value = serde_json::from_slice(&buf).unwrap();
        assert_ne!(v["jti"].as_str().unwrap(), jti1);
        assert_eq!(jti1.len(), 22);

        let mut extra = Map::new();
        extra.insert("sub".into(), "x".into());
        let e = ClaimsTemplate::new(&ClaimsSpec {
            sub: Some("y".into()),
            extra,
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("given twice"), "{e}");
        let e = ClaimsTemplate::new(&ClaimsSpec {
            now: 100,
            exp: Some(50),
            ..Default::default()
        })
        .unwrap_err();
        assert!(e.to_string().contains("born expired"), "{e}");
    }
}
