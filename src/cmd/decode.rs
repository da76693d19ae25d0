//! `uvtool decode`: header and claims, pretty, with humanised times. Nothing
//! is verified, and stderr says so.

use std::io::IsTerminal;

use anyhow::Result;
use serde_json::{Map, Value};
use uvtool::io::read_text;
use uvtool::verify::{MAX_TIME, MIN_TIME};
use uvtool::{clock, token, Error};

use super::Outcome;
use crate::cli::DecodeArgs;

/// Claims holding NumericDates, shown also as UTC dates.
const TIME_CLAIMS: [&str; 4] = ["iat", "nbf", "exp", "auth_time"];

/// Read one token from an argument, a file the argument names, or stdin
/// (`-`/none): from a file or stdin, the first non-blank line.
pub(super) fn read_token_arg(arg: Option<&str>) -> Result<String> {
    let first_line = |text: String| {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or_default()
            .to_string()
    };
    match arg {
        None | Some("-") => {
            super::note_stdin("the token");
            Ok(first_line(read_text("-")?))
        }
        Some(t) if token::decode(t).is_err() && std::path::Path::new(t).is_file() => {
            let line = first_line(read_text(t)?);
            token::decode(&line).map_err(|m| file_error(t, m))?;
            Ok(line)
        }
        Some(t) => Ok(t.to_string()),
    }
}

/// Whether to colour stdout: a terminal, and NO_COLOR unset or empty
/// (CLICOLOR_FORCE=1 forces colour, for tests and pagers).
pub(super) fn use_colour() -> bool {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if std::env::var("CLICOLOR_FORCE").is_ok_and(|v| v != "0" && !v.is_empty()) {
        return true;
    }
    std::io::stdout().is_terminal()
}

/// ANSI styles, or nothing when colour is off.
#[derive(Clone, Copy)]
pub(super) struct Style {
    on: bool,
}

impl Style {
    pub fn new(on: bool) -> Self {
        Style { on }
    }
    fn wrap(self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn good(self, s: &str) -> String {
        self.wrap("1;32", s)
    }
    pub fn bad(self, s: &str) -> String {
        self.wrap("1;31", s)
    }
    pub fn label(self, s: &str) -> String {
        self.wrap("1", s)
    }
}

/// The header, the claims and the time claims as dates, for people.
pub(super) fn render(
    header: &Map<String, Value>,
    claims: &Map<String, Value>,
    now: i64,
    style: Style,
) -> String {
    let pretty = |m: &Map<String, Value>| serde_json::to_string_pretty(m).unwrap_or_default();
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
        let Some(t) = claims
            .get(name)
            .and_then(Value::as_f64)
            .map(|f| (f.floor() as i64).clamp(MIN_TIME, MAX_TIME))
        else {
            continue;
        };
        let date = clock::format_utc(t).unwrap_or_else(|| "out of range".into());
        let rel = match name {
            "exp" if t <= now => format!("expired {}", clock::relative(t, now)),
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

/// A file given where a token was expected that does not start with one.
pub(super) fn file_error(path: &str, msg: String) -> Error {
    Error::input(
        path,
        format!("does not start with a token (first line: {msg}); give a token, a file of tokens one a line, or -"),
    )
}

pub fn run(args: DecodeArgs) -> Result<Outcome> {
    let now = super::mint::parse_now(args.now.as_deref())?;
    let text = read_token_arg(args.token.as_deref())?;
    let d = token::decode(&text).map_err(|m| Error::input("token", m))?;
    eprintln!("uvtool: note: signature NOT verified (decode only shows the contents; use `uvtool verify` to check it)");
    let out = if args.json {
        let mut o = Map::new();
        o.insert("header".into(), Value::Object(d.header));
        o.insert("claims".into(), Value::Object(d.claims));
        let mut s = serde_json::to_string_pretty(&o)?;
        s.push('\n');
        s
    } else {
        render(&d.header, &d.claims, now, Style::new(use_colour()))
    };
    super::stdout(&out)?;
    Ok(Outcome::Yes)
}
