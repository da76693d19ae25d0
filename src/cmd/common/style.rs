//! Colour of text for people (on stdout, and clap's usage errors on
//! stderr): whether to use it (`--color`, `NO_COLOR`, `CLICOLOR`,
//! `CLICOLOR_FORCE`, `TERM`, a terminal) and the few styles uvtool uses,
//! through anstyle (the styles) and anstream (the writing: on a Windows
//! console that takes no escape codes, anstream turns them into console
//! calls, so no raw escape ever reaches it).
//!
//! Only text for people is coloured: `--json`, tokens, keys and every other
//! data output never carry an escape code, whatever the choice.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU8, Ordering};

use anstyle::{AnsiColor, Effects};

pub use crate::cli::ColorWhen;

/// The run's `--color`, set once before the command runs.
static CHOICE: AtomicU8 = AtomicU8::new(0);

/// Record the run's `--color` (called once, before the command runs).
pub fn set_choice(when: ColorWhen) {
    let v = match when {
        ColorWhen::Auto => 0,
        ColorWhen::Always => 1,
        ColorWhen::Never => 2,
    };
    CHOICE.store(v, Ordering::Relaxed);
}

fn choice() -> ColorWhen {
    match CHOICE.load(Ordering::Relaxed) {
        1 => ColorWhen::Always,
        2 => ColorWhen::Never,
        _ => ColorWhen::Auto,
    }
}

/// What the environment says about colour, read once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    pub no_color: Option<String>,
    pub clicolor: Option<String>,
    pub clicolor_force: Option<String>,
    pub term: Option<String>,
}

impl Env {
    fn read() -> Self {
        let var = |k: &str| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned());
        Env {
            no_color: var("NO_COLOR"),
            clicolor: var("CLICOLOR"),
            clicolor_force: var("CLICOLOR_FORCE"),
            term: var("TERM"),
        }
    }
}

/// Whether to colour, in this order: `--color always|never` decides (a flag
/// given for this run beats the environment, as no-color.org asks); then
/// `NO_COLOR` set and not empty: no colour; `CLICOLOR_FORCE` set, not empty
/// and not `0`: colour (bixense.com/clicolors); `CLICOLOR=0`: no colour;
/// `TERM=dumb`: no colour; otherwise colour when the output is a terminal.
pub fn decide(when: ColorWhen, env: &Env, terminal: bool) -> bool {
    let set = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.is_empty());
    match when {
        ColorWhen::Always => return true,
        ColorWhen::Never => return false,
        ColorWhen::Auto => {}
    }
    if set(&env.no_color) {
        return false;
    }
    if set(&env.clicolor_force) && env.clicolor_force.as_deref() != Some("0") {
        return true;
    }
    if env.clicolor.as_deref() == Some("0") {
        return false;
    }
    if env.term.as_deref() == Some("dumb") {
        return false;
    }
    terminal
}

/// Whether this run colours stdout.
pub fn stdout_colour() -> bool {
    decide(choice(), &Env::read(), std::io::stdout().is_terminal())
}

/// Whether to colour what goes to stdout (help) or stderr (a usage error)
/// when the command line did not parse: `when` is then read from the
/// arguments ([`crate::cli::color_in`]).
pub fn colour_for(when: ColorWhen, stderr: bool) -> bool {
    let terminal = if stderr {
        std::io::stderr().is_terminal()
    } else {
        std::io::stdout().is_terminal()
    };
    decide(when, &Env::read(), terminal)
}

/// Write coloured text to stdout: through anstream, which passes the
/// escape codes to a terminal that takes them and turns them into console
/// calls on an old Windows console. A reader that has gone is not an
/// error (see [`super::Stdout`]).
pub fn write_stdout(data: &str) -> anyhow::Result<()> {
    let mut out = coloured_stdout();
    out.write_all(data.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Stdout for coloured text: anstream's writer (escape codes to a terminal
/// that takes them, console calls on an old Windows console), with a
/// reader that has gone dropped as [`super::Stdout`] drops it.
pub fn coloured_stdout() -> super::Stdout<anstream::AutoStream<std::io::StdoutLock<'static>>> {
    super::Stdout::new(anstream::AutoStream::new(
        std::io::stdout().lock(),
        anstream::ColorChoice::Always,
    ))
}

const GOOD: anstyle::Style = anstyle::Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)))
    .effects(Effects::BOLD);
