//! Any bytes as a certificate (PEM chain or DER): `load_certificate`, and
//! `verify --cert`'s reading (`verify::file_key` over `read::key_file`,
//! with the key rules) and
//! the lenient view `check` reads (`read::cert_facts`), return Ok or Err,
//! never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uvtool::cert;

fuzz_target!(|data: &[u8]| {
    let _ = uvtool::verify::file_key(
        data,
        "fuzz",
        uvtool::read::KeyKind::Cert,
        &uvtool::policy::Settings::default(),
    );
    let _ = uvtool::read::cert_facts(data);
    if let Ok(c) = cert::load_certificate(data, "fuzz") {
        let _ = c.to_pem();
        let _ = uvtool::clock::format_utc(c.not_after);
    }
});
