//! Errors in this binary's words: the library's typed kinds worded with the
//! flags that chose the values, and the commands' own usage errors. Every
//! error exits 2 (a definite "no" is an outcome, not an error).

use uvtool::error::{ErrorKind, SubjectProblem, UrlProblem};
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
        _ => k.to_string(),
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
        ] {
            let s = k.to_string();
            assert!(!s.contains("--"), "{s}");
        }
    }
}
