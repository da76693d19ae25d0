//! `uvtool --generateJwt …` / `uvtool --generateJwk …`: the official Java
//! tool's command lines, run by uvtool's library, printing what the tool
//! prints on stdout (so scripts that grep `JWT : ` or `JWK : ` keep working).
//! Reached from `main.rs` before clap parses, when the first argument is one
//! of the tool's two commands.

use std::io::IsTerminal;

use anyhow::Result;
use uvtool::official::{self, Given, Invocation, Name, Verb};
use uvtool::{cert, clock, io::read_input, keys};

use super::common;
use super::Outcome;
use crate::cli::error::usage;

pub fn run(verb: Verb, args: &[String]) -> Result<Outcome> {
    // The tool prints its banner first, whatever follows.
    common::stdout(&format!("{}\n", official::BANNER))?;
    let (given, parsed) = official::parse(verb, args);
    // Asked for help (the tool has no such argument; it would print its
    // usage after complaining): the usage text on stdout, exit 0.
    if args
        .iter()
        .any(|a| matches!(a.as_str(), "-h" | "-help" | "--help"))
    {
        common::stdout(&format!(
            "\n{}\nThe native command for this: {}\n",
            official::USAGE,
            native(verb, &given)
        ))?;
        return Ok(Outcome::Yes);
    }
    let inv = match parsed {
        Ok(inv) => inv,
        Err(problem) => {
            say!("Invalid Usage.\n\n{}", official::USAGE);
            say!(
                "uvtool: the native command for this: {}",
                native(verb, &given)
            );
            return Err(usage(format!("{}: {problem}", verb.arg())));
        }
    };
    let out = match verb {
        Verb::Jwt => generate_jwt(&inv)?,
        Verb::Jwk => generate_jwk(&inv)?,
    };
    common::stdout(&out)?;
    if std::io::stderr().is_terminal() {
        say!(
            "uvtool: the native command: {} (see docs/MIGRATING.md)",
            native(verb, &given)
        );
    }
    Ok(Outcome::Yes)
}

fn generate_jwt(inv: &Invocation) -> Result<String> {
    let path = &inv.private_key_file;
    let key = keys::load_private(&read_input(path)?, path)?;
    let token = official::jwt(
        key,
        inv.alg,
        &inv.kid,
        &inv.issuer,
        &inv.subject,
        inv.expiry,
        clock::now(),
    )?;
    Ok(format!(
        "{}\nreading Resource path: {path}\nJWT : {token}\n",
        Verb::Jwt.title()
    ))
}

fn generate_jwk(inv: &Invocation) -> Result<String> {
    let key_path = &inv.public_key_file;
    let cert_path = &inv.public_cert_file;
    let public = keys::load_public(&read_input(key_path)?, key_path)?;
    let certificate = cert::load_certificate(&read_input(cert_path)?, cert_path)?;
    // The key rules on what was given (K6, K14, K7), as `check` words them.
    common::export_checks(&uvtool::policy::keys::Export {
        key: Some((key_path, &public)),
        private_key: None,
        cert: Some((cert_path, &certificate)),
        now: clock::now(),
    })?;
    let obj = official::jwk(&public, &inv.kid, inv.alg, &certificate)?;
    let json = serde_json::to_string(&serde_json::Value::Object(obj))?;
    Ok(format!("{}\nJWK : {json}\n", Verb::Jwk.title()))
}

/// The uvtool command that does the same, built from what was given
/// (placeholders in capitals for what was not, and for a value uvtool's
/// flag would refuse: `-expiry 1e3` is `--ttl SECONDS`, so the command
/// printed never fails on a value it was given).
fn native(verb: Verb, given: &Given) -> String {
    let v = |n: Name, placeholder: &str| {
        given
            .get(n)
            .filter(|x| n != Name::Expiry || crate::cli::values::ttl(x).is_ok())
            .map_or_else(|| placeholder.to_string(), shell_word)
    };
    // The alg as uvtool spells it (`-alg rs256` is `--alg RS256`); one it
    // refuses stays as given, and `--alg` says why.
    let alg = match given.get(Name::Alg) {
        Some(a) => match official::platform_alg(a) {
            Some(uvtool::token::Alg::RS256) => String::new(),
            Some(known) => format!(" --alg {known}"),
            None => format!(" --alg {}", shell_word(a)),
        },
        None => String::new(),
    };
    match verb {
        Verb::Jwt => format!(
            "uvtool mint --key {} --kid {} --iss {} --sub {} --ttl {}{alg}",
            v(Name::PrivateKeyFile, "PRIVATE_KEY_FILE"),
            v(Name::Kid, "KID"),
            v(Name::Issuer, "ISSUER"),
            v(Name::Subject, "SUBJECT"),
            v(Name::Expiry, "SECONDS"),
        ),
        Verb::Jwk => format!(
            "uvtool jwk --cert {} --key {} --kid {}{alg} (add --official-shape for this tool's exact JWK)",
            v(Name::PublicCertFile, "CERT_FILE"),
            v(Name::PublicKeyFile, "PUBLIC_KEY_FILE"),
            v(Name::Kid, "KID"),
        ),
    }
}

/// A value as a POSIX shell word: bare when it is plain, else single-quoted.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '_' | '-' | '.' | '/' | ':' | '=' | '@' | '+' | ',' | '%')
        });
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
