//! `uvtool verify`: the policy's verdict for one token or a stream of them.

use std::io::{BufWriter, Read, Write};

use anyhow::Result;
use serde_json::Value;
use uvtool::input::{self, Kind, TokenArg};
use uvtool::net::{FetchOptions, JwksUrl, OnFetch, RawResponse};
use uvtool::policy::{Finding, Profile, Settings, Verdict};
use uvtool::text::escape as esc;
use uvtool::verify::{self as verifier, KeySource, SharedVerifier, StaticKeys, Verifier};
use uvtool::{batch, platform, Error};

use super::common::{self, render, use_colour, FileFlag, Style};
use super::progress::Progress;
use super::Outcome;
use crate::cli::error::usage;
use crate::cli::VerifyArgs;

/// The file flags of `verify` and the kinds each takes.
const FLAGS: &[FileFlag] = common::KEY_FLAGS;

/// How verdicts are printed.
struct Printer {
    json: bool,
    config: Option<String>,
    style: Style,
    now: i64,
}

/// `message (RULE)`, escaped: a message can quote a token's values.
fn reason(f: &Finding) -> String {
    format!("{} ({})", esc(&f.message), f.rule)
}

impl Printer {
    fn platform_key(&self, v: &Verdict) -> Option<String> {
        let config = self.config.as_deref()?;
        if !v.is_valid() {
            return None;
        }
        Some(platform::platform_key(config, v.sub()?))
    }

    /// `verify --json`'s object: the library's one shape (also the debugger
    /// page's), with the input line for a stream.
    fn json_value(&self, v: &Verdict, line: Option<usize>) -> Value {
        let mut j = uvtool::inspect::verdict_json(v, self.config.as_deref());
        if let (Some(n), Value::Object(o)) = (line, &mut j) {
            o.insert("line".into(), n.into());
        }
        j
    }

    fn verdict_word(&self, v: &Verdict) -> String {
        match v.failure() {
            None => self.style.good("valid"),
            Some(f) => format!("{} {}", self.style.bad("invalid:"), reason(f)),
        }
    }

    /// The full report for a single token.
    fn single(&self, v: &Verdict) -> Result<String> {
        if self.json {
            let mut s = serde_json::to_string_pretty(&self.json_value(v, None))?;
            s.push('\n');
            return Ok(s);
        }
        for n in &v.notes {
            say!("uvtool: note: {}", esc(n));
        }
        let mut s = self.verdict_word(v);
        s.push('\n');
        match v.failure() {
            None => {
                let key = match (&v.kid, &v.key_origin) {
                    (Some(k), Some(o)) => format!("key {k:?} from {}", esc(o)),
                    (None, Some(o)) => format!("the key from {}", esc(o)),
                    _ => String::new(),
                };
                if let Some(a) = v.alg {
                    s.push_str(&format!("signed with {a} by {key}\n"));
                }
            }
            Some(f) => {
                if let Some(fix) = &f.fix {
                    s.push_str(&format!("{} {}\n", self.style.label("fix:"), esc(fix)));
                }
            }
        }
        if v.profile == Profile::Rfc {
            s.push_str("profile: rfc (RFC 7519/8725 rules, not the platform's)\n");
        }
        for w in v.warnings() {
            s.push_str(&format!("{} {}\n", self.style.label("warning:"), reason(w)));
        }
        if let (Some(h), Some(c)) = (&v.header, &v.claims) {
            s.push_str(&render(h, c, self.now, self.style));
        }
        if self.config.is_some() {
            match self.platform_key(v) {
                Some(k) => s.push_str(&format!(
                    "{} {}\n{} {}\n",
                    self.style.label("platform key:"),
                    esc(&k),
                    self.style.label("note:"),
                    uvtool::platform::HEDGE
                )),
                None => s.push_str(&format!(
                    "{} none: {}\n",
                    self.style.label("platform key:"),
                    if v.is_valid() {
                        "the token has no string sub"
                    } else {
                        "the platform would treat this visitor as unverified (v2/iamessage/UNAUTH/NA/uid:<random>, field)"
                    }
                )),
            }
        }
        Ok(s)
    }

