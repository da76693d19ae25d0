//! The JWKS endpoint behind `uvtool serve`: a [`Handler`] for the server
//! core of [`crate::http`].
//!
//! [`JwksHandler`] serves one JWKS file at one path, GET and HEAD only, with
//! `Content-Type: application/json`, `Cache-Control` and a strong `ETag`
//! (304 on `If-None-Match`). It follows the file: a changed file (atomic
//! replace included) is re-read on the next request, under [`MAX_JWKS`] and
//! outside the lock that answers requests, and an invalid one is logged and
//! ignored while the last good set keeps being served. Sets with private
//! members are refused.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use crate::http::{Handler, Logger, Request, Response};
use crate::jwk;
use crate::{b64, Error, ErrorKind, Result};

/// Largest JWKS file `serve` reads, at start and on every reload: what
/// uvtool's own fetcher (`verify --jwks-url`) accepts from a keyset
/// endpoint, so no set is published that a fetcher of ours would refuse.
pub const MAX_JWKS: u64 = crate::response::DEFAULT_MAX_BODY;

/// How [`MAX_JWKS`] is named in an error.
const MAX_JWKS_NAME: &str = "the limit for a served JWKS (serve::MAX_JWKS)";

/// Read the followed JWKS file under [`MAX_JWKS`], as every input is read
/// ([`crate::read::file_capped`]): a file saved as UTF-16 or with a
/// byte-order mark is served as the same JSON in UTF-8 (RFC 8259 §8.1:
/// JSON between systems is UTF-8, without a byte-order mark).
fn read_jwks(path: &Path) -> Result<Vec<u8>> {
    crate::read::file_capped(path, MAX_JWKS, MAX_JWKS_NAME)
}

/// What the JWKS endpoint serves, and how.
#[derive(Debug, Clone)]
pub struct JwksOptions {
    /// The path the JWKS is served at, e.g. `/.well-known/jwks.json`.
    pub path: String,
    /// `Cache-Control: public, max-age=N`.
    pub max_age: u64,
    /// How a reload's error is said in the log (a front end words the
    /// library's errors its own way); by default, its `Display`.
    pub word: fn(&Error) -> String,
}

impl Default for JwksOptions {
    fn default() -> Self {
        JwksOptions {
            path: "/.well-known/jwks.json".into(),
            max_age: 60,
            word: |e| e.to_string(),
        }
    }
}

/// A validated JWKS ready to be served.
#[derive(Debug)]
pub struct ServedSet {
    /// The set's JSON text, as served: the file's bytes, in UTF-8 without
    /// a byte-order mark ([`crate::read::file_capped`]).
    pub body: Vec<u8>,
    /// Strong entity tag (quoted), derived from the body.
    pub etag: String,
    /// Number of keys in the set.
    pub keys: usize,
}

/// Validate JWKS bytes for serving: a JWKS with at least one key, no private
/// members, no duplicate kids, and well-formed RSA keys.
pub fn validate_set(body: Vec<u8>, what: &str) -> Result<ServedSet> {
    let keys = jwk::parse_jwks(&body, what)?;
    if keys.is_empty() {
        return Err(Error::input(what, "the key set is empty ({\"keys\":[]})"));
    }
    // Served sets are held to more than a verifier's reading: placeholders
    // (K10) pass, but real private members, duplicate kids, malformed RSA
    // keys and an x5c of another key are refused before they are published.
    jwk::check_set(&keys, what)?;
    for (i, obj) in keys.iter().enumerate() {
        let name = format!("{what}: keys[{i}]");
        match jwk::parse_rsa(obj, &name) {
            Ok(j) => jwk::check_x5c(obj, &j.public, &name)?,
            Err(jwk::JwkProblem::OtherKty(_)) => {}
            Err(jwk::JwkProblem::Bad(e)) => return Err(e),
        }
    }
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &body);
    let etag = format!("\"{}\"", &b64::url_encode(digest.as_ref())[..22]);
    Ok(ServedSet {
        keys: keys.len(),
        body,
        etag,
    })
}

