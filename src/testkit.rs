//! Identities for test suites, in-process: a seeded key set that mints
//! valid tokens for any `sub`, hands out the broken ones of the fixture
//! catalogue (expired, unknown `kid`, another key, a missing claim, …) and
//! verifies tokens against its own keys under the platform profile.
//!
//! An [`Identity`] is the fixture set `uvtool fixtures` writes
//! ([`crate::fixtures::build`]), kept in memory: the same seed and clock give
//! the same keys and tokens as `uvtool fixtures --seed SEED --now NOW`, so a
//! Rust test suite and a Node one can share them. Its keys are derived from
//! a public seed: anyone can make the private keys. Use them in tests only.
//!
//! ```rust
//! use uvtool::testkit::Identity;
//!
//! # fn main() -> uvtool::Result<()> {
//! let id = Identity::new("my-tests")?;
//! // The JWKS a backend under test trusts.
//! assert!(id.jwks().contains(id.kid()));
//!
//! // A token for a user, valid under the platform profile.
//! let token = id.token("user-42")?;
//! let verdict = id.verify(&token)?;
//! assert!(verdict.is_valid());
//! assert_eq!(verdict.sub(), Some("user-42"));
//!
//! // A broken one, by name, with the verdict it must get.
//! let expired = id.broken("expired")?;
//! assert!(!id.verify(expired.token)?.is_valid());
//! assert_eq!(expired.code, Some("exp"));
//! # Ok(())
//! # }
//! ```

use serde_json::{Map, Value};

use crate::fixtures::{self, Corpus, Options};
use crate::keys::{self, RsaPrivate};
use crate::policy::{Settings, Verdict};
use crate::token::{Alg, Signer};
use crate::verify::{StaticKeys, Verifier};
use crate::{clock, Error, Result};

/// The issuer an [`Identity::new`] uses (`uvtool fixtures`' default).
pub const DEFAULT_ISS: &str = "https://example.com";
/// The `sub` of the catalogue's tokens in an [`Identity::new`] (`uvtool
/// fixtures`' default).
pub const DEFAULT_SUB: &str = "user-123";

/// A seeded key set with its tokens: see the [module](self) documentation.
#[derive(Debug)]
pub struct Identity {
    opts: Options,
    corpus: Corpus,
    signer: Signer,
    kid: String,
}

/// One token of the catalogue and the verdict `uvtool verify --json` gives it
/// under the platform profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case<'a> {
    /// The case's name, e.g. `expired`, `unknown-kid`, `missing-sub`.
    pub name: &'a str,
    /// What is wrong with it (or that it is valid).
    pub description: &'a str,
    /// The compact token.
    pub token: &'a str,
    /// Whether the platform accepts it.
    pub valid: bool,
    /// The verdict's code when it is not valid (`verify --json`'s `code`).
    pub code: Option<&'a str>,
    /// The rule it breaks (PLATFORM.md's id), when it is not valid.
    pub rule: Option<&'a str>,
}

impl Identity {
    /// The identity of `seed` at the current time, with issuer
    /// [`DEFAULT_ISS`] and catalogue `sub` [`DEFAULT_SUB`].
    pub fn new(seed: &str) -> Result<Identity> {
        Identity::with_options(Options {
            seed: seed.to_string(),
            now: clock::now(),
            iss: DEFAULT_ISS.to_string(),
            sub: DEFAULT_SUB.to_string(),
            auth_id: None,
        })
    }

    /// The identity `uvtool fixtures` makes from these options (seed, clock,
    /// issuer, the catalogue's `sub`): byte-identical keys and tokens.
    ///
    /// ```rust
    /// use uvtool::fixtures::Options;
    /// use uvtool::testkit::Identity;
    ///
    /// # fn main() -> uvtool::Result<()> {
    /// // The set of `uvtool fixtures --now 2026-01-01T00:00:00Z`.
    /// let id = Identity::with_options(Options {
    ///     seed: "uvtool-fixtures".into(),
    ///     now: 1_767_225_600,
    ///     iss: "https://example.com".into(),
    ///     sub: "user-123".into(),
    ///     auth_id: None,
    /// })?;
    /// let case = id.broken("unknown-kid")?;
    /// assert_eq!((case.valid, case.code, case.rule), (false, Some("kid"), Some("T2")));
    /// assert_eq!(id.verify(case.token)?.code().map(|c| c.as_str()), Some("kid"));
    /// // Every case the catalogue has, with what it models.
    /// assert!(id.cases().any(|c| c.name == "missing-sub" && c.rule == Some("T3")));
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_options(opts: Options) -> Result<Identity> {
        let corpus = fixtures::build(&opts)?;
        let key: RsaPrivate = keys::load_private(file(&corpus, "private.pem")?, "private.pem")?;
        let jwk: Value = serde_json::from_slice(file(&corpus, "jwk.json")?)
            .map_err(|e| Error::input("jwk.json", e.to_string()))?;
        let kid = jwk["kid"].as_str().unwrap_or_default().to_string();
        let mut header = Map::new();
        header.insert("kid".into(), kid.clone().into());
        header.insert("typ".into(), "JWT".into());
        Ok(Identity {
            signer: Signer::new(key, Alg::RS256, header),
            opts,
            corpus,
            kid,
        })
    }

