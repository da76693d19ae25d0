//! The HTTPS client: a blocking client on rustls (aws-lc-rs crypto, webpki
//! roots), bounded in time, size and redirects. It fetches bytes and knows
//! nothing of keys: the reader ([`crate::read`]) judges what a keyset URL
//! answered, the key sources ([`crate::verify`]) keep its keys.
//!
//! `https://` is the rule; plain `http://` is allowed only for loopback hosts
//! (`localhost`, 127.0.0.0/8, `[::1]`) or when the caller says so. Every
//! failure is an [`Error::Network`] whose message says what went wrong in one
//! line (refused, DNS, timeout, TLS, status, HTML page, not JSON, not a JWKS,
//! too big, empty).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ureq::http::Uri;

use crate::clock::{deadline, MAX_TIMEOUT};
use crate::error::{ErrorKind, UrlProblem};
pub use crate::response::{
    looks_like_html, preview, reason, redirect_note, RawResponse, ResponseFacts, DEFAULT_MAX_BODY,
};
use crate::{Error, Result};

/// Default connect + read timeout for one fetch.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default number of redirects followed.
pub const DEFAULT_MAX_REDIRECTS: u32 = 3;

/// How a fetch is bounded and which URLs it accepts.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Time allowed for the whole fetch: DNS, connect, TLS, headers and
    /// body; at most [`MAX_TIMEOUT`] (a longer one is taken as that).
    pub timeout: Duration,
    /// Largest body accepted, in bytes.
    pub max_body: u64,
    /// Redirects followed before giving up (never from https to http).
    pub max_redirects: u32,
    /// Allow `http://` to hosts that are not loopback.
    pub insecure_http: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: DEFAULT_TIMEOUT,
            max_body: DEFAULT_MAX_BODY,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            insecure_http: false,
        }
    }
}

/// Check that `url` may be fetched: `https://`, or `http://` to a loopback
/// host (or anywhere with `insecure_http`). Returns the parsed URI.
pub fn check_url(url: &str, insecure_http: bool) -> Result<Uri> {
    if let Some((scheme, _)) = url.split_once("://") {
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(url_problem(url, UrlProblem::Scheme(scheme)));
        }
    }
    let uri: Uri = url.parse().map_err(|e: ureq::http::uri::InvalidUri| {
        url_problem(url, UrlProblem::Invalid(e.to_string()))
    })?;
    let host = uri
        .host()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| url_problem(url, UrlProblem::NoHost))?;
    match uri.scheme_str() {
        Some("https") => Ok(uri),
        Some("http") if insecure_http || is_loopback_host(host) => Ok(uri),
        Some("http") => Err(url_problem(url, UrlProblem::PlainHttp)),
        Some(other) => Err(url_problem(url, UrlProblem::Scheme(other.to_string()))),
        None => Err(url_problem(url, UrlProblem::NoScheme)),
    }
}

fn url_problem(url: &str, problem: UrlProblem) -> Error {
    ErrorKind::Url {
        url: url.to_string(),
        problem,
    }
    .into()
}

/// Whether a URL host names this machine: `localhost`, 127.0.0.0/8 or `::1`
/// (with or without brackets).
pub fn is_loopback_host(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    h.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Whether `host` is an address a redirect must not lead to from a public
/// host: link-local (169.254.0.0/16, where cloud metadata services answer;
/// fe80::/10), private (10/8, 172.16/12, 192.168/16, fc00::/7), loopback,
/// unspecified or shared (100.64/10). Host names are resolved by
/// [`check_resolved`].
fn is_internal_host(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match h.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => {
            let [a, b, ..] = ip.octets();
            ip.is_private()
                || ip.is_link_local()
                || ip.is_loopback()
                || ip.is_unspecified()
                || (a == 100 && (64..128).contains(&b))
        }
        Ok(IpAddr::V6(ip)) => {
            let seg = ip.segments()[0];
            ip.is_loopback()
                || ip.is_unspecified()
                || (seg & 0xffc0) == 0xfe80
                || (seg & 0xfe00) == 0xfc00
                || ip
                    .to_ipv4_mapped()
                    .is_some_and(|v4| is_internal_host(&v4.to_string()))
        }
        Err(_) => false,
    }
}

