//! Where verification keys come from: key files (JWK, JWKS, certificate,
//! public or private key) and a JWKS URL, each read once ([`read`]) into
//! the one key model ([`policy::Key`]), and [`load_keys`], which `verify`
//! and `ui` share.

#[cfg(feature = "net")]
use std::time::{Duration, Instant};

use super::KeySource;
#[cfg(feature = "net")]
use crate::net::{self, FetchOptions, RawResponse};
use crate::policy::{self, Key, Settings};
use crate::read::{self, KeyDoc, KeyKind};
use crate::Result;

/// The one key of a file given as `given` (a certificate, or a public or
/// private key, for its public half), read once ([`read::key_file`]) into
/// the one key model with its key rules' findings (a certificate's too: K7
/// validity, K15 fixture key, ...; a chain is read for its leaf). A key
/// that breaks a rule (1024 bits, an EC key) is kept with its findings, so
/// a token judged with it is invalid with that rule, as `check` says.
pub fn file_key(bytes: &[u8], what: &str, given: KeyKind, s: &Settings) -> Result<Key> {
    let doc = read::key_file(bytes, what, given).1?;
    policy::doc_keys(doc, s)
        .into_iter()
        .next()
        .ok_or_else(|| crate::Error::input(what, "holds no key"))
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

    /// Add the verification keys of a JWK or JWKS document (a JSON array of
    /// JWKs is read too; `check` names its shape), each with its key rules'
    /// findings, in the one key model ([`policy::doc_keys`]): keys that
    /// break a rule or cannot be used at all are kept, so the verdict on a
    /// token that selects one names that key's rule, and one that selects
    /// another key ignores them with a warning. Only input that cannot be
    /// read as JSON keys is an error. Returns how many cannot be used (keys
    /// of other types).
    pub fn add_jwk_doc(&mut self, bytes: &[u8], what: &str, s: &Settings) -> Result<usize> {
        let doc = read::json_doc(read::strip_bom(bytes), what)?;
        Ok(self.add_doc(doc, s))
    }

    /// Add the keys of a document read once ([`read::key_file`]). Returns
    /// how many cannot be used.
    pub fn add_doc(&mut self, doc: KeyDoc, s: &Settings) -> usize {
        self.note_source(&doc.file);
        let keys = policy::doc_keys(doc, s);
        let unusable = keys.iter().filter(|k| k.public.is_none()).count();
        self.keys.extend(keys);
        unusable
    }

    /// Add a key. A kid that another key already has is kept: a token
    /// whose kid names two keys is refused by K12 under the platform
    /// profile ([`policy::evaluate`]).
    pub fn add_key(&mut self, key: Key) -> Result<()> {
        if !self.name.split(", ").any(|n| n == key.file) {
            self.note_source(&key.file);
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
    /// The last body, to tell whether a refresh changed the set.
    last_body: Vec<u8>,
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
        let answer = read::judge_jwks(raw)?;
        Ok(JwksUrl {
            url: url.to_string(),
            opts,
            settings: settings.clone(),
            keys: policy::doc_keys(answer.doc, settings),
            last_body: answer.body,
            fetches: 1,
            last_refresh: None,
            on_fetch,
        })
    }

    /// How many times the URL was fetched.
    pub fn fetches(&self) -> usize {
        self.fetches
    }
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
        if next.body == self.last_body {
            return Ok(false);
        }
        self.keys = policy::doc_keys(next.doc, &self.settings);
        self.last_body = next.body;
        Ok(true)
    }
}

/// The key inputs of a run, as `verify` and `ui` take them: key files, each
/// read once ([`read::key_file`]), or a JWKS URL.
pub enum KeyInputs {
    /// Key documents, in the order given (none: no keys were given).
    Files(Vec<KeyDoc>),
    /// A JWKS URL, fetched with these options; `on_fetch` is told about
    /// every fetch.
    #[cfg(feature = "net")]
    Url {
        url: String,
        opts: FetchOptions,
        on_fetch: Option<OnFetch>,
    },
}

/// The keys of a run: files, or a JWKS URL refreshed after an unknown kid.
#[derive(Debug)]
pub enum Keys {
    Files(StaticKeys),
    #[cfg(feature = "net")]
    Url(Box<JwksUrl>),
}

/// Turn the key inputs into keys, each with its key rules' findings at
/// `settings` (the profile and the clock tokens will be held to). The URL
/// is fetched once here.
pub fn load_keys(inputs: KeyInputs, settings: &Settings) -> Result<Keys> {
    match inputs {
        KeyInputs::Files(docs) => {
            let mut keys = StaticKeys::new();
            for doc in docs {
                keys.add_doc(doc, settings);
            }
            Ok(Keys::Files(keys))
        }
        #[cfg(feature = "net")]
        KeyInputs::Url {
            url,
            opts,
            on_fetch,
        } => Ok(Keys::Url(Box::new(JwksUrl::fetch(
            &url, opts, settings, on_fetch,
        )?))),
    }
}

impl KeySource for Keys {
    fn name(&self) -> &str {
        match self {
            Keys::Files(k) => k.name(),
            #[cfg(feature = "net")]
            Keys::Url(k) => k.name(),
        }
    }
    fn keys(&self) -> &[Key] {
        match self {
            Keys::Files(k) => k.keys(),
            #[cfg(feature = "net")]
            Keys::Url(k) => k.keys(),
        }
    }
    fn refresh(&mut self) -> Result<bool> {
        match self {
            Keys::Files(k) => k.refresh(),
            #[cfg(feature = "net")]
            Keys::Url(k) => k.refresh(),
        }
    }
}
