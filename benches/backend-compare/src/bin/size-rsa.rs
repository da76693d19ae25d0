//! Binary-size probe: parse a PKCS#8 key, sign and verify with the rsa crate only.
use rsa::pkcs1v15::{SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{RandomizedSigner, Verifier};
use sha2::Sha256;

fn main() {
    let der = std::fs::read(std::env::args().nth(1).expect("PKCS#8 DER file")).unwrap();
    let k = rsa::RsaPrivateKey::from_pkcs8_der(&der).unwrap();
    let sk = SigningKey::<Sha256>::new(k.clone());
    let sig = sk.sign_with_rng(&mut rand::thread_rng(), b"msg");
    let vk = VerifyingKey::<Sha256>::new(k.to_public_key());
    println!("{}", vk.verify(b"msg", &sig).is_ok());
}
