//! Any bytes as a JWKS: `parse_jwks`, `check_set`, the verifier's reading
//! (`verify::jwk_doc_keys`, which runs the key rules on each key), and
//! `keys_from_input` (which also tries PEM/DER certificates and keys).
#![no_main]

use libfuzzer_sys::fuzz_target;
use uvtool::jwk;

fuzz_target!(|data: &[u8]| {
    if let Ok(keys) = jwk::parse_jwks(data, "fuzz") {
        let _ = jwk::check_set(&keys, "fuzz");
        let _ = jwk::jwks_to_string(&keys);
    }
    let _ = uvtool::verify::jwk_doc_keys(data, "fuzz", &uvtool::policy::Settings::default());
    if let Ok(keys) = jwk::keys_from_input(data, "fuzz", uvtool::token::Alg::RS256) {
        let _ = jwk::check_set(&keys, "fuzz");
    }
});
