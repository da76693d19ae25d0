//! Issue 21's last file gap: `fixtures --force` killed at any moment. The
//! fixtures tree is uvtool's own, so it is swapped whole
//! (`io::replace_tree`): a reader sees the complete old tree or the
//! complete new one at every instant, right after a kill too, without
//! waiting for a next run; the next run removes what a killed one left
//! beside the tree. Before, a kill between two renames left 8 to 47 new
//! files among the old ones, and 49 temporary files, until the next run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::limits::{killed_at_rename, strace};
use crate::common::{output_within, wait_within};

fn bin() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("uvtool"))
}

fn args(dir: &Path, seed: &str, force: bool) -> Vec<String> {
    let mut a = vec![
        "fixtures".to_string(),
        dir.display().to_string(),
        "--seed".into(),
        seed.into(),
        "--now".into(),
        "2026-01-01T00:00:00Z".into(),
    ];
    if force {
        a.push("--force".into());
    }
    a
}

/// Run `fixtures` to the end; how long it took.
fn run(dir: &Path, seed: &str, force: bool) -> Duration {
    let t = Instant::now();
    let o = output_within(bin().args(args(dir, seed, force)), Duration::from_secs(60));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    t.elapsed()
}

/// A copy of the tree `from` at `to`: what `run(to, seed, false)` makes
/// when `from` was made with the same seed (the same bytes: `tree`
/// compares them), without deriving its RSA keys again.
fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` (hidden ones too), by path, with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            if e.file_type().unwrap().is_dir() {
                todo.push(e.path());
            } else {
                let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
                out.push((rel, fs::read(e.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// What a killed run left beside `dir`.
fn beside(dir: &Path) -> Vec<String> {
    let name = format!(".{}.", dir.file_name().unwrap().to_string_lossy());
    fs::read_dir(dir.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&name))
        .collect()
}

/// `old`, `new` or a panic naming the mix.
fn which(
    dir: &Path,
    old: &[(PathBuf, Vec<u8>)],
    new: &[(PathBuf, Vec<u8>)],
    when: &str,
) -> &'static str {
    let now = tree(dir);
    if now == old {
        "old"
    } else if now == new {
        "new"
    } else {
        let from_new = now.iter().filter(|f| new.contains(f)).count();
        let from_old = now.iter().filter(|f| old.contains(f)).count();
        panic!(
            "{when}: a mixed tree right after the kill: {from_old} old files, {from_new} new, {} others",
            now.len() - from_old - from_new
        );
    }
}

#[test]
fn fixtures_force_killed_at_any_moment_leaves_one_whole_tree() {
    let d = tempfile::tempdir().unwrap();
    let full =
        run(&d.path().join("old"), "old", false).max(run(&d.path().join("new"), "new", false));
    let old = tree(&d.path().join("old"));
    let new = tree(&d.path().join("new"));
    assert_eq!(old.len(), new.len());
    assert_ne!(old, new);
    // Each folder below starts as the old tree: a copy of the one made.
    let old_tree_at = |dir: &Path| {
        copy_tree(&d.path().join("old"), dir);
        assert_eq!(tree(dir), old);
    };

    // At the points that matter, by failpoint (debug builds): the new tree
    // written beside the old one; the two exchanged, the old not yet removed.
    for (point, want) in [("tree-written", "old"), ("after-swap", "new")] {
        let dir = d.path().join(point);
        old_tree_at(&dir);
        let o = output_within(
            bin()
                .args(args(&dir, "new", true))
                .env("UVTOOL_FAILPOINT", point),
            Duration::from_secs(60),
        );
        assert!(!o.status.success(), "{point}: the failpoint ends the run");
        assert_eq!(which(&dir, &old, &new, point), want, "{point}");
        assert_eq!(beside(&dir).len(), 1, "{point}: {:?}", beside(&dir));
        // The next run removes what the killed one left (its pid is gone).
        run(&dir, "new", true);
        assert_eq!(tree(&dir), new);
        assert_eq!(beside(&dir), Vec::<String>::new(), "{point}");
    }

    // Killed by strace at its renames: there is one, the exchange.
    if strace().is_some() {
        for n in 1..=2 {
            let dir = d.path().join(format!("rename-{n}"));
            old_tree_at(&dir);
            let a = args(&dir, "new", true);
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            let killed = killed_at_rename(n, &a);
            let got = which(&dir, &old, &new, &format!("kill at rename {n}"));
            assert_eq!(
                (got, killed.status.success()),
                if n == 1 {
                    ("old", false)
                } else {
                    ("new", true)
                },
                "rename {n}"
            );
        }
    }

    // Killed at arbitrary moments: old or new, never a mix, at once. The
    // moments spread over a run as long as the first two took here (not
    // fixed milliseconds, which a slow machine shifts to its start); the
    // last run is not killed and ends as the new tree.
    let dir = d.path().join("timed");
    old_tree_at(&dir);
    let mut seen = Vec::new();
    for (i, part) in [Some(0u32), Some(10), Some(40), Some(80), None]
        .into_iter()
        .enumerate()
    {
        // Towards new, then towards old, and so on.
        let to = if i % 2 == 0 { "new" } else { "old" };
        let mut child = bin()
            .args(args(&dir, to, true))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let when = match part {
            Some(part) => {
                let after = full * part / 100;
                std::thread::sleep(after);
                let _ = child.kill();
                let _ = child.wait();
                format!("killed after {after:?}")
            }
            None => {
                let st = wait_within(&mut child, Duration::from_secs(60), "fixtures --force")
                    .unwrap_or_else(|e| panic!("{e}"));
                assert!(st.success(), "{st:?}");
                "not killed".to_string()
            }
        };
        seen.push(which(&dir, &old, &new, &when));
    }
    assert_eq!(seen.last(), Some(&"new"));
    // The next run removes whatever the killed ones left beside the tree.
    run(&dir, "new", true);
    assert_eq!(tree(&dir), new);
    assert_eq!(beside(&dir), Vec::<String>::new());
    eprintln!(
        "fixtures --force ({full:?} a run) killed at 0, 10, 40, 80% of a run, then not: {seen:?}"
    );
}
