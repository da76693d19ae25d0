//! The `uvtool` binary: parse arguments, run the command, print errors and
//! map them to exit codes (0 yes, 1 a definite no, 2 trouble).

use std::io::Write;

use clap::{CommandFactory, FromArgMatches};

/// Write one line to stderr, as `eprintln!` does, but never panic: a closed
/// or broken stderr (the reader of a CI log pipe has gone) is ignored, so it
/// never changes the exit code. Every message of the binary goes through it.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::say_line(&format!($($arg)*))
    };
}

/// The line of `say!`, written whole (one `write_all`, so lines of parallel
/// writers do not interleave); errors are dropped on purpose.
pub(crate) fn say_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let mut buf = String::with_capacity(line.len() + 1);
    buf.push_str(line);
    buf.push('\n');
    let _ = err.write_all(buf.as_bytes());
    let _ = err.flush();
}

mod cli;
mod cmd;

// Rust's own `main`: std ignores SIGPIPE (a closed stdout is an EPIPE error,
// which exits 0) and opens /dev/null on any of fds 0-2 that is closed at
// start, so a listening socket can never become fd 2 (`serve 2>&-`).
fn main() -> std::process::ExitCode {
    let code = run();
    let _ = std::io::stdout().flush();
    std::process::ExitCode::from(code)
}

fn run() -> u8 {
    if let Some(code) = version_only() {
        return code;
    }
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // The official Java tool's command lines (`--generateJwt …`,
    // `--generateJwk …`) are its own single-dash syntax, not clap's.
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
    finish(cmd::run(parse_args(&argv)))
}

/// Map a command's result to the exit code, printing an error on stderr.
fn finish(result: anyhow::Result<cmd::Outcome>) -> u8 {
    match result {
        Ok(cmd::Outcome::Yes) => 0,
        Ok(cmd::Outcome::No) => 1,
        Err(e) => {
            if is_broken_pipe(&e) {
                return 0;
            }
            say!("uvtool: error: {}", render(&e));
            e.chain()
                .find_map(|c| c.downcast_ref::<uvtool::Error>())
                .map_or(2, uvtool::Error::exit_code)
        }
    }
}

/// As `Cli::parse()`, but the command tree and the matches are leaked rather
/// than freed: the process ends soon, and freeing them one allocation at a
/// time cost more than parsing the arguments.
fn parse_args(argv: &[std::ffi::OsString]) -> cli::Cli {
    let mut cmd = cli::Cli::command();
    // Subcommands are deferred (built when used, see cli/mod.rs). When the
    // first argument names none of them (top-level help, `help verify`, a
    // typo), build them all so that help lists each one's summary.
    let named = argv
        .get(1)
        .and_then(|a| a.to_str())
        .is_some_and(|a| cmd.find_subcommand(a).is_some());
    if !named {
        cmd.build();
    }
    // Unknown flags and commands get the table's tip (cli/hints.rs) instead of
    // clap's nearest spelling, which often names another concept.
    let mut matches = cmd
        .try_get_matches_from_mut(argv)
        .unwrap_or_else(|e| cli::hints::rewrite(e, argv).exit());
    let parsed =
        cli::Cli::from_arg_matches_mut(&mut matches).unwrap_or_else(|e| e.format(&mut cmd).exit());
    std::mem::forget(matches);
    std::mem::forget(cmd);
    parsed
}

/// `uvtool --version` (or `-V`) alone is answered before clap builds its
/// command tree (twelve subcommands, a quarter of a one-shot command's
/// instructions), with the same line clap prints (both print
/// `UVTOOL_VERSION`, set by build.rs). Anything else, `-V` after a
/// subcommand included, goes to clap.
fn version_only() -> Option<u8> {
    let mut args = std::env::args_os().skip(1);
    let flag = args.next()?;
    if args.next().is_some() || !(flag == "--version" || flag == "-V") {
        return None;
    }
    let line = concat!(env!("CARGO_PKG_NAME"), " ", env!("UVTOOL_VERSION"), "\n");
    let mut out = std::io::stdout().lock();
    Some(
        match out.write_all(line.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => 0,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
            Err(e) => {
                say!("uvtool: error: cannot write to stdout: {e}");
                2
            }
        },
    )
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
    // The library names no flag; the command line's fix is added here.
    if e.chain().any(|c| {
        matches!(
            c.downcast_ref::<uvtool::Error>(),
            Some(uvtool::Error::Exists(_))
        )
    }) {
        out.push_str(" (use --force to overwrite)");
    }
    out
}
