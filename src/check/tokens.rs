//! Token rules T1–T10: what the platform needs of the identity token, and
//! the cross rules that hold a token against the keys given with it (T2's
//! kid lookup, T7 the signature, T10 the key's `alg`).

use serde_json::Value;

use super::{Check, Input, Options, Out, Rule, TokenInput};
use crate::clock;
use crate::keys::RsaPublic;
use crate::token::Alg;
use crate::verify::{verify_signature, MAX_TIME, MIN_TIME};

/// A key given alongside a token, from a JWK, JWKS, certificate or key file.
#[derive(Debug, Clone)]
pub struct RegKey {
    /// `jwks.json: keys[0]`, or the file name.
    pub name: String,
    pub kid: Option<String>,
    pub alg: Option<String>,
    pub public: RsaPublic,
}

/// What the token rules see: the token, the keys given with it, the options.
pub struct TokenCtx<'a> {
    pub token: &'a TokenInput,
    pub keys: &'a [RegKey],
    pub opts: &'a Options,
}

impl TokenCtx<'_> {
    fn header_str(&self, k: &str) -> Option<&str> {
        self.token.header.get(k).and_then(Value::as_str)
    }

    fn file(&self) -> &str {
        &self.token.file
    }

    /// The keys the platform would try: those whose kid is the token's kid,
    /// or, when none is, the keys without a kid (certificate and key files).
    fn candidates(&self) -> Vec<&RegKey> {
        let kid = self.header_str("kid");
        let by_kid: Vec<&RegKey> = self
            .keys
            .iter()
            .filter(|k| kid.is_some() && k.kid.as_deref() == kid)
            .collect();
        if !by_kid.is_empty() {
            return by_kid;
        }
        self.keys.iter().filter(|k| k.kid.is_none()).collect()
    }

    fn verifies(&self, k: &RegKey) -> bool {
        self.header_str("alg")
            .and_then(Alg::from_name)
            .is_some_and(|alg| {
                verify_signature(
                    alg,
                    &k.public,
                    self.token.signing_input.as_bytes(),
                    &self.token.signature,
                )
            })
    }
}

