//! The library's imports run one way: `scripts/import-graph.sh` lists the
//! edges between the modules of src/ and fails on a circle, so a circle
//! (issue 22: input -> jwk -> input, net -> verify -> policy -> input -> net)
//! cannot come back unnoticed.

use std::process::Command;

fn graph() -> (bool, String, String) {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new("bash")
        .arg(format!("{root}/scripts/import-graph.sh"))
        .output()
        .expect("bash runs scripts/import-graph.sh");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_library_has_no_import_circle() {
    let (ok, edges, err) = graph();
    assert!(ok, "import circle:\n{err}\nedges:\n{edges}");
    assert!(err.is_empty(), "{err}");
    let edges: Vec<(&str, &str)> = edges.lines().filter_map(|l| l.split_once(' ')).collect();
    // The script sees the imports (a graph of nothing would pass anything).
    assert!(edges.len() > 50, "{edges:?}");
    assert!(edges.contains(&("verify", "policy")), "{edges:?}");
    assert!(edges.contains(&("policy", "read")), "{edges:?}");
    // The HTTPS client is a leaf: it knows nothing of keys (it fills in
    // response.rs's facts, which import nothing of this crate; its
    // deadlines are clock.rs's, which imports only the error type).
    for (from, to) in &edges {
        if *from == "net" {
            assert!(
                ["error", "io", "text", "response", "clock"].contains(to),
                "net -> {to}"
            );
        }
    }
    // What a JWK is, jwk.rs decides: it never asks the reader.
    assert!(!edges.contains(&("jwk", "read")), "{edges:?}");
    // The formats sit below the reader and the rules.
    for (from, to) in &edges {
        if ["b64", "pem", "keys", "cert", "jwk", "token"].contains(from) {
            assert!(
                !["read", "policy", "verify", "check", "inspect", "net"].contains(to),
                "{from} -> {to} runs back up"
            );
        }
    }
}

#[test]
fn a_circle_is_named_and_fails() {
    // The same script on a copy of src/ with one arrow added back
    // (jwk -> read, as issue 22 found it).
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = std::env::temp_dir().join(format!("uvtool-graph-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("scripts")).unwrap();
    let copy = Command::new("cp")
        .args(["-R", &format!("{root}/src"), dir.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(copy.success());
    std::fs::copy(
        format!("{root}/scripts/import-graph.sh"),
        dir.join("scripts/import-graph.sh"),
    )
    .unwrap();
    let jwk = dir.join("src/jwk.rs");
    let mut text = std::fs::read_to_string(&jwk).unwrap();
    text.push_str("\nfn back_up() -> usize { crate::read::MAX_TOKEN_TEXT }\n");
    std::fs::write(&jwk, text).unwrap();
    let out = Command::new("bash")
        .arg(dir.join("scripts/import-graph.sh"))
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("import circle among:"), "{err}");
    assert!(err.contains("jwk") && err.contains("read"), "{err}");
}
