//! The output contract (issue 23; README, "Output contract"): `--json` is
//! JSON Lines whatever the number of inputs, every batch line names its
//! source (`FILE:LINE`, `-:LINE`, `<arg>:N`), exit codes are 0/1/2 on every
//! path, every command takes a token the same ways, colour follows
//! `--color` and the environment, notes end their line, and re-adding the
//! identical key to a set changes nothing.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use predicates::str::{contains, diff};
use serde_json::Value;
use tempfile::TempDir;

use crate::common::clock::{NOW, NOW_ARG};
use crate::common::token::{self, key_a};
use crate::common::{collect_within, fixture_str, output_within, uvtool, BOUND};

const ISS: &str = "https://example.com";

/// A token for `sub`, issued `age` seconds before NOW, valid 10 minutes.
fn token(sub: &str, age: i64) -> String {
    let now = (NOW - age).to_string();
    token::mint(&[
        "--key",
        &key_a(),
        "--sub",
        sub,
        "--iss",
        ISS,
        "--kid",
        "fixture-a",
        "--ttl",
        "10m",
        "--allow-expired",
        "--now",
        &now,
    ])
}

fn verify() -> assert_cmd::Command {
    let mut c = uvtool();
    c.args(["verify", "--now", NOW_ARG, "--iss", ISS])
        .args(["--jwks", &fixture_str("keys/a/jwks.json")]);
    c
}

/// A folder with `a.jwt` (alice), `b.jwt` (bob, a blank line, an expired
/// carol) and `jwks.json`.
fn folder() -> TempDir {
    let d = TempDir::new().unwrap();
    fs::write(d.path().join("a.jwt"), token("alice", 0) + "\n").unwrap();
    fs::write(
        d.path().join("b.jwt"),
        format!("{}\n\n{}\n", token("bob", 0), token("carol", 7200)),
    )
    .unwrap();
    fs::copy(fixture_str("keys/a/jwks.json"), d.path().join("jwks.json")).unwrap();
    d
}

fn json_lines(out: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(out).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

// ------------------------------------------------------------ JSON Lines

#[test]
fn verify_json_is_one_compact_line_per_token_for_one_input_or_many() {
    let d = folder();
    let one = verify()
        .current_dir(d.path())
        .args(["--json", "a.jwt"])
        .assert()
        .code(0);
    let text = stdout_of(&one);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.ends_with("}\n") && !text.contains("\n  "), "{text}");
    // What `json.load` and `jq` read: one value.
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["source"], "a.jwt:1");
    assert_eq!(v["line"], 1);
    assert_eq!(v["valid"], true);

    // Two files: the same shape, a line per token, in order.
    let two = verify()
        .current_dir(d.path())
        .args(["--json", "a.jwt", "b.jwt"])
        .assert()
        .code(1);
    let rows = json_lines(&two.get_output().stdout);
    let sources: Vec<&str> = rows.iter().map(|r| r["source"].as_str().unwrap()).collect();
    assert_eq!(sources, ["a.jwt:1", "b.jwt:1", "b.jwt:3"]);
    let valid: Vec<&Value> = rows.iter().map(|r| &r["valid"]).collect();
    assert_eq!(
        valid,
        [&Value::Bool(true), &Value::Bool(true), &Value::Bool(false)]
    );
    assert_eq!(rows[2]["code"], "exp");
    assert_eq!(rows[2]["line"], 3);
    // The first line is the one-input answer, member for member.
    assert_eq!(rows[0], v);
}

#[test]
fn verify_json_names_stdin_and_token_arguments() {
    let d = folder();
    let t = token("dave", 0);
    let a = verify()
        .current_dir(d.path())
        .args(["--json", &t, "-", "a.jwt"])
        .write_stdin(format!("{}\n", token("erin", 0)))
        .assert()
        .code(0);
    let rows = json_lines(&a.get_output().stdout);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap(),
                r["claims"]["sub"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("<arg>:1", "dave"), ("-:1", "erin"), ("a.jwt:1", "alice")]
    );
    // One token on stdin: one line, named `-:1`.
    let a = verify().arg("--json").write_stdin(t).assert().code(0);
    assert_eq!(json_lines(&a.get_output().stdout)[0]["source"], "-:1");
}

