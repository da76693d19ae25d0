//! Token verification: key sources ([`sources`]: files, a JWKS URL) and
//! the verifier. The verdict itself is
//! the policy's ([`crate::policy::evaluate`]): this module only finds the
//! keys, keeps them prepared, and refreshes a source that can change.
//!
//! Keys come only from a [`KeySource`] the caller chose: the header members
//! `jwk`, `jku`, `x5u` and `x5c` are never used to find a key.

use std::sync::RwLock;

use crate::policy::{self, Code, Key, Settings, Verdict};
use crate::Result;

pub mod json;
mod sources;

pub use sources::{file_key, load_keys, KeyInputs, Keys, StaticKeys};
#[cfg(feature = "net")]
pub use sources::{JwksUrl, OnFetch, REFRESH_INTERVAL};

pub use crate::policy::tokens::{MAX_TIME, UNTRUSTED_KEY_HEADERS};
pub use crate::policy::DEFAULT_LEEWAY;

/// Where verification keys come from. A source that can change (a JWKS
/// URL) refreshes when a token names a `kid` it does not have.
pub trait KeySource {
    /// How the source is named in messages (file names, a URL).
    fn name(&self) -> &str;
    /// The keys currently known.
    fn keys(&self) -> &[Key];
    /// Fetch the keys again after an unknown `kid`. `Ok(true)` when the set
    /// changed. Fixed sources (files) never change.
    fn refresh(&mut self) -> Result<bool> {
        Ok(false)
    }
}

impl<T: KeySource + ?Sized> KeySource for Box<T> {
    fn name(&self) -> &str {
        (**self).name()
    }
    fn keys(&self) -> &[Key] {
        (**self).keys()
    }
    fn refresh(&mut self) -> Result<bool> {
        (**self).refresh()
    }
}

/// After a verdict that names a `kid` the keys do not have, refresh the
/// source once: true when the keys changed (judge the token again); a
/// failed refresh is noted on the verdict, which stands. Any other verdict
/// refreshes nothing.
pub fn refresh_after<S: KeySource + ?Sized>(source: &mut S, v: &mut Verdict) -> bool {
    if v.code() != Some(Code::Kid) {
        return false;
    }
    match source.refresh() {
        Ok(changed) => changed,
        Err(e) => {
            v.notes.push(format!("refreshing the keys failed: {e}"));
            false
        }
    }
}

/// A key source plus the settings tokens are held to.
pub struct Verifier<S: KeySource> {
    source: S,
    settings: Settings,
}

impl<S: KeySource> Verifier<S> {
    /// A verifier. A source that holds no usable key still judges: every
    /// token is then invalid with the reason (T2 or T7), as `check` says.
    pub fn new(source: S, settings: Settings) -> Result<Self> {
        Ok(Verifier { source, settings })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn settings_mut(&mut self) -> &mut Settings {
        &mut self.settings
    }

    pub fn source(&self) -> &S {
        &self.source
    }

    /// Verify one token; after an unknown `kid` the source is refreshed once
    /// and the token checked again.
    pub fn verify(&mut self, token: &str) -> Verdict {
        let mut v = self.check(token);
        if refresh_after(&mut self.source, &mut v) {
            v = self.check(token);
        }
        v
    }

    /// Verify one token against the keys as they are now (no refresh).
    pub fn check(&self, token: &str) -> Verdict {
        policy::evaluate(
            token,
            "token",
            Some(self.source.keys()),
            self.source.name(),
            &self.settings,
        )
    }
}

/// A verifier shared by the workers of a batch: tokens are checked under a
/// read lock; a token whose kid the keys do not have takes the write lock
/// to refresh the source once (a JWKS URL after a rotation) and is checked
/// again.
pub struct SharedVerifier<S: KeySource>(RwLock<Verifier<S>>);

impl<S: KeySource> SharedVerifier<S> {
    pub fn new(v: Verifier<S>) -> Self {
        SharedVerifier(RwLock::new(v))
    }

