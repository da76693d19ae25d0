//! One token, inspected for the debugger page (`uvtool ui`): the verdicts
//! under the platform and RFC profiles, every finding, the times, the
//! platform key, a timeline and the key set — all in one JSON value built by
//! [`inspect`], so the page never re-implements a rule.
//!
//! Both verdicts are the one judge's ([`policy::evaluate`], as `verify`
//! and `check` use it), and each is shaped as `verify --json` prints it
//! ([`verdict_json`]).

use serde_json::{json, Map, Value};

use crate::policy::{self, Finding, Key, Level, Profile, Verdict};
use crate::read::{self, Input, KeyDoc};
use crate::token::Alg;
use crate::verify::{cert_key, file_key, KeySource, StaticKeys};
use crate::{clock, jwk, keys, platform, Error, Result};

/// What a key file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A JWK or a JWKS.
    Jwks,
    /// A certificate (its key carries no kid and is tried for any kid).
    Cert,
    /// A public or private key (likewise without a kid).
    Key,
}

/// A key file's bytes, its name for messages and what it holds.
#[derive(Debug, Clone)]
pub struct KeyFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub kind: KeyKind,
}

/// The keys tokens are inspected against, read once: as `verify` reads them
/// (each with its key rules' findings), and as documents for the key table
/// (certificate windows).
#[derive(Debug, Default)]
pub struct Keyring {
    keys: StaticKeys,
    docs: Vec<KeyDoc>,
}

impl Keyring {
    /// No keys: tokens are decoded and judged, their signatures not checked.
    pub fn empty() -> Keyring {
        Keyring::default()
    }

    /// Read the key files as `verify` does (refusing real private members
    /// and duplicate kids); key rules are held at `settings`' clock.
    pub fn load(files: &[KeyFile], settings: &Settings) -> Result<Keyring> {
        let s = settings.policy(Profile::Platform, clock::now());
        let mut ring = Keyring::default();
        for f in files {
            match f.kind {
                KeyKind::Jwks => {
                    ring.keys.add_jwk_doc(&f.bytes, &f.name, &s)?;
                }
                KeyKind::Cert => ring.keys.add_key(cert_key(&f.bytes, &f.name, &s)?)?,
                KeyKind::Key => ring.keys.add_key(file_key(&f.bytes, &f.name, &s)?)?,
            }
            let doc = match (f.kind, read::classify(&f.bytes, &f.name)) {
                (_, Ok(Input::Keys(doc))) => doc,
                // A certificate file: its DER, as the verifier read it.
                (KeyKind::Cert, _) => {
                    let c = crate::cert::load_certificate(&f.bytes, &f.name)?;
                    match read::classify(&c.der, &f.name)? {
                        Input::Keys(doc) => doc,
                        _ => return Err(Error::input(&f.name, "does not hold keys")),
                    }
                }
                (_, Err(e)) => return Err(e),
                (_, Ok(_)) => return Err(Error::input(&f.name, "does not hold keys")),
            };
            ring.docs.push(doc);
        }
        Ok(ring)
    }

    /// How many verification keys there are.
    pub fn len(&self) -> usize {
        self.keys.keys().len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        // No key source was given (a given set with no usable key is not
        // empty: its tokens are judged against it, and fail).
        self.docs.is_empty()
    }

    /// Where the keys came from (file names or a URL).
    pub fn name(&self) -> &str {
        self.keys.name()
    }

    /// The verification key read from this view of a document.
    fn key_of(&self, doc: &KeyDoc, view: &read::KeyView) -> Option<&Key> {
        let origin = origin(doc, view);
        self.keys.keys().iter().find(|k| k.origin == origin)
    }
}

/// How `verify` names a key read from a document (`jwks.json: keys[1]`).
fn origin(doc: &KeyDoc, view: &read::KeyView) -> String {
    if view.path.is_empty() {
        doc.file.clone()
    } else {
        format!("{}: {}", doc.file, view.path)
    }
}

/// What the tokens are judged against besides the keys.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The issuer registered with the keyset (T4).
    pub iss: Option<String>,
    /// The user verification configuration's name, for the platform key.
    pub auth_id: Option<String>,
    /// Clock-skew allowance, seconds.
    pub leeway: u64,
    /// A fixed clock (unix seconds); `None` is the real one.
    pub now: Option<i64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            iss: None,
            auth_id: None,
            leeway: policy::DEFAULT_LEEWAY,
            now: None,
        }
    }
}

