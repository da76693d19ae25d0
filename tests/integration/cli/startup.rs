//! The start-up shortcuts behave as clap did: `--version` alone builds no
//! subcommand, and subcommands whose arguments are built only when used
//! still parse, help and complain as before.

use crate::common::uvtool;
use predicates::prelude::*;

// build.rs sets UVTOOL_VERSION for every target of the package, these tests
// included: the package version, plus the commit and its date in a checkout.
const VERSION_LINE: &str = concat!("uvtool ", env!("UVTOOL_VERSION"), "\n");

#[test]
fn version_line_names_the_commit_in_a_checkout() {
    // `uvtool 0.1.0` outside git; `uvtool 0.1.0 (1a2b3c4d5 2026-11-25)` in a
    // checkout, with HEAD's short hash and its commit date (not the build's).
    let rest = VERSION_LINE
        .strip_prefix(concat!("uvtool ", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("not the package version: {VERSION_LINE:?}"));
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .env("TZ", "UTC")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let head = if root.join(".git").exists() {
        git(&["rev-parse", "--short=9", "HEAD"])
    } else {
        None
    };
    match head {
        None => assert_eq!(rest, "\n", "outside git: the version alone"),
        Some(hash) => {
            let date = git(&[
                "show",
                "-s",
                "--format=%cd",
                "--date=format-local:%Y-%m-%d",
                "HEAD",
            ])
            .unwrap();
            assert_eq!(rest, format!(" ({hash} {date})\n"));
        }
    }
}

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
