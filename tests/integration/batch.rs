//! Batch mint and verify run on every core: output order, mixed verdicts,
//! errors mid-stream, exit codes, and no progress noise when piped.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::{fixture_str, uvtool};
use predicates::str::contains;
use serde_json::Value;

const NOW: &str = "2030-01-01T00:00:00Z";
const LATER: &str = "2030-01-01T00:05:00Z";

fn key_a() -> String {
    fixture_str("keys/a/private.pem")
}

fn jwks_a() -> String {
    fixture_str("keys/a/jwks.json")
}

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("three parts");
    serde_json::from_slice(&uvtool::b64::url_decode(payload).unwrap()).unwrap()
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
        NOW,
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

fn mint_batch(n: usize) -> (Vec<String>, Vec<String>) {
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
fn verify_batch_mixed_verdicts_in_order() {
    let (tokens, subs) = mint_batch(2000);
    let mut input = String::new();
    // What each output line must say: Some(sub) valid, None invalid.
    let mut want: Vec<(Option<&str>, &str)> = Vec::new();
    for (i, (t, s)) in tokens.iter().zip(&subs).enumerate() {
        match i % 11 {
            3 => {
                // Another token's signature.
                let other = &tokens[(i + 1) % tokens.len()];
                let sig = other.rsplit('.').next().unwrap();
                let (head, _) = t.rsplit_once('.').unwrap();
                input.push_str(&format!("{head}.{sig}\n"));
                want.push((None, "signature does not verify"));
            }
            7 => {
                input.push_str("not-a-token\n\n");
                want.push((None, "malformed token"));
            }
            _ => {
                input.push_str(&format!("  {t} \n"));
                want.push((Some(s), ""));
            }
        }
    }
    let out = uvtool()
        .args(["verify", "--jwks", &jwks_a(), "--now", LATER])
        .write_stdin(input.clone())
        .assert()
        .code(1)
        .stderr("")
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), want.len());
    for (i, (line, (sub, reason))) in lines.iter().zip(&want).enumerate() {
        match sub {
            // Every line names its source, `-:LINE` for stdin (issue 23).
            Some(s) => assert!(
                line.starts_with(&format!("valid sub={s} [-:")) && line.ends_with(']'),
                "line {i}: {line}"
            ),
            None => {
                assert!(
                    line.starts_with("invalid: ") && line.contains(reason),
                    "line {i}: {line}"
                );
                // Invalid lines say where they came from: the input line
                // (blank lines counted) and, when readable, the sub.
                assert!(line.contains(" [-:"), "line {i}: {line}");
                if *reason == "signature does not verify" {
                    assert!(
                        line.contains(&format!(", sub={}]", subs[i])),
                        "line {i}: {line}"
                    );
                }
            }
        }
    }

    // --json: one object a line, same order.
    let out = uvtool()
        .args(["verify", "--jwks", &jwks_a(), "--now", LATER, "--json"])
        .write_stdin(input)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for (line, (sub, _)) in text.lines().zip(&want) {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["valid"], sub.is_some());
        assert!(v["line"].as_u64().unwrap() >= 1, "{line}");
        assert_eq!(v["source"], format!("-:{}", v["line"]), "{line}");
        if let Some(s) = sub {
            assert_eq!(v["claims"]["sub"], *s);
        }
    }
}

#[test]
fn verify_batch_all_valid_exits_0_and_late_ones_exit_1() {
    let (tokens, _) = mint_batch(500);
    let input = tokens.join("\n") + "\n";
    uvtool()
        .args(["verify", "--jwks", &jwks_a(), "--now", LATER])
        .write_stdin(input.clone())
        .assert()
        .success()
        .stderr("");
    // Two hours later every token (1 h ttl) has expired.
    let out = uvtool()
        .args([
            "verify",
            "--jwks",
            &jwks_a(),
            "--now",
            "2030-01-01T02:00:00Z",
        ])
        .write_stdin(input)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 500);
    assert!(text
        .lines()
        .all(|l| l.starts_with("invalid: ") && l.contains("expired")));
}

#[test]
fn verify_batch_bad_utf8_mid_stream_is_a_malformed_token_and_the_batch_goes_on() {
    // A line that is not UTF-8 is a token that is not one (T0, as the same
    // bytes in a one-token file or as the page's input), not the end of
    // the batch (issue 20: one token, one verdict, however it arrives).
    let (tokens, _) = mint_batch(300);
    let mut input = tokens[..200].join("\n").into_bytes();
    input.extend_from_slice(b"\n\xfe\xff\n");
    input.extend_from_slice(tokens[200..].join("\n").as_bytes());
    let out = uvtool()
        .args(["verify", "--jwks", &jwks_a(), "--now", LATER])
        .write_stdin(input)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    // One token, one verdict however it arrives: a line that is not UTF-8
    // is a malformed token (T0), and the lines after it are still judged.
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 301);
    assert_eq!(
        lines[200],
        "invalid: malformed token: has 1 segment(s), expected 3 (header.payload.signature) (T0) [-:201]"
    );
    assert!(lines
        .iter()
        .enumerate()
        .all(|(i, l)| i == 200 || l.starts_with("valid sub=user-")));
}