impl Settings {
    /// The policy settings for a profile at a time (`now` when not fixed).
    fn policy(&self, profile: Profile, now: i64) -> policy::Settings {
        policy::Settings {
            profile,
            leeway: self.leeway,
            iss: self.iss.clone(),
            now: self.now.unwrap_or(now),
            ..policy::Settings::default()
        }
    }
}

/// Everything the page shows for one token. See the module docs.
pub fn inspect(token: &str, keys: &Keyring, settings: &Settings) -> Value {
    let now = settings.now.unwrap_or_else(clock::now);
    let token = read::clean_token(token);
    let key_list = (!keys.is_empty()).then(|| keys.keys.keys());
    let judge = |profile| {
        policy::evaluate(
            token,
            "token",
            key_list,
            keys.name(),
            &settings.policy(profile, now),
        )
    };
    let platform_v = judge(Profile::Platform);
    let rfc_v = judge(Profile::Rfc);
    let auth_id = settings.auth_id.as_deref();
    let decode_error = crate::token::decode(token)
        .err()
        .map(|m| format!("malformed token: {m}"));

    // Every finding: the platform verdict's (token rules, and the key rules
    // of the key it selects), then the other keys' key rules.
    let mut findings: Vec<&Finding> = platform_v.findings.iter().collect();
    for k in keys.keys.keys() {
        for f in &k.findings {
            let seen = findings
                .iter()
                .any(|g| g.rule == f.rule && g.path == f.path && g.message == f.message);
            if !seen {
                findings.push(f);
            }
        }
    }

    let selected = select_key(keys, &platform_v);
    let mut notes = platform_v.notes.clone();
    if keys.is_empty() {
        notes.push("no keys were given: the kid, the key and the signature are not checked".into());
    }
    json!({
        "now": now,
        "now_utc": clock::format_utc(now),
        "leeway": settings.leeway,
        "decode_error": decode_error,
        "header": platform_v.header,
        "claims": platform_v.claims,
        "times": times_json(platform_v.claims.as_ref(), now),
        "verdicts": {
            "platform": page_verdict(&platform_v, keys, auth_id),
            "rfc": page_verdict(&rfc_v, keys, auth_id),
        },
        "findings": findings,
        "notes": notes,
        "platform_key": platform_key_json(platform_v.claims.as_ref(), settings, platform_v.is_valid()),
        "keys": keys_json(keys, &platform_v, selected, now),
        "key_source": if keys.is_empty() { Value::Null } else { keys.name().into() },
        "timeline": timeline_json(platform_v.claims.as_ref(), now, settings.leeway, keys, selected),
    })
}

/// A verdict for the page: `verify --json`'s shape; without keys, a
/// verdict the signature would decide says `valid: null`, code `no_keys`.
fn page_verdict(v: &Verdict, keys: &Keyring, auth_id: Option<&str>) -> Value {
    let mut j = verdict_json(v, auth_id);
    if keys.is_empty() && v.is_valid() {
        j["valid"] = Value::Null;
        j["code"] = "no_keys".into();
        j["reason"] = "no keys were given, so the signature and kid cannot be checked".into();
    }
    j
}

/// A verdict as `verify --json` prints it (one token, no `line`).
pub fn verdict_json(v: &Verdict, auth_id: Option<&str>) -> Value {
    let mut o = Map::new();
    o.insert("valid".into(), v.is_valid().into());
    o.insert("profile".into(), v.profile.as_str().into());
    let f = v.failure();
    o.insert("reason".into(), f.map(|f| f.message.clone()).into());
    o.insert(
        "code".into(),
        f.and_then(|f| f.code).map(|c| c.as_str()).into(),
    );
    o.insert("rule".into(), f.map(|f| f.rule).into());
    o.insert("fix".into(), f.and_then(|f| f.fix.clone()).into());
    o.insert("alg".into(), v.alg.map(Alg::name).into());
    o.insert("kid".into(), v.kid.clone().into());
    o.insert(
        "header".into(),
        v.header.clone().map(Value::Object).unwrap_or(Value::Null),
    );
    o.insert(
        "claims".into(),
        v.claims.clone().map(Value::Object).unwrap_or(Value::Null),
    );
    if let Some(config) = auth_id {
        let key = v
            .sub()
            .filter(|_| v.is_valid())
            .map(|sub| platform::platform_key(config, sub));
        o.insert("platform_key".into(), key.into());
        o.insert("platform_key_note".into(), platform::HEDGE.into());
    }
    let warnings: Vec<Value> = v
        .warnings()
        .map(|w| {
            json!({
                "rule": w.rule,
                "level": w.level.as_str(),
                "message": w.message,
                "fix": w.fix,
            })
        })
        .collect();
    o.insert("warnings".into(), warnings.into());
    if !v.notes.is_empty() {
        o.insert("notes".into(), v.notes.clone().into());
    }
    Value::Object(o)
}

