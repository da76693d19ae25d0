//! `uvtool jwk`: export a JWK from a certificate and/or a key (PEM, DER or a
//! JWK), or write the key back as PEM with --to-pem.

use anyhow::Result;
use uvtool::cert;
use uvtool::io::{display_name, WriteOptions};
use uvtool::jwk::{self, JwkOptions};
use uvtool::token::Alg;

use super::common::{self, FileFlag};
use super::Outcome;
use crate::cli::error::usage;
use crate::cli::JwkArgs;
use uvtool::read::Kind;

/// The file flags of `jwk` and the kinds each takes.
const FLAGS: &[FileFlag] = &[
    FileFlag {
        flag: "--cert",
        takes: &[Kind::Certificate],
    },
    FileFlag {
        flag: "--key",
        takes: &[
            Kind::PublicKey,
            Kind::PrivateKey,
            Kind::EncryptedKey,
            Kind::Jwk,
            Kind::PrivateJwk,
        ],
    },
];

pub fn run(args: JwkArgs) -> Result<Outcome> {
    if args.cert.as_deref() == Some("-") && args.key.as_deref() == Some("-") {
        return Err(usage("--cert and --key cannot both read stdin"));
    }
    if args.kid.as_deref().is_some_and(|k| k.trim().is_empty()) {
        return Err(usage(
            "--kid is empty; give a key id or leave it out for the thumbprint",
        ));
    }
    let cert = match &args.cert {
        Some(p) => Some(common::load_for(
            p,
            "--cert",
            FLAGS,
            cert::load_certificate,
        )?),
        None => None,
    };
    let loaded = match &args.key {
        Some(p) => Some(common::load_for(p, "--key", FLAGS, |b, n| {
            jwk::load_key(b, n, args.private)
        })?),
        None => None,
    };
    let public = match (&loaded, &cert) {
        (Some(k), _) => k.public.clone(),
        (None, Some(c)) => c.public.clone(),
        (None, None) => return Err(usage("give --cert FILE and/or --key FILE")),
    };
    // The key rules on what was given (K6, K14, K7), as `check` words them.
    let key_name = args.key.as_deref().map(display_name);
    let cert_name = args.cert.as_deref().map(display_name);
    common::export_checks(&uvtool::policy::keys::Export {
        key: key_name.zip(loaded.as_ref().map(|k| &k.public)),
        // `--key` as given (public or private: this command reads both).
        private_key: key_name,
        cert: cert_name.zip(cert.as_ref()),
        now: uvtool::clock::now(),
    })?;
    let private = loaded.as_ref().and_then(|k| k.private.as_ref());
    let opts = WriteOptions {
        force: args.force,
        private: args.private,
    };
    if args.to_pem {
        let pem = match (args.private, private) {
            (true, Some(k)) => k.to_pkcs8_pem()?,
            _ => public.to_spki_pem()?,
        };
        common::emit(args.out.as_deref(), &pem, opts)?;
        return Ok(Outcome::Yes);
    }
    if cert.is_none() && !args.private {
        common::warn(
            "no --cert: the JWK has no x5c; Salesforce's troubleshooting page (TS) lists x5c as required for the upload, and one field report says the form took a key without it and verification then stayed anonymous; give --cert for a key you will upload",
        );
    }
    if args.official_shape {
        // clap makes --official-shape require --cert.
        if let Some(c) = &cert {
            common::warn(
                "--official-shape: \"y\":\"y\", \"crv\":\"crv\", \"d\":\"d\", \"k\":\"k\" are the official tool's placeholders (its output and the documented sample, TS), not key material; generic JOSE libraries may take the key for a private or malformed one (rule K10)",
            );
            let alg = args.alg.unwrap_or(Alg::RS256);
            let kid = args.kid.clone().unwrap_or_else(|| jwk::thumbprint(&public));
            let obj = uvtool::official::jwk(&public, &kid, alg, c)?;
            common::emit(
                args.out.as_deref(),
                &jwk::jwk_to_string(&obj),
                WriteOptions {
                    force: args.force,
                    private: false,
                },
            )?;
            return Ok(Outcome::Yes);
        }
    }
    let from_jwk = |f: fn(&jwk::LoadedKey) -> Option<String>| loaded.as_ref().and_then(f);
    let obj = jwk::build(
        &public,
        &JwkOptions {
            kid: args.kid.clone().or_else(|| from_jwk(|k| k.kid.clone())),
            alg: Some(
                args.alg
                    .or_else(|| from_jwk(|k| k.alg.clone()).and_then(|a| Alg::from_name(&a)))
                    .unwrap_or(Alg::RS256),
            ),
            cert: cert.as_ref(),
            private: if args.private { private } else { None },
        },
    )?;
    common::emit(args.out.as_deref(), &jwk::jwk_to_string(&obj), opts)?;
    Ok(Outcome::Yes)
}
