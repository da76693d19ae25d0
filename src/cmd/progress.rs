//! A one-line progress report on stderr for long batches: drawn only when
//! stderr is a terminal, only once a batch has run for half a second, at
//! most ten times a second, and erased at the end. Piped or redirected
//! stderr gets nothing.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

const FIRST_DRAW: Duration = Duration::from_millis(500);
const REDRAW: Duration = Duration::from_millis(100);

pub struct Progress {
    enabled: bool,
    what: &'static str,
    start: Instant,
    next_draw: Instant,
    /// Total input size in bytes, when the input is a regular file.
    total_bytes: Option<u64>,
    bytes: u64,
    count: u64,
    /// Characters of the line on screen (0: none drawn).
    drawn: usize,
}

impl Progress {
    /// `what` names the items ("tokens"); `total_bytes` is the input size
    /// when known, for a percentage.
    pub fn new(what: &'static str, total_bytes: Option<u64>) -> Self {
        let start = Instant::now();
        Progress {
            enabled: std::io::stderr().is_terminal(),
            what,
            start,
            next_draw: start + FIRST_DRAW,
            total_bytes: total_bytes.filter(|t| *t > 0),
            bytes: 0,
            count: 0,
            drawn: 0,
        }
    }

    /// One item done, `bytes` of input consumed.
    pub fn inc(&mut self, bytes: usize) {
        self.count += 1;
        self.bytes += bytes as u64;
        // Checking the clock every 64 items keeps this off the hot path.
        if self.enabled && self.count.is_multiple_of(64) {
            let now = Instant::now();
            if now >= self.next_draw {
                self.next_draw = now + REDRAW;
                self.draw(now);
            }
        }
    }

    fn draw(&mut self, now: Instant) {
        let secs = now.duration_since(self.start).as_secs_f64();
        let rate = self.count as f64 / secs.max(1e-9);
        let mut line = format!("uvtool: {} {} ({:.0}/s)", self.count, self.what, rate);
        if let Some(t) = self.total_bytes {
            let pct = (self.bytes as f64 * 100.0 / t as f64).min(100.0);
            line.push_str(&format!(", {pct:.0}%"));
        }
        // Spaces over what the last line left, rather than an escape code
        // that clears it: every terminal, dumb or Windows, takes a `\r`.
        let width = line.chars().count();
        let pad = self.drawn.saturating_sub(width);
        let text = format!("\r{line}{}", " ".repeat(pad));
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(text.as_bytes());
        let _ = err.flush();
        self.drawn = width;
    }

    /// Erase the line (if one was drawn).
    pub fn finish(&mut self) {
        if self.drawn > 0 {
            let text = format!("\r{}\r", " ".repeat(self.drawn));
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(text.as_bytes());
            let _ = err.flush();
            self.drawn = 0;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
