//! Every text input tolerates what editors and terminals add: a BOM, CRLF
//! line ends, whitespace around the content.

use crate::common::clock::NOW_ARG;
use crate::common::fixture_str;
use crate::common::run::{run, s};

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
        NOW_ARG,
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
                "mint", "--key", "{}", "--sub", "u", "--iss", "i", "--now", NOW_ARG,
            ],
            true,
        ),
        (
            s(&pjwk_path),
            vec![
                "mint", "--key", "{}", "--sub", "u", "--iss", "i", "--now", NOW_ARG,
            ],
            true,
        ),
        (
            s(&claims),
            vec![
                "mint", "--key", &key, "--claims", "{}", "--sub", "u", "--iss", "i", "--now",
                NOW_ARG,
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
                NOW_ARG,
            ],
            true,
        ),
        (
            a("jwks.json"),
            vec!["verify", "--jwks", "{}", "--now", NOW_ARG, &token],
            false, // the verdict names the key file
        ),
        (
            a("cert.pem"),
            vec!["verify", "--cert", "{}", "--now", NOW_ARG, &token],
            false,
        ),
        (
            a("public.pem"),
            vec!["verify", "--key", "{}", "--now", NOW_ARG, &token],
            false,
        ),
        (s(&token_path), vec!["decode", "--now", NOW_ARG, "{}"], true),
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
