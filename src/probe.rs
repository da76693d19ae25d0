//! A test hook, debug builds only: how many times an input's bytes are
//! parsed. With `UVTOOL_PARSE_LOG=FILE` in the environment of a debug
//! build, every document parse appends a line to FILE:
//!
//! - `doc HASH LEN` when a reader of whole documents starts on an input
//!   ([`crate::read`]'s recognising, the strict readers of `jwk`, `keys`
//!   and `cert`, [`crate::pem::parse`]), unless another one is already
//!   running on this thread (a reader that calls another is one parse);
//! - `json HASH LEN` and `pem HASH LEN` for every parse of a whole input
//!   as JSON text or as PEM text, nested or not.
//!
//! `HASH` is [`fingerprint`] of the bytes the parser was given (after the
//! byte-order mark and UTF-16 decoding of [`crate::io::read_input`]). The
//! tests run each command on key files and count the lines of each file's
//! hash: a key file is parsed once per run (issue 22). A leaf: it imports
//! nothing of this crate. Release builds compile it to nothing.

use std::cell::Cell;
use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The environment variable naming the log file.
pub const ENV: &str = "UVTOOL_PARSE_LOG";

thread_local! {
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

fn log_path() -> Option<&'static PathBuf> {
    if !cfg!(debug_assertions) {
        return None;
    }
    static PATH: OnceLock<Option<PathBuf>> = OnceLock::new();
    PATH.get_or_init(|| std::env::var_os(ENV).map(PathBuf::from))
        .as_ref()
}

/// FNV-1a, 64 bits, in hex: names the bytes in the log.
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn record(what: &str, bytes: &[u8]) {
    let Some(path) = log_path() else { return };
    let line = format!("{what} {} {}\n", fingerprint(bytes), bytes.len());
    // One short write with O_APPEND: lines of several threads never mix.
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = f.write_all(line.as_bytes());
    }
}

/// A document parse under way (see the module docs); ends when dropped.
#[must_use = "the parse lasts as long as the guard"]
pub struct Doc(bool);

/// A reader of whole documents starts on `bytes`.
pub fn doc(bytes: &[u8]) -> Doc {
    if log_path().is_none() {
        return Doc(false);
    }
    let depth = DEPTH.with(|d| {
        let v = d.get();
        d.set(v + 1);
        v
    });
    if depth == 0 {
        record("doc", bytes);
    }
    Doc(true)
}

impl Drop for Doc {
    fn drop(&mut self) {
        if self.0 {
            DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
        }
    }
}

/// A whole input parsed as `layer` (`json`, `pem`).
pub fn layer(layer: &str, bytes: &[u8]) {
    record(layer, bytes);
}
