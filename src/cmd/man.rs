//! `uvtool man [DIR]`: man pages generated from the command-line definition
//! (clap_mangen), so they never drift from `--help`.

use std::path::Path;

use anyhow::Result;
use clap::CommandFactory;
use uvtool::io::{write_file, WriteOptions};
use uvtool::Error;

use super::common;
use super::Outcome;
use crate::cli::{Cli, ManArgs};

/// Render one page.
fn render(cmd: clap::Command) -> Result<(String, Vec<u8>)> {
    let man = clap_mangen::Man::new(cmd);
    let mut buf = Vec::new();
    man.render(&mut buf)?;
    Ok((man.get_filename(), buf))
}

/// Every page: uvtool.1, then uvtool-<command>.1 for each command.
fn pages() -> Result<Vec<(String, Vec<u8>)>> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let mut out = vec![render(root.clone())?];
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        out.push(render(sub.clone())?);
    }
    Ok(out)
}

pub fn run(args: ManArgs) -> Result<Outcome> {
    let Some(dir) = args.dir else {
        let (_, page) = render(Cli::command())?;
        common::stdout(&String::from_utf8_lossy(&page))?;
        return Ok(Outcome::Yes);
    };
    if dir.is_file() {
        return Err(Error::input(dir.display(), "is a file, expected a folder").into());
    }
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, "cannot create the folder", e))?;
    let pages = pages()?;
    if !args.replace.force {
        if let Some((name, _)) = pages.iter().find(|(n, _)| dir.join(n).exists()) {
            return Err(Error::Exists(dir.join(name)).into());
        }
    }
    for (name, page) in &pages {
        write_file(
            &dir.join(name),
            page,
            WriteOptions {
                force: args.replace.force,
                private: false,
            },
        )?;
    }
    say!(
        "uvtool: wrote {} man pages to {} (uvtool.1, uvtool-<command>.1); read one with `man {}`",
        pages.len(),
        dir.display(),
        Path::new(&dir).join("uvtool.1").display()
    );
    Ok(Outcome::Yes)
}
