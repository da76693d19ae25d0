//! `uvtool jwks`: assemble a JWKS, or edit one for key rotation.

use anyhow::Result;
use serde_json::Value;
use uvtool::io::{display_name, read_input, WriteOptions};
use uvtool::jwk::{self, JwkObject};
use uvtool::Error;

use super::common;
use super::Outcome;
use crate::cli::JwksArgs;

pub fn run(args: JwksArgs) -> Result<Outcome> {
    let alg = args.alg;
    let mut keys: Vec<JwkObject> = Vec::new();
    let set_name = args.set.as_ref().map(|p| p.display().to_string());
    let mut labels: Vec<String> = Vec::new();
    if let Some(set) = &set_name {
        keys = jwk::parse_jwks(&read_input(set)?, set)?;
        labels = (0..keys.len())
            .map(|i| format!("{set}: keys[{i}]"))
            .collect();
    } else if args.inputs.is_empty() && args.add.is_empty() {
        return Err(Error::Usage(
            "give the files to assemble (JWK, JWKS, certificate, public key), or --set JWKS to edit a set".into(),
        )
        .into());
    }
    if args
        .inputs
        .iter()
        .chain(&args.add)
        .filter(|p| *p == "-")
        .count()
        > 1
    {
        return Err(Error::Usage("only one input can be - (stdin)".into()).into());
    }

    for kid in &args.remove {
        let before = keys.len();
        let keep: Vec<bool> = keys
            .iter()
            .map(|k| k.get("kid").and_then(Value::as_str) != Some(kid.as_str()))
            .collect();
        let mut it = keep.iter();
        keys.retain(|_| *it.next().unwrap_or(&true));
        let mut it = keep.iter();
        labels.retain(|_| *it.next().unwrap_or(&true));
        if keys.len() == before {
            let kids: Vec<&str> = keys
                .iter()
                .filter_map(|k| k.get("kid").and_then(Value::as_str))
                .collect();
            return Err(Error::input(
                set_name.as_deref().unwrap_or("set"),
                format!("has no key with kid {kid:?} (kids: {})", kids.join(", ")),
            )
            .into());
        }
    }
    let removed = args.remove.len();
    let mut added = 0;
    for path in args.inputs.iter().chain(&args.add) {
        let name = display_name(path);
        let new = jwk::keys_from_input(&read_input(path)?, name, alg)?;
        added += new.len();
        if new.len() == 1 {
            labels.push(name.to_string());
        } else {
            labels.extend((0..new.len()).map(|i| format!("{name}: keys[{i}]")));
        }
        keys.extend(new);
    }
    jwk::check_set_labelled(&keys, &labels)?;
    if keys.is_empty() {
        common::warn("the set is empty: nothing can be verified against it");
    }

    let text = jwk::jwks_to_string(&keys);
    match (&args.out, &args.set) {
        (Some(out), _) => common::emit(
            Some(out),
            &text,
            WriteOptions {
                force: args.force,
                private: false,
            },
        )?,
        (None, Some(set)) => {
            // Editing in place: replace the set atomically.
            uvtool::io::write_file(
                set,
                text.as_bytes(),
                WriteOptions {
                    force: true,
                    private: false,
                },
            )?;
        }
        (None, None) => common::stdout(&text)?,
    }
    let kids: Vec<&str> = keys
        .iter()
        .filter_map(|k| k.get("kid").and_then(Value::as_str))
        .collect();
    say!(
        "uvtool: JWKS with {} key(s) ({} added, {} removed); kids: {}",
        keys.len(),
        added,
        removed,
        kids.join(", ")
    );
    Ok(Outcome::Yes)
}
