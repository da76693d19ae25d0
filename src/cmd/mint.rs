//! `uvtool mint`: sign one token, or one per line of --sub-file (streaming).

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::Result;
use serde_json::{Map, Value};
use uvtool::io::{display_name, read_input};
use uvtool::policy::tokens::MAX_TIME;
use uvtool::policy::Settings;
use uvtool::token::{Alg, ClaimsSpec, ClaimsTemplate, Jti, Signer};
use uvtool::{batch, clock, jwk, platform, Error};

use super::common::{self, FileFlag};
use super::progress::Progress;
use super::Outcome;
use crate::cli::error::usage;
use crate::cli::values::LIFETIME_LIKE;
use crate::cli::{MintArgs, MintFormat};
use uvtool::read::Kind;

/// `--key` takes a private key: PEM/DER, or a private JWK.
const SIGNING: &[FileFlag] = &[FileFlag {
    flag: "--key",
    takes: &[Kind::PrivateKey, Kind::PrivateJwk, Kind::EncryptedKey],
}];

pub fn run(args: MintArgs) -> Result<Outcome> {
    let stdin_users = [
        Some(args.key.as_str()),
        args.claims.as_deref(),
        args.sub_file.as_deref(),
    ]
    .iter()
    .filter(|v| **v == Some("-"))
    .count();
    if stdin_users > 1 {
        return Err(usage(
            "only one of --key, --claims and --sub-file can read stdin (-)",
        ));
    }
    if args.kid.as_deref().is_some_and(|k| k.trim().is_empty()) {
        return Err(usage(
            "--kid is empty; give a key id, leave --kid out for the key's default, or use --no-kid to leave kid out of the header",
        ));
    }
    if args.format.is_some() && args.sub_file.is_none() {
        return Err(usage(
            "--format applies to a batch: add --sub-file FILE (one sub a line), or leave --format out for one token",
        ));
    }
    let now = args.clock.now();
    let name = display_name(&args.key);
    let loaded = common::load_for(&args.key, "--key", SIGNING, |b, n| {
        jwk::load_key(b, n, true)
    })?;
    let sk_key = loaded
        .private
        .ok_or_else(|| Error::input(name, "holds no private key"))?;
    let sk = (loaded.kid, loaded.alg);
    let jwk_alg = sk.1.as_deref().and_then(Alg::from_name);
    let alg = match (args.alg, jwk_alg) {
        (Some(a), Some(j)) if a != j => {
            common::warn(format!(
                "--alg {a} differs from the JWK's alg {j}; verifiers that honour the JWK's alg will refuse the token"
            ));
            a
        }
        (Some(a), _) => a,
        (None, Some(j)) => j,
        (None, None) => Alg::RS256,
    };
    // What `verify` refuses by default (T1), said before the token leaves.
    if !Settings::default().allows(alg) {
        let given = if args.alg.is_some() {
            format!("--alg {alg}")
        } else {
            format!("alg {alg} (the JWK's)")
        };
        common::warn(format!(
            "{given}: the platform accepts RS256 and RS512 only (T1; source: WEB), so `uvtool verify` refuses this token unless --profile rfc; use --alg RS256 or RS512 for the platform"
        ));
    }
    let kid = if args.no_kid {
        None
    } else {
        Some(
            args.kid
                .clone()
                .or(sk.0.clone())
                .unwrap_or_else(|| jwk::thumbprint(&sk_key.public)),
        )
    };
    let typ = (!args.typ.is_empty()).then_some(args.typ.as_str());
    let header = Signer::header(alg, kid.as_deref(), typ);

    let mut extra = Map::new();
    if let Some(f) = &args.claims {
        let bytes = read_input(f)?;
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => extra = m,
            Ok(_) => {
                return Err(Error::input(
                    display_name(f),
                    "is JSON but not an object (expected {\"claim\": value, …})",
                )
                .into())
            }
            Err(e) => {
                return Err(
                    Error::input(display_name(f), format!("is not valid JSON ({e})")).into(),
                )
            }
        }
    }
    for (k, v) in &args.claim {
        extra.insert(k.clone(), v.clone());
    }
    let exp = args.exp;
    let ttl = match args.ttl {
        Some(t) => Some(t),
        None if exp.is_none() && !args.no_exp => Some(3600),
        None => None,
    };
    if ttl == Some(0) && !args.allow_expired {
        return Err(usage(
            "--ttl 0: the token would be born expired; add --allow-expired to make an expired token on purpose, or set the clock back: --now 2020-01-01T00:00:00Z --ttl 5m",
        ));
    }
    let iat = args.iat;
    let iat_value = iat.unwrap_or(now);
    // A lifetime past i64 or an exp past the largest time a token may carry
    // (T14: 9999-12-31T23:59:59Z) would be refused by `verify`: refuse it
    // here, naming the bound, rather than sign it (or wrap it negative).
    let ttl_exp = match ttl {
        Some(t) => Some(
            i64::try_from(t)
                .ok()
                .and_then(|t| iat_value.checked_add(t))
                .filter(|e| *e <= MAX_TIME)
                .ok_or_else(|| {
                    usage(
                        "--ttl is too long: exp would pass 9999-12-31T23:59:59Z, the largest time a token may carry (T14; verify refuses it); choose a shorter --ttl",
                    )
                })?,
        ),
        None => None,
    };
    let exp_value = exp.or(ttl_exp);
    // `--ttl 1767225600`: a unix time given as a lifetime (a token valid
    // for decades). No platform rule bounds a token's lifetime (T6 only
    // warns past a day), so this is a warning, and its threshold (a
    // lifetime of 30 years or more, what reads as a time since 2000) an
    // assumption.
    if let Some(t) = args.ttl.filter(|t| *t >= LIFETIME_LIKE.unsigned_abs()) {
        let as_time = i64::try_from(t)
            .ok()
            .and_then(clock::format_utc)
            .unwrap_or_else(|| t.to_string());
        common::warn(format!(
            "--ttl {t} is a lifetime of {}: a unix time ({as_time})? a point in time is --exp {t} (an assumption: no platform rule bounds a token's lifetime; T6 warns past a day)",
            clock::human_span(t)
        ));
    }
    if let Some(e) = exp_value.filter(|e| *e > MAX_TIME) {
        return Err(usage(format!(
            "--exp {e} is past 9999-12-31T23:59:59Z, the largest time a token may carry (T14; verify refuses it)"
        )));
    }
    if let Some(e) = exp_value {
        if e <= iat_value && !args.allow_expired && !extra.contains_key("iat") {
            let when = clock::format_utc(e).unwrap_or_else(|| e.to_string());
            // `--exp 600`: a lifetime where a time is wanted (the official
            // tool's -expiry and jwt-cli's relative exp are lifetimes).
            if e < LIFETIME_LIKE {
                return Err(usage(format!(
                    "--exp {e} is a point in time ({when}), not a lifetime, so the token would be born expired; for a token valid {} from iat use --ttl {e}; for an expired test token add --allow-expired, or move iat back too: --iat (or --now) before --exp",
                    clock::human_span(e.unsigned_abs())
                )));
            }
            return Err(usage(format!(
                "--exp {when} is not after iat ({}): the token would be born expired; add --allow-expired to make an expired token on purpose, or move iat back too: --iat (or --now) before --exp, e.g. --now 2020-01-01T00:00:00Z --exp 2020-01-01T01:00:00Z",
                if iat.is_some() { "--iat" } else { "now" }
            )));
        }
        if e <= now && !args.allow_expired {
            common::warn(format!(
                "the token is already expired (exp {} is {}); add --allow-expired when that is what you want",
                clock::format_utc(e).unwrap_or_else(|| e.to_string()),
                clock::relative(e, now)
            ));
        }
    }
    if args.iss.is_none() && !extra.contains_key("iss") {
        common::warn(
            "no --iss: the platform needs iss, equal to the issuer registered with the keyset (T4; source: SU), or the user stays unverified; give --iss https://your-site.example",
        );
    }
    if args.no_exp {
        common::warn(
            "the token has no exp: verifiers that require one refuse it, the platform profile (T5) and the web client (source: client) included",
        );
    }
    let spec = ClaimsSpec {
        allow_expired: args.allow_expired,
        iss: args.iss.clone(),
        sub: args.sub.clone(),
        aud: args.aud.clone(),
        iat,
        nbf: args.nbf,
        exp,
        ttl,
        jti: match args.jti.as_deref() {
            None => Jti::None,
            Some("auto") => Jti::Auto,
            Some(v) => Jti::Fixed(v.to_string()),
        },
        now,
        extra,
    };
    let mut template = ClaimsTemplate::new(&spec)?;
    let signer = Signer::new(sk_key, alg, header);

    match &args.sub_file {
        None => {
            match template.claims().get("sub") {
                None => common::warn(
                    "the token has no sub; the platform needs one to know the user (source: seed); give --sub",
                ),
                Some(Value::String(s)) => {
                    if let Some(p) = platform::sub_problem(s) {
                        common::warn(format!("sub {s:?} {p}"));
                    }
                }
                Some(_) => common::warn("sub is not a string; the platform needs a string (source: seed)"),
            }
            let mut buf = Vec::with_capacity(256);
            template.payload(None, &mut buf)?;
            let mut out = String::with_capacity(1024);
            signer.sign_payload_into(&buf, &mut out)?;
            out.push('\n');
            common::stdout(&out)?;
        }
        Some(f) => {
            if template.claims().contains_key("sub") {
                return Err(usage(
                    "--sub-file sets sub per line; remove sub from --claim/--claims",
                ));
            }
            batch(
                &signer,
                &template,
                f,
                args.format.unwrap_or(MintFormat::Token),
            )?;
        }
    }
    Ok(Outcome::Yes)
}

