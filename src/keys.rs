//! RSA keys: generation, loading from PEM or DER (PKCS#8, PKCS#1, SPKI) and
//! saving. The arithmetic is aws-lc-rs; the ASN.1 is the RustCrypto `pkcs1` /
//! `pkcs8` / `spki` encoders, which do no RSA maths themselves.

use aws_lc_rs::encoding::AsDer;
use pkcs1::der::asn1::{AnyRef, BitStringRef, UintRef};
use pkcs1::der::{Decode, Encode};
use pkcs8::spki::{AlgorithmIdentifierRef, ObjectIdentifier, SubjectPublicKeyInfoRef};

use crate::error::KeyProblem;
use crate::pem;
use crate::{Error, Result};

/// rsaEncryption (PKCS#1).
pub const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const OID_X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const OID_DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");

/// The smallest modulus uvtool accepts, as the platform does.
pub const MIN_BITS: usize = 2048;
/// The largest modulus uvtool accepts (the backend's limit).
pub const MAX_BITS: usize = 8192;

/// Key sizes `keygen` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySize {
    Rsa2048,
    Rsa3072,
    Rsa4096,
}

impl KeySize {
    /// Map a bit count to a key size; anything else is a usage error.
    pub fn from_bits(bits: u32) -> Result<Self> {
        match bits {
            2048 => Ok(KeySize::Rsa2048),
            3072 => Ok(KeySize::Rsa3072),
            4096 => Ok(KeySize::Rsa4096),
            b => Err(crate::ErrorKind::KeyBits(b).into()),
        }
    }
}

/// An RSA public key: big-endian modulus and exponent without leading zeros.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaPublic {
    pub n: Vec<u8>,
    pub e: Vec<u8>,
}

impl RsaPublic {
    /// Build from big-endian integers, stripping leading zero bytes.
    pub fn new(n: &[u8], e: &[u8]) -> Self {
        RsaPublic {
            n: strip_zeros(n).to_vec(),
            e: strip_zeros(e).to_vec(),
        }
    }

    /// The modulus length in bits.
    pub fn bits(&self) -> usize {
        match self.n.first() {
            None => 0,
            Some(&top) => (self.n.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
        }
    }

    /// The public exponent as a number, when it fits in 64 bits.
    pub fn exponent(&self) -> Option<u64> {
        if self.e.len() > 8 {
            return None;
        }
        Some(
            self.e
                .iter()
                .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)),
        )
    }

    /// Check uvtool's key policy: 2048 to 8192 bits, an odd exponent of at
    /// least 3. `what` names the file or field in the message.
    pub fn check_policy(&self, what: &str) -> Result<()> {
        let bits = self.bits();
        if bits < MIN_BITS {
            return Err(Error::key_file(
                what,
                KeyProblem::TooSmall {
                    bits,
                    min: MIN_BITS,
                },
            ));
        }
        if bits > MAX_BITS {
            return Err(Error::input(
                what,
                format!("RSA key is {bits} bits; at most {MAX_BITS} are supported"),
            ));
        }
        match self.exponent() {
            Some(e) if e >= 3 && e % 2 == 1 => Ok(()),
            Some(e) => Err(Error::input(
                what,
                format!("RSA public exponent {e} is invalid (it must be odd and at least 3; 65537 is standard)"),
            )),
            None => Err(Error::input(
                what,
                "RSA public exponent is larger than 64 bits; use 65537",
            )),
        }
    }

    /// PKCS#1 `RSAPublicKey` DER.
    pub fn to_pkcs1_der(&self) -> Result<Vec<u8>> {
        let k = pkcs1::RsaPublicKey {
            modulus: uint(&self.n)?,
            public_exponent: uint(&self.e)?,
        };
        k.to_der().map_err(der_err)
    }

    /// X.509 `SubjectPublicKeyInfo` DER.
    pub fn to_spki_der(&self) -> Result<Vec<u8>> {
        let pkcs1 = self.to_pkcs1_der()?;
        let spki = SubjectPublicKeyInfoRef {
            algorithm: rsa_alg_id(),
            subject_public_key: BitStringRef::from_bytes(&pkcs1).map_err(der_err)?,
        };
        spki.to_der().map_err(der_err)
    }

    /// SPKI PEM (`-----BEGIN PUBLIC KEY-----`), as `openssl rsa -pubout` writes.
    pub fn to_spki_pem(&self) -> Result<String> {
        Ok(pem::encode("PUBLIC KEY", &self.to_spki_der()?))
    }
}

