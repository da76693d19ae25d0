//! `uvtool check`: a preflight lint of keys, certificates, keyset URLs and
//! tokens. It reads each input once ([`crate::read`]) and reports what the
//! one policy ([`crate::policy`]) finds, rule by rule: the key rules on
//! every key document, the endpoint rules on every URL, and, for every
//! token, the very evaluation `verify` makes (against every key given), so
//! the two commands never disagree on a token.

use crate::policy::{self, Finding, Key, Level, Out, Settings, Verdict};
use crate::read::{Input, KeyDoc};

pub use crate::read::read;

/// The verdict on one token, as `verify` would give it.
#[derive(Debug)]
pub struct TokenVerdict {
    /// The input, as named on the command line.
    pub file: String,
    /// Its index in the inputs given to [`run`] (two inputs may share a name).
    pub input: usize,
    pub verdict: Verdict,
}

/// The result of a run: the findings, the verdict on each token, and what
/// could not be checked.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// For each input given to [`run`], in order, the range of `findings`
    /// its rules gave (a finding before every range, P1, is about no input).
    pub spans: Vec<std::ops::Range<usize>>,
    pub tokens: Vec<TokenVerdict>,
    /// Checks skipped for want of an input.
    pub notes: Vec<String>,
}

impl Report {
    /// How many findings have this level.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }
}

/// Run every applicable rule on the inputs. `auth_id`, when given, is
/// checked against P1.
pub fn run(inputs: &[Input], s: &Settings, auth_id: Option<&str>) -> Report {
    let mut report = Report::default();
    let registered = registered_keys(inputs, s);
    let has_keys = inputs.iter().any(|i| match i {
        Input::Keys(_) => true,
        Input::Endpoint(ep) => matches!(
            ep.response.as_ref().and_then(|r| r.doc.as_ref()),
            Some(Ok(_))
        ),
        Input::Token(_) => false,
    });
    let source = inputs
        .iter()
        .filter_map(|i| match i {
            Input::Keys(d) => Some(d.file.as_str()),
            Input::Endpoint(e) => Some(e.url.as_str()),
            Input::Token(_) => None,
        })
        .collect::<Vec<_>>()
        .join(", ");
    if let Some(name) = auth_id {
        policy::p1(name, &mut Out::new(s.profile, &mut report.findings));
    }
    for (index, input) in inputs.iter().enumerate() {
        let start = report.findings.len();
        match input {
            Input::Keys(doc) => policy::keys::run(doc, s, &mut report.findings),
            Input::Endpoint(ep) => {
                policy::endpoint::run(ep, s, &mut report.findings);
                if let Some(Ok(doc)) = ep.response.as_ref().and_then(|r| r.doc.as_ref()) {
                    // A set is right for an endpoint, whatever --upload says.
                    let endpoint_settings = Settings {
                        upload: false,
                        ..s.clone()
                    };
                    policy::keys::run(doc, &endpoint_settings, &mut report.findings);
                }
                if ep.url.to_ascii_lowercase().starts_with("http://") && ep.response.is_some() {
                    report.notes.push(format!(
                        "{}: plain http is fine on loopback for testing; the platform's keyset URL is https (E1; source: meta)",
                        ep.url
                    ));
                }
            }
            Input::Token(t) => {
                // Keys given (even none usable, even an endpoint that gave
                // none) are held against the token as `verify` does: the
                // signature is only skipped when no key input was given.
                let keys = has_keys.then_some(registered.as_slice());
                let verdict = policy::evaluate(&t.text, &t.file, keys, &source, s);
                // Key findings are reported once, on the key's own file.
                report.findings.extend(
                    verdict
                        .findings
                        .iter()
                        .filter(|f| f.rule.starts_with('T') || f.rule.starts_with('A'))
                        .cloned(),
                );
                report.notes.extend(verdict.notes.iter().cloned());
                report.tokens.push(TokenVerdict {
                    file: t.file.clone(),
                    input: index,
                    verdict,
                });
            }
        }
        report.spans.push(start..report.findings.len());
    }
    report
}

/// The RSA keys of every key input, as `verify` would hold them, each with
/// its key rules' findings.
fn registered_keys(inputs: &[Input], s: &Settings) -> Vec<Key> {
    let docs = inputs.iter().filter_map(|i| match i {
        Input::Keys(doc) => Some(doc),
        Input::Endpoint(ep) => ep.response.as_ref()?.doc.as_ref()?.as_ref().ok(),
        Input::Token(_) => None,
    });
    let mut out = Vec::new();
    for doc in docs {
        keys_of(doc, s, &mut out);
    }
    out
}

fn keys_of(doc: &KeyDoc, s: &Settings, out: &mut Vec<Key>) {
    out.extend(policy::doc_keys(doc.clone(), s));
}
