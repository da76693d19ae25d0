//! The one reader: bytes -> what they are (JWK, private JWK, JWKS, JSON
//! array of keys, certificate, public key, private key, encrypted key,
//! token(s)) and what they hold: a key document ([`KeyDoc`], the one key
//! model every rule and the verifier read), a token, or what a keyset URL
//! answered. Each input is read once.
//!
//! Recognising ([`kind_of`]) is one step; strictness is a second: the key,
//! certificate and JWK parsers (`keys`, `cert`, `jwk`) apply uvtool's key
//! policy where a command makes something (a JWK, a set, a certificate),
//! while this module builds a lenient view for the policy's rules, so a
//! 1024-bit key or an EC certificate becomes a finding (K3, K2) instead of
//! an unreadable input.

use pkcs1::der::Decode;
use pkcs8::spki::SubjectPublicKeyInfoRef;
use serde_json::{Map, Value};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use crate::jwk::JwkObject;
use crate::keys::{self, DerKind, RsaPublic};
#[cfg(feature = "net")]
use crate::net::{self, FetchOptions};
use crate::response::{self, RawResponse, ResponseFacts};
use crate::{b64, io, jwk, pem, token, Error, Result};

/// One input, read and recognised.
#[derive(Debug)]
pub enum Input {
    /// Keys: a JWK, JWKS, array, certificate or key file.
    Keys(KeyDoc),
    /// A compact JWS.
    Token(TokenInput),
    /// A keyset URL and what it answered.
    Endpoint(EndpointInput),
}

/// A keyset URL, fetched as the platform would.
#[derive(Debug)]
pub struct EndpointInput {
    pub url: String,
    /// What the server answered; `None` when check did not fetch (plain
    /// http to a host that is not this machine: E1) or the fetch failed.
    pub response: Option<Fetched>,
    /// Why the fetch failed (DNS, connection, TLS, time-out): the rules
    /// on the URL itself (E1, E5) still apply; the command reports this
    /// after them as unusable input.
    pub fetch_error: Option<Error>,
}

/// A response from a keyset URL.
#[derive(Debug)]
pub struct Fetched {
    pub facts: ResponseFacts,
    /// The body looks like an HTML page.
    pub html: bool,
    /// The body read as keys, for a 200 answer that is not HTML; the error
    /// says why it is not a key document.
    pub doc: Option<std::result::Result<KeyDoc, String>>,
}

/// The shape of a key document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One JWK object.
    Jwk,
    /// A JWKS `{"keys":[…]}`.
    Set,
    /// A JSON array of keys (neither a JWK nor a JWKS).
    Array,
    /// An X.509 certificate, PEM or DER.
    Certificate,
    /// A public key, PEM or DER.
    PublicKey,
    /// A private key, PEM or DER.
    PrivateKey,
}

/// A key document and the keys in it.
#[derive(Debug, Clone)]
pub struct KeyDoc {
    pub file: String,
    pub shape: Shape,
    pub keys: Vec<KeyView>,
}

/// One key, as far as it could be read.
#[derive(Debug, Clone)]
pub struct KeyView {
    /// JSON path of the key object (`""` for a JWK file or a PEM/DER file,
    /// `keys[1]` in a JWKS, `[1]` in an array).
    pub path: String,
    /// The JWK object, when the key came from JSON.
    pub jwk: Option<JwkObject>,
    /// The key type: the JWK's `kty` string, or `RSA`/`EC`/`OKP`/… from a
    /// certificate or key file.
    pub kty: Option<String>,
    /// The RSA public key, when `n`/`e` (or the certificate or key) could be read.
    pub public: Option<RsaPublic>,
    /// The certificate: `x5c[0]` of a JWK, or the certificate file itself.
    pub cert: Option<CertSlot>,
}

/// A certificate and where it sits.
#[derive(Debug, Clone)]
pub struct CertSlot {
    /// JSON path (`x5c[0]`, `keys[0].x5c[0]`) or `""` for a certificate file.
    pub path: String,
    pub parsed: std::result::Result<CertFacts, CertProblem>,
}

/// What the rules need to know about a certificate.
#[derive(Debug, Clone)]
pub struct CertFacts {
    /// `RSA`, `EC`, `DSA`, `OKP` or `unknown`.
    pub key_type: String,
    /// The RSA public key, for an RSA certificate.
    pub public: Option<RsaPublic>,
    /// The subject, as x509-parser prints it (`CN=…, O=…`).
    pub subject: String,
    /// Validity, unix seconds.
    pub not_before: i64,
    pub not_after: i64,
}

/// Why a certificate could not be read.
#[derive(Debug, Clone)]
pub enum CertProblem {
    /// The `x5c` entry is not standard base64 (K5 reports it).
    Encoding(String),
    /// The bytes are not a certificate (K8 reports it).
    NotCertificate(String),
}

/// A token and what it decodes to.
#[derive(Debug)]
pub struct TokenInput {
    pub file: String,
    /// The token, cleaned of whitespace and a `Bearer ` prefix.
    pub text: String,
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
}

/// Read an input (a path, or `-` for stdin) and recognise it. Anything that
/// cannot be read at all is an error (exit 2).
pub fn read(arg: &str) -> Result<Input> {
    let lower = arg.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return read_url(arg).map(Input::Endpoint);
    }
    let bytes = io::read_input(arg)?;
    classify(&bytes, io::display_name(arg))
}

/// Read a file of at most `cap` bytes (`limit` names the cap in the
/// error, as [`io::read_file_capped`] does) as every input is read: UTF-16
/// with its byte-order mark as the same text in UTF-8, a UTF-8 byte-order
/// mark dropped ([`io::decode_text`]). For a reader with a cap of its own,
/// such as the set `serve` follows.
pub fn file_capped(path: &std::path::Path, cap: u64, limit: &str) -> Result<Vec<u8>> {
    let bytes = io::read_file_capped(path, cap, limit)?;
    io::decode_text(bytes, &path.display().to_string())
}

/// The first `n` bytes of a file (a file of tokens is checked by its start
/// before it is streamed), as [`decode_head`] reads them.
pub fn file_head(path: &std::path::Path, n: usize) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(n as u64).read_to_end(&mut head))
        .map_err(|e| Error::io(path, "cannot read", e))?;
    Ok(decode_head(head))
}

/// The start of an input, read as [`Lines`] reads the whole: UTF-16 with
/// its byte-order mark as UTF-8 (lossily: a start may end inside a
/// character); other bytes as they are.
pub fn decode_head(head: Vec<u8>) -> Vec<u8> {
    match io::utf16_to_utf8(&head, true) {
        Some(utf8) => utf8,
        None => head,
    }
}

/// Read an input as [`read`] does, but a file of several tokens (one a
/// line, as `verify` reads a batch) gives one token input a line, named
/// `file:LINE`: every token gets its verdict however it arrives.
pub fn read_all(arg: &str) -> Result<Vec<Input>> {
    let lower = arg.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return Ok(vec![read(arg)?]);
    }
    let bytes = io::read_input(arg)?;
    let name = io::display_name(arg);
    // Read once: recognised, and what it holds. Several tokens (not one
    // wrapped over lines, which `recognise` reads as one) are read a line
    // at a time.
    match recognise(&bytes, name) {
        (Kind::Tokens, Err(_)) => {}
        (_, input) => return Ok(vec![input?]),
    }
    // Its lines, as every token stream is read ([`Lines`]).
    let mut lines = Lines::new(&bytes[..]);
    let (mut line, mut token, mut out) = (Line::default(), String::new(), Vec::new());
    while lines
        .next_line(&mut line)
        .map_err(|e| lines_error(name, e))?
    {
        if line.token_into(&mut token) {
            out.push(token_input(&token, format!("{name}:{}", line.number)));
        }
    }
    Ok(out)
}

/// A token input; a token that does not decode is still a token (the
/// policy refuses it, T0, as `verify` does).
pub fn token_input(t: &str, file: String) -> Input {
    let (header, claims) = match token::decode(t) {
        Ok(d) => (d.header, d.claims),
        Err(_) => Default::default(),
    };
    Input::Token(TokenInput {
        file,
        text: t.to_string(),
        header,
        claims,
    })
}

/// Recognise the bytes of an input named `file` and build the lenient view
/// the policy's rules read.
pub fn classify(bytes: &[u8], file: &str) -> Result<Input> {
    recognise(bytes, file).1
}