/// An RSA private key with its components and a ready-to-sign backend key.
pub struct RsaPrivate {
    pub public: RsaPublic,
    /// Private exponent and CRT values, big-endian, no leading zeros.
    pub d: Vec<u8>,
    pub p: Vec<u8>,
    pub q: Vec<u8>,
    pub dp: Vec<u8>,
    pub dq: Vec<u8>,
    pub qi: Vec<u8>,
    pkcs1_der: Vec<u8>,
    key_pair: aws_lc_rs::rsa::KeyPair,
}

impl std::fmt::Debug for RsaPrivate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RsaPrivate")
            .field("bits", &self.public.bits())
            .finish_non_exhaustive()
    }
}

impl RsaPrivate {
    /// Generate a new key with public exponent 65537.
    pub fn generate(size: KeySize) -> Result<Self> {
        let ks = match size {
            KeySize::Rsa2048 => aws_lc_rs::rsa::KeySize::Rsa2048,
            KeySize::Rsa3072 => aws_lc_rs::rsa::KeySize::Rsa3072,
            KeySize::Rsa4096 => aws_lc_rs::rsa::KeySize::Rsa4096,
        };
        let kp = aws_lc_rs::rsa::KeyPair::generate(ks)
            .map_err(|_| Error::Crypto("RSA key generation failed".into()))?;
        let pkcs8 = kp
            .as_der()
            .map_err(|_| Error::Crypto("cannot encode the new key".into()))?;
        let info = pkcs8::PrivateKeyInfo::from_der(pkcs8.as_ref()).map_err(der_err)?;
        Self::from_pkcs1_der(info.private_key, "generated key")
    }

