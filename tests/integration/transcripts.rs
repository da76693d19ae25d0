//! Transcript tests (trycmd): every `--help` of the key commands and
//! every error message of issue 2, pinned in `tests/cmd/*.toml`. Commands run
//! in the crate root (`fs.cwd = "../.."`), so fixture paths are relative.
//! After a deliberate change of wording: `TRYCMD=overwrite cargo test --test
//! transcripts`, then review the diff.

#[test]
fn transcripts() {
    trycmd::TestCases::new()
        .register_bin("uvtool", trycmd::cargo::cargo_bin!("uvtool"))
        .case("tests/cmd/*.toml");
}
