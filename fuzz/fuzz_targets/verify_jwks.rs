//! Verify any token against a fixed JWKS (fixture keys A and B) at a fixed
//! clock: the verdict is valid or a failure, never a panic.
//!
//! Inputs starting with `SIGN\n` are `header JSON \n claims JSON`, signed
//! with key A before verifying, so the fuzzer also explores the checks that
//! run only after a good signature (crit, kid, alg, every claim).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use uvtool::keys::{self, RsaPrivate};
use uvtool::token::{self, Alg};
use uvtool::policy::{Profile, Settings};
use uvtool::verify::{StaticKeys, Verifier};

const NOW: i64 = 1_800_000_000;

/// Verifiers under both profiles: the platform's and the plain RFC one.
fn verifiers() -> &'static [Verifier<StaticKeys>; 2] {
    static V: OnceLock<[Verifier<StaticKeys>; 2]> = OnceLock::new();
    V.get_or_init(|| {
        [Profile::Platform, Profile::Rfc].map(|profile| {
            let settings = Settings {
                profile,
                now: NOW,
                iss: Some("https://issuer.example".into()),
                ..Default::default()
            };
            let mut s = StaticKeys::new();
            s.add_jwk_doc(
                include_bytes!("../../fixtures/keys/a/jwks.json"),
                "a.json",
                &settings,
            )
            .unwrap();
            s.add_jwk_doc(
                include_bytes!("../../fixtures/keys/b/jwks.json"),
                "b.json",
                &settings,
            )
            .unwrap();
            Verifier::new(s, settings).unwrap()
        })
    })
}

fn key_a() -> &'static RsaPrivate {
    static K: OnceLock<RsaPrivate> = OnceLock::new();
    K.get_or_init(|| {
        keys::load_private(include_bytes!("../../fixtures/keys/a/private.pem"), "a").unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    for v in verifiers() {
        one(v, data);
    }
});

fn one(v: &Verifier<StaticKeys>, data: &[u8]) {
    if let Some(rest) = data.strip_prefix(b"SIGN\n") {
        let (h, c) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &b"{}"[..]),
        };
        let input = format!(
            "{}.{}",
            uvtool::b64::url_encode(h),
            uvtool::b64::url_encode(c)
        );
        let sig = token::sign(key_a(), Alg::RS256, input.as_bytes()).unwrap();
        let t = format!("{input}.{}", uvtool::b64::url_encode(&sig));
        invariants(&v.check(&t));
    } else if let Ok(s) = std::str::from_utf8(data) {
        invariants(&v.check(s));
    }
}

/// A valid verdict names the algorithm and carries the claims; an invalid
/// one has a rule and a code; every finding names a known rule.
fn invariants(verdict: &uvtool::policy::Verdict) {
    if verdict.is_valid() {
        assert!(verdict.alg.is_some() && verdict.claims.is_some());
    } else {
        let f = verdict.failure().unwrap();
        assert!(f.code.is_some(), "{f:?}");
    }
    for f in &verdict.findings {
        assert!(uvtool::policy::rule(f.rule).is_some(), "{f:?}");
    }
}
