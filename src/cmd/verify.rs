//! `uvtool verify`: the policy's verdict for one token or a stream of them.

use std::io::{BufWriter, Write};

use anyhow::Result;
use serde_json::{Map, Value};
use uvtool::net::RawResponse;
use uvtool::policy::{Finding, Profile, Settings, Verdict};
use uvtool::text::escape as esc;
use uvtool::verify::{self as verifier, KeySource, OnFetch, SharedVerifier, Verifier};
use uvtool::{batch, platform, Error};

use super::common::sources::{self, Item, Sources};
use super::common::{self, render, FileFlag, Style};
use super::progress::Progress;
use super::Outcome;
use crate::cli::error::{usage, with_timeout};
use crate::cli::VerifyArgs;

/// The file flags of `verify` and the kinds each takes.
const FLAGS: &[FileFlag] = common::KEY_FLAGS;

/// How verdicts are printed.
struct Printer {
    json: bool,
    config: Option<String>,
    style: Style,
    now: i64,
    /// The name of each token input, for sources.
    names: Vec<String>,
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

    /// `verify --json`'s object, one line whatever the number of tokens:
    /// `source` (`FILE:LINE`, `-:LINE`, `<arg>:N`) and `line` (that N),
    /// then the library's one shape (also the debugger page's).
    fn json_value(&self, v: &Verdict, item: &Item) -> Value {
        let mut o = Map::new();
        o.insert("source".into(), sources::source(&self.names, item).into());
        o.insert("line".into(), item.line.into());
        if let Value::Object(rest) = uvtool::verify::json::verdict_json(v, self.config.as_deref()) {
            o.extend(rest);
        }
        Value::Object(o)
    }

    fn verdict_word(&self, v: &Verdict) -> String {
        match v.failure() {
            None => self.style.good("valid"),
            Some(f) => format!("{} {}", self.style.bad("invalid:"), reason(f)),
        }
    }

    /// The full report for a single token (`--json`: its one line).
    fn single(&self, v: &Verdict, item: &Item) -> Result<String> {
        if self.json {
            let mut s = String::new();
            self.line(v, item, &mut s);
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
            s.push_str(&format!("{} {}\n", self.style.warn("warning:"), reason(w)));
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

    /// One line for a token in a stream, appended to `s`: `valid sub=…
    /// [SOURCE]` or `invalid: why (RULE) [SOURCE, sub=…]`, or its JSON
    /// object. Runs on the batch workers, so it formats into their reused
    /// buffers and the verdict is freed on the thread that built it.
    fn line(&self, v: &Verdict, item: &Item, s: &mut String) {
        use std::fmt::Write as _;
        if self.json {
            // A `serde_json::Value`'s `Display` is its compact JSON and
            // cannot fail (its map keys are strings).
            let _ = writeln!(s, "{}", self.json_value(v, item));
            return;
        }
        let source = self.names.get(item.input).map_or("?", String::as_str);
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
            let _ = write!(s, " [{}:{}]", esc(source), item.line);
        } else {
            let _ = write!(s, " [{}:{}", esc(source), item.line);
            if let Some(sub) = v.sub() {
                s.push_str(", sub=");
                s.push_str(&esc(sub));
            }
            s.push(']');
        }
        s.push('\n');
    }
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
        iss: args.expect.iss.clone(),
        aud: args.aud.clone(),
        sub: args.sub.clone(),
        require: args.require.clone(),
        now: args.clock.now(),
        upload: false,
    })
}

