//! `uvtool check`: a preflight lint of keys, certificates and tokens against
//! the platform's documented rules and the common causes of its silent
//! failures (see `PLATFORM.md`).
//!
//! Each rule is one function with a [`Rule`] constant next to it holding its
//! id, level and source; [`RULES`] lists them all. The runner reads the
//! inputs ([`read`]), runs every rule that applies to each, and runs the
//! cross rules (a token against the keys given with it). Adding a rule is
//! adding a function, its constant, a line in [`RULES`] and a test.

pub mod endpoint;
mod input;
pub mod keys;
pub mod tokens;

pub use input::{
    read, CertFacts, CertProblem, CertSlot, EndpointInput, Fetched, Input, KeyDoc, KeyView, Shape,
    TokenInput,
};

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
    Error,
}

impl Level {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// One thing a rule found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub level: Level,
    /// The rule id, e.g. `K13`.
    pub rule: &'static str,
    /// The input, as named on the command line (`<stdin>` for `-`).
    pub file: String,
    /// Where inside it: a JSON path such as `keys[0].x5c[0]`, `header.alg`,
    /// or empty for the whole input.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, with the uvtool command where one exists.
    pub fix: Option<String>,
}

impl Finding {
    /// `file` or `file: path`.
    pub fn location(&self) -> String {
        if self.path.is_empty() {
            self.file.clone()
        } else {
            format!("{}: {}", self.file, self.path)
        }
    }
}

/// What a rule function writes its findings to; the runner stamps the rule id.
pub struct Out<'a> {
    rule: &'static str,
    list: &'a mut Vec<Finding>,
}

impl Out<'_> {
    /// Record a finding.
    pub fn push(
        &mut self,
        level: Level,
        file: &str,
        path: &str,
        message: String,
        fix: Option<String>,
    ) {
        self.list.push(Finding {
            level,
            rule: self.rule,
            file: file.to_string(),
            path: path.to_string(),
            message,
            fix,
        });
    }

    /// Record an error.
    pub fn error(&mut self, file: &str, path: &str, message: String, fix: Option<String>) {
        self.push(Level::Error, file, path, message, fix);
    }

    /// Record a warning.
    pub fn warning(&mut self, file: &str, path: &str, message: String, fix: Option<String>) {
        self.push(Level::Warning, file, path, message, fix);
    }

    /// Record an informational finding.
    pub fn info(&mut self, file: &str, path: &str, message: String, fix: Option<String>) {
        self.push(Level::Info, file, path, message, fix);
    }
}

/// What a rule runs on.
#[derive(Clone, Copy)]
pub enum Check {
    /// A key document: a JWK, a JWKS, a JSON array of keys, a certificate or a key file.
    Keys(fn(&KeyDoc, &Options, &mut Out<'_>)),
    /// A token, with the keys given alongside it (cross rules use them).
    Token(fn(&tokens::TokenCtx<'_>, &mut Out<'_>)),
    /// A keyset URL and what it answered.
    Endpoint(fn(&EndpointInput, &mut Out<'_>)),
}

/// A rule: its id, level, one-line summary and source, and its function.
pub struct Rule {
    pub id: &'static str,
    /// `error`, `warning`, `info`, or `error/warning` when it depends on the case.
    pub level: &'static str,
    pub summary: &'static str,
    pub source: &'static str,
    pub check: Check,
}

/// Every rule, in the order they run and are listed.
pub static RULES: &[&Rule] = &[
    &keys::K1,
    &keys::K2,
    &keys::K3,
    &keys::K4,
    &keys::K5,
    &keys::K6,
    &keys::K7,
    &keys::K8,
    &keys::K9,
    &keys::K10,
    &keys::K11,
    &keys::K12,
    &keys::K13,
    &keys::K14,
    &endpoint::E1,
    &endpoint::E2,
    &endpoint::E3,
    &endpoint::E4,
    &tokens::T1,
    &tokens::T2,
    &tokens::T3,
    &tokens::T4,
    &tokens::T5,
    &tokens::T6,
    &tokens::T7,
    &tokens::T8,
    &tokens::T9,
    &tokens::T10,
];

/// Settings for a run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The issuer registered with the keyset (T4 compares `iss` with it).
    pub issuer: Option<String>,
    /// The time to check against, unix seconds.
    pub now: i64,
    /// A key file is meant for the Setup upload form: a JWKS is then an error (K9).
    pub upload: bool,
}

/// The result of a run: the findings, and what could not be checked.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Checks skipped for want of an input, e.g. `T7: signature not checked (give the JWKS or JWK too)`.
    pub notes: Vec<String>,
}

impl Report {
    /// How many findings have this level.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }
}

/// Run every applicable rule on the inputs, and the cross rules between
/// each token and the keys given with it.
pub fn run(inputs: &[Input], opts: &Options) -> Report {
    let mut report = Report::default();
    let registered = tokens::registered_keys(inputs);
    for input in inputs {
        match input {
            Input::Keys(doc) => run_keys(doc, opts, &mut report.findings),
            Input::Endpoint(ep) => {
                for rule in RULES {
                    if let Check::Endpoint(f) = rule.check {
                        f(
                            ep,
                            &mut Out {
                                rule: rule.id,
                                list: &mut report.findings,
                            },
                        );
                    }
                }
                if let Some(Ok(doc)) = ep.response.as_ref().and_then(|r| r.doc.as_ref()) {
                    // A set is right for an endpoint, whatever --upload says.
                    let endpoint_opts = Options {
                        upload: false,
                        ..opts.clone()
                    };
                    run_keys(doc, &endpoint_opts, &mut report.findings);
                }
                if ep.url.to_ascii_lowercase().starts_with("http://") && ep.response.is_some() {
                    report.notes.push(format!(
                        "{}: plain http is fine on loopback for testing; the platform fetches keysets over https only (E1)",
                        ep.url
                    ));
                }
            }
            Input::Token(t) => {
                let ctx = tokens::TokenCtx {
                    token: t,
                    keys: &registered,
                    opts,
                };
                for rule in RULES {
                    if let Check::Token(f) = rule.check {
                        f(
                            &ctx,
                            &mut Out {
                                rule: rule.id,
                                list: &mut report.findings,
                            },
                        );
                    }
                }
                report.notes.extend(tokens::notes(&ctx));
            }
        }
    }
    report
}

/// Run the key rules on one key document.
fn run_keys(doc: &KeyDoc, opts: &Options, findings: &mut Vec<Finding>) {
    for rule in RULES {
        if let Check::Keys(f) = rule.check {
            f(
                doc,
                opts,
                &mut Out {
                    rule: rule.id,
                    list: findings,
                },
            );
        }
    }
}

/// `prefix.member`, or `member` at the top level.
pub(crate) fn join(prefix: &str, member: &str) -> String {
    if prefix.is_empty() {
        member.to_string()
    } else if member.starts_with('[') {
        format!("{prefix}{member}")
    } else {
        format!("{prefix}.{member}")
    }
}
