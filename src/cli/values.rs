//! Value parsers: every command-line value is parsed once, here, into the
//! library's types (times, durations, algorithms, profiles, claims), so a
//! command receives typed values and a bad value is refused by clap with
//! the flag and the value named (`invalid value 'soon' for '--ttl
//! <DURATION>': …`), exit 2.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use serde_json::Value;
use uvtool::policy::tokens::MAX_TIME;
use uvtool::policy::{Profile, PLATFORM_ALGS};
use uvtool::token::Alg;

/// How a duration is written, for the messages.
const DURATION_EXAMPLES: &str = "try 90s, 10m, 1h or 7d";

/// How a time is written, for the messages.
const TIME_FORMS: &str = "unix seconds or RFC 3339 like 2026-01-31T12:00:00Z";

/// A point in time: unix seconds or RFC 3339, in the years 1970 to 9999
/// (what a NumericDate may hold, T14). The one parser and the one range
/// check of every time flag (`--now`, `--exp`, `--iat`, `--nbf`).
pub fn time(s: &str) -> Result<i64, String> {
    let t =
        uvtool::clock::parse_timestamp(s).map_err(|_| format!("not a time: give {TIME_FORMS}"))?;
    in_range(t)
}

fn in_range(t: i64) -> Result<i64, String> {
    if (0..=MAX_TIME).contains(&t) {
        Ok(t)
    } else {
        Err("outside the years 1970 to 9999".into())
    }
}

/// `--exp`: a point in time. A lifetime given here (`+1h`, `1h`) gets the
/// flag that takes one.
pub fn exp_time(s: &str) -> Result<i64, String> {
    time(s).map_err(|m| match lifetime(s) {
        Some(d) => {
            format!("takes a point in time ({TIME_FORMS}); for a lifetime from iat use --ttl {d}")
        }
        None => m,
    })
}

/// `--iat`, `--nbf`: a point in time, never a relative one.
pub fn fixed_time(s: &str) -> Result<i64, String> {
    time(s).map_err(|m| match lifetime(s) {
        Some(_) => {
            format!("takes a point in time ({TIME_FORMS}); a relative time is not accepted here")
        }
        None => m,
    })
}

/// `s` as a lifetime (`+1h`, `1h`), when it reads as one.
fn lifetime(s: &str) -> Option<&str> {
    let d = s.trim().trim_start_matches('+');
    uvtool::clock::parse_duration(d).is_ok().then_some(d)
}

/// A duration in seconds: `90s`, `10m`, `1h`, `7d`, `1h 30m`, or a bare
/// number of seconds (`--leeway`, `--ttl`).
pub fn duration(s: &str) -> Result<u64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(format!("empty ({DURATION_EXAMPLES})"));
    }
    if t.starts_with('-') {
        return Err(format!("negative; {DURATION_EXAMPLES}"));
    }
    if let Ok(n) = t.parse::<u64>() {
        return Ok(n);
    }
    humantime::parse_duration(t)
        .map(|d| d.as_secs())
        .map_err(|e| format!("not a duration: {e} ({DURATION_EXAMPLES})"))
}

/// `--ttl`: a lifetime; a negative one gets the way to make an expired
/// test token.
pub fn ttl(s: &str) -> Result<u64, String> {
    if s.trim().starts_with('-') {
        return Err(
            "a lifetime cannot be negative; for an already expired test token set the clock back instead: --now 2020-01-01T00:00:00Z --ttl 5m (or --iat and --exp in the past)"
                .into(),
        );
    }
    duration(s)
}

/// A timeout: a bare number is seconds (fractions allowed), else a
/// duration like `500ms`, `2s`; more than zero.
pub fn timeout(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let d = match t.parse::<f64>() {
        // try_from: a number of seconds too large for a Duration (1e20) is
        // a usage error, never a panic.
        Ok(secs) if secs.is_finite() && secs >= 0.0 => std::time::Duration::try_from_secs_f64(secs)
            .map_err(|_| format!("invalid timeout {s:?}: too large (try 500ms, 2s or 10s)"))?,
        Ok(_) => return Err(format!("invalid timeout {s:?}")),
        Err(_) => humantime::parse_duration(t)
            .map_err(|e| format!("invalid timeout {s:?}: {e} (try 500ms, 2s or 10s)"))?,
    };
    if d.is_zero() {
        return Err("the timeout must be more than zero".into());
    }
    Ok(d)
}

