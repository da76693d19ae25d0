//! The official Java tool's command lines (`uvtool --generateJwt …`,
//! `uvtool --generateJwk …`): its output lines, its token's header and
//! claims, its JWK's members in order, its usage text on bad arguments; the
//! token verified by PyJWT and by `uvtool verify`, the JWK read by `jwks`,
//! `check` and `verify`. Also `jwk --official-shape`, rule P1 on `--auth-id`,
//! and the source labels of NEXT-STEPS.md's and the README's platform
//! statements.

use std::path::Path;
use std::time::Duration;

use crate::common::token::segment_bytes;
use crate::common::{fixture_str, openssl, python, run_python, uvtool};
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

const BANNER: &str = "Welcome to JWK and JWT generator";

/// Segment `i` of a token as text (the tool's JSON, byte for byte).
fn segment_text(token: &str, i: usize) -> String {
    String::from_utf8(segment_bytes(token, i)).expect("utf-8")
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Run the official tool's command line `VERB ARGS`, which must succeed
/// with nothing on stderr; returns its stdout.
fn official_stdout(verb: &str, args: &[&str]) -> String {
    let out = uvtool()
        .arg(verb)
        .args(args)
        .timeout(Duration::from_secs(20))
        .assert()
        .success()
        .stderr("")
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// Run the official JWT command line; returns the stdout lines.
fn generate_jwt(args: &[&str]) -> Vec<String> {
    official_stdout("--generateJwt", args)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The official JWT command line for sub `user1` from `testIssuer`:
/// `-kid KID -issuer testIssuer -subject user1 -expiry EXPIRY EXTRA
/// -privateKeyFile KEY`; returns the stdout lines.
fn generate_jwt_for(kid: &str, expiry: &str, extra: &[&str], key: &str) -> Vec<String> {
    let head = [
        "-kid",
        kid,
        "-issuer",
        "testIssuer",
        "-subject",
        "user1",
        "-expiry",
        expiry,
    ];
    generate_jwt(&[&head[..], extra, &["-privateKeyFile", key]].concat())
}

fn token_of(lines: &[String]) -> String {
    lines
        .last()
        .and_then(|l| l.strip_prefix("JWT : "))
        .expect("last line is `JWT : <token>`")
        .to_string()
}

fn jwk_line(args: &[&str]) -> String {
    let text = official_stdout("--generateJwk", args);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0], BANNER);
    assert_eq!(lines[1], "JWK generator");
    lines[2]
        .strip_prefix("JWK : ")
        .expect("JWK : line")
        .to_string()
}

fn official_jwk_a() -> String {
    jwk_line(&[
        "-kid",
        "12345",
        "-alg",
        "RS256",
        "-publicKeyFile",
        &fixture_str("keys/a/public.pem"),
        "-publicCertFile",
        &fixture_str("keys/a/cert.pem"),
    ])
}

#[test]
fn jwt_output_lines_header_and_claims() {
    let key = fixture_str("keys/a/private.pem");
    let before = now();
    let lines = generate_jwt_for("12345", "6000", &["-alg", "RS256"], &key);
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert_eq!(lines[0], BANNER);
    assert_eq!(lines[1], "JWT generator");
    assert_eq!(lines[2], format!("reading Resource path: {key}"));
    let token = token_of(&lines);
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3);
    // The tool's header: kid then alg, no typ.
    assert_eq!(segment_text(&token, 0), r#"{"kid":"12345","alg":"RS256"}"#);
    // Its claims: sub, iss, exp, iat, in that order.
    let payload = segment_text(&token, 1);
    assert!(
        payload.starts_with(r#"{"sub":"user1","iss":"testIssuer","exp":"#),
        "{payload}"
    );
    let claims: serde_json::Map<String, Value> = serde_json::from_str(&payload).unwrap();
    let keys: Vec<&str> = claims.keys().map(String::as_str).collect();
    assert_eq!(keys, ["sub", "iss", "exp", "iat"]);
    let iat = claims["iat"].as_i64().unwrap();
    assert!(iat >= before && iat <= now(), "{iat}");
    assert_eq!(claims["exp"].as_i64().unwrap() - iat, 6000);
}

#[test]
fn jwt_any_order_default_alg_and_rs512() {
    let key = fixture_str("keys/a/private.pem");
    let rest = [
        "-privateKeyFile",
        &key,
        "-expiry",
        "60",
        "-subject",
        "user1",
        "-kid",
        "k1",
        "-issuer",
        "iss",
    ];
    // Without -alg (the default), then with -alg RS512 first.
    let mut token = String::new();
    for (first, header) in [
        (&[][..], r#"{"kid":"k1","alg":"RS256"}"#),
        (&["-alg", "RS512"][..], r#"{"kid":"k1","alg":"RS512"}"#),
    ] {
        token = token_of(&generate_jwt(&[first, &rest[..]].concat()));
        assert_eq!(segment_text(&token, 0), header);
    }
    uvtool()
        .args(["verify", "--cert", &fixture_str("keys/a/cert.pem"), &token])
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
}

#[test]
fn jwt_verified_by_uvtool_verify() {
    let lines = generate_jwt_for("fixture-a", "6000", &[], &fixture_str("keys/a/private.pem"));
    let token = token_of(&lines);
    // The platform's claims are all there (sub, iss, exp, iat, kid, RS256).
    uvtool()
        .args([
            "verify",
            "--jwks",
            &fixture_str("keys/a/jwks.json"),
            "--iss",
            "testIssuer",
            "--sub",
            "user1",
            "--require",
            "iat",
            "--auth-id",
            "MyConfig",
            &token,
        ])
        .timeout(Duration::from_secs(20))
        .assert()
        .success()
        .stdout(contains("valid"))
        .stdout(contains("v2/iamessage/AUTH/MyConfig/uid:user1"));
}

#[test]
fn jwt_verified_by_pyjwt() {
    let Some(py) = python() else { return };
    let lines = generate_jwt_for(
        "12345",
        "600",
        &["-alg", "RS512"],
        &fixture_str("keys/a/private.pem"),
    );
    let token = token_of(&lines);
    let code = r#"
import sys, jwt
token, pem = sys.argv[1], open(sys.argv[2], "rb").read()
h = jwt.get_unverified_header(token)
assert h == {"kid": "12345", "alg": "RS512"}, h
c = jwt.decode(token, pem, algorithms=["RS512"], issuer="testIssuer",
               options={"require": ["exp", "iat", "sub", "iss"]})
assert c["sub"] == "user1" and c["exp"] - c["iat"] == 600, c
print("ok")
"#;
    let (ok, out, err) = run_python(&py, code, &[&token, &fixture_str("keys/a/public.pem")]);
    assert!(ok && out.trim() == "ok", "{out}{err}");
}

#[test]
fn jwk_members_in_the_tools_order() {
    let line = official_jwk_a();
    let jwk: serde_json::Map<String, Value> = serde_json::from_str(&line).unwrap();
    let names: Vec<&str> = jwk.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["kid", "alg", "use", "kty", "x5c", "y", "n", "e", "crv", "d", "k"]
    );
    for p in ["y", "crv", "d", "k"] {
        assert_eq!(jwk[p], p, "placeholder {p}");
    }
    assert_eq!(jwk["kid"], "12345");
    assert_eq!(jwk["alg"], "RS256");
    assert_eq!(jwk["use"], "sig");
    assert_eq!(jwk["kty"], "RSA");
    // n, e and x5c are the key's: the same as the stored fixture's JWK.
    let a: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_str("keys/a/jwk.json")).unwrap())
            .unwrap();
    for m in ["n", "e", "x5c"] {
        assert_eq!(jwk[m], a[m], "{m}");
    }
    // One line of compact JSON, as Jackson writes it.
    assert!(!line.contains(' ') && !line.contains('\n'));
    // The same as the stored sample of the documented shape, but for the kid.
    let sample: serde_json::Map<String, Value> = serde_json::from_str(
        &std::fs::read_to_string(fixture_str("check/official-sample.json")).unwrap(),
    )
    .unwrap();
    let mut ours = jwk.clone();
    ours.insert("kid".into(), "fixture-a".into());
    assert_eq!(
        serde_json::to_string(&ours).unwrap(),
        serde_json::to_string(&sample).unwrap()
    );
}

#[test]
fn jwk_alg_rs512_and_any_order() {
    let line = jwk_line(&[
        "-publicCertFile",
        &fixture_str("keys/a/cert.pem"),
        "-alg",
        "RS512",
        "-publicKeyFile",
        &fixture_str("keys/a/public.pem"),
        "-kid",
        "x",
    ]);
    let jwk: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(jwk["alg"], "RS512");
    assert_eq!(jwk["kid"], "x");
}

#[test]
fn jwk_key_and_certificate_must_match() {
    uvtool()
        .args([
            "--generateJwk",
            "-kid",
            "1",
            "-publicKeyFile",
            &fixture_str("keys/b/public.pem"),
            "-publicCertFile",
            &fixture_str("keys/a/cert.pem"),
        ])
        .assert()
        .code(2)
        .stdout(format!("{BANNER}\n"))
        .stderr(contains("the certificate's public key does not match"));
}

/// The official JWK (placeholders and all) is read by `check` with one K10
/// warning and no error; with the official token the cross rules pass too.
#[test]
fn official_jwk_and_token_read_by_check() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("official.json");
    std::fs::write(&f, official_jwk_a()).unwrap();
    uvtool()
        .args(["check", f.to_str().unwrap()])
        .timeout(Duration::from_secs(20))
        .assert()
        .success()
        .stdout(contains("warning K10"))
        .stdout(contains("0 errors, 1 warning"));
    let t = d.path().join("token.txt");
    let lines = generate_jwt_for("12345", "600", &[], &fixture_str("keys/a/private.pem"));
    std::fs::write(&t, token_of(&lines)).unwrap();
    uvtool()
        .args([
            "check",
            f.to_str().unwrap(),
            t.to_str().unwrap(),
            "--issuer",
            "testIssuer",
            "--auth-id",
            "MyConfig",
        ])
        .timeout(Duration::from_secs(20))
        .assert()
        .success()
        .stdout(contains("0 errors, 1 warning"))
        .stdout(contains("v2/iamessage/AUTH/MyConfig/uid:user1"));
}

