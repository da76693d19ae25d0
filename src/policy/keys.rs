//! Key rules K1–K15: what the platform accepts in a JWK uploaded in Setup or
//! in the keys of a keyset endpoint, and what it needs of the certificate.
//! They run on JWK, JWKS and key-array files and, where they apply, on
//! certificate and key files ([`run`]); [`for_each_key`] gives each key its
//! own findings, which `verify` holds against the token that selects it.

use serde_json::Value;

use super::{src, Applies, Finding, Label, Level, Out, Profile, Rule, Settings};
use crate::cert::CertInfo;
use crate::clock;
use crate::jwk::JwkObject;
use crate::keys::RsaPublic;
use crate::read::{join, CertFacts, CertProblem, CertSlot, KeyDoc, KeyView, Shape};

/// A key rule's function.
type KeyCheck = fn(&KeyDoc, &Settings, &mut Out<'_>);

/// The key rules and their functions, in order.
pub static KEY_RULES: &[(&Rule, KeyCheck)] = &[
    (&K1, k1),
    (&K2, k2),
    (&K3, k3),
    (&K4, k4),
    (&K5, k5),
    (&K6, k6),
    (&K7, k7),
    (&K8, k8),
    (&K9, k9),
    (&K10, k10),
    (&K11, k11),
    (&K12, k12),
    (&K13, k13),
    (&K14, k14),
    (&K15, k15),
];

/// Run every key rule on a key document.
pub fn run(doc: &KeyDoc, s: &Settings, findings: &mut Vec<Finding>) {
    let mut out = Out::new(s.profile, findings);
    for (_, f) in KEY_RULES {
        f(doc, s, &mut out);
    }
}

/// The findings of each key of `doc` (parallel to `doc.keys`): those whose
/// path lies inside the key. Document-level findings (K9) belong to none.
pub fn for_each_key(doc: &KeyDoc, s: &Settings) -> Vec<Vec<Finding>> {
    let mut all = Vec::new();
    run(doc, s, &mut all);
    // Linear in keys + findings: each finding goes to the keys whose path is
    // its path or one of its dotted prefixes, found in a map, instead of
    // every key testing every finding (with a string made per pair, which
    // was quadratic: 8,000 keys took seconds).
    let mut by_path: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::with_capacity(doc.keys.len());
    let mut everywhere = Vec::new();
    for (i, k) in doc.keys.iter().enumerate() {
        if k.path.is_empty() {
            everywhere.push(i);
        } else {
            by_path.entry(k.path.as_str()).or_default().push(i);
        }
    }
    let mut per_key: Vec<Vec<Finding>> = vec![Vec::new(); doc.keys.len()];
    let mut targets = Vec::new();
    for f in all.iter().filter(|f| f.rule != K9.id) {
        targets.clear();
        targets.extend_from_slice(&everywhere);
        let path = f.path.as_str();
        if let Some(v) = by_path.get(path) {
            targets.extend_from_slice(v);
        }
        for (i, _) in path.match_indices('.') {
            if let Some(v) = by_path.get(&path[..i]) {
                targets.extend_from_slice(v);
            }
        }
        // Each key once, in key order, as the per-key filter gave them.
        targets.sort_unstable();
        targets.dedup();
        for &i in &targets {
            per_key[i].push(f.clone());
        }
    }
    per_key
}

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
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: None,
    summary: "`kty`, `kid` and `alg` present (a missing `x5c` is K13)",
    sources: &[src(Label::Ts, "\"required properties\" of an uploaded key")],
};

