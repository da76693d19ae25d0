//! One verdict for every input, whichever judge gives it: every case of the
//! independent corpus (`tests/corpus/`, made by `scripts/make-corpus.py`
//! with Python's `cryptography` and `openssl`, never by uvtool) runs through
//! every judge of uvtool under both profiles:
//!
//! - `verify --jwks SET TOKEN` (the token as an argument), from a file, from
//!   stdin (`-`), and `verify --json`;
//! - the batch path: the token twice on stdin (one verdict a line, text),
//!   and every token of a key set in one `verify --json -` run;
//! - `check TOKEN-FILE SET` (its verdict line, and its exit code as a lint);
//! - the `uvtool ui` page's `POST /api/inspect`;
//! - `verify --jwks-url` against a stub server on loopback serving the set.
//!
//! Each must give the verdict, exit code and first failing rule of
//! `tests/corpus/expected.json` (derived from the rules, not from uvtool's
//! output), so all judges agree; text output must hold exactly one verdict
//! line per token (a token's `sub` cannot add one). On failure the test
//! prints a table of every disagreement. It needs no Python: it reads only
//! the committed files.

use crate::common::stub;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::collect_within;
use crate::common::serve::{raw, Serve};

/// How long one judge may take (a debug build on a loaded 2-core machine).
const LIMIT: Duration = Duration::from_secs(30);
/// Judges run at once.
const WORKERS: usize = 4;
const PROFILES: [&str; 2] = ["platform", "rfc"];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// What a profile's expectation says.
#[derive(Debug, Clone)]
struct Expect {
    verdict: String,
    exit: i32,
    rule: Option<String>,
    check_exit: Vec<i32>,
}

#[derive(Debug)]
struct Case {
    id: String,
    /// The token file's path and its exact text.
    file: PathBuf,
    text: String,
    /// The key set's path and its name (`sets/…`).
    set: PathBuf,
    set_name: String,
    /// `--now`, `--iss` and the case's own arguments.
    args: Vec<String>,
    expect: BTreeMap<String, Expect>,
}

impl Case {
    /// The token text as lines (one token a line for files, stdin and
    /// batches); a trailing newline ends the last line.
    fn lines(&self) -> Vec<&str> {
        self.text.trim_end_matches('\n').split('\n').collect()
    }
}

fn load() -> (Vec<Case>, Value) {
    let d = dir();
    let m: Value = serde_json::from_slice(&std::fs::read(d.join("expected.json")).unwrap())
        .expect("tests/corpus/expected.json is JSON");
    let common: Vec<String> = m["common_args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let cases = m["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_string();
            let file = d.join(s("token"));
            let mut args = common.clone();
            args.extend(
                c["args"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a.as_str().unwrap().to_string()),
            );
            let expect = PROFILES
                .iter()
                .map(|p| {
                    let e = &c["expect"][*p];
                    (
                        p.to_string(),
                        Expect {
                            verdict: e["verdict"].as_str().unwrap().to_string(),
                            exit: e["exit"].as_i64().unwrap() as i32,
                            rule: e["rule"].as_str().map(str::to_string),
                            check_exit: e["check_exit"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|x| x.as_i64().unwrap() as i32)
                                .collect(),
                        },
                    )
                })
                .collect();
            Case {
                id: s("id"),
                text: std::fs::read_to_string(&file).unwrap(),
                file,
                set: d.join(s("keyset")),
                set_name: s("keyset"),
                args,
                expect,
            }
        })
        .collect();
    (cases, m)
}

/// What one judge said about one case under one profile.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Got {
    /// The exit code (for the page and the JSON batch: 0 valid, 1 invalid,
    /// as the verdict says; the process's code when it refused to run).
    exit: Option<i32>,
    /// `valid`, `invalid`, `unreadable`, or what else happened.
    verdict: String,
    rule: Option<String>,
    /// Anything else wrong (forged or missing verdict lines, an HTTP error).
    problem: Option<String>,
}

