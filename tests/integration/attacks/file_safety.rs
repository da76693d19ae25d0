//! File safety under failure: a write that fails half-way (file size limit,
//! RLIMIT_FSIZE) and a process killed in the middle of writing both leave
//! the old file whole. The no-clobber, 0600-under-umask-000 and read-only
//! folder cases are in keygen.rs (keygen_*), see docs/HARDENING.md.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Command;

use crate::common::fixture_str;

/// Files in `dir` other than `keep`.
fn others(dir: &Path, keep: &str) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != keep)
        .collect()
}

/// `uvtool jwk --cert a/cert.pem --out OUT --force` (about 2.3 KB of JSON)
/// under a 1 KiB file size limit; `trap` decides whether the limit kills the
/// process (SIGXFSZ) or makes the write fail with EFBIG.
fn limited_jwk(out: &Path, ignore_signal: bool) -> std::process::Output {
    let script = format!(
        "{}ulimit -f 1; exec \"$0\" \"$@\"",
        if ignore_signal { "trap '' XFSZ; " } else { "" }
    );
    crate::common::output_within(
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg(assert_cmd::cargo::cargo_bin("uvtool"))
            .args(["jwk", "--cert", &fixture_str("keys/a/cert.pem"), "--force"])
            .arg("--out")
            .arg(out),
        crate::common::BOUND,
    )
}

#[test]
fn a_failed_write_keeps_the_old_file_and_leaves_no_temp_file() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("jwk.json");
    fs::write(&out, "old contents\n").unwrap();
    let o = limited_jwk(&out, true);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("uvtool: error: "), "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(fs::read_to_string(&out).unwrap(), "old contents\n");
    assert!(
        others(d.path(), "jwk.json").is_empty(),
        "stray files: {:?}",
        others(d.path(), "jwk.json")
    );
}

#[test]
fn a_write_killed_half_way_keeps_the_old_file() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("jwk.json");
    fs::write(&out, "old contents\n").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o644)).unwrap();
    let o = limited_jwk(&out, false);
    // Killed by the kernel mid-write: no chance to clean up, but the target
    // was never opened for writing, so it is whole.
    assert_eq!(o.status.signal(), Some(libc_sigxfsz()), "{o:?}");
    assert_eq!(fs::read_to_string(&out).unwrap(), "old contents\n");
    // What is left is at most the hidden temporary file, truncated.
    for n in others(d.path(), "jwk.json") {
        assert!(n.starts_with(".jwk.json.") && n.ends_with(".tmp"), "{n}");
    }
}

#[test]
fn without_force_an_existing_file_is_never_opened() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("jwk.json");
    fs::write(&out, "old contents\n").unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o444)).unwrap();
    crate::common::uvtool()
        .args(["jwk", "--cert", &fixture_str("keys/a/cert.pem"), "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(format!(
            "uvtool: error: {}: already exists (use --force to overwrite)\n",
            out.display()
        ));
    assert_eq!(fs::read_to_string(&out).unwrap(), "old contents\n");
    assert_eq!(
        fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o444
    );
    assert!(others(d.path(), "jwk.json").is_empty());
}

/// SIGXFSZ on Linux.
fn libc_sigxfsz() -> i32 {
    25
}
