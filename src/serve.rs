//! The JWKS HTTP endpoint behind `uvtool serve`: a small HTTP/1.1 server on
//! `std::net` with `httparse` for request heads.
//!
//! It serves one JWKS file at one path, GET and HEAD only, with
//! `Content-Type: application/json`, `Cache-Control` and a strong `ETag`
//! (304 on `If-None-Match`). It follows the file: a changed file (atomic
//! replace included) is re-read on the next request, and an invalid one is
//! logged and ignored while the last good set keeps being served. Sets with
//! private members are refused.
//!
//! Bounds: at most `max_connections` connections at once (others get 503),
//! request heads of at most 8 KiB that must arrive within `timeout`, idle
//! keep-alive connections closed after `idle`, writes bounded by `timeout`.
//! The library never prints: each request is reported through a log callback.

use std::collections::HashMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use crate::jwk;
use crate::{b64, Error, Result};

/// Largest request head accepted (request line plus headers).
pub const MAX_HEAD: usize = 8 * 1024;
/// Most headers accepted in one request.
const MAX_HEADERS: usize = 64;

/// A log sink: one call per line.
pub type Logger = Arc<dyn Fn(&str) + Send + Sync>;

/// How the server behaves.
#[derive(Clone)]
pub struct ServeOptions {
    /// The path the JWKS is served at, e.g. `/.well-known/jwks.json`.
    pub path: String,
    /// `Cache-Control: public, max-age=N`.
    pub max_age: u64,
    /// Time allowed to receive a whole request head, and to write a response.
    pub timeout: Duration,
    /// Time an idle keep-alive connection is kept open.
    pub idle: Duration,
    /// Connections handled at once; more are answered 503 and closed.
    pub max_connections: usize,
    /// Where log lines go: reloads, problems and (with `log_requests`) one
    /// line per request.
    pub log: Logger,
    /// Log one line per request (and per 503).
    pub log_requests: bool,
}

impl std::fmt::Debug for ServeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeOptions")
            .field("path", &self.path)
            .field("max_age", &self.max_age)
            .field("timeout", &self.timeout)
            .field("idle", &self.idle)
            .field("max_connections", &self.max_connections)
            .finish_non_exhaustive()
    }
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            path: "/.well-known/jwks.json".into(),
            max_age: 60,
            timeout: Duration::from_secs(10),
            idle: Duration::from_secs(5),
            max_connections: 256,
            log: Arc::new(|_| {}),
            log_requests: true,
        }
    }
}

/// A validated JWKS ready to be served.
#[derive(Debug)]
pub struct ServedSet {
    /// The file's bytes, as served.
    pub body: Vec<u8>,
    /// Strong entity tag (quoted), derived from the body.
    pub etag: String,
    /// Number of keys in the set.
    pub keys: usize,
}

/// Validate JWKS bytes for serving: a JWKS with at least one key, no private
/// members, no duplicate kids, and well-formed RSA keys.
pub fn validate_set(body: Vec<u8>, what: &str) -> Result<ServedSet> {
    let keys = jwk::parse_jwks(&body, what)?;
    if keys.is_empty() {
        return Err(Error::input(what, "the key set is empty ({\"keys\":[]})"));
    }
    // Read as `verify` reads a set: placeholders (K10) pass, real private
    // members, duplicate kids and malformed RSA keys do not.
    crate::verify::jwk_doc_keys(&body, what, &crate::policy::Settings::default())?;
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &body);
    let etag = format!("\"{}\"", &b64::url_encode(digest.as_ref())[..22]);
    Ok(ServedSet {
        keys: keys.len(),
        body,
        etag,
    })
}

/// What identifies a version of the file on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    ino: u64,
    #[cfg(unix)]
    dev: u64,
    #[cfg(unix)]
    ctime: (i64, i64),
}

fn stamp(path: &Path) -> std::io::Result<Stamp> {
    let m = fs::metadata(path)?;
    #[cfg(unix)]
    use std::os::unix::fs::MetadataExt;
    Ok(Stamp {
        len: m.len(),
        modified: m.modified().ok(),
        #[cfg(unix)]
        ino: m.ino(),
        #[cfg(unix)]
        dev: m.dev(),
        #[cfg(unix)]
        ctime: (m.ctime(), m.ctime_nsec()),
    })
}

/// The JWKS file being followed.
struct Followed {
    path: PathBuf,
    state: Mutex<FollowState>,
}

struct FollowState {
    /// The stamp of the last version looked at (good or not).
    seen: Option<Stamp>,
    /// The problem last reported, so it is logged once.
    problem: Option<String>,
    good: Arc<ServedSet>,
}

