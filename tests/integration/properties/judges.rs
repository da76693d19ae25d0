//! One judge: `verify` and `check` never disagree on a token under the same
//! profile. For a generated corpus of tokens (every way the header, the
//! claims and the signature can go wrong, alone and together) against
//! several key sets, the verdict `verify --json` gives and the verdict line
//! `check` prints are the same: both valid, or both invalid for the same rule;
//! and so is the verdict the `uvtool ui` page shows (the library call behind
//! its API).

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::{json, Map, Value};
use tempfile::TempDir;

use crate::common::{fixture, fixture_str, uvtool};

use crate::common::clock::NOW;
const ISS: &str = "https://issuer.example";

/// One generated case.
#[derive(Debug, Clone)]
struct Case {
    alg: &'static str,
    kid: Option<&'static str>,
    signer: &'static str,
    iss: Option<&'static str>,
    sub: Option<Value>,
    exp: Option<Value>,
    iat: Option<i64>,
    nbf: Option<i64>,
    typ: Option<&'static str>,
    crit: bool,
    tamper: bool,
    keys: usize,
    rfc: bool,
    want_iss: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        (
            prop::sample::select(vec!["RS256", "RS512", "PS256", "RS384", "none", "HS256"]),
            prop::sample::select(vec![
                Some("fixture-a"),
                Some("fixture-b"),
                Some("unknown"),
                None,
            ]),
            prop::sample::select(vec!["a", "b"]),
            prop::sample::select(vec![Some(ISS), Some("https://issuer.example/"), None]),
            prop::sample::select(vec![
                Some(json!("user-1")),
                Some(json!("")),
                Some(json!("team/alice")),
                Some(json!(5)),
                None,
            ]),
            prop::sample::select(vec![
                Some(json!(NOW + 600)),
                Some(json!(NOW - 30)),
                Some(json!(NOW - 120)),
                Some(json!(NOW + 3 * 86400)),
                Some(json!((NOW + 600) * 1000)),
                Some(json!("tomorrow")),
                Some(json!(NOW as f64 + 0.5)),
                None,
            ]),
        ),
        (
            prop::sample::select(vec![Some(-10i64), Some(30), Some(120), None]),
            prop::sample::select(vec![None, Some(30i64), Some(300)]),
            prop::sample::select(vec![Some("JWT"), None, Some("at+jwt")]),
            any::<bool>(),
            prop::bool::weighted(0.1),
            0usize..KEY_SETS,
            any::<bool>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (alg, kid, signer, iss, sub, exp),
                (iat, nbf, typ, crit, tamper, keys, rfc, want_iss),
            )| Case {
                alg,
                kid,
                signer,
                iss,
                sub,
                exp,
                iat,
                nbf,
                typ,
                crit: crit && alg == "RS256" && kid.is_some(),
                tamper,
                keys,
                rfc,
                want_iss,
            },
        )
}

fn b64(v: &[u8]) -> String {
    uvtool::b64::url_encode(v)
}

fn token(c: &Case) -> String {
    let mut h = Map::new();
    h.insert("alg".into(), c.alg.into());
    if let Some(k) = c.kid {
        h.insert("kid".into(), k.into());
    }
    if let Some(t) = c.typ {
        h.insert("typ".into(), t.into());
    }
    if c.crit {
        h.insert("crit".into(), json!(["b64"]));
    }
    let mut p = Map::new();
    if let Some(i) = c.iss {
        p.insert("iss".into(), i.into());
    }
    if let Some(s) = &c.sub {
        p.insert("sub".into(), s.clone());
    }
    if let Some(i) = c.iat {
        p.insert("iat".into(), (NOW + i).into());
    }
    if let Some(n) = c.nbf {
        p.insert("nbf".into(), (NOW + n).into());
    }
    if let Some(e) = &c.exp {
        p.insert("exp".into(), e.clone());
    }
    let input = format!(
        "{}.{}",
        b64(&serde_json::to_vec(&h).unwrap()),
        b64(&serde_json::to_vec(&p).unwrap())
    );
    let sig = match uvtool::token::Alg::from_name(c.alg) {
        Some(alg) => {
            let rel = format!("keys/{}/private.pem", c.signer);
            let k =
                uvtool::keys::load_private(&std::fs::read(fixture(&rel)).unwrap(), &rel).unwrap();
            uvtool::token::sign(&k, alg, input.as_bytes()).unwrap()
        }
        None if c.alg == "HS256" => {
            let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, b"secret");
            aws_lc_rs::hmac::sign(&key, input.as_bytes())
                .as_ref()
                .to_vec()
        }
        None => Vec::new(),
    };
    let mut sig = b64(&sig);
    if c.tamper && sig.len() > 10 {
        sig.truncate(sig.len() - 8);
    }
    format!("{input}.{sig}")
}

const KEY_SETS: usize = 6;

