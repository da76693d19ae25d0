//! `uvtool cert`: a new self-signed certificate for an existing key.

use anyhow::Result;
use uvtool::cert::{self, CertOptions};
use uvtool::io::{display_name, WriteOptions};
use uvtool::{clock, jwk, Error};

use super::common::{self, FileFlag};
use super::Outcome;
use crate::cli::CertArgs;
use uvtool::read::Kind;

/// `--key` takes a private key: PEM/DER, or a private JWK.
const SIGNING: &[FileFlag] = &[FileFlag {
    flag: "--key",
    takes: &[Kind::PrivateKey, Kind::PrivateJwk, Kind::EncryptedKey],
}];

pub fn run(args: CertArgs) -> Result<Outcome> {
    cert::parse_subject(&args.subject)?;
    let key = common::load_for(&args.key, "--key", SIGNING, |b, n| {
        jwk::load_key(b, n, true)
    })?
    .private
    .ok_or_else(|| Error::input(display_name(&args.key), "holds no private key"))?;
    common::export_checks(&uvtool::policy::keys::Export {
        key: Some((display_name(&args.key), &key.public)),
        private_key: Some(display_name(&args.key)),
        cert: None,
        now: uvtool::clock::now(),
    })?;
    let der = cert::self_signed(
        &key,
        &CertOptions {
            subject: args.subject,
            days: common::days(args.days, uvtool::clock::now())?,
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
    say!(
        "uvtool: certificate {} for an RSA-{} key, valid until {}",
        info.subject,
        key.public.bits(),
        clock::format_utc(info.not_after).unwrap_or_default()
    );
    Ok(Outcome::Yes)
}