/// GET `url` following up to `opts.max_redirects` redirects (never https to
/// http), and read the body up to the cap. Non-200 statuses are returned,
/// not errors.
pub fn fetch(url: &str, opts: &FetchOptions) -> Result<RawResponse> {
    fetch_inner(url, opts).map_err(redact_error)
}

/// An error's text with every URL in it [`redact`]ed.
fn redact_error(e: Error) -> Error {
    match e {
        Error::Network(m) => Error::Network(redact(&m)),
        Error::Invalid(ErrorKind::Url { url, problem }) => url_problem(&redact(&url), problem),
        Error::Invalid(ErrorKind::TimedOut { url, after }) => ErrorKind::TimedOut {
            url: redact(&url),
            after,
        }
        .into(),
        other => other,
    }
}

/// `text` with each URL's password shown as `***` and its query string as
/// `?…`: neither belongs in an error message or a log.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (before, url) = rest.split_at(i + 3);
        out.push_str(before);
        let end = url
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')'))
            .unwrap_or(url.len());
        // "{url}: why" — the colon before a space ends the URL too.
        let end = url.find(": ").map_or(end, |c| c.min(end));
        let (url, after) = url.split_at(end);
        let auth_end = url.find(['/', '?', '#']).unwrap_or(url.len());
        let (auth, path) = url.split_at(auth_end);
        match auth.rsplit_once('@') {
            Some((user, host)) => {
                let name = user.split_once(':').map_or(user, |(n, _)| n);
                out.push_str(name);
                if user.contains(':') {
                    out.push_str(":***");
                }
                out.push('@');
                out.push_str(host);
            }
            None => out.push_str(auth),
        }
        match path.find('?') {
            Some(q) => {
                out.push_str(&path[..q]);
                out.push_str("?…");
            }
            None => out.push_str(path),
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

fn fetch_inner(url: &str, opts: &FetchOptions) -> Result<RawResponse> {
    let mut uri = check_url(url, opts.insecure_http)?;
    let agent = agent(opts);
    let start = Instant::now();
    let mut redirects = Vec::new();
    loop {
        let current = uri.to_string();
        let remaining = opts
            .timeout
            .min(MAX_TIMEOUT)
            .saturating_sub(start.elapsed());
        if remaining.is_zero() {
            return Err(timeout_error(&current, opts.timeout));
        }
        let resp = agent
            .get(&current)
            .config()
            .timeout_global(Some(remaining))
            .build()
            .call()
            .map_err(|e| network_error(&current, e, opts))?;
        let status = resp.status().as_u16();
        if (300..400).contains(&status) && status != 304 {
            let Some(loc) = header(&resp, "location") else {
                return Err(Error::Network(format!(
                    "{current}: HTTP status {status} redirect without a Location header"
                )));
            };
            if redirects.len() as u32 >= opts.max_redirects {
                return Err(Error::Network(format!(
                    "{url}: too many redirects (more than {}); last one to {loc}",
                    opts.max_redirects
                )));
            }
            let next = next_hop(&uri, &loc, opts.insecure_http)?;
            check_resolved(&uri, &next, deadline(start, opts.timeout), &system_lookup)?;
            redirects.push(next.to_string());
            uri = next;
            continue;
        }
        let content_type = header(&resp, "content-type");
        let cache_control = header(&resp, "cache-control");
        let etag = header(&resp, "etag");
        let mut resp = resp;
        let body = resp
            .body_mut()
            .with_config()
            .limit(opts.max_body)
            .read_to_vec()
            .map_err(|e| network_error(&current, e, opts))?;
        let size = body.len();
        return Ok(RawResponse {
            body,
            facts: ResponseFacts {
                url: url.to_string(),
                final_url: current,
                redirects,
                status,
                content_type,
                cache_control,
                etag,
                elapsed: start.elapsed(),
                size,
            },
        });
    }
}

fn agent(opts: &FetchOptions) -> ureq::Agent {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .root_certs(ureq::tls::RootCerts::WebPki)
        .unversioned_rustls_crypto_provider(provider)
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .timeout_global(Some(opts.timeout.min(MAX_TIMEOUT)))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("uvtool/", env!("CARGO_PKG_VERSION")))
        .accept("application/json, application/jwk-set+json;q=0.9, */*;q=0.1")
        .proxy(None)
        .build()
        .new_agent()
}

