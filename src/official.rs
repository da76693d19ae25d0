//! The official key-command-line-utility (Salesforce's Java tool, the one the
//! platform's documentation points to): its command line and the shapes of
//! what it prints, so uvtool can stand in for it without a script changing.
//!
//! What is matched, as read from the tool's source (`KeyGenerator.java`,
//! `cmd/Command.java`, `cmd/CommandArgumentEnum.java`, `utils/JwtUtil.java`,
//! `utils/JwkUtil.java`, `resources/JWKey.java`):
//!
//! - the command is the first argument, `--generateJwt` or `--generateJwk`,
//!   exactly; then single-dash `-name value` pairs in any order, the last of a
//!   repeated name winning; a value that starts with `-` or is blank counts as
//!   missing;
//! - the token's header is `{"kid":…,"alg":…}` (no `typ`) and its claims
//!   `{"sub":…,"iss":…,"exp":…,"iat":…}`, `exp` = now + `-expiry` seconds
//!   (the member order is what nimbus-jose-jwt's hash maps give);
//! - the JWK's members are `kid`, `alg`, `use`, `kty`, `x5c`, `y`, `n`, `e`,
//!   `crv`, `d`, `k`, where `y`, `crv`, `d` and `k` are placeholders whose
//!   value is their own name (the documented "Sample JWK Structure" has them
//!   too); there is no `x5t#S256`.
//!
//! Where uvtool is stricter than the tool (each a case where the tool fails
//! with a Java exception or prints a token the platform refuses): an unknown
//! argument, an `-alg` other than RS256/RS512, an `-expiry` that is not a
//! whole number of seconds, and a missing key or certificate file are refused
//! with the tool's usage text.

use serde_json::{Map, Value};

use crate::cert::CertInfo;
use crate::keys::{RsaPrivate, RsaPublic};
use crate::token::{Alg, Signer};
use crate::{b64, Error, Result};

/// The tool's two commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// `--generateJwt`: sign a token.
    Jwt,
    /// `--generateJwk`: print a JWK for a public key and its certificate.
    Jwk,
}

impl Verb {
    /// The command as the tool spells it (case-sensitive, as the tool matches it).
    pub fn from_arg(arg: &str) -> Option<Verb> {
        match arg {
            "--generateJwt" => Some(Verb::Jwt),
            "--generateJwk" => Some(Verb::Jwk),
            _ => None,
        }
    }

    /// The spelling on the command line.
    pub fn arg(self) -> &'static str {
        match self {
            Verb::Jwt => "--generateJwt",
            Verb::Jwk => "--generateJwk",
        }
    }

    /// The second line the tool prints for this command.
    pub fn title(self) -> &'static str {
        match self {
            Verb::Jwt => "JWT generator",
            Verb::Jwk => "JWK generator",
        }
    }

    /// The arguments this command needs.
    pub fn required(self) -> &'static [Name] {
        match self {
            Verb::Jwt => &[
                Name::Kid,
                Name::Issuer,
                Name::Subject,
                Name::Expiry,
                Name::PrivateKeyFile,
            ],
            Verb::Jwk => &[Name::Kid, Name::PublicKeyFile, Name::PublicCertFile],
        }
    }

    /// The arguments this command reads (the required ones and `-alg`).
    fn accepts(self, name: Name) -> bool {
        name == Name::Alg || self.required().contains(&name)
    }
}

/// The tool's argument names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    Kid,
    Issuer,
    Subject,
    Expiry,
    Alg,
    PrivateKeyFile,
    PublicKeyFile,
    PublicCertFile,
}

impl Name {
    const ALL: [Name; 8] = [
        Name::Kid,
        Name::Issuer,
        Name::Subject,
        Name::Expiry,
        Name::Alg,
        Name::PrivateKeyFile,
        Name::PublicKeyFile,
        Name::PublicCertFile,
    ];

