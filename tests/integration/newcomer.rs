//! Issue 12, the newcomer pass: the mistakes a first-time user makes, each as
//! a class. Table-driven: every text input × {BOM, CRLF, whitespace}; every
//! `--help` × terminal widths; the suggestion table; each defect with its exit
//! code and message.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{fixture_str, openssl, uvtool};

const T: Duration = Duration::from_secs(60);
const NOW: &str = "1800000000";

/// Run uvtool with a time bound; (exit code, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = uvtool().args(args).timeout(T).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

// ------------------------------------------------ principle 3: BOM, CRLF, whitespace

/// What editors and terminals add to a text file.
fn variants(text: &str) -> Vec<(&'static str, String)> {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    vec![
        ("BOM", format!("\u{feff}{text}")),
        ("CRLF", crlf.clone()),
        ("whitespace", format!("\n  \n{}\n\n  ", text.trim_end())),
        (
            "BOM+CRLF+whitespace",
            format!("\u{feff}\r\n  {}  \r\n\r\n", crlf.trim_end()),
        ),
    ]
}

#[test]
fn every_text_input_tolerates_bom_crlf_and_whitespace() {
    let d = tempfile::tempdir().unwrap();
    let a = |f: &str| fixture_str(&format!("keys/a/{f}"));
    // A private JWK, a claims file, a sub file and a token file to vary.
    let (code, pjwk, _) = run(&["jwk", "--key", &a("private.pem"), "--private"]);
    assert_eq!(code, 0);
    let pjwk_path = d.path().join("private-jwk.json");
    std::fs::write(&pjwk_path, &pjwk).unwrap();
    let (_, token, _) = run(&[
        "mint",
        "--key",
        &a("private.pem"),
        "--sub",
        "u1",
        "--iss",
        "https://example.com",
        "--now",
        NOW,
        "--kid",
        "fixture-a",
    ]);
    let token_path = d.path().join("token.jwt");
    std::fs::write(&token_path, &token).unwrap();
    let claims = d.path().join("claims.json");
    std::fs::write(&claims, "{\"role\": \"admin\",\n \"n\": 1}\n").unwrap();
    let subs = d.path().join("users.txt");
    std::fs::write(&subs, "alice\nbob\n").unwrap();
    let key = a("private.pem");

    // (source file, arguments with {} for it, stdout must equal the pristine run's)
    let table: Vec<(String, Vec<&str>, bool)> = vec![
        (
            a("private.pem"),
            vec!["cert", "--key", "{}", "--days", "2"],
            false,
        ),
        (
            s(&pjwk_path),
            vec!["cert", "--key", "{}", "--days", "2"],
            false,
        ),
        (a("cert.pem"), vec!["jwk", "--cert", "{}"], true),
        (a("public.pem"), vec!["jwk", "--key", "{}"], true),
        (
            a("private.pem"),
            vec!["jwk", "--key", "{}", "--private"],
            true,
        ),
        (a("jwk.json"), vec!["jwk", "--key", "{}", "--to-pem"], true),
        (
            s(&pjwk_path),
            vec!["jwk", "--key", "{}", "--to-pem", "--private"],
            true,
        ),
        (a("jwk.json"), vec!["jwks", "{}"], true),
        (a("jwks.json"), vec!["jwks", "{}"], true),
        (a("cert.pem"), vec!["jwks", "{}"], true),
        (a("public.pem"), vec!["jwks", "{}"], true),
        (
            a("private.pem"),
            vec![
                "mint", "--key", "{}", "--sub", "u", "--iss", "i", "--now", NOW,
            ],
            true,
        ),
        (
            s(&pjwk_path),
            vec![
                "mint", "--key", "{}", "--sub", "u", "--iss", "i", "--now", NOW,
            ],
            true,
        ),
        (
            s(&claims),
            vec![
                "mint", "--key", &key, "--claims", "{}", "--sub", "u", "--iss", "i", "--now", NOW,
            ],
            true,
        ),
        (
            s(&subs),
            vec![
                "mint",
                "--key",
                &key,
                "--sub-file",
                "{}",
                "--iss",
                "i",
                "--now",
                NOW,
            ],
            true,
        ),
        (
            a("jwks.json"),
            vec!["verify", "--jwks", "{}", "--now", NOW, &token],
            false, // the verdict names the key file
        ),
        (
            a("cert.pem"),
            vec!["verify", "--cert", "{}", "--now", NOW, &token],
            false,
        ),
        (
            a("public.pem"),
            vec!["verify", "--key", "{}", "--now", NOW, &token],
            false,
        ),
        (s(&token_path), vec!["decode", "--now", NOW, "{}"], true),
        (a("jwk.json"), vec!["check", "{}"], false),
        (a("cert.pem"), vec!["check", "{}"], false),
        (a("jwks.json"), vec!["check", "{}"], false),
    ];
    let token = token.trim().to_string();
    let _ = token;
    let mut failures = Vec::new();
    for (i, (src, args, same_stdout)) in table.iter().enumerate() {
        let subst = |f: &str| -> Vec<String> {
            args.iter()
                .map(|a| {
                    if *a == "{}" {
                        f.to_string()
                    } else {
                        a.to_string()
                    }
                })
                .collect()
        };
        let pristine: Vec<String> = subst(src);
        let argv: Vec<&str> = pristine.iter().map(String::as_str).collect();
        let (code0, out0, err0) = run(&argv);
        assert!(
            code0 == 0 || args[0] == "check",
            "pristine {argv:?}: {err0}"
        );
        let text = std::fs::read_to_string(src).unwrap();
        for (what, body) in variants(&text) {
            let f = d.path().join(format!("v{i}-{}", what.replace('+', "-")));
            std::fs::write(&f, &body).unwrap();
            let varied = subst(&s(&f));
            let argv: Vec<&str> = varied.iter().map(String::as_str).collect();
            let (code, out, err) = run(&argv);
            if code != code0 || (*same_stdout && out != out0) {
                failures.push(format!(
                    "{what} in {src} for {:?}: exit {code} (pristine {code0}): {err}",
                    &args[..2]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_bom_alone_is_an_empty_file() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("bom.pem");
    std::fs::write(&f, "\u{feff}").unwrap();
    let (code, _, err) = run(&["jwk", "--cert", &s(&f)]);
    assert_eq!(code, 2);
    assert!(err.contains("is empty"), "{err}");
}

// ------------------------------------------------ principle 4: one name, aliases

#[test]
fn one_concept_one_flag_with_aliases() {
    let jwk = fixture_str("keys/a/jwk.json");
    let key = fixture_str("keys/a/private.pem");
    let d = tempfile::tempdir().unwrap();
    // iss: --iss everywhere, --issuer an alias.
    for flag in ["--iss", "--issuer"] {
        let (code, _, err) = run(&["check", &jwk, flag, "https://example.com"]);
        assert_eq!(code, 0, "check {flag}: {err}");
        let (code, tok, err) = run(&[
            "mint",
            "--key",
            &key,
            "--kid",
            "fixture-a",
            "--sub",
            "u",
            flag,
            "https://e.x",
        ]);
        assert_eq!(code, 0, "mint {flag}: {err}");
        let (code, _, err) = run(&["verify", "--jwks", &jwk, flag, "https://e.x", tok.trim()]);
        assert_eq!(code, 0, "verify {flag}: {err}");
    }
    // sub: --sub everywhere a token's sub is meant, --subject an alias.
    for flag in ["--sub", "--subject"] {
        let (code, out, err) = run(&["platform-key", "--config", "C", flag, "u1"]);
        assert_eq!(
            (code, out.trim()),
            (0, "v2/iamessage/AUTH/C/uid:u1"),
            "{err}"
        );
        let (code, tok, _) = run(&[
            "mint",
            "--key",
            &key,
            "--kid",
            "fixture-a",
            flag,
            "u1",
            "--iss",
            "i",
        ]);
        assert_eq!(code, 0);
        let (code, _, err) = run(&["verify", "--jwks", &jwk, flag, "u1", tok.trim()]);
        assert_eq!(code, 0, "verify {flag}: {err}");
    }
    // aud / audience.
    let (code, tok, _) = run(&[
        "mint",
        "--key",
        &key,
        "--kid",
        "fixture-a",
        "--sub",
        "u",
        "--iss",
        "i",
        "--audience",
        "chat",
    ]);
    assert_eq!(code, 0);
    let (code, _, err) = run(&["verify", "--jwks", &jwk, "--audience", "chat", tok.trim()]);
    assert_eq!(code, 0, "{err}");
    // Output location: keygen takes -o / --out for its folder, like the other commands' -o.
    for (i, flag) in ["-o", "--out", "--out-dir"].iter().enumerate() {
        let dir = d.path().join(format!("k{i}"));
        let (code, _, err) = run(&["keygen", flag, &s(&dir)]);
        assert_eq!(code, 0, "keygen {flag}: {err}");
        assert!(dir.join("jwk.json").exists());
    }
}

// ------------------------------------------------ principle 5: help examples

const COMMANDS: [&str; 13] = [
    "",
    "init",
    "keygen",
    "cert",
    "jwk",
    "jwks",
    "mint",
    "verify",
    "decode",
    "platform-key",
    "check",
    "serve",
    "completions",
];

fn examples(cmd: &str, columns: &str) -> Vec<String> {
    let mut args: Vec<&str> = Vec::new();
    if !cmd.is_empty() {
        args.push(cmd);
    }
    args.push("--help");
    let out = uvtool()
        .env("COLUMNS", columns)
        .args(&args)
        .timeout(T)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    text.lines()
        .skip_while(|l| !l.starts_with("Examples:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn help_examples_are_never_wrapped_inside_a_command() {
    for cmd in COMMANDS.iter().chain(["man"].iter()) {
        let wide = examples(cmd, "200");
        assert!(!wide.is_empty(), "{cmd}: no examples");
        for line in &wide {
            assert!(
                line.chars().count() < 60,
                "{cmd}: example line longer than 59 columns: {line:?}"
            );
            // Each line is a command, or the continuation of one after a `\` or `|`.
        }
        for pair in wide.windows(2) {
            if pair[1].starts_with("      ") {
                assert!(
                    pair[0].ends_with('\\') || pair[0].ends_with('|'),
                    "{cmd}: a continuation line without a `\\` before it: {pair:?}"
                );
            }
        }
        for cols in ["60", "80", "100"] {
            assert_eq!(examples(cmd, cols), wide, "{cmd} --help at COLUMNS={cols}");
        }
    }
}

#[test]
fn completions_path_is_the_same_in_readme_and_help() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let help = examples("completions", "200").join("\n");
    for path in [
        "~/.local/share/bash-completion/completions/uvtool",
        "~/.zfunc/_uvtool",
        "~/.local/share/man/man1",
    ] {
        assert!(help.contains(path), "completions --help lacks {path}");
        assert!(readme.contains(path), "README lacks {path}");
    }
    assert!(!help.contains("/etc/bash_completion.d"));
}

// ------------------------------------------------ principle 6: the suggestion table

#[test]
fn wrong_flags_and_commands_get_the_right_tip() {
    let key = fixture_str("keys/a/private.pem");
    // (arguments, the tip must contain, it must not contain)
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["mint", "--key", &key, "--private-key", "k.pem"],
            "use '--key'",
            "--iat",
        ),
        (
            &["mint", "--key", &key, "--user", "u1"],
            "use '--sub'",
            "--issuer",
        ),
        (
            &["mint", "-privateKeyFile", "k.pem"],
            "use '--key'",
            "similar",
        ),
        (
            &["mint", "--key", &key, "--expires-in", "1h"],
            "use '--ttl'",
            "similar",
        ),
        (
            &["mint", "--key", &key, "--payload", "a=1"],
            "use '--claim'",
            "similar",
        ),
        (&["verify", "--user", "u1", "t"], "use '--sub'", "--issuer"),
        (
            &["verify", "--claim", "email", "t"],
            "use '--require'",
            "similar",
        ),
        (
            &["verify", "--jwk", "jwk.json", "t"],
            "use '--jwks'",
            "similar",
        ),
        (
            &["verify", "--jwks-uri", "https://e.x/j", "t"],
            "use '--jwks-url'",
            "similar",
        ),
        (
            &["jwk", "--jwks", "jwk.json"],
            "use '--cert'",
            "use '--jwks'",
        ),
        (
            &["cert", "--key", &key, "--sub", "CN=x"],
            "use '--subject'",
            "similar",
        ),
        (&["keygen", "--output", "keys"], "use '--out'", "similar"),
        (&["keygen", "--key-size", "4096"], "use '--bits'", "similar"),
        (
            &["mint", "--key", &key, "-o", "t.jwt"],
            "prints on stdout",
            "similar",
        ),
        (&["init", "--out-dir", "demo"], "uvtool init DIR", "similar"),
        (&["check", "--jwks", "jwks.json"], "as arguments", "similar"),
        (&["encode"], "uvtool mint", "decode"),
        (&["sign"], "uvtool mint", "similar"),
        (&["generate"], "uvtool keygen", "similar"),
        (&["validate"], "uvtool verify", "similar"),
        (&["inspect"], "uvtool decode", "similar"),
        (&["lint"], "uvtool check", "similar"),
        (&["--generateJWT"], "uvtool --generateJwt -kid", "similar"),
        (&["-generateJwt"], "uvtool --generateJwt -kid", "similar"),
        (&["--generatejwt"], "uvtool --generateJwt -kid", "similar"),
        (&["--generate-jwk"], "uvtool --generateJwk -kid", "similar"),
        (&["generateJWT"], "uvtool --generateJwt -kid", "similar"),
    ];
    for (args, want, not) in cases {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        assert!(err.contains(want), "{args:?}: wants {want:?}:\n{err}");
        assert!(!err.contains(not), "{args:?}: must not say {not:?}:\n{err}");
        assert!(err.contains("Usage: uvtool"), "{args:?}: {err}");
    }
}

#[test]
fn unknown_spellings_without_an_entry_keep_clap_suggestions() {
    let (code, _, err) = run(&["mint", "--subb", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("'--sub'"), "{err}");
}

// ------------------------------------------------ principle 6: messages with the fix

#[test]
fn mint_time_mistakes_say_the_fix() {
    let key = fixture_str("keys/a/private.pem");
    let cases: &[(&[&str], &[&str])] = &[
        (&["--exp", "1000"], &["born expired", "--now", "--iat"]),
        (&["--exp", "+1h"], &["--ttl 1h", "point in time"]),
        (&["--exp", "1h"], &["--ttl 1h"]),
        (&["--ttl", "-5m"], &["cannot be negative", "--now"]),
        (&["--expiry", "-300"], &["cannot be negative"]),
        (&["--ttl", "0"], &["born expired", "--now"]),
    ];
    for (extra, wants) in cases {
        let mut args = vec!["mint", "--key", key.as_str(), "--sub", "u", "--iss", "i"];
        args.extend_from_slice(extra);
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{extra:?}: {err}");
        assert!(err.starts_with("uvtool: error: "), "{extra:?}: {err}");
        assert!(!err.contains("unexpected argument"), "{extra:?}: {err}");
        for w in *wants {
            assert!(err.contains(w), "{extra:?}: wants {w:?}: {err}");
        }
    }
    // The fix it suggests works: an expired test token.
    let (code, tok, err) = run(&[
        "mint",
        "--key",
        &key,
        "--sub",
        "u",
        "--iss",
        "i",
        "--now",
        "2020-01-01T00:00:00Z",
        "--ttl",
        "5m",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(&["verify", "--key", &key, "--json", tok.trim()]);
    assert_eq!(code, 1);
    assert!(out.contains("\"code\":\"exp\""), "{out}");
}

#[test]
fn negative_numbers_say_what_is_wrong() {
    let d = tempfile::tempdir().unwrap();
    let key = fixture_str("keys/a/private.pem");
    let cases: &[(&[&str], &str)] = &[
        (
            &["keygen", "--out-dir", "x", "--days", "-1"],
            "--days -1: a certificate is valid",
        ),
        (
            &["cert", "--key", &key, "--days", "-1"],
            "--days -1: a certificate is valid",
        ),
        (
            &["cert", "--key", &key, "--days", "0"],
            "--days 0: a certificate is valid",
        ),
        (
            &["keygen", "--out-dir", "x", "--bits", "-2048"],
            "not a key size",
        ),
        (
            &["verify", "--key", &key, "--leeway", "-5s", "t"],
            "negative",
        ),
    ];
    for (args, want) in cases {
        let (code, _, err) = uvtool()
            .current_dir(d.path())
            .args(*args)
            .timeout(T)
            .output()
            .map(|o| {
                (
                    o.status.code().unwrap(),
                    (),
                    String::from_utf8_lossy(&o.stderr).into_owned(),
                )
            })
            .unwrap();
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: wants {want:?}: {err}");
        assert!(!err.contains("unexpected argument"), "{args:?}: {err}");
    }
    assert!(!d.path().join("x").exists(), "nothing written");
}

#[test]
fn mint_refusals_and_warnings() {
    let key = fixture_str("keys/a/private.pem");
    let (code, out, err) = run(&[
        "mint", "--key", &key, "--sub", "u", "--iss", "i", "--kid", "",
    ]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("--kid is empty") && err.contains("--no-kid"),
        "{err}"
    );

    let (code, _, err) = run(&["mint", "--key", &key, "--sub", "u", "--format", "jsonl"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--format applies to a batch: add --sub-file"),
        "{err}"
    );

    let (code, out, err) = run(&["mint", "--key", &key, "--sub", "u"]);
    assert_eq!(code, 0);
    assert!(!out.is_empty());
    assert!(
        err.contains("warning: no --iss") && err.contains("T4"),
        "{err}"
    );
    let (code, _, err) = run(&["mint", "--key", &key, "--sub", "u", "--iss", "i"]);
    assert_eq!(code, 0);
    assert!(!err.contains("--iss"), "{err}");
    let (code, _, err) = run(&["mint", "--key", &key, "--sub", "u", "--claim", "iss=i"]);
    assert_eq!(code, 0);
    assert!(!err.contains("no --iss"), "iss given by --claim: {err}");
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
    let key = fixture_str("keys/a/private.pem");
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
            NOW,
        ][..],
        &["--aud", "a", "--aud", "b", "--claim", "role=x"][..],
    ] {
        let base = ["mint", "--key", key.as_str(), "--now", NOW];
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

#[test]
fn rs512_from_a_private_jwk_verifies() {
    // The README / mint --help example, end to end.
    let d = tempfile::tempdir().unwrap();
    let a = |f: &str| fixture_str(&format!("keys/a/{f}"));
    let pj = s(&d.path().join("private-jwk.json"));
    let (code, _, err) = run(&[
        "jwk",
        "--key",
        &a("private.pem"),
        "--private",
        "--alg",
        "RS512",
        "-o",
        &pj,
    ]);
    assert_eq!(code, 0, "{err}");
    let jwk512 = s(&d.path().join("jwk512.json"));
    let (code, _, _) = run(&[
        "jwk",
        "--cert",
        &a("cert.pem"),
        "--alg",
        "RS512",
        "-o",
        &jwk512,
    ]);
    assert_eq!(code, 0);
    let (code, tok, err) = run(&[
        "mint",
        "--key",
        &pj,
        "--sub",
        "user-123",
        "--iss",
        "https://example.com",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("differs"), "{err}");
    let (code, out, err) = run(&["verify", "--jwks", &jwk512, "--json", tok.trim()]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("\"alg\":\"RS512\""), "{out}");
}

#[test]
fn jwk_and_cert_take_a_private_jwk_and_jwk_exports_pem() {
    let d = tempfile::tempdir().unwrap();
    let a = |f: &str| fixture_str(&format!("keys/a/{f}"));
    let pj = s(&d.path().join("private-jwk.json"));
    assert_eq!(
        run(&["jwk", "--key", &a("private.pem"), "--private", "-o", &pj]).0,
        0
    );

    // jwk --key private-jwk.json: the public JWK, no hint about --jwks.
    let (code, from_jwk, err) = run(&["jwk", "--key", &pj]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("--jwks"), "{err}");
    let (_, from_pem, _) = run(&["jwk", "--key", &a("private.pem")]);
    assert_eq!(from_jwk, from_pem);
    // With the certificate it becomes the JWK keygen made.
    let (code, full, _) = run(&[
        "jwk",
        "--key",
        &pj,
        "--cert",
        &a("cert.pem"),
        "--kid",
        "fixture-a",
    ]);
    assert_eq!(code, 0);
    assert_eq!(full, std::fs::read_to_string(a("jwk.json")).unwrap());

    // To PEM: public from any JWK, private only with --private and a private JWK.
    let (code, public, _) = run(&["jwk", "--key", &a("jwk.json"), "--to-pem"]);
    assert_eq!(code, 0);
    assert_eq!(public, std::fs::read_to_string(a("public.pem")).unwrap());
    let out = d.path().join("key.pem");
    let (code, _, err) = run(&["jwk", "--key", &pj, "--to-pem", "--private", "-o", &s(&out)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string(a("private.pem")).unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let (code, _, err) = run(&["jwk", "--key", &a("jwk.json"), "--to-pem", "--private"]);
    assert_eq!(code, 2);
    assert!(err.contains("is a public JWK"), "{err}");
    let (code, _, err) = run(&["jwk", "--key", &a("jwks.json")]);
    assert_eq!(code, 2);
    assert!(
        err.contains("is a JWKS") && err.contains("single JWK"),
        "{err}"
    );

    // cert --key private-jwk.json makes a certificate for that key.
    let c = d.path().join("c.pem");
    let (code, _, err) = run(&["cert", "--key", &pj, "-o", &s(&c)]);
    assert_eq!(code, 0, "{err}");
    let (ok, modulus, _) = openssl(&["x509", "-noout", "-modulus", "-in", &s(&c)]);
    assert!(ok);
    let (_, want, _) = openssl(&["x509", "-noout", "-modulus", "-in", &a("cert.pem")]);
    assert_eq!(modulus, want);
    let (code, _, err) = run(&["cert", "--key", &a("jwk.json")]);
    assert_eq!(code, 2);
    assert!(err.contains("is a public JWK"), "{err}");
}

#[test]
fn subject_with_escaped_or_quoted_commas() {
    let key = fixture_str("keys/a/private.pem");
    for subject in [r"CN=Acme\, Inc,O=Acme", r#"CN="Acme, Inc",O=Acme"#] {
        let (code, pem, err) = run(&["cert", "--key", &key, "--subject", subject]);
        assert_eq!(code, 0, "{subject}: {err}");
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("c.pem");
        std::fs::write(&f, pem).unwrap();
        let (ok, out, _) = openssl(&[
            "x509",
            "-noout",
            "-subject",
            "-nameopt",
            "RFC2253",
            "-in",
            &s(&f),
        ]);
        assert!(ok);
        assert!(out.contains(r"CN=Acme\, Inc"), "{subject}: {out}");
    }
}

#[test]
fn keygen_and_init_both_create_parent_folders() {
    let d = tempfile::tempdir().unwrap();
    let deep = d.path().join("a/b/c");
    let (code, _, err) = run(&["keygen", "--out-dir", &s(&deep)]);
    assert_eq!(code, 0, "{err}");
    assert!(deep.join("private.pem").exists());
    let deep2 = d.path().join("x/y/z");
    let (code, _, err) = run(&["init", &s(&deep2)]);
    assert_eq!(code, 0, "{err}");
    assert!(deep2.join("NEXT-STEPS.md").exists());
    let (_, help, _) = run(&["keygen", "--help"]);
    assert!(
        help.contains("created, with its parents, if missing"),
        "{help}"
    );
}

// ------------------------------------------------ man pages

#[test]
fn man_pages() {
    let (code, page, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(
        page.starts_with(".ie") || page.contains(".TH uvtool 1"),
        "{page}"
    );
    assert!(page.contains("keygen"));
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("share/man/man1");
    let (code, _, err) = run(&["man", &s(&dir)]);
    assert_eq!(code, 0, "{err}");
    for name in [
        "uvtool.1",
        "uvtool-mint.1",
        "uvtool-verify.1",
        "uvtool-keygen.1",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        assert!(text.contains(".TH"), "{name}");
    }
    let mint = std::fs::read_to_string(dir.join("uvtool-mint.1")).unwrap();
    assert!(mint.contains("sub\\-file"), "the flags are there");
    let (code, _, err) = run(&["man", &s(&dir)]);
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(run(&["man", &s(&dir), "--force"]).0, 0);
}

// ------------------------------------------------ pre-commit hook

fn pre_commit() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/pre-commit");
    if p.exists() {
        return Some(p);
    }
    if std::env::var("UVTOOL_REQUIRE_INTEROP").as_deref() == Ok("1") {
        panic!("pre-commit not installed in .venv; run scripts/setup-python.sh");
    }
    eprintln!("skipping: no .venv/bin/pre-commit (run scripts/setup-python.sh)");
    None
}

#[test]
fn pre_commit_hook_checks_keys() {
    let Some(pc) = pre_commit() else { return };
    let d = tempfile::tempdir().unwrap();
    let repo = d.path().join("keys-repo");
    std::fs::create_dir(&repo).unwrap();
    let git = |args: &[&str]| {
        let ok = crate::common::output_within(
            std::process::Command::new("git")
                .args(args)
                .current_dir(&repo),
            crate::common::BOUND,
        )
        .status
        .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    std::fs::copy(fixture_str("keys/a/jwk.json"), repo.join("jwk.json")).unwrap();
    std::fs::copy(fixture_str("keys/a/cert.pem"), repo.join("cert.pem")).unwrap();
    // A JWK without x5c: K13, an error.
    let (_, bad, _) = run(&["jwk", "--key", &fixture_str("keys/a/public.pem")]);
    std::fs::write(repo.join("bad-jwk.json"), bad).unwrap();
    std::fs::write(repo.join("notes.txt"), "not a key\n").unwrap();
    git(&["add", "."]);

    let bin = assert_cmd::cargo::cargo_bin("uvtool");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let home = d.path().join("pre-commit-home");
    let try_repo = |files: &[&str]| {
        let mut c = assert_cmd::Command::new(&pc);
        c.current_dir(&repo)
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", &home)
            .env("PRE_COMMIT_COLOR", "never")
            .args([
                "try-repo",
                env!("CARGO_MANIFEST_DIR"),
                "uvtool-check-system",
                "--files",
            ])
            .args(files)
            .timeout(Duration::from_secs(120));
        let out = c.output().expect("pre-commit runs");
        (
            out.status.code().unwrap_or(-1),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    let (code, out) = try_repo(&["jwk.json", "cert.pem", "notes.txt"]);
    assert_eq!(code, 0, "good keys pass:\n{out}");
    assert!(out.contains("Passed"), "{out}");
    let (code, out) = try_repo(&["jwk.json", "bad-jwk.json"]);
    assert_eq!(code, 1, "a JWK without x5c fails:\n{out}");
    assert!(out.contains("K13"), "{out}");
}
