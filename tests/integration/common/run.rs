//! Running `uvtool` for its exit code and text.

use std::path::Path;

use crate::common::{uvtool, BOUND};

/// Run uvtool with a time bound; (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = uvtool().args(args).timeout(BOUND).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A path as an argument.
pub fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// `uvtool check ARGS --now NOW` (the tests' one clock).
pub fn check(args: &[&str]) -> assert_cmd::assert::Assert {
    uvtool()
        .arg("check")
        .args(args)
        .args(["--now", crate::common::clock::NOW_ARG])
        .assert()
}
