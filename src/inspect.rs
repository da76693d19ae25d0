//! One token, inspected for the debugger page (`uvtool ui`): the verdicts
//! under the platform and RFC profiles, the `check` findings, the times, the
//! platform key, a timeline and the key set — all in one JSON value built by
//! [`inspect`], so the page never re-implements a rule.
//!
//! Each verdict object has the shape of `verify --json` (`valid`, `reason`,
//! `code`, `alg`, `kid`, `header`, `claims`, `platform_key` when a
//! configuration name is given, `notes`), plus `profile`, `rule` and
//! `warnings`.
//!
//! Today the RFC verdict is [`crate::verify::Verifier`]'s and the platform
//! verdict is that verifier restricted to RS256/RS512, then labelled with the
//! first error `check` reports for the token or the key it selects. When
//! verification and the platform profile become one policy, only
//! [`verdicts`] changes.

use serde_json::{json, Map, Value};

use crate::check::{self, CertSlot, Finding, Input, KeyDoc, Level};
use crate::token::Alg;
use crate::verify::{KeySource, Policy, PreparedKey, StaticKeys, Verdict, Verifier};
use crate::{cert, clock, jwk, keys, platform, Error, Result};

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
    /// Where `check` reads it again for the key rules and the key table: a
    /// path or a URL (`None` for stdin, whose keys then get no findings).
    pub check_from: Option<String>,
}

/// The keys tokens are inspected against, read once.
#[derive(Debug, Default)]
pub struct Keyring {
    keys: StaticKeys,
    docs: Vec<KeyDoc>,
}

impl Keyring {
    /// No keys: tokens are decoded and linted, their signatures not checked.
    pub fn empty() -> Keyring {
        Keyring::default()
    }

    /// Read the key files: as `verify` reads them (refusing private members
    /// in a set and duplicate kids), and as `check` reads them (for the key
    /// rules and the key table).
    pub fn load(files: &[KeyFile]) -> Result<Keyring> {
        let mut ring = Keyring::default();
        for f in files {
            match f.kind {
                KeyKind::Jwks => {
                    ring.keys.add_jwk_doc(&f.bytes, &f.name)?;
                }
                KeyKind::Cert => {
                    let c = cert::load_certificate(&f.bytes, &f.name)?;
                    ring.keys.add_public(c.public, &f.name);
                }
                KeyKind::Key => {
                    let k = keys::load_public(&f.bytes, &f.name)?;
                    ring.keys.add_public(k, &f.name);
                }
            }
            match f.check_from.as_deref().map(check::read).transpose()? {
                Some(Input::Keys(doc)) => ring.docs.push(doc),
                Some(Input::Endpoint(ep)) => {
                    if let Some(Ok(doc)) = ep.response.and_then(|r| r.doc) {
                        ring.docs.push(doc);
                    }
                }
                Some(Input::Token(_)) => {
                    return Err(Error::input(&f.name, "holds a token, not keys"))
                }
                None => {}
            }
        }
        if !files.is_empty() && ring.keys.keys().is_empty() {
            return Err(Error::input(
                ring.keys.name(),
                "has no usable RSA signing key",
            ));
        }
        Ok(ring)
    }

    /// How many verification keys there are.
    pub fn len(&self) -> usize {
        self.keys.keys().len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.keys.keys().is_empty()
    }

    /// Where the keys came from (file names or a URL).
    pub fn name(&self) -> &str {
        self.keys.name()
    }
}

/// The borrowed keys as a [`KeySource`], so each request builds a verifier
/// with its own clock without copying the keys.
struct Borrowed<'a>(&'a StaticKeys);

impl KeySource for Borrowed<'_> {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn keys(&self) -> &[PreparedKey] {
        self.0.keys()
    }
}

/// What the tokens are judged against besides the keys.
#[derive(Debug, Clone, Default)]
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

/// Why a configuration name breaks rule P1 (begins with a letter; letters,
/// digits and `_` only), if it does.
pub fn auth_id_problem(name: &str) -> Option<&'static str> {
    match name.chars().next() {
        None => Some("is empty"),
        Some(c) if !c.is_ascii_alphabetic() => Some("must begin with a letter (P1)"),
        _ if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            Some("may hold only letters, digits and _ (P1)")
        }
        _ => None,
    }
}

