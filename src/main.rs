//! The `uvtool` binary: parse arguments, run the command, print errors and
//! map them to exit codes (0 yes, 1 a definite no, 2 trouble).

use std::io::Write;

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
    match cli::parse(&argv) {
        Ok(cli) => finish(cmd::run(cli)),
        Err(e) => cli_error(&e),
    }
}

/// Map a command's result to the exit code, printing an error on stderr.
/// Every error is trouble (2); a definite "no" is an outcome (1).
fn finish(result: anyhow::Result<cmd::Outcome>) -> u8 {
    match result {
        Ok(cmd::Outcome::Yes) => 0,
        Ok(cmd::Outcome::No) => 1,
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            say!("uvtool: error: {}", render(&e));
            2
        }
    }
}

/// Clap's answer when the arguments cannot run: help and `--version` on
/// stdout (exit 0), a usage error on stderr with uvtool's one error prefix,
/// `uvtool: error:` (exit 2).
fn cli_error(e: &clap::Error) -> u8 {
    if !e.use_stderr() {
        // Help or version: a closed stdout is nobody reading, not an error.
        let _ = e.print();
        return 0;
    }
    let styled = e.render();
    let colour = matches!(
        anstream::AutoStream::choice(&std::io::stderr()),
        anstream::ColorChoice::Always | anstream::ColorChoice::AlwaysAnsi
    );
    let text = if colour {
        styled.ansi().to_string()
    } else {
        styled.to_string()
    };
    say!("uvtool: {}", text.trim_end());
    2
}

/// A closed stdout anywhere in the error's chain: nobody reads, not an
/// error (exit 0, quietly). serde_json wraps the io::Error of a writer in its
/// own error, whose chain hides it: asked through `io_error_kind`.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
    })
}

/// The error and its causes as one line, `a: b: c` (as anyhow's `{:#}`), but
/// a cause whose text ends the line already (an io::Error that its wrapper
/// prints itself) is not repeated. The library's errors are worded with
/// this binary's flags (cli/error.rs).
fn render(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let s = match cause.downcast_ref::<uvtool::Error>() {
            Some(u) => cli::error::word(u),
            None => cause.to_string(),
        };
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
