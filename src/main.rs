//! The `uvtool` binary: parse arguments, run the command, print errors and
//! map them to exit codes (0 yes, 1 a definite no, 2 trouble).

// On Linux with glibc there is no Rust `main`: the C `main` below is the
// entry point, so std's runtime set-up is skipped: it read /proc/self/maps
// (pthread_getattr_np) to place a guard page for the main thread's stack,
// installed SIGSEGV/SIGBUS handlers on an alternate stack and polled fds 0
// to 2, about a tenth of the instructions of `uvtool --version`. What uvtool
// relied on is done here: SIGPIPE ignored (a closed stdout is an EPIPE
// error, which exits 0) and stdout flushed at the end. Arguments still come
// from std::env::args_os: glibc hands them to std before main (other C
// libraries, musl among them, do not, so they keep the ordinary `main`). A
// stack overflow is then a plain SIGSEGV without std's one-line message.
#![cfg_attr(all(target_os = "linux", target_env = "gnu", not(test)), no_main)]

use std::io::Write;

use clap::{CommandFactory, FromArgMatches};

mod cli;
mod cmd;
mod hints;

#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
#[no_mangle]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    // SAFETY: setting a signal's disposition to SIG_IGN before any other
    // thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    let code = std::panic::catch_unwind(run).unwrap_or(101);
    let _ = std::io::stdout().flush();
    code.into()
}

#[cfg(not(all(target_os = "linux", target_env = "gnu", not(test))))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(run())
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
            eprintln!("uvtool: error: {}", render(&e));
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
    // Subcommands are deferred (built when used, see cli.rs). When the
    // first argument names none of them (top-level help, `help verify`, a
    // typo), build them all so that help lists each one's summary.
    let named = argv
        .get(1)
        .and_then(|a| a.to_str())
        .is_some_and(|a| cmd.find_subcommand(a).is_some());
    if !named {
        cmd.build();
    }
    // Unknown flags and commands get the table's tip (hints.rs) instead of
    // clap's nearest spelling, which often names another concept.
    let mut matches = cmd
        .try_get_matches_from_mut(argv)
        .unwrap_or_else(|e| hints::rewrite(e, argv).exit());
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
                eprintln!("uvtool: error: cannot write to stdout: {e}");
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
