//! Transcript tests (trycmd): `tests/cmd/<command>/*.toml`, a folder per
//! command (`uvtool/` for the top level, `official/` for the Java tool's
//! command lines): every `--help`, the error messages of the key commands,
//! and a run of each command on fixtures. Commands run in the crate root
//! (`fs.cwd = "../../.."`), so fixture paths are relative.
//! After a deliberate change of wording: `TRYCMD=overwrite cargo test --test
//! integration transcripts`, then review the diff.
//!
//! The examples of every `--help` run in `cli::examples`.

#[test]
fn transcripts() {
    trycmd::TestCases::new()
        .register_bin("uvtool", trycmd::cargo::cargo_bin!("uvtool"))
        .case("tests/cmd/*/*.toml");
}