/// Read bytes once: what they are ([`kind_of`]'s answer) and what they hold
/// ([`classify`]'s), from the same parse.
pub fn recognise(bytes: &[u8], file: &str) -> (Kind, Result<Input>) {
    let bytes = strip_bom(bytes);
    let _parse = crate::probe::doc(bytes);
    let seen = see(bytes);
    let kind = seen.kind();
    let input = match seen {
        Seen::Json(Ok(v)) => value_doc(v, file).map(Input::Keys),
        Seen::Json(Err(e)) => Err(Error::input(file, format!("is not valid JSON ({e})"))),
        Seen::Pem(_) => pem_doc(bytes, file).map(Input::Keys),
        Seen::Token(Kind::Tokens) | Seen::Der(DerKind::Unknown, true) => {
            let text = String::from_utf8_lossy(bytes);
            match wrapped_lines(&text) {
                // One token wrapped over lines: its verdict names it (T0).
                Some(_) => Ok(token_input(clean_token(&text), file.to_string())),
                None if kind == Kind::Tokens => Err(Error::input(
                    file,
                    "holds several tokens; give one token per file",
                )),
                None => der_doc(bytes, file, DerKind::Unknown).map(Input::Keys),
            }
        }
        Seen::Token(_) => {
            let text = String::from_utf8_lossy(bytes);
            Ok(token_input(first_token_line(&text), file.to_string()))
        }
        Seen::Der(d, _) => der_doc(bytes, file, d).map(Input::Keys),
    };
    (kind, input)
}

/// What a key file was given as: the kind of keys the caller asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// A JWK or a JWKS (a JSON array of JWKs too).
    Jwks,
    /// A certificate (its key carries no kid and is tried for any kid).
    Cert,
    /// A public or private key (likewise without a kid).
    Key,
}

impl KeyKind {
    /// How the kind is named in messages.
    pub fn describe(self) -> &'static str {
        match self {
            KeyKind::Jwks => "a JWK or a JWKS",
            KeyKind::Cert => "a certificate",
            KeyKind::Key => "a public or private key",
        }
    }
}

/// Read a key file once, as `given` asks: what its bytes are, and its keys
/// (one document, the one key model every rule and the verifier read). A
/// key or certificate uvtool would not make (1024 bits, an EC key) is read
/// all the same: the key rules judge it. Bytes that hold no such keys get
/// the words of the strict reader of that kind (the JSON reader, or
/// [`cert::load_certificate`](crate::cert::load_certificate),
/// [`keys::load_public`]); a token says it is one.
pub fn key_file(bytes: &[u8], file: &str, given: KeyKind) -> (Kind, Result<KeyDoc>) {
    let (kind, input) = recognise(bytes, file);
    if matches!(kind, Kind::Token | Kind::Tokens) {
        let what = if kind == Kind::Token {
            "a token"
        } else {
            "tokens"
        };
        let msg = format!(
            "holds {what}, not keys: {} is needed here",
            given.describe()
        );
        return (kind, Err(Error::input(file, msg)));
    }
    let doc = match (given, input) {
        (KeyKind::Jwks, Ok(Input::Keys(doc))) if doc.keys.iter().all(|k| k.jwk.is_some()) => {
            Ok(doc)
        }
        (KeyKind::Jwks, Err(e)) if kind_is_json(kind) => Err(e),
        // Not JSON: the JSON reader says so, in its words.
        (KeyKind::Jwks, _) => json_doc(strip_bom(bytes), file),
        (_, Ok(Input::Keys(doc))) if doc.keys.len() == 1 => Ok(doc),
        (KeyKind::Cert, _) => crate::cert::load_certificate(bytes, file).map(|c| {
            let facts = CertFacts {
                key_type: "RSA".into(),
                public: Some(c.public.clone()),
                subject: c.subject,
                not_before: c.not_before,
                not_after: c.not_after,
            };
            let slot = CertSlot {
                path: String::new(),
                parsed: Ok(facts),
            };
            doc(
                file,
                Shape::Certificate,
                file_view("RSA".into(), Some(c.public), Some(slot)),
            )
        }),
        (_, _) => keys::load_public(bytes, file).map(|p| {
            doc(
                file,
                Shape::PublicKey,
                file_view("RSA".into(), Some(p), None),
            )
        }),
    };
    (kind, doc)
}

fn kind_is_json(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Jwk | Kind::PrivateJwk | Kind::Jwks | Kind::JwkArray | Kind::Json
    )
}

/// What an input is, recognised from its bytes before any strict parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A public JWK object (placeholder private members such as `"d":"d"` included).
    Jwk,
    /// A JWK with real private members.
    PrivateJwk,
    /// A JWKS `{"keys":[…]}`.
    Jwks,
    /// A JSON array (of keys, presumably).
    JwkArray,
    /// Other JSON, or text that starts like JSON but does not parse.
    Json,
    /// An X.509 certificate (PEM, possibly a chain, or DER).
    Certificate,
    /// A public key: SPKI or PKCS#1, PEM or DER.
    PublicKey,
    /// A private key: PKCS#8 or PKCS#1, PEM or DER.
    PrivateKey,
    /// An encrypted private key (PKCS#8 or legacy PEM encryption).
    EncryptedKey,
    /// A certificate signing request.
    CertificateRequest,
    /// An OpenSSH private key.
    OpenSshKey,
    /// A PEM block of another kind.
    OtherPem,
    /// One token (a compact JWS), possibly with a `Bearer ` prefix.
    Token,
    /// Several tokens, one a line.
    Tokens,
    /// Text that is none of the above.
    Text,
    /// Binary data that is none of the above.
    Binary,
}

impl Kind {
    /// How the kind is named in messages: "a certificate", "a JWKS".
    pub fn describe(self) -> &'static str {
        match self {
            Kind::Jwk => "a JWK",
            Kind::PrivateJwk => "a private JWK",
            Kind::Jwks => "a JWKS",
            Kind::JwkArray => "a JSON array",
            Kind::Json => "JSON that is neither a JWK nor a JWKS",
            Kind::Certificate => "a certificate",
            Kind::PublicKey => "a public key",
            Kind::PrivateKey => "a private key",
            Kind::EncryptedKey => "an encrypted private key",
            Kind::CertificateRequest => "a certificate request",
            Kind::OpenSshKey => "an OpenSSH private key",
            Kind::OtherPem => "a PEM file of another kind",
            Kind::Token => "a token",
            Kind::Tokens => "a file of tokens",
            Kind::Text => "text that is not a key, a certificate or a token",
            Kind::Binary => "binary data that is not a key or a certificate",
        }
    }
}

pub use crate::io::strip_bom;

/// Recognise what the bytes are. Cheap: JSON is parsed, PEM labels are read,
/// DER is tried against the key and certificate structures.
pub fn kind_of(bytes: &[u8]) -> Kind {
    let bytes = strip_bom(bytes);
    let _parse = crate::probe::doc(bytes);
    see(bytes).kind()
}

/// Bytes as first seen: parsed JSON, PEM (by its labels), a token line, or
/// DER (by its structure).
enum Seen {
    Json(std::result::Result<Value, serde_json::Error>),
    Pem(Kind),
    /// [`Kind::Token`] or [`Kind::Tokens`].
    Token(Kind),
    /// The DER structure, and whether the bytes are UTF-8 (text).
    Der(DerKind, bool),
}

fn see(bytes: &[u8]) -> Seen {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'{') | Some(b'[')) {
        crate::probe::layer("json", bytes);
        return Seen::Json(serde_json::from_slice::<Value>(bytes));
    }
    if pem::looks_like_pem(bytes) {
        return Seen::Pem(pem_kind(&String::from_utf8_lossy(bytes)));
    }
    // As every token reader reads it: bytes that are not UTF-8 make a
    // malformed token (T0), not another kind of input.
    let text = String::from_utf8_lossy(bytes);
    let mut lines = text.lines().map(clean_token).filter(|l| !l.is_empty());
    if let Some(l) = lines.next() {
        if looks_like_token(l) {
            return Seen::Token(if lines.next().is_some() {
                Kind::Tokens
            } else {
                Kind::Token
            });
        }
    }
    Seen::Der(keys::der_kind(bytes), std::str::from_utf8(bytes).is_ok())
}

impl Seen {
    fn kind(&self) -> Kind {
        match self {
            Seen::Json(Ok(Value::Object(m))) if m.contains_key("keys") => Kind::Jwks,
            Seen::Json(Ok(Value::Object(m))) if jwk::is_jwk_object(m) => {
                if jwk::real_private_members(m).is_empty() {
                    Kind::Jwk
                } else {
                    Kind::PrivateJwk
                }
            }
            Seen::Json(Ok(Value::Array(_))) => Kind::JwkArray,
            Seen::Json(_) => Kind::Json,
            Seen::Pem(k) | Seen::Token(k) => *k,
            Seen::Der(DerKind::Certificate, _) => Kind::Certificate,
            Seen::Der(DerKind::PublicKey | DerKind::Pkcs1Public, _) => Kind::PublicKey,
            Seen::Der(DerKind::PrivateKey, _) => Kind::PrivateKey,
            Seen::Der(DerKind::Unknown, true) => Kind::Text,
            Seen::Der(DerKind::Unknown, false) => Kind::Binary,
        }
    }
}

