//! The platform's rules (`docs/PLATFORM.md`), written once: each rule is data
//! (a [`Rule`]: id, level under each [`Profile`], summary, sources) plus one
//! function. `verify`'s verdict and `check`'s findings are two views of the
//! same evaluation: a token is valid under a profile exactly when no
//! error-level rule fails ([`Verdict::failure`]). Warnings and info never
//! change a verdict.
//!
//! - [`keys`]: K1–K15, on a JWK, JWKS, certificate or key file;
//! - [`endpoint`]: E1–E5, on a keyset URL and what it answered;
//! - [`tokens`]: T0–T15 and A1–A3, on a token and the keys given with it;
//! - [`P1`]: the configuration name (`{auth_id_info}`) the platform key uses.
//!
//! Under [`Profile::Platform`] (the default) every rule applies at its
//! platform level. Under [`Profile::Rfc`] (a plain RFC 7519/8725
//! verification, for tokens meant for other systems) the platform-only rules
//! are off: any RS*/PS* algorithm, no `sub`/`iss` requirement, no key rules.

pub mod endpoint;
pub mod keys;
pub mod tokens;

use std::sync::OnceLock;

use aws_lc_rs::signature::{ParsedPublicKey, RsaPublicKeyComponents};
use serde::Serialize;

use crate::keys::RsaPublic;
use crate::token::Alg;

pub use tokens::{evaluate, Verdict};

/// Default clock-skew allowance for every time rule, seconds (T5, T13, T15).
pub const DEFAULT_LEEWAY: u64 = 60;

/// Which rules a verdict is computed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// The platform's rules, each with its source (`check --list-rules`,
    /// docs/PLATFORM.md)
    #[default]
    Platform,
    /// A plain RFC 7519/8725 verification (source: RFC): RS*/PS*, no sub/iss
    /// requirement
    Rfc,
}

impl Profile {
    /// `platform` or `rfc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Platform => "platform",
            Profile::Rfc => "rfc",
        }
    }
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// Where a rule comes from (docs/PLATFORM.md's source labels).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// Understanding Token-Based User Verification (Salesforce Help).
    Seed,
    /// Troubleshooting User Verification, "Keys Fail to Upload".
    Ts,
    /// Set Up Token-Based User Verification.
    Su,
    /// User Verification in Enhanced Web Chat, and its event listeners reference.
    Web,
    /// User Verification for iOS / Android.
    App,
    /// The Metadata API reference.
    Meta,
    /// Messaging rate limits and Considerations.
    Limits,
    /// Salesforce's web client code.
    Client,
    /// The official key-command-line-utility's source.
    Tool,
    /// The JOSE/JWT RFCs.
    Rfc,
    /// Public write-ups by people who set it up: unconfirmed.
    Field,
    /// uvtool's own assumption.
    Assumption,
    /// What the user asked for on the command line (not a platform fact).
    Flag,
}

impl Label {
    /// The label as docs/PLATFORM.md writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Seed => "seed",
            Label::Ts => "TS",
            Label::Su => "SU",
            Label::Web => "WEB",
            Label::App => "APP",
            Label::Meta => "meta",
            Label::Limits => "limits",
            Label::Client => "client",
            Label::Tool => "tool",
            Label::Rfc => "RFC",
            Label::Field => "field",
            Label::Assumption => "assumption",
            Label::Flag => "flag",
        }
    }
}

/// One source of a rule: its label and what it says.
#[derive(Debug, Clone, Copy)]
pub struct Source {
    pub label: Label,
    pub detail: &'static str,
}

/// A source, for the rule tables.
pub const fn src(label: Label, detail: &'static str) -> Source {
    Source { label, detail }
}

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    Keys,
    Endpoint,
    Token,
    /// The configuration name (`--auth-id`).
    AuthId,
}

impl Applies {
    pub fn as_str(self) -> &'static str {
        match self {
            Applies::Keys => "keys",
            Applies::Endpoint => "url",
            Applies::Token => "token",
            Applies::AuthId => "auth-id",
        }
    }
}