/// The key sets, as (verify arguments, check inputs).
fn key_sets(dir: &Path) -> Vec<(Vec<String>, Vec<String>)> {
    let a_jwk: Map<String, Value> =
        serde_json::from_slice(&std::fs::read(fixture("keys/a/jwk.json")).unwrap()).unwrap();
    let write = |name: &str, v: &Value| -> String {
        let p: PathBuf = dir.join(name);
        std::fs::write(&p, serde_json::to_vec_pretty(v).unwrap()).unwrap();
        p.to_string_lossy().into_owned()
    };
    let mut no_x5c = a_jwk.clone();
    no_x5c.remove("x5c");
    no_x5c.remove("x5t#S256");
    let mut enc = a_jwk.clone();
    enc.insert("use".into(), "enc".into());
    let no_x5c = write("no-x5c.json", &Value::Object(no_x5c));
    let enc = write("enc.json", &Value::Object(enc));
    let jwks = |f: &str| {
        (
            vec!["--jwks".to_string(), f.to_string()],
            vec![f.to_string()],
        )
    };
    let a = fixture_str("keys/a/jwks.json");
    let b = fixture_str("keys/b/jwks.json");
    let cert = fixture_str("keys/a/cert.pem");
    let official = fixture_str("check/official-sample.json");
    vec![
        jwks(&a),
        (
            vec!["--jwks".into(), a.clone(), "--jwks".into(), b.clone()],
            vec![a.clone(), b.clone()],
        ),
        jwks(&no_x5c),
        jwks(&enc),
        (vec!["--cert".into(), cert.clone()], vec![cert]),
        jwks(&official),
    ]
}

/// `Some(rule)` for invalid, `None` for valid.
type Verdict = Option<String>;

fn via_verify(c: &Case, t: &str, keys: &[String]) -> Option<Verdict> {
    let mut cmd = uvtool();
    cmd.args(["verify", "--json", "--now", &NOW.to_string()]);
    if c.rfc {
        cmd.args(["--profile", "rfc"]);
    }
    if c.want_iss {
        cmd.args(["--iss", ISS]);
    }
    let out = cmd.args(keys).arg(t).output().unwrap();
    match out.status.code() {
        Some(0) | Some(1) => {}
        _ => return None, // unusable input: no verdict to compare
    }
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    Some(v["rule"].as_str().map(str::to_string))
}

fn via_check(c: &Case, t: &str, inputs: &[String], dir: &Path) -> Verdict {
    let f = dir.join("token.jwt");
    std::fs::write(&f, t).unwrap();
    let mut cmd = uvtool();
    cmd.arg("check").arg(&f).args(inputs);
    cmd.args(["--now", &NOW.to_string()]);
    if c.rfc {
        cmd.args(["--profile", "rfc"]);
    }
    if c.want_iss {
        cmd.args(["--iss", ISS]);
    }
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("verdict ("))
        .unwrap_or_else(|| panic!("check printed no verdict: {text}"));
    if line.contains("): valid under") {
        return None;
    }
    let rule = line
        .rsplit_once(" (")
        .map(|(_, r)| r.trim_end_matches(')').to_string())
        .unwrap_or_else(|| panic!("no rule in {line}"));
    Some(rule)
}

/// The verdict of the `uvtool ui` page: the library call behind its
/// `POST /api/inspect`, on the same keys, clock and issuer.
fn via_page(c: &Case, t: &str, keys: &[String]) -> Verdict {
    use uvtool::inspect::{inspect, Keyring, Settings};
    use uvtool::read::{key_file, KeyKind};
    let settings = Settings {
        iss: c.want_iss.then(|| ISS.to_string()),
        now: Some(NOW),
        ..Settings::default()
    };
    let docs: Vec<_> = keys
        .chunks(2)
        .map(|p| {
            let given = if p[0] == "--cert" {
                KeyKind::Cert
            } else {
                KeyKind::Jwks
            };
            key_file(&std::fs::read(&p[1]).unwrap(), &p[1], given)
                .1
                .unwrap_or_else(|e| panic!("the page cannot read keys verify read: {e}"))
        })
        .collect();
    let ring = Keyring::load(uvtool::verify::KeyInputs::Files(docs), &settings)
        .unwrap_or_else(|e| panic!("the page cannot read keys verify read: {e}"));
    let v = inspect(t, &ring, &settings);
    let profile = if c.rfc { "rfc" } else { "platform" };
    v["verdicts"][profile]["rule"].as_str().map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn verify_and_check_agree(c in case()) {
        let d = TempDir::new().unwrap();
        let sets = key_sets(d.path());
        let (vargs, cinputs) = &sets[c.keys];
        let t = token(&c);
        let Some(v) = via_verify(&c, &t, vargs) else {
            return Ok(());
        };
        let k = via_check(&c, &t, cinputs, d.path());
        prop_assert_eq!(&v, &k, "case {:?}\ntoken {}", c, t);
        let p = via_page(&c, &t, vargs);
        prop_assert_eq!(&v, &p, "the ui page disagrees: case {:?}\ntoken {}", c, t);
    }
}

