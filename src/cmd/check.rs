//! `uvtool check`: lint keys, certificates and tokens against the platform's rules.

use anyhow::Result;
use serde_json::{json, Map, Value};
use uvtool::check;
use uvtool::policy::{self, Finding, Level, Profile, Settings};
use uvtool::read::{self, Input, Shape};
use uvtool::text::escape as esc;
use uvtool::{platform, Error};

use super::common;
use super::Outcome;
use crate::cli::error::usage;
use crate::cli::CheckArgs;

pub fn run(args: CheckArgs) -> Result<Outcome> {
    if args.list_rules {
        list_rules(args.json)?;
        return Ok(Outcome::Yes);
    }
    if args.inputs.iter().filter(|i| *i == "-").count() > 1 {
        return Err(usage("only one input can be - (stdin)"));
    }
    let settings = Settings {
        profile: args.profile,
        leeway: args.clock.leeway,
        iss: args.expect.iss.clone(),
        now: args.clock.now(),
        upload: args.upload,
        ..Settings::default()
    };
    // A file of several tokens gives each line its own verdict. Each input
    // keeps the argument it came from, for its `source`.
    let mut inputs = Vec::new();
    let mut args_of = Vec::new();
    for (i, a) in args.inputs.iter().enumerate() {
        let got = read_arg(a, i)?;
        args_of.extend(std::iter::repeat_n(i, got.len()));
        inputs.extend(got);
    }
    let report = check::run(&inputs, &settings, args.auth_id.name.as_deref());

    let mut side = Vec::new();
    if let Some(config) = &args.auth_id.name {
        let tokens: Vec<_> = inputs
            .iter()
            .filter_map(|i| match i {
                Input::Token(t) => Some(t),
                Input::Keys(_) | Input::Endpoint(_) => None,
            })
            .collect();
        if tokens.is_empty() {
            common::warn("--auth-id: no token given, so there is no platform key to print");
        }
        for t in tokens {
            match t.claims.get("sub").and_then(|v| v.as_str()) {
                Some(sub) if !sub.is_empty() => side.push(format!(
                    "platform key ({}): {} ({})",
                    t.file,
                    platform::platform_key(config, sub),
                    platform::HEDGE
                )),
                _ => side.push(format!(
                    "platform key ({}): none, the token has no usable sub (T3)",
                    t.file
                )),
            }
        }
    }
    for t in &report.tokens {
        let v = &t.verdict;
        side.push(match v.failure() {
            // Never "valid" unless a key verified the signature.
            None if v.key_origin.is_none() => format!(
                "verdict ({}): not judged: no key was given or could be read, so the signature was not checked (the token's other rules found no error under the {} profile)",
                t.file,
                v.profile.as_str()
            ),
            None => format!(
                "verdict ({}): valid under the {} profile",
                t.file,
                v.profile.as_str()
            ),
            Some(f) => format!(
                "verdict ({}): invalid under the {} profile: {} ({})",
                t.file,
                v.profile.as_str(),
                f.message,
                f.rule
            ),
        });
    }
    side.extend(report.notes.iter().map(|n| format!("note: {n}")));

    let (errors, warnings, infos) = (
        report.count(Level::Error),
        report.count(Level::Warning),
        report.count(Level::Info),
    );
    let n = inputs.len();
    // A keyset URL that could not be fetched was not checked: never "no
    // findings" (its error follows, exit 2).
    let unread = inputs
        .iter()
        .filter(|i| matches!(i, Input::Endpoint(ep) if ep.fetch_error.is_some()))
        .count();
    let summary = if unread > 0 {
        let counts = if report.findings.is_empty() {
            String::new()
        } else {
            format!(
                ", {errors} error{}, {warnings} warning{}, {infos} info",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" },
            )
        };
        format!(
            "checked {n} input{}: {unread} could not be read{counts}",
            if n == 1 { "" } else { "s" }
        )
    } else if report.findings.is_empty() {
        format!(
            "checked {n} input{}: no findings",
            if n == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "checked {n} input{}: {errors} error{}, {warnings} warning{}, {infos} info",
            if n == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" },
        )
    };

    if args.json {
        // JSON Lines: one object per input (the verdict of a token and its
        // platform key are in it); the notes and the summary on stderr.
        let mut s = String::new();
        for line in json_lines(&args, &inputs, &args_of, &report) {
            s.push_str(&line.to_string());
            s.push('\n');
        }
        common::stdout(&s)?;
        for n in &report.notes {
            say!("uvtool: note: {}", esc(n));
        }
        say!("{summary}");
    } else {
        let style = common::text_style();
        let mut s = String::new();
        for f in &report.findings {
            let level = match f.level {
                Level::Error => style.bad(f.level.as_str()),
                Level::Warning => style.warn(f.level.as_str()),
                _ => f.level.as_str().to_string(),
            };
            s.push_str(&format!(
                "{} {} {}: {}",
                level,
                f.rule,
                esc(&f.location()),
                esc(&f.message)
            ));
            if let Some(fix) = &f.fix {
                s.push_str("; fix: ");
                s.push_str(&esc(fix));
            }
            s.push('\n');
        }
        for l in &side {
            s.push_str(&esc(l));
            s.push('\n');
        }
        s.push_str(&summary);
        s.push('\n');
        common::print_text(&s, style)?;
    }
    // A keyset URL that could not be fetched: the rules on the URL itself
    // were reported above; the fetch is unusable input (exit 2).
    if let Some((url, e)) = inputs.iter().find_map(|i| match i {
        Input::Endpoint(ep) => ep.fetch_error.as_ref().map(|e| (&ep.url, e)),
        _ => None,
    }) {
        // The fetch error names the URL itself: once is enough.
        let why = crate::cli::error::word(e);
        let why = why
            .strip_prefix(url.as_str())
            .map_or(why.as_str(), |r| r.trim_start_matches(':').trim_start());
        return Err(Error::Network(format!(
            "{}: cannot fetch: {} (the rules on the URL itself are reported above)",
            esc(url),
            esc(why)
        ))
        .into());
    }
    let failed = errors > 0 || (args.strict && warnings > 0);
    Ok(if failed { Outcome::No } else { Outcome::Yes })
}

