//! Batch minting (`--sub-file`) runs on every core: output order, JSON Lines
//! with an automatic jti, a bad line mid-stream, a closed pipe, and the
//! claims in the order of a single mint.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::run::{run, s};
use crate::common::uvtool;
use predicates::str::contains;
use serde_json::Value;

use crate::common::clock::NOW_ARG;
use crate::common::token::{key_a, segment};

fn claims(token: &str) -> Value {
    segment(token, 1)
}

fn mint_args(extra: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = [
        "mint",
        "--key",
        &key_a(),
        "--kid",
        "fixture-a",
        "--iss",
        "https://example.com",
        "--now",
        NOW_ARG,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

/// 2,000 subs with comments and blank lines mixed in.
fn sub_file(dir: &std::path::Path, n: usize) -> (std::path::PathBuf, Vec<String>) {
    let mut text = String::from("# fixture users\n");
    let mut subs = Vec::new();
    for i in 0..n {
        let s = format!("user-{i:05}");
        text.push_str(&s);
        text.push('\n');
        if i % 97 == 0 {
            text.push_str("\n   \n# a comment\n");
        }
        subs.push(s);
    }
    let p = dir.join("subs.txt");
    std::fs::write(&p, text).unwrap();
    (p, subs)
}

pub fn mint_batch(n: usize) -> (Vec<String>, Vec<String>) {
    let d = tempfile::tempdir().unwrap();
    let (path, subs) = sub_file(d.path(), n);
    let out = uvtool()
        .args(mint_args(&["--sub-file", path.to_str().unwrap()]))
        .assert()
        .success()
        // Piped stderr: no progress line, no warnings.
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let tokens = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    (tokens, subs)
}

#[test]
fn mint_batch_keeps_input_order_under_parallelism() {
    let (tokens, subs) = mint_batch(2000);
    assert_eq!(tokens.len(), 2000);
    for (t, s) in tokens.iter().zip(&subs) {
        assert_eq!(claims(t)["sub"], s.as_str());
    }
    // A token from the batch carries the header and claims a single mint
    // makes for the same sub (at the same --now): the batch is the
    // sequential output, in order.
    let header = |t: &str| t.split('.').next().unwrap().to_string();
    for i in [0, 1, 999, 1999] {
        let one = uvtool()
            .args(mint_args(&["--sub", &subs[i]]))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let one = String::from_utf8(one).unwrap();
        assert_eq!(header(one.trim_end()), header(&tokens[i]));
        assert_eq!(claims(one.trim_end()), claims(&tokens[i]));
    }
}

#[test]
fn mint_batch_jsonl_and_auto_jti_in_order() {
    let input: String = (0..300).map(|i| format!("s{i}\n")).collect();
    let out = uvtool()
        .args(mint_args(&[
            "--sub-file",
            "-",
            "--format",
            "jsonl",
            "--jti",
            "auto",
        ]))
        .write_stdin(input)
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let mut jtis = std::collections::HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let v: Value = serde_json::from_str(line).unwrap();
        let want = format!("s{i}");
        assert_eq!(v["sub"], want.as_str());
        let c = claims(v["token"].as_str().unwrap());
        assert_eq!(c["sub"], want.as_str());
        assert!(jtis.insert(c["jti"].as_str().unwrap().to_string()));
    }
    assert_eq!(jtis.len(), 300);
}

#[test]
fn mint_batch_stops_at_a_bad_line_after_writing_the_lines_before() {
    let mut input: Vec<u8> = (0..1500)
        .flat_map(|i| format!("u{i}\n").into_bytes())
        .collect();
    input.extend_from_slice(b"bad\xff\n");
    input.extend((0..500).flat_map(|i| format!("v{i}\n").into_bytes()));
    let out = uvtool()
        .args(mint_args(&["--sub-file", "-"]))
        .write_stdin(input)
        .assert()
        .code(2)
        .stderr(contains("<stdin>: line 1501: is not UTF-8 text"))
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1500);
    for (i, t) in lines.iter().enumerate() {
        assert_eq!(claims(t)["sub"], format!("u{i}").as_str());
    }
}

