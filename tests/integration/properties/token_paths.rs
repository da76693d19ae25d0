//! One token, one verdict, however it arrives (issue 20): the same token as
//! an argument, in a file, on stdin (`-`), as a line of a batch, to `check`
//! (file and stdin) and through the `ui` page's API gets the same verdict,
//! exit code and message. Covers what once differed: a header with
//! whitespace (`{ "alg": …`), a tab or non-ASCII text inside a token, bytes
//! that are not UTF-8, and one size limit for a token everywhere
//! (`token::MAX_TOKEN_LEN`, 64 KiB), named in the message.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};

use uvtool::read::MAX_TOKEN_TEXT;
use uvtool::token::{self, Alg, MAX_TOKEN_LEN};
use uvtool::{b64, keys};

use crate::common::serve::{raw, Serve};
use crate::common::{fixture, fixture_str, uvtool};

use crate::common::clock::NOW;
const ISS: &str = "https://issuer.example";

fn sign_raw(header: &[u8], payload: &[u8]) -> String {
    let k = keys::load_private(
        &fs::read(fixture("keys/a/private.pem")).unwrap(),
        "keys/a/private.pem",
    )
    .unwrap();
    let input = format!("{}.{}", b64::url_encode(header), b64::url_encode(payload));
    let sig = token::sign(&k, Alg::RS256, input.as_bytes()).unwrap();
    format!("{input}.{}", b64::url_encode(&sig))
}

