//! A small HTTP/1.1 server on `std::net` with `httparse` for request heads,
//! and the JWKS endpoint behind `uvtool serve` built on it. The debugger
//! page of `uvtool ui` ([`crate::ui`]) is another [`Handler`] on the same core.
//!
//! The core: an accept loop with one thread per connection, at most
//! `max_connections` at once (others get 503), request heads of at most
//! 8 KiB that must arrive within `timeout`, request bodies read only up to
//! what the handler accepts for that request (`Content-Length` only),
//! idle keep-alive connections closed after `idle`, writes bounded by
//! `timeout`, and a [`ShutdownHandle`] that stops it all. The library never
//! prints: each request is reported through a log callback, as its method,
//! path (a query string shows as `?…`, never its text), status, size and
//! time; bodies are never logged.
//!
//! The JWKS endpoint ([`JwksHandler`]) serves one JWKS file at one path,
//! GET and HEAD only, with `Content-Type: application/json`,
//! `Cache-Control` and a strong `ETag` (304 on `If-None-Match`). It follows
//! the file: a changed file (atomic replace included) is re-read on the next
//! request, and an invalid one is logged and ignored while the last good
//! set keeps being served. Sets with private members are refused.

use std::collections::HashMap;
use std::fs;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use crate::jwk;
use crate::{b64, Error, ErrorKind, Result};

/// Largest JWKS file `serve` reads, at start and on every reload: what
/// uvtool's own fetcher (`verify --jwks-url`) accepts from a keyset
/// endpoint, so no set is published that a fetcher of ours would refuse.
pub const MAX_JWKS: u64 = crate::response::DEFAULT_MAX_BODY;

/// How [`MAX_JWKS`] is named in an error.
const MAX_JWKS_NAME: &str = "the limit for a served JWKS (serve::MAX_JWKS)";

/// Read the followed JWKS file under [`MAX_JWKS`].
fn read_jwks(path: &Path) -> Result<Vec<u8>> {
    crate::io::read_file_capped(path, MAX_JWKS, MAX_JWKS_NAME)
}

/// Largest answer body the core writes (a served JWKS is at most
/// [`MAX_JWKS`]); a handler's bigger answer is replaced by a 500 naming it.
pub const MAX_ANSWER: usize = 2 * 1024 * 1024;
/// One client address may hold at most 1/`CLIENT_SHARE` of the connection
/// slots (32 of the default 256); more from it are answered 503 and closed.
pub const CLIENT_SHARE: usize = 8;
/// File descriptors a connection holds: its stream and the clone kept to
/// shut it down.
const FDS_PER_CONNECTION: usize = 2;
/// File descriptors kept for everything but connections (the listener,
/// stdio, the JWKS file being re-read, ...).
const FD_RESERVE: usize = 16;
/// Connections shed and accept errors are logged as one summary at most
/// this often, never one line per attempt.
const SHED_SUMMARY_EVERY: Duration = Duration::from_secs(10);

/// Largest request head accepted (request line plus headers).
pub const MAX_HEAD: usize = 8 * 1024;
/// Most headers accepted in one request.
const MAX_HEADERS: usize = 64;

/// A log sink: one call per line.
pub type Logger = Arc<dyn Fn(&str) + Send + Sync>;

/// How the server core behaves (any handler).
#[derive(Clone)]
pub struct ServeOptions {
    /// Time allowed to receive a whole request head (and body), and to
    /// write a response.
    pub timeout: Duration,
    /// Time an idle keep-alive connection is kept open.
    pub idle: Duration,
    /// Connections handled at once; more are answered 503 and closed.
    pub max_connections: usize,
    /// Where log lines go: reloads, problems and (with `log_requests`) one
    /// line per request.
    pub log: Logger,
    /// Log one line per request (503s are summed up, see [`Server::run`]).
    pub log_requests: bool,
    /// Log request paths; when false (the debugger page, where a path may
    /// be a pasted token) every path but `/` is logged as `/…`.
    pub log_paths: bool,
}

