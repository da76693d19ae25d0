//! `uvtool completions SHELL`.

use anyhow::Result;
use clap::CommandFactory;

use super::common;
use super::Outcome;
use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: CompletionsArgs) -> Result<Outcome> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "uvtool", &mut buf);
    common::stdout(&String::from_utf8_lossy(&buf))?;
    Ok(Outcome::Yes)
}
