//! Reproducible test fixtures: seeded keys, a JWK and JWKS, and a corpus of
//! tokens, valid ones and one for each way a token fails, with a manifest
//! that says what `uvtool verify --json` must answer for each under the
//! platform profile and the RFC profile.
//!
//! Everything is a function of the seed, the clock and the claims given:
//! the same [`Options`] give byte-identical files on any machine. Keys come
//! from [`RsaPrivate::from_seed`]: the main key from the seed itself (so
//! `uvtool keygen --seed S` makes the same key), the second from `S/2`, and
//! the "attacker" key of the embedded-key cases from `S/attacker`.
//! PKCS#1 v1.5 signatures are deterministic; the one PS256 token is signed
//! with the `rsa` crate and a ChaCha20 generator seeded from the seed, since
//! aws-lc-rs draws PSS salts from its own generator.
//!
//! The keys are public knowledge (anyone with the seed has them) and their
//! certificates are named [`cert::FIXTURE_CN`]: never upload them.

use serde_json::{json, Map, Value};

use crate::bundle::{Bundle, BundleOptions};
use crate::cert;
use crate::keys::{KeySize, RsaPrivate};
use crate::token::{self, Alg};
use crate::{b64, clock, jwk, platform, Error, Result};

/// Version of the manifest layout (`format` member).
pub const FORMAT: &str = "uvtool-fixtures/1";
/// The seed used when none is given.
pub const DEFAULT_SEED: &str = "uvtool-fixtures";
/// Lifetime of the corpus tokens, seconds.
pub const TTL: i64 = 600;
/// The audience the `aud` cases use.
pub const AUDIENCE: &str = "https://chat.example.com";
/// Validity of the fixture certificates, days (keygen's default, so
/// `uvtool keygen --seed S --now T` makes the same certificate).
pub const CERT_DAYS: u32 = 365;

/// What a fixture set is made from.
#[derive(Debug, Clone)]
pub struct Options {
    pub seed: String,
    /// The clock, unix seconds: certificates start and tokens are issued then.
    pub now: i64,
    pub iss: String,
    pub sub: String,
    /// The user verification configuration name, for the expected platform key.
    pub auth_id: Option<String>,
}

/// One file of the set.
#[derive(Debug, Clone)]
pub struct FixtureFile {
    /// Path relative to the set's folder, `/`-separated.
    pub path: String,
    pub contents: Vec<u8>,
    /// A private key (written 0600).
    pub private: bool,
    /// Its manifest entry.
    pub entry: Map<String, Value>,
}

/// A whole fixture set: the files in order, then `manifest.json`.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub files: Vec<FixtureFile>,
    /// The manifest's top-level members (without `files`).
    pub header: Map<String, Value>,
}

impl Corpus {
    /// `manifest.json`: the header and one entry per file, pretty, with a
    /// trailing newline.
    pub fn manifest_json(&self) -> String {
        let mut m = self.header.clone();
        m.insert(
            "files".into(),
            Value::Array(
                self.files
                    .iter()
                    .map(|f| Value::Object(f.entry.clone()))
                    .collect(),
            ),
        );
        let mut s = serde_json::to_string_pretty(&Value::Object(m)).unwrap_or_default();
        s.push('\n');
        s
    }

    /// The set as one JSON Lines stream: a first line with the manifest
    /// header (`"kind": "manifest"`), then one line per file: its manifest
    /// entry plus `content` (the file's text).
    pub fn jsonl(&self) -> String {
        let mut out = String::new();
        let mut head = Map::new();
        head.insert("kind".into(), "manifest".into());
        head.extend(self.header.clone());
        out.push_str(&Value::Object(head).to_string());
        out.push('\n');
        for f in &self.files {
            let mut e = f.entry.clone();
            e.insert(
                "content".into(),
                String::from_utf8_lossy(&f.contents).into_owned().into(),
            );
            out.push_str(&Value::Object(e).to_string());
            out.push('\n');
        }
        out
    }

    /// The token files only.
    pub fn tokens(&self) -> impl Iterator<Item = &FixtureFile> {
        self.files
            .iter()
            .filter(|f| f.entry.get("kind").and_then(Value::as_str) == Some("token"))
    }
}

