//! Every example of every `--help` runs as written (issue 23).
//!
//! The examples are read from the real `--help` output (so an example is run
//! the day it is written) and run with `sh`, in the order the help gives
//! them, from a folder that `uvtool keygen --out-dir keys` made (once for
//! the whole test, copied into each help's folder; a help whose examples
//! make `keys` themselves starts from an empty folder), with the `uvtool`
//! under test first on the PATH. Each one's exit code and
//! output are pinned in the transcript `tests/cmd/<command>/examples.md`
//! (`uvtool/` for the top level). After a deliberate change:
//! `TRANSCRIPTS=overwrite cargo test --test integration cli::examples`, then
//! review the diff.
//!
//! What a user brings is provided: `$TOKEN` and `token.jwt` (a token of
//! `keys/` for sub `user-123`, iss `https://example.com`), `users.txt` (three
//! subs), a home folder with the folders the completion examples write into
//! (and `~/.local/bin` on the PATH, so man finds `~/.local/share/man`),
//! and two stand-ins: `pbpaste` (macOS's clipboard) prints `$TOKEN`, and
//! `xdg-open` / `open` (the browser) do nothing. One placeholder is replaced:
//! `https://example.com/.well-known/jwks.json` stands for the user's
//! endpoint; the test serves `keys/jwks.json` on loopback and puts that URL
//! in (it reads `[ENDPOINT]` in the transcripts).
//!
//! A server example in the foreground (`uvtool serve`, `uvtool ui`) passes
//! when it prints its URL (`? running`), and is then stopped, as a user
//! presses Ctrl-C before the next example. An example ending in `&` runs
//! as the shell runs it: the shell starts it and exits (its output, which
//! goes on after that, is not pinned), and it runs until the help's last
//! example. Nothing waits for it but the examples themselves: one that
//! needs what it writes must wait for it as written (`until [ -s url.txt
//! ]; …`), as a user's script must.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::serve::Serve;
use crate::common::{collect_within, uvtool, BOUND};

/// The endpoint placeholder of the examples.
const ENDPOINT: &str = "https://example.com/.well-known/jwks.json";

/// The output of a server example whose fixed port is taken here: not
/// compared.
const PORT_TAKEN: &str = "(port taken on this machine)";

/// At most this many lines of an example's output are pinned; the rest is
/// `...`.
const PINNED_LINES: usize = 12;

/// The commands `uvtool --help` lists (not `help`), top level first as "".
pub fn commands() -> Vec<String> {
    let out = uvtool().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut names = vec![String::new()];
    names.extend(
        text.lines()
            .skip_while(|l| *l != "Commands:")
            .skip(1)
            .take_while(|l| l.starts_with("  "))
            .filter_map(|l| l.strip_prefix("  "))
            .filter(|l| !l.starts_with(' ')) // not a description's second line
            .filter_map(|l| l.split_whitespace().next())
            .filter(|n| *n != "help")
            .map(str::to_string),
    );
    assert!(names.len() > 10, "{names:?}");
    names
}

/// `uvtool [cmd] --help` at `columns`.
pub fn help(cmd: &str, columns: &str) -> String {
    let mut c = uvtool();
    c.env("COLUMNS", columns);
    if !cmd.is_empty() {
        c.arg(cmd);
    }
    let out = c.arg("--help").output().unwrap();
    assert!(out.status.success(), "{cmd} --help");
    String::from_utf8(out.stdout).unwrap()
}

