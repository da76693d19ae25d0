//! `uvtool keygen`: key pair, certificate, JWK and JWKS in one go.

use std::path::PathBuf;

use anyhow::{Context, Result};
use uvtool::cert::{self, CertOptions};
use uvtool::io::{stage, WriteOptions};
use uvtool::jwk::{self, JwkOptions};
use uvtool::keys::{KeySize, RsaPrivate};
use uvtool::{clock, Error};

use super::Outcome;
use crate::cli::KeygenArgs;

/// The files keygen writes, in order.
const FILES: [&str; 5] = [
    "private.pem",
    "public.pem",
    "cert.pem",
    "jwk.json",
    "jwks.json",
];

pub fn run(args: KeygenArgs) -> Result<Outcome> {
    let size = KeySize::from_bits(args.bits)?;
    if args.kid.as_deref().is_some_and(|k| k.trim().is_empty()) {
        return Err(Error::Usage(
            "--kid is empty; give a key id or leave it out for the thumbprint".into(),
        )
        .into());
    }
    let dir = &args.out_dir;
    prepare_dir(dir)?;
    let paths: Vec<PathBuf> = FILES.iter().map(|f| dir.join(f)).collect();
    if !args.force {
        if let Some(p) = paths.iter().find(|p| p.exists()) {
            return Err(Error::Exists(p.clone()).into());
        }
    }
    if args.seed.as_deref().is_some_and(str::is_empty) {
        return Err(Error::Usage("--seed is empty; give a text such as ci".into()).into());
    }
    let now = match args.now.as_deref() {
        Some(s) => clock::parse_timestamp(s).map_err(|m| clock::usage("--now", m))?,
        None => clock::now(),
    };
    // A seeded key's certificate says it is a fixture key.
    let subject = match &args.seed {
        Some(_) => cert::FIXTURE_SUBJECT.to_string(),
        None => args.subject.clone(),
    };
    // Validate the certificate options before the (slow) key generation.
    cert::parse_subject(&subject)?;

    let key = match &args.seed {
        Some(seed) => RsaPrivate::from_seed(seed, size)?,
        None => RsaPrivate::generate(size)?,
    };
    let opts = CertOptions {
        subject,
        days: args.days,
        not_before: Some(now),
        serial: args.seed.as_deref().map(cert::serial_from_seed),
    };
    let cert_der = cert::self_signed(&key, &opts)?;
    let info = cert::parse_der(&cert_der, "new certificate")?;
    let jwk = jwk::build(
        &key.public,
        &JwkOptions {
            kid: args.kid.clone(),
            alg: Some(args.alg.clone()),
            cert: Some(&info),
            private: None,
        },
    )?;
    let kid = jwk
        .get("kid")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    let contents = [
        key.to_pkcs8_pem()?,
        key.public.to_spki_pem()?,
        info.to_pem(),
        jwk::jwk_to_string(&jwk),
        jwk::jwks_to_string(std::slice::from_ref(&jwk)),
    ];

    // Stage every file first (written and synced under temporary names), then
    // move them into place: a failure while writing leaves nothing behind and
    // no existing file touched.
    let mut staged = Vec::with_capacity(paths.len());
    for (i, (path, data)) in paths.iter().zip(&contents).enumerate() {
        let opts = WriteOptions {
            force: args.force,
            private: i == 0,
        };
        staged.push(stage(path, data.as_bytes(), opts)?);
    }
    let mut committed: Vec<&PathBuf> = Vec::new();
    for (s, path) in staged.into_iter().zip(&paths) {
        if let Err(e) = s.commit() {
            // Without --force the files committed so far are new: remove them
            // so no half-made set is left.
            if !args.force {
                for p in &committed {
                    let _ = std::fs::remove_file(p);
                }
            }
            return Err(e.into());
        }
        committed.push(path);
    }

    if let Some(seed) = &args.seed {
        super::warn(format!(
            "the key is derived from the seed {seed:?}: anyone who knows the seed has the private key. Use it for test fixtures only and never upload it (its certificate is named \"{}\")",
            cert::FIXTURE_CN
        ));
    }
    let shown = dir.display();
    let until = clock::format_utc(info.not_after).unwrap_or_default();
    eprintln!(
        "uvtool: wrote an RSA-{} key pair and a self-signed certificate to {shown}/",
        key.public.bits()
    );
    if args.seed.is_some() {
        eprintln!(
            "  private.pem  private key (PKCS#8, mode 0600), derived from the seed: for tests only"
        );
    } else {
        eprintln!(
            "  private.pem  private key (PKCS#8, mode 0600): keep it secret, sign tokens with it"
        );
    }
    eprintln!("  public.pem   public key (SPKI)");
    eprintln!(
        "  cert.pem     certificate {}, valid until {until} ({} days)",
        info.subject, args.days
    );
    if args.seed.is_some() {
        eprintln!(
            "  jwk.json     the JWK (alg {}): a test fixture, never upload it",
            args.alg
        );
    } else {
        eprintln!(
            "  jwk.json     the JWK to upload in Setup (alg {})",
            args.alg
        );
    }
    eprintln!("  jwks.json    the same key as a JWKS, for a keyset endpoint");
    eprintln!("  kid: {kid}");
    Ok(Outcome::Yes)
}

/// Create the output folder if it is missing (its parent must exist).
fn prepare_dir(dir: &PathBuf) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::input(dir.display(), "exists and is not a folder").into()),
        Err(_) => std::fs::create_dir(dir)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Error::input(
                    dir.display(),
                    "cannot create the folder: its parent does not exist (create it first, e.g. mkdir -p)",
                ),
                _ => Error::io(dir, "cannot create the folder", e),
            })
            .context("--out-dir"),
    }
}