const BAD: anstyle::Style = anstyle::Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)))
    .effects(Effects::BOLD);
const WARN: anstyle::Style = anstyle::Style::new()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)))
    .effects(Effects::BOLD);
const LABEL: anstyle::Style = anstyle::Style::new().effects(Effects::BOLD);

/// The styles of text for people, or plain text when colour is off.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    on: bool,
}

impl Style {
    pub fn new(on: bool) -> Self {
        Style { on }
    }

    /// Whether this style colours (its text must then reach stdout
    /// through [`write_stdout`]).
    pub fn on(self) -> bool {
        self.on
    }

    fn wrap(self, style: anstyle::Style, s: &str) -> String {
        if self.on {
            format!("{}{s}{}", style.render(), style.render_reset())
        } else {
            s.to_string()
        }
    }

    /// A good verdict ("valid").
    pub fn good(self, s: &str) -> String {
        self.wrap(GOOD, s)
    }

    /// A bad verdict or an error.
    pub fn bad(self, s: &str) -> String {
        self.wrap(BAD, s)
    }

    /// A warning.
    pub fn warn(self, s: &str) -> String {
        self.wrap(WARN, s)
    }

    /// A label ("header:", "fix:").
    pub fn label(self, s: &str) -> String {
        self.wrap(LABEL, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        Env {
            no_color: get("NO_COLOR"),
            clicolor: get("CLICOLOR"),
            clicolor_force: get("CLICOLOR_FORCE"),
            term: get("TERM"),
        }
    }

    #[test]
    fn the_flag_beats_the_environment() {
        let all_off = env(&[("NO_COLOR", "1"), ("CLICOLOR", "0"), ("TERM", "dumb")]);
        assert!(decide(ColorWhen::Always, &all_off, false));
        let forced = env(&[("CLICOLOR_FORCE", "1")]);
        assert!(!decide(ColorWhen::Never, &forced, true));
    }

    #[test]
    fn auto_follows_the_environment_then_the_terminal() {
        let term = [("TERM", "xterm-256color")];
        for (vars, terminal, want) in [
            (&term[..], true, true),
            (&term[..], false, false),
            (&[("TERM", "dumb")][..], true, false),
            (&[("CLICOLOR", "0"), ("TERM", "xterm")][..], true, false),
            (&[("CLICOLOR", "1"), ("TERM", "xterm")][..], true, true),
            (&[("NO_COLOR", "1"), ("TERM", "xterm")][..], true, false),
            // An empty NO_COLOR is unset (no-color.org).
            (&[("NO_COLOR", ""), ("TERM", "xterm")][..], true, true),
            (&[("CLICOLOR_FORCE", "1")][..], false, true),
            (
                &[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")][..],
                false,
                true,
            ),
            (&[("CLICOLOR_FORCE", "0")][..], false, false),
            (&[("CLICOLOR_FORCE", "")][..], false, false),
            // NO_COLOR wins over CLICOLOR_FORCE.
            (
                &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")][..],
                true,
                false,
            ),
        ] {
            assert_eq!(
                decide(ColorWhen::Auto, &env(vars), terminal),
                want,
                "{vars:?} terminal={terminal}"
            );
        }
    }

    #[test]
    fn styles_are_plain_when_off() {
        let s = Style::new(false);
        assert_eq!(s.good("valid"), "valid");
        assert_eq!(s.bad("x"), "x");
        let on = Style::new(true);
        assert_eq!(on.good("valid"), "\u{1b}[1m\u{1b}[32mvalid\u{1b}[0m");
    }
}
