//! Property tests (proptest): every parser takes any input and answers Ok or
//! Err, never a panic; encodings round-trip; JWK <-> key round-trips with the
//! fixture keys (no key generation). Case counts are modest so the debug
//! suite stays fast; the fuzz targets in fuzz/ search much further.

use proptest::prelude::*;
use serde_json::{Map, Value};

use uvtool::{b64, cert, clock, jwk, keys, pem, token};

use crate::common::fixture;

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).expect("fixture exists")
}

/// Fixture inputs the mutation properties start from: real keys,
/// certificates and JWKs, in PEM, DER and JSON.
fn seeds() -> Vec<Vec<u8>> {
    [
        "keys/a/private.pem",
        "keys/a/public.pem",
        "keys/a/cert.pem",
        "keys/a/jwk.json",
        "keys/a/jwks.json",
        "keys/openssl-pkcs1.der",
        "keys/openssl-pkcs8.der",
        "keys/openssl-spki.der",
        "keys/openssl-cert.der",
        "keys/openssl-pkcs1-public.pem",
        "jwk/a-private.json",
    ]
    .iter()
    .map(|r| read(r))
    .collect()
}

/// A fixture input with a few bytes overwritten, inserted or removed: these
/// reach far deeper into the DER/JSON parsers than random bytes do.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let n = seeds().len();
    (
        0..n,
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    )
        .prop_map(|(which, edits)| {
            let mut v = seeds()[which].clone();
            for (at, byte, op) in edits {
                if v.is_empty() {
                    v.push(byte);
                    continue;
                }
                let i = at.index(v.len());
                match op {
                    0 => v[i] = byte,
                    1 => v.insert(i, byte),
                    _ => {
                        v.remove(i);
                    }
                }
            }
            v
        })
}

/// Any bytes, short or a few KiB.
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..2048)
}

/// Strings over the compact-JWS alphabet plus the characters that trip
/// strict decoders (padding, standard alphabet, whitespace).
fn token_like() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \n\t"
            .chars()
            .collect();
    prop::collection::vec(prop::sample::select(alphabet), 0..200)
        .prop_map(|v| v.into_iter().collect())
}

/// JSON values a few levels deep, for header/claims round trips.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((any::<String>(), inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::vec((any::<String>(), json_value()), 0..5)
        .prop_map(|kv| kv.into_iter().collect())
}