/// The kind of PEM text: its first label that names a kind uvtool knows.
fn pem_kind(text: &str) -> Kind {
    let labels = text.lines().filter_map(|l| {
        l.trim()
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
    });
    let mut other = None;
    for label in labels {
        let kind = match label {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => Kind::Certificate,
            "ENCRYPTED PRIVATE KEY" => Kind::EncryptedKey,
            "RSA PRIVATE KEY" if text.contains("Proc-Type: 4,ENCRYPTED") => Kind::EncryptedKey,
            "PRIVATE KEY" | "RSA PRIVATE KEY" | "EC PRIVATE KEY" | "DSA PRIVATE KEY" => {
                Kind::PrivateKey
            }
            "OPENSSH PRIVATE KEY" => Kind::OpenSshKey,
            "PUBLIC KEY" | "RSA PUBLIC KEY" => Kind::PublicKey,
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => Kind::CertificateRequest,
            _ => {
                other.get_or_insert(Kind::OtherPem);
                continue;
            }
        };
        return kind;
    }
    other.unwrap_or(Kind::OtherPem)
}

/// The most text a token is read from: the token ([`token::MAX_TOKEN_LEN`],
/// the one limit of a token) and room for what [`clean_token`] takes away
/// around it (whitespace, `Authorization: Bearer `, quotes). Every path a
/// token arrives by (argument, file, stdin, batch line, the `ui` page's
/// API) reads at most this much of it; longer text holds a token over the
/// limit, whatever surrounds it, and its verdict says so (T0).
pub const MAX_TOKEN_TEXT: usize = token::MAX_TOKEN_LEN + 4 * 1024;

/// `s` without its leading and trailing ASCII whitespace.
fn trim_ascii(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii_whitespace())
}

/// `t` without `prefix` (ASCII, any case) when something follows it.
fn strip_prefix_ci<'a>(t: &'a str, prefix: &str) -> Option<&'a str> {
    let head = t.get(..prefix.len())?;
    let rest = t.get(prefix.len()..)?;
    (head.eq_ignore_ascii_case(prefix) && !rest.is_empty()).then_some(rest)
}

/// A pasted token without what terminals and HTTP tools add around it:
/// whitespace, an `Authorization:` header name, a `Bearer ` scheme, quotes.
/// Whitespace inside the token stays: a token with a space, tab or line
/// break inside is malformed (T0 names it) however it arrives. Text longer
/// than [`MAX_TOKEN_TEXT`] is returned as it is (less a leading byte-order
/// mark and its ASCII whitespace): it holds a token over the limit, and
/// [`token::decode`] says so.
pub fn clean_token(s: &str) -> &str {
    // Measured as [`Lines`] measures a line: after a byte-order mark at the
    // start and ASCII whitespace around.
    let s = trim_ascii(s.strip_prefix('\u{feff}').unwrap_or(s));
    if s.len() > MAX_TOKEN_TEXT {
        return s;
    }
    // Until nothing changes, so cleaning twice is cleaning once (a token
    // read back from a batch line reads as it did as an argument): each
    // round takes something away.
    let mut t = s;
    loop {
        let mut u = t.trim().trim_start_matches('\u{feff}').trim();
        if let Some(rest) = strip_prefix_ci(u, "authorization:") {
            u = rest.trim_start();
        }
        if let Some(rest) = strip_prefix_ci(u, "bearer ") {
            u = rest.trim_start();
        }
        if let Some(inner) = u.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            u = inner;
        }
        if u.len() == t.len() {
            return u;
        }
        t = u;
    }
}

/// The first line of `text` that holds something once cleaned, cleaned: the
/// token of a file or of stdin, read as a batch line is.
pub fn first_token_line(text: &str) -> &str {
    text.lines()
        .map(clean_token)
        .find(|t| !t.is_empty())
        .unwrap_or_default()
}

/// Whether a line is a token, well formed or not, so a damaged token gets
/// its verdict (T0) from a file as from an argument, and is not called
/// "text". Once cleaned, either
///
/// - its first characters are base64url that decodes to the start of a
///   JSON object, `{` then `"` or `}` with JSON whitespace allowed (`eyJ`
///   for `{"`, `eyAi` for `{ "`, `ewog` for `{\n `, `e30` for `{}`), and a
///   `.` follows; whatever comes after (whitespace, other characters) is
///   the token's problem; or
/// - it has three or more `.`-separated parts and at least 90 % of its
///   characters are base64url or `.` (a token with a stray character or
///   whitespace in front or inside).
pub fn looks_like_token(t: &str) -> bool {
    object_start(t) && t.contains('.') || {
        let (mut total, mut jose, mut dots) = (0usize, 0usize, 0usize);
        for c in t.chars() {
            total += 1;
            if c == '.' {
                dots += 1;
            }
            if c == '.' || c == '-' || c == '_' || c.is_ascii_alphanumeric() {
                jose += 1;
            }
        }
        dots >= 2 && jose * 10 >= total * 9
    }
}

/// Whether base64url text starts with the encoding of `{` then `"` or `}`
/// (JSON whitespace allowed before and between them).
fn object_start(t: &str) -> bool {
    let mut acc = 0u32;
    let mut bits = 0u32;
    let mut open = false;
    for b in t.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return false,
        };
        acc = ((acc << 6) | u32::from(v)) & 0xfff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            let byte = (acc >> bits) & 0xff;
            match (open, byte) {
                (_, 0x20 | 0x09 | 0x0a | 0x0d) => {}
                (false, 0x7b) => open = true,
                (true, 0x22 | 0x7d) => return true,
                _ => return false,
            }
        }
    }
    false
}

/// A token broken over several lines, as a mail client, a terminal or
/// `fold` wraps it: its first lines, joined, make one token that decodes,
/// while the first line alone does not. Returns how many lines it spans.
/// A file that holds one is read as one token, whose verdict names it
/// ([`token::decode`]: "looks wrapped").
pub fn wrapped_lines(text: &str) -> Option<usize> {
    let mut lines = text.lines().map(clean_token).filter(|l| !l.is_empty());
    let first = lines.next()?;
    let jose = |l: &str| {
        l.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    if !jose(first) || token::decode(first).is_ok() {
        return None;
    }
    let mut joined = String::from(first);
    let mut n = 1;
    for l in lines.take_while(|l| jose(l)) {
        if joined.len() + l.len() > token::MAX_TOKEN_LEN {
            return None;
        }
        joined.push_str(l);
        n += 1;
    }
    (n > 1 && token::decode(&joined).is_ok()).then_some(n)
}

/// A token wrapped over the first lines of a stream that goes on with
/// other tokens (one token wrapped, then good ones): the most first
/// lines, two or more, that joined make a token that decodes (a cut
/// signature decodes too), while the first alone does not. [`wrapped_lines`] when the run is the whole.
pub fn wrapped_start(text: &str) -> Option<usize> {
    let mut lines = text.lines().map(clean_token).filter(|l| !l.is_empty());
    let first = lines.next()?;
    let jose = |l: &str| {
        l.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    if !jose(first) || token::decode(first).is_ok() {
        return None;
    }
    let mut joined = String::from(first);
    let mut found = None;
    for (n, l) in (2..).zip(lines.take_while(|l| jose(l))) {
        if joined.len() + l.len() > token::MAX_TOKEN_LEN {
            break;
        }
        joined.push_str(l);
        if token::decode(&joined).is_ok() {
            found = Some(n);
        }
    }
    found
}

/// One line of a batch input (tokens for `verify`, subs for `mint
/// --sub-file`), as [`Lines`] reads it.
#[derive(Debug, Default, Clone)]
pub struct Line {
    /// The line's bytes without its leading ASCII whitespace, its line end
    /// and (at the start of the input) a byte-order mark; at most
    /// [`MAX_TOKEN_TEXT`] of them.
    pub bytes: Vec<u8>,
    /// The line number, from 1.
    pub number: usize,
    /// Bytes of the input this line took, line end included.
    pub consumed: usize,
    /// The line was longer than [`MAX_TOKEN_TEXT`] (not counting leading and
    /// trailing ASCII whitespace): the rest was read and dropped.
    pub over: bool,
}

impl Line {
    /// The token on this line, cleaned as [`clean_token`] cleans an
    /// argument, into `out`; false for a line with nothing on it. Bytes that
    /// are not UTF-8 become U+FFFD (the token is then malformed, T0). A line
    /// over the limit gives its first [`MAX_TOKEN_TEXT`] bytes as they are,
    /// which [`token::decode`] refuses as over the limit.
    pub fn token_into(&self, out: &mut String) -> bool {
        out.clear();
        let text = String::from_utf8_lossy(&self.bytes);
        if self.over {
            out.push_str(&text);
            return true;
        }
        out.push_str(clean_token(&text));
        !out.is_empty()
    }
}

/// The error of [`Lines`] for an input that starts with a UTF-16
/// byte-order mark but does not decode ([`io::NOT_UTF16`]).
#[derive(Debug, Clone, Copy)]
pub struct NotUtf16;

impl std::fmt::Display for NotUtf16 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(io::NOT_UTF16)
    }
}

impl std::error::Error for NotUtf16 {}

