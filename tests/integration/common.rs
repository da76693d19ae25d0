//! Shared helpers for the integration tests: the binary, fixtures, and the
//! Python interpreter for interop tests.


use std::path::{Path, PathBuf};
use std::process::Command;

/// `uvtool` with a clean environment for behaviour-changing variables.
pub fn uvtool() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("uvtool").expect("binary built");
    c.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "100");
    c
}

/// Path of a file under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// Path string of a file under `fixtures/`.
pub fn fixture_str(rel: &str) -> String {
    fixture(rel).to_string_lossy().into_owned()
}

/// The Python interpreter with PyJWT, cryptography and jwcrypto (made by
/// `scripts/setup-python.sh`), or `None` when it is not there. When
/// `UVTOOL_REQUIRE_INTEROP=1` (set by `scripts/test.sh`) a missing one fails
/// the test instead of skipping it.
pub fn python() -> Option<PathBuf> {
    let candidate = std::env::var_os("UVTOOL_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python"));
    let ok = Command::new(&candidate)
        .args(["-c", "import jwt, cryptography, jwcrypto"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        return Some(candidate);
    }
    if std::env::var("UVTOOL_REQUIRE_INTEROP").as_deref() == Ok("1") {
        panic!(
            "interop Python not usable at {}; run scripts/setup-python.sh",
            candidate.display()
        );
    }
    eprintln!("skipping interop test: no Python venv (run scripts/test.sh)");
    None
}

/// Run a Python snippet with arguments; returns (success, stdout, stderr).
pub fn run_python(py: &Path, code: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(py)
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .expect("python runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run openssl with arguments; returns (success, stdout, stderr).
pub fn openssl(args: &[&str]) -> (bool, String, String) {
    let out = Command::new("openssl")
        .args(args)
        .output()
        .expect("openssl is installed");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
