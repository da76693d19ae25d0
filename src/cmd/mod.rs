//! One file per subcommand: `run(args)` calls the library and formats output.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use uvtool::io::{write_file, WriteOptions};

use crate::cli::{Cli, Command};

mod cert;
mod check;
mod completions;
mod decode;
mod fixtures;
mod init;
mod jwk;
mod jwks;
mod keygen;
mod mint;
mod platform_key;
mod progress;
mod serve;
mod verify;

/// How a command ended when it did not fail: yes (exit 0) or a definite no (exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Yes,
    No,
}

/// Run the chosen subcommand.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Keygen(a) => keygen::run(a),
        Command::Cert(a) => cert::run(a),
        Command::Jwk(a) => jwk::run(a),
        Command::Jwks(a) => jwks::run(a),
        Command::Completions(a) => completions::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Mint(a) => mint::run(a),
        Command::Verify(a) => verify::run(a),
        Command::Decode(a) => decode::run(a),
        Command::PlatformKey(a) => platform_key::run(a),
        Command::Init(a) => init::run(a),
        Command::Check(a) => check::run(a),
        Command::Fixtures(a) => fixtures::run(a),
    }
}

/// Write data to stdout (errors, including a broken pipe, are returned).
pub fn stdout(data: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(data.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Before reading stdin: when it is a terminal, say what is expected there,
/// so a command waiting for input does not look hung.
pub fn note_stdin(what: &str) {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        eprintln!("uvtool: reading {what} from stdin (end with Ctrl-D)");
    }
}

/// Print a warning on stderr.
pub fn warn(msg: impl std::fmt::Display) {
    eprintln!("uvtool: warning: {msg}");
}

/// Write to a file (atomically, no clobber without `force`) or, with no path
/// or `-`, to stdout.
pub fn emit(out: Option<&Path>, data: &str, opts: WriteOptions) -> Result<()> {
    match out {
        Some(p) if p != Path::new("-") => Ok(write_file(p, data.as_bytes(), opts)?),
        _ => stdout(data),
    }
}
