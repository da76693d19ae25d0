//! Typed errors: trouble with the input or the environment (exit 2). A
//! definite "no" is a result (a verdict, findings), never an error.

use std::path::{Path, PathBuf};

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
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

    /// An output file exists and `--force` was not given.
    #[error("{}: already exists", .0.display())]
    Exists(PathBuf),

    /// A bad combination of options or an unusable value given on the command line.
    #[error("{0}")]
    Usage(String),

    /// A failure inside the cryptographic backend that is not the input's fault.
    #[error("{0}")]
    Crypto(String),

    /// A network failure (connection, TLS, HTTP status, body).
    #[error("{0}")]
    Network(String),
}

impl Error {
    /// Build an [`Error::Input`] naming a file or field.
    pub fn input(what: impl std::fmt::Display, msg: impl Into<String>) -> Self {
        Error::Input {
            what: what.to_string(),
            msg: msg.into(),
        }
    }

    /// Build an [`Error::Io`] for a path.
    pub fn io(path: &Path, action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }

    /// The process exit code every error maps to: 2 (trouble). A definite
    /// "no" (an invalid token, a failed check) is not an error but a result.
    pub fn exit_code(&self) -> u8 {
        2
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
