//! uvtool: token-based user verification toolkit.
//!
//! The library behind the `uvtool` binary: RSA keys, self-signed test
//! certificates, JWK/JWKS, JWT minting, the platform's rules ([`policy`]) and
//! the verdicts and findings built on them ([`verify`], [`check`]). It never
//! prints, never exits and never names a command-line flag; every failure is
//! an [`Error`].

pub mod b64;
pub mod batch;
pub mod bundle;
pub mod cert;
pub mod check;
pub mod clock;
pub mod error;
pub mod fixtures;
pub mod inspect;
pub mod io;
pub mod jwk;
pub mod keys;
#[cfg(feature = "net")]
pub mod net;
pub mod official;
pub mod pem;
pub mod platform;
pub mod policy;
pub mod read;
pub mod response;
#[cfg(feature = "server")]
pub mod serve;
pub mod testkit;
pub mod text;
pub mod token;
#[cfg(feature = "server")]
pub mod ui;
pub mod verify;

pub use error::{Error, ErrorKind, Result};
