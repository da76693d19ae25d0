//! `uvtool check`: lint keys, certificates and tokens against the platform's rules.

use anyhow::Result;
use serde_json::json;
use uvtool::check::{self, Check, Input, Level, Options};
use uvtool::{platform, Error};

use super::Outcome;
use crate::cli::CheckArgs;

pub fn run(args: CheckArgs) -> Result<Outcome> {
    if args.list_rules {
        list_rules(args.json)?;
        return Ok(Outcome::Yes);
    }
    if args.inputs.iter().filter(|i| *i == "-").count() > 1 {
        return Err(Error::Usage("only one input can be - (stdin)".into()).into());
    }
    let now = super::mint::parse_now(args.now.as_deref())?;
    let inputs = args
        .inputs
        .iter()
        .map(|a| check::read(a))
        .collect::<Result<Vec<_>, _>>()?;
    let opts = Options {
        issuer: args.issuer.clone(),
        now,
        upload: args.upload,
    };
    let report = check::run(&inputs, &opts);

    let mut side = Vec::new();
    if let Some(config) = &args.config {
        let tokens: Vec<_> = inputs
            .iter()
            .filter_map(|i| match i {
                Input::Token(t) => Some(t),
                Input::Keys(_) | Input::Endpoint(_) => None,
            })
            .collect();
        if tokens.is_empty() {
            super::warn("--config: no token given, so there is no platform key to print");
        }
        for t in tokens {
            match t.claims.get("sub").and_then(|v| v.as_str()) {
                Some(sub) if !sub.is_empty() => side.push(format!(
                    "platform key ({}): {}",
                    t.file,
                    platform::platform_key(config, sub)
                )),
                _ => side.push(format!(
                    "platform key ({}): none, the token has no usable sub (T3)",
                    t.file
                )),
            }
        }
    }
    side.extend(report.notes.iter().map(|n| format!("note: {n}")));

    let (errors, warnings, infos) = (
        report.count(Level::Error),
        report.count(Level::Warning),
        report.count(Level::Info),
    );
    let n = inputs.len();
    let summary = if report.findings.is_empty() {
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
        let mut s = serde_json::to_string_pretty(&report.findings)?;
        s.push('\n');
        super::stdout(&s)?;
        for l in &side {
            eprintln!("{l}");
        }
        eprintln!("{summary}");
    } else {
        let mut s = String::new();
        for f in &report.findings {
            s.push_str(&format!(
                "{} {} {}: {}",
                f.level.as_str(),
                f.rule,
                f.location(),
                f.message
            ));
            if let Some(fix) = &f.fix {
                s.push_str("; fix: ");
                s.push_str(fix);
            }
            s.push('\n');
        }
        for l in &side {
            s.push_str(l);
            s.push('\n');
        }
        s.push_str(&summary);
        s.push('\n');
        super::stdout(&s)?;
    }
    let failed = errors > 0 || (args.strict && warnings > 0);
    Ok(if failed { Outcome::No } else { Outcome::Yes })
}

fn list_rules(as_json: bool) -> Result<()> {
    let applies = |c: &Check| match c {
        Check::Keys(_) => "keys",
        Check::Token(_) => "token",
        Check::Endpoint(_) => "url",
    };
    if as_json {
        let v: Vec<_> = check::RULES
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "level": r.level,
                    "applies_to": applies(&r.check),
                    "summary": r.summary,
                    "source": r.source,
                })
            })
            .collect();
        let mut s = serde_json::to_string_pretty(&v)?;
        s.push('\n');
        return super::stdout(&s);
    }
    let mut s = String::new();
    for r in check::RULES {
        s.push_str(&format!(
            "{:<4} {:<13} {:<5} {}\n     source: {}\n",
            r.id,
            r.level,
            applies(&r.check),
            r.summary,
            r.source
        ));
    }
    super::stdout(&s)
}
