//! `uvtool keygen`: key pair, certificate, JWK and JWKS in one go.

use std::path::PathBuf;

use anyhow::{Context, Result};
use uvtool::bundle::{self, Bundle, BundleOptions};
use uvtool::keys::KeySize;
use uvtool::{clock, Error};

use super::common;
use super::Outcome;
use crate::cli::error::usage;
use crate::cli::KeygenArgs;

pub fn run(args: KeygenArgs) -> Result<Outcome> {
    let size = KeySize::from_bits(args.bits)?;
    let now = common::now(args.now);
    let days = common::days(args.days, now)?;
    if args.kid.as_deref().is_some_and(|k| k.trim().is_empty()) {
        return Err(usage(
            "--kid is empty; give a key id or leave it out for the thumbprint",
        ));
    }
    let dir = &args.out_dir;
    prepare_dir(dir)?;
    // The folder's lock first: a set a killed run committed is finished
    // before anything is checked, and concurrent runs take turns.
    let lock = uvtool::io::lock_dir(dir)?;
    if !args.force {
        if let Some(p) = bundle::FILES
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.exists())
        {
            return Err(Error::Exists(p).into());
        }
    }
    if args.seed.as_deref().is_some_and(str::is_empty) {
        return Err(usage("--seed is empty; give a text such as ci"));
    }
    let b = Bundle::generate(&BundleOptions {
        size,
        days,
        subject: args.subject.clone(),
        kid: args.kid.clone(),
        alg: args.alg,
        now,
        seed: args.seed.clone(),
    })?;
    b.write_locked(&lock, args.force)?;
    drop(lock);
    let (key, info, kid) = (&b.key, &b.cert, &b.kid);

    if let Some(seed) = &args.seed {
        common::seed_warning(seed);
    }
    let shown = dir.display();
    let until = clock::format_utc(info.not_after).unwrap_or_default();
    say!(
        "uvtool: wrote an RSA-{} key pair and a self-signed certificate to {shown}/",
        key.public.bits()
    );
    if args.seed.is_some() {
        say!(
            "  private.pem  private key (PKCS#8, mode 0600), derived from the seed: for tests only"
        );
    } else {
        say!("  private.pem  private key (PKCS#8, mode 0600): keep it secret, sign tokens with it");
    }
    say!("  public.pem   public key (SPKI)");
    say!(
        "  cert.pem     certificate {}, valid until {until} ({} days)",
        info.subject,
        args.days
    );
    if args.seed.is_some() {
        say!(
            "  jwk.json     the JWK (alg {}): a test fixture, never upload it",
            args.alg
        );
    } else {
        say!(
            "  jwk.json     the JWK to upload in Setup (alg {})",
            args.alg
        );
    }
    say!("  jwks.json    the same key as a JWKS, for a keyset endpoint");
    say!("  kid: {kid}");
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
