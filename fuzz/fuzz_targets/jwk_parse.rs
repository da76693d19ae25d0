//! Any bytes as a JWK: `parse_doc`, then `parse_rsa` and `private_key` on every
//! object it yields.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uvtool::jwk;

fuzz_target!(|data: &[u8]| {
    let objs = match jwk::parse_doc(data, "fuzz") {
        Ok(jwk::KeyDoc::Jwk(o)) => vec![o],
        Ok(jwk::KeyDoc::Set(keys)) => keys,
        Err(_) => return,
    };
    for o in &objs {
        if let Ok(j) = jwk::parse_rsa(o, "fuzz") {
            let _ = jwk::thumbprint(&j.public);
            let _ = j.public.to_spki_der();
        }
        let _ = jwk::parse_rsa_strict(o, "fuzz");
        let _ = jwk::private_key(o, "fuzz");
    }
});
