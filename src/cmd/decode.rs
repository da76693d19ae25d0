//! `uvtool decode`: header and claims, pretty, with humanised times. Nothing
//! is verified, and stderr says so.

use anyhow::Result;
use serde_json::{Map, Value};
use uvtool::{token, Error};

use super::common::{self, render, Style, TokenArg};
use super::Outcome;
use crate::cli::DecodeArgs;

pub fn run(args: DecodeArgs) -> Result<Outcome> {
    let now = args.clock.now();
    if common::token_arg(args.token.as_deref())? == TokenArg::Stdin {
        common::note_stdin("the token");
    }
    let (text, name) = common::first_token(args.token.as_deref())?;
    let d = token::decode(&text).map_err(|m| Error::input(&name, m))?;
    say!("uvtool: note: signature NOT verified (decode only shows the contents; use `uvtool verify` to check it)");
    // --json: one compact line, as every --json output (JSON Lines).
    let (out, style) = if args.json {
        let mut o = Map::new();
        o.insert("header".into(), Value::Object(d.header));
        o.insert("claims".into(), Value::Object(d.claims));
        let mut s = serde_json::to_string(&o)?;
        s.push('\n');
        (s, Style::new(false))
    } else {
        let style = common::text_style();
        (render(&d.header, &d.claims, now, style), style)
    };
    common::print_text(&out, style)?;
    Ok(Outcome::Yes)
}
