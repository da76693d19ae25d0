//! uvtool: token-based user verification toolkit.
//!
//! The library behind the `uvtool` binary: RSA keys, self-signed test
//! certificates, JWK/JWKS, and (in later modules) JWT minting and verification.
//! It never prints and never exits; every failure is an [`Error`].

pub mod b64;
pub mod batch;
pub mod cert;
pub mod check;
pub mod clock;
pub mod error;
pub mod fixtures;
pub mod io;
pub mod jwk;
pub mod keys;
pub mod net;
pub mod pem;
pub mod platform;
pub mod serve;
pub mod token;
pub mod verify;

pub use error::{Error, Result};