impl Followed {
    fn load(path: &Path) -> Result<Followed> {
        let st = stamp(path).map_err(|e| Error::io(path, "cannot read", e))?;
        let body = fs::read(path).map_err(|e| Error::io(path, "cannot read", e))?;
        let set = validate_set(body, &path.display().to_string())?;
        Ok(Followed {
            path: path.to_path_buf(),
            state: Mutex::new(FollowState {
                seen: Some(st),
                problem: None,
                good: Arc::new(set),
            }),
        })
    }

    fn lock(&self) -> MutexGuard<'_, FollowState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The set to serve now, re-reading the file when it changed.
    fn current(&self, log: &Logger) -> Arc<ServedSet> {
        let now = stamp(&self.path);
        let mut st = self.lock();
        match now {
            Ok(s) if st.seen.as_ref() == Some(&s) => {}
            Ok(s) => {
                st.seen = Some(s);
                let what = self.path.display().to_string();
                let loaded = fs::read(&self.path)
                    .map_err(|e| Error::io(&self.path, "cannot read", e))
                    .and_then(|b| validate_set(b, &what));
                match loaded {
                    Ok(set) => {
                        if set.etag != st.good.etag {
                            log(&format!(
                                "reloaded {what}: {} key(s), ETag {}",
                                set.keys, set.etag
                            ));
                        }
                        st.problem = None;
                        st.good = Arc::new(set);
                    }
                    Err(e) => {
                        let msg = e.to_string();
                        log(&format!(
                            "not reloading: {msg}; still serving the last good set (ETag {})",
                            st.good.etag
                        ));
                        st.problem = Some(msg);
                    }
                }
            }
            Err(e) => {
                let msg = format!("{}: cannot read: {e}", self.path.display());
                if st.problem.as_deref() != Some(msg.as_str()) {
                    log(&format!(
                        "{msg}; still serving the last good set (ETag {})",
                        st.good.etag
                    ));
                    st.problem = Some(msg);
                }
                st.seen = None;
            }
        }
        Arc::clone(&st.good)
    }
}

/// State shared by the accept loop and the connection threads.
struct Shared {
    opts: ServeOptions,
    file: Followed,
    stop: AtomicBool,
    active: AtomicUsize,
    next_id: AtomicU64,
    conns: Mutex<HashMap<u64, TcpStream>>,
}

impl Shared {
    fn conns(&self) -> MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A bound server, ready to [`Server::run`].
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    shared: Arc<Shared>,
}

/// Stops a running server from another thread (a signal handler, a test).
#[derive(Clone)]
pub struct ShutdownHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
}

impl ShutdownHandle {
    /// Ask the server to stop: no new connections; open ones are closed.
    pub fn shutdown(&self) {
        if self.shared.stop.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wake the accept loop with a connection to ourselves.
        let wake = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => {
                SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), self.addr.port())
            }
            IpAddr::V6(ip) if ip.is_unspecified() => {
                SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), self.addr.port())
            }
            _ => self.addr,
        };
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        for s in self.shared.conns().values() {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}

/// Whether every address is a loopback address.
pub fn all_loopback(addrs: &[SocketAddr]) -> bool {
    !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback())
}