    /// One line for a token in a stream (`line` counts from 1), appended
    /// to `s`. Runs on the batch workers, so it formats into their reused
    /// buffers and the verdict is freed on the thread that built it.
    fn line(&self, v: &Verdict, line: usize, s: &mut String) {
        use std::fmt::Write as _;
        if self.json {
            // A `serde_json::Value`'s `Display` is its compact JSON and
            // cannot fail (its map keys are strings).
            let _ = writeln!(s, "{}", self.json_value(v, Some(line)));
            return;
        }
        s.push_str(&self.verdict_word(v));
        if v.is_valid() {
            if let Some(sub) = v.sub() {
                s.push_str(" sub=");
                s.push_str(&esc(sub));
            }
            if let Some(k) = self.platform_key(v) {
                s.push_str(" platform_key=");
                s.push_str(&esc(&k));
            }
        } else {
            let _ = write!(s, " [line {line}");
            if let Some(sub) = v.sub() {
                s.push_str(", sub=");
                s.push_str(&esc(sub));
            }
            s.push(']');
        }
        s.push('\n');
    }
}

fn load_keys(args: &VerifyArgs, settings: &Settings) -> Result<StaticKeys> {
    let mut src = StaticKeys::new();
    for f in &args.keys.jwks {
        let bytes = common::read_for(f, "--jwks", FLAGS)?;
        src.add_jwk_doc(&bytes, uvtool::io::display_name(f), settings)?;
    }
    for f in &args.keys.cert {
        let bytes = common::read_for(f, "--cert", FLAGS)?;
        src.add_key(verifier::cert_key(
            &bytes,
            uvtool::io::display_name(f),
            settings,
        )?)?;
    }
    for f in &args.keys.key {
        let bytes = common::read_for(f, "--key", FLAGS)?;
        src.add_key(verifier::file_key(
            &bytes,
            uvtool::io::display_name(f),
            settings,
        )?)?;
    }
    Ok(src)
}

fn settings(args: &VerifyArgs) -> Result<Settings> {
    if args.allow_no_exp && args.profile == Profile::Platform {
        return Err(usage(
            "--allow-no-exp applies only with --profile rfc: the platform refuses a token without exp (T5; WEB, client)",
        ));
    }
    if args.profile == Profile::Platform {
        if let Some(a) = args
            .alg
            .iter()
            .find(|a| !uvtool::policy::PLATFORM_ALGS.contains(a))
        {
            return Err(usage(format!(
                "--alg {a}: the platform accepts RS256 and RS512 only (T1; WEB); use --profile rfc to verify {a} tokens for other systems"
            )));
        }
    }
    Ok(Settings {
        profile: args.profile,
        algs: args.alg.clone(),
        leeway: args.clock.leeway,
        allow_no_exp: args.allow_no_exp,
        iss: args.iss.clone(),
        aud: args.aud.clone(),
        sub: args.sub.clone(),
        require: args.require.clone(),
        now: args.clock.now(),
        upload: false,
    })
}

pub fn run(args: VerifyArgs) -> Result<Outcome> {
    if args.keys.is_empty() && args.jwks_url.is_none() {
        return Err(usage(
            "give the keys to verify with: --jwks FILE, --jwks-url URL, --cert FILE or --key FILE",
        ));
    }
    // Checked here rather than with clap's `requires`, which a conflicting
    // --jwks silently bypasses (clap issue 4520).
    if args.jwks_url.is_none() && (args.show_jwks || args.insecure_http) {
        let flag = if args.show_jwks {
            "--show-jwks"
        } else {
            "--insecure-http"
        };
        return Err(usage(format!("{flag} only applies with --jwks-url URL")));
    }
    let sources: Vec<TokenArg> = if args.tokens.is_empty() {
        vec![TokenArg::Stdin]
    } else {
        args.tokens
            .iter()
            .map(|t| input::token_arg(Some(t)))
            .collect::<Result<_, _>>()?
    };
    let token_stdin = sources.iter().filter(|s| **s == TokenArg::Stdin).count();
    let key_stdin = common::stdin_count(&[&args.keys.jwks, &args.keys.cert, &args.keys.key]);
    if key_stdin + token_stdin > 1 {
        return Err(usage(
            "only one input can read stdin (-); pass the token as an argument",
        ));
    }
    let settings = settings(&args)?;
    let printer = Printer {
        json: args.json,
        config: args.config.clone(),
        style: Style::new(!args.json && use_colour()),
        now: settings.now,
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
        let src = JwksUrl::fetch(url, opts, &settings, show)?;
        let verifier = Verifier::new(src, settings)?;
        return verify_with(verifier, sources, &printer);
    }
    let src = load_keys(&args, &settings)?;
    let verifier = Verifier::new(src, settings)?;
    verify_with(verifier, sources, &printer)
}