/// An error of [`Lines::next_line`] on the input named `name`: UTF-16
/// that does not decode in the words of every reader ([`io::NOT_UTF16`],
/// exit 2), anything else as a read error.
pub fn lines_error(name: &str, e: std::io::Error) -> Error {
    if e.get_ref().is_some_and(|inner| inner.is::<NotUtf16>()) {
        return Error::input(name, io::NOT_UTF16);
    }
    Error::io(std::path::Path::new(name), "cannot read", e)
}

/// Reads a batch input one line at a time with bounded memory: a line ends
/// at `\n`; at most [`MAX_TOKEN_TEXT`] bytes of a line are kept (the rest is
/// read and dropped, and the line marked [`Line::over`]). The one line
/// reader of `verify`'s token streams and `mint --sub-file`.
pub struct Lines<R> {
    inner: R,
    number: usize,
    /// A UTF-16 input (one with its byte-order mark, as PowerShell 5's `>`
    /// writes), read whole and turned into UTF-8.
    utf16: Option<std::io::Cursor<Vec<u8>>>,
}

impl<R: std::io::BufRead> Lines<R> {
    pub fn new(inner: R) -> Self {
        Lines {
            inner,
            number: 0,
            utf16: None,
        }
    }

    /// A UTF-16 input is read whole (at most [`io::MAX_INPUT`]) and read on
    /// as UTF-8. UTF-16 that does not decode (a lone surrogate, an odd
    /// length) is an error ([`NotUtf16`], named by [`lines_error`]), as it
    /// is for every whole-file reader ([`io::decode_text`]): never a
    /// lossy line (a sub minted for the wrong user). The first line counts
    /// every byte of the input as consumed.
    fn read_utf16(&mut self, line: &mut Line) -> std::io::Result<()> {
        use std::io::Read;
        let mut all = Vec::new();
        (&mut self.inner)
            .take(io::MAX_INPUT + 1)
            .read_to_end(&mut all)?;
        line.consumed += all.len();
        if all.len() as u64 > io::MAX_INPUT {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "UTF-16 input larger than 64 MiB",
            ));
        }
        let text = io::utf16_to_utf8(&all, false)
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, NotUtf16))?;
        self.utf16 = Some(std::io::Cursor::new(text));
        Ok(())
    }

    /// How many lines have been read.
    pub fn lines_read(&self) -> usize {
        self.number
    }

    /// Read the next line into `line` (its buffer reused); false at the end
    /// of the input.
    pub fn next_line(&mut self, line: &mut Line) -> std::io::Result<bool> {
        line.bytes.clear();
        line.consumed = 0;
        line.over = false;
        let mut started = false;
        let mut any = false;
        if self.number == 0 && self.utf16.is_none() {
            // A byte-order mark, as Windows editors write (as `io::read_input`
            // drops it from a whole file); UTF-16 is read as UTF-8.
            let utf16 = match self.inner.fill_buf() {
                Ok(buf) if buf.starts_with(io::BOM) => {
                    self.inner.consume(io::BOM.len());
                    line.consumed += io::BOM.len();
                    any = true;
                    false
                }
                Ok(buf) => io::is_utf16(buf),
                Err(_) => false,
            };
            if utf16 {
                self.read_utf16(line)?;
                any = true;
            }
        }
        let decoded = self.utf16.is_some();
        let src: &mut dyn std::io::BufRead = match &mut self.utf16 {
            Some(decoded) => decoded,
            None => &mut self.inner,
        };
        loop {
            let buf = match src.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                break;
            }
            any = true;
            let (mut chunk, used, end) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (buf.get(..i).unwrap_or_default(), i + 1, true),
                None => (buf, buf.len(), false),
            };
            if !started {
                match chunk.iter().position(|b| !b.is_ascii_whitespace()) {
                    Some(i) => {
                        chunk = chunk.get(i..).unwrap_or_default();
                        started = true;
                    }
                    None => chunk = &[],
                }
            }
            let room = MAX_TOKEN_TEXT.saturating_sub(line.bytes.len());
            let (kept, dropped) = chunk.split_at(room.min(chunk.len()));
            line.bytes.extend_from_slice(kept);
            if dropped.iter().any(|b| !b.is_ascii_whitespace()) {
                line.over = true;
            }
            src.consume(used);
            if !decoded {
                line.consumed += used;
            }
            if end {
                break;
            }
        }
        if !any {
            return Ok(false);
        }
        self.number += 1;
        line.number = self.number;
        Ok(true)
    }
}

/// `prefix.member`, or `member` at the top level (JSON paths in findings).
pub fn join(prefix: &str, member: &str) -> String {
    if prefix.is_empty() {
        member.to_string()
    } else if member.starts_with('[') {
        format!("{prefix}{member}")
    } else {
        format!("{prefix}.{member}")
    }
}

/// Read JSON key material leniently: a JWK, a JWKS or an array of JWKs.
pub fn json_doc(bytes: &[u8], file: &str) -> Result<KeyDoc> {
    let _parse = crate::probe::doc(bytes);
    crate::probe::layer("json", bytes);
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| Error::input(file, format!("is not valid JSON ({e})")))?;
    value_doc(v, file)
}

/// Read parsed JSON as key material ([`json_doc`] without the parsing).
pub fn value_doc(v: Value, file: &str) -> Result<KeyDoc> {
    let objects = |arr: Vec<Value>, prefix: &str| -> Result<Vec<KeyView>> {
        if arr.len() > crate::jwk::MAX_KEYS {
            return Err(crate::jwk::too_many_keys(file, arr.len()));
        }
        arr.into_iter()
            .enumerate()
            .map(|(i, k)| {
                let path = format!("{prefix}[{i}]");
                match k {
                    Value::Object(o) => Ok(jwk_view(o, path)),
                    _ => Err(Error::input(
                        format!("{file}: {path}"),
                        "is not a JSON object (a key is an object with \"kty\")",
                    )),
                }
            })
            .collect()
    };
    match v {
        Value::Array(arr) => Ok(KeyDoc {
            file: file.to_string(),
            shape: Shape::Array,
            keys: objects(arr, "")?,
        }),
        Value::Object(mut m) => {
            if let Some(keys) = m.remove("keys") {
                let Value::Array(arr) = keys else {
                    return Err(Error::input(
                        format!("{file}: keys"),
                        "is not an array (a JWKS is {\"keys\":[…]})",
                    ));
                };
                Ok(KeyDoc {
                    file: file.to_string(),
                    shape: Shape::Set,
                    keys: objects(arr, "keys")?,
                })
            } else if jwk::is_jwk_object(&m) {
                Ok(KeyDoc {
                    file: file.to_string(),
                    shape: Shape::Jwk,
                    keys: vec![jwk_view(m, String::new())],
                })
            } else {
                Err(Error::input(
                    file,
                    "is a JSON object with neither \"keys\" (a JWKS) nor JWK members such as \"kty\"",
                ))
            }
        }
        _ => Err(Error::input(
            file,
            "is JSON but not an object (expected a JWK or a JWKS {\"keys\":[…]})",
        )),
    }
}

/// The lenient view of one JWK object at `path` (`""`, `keys[1]`).
pub fn jwk_view(obj: JwkObject, path: String) -> KeyView {
    let kty = obj.get("kty").and_then(Value::as_str).map(str::to_string);
    let member = |k: &str| {
        obj.get(k)
            .and_then(Value::as_str)
            .and_then(|s| b64::url_decode(s).ok())
            .filter(|v| !v.is_empty())
    };
    let public = match (member("n"), member("e")) {
        (Some(n), Some(e)) => Some(RsaPublic::new(&n, &e)),
        _ => None,
    };
    let cert = match obj.get("x5c") {
        Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(|s| CertSlot {
            path: join(&path, "x5c[0]"),
            parsed: match b64::std_decode(s) {
                Ok(der) => cert_facts(&der),
                Err(m) => Err(CertProblem::Encoding(m)),
            },
        }),
        _ => None,
    };
    KeyView {
        path,
        jwk: Some(obj),
        kty,
        public,
        cert,
    }
}

/// Read a certificate without the key policy.
pub fn cert_facts(der: &[u8]) -> std::result::Result<CertFacts, CertProblem> {
    match X509Certificate::from_der(der) {
        Ok((&[], cert)) => {
            let spki = cert.public_key();
            let (key_type, public) = match spki.parsed() {
                Ok(PublicKey::RSA(r)) => (
                    "RSA".to_string(),
                    Some(RsaPublic::new(r.modulus, r.exponent)),
                ),
                Ok(PublicKey::EC(_)) => ("EC".to_string(), None),
                Ok(PublicKey::DSA(_)) => ("DSA".to_string(), None),
                _ => (
                    oid_key_type(&spki.algorithm.algorithm.to_id_string()).to_string(),
                    None,
                ),
            };
            let v = cert.validity();
            Ok(CertFacts {
                key_type,
                public,
                subject: crate::cert::name_string(cert.subject()),
                not_before: v.not_before.timestamp(),
                not_after: v.not_after.timestamp(),
            })
        }
        Ok(_) => Err(CertProblem::NotCertificate(
            "has trailing data after the certificate".into(),
        )),
        Err(e) => Err(CertProblem::NotCertificate(match keys::der_kind(der) {
            DerKind::PrivateKey => {
                "is a private key, not a certificate: never paste or upload a private key".into()
            }
            DerKind::PublicKey | DerKind::Pkcs1Public => {
                "is a bare public key, not a certificate".into()
            }
            _ => format!("does not parse as an X.509 certificate ({e})"),
        })),
    }
}

