//! Key rules K1–K14: what the platform accepts in a JWK uploaded in Setup or
//! in the keys of a keyset endpoint, and what it needs of the certificate.
//! They run on JWK, JWKS and key-array files and, where they apply, on
//! certificate and key files.

use serde_json::Value;

use super::{join, Check, KeyDoc, KeyView, Options, Out, Rule, Shape};
use super::{CertFacts, CertProblem};
use crate::clock;
use crate::jwk::JwkObject;

const REEXPORT: &str = "re-export with `uvtool jwk --cert cert.pem`";
const NEW_KEY: &str =
    "make a new key pair with `uvtool keygen --out-dir keys`, then upload keys/jwk.json";

/// Seconds of certificate validity the platform wants left (10 days).
pub const MIN_CERT_LEFT: i64 = 10 * 86400;

/// The keys of a document that came from JSON, with their objects.
fn jwks(doc: &KeyDoc) -> impl Iterator<Item = (&KeyView, &JwkObject)> {
    doc.keys
        .iter()
        .filter_map(|k| k.jwk.as_ref().map(|o| (k, o)))
}

/// An RSA key, or a key whose `kty` is missing (K1 reports that).
fn rsa_like(k: &KeyView) -> bool {
    matches!(k.kty.as_deref(), None | Some("RSA"))
}

pub const K1: Rule = Rule {
    id: "K1",
    level: "error",
    summary: "`kty`, `kid` and `alg` present (a missing `x5c` is K13)",
    source: "doc: Troubleshooting User Verification (\"required properties\")",
    check: Check::Keys(k1),
};

fn k1(doc: &KeyDoc, _: &Options, out: &mut Out<'_>) {
    for (k, o) in jwks(doc) {
        let missing: Vec<String> = ["kty", "kid", "alg"]
            .iter()
            .filter(|m| !o.contains_key(**m))
            .map(|m| format!("\"{m}\""))
            .collect();
        if !missing.is_empty() {
            out.error(
                &doc.file,
                &k.path,
                format!(
                    "missing required member(s) {}; the platform requires kty, kid, alg and x5c",
                    missing.join(", ")
                ),
                Some(format!("{REEXPORT} (add `--kid KID` to choose the kid)")),
            );
        }
        for m in ["kty", "kid", "alg"] {
            if o.get(m).is_some_and(|v| !v.is_string()) {
                out.error(
                    &doc.file,
                    &join(&k.path, m),
                    format!("\"{m}\" is not a string"),
                    Some(REEXPORT.into()),
                );
            }
        }
    }
}

pub const K2: Rule = Rule {
    id: "K2",
    level: "error",
    summary: "`kty` is RSA; `alg` is RS256 or RS512",
    source:
        "doc: Enhanced Web Chat user verification (\"JWTs must be signed using RS256 or RS512\")",
    check: Check::Keys(k2),
};

fn k2(doc: &KeyDoc, _: &Options, out: &mut Out<'_>) {
    for k in &doc.keys {
        if let Some(kty) = k.kty.as_deref().filter(|t| *t != "RSA") {
            let (path, what) = if k.jwk.is_some() {
                (join(&k.path, "kty"), format!("\"kty\" is {kty:?}"))
            } else {
                (k.path.clone(), format!("holds a key of type {kty}"))
            };
            out.error(
                &doc.file,
                &path,
                format!("{what}; the platform accepts RSA keys only"),
                Some(NEW_KEY.into()),
            );
        }
        if let Some(alg) = k
            .jwk
            .as_ref()
            .and_then(|o| o.get("alg"))
            .and_then(Value::as_str)
        {
            if alg != "RS256" && alg != "RS512" {
                out.error(
                    &doc.file,
                    &join(&k.path, "alg"),
                    format!("\"alg\" is {alg:?}; the platform accepts RS256 or RS512 only"),
                    Some("re-export with `uvtool jwk --cert cert.pem --alg RS256`".into()),
                );
            }
        }
    }
}

pub const K3: Rule = Rule {
    id: "K3",
    level: "error",
    summary: "RSA modulus at least 2048 bits",
    source:
        "doc: Understanding Token-Based User Verification (\"2048-bit minimum RSA key length\")",
    check: Check::Keys(k3),
};

fn k3(doc: &KeyDoc, _: &Options, out: &mut Out<'_>) {
    for k in &doc.keys {
        let Some(p) = &k.public else { continue };
        let bits = p.bits();
        if bits < crate::keys::MIN_BITS {
            let path = if k.jwk.is_some() {
                join(&k.path, "n")
            } else {
                k.path.clone()
            };
            out.error(
                &doc.file,
                &path,
                format!("RSA modulus is {bits} bits; the platform requires at least 2048"),
                Some(NEW_KEY.into()),
            );
        }
    }
}

