//! The hint table (src/cli/hints.rs, values.rs, cmd/mint.rs): the habits of
//! openssl, jwt-cli, step and the official Java tool, each refused (or
//! warned about) with the uvtool way, its exit code and its message; and
//! the one error prefix, `uvtool: error:`, for clap's usage errors and
//! uvtool's own.

use std::path::Path;

use crate::common::{fixture_str, uvtool};

use crate::common::clock::NOW_ARG;
use crate::common::token::{jwks_a_path, key_a, mint_a_run, segment};

/// (exit code, stdout, stderr) of `uvtool args` run in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = uvtool().current_dir(dir).args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn run(args: &[&str]) -> (i32, String, String) {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// `mint` with the fixture key, a sub, an iss and a fixed clock, plus `extra`.
fn mint(extra: &[&str]) -> (i32, String, String) {
    mint_a_run("i", extra)
}

/// The whole stderr of a clap usage error with a tip.
fn usage_error(what: &str, tip: &str, usage: &str) -> String {
    format!(
        "uvtool: error: {what}\n\n  tip: {tip}\n\nUsage: {usage}\n\nFor more information, try '--help'.\n"
    )
}

// ------------------------------------------------ openssl's single-dash words

#[test]
fn single_dash_out_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let tip =
        "use '--out-dir': uvtool's long flags take two dashes (with one dash it is read as -o ut)";
    // A file name after it: --out-dir k.pem would make a folder k.pem/ of
    // five files, so the tip says so too (and `keygen --out k.pem` is
    // refused the same way).
    let file = "--out-dir k.pem: k.pem looks like a file name, but keygen writes a folder of five files (private.pem, public.pem, cert.pem, jwk.json, jwks.json): give a folder, e.g. --out-dir keys (keys/private.pem is then the private key)";
    for (args, tip) in [
        (
            &["keygen", "-out", "k.pem"][..],
            format!("{tip}\n  tip: {file}"),
        ),
        (&["keygen", "-out", "keys"][..], tip.to_string()),
        (&["keygen", "-out"][..], tip.to_string()),
        (&["keygen", "--bits", "2048", "-out"][..], tip.to_string()),
        // A global flag's value before the command is not the command.
        (
            &["--color", "never", "keygen", "-out", "k.pem"][..],
            format!("{tip}\n  tip: {file}"),
        ),
        (
            &["--color=never", "keygen", "-out", "keys"][..],
            tip.to_string(),
        ),
    ] {
        let (code, out, err) = run_in(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "");
        assert_eq!(
            err,
            usage_error(
                "unexpected argument '-out' found",
                &tip,
                "uvtool keygen [OPTIONS]"
            ),
            "{args:?}"
        );
    }
    for args in [
        &["keygen", "--out", "k.pem"][..],
        &["keygen", "-o", "key.pem"][..],
    ] {
        let (code, out, err) = run_in(dir.path(), args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
        let name = args[2];
        assert_eq!(
            err,
            format!("uvtool: error: invalid value '{name}' for '--out-dir <DIR>': {}\n\nFor more information, try '--help'.\n", file.strip_prefix("--out-dir k.pem: ").unwrap().replace("k.pem", name)),
            "{args:?}"
        );
    }
    // Clap would have read `-out` as `-o ut`: no ./ut/ appeared.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn single_dash_words_get_the_flag() {
    let key = key_a();
    let jwks = jwks_a_path();
    let cases: &[(&[&str], &str, &str, &str)] = &[
        (
            &["cert", "--key", &key, "-days", "30"],
            "-days",
            "use '--days': uvtool's long flags take two dashes",
            "uvtool cert [OPTIONS] --key <FILE>",
        ),
        (
            &["cert", "--key", &key, "-out", "cert.pem"],
            "-out",
            "use '--out': uvtool's long flags take two dashes (with one dash it is read as -o ut)",
            "uvtool cert [OPTIONS] --key <FILE>",
        ),
        (
            &["keygen", "-subj", "/CN=x"],
            "-subj",
            "use '--subject': the certificate's subject, e.g. \"CN=Acme chat test\" (see `uvtool keygen --help`); uvtool's long flags take two dashes",
            "uvtool keygen [OPTIONS]",
        ),
        (
            &["cert", "-in", &key],
            "-in",
            "use '--key': the private key file (PEM, DER or a JWK) (see `uvtool cert --help`); uvtool's long flags take two dashes",
            "uvtool cert [OPTIONS] --key <FILE>",
        ),
        (
            &["verify", "--jwks", &jwks, "-in", "token.jwt"],
            "-in",
            "give the token (or a file of tokens, or - for stdin) as the argument: `uvtool verify --jwks jwks.json TOKEN`",
            "uvtool verify [OPTIONS] [TOKEN]...",
        ),
        (
            // -x509's tip is -new's: said once.
            &["keygen", "-new", "-x509", "-nodes"],
            "-new",
            "uvtool keygen makes the key pair, the self-signed certificate (sha256WithRSAEncryption), the JWK and the JWKS in one go (`uvtool keygen --out-dir keys`); uvtool cert makes a certificate for an existing key\n  tip: -nodes: uvtool never encrypts a private key: private.pem is written unencrypted with mode 0600 (keep it secret)",
            "uvtool keygen [OPTIONS]",
        ),
        (
            &["mint", "--key", &key, "-kid", "k1"],
            "-kid",
            "use '--kid': uvtool's long flags take two dashes",
            "uvtool mint [OPTIONS] --key <FILE>",
        ),
    ];
    for (args, word, tip, usage) in cases {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "");
        assert_eq!(
            err,
            usage_error(&format!("unexpected argument '{word}' found"), tip, usage),
            "{args:?}"
        );
    }
}