/// `--show-jwks`: what a fetch of the JWKS URL returned, on stderr.
fn show_fetch(raw: &RawResponse, n: usize) {
    let f = &raw.facts;
    let mut s = format!(
        "uvtool: fetch {n} of {}: HTTP {}, Content-Type: {}, {} bytes in {:.0?}",
        esc(&f.final_url),
        f.status,
        esc(f.content_type.as_deref().unwrap_or("(none)")),
        f.size,
        f.elapsed
    );
    for r in &f.redirects {
        s.push_str(&format!(
            "\nuvtool:   via redirect to {}",
            esc(&r.to_string())
        ));
    }
    let body = String::from_utf8_lossy(&raw.body[..raw.body.len().min(64 * 1024)]);
    say!(
        "{}\n{}",
        s,
        uvtool::text::escape_keep_newlines(body.trim_end())
    );
}

/// Verify the token arguments (or the tokens on stdin) with a ready verifier.
fn verify_with<S: KeySource + Send + Sync>(
    mut verifier: Verifier<S>,
    sources: Vec<TokenArg>,
    printer: &Printer,
) -> Result<Outcome> {
    if let [TokenArg::Inline(t)] = sources.as_slice() {
        let v = verifier.verify(t);
        common::stdout(&printer.single(&v)?)?;
        return Ok(if v.is_valid() {
            Outcome::Yes
        } else {
            Outcome::No
        });
    }
    if let [TokenArg::Stdin] = sources.as_slice() {
        common::note_stdin("tokens, one a line,");
        return stream(
            verifier,
            printer,
            token_lines(std::io::stdin(), "<stdin>"),
            "<stdin>",
        );
    }
    if let [TokenArg::File(f)] = sources.as_slice() {
        check_token_file(f)?;
        let file = std::fs::File::open(f)
            .map_err(|e| Error::io(std::path::Path::new(f), "cannot open", e))?;
        return stream(verifier, printer, token_lines(file, f), f);
    }
    // Several arguments: one stream, in the order given, lines numbered
    // across them; an inline token is one item, whatever it holds.
    let mut queue = std::collections::VecDeque::new();
    for s in sources {
        queue.push_back(match s {
            TokenArg::File(f) => Part::Lines(input::Lines::new(Box::new(std::io::Cursor::new(
                uvtool::io::read_input(&f)?,
            )))),
            TokenArg::Stdin => Part::Lines(input::Lines::new(Box::new(std::io::BufReader::new(
                std::io::stdin(),
            )))),
            TokenArg::Inline(t) => Part::Token(t),
        });
    }
    let mut before = 0usize;
    let mut line = input::Line::default();
    let next = move |buf: &mut (String, usize)| -> Result<bool> {
        loop {
            match queue.front_mut() {
                None => return Ok(false),
                Some(Part::Token(t)) => {
                    before += 1;
                    *buf = (std::mem::take(t), before);
                    queue.pop_front();
                    return Ok(true);
                }
                Some(Part::Lines(lines)) => {
                    let more = lines.next_line(&mut line).map_err(|e| {
                        Error::io(std::path::Path::new("the arguments"), "cannot read", e)
                    })?;
                    if !more {
                        before += lines.lines_read();
                        queue.pop_front();
                    } else if line.token_into(&mut buf.0) {
                        buf.1 = before + line.number;
                        return Ok(true);
                    }
                }
            }
        }
    };
    stream(verifier, printer, next, "the arguments")
}

/// One token argument of several: a token, or the lines of a file or stdin.
enum Part {
    Token(String),
    Lines(input::Lines<Box<dyn std::io::BufRead + Send>>),
}

