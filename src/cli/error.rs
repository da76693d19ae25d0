//! Errors in this binary's words: the library's typed kinds worded with the
//! flags that chose the values, and the commands' own usage errors. Every
//! error exits 2 (a definite "no" is an outcome, not an error).

use uvtool::error::{ErrorKind, KeyProblem, SubjectProblem, UrlProblem};
use uvtool::Error;

/// A usage error of a command (it may name flags): exit 2.
pub fn usage(msg: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("{msg}")
}

/// How the binary says a library error.
pub fn word(e: &Error) -> String {
    match e {
        Error::Exists(_) => format!("{e} (use --force to overwrite)"),
        Error::Invalid(k) => word_kind(k),
        _ => e.to_string(),
    }
}

/// A kind with the flag that chose the value.
fn word_kind(k: &ErrorKind) -> String {
    match k {
        ErrorKind::CertDays { days: 0, .. } => "--days must be at least 1".into(),
        ErrorKind::CertDays { max, .. } => {
            format!("--days is over 100 years; choose at most {max}")
        }
        ErrorKind::Subject(SubjectProblem::Empty) => {
            "--subject is empty (example: \"CN=My Site Test\")".into()
        }
        ErrorKind::Subject(p) => format!("--subject: {p}"),
        ErrorKind::KeyBits(b) if *b < 2048 => format!(
            "--bits {b}: RSA keys below 2048 bits are refused (the platform requires at least 2048; source: seed); use 2048, 3072 or 4096"
        ),
        ErrorKind::KeyBits(b) => format!("--bits {b}: choose 2048, 3072 or 4096"),
        ErrorKind::TtlTooLong => "--ttl is too long".into(),
        ErrorKind::ClaimTwice(c) => format!(
            "claim {c:?} is given twice (by its own flag and by --claim/--claims); keep one"
        ),
        ErrorKind::Url {
            problem: UrlProblem::PlainHttp,
            ..
        } => format!("{k} or pass --insecure-http"),
        ErrorKind::Listen { source, .. }
            if matches!(
                source.kind(),
                std::io::ErrorKind::AddrInUse | std::io::ErrorKind::PermissionDenied
            ) =>
        {
            format!("{k}; pick another port with --port N (0 picks a free one)")
        }
        ErrorKind::UrlPath(p) => format!("--path {p:?}: must start with /"),
        // Commands with --timeout word it themselves ([`with_timeout`]).
        ErrorKind::TimedOut { after, .. } => format!(
            "{k} ({} is this command's fixed time limit)",
            humantime::format_duration(*after)
        ),
        ErrorKind::KeyFile { what, problem } => format!("{what}: {}", key_fix(problem)),
        _ => k.to_string(),
    }
}

/// A key file's problem with the uvtool command that fixes it.
fn key_fix(p: &KeyProblem) -> String {
    let fix = match p {
        KeyProblem::TooSmall { .. } => " (make a new one with `uvtool keygen`)",
        KeyProblem::PssRestricted { .. } => {
            "; re-create it as a plain RSA key with `uvtool keygen`"
        }
        KeyProblem::PublicJwk => " (export one with `uvtool jwk --key private.pem --private`)",
        KeyProblem::SetToSign => " (uvtool jwk --key private.pem --private)",
        KeyProblem::NotASet => "; wrap it with `uvtool jwks FILE`",
        KeyProblem::X5cMismatch => "; rebuild the JWK with `uvtool jwk --cert cert.pem`",
        KeyProblem::PrivateInSet(_) => " (export the public JWK with `uvtool jwk --cert cert.pem`)",
        _ => return p.to_string(),
    };
    format!("{}{fix}", p.fact())
}

