//! The start-up shortcuts behave as clap did: `--version` alone is answered
//! before the command tree is built, and subcommands whose arguments are
//! built only when used still parse, help and complain as before.

use crate::common::uvtool;
use predicates::prelude::*;

const VERSION_LINE: &str = concat!("uvtool ", env!("CARGO_PKG_VERSION"), "\n");

#[test]
fn version_alone_prints_the_clap_line() {
    for flag in ["--version", "-V"] {
        uvtool()
            .arg(flag)
            .timeout(std::time::Duration::from_secs(10))
            .assert()
            .success()
            .stdout(VERSION_LINE)
            .stderr("");
    }
}

#[test]
fn version_with_more_arguments_goes_to_clap() {
    // After a subcommand, clap answers (propagated version).
    uvtool()
        .args(["keygen", "--version"])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
    // `--version` with more arguments is clap's (which also prints the
    // version line and exits 0, as before the shortcut).
    uvtool()
        .args(["--version", "extra"])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .success()
        .stdout(VERSION_LINE);
}

#[test]
fn deferred_subcommands_still_list_parse_and_complain() {
    // The top-level help lists every subcommand with its summary.
    let out = uvtool()
        .arg("--help")
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let help = String::from_utf8(out).unwrap();
    for sub in ["keygen", "mint", "verify", "decode", "check", "serve"] {
        let line = help
            .lines()
            .find(|l| l.trim_start().starts_with(sub))
            .unwrap_or_else(|| panic!("{sub} not listed:\n{help}"));
        assert!(
            line.trim_start().len() > sub.len() + 3,
            "{sub} has no summary: {line:?}"
        );
    }
    // A subcommand's own argument error still names the argument.
    uvtool()
        .args(["verify", "--no-such-flag"])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--no-such-flag"));
    // Completions see the whole tree, deferred arguments included.
    uvtool()
        .args(["completions", "bash"])
        .timeout(std::time::Duration::from_secs(10))
        .assert()
        .success()
        .stdout(predicate::str::contains("--jwks"));
}