    /// Derive a key deterministically from a seed text, for test fixtures:
    /// the `rsa` crate's key generation driven by a ChaCha20 generator seeded
    /// with SHA-256 of the text. The same seed gives the same key on every
    /// machine within a major version of uvtool (a golden test pins one).
    ///
    /// A seeded key is public knowledge (anyone with the seed has it): never
    /// upload one. Only generation uses the `rsa` crate; the key is handed to
    /// aws-lc-rs for everything else.
    pub fn from_seed(seed: &str, size: KeySize) -> Result<Self> {
        use rand_chacha::rand_core::SeedableRng;
        use rsa::pkcs1::EncodeRsaPrivateKey;
        let bits = match size {
            KeySize::Rsa2048 => 2048,
            KeySize::Rsa3072 => 3072,
            KeySize::Rsa4096 => 4096,
        };
        let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed_digest(seed));
        let key = rsa::RsaPrivateKey::new(&mut rng, bits)
            .map_err(|e| Error::Crypto(format!("seeded RSA key generation failed: {e}")))?;
        let der = key
            .to_pkcs1_der()
            .map_err(|e| Error::Crypto(format!("cannot encode the seeded key: {e}")))?;
        Self::from_pkcs1_der(der.as_bytes(), "seeded key")
    }

    /// Build from PKCS#1 `RSAPrivateKey` DER, validating it in the backend.
    pub fn from_pkcs1_der(der: &[u8], what: &str) -> Result<Self> {
        let k = pkcs1::RsaPrivateKey::from_der(der)
            .map_err(|e| Error::input(what, format!("not a valid PKCS#1 RSA private key ({e})")))?;
        if k.other_prime_infos.is_some() {
            return Err(Error::input(what, "multi-prime RSA keys are not supported"));
        }
        let public = RsaPublic::new(k.modulus.as_bytes(), k.public_exponent.as_bytes());
        public.check_policy(what)?;
        let key_pair = aws_lc_rs::rsa::KeyPair::from_der(der).map_err(|e| {
            Error::input(
                what,
                format!("RSA private key rejected as inconsistent ({e})"),
            )
        })?;
        Ok(RsaPrivate {
            public,
            d: strip_zeros(k.private_exponent.as_bytes()).to_vec(),
            p: strip_zeros(k.prime1.as_bytes()).to_vec(),
            q: strip_zeros(k.prime2.as_bytes()).to_vec(),
            dp: strip_zeros(k.exponent1.as_bytes()).to_vec(),
            dq: strip_zeros(k.exponent2.as_bytes()).to_vec(),
            qi: strip_zeros(k.coefficient.as_bytes()).to_vec(),
            pkcs1_der: der.to_vec(),
            key_pair,
        })
    }

    /// Build from components (a private JWK). All CRT values are required.
    #[allow(clippy::too_many_arguments)]
    pub fn from_components(
        n: &[u8],
        e: &[u8],
        d: &[u8],
        p: &[u8],
        q: &[u8],
        dp: &[u8],
        dq: &[u8],
        qi: &[u8],
        what: &str,
    ) -> Result<Self> {
        let k = pkcs1::RsaPrivateKey {
            modulus: uint(n)?,
            public_exponent: uint(e)?,
            private_exponent: uint(d)?,
            prime1: uint(p)?,
            prime2: uint(q)?,
            exponent1: uint(dp)?,
            exponent2: uint(dq)?,
            coefficient: uint(qi)?,
            other_prime_infos: None,
        };
        let der = k.to_der().map_err(der_err)?;
        Self::from_pkcs1_der(&der, what)
    }

    /// The backend key, for signing.
    pub fn key_pair(&self) -> &aws_lc_rs::rsa::KeyPair {
        &self.key_pair
    }

    /// PKCS#1 `RSAPrivateKey` DER.
    pub fn pkcs1_der(&self) -> &[u8] {
        &self.pkcs1_der
    }

    /// PKCS#8 `PrivateKeyInfo` DER.
    pub fn to_pkcs8_der(&self) -> Result<Vec<u8>> {
        pkcs8::PrivateKeyInfo::new(rsa_alg_id(), &self.pkcs1_der)
            .to_der()
            .map_err(der_err)
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    pub fn to_pkcs8_pem(&self) -> Result<String> {
        Ok(pem::encode("PRIVATE KEY", &self.to_pkcs8_der()?))
    }
}

