//! The `uvtool-check` pre-commit hook, run by pre-commit itself: good keys
//! pass, a JWK without x5c fails with K13.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::fixture_str;
use crate::common::run::run;

fn pre_commit() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/pre-commit");
    if p.exists() {
        return Some(p);
    }
    if std::env::var("UVTOOL_REQUIRE_INTEROP").as_deref() == Ok("1") {
        panic!("pre-commit not installed in .venv; run scripts/setup-python.sh");
    }
    eprintln!("skipping: no .venv/bin/pre-commit (run scripts/setup-python.sh)");
    None
}

#[test]
fn pre_commit_hook_checks_keys() {
    let Some(pc) = pre_commit() else { return };
    let d = tempfile::tempdir().unwrap();
    let repo = d.path().join("keys-repo");
    std::fs::create_dir(&repo).unwrap();
    let git = |args: &[&str]| {
        let ok = crate::common::output_within(
            std::process::Command::new("git")
                .args(args)
                .current_dir(&repo),
            crate::common::BOUND,
        )
        .status
        .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::copy(fixture_str("keys/a/jwk.json"), repo.join("jwk.json")).unwrap();
    std::fs::copy(fixture_str("keys/a/cert.pem"), repo.join("cert.pem")).unwrap();
    // A JWK without x5c: K13, an error.
    let (_, bad, _) = run(&["jwk", "--key", &fixture_str("keys/a/public.pem")]);
    std::fs::write(repo.join("bad-jwk.json"), bad).unwrap();
    std::fs::write(repo.join("notes.txt"), "not a key\n").unwrap();
    git(&["add", "."]);

    let bin = assert_cmd::cargo::cargo_bin("uvtool");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let home = d.path().join("pre-commit-home");
    let try_repo = |files: &[&str]| {
        let mut c = assert_cmd::Command::new(&pc);
        c.current_dir(&repo)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", &home)
            .env("PRE_COMMIT_COLOR", "never")
            .args([
                "try-repo",
                env!("CARGO_MANIFEST_DIR"),
                "uvtool-check-system",
                "--files",
            ])
            .args(files)
            .timeout(Duration::from_secs(120));
        let out = c.output().expect("pre-commit runs");
        (
            out.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    let (code, out) = try_repo(&["jwk.json", "cert.pem", "notes.txt"]);
    assert_eq!(code, 0, "good keys pass:\n{out}");
    assert!(out.contains("Passed"), "{out}");
    let (code, out) = try_repo(&["jwk.json", "bad-jwk.json"]);
    assert_eq!(code, 1, "a JWK without x5c fails:\n{out}");
    assert!(out.contains("K13"), "{out}");
}
