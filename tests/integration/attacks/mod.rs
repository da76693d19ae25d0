//! The attack suite: forged, malformed and hostile tokens and key sets
//! through the real binary (`uvtool verify`). Every case must be refused
//! with exit 1 (the token is invalid) or 2 (the keys are unusable) and a
//! message naming the problem; the number of cases is pinned and reported
//! in docs/HARDENING.md.
//!
//! Sources: RFC 8725 (JWT BCP) §2-3, RFC 7515 §4.1.11 (crit), RFC 7517,
//! and the CVE history of JOSE libraries (alg none, HMAC keyed with the RSA
//! public key, embedded jwk/jku/x5c trusted as keys, kid injection).

use crate::common::stub;

mod file_safety;
mod kills;
mod limits;
mod server_load;

use std::fs;
use std::path::{Path, PathBuf};

use aws_lc_rs::hmac;
use serde_json::{json, Value};

use uvtool::token::{self, Alg};
use uvtool::{b64, keys};

use crate::common::{fixture, fixture_str, uvtool};

use crate::common::clock::NOW;

fn b64json(v: &Value) -> String {
    b64::url_encode(v.to_string().as_bytes())
}

fn claims() -> Value {
    json!({"iss": "https://issuer.example", "sub": "user-1", "iat": NOW - 10, "exp": NOW + 600})
}

fn hdr(alg: &str) -> Value {
    json!({"alg": alg, "typ": "JWT", "kid": "fixture-a"})
}

/// A compact JWS over raw header and payload bytes, signed by a fixture key.
fn sign_raw(header: &[u8], payload: &[u8], key: &str, alg: Alg) -> String {
    let k = keys::load_private(&fs::read(fixture(key)).unwrap(), key).unwrap();
    let input = format!("{}.{}", b64::url_encode(header), b64::url_encode(payload));
    let sig = token::sign(&k, alg, input.as_bytes()).unwrap();
    format!("{input}.{}", b64::url_encode(&sig))
}

fn sign(header: &Value, claims: &Value, key: &str) -> String {
    let alg = header["alg"]
        .as_str()
        .and_then(Alg::from_name)
        .unwrap_or(Alg::RS256);
    sign_raw(
        header.to_string().as_bytes(),
        claims.to_string().as_bytes(),
        key,
        alg,
    )
}

/// A token signed by our key A with a good header and claims.
fn good() -> String {
    sign(&hdr("RS256"), &claims(), "keys/a/private.pem")
}

/// HMAC over the signing input, keyed with `secret` (the forgery that works
/// against verifiers that let the token choose the algorithm).
fn hmac_token(alg: &str, secret: &[u8]) -> String {
    let algo = match alg {
        "HS256" => hmac::HMAC_SHA256,
        "HS384" => hmac::HMAC_SHA384,
        _ => hmac::HMAC_SHA512,
    };
    let input = format!("{}.{}", b64json(&hdr(alg)), b64json(&claims()));
    let tag = hmac::sign(&hmac::Key::new(algo, secret), input.as_bytes());
    format!("{input}.{}", b64::url_encode(tag.as_ref()))
}

/// Replace the signature of a token.
fn with_sig(t: &str, sig: &str) -> String {
    format!("{}.{sig}", t.rsplit_once('.').unwrap().0)
}

/// One hostile input and what uvtool must answer.
struct Case {
    name: String,
    /// The token; given on stdin when `stdin` (too long for argv, or bytes).
    token: Vec<u8>,
    stdin: bool,
    /// Key-source arguments; `None` means `--jwks` key A's JWKS.
    keys: Option<Vec<String>>,
    rfc: bool,
    code: i32,
    /// Text that must appear in stdout or stderr.
    msg: String,
}

fn case(name: &str, token: impl Into<Vec<u8>>, code: i32, msg: &str) -> Case {
    Case {
        name: name.into(),
        token: token.into(),
        stdin: false,
        keys: None,
        rfc: false,
        code,
        msg: msg.into(),
    }
}

impl Case {
    fn on_stdin(mut self) -> Self {
        self.stdin = true;
        self
    }
    /// Under the rfc profile: the case is about JOSE itself, not about
    /// what the platform adds (RS256/RS512 only, x5c, iss, sub).
    fn rfc(mut self) -> Self {
        self.rfc = true;
        self
    }
    fn keys(mut self, args: &[&str]) -> Self {
        self.keys = Some(args.iter().map(|s| s.to_string()).collect());
        self
    }
}

