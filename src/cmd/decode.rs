//! `uvtool decode`: header and claims, pretty, with humanised times. Nothing
//! is verified, and stderr says so.

use anyhow::Result;
use serde_json::{Map, Value};
use uvtool::{token, Error};

use super::common::{self, render, Style, TokenArg};
use super::Outcome;
use crate::cli::DecodeArgs;

/// Decode every token of the argument (a file or stdin may hold several,
/// one a line): all are decoded before the first is printed, so a
/// malformed one stops the run with exit 2 and nothing on stdout. `--json`
/// prints a line per token, named by its `source` as `verify --json` names
/// it (README, "Output contract"); text gives each token the full report,
/// headed by its source when there are several.
pub fn run(args: DecodeArgs) -> Result<Outcome> {
    let now = common::now(args.now);
    if common::token_arg(args.token.as_deref())? == TokenArg::Stdin {
        common::note_stdin("the token");
    }
    let found = common::arg_tokens(args.token.as_deref())?;
    let decoded = found
        .iter()
        .map(|t| token::decode(&t.token).map_err(|m| Error::input(&t.name, m)))
        .collect::<Result<Vec<_>, _>>()?;
    say!("uvtool: note: signature NOT verified (decode only shows the contents; use `uvtool verify` to check it)");
    let several = found.len() > 1;
    let (mut out, style) = (String::new(), common::text_style());
    for (t, d) in found.iter().zip(decoded) {
        if args.json {
            // One compact line, as every --json output (JSON Lines).
            let mut o = Map::new();
            o.insert("source".into(), t.source.clone().into());
            o.insert("line".into(), t.line.into());
            o.insert("header".into(), Value::Object(d.header));
            o.insert("claims".into(), Value::Object(d.claims));
            out.push_str(&serde_json::to_string(&o)?);
            out.push('\n');
        } else {
            if several {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&style.label("source:"));
                out.push(' ');
                out.push_str(&uvtool::text::escape(&t.source));
                out.push('\n');
            }
            out.push_str(&render(&d.header, &d.claims, now, style));
        }
    }
    let style = if args.json { Style::new(false) } else { style };
    common::print_text(&out, style)?;
    Ok(Outcome::Yes)
}