/// A key: which document, which key in it.
type KeyRef = (usize, usize);

/// The key the token was (or would be) checked with: the one whose
/// signature verified, else the one its kid names, else the only key.
fn select_key(keys: &Keyring, v: &Verdict) -> Option<KeyRef> {
    let all: Vec<KeyRef> = keys
        .docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| (0..doc.keys.len()).map(move |k| (d, k)))
        .collect();
    let origin_of = |(d, k): KeyRef| origin(&keys.docs[d], &keys.docs[d].keys[k]);
    if let Some(o) = &v.key_origin {
        if let Some(r) = all.iter().copied().find(|&r| origin_of(r) == *o) {
            return Some(r);
        }
    }
    let named = v
        .header
        .as_ref()
        .and_then(|h| h.get("kid"))
        .and_then(Value::as_str);
    if let Some(kid) = named {
        if let Some(r) = all
            .iter()
            .copied()
            .find(|&(d, k)| kid_of(&keys.docs[d], k) == Some(kid))
        {
            return Some(r);
        }
    }
    (all.len() == 1).then(|| all[0])
}

fn kid_of(doc: &KeyDoc, k: usize) -> Option<&str> {
    doc.keys[k]
        .jwk
        .as_ref()
        .and_then(|o| o.get("kid"))
        .and_then(Value::as_str)
}

/// A NumericDate claim as seconds, when it is one.
fn seconds(claims: Option<&Map<String, Value>>, name: &str) -> Option<i64> {
    policy::tokens::numeric_date(claims?.get(name)?).ok()
}

/// `iat`, `nbf`, `exp` (and `auth_time`) as UTC dates and relative phrases.
fn times_json(claims: Option<&Map<String, Value>>, now: i64) -> Value {
    let mut o = Map::new();
    for (name, past, future) in [
        ("iat", "issued", "issued"),
        ("nbf", "valid since", "not valid until"),
        ("exp", "expired", "expires"),
        ("auth_time", "authenticated", "authenticated"),
    ] {
        let Some(t) = seconds(claims, name) else {
            continue;
        };
        let Some(utc) = clock::format_utc(t) else {
            continue;
        };
        let rel = clock::relative(t, now);
        let text = if t <= now {
            format!("{past} {rel}")
        } else if name == "nbf" {
            format!("{future} {utc} ({rel})")
        } else {
            format!("{future} {rel}")
        };
        o.insert(
            name.into(),
            json!({"value": t, "utc": utc, "relative": rel, "text": text}),
        );
    }
    Value::Object(o)
}

/// What the timeline picture needs: the token's times, now, the leeway and
/// the selected key's certificate window.
fn timeline_json(
    claims: Option<&Map<String, Value>>,
    now: i64,
    leeway: u64,
    keys: &Keyring,
    selected: Option<KeyRef>,
) -> Value {
    let cert = selected.and_then(|(d, k)| {
        let doc = &keys.docs[d];
        let facts = doc.keys[k].cert.as_ref()?.parsed.as_ref().ok()?;
        let label = match kid_of(doc, k) {
            Some(kid) => format!("certificate of key {kid:?}"),
            None => format!("certificate in {}", doc.file),
        };
        Some(json!({
            "not_before": facts.not_before,
            "not_after": facts.not_after,
            "label": label,
        }))
    });
    json!({
        "now": now,
        "leeway": leeway,
        "iat": seconds(claims, "iat"),
        "nbf": seconds(claims, "nbf"),
        "exp": seconds(claims, "exp"),
        "cert": cert,
    })
}