/// SHA-256 of a seed text: the ChaCha20 seed of [`RsaPrivate::from_seed`].
pub fn seed_digest(seed: &str) -> [u8; 32] {
    let d = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, seed.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

/// Load an RSA private key from PEM or DER, PKCS#8 or PKCS#1. `what` names
/// the source in messages. Certificates, public keys, encrypted keys and
/// non-RSA keys get an error that says what they are and what to do.
pub fn load_private(input: &[u8], what: &str) -> Result<RsaPrivate> {
    let _parse = crate::probe::doc(input);
    if pem::looks_like_pem(input) {
        let blocks = pem::parse(input).map_err(|m| Error::input(what, m))?;
        let block = blocks
            .iter()
            .find(|b| b.label.contains("PRIVATE KEY"))
            .unwrap_or(&blocks[0]);
        return private_from_block(block, what);
    }
    if looks_like_json(input) {
        return Err(Error::input(
            what,
            "is JSON; a private JWK is accepted only where the command says so",
        ));
    }
    // DER: PKCS#8 first, then PKCS#1.
    if let Ok(info) = pkcs8::PrivateKeyInfo::from_der(input) {
        return private_from_info(&info, what);
    }
    if pkcs1::RsaPrivateKey::from_der(input).is_ok() {
        return RsaPrivate::from_pkcs1_der(input, what);
    }
    if der_kind(input) == DerKind::Certificate {
        return Err(wrong_kind(what, "CERTIFICATE", "a private key"));
    }
    if der_kind(input) == DerKind::PublicKey {
        return Err(wrong_kind(what, "PUBLIC KEY", "a private key"));
    }
    Err(Error::input(
        what,
        "is neither PEM nor a DER private key (PKCS#8 or PKCS#1)",
    ))
}

/// The private key of a PEM block, by its label.
fn private_from_block(block: &pem::Block, what: &str) -> Result<RsaPrivate> {
    match block.label.as_str() {
        "PRIVATE KEY" => private_from_pkcs8(&block.der, what),
        "RSA PRIVATE KEY" => {
            if block
                .headers
                .iter()
                .any(|(k, v)| k == "Proc-Type" && v.contains("ENCRYPTED"))
            {
                return Err(encrypted_error(what));
            }
            RsaPrivate::from_pkcs1_der(&block.der, what)
        }
        "ENCRYPTED PRIVATE KEY" => Err(encrypted_error(what)),
        "EC PRIVATE KEY" => Err(unsupported(what, "an EC private key")),
        "OPENSSH PRIVATE KEY" => Err(Error::input(
            what,
            "is an OpenSSH private key; convert it with `ssh-keygen -p -m PKCS8 -f FILE` (RSA keys only)",
        )),
        other => Err(wrong_kind(what, other, "a private key")),
    }
}

/// Load an RSA public key from PEM or DER: SPKI (`PUBLIC KEY`), PKCS#1
/// (`RSA PUBLIC KEY`), or a private key (its public half is used).
pub fn load_public(input: &[u8], what: &str) -> Result<RsaPublic> {
    let _parse = crate::probe::doc(input);
    if pem::looks_like_pem(input) {
        let blocks = pem::parse(input).map_err(|m| Error::input(what, m))?;
        return public_from_blocks(&blocks, what);
    }
    if looks_like_json(input) {
        return Err(Error::input(
            what,
            "is JSON (a JWK or JWKS?), expected a PEM or DER key",
        ));
    }
    match der_kind(input) {
        DerKind::PublicKey => public_from_spki(input, what),
        DerKind::Pkcs1Public => public_from_pkcs1(input, what),
        DerKind::PrivateKey => Ok(load_private(input, what)?.public),
        DerKind::Certificate => Err(Error::input(what, "is a certificate, expected a key")),
        DerKind::Unknown => Err(Error::input(
            what,
            "is neither PEM nor a DER public key (SPKI or PKCS#1)",
        )),
    }
}

/// The public key of parsed PEM blocks, as [`load_public`] reads a PEM
/// file: the first block with KEY in its label (a private key gives its
/// public half), or the first block.
pub fn public_from_blocks(blocks: &[pem::Block], what: &str) -> Result<RsaPublic> {
    let Some(first) = blocks.first() else {
        return Err(Error::input(what, "no complete PEM block found"));
    };
    let block = blocks
        .iter()
        .find(|b| b.label.contains("KEY"))
        .unwrap_or(first);
    match block.label.as_str() {
        "PUBLIC KEY" => public_from_spki(&block.der, what),
        "RSA PUBLIC KEY" => public_from_pkcs1(&block.der, what),
        // The first block with KEY in its label is also the first with
        // PRIVATE KEY: the one `load_private` reads.
        l if l.contains("PRIVATE KEY") => Ok(private_from_block(block, what)?.public),
        "CERTIFICATE" => Err(Error::input(what, "is a certificate, expected a key")),
        other => Err(wrong_kind(what, other, "a public key")),
    }
}

/// Parse an SPKI DER public key; non-RSA algorithms are named in the error.
pub fn public_from_spki(der: &[u8], what: &str) -> Result<RsaPublic> {
    let spki = SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|e| Error::input(what, format!("not a valid SubjectPublicKeyInfo ({e})")))?;
    check_oid(spki.algorithm.oid, what, "public key")?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| Error::input(what, "public key bit string is not byte-aligned"))?;
    public_from_pkcs1(bits, what)
}

/// Parse a PKCS#1 `RSAPublicKey` and apply the key policy.
pub fn public_from_pkcs1(der: &[u8], what: &str) -> Result<RsaPublic> {
    let k = pkcs1::RsaPublicKey::from_der(der)
        .map_err(|e| Error::input(what, format!("not a valid RSA public key ({e})")))?;
    let public = RsaPublic::new(k.modulus.as_bytes(), k.public_exponent.as_bytes());
    public.check_policy(what)?;
    Ok(public)
}

