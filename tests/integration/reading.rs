//! Files as Windows tools and copy-paste leave them (issue 23, the reader's
//! side): UTF-16 with its byte-order mark (PowerShell 5's `>`) is read as
//! the same text in UTF-8 wherever a file is read; a token wrapped over
//! lines or cut short is named as such; a token or a PEM file given where
//! keys or a JWK are wanted says what it is. Each case asserts the exit
//! code and the message.

use std::path::{Path, PathBuf};

use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use tempfile::TempDir;

use crate::common::clock::NOW_ARG;
use crate::common::token;
use crate::common::{fixture, fixture_str, uvtool};

const ISS: &str = "https://acme.example";

/// A token signed by fixture key `a` (kid `fixture-a`), valid at NOW.
fn token() -> String {
    token::user1_a(ISS, &["--iat", NOW_ARG, "--exp", "1800000600"])
}

/// `text` as UTF-16 with its byte-order mark and CRLF line ends, as
/// PowerShell 5's `>` writes it (little-endian) or big-endian.
fn utf16(text: &str, little: bool) -> Vec<u8> {
    let text = text.replace("\r\n", "\n").replace('\n', "\r\n");
    let mut out = if little {
        vec![0xff, 0xfe]
    } else {
        vec![0xfe, 0xff]
    };
    for u in text.encode_utf16() {
        out.extend(if little {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn text(rel: &str) -> String {
    std::fs::read_to_string(fixture(rel)).unwrap()
}

fn verify(keys: &[&str]) -> assert_cmd::Command {
    let mut c = uvtool();
    c.arg("verify")
        .args(keys)
        .args(["--now", NOW_ARG, "--iss", ISS]);
    c
}

#[test]
fn utf16_key_and_token_files_read_as_utf8() {
    let d = TempDir::new().unwrap();
    let t = token();
    for little in [true, false] {
        // A file of `body` as UTF-16 (see [`utf16`]).
        let write16 = |name: &str, body: &str| write(d.path(), name, &utf16(body, little));
        let jwks = write16("jwks16.json", &text("keys/a/jwks.json"));
        let cert = write16("cert16.pem", &text("keys/a/cert.pem"));
        let key = write16("public16.pem", &text("keys/a/public.pem"));
        let tokens = write16("tokens16.txt", &format!("{t}\n{t}\n"));
        let one = write16("token16.txt", &format!("{t}\n"));
        for flag in [
            ["--jwks", &*jwks.to_string_lossy()],
            ["--cert", &*cert.to_string_lossy()],
            ["--key", &*key.to_string_lossy()],
        ] {
            verify(&flag)
                .arg(&t)
                .assert()
                .code(0)
                .stdout(contains("valid"));
        }
        // A file of tokens (streamed) and a single token file.
        verify(&["--jwks", &jwks.to_string_lossy()])
            .arg(&tokens)
            .assert()
            .code(0)
            .stdout(contains("valid sub=user-1"));
        verify(&["--jwks", &jwks.to_string_lossy()])
            .arg(&one)
            .assert()
            .code(0)
            .stdout(contains("signed with RS256"));
        // Tokens on stdin, as `Get-Content t.txt | uvtool verify -` sends a
        // file PowerShell wrote.
        verify(&["--jwks", &jwks.to_string_lossy()])
            .arg("-")
            .write_stdin(utf16(&format!("{t}\n{t}\n"), little))
            .assert()
            .code(0)
            .stdout(contains("valid sub=user-1"));
        uvtool()
            .args(["decode", &one.to_string_lossy()])
            .assert()
            .code(0)
            .stdout(contains("\"sub\": \"user-1\""));
        // check reads the set as the same JSON: the fixture key's findings,
        // never "not valid JSON".
        let out = uvtool()
            .args(["check", &jwks.to_string_lossy(), "--now", NOW_ARG])
            .output()
            .unwrap();
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!all.contains("not valid JSON"), "{all}");
        assert!(all.contains("checked 1 input"), "{all}");
    }
}

#[test]
fn broken_utf16_is_named() {
    let d = TempDir::new().unwrap();
    // An odd number of bytes after the mark: not UTF-16 text.
    let mut bytes = utf16(&text("keys/a/jwks.json"), true);
    bytes.push(b'x');
    let p = write(d.path(), "broken.json", &bytes);
    verify(&["--jwks", &p.to_string_lossy()])
        .arg(token())
        .assert()
        .code(2)
        .stderr(contains(format!(
            "{}: starts with a UTF-16 byte-order mark but is not UTF-16 text (an odd length or a broken character); save it as UTF-8",
            p.display()
        )));
}

/// `t` folded at `width` columns, as `fold -w` or a mail client does.
fn folded(t: &str, width: usize) -> String {
    t.as_bytes()
        .chunks(width)
        .map(|c| format!("{}\n", std::str::from_utf8(c).unwrap()))
        .collect()
}

#[test]
fn a_wrapped_token_is_named() {
    let d = TempDir::new().unwrap();
    let t = token();
    let lines = t.len().div_ceil(76);
    let msg = format!(
        "the token looks wrapped over {lines} lines: join the lines into one (a token is header.payload.signature on one line)"
    );
    let p = write(d.path(), "wrapped.txt", folded(&t, 76).as_bytes());
    let jwks = fixture_str("keys/a/jwks.json");
    // verify FILE keeps its contract (a verdict a line) and says why.
    verify(&["--jwks", &jwks])
        .arg(&p)
        .assert()
        .code(1)
        .stderr(contains(format!("uvtool: note: {}: {msg}", p.display())))
        .stdout(contains("invalid: malformed token: "))
        .stdout(contains(format!("(T0) [{}:1]", p.display())));
    // One token read whole (decode, check) is one verdict that names it.
    uvtool()
        .args(["decode", &p.to_string_lossy()])
        .assert()
        .code(2)
        .stderr(contains(format!("{}: {msg}", p.display())));
    uvtool()
        .args(["decode", "-"])
        .write_stdin(folded(&t, 76))
        .assert()
        .code(2)
        .stderr(contains(format!("<stdin>: {msg}")));
    uvtool()
        .args(["check", &p.to_string_lossy(), &jwks, "--now", NOW_ARG])
        .assert()
        .code(1)
        .stdout(contains(format!(
            "error T0 {}: malformed token: {msg}",
            p.display()
        )));
    // Wrapped before the first dot (the first line alone is no token).
    let p = write(d.path(), "early.txt", folded(&t, 20).as_bytes());
    let msg = format!(
        "the token looks wrapped over {} lines",
        t.len().div_ceil(20)
    );
    uvtool()
        .args(["check", &p.to_string_lossy(), &jwks, "--now", NOW_ARG])
        .assert()
        .code(1)
        .stdout(contains(format!(
            "error T0 {}: malformed token: {msg}",
            p.display()
        )));
    // Two tokens, one a line, are not one wrapped token.
    let p = write(d.path(), "two.txt", format!("{t}\n{t}\n").as_bytes());
    verify(&["--jwks", &jwks])
        .arg(&p)
        .assert()
        .code(0)
        .stdout(contains("valid sub=user-1"));
}

#[test]
fn a_truncated_token_is_named() {
    let t = token();
    let jwks = fixture_str("keys/a/jwks.json");
    let sig = t.rsplit('.').next().unwrap().len();
    assert_eq!(sig, 342, "a 2048-bit key's signature");
    // Cut so the signature no longer decodes (an impossible length): named
    // at decoding (T0).
    for cut in [1, 5] {
        let short = &t[..t.len() - cut];
        verify(&["--jwks", &jwks])
            .arg(short)
            .assert()
            .code(1)
            .stdout(contains(format!(
                "invalid: malformed token: signature segment looks truncated: {} characters, fewer than the 342 of a signature with a 2048-bit key; copy the whole token (",
                sig - cut
            )));
    }
    // Cut so what is left decodes: the signature is too short for the key.
    let short = &t[..t.len() - 2];
    verify(&["--jwks", &jwks])
        .arg(short)
        .assert()
        .code(1)
        .stdout(contains(
            "invalid: signature does not verify with key \"fixture-a\" from ",
        ))
        .stdout(contains(
            ": it is 255 bytes, the key's signatures are 256; the token looks truncated (T7)",
        ))
        .stdout(contains(
            "fix: copy the whole token (header.payload.signature): its end is missing",
        ));
}

#[test]
fn a_token_given_as_keys_says_so() {
    let d = TempDir::new().unwrap();
    let t = token();
    let p = write(d.path(), "token.jwt", format!("{t}\n").as_bytes());
    for (flag, wanted) in [
        ("--jwks", "a JWK or a JWKS"),
        ("--cert", "a certificate"),
        ("--key", "a public or private key"),
    ] {
        verify(&[flag, &p.to_string_lossy()])
            .arg(&t)
            .assert()
            .code(2)
            .stderr(contains(format!(
                "{}: holds a token, not keys: {wanted} is needed here",
                p.display()
            )));
    }
}

#[test]
fn a_pem_file_checked_for_upload_is_named() {
    for (rel, what) in [
        ("keys/a/public.pem", "is a public key"),
        ("keys/a/cert.pem", "is a certificate"),
    ] {
        uvtool()
            .args(["check", "--upload", "--now", NOW_ARG, &fixture_str(rel)])
            .assert()
            .code(1)
            .stdout(contains(format!(
                "error K9 {}: {what}; the upload form takes a JWK (one JSON object with kty, kid, alg and the certificate in x5c); fix: make the JWK from the certificate: `uvtool jwk --cert cert.pem > jwk.json`",
                fixture_str(rel)
            )))
            .stdout(contains("checked 1 input: 1 error"));
    }
    uvtool()
        .args(["check", "--upload", "--now", NOW_ARG, &fixture_str("keys/a/private.pem")])
        .assert()
        .code(1)
        .stdout(contains(format!(
            "error K9 {}: is a private key: never upload it; the upload form takes the public JWK (with the certificate in x5c)",
            fixture_str("keys/a/private.pem")
        )));
    // Without --upload a certificate is a fine input (no K9).
    let out = uvtool()
        .args(["check", "--now", NOW_ARG, &fixture_str("keys/a/cert.pem")])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("K9"));
}

#[test]
fn serve_reads_a_utf16_or_bom_jwks_as_its_utf8_text() {
    use crate::common::serve::{get, Serve};
    const PATH: &str = "/.well-known/jwks.json";
    let d = TempDir::new().unwrap();
    let t = token();
    let jwks = text("keys/a/jwks.json");
    let crlf = jwks.replace('\n', "\r\n");
    // The same set written four ways: served as the same UTF-8 text (CRLF
    // kept: JSON whitespace), with no byte-order mark (RFC 8259 §8.1), so
    // the same ETag.
    let plain = write(d.path(), "plain.json", crlf.as_bytes());
    let bom = write(
        d.path(),
        "bom.json",
        &[b"\xef\xbb\xbf", crlf.as_bytes()].concat(),
    );
    let le = write(d.path(), "le.json", &utf16(&jwks, true));
    let be = write(d.path(), "be.json", &utf16(&jwks, false));
    let mut etags = Vec::new();
    for p in [&plain, &bom, &le, &be] {
        let s = Serve::start(p, &["--quiet"]);
        let r = get(s.addr, PATH, "");
        assert_eq!(r.status, 200, "{}", p.display());
        assert_eq!(
            String::from_utf8(r.body.clone()).unwrap(),
            crlf,
            "{}",
            p.display()
        );
        etags.push(r.header("etag").unwrap().to_string());
        // A verifier fetching it reads the key.
        uvtool()
            .args(["verify", "--jwks-url", &s.url])
            .args(["--now", NOW_ARG, "--iss", ISS])
            .arg(&t)
            .assert()
            .code(0)
            .stdout(contains("signed with RS256 by key \"fixture-a\""));
    }
    assert!(etags.iter().all(|e| *e == etags[0]), "{etags:?}");

    // A followed file replaced by its UTF-16 copy is the same set: no
    // reload logged, the same ETag.
    let followed = write(d.path(), "followed.json", crlf.as_bytes());
    let s = Serve::start(&followed, &[]);
    let tmp = write(d.path(), "next.tmp", &utf16(&jwks, true));
    std::fs::rename(&tmp, &followed).unwrap();
    let r = get(s.addr, PATH, "");
    assert_eq!((r.status, r.header("etag")), (200, Some(etags[0].as_str())));
    assert_eq!(r.body, crlf.as_bytes());
    let log = s.wait_log(&format!("\"GET {PATH} HTTP/1.1\" 200"));
    assert!(
        !log.contains("reloaded") && !log.contains("not reloading"),
        "{log}"
    );

    // UTF-16 that does not decode is named, at start.
    let mut broken = utf16(&jwks, true);
    broken.push(b'x');
    let p = write(d.path(), "broken.json", &broken);
    uvtool()
        .args(["serve", "--jwks", &p.to_string_lossy(), "--port", "0"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "uvtool: error: {}: starts with a UTF-16 byte-order mark but is not UTF-16 text (an odd length or a broken character); save it as UTF-8\n",
            p.display()
        ));
}

#[test]
fn a_token_wrapped_on_stdin_is_named_as_in_a_file() {
    let t = token();
    let jwks = fixture_str("keys/a/jwks.json");
    let lines = t.len().div_ceil(76);
    let msg = format!(
        "uvtool: note: <stdin>: the token looks wrapped over {lines} lines: join the lines into one (a token is header.payload.signature on one line)"
    );
    // As from a file: the note, and a verdict a line (the contract).
    for input in [
        folded(&t, 76).into_bytes(),
        folded(&t, 76).replace('\n', "\r\n").into_bytes(),
        utf16(&folded(&t, 76), true),
        utf16(&folded(&t, 76), false),
    ] {
        let out = verify(&["--jwks", &jwks])
            .arg("-")
            .write_stdin(input)
            .assert()
            .code(1)
            .stdout(contains("invalid: malformed token: "))
            .stdout(contains("(T0) [-:1]"))
            .stdout(contains(format!("[-:{lines}]")))
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.matches("uvtool: note:").count(), 1, "{err}");
        assert!(err.contains(&msg), "{err}");
    }
    // No token arguments is stdin too.
    verify(&["--jwks", &jwks])
        .write_stdin(folded(&t, 40))
        .assert()
        .code(1)
        .stderr(contains(format!(
            "uvtool: note: <stdin>: the token looks wrapped over {} lines",
            t.len().div_ceil(40)
        )));
    // Tokens one a line, and a damaged first line that is no wrapping: no note.
    for input in [
        format!("{t}\n{t}\n"),
        format!("{}\nnot a token\n{t}\n", &t[..40]),
    ] {
        let out = verify(&["--jwks", &jwks])
            .arg("-")
            .write_stdin(input)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("wrapped"), "{err}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("valid sub=user-1"),
            "{out:?}"
        );
    }
}