pub const K4: Rule = Rule {
    id: "K4",
    level: "error",
    summary: "`n` and `e` present and base64url (no padding, no `+` or `/`)",
    source: "doc: Understanding Token-Based User Verification (\"Base64 URL encoded\")",
    check: Check::Keys(k4),
};

fn k4(doc: &KeyDoc, _: &Options, out: &mut Out<'_>) {
    for (k, o) in jwks(doc).filter(|(k, _)| rsa_like(k)) {
        for m in ["n", "e"] {
            let problem = match o.get(m) {
                None => Some(format!("has no \"{m}\" member")),
                Some(Value::String(s)) => match crate::b64::url_decode(s) {
                    Ok(v) if v.is_empty() => Some(format!("\"{m}\" is empty")),
                    Ok(_) => None,
                    Err(e) => Some(format!("\"{m}\" {e}")),
                },
                Some(_) => Some(format!("\"{m}\" is not a string")),
            };
            if let Some(p) = problem {
                let path = if o.contains_key(m) {
                    join(&k.path, m)
                } else {
                    k.path.clone()
                };
                out.error(
                    &doc.file,
                    &path,
                    format!("{p}; n and e must be base64url without padding"),
                    Some(REEXPORT.into()),
                );
            }
        }
    }
}

pub const K5: Rule = Rule {
    id: "K5",
    level: "error",
    summary: "`x5c` entries are standard base64 of a DER certificate (not url-safe, no PEM armour)",
    source: "doc: Troubleshooting User Verification (\"Is the string in the x5c parameter base64-encoded?\")",
    check: Check::Keys(k5),
};

fn k5(doc: &KeyDoc, _: &Options, out: &mut Out<'_>) {
    for (k, o) in jwks(doc) {
        let Some(x5c) = o.get("x5c") else { continue };
        let path = join(&k.path, "x5c");
        let Value::Array(entries) = x5c else {
            out.error(
                &doc.file,
                &path,
                "\"x5c\" is not an array (it is [\"<base64 DER>\", …])".into(),
                Some(REEXPORT.into()),
            );
            continue;
        };
        if entries.is_empty() {
            out.error(
                &doc.file,
                &path,
                "\"x5c\" is empty; it must hold the certificate".into(),
                Some(REEXPORT.into()),
            );
        }
        for (i, e) in entries.iter().enumerate() {
            let p = join(&path, &format!("[{i}]"));
            let problem = match e {
                Value::String(s) if s.contains("-----BEGIN") => Some(
                    "holds PEM armour; x5c takes the bare base64 of the DER certificate"
                        .to_string(),
                ),
                Value::String(s) if s.contains(char::is_whitespace) => Some(
                    "contains line breaks or spaces; x5c takes one unbroken base64 string"
                        .to_string(),
                ),
                Value::String(s) => crate::b64::std_decode(s).err(),
                _ => Some("is not a string".to_string()),
            };
            if let Some(m) = problem {
                out.error(&doc.file, &p, m, Some(REEXPORT.into()));
            }
        }
    }
}

pub const K6: Rule = Rule {
    id: "K6",
    level: "error",
    summary: "the certificate in `x5c[0]` carries the same public key as `n`/`e`",
    source: "consistency: a mismatch makes either the upload or the signature check fail",
    check: Check::Keys(k6),
};

fn k6(doc: &KeyDoc, _: &Options, out: &mut Out<'_>) {
    for k in doc.keys.iter().filter(|k| k.jwk.is_some()) {
        let (Some(public), Some(slot)) = (&k.public, &k.cert) else {
            continue;
        };
        let Ok(facts) = &slot.parsed else { continue };
        let differs = match &facts.public {
            Some(cp) => cp != public,
            None => true,
        };
        if differs {
            out.error(
                &doc.file,
                &slot.path,
                format!(
                    "the certificate holds a different public key ({}) than \"n\"/\"e\"",
                    if facts.public.is_some() { "RSA".to_string() } else { facts.key_type.clone() }
                ),
                Some(format!(
                    "{REEXPORT}, giving the certificate made for this key (or make one with `uvtool cert --key private.pem -o cert.pem`)"
                )),
            );
        }
    }
}

pub const K7: Rule = Rule {
    id: "K7",
    level: "error",
    summary: "the certificate is valid now and for at least 10 more days (honours --now)",
    source: "doc: Troubleshooting User Verification (\"must be valid for at least 10 days\")",
    check: Check::Keys(k7),
};

