//! The interop matrix (docs/INTEROP.md): for RS256..PS512, tokens minted by
//! uvtool are verified by PyJWT, jwcrypto and openssl; tokens minted by PyJWT
//! and jwcrypto are verified by uvtool; uvtool's JWK and JWKS load in PyJWT
//! and jwcrypto; uvtool's certificates verify and print with openssl; keys
//! made by openssl (PKCS#1 and PKCS#8, PEM and DER) sign with uvtool.
//!
//! Each direction runs one Python process over a manifest, so the matrix
//! stays quick. Every pair is counted, and the count is pinned so a silently
//! skipped pair fails the test.

use std::fs;
use std::path::Path;

use serde_json::{json, Value};

use crate::common::files::{b64url, hex_upper};
use crate::common::token::{self, key_a};
use crate::common::{fixture_str, openssl, python, run_python, uvtool};

const ALGS: [&str; 6] = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

/// Private keys uvtool signs with: its own (keygen's PKCS#8 PEM) and the
/// four openssl-made forms of one key.
const SIGNING_KEYS: [(&str, &str); 5] = [
    ("keys/a/private.pem", "keys/a/public.pem"),
    ("keys/openssl-pkcs1.pem", "keys/openssl-spki.pem"),
    ("keys/openssl-pkcs8.pem", "keys/openssl-spki.pem"),
    ("keys/openssl-pkcs1.der", "keys/openssl-spki.pem"),
    ("keys/openssl-pkcs8.der", "keys/openssl-spki.pem"),
];

fn mint(key: &str, alg: &str, sub: &str) -> String {
    token::mint(&["--key", key, "--alg", alg, "--sub", sub, "--ttl", "10m"])
}

/// `uvtool jwk` for key A's certificate with an `alg`, written to `dir`.
fn jwk_for(dir: &Path, alg: &str) -> (String, String) {
    let jwk = dir.join(format!("jwk-{alg}.json"));
    uvtool()
        .args([
            "jwk",
            "--cert",
            &fixture_str("keys/a/cert.pem"),
            "--alg",
            alg,
        ])
        .arg("--out")
        .arg(&jwk)
        .assert()
        .success();
    let jwks = dir.join(format!("jwks-{alg}.json"));
    uvtool()
        .arg("jwks")
        .arg(&jwk)
        .arg("--out")
        .arg(&jwks)
        .assert()
        .success();
    (
        jwk.to_string_lossy().into_owned(),
        jwks.to_string_lossy().into_owned(),
    )
}

const PY_VERIFY: &str = r#"
import json, sys
import jwt
from jwcrypto import jwk as jjwk, jwt as jjwt
from cryptography.hazmat.primitives import serialization

rows = json.load(open(sys.argv[1]))
out = []
for r in rows:
    res = {"id": r["id"]}
    try:
        pem = open(r["public_pem"], "rb").read()
        claims = jwt.decode(r["token"], pem, algorithms=[r["alg"]],
                            options={"require": ["exp", "sub"]})
        assert claims["sub"] == r["sub"], claims
        res["pyjwt_pem"] = "ok"
    except Exception as e:
        res["pyjwt_pem"] = repr(e)
    if r.get("jwk"):
        try:
            doc = json.load(open(r["jwk"]))
            # PyJWT reads uvtool's JWK and verifies with it.
            k = jwt.PyJWK(doc)
            assert k.key_type == "RSA" and k.algorithm_name == r["alg"], (k.key_type, k.algorithm_name)
            claims = jwt.decode(r["token"], k, algorithms=[r["alg"]])
            assert claims["sub"] == r["sub"]
            res["pyjwt_jwk"] = "ok"
        except Exception as e:
            res["pyjwt_jwk"] = repr(e)
        try:
            key = jjwk.JWK(**json.load(open(r["jwk"])))
            t = jjwt.JWT(jwt=r["token"], key=key, algs=[r["alg"]])
            assert json.loads(t.claims)["sub"] == r["sub"]
            res["jwcrypto_jwk"] = "ok"
        except Exception as e:
            res["jwcrypto_jwk"] = repr(e)
        try:
            ks = jjwk.JWKSet.from_json(open(r["jwks"]).read())
            t = jjwt.JWT(jwt=r["token"], key=ks, algs=[r["alg"]])
            assert json.loads(t.claims)["sub"] == r["sub"]
            # PyJWT's JWKS reader finds the key by kid.
            s = jwt.PyJWKSet.from_json(open(r["jwks"]).read())
            kid = jwt.get_unverified_header(r["token"])["kid"]
            jwt.decode(r["token"], s[kid], algorithms=[r["alg"]])
            res["jwks"] = "ok"
        except Exception as e:
            res["jwks"] = repr(e)
    out.append(res)
