//! Self-signed test certificates: building (rcgen, signed by aws-lc-rs) and
//! parsing (x509-parser).

use ::time::OffsetDateTime;
use rustls_pki_types::PrivatePkcs8KeyDer;
use x509_parser::prelude::*;

use crate::error::{ErrorKind, SubjectProblem};
use crate::keys::{self, RsaPrivate, RsaPublic};
use crate::pem;
use crate::{Error, Result};

/// What a new certificate says.
#[derive(Debug, Clone)]
pub struct CertOptions {
    /// Distinguished name, `CN=…,O=…` (or openssl's `/CN=…/O=…`).
    pub subject: String,
    /// Validity in days from `not_before`.
    pub days: u32,
    /// Start of validity, unix seconds (defaults to now).
    pub not_before: Option<i64>,
    /// Serial number, big-endian (defaults to 128 random bits); see
    /// [`serial_from_seed`].
    pub serial: Option<Vec<u8>>,
}

/// The longest validity a certificate is made with, in days (100 years).
pub const MAX_DAYS: u32 = 36500;

/// The common name of every certificate made for a seeded key: a seeded key
/// is public knowledge, and this name lets `check` and people recognise one.
pub const FIXTURE_CN: &str = "uvtool fixture key (public seed; never upload)";

/// The subject of a seeded key's certificate.
pub const FIXTURE_SUBJECT: &str =
    "CN=uvtool fixture key (public seed; never upload),O=uvtool fixtures";

/// Whether a certificate subject (as [`CertInfo::subject`] renders it, or
/// as given to [`CertOptions`]) marks a seeded fixture key.
pub fn is_fixture_subject(subject: &str) -> bool {
    subject.contains(FIXTURE_CN)
}

/// A certificate serial derived from a seed text: the first 16 bytes of
/// SHA-256 of `uvtool-cert-serial:` and the seed, made positive and full length.
pub fn serial_from_seed(seed: &str) -> Vec<u8> {
    let mut serial = crate::keys::seed_digest(&format!("uvtool-cert-serial:{seed}"))[..16].to_vec();
    serial[0] = (serial[0] & 0x7f) | 0x40;
    serial
}

/// Build a self-signed X.509 v3 certificate (sha256WithRSAEncryption) for
/// `key`: a 128-bit serial (random unless given), basicConstraints CA:FALSE, keyUsage
/// digitalSignature, subject key identifier. Returns the DER. With a given
/// serial and `not_before` the output is byte-identical run to run (PKCS#1
/// v1.5 signatures are deterministic).
pub fn self_signed(key: &RsaPrivate, opts: &CertOptions) -> Result<Vec<u8>> {
    if opts.days == 0 || opts.days > MAX_DAYS {
        return Err(ErrorKind::CertDays {
            days: opts.days,
            max: MAX_DAYS,
        }
        .into());
    }
    let mut params = rcgen::CertificateParams::default();
    params.distinguished_name = parse_subject(&opts.subject)?;
    let start = opts.not_before.unwrap_or_else(crate::clock::now);
    params.not_before = OffsetDateTime::from_unix_timestamp(start)
        .map_err(|_| ErrorKind::CertTime { end: false })?;
    params.not_after = OffsetDateTime::from_unix_timestamp(start + i64::from(opts.days) * 86400)
        .map_err(|_| ErrorKind::CertTime { end: true })?;
    let serial = match &opts.serial {
        Some(s) => s.clone(),
        None => {
            let mut serial = [0u8; 16];
            aws_lc_rs::rand::fill(&mut serial)
                .map_err(|_| Error::Crypto("random number generator failed".into()))?;
            serial[0] = (serial[0] & 0x7f) | 0x40; // positive, full length
            serial.to_vec()
        }
    };
    params.serial_number = Some(rcgen::SerialNumber::from_slice(&serial));
    params.is_ca = rcgen::IsCa::ExplicitNoCa;
    params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
    params.key_identifier_method = rcgen::KeyIdMethod::Sha256;

    let pkcs8 = key.to_pkcs8_der()?;
    let kp = rcgen::KeyPair::from_pkcs8_der_and_sign_algo(
        &PrivatePkcs8KeyDer::from(pkcs8),
        &rcgen::PKCS_RSA_SHA256,
    )
    .map_err(|e| Error::Crypto(format!("cannot use the key for signing: {e}")))?;
    let cert = params
        .self_signed(&kp)
        .map_err(|e| Error::Crypto(format!("cannot build the certificate: {e}")))?;
    Ok(cert.der().to_vec())
}