fn oid_key_type(oid: &str) -> &'static str {
    match oid {
        "1.2.840.113549.1.1.1" => "RSA",
        "1.2.840.113549.1.1.10" => "RSA-PSS",
        "1.2.840.10045.2.1" => "EC",
        "1.3.101.110" | "1.3.101.111" | "1.3.101.112" | "1.3.101.113" => "OKP",
        "1.2.840.10040.4.1" => "DSA",
        _ => "unknown",
    }
}

fn file_view(kty: String, public: Option<RsaPublic>, cert: Option<CertSlot>) -> KeyView {
    KeyView {
        path: String::new(),
        jwk: None,
        kty: Some(kty),
        public,
        cert,
    }
}

fn doc(file: &str, shape: Shape, view: KeyView) -> KeyDoc {
    KeyDoc {
        file: file.to_string(),
        shape,
        keys: vec![view],
    }
}

fn cert_doc(der: &[u8], file: &str) -> KeyDoc {
    let parsed = cert_facts(der);
    let (kty, public) = match &parsed {
        Ok(f) => (f.key_type.clone(), f.public.clone()),
        Err(_) => ("unknown".to_string(), None),
    };
    let mut view = file_view(
        kty,
        public,
        Some(CertSlot {
            path: String::new(),
            parsed,
        }),
    );
    if view.public.is_none() && view.kty.as_deref() == Some("unknown") {
        view.kty = None;
    }
    doc(file, Shape::Certificate, view)
}

fn pem_doc(bytes: &[u8], file: &str) -> Result<KeyDoc> {
    let blocks = pem::parse(bytes).map_err(|m| Error::input(file, m))?;
    let block = blocks
        .iter()
        .find(|b| b.label == "CERTIFICATE" || b.label.contains("KEY"))
        .or_else(|| blocks.first())
        .ok_or_else(|| Error::input(file, "no complete PEM block found"))?;
    let encrypted = block
        .headers
        .iter()
        .any(|(k, v)| k == "Proc-Type" && v.contains("ENCRYPTED"));
    match block.label.as_str() {
        "CERTIFICATE" => Ok(cert_doc(&block.der, file)),
        "PRIVATE KEY" => private_pkcs8(&block.der, file),
        "RSA PRIVATE KEY" if !encrypted => private_pkcs1(&block.der, file),
        "RSA PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => Err(Error::input(
            file,
            format!("is an encrypted private key, which cannot be read without its password (decrypt a copy with `openssl pkey -in {file} -out plain.pem`)"),
        )),
        "EC PRIVATE KEY" => Ok(doc(file, Shape::PrivateKey, file_view("EC".into(), None, None))),
        "PUBLIC KEY" => public_spki(&block.der, file),
        "RSA PUBLIC KEY" => public_pkcs1(&block.der, file),
        other => Err(Error::input(
            file,
            format!("is a PEM block labelled {other:?}, not a JWK, a JWKS, a certificate, a key or a token"),
        )),
    }
}

fn der_doc(bytes: &[u8], file: &str, kind: DerKind) -> Result<KeyDoc> {
    match kind {
        DerKind::Certificate => Ok(cert_doc(bytes, file)),
        DerKind::PublicKey => public_spki(bytes, file),
        DerKind::Pkcs1Public => public_pkcs1(bytes, file),
        DerKind::PrivateKey => {
            if pkcs8::PrivateKeyInfo::from_der(bytes).is_ok() {
                private_pkcs8(bytes, file)
            } else {
                private_pkcs1(bytes, file)
            }
        }
        DerKind::Unknown => Err(Error::input(
            file,
            "is not a JWK, a JWKS, a certificate (PEM/DER), a key (PEM/DER) or a token",
        )),
    }
}

fn private_pkcs8(der: &[u8], file: &str) -> Result<KeyDoc> {
    let info = pkcs8::PrivateKeyInfo::from_der(der)
        .map_err(|e| Error::input(file, format!("not a valid PKCS#8 private key ({e})")))?;
    let kty = oid_key_type(&info.algorithm.oid.to_string());
    if kty != "RSA" {
        return Ok(doc(
            file,
            Shape::PrivateKey,
            file_view(kty.into(), None, None),
        ));
    }
    private_pkcs1(info.private_key, file)
}

fn private_pkcs1(der: &[u8], file: &str) -> Result<KeyDoc> {
    let k = pkcs1::RsaPrivateKey::from_der(der)
        .map_err(|e| Error::input(file, format!("not a valid PKCS#1 RSA private key ({e})")))?;
    let public = RsaPublic::new(k.modulus.as_bytes(), k.public_exponent.as_bytes());
    Ok(doc(
        file,
        Shape::PrivateKey,
        file_view("RSA".into(), Some(public), None),
    ))
}

fn public_spki(der: &[u8], file: &str) -> Result<KeyDoc> {
    let spki = SubjectPublicKeyInfoRef::from_der(der)
        .map_err(|e| Error::input(file, format!("not a valid SubjectPublicKeyInfo ({e})")))?;
    let kty = oid_key_type(&spki.algorithm.oid.to_string());
    if kty != "RSA" {
        return Ok(doc(
            file,
            Shape::PublicKey,
            file_view(kty.into(), None, None),
        ));
    }
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| Error::input(file, "public key bit string is not byte-aligned"))?;
    public_pkcs1(bits, file)
}

fn public_pkcs1(der: &[u8], file: &str) -> Result<KeyDoc> {
    let k = pkcs1::RsaPublicKey::from_der(der)
        .map_err(|e| Error::input(file, format!("not a valid RSA public key ({e})")))?;
    let public = RsaPublic::new(k.modulus.as_bytes(), k.public_exponent.as_bytes());
    Ok(doc(
        file,
        Shape::PublicKey,
        file_view("RSA".into(), Some(public), None),
    ))
}

/// A keyset URL's answer, read as a JWKS.
#[derive(Debug)]
pub struct FetchedJwks {
    /// The keys of the set, read once (not judged beyond being keys).
    pub doc: KeyDoc,
    /// The body as received.
    pub body: Vec<u8>,
    /// What the server answered.
    pub facts: ResponseFacts,
}

/// Fetch `url` and read its keys. Errors (exit 2) for an unusable URL, a
/// network failure, a status other than 200, an HTML page, a body that is
/// not JSON or holds no JWK, and a body over the cap.
#[cfg(feature = "net")]
pub fn fetch_jwks(url: &str, opts: &FetchOptions) -> Result<FetchedJwks> {
    judge_jwks(net::fetch(url, opts)?)
}

/// Judge a response as a JWKS: status 200, not HTML, JSON, a JWKS, not empty.
pub fn judge_jwks(raw: RawResponse) -> Result<FetchedJwks> {
    let facts = raw.facts;
    let body = raw.body;
    if facts.status != 200 {
        return Err(Error::Network(format!(
            "{}: HTTP status {}{} (expected 200){}",
            facts.final_url,
            facts.status,
            response::reason(facts.status).map_or(String::new(), |r| format!(" {r}")),
            response::redirect_note(&facts)
        )));
    }
    let doc = jwks_body(&body, &facts)?;
    Ok(FetchedJwks { doc, body, facts })
}

/// Judge a 200 body: HTML, an empty body, not JSON, or JSON that holds no
/// JWK at all are errors.
fn jwks_body(body: &[u8], facts: &ResponseFacts) -> Result<KeyDoc> {
    let url = &facts.final_url;
    // Read as a key file is: one set, one verdict.
    let body = body_text(body).map_err(|m| Error::Network(format!("{url}: the body {m}")))?;
    let body = &body[..];
    let ct = facts
        .content_type
        .as_deref()
        .map_or(String::new(), |c| format!(", Content-Type: {c}"));
    if response::looks_like_html(body, facts.content_type.as_deref()) {
        return Err(Error::Network(format!(
            "{url}: the body looks like an HTML page (a login page?), not a JWKS{ct}{}",
            response::redirect_note(facts)
        )));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Network(format!(
            "{url}: the body is empty, not a JWKS{ct}"
        )));
    }
    let value = serde_json::from_slice::<Value>(body).map_err(|e| {
        Error::Network(format!(
            "{url}: the body is not JSON ({e}){ct}; first bytes: {}",
            response::preview(body)
        ))
    })?;
    // Read as a key file is: a JWKS, or (named by `check`'s E2) a single
    // JWK or an array of them. A set with no key is judged too: every
    // token is then invalid (T2), as for a file.
    value_doc(value, url).map_err(|e| Error::Network(format!("{e} (not a JWKS)")))
}

