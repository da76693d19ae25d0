//! `uvtool platform-key`: the platform's key for a sub or a token.

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
    let t = uvtool()
        .args([
            "mint",
            "--key",
            &fixture_str("keys/a/private.pem"),
            "--sub",
            "alice",
        ])
        .output()
        .unwrap();
    let t = String::from_utf8(t.stdout).unwrap();
    uvtool()
        .args(["platform-key", "--config", "C", "--token", t.trim()])
        .assert()
        .success()
        .stdout("v2/iamessage/AUTH/C/uid:alice\n");
    uvtool()
        .args(["platform-key", "--config", "C", "--token", "-"])
        .write_stdin(t.clone())
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