/// Split a DN at unescaped `sep`: `\,` (RFC 4514) and `\/` are literal,
/// and a double-quoted value (`CN="Acme, Inc"`) may hold separators.
fn split_dn(t: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = t.chars();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        let cur = parts.last_mut().expect("never empty");
        match c {
            '\\' => match chars.next() {
                Some(n) => cur.push(n),
                None => cur.push('\\'),
            },
            '"' => quoted = !quoted,
            c if c == sep && !quoted => parts.push(String::new()),
            c => cur.push(c),
        }
    }
    parts
}

fn subject(p: SubjectProblem) -> Error {
    ErrorKind::Subject(p).into()
}

/// Parse `CN=Example, O=Org, C=US` or `/CN=Example/O=Org`; `\,` and
/// double quotes keep a comma inside a value (`CN=Acme\, Inc`).
pub fn parse_subject(s: &str) -> Result<rcgen::DistinguishedName> {
    let t = s.trim();
    let parts: Vec<String> = if let Some(rest) = t.strip_prefix('/') {
        split_dn(rest, '/')
    } else {
        split_dn(t, ',')
    };
    let mut dn = rcgen::DistinguishedName::new();
    for part in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| subject(SubjectProblem::NotNameValue(part.to_string())))?;
        let v = v.trim();
        if v.is_empty() {
            return Err(subject(SubjectProblem::EmptyValue(k.to_string())));
        }
        let ty = match k.trim().to_ascii_uppercase().as_str() {
            "CN" => rcgen::DnType::CommonName,
            "O" => rcgen::DnType::OrganizationName,
            "OU" => rcgen::DnType::OrganizationalUnitName,
            "C" => {
                if v.len() != 2 {
                    return Err(subject(SubjectProblem::Country(v.to_string())));
                }
                rcgen::DnType::CountryName
            }
            "ST" => rcgen::DnType::StateOrProvinceName,
            "L" => rcgen::DnType::LocalityName,
            other => return Err(subject(SubjectProblem::Attribute(other.to_string()))),
        };
        dn.push(ty, v);
    }
    if dn.iter().next().is_none() {
        return Err(subject(SubjectProblem::Empty));
    }
    Ok(dn)
}

/// What uvtool needs to know about a certificate.
#[derive(Debug, Clone)]
pub struct CertInfo {
    /// The certificate's DER.
    pub der: Vec<u8>,
    /// Its RSA public key.
    pub public: RsaPublic,
    pub subject: String,
    pub issuer: String,
    /// Validity, unix seconds.
    pub not_before: i64,
    pub not_after: i64,
    /// Serial number in hex.
    pub serial: String,
    /// The signature algorithm's OID, dotted.
    pub signature_oid: String,
}

impl CertInfo {
    /// The certificate as PEM.
    pub fn to_pem(&self) -> String {
        pem::encode("CERTIFICATE", &self.der)
    }
}

