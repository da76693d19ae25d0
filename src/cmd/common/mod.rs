//! What the commands share: output helpers, the human rendering of a
//! token, the clock and the reading of file flags. No command module
//! imports another; they all import this.

pub mod sources;
pub mod style;

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use serde_json::{Map, Value};
use uvtool::io::{display_name, read_input, write_file, WriteOptions};
use uvtool::net::FetchOptions;
use uvtool::policy::tokens::numeric_date;
use uvtool::read::{self, Kind};
use uvtool::verify::{KeyInputs, OnFetch};
use uvtool::{clock, Error};

use crate::cli::error::usage;

/// Write data to stdout. When its reader has gone (a broken pipe) the data
/// is dropped and the command goes on: its exit code stays its answer (a
/// judge's "invalid" never becomes 0 because nobody read the verdict).
/// Other errors are returned.
pub fn stdout(data: &str) -> Result<()> {
    let mut out = Stdout::new(std::io::stdout().lock());
    out.write_all(data.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// A writer for stdout that turns a broken pipe into "nobody reads": once
/// the reader has gone, every write succeeds and is dropped, so a batch
/// judges every token and exits with the verdict on all of them.
pub struct Stdout<W: Write> {
    inner: W,
    gone: bool,
}

impl<W: Write> Stdout<W> {
    pub fn new(inner: W) -> Self {
        Stdout { inner, gone: false }
    }
}

impl<W: Write> Write for Stdout<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.gone {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.gone = true;
                Ok(buf.len())
            }
            r => r.map_err(stdout_error),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.gone {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.gone = true;
                Ok(())
            }
            r => r.map_err(stdout_error),
        }
    }
}

/// A failed write to stdout (`> /dev/full`: "No space left on device")
/// says it was writing stdout; a broken pipe stays as it is (nobody reads:
/// exit 0, main.rs).
pub fn stdout_error(e: std::io::Error) -> std::io::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return e;
    }
    std::io::Error::new(e.kind(), format!("cannot write to stdout: {e}"))
}

/// A writer to stdout whose errors say they were writing stdout (see
/// [`stdout_error`]); a broken pipe is returned as it is.
pub struct NamedStdout<W: Write>(pub W);

impl<W: Write> Write for NamedStdout<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf).map_err(stdout_error)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush().map_err(stdout_error)
    }
}

/// The request log of `serve` and `ui`: each line on stderr after its UTC
/// time. A write that fails (stderr closed) is dropped: the server goes on.
pub fn server_log() -> uvtool::http::Logger {
    std::sync::Arc::new(|line| {
        let ts = clock::format_utc(clock::now()).unwrap_or_default();
        let _ = writeln!(std::io::stderr().lock(), "{ts} {line}");
    })
}

/// Before reading stdin: when it is a terminal, say what is expected there,
/// so a command waiting for input does not look hung.
pub fn note_stdin(what: &str) {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        say!("uvtool: reading {what} from stdin (end with Ctrl-D)");
    }
}

/// Print a warning on stderr.
pub fn warn(msg: impl std::fmt::Display) {
    say!("uvtool: warning: {msg}");
}

/// Write to a file (atomically, no clobber without `force`) or, with no path
/// or `-`, to stdout.
pub fn emit(out: Option<&Path>, data: &str, opts: WriteOptions) -> Result<()> {
    match out {
        Some(p) if p != Path::new("-") => Ok(write_file(p, data.as_bytes(), opts)?),
        _ => stdout(data),
    }
}

/// Claims holding NumericDates, shown also as UTC dates.
const TIME_CLAIMS: [&str; 4] = ["iat", "nbf", "exp", "auth_time"];

pub use style::Style;

/// The style of this run's text on stdout: colour or plain (see
/// [`style::decide`]).
pub fn text_style() -> Style {
    Style::new(style::stdout_colour())
}

/// Write text for people to stdout, coloured when `style` is (through
/// anstream: see [`style::write_stdout`]).
pub fn print_text(data: &str, style: Style) -> Result<()> {
    if style.on() {
        style::write_stdout(data)
    } else {
        stdout(data)
    }
}