/// A rule: its id, its level under each profile (`None`: off), a one-line
/// summary and its sources. The function that checks it sits next to it.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub applies: Applies,
    /// Level under the platform profile. Rules that report two levels
    /// (K10, K12) give the higher here and say so in `summary`.
    pub platform: Option<Level>,
    /// Level under the rfc profile.
    pub rfc: Option<Level>,
    pub summary: &'static str,
    pub sources: &'static [Source],
}

impl Rule {
    /// The rule's level under `profile`, or `None` when it is off.
    pub fn level(&self, profile: Profile) -> Option<Level> {
        match profile {
            Profile::Platform => self.platform,
            Profile::Rfc => self.rfc,
        }
    }

    /// `TS ("required properties"); field (...)`.
    pub fn source_text(&self) -> String {
        self.sources
            .iter()
            .map(|s| format!("{} ({})", s.label.as_str(), s.detail))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The rule is a platform statement resting only on field reports or
    /// uvtool's assumption, so its messages must say so.
    pub fn is_unconfirmed(&self) -> bool {
        self.sources
            .iter()
            .all(|s| matches!(s.label, Label::Field | Label::Assumption))
    }
}

/// Every rule, in the order they are listed. Token rules run in
/// [`tokens::ORDER`], which is also the order of a verdict's reasons.
pub static RULES: &[&Rule] = &[
    &keys::K1,
    &keys::K2,
    &keys::K3,
    &keys::K4,
    &keys::K5,
    &keys::K6,
    &keys::K7,
    &keys::K8,
    &keys::K9,
    &keys::K10,
    &keys::K11,
    &keys::K12,
    &keys::K13,
    &keys::K14,
    &keys::K15,
    &endpoint::E1,
    &endpoint::E2,
    &endpoint::E3,
    &endpoint::E4,
    &endpoint::E5,
    &tokens::T0,
    &tokens::T1,
    &tokens::T2,
    &tokens::T3,
    &tokens::T4,
    &tokens::T5,
    &tokens::T6,
    &tokens::T7,
    &tokens::T8,
    &tokens::T9,
    &tokens::T10,
    &tokens::T11,
    &tokens::T12,
    &tokens::T13,
    &tokens::T14,
    &tokens::T15,
    &tokens::A1,
    &tokens::A2,
    &tokens::A3,
    &P1,
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.id == id)
}

/// Why a token is refused, as a stable name for machines (`verify --json`'s
/// `code`); the rule id says which rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Code {
    Malformed,
    Alg,
    Crit,
    Kid,
    Key,
    KeyAlg,
    Signature,
    Exp,
    Nbf,
    Iat,
    Iss,
    Aud,
    Sub,
    Require,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Malformed => "malformed",
            Code::Alg => "alg",
            Code::Crit => "crit",
            Code::Kid => "kid",
            Code::Key => "key",
            Code::KeyAlg => "key_alg",
            Code::Signature => "signature",
            Code::Exp => "exp",
            Code::Nbf => "nbf",
            Code::Iat => "iat",
            Code::Iss => "iss",
            Code::Aud => "aud",
            Code::Sub => "sub",
            Code::Require => "require",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing a rule found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub level: Level,
    /// The rule id, e.g. `K13`.
    pub rule: &'static str,
    /// For token findings, the stable code of what failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
    /// The input, as named on the command line (`<stdin>` for `-`).
    pub file: String,
    /// Where inside it: a JSON path such as `keys[0].x5c[0]`, `header.alg`,
    /// or empty for the whole input.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, with the uvtool command where one exists.
    pub fix: Option<String>,
    /// The finding says why the Setup form refuses a key (K7's last 10
    /// days), not why a registered key's tokens fail: an error for a key
    /// being prepared for upload, a warning in a token's verdict.
    #[serde(skip)]
    pub upload_only: bool,
}

impl Finding {
    /// `file` or `file: path`.
    pub fn location(&self) -> String {
        if self.path.is_empty() {
            self.file.clone()
        } else {
            format!("{}: {}", self.file, self.path)
        }
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.rule)
    }
}

/// What a rule function writes its findings to. Levels follow the rule and
/// the profile: a rule that is off under the profile records nothing.
pub struct Out<'a> {
    pub(crate) profile: Profile,
    pub(crate) list: &'a mut Vec<Finding>,
}

impl<'a> Out<'a> {
    pub fn new(profile: Profile, list: &'a mut Vec<Finding>) -> Self {
        Out { profile, list }
    }