/// A verdict `uvtool verify --json` must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expect {
    pub valid: bool,
    pub code: Option<&'static str>,
    pub rule: Option<&'static str>,
}

const VALID: Expect = Expect {
    valid: true,
    code: None,
    rule: None,
};

const fn no(code: &'static str, rule: &'static str) -> Expect {
    Expect {
        valid: false,
        code: Some(code),
        rule: Some(rule),
    }
}

impl Expect {
    fn to_json(self) -> Value {
        json!({ "valid": self.valid, "code": self.code, "rule": self.rule })
    }
}

/// A seeded key with its certificate and JWK: the bundle `keygen --seed`
/// makes, so the corpus's main key is exactly `keygen --seed S --now T`'s.
type SeededKey = Bundle;

fn seeded_key(seed: &str, alg: &str, now: i64) -> Result<SeededKey> {
    Bundle::generate(&BundleOptions {
        size: KeySize::Rsa2048,
        days: CERT_DAYS,
        subject: cert::FIXTURE_SUBJECT.into(),
        kid: None,
        alg: Alg::from_name(alg).unwrap_or(Alg::RS256),
        now,
        seed: Some(seed.to_string()),
    })
}

/// How a token's signature is made.
enum Sig<'a> {
    /// RSA with this key and algorithm (PKCS#1 v1.5 with aws-lc-rs; PSS
    /// with the `rsa` crate and a seeded generator).
    Rsa(&'a RsaPrivate, Alg),
    /// HMAC-SHA256 keyed with these bytes.
    Hs256(Vec<u8>),
    /// An empty signature (`alg: none`).
    Empty,
}

/// One token case: name, description, what it models, the token, the
/// verify arguments, and the platform and RFC verdicts.
type CaseRow = (String, String, String, String, Vec<Value>, Expect, Expect);

struct Builder<'a> {
    opts: &'a Options,
    main: SeededKey,
    second: SeededKey,
    attacker: SeededKey,
    files: Vec<FixtureFile>,
}

/// Build the whole set in memory.
pub fn build(opts: &Options) -> Result<Corpus> {
    if opts.seed.is_empty() {
        return Err(crate::ErrorKind::EmptySeed.into());
    }
    let now = opts.now;
    if !(0..=crate::verify::MAX_TIME - 400 * 86400).contains(&now) {
        return Err(crate::ErrorKind::ClockRange(now).into());
    }
    let mut b = Builder {
        opts,
        main: seeded_key(&opts.seed, "RS256", now)?,
        second: seeded_key(&format!("{}/2", opts.seed), "RS512", now)?,
        attacker: seeded_key(&format!("{}/attacker", opts.seed), "RS256", now)?,
        files: Vec::new(),
    };
    b.key_files()?;
    b.tokens()?;
    let header = b.header();
    Ok(Corpus {
        files: b.files,
        header,
    })
}

