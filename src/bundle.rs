//! The key bundle `keygen` and `init` make: an RSA key pair, a self-signed
//! certificate, the JWK (with `x5c`) and the JWKS holding it, written as
//! five files that appear together or not at all.

use std::path::{Path, PathBuf};

use crate::cert::{self, CertInfo, CertOptions};
use crate::io::{stage, WriteOptions};
use crate::jwk::{self, JwkObject, JwkOptions};
use crate::keys::{KeySize, RsaPrivate};
use crate::token::Alg;
use crate::Result;

/// The files of a bundle, in the order they are written.
pub const FILES: [&str; 5] = [
    "private.pem",
    "public.pem",
    "cert.pem",
    "jwk.json",
    "jwks.json",
];

/// What to make.
#[derive(Debug, Clone)]
pub struct BundleOptions {
    pub size: KeySize,
    /// Certificate lifetime, days.
    pub days: u32,
    /// Certificate subject (`CN=…,O=…` or `/CN=…/O=…`).
    pub subject: String,
    /// The JWK's kid; `None` for the RFC 7638 thumbprint.
    pub kid: Option<String>,
    /// The JWK's alg.
    pub alg: Alg,
    /// The certificate's notBefore, unix seconds.
    pub now: i64,
    /// Derive the key from this text (a public seed: fixtures only). The
    /// certificate's subject then says it is a fixture key, and its serial
    /// comes from the seed, so the whole bundle is reproducible.
    pub seed: Option<String>,
}

/// A key pair with its certificate and JWK.
#[derive(Debug)]
pub struct Bundle {
    pub key: RsaPrivate,
    pub cert: CertInfo,
    pub jwk: JwkObject,
    /// The JWK's kid.
    pub kid: String,
}

impl Bundle {
    /// Generate a new key (or derive it from the seed) and build the rest
    /// around it.
    pub fn generate(opts: &BundleOptions) -> Result<Bundle> {
        let mut opts = opts.clone();
        if opts.seed.is_some() {
            // A seeded key's certificate says it is a fixture key (K15).
            opts.subject = cert::FIXTURE_SUBJECT.to_string();
        }
        // Validate the certificate options before the (slow) key generation.
        cert::parse_subject(&opts.subject)?;
        let key = match &opts.seed {
            Some(seed) => RsaPrivate::from_seed(seed, opts.size)?,
            None => RsaPrivate::generate(opts.size)?,
        };
        Bundle::from_key(key, &opts)
    }

    /// Build the certificate and JWK around an existing key.
    pub fn from_key(key: RsaPrivate, opts: &BundleOptions) -> Result<Bundle> {
        let cert_der = cert::self_signed(
            &key,
            &CertOptions {
                subject: opts.subject.clone(),
                days: opts.days,
                not_before: Some(opts.now),
                serial: opts.seed.as_deref().map(cert::serial_from_seed),
            },
        )?;
        let cert = cert::parse_der(&cert_der, "new certificate")?;
        let jwk = jwk::build(
            &key.public,
            &JwkOptions {
                kid: opts.kid.clone(),
                alg: Some(opts.alg),
                cert: Some(&cert),
                private: None,
            },
        )?;
        let kid = jwk
            .get("kid")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        Ok(Bundle {
            key,
            cert,
            jwk,
            kid,
        })
    }

    /// The JWKS holding the JWK, as written to `jwks.json`.
    pub fn jwks_text(&self) -> String {
        jwk::jwks_to_string(std::slice::from_ref(&self.jwk))
    }

    /// The contents of [`FILES`], in order.
    pub fn contents(&self) -> Result<[String; 5]> {
        Ok([
            self.key.to_pkcs8_pem()?,
            self.key.public.to_spki_pem()?,
            self.cert.to_pem(),
            jwk::jwk_to_string(&self.jwk),
            self.jwks_text(),
        ])
    }

    /// Write the five files into `dir` (which must exist), all or nothing:
    /// under the folder's lock, every file is first written and synced
    /// under a temporary name, then all are moved into place through a
    /// journal ([`crate::io::commit_set`]), so a failure or a kill leaves
    /// the complete old set or the complete new one, and concurrent runs
    /// take turns. Without `force` an existing file is an error and nothing
    /// is written. The private key is created 0600.
    pub fn write(&self, dir: &Path, force: bool) -> Result<Vec<PathBuf>> {
        let lock = crate::io::lock_dir(dir)?;
        self.write_locked(&lock, force)
    }

    /// [`Bundle::write`] into the folder of a lock already held (taken
    /// before checking for an existing set, as `keygen` does).
    pub fn write_locked(&self, lock: &crate::io::DirLock, force: bool) -> Result<Vec<PathBuf>> {
        let dir = lock.dir();
        let paths: Vec<PathBuf> = FILES.iter().map(|f| dir.join(f)).collect();
        if !force {
            if let Some(p) = paths.iter().find(|p| p.exists()) {
                return Err(crate::Error::Exists(p.clone()));
            }
        }
        let contents = self.contents()?;
        let mut staged = Vec::with_capacity(paths.len());
        for (i, (path, data)) in paths.iter().zip(&contents).enumerate() {
            let opts = WriteOptions {
                force,
                private: i == 0,
            };
            staged.push(stage(path, data.as_bytes(), opts)?);
        }
        crate::io::commit_set(lock, staged)?;
        Ok(paths)
    }
}