/// The header, the claims and the time claims as dates, for people.
pub fn render(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    now: i64,
    style: Style,
) -> String {
    // Values from the token: serde escapes control characters but not
    // U+2028/U+2029, U+0085 or the bidirectional controls; the JSON's own
    // line breaks stay, nothing from the token can start a line.
    let pretty = |m: &Map<String, Value>| {
        let p = serde_json::to_string_pretty(m).unwrap_or_default();
        uvtool::text::escape_keep_newlines(&p).into_owned()
    };
    let mut s = String::new();
    s.push_str(&style.label("header:"));
    s.push('\n');
    s.push_str(&pretty(header));
    s.push('\n');
    s.push_str(&style.label("claims:"));
    s.push('\n');
    s.push_str(&pretty(claims));
    s.push('\n');
    for name in TIME_CLAIMS {
        let Some(v) = claims.get(name) else {
            continue;
        };
        // The policy's reading (T14): a value outside 1970-9999 or not a
        // number is said to be so, never clamped to a date.
        let Ok(t) = numeric_date(v) else {
            let rule = if name == "exp" && !v.is_number() {
                "T5"
            } else {
                "T14"
            };
            s.push_str(&format!(
                "{name}: {} is not a NumericDate in 1970-9999 ({rule}: unix seconds; milliseconds?)\n",
                uvtool::text::escape(&v.to_string())
            ));
            continue;
        };
        let date = clock::format_utc(t).unwrap_or_else(|| "out of range".into());
        let rel = match name {
            "exp" if t == now => "expires now".to_string(),
            "exp" if t < now => format!("expired {}", clock::relative(t, now)),
            "exp" => format!("expires {}", clock::relative(t, now)),
            "nbf" if t > now => format!("valid from {}", clock::relative(t, now)),
            "nbf" => format!("valid since {}", clock::relative(t, now)),
            _ if t == now => "now".to_string(),
            _ => clock::relative(t, now),
        };
        s.push_str(&format!("{name}: {date} ({rel})\n"));
    }
    s
}

/// A file flag and the kinds of input it takes.
pub struct FileFlag {
    pub flag: &'static str,
    pub takes: &'static [Kind],
}

/// The key-file flags of `verify` and `ui`, and the kinds each takes.
pub const KEY_FLAGS: &[FileFlag] = &[
    FileFlag {
        flag: "--jwks",
        takes: &[Kind::Jwk, Kind::Jwks],
    },
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
            Kind::PrivateJwk,
        ],
    },
];

/// Read the file given to `flag` once and parse it once, with `load` (the
/// strict reader of what the command makes: a signing key, a certificate).
/// When `load` refuses it, the file's kind is recognised to word the
/// refusal: a kind the flag does not take is named with the flag of this
/// command that takes it (`--cert got a private key: use --key`); `flags`
/// are every file flag of the command, so the message can point to the
/// right one. Otherwise the strict reader's words stand.
pub fn load_for<T>(
    path: &str,
    flag: &str,
    flags: &[FileFlag],
    load: impl FnOnce(&[u8], &str) -> uvtool::Result<T>,
) -> Result<T> {
    let bytes = read_input(path)?;
    match load(&bytes, display_name(path)) {
        Ok(v) => Ok(v),
        Err(e) => {
            check_kind(path, flag, read::kind_of(&bytes), flags)?;
            Err(e.into())
        }
    }
}

/// The key files of `--jwks`, `--cert` and `--key` (`verify`, `ui`), each
/// read once into the one key model ([`read::key_file`]); a file given to
/// the wrong flag is named with the flag that takes it.
pub fn key_files(keys: &crate::cli::KeyArgs) -> Result<Vec<read::KeyDoc>> {
    let mut docs = Vec::new();
    for (list, flag, given) in [
        (&keys.jwks, "--jwks", read::KeyKind::Jwks),
        (&keys.cert, "--cert", read::KeyKind::Cert),
        (&keys.key, "--key", read::KeyKind::Key),
    ] {
        for path in list {
            let bytes = read_input(path)?;
            let (kind, doc) = match public_part(given, &bytes, display_name(path)) {
                Some(public) => (
                    Kind::PrivateJwk,
                    public.and_then(|p| read::key_file(&p, display_name(path), given).1),
                ),
                None => read::key_file(&bytes, display_name(path), given),
            };
            check_kind(path, flag, kind, KEY_FLAGS)?;
            docs.push(doc?);
        }
    }
    Ok(docs)
}

/// The public key of a private JWK given to `--key`, as a PEM: `--key` is
/// a local key source, so a private JWK verifies with its public part as a
/// private PEM does (and, like it, for any kid). K10 (no private members)
/// is a rule of a key that is uploaded or published (PLATFORM.md's Keys
/// section: "a JWK uploaded in Setup, or the keys of a JWKS endpoint"): it
/// stays for `--jwks` and `check`.
fn public_part(given: read::KeyKind, bytes: &[u8], what: &str) -> Option<uvtool::Result<Vec<u8>>> {
    // Only JSON is looked at twice (a PEM or DER key is parsed once).
    let json = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(bytes)
        .trim_ascii_start()
        .starts_with(b"{");
    if given != read::KeyKind::Key || !json || read::kind_of(bytes) != Kind::PrivateJwk {
        return None;
    }
    let text = String::from_utf8_lossy(bytes);
    let obj = match serde_json::from_str::<Value>(text.trim_start_matches('\u{feff}')) {
        Ok(Value::Object(o)) => o,
        _ => return None,
    };
    Some(
        uvtool::jwk::private_key(&obj, what)
            .and_then(|k| k.public.to_spki_pem())
            .map(String::into_bytes),
    )
}