    /// Record a finding of `rule` at its level under the profile.
    pub fn push(
        &mut self,
        rule: &Rule,
        file: &str,
        path: &str,
        message: String,
        fix: Option<String>,
    ) {
        if let Some(level) = rule.level(self.profile) {
            self.push_at(rule, level, file, path, message, fix);
        }
    }

    /// Record a finding of a two-level rule (K10, K12) at `level`, capped
    /// by the rule's level under the profile.
    pub fn push_at(
        &mut self,
        rule: &Rule,
        level: Level,
        file: &str,
        path: &str,
        message: String,
        fix: Option<String>,
    ) {
        let Some(max) = rule.level(self.profile) else {
            return;
        };
        self.list.push(Finding {
            level: level.min(max),
            rule: rule.id,
            code: None,
            file: file.to_string(),
            path: path.to_string(),
            message,
            fix,
            upload_only: false,
        });
    }
}

/// What an evaluation is held against: the profile, the clock and what the
/// user asked for.
#[derive(Debug, Clone)]
pub struct Settings {
    pub profile: Profile,
    /// The allow-list (`--alg`); empty means the profile's own (platform:
    /// RS256, RS512; rfc: every RS*/PS*).
    pub algs: Vec<Alg>,
    /// Clock-skew allowance for every time rule, seconds.
    pub leeway: u64,
    /// Accept tokens without `exp` (rfc profile only).
    pub allow_no_exp: bool,
    /// The issuer registered with the keyset (T4 compares `iss` with it).
    pub iss: Option<String>,
    /// The token's `aud` must include one of these (A1).
    pub aud: Vec<String>,
    /// The token's `sub` must be this (A2).
    pub sub: Option<String>,
    /// Claims that must be present (A3).
    pub require: Vec<String>,
    /// The clock, unix seconds.
    pub now: i64,
    /// A key file is meant for the Setup upload form (K9).
    pub upload: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            profile: Profile::Platform,
            algs: Vec::new(),
            leeway: DEFAULT_LEEWAY,
            allow_no_exp: false,
            iss: None,
            aud: Vec::new(),
            sub: None,
            require: Vec::new(),
            now: crate::clock::now(),
            upload: false,
        }
    }
}

/// The algorithms the platform accepts (T1; WEB).
pub const PLATFORM_ALGS: [Alg; 2] = [Alg::RS256, Alg::RS512];

impl Settings {
    /// Whether a token may use `alg` under these settings.
    pub fn allows(&self, alg: Alg) -> bool {
        let base: &[Alg] = match self.profile {
            Profile::Platform => &PLATFORM_ALGS,
            Profile::Rfc => &Alg::ALL,
        };
        base.contains(&alg) && (self.algs.is_empty() || self.algs.contains(&alg))
    }

    /// The algorithms a token may use under these settings, in
    /// [`Alg::ALL`]'s order.
    pub fn allowed_algs(&self) -> Vec<Alg> {
        Alg::ALL.into_iter().filter(|&a| self.allows(a)).collect()
    }

    /// The leeway as a signed number of seconds.
    pub fn leeway_secs(&self) -> i64 {
        i64::try_from(self.leeway).unwrap_or(i64::MAX)
    }
}

/// A verification key with what is known of it: its JWK metadata, where it
/// came from, the key rules' findings for it, and a per-algorithm cache of
/// the parsed backend key (a batch parses each key once per algorithm).
/// The one key type of `verify`, `check`, the JWKS URL source and `serve`.
#[derive(Debug)]
pub struct Key {
    /// The JWK's `kid`; `None` for keys given directly (`--cert`, `--key`),
    /// which are tried whatever `kid` the token names.
    pub kid: Option<String>,
    /// The JWK's own `alg`, honoured: a token signed with another algorithm
    /// is refused for this key (T10).
    pub alg: Option<String>,
    /// The JWK's `use`; a key with another `use` than `sig` is skipped under
    /// the rfc profile and refused (K11) under the platform's.
    pub use_: Option<String>,
    /// The RSA public key; `None` when the key cannot be used for a
    /// signature at all (`unusable` says why).
    pub public: Option<RsaPublic>,
    /// Why the key cannot be used (not RSA, `n`/`e` unreadable, `x5c[0]`
    /// holding another key, a size the backend refuses); `None` when usable.
    pub unusable: Option<String>,
    /// Where the key came from, for messages (`jwks.json: keys[1]`, `cert.pem`).
    pub origin: String,
    /// The key rules' findings for this key (errors make a token that
    /// selects it invalid under the platform profile).
    pub findings: Vec<Finding>,
    parsed: [OnceLock<Option<ParsedPublicKey>>; 6],
}