/// Load the leaf certificate from PEM (the first certificate of a chain) or
/// DER. Keys and other inputs get an error saying what they are.
pub fn load_certificate(input: &[u8], what: &str) -> Result<CertInfo> {
    let _parse = crate::probe::doc(input);
    if pem::looks_like_pem(input) {
        let blocks = pem::parse(input).map_err(|m| Error::input(what, m))?;
        let Some(block) = blocks.iter().find(|b| b.label == "CERTIFICATE") else {
            let l = blocks.first().map_or("", |b| b.label.as_str());
            let found = if l.contains("PRIVATE KEY") {
                "a private key (never upload it: the certificate is cert.pem)".to_string()
            } else if l.contains("PUBLIC KEY") {
                "a public key".to_string()
            } else {
                format!("a PEM block labelled {l:?}")
            };
            return Err(Error::input(
                what,
                format!("is {found}, expected a certificate"),
            ));
        };
        return parse_der(&block.der, what);
    }
    match keys::der_kind(input) {
        keys::DerKind::PrivateKey => Err(Error::input(
            what,
            "is a private key, expected a certificate",
        )),
        keys::DerKind::PublicKey | keys::DerKind::Pkcs1Public => Err(Error::input(
            what,
            "is a public key, expected a certificate",
        )),
        keys::DerKind::Certificate => parse_der(input, what),
        keys::DerKind::Unknown => {
            let first = input.iter().find(|b| !b.is_ascii_whitespace());
            match first {
                // A DER SEQUENCE: let the parser say what is wrong with it.
                _ if input.first() == Some(&0x30) => parse_der(input, what),
                Some(b'{') | Some(b'[') => Err(Error::input(
                    what,
                    "is JSON, expected a certificate (PEM or DER)",
                )),
                _ => Err(Error::input(
                    what,
                    "is neither PEM (no -----BEGIN line) nor a DER certificate",
                )),
            }
        }
    }
}

/// A certificate name exactly as x509-parser's `Display` writes it: `CN=a,
/// O=b`, with ` + ` between the attributes of one RDN.
///
/// Hand-written for speed: that `Display` first builds x509-parser's OID
/// registry (hundreds of OIDs hashed into a `HashMap`: about 250,000
/// instructions, a quarter of a one-shot `verify --jwks` with `x5c`, by
/// callgrind). The eight attribute types `Display` abbreviates from its
/// own table (`ABBREV_MAP`) are written here from the same table; a name with
/// any other attribute type or a value that is not a plain string falls back
/// to `Display`, so the text never differs (tested against it).
pub fn name_string(name: &X509Name) -> String {
    plain_name(name).unwrap_or_else(|| name.to_string())
}

fn plain_name(name: &X509Name) -> Option<String> {
    use x509_parser::der_parser::asn1_rs::Tag;
    use x509_parser::oid_registry as oids;
    let mut out = String::new();
    for (i, rdn) in name.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        for (j, atv) in rdn.iter().enumerate() {
            if j > 0 {
                out.push_str(" + ");
            }
            let t = atv.attr_type();
            let abbrev = [
                (&oids::OID_X509_COMMON_NAME, "CN"),
                (&oids::OID_X509_COUNTRY_NAME, "C"),
                (&oids::OID_X509_LOCALITY_NAME, "L"),
                (&oids::OID_X509_STATE_OR_PROVINCE_NAME, "ST"),
                (&oids::OID_X509_ORGANIZATION_NAME, "O"),
                (&oids::OID_X509_ORGANIZATIONAL_UNIT, "OU"),
                (&oids::OID_DOMAIN_COMPONENT, "DC"),
                (&oids::OID_PKCS9_EMAIL_ADDRESS, "Email"),
            ]
            .into_iter()
            .find(|(oid, _)| *oid == t)?
            .1;
            let v = atv.attr_value();
            // The string types x509-parser prints as their bytes (BMPString,
            // which it transcodes, and the rest, which it hex-encodes, are
            // left to it).
            match v.tag() {
                Tag::NumericString
                | Tag::VisibleString
                | Tag::PrintableString
                | Tag::GeneralString
                | Tag::ObjectDescriptor
                | Tag::GraphicString
                | Tag::T61String
                | Tag::VideotexString
                | Tag::Utf8String
                | Tag::Ia5String => {}
                _ => return None,
            }
            out.push_str(abbrev);
            out.push('=');
            out.push_str(std::str::from_utf8(v.data).ok()?);
        }
    }
    Some(out)
}