    /// The options it was made from.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// The `kid` of the main key (the one [`Identity::token`] signs with).
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The JWKS with both keys of the set (main RS256, second RS512), as
    /// `jwks.json`: what a verifier under test should trust.
    pub fn jwks(&self) -> &str {
        text(&self.corpus, "jwks.json")
    }

    /// The main key's public JWK (with `x5c`), as `jwk.json`.
    pub fn jwk(&self) -> &str {
        text(&self.corpus, "jwk.json")
    }

    /// The main key's private key, PKCS#8 PEM (seeded: public knowledge).
    pub fn private_pem(&self) -> &str {
        text(&self.corpus, "private.pem")
    }

    /// A valid RS256 token for `sub`, signed with the main key: `iss`, `sub`,
    /// `iat` now and `exp` [`fixtures::TTL`] seconds later, header `kid` and
    /// `typ`, as `uvtool mint` makes it.
    pub fn token(&self, sub: &str) -> Result<String> {
        let mut c = Map::new();
        c.insert("iss".into(), self.opts.iss.clone().into());
        c.insert("sub".into(), sub.into());
        c.insert("iat".into(), self.opts.now.into());
        c.insert("exp".into(), (self.opts.now + fixtures::TTL).into());
        self.signer.sign_claims(&c)
    }

    /// Every token of the catalogue (for `sub` of the options), valid ones
    /// first, in the order of `uvtool fixtures`' manifest.
    pub fn cases(&self) -> impl Iterator<Item = Case<'_>> {
        self.corpus.tokens().map(|f| {
            let e = &f.entry;
            let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default();
            let expect = &e["expect"]["platform"];
            let contents = std::str::from_utf8(&f.contents).unwrap_or_default();
            Case {
                name: s("name"),
                description: s("description"),
                token: contents.trim_end(),
                valid: expect["valid"].as_bool().unwrap_or(false),
                code: expect["code"].as_str(),
                rule: expect["rule"].as_str(),
            }
        })
    }

    /// The catalogue's token called `name` (see [`Identity::cases`]); an
    /// error naming the cases for an unknown name.
    pub fn broken(&self, name: &str) -> Result<Case<'_>> {
        self.cases().find(|c| c.name == name).ok_or_else(|| {
            let names: Vec<&str> = self.cases().map(|c| c.name).collect();
            Error::input(
                name,
                format!("no such case; the cases are: {}", names.join(", ")),
            )
        })
    }

    /// The settings [`Identity::verify`] holds tokens to: the platform
    /// profile, the identity's issuer and clock.
    pub fn settings(&self) -> Settings {
        Settings {
            iss: Some(self.opts.iss.clone()),
            now: self.opts.now,
            ..Settings::default()
        }
    }

    /// Verify `token` against the identity's JWKS with [`Identity::settings`]:
    /// the verdict `uvtool verify --jwks jwks.json --iss ISS --now NOW` gives.
    /// (The catalogue's `aud` cases are judged with `--aud` too: set
    /// `aud` in the settings of a [`Verifier`] of your own for those.)
    pub fn verify(&self, token: &str) -> Result<Verdict> {
        let settings = self.settings();
        let mut keys = StaticKeys::new();
        keys.add_jwk_doc(self.jwks().as_bytes(), "jwks.json", &settings)?;
        Ok(Verifier::new(keys, settings)?.verify(token))
    }
}

/// The bytes of one file of the set.
fn file<'a>(c: &'a Corpus, path: &str) -> Result<&'a [u8]> {
    c.files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.as_slice())
        .ok_or_else(|| Error::input(path, "missing from the fixture set"))
}

/// The text of one file of the set (every file but the tokens' is built
/// present and UTF-8).
fn text<'a>(c: &'a Corpus, path: &str) -> &'a str {
    file(c, path)
        .ok()
        .and_then(|b| std::str::from_utf8(b).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> Identity {
        Identity::with_options(Options {
            seed: "testkit".into(),
            now: 1_767_225_600,
            iss: DEFAULT_ISS.into(),
            sub: DEFAULT_SUB.into(),
            auth_id: None,
        })
        .unwrap()
    }

    /// Every case without extra verify arguments gets the verdict the
    /// catalogue promises, and minted tokens are valid for any sub.
    #[test]
    fn cases_get_their_verdicts() {
        let id = id();
        let mut judged = 0;
        for c in id.cases() {
            let entry = id
                .corpus
                .tokens()
                .find(|f| f.entry["name"] == c.name)
                .unwrap();
            if entry.entry["verify_args"].as_array().unwrap().len() != 6 {
                continue; // needs --aud or another flag
            }
            let v = id.verify(c.token).unwrap();
            assert_eq!(v.is_valid(), c.valid, "{}", c.name);
            assert_eq!(
                v.code().map(crate::policy::Code::as_str),
                c.code,
                "{}",
                c.name
            );
            judged += 1;
        }
        assert!(judged > 25, "{judged}");
        let t = id.token("ünïcode user").unwrap();
        assert!(id.verify(&t).unwrap().is_valid());
        let e = id.broken("nope").unwrap_err().to_string();
        assert!(
            e.contains("no such case; the cases are: valid-rs256, "),
            "{e}"
        );
    }
}
