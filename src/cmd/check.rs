//! `uvtool check`: lint keys, certificates and tokens against the platform's rules.

use anyhow::Result;
use serde_json::json;
use uvtool::check;
use uvtool::input::Input;
use uvtool::policy::{self, Level, Profile, Settings};
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
        leeway: args.leeway,
        iss: args.issuer.clone(),
        now: common::now(args.now),
        upload: args.upload,
        ..Settings::default()
    };
    // A file of several tokens gives each line its own verdict.
    let mut inputs = Vec::new();
    for a in &args.inputs {
        inputs.extend(uvtool::input::read_all(a)?);
    }
    let report = check::run(&inputs, &settings, args.config.as_deref());

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
        common::stdout(&s)?;
        for l in &side {
            say!("{}", esc(l));
        }
        say!("{summary}");
    } else {
        let mut s = String::new();
        for f in &report.findings {
            s.push_str(&format!(
                "{} {} {}: {}",
                f.level.as_str(),
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
        common::stdout(&s)?;
    }
    // A keyset URL that could not be fetched: the rules on the URL itself
    // were reported above; the fetch is unusable input (exit 2).
    if let Some((url, e)) = inputs.iter().find_map(|i| match i {
        Input::Endpoint(ep) => ep.fetch_error.as_ref().map(|e| (&ep.url, e)),
        _ => None,
    }) {
        return Err(Error::Network(format!(
            "{}: cannot fetch: {} (the rules on the URL itself are reported above)",
            esc(url),
            esc(e)
        ))
        .into());
    }
    let failed = errors > 0 || (args.strict && warnings > 0);
    Ok(if failed { Outcome::No } else { Outcome::Yes })
}

fn list_rules(as_json: bool) -> Result<()> {
    let level = |r: &policy::Rule, p: Profile| r.level(p).map_or("-", Level::as_str);
    if as_json {
        let v: Vec<_> = policy::RULES
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
        let mut s = serde_json::to_string_pretty(&v)?;
        s.push('\n');
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