impl Builder<'_> {
    fn header(&self) -> Map<String, Value> {
        let o = self.opts;
        let mut h = Map::new();
        h.insert("format".into(), FORMAT.into());
        h.insert(
            "warning".into(),
            "Every key here is derived from a public seed: anyone can make the private keys. Use them in tests only; never upload them or trust these tokens in production.".into(),
        );
        h.insert("seed".into(), o.seed.clone().into());
        h.insert("now".into(), o.now.into());
        h.insert(
            "now_utc".into(),
            clock::format_utc(o.now).unwrap_or_default().into(),
        );
        h.insert("iss".into(), o.iss.clone().into());
        h.insert("sub".into(), o.sub.clone().into());
        h.insert(
            "auth_id".into(),
            o.auth_id.clone().map_or(Value::Null, Value::String),
        );
        h.insert("audience".into(), AUDIENCE.into());
        h.insert(
            "leeway_seconds".into(),
            crate::verify::DEFAULT_LEEWAY.into(),
        );
        h.insert(
            "keys".into(),
            json!([
                { "kid": self.main.kid, "alg": "RS256", "seed": o.seed, "files": ["private.pem", "public.pem", "cert.pem", "jwk.json"] },
                { "kid": self.second.kid, "alg": "RS512", "seed": format!("{}/2", o.seed), "files": ["private-2.pem", "public-2.pem", "cert-2.pem", "jwk-2.json"] },
                { "kid": self.attacker.kid, "alg": "RS256", "seed": format!("{}/attacker", o.seed), "files": [], "note": "not in jwks.json: the key of the embedded-jwk and embedded-jku cases" },
            ]),
        );
        h.insert(
            "profile_args".into(),
            json!({ "platform": [], "rfc": ["--profile", "rfc"] }),
        );
        h.insert(
            "usage".into(),
            "From this folder, for each entry of kind token: uvtool verify --json PROFILE_ARGS VERIFY_ARGS FILE must print valid, code and rule as in expect.PROFILE (code and rule are null for a valid token).".into(),
        );
        h
    }

    fn add(&mut self, path: &str, kind: &str, description: &str, contents: String, private: bool) {
        let mut e = Map::new();
        e.insert("file".into(), path.into());
        e.insert("kind".into(), kind.into());
        e.insert("description".into(), description.into());
        self.files.push(FixtureFile {
            path: path.into(),
            contents: contents.into_bytes(),
            private,
            entry: e,
        });
    }

    fn key_files(&mut self) -> Result<()> {
        for (i, suffix) in [(0, ""), (1, "-2")] {
            let k = if i == 0 { &self.main } else { &self.second };
            let (what, alg) = if i == 0 {
                ("main key", "RS256")
            } else {
                ("second key (rotation; signs the RS512 cases)", "RS512")
            };
            let private = k.key.to_pkcs8_pem()?;
            let public = k.key.public.to_spki_pem()?;
            let cert = k.cert.to_pem();
            let jwk_text = jwk::jwk_to_string(&k.jwk);
            self.add(
                &format!("private{suffix}.pem"),
                "private_key",
                &format!("RSA-2048 private key, PKCS#8: the {what}. Public knowledge (seeded): tests only"),
                private,
                true,
            );
            self.add(
                &format!("public{suffix}.pem"),
                "public_key",
                &format!("public key of the {what}, SPKI"),
                public,
                false,
            );
            self.add(
                &format!("cert{suffix}.pem"),
                "certificate",
                &format!(
                    "self-signed certificate of the {what}, valid {CERT_DAYS} days from now, named \"{}\"",
                    cert::FIXTURE_CN
                ),
                cert,
                false,
            );
            self.add(
                &format!("jwk{suffix}.json"),
                "jwk",
                &format!("JWK of the {what} (alg {alg}, with x5c)"),
                jwk_text,
                false,
            );
        }
        let set = jwk::jwks_to_string(&[self.main.jwk.clone(), self.second.jwk.clone()]);
        self.add(
            "jwks.json",
            "jwks",
            "JWKS with both keys (main RS256, second RS512): the key set every token is verified against",
            set,
            false,
        );
        Ok(())
    }

    /// The standard claims: iss, sub, iat = now, exp = now + TTL.
    fn claims(&self) -> Map<String, Value> {
        let mut c = Map::new();
        c.insert("iss".into(), self.opts.iss.clone().into());
        c.insert("sub".into(), self.opts.sub.clone().into());
        c.insert("iat".into(), self.opts.now.into());
        c.insert("exp".into(), (self.opts.now + TTL).into());
        c
    }

    /// The standard header: alg, kid, typ JWT.
    fn jose(alg: &str, kid: Option<&str>) -> Map<String, Value> {
        let mut h = Map::new();
        h.insert("alg".into(), alg.into());
        if let Some(k) = kid {
            h.insert("kid".into(), k.into());
        }
        h.insert("typ".into(), "JWT".into());
        h
    }

    fn verify_args(&self, jwks: &str, extra: &[&str]) -> Vec<Value> {
        let mut v: Vec<Value> = vec![
            "--jwks".into(),
            jwks.into(),
            "--iss".into(),
            self.opts.iss.clone().into(),
            "--now".into(),
            self.opts.now.to_string().into(),
        ];
        v.extend(extra.iter().map(|s| Value::from(*s)));
        v
    }

    /// Sign `header_b64.payload_b64` and return the compact token.
    fn sign(&self, header_b64: &str, payload_b64: &str, sig: &Sig<'_>) -> Result<String> {
        let input = format!("{header_b64}.{payload_b64}");
        let s = match sig {
            Sig::Rsa(key, alg) if alg.name().starts_with("PS") => {
                pss_seeded(key, *alg, input.as_bytes(), &self.opts.seed)?
            }
            Sig::Rsa(key, alg) => token::sign(key, *alg, input.as_bytes())?,
            Sig::Hs256(k) => {
                let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, k);
                aws_lc_rs::hmac::sign(&key, input.as_bytes())
                    .as_ref()
                    .to_vec()
            }
            Sig::Empty => Vec::new(),
        };
        Ok(format!("{input}.{}", b64::url_encode(&s)))
    }

    #[allow(clippy::too_many_arguments)]
    fn token(
        &mut self,
        name: &str,
        description: &str,
        models: &str,
        token: String,
        verify_args: Vec<Value>,
        platform: Expect,
        rfc: Expect,
    ) {
        let mut e = Map::new();
        e.insert("file".into(), format!("tokens/{name}.jwt").into());
        e.insert("kind".into(), "token".into());
        e.insert("name".into(), name.into());
        e.insert("description".into(), description.into());
        e.insert("models".into(), models.into());
        e.insert("verify_args".into(), Value::Array(verify_args));
        e.insert(
            "expect".into(),
            json!({ "platform": platform.to_json(), "rfc": rfc.to_json() }),
        );
        if platform.valid {
            if let (Some(a), Some(Value::String(sub))) = (
                &self.opts.auth_id,
                decode_claims(&token).and_then(|c| c.get("sub").cloned()),
            ) {
                e.insert(
                    "platform_key".into(),
                    platform::platform_key(a, &sub).into(),
                );
            }
        }
        self.files.push(FixtureFile {
            path: format!("tokens/{name}.jwt"),
            contents: format!("{token}\n").into_bytes(),
            private: false,
            entry: e,
        });
    }

    /// A token from a header and claims, serialised by serde_json.
    fn make(
        &self,
        header: &Map<String, Value>,
        claims: &Map<String, Value>,
        sig: &Sig<'_>,
    ) -> Result<String> {
        let h = b64::url_encode(&json_bytes(header));
        let p = b64::url_encode(&json_bytes(claims));
        self.sign(&h, &p, sig)
    }

    fn tokens(&mut self) -> Result<()> {
        let now = self.opts.now;
        let kid1 = self.main.kid.clone();
        let kid2 = self.second.kid.clone();
        let k1 = &self.main.key;
        let k2 = &self.second.key;
        let k3 = &self.attacker.key;
        let rs256 = Self::jose("RS256", Some(&kid1));
        let std = self.claims();
        let args = self.verify_args("jwks.json", &[]);
        let mut out: Vec<CaseRow> = Vec::new();
        let mut push = |name: &str,
                        desc: &str,
                        models: &str,
                        tok: String,
                        a: Vec<Value>,
                        p: Expect,
                        r: Expect| {
            out.push((name.into(), desc.into(), models.into(), tok, a, p, r));
        };

        // Valid tokens.
        push(
            "valid-rs256",
            "valid: RS256, main key, iss, sub, iat now, exp in 10 minutes",
            "RFC 7519 §7.2 (validating a JWT); RFC 7515 §5.2",
            self.make(&rs256, &std, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            VALID,
            VALID,
        );
        push(
            "valid-rs512",
            "valid: RS512, signed by the second key (its JWK says alg RS512)",
            "RFC 7518 §3.3 (RS512)",
            self.make(
                &Self::jose("RS512", Some(&kid2)),
                &std,
                &Sig::Rsa(k2, Alg::RS512),
            )?,
            args.clone(),
            VALID,
            VALID,
        );
        let mut c = std.clone();
        insert_after(&mut c, "iat", "nbf", now.into());
        push(
            "valid-nbf",
            "valid: nbf equal to iat (now)",
            "RFC 7519 §4.1.5 (nbf)",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            VALID,
            VALID,
        );
        let mut c = std.clone();
        insert_after(&mut c, "sub", "aud", AUDIENCE.into());
        push(
            "valid-aud",
            "valid: aud matches the --aud the verifier requires",
            "RFC 7519 §4.1.3 (aud)",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            self.verify_args("jwks.json", &["--aud", AUDIENCE]),
            VALID,
            VALID,
        );
        let mut c = std.clone();
        insert_after(&mut c, "sub", "aud", AUDIENCE.into());
        insert_after(&mut c, "iat", "nbf", now.into());
        push(
            "valid-aud-nbf",
            "valid: with both aud and nbf",
            "RFC 7519 §4.1.3, §4.1.5",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            self.verify_args("jwks.json", &["--aud", AUDIENCE]),
            VALID,
            VALID,
        );
        let mut c = std.clone();
        c.insert("iat".into(), (now - TTL - 30).into());
        c.insert("exp".into(), (now - 30).into());
        push(
            "valid-exp-within-leeway",
            "valid: exp 30 s in the past, inside the 60 s clock-skew leeway",
            "RFC 7519 §4.1.4 (\"some small leeway\")",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            VALID,
            VALID,
        );
        let mut c = std.clone();
        c.insert("iat".into(), (now + 3600).into());
        c.insert("exp".into(), (now + 3600 + TTL).into());
        push(
            "iat-in-future",
            "iat one hour in the future (beyond the 60 s leeway), exp after it: the platform profile accepts it with a T13 warning, the RFC profile refuses it",
            "RFC 7519 §4.1.6 (iat); clock skew",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            VALID,
            no("iat", "T13"),
        );

        // Times.
        let mut c = std.clone();
        c.insert("iat".into(), (now - 7200).into());
        c.insert("exp".into(), (now - 3600).into());
        push(
            "expired",
            "expired an hour ago (issued two hours ago)",
            "RFC 7519 §4.1.4 (exp)",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("exp", "T5"),
            no("exp", "T5"),
        );
        let mut c = std.clone();
        insert_after(&mut c, "iat", "nbf", (now + 3600).into());
        c.insert("exp".into(), (now + 3600 + TTL).into());
        push(
            "not-yet-valid",
            "nbf one hour in the future (beyond the leeway)",
            "RFC 7519 §4.1.5 (nbf)",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("nbf", "T15"),
            no("nbf", "T15"),
        );
        let mut c = std.clone();
        c.remove("exp");
        push(
            "missing-exp",
            "no exp: a token that never expires",
            "RFC 7519 §4.1.4 (optional there; required by the platform, and by the RFC profile unless --allow-no-exp); RFC 8725 §3.10",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("exp", "T5"),
            no("exp", "T5"),
        );
        let mut c = std.clone();
        c.insert("exp".into(), ((now + TTL) * 1000).into());
        push(
            "exp-milliseconds",
            "exp in milliseconds (JavaScript Date.now()), past the year 9999 as seconds",
            "RFC 7519 §2 (NumericDate is seconds)",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("exp", "T14"),
            no("exp", "T14"),
        );
        let mut c = std.clone();
        c.insert("exp".into(), (now + TTL).to_string().into());
        push(
            "exp-string",
            "exp is a string of digits, not a number",
            "RFC 7519 §2 (NumericDate is a JSON number); the web client refuses a string exp (client)",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("exp", "T5"),
            no("exp", "T5"),
        );

        // Issuer, subject, audience.
        let mut c = std.clone();
        c.insert("iss".into(), "https://attacker.example".into());
        push(
            "wrong-iss",
            "iss is another issuer",
            "RFC 7519 §4.1.1 (iss); RFC 8725 §3.8",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("iss", "T4"),
            no("iss", "T4"),
        );
        let iss = &self.opts.iss;
        let (slashed, what) = match iss.strip_suffix('/') {
            Some(s) => (
                s.to_string(),
                "without the registered issuer's trailing slash",
            ),
            None => (
                format!("{iss}/"),
                "with a trailing slash the registered issuer lacks",
            ),
        };
        let mut c = std.clone();
        c.insert("iss".into(), slashed.into());
        push(
            "iss-trailing-slash",
            &format!("iss {what}: an exact comparison refuses it"),
            "RFC 7519 §4.1.1 (StringOrURI compared as case-sensitive strings, §2)",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("iss", "T4"),
            no("iss", "T4"),
        );
        let mut c = std.clone();
        c.remove("iss");
        push(
            "missing-iss",
            "no iss while the verifier requires one (--iss)",
            "RFC 7519 §4.1.1; RFC 8725 §3.8",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("iss", "T4"),
            no("iss", "T4"),
        );
        let mut c = std.clone();
        c.remove("sub");
        push(
            "missing-sub",
            "no sub: the platform cannot tell which user it is (the RFC makes sub optional)",
            "RFC 7519 §4.1.2 (optional); platform rule T3",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("sub", "T3"),
            VALID,
        );
        let mut c = std.clone();
        c.insert("sub".into(), "".into());
        push(
            "empty-sub",
            "sub is the empty string",
            "RFC 7519 §4.1.2; platform rule T3",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("sub", "T3"),
            VALID,
        );
        let mut c = std.clone();
        c.insert("sub".into(), 12345.into());
        push(
            "sub-number",
            "sub is a number, not a string",
            "RFC 7519 §4.1.2 (StringOrURI); platform rule T3",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("sub", "T3"),
            VALID,
        );
        let mut c = std.clone();
        insert_after(&mut c, "sub", "aud", "https://other.example".into());
        push(
            "wrong-aud",
            "aud names another audience than the one required (--aud)",
            "RFC 7519 §4.1.3 (aud)",
            self.make(&rs256, &c, &Sig::Rsa(k1, Alg::RS256))?,
            self.verify_args("jwks.json", &["--aud", AUDIENCE]),
            no("aud", "A1"),
            no("aud", "A1"),
        );

        // Key selection.
        push(
            "unknown-kid",
            "kid names no key of the set",
            "RFC 7515 §4.1.4 (kid)",
            self.make(
                &Self::jose("RS256", Some("uvtool-fixture-unknown-kid")),
                &std,
                &Sig::Rsa(k1, Alg::RS256),
            )?,
            args.clone(),
            no("kid", "T2"),
            no("kid", "T2"),
        );
        let no_kid = self.make(&Self::jose("RS256", None), &std, &Sig::Rsa(k1, Alg::RS256))?;
        push(
            "no-kid",
            "no kid in the header, verified against the two-key set: no way to choose a key",
            "RFC 7515 §4.1.4; platform rule T2",
            no_kid.clone(),
            args.clone(),
            no("kid", "T2"),
            no("kid", "T2"),
        );
        push(
            "no-kid-one-key",
            "the no-kid token verified against jwk.json alone: the RFC profile uses the only key, the platform requires a kid",
            "RFC 7515 §4.1.4 (kid is optional); platform rule T2",
            no_kid,
            self.verify_args("jwk.json", &[]),
            no("kid", "T2"),
            VALID,
        );
        push(
            "other-key",
            "kid names the main key but the second key signed it",
            "RFC 7515 §5.2 (signature validation)",
            self.make(&rs256, &std, &Sig::Rsa(k2, Alg::RS256))?,
            args.clone(),
            no("signature", "T7"),
            no("signature", "T7"),
        );

        // Algorithms.
        for (name, alg) in [
            ("alg-none", "none"),
            ("alg-none-capitalised", "None"),
            ("alg-none-upper", "NONE"),
            ("alg-none-mixed", "nOnE"),
        ] {
            push(
                name,
                &format!("alg \"{alg}\" and an empty signature: an unsecured JWT"),
                "RFC 8725 §2.1, §3.1; CVE-2015-9235 (alg none accepted)",
                self.make(&Self::jose(alg, Some(&kid1)), &std, &Sig::Empty)?,
                args.clone(),
                no("alg", "T1"),
                no("alg", "T1"),
            );
        }
        let public_pem = self.main.key.public.to_spki_pem()?;
        push(
            "hs256-public-key",
            "HS256 keyed with the main key's public.pem bytes: the key-confusion attack on verifiers that let the token choose the algorithm",
            "RFC 8725 §2.1, §3.1; CVE-2016-10555, CVE-2022-29217 (RSA/HMAC confusion)",
            self.make(
                &Self::jose("HS256", Some(&kid1)),
                &std,
                &Sig::Hs256(public_pem.into_bytes()),
            )?,
            args.clone(),
            no("alg", "T1"),
            no("alg", "T1"),
        );
        push(
            "rs512-under-rs256-key",
            "RS512, correctly signed by the main key, whose JWK says alg RS256",
            "RFC 7517 §4.4 (alg of a key); RFC 8725 §3.1",
            self.make(
                &Self::jose("RS512", Some(&kid1)),
                &std,
                &Sig::Rsa(k1, Alg::RS512),
            )?,
            args.clone(),
            no("key_alg", "T10"),
            no("key_alg", "T10"),
        );
        push(
            "ps256",
            "PS256, correctly signed by the main key: the platform accepts RS256 and RS512 only; under the RFC profile the key's alg RS256 refuses it",
            "RFC 7518 §3.5 (PS256); platform rule T1",
            self.make(&Self::jose("PS256", Some(&kid1)), &std, &Sig::Rsa(k1, Alg::PS256))?,
            args.clone(),
            no("alg", "T1"),
            no("key_alg", "T10"),
        );

        // Signature and structure.
        let good = self.make(&rs256, &std, &Sig::Rsa(k1, Alg::RS256))?;
        let (h, rest) = good.split_once('.').unwrap_or_default();
        let (_, sig) = rest.split_once('.').unwrap_or_default();
        let mut c = std.clone();
        c.insert("sub".into(), "admin".into());
        push(
            "tampered-payload",
            "the valid RS256 token with sub changed to \"admin\" after signing",
            "RFC 7515 §5.2; integrity",
            format!("{h}.{}.{sig}", b64::url_encode(&json_bytes(&c))),
            args.clone(),
            no("signature", "T7"),
            no("signature", "T7"),
        );
        let mut raw = b64::url_decode(sig).unwrap_or_default();
        raw.pop();
        let (input, _) = good.rsplit_once('.').unwrap_or_default();
        push(
            "truncated-signature",
            "the valid RS256 token with the last byte of its signature cut off (still canonical base64url)",
            "RFC 7515 §5.2; RFC 8017 §8.2.2 (signature length)",
            format!("{input}.{}", b64::url_encode(&raw)),
            args.clone(),
            no("signature", "T7"),
            no("signature", "T7"),
        );
        let mut h = rs256.clone();
        h.insert("crit".into(), json!(["urn:example:fixture-policy"]));
        h.insert("urn:example:fixture-policy".into(), true.into());
        push(
            "crit-header",
            "crit names an extension the verifier does not understand",
            "RFC 7515 §4.1.11 (crit: must be refused when not understood)",
            self.make(&h, &std, &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("crit", "T11"),
            no("crit", "T11"),
        );
        let mut h = rs256.clone();
        let attacker_jwk = json!({
            "kty": "RSA",
            "n": b64::url_encode(&k3.public.n),
            "e": b64::url_encode(&k3.public.e),
        });
        h.insert("jwk".into(), attacker_jwk);
        push(
            "embedded-jwk",
            "signed by an attacker's key, which the header carries as jwk; kid names the main key: a verifier that trusts the header's key accepts it",
            "RFC 7515 §4.1.3 (jwk); RFC 8725 §3.10; CVE-2018-0114",
            self.make(&h, &std, &Sig::Rsa(k3, Alg::RS256))?,
            args.clone(),
            no("signature", "T7"),
            no("signature", "T7"),
        );
        let mut h = Self::jose("RS256", Some(&self.attacker.kid));
        h.insert(
            "jku".into(),
            "https://attacker.example/.well-known/jwks.json".into(),
        );
        push(
            "embedded-jku",
            "signed by an attacker's key; jku points at the attacker's key set and kid at its key: a verifier that fetches jku accepts it",
            "RFC 7515 §4.1.2 (jku); RFC 8725 §3.10 (server-side request forgery)",
            self.make(&h, &std, &Sig::Rsa(k3, Alg::RS256))?,
            args.clone(),
            no("kid", "T2"),
            no("kid", "T2"),
        );
        // A payload whose length is not a multiple of 3 has unused bits in
        // its last base64url character.
        let mut p = json_bytes(&std);
        while p.len().is_multiple_of(3) {
            p.push(b' ');
        }
        let canonical = b64::url_encode(&p);
        let hb = b64::url_encode(&json_bytes(&rs256));
        push(
            "non-canonical-base64url",
            "payload's last base64url character has a non-zero unused bit (decodes to the same bytes); signed over exactly that text",
            "RFC 7515 §2, RFC 4648 §3.5 (canonical encoding)",
            self.sign(&hb, &non_canonical(&canonical), &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("malformed", "T0"),
            no("malformed", "T0"),
        );
        let pad = "=".repeat((4 - canonical.len() % 4) % 4);
        push(
            "padded-base64url",
            "payload segment with '=' padding; signed over exactly that text",
            "RFC 7515 §2 (base64url without padding)",
            self.sign(&hb, &format!("{canonical}{pad}"), &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("malformed", "T0"),
            no("malformed", "T0"),
        );
        let dup = format!(
            "{{\"iss\":{},\"sub\":{},\"sub\":\"admin\",\"iat\":{now},\"exp\":{}}}",
            Value::from(self.opts.iss.clone()),
            Value::from(self.opts.sub.clone()),
            now + TTL
        );
        push(
            "duplicate-member",
            "payload names sub twice (the user, then \"admin\"): parsers disagree on which one counts",
            "RFC 7515 §5.2 step 4 / RFC 7519 §4 (duplicate names); RFC 8259 §4",
            self.sign(&hb, &b64::url_encode(dup.as_bytes()), &Sig::Rsa(k1, Alg::RS256))?,
            args.clone(),
            no("malformed", "T0"),
            no("malformed", "T0"),
        );

        for (name, desc, models, tok, a, p, r) in out {
            self.token(&name, &desc, &models, tok, a, p, r);
        }
        Ok(())
    }
}

fn json_bytes(m: &Map<String, Value>) -> Vec<u8> {
    serde_json::to_vec(m).unwrap_or_default()
}

/// Insert `key` after `after` (or at the end), keeping the order readable.
fn insert_after(m: &mut Map<String, Value>, after: &str, key: &str, v: Value) {
    let mut out = Map::new();
    let mut done = false;
    for (k, val) in std::mem::take(m) {
        let hit = k == after;
        out.insert(k, val);
        if hit {
            out.insert(key.into(), v.clone());
            done = true;
        }
    }
    if !done {
        out.insert(key.into(), v);
    }
    *m = out;
}

/// Set the lowest (unused) bit of the last character of a canonical
/// base64url text whose length is not a multiple of 4.
fn non_canonical(s: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut b = s.as_bytes().to_vec();
    if let Some(last) = b.last_mut() {
        if let Some(i) = ALPHABET.iter().position(|c| c == last) {
            *last = ALPHABET[i ^ 1];
        }
    }
    String::from_utf8(b).unwrap_or_default()
}

fn decode_claims(token: &str) -> Option<Map<String, Value>> {
    let p = token.split('.').nth(1)?;
    serde_json::from_slice(&b64::url_decode(p).ok()?).ok()
}

/// RSASSA-PSS with a salt drawn from a ChaCha20 generator seeded from the
/// seed and the message, so the signature is reproducible. aws-lc-rs takes
/// no external generator for PSS salts, so this one signature over a public
/// fixture key is made with the `rsa` crate.
fn pss_seeded(key: &RsaPrivate, alg: Alg, msg: &[u8], seed: &str) -> Result<Vec<u8>> {
    use rand_chacha::rand_core::SeedableRng;
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::signature::{RandomizedSigner, SignatureEncoding};
    if alg != Alg::PS256 {
        return Err(Error::Crypto(format!(
            "{alg}: only PS256 fixtures are made"
        )));
    }
    let k = rsa::RsaPrivateKey::from_pkcs1_der(key.pkcs1_der())
        .map_err(|e| Error::Crypto(format!("cannot read the fixture key: {e}")))?;
    let mut material = format!("uvtool-pss-salt:{seed}:").into_bytes();
    material.extend_from_slice(msg);
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &material);
    let mut s = [0u8; 32];
    s.copy_from_slice(digest.as_ref());
    let mut rng = rand_chacha::ChaCha20Rng::from_seed(s);
    let signer = rsa::pss::SigningKey::<rsa::sha2::Sha256>::new(k);
    Ok(signer.sign_with_rng(&mut rng, msg).to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_canonical_decodes_alike_but_is_refused() {
        let s = b64::url_encode(b"abcd");
        let n = non_canonical(&s);
        assert_ne!(s, n);
        assert!(b64::url_decode(&n).unwrap_err().contains("canonical"));
    }

    #[test]
    fn insert_after_keeps_order() {
        let mut m = Map::new();
        m.insert("a".into(), 1.into());
        m.insert("c".into(), 3.into());
        insert_after(&mut m, "a", "b", 2.into());
        let keys: Vec<&str> = m.keys().map(String::as_str).collect();
        assert_eq!(keys, ["a", "b", "c"]);
    }
}