#[test]
fn a_keyset_url_answering_utf16_or_a_bom_is_read_as_a_file_is() {
    use crate::common::stub;
    let t = token();
    let jwks = text("keys/a/jwks.json");
    let mut broken = utf16(&jwks, true);
    broken.push(b'x');
    let bodies = [
        ("plain", jwks.as_bytes().to_vec()),
        ("bom", [b"\xef\xbb\xbf", jwks.as_bytes()].concat()),
        ("le", utf16(&jwks, true)),
        ("be", utf16(&jwks, false)),
        ("broken", broken),
    ];
    let server = stub::files(
        bodies
            .iter()
            .map(|(n, b)| (n.to_string(), b.clone()))
            .collect(),
    );
    let check = |name: &str| {
        uvtool()
            .args(["check", "--now", NOW_ARG, &server.url(&format!("/{name}"))])
            .output()
            .unwrap()
    };
    let plain = check("plain");
    let plain_out = String::from_utf8(plain.stdout).unwrap();
    assert_eq!(plain.status.code(), Some(0), "{plain_out}");
    for (name, _) in &bodies[..4] {
        let url = server.url(&format!("/{name}"));
        uvtool()
            .args(["verify", "--jwks-url", &url])
            .args(["--now", NOW_ARG, "--iss", ISS])
            .arg(&t)
            .assert()
            .code(0)
            .stdout(contains("signed with RS256 by key \"fixture-a\""));
        // `check` finds what it finds in the UTF-8 set, under this URL.
        let out = check(name);
        assert_eq!(out.status.code(), Some(0), "{name}");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            plain_out.replace("/plain", &format!("/{name}")),
            "{name}"
        );
    }
    // UTF-16 that does not decode is named.
    let url = server.url("/broken");
    let msg = "the body starts with a UTF-16 byte-order mark but is not UTF-16 text (an odd length or a broken character)";
    uvtool()
        .args(["verify", "--jwks-url", &url])
        .args(["--now", NOW_ARG, "--iss", ISS])
        .arg(&t)
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!("uvtool: error: {url}: {msg}\n"));
    let out = check("broken");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.starts_with(&format!("error E2 {url}: {msg}; fix: ")),
        "{stdout}"
    );
}