impl Key {
    pub fn new(
        kid: Option<String>,
        alg: Option<String>,
        public: RsaPublic,
        origin: impl Into<String>,
    ) -> Self {
        Key {
            kid,
            alg,
            use_: None,
            public: Some(public),
            unusable: None,
            origin: origin.into(),
            findings: Vec::new(),
            parsed: Default::default(),
        }
    }

    /// Verify `sig` over `msg` with this key, parsing it at most once per `alg`.
    pub fn verify(&self, alg: Alg, msg: &[u8], sig: &[u8]) -> bool {
        let Some(public) = &self.public else {
            return false;
        };
        let parsed = self.parsed[alg.index()].get_or_init(|| {
            RsaPublicKeyComponents {
                n: public.n.as_slice(),
                e: public.e.as_slice(),
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

    /// The key is meant for signatures (`use` absent or `sig`).
    pub fn for_signatures(&self) -> bool {
        self.use_.as_deref().is_none_or(|u| u == "sig")
    }
}

/// Every key of a document, read once into the one key model of `verify`,
/// `check`, the page and the JWKS URL source: each key with its key rules'
/// findings, and the keys that cannot be used at all kept too (with why),
/// so a token that selects one is refused by the key's own rule rather than
/// the set being refused whole or the key vanishing (RFC 7517 §5: other
/// keys a verifier cannot use are ignored).
pub fn doc_keys(doc: &crate::read::KeyDoc, s: &Settings) -> Vec<Key> {
    let findings = keys::for_each_key(doc, s);
    doc.keys
        .iter()
        .zip(findings)
        .map(|(view, findings)| {
            let member = |m: &str| {
                view.jwk
                    .as_ref()
                    .and_then(|o| o.get(m))
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string)
            };
            let origin = if view.path.is_empty() {
                doc.file.clone()
            } else {
                format!("{}: {}", doc.file, view.path)
            };
            let unusable = unusable_reason(view);
            Key {
                kid: member("kid"),
                alg: member("alg"),
                use_: member("use"),
                public: if unusable.is_none() {
                    view.public.clone()
                } else {
                    None
                },
                unusable,
                origin,
                findings,
                parsed: Default::default(),
            }
        })
        .collect()
}

/// Why a key read from a document cannot verify any RS*/PS* signature.
fn unusable_reason(view: &crate::read::KeyView) -> Option<String> {
    use crate::read::{CertFacts, CertSlot};
    match view.kty.as_deref() {
        Some("RSA") => {}
        Some(other) => {
            return Some(format!(
                "its kty is {other:?}; RS256/RS512 tokens need an RSA key"
            ))
        }
        None if view.jwk.is_some() => return Some("it has no kty".into()),
        None => {}
    }
    let Some(public) = &view.public else {
        return Some("its n or e is missing or not base64url".into());
    };
    let bits = public.bits();
    if bits > 8192 {
        return Some(format!(
            "its modulus is {bits} bits, above the 8192 that verifiers take"
        ));
    }
    // Below 2048 bits K3 names the reason under both profiles.
    match public.exponent() {
        Some(e) if e >= 3 && e % 2 == 1 => {}
        Some(e) => {
            return Some(format!(
            "its public exponent {e} is invalid (it must be odd and at least 3; 65537 is standard)"
        ))
        }
        None => return Some("its public exponent is larger than 64 bits".into()),
    }
    // RFC 7517 §4.7: the key in x5c[0] MUST match n/e; a JWK where they
    // differ names two keys, and readers would disagree on which.
    if let Some(CertSlot { parsed, .. }) = &view.cert {
        match parsed {
            Ok(CertFacts {
                public: Some(p), ..
            }) if p == public => {}
            Ok(_) => return Some("its x5c[0] certificate holds another key than n/e".into()),
            Err(_) => return Some("its x5c[0] is not a base64 DER certificate".into()),
        }
    }
    None
}

/// P1: the configuration name that fills `{auth_id_info}`.
pub const P1: Rule = Rule {
    id: "P1",
    applies: Applies::AuthId,
    platform: Some(Level::Error),
    rfc: Some(Level::Error),
    summary: "the configuration name (`--auth-id`, the `{auth_id_info}` segment) begins with a letter and holds only letters, digits and `_`",
    sources: &[src(
        Label::Meta,
        "authIdentifier: \"must begin with a letter. Only alphanumeric characters and _ are allowed\"",
    )],
};

/// Check a configuration name against P1.
pub fn p1(name: &str, out: &mut Out<'_>) {
    if let Some(problem) = crate::platform::auth_id_problem(name) {
        out.push(
            &P1,
            "configuration name",
            "",
            format!("configuration name {name:?} {problem}"),
            Some("use the User Verification Configuration's API name, e.g. `MyUserVerificationConfig`".into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_serialized_ones() {
        for c in [
            Code::Malformed,
            Code::Alg,
            Code::Crit,
            Code::Kid,
            Code::Key,
            Code::KeyAlg,
            Code::Signature,
            Code::Exp,
            Code::Nbf,
            Code::Iat,
            Code::Iss,
            Code::Aud,
            Code::Sub,
            Code::Require,
        ] {
            let json = serde_json::to_value(c).unwrap();
            assert_eq!(json.as_str(), Some(c.as_str()));
            assert_eq!(c.to_string(), c.as_str());
        }
        for l in [Level::Info, Level::Warning, Level::Error] {
            assert_eq!(serde_json::to_value(l).unwrap().as_str(), Some(l.as_str()));
        }
        for p in [Profile::Platform, Profile::Rfc] {
            assert_eq!(serde_json::to_value(p).unwrap().as_str(), Some(p.as_str()));
        }
        let labels: Vec<&str> = [
            Label::Seed,
            Label::Ts,
            Label::Su,
            Label::Web,
            Label::App,
            Label::Meta,
            Label::Limits,
            Label::Client,
            Label::Tool,
            Label::Rfc,
            Label::Field,
            Label::Assumption,
            Label::Flag,
        ]
        .map(Label::as_str)
        .to_vec();
        assert_eq!(
            labels.join(" "),
            "seed TS SU WEB APP meta limits client tool RFC field assumption flag"
        );
        let applies: Vec<&str> = [
            Applies::Keys,
            Applies::Endpoint,
            Applies::Token,
            Applies::AuthId,
        ]
        .map(Applies::as_str)
        .to_vec();
        assert_eq!(applies.join(" "), "keys url token auth-id");
    }

    #[test]
    fn rules_by_id_with_their_levels_and_sources() {
        assert_eq!(rule("T9").map(|r| r.id), Some("T9"));
        assert_eq!(rule("K7").map(|r| r.id), Some("K7"));
        assert!(rule("X1").is_none());
        let t3 = rule("T3").unwrap();
        assert_eq!(t3.level(Profile::Platform), Some(Level::Error));
        assert_eq!(t3.level(Profile::Rfc), None);
        let t13 = rule("T13").unwrap();
        assert_eq!(t13.level(Profile::Platform), Some(Level::Warning));
        assert_eq!(t13.level(Profile::Rfc), Some(Level::Error));
        // T9 rests on field reports alone; T4 has documented sources too.
        assert!(rule("T9").unwrap().is_unconfirmed());
        assert!(!rule("T4").unwrap().is_unconfirmed());
        assert!(!rule("T6").unwrap().is_unconfirmed());
        assert_eq!(rule("T7").unwrap().source_text(), "RFC (RFC 7515 §5.2)");
        assert_eq!(
            rule("T6").unwrap().source_text(),
            "RFC (RFC 8725 (short-lived tokens)); assumption (the one-day threshold)"
        );
        let ids: std::collections::HashSet<&str> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), RULES.len(), "rule ids are unique");
    }

    fn finding(path: &str) -> Finding {
        Finding {
            level: Level::Error,
            rule: "T5",
            code: Some(Code::Exp),
            file: "t.jwt".into(),
            path: path.into(),
            message: "expired 1m ago".into(),
            fix: None,
            upload_only: false,
        }
    }

    #[test]
    fn a_finding_shows_its_rule_and_place() {
        assert_eq!(finding("").to_string(), "expired 1m ago (T5)");
        assert_eq!(finding("").location(), "t.jwt");
        assert_eq!(finding("claims.exp").location(), "t.jwt: claims.exp");
    }

    #[test]
    fn levels_are_capped_by_the_profile() {
        let mut list = Vec::new();
        let mut out = Out::new(Profile::Platform, &mut list);
        // T13 is a warning under the platform profile: an error is capped.
        out.push_at(&tokens::T13, Level::Error, "f", "p", "m".into(), None);
        // K10 reports below its maximum level as asked.
        out.push_at(&keys::K10, Level::Warning, "f", "", "m".into(), None);
        out.push(&tokens::T13, "f", "", "m".into(), None);
        let levels: Vec<(Level, &str)> = list.iter().map(|f| (f.level, f.rule)).collect();
        assert_eq!(
            levels,
            [
                (Level::Warning, "T13"),
                (Level::Warning, "K10"),
                (Level::Warning, "T13")
            ]
        );
        let mut list = Vec::new();
        // T3 is off under rfc: nothing recorded.
        let mut out = Out::new(Profile::Rfc, &mut list);
        out.push(&tokens::T3, "f", "", "m".into(), None);
        out.push_at(&tokens::T3, Level::Error, "f", "", "m".into(), None);
        out.push_at(&tokens::T13, Level::Info, "f", "", "m".into(), None);
        assert_eq!(list.len(), 1);
        assert_eq!((list[0].level, list[0].rule), (Level::Info, "T13"));
        assert_eq!((list[0].file.as_str(), list[0].code), ("f", None));
    }

    #[test]
    fn allowed_algorithms_per_profile_and_flag() {
        let mut s = Settings {
            now: 0,
            ..Default::default()
        };
        // `allows` answers for one algorithm what the list holds.
        let agree = |s: &Settings| {
            for a in Alg::ALL {
                assert_eq!(s.allows(a), s.allowed_algs().contains(&a), "{a:?}");
            }
        };
        assert_eq!(s.allowed_algs(), PLATFORM_ALGS.to_vec());
        agree(&s);
        s.algs = vec![Alg::PS256, Alg::RS512];
        assert_eq!(s.allowed_algs(), vec![Alg::RS512]);
        agree(&s);
        s.profile = Profile::Rfc;
        assert_eq!(s.allowed_algs(), vec![Alg::RS512, Alg::PS256]);
        agree(&s);
        s.algs.clear();
        assert_eq!(s.allowed_algs(), Alg::ALL.to_vec());
        agree(&s);
        assert_eq!(s.leeway_secs(), 60);
        s.leeway = 0;
        assert_eq!(s.leeway_secs(), 0);
        s.leeway = u64::MAX;
        assert_eq!(s.leeway_secs(), i64::MAX);
    }

    #[test]
    fn keys_are_named_and_signing_is_their_use() {
        let public =
            crate::keys::load_public(include_bytes!("../../fixtures/keys/b/public.pem"), "b")
                .unwrap();
        let mut k = Key::new(Some("k1".into()), None, public, "jwks.json: keys[0]");
        assert_eq!(k.label(), "key \"k1\" from jwks.json: keys[0]");
        assert!(k.for_signatures());
        k.use_ = Some("sig".into());
        assert!(k.for_signatures());
        k.use_ = Some("enc".into());
        assert!(!k.for_signatures());
        k.kid = None;
        assert_eq!(k.label(), "the key from jwks.json: keys[0]");
        // A signature over other bytes does not verify, for any algorithm.
        for alg in Alg::ALL {
            assert!(!k.verify(alg, b"msg", &[0; 256]));
        }
    }

    #[test]
    fn configuration_names() {
        let mut list = Vec::new();
        p1("MyConfig_1", &mut Out::new(Profile::Platform, &mut list));
        assert!(list.is_empty());
        p1("1bad-name", &mut Out::new(Profile::Platform, &mut list));
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].rule, "P1");
        assert!(list[0]
            .message
            .starts_with("configuration name \"1bad-name\" "));
    }
}
