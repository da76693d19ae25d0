//! The binary starts and the CLI definition is consistent.
mod common;

#[test]
fn version_and_help() {
    common::uvtool().arg("--version").assert().success();
    common::uvtool()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicates::str::contains("keygen"));
}

#[test]
fn unknown_command_is_usage_error() {
    common::uvtool().arg("frobnicate").assert().code(2);
}