/// `verify --jwks` and `jwks` read the official JWK (K10: placeholders are
/// read everywhere with a warning). On the `official` branch alone these
/// fail: there `"d":"d"` is still taken for a private member; the lead's
/// reader (issue 10/11 K10) makes them pass after the merge.
#[test]
fn official_jwk_read_by_verify_and_jwks() {
    let d = tempfile::tempdir().unwrap();
    let f = d.path().join("official.json");
    std::fs::write(&f, official_jwk_a()).unwrap();
    let lines = generate_jwt_for("12345", "600", &[], &fixture_str("keys/a/private.pem"));
    let token = token_of(&lines);
    uvtool()
        .args(["verify", "--jwks", f.to_str().unwrap(), &token])
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
    uvtool()
        .args(["jwks", f.to_str().unwrap()])
        .timeout(Duration::from_secs(20))
        .assert()
        .success()
        .stdout(contains("\"kid\": \"12345\""));
}

/// The tool's own flow: CreatingCertificates.md's two openssl commands, then
/// both command lines with the files they made.
#[test]
fn creating_certificates_flow() {
    let d = tempfile::tempdir().unwrap();
    let p = |f: &str| d.path().join(f).to_string_lossy().into_owned();
    let (ok, _, err) = openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        &p("PrivateKeyFile.key"),
        "-out",
        &p("PublicCertFile.crt"),
        "-sha256",
        "-days",
        "365",
        "-subj",
        "/CN=test",
    ]);
    assert!(ok, "{err}");
    let (ok, _, err) = openssl(&[
        "rsa",
        "-in",
        &p("PrivateKeyFile.key"),
        "-pubout",
        "-out",
        &p("PublicKeyFile.key"),
    ]);
    assert!(ok, "{err}");
    let jwk = jwk_line(&[
        "-kid",
        "12345",
        "-alg",
        "RS256",
        "-publicKeyFile",
        &p("PublicKeyFile.key"),
        "-publicCertFile",
        &p("PublicCertFile.crt"),
    ]);
    std::fs::write(d.path().join("jwk.json"), &jwk).unwrap();
    let lines = generate_jwt_for(
        "12345",
        "6000",
        &["-alg", "RS256"],
        &p("PrivateKeyFile.key"),
    );
    let token = token_of(&lines);
    uvtool()
        .args([
            "verify",
            "--cert",
            &p("PublicCertFile.crt"),
            "--iss",
            "testIssuer",
            &token,
        ])
        .timeout(Duration::from_secs(20))
        .assert()
        .success();
    // A PKCS#1 key (which the tool itself cannot read) works too.
    let (ok, _, err) = openssl(&[
        "rsa",
        "-in",
        &p("PrivateKeyFile.key"),
        "-traditional",
        "-out",
        &p("pkcs1.key"),
    ]);
    assert!(ok, "{err}");
    generate_jwt(&[
        "-kid",
        "1",
        "-issuer",
        "i",
        "-subject",
        "s",
        "-expiry",
        "60",
        "-privateKeyFile",
        &p("pkcs1.key"),
    ]);
}

