//! One token, inspected for the debugger page (`uvtool ui`): the verdicts
//! under the platform and RFC profiles, every finding, the times, the
//! platform key, a timeline and the key set — all in one JSON value built by
//! [`inspect`], so the page never re-implements a rule.
//!
//! Both verdicts are the one judge's ([`policy::evaluate`], as `verify`
//! and `check` use it), and each is shaped as `verify --json` prints it
//! ([`verdict_json`], beside the verdict in [`crate::verify::json`]).

use std::sync::{RwLock, RwLockReadGuard};

use serde_json::{json, Map, Value};

use crate::policy::{self, Finding, Key, Level, Profile, Verdict};
use crate::read::{self, CertProblem};
use crate::verify::json::verdict_json;
use crate::verify::{self, KeyInputs, KeySource, Keys, StaticKeys};
use crate::{clock, jwk, keys, platform, Result};

/// The keys tokens are inspected against, read once, as `verify` reads them
/// ([`verify::load_keys`]): each key with its key rules' findings and what
/// the key table shows (certificate windows). A JWKS URL is refreshed after
/// a token names a kid it does not have, as `verify` refreshes it.
#[derive(Debug)]
pub struct Keyring {
    keys: RwLock<Keys>,
}

impl Default for Keyring {
    fn default() -> Self {
        Keyring::new(Keys::Files(StaticKeys::new()))
    }
}

impl Keyring {
    /// No keys: tokens are decoded and judged, their signatures not checked.
    pub fn empty() -> Keyring {
        Keyring::default()
    }

    /// Keys loaded already.
    pub fn new(keys: Keys) -> Keyring {
        Keyring {
            keys: RwLock::new(keys),
        }
    }

    /// Load the key inputs as `verify` does; key rules are held at
    /// `settings`' clock.
    pub fn load(inputs: KeyInputs, settings: &Settings) -> Result<Keyring> {
        let s = settings.policy(Profile::Platform, clock::now());
        Ok(Keyring::new(verify::load_keys(inputs, &s)?))
    }

    fn read(&self) -> RwLockReadGuard<'_, Keys> {
        self.keys
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// How many verification keys there are.
    pub fn len(&self) -> usize {
        self.read().keys().len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        // No key source was given (a given set with no usable key is not
        // empty: its tokens are judged against it, and fail).
        self.read().name().is_empty()
    }

    /// Where the keys came from (file names or a URL).
    pub fn name(&self) -> String {
        self.read().name().to_string()
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
    pub fn policy(&self, profile: Profile, now: i64) -> policy::Settings {
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
    let judge = |ring: &Keys, profile| {
        let given = !ring.name().is_empty();
        policy::evaluate(
            token,
            "token",
            given.then(|| ring.keys()),
            ring.name(),
            &settings.policy(profile, now),
        )
    };
    let mut platform_v = judge(&keys.read(), Profile::Platform);
    if platform_v.code() == Some(policy::Code::Kid) {
        // As `verify` does: a JWKS URL is fetched again once for a kid it
        // does not have (files never change).
        let mut ring = keys
            .keys
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if verify::refresh_after(&mut *ring, &mut platform_v) {
            platform_v = judge(&ring, Profile::Platform);
        }
    }
    let ring = keys.read();
    let rfc_v = judge(&ring, Profile::Rfc);
    let given = !ring.name().is_empty();
    let all = ring.keys();
    let auth_id = settings.auth_id.as_deref();
    let decode_error = crate::token::decode(token)
        .err()
        .map(|m| format!("malformed token: {m}"));

    // Every finding: the platform verdict's (token rules, and the key rules
    // of the key it selects), then the other keys' key rules.
    let mut findings: Vec<&Finding> = platform_v.findings.iter().collect();
    for k in all {
        for f in &k.findings {
            let seen = findings
                .iter()
                .any(|g| g.rule == f.rule && g.path == f.path && g.message == f.message);
            if !seen {
                findings.push(f);
            }
        }
    }

    let selected = select_key(all, &platform_v);
    let mut notes = platform_v.notes.clone();
    if !given {
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
            "platform": page_verdict(&platform_v, given, auth_id),
            "rfc": page_verdict(&rfc_v, given, auth_id),
        },
        "findings": findings,
        "notes": notes,
        "platform_key": platform_key_json(platform_v.claims.as_ref(), settings, platform_v.is_valid()),
        "keys": keys_json(all, &platform_v, selected, now),
        "key_source": if given { ring.name().into() } else { Value::Null },
        "timeline": timeline_json(platform_v.claims.as_ref(), now, settings.leeway, all, selected),
    })
}

/// A verdict for the page: `verify --json`'s shape; without keys, a
/// verdict the signature would decide says `valid: null`, code `no_keys`.
fn page_verdict(v: &Verdict, given: bool, auth_id: Option<&str>) -> Value {
    let mut j = verdict_json(v, auth_id);
    if !given && v.is_valid() {
        j["valid"] = Value::Null;
        j["code"] = "no_keys".into();
        j["reason"] = "no keys were given, so the signature and kid cannot be checked".into();
    }
    j
}

/// The key the token was (or would be) checked with: the one whose
/// signature verified, else the one its kid names, else the only key.
fn select_key(keys: &[Key], v: &Verdict) -> Option<usize> {
    if let Some(i) = v.key_index {
        return Some(i);
    }
    let named = v
        .header
        .as_ref()
        .and_then(|h| h.get("kid"))
        .and_then(Value::as_str);
    if let Some(kid) = named {
        if let Some(i) = keys.iter().position(|k| k.kid.as_deref() == Some(kid)) {
            return Some(i);
        }
    }
    (keys.len() == 1).then_some(0)
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
    keys: &[Key],
    selected: Option<usize>,
) -> Value {
    let cert = selected.and_then(|i| {
        let k = keys.get(i)?;
        let facts = k.view.cert.as_ref()?.parsed.as_ref().ok()?;
        let label = match &k.kid {
            Some(kid) => format!("certificate of key {kid:?}"),
            None => format!("certificate in {}", k.file),
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
fn keys_json(keys: &[Key], v: &Verdict, selected: Option<usize>, now: i64) -> Value {
    let named = v
        .header
        .as_ref()
        .and_then(|h| h.get("kid"))
        .and_then(Value::as_str);
    let mut out = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let view = &key.view;
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
            Err(CertProblem::Encoding(m) | CertProblem::NotCertificate(m)) => {
                json!({ "problem": m })
            }
        });
        let errors = key
            .findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .count();
        out.push(json!({
            "source": key.file,
            "path": view.path,
            "kid": key.kid,
            "kty": view.kty,
            "alg": key.alg,
            "use": key.use_,
            "bits": view.public.as_ref().map(keys::RsaPublic::bits),
            "thumbprint": view.public.as_ref().map(jwk::thumbprint),
            "cert": cert,
            "errors": errors,
            "named": named.is_some() && key.kid.as_deref() == named,
            "selected": selected == Some(i),
            // The verifier names the key once its signature verified.
            "verified": v.key_index == Some(i),
        }));
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
