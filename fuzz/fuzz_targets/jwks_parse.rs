//! Any bytes as a JWKS: `parse_jwks`, `verify_keys`, `check_set`, and
//! `keys_from_input` (which also tries PEM/DER certificates and keys).
#![no_main]

use libfuzzer_sys::fuzz_target;
use uvtool::jwk;

fuzz_target!(|data: &[u8]| {
    if let Ok(keys) = jwk::parse_jwks(data, "fuzz") {
        let _ = jwk::verify_keys(&keys, "fuzz");
        let _ = jwk::check_set(&keys, "fuzz");
        let _ = jwk::jwks_to_string(&keys);
    }
    if let Ok(keys) = jwk::keys_from_input(data, "fuzz", "RS256") {
        let _ = jwk::check_set(&keys, "fuzz");
    }
});
