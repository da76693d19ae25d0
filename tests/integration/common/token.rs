//! Tokens and key fixtures: `uvtool mint` as a test calls it, the fixture
//! key sets' files, and a token's segments decoded with code independent of
//! the library (the `base64` crate, as in [`crate::common::files`]).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

use crate::common::clock::NOW_ARG;
use crate::common::run::run;
use crate::common::{fixture, fixture_str, uvtool};

/// Path of fixture key set `which`'s private key (`keys/{which}/private.pem`).
pub fn private_key(which: &str) -> String {
    fixture_str(&format!("keys/{which}/private.pem"))
}

/// Path of fixture key a's private key.
pub fn key_a() -> String {
    private_key("a")
}

/// Path of fixture key a's JWKS file.
pub fn jwks_a_path() -> String {
    fixture_str("keys/a/jwks.json")
}

/// The bytes of fixture key a's JWKS file.
pub fn jwks_a() -> Vec<u8> {
    std::fs::read(fixture("keys/a/jwks.json")).unwrap()
}

/// Fixture key a's public JWK (`keys/a/jwk.json`) as a JSON object.
pub fn jwk_a() -> Map<String, Value> {
    serde_json::from_slice(&std::fs::read(fixture("keys/a/jwk.json")).unwrap()).unwrap()
}

/// `uvtool mint ARGS`, which must succeed: the token (stderr shown when it
/// fails). stdout must be one line, and the token three segments.
pub fn mint(args: &[&str]) -> String {
    let out = uvtool().arg("mint").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "mint {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(
        s.ends_with('\n') && s.lines().count() == 1,
        "one line: {s:?}"
    );
    let t = s.trim_end().to_string();
    assert_eq!(t.matches('.').count(), 2, "three segments: {t}");
    t
}

/// A token of fixture key `a` (kid `fixture-a`) for `user-1` from `iss`,
/// with the time flags `times` (e.g. `["--ttl", "10m"]`).
pub fn user1_a(iss: &str, times: &[&str]) -> String {
    let key = key_a();
    let mut args = vec![
        "--key",
        key.as_str(),
        "--kid",
        "fixture-a",
        "--sub",
        "user-1",
        "--iss",
        iss,
    ];
    args.extend_from_slice(times);
    mint(&args)
}

/// `uvtool mint --key A --kid fixture-a --sub u --iss ISS --now NOW EXTRA`,
/// for its (exit code, stdout, stderr).
pub fn mint_a_run(iss: &str, extra: &[&str]) -> (i32, String, String) {
    let key = key_a();
    let mut args = vec![
        "mint",
        "--key",
        &key,
        "--kid",
        "fixture-a",
        "--sub",
        "u",
        "--iss",
        iss,
        "--now",
        NOW_ARG,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// Segment `i` of a compact token, base64url-decoded.
pub fn segment_bytes(token: &str, i: usize) -> Vec<u8> {
    let seg = token.split('.').nth(i).expect("segment");
    URL_SAFE_NO_PAD.decode(seg).expect("base64url")
}

/// Segment `i` of a compact token as JSON (0: header, 1: claims).
pub fn segment(token: &str, i: usize) -> Value {
    serde_json::from_slice(&segment_bytes(token, i)).expect("JSON")
}