/// Everything the page shows for one token. See the module docs.
pub fn inspect(token: &str, keys: &Keyring, settings: &Settings) -> Value {
    let token = token.trim();
    let now = settings.now.unwrap_or_else(clock::now);
    let decoded = crate::token::decode(token);
    let (header, claims, decode_error) = match &decoded {
        Ok(d) => (Some(d.header.clone()), Some(d.claims.clone()), None),
        Err(m) => (None, None, Some(format!("malformed token: {m}"))),
    };

    // check's view: the key documents and the token, together.
    let mut inputs: Vec<Input> = Vec::new();
    let report = match &decoded {
        Ok(d) => {
            inputs.push(Input::Token(check::TokenInput {
                file: "token".into(),
                header: d.header.clone(),
                claims: d.claims.clone(),
                signing_input: d.signing_input.to_string(),
                signature: d.signature.clone(),
            }));
            let opts = check::Options {
                issuer: settings.iss.clone(),
                now,
                upload: false,
            };
            inputs.extend(keys.docs.iter().map(clone_doc).map(Input::Keys));
            Some(check::run(&inputs, &opts))
        }
        Err(_) => None,
    };
    let findings: &[Finding] = report.as_ref().map_or(&[], |r| &r.findings);

    let v = verdicts(token, keys, settings, now, findings);
    let rfc_verdict = &v.rfc;
    let selected = select_key(keys, rfc_verdict, header.as_ref());

    let mut notes: Vec<String> = report.as_ref().map_or_else(Vec::new, |r| r.notes.clone());
    for n in &rfc_verdict.notes {
        if !notes.contains(n) {
            notes.push(n.clone());
        }
    }

    let times = times_json(claims.as_ref(), now);
    let timeline = timeline_json(claims.as_ref(), now, settings.leeway, keys, selected);
    json!({
        "now": now,
        "now_utc": clock::format_utc(now),
        "leeway": settings.leeway,
        "decode_error": decode_error,
        "header": header,
        "claims": claims,
        "times": times,
        "verdicts": {
            "platform": v.platform_json,
            "rfc": v.rfc_json,
        },
        "findings": findings,
        "notes": notes,
        "platform_key": platform_key_json(claims.as_ref(), settings, v.platform_valid),
        "keys": keys_json(keys, header.as_ref(), rfc_verdict, selected, now),
        "key_source": if keys.is_empty() { Value::Null } else { keys.name().into() },
        "timeline": timeline,
    })
}

/// The two verdicts, as JSON, and what the rest of the answer needs of them.
struct Verdicts {
    rfc: Verdict,
    rfc_json: Value,
    platform_json: Value,
    platform_valid: Option<bool>,
}

/// The verdicts under the platform and RFC profiles. The one place to
/// change when the verifier gains profiles.
fn verdicts(
    token: &str,
    keys: &Keyring,
    settings: &Settings,
    now: i64,
    findings: &[Finding],
) -> Verdicts {
    let policy = |algs: Vec<Alg>| Policy {
        algs,
        leeway: settings.leeway,
        allow_no_exp: false,
        iss: settings.iss.clone(),
        aud: Vec::new(),
        sub: None,
        require: Vec::new(),
        now,
    };
    let auth_id = settings.auth_id.as_deref();
    let Ok(rfc_verifier) = Verifier::new(Borrowed(&keys.keys), policy(Alg::ALL.to_vec())) else {
        // No keys: nothing can be said of the signature.
        let rfc = unchecked(token);
        let one = |profile: &str| {
            let mut j = verdict_json(&rfc, profile, auth_id);
            if rfc.failure.is_none() || rfc.failure.as_ref().is_some_and(|f| f.code != "malformed")
            {
                j["valid"] = Value::Null;
                j["code"] = "no_keys".into();
                j["rule"] = Value::Null;
                j["reason"] =
                    "no keys were given, so the signature and kid cannot be checked".into();
            }
            j
        };
        return Verdicts {
            rfc_json: one("rfc"),
            platform_json: one("platform"),
            platform_valid: None,
            rfc,
        };
    };
    let rfc = rfc_verifier.check(token);
    let rfc_json = verdict_json(&rfc, "rfc", auth_id);

    // The same keys as the rfc verifier, so this cannot fail; if it did,
    // the rfc verdict would stand in.
    let mut p = Verifier::new(Borrowed(&keys.keys), policy(vec![Alg::RS256, Alg::RS512]))
        .map_or_else(|_| rfc.clone(), |v| v.check(token));
    let selected = select_key(keys, &p, p.header.as_ref());
    let relevant: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.file == "token" || selected.is_some_and(|s| concerns(f, keys, s)))
        .collect();
    let mut rule = None;
    if p.failure.is_none() {
        if let Some(f) = relevant.iter().find(|f| f.level == Level::Error) {
            p.failure = Some(crate::verify::Failure {
                code: code_for_rule(f.rule),
                message: f.message.clone(),
            });
            rule = Some(f.rule);
        }
    }
    let mut platform_json = verdict_json(&p, "platform", auth_id);
    if let Some(r) = rule {
        platform_json["rule"] = r.into();
    }
    platform_json["warnings"] = relevant
        .iter()
        .filter(|f| f.level == Level::Warning)
        .map(|f| json!({"rule": f.rule, "level": "warning", "message": f.message, "fix": f.fix}))
        .collect::<Vec<_>>()
        .into();
    Verdicts {
        platform_valid: Some(p.is_valid()),
        rfc,
        rfc_json,
        platform_json,
    }
}