#[test]
fn check_json_is_a_line_per_input_with_its_findings_and_verdict() {
    let d = folder();
    let a = uvtool()
        .current_dir(d.path())
        .args(["check", "--json", "--now", NOW_ARG, "--iss", ISS])
        .args(["--auth-id", "Cfg", "jwks.json", "b.jwt"])
        .assert()
        .code(1);
    let rows = json_lines(&a.get_output().stdout);
    let heads: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["source"].as_str().unwrap(), r["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        heads,
        [
            ("jwks.json", "jwks"),
            ("b.jwt:1", "token"),
            ("b.jwt:3", "token")
        ]
    );
    assert_eq!(rows[0]["findings"], Value::Array(vec![]));
    assert_eq!(rows[1]["verdict"]["valid"], true);
    assert_eq!(
        rows[1]["verdict"]["platform_key"],
        "v2/iamessage/AUTH/Cfg/uid:bob"
    );
    assert_eq!(rows[2]["verdict"]["valid"], false);
    assert_eq!(rows[2]["findings"][0]["rule"], "T5");
    // The summary stays on stderr.
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(
        err.ends_with("checked 3 inputs: 1 error, 0 warnings, 0 info\n"),
        "{err}"
    );

    // A token with no key given: not judged, `valid` null.
    let a = uvtool()
        .args(["check", "--json", "--now", NOW_ARG, "-"])
        .write_stdin(token("frank", 0))
        .assert()
        .code(0);
    let rows = json_lines(&a.get_output().stdout);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["source"], "-");
    assert_eq!(rows[0]["verdict"]["valid"], Value::Null);
    assert!(rows[0]["verdict"]["reason"]
        .as_str()
        .unwrap()
        .starts_with("not judged"));

    // A configuration name that breaks P1 has a line of its own.
    let a = uvtool()
        .args(["check", "--json", "--auth-id", "a b"])
        .arg(fixture_str("keys/a/jwk.json"))
        .assert()
        .code(1);
    let rows = json_lines(&a.get_output().stdout);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["kind"], "auth-id");
    assert_eq!(rows[1]["findings"][0]["rule"], "P1");
}

#[test]
fn check_json_gives_each_input_its_findings_even_when_two_share_a_name() {
    // The findings were filed under the first input of the name, so the
    // second `bad.json` said `"findings":[]` (review of a577057).
    let d = TempDir::new().unwrap();
    fs::write(
        d.path().join("bad.json"),
        r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#,
    )
    .unwrap();
    let a = uvtool()
        .current_dir(d.path())
        .args(["check", "--json", "bad.json", "bad.json"])
        .assert()
        .code(1)
        .stderr("checked 2 inputs: 6 errors, 0 warnings, 0 info\n");
    let rows = json_lines(&a.get_output().stdout);
    assert_eq!(rows.len(), 2);
    let rules = |r: &Value| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(rules(&rows[0]), ["K1", "K3", "K13"]);
    assert_eq!(rules(&rows[1]), rules(&rows[0]));
    assert_eq!(
        rows[1]["findings"][1]["message"],
        rows[0]["findings"][1]["message"]
    );
}