/// The examples of a help text: after `Examples:`, each line indented by
/// two spaces starts one, and a line ending in `\` or `|` continues on the
/// next; prose (not indented) and blank lines are skipped. Returned without
/// the two spaces of indentation, continuation lines joined with `\n`.
pub fn examples_of(help: &str) -> Vec<String> {
    let mut examples: Vec<String> = Vec::new();
    let mut continues = false;
    for line in help.lines().skip_while(|l| *l != "Examples:").skip(1) {
        let Some(text) = line.strip_prefix("  ") else {
            continues = false;
            continue;
        };
        if continues {
            let last = examples.last_mut().unwrap();
            last.push('\n');
            last.push_str(text);
        } else if !text.starts_with(' ') {
            examples.push(text.to_string());
        } else {
            continue;
        }
        let t = text.trim_end();
        continues = t.ends_with('\\') || t.ends_with('|');
    }
    examples
}

/// What one example did.
#[derive(Debug, PartialEq)]
struct Outcome {
    /// The exit code, or `running` for a server that printed its URL.
    code: String,
    /// stdout then stderr, normalised (see [`normalise`]).
    output: String,
}

/// The folder the examples of one help run in, and what it provides.
struct Sandbox {
    _dir: tempfile::TempDir,
    work: PathBuf,
    home: PathBuf,
    path: String,
    token: String,
    endpoint: String,
    /// The process groups of the examples started with `&`.
    background: Vec<u32>,
}

/// The keys a user brings (`uvtool keygen --out-dir keys`, made once: an
/// RSA key a help is the slowest part of a sandbox) and their token.
struct UserKeys {
    _dir: tempfile::TempDir,
    keys: PathBuf,
    token: String,
}

impl UserKeys {
    fn new() -> UserKeys {
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        uvtool()
            .args(["keygen", "--out-dir"])
            .arg(&keys)
            .assert()
            .success();
        let token = uvtool()
            .args(["mint", "--key"])
            .arg(keys.join("private.pem"))
            .args(["--sub", "user-123", "--iss", "https://example.com"])
            .output()
            .unwrap();
        assert!(token.status.success());
        let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
        UserKeys {
            _dir: dir,
            keys,
            token,
        }
    }

