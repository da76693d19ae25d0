//! Binary-size probe: parse a PKCS#8 key, sign and verify with aws-lc-rs only.
use aws_lc_rs::signature::{self, KeyPair as _};

fn main() {
    let der = std::fs::read(std::env::args().nth(1).expect("PKCS#8 DER file")).unwrap();
    let kp = aws_lc_rs::rsa::KeyPair::from_pkcs8(&der).unwrap();
    let mut sig = vec![0u8; kp.public_modulus_len()];
    let rng = aws_lc_rs::rand::SystemRandom::new();
    kp.sign(&signature::RSA_PKCS1_SHA256, &rng, b"msg", &mut sig)
        .unwrap();
    let pk = signature::UnparsedPublicKey::new(
        &signature::RSA_PKCS1_2048_8192_SHA256,
        kp.public_key().as_ref(),
    );
    println!("{}", pk.verify(b"msg", &sig).is_ok());
}
