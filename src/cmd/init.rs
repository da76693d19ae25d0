//! `uvtool init DIR`: the whole workflow with no other input.

use std::path::Path;

use anyhow::Result;
use uvtool::bundle::{Bundle, BundleOptions};
use uvtool::io::{write_file, WriteOptions};
use uvtool::keys::KeySize;
use uvtool::policy::Settings;
use uvtool::token::{Alg, ClaimsSpec, ClaimsTemplate, Signer};
use uvtool::verify::{StaticKeys, Verifier};
use uvtool::{clock, platform, Error};

use super::common;
use super::Outcome;
use crate::cli::InitArgs;

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
        common::warn(format!(
            "sub {:?} {p}; the platform key may be ambiguous (T8, an assumption)",
            args.sub
        ));
    }

    // Keys, certificate, JWK and JWKS: exactly what `uvtool keygen` makes.
    let now = common::now(args.now);
    let b = Bundle::generate(&BundleOptions {
        size: KeySize::Rsa2048,
        days: 365,
        subject: "CN=uvtool init test certificate".into(),
        kid: None,
        alg: Alg::RS256,
        now,
        seed: args.seed.clone(),
    })?;
    b.write(dir, args.force)?;
    if let Some(seed) = &args.seed {
        common::seed_warning(seed);
    }
    let path = |f: &str| dir.join(f);
    let shown = |f: &str| path(f).display().to_string();
    let kid = b.kid.clone();
    let jwks_text = b.jwks_text();

    let mut template = ClaimsTemplate::new(&ClaimsSpec {
        iss: Some(args.iss.clone()),
        sub: Some(args.sub.clone()),
        ttl: Some(SAMPLE_TTL),
        now,
        ..Default::default()
    })?;
    let signer = Signer::new(
        b.key,
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

    // The sample is verified under the platform profile against the JWKS
    // just written (held in memory, not read back).
    let settings = Settings {
        iss: Some(args.iss.clone()),
        sub: Some(args.sub.clone()),
        now,
        ..Default::default()
    };
    let mut keys = StaticKeys::new();
    keys.add_jwk_doc(jwks_text.as_bytes(), &shown("jwks.json"), &settings)?;
    let mut verifier = Verifier::new(keys, settings)?;
    let verdict = verifier.verify(&token);
    if let Some(f) = verdict.failure() {
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

    // The output contract (README): stdout carries the data, the sample
    // token (`TOKEN=$(uvtool init demo)`); the report for people goes to
    // stderr, as keygen's does.
    say!(
        "uvtool: made {}: keys, jwk.json, jwks.json, token.jwt and NEXT-STEPS.md\n  sample token {} (sub {}, expires {}), printed on stdout\n  verified against {}: valid (RS256, kid {kid})\n  platform key: {} (the seed's example form; what fills {{auth_id_info}} is undocumented)\n  next steps: {}",
        uvtool::text::escape(&format!("{}/", dir.display().to_string().trim_end_matches('/'))),
        uvtool::text::escape(&shown("token.jwt")),
        uvtool::text::escape(&args.sub),
        clock::relative(now + SAMPLE_TTL as i64, now),
        uvtool::text::escape(&shown("jwks.json")),
        uvtool::text::escape(&pkey),
        uvtool::text::escape(&shown("NEXT-STEPS.md")),
    );
    common::stdout(&format!("{token}\n"))?;
    Ok(Outcome::Yes)
}

/// The source labels NEXT-STEPS.md uses, as docs/PLATFORM.md defines them.
const SOURCES: &str = "Every statement about the platform below carries its source in brackets:
[seed] Salesforce Help, Understanding Token-Based User Verification; [TS] Troubleshooting
User Verification (\"Keys Fail to Upload\"); [SU] Set Up Token-Based User Verification;
[WEB] User Verification in Enhanced Web Chat and the Enhanced Web Chat event listeners
reference; [APP] User Verification for iOS / Android; [meta] the Metadata API reference;
[limits] Messaging rate limits and considerations; [client] Salesforce's web client code
(`bootstrap.js`); [tool] the official key-command-line-utility; [field] public write-ups
by people who set it up (useful, unconfirmed); [RFC] the JOSE/JWT RFCs; [assumption] ours.
docs/PLATFORM.md in uvtool's repository gives every rule and fact with its source.";

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
| `jwk.json` | the JWK (kid `{kid}`, alg RS256, with `x5c`) | **upload it in Setup** (User Verification: add a keyset, upload this key) [SU] |
| `jwks.json` | the same key as a JWKS | serve it at a keyset URL instead, if you use the endpoint flow [meta: `jwksEndPoint`] (`uvtool serve` for local tests) |
| `token.jwt` | a sample identity token, sub `{sub}`, valid for 1 hour | pass it to the chat client to try the flow |

{SOURCES}

## 1. Register the key

- In Setup, create a keyset with the issuer and upload `{d}/jwk.json` [SU]: one key per
  upload [TS].
- The key must carry `x5c`, which this one does. TS lists it as required; one field report
  says the form took a key without it and verification then stayed anonymous [TS; field].
- At the upload the certificate must be valid, with at least 10 more days to run: an
  expired certificate, or one with less than 10 days left, is a documented reason the
  upload fails [TS]. No source says tokens are refused once a registered key's certificate
  is in its last 10 days, so uvtool only warns then.
- Register the issuer `{iss}` exactly as the tokens carry it: it is case-sensitive [meta]
  and a trailing slash is a mismatch [field].
- **Activate the key**: it is inactive until you do [SU; meta: `isActive` defaults to
  false].

## 2. Switch verification on for the channel

Keys alone do nothing [SU; field]:

- Create a User Verification Configuration that points at the keyset, make it **active**
  and add it to the channel in Messaging Settings [SU; field]. Without an active one every
  exchange fails with "User verification configuration has no active AuthSchemes."
  [field: vendor setup guides]
- The channel must have user verification switched on; otherwise the web client logs
  "User Verification isn't enabled in Messaging Settings." [client]
- The configuration's name must begin with a letter and hold only letters, digits and `_`
  (rule P1) [meta: `authIdentifier`]. Field reports say it is what fills
  `{{auth_id_info}}` in the platform key below [field]. The name used here, `{config}`, is
  a placeholder: rerun with `--auth-id NAME` once you have yours.

## 3. Mint the next token

```sh
uvtool mint --key {d}/private.pem --kid {kid} --iss {iss} --sub {sub} --ttl 10m
```

Many at once (one `sub` a line): `uvtool mint --key {d}/private.pem --iss {iss} --sub-file users.txt`.

## 4. Verify a token (under the platform's rules)

```sh
uvtool verify --jwks {d}/jwks.json --iss {iss} --auth-id {config} {d}/token.jwt
uvtool decode {d}/token.jwt     # look inside, locally, without verifying
```

## 5. Preflight before you go to Setup

```sh
uvtool check {d}/jwk.json {d}/token.jwt --issuer {iss} --auth-id {config}
```

It checks the key and the token against every rule uvtool knows (missing `x5c`, expiring
certificate, issuer mismatch, …), with the fix; `uvtool check --list-rules` and uvtool's
docs/PLATFORM.md show each rule's source.

## 6. On the web page (Enhanced Web Chat)

- Pass the token with `embeddedservice_bootstrap.userVerificationAPI.setIdentityToken`
  after `onEmbeddedMessagingReady`, in every tab, and again after each page refresh [WEB].
- When `onEmbeddedMessagingIdentityTokenExpired` fires, send a fresh token **within 30
  seconds**, or the session and the user's data are cleared [WEB].
- `setIdentityToken` returns `false` when called before `onEmbeddedMessagingReady` or
  without a token, and its errors reach the browser console only with
  `embeddedservice_bootstrap.settings.devMode = true` [client; WEB].
- No chat button appears until a valid token is set; a refusal by the server shows
  "Something went wrong. Log in again to continue your messaging conversation."
  [client; WEB]
- The web client itself refuses a token whose `exp` is missing or a string, comparing it
  with the visitor's device clock ("Invalid identity token passed into the
  setIdentityToken method.") [client]
- Serve the tokens from an endpoint that sends `Cache-Control: no-store`: a cached,
  expired token loops through the expiry event [field]. An expiry handler that mints
  unconditionally can loop many times a second [field].
- The Salesforce authorization token for verified users defaults to 60 minutes
  (Messaging Settings) [WEB].
- On logout call `clearSession`; it ends a verified conversation only with
  `shouldEndSession` true [WEB].
- Deployment changes can take minutes to reach the page: republish, hard refresh, and
  test in a new conversation [field]. The same `sub` resumes the same conversation
  [field].
- Verification works on external sites and three Aura templates, not on LWR or other
  Experience Cloud sites [limits]. At most 200 access-token requests and 200 renewals per
  minute per org [limits].

## 7. In an app (Enhanced In-App Chat)

- Use the In-App SDK 1.2.0 or later; one deployment serves either verified or unverified
  users, not both [APP].

## What to expect

- The seed says a verified user's record key "might be"
  `v2/iamessage/AUTH/{{auth_id_info}}/uid:{{sub}}` [seed]; what fills `{{auth_id_info}}` is
  not documented (field reports: the configuration's name) [field]. Here that would be
  `{pkey}`. An unverified visitor shows up as `…/UNAUTH/NA/uid:<random>` [field]: the
  quickest way to tell that verification did not happen.
- Whether `aud` is checked is uncertain: one field report says it must equal the My
  Domain URL; others, and the official tool, send none [field; tool]. The sample token
  has no `aud`.
- Tokens are secrets: never paste production tokens into web sites (the official tool's
  README says the same) [tool]; `uvtool decode` reads them locally.
- The certificate expires in 365 days; rotate with `uvtool keygen` and
  `uvtool jwks --set jwks.json --add …` before it does.
"#
    )
}