fn private_from_pkcs8(der: &[u8], what: &str) -> Result<RsaPrivate> {
    let info = pkcs8::PrivateKeyInfo::from_der(der)
        .map_err(|e| Error::input(what, format!("not a valid PKCS#8 private key ({e})")))?;
    private_from_info(&info, what)
}

fn private_from_info(info: &pkcs8::PrivateKeyInfo<'_>, what: &str) -> Result<RsaPrivate> {
    check_oid(info.algorithm.oid, what, "private key")?;
    RsaPrivate::from_pkcs1_der(info.private_key, what)
}

fn check_oid(oid: ObjectIdentifier, what: &str, kind: &str) -> Result<()> {
    let name = match oid {
        OID_RSA => return Ok(()),
        OID_RSA_PSS => {
            return Err(Error::key_file(
                what,
                KeyProblem::PssRestricted { part: kind.into() },
            ))
        }
        OID_EC => "an EC key",
        OID_ED25519 => "an Ed25519 key",
        OID_ED448 => "an Ed448 key",
        OID_X25519 => "an X25519 key",
        OID_DSA => "a DSA key",
        _ => "a key of an unknown algorithm",
    };
    Err(unsupported(what, &format!("{name} ({kind})")))
}

fn unsupported(what: &str, kind: &str) -> Error {
    Error::input(
        what,
        format!("is {kind}; only RSA keys are supported (the platform accepts RS256/RS512; source: WEB)"),
    )
}

fn encrypted_error(what: &str) -> Error {
    Error::input(
        what,
        format!("is an encrypted private key; decrypt it first: openssl pkey -in {what} -out key-plain.pem (and keep that file private)"),
    )
}

fn wrong_kind(what: &str, label: &str, expected: &str) -> Error {
    let found = match label {
        "CERTIFICATE" => "a certificate".to_string(),
        "PUBLIC KEY" | "RSA PUBLIC KEY" => "a public key".to_string(),
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => "a certificate request".to_string(),
        l => format!("a PEM block labelled {l:?}"),
    };
    Error::input(what, format!("is {found}, expected {expected}"))
}

/// What a DER blob is, by structure, for error messages and input detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DerKind {
    Certificate,
    PublicKey,
    Pkcs1Public,
    PrivateKey,
    Unknown,
}

/// Classify a DER blob.
pub fn der_kind(der: &[u8]) -> DerKind {
    let _parse = crate::probe::doc(der);
    if SubjectPublicKeyInfoRef::from_der(der).is_ok() {
        DerKind::PublicKey
    } else if pkcs8::PrivateKeyInfo::from_der(der).is_ok()
        || pkcs1::RsaPrivateKey::from_der(der).is_ok()
    {
        DerKind::PrivateKey
    } else if pkcs1::RsaPublicKey::from_der(der).is_ok() {
        DerKind::Pkcs1Public
    } else if x509_parser::parse_x509_certificate(der).is_ok() {
        DerKind::Certificate
    } else {
        DerKind::Unknown
    }
}

fn looks_like_json(input: &[u8]) -> bool {
    input
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{' || *b == b'[')
}

fn rsa_alg_id() -> AlgorithmIdentifierRef<'static> {
    AlgorithmIdentifierRef {
        oid: OID_RSA,
        parameters: Some(AnyRef::NULL),
    }
}

fn uint(bytes: &[u8]) -> Result<UintRef<'_>> {
    UintRef::new(strip_zeros(bytes)).map_err(der_err)
}

fn der_err(e: pkcs1::der::Error) -> Error {
    Error::Crypto(format!("DER encoding failed: {e}"))
}

/// Strip leading zero bytes from a big-endian integer (keeping one for zero).
pub fn strip_zeros(b: &[u8]) -> &[u8] {
    let i = b
        .iter()
        .position(|&x| x != 0)
        .unwrap_or(b.len().saturating_sub(1));
    &b[i..]
}
