//! Token rules T0–T15 and A1–A3: what the platform (or, under the rfc
//! profile, RFC 7519/8725) needs of a token, held against the keys given
//! with it. [`evaluate`] runs them in [`ORDER`]; the first error-level
//! finding is the verdict's reason, the rest are what `check` lists too.
//!
//! Keys come only from the caller: the header members `jwk`, `jku`, `x5u`
//! and `x5c` are never used to find a key (a note says they were ignored).

use serde_json::{Map, Value};

use super::{src, Applies, Code, Finding, Key, Label, Level, Out, Profile, Rule, Settings};
use crate::clock;
use crate::token::{self, Alg};

/// The latest time uvtool reasons about: 9999-12-31T23:59:59Z, unix seconds.
/// The earliest is 1970 (0): NumericDates are seconds since the epoch.
pub const MAX_TIME: i64 = 253_402_300_799;

/// Header members that name or carry keys; never trusted as key sources.
pub const UNTRUSTED_KEY_HEADERS: [&str; 4] = ["jwk", "jku", "x5u", "x5c"];

/// Member look-up in a token's header or claims. Tokens carry a handful of
/// members, and a scan of them beats hashing the name with the map's SipHash
/// (hashing was 5 % of a batch verify's time, by perf); a large object (a
/// token may be 64 KiB) uses the map's index. Names are unique: the
/// reader refuses a repeated one.
trait Members {
    fn member(&self, k: &str) -> Option<&Value>;
    fn has(&self, k: &str) -> bool {
        self.member(k).is_some()
    }
}

impl Members for Map<String, Value> {
    fn member(&self, k: &str) -> Option<&Value> {
        if self.len() <= 16 {
            self.iter().find_map(|(n, v)| (n == k).then_some(v))
        } else {
            self.get(k)
        }
    }
}

const MINT: &str = "uvtool mint --key private.pem --sub USER --iss ISSUER";

const fn token_rule(
    id: &'static str,
    platform: Option<Level>,
    rfc: Option<Level>,
    summary: &'static str,
    sources: &'static [super::Source],
) -> Rule {
    Rule {
        id,
        applies: Applies::Token,
        platform,
        rfc,
        summary,
        sources,
    }
}

const E: Option<Level> = Some(Level::Error);
const W: Option<Level> = Some(Level::Warning);

pub const T0: Rule = token_rule(
    "T0",
    E,
    E,
    "the token is a compact JWS: three base64url segments (no padding, no `+`/`/`, canonical), JSON objects, no repeated member names",
    &[src(Label::Rfc, "RFC 7515 §7.1, §2 (base64url); RFC 8725 §3.1"), src(Label::Assumption, "a repeated member is refused: readers disagree on which counts")],
);
pub const T1: Rule = token_rule(
    "T1",
    E,
    E,
    "header `alg` is RS256 or RS512 (platform; rfc: any RS*/PS*); `none` and HS* always refused",
    &[
        src(
            Label::Web,
            "\"JWTs must be signed using the RS256 or RS512 algorithms\"",
        ),
        src(Label::Rfc, "RFC 8725 §3.1, §3.2"),
    ],
);
pub const T2: Rule = token_rule(
    "T2",
    E,
    E,
    "header `kid` present and names a key in the registered set (rfc: a token without kid is fine with a single key)",
    &[src(Label::Tool, "the platform selects the key by kid")],
);
pub const T3: Rule = token_rule(
    "T3",
    E,
    None,
    "`sub` present, a non-empty string: it becomes the platform key v2/iamessage/AUTH/{auth_id_info}/uid:{sub}",
    &[src(Label::Seed, "the verified user is stored under the token's sub")],
);
pub const T4: Rule = token_rule(
    "T4",
    E,
    E,
    "`iss` present (platform) and exactly the registered issuer when one is given: case-sensitive, a trailing slash is a mismatch",
    &[
        src(Label::Su, "the keyset carries the issuer"),
        src(Label::Meta, "jwtIssuer \"is case-sensitive\""),
        src(Label::Field, "trailing slashes reported as a cause"),
    ],
);
pub const T5: Rule = token_rule(
    "T5",
    E,
    E,
    "`exp` present and not past (one leeway, default 60 s, for every time rule); the web client refuses a token without exp, on the visitor's clock",
    &[
        src(Label::Web, "token expiry"),
        src(Label::Client, "\"Invalid identity token passed into the setIdentityToken method.\""),
        src(Label::Rfc, "RFC 7519 §4.1.4"),
    ],
);
pub const T6: Rule = token_rule(
    "T6",
    W,
    W,
    "lifetime (`exp` − `iat`) at most a day",
    &[
        src(Label::Rfc, "RFC 8725 (short-lived tokens)"),
        src(Label::Assumption, "the one-day threshold"),
    ],
);
pub const T7: Rule = token_rule(
    "T7",
    E,
    E,
    "the signature verifies with the key the token names",
    &[src(Label::Rfc, "RFC 7515 §5.2")],
);
pub const T8: Rule = token_rule(
    "T8",
    W,
    None,
    "`sub` has no `/`, whitespace or control characters (it is embedded in a path-like key)",
    &[src(
        Label::Assumption,
        "derived from the platform key format",
    )],
);
pub const T9: Rule = token_rule(
    "T9",
    Some(Level::Info),
    None,
    "an `aud` is allowed but not checked: the keyset configuration has no audience (field reports disagree)",
    &[src(Label::Field, "the keyset has no audience field; one report says aud must be the My Domain URL")],
);
pub const T10: Rule = token_rule(
    "T10",
    E,
    E,
    "header `alg` matches the `alg` of the key the token names",
    &[src(Label::Rfc, "RFC 7517 §4.4")],
);
pub const T11: Rule = token_rule(
    "T11",
    E,
    E,
    "no `crit` header (no extension is understood)",
    &[
        src(Label::Rfc, "RFC 7515 §4.1.11"),
        src(
            Label::Tool,
            "nimbus-jose-jwt rejects unknown critical headers",
        ),
    ],
);
pub const T12: Rule = token_rule(
    "T12",
    W,
    None,
    "`typ`, when present, is `JWT`",
    &[
        src(
            Label::Tool,
            "nimbus's default processor accepts only JWT or none",
        ),
        src(Label::Assumption, "that the platform uses it"),
    ],
);
pub const T13: Rule = token_rule(
    "T13",
    W,
    E,
    "`iat`, when present, is not in the future beyond the leeway (a missing iat is fine)",
    &[src(Label::Rfc, "RFC 7519 §4.1.6")],
);
pub const T14: Rule = token_rule(
    "T14",
    E,
    E,
    "`exp`, `nbf`, `iat` are NumericDates: numbers of seconds within 1970–9999 (milliseconds are named)",
    &[src(Label::Rfc, "RFC 7519 §2 (NumericDate)")],
);
pub const T15: Rule = token_rule(
    "T15",
    E,
    E,
    "`nbf`, when present, is not in the future beyond the leeway",
    &[
        src(Label::Rfc, "RFC 7519 §4.1.5"),
        src(
            Label::Assumption,
            "that the platform honours nbf: the safer side",
        ),
    ],
);
pub const A1: Rule = token_rule(
    "A1",
    E,
    E,
    "`aud` includes one of the audiences asked for (--aud)",
    &[src(
        Label::Flag,
        "what you asked for; the platform has no audience setting (T9)",
    )],
);
pub const A2: Rule = token_rule(
    "A2",
    E,
    E,
    "`sub` is the one asked for (--sub)",
    &[src(Label::Flag, "what you asked for")],
);
pub const A3: Rule = token_rule(
    "A3",
    E,
    E,
    "every claim asked for (--require) is present",
    &[src(Label::Flag, "what you asked for")],
);

/// The order the token rules run in, which is the order of a verdict's
/// reasons: the first error-level finding is the verdict.
pub static ORDER: &[&str] = &[
    "T0", "T1", "T11", "T2", "K*", "T10", "T7", "T14", "T5", "T15", "T13", "T4", "T3", "A1", "A2",
    "A3", "T6", "T8", "T9", "T12",
];

/// The outcome for one token under a profile: every finding in [`ORDER`],
/// and what was decoded.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub profile: Profile,
    /// Errors, warnings and info, in rule order. The first error is the reason.
    pub findings: Vec<Finding>,
    /// The header and claims, when the token could be decoded.
    pub header: Option<Map<String, Value>>,
    pub claims: Option<Map<String, Value>>,
    /// The algorithm the header names, when it is one uvtool knows.
    pub alg: Option<Alg>,
    /// The `kid` of the key that verified the signature (or the header's).
    pub kid: Option<String>,
    /// Where the verifying key came from.
    pub key_origin: Option<String>,
    /// The verifying key's place in the keys the token was judged with.
    pub key_index: Option<usize>,
    /// Remarks that do not change the verdict (ignored header members,
    /// checks that could not run).
    pub notes: Vec<String>,
}

impl Verdict {
    /// The first error: why the token is invalid; `None` when it is valid.
    pub fn failure(&self) -> Option<&Finding> {
        self.findings.iter().find(|f| f.level == Level::Error)
    }

    pub fn is_valid(&self) -> bool {
        self.failure().is_none()
    }

    /// The stable code of the failure.
    pub fn code(&self) -> Option<Code> {
        self.failure().and_then(|f| f.code)
    }