/// The keys of `verify` and `ui`: the `--jwks-url` endpoint (fetched with
/// `--timeout` and `--insecure-http`), or the key files.
pub fn key_inputs(
    keys: &crate::cli::KeyArgs,
    endpoint: &crate::cli::JwksUrlArgs,
    on_fetch: Option<OnFetch>,
) -> Result<KeyInputs> {
    match &endpoint.jwks_url {
        Some(url) => Ok(KeyInputs::Url {
            url: url.clone(),
            opts: FetchOptions {
                timeout: endpoint.timeout,
                insecure_http: endpoint.insecure_http,
                ..FetchOptions::default()
            },
            on_fetch,
        }),
        None => Ok(KeyInputs::Files(key_files(keys)?)),
    }
}

/// Refuse `--insecure-http` without `--jwks-url`. Checked here rather than
/// with clap's `requires`, which a conflicting --jwks silently bypasses
/// (clap issue 4520).
pub fn check_endpoint(endpoint: &crate::cli::JwksUrlArgs) -> Result<()> {
    if endpoint.jwks_url.is_none() && endpoint.insecure_http {
        return Err(usage("--insecure-http only applies with --jwks-url URL"));
    }
    Ok(())
}

/// Make sure a file of `kind` given to `flag` is a kind the flag takes;
/// otherwise name what it is and the flag of this command that takes it.
/// Text, binary data and JSON that are no key pass: the reader says why.
pub fn check_kind(path: &str, flag: &str, kind: Kind, flags: &[FileFlag]) -> Result<()> {
    let takes = flags
        .iter()
        .find(|f| f.flag == flag)
        .map_or(&[][..], |f| f.takes);
    if takes.contains(&kind) {
        return Ok(());
    }
    // Text that is neither a key nor JSON: let the strict reader say why.
    if matches!(kind, Kind::Text | Kind::Binary | Kind::Json) {
        return Ok(());
    }
    let other = flags
        .iter()
        .find(|f| f.flag != flag && f.takes.contains(&kind))
        .map(|f| f.flag);
    let msg = match (kind, other) {
        // A private JWK in a set to publish: K10 says why (never upload or
        // publish it), as `check` does.
        (Kind::PrivateJwk, _) if flag == "--jwks" => return Ok(()),
        (Kind::EncryptedKey, _) => format!(
            "is an encrypted private key; decrypt it first: openssl pkey -in {path} -out key-plain.pem (and keep that file private)"
        ),
        (Kind::PrivateKey, Some(o)) => format!(
            "{flag} got a private key (keep it secret, never upload it): use {o}"
        ),
        (_, Some(o)) => format!("{flag} got {}: use {o}", kind.describe()),
        // No flag of this command takes it: the strict reader says what it
        // is, what was expected and how to get that (e.g. a public JWK
        // where a private one signs).
        (_, None) => return Ok(()),
    };
    Err(Error::input(display_name(path), msg).into())
}

/// Report the key rules on a key and certificate given to make a JWK or a
/// certificate ([`uvtool::policy::keys::export_findings`], worded as `check`
/// words them): a certificate that holds another key is refused (exit 2);
/// the rest are warnings (K7 is an upload rule: the JWK is still written,
/// tests use such keys, and the warning says the Setup form refuses it).
pub fn export_checks(e: &uvtool::policy::keys::Export<'_>) -> Result<()> {
    let findings = uvtool::policy::keys::export_findings(e);
    let fix = |f: &uvtool::policy::Finding| f.fix.as_deref().map(|x| format!("; {x}"));
    if let Some(f) = findings.iter().find(|f| f.rule == "K6") {
        let msg = format!("{}{}", f.message, fix(f).unwrap_or_default());
        return Err(Error::input(&f.file, msg).into());
    }
    for f in &findings {
        let fix = f.fix.as_deref().map(|x| format!("; fix: {x}"));
        warn(format!(
            "{}: {} ({}){}",
            f.file,
            f.message,
            f.rule,
            fix.unwrap_or_default()
        ));
    }
    Ok(())
}

