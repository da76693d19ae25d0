//! A small HTTP/1.1 server core on `std::net`, with `httparse` for request
//! heads: what `uvtool serve` and `uvtool ui` answer on. It knows nothing
//! of keys or tokens; a [`Handler`] routes and answers.
//!
//! Every cost a client can cause is bounded here:
//!
//! - **Connections**: one thread per connection, at most `max_connections`
//!   at once and fewer when the file-descriptor limit (`ulimit -n`) allows
//!   fewer; one client address holds at most 1/[`CLIENT_SHARE`] of them
//!   (a connection whose answer is written and which only waits to close
//!   gives its share to the address's next connection). Connections over
//!   either bound are answered 503 and closed.
//! - **Requests**: a head of at most [`MAX_HEAD`] that must arrive within
//!   `timeout`; a body read only up to what the handler accepts for that
//!   request (`Content-Length` only); idle keep-alive connections closed
//!   after `idle`.
//! - **Answers**: at most [`MAX_ANSWER`] bytes, bounded while they are
//!   built ([`Response::json`] stops at the cap), and written within
//!   `timeout` in all (not per `send()`).
//! - **The log**: the library never prints; each request is reported
//!   through a log callback as its method, path (a query string shows as
//!   `?…`, never its text), status, size and time; bodies are never
//!   logged. Shed connections and accept errors are summed up in one line
//!   every [`SHED_SUMMARY_EVERY`], never a line per attempt.
//!
//! A [`ShutdownHandle`] stops it all.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use crate::{Error, ErrorKind, Result};

/// Largest answer body the core writes (a JWKS `serve` publishes is at
/// most half of it); a handler's bigger answer is replaced by a 500 naming
/// it, and [`Response::json`] stops building one as soon as it would pass.
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
pub const SHED_SUMMARY_EVERY: Duration = Duration::from_secs(10);

/// The stack of a connection thread. A handler may parse JSON as deep as
/// serde_json's limit (128 levels) and walk it (the debugger page reads a
/// token's claims, judges them twice and writes them back): in a debug
/// build 256 KiB overflowed from 100 nested arrays, which ended the whole
/// process, and 512 KiB took the deepest token that can be read (126
/// arrays in 64 KiB). 2 MiB leaves four times that; only the pages touched
/// are committed.
const CONNECTION_STACK: usize = 2 * 1024 * 1024;

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
    /// write a response; at most [`crate::clock::MAX_TIMEOUT`] (a longer
    /// one is taken as that).
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

    /// A JSON response (with a final newline), built under [`MAX_ANSWER`]
    /// ([`json_body`]); a 500 naming the cap when even the compact form
    /// would pass it.
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        match json_body(value) {
            Ok(body) => Response::new(status, "application/json", body),
            Err(e) => Response::text(500, &format!("{e}\n")),
        }
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

/// An answer would pass [`MAX_ANSWER`]; its text names the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&too_large())
    }
}

impl std::error::Error for TooLarge {}

fn too_large() -> String {
    format!(
        "the answer would be larger than {} (http::MAX_ANSWER)",
        crate::io::size_name(MAX_ANSWER as u64)
    )
}

/// `value` as a JSON body with a final newline, never more than
/// [`MAX_ANSWER`] bytes, bounded while it is built: pretty-printed when
/// that fits, else compact (deep nesting makes the pretty form ~100 times
/// the compact one), else [`TooLarge`]. Serialising stops at the first
/// byte over the cap, so memory stays within it whatever the value.
pub fn json_body(value: &serde_json::Value) -> std::result::Result<Vec<u8>, TooLarge> {
    let mut w = Capped {
        buf: Vec::new(),
        cap: MAX_ANSWER - 1,
    };
    if serde_json::to_writer_pretty(&mut w, value).is_err() {
        w.buf.clear();
        serde_json::to_writer(&mut w, value).map_err(|_| TooLarge)?;
    }
    w.buf.push(b'\n');
    Ok(w.buf)
}

/// A buffer that refuses a write taking it past `cap` bytes.
struct Capped {
    buf: Vec<u8>,
    cap: usize,
}

