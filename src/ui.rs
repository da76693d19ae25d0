//! The debugger page of `uvtool ui`: a [`Handler`] for the server core of
//! [`crate::http`] that serves the page (HTML, CSS and JavaScript embedded
//! in the binary; no external asset) and its one API call,
//! `POST /api/inspect`, which answers with [`crate::inspect::inspect`].
//!
//! Every response carries a strict Content-Security-Policy. The page and
//! the API refuse (403) a request whose `Host` does not name this server:
//! the loopback address and port served, or `localhost` with that port
//! (what people type); any other name is refused, so a page of another
//! site whose name was re-pointed at 127.0.0.1 (DNS rebinding) reads
//! nothing. The API also refuses a request whose `Origin`, when present,
//! is not one of those origins (cross-site requests); it takes only `POST`
//! with `Content-Type: application/json` and a body of at most
//! [`MAX_BODY`] bytes, and its answer is built under the core's answer cap.
//! Tokens are never written anywhere: the core logs no bodies and no query
//! strings, and the page reads a `#token=` fragment, which browsers never
//! send.

use std::net::SocketAddr;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use crate::http::{json_body, Body, Handler, Request, Response};
use crate::inspect::{inspect, Keyring, Settings};

/// The page, its script and its style sheet.
const INDEX_HTML: &str = include_str!("ui/index.html");
const APP_JS: &str = include_str!("ui/app.js");
const STYLE_CSS: &str = include_str!("ui/style.css");
const FAVICON_SVG: &str = include_str!("ui/favicon.svg");

/// The largest request body the API reads: `{"token": "…"}` around the
/// most text a token is read from ([`crate::read::MAX_TOKEN_TEXT`], from
/// the one limit of a token, [`crate::token::MAX_TOKEN_LEN`]), so the page
/// and `verify` refuse the same tokens. A longer body is answered 413,
/// naming that limit.
pub const MAX_BODY: usize = crate::read::MAX_TOKEN_TEXT + 1024;

/// The Content-Security-Policy of every response: only this server's own
/// script, style and connections; no framing, no forms, no base URL.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The API's path.
pub const API_PATH: &str = "/api/inspect";

/// API answers built at once. Building one for a 64 KiB token of nested
/// claims takes ~10 MB for a moment (the claims read and judged twice);
/// without a bound, 32 such requests at once took 280 MB. More wait their
/// turn, up to [`INSPECT_WAIT`], then get 503.
pub const MAX_INSPECTS: usize = 4;
/// How long an API request waits for its turn.
pub const INSPECT_WAIT: Duration = Duration::from_secs(10);

/// Counts the API answers being built ([`MAX_INSPECTS`]).
#[derive(Default)]
struct Gate {
    busy: Mutex<usize>,
    freed: Condvar,
}

/// A turn to build an answer; given back when dropped.
struct Turn<'a>(&'a Gate);

impl Gate {
    fn enter(&self, wait: Duration) -> Option<Turn<'_>> {
        let busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        let (mut busy, _) = self
            .freed
            .wait_timeout_while(busy, wait, |n| *n >= MAX_INSPECTS)
            .unwrap_or_else(|p| p.into_inner());
        if *busy >= MAX_INSPECTS {
            return None;
        }
        *busy += 1;
        Some(Turn(self))
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut busy = self.0.busy.lock().unwrap_or_else(|p| p.into_inner());
        *busy -= 1;
        self.0.freed.notify_one();
    }
}

/// Serves the page and answers the API for one bound address.
pub struct UiHandler {
    /// The `Host` values that name this server, the first as printed.
    hosts: Vec<String>,
    /// The origins of this server's page, the first as printed.
    origins: Vec<String>,
    keys: Keyring,
    settings: Settings,
    gate: Gate,
}

impl UiHandler {
    /// A handler for a server bound to `addr`: it answers a `Host` of that
    /// address, and of `localhost` with its port when `addr` is a loopback
    /// address (see the module docs).
    pub fn new(addr: SocketAddr, keys: Keyring, settings: Settings) -> UiHandler {
        let mut hosts = vec![addr.to_string()];
        if addr.ip().is_loopback() {
            hosts.push(format!("localhost:{}", addr.port()));
        }
        if addr.port() == 80 {
            // A browser leaves out the default port.
            let bare: Vec<String> = hosts
                .iter()
                .filter_map(|h| h.strip_suffix(":80").map(str::to_string))
                .collect();
            hosts.extend(bare);
        }
        UiHandler {
            origins: hosts.iter().map(|h| format!("http://{h}")).collect(),
            hosts,
            keys,
            settings,
            gate: Gate::default(),
        }
    }

    /// The page's URL.
    pub fn url(&self) -> String {
        format!("{}/", self.origins[0])
    }

    /// The hosts answered, as a message names them.
    fn host_names(&self) -> String {
        match self.hosts.as_slice() {
            [one] => one.clone(),
            [first, rest @ ..] => format!("{first} or {}", rest.join(" or ")),
            [] => String::new(),
        }
    }