print(json.dumps(out))
"#;

/// uvtool mints with every signing key and algorithm; PyJWT verifies with
/// the public PEM, and for key A also PyJWT and jwcrypto with uvtool's JWK
/// and JWKS (which carry that `alg`).
#[test]
fn uvtool_mints_pyjwt_and_jwcrypto_verify() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    for (ki, (key, public)) in SIGNING_KEYS.iter().enumerate() {
        for alg in ALGS {
            let sub = format!("user-{ki}-{alg}");
            let token = mint(&fixture_str(key), alg, &sub);
            let mut row = json!({
                "id": format!("{key} {alg}"),
                "alg": alg, "sub": sub, "token": token,
                "public_pem": fixture_str(public),
            });
            if ki == 0 {
                let (jwk, jwks) = jwk_for(dir.path(), alg);
                row["jwk"] = jwk.into();
                row["jwks"] = jwks.into();
            }
            rows.push(row);
        }
    }
    let manifest = dir.path().join("rows.json");
    fs::write(&manifest, serde_json::to_vec(&rows).unwrap()).unwrap();
    let (ok, stdout, stderr) = run_python(&py, PY_VERIFY, &[manifest.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let results: Vec<Value> = serde_json::from_str(stdout.trim()).unwrap();
    let mut pairs = 0;
    let mut bad = Vec::new();
    for r in &results {
        for (k, v) in r.as_object().unwrap() {
            if k == "id" {
                continue;
            }
            pairs += 1;
            if v != "ok" {
                bad.push(format!("{} {k}: {v}", r["id"]));
            }
        }
    }
    assert!(bad.is_empty(), "failures:\n{}", bad.join("\n"));
    // 5 keys x 6 algs with PyJWT (PEM) + key A x 6 algs x (PyJWT JWK,
    // jwcrypto JWK, JWKS in both).
    assert_eq!(pairs, 30 + 18);
}

/// uvtool mints; openssl checks the raw signature over the signing input
/// (PKCS#1 v1.5, or PSS with a salt as long as the hash).
#[test]
fn uvtool_mints_openssl_verifies_the_signature() {
    let dir = tempfile::tempdir().unwrap();
    let public = fixture_str("keys/openssl-spki.pem");
    for alg in ALGS {
        let token = mint(&fixture_str("keys/openssl-pkcs8.der"), alg, "u");
        let (signing_input, _) = token.rsplit_once('.').unwrap();
        let msg = dir.path().join(format!("{alg}.msg"));
        let sigf = dir.path().join(format!("{alg}.sig"));
        fs::write(&msg, signing_input).unwrap();
        fs::write(&sigf, token::segment_bytes(&token, 2)).unwrap();
        let digest = format!("-sha{}", &alg[2..]);
        let mut args = vec![
            "dgst",
            &digest,
            "-verify",
            &public,
            "-signature",
            sigf.to_str().unwrap(),
        ];
        if alg.starts_with("PS") {
            args.extend([
                "-sigopt",
                "rsa_padding_mode:pss",
                "-sigopt",
                "rsa_pss_saltlen:digest",
            ]);
        }
        args.push(msg.to_str().unwrap());
        let (ok, out, err) = openssl(&args);
        assert!(ok && out.contains("Verified OK"), "{alg}: {out} {err}");
    }
}

const PY_MINT: &str = r#"
import json, sys, time
import jwt
from jwcrypto import jwk as jjwk, jwt as jjwt

pem = open(sys.argv[1], "rb").read()
key = jjwk.JWK.from_pem(pem)
kid = sys.argv[2]
now = int(time.time())
out = []
for alg in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]:
    claims = {"sub": "py-" + alg, "iat": now, "exp": now + 600}
    t = jwt.encode(claims, pem, algorithm=alg, headers={"kid": kid})
    out.append({"by": "PyJWT", "alg": alg, "sub": claims["sub"], "token": t})
    claims = {"sub": "jwcrypto-" + alg, "iat": now, "exp": now + 600}
    t = jjwt.JWT(header={"alg": alg, "kid": kid, "typ": "JWT"}, claims=claims)
    t.make_signed_token(key)
    out.append({"by": "jwcrypto", "alg": alg, "sub": claims["sub"], "token": t.serialize()})
