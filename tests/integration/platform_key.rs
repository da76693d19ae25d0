//! `uvtool platform-key`: the platform's key for a sub or a token.

use crate::common::token::{key_a, mint};
use crate::common::{a2_jws, fixture_str, uvtool};
use predicates::str::contains;

#[test]
fn platform_key_from_sub_or_token() {
    uvtool()
        .args(["platform-key", "--config", "MyConfig", "--sub", "user-123"])
        .assert()
        .success()
        .stdout("v2/iamessage/AUTH/MyConfig/uid:user-123\n")
        // The key on stdout stays the data; its hedge goes to stderr.
        .stderr(format!("uvtool: note: {}\n", uvtool::platform::HEDGE));
    let t = mint(&["--key", &key_a(), "--sub", "alice"]);
    uvtool()
        .args(["platform-key", "--config", "C", "--token", &t])
        .assert()
        .success()
        .stdout("v2/iamessage/AUTH/C/uid:alice\n");
    uvtool()
        .args(["platform-key", "--config", "C", "--token", "-"])
        .write_stdin(format!("{t}\n"))
        .assert()
        .success()
        .stdout("v2/iamessage/AUTH/C/uid:alice\n");
    for (sub, why) in [
        ("a/b", "contains '/'"),
        ("a b", "contains whitespace"),
        ("", "is empty"),
        ("a\u{1}", "contains control characters"),
    ] {
        uvtool()
            .args(["platform-key", "--config", "C", "--sub", sub])
            .assert()
            .success()
            .stderr(contains(format!("warning: sub {sub:?} {why}")));
    }
    uvtool()
        .args(["platform-key", "--config", "C", "--token", &a2_jws()])
        .assert()
        .code(2)
        .stderr(contains("token: has no sub claim"));
    uvtool()
        .args(["platform-key", "--config", "C", "--token", "eyJ4IjoxfQ.e30"])
        .assert()
        .code(2)
        .stderr(contains("token: has 2 segment(s)"));
    uvtool()
        .args(["platform-key", "--config", "C"])
        .assert()
        .code(2)
        .stderr(contains("--sub"));
    uvtool()
        .args(["platform-key", "--config", "", "--sub", "x"])
        .assert()
        .code(2)
        .stderr(contains("\"\" is empty"))
        .stderr(contains("rule P1"));
}

#[test]
fn platform_key_refuses_a_file_of_several_tokens() {
    // It read the first token and said nothing of the rest (review of
    // a577057): one key is for one token; check prints each token's.
    let mint = |sub: &str| {
        let out = uvtool()
            .args(["mint", "--key", &fixture_str("keys/a/private.pem")])
            .args(["--sub", sub, "--iss", "https://example.com"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("two.txt");
    std::fs::write(&p, mint("alice") + &mint("bob")).unwrap();
    let name = p.to_str().unwrap();
    uvtool()
        .args(["platform-key", "--auth-id", "Cfg", "--token", name])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "uvtool: error: {name}: holds 2 tokens; platform-key reads one: give one token, or run `uvtool check --auth-id Cfg {name}` for the platform key of each\n"
        ));
    uvtool()
        .args(["platform-key", "--auth-id", "Cfg", "--token", "-"])
        .write_stdin(mint("alice") + &mint("bob"))
        .assert()
        .code(2)
        .stdout("")
        .stderr("uvtool: error: <stdin>: holds 2 tokens; platform-key reads one: give one token, or run `uvtool check --auth-id Cfg -` for the platform key of each\n");
    // The check it names prints both.
    uvtool()
        .args(["check", "--auth-id", "Cfg", name])
        .assert()
        .code(0)
        .stdout(contains(format!(
            "platform key ({name}:1): v2/iamessage/AUTH/Cfg/uid:alice"
        )))
        .stdout(contains(format!(
            "platform key ({name}:2): v2/iamessage/AUTH/Cfg/uid:bob"
        )));
}
