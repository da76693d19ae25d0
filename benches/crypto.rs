//! Criterion benches for the hot paths: sign, verify, keygen, key and JWK
//! parsing, token decode, and a batch of 1,000 through `batch::ordered_map`.
//! `cargo bench --bench crypto`; scripts/bench.sh does the side-by-side run
//! against openssl and the peer CLIs.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use uvtool::keys::{self, KeySize, RsaPrivate};
use uvtool::policy::Settings;
use uvtool::token::{self, Alg, ClaimsSpec, ClaimsTemplate, Signer};
use uvtool::verify::{StaticKeys, Verifier};
use uvtool::{batch, jwk};

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(rel),
    )
    .expect("fixture")
}

const NOW: i64 = 1_800_000_000;

fn signer() -> Signer {
    let key = keys::load_private(&fixture("keys/a/private.pem"), "private.pem").unwrap();
    Signer::new(
        key,
        Alg::RS256,
        Signer::header(Alg::RS256, Some("fixture-a"), Some("JWT")),
    )
}

fn template() -> ClaimsTemplate {
    ClaimsTemplate::new(&ClaimsSpec {
        iss: Some("https://example.com".into()),
        ttl: Some(3600),
        now: NOW,
        ..Default::default()
    })
    .unwrap()
}

fn verifier() -> Verifier<StaticKeys> {
    let settings = Settings {
        now: NOW + 60,
        ..Default::default()
    };
    let mut src = StaticKeys::new();
    src.add_jwk_doc(&fixture("keys/a/jwks.json"), "jwks.json", &settings)
        .unwrap();
    Verifier::new(src, settings).unwrap()
}

fn one_token(s: &Signer) -> String {
    let mut t = template();
    let mut payload = Vec::new();
    t.payload(Some("alice"), &mut payload).unwrap();
    let mut out = String::new();
    s.sign_payload_into(&payload, &mut out).unwrap();
    out
}

fn benches(c: &mut Criterion) {
    let s = signer();
    let token = one_token(&s);

    let mut tpl = template();
    let mut payload = Vec::with_capacity(512);
    let mut out = String::with_capacity(1024);
    c.bench_function("sign RS256 token (claims + sign + encode)", |b| {
        b.iter(|| {
            tpl.payload(Some("alice"), &mut payload).unwrap();
            out.clear();
            s.sign_payload_into(black_box(&payload), &mut out).unwrap();
        })
    });
    for alg in [Alg::PS256, Alg::RS512] {
        let key = keys::load_private(&fixture("keys/a/private.pem"), "private.pem").unwrap();
        let sa = Signer::new(key, alg, Signer::header(alg, None, None));
        c.bench_function(&format!("sign {alg} token"), |b| {
            b.iter(|| {
                out.clear();
                sa.sign_payload_into(black_box(&payload), &mut out).unwrap();
            })
        });
    }

    let v = verifier();
    c.bench_function("verify RS256 token (decode + signature + claims)", |b| {
        b.iter(|| assert!(v.check(black_box(&token)).is_valid()))
    });
    c.bench_function("decode token", |b| {
        b.iter(|| token::decode(black_box(&token)).unwrap())
    });

    let pem = fixture("keys/a/private.pem");
    c.bench_function("load private key (PKCS#8 PEM, validated)", |b| {
        b.iter(|| keys::load_private(black_box(&pem), "private.pem").unwrap())
    });
    let jwks = fixture("keys/a/jwks.json");
    c.bench_function("parse JWKS and its RSA key", |b| {
        b.iter(|| {
            let keys = jwk::parse_jwks(black_box(&jwks), "jwks.json").unwrap();
            jwk::parse_rsa(&keys[0], "jwks.json").unwrap()
        })
    });

    // 1,000 tokens through the parallel engine, as `mint --sub-file` does.
    let subs: Vec<String> = (0..1000).map(|i| format!("user-{i:04}")).collect();
    let mut g = c.benchmark_group("batch");
    g.sample_size(10);
    g.bench_function("mint 1,000 on all cores", |b| {
        b.iter(|| {
            let mut next = subs.iter();
            let base = template();
            let mut n = 0usize;
            batch::ordered_map(
                batch::Config::default(),
                |item: &mut String| {
                    Ok::<bool, ()>(next.next().is_some_and(|s| {
                        item.clear();
                        item.push_str(s);
                        true
                    }))
                },
                || (base.clone(), Vec::with_capacity(512)),
                |(t, p): &mut (ClaimsTemplate, Vec<u8>), sub, out: &mut String| {
                    t.payload(Some(sub), p).unwrap();
                    out.clear();
                    s.sign_payload_into(p, out).unwrap();
                },
                |_, tok| {
                    n += tok.len();
                    Ok(())
                },
            )
            .unwrap();
            n
        })
    });
    g.finish();

    let mut g = c.benchmark_group("keygen");
    g.sample_size(10);
    g.bench_function("RSA-2048 key pair", |b| {
        b.iter(|| RsaPrivate::generate(KeySize::Rsa2048).unwrap())
    });
    g.finish();
}

criterion_group!(all, benches);
criterion_main!(all);
