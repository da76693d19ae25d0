//! A tolerant PEM reader: finds `-----BEGIN X-----` blocks anywhere in a file
//! (text before, between and after blocks is ignored, as openssl does), keeps
//! RFC 1421 headers such as `Proc-Type`, and reports bad base64 precisely.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

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

/// Parse every PEM block in `input`. An error says which block and what is wrong.
pub fn parse(input: &[u8]) -> Result<Vec<Block>, String> {
    let text = std::str::from_utf8(input).map_err(|_| "PEM text is not UTF-8".to_string())?;
    let mut blocks = Vec::new();
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        else {
            continue;
        };
        let label = label.to_string();
        let mut headers = Vec::new();
        let mut body = String::new();
        let mut ended = false;
        for l in lines.by_ref() {
            if let Some(end) = l
                .strip_prefix("-----END ")
                .and_then(|l| l.strip_suffix("-----"))
            {
                if end != label {
                    return Err(format!("PEM block BEGIN {label} ends with END {end}"));
                }
                ended = true;
                break;
            }
            if body.is_empty() {
                if let Some((k, v)) = l.split_once(':') {
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                    continue;
                }
            }
            body.push_str(l);
        }
        if !ended {
            return Err(format!("PEM block {label} has no END line"));
        }
        if body.is_empty() {
            return Err(format!("PEM block {label} is empty"));
        }
        let der = STANDARD.decode(body.as_bytes()).map_err(|e| {
            let why = match e {
                base64::DecodeError::InvalidByte(at, b) => {
                    format!("{:?} at offset {at}", char::from(b))
                }
                base64::DecodeError::InvalidLength(_) => "impossible length".to_string(),
                base64::DecodeError::InvalidLastSymbol(at, _) => {
                    format!("non-canonical last symbol at offset {at}")
                }
                base64::DecodeError::InvalidPadding => "bad padding".to_string(),
            };
            format!("PEM block {label} has bad base64 ({why})")
        })?;
        blocks.push(Block {
            label,
            headers,
            der,
        });
    }
    if blocks.is_empty() {
        return Err("no complete PEM block found".into());
    }
    Ok(blocks)
}

/// Encode DER as a PEM block with 64-column lines.
pub fn encode(label: &str, der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 2 * label.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
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
    fn headers_kept() {
        let t = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        let b = parse(t.as_bytes()).unwrap();
        assert_eq!(b[0].headers[0].0, "Proc-Type");
    }
}