impl std::fmt::Debug for ServeOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeOptions")
            .field("timeout", &self.timeout)
            .field("idle", &self.idle)
            .field("max_connections", &self.max_connections)
            .field("log_requests", &self.log_requests)
            .field("log_paths", &self.log_paths)
            .finish_non_exhaustive()
    }
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            timeout: Duration::from_secs(10),
            idle: Duration::from_secs(5),
            max_connections: 256,
            log: Arc::new(|_| {}),
            log_requests: true,
            log_paths: true,
        }
    }
}

/// What the JWKS endpoint serves, and how.
#[derive(Debug, Clone)]
pub struct JwksOptions {
    /// The path the JWKS is served at, e.g. `/.well-known/jwks.json`.
    pub path: String,
    /// `Cache-Control: public, max-age=N`.
    pub max_age: u64,
}

impl Default for JwksOptions {
    fn default() -> Self {
        JwksOptions {
            path: "/.well-known/jwks.json".into(),
            max_age: 60,
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
    // Served sets are held to more than a verifier's reading: placeholders
    // (K10) pass, but real private members, duplicate kids, malformed RSA
    // keys and an x5c of another key are refused before they are published.
    jwk::check_set(&keys, what)?;
    for (i, obj) in keys.iter().enumerate() {
        let name = format!("{what}: keys[{i}]");
        match jwk::parse_rsa(obj, &name) {
            Ok(j) => jwk::check_x5c(obj, &j.public, &name)?,
            Err(jwk::JwkProblem::OtherKty(_)) => {}
            Err(jwk::JwkProblem::Bad(e)) => return Err(e),
        }
    }
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
    /// Held only to compare stamps and swap sets, never while reading.
    state: Mutex<FollowState>,
    /// Held by the one request that re-reads a changed file; the others
    /// keep being answered with the last good set meanwhile.
    reloading: Mutex<()>,
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
        let body = read_jwks(path)?;
        let set = validate_set(body, &path.display().to_string())?;
        Ok(Followed {
            path: path.to_path_buf(),
            state: Mutex::new(FollowState {
                seen: Some(st),
                problem: None,
                good: Arc::new(set),
            }),
            reloading: Mutex::new(()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, FollowState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The set to serve now, re-reading the file when it changed. The file
    /// is read (under [`MAX_JWKS`]) and validated outside the lock that
    /// answers requests, by one request at a time; the others are answered
    /// with the last good set meanwhile.
    fn current(&self, log: &Logger) -> Arc<ServedSet> {
        let now = stamp(&self.path);
        {
            let st = self.lock();
            if matches!(&now, Ok(s) if st.seen.as_ref() == Some(s)) {
                return Arc::clone(&st.good);
            }
        }
        let _reload = match self.reloading.try_lock() {
            Ok(g) => g,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Arc::clone(&self.lock().good),
        };
        match now {
            Ok(s) => {
                if self.lock().seen.as_ref() == Some(&s) {
                    // Another request reloaded this version meanwhile.
                    return Arc::clone(&self.lock().good);
                }
                let what = self.path.display().to_string();
                let loaded = read_jwks(&self.path).and_then(|b| validate_set(b, &what));
                let mut st = self.lock();
                st.seen = Some(s);
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
                Arc::clone(&st.good)
            }
            Err(e) => {
                let mut st = self.lock();
                let msg = format!("{}: cannot read: {e}", self.path.display());
                if st.problem.as_deref() != Some(msg.as_str()) {
                    log(&format!(
                        "{msg}; still serving the last good set (ETag {})",
                        st.good.etag
                    ));
                    st.problem = Some(msg);
                }
                st.seen = None;
                Arc::clone(&st.good)
            }
        }
    }
}

/// A request as a [`Handler`] sees it.
#[derive(Debug)]
pub struct Request<'a> {
    pub method: &'a str,
    /// The request target as sent (may hold a query).
    pub target: &'a str,
    /// The target's path, without query or fragment.
    pub path: &'a str,
    /// `0` for HTTP/1.0, `1` for HTTP/1.1.
    pub version: u8,
    /// Header names and values, in order.
    pub headers: Vec<(&'a str, &'a [u8])>,
    pub body: Body,
}

impl<'a> Request<'a> {
    /// The values of the headers with this name (case-insensitive), as text.
    pub fn header_values(&self, name: &str) -> Vec<&'a str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| std::str::from_utf8(v).unwrap_or("\u{fffd}"))
            .collect()
    }

    /// The value of the one header with this name; `Err` when it appears
    /// more than once.
    #[allow(clippy::result_unit_err)]
    pub fn header(&self, name: &str) -> std::result::Result<Option<&'a str>, ()> {
        match self.header_values(name).as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            _ => Err(()),
        }
    }
}

/// A request's body, as far as the core read it.
#[derive(Debug, PartialEq, Eq)]
pub enum Body {
    /// No body (no `Content-Length`, or 0).
    Empty,
    /// The body, read whole: it was within what the handler accepts.
    Bytes(Vec<u8>),
    /// A body of this many bytes, more than the handler accepts; unread
    /// (the connection is closed after the response).
    TooLarge(u64),
    /// `Transfer-Encoding` (chunked): unread; the connection is closed.
    Chunked,
}

/// A response to write.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body of the given type.
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    /// A plain-text response.
    pub fn text(status: u16, body: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            body.as_bytes().to_vec(),
        )
    }

    /// A JSON response (pretty-printed, with a final newline).
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        let mut body = serde_json::to_vec_pretty(value).unwrap_or_default();
        body.push(b'\n');
        Response::new(status, "application/json", body)
    }

    /// Add a header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    /// Serialise; `head_only` leaves the body out, `keep` says whether the
    /// connection stays open.
    fn bytes(&self, head_only: bool, keep: bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(256 + self.body.len());
        let _ = write!(
            out,
            "HTTP/1.1 {} {}\r\n",
            self.status,
            reason_phrase(self.status)
        );
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

/// The reason phrase of the statuses uvtool answers with.
fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// What a server serves: the routing and answers on top of the core.
pub trait Handler: Send + Sync {
    /// The largest body the core reads for a request with this method and
    /// path; a bigger one reaches [`Handler::handle`] as [`Body::TooLarge`]
    /// unread. The default, 0, reads no body.
    fn max_body(&self, _method: &str, _path: &str) -> usize {
        0
    }

    /// The response to a request.
    fn handle(&self, req: &Request<'_>) -> Response;
}

/// Bookkeeping shared by the accept loop, the connection threads and the
/// shutdown handle.
struct Control {
    stop: AtomicBool,
    active: AtomicUsize,
    next_id: AtomicU64,
    conns: Mutex<HashMap<u64, TcpStream>>,
    /// Open connections per client address.
    per_client: Mutex<HashMap<IpAddr, usize>>,
}

impl Control {
    fn conns(&self) -> MutexGuard<'_, HashMap<u64, TcpStream>> {
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn per_client(&self) -> MutexGuard<'_, HashMap<IpAddr, usize>> {
        self.per_client.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Take a slot for `ip`: false when all `slots` are taken or `ip`
    /// holds its `share`.
    fn admit(&self, ip: IpAddr, slots: usize, share: usize) -> bool {
        let mut m = self.per_client();
        let mine = m.get(&ip).copied().unwrap_or(0);
        if mine >= share || self.active.load(Ordering::SeqCst) >= slots {
            return false;
        }
        self.active.fetch_add(1, Ordering::SeqCst);
        m.insert(ip, mine + 1);
        true
    }

    fn release(&self, ip: IpAddr) {
        let mut m = self.per_client();
        if let Some(n) = m.get_mut(&ip) {
            *n -= 1;
            if *n == 0 {
                m.remove(&ip);
            }
        }
        self.active.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The connections the process's file-descriptor limit allows
/// (`ulimit -n`), with [`FD_RESERVE`] kept; `usize::MAX` when unknown.
fn fd_budget() -> usize {
    #[cfg(unix)]
    {
        use nix::sys::resource::{getrlimit, Resource};
        if let Ok((soft, _)) = getrlimit(Resource::RLIMIT_NOFILE) {
            let soft = usize::try_from(soft).unwrap_or(usize::MAX);
            return soft.saturating_sub(FD_RESERVE) / FDS_PER_CONNECTION;
        }
    }
    usize::MAX
}

/// Connections shed and accept errors since the last summary.
struct Shed {
    since: Instant,
    busy: u64,
    over_share: u64,
    busiest: Option<(IpAddr, u64)>,
    per_ip: HashMap<IpAddr, u64>,
    accept_errors: u64,
    last_error: String,
}

impl Shed {
    fn new() -> Shed {
        Shed {
            since: Instant::now(),
            busy: 0,
            over_share: 0,
            busiest: None,
            per_ip: HashMap::new(),
            accept_errors: 0,
            last_error: String::new(),
        }
    }

    fn count(&mut self, ip: IpAddr, over_share: bool) {
        if over_share {
            self.over_share += 1;
        } else {
            self.busy += 1;
        }
        // Bounded: addresses beyond 1,024 in one period are only counted.
        if self.per_ip.len() < 1024 || self.per_ip.contains_key(&ip) {
            let n = self.per_ip.entry(ip).or_insert(0);
            *n += 1;
            if self.busiest.is_none_or(|(_, b)| *n > b) {
                self.busiest = Some((ip, *n));
            }
        }
    }

    /// The summary line when one is due (and something happened).
    fn summary(&mut self) -> Option<String> {
        if self.since.elapsed() < SHED_SUMMARY_EVERY
            || self.busy + self.over_share + self.accept_errors == 0
        {
            return None;
        }
        let mut parts = Vec::new();
        if self.busy + self.over_share > 0 {
            let mut p = format!(
                "answered 503 to {} connection(s) ({} over an address's share, {} with every slot taken)",
                self.busy + self.over_share,
                self.over_share,
                self.busy
            );
            if let Some((ip, n)) = self.busiest {
                p.push_str(&format!("; most from {ip}: {n}"));
            }
            parts.push(p);
        }
        if self.accept_errors > 0 {
            parts.push(format!(
                "accept failed {} time(s) (last: {})",
                self.accept_errors, self.last_error
            ));
        }
        let line = format!(
            "in the last {} s: {}",
            self.since.elapsed().as_secs(),
            parts.join("; ")
        );
        *self = Shed::new();
        Some(line)
    }
}

/// What every connection thread needs.
struct Shared {
    opts: ServeOptions,
    handler: Arc<dyn Handler>,
    control: Arc<Control>,
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
    control: Arc<Control>,
    addr: SocketAddr,
}

impl ShutdownHandle {
    /// Ask the server to stop: no new connections; open ones are closed.
    pub fn shutdown(&self) {
        if self.control.stop.swap(true, Ordering::SeqCst) {
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
        for s in self.control.conns().values() {
            let _ = s.shutdown(Shutdown::Both);
        }
    }
}

/// Whether every address is a loopback address.
pub fn all_loopback(addrs: &[SocketAddr]) -> bool {
    !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback())
}

/// Bind the first usable address; returns the listener and the address
/// actually bound (with the real port when 0 was asked).
pub fn listen(addrs: &[SocketAddr]) -> Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind(addrs).map_err(|e| {
        let list: Vec<String> = addrs.iter().map(ToString::to_string).collect();
        Error::from(ErrorKind::Listen {
            addrs: list.join(", "),
            source: e,
        })
    })?;
    let addr = listener.local_addr().map_err(ErrorKind::LocalAddr)?;
    Ok((listener, addr))
}

impl Server {
    /// A server answering with `handler` on a bound listener (see [`listen`]).
    pub fn new(
        listener: TcpListener,
        handler: Arc<dyn Handler>,
        opts: ServeOptions,
    ) -> Result<Server> {
        let addr = listener.local_addr().map_err(ErrorKind::LocalAddr)?;
        Ok(Server {
            listener,
            addr,
            shared: Arc::new(Shared {
                opts,
                handler,
                control: Arc::new(Control {
                    stop: AtomicBool::new(false),
                    active: AtomicUsize::new(0),
                    next_id: AtomicU64::new(0),
                    conns: Mutex::new(HashMap::new()),
                    per_client: Mutex::new(HashMap::new()),
                }),
            }),
        })
    }

    /// The address actually bound (with the real port when 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// A handle to stop the server.
    pub fn shutdown_handle(&self) -> ShutdownHandle {
        ShutdownHandle {
            control: Arc::clone(&self.shared.control),
            addr: self.addr,
        }
    }

    /// Accept connections until shut down, one thread per connection up to
    /// `max_connections` (fewer when the file-descriptor limit allows
    /// fewer), each client address holding at most 1/[`CLIENT_SHARE`] of
    /// them. Connections over either bound are answered 503 and closed; they
    /// and accept errors are logged as one summary every
    /// [`SHED_SUMMARY_EVERY`], never a line per attempt.
    pub fn run(self) -> Result<()> {
        let shared = self.shared;
        let control = Arc::clone(&shared.control);
        let slots = shared.opts.max_connections.min(fd_budget()).max(1);
        let share = (slots / CLIENT_SHARE).max(1);
        let mut shed = Shed::new();
        for conn in self.listener.incoming() {
            if control.stop.load(Ordering::SeqCst) {
                break;
            }
            if let Some(line) = shed.summary() {
                (shared.opts.log)(&line);
            }
            let stream = match conn {
                Ok(s) => s,
                Err(e) => {
                    // Out of file descriptors and the like: count, back off.
                    shed.accept_errors += 1;
                    shed.last_error = e.to_string();
                    std::thread::sleep(Duration::from_millis(50));
                    continue;
                }
            };
            let Ok(peer_addr) = stream.peer_addr() else {
                continue;
            };
            let ip = peer_addr.ip();
            let peer = peer_addr.to_string();
            if !control.admit(ip, slots, share) {
                let over_share = control.per_client().get(&ip).copied().unwrap_or(0) >= share;
                shed.count(ip, over_share);
                busy(stream);
                continue;
            }
            let id = control.next_id.fetch_add(1, Ordering::Relaxed);
            if let Ok(c) = stream.try_clone() {
                control.conns().insert(id, c);
            }
            let sh = Arc::clone(&shared);
            let spawned = std::thread::Builder::new()
                .name("uvtool-conn".into())
                .stack_size(256 * 1024)
                .spawn(move || {
                    connection(stream, &peer, &sh);
                    sh.control.conns().remove(&id);
                    sh.control.release(ip);
                });
            if let Err(e) = spawned {
                control.conns().remove(&id);
                control.release(ip);
                (shared.opts.log)(&format!("cannot start a connection thread: {e}"));
            }
        }
        // Give open connections a moment to finish after being shut down.
        let deadline = Instant::now() + Duration::from_secs(2);
        while control.active.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(())
    }
}

/// Too many connections: a short 503 and close.
/// (Logged in the summary, not here.) The answer fits a fresh socket's
/// send buffer; the write is still bounded, and the stream then closed.
fn busy(mut stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let resp = Response::text(503, "too many connections; retry\n").header("Retry-After", "1");
    let _ = stream.write(&resp.bytes(false, false));
}

/// Write all of `bytes` by `deadline`: the time-out bounds the whole
/// answer, not each `send()`, so a client reading a little at a time
/// cannot hold a connection for ever.
fn write_within(stream: &mut TcpStream, bytes: &[u8], deadline: Instant) -> bool {
    let mut rest = bytes;
    while !rest.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_write_timeout(Some(left)).is_err() {
            return false;
        }
        match stream.write(rest) {
            Ok(0) => return false,
            Ok(n) => rest = &rest[n..],
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    true
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

/// Read until `buf` holds `want` bytes, within `deadline`; false when the
/// peer closed or was too slow.
fn read_body(stream: &mut TcpStream, buf: &mut Vec<u8>, want: usize, deadline: Instant) -> bool {
    let mut chunk = [0u8; 8192];
    while buf.len() < want {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return false;
        }
        let room = (want - buf.len()).min(chunk.len());
        match stream.read(&mut chunk[..room]) {
            Ok(0) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
    true
}

/// Serve one connection: requests until close, error or timeout.
fn connection(mut stream: TcpStream, peer: &str, shared: &Shared) {
    let opts = &shared.opts;
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(opts.timeout));
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    loop {
        if shared.control.stop.load(Ordering::SeqCst) {
            return;
        }
        let started = Instant::now();
        let n = match read_head(&mut stream, &mut buf, opts) {
            Head::Complete(n) => n,
            Head::Closed | Head::Broken => return,
            Head::Timeout => {
                let r = Response::text(408, "request head not received in time\n");
                finish(&mut stream, peer, "-", r, false, false, started, opts);
                return;
            }
            Head::TooLarge => {
                let r = Response::text(431, "request head too large\n");
                finish(&mut stream, peer, "-", r, false, false, started, opts);
                return;
            }
            Head::Malformed(why) => {
                let r = Response::text(400, &format!("malformed request: {why}\n"));
                let line = format!("- (malformed: {why})");
                finish(&mut stream, peer, &line, r, false, false, started, opts);
                return;
            }
        };
        // The head is parsed from its own copy, so the body can be read
        // into `buf` meanwhile.
        let head = buf[..n].to_vec();
        buf.drain(..n);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        if !matches!(req.parse(&head), Ok(httparse::Status::Complete(_))) {
            return;
        }
        let Outcome {
            resp,
            line,
            head_only,
            keep,
            consumed,
        } = respond(&req, &mut stream, &mut buf, started, shared);
        buf.drain(..consumed.min(buf.len()));
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
    let resp = if resp.body.len() > MAX_ANSWER {
        Response::text(
            500,
            &format!(
                "the answer would be larger than {} (serve::MAX_ANSWER)\n",
                crate::io::size_name(MAX_ANSWER as u64)
            ),
        )
    } else {
        resp
    };
    let bytes = resp.bytes(head_only, keep);
    let ok = write_within(stream, &bytes, Instant::now() + opts.timeout);
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

/// What answering one request came to.
struct Outcome {
    resp: Response,
    /// The request as logged: method, path (query hidden), version.
    line: String,
    head_only: bool,
    keep: bool,
    /// Bytes of `buf` that were this request's body.
    consumed: usize,
}

/// Check the head, read the body the handler accepts, and ask the handler.
fn respond(
    req: &httparse::Request<'_, '_>,
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    started: Instant,
    shared: &Shared,
) -> Outcome {
    let method = req.method.unwrap_or("");
    let target = req.path.unwrap_or("");
    let version = req.version.unwrap_or(0);
    // Without `log_paths` a path is logged only once the handler answered
    // it as one of its own (not 404, nor a 403 given before any routing,
    // such as a foreign Host): `GET /<token>` shows as `/…`.
    let line_of = |shown: &str| format!("{} {} HTTP/1.{version}", clip(method), clip(shown));
    let line = if shared.opts.log_paths {
        line_of(&log_target(target))
    } else {
        line_of("/…")
    };
    let bad = |why: &str| Outcome {
        resp: Response::text(400, &format!("malformed request: {why}\n")),
        line: format!("{line} (malformed: {why})"),
        head_only: false,
        keep: false,
        consumed: 0,
    };

    let mut hosts = 0;
    let mut content_length: Option<u64> = None;
    let mut chunked = false;
    let mut conn_close = false;
    let mut conn_keep = false;
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
    let Some(path) = target_path(target) else {
        return bad("request target is not a path");
    };

    // The body: read when the handler accepts its size, else left unread
    // and the connection ends after the response.
    let limit = shared.handler.max_body(method, path) as u64;
    let (body, consumed, body_read) = match (chunked, content_length) {
        (true, _) => (Body::Chunked, 0, false),
        (false, None | Some(0)) => (Body::Empty, 0, true),
        (false, Some(n)) if n > limit => (Body::TooLarge(n), 0, false),
        (false, Some(n)) => {
            let n = n as usize;
            if !read_body(stream, buf, n, started + shared.opts.timeout) {
                let r = Response::text(408, "request body not received in time\n");
                return Outcome {
                    resp: r,
                    line,
                    head_only: false,
                    keep: false,
                    consumed: 0,
                };
            }
            (Body::Bytes(buf[..n].to_vec()), n, true)
        }
    };
    let keep = body_read
        && !shared.control.stop.load(Ordering::SeqCst)
        && if version == 1 {
            !conn_close
        } else {
            conn_keep && !conn_close
        };
    let request = Request {
        method,
        target,
        path,
        version,
        headers: req.headers.iter().map(|h| (h.name, h.value)).collect(),
        body,
    };
    let mut resp = shared.handler.handle(&request);
    let line = if !shared.opts.log_paths && resp.status != 404 && resp.status != 403 {
        line_of(&log_target(target))
    } else {
        line
    };
    // HTTP/1.0 clients keep a connection only when told so.
    if keep && version == 0 {
        resp.headers.push(("Connection", "keep-alive".into()));
    }
    Outcome {
        resp,
        line,
        head_only: method == "HEAD",
        keep,
        consumed,
    }
}

/// A request target as logged: a query string (which may carry secrets)
/// shows as `?…`, never its text.
fn log_target(target: &str) -> String {
    match target.split_once(['?', '#']) {
        Some((path, _)) => format!("{path}?…"),
        None => target.to_string(),
    }
}

/// The JWKS endpoint of `uvtool serve`: one file at one path.
pub struct JwksHandler {
    opts: JwksOptions,
    file: Followed,
    log: Logger,
}

impl JwksHandler {
    /// Load and validate the JWKS file; `log` hears of reloads and problems.
    pub fn load(jwks: &Path, opts: JwksOptions, log: Logger) -> Result<JwksHandler> {
        if !opts.path.starts_with('/') {
            return Err(ErrorKind::UrlPath(opts.path.clone()).into());
        }
        Ok(JwksHandler {
            file: Followed::load(jwks)?,
            opts,
            log,
        })
    }

    /// Number of keys in the set being served.
    pub fn key_count(&self) -> usize {
        self.file.lock().good.keys
    }

    /// The path the JWKS is served at.
    pub fn path(&self) -> &str {
        &self.opts.path
    }
}

impl Handler for JwksHandler {
    fn handle(&self, req: &Request<'_>) -> Response {
        let opts = &self.opts;
        if req.path != opts.path {
            return Response::text(404, &format!("not found; the JWKS is at {}\n", opts.path));
        }
        if req.method != "GET" && req.method != "HEAD" {
            return Response::text(405, "only GET and HEAD are allowed\n")
                .header("Allow", "GET, HEAD");
        }
        let set = self.file.current(&self.log);
        let cache = format!("public, max-age={}", opts.max_age);
        let if_none_match: Vec<&[u8]> = req
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("if-none-match"))
            .map(|(_, v)| *v)
            .collect();
        if !if_none_match.is_empty() && etag_matches(&if_none_match, &set.etag) {
            return Response {
                status: 304,
                headers: vec![("ETag", set.etag.clone()), ("Cache-Control", cache)],
                body: Vec::new(),
            };
        }
        Response::new(200, "application/json", set.body.clone())
            .header("Cache-Control", cache)
            .header("ETag", set.etag.clone())
            .header("X-Content-Type-Options", "nosniff")
    }
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
        after.find('/').and_then(|i| after.get(i..)).unwrap_or("/")
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