fn usage_error(verb: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    uvtool()
        .arg(verb)
        .args(args)
        .timeout(Duration::from_secs(20))
        .assert()
        .code(2)
        .stdout(format!("{BANNER}\n"))
        .stderr(contains("Invalid Usage."))
        .stderr(contains("COMMAND ARGUMENTS"))
        .stderr(contains("-privateKeyFile Private key path and filename"))
        .stderr(contains("uvtool: the native command for this: "))
}

#[test]
fn missing_and_unknown_arguments_get_the_usage_text() {
    usage_error("--generateJwt", &["-kid", "12345", "-privateKeyFile", "k.pem"])
        .stderr(contains(
            "uvtool: the native command for this: uvtool mint --key k.pem --kid 12345 --iss ISSUER --sub SUBJECT --ttl SECONDS\n",
        ))
        .stderr(contains(
            "uvtool: error: --generateJwt: missing -issuer, -subject, -expiry\n",
        ));
    usage_error("--generateJwt", &[]).stderr(contains(
        "missing -kid, -issuer, -subject, -expiry, -privateKeyFile",
    ));
    usage_error("--generateJwk", &["-kid", "1", "-publicCertFile", "c.crt"])
        .stderr(contains(
            "uvtool jwk --cert c.crt --key PUBLIC_KEY_FILE --kid 1",
        ))
        .stderr(contains(
            "uvtool: error: --generateJwk: missing -publicKeyFile",
        ));
    // A typo is named, not silently ignored (the tool ignores it).
    usage_error(
        "--generateJwk",
        &["-kid", "1", "-publicKeyfile", "p", "-publicCertFile", "c"],
    )
    .stderr(contains("unknown argument \"-publicKeyfile\""));
    // The other command's argument is unknown here.
    usage_error("--generateJwk", &["-kid", "1", "-issuer", "x"])
        .stderr(contains("unknown argument \"-issuer\""));
    // A value that starts with '-' is no value, as in the tool.
    usage_error("--generateJwt", &["-kid", "-issuer", "x"])
        .stderr(contains("-kid given without a value"));
    // Help is asked for, not an error: the usage text on stdout, exit 0.
    for help in ["--help", "-h", "-help"] {
        uvtool()
            .args(["--generateJwk", "-kid", "1", help])
            .assert()
            .success()
            .stderr("")
            .stdout(contains(BANNER))
            .stdout(contains("COMMAND ARGUMENTS"))
            .stdout(contains(
                "The native command for this: uvtool jwk --cert CERT_FILE --key PUBLIC_KEY_FILE --kid 1",
            ));
    }
}

