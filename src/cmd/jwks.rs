//! `uvtool jwks`: assemble a JWKS, or edit one for key rotation.

use anyhow::Result;
use serde_json::Value;
use uvtool::io::{display_name, read_input, WriteOptions};
use uvtool::jwk::{self, JwkObject};
use uvtool::text::escape as esc;
use uvtool::Error;

use super::common;
use super::Outcome;
use crate::cli::error::usage;
use crate::cli::JwksArgs;

pub fn run(args: JwksArgs) -> Result<Outcome> {
    let alg = args.alg;
    let mut keys: Vec<JwkObject> = Vec::new();
    let set_name = args.set.as_ref().map(|p| p.display().to_string());
    // Editing in place: the set's folder is locked from the read to the
    // write, so concurrent edits take turns and none is lost; a symbolic
    // link is written through to its target, never replaced by a file.
    let in_place = match (&args.set, &args.output.out) {
        (Some(set), None) => Some(in_place_target(set)?),
        _ => None,
    };
    let _lock = match &in_place {
        Some(target) => Some(uvtool::io::lock_dir(
            target
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new(".")),
        )?),
        None => None,
    };
    let mut labels: Vec<String> = Vec::new();
    if let Some(set) = &set_name {
        keys = jwk::parse_jwks(&read_input(set)?, set)?;
        labels = (0..keys.len())
            .map(|i| format!("{set}: keys[{i}]"))
            .collect();
    } else if args.inputs.is_empty() && args.add.is_empty() {
        return Err(usage(
            "give the files to assemble (JWK, JWKS, certificate, public key), or --set JWKS to edit a set",
        ));
    }
    if args
        .inputs
        .iter()
        .chain(&args.add)
        .filter(|p| *p == "-")
        .count()
        > 1
    {
        return Err(usage("only one input can be - (stdin)"));
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
    // Keys of the set being edited: a key already there, identical, is
    // left as it is (a re-run of `--set jwks.json --add jwk.json` changes
    // nothing and succeeds); a different key under its kid stays an error.
    let in_set = keys.len();
    for path in args.inputs.iter().chain(&args.add) {
        let name = display_name(path);
        let mut new = jwk::keys_from_input(&read_input(path)?, name, alg)?;
        if set_name.is_some() {
            new.retain(|k| {
                let there = keys[..in_set].contains(k);
                if there {
                    let kid = k.get("kid").and_then(Value::as_str).unwrap_or("");
                    say!(
                        "uvtool: note: {}: key {} is already in the set, unchanged",
                        esc(name),
                        esc(&format!("{kid:?}"))
                    );
                }
                !there
            });
        }
        added += new.len();
        if new.len() == 1 {
            labels.push(name.to_string());
        } else {
            labels.extend((0..new.len()).map(|i| format!("{name}: keys[{i}]")));
        }
        keys.extend(new);
    }
    if keys.len() > jwk::MAX_KEYS {
        return Err(
            jwk::too_many_keys(set_name.as_deref().unwrap_or("the set"), keys.len()).into(),
        );
    }
    jwk::check_set_labelled(&keys, &labels)?;
    if keys.is_empty() {
        common::warn("the set is empty: nothing can be verified against it");
    }

    let text = jwk::jwks_to_string(&keys);
    match (&args.output.out, &args.set) {
        (Some(out), _) => common::emit(
            Some(out),
            &text,
            WriteOptions {
                force: args.output.force,
                private: false,
            },
        )?,
        // Nothing added or removed: the set is left as it is.
        (None, Some(_)) if added == 0 && removed == 0 => {}
        (None, Some(_)) => {
            // Editing in place: replace the set atomically, under the lock.
            let target = in_place.as_deref().unwrap_or(std::path::Path::new("-"));
            uvtool::io::write_file(
                target,
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

/// The file an in-place edit of `set` replaces: the set itself, or the file
/// a symbolic link to it points at (the link stays a link).
fn in_place_target(set: &std::path::Path) -> Result<std::path::PathBuf> {
    let is_link = std::fs::symlink_metadata(set).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(set.to_path_buf());
    }
    std::fs::canonicalize(set)
        .map_err(|e| Error::io(set, "cannot follow the symbolic link", e).into())
}
