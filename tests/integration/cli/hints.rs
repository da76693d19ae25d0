//! Tips: a wrong flag, command or habit from another tool gets the right
//! tip, and a message says the fix (time units, negative numbers).

use crate::common::run::run;
use crate::common::{fixture_str, uvtool, BOUND};

// ------------------------------------------------ the suggestion table

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

// ------------------------------------------------ messages with the fix

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
            .timeout(BOUND)
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
