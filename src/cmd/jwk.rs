//! `uvtool jwk`: export a JWK from a certificate and/or a key.

use anyhow::Result;
use uvtool::io::{display_name, read_input, WriteOptions};
use uvtool::jwk::{self, JwkOptions};
use uvtool::{cert, keys, Error};

use super::common;
use super::Outcome;
use crate::cli::JwkArgs;

pub fn run(args: JwkArgs) -> Result<Outcome> {
    if args.cert.as_deref() == Some("-") && args.key.as_deref() == Some("-") {
        return Err(Error::Usage("--cert and --key cannot both read stdin".into()).into());
    }
    if args.kid.as_deref().is_some_and(|k| k.trim().is_empty()) {
        return Err(Error::Usage(
            "--kid is empty; give a key id or leave it out for the thumbprint".into(),
        )
        .into());
    }
    let cert = match &args.cert {
        Some(p) => Some(cert::load_certificate(&read_input(p)?, display_name(p))?),
        None => None,
    };
    let (public, private) = match &args.key {
        Some(p) => {
            let bytes = read_input(p)?;
            let name = display_name(p);
            if args.private {
                let k = keys::load_private(&bytes, name)?;
                (k.public.clone(), Some(k))
            } else {
                (keys::load_public(&bytes, name)?, None)
            }
        }
        None => match &cert {
            Some(c) => (c.public.clone(), None),
            None => return Err(Error::Usage("give --cert FILE and/or --key FILE".into()).into()),
        },
    };
    if let (Some(c), Some(kp)) = (&cert, &args.key) {
        if c.public != public {
            return Err(Error::input(
                display_name(args.cert.as_deref().unwrap_or("-")),
                format!(
                    "the certificate's public key does not match {}; use the certificate made for that key (or make one with `uvtool cert --key {}`)",
                    display_name(kp),
                    display_name(kp)
                ),
            )
            .into());
        }
    }
    if let Some(w) = public.exponent_warning() {
        let source = args.key.as_deref().or(args.cert.as_deref()).unwrap_or("-");
        common::warn(format!("{}: {w}", display_name(source)));
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
            let alg = args.alg;
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
    let obj = jwk::build(
        &public,
        &JwkOptions {
            kid: args.kid,
            alg: Some(args.alg),
            cert: cert.as_ref(),
            private: private.as_ref(),
        },
    )?;
    common::emit(
        args.out.as_deref(),
        &jwk::jwk_to_string(&obj),
        WriteOptions {
            force: args.force,
            private: args.private,
        },
    )?;
    Ok(Outcome::Yes)
}
