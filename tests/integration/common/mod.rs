//! Shared helpers for the integration tests: the binary, fixtures, the
//! Python interpreter for interop tests, and the time bounds every child
//! process runs under.
//!
//! Time bounds: a hang (a batch engine that never drains, a server that
//! never answers, a child waiting for input) must fail a test in seconds,
//! not at CI's limit. [`uvtool`] runs under [`BOUND`] (assert_cmd kills the
//! child when it passes, and the assertion then fails showing the signal);
//! `std::process` children are waited for with [`wait_within`] /
//! [`output_within`], which kill the child and panic naming it.

pub mod clock;
pub mod files;
pub mod run;
pub mod serve;
pub mod stub;
pub mod token;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

/// How long one CLI run or child process may take. Generous for a loaded
/// 2-core machine running tests in parallel (the slowest single run, a
/// batch of thousands of tokens, takes a few seconds); far below CI's limit.
pub const BOUND: Duration = Duration::from_secs(60);

/// `uvtool` with a clean environment for behaviour-changing variables,
/// killed after [`BOUND`] (a test may set a tighter `.timeout`).
pub fn uvtool() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("uvtool").expect("binary built");
    c.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "100")
        .timeout(BOUND);
    c
}

/// Wait for `child` at most `limit`. When it is still running then, it is
/// killed and the error names `what` and the bound.
pub fn wait_within(child: &mut Child, limit: Duration, what: &str) -> Result<ExitStatus, String> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| format!("{what}: {e}"))? {
            return Ok(status);
        }
        if start.elapsed() >= limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "{what}: still running after {}s: killed (a hang?)",
                limit.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Collect a spawned child's stdout and stderr (when piped) and wait for it
/// under `limit`; panics naming `what` when it hangs.
pub fn collect_within(mut child: Child, limit: Duration, what: &str) -> Output {
    fn drain<R: Read + Send + 'static>(r: Option<R>) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            buf
        })
    }
    drop(child.stdin.take());
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let status = wait_within(&mut child, limit, what).unwrap_or_else(|e| panic!("{e}"));
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// `Command::output` (stdin empty, stdout and stderr captured) under
/// `limit`: a child that does not exit by then is killed and the test fails
/// naming it.
pub fn output_within(cmd: &mut Command, limit: Duration) -> Output {
    let what = format!("{cmd:?}");
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{what}: cannot start: {e}"));
    collect_within(child, limit, &what)
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

/// The compact token of RFC 7515 A.2 (RS256), from its vector file.
pub fn a2_jws() -> String {
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture_str("vectors/rfc7515-a2-rs256.json")).unwrap(),
    )
    .unwrap();
    v["compact_jws"].as_str().unwrap().to_string()
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
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map(|c| {
            collect_within(c, BOUND, "python import check")
                .status
                .success()
        })
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
    let out = output_within(Command::new(py).arg("-c").arg(code).args(args), BOUND);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run openssl with arguments; returns (success, stdout, stderr).
pub fn openssl(args: &[&str]) -> (bool, String, String) {
    let out = output_within(Command::new("openssl").args(args), BOUND);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
