//! `uvtool verify`: verdicts for one token or a stream of them.

use std::io::{BufRead, BufWriter, Write};

use anyhow::Result;
use serde_json::{Map, Value};
use uvtool::io::{display_name, read_input};
use uvtool::net::{FetchOptions, JwksUrl, OnFetch, RawResponse};
use uvtool::token::Alg;
use uvtool::verify::{KeySource, Policy, StaticKeys, Verdict, Verifier};
use uvtool::{batch, cert, clock, keys, platform, Error};

use super::decode::{render, use_colour, Style};
use super::mint::{parse_now, to_alg};
use super::progress::Progress;
use super::Outcome;
use crate::cli::VerifyArgs;

/// How verdicts are printed.
struct Printer {
    json: bool,
    config: Option<String>,
    style: Style,
    now: i64,
}

impl Printer {
    fn platform_key(&self, v: &Verdict) -> Option<String> {
        let config = self.config.as_deref()?;
        if !v.is_valid() {
            return None;
        }
        let sub = v.sub()?;
        if let Some(p) = platform::sub_problem(sub) {
            super::warn(format!(
                "sub {sub:?} {p}; the platform key may be ambiguous"
            ));
        }
        Some(platform::platform_key(config, sub))
    }

    fn json_value(&self, v: &Verdict) -> Value {
        let mut o = Map::new();
        o.insert("valid".into(), v.is_valid().into());
        o.insert(
            "reason".into(),
            v.failure.as_ref().map(|f| f.message.clone()).into(),
        );
        o.insert("code".into(), v.failure.as_ref().map(|f| f.code).into());
        o.insert("alg".into(), v.alg.map(Alg::name).into());
        o.insert("kid".into(), v.kid.clone().into());
        o.insert(
            "header".into(),
            v.header.clone().map(Value::Object).unwrap_or(Value::Null),
        );
        o.insert(
            "claims".into(),
            v.claims.clone().map(Value::Object).unwrap_or(Value::Null),
        );
        if self.config.is_some() {
            o.insert("platform_key".into(), self.platform_key(v).into());
        }
        if !v.notes.is_empty() {
            o.insert("notes".into(), v.notes.clone().into());
        }
        Value::Object(o)
    }

    fn verdict_word(&self, v: &Verdict) -> String {
        match &v.failure {
            None => self.style.good("valid"),
            Some(f) => format!("{} {}", self.style.bad("invalid:"), f.message),
        }
    }

    /// The full report for a single token.
    fn single(&self, v: &Verdict) -> Result<String> {
        if self.json {
            let mut s = serde_json::to_string_pretty(&self.json_value(v))?;
            s.push('\n');
            return Ok(s);
        }
        for n in &v.notes {
            eprintln!("uvtool: note: {n}");
        }
        let mut s = self.verdict_word(v);
        s.push('\n');
        if v.is_valid() {
            let key = match (&v.kid, &v.key_origin) {
                (Some(k), Some(o)) => format!("key {k:?} from {o}"),
                (None, Some(o)) => format!("the key from {o}"),
                _ => String::new(),
            };
            if let Some(a) = v.alg {
                s.push_str(&format!("signed with {a} by {key}\n"));
            }
        }
        if let (Some(h), Some(c)) = (&v.header, &v.claims) {
            s.push_str(&render(h, c, self.now, self.style));
        }
        if self.config.is_some() {
            match self.platform_key(v) {
                Some(k) => s.push_str(&format!("{} {k}\n", self.style.label("platform key:"))),
                None => s.push_str(&format!(
                    "{} none: {}\n",
                    self.style.label("platform key:"),
                    if v.is_valid() {
                        "the token has no string sub"
                    } else {
                        "the platform would treat this visitor as unverified (v2/iamessage/UNAUTH/NA/uid:<random>)"
                    }
                )),
            }
        }
        Ok(s)
    }

    /// One line for a token in a stream.
    fn line(&self, v: &Verdict) -> Result<String> {
        if self.json {
            let mut s = serde_json::to_string(&self.json_value(v))?;
            s.push('\n');
            return Ok(s);
        }
        let mut s = self.verdict_word(v);
        if v.is_valid() {
            if let Some(sub) = v.sub() {
                s.push_str(" sub=");
                s.push_str(sub);
            }
            if let Some(k) = self.platform_key(v) {
                s.push_str(" platform_key=");
                s.push_str(&k);
            }
        }
        s.push('\n');
        Ok(s)
    }
}