/// A keyset URL's body as a file's bytes are read ([`io::decode_text`]):
/// UTF-16 with its byte-order mark as the same text in UTF-8, a UTF-8
/// byte-order mark dropped, anything else as it is. The error says why
/// UTF-16 does not decode.
pub fn body_text(body: &[u8]) -> std::result::Result<std::borrow::Cow<'_, [u8]>, String> {
    if !io::is_utf16(body) {
        return Ok(std::borrow::Cow::Borrowed(strip_bom(body)));
    }
    let utf8 = io::utf16_to_utf8(body, false).ok_or(
        "starts with a UTF-16 byte-order mark but is not UTF-16 text (an odd length or a broken character)",
    )?;
    Ok(std::borrow::Cow::Owned(strip_bom(&utf8).to_vec()))
}

/// Fetch a keyset URL (https, or http on loopback) with the network module's
/// bounds. Plain http to another host is not fetched (E1 reports it); a URL
/// that cannot be fetched at all is an error (exit 2).
#[cfg(feature = "net")]
fn read_url(url: &str) -> Result<EndpointInput> {
    net::check_url(url, true)?;
    if net::check_url(url, false).is_err() {
        return Ok(EndpointInput {
            url: url.to_string(),
            response: None,
            fetch_error: None,
        });
    }
    let raw = match net::fetch(url, &FetchOptions::default()) {
        Ok(raw) => raw,
        Err(e) => {
            return Ok(EndpointInput {
                url: url.to_string(),
                response: None,
                fetch_error: Some(e),
            })
        }
    };
    // The body read as a key file is (UTF-16, a byte-order mark).
    let body = body_text(&raw.body);
    let text = body.as_deref().unwrap_or(&raw.body);
    let html = response::looks_like_html(text, raw.facts.content_type.as_deref());
    let doc = (raw.facts.status == 200 && !html).then(|| {
        let text = body.as_deref().map_err(|m| m.to_string())?;
        json_doc(text, url).map_err(|e| match e {
            Error::Input { msg, .. } => msg,
            other => other.to_string(),
        })
    });
    Ok(EndpointInput {
        url: url.to_string(),
        response: Some(Fetched {
            facts: raw.facts,
            html,
            doc,
        }),
        fetch_error: None,
    })
}

