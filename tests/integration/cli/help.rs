//! Help as a user reads it: every command's description and examples, the
//! examples never wrapped at any terminal width, the completion paths, and
//! the man pages.

use crate::common::run::{run, s};
use crate::common::{uvtool, BOUND};
use predicates::str::contains;
use std::path::Path;

#[test]
fn help_has_description_and_examples() {
    for (cmd, text) in [
        ("mint", "Batch: --sub-file FILE|-"),
        (
            "verify",
            "The verdict is the platform's by default (--profile platform)",
        ),
        ("decode", "signature was NOT verified"),
        ("platform-key", "gets a warning"),
        ("init", "NEXT-STEPS.md"),
    ] {
        uvtool()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(contains(text))
            .stdout(contains(format!("Examples:\n  uvtool {cmd}")));
    }
}

fn examples(cmd: &str, columns: &str) -> Vec<String> {
    let mut args: Vec<&str> = Vec::new();
    if !cmd.is_empty() {
        args.push(cmd);
    }
    args.push("--help");
    let out = uvtool()
        .env("COLUMNS", columns)
        .args(&args)
        .timeout(BOUND)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .skip_while(|l| !l.starts_with("Examples:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn help_examples_are_never_wrapped_inside_a_command() {
    // Every command `uvtool --help` lists (the top level as ""), and man.
    let mut commands = super::examples::commands();
    if !commands.iter().any(|c| c == "man") {
        commands.push("man".into());
    }
    for cmd in &commands {
        let wide = examples(cmd, "200");
        assert!(!wide.is_empty(), "{cmd}: no examples");
        for line in &wide {
            assert!(
                line.chars().count() < 60,
                "{cmd}: example line longer than 59 columns: {line:?}"
            );
            // Each line is a command, or the continuation of one after a `\` or `|`.
        }
        for pair in wide.windows(2) {
            if pair[1].starts_with("      ") {
                assert!(
                    pair[0].ends_with('\\') || pair[0].ends_with('|'),
                    "{cmd}: a continuation line without a `\\` before it: {pair:?}"
                );
            }
        }
        for cols in ["60", "80", "100"] {
            assert_eq!(examples(cmd, cols), wide, "{cmd} --help at COLUMNS={cols}");
        }
    }
}

#[test]
fn completions_path_is_the_same_in_readme_and_help() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let help = examples("completions", "200").join("\n");
    for path in [
        "~/.local/share/bash-completion/completions/uvtool",
        "~/.zfunc/_uvtool",
        "~/.local/share/man/man1",
    ] {
        assert!(help.contains(path), "completions --help lacks {path}");
        assert!(readme.contains(path), "README lacks {path}");
    }
    assert!(!help.contains("/etc/bash_completion.d"));
}

// ------------------------------------------------ man pages

#[test]
fn man_pages() {
    let (code, page, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(
        page.starts_with(".ie") || page.contains(".TH uvtool 1"),
        "{page}"
    );
    assert!(page.contains("keygen"));
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("share/man/man1");
    let (code, _, err) = run(&["man", &s(&dir)]);
    assert_eq!(code, 0, "{err}");
    for name in [
        "uvtool.1",
        "uvtool-mint.1",
        "uvtool-verify.1",
        "uvtool-keygen.1",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(text.contains(".TH"), "{name}");
    }
    let mint = std::fs::read_to_string(dir.join("uvtool-mint.1")).unwrap();
    assert!(mint.contains("sub\\-file"), "the flags are there");
    let (code, _, err) = run(&["man", &s(&dir)]);
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(run(&["man", &s(&dir), "--force"]).0, 0);
}