#[test]
fn bad_alg_and_expiry_are_usage_errors() {
    let full = |alg: &str, expiry: &str| {
        usage_error(
            "--generateJwt",
            &[
                "-kid",
                "1",
                "-issuer",
                "i",
                "-subject",
                "s",
                "-expiry",
                expiry,
                "-alg",
                alg,
                "-privateKeyFile",
                "k.pem",
            ],
        )
    };
    full("PS256", "60")
        .stderr(contains(
            "-alg \"PS256\": the platform accepts RS256 and RS512 only",
        ))
        .stderr(contains("WEB"))
        .stderr(contains("--alg PS256"));
    // `-alg rs256` signs with RS256 (tests/integration/cli/hint_table.rs); HS256 is refused.
    full("HS256", "60").stderr(contains("-alg \"HS256\""));
    full("RS256", "10m")
        .stderr(contains("-expiry \"10m\" is not a whole number of seconds"))
        .stderr(contains("--ttl 10m"));
    full("RS256", "2147483648").stderr(contains("not a whole number of seconds"));
}

#[test]
fn missing_key_file_is_one_error_line() {
    uvtool()
        .args([
            "--generateJwt",
            "-kid",
            "1",
            "-issuer",
            "i",
            "-subject",
            "s",
            "-expiry",
            "60",
            "-privateKeyFile",
            "no-such.key",
        ])
        .assert()
        .code(2)
        .stdout(format!("{BANNER}\n"))
        .stderr(contains("uvtool: error: no-such.key").and(contains("Invalid Usage").not()));
}