/// The words of every reader for UTF-16 that does not decode.
const NOT_UTF16: &str = "starts with a UTF-16 byte-order mark but is not UTF-16 text (an odd length or a broken character); save it as UTF-8";

#[test]
fn mint_refuses_a_sub_file_of_broken_utf16() {
    let d = TempDir::new().unwrap();
    let key = fixture_str("keys/a/private.pem");
    // A lone surrogate (was minted as sub "a\u{fffd}b"), an odd trailing
    // byte (was "cd" read as "c"), an odd byte alone.
    for (name, bytes) in [
        (
            "surrogate.txt",
            &b"\xff\xfea\x00\x00\xd8b\x00\n\x00c\x00"[..],
        ),
        ("odd.txt", b"\xff\xfec\x00d"),
        ("be.txt", b"\xfe\xff\x00a\xdc\x00"),
    ] {
        let p = write(d.path(), name, bytes);
        let mint = || {
            let mut c = uvtool();
            c.args(["mint", "--key", &key, "--iss", ISS, "--format", "jsonl"]);
            c
        };
        mint()
            .args(["--sub-file", &p.to_string_lossy()])
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!("uvtool: error: {}: {NOT_UTF16}\n", p.display()));
        mint()
            .args(["--sub-file", "-"])
            .write_stdin(bytes)
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!("uvtool: error: <stdin>: {NOT_UTF16}\n"));
    }
    // UTF-16 that decodes is still read as its text.
    let p = write(d.path(), "good.txt", &utf16("user-1\nuser-2\n", true));
    let out = uvtool()
        .args(["mint", "--key", &key, "--iss", ISS, "--format", "jsonl"])
        .args(["--sub-file", &p.to_string_lossy()])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains("\"sub\":\"user-1\""), "{out}");
}