/// Read one argument of `check`: a keyset URL, `-`, a file, or a token
/// given as it is (named `<arg>:N`, N its position), decided as `verify`
/// and `decode` decide ([`common::token_arg`]): an argument that is not a
/// file and looks like a path is a missing file.
fn read_arg(arg: &str, index: usize) -> Result<Vec<Input>> {
    let lower = arg.to_ascii_lowercase();
    let url = lower.starts_with("https://") || lower.starts_with("http://");
    // `exists` is false for a name too long to be a file (a token).
    if arg == "-" || url || std::path::Path::new(arg).exists() {
        return Ok(read::read_all(arg)?);
    }
    // Not a file: a token, or a missing file, as every command decides
    // (`common::token_arg`).
    match common::token_arg(Some(arg))? {
        // Judged as `verify` judges it: a damaged token is a token (T0).
        common::TokenArg::Inline(t) => {
            let name = format!("{}:{}", common::sources::ARG, index + 1);
            // Several tokens, one a line: one input a line, as a file's.
            if let Some(found) = common::arg_lines(&t) {
                return Ok(found
                    .into_iter()
                    .map(|(line, token)| read::token_input(&token, format!("{name}:{line}")))
                    .collect());
            }
            Ok(vec![read::token_input(&t, name)])
        }
        common::TokenArg::Stdin | common::TokenArg::File(_) => Ok(read::read_all(arg)?),
    }
}