fn load_keys(args: &VerifyArgs) -> Result<StaticKeys> {
    let mut src = StaticKeys::new();
    for f in &args.jwks {
        src.add_jwk_doc(&read_input(f)?, display_name(f))?;
    }
    for f in &args.cert {
        let name = display_name(f);
        let c = cert::load_certificate(&read_input(f)?, name)?;
        src.add_public(c.public, name);
    }
    for f in &args.key {
        let name = display_name(f);
        let k = keys::load_public(&read_input(f)?, name)?;
        src.add_public(k, name);
    }
    Ok(src)
}

pub fn run(args: VerifyArgs) -> Result<Outcome> {
    if args.jwks.is_empty()
        && args.cert.is_empty()
        && args.key.is_empty()
        && args.jwks_url.is_none()
    {
        return Err(Error::Usage(
            "give the keys to verify with: --jwks FILE, --jwks-url URL, --cert FILE or --key FILE"
                .into(),
        )
        .into());
    }
    // Checked here rather than with clap's `requires`, which a conflicting
    // --jwks silently bypasses (clap issue 4520).
    if args.jwks_url.is_none() && (args.show_jwks || args.insecure_http) {
        let flag = if args.show_jwks {
            "--show-jwks"
        } else {
            "--insecure-http"
        };
        return Err(Error::Usage(format!("{flag} only applies with --jwks-url URL")).into());
    }
    let token_from_stdin = matches!(args.token.as_deref(), None | Some("-"));
    let key_stdin = args
        .jwks
        .iter()
        .chain(&args.cert)
        .chain(&args.key)
        .filter(|f| *f == "-")
        .count();
    if key_stdin > 1 || (key_stdin == 1 && token_from_stdin) {
        return Err(Error::Usage(
            "only one input can read stdin (-); pass the token as an argument".into(),
        )
        .into());
    }
    let now = parse_now(args.now.as_deref())?;
    let leeway = clock::parse_duration(&args.leeway).map_err(|m| clock::usage("--leeway", m))?;
    let policy = Policy {
        algs: if args.alg.is_empty() {
            Alg::ALL.to_vec()
        } else {
            args.alg.iter().copied().map(to_alg).collect()
        },
        leeway,
        allow_no_exp: args.allow_no_exp,
        iss: args.iss.clone(),
        aud: args.aud.clone(),
        sub: args.sub.clone(),
        require: args.require.clone(),
        now,
    };
    let printer = Printer {
        json: args.json,
        config: args.config.clone(),
        style: Style::new(!args.json && use_colour()),
        now,
    };
    if let Some(url) = &args.jwks_url {
        let opts = FetchOptions {
            timeout: args.timeout,
            insecure_http: args.insecure_http,
            ..FetchOptions::default()
        };
        let show: Option<OnFetch> = if args.show_jwks {
            Some(Box::new(show_fetch))
        } else {
            None
        };
        let src = JwksUrl::fetch(url, opts, show)?;
        let verifier = Verifier::new(src, policy)?;
        return verify_with(verifier, &args, &printer, token_from_stdin);
    }
    let src = load_keys(&args)?;
    let verifier = Verifier::new(src, policy)?;
    verify_with(verifier, &args, &printer, token_from_stdin)
}

/// `--show-jwks`: what a fetch of the JWKS URL returned, on stderr.
fn show_fetch(raw: &RawResponse, n: usize) {
    let f = &raw.facts;
    let mut s = format!(
        "uvtool: fetch {n} of {}: HTTP {}, Content-Type: {}, {} bytes in {:.0?}",
        f.final_url,
        f.status,
        f.content_type.as_deref().unwrap_or("(none)"),
        f.size,
        f.elapsed
    );
    for r in &f.redirects {
        s.push_str(&format!("\nuvtool:   via redirect to {r}"));
    }
    let body = String::from_utf8_lossy(&raw.body[..raw.body.len().min(64 * 1024)]);
    eprintln!("{s}\n{}", body.trim_end());
}