fn header(resp: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// Where a redirect from `current` to `loc` leads, if it may be followed:
/// never from https to http, and only to URLs [`check_url`] accepts.
fn next_hop(current: &Uri, loc: &str, insecure_http: bool) -> Result<Uri> {
    let next = resolve(current, loc).ok_or_else(|| {
        Error::Network(format!(
            "{current}: redirect to an unusable Location {loc:?}"
        ))
    })?;
    if current.scheme_str() == Some("https") && next.scheme_str() != Some("https") {
        return Err(Error::Network(format!(
            "{current}: refusing redirect from https to {next} (a downgrade to plain http)"
        )));
    }
    let from_internal = current.host().is_some_and(is_internal_host);
    if !from_internal && next.host().is_some_and(is_internal_host) {
        return Err(Error::Network(format!(
            "{current}: refusing redirect to {}, a private, link-local or loopback address",
            next.host().unwrap_or_default()
        )));
    }
    check_url(&next.to_string(), insecure_http)
        .map_err(|e| Error::Network(format!("{current}: refusing redirect: {e}")))
}

/// The addresses a host name resolves to (`getaddrinfo`, as the client
/// connects), waiting at most `wait`.
type Lookup = dyn Fn(&str, u16, Duration) -> std::io::Result<Vec<IpAddr>>;

/// [`next_hop`] checks the host as written; a host *name* is checked here,
/// by what it resolves to: from a public host, a redirect to a name any of
/// whose addresses is private, link-local or loopback is refused as the
/// address itself would be (a name of 169.254.169.254, or `127.1` and
/// `2852039166`, which the resolver reads as 127.0.0.1 and
/// 169.254.169.254). The lookup is bounded by the fetch's `deadline`. A
/// name that does not resolve is refused too: the client could not reach
/// it, and a check that was not made is not passed.
///
/// The client resolves the name again to connect; a DNS server that
/// answers a public address here and a private one a moment later (DNS
/// rebinding) is not caught: that would take connecting to the checked
/// address itself.
fn check_resolved(current: &Uri, next: &Uri, deadline: Instant, lookup: &Lookup) -> Result<()> {
    let wait = || deadline.saturating_duration_since(Instant::now());
    let port = |u: &Uri| {
        u.port_u16().unwrap_or(if u.scheme_str() == Some("http") {
            80
        } else {
            443
        })
    };
    let named = |h: &str| {
        let bare = h.trim_start_matches('[').trim_end_matches(']');
        bare.parse::<IpAddr>().is_err() && !bare.eq_ignore_ascii_case("localhost")
    };
    let internal = |u: &Uri| -> Result<bool> {
        let host = u.host().unwrap_or_default();
        if is_internal_host(host) {
            return Ok(true);
        }
        if !named(host) {
            return Ok(false);
        }
        let addrs = lookup(host, port(u), wait()).map_err(|e| {
            Error::Network(format!(
                "{current}: refusing redirect to {host}: cannot resolve it ({e})"
            ))
        })?;
        Ok(addrs.iter().any(|ip| is_internal_host(&ip.to_string())))
    };
    let Some(host) = next.host().filter(|h| named(h)) else {
        return Ok(());
    };
    // The current host was just reached: one that does not resolve now
    // counts as public.
    if internal(current).unwrap_or(false) || !internal(next)? {
        return Ok(());
    }
    Err(Error::Network(format!(
        "{current}: refusing redirect to {host}, a name of a private, link-local or loopback address"
    )))
}

/// [`Lookup`] by the system's resolver, in a thread so the wait is bounded.
fn system_lookup(host: &str, port: u16, wait: Duration) -> std::io::Result<Vec<IpAddr>> {
    use std::net::ToSocketAddrs;
    let (tx, rx) = std::sync::mpsc::channel();
    let name = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    std::thread::spawn(move || {
        let r = (name.as_str(), port)
            .to_socket_addrs()
            .map(|a| a.map(|s| s.ip()).collect::<Vec<_>>());
        let _ = tx.send(r);
    });
    match rx.recv_timeout(wait) {
        Ok(r) => r,
        Err(_) => Err(std::io::ErrorKind::TimedOut.into()),
    }
}

/// Resolve a `Location` against the current URI.
fn resolve(base: &Uri, loc: &str) -> Option<Uri> {
    let loc = loc.trim();
    let scheme = base.scheme_str()?;
    let authority = base.authority()?.as_str();
    let full = if loc.starts_with("http://") || loc.starts_with("https://") {
        loc.to_string()
    } else if let Some(rest) = loc.strip_prefix("//") {
        format!("{scheme}://{rest}")
    } else if loc.starts_with('/') {
        format!("{scheme}://{authority}{loc}")
    } else if loc.contains(':') && !loc.contains('/') || loc.split('/').next()?.contains(':') {
        // Another scheme (ftp:, file:, …): let check_url refuse it.
        loc.to_string()
    } else {
        let path = base.path();
        let dir = path.rfind('/').and_then(|i| path.get(..=i)).unwrap_or("");
        let dir = if dir.is_empty() { "/" } else { dir };
        format!("{scheme}://{authority}{dir}{loc}")
    };
    full.parse().ok()
}

fn timeout_error(url: &str, timeout: Duration) -> Error {
    ErrorKind::TimedOut {
        url: url.to_string(),
        after: timeout,
    }
    .into()
}

/// Turn a client error into one line that says what failed.
fn network_error(url: &str, e: ureq::Error, opts: &FetchOptions) -> Error {
    let host = url
        .parse::<Uri>()
        .ok()
        .and_then(|u| u.authority().map(|a| a.to_string()))
        .unwrap_or_else(|| url.to_string());
    let msg = match e {
        ureq::Error::Timeout(_) => return timeout_error(url, opts.timeout),
        ureq::Error::HostNotFound => {
            format!("cannot resolve host {host} (DNS lookup failed; check the host name)")
        }
        ureq::Error::BodyExceedsLimit(n) => format!(
            "the body is larger than the {} cap; a JWKS is a few KiB",
            size_text(n)
        ),
        ureq::Error::Tls(m) => format!("TLS failure: {m}"),
        ureq::Error::Rustls(r) => format!("TLS handshake failed: {r}"),
        ureq::Error::Pem(p) => format!("TLS failure: {p}"),
        ureq::Error::TlsRequired => "TLS failure: the server requires TLS".to_string(),
        ureq::Error::Io(io) => return io_error(url, &host, io, opts),
        ureq::Error::ConnectionFailed => format!("cannot connect to {host}"),
        ureq::Error::LargeResponseHeader(got, max) => {
            format!("response headers too large ({got} bytes, limit {max})")
        }
        ureq::Error::Protocol(p) => format!("malformed HTTP response ({p})"),
        ureq::Error::BadUri(m) => format!("not a usable URL ({m})"),
        other => other.to_string(),
    };
    Error::Network(format!("{url}: {msg}"))
}

fn io_error(url: &str, host: &str, io: std::io::Error, opts: &FetchOptions) -> Error {
    use std::io::ErrorKind as K;
    let msg = match io.kind() {
        K::ConnectionRefused => {
            format!("connection refused by {host} (is the server running and listening there?)")
        }
        K::TimedOut | K::WouldBlock => return timeout_error(url, opts.timeout),
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe => {
            format!("connection reset by {host} before a complete response")
        }
        K::UnexpectedEof => format!("{host} closed the connection before a complete response"),
        K::InvalidData => {
            // rustls reports handshake failures as InvalidData io errors.
            let inner = io
                .get_ref()
                .map(|e| e.to_string())
                .unwrap_or_else(|| io.to_string());
            format!("TLS handshake failed: {inner}")
        }
        K::NetworkUnreachable | K::HostUnreachable => format!("{host} is unreachable ({io})"),
        _ => {
            let text = io.to_string();
            if text.contains("lookup")
                || text.contains("resolve")
                || text.contains("Name or service")
            {
                format!("cannot resolve host {host} (DNS lookup failed: {text})")
            } else {
                format!("{host}: {text}")
            }
        }
    };
    Error::Network(format!("{url}: {msg}"))
}

/// Human size: bytes, KiB or MiB.
pub fn size_text(n: u64) -> String {
    if n >= 1024 * 1024 && n.is_multiple_of(1024 * 1024) {
        format!("{} MiB", n / (1024 * 1024))
    } else if n >= 1024 && n.is_multiple_of(1024) {
        format!("{} KiB", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_timeout_panics_however_large() {
        // `Instant + Duration` past the clock's range panics: a timeout of
        // any size is bounded by MAX_TIMEOUT, so a fetch just fails.
        for timeout in [Duration::MAX, Duration::from_secs(u64::MAX / 2)] {
            let opts = FetchOptions {
                timeout,
                ..FetchOptions::default()
            };
            assert!(fetch("http://127.0.0.1:1/jwks.json", &opts).is_err());
        }
    }

    #[test]
    fn url_rules() {
        assert!(check_url("https://example.com/jwks.json", false).is_ok());
        assert!(check_url("http://127.0.0.1:8080/x", false).is_ok());
        assert!(check_url("http://127.3.2.1/x", false).is_ok());
        assert!(check_url("http://localhost/x", false).is_ok());
        assert!(check_url("http://[::1]:9/x", false).is_ok());
        let e = check_url("http://example.com/x", false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("only for loopback"), "{e}");
        assert!(check_url("http://example.com/x", true).is_ok());
        let e = check_url("ftp://example.com/x", true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unsupported scheme \"ftp\""), "{e}");
        let e = check_url("example.com/x", false).unwrap_err().to_string();
        assert!(e.contains("example.com/x:"), "{e}");
        let e = check_url("http://128.0.0.1/x", false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("only for loopback"), "{e}");
    }

    #[test]
    fn redirect_resolution() {
        let base: Uri = "https://a.example/dir/jwks.json".parse().unwrap();
        let r = |l: &str| resolve(&base, l).map(|u| u.to_string());
        assert_eq!(r("/x").as_deref(), Some("https://a.example/x"));
        assert_eq!(r("y.json").as_deref(), Some("https://a.example/dir/y.json"));
        assert_eq!(r("//b.example/z").as_deref(), Some("https://b.example/z"));
        assert_eq!(r("http://c.example/").as_deref(), Some("http://c.example/"));
    }

    #[test]
    fn redirects_to_internal_addresses_are_refused() {
        let base: Uri = "https://a.example/jwks".parse().unwrap();
        for to in [
            "https://169.254.169.254/latest/meta-data/",
            "https://10.0.0.1/j",
            "https://192.168.1.1/j",
            "https://[fe80::1]/j",
            "https://127.0.0.1/j",
            "https://[::ffff:169.254.169.254]/j",
        ] {
            let e = next_hop(&base, to, false).unwrap_err().to_string();
            assert!(
                e.contains("a private, link-local or loopback address"),
                "{to}: {e}"
            );
        }
        assert!(next_hop(&base, "https://b.example/j", false).is_ok());
        assert!(next_hop(&base, "https://8.8.8.8/j", false).is_ok());
        // A loopback test server may redirect to itself.
        let local: Uri = "http://127.0.0.1:8080/a".parse().unwrap();
        assert!(next_hop(&local, "/b", false).is_ok());
    }

    /// A redirect to a *name* is checked by the addresses it resolves to.
    #[test]
    fn redirects_to_names_of_internal_addresses_are_refused() {
        let soon = || Instant::now() + Duration::from_secs(10);
        let base: Uri = "https://a.example/jwks".parse().unwrap();
        let check = |from: &Uri, to: &str, lookup: &Lookup| {
            let next = next_hop(from, to, false).unwrap();
            check_resolved(from, &next, soon(), lookup)
        };
        // A name whose one address, or any one of its addresses, is internal.
        let fake = |host: &str, port: u16, _: Duration| -> std::io::Result<Vec<IpAddr>> {
            assert_eq!(port, 443);
            Ok(match host {
                "metadata.example" => vec!["169.254.169.254".parse().unwrap()],
                "mixed.example" => vec!["8.8.8.8".parse().unwrap(), "10.0.0.7".parse().unwrap()],
                "v6.example" => vec!["fe80::1".parse().unwrap()],
                _ => vec!["93.184.216.34".parse().unwrap()],
            })
        };
        for to in [
            "https://metadata.example/latest",
            "https://mixed.example/j",
            "https://v6.example/j",
        ] {
            let host = to.split('/').nth(2).unwrap();
            assert_eq!(
                check(&base, to, &fake).unwrap_err().to_string(),
                format!("https://a.example/jwks: refusing redirect to {host}, a name of a private, link-local or loopback address"),
            );
        }
        assert!(check(&base, "https://b.example/j", &fake).is_ok());
        // A name that does not resolve is not followed.
        let none = |_: &str, _: u16, _: Duration| -> std::io::Result<Vec<IpAddr>> {
            Err(std::io::ErrorKind::NotFound.into())
        };
        let e = check(&base, "https://gone.example/j", &none)
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(
                "https://a.example/jwks: refusing redirect to gone.example: cannot resolve it"
            ),
            "{e}"
        );
        // From a host that is itself internal (a name of a loopback test
        // server), internal names are fine.
        let local: Uri = "https://metadata.example/a".parse().unwrap();
        assert!(check(&local, "https://v6.example/b", &fake).is_ok());
        // The system's resolver reads these as 127.0.0.1 and
        // 169.254.169.254 (inet_aton forms): neither is an IP literal to
        // the URL parser, both were followed before.
        for to in [
            "https://127.1/j",
            "https://2852039166/j",
            "https://0x7f.1/j",
        ] {
            let e = check(&base, to, &system_lookup).unwrap_err().to_string();
            assert!(
                e.contains("a name of a private, link-local or loopback address"),
                "{to}: {e}"
            );
        }
        // The lookup is bounded by the fetch's deadline.
        let slow = |_: &str, _: u16, wait: Duration| -> std::io::Result<Vec<IpAddr>> {
            assert!(wait <= Duration::from_millis(50), "{wait:?}");
            Err(std::io::ErrorKind::TimedOut.into())
        };
        let next = next_hop(&base, "https://b.example/j", false).unwrap();
        let e = check_resolved(
            &base,
            &next,
            Instant::now() + Duration::from_millis(50),
            &slow,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("cannot resolve it"), "{e}");
    }

    #[test]
    fn urls_in_errors_lose_passwords_and_queries() {
        assert_eq!(
            redact("https://u:s3cret@h.example/j?token=abc: HTTP status 500"),
            "https://u:***@h.example/j?…: HTTP status 500"
        );
        assert_eq!(
            redact("x https://h.example/a (to \"http://u@h/b?q#f\") y"),
            "x https://h.example/a (to \"http://u@h/b?…\") y"
        );
        assert_eq!(redact("no url here"), "no url here");
    }

    #[test]
    fn redirect_rules() {
        let https: Uri = "https://a.example/jwks".parse().unwrap();
        let e = next_hop(&https, "http://a.example/jwks", true)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "https://a.example/jwks: refusing redirect from https to http://a.example/jwks (a downgrade to plain http)"
        );
        let e = next_hop(&https, "http://127.0.0.1/jwks", false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("downgrade"), "{e}");
        assert!(next_hop(&https, "/other", false).is_ok());
        let local: Uri = "http://127.0.0.1:8080/jwks".parse().unwrap();
        assert!(next_hop(&local, "https://b.example/jwks", false).is_ok());
        let e = next_hop(&local, "ftp://b.example/jwks", true)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("refusing redirect") && e.contains("unsupported scheme"),
            "{e}"
        );
    }

    #[test]
    fn error_mapping() {
        let o = FetchOptions::default();
        let e = network_error("https://h.example/j", ureq::Error::HostNotFound, &o).to_string();
        assert_eq!(
            e,
            "https://h.example/j: cannot resolve host h.example (DNS lookup failed; check the host name)"
        );
        let e = network_error(
            "https://h.example/j",
            ureq::Error::Timeout(ureq::Timeout::Global),
            &o,
        )
        .to_string();
        assert!(e.contains("timed out after 10s"), "{e}");
        let e = network_error(
            "https://h.example/j",
            ureq::Error::BodyExceedsLimit(1 << 20),
            &o,
        )
        .to_string();
        assert!(e.contains("larger than the 1 MiB cap"), "{e}");
        // What the system resolver's failure looks like through ureq.
        let dns = std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        );
        let e = network_error("https://h.example/j", ureq::Error::Io(dns), &o).to_string();
        assert_eq!(
            e,
            "https://h.example/j: cannot resolve host h.example (DNS lookup failed: failed to lookup address information: Name or service not known)"
        );
    }

    #[test]
    fn html_detection() {
        assert!(looks_like_html(b"\n <!DOCTYPE html><html>", None));
        assert!(looks_like_html(b"{}", Some("text/html; charset=utf-8")));
        assert!(!looks_like_html(b"{\"keys\":[]}", Some("application/json")));
    }
}
