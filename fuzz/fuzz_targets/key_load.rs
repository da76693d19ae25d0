//! Any bytes as a key file (PEM or DER, PKCS#8/PKCS#1/SPKI): `load_private`,
//! `load_public`, `der_kind` and `verify --key`'s reading
//! (`verify::file_key` over `read::key_file`, with the key rules) return Ok
//! or Err, never panic; a file given as a key (`read::KeyKind::Key`) is
//! read once, and read as `read::kind_of` recognises it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uvtool::keys;

fuzz_target!(|data: &[u8]| {
    let _ = keys::der_kind(data);
    let (kind, _) = uvtool::read::key_file(data, "fuzz", uvtool::read::KeyKind::Key);
    assert_eq!(kind, uvtool::read::kind_of(data));
    let _ = uvtool::verify::file_key(
        data,
        "fuzz",
        uvtool::read::KeyKind::Key,
        &uvtool::policy::Settings::default(),
    );
    if let Ok(k) = keys::load_private(data, "fuzz") {
        // A loaded key re-encodes.
        let _ = k.to_pkcs8_der();
    }
    if let Ok(p) = keys::load_public(data, "fuzz") {
        let _ = p.to_spki_der();
        let _ = p.exponent_warning();
    }
});