#[test]
fn every_json_output_is_json_lines() {
    // decode: one line.
    let a = uvtool()
        .args(["decode", "--json", &token("gina", 0)])
        .assert()
        .code(0);
    let text = stdout_of(&a);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert_eq!(json_lines(text.as_bytes())[0]["claims"]["sub"], "gina");
    // check --list-rules: a rule a line.
    let a = uvtool()
        .args(["check", "--list-rules", "--json"])
        .assert()
        .code(0);
    let rows = json_lines(&a.get_output().stdout);
    assert!(rows.len() > 20, "{} rules", rows.len());
    assert!(rows.iter().all(|r| r["id"].is_string()));
    // mint --sub-file --format jsonl names each line's source.
    let d = TempDir::new().unwrap();
    fs::write(d.path().join("users.txt"), "u1\n# comment\nu2\n").unwrap();
    let a = uvtool()
        .current_dir(d.path())
        .args(["mint", "--key", &fixture_str("keys/a/private.pem")])
        .args(["--iss", ISS, "--now", NOW_ARG, "--sub-file", "users.txt"])
        .args(["--format", "jsonl"])
        .assert()
        .code(0);
    let rows = json_lines(&a.get_output().stdout);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["sub"].as_str().unwrap(), r["source"].as_str().unwrap()))
        .collect();
    assert_eq!(got, [("u1", "users.txt:1"), ("u2", "users.txt:3")]);
}

// ------------------------------------------------------- text batch lines

#[test]
fn batch_text_lines_name_file_and_line() {
    let d = folder();
    let a = verify()
        .current_dir(d.path())
        .args(["a.jwt", "b.jwt"])
        .assert()
        .code(1);
    let text = stdout_of(&a);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0], "valid sub=alice [a.jwt:1]");
    assert_eq!(lines[1], "valid sub=bob [b.jwt:1]");
    assert!(
        lines[2].starts_with("invalid: expired ")
            && lines[2].ends_with("(T5) [b.jwt:3, sub=carol]"),
        "{}",
        lines[2]
    );
    // Stdin is `-`.
    let a = verify()
        .arg("-")
        .write_stdin(format!("\n{}\n{}\n", token("a", 0), token("b", 0)))
        .assert()
        .code(0);
    assert_eq!(stdout_of(&a), "valid sub=a [-:2]\nvalid sub=b [-:3]\n");
}

// ------------------------------------------------------------ exit codes

