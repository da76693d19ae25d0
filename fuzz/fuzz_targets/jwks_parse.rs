//! Any bytes as a JWKS: `parse_jwks`, `check_set`, the verifier's reading
//! (`StaticKeys::add_jwk_doc`, which runs the key rules on each key; and
//! `read::key_file`, as `verify --jwks` and `ui` read a file once),
//! `keys_from_input` (which also tries PEM/DER certificates and keys), and
//! a keyset URL's answer (`read::judge_jwks`, as `--jwks-url` reads a 200 body,
//! with the Content-Type taken from the body's first line).
#![no_main]

use libfuzzer_sys::fuzz_target;
use uvtool::jwk;

fuzz_target!(|data: &[u8]| {
    if let Ok(keys) = jwk::parse_jwks(data, "fuzz") {
        let _ = jwk::check_set(&keys, "fuzz");
        let _ = jwk::jwks_to_string(&keys);
    }
    let _ = uvtool::verify::StaticKeys::new().add_jwk_doc(
        data,
        "fuzz",
        &uvtool::policy::Settings::default(),
    );
    let (_, doc) = uvtool::read::key_file(data, "fuzz", uvtool::read::KeyKind::Jwks);
    if let Ok(doc) = doc {
        let mut keys = uvtool::verify::StaticKeys::new();
        keys.add_doc(doc, &uvtool::policy::Settings::default());
    }
    if let Ok(keys) = jwk::keys_from_input(data, "fuzz", uvtool::token::Alg::RS256) {
        let _ = jwk::check_set(&keys, "fuzz");
    }
    let content_type = data
        .split(|&b| b == b'\n')
        .next()
        .map(|l| String::from_utf8_lossy(l).into_owned());
    let _ = uvtool::read::judge_jwks(uvtool::net::RawResponse {
        body: data.to_vec(),
        facts: uvtool::net::ResponseFacts {
            url: "https://example.com/jwks".into(),
            final_url: "https://example.com/jwks".into(),
            redirects: vec!["https://example.com/r".into()],
            status: 200,
            content_type,
            cache_control: None,
            etag: None,
            elapsed: std::time::Duration::from_millis(1),
            size: data.len(),
        },
    });
});
