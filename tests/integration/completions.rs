//! `uvtool completions`: scripts for bash, zsh and fish, which parse.

use crate::common::uvtool;
use predicates::prelude::*;
use std::fs;
use std::process::Command;

#[test]
fn completions_for_bash_zsh_fish() {
    for (shell, marker) in [
        ("bash", "complete -F _uvtool"),
        ("zsh", "#compdef uvtool"),
        ("fish", "complete -c uvtool"),
    ] {
        let a = uvtool()
            .args(["completions", shell])
            .assert()
            .success()
            .stderr("");
        let text = String::from_utf8(a.get_output().stdout.clone()).unwrap();
        assert!(text.contains(marker), "{shell}: {marker}");
        for sub in ["keygen", "jwks", "out-dir", "private"] {
            assert!(text.contains(sub), "{shell} completes {sub}");
        }
    }
    uvtool()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'tcsh'"));
}

#[test]
fn completions_scripts_parse() {
    // bash -n checks the syntax of the generated script.
    let a = uvtool().args(["completions", "bash"]).assert().success();
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("uvtool.bash");
    fs::write(&p, &a.get_output().stdout).unwrap();
    let bash = Command::new("bash")
        .arg("-n")
        .arg(&p)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map(|c| crate::common::collect_within(c, crate::common::BOUND, "bash -n"));
    match bash {
        Ok(o) => assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr)),
        // CI (and scripts/test.sh's machine) has bash: a missing one there
        // is a failure, not a silent pass. Elsewhere the skip is said.
        Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("skipping the bash syntax check: bash not runnable ({e})");
        }
        Err(e) => panic!("bash is needed to check the completion script's syntax: {e}"),
    }
}
