//! Time RSA-2048 sign (PKCS#1 v1.5 and PSS, SHA-256), verify and key
//! generation with aws-lc-rs and with the rsa crate, on one thread, with the
//! same key and message; print a Markdown table.

use std::time::{Duration, Instant};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self as awsig, KeyPair as _};
use rsa::pkcs1v15;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::pss;
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier as _};
use sha2::Sha256;

/// Operations per second: run `f` for about `budget`, at least `min` times.
fn rate(budget: Duration, min: u32, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut n = 0u32;
    while n < min || start.elapsed() < budget {
        f();
        n += 1;
    }
    f64::from(n) / start.elapsed().as_secs_f64()
}

fn main() {
    let quick = std::env::var_os("BENCH_QUICK").is_some();
    let t = Duration::from_millis(if quick { 500 } else { 2000 });
    let pem = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/keys/a/private.pem"
    ))
    .expect("fixture key");
    let msg = b"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTgwMDAwMDAwMH0";

    // rsa crate
    let rk = rsa::RsaPrivateKey::from_pkcs8_pem(&pem).expect("rsa parses the key");
    let der = rk.to_pkcs8_der().expect("der").as_bytes().to_vec();
    let mut rng = rand::thread_rng();
    let r_sign = pkcs1v15::SigningKey::<Sha256>::new(rk.clone());
    let r_ver = pkcs1v15::VerifyingKey::<Sha256>::new(rk.to_public_key());
    let r_pss = pss::BlindedSigningKey::<Sha256>::new(rk.clone());
    let sig = r_sign.sign_with_rng(&mut rng, msg);

    // aws-lc-rs
    let kp = aws_lc_rs::rsa::KeyPair::from_pkcs8(&der).expect("aws-lc parses the key");
    let sr = SystemRandom::new();
    let mut buf = vec![0u8; kp.public_modulus_len()];
    let pubkey = awsig::UnparsedPublicKey::new(
        &awsig::RSA_PKCS1_2048_8192_SHA256,
        kp.public_key().as_ref().to_vec(),
    );
    let parsed = pubkey.parse().expect("public key");
    kp.sign(&awsig::RSA_PKCS1_SHA256, &sr, msg, &mut buf)
        .unwrap();
    assert_eq!(
        buf,
        sig.to_bytes().as_ref(),
        "PKCS#1 v1.5 is deterministic: same signature"
    );
    assert!(r_ver
        .verify(msg, &pkcs1v15::Signature::try_from(buf.as_slice()).unwrap())
        .is_ok());

    let rows: Vec<(&str, f64, f64)> = vec![
        (
            "sign RS256",
            rate(t, 20, || {
                kp.sign(&awsig::RSA_PKCS1_SHA256, &sr, msg, &mut buf)
                    .unwrap()
            }),
            rate(t, 20, || {
                std::hint::black_box(r_sign.sign_with_rng(&mut rng, msg));
            }),
        ),
        (
            "sign PS256",
            rate(t, 20, || {
                kp.sign(&awsig::RSA_PSS_SHA256, &sr, msg, &mut buf).unwrap()
            }),
            rate(t, 20, || {
                std::hint::black_box(r_pss.sign_with_rng(&mut rng, msg));
            }),
        ),
        (
            "verify RS256",
            rate(t, 200, || {
                parsed.verify_sig(msg, sig.to_bytes().as_ref()).unwrap()
            }),
            rate(t, 200, || r_ver.verify(msg, &sig).unwrap()),
        ),
        (
            "parse private key (PKCS#8 DER)",
            rate(t, 20, || {
                std::hint::black_box(aws_lc_rs::rsa::KeyPair::from_pkcs8(&der).unwrap());
            }),
            rate(t, 20, || {
                std::hint::black_box(rsa::RsaPrivateKey::from_pkcs8_der(&der).unwrap());
            }),
        ),
        (
            "keygen RSA-2048",
            rate(t * 2, 3, || {
                std::hint::black_box(
                    aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap(),
                );
            }),
            rate(t * 2, 3, || {
                std::hint::black_box(rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap());
            }),
        ),
    ];
    println!("| RSA-2048, one thread | aws-lc-rs ops/s | rsa crate ops/s | aws-lc-rs / rsa |");
    println!("|---|---|---|---|");
    for (what, a, r) in rows {
        println!("| {what} | {a:.1} | {r:.1} | {:.1}x |", a / r);
    }
}
