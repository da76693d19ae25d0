//! `uvtool cert`: a new self-signed certificate for an existing key.

use anyhow::Result;
use uvtool::cert::{self, CertOptions};
use uvtool::io::{display_name, read_input, WriteOptions};
use uvtool::{clock, jwk, Error};

use super::common;
use super::Outcome;
use crate::cli::CertArgs;

pub fn run(args: CertArgs) -> Result<Outcome> {
    cert::parse_subject(&args.subject)?;
    let bytes = read_input(&args.key)?;
    let key = jwk::load_key(&bytes, display_name(&args.key), true)?
        .private
        .ok_or_else(|| Error::input(display_name(&args.key), "holds no private key"))?;
    if let Some(w) = key.public.exponent_warning() {
        common::warn(format!("{}: {w}", display_name(&args.key)));
    }
    let der = cert::self_signed(
        &key,
        &CertOptions {
            subject: args.subject,
            days: common::days(args.days)?,
            not_before: None,
            serial: None,
        },
    )?;
    let info = cert::parse_der(&der, "new certificate")?;
    common::emit(
        args.out.as_deref(),
        &info.to_pem(),
        WriteOptions {
            force: args.force,
            private: false,
        },
    )?;
    eprintln!(
        "uvtool: certificate {} for an RSA-{} key, valid until {}",
        info.subject,
        key.public.bits(),
        clock::format_utc(info.not_after).unwrap_or_default()
    );
    Ok(Outcome::Yes)
}
