//! Any bytes as a file of tokens, stdin or a batch (`verify FILE`, `verify
//! -`, `check FILE`): the one line reader (`read::Lines` and
//! `Line::token_into`, as `verify` streams) and the whole-file readers
//! (`read::first_token_line`, `read::kind_of`, `read::classify`, as
//! `check` and `decode` read) answer, never panic, and agree on the first
//! token. UTF-16 that does not decode is an error of both, never a
//! lossy line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use uvtool::read::{self, Input, Kind, Line, Lines};

fuzz_target!(|data: &[u8]| {
    let mut lines = Lines::new(data);
    let mut line = Line::default();
    let mut token = String::new();
    let mut first: Option<(String, bool)> = None;
    let mut read = 0usize;
    loop {
        match lines.next_line(&mut line) {
            Ok(true) => {}
            Ok(false) => break,
            // UTF-16 that does not decode is refused, as the whole-file
            // readers refuse it (io::decode_text), never read lossily.
            Err(e) => {
                assert!(e.get_ref().is_some_and(|i| i.is::<read::NotUtf16>()));
                assert!(uvtool::io::is_utf16(data));
                assert!(uvtool::io::utf16_to_utf8(data, false).is_none());
                return;
            }
        }
        read += line.consumed;
        assert!(line.bytes.len() <= read::MAX_TOKEN_TEXT);
        if line.token_into(&mut token) {
            let _ = uvtool::token::decode(&token);
            first.get_or_insert_with(|| (token.clone(), line.over));
        }
    }
    assert_eq!(read, data.len(), "every byte is read once");

    // Whole-file reading, as check and decode do (io::read_input reads
    // UTF-16 with its mark as UTF-8, refuses UTF-16 that does not decode,
    // and drops a byte-order mark).
    let decoded;
    let bytes = if uvtool::io::is_utf16(data) {
        let Some(utf8) = uvtool::io::utf16_to_utf8(data, false) else {
            return;
        };
        decoded = utf8;
        uvtool::io::strip_bom(&decoded)
    } else {
        uvtool::io::strip_bom(data)
    };
    let text = String::from_utf8_lossy(bytes);
    let whole = read::first_token_line(&text);
    match &first {
        Some((t, false)) => assert_eq!(t, whole, "the stream and the file read differently"),
        Some((_, true)) => assert!(uvtool::token::decode(whole).is_err()),
        None => assert!(whole.is_empty()),
    }
    if let Ok(Input::Token(t)) = read::classify(bytes, "fuzz") {
        if read::wrapped_lines(&text).is_some() {
            // One token wrapped over lines is read whole (its verdict
            // names it, T0) by the whole-file readers.
            assert_eq!(t.text, read::clean_token(&text));
        } else {
            assert!(matches!(read::kind_of(bytes), Kind::Token));
            assert_eq!(t.text, whole);
        }
    }
});