impl Got {
    fn show(&self) -> String {
        let mut s = format!(
            "{} exit {}",
            self.verdict,
            self.exit.map_or("-".into(), |c| c.to_string())
        );
        if let Some(r) = &self.rule {
            let _ = write!(s, " {r}");
        }
        if let Some(p) = &self.problem {
            let _ = write!(s, " [{p}]");
        }
        s
    }
}

fn show_expect(e: &Expect, check: bool) -> String {
    let mut s = format!("{} exit {}", e.verdict, e.exit);
    if let Some(r) = &e.rule {
        let _ = write!(s, " {r}");
    }
    if check {
        let _ = write!(s, " (check exit {:?})", e.check_exit);
    }
    s
}

/// `uvtool ARGS` with `stdin`, bounded by [`LIMIT`].
fn run(args: &[OsString], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("uvtool"))
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("COLUMNS", "100")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start uvtool");
    let writer = stdin.map(|data| {
        let mut w = child.stdin.take().unwrap();
        let data = data.to_vec();
        thread::spawn(move || {
            let _ = w.write_all(&data);
        })
    });
    let out = collect_within(child, LIMIT, &format!("uvtool {args:?}"));
    if let Some(w) = writer {
        let _ = w.join();
    }
    out
}

fn os(v: &[&str]) -> Vec<OsString> {
    v.iter().map(OsString::from).collect()
}

/// The rule id in `… (T7)` at the end of `s`.
fn rule_at_end(s: &str) -> Option<String> {
    let s = s.trim_end();
    let inner = s.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let id = &inner[open + 1..];
    let mut chars = id.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && id.len() >= 2
        && chars.all(|c| c.is_ascii_digit());
    ok.then(|| id.to_string())
}

/// Characters that text output must never show raw (issue 20 part 4: values
/// from a token are escaped): controls other than the line feed, DEL, C1
/// controls (NEL included), and the line and paragraph separators.
fn raw_controls(text: &str) -> usize {
    text.chars()
        .filter(|&c| (c.is_control() && c != '\n') || c == '\u{2028}' || c == '\u{2029}')
        .count()
}

/// A line of verify's text output that is a verdict: `valid…` or `invalid:…`.
fn is_verdict_line(l: &str) -> bool {
    l == "valid" || l.starts_with("valid ") || l.starts_with("invalid:")
}

/// The verdict of verify's text output: the first invalid line's rule, or
/// valid when every verdict line is; `lines` is how many verdict lines the
/// output may hold.
fn from_text(out: &Output, lines: &[usize]) -> Got {
    let code = out.status.code();
    let text = String::from_utf8_lossy(&out.stdout);
    let verdicts: Vec<&str> = text.lines().filter(|l| is_verdict_line(l)).collect();
    let mut got = Got {
        exit: code,
        verdict: String::new(),
        rule: None,
        problem: None,
    };
    if code == Some(2) && verdicts.is_empty() {
        got.verdict = "unreadable".into();
        return got;
    }
    if !matches!(code, Some(0) | Some(1)) {
        got.verdict = format!("crash ({})", first_line(&out.stderr));
        return got;
    }
    if let Some(bad) = verdicts.iter().find(|l| l.starts_with("invalid:")) {
        got.verdict = "invalid".into();
        // Batch lines end with ` [SOURCE, sub=…]` (issue 23): the rule is
        // what comes before the first ` [` that follows one.
        let cut = bad
            .match_indices(" [")
            .map(|(i, _)| &bad[..i])
            .find(|c| rule_at_end(c).is_some())
            .unwrap_or(bad);
        got.rule = rule_at_end(cut);
    } else if verdicts.is_empty() {
        got.verdict = "no verdict".into();
    } else {
        got.verdict = "valid".into();
    }
    if !lines.contains(&verdicts.len()) {
        got.problem = Some(format!(
            "{} verdict lines, want {}",
            verdicts.len(),
            lines
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(" or ")
        ));
    } else if raw_controls(&text) > 0 {
        got.problem = Some(format!("{} raw control characters", raw_controls(&text)));
    }
    got
}

fn first_line(b: &[u8]) -> String {
    let s = String::from_utf8_lossy(b);
    let l = s.lines().next().unwrap_or("").to_string();
    l.chars().take(80).collect()
}

