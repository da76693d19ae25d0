//! Sets `UVTOOL_VERSION`, the version `uvtool --version` prints: the
//! package version, followed by the commit and its date when built from a git
//! checkout (`0.1.0 (1a2b3c4d5 2026-11-25)`, as rustc and cargo print theirs),
//! or the package version alone elsewhere (a packaged crate, a source
//! tarball, no git). The date is the commit's (in UTC), never the build's
//! time, so two builds of one commit print the same line.

use std::path::Path;
use std::process::Command;

fn main() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let full = match git_describe(Path::new(&dir)) {
        Some((hash, date)) => format!("{version} ({hash} {date})"),
        None => version,
    };
    println!("cargo:rustc-env=UVTOOL_VERSION={full}");
    println!("cargo:rerun-if-changed=build.rs");
}

/// The short commit hash and commit date of HEAD, when `dir` itself is the
/// top of a git checkout (a `.git` folder, or a `.git` file in a worktree).
/// A crate unpacked somewhere inside another repository is not asked, so it
/// never prints that repository's commit.
fn git_describe(dir: &Path) -> Option<(String, String)> {
    if !dir.join(".git").exists() {
        return None;
    }
    // Rebuild when HEAD moves: HEAD itself (a checkout), the branch it names
    // (a commit), and packed-refs (a branch that git has packed).
    for name in ["HEAD", "packed-refs"] {
        watch(dir, name);
    }
    if let Some(head_ref) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
        watch(dir, &head_ref);
    }
    let hash = git(dir, &["rev-parse", "--short=9", "HEAD"])?;
    let date = git(
        dir,
        &[
            "show",
            "-s",
            "--no-show-signature",
            "--format=%cd",
            "--date=format-local:%Y-%m-%d",
            "HEAD",
        ],
    )?;
    Some((hash, date))
}

/// Ask cargo to rerun this script when the git file `name` (HEAD, a ref)
/// changes, if it exists (a path that does not exist would rerun it always).
fn watch(dir: &Path, name: &str) {
    if let Some(path) = git(dir, &["rev-parse", "--git-path", name]) {
        let path = dir.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

/// One line of a git command's output, or None when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let line = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!line.is_empty()).then_some(line)
}
