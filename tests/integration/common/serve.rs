//! A `uvtool serve` process for integration tests, and a raw HTTP client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// How long `uvtool serve` may take to print its URL.
const STARTUP: Duration = Duration::from_secs(30);

/// A running `uvtool serve`; killed on drop (a test stops it with
/// [`Serve::interrupt`] to see the SIGINT path).
pub struct Serve {
    child: Child,
    pub url: String,
    pub addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Serve {
    pub fn start(jwks: &Path, extra: &[&str]) -> Serve {
        let mut args: Vec<std::ffi::OsString> = vec!["serve".into(), "--jwks".into(), jwks.into()];
        args.extend(["--port", "0"].iter().chain(extra).map(Into::into));
        Serve::spawn(&args)
    }

    /// Start `uvtool ARGS…` (a server that prints its URL as the first
    /// stdout line) and read the URL.
    pub fn spawn(args: &[std::ffi::OsString]) -> Serve {
        Serve::try_spawn(args).unwrap_or_else(|(code, err)| {
            panic!("uvtool exited ({code:?}) before printing its URL: {err}")
        })
    }

    /// As [`Serve::spawn`], but a server that exits before printing its URL
    /// is an `Err` with its exit code (`None`: killed by a signal) and
    /// stderr, not a panic.
    pub fn try_spawn(args: &[std::ffi::OsString]) -> Result<Serve, (Option<i32>, String)> {
        Serve::try_spawn_env(args, &[])
    }

    /// As [`Serve::spawn`], with these variables set in the server's
    /// environment (only there: other tests' children never see them).
    pub fn spawn_env(args: &[std::ffi::OsString], env: &[(&str, &Path)]) -> Serve {
        Serve::try_spawn_env(args, env).unwrap_or_else(|(code, err)| {
            panic!("uvtool exited ({code:?}) before printing its URL: {err}")
        })
    }

    fn try_spawn_env(
        args: &[std::ffi::OsString],
        env: &[(&str, &Path)],
    ) -> Result<Serve, (Option<i32>, String)> {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("uvtool"))
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start uvtool");
        // The first line is the URL; a server that never prints it fails
        // the test in seconds (killed), not at CI's limit.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        thread::spawn(move || {
            let mut first = String::new();
            let _ = BufReader::new(stdout).read_line(&mut first);
            let _ = tx.send(first);
        });
        let first = match rx.recv_timeout(STARTUP) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "uvtool serve printed no URL within {}s: killed",
                    STARTUP.as_secs()
                );
            }
        };
        if first.is_empty() {
            // stdout closed without a URL: the server gave up at start
            // (its few lines of stderr wait in the pipe).
            let status = crate::common::wait_within(&mut child, STARTUP, "uvtool server start")
                .unwrap_or_else(|e| panic!("{e}"));
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            return Err((status.code(), err));
        }
        let url = first.trim().to_string();
        let rest = url
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("{url:?}"));
        let hostport = &rest[..rest.find('/').unwrap()];
        let addr: SocketAddr = hostport.parse().unwrap();
        assert_ne!(addr.port(), 0);
        let log = Arc::new(Mutex::new(String::new()));
        let sink = log.clone();
        let stderr = child.stderr.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let mut l = sink.lock().unwrap();
                l.push_str(&line);
                l.push('\n');
            }
        });
        Ok(Serve {
            child,
            url,
            addr,
            log,
        })
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Wait until the log contains `needle` (logs arrive asynchronously).
    pub fn wait_log(&self, needle: &str) -> String {
        self.wait_log_until(|l| l.contains(needle))
    }

    /// Wait until `done` holds for the log (at most 5 s), and return it:
    /// a test that reads several lines waits for all of them, not the
    /// first (the rest may still be in the pipe).
    pub fn wait_log_until(&self, done: impl Fn(&str) -> bool) -> String {
        let t = Instant::now();
        loop {
            let l = self.log();
            if done(&l) || t.elapsed() > Duration::from_secs(5) {
                return l;
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn interrupt(&mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let t = Instant::now();
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st;
            }
            assert!(
                t.elapsed() < Duration::from_secs(5),
                "serve did not stop on SIGINT"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Send raw bytes, read until the server closes, parse the first response.
pub fn raw(addr: SocketAddr, request: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    parse(&out).unwrap_or_else(|| panic!("no response: {:?}", String::from_utf8_lossy(&out)))
}

pub fn parse(data: &[u8]) -> Option<Resp> {
    let end = data.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&data[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Resp {
        status,
        headers,
        body: data[end + 4..].to_vec(),
    })
}

pub fn get(addr: SocketAddr, path: &str, extra: &str) -> Resp {
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n");
    raw(addr, req.as_bytes())
}

/// The statuses of a serve log's request lines
/// (`TIME PEER "REQUEST" STATUS SIZE DURATIONms`), in order: read by
/// position, never by a search for the digits, which a port, a size or a
/// time may hold.
pub fn statuses(log: &str) -> Vec<u16> {
    log.lines()
        .filter_map(|l| {
            let (head, rest) = l.split_once(" \"")?;
            head.rsplit(' ').next()?.parse::<SocketAddr>().ok()?;
            let (_, after) = rest.rsplit_once("\" ")?;
            after.split(' ').next()?.parse().ok()
        })
        .collect()
}

/// Number of GET requests for `path` in a serve log.
pub fn gets(log: &str, path: &str) -> usize {
    log.matches(&format!("\"GET {path} HTTP/1.1\" 200")).count()
}