/// The verdict of one `verify --json` object.
fn from_json_value(v: &Value) -> (String, Option<String>) {
    match v["valid"].as_bool() {
        Some(true) => ("valid".into(), None),
        Some(false) => ("invalid".into(), v["rule"].as_str().map(str::to_string)),
        None => ("no verdict".into(), None),
    }
}

/// `verify --json` output: one pretty object, or one compact object a line.
fn from_json(out: &Output) -> Got {
    let code = out.status.code();
    let mut got = Got {
        exit: code,
        verdict: String::new(),
        rule: None,
        problem: None,
    };
    if code == Some(2) && out.stdout.is_empty() {
        got.verdict = "unreadable".into();
        return got;
    }
    if !matches!(code, Some(0) | Some(1)) {
        got.verdict = format!("crash ({})", first_line(&out.stderr));
        return got;
    }
    let values: Vec<Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    let verdicts: Vec<(String, Option<String>)> = values.iter().map(from_json_value).collect();
    match verdicts.iter().find(|v| v.0 != "valid") {
        Some((v, r)) => {
            got.verdict = v.clone();
            got.rule = r.clone();
        }
        None if verdicts.is_empty() => got.verdict = "no JSON".into(),
        None => got.verdict = "valid".into(),
    }
    got
}

/// `check TOKEN-FILE SET`: its verdict line and exit code.
fn from_check(out: &Output) -> Got {
    let code = out.status.code();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut got = Got {
        exit: code,
        verdict: String::new(),
        rule: None,
        problem: None,
    };
    if !matches!(code, Some(0..=2)) {
        got.verdict = format!("crash ({})", first_line(&out.stderr));
        return got;
    }
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("verdict ("))
        .collect();
    let forged = text.lines().filter(|l| is_verdict_line(l)).count();
    match lines.first() {
        None if code == Some(2) => got.verdict = "unreadable".into(),
        None => got.verdict = "no verdict".into(),
        Some(l) if l.contains("): valid under") => got.verdict = "valid".into(),
        Some(l) if l.contains("): invalid under") => {
            got.verdict = "invalid".into();
            got.rule = rule_at_end(l);
        }
        Some(l) => got.verdict = format!("? {l}"),
    }
    // A file of several lines is read as verify reads it, one token a line:
    // then each line has its own verdict, named `file:LINE`.
    let per_line = lines.iter().all(|l| {
        l.split_once("): ")
            .and_then(|(name, _)| name.rsplit_once(':'))
            .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    });
    if (lines.len() > 1 && !per_line) || forged > 0 {
        got.problem = Some(format!(
            "{} verdict lines and {forged} lines reading as verify's",
            lines.len()
        ));
    } else if raw_controls(&text) > 0 {
        got.problem = Some(format!("{} raw control characters", raw_controls(&text)));
    }
    got
}

/// The judges, in the table's order.
const JUDGES: [&str; 9] = [
    "verify-arg",
    "verify-file",
    "verify-stdin",
    "verify-json",
    "batch",
    "batch-json",
    "check",
    "ui",
    "jwks-url",
];

fn profile_args(profile: &str) -> Vec<OsString> {
    if profile == "rfc" {
        os(&["--profile", "rfc"])
    } else {
        Vec::new()
    }
}

fn verify_args(c: &Case, profile: &str, json: bool) -> Vec<OsString> {
    let mut a = os(&["verify"]);
    if json {
        a.push("--json".into());
    }
    a.extend(profile_args(profile));
    a.extend(c.args.iter().map(OsString::from));
    a.push("--jwks".into());
    a.push(c.set.clone().into());
    a
}

