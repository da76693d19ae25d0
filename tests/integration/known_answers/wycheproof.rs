//! Project Wycheproof RSA signature vectors (fixtures/vectors/wycheproof/)
//! run through the verification code the CLI uses: the key is read from the
//! vector's JWK as `verify --jwks` reads a set (`StaticKeys::add_jwk_doc`, the
//! one key model), cross-checked against `jwk::parse_rsa_strict` and its
//! SPKI DER via `keys::load_public`; every signature goes through
//! `policy::Key::verify`, the one RSA path `uvtool verify` calls.
//!
//! Every `valid` vector must verify and every `invalid` one must be refused.
//! The `acceptable` vectors (a DigestInfo without the NULL parameter,
//! flag `MissingNull`) may go either way by the standard; uvtool refuses
//! them (aws-lc-rs compares the full encoded DigestInfo), and the test pins
//! that so a change in the backend is noticed. See docs/HARDENING.md.

use serde_json::Value;

use uvtool::policy::Key;
use uvtool::token::Alg;
use uvtool::{jwk, keys};

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

#[derive(Debug, Default, PartialEq)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable_refused: usize,
    acceptable_accepted: usize,
}

impl Tally {
    fn total(&self) -> usize {
        self.valid + self.invalid + self.acceptable_refused + self.acceptable_accepted
    }
}

/// Run one Wycheproof file; panics naming the first disagreement.
fn run(file: &str, alg: Alg) -> Tally {
    let path = crate::common::fixture(&format!("vectors/wycheproof/{file}"));
    let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let mut tally = Tally::default();
    let mut disagreements = Vec::new();
    for group in doc["testGroups"].as_array().unwrap() {
        let jwk_value = group
            .get("keyJwk")
            .or_else(|| group.get("publicKeyJwk"))
            .expect("group has a JWK");
        let obj = jwk_value.as_object().unwrap().clone();
        let parsed = jwk::parse_rsa_strict(&obj, file).expect("vector key loads as a JWK");
        let public = parsed.public;
        // The same key read from its SPKI DER.
        let der = hex(group["publicKeyDer"].as_str().unwrap());
        assert_eq!(
            keys::load_public(&der, file).expect("vector key loads as DER"),
            public,
            "{file}: JWK and SPKI DER disagree"
        );
        // The key as `verify --jwks` reads it: the one key model.
        let set = serde_json::json!({ "keys": [jwk_value] }).to_string();
        let settings = uvtool::policy::Settings::default();
        let mut keys = uvtool::verify::StaticKeys::new();
        keys.add_jwk_doc(set.as_bytes(), file, &settings)
            .expect("vector key loads as a JWKS");
        let prepared: &Key = &uvtool::verify::KeySource::keys(&keys)[0];
        assert_eq!(
            prepared.public.as_ref(),
            Some(&public),
            "{file}: the set's key differs"
        );
        for t in group["tests"].as_array().unwrap() {
            let id = t["tcId"].as_u64().unwrap();
            let msg = hex(t["msg"].as_str().unwrap());
            let sig = hex(t["sig"].as_str().unwrap());
            let ok = prepared.verify(alg, &msg, &sig);
            let result = t["result"].as_str().unwrap();
            let comment = t["comment"].as_str().unwrap_or("");
            match (result, ok) {
                ("valid", true) => tally.valid += 1,
                ("invalid", false) => tally.invalid += 1,
                ("acceptable", false) => tally.acceptable_refused += 1,
                ("acceptable", true) => tally.acceptable_accepted += 1,
                _ => disagreements.push(format!(
                    "tcId {id} expected {result}, uvtool said {} ({comment}; flags {})",
                    if ok { "valid" } else { "invalid" },
                    t["flags"]
                )),
            }
        }
    }
    assert!(
        disagreements.is_empty(),
        "{file} ({alg}): {} disagreement(s):\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    assert_eq!(
        tally.total() as u64,
        doc["numberOfTests"].as_u64().unwrap(),
        "{file}: every vector counted"
    );
    eprintln!("{file} ({alg}): {tally:?}");
    tally
}

/// A test that checks one vector file under `alg` and expects this tally:
/// (valid, invalid, acceptable refused, acceptable accepted).
macro_rules! vectors {
    ($(#[$doc:meta])* $name:ident: $file:literal, $alg:ident => ($v:expr, $i:expr, $ar:expr, $aa:expr)) => {
        $(#[$doc])*
        #[test]
        fn $name() {
            let want = Tally {
                valid: $v,
                invalid: $i,
                acceptable_refused: $ar,
                acceptable_accepted: $aa,
            };
            assert_eq!(run($file, Alg::$alg), want);
        }
    };
}

vectors!(rsa_pkcs1_2048_sha256: "rsa_signature_2048_sha256_test.json", RS256 => (9, 249, 1, 0));
vectors!(rsa_pkcs1_2048_sha512: "rsa_signature_2048_sha512_test.json", RS512 => (8, 250, 1, 0));
vectors!(rsa_pkcs1_3072_sha256: "rsa_signature_3072_sha256_test.json", RS256 => (8, 250, 1, 0));
vectors!(rsa_pkcs1_4096_sha512: "rsa_signature_4096_sha512_test.json", RS512 => (7, 251, 1, 0));
vectors!(
    /// PS256 as RFC 7518 §3.5 defines it: MGF1 with SHA-256, salt 32 bytes.
    rsa_pss_2048_sha256_salt_32: "rsa_pss_2048_sha256_mgf1_32_test.json", PS256 => (63, 45, 0, 0)
);

#[test]
fn a_vector_key_under_another_algorithm_is_refused() {
    // The first valid RS256 vector must not verify as RS512 or PS256: the
    // algorithm is bound to the check, not guessed from the signature.
    let path = crate::common::fixture("vectors/wycheproof/rsa_signature_2048_sha256_test.json");
    let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let group = &doc["testGroups"][0];
    let public = jwk::parse_rsa_strict(group["keyJwk"].as_object().unwrap(), "v")
        .unwrap()
        .public;
    let t = group["tests"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["result"] == "valid")
        .unwrap();
    let (msg, sig) = (
        hex(t["msg"].as_str().unwrap()),
        hex(t["sig"].as_str().unwrap()),
    );
    let key = Key::new(None, None, public, "v");
    assert!(key.verify(Alg::RS256, &msg, &sig));
    for other in [Alg::RS384, Alg::RS512, Alg::PS256, Alg::PS384, Alg::PS512] {
        assert!(
            !key.verify(other, &msg, &sig),
            "{other} accepted an RS256 signature"
        );
    }
}