/// Parse one DER certificate.
pub fn parse_der(der: &[u8], what: &str) -> Result<CertInfo> {
    let (rest, cert) = X509Certificate::from_der(der)
        .map_err(|e| Error::input(what, format!("not a valid X.509 certificate ({e})")))?;
    if !rest.is_empty() {
        return Err(Error::input(
            what,
            "has trailing data after the certificate",
        ));
    }
    let spki_der = cert.tbs_certificate.subject_pki.raw;
    let public = keys::public_from_spki(spki_der, what)?;
    let v = cert.validity();
    Ok(CertInfo {
        der: der[..der.len() - rest.len()].to_vec(),
        public,
        subject: name_string(cert.subject()),
        issuer: name_string(cert.issuer()),
        not_before: v.not_before.timestamp(),
        not_after: v.not_after.timestamp(),
        serial: cert.raw_serial_as_string().replace(':', ""),
        signature_oid: cert.signature_algorithm.algorithm.to_id_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DER: a tag, the length (short form, or one length byte), the content.
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let n = u8::try_from(content.len()).unwrap();
        let mut v = if n < 128 {
            vec![tag, n]
        } else {
            vec![tag, 0x81, n]
        };
        v.extend_from_slice(content);
        v
    }

    /// One attribute: an OID (DER content bytes) and a value (tag, bytes).
    fn atv(oid: &[u8], tag: u8, value: &[u8]) -> Vec<u8> {
        tlv(0x30, &[tlv(0x06, oid), tlv(tag, value)].concat())
    }

    #[test]
    fn name_string_is_x509_parsers_display_without_its_registry() {
        const CN: &[u8] = &[0x55, 4, 3];
        const O: &[u8] = &[0x55, 4, 10];
        const OU: &[u8] = &[0x55, 4, 11];
        const C: &[u8] = &[0x55, 4, 6];
        const L: &[u8] = &[0x55, 4, 7];
        const ST: &[u8] = &[0x55, 4, 8];
        const DC: &[u8] = &[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19];
        const EMAIL: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];
        const SERIAL: &[u8] = &[0x55, 4, 5]; // not in the table: falls back
        let rdn = |atvs: &[Vec<u8>]| tlv(0x31, &atvs.concat());
        let names: Vec<(Vec<Vec<u8>>, bool)> = vec![
            (vec![rdn(&[atv(CN, 0x0c, b"My Site Test")])], true),
            (
                vec![
                    rdn(&[atv(C, 0x13, b"US")]),
                    rdn(&[atv(ST, 0x0c, b"CA")]),
                    rdn(&[atv(L, 0x0c, "San Jos\u{e9}".as_bytes())]),
                    rdn(&[atv(O, 0x13, b"Example, Inc.")]),
                    rdn(&[atv(OU, 0x14, b"Eng")]),
                    rdn(&[atv(DC, 0x16, b"example")]),
                    rdn(&[atv(EMAIL, 0x16, b"a@example.com")]),
                    rdn(&[atv(CN, 0x1a, b"visible")]),
                ],
                true,
            ),
            // Several attributes in one RDN.
            (vec![rdn(&[atv(CN, 0x0c, b"a"), atv(O, 0x13, b"b")])], true),
            (vec![], true),
            // Fallbacks: an attribute type outside the table, a BMPString,
            // a non-string value, a string that is not UTF-8.
            (
                vec![
                    rdn(&[atv(CN, 0x0c, b"a")]),
                    rdn(&[atv(SERIAL, 0x13, b"42")]),
                ],
                false,
            ),
            (vec![rdn(&[atv(CN, 0x1e, &[0, b'h', 0, b'i'])])], false),
            (vec![rdn(&[atv(CN, 0x04, &[1, 2, 255])])], false),
            (vec![rdn(&[atv(CN, 0x0c, &[0xff, 0xfe])])], false),
        ];
        for (rdns, plain) in names {
            let der = tlv(0x30, &rdns.concat());
            let (_, name) = X509Name::from_der(&der).unwrap();
            assert_eq!(name_string(&name), name.to_string());
            assert_eq!(plain_name(&name).is_some(), plain, "{name}");
        }
        // And on real certificates: every committed one.
        for f in ["fixtures/keys/a/cert.pem", "fixtures/golden/cert.pem"] {
            let Ok(pem) = std::fs::read(f) else { continue };
            let block = &crate::pem::parse(&pem).unwrap()[0];
            let (_, c) = X509Certificate::from_der(&block.der).unwrap();
            assert_eq!(name_string(c.subject()), c.subject().to_string(), "{f}");
            assert!(plain_name(c.subject()).is_some(), "{f}");
        }
    }

    #[test]
    fn serials_are_positive_full_length_and_validity_exact() {
        let key = crate::keys::load_private(include_bytes!("../fixtures/keys/a/private.pem"), "a")
            .unwrap();
        let opts = |days| CertOptions {
            subject: "CN=Serial test".into(),
            days,
            not_before: Some(1_800_000_000),
            serial: None,
        };
        let mut seen = std::collections::HashSet::new();
        for _ in 0..8 {
            let c = parse_der(&self_signed(&key, &opts(30)).unwrap(), "c").unwrap();
            // 16 bytes, top bit clear (positive), next bit set (no leading
            // zero byte dropped): 32 hex digits starting 4–7.
            assert_eq!(c.serial.len(), 32, "{}", c.serial);
            assert!(
                matches!(c.serial.as_bytes()[0], b'4'..=b'7'),
                "{}",
                c.serial
            );
            assert!(seen.insert(c.serial.clone()), "random serials");
            assert_eq!(c.not_before, 1_800_000_000);
            assert_eq!(c.not_after, 1_800_000_000 + 30 * 86400);
            assert_eq!(c.subject, "CN=Serial test");
            assert_eq!(c.public, key.public);
        }
        let c = parse_der(&self_signed(&key, &opts(36500)).unwrap(), "c").unwrap();
        assert_eq!(c.not_after, 1_800_000_000 + 36500 * 86400);
        let c = parse_der(&self_signed(&key, &opts(1)).unwrap(), "c").unwrap();
        assert_eq!(c.not_after - c.not_before, 86400);
        assert_eq!(
            self_signed(&key, &opts(0)).unwrap_err().to_string(),
            "a certificate valid 0 days: choose 1 to 36500"
        );
        assert!(matches!(
            self_signed(&key, &opts(36501)).unwrap_err(),
            Error::Invalid(ErrorKind::CertDays { days: 36501, .. })
        ));
    }

    #[test]
    fn subjects() {
        assert!(parse_subject("CN=Test, O=Example, C=US").is_ok());
        assert!(parse_subject("/CN=Test/O=Example").is_ok());
        assert!(parse_subject("Test")
            .unwrap_err()
            .to_string()
            .contains("NAME=VALUE"));
        assert!(parse_subject("XX=1")
            .unwrap_err()
            .to_string()
            .contains("not supported"));
        assert!(parse_subject("C=USA")
            .unwrap_err()
            .to_string()
            .contains("two-letter"));
        assert!(parse_subject("  ")
            .unwrap_err()
            .to_string()
            .contains("empty"));
    }

    #[test]
    fn escaped_and_quoted_commas() {
        let cn = |s: &str| {
            let dn = parse_subject(s).unwrap();
            match dn.get(&rcgen::DnType::CommonName) {
                Some(rcgen::DnValue::Utf8String(v)) => v.clone(),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(cn(r"CN=Acme\, Inc,O=Acme"), "Acme, Inc");
        assert_eq!(cn(r#"CN="Acme, Inc", O=Acme"#), "Acme, Inc");
        assert_eq!(cn(r"/CN=a\/b/O=x"), "a/b");
    }
}