/// `--bits`: a positive number (the key size policy is checked by keygen).
pub fn bits(s: &str) -> Result<u32, String> {
    s.trim()
        .parse::<u32>()
        .map_err(|_| format!("{s:?} is not a key size; choose 2048, 3072 or 4096"))
}

/// A configuration name (what fills `{auth_id_info}`), checked against rule
/// P1 (source: meta, `authIdentifier`).
pub fn auth_id(s: &str) -> Result<String, String> {
    match uvtool::platform::auth_id_problem(s) {
        None => Ok(s.to_string()),
        Some(p) => Err(format!(
            "{s:?} {p}; fix: give the configuration's API name as Setup shows it, e.g. My_Config"
        )),
    }
}

/// `--claim NAME=VALUE`: the value is JSON when it parses as JSON,
/// otherwise the literal string.
pub fn claim(arg: &str) -> Result<(String, Value), String> {
    let (k, v) = arg.split_once('=').ok_or_else(|| {
        "expected name=value (e.g. --claim role=admin or --claim 'groups=[\"a\",\"b\"]')"
            .to_string()
    })?;
    if k.is_empty() {
        return Err("the name is empty".into());
    }
    let value = serde_json::from_str::<Value>(v).unwrap_or_else(|_| Value::String(v.to_string()));
    Ok((k.to_string(), value))
}

/// `--profile`: whose rules.
pub fn profile() -> impl TypedValueParser<Value = Profile> {
    PossibleValuesParser::new([
        PossibleValue::new(Profile::Platform.as_str()).help(
            "The platform's rules, each with its source (`check --list-rules`, docs/PLATFORM.md)",
        ),
        PossibleValue::new(Profile::Rfc.as_str()).help(
            "A plain RFC 7519/8725 verification (source: RFC): RS*/PS*, no sub/iss requirement",
        ),
    ])
    .map(|s| {
        if s == Profile::Rfc.as_str() {
            Profile::Rfc
        } else {
            Profile::Platform
        }
    })
}

/// `--alg` taking any algorithm uvtool signs and verifies with.
pub fn alg() -> AlgParser {
    AlgParser { allowed: &Alg::ALL }
}

/// `--alg` for keys made for the platform: RS256 or RS512 (T1; source: WEB).
pub fn platform_alg() -> AlgParser {
    AlgParser {
        allowed: &PLATFORM_ALGS,
    }
}

/// An algorithm name, in any case (`rs256` is RS256), among `allowed`; a
/// refused one gets the reason (an algorithm the platform refuses, a key
/// type uvtool does not make) and the platform's list.
#[derive(Clone, Copy)]
pub struct AlgParser {
    allowed: &'static [Alg],
}

impl AlgParser {
    fn find(&self, s: &str) -> Option<Alg> {
        let s = s.trim();
        self.allowed
            .iter()
            .copied()
            .find(|a| a.name().eq_ignore_ascii_case(s))
    }
}

impl TypedValueParser for AlgParser {
    type Value = Alg;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Alg, clap::Error> {
        let text = value.to_string_lossy();
        if let Some(a) = self.find(&text) {
            return Ok(a);
        }
        let mut err = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
        err.insert(
            ContextKind::InvalidArg,
            ContextValue::String(arg.map_or_else(|| "--alg".into(), ToString::to_string)),
        );
        err.insert(
            ContextKind::InvalidValue,
            ContextValue::String(text.clone().into_owned()),
        );
        err.insert(
            ContextKind::ValidValue,
            ContextValue::Strings(self.allowed.iter().map(|a| a.name().to_string()).collect()),
        );
        if let Some(tip) = alg_tip(&text) {
            err.insert(
                ContextKind::Suggested,
                ContextValue::StyledStrs(vec![tip.into()]),
            );
        }
        Err(err)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            self.allowed.iter().map(|a| PossibleValue::new(a.name())),
        ))
    }
}

