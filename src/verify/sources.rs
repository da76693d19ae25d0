//! Where verification keys come from: key files (JWK, JWKS, certificate,
//! public or private key) and a JWKS URL, each read once into the one key
//! model ([`policy::Key`], from [`read`]'s documents).

#[cfg(feature = "net")]
use std::time::{Duration, Instant};

use super::KeySource;
#[cfg(feature = "net")]
use crate::net::{self, FetchOptions, RawResponse};
use crate::policy::{self, Key, Settings};
use crate::read;
#[cfg(feature = "net")]
use crate::read::FetchedJwks;
use crate::{cert, keys, Result};

/// The verification keys of a JWK or JWKS document (a JSON array of JWKs
/// is read too; `check` names its shape), each with its key rules'
/// findings, in the one key model ([`policy::doc_keys`]): keys that break
/// a rule or cannot be used at all are kept, so the verdict on a token that
/// selects one names that key's rule, and one that selects another key
/// ignores them with a warning. Only input that cannot be read as JSON keys
/// is an error. Returns the keys and how many cannot be used.
pub fn jwk_doc_keys(bytes: &[u8], what: &str, s: &Settings) -> Result<(Vec<Key>, usize)> {
    let doc = read::json_doc(read::strip_bom(bytes), what)?;
    let keys = policy::doc_keys(&doc, s);
    let unusable = keys.iter().filter(|k| k.public.is_none()).count();
    Ok((keys, unusable))
}

/// The one key a key or certificate file holds, read as `check` reads it
/// ([`read::classify`], [`policy::doc_keys`]): a key that breaks a rule
/// (1024 bits, an EC key) is kept with its findings, so a token judged with
/// it is invalid with that rule, as `check` says. `None` when the bytes are
/// not read that way (the caller's strict reader then words the error).
fn file_doc_key(bytes: &[u8], what: &str, s: &Settings) -> Option<Key> {
    match read::classify(bytes, what) {
        Ok(read::Input::Keys(doc)) if doc.keys.len() == 1 => {
            policy::doc_keys(&doc, s).into_iter().next()
        }
        _ => None,
    }
}

/// A key given as a certificate file, with the certificate rules' findings
/// (K7 validity, K15 fixture key, ...). A chain is read for its leaf.
pub fn cert_key(bytes: &[u8], what: &str, s: &Settings) -> Result<Key> {
    let c = match cert::load_certificate(bytes, what) {
        Ok(c) => c,
        // A certificate uvtool would not make (1024 bits, an EC key) is
        // still a certificate: judged, not refused.
        Err(e) => return file_doc_key(bytes, what, s).ok_or(e),
    };
    let mut k = Key::new(None, None, c.public, what);
    if let Ok(read::Input::Keys(doc)) = read::classify(&c.der, what) {
        k.findings = policy::keys::for_each_key(&doc, s)
            .into_iter()
            .next()
            .unwrap_or_default();
    }
    Ok(k)
}

/// A key given as a public or private key file (its public half).
pub fn file_key(bytes: &[u8], what: &str, s: &Settings) -> Result<Key> {
    let public = match keys::load_public(bytes, what) {
        Ok(p) => p,
        Err(e) => return file_doc_key(bytes, what, s).ok_or(e),
    };
    let mut k = Key::new(None, None, public, what);
    if let Ok(read::Input::Keys(doc)) = read::classify(bytes, what) {
        k.findings = policy::keys::for_each_key(&doc, s)
            .into_iter()
            .next()
            .unwrap_or_default();
    }
    Ok(k)
}

/// Keys from files: JWK/JWKS documents, certificates, public or private keys.
#[derive(Debug, Default)]
pub struct StaticKeys {
    name: String,
    keys: Vec<Key>,
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

    /// Add the keys of a JWK or JWKS document ([`jwk_doc_keys`]). Returns
    /// how many were skipped (keys of other types).
    pub fn add_jwk_doc(&mut self, bytes: &[u8], what: &str, s: &Settings) -> Result<usize> {
        let (keys, skipped) = jwk_doc_keys(bytes, what, s)?;
        self.note_source(what);
        for k in keys {
            self.add_key(k)?;
        }
        Ok(skipped)
    }

