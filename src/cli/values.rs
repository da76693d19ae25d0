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
/// check of every time flag (`--now`, `--exp`, `--iat`, `--nbf`). A number
/// too large for any clock is out of that range too, never "not a time".
pub fn time(s: &str) -> Result<i64, String> {
    if let Some(n) = integer(s) {
        return i64::try_from(n)
            .map_err(|_| OUT_OF_RANGE.into())
            .and_then(in_range);
    }
    let t =
        uvtool::clock::parse_timestamp(s).map_err(|_| format!("not a time: give {TIME_FORMS}"))?;
    in_range(t)
}

const OUT_OF_RANGE: &str = "outside the years 1970 to 9999";

/// `--now`: [`time`], and a number past the range that reads as
/// milliseconds (`Date.now()`) gets the time it would be in seconds.
pub fn clock_time(s: &str) -> Result<i64, String> {
    // Only a time in milliseconds between 2000 and 2100 reads as one (a
    // clock set to 253402300800, just past the range, is not 1978).
    let note = integer(s)
        .filter(|n| (i128::from(LIFETIME_LIKE)..=4_102_444_800).contains(&(*n / 1000)))
        .map(|_| millis_note(s))
        .unwrap_or_default();
    time(s).map_err(|m| format!("{m}{note}"))
}