/// Why an algorithm name is refused, when there is more to say than the
/// list of accepted values (HS*, ES*, none, PS*/RS384 for the platform).
pub fn alg_tip(given: &str) -> Option<String> {
    let up = given.trim().to_ascii_uppercase();
    let platform = "the platform accepts RS256 and RS512 only (T1; source: WEB)";
    if up.starts_with("HS") {
        Some(format!(
            "{given} is HMAC with a shared secret: {platform}, and uvtool signs with RSA keys"
        ))
    } else if up.starts_with("ES") || up == "EDDSA" || up.starts_with("ED25519") {
        Some(format!(
            "{given} needs an elliptic-curve key: {platform}, and uvtool makes and reads RSA keys"
        ))
    } else if up == "NONE" {
        Some(format!(
            "an unsigned token (alg none) is always refused (T1; RFC 8725); {platform}"
        ))
    } else if Alg::ALL.iter().any(|a| a.name() == up) {
        // Known to uvtool, but not taken by this flag (keygen: the platform's).
        Some(format!("{}: {platform}", up))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(time("1300819380"), Ok(1300819380));
        assert_eq!(time(" 2011-03-22T18:43:00Z "), Ok(1300819380));
        assert_eq!(time("0"), Ok(0));
        assert_eq!(time("253402300799"), Ok(MAX_TIME));
        for bad in ["-1", "253402300800", "1800000000000"] {
            assert_eq!(
                time(bad).unwrap_err(),
                "outside the years 1970 to 9999",
                "{bad}"
            );
        }
        assert!(time("yesterday").unwrap_err().starts_with("not a time"));
        assert!(exp_time("+1h").unwrap_err().ends_with("use --ttl 1h"));
        assert!(exp_time("90m").unwrap_err().ends_with("use --ttl 90m"));
        assert!(fixed_time("1h").unwrap_err().contains("relative time"));
    }

    #[test]
    fn durations() {
        assert_eq!(duration("90s"), Ok(90));
        assert_eq!(duration("10m"), Ok(600));
        assert_eq!(duration("1h 30m"), Ok(5400));
        assert_eq!(duration("300"), Ok(300));
        assert!(duration("").unwrap_err().starts_with("empty"));
        assert!(duration("-5m").unwrap_err().starts_with("negative"));
        assert!(duration("soon").unwrap_err().starts_with("not a duration"));
        assert!(ttl("-5m").unwrap_err().contains("cannot be negative"));
        assert_eq!(ttl("1h"), Ok(3600));
    }

    #[test]
    fn claims() {
        assert_eq!(claim("n=5").unwrap(), ("n".into(), Value::from(5)));
        assert_eq!(
            claim("s=hello world").unwrap(),
            ("s".into(), Value::from("hello world"))
        );
        assert_eq!(claim("g=[\"a\"]").unwrap().1, serde_json::json!(["a"]));
        assert_eq!(claim("e=").unwrap().1, Value::from(""));
        assert!(claim("nope")
            .unwrap_err()
            .starts_with("expected name=value"));
        assert_eq!(claim("=1").unwrap_err(), "the name is empty");
    }

    #[test]
    fn algs_in_any_case_and_refusals_with_their_reason() {
        let p = alg();
        assert_eq!(p.find("rs256"), Some(Alg::RS256));
        assert_eq!(p.find("Ps512"), Some(Alg::PS512));
        assert_eq!(platform_alg().find("ps256"), None);
        assert!(alg_tip("HS256").unwrap().contains("RS256 and RS512 only"));
        assert!(alg_tip("es256").unwrap().contains("elliptic-curve"));
        assert!(alg_tip("none").unwrap().contains("always refused"));
        assert!(alg_tip("ps256").unwrap().starts_with("PS256: the platform"));
        assert_eq!(alg_tip("XYZ"), None);
    }
}