#[test]
fn every_token_reader_refuses_broken_utf16_alike() {
    let d = TempDir::new().unwrap();
    let t = token();
    let jwks = fixture_str("keys/a/jwks.json");
    // A valid token then a lone surrogate; an odd byte after the mark.
    let mut broken = utf16(&format!("{t}\n"), true);
    broken.extend_from_slice(b"\x00\xd8");
    for (name, bytes) in [("broken.txt", broken), ("odd.txt", b"\xff\xfeA".to_vec())] {
        let p = write(d.path(), name, &bytes);
        let path = p.to_string_lossy().to_string();
        let want = format!("uvtool: error: {}: {NOT_UTF16}\n", p.display());
        verify(&["--jwks", &jwks])
            .arg(&path)
            .assert()
            .code(2)
            .stdout("")
            .stderr(want.clone());
        // Stdin alike, and a file after a good token: refused before any
        // verdict.
        verify(&["--jwks", &jwks])
            .arg("-")
            .write_stdin(bytes.clone())
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!("uvtool: error: <stdin>: {NOT_UTF16}\n"));
        verify(&["--jwks", &jwks])
            .args([&t, &path])
            .assert()
            .code(2)
            .stdout("")
            .stderr(want.clone());
        uvtool()
            .args(["decode", &path])
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(format!("{}: {NOT_UTF16}", p.display())));
        uvtool()
            .args(["check", &path, &jwks, "--now", NOW_ARG])
            .assert()
            .code(2)
            .stderr(contains(format!("{}: {NOT_UTF16}", p.display())));
    }
}

