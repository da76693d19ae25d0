//! One file per subcommand: `run(args)` calls the library and formats output.

use anyhow::Result;

use crate::cli::{Cli, Command};

mod cert;
mod check;
mod common;
mod completions;
mod decode;
mod fixtures;
mod init;
mod jwk;
mod jwks;
mod keygen;
mod man;
mod mint;
pub mod official;
mod platform_key;
mod progress;
mod serve;
mod ui;
mod verify;

/// How `main` colours clap's help and usage errors, as the commands colour
/// their own text.
pub use common::style;

/// How a command ended when it did not fail: yes (exit 0) or a definite no (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Yes,
    No,
}

/// Run the chosen subcommand.
pub fn run(cli: Cli) -> Result<Outcome> {
    common::style::set_choice(cli.color);
    match cli.command {
        Command::Keygen(a) => keygen::run(a),
        Command::Cert(a) => cert::run(a),
        Command::Jwk(a) => jwk::run(a),
        Command::Jwks(a) => jwks::run(a),
        Command::Completions(a) => completions::run(a),
        Command::Man(a) => man::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Mint(a) => mint::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Decode(a) => decode::run(a),
        Command::PlatformKey(a) => platform_key::run(a),
        Command::Init(a) => init::run(a),
        Command::Check(a) => check::run(a),
        Command::Ui(a) => ui::run(a),
        Command::Fixtures(a) => fixtures::run(a),
    }
}