/// Run one per-case judge.
fn judge(c: &Case, profile: &str, judge: &str, url: &str) -> Got {
    let k = c.lines().len();
    let text = c.text.trim_end_matches('\n');
    match judge {
        "verify-arg" => {
            let mut a = verify_args(c, profile, false);
            a.push(text.into());
            // One argument is one token, or one a line.
            from_text(&run(&a, None), &[1, k])
        }
        "verify-file" => {
            let mut a = verify_args(c, profile, false);
            a.push(c.file.clone().into());
            from_text(&run(&a, None), &[k])
        }
        "verify-stdin" => {
            let mut a = verify_args(c, profile, false);
            a.push("-".into());
            from_text(&run(&a, Some(c.text.as_bytes())), &[k])
        }
        "verify-json" => {
            let mut a = verify_args(c, profile, true);
            a.push(text.into());
            from_json(&run(&a, None))
        }
        "batch" => {
            // The token twice: the batch path, one verdict a line.
            let mut a = verify_args(c, profile, false);
            a.push("-".into());
            let input = format!("{text}\n{text}\n");
            from_text(&run(&a, Some(input.as_bytes())), &[2 * k])
        }
        "check" => {
            let mut a = os(&["check"]);
            a.extend(profile_args(profile));
            a.extend(c.args.iter().map(OsString::from));
            a.push(c.file.clone().into());
            a.push(c.set.clone().into());
            from_check(&run(&a, None))
        }
        "jwks-url" => {
            let mut a = os(&["verify"]);
            a.extend(profile_args(profile));
            a.extend(c.args.iter().map(OsString::from));
            a.push("--jwks-url".into());
            a.push(format!("{url}/{}", c.set_name).into());
            a.push(text.into());
            from_text(&run(&a, None), &[1, k])
        }
        other => unreachable!("{other}"),
    }
}

/// Run `jobs` on [`WORKERS`] threads; results in the jobs' order.
fn parallel<T: Sync, R: Send>(jobs: Vec<T>, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..jobs.len()).map(|_| None).collect());
    thread::scope(|s| {
        for _ in 0..WORKERS {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = jobs.get(i) else { break };
                let r = f(job);
                results.lock().unwrap()[i] = Some(r);
            });
        }
    });
    results
        .into_inner()
        .unwrap()
        .into_iter()
        .map(|r| r.expect("every job ran"))
        .collect()
}

/// Cases that share a key set and arguments: one `ui` server and one JSON
/// batch each.
fn groups(cases: &[Case]) -> BTreeMap<(String, Vec<String>), Vec<usize>> {
    let mut g: BTreeMap<(String, Vec<String>), Vec<usize>> = BTreeMap::new();
    for (i, c) in cases.iter().enumerate() {
        g.entry((c.set_name.clone(), c.args.clone()))
            .or_default()
            .push(i);
    }
    g
}

/// Every token of a group in one `verify --json -` run; each case's verdict
/// is its lines' (the first invalid one), found by the `line` member.
fn batch_json(cases: &[Case], idx: &[usize], profile: &str) -> Vec<(usize, Got)> {
    let first = &cases[idx[0]];
    let mut a = verify_args(first, profile, true);
    a.push("-".into());
    let mut input = String::new();
    let mut spans = Vec::new();
    let mut line = 1;
    for &i in idx {
        let lines = cases[i].lines();
        spans.push((i, line, line + lines.len()));
        line += lines.len();
        for l in lines {
            input.push_str(l);
            input.push('\n');
        }
    }
    if line == 2 {
        // One token alone gets the full report: give the batch a second.
        let again = input.clone();
        input.push_str(&again);
    }
    let out = run(&a, Some(input.as_bytes()));
    let code = out.status.code();
    let values: Vec<Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .unwrap_or_default();
    spans
        .into_iter()
        .map(|(i, from, to)| {
            let mut got = Got {
                exit: None,
                verdict: String::new(),
                rule: None,
                problem: None,
            };
            if !matches!(code, Some(0) | Some(1)) {
                got.exit = code;
                got.verdict = if code == Some(2) && values.is_empty() {
                    "unreadable".into()
                } else {
                    format!("crash ({})", first_line(&out.stderr))
                };
                return (i, got);
            }
            let mine: Vec<(String, Option<String>)> = values
                .iter()
                .filter(|v| {
                    v["line"]
                        .as_u64()
                        .is_some_and(|l| (from as u64..to as u64).contains(&l))
                })
                .map(from_json_value)
                .collect();
            match mine.iter().find(|v| v.0 != "valid") {
                Some((v, r)) => {
                    got.verdict = v.clone();
                    got.rule = r.clone();
                }
                None if mine.is_empty() => got.verdict = "no line".into(),
                None => got.verdict = "valid".into(),
            }
            got.exit = match got.verdict.as_str() {
                "valid" => Some(0),
                "invalid" => Some(1),
                _ => None,
            };
            (i, got)
        })
        .collect()
}