fn claims(extra: Value) -> Value {
    let mut c = json!({"iss": ISS, "sub": "user-1", "iat": NOW - 10, "exp": NOW + 600});
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

fn good() -> String {
    sign_raw(
        br#"{"alg":"RS256","kid":"fixture-a"}"#,
        claims(json!({})).to_string().as_bytes(),
    )
}

/// Length of base64url without padding for `n` bytes.
fn b64_len(n: usize) -> usize {
    (n * 4).div_ceil(3)
}

/// A validly signed token of exactly `len` bytes: a `pad` claim fills it,
/// and a space or two in the header reaches the lengths base64 skips.
/// Lengths are computed, so it signs once.
fn signed_of_len(len: usize) -> String {
    let sig_len = good().rsplit('.').next().unwrap().len();
    let claims_len = |pad: usize| claims(json!({"pad": "x".repeat(pad)})).to_string().len();
    let base = claims_len(0);
    for spaces in 0..3 {
        let header = format!(
            "{{\"alg\":\"RS256\",\"kid\":\"fixture-a\"{}}}",
            " ".repeat(spaces)
        );
        let Some(target) = len.checked_sub(b64_len(header.len()) + 2 + sig_len) else {
            continue;
        };
        let guess = (target * 3 / 4).saturating_sub(base);
        for pad in guess.saturating_sub(4)..guess + 4 {
            if b64_len(base + pad) == target {
                let t = sign_raw(
                    header.as_bytes(),
                    claims(json!({"pad": "x".repeat(pad)}))
                        .to_string()
                        .as_bytes(),
                );
                assert_eq!(t.len(), len);
                return t;
            }
        }
    }
    panic!("no token of {len} bytes");
}

/// What every path must answer for one input.
struct Expect {
    /// 0 valid, 1 invalid.
    code: i32,
    /// A piece of the verdict's message (the failing rule's), or "" for valid.
    says: &'static str,
}

const VALID: Expect = Expect { code: 0, says: "" };

fn tmp(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    fs::write(&p, bytes).unwrap();
    (dir, p)
}

fn verify_cmd() -> assert_cmd::Command {
    let mut c = uvtool();
    c.args(["verify", "--jwks", &fixture_str("keys/a/jwks.json")])
        .args(["--iss", ISS, "--now", &NOW.to_string()])
        .timeout(Duration::from_secs(30));
    c
}

fn check_cmd() -> assert_cmd::Command {
    let mut c = uvtool();
    c.args(["check", "--iss", ISS, "--now", &NOW.to_string()])
        .timeout(Duration::from_secs(30));
    c
}

/// The first line of stdout, the exit code, and all of stdout and stderr.
fn run(c: &mut assert_cmd::Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    (
        code,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_verdict(what: &str, got: (i32, String, String), want: &Expect) {
    let (code, out, err) = got;
    assert_eq!(
        code, want.code,
        "{what}: exit code; stdout {out:?} stderr {err:?}"
    );
    let first = out.lines().next().unwrap_or_default();
    if want.code == 0 {
        assert!(first.starts_with("valid"), "{what}: {first:?}");
    } else {
        assert!(
            first.starts_with("invalid: ") && first.contains(want.says),
            "{what}: {first:?} does not say {:?}",
            want.says
        );
    }
}

/// `input` (the bytes of a token file, or of stdin; `arg` the same token as
/// a command-line argument when it can be one) through every path.
fn every_path(what: &str, input: &[u8], arg: Option<&str>, want: &Expect) {
    // An argument.
    if let Some(a) = arg {
        assert_verdict(&format!("{what}: argument"), run(verify_cmd().arg(a)), want);
    }
    // A file.
    let (_dir, file) = tmp("token.txt", input);
    assert_verdict(&format!("{what}: file"), run(verify_cmd().arg(&file)), want);
    // Stdin.
    assert_verdict(
        &format!("{what}: stdin"),
        run(verify_cmd().arg("-").write_stdin(input.to_vec())),
        want,
    );
    // A line of a batch, after a valid token: the second verdict line.
    let mut batch = format!("{}\n", good()).into_bytes();
    batch.extend_from_slice(input);
    let (code, out, err) = run(verify_cmd().arg("-").write_stdin(batch));
    assert_eq!(code, want.code, "{what}: batch exit code; {out:?} {err:?}");
    let second = out.lines().nth(1).unwrap_or_default().to_string();
    assert_verdict(&format!("{what}: batch line"), (code, second, err), want);
    // Several arguments: a file among them is read as a batch.
    if let Some(a) = arg {
        let (code, out, err) = run(verify_cmd().arg(good()).arg(a));
        assert_eq!(code, want.code, "{what}: two arguments; {out:?} {err:?}");
        let second = out.lines().nth(1).unwrap_or_default().to_string();
        assert_verdict(
            &format!("{what}: second argument"),
            (code, second, err),
            want,
        );
    }
    // check, with the key set: the verdict line and the exit code.
    for (how, c) in [
        ("check FILE", {
            let mut c = check_cmd();
            c.arg(&file).arg(fixture_str("keys/a/jwks.json"));
            c
        }),
        ("check -", {
            let mut c = check_cmd();
            c.arg("-")
                .arg(fixture_str("keys/a/jwks.json"))
                .write_stdin(input.to_vec());
            c
        }),
    ] {
        let mut c = c;
        let (code, out, err) = run(&mut c);
        assert_eq!(code, want.code, "{what}: {how}: exit code; {out} {err}");
        let line = out
            .lines()
            .find(|l| l.starts_with("verdict ("))
            .unwrap_or_else(|| panic!("{what}: {how}: no verdict line: {out} {err}"));
        if want.code == 0 {
            assert!(
                line.ends_with("valid under the platform profile"),
                "{what}: {how}: {line}"
            );
        } else {
            assert!(
                line.contains("invalid under the platform profile") && line.contains(want.says),
                "{what}: {how}: {line} does not say {:?}",
                want.says
            );
        }
    }
}

#[test]
fn a_valid_token_is_valid_on_every_path() {
    let t = good();
    every_path("valid", format!("{t}\n").as_bytes(), Some(&t), &VALID);
    // With what terminals and HTTP tools add around it.
    let pasted = format!("  Authorization: Bearer \"{t}\"  \r\n");
    every_path("pasted", pasted.as_bytes(), Some(&pasted), &VALID);
    // A byte-order mark at the start of a file (Windows Notepad).
    every_path(
        "bom",
        format!("\u{feff}{t}\r\n").as_bytes(),
        Some(&format!("\u{feff}{t}")),
        &VALID,
    );
}

#[test]
fn a_header_with_whitespace_is_read_by_check_as_by_verify() {
    // `{ "alg": …` encodes to `eyAi…`, not `eyJ…`: check once called such a
    // file "text that is not a key" (exit 2) while verify said valid.
    for header in [
        &br#"{ "alg": "RS256", "kid": "fixture-a" }"#[..],
        b"{\n  \"alg\": \"RS256\",\n  \"kid\": \"fixture-a\"\n}",
        b"{\t\"alg\":\"RS256\",\"kid\":\"fixture-a\"}",
        b" {\"alg\":\"RS256\",\"kid\":\"fixture-a\"}",
    ] {
        let t = sign_raw(header, claims(json!({})).to_string().as_bytes());
        assert!(!t.starts_with("eyJ"), "{t}");
        every_path(
            &format!("header {:?}", String::from_utf8_lossy(header)),
            format!("{t}\n").as_bytes(),
            Some(&t),
            &VALID,
        );
    }
}

#[test]
fn whitespace_inside_a_token_is_t0_on_every_path() {
    // One answer: a token with whitespace inside is malformed (T0, exit
    // 1), never cleaned up, and never "not a token" (exit 2) from a file.
    let t = good();
    let (a, b) = t.split_at(40);
    let want = Expect {
        code: 1,
        says: "malformed token: header segment has whitespace inside (T0)",
    };
    for sep in ["\t", " ", "\u{a0}", "\r", "\u{2028}"] {
        let inside = format!("{a}{sep}{b}");
        every_path(
            &format!("{sep:?} inside"),
            format!("{inside}\n").as_bytes(),
            Some(&inside),
            &want,
        );
    }
    // In the signature segment.
    let (a, b) = t.split_at(t.len() - 10);
    let inside = format!("{a}\t{b}");
    every_path(
        "tab in the signature",
        format!("{inside}\n").as_bytes(),
        Some(&inside),
        &Expect {
            code: 1,
            says: "malformed token: signature segment has whitespace inside (T0)",
        },
    );
}

#[test]
fn non_ascii_and_non_utf8_tokens_are_t0_on_every_path_never_a_panic() {
    // Once: `clean_token` cut a `str` inside a character, exit 101.
    let t = good();
    for (what, text) in [
        ("accent", format!("é{t}")),
        ("emoji", format!("{t}🔑")),
        ("accent after Bearer", format!("Bearer é{t}")),
        ("accented Authorization", format!("Authorizatioñ: {t}")),
        (
            "line separator",
            format!("{}\u{2028}{}", &t[..20], &t[20..]),
        ),
        ("only non-ASCII", "ééééééééééééééé".to_string()),
    ] {
        let input = format!("{text}\n");
        let file = Expect {
            code: 1,
            says: "malformed token: ",
        };
        // Text with no token in it at all: the argument is taken as the
        // token (T0, exit 1); a file that does not start with a token is
        // unusable input (exit 2); as a batch line it is a malformed token
        // and the batch goes on. Never a panic.
        if what == "only non-ASCII" {
            let (code, out, err) = run(verify_cmd().arg(&text));
            assert_eq!(code, 1, "{what}: argument: {out} {err}");
            let (_d, f) = tmp("t.txt", input.as_bytes());
            let (code, _, err) = run(verify_cmd().arg(&f));
            assert_eq!(code, 2, "{what}: file: {err}");
            assert!(err.contains("does not start with a token"), "{what}: {err}");
            let (code, _, err) = run(check_cmd().arg(&f));
            assert_eq!(code, 2, "{what}: check: {err}");
            let (code, out, err) = run(verify_cmd()
                .arg("-")
                .write_stdin(format!("{t}\n{input}{t}\n")));
            assert_eq!(code, 1, "{what}: batch: {out} {err}");
            let lines: Vec<&str> = out.lines().collect();
            assert_eq!(lines.len(), 3, "{what}: {out}");
            assert!(
                lines[1].starts_with("invalid: malformed token: "),
                "{what}: {out}"
            );
            continue;
        }
        every_path(what, input.as_bytes(), Some(&text), &file);
    }
    // Bytes that are not UTF-8 inside a token (a file, stdin or a batch
    // line): a malformed token (T0, exit 1), not an unreadable input.
    let mut bad = t.as_bytes()[..30].to_vec();
    bad.extend_from_slice(b"\xff\xfe");
    bad.extend_from_slice(&t.as_bytes()[30..]);
    bad.push(b'\n');
    every_path(
        "bytes that are not UTF-8",
        &bad,
        None,
        &Expect {
            code: 1,
            says: "which is not a base64url character (T0)",
        },
    );
}

#[test]
fn one_size_limit_for_a_token_on_every_path() {
    assert_eq!(MAX_TOKEN_LEN, 64 * 1024);
    let over = Expect {
        code: 1,
        says: "malformed token: the token is over the 64 KiB limit of a token (65536 bytes) (T0)",
    };
    // Exactly at the limit: valid everywhere (an argument this long is
    // within the kernel's 128 KiB for one argument).
    let at = signed_of_len(MAX_TOKEN_LEN);
    assert_eq!(at.len(), MAX_TOKEN_LEN);
    every_path(
        "at the limit",
        format!("{at}\n").as_bytes(),
        Some(&at),
        &VALID,
    );
    // One byte over, and 67 KB (once valid inline and exit 2 from a file).
    for len in [MAX_TOKEN_LEN + 1, 67 * 1000] {
        let t = signed_of_len(len);
        every_path(
            &format!("{len} bytes"),
            format!("{t}\n").as_bytes(),
            Some(&t),
            &over,
        );
    }
    // Far over: a file or stdin line of 1 MiB is read with bounded memory
    // and judged the same; the batch goes on after it.
    let huge = signed_of_len(MAX_TOKEN_LEN + 1).repeat(16);
    every_path("1 MiB", format!("{huge}\n").as_bytes(), None, &over);
    // Room for what is cleaned around a token, not more: spaces and a
    // Bearer prefix do not count against the token.
    let padded = format!("Bearer {at}{}", " ".repeat(1000));
    every_path(
        "at the limit, padded",
        format!("{padded}\n").as_bytes(),
        Some(&padded),
        &VALID,
    );
    let _ = MAX_TOKEN_TEXT;
}

#[test]
fn mint_sub_file_lines_are_read_by_the_one_line_reader() {
    let key = fixture_str("keys/a/private.pem");
    let mint = |input: Vec<u8>| {
        run(uvtool()
            .args([
                "mint",
                "--key",
                &key,
                "--iss",
                ISS,
                "--now",
                &NOW.to_string(),
            ])
            .args(["--sub-file", "-"])
            .write_stdin(input))
    };
    // A byte-order mark, CRLF, blank lines, comments, non-ASCII subs.
    let (code, out, err) = mint("\u{feff}alice\r\n\n# c\n  ünïcødé 🔑  \n".into());
    assert_eq!(code, 0, "{err}");
    let subs: Vec<String> = out
        .lines()
        .map(|t| {
            token::decode(t).unwrap().claims["sub"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(subs, ["alice", "ünïcødé 🔑"]);
    // Not UTF-8: named with its line, exit 2.
    let (code, _, err) = mint(b"alice\nb\xffob\n".to_vec());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("<stdin>: line 2: is not UTF-8 text"), "{err}");
    // A line too long for any token: named with its line and the limit.
    let (code, _, err) = mint(format!("alice\n{}\n", "x".repeat(MAX_TOKEN_TEXT + 1)).into_bytes());
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("<stdin>: line 2: is over 69632 bytes; a sub this long gives a token over the 64 KiB limit of a token"),
        "{err}"
    );
}

/// `uvtool ui` with key a at the test clock.
fn ui() -> Serve {
    let args: Vec<OsString> = [
        "ui",
        "--jwks",
        &fixture_str("keys/a/jwks.json"),
        "--iss",
        ISS,
        "--now",
        &NOW.to_string(),
        "--port",
        "0",
        "--quiet",
    ]
    .iter()
    .map(Into::into)
    .collect();
    Serve::spawn(&args)
}

fn post(s: &Serve, body: &str) -> (u16, Value) {
    let req = format!(
        "POST /api/inspect HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        s.addr,
        body.len()
    );
    let r = raw(s.addr, req.as_bytes());
    (
        r.status,
        serde_json::from_slice(&r.body).unwrap_or(Value::Null),
    )
}

#[test]
fn the_ui_api_reads_a_token_as_verify_does_with_the_same_limit() {
    let s = ui();
    let page = |t: &str| {
        let (status, v) = post(&s, &json!({ "token": t }).to_string());
        assert_eq!(status, 200, "{v}");
        v["verdicts"]["platform"].clone()
    };
    let t = good();
    let spaced = sign_raw(
        br#"{ "alg": "RS256", "kid": "fixture-a" }"#,
        claims(json!({})).to_string().as_bytes(),
    );
    let at = signed_of_len(MAX_TOKEN_LEN);
    for (what, text) in [
        ("valid", t.clone()),
        ("pasted", format!(" Authorization: Bearer \"{t}\"\n")),
        ("spaced header", spaced),
        ("at the limit", at.clone()),
    ] {
        let v = page(&text);
        assert_eq!(v["valid"], true, "{what}: {v}");
    }
    let (a, b) = t.split_at(40);
    for (what, text, says) in [
        (
            "tab",
            format!("{a}\t{b}"),
            "header segment has whitespace inside",
        ),
        (
            "accent",
            format!("{a}é{b}"),
            "which is not a base64url character",
        ),
        (
            "one byte over",
            signed_of_len(MAX_TOKEN_LEN + 1),
            "the token is over the 64 KiB limit of a token (65536 bytes)",
        ),
        (
            "67 KB",
            signed_of_len(67 * 1000),
            "the token is over the 64 KiB limit of a token (65536 bytes)",
        ),
    ] {
        let v = page(&text);
        assert_eq!(
            (v["valid"].clone(), v["rule"].clone()),
            (json!(false), json!("T0")),
            "{what}: {v}"
        );
        assert!(v["reason"].as_str().unwrap().contains(says), "{what}: {v}");
    }
    // A body too large to hold a token within the limit: 413, naming it.
    let big = json!({ "token": "a".repeat(MAX_TOKEN_TEXT + 1024) }).to_string();
    let (status, v) = post(&s, &big);
    assert_eq!(status, 413, "{v}");
    assert_eq!(v["error"], "too_large");
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .ends_with("the token is over the 64 KiB limit of a token (65536 bytes)"),
        "{v}"
    );
}

#[test]
fn batch_lines_over_the_limit_do_not_stop_the_batch() {
    // A file of tokens with one line far over the limit: every other line
    // keeps its verdict and its line number.
    let t = good();
    let mut input = format!("{t}\n").into_bytes();
    input.extend(std::iter::repeat_n(b'A', 3 * 1024 * 1024));
    input.extend_from_slice(format!("\n\n{t}\n").as_bytes());
    let (_d, f) = tmp("batch.txt", &input);
    let (code, out, err) = run(verify_cmd().arg(&f));
    assert_eq!(code, 1, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("valid"), "{out}");
    assert!(
        lines[1].starts_with(&format!("invalid: malformed token: the token is over the 64 KiB limit of a token (65536 bytes) (T0) [{}:2]", f.display())),
        "{out}"
    );
    assert!(lines[2].starts_with("valid"), "{out}");
    let _ = Path::new("");
}