fn k1(doc: &KeyDoc, _: &Settings, out: &mut Out<'_>) {
    for (k, o) in jwks(doc) {
        let missing: Vec<String> = ["kty", "kid", "alg"]
            .iter()
            .filter(|m| !o.contains_key(**m))
            .map(|m| format!("\"{m}\""))
            .collect();
        if !missing.is_empty() {
            out.push(
                &K1,
                &doc.file,
                &k.path,
                format!(
                    "missing required member(s) {}; the platform requires kty, kid, alg and x5c (TS: \"required properties\")",
                    missing.join(", ")
                ),
                Some(format!("{REEXPORT} (add `--kid KID` to choose the kid)")),
            );
        }
        for m in ["kty", "kid", "alg"] {
            if o.get(m).is_some_and(|v| !v.is_string()) {
                out.push(
                    &K1,
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
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: None,
    summary: "`kty` is RSA; `alg` is RS256 or RS512",
    sources: &[src(
        Label::Web,
        "\"JWTs must be signed using the RS256 or RS512 algorithms\"",
    )],
};

fn k2(doc: &KeyDoc, _: &Settings, out: &mut Out<'_>) {
    for k in &doc.keys {
        if let Some(kty) = k.kty.as_deref().filter(|t| *t != "RSA") {
            let (path, what) = if k.jwk.is_some() {
                (join(&k.path, "kty"), format!("\"kty\" is {kty:?}"))
            } else {
                (k.path.clone(), format!("holds a key of type {kty}"))
            };
            out.push(
                &K2,
                &doc.file,
                &path,
                format!("{what}; the platform accepts RSA keys only (WEB: RS256 or RS512)"),
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
                out.push(
                    &K2,
                    &doc.file,
                    &join(&k.path, "alg"),
                    format!("\"alg\" is {alg:?}; the platform accepts RS256 or RS512 only (WEB)"),
                    Some("re-export with `uvtool jwk --cert cert.pem --alg RS256`".into()),
                );
            }
        }
    }
}

pub const K3: Rule = Rule {
    id: "K3",
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: Some(Level::Error),
    summary: "RSA modulus at least 2048 bits",
    sources: &[
        src(Label::Seed, "2048-bit minimum RSA key length"),
        src(
            Label::Rfc,
            "RFC 7518 §3.3: a key of 2048 bits or larger MUST be used with RS*",
        ),
    ],
};

fn k3(doc: &KeyDoc, s: &Settings, out: &mut Out<'_>) {
    for k in &doc.keys {
        let Some(p) = &k.public else { continue };
        let bits = p.bits();
        if bits < crate::keys::MIN_BITS {
            let path = if k.jwk.is_some() {
                join(&k.path, "n")
            } else {
                k.path.clone()
            };
            out.push(
                &K3,
                &doc.file,
                &path,
                match s.profile {
                    crate::policy::Profile::Platform => {
                        format!("RSA modulus is {bits} bits; the platform requires at least 2048 (seed)")
                    }
                    crate::policy::Profile::Rfc => format!(
                        "RSA modulus is {bits} bits; RFC 7518 §3.3 requires at least 2048 for RS*/PS*"
                    ),
                },
                Some(NEW_KEY.into()),
            );
        }
    }
}

pub const K4: Rule = Rule {
    id: "K4",
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: None,
    summary: "`n` and `e` present and base64url (no padding, no `+` or `/`)",
    sources: &[
        src(Label::Seed, "Base64 URL encoded"),
        src(Label::Rfc, "RFC 7518 §6.3.1"),
    ],
};

fn k4(doc: &KeyDoc, _: &Settings, out: &mut Out<'_>) {
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
                out.push(
                    &K4,
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
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: None,
    summary: "`x5c` entries are standard base64 of a DER certificate (not url-safe, no PEM armour)",
    sources: &[
        src(
            Label::Ts,
            "\"Is the string in the x5c parameter base64-encoded?\"",
        ),
        src(Label::Rfc, "RFC 7517 §4.7"),
    ],
};

fn k5(doc: &KeyDoc, _: &Settings, out: &mut Out<'_>) {
    for (k, o) in jwks(doc) {
        let Some(x5c) = o.get("x5c") else { continue };
        let path = join(&k.path, "x5c");
        let Value::Array(entries) = x5c else {
            out.push(
                &K5,
                &doc.file,
                &path,
                "\"x5c\" is not an array (it is [\"<base64 DER>\", …])".into(),
                Some(REEXPORT.into()),
            );
            continue;
        };
        if entries.is_empty() {
            out.push(
                &K5,
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
                // The reader decoded `x5c[0]` already (`KeyView::cert`),
                // with the same decoder and message.
                Value::String(s) => match (i, &k.cert) {
                    (0, Some(slot)) => match &slot.parsed {
                        Err(CertProblem::Encoding(m)) => Some(m.clone()),
                        _ => None,
                    },
                    _ => crate::b64::std_decode(s).err(),
                },
                _ => Some("is not a string".to_string()),
            };
            if let Some(m) = problem {
                out.push(&K5, &doc.file, &p, m, Some(REEXPORT.into()));
            }
        }
    }
}

pub const K6: Rule = Rule {
    id: "K6",
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: None,
    summary: "the certificate in `x5c[0]` carries the same public key as `n`/`e`",
    sources: &[src(
        Label::Rfc,
        "RFC 7517 §4.7: the key in x5c[0] must match the JWK",
    )],
};

fn k6(doc: &KeyDoc, _: &Settings, out: &mut Out<'_>) {
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
            out.push(&K6,
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
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: None,
    summary: "the certificate is valid now (error) and for at least 10 more days: a documented reason the upload fails, so an error for a key being prepared for upload and a warning when judging a token against a registered key",
    sources: &[src(Label::Ts, "keys fail to upload when the certificate is not valid for at least 10 more days")],
};

/// K7's fix.
const K7_FIX: &str = "issue a new certificate with `uvtool cert --key private.pem --days 365 -o cert.pem`, then re-export with `uvtool jwk --cert cert.pem`";

/// K7 on a certificate's validity window at `now`, worded once for every
/// command (`check`, `verify`, `jwk`, the official tool's `-generateJwk`,
/// `--days`): what is wrong, and whether it only matters for the upload
/// (valid now, with less than 10 more days).
pub fn k7_problem(not_before: i64, not_after: i64, now: i64) -> Option<(String, bool)> {
    let date = |t: i64| clock::format_utc(t).unwrap_or_else(|| t.to_string());
    if not_after < now {
        Some((
            format!(
                "the certificate expired on {} ({}): a documented reason the upload fails (TS)",
                date(not_after),
                clock::relative(not_after, now)
            ),
            false,
        ))
    } else if not_after < now.saturating_add(MIN_CERT_LEFT) {
        Some((
            format!(
                "the certificate expires on {} ({}); keys fail to upload without at least 10 more days of validity (TS)",
                date(not_after),
                clock::relative(not_after, now)
            ),
            true,
        ))
    } else if not_before > now {
        Some((
            format!(
                "the certificate is not valid until {} ({}): the upload needs one valid now (TS)",
                date(not_before),
                clock::relative(not_before, now)
            ),
            false,
        ))
    } else {
        None
    }
}

fn k7(doc: &KeyDoc, opts: &Settings, out: &mut Out<'_>) {
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
        if let Some((m, upload_only)) = k7_problem(*not_before, *not_after, opts.now) {
            let before = out.list.len();
            out.push(&K7, &doc.file, &slot.path, m, Some(K7_FIX.into()));
            if let Some(f) = out.list.get_mut(before) {
                f.upload_only = upload_only;
            }
        }
    }
}

pub const K8: Rule = Rule {
    id: "K8",
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: None,
    summary: "the certificate parses as a public X.509 certificate (not a private key pasted in)",
    sources: &[src(
        Label::Ts,
        "keytool -printcert test; \"don't use the private certificate\"",
    )],
};

fn k8(doc: &KeyDoc, _: &Settings, out: &mut Out<'_>) {
    for k in &doc.keys {
        let Some(slot) = &k.cert else { continue };
        if let Err(CertProblem::NotCertificate(m)) = &slot.parsed {
            let fix = if k.jwk.is_some() {
                format!("{REEXPORT} (it puts the public certificate in x5c)")
            } else {
                "use the certificate file (cert.pem), or make one with `uvtool cert --key private.pem -o cert.pem`".to_string()
            };
            out.push(&K8, &doc.file, &slot.path, m.clone(), Some(fix));
        }
    }
}

pub const K9: Rule = Rule {
    id: "K9",
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: None,
    summary: "a key file for the upload form is one JWK object: not an array, and, when checked for upload, not a JWKS, a certificate or a key file",
    sources: &[src(Label::Ts, "\"upload each key individually\"")],
};

fn k9(doc: &KeyDoc, opts: &Settings, out: &mut Out<'_>) {
    let fix = "upload each key individually: `uvtool jwk --cert cert.pem > jwk.json` (a keyset endpoint serves {\"keys\":[…]}, made by `uvtool jwks`)";
    match doc.shape {
        Shape::Array => out.push(&K9,
            &doc.file,
            "",
            "is a JSON array; the upload form takes one JWK object, a keyset endpoint a {\"keys\":[…]} object".into(),
            Some(fix.into()),
        ),
        Shape::Set if opts.upload => out.push(&K9,
            &doc.file,
            "",
            format!(
                "is a JWKS with {} key(s); the upload form takes a single JWK object",
                doc.keys.len()
            ),
            Some(fix.into()),
        ),
        // A PEM or DER file is not what the form takes: a JWK whose x5c
        // holds the certificate (K13).
        Shape::Certificate | Shape::PublicKey if opts.upload => out.push(&K9,
            &doc.file,
            "",
            format!(
                "is {}; the upload form takes a JWK (one JSON object with kty, kid, alg and the certificate in x5c)",
                if doc.shape == Shape::Certificate { "a certificate" } else { "a public key" }
            ),
            Some("make the JWK from the certificate: `uvtool jwk --cert cert.pem > jwk.json`, and upload jwk.json".into()),
        ),
        Shape::PrivateKey if opts.upload => out.push(&K9,
            &doc.file,
            "",
            "is a private key: never upload it; the upload form takes the public JWK (with the certificate in x5c)".into(),
            Some("make the JWK from the certificate: `uvtool jwk --cert cert.pem > jwk.json`, and upload jwk.json".into()),
        ),
        _ => {}
    }
}

pub const K10: Rule = Rule {
    id: "K10",
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: None,
    summary: "no private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`) with real values (error); the documented placeholders (`\"d\":\"d\"`, `\"y\":\"y\"`, `\"crv\":\"crv\"`, `\"k\":\"k\"`) are read everywhere with a warning",
    sources: &[src(Label::Ts, "the \"Sample JWK Structure\" the key \"must follow\" carries the placeholders"), src(Label::Tool, "the official tool emits them")],
};

fn k10(doc: &KeyDoc, _: &Settings, out: &mut Out<'_>) {
    for (k, o) in jwks(doc) {
        let secret = crate::jwk::real_private_members(o);
        if !secret.is_empty() {
            out.push_at(
                &K10,
                Level::Error,
                &doc.file,
                &k.path,
                format!(
                    "has private member(s) {}: this is a private key; never upload or publish it",
                    secret.join(", ")
                ),
                Some(format!("export the public JWK instead: {REEXPORT}")),
            );
        }
        let placeholders: Vec<String> = crate::jwk::placeholder_members(o)
            .into_iter()
            .map(|m| format!("\"{m}\":\"{m}\""))
            .collect();
        if !placeholders.is_empty() {
            out.push_at(
                &K10,
                Level::Warning,
                &doc.file,
                &k.path,
                format!(
                    "has placeholder member(s) {} (the documented Sample JWK Structure and the official tool carry them): no key material, read as a public key; generic JOSE libraries may treat the key as private or malformed",
                    placeholders.join(", ")
                ),
                Some(format!("keep them only if your upload insists on the documented structure; else delete them, or {REEXPORT}")),
            );
        }
    }
}

pub const K11: Rule = Rule {
    id: "K11",
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: None,
    summary: "`use`, when present, is `sig` (every verifier skips a key with another `use`)",
    sources: &[
        src(Label::Rfc, "RFC 7517 §4.2"),
        src(
            Label::Tool,
            "nimbus-jose-jwt skips keys not meant for signatures",
        ),
    ],
};

fn k11(doc: &KeyDoc, _: &Settings, out: &mut Out<'_>) {
    for (k, o) in jwks(doc) {
        match o.get("use") {
            None => {}
            Some(Value::String(s)) if s == "sig" => {}
            Some(v) => out.push(&K11,
                &doc.file,
                &join(&k.path, "use"),
                format!(
                    "\"use\" is {v}, not \"sig\": verifiers skip a key not meant for signatures, so every token signed with it fails"
                ),
                Some(format!("set \"use\":\"sig\", or {REEXPORT}")),
            ),
        }
    }
}

pub const K12: Rule = Rule {
    id: "K12",
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: None,
    summary: "`kid` unique within a set (error); printable, no whitespace (warning)",
    sources: &[src(Label::Rfc, "RFC 7517 §4.5")],
};

fn k12(doc: &KeyDoc, _: &Settings, out: &mut Out<'_>) {
    // A map, not a list searched per key: linear in the keys of a set.
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for (k, o) in jwks(doc) {
        let Some(kid) = o.get("kid").and_then(Value::as_str) else {
            continue;
        };
        let path = join(&k.path, "kid");
        if let Some(first) = seen.get(kid) {
            out.push_at(&K12, Level::Error,
                &doc.file,
                &path,
                format!("kid {kid:?} is also the kid of {first}; the platform picks the key by kid (tool; RFC 7517 §4.5), so each needs its own"),
                Some("give each key its own kid: `uvtool jwk --cert cert.pem --kid NEW-KID`".into()),
            );
        } else {
            seen.insert(kid, k.path.as_str());
        }
        if kid.is_empty() || kid.chars().any(|c| c.is_whitespace() || c.is_control()) {
            out.push_at(&K12, Level::Warning,
                &doc.file,
                &path,
                format!("kid {kid:?} is empty or has whitespace or control characters; it is copied into token headers and Setup, where these get lost (an assumption)"),
                Some("choose a plain kid: `uvtool jwk --cert cert.pem --kid 2026-11`".into()),
            );
        }
    }
}

pub const K13: Rule = Rule {
    id: "K13",
    applies: Applies::Keys,
    platform: Some(Level::Error),
    rfc: None,
    summary: "the JWK has `x5c` (TS lists it as required; one field report says the form took a key without it and verification then stayed anonymous)",
    sources: &[src(Label::Ts, "x5c among the required properties"), src(Label::Field, "a key without x5c was accepted and users stayed unverified")],
};

fn k13(doc: &KeyDoc, _: &Settings, out: &mut Out<'_>) {
    for (k, o) in jwks(doc).filter(|(k, _)| rsa_like(k)) {
        if !o.contains_key("x5c") {
            out.push(&K13,
                &doc.file,
                &k.path,
                "has no \"x5c\": Troubleshooting lists it as required for the upload (TS); one field report says the form accepted a key without it and every conversation then stayed unverified (…/UNAUTH/NA/…)".into(),
                Some(format!("{REEXPORT} (the certificate made with the key)")),
            );
        }
    }
}

pub const K14: Rule = Rule {
    id: "K14",
    applies: Applies::Keys,
    platform: Some(Level::Warning),
    rfc: None,
    summary: "public exponent 65537",
    sources: &[src(
        Label::Assumption,
        "common practice; other exponents break some verifiers",
    )],
};

fn k14(doc: &KeyDoc, _: &Settings, out: &mut Out<'_>) {
    for k in &doc.keys {
        let Some(p) = &k.public else { continue };
        if let Some(m) = k14_problem(p) {
            let path = if k.jwk.is_some() {
                join(&k.path, "e")
            } else {
                k.path.clone()
            };
            out.push(&K14, &doc.file, &path, m, Some(NEW_KEY.into()));
        }
    }
}

/// K14 on a public key, worded once for every command (`check`, `jwk`,
/// `cert`, the official tool's `-generateJwk`).
pub fn k14_problem(p: &RsaPublic) -> Option<String> {
    let shown = match p.exponent() {
        Some(65537) => return None,
        Some(e) => e.to_string(),
        None => "larger than 64 bits".to_string(),
    };
    Some(format!(
        "RSA public exponent is {shown}, not 65537; some verifiers refuse it"
    ))
}

/// A key and its certificate given to make a JWK for the upload (`jwk`,
/// `cert`, the official tool's `-generateJwk`), each named as given.
#[derive(Debug, Clone, Copy)]
pub struct Export<'a> {
    /// The key file and its public key, when one was given.
    pub key: Option<(&'a str, &'a RsaPublic)>,
    /// The private key file K6's fix names (`uvtool cert --key FILE`), when
    /// the command knows it; else `PRIVATE_KEY_FILE`.
    pub private_key: Option<&'a str>,
    /// The certificate file and what it holds, when one was given.
    pub cert: Option<(&'a str, &'a CertInfo)>,
    pub now: i64,
}

/// The key rules on a key and certificate given to make a JWK, in the
/// order a command reports them: K6 (an error) when the certificate holds
/// another public key than the key given, K14 the exponent, K7 the
/// certificate's validity (an error under the platform profile; the
/// command decides whether to refuse). Worded as `check` words them.
pub fn export_findings(e: &Export<'_>) -> Vec<Finding> {
    let mut list = Vec::new();
    let mut out = Out::new(Profile::Platform, &mut list);
    if let (Some((key, public)), Some((cert, c))) = (e.key, e.cert) {
        if c.public != *public {
            let maker = e.private_key.unwrap_or("PRIVATE_KEY_FILE");
            out.push(
                &K6,
                cert,
                "",
                format!("the certificate's public key does not match {key}"),
                Some(format!(
                    "use the certificate made for that key (or make one with `uvtool cert --key {maker}`)"
                )),
            );
        }
    }
    let public = e.key.or(e.cert.map(|(name, c)| (name, &c.public)));
    if let Some((name, p)) = public {
        if let Some(m) = k14_problem(p) {
            out.push(&K14, name, "", m, Some(NEW_KEY.into()));
        }
    }
    if let Some((cert, c)) = e.cert {
        if let Some((m, upload_only)) = k7_problem(c.not_before, c.not_after, e.now) {
            let before = out.list.len();
            out.push(&K7, cert, "", m, Some(K7_FIX.into()));
            if let Some(f) = out.list.get_mut(before) {
                f.upload_only = upload_only;
            }
        }
    }
    list
}

pub const K15: Rule = Rule {
    id: "K15",
    applies: Applies::Keys,
    platform: Some(Level::Warning),
    rfc: None,
    summary: "the certificate is not a seeded fixture key (`keygen --seed`), whose private key anyone can re-derive",
    sources: &[src(
        Label::Assumption,
        "uvtool marks seeded keys in the certificate subject",
    )],
};

fn k15(doc: &KeyDoc, _: &Settings, out: &mut Out<'_>) {
    for k in &doc.keys {
        let Some(CertSlot {
            path,
            parsed: Ok(facts),
        }) = &k.cert
        else {
            continue;
        };
        if crate::cert::is_fixture_subject(&facts.subject) {
            out.push(
                &K15,
                &doc.file,
                path,
                format!(
                    "the certificate ({}) belongs to a key derived from a public seed: anyone can re-derive its private key; use it for tests only, never upload it",
                    facts.subject
                ),
                Some("make a real key for the platform: `uvtool keygen --out-dir keys` (no --seed)".into()),
            );
        }
    }
}