/// What identifies a version of the file on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    ino: u64,
    #[cfg(unix)]
    dev: u64,
    #[cfg(unix)]
    ctime: (i64, i64),
}

fn stamp(path: &Path) -> std::io::Result<Stamp> {
    let m = fs::metadata(path)?;
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt;
    Ok(Stamp {
        len: m.len(),
        modified: m.modified().ok(),
        #[cfg(unix)]
        ino: m.ino(),
        #[cfg(unix)]
        dev: m.dev(),
        #[cfg(unix)]
        ctime: (m.ctime(), m.ctime_nsec()),
    })
}

/// The JWKS file being followed.
struct Followed {
    path: PathBuf,
    /// Held only to compare stamps and swap sets, never while reading.
    state: Mutex<FollowState>,
    /// Held by the one request that re-reads a changed file; the others
    /// keep being answered with the last good set meanwhile.
    reloading: Mutex<()>,
}

struct FollowState {
    /// The stamp of the last version looked at (good or not).
    seen: Option<Stamp>,
    /// The problem last reported, so it is logged once.
    problem: Option<String>,
    good: Arc<ServedSet>,
}

impl Followed {
    fn load(path: &Path) -> Result<Followed> {
        let st = stamp(path).map_err(|e| Error::io(path, "cannot read", e))?;
        let body = read_jwks(path)?;
        let set = validate_set(body, &path.display().to_string())?;
        Ok(Followed {
            path: path.to_path_buf(),
            state: Mutex::new(FollowState {
                seen: Some(st),
                problem: None,
                good: Arc::new(set),
            }),
            reloading: Mutex::new(()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, FollowState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The set to serve now, re-reading the file when it changed. The file
    /// is read (under [`MAX_JWKS`]) and validated outside the lock that
    /// answers requests, by one request at a time; the others are answered
    /// with the last good set meanwhile.
    fn current(&self, log: &Logger, word: fn(&Error) -> String) -> Arc<ServedSet> {
        let now = stamp(&self.path);
        {
            let st = self.lock();
            if matches!(&now, Ok(s) if st.seen.as_ref() == Some(s)) {
                return Arc::clone(&st.good);
            }
        }
        let _reload = match self.reloading.try_lock() {
            Ok(g) => g,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Arc::clone(&self.lock().good),
        };
        match now {
            Ok(s) => {
                if self.lock().seen.as_ref() == Some(&s) {
                    // Another request reloaded this version meanwhile.
                    return Arc::clone(&self.lock().good);
                }
                let what = self.path.display().to_string();
                let loaded = read_jwks(&self.path).and_then(|b| validate_set(b, &what));
                let mut st = self.lock();
                st.seen = Some(s);
                match loaded {
                    Ok(set) => {
                        if set.etag != st.good.etag {
                            log(&format!(
                                "reloaded {what}: {} key(s), ETag {}",
                                set.keys, set.etag
                            ));
                        }
                        st.problem = None;
                        st.good = Arc::new(set);
                    }
                    Err(e) => {
                        let msg = word(&e);
                        log(&format!(
                            "not reloading: {msg}; still serving the last good set (ETag {})",
                            st.good.etag
                        ));
                        st.problem = Some(msg);
                    }
                }
                Arc::clone(&st.good)
            }
            Err(e) => {
                let mut st = self.lock();
                let msg = format!("{}: cannot read: {e}", self.path.display());
                if st.problem.as_deref() != Some(msg.as_str()) {
                    log(&format!(
                        "{msg}; still serving the last good set (ETag {})",
                        st.good.etag
                    ));
                    st.problem = Some(msg);
                }
                st.seen = None;
                Arc::clone(&st.good)
            }
        }
    }
}

/// The JWKS endpoint of `uvtool serve`: one file at one path.
pub struct JwksHandler {
    opts: JwksOptions,
    file: Followed,
    log: Logger,
}

impl JwksHandler {
    /// Load and validate the JWKS file; `log` hears of reloads and problems.
    pub fn load(jwks: &Path, opts: JwksOptions, log: Logger) -> Result<JwksHandler> {
        if !opts.path.starts_with('/') {
            return Err(ErrorKind::UrlPath(opts.path.clone()).into());
        }
        Ok(JwksHandler {
            file: Followed::load(jwks)?,
            opts,
            log,
        })
    }

    /// Number of keys in the set being served.
    pub fn key_count(&self) -> usize {
        self.file.lock().good.keys
    }

    /// The path the JWKS is served at.
    pub fn path(&self) -> &str {
        &self.opts.path
    }
}

impl Handler for JwksHandler {
    fn handle(&self, req: &Request<'_>) -> Response {
        let opts = &self.opts;
        if req.path != opts.path {
            return Response::text(404, &format!("not found; the JWKS is at {}\n", opts.path));
        }
        if req.method != "GET" && req.method != "HEAD" {
            return Response::text(405, "only GET and HEAD are allowed\n")
                .header("Allow", "GET, HEAD");
        }
        let set = self.file.current(&self.log, opts.word);
        let cache = format!("public, max-age={}", opts.max_age);
        let if_none_match: Vec<&[u8]> = req
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("if-none-match"))
            .map(|(_, v)| *v)
            .collect();
        if !if_none_match.is_empty() && etag_matches(&if_none_match, &set.etag) {
            return Response {
                status: 304,
                headers: vec![("ETag", set.etag.clone()), ("Cache-Control", cache)],
                body: Vec::new(),
            };
        }
        Response::new(200, "application/json", set.body.clone())
            .header("Cache-Control", cache)
            .header("ETag", set.etag.clone())
            .header("X-Content-Type-Options", "nosniff")
    }
}

/// Weak comparison of `If-None-Match` values against our tag (RFC 9110 §13.1.2).
fn etag_matches(values: &[&[u8]], etag: &str) -> bool {
    values.iter().any(|v| {
        String::from_utf8_lossy(v).split(',').any(|t| {
            let t = t.trim();
            t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags() {
        let tag = "\"abc\"";
        assert!(etag_matches(&[b"\"abc\""], tag));
        assert!(etag_matches(&[b"W/\"abc\""], tag));
        assert!(etag_matches(&[b"\"x\", \"abc\""], tag));
        assert!(etag_matches(&[b"*"], tag));
        assert!(!etag_matches(&[b"\"abd\""], tag));
    }

    #[test]
    fn a_refused_reload_is_logged_in_the_front_ends_words() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("jwks.json");
        let jwks = include_str!("../fixtures/keys/a/jwks.json");
        std::fs::write(&p, jwks).unwrap();
        let followed = Followed::load(&p).unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let log: Logger = Arc::new(move |l: &str| sink.lock().unwrap().push(l.to_string()));
        let mut v: serde_json::Value = serde_json::from_str(jwks).unwrap();
        v["keys"][0]["d"] = "AQAB".into();
        std::fs::write(&p, v.to_string()).unwrap();
        followed.current(&log, |e| format!("[{}]", e.kind().map_or(0, |_| 1)));
        let what = p.display();
        assert_eq!(
            lines.lock().unwrap().as_slice(),
            [format!(
                "not reloading: [1]; still serving the last good set (ETag {})",
                followed.lock().good.etag
            )]
        );
        // By default, the library's own words (no command named).
        std::fs::write(&p, format!(" {v}")).unwrap();
        followed.current(&log, JwksOptions::default().word);
        let last = lines.lock().unwrap().last().cloned().unwrap();
        assert!(
            last.starts_with(&format!(
                "not reloading: {what}: keys[0]: has private member(s) d; a JWKS is published and must hold public keys only (publish the public JWK)"
            )),
            "{last}"
        );
    }
}
