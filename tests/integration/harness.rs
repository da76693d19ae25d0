//! The time bounds themselves (see `common`): a command that would hang is
//! killed by its bound and the failure names it, in seconds.

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{collect_within, fixture_str, uvtool, wait_within, BOUND};

/// `verify --jwks X -` with stdin held open and no input waits for ever:
/// the bound kills it and says so.
#[test]
fn a_child_waiting_on_open_stdin_is_killed_by_its_bound() {
    let start = Instant::now();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("uvtool"))
        .args(["verify", "--jwks", &fixture_str("keys/a/jwks.json"), "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let held = child.stdin.take();
    let e = wait_within(&mut child, Duration::from_secs(1), "uvtool verify -").unwrap_err();
    assert_eq!(
        e,
        "uvtool verify -: still running after 1s: killed (a hang?)"
    );
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
    // Killed, not exited.
    assert_eq!(child.try_wait().unwrap().and_then(|s| s.signal()), Some(9));
    drop(held);
}

/// The same command under the collecting helper fails the test, naming it.
#[test]
fn a_hanging_child_fails_the_test_with_its_name() {
    let start = Instant::now();
    let child = Command::new("sleep")
        .arg("30")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sleep runs");
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        collect_within(child, Duration::from_secs(1), "sleep 30")
    }))
    .expect_err("a hang must fail");
    let msg = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert_eq!(msg, "sleep 30: still running after 1s: killed (a hang?)");
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
}

/// `uvtool()` runs under a bound too: a server, which never exits by
/// itself, is killed when a (here tightened) bound passes, and the
/// assertion fails. (Any bound shows it: the server never exits, so the
/// bounds are short.)
#[test]
fn every_uvtool_run_is_bounded() {
    const { assert!(BOUND.as_secs() >= 10 && BOUND.as_secs() <= 120) };
    let start = Instant::now();
    let out = uvtool()
        .args([
            "serve",
            "--jwks",
            &fixture_str("keys/a/jwks.json"),
            "--port",
            "0",
        ])
        .timeout(Duration::from_millis(500))
        .output()
        .unwrap();
    assert_eq!(out.status.signal(), Some(9), "{out:?}");
    assert!(
        start.elapsed() < Duration::from_secs(15),
        "{:?}",
        start.elapsed()
    );
    assert!(uvtool()
        .args([
            "serve",
            "--jwks",
            &fixture_str("keys/a/jwks.json"),
            "--port",
            "0"
        ])
        .timeout(Duration::from_millis(500))
        .assert()
        .try_success()
        .is_err());
}