/// One `uvtool ui` for a group: each case's token through
/// `POST /api/inspect`, both profiles' verdicts from one answer.
fn ui(cases: &[Case], idx: &[usize]) -> Vec<(usize, &'static str, Got)> {
    let first = &cases[idx[0]];
    let mut a = os(&["ui", "--port", "0", "--quiet", "--jwks"]);
    a.push(first.set.clone().into());
    a.extend(first.args.iter().map(OsString::from));
    let mut res = Vec::new();
    let server = match Serve::try_spawn(&a) {
        Ok(s) => s,
        Err((code, err)) => {
            for &i in idx {
                for p in PROFILES {
                    let verdict = if code == Some(2) {
                        "unreadable".to_string()
                    } else {
                        format!("crash ({})", err.lines().next().unwrap_or(""))
                    };
                    res.push((
                        i,
                        p,
                        Got {
                            exit: code,
                            verdict,
                            rule: None,
                            problem: None,
                        },
                    ));
                }
            }
            return res;
        }
    };
    for &i in idx {
        let body = serde_json::json!({ "token": cases[i].text }).to_string();
        let addr = server.addr;
        let req = format!(
            "POST /api/inspect HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let r = raw(addr, req.as_bytes());
        let v: Option<Value> = serde_json::from_slice(&r.body).ok();
        for p in PROFILES {
            let got = match (&v, r.status) {
                (Some(v), 200) => {
                    let (verdict, rule) = from_json_value(&v["verdicts"][p]);
                    Got {
                        exit: match verdict.as_str() {
                            "valid" => Some(0),
                            "invalid" => Some(1),
                            _ => None,
                        },
                        verdict,
                        rule,
                        problem: None,
                    }
                }
                (_, status) => Got {
                    exit: None,
                    verdict: format!("HTTP {status}"),
                    rule: None,
                    problem: Some(
                        String::from_utf8_lossy(&r.body)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                            .chars()
                            .take(70)
                            .collect(),
                    ),
                },
            };
            res.push((i, p, got));
        }
    }
    res
}

/// Does `got` from `judge` match the expectation?
fn matches(e: &Expect, judge: &str, got: &Got) -> bool {
    let exit_ok = if judge == "check" {
        got.exit.is_some_and(|c| e.check_exit.contains(&c))
    } else {
        got.exit == Some(e.exit)
    };
    exit_ok && got.verdict == e.verdict && got.rule == e.rule && got.problem.is_none()
}

#[test]
fn every_judge_gives_every_corpus_case_its_one_verdict() {
    let start = Instant::now();
    let (cases, _) = load();
    assert!(cases.len() >= 60, "only {} cases", cases.len());

    // The stub endpoint serves every key set under its own path.
    let mut files = BTreeMap::new();
    for c in &cases {
        files
            .entry(c.set_name.clone())
            .or_insert_with(|| std::fs::read(&c.set).unwrap());
    }
    let url = stub::files(files).url("");

    // got[(case, profile, judge)]
    let mut got: BTreeMap<(usize, &str, &str), Got> = BTreeMap::new();
    let per_case = [
        "verify-arg",
        "verify-file",
        "verify-stdin",
        "verify-json",
        "batch",
        "check",
        "jwks-url",
    ];
    let mut jobs = Vec::new();
    for i in 0..cases.len() {
        for p in PROFILES {
            for j in per_case {
                jobs.push((i, p, j));
            }
        }
    }
    let results = parallel(jobs.clone(), |&(i, p, j)| judge(&cases[i], p, j, &url));
    for ((i, p, j), r) in jobs.into_iter().zip(results) {
        got.insert((i, p, j), r);
    }

    let groups: Vec<Vec<usize>> = groups(&cases).into_values().collect();
    let mut gjobs = Vec::new();
    for g in &groups {
        gjobs.push((g.clone(), None));
        for p in PROFILES {
            gjobs.push((g.clone(), Some(p)));
        }
    }
    let gresults = parallel(gjobs.clone(), |(g, p)| match p {
        None => ui(&cases, g)
            .into_iter()
            .map(|(i, p, r)| (i, p, "ui", r))
            .collect::<Vec<_>>(),
        Some(p) => batch_json(&cases, g, p)
            .into_iter()
            .map(|(i, r)| (i, *p, "batch-json", r))
            .collect(),
    });
    for (i, p, j, r) in gresults.into_iter().flatten() {
        got.insert((i, p, j), r);
    }

    // The table: one row per (case, profile) where a judge is off, with the
    // expected answer and each different answer with the judges giving it.
    let mut table = String::new();
    let (mut rows, mut answers_off, mut split) = (0, 0, 0);
    for (i, c) in cases.iter().enumerate() {
        for p in PROFILES {
            let e = &c.expect[p];
            let answers: Vec<(&str, &Got)> = JUDGES
                .iter()
                .map(|j| (*j, got.get(&(i, p, *j)).expect("every judge ran")))
                .collect();
            let verdicts: std::collections::BTreeSet<(&str, Option<&str>)> = answers
                .iter()
                .map(|(_, g)| (g.verdict.as_str(), g.rule.as_deref()))
                .collect();
            if verdicts.len() > 1 {
                split += 1;
            }
            // Each wrong answer, with the judges that gave it.
            let mut wrong: Vec<(String, Vec<&str>)> = Vec::new();
            for (j, g) in answers {
                if matches(e, j, g) {
                    continue;
                }
                answers_off += 1;
                let shown = if j == "check" {
                    format!("{} (check)", g.show())
                } else {
                    g.show()
                };
                match wrong.iter_mut().find(|(s, _)| *s == shown) {
                    Some((_, js)) => js.push(j),
                    None => wrong.push((shown, vec![j])),
                }
            }
            if wrong.is_empty() {
                continue;
            }
            rows += 1;
            let got_text = wrong
                .iter()
                .map(|(g, js)| format!("{g} <- {}", js.join(",")))
                .collect::<Vec<_>>()
                .join("; ");
            let _ = writeln!(
                table,
                "{:<24} {:<8} {:<34} {got_text}",
                c.id,
                p,
                show_expect(e, wrong.iter().any(|(_, js)| js.contains(&"check")))
            );
        }
    }
    eprintln!(
        "corpus: {} cases x {} profiles x {} judges in {:.1}s",
        cases.len(),
        PROFILES.len(),
        JUDGES.len(),
        start.elapsed().as_secs_f64()
    );
    assert!(
        rows == 0,
        "{answers_off} answers on {rows} (case, profile) pairs differ from \
         tests/corpus/expected.json; the judges disagree among themselves on {split}:\n\
         {:<24} {:<8} {:<34} got <- judges\n{table}",
        "case",
        "profile",
        "want"
    );
}

#[test]
fn the_corpus_is_whole() {
    // Every case names files that exist, under both profiles, with a
    // rule exactly when it is invalid; every expected exit fits the verdict.
    let (cases, m) = load();
    let mut ids = std::collections::BTreeSet::new();
    for c in &cases {
        assert!(ids.insert(c.id.clone()), "duplicate case {}", c.id);
        assert!(c.set.is_file(), "{}: {}", c.id, c.set.display());
        for p in PROFILES {
            let e = &c.expect[p];
            let want_exit = match e.verdict.as_str() {
                "valid" => 0,
                "invalid" => 1,
                "unreadable" => 2,
                other => panic!("{}: verdict {other}", c.id),
            };
            assert_eq!(e.exit, want_exit, "{} {p}", c.id);
            assert_eq!(e.rule.is_some(), e.verdict == "invalid", "{} {p}", c.id);
            assert!(!e.check_exit.is_empty(), "{} {p}", c.id);
        }
    }
    assert_eq!(m["now"].as_i64(), Some(1_800_000_000));
}