print(json.dumps(out))
"#;

/// PyJWT and jwcrypto mint with every algorithm; uvtool verifies against
/// the JWKS (JWK without `alg`, as keygen's kid), the certificate and the
/// public key, and reports the right `sub`.
#[test]
fn pyjwt_and_jwcrypto_mint_uvtool_verifies() {
    let Some(py) = python() else { return };
    let dir = tempfile::tempdir().unwrap();
    // A JWKS whose key has no "alg", so one set serves every algorithm.
    let jwks = dir.path().join("jwks.json");
    uvtool()
        .args([
            "jwk",
            "--cert",
            &fixture_str("keys/a/cert.pem"),
            "--kid",
            "fixture-a",
        ])
        .arg("--out")
        .arg(dir.path().join("jwk.json"))
        .assert()
        .success();
    let mut jwk: Value =
        serde_json::from_slice(&fs::read(dir.path().join("jwk.json")).unwrap()).unwrap();
    jwk.as_object_mut().unwrap().remove("alg");
    fs::write(
        &jwks,
        serde_json::to_vec(&json!({ "keys": [jwk] })).unwrap(),
    )
    .unwrap();

    let (ok, stdout, stderr) = run_python(&py, PY_MINT, &[&key_a(), "fixture-a"]);
    assert!(ok, "{stderr}");
    let tokens: Vec<Value> = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(tokens.len(), 12);
    let sources: [(&str, String); 3] = [
        ("--jwks", jwks.to_string_lossy().into_owned()),
        ("--cert", fixture_str("keys/a/cert.pem")),
        ("--key", fixture_str("keys/a/public.pem")),
    ];
    let mut pairs = 0;
    for t in &tokens {
        for (flag, src) in &sources {
            let out = uvtool()
                .args(["verify", "--profile", "rfc", "--json", flag, src])
                .arg(t["token"].as_str().unwrap())
                .output()
                .unwrap();
            let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
            assert!(
                out.status.success() && v["valid"] == true,
                "{} {} via {flag}: {} {}",
                t["by"],
                t["alg"],
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(v["alg"], t["alg"]);
            assert_eq!(v["claims"]["sub"], t["sub"]);
            pairs += 1;
        }
    }
    assert_eq!(pairs, 36);
}

/// uvtool's certificates (keygen's fixtures A, B and 4096, and a fresh
/// `uvtool cert` for an openssl-made key) verify as self-signed with
/// openssl, print, and carry the same key as uvtool's JWK.
#[test]
fn uvtool_certificates_verify_and_print_with_openssl() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("cert.pem");
    uvtool()
        .args([
            "cert",
            "--key",
            &fixture_str("keys/openssl-pkcs1.der"),
            "--subject",
            "CN=interop matrix",
            "--days",
            "30",
        ])
        .arg("--out")
        .arg(&fresh)
        .assert()
        .success();
    let certs = [
        fixture_str("keys/a/cert.pem"),
        fixture_str("keys/b/cert.pem"),
        fixture_str("keys/rsa4096/cert.pem"),
        fresh.to_string_lossy().into_owned(),
    ];
    for c in &certs {
        let (ok, out, err) = openssl(&["verify", "-x509_strict", "-CAfile", c, c]);
        assert!(ok && out.contains(": OK"), "{c}: {out} {err}");
        let (ok, text, err) = openssl(&["x509", "-in", c, "-noout", "-text"]);
        assert!(ok, "{c}: {err}");
        assert!(
            text.contains("Signature Algorithm: sha256WithRSAEncryption"),
            "{text}"
        );
        assert!(text.contains("Version: 3"), "{text}");
        // openssl's modulus equals the JWK's n.
        let (ok, m, _) = openssl(&["x509", "-in", c, "-noout", "-modulus"]);
        assert!(ok);
        let out = uvtool().args(["jwk", "--cert", c]).output().unwrap();
        let jwk: Value = serde_json::from_slice(&out.stdout).unwrap();
        let hex = hex_upper(&b64url(&jwk["n"]));
        assert_eq!(m.trim(), format!("Modulus={hex}"), "{c}");
    }
}