impl Server {
    /// Load and validate the JWKS file, then bind the first usable address.
    pub fn bind(addrs: &[SocketAddr], jwks: &Path, opts: ServeOptions) -> Result<Server> {
        if !opts.path.starts_with('/') {
            return Err(Error::Usage(format!(
                "--path {:?}: must start with /",
                opts.path
            )));
        }
        let file = Followed::load(jwks)?;
        let listener = TcpListener::bind(addrs).map_err(|e| {
            let list: Vec<String> = addrs.iter().map(ToString::to_string).collect();
            Error::Usage(format!("cannot listen on {}: {e}", list.join(", ")))
        })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::Usage(format!("cannot read the bound address: {e}")))?;
        Ok(Server {
            listener,
            addr,
            shared: Arc::new(Shared {
                opts,
                file,
                stop: AtomicBool::new(false),
                active: AtomicUsize::new(0),
                next_id: AtomicU64::new(0),
                conns: Mutex::new(HashMap::new()),
            }),
        })
    }

    /// The address actually bound (with the real port when 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of the JWKS.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.shared.opts.path)
    }

    /// Number of keys in the set being served.
    pub fn key_count(&self) -> usize {
        self.shared.file.lock().good.keys
    }

    /// A handle to stop the server.
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            shared: Arc::clone(&self.shared),
            addr: self.addr,
        }
    }

    /// Accept connections until shut down, one thread per connection up to
    /// `max_connections`.
    pub fn run(self) -> Result<()> {
        let shared = self.shared;
        for conn in self.listener.incoming() {
            if shared.stop.load(Ordering::SeqCst) {
                break;
            }
            let stream = match conn {
                Ok(s) => s,
                Err(e) => {
                    // Out of file descriptors and the like: say so, back off.
                    (shared.opts.log)(&format!("accept failed: {e}"));
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
            };
            let peer = stream
                .peer_addr()
                .map_or_else(|_| "?".to_string(), |a| a.to_string());
            if shared.active.fetch_add(1, Ordering::SeqCst) >= shared.opts.max_connections {
                shared.active.fetch_sub(1, Ordering::SeqCst);
                busy(stream, &peer, &shared);
                continue;
            }
            let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
            if let Ok(c) = stream.try_clone() {
                shared.conns().insert(id, c);
            }
            let sh = Arc::clone(&shared);
            let spawned = std::thread::Builder::new()
                .name("uvtool-conn".into())
                .stack_size(256 * 1024)
                .spawn(move || {
                    connection(stream, &peer, &sh);
                    sh.conns().remove(&id);
                    sh.active.fetch_sub(1, Ordering::SeqCst);
                });
            if let Err(e) = spawned {
                shared.conns().remove(&id);
                shared.active.fetch_sub(1, Ordering::SeqCst);
                (shared.opts.log)(&format!("cannot start a connection thread: {e}"));
            }
        }
        // Give open connections a moment to finish after being shut down.
        let deadline = Instant::now() + Duration::from_secs(2);
        while shared.active.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }
}

/// Too many connections: a short 503 and close.
fn busy(mut stream: TcpStream, peer: &str, shared: &Shared) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let resp = Response::text(503, "Service Unavailable", "too many connections; retry\n")
        .header("Retry-After", "1".into());
    let _ = stream.write_all(&resp.bytes(false, false));
    if shared.opts.log_requests {
        (shared.opts.log)(&format!("{peer} - 503 too many connections"));
    }
}

/// What reading a request head ended with.
enum Head {
    /// A complete head of this many bytes at the start of the buffer.
    Complete(usize),
    /// The peer closed (or went idle) between requests.
    Closed,
    /// Too slow: the head did not arrive in time.
    Timeout,
    /// Bigger than [`MAX_HEAD`].
    TooLarge,
    /// Not HTTP/1.x.
    Malformed(String),
    /// Closed or failed in the middle of a head.
    Broken,
}

fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>, opts: &ServeOptions) -> Head {
    let mut started: Option<Instant> = None;
    let mut chunk = [0u8; 4096];
    loop {
        if !buf.is_empty() {
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut req = httparse::Request::new(&mut headers);
            match req.parse(buf) {
                Ok(httparse::Status::Complete(n)) => return Head::Complete(n),
                Ok(httparse::Status::Partial) => {}
                Err(httparse::Error::TooManyHeaders) => return Head::TooLarge,
                Err(e) => return Head::Malformed(e.to_string()),
            }
            if buf.len() >= MAX_HEAD {
                return Head::TooLarge;
            }
        }
        let wait = if buf.is_empty() {
            opts.idle
        } else {
            let t0 = *started.get_or_insert_with(Instant::now);
            match opts.timeout.checked_sub(t0.elapsed()) {
                Some(d) if !d.is_zero() => d,
                _ => return Head::Timeout,
            }
        };
        if stream.set_read_timeout(Some(wait)).is_err() {
            return Head::Broken;
        }
        match stream.read(&mut chunk) {
            Ok(0) => {
                return if buf.is_empty() {
                    Head::Closed
                } else {
                    Head::Broken
                }
            }
            Ok(n) => {
                if buf.is_empty() {
                    started = Some(Instant::now());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return if buf.is_empty() {
                    Head::Closed
                } else {
                    Head::Timeout
                }
            }
            Err(_) => return Head::Broken,
        }
    }
}

/// Serve one connection: requests until close, error or timeout.
fn connection(mut stream: TcpStream, peer: &str, shared: &Shared) {
    let opts = &shared.opts;
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(opts.timeout));
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let started = Instant::now();
        let n = match read_head(&mut stream, &mut buf, opts) {
            Head::Complete(n) => n,
            Head::Closed | Head::Broken => return,
            Head::Timeout => {
                let r = Response::text(
                    408,
                    "Request Timeout",
                    "request head not received in time\n",
                );
                finish(&mut stream, peer, "-", r, false, false, started, opts);
                return;
            }
            Head::TooLarge => {
                let r = Response::text(
                    431,
                    "Request Header Fields Too Large",
                    "request head too large\n",
                );
                finish(&mut stream, peer, "-", r, false, false, started, opts);
                return;
            }
            Head::Malformed(why) => {
                let r = Response::text(400, "Bad Request", &format!("malformed request: {why}\n"));
                let line = format!("- (malformed: {why})");
                finish(&mut stream, peer, &line, r, false, false, started, opts);
                return;
            }
        };
        let (resp, line, head_only, keep) = {
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut req = httparse::Request::new(&mut headers);
            match req.parse(&buf[..n]) {
                Ok(httparse::Status::Complete(_)) => respond(&req, shared),
                _ => return,
            }
        };
        buf.drain(..n);
        let ok = finish(
            &mut stream,
            peer,
            &line,
            resp,
            head_only,
            keep,
            started,
            opts,
        );
        if !ok || !keep {
            return;
        }
    }
}

