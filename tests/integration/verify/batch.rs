//! Batch verify runs on every core: output order, mixed verdicts, errors
//! mid-stream, exit codes, and no progress noise when piped. The tokens come
//! from the batch mint (`mint::batch`).

use crate::common::uvtool;
use serde_json::Value;

use crate::common::clock::now_plus;
use crate::common::token::jwks_a_path;
use crate::mint::batch::mint_batch;

/// `uvtool verify --jwks A --now NOW`, tokens on stdin.
fn verify_at(now: &str) -> assert_cmd::Command {
    let mut c = uvtool();
    c.args(["verify", "--jwks", &jwks_a_path(), "--now", now]);
    c
}

/// Five minutes after the tokens were minted.
fn later() -> String {
    now_plus(5 * 60)
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
    let out = verify_at(&later())
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
    let out = verify_at(&later())
        .arg("--json")
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
    verify_at(&later())
        .write_stdin(input.clone())
        .assert()
        .success()
        .stderr("");
    // Two hours later every token (1 h ttl) has expired.
    let out = verify_at(&now_plus(2 * 60 * 60))
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
    let out = verify_at(&later())
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