/// The RSA keys of every key input, for the cross rules.
pub fn registered_keys(inputs: &[Input]) -> Vec<RegKey> {
    let mut out = Vec::new();
    let docs = inputs.iter().filter_map(|i| match i {
        Input::Keys(doc) => Some(doc),
        Input::Endpoint(ep) => ep.response.as_ref()?.doc.as_ref()?.as_ref().ok(),
        Input::Token(_) => None,
    });
    for doc in docs {
        for k in &doc.keys {
            let Some(public) = &k.public else { continue };
            if k.kty.as_deref() != Some("RSA") {
                continue;
            }
            let member = |m: &str| {
                k.jwk
                    .as_ref()
                    .and_then(|o| o.get(m))
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            out.push(RegKey {
                name: if k.path.is_empty() {
                    doc.file.clone()
                } else {
                    format!("{}: {}", doc.file, k.path)
                },
                kid: member("kid"),
                alg: member("alg"),
                public: public.clone(),
            });
        }
    }
    out
}

/// What could not be checked for this token, and why.
pub fn notes(ctx: &TokenCtx<'_>) -> Vec<String> {
    let mut n = Vec::new();
    let f = ctx.file();
    if ctx.keys.is_empty() {
        n.push(format!(
            "{f}: kid lookup (T2), signature (T7) and key alg (T10) not checked: give the JWK or JWKS too"
        ));
    } else if ctx.candidates().is_empty() {
        n.push(format!(
            "{f}: signature (T7) not checked: no key given matches the token's kid"
        ));
    }
    if ctx.opts.issuer.is_none() && ctx.token.claims.contains_key("iss") {
        n.push(format!(
            "{f}: iss not compared with the registered issuer (T4): give --issuer ISS"
        ));
    }
    n
}

const MINT: &str = "uvtool mint --key private.pem --sub USER --iss ISSUER";

pub const T1: Rule = Rule {
    id: "T1",
    level: "error",
    summary: "header `alg` is RS256 or RS512",
    source:
        "doc: Enhanced Web Chat user verification (\"JWTs must be signed using RS256 or RS512\")",
    check: Check::Token(t1),
};

fn t1(ctx: &TokenCtx<'_>, out: &mut Out<'_>) {
    let problem = match ctx.token.header.get("alg") {
        None => "the header has no \"alg\"".to_string(),
        Some(Value::String(a)) if a == "RS256" || a == "RS512" => return,
        Some(Value::String(a)) if a.eq_ignore_ascii_case("none") => {
            "header \"alg\" is \"none\": the token is unsigned; the platform accepts RS256 or RS512"
                .to_string()
        }
        Some(v) => format!("header \"alg\" is {v}; the platform accepts RS256 or RS512 only"),
    };
    out.error(
        ctx.file(),
        "header.alg",
        problem,
        Some(format!("mint with `{MINT} --alg RS256`")),
    );
}

pub const T2: Rule = Rule {
    id: "T2",
    level: "error",
    summary: "header `kid` present and names a key in the set given",
    source: "the platform selects the key by kid",
    check: Check::Token(t2),
};

fn t2(ctx: &TokenCtx<'_>, out: &mut Out<'_>) {
    let Some(kid) = ctx.header_str("kid") else {
        let m = if ctx.token.header.contains_key("kid") {
            "header \"kid\" is not a string"
        } else {
            "the header has no \"kid\"; the platform selects the key by kid"
        };
        out.error(
            ctx.file(),
            "header.kid",
            m.into(),
            Some("mint with `--kid KID`, the kid of the uploaded JWK".into()),
        );
        return;
    };
    let kids: Vec<&str> = ctx.keys.iter().filter_map(|k| k.kid.as_deref()).collect();
    if kids.is_empty() || kids.contains(&kid) {
        return;
    }
    let by_sig = ctx
        .keys
        .iter()
        .find(|k| ctx.verifies(k))
        .map(|k| match &k.kid {
            Some(kk) => format!(" (the signature verifies with {}, kid {kk:?})", k.name),
            None => format!(" (the signature verifies with {})", k.name),
        })
        .unwrap_or_default();
    let fix = match ctx.keys.iter().find(|k| ctx.verifies(k)).and_then(|k| k.kid.as_deref()) {
        Some(right) => format!("mint with `--kid {right}`"),
        None => "mint with the kid of a key in the set (`--kid KID`), or add the key to the set with `uvtool jwks --set jwks.json --add jwk.json`".into(),
    };
    out.error(
        ctx.file(),
        "header.kid",
        format!(
            "kid {kid:?} names no key given (kids: {}){by_sig}",
            kids.iter()
                .map(|k| format!("{k:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(fix),
    );
}

pub const T3: Rule = Rule {
    id: "T3",
    level: "error",
    summary:
        "`sub` present and a non-empty string (it becomes v2/iamessage/AUTH/{config}/uid:{sub})",
    source: "doc: Understanding Token-Based User Verification",
    check: Check::Token(t3),
};

fn t3(ctx: &TokenCtx<'_>, out: &mut Out<'_>) {
    let m = match ctx.token.claims.get("sub") {
        None => "has no \"sub\" claim; the platform keys the verified user by it".to_string(),
        Some(Value::String(s)) if s.is_empty() => "\"sub\" is empty".to_string(),
        Some(Value::String(_)) => return,
        Some(v) => format!("\"sub\" is {v}, not a string"),
    };
    out.error(
        ctx.file(),
        "claims.sub",
        m,
        Some("mint with `--sub USER_ID` (your user's stable id)".into()),
    );
}

pub const T4: Rule = Rule {
    id: "T4",
    level: "error",
    summary:
        "`iss` present and exactly the registered issuer (--issuer; a trailing slash is a mismatch)",
    source: "field: issuer mismatches and trailing slashes reported by people setting it up",
    check: Check::Token(t4),
};

fn t4(ctx: &TokenCtx<'_>, out: &mut Out<'_>) {
    let fix_with = |iss: &str| Some(format!("mint with `--iss {iss}`, exactly as registered"));
    let iss = match ctx.token.claims.get("iss") {
        None => {
            out.error(
                ctx.file(),
                "claims.iss",
                "has no \"iss\" claim; the platform matches it with the issuer registered with the keyset".into(),
                fix_with(ctx.opts.issuer.as_deref().unwrap_or("ISSUER")),
            );
            return;
        }
        Some(Value::String(s)) => s,
        Some(v) => {
            out.error(
                ctx.file(),
                "claims.iss",
                format!("\"iss\" is {v}, not a string"),
                fix_with(ctx.opts.issuer.as_deref().unwrap_or("ISSUER")),
            );
            return;
        }
    };
    let Some(want) = ctx.opts.issuer.as_deref() else {
        return;
    };
    if iss == want {
        return;
    }
    let why = if iss.trim_end_matches('/') == want.trim_end_matches('/') {
        " only by a trailing slash; the platform compares exactly, so the user silently stays unverified"
    } else if iss.eq_ignore_ascii_case(want) {
        " only in letter case; the platform compares exactly"
    } else {
        ""
    };
    out.error(
        ctx.file(),
        "claims.iss",
        format!("iss {iss:?} differs from the registered issuer {want:?}{why}"),
        fix_with(want),
    );
}

/// A NumericDate, floored and clamped to the years 0001–9999 (as `verify` does).
fn numeric(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_f64().map(|f| f.floor() as i64))
        .map(|t| t.clamp(MIN_TIME, MAX_TIME))
}

fn when(t: i64, now: i64) -> String {
    format!(
        "{} ({})",
        clock::format_utc(t).unwrap_or_else(|| t.to_string()),
        clock::relative(t, now)
    )
}

pub const T5: Rule = Rule {
    id: "T5",
    level: "error",
    summary: "`exp` present and in the future; `iat` present and not in the future (honours --now)",
    source: "doc: token expiry settings; field reports",
    check: Check::Token(t5),
};

fn t5(ctx: &TokenCtx<'_>, out: &mut Out<'_>) {
    let now = ctx.opts.now;
    let fix = Some(format!("mint a fresh token: `{MINT} --ttl 10m`"));
    let c = &ctx.token.claims;
    match c.get("exp") {
        None => out.error(
            ctx.file(),
            "claims.exp",
            "has no \"exp\" claim".into(),
            fix.clone(),
        ),
        Some(v) => match numeric(v) {
            None => out.error(
                ctx.file(),
                "claims.exp",
                format!("\"exp\" is {v}, not a number of seconds"),
                fix.clone(),
            ),
            Some(exp) if exp <= now => out.error(
                ctx.file(),
                "claims.exp",
                format!("the token expired at {}", when(exp, now)),
                fix.clone(),
            ),
            Some(_) => {}
        },
    }
    match c.get("iat") {
        None => out.error(
            ctx.file(),
            "claims.iat",
            "has no \"iat\" claim".into(),
            fix.clone(),
        ),
        Some(v) => match numeric(v) {
            None => out.error(
                ctx.file(),
                "claims.iat",
                format!("\"iat\" is {v}, not a number of seconds"),
                fix.clone(),
            ),
            Some(iat) if iat > now => out.error(
                ctx.file(),
                "claims.iat",
                format!(
                    "\"iat\" is in the future: {} (is the minting clock right?)",
                    when(iat, now)
                ),
                fix.clone(),
            ),
            Some(_) => {}
        },
    }
    if let Some(nbf) = c.get("nbf").and_then(numeric) {
        if nbf > now {
            out.error(
                ctx.file(),
                "claims.nbf",
                format!("the token is not valid before {}", when(nbf, now)),
                fix,
            );
        }
    }
}

pub const T6: Rule = Rule {
    id: "T6",
    level: "warning",
    summary: "lifetime (`exp` − `iat`) at most a day",
    source: "best practice (RFC 8725)",
    check: Check::Token(t6),
};

fn t6(ctx: &TokenCtx<'_>, out: &mut Out<'_>) {
    let c = &ctx.token.claims;
    let (Some(exp), Some(iat)) = (
        c.get("exp").and_then(numeric),
        c.get("iat").and_then(numeric),
    ) else {
        return;
    };
    let life = exp - iat;
    if life > 86400 {
        out.warning(
            ctx.file(),
            "claims.exp",
            format!(
                "lifetime is {} (exp − iat); a leaked token stays usable that long: keep it under a day and mint fresh ones",
                clock::human_span(life as u64)
            ),
            Some(format!("mint with `{MINT} --ttl 1h`")),
        );
    }
}

pub const T7: Rule = Rule {
    id: "T7",
    level: "error",
    summary: "the signature verifies with the key the token names (needs the JWK/JWKS, certificate or key too)",
    source: "the platform verifies the signature with the registered key",
    check: Check::Token(t7),
};

fn t7(ctx: &TokenCtx<'_>, out: &mut Out<'_>) {
    let Some(alg) = ctx
        .header_str("alg")
        .filter(|a| Alg::from_name(a).is_some())
    else {
        return; // T1 reports the alg
    };
    let candidates = ctx.candidates();
    if candidates.is_empty() || candidates.iter().any(|k| ctx.verifies(k)) {
        return;
    }
    let names: Vec<&str> = candidates.iter().map(|k| k.name.as_str()).collect();
    out.error(
        ctx.file(),
        "signature",
        format!(
            "the {alg} signature does not verify with {}: the token was signed with another key, or altered",
            names.join(", ")
        ),
        Some(format!(
            "mint with the private key of this JWK/JWKS: `{MINT} --kid KID`"
        )),
    );
}

pub const T8: Rule = Rule {
    id: "T8",
    level: "warning",
    summary:
        "`sub` has no `/`, whitespace or control characters (it is embedded in a path-like key)",
    source: "derived from the platform key format v2/iamessage/AUTH/{config}/uid:{sub}",
    check: Check::Token(t8),
};

fn t8(ctx: &TokenCtx<'_>, out: &mut Out<'_>) {
    let Some(sub) = ctx.token.claims.get("sub").and_then(Value::as_str) else {
        return;
    };
    if sub.is_empty() {
        return; // T3
    }
    if let Some(p) = crate::platform::sub_problem(sub) {
        out.warning(
            ctx.file(),
            "claims.sub",
            format!("sub {sub:?} {p}; the platform key v2/iamessage/AUTH/{{config}}/uid:{{sub}} becomes ambiguous"),
            Some("use a plain, stable user id as `--sub` (letters, digits, - _ . @ :)".into()),
        );
    }
}

pub const T9: Rule = Rule {
    id: "T9",
    level: "info",
    summary:
        "an `aud` is allowed but not checked: the platform's keyset configuration has no audience",
    source: "field: the keyset configuration has no audience field",
    check: Check::Token(t9),
};

fn t9(ctx: &TokenCtx<'_>, out: &mut Out<'_>) {
    if let Some(aud) = ctx.token.claims.get("aud") {
        out.info(
            ctx.file(),
            "claims.aud",
            format!("aud is {aud}: allowed, but the platform has no audience setting and does not check it"),
            None,
        );
    }
}

pub const T10: Rule = Rule {
    id: "T10",
    level: "error",
    summary: "header `alg` matches the `alg` of the key the token names",
    source: "RFC 7517 §4.4 (a key's alg restricts what it verifies)",
    check: Check::Token(t10),
};

fn t10(ctx: &TokenCtx<'_>, out: &mut Out<'_>) {
    let Some(alg) = ctx.header_str("alg") else {
        return;
    };
    for k in ctx.candidates() {
        let Some(kalg) = k.alg.as_deref() else {
            continue;
        };
        if kalg != alg {
            out.error(
                ctx.file(),
                "header.alg",
                format!("header alg {alg:?} differs from alg {kalg:?} of {}; a verifier honouring the key's alg rejects the token", k.name),
                Some(format!("mint with `--alg {kalg}`, or re-export the key with `uvtool jwk --cert cert.pem --alg {alg}`")),
            );
        }
    }
}