    /// The spelling on the command line, e.g. `-kid`.
    pub fn arg(self) -> &'static str {
        match self {
            Name::Kid => "-kid",
            Name::Issuer => "-issuer",
            Name::Subject => "-subject",
            Name::Expiry => "-expiry",
            Name::Alg => "-alg",
            Name::PrivateKeyFile => "-privateKeyFile",
            Name::PublicKeyFile => "-publicKeyFile",
            Name::PublicCertFile => "-publicCertFile",
        }
    }

    fn from_arg(arg: &str) -> Option<Name> {
        Name::ALL.into_iter().find(|n| n.arg() == arg)
    }
}

/// A parsed command line of the tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub verb: Verb,
    pub kid: String,
    pub alg: Alg,
    /// `--generateJwt` only.
    pub issuer: String,
    pub subject: String,
    pub expiry: u32,
    pub private_key_file: String,
    /// `--generateJwk` only.
    pub public_key_file: String,
    pub public_cert_file: String,
}

/// Why a command line is not one the tool would run. The caller prints the
/// tool's usage text with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgsProblem {
    /// An argument the tool does not know (or the other command's).
    Unknown(String),
    /// Arguments given without a value (the next argument starts with '-',
    /// is blank, or there is none).
    NoValue(Vec<Name>),
    /// Required arguments not given.
    Missing(Vec<Name>),
    /// `-expiry` is not a whole number of seconds.
    Expiry(String),
    /// `-alg` is not RS256 or RS512.
    Alg(String),
}

impl std::fmt::Display for ArgsProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArgsProblem::Unknown(a) => write!(f, "unknown argument {a:?}"),
            ArgsProblem::NoValue(names) => {
                let list: Vec<&str> = names.iter().map(|n| n.arg()).collect();
                write!(
                    f,
                    "{} given without a value (a value may not start with '-')",
                    list.join(", ")
                )
            }
            ArgsProblem::Missing(names) => {
                let list: Vec<&str> = names.iter().map(|n| n.arg()).collect();
                write!(f, "missing {}", list.join(", "))
            }
            ArgsProblem::Expiry(v) => write!(
                f,
                "-expiry {v:?} is not a whole number of seconds (0 to 2147483647)"
            ),
            ArgsProblem::Alg(v) => write!(
                f,
                "-alg {v:?}: the platform accepts RS256 and RS512 only (source: WEB, \"JWTs must be signed using the RS256 or RS512 algorithms\")"
            ),
        }
    }
}

/// What the parser collected, valid or not: the given values by name (for
/// the native command line printed next to a usage error).
#[derive(Debug, Clone, Default)]
pub struct Given {
    values: Vec<(Name, String)>,
}

impl Given {
    /// The value given for `name` (the last one, as the tool takes it).
    pub fn get(&self, name: Name) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parse the arguments after the command. Returns what was given either
/// way, and the invocation or the first problem.
pub fn parse(verb: Verb, args: &[String]) -> (Given, Result<Invocation, ArgsProblem>) {
    let mut given = Given::default();
    let mut missing_value: Vec<Name> = Vec::new();
    let mut unknown: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        match Name::from_arg(a).filter(|n| verb.accepts(*n)) {
            Some(name) => {
                // As the tool: the next argument is the value unless it starts
                // with '-' or is blank. (The tool also swallows a following
                // '-name'; here it stays an argument, so the message names
                // the real problem.)
                match args.get(i + 1) {
                    Some(v) if !v.starts_with('-') && !v.trim().is_empty() => {
                        given.values.push((name, v.clone()));
                        i += 2;
                    }
                    Some(v) if !v.starts_with('-') => {
                        missing_value.push(name);
                        i += 2;
                    }
                    _ => {
                        missing_value.push(name);
                        i += 1;
                    }
                }
            }
            None => {
                unknown.get_or_insert_with(|| a.clone());
                i += 1;
            }
        }
    }
    if !missing_value.is_empty() {
        return (given, Err(ArgsProblem::NoValue(missing_value)));
    }
    if let Some(u) = unknown {
        return (given, Err(ArgsProblem::Unknown(u)));
    }
    let missing: Vec<Name> = verb
        .required()
        .iter()
        .copied()
        .filter(|n| given.get(*n).is_none())
        .collect();
    if !missing.is_empty() {
        return (given, Err(ArgsProblem::Missing(missing)));
    }
    let alg = match given.get(Name::Alg) {
        None => Alg::RS256,
        Some(name) => match platform_alg(name) {
            Some(a) => a,
            None => return (given.clone(), Err(ArgsProblem::Alg(name.to_string()))),
        },
    };
    let expiry = match given.get(Name::Expiry) {
        None => 0,
        Some(v) => match parse_expiry(v) {
            Some(n) => n,
            None => return (given.clone(), Err(ArgsProblem::Expiry(v.to_string()))),
        },
    };
    let s = |n: Name| given.get(n).unwrap_or_default().to_string();
    let inv = Invocation {
        verb,
        kid: s(Name::Kid),
        alg,
        issuer: s(Name::Issuer),
        subject: s(Name::Subject),
        expiry,
        private_key_file: s(Name::PrivateKeyFile),
        public_key_file: s(Name::PublicKeyFile),
        public_cert_file: s(Name::PublicCertFile),
    };
    (given, Ok(inv))
}