/// The tokens of `reader`, one a line, as [`stream`] takes them (the token
/// and its line number), read as every token reader reads a line
/// ([`input::Lines`]): bounded, cleaned as an argument is, bytes that are
/// not UTF-8 making a malformed token (T0) rather than an unreadable input.
fn token_lines<'a>(
    reader: impl Read + Send + 'a,
    name: &'a str,
) -> impl FnMut(&mut (String, usize)) -> Result<bool> + Send + 'a {
    let mut lines = input::Lines::new(std::io::BufReader::with_capacity(64 * 1024, reader));
    let mut line = input::Line::default();
    move |buf: &mut (String, usize)| -> Result<bool> {
        loop {
            if !lines
                .next_line(&mut line)
                .map_err(|e| Error::io(std::path::Path::new(name), "cannot read", e))?
            {
                return Ok(false);
            }
            if line.token_into(&mut buf.0) {
                buf.1 = line.number;
                return Ok(true);
            }
        }
    }
}

/// A file given as the token argument must start with a token: a key file
/// there is named, with the flag that takes it. Only the start is read, so
/// a file of a million tokens is still streamed.
fn check_token_file(path: &str) -> Result<()> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(input::MAX_TOKEN_TEXT as u64).read_to_end(&mut head))
        .map_err(|e| Error::io(std::path::Path::new(path), "cannot read", e))?;
    let text = String::from_utf8_lossy(&head);
    let Err(m) = uvtool::token::decode(input::first_token_line(&text)) else {
        return Ok(());
    };
    // A malformed token is still a token: its verdict says what is wrong (T0).
    let kind = input::kind_of(&head);
    if matches!(kind, Kind::Token | Kind::Tokens) {
        return Ok(());
    }
    let flag = FLAGS
        .iter()
        .find(|f| f.takes.contains(&kind))
        .map(|f| f.flag);
    Err(match flag {
        Some(flag) => Error::input(
            path,
            format!("is {}, not a token: give it with {flag}, and the token as the argument", kind.describe()),
        ),
        None => Error::input(
            path,
            format!("does not start with a token (first line: {m}); give a token, a file of tokens one a line, or -"),
        ),
    }
    .into())
}

/// Tokens one a line (blank lines skipped): a single token gets the full
/// report, several get one verdict line each, in order, checked on every
/// core ([`uvtool::batch`]).
fn stream<S: KeySource + Send + Sync>(
    mut verifier: Verifier<S>,
    printer: &Printer,
    mut next: impl FnMut(&mut (String, usize)) -> Result<bool> + Send,
    name: &str,
) -> Result<Outcome> {
    let mut first = (String::new(), 0);
    if !next(&mut first)? {
        return Err(Error::input(name, "has no token").into());
    }
    let mut second = (String::new(), 0);
    if !next(&mut second)? {
        let v = verifier.verify(&first.0);
        common::stdout(&printer.single(&v)?)?;
        return Ok(if v.is_valid() {
            Outcome::Yes
        } else {
            Outcome::No
        });
    }
    let mut queued = [Some(second), Some(first)];
    let read = move |item: &mut (String, usize)| -> Result<bool> {
        for q in queued.iter_mut().rev() {
            if let Some(v) = q.take() {
                *item = v;
                return Ok(true);
            }
        }
        next(item)
    };
    if printer.config.is_some() && !printer.json {
        say!("uvtool: note: platform_key: {}", platform::HEDGE);
    }
    let shared = SharedVerifier::new(verifier);
    // Each output is the token's line and whether it was valid; the line's
    // buffer is reused from chunk to chunk.
    let work = |_: &mut (), token: &mut (String, usize), out: &mut (String, bool)| {
        let v = shared.verify(&token.0);
        out.0.clear();
        printer.line(&v, token.1, &mut out.0);
        out.1 = v.is_valid();
    };
    let stdout = std::io::stdout();
    // A reader that goes away does not end the batch: every token is still
    // judged, and the exit code is the verdict on all of them.
    let mut out = BufWriter::with_capacity(64 * 1024, common::Stdout::new(stdout.lock()));
    let mut all_valid = true;
    let mut progress = Progress::new("tokens", None);
    let write = |token: &mut (String, usize), line: &mut (String, bool)| -> Result<()> {
        all_valid &= line.1;
        out.write_all(line.0.as_bytes())?;
        progress.inc(token.0.len());
        Ok(())
    };
    batch::ordered_map(batch::Config::default(), read, || (), work, write)?;
    progress.finish();
    out.flush()?;
    Ok(if all_valid { Outcome::Yes } else { Outcome::No })
}