/// Write the response and log it; returns false when the write failed.
#[allow(clippy::too_many_arguments)]
fn finish(
    stream: &mut TcpStream,
    peer: &str,
    line: &str,
    resp: Response,
    head_only: bool,
    keep: bool,
    started: Instant,
    opts: &ServeOptions,
) -> bool {
    let bytes = resp.bytes(head_only, keep);
    let ok = stream.write_all(&bytes).is_ok();
    let size = if head_only { 0 } else { resp.body.len() };
    if opts.log_requests {
        (opts.log)(&format!(
            "{peer} \"{line}\" {} {size} {:.1}ms{}",
            resp.status,
            started.elapsed().as_secs_f64() * 1000.0,
            if ok { "" } else { " (write failed)" }
        ));
    }
    if !keep {
        let _ = stream.flush();
        let _ = stream.shutdown(Shutdown::Write);
        // Drain briefly so the peer sees our response rather than a reset.
        let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
        let mut sink = [0u8; 1024];
        let t0 = Instant::now();
        while t0.elapsed() < Duration::from_millis(200) {
            match stream.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(_) => {}
            }
        }
    }
    ok
}

/// A response to write.
struct Response {
    status: u16,
    reason: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn text(status: u16, reason: &'static str, body: &str) -> Response {
        Response {
            status,
            reason,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    fn header(mut self, name: &'static str, value: String) -> Response {
        self.headers.push((name, value));
        self
    }

    /// Serialise; `head_only` leaves the body out, `keep` says whether the
    /// connection stays open.
    fn bytes(&self, head_only: bool, keep: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(256 + self.body.len());
        let _ = write!(out, "HTTP/1.1 {} {}\r\n", self.status, self.reason);
        let _ = write!(out, "Date: {}\r\n", http_date(SystemTime::now()));
        out.extend_from_slice(b"Server: uvtool\r\n");
        for (k, v) in &self.headers {
            let _ = write!(out, "{k}: {v}\r\n");
        }
        if self.status != 304 {
            let _ = write!(out, "Content-Length: {}\r\n", self.body.len());
        }
        if !keep {
            out.extend_from_slice(b"Connection: close\r\n");
        }
        out.extend_from_slice(b"\r\n");
        if !head_only && self.status != 304 {
            out.extend_from_slice(&self.body);
        }
        out
    }
}

/// Decide the response to a parsed request: (response, log line, HEAD?, keep-alive?).
fn respond(req: &httparse::Request<'_, '_>, shared: &Shared) -> (Response, String, bool, bool) {
    let (mut r, line, head_only, keep) = route(req, shared);
    // HTTP/1.0 clients keep a connection only when told so.
    if keep && req.version == Some(0) {
        r.headers.push(("Connection", "keep-alive".into()));
    }
    (r, line, head_only, keep)
}

fn route(req: &httparse::Request<'_, '_>, shared: &Shared) -> (Response, String, bool, bool) {
    let method = req.method.unwrap_or("");
    let target = req.path.unwrap_or("");
    let version = req.version.unwrap_or(0);
    let line = format!("{} {} HTTP/1.{version}", clip(method), clip(target));
    let bad = |why: &str| {
        (
            Response::text(400, "Bad Request", &format!("malformed request: {why}\n")),
            format!("{line} (malformed: {why})"),
            false,
            false,
        )
    };

    let mut hosts = 0;
    let mut content_length: Option<u64> = None;
    let mut chunked = false;
    let mut conn_close = false;
    let mut conn_keep = false;
    let mut if_none_match: Vec<&[u8]> = Vec::new();
    for h in req.headers.iter() {
        let name = h.name;
        if name.eq_ignore_ascii_case("host") {
            hosts += 1;
        } else if name.eq_ignore_ascii_case("content-length") {
            let Some(n) = std::str::from_utf8(h.value)
                .ok()
                .and_then(|s| s.trim().parse::<u64>().ok())
            else {
                return bad("invalid Content-Length");
            };
            if content_length.is_some_and(|c| c != n) {
                return bad("conflicting Content-Length headers");
            }
            content_length = Some(n);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = true;
        } else if name.eq_ignore_ascii_case("connection") {
            let v = String::from_utf8_lossy(h.value).to_ascii_lowercase();
            for tok in v.split(',').map(str::trim) {
                conn_close |= tok == "close";
                conn_keep |= tok == "keep-alive";
            }
        } else if name.eq_ignore_ascii_case("if-none-match") {
            if_none_match.push(h.value);
        }
    }
    if version == 1 && hosts != 1 {
        return bad(if hosts == 0 {
            "HTTP/1.1 request without a Host header"
        } else {
            "more than one Host header"
        });
    }
    if chunked && content_length.is_some() {
        return bad("both Transfer-Encoding and Content-Length");
    }
    // Bodies are never read: a request with one ends the connection.
    let has_body = chunked || content_length.is_some_and(|n| n > 0);
    let keep = !has_body
        && !shared.stop.load(Ordering::SeqCst)
        && if version == 1 {
            !conn_close
        } else {
            conn_keep && !conn_close
        };

    let path = match target_path(target) {
        Some(p) => p,
        None => return bad("request target is not a path"),
    };
    let head_only = method == "HEAD";
    let opts = &shared.opts;
    if path != opts.path {
        let r = Response::text(
            404,
            "Not Found",
            &format!("not found; the JWKS is at {}\n", opts.path),
        );
        return (r, line, head_only, keep);
    }
    if method != "GET" && method != "HEAD" {
        let r = Response::text(405, "Method Not Allowed", "only GET and HEAD are allowed\n")
            .header("Allow", "GET, HEAD".into());
        return (r, line, false, keep);
    }
    let set = shared.file.current(&opts.log);
    let cache = format!("public, max-age={}", opts.max_age);
    if !if_none_match.is_empty() && etag_matches(&if_none_match, &set.etag) {
        let r = Response {
            status: 304,
            reason: "Not Modified",
            headers: vec![("ETag", set.etag.clone()), ("Cache-Control", cache)],
            body: Vec::new(),
        };
        return (r, line, head_only, keep);
    }
    let r = Response {
        status: 200,
        reason: "OK",
        headers: vec![
            ("Content-Type", "application/json".into()),
            ("Cache-Control", cache),
            ("ETag", set.etag.clone()),
            ("X-Content-Type-Options", "nosniff".into()),
        ],
        body: set.body.clone(),
    };
    (r, line, head_only, keep)
}

/// The path of a request target (origin form or absolute form), without
/// the query.
fn target_path(target: &str) -> Option<&str> {
    let rest = if target.starts_with('/') {
        target
    } else if let Some(after) = target
        .strip_prefix("http://")
        .or_else(|| target.strip_prefix("https://"))
    {
        after.find('/').map_or("/", |i| &after[i..])
    } else {
        return None;
    };
    Some(rest.split(['?', '#']).next().unwrap_or(rest))
}

/// Weak comparison of `If-None-Match` values against our tag (RFC 9110 §13.1.2).
fn etag_matches(values: &[&[u8]], etag: &str) -> bool {
    values.iter().any(|v| {
        String::from_utf8_lossy(v).split(',').any(|t| {
            let t = t.trim();
            t == "*" || t.strip_prefix("W/").unwrap_or(t) == etag
        })
    })
}

/// A printable, bounded rendering of a request field for the log.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(200).flat_map(char::escape_debug).collect();
    if s.chars().count() > 200 {
        out.push('…');
    }
    out
}

/// An IMF-fixdate, e.g. `Wed, 25 Nov 2026 12:00:00 GMT`.
fn http_date(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|d| d.format(&fmt).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(target_path("/a?b=c"), Some("/a"));
        assert_eq!(target_path("http://h:1/x/y?q"), Some("/x/y"));
        assert_eq!(target_path("http://h"), Some("/"));
        assert_eq!(target_path("*"), None);
    }

    #[test]
    fn etags() {
        let tag = "\"abc\"";
        assert!(etag_matches(&[b"\"abc\""], tag));
        assert!(etag_matches(&[b"W/\"abc\""], tag));
        assert!(etag_matches(&[b"\"x\", \"abc\""], tag));
        assert!(etag_matches(&[b"*"], tag));
        assert!(!etag_matches(&[b"\"abd\""], tag));
    }

    #[test]
    fn date_format() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
