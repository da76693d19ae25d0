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