    /// Warnings (not info), which never change the verdict.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.level == Level::Warning)
    }

    /// The `sub` claim, if it is a string.
    pub fn sub(&self) -> Option<&str> {
        self.claims.as_ref()?.member("sub")?.as_str()
    }
}

/// What the rules of one token see.
struct Ctx<'a> {
    header: &'a Map<String, Value>,
    claims: &'a Map<String, Value>,
    signing_input: &'a [u8],
    signature: &'a [u8],
    s: &'a Settings,
    /// `None` when no keys were given (check on a token alone).
    keys: Option<&'a [Key]>,
    /// How the key source is named (`jwks.json`, a URL).
    source: &'a str,
    /// The header's algorithm when uvtool knows it (allowed or not).
    alg: Option<Alg>,
    /// The keys the token's kid selects.
    candidates: Vec<&'a Key>,
    /// The candidate that verified the signature.
    verified: Option<&'a Key>,
}

impl<'a> Ctx<'a> {
    fn header_str(&self, k: &str) -> Option<&'a str> {
        self.header.member(k).and_then(Value::as_str)
    }

    /// The candidates whose own `alg` allows the token's (T10).
    fn alg_compatible(&self) -> impl Iterator<Item = &'a Key> + '_ {
        let alg = self.alg.map(Alg::name);
        self.candidates
            .iter()
            .copied()
            .filter(move |k| alg.is_some_and(|alg| k.alg.as_deref().is_none_or(|a| a == alg)))
    }
}

/// Findings of token rules, stamped with the code of what failed.
struct TokenOut<'a, 'b> {
    out: Out<'b>,
    file: &'a str,
}

impl TokenOut<'_, '_> {
    /// A warning or info finding: no code (codes name why a token fails).
    fn warn(&mut self, rule: &Rule, path: &str, message: String, fix: Option<String>) {
        self.out.push(rule, self.file, path, message, fix);
    }

    fn push(&mut self, rule: &Rule, code: Code, path: &str, message: String, fix: Option<String>) {
        let before = self.out.list.len();
        self.out.push(rule, self.file, path, message, fix);
        if let Some(f) = self.out.list.get_mut(before) {
            f.code = Some(code);
        }
    }
}

/// Evaluate a token under `s`, against `keys` (named `source` in messages).
/// With `keys` `None` (no keys given), the kid lookup, key rules, signature
/// and key alg are not checked and a note says so.
pub fn evaluate(
    token_text: &str,
    file: &str,
    keys: Option<&[Key]>,
    source: &str,
    s: &Settings,
) -> Verdict {
    let mut v = Verdict {
        profile: s.profile,
        findings: Vec::new(),
        header: None,
        claims: None,
        alg: None,
        kid: None,
        key_origin: None,
        key_index: None,
        notes: Vec::new(),
    };
    let d = match token::decode(token_text) {
        Ok(d) => d,
        Err(m) => {
            let mut out = TokenOut {
                out: Out::new(s.profile, &mut v.findings),
                file,
            };
            out.push(
                &T0,
                Code::Malformed,
                "",
                format!("malformed token: {m}"),
                Some(if crate::read::wrapped_lines(token_text).is_some() {
                    // `decode` refuses a wrapped token too: the fix is the join.
                    "join its lines into one (a token is header.payload.signature on one line), then give it again".into()
                } else {
                    "give the whole token, header.payload.signature, as minted (`uvtool decode` shows what is in it)".into()
                }),
            );
            return v;
        }
    };
    let mut cx = Ctx {
        header: &d.header,
        claims: &d.claims,
        signing_input: d.signing_input.as_bytes(),
        signature: &d.signature,
        s,
        keys,
        source,
        alg: None,
        candidates: Vec::new(),
        verified: None,
    };
    for h in UNTRUSTED_KEY_HEADERS {
        if d.header.has(h) {
            v.notes.push(format!(
                "header {h:?} ignored: keys come only from the key source you gave ({source})"
            ));
        }
    }
    {
        let mut out = TokenOut {
            out: Out::new(s.profile, &mut v.findings),
            file,
        };
        t1(&mut cx, &mut out);
        t11(&cx, &mut out);
        t2(&mut cx, &mut out);
        select(&mut cx);
        key_rules(&cx, &mut out);
        t10(&cx, &mut out);
        t7(&cx, &mut out);
        let bad_times = t14(&cx, &mut out);
        t5(&cx, &mut out, &bad_times);
        t15(&cx, &mut out, &bad_times);
        t13(&cx, &mut out, &bad_times);
        t4(&cx, &mut out);
        t3(&cx, &mut out);
        a1(&cx, &mut out);
        a2(&cx, &mut out);
        a3(&cx, &mut out);
        t6(&cx, &mut out);
        t8(&cx, &mut out);
        t9(&cx, &mut out);
        t12(&cx, &mut out);
        ignored_keys(&cx, &mut out);
        // Keys were given, so a token is valid only when one of them
        // verified its signature: if no rule above said why none did,
        // this does (a verdict must never pass an unchecked signature).
        if keys.is_some()
            && cx.verified.is_none()
            && !out.out.list.iter().any(|f| f.level == Level::Error)
        {
            out.push(
                &T7,
                Code::Signature,
                "signature",
                "signature not verified: no key of the set could be tried".into(),
                Some("give the JWK or JWKS of the key that signed the token".into()),
            );
        }
    }
    v.alg = cx.alg;
    v.kid = cx.header_str("kid").map(str::to_string);
    if let Some(k) = cx.verified {
        if k.kid.is_some() {
            v.kid.clone_from(&k.kid);
        }
        v.key_origin = Some(k.origin.clone());
        v.key_index = keys.and_then(|all| all.iter().position(|x| std::ptr::eq(x, k)));
    }
    if keys.is_none() {
        v.notes.push(format!(
            "{file}: kid lookup (T2), key rules, signature (T7) and key alg (T10) not checked: give the JWK or JWKS too"
        ));
    }
    if s.profile == Profile::Platform && s.iss.is_none() && d.claims.has("iss") {
        v.notes.push(format!(
            "{file}: iss not compared with the registered issuer (T4): give the issuer registered with the keyset"
        ));
    }
    v.header = Some(d.header);
    v.claims = Some(d.claims);
    v
}

fn t1(cx: &mut Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    let fix = || Some(format!("mint with `{MINT} --alg RS256`"));
    let name = match cx.header.member("alg") {
        None => {
            out.push(
                &T1,
                Code::Alg,
                "header.alg",
                "the header has no alg".into(),
                fix(),
            );
            return;
        }
        Some(Value::String(s)) => s.as_str(),
        Some(_) => {
            out.push(
                &T1,
                Code::Alg,
                "header.alg",
                "header alg is not a string".into(),
                fix(),
            );
            return;
        }
    };
    if name.eq_ignore_ascii_case("none") {
        out.push(
            &T1,
            Code::Alg,
            "header.alg",
            format!("alg {name:?} is refused: unsigned tokens are never accepted"),
            fix(),
        );
        return;
    }
    if name.len() > 2 && name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("HS")) {
        out.push(
            &T1,
            Code::Alg,
            "header.alg",
            format!("alg {name} is refused: HMAC tokens use a shared secret, and only RSA signatures are accepted (an RSA public key used as an HMAC secret is a known forgery)"),
            fix(),
        );
        return;
    }
    let Some(alg) = Alg::from_name(name) else {
        let accepted = match cx.s.profile {
            Profile::Platform => {
                "the platform accepts RS256 and RS512 only; source: WEB".to_string()
            }
            Profile::Rfc => format!(
                "RSA algorithms only: {}",
                Alg::ALL.map(Alg::name).join(", ")
            ),
        };
        out.push(
            &T1,
            Code::Alg,
            "header.alg",
            format!("alg {name:?} is not supported ({accepted})"),
            fix(),
        );
        return;
    };
    cx.alg = Some(alg);
    if cx.s.allows(alg) {
        return;
    }
    let message = if cx.s.profile == Profile::Platform && !super::PLATFORM_ALGS.contains(&alg) {
        format!("alg {alg} is not accepted by the platform (RS256 or RS512 only; WEB)")
    } else {
        let list: Vec<&str> = cx.s.allowed_algs().iter().map(|a| a.name()).collect();
        format!("alg {alg} is not allowed (allowed: {})", list.join(", "))
    };
    out.push(&T1, Code::Alg, "header.alg", message, fix());
}

fn t11(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    let Some(crit) = cx.header.member("crit") else {
        return;
    };
    let fix = Some("mint without a crit header (uvtool mint never writes one)".to_string());
    let message = match crit {
        Value::Array(items) if items.is_empty() => {
            "header crit is an empty array (RFC 7515 forbids it)".to_string()
        }
        Value::Array(items) => {
            let names: Vec<String> = items
                .iter()
                .map(|i| match i {
                    Value::String(s) => format!("{s:?}"),
                    other => other.to_string(),
                })
                .collect();
            format!(
                "header crit lists extension(s) {} that uvtool does not understand, so the token is refused",
                names.join(", ")
            )
        }
        _ => "header crit is not an array".to_string(),
    };
    out.push(&T11, Code::Crit, "header.crit", message, fix);
}