#[test]
fn a_key_file_on_stdin_where_tokens_go_is_refused_as_a_file_is() {
    let jwks = fixture_str("keys/a/jwks.json");
    let jwk = std::fs::read(fixture("keys/a/jwk.json")).unwrap();
    let want = "uvtool: error: <stdin>: is a JWK, not a token: give it with --jwks, and the token as the argument\n";
    verify(&["--jwks", &jwks])
        .arg("-")
        .write_stdin(jwk.clone())
        .assert()
        .code(2)
        .stdout("")
        .stderr(want);
    // No token argument is stdin too; checked before any other token.
    verify(&["--jwks", &jwks])
        .write_stdin(jwk.clone())
        .assert()
        .code(2)
        .stdout("")
        .stderr(want);
    verify(&["--jwks", &jwks])
        .args([&token(), "-"])
        .write_stdin(jwk)
        .assert()
        .code(2)
        .stdout("")
        .stderr(want);
}

#[test]
fn stdin_by_any_name_is_read_by_one_input() {
    let jwks = fixture_str("keys/a/jwks.json");
    for (a, b) in [
        ("/dev/stdin", "/dev/stdin"),
        ("-", "/dev/stdin"),
        ("/dev/fd/0", "-"),
    ] {
        verify(&["--jwks", &jwks])
            .args([a, b])
            .write_stdin(token())
            .assert()
            .code(2)
            .stdout("")
            .stderr(contains(
                "only one input can read stdin (-); pass the token as an argument",
            ));
    }
    verify(&["--jwks", "/dev/stdin"])
        .write_stdin(token())
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("only one input can read stdin (-)"));
}