    /// Refuse requests meant for another host (DNS rebinding) or sent from
    /// another origin (cross-site), with the reason.
    fn foreign(&self, req: &Request<'_>) -> Option<String> {
        match req.header("host") {
            Ok(Some(h)) if self.hosts.iter().any(|ok| ok.eq_ignore_ascii_case(h)) => {}
            Ok(Some(h)) => {
                return Some(format!(
                    "Host {:?} is not {}; open {} instead",
                    clip(h),
                    self.host_names(),
                    self.url()
                ))
            }
            Ok(None) => return Some(format!("no Host header; open {}", self.url())),
            Err(()) => return Some("more than one Host header".into()),
        }
        match req.header("origin") {
            Ok(None) => {}
            Ok(Some(o)) if self.origins.iter().any(|ok| ok.eq_ignore_ascii_case(o)) => {}
            Ok(Some(o)) => {
                return Some(format!(
                    "Origin {:?} is not {}; the API answers only its own page",
                    clip(o),
                    self.origins.join(" or ")
                ))
            }
            Err(()) => return Some("more than one Origin header".into()),
        }
        if let Ok(Some(site)) = req.header("sec-fetch-site") {
            if site.eq_ignore_ascii_case("cross-site") {
                return Some("a cross-site request; the API answers only its own page".into());
            }
        }
        None
    }

    fn api(&self, req: &Request<'_>) -> Response {
        if req.method != "POST" {
            return error(405, "method", "only POST is allowed").header("Allow", "POST");
        }
        let json_type = req.header("content-type").ok().flatten().is_some_and(|ct| {
            ct.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
        if !json_type {
            return error(415, "content_type", "send Content-Type: application/json");
        }
        let bytes = match &req.body {
            Body::Bytes(b) => b.as_slice(),
            Body::Empty => &[],
            Body::TooLarge(n) => {
                return error(
                    413,
                    "too_large",
                    &format!(
                        "the body is {n} bytes, the limit is {MAX_BODY}: {}",
                        crate::token::over_limit()
                    ),
                )
            }
            Body::Chunked => return error(411, "length", "send the body with a Content-Length"),
        };
        let parsed: Value = match serde_json::from_slice(bytes) {
            Ok(v) => v,
            Err(e) => {
                return error(
                    400,
                    "bad_json",
                    &format!("the body is not JSON ({e}); send {{\"token\": \"...\"}}"),
                )
            }
        };
        let Some(token) = parsed.get("token").and_then(Value::as_str) else {
            return error(
                400,
                "bad_json",
                "the body has no \"token\" string; send {\"token\": \"...\"}",
            );
        };
        let Some(_turn) = self.gate.enter(INSPECT_WAIT) else {
            return error(
                503,
                "busy",
                &format!("{MAX_INSPECTS} answers are being built; retry in a moment"),
            )
            .header("Retry-After", "1");
        };
        // Built under the core's answer cap: a token of deeply nested
        // claims comes back compact, never as a pretty form ~100 times its
        // size built in memory first.
        match json_body(&inspect(token, &self.keys, &self.settings)) {
            Ok(body) => Response::new(200, "application/json", body),
            Err(e) => error(500, "too_large", &e.to_string()),
        }
    }
}

impl Handler for UiHandler {
    fn max_body(&self, method: &str, path: &str) -> usize {
        if method == "POST" && path == API_PATH {
            MAX_BODY
        } else {
            0
        }
    }

    fn handle(&self, req: &Request<'_>) -> Response {
        secure(self.route(req))
    }
}

impl UiHandler {
    fn route(&self, req: &Request<'_>) -> Response {
        if let Some(why) = self.foreign(req) {
            return error(403, "forbidden", &why);
        }
        if req.path == API_PATH {
            return self.api(req);
        }
        let (kind, body) = match req.path {
            "/" | "/index.html" => ("text/html; charset=utf-8", INDEX_HTML),
            "/app.js" => ("text/javascript; charset=utf-8", APP_JS),
            "/style.css" => ("text/css; charset=utf-8", STYLE_CSS),
            "/favicon.svg" | "/favicon.ico" => ("image/svg+xml", FAVICON_SVG),
            _ => {
                return Response::text(404, &format!("not found; the page is at {}\n", self.url()))
            }
        };
        if req.method != "GET" && req.method != "HEAD" {
            return Response::text(405, "only GET and HEAD are allowed\n")
                .header("Allow", "GET, HEAD");
        }
        Response::new(200, kind, body.as_bytes().to_vec())
    }
}

/// An API error: `{"error": CODE, "reason": SENTENCE}`.
fn error(status: u16, code: &str, reason: &str) -> Response {
    Response::json(status, &json!({ "error": code, "reason": reason }))
}

/// The headers every response of the page's server carries.
fn secure(r: Response) -> Response {
    r.header("Content-Security-Policy", CSP)
        .header("X-Content-Type-Options", "nosniff")
        .header("X-Frame-Options", "DENY")
        .header("Referrer-Policy", "no-referrer")
        .header("Cross-Origin-Opener-Policy", "same-origin")
        .header("Cross-Origin-Resource-Policy", "same-origin")
        .header("Cache-Control", "no-store")
}

/// A header value as quoted in a message: printable and bounded.
fn clip(s: &str) -> String {
    crate::text::clip(s, 100)
}