/// A verdict for a token that could not be checked against any key.
fn unchecked(token: &str) -> Verdict {
    let d = crate::token::decode(token);
    Verdict {
        failure: d.as_ref().err().map(|m| crate::verify::Failure {
            code: "malformed",
            message: format!("malformed token: {m}"),
        }),
        header: d.as_ref().ok().map(|d| d.header.clone()),
        claims: d.as_ref().ok().map(|d| d.claims.clone()),
        alg: d
            .as_ref()
            .ok()
            .and_then(|d| d.alg())
            .and_then(Alg::from_name),
        kid: d.as_ref().ok().and_then(|d| d.kid()).map(str::to_string),
        key_origin: None,
        notes: Vec::new(),
    }
}

/// A verdict as `verify --json` prints it, with its profile, rule and
/// (empty) warnings.
pub fn verdict_json(v: &Verdict, profile: &str, auth_id: Option<&str>) -> Value {
    let mut o = Map::new();
    o.insert("valid".into(), v.is_valid().into());
    o.insert(
        "reason".into(),
        v.failure.as_ref().map(|f| f.message.clone()).into(),
    );
    o.insert("code".into(), v.failure.as_ref().map(|f| f.code).into());
    o.insert(
        "rule".into(),
        v.failure
            .as_ref()
            .map(|f| rule_for_code(f.code, &f.message))
            .into(),
    );
    o.insert("profile".into(), profile.into());
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
    }
    if !v.notes.is_empty() {
        o.insert("notes".into(), v.notes.clone().into());
    }
    o.insert("warnings".into(), Value::Array(Vec::new()));
    Value::Object(o)
}

/// The PLATFORM.md rule behind a verifier failure code.
fn rule_for_code(code: &str, message: &str) -> &'static str {
    let format = message.contains("not a number") || message.contains("outside the years");
    match code {
        "malformed" => "T0",
        "alg" => "T1",
        "crit" => "T11",
        "kid" => "T2",
        "key" => "K",
        "key_alg" => "T10",
        "signature" => "T7",
        "exp" | "nbf" | "iat" if format => "T14",
        "exp" => "T5",
        "nbf" => "T15",
        "iat" => "T13",
        "iss" => "T4",
        "aud" => "A1",
        "sub" => "A2",
        "require" => "A3",
        _ => "",
    }
}

/// The verifier failure code a `check` rule's error stands for.
fn code_for_rule(rule: &str) -> &'static str {
    match rule {
        "T1" => "alg",
        "T2" => "kid",
        "T3" => "sub",
        "T4" => "iss",
        "T5" => "exp",
        "T7" => "signature",
        "T10" => "key_alg",
        "T11" => "crit",
        r if r.starts_with('K') => "key",
        _ => "policy",
    }
}

/// A key: which document, which key in it.
type KeyRef = (usize, usize);

