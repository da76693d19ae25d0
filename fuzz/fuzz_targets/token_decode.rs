//! Any bytes as a compact JWS: `token::decode` returns Ok or Err, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(d) = uvtool::token::decode(text) {
        // The signing input is a prefix of the trimmed token.
        assert!(text.trim().starts_with(d.signing_input));
        let _ = (d.alg(), d.kid(), d.sub());
    }
});