    /// Add a key. A kid that another key already has is kept: a token
    /// whose kid names two keys is refused by K12 under the platform
    /// profile ([`policy::evaluate`]).
    pub fn add_key(&mut self, key: Key) -> Result<()> {
        let file = key
            .origin
            .split(": ")
            .next()
            .unwrap_or_default()
            .to_string();
        if !self.name.split(", ").any(|n| n == file) {
            self.note_source(&file);
        }
        self.keys.push(key);
        Ok(())
    }
}

impl KeySource for StaticKeys {
    fn name(&self) -> &str {
        &self.name
    }
    fn keys(&self) -> &[Key] {
        &self.keys
    }
}

#[cfg(feature = "net")]
/// Told about each fetch of a [`JwksUrl`]: the raw response and the fetch count.
pub type OnFetch = Box<dyn Fn(&RawResponse, usize) + Send + Sync>;

#[cfg(feature = "net")]
/// Least time between two re-fetches of a JWKS URL.
pub const REFRESH_INTERVAL: Duration = Duration::from_secs(10);

#[cfg(feature = "net")]
/// Keys from a JWKS URL, for verification: fetched once when built; a token
/// with an unknown `kid` triggers one re-fetch before it is rejected
/// ([`KeySource::refresh`]), at most one per [`REFRESH_INTERVAL`].
pub struct JwksUrl {
    url: String,
    opts: FetchOptions,
    settings: Settings,
    keys: Vec<Key>,
    last: FetchedJwks,
    fetches: usize,
    last_refresh: Option<Instant>,
    on_fetch: Option<OnFetch>,
}

#[cfg(feature = "net")]
impl std::fmt::Debug for JwksUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwksUrl")
            .field("url", &self.url)
            .field("keys", &self.keys.len())
            .field("fetches", &self.fetches)
            .finish_non_exhaustive()
    }
}

#[cfg(feature = "net")]
impl JwksUrl {
    /// Fetch the set at `url`. `on_fetch` is told about every fetch (the
    /// first and each refresh, before the body is judged) with the fetch
    /// count, e.g. to show it.
    /// `settings` are those the tokens will be held to (the key rules'
    /// findings of each key depend on the profile and the clock).
    pub fn fetch(
        url: &str,
        opts: FetchOptions,
        settings: &Settings,
        on_fetch: Option<OnFetch>,
    ) -> Result<JwksUrl> {
        let raw = net::fetch(url, &opts)?;
        if let Some(f) = &on_fetch {
            f(&raw, 1);
        }
        let last = read::judge_jwks(raw)?;
        let keys = prepare(&last, settings)?;
        Ok(JwksUrl {
            url: url.to_string(),
            opts,
            settings: settings.clone(),
            keys,
            last,
            fetches: 1,
            last_refresh: None,
            on_fetch,
        })
    }

    /// The last response.
    pub fn last(&self) -> &FetchedJwks {
        &self.last
    }

    /// How many times the URL was fetched.
    pub fn fetches(&self) -> usize {
        self.fetches
    }
}

#[cfg(feature = "net")]
/// The usable verification keys of a fetched set, read as a JWKS file is:
/// no private members, no kid naming two keys.
fn prepare(f: &FetchedJwks, settings: &Settings) -> Result<Vec<Key>> {
    Ok(policy::doc_keys(&f.doc, settings))
}

#[cfg(feature = "net")]
impl KeySource for JwksUrl {
    fn name(&self) -> &str {
        &self.url
    }

    fn keys(&self) -> &[Key] {
        &self.keys
    }

    fn refresh(&mut self) -> Result<bool> {
        // At most one refresh per REFRESH_INTERVAL: a batch of tokens with
        // a kid the endpoint does not have costs one extra request, not one
        // per token.
        if self
            .last_refresh
            .is_some_and(|t| t.elapsed() < REFRESH_INTERVAL)
        {
            return Ok(false);
        }
        self.last_refresh = Some(Instant::now());
        let raw = net::fetch(&self.url, &self.opts)?;
        self.fetches += 1;
        if let Some(f) = &self.on_fetch {
            f(&raw, self.fetches);
        }
        let next = read::judge_jwks(raw)?;
        if next.body == self.last.body {
            self.last = next;
            return Ok(false);
        }
        self.keys = prepare(&next, &self.settings)?;
        self.last = next;
        Ok(true)
    }
}