/// `--days` as given (negative numbers reach here) to the validity in days.
/// `now` is when the certificate starts (K7 is worded with its end date).
pub fn days(n: i64, now: i64) -> Result<u32> {
    if n < 1 {
        return Err(usage(format!(
            "--days {n}: a certificate is valid from now for 1 to 36500 days (uvtool makes no certificate that is already expired)"
        )));
    }
    // K7 on the certificate this makes (valid from now for n days), worded
    // as every command words it.
    let not_after = now.saturating_add(n.saturating_mul(86_400));
    if let Some((m, _)) = uvtool::policy::keys::k7_problem(now, not_after, now) {
        warn(format!(
            "--days {n}: {m} (K7); fine for local tests, use --days 365 for a key to upload"
        ));
    }
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The warning every command that derives a key from a seed prints.
pub fn seed_warning(seed: &str) {
    warn(format!(
        "the key is derived from the seed {seed:?}: anyone who knows the seed has the private key. Use it for test fixtures only and never upload it (its certificate is named \"{}\")",
        uvtool::cert::FIXTURE_CN
    ));
}

/// How many of these file arguments read stdin (`-`, or a path to it such
/// as `/dev/stdin`: [`is_stdin`]): at most one input may read it.
pub fn stdin_count(lists: &[&[String]]) -> usize {
    lists
        .iter()
        .flat_map(|l| l.iter())
        .filter(|f| is_stdin(f))
        .count()
}

/// Whether a file argument reads stdin: `-`, or a path to it
/// (`/dev/stdin`, `/dev/fd/0`, `/proc/self/fd/0`), which gives the same
/// bytes once, however many inputs name it.
pub fn is_stdin(arg: &str) -> bool {
    matches!(arg, "-" | "/dev/stdin" | "/dev/fd/0" | "/proc/self/fd/0")
}

/// How many token inputs read stdin: no argument is stdin.
pub fn token_stdin_count(args: &[String]) -> usize {
    if args.is_empty() {
        1
    } else {
        args.iter().filter(|a| is_stdin(a)).count()
    }
}

/// The tokens of a token argument that holds several, one a line (as a
/// file of tokens does: `"$(cat tokens.txt)"`), each with its line; `None`
/// for one token, or one token wrapped over lines (read whole, its
/// verdict names it).
pub fn arg_lines(t: &str) -> Option<Vec<(usize, String)>> {
    let found: Vec<(usize, String)> = t
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, read::clean_token(l)))
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| (i, l.to_string()))
        .collect();
    (found.len() > 1 && read::wrapped_lines(t).is_none()).then_some(found)
}

// Token arguments: what a command-line token argument means.

/// Where a command's token argument points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenArg {
    /// `-` or no argument: tokens on stdin, one a line.
    Stdin,
    /// A file holding tokens, one a line.
    File(String),
    /// The token itself (cleaned of a `Bearer ` prefix and whitespace).
    Inline(String),
}

/// Work out what a token argument is: `-` (stdin), a file that exists, or
/// the token itself. An argument that looks like a path (has a `/`, or a
/// `.` but not the two of a token) and does not exist is a missing file,
/// not a malformed token; a folder is named as one.
pub fn token_arg(arg: Option<&str>) -> uvtool::Result<TokenArg> {
    let Some(arg) = arg.filter(|a| *a != "-") else {
        return Ok(TokenArg::Stdin);
    };
    let path = std::path::Path::new(arg);
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_dir() {
            return Err(Error::input(
                arg,
                "is a directory, expected a token or a file of tokens",
            ));
        }
        return Ok(TokenArg::File(arg.to_string()));
    }
    let t = read::clean_token(arg);
    let dots = t.matches('.').count();
    let pathlike = t.contains('/') || t.contains('\\') || (dots == 1 && !t.starts_with("eyJ"));
    if pathlike && !read::looks_like_token(t) {
        return Err(Error::input(arg, "no such file"));
    }
    Ok(TokenArg::Inline(t.to_string()))
}

/// One token of an argument, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgToken {
    /// The token, cleaned as every token reader cleans it.
    pub token: String,
    /// For messages: the file, `<stdin>` or `token`, with `:LINE` when the
    /// input holds several tokens.
    pub name: String,
    /// For output, as `verify` names a token: `FILE:LINE`, `-:LINE`, or
    /// `<arg>:1` for the token itself.
    pub source: String,
    /// Its line (from 1; blank lines counted), 1 for the token itself.
    pub line: usize,
}

