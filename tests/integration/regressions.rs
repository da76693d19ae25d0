//! Regressions: defects found once, each pinned where it was (issue 20,
//! "trust at the edges"): a closed stream never changes an exit
//! code nor kills a server, a judge never calls an unchecked signature
//! valid, no token can add a line to text output, and a registered key's
//! token is judged by token rules, not by the upload form's.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use predicates::prelude::*;
use predicates::str::{contains, starts_with};
use serde_json::{json, Value};
use uvtool::b64;

use crate::common::token::{self, key_a};
use crate::common::{fixture_str, uvtool, wait_within, BOUND};

use crate::common::clock::NOW;

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("uvtool")
}

/// A token signed by fixture key A for `sub`, valid at [`NOW`].
fn token_for(sub: &str) -> String {
    let now = NOW.to_string();
    let key = key_a();
    token::mint(&[
        "--key",
        &key,
        "--kid",
        "fixture-a",
        "--iss",
        "https://acme.example",
        "--now",
        &now,
        "--ttl",
        "10m",
        "--sub",
        sub,
    ])
}

/// The token with `claims` changed after signing (its signature no longer
/// matches).
fn tampered(t: &str, edit: impl Fn(&mut Value)) -> String {
    let parts: Vec<&str> = t.split('.').collect();
    let mut claims: Value = serde_json::from_slice(&b64::url_decode(parts[1]).unwrap()).unwrap();
    edit(&mut claims);
    format!(
        "{}.{}.{}",
        parts[0],
        b64::url_encode(claims.to_string().as_bytes()),
        parts[2]
    )
}

/// Run `uvtool ARGS` with stderr a pipe whose reader has already gone
/// (a CI step that closed its log) and stdout to /dev/null; the exit code.
fn code_with_stderr_gone(dir: &Path, args: &[&str]) -> i32 {
    code_with_gone(Gone::Stderr, dir, args, None)
}

/// Which of the child's output streams is a pipe whose reader is gone (the
/// other goes to /dev/null).
enum Gone {
    Stdout,
    Stderr,
}

/// Run `uvtool ARGS` in `dir` with the `gone` stream closed at the far end
/// and stdin from `stdin` (or empty); the exit code.
fn code_with_gone(gone: Gone, dir: &Path, args: &[&str], stdin: Option<&Path>) -> i32 {
    let (reader, writer) = std::io::pipe().unwrap();
    // Gone before uvtool starts, for certain (no shell sleeping first).
    drop(reader);
    let input = match stdin {
        Some(f) => Stdio::from(std::fs::File::open(f).unwrap()),
        None => Stdio::null(),
    };
    let (stdout, stderr) = match gone {
        Gone::Stdout => (Stdio::from(writer), Stdio::null()),
        Gone::Stderr => (Stdio::null(), Stdio::from(writer)),
    };
    let mut child = Command::new(bin())
        .current_dir(dir)
        .args(args)
        .stdin(input)
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap();
    let status =
        wait_within(&mut child, BOUND, &format!("{args:?}")).unwrap_or_else(|e| panic!("{e}"));
    status
        .code()
        .unwrap_or_else(|| panic!("no exit code from {args:?}: {status:?}"))
}

#[test]
fn a_closed_stderr_changes_no_exit_code() {
    let d = tempfile::tempdir().unwrap();
    let now = NOW.to_string();
    let good = token_for("alice");
    let bad = tampered(&good, |c| c["sub"] = json!("admin"));
    let jwks = fixture_str("keys/a/jwks.json");
    let key = fixture_str("keys/a/private.pem");
    std::fs::copy(fixture_str("keys/b/jwk.json"), d.path().join("b.jwk")).unwrap();
    std::fs::copy(&jwks, d.path().join("set.json")).unwrap();
    let cases: Vec<(Vec<&str>, i32)> = vec![
        (vec!["keygen", "--out-dir", "k"], 0),
        (vec!["mint", "--key", &key, "--sub", "a", "--iss", "i"], 0),
        (vec!["verify", "--now", &now, "--jwks", &jwks, &good], 0),
        (vec!["verify", "--now", &now, "--jwks", &jwks, &bad], 1),
        (vec!["decode", &good], 0),
        (vec!["jwks", "--set", "set.json", "--add", "b.jwk"], 0),
        (vec!["verify", "--jwks", "missing.json", &good], 2),
        (vec!["check", "--now", &now, &jwks], 0),
    ];
    for (args, want) in cases {
        assert_eq!(code_with_stderr_gone(d.path(), &args), want, "{args:?}");
    }
    // The JWKS edit happened and is whole.
    let set: Value =
        serde_json::from_slice(&std::fs::read(d.path().join("set.json")).unwrap()).unwrap();
    assert_eq!(set["keys"].as_array().unwrap().len(), 2);
}