fn k7(doc: &KeyDoc, opts: &Options, out: &mut Out<'_>) {
    const FIX: &str = "issue a new certificate with `uvtool cert --key private.pem --days 365 -o cert.pem`, then re-export with `uvtool jwk --cert cert.pem`";
    for k in &doc.keys {
        let Some(slot) = &k.cert else { continue };
        let Ok(CertFacts {
            not_before,
            not_after,
            ..
        }) = &slot.parsed
        else {
            continue;
        };
        let now = opts.now;
        let date = |t: i64| clock::format_utc(t).unwrap_or_else(|| t.to_string());
        let problem = if *not_after < now {
            Some(format!(
                "the certificate expired on {} ({})",
                date(*not_after),
                clock::relative(*not_after, now)
            ))
        } else if *not_after < now + MIN_CERT_LEFT {
            Some(format!(
                "the certificate expires on {} ({}); the platform needs at least 10 more days of validity",
                date(*not_after),
                clock::relative(*not_after, now)
            ))
        } else if *not_before > now {
            Some(format!(
                "the certificate is not valid until {} ({})",
                date(*not_before),
                clock::relative(*not_before, now)
            ))
        } else {
            None
        };
        if let Some(m) = problem {
            out.error(&doc.file, &slot.path, m, Some(FIX.into()));
        }
    }
}

pub const K8: Rule = Rule {
    id: "K8",
    level: "error",
    summary: "the certificate parses as a public X.509 certificate (not a private key pasted in)",
    source: "doc: Troubleshooting User Verification (keytool -printcert test; \"don't use the private certificate\")",
    check: Check::Keys(k8),
};

fn k8(doc: &KeyDoc, _: &Options, out: &mut Out<'_>) {
    for k in &doc.keys {
        let Some(slot) = &k.cert else { continue };
        if let Err(CertProblem::NotCertificate(m)) = &slot.parsed {
            let fix = if k.jwk.is_some() {
                format!("{REEXPORT} (it puts the public certificate in x5c)")
            } else {
                "use the certificate file (cert.pem), or make one with `uvtool cert --key private.pem -o cert.pem`".to_string()
            };
            out.error(&doc.file, &slot.path, m.clone(), Some(fix));
        }
    }
}

pub const K9: Rule = Rule {
    id: "K9",
    level: "error",
    summary: "a key file for upload is one JWK object: not an array, and not a JWKS with --upload",
    source: "doc: Troubleshooting User Verification (\"upload each key individually\")",
    check: Check::Keys(k9),
};

fn k9(doc: &KeyDoc, opts: &Options, out: &mut Out<'_>) {
    let fix = "upload each key individually: `uvtool jwk --cert cert.pem > jwk.json` (a keyset endpoint serves {\"keys\":[…]}, made by `uvtool jwks`)";
    match doc.shape {
        Shape::Array => out.error(
            &doc.file,
            "",
            "is a JSON array; the upload form takes one JWK object, a keyset endpoint a {\"keys\":[…]} object".into(),
            Some(fix.into()),
        ),
        Shape::Set if opts.upload => out.error(
            &doc.file,
            "",
            format!(
                "is a JWKS with {} key(s); the upload form takes a single JWK object",
                doc.keys.len()
            ),
            Some(fix.into()),
        ),
        _ => {}
    }
}

pub const K10: Rule = Rule {
    id: "K10",
    level: "error/warning",
    summary: "no private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`) with real values; exact placeholders (\"d\":\"d\") are a warning",
    source: "security; the documented Sample JWK Structure (and the official Java tool) carry placeholders \"y\",\"crv\",\"d\",\"k\"",
    check: Check::Keys(k10),
};

/// Members whose exact placeholder value (`"d":"d"`) the official tool emits.
const PLACEHOLDER_MEMBERS: [&str; 10] = ["d", "p", "q", "dp", "dq", "qi", "k", "y", "crv", "x"];

