//! Any bytes as a token given on the command line or pasted in the `ui`
//! page: the cleaning (`read::clean_token`), the decoding
//! (`token::decode`) and the page's reading (`inspect::inspect`) answer,
//! never panic, and read the token as a batch line reads it.
//!
//! Invariants: cleaning twice is cleaning once; the same text as the one
//! line of a file (`read::Lines`) gives the same token as the argument.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use uvtool::read::{self, Line, Lines};
use uvtool::inspect::{self, Keyring, Settings};

fn ring() -> &'static Keyring {
    static R: OnceLock<Keyring> = OnceLock::new();
    R.get_or_init(Keyring::empty)
}

fuzz_target!(|data: &[u8]| {
    // An argument is UTF-8 (the shell gives bytes, clap a lossy string).
    let text = String::from_utf8_lossy(data);
    let t = read::clean_token(&text);
    assert_eq!(read::clean_token(t), t, "cleaning is not idempotent");
    if let Ok(d) = uvtool::token::decode(t) {
        // The signing input is a prefix of the trimmed token.
        assert!(t.trim().starts_with(d.signing_input));
        let _ = (d.alg(), d.kid(), d.sub());
    }
    // The same bytes as the one line of a file or stdin.
    if !data.contains(&b'\n') {
        let mut lines = Lines::new(data);
        let mut line = Line::default();
        let mut from_line = String::new();
        if lines.next_line(&mut line).unwrap() && line.token_into(&mut from_line) {
            if !line.over {
                // The argument's reading (a byte-order mark is dropped from
                // the start of a file, and by the cleaning of an argument).
                assert_eq!(from_line, t, "a line and an argument read differently");
            } else {
                assert!(uvtool::token::decode(&from_line).is_err());
            }
        }
    }
    let s = Settings {
        now: Some(1_800_000_000),
        ..Settings::default()
    };
    let v = inspect::inspect(&text, ring(), &s);
    assert!(v.is_object());
});