/// The key the token was (or would be) checked with: the one that verified
/// its signature, else the one its kid names, else the only key.
fn select_key(keys: &Keyring, v: &Verdict, header: Option<&Map<String, Value>>) -> Option<KeyRef> {
    let all: Vec<KeyRef> = keys
        .docs
        .iter()
        .enumerate()
        .flat_map(|(d, doc)| (0..doc.keys.len()).map(move |k| (d, k)))
        .collect();
    if let Some(origin) = &v.key_origin {
        // The key that verified: same file, same kid (a key without a kid:
        // the only key of its file).
        for &(d, k) in &all {
            let doc = &keys.docs[d];
            if doc.file != *origin {
                continue;
            }
            match kid_of(doc, k) {
                Some(kid) if v.kid.as_deref() == Some(kid) => return Some((d, k)),
                None if doc.keys.len() == 1 => return Some((d, k)),
                _ => {}
            }
        }
    }
    let named = header.and_then(|h| h.get("kid")).and_then(Value::as_str);
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

/// Whether a key finding is about this key.
fn concerns(f: &Finding, keys: &Keyring, (d, k): KeyRef) -> bool {
    let doc = &keys.docs[d];
    if f.file != doc.file {
        return false;
    }
    let path = &doc.keys[k].path;
    path.is_empty()
        || f.path.is_empty() && doc.keys.len() == 1
        || f.path == *path
        || f.path.starts_with(&format!("{path}."))
}

/// A copy of a key document (the check types are not `Clone`).
fn clone_doc(doc: &KeyDoc) -> KeyDoc {
    KeyDoc {
        file: doc.file.clone(),
        shape: doc.shape,
        keys: doc
            .keys
            .iter()
            .map(|k| check::KeyView {
                path: k.path.clone(),
                jwk: k.jwk.clone(),
                kty: k.kty.clone(),
                public: k.public.clone(),
                cert: k.cert.as_ref().map(|c| CertSlot {
                    path: c.path.clone(),
                    parsed: c.parsed.clone(),
                }),
            })
            .collect(),
    }
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

/// A NumericDate claim as seconds, when it is a number.
fn seconds(claims: Option<&Map<String, Value>>, name: &str) -> Option<i64> {
    let v = claims?.get(name)?;
    v.as_i64().or_else(|| v.as_f64().map(|f| f.floor() as i64))
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
    let in_range = |t: Option<i64>| t.filter(|t| (0..=crate::verify::MAX_TIME).contains(t));
    json!({
        "now": now,
        "leeway": leeway,
        "iat": in_range(seconds(claims, "iat")),
        "nbf": in_range(seconds(claims, "nbf")),
        "exp": in_range(seconds(claims, "exp")),
        "cert": cert,
    })
}

/// The platform key this token's `sub` gives.
fn platform_key_json(
    claims: Option<&Map<String, Value>>,
    settings: &Settings,
    valid: Option<bool>,
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
    let mut notes = Vec::new();
    if settings.auth_id.is_none() {
        notes.push(
            "{auth_id_info} is the configuration name; what fills it is not documented (field: the User Verification Configuration's name)".to_string(),
        );
    }
    if let Some(p) = platform::sub_problem(sub) {
        notes.push(format!("sub {p}; the platform key may be ambiguous (T8)"));
    }
    if valid == Some(false) {
        notes.push("the platform would treat this visitor as unverified: v2/iamessage/UNAUTH/NA/uid:<random> (field)".to_string());
    }
    json!({
        "key": platform::platform_key(name, sub),
        "auth_id": settings.auth_id,
        "sub": sub,
        "note": if notes.is_empty() { Value::Null } else { notes.join("; ").into() },
    })
}

/// Each key: kid, alg, size, thumbprint, certificate window, and whether
/// the token names it or was verified with it.
fn keys_json(
    keys: &Keyring,
    header: Option<&Map<String, Value>>,
    v: &Verdict,
    selected: Option<KeyRef>,
    now: i64,
) -> Value {
    let named = header.and_then(|h| h.get("kid")).and_then(Value::as_str);
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
                Err(p) => json!({ "problem": match p {
                    check::CertProblem::Encoding(m) | check::CertProblem::NotCertificate(m) => m,
                }}),
            });
            // The verifier names a key's origin only once its signature
            // verified (later failures, such as exp, keep it).
            let verified =
                v.key_origin.as_deref() == Some(doc.file.as_str()) && selected == Some((d, k));
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
                "named": named.is_some() && kid.as_deref() == named,
                "selected": selected == Some((d, k)),
                "verified": verified,
            }));
        }
    }
    Value::Array(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_id_rule_p1() {
        assert_eq!(auth_id_problem("MyConfig_2"), None);
        assert!(auth_id_problem("").is_some());
        assert!(auth_id_problem("2fa").is_some());
        assert!(auth_id_problem("my-config").is_some());
    }

    #[test]
    fn codes_and_rules() {
        assert_eq!(rule_for_code("exp", "expired 1m ago"), "T5");
        assert_eq!(rule_for_code("exp", "exp is not a number"), "T14");
        assert_eq!(code_for_rule("K13"), "key");
        assert_eq!(code_for_rule("T3"), "sub");
    }

    #[test]
    fn no_keys_decodes_and_says_so() {
        let t = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";
        let v = inspect(t, &Keyring::empty(), &Settings::default());
        assert_eq!(v["verdicts"]["rfc"]["code"], "no_keys");
        assert_eq!(v["verdicts"]["rfc"]["valid"], Value::Null);
        assert_eq!(v["claims"]["sub"], "u");
        let bad = inspect("nope", &Keyring::empty(), &Settings::default());
        assert_eq!(bad["verdicts"]["platform"]["code"], "malformed");
        assert_eq!(bad["verdicts"]["platform"]["valid"], false);
    }
}