/// "; milliseconds? as seconds it would be …" for a number past the range
/// that is a time in milliseconds, else nothing.
fn millis_note(s: &str) -> String {
    match integer(s) {
        Some(n) if n > i128::from(MAX_TIME) => i64::try_from(n / 1000)
            .ok()
            .filter(|t| (0..=MAX_TIME).contains(t))
            .and_then(uvtool::clock::format_utc)
            .map(|d| format!("; milliseconds? as seconds it would be {d}"))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn in_range(t: i64) -> Result<i64, String> {
    if (0..=MAX_TIME).contains(&t) {
        Ok(t)
    } else {
        Err(OUT_OF_RANGE.into())
    }
}

/// `s` as a whole number written in digits (an optional sign, no
/// exponent), however large: what a user meant as a number.
fn integer(s: &str) -> Option<i128> {
    let t = s.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Past i128 it is still a number: saturate, keeping the sign.
    Some(t.parse::<i128>().unwrap_or(if t.starts_with('-') {
        i128::MIN
    } else {
        i128::MAX
    }))
}

/// A time flag of a token (`--exp`, `--iat`, `--nbf`): [`time`], and a
/// number past the range names the bound a token's times have (T14) and,
/// when it reads as milliseconds, the time it would be in seconds.
fn token_time(s: &str) -> Result<i64, String> {
    time(s).map_err(|m| match integer(s) {
        Some(n) if n > i128::from(MAX_TIME) => {
            let ms = millis_note(s);
            format!("{m}: a token's times end at {MAX_DATE} (unix {MAX_TIME}; T14, verify refuses later ones){ms}")
        }
        _ => m,
    })
}

/// The largest time a token may carry (T14), as a date.
pub const MAX_DATE: &str = "9999-12-31T23:59:59Z";

/// An `--exp` before this time (2000-01-01T00:00:00Z) that would make a
/// token born expired was meant as a lifetime (`--exp 600`: the official
/// tool's -expiry and jwt-cli's relative exp are lifetimes).
pub const LIFETIME_LIKE: i64 = 946_684_800;

/// The lifetime an `--exp` value reads as, if it reads as one: a small
/// number of seconds (`600`, a time in January 1970) or a duration (`+1h`,
/// `90m`). Returns the `--ttl` value and its seconds. A lifetime that would
/// take exp past the largest time (T14) is none.
pub fn exp_as_lifetime(s: &str) -> Option<(String, u64)> {
    match time(s) {
        Ok(t) if t > 0 && t < LIFETIME_LIKE => Some((t.to_string(), t.unsigned_abs())),
        Ok(_) => None,
        Err(_) if integer(s).is_some() => None,
        Err(_) => lifetime(s).and_then(|d| {
            let secs = uvtool::clock::parse_duration(d).ok()?;
            (secs > 0 && secs <= MAX_TIME.unsigned_abs()).then(|| (d.to_string(), secs))
        }),
    }
}

/// `--exp`: a point in time. A lifetime given here (`+1h`, `1h`) gets the
/// flag that takes one; a number is a time, in range or not.
pub fn exp_time(s: &str) -> Result<i64, String> {
    token_time(s).map_err(|m| match exp_as_lifetime(s) {
        Some((d, _)) => {
            format!("takes a point in time ({TIME_FORMS}); for a lifetime from iat use --ttl {d}")
        }
        None => m,
    })
}

/// `--iat`, `--nbf`: a point in time, never a relative one; a number is a
/// time, in range or not.
pub fn fixed_time(s: &str) -> Result<i64, String> {
    token_time(s).map_err(|m| match lifetime(s) {
        Some(_) if integer(s).is_none() => {
            format!("takes a point in time ({TIME_FORMS}); a relative time is not accepted here")
        }
        _ => m,
    })
}

/// `s` as a lifetime (`+1h`, `1h`), when it reads as one.
fn lifetime(s: &str) -> Option<&str> {
    let d = s.trim().trim_start_matches('+');
    uvtool::clock::parse_duration(d).is_ok().then_some(d)
}

/// A duration in seconds: `90s`, `10m`, `1h`, `7d`, `1h 30m`, or a bare
/// number of seconds (`--leeway`, `--ttl`). jwt-cli's `+1h` is `1h`.
pub fn duration(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() {
        return Err(format!("empty ({DURATION_EXAMPLES})"));
    }
    if t.starts_with('-') {
        return Err(format!("negative; {DURATION_EXAMPLES}"));
    }
    if let Ok(n) = t.parse::<u64>() {
        return Ok(n);
    }
    if integer(t).is_some() {
        return Err(format!("too large ({DURATION_EXAMPLES})"));
    }
    // `1e3`, `2.5`: a number, but not whole seconds in digits.
    if let Ok(f) = t.parse::<f64>() {
        return Err(if f.fract() == 0.0 && (0.0..1e15).contains(&f) {
            format!(
                "not written in digits: give {f:.0} (seconds) or a duration; {DURATION_EXAMPLES}"
            )
        } else {
            format!("not a whole number of seconds; {DURATION_EXAMPLES}")
        });
    }
    humantime::parse_duration(t)
        .map(|d| d.as_secs())
        .map_err(|e| format!("not a duration: {e} ({DURATION_EXAMPLES})"))
}

/// `--ttl`: a lifetime; a negative one gets the way to make an expired
/// test token, and one past the largest time a token may carry (T14) is
/// refused naming it.
pub fn ttl(s: &str) -> Result<u64, String> {
    if s.trim().starts_with('-') {
        return Err(
            "a lifetime cannot be negative; for an already expired test token set the clock back instead: --now 2020-01-01T00:00:00Z --ttl 5m (or --iat and --exp in the past)"
                .into(),
        );
    }
    let too_long = || {
        format!("too long: exp would pass {MAX_DATE}, the largest time a token may carry (T14; verify refuses it); choose a shorter --ttl")
    };
    if integer(s).is_some_and(|n| n > i128::from(MAX_TIME)) {
        return Err(too_long());
    }
    let d = duration(s)?;
    if d > MAX_TIME.unsigned_abs() {
        return Err(too_long());
    }
    Ok(d)
}

/// `--days`: a certificate's validity, a whole number of days. Numbers pass
/// (the range, 1 to [`uvtool::cert::MAX_DAYS`], is checked with the
/// command's words: `--days 0`, `--days -1`); anything else is refused here
/// naming the range, and a duration (`90d`, `1y`) gets its number of days.
pub fn days(s: &str) -> Result<i64, String> {
    let span = format!("1 to {} (e.g. --days 365)", uvtool::cert::MAX_DAYS);
    let range = format!("a whole number of days, {span}");
    let t = s.trim();
    if let Some(n) = integer(t) {
        return i64::try_from(n).map_err(|_| {
            if n > 0 {
                format!("over 100 years: give {range}")
            } else {
                format!("negative: give {range}")
            }
        });
    }
    if t.parse::<f64>().is_ok() {
        return Err(format!(
            "must be a whole number of days written in digits, {span}"
        ));
    }
    if let Ok(secs) = uvtool::clock::parse_duration(t) {
        let d = (secs + 43_200) / 86_400;
        let about = if secs.is_multiple_of(86_400) {
            ""
        } else {
            "about "
        };
        return Err(format!(
            "takes a number of days, not a duration: {t} is {about}--days {d}"
        ));
    }
    Err(format!("not a number: give {range}"))
}

/// A timeout: a bare number is seconds (fractions allowed), else a
/// duration like `500ms`, `2s`; more than zero and at most
/// [`uvtool::clock::MAX_TIMEOUT`] (1h, an assumption), so no value can
/// overflow a clock.
pub fn timeout(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let too_large = || {
        format!("invalid timeout {s:?}: too large: a timeout is more than zero and at most 1h (3600 s; try 500ms, 2s or 10s)")
    };
    let d = match t.parse::<f64>() {
        // try_from: a number of seconds too large for a Duration (1e20) is
        // a usage error, never a panic.
        Ok(secs) if secs.is_finite() && secs >= 0.0 => {
            std::time::Duration::try_from_secs_f64(secs).map_err(|_| too_large())?
        }
        Ok(_) => return Err(format!("invalid timeout {s:?}")),
        Err(_) => humantime::parse_duration(t).map_err(|e| match e {
            humantime::DurationError::NumberOverflow => too_large(),
            e => format!("invalid timeout {s:?}: {e} (try 500ms, 2s or 10s)"),
        })?,
    };
    if d.is_zero() {
        return Err("the timeout must be more than zero".into());
    }
    if d > uvtool::clock::MAX_TIMEOUT {
        return Err(too_large());
    }
    Ok(d)
}

/// The largest `--leeway`, in seconds: one day. A clock-skew allowance
/// past a day would accept a token expired a day ago (T5) and is not a
/// skew (an assumption: no platform rule sets the bound).
pub const MAX_LEEWAY: u64 = 86_400;

/// `--leeway`: a [`duration`] from 0 to [`MAX_LEEWAY`].
pub fn leeway(s: &str) -> Result<u64, String> {
    let range =
        "a leeway is 0 to 1d (86400 s; an assumption: more is not clock skew), e.g. --leeway 2m";
    match duration(s) {
        Ok(d) if d <= MAX_LEEWAY => Ok(d),
        Ok(_) => Err(format!("too large: {range}")),
        Err(m) if m.contains("too large") => Err(format!("too large: {range}")),
        Err(m) => Err(m),
    }
}

/// The largest `serve --max-age`, in seconds: one year (RFC 9111 §1.2.2
/// lets a cache cap larger values; a year is an assumption).
pub const MAX_MAX_AGE: u64 = 31_536_000;

/// `--bits`: a positive number (the key size policy is checked by keygen).
/// openssl's `rsa:2048` (`-newkey`) and `rsa_keygen_bits:2048`
/// (`-pkeyopt`) get the number.
pub fn bits(s: &str) -> Result<u32, String> {
    let t = s.trim();
    t.parse::<u32>().map_err(|_| {
        let openssl = t
            .split_once(':')
            .filter(|(kind, _)| {
                kind.eq_ignore_ascii_case("rsa") || kind.eq_ignore_ascii_case("rsa_keygen_bits")
            })
            .and_then(|(_, n)| n.parse::<u32>().ok());
        match openssl {
            Some(n) => format!("{s:?} is openssl's spelling; uvtool's is --bits {n}"),
            None => format!("{s:?} is not a key size; choose 2048, 3072 or 4096"),
        }
    })
}

/// A key file name. jwt-cli's `@key.pem` (its "read this file" prefix) is
/// refused naming the file, when no file is named with the `@`.
pub fn file(s: &str) -> Result<String, String> {
    match s.strip_prefix('@') {
        Some(rest) if !rest.is_empty() && !std::path::Path::new(s).exists() => Err(format!(
            "no file is named {s}; uvtool takes the file name as it is, without jwt-cli's @: {rest}"
        )),
        _ => Ok(s.to_string()),
    }
}

/// keygen's `--out-dir`: a folder. openssl's `-out k.pem` habit (`--out
/// k.pem`, `-o key.pem`) names a file, and keygen would make a folder
/// `k.pem/` of five files: a new name that looks like a key, certificate or
/// JSON file is refused with the way to say it. An existing path is left to
/// keygen (a folder is used, a file refused).
pub fn out_dir(s: &str) -> Result<std::path::PathBuf, String> {
    let path = std::path::PathBuf::from(s);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let file_like = ext.as_deref().is_some_and(|e| {
        matches!(
            e,
            "pem" | "key" | "crt" | "cer" | "der" | "json" | "jwk" | "p8" | "pk8" | "pub"
        )
    });
    if file_like && std::fs::symlink_metadata(&path).is_err() {
        return Err(format!(
            "{s} looks like a file name, but keygen writes a folder of five files (private.pem, public.pem, cert.pem, jwk.json, jwks.json): give a folder, e.g. --out-dir keys (keys/private.pem is then the private key)"
        ));
    }
    Ok(path)
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
        if let Some(tip) = alg_tip_for(cmd.get_name(), &text) {
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
#[cfg(test)]
pub fn alg_tip(given: &str) -> Option<String> {
    alg_tip_for("", given)
}

/// [`alg_tip`] worded for the command `cmd`: mint signs, verify verifies,
/// keygen makes keys.
pub fn alg_tip_for(cmd: &str, given: &str) -> Option<String> {
    let rsa = match cmd {
        "mint" => "uvtool signs with RSA keys",
        "verify" | "check" | "ui" => "uvtool verifies with RSA keys",
        "keygen" | "init" | "fixtures" => "uvtool makes RSA keys",
        _ => "uvtool makes and reads RSA keys",
    };
    let up = given.trim().to_ascii_uppercase();
    let bare: String = up.chars().filter(char::is_ascii_alphanumeric).collect();
    let platform = "the platform accepts RS256 and RS512 only (T1; source: WEB)";
    if up.starts_with("HS") || bare.contains("HMAC") {
        Some(format!(
            "{given} is HMAC with a shared secret: {platform}, and {rsa}"
        ))
    } else if up.starts_with("ES")
        || up == "EDDSA"
        || up.starts_with("ED25519")
        || bare.contains("ECDSA")
    {
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
    } else if up == "RSA" {
        Some(format!(
            "RSA is the key type (uvtool makes and reads RSA keys only), not the signature algorithm: {platform}; e.g. --alg RS256"
        ))
    } else {
        // Other tools' names of the same algorithm: RSA256, RSA-SHA256,
        // SHA256withRSA (Java), RSASSA-PSS-SHA256.
        let size = ["256", "384", "512"]
            .into_iter()
            .find(|n| bare.contains(n))?;
        let family = if bare.contains("PSS") {
            "PS"
        } else if bare.contains("RSA") || bare.starts_with("RS") || bare.starts_with("SHA") {
            "RS"
        } else {
            return None;
        };
        Some(format!(
            "{given} is written {family}{size} (JWA's name); {platform}"
        ))
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
        // A number is a time, however large: never "not a time", never a lifetime.
        for huge in [
            "18446744073709551615",
            "-99999999999999999999999999999999999999999",
        ] {
            assert_eq!(
                time(huge).unwrap_err(),
                "outside the years 1970 to 9999",
                "{huge}"
            );
        }
        let bound = "outside the years 1970 to 9999: a token's times end at 9999-12-31T23:59:59Z (unix 253402300799; T14, verify refuses later ones)";
        for f in [exp_time, fixed_time] {
            assert_eq!(f("18446744073709551615").unwrap_err(), bound);
            assert_eq!(f("9223372036854775807").unwrap_err(), bound);
            assert_eq!(f("-5").unwrap_err(), "outside the years 1970 to 9999");
            // Date.now(): milliseconds.
            assert_eq!(
                f("1800000600000").unwrap_err(),
                format!("{bound}; milliseconds? as seconds it would be 2027-01-15T08:10:00Z")
            );
        }
        assert_eq!(exp_as_lifetime("600"), Some(("600".into(), 600)));
        assert_eq!(exp_as_lifetime("+1h"), Some(("1h".into(), 3600)));
        assert_eq!(exp_as_lifetime("0"), None);
        assert_eq!(exp_as_lifetime("1800000000"), None);
        assert_eq!(exp_as_lifetime("9223372036854775807"), None);
        assert_eq!(exp_as_lifetime("2026-01-01T00:00:00Z"), None);
    }

    #[test]
    fn days_name_their_range() {
        assert_eq!(days("365"), Ok(365));
        assert_eq!(days(" 30 "), Ok(30));
        // The range is checked with the command's words.
        assert_eq!(days("-1"), Ok(-1));
        assert_eq!(days("40000"), Ok(40000));
        let range = "a whole number of days, 1 to 36500 (e.g. --days 365)";
        for frac in ["1e20", "2.5"] {
            assert_eq!(
                days(frac).unwrap_err(),
                "must be a whole number of days written in digits, 1 to 36500 (e.g. --days 365)"
            );
        }
        assert_eq!(
            days("\u{1f389}").unwrap_err(),
            format!("not a number: give {range}")
        );
        assert_eq!(
            days("99999999999999999999").unwrap_err(),
            format!("over 100 years: give {range}")
        );
        assert_eq!(
            days("-99999999999999999999").unwrap_err(),
            format!("negative: give {range}")
        );
        assert_eq!(
            days("90d").unwrap_err(),
            "takes a number of days, not a duration: 90d is --days 90"
        );
        assert_eq!(
            days("1y").unwrap_err(),
            "takes a number of days, not a duration: 1y is about --days 365"
        );
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
        assert_eq!(ttl("+1h"), Ok(3600));
        assert_eq!(
            file("@k.pem").unwrap_err(),
            "no file is named @k.pem; uvtool takes the file name as it is, without jwt-cli's @: k.pem"
        );
        assert_eq!(file("k.pem"), Ok("k.pem".into()));
        assert_eq!(file("@"), Ok("@".into()));
        assert!(out_dir("no-such/k.pem")
            .unwrap_err()
            .starts_with("no-such/k.pem looks like a file name, but keygen writes a folder"));
        assert!(out_dir("keys").is_ok());
        assert!(out_dir("v1.2").is_ok());
        let too_long = "too long: exp would pass 9999-12-31T23:59:59Z, the largest time a token may carry (T14; verify refuses it); choose a shorter --ttl";
        for long in [
            "99999999999999999999",
            "9223372036854775807",
            "253402300800",
            "300000000000s",
        ] {
            assert_eq!(ttl(long).unwrap_err(), too_long, "{long}");
        }
        assert_eq!(
            duration("99999999999999999999").unwrap_err(),
            "too large (try 90s, 10m, 1h or 7d)"
        );
        assert_eq!(
            duration("1e3").unwrap_err(),
            "not written in digits: give 1000 (seconds) or a duration; try 90s, 10m, 1h or 7d"
        );
        assert_eq!(
            duration("1.5").unwrap_err(),
            "not a whole number of seconds; try 90s, 10m, 1h or 7d"
        );
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
        assert!(alg_tip("RSA").unwrap().starts_with("RSA is the key type"));
        for (given, right) in [
            ("RSA256", "RS256"),
            ("rsa-sha512", "RS512"),
            ("SHA256withRSA", "RS256"),
            ("SHA256", "RS256"),
            ("RSASSA-PSS-SHA384", "PS384"),
        ] {
            assert!(
                alg_tip(given)
                    .unwrap()
                    .starts_with(&format!("{given} is written {right} ")),
                "{given}"
            );
        }
        assert!(alg_tip("SHA256withECDSA")
            .unwrap()
            .contains("elliptic-curve"));
        assert!(alg_tip("HmacSHA256").unwrap().contains("HMAC"));
        assert_eq!(
            bits("rsa:2048").unwrap_err(),
            "\"rsa:2048\" is openssl's spelling; uvtool's is --bits 2048"
        );
    }
}