#[test]
fn tokens_one_a_line_in_an_argument_are_several_tokens() {
    let t = token();
    let jwks = fixture_str("keys/a/jwks.json");
    let two = format!("{t}\n{t}\n");
    // verify: a verdict each, named by the argument and the line.
    let out = verify(&["--jwks", &jwks])
        .arg(&two)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.matches("valid sub=user-1").count(), 2, "{out}");
    assert!(
        out.contains("[<arg>:1:1]") && out.contains("[<arg>:1:2]"),
        "{out}"
    );
    assert!(!out.contains("JWE"), "{out}");
    // decode: each decoded, headed by its source.
    uvtool()
        .args(["decode", &two])
        .assert()
        .code(0)
        .stdout(contains("<arg>:1:1"))
        .stdout(contains("<arg>:1:2"));
    // A damaged one is named by its line.
    uvtool()
        .args(["decode", &format!("{t}\nabc.def\n")])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "uvtool: error: token:2: has 2 segment(s), expected 3 (header.payload.signature)",
        ));
    // check: an input each.
    uvtool()
        .args(["check", &two, &jwks, "--now", NOW_ARG])
        .assert()
        .stdout(contains("<arg>:1:1"))
        .stdout(contains("<arg>:1:2"))
        .stdout(contains("JWE").not());
    // platform-key: one token, as for a file of two.
    uvtool()
        .args(["platform-key", "--config", "acme", "--token", &two])
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains(
            "uvtool: error: token: holds 2 tokens; platform-key reads one",
        ));
}

#[test]
fn the_fix_for_a_wrapped_or_cut_token_is_true() {
    let d = TempDir::new().unwrap();
    let t = token();
    let jwks = fixture_str("keys/a/jwks.json");
    let p = write(d.path(), "wrapped.txt", folded(&t, 76).as_bytes());
    // decode refuses a wrapped token (exit 2), so check does not send the
    // user there: it says to join the lines.
    uvtool()
        .args(["decode", &p.to_string_lossy()])
        .assert()
        .code(2)
        .stderr(contains("the token looks wrapped"));
    uvtool()
        .args(["check", &p.to_string_lossy(), &jwks, "--now", NOW_ARG])
        .assert()
        .code(1)
        .stdout(contains(
            "fix: join its lines into one (a token is header.payload.signature on one line), then give it again",
        ))
        .stdout(contains("`uvtool decode` shows").not());
    // Cut at its last dot: named as possibly truncated.
    let cut = t.rsplit_once('.').unwrap().0;
    verify(&["--jwks", &jwks])
        .arg(cut)
        .assert()
        .code(1)
        .stdout(contains(
            "invalid: malformed token: has 2 segment(s), expected 3 (header.payload.signature): the last one is missing; truncated? copy the whole token",
        ));
    // A wrapped token then a good one on stdin: the note names the wrap.
    let lines = t.len().div_ceil(76);
    verify(&["--jwks", &jwks])
        .arg("-")
        .write_stdin(format!("{}{t}\n", folded(&t, 76)))
        .assert()
        .code(1)
        .stderr(contains(format!(
            "uvtool: note: <stdin>: the token looks wrapped over {lines} lines"
        )))
        .stdout(contains("valid sub=user-1"));
}
