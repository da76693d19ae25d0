//! Endpoint rules E1–E5: a keyset URL as the platform would fetch it. The
//! keys it serves also go through K1–K15 (that is E2's "every key passes"),
//! and a token given with the URL is held against them.

use std::time::Duration;

use super::{src, Applies, Finding, Label, Level, Out, Rule, Settings};
use crate::read::{EndpointInput, KeyDoc, Shape};

/// An endpoint rule's function.
type EndpointCheck = fn(&EndpointInput, &mut Out<'_>);

/// The endpoint rules and their functions, in order.
pub static ENDPOINT_RULES: &[(&Rule, EndpointCheck)] =
    &[(&E1, e1), (&E2, e2), (&E3, e3), (&E4, e4), (&E5, e5)];

/// Run every endpoint rule on a keyset URL and what it answered.
pub fn run(ep: &EndpointInput, s: &Settings, findings: &mut Vec<Finding>) {
    let mut out = Out::new(s.profile, findings);
    for (_, f) in ENDPOINT_RULES {
        f(ep, &mut out);
    }
}

/// Slower than this risks platform-side time-outs (E4).
pub const SLOW: Duration = Duration::from_secs(1);
/// Larger than this risks platform-side limits (E4).
pub const LARGE: usize = 100 * 1024;

const SERVE: &str = "serve the set made by `uvtool jwks jwk.json -o jwks.json` as a static file (try it locally with `uvtool serve --jwks jwks.json`)";

pub const E1: Rule = Rule {
    id: "E1",
    applies: Applies::Endpoint,
    platform: Some(Level::Error),
    rfc: None,
    summary: "the keyset URL is https:// (http:// only on loopback, for local testing)",
    sources: &[src(
        Label::Meta,
        "jwksEndPoint: \"the URL of the HTTPS Server that returns the JWKS\"",
    )],
};

fn e1(ep: &EndpointInput, out: &mut Out<'_>) {
    if ep.response.is_none() && ep.fetch_error.is_none() {
        out.push(&E1,
            &ep.url,
            "",
            "plain http:// to a host that is not this machine: the keyset URL must be https (meta, jwksEndPoint; check did not fetch it)".into(),
            Some("serve the JWKS over https:// and register that URL".into()),
        );
    }
}

pub const E2: Rule = Rule {
    id: "E2",
    applies: Applies::Endpoint,
    platform: Some(Level::Error),
    rfc: None,
    summary: "the body is a JWKS {\"keys\":[…]} with at least one key, each passing K1–K15 (a lint error; in a token's verdict another key's failure is a warning naming it)",
    sources: &[
        src(Label::Rfc, "RFC 7517 §5: implementations SHOULD ignore keys they cannot use"),
        src(Label::Assumption, "that the platform ignores them too: whether it refuses the whole set is unknown"),
    ],
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
    out.push(&E2, &ep.url, "", m, Some(SERVE.into()));
}

pub const E3: Rule = Rule {
    id: "E3",
    applies: Applies::Endpoint,
    platform: Some(Level::Error),
    rfc: None,
    summary: "status 200 and a JSON body (an HTML page, e.g. a login redirect, is named as such)",
    sources: &[src(Label::Rfc, "RFC 7517 §5: a JWK Set is a JSON object")],
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
        out.push(
            &E3,
            &ep.url,
            "",
            format!(
                "answered HTTP {}{via}; a keyset endpoint answers 200 with the JWKS (RFC 7517 §5)",
                f.status
            ),
            Some(SERVE.into()),
        );
        return;
    }
    if r.html {
        out.push(&E3,
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
        out.push(
            &E3,
            &ep.url,
            "",
            format!("Content-Type is {got}; a JWKS is served as application/json or application/jwk-set+json (RFC 7517 §8.5; that the platform checks it is an assumption)"),
            Some(
                "configure the server to send `Content-Type: application/json` for the JWKS".into(),
            ),
        );
    }
}

pub const E4: Rule = Rule {
    id: "E4",
    applies: Applies::Endpoint,
    platform: Some(Level::Warning),
    rfc: None,
    summary: "answers within 1 s and the body is under 100 KiB",
    sources: &[src(
        Label::Assumption,
        "the platform's time-out and size limit are undocumented; uvtool prints what it measured",
    )],
};

fn e4(ep: &EndpointInput, out: &mut Out<'_>) {
    let Some(r) = &ep.response else { return };
    let f = &r.facts;
    if f.elapsed > SLOW {
        out.push(
            &E4,
            &ep.url,
            "",
            format!(
                "took {:.1} s to answer; the platform may time out on a slow keyset (an assumption: its time-out is undocumented)",
                f.elapsed.as_secs_f64()
            ),
            Some("serve the JWKS as a static, cached file".into()),
        );
    }
    if f.size > LARGE {
        out.push(&E4,
            &ep.url,
            "",
            format!(
                "the body is {} KiB; keep a keyset under 100 KiB (a few keys are ~2 KiB each; the limit is an assumption: the platform's is undocumented)",
                f.size / 1024
            ),
            Some("publish only the current and the next key (`uvtool jwks --set jwks.json --remove OLD_KID`)".into()),
        );
    }
}

pub const E5: Rule = Rule {
    id: "E5",
    applies: Applies::Endpoint,
    platform: Some(Level::Warning),
    rfc: None,
    summary: "the keyset endpoint is hosted outside Salesforce (SU says it must be; field setups report a Salesforce Site working)",
    sources: &[
        src(Label::Su, "the JWKS endpoint must be hosted outside Salesforce"),
        src(Label::Field, "two setups report a JWKS served from a Salesforce Site working"),
    ],
};

/// Hosts Salesforce owns (E5).
const SALESFORCE_DOMAINS: [&str; 6] = [
    "salesforce.com",
    "force.com",
    "site.com",
    "salesforce-sites.com",
    "visualforce.com",
    "cloudforce.com",
];

fn e5(ep: &EndpointInput, out: &mut Out<'_>) {
    let Ok(uri) = ep.url.parse::<http::Uri>() else {
        return;
    };
    let Some(host) = uri
        .host()
        .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
    else {
        return;
    };
    let owned = SALESFORCE_DOMAINS
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")));
    if owned {
        out.push(
            &E5,
            &ep.url,
            "",
            format!("{host} is a Salesforce-owned host: Set Up Token-Based User Verification (SU) says the keyset endpoint must be hosted outside Salesforce, while two field reports say a JWKS served from a Salesforce Site worked; uvtool cannot tell which holds for your org"),
            Some("host the JWKS on your own web server or CDN (a static file made by `uvtool jwks`)".into()),
        );
    }
}
