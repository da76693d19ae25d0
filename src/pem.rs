//! PEM reading and writing: a thin wrapper over the `pem` crate that keeps
//! uvtool's tolerance and messages. Blocks are found anywhere in a file (text
//! before, between and after blocks is ignored, as openssl does); a UTF-8
//! byte-order mark, CRLF line ends, indentation, trailing spaces and blank
//! lines inside a block are accepted; RFC 1421 headers such as `Proc-Type`
//! are kept; bad base64 is reported precisely.

/// One PEM block.
#[derive(Debug, Clone)]
pub struct Block {
    /// The label, e.g. `PRIVATE KEY` or `CERTIFICATE`.
    pub label: String,
    /// RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`), as `(name, value)`.
    pub headers: Vec<(String, String)>,
    /// The decoded body.
    pub der: Vec<u8>,
}

/// True when the input contains a PEM armour line.
pub fn looks_like_pem(input: &[u8]) -> bool {
    input.windows(11).any(|w| w == b"-----BEGIN ")
}

/// The text with what editors add taken away, in the shape the `pem` crate
/// reads: no byte-order mark, every line trimmed, blank lines dropped, and
/// one blank line after a block's RFC 1421 headers (base64 never holds a
/// `:`, so a `Name: value` line right after BEGIN is a header).
fn normalize(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = String::with_capacity(text.len());
    // In a block: None outside; Some(true) while headers may still come.
    let mut in_block: Option<bool> = None;
    let mut had_headers = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            continue;
        }
        if line.starts_with("-----BEGIN ") {
            in_block = Some(true);
            had_headers = false;
        } else if line.starts_with("-----END ") {
            in_block = None;
        } else if in_block == Some(true) {
            if line.contains(':') {
                had_headers = true;
            } else {
                if had_headers {
                    out.push('\n');
                }
                in_block = Some(false);
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Parse every PEM block in `input`. An error says which block and what is wrong.
pub fn parse(input: &[u8]) -> Result<Vec<Block>, String> {
    let _parse = crate::probe::doc(input);
    crate::probe::layer("pem", input);
    let text = std::str::from_utf8(input).map_err(|_| "PEM text is not UTF-8".to_string())?;
    let text = normalize(text);
    let labels = begin_labels(&text);
    let parsed = ::pem::parse_many(&text).map_err(|e| describe(e, &text, &labels))?;
    if parsed.len() < labels.len() {
        return Err(format!(
            "PEM block {} has no END line",
            labels[parsed.len()]
        ));
    }
    if parsed.is_empty() {
        return Err("no complete PEM block found".into());
    }
    let mut blocks = Vec::with_capacity(parsed.len());
    for p in parsed {
        let label = p.tag().to_string();
        if p.contents().is_empty() {
            return Err(format!("PEM block {label} is empty"));
        }
        let headers = p
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        blocks.push(Block {
            label,
            headers,
            der: p.into_contents(),
        });
    }
    Ok(blocks)
}

/// The labels of the BEGIN lines, in order.
fn begin_labels(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("-----BEGIN "))
        .map(|l| l.strip_suffix("-----").unwrap_or(l).to_string())
        .collect()
}

/// uvtool's wording for an error of the `pem` crate.
fn describe(e: ::pem::PemError, text: &str, labels: &[String]) -> String {
    use ::pem::PemError;
    match e {
        PemError::MismatchedTags(b, e) => format!("PEM block BEGIN {b} ends with END {e}"),
        PemError::InvalidData(d) => {
            // parse_many stops at the first bad block: find it to name it.
            let label = first_bad_block(text, labels).unwrap_or_default();
            let why = match d {
                base64::DecodeError::InvalidByte(at, b) => {
                    format!("{:?} at offset {at}", char::from(b))
                }
                base64::DecodeError::InvalidLength(_) => "impossible length".to_string(),
                base64::DecodeError::InvalidLastSymbol { offset, .. } => {
                    format!("non-canonical last symbol at offset {offset}")
                }
                base64::DecodeError::InvalidPadding => "bad padding".to_string(),
            };
            format!("PEM block {label} has bad base64 ({why})")
        }
        PemError::InvalidHeader(h) => format!("PEM header line {h:?} is not NAME: VALUE"),
        PemError::NotUtf8(_) => "PEM text is not UTF-8".to_string(),
        PemError::MissingBeginTag | PemError::MissingEndTag | PemError::MalformedFraming => {
            match labels.first() {
                Some(l) => format!("PEM block {l} has no END line"),
                None => "no complete PEM block found".to_string(),
            }
        }
        PemError::MissingData => match labels.first() {
            Some(l) => format!("PEM block {l} is empty"),
            None => "no complete PEM block found".to_string(),
        },
    }
}

/// The label of the first block whose body is not base64.
fn first_bad_block(text: &str, labels: &[String]) -> Option<String> {
    let mut rest = text;
    for label in labels {
        // From a BEGIN line to the end of the next END line; split_once
        // keeps every cut on a character boundary.
        let (_, after_begin) = rest.split_once("-----BEGIN ")?;
        let (body, after_end) = after_begin.split_once("-----END ")?;
        let (end_line, next) = after_end.split_once('\n').unwrap_or((after_end, ""));
        let block = format!("-----BEGIN {body}-----END {end_line}\n");
        if ::pem::parse(block.as_str()).is_err() {
            return Some(label.clone());
        }
        rest = next;
    }
    None
}

/// Encode DER as a PEM block with 64-column lines and LF line ends.
pub fn encode(label: &str, der: &[u8]) -> String {
    let p = ::pem::Pem::new(label, der);
    ::pem::encode_config(
        &p,
        ::pem::EncodeConfig::new().set_line_ending(::pem::LineEnding::LF),
    )
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_noise() {
        let pem = encode("TEST", &[1, 2, 3, 250]);
        let noisy = format!("Bag Attributes\n{pem}trailing\n");
        let b = parse(noisy.as_bytes()).unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].label, "TEST");
        assert_eq!(b[0].der, vec![1, 2, 3, 250]);
    }

    #[test]
    fn errors() {
        assert!(parse(b"hello").unwrap_err().contains("no complete PEM"));
        assert!(parse(b"-----BEGIN A-----\nAAAA\n")
            .unwrap_err()
            .contains("no END"));
        assert!(parse(b"-----BEGIN A-----\n!!!!\n-----END A-----\n")
            .unwrap_err()
            .contains("bad base64"));
        assert!(parse(b"-----BEGIN A-----\nAAAA\n-----END B-----\n")
            .unwrap_err()
            .contains("ends with"));
    }

    #[test]
    fn editor_noise_is_tolerated() {
        let pem = encode("TEST", &[1, 2, 3, 250, 7, 8, 9]);
        let expect = vec![1, 2, 3, 250, 7, 8, 9];
        let variants = [
            format!("\u{feff}{pem}"),
            pem.replace('\n', "\r\n"),
            format!("\u{feff}{}", pem.replace('\n', "\r\n")),
            format!("  \n\n{}  \n\n", pem.replace('\n', "  \n  ")),
            pem.replace("-----END", "\n-----END"),
        ];
        for v in variants {
            let b = parse(v.as_bytes()).unwrap_or_else(|e| panic!("{v:?}: {e}"));
            assert_eq!(b[0].der, expect, "{v:?}");
        }
    }

    #[test]
    fn encode_is_64_columns_lf() {
        let der: Vec<u8> = (0..=255).collect();
        let pem = encode("X", &der);
        assert!(pem.starts_with("-----BEGIN X-----\n"));
        assert!(pem.ends_with("-----END X-----\n"));
        assert!(!pem.contains('\r'));
        assert!(pem.lines().all(|l| l.len() <= 64));
        assert_eq!(parse(pem.as_bytes()).unwrap()[0].der, der);
    }

    #[test]
    fn headers_kept() {
        let t = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        let b = parse(t.as_bytes()).unwrap();
        assert_eq!(b[0].headers[0].0, "Proc-Type");
    }
}
