//! `scripts/check-doc-refs.sh`, the check that every file a document names
//! exists, run on a scratch tree (scripts/test.sh runs it on the repository).

use std::path::Path;
use std::process::{Command, Output};

fn check(root: &Path, args: &[&str]) -> Output {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-doc-refs.sh");
    crate::common::output_within(
        Command::new("bash")
            .arg(script)
            .arg("--root")
            .arg(root)
            .args(args),
        crate::common::BOUND,
    )
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

const README: &str = "# Demo

See [the guide](docs/GUIDE.md), its [setup](docs/GUIDE.md#setup) and
[this](#demo). Run `scripts/run.sh`; the tests are in `tests/old.rs`.
Read [gone](docs/GUIDE.md#gone) and `gone.rs`, then PLAN.md.
`uvtool init` writes NEXT-STEPS.md. Older runs: `git log -p -- OLD.md`.

```sh
uvtool fixtures tests/fixtures --seed ci   # the reader's folder, not ours
scripts/missing.sh
```
";

#[test]
fn a_missing_file_or_heading_is_named_with_its_line() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    write(root, "README.md", README);
    write(root, "docs/GUIDE.md", "# Guide\n\n## Setup\n");
    write(root, "scripts/run.sh", "#!/bin/sh\n# see docs/GONE.md\n");
    write(
        root,
        "src/lib.rs",
        "//! Speed: docs/SPEED.md.\n/// A key from `fixtures/keys/a.pem`.\npub const P: &str = \"docs/NOT-A-COMMENT.md\";\n",
    );
    let out = check(root, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let expected = [
        "README.md:4: tests/old.rs: no such file or folder",
        "README.md:5: docs/GUIDE.md#gone: docs/GUIDE.md has no heading #gone",
        "README.md:5: PLAN.md: no such file or folder",
        "README.md:5: gone.rs: no tracked file has this name",
        "README.md:10: scripts/missing.sh: no such file or folder",
        "scripts/run.sh:2: docs/GONE.md: no such file or folder",
        "src/lib.rs:1: docs/SPEED.md: no such file or folder",
        "src/lib.rs:2: fixtures/keys/a.pem: no such file or folder",
    ];
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected, "{stderr}");
    assert!(stderr.contains(", 8 broken"), "{stderr}");
}

#[test]
fn a_tree_whose_references_resolve_passes() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    write(root, "README.md", README);
    write(root, "docs/GUIDE.md", "# Guide\n\n## Setup\n\n## Gone\n");
    write(root, "scripts/run.sh", "#!/bin/sh\n");
    write(root, "scripts/missing.sh", "#!/bin/sh\n");
    write(root, "tests/old.rs", "");
    write(root, "src/gone.rs", "");
    write(root, "PLAN.md", "# Plan\n");
    let out = check(root, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(stderr.contains(", 0 broken"), "{stderr}");
    // Only the files asked for are read when some are named.
    write(root, "docs/OTHER.md", "see docs/NOPE.md\n");
    let out = check(root, &[root.join("README.md").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let out = check(root, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "docs/OTHER.md:1: docs/NOPE.md: no such file or folder\n"
    );
}

#[test]
fn a_usage_error_exits_2() {
    let d = tempfile::tempdir().unwrap();
    let out = check(d.path(), &["--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "usage: scripts/check-doc-refs.sh [--root DIR] [FILE...]\n"
    );
    let out = check(d.path(), &["no-such.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no-such.md: no such file"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn manifests_requirements_python_text_and_test_comments_are_read() {
    // Cargo.toml, scripts/*.txt, a Python script's """text""" and the
    // comments of tests/ named moved files the check never read (review of
    // a577057: four stale references).
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    write(
        root,
        "Cargo.toml",
        "[package]\n# colour (src/cmd/style.rs)\nname = \"x\"\n",
    );
    write(
        root,
        "scripts/requirements.txt",
        "# the hook (tests/integration/newcomer.rs)\nPyJWT==2\n",
    );
    write(
        root,
        "scripts/make.py",
        "\"\"\"Make it.\n\n`tests/integration/corpus.rs` runs it.\n\"\"\"\nOUT = \"tests/made/\"\nREADME = \"\"\"# Made\nsee docs/GONE.md\n\"\"\"\n",
    );
    write(
        root,
        "tests/integration/official.rs",
        "// see tests/integration/hints.rs\nconst P: &str = \"tests/x.rs\";\n",
    );
    let out = check(root, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "Cargo.toml:2: src/cmd/style.rs: no such file or folder",
            "scripts/make.py:3: tests/integration/corpus.rs: no such file or folder",
            "scripts/make.py:7: docs/GONE.md: no such file or folder",
            "scripts/requirements.txt:1: tests/integration/newcomer.rs: no such file or folder",
            "tests/integration/official.rs:1: tests/integration/hints.rs: no such file or folder",
        ],
        "{stderr}"
    );
    assert!(stderr.contains(", 5 broken"), "{stderr}");
}