/// Without the `net` feature there is no client: a URL is an error.
#[cfg(not(feature = "net"))]
fn read_url(url: &str) -> Result<EndpointInput> {
    Err(Error::Network(format!(
        "{url}: this build has no network client (the `net` feature)"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fx(rel: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(rel),
        )
        .unwrap()
    }

    const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";

    #[test]
    fn kinds_of_every_fixture() {
        for (rel, kind) in [
            ("keys/a/jwk.json", Kind::Jwk),
            ("keys/a/jwks.json", Kind::Jwks),
            ("jwk/a-private.json", Kind::PrivateJwk),
            ("check/official-sample.json", Kind::Jwk),
            ("keys/a/cert.pem", Kind::Certificate),
            ("keys/openssl-cert.der", Kind::Certificate),
            ("keys/a/public.pem", Kind::PublicKey),
            ("keys/openssl-pkcs1-public.pem", Kind::PublicKey),
            ("keys/openssl-spki.der", Kind::PublicKey),
            ("keys/a/private.pem", Kind::PrivateKey),
            ("keys/openssl-pkcs1.pem", Kind::PrivateKey),
            ("keys/openssl-pkcs1.der", Kind::PrivateKey),
            ("keys/openssl-pkcs8.der", Kind::PrivateKey),
            ("keys/ec-p256.pem", Kind::PrivateKey),
            ("keys/encrypted-pkcs8.pem", Kind::EncryptedKey),
            ("keys/encrypted-pkcs1.pem", Kind::EncryptedKey),
        ] {
            assert_eq!(kind_of(&fx(rel)), kind, "{rel}");
        }
        for (bytes, kind) in [
            (&b"[1]"[..], Kind::JwkArray),
            (b"{\"a\":1}", Kind::Json),
            (b"{not json", Kind::Json),
            (b"\xEF\xBB\xBF {\"keys\":[]}", Kind::Jwks),
            (b"-----BEGIN CERTIFICATE REQUEST-----\nAA==\n-----END CERTIFICATE REQUEST-----\n", Kind::CertificateRequest),
            (b"-----BEGIN OPENSSH PRIVATE KEY-----\nAA==\n-----END OPENSSH PRIVATE KEY-----\n", Kind::OpenSshKey),
            (b"-----BEGIN X-----\nAA==\n-----END X-----\n", Kind::OtherPem),
            (b"-----BEGIN X-----\nAA==\n-----END X-----\n-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----\n", Kind::PublicKey),
            (b"hello", Kind::Text),
            (b"\xff\x00\x01", Kind::Binary),
            (b"", Kind::Text),
        ] {
            assert_eq!(kind_of(bytes), kind, "{}", String::from_utf8_lossy(bytes));
        }
        assert_eq!(kind_of(TOKEN.as_bytes()), Kind::Token);
        assert_eq!(
            kind_of(format!("\n  Bearer {TOKEN}\n\n").as_bytes()),
            Kind::Token
        );
        assert_eq!(
            kind_of(format!("{TOKEN}\n{TOKEN}\n").as_bytes()),
            Kind::Tokens
        );
        assert_eq!(kind_of(b"eyJ no token here"), Kind::Text);
        assert_eq!(kind_of(b"eyJabc"), Kind::Text);
        // Every kind has its own name.
        let all = [
            Kind::Jwk,
            Kind::PrivateJwk,
            Kind::Jwks,
            Kind::JwkArray,
            Kind::Json,
            Kind::Certificate,
            Kind::PublicKey,
            Kind::PrivateKey,
            Kind::EncryptedKey,
            Kind::CertificateRequest,
            Kind::OpenSshKey,
            Kind::OtherPem,
            Kind::Token,
            Kind::Tokens,
            Kind::Text,
            Kind::Binary,
        ];
        let names: std::collections::HashSet<&str> = all.iter().map(|k| k.describe()).collect();
        assert_eq!(names.len(), all.len());
        assert_eq!(Kind::Certificate.describe(), "a certificate");
    }

    #[test]
    fn pasted_tokens_are_cleaned() {
        assert_eq!(
            clean_token(&format!("  Authorization: Bearer {TOKEN} ")),
            TOKEN
        );
        assert_eq!(clean_token(&format!("bearer   {TOKEN}")), TOKEN);
        assert_eq!(clean_token(&format!("\"{TOKEN}\"")), TOKEN);
        assert_eq!(clean_token(&format!("\u{feff}{TOKEN}")), TOKEN);
        // The prefixes alone, and a lone quote, stay as they are.
        assert_eq!(clean_token("Authorization:"), "Authorization:");
        assert_eq!(clean_token("authorization:x"), "x");
        assert_eq!(clean_token("Bearer"), "Bearer");
        assert_eq!(clean_token("\""), "\"");
        assert_eq!(clean_token("\"\""), "");
        assert_eq!(clean_token("\"a\""), "a");
        assert_eq!(first_token_line("\n \n  x y \nz"), "x y");
        assert_eq!(first_token_line(" \n"), "");
        assert_eq!(first_token_line("\"\"\n Bearer t \n"), "t");
        // Cleaning twice is cleaning once.
        assert_eq!(clean_token(&format!("\"Bearer {TOKEN}\"")), TOKEN);
        assert_eq!(clean_token("\"\"\"\""), "");
        // Non-ASCII around the prefixes: no cut inside a character.
        for s in [
            "\u{e9}",
            "Bearer\u{e9}",
            "authorization\u{e9}:x",
            "\u{e9}bearer x",
            "\"\u{e9}",
        ] {
            assert_eq!(clean_token(s), s);
        }
        assert_eq!(clean_token("Authorization: Bearer \u{e9}x"), "\u{e9}x");
        // Text over the limit is given back as it is, for decode to refuse.
        let long = format!("Bearer {}", "a".repeat(MAX_TOKEN_TEXT));
        assert_eq!(clean_token(&format!("  {long}\n")), long);
        assert!(looks_like_token(TOKEN));
        assert!(!looks_like_token("eyJabc"));
        // Whitespace inside does not stop a token being one (T0 names it).
        assert!(looks_like_token("eyJ a.b"));
        assert!(!looks_like_token("abc.def"));
        // A header with whitespace: `{ "`, `{\n`, `{}`.
        assert!(looks_like_token("eyAiYWxnIjoiUlMyNTYifQ.e30.c2ln"));
        assert!(looks_like_token("ewogICJhbGciOiJSUzI1NiJ9.e30.c2ln"));
        assert!(looks_like_token("e30.e30."));
        // `ex…` decodes to `{` too, but not to `{"`: a file name, not a token.
        assert!(!looks_like_token("example.com"));
        assert!(!looks_like_token("e3.x"));
        // A stray character in front: still a (damaged) token.
        assert!(looks_like_token(&format!("\u{e9}{TOKEN}")));
        assert!(looks_like_token(&format!("Authorizati\u{f1}: {TOKEN}")));
        assert!(!looks_like_token("Hello world. Foo bar. Baz."));
        assert!(!looks_like_token("\u{e9}\u{e9}\u{e9}"));
    }

    #[test]
    fn token_recognition_at_its_boundaries() {
        // Three parts, 90 % base64url or `.`: a damaged token; below, text.
        let at = format!("{}.b.c{}", "a".repeat(14), "\u{e9}".repeat(2));
        assert_eq!(at.chars().count(), 20);
        assert!(looks_like_token(&at));
        let below = format!("{}.b.c{}", "a".repeat(13), "\u{e9}".repeat(2));
        assert_eq!(below.chars().count(), 19);
        assert!(!looks_like_token(&below));
        // Two parts are not enough for the second rule.
        assert!(!looks_like_token(
            "\u{e9}aaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbb"
        ));
        // The first rule needs a `.`, and `{` then `"` or `}`.
        assert!(!looks_like_token("eyJhbGciOiJSUzI1NiJ9"));
        assert!(!object_start("e"));
        assert!(!object_start("ey"));
        assert!(object_start("eyJ"));
        assert!(object_start("e30"));
        assert!(!object_start("e3"));
        // JSON whitespace before and inside the object: " {", "{\r\n\"".
        assert!(object_start(&b64::url_encode(b" {\"")));
        assert!(object_start(&b64::url_encode(b"\t\r\n{\r\n\"")));
        assert!(!object_start(&b64::url_encode(b"{a")));
        assert!(!object_start(&b64::url_encode(b"[\"")));
        assert!(!object_start(&b64::url_encode(b"\x0b{\"")));
        assert!(!object_start("ey-J"));
        assert!(object_start(&b64::url_encode(b"{\x20\x09\x0a\x0d}")));
        // `-` and `_` are base64url: `{` then 0xfb/0xff is not a JSON object.
        assert!(!object_start("e-__"));
        assert!(!object_start("e_--"));
    }

    #[test]
    fn lines_are_bounded_and_read_as_arguments() {
        let read = |bytes: &[u8]| {
            let mut lines = Lines::new(bytes);
            let mut line = Line::default();
            let mut out = Vec::new();
            let mut token = String::new();
            while lines.next_line(&mut line).unwrap() {
                let some = line.token_into(&mut token);
                out.push((
                    line.number,
                    line.over,
                    some.then(|| token.clone()),
                    line.consumed,
                ));
            }
            out
        };
        let input = format!("\u{feff}  Bearer {TOKEN}\r\n\n\t\"\"\n{TOKEN}");
        assert_eq!(
            read(input.as_bytes()),
            [
                (
                    1,
                    false,
                    Some(TOKEN.to_string()),
                    3 + 2 + 7 + TOKEN.len() + 2
                ),
                (2, false, None, 1),
                (3, false, None, 4),
                (4, false, Some(TOKEN.to_string()), TOKEN.len()),
            ]
        );
        // Not UTF-8: a malformed token, not an error.
        let got = read(b"ab\xffc\n");
        assert_eq!(got[0].2.as_deref(), Some("ab\u{fffd}c"));
        // Over the limit: the rest of the line is read and dropped, the next
        // line is read as usual, and decode refuses what was kept.
        let mut long = vec![b'A'; MAX_TOKEN_TEXT + 10];
        long.extend_from_slice(format!("\n{TOKEN}\n").as_bytes());
        let got = read(&long);
        assert_eq!((got[0].1, got[0].3), (true, MAX_TOKEN_TEXT + 11));
        let kept = got[0].2.as_deref().unwrap();
        assert_eq!(kept.len(), MAX_TOKEN_TEXT);
        assert_eq!(token::decode(kept).unwrap_err(), token::over_limit());
        assert_eq!(got[1].2.as_deref(), Some(TOKEN));
        // Trailing spaces past the limit are not "over": trimmed anyway.
        let mut spaced = TOKEN.as_bytes().to_vec();
        spaced.extend(std::iter::repeat_n(b' ', MAX_TOKEN_TEXT + 10));
        let got = read(&spaced);
        assert_eq!((got[0].1, got[0].2.as_deref()), (false, Some(TOKEN)));
        // Leading spaces do not count either.
        let mut lead = vec![b' '; MAX_TOKEN_TEXT + 10];
        lead.extend_from_slice(TOKEN.as_bytes());
        assert_eq!(read(&lead)[0].2.as_deref(), Some(TOKEN));
        assert_eq!(clean_token(std::str::from_utf8(&lead).unwrap()), TOKEN);
    }

    #[test]
    fn read_all_splits_lines_as_the_token_streams_do() {
        // What `read_all` gave when it split the text itself (`str::lines`),
        // kept as the oracle: reading through `Lines` changes nothing.
        fn by_str_lines(arg: &str) -> Vec<String> {
            let bytes = io::read_input(arg).unwrap();
            let text = String::from_utf8_lossy(strip_bom(&bytes));
            text.lines()
                .enumerate()
                .filter_map(|(i, line)| {
                    let t = clean_token(line);
                    (!t.is_empty()).then(|| format!("{arg}:{} {t}", i + 1))
                })
                .collect()
        }
        let d = tempfile::tempdir().unwrap();
        let t = TOKEN;
        let mut utf16 = vec![0xff, 0xfe];
        for u in format!("{t}\r\n\r\n{t}\r\n").encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let cases: Vec<Vec<u8>> = vec![
            format!("{t}\n{t}\n").into(),
            format!("{t}\r\n{t}\r\n").into(),
            format!("{t}\n{t}").into(),
            format!("\n  \n{t}\n\t{t} \n\n\n").into(),
            format!("\u{feff}{t}\nBearer {t}\n\"{t}\"\n").into(),
            format!("{t}\nnot a token\n{t}\n").into(),
            [format!("{t}\n{t}").as_bytes(), b"\xff\xfe\n", t.as_bytes()].concat(),
            utf16,
        ];
        for (i, bytes) in cases.iter().enumerate() {
            let p = d.path().join(format!("case{i}"));
            std::fs::write(&p, bytes).unwrap();
            let arg = p.to_str().unwrap();
            let got: Vec<String> = read_all(arg)
                .unwrap()
                .into_iter()
                .map(|input| match input {
                    Input::Token(t) => format!("{} {}", t.file, t.text),
                    _ => panic!("case {i}: not tokens"),
                })
                .collect();
            assert_eq!(got, by_str_lines(arg), "case {i}");
            assert!(got.len() >= 2, "case {i}: {got:?}");
        }
        // A line over the limit is kept to the limit, as a stream keeps it:
        // the token is refused with the same words.
        let long = "A".repeat(MAX_TOKEN_TEXT * 2);
        let p = d.path().join("long");
        std::fs::write(&p, format!("{t}\n{long}\n{t}\n")).unwrap();
        let got = read_all(p.to_str().unwrap()).unwrap();
        assert_eq!(got.len(), 3);
        match &got[1] {
            Input::Token(x) => {
                assert_eq!(x.file, format!("{}:2", p.display()));
                assert_eq!(token::decode(&x.text).unwrap_err(), token::over_limit());
                assert_eq!(token::decode(&long).unwrap_err(), token::over_limit());
            }
            _ => panic!("not a token"),
        }
    }

    #[test]
    fn a_keyset_body_is_decoded_as_a_file_is() {
        let jwks = fx("keys/a/jwks.json");
        let text = String::from_utf8(jwks.clone()).unwrap();
        let utf16 = |little: bool| {
            let mut b = if little {
                vec![0xff, 0xfe]
            } else {
                vec![0xfe, 0xff]
            };
            for u in text.encode_utf16() {
                b.extend_from_slice(&if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                });
            }
            b
        };
        let answer = |body: Vec<u8>| {
            judge_jwks(RawResponse {
                facts: ResponseFacts {
                    url: "http://127.0.0.1/k".into(),
                    final_url: "http://127.0.0.1/k".into(),
                    redirects: Vec::new(),
                    status: 200,
                    content_type: Some("application/json".into()),
                    cache_control: None,
                    etag: None,
                    elapsed: std::time::Duration::ZERO,
                    size: body.len(),
                },
                body,
            })
        };
        let want = answer(jwks.clone()).unwrap().doc.keys.len();
        assert_eq!(want, 1);
        for body in [[io::BOM, &jwks].concat(), utf16(true), utf16(false)] {
            assert_eq!(body_text(&body).unwrap(), &jwks[..]);
            assert_eq!(answer(body).unwrap().doc.keys.len(), want);
        }
        let mut broken = utf16(true);
        broken.push(b'x');
        let e = answer(broken).unwrap_err().to_string();
        assert_eq!(
            e,
            "http://127.0.0.1/k: the body starts with a UTF-16 byte-order mark but is not UTF-16 text (an odd length or a broken character)"
        );
    }

    // Without the `net` feature a URL is an endpoint whose fetch failed.
    #[cfg(feature = "net")]
    #[test]
    fn utf16_lines_read_as_utf8_or_are_refused() {
        let read = |bytes: &[u8]| {
            let mut lines = Lines::new(bytes);
            let mut line = Line::default();
            let (mut out, mut consumed, mut token) = (Vec::new(), 0, String::new());
            while lines.next_line(&mut line).unwrap() {
                consumed += line.consumed;
                out.push(line.token_into(&mut token).then(|| token.clone()));
            }
            (out, consumed)
        };
        let text = format!("Bearer {TOKEN}\r\n\r\n{TOKEN}\r\n");
        for little in [true, false] {
            let mut bytes = if little {
                vec![0xff, 0xfe]
            } else {
                vec![0xfe, 0xff]
            };
            for u in text.encode_utf16() {
                bytes.extend(if little {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                });
            }
            let (got, consumed) = read(&bytes);
            assert_eq!(
                got,
                [Some(TOKEN.to_string()), None, Some(TOKEN.to_string())]
            );
            assert_eq!(consumed, bytes.len(), "every byte is read once");
        }
        // UTF-16 that does not decode (an odd length: an input the fuzzer
        // found; a lone surrogate; a trailing odd byte)
        // is an error naming the input in the words of every reader, never
        // a lossy line (a sub read as "a\u{fffd}b", "cd" read as "c").
        // UTF-8 after the mark, of even length, is UTF-16 text: a
        // malformed token.
        let mut lines = Lines::new(&b"\xfe\xffBearer \xc3\xa9eyJhb"[..]);
        let mut line = Line::default();
        assert!(lines.next_line(&mut line).unwrap());
        let mut t = String::new();
        assert!(!line.token_into(&mut t) || token::decode(&t).is_err());
        for bytes in [
            &b"\xfe\xff\xff\xed\xe2\xea\xea\x99\x60"[..],
            b"\xff\xfea\x00\x00\xd8b\x00\n\x00c\x00",
            b"\xff\xfec\x00d",
            b"\xff\xfeA",
        ] {
            let mut lines = Lines::new(bytes);
            let e = lines.next_line(&mut Line::default()).unwrap_err();
            assert_eq!(
                lines_error("s.txt", e).to_string(),
                format!("s.txt: {}", io::NOT_UTF16)
            );
        }
        // Another read error keeps its words.
        let other = std::io::Error::other("boom");
        assert_eq!(lines_error("f", other).to_string(), "f: cannot read: boom");
    }

    #[test]
    fn files_are_decoded_alike_whatever_reads_them() {
        let d = tempfile::tempdir().unwrap();
        let text = "{\"keys\":[]}\r\n";
        let mut le = vec![0xff, 0xfe];
        let mut be = vec![0xfe, 0xff];
        for u in text.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        let bom = [io::BOM, text.as_bytes()].concat();
        for (name, bytes) in [("le", &le), ("be", &be), ("bom", &bom)] {
            let p = d.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            let arg = p.to_str().unwrap();
            assert_eq!(file_capped(&p, 1024, "cap").unwrap(), text.as_bytes());
            assert_eq!(io::read_input(arg).unwrap(), text.as_bytes());
            // A start: UTF-16 as UTF-8, a UTF-8 mark kept (the readers
            // of a start drop it themselves).
            let head = file_head(&p, 6).unwrap();
            match name {
                "bom" => assert_eq!(head, &bom[..6]),
                _ => assert_eq!(head, b"{\""),
            }
        }
        // The cap counts the file's bytes; a mark alone is empty; UTF-16
        // that does not decode is named.
        let p = d.path().join("le");
        let e = file_capped(&p, 10, "the cap").unwrap_err().to_string();
        assert!(e.ends_with("is larger than 10 bytes, the cap"), "{e}");
        for (bytes, msg) in [
            (&b"\xff\xfe"[..], "is empty"),
            (b"\xef\xbb\xbf", "is empty"),
            (
                b"\xff\xfe{",
                "starts with a UTF-16 byte-order mark but is not UTF-16 text",
            ),
        ] {
            std::fs::write(&p, bytes).unwrap();
            let e = file_capped(&p, 10, "cap").unwrap_err().to_string();
            assert!(e.contains(msg), "{e}");
            let e = io::read_input(p.to_str().unwrap()).unwrap_err().to_string();
            assert!(e.contains(msg), "{e}");
        }
    }

    #[test]
    fn read_all_reads_once_as_recognise_does() {
        let d = tempfile::tempdir().unwrap();
        let file = |name: &str, bytes: &[u8]| {
            let p = d.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p.to_str().unwrap().to_string()
        };
        let names = |inputs: Vec<Input>| -> Vec<String> {
            inputs
                .into_iter()
                .map(|i| match i {
                    Input::Token(t) => format!("token {} {}", t.file, t.text),
                    Input::Keys(k) => format!("keys {}", k.file),
                    Input::Endpoint(e) => format!("url {}", e.url),
                })
                .collect()
        };
        let two = file("two", format!("{TOKEN}\n\n Bearer {TOKEN}\n").as_bytes());
        assert_eq!(
            names(read_all(&two).unwrap()),
            [
                format!("token {two}:1 {TOKEN}"),
                format!("token {two}:3 {TOKEN}")
            ]
        );
        let one = file("one", format!("{TOKEN}\n").as_bytes());
        assert_eq!(
            names(read_all(&one).unwrap()),
            [format!("token {one} {TOKEN}")]
        );
        // One token wrapped over lines: one token, named by the file.
        let (a, b) = TOKEN.split_at(20);
        let wrapped = file("wrapped", format!("{a}\n{b}\n").as_bytes());
        assert_eq!(
            names(read_all(&wrapped).unwrap()),
            [format!("token {wrapped} {a}\n{b}")]
        );
        let keys = file("jwks", &fx("keys/a/jwks.json"));
        assert_eq!(names(read_all(&keys).unwrap()), [format!("keys {keys}")]);
        let bad = file("bad", b"{x");
        assert!(read_all(&bad)
            .unwrap_err()
            .to_string()
            .contains("is not valid JSON"));
    }

    // Without the `net` feature a URL is an endpoint whose fetch failed.
    #[cfg(feature = "net")]
    #[test]
    fn urls_are_endpoints_not_files() {
        // A plain-http URL is not fetched (E1 names it); it is never read
        // as a file name.
        for url in ["http://example.com/jwks.json", "HTTP://example.com/x"] {
            match read(url) {
                Ok(Input::Endpoint(e)) => {
                    assert_eq!(e.url, url);
                    assert!(e.response.is_none());
                }
                Ok(_) => panic!("{url}: not an endpoint"),
                Err(e) => panic!("{url}: {e}"),
            }
        }
    }

    #[test]
    fn json_paths_and_docs() {
        assert_eq!(join("", "kty"), "kty");
        assert_eq!(join("keys[0]", "x5c[0]"), "keys[0].x5c[0]");
        assert_eq!(join("keys", "[1]"), "keys[1]");
        let jwk: Map<String, Value> = serde_json::from_str(r#"{"kid":"x"}"#).unwrap();
        assert!(jwk::is_jwk_object(&jwk));
        assert!(!jwk::is_jwk_object(&Map::new()));
        let Input::Keys(d) = classify(&fx("keys/a/jwks.json"), "s.json").unwrap() else {
            panic!()
        };
        assert_eq!((d.shape, d.keys.len()), (Shape::Set, 1));
        assert_eq!(d.keys[0].path, "keys[0]");
        assert_eq!(d.keys[0].cert.as_ref().unwrap().path, "keys[0].x5c[0]");
        assert!(d.keys[0].public.is_some());
        let Input::Keys(d) = classify(b"[{\"kty\":\"RSA\"}]", "a.json").unwrap() else {
            panic!()
        };
        assert_eq!((d.shape, d.keys[0].path.as_str()), (Shape::Array, "[0]"));
        assert!(d.keys[0].public.is_none());
        for (text, msg) in [
            ("[1]", "a.json: [0]: is not a JSON object"),
            ("{\"keys\":1}", "a.json: keys: is not an array"),
            ("{\"a\":1}", "a.json: is a JSON object with neither"),
            ("{x", "a.json: is not valid JSON"),
        ] {
            let e = classify(text.as_bytes(), "a.json")
                .err()
                .unwrap()
                .to_string();
            assert!(e.starts_with(msg), "{text}: {e}");
        }
        let e = classify(format!("{TOKEN}\n{TOKEN}").as_bytes(), "t")
            .err()
            .unwrap()
            .to_string();
        assert_eq!(e, "t: holds several tokens; give one token per file");
        let Input::Token(t) = classify(format!("Bearer {TOKEN}\n").as_bytes(), "t").unwrap() else {
            panic!()
        };
        assert_eq!(t.text, TOKEN);
        assert_eq!(t.claims["sub"], "u");
    }
}