#[test]
fn only_the_exact_spellings_are_the_tools() {
    // Not the tool's spelling: clap's own error (exit 2), no banner.
    uvtool()
        .args(["--generatejwt", "-kid", "1"])
        .assert()
        .code(2)
        .stdout("");
    // The tool's command elsewhere than first is clap's too.
    uvtool()
        .args(["mint", "--generateJwt"])
        .assert()
        .code(2)
        .stdout("");
}

#[test]
fn jwk_official_shape() {
    let out = uvtool()
        .args([
            "jwk",
            "--cert",
            &fixture_str("keys/a/cert.pem"),
            "--kid",
            "12345",
            "--official-shape",
        ])
        .assert()
        .success()
        .stderr(contains("not key material"))
        .get_output()
        .stdout
        .clone();
    let pretty: serde_json::Map<String, Value> = serde_json::from_slice(&out).unwrap();
    let official: serde_json::Map<String, Value> = serde_json::from_str(&official_jwk_a()).unwrap();
    // The same object, member for member and in order, as the command line's.
    assert_eq!(
        serde_json::to_string(&pretty).unwrap(),
        serde_json::to_string(&official).unwrap()
    );
    // The alias; the kid defaults to the thumbprint as elsewhere.
    let a: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_str("keys/a/jwk.json")).unwrap())
            .unwrap();
    let thumb = {
        let out = uvtool()
            .args(["jwk", "--cert", &fixture_str("keys/a/cert.pem")])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let v: Value = serde_json::from_slice(&out).unwrap();
        v["kid"].clone()
    };
    assert_ne!(thumb, a["kid"]);
    uvtool()
        .args([
            "jwk",
            "--cert",
            &fixture_str("keys/a/cert.pem"),
            "--like-official-tool",
        ])
        .assert()
        .success()
        .stdout(contains(format!("\"kid\": {thumb}")))
        .stdout(contains("\"d\": \"d\""));
    // Needs a certificate; never with --private.
    uvtool()
        .args([
            "jwk",
            "--key",
            &fixture_str("keys/a/public.pem"),
            "--official-shape",
        ])
        .assert()
        .code(2)
        .stderr(contains("--cert"));
    uvtool()
        .args([
            "jwk",
            "--cert",
            &fixture_str("keys/a/cert.pem"),
            "--key",
            &fixture_str("keys/a/private.pem"),
            "--private",
            "--official-shape",
        ])
        .assert()
        .code(2)
        .stderr(contains("cannot be used with"));
}

