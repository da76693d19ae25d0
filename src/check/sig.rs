//! RSA signature verification for T7.
//!
//! A small private helper on aws-lc-rs. Once the tokens work lands its
//! verification function in `src/verify.rs`, T7 should call that instead.

use aws_lc_rs::signature::{self, RsaParameters, RsaPublicKeyComponents};

use crate::keys::RsaPublic;

/// The aws-lc-rs parameters for a JWS `alg`, or `None` for one uvtool does not verify.
fn params(alg: &str) -> Option<&'static RsaParameters> {
    Some(match alg {
        "RS256" => &signature::RSA_PKCS1_2048_8192_SHA256,
        "RS384" => &signature::RSA_PKCS1_2048_8192_SHA384,
        "RS512" => &signature::RSA_PKCS1_2048_8192_SHA512,
        "PS256" => &signature::RSA_PSS_2048_8192_SHA256,
        "PS384" => &signature::RSA_PSS_2048_8192_SHA384,
        "PS512" => &signature::RSA_PSS_2048_8192_SHA512,
        _ => return None,
    })
}

/// Whether `alg` is one this helper can verify.
pub(crate) fn supported(alg: &str) -> bool {
    params(alg).is_some()
}

/// Verify `sig` over `msg` with `public` under `alg`. False for a bad
/// signature, an unsupported `alg` or a key outside 2048–8192 bits.
pub(crate) fn verify(public: &RsaPublic, alg: &str, msg: &[u8], sig: &[u8]) -> bool {
    let Some(p) = params(alg) else { return false };
    RsaPublicKeyComponents {
        n: public.n.as_slice(),
        e: public.e.as_slice(),
    }
    .verify(p, msg, sig)
    .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// Every Wycheproof `valid` vector verifies and every `invalid` one is rejected.
    #[test]
    fn wycheproof_pkcs1() {
        for (file, alg) in [
            ("rsa_signature_2048_sha256_test.json", "RS256"),
            ("rsa_signature_2048_sha512_test.json", "RS512"),
            ("rsa_signature_3072_sha256_test.json", "RS256"),
            ("rsa_signature_4096_sha512_test.json", "RS512"),
        ] {
            let path = format!(
                "{}/fixtures/vectors/wycheproof/{file}",
                env!("CARGO_MANIFEST_DIR")
            );
            let v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
            let mut counted = 0;
            for g in v["testGroups"].as_array().unwrap() {
                let jwk = &g["keyJwk"];
                let n = crate::b64::url_decode(jwk["n"].as_str().unwrap()).unwrap();
                let e = crate::b64::url_decode(jwk["e"].as_str().unwrap()).unwrap();
                let public = RsaPublic::new(&n, &e);
                for t in g["tests"].as_array().unwrap() {
                    let ok = verify(
                        &public,
                        alg,
                        &hex(t["msg"].as_str().unwrap()),
                        &hex(t["sig"].as_str().unwrap()),
                    );
                    match t["result"].as_str().unwrap() {
                        "valid" => assert!(ok, "{file} tcId {} must verify", t["tcId"]),
                        "invalid" => assert!(!ok, "{file} tcId {} must fail", t["tcId"]),
                        _ => continue,
                    }
                    counted += 1;
                }
            }
            assert!(counted > 100, "{file}: only {counted} vectors");
        }
        assert!(!supported("HS256") && !supported("none"));
    }
}
