//! Text that came from a token or a key, made safe for a line of text
//! output: nothing in it can end a line, start a new one or rewrite what a
//! terminal shows. JSON output keeps values exact; only text output uses
//! this.

use std::borrow::Cow;

/// Whether `c` must not reach text output raw: C0 and C1 control
/// characters (newline, carriage return, escape, NEL ...), DEL, the Unicode
/// line and paragraph separators, and the bidirectional controls that can
/// reorder what a terminal shows.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `s` with every such character written as a Rust-style escape (`\n`,
/// `\t`, `\u{2028}`); the text is borrowed when there is nothing to escape.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_except(s, false)
}

/// As [`escape`], but `\n` is kept: for text whose line structure is the
/// program's own (pretty JSON inside a text report, where serde has already
/// escaped the values' control characters but not U+2028/U+2029).
pub fn escape_keep_newlines(s: &str) -> Cow<'_, str> {
    escape_except(s, true)
}

fn escape_except(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let bad = |c: char| unsafe_char(c) && !(keep_newlines && c == '\n');
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                _ => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// At most `max` characters of `s`, escaped as [`escape`] escapes, with
/// `…` when some were left out: outside text quoted in a message (a
/// header value), printable and bounded.
pub fn clip(s: &str, max: usize) -> String {
    let end = s.char_indices().nth(max).map_or(s.len(), |(i, _)| i);
    let mut out = escape(&s[..end]).into_owned();
    if end < s.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_bounds_by_characters_and_escapes() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "abc…");
        assert_eq!(clip("ééé", 2), "éé…");
        assert_eq!(clip("a\u{1b}[2J", 10), "a\\u{1b}[2J");
        assert_eq!(clip("", 0), "");
    }

    #[test]
    fn nothing_can_end_or_rewrite_a_line() {
        assert_eq!(escape("alice"), "alice");
        assert!(matches!(escape("alice"), Cow::Borrowed(_)));
        assert_eq!(escape("x\nvalid sub=admin"), "x\\nvalid sub=admin");
        assert_eq!(escape("a\r\tb"), "a\\r\\tb");
        assert_eq!(escape("a\u{2028}b\u{2029}c"), "a\\u{2028}b\\u{2029}c");
        assert_eq!(escape("\u{1b}[2J"), "\\u{1b}[2J");
        assert_eq!(escape("\u{85}\u{7f}"), "\\u{85}\\u{7f}");
        assert_eq!(escape("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(escape("ünïcødé 名前"), "ünïcødé 名前");
        assert_eq!(
            escape_keep_newlines("{\n  \"a\": \"\u{2028}\"\n}"),
            "{\n  \"a\": \"\\u{2028}\"\n}"
        );
        for s in ["\n", "a\nb", "\u{2028}", "\r", "\u{85}", "\u{b}", "\u{c}"] {
            assert!(!escape(s)
                .contains(['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}', '\u{b}', '\u{c}']));
        }
    }
}
