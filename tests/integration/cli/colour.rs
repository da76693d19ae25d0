//! Help and usage errors are coloured by the same rule as the commands'
//! text (README, "Colour"): `--color` first, then `NO_COLOR`,
//! `CLICOLOR_FORCE`, `CLICOLOR=0`, `TERM=dumb`, then whether their stream
//! (stdout for help, stderr for a usage error) is a terminal.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{output_within, uvtool, BOUND};

const ESC: &str = "\u{1b}[";

/// The usage error of `keygen --bogus`, uncoloured.
const BOGUS: &str = "uvtool: error: unexpected argument '--bogus' found\n\nUsage: uvtool keygen [OPTIONS]\n\nFor more information, try '--help'.\n";

/// `uvtool ARGS` with `env`: (exit code, stdout, stderr).
fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = uvtool();
    c.args(args).env_remove("CLICOLOR").env_remove("TERM");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn usage_errors_follow_color_and_the_environment() {
    let forced = [("CLICOLOR_FORCE", "1")];
    // Not a terminal: plain.
    assert_eq!(
        run(&["keygen", "--bogus"], &[]),
        (2, String::new(), BOGUS.into())
    );
    // CLICOLOR_FORCE colours it, as it colours stdout.
    let (code, out, err) = run(&["keygen", "--bogus"], &forced);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with("uvtool: \u{1b}[1m\u{1b}[31merror:\u{1b}[0m unexpected argument"),
        "{err:?}"
    );
    // --color always colours it on a pipe too.
    let (code, _, err) = run(&["keygen", "--bogus", "--color", "always"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains(ESC), "{err:?}");
    // --color never (before or after the command, or with =) and NO_COLOR
    // beat CLICOLOR_FORCE.
    for args in [
        &["--color", "never", "keygen", "--bogus"][..],
        &["keygen", "--bogus", "--color=never"][..],
    ] {
        assert_eq!(
            run(args, &forced),
            (2, String::new(), BOGUS.into()),
            "{args:?}"
        );
    }
    assert_eq!(
        run(
            &["keygen", "--bogus"],
            &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
        ),
        (2, String::new(), BOGUS.into())
    );
    // A bad --color value is itself a usage error, worded plainly.
    let (code, _, err) = run(&["--color", "purple", "keygen"], &[]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("uvtool: error: invalid value 'purple' for '--color <WHEN>'"),
        "{err}"
    );
}

#[test]
fn help_follows_color_and_the_environment() {
    let forced = [("CLICOLOR_FORCE", "1")];
    let (code, plain, err) = run(&["keygen", "--help"], &[]);
    assert_eq!((code, err.as_str()), (0, ""));
    assert!(!plain.contains(ESC));
    let (code, coloured, _) = run(&["keygen", "--help"], &forced);
    assert_eq!(code, 0);
    assert!(coloured.contains("\u{1b}[1m\u{1b}[4mUsage:"), "{coloured}");
    assert_eq!(
        run(&["--color", "never", "keygen", "--help"], &forced).1,
        plain
    );
    assert!(run(&["--color", "always", "help", "keygen"], &[])
        .1
        .contains(ESC));
}

/// `uvtool ARGS` on a terminal (util-linux `script` gives it one) with
/// `env`: what the terminal showed, or None where `script` is missing.
fn on_a_terminal(args: &str, env: &[(&str, &str)]) -> Option<String> {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        return None;
    }
    let bin = assert_cmd::cargo::cargo_bin("uvtool");
    let mut c = Command::new(script);
    c.args(["-qec", &format!("{} {args}", bin.display()), "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("TERM", "xterm")
        .stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    let out = output_within(&mut c, BOUND);
    Some(String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"))
}

#[test]
fn on_a_terminal_color_never_and_the_environment_turn_colour_off() {
    let Some(on) = on_a_terminal("keygen --bogus", &[]) else {
        return;
    };
    assert!(on.contains(ESC), "{on:?}");
    for (args, env) in [
        ("--color never keygen --bogus", &[][..]),
        ("keygen --bogus --color never", &[][..]),
        ("keygen --bogus", &[("TERM", "dumb")][..]),
        ("keygen --bogus", &[("CLICOLOR", "0")][..]),
        ("keygen --bogus", &[("NO_COLOR", "1")][..]),
    ] {
        assert_eq!(on_a_terminal(args, env).unwrap(), BOGUS, "{args} {env:?}");
    }
    // Help on a terminal: coloured unless --color never.
    assert!(on_a_terminal("keygen --help", &[]).unwrap().contains(ESC));
    let plain = on_a_terminal("--color never keygen --help", &[]).unwrap();
    assert!(plain.starts_with("Make an RSA key pair"), "{plain}");
    assert!(!plain.contains(ESC), "{plain}");
}