#[test]
fn serve_works_with_stdin_and_stderr_closed() {
    // With fd 2 closed at start, the listening socket must not become fd 2
    // (the first log line would then go to a client, or panic).
    let mut child = Command::new("bash")
        .arg("-c")
        .arg(r#"exec "$@" 0<&- 2>&-"#)
        .arg("_")
        .arg(bin())
        .args([
            "serve",
            "--port",
            "0",
            "--jwks",
            &fixture_str("keys/a/jwks.json"),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_string();
    let hostport = url
        .strip_prefix("http://")
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("no URL on stdout: {line:?}"))
        .to_string();
    for _ in 0..3 {
        let mut s = std::net::TcpStream::connect(&hostport).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(b"GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).unwrap();
        assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
        assert!(resp.contains("\"keys\""), "{resp}");
    }
    assert_eq!(child.try_wait().unwrap(), None, "serve died");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn check_never_calls_an_unchecked_signature_valid() {
    let d = tempfile::tempdir().unwrap();
    let ec = d.path().join("ec.json");
    std::fs::write(
        &ec,
        json!({"keys": [{"kty": "EC", "crv": "P-256", "kid": "fixture-a",
            "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]})
        .to_string(),
    )
    .unwrap();
    let forged = tampered(&token_for("alice"), |c| c["sub"] = json!("admin"));
    let t = d.path().join("forged.jwt");
    std::fs::write(&t, &forged).unwrap();
    let now = NOW.to_string();
    for profile in ["platform", "rfc"] {
        uvtool()
            .args(["check", "--now", &now, "--profile", profile])
            .arg(&t)
            .arg(&ec)
            .assert()
            .code(1)
            .stdout(contains("verdict (").and(contains("): invalid under the")))
            .stdout(contains("): valid").not());
        uvtool()
            .args(["verify", "--now", &now, "--profile", profile, "--jwks"])
            .arg(&ec)
            .arg(&forged)
            .assert()
            .code(1)
            .stdout(starts_with("invalid: "));
    }
    // A token alone: the verdict line says the signature was not checked.
    uvtool()
        .args(["check", "--now", &now])
        .arg(&t)
        .assert()
        .stdout(contains("not judged: no key was given"))
        .stdout(contains("): valid").not());
}

#[test]
fn no_token_adds_a_line_to_text_output() {
    let evil = [
        "x\nvalid sub=admin platform_key=v2/iamessage/AUTH/Cfg/uid:admin",
        "x\rvalid sub=admin",
        "x\u{2028}valid sub=admin",
        "x\u{85}valid sub=admin",
        "\u{1b}[2Kvalid sub=admin",
    ];
    let mut lines = String::new();
    for s in evil {
        lines.push_str(&token_for(s));
        lines.push('\n');
    }
    // An invalid one too: its line quotes the sub as well.
    lines.push_str(&tampered(&token_for("y\nvalid sub=admin"), |_| {}));
    lines.push_str("x\n");
    let out = uvtool()
        .args([
            "verify",
            "--now",
            &NOW.to_string(),
            "--config",
            "Cfg",
            "--jwks",
        ])
        .arg(fixture_str("keys/a/jwks.json"))
        .arg("-")
        .write_stdin(lines)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 6, "{stdout}");
    for l in stdout.lines() {
        assert!(
            !l.starts_with("valid sub=admin"),
            "a forged line: {l:?} in {stdout}"
        );
        assert!(!l.contains(['\r', '\u{2028}', '\u{85}', '\u{1b}']), "{l:?}");
    }
    assert!(stdout.contains("sub=x\\nvalid sub=admin"), "{stdout}");
    // One token's full report: the sub's line break is escaped there too.
    let out = uvtool()
        .args(["verify", "--now", &NOW.to_string(), "--jwks"])
        .arg(fixture_str("keys/a/jwks.json"))
        .arg(token_for("x\u{2028}y"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(!stdout.contains('\u{2028}'), "{stdout}");
    assert!(stdout.contains("x\\u{2028}y"), "{stdout}");
    // JSON stays exact.
    let out = uvtool()
        .args(["verify", "--json", "--now", &NOW.to_string(), "--jwks"])
        .arg(fixture_str("keys/a/jwks.json"))
        .arg(token_for("x\u{2028}y"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["claims"]["sub"], "x\u{2028}y");
}

#[test]
fn the_platform_key_carries_its_hedge_in_json() {
    let out = uvtool()
        .args([
            "verify",
            "--json",
            "--config",
            "Cfg",
            "--now",
            &NOW.to_string(),
        ])
        .args(["--iss", "https://acme.example", "--jwks"])
        .arg(fixture_str("keys/a/jwks.json"))
        .arg(token_for("alice"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["platform_key"], "v2/iamessage/AUTH/Cfg/uid:alice");
    assert_eq!(v["platform_key_note"], uvtool::platform::HEDGE);
    assert!(uvtool::platform::HEDGE.contains("\"might be\""));
}

#[test]
fn the_upload_minimum_is_an_upload_rule() {
    // A key whose certificate has 5 days left: keygen warns, check (the
    // upload's preflight) says error, a token signed with it is valid with
    // a warning (K7's 10 days is why the form refuses a key; no source says
    // the platform refuses a registered key's tokens then).
    let d = tempfile::tempdir().unwrap();
    let now = NOW.to_string();
    let run = |args: &[&str]| {
        let mut c = uvtool();
        c.current_dir(d.path()).args(args);
        c
    };
    run(&["keygen", "--out-dir", "k", "--days", "5", "--kid", "short", "--now", &now])
        .assert()
        .success()
        .stderr(contains(
            // K7 worded as check words it (one policy call).
            "uvtool: warning: --days 5: the certificate expires on 2027-01-20T08:00:00Z (in 5d); keys fail to upload without at least 10 more days of validity (TS) (K7); fine for local tests, use --days 365 for a key to upload\n",
        ));
    run(&["check", "--now", &now, "k/jwk.json"])
        .assert()
        .code(1)
        .stdout(contains("error K7 "));
    let mint = |ttl: &str| {
        let out = run(&[
            "mint",
            "--key",
            "k/private.pem",
            "--kid",
            "short",
            "--sub",
            "a",
        ])
        .args(["--iss", "https://acme.example", "--now", &now, "--ttl", ttl])
        .output()
        .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    let t = mint("10m");
    run(&["verify", "--iss", "https://acme.example", "--now", &now])
        .args(["--jwks", "k/jwks.json", &t])
        .assert()
        .code(0)
        .stdout(starts_with("valid\n"))
        .stdout(contains("warning: key \"short\"").and(contains("(K7)")));
    run(&["check", "--issuer", "https://acme.example", "--now", &now])
        .args(["k/jwks.json", "-"])
        .write_stdin(t)
        .assert()
        .code(1)
        .stdout(contains(
            "verdict (<stdin>): valid under the platform profile",
        ))
        .stdout(contains("error K7 k/jwks.json"));
    // An expired certificate stays an error in a verdict (K7, TS).
    let later = (NOW + 6 * 86400).to_string();
    run(&["verify", "--iss", "https://acme.example", "--now", &later])
        .args(["--jwks", "k/jwks.json", &mint("30d")])
        .assert()
        .code(1)
        .stdout(contains("(K7)"));
}

#[test]
fn exp_at_this_second_is_worded_as_such() {
    let t = token_for("alice");
    uvtool()
        .args([
            "verify",
            "--leeway",
            "0s",
            "--now",
            &(NOW + 600).to_string(),
            "--jwks",
        ])
        .arg(fixture_str("keys/a/jwks.json"))
        .arg(&t)
        .assert()
        .code(1)
        .stdout(contains("expired: exp is this second"))
        .stdout(contains("in 0s").not());
}

#[test]
fn other_bad_keys_are_ignored_with_a_warning() {
    let d = tempfile::tempdir().unwrap();
    let a: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_str("keys/a/jwk.json")).unwrap())
            .unwrap();
    let mut other = a.clone();
    other["kid"] = json!("other");
    other["n"] = json!(format!("{}==", a["n"].as_str().unwrap()));
    let set = d.path().join("set.json");
    std::fs::write(&set, json!({"keys": [a, other]}).to_string()).unwrap();
    let t = token_for("alice");
    uvtool()
        .args([
            "verify",
            "--iss",
            "https://acme.example",
            "--now",
            &NOW.to_string(),
            "--jwks",
        ])
        .arg(&set)
        .arg(&t)
        .assert()
        .code(0)
        .stdout(contains("warning: 1 other key in ").and(contains("(E2)")));
    // check: the same verdict line, and the bad key as a lint error.
    let tf = d.path().join("t.jwt");
    std::fs::write(&tf, &t).unwrap();
    uvtool()
        .args([
            "check",
            "--issuer",
            "https://acme.example",
            "--now",
            &NOW.to_string(),
        ])
        .arg(&tf)
        .arg(&set)
        .assert()
        .code(1)
        .stdout(contains("valid under the platform profile"))
        .stdout(contains("error K4 "));
}

#[test]
fn a_set_without_a_signing_key_never_passes_a_token() {
    // Under the rfc profile a key whose "use" is not "sig" is skipped; a
    // token without a kid then had no key to try and was called valid.
    let d = tempfile::tempdir().unwrap();
    let mut a: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_str("keys/a/jwk.json")).unwrap())
            .unwrap();
    a["use"] = json!("enc");
    let set = d.path().join("enc.json");
    std::fs::write(&set, json!({"keys": [a]}).to_string()).unwrap();
    let out = uvtool()
        .args([
            "mint",
            "--key",
            &fixture_str("keys/a/private.pem"),
            "--no-kid",
        ])
        .args(["--now", &NOW.to_string(), "--sub", "a", "--iss", "i"])
        .output()
        .unwrap();
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(!t.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    let forged = tampered(t.trim(), |c| c["sub"] = json!("admin"));
    for tok in [t.trim(), forged.as_str()] {
        uvtool()
            .args([
                "verify",
                "--profile",
                "rfc",
                "--now",
                &NOW.to_string(),
                "--jwks",
            ])
            .arg(&set)
            .arg(tok)
            .assert()
            .code(1)
            .stdout(contains("holds no key for signatures").and(contains("(T2)")));
    }
}

/// Run `uvtool ARGS` with stdout a pipe whose reader has already gone.
fn code_with_stdout_gone(dir: &Path, args: &[&str], stdin: Option<&Path>) -> i32 {
    code_with_gone(Gone::Stdout, dir, args, stdin)
}

#[test]
fn a_closed_stdout_never_turns_a_verdict_into_yes() {
    let d = tempfile::tempdir().unwrap();
    let now = NOW.to_string();
    let jwks = fixture_str("keys/a/jwks.json");
    let good = token_for("alice");
    let bad = tampered(&good, |c| c["sub"] = json!("admin"));
    let tokens = d.path().join("tokens.txt");
    let mut lines = vec![good.clone(); 3000];
    lines.push(bad.clone());
    std::fs::write(&tokens, lines.join("\n")).unwrap();
    for (args, want) in [
        (vec!["verify", "--now", &now, "--jwks", &jwks, &bad], 1),
        (
            vec!["verify", "--json", "--now", &now, "--jwks", &jwks, &bad],
            1,
        ),
        (vec!["verify", "--now", &now, "--jwks", &jwks, &good], 0),
    ] {
        assert_eq!(
            code_with_stdout_gone(d.path(), &args, None),
            want,
            "{args:?}"
        );
    }
    // A batch whose reader left early still judges every token.
    assert_eq!(
        code_with_stdout_gone(
            d.path(),
            &["verify", "--now", &now, "--jwks", &jwks, "-"],
            Some(&tokens)
        ),
        1
    );
}

#[test]
fn values_never_start_a_line_in_decode_or_platform_key() {
    let out = uvtool()
        .args([
            "mint",
            "--key",
            &fixture_str("keys/a/private.pem"),
            "--iss",
            "i",
        ])
        .args([
            "--sub",
            "x\nvalid sub=admin",
            "--claim",
            "nbf=\"x\u{2028}valid\"",
        ])
        .output()
        .unwrap();
    let t = String::from_utf8(out.stdout).unwrap();
    let out = uvtool().args(["decode", t.trim()]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{2028}'), "{text}");
    assert!(text.contains("\\u{2028}"), "{text}");
    let out = uvtool()
        .args(["platform-key", "--auth-id", "Cfg", "--token", t.trim()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text, "v2/iamessage/AUTH/Cfg/uid:x\\nvalid sub=admin\n");
}

#[test]
fn a_huge_timeout_is_a_usage_error() {
    uvtool()
        .args(["verify", "--jwks-url", "https://example.invalid/jwks.json"])
        .args(["--timeout", "1e20", "t"])
        .assert()
        .code(2)
        .stderr(contains("too large"));
}

#[test]
fn ignored_keys_are_named_up_to_three_then_counted() {
    // Other keys breaking an error-level rule (here K1, no "alg") are
    // ignored for the verdict and named in one E2 warning: up to three,
    // then "and N more".
    let d = tempfile::tempdir().unwrap();
    let a: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_str("keys/a/jwk.json")).unwrap())
            .unwrap();
    let t = token_for("alice");
    for others in [1usize, 4] {
        let mut keys = vec![a.clone()];
        for i in 0..others {
            let mut o = a.clone();
            o["kid"] = json!(format!("o{i}"));
            o.as_object_mut().unwrap().remove("alg");
            keys.push(o);
        }
        let set = d.path().join(format!("set{others}.json"));
        std::fs::write(&set, json!({ "keys": keys }).to_string()).unwrap();
        let s = set.to_string_lossy();
        let named: Vec<String> = (0..others.min(3))
            .map(|i| format!("key \"o{i}\" from {s}: keys[{}]: missing required member(s) \"alg\"; the platform requires kty, kid, alg and x5c (TS: \"required properties\") (K1)", i + 1))
            .collect();
        let more = if others > 3 { "; and 1 more" } else { "" };
        let plural = if others == 1 { "" } else { "s" };
        uvtool()
            .args(["verify", "--iss", "https://acme.example", "--now", &NOW.to_string(), "--jwks"])
            .arg(&set)
            .arg(&t)
            .assert()
            .code(0)
            .stdout(contains(format!(
                "warning: {others} other key{plural} in {s} ignored (RFC 7517 §5: keys a verifier cannot use are ignored; whether the platform refuses the whole set instead is unknown): {}{more} (E2)\n",
                named.join("; ")
            )));
    }
}

#[test]
fn a_duplicate_kid_is_a_key_failure_in_json() {
    // The token's kid names two keys: K12 refuses it, and `--json` says
    // what failed with the code "key".
    let d = tempfile::tempdir().unwrap();
    let a: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_str("keys/a/jwk.json")).unwrap())
            .unwrap();
    let set = d.path().join("dup.json");
    std::fs::write(&set, json!({ "keys": [a, a] }).to_string()).unwrap();
    let out = uvtool()
        .args(["verify", "--json", "--now", &NOW.to_string(), "--jwks"])
        .arg(&set)
        .arg(token_for("alice"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&v["valid"], &v["rule"], &v["code"]),
        (&json!(false), &json!("K12"), &json!("key")),
        "{v}"
    );
}