pub fn run(args: VerifyArgs) -> Result<Outcome> {
    if args.keys.is_empty() && args.endpoint.jwks_url.is_none() {
        return Err(usage(
            "give the keys to verify with: --jwks FILE, --jwks-url URL, --cert FILE or --key FILE",
        ));
    }
    // Checked here rather than with clap's `requires`, which a conflicting
    // --jwks silently bypasses (clap issue 4520).
    if args.endpoint.jwks_url.is_none() && args.show_jwks {
        return Err(usage("--show-jwks only applies with --jwks-url URL"));
    }
    common::check_endpoint(&args.endpoint)?;
    // Before any input is read: stdin (`-`, `/dev/stdin`) gives its bytes
    // once.
    let token_stdin = common::token_stdin_count(&args.tokens);
    let key_stdin = common::stdin_count(&[&args.keys.jwks, &args.keys.cert, &args.keys.key]);
    if key_stdin + token_stdin > 1 {
        return Err(usage(
            "only one input can read stdin (-); pass the token as an argument",
        ));
    }
    let sources = Sources::new(&args.tokens, FLAGS)?;
    let settings = settings(&args)?;
    let printer = Printer {
        json: args.json,
        config: args.auth_id.name.clone(),
        style: if args.json {
            Style::new(false)
        } else {
            common::text_style()
        },
        now: settings.now,
        names: sources.names(),
    };
    let on_fetch = args.show_jwks.then(|| Box::new(show_fetch) as OnFetch);
    let inputs = common::key_inputs(&args.keys, &args.endpoint, on_fetch)?;
    let keys = verifier::load_keys(inputs, &settings).map_err(with_timeout)?;
    verify_with(Verifier::new(Worded(keys), settings)?, sources, &printer)
}

/// The keys of the run; a refresh that times out says to raise --timeout
/// (in the verdict's note), as the first fetch does.
struct Worded(verifier::Keys);

impl KeySource for Worded {
    fn name(&self) -> &str {
        self.0.name()
    }
    fn keys(&self) -> &[uvtool::policy::Key] {
        self.0.keys()
    }
    fn refresh(&mut self) -> uvtool::Result<bool> {
        self.0.refresh().map_err(with_timeout)
    }
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
    verifier: Verifier<S>,
    sources: Sources,
    printer: &Printer,
) -> Result<Outcome> {
    stream(verifier, printer, sources.reader())
}

/// The tokens of every input, in order: a single token gets the full
/// report (with `--json`, its one line), several get one verdict line each,
/// in order, checked on every core ([`uvtool::batch`]). Exit 0 when every
/// token is valid, 1 when any is invalid; an input that fails to read
/// midway ends the run with exit 2 after the verdicts before it.
fn stream<S: KeySource + Send + Sync>(
    mut verifier: Verifier<S>,
    printer: &Printer,
    mut next: impl FnMut(&mut Item) -> Result<bool> + Send,
) -> Result<Outcome> {
    let mut first = Item::default();
    if !next(&mut first)? {
        return Err(Error::input("the arguments", "have no token").into());
    }
    let mut second = Item::default();
    let more = next(&mut second).inspect_err(|_| {
        // The next input fails: the token read before it keeps its
        // verdict, as in a batch, then the error (exit 2).
        let v = verifier.verify(&first.token);
        let mut line = String::new();
        printer.line(&v, &first, &mut line);
        let _ = common::print_text(&line, printer.style);
    })?;
    if !more {
        let v = verifier.verify(&first.token);
        let text = printer.single(&v, &first)?;
        common::print_text(&text, printer.style)?;
        return Ok(if v.is_valid() {
            Outcome::Yes
        } else {
            Outcome::No
        });
    }
    let mut queued = [Some(second), Some(first)];
    let read = move |item: &mut Item| -> Result<bool> {
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
    let work = |_: &mut (), item: &mut Item, out: &mut (String, bool)| {
        let v = shared.verify(&item.token);
        out.0.clear();
        printer.line(&v, item, &mut out.0);
        out.1 = v.is_valid();
    };
    // A reader that goes away does not end the batch: every token is still
    // judged, and the exit code is the verdict on all of them. Coloured
    // lines go through anstream (see `style`).
    let sink: Box<dyn Write> = if printer.style.on() {
        Box::new(common::style::coloured_stdout())
    } else {
        Box::new(common::Stdout::new(std::io::stdout().lock()))
    };
    let mut out = BufWriter::with_capacity(64 * 1024, sink);
    let mut all_valid = true;
    let mut progress = Progress::new("tokens", None);
    let write = |item: &mut Item, line: &mut (String, bool)| -> Result<()> {
        all_valid &= line.1;
        out.write_all(line.0.as_bytes())?;
        progress.inc(item.token.len());
        Ok(())
    };
    batch::ordered_map(batch::Config::default(), read, || (), work, write)?;
    progress.finish();
    out.flush()?;
    Ok(if all_valid { Outcome::Yes } else { Outcome::No })
}