    /// The verdict for one token.
    pub fn verify(&self, token: &str) -> Verdict {
        let v = self
            .0
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .check(token);
        if v.code() != Some(Code::Kid) {
            return v;
        }
        self.0
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .verify(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Profile;
    use crate::read::KeyKind;
    use crate::token::Alg;
    use crate::token::{ClaimsSpec, ClaimsTemplate, Signer};
    use serde_json::{Map, Value};

    fn a2() -> Value {
        serde_json::from_str(include_str!("../../fixtures/vectors/rfc7515-a2-rs256.json")).unwrap()
    }

    fn rfc(now: i64) -> Settings {
        Settings {
            profile: Profile::Rfc,
            now,
            ..Default::default()
        }
    }

    fn a2_verifier(now: i64) -> Verifier<StaticKeys> {
        let v = a2();
        let mut s = StaticKeys::new();
        s.add_jwk_doc(v["jwk_public"].to_string().as_bytes(), "rfc7515", &rfc(now))
            .unwrap();
        Verifier::new(s, rfc(now)).unwrap()
    }

    #[test]
    fn verifiers_can_cross_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Verifier<StaticKeys>>();
        #[cfg(feature = "net")]
        send_sync::<SharedVerifier<JwksUrl>>();
    }

    #[test]
    fn absurd_times_are_refused_without_overflow() {
        let now = 2_000_000_000;
        let mut ver = a2_verifier(now);
        for (name, value) in [
            ("exp", Value::from(-1e30)),
            ("exp", Value::from(1e30)),
            ("exp", Value::from(u64::MAX)),
            ("exp", Value::from(-1)),
            ("iat", Value::from(-1e300)),
            ("nbf", Value::from(i64::MAX)),
            ("nbf", Value::from(i64::MIN)),
            ("nbf", Value::from(MAX_TIME + 1)),
        ] {
            let mut c = claims(now);
            c.insert(name.into(), value.clone());
            let v = ver.verify(&token(Signer::header(Alg::RS256, None, None), &c));
            let f = v.failure().unwrap();
            assert_eq!(f.code.unwrap().as_str(), name, "{value}: {f}");
            assert_eq!(f.rule, "T14", "{value}: {f}");
            assert!(f.message.contains("outside the years 1970 to 9999"), "{f}");
        }
        let mut c = claims(now);
        c.insert("exp".into(), MAX_TIME.into());
        c.insert("nbf".into(), 0.into());
        let v = ver.verify(&token(Signer::header(Alg::RS256, None, None), &c));
        assert!(v.is_valid(), "{:?}", v.failure());
    }

    #[test]
    fn signature_primitive() {
        let v = a2();
        let jws = v["compact_jws"].as_str().unwrap();
        let (msg, sig) = jws.rsplit_once('.').unwrap();
        let sig = crate::b64::url_decode(sig).unwrap();
        let public =
            crate::keys::load_public(v["public_key_spki_pem"].as_str().unwrap().as_bytes(), "a2")
                .unwrap();
        let key = Key::new(None, None, public, "a2");
        assert!(key.verify(Alg::RS256, msg.as_bytes(), &sig));
        assert!(!key.verify(Alg::RS512, msg.as_bytes(), &sig));
        assert!(!key.verify(Alg::PS256, msg.as_bytes(), &sig));
        assert!(!key.verify(Alg::RS256, b"other", &sig));
    }

    #[test]
    fn rfc7515_a2_valid_then_expired() {
        let jws = a2()["compact_jws"].as_str().unwrap().to_string();
        let mut ok = a2_verifier(1300819379);
        let v = ok.verify(&jws);
        assert!(v.is_valid(), "{:?}", v.failure());
        let v = a2_verifier(1300819380 + 61).verify(&jws);
        let f = v.failure().unwrap();
        assert_eq!(f.code, Some(Code::Exp));
        assert_eq!(f.rule, "T5");
        assert!(f.message.starts_with("expired 1m ago"), "{}", f.message);
        // The exact boundary: valid until exp + leeway, invalid from then on.
        assert!(a2_verifier(1300819380 + 59).verify(&jws).is_valid());
        assert!(!a2_verifier(1300819380 + 60).verify(&jws).is_valid());
    }

    fn token(header: Map<String, Value>, claims: &Map<String, Value>) -> String {
        let v = a2();
        let key = crate::keys::load_private(
            v["private_key_pkcs8_pem"].as_str().unwrap().as_bytes(),
            "a2",
        )
        .unwrap();
        let alg = header
            .get("alg")
            .and_then(Value::as_str)
            .and_then(Alg::from_name)
            .unwrap_or(Alg::RS256);
        Signer::new(key, alg, header).sign_claims(claims).unwrap()
    }

    fn claims(now: i64) -> Map<String, Value> {
        ClaimsTemplate::new(&ClaimsSpec {
            sub: Some("u".into()),
            iss: Some("https://me/".into()),
            ttl: Some(600),
            now,
            ..Default::default()
        })
        .unwrap()
        .claims()
        .clone()
    }

    #[test]
    fn checks_in_order() {
        let now = 2_000_000_000;
        let c = claims(now);
        let mut h = Signer::header(Alg::PS384, None, Some("JWT"));
        h.insert("jku".into(), "https://evil/".into());
        let t = token(h, &c);
        let mut ver = a2_verifier(now);
        let v = ver.verify(&t);
        assert!(v.is_valid(), "{:?}", v.failure());
        assert_eq!(v.alg, Some(Alg::PS384));
        assert!(v.notes[0].contains("\"jku\" ignored"), "{:?}", v.notes);

        // Non-ASCII alg names are refused, not a panic.
        for odd in ["é", "Hé256", "H\u{1F600}"] {
            let h = Signer::header(Alg::RS256, None, None);
            let mut t = token(h, &c);
            let hdr = crate::b64::url_encode(format!("{{\"alg\":{odd:?}}}").as_bytes());
            t = format!("{hdr}.{}", t.split_once('.').unwrap().1);
            assert_eq!(ver.verify(&t).code(), Some(Code::Alg), "{odd}");
        }

        ver.settings_mut().algs = vec![Alg::RS256];
        assert_eq!(ver.verify(&t).code(), Some(Code::Alg));
        ver.settings_mut().algs = Vec::new();

        let mut h = Signer::header(Alg::RS256, Some("k"), None);
        h.insert("crit".into(), serde_json::json!(["b64"]));
        assert_eq!(ver.verify(&token(h, &c)).code(), Some(Code::Crit));

        ver.settings_mut().iss = Some("https://me".into());
        let v = ver.verify(&token(Signer::header(Alg::RS256, None, None), &c));
        let f = v.failure().unwrap();
        assert_eq!(f.code, Some(Code::Iss));
        assert!(f.message.contains("trailing slash"), "{f}");
    }

    /// A source that learns a key only on refresh, as a JWKS URL does after
    /// a rotation.
    struct Rotating {
        keys: StaticKeys,
        next: Option<Key>,
        refreshes: usize,
    }

    impl KeySource for Rotating {
        fn name(&self) -> &str {
            "rotating"
        }
        fn keys(&self) -> &[Key] {
            self.keys.keys()
        }
        fn refresh(&mut self) -> Result<bool> {
            self.refreshes += 1;
            match self.next.take() {
                Some(k) => {
                    self.keys.add_key(k)?;
                    Ok(true)
                }
                None => Ok(false),
            }
        }
    }

    #[test]
    fn unknown_kid_refreshes_the_source_once() {
        let now = 2_000_000_000;
        let v = a2();
        let public =
            crate::keys::load_public(v["public_key_spki_pem"].as_str().unwrap().as_bytes(), "a2")
                .unwrap();
        let mut old = StaticKeys::new();
        let other =
            crate::keys::load_public(include_bytes!("../../fixtures/keys/b/public.pem"), "b")
                .unwrap();
        old.add_key(Key::new(Some("old".into()), None, other, "rotating"))
            .unwrap();
        let src = Rotating {
            keys: old,
            next: Some(Key::new(Some("new".into()), None, public, "rotating")),
            refreshes: 0,
        };
        let mut ver = Verifier::new(Box::new(src) as Box<Rotating>, rfc(now)).unwrap();
        let t = token(Signer::header(Alg::RS256, Some("new"), None), &claims(now));
        let verdict = ver.verify(&t);
        assert!(verdict.is_valid(), "{:?}", verdict.failure());
        assert_eq!(verdict.kid.as_deref(), Some("new"));
        assert_eq!(ver.source().refreshes, 1);
        // A kid that never appears: one refresh, then the precise failure.
        let t = token(Signer::header(Alg::RS256, Some("gone"), None), &claims(now));
        let v = ver.verify(&t);
        let f = v.failure().unwrap();
        assert_eq!(f.code, Some(Code::Kid));
        assert_eq!(
            f.message,
            "kid \"gone\" is not in rotating (it has: \"old\", \"new\")"
        );
        assert_eq!(ver.source().refreshes, 2);
        // A duplicate kid is kept in the source; a token that names it is
        // refused by K12 under the platform profile (policy::tokens).
        let mut s = StaticKeys::new();
        let k = || {
            crate::keys::load_public(include_bytes!("../../fixtures/keys/b/public.pem"), "b")
                .unwrap()
        };
        s.add_key(Key::new(Some("x".into()), None, k(), "one.json"))
            .unwrap();
        s.add_key(Key::new(Some("x".into()), None, k(), "two.json"))
            .unwrap();
        assert_eq!(s.keys().len(), 2);
    }

    #[test]
    fn the_source_name_lists_each_file_once() {
        let s0 = rfc(2_000_000_000);
        let mut s = StaticKeys::new();
        assert_eq!(s.name(), "");
        s.add_jwk_doc(
            include_bytes!("../../fixtures/keys/a/jwks.json"),
            "a.json",
            &s0,
        )
        .unwrap();
        assert_eq!(s.name(), "a.json");
        s.add_jwk_doc(
            include_bytes!("../../fixtures/keys/b/jwks.json"),
            "b.json",
            &s0,
        )
        .unwrap();
        assert_eq!(s.name(), "a.json, b.json");
        let k = || {
            crate::keys::load_public(include_bytes!("../../fixtures/keys/b/public.pem"), "b")
                .unwrap()
        };
        // A key of a file already named does not repeat it; a new file is added.
        let mut again = Key::new(Some("again".into()), None, k(), "a.json: keys[7]");
        again.file = "a.json".into();
        s.add_key(again).unwrap();
        s.add_key(Key::new(None, None, k(), "c.pem")).unwrap();
        assert_eq!(s.name(), "a.json, b.json, c.pem");
        assert_eq!(s.keys().len(), 4);
        // Keys without a kid never clash with each other.
        s.add_key(Key::new(None, None, k(), "d.pem")).unwrap();
        assert_eq!(s.name(), "a.json, b.json, c.pem, d.pem");
    }

    #[test]
    fn a_source_without_keys_judges_every_token_invalid() {
        let now = 2_000_000_000;
        let mut ver = Verifier::new(StaticKeys::new(), rfc(now)).unwrap();
        let t = token(Signer::header(Alg::RS256, Some("k"), None), &claims(now));
        let v = ver.verify(&t);
        let f = v.failure().expect("no key, no valid token");
        assert_eq!((f.rule, f.code), ("T2", Some(Code::Kid)));
        assert!(f.message.contains("it has: no keys"), "{}", f.message);
        let ver = a2_verifier(5);
        assert_eq!(ver.source().keys().len(), 1);
        assert_eq!(ver.settings().now, 5);
    }

    #[test]
    fn keys_of_other_types_are_kept_as_unusable() {
        let a: Value =
            serde_json::from_slice(include_bytes!("../../fixtures/keys/a/jwks.json")).unwrap();
        let ec = serde_json::json!({"kty": "EC", "crv": "P-256", "kid": "e1",
            "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
        let mut ec2 = ec.clone();
        ec2["kid"] = "e2".into();
        let doc = serde_json::json!({"keys": [ec, a["keys"][0], ec2]});
        let mut s = StaticKeys::new();
        let skipped = s
            .add_jwk_doc(doc.to_string().as_bytes(), "mixed.json", &rfc(0))
            .unwrap();
        let keys = s.keys();
        assert_eq!(skipped, 2);
        assert_eq!(keys.len(), 3);
        assert_eq!(keys[1].origin, "mixed.json: keys[1]");
        assert_eq!(keys[1].use_.as_deref(), Some("sig"));
        assert!(keys[1].public.is_some() && keys[1].unusable.is_none());
        assert_eq!(keys[0].public, None);
        assert_eq!(
            keys[0].unusable.as_deref(),
            Some("its kty is \"EC\"; RS256/RS512 tokens need an RSA key")
        );
        assert_eq!(s.name(), "mixed.json");
        // A single JWK is named by its file alone.
        let mut s = StaticKeys::new();
        let skipped = s
            .add_jwk_doc(a["keys"][0].to_string().as_bytes(), "one.json", &rfc(0))
            .unwrap();
        assert_eq!((s.keys()[0].origin.as_str(), skipped), ("one.json", 0));
    }

    #[test]
    fn key_files_carry_their_key_rule_findings() {
        // The fixture certificate runs to 2126: in 2127 it has expired (K7).
        let platform = Settings {
            now: 4_960_000_000,
            ..Default::default()
        };
        let k = file_key(
            include_bytes!("../../fixtures/keys/a/cert.pem"),
            "cert.pem",
            KeyKind::Cert,
            &platform,
        )
        .unwrap();
        assert_eq!(k.origin, "cert.pem");
        assert_eq!(k.findings.len(), 1, "{:?}", k.findings);
        assert_eq!(k.findings[0].rule, "K7");
        let k = file_key(
            include_bytes!("../../fixtures/keys/rsa-e3.pem"),
            "e3.pem",
            KeyKind::Key,
            &platform,
        )
        .unwrap();
        assert_eq!(k.origin, "e3.pem");
        assert!(!k.findings.is_empty(), "{:?}", k.findings);
    }

    /// A source whose refresh fails, as an unreachable JWKS URL does.
    struct Failing(StaticKeys);

    impl KeySource for Failing {
        fn name(&self) -> &str {
            "failing"
        }
        fn keys(&self) -> &[Key] {
            self.0.keys()
        }
        fn refresh(&mut self) -> Result<bool> {
            Err(crate::Error::input("https://keys.example/", "HTTP 503"))
        }
    }

    #[test]
    fn a_failed_refresh_keeps_the_kid_verdict_and_says_why() {
        let now = 2_000_000_000;
        let mut keys = StaticKeys::new();
        keys.add_key(Key::new(
            Some("old".into()),
            None,
            crate::keys::load_public(include_bytes!("../../fixtures/keys/b/public.pem"), "b")
                .unwrap(),
            "failing",
        ))
        .unwrap();
        let mut ver = Verifier::new(Failing(keys), rfc(now)).unwrap();
        let t = token(Signer::header(Alg::RS256, Some("new"), None), &claims(now));
        let v = ver.verify(&t);
        assert_eq!(v.code(), Some(Code::Kid));
        assert_eq!(
            v.notes.last().map(String::as_str),
            Some("refreshing the keys failed: https://keys.example/: HTTP 503"),
            "{:?}",
            v.notes
        );
        // A kid the keys have is never refreshed for.
        let t = token(Signer::header(Alg::RS256, Some("old"), None), &claims(now));
        let v = ver.verify(&t);
        assert_eq!(v.code(), Some(Code::Signature));
        assert!(v.notes.is_empty(), "{:?}", v.notes);
    }

    #[test]
    fn the_shared_verifier_refreshes_after_an_unknown_kid() {
        let now = 2_000_000_000;
        let a = a2();
        let public =
            crate::keys::load_public(a["public_key_spki_pem"].as_str().unwrap().as_bytes(), "a2")
                .unwrap();
        let other =
            crate::keys::load_public(include_bytes!("../../fixtures/keys/b/public.pem"), "b")
                .unwrap();
        let mut old = StaticKeys::new();
        old.add_key(Key::new(Some("old".into()), None, other, "rotating"))
            .unwrap();
        let src = Rotating {
            keys: old,
            next: Some(Key::new(Some("new".into()), None, public, "rotating")),
            refreshes: 0,
        };
        let shared = SharedVerifier::new(Verifier::new(src, rfc(now)).unwrap());
        // A known kid: checked under the read lock, no refresh.
        let t = token(Signer::header(Alg::RS256, Some("old"), None), &claims(now));
        assert_eq!(shared.verify(&t).code(), Some(Code::Signature));
        assert_eq!(shared.0.read().unwrap().source().refreshes, 0);
        let t = token(Signer::header(Alg::RS256, Some("new"), None), &claims(now));
        let v = shared.verify(&t);
        assert!(v.is_valid(), "{:?}", v.failure());
        assert_eq!(v.kid.as_deref(), Some("new"));
        assert_eq!(shared.0.read().unwrap().source().refreshes, 1);
        // Now known: no second refresh.
        assert!(shared.verify(&t).is_valid());
        assert_eq!(shared.0.read().unwrap().source().refreshes, 1);
    }
}
