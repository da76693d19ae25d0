//! `uvtool serve`: serve a JWKS file over HTTP until Ctrl-C.

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;

use anyhow::{Context, Result};
use uvtool::http::{all_loopback, listen, ServeOptions, Server};
use uvtool::serve::{JwksHandler, JwksOptions};

use super::common;
use super::Outcome;
use crate::cli::error::usage;
use crate::cli::ServeArgs;

pub fn run(args: ServeArgs) -> Result<Outcome> {
    let addrs = resolve(&args.addr, args.port)?;
    if !args.allow_remote && !all_loopback(&addrs) {
        let list: Vec<String> = addrs.iter().map(ToString::to_string).collect();
        return Err(usage(format!(
            "--addr {}: {} is not a loopback address; pass --allow-remote to serve on other interfaces",
            args.addr,
            list.join(", ")
        )));
    }
    let log = common::server_log();
    let opts = ServeOptions {
        timeout: args.timeout,
        idle: args.timeout.min(std::time::Duration::from_secs(5)),
        max_connections: args.max_connections as usize,
        log: log.clone(),
        log_requests: !args.quiet,
        log_paths: true,
    };
    let jwks_opts = JwksOptions {
        path: args.path,
        max_age: args.max_age,
        // A set refused on reload is logged in this binary's words.
        word: crate::cli::error::word,
    };
    let handler = Arc::new(JwksHandler::load(&args.jwks, jwks_opts, log)?);
    // A busy port gets the --port tip (cli/error.rs).
    let (listener, addr) = listen(&addrs)?;
    let server = Server::new(listener, handler.clone(), opts)?;
    let handle = server.shutdown_handle();
    ctrlc::set_handler(move || handle.shutdown()).context("cannot install the Ctrl-C handler")?;

    let url = format!("http://{addr}{}", handler.path());
    say!(
        "uvtool: listening on {url} ({} key(s) from {}; Ctrl-C to stop)",
        handler.key_count(),
        args.jwks.display()
    );
    common::stdout(&format!("{url}\n"))?;
    server.run()?;
    say!("uvtool: stopped");
    Ok(Outcome::Yes)
}

/// `HOST:PORT` to socket addresses, with `--port` overriding the port.
fn resolve(addr: &str, port: Option<u16>) -> Result<Vec<SocketAddr>> {
    let bad = |why: String| usage(format!("--addr {addr}: {why}"));
    let mut addrs: Vec<SocketAddr> = match addr.parse::<SocketAddr>() {
        Ok(a) => vec![a],
        Err(_) => {
            if !addr.contains(':') {
                return Err(bad("expected HOST:PORT, e.g. 127.0.0.1:8080".into()));
            }
            addr.to_socket_addrs()
                .map_err(|e| bad(format!("cannot resolve ({e}); expected HOST:PORT")))?
                .collect()
        }
    };
    if addrs.is_empty() {
        return Err(bad("resolves to no address".into()));
    }
    if let Some(p) = port {
        for a in &mut addrs {
            a.set_port(p);
        }
    }
    Ok(addrs)
}
