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
use std::time::Duration;

use super::limits::{killed_at_rename, strace};
use crate::common::output_within;

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

fn run(dir: &Path, seed: &str, force: bool) {
    let o = output_within(bin().args(args(dir, seed, force)), Duration::from_secs(60));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
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
    run(&d.path().join("old"), "old", false);
    run(&d.path().join("new"), "new", false);
    let old = tree(&d.path().join("old"));
    let new = tree(&d.path().join("new"));
    assert_eq!(old.len(), new.len());
    assert_ne!(old, new);

    // At the points that matter, by failpoint (debug builds): the new tree
    // written beside the old one; the two exchanged, the old not yet removed.
    for (point, want) in [("tree-written", "old"), ("after-swap", "new")] {
        let dir = d.path().join(point);
        run(&dir, "old", false);
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
            run(&dir, "old", false);
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

    // Killed at arbitrary moments: old or new, never a mix, at once.
    let dir = d.path().join("timed");
    run(&dir, "old", false);
    let mut seen = Vec::new();
    for (i, ms) in [0u64, 30, 150, 600, 2400].into_iter().enumerate() {
        // Towards new, then towards old, and so on.
        let to = if i % 2 == 0 { "new" } else { "old" };
        let mut child = bin()
            .args(args(&dir, to, true))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(ms));
        let _ = child.kill();
        let _ = child.wait();
        seen.push(which(&dir, &old, &new, &format!("killed after {ms} ms")));
    }
    // The next run removes whatever the killed ones left beside the tree.
    run(&dir, "new", true);
    assert_eq!(tree(&dir), new);
    assert_eq!(beside(&dir), Vec::<String>::new());
    eprintln!("fixtures --force killed at 0..2400 ms: {seen:?}");
}
