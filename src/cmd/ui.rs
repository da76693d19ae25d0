//! `uvtool ui`: the local token debugger page, until Ctrl-C.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use anyhow::{Context, Result};
use uvtool::http::{listen, ServeOptions, Server};
use uvtool::inspect::{Keyring, Settings};
use uvtool::net::FetchOptions;
use uvtool::ui::UiHandler;
use uvtool::verify::KeyInputs;

use super::common;
use super::Outcome;
use crate::cli::error::usage;
use crate::cli::UiArgs;

pub fn run(args: UiArgs) -> Result<Outcome> {
    let stdin_inputs = common::stdin_count(&[&args.keys.jwks, &args.keys.cert, &args.keys.key]);
    if stdin_inputs > 1 {
        return Err(usage("only one key input can be - (stdin)"));
    }
    let settings = Settings {
        iss: args.iss.clone(),
        auth_id: args.auth_id.clone(),
        leeway: args.clock.leeway,
        now: args.clock.now,
    };
    // The keys, as `verify` takes them (one reader, one loader).
    let inputs = match &args.jwks_url {
        Some(url) => KeyInputs::Url {
            url: url.clone(),
            opts: FetchOptions::default(),
            on_fetch: None,
        },
        None => KeyInputs::Files(common::key_files(&args.keys)?),
    };
    let keys = Keyring::load(inputs, &settings)?;
    let keys_note = if keys.is_empty() {
        "no keys: signatures are not checked; give --jwks, --jwks-url, --cert or --key".to_string()
    } else {
        format!("{} key(s) from {}", keys.len(), keys.name())
    };

    let wanted = SocketAddr::from((Ipv4Addr::LOCALHOST, args.port));
    // A busy port gets the --port tip (cli/error.rs).
    let (listener, addr) = listen(&[wanted])?;
    let handler = UiHandler::new(addr, keys, settings);
    let url = handler.url();
    let log = common::server_log();
    let opts = ServeOptions {
        log,
        log_requests: !args.quiet,
        // A path may be a pasted token (`GET /<token>`): never logged.
        log_paths: false,
        ..ServeOptions::default()
    };
    let server = Server::new(listener, Arc::new(handler), opts)?;
    let handle = server.shutdown_handle();
    ctrlc::set_handler(move || handle.shutdown()).context("cannot install the Ctrl-C handler")?;

    say!(
        "uvtool: token debugger on {url} ({keys_note}); tokens stay on this machine; Ctrl-C to stop"
    );
    common::stdout(&format!("{url}\n"))?;
    if args.open {
        open_browser(&url);
    }
    server.run()?;
    say!("uvtool: stopped");
    Ok(Outcome::Yes)
}

/// Open the page with the platform's usual opener; a missing one is a
/// warning, never a failure.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    match cmd.spawn() {
        Ok(mut child) => {
            // Reap it whenever it ends.
            std::thread::spawn(move || {
                let _ = child.wait();
            });
        }
        Err(e) => common::warn(format!(
            "cannot open a browser ({}: {e}); open {url} yourself",
            cmd.get_program().to_string_lossy()
        )),
    }
}
