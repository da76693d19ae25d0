//! Base64 helpers: base64url without padding (JOSE) and standard base64 (x5c).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

/// Encode as base64url without padding (RFC 7515 §2).
pub fn url_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decode strict base64url without padding. Rejects padding, `+`, `/`,
/// whitespace and non-zero trailing bits, so every value has one spelling.
pub fn url_decode(s: &str) -> Result<Vec<u8>, String> {
    // The decoder refuses every byte outside the base64url alphabet, any
    // padding and non-zero trailing bits; the scan below only runs on a
    // refusal, to name what is wrong (it cost half of the decoding time
    // when it ran on every value).
    URL_SAFE_NO_PAD.decode(s).map_err(|e| url_problem(s, e))
}

/// [`url_decode`] appending to `out` (a buffer the caller reuses).
pub fn url_decode_into(s: &str, out: &mut Vec<u8>) -> Result<(), String> {
    URL_SAFE_NO_PAD
        .decode_vec(s, out)
        .map_err(|e| url_problem(s, e))
}

fn url_problem(s: &str, e: base64::DecodeError) -> String {
    if let Some(bad) = s
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    {
        return match bad {
            '=' => "has '=' padding (base64url here takes none)".to_string(),
            '+' | '/' => format!("has '{bad}': standard base64, not base64url (use '-' and '_')"),
            c if c.is_whitespace() => "has whitespace inside".to_string(),
            c => format!("has {c:?}, which is not a base64url character"),
        };
    }
    match e {
        base64::DecodeError::InvalidLastSymbol { .. } => {
            "is not canonical base64url (non-zero trailing bits)".to_string()
        }
        base64::DecodeError::InvalidLength(_) => "has an impossible base64url length".to_string(),
        other => format!("is not valid base64url ({})", error_text(&other)),
    }
}

/// Encode as standard base64 with padding (as used in `x5c`).
pub fn std_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decode standard base64 with padding (as used in `x5c`).
pub fn std_decode(s: &str) -> Result<Vec<u8>, String> {
    if s.contains(['-', '_']) {
        return Err("uses the url-safe alphabet ('-' or '_'); x5c takes standard base64".into());
    }
    STANDARD
        .decode(s)
        .map_err(|e| format!("is not valid standard base64 ({})", error_text(&e)))
}

/// base64's decode error in the words uvtool has always printed (base64
/// 0.22's): 0.23 spells the last-symbol case in hex and binary.
fn error_text(e: &base64::DecodeError) -> String {
    match *e {
        base64::DecodeError::InvalidByte(at, b) => format!("Invalid symbol {b}, offset {at}."),
        base64::DecodeError::InvalidLength(len) => format!("Invalid input length: {len}"),
        base64::DecodeError::InvalidLastSymbol { offset, symbol, .. } => {
            format!("Invalid last symbol {symbol}, offset {offset}.")
        }
        base64::DecodeError::InvalidPadding => "Invalid padding".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_round_trip_and_strictness() {
        assert_eq!(url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(url_decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert!(url_decode("-_8=").unwrap_err().contains("padding"));
        assert!(url_decode("+/8").unwrap_err().contains("standard base64"));
        assert!(url_decode("-_9").unwrap_err().contains("trailing bits"));
        assert!(url_decode("a b").unwrap_err().contains("whitespace"));
        assert!(url_decode("a").unwrap_err().contains("length"));
        // A bad byte is named even where the length is also wrong.
        assert!(url_decode("ab=").unwrap_err().contains("padding"));
        assert!(url_decode("a\u{e9}")
            .unwrap_err()
            .contains("not a base64url"));
        assert!(url_decode("ab\ncd").unwrap_err().contains("whitespace"));
    }

    #[test]
    fn std_rejects_url_alphabet() {
        assert!(std_decode("ab-_").unwrap_err().contains("url-safe"));
        assert_eq!(std_decode("+/8=").unwrap(), vec![0xfb, 0xff]);
    }

    #[test]
    fn std_errors_keep_their_words() {
        for (input, why) in [
            ("QR==", "Invalid last symbol 82, offset 1."),
            ("Q!==", "Invalid symbol 33, offset 1."),
            ("QUJD=", "Invalid symbol 61, offset 4."),
            ("Q", "Invalid input length: 1"),
            ("QQ=", "Invalid padding"),
        ] {
            assert_eq!(
                std_decode(input).unwrap_err(),
                format!("is not valid standard base64 ({why})"),
                "{input}"
            );
        }
    }
}
