//! The `uvtool` binary: parse arguments, run the command, print errors and
//! map them to exit codes (0 yes, 1 a definite no, 2 trouble).

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod cmd;
mod hints;

fn main() -> ExitCode {
    // The official Java tool's command lines (`--generateJwt …`,
    // `--generateJwk …`) are its own single-dash syntax, not clap's.
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(verb) = argv
        .get(1)
        .and_then(|a| uvtool::official::Verb::from_arg(&a.to_string_lossy()))
    {
        let rest: Vec<String> = argv[2..]
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        return finish(cmd::official::run(verb, &rest));
    }
    // Unknown flags and commands get the table's tip (hints.rs) instead of
    // clap's nearest spelling, which often names another concept.
    let cli = match cli::Cli::try_parse_from(&argv) {
        Ok(c) => c,
        Err(e) => hints::rewrite(e, &argv).exit(),
    };
    finish(cmd::run(cli))
}

/// Map a command's result to the exit code, printing an error on stderr.
fn finish(result: anyhow::Result<cmd::Outcome>) -> ExitCode {
    match result {
        Ok(cmd::Outcome::Yes) => ExitCode::SUCCESS,
        Ok(cmd::Outcome::No) => ExitCode::from(1),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("uvtool: error: {}", render(&e));
            let code = e
                .chain()
                .find_map(|c| c.downcast_ref::<uvtool::Error>())
                .map_or(2, uvtool::Error::exit_code);
            ExitCode::from(code)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes as one line, `a: b: c` (as anyhow's `{:#}`), but
/// a cause whose text ends the line already (an io::Error that its wrapper
/// prints itself) is not repeated.
fn render(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let s = cause.to_string();
        if !out.is_empty() && out.ends_with(&s) {
            continue;
        }
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(&s);
    }
    out
}
