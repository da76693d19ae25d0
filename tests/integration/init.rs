//! `uvtool init`: the whole workflow in one folder, and its refusals.

use crate::common::uvtool;
use predicates::str::contains;
use serde_json::Value;

/// The one test that generates a key: the whole `init` workflow.
#[test]
fn init_end_to_end() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("demo");
    let out = uvtool()
        .args([
            "init",
            dir.to_str().unwrap(),
            "--sub",
            "alice",
            "--config",
            "AcmeChat",
        ])
        .assert()
        .code(0)
        // The output contract: the report for people on stderr, the sample
        // token (the data) alone on stdout.
        .stderr(contains(
            "  platform key: v2/iamessage/AUTH/AcmeChat/uid:alice (the seed's example form",
        ))
        .stderr(contains(": valid (RS256, kid "))
        .stderr(contains(format!(
            "  next steps: {}\n",
            dir.join("NEXT-STEPS.md").display()
        )));
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "NEXT-STEPS.md",
            "cert.pem",
            "jwk.json",
            "jwks.json",
            "private.pem",
            "public.pem",
            "token.jwt"
        ]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["private.pem", "token.jwt"] {
            let m = std::fs::metadata(dir.join(f)).unwrap().permissions().mode() & 0o777;
            assert_eq!(m, 0o600, "{f}");
        }
    }
    let token = std::fs::read_to_string(dir.join("token.jwt")).unwrap();
    assert_eq!(stdout, token, "stdout is the sample token, a line");
    // The sample token verifies with the files init wrote.
    uvtool()
        .args([
            "verify",
            "--jwks",
            dir.join("jwks.json").to_str().unwrap(),
            "--iss",
            "https://example.com",
            "--sub",
            "alice",
            "--config",
            "AcmeChat",
            token.trim(),
        ])
        .assert()
        .success();
    uvtool()
        .args([
            "verify",
            "--cert",
            dir.join("cert.pem").to_str().unwrap(),
            token.trim(),
        ])
        .assert()
        .success();
    let next = std::fs::read_to_string(dir.join("NEXT-STEPS.md")).unwrap();
    for needle in [
        "jwk.json",
        "upload it in Setup",
        "uvtool mint --key",
        "uvtool verify --jwks",
        "v2/iamessage/AUTH/AcmeChat/uid:alice",
        "UNAUTH/NA/uid:",
        "setIdentityToken",
        "onEmbeddedMessagingIdentityTokenExpired",
        "60 minutes",
        "placeholder",
        "never paste production tokens",
    ] {
        assert!(next.contains(needle), "NEXT-STEPS.md lacks {needle:?}");
    }
    // The mint command NEXT-STEPS.md suggests produces a token that verifies.
    let kid = {
        let j: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("jwk.json")).unwrap()).unwrap();
        j["kid"].as_str().unwrap().to_string()
    };
    let t = uvtool()
        .args([
            "mint",
            "--key",
            dir.join("private.pem").to_str().unwrap(),
            "--kid",
            &kid,
            "--sub",
            "bob",
            "--iss",
            "https://example.com",
        ])
        .output()
        .unwrap();
    uvtool()
        .args(["verify", "--jwks", dir.join("jwks.json").to_str().unwrap()])
        .arg(String::from_utf8(t.stdout).unwrap().trim())
        .assert()
        .success();
    // A non-empty folder is refused without --force, and left alone.
    let before = std::fs::read(dir.join("private.pem")).unwrap();
    uvtool()
        .args(["init", dir.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("is not empty; choose a new folder, or --force"));
    assert_eq!(before, std::fs::read(dir.join("private.pem")).unwrap());
    let file = d.path().join("f");
    std::fs::write(&file, "x").unwrap();
    uvtool()
        .args(["init", file.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("is a file, expected a folder"));
}