/// The platform key this token's `sub` gives.
fn platform_key_json(
    claims: Option<&Map<String, Value>>,
    settings: &Settings,
    valid: bool,
) -> Value {
    let sub = claims.and_then(|c| c.get("sub")).and_then(Value::as_str);
    let Some(sub) = sub.filter(|s| !s.is_empty()) else {
        return json!({
            "key": null,
            "auth_id": settings.auth_id,
            "note": "the token has no usable sub (T3), so there is no platform key",
        });
    };
    let name = settings.auth_id.as_deref().unwrap_or("{auth_id_info}");
    let mut notes = vec![platform::HEDGE.to_string()];
    if settings.auth_id.is_none() {
        notes.push(
            "{auth_id_info} is the configuration name; what fills it is not documented (field: the User Verification Configuration's name)".to_string(),
        );
    }
    if let Some(p) = platform::sub_problem(sub) {
        notes.push(format!(
            "sub {p}; the platform key may be ambiguous (T8, an assumption)"
        ));
    }
    if !valid {
        notes.push("the platform would treat this visitor as unverified: v2/iamessage/UNAUTH/NA/uid:<random> (field)".to_string());
    }
    json!({
        "key": platform::platform_key(name, sub),
        "auth_id": settings.auth_id,
        "sub": sub,
        "note": notes.join("; "),
    })
}

/// Like [`clock::relative`], in whole years beyond two years.
fn coarse_relative(t: i64, now: i64) -> String {
    const YEAR: u64 = 365 * 86400;
    let years = t.abs_diff(now) / YEAR;
    match years {
        0 | 1 => clock::relative(t, now),
        y if t >= now => format!("in {y} years"),
        y => format!("{y} years ago"),
    }
}

/// Each key: kid, alg, size, thumbprint, certificate window, and whether
/// the token names it or its signature verified with it.
fn keys_json(keys: &Keyring, v: &Verdict, selected: Option<KeyRef>, now: i64) -> Value {
    let named = v
        .header
        .as_ref()
        .and_then(|h| h.get("kid"))
        .and_then(Value::as_str);
    let mut out = Vec::new();
    for (d, doc) in keys.docs.iter().enumerate() {
        for (k, view) in doc.keys.iter().enumerate() {
            let member = |m: &str| {
                view.jwk
                    .as_ref()
                    .and_then(|o| o.get(m))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            let kid = member("kid");
            let cert = view.cert.as_ref().map(|c| match &c.parsed {
                Ok(f) => json!({
                    "not_before": f.not_before,
                    "not_after": f.not_after,
                    "not_before_utc": clock::format_utc(f.not_before),
                    "not_after_utc": clock::format_utc(f.not_after),
                    "expires": if f.not_after < now {
                        format!("expired {}", coarse_relative(f.not_after, now))
                    } else {
                        format!("expires {}", coarse_relative(f.not_after, now))
                    },
                }),
                Err(read::CertProblem::Encoding(m) | read::CertProblem::NotCertificate(m)) => {
                    json!({ "problem": m })
                }
            });
            let key = keys.key_of(doc, view);
            let errors = key.map_or(0, |k| {
                k.findings
                    .iter()
                    .filter(|f| f.level == Level::Error)
                    .count()
            });
            out.push(json!({
                "source": doc.file,
                "path": view.path,
                "kid": kid,
                "kty": view.kty,
                "alg": member("alg"),
                "use": member("use"),
                "bits": view.public.as_ref().map(keys::RsaPublic::bits),
                "thumbprint": view.public.as_ref().map(jwk::thumbprint),
                "cert": cert,
                "errors": errors,
                "named": named.is_some() && kid.as_deref() == named,
                "selected": selected == Some((d, k)),
                // The verifier names a key's origin once its signature verified.
                "verified": v.key_origin.as_deref() == Some(origin(doc, view).as_str()),
            }));
        }
    }
    Value::Array(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_keys_decodes_and_says_so() {
        let t = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";
        let v = inspect(t, &Keyring::empty(), &Settings::default());
        assert_eq!(v["claims"]["sub"], "u");
        let bad = inspect("nope", &Keyring::empty(), &Settings::default());
        assert_eq!(bad["verdicts"]["platform"]["code"], "malformed");
        assert_eq!(bad["verdicts"]["platform"]["valid"], false);
    }

    #[test]
    fn years() {
        assert_eq!(coarse_relative(10 * 365 * 86400, 0), "in 10 years");
        assert_eq!(coarse_relative(60, 0), "in 1m");
    }
}
