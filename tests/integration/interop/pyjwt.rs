//! Interop with PyJWT (with cryptography), an implementation nobody here
//! wrote: it verifies our tokens against our JWKS and keys, and we verify
//! the tokens it mints, including its expired / wrong-key / wrong-kid /
//! alg-none cases. Skipped without the venv unless UVTOOL_REQUIRE_INTEROP=1.

use crate::common::token::{jwks_a_path, key_a, mint};
use crate::common::{fixture_str, python, run_python, uvtool};
use predicates::str::contains;
use serde_json::Value;

const PYJWT_VERIFIES: &str = r#"
import json, sys, jwt
jwks_path, pem_path, tokens = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
jwks = jwt.PyJWKSet.from_json(open(jwks_path).read())
pem = open(pem_path, "rb").read()
for alg, token in tokens.items():
    header = jwt.get_unverified_header(token)
    assert header["alg"] == alg, header
    claims = jwt.decode(token, pem, algorithms=[alg], issuer="https://acme.example",
                        options={"require": ["exp", "iat", "sub"]})
    assert claims["sub"] == "user-" + alg, claims
    if alg == "RS256":
        key = next(k for k in jwks.keys if k.key_id == header["kid"])
        claims = jwt.decode(token, key, algorithms=["RS256"], issuer="https://acme.example")
        assert claims["roles"] == ["a", "b"], claims
    # A tampered payload must fail for PyJWT too.
    h, p, s = token.split(".")
    bad = jwt.utils.base64url_encode(json.dumps({"sub": "admin", "exp": 9999999999}).encode()).decode()
    try:
        jwt.decode(h + "." + bad + "." + s, pem, algorithms=[alg])
        raise SystemExit("tampered token accepted for " + alg)
    except jwt.InvalidSignatureError:
        pass
    print("ok", alg)
"#;

const PYJWT_MINTS: &str = r#"
import json, sys, time, jwt
a, b = open(sys.argv[1]).read(), open(sys.argv[2]).read()
now = int(time.time())
claims = {"iss": "https://acme.example", "sub": "py-user", "iat": now, "exp": now + 600}
out = {
    "good": jwt.encode(claims, a, algorithm="RS256", headers={"kid": "fixture-a"}),
    "rs512": jwt.encode(claims, a, algorithm="RS512", headers={"kid": "fixture-a"}),
    "ps256": jwt.encode(claims, a, algorithm="PS256", headers={"kid": "fixture-a"}),
    "expired": jwt.encode(dict(claims, iat=now - 7200, exp=now - 3600), a, algorithm="RS256", headers={"kid": "fixture-a"}),
    "wrong_key": jwt.encode(claims, b, algorithm="RS256", headers={"kid": "fixture-a"}),
    "wrong_kid": jwt.encode(claims, a, algorithm="RS256", headers={"kid": "fixture-b"}),
    "none": jwt.encode(claims, None, algorithm="none", headers={"kid": "fixture-a"}),
    "hs256": jwt.encode(claims, "secret", algorithm="HS256", headers={"kid": "fixture-a"}),
}
print(json.dumps(out))
"#;

#[test]
fn pyjwt_verifies_our_tokens() {
    let Some(py) = python() else { return };
    let mut tokens = serde_json::Map::new();
    for alg in ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"] {
        let sub = format!("user-{alg}");
        let t = mint(&[
            "--key",
            &key_a(),
            "--kid",
            "fixture-a",
            "--alg",
            alg,
            "--sub",
            &sub,
            "--iss",
            "https://acme.example",
            "--ttl",
            "5m",
            "--claim",
            r#"roles=["a","b"]"#,
            "--jti",
            "auto",
        ]);
        tokens.insert(alg.into(), t.into());
    }
    let (ok, out, err) = run_python(
        &py,
        PYJWT_VERIFIES,
        &[
            &jwks_a_path(),
            &fixture_str("keys/a/public.pem"),
            &Value::Object(tokens).to_string(),
        ],
    );
    assert!(ok, "PyJWT refused our tokens:\n{out}\n{err}");
    assert_eq!(out.lines().count(), 6, "{out}");
}

#[test]
fn we_verify_pyjwt_tokens() {
    let Some(py) = python() else { return };
    let (ok, out, err) = run_python(
        &py,
        PYJWT_MINTS,
        &[&key_a(), &fixture_str("keys/b/private.pem")],
    );
    assert!(ok, "PyJWT failed:\n{err}");
    let t: Value = serde_json::from_str(&out).unwrap();
    let tok = |k: &str| t[k].as_str().unwrap().to_string();
    let jwks = jwks_a_path();
    let verify = |keys: &[&str], token: String| {
        uvtool()
            .arg("verify")
            .args(keys)
            .args(["--iss", "https://acme.example", "--config", "Cfg"])
            .arg(token)
            .assert()
    };
    verify(&["--jwks", &jwks], tok("good"))
        .success()
        .stdout(contains("valid\n"))
        .stdout(contains("platform key: v2/iamessage/AUTH/Cfg/uid:py-user"));
    // RS512 is the platform's; PS256 only under the rfc profile (T1).
    verify(&["--key", &fixture_str("keys/a/public.pem")], tok("rs512")).success();
    verify(&["--key", &fixture_str("keys/a/public.pem")], tok("ps256"))
        .code(1)
        .stdout(contains("(T1)"));
    verify(
        &[
            "--profile",
            "rfc",
            "--key",
            &fixture_str("keys/a/public.pem"),
        ],
        tok("ps256"),
    )
    .success();
    verify(&["--jwks", &jwks], tok("expired"))
        .code(1)
        .stdout(contains("invalid: expired 1h ago"));
    verify(&["--jwks", &jwks], tok("wrong_key"))
        .code(1)
        .stdout(contains(
            "invalid: signature does not verify with key \"fixture-a\"",
        ));
    verify(&["--jwks", &jwks], tok("wrong_kid"))
        .code(1)
        .stdout(contains("invalid: kid \"fixture-b\" is not in"));
    verify(&["--jwks", &jwks], tok("none"))
        .code(1)
        .stdout(contains("invalid: alg \"none\" is refused"));
    verify(&["--jwks", &jwks], tok("hs256"))
        .code(1)
        .stdout(contains("invalid: alg HS256 is refused"));
    // The batch of all of them, in order.
    let all = ["good", "expired", "wrong_key", "wrong_kid", "none"]
        .iter()
        .map(|k| tok(k))
        .collect::<Vec<_>>()
        .join("\n");
    let out = uvtool()
        .args(["verify", "--jwks", &jwks, "--json"])
        .write_stdin(all)
        .assert()
        .code(1);
    let codes: Vec<Value> = String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["code"].clone())
        .collect();
    assert_eq!(
        codes,
        [
            Value::Null,
            "exp".into(),
            "signature".into(),
            "kid".into(),
            "alg".into()
        ]
    );
}
