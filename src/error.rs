//! Typed errors: trouble with the input or the environment. A definite "no"
//! is a result (a verdict, findings), never an error.
//!
//! The library names no command-line flag: a value the caller chose that
//! cannot be used is an [`ErrorKind`], whose `Display` words it in the
//! library's terms; the `uvtool` binary words each kind with its own flags.

use std::path::{Path, PathBuf};

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Unusable input: a file or value that cannot be read as what was expected.
    /// `what` names the file or field, `msg` says what is wrong (and the fix).
    #[error("{what}: {msg}")]
    Input { what: String, msg: String },

    /// An operating-system error while reading or writing a path.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },

    /// An output file exists and replacing it was not asked for.
    #[error("{}: already exists", .0.display())]
    Exists(PathBuf),

    /// A value the caller chose that cannot be used, or values that do not
    /// go together: which, and why.
    #[error("{0}")]
    Invalid(ErrorKind),

    /// A failure inside the cryptographic backend that is not the input's fault.
    #[error("{0}")]
    Crypto(String),

    /// A network failure (connection, TLS, HTTP status, body).
    #[error("{0}")]
    Network(String),
}

/// Which value the caller chose cannot be used, and why. A front end words
/// each with its own names for the values (the binary: its flags).
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A certificate's validity in `days` outside 1 to `max`.
    CertDays { days: u32, max: u32 },
    /// The certificate's start or end (`end`) is not a date the certificate can hold.
    CertTime { end: bool },
    /// A certificate subject that cannot be used.
    Subject(SubjectProblem),
    /// An RSA key size other than 2048, 3072 or 4096.
    KeyBits(u32),
    /// A token lifetime that takes `exp` past the largest time.
    TtlTooLong,
    /// `exp` at or before `iat`: the token would be born expired.
    BornExpired { exp: i64, iat: i64 },
    /// A claim given both as its own field and among the extra claims.
    ClaimTwice(String),
    /// An empty seed text.
    EmptySeed,
    /// A clock outside the range a fixture set needs (1970 to 9998).
    ClockRange(i64),
    /// A URL that may not be fetched.
    Url { url: String, problem: UrlProblem },
    /// None of these addresses can be listened on.
    Listen {
        addrs: String,
        source: std::io::Error,
    },
    /// The address a listener is bound to cannot be read.
    LocalAddr(std::io::Error),
    /// A URL path that does not start with `/`.
    UrlPath(String),
    /// No complete response from `url` within `after`, the time limit the
    /// fetch was given.
    TimedOut {
        url: String,
        after: std::time::Duration,
    },
    /// A key, certificate or JWK file that cannot be used here: `what`
    /// names it (or the key in it), `problem` says why.
    KeyFile { what: String, problem: KeyProblem },
}

/// Why a key, certificate or JWK file cannot be used. Each is worded with
/// the fix in the library's terms; a front end may name its own tool.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyProblem {
    /// An RSA key of `bits` bits, fewer than the `min` required.
    TooSmall { bits: usize, min: usize },
    /// An RSA key restricted to RSASSA-PSS; `part` says which (`private
    /// key`, `public key`, `certificate key`).
    PssRestricted { part: String },
    /// A public JWK where a private one is needed to sign.
    PublicJwk,
    /// A JWKS where the one private JWK to sign with is needed.
    SetToSign,
    /// A single JWK where a JWKS is needed.
    NotASet,
    /// A JWK whose `x5c` certificate holds another key than its `n`/`e`.
    X5cMismatch,
    /// A key of a set to publish with these private members.
    PrivateInSet(Vec<String>),
}

/// What is wrong with a certificate subject (`CN=…,O=…`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SubjectProblem {
    /// A part that is not `NAME=VALUE`.
    NotNameValue(String),
    /// An attribute with an empty value.
    EmptyValue(String),
    /// A country (`C=`) that is not two letters.
    Country(String),
    /// An attribute other than CN, O, OU, C, ST, L.
    Attribute(String),
    /// No attribute at all.
    Empty,
}

/// Why a URL may not be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlProblem {
    /// A scheme other than https or http.
    Scheme(String),
    /// Not a URL (the parser's reason).
    Invalid(String),
    /// No host.
    NoHost,
    /// Plain http:// to a host that is not loopback, without permission.
    PlainHttp,
    /// No scheme.
    NoScheme,
}

impl std::fmt::Display for SubjectProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SubjectProblem::NotNameValue(part) => write!(
                f,
                "{part:?} is not NAME=VALUE (example: \"CN=My Site Test,O=Example\")"
            ),
            SubjectProblem::EmptyValue(k) => write!(f, "{k} has an empty value"),
            SubjectProblem::Country(v) => write!(f, "C={v} must be a two-letter country code"),
            SubjectProblem::Attribute(a) => write!(
                f,
                "attribute {a:?} is not supported (use CN, O, OU, C, ST, L)"
            ),
            SubjectProblem::Empty => write!(f, "empty (example: \"CN=My Site Test\")"),
        }
    }
}