/// `check --json`'s lines: one object per input, in the order given:
/// `source` (the path as given, `-` for stdin, `FILE:LINE` for a token of a
/// file of several, `<arg>:N` for a token argument, the URL), `kind`, the
/// input's `findings` (empty when it passed) and, for a token, `verdict`:
/// `verify --json`'s object, its `valid` null when no key was given (the
/// signature was not checked). A finding that belongs to no input (the
/// `--auth-id` name, P1) gets its own line, named after what it is about.
fn json_lines(
    args: &CheckArgs,
    inputs: &[Input],
    args_of: &[usize],
    report: &check::Report,
) -> Vec<Value> {
    let name_of = |i: &Input| -> String {
        match i {
            Input::Keys(d) => d.file.clone(),
            Input::Token(t) => t.file.clone(),
            Input::Endpoint(e) => e.url.clone(),
        }
    };
    let names: Vec<String> = inputs.iter().map(name_of).collect();
    // Each finding goes to the input whose rules gave it (by position: two
    // inputs may share a name, `check a.json a.json`); one about something
    // else (P1's `--auth-id`) to a line of its own.
    let mut groups: Vec<Vec<&Finding>> = vec![Vec::new(); inputs.len()];
    let mut others: Vec<(String, Vec<&Finding>)> = Vec::new();
    for (at, f) in report.findings.iter().enumerate() {
        let input = report
            .spans
            .iter()
            .position(|r| r.contains(&at))
            .filter(|i| names.get(*i) == Some(&f.file));
        match input {
            Some(i) => groups[i].push(f),
            None => match others.iter_mut().find(|(n, _)| *n == f.file) {
                Some((_, g)) => g.push(f),
                None => others.push((f.file.clone(), vec![f])),
            },
        }
    }
    let mut lines = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let arg = args_of.get(i).and_then(|a| args.inputs.get(*a));
        // stdin is `-` in sources (`<stdin>` in messages).
        let source = match (arg.map(String::as_str), names[i].strip_prefix("<stdin>")) {
            (Some("-"), Some(rest)) => format!("-{rest}"),
            _ => names[i].clone(),
        };
        let mut o = Map::new();
        o.insert("source".into(), source.into());
        o.insert("kind".into(), kind_name(input).into());
        o.insert(
            "findings".into(),
            serde_json::to_value(&groups[i]).unwrap_or_default(),
        );
        // Not read: say so, so an empty findings list is not "no findings".
        if let Input::Endpoint(ep) = input {
            if let Some(e) = &ep.fetch_error {
                o.insert("error".into(), crate::cli::error::word(e).into());
            }
        }
        if let Input::Token(_) = input {
            if let Some(tv) = report.tokens.iter().find(|v| v.input == i) {
                let v = &tv.verdict;
                let mut j = uvtool::verify::json::verdict_json(v, args.auth_id.name.as_deref());
                if v.failure().is_none() && v.key_origin.is_none() {
                    if let Value::Object(m) = &mut j {
                        m.insert("valid".into(), Value::Null);
                        m.insert(
                            "reason".into(),
                            "not judged: no key was given or could be read, so the signature was not checked".into(),
                        );
                    }
                }
                o.insert("verdict".into(), j);
            }
        }
        lines.push(Value::Object(o));
    }
    for (name, fs) in others {
        let mut o = Map::new();
        let kind = if name == "configuration name" {
            "auth-id"
        } else {
            "other"
        };
        o.insert("source".into(), name.into());
        o.insert("kind".into(), kind.into());
        o.insert(
            "findings".into(),
            serde_json::to_value(&fs).unwrap_or_default(),
        );
        lines.push(Value::Object(o));
    }
    lines
}

/// An input's `kind` in `check --json`.
fn kind_name(i: &Input) -> &'static str {
    match i {
        Input::Token(_) => "token",
        Input::Endpoint(_) => "url",
        Input::Keys(d) => match d.shape {
            Shape::Jwk => "jwk",
            Shape::Set => "jwks",
            Shape::Array => "array",
            Shape::Certificate => "certificate",
            Shape::PublicKey => "public key",
            Shape::PrivateKey => "private key",
        },
    }
}

fn list_rules(as_json: bool) -> Result<()> {
    let level = |r: &policy::Rule, p: Profile| r.level(p).map_or("-", Level::as_str);
    if as_json {
        let v: Vec<Value> = policy::RULES
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "level": level(r, Profile::Platform),
                    "rfc_level": level(r, Profile::Rfc),
                    "applies_to": r.applies.as_str(),
                    "summary": r.summary,
                    "source": r.source_text(),
                    "sources": r.sources.iter().map(|s| json!({"label": s.label.as_str(), "detail": s.detail})).collect::<Vec<_>>(),
                })
            })
            .collect();
        // JSON Lines, as every --json output: one rule a line.
        let mut s = String::new();
        for r in &v {
            s.push_str(&r.to_string());
            s.push('\n');
        }
        return common::stdout(&s);
    }
    let mut s = String::from(
        "Levels: platform profile / rfc profile (- = off). Sources: seed, TS, SU, WEB, APP, meta, limits, client, tool, RFC, field (unconfirmed reports), assumption (uvtool's), flag (what you asked for).\ndocs/PLATFORM.md in uvtool's repository explains every rule, its levels and its sources.\n\n",
    );
    for r in policy::RULES {
        s.push_str(&format!(
            "{:<4} {:<7} / {:<7} {:<7} {}\n     source: {}\n",
            r.id,
            level(r, Profile::Platform),
            level(r, Profile::Rfc),
            r.applies.as_str(),
            r.summary,
            r.source_text()
        ));
    }
    common::stdout(&s)
}