#[test]
fn exit_codes_are_the_worst_verdict_and_2_for_an_unusable_input() {
    let d = folder();
    // All valid: 0; one invalid among them: 1 (above).
    verify()
        .current_dir(d.path())
        .args(["a.jwt", "a.jwt"])
        .assert()
        .code(0);
    // A missing file among several: 2 before any verdict.
    verify()
        .current_dir(d.path())
        .args(["a.jwt", "missing.jwt", "b.jwt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("uvtool: error: missing.jwt: no such file\n");
    // A key file among the tokens: 2, named, with the flag that takes it.
    verify()
        .current_dir(d.path())
        .args(["a.jwt", "jwks.json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("uvtool: error: jwks.json: is a JWKS, not a token: give it with --jwks, and the token as the argument\n");
    // An empty file among several: 2.
    fs::write(d.path().join("empty.jwt"), "").unwrap();
    verify()
        .current_dir(d.path())
        .args(["a.jwt", "empty.jwt"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "uvtool: error: empty.jwt: does not start with a token",
        ));
    // Stdin that holds no token, after a file: the file's verdict is kept,
    // then the error, exit 2 (not the verdict's 0).
    verify()
        .current_dir(d.path())
        .args(["a.jwt", "-"])
        .write_stdin("\n")
        .assert()
        .code(2)
        .stdout("valid sub=alice [a.jwt:1]\n")
        .stderr("uvtool: error: <stdin>: has no token\n");
    // check: an input that is neither a file nor a token is a missing file.
    uvtool()
        .args(["check", "no-such-key.json"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("uvtool: error: no-such-key.json: no such file\n");
}

#[test]
fn a_closed_stdout_keeps_the_verdict_as_the_exit_code() {
    // The reader goes away (`| head -0`): the judge still says "invalid".
    let d = folder();
    let bin = assert_cmd::cargo::cargo_bin("uvtool");
    for json in [false, true] {
        let mut c = Command::new(&bin);
        c.current_dir(d.path())
            .env_remove("CLICOLOR_FORCE")
            .args([
                "verify",
                "--now",
                NOW_ARG,
                "--iss",
                ISS,
                "--jwks",
                "jwks.json",
            ])
            .args(if json { &["--json"][..] } else { &[][..] })
            .args(["b.jwt", "a.jwt"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap();
        drop(child.stdout.take());
        let out = collect_within(child, BOUND, "verify with a closed stdout");
        assert_eq!(out.status.code(), Some(1), "json={json} {out:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "json={json}");
    }
}

// ------------------------------------------------ a token, however given

#[test]
fn check_takes_a_token_argument_as_verify_and_decode_do() {
    let d = folder();
    let t = token("hana", 0);
    uvtool()
        .current_dir(d.path())
        .args(["check", "--now", NOW_ARG, "--iss", ISS, &t, "jwks.json"])
        .assert()
        .code(0)
        .stdout(contains(
            "verdict (<arg>:1): valid under the platform profile",
        ));
    // With `Bearer ` as pasted from a header, as verify takes it.
    uvtool()
        .current_dir(d.path())
        .args(["check", "--now", NOW_ARG, "--iss", ISS, "jwks.json"])
        .arg(format!("Bearer {t}"))
        .assert()
        .code(0)
        .stdout(contains(
            "verdict (<arg>:2): valid under the platform profile",
        ));
    // The same token as a file and on stdin.
    uvtool()
        .current_dir(d.path())
        .args([
            "check",
            "--now",
            NOW_ARG,
            "--iss",
            ISS,
            "a.jwt",
            "jwks.json",
        ])
        .assert()
        .code(0)
        .stdout(contains("verdict (a.jwt): valid"));
    uvtool()
        .current_dir(d.path())
        .args(["check", "--now", NOW_ARG, "--iss", ISS, "-", "jwks.json"])
        .write_stdin(t.clone())
        .assert()
        .code(0)
        .stdout(contains("verdict (<stdin>): valid"));
    // A damaged token argument is a token with a finding, not a file.
    let mut bad = t.clone();
    bad.truncate(t.len() - 10);
    bad.push_str("%%%%%%%%%%");
    uvtool()
        .current_dir(d.path())
        .args(["check", "--now", NOW_ARG, &bad, "jwks.json"])
        .assert()
        .code(1)
        .stdout(contains("error T0 <arg>:1:"));
    for args in [
        vec!["verify", "--jwks", "jwks.json", "--iss", ISS],
        vec!["decode"],
    ] {
        uvtool()
            .current_dir(d.path())
            .args(&args)
            .args(["--now", NOW_ARG, &t])
            .assert()
            .code(0);
    }
}

// ---------------------------------------------------------------- colour

fn verify_text(env: &[(&str, &str)], extra: &[&str]) -> String {
    let mut c = verify();
    for (k, v) in env {
        c.env(k, v);
    }
    let a = c.args(extra).arg(token("ivan", 0)).assert().code(0);
    stdout_of(&a)
}

#[test]
fn colour_follows_the_flag_then_the_environment() {
    const ESC: &str = "\u{1b}[";
    // Not a terminal: no colour.
    assert!(!verify_text(&[], &[]).contains(ESC));
    // --color always, even with NO_COLOR (a flag beats the environment).
    let text = verify_text(&[("NO_COLOR", "1")], &["--color", "always"]);
    assert!(
        text.starts_with("\u{1b}[1m\u{1b}[32mvalid\u{1b}[0m\n"),
        "{text:?}"
    );
    // The flag is global: before the command too.
    let mut c = uvtool();
    let a = c
        .args([
            "--color", "always", "verify", "--now", NOW_ARG, "--iss", ISS,
        ])
        .args([
            "--jwks",
            &fixture_str("keys/a/jwks.json"),
            &token("ivan", 0),
        ])
        .assert()
        .code(0);
    assert!(stdout_of(&a).contains(ESC));
    // CLICOLOR_FORCE forces it; NO_COLOR, CLICOLOR_FORCE=0 and --color
    // never do not colour.
    assert!(verify_text(&[("CLICOLOR_FORCE", "1")], &[]).contains(ESC));
    assert!(!verify_text(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[]).contains(ESC));
    assert!(!verify_text(&[("CLICOLOR_FORCE", "0")], &[]).contains(ESC));
    assert!(!verify_text(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]).contains(ESC));
    // Data is never coloured.
    assert!(!verify_text(&[], &["--color", "always", "--json"]).contains(ESC));
    // check colours its levels.
    let mut o: Value =
        serde_json::from_str(&fs::read_to_string(fixture_str("keys/a/jwk.json")).unwrap()).unwrap();
    o.as_object_mut().unwrap().remove("x5c");
    uvtool()
        .args(["check", "--color", "always", "-"])
        .write_stdin(o.to_string())
        .assert()
        .code(1)
        .stdout(contains("\u{1b}[1m\u{1b}[31merror\u{1b}[0m K13"));
    // A bad value is a usage error.
    uvtool()
        .args(["verify", "--color", "sometimes"])
        .assert()
        .code(2)
        .stderr(contains("invalid value 'sometimes' for '--color <WHEN>'"));
}

/// Run verify on a terminal (util-linux `script` gives it one), with
/// `env` set; its stdout, or None where `script` is missing.
fn on_a_terminal(env: &[(&str, &str)]) -> Option<String> {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        return None;
    }
    let d = folder();
    let bin = assert_cmd::cargo::cargo_bin("uvtool");
    let line = format!(
        "{} verify --now {NOW_ARG} --iss {ISS} --jwks jwks.json a.jwt 2>/dev/null",
        bin.display()
    );
    let mut c = Command::new(script);
    c.current_dir(d.path())
        .args(["-qec", &line, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    let out = output_within(&mut c, BOUND);
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn on_a_terminal_term_dumb_clicolor_0_and_no_color_turn_colour_off() {
    let Some(on) = on_a_terminal(&[("TERM", "xterm")]) else {
        return;
    };
    assert!(on.contains("\u{1b}[1m\u{1b}[32mvalid"), "{on:?}");
    for env in [
        &[("TERM", "dumb")][..],
        &[("TERM", "xterm"), ("CLICOLOR", "0")][..],
        &[("TERM", "xterm"), ("NO_COLOR", "1")][..],
    ] {
        let text = on_a_terminal(env).unwrap();
        assert!(text.starts_with("valid\r\n"), "{env:?}: {text:?}");
        assert!(!text.contains('\u{1b}'), "{env:?}: {text:?}");
    }
}

#[test]
fn no_escape_code_is_written_by_hand() {
    // Colour goes through anstyle/anstream only (src/cmd/common/style.rs).
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = fs::read_to_string(&p).unwrap();
                // Unit tests (from `#[cfg(test)]` on) may spell escapes.
                for (i, l) in text.lines().enumerate() {
                    if l.trim() == "#[cfg(test)]" {
                        break;
                    }
                    let code = l.split("//").next().unwrap_or("");
                    if code.contains("\\x1b[") || code.contains("\\u{1b}[") {
                        found.push(format!("{}:{}", p.display(), i + 1));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:?}");
}

// --------------------------------------------------------- stderr, notes

#[test]
fn every_note_and_warning_on_stderr_ends_its_line() {
    let d = folder();
    let t = token("jo", 0);
    let runs: Vec<Vec<String>> = vec![
        vec!["decode".into(), t.clone()],
        vec![
            "verify".into(),
            "--jwks".into(),
            "jwks.json".into(),
            "--now".into(),
            NOW_ARG.into(),
            t.clone(),
        ],
        vec![
            "platform-key".into(),
            "--auth-id".into(),
            "Cfg".into(),
            "--token".into(),
            t.clone(),
        ],
        vec![
            "check".into(),
            "--json".into(),
            "--now".into(),
            NOW_ARG.into(),
            t.clone(),
        ],
        vec![
            "mint".into(),
            "--key".into(),
            fixture_str("keys/a/private.pem"),
            "--sub".into(),
            "x".into(),
            "--no-exp".into(),
        ],
        vec![
            "jwks".into(),
            "--set".into(),
            "jwks.json".into(),
            "--add".into(),
            fixture_str("keys/a/jwk.json"),
        ],
    ];
    for args in runs {
        let out = uvtool().current_dir(d.path()).args(&args).output().unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(!err.is_empty(), "{args:?}: expected a note");
        assert!(err.ends_with('\n'), "{args:?}: {err:?}");
        assert!(
            err.lines().all(|l| !l.is_empty()),
            "{args:?}: an empty line: {err:?}"
        );
    }
}

// -------------------------------------------------------- idempotent jwks

fn set_in(d: &Path) -> PathBuf {
    let set = d.join("jwks.json");
    fs::copy(fixture_str("keys/a/jwks.json"), &set).unwrap();
    set
}

#[test]
fn re_adding_the_identical_key_to_a_set_changes_nothing() {
    use std::os::unix::fs::MetadataExt;
    let d = TempDir::new().unwrap();
    let set = set_in(d.path());
    let s = set.to_str().unwrap();
    let before = fs::read(&set).unwrap();
    let ino = fs::metadata(&set).unwrap().ino();
    let a = fixture_str("keys/a/jwk.json");
    for _ in 0..2 {
        uvtool()
            .args(["jwks", "--set", s, "--add", &a])
            .assert()
            .code(0)
            .stdout("")
            .stderr(diff(format!(
                "uvtool: note: {a}: key \"fixture-a\" is already in the set, unchanged\nuvtool: JWKS with 1 key(s) (0 added, 0 removed); kids: fixture-a\n"
            )));
        assert_eq!(fs::read(&set).unwrap(), before);
        assert_eq!(fs::metadata(&set).unwrap().ino(), ino, "not rewritten");
    }
    // With a new key beside it: the new one is added, the old one kept.
    uvtool()
        .args(["jwks", "--set", s, "--add", &a, "--add"])
        .arg(fixture_str("keys/b/jwk.json"))
        .assert()
        .code(0)
        .stderr(contains("(1 added, 0 removed); kids: fixture-a, fixture-b"));
}

#[test]
fn a_different_key_under_a_kid_of_the_set_is_still_refused() {
    let d = TempDir::new().unwrap();
    let set = set_in(d.path());
    let s = set.to_str().unwrap();
    let before = fs::read(&set).unwrap();
    // Key b under a's kid.
    let mut b: Value =
        serde_json::from_str(&fs::read_to_string(fixture_str("keys/b/jwk.json")).unwrap()).unwrap();
    b["kid"] = "fixture-a".into();
    let other = d.path().join("other.json");
    fs::File::create(&other)
        .unwrap()
        .write_all(b.to_string().as_bytes())
        .unwrap();
    let o = other.to_str().unwrap();
    uvtool()
        .args(["jwks", "--set", s, "--add", o])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!("uvtool: error: {o}: duplicate kid \"fixture-a\" (also in {s}: keys[0]); every key in a set needs its own kid\n"));
    assert_eq!(fs::read(&set).unwrap(), before);
    // Assembling a set from files that repeat a key stays an error too
    // (a list given twice is a mistake, not a re-run).
    let a = fixture_str("keys/a/jwk.json");
    uvtool()
        .args(["jwks", &a, &a])
        .assert()
        .code(2)
        .stderr(format!("uvtool: error: {a}: duplicate kid \"fixture-a\" (also in {a}); every key in a set needs its own kid\n"));
}