/// Verify the token argument or the tokens on stdin with a ready verifier.
fn verify_with<S: KeySource + Send + Sync>(
    mut verifier: Verifier<S>,
    args: &VerifyArgs,
    printer: &Printer,
    token_from_stdin: bool,
) -> Result<Outcome> {
    if !token_from_stdin {
        let t = args.token.as_deref().unwrap_or_default();
        // An argument that is not a token but names a file: the file holds
        // the token(s), one a line.
        if uvtool::token::decode(t).is_err() && std::path::Path::new(t).is_file() {
            super::decode::read_token_arg(Some(t))?;
            let file = std::fs::File::open(t)
                .map_err(|e| Error::io(std::path::Path::new(t), "cannot open", e))?;
            return stream(&mut verifier, printer, file, t);
        }
        let v = verifier.verify(t);
        super::stdout(&printer.single(&v)?)?;
        return Ok(if v.is_valid() {
            Outcome::Yes
        } else {
            Outcome::No
        });
    }
    super::note_stdin("tokens, one a line,");
    stream(&mut verifier, printer, std::io::stdin(), "<stdin>")
}

/// Tokens from stdin, one a line (blank lines skipped): a single token gets
/// the full report, several get one verdict line each, in order, checked on
/// every core ([`uvtool::batch`]).
fn stream<S: KeySource + Send + Sync>(
    verifier: &mut Verifier<S>,
    printer: &Printer,
    reader: impl std::io::Read + Send,
    name: &str,
) -> Result<Outcome> {
    let mut input = std::io::BufReader::with_capacity(64 * 1024, reader);
    let mut lineno = 0usize;
    let mut next = move |buf: &mut String| -> Result<bool> {
        loop {
            buf.clear();
            lineno += 1;
            let n = input.read_line(buf).map_err(|e| {
                if e.kind() == std::io::ErrorKind::InvalidData {
                    Error::input(format!("{name}: line {lineno}"), "is not UTF-8 text")
                } else {
                    Error::io(std::path::Path::new(name), "cannot read", e)
                }
            })?;
            if n == 0 {
                return Ok(false);
            }
            let t = buf.trim();
            if t.is_empty() {
                continue;
            }
            // Trim in place, keeping the buffer.
            let (lead, len) = (t.as_ptr() as usize - buf.as_ptr() as usize, t.len());
            buf.truncate(lead + len);
            buf.drain(..lead);
            return Ok(true);
        }
    };
    let mut first = String::new();
    if !next(&mut first)? {
        return Err(Error::input(name, "has no token").into());
    }
    let mut second = String::new();
    if !next(&mut second)? {
        let v = verifier.verify(&first);
        super::stdout(&printer.single(&v)?)?;
        return Ok(if v.is_valid() {
            Outcome::Yes
        } else {
            Outcome::No
        });
    }
    let mut queued = [second, first];
    let read = move |item: &mut String| -> Result<bool> {
        for q in queued.iter_mut().rev() {
            if !q.is_empty() {
                std::mem::swap(item, q);
                q.clear();
                return Ok(true);
            }
        }
        next(item)
    };
    // Workers check against the keys as they are; an unknown kid takes the
    // write lock to refresh the source once and check again.
    let shared = std::sync::RwLock::new(verifier);
    let work = |_: &mut (), token: &mut String, out: &mut Option<Verdict>| {
        let v = shared
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .check(token);
        *out = Some(if v.failure.as_ref().is_some_and(|f| f.code == "kid") {
            shared
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .verify(token)
        } else {
            v
        });
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut all_valid = true;
    let mut progress = Progress::new("tokens", None);
    let write = |token: &mut String, v: &mut Option<Verdict>| -> Result<()> {
        if let Some(v) = v.take() {
            all_valid &= v.is_valid();
            out.write_all(printer.line(&v)?.as_bytes())?;
        }
        progress.inc(token.len());
        Ok(())
    };
    batch::ordered_map(batch::Config::default(), read, || (), work, write)?;
    progress.finish();
    out.flush()?;
    Ok(if all_valid { Outcome::Yes } else { Outcome::No })
}