// ---- P1: the configuration name's format, wherever uvtool takes one ----

#[test]
fn p1_auth_id_refused_everywhere() {
    let token = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";
    let cases: Vec<Vec<&str>> = vec![
        vec!["platform-key", "--auth-id", "My-Config", "--sub", "u"],
        vec!["platform-key", "--config", "1Config", "--sub", "u"],
        vec!["verify", "--cert", "x.pem", "--auth-id", "My Config", token],
        vec!["init", "never-made", "--auth-id", "My/Config"],
    ];
    for args in cases {
        uvtool()
            .args(&args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains("rule P1; source: meta, authIdentifier"))
            .stderr(contains("fix: give the configuration's API name"));
    }
    assert!(!Path::new("never-made").exists());
    // check reports P1 as a finding (exit 1), like every rule it can see.
    uvtool()
        .args([
            "check",
            &fixture_str("keys/a/jwk.json"),
            "--auth-id",
            "_Config",
        ])
        .assert()
        .code(1)
        .stdout(contains("error P1 "))
        .stdout(contains("begins with '_'"));
}

#[test]
fn p1_auth_id_and_config_alias_accepted() {
    for flag in ["--auth-id", "--config"] {
        uvtool()
            .args(["platform-key", flag, "My_Config_2", "--sub", "user-1"])
            .assert()
            .success()
            .stdout("v2/iamessage/AUTH/My_Config_2/uid:user-1\n");
    }
}

// ---- Sources: every platform statement carries its label ----

/// The labels of PLATFORM.md, as written in brackets.
const LABELS: [&str; 12] = [
    "seed",
    "TS",
    "SU",
    "WEB",
    "APP",
    "meta",
    "limits",
    "client",
    "tool",
    "RFC",
    "field",
    "assumption",
];

fn has_label(text: &str) -> bool {
    LABELS.iter().any(|l| {
        text.contains(&format!("[{l}"))
            || text.contains(&format!("; {l}"))
            || text.contains(&format!("{l}]"))
    }) || text.contains("an assumption")
}

/// List items of a Markdown text (a `- ` line and its continuation lines).
fn list_items(md: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur: Option<String> = None;
    for line in md.lines() {
        if let Some(rest) = line.strip_prefix("- ") {
            items.extend(cur.take());
            cur = Some(rest.to_string());
        } else if let (true, Some(c)) = (line.starts_with("  "), cur.as_mut()) {
            c.push(' ');
            c.push_str(line.trim());
        } else {
            items.extend(cur.take());
        }
    }
    items.extend(cur);
    items
}

/// Every list item of NEXT-STEPS.md from "## 1." on states something about
/// the platform (or is a uvtool command); each platform statement carries a
/// source label. The test fails when one is added without its source.
#[test]
fn next_steps_statements_carry_sources() {
    let src =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cmd/init.rs"))
            .unwrap();
    let start = src.find("## 1. Register the key").expect("section 1");
    let body = &src[start..];
    let items = list_items(body);
    assert!(items.len() >= 20, "{}", items.len());
    let exempt = ["rotate with `uvtool keygen`"];
    for item in &items {
        if exempt.iter().any(|e| item.contains(e)) {
            continue;
        }
        assert!(has_label(item), "NEXT-STEPS item without a source: {item}");
    }
    for fact in [
        "within 30",
        "Activate the key",
        "no active AuthSchemes",
        "devMode = true",
        "Cache-Control: no-store",
        "In-App SDK 1.2.0",
        "200 access-token requests",
        "might be",
        "not documented",
        "[TS]",
    ] {
        assert!(body.contains(fact), "NEXT-STEPS lacks {fact:?}");
    }
}