    /// A copy of the key folder at `to` (the files keep their modes).
    fn copy_to(&self, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(&self.keys).unwrap() {
            let e = e.unwrap();
            assert!(e.file_type().unwrap().is_file(), "{:?}", e.path());
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

impl Sandbox {
    fn new(examples: &[String], endpoint: &str, user: &UserKeys) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().join("work");
        let home = dir.path().join("home");
        let bin = dir.path().join("bin");
        for d in [
            &work,
            &bin,
            &home.join(".local/share/bash-completion/completions"),
            &home.join(".zfunc"),
            &home.join(".config/fish/completions"),
        ] {
            std::fs::create_dir_all(d).unwrap();
        }
        // The examples that make keys/ themselves start without it; the
        // token a user brings is then made with keys of their own.
        let makes_keys = examples.iter().any(|e| {
            e == "uvtool keygen --out-dir keys" || e.starts_with("uvtool keygen --out-dir keys ")
        });
        let keys = if makes_keys {
            dir.path().join("own-keys")
        } else {
            work.join("keys")
        };
        user.copy_to(&keys);
        let token = user.token.clone();
        std::fs::write(work.join("token.jwt"), format!("{token}\n")).unwrap();
        std::fs::write(work.join("users.txt"), "alice\nbob\ncarol\n").unwrap();
        let stub = |name: &str, body: &str| {
            use std::os::unix::fs::PermissionsExt;
            let p = bin.join(name);
            std::fs::write(&p, format!("#!/bin/sh\n{body}\n")).unwrap();
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
        };
        stub("pbpaste", "printf '%s\\n' \"$TOKEN\"");
        stub("xdg-open", "exit 0");
        stub("open", "exit 0");
        let uvtool_dir = assert_cmd::cargo::cargo_bin("uvtool")
            .parent()
            .unwrap()
            .to_path_buf();
        // ~/.local/bin as most distributions' login shells put it on the
        // PATH; man then finds the pages installed in ~/.local/share/man.
        let path = format!(
            "{}:{}:{}:{}",
            bin.display(),
            uvtool_dir.display(),
            home.join(".local/bin").display(),
            std::env::var("PATH").unwrap_or_default()
        );
        Sandbox {
            _dir: dir,
            work,
            home,
            path,
            token,
            endpoint: endpoint.to_string(),
            background: Vec::new(),
        }
    }

    fn sh(&self, script: &str) -> Command {
        use std::os::unix::process::CommandExt;
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(script.replace(ENDPOINT, &self.endpoint))
            .current_dir(&self.work)
            .env("PATH", &self.path)
            .env("HOME", &self.home)
            .env("TOKEN", &self.token)
            .env("COLUMNS", "100")
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "80")
            .env("PAGER", "cat")
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("MANPATH")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        c
    }

    fn run(&mut self, example: &str) -> Outcome {
        let first = example.split_whitespace().take(2).collect::<Vec<_>>();
        let server = matches!(first.as_slice(), ["uvtool", "serve" | "ui"]);
        if example.trim_end().ends_with('&') {
            return self.start_in_background(example);
        }
        if !server {
            let child = self.sh(example).spawn().unwrap();
            let out = collect_within(child, BOUND, example);
            // man's layout is groff's, not ours: its first lines only, with
            // runs of spaces as one.
            let output = if runs_man(example) {
                let squeeze = |b: &[u8]| {
                    String::from_utf8_lossy(b)
                        .split(' ')
                        .filter(|w| !w.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                        .into_bytes()
                };
                self.normalise_lines(&squeeze(&out.stdout), &squeeze(&out.stderr), 3)
            } else {
                self.normalise(&out.stdout, &out.stderr)
            };
            return Outcome {
                code: out
                    .status
                    .code()
                    .map_or("killed".to_string(), |c| c.to_string()),
                output,
            };
        }
        let mut child = self.sh(example).spawn().unwrap();
        // Started: its URL on stdout.
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let start = Instant::now();
        let url = loop {
            if let Ok(line) = rx.try_recv() {
                if !line.is_empty() {
                    break line;
                }
            }
            if let Some(status) = child.try_wait().unwrap() {
                let out = collect_within(child, BOUND, example);
                if status.code() == Some(2)
                    && String::from_utf8_lossy(&out.stderr).contains("in use")
                {
                    // The example's fixed port is taken on this machine.
                    return Outcome {
                        code: "running".into(),
                        output: PORT_TAKEN.into(),
                    };
                }
                return Outcome {
                    code: status.code().map_or("killed".into(), |c| c.to_string()),
                    output: self.normalise(&out.stdout, &out.stderr),
                };
            }
            if start.elapsed() > BOUND {
                stop(&mut child);
                panic!("{example}: printed no URL within {}s", BOUND.as_secs());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        stop(&mut child);
        Outcome {
            code: "running".into(),
            output: self.normalise(url.as_bytes(), b""),
        }
    }

    /// An example ending in `&`, run as written: the shell starts it in
    /// the background and exits. Its process group is stopped when the
    /// sandbox is dropped; its output goes to a log outside the work folder.
    fn start_in_background(&mut self, example: &str) -> Outcome {
        let log = self
            .work
            .with_file_name(format!("background-{}.log", self.background.len()));
        let log = std::fs::File::create(log).unwrap();
        let mut sh = self.sh(example);
        sh.stdout(log.try_clone().unwrap()).stderr(log);
        let child = sh.spawn().unwrap();
        self.background.push(child.id());
        let out = collect_within(child, BOUND, example);
        Outcome {
            code: out
                .status
                .code()
                .map_or("killed".to_string(), |c| c.to_string()),
            output: String::new(),
        }
    }

    /// The output as the transcript pins it: the sandbox's paths and the
    /// endpoint named, loopback ports and what changes from run to run
    /// (tokens, keys, times) elided.
    fn normalise(&self, stdout: &[u8], stderr: &[u8]) -> String {
        self.normalise_lines(stdout, stderr, PINNED_LINES)
    }

    fn normalise_lines(&self, stdout: &[u8], stderr: &[u8], pinned: usize) -> String {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(stdout),
            String::from_utf8_lossy(stderr)
        );
        let text = text
            .replace(&self.endpoint, "[ENDPOINT]")
            .replace(&self.work.display().to_string(), "[CWD]")
            .replace(&self.home.display().to_string(), "[HOME]");
        let lines: Vec<String> = text.lines().map(elide).collect();
        let mut lines = lines;
        if lines.len() > pinned {
            lines.truncate(pinned);
            lines.push("...".into());
        }
        lines.join("\n")
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for group in &self.background {
            stop_group(*group);
        }
    }
}

/// Whether `example` runs the system's `man` (not `uvtool man`).
fn runs_man(example: &str) -> bool {
    example
        .split(['|', '&', ';'])
        .any(|part| part.trim_start().starts_with("man "))
}

/// Stop what an example started with `&` left running: SIGINT to its
/// process group, then SIGKILL if the group is still there after a second.
fn stop_group(group: u32) {
    let group = format!("-{group}");
    let alive = || {
        Command::new("kill")
            .args(["-0", "--", &group])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let _ = Command::new("kill").args(["-INT", "--", &group]).status();
    let start = Instant::now();
    while alive() {
        if start.elapsed() > Duration::from_secs(1) {
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Stop a server example and its shell: SIGINT to its process group, then
/// SIGKILL if it is still there after a second.
fn stop(child: &mut Child) {
    let group = format!("-{}", child.id());
    let _ = Command::new("kill").args(["-INT", "--", &group]).status();
    let start = Instant::now();
    while child.try_wait().ok().flatten().is_none() {
        if start.elapsed() > Duration::from_secs(1) {
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = child.wait();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// One line with what differs from run to run replaced by `[..]`: loopback
/// ports, tokens and long base64 (keys, kids, signatures), dates, times,
/// unix seconds and relative times.
fn elide(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let b64 = |c: char| c.is_ascii_alphanumeric() || "-_+/=.".contains(c);
    while i < chars.len() {
        // A run of base64-ish characters of 24 or more (tokens, n, kids,
        // x5c, thumbprints) holding a digit or a case mix.
        let j = (i..chars.len())
            .find(|&k| !b64(chars[k]))
            .unwrap_or(chars.len());
        let word: String = chars[i..j].iter().collect();
        if j - i >= 24 && (i == 0 || !b64(chars[i - 1])) {
            out.push_str("[..]");
            i = j;
            continue;
        }
        // Digits: dates and times (2027-01-15T08:00:00Z), unix seconds,
        // ports after a colon, durations ("in 59m", "3s ago").
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            let k = (i..chars.len())
                .find(|&k| !(chars[k].is_ascii_digit() || "-:TZ".contains(chars[k])))
                .unwrap_or(chars.len());
            let run: String = chars[i..k].iter().collect();
            let digits = run.chars().filter(char::is_ascii_digit).count();
            let after_colon = i > 0 && chars[i - 1] == ':';
            if digits >= 8 || (after_colon && digits >= 4) || (run.contains(':') && digits >= 4) {
                out.push_str("[..]");
                i = k;
                continue;
            }
        }
        let _ = word;
        out.push(chars[i]);
        i += 1;
    }
    // Relative times ("in 59m", "(3s ago)") follow the clock.
    let mut s = out;
    for unit in ["s ago", "m ago", "h ago", "d ago"] {
        s = elide_number_before(&s, unit);
    }
    s
}

/// `…12s ago…` → `…[..]s ago…` (the number before `unit`).
fn elide_number_before(s: &str, unit: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(pos) = rest.find(unit) {
        let (head, tail) = rest.split_at(pos);
        let digits = head.len() - head.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push_str(&head[..head.len() - digits]);
            out.push_str("[..]");
        } else {
            out.push_str(head);
        }
        out.push_str(unit);
        rest = &tail[unit.len()..];
    }
    out.push_str(rest);
    out
}

/// `actual` matches `expected` where `...` on its own line stands for any
/// lines and `[..]` for any text within a line.
fn matches(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"...", rest)) => (0..=actual.len()).any(|k| matches(rest, &actual[k..])),
        Some((e, rest)) => {
            !actual.is_empty() && line_matches(e, actual[0]) && matches(rest, &actual[1..])
        }
    }
}

fn line_matches(expected: &str, actual: &str) -> bool {
    let parts: Vec<&str> = expected.split("[..]").collect();
    if parts.len() == 1 {
        return expected == actual;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    let Some(mut rest) = actual.strip_prefix(first) else {
        return false;
    };
    for p in &parts[1..parts.len() - 1] {
        match rest.find(p) {
            Some(i) => rest = &rest[i + p.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// One example of a transcript: its text, and what it must do.
struct Pinned {
    example: String,
    code: String,
    output: Vec<String>,
}

fn transcript_path(cmd: &str) -> PathBuf {
    let folder = if cmd.is_empty() { "uvtool" } else { cmd };
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cmd")
        .join(folder)
        .join("examples.md")
}

/// Read a transcript: console blocks of `$ ` (first line), `> ` (its
/// continuation lines), `? CODE`, then the output up to the fence.
fn read_transcript(text: &str) -> Vec<Pinned> {
    let mut pinned: Vec<Pinned> = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_block = !in_block && line == "```console";
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            pinned.push(Pinned {
                example: cmd.to_string(),
                code: String::new(),
                output: Vec::new(),
            });
            continue;
        }
        let p = pinned.last_mut().expect("a block starts with `$ `");
        if p.code.is_empty() {
            if let Some(more) = line.strip_prefix("> ") {
                p.example.push('\n');
                p.example.push_str(more);
            } else if let Some(code) = line.strip_prefix("? ") {
                p.code = code.to_string();
            } else {
                panic!("expected `> ` or `? ` after `$ {}`: {line:?}", p.example);
            }
        } else {
            p.output.push(line.to_string());
        }
    }
    pinned
}

fn write_transcript(cmd: &str, runs: &[(String, Outcome)]) -> String {
    let title = if cmd.is_empty() {
        "uvtool --help".to_string()
    } else {
        format!("uvtool {cmd} --help")
    };
    let mut t = format!(
        "# The examples of `{title}`, run\n\n\
         Written by `cli::examples` (tests/integration/cli/examples.rs), which runs\n\
         every example of the help in this order, from a folder that\n\
         `uvtool keygen --out-dir keys` made, and checks each exit code and output\n\
         against this file (`[..]`: any text; `...`: any lines).\n"
    );
    for (example, outcome) in runs {
        t.push_str("\n```console\n");
        for (i, line) in example.lines().enumerate() {
            t.push_str(if i == 0 { "$ " } else { "> " });
            t.push_str(line);
            t.push('\n');
        }
        t.push_str(&format!("? {}\n", outcome.code));
        if !outcome.output.is_empty() {
            t.push_str(&outcome.output);
            t.push('\n');
        }
        t.push_str("```\n");
    }
    t
}

fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn every_help_example_runs_as_written() {
    let overwrite = std::env::var("TRANSCRIPTS").as_deref() == Ok("overwrite");
    // The user's endpoint: keys/jwks.json of a folder of its own, served.
    let d = tempfile::tempdir().unwrap();
    uvtool()
        .args(["keygen", "--out-dir"])
        .arg(d.path())
        .assert()
        .success();
    let server = Serve::start(&d.path().join("jwks.json"), &[]);
    let user = UserKeys::new();
    let mut failures = Vec::new();
    for cmd in commands() {
        let name = if cmd.is_empty() { "uvtool" } else { &cmd };
        let examples = examples_of(&help(&cmd, "100"));
        assert!(!examples.is_empty(), "`{name} --help` has no examples");
        let missing: Vec<&str> = ["openssl", "man", "jq"]
            .into_iter()
            .filter(|t| examples.iter().any(|e| e.contains(&format!("{t} "))))
            .filter(|t| !have(t))
            .collect();
        if !missing.is_empty() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{name}: the examples need {missing:?}"
            );
            eprintln!("skipping the examples of {name} --help: no {missing:?} here");
            continue;
        }
        let path = transcript_path(&cmd);
        let pinned = std::fs::read_to_string(&path)
            .map(|t| read_transcript(&t))
            .unwrap_or_default();
        let pinned_examples: Vec<&str> = pinned.iter().map(|p| p.example.as_str()).collect();
        if !overwrite && pinned_examples != examples {
            failures.push(format!(
                "{}: the examples differ from `{name} --help`'s (TRANSCRIPTS=overwrite writes them):\n  help: {examples:?}\n  file: {pinned_examples:?}",
                path.display()
            ));
            continue;
        }
        let mut sandbox = Sandbox::new(&examples, &server.url, &user);
        let mut runs = Vec::new();
        for (i, example) in examples.iter().enumerate() {
            let got = sandbox.run(example);
            if got.output == PORT_TAKEN {
                eprintln!("{name} --help: `{example}`: its port is taken here; not compared");
            } else if !overwrite {
                let p = &pinned[i];
                let expected: Vec<&str> = p.output.iter().map(String::as_str).collect();
                let actual: Vec<&str> = got.output.lines().collect();
                if p.code != got.code || !matches(&expected, &actual) {
                    failures.push(format!(
                        "{name} --help, example {}:\n$ {example}\nexpected `? {}`:\n{}\ngot `? {}`:\n{}",
                        i + 1,
                        p.code,
                        p.output.join("\n"),
                        got.code,
                        got.output
                    ));
                }
            }
            runs.push((example.clone(), got));
        }
        drop(sandbox);
        if overwrite {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, write_transcript(&cmd, &runs)).unwrap();
        }
        // Whatever the transcript says, an example ends as a success, as
        // a server, or with the exit code its transcript names on purpose.
        for (example, got) in &runs {
            if got.code != "0" && got.code != "running" && !pinned_on_purpose(&cmd, example) {
                failures.push(format!(
                    "{name} --help: `{example}` exits {}:\n{}",
                    got.code, got.output
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Examples that show a definite no on purpose (exit 1).
fn pinned_on_purpose(cmd: &str, example: &str) -> bool {
    cmd == "fixtures" && example.contains("tokens/expired.jwt")
}

#[test]
fn every_help_line_fits_80_columns() {
    let mut long = Vec::new();
    for cmd in commands() {
        for line in help(&cmd, "80").lines() {
            let n = line.chars().count();
            if n > 80 {
                long.push(format!("uvtool {cmd} --help: {n} columns: {line}"));
            }
        }
    }
    assert!(long.is_empty(), "{}", long.join("\n"));
}

#[test]
fn examples_are_read_as_the_help_shows_them() {
    let help = "Usage: x\n\nExamples:\n  uvtool a \\\n      --b c\n  uvtool d |\n      uvtool e -\n\nProse:\n  uvtool f\n";
    assert_eq!(
        examples_of(help),
        [
            "uvtool a \\\n    --b c",
            "uvtool d |\n    uvtool e -",
            "uvtool f"
        ]
    );
    assert!(matches(&["a[..]c", "...", "z"], &["abc", "x", "y", "z"]));
    assert!(!matches(&["a[..]c"], &["abd"]));
    assert_eq!(
        elide("kid \"Xk3q_-abcdefghijklmnopqrstuv\" at 2027-01-15T08:00:00Z (3s ago)"),
        "kid \"[..]\" at [..] ([..]s ago)"
    );
}