/// Every parser in the library that takes outside bytes.
fn all_parsers(data: &[u8]) {
    let _ = keys::der_kind(data);
    let _ = keys::load_private(data, "input");
    let _ = keys::load_public(data, "input");
    let _ = cert::load_certificate(data, "input");
    let _ = pem::parse(data);
    if let Ok(keys) = jwk::parse_jwks(data, "input") {
        let _ = jwk::check_set(&keys, "input");
    }
    let settings = uvtool::policy::Settings::default();
    let _ = uvtool::verify::jwk_doc_keys(data, "input", &settings);
    let _ = uvtool::input::kind_of(data);
    if let Ok(uvtool::input::Input::Keys(doc)) = uvtool::input::classify(data, "input") {
        let mut findings = Vec::new();
        uvtool::policy::keys::run(&doc, &settings, &mut findings);
    }
    if let Ok(jwk::KeyDoc::Jwk(o)) = jwk::parse_doc(data, "input") {
        let _ = jwk::parse_rsa(&o, "input");
        let _ = jwk::private_key(&o, "input");
    }
    let _ = jwk::keys_from_input(data, "input", uvtool::token::Alg::RS256);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = token::decode(text);
        let _ = b64::url_decode(text);
        let _ = b64::std_decode(text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_into_any_parser_never_panics(data in bytes()) {
        all_parsers(&data);
    }

    #[test]
    fn any_string_into_token_decode_never_panics(s in any::<String>()) {
        let _ = token::decode(&s);
    }

    #[test]
    fn token_like_strings_decode_or_fail_cleanly(s in token_like()) {
        match token::decode(&s) {
            Ok(d) => {
                // Decoding only succeeds on three canonical segments whose
                // signing input is the token up to the last dot.
                let t = s.trim();
                prop_assert_eq!(t.matches('.').count(), 2);
                prop_assert!(t.starts_with(d.signing_input));
                prop_assert_eq!(&t[d.signing_input.len()..d.signing_input.len() + 1], ".");
            }
            Err(m) => prop_assert!(!m.is_empty()),
        }
    }

    #[test]
    fn token_round_trip(header in json_object(), claims in json_object(), sig in prop::collection::vec(any::<u8>(), 0..300)) {
        let h = b64::url_encode(serde_json::to_string(&header).unwrap().as_bytes());
        let c = b64::url_encode(serde_json::to_string(&claims).unwrap().as_bytes());
        let t = format!("{h}.{c}.{}", b64::url_encode(&sig));
        let d = token::decode(&t).unwrap();
        prop_assert_eq!(d.header, header);
        prop_assert_eq!(d.claims, claims);
        prop_assert_eq!(d.signature, sig);
        prop_assert_eq!(d.signing_input, format!("{h}.{c}"));
    }

    #[test]
    fn base64url_round_trip(data in prop::collection::vec(any::<u8>(), 0..512)) {
        let s = b64::url_encode(&data);
        prop_assert_eq!(b64::url_decode(&s).unwrap(), data);
    }

    #[test]
    fn base64url_has_one_spelling(s in token_like()) {
        // Strict decoding: whatever decodes re-encodes to exactly the input.
        if let Ok(v) = b64::url_decode(&s) {
            prop_assert_eq!(b64::url_encode(&v), s);
        }
    }

    #[test]
    fn standard_base64_round_trip(data in prop::collection::vec(any::<u8>(), 0..512)) {
        prop_assert_eq!(b64::std_decode(&b64::std_encode(&data)).unwrap(), data);
    }

    #[test]
    fn pem_round_trip(label in "[A-Z0-9 ]{0,30}", der in prop::collection::vec(any::<u8>(), 1..1500)) {
        let label = label.trim().to_string();
        let text = pem::encode(&label, &der);
        let blocks = pem::parse(text.as_bytes()).unwrap();
        prop_assert_eq!(blocks.len(), 1);
        prop_assert_eq!(&blocks[0].label, &label);
        prop_assert_eq!(&blocks[0].der, &der);
    }

    #[test]
    fn any_string_into_clock_parsers_never_panics(s in any::<String>()) {
        let _ = clock::parse_duration(&s);
        let _ = clock::parse_timestamp(&s);
    }

    #[test]
    fn any_i64_formats_or_not(t in any::<i64>()) {
        let _ = clock::format_utc(t);
        let _ = clock::relative(t, clock::now());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn mutated_fixtures_into_any_parser_never_panic(data in mutated()) {
        all_parsers(&data);
    }

    #[test]
    fn mutated_pem_text_never_panics(data in mutated(), cut in any::<prop::sample::Index>()) {
        // Truncations land mid-line, mid-armour and mid-base64.
        let end = cut.index(data.len() + 1);
        all_parsers(&data[..end]);
    }
}

/// The fixture private keys the round trips use, with their sources.
fn fixture_keys() -> Vec<(&'static str, keys::RsaPrivate)> {
    [
        "keys/a/private.pem",
        "keys/b/private.pem",
        "keys/rsa4096/private.pem",
        "keys/openssl-pkcs1.pem",
        "keys/rsa-e3.pem",
    ]
    .into_iter()
    .map(|r| {
        (
            r,
            keys::load_private(&read(r), r).expect("fixture key loads"),
        )
    })
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn jwk_key_round_trip(which in 0usize..5, kid in proptest::option::of(any::<String>()), alg in prop::sample::select(uvtool::token::Alg::ALL.to_vec()), private in any::<bool>()) {
        let all = fixture_keys();
        let (name, key) = &all[which];
        let obj = jwk::build(&key.public, &jwk::JwkOptions {
            kid: kid.clone(),
            alg: Some(alg),
            cert: None,
            private: private.then_some(key),
        }).unwrap();
        // Serialise and read back as a user's file would be.
        let text = jwk::jwk_to_string(&obj);
        let jwk::KeyDoc::Jwk(back) = jwk::parse_doc(text.as_bytes(), name).unwrap() else {
            panic!("a JWK parsed as a set");
        };
        let j = jwk::parse_rsa_strict(&back, name).unwrap();
        prop_assert_eq!(&j.public, &key.public);
        prop_assert_eq!(j.kid, Some(kid.unwrap_or_else(|| jwk::thumbprint(&key.public))));
        prop_assert_eq!(j.alg.as_deref(), Some(alg.name()));
        prop_assert_eq!(j.use_.as_deref(), Some("sig"));
        if private {
            let k2 = jwk::private_key(&back, name).unwrap();
            prop_assert_eq!(k2.pkcs1_der(), key.pkcs1_der());
            prop_assert_eq!(k2.to_pkcs8_der().unwrap(), key.to_pkcs8_der().unwrap());
        } else {
            prop_assert!(jwk::private_key(&back, name).is_err());
            // A public JWK goes into a set and comes back out as the same key.
            let set = jwk::jwks_to_string(std::slice::from_ref(&back));
            let keys = jwk::parse_jwks(set.as_bytes(), name).unwrap();
            jwk::check_set(&keys, name).unwrap();
            let (vk, skipped) = uvtool::verify::jwk_doc_keys(set.as_bytes(), name, &uvtool::policy::Settings::default()).unwrap();
            prop_assert_eq!(skipped, 0);
            prop_assert_eq!(&vk[0].public, &key.public);
        }
    }
}

#[test]
fn key_pem_der_round_trip_for_every_fixture_key() {
    for (name, key) in fixture_keys() {
        let pem = key.to_pkcs8_pem().unwrap();
        let again = keys::load_private(pem.as_bytes(), name).unwrap();
        assert_eq!(again.pkcs1_der(), key.pkcs1_der(), "{name}");
        let der = key.to_pkcs8_der().unwrap();
        assert_eq!(
            keys::load_private(&der, name).unwrap().pkcs1_der(),
            key.pkcs1_der()
        );
        let spki = key.public.to_spki_der().unwrap();
        assert_eq!(keys::load_public(&spki, name).unwrap(), key.public);
        let pkcs1 = key.public.to_pkcs1_der().unwrap();
        assert_eq!(keys::load_public(&pkcs1, name).unwrap(), key.public);
    }
}
