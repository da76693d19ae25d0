//! `uvtool init DIR`: the whole workflow with no other input.

use std::path::Path;

use anyhow::Result;
use serde_json::Value;
use uvtool::io::{read_input, write_file, WriteOptions};
use uvtool::token::{Alg, ClaimsSpec, ClaimsTemplate, Signer};
use uvtool::verify::{Policy, StaticKeys, Verifier};
use uvtool::{clock, platform, Error};

use super::Outcome;
use crate::cli::{InitArgs, KeygenArgs};

/// Lifetime of the sample token.
const SAMPLE_TTL: u64 = 3600;

pub fn run(args: InitArgs) -> Result<Outcome> {
    let dir = &args.dir;
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() && !args.force {
                return Err(Error::input(
                    dir.display(),
                    "is not empty; choose a new folder, or --force to write into it (files uvtool makes are replaced)",
                )
                .into());
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::io(dir, "cannot create the folder", e))?;
        }
        Err(e) => {
            if dir.is_file() {
                return Err(Error::input(dir.display(), "is a file, expected a folder").into());
            }
            return Err(Error::io(dir, "cannot read the folder", e).into());
        }
    }
    if let Some(p) = platform::sub_problem(&args.sub) {
        super::warn(format!(
            "sub {:?} {p}; the platform key may be ambiguous",
            args.sub
        ));
    }

    // Keys, certificate, JWK and JWKS: exactly what `uvtool keygen` makes.
    super::keygen::run(KeygenArgs {
        out_dir: dir.clone(),
        bits: 2048,
        days: 365,
        subject: "CN=uvtool init test certificate".into(),
        kid: None,
        alg: "RS256".into(),
        force: args.force,
        seed: args.seed.clone(),
        now: args.now.clone(),
    })?;

    let path = |f: &str| dir.join(f);
    let shown = |f: &str| path(f).display().to_string();
    let key = super::mint::load_signing_key(&shown("private.pem"))?.key;
    let jwk_bytes = read_input(&shown("jwk.json"))?;
    let jwk: Value = serde_json::from_slice(&jwk_bytes)?;
    let kid = jwk["kid"].as_str().unwrap_or_default().to_string();

    let now = match args.now.as_deref() {
        Some(s) => clock::parse_timestamp(s).map_err(|m| clock::usage("--now", m))?,
        None => clock::now(),
    };
    let mut template = ClaimsTemplate::new(&ClaimsSpec {
        iss: Some(args.iss.clone()),
        sub: Some(args.sub.clone()),
        ttl: Some(SAMPLE_TTL),
        now,
        ..Default::default()
    })?;
    let signer = Signer::new(
        key,
        Alg::RS256,
        Signer::header(Alg::RS256, Some(&kid), Some("JWT")),
    );
    let mut payload = Vec::new();
    template.payload(None, &mut payload)?;
    let mut token = String::new();
    signer.sign_payload_into(&payload, &mut token)?;
    write_file(
        &path("token.jwt"),
        format!("{token}\n").as_bytes(),
        WriteOptions {
            force: args.force,
            private: true,
        },
    )?;

    let mut keys = StaticKeys::new();
    keys.add_jwk_doc(&read_input(&shown("jwks.json"))?, &shown("jwks.json"))?;
    let mut verifier = Verifier::new(
        keys,
        Policy {
            iss: Some(args.iss.clone()),
            sub: Some(args.sub.clone()),
            now,
            ..Default::default()
        },
    )?;
    let verdict = verifier.verify(&token);
    if let Some(f) = &verdict.failure {
        return Err(Error::Crypto(format!("the sample token did not verify: {f}")).into());
    }
    let pkey = platform::platform_key(&args.config, &args.sub);

    let next = next_steps(dir, &args, &kid, &pkey);
    write_file(
        &path("NEXT-STEPS.md"),
        next.as_bytes(),
        WriteOptions {
            force: args.force,
            private: false,
        },
    )?;

    let out = format!(
        "sample token ({}, sub {}, expires {}):\n{token}\nverified against {}: valid (RS256, kid {kid})\nplatform key: {pkey}\nnext steps: {}\n",
        shown("token.jwt"),
        args.sub,
        clock::relative(now + SAMPLE_TTL as i64, now),
        shown("jwks.json"),
        shown("NEXT-STEPS.md"),
    );
    super::stdout(&out)?;
    Ok(Outcome::Yes)
}

fn next_steps(dir: &Path, args: &InitArgs, kid: &str, pkey: &str) -> String {
    let d = dir.display();
    let InitArgs {
        sub, iss, config, ..
    } = args;
    format!(
        r#"# Next steps

`uvtool init` made these files in `{d}/`:

| file | what it is | where it goes |
|---|---|---|
| `private.pem` | RSA-2048 private key (PKCS#8, mode 0600) | stays on your server: it signs the tokens. Never upload or share it. |
| `public.pem` | the public key (SPKI) | nowhere; handy for other tools |
| `cert.pem` | self-signed test certificate, valid 365 days | inside `jwk.json` as `x5c` |
| `jwk.json` | the JWK (kid `{kid}`, alg RS256, with `x5c`) | **upload it in Setup** (User Verification: add a keyset, upload this key) |
| `jwks.json` | the same key as a JWKS | serve it at a keyset URL instead, if you use the endpoint flow (`uvtool serve` for local tests) |
| `token.jwt` | a sample identity token, sub `{sub}`, valid for 1 hour | pass it to the chat client to try the flow |

## 1. Register the key

In Setup, create a user verification configuration and a keyset, and upload `{d}/jwk.json`
(one key per upload; it must carry `x5c`, which this one does). Register the issuer
`{iss}` exactly as the tokens carry it: a trailing slash is a mismatch.

The configuration name used below, `{config}`, is a placeholder: replace it with the name
you give yours (rerun with `--config NAME`).

## 2. Mint the next token

```sh
uvtool mint --key {d}/private.pem --kid {kid} --iss {iss} --sub {sub} --ttl 10m
```

Many at once (one `sub` a line): `uvtool mint --key {d}/private.pem --iss {iss} --sub-file users.txt`.

## 3. Verify a token (what the platform will do)

```sh
uvtool verify --jwks {d}/jwks.json --iss {iss} --config {config} {d}/token.jwt
uvtool decode {d}/token.jwt     # look inside, locally, without verifying
```

## 4. Preflight before you go to Setup

```sh
uvtool check {d}/jwk.json {d}/token.jwt --issuer {iss} --config {config}
```

It lists every documented reason the platform would reject or silently ignore the key or
the token (missing `x5c`, expiring certificate, issuer mismatch, …), with the fix.

## What to expect

- A verified user's record key is `v2/iamessage/AUTH/{{config}}/uid:{{sub}}`, here
  `{pkey}`. An unverified visitor shows up as `…/UNAUTH/NA/uid:<random>`: the quickest
  way to tell that verification silently failed.
- The web client passes the token with
  `embeddedservice_bootstrap.userVerificationAPI.setIdentityToken` after
  `onEmbeddedMessagingReady`, and must send a fresh one when
  `onEmbeddedMessagingIdentityTokenExpired` fires. The platform's own authorization token
  for verified users defaults to 60 minutes. On logout the client clears the session,
  which revokes the token.
- Tokens are secrets: never paste production tokens into web sites; `uvtool decode` reads
  them locally.
- The certificate expires in 365 days and must stay valid for at least 10 more days when
  you upload it; rotate with `uvtool keygen` and `uvtool jwks --set jwks.json --add …`.
"#
    )
}
