//! The one stub HTTP server of the integration tests: canned or scripted
//! answers on 127.0.0.1, for `verify --jwks-url`, `check URL`, the corpus
//! and the JWKS fetcher. No traffic leaves the machine.
//!
//! [`serve`] accepts connections until the test process ends, each on its
//! own thread: it reads the request head (bounded in size and time), then
//! the handler writes whatever answer the test needs, well-formed or not.
//! [`serve_unread`] hands the connection over without reading (a server
//! that speaks first). The rest are the common answers built on them.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// A request as the stub read it.
pub struct Request {
    /// Its number, counting from 1 in the order connections arrived.
    pub n: usize,
    /// The request line and headers, up to the blank line.
    pub head: String,
}

impl Request {
    /// The request target (`/jwks.json`), or `/` when the line has none.
    pub fn path(&self) -> &str {
        self.head
            .lines()
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("/")
    }
}

/// A running stub server.
pub struct Stub {
    pub addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

impl Stub {
    /// `http://127.0.0.1:PORT{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// How many connections it has accepted so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Serve on 127.0.0.1:0: read each request's head, then `handler` answers.
pub fn serve(handler: impl Fn(&mut TcpStream, &Request) + Send + Sync + 'static) -> Stub {
    accept(move |s, n| {
        let head = read_head(s);
        handler(s, &Request { n, head });
    })
}

/// Serve on 127.0.0.1:0, handing each connection to `handler` unread.
pub fn serve_unread(handler: impl Fn(&mut TcpStream) + Send + Sync + 'static) -> Stub {
    accept(move |s, _| handler(s))
}

/// Serve on 127.0.0.1:0, answering request `n` with the bytes `respond`
/// gives (a complete HTTP response, see [`response`]).
pub fn answer(respond: impl Fn(&Request) -> Vec<u8> + Send + Sync + 'static) -> Stub {
    serve(move |s, r| {
        let _ = s.write_all(&respond(r));
    })
}

/// Answer every request with `body` as `application/json`.
pub fn json(body: Vec<u8>) -> Stub {
    answer(move |_| ok_json(&body))
}

/// `GET /NAME` answers the bytes of `files[NAME]` as `application/json`,
/// anything else 404.
pub fn files(files: BTreeMap<String, Vec<u8>>) -> Stub {
    answer(move |r| match files.get(r.path().trim_start_matches('/')) {
        Some(body) => ok_json(body),
        None => {
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
        }
    })
}

/// A complete response: `status` ("200 OK"), a Content-Type, the body.
pub fn response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    response_with(status, &[("Content-Type", content_type)], body)
}

/// A complete response: `status` ("302 Found"), the `headers` given
/// (name, value) in order, then Content-Length and `Connection: close`, the
/// body.
pub fn response_with(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut r = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        r.push_str(&format!("{name}: {value}\r\n"));
    }
    r.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut r = r.into_bytes();
    r.extend_from_slice(body);
    r
}

/// One answer of [`routes`]: a complete response (see [`response`]),
/// written after `delay`.
#[derive(Clone)]
pub struct Route {
    pub path: &'static str,
    pub answer: Vec<u8>,
    pub delay: Duration,
}

/// `GET path` answers `answer` at once.
pub fn route(path: &'static str, answer: Vec<u8>) -> Route {
    Route {
        path,
        answer,
        delay: Duration::ZERO,
    }
}

impl Route {
    /// The same answer, written after `delay` (a slow server).
    pub fn after(self, delay: Duration) -> Route {
        Route { delay, ..self }
    }
}

/// Serve `routes`: a request for a route's path gets its answer, anything
/// else `404 Not Found` (text/plain, "not found").
pub fn routes(routes: Vec<Route>) -> Stub {
    serve(move |s, r| {
        let answer = match routes.iter().find(|x| x.path == r.path()) {
            Some(x) => {
                thread::sleep(x.delay);
                x.answer.clone()
            }
            None => response("404 Not Found", "text/plain", b"not found"),
        };
        let _ = s.write_all(&answer);
    })
}

/// `200 OK` with `body` as `application/json`.
pub fn ok_json(body: &[u8]) -> Vec<u8> {
    response("200 OK", "application/json", body)
}

/// A loopback port nothing listens on (bound, learnt, closed): a
/// connection to it is refused.
pub fn refused_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn accept(handler: impl Fn(&mut TcpStream, usize) + Send + Sync + 'static) -> Stub {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(AtomicUsize::new(0));
    let count = requests.clone();
    let handler = Arc::new(handler);
    thread::spawn(move || {
        for s in listener.incoming() {
            let Ok(mut s) = s else { continue };
            let n = count.fetch_add(1, Ordering::SeqCst) + 1;
            let h = handler.clone();
            thread::spawn(move || h(&mut s, n));
        }
    });
    Stub { addr, requests }
}

/// The request head, byte by byte up to the blank line (so nothing of a
/// body is consumed), within 5 s and 64 KiB.
fn read_head(s: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut b = [0u8; 1];
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    while !buf.ends_with(b"\r\n\r\n") && buf.len() < 64 * 1024 {
        match s.read(&mut b) {
            Ok(1) => buf.push(b[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}
