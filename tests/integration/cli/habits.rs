//! Habits from openssl, jwt-cli, step and the official Java tool typed
//! into uvtool (issue 23): each gets the right tip, every out-of-range value
//! names its range, and nothing is written. Every case asserts exit code 2
//! and the whole message.

use std::path::Path;

use crate::common::clock::NOW_ARG;
use crate::common::{fixture_str, uvtool, BOUND};

/// (exit code, stdout, stderr) of `uvtool args` run in `dir`.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = uvtool()
        .current_dir(dir)
        .args(args)
        .timeout(BOUND)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Each `(args, stderr)` exits 2 with exactly that stderr, prints nothing
/// on stdout and writes nothing (run in an empty folder).
fn refused(cases: &[(Vec<&str>, String)]) {
    let dir = tempfile::tempdir().unwrap();
    for (args, want) in cases {
        let (code, out, err) = run_in(dir.path(), args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(out, "", "{args:?}");
        assert_eq!(&err, want, "{args:?}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

/// The stderr of clap's usage error `what` with `tips` and `usage`.
fn usage_error(what: &str, tips: &[&str], usage: &str) -> String {
    let tips: String = tips.iter().map(|t| format!("  tip: {t}\n")).collect();
    format!(
        "uvtool: error: {what}\n\n{tips}\nUsage: {usage}\n\nFor more information, try '--help'.\n"
    )
}

/// The stderr of a value refused by its parser.
fn invalid_value(value: &str, flag: &str, why: &str) -> String {
    format!("uvtool: error: invalid value '{value}' for '{flag}': {why}\n\nFor more information, try '--help'.\n")
}

/// `mint` with the fixture key, a sub, an iss and a fixed clock, then `extra`.
fn mint_args<'a>(key: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "mint", "--key", key, "--sub", "u", "--iss", "i", "--now", NOW_ARG,
    ];
    args.extend_from_slice(extra);
    args
}

const MINT: &str = "uvtool mint [OPTIONS] --key <FILE>";
const KEYGEN: &str = "uvtool keygen [OPTIONS]";
const CERT: &str = "uvtool cert [OPTIONS] --key <FILE>";
const TWO: &str = "uvtool's long flags take two dashes";

// ------------------------------------------------ out-of-range values name the range

#[test]
fn days_that_are_no_whole_number_name_the_range() {
    let key = fixture_str("keys/a/private.pem");
    let flag = "--days <DAYS>";
    let span = "1 to 36500 (e.g. --days 365)";
    let mut cases = Vec::new();
    for cmd in [vec!["cert", "--key", key.as_str()], vec!["keygen"]] {
        for (value, why) in [
            (
                "1e20",
                format!("must be a whole number of days written in digits, {span}"),
            ),
            (
                "2.5",
                format!("must be a whole number of days written in digits, {span}"),
            ),
            (
                "\u{1f389}",
                format!("not a number: give a whole number of days, {span}"),
            ),
            (
                "99999999999999999999",
                format!("over 100 years: give a whole number of days, {span}"),
            ),
            (
                "90d",
                "takes a number of days, not a duration: 90d is --days 90".to_string(),
            ),
        ] {
            let mut args = cmd.clone();
            args.extend(["--days", value]);
            cases.push((args, invalid_value(value, flag, &why)));
        }
    }
    // The range inside i64 keeps its words (the command's check).
    cases.push((
        vec!["cert", "--key", &key, "--days", "40000"],
        "uvtool: error: --days is over 100 years; choose at most 36500\n".into(),
    ));
    refused(&cases);
}

#[test]
fn a_huge_token_time_is_out_of_range_not_relative_nor_a_lifetime() {
    let key = fixture_str("keys/a/private.pem");
    let bound = "outside the years 1970 to 9999: a token's times end at 9999-12-31T23:59:59Z (unix 253402300799; T14, verify refuses later ones)";
    let mut cases = Vec::new();
    for (flag, value) in [
        ("--nbf", "18446744073709551615"),
        ("--iat", "18446744073709551615"),
        ("--exp", "18446744073709551615"),
        ("--exp", "9223372036854775807"),
    ] {
        cases.push((
            mint_args(&key, &[flag, value]),
            invalid_value(value, &format!("{flag} <TIME>"), bound),
        ));
    }
    // Date.now() in JavaScript: milliseconds.
    cases.push((
        mint_args(&key, &["--exp", "1800000600000"]),
        invalid_value(
            "1800000600000",
            "--exp <TIME>",
            &format!("{bound}; milliseconds? as seconds it would be 2027-01-15T08:10:00Z"),
        ),
    ));
    // A clock that no time fits is out of range too, not "not a time".
    cases.push((
        vec!["decode", "--now", "18446744073709551615", "x"],
        invalid_value(
            "18446744073709551615",
            "--now <TIME>",
            "outside the years 1970 to 9999",
        ),
    ));
    // A lifetime past the bound names it.
    for value in ["99999999999999999999", "253402300800"] {
        cases.push((
            mint_args(&key, &["--ttl", value]),
            invalid_value(value, "--ttl <DURATION>", "too long: exp would pass 9999-12-31T23:59:59Z, the largest time a token may carry (T14; verify refuses it); choose a shorter --ttl"),
        ));
    }
    refused(&cases);
}

// ------------------------------------------------ openssl's single-dash words, as a class

#[test]
fn openssl_words_get_uvtools_way() {
    let key = fixture_str("keys/a/private.pem");
    let encrypt = "uvtool never encrypts a private key: private.pem is written unencrypted with mode 0600 (keep it secret)";
    let reads_none = "keygen makes a new key and reads none: for a key you have, `uvtool cert --key FILE` makes its certificate and `uvtool jwk --key FILE` its JWK";
    let forms = "uvtool tells PEM, DER and JWK apart itself (no -inform); it writes keys and certificates as PEM and JWKs as JSON (`uvtool jwk --key FILE --to-pem` turns a JWK into PEM)";
    let digest = "the digest comes with the algorithm: certificates are signed with sha256WithRSAEncryption, tokens with mint's --alg RS256 (SHA-256) or RS512 (SHA-512), the platform's two (T1; source: WEB)";
    let cases: Vec<(Vec<&str>, String, Vec<String>, &str)> = vec![
        // Clap read `-in` as `-i n` and said '-i' is unknown, with no tip.
        (vec!["keygen", "-in", "key.pem"], "-in".into(), vec![reads_none.into()], KEYGEN),
        (vec!["keygen", "-key", "key.pem"], "-key".into(), vec![reads_none.into()], KEYGEN),
        (vec!["keygen", "-signkey", "key.pem"], "-signkey".into(), vec![reads_none.into()], KEYGEN),
        (vec!["keygen", "-passin", "pass:x"], "-passin".into(), vec![reads_none.into()], KEYGEN),
        (vec!["keygen", "-inform", "PEM"], "-inform".into(), vec![forms.into()], KEYGEN),
        (
            vec!["keygen", "-outform", "DER"],
            "-outform".into(),
            vec![format!("{forms} (with one dash it is read as -o utform)")],
            KEYGEN,
        ),
        (
            vec!["keygen", "-pubout"],
            "-pubout".into(),
            vec!["keygen writes the public key as public.pem; for a key you have, `uvtool jwk --key FILE --to-pem` writes its public key as PEM".into()],
            KEYGEN,
        ),
        (vec!["keygen", "-passout", "pass:x"], "-passout".into(), vec![encrypt.into()], KEYGEN),
        (vec!["keygen", "-nodes"], "-nodes".into(), vec![encrypt.into()], KEYGEN),
        (vec!["keygen", "-aes256"], "-aes256".into(), vec![encrypt.into()], KEYGEN),
        (
            vec!["keygen", "-newkey", "rsa:2048"],
            "-newkey".into(),
            vec![
                format!("use '--bits': the new RSA key's size: 2048, 3072 or 4096 (see `uvtool keygen --help`); {TWO}"),
                "--bits rsa:2048: \"rsa:2048\" is openssl's spelling; uvtool's is --bits 2048".into(),
            ],
            KEYGEN,
        ),
        (
            vec!["keygen", "-keyout", "k.pem"],
            "-keyout".into(),
            vec!["keygen writes the new private key as private.pem in --out-dir, with public.pem, cert.pem, jwk.json and jwks.json (`uvtool keygen --out-dir keys`)".into()],
            KEYGEN,
        ),
        (vec!["keygen", "-sha256"], "-sha256".into(), vec![digest.into()], KEYGEN),
        (vec!["cert", "--key", &key, "-sha512"], "-sha512".into(), vec![digest.into()], CERT),
        (vec!["mint", "--key", &key, "-sha256"], "-sha256".into(), vec![digest.into()], MINT),
        (
            vec!["cert", "--key", &key, "-newkey", "rsa:2048"],
            "-newkey".into(),
            vec!["cert makes a certificate for the key given with --key and makes no key; `uvtool keygen --out-dir keys` makes a new key with its certificate".into()],
            CERT,
        ),
        (
            vec!["cert", "-key", &key],
            "-key".into(),
            vec![format!("use '--key': {TWO}")],
            CERT,
        ),
        (
            vec!["cert", "-signkey", &key],
            "-signkey".into(),
            vec![format!("use '--key': the private key file (PEM, DER or a JWK) (see `uvtool cert --help`); {TWO}")],
            CERT,
        ),
        (
            vec!["cert", "--key", &key, "-set_serial", "1"],
            "-set_serial".into(),
            vec!["uvtool gives every certificate a random 128-bit serial number: there is nothing to set".into()],
            CERT,
        ),
        (
            vec!["cert", "--key", &key, "-config", "openssl.cnf"],
            "-config".into(),
            vec!["uvtool needs no openssl configuration: its certificates carry a fixed set of extensions (basicConstraints CA:FALSE, keyUsage digitalSignature, a subject key identifier)".into()],
            CERT,
        ),
        (
            vec!["jwk", "--key", &key, "-passin", "pass:x"],
            "-passin".into(),
            vec!["uvtool reads unencrypted keys only: decrypt a copy first with `openssl pkey -in KEY -out key-plain.pem` (and keep it private)".into()],
            "uvtool jwk [OPTIONS]",
        ),
        (
            vec!["jwk", "--key", &key, "-pubout"],
            "-pubout".into(),
            vec![format!("use '--to-pem': write the key as PEM instead of a JWK (see `uvtool jwk --help`); {TWO}")],
            "uvtool jwk [OPTIONS]",
        ),
        (
            vec!["mint", "--key", &key, "-days", "1"],
            "-days".into(),
            vec![format!("use '--ttl 1d': a token's lifetime, in seconds or with a unit (--days is a certificate's validity, in keygen and cert); {TWO}")],
            MINT,
        ),
    ];
    let cases: Vec<(Vec<&str>, String)> = cases
        .into_iter()
        .map(|(args, word, tips, usage)| {
            let tips: Vec<&str> = tips.iter().map(String::as_str).collect();
            let err = usage_error(&format!("unexpected argument '{word}' found"), &tips, usage);
            (args, err)
        })
        .collect();
    refused(&cases);
}

#[test]
fn every_openssl_word_gets_a_tip_in_every_command() {
    // Without the class, clap read most of these as short flags (`-in` as
    // `-i n`, `-sha512` as `-s ha512`) and said '-i' is unknown, with no tip.
    let dir = tempfile::tempdir().unwrap();
    let words = [
        "in",
        "inform",
        "outform",
        "pubout",
        "pubin",
        "passout",
        "passin",
        "nodes",
        "newkey",
        "keyout",
        "x509",
        "sha256",
        "sha512",
        "key",
        "signkey",
        "out",
        "days",
        "subj",
        "text",
        "noout",
        "new",
        "req",
        "config",
        "set_serial",
        "CA",
        "CAkey",
        "rand",
        "engine",
        "algorithm",
        "pkeyopt",
        "aes256",
        "modulus",
        "addext",
        "extensions",
    ];
    let commands = [
        "keygen",
        "cert",
        "jwk",
        "jwks",
        "mint",
        "verify",
        "decode",
        "check",
        "init",
        "serve",
        "platform-key",
        "ui",
        "fixtures",
    ];
    for cmd in commands {
        for w in words {
            let word = format!("-{w}");
            let (code, out, err) = run_in(dir.path(), &[cmd, &word, "v"]);
            assert_eq!(code, 2, "{cmd} {word}: {err}");
            assert_eq!(out, "");
            assert!(
                err.starts_with(&format!(
                    "uvtool: error: unexpected argument '{word}' found\n\n  tip: "
                )),
                "{cmd} {word}: {err}"
            );
        }
    }
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn openssl_and_step_command_lines_point_at_the_right_command() {
    refused(&[
        (
            vec!["req", "-x509", "-days", "365", "-subj", "/CN=x"],
            usage_error(
                "unrecognized subcommand 'req'",
                &["use 'uvtool keygen', which makes a new key with its self-signed certificate (openssl req -x509 -newkey); `uvtool cert --key FILE` makes a certificate for a key you have"],
                "uvtool [OPTIONS] <COMMAND>",
            ),
        ),
        // openssl genrsa -out k.pem 2048, with the flag fixed: the size.
        (
            vec!["keygen", "--out", "k", "2048"],
            usage_error(
                "unexpected argument '2048' found",
                &["the key size is a flag: --bits 2048 (openssl genrsa's last argument)"],
                KEYGEN,
            ),
        ),
        (
            vec!["keygen", "--bits", "rsa:2048"],
            invalid_value(
                "rsa:2048",
                "--bits <BITS>",
                "\"rsa:2048\" is openssl's spelling; uvtool's is --bits 2048",
            ),
        ),
        // jwt-cli's and step's `jwt VERB`: the verb says which command.
        (
            vec!["jwt", "decode", "x"],
            usage_error(
                "unrecognized subcommand 'jwt'",
                &["`jwt decode` is `uvtool decode`, which shows a token's header and claims without verifying"],
                "uvtool [OPTIONS] <COMMAND>",
            ),
        ),
        (
            vec!["jwt", "verify", "x"],
            usage_error(
                "unrecognized subcommand 'jwt'",
                &["`jwt verify` is `uvtool verify`, which verifies tokens"],
                "uvtool [OPTIONS] <COMMAND>",
            ),
        ),
        (
            vec!["jwt", "encode", "-S", "@k.pem"],
            usage_error(
                "unrecognized subcommand 'jwt'",
                &["`jwt encode` is `uvtool mint`, which signs a JWT"],
                "uvtool [OPTIONS] <COMMAND>",
            ),
        ),
        // openssl pkey is the key tool, not platform-key.
        (
            vec!["pkey", "-in", "k.pem", "-pubout"],
            usage_error(
                "unrecognized subcommand 'pkey'",
                &["use 'uvtool jwk', which exports a JWK from a certificate or key (and a JWK back to PEM with --to-pem)"],
                "uvtool [OPTIONS] <COMMAND>",
            ),
        ),
        // step crypto jwk create pub.json priv.json
        (
            vec!["jwk", "create", "pub.json", "priv.json"],
            usage_error(
                "unexpected argument 'create' found",
                &["step's `crypto jwk create` is `uvtool keygen --out-dir DIR`: it writes the key pair with jwk.json and jwks.json; `uvtool jwk` exports the JWK of a key you have"],
                "uvtool jwk [OPTIONS]",
            ),
        ),
        // step crypto keypair pub.pem priv.pem
        (
            vec!["keygen", "pub.pem", "priv.pem"],
            usage_error(
                "unexpected argument 'pub.pem' found",
                &["keygen takes no file names: it writes private.pem, public.pem, cert.pem, jwk.json and jwks.json into --out-dir DIR"],
                KEYGEN,
            ),
        ),
    ]);
}

// ------------------------------------------------ -exp 600: a lifetime, whatever the dash

#[test]
fn a_lifetime_given_as_exp_gets_ttl_with_one_dash_too() {
    let key = fixture_str("keys/a/private.pem");
    let ttl600 = "use '--ttl 600': 600 is a lifetime (a token valid 10m from iat); --exp takes a point in time (600 would be 1970-01-01T00:10:00Z)";
    let ttl1h = "use '--ttl 1h': +1h is a lifetime (a token valid 1h from iat); --exp takes a point in time";
    refused(&[
        // The official tool's style.
        (
            mint_args(&key, &["-exp", "600"]),
            usage_error(
                "unexpected argument '-exp' found",
                &[&format!("{ttl600}; {TWO}")],
                MINT,
            ),
        ),
        (
            mint_args(&key, &["-exp", "1h"]),
            usage_error(
                "unexpected argument '-exp' found",
                &[&format!("use '--ttl 1h': 1h is a lifetime (a token valid 1h from iat); --exp takes a point in time; {TWO}")],
                MINT,
            ),
        ),
        // jwt-cli: -e +1h, and its long spelling.
        (
            mint_args(&key, &["-e", "+1h"]),
            usage_error("unexpected argument '-e' found", &[ttl1h], MINT),
        ),
        (
            mint_args(&key, &["-e", "600"]),
            usage_error("unexpected argument '-e' found", &[ttl600], MINT),
        ),
        (
            mint_args(&key, &["--expiration", "+1h"]),
            usage_error("unexpected argument '--expiration' found", &[ttl1h], MINT),
        ),
        // A point in time stays --exp.
        (
            mint_args(&key, &["-exp", "2030-01-01T00:00:00Z"]),
            usage_error(
                "unexpected argument '-exp' found",
                &[&format!("use '--exp': {TWO}")],
                MINT,
            ),
        ),
    ]);
    // The tip works: --ttl takes jwt-cli's +1h as written.
    let (code, out, err) = run_in(Path::new("."), &mint_args(&key, &["--ttl", "+1h"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(claims(out.trim())["exp"], 1_800_003_600);
}

#[test]
fn the_official_tools_flags_with_wrong_values_say_both() {
    let key = fixture_str("keys/a/private.pem");
    let cert = fixture_str("keys/a/cert.pem");
    let platform = "the platform accepts RS256 and RS512 only (T1; source: WEB)";
    refused(&[
        (
            mint_args(&key, &["-alg", "HS256"]),
            usage_error(
                "unexpected argument '-alg' found",
                &[
                    &format!("use '--alg': {TWO}"),
                    &format!("HS256 is HMAC with a shared secret: {platform}, and uvtool signs with RSA keys"),
                ],
                MINT,
            ),
        ),
        (
            mint_args(&key, &["-alg", "rsa"]),
            usage_error(
                "unexpected argument '-alg' found",
                &[
                    &format!("use '--alg': {TWO}"),
                    &format!("RSA is the key type (uvtool makes and reads RSA keys only), not the signature algorithm: {platform}; e.g. --alg RS256"),
                ],
                MINT,
            ),
        ),
        (
            mint_args(&key, &["-expiry", "1e3"]),
            usage_error(
                "unexpected argument '-expiry' found",
                &[
                    &format!("use '--ttl': {TWO}"),
                    "--ttl 1e3: not written in digits: give 1000 (seconds) or a duration; try 90s, 10m, 1h or 7d",
                ],
                MINT,
            ),
        ),
        (
            vec!["jwk", "--cert", &cert, "-alg", "ES256"],
            usage_error(
                "unexpected argument '-alg' found",
                &[
                    &format!("use '--alg': {TWO}"),
                    &format!("ES256 needs an elliptic-curve key: {platform}, and uvtool makes and reads RSA keys"),
                ],
                "uvtool jwk [OPTIONS]",
            ),
        ),
        // Other tools' names of the platform's algorithms.
        (
            mint_args(&key, &["--alg", "SHA256withRSA"]),
            format!("uvtool: error: invalid value 'SHA256withRSA' for '--alg <ALG>'\n  [possible values: RS256, RS384, RS512, PS256, PS384, PS512]\n\n  tip: SHA256withRSA is written RS256 (JWA's name); {platform}\n\nFor more information, try '--help'.\n"),
        ),
    ]);
}

// ------------------------------------------------ jwt-cli and step

#[test]
fn jwt_cli_habits_get_uvtools_way() {
    let key = fixture_str("keys/a/private.pem");
    let public = fixture_str("keys/a/public.pem");
    let at_key = format!("@{key}");
    let at_public = format!("@{public}");
    let token = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";
    let decode_verifies = "decode shows a token without verifying it; to check its signature and claims use `uvtool verify --key FILE TOKEN` (or --jwks FILE, --cert FILE; with --iss, --aud, --sub)";
    let no_at = "uvtool takes the file name as it is, without jwt-cli's @";
    refused(&[
        // jwt encode -S @key.pem: the file, without the @.
        (
            vec!["mint", "-S", &at_key, "-A", "RS256"],
            usage_error(
                "unexpected argument '-S' found",
                &[&format!("use '--key {key}': the key file (PEM, DER or a JWK); {no_at}")],
                MINT,
            ),
        ),
        (
            vec!["mint", "--key", &at_key, "--sub", "u"],
            invalid_value(
                &at_key,
                "--key <FILE>",
                &format!("no file is named {at_key}; {no_at}: {key}"),
            ),
        ),
        (
            vec!["verify", "--key", &at_public, token],
            invalid_value(
                &at_public,
                "--key <FILE>",
                &format!("no file is named {at_public}; {no_at}: {public}"),
            ),
        ),
        // jwt decode -S @public.pem TOKEN verifies; uvtool's decode never does.
        (
            vec!["decode", "-S", &at_public, token],
            usage_error(
                "unexpected argument '-S' found",
                &[decode_verifies],
                "uvtool decode [OPTIONS] [TOKEN]",
            ),
        ),
        (
            vec!["decode", "-j", token],
            usage_error(
                "unexpected argument '-j' found",
                &["use '--json': the header and claims as JSON (see `uvtool decode --help`)"],
                "uvtool decode [OPTIONS] [TOKEN]",
            ),
        ),
        // jwt encode '{"sub":"x"}': a claims object as the argument.
        (
            vec!["mint", "--key", &key, "{\"sub\":\"x\"}"],
            usage_error(
                "unexpected argument '{\"sub\":\"x\"}' found",
                &["mint takes extra claims as --claims FILE (a JSON object; - reads it from stdin) or one at a time as --claim NAME=VALUE"],
                MINT,
            ),
        ),
        (
            vec!["mint", "--key", &key, "--no-iat"],
            usage_error(
                "unexpected argument '--no-iat' found",
                &["mint always sets iat; --iat TIME chooses it"],
                MINT,
            ),
        ),
        (
            vec!["verify", "--ignore-exp", token],
            usage_error(
                "unexpected argument '--ignore-exp' found",
                &["verify always checks exp; judge the token as of another time with --now TIME, or show it without checking with `uvtool decode TOKEN`"],
                "uvtool verify [OPTIONS] [TOKEN]...",
            ),
        ),
    ]);
}

#[test]
fn step_habits_get_uvtools_way() {
    let key = fixture_str("keys/a/private.pem");
    refused(&[
        // step crypto jwt sign --subtle: clap said "a similar argument exists: '--sub'".
        (
            mint_args(&key, &["--subtle"]),
            usage_error(
                "unexpected argument '--subtle' found",
                &["uvtool needs no --subtle: mint signs the claims you give and warns of what the platform refuses"],
                MINT,
            ),
        ),
        (
            mint_args(&key, &["--no-password", "--insecure"]),
            usage_error(
                "unexpected argument '--no-password' found",
                &["mint reads an unencrypted key (an encrypted one gets the openssl command that decrypts it), so there is no password to give or to skip"],
                MINT,
            ),
        ),
        (
            mint_args(&key, &["--set-file", "claims.json"]),
            usage_error(
                "unexpected argument '--set-file' found",
                &["use '--claims': a JSON object file of extra claims (see `uvtool mint --help`)"],
                MINT,
            ),
        ),
        // step crypto jwt verify --insecure: clap suggested --insecure-http.
        (
            vec!["verify", "--insecure", "x"],
            usage_error(
                "unexpected argument '--insecure' found",
                &["verify needs no --insecure: it judges by --profile (platform or rfc); a keyset URL over plain http on a host that is not loopback takes --insecure-http"],
                "uvtool verify [OPTIONS] [TOKEN]...",
            ),
        ),
    ]);
}

fn claims(token: &str) -> serde_json::Value {
    use base64::Engine;
    let part = token.split('.').nth(1).expect("claims");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON")
}
