//! Any bytes as a certificate (PEM chain or DER): `load_certificate` returns
//! Ok or Err, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uvtool::cert;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = cert::load_certificate(data, "fuzz") {
        let _ = c.to_pem();
        let _ = uvtool::clock::format_utc(c.not_after);
    }
});