#[test]
fn an_openssl_line_gets_a_tip_for_each_word() {
    // The first word's tips as when it is alone, then one line per
    // further word, named, without the two-dashes reminder.
    let key = key_a();
    let (code, out, err) = run(&[
        "cert", "-x509", "-key", &key, "-days", "365", "-subj", "/CN=x", "-out", "c.pem",
    ]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert_eq!(
        err,
        usage_error(
            "unexpected argument '-x509' found",
            "uvtool keygen makes the key pair, the self-signed certificate (sha256WithRSAEncryption), the JWK and the JWKS in one go (`uvtool keygen --out-dir keys`); uvtool cert makes a certificate for an existing key\n  \
             tip: -key: use '--key'\n  \
             tip: -days: use '--days'\n  \
             tip: -subj: use '--subject': the certificate's subject, e.g. \"CN=Acme chat test\" (see `uvtool cert --help`)\n  \
             tip: -out: use '--out' (with one dash it is read as -o ut)",
            "uvtool cert [OPTIONS] --key <FILE>",
        )
    );
    // Words of a flag typed after a global flag's value are found too.
    let (code, _, err) = run(&[
        "--color", "never", "mint", "--key", &key, "-sub", "u", "-iss", "i",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        usage_error(
            "unexpected argument '-sub' found",
            "use '--sub': uvtool's long flags take two dashes\n  tip: -iss: use '--iss'",
            "uvtool mint [OPTIONS] --key <FILE>",
        )
    );
}

#[test]
fn a_value_that_looks_like_a_single_dash_word_is_a_value() {
    // `--sub -out`: the value of --sub, not openssl's -out.
    let key = key_a();
    let (code, out, err) = run(&["mint", "--key", &key, "--sub", "-out", "--iss", "i"]);
    assert_eq!(code, 0, "{err}");
    let claims = decode_claims(out.trim());
    assert_eq!(claims["sub"], "-out");
    // After `--`, nothing is a flag (verify reads it as a token and says so).
    let jwks = jwks_a_path();
    let (code, _, err) = run(&["verify", "--jwks", &jwks, "--", "-out"]);
    assert_ne!(code, 0);
    assert!(!err.contains("two dashes"), "{err}");
}

// ------------------------------------------------ wrong units: --exp 600, --exp +1h

#[test]
fn exp_given_a_lifetime_gets_ttl() {
    let (code, out, err) = mint(&["--exp", "600"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "uvtool: error: --exp 600 is a point in time (1970-01-01T00:10:00Z), not a lifetime, so the token would be born expired; for a token valid 10m from iat use --ttl 600; for an expired test token add --allow-expired, or move iat back too: --iat (or --now) before --exp\n"
    );
    let (code, _, err) = mint(&["--exp", "+1h"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "uvtool: error: invalid value '+1h' for '--exp <TIME>': takes a point in time (unix seconds or RFC 3339 like 2026-01-31T12:00:00Z); for a lifetime from iat use --ttl 1h\n\nFor more information, try '--help'.\n"
    );
    // A real time in the past keeps the born-expired message.
    let (code, _, err) = mint(&["--exp", "2020-01-01T00:00:00Z"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(
            "uvtool: error: --exp 2020-01-01T00:00:00Z is not after iat (now): the token would be born expired"
        ),
        "{err}"
    );
    // The tip works.
    let (code, out, _) = mint(&["--ttl", "600"]);
    assert_eq!(code, 0);
    assert_eq!(decode_claims(out.trim())["exp"], 1_800_000_600);
}

#[test]
fn every_time_flag_has_one_range() {
    let jwks = jwks_a_path();
    for (args, flag, value) in [
        (
            vec![
                "verify",
                "--jwks",
                jwks.as_str(),
                "--now",
                "253402300800",
                "x",
            ],
            "--now <TIME>",
            "253402300800",
        ),
        (vec!["decode", "--now", "-1", "x"], "--now <TIME>", "-1"),
        (
            vec!["check", "--now", "99999999999999", "x"],
            "--now <TIME>",
            "99999999999999",
        ),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(
            err,
            format!("uvtool: error: invalid value '{value}' for '{flag}': outside the years 1970 to 9999\n\nFor more information, try '--help'.\n")
        );
    }
    for flag in ["--iat", "--nbf", "--exp"] {
        let (code, _, err) = mint(&[flag, "-5"]);
        assert_eq!(code, 2, "{flag}");
        assert_eq!(
            err,
            format!("uvtool: error: invalid value '-5' for '{flag} <TIME>': outside the years 1970 to 9999\n\nFor more information, try '--help'.\n")
        );
    }
}

// ------------------------------------------------ algorithms: HS256, rs256, PS256

#[test]
fn algorithms_the_platform_refuses_say_why() {
    let jwks = jwks_a_path();
    let all = "[possible values: RS256, RS384, RS512, PS256, PS384, PS512]";
    let platform = "the platform accepts RS256 and RS512 only (T1; source: WEB)";
    let cases: Vec<(Vec<String>, &str, String, String)> = vec![
        (
            vec!["--alg".into(), "HS256".into()],
            "HS256",
            all.into(),
            format!("HS256 is HMAC with a shared secret: {platform}, and uvtool signs with RSA keys"),
        ),
        (
            vec!["--alg".into(), "ES256".into()],
            "ES256",
            all.into(),
            format!("ES256 needs an elliptic-curve key: {platform}, and uvtool makes and reads RSA keys"),
        ),
        (
            vec!["--alg".into(), "none".into()],
            "none",
            all.into(),
            format!("an unsigned token (alg none) is always refused (T1; RFC 8725); {platform}"),
        ),
    ];
    for (extra, value, list, tip) in &cases {
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        // Worded per command: mint signs, verify verifies.
        let verifies = tip.replace("uvtool signs with", "uvtool verifies with");
        for (tip, (code, out, err)) in [
            (tip, mint(&extra)),
            (
                &verifies,
                run(&[
                    vec!["verify", "--jwks", jwks.as_str()],
                    extra.clone(),
                    vec!["x"],
                ]
                .concat()),
            ),
        ] {
            assert_eq!(code, 2, "{extra:?}");
            assert_eq!(out, "");
            assert_eq!(
                err,
                format!("uvtool: error: invalid value '{value}' for '--alg <ALG>'\n  {list}\n\n  tip: {tip}\n\nFor more information, try '--help'.\n"),
            );
            assert!(!err.contains("similar value"), "{err}");
        }
    }
    // keygen makes keys for the platform: its list is the platform's.
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run_in(dir.path(), &["keygen", "--alg", "PS256"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!("uvtool: error: invalid value 'PS256' for '--alg <ALG>'\n  [possible values: RS256, RS512]\n\n  tip: PS256: {platform}\n\nFor more information, try '--help'.\n")
    );
}

#[test]
fn algorithm_names_in_any_case() {
    let (code, out, err) = mint(&["--alg", "rs512"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    assert_eq!(decode_header(out.trim())["alg"], "RS512");
    let jwks = jwks_a_path();
    let (code, _, err) = mint(&["--alg", "rs256"]);
    assert_eq!(code, 0, "{err}");
    let (_, tok, _) = mint(&[]);
    let (code, _, err) = run(&[
        "verify",
        "--jwks",
        &jwks,
        "--now",
        NOW_ARG,
        "--iss",
        "i",
        "--alg",
        "rs256,Rs512",
        tok.trim(),
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn the_official_tools_lowercase_alg_signs_and_its_native_command_runs() {
    let key = key_a();
    let (code, out, err) = run(&[
        "--generateJwt",
        "-kid",
        "k1",
        "-issuer",
        "i",
        "-subject",
        "s",
        "-expiry",
        "600",
        "-alg",
        "rs512",
        "-privateKeyFile",
        &key,
    ]);
    assert_eq!(code, 0, "{err}");
    let token = out
        .lines()
        .find_map(|l| l.strip_prefix("JWT : "))
        .expect("a JWT line");
    assert_eq!(decode_header(token)["alg"], "RS512");
    // The native command it names spells the alg as uvtool does.
    let (code, out, _) = run(&[
        "--generateJwt",
        "-kid",
        "k1",
        "-issuer",
        "i",
        "-subject",
        "s",
        "-expiry",
        "600",
        "-alg",
        "rs512",
        "-privateKeyFile",
        &key,
        "-help",
    ]);
    assert_eq!(code, 0);
    let native = out
        .lines()
        .find_map(|l| l.strip_prefix("The native command for this: "))
        .expect("the native command");
    assert_eq!(
        native,
        format!("uvtool mint --key {key} --kid k1 --iss i --sub s --ttl 600 --alg RS512")
    );
    let words: Vec<&str> = native.split(' ').skip(1).collect();
    let (code, _, err) = run(&words);
    assert_eq!(code, 0, "{native}: {err}");
}

#[test]
fn mint_warns_of_what_verify_refuses_by_default() {
    let warning = "uvtool: warning: --alg PS256: the platform accepts RS256 and RS512 only (T1; source: WEB), so `uvtool verify` refuses this token unless --profile rfc; use --alg RS256 or RS512 for the platform\n";
    let (code, tok, err) = mint(&["--alg", "PS256"]);
    assert_eq!(code, 0);
    assert_eq!(err, warning);
    let (_, _, err) = mint(&["--alg", "RS384"]);
    assert_eq!(err, warning.replace("PS256", "RS384"));
    // No warning for what the platform takes.
    for alg in ["RS256", "RS512"] {
        let (code, _, err) = mint(&["--alg", alg]);
        assert_eq!((code, err.as_str()), (0, ""), "{alg}");
    }
    // The warning is right: verify refuses the token by default (T1) and
    // takes it under --profile rfc (with a key that names no alg: the
    // set's JWK says RS256, T10).
    let public = fixture_str("keys/a/public.pem");
    let verify = |profile: &str| {
        run(&[
            "verify",
            "--key",
            &public,
            "--now",
            NOW_ARG,
            "--iss",
            "i",
            "--profile",
            profile,
            tok.trim(),
        ])
    };
    let (code, out, _) = verify("platform");
    assert_eq!(code, 1);
    assert!(out.contains("(T1)"), "{out}");
    assert_eq!(verify("rfc").0, 0);
    // The alg of a JWK key file is warned about the same way.
    let dir = tempfile::tempdir().unwrap();
    let jwk = dir.path().join("ps.json");
    let (code, _, err) = run(&[
        "jwk",
        "--key",
        &key_a(),
        "--private",
        "--alg",
        "PS256",
        "-o",
        jwk.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&[
        "mint",
        "--key",
        jwk.to_str().unwrap(),
        "--sub",
        "u",
        "--iss",
        "i",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        err,
        "uvtool: warning: alg PS256 (the JWK's): the platform accepts RS256 and RS512 only (T1; source: WEB), so `uvtool verify` refuses this token unless --profile rfc; use --alg RS256 or RS512 for the platform\n"
    );
}

// ------------------------------------------------ jwt-cli, step and openssl spellings

#[test]
fn other_tools_flags_and_verbs_point_at_uvtools() {
    let key = key_a();
    let cases: &[(&[&str], &str, &str, &str)] = &[
        // jwt-cli: encode -A RS256 -P role=x
        (
            &["mint", "--key", &key, "-A", "RS256"],
            "unexpected argument '-A' found",
            "use '--alg': the algorithm, e.g. --alg RS256 (see `uvtool mint --help`)",
            "uvtool mint [OPTIONS] --key <FILE>",
        ),
        (
            &["mint", "--key", &key, "-P", "role=x"],
            "unexpected argument '-P' found",
            "use '--claim': one extra claim NAME=VALUE (repeatable) (see `uvtool mint --help`)",
            "uvtool mint [OPTIONS] --key <FILE>",
        ),
        // step crypto keypair --kty RSA --no-password --insecure
        (
            &["keygen", "--kty", "RSA"],
            "unexpected argument '--kty' found",
            "uvtool makes RSA keys only (what the platform takes, K2; source: WEB); choose the size with --bits",
            "uvtool keygen [OPTIONS]",
        ),
        (
            &["keygen", "--no-password"],
            "unexpected argument '--no-password' found",
            "uvtool never encrypts a private key: private.pem is written unencrypted with mode 0600 (keep it secret)",
            "uvtool keygen [OPTIONS]",
        ),
        (
            &["crypto", "jwt", "sign"],
            "unrecognized subcommand 'crypto'",
            "step's `crypto jwt sign` is `uvtool mint`, `crypto jwt verify` is `uvtool verify`, `crypto jwt inspect` is `uvtool decode`, `crypto jwk create` and `crypto keypair` are `uvtool keygen`",
            "uvtool [OPTIONS] <COMMAND>",
        ),
        // openssl genpkey / rsa
        (
            &["genpkey"],
            "unrecognized subcommand 'genpkey'",
            "use 'uvtool keygen', which makes an RSA key pair, a certificate, a JWK and a JWKS",
            "uvtool [OPTIONS] <COMMAND>",
        ),
        (
            &["rsa"],
            "unrecognized subcommand 'rsa'",
            "use 'uvtool jwk', which exports a JWK from a certificate or key (and a JWK back to PEM with --to-pem)",
            "uvtool [OPTIONS] <COMMAND>",
        ),
    ];
    for (args, what, tip, usage) in cases {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "");
        assert_eq!(err, usage_error(what, tip, usage), "{args:?}");
    }
}

// ------------------------------------------------ one error prefix

#[test]
fn every_error_has_one_prefix() {
    let key = key_a();
    for args in [
        // clap's own errors
        &["mint", "--key", &key, "--no-such-flag"][..],
        &["mint"][..],
        &["no-such-command"][..],
        &["platform-key", "--auth-id", "My-Config", "--sub", "u"][..],
        // a value parser's
        &["mint", "--key", &key, "--ttl", "soon"][..],
        // uvtool's own
        &["mint", "--key", "/no/such/key.pem"][..],
        &["keygen", "--bits", "1024", "--out-dir", "/no/such/dir/x"][..],
    ] {
        let (code, _, err) = run(args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.starts_with("uvtool: error: "), "{args:?}: {err}");
        assert!(
            !err.lines().any(|l| l.starts_with("error:")),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_busy_port_gets_the_port_tip() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let jwks = jwks_a_path();
    for args in [
        vec!["serve", "--jwks", jwks.as_str(), "--port", port.as_str()],
        vec!["ui", "--port", port.as_str()],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert_eq!(out, "");
        assert!(
            err.starts_with(&format!(
                "uvtool: error: cannot listen on 127.0.0.1:{port}: "
            )),
            "{err}"
        );
        assert!(
            err.ends_with("; pick another port with --port N (0 picks a free one)\n"),
            "{err}"
        );
    }
}

// ------------------------------------------------ helpers

fn decode_header(token: &str) -> serde_json::Value {
    segment(token, 0)
}

fn decode_claims(token: &str) -> serde_json::Value {
    segment(token, 1)
}