/// README paragraphs and list items that speak of what the platform does
/// carry a source label (or point to where the sources are).
#[test]
fn readme_platform_statements_carry_sources() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let triggers = [
        "the platform accepts",
        "the platform's",
        "upload form",
        "might be",
        "v2/iamessage/AUTH/{",
        "stays anonymous",
        "stayed anonymous",
        "silently",
    ];
    let mut blocks: Vec<String> = readme.split("\n\n").map(str::to_string).collect();
    blocks.extend(list_items(&readme));
    for b in blocks {
        if b.contains("```") || b.starts_with('|') || b.starts_with("error ") {
            continue;
        }
        let flat = b.replace('\n', " ");
        let lower = flat.to_lowercase();
        if triggers.iter().any(|t| lower.contains(t)) {
            assert!(
                has_label(&flat) || flat.contains("--list-rules"),
                "README statement without a source: {flat}"
            );
        }
    }
    assert!(readme.contains("docs/MIGRATING.md"));
    assert!(readme.contains("## Sources"));
}

/// Every `--help` text: a paragraph or option that states what the platform
/// does carries a source label.
#[test]
fn help_platform_statements_carry_sources() {
    let triggers = [
        "the platform accepts",
        "the platform needs",
        "for the upload",
        "upload form",
        "might be",
        "{auth_id_info}",
        "stays anonymous",
        "silently",
    ];
    let subcommands = [
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
    // In help text a label reads as prose: "(TS)", "source: WEB", "the
    // seed's", "field reports", "meta: authIdentifier", "SU, meta".
    let labels_in_help = |b: &str| {
        has_label(b)
            || LABELS.iter().any(|l| {
                [
                    format!("({l}"),
                    format!("source: {l}"),
                    format!("{l}'s"),
                    format!("{l} reports"),
                    format!("{l}: "),
                    format!(", {l}"),
                    format!("{l})"),
                ]
                .iter()
                .any(|p| b.contains(p.as_str()))
            })
    };
    for sub in subcommands {
        let out = uvtool()
            .args([sub, "--help"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        for block in text.split("\n\n") {
            let flat = block.split_whitespace().collect::<Vec<_>>().join(" ");
            if flat.starts_with("Examples:") || flat.starts_with("Usage:") {
                continue;
            }
            let lower = flat.to_lowercase();
            if triggers.iter().any(|t| lower.contains(t)) {
                assert!(
                    labels_in_help(&flat),
                    "`uvtool {sub} --help` states without a source: {flat}"
                );
            }
        }
    }
}

/// A certificate about to expire still gives the tool's JWK on stdout, and a
/// warning with its source on stderr (the upload would fail: TS).
#[test]
fn jwk_warns_on_a_short_lived_certificate() {
    let d = tempfile::tempdir().unwrap();
    let cert = d.path().join("short.crt");
    let (ok, _, err) = openssl(&[
        "req",
        "-x509",
        "-key",
        &fixture_str("keys/a/private.pem"),
        "-out",
        cert.to_str().unwrap(),
        "-sha256",
        "-days",
        "5",
        "-subj",
        "/CN=short",
    ]);
    assert!(ok, "{err}");
    uvtool()
        .args([
            "--generateJwk",
            "-kid",
            "1",
            "-publicKeyFile",
            &fixture_str("keys/a/public.pem"),
            "-publicCertFile",
            cert.to_str().unwrap(),
        ])
        .timeout(Duration::from_secs(20))
        .assert()
        .success()
        .stdout(contains("JWK : {\"kid\":\"1\""))
        // K7 worded as check words it (one policy call).
        .stderr(contains(
            "; keys fail to upload without at least 10 more days of validity (TS) (K7); fix: ",
        ));
}