impl std::fmt::Display for UrlProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlProblem::Scheme(s) => write!(
                f,
                "unsupported scheme {s:?}; use https:// (or http:// on loopback)"
            ),
            UrlProblem::Invalid(e) => write!(f, "not a valid URL ({e})"),
            UrlProblem::NoHost => write!(f, "not an absolute URL with a host"),
            UrlProblem::PlainHttp => write!(
                f,
                "plain http:// is allowed only for loopback hosts (localhost, 127.0.0.0/8, [::1]); use https://"
            ),
            UrlProblem::NoScheme => write!(
                f,
                "no scheme; use https://HOST/PATH (or http:// on loopback)"
            ),
        }
    }
}

impl KeyProblem {
    /// What is wrong, without the fix: a front end adds its own.
    pub fn fact(&self) -> String {
        match self {
            KeyProblem::TooSmall { bits, min } => {
                format!("RSA key is {bits} bits; at least {min} are required")
            }
            KeyProblem::PssRestricted { part } => format!(
                "is an RSA-PSS-restricted key ({part}); only RSA keys are supported (the platform accepts RS256/RS512; source: WEB)"
            ),
            KeyProblem::PublicJwk => {
                "is a public JWK; a private JWK (with \"d\") is needed to sign".into()
            }
            KeyProblem::SetToSign => "is a JWKS; give the single private JWK to sign with".into(),
            KeyProblem::NotASet => "is a single JWK, not a JWKS".into(),
            KeyProblem::X5cMismatch => {
                "the certificate in \"x5c\" holds a different key than \"n\"/\"e\"".into()
            }
            KeyProblem::PrivateInSet(members) => format!(
                "has private member(s) {}; a JWKS is published and must hold public keys only",
                members.join(", ")
            ),
        }
    }

    /// The fix in the library's terms, as it follows [`KeyProblem::fact`].
    fn fix(&self) -> &'static str {
        match self {
            KeyProblem::TooSmall { .. } => " (make a new key pair)",
            KeyProblem::PssRestricted { .. } => "; re-create it as a plain RSA key",
            KeyProblem::PublicJwk => " (export one from the private key)",
            KeyProblem::SetToSign => "",
            KeyProblem::NotASet => "; wrap it in a set: {\"keys\":[…]}",
            KeyProblem::X5cMismatch => "; rebuild the JWK from the certificate",
            KeyProblem::PrivateInSet(_) => " (publish the public JWK)",
        }
    }
}

impl std::fmt::Display for KeyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.fact(), self.fix())
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ErrorKind::CertDays { days, max } => {
                write!(f, "a certificate valid {days} days: choose 1 to {max}")
            }
            ErrorKind::CertTime { end: false } => write!(f, "certificate start time out of range"),
            ErrorKind::CertTime { end: true } => write!(f, "certificate end time out of range"),
            ErrorKind::Subject(p) => write!(f, "certificate subject: {p}"),
            ErrorKind::KeyBits(b) if *b < 2048 => write!(
                f,
                "{b}-bit RSA keys are refused (the platform requires at least 2048; source: seed); use 2048, 3072 or 4096"
            ),
            ErrorKind::KeyBits(b) => write!(f, "{b}-bit RSA keys: choose 2048, 3072 or 4096"),
            ErrorKind::TtlTooLong => write!(f, "the lifetime is too long"),
            ErrorKind::BornExpired { exp, iat } => write!(
                f,
                "exp ({exp}) is not after iat ({iat}): the token would be born expired"
            ),
            ErrorKind::ClaimTwice(k) => write!(
                f,
                "claim {k:?} is given twice (as its own field and among the extra claims); keep one"
            ),
            ErrorKind::EmptySeed => write!(f, "the seed is empty"),
            ErrorKind::ClockRange(_) => write!(
                f,
                "the clock is outside 1970 to 9998 (certificates and tokens need room)"
            ),
            ErrorKind::Url { url, problem } => write!(f, "{url}: {problem}"),
            ErrorKind::Listen { addrs, source } => write!(f, "cannot listen on {addrs}: {source}"),
            ErrorKind::LocalAddr(e) => write!(f, "cannot read the bound address: {e}"),
            ErrorKind::UrlPath(p) => write!(f, "URL path {p:?}: must start with /"),
            ErrorKind::TimedOut { url, after } => write!(
                f,
                "{url}: timed out after {} without a complete response",
                humantime::format_duration(*after)
            ),
            ErrorKind::KeyFile { what, problem } => write!(f, "{what}: {problem}"),
        }
    }
}

impl Error {
    /// Build an [`Error::Input`] naming a file or field.
    pub fn input(what: impl std::fmt::Display, msg: impl Into<String>) -> Self {
        Error::Input {
            what: what.to_string(),
            msg: msg.into(),
        }
    }

    /// Build an [`ErrorKind::KeyFile`] error for the file or key `what`.
    pub fn key_file(what: impl std::fmt::Display, problem: KeyProblem) -> Self {
        Error::Invalid(ErrorKind::KeyFile {
            what: what.to_string(),
            problem,
        })
    }

    /// Build an [`Error::Io`] for a path.
    pub fn io(path: &Path, action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }

    /// The kind of an [`Error::Invalid`], for a front end to word.
    pub fn kind(&self) -> Option<&ErrorKind> {
        match self {
            Error::Invalid(k) => Some(k),
            _ => None,
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(k: ErrorKind) -> Self {
        Error::Invalid(k)
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
