//! `uvtool keygen`: key pair, certificate, JWK and JWKS in one go.

use std::path::PathBuf;

use anyhow::{Context, Result};
use uvtool::bundle::{self, Bundle, BundleOptions};
use uvtool::keys::KeySize;
use uvtool::{clock, Error};

use super::Outcome;
use crate::cli::KeygenArgs;

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
    if !args.force {
        if let Some(p) = bundle::FILES
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.exists())
        {
            return Err(Error::Exists(p).into());
        }
    }
    let b = Bundle::generate(&BundleOptions {
        size,
        days: args.days,
        subject: args.subject.clone(),
        kid: args.kid.clone(),
        alg: args.alg,
        now: clock::now(),
    })?;
    b.write(dir, args.force)?;
    let (key, info, kid) = (&b.key, &b.cert, &b.kid);

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
