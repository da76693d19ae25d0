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
    let days = super::days(args.days)?;
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
    // Validate the certificate options before the (slow) key generation.
    cert::parse_subject(&args.subject)?;

    let key = RsaPrivate::generate(size)?;
    let now = clock::now();
    let opts = CertOptions {
        subject: args.subject.clone(),
        days,
        not_before: Some(now),
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

    let shown = dir.display();
    let until = clock::format_utc(info.not_after).unwrap_or_default();
    eprintln!(
        "uvtool: wrote an RSA-{} key pair and a self-signed certificate to {shown}/",
        key.public.bits()
    );
    eprintln!(
        "  private.pem  private key (PKCS#8, mode 0600): keep it secret, sign tokens with it"
    );
    eprintln!("  public.pem   public key (SPKI)");
    eprintln!(
        "  cert.pem     certificate {}, valid until {until} ({} days)",
        info.subject, args.days
    );
    eprintln!(
        "  jwk.json     the JWK to upload in Setup (alg {})",
        args.alg
    );
    eprintln!("  jwks.json    the same key as a JWKS, for a keyset endpoint");
    eprintln!("  kid: {kid}");
    Ok(Outcome::Yes)
}

/// Create the output folder, with its parents, if it is missing (as `init`
/// does).
fn prepare_dir(dir: &PathBuf) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => Err(Error::input(dir.display(), "exists and is not a folder").into()),
        Err(_) => std::fs::create_dir_all(dir)
            .map_err(|e| Error::io(dir, "cannot create the folder", e))
            .context("--out-dir"),
    }
}