/// One line of a --sub-file, as read.
#[derive(Default)]
struct SubLine {
    text: String,
    lineno: usize,
    bytes: usize,
}

/// A minted token, or why it could not be.
#[derive(Default)]
struct Minted {
    token: String,
    error: Option<anyhow::Error>,
}

/// Stream subs from `path` to tokens on stdout, signing on every core
/// ([`uvtool::batch`]) with tokens in input order. Memory stays flat
/// whatever the input length.
fn batch(signer: &Signer, template: &ClaimsTemplate, path: &str, format: MintFormat) -> Result<()> {
    let name = display_name(path);
    let mut total = None;
    if path == "-" {
        common::note_stdin("subs, one a line,");
    }
    let reader: Box<dyn BufRead + Send> = if path == "-" {
        Box::new(BufReader::with_capacity(64 * 1024, std::io::stdin()))
    } else {
        let p = Path::new(path);
        match std::fs::metadata(p) {
            Err(_) => return Err(Error::input(path, "no such file").into()),
            Ok(m) if m.is_dir() => {
                return Err(Error::input(path, "is a directory, expected a file").into())
            }
            Ok(m) => total = m.is_file().then_some(m.len()),
        }
        let f = File::open(p).map_err(|e| Error::io(p, "cannot open", e))?;
        Box::new(BufReader::with_capacity(64 * 1024, f))
    };
    // The one batch line reader ([`uvtool::read::Lines`]): bounded lines,
    // a byte-order mark dropped.
    let mut lines = uvtool::read::Lines::new(reader);
    let mut line = uvtool::read::Line::default();
    let read = |item: &mut SubLine| -> Result<bool> {
        let mut skipped = 0;
        loop {
            if !lines
                .next_line(&mut line)
                .map_err(|e| uvtool::read::lines_error(name, e))?
            {
                return Ok(false);
            }
            let at = || format!("{name}: line {}", line.number);
            if line.over {
                return Err(Error::input(
                    at(),
                    format!(
                        "is over {} bytes; a sub this long gives a token over the {} KiB limit of a token",
                        uvtool::read::MAX_TOKEN_TEXT,
                        uvtool::token::MAX_TOKEN_LEN / 1024
                    ),
                )
                .into());
            }
            let text = std::str::from_utf8(&line.bytes)
                .map_err(|_| Error::input(at(), "is not UTF-8 text"))?;
            let sub = text.trim();
            if sub.is_empty() || sub.starts_with('#') {
                skipped += line.consumed;
                continue;
            }
            item.text.clear();
            item.text.push_str(sub);
            item.lineno = line.number;
            item.bytes = line.consumed + skipped;
            return Ok(true);
        }
    };
    let init = || (template.clone(), Vec::<u8>::with_capacity(512));
    let work =
        |(tpl, payload): &mut (ClaimsTemplate, Vec<u8>), item: &mut SubLine, out: &mut Minted| {
            out.token.clear();
            out.error = tpl
                .payload(Some(item.text.trim()), payload)
                .and_then(|()| signer.sign_payload_into(payload, &mut out.token))
                .err()
                .map(Into::into);
        };
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, common::NamedStdout(stdout.lock()));
    let mut progress = Progress::new("tokens", total);
    let mut count = 0usize;
    let write = |item: &mut SubLine, minted: &mut Minted| -> Result<()> {
        if let Some(e) = minted.error.take() {
            return Err(e.context(format!("{name}: line {}", item.lineno)));
        }
        let sub = item.text.trim();
        if let Some(p) = platform::sub_problem(sub) {
            progress.finish();
            common::warn(format!("{name}: line {}: sub {sub:?} {p}", item.lineno));
        }
        match format {
            MintFormat::Token => {
                out.write_all(minted.token.as_bytes())?;
            }
            MintFormat::Jsonl => {
                // Strings are quoted into memory, then written: serde_json
                // writing to stdout would wrap a broken pipe in its own
                // error (main's is_broken_pipe looks through it too).
                let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
                out.write_all(b"{\"sub\":")?;
                out.write_all(quote(sub).as_bytes())?;
                out.write_all(b",\"token\":\"")?;
                out.write_all(minted.token.as_bytes())?;
                // Where the sub came from (issue 23): `FILE:LINE`, `-:LINE`.
                out.write_all(b"\",\"source\":")?;
                out.write_all(quote(&format!("{path}:{}", item.lineno)).as_bytes())?;
                out.write_all(b"}")?;
            }
        }
        out.write_all(b"\n")?;
        count += 1;
        progress.inc(item.bytes);
        Ok(())
    };
    batch::ordered_map(batch::Config::default(), read, init, work, write)?;
    progress.finish();
    out.flush()?;
    if count == 0 {
        common::warn(format!(
            "{name} has no subs (blank lines and # comments are skipped)"
        ));
    }
    Ok(())
}