/// An `-alg` the platform accepts, RS256 or RS512 (source: WEB), in any
/// case: `-alg rs256` signs with RS256, as the tool's users mean.
pub fn platform_alg(name: &str) -> Option<Alg> {
    crate::policy::PLATFORM_ALGS
        .into_iter()
        .find(|a| a.name().eq_ignore_ascii_case(name.trim()))
}

/// Seconds as the tool reads them (a Java int): digits, an optional leading
/// `+`, at most 2147483647. A negative value cannot reach the tool (it starts
/// with '-'), so none is accepted here.
fn parse_expiry(v: &str) -> Option<u32> {
    let digits = v.strip_prefix('+').unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u32>().ok().filter(|n| *n <= i32::MAX as u32)
}

/// The tool's first line, printed before anything else.
pub const BANNER: &str = "Welcome to JWK and JWT generator";

/// The tool's usage text (its commands, arguments and examples), with
/// `uvtool` in place of `java -jar key-command-line-utility.jar`.
pub const USAGE: &str = "\
Usage: uvtool --command [command argument]

\tCOMMAND SUMMARY
\t\t--generateJwt \t Generates JWT
\t\t--generateJwk \t Generates JWK

\tCOMMAND ARGUMENTS
\t\t-kid \t\t Key identifier, required for both generateJwt & generateJwk commands
\t\t-issuer \t JWT Issuer, required for generateJwt commands
\t\t-subject \t Subject, required for generateJwt commands
\t\t-expiry \t JWT expiry in seconds, required for generateJwt command
\t\t-alg \t\t Optional value for specifying the algorithm used for signing JWT, Default is RS256
\t\t-privateKeyFile Private key path and filename, required for generateJwt command
\t\t-publicKeyFile \t Public key path and filename, required for generateJwk command
\t\t-publicCertFile Public certificate path and filename, required for generateJwk command

\tEXAMPLES
\t\tuvtool --generateJwt -kid 12345 -issuer testIssuer -subject user1 -expiry 6000 -alg RS256 -privateKeyFile {path/to/}PrivateKeyFile.key
\t\tuvtool --generateJwk -kid 12345 -alg RS256 -publicKeyFile {path/to/}PublicKeyFile.key -publicCertFile {path/to/}PublicCertFile.crt
\tIn these examples, {path/to/} is the path to the specified file. Possible values for algorithm are RS256 and RS512.
";

/// The token the tool makes: header `{"kid","alg"}`, claims
/// `{"sub","iss","exp","iat"}` with `iat` = `now` and `exp` = `now + expiry`.
pub fn jwt(
    key: RsaPrivate,
    alg: Alg,
    kid: &str,
    issuer: &str,
    subject: &str,
    expiry: u32,
    now: i64,
) -> Result<String> {
    let mut header = Map::new();
    header.insert("kid".into(), kid.into());
    // Signer::new appends alg after kid: the tool's order.
    let signer = Signer::new(key, alg, header);
    let mut claims = Map::new();
    claims.insert("sub".into(), subject.into());
    claims.insert("iss".into(), issuer.into());
    claims.insert("exp".into(), (now + i64::from(expiry)).into());
    claims.insert("iat".into(), now.into());
    signer.sign_claims(&claims)
}

