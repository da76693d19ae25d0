//! The binary starts and the CLI definition is consistent.

#[test]
fn version_and_help() {
    crate::common::uvtool().arg("--version").assert().success();
    crate::common::uvtool()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicates::str::contains("keygen"));
}

#[test]
fn unknown_command_is_usage_error() {
    crate::common::uvtool().arg("frobnicate").assert().code(2);
}