#[test]
fn mint_batch_into_a_closed_pipe_exits_0() {
    let d = tempfile::tempdir().unwrap();
    let (path, _) = sub_file(d.path(), 5000);
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("uvtool"))
        .args(mint_args(&["--sub-file", path.to_str().unwrap()]))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(claims(first.trim_end())["sub"], "user-00000");
    let out = crate::common::collect_within(child, crate::common::BOUND, "mint --sub-file");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn mint_batch_jsonl_into_a_closed_pipe_exits_0_quietly() {
    // Long subs: most bytes of a JSON line are the quoted sub, so the write
    // that meets the closed pipe is (nearly always) the sub's. serde_json
    // wrapped that broken pipe in its own error, and mint exited 2
    // "uvtool: error: Broken pipe" (review of a577057).
    let d = tempfile::tempdir().unwrap();
    let text: String = (0..100)
        .map(|i| format!("u{i}-{}\n", "x".repeat(20_000)))
        .collect();
    let path = d.path().join("subs.txt");
    std::fs::write(&path, text).unwrap();
    for run in 0..3 {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("uvtool"))
            .args(mint_args(&["--sub-file", path.to_str().unwrap()]))
            .args(["--format", "jsonl"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = crate::common::collect_within(child, crate::common::BOUND, "mint --format jsonl");
        assert_eq!(out.status.code(), Some(0), "run {run}: {out:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "run {run}");
    }
}

// ------------------------------------------------ specific defects

fn payload_keys(token: &str) -> Vec<String> {
    use base64::Engine;
    let p = token.trim().split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(p)
        .unwrap();
    let v: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&bytes).unwrap();
    v.keys().cloned().collect()
}

#[test]
fn batch_mint_orders_claims_as_single_mint() {
    let d = tempfile::tempdir().unwrap();
    let key = key_a();
    let subs = d.path().join("users.txt");
    std::fs::write(&subs, "alice\nbob\n").unwrap();
    for extra in [
        &[][..],
        &["--iss", "https://example.com"][..],
        &[
            "--iss",
            "https://example.com",
            "--aud",
            "chat",
            "--jti",
            "fixed",
            "--nbf",
            NOW_ARG,
        ][..],
        &["--aud", "a", "--aud", "b", "--claim", "role=x"][..],
    ] {
        let base = ["mint", "--key", key.as_str(), "--now", NOW_ARG];
        let mut batch: Vec<&str> = base.to_vec();
        batch.extend_from_slice(extra);
        let subs_s = s(&subs);
        batch.extend_from_slice(&["--sub-file", &subs_s]);
        let (code, out, err) = run(&batch);
        assert_eq!(code, 0, "{err}");
        let tokens: Vec<&str> = out.lines().collect();
        for (i, sub) in ["alice", "bob"].iter().enumerate() {
            let mut single: Vec<&str> = base.to_vec();
            single.extend_from_slice(extra);
            single.extend_from_slice(&["--sub", sub]);
            let (code, one, _) = run(&single);
            assert_eq!(code, 0);
            assert_eq!(tokens[i], one.trim(), "{extra:?}: byte-identical");
        }
    }
    // With --jti auto the tokens differ, but the member order is the same.
    let (_, out, _) = run(&[
        "mint",
        "--key",
        &key,
        "--iss",
        "i",
        "--jti",
        "auto",
        "--sub-file",
        &s(&subs),
    ]);
    let (_, one, _) = run(&[
        "mint", "--key", &key, "--iss", "i", "--jti", "auto", "--sub", "x",
    ]);
    let want = payload_keys(&one);
    assert_eq!(want, ["iss", "sub", "iat", "exp", "jti"]);
    for t in out.lines() {
        assert_eq!(payload_keys(t), want);
    }
}