#[test]
fn the_reported_disagreements_of_the_issue_are_gone() {
    // Each of these disagreed before the one judge (issue 10).
    let d = TempDir::new().unwrap();
    let sets = key_sets(d.path());
    let base = Case {
        alg: "RS256",
        kid: Some("fixture-a"),
        signer: "a",
        iss: Some(ISS),
        sub: Some(json!("user-1")),
        exp: Some(json!(NOW + 600)),
        iat: Some(-10),
        nbf: None,
        typ: Some("JWT"),
        crit: false,
        tamper: false,
        keys: 0,
        rfc: false,
        want_iss: true,
    };
    let both = |c: &Case| -> (Verdict, Verdict) {
        let (vargs, cinputs) = &sets[c.keys];
        let t = token(c);
        (
            via_verify(c, &t, vargs).expect("a verdict"),
            via_check(c, &t, cinputs, d.path()),
        )
    };
    let expect = |c: Case, want: Option<&str>| {
        let (v, k) = both(&c);
        assert_eq!(v.as_deref(), want, "verify: {c:?}");
        assert_eq!(k.as_deref(), want, "check: {c:?}");
        let p = via_page(&c, &token(&c), &sets[c.keys].0);
        assert_eq!(p.as_deref(), want, "ui page: {c:?}");
    };
    expect(base.clone(), None);
    // exp in milliseconds, and absurd: refused by both (T14).
    expect(
        Case {
            exp: Some(json!((NOW + 600) * 1000)),
            ..base.clone()
        },
        Some("T14"),
    );
    // iat 30 s ahead: inside the one leeway for both.
    expect(
        Case {
            iat: Some(30),
            ..base.clone()
        },
        None,
    );
    // crit: refused by both.
    expect(
        Case {
            crit: true,
            ..base.clone()
        },
        Some("T11"),
    );
    // use "enc": K11 for both.
    expect(
        Case {
            keys: 3,
            ..base.clone()
        },
        Some("K11"),
    );
    // The platform refuses PS256, RS384, a missing sub or iss, a key without x5c.
    expect(
        Case {
            alg: "PS256",
            ..base.clone()
        },
        Some("T1"),
    );
    expect(
        Case {
            alg: "RS384",
            ..base.clone()
        },
        Some("T1"),
    );
    expect(
        Case {
            sub: None,
            ..base.clone()
        },
        Some("T3"),
    );
    expect(
        Case {
            iss: None,
            want_iss: false,
            ..base.clone()
        },
        Some("T4"),
    );
    expect(
        Case {
            keys: 2,
            ..base.clone()
        },
        Some("K13"),
    );
}

#[test]
fn every_token_of_the_fixture_corpus_gets_one_verdict() {
    // The committed corpus (uvtool fixtures --seed ci): for each token and
    // each profile, verify's verdict is check's, and both are the manifest's.
    let dir = fixture("corpus");
    let m: Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let mut seen = 0;
    for f in m["files"].as_array().unwrap() {
        if f["kind"] != "token" {
            continue;
        }
        let token = std::fs::read_to_string(dir.join(f["file"].as_str().unwrap())).unwrap();
        let args: Vec<String> = f["verify_args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect();
        for profile in ["platform", "rfc"] {
            let want = f["expect"][profile]["rule"].as_str().map(str::to_string);
            let verify = uvtool()
                .current_dir(&dir)
                .args(["verify", "--json", "--profile", profile])
                .args(&args)
                .arg(token.trim())
                .output()
                .unwrap();
            let v: Value = serde_json::from_slice(&verify.stdout).unwrap();
            let got_v = v["rule"].as_str().map(str::to_string);
            // check takes the same inputs: the key file and the flags.
            let mut check = uvtool();
            check
                .current_dir(&dir)
                .args(["check", "--profile", profile])
                .arg(f["file"].as_str().unwrap());
            let mut it = args.iter();
            while let Some(a) = it.next() {
                match a.as_str() {
                    "--jwks" => {
                        check.arg(it.next().unwrap());
                    }
                    "--aud" => {
                        it.next();
                    }
                    other => {
                        check.arg(other);
                    }
                }
            }
            let out = check.output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let line = text.lines().find(|l| l.starts_with("verdict (")).unwrap();
            let got_c = if line.contains("): valid under") {
                None
            } else {
                line.rsplit_once(" (")
                    .map(|(_, r)| r.trim_end_matches(')').to_string())
            };
            // check has no --aud (A1 is a verify request), so only the
            // entries that do not ask for an audience are compared there.
            let asks_aud = args.iter().any(|a| a == "--aud");
            assert_eq!(got_v, want, "verify {profile} {}", f["file"]);
            if !asks_aud {
                assert_eq!(got_c, want, "check {profile} {}", f["file"]);
            }
            seen += 1;
        }
    }
    assert!(seen >= 70, "only {seen} verdicts compared");
}