/// An error of a command that has `--timeout` (verify's `--jwks-url`): a
/// time-out says to raise it.
pub fn with_timeout(e: Error) -> Error {
    match e.kind() {
        Some(k @ ErrorKind::TimedOut { .. }) => {
            Error::Network(format!("{k} (raise --timeout if the endpoint is slow)"))
        }
        _ => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(k: ErrorKind) -> String {
        word(&Error::Invalid(k))
    }

    #[test]
    fn kinds_name_the_flags() {
        assert_eq!(
            w(ErrorKind::CertDays {
                days: 0,
                max: 36500
            }),
            "--days must be at least 1"
        );
        assert_eq!(
            w(ErrorKind::CertDays {
                days: 40000,
                max: 36500
            }),
            "--days is over 100 years; choose at most 36500"
        );
        assert_eq!(
            w(ErrorKind::Subject(SubjectProblem::NotNameValue(
                "Bad".into()
            ))),
            "--subject: \"Bad\" is not NAME=VALUE (example: \"CN=My Site Test,O=Example\")"
        );
        assert_eq!(
            w(ErrorKind::Subject(SubjectProblem::Empty)),
            "--subject is empty (example: \"CN=My Site Test\")"
        );
        assert_eq!(
            w(ErrorKind::KeyBits(5000)),
            "--bits 5000: choose 2048, 3072 or 4096"
        );
        assert_eq!(w(ErrorKind::TtlTooLong), "--ttl is too long");
        assert_eq!(
            w(ErrorKind::Url {
                url: "http://example.com/".into(),
                problem: UrlProblem::PlainHttp
            }),
            "http://example.com/: plain http:// is allowed only for loopback hosts (localhost, 127.0.0.0/8, [::1]); use https:// or pass --insecure-http"
        );
        assert_eq!(
            w(ErrorKind::UrlPath("x".into())),
            "--path \"x\": must start with /"
        );
        assert_eq!(
            word(&Error::Exists("k.pem".into())),
            "k.pem: already exists (use --force to overwrite)"
        );
        let timed_out = || ErrorKind::TimedOut {
            url: "https://h.example/j".into(),
            after: std::time::Duration::from_millis(500),
        };
        assert_eq!(
            w(timed_out()),
            "https://h.example/j: timed out after 500ms without a complete response (500ms is this command's fixed time limit)"
        );
        assert_eq!(
            word(&with_timeout(timed_out().into())),
            "https://h.example/j: timed out after 500ms without a complete response (raise --timeout if the endpoint is slow)"
        );
        assert_eq!(
            word(&with_timeout(Error::Exists("k.pem".into()))),
            "k.pem: already exists (use --force to overwrite)"
        );
    }

    #[test]
    fn key_file_problems_name_the_command_that_fixes_them() {
        let k = |problem| {
            w(ErrorKind::KeyFile {
                what: "f".into(),
                problem,
            })
        };
        for (problem, want) in [
            (
                KeyProblem::TooSmall { bits: 1024, min: 2048 },
                "f: RSA key is 1024 bits; at least 2048 are required (make a new one with `uvtool keygen`)",
            ),
            (
                KeyProblem::PssRestricted { part: "private key".into() },
                "f: is an RSA-PSS-restricted key (private key); only RSA keys are supported (the platform accepts RS256/RS512; source: WEB); re-create it as a plain RSA key with `uvtool keygen`",
            ),
            (
                KeyProblem::PublicJwk,
                "f: is a public JWK; a private JWK (with \"d\") is needed to sign (export one with `uvtool jwk --key private.pem --private`)",
            ),
            (
                KeyProblem::SetToSign,
                "f: is a JWKS; give the single private JWK to sign with (uvtool jwk --key private.pem --private)",
            ),
            (
                KeyProblem::NotASet,
                "f: is a single JWK, not a JWKS; wrap it with `uvtool jwks FILE`",
            ),
            (
                KeyProblem::X5cMismatch,
                "f: the certificate in \"x5c\" holds a different key than \"n\"/\"e\"; rebuild the JWK with `uvtool jwk --cert cert.pem`",
            ),
            (
                KeyProblem::PrivateInSet(vec!["d".into(), "p".into()]),
                "f: has private member(s) d, p; a JWKS is published and must hold public keys only (export the public JWK with `uvtool jwk --cert cert.pem`)",
            ),
        ] {
            // The library says the same fact with a fix in its own terms.
            let fact = problem.fact();
            let lib = problem.to_string();
            assert!(lib.starts_with(&fact), "{lib}");
            assert!(!lib.contains("uvtool") && !lib.contains("--"), "{lib}");
            assert_eq!(k(problem), want);
        }
    }

    #[test]
    fn the_library_names_no_flag() {
        for k in [
            ErrorKind::CertDays {
                days: 0,
                max: 36500,
            },
            ErrorKind::Subject(SubjectProblem::Empty),
            ErrorKind::KeyBits(1024),
            ErrorKind::TtlTooLong,
            ErrorKind::ClaimTwice("sub".into()),
            ErrorKind::UrlPath("x".into()),
            ErrorKind::Url {
                url: "http://example.com/".into(),
                problem: UrlProblem::PlainHttp,
            },
            ErrorKind::TimedOut {
                url: "https://h.example/j".into(),
                after: std::time::Duration::from_secs(10),
            },
            ErrorKind::KeyFile {
                what: "f".into(),
                problem: KeyProblem::NotASet,
            },
        ] {
            let s = k.to_string();
            assert!(!s.contains("--") && !s.contains("uvtool"), "{s}");
        }
    }
}