/// Run every case; report all disagreements at once.
fn run(cases: Vec<Case>) -> usize {
    let jwks_a = fixture_str("keys/a/jwks.json");
    let mut failures = Vec::new();
    for c in &cases {
        let mut cmd = uvtool();
        cmd.args(["verify", "--now", &NOW.to_string()]);
        if c.rfc {
            cmd.args(["--profile", "rfc"]);
        }
        match &c.keys {
            Some(k) => cmd.args(k),
            None => cmd.args(["--jwks", &jwks_a]),
        };
        if c.stdin {
            cmd.arg("-").write_stdin(c.token.clone());
        } else {
            cmd.arg(String::from_utf8(c.token.clone()).unwrap());
        }
        let out = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let code = out.status.code().unwrap_or(-1);
        if code != c.code || !text.contains(&c.msg) {
            failures.push(format!(
                "{}: exit {code} (want {}), output:\n{text}\n(want {:?})",
                c.name, c.code, c.msg
            ));
        }
        if text.contains("panicked") || text.contains('\x1b') {
            failures.push(format!(
                "{}: panic or raw escape in output: {text:?}",
                c.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    cases.len()
}

#[test]
fn the_control_token_is_valid() {
    // Without this, every "refused" below could be refused for another reason.
    uvtool()
        .args(["verify", "--now", &NOW.to_string(), "--jwks"])
        .arg(fixture("keys/a/jwks.json"))
        .arg(good())
        .assert()
        .success();
}

#[test]
fn alg_none_in_any_casing() {
    let mut cases = Vec::new();
    for alg in ["none", "None", "NONE", "nOnE", "NoNe"] {
        let unsigned = format!("{}.{}.", b64json(&hdr(alg)), b64json(&claims()));
        cases.push(case(
            &format!("alg {alg} unsigned"),
            unsigned.clone(),
            1,
            &format!("alg \"{alg}\" is refused: unsigned tokens are never accepted"),
        ));
        // With a real RS256 signature of the same input appended.
        let signed = sign_raw(
            hdr(alg).to_string().as_bytes(),
            claims().to_string().as_bytes(),
            "keys/a/private.pem",
            Alg::RS256,
        );
        cases.push(case(
            &format!("alg {alg} with a valid RSA signature"),
            signed,
            1,
            &format!("alg \"{alg}\" is refused"),
        ));
    }
    // Direct keys are no different from a JWKS.
    let unsigned = format!("{}.{}.", b64json(&hdr("none")), b64json(&claims()));
    cases.push(
        case(
            "alg none with --key",
            unsigned,
            1,
            "alg \"none\" is refused",
        )
        .keys(&["--key", &fixture_str("keys/a/public.pem")]),
    );
    assert_eq!(run(cases), 11);
}

#[test]
fn hmac_keyed_with_the_public_key() {
    let pem = fs::read(fixture("keys/a/public.pem")).unwrap();
    let public = keys::load_public(&pem, "a").unwrap();
    let secrets: [(&str, Vec<u8>); 6] = [
        ("public PEM file", pem.clone()),
        (
            "public PEM without newline",
            pem.strip_suffix(b"\n").unwrap().to_vec(),
        ),
        ("SPKI DER", public.to_spki_der().unwrap()),
        ("PKCS#1 DER", public.to_pkcs1_der().unwrap()),
        ("modulus bytes", public.n.clone()),
        (
            "certificate PEM",
            fs::read(fixture("keys/a/cert.pem")).unwrap(),
        ),
    ];
    let sources: [(&str, String); 3] = [
        ("--jwks", fixture_str("keys/a/jwks.json")),
        ("--key", fixture_str("keys/a/public.pem")),
        ("--cert", fixture_str("keys/a/cert.pem")),
    ];
    let mut cases = Vec::new();
    for (i, alg) in ["HS256", "HS384", "HS512"].into_iter().enumerate() {
        for (what, secret) in &secrets {
            // Each HMAC variant against each key source in turn.
            let (flag, src) = &sources[(i + what.len()) % 3];
            cases.push(
                case(
                    &format!("{alg} keyed with {what}, verified via {flag}"),
                    hmac_token(alg, secret),
                    1,
                    &format!("alg {alg} is refused: HMAC tokens use a shared secret"),
                )
                .keys(&[flag, src]),
            );
        }
    }
    // Lower case and the JWK's own n as the secret.
    let n = b64::url_encode(&public.n);
    let mut t = hmac_token("HS256", n.as_bytes());
    t = t.replacen(&b64json(&hdr("HS256")), &b64json(&hdr("hs256")), 1);
    cases.push(case(
        "hs256 (lower case) keyed with the JWK n",
        t,
        1,
        "alg hs256 is refused: HMAC",
    ));
    assert_eq!(run(cases), 19);
}

#[test]
fn embedded_keys_are_never_trusted() {
    let b_jwk: Value =
        serde_json::from_slice(&fs::read(fixture("keys/b/jwk.json")).unwrap()).unwrap();
    let a_jwk: Value =
        serde_json::from_slice(&fs::read(fixture("keys/a/jwk.json")).unwrap()).unwrap();
    let attacker = "keys/b/private.pem";
    let with = |extra: &[(&str, Value)]| {
        let mut h = hdr("RS256");
        for (k, v) in extra {
            h[*k] = v.clone();
        }
        sign(&h, &claims(), attacker)
    };
    let not_ours = "signature does not verify with key \"fixture-a\"";
    let cases = vec![
        case(
            "attacker key embedded as jwk, our kid",
            with(&[("jwk", b_jwk.clone())]),
            1,
            not_ours,
        ),
        case(
            "attacker jwk claiming our kid inside",
            with(&[("jwk", {
                let mut j = b_jwk.clone();
                j["kid"] = json!("fixture-a");
                j
            })]),
            1,
            not_ours,
        ),
        case(
            "attacker jwk with its own kid in the header",
            with(&[("jwk", b_jwk.clone()), ("kid", json!("fixture-b"))]),
            1,
            "kid \"fixture-b\" is not in",
        ),
        case(
            "jku pointing at a loopback JWKS",
            with(&[("jku", json!("http://127.0.0.1:9/jwks.json"))]),
            1,
            not_ours,
        ),
        case(
            "x5u pointing at a loopback certificate",
            with(&[("x5u", json!("http://127.0.0.1:9/cert.pem"))]),
            1,
            not_ours,
        ),
        case(
            "attacker certificate in x5c",
            with(&[("x5c", b_jwk["x5c"].clone())]),
            1,
            not_ours,
        ),
        case(
            "our own certificate in x5c, signed by the attacker",
            with(&[("x5c", a_jwk["x5c"].clone())]),
            1,
            not_ours,
        ),
        case(
            "all four at once, header note printed",
            with(&[
                ("jwk", b_jwk.clone()),
                ("jku", json!("http://127.0.0.1:9/")),
                ("x5u", json!("http://127.0.0.1:9/")),
                ("x5c", b_jwk["x5c"].clone()),
            ]),
            1,
            "header \"jku\" ignored: keys come only from the key source you gave",
        ),
        case(
            "embedded jwk with --cert",
            with(&[("jwk", b_jwk.clone())]),
            1,
            "signature does not verify with the key from",
        )
        .keys(&["--cert", &fixture_str("keys/a/cert.pem")]),
    ];
    assert_eq!(run(cases), 9);
}

#[test]
fn kid_with_path_or_injection_characters() {
    let mut cases = Vec::new();
    for kid in [
        "../../../../etc/passwd",
        "/dev/stdin",
        "fixture-a/../fixture-a",
        "fixture-a\u{0}",
        "fixture-a' OR '1'='1",
        "$(touch /tmp/uvtool-pwned)",
        "`id`; rm -rf /",
        "http://127.0.0.1:9/jwks.json",
        "fixture-a\n",
        "\u{1b}[2Jfixture-a",
        "FIXTURE-A",
        "",
    ] {
        let mut h = hdr("RS256");
        h["kid"] = json!(kid);
        cases.push(case(
            &format!("kid {kid:?}"),
            sign(&h, &claims(), "keys/a/private.pem"),
            1,
            &format!("kid {kid:?} is not in"),
        ));
    }
    for (what, v) in [
        ("number", json!(1)),
        ("array", json!(["fixture-a"])),
        ("object", json!({"kid": "fixture-a"})),
        ("null", Value::Null),
    ] {
        let mut h = hdr("RS256");
        h["kid"] = v;
        cases.push(case(
            &format!("kid as {what}"),
            sign(&h, &claims(), "keys/a/private.pem"),
            1,
            "header kid is not a string",
        ));
    }
    assert_eq!(run(cases), 16);
    assert!(!Path::new("/tmp/uvtool-pwned").exists());
}

#[test]
fn crit_naming_unknown_extensions() {
    let with = |crit: Value| {
        let mut h = hdr("RS256");
        h["crit"] = crit;
        h["b64"] = json!(false);
        sign(&h, &claims(), "keys/a/private.pem")
    };
    let cases = vec![
        case(
            "crit b64",
            with(json!(["b64"])),
            1,
            "header crit lists extension(s) \"b64\" that uvtool does not understand",
        ),
        case(
            "crit naming an absent member",
            with(json!(["urn:example:unknown"])),
            1,
            "\"urn:example:unknown\" that uvtool does not understand",
        ),
        case(
            "crit naming a registered claim",
            with(json!(["exp"])),
            1,
            "\"exp\" that uvtool does not understand",
        ),
        case(
            "crit empty",
            with(json!([])),
            1,
            "header crit is an empty array",
        ),
        case(
            "crit a string",
            with(json!("b64")),
            1,
            "header crit is not an array",
        ),
    ];
    assert_eq!(run(cases), 5);
}

#[test]
fn duplicate_json_members() {
    let c = claims().to_string();
    let h = hdr("RS256").to_string();
    let key = "keys/a/private.pem";
    let cases = vec![
        case(
            "duplicate alg (RS256 then none)",
            sign_raw(
                br#"{"alg":"RS256","kid":"fixture-a","alg":"none"}"#,
                c.as_bytes(),
                key,
                Alg::RS256,
            ),
            1,
            "header segment: member \"alg\" appears twice",
        ),
        case(
            "duplicate kid",
            sign_raw(
                br#"{"alg":"RS256","kid":"fixture-b","kid":"fixture-a"}"#,
                c.as_bytes(),
                key,
                Alg::RS256,
            ),
            1,
            "header segment: member \"kid\" appears twice",
        ),
        case(
            "duplicate sub",
            sign_raw(
                h.as_bytes(),
                format!(r#"{{"sub":"user-1","exp":{},"sub":"admin"}}"#, NOW + 60).as_bytes(),
                key,
                Alg::RS256,
            ),
            1,
            "payload segment: member \"sub\" appears twice",
        ),
        case(
            "duplicate exp",
            sign_raw(
                h.as_bytes(),
                format!(r#"{{"exp":{},"exp":{}}}"#, NOW - 1000, NOW + 1000).as_bytes(),
                key,
                Alg::RS256,
            ),
            1,
            "payload segment: member \"exp\" appears twice",
        ),
        case(
            "duplicate inside a nested object",
            sign_raw(
                h.as_bytes(),
                format!(
                    r#"{{"exp":{},"ctx":{{"role":"user","role":"admin"}}}}"#,
                    NOW + 60
                )
                .as_bytes(),
                key,
                Alg::RS256,
            ),
            1,
            "member \"role\" appears twice",
        ),
        case(
            "duplicate spelled with an escape",
            sign_raw(
                h.as_bytes(),
                format!(r#"{{"sub":"a","s\u0075b":"b","exp":{}}}"#, NOW + 60).as_bytes(),
                key,
                Alg::RS256,
            ),
            1,
            "member \"sub\" appears twice",
        ),
    ];
    assert_eq!(run(cases), 6);
}

#[test]
fn non_canonical_base64url() {
    let t = good();
    let (h, rest) = t.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    // The signature with its last character changed so the unused low bits
    // are non-zero (256 bytes: 342 characters, the last carries 2 bits).
    let last = s.chars().last().unwrap();
    let bumped = if "AQgw".contains(last) {
        // A, Q, g, w have zero low bits; the next character does not.
        let i = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .find(last)
            .unwrap();
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
            .chars()
            .nth(i + 1)
            .unwrap()
    } else {
        last
    };
    assert_eq!(s.len() % 4, 2);
    let cases = vec![
        case(
            "padding on the header",
            format!("{h}==.{p}.{s}"),
            1,
            "header segment has '=' padding",
        ),
        case(
            "padding on the signature",
            format!("{h}.{p}.{s}=="),
            1,
            "signature segment has '=' padding",
        ),
        case(
            "standard alphabet in the signature",
            format!("{h}.{p}.+{s}"),
            1,
            "signature segment has '+': standard base64",
        ),
        case(
            "slash in the payload",
            format!("{h}.{p}/.{s}"),
            1,
            "payload segment has '/': standard base64",
        ),
        case(
            "non-zero trailing bits",
            format!("{h}.{p}.{}{bumped}", &s[..s.len() - 1]),
            1,
            "signature segment is not canonical base64url (non-zero trailing bits)",
        ),
        case(
            "space inside the payload",
            format!("{h}.{} {}.{s}", &p[..4], &p[4..]),
            1,
            "payload segment has whitespace inside",
        ),
        case(
            "tab inside the header",
            format!("{}\t{}.{p}.{s}", &h[..4], &h[4..]),
            1,
            "header segment has whitespace inside",
        ),
        case(
            "impossible length",
            format!("{h}.{p}.{s}AAA"),
            1,
            "signature segment has an impossible base64url length",
        ),
        case(
            "a non-base64 character",
            format!("{h}.{p}.{s}*"),
            1,
            "signature segment has '*', which is not a base64url character",
        ),
    ];
    // The bumped character really differs (so the trailing-bits case is real).
    assert_ne!(bumped, last);
    assert_eq!(run(cases), 9);
}

#[test]
fn wrong_segment_counts_and_empty_segments() {
    let t = good();
    let (h, rest) = t.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    let cases = vec![
        case("one segment", h, 1, "has 1 segment(s), expected 3"),
        case("two segments", format!("{h}.{p}"), 1, "has 2 segment(s)"),
        case(
            "four segments",
            format!("{h}.{p}.{s}.{s}"),
            1,
            "has 4 segment(s)",
        ),
        case(
            "five segments (JWE)",
            format!("{h}.{p}.{s}.{s}.{s}"),
            1,
            "has 5 segments: this is a JWE",
        ),
        case(
            "six segments",
            format!("{t}.{h}.{p}.{s}"),
            1,
            "has 6 segment(s)",
        ),
        // ".." names a folder as an argument; as a line on stdin it is a token.
        case("only dots", "..", 1, "header segment is empty").on_stdin(),
        case(
            "empty header",
            format!(".{p}.{s}"),
            1,
            "header segment is empty",
        ),
        case(
            "empty payload",
            format!("{h}..{s}"),
            1,
            "payload segment is empty",
        ),
        case(
            "empty signature",
            format!("{h}.{p}."),
            1,
            "signature does not verify",
        ),
        case(
            "truncated signature",
            format!("{h}.{p}.{}", &s[..s.len() - 2]),
            1,
            "signature does not verify",
        ),
        case("blank line on stdin", "   \n", 2, "<stdin>: has no token").on_stdin(),
    ];
    assert_eq!(run(cases), 11);
}

#[test]
fn non_object_header_or_payload_and_bad_utf8() {
    let c = claims().to_string();
    let h = hdr("RS256").to_string();
    let key = "keys/a/private.pem";
    let mut cases = Vec::new();
    for (what, v) in [
        ("array", "[]"),
        ("string", "\"RS256\""),
        ("number", "1"),
        ("null", "null"),
        ("true", "true"),
    ] {
        cases.push(case(
            &format!("header is {what}"),
            sign_raw(v.as_bytes(), c.as_bytes(), key, Alg::RS256),
            1,
            "header segment is JSON but not an object",
        ));
        cases.push(case(
            &format!("payload is {what}"),
            sign_raw(h.as_bytes(), v.as_bytes(), key, Alg::RS256),
            1,
            "payload segment is JSON but not an object",
        ));
    }
    cases.push(case(
        "header not UTF-8",
        sign_raw(b"{\"alg\":\"RS256\xff\"}", c.as_bytes(), key, Alg::RS256),
        1,
        "header segment is not UTF-8",
    ));
    cases.push(case(
        "payload not UTF-8 (overlong encoding)",
        sign_raw(h.as_bytes(), b"{\"sub\":\"\xc0\xaf\"}", key, Alg::RS256),
        1,
        "payload segment is not UTF-8",
    ));
    cases.push(case(
        "payload with a lone surrogate escape",
        sign_raw(h.as_bytes(), br#"{"sub":"\ud800"}"#, key, Alg::RS256),
        1,
        "payload segment is not valid JSON",
    ));
    cases.push(case(
        "payload is JSON with trailing garbage",
        sign_raw(h.as_bytes(), br#"{"exp":1}{"exp":2}"#, key, Alg::RS256),
        1,
        "payload segment is not valid JSON",
    ));
    cases.push(
        case(
            "the token itself is not UTF-8",
            b"eyJhbGciOiJSUzI1NiJ9.e30.\xff\xfe\n".to_vec(),
            1,
            "malformed token: signature segment has '\u{fffd}', which is not a base64url character",
        )
        .on_stdin(),
    );
    assert_eq!(run(cases), 15);
}

#[test]
fn deeply_nested_json_and_huge_tokens() {
    let h = hdr("RS256").to_string();
    let key = "keys/a/private.pem";
    // As deep as fits in a token under the 64 KiB limit (serde_json stops
    // at 128 levels).
    let depth = 20_000;
    let arrays = format!(
        "{{\"exp\":{},\"a\":{}{}}}",
        NOW + 60,
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let objects = format!(
        "{{\"alg\":\"RS256\",\"x\":{}1{}}}",
        "{\"a\":".repeat(8_000),
        "}".repeat(8_000)
    );
    let big_claim = format!(
        "{{\"exp\":{},\"pad\":\"{}\"}}",
        NOW + 60,
        "x".repeat(3 * 1024 * 1024)
    );
    let cases = vec![
        case(
            "payload nested 20000 arrays deep",
            sign_raw(h.as_bytes(), arrays.as_bytes(), key, Alg::RS256),
            1,
            "payload segment is not valid JSON (recursion limit exceeded",
        )
        .on_stdin(),
        case(
            "header nested 8000 objects deep",
            sign_raw(objects.as_bytes(), b"{}", key, Alg::RS256),
            1,
            "header segment is not valid JSON (recursion limit exceeded",
        )
        .on_stdin(),
        case(
            "a validly signed 4 MiB token",
            sign_raw(h.as_bytes(), big_claim.as_bytes(), key, Alg::RS256),
            1,
            "the token is over the 64 KiB limit of a token (65536 bytes)",
        )
        .on_stdin(),
        case(
            "one byte over the limit",
            format!("e30.{}.AA", "A".repeat(token::MAX_TOKEN_LEN - 6)),
            1,
            &token::over_limit(),
        )
        .on_stdin(),
    ];
    assert_eq!(run(cases), 4);
}

#[test]
fn numeric_dates_of_the_wrong_type_or_range() {
    let key = "keys/a/private.pem";
    let with = |name: &str, v: Value| {
        let mut c = claims();
        c[name] = v;
        sign(&hdr("RS256"), &c, key)
    };
    let mut cases = Vec::new();
    for name in ["exp", "nbf", "iat"] {
        for (what, v) in [
            ("a string", json!((NOW + 60).to_string())),
            ("a date string", json!("2027-01-15T08:10:00Z")),
            ("a bool", json!(true)),
            ("null", Value::Null),
            ("an array", json!([NOW])),
        ] {
            cases.push(case(
                &format!("{name} as {what}"),
                with(name, v),
                1,
                &format!("{name} is not a number (NumericDate: unix seconds"),
            ));
        }
        for (what, v) in [
            ("negative", json!(-1)),
            ("very negative float", json!(-1e300)),
            ("beyond 9999", json!(253_402_300_800i64)),
            ("1e300", json!(1e300)),
            ("u64::MAX", json!(u64::MAX)),
        ] {
            cases.push(case(
                &format!("{name} {what}"),
                with(name, v),
                1,
                &format!("{name} "),
            ));
            let last = cases.last_mut().unwrap();
            last.msg = "is outside the years 1970 to 9999".into();
        }
    }
    // Floats are NumericDates (RFC 7519 §2) and are floored: an expired
    // float and a future float nbf/iat are refused like integers.
    cases.push(case(
        "exp float in the past",
        with("exp", json!(NOW as f64 - 120.5)),
        1,
        "expired 2m ago",
    ));
    cases.push(case(
        "exp float in exponent notation, past",
        with("exp", json!(1.7e9)),
        1,
        "expired",
    ));
    cases.push(case(
        "nbf float in the future",
        with("nbf", json!(NOW as f64 + 600.25)),
        1,
        "not valid yet",
    ));
    cases.push(
        case(
            "iat float in the future",
            with("iat", json!(NOW as f64 + 600.75)),
            1,
            "iat is in the future",
        )
        .rfc(),
    );
    assert_eq!(run(cases), 34);
}

/// Write a JWKS made of key A's JWK with changes, and key B's when asked.
fn jwks_file(dir: &Path, name: &str, keys: Vec<Value>) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, serde_json::to_vec(&json!({ "keys": keys })).unwrap()).unwrap();
    p
}

#[test]
fn hostile_key_sets() {
    let d = tempfile::tempdir().unwrap();
    let read =
        |r: &str| -> Value { serde_json::from_slice(&fs::read(fixture(r)).unwrap()).unwrap() };
    let a = read("keys/a/jwk.json");
    let b = read("keys/b/jwk.json");
    let edit = |base: &Value, f: &dyn Fn(&mut Value)| {
        let mut v = base.clone();
        f(&mut v);
        v
    };
    let a_private = read("jwk/a-private.json");
    let small = {
        let pem = fs::read(fixture("keys/rsa1024.pem")).unwrap();
        let out = crate::common::output_within(
            std::process::Command::new("openssl")
                .args(["rsa", "-pubout", "-outform", "DER"])
                .arg("-in")
                .arg(fixture("keys/rsa1024.pem")),
            crate::common::BOUND,
        );
        assert!(out.status.success() && !pem.is_empty());
        // SPKI DER of a 1024-bit key: the modulus is the 129-byte INTEGER.
        let der = out.stdout;
        let i = der
            .windows(3)
            .position(|w| w == [0x02, 0x81, 0x81])
            .unwrap();
        b64::url_encode(&der[i + 4..i + 3 + 0x81])
    };
    let sets: Vec<(&str, Vec<Value>, &str)> = vec![
        (
            "duplicate kid naming two keys",
            vec![a.clone(), edit(&b, &|v| v["kid"] = json!("fixture-a"))],
            "kid \"fixture-a\" names 2 keys in",
        ),
        (
            "the same key twice",
            vec![a.clone(), a.clone()],
            "kid \"fixture-a\" names 2 keys in",
        ),
        (
            "private members",
            vec![edit(&a_private, &|v| v["kid"] = json!("fixture-a"))],
            "has private member(s) d, p, q, dp, dq, qi",
        ),
        (
            "only d",
            vec![edit(&a, &|v| v["d"] = a_private["d"].clone())],
            "has private member(s) d: this is a private key; never upload or publish it (K10)",
        ),
        ("e = 1", vec![edit(&a, &|v| v["e"] = json!("AQ"))], "(K6)"),
        (
            "e even (65536)",
            vec![edit(&a, &|v| v["e"] = json!("AQAA"))],
            "(K6)",
        ),
        ("e = 0", vec![edit(&a, &|v| v["e"] = json!("AA"))], "(K6)"),
        (
            "1024-bit modulus",
            vec![edit(&a, &|v| {
                v["n"] = json!(small);
                v.as_object_mut().unwrap().remove("x5c");
            })],
            "(K3)",
        ),
        (
            "x5c certificate of another key",
            vec![edit(&a, &|v| v["x5c"] = b["x5c"].clone())],
            "(K6)",
        ),
        (
            "x5c not base64",
            vec![edit(&a, &|v| v["x5c"] = json!(["not base64!"]))],
            "(K5)",
        ),
        (
            "x5c empty",
            vec![edit(&a, &|v| v["x5c"] = json!([]))],
            "(K5)",
        ),
        (
            "an HMAC (oct) key offered for HS256",
            vec![json!({"kty": "oct", "kid": "fixture-a", "k": "c2VjcmV0"})],
            "(K1)",
        ),
        (
            "n with padding",
            vec![edit(&a, &|v| {
                v["n"] = json!(format!("{}==", v["n"].as_str().unwrap()))
            })],
            "\"n\" has '=' padding",
        ),
    ];
    let token = good();
    let mut cases = Vec::new();
    for (i, (name, keys, msg)) in sets.into_iter().enumerate() {
        let p = jwks_file(d.path(), &format!("set-{i}.json"), keys);
        // A set that can be read is judged: its key for the token breaks a
        // rule, so the token is invalid with that rule (exit 1), never
        // "unusable input" (exit 2).
        cases.push(case(name, token.clone(), 1, msg).keys(&["--jwks", p.to_str().unwrap()]));
    }
    // The same kid in two files (a rotation gone wrong) is just as ambiguous.
    let other = jwks_file(
        d.path(),
        "b-as-a.json",
        vec![edit(&b, &|v| v["kid"] = json!("fixture-a"))],
    );
    cases.push(
        case(
            "duplicate kid across two --jwks files",
            token.clone(),
            1,
            "kid \"fixture-a\" names 2 keys in",
        )
        .keys(&[
            "--jwks",
            &fixture_str("keys/a/jwks.json"),
            "--jwks",
            other.to_str().unwrap(),
        ]),
    );
    assert_eq!(run(cases), 14);
}

#[test]
fn hostile_key_sets_over_http() {
    // --jwks-url follows the same rules as a JWKS file.
    let read =
        |r: &str| -> Value { serde_json::from_slice(&fs::read(fixture(r)).unwrap()).unwrap() };
    let a = read("keys/a/jwk.json");
    let mut b = read("keys/b/jwk.json");
    b["kid"] = json!("fixture-a");
    let mut private = read("jwk/a-private.json");
    private["kid"] = json!("fixture-a");
    let dup = stub::json(serde_json::to_vec(&json!({"keys": [a, b]})).unwrap()).url("/jwks.json");
    let leaked =
        stub::json(serde_json::to_vec(&json!({"keys": [private]})).unwrap()).url("/jwks.json");
    let cases = vec![
        case(
            "a served JWKS with a kid naming two keys",
            good(),
            1,
            "kid \"fixture-a\" names 2 keys in",
        )
        .keys(&["--jwks-url", &dup]),
        case(
            "a served JWKS with private members",
            good(),
            1,
            "has private member(s) d, p, q, dp, dq, qi",
        )
        .keys(&["--jwks-url", &leaked]),
    ];
    assert_eq!(run(cases), 2);
}

#[test]
fn algorithm_substitution() {
    // An RS256 signature relabelled PS256/RS512, and a PS256 signature
    // relabelled RS256: the header's alg is bound to the check.
    let d = tempfile::tempdir().unwrap();
    let mut jwk: Value =
        serde_json::from_slice(&fs::read(fixture("keys/a/jwk.json")).unwrap()).unwrap();
    jwk.as_object_mut().unwrap().remove("alg");
    let open = jwks_file(d.path(), "no-alg.json", vec![jwk]);
    let open = open.to_str().unwrap();
    let rs = good();
    let ps = sign(&hdr("PS256"), &claims(), "keys/a/private.pem");
    // Keep payload and signature, swap in a header naming another alg.
    let relabel =
        |t: &str, to: &str| format!("{}.{}", b64json(&hdr(to)), t.split_once('.').unwrap().1);
    let cases = vec![
        case(
            "RS256 signature labelled PS256",
            relabel(&rs, "PS256"),
            1,
            "signature does not verify",
        )
        .rfc()
        .keys(&["--jwks", open]),
        case(
            "RS256 signature labelled RS512",
            relabel(&rs, "RS512"),
            1,
            "signature does not verify",
        )
        .rfc()
        .keys(&["--jwks", open]),
        case(
            "PS256 signature labelled RS256",
            relabel(&ps, "RS256"),
            1,
            "signature does not verify",
        )
        .rfc()
        .keys(&["--jwks", open]),
        case(
            "PS256 token for a key whose JWK says RS256",
            ps.clone(),
            1,
            "is for RS256 (its JWK \"alg\"), but the token is signed with PS256",
        )
        .rfc(),
        case(
            "alg not in the --alg allow-list",
            ps,
            1,
            "alg PS256 is not allowed (allowed: RS256)",
        )
        .rfc()
        .keys(&["--jwks", open, "--alg", "RS256"]),
        case(
            "alg with a trailing space",
            with_sig(
                &format!("{}.{}.x", b64json(&hdr("RS256 ")), b64json(&claims())),
                "AA",
            ),
            1,
            "alg \"RS256 \" is not supported",
        ),
        case(
            "alg in lower case",
            with_sig(
                &format!("{}.{}.x", b64json(&hdr("rs256")), b64json(&claims())),
                "AA",
            ),
            1,
            "alg \"rs256\" is not supported",
        ),
        case(
            "alg an array",
            with_sig(
                &format!(
                    "{}.{}.x",
                    b64json(&json!({"alg": ["RS256"], "kid": "fixture-a"})),
                    b64json(&claims())
                ),
                "AA",
            ),
            1,
            "header alg is not a string",
        ),
    ];
    assert_eq!(run(cases), 8);
}