fn listed(keys: &[Key]) -> String {
    if keys.is_empty() {
        return "no keys".into();
    }
    keys.iter()
        .map(|k| match &k.kid {
            Some(k) => format!("{k:?}"),
            None => format!("(no kid: {})", k.origin),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A key of the set that verifies the signature, whatever its kid: the
/// "you minted with the wrong kid" hint.
fn verifying_key<'k>(cx: &Ctx<'_>, keys: &'k [Key]) -> Option<&'k Key> {
    let alg = cx.alg?;
    keys.iter()
        .find(|k| k.verify(alg, cx.signing_input, cx.signature))
}

fn t2(cx: &mut Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    let kid = match cx.header.member("kid") {
        None => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => {
            out.push(
                &T2,
                Code::Kid,
                "header.kid",
                "header kid is not a string".into(),
                Some("mint with `--kid KID`, the kid of the registered JWK".into()),
            );
            None
        }
    };
    let Some(keys) = cx.keys else {
        if kid.is_none() && cx.s.profile == Profile::Platform && !cx.header.has("kid") {
            out.push(
                &T2,
                Code::Kid,
                "header.kid",
                "the token has no kid; the platform selects the key by kid (tool)".into(),
                Some("mint with `--kid KID`, the kid of the registered JWK".into()),
            );
        }
        return;
    };
    // Under the rfc profile a key not meant for signatures is skipped, as
    // every JOSE library does; under the platform's it is selected and
    // refused by K11.
    let eligible: Vec<&Key> = keys
        .iter()
        .filter(|k| cx.s.profile == Profile::Platform || k.for_signatures())
        .collect();
    match kid {
        Some(kid) => {
            let mut found: Vec<&Key> = eligible
                .iter()
                .copied()
                .filter(|k| k.kid.as_deref() == Some(kid))
                .collect();
            if found.len() > 1 {
                // The platform picks the key by kid; which of two it would
                // take is unknown, so under its profile the safer answer is
                // a refusal (K12). A plain RFC verifier tries each.
                out.out.push(
                    &super::keys::K12,
                    out.file,
                    "header.kid",
                    format!(
                        "kid {kid:?} names {} keys in {} ({}); the platform picks the key by kid (tool), and which one it would take is unknown",
                        found.len(),
                        cx.source,
                        found
                            .iter()
                            .map(|k| k.origin.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    Some("give each key its own kid: `uvtool jwk --cert cert.pem --kid NEW-KID`, and mint with it".into()),
                );
                if let Some(f) = out.out.list.last_mut().filter(|f| f.rule == "K12") {
                    f.code = Some(Code::Key);
                }
            }
            if found.is_empty() {
                // Keys given directly carry no kid: they are tried for any kid.
                found = eligible
                    .iter()
                    .copied()
                    .filter(|k| k.kid.is_none())
                    .collect();
            }
            if found.is_empty() {
                let skipped = keys
                    .iter()
                    .find(|k| k.kid.as_deref() == Some(kid) && !k.for_signatures());
                let message = match skipped {
                    Some(k) => format!(
                        "kid {kid:?} names {}, whose \"use\" is {:?}: not a signing key",
                        k.label(),
                        k.use_.as_deref().unwrap_or_default()
                    ),
                    None => format!(
                        "kid {kid:?} is not in {} (it has: {})",
                        cx.source,
                        listed(keys)
                    ),
                };
                let fix = match verifying_key(cx, keys).and_then(|k| k.kid.as_deref()) {
                    Some(right) => format!(
                        "the signature verifies with the key whose kid is {right:?}: mint with `--kid {right}`"
                    ),
                    None => "mint with the kid of a key in the set (`--kid KID`), or add the key to the set with `uvtool jwks --set jwks.json --add jwk.json`".into(),
                };
                out.push(&T2, Code::Kid, "header.kid", message, Some(fix));
            }
            cx.candidates = found;
        }
        None => {
            let header_has_kid = cx.header.has("kid");
            if cx.s.profile == Profile::Platform && !header_has_kid {
                let fix = match verifying_key(cx, keys).and_then(|k| k.kid.as_deref()) {
                    Some(right) => format!("mint with `--kid {right}`"),
                    None => "mint with `--kid KID`, the kid of the registered JWK".into(),
                };
                out.push(
                    &T2,
                    Code::Kid,
                    "header.kid",
                    "the token has no kid; the platform selects the key by kid (tool)".into(),
                    Some(fix),
                );
            } else if eligible.is_empty() {
                out.push(
                    &T2,
                    Code::Kid,
                    "header.kid",
                    format!(
                        "{} holds no key for signatures (it has: {}; a key whose \"use\" is not \"sig\" is skipped)",
                        cx.source,
                        listed(keys)
                    ),
                    Some("give the signing key's JWK or JWKS (`uvtool jwk --cert cert.pem`)".into()),
                );
            } else if eligible.len() > 1 && !header_has_kid {
                out.push(
                    &T2,
                    Code::Kid,
                    "header.kid",
                    format!(
                        "the token has no kid and {} has {} keys ({}); the key is ambiguous",
                        cx.source,
                        eligible.len(),
                        listed(keys)
                    ),
                    Some("mint with `--kid KID`".into()),
                );
            }
            cx.candidates = eligible;
        }
    }
}

/// Find the candidate that verifies the signature (no finding: T10 and T7
/// report what went wrong).
fn select(cx: &mut Ctx<'_>) {
    let Some(alg) = cx.alg else { return };
    let found = cx
        .alg_compatible()
        .find(|k| k.verify(alg, cx.signing_input, cx.signature));
    cx.verified = found;
}

/// The key rules' errors and warnings of the selected key: under the
/// platform profile a token is only as good as the key it was checked with.
fn key_rules(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    let selected = cx.verified.or(match cx.candidates.as_slice() {
        [only] => Some(*only),
        _ => None,
    });
    let Some(key) = selected else { return };
    for f in &key.findings {
        let Some(max) = super::rule(f.rule).and_then(|r| r.level(cx.s.profile)) else {
            continue;
        };
        // An upload-only finding (K7's last 10 days) says why the Setup
        // form refuses the key; no source says the platform refuses the
        // tokens of a key already registered then, so it warns here.
        let level = if f.upload_only {
            Level::Warning
        } else {
            f.level.min(max)
        };
        let mut message = if f.path.is_empty() || key.origin.ends_with(&f.path) {
            format!("{}: {}", key.label(), f.message)
        } else {
            format!("{} ({}): {}", key.label(), f.path, f.message)
        };
        if f.upload_only {
            message.push_str(
                "; no source says the platform refuses tokens of a key already registered then",
            );
        }
        out.out.list.push(Finding {
            level,
            rule: f.rule,
            code: (level == Level::Error).then_some(Code::Key),
            file: out.file.to_string(),
            path: String::new(),
            message,
            fix: f.fix.clone(),
            upload_only: false,
        });
    }
}

/// Keys of the set other than the token's that break an error-level rule
/// or cannot be used: ignored for the verdict (RFC 7517 §5), named in one
/// warning (E2; whether the platform refuses the whole set is unknown).
fn ignored_keys(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    const NAMED: usize = 3;
    let Some(keys) = cx.keys else { return };
    let mut named = Vec::new();
    let mut count = 0usize;
    for k in keys {
        if cx.candidates.iter().any(|c| std::ptr::eq(*c, k)) {
            continue;
        }
        let why = match &k.unusable {
            Some(u) => Some(format!("cannot be used: {u}")),
            None => k
                .findings
                .iter()
                .find(|f| {
                    !f.upload_only
                        && f.level == Level::Error
                        && super::rule(f.rule).and_then(|r| r.level(cx.s.profile))
                            == Some(Level::Error)
                })
                .map(|f| format!("{} ({})", f.message, f.rule)),
        };
        let Some(why) = why else { continue };
        count += 1;
        if named.len() < NAMED {
            named.push(format!("{}: {why}", k.label()));
        }
    }
    if count == 0 {
        return;
    }
    let mut message = format!(
        "{count} other key{} in {} ignored (RFC 7517 §5: keys a verifier cannot use are ignored; whether the platform refuses the whole set instead is unknown): {}",
        if count == 1 { "" } else { "s" },
        cx.source,
        named.join("; ")
    );
    if count > named.len() {
        message.push_str(&format!("; and {} more", count - named.len()));
    }
    // A warning under either profile: RFC 7517 §5 is a rule of both.
    out.out.list.push(Finding {
        level: Level::Warning,
        rule: super::endpoint::E2.id,
        code: None,
        file: out.file.to_string(),
        path: String::new(),
        message,
        fix: Some("`uvtool check` on the key set lists every finding".into()),
        upload_only: false,
    });
}

fn t10(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    let Some(alg) = cx.alg else { return };
    if cx.candidates.is_empty() || cx.alg_compatible().next().is_some() {
        return;
    }
    let k = cx.candidates[0];
    let kalg = k.alg.as_deref().unwrap_or("?");
    out.push(
        &T10,
        Code::KeyAlg,
        "header.alg",
        format!(
            "{} is for {kalg} (its JWK \"alg\"), but the token is signed with {alg}",
            k.label()
        ),
        Some(format!(
            "mint with `--alg {kalg}`, or re-export the key with `uvtool jwk --cert cert.pem --alg {alg}`"
        )),
    );
}

fn t7(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    if cx.alg.is_none() || cx.verified.is_some() {
        return;
    }
    let mut usable = cx.alg_compatible();
    let Some(first) = usable.next() else {
        return; // T2 or T10 said why no key could be tried
    };
    let others = usable.count();
    // No candidate can verify anything: the signature was never checked,
    // so say why rather than "does not verify".
    if cx.alg_compatible().all(|k| k.public.is_none()) {
        let why = cx
            .alg_compatible()
            .map(|k| {
                format!(
                    "{} cannot be used: {}",
                    k.label(),
                    k.unusable.as_deref().unwrap_or("no public key")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        out.push(
            &T7,
            Code::Signature,
            "signature",
            format!("signature not verified: {why}"),
            Some("register a usable RSA key for this kid: `uvtool check` on the key set names what is wrong".into()),
        );
        return;
    }
    let who = if others == 0 {
        first.label()
    } else {
        format!("any of {} keys", others + 1)
    };
    // A signature shorter than every key's modulus was cut while copied.
    let shortest = cx
        .alg_compatible()
        .filter_map(|k| k.public.as_ref().map(|p| p.n.len()))
        .min();
    if let Some(n) = shortest.filter(|n| !cx.signature.is_empty() && cx.signature.len() < *n) {
        out.push(
            &T7,
            Code::Signature,
            "signature",
            format!(
                "signature does not verify with {who}: it is {} bytes, the key's signatures are {n}; the token looks truncated",
                cx.signature.len()
            ),
            Some("copy the whole token (header.payload.signature): its end is missing".into()),
        );
        return;
    }
    out.push(
        &T7,
        Code::Signature,
        "signature",
        format!("signature does not verify with {who} (signed by another key, or the token was altered)"),
        Some(format!("mint with the private key of this JWK/JWKS: `{MINT} --kid KID`")),
    );
}

/// Why a NumericDate claim is unusable (T14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    /// Not a JSON number.
    NotNumber,
    /// A number outside 1970–9999; `millis` when it reads as milliseconds.
    OutOfRange { shown: String, millis: Option<i64> },
}

/// Read a NumericDate: seconds, fractions floored, within 1970–9999. Values
/// outside are refused: readers disagree on them (overflow, saturation,
/// clamping), so no verdict would be reliable.
pub fn numeric_date(v: &Value) -> Result<i64, DateProblem> {
    let Value::Number(n) = v else {
        return Err(DateProblem::NotNumber);
    };
    let t = n.as_i64().or_else(|| {
        n.as_f64()
            .map(|f| f.floor())
            .filter(|f| f.abs() < 9.2e18)
            .map(|f| f as i64)
    });
    match t {
        Some(t) if (0..=MAX_TIME).contains(&t) => Ok(t),
        _ => {
            let millis = t
                .map(|t| t / 1000)
                .filter(|s| t.is_some_and(|t| t > MAX_TIME) && (0..=MAX_TIME).contains(s));
            Err(DateProblem::OutOfRange {
                shown: n.to_string(),
                millis,
            })
        }
    }
}

const TIME_CLAIMS: [(&str, Code); 3] = [("exp", Code::Exp), ("nbf", Code::Nbf), ("iat", Code::Iat)];

/// T14; returns the claims it refused, which T5, T15 and T13 then skip.
fn t14(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) -> Vec<&'static str> {
    let mut bad = Vec::new();
    for (name, code) in TIME_CLAIMS {
        let Some(v) = cx.claims.member(name) else {
            continue;
        };
        let Err(p) = numeric_date(v) else { continue };
        bad.push(name);
        // An exp that is not a number is T5's ("exp present, a number of
        // seconds"; the web client refuses a string exp): t5 says so.
        if name == "exp" && p == DateProblem::NotNumber {
            continue;
        }
        let message = match p {
            DateProblem::NotNumber => {
                format!("{name} is not a number (NumericDate: unix seconds)")
            }
            DateProblem::OutOfRange { shown, millis } => {
                let hint = millis
                    .and_then(clock::format_utc)
                    .map(|d| format!("; milliseconds? as seconds it would be {d}"))
                    .unwrap_or_default();
                format!(
                    "{name} {shown} is outside the years 1970 to 9999 (NumericDate: unix seconds){hint}"
                )
            }
        };
        out.push(
            &T14,
            code,
            &format!("claims.{name}"),
            message,
            Some("write NumericDates as whole seconds since 1970 (uvtool mint does)".into()),
        );
    }
    bad
}

fn utc(t: i64) -> String {
    clock::format_utc(t).unwrap_or_else(|| t.to_string())
}

fn time_claim(cx: &Ctx<'_>, name: &str, bad: &[&str]) -> Option<i64> {
    if bad.contains(&name) {
        return None;
    }
    cx.claims.member(name).and_then(|v| numeric_date(v).ok())
}

fn t5(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>, bad: &[&str]) {
    let fix = || Some(format!("mint a fresh token: `{MINT} --ttl 10m`"));
    if !cx.claims.has("exp") {
        if cx.s.profile == Profile::Rfc && cx.s.allow_no_exp {
            return;
        }
        let message = match cx.s.profile {
            Profile::Platform => {
                "no exp claim: the web client refuses a token without exp, and tokens must expire"
            }
            Profile::Rfc => "no exp claim: tokens must expire",
        };
        out.push(&T5, Code::Exp, "claims.exp", message.into(), fix());
        return;
    }
    if cx
        .claims
        .member("exp")
        .is_some_and(|v| numeric_date(v) == Err(DateProblem::NotNumber))
    {
        let message = match cx.s.profile {
            Profile::Platform => "exp is not a number (NumericDate: unix seconds; RFC 7519); the web client refuses a token whose exp is a string (client)",
            Profile::Rfc => "exp is not a number (NumericDate: unix seconds; RFC 7519)",
        };
        out.push(&T5, Code::Exp, "claims.exp", message.into(), fix());
        return;
    }
    let Some(exp) = time_claim(cx, "exp", bad) else {
        return;
    };
    let now = cx.s.now;
    if now >= exp.saturating_add(cx.s.leeway_secs()) {
        out.push(
            &T5,
            Code::Exp,
            "claims.exp",
            if exp == now {
                // RFC 7519 §4.1.4: valid only *before* exp.
                format!(
                    "expired: exp is this second (exp {}, leeway {}s; a token is valid only before exp)",
                    utc(exp),
                    cx.s.leeway
                )
            } else {
                format!(
                    "expired {} (exp {}, leeway {}s)",
                    clock::relative(exp, now),
                    utc(exp),
                    cx.s.leeway
                )
            },
            fix(),
        );
    }
}

fn t15(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>, bad: &[&str]) {
    let Some(nbf) = time_claim(cx, "nbf", bad) else {
        return;
    };
    let now = cx.s.now;
    if nbf > now.saturating_add(cx.s.leeway_secs()) {
        out.push(
            &T15,
            Code::Nbf,
            "claims.nbf",
            format!(
                "not valid yet: nbf is {} ({}, leeway {}s)",
                utc(nbf),
                clock::relative(nbf, now),
                cx.s.leeway
            ),
            Some(format!(
                "mint without --nbf, or with an nbf that has passed: `{MINT}`"
            )),
        );
    }
}

fn t13(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>, bad: &[&str]) {
    let Some(iat) = time_claim(cx, "iat", bad) else {
        return;
    };
    let now = cx.s.now;
    if iat > now.saturating_add(cx.s.leeway_secs()) {
        out.push(
            &T13,
            Code::Iat,
            "claims.iat",
            format!(
                "iat is in the future: {} ({}, leeway {}s); the issuer's clock is ahead",
                utc(iat),
                clock::relative(iat, now),
                cx.s.leeway
            ),
            Some("set the minting machine's clock right (NTP); uvtool mint sets iat to now".into()),
        );
    }
}

fn t4(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    let want = cx.s.iss.as_deref();
    let fix = |iss: &str| Some(format!("mint with `--iss {iss}`, exactly as registered"));
    let platform = cx.s.profile == Profile::Platform;
    match cx.claims.member("iss") {
        None if platform || want.is_some() => {
            let expected = want
                .map(|w| format!(" (expected {w:?})"))
                .unwrap_or_default();
            out.push(
                &T4,
                Code::Iss,
                "claims.iss",
                format!("no iss claim{expected}: the platform matches it with the issuer registered with the keyset (SU)"),
                fix(want.unwrap_or("ISSUER")),
            );
        }
        None => {}
        Some(Value::String(got)) => {
            let Some(want) = want else { return };
            if got == want {
                return;
            }
            let hint = if got.trim_end_matches('/') == want.trim_end_matches('/') {
                " (a trailing slash is a mismatch: the issuer is compared exactly)"
            } else if got.eq_ignore_ascii_case(want) {
                " (only the letter case differs: the issuer is case-sensitive)"
            } else {
                ""
            };
            out.push(
                &T4,
                Code::Iss,
                "claims.iss",
                format!("iss is {got:?}, expected {want:?}{hint}"),
                fix(want),
            );
        }
        Some(_) if platform || want.is_some() => out.push(
            &T4,
            Code::Iss,
            "claims.iss",
            "iss is not a string".into(),
            fix(want.unwrap_or("ISSUER")),
        ),
        Some(_) => {}
    }
}

fn t3(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    let message = match cx.claims.member("sub") {
        None => "no sub claim: the platform stores the verified user under it (seed: the key \"might be\" v2/iamessage/AUTH/{auth_id_info}/uid:{sub})".to_string(),
        Some(Value::String(s)) if s.is_empty() => "sub is empty: the platform stores the verified user under it (seed)".to_string(),
        Some(Value::String(_)) => return,
        Some(v) => format!("sub is {v}, not a string"),
    };
    out.push(
        &T3,
        Code::Sub,
        "claims.sub",
        message,
        Some("mint with `--sub USER_ID` (your user's stable id)".into()),
    );
}

fn quoted_list(v: &[String]) -> String {
    let q: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
    if q.len() == 1 {
        q[0].clone()
    } else {
        format!("one of {}", q.join(", "))
    }
}

fn a1(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    let want = &cx.s.aud;
    if want.is_empty() {
        return;
    }
    let fix = || Some(format!("mint with `--aud {}`", want[0]));
    let got: Vec<&str> = match cx.claims.member("aud") {
        None => {
            out.push(
                &A1,
                Code::Aud,
                "claims.aud",
                format!("no aud claim (expected {})", quoted_list(want)),
                fix(),
            );
            return;
        }
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => {
            a.iter().filter_map(Value::as_str).collect()
        }
        Some(_) => {
            out.push(
                &A1,
                Code::Aud,
                "claims.aud",
                "aud is neither a string nor an array of strings".into(),
                fix(),
            );
            return;
        }
    };
    if got.iter().any(|g| want.iter().any(|w| w == g)) {
        return;
    }
    let shown = if got.len() == 1 {
        format!("{:?}", got[0])
    } else {
        format!("{got:?}")
    };
    out.push(
        &A1,
        Code::Aud,
        "claims.aud",
        format!("aud {shown} does not include {}", quoted_list(want)),
        fix(),
    );
}

fn a2(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    let Some(want) = &cx.s.sub else { return };
    let message = match cx.claims.member("sub") {
        None => format!("no sub claim (expected {want:?})"),
        Some(Value::String(got)) if got == want => return,
        Some(Value::String(got)) => format!("sub is {got:?}, expected {want:?}"),
        Some(_) => "sub is not a string".to_string(),
    };
    out.push(
        &A2,
        Code::Sub,
        "claims.sub",
        message,
        Some(format!("mint with `--sub {want}`")),
    );
}

fn a3(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    for r in &cx.s.require {
        if !cx.claims.has(r) {
            out.push(
                &A3,
                Code::Require,
                &format!("claims.{r}"),
                format!("required claim {r:?} is missing"),
                Some(format!("mint with `--claim {r}=VALUE`")),
            );
        }
    }
}

fn t6(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    let (Some(exp), Some(iat)) = (
        cx.claims.member("exp").and_then(|v| numeric_date(v).ok()),
        cx.claims.member("iat").and_then(|v| numeric_date(v).ok()),
    ) else {
        return;
    };
    let life = exp.saturating_sub(iat);
    if life > 86400 {
        out.warn(
            &T6,
            "claims.exp",
            format!(
                "lifetime is {} (exp − iat); a leaked token stays usable that long: keep it under a day and mint fresh ones",
                clock::human_span(life.unsigned_abs())
            ),
            Some(format!("mint with `{MINT} --ttl 1h`")),
        );
    }
}

fn t8(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    let Some(sub) = cx.claims.member("sub").and_then(Value::as_str) else {
        return;
    };
    if sub.is_empty() {
        return; // T3
    }
    if let Some(p) = crate::platform::sub_problem(sub) {
        out.warn(
            &T8,
            "claims.sub",
            format!("sub {sub:?} {p}; the platform key v2/iamessage/AUTH/{{auth_id_info}}/uid:{{sub}} becomes ambiguous (assumption)"),
            Some("use a plain, stable user id as `--sub` (letters, digits, - _ . @ :)".into()),
        );
    }
}

fn t9(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    if let Some(aud) = cx.claims.member("aud") {
        out.warn(
            &T9,
            "claims.aud",
            format!("aud is {aud}: allowed; the keyset has no audience setting, so the platform is not known to check it (field reports disagree)"),
            None,
        );
    }
}

fn t12(cx: &Ctx<'_>, out: &mut TokenOut<'_, '_>) {
    match cx.header.member("typ") {
        None => {}
        Some(Value::String(t)) if t == "JWT" => {}
        Some(v) => out.warn(
            &T12,
            "header.typ",
            format!("typ is {v}, not \"JWT\": the official tool's library (nimbus) accepts only JWT or none; assumed the platform does too"),
            Some("mint with `--typ JWT` (the default) or without typ".into()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_dates() {
        assert_eq!(numeric_date(&Value::from(0)), Ok(0));
        assert_eq!(numeric_date(&Value::from(1.9)), Ok(1));
        assert_eq!(numeric_date(&Value::from(MAX_TIME)), Ok(MAX_TIME));
        assert!(numeric_date(&Value::from(MAX_TIME + 1)).is_err());
        assert!(numeric_date(&Value::from(-1)).is_err());
        assert!(numeric_date(&Value::from(-0.5)).is_err());
        assert_eq!(numeric_date(&Value::from("1")), Err(DateProblem::NotNumber));
        for v in [
            Value::from(1e30),
            Value::from(-1e300),
            Value::from(u64::MAX),
            Value::from(i64::MIN),
        ] {
            assert!(
                matches!(
                    numeric_date(&v),
                    Err(DateProblem::OutOfRange { millis: None, .. })
                ),
                "{v}"
            );
        }
        match numeric_date(&Value::from(1_800_000_000_000i64)) {
            Err(DateProblem::OutOfRange {
                millis: Some(s), ..
            }) => assert_eq!(s, 1_800_000_000),
            other => panic!("{other:?}"),
        }
    }

    use crate::token::Signer;
    use serde_json::json;

    const NOW: i64 = 2_000_000_000;

    fn a2() -> Value {
        serde_json::from_str(include_str!("../../fixtures/vectors/rfc7515-a2-rs256.json")).unwrap()
    }

    fn a2_key(kid: Option<&str>) -> Key {
        let public = crate::keys::load_public(
            a2()["public_key_spki_pem"].as_str().unwrap().as_bytes(),
            "a2",
        )
        .unwrap();
        Key::new(kid.map(str::to_string), None, public, "jwks.json")
    }

    fn other_key(kid: &str) -> Key {
        let public =
            crate::keys::load_public(include_bytes!("../../fixtures/keys/b/public.pem"), "b")
                .unwrap();
        Key::new(Some(kid.into()), None, public, "jwks.json")
    }

    /// A token signed by the a2 key with `kid` "k" and these claims.
    fn signed(claims: Value) -> String {
        let key = crate::keys::load_private(
            a2()["private_key_pkcs8_pem"].as_str().unwrap().as_bytes(),
            "a2",
        )
        .unwrap();
        let Value::Object(c) = claims else { panic!() };
        Signer::new(key, Alg::RS256, Signer::header(Alg::RS256, Some("k"), None))
            .sign_claims(&c)
            .unwrap()
    }

    /// Good claims at [`NOW`] with `extra` merged in.
    fn claims(extra: Value) -> Value {
        let mut c = json!({"sub": "u", "iss": "https://me", "iat": NOW, "exp": NOW + 600});
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        c
    }

    fn settings(profile: Profile) -> Settings {
        Settings {
            profile,
            now: NOW,
            ..Default::default()
        }
    }

    fn eval(token: &str, s: &Settings) -> Verdict {
        evaluate(token, "t.jwt", Some(&[a2_key(Some("k"))]), "jwks.json", s)
    }

    fn codes(v: &Verdict) -> Vec<(&'static str, Level)> {
        v.findings.iter().map(|f| (f.rule, f.level)).collect()
    }

    #[test]
    fn time_rules_at_the_leeway_boundary() {
        for profile in [Profile::Platform, Profile::Rfc] {
            let s = settings(profile);
            let ok = |extra: Value| {
                let v = eval(&signed(claims(extra.clone())), &s);
                assert!(v.is_valid(), "{extra} {profile:?}: {:?}", v.failure());
                v
            };
            let bad = |extra: Value, code: Code| {
                let v = eval(&signed(claims(extra.clone())), &s);
                assert_eq!(
                    v.code(),
                    Some(code),
                    "{extra} {profile:?}: {:?}",
                    v.failure()
                );
                v
            };
            // exp: valid while now < exp + leeway.
            ok(json!({"exp": NOW - 59, "iat": NOW - 100}));
            let v = bad(json!({"exp": NOW - 60, "iat": NOW - 100}), Code::Exp);
            assert_eq!(
                v.failure().unwrap().message,
                "expired 1m ago (exp 2033-05-18T03:32:20Z, leeway 60s)"
            );
            // nbf: valid while nbf <= now + leeway.
            ok(json!({"nbf": NOW + 60}));
            let v = bad(json!({"nbf": NOW + 61}), Code::Nbf);
            assert_eq!(
                v.failure().unwrap().message,
                "not valid yet: nbf is 2033-05-18T03:34:21Z (in 1m, leeway 60s)"
            );
            // iat: at the boundary nothing; past it an error (rfc) or a
            // warning (platform).
            let v = ok(json!({"iat": NOW + 60}));
            assert!(
                v.findings.iter().all(|f| f.rule != "T13"),
                "{:?}",
                codes(&v)
            );
            let v = eval(&signed(claims(json!({"iat": NOW + 61}))), &s);
            let t13 = v.findings.iter().find(|f| f.rule == "T13").expect("T13");
            assert!(
                t13.message
                    .starts_with("iat is in the future: 2033-05-18T03:34:21Z (in 1m, leeway 60s)"),
                "{}",
                t13.message
            );
            match profile {
                Profile::Rfc => assert_eq!(v.code(), Some(Code::Iat)),
                Profile::Platform => {
                    assert!(v.is_valid());
                    assert_eq!(t13.level, Level::Warning);
                    assert_eq!(v.warnings().count(), 1);
                }
            }
        }
    }

    #[test]
    fn hmac_and_none_are_named() {
        let body = crate::b64::url_encode(claims(json!({})).to_string().as_bytes());
        let s = settings(Profile::Rfc);
        let msg = |alg: &str| {
            let h = crate::b64::url_encode(json!({"alg": alg, "kid": "k"}).to_string().as_bytes());
            let v = eval(&format!("{h}.{body}.c2ln"), &s);
            assert_eq!(v.code(), Some(Code::Alg), "{alg}");
            v.failure().unwrap().message.clone()
        };
        assert!(msg("HS256").starts_with("alg HS256 is refused: HMAC tokens"));
        assert!(msg("hs512").starts_with("alg hs512 is refused: HMAC tokens"));
        assert!(msg("HSX").starts_with("alg HSX is refused: HMAC tokens"));
        // Two letters alone are an unknown name, not an HMAC algorithm.
        assert!(
            msg("HS").starts_with("alg \"HS\" is not supported (RSA algorithms only: "),
            "{}",
            msg("HS")
        );
        assert!(msg("H").starts_with("alg \"H\" is not supported"));
        assert!(msg("NoNe").starts_with("alg \"NoNe\" is refused: unsigned tokens"));
    }

    #[test]
    fn aud_must_be_strings_and_include_one_asked_for() {
        let mut s = settings(Profile::Platform);
        s.aud = vec!["a".into()];
        let check = |s: &Settings, aud: Value| {
            let v = eval(&signed(claims(json!({ "aud": aud }))), s);
            v.failure().map(|f| (f.rule, f.message.clone()))
        };
        assert_eq!(check(&s, json!("a")), None);
        assert_eq!(check(&s, json!(["b", "a"])), None);
        let neither = Some((
            "A1",
            "aud is neither a string nor an array of strings".to_string(),
        ));
        assert_eq!(check(&s, json!([1, "a"])), neither);
        assert_eq!(check(&s, json!(7)), neither);
        assert_eq!(
            check(&s, json!("b")),
            Some(("A1", "aud \"b\" does not include \"a\"".into()))
        );
        assert_eq!(
            check(&s, json!(["b"])),
            Some(("A1", "aud \"b\" does not include \"a\"".into()))
        );
        s.aud.push("x".into());
        assert_eq!(
            check(&s, json!(["b", "c"])),
            Some((
                "A1",
                "aud [\"b\", \"c\"] does not include one of \"a\", \"x\"".into()
            ))
        );
        // Without --aud, any aud is only noted (T9, info).
        s.aud.clear();
        let v = eval(&signed(claims(json!({"aud": [1]}))), &s);
        assert!(v.is_valid());
        assert_eq!(codes(&v), [("T9", Level::Info)]);
        assert_eq!(v.warnings().count(), 0);
    }

    #[test]
    fn lifetime_warning_from_one_day_and_a_second() {
        let s = settings(Profile::Platform);
        let v = eval(&signed(claims(json!({"iat": NOW, "exp": NOW + 86400}))), &s);
        assert!(v.findings.is_empty(), "{:?}", codes(&v));
        let v = eval(&signed(claims(json!({"iat": NOW, "exp": NOW + 86401}))), &s);
        assert_eq!(codes(&v), [("T6", Level::Warning)]);
        assert!(
            v.findings[0].message.starts_with("lifetime is 1d "),
            "{}",
            v.findings[0].message
        );
        assert_eq!(v.sub(), Some("u"));
    }

    #[test]
    fn milliseconds_are_named_and_small_negatives_are_not() {
        assert_eq!(
            numeric_date(&Value::from(-5)),
            Err(DateProblem::OutOfRange {
                shown: "-5".into(),
                millis: None
            })
        );
        assert_eq!(
            numeric_date(&Value::from(-999.5)),
            Err(DateProblem::OutOfRange {
                shown: "-999.5".into(),
                millis: None
            })
        );
        // The largest float below the cut-off is still a number of seconds
        // (out of range), not a panic or a wrap.
        assert!(numeric_date(&Value::from(9.1e18)).is_err());
        assert!(numeric_date(&Value::from(-0.0)).is_ok());
        let v = eval(
            &signed(claims(json!({"exp": 1_800_000_600_000i64}))),
            &settings(Profile::Platform),
        );
        let f = v.failure().unwrap();
        assert_eq!((f.rule, f.code), ("T14", Some(Code::Exp)));
        assert!(
            f.message
                .ends_with("; milliseconds? as seconds it would be 2027-01-15T08:10:00Z"),
            "{}",
            f.message
        );
    }

    #[test]
    fn kid_and_signature_messages() {
        let s = settings(Profile::Rfc);
        let no_kid = {
            let key = crate::keys::load_private(
                a2()["private_key_pkcs8_pem"].as_str().unwrap().as_bytes(),
                "a2",
            )
            .unwrap();
            let Value::Object(c) = claims(json!({})) else {
                panic!()
            };
            Signer::new(key, Alg::RS256, Signer::header(Alg::RS256, None, None))
                .sign_claims(&c)
                .unwrap()
        };
        // rfc: no kid is fine with one key, ambiguous with two.
        let one = [a2_key(None)];
        assert!(evaluate(&no_kid, "t", Some(&one), "jwks.json", &s).is_valid());
        let two = [a2_key(Some("x")), other_key("y")];
        let v = evaluate(&no_kid, "t", Some(&two), "jwks.json", &s);
        assert_eq!(
            v.failure().unwrap().message,
            "the token has no kid and jwks.json has 2 keys (\"x\", \"y\"); the key is ambiguous"
        );
        // Two keys without kid, neither verifying.
        let two = [other_key("y"), other_key("z")];
        let mut two = two;
        two.iter_mut().for_each(|k| k.kid = None);
        let v = evaluate(&signed(claims(json!({}))), "t", Some(&two), "keys", &s);
        assert_eq!(
            v.failure().unwrap().message,
            "signature does not verify with any of 2 keys (signed by another key, or the token was altered)"
        );
        let v = evaluate(&signed(claims(json!({}))), "t", Some(&two[..1]), "keys", &s);
        assert_eq!(
            v.failure().unwrap().message,
            "signature does not verify with the key from jwks.json (signed by another key, or the token was altered)"
        );
        // The platform profile without a registered issuer notes it.
        let v = eval(&signed(claims(json!({}))), &settings(Profile::Platform));
        assert!(v.is_valid());
        assert!(
            v.notes.iter().any(|n| n.contains("iss not compared")),
            "{:?}",
            v.notes
        );
        let mut p = settings(Profile::Platform);
        p.iss = Some("https://me".into());
        assert!(eval(&signed(claims(json!({}))), &p).notes.is_empty());
        assert!(eval(&signed(claims(json!({}))), &s).notes.is_empty());
    }

    #[test]
    fn the_verdict_names_the_kid_and_the_key_alg_is_honoured() {
        let s = settings(Profile::Rfc);
        let t = signed(claims(json!({})));
        // No keys: the header's kid.
        let v = evaluate(&t, "t", None, "keys", &s);
        assert_eq!(v.kid.as_deref(), Some("k"));
        assert_eq!(v.key_origin, None);
        // A key given directly (no kid) verifies: still the header's kid.
        let v = evaluate(&t, "t", Some(&[a2_key(None)]), "keys", &s);
        assert!(v.is_valid(), "{:?}", v.failure());
        assert_eq!(v.kid.as_deref(), Some("k"));
        assert_eq!(v.key_origin.as_deref(), Some("jwks.json"));
        // A key whose own alg is the token's verifies; another alg is T10.
        let mut k = a2_key(Some("k"));
        k.alg = Some("RS256".into());
        let v = evaluate(&t, "t", Some(std::slice::from_ref(&k)), "keys", &s);
        assert!(v.is_valid(), "{:?}", v.failure());
        assert_eq!(v.alg, Some(Alg::RS256));
        k.alg = Some("RS512".into());
        let v = evaluate(&t, "t", Some(std::slice::from_ref(&k)), "keys", &s);
        let f = v.failure().unwrap();
        assert_eq!((f.rule, f.code), ("T10", Some(Code::KeyAlg)));
        assert_eq!(
            f.message,
            "key \"k\" from jwks.json is for RS512 (its JWK \"alg\"), but the token is signed with RS256"
        );
    }

    /// A token with this header and good claims (signature not checked:
    /// no keys).
    fn with_header(header: Value) -> String {
        let h = crate::b64::url_encode(header.to_string().as_bytes());
        let c = crate::b64::url_encode(claims(json!({})).to_string().as_bytes());
        format!("{h}.{c}.c2ln")
    }

    fn failure(token: &str, s: &Settings) -> Option<(&'static str, String)> {
        let v = evaluate(token, "t", None, "keys", s);
        v.failure().map(|f| (f.rule, f.message.clone()))
    }

    #[test]
    fn refused_algorithms_say_whose_rule_refuses_them() {
        let t = |alg: &str| with_header(json!({"alg": alg, "kid": "k"}));
        let mut p = settings(Profile::Platform);
        assert_eq!(
            failure(&t("PS256"), &p),
            Some((
                "T1",
                "alg PS256 is not accepted by the platform (RS256 or RS512 only; WEB)".into()
            ))
        );
        assert_eq!(failure(&t("RS512"), &p), None);
        p.algs = vec![Alg::RS256];
        assert_eq!(
            failure(&t("RS512"), &p),
            Some(("T1", "alg RS512 is not allowed (allowed: RS256)".into()))
        );
        let mut r = settings(Profile::Rfc);
        assert_eq!(failure(&t("PS384"), &r), None);
        r.algs = vec![Alg::RS256, Alg::PS256];
        assert_eq!(
            failure(&t("PS384"), &r),
            Some((
                "T1",
                "alg PS384 is not allowed (allowed: RS256, PS256)".into()
            ))
        );
    }

    #[test]
    fn crit_headers_are_refused_and_described() {
        let s = settings(Profile::Rfc);
        let t = |crit: Value| with_header(json!({"alg": "RS256", "kid": "k", "crit": crit}));
        let msg = |crit: Value| {
            failure(&t(crit), &s).map(|(r, m)| {
                assert_eq!(r, "T11");
                m
            })
        };
        assert_eq!(
            msg(json!([])).as_deref(),
            Some("header crit is an empty array (RFC 7515 forbids it)")
        );
        assert_eq!(
            msg(json!(["b64", 7])).as_deref(),
            Some("header crit lists extension(s) \"b64\", 7 that uvtool does not understand, so the token is refused")
        );
        assert_eq!(
            msg(json!("b64")).as_deref(),
            Some("header crit is not an array")
        );
    }

    #[test]
    fn a_wrong_kid_names_the_key_that_verifies() {
        let t = signed(claims(json!({})));
        let keys = [other_key("y"), a2_key(Some("right"))];
        for profile in [Profile::Platform, Profile::Rfc] {
            let v = evaluate(&t, "t", Some(&keys), "jwks.json", &settings(profile));
            let f = v.failure().unwrap();
            assert_eq!((f.rule, f.code), ("T2", Some(Code::Kid)));
            assert_eq!(
                f.message,
                "kid \"k\" is not in jwks.json (it has: \"y\", \"right\")"
            );
            assert_eq!(
                f.fix.as_deref(),
                Some("the signature verifies with the key whose kid is \"right\": mint with `--kid right`")
            );
        }
        // No key verifies: the general advice.
        let v = evaluate(
            &t,
            "t",
            Some(&keys[..1]),
            "jwks.json",
            &settings(Profile::Rfc),
        );
        assert!(v
            .failure()
            .unwrap()
            .fix
            .as_deref()
            .unwrap()
            .starts_with("mint with the kid of a key in the set"));
        // The platform wants a kid even with one key; the fix names the right one.
        let no_kid = with_header(json!({"alg": "RS256"}));
        let v = evaluate(
            &no_kid,
            "t",
            Some(&keys),
            "jwks.json",
            &settings(Profile::Platform),
        );
        let f = v.failure().unwrap();
        assert_eq!(
            f.message,
            "the token has no kid; the platform selects the key by kid (tool)"
        );
        assert_eq!(
            f.fix.as_deref(),
            Some("mint with `--kid KID`, the kid of the registered JWK")
        );
    }

    #[test]
    fn a_token_alone_needs_a_kid_only_under_the_platform_profile() {
        let t2 = |header: Value, profile: Profile| -> Vec<String> {
            evaluate(&with_header(header), "t", None, "keys", &settings(profile))
                .findings
                .into_iter()
                .filter(|f| f.rule == "T2")
                .map(|f| f.message)
                .collect()
        };
        assert!(t2(json!({"alg": "RS256"}), Profile::Rfc).is_empty());
        assert!(t2(json!({"alg": "RS256", "kid": "k"}), Profile::Platform).is_empty());
        assert_eq!(
            t2(json!({"alg": "RS256"}), Profile::Platform),
            ["the token has no kid; the platform selects the key by kid (tool)"]
        );
        for profile in [Profile::Platform, Profile::Rfc] {
            assert_eq!(
                t2(json!({"alg": "RS256", "kid": 7}), profile),
                ["header kid is not a string"]
            );
        }
    }

    #[test]
    fn a_key_not_for_signatures_is_skipped_under_rfc_and_selected_under_platform() {
        let t = signed(claims(json!({})));
        let mut enc = a2_key(Some("k"));
        enc.use_ = Some("enc".into());
        let keys = [enc];
        // Platform: selected (K11, from the key's own findings, refuses it
        // in a real run; this key carries none).
        let v = evaluate(
            &t,
            "t",
            Some(&keys),
            "jwks.json",
            &settings(Profile::Platform),
        );
        assert!(v.is_valid(), "{:?}", v.failure());
        let v = evaluate(&t, "t", Some(&keys), "jwks.json", &settings(Profile::Rfc));
        assert_eq!(
            v.failure().map(|f| f.message.as_str()),
            Some("kid \"k\" names key \"k\" from jwks.json, whose \"use\" is \"enc\": not a signing key")
        );
        // Another kid that is missing is just missing.
        let mut other = other_key("k");
        other.use_ = Some("enc".into());
        let keys = [other, a2_key(Some("z"))];
        let t2 = {
            let key = crate::keys::load_private(
                a2()["private_key_pkcs8_pem"].as_str().unwrap().as_bytes(),
                "a2",
            )
            .unwrap();
            let Value::Object(c) = claims(json!({})) else {
                panic!()
            };
            Signer::new(key, Alg::RS256, Signer::header(Alg::RS256, Some("q"), None))
                .sign_claims(&c)
                .unwrap()
        };
        let v = evaluate(&t2, "t", Some(&keys), "jwks.json", &settings(Profile::Rfc));
        assert_eq!(
            v.failure().map(|f| f.message.as_str()),
            Some("kid \"q\" is not in jwks.json (it has: \"k\", \"z\")")
        );
    }

    #[test]
    fn no_kid_with_keys() {
        let key = || {
            crate::keys::load_private(
                a2()["private_key_pkcs8_pem"].as_str().unwrap().as_bytes(),
                "a2",
            )
            .unwrap()
        };
        let Value::Object(c) = claims(json!({})) else {
            panic!()
        };
        let keys = [other_key("y"), a2_key(Some("right"))];
        let t2 = |token: &str, profile: Profile| -> Vec<(String, Option<String>)> {
            evaluate(token, "t", Some(&keys), "jwks.json", &settings(profile))
                .findings
                .into_iter()
                .filter(|f| f.rule == "T2")
                .map(|f| (f.message, f.fix))
                .collect()
        };
        let no_kid = Signer::new(key(), Alg::RS256, Signer::header(Alg::RS256, None, None))
            .sign_claims(&c)
            .unwrap();
        assert_eq!(
            t2(&no_kid, Profile::Platform),
            [(
                "the token has no kid; the platform selects the key by kid (tool)".to_string(),
                Some("mint with `--kid right`".to_string())
            )]
        );
        // A kid that is not a string is reported once, as that.
        let mut h = Signer::header(Alg::RS256, None, None);
        h.insert("kid".into(), 7.into());
        let odd = Signer::new(key(), Alg::RS256, h).sign_claims(&c).unwrap();
        for profile in [Profile::Platform, Profile::Rfc] {
            let found = t2(&odd, profile);
            assert_eq!(found.len(), 1, "{profile:?}: {found:?}");
            assert_eq!(found[0].0, "header kid is not a string");
        }
    }

    #[test]
    fn the_selected_keys_findings_join_the_verdict() {
        let t = signed(claims(json!({})));
        let finding = |rule: &'static str, level: Level, path: &str| Finding {
            level,
            rule,
            code: None,
            file: "jwks.json".into(),
            path: path.into(),
            message: format!("{rule} says no"),
            fix: Some("fix it".into()),
            upload_only: false,
        };
        let mut k = a2_key(Some("k"));
        k.origin = "jwks.json: keys[0]".into();
        k.findings = vec![
            finding("K15", Level::Warning, "keys[0].x5c[0]"),
            finding("K7", Level::Error, "keys[0]"),
        ];
        let keys = [k];
        let v = evaluate(
            &t,
            "t",
            Some(&keys),
            "jwks.json",
            &settings(Profile::Platform),
        );
        let got: Vec<(&str, Level, Option<Code>, &str)> = v
            .findings
            .iter()
            .map(|f| (f.rule, f.level, f.code, f.message.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "K15",
                    Level::Warning,
                    None,
                    "key \"k\" from jwks.json: keys[0] (keys[0].x5c[0]): K15 says no"
                ),
                (
                    "K7",
                    Level::Error,
                    Some(Code::Key),
                    "key \"k\" from jwks.json: keys[0]: K7 says no"
                ),
            ]
        );
        assert_eq!(v.failure().unwrap().fix.as_deref(), Some("fix it"));
        assert_eq!(v.failure().unwrap().file, "t");
        // Key rules are off under rfc.
        let v = evaluate(&t, "t", Some(&keys), "jwks.json", &settings(Profile::Rfc));
        assert!(v.findings.is_empty(), "{:?}", codes(&v));
        // The one key the kid selects is held to its rules even when the
        // signature does not verify with it; two candidates, none selected:
        // no key rules.
        let mut wrong = other_key("k");
        wrong.findings = vec![finding("K7", Level::Error, "")];
        let keys = [wrong];
        let v = evaluate(
            &t,
            "t",
            Some(&keys),
            "jwks.json",
            &settings(Profile::Platform),
        );
        assert_eq!(codes(&v), [("K7", Level::Error), ("T7", Level::Error)]);
        let mut a = other_key("a");
        a.kid = None;
        a.findings = vec![finding("K7", Level::Error, "")];
        let mut b = other_key("b");
        b.kid = None;
        b.findings = vec![finding("K7", Level::Error, "")];
        let keys = [a, b];
        let v = evaluate(
            &t,
            "t",
            Some(&keys),
            "jwks.json",
            &settings(Profile::Platform),
        );
        assert_eq!(codes(&v), [("T7", Level::Error)]);
    }

    /// Every finding of a token with `claims` (no keys) as (rule, level, message).
    fn all(claims: Value, s: &Settings) -> Vec<(&'static str, Level, String)> {
        let h = crate::b64::url_encode(br#"{"alg":"RS256","kid":"k"}"#);
        let c = crate::b64::url_encode(claims.to_string().as_bytes());
        evaluate(&format!("{h}.{c}.c2ln"), "t", None, "keys", s)
            .findings
            .into_iter()
            .map(|f| (f.rule, f.level, f.message))
            .collect()
    }

    #[test]
    fn claim_rules_say_what_is_wrong() {
        let p = settings(Profile::Platform);
        let r = settings(Profile::Rfc);
        let e = |rule, m: &str| (rule, Level::Error, m.to_string());
        let w = |rule, m: &str| (rule, Level::Warning, m.to_string());
        let base = json!({"sub": "u", "iss": "https://me", "exp": NOW + 600});
        let with = |k: &str, v: Value| {
            let mut c = base.clone();
            if v.is_null() {
                c.as_object_mut().unwrap().remove(k);
            } else {
                c[k] = v;
            }
            c
        };
        // sub (T3 under the platform profile only).
        assert_eq!(all(with("sub", Value::Null), &p), [e("T3", "no sub claim: the platform stores the verified user under it (seed: the key \"might be\" v2/iamessage/AUTH/{auth_id_info}/uid:{sub})")]);
        assert_eq!(
            all(with("sub", json!("")), &p),
            [e(
                "T3",
                "sub is empty: the platform stores the verified user under it (seed)"
            )]
        );
        assert_eq!(
            all(with("sub", json!(5)), &p),
            [e("T3", "sub is 5, not a string")]
        );
        assert!(all(with("sub", Value::Null), &r).is_empty());
        assert_eq!(all(with("sub", json!("a/b")), &p), [w("T8", "sub \"a/b\" contains '/', which splits the path-like platform key; the platform key v2/iamessage/AUTH/{auth_id_info}/uid:{sub} becomes ambiguous (assumption)")]);
        // iss (T4).
        assert_eq!(
            all(with("iss", Value::Null), &p),
            [e(
                "T4",
                "no iss claim: the platform matches it with the issuer registered with the keyset (SU)"
            )]
        );
        assert!(all(with("iss", Value::Null), &r).is_empty());
        assert_eq!(
            all(with("iss", json!(1)), &p),
            [e("T4", "iss is not a string")]
        );
        assert!(all(with("iss", json!(1)), &r).is_empty());
        let mut pi = p.clone();
        pi.iss = Some("https://me/".into());
        assert_eq!(all(base.clone(), &pi), [e("T4", "iss is \"https://me\", expected \"https://me/\" (a trailing slash is a mismatch: the issuer is compared exactly)")]);
        pi.iss = Some("https://ME".into());
        assert_eq!(all(base.clone(), &pi), [e("T4", "iss is \"https://me\", expected \"https://ME\" (only the letter case differs: the issuer is case-sensitive)")]);
        pi.iss = Some("https://other".into());
        assert_eq!(
            all(base.clone(), &pi),
            [e("T4", "iss is \"https://me\", expected \"https://other\"")]
        );
        let mut ri = r.clone();
        ri.iss = Some("x".into());
        assert_eq!(all(with("iss", Value::Null), &ri), [e("T4", "no iss claim (expected \"x\"): the platform matches it with the issuer registered with the keyset (SU)")]);
        assert_eq!(
            all(with("iss", json!(1)), &ri),
            [e("T4", "iss is not a string")]
        );
        // exp (T5).
        assert_eq!(
            all(with("exp", Value::Null), &p),
            [e(
                "T5",
                "no exp claim: the web client refuses a token without exp, and tokens must expire"
            )]
        );
        assert_eq!(
            all(with("exp", Value::Null), &r),
            [e("T5", "no exp claim: tokens must expire")]
        );
        let mut rn = r.clone();
        rn.allow_no_exp = true;
        assert!(all(with("exp", Value::Null), &rn).is_empty());
        let mut pn = p.clone();
        pn.allow_no_exp = true;
        assert_eq!(
            all(with("exp", Value::Null), &pn).len(),
            1,
            "the platform never allows it"
        );
        assert_eq!(
            all(with("exp", json!("soon")), &r),
            [e(
                "T5",
                "exp is not a number (NumericDate: unix seconds; RFC 7519)"
            )]
        );
        // --sub (A2), --require (A3).
        let mut a = r.clone();
        a.sub = Some("v".into());
        assert_eq!(
            all(base.clone(), &a),
            [e("A2", "sub is \"u\", expected \"v\"")]
        );
        assert_eq!(
            all(with("sub", Value::Null), &a),
            [e("A2", "no sub claim (expected \"v\")")]
        );
        assert_eq!(
            all(with("sub", json!(1)), &a),
            [e("A2", "sub is not a string")]
        );
        a.sub = Some("u".into());
        assert!(all(base.clone(), &a).is_empty());
        a.require = vec!["jti".into(), "sub".into(), "nonce".into()];
        assert_eq!(
            all(base.clone(), &a),
            [
                e("A3", "required claim \"jti\" is missing"),
                e("A3", "required claim \"nonce\" is missing")
            ]
        );
        let mut na = r.clone();
        na.aud = vec!["a".into()];
        assert_eq!(
            all(base.clone(), &na)[0],
            e("A1", "no aud claim (expected \"a\")")
        );
    }

    #[test]
    fn header_typ_and_notes() {
        let p = settings(Profile::Platform);
        let t = |h: Value| with_header(h);
        let typ = |h: Value| -> Vec<String> {
            evaluate(&t(h), "t", None, "keys", &p)
                .findings
                .into_iter()
                .filter(|f| f.rule == "T12")
                .map(|f| f.message)
                .collect()
        };
        assert!(typ(json!({"alg": "RS256", "kid": "k", "typ": "JWT"})).is_empty());
        assert!(typ(json!({"alg": "RS256", "kid": "k"})).is_empty());
        assert_eq!(
            typ(json!({"alg": "RS256", "kid": "k", "typ": "at+jwt"})),
            ["typ is \"at+jwt\", not \"JWT\": the official tool's library (nimbus) accepts only JWT or none; assumed the platform does too"]
        );
        let v = evaluate(
            &t(json!({"alg": "RS256", "kid": "k", "jku": "x", "x5c": []})),
            "t.jwt",
            None,
            "keys.json",
            &p,
        );
        assert_eq!(
            v.notes,
            [
                "header \"jku\" ignored: keys come only from the key source you gave (keys.json)",
                "header \"x5c\" ignored: keys come only from the key source you gave (keys.json)",
                "t.jwt: kid lookup (T2), key rules, signature (T7) and key alg (T10) not checked: give the JWK or JWKS too",
                "t.jwt: iss not compared with the registered issuer (T4): give the issuer registered with the keyset",
            ]
        );
        assert_eq!(v.header.as_ref().unwrap()["jku"], "x");
        assert_eq!(v.claims.as_ref().unwrap()["sub"], "u");
        assert_eq!(v.sub(), Some("u"));
        let v = evaluate("not a token", "t.jwt", None, "keys", &p);
        let f = v.failure().unwrap();
        assert_eq!(
            (f.rule, f.code, f.file.as_str()),
            ("T0", Some(Code::Malformed), "t.jwt")
        );
        assert!(f.message.starts_with("malformed token: "), "{}", f.message);
        assert!(v.header.is_none() && v.sub().is_none());
    }

    #[test]
    fn every_token_rule_is_in_the_order() {
        for r in super::super::RULES
            .iter()
            .filter(|r| r.applies == Applies::Token)
        {
            assert!(ORDER.contains(&r.id), "{} missing from ORDER", r.id);
        }
    }
}