fn k10(doc: &KeyDoc, _: &Options, out: &mut Out<'_>) {
    for (k, o) in jwks(doc) {
        let is_placeholder = |m: &str| o.get(m).and_then(Value::as_str) == Some(m);
        let secret: Vec<&str> = crate::jwk::PRIVATE_MEMBERS
            .iter()
            .copied()
            .chain(["k"])
            .filter(|m| o.contains_key(*m) && !is_placeholder(m))
            .collect();
        if !secret.is_empty() {
            out.error(
                &doc.file,
                &k.path,
                format!(
                    "has private member(s) {}: this is a private key; never upload or publish it",
                    secret.join(", ")
                ),
                Some(format!("export the public JWK instead: {REEXPORT}")),
            );
        }
        let placeholders: Vec<String> = o
            .keys()
            .filter(|m| PLACEHOLDER_MEMBERS.contains(&m.as_str()) && is_placeholder(m))
            .map(|m| format!("\"{m}\":\"{m}\""))
            .collect();
        if !placeholders.is_empty() {
            out.warning(
                &doc.file,
                &k.path,
                format!(
                    "has placeholder member(s) {} (as the documented sample and the official Java tool emit): harmless for the upload, but generic JOSE libraries see them and treat the key as private or malformed",
                    placeholders.join(", ")
                ),
                Some(format!("delete them, or {REEXPORT}")),
            );
        }
    }
}

pub const K11: Rule = Rule {
    id: "K11",
    level: "warning",
    summary: "`use` is `sig` when present",
    source: "RFC 7517 §4.2",
    check: Check::Keys(k11),
};

fn k11(doc: &KeyDoc, _: &Options, out: &mut Out<'_>) {
    for (k, o) in jwks(doc) {
        match o.get("use") {
            None => {}
            Some(Value::String(s)) if s == "sig" => {}
            Some(v) => out.warning(
                &doc.file,
                &join(&k.path, "use"),
                format!(
                    "\"use\" is {v}, not \"sig\"; verifiers skip keys not meant for signatures"
                ),
                Some(format!("set \"use\":\"sig\", or {REEXPORT}")),
            ),
        }
    }
}

pub const K12: Rule = Rule {
    id: "K12",
    level: "error/warning",
    summary: "`kid` unique within a set (error); printable, no whitespace (warning)",
    source: "JWKS semantics (RFC 7517 §4.5)",
    check: Check::Keys(k12),
};

fn k12(doc: &KeyDoc, _: &Options, out: &mut Out<'_>) {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (k, o) in jwks(doc) {
        let Some(kid) = o.get("kid").and_then(Value::as_str) else {
            continue;
        };
        let path = join(&k.path, "kid");
        if let Some((_, first)) = seen.iter().find(|(s, _)| *s == kid) {
            out.error(
                &doc.file,
                &path,
                format!("kid {kid:?} is also the kid of {first}; the platform picks the key by kid, so each needs its own"),
                Some("give each key its own kid: `uvtool jwk --cert cert.pem --kid NEW-KID`".into()),
            );
        } else {
            seen.push((kid, k.path.as_str()));
        }
        if kid.is_empty() || kid.chars().any(|c| c.is_whitespace() || c.is_control()) {
            out.warning(
                &doc.file,
                &path,
                format!("kid {kid:?} is empty or has whitespace or control characters; it is copied into token headers and Setup, where these get lost"),
                Some("choose a plain kid: `uvtool jwk --cert cert.pem --kid 2026-11`".into()),
            );
        }
    }
}

pub const K13: Rule = Rule {
    id: "K13",
    level: "error",
    summary: "the JWK has `x5c`: without it the upload is accepted but every conversation silently stays unverified",
    source: "field: public setup write-ups report the silent fallback to anonymous",
    check: Check::Keys(k13),
};

fn k13(doc: &KeyDoc, _: &Options, out: &mut Out<'_>) {
    for (k, o) in jwks(doc).filter(|(k, _)| rsa_like(k)) {
        if !o.contains_key("x5c") {
            out.error(
                &doc.file,
                &k.path,
                "has no \"x5c\": the upload form accepts it, but every conversation then silently stays unverified (users show up as …/UNAUTH/NA/…)".into(),
                Some(format!("{REEXPORT} (the certificate made with the key)")),
            );
        }
    }
}

pub const K14: Rule = Rule {
    id: "K14",
    level: "warning",
    summary: "public exponent 65537",
    source: "common practice; other exponents break some verifiers",
    check: Check::Keys(k14),
};

fn k14(doc: &KeyDoc, _: &Options, out: &mut Out<'_>) {
    for k in &doc.keys {
        let Some(p) = &k.public else { continue };
        if p.exponent() != Some(65537) {
            let shown = p
                .exponent()
                .map_or_else(|| "larger than 64 bits".to_string(), |e| e.to_string());
            let path = if k.jwk.is_some() {
                join(&k.path, "e")
            } else {
                k.path.clone()
            };
            out.warning(
                &doc.file,
                &path,
                format!("public exponent is {shown}, not 65537; some verifiers refuse it"),
                Some(NEW_KEY.into()),
            );
        }
    }
}
