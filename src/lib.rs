//! uvtool: token-based user verification toolkit.
//!
//! The library behind the `uvtool` binary: RSA keys, self-signed test
//! certificates, JWK/JWKS, JWT minting, the platform's rules ([`policy`]) and
//! the verdicts and findings built on them ([`verify`], [`check`]). It never
//! prints and never exits; every failure is an [`Error`], and no error names
//! a command-line flag or a `uvtool` command: what a caller can fix (a value
//! it chose, a key file of the wrong kind, a time limit) is a typed
//! [`ErrorKind`], which the binary words with its own flags and commands.
//! By design, a finding of the platform's rules ([`policy`]) may name the
//! `uvtool` command that fixes it in its `fix` (the rule catalogue's
//! advice), and the seeded fixtures' manifests ([`fixtures`]) say how they
//! were made.
//!
//! # Features
//!
//! - `cli` (default): the binary's command line (clap); turns on `net` and
//!   `server`, as the binary needs both.
//! - `net`: the HTTPS client (`net`) and the JWKS URL key source
//!   (`verify::JwksUrl`), on ureq and rustls.
//! - `server`: the HTTP server core (`http`), the JWKS endpoint (`serve`)
//!   and the debugger page (`ui`).
//!
//! With `default-features = false` the library keeps keys, certificates,
//! JWK/JWKS, minting, verifying against keys in hand, the platform's rules,
//! the seeded fixtures and [`testkit`], and pulls no command-line, server or
//! network crate:
//!
//! ```toml
//! [dev-dependencies]
//! uvtool = { version = "0.1", default-features = false }
//! ```
//!
//! # Example
//!
//! Make a key and its JWKS, mint a token and verify it under the platform
//! profile (for seeded keys and a catalogue of broken tokens, see
//! [`testkit::Identity`]):
//!
//! ```rust
//! use uvtool::bundle::{Bundle, BundleOptions};
//! use uvtool::keys::KeySize;
//! use uvtool::policy::Settings;
//! use uvtool::token::{Alg, Signer};
//! use uvtool::verify::{StaticKeys, Verifier};
//!
//! # fn main() -> uvtool::Result<()> {
//! let now = 1_767_225_600; // 2026-01-01T00:00:00Z
//! // A key pair, its self-signed certificate and JWK, as `uvtool keygen` makes them.
//! let bundle = Bundle::generate(&BundleOptions {
//!     size: KeySize::Rsa2048,
//!     days: 365,
//!     subject: "CN=example".into(),
//!     kid: None,
//!     alg: Alg::RS256,
//!     now,
//!     seed: None,
//! })?;
//! let jwks = bundle.jwks_text();
//!
//! // A token, as `uvtool mint` makes it.
//! let mut header = serde_json::Map::new();
//! header.insert("kid".into(), bundle.kid.clone().into());
//! let signer = Signer::new(bundle.key, Alg::RS256, header);
//! let claims = serde_json::json!({
//!     "iss": "https://example.com",
//!     "sub": "user-1",
//!     "iat": now,
//!     "exp": now + 600,
//! });
//! let token = signer.sign_claims(claims.as_object().unwrap())?;
//!
//! // Its verdict against the keys in hand, as `uvtool verify` gives it.
//! let settings = Settings {
//!     iss: Some("https://example.com".into()),
//!     now,
//!     ..Settings::default()
//! };
//! let mut keys = StaticKeys::new();
//! keys.add_jwk_doc(jwks.as_bytes(), "jwks.json", &settings)?;
//! let verdict = Verifier::new(keys, settings)?.verify(&token);
//! assert!(verdict.is_valid(), "{:?}", verdict.failure());
//! assert_eq!(verdict.sub(), Some("user-1"));
//! # Ok(())
//! # }
//! ```

pub mod b64;
pub mod batch;
pub mod bundle;
pub mod cert;
pub mod check;
pub mod clock;
pub mod error;
pub mod fixtures;
#[cfg(feature = "server")]
pub mod http;
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
#[doc(hidden)]
pub mod probe;
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
