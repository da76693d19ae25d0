//! Any bytes as a file of tokens, stdin or a batch (`verify FILE`, `verify
//! -`, `check FILE`): the one line reader (`read::Lines` and
//! `Line::token_into`, as `verify` streams) and the whole-file readers
//! (`read::first_token_line`, `read::kind_of`, `read::classify`, as
//! `check` and `decode` read) answer, never panic, and agree on the first
//! token.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uvtool::read::{self, Input, Kind, Line, Lines};

fuzz_target!(|data: &[u8]| {
    let mut lines = Lines::new(data);
    let mut line = Line::default();
    let mut token = String::new();
    let mut first: Option<(String, bool)> = None;
    let mut read = 0usize;
    while lines.next_line(&mut line).unwrap() {
        read += line.consumed;
        assert!(line.bytes.len() <= read::MAX_TOKEN_TEXT);
        if line.token_into(&mut token) {
            let _ = uvtool::token::decode(&token);
            first.get_or_insert_with(|| (token.clone(), line.over));
        }
    }
    assert_eq!(read, data.len(), "every byte is read once");
    let kind = read::kind_of(data);
    // Whole-file reading, as check and decode do (io::read_input drops a
    // byte-order mark first).
    let bytes = uvtool::io::strip_bom(data);
    let text = String::from_utf8_lossy(bytes);
    let whole = read::first_token_line(&text);
    match &first {
        Some((t, false)) => assert_eq!(t, whole, "the stream and the file read differently"),
        Some((_, true)) => assert!(uvtool::token::decode(whole).is_err()),
        None => assert!(whole.is_empty()),
    }
    if let Ok(Input::Token(t)) = read::classify(data, "fuzz") {
        assert!(matches!(kind, Kind::Token));
        assert_eq!(t.text, whole);
    }
});
