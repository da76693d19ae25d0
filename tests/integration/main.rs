//! The one integration test binary (one link, one copy of each helper).
//!
//! - `common`: the binary, fixtures, time bounds, the one clock, the one
//!   stub HTTP server, a `uvtool serve` process and an HTTP client.
//! - A module per command, named after it.
//! - Across commands: `cli` (the command line itself: help, tips, start-up),
//!   `inputs` (what every command reads), `batch` paths under `mint` and
//!   `verify`, `net` (the JWKS fetcher).
//! - `interop` (independent implementations), `attacks` (hostile inputs,
//!   limits, failures while writing), `properties` (generated inputs; one
//!   verdict whichever judge or path), `regressions` (defects found once),
//!   `known_answers` (the independent corpus, Wycheproof), `harness` (the
//!   time bounds themselves), `repo` (documents and imports),
//!   `transcripts` (`tests/cmd`), `reading` (files as Windows tools and
//!   copy-paste leave them), `key_sources` (verify and ui load keys alike).

mod common;

mod cert;
mod check;
mod cli;
mod completions;
mod decode;
mod fixtures;
mod init;
mod jwk;
mod jwks;
mod keygen;
mod mint;
mod official;
mod output_contract;
mod platform_key;
mod serve;
mod ui;
mod verify;

mod attacks;
mod harness;
mod inputs;
mod interop;
mod key_sources;
mod known_answers;
mod net;
mod properties;
mod reading;
mod regressions;
mod repo;
mod transcripts;