/// The placeholder members of the official shape, in their places' order.
pub const PLACEHOLDERS: [&str; 4] = ["y", "crv", "d", "k"];

/// The JWK the tool prints, member for member: `kid`, `alg`, `use`, `kty`,
/// `x5c`, `"y":"y"`, `n`, `e`, `"crv":"crv"`, `"d":"d"`, `"k":"k"`. The
/// certificate must hold `public` (the tool's library refuses a mismatch too).
pub fn jwk(public: &RsaPublic, kid: &str, alg: Alg, cert: &CertInfo) -> Result<Map<String, Value>> {
    if cert.public != *public {
        return Err(Error::input(
            "certificate",
            "its public key does not match the key given",
        ));
    }
    let mut m = Map::new();
    m.insert("kid".into(), kid.into());
    m.insert("alg".into(), alg.name().into());
    m.insert("use".into(), "sig".into());
    m.insert("kty".into(), "RSA".into());
    m.insert(
        "x5c".into(),
        Value::Array(vec![b64::std_encode(&cert.der).into()]),
    );
    m.insert("y".into(), "y".into());
    m.insert("n".into(), b64::url_encode(&public.n).into());
    m.insert("e".into(), b64::url_encode(&public.e).into());
    for p in ["crv", "d", "k"] {
        m.insert(p.into(), p.into());
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn jwt_args_any_order_alg_default() {
        let (_, r) = parse(
            Verb::Jwt,
            &v(&[
                "-privateKeyFile",
                "k.pem",
                "-expiry",
                "6000",
                "-subject",
                "user1",
                "-issuer",
                "testIssuer",
                "-kid",
                "12345",
            ]),
        );
        let inv = r.unwrap();
        assert_eq!(inv.alg, Alg::RS256);
        assert_eq!(inv.expiry, 6000);
        assert_eq!(inv.kid, "12345");
        assert_eq!(inv.private_key_file, "k.pem");
    }

    #[test]
    fn problems() {
        let (_, r) = parse(Verb::Jwk, &v(&["-kid", "1", "-publicKeyFile", "p"]));
        assert_eq!(r, Err(ArgsProblem::Missing(vec![Name::PublicCertFile])));
        let (_, r) = parse(Verb::Jwk, &v(&["-kid", "1", "-issuer", "x"]));
        assert_eq!(r, Err(ArgsProblem::Unknown("-issuer".into())));
        let (g, r) = parse(Verb::Jwt, &v(&["-kid", "-issuer", "x"]));
        assert_eq!(r, Err(ArgsProblem::NoValue(vec![Name::Kid])));
        assert_eq!(g.get(Name::Kid), None);
        assert_eq!(g.get(Name::Issuer), Some("x"));
        let (_, r) = parse(Verb::Jwt, &v(&["-Issuer", "x"]));
        assert_eq!(r, Err(ArgsProblem::Unknown("-Issuer".into())));
        let (_, r) = parse(
            Verb::Jwk,
            &v(&[
                "-kid",
                "1",
                "-alg",
                "PS256",
                "-publicKeyFile",
                "p",
                "-publicCertFile",
                "c",
            ]),
        );
        assert_eq!(r, Err(ArgsProblem::Alg("PS256".into())));
    }

    #[test]
    fn expiry_as_java_int() {
        assert_eq!(parse_expiry("6000"), Some(6000));
        assert_eq!(parse_expiry("+60"), Some(60));
        assert_eq!(parse_expiry("2147483647"), Some(2147483647));
        assert_eq!(parse_expiry("2147483648"), None);
        assert_eq!(parse_expiry("10m"), None);
        assert_eq!(parse_expiry(""), None);
    }
}
