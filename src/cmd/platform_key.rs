//! `uvtool platform-key`: where the platform stores a verified user.

use anyhow::Result;
use serde_json::Value;
use uvtool::{platform, token, Error};

use super::common;
use super::Outcome;
use crate::cli::error::usage;
use crate::cli::PlatformKeyArgs;

pub fn run(args: PlatformKeyArgs) -> Result<Outcome> {
    // --auth-id was checked against rule P1 when the arguments were parsed.
    let sub = match (&args.sub, &args.token) {
        (Some(s), _) => s.clone(),
        (None, Some(t)) => {
            let found = common::arg_tokens(Some(t))?;
            // One platform key, for one token: a file of several is
            // refused rather than read up to its first (a batch's keys are
            // `check --auth-id`'s, each named by its line).
            if found.len() > 1 {
                let name = match common::token_arg(Some(t.as_str()))? {
                    common::TokenArg::Stdin => "<stdin>",
                    common::TokenArg::Inline(_) => "token",
                    common::TokenArg::File(_) => t.as_str(),
                };
                return Err(Error::input(
                    name,
                    format!(
                        "holds {} tokens; platform-key reads one: give one token, or run `uvtool check --auth-id {} {}` for the platform key of each",
                        found.len(),
                        args.config,
                        uvtool::text::escape(t)
                    ),
                )
                .into());
            }
            let d = token::decode(&found[0].token).map_err(|m| Error::input(&found[0].name, m))?;
            match d.claims.get("sub") {
                Some(Value::String(s)) => s.clone(),
                Some(_) => return Err(Error::input("token", "sub claim is not a string").into()),
                None => {
                    return Err(Error::input(
                        "token",
                        "has no sub claim, so it identifies no user (mint it with --sub)",
                    )
                    .into())
                }
            }
        }
        (None, None) => return Err(usage("give --sub SUB or --token TOKEN")),
    };
    if let Some(p) = platform::sub_problem(&sub) {
        common::warn(format!(
            "sub {sub:?} {p}; the platform key may be ambiguous (T8, an assumption)"
        ));
    }
    // The key is data, but a sub can hold a line break: escaped, no token
    // adds a line to the output (the T8 warning above names the problem).
    let mut out = uvtool::text::escape(&platform::platform_key(&args.config, &sub)).into_owned();
    out.push('\n');
    common::stdout(&out)?;
    say!("uvtool: note: {}", platform::HEDGE);
    Ok(Outcome::Yes)
}
