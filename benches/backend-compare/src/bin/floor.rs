//! The least a program built on aws-lc-rs can do for uvtool's three speed
//! targets that sit near the machine's limits, timed by `scripts/bench.sh` as
//! whole processes in the same rounds as uvtool:
//!
//!   floor verify PAIRS SPKI.der THREADS   # check every signature in PAIRS
//!   floor sign PKCS8.der                  # parse the key, sign once
//!   floor sign PKCS8.der COUNT THREADS    # parse the key, sign COUNT times
//!
//! `verify` is uvtool's batch verify with everything but the signature check
//! taken away: the same call (`ParsedPublicKey::verify_sig`, SHA-256 and
//! RSA), the key parsed once, the signatures already decoded, the work
//! shared by THREADS threads in chunks of 64, nothing read per token and
//! nothing written. Its rate over openssl's one-core rate is the highest
//! batch-verify ratio an aws-lc-based verifier can reach on the machine.
//! PAIRS is what bench.sh writes from its token file: for each token a
//! little-endian u32 length, the signed part (`header.payload`), then the
//! 256-byte signature.
//!
//! `sign` is a one-shot mint with everything but the key and the signature
//! taken away: read a PKCS#8 DER key, parse it (aws-lc checks the key),
//! sign one message with RS256 (blinded), write the signature. With COUNT
//! and THREADS it is uvtool's batch mint with everything but the signatures
//! taken away: COUNT signatures shared by THREADS threads, one key.
//!
//! Exits 1 if a signature does not verify: the floor must do the real work.

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{self as sig, ParsedPublicKey};

fn pairs(bytes: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while rest.len() >= 4 {
        let n = u32::from_le_bytes(rest[..4].try_into().unwrap()) as usize;
        let (msg, tail) = rest[4..].split_at(n);
        let (s, tail) = tail.split_at(256);
        out.push((msg, s));
        rest = tail;
    }
    out
}

fn verify(pairs_path: &str, spki_path: &str, threads: usize) -> ExitCode {
    let bytes = std::fs::read(pairs_path).expect("PAIRS file");
    let spki = std::fs::read(spki_path).expect("SPKI file");
    let key =
        ParsedPublicKey::new(&sig::RSA_PKCS1_2048_8192_SHA256, &spki).expect("RSA public key");
    let all = pairs(&bytes);
    // Threads take the next 64 signatures as they go (as uvtool's workers
    // take chunks), so one thread slowed by a neighbour does not hold up the
    // end of the run.
    let next = AtomicUsize::new(0);
    let bad: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (key, all, next) = (&key, &all, &next);
                s.spawn(move || {
                    let mut bad = 0;
                    loop {
                        let i = next.fetch_add(64, Ordering::Relaxed);
                        let Some(chunk) = all.get(i..(i + 64).min(all.len())) else {
                            return bad;
                        };
                        if chunk.is_empty() {
                            return bad;
                        }
                        bad += chunk
                            .iter()
                            .filter(|(m, g)| key.verify_sig(m, g).is_err())
                            .count();
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    if bad > 0 || all.is_empty() {
        eprintln!("floor: {bad} of {} signatures did not verify", all.len());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn sign(key_path: &str, count: usize, threads: usize) -> ExitCode {
    let der = std::fs::read(key_path).expect("PKCS#8 DER file");
    let kp = aws_lc_rs::rsa::KeyPair::from_pkcs8(&der).expect("RSA private key (PKCS#8 DER)");
    let msg = b"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9";
    let rng = SystemRandom::new();
    let next = AtomicUsize::new(0);
    let last = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (kp, rng, next) = (&kp, &rng, &next);
                s.spawn(move || {
                    let mut out = vec![0u8; kp.public_modulus_len()];
                    while next.fetch_add(1, Ordering::Relaxed) < count {
                        kp.sign(&sig::RSA_PKCS1_SHA256, rng, msg, &mut out)
                            .expect("signature");
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).last()
    });
    std::io::stdout()
        .write_all(&last.unwrap_or_default())
        .expect("stdout");
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["verify", p, k, t] => verify(p, k, t.parse().expect("THREADS")),
        ["sign", k] => sign(k, 1, 1),
        ["sign", k, n, t] => sign(k, n.parse().expect("COUNT"), t.parse().expect("THREADS")),
        _ => {
            eprintln!(
                "usage: floor verify PAIRS SPKI.der THREADS | floor sign PKCS8.der [COUNT THREADS]"
            );
            ExitCode::from(2)
        }
    }
}
