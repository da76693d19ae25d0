//! Any bytes as a key file (PEM or DER, PKCS#8/PKCS#1/SPKI): `load_private`,
//! `load_public`, `der_kind` and `verify --key`'s reading
//! (`verify::file_key`, with the key rules) return Ok or Err, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uvtool::keys;

fuzz_target!(|data: &[u8]| {
    let _ = keys::der_kind(data);
    let _ = uvtool::verify::file_key(data, "fuzz", &uvtool::policy::Settings::default());
    if let Ok(k) = keys::load_private(data, "fuzz") {
        // A loaded key re-encodes.
        let _ = k.to_pkcs8_der();
    }
    if let Ok(p) = keys::load_public(data, "fuzz") {
        let _ = p.to_spki_der();
        let _ = p.exponent_warning();
    }
});