impl Write for Capped {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if b.len() > self.cap - self.buf.len() {
            return Err(std::io::Error::other(TooLarge));
        }
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
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
    /// Connections open (each holds [`FDS_PER_CONNECTION`] descriptors and
    /// a thread), lingering ones included.
    active: AtomicUsize,
    next_id: AtomicU64,
    slots: Mutex<Slots>,
}

/// The open connections and each address's share of them.
struct Slots {
    conns: HashMap<u64, Conn>,
    /// Connections counted in each client address's share.
    per_client: HashMap<IpAddr, usize>,
}

/// An open connection.
struct Conn {
    /// A clone of its stream, to shut it down (none when cloning failed).
    stream: Option<TcpStream>,
    ip: IpAddr,
    /// Its last answer is written and the server's side half-closed: only
    /// the short drain before close ([`linger`]) is left.
    lingering: bool,
    /// Counted in its address's share; false once a newer connection from
    /// the same address took that share over.
    in_share: bool,
}

impl Control {
    fn slots(&self) -> MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Take a slot for a connection from `ip`, returning its id; `Err`
    /// when all `slots` are taken (`false`) or `ip` holds its `share`
    /// (`true`).
    ///
    /// An address at its share whose oldest connection only lingers (its
    /// answer written, the server's side closed) gets that connection's
    /// share: the lingering one is shut at once and leaves within moments,
    /// still counted in `active`, so the descriptor bound is never passed.
    /// A client that asks again the moment its answer ends is served even
    /// when the thread of its previous connection has not run yet: the
    /// share is handed over before the client can see the end of the
    /// answer ([`linger`] marks it first).
    fn admit(
        &self,
        ip: IpAddr,
        stream: &TcpStream,
        slots: usize,
        share: usize,
    ) -> std::result::Result<u64, bool> {
        let mut g = self.slots();
        let mine = g.per_client.get(&ip).copied().unwrap_or(0);
        if self.active.load(Ordering::SeqCst) >= slots {
            return Err(mine >= share);
        }
        if mine >= share {
            let oldest = g
                .conns
                .iter()
                .filter(|(_, c)| c.ip == ip && c.lingering && c.in_share)
                .map(|(id, _)| *id)
                .min();
            let Some(old) = oldest.and_then(|id| g.conns.get_mut(&id)) else {
                return Err(true);
            };
            old.in_share = false;
            if let Some(s) = &old.stream {
                let _ = s.shutdown(Shutdown::Both);
            }
        } else {
            g.per_client.insert(ip, mine + 1);
        }
        self.active.fetch_add(1, Ordering::SeqCst);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        g.conns.insert(
            id,
            Conn {
                stream: stream.try_clone().ok(),
                ip,
                lingering: false,
                in_share: true,
            },
        );
        Ok(id)
    }

    /// The connection's answer is written: only the drain before close is
    /// left (its share may be handed over, see [`Control::admit`]).
    fn lingering(&self, id: u64) {
        if let Some(c) = self.slots().conns.get_mut(&id) {
            c.lingering = true;
        }
    }

    /// The connection is closed: its slot (and its share, unless handed
    /// over) is free.
    fn release(&self, id: u64) {
        let mut g = self.slots();
        if let Some(c) = g.conns.remove(&id) {
            if c.in_share {
                if let Some(n) = g.per_client.get_mut(&c.ip) {
                    *n -= 1;
                    if *n == 0 {
                        g.per_client.remove(&c.ip);
                    }
                }
            }
            self.active.fetch_sub(1, Ordering::SeqCst);
        }
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
    no_thread: u64,
    thread_error: String,
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
            no_thread: 0,
            thread_error: String::new(),
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
        if self.since.elapsed() < SHED_SUMMARY_EVERY {
            return None;
        }
        self.summary_now()
    }

