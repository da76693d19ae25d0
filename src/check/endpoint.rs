//! Endpoint rules E1–E4: a keyset URL as the platform would fetch it. The
//! keys it serves also go through K1–K14 (that is E2's "every key passes"),
//! and a token given with the URL is held against them (T2, T7, T10).

use std::time::Duration;

use super::{Check, EndpointInput, KeyDoc, Out, Rule, Shape};

/// Slower than this risks platform-side time-outs (E4).
pub const SLOW: Duration = Duration::from_secs(1);
/// Larger than this risks platform-side limits (E4).
pub const LARGE: usize = 100 * 1024;

const SERVE: &str = "serve the set made by `uvtool jwks jwk.json -o jwks.json` as a static file (try it locally with `uvtool serve --jwks jwks.json`)";

pub const E1: Rule = Rule {
    id: "E1",
    level: "error",
    summary: "the keyset URL is https:// (http:// only on loopback, for local testing)",
    source: "the platform fetches over TLS; http only for local testing",
    check: Check::Endpoint(e1),
};

fn e1(ep: &EndpointInput, out: &mut Out<'_>) {
    if ep.response.is_none() {
        out.error(
            &ep.url,
            "",
            "plain http:// to a host that is not this machine: the platform fetches keysets over https only (check did not fetch it)".into(),
            Some("serve the JWKS over https:// and register that URL".into()),
        );
    }
}

pub const E2: Rule = Rule {
    id: "E2",
    level: "error",
    summary: "the body is a JWKS {\"keys\":[…]} with at least one key (each key then goes through K1–K14)",
    source: "RFC 7517 §5; the key rules above",
    check: Check::Endpoint(e2),
};

fn e2(ep: &EndpointInput, out: &mut Out<'_>) {
    let Some(r) = &ep.response else { return };
    let Some(doc) = &r.doc else { return }; // E3: not a 200 JSON answer
    let m = match doc {
        Err(m) => format!("the body {m}"),
        Ok(KeyDoc {
            shape: Shape::Jwk, ..
        }) => "serves a single JWK; a keyset endpoint serves {\"keys\":[…]}".to_string(),
        Ok(KeyDoc {
            shape: Shape::Array,
            ..
        }) => "serves a JSON array; a keyset endpoint serves {\"keys\":[…]}".to_string(),
        Ok(d) if d.keys.is_empty() => {
            "the key set is empty ({\"keys\":[]}): no token can verify".to_string()
        }
        Ok(_) => return,
    };
    out.error(&ep.url, "", m, Some(SERVE.into()));
}

pub const E3: Rule = Rule {
    id: "E3",
    level: "error",
    summary: "status 200, Content-Type application/json, no redirect to an HTML (login) page",
    source: "field: HTML login pages served instead of JSON are a common cause",
    check: Check::Endpoint(e3),
};

fn e3(ep: &EndpointInput, out: &mut Out<'_>) {
    let Some(r) = &ep.response else { return };
    let f = &r.facts;
    let via = if f.redirects.is_empty() {
        String::new()
    } else {
        format!(" (after redirect(s) to {})", f.redirects.join(" → "))
    };
    if f.status != 200 {
        out.error(
            &ep.url,
            "",
            format!(
                "answered HTTP {}{via}; the platform needs 200 with the JWKS",
                f.status
            ),
            Some(SERVE.into()),
        );
        return;
    }
    if r.html {
        out.error(
            &ep.url,
            "",
            format!("serves an HTML page{via}, not JSON: a login page or a web-server default page in front of the keyset"),
            Some("make the keyset URL public (no login, no redirect); check it with `curl -i URL`".into()),
        );
        return;
    }
    let json = f.content_type.as_deref().is_some_and(|c| {
        let media = c
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        media == "application/json" || media == "application/jwk-set+json"
    });
    if !json {
        let got = f
            .content_type
            .as_deref()
            .map_or("missing".to_string(), |c| format!("{c:?}"));
        out.error(
            &ep.url,
            "",
            format!("Content-Type is {got}; the platform expects application/json"),
            Some(
                "configure the server to send `Content-Type: application/json` for the JWKS".into(),
            ),
        );
    }
}

pub const E4: Rule = Rule {
    id: "E4",
    level: "warning",
    summary: "answers within 1 s and the body is under 100 KiB",
    source: "a slow or huge endpoint risks platform-side time-outs",
    check: Check::Endpoint(e4),
};

fn e4(ep: &EndpointInput, out: &mut Out<'_>) {
    let Some(r) = &ep.response else { return };
    let f = &r.facts;
    if f.elapsed > SLOW {
        out.warning(
            &ep.url,
            "",
            format!(
                "took {:.1} s to answer; the platform may time out on a slow keyset",
                f.elapsed.as_secs_f64()
            ),
            Some("serve the JWKS as a static, cached file".into()),
        );
    }
    if f.size > LARGE {
        out.warning(
            &ep.url,
            "",
            format!(
                "the body is {} KiB; keep a keyset under 100 KiB (a few keys are ~2 KiB each)",
                f.size / 1024
            ),
            Some("publish only the current and the next key (`uvtool jwks --set jwks.json --remove OLD_KID`)".into()),
        );
    }
}
