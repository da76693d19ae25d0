//! `uvtool fixtures DIR`: write a reproducible fixture set (the library's
//! [`uvtool::fixtures`]) as files, or as one JSON Lines stream.

use std::path::{Path, PathBuf};

use anyhow::Result;
use uvtool::fixtures::{self, Options};
use uvtool::io::{replace_tree, Replaced};
use uvtool::{cert, Error};

use super::common;
use super::Outcome;
use crate::cli::error::usage;
use crate::cli::{FixturesArgs, FixturesFormat};

pub fn run(args: FixturesArgs) -> Result<Outcome> {
    if args.seed.is_empty() {
        return Err(usage("--seed is empty; give a text such as ci"));
    }
    let to_stdout = args.dir == Path::new("-");
    if to_stdout && args.format == FixturesFormat::Files {
        return Err(usage(
            "DIR - (stdout) needs --format jsonl; give a folder for the files",
        ));
    }
    let now = args.clock.now();
    let corpus = fixtures::build(&Options {
        seed: args.seed.clone(),
        now,
        iss: args.claims.iss.clone(),
        sub: args.claims.sub.clone(),
        auth_id: args.auth_id.name.clone(),
    })?;
    let jsonl = corpus.jsonl();
    let mut outputs: Vec<(PathBuf, Vec<u8>, bool)> = Vec::new();
    match args.format {
        FixturesFormat::Jsonl if to_stdout => {
            common::stdout(&jsonl)?;
        }
        FixturesFormat::Jsonl => {
            outputs.push((args.dir.join("fixtures.jsonl"), jsonl.into_bytes(), false));
        }
        FixturesFormat::Files => {
            for f in &corpus.files {
                outputs.push((args.dir.join(&f.path), f.contents.clone(), f.private));
            }
            outputs.push((
                args.dir.join("manifest.json"),
                corpus.manifest_json().into_bytes(),
                false,
            ));
        }
    }
    if !outputs.is_empty() {
        write_all(&args.dir, &outputs, args.replace.force)?;
    }

    let tokens = corpus.tokens().count();
    let valid = corpus
        .tokens()
        .filter(|f| f.entry["expect"]["platform"]["valid"] == true)
        .count();
    if !to_stdout {
        say!(
            "uvtool: wrote {} files to {}/: two keys with certificates, jwk.json, jwk-2.json, jwks.json, {tokens} tokens under tokens/ ({valid} valid under the platform profile) and manifest.json",
            outputs.len(),
            args.dir.display()
        );
    }
    common::warn(format!(
        "the keys are derived from the seed {:?}: they are public knowledge. Use them in tests only and never upload them (their certificates are named \"{}\")",
        args.seed,
        cert::FIXTURE_CN
    ));
    if args.clock.now.is_none() {
        say!("uvtool: note: the clock was now; give --now for byte-identical output run to run");
    }
    Ok(Outcome::Yes)
}

/// Replace the tree under `dir` all or nothing ([`uvtool::io::replace_tree`]):
/// a folder holding only fixtures is swapped whole, so every reader sees the
/// complete old tree or the complete new one even while a run is killed;
/// one holding other files too gets the new files through a journal, under
/// the folder's lock (concurrent runs take turns). A subfolder that is a
/// symbolic link is refused: the tree is written inside `dir`, never
/// through a link.
fn write_all(dir: &Path, outputs: &[(PathBuf, Vec<u8>, bool)], force: bool) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::input(dir.display(), "exists and is not a folder").into());
    }
    let mut tree = Vec::with_capacity(outputs.len());
    for (p, data, private) in outputs {
        if let Some(parent) = p.parent() {
            if parent != dir
                && std::fs::symlink_metadata(parent).is_ok_and(|m| m.file_type().is_symlink())
            {
                return Err(Error::input(
                    parent.display(),
                    "is a symbolic link; fixtures are written only inside the folder (remove the link or choose another folder)",
                )
                .into());
            }
        }
        let rel = p.strip_prefix(dir).unwrap_or(p).to_path_buf();
        tree.push((rel, data.clone(), *private));
    }
    if !force {
        if let Some((p, _, _)) = outputs.iter().find(|(p, _, _)| p.exists()) {
            return Err(Error::Exists(p.clone()).into());
        }
    }
    if let Replaced::AsSet(why) = replace_tree(dir, &tree, force)? {
        if force {
            say!(
                "uvtool: note: {}/ was updated file by file under a journal, not swapped whole: {why} (docs/HARDENING.md, \"Replacing sets of files\")",
                dir.display()
            );
        }
    }
    Ok(())
}