    /// The summary line of what happened since the last one, if anything.
    fn summary_now(&mut self) -> Option<String> {
        if self.busy + self.over_share + self.accept_errors + self.no_thread == 0 {
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
        if self.no_thread > 0 {
            parts.push(format!(
                "closed {} connection(s) unanswered: cannot start a thread (last: {})",
                self.no_thread, self.thread_error
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
        for c in self.control.slots().conns.values() {
            if let Some(s) = &c.stream {
                let _ = s.shutdown(Shutdown::Both);
            }
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
                    slots: Mutex::new(Slots {
                        conns: HashMap::new(),
                        per_client: HashMap::new(),
                    }),
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
        let mut shed = Shed::new();
        for conn in self.listener.incoming() {
            if control.stop.load(Ordering::SeqCst) {
                break;
            }
            // Read at each connection: a limit lowered while serving
            // (`prlimit --pid`) shrinks the slots and each address's share
            // at once, before accept() runs out of descriptors.
            let slots = shared.opts.max_connections.min(fd_budget()).max(1);
            let share = (slots / CLIENT_SHARE).max(1);
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
            let id = match control.admit(ip, &stream, slots, share) {
                Ok(id) => id,
                Err(over_share) => {
                    shed.count(ip, over_share);
                    busy(stream);
                    continue;
                }
            };
            let sh = Arc::clone(&shared);
            let spawned = std::thread::Builder::new()
                .name("uvtool-conn".into())
                .stack_size(CONNECTION_STACK)
                .spawn(move || {
                    let mut stream = stream;
                    if connection(&mut stream, &peer, &sh) {
                        linger(&mut stream, &sh.control, id);
                    }
                    sh.control.release(id);
                });
            if let Err(e) = spawned {
                control.release(id);
                // Out of memory or threads: counted in the summary like
                // an accept error, never a line per attempt.
                shed.no_thread += 1;
                shed.thread_error = e.to_string();
            }
        }
        if let Some(line) = shed.summary_now() {
            (shared.opts.log)(&line);
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

/// Serve one connection: requests until close, error or timeout. True
/// when the last answer closes the connection (the caller then [`linger`]s
/// before closing), false when the peer left or the connection broke.
fn connection(stream: &mut TcpStream, peer: &str, shared: &Shared) -> bool {
    let opts = &shared.opts;
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(opts.timeout));
    let mut buf: Vec<u8> = Vec::with_capacity(1024);
    loop {
        if shared.control.stop.load(Ordering::SeqCst) {
            return false;
        }
        let started = Instant::now();
        let n = match read_head(stream, &mut buf, opts) {
            Head::Complete(n) => n,
            Head::Closed | Head::Broken => return false,
            Head::Timeout => {
                let r = Response::text(408, "request head not received in time\n");
                finish(stream, peer, "-", r, false, false, started, opts);
                return true;
            }
            Head::TooLarge => {
                let r = Response::text(431, "request head too large\n");
                finish(stream, peer, "-", r, false, false, started, opts);
                return true;
            }
            Head::Malformed(why) => {
                let r = Response::text(400, &format!("malformed request: {why}\n"));
                let line = format!("- (malformed: {why})");
                finish(stream, peer, &line, r, false, false, started, opts);
                return true;
            }
        };
        // The head is parsed from its own copy, so the body can be read
        // into `buf` meanwhile.
        let head = buf[..n].to_vec();
        buf.drain(..n);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        if !matches!(req.parse(&head), Ok(httparse::Status::Complete(_))) {
            return false;
        }
        let Outcome {
            resp,
            line,
            head_only,
            keep,
            consumed,
        } = respond(&req, stream, &mut buf, started, shared);
        buf.drain(..consumed.min(buf.len()));
        let ok = finish(stream, peer, &line, resp, head_only, keep, started, opts);
        if !keep {
            return true;
        }
        if !ok {
            return false;
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
        Response::text(500, &format!("{}\n", too_large()))
    } else {
        resp
    };
    let bytes = resp.bytes(head_only, keep);
    let ok = write_within(
        stream,
        &bytes,
        crate::clock::deadline(Instant::now(), opts.timeout),
    );
    let size = if head_only { 0 } else { resp.body.len() };
    if opts.log_requests {
        (opts.log)(&format!(
            "{peer} \"{line}\" {} {size} {:.1}ms{}",
            resp.status,
            started.elapsed().as_secs_f64() * 1000.0,
            if ok { "" } else { " (write failed)" }
        ));
    }
    ok
}

/// Close after an answer that said so: half-close, then drain briefly so
/// the peer sees the answer rather than a reset. The connection is marked
/// lingering first, before the peer can see the end of the answer, so a
/// new connection from the same address may take its share over (and end
/// the drain: [`Control::admit`]).
fn linger(stream: &mut TcpStream, control: &Control, id: u64) {
    control.lingering(id);
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
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
            if !read_body(
                stream,
                buf,
                n,
                crate::clock::deadline(started, shared.opts.timeout),
            ) {
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
    fn answers_are_bounded_while_built() {
        use serde_json::{json, Value};
        let small = json!({"a": [1, 2]});
        assert_eq!(
            json_body(&small).unwrap(),
            b"{\n  \"a\": [\n    1,\n    2\n  ]\n}\n"
        );
        // 121 levels around 200,000 numbers: ~50 MB pretty-printed, 400 KB
        // compact. The compact form is given, never the pretty one built.
        let mut deep = Value::Array(vec![0.into(); 200_000]);
        for _ in 0..120 {
            deep = Value::Array(vec![deep]);
        }
        let body = json_body(&deep).unwrap();
        assert_eq!(body.len(), 400_000 - 1 + 2 * 121 + 1);
        assert_eq!(serde_json::from_slice::<Value>(&body).unwrap(), deep);
        // Too big even compact: refused, naming the cap.
        let huge = Value::String("x".repeat(MAX_ANSWER));
        assert_eq!(json_body(&huge), Err(TooLarge));
        let r = Response::json(200, &huge);
        assert_eq!(r.status, 500);
        assert_eq!(
            r.body,
            b"the answer would be larger than 2 MiB (http::MAX_ANSWER)\n"
        );
        // Exactly at the cap (with its newline) fits.
        let edge = Value::String("x".repeat(MAX_ANSWER - 3));
        assert_eq!(json_body(&edge).unwrap().len(), MAX_ANSWER);
        let over = Value::String("x".repeat(MAX_ANSWER - 2));
        assert_eq!(json_body(&over), Err(TooLarge));
    }

    /// An address at its share is refused, unless its oldest connection
    /// only lingers: that one's share passes to the new connection (and
    /// its socket is shut), while it still counts against the slots until
    /// it is released.
    #[test]
    fn a_lingering_connection_hands_its_share_over() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (served, _) = listener.accept().unwrap();
        let control = Control {
            stop: AtomicBool::new(false),
            active: AtomicUsize::new(0),
            next_id: AtomicU64::new(0),
            slots: Mutex::new(Slots {
                conns: HashMap::new(),
                per_client: HashMap::new(),
            }),
        };
        let ip: IpAddr = Ipv4Addr::LOCALHOST.into();
        let other: IpAddr = Ipv4Addr::new(127, 0, 0, 2).into();
        let first = control.admit(ip, &served, 3, 1).unwrap();
        assert_eq!(control.admit(ip, &served, 3, 1), Err(true));
        control.lingering(first);
        let second = control.admit(ip, &served, 3, 1).unwrap();
        // The first one's socket is shut: the peer reads its end.
        let mut c = client;
        assert_eq!(c.read(&mut [0u8; 8]).unwrap(), 0);
        // Still one share for the address, two slots taken.
        assert_eq!(control.admit(ip, &served, 3, 1), Err(true));
        assert_eq!(control.active.load(Ordering::SeqCst), 2);
        let third = control.admit(other, &served, 3, 1).unwrap();
        // Every slot taken: refused, whatever the share.
        assert_eq!(control.admit(other, &served, 3, 1), Err(true));
        assert_eq!(
            control.admit(Ipv4Addr::new(127, 0, 0, 3).into(), &served, 3, 1),
            Err(false)
        );
        control.release(first);
        assert_eq!(control.slots().per_client.get(&ip), Some(&1));
        control.release(second);
        control.release(third);
        assert!(control.slots().per_client.is_empty());
        assert!(control.slots().conns.is_empty());
        assert_eq!(control.active.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn date_format() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
    }
}
