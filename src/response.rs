//! What a keyset URL answered, as facts the reader ([`crate::read`]) and the
//! endpoint rules ([`crate::policy::endpoint`]) judge. No network code: the
//! client that fills these in is `crate::net` (feature `net`), so a build
//! without it still reads and judges an answer it is given.

use std::time::Duration;

/// Default cap on the response body.
pub const DEFAULT_MAX_BODY: u64 = 1024 * 1024;

/// Facts about the response, for reports and endpoint lint rules.
#[derive(Debug, Clone)]
pub struct ResponseFacts {
    /// The URL asked for.
    pub url: String,
    /// The URL that answered (differs from `url` after redirects).
    pub final_url: String,
    /// Every redirect target followed, in order.
    pub redirects: Vec<String>,
    /// HTTP status code of the final response.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The `Cache-Control` header, if any.
    pub cache_control: Option<String>,
    /// The `ETag` header, if any.
    pub etag: Option<String>,
    /// Time from the first request to the end of the body.
    pub elapsed: Duration,
    /// Body size in bytes.
    pub size: usize,
}

/// A response whose body was read, whatever its status.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub body: Vec<u8>,
    pub facts: ResponseFacts,
}

/// Heuristic: an HTML page rather than JSON.
pub fn looks_like_html(body: &[u8], content_type: Option<&str>) -> bool {
    if content_type.is_some_and(|c| c.to_ascii_lowercase().contains("html")) {
        return true;
    }
    let start: Vec<u8> = body
        .iter()
        .copied()
        .skip_while(|b| b.is_ascii_whitespace() || *b == 0xEF || *b == 0xBB || *b == 0xBF)
        .take(64)
        .collect();
    let s = String::from_utf8_lossy(&start).to_ascii_lowercase();
    s.starts_with("<!doctype html")
        || s.starts_with("<html")
        || s.starts_with("<head")
        || s.starts_with("<body")
}

/// The first bytes of a body, for a message.
pub fn preview(body: &[u8]) -> String {
    let s = String::from_utf8_lossy(&body[..body.len().min(40)]);
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("{s:?}")
}

/// ` after N redirect(s) from URL`, or nothing without redirects.
pub fn redirect_note(facts: &ResponseFacts) -> String {
    match facts.redirects.len() {
        0 => String::new(),
        n => format!(" after {n} redirect(s) from {}", facts.url),
    }
}

/// The reason phrase of an HTTP status.
pub fn reason(status: u16) -> Option<&'static str> {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|c| c.canonical_reason())
}
