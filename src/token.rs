//! JWTs: compact serialisation, decoding and (in later work) minting.

use serde_json::{Map, Value};

use crate::b64;

/// Largest token uvtool reads (a real identity token is a few KiB).
pub const MAX_TOKEN_LEN: usize = 256 * 1024;

/// A compact JWS split and decoded, nothing verified.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    /// The JOSE header.
    pub header: Map<String, Value>,
    /// The claims (payload).
    pub claims: Map<String, Value>,
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`: what the signature covers.
    pub signing_input: &'a str,
    /// The decoded signature bytes.
    pub signature: Vec<u8>,
}

impl Decoded<'_> {
    /// The header's `alg`, if it is a string.
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The header's `kid`, if it is a string.
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// The `sub` claim, if it is a string.
    pub fn sub(&self) -> Option<&str> {
        self.claims.get("sub").and_then(Value::as_str)
    }
}

/// Split and decode a compact JWS without verifying anything. The error says
/// which segment is wrong and how.
pub fn decode(token: &str) -> Result<Decoded<'_>, String> {
    let token = token.trim();
    if token.is_empty() {
        return Err("the token is empty".into());
    }
    if token.len() > MAX_TOKEN_LEN {
        return Err(format!(
            "the token is {} bytes, over the {} KiB limit",
            token.len(),
            MAX_TOKEN_LEN / 1024
        ));
    }
    let parts: Vec<&str> = token.split('.').collect();
    match parts.len() {
        3 => {}
        5 => {
            return Err("has 5 segments: this is a JWE (encrypted token), not a signed JWT".into())
        }
        n => {
            return Err(format!(
                "has {n} segment(s), expected 3 (header.payload.signature)"
            ))
        }
    }
    let header = json_segment(parts[0], "header")?;
    let claims = json_segment(parts[1], "payload")?;
    let signature = b64::url_decode(parts[2]).map_err(|m| format!("signature segment {m}"))?;
    let signing_input = &token[..parts[0].len() + 1 + parts[1].len()];
    Ok(Decoded {
        header,
        claims,
        signing_input,
        signature,
    })
}

fn json_segment(seg: &str, name: &str) -> Result<Map<String, Value>, String> {
    if seg.is_empty() {
        return Err(format!("{name} segment is empty"));
    }
    let bytes = b64::url_decode(seg).map_err(|m| format!("{name} segment {m}"))?;
    let text = std::str::from_utf8(&bytes).map_err(|_| format!("{name} segment is not UTF-8"))?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(format!("{name} segment is JSON but not an object")),
        Err(e) => Err(format!("{name} segment is not valid JSON ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_errors_name_the_segment() {
        assert!(decode("a.b").unwrap_err().contains("2 segment"));
        assert!(decode("a.b.c.d.e").unwrap_err().contains("JWE"));
        assert!(decode(".e30.")
            .unwrap_err()
            .contains("header segment is empty"));
        assert!(decode("e30.W10.")
            .unwrap_err()
            .contains("payload segment is JSON but not an object"));
        assert!(decode("e30=.e30.")
            .unwrap_err()
            .contains("header segment has '=' padding"));
        let d = decode("e30.e30.").unwrap();
        assert!(d.header.is_empty() && d.claims.is_empty() && d.signature.is_empty());
        assert_eq!(d.signing_input, "e30.e30");
    }
}