/// The tokens of an argument (a token, a file of tokens one a line, or
/// `-`), as `decode` and `platform-key --token` read them: the whole input,
/// blank lines skipped; a token wrapped over lines is one token (its
/// decoding names it). A file that does not start with a token is refused
/// here, named by what it is.
pub fn arg_tokens(arg: Option<&str>) -> uvtool::Result<Vec<ArgToken>> {
    let (name, src, text) = match token_arg(arg)? {
        TokenArg::Inline(t) => {
            // Several tokens, one a line: each named by its line, as a
            // file's are.
            if let Some(found) = arg_lines(&t) {
                return Ok(found
                    .into_iter()
                    .map(|(line, token)| ArgToken {
                        token,
                        name: format!("token:{line}"),
                        source: format!("{}:1:{line}", sources::ARG),
                        line,
                    })
                    .collect());
            }
            return Ok(vec![ArgToken {
                token: t,
                name: "token".into(),
                source: format!("{}:1", sources::ARG),
                line: 1,
            }]);
        }
        TokenArg::Stdin => {
            let bytes = read_input("-")?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            ("<stdin>".to_string(), "-".to_string(), text)
        }
        TokenArg::File(f) => {
            let bytes = read_input(&f)?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let first = read::first_token_line(&text);
            if let Err(m) = uvtool::token::decode(first) {
                if read::wrapped_lines(&text).is_none() {
                    let msg = match read::kind_of(&bytes) {
                        // A malformed token: say what is wrong with it.
                        Kind::Token | Kind::Tokens => format!("token {m}"),
                        Kind::Text | Kind::Binary | Kind::Json => format!(
                            "does not start with a token (first line: {m}); give a token, a file of tokens one a line, or -"
                        ),
                        k => format!("is {}, not a token", k.describe()),
                    };
                    return Err(Error::input(&f, msg));
                }
            }
            (f.clone(), f, text)
        }
    };
    let one = |token: &str, line: usize| ArgToken {
        token: token.to_string(),
        name: name.clone(),
        source: format!("{src}:{line}"),
        line,
    };
    // A token wrapped over lines: one token, read whole.
    if read::wrapped_lines(&text).is_some() {
        let line = text
            .lines()
            .position(|l| !read::clean_token(l).is_empty())
            .map_or(1, |i| i + 1);
        return Ok(vec![one(read::clean_token(&text), line)]);
    }
    let mut found: Vec<ArgToken> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, read::clean_token(l)))
        .filter(|(_, t)| !t.is_empty())
        .map(|(line, t)| one(t, line))
        .collect();
    match found.len() {
        // Nothing: the empty token, which decoding names.
        0 => found.push(one("", 1)),
        1 => {}
        _ => {
            for t in &mut found {
                t.name = format!("{}:{}", t.name, t.line);
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";

    #[test]
    fn token_arguments() {
        assert_eq!(token_arg(None).unwrap(), TokenArg::Stdin);
        assert_eq!(token_arg(Some("-")).unwrap(), TokenArg::Stdin);
        assert_eq!(
            token_arg(Some(&format!("Bearer {TOKEN}"))).unwrap(),
            TokenArg::Inline(TOKEN.into())
        );
        let dir = env!("CARGO_MANIFEST_DIR");
        let e = token_arg(Some(dir)).unwrap_err().to_string();
        assert!(
            e.ends_with("is a directory, expected a token or a file of tokens"),
            "{e}"
        );
        let f = format!("{dir}/Cargo.toml");
        assert_eq!(token_arg(Some(&f)).unwrap(), TokenArg::File(f.clone()));
        for missing in ["no/such", "tok.jwt", "a\\b"] {
            let e = token_arg(Some(missing)).unwrap_err().to_string();
            assert_eq!(e, format!("{missing}: no such file"));
        }
        // Not path-like: a malformed token, for the policy to name (T0).
        for odd in ["abc", "a.b.c", "eyJx.y"] {
            assert_eq!(token_arg(Some(odd)).unwrap(), TokenArg::Inline(odd.into()));
        }
        assert_eq!(
            arg_tokens(Some(TOKEN)).unwrap(),
            [ArgToken {
                token: TOKEN.into(),
                name: "token".into(),
                source: "<arg>:1".into(),
                line: 1
            }]
        );
        let e = arg_tokens(Some(&f)).unwrap_err().to_string();
        assert!(e.contains("does not start with a token"), "{e}");
        let cert = format!("{dir}/fixtures/keys/a/cert.pem");
        let e = arg_tokens(Some(&cert)).unwrap_err().to_string();
        assert!(e.ends_with("is a certificate, not a token"), "{e}");
    }
}
