//! Input and output: `-` for stdin, and safe file writing (no clobber without
//! `force`, temporary file + fsync + rename, private files created 0600).
//! A leaf of the library: it knows files, not keys or tokens.
//!
//! # Caps
//!
//! Every input has a cap, named in the error that refuses it: [`MAX_INPUT`]
//! for a file or stdin ([`read_input`]); a reader with a smaller cap of its
//! own (the set `serve` follows, a line of a batch, ...) reads through
//! [`read_file_capped`] or `take`, and names that cap itself.
//!
//! # Sets of files, all or nothing
//!
//! A set (keygen's five files, a JWKS edited in place, a fixtures tree
//! that also holds files of the user's) is replaced under the folder's
//! lock ([`lock_dir`], an `flock` on the folder itself, so no lock file is
//! left behind): concurrent writers wait their turn (up to [`LOCK_WAIT`],
//! then the later one fails saying why), so two `jwks --add` never lose a
//! key and two `keygen --force` never mix. [`commit_set`] then moves the
//! staged files into place:
//!
//! 1. every new file is written and synced under a temporary name beside
//!    its target ([`stage`]); a kill here leaves the old set untouched;
//! 2. a journal naming each temporary file and its target is synced and
//!    renamed to `.uvtool-set.journal`: the commit point;
//! 3. each temporary file is renamed over its target; the journal removed.
//!
//! Whoever takes the lock next (any later keygen, fixtures or jwks write in
//! that folder) first finishes a journal it finds (renames the temporary
//! files still there; renames are idempotent), so a run killed after the
//! commit point gives the complete new set, one killed before it the
//! complete old set. Renames of separate names cannot change together, so
//! between the commit point and the last rename (microseconds, or until
//! the next writer when the run was killed there) a reader that does not
//! take the lock can see both; the lock taker never does.
//! It then removes temporary files it can prove abandoned: named with the
//! pid of a process no longer alive, or older than [`STALE_AGE`].
//!
//! # Trees, swapped whole
//!
//! A folder that holds nothing but the files uvtool writes there (the
//! fixtures tree) is replaced by [`replace_tree`] in one step: the new tree
//! is written and synced in a sibling folder, then exchanged with the old
//! one by a single `renameat2(RENAME_EXCHANGE)` (Linux), and the old tree
//! removed. Every reader, with or without the lock, sees the complete old
//! tree or the complete new one, at every instant, kills included; a killed
//! run leaves at most that sibling folder, which the next run removes. Where
//! the exchange is not available (another system, a file system that
//! refuses it) or the folder holds other files, the tree is committed as a
//! set (above).

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, Instant};

use crate::{Error, Result};

/// Largest input file uvtool reads (keys, certificates, JWKS, token lists are
/// far smaller); protects against a device or a huge file by mistake.
pub const MAX_INPUT: u64 = 64 * 1024 * 1024;

/// The journal of a set being moved into place (see the module docs).
pub const JOURNAL_NAME: &str = ".uvtool-set.journal";
/// How long a writer waits for another writer's lock before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(60);
/// A temporary file this old is abandoned even if its pid is alive (reused).
pub const STALE_AGE: Duration = Duration::from_secs(3600);

/// The UTF-8 byte-order mark Windows editors put at the start of text files.
pub const BOM: &[u8] = b"\xef\xbb\xbf";

/// `input` without a leading UTF-8 byte-order mark. (DER starts with 0x30,
/// so this never changes a binary key or certificate.)
pub fn strip_bom(input: &[u8]) -> &[u8] {
    input.strip_prefix(BOM).unwrap_or(input)
}

/// The byte-order marks of UTF-16, little- and big-endian: what PowerShell
/// 5's `>` and Notepad's "Unicode" save write.
pub const BOM_UTF16: [&[u8]; 2] = [b"\xff\xfe", b"\xfe\xff"];

/// Whether `bytes` start with a UTF-16 byte-order mark. (DER starts with
/// 0x30 and UTF-8 text never holds 0xFE or 0xFF, so nothing else does.)
pub fn is_utf16(bytes: &[u8]) -> bool {
    BOM_UTF16.iter().any(|bom| bytes.starts_with(bom))
}

/// Why an input that starts with a UTF-16 byte-order mark is refused when
/// its UTF-16 does not decode: the words of every reader (whole files,
/// [`crate::read::Lines`]).
pub const NOT_UTF16: &str = "starts with a UTF-16 byte-order mark but is not UTF-16 text (an odd length or a broken character); save it as UTF-8";

/// UTF-16 text with its byte-order mark, as UTF-8 without it. `None` when
/// the bytes do not start with a UTF-16 mark or do not decode (an odd
/// length, a lone surrogate); with `lossy`, such units become U+FFFD and a
/// trailing odd byte is dropped (for a head read of a longer file).
pub fn utf16_to_utf8(bytes: &[u8], lossy: bool) -> Option<Vec<u8>> {
    let le = bytes.starts_with(BOM_UTF16[0]);
    if !le && !bytes.starts_with(BOM_UTF16[1]) {
        return None;
    }
    let body = bytes.get(2..)?;
    if !lossy && !body.len().is_multiple_of(2) {
        return None;
    }
    let units = body.chunks_exact(2).map(|c| {
        let pair = [c[0], c[1]];
        if le {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut out = String::with_capacity(body.len() / 2);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => out.push(c),
            Err(_) if lossy => out.push(char::REPLACEMENT_CHARACTER),
            Err(_) => return None,
        }
    }
    Some(out.into_bytes())
}

/// Read a whole input: a file path, or `-` for standard input.
/// Missing files, folders, empty and oversized inputs are errors naming the path.
/// A leading UTF-8 byte-order mark is dropped, so every reader (PEM, JSON,
/// tokens, text) accepts a file saved by Windows Notepad; UTF-16 text with
/// its byte-order mark (PowerShell 5's `>`) is read as the same text in
/// UTF-8, and UTF-16 that does not decode is named.
pub fn read_input(path: &str) -> Result<Vec<u8>> {
    let mut buf = Vec::new();
    if path == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_INPUT + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::io(Path::new("<stdin>"), "cannot read", e))?;
        if buf.is_empty() {
            return Err(Error::input("<stdin>", "is empty"));
        }
    } else {
        let p = Path::new(path);
        let meta = fs::metadata(p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::input(path, "no such file"),
            _ => Error::io(p, "cannot read", e),
        })?;
        if meta.is_dir() {
            return Err(Error::input(path, "is a directory, expected a file"));
        }
        let f = File::open(p).map_err(|e| Error::io(p, "cannot open", e))?;
        f.take(MAX_INPUT + 1)
            .read_to_end(&mut buf)
            .map_err(|e| Error::io(p, "cannot read", e))?;
        if buf.is_empty() {
            return Err(Error::input(path, "is empty"));
        }
    }
    if buf.len() as u64 > MAX_INPUT {
        return Err(Error::input(
            display_name(path),
            format!("is larger than {} MiB", MAX_INPUT >> 20),
        ));
    }
    decode_text(buf, display_name(path))
}

/// The bytes of a whole input (named `name` in messages) as every reader
/// takes them: UTF-16 text with its byte-order mark (PowerShell 5's `>`)
/// becomes the same text in UTF-8, a leading UTF-8 byte-order mark is
/// dropped, and anything else is left as it is (DER starts with 0x30, so a
/// binary key or certificate never changes). UTF-16 that does not decode
/// is named; an input that was only a byte-order mark is empty.
pub fn decode_text(mut buf: Vec<u8>, name: &str) -> Result<Vec<u8>> {
    if is_utf16(&buf) {
        buf = utf16_to_utf8(&buf, false).ok_or_else(|| Error::input(name, NOT_UTF16))?;
    }
    if buf.starts_with(BOM) {
        buf.drain(..BOM.len());
    }
    if buf.is_empty() {
        return Err(Error::input(name, "is empty"));
    }
    Ok(buf)
}

/// Read one file of at most `cap` bytes (`limit` names that cap in the
/// error). The file is opened once and read through `take(cap + 1)`, so a
/// device (`/dev/zero`), a FIFO or a file growing meanwhile costs at most
/// `cap + 1` bytes of memory, never more.
pub fn read_file_capped(path: &Path, cap: u64, limit: &str) -> Result<Vec<u8>> {
    let f = File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::input(path.display(), "no such file"),
        _ => Error::io(path, "cannot open", e),
    })?;
    let mut buf = Vec::new();
    f.take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Error::io(path, "cannot read", e))?;
    if buf.len() as u64 > cap {
        return Err(Error::input(
            path.display(),
            format!("is larger than {}, {limit}", size_name(cap)),
        ));
    }
    if buf.is_empty() {
        return Err(Error::input(path.display(), "is empty"));
    }
    Ok(buf)
}

/// A byte count as people say it: `64 MiB`, `1 MiB`, `256 KiB`, `100 bytes`.
pub fn size_name(n: u64) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// Read an input as UTF-8 text.
pub fn read_text(path: &str) -> Result<String> {
    let bytes = read_input(path)?;
    String::from_utf8(bytes).map_err(|_| Error::input(display_name(path), "is not UTF-8 text"))
}

/// How an input path is named in messages.
pub fn display_name(path: &str) -> &str {
    if path == "-" {
        "<stdin>"
    } else {
        path
    }
}

/// How a file is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Replace an existing file.
    pub force: bool,
    /// Create with mode 0600 (private keys).
    pub private: bool,
}

/// Write `data` to `path` atomically: a temporary file in the same folder,
/// fsync, then rename. Without `force` an existing file is never replaced
/// (checked by a hard link, which fails when the target exists, so there is no
/// race). Private files are created 0600 at open time.
pub fn write_file(path: &Path, data: &[u8], opts: WriteOptions) -> Result<()> {
    stage(path, data, opts)?.commit()
}

/// A file written and synced under a temporary name in its target folder,
/// not yet in place. [`Staged::commit`] moves it into place; dropping it
/// without committing removes the temporary file.
///
/// Writing several related files (keygen's key, certificate and JWKs) as
/// "stage all, then commit all" means a failure while writing leaves none of
/// them behind and no old file touched.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    target: PathBuf,
    dir: PathBuf,
    force: bool,
    done: bool,
}

/// Check the target (folder exists, no clobber without `force`) and write
/// `data` to a synced temporary file beside it; see [`Staged`].
pub fn stage(path: &Path, data: &[u8], opts: WriteOptions) -> Result<Staged> {
    let dir = target_dir(path)?;
    check_target(path, opts.force)?;
    let (tmp_path, mut tmp) = create_temp(&dir, path, opts.private)?;
    let staged = Staged {
        tmp: tmp_path,
        target: path.to_path_buf(),
        dir,
        force: opts.force,
        done: false,
    };
    tmp.write_all(data)
        .map_err(|e| Error::io(&staged.tmp, "cannot write", e))?;
    tmp.sync_all()
        .map_err(|e| Error::io(&staged.tmp, "cannot sync", e))?;
    drop(tmp);
    // Checked again so a file that appeared meanwhile is reported before any commit.
    check_target(path, opts.force)?;
    Ok(staged)
}

impl Staged {
    /// The path the file will have once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Move the file into place: rename over the target with `force`,
    /// otherwise a hard link that fails when the target exists (no race).
    pub fn commit(mut self) -> Result<()> {
        let r = self.commit_inner();
        if r.is_ok() {
            self.done = true;
        }
        r
    }

    fn commit_inner(&self) -> Result<()> {
        let (tmp_path, path) = (&self.tmp, &self.target);
        if self.force {
            fs::rename(tmp_path, path).map_err(|e| Error::io(path, "cannot replace", e))?;
        } else {
            match fs::hard_link(tmp_path, path) {
                Ok(()) => {
                    let _ = fs::remove_file(tmp_path);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(Error::Exists(path.to_path_buf()));
                }
                // Filesystems without hard links: the existence check is the
                // best we can do.
                Err(_) => {
                    if path.exists() {
                        return Err(Error::Exists(path.to_path_buf()));
                    }
                    fs::rename(tmp_path, path).map_err(|e| Error::io(path, "cannot write", e))?;
                }
            }
        }
        if let Ok(d) = File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

/// A folder's write lock ([`lock_dir`]); released when dropped.
#[derive(Debug)]
pub struct DirLock {
    dir: PathBuf,
    #[cfg(unix)]
    _lock: nix::fcntl::Flock<File>,
}

impl DirLock {
    /// The locked folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Take the write lock of `dir` (waiting up to [`LOCK_WAIT`] for another
/// writer), then finish a set a killed run committed and remove abandoned
/// temporary files (module docs, "Sets of files").
pub fn lock_dir(dir: &Path) -> Result<DirLock> {
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        let held = lock_once(dir, deadline)?;
        // A tree swapped in (replace_tree) while we waited is another
        // folder: the lock taken is on the one swapped out. Lock again.
        if same_file(&held, dir) {
            recover(dir)?;
            return Ok(held);
        }
        if Instant::now() >= deadline {
            return Err(Error::input(
                dir.display(),
                "was replaced again and again while waiting for its lock; try again",
            ));
        }
    }
}

/// Whether the locked folder is still the one at `dir`.
fn same_file(held: &DirLock, dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (held._lock.metadata(), fs::metadata(dir)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (held, dir);
        true
    }
}

/// Take the lock of the folder now at `dir`, waiting until `deadline`.
fn lock_once(dir: &Path, deadline: Instant) -> Result<DirLock> {
    // The folder itself is locked (flock works on a directory's fd on
    // Linux and the BSDs): nothing is created in the user's key folder.
    let file =
        File::open(dir).map_err(|e| Error::io(dir, "cannot open the folder to lock it", e))?;
    #[cfg(unix)]
    let mut file = file;
    #[cfg(unix)]
    let lock = {
        use nix::errno::Errno;
        use nix::fcntl::{Flock, FlockArg};
        loop {
            match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
                Ok(l) => break l,
                Err((back, Errno::EWOULDBLOCK)) if Instant::now() < deadline => {
                    file = back;
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err((_, Errno::EWOULDBLOCK)) => {
                    return Err(Error::input(
                        dir.display(),
                        format!(
                            "another uvtool run is writing in this folder; waited {} s, try again when it has finished",
                            LOCK_WAIT.as_secs()
                        ),
                    ))
                }
                Err((_, e)) => return Err(Error::io(dir, "cannot lock", e.into())),
            }
        }
    };
    #[cfg(not(unix))]
    let _ = file;
    Ok(DirLock {
        dir: dir.to_path_buf(),
        #[cfg(unix)]
        _lock: lock,
    })
}

/// A journal entry is a relative path inside the folder, nothing else.
fn inside(dir: &Path, rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    p.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then(|| dir.join(p))
}

/// Finish a committed set left by a killed run, then remove abandoned
/// temporary files in `dir` and its direct subfolders. Runs under the lock.
fn recover(dir: &Path) -> Result<()> {
    let journal = dir.join(JOURNAL_NAME);
    match fs::read(&journal) {
        Ok(bytes) => {
            let pairs: Vec<(String, String)> = serde_json::from_slice(&bytes).map_err(|_| {
                Error::input(journal.display(), "is not a uvtool journal (remove it)")
            })?;
            for (tmp, target) in &pairs {
                let (Some(tmp), Some(target)) = (inside(dir, tmp), inside(dir, target)) else {
                    return Err(Error::input(
                        journal.display(),
                        "names a path outside its folder",
                    ));
                };
                if fs::symlink_metadata(&tmp).is_ok() {
                    fs::rename(&tmp, &target)
                        .map_err(|e| Error::io(&target, "cannot replace", e))?;
                }
            }
            sync_dirs(dir, pairs.iter().filter_map(|(_, t)| inside(dir, t)));
            fs::remove_file(&journal).map_err(|e| Error::io(&journal, "cannot remove", e))?;
            sync_dir(dir);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(&journal, "cannot read", e)),
    }
    remove_stale(dir);
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                remove_stale(&e.path());
            }
        }
    }
    Ok(())
}

/// The pid in a temporary file's name `.{base}.{pid}.{nonce:08x}.tmp`.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (rest, nonce) = rest.rsplit_once('.')?;
    if nonce.len() != 8 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let (_, pid) = rest.rsplit_once('.')?;
    pid.parse().ok()
}

/// Whether a process with this pid is alive (Linux: `/proc`); elsewhere
/// assumed alive, so only age removes a file.
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Remove uvtool's temporary files in `dir` whose writer is gone.
fn remove_stale(dir: &Path) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else {
            continue;
        };
        let Ok(meta) = e.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_AGE);
        if !alive(pid) || old {
            let _ = fs::remove_file(e.path());
        }
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn sync_dirs(dir: &Path, targets: impl Iterator<Item = PathBuf>) {
    let mut seen: Vec<PathBuf> = vec![dir.to_path_buf()];
    for t in targets {
        if let Some(p) = t.parent() {
            if !seen.iter().any(|s| s == p) {
                seen.push(p.to_path_buf());
            }
        }
    }
    for d in &seen {
        sync_dir(d);
    }
}

/// Move a staged set into place, all or nothing (module docs, "Sets of
/// files"): under `lock`, whose folder holds every target.
pub fn commit_set(lock: &DirLock, staged: Vec<Staged>) -> Result<()> {
    let dir = lock.dir();
    let rel = |p: &Path| -> Result<String> {
        p.strip_prefix(dir)
            .ok()
            .and_then(Path::to_str)
            .map(str::to_string)
            .ok_or_else(|| Error::input(p.display(), "is not inside the locked folder"))
    };
    let mut pairs = Vec::with_capacity(staged.len());
    for s in &staged {
        pairs.push((rel(&s.tmp)?, rel(&s.target)?));
    }
    let journal = dir.join(JOURNAL_NAME);
    let text = serde_json::to_vec(&pairs).unwrap_or_default();
    stage(
        &journal,
        &text,
        WriteOptions {
            force: true,
            private: false,
        },
    )?
    .commit()?;
    failpoint("after-journal");
    let targets: Vec<PathBuf> = staged.iter().map(|s| s.target.clone()).collect();
    let mut committed: Vec<PathBuf> = Vec::new();
    for s in staged {
        let force = s.force;
        let target = s.target.clone();
        if let Err(e) = s.commit() {
            // Not a kill but a refusal (a file appeared without force) or
            // an I/O error: undo what this run created, drop the journal.
            if !force {
                for p in &committed {
                    let _ = fs::remove_file(p);
                }
            }
            let _ = fs::remove_file(&journal);
            return Err(e);
        }
        committed.push(target);
    }
    sync_dirs(dir, targets.into_iter());
    fs::remove_file(&journal).map_err(|e| Error::io(&journal, "cannot remove", e))?;
    sync_dir(dir);
    Ok(())
}

/// How [`replace_tree`] replaced a tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replaced {
    /// Swapped whole: no reader ever sees a mix.
    Swapped,
    /// Committed as a set ([`commit_set`]), because of the reason given:
    /// the folder holds a file the tree does not (named), or the system
    /// cannot exchange two folders.
    AsSet(String),
}

/// One file of a tree: its path inside the tree, contents, and whether it
/// is private (0600).
pub type TreeFile = (PathBuf, Vec<u8>, bool);

/// Replace the tree at `dir` with `files` (paths relative to `dir`), all or
/// nothing (module docs, "Trees, swapped whole"): `dir` is created if
/// missing and locked ([`lock_dir`]); without `force` an existing file of
/// the tree is an error and nothing is written. When `dir` holds nothing
/// but files and folders of the new tree, the new tree is written beside
/// it and exchanged with it in one step; otherwise the files are committed
/// as a set, leaving the folder's other files alone.
pub fn replace_tree(dir: &Path, files: &[TreeFile], force: bool) -> Result<Replaced> {
    for (rel, _, _) in files {
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            return Err(Error::input(rel.display(), "is not a path inside the tree"));
        }
    }
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create the folder", e))?;
    let lock = lock_dir(dir)?;
    if !force {
        if let Some((rel, _, _)) = files.iter().find(|(rel, _, _)| dir.join(rel).exists()) {
            return Err(Error::Exists(dir.join(rel)));
        }
    }
    let why = match foreign_entry(dir, files) {
        Some(f) => Some(format!("{} is not a file of the tree", f.display())),
        None => swap_tree(dir, files)?,
    };
    let Some(why) = why else {
        return Ok(Replaced::Swapped);
    };
    for (rel, _, _) in files {
        let mut sub = PathBuf::new();
        for c in rel.parent().into_iter().flat_map(Path::components) {
            sub.push(c);
            let p = dir.join(&sub);
            if fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Error::input(
                    p.display(),
                    "is a symbolic link; a tree is written only inside its folder (remove the link or choose another folder)",
                ));
            }
        }
        if let Some(parent) = dir.join(rel).parent() {
            fs::create_dir_all(parent)
                .map_err(|e| Error::io(parent, "cannot create the folder", e))?;
        }
    }
    let mut staged = Vec::with_capacity(files.len());
    for (rel, data, private) in files {
        let opts = WriteOptions {
            force,
            private: *private,
        };
        staged.push(stage(&dir.join(rel), data, opts)?);
    }
    commit_set(&lock, staged)?;
    Ok(Replaced::AsSet(why))
}

/// The first entry under `dir` that is not a file or folder of the tree
/// (a symbolic link never is), if any.
fn foreign_entry(dir: &Path, files: &[TreeFile]) -> Option<PathBuf> {
    let mut folders: Vec<&Path> = Vec::new();
    for (rel, _, _) in files {
        let mut p = rel.parent();
        while let Some(f) = p.filter(|f| !f.as_os_str().is_empty()) {
            folders.push(f);
            p = f.parent();
        }
    }
    let mut todo = vec![PathBuf::new()];
    while let Some(sub) = todo.pop() {
        let Ok(rd) = fs::read_dir(dir.join(&sub)) else {
            return Some(sub);
        };
        for e in rd.flatten() {
            let rel = sub.join(e.file_name());
            match e.file_type() {
                Ok(t) if t.is_dir() && folders.contains(&rel.as_path()) => todo.push(rel),
                Ok(t) if t.is_file() && files.iter().any(|(f, _, _)| *f == rel) => {}
                _ => return Some(rel),
            }
        }
    }
    None
}

/// Write the tree beside `dir` and exchange the two (module docs). `None`
/// when done; `Some(why)` when the exchange cannot be done here, with
/// nothing changed.
fn swap_tree(dir: &Path, files: &[TreeFile]) -> Result<Option<String>> {
    let real = fs::canonicalize(dir).map_err(|e| Error::io(dir, "cannot read", e))?;
    let (Some(parent), Some(name)) = (real.parent(), real.file_name()) else {
        return Ok(Some("the root folder cannot be swapped".into()));
    };
    // The folder a process works in (this one or an ancestor) is not
    // swapped from under it.
    if std::env::current_dir()
        .ok()
        .and_then(|c| fs::canonicalize(c).ok())
        .is_some_and(|c| c.starts_with(&real))
    {
        return Ok(Some("it is the current folder or holds it".into()));
    }
    if !cfg!(all(target_os = "linux", target_env = "gnu")) {
        return Ok(Some("this system cannot exchange two folders".into()));
    }
    let base = name.to_string_lossy();
    remove_stale_trees(parent, &base);
    let tmp = create_temp_dir(parent, &base, &real)?;
    let built = write_tree(&tmp, files);
    if let Err(e) = built {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    failpoint("tree-written");
    match exchange(parent, &tmp, &real) {
        Ok(()) => {}
        Err(e)
            if e.raw_os_error()
                .is_some_and(|c| EXCHANGE_UNSUPPORTED.contains(&c)) =>
        {
            let _ = fs::remove_dir_all(&tmp);
            return Ok(Some(format!("the folders cannot be exchanged here ({e})")));
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            return Err(Error::io(&real, "cannot replace", e));
        }
    }
    sync_dir(parent);
    failpoint("after-swap");
    // The old tree, now at the temporary name.
    fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, "cannot remove the old tree", e))?;
    Ok(None)
}

/// Errors by which a file system says it cannot exchange two names:
/// EINVAL (flag unknown), ENOSYS, EOPNOTSUPP, EXDEV, EBUSY (a mount point).
const EXCHANGE_UNSUPPORTED: [i32; 5] = [22, 38, 95, 18, 16];

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(parent: &Path, a: &Path, b: &Path) -> std::io::Result<()> {
    use nix::fcntl::{renameat2, RenameFlags};
    let d = File::open(parent)?;
    let (Some(a), Some(b)) = (a.file_name(), b.file_name()) else {
        return Err(std::io::ErrorKind::InvalidInput.into());
    };
    renameat2(&d, a, &d, b, RenameFlags::RENAME_EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn exchange(_: &Path, _: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from_raw_os_error(38))
}

/// Write every file of the tree into the empty folder `root` and sync it
/// all: files, then each folder from the deepest up.
fn write_tree(root: &Path, files: &[TreeFile]) -> Result<()> {
    let mut folders: Vec<PathBuf> = vec![root.to_path_buf()];
    for (rel, data, private) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            if !folders.iter().any(|f| f == parent) {
                fs::create_dir_all(parent)
                    .map_err(|e| Error::io(parent, "cannot create the folder", e))?;
                folders.push(parent.to_path_buf());
            }
        }
        let mut oo = OpenOptions::new();
        oo.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            oo.mode(if *private { 0o600 } else { 0o644 });
        }
        let mut f = oo
            .open(&path)
            .map_err(|e| Error::io(&path, "cannot create", e))?;
        #[cfg(unix)]
        if *private {
            use std::os::unix::fs::PermissionsExt;
            let _ = f.set_permissions(fs::Permissions::from_mode(0o600));
        }
        f.write_all(data)
            .map_err(|e| Error::io(&path, "cannot write", e))?;
        f.sync_all()
            .map_err(|e| Error::io(&path, "cannot sync", e))?;
    }
    folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
    for f in &folders {
        sync_dir(f);
    }
    Ok(())
}

/// An empty folder beside `like`, named `.{base}.{pid}.{nonce}.tree`, with
/// `like`'s permissions.
fn create_temp_dir(parent: &Path, base: &str, like: &Path) -> Result<PathBuf> {
    let pid = std::process::id();
    for _ in 0..100 {
        let tmp = parent.join(format!(".{base}.{pid}.{:08x}.tree", nonce()));
        match fs::create_dir(&tmp) {
            Ok(()) => {
                if let Ok(m) = fs::metadata(like) {
                    let _ = fs::set_permissions(&tmp, m.permissions());
                }
                return Ok(tmp);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(Error::io(
                    parent,
                    "cannot create a folder in this folder",
                    e,
                ))
            }
        }
    }
    Err(Error::input(
        parent.display(),
        "cannot create a temporary folder",
    ))
}

/// Remove the trees of killed runs beside a folder named `base`:
/// `.{base}.{pid}.{nonce}.tree` folders whose pid is gone, or older than
/// [`STALE_AGE`].
fn remove_stale_trees(parent: &Path, base: &str) {
    let Ok(rd) = fs::read_dir(parent) else { return };
    for e in rd.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(|n| tree_pid(n, base)) else {
            continue;
        };
        // Never through a link: only a real folder is removed.
        let Ok(meta) = fs::symlink_metadata(e.path()) else {
            continue;
        };
        if !meta.is_dir() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_AGE);
        if !alive(pid) || old {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

/// The pid in a temporary tree's name `.{base}.{pid}.{nonce:08x}.tree`.
fn tree_pid(name: &str, base: &str) -> Option<u32> {
    let rest = name
        .strip_prefix('.')?
        .strip_prefix(base)?
        .strip_prefix('.')?
        .strip_suffix(".tree")?;
    let (pid, nonce) = rest.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if nonce.len() != 8 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) || !digits(pid) {
        return None;
    }
    pid.parse().ok()
}

fn nonce() -> u32 {
    let mut b = [0u8; 4];
    let _ = aws_lc_rs::rand::fill(&mut b);
    u32::from_le_bytes(b)
}

/// Tests only (debug builds): `UVTOOL_FAILPOINT=NAME` ends the process at
/// the point so named, as a kill there would.
fn failpoint(name: &str) {
    if cfg!(debug_assertions) && std::env::var("UVTOOL_FAILPOINT").is_ok_and(|v| v == name) {
        std::process::abort();
    }
}

/// The folder a file is written into; it must exist.
fn target_dir(path: &Path) -> Result<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match fs::metadata(&dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(Error::input(
                dir.display(),
                "is not a folder (the output folder must exist)",
            ))
        }
        Err(_) => {
            return Err(Error::input(
                dir.display(),
                "no such folder (create it first, e.g. mkdir -p)",
            ))
        }
    }
    Ok(dir)
}

/// A target that is a folder is an error; an existing file is one unless `force`.
fn check_target(path: &Path, force: bool) -> Result<()> {
    if let Ok(m) = fs::symlink_metadata(path) {
        if m.is_dir() {
            return Err(Error::input(path.display(), "is a directory"));
        }
        if !force {
            return Err(Error::Exists(path.to_path_buf()));
        }
    }
    Ok(())
}

fn create_temp(dir: &Path, target: &Path, private: bool) -> Result<(PathBuf, File)> {
    let base = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let pid = std::process::id();
    for attempt in 0..100u32 {
        let nonce = nonce();
        let tmp = dir.join(format!(".{base}.{pid}.{nonce:08x}.tmp"));
        let mut oo = OpenOptions::new();
        oo.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            oo.mode(if private { 0o600 } else { 0o644 });
        }
        match oo.open(&tmp) {
            Ok(f) => {
                #[cfg(unix)]
                if private {
                    // The umask can only remove bits; make sure nothing else is set.
                    use std::os::unix::fs::PermissionsExt;
                    let _ = f.set_permissions(fs::Permissions::from_mode(0o600));
                }
                return Ok((tmp, f));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 99 => continue,
            Err(e) => {
                let what = if e.kind() == std::io::ErrorKind::PermissionDenied {
                    "cannot write in this folder"
                } else {
                    "cannot create a file in this folder"
                };
                return Err(Error::io(dir, what, e));
            }
        }
    }
    Err(Error::input(
        dir.display(),
        "cannot create a temporary file",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_size_cap_is_exact() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("big");
        let f = File::create(&p).unwrap();
        // Sparse: no disk blocks, but read as zeros.
        f.set_len(MAX_INPUT).unwrap();
        let name = p.to_str().unwrap();
        assert_eq!(read_input(name).unwrap().len() as u64, MAX_INPUT);
        f.set_len(MAX_INPUT + 1).unwrap();
        let e = read_input(name).unwrap_err().to_string();
        assert_eq!(e, format!("{name}: is larger than 64 MiB"));
        f.set_len(0).unwrap();
        assert_eq!(
            read_input(name).unwrap_err().to_string(),
            format!("{name}: is empty")
        );
        let dir = d.path().to_str().unwrap();
        assert_eq!(
            read_input(dir).unwrap_err().to_string(),
            format!("{dir}: is a directory, expected a file")
        );
        fs::write(&p, b"\xff").unwrap();
        assert_eq!(
            read_text(name).unwrap_err().to_string(),
            format!("{name}: is not UTF-8 text")
        );
    }

    #[test]
    fn no_clobber_and_force() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.txt");
        write_file(&p, b"one", WriteOptions::default()).unwrap();
        let e = write_file(&p, b"two", WriteOptions::default()).unwrap_err();
        assert!(matches!(e, Error::Exists(_)));
        assert_eq!(fs::read(&p).unwrap(), b"one");
        write_file(
            &p,
            b"two",
            WriteOptions {
                force: true,
                private: false,
            },
        )
        .unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        // No temporary file is left behind.
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn private_mode() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("k.pem");
        write_file(
            &p,
            b"secret",
            WriteOptions {
                force: false,
                private: true,
            },
        )
        .unwrap();
        let mode = fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn staged_files_vanish_unless_committed() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a.txt");
        let s = stage(&p, b"one", WriteOptions::default()).unwrap();
        assert!(!p.exists(), "not in place before commit");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1, "the temp file");
        drop(s);
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 0, "temp removed");
        // A target that appears between stage and commit is not clobbered.
        let s = stage(&p, b"new", WriteOptions::default()).unwrap();
        fs::write(&p, b"raced").unwrap();
        assert!(matches!(s.commit().unwrap_err(), Error::Exists(_)));
        assert_eq!(fs::read(&p).unwrap(), b"raced");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1, "no temp left");
        // With force the commit replaces it.
        let opts = WriteOptions {
            force: true,
            private: false,
        };
        stage(&p, b"new", opts).unwrap().commit().unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
    }

    fn tree(seed: &str) -> Vec<TreeFile> {
        vec![
            ("a.txt".into(), format!("a {seed}").into_bytes(), false),
            ("k.pem".into(), format!("k {seed}").into_bytes(), true),
            ("sub/b.txt".into(), format!("b {seed}").into_bytes(), false),
        ]
    }

    fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut todo = vec![dir.to_path_buf()];
        while let Some(d) = todo.pop() {
            for e in fs::read_dir(&d).unwrap().flatten() {
                if e.file_type().unwrap().is_dir() {
                    todo.push(e.path());
                } else {
                    let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
                    out.push((rel, fs::read(e.path()).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn a_tree_of_ours_is_swapped_whole() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("fx");
        assert_eq!(
            replace_tree(&dir, &tree("old"), false).unwrap(),
            Replaced::Swapped
        );
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o750)).unwrap();
        let before = fs::metadata(&dir).unwrap();
        // Without force an existing file is an error, and nothing changes.
        let e = replace_tree(&dir, &tree("new"), false).unwrap_err();
        assert!(matches!(e, Error::Exists(_)), "{e}");
        // A dead writer's tree beside it (pid 2147483646) is removed; a
        // live one's is left alone.
        let dead = d.path().join(".fx.2147483646.0badf00d.tree");
        let live = d
            .path()
            .join(format!(".fx.{}.0badf00d.tree", std::process::id()));
        for t in [&dead, &live] {
            fs::create_dir_all(t.join("tokens")).unwrap();
            fs::write(t.join("tokens/x"), b"old secret").unwrap();
        }
        assert_eq!(
            replace_tree(&dir, &tree("new"), true).unwrap(),
            Replaced::Swapped
        );
        let got = read_tree(&dir);
        let want: Vec<(String, Vec<u8>)> = tree("new")
            .into_iter()
            .map(|(p, c, _)| (p.display().to_string(), c))
            .collect();
        assert_eq!(got, want);
        let after = fs::metadata(&dir).unwrap();
        assert_ne!(
            std::os::unix::fs::MetadataExt::ino(&after),
            std::os::unix::fs::MetadataExt::ino(&before),
            "another folder"
        );
        assert_eq!(after.permissions().mode() & 0o777, 0o750);
        let key = fs::metadata(dir.join("k.pem")).unwrap();
        assert_eq!(key.permissions().mode() & 0o777, 0o600);
        assert!(!dead.exists());
        assert!(live.exists());
        fs::remove_dir_all(&live).unwrap();
        // Only the folder and nothing of ours beside it.
        let names: Vec<_> = fs::read_dir(d.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["fx"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_with_other_files_is_committed_as_a_set() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("fx");
        replace_tree(&dir, &tree("old"), false).unwrap();
        fs::write(dir.join("README"), b"mine").unwrap();
        let r = replace_tree(&dir, &tree("new"), true).unwrap();
        assert_eq!(
            r,
            Replaced::AsSet("README is not a file of the tree".into())
        );
        assert_eq!(fs::read(dir.join("README")).unwrap(), b"mine");
        assert_eq!(fs::read(dir.join("sub/b.txt")).unwrap(), b"b new");
        // A symbolic link where a folder of the tree goes is refused.
        fs::remove_dir_all(dir.join("sub")).unwrap();
        std::os::unix::fs::symlink(d.path(), dir.join("sub")).unwrap();
        let e = replace_tree(&dir, &tree("new"), true)
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("sub: is a symbolic link; a tree is written only inside its folder (remove the link or choose another folder)"), "{e}");
        // A path out of the tree is refused.
        let bad = vec![(PathBuf::from("../x"), Vec::new(), false)];
        let e = replace_tree(&dir, &bad, true).unwrap_err().to_string();
        assert_eq!(e, "../x: is not a path inside the tree");
    }

    /// A writer waiting for the lock of a folder that is swapped meanwhile
    /// locks the folder now at that path, not the one swapped out.
    #[cfg(unix)]
    #[test]
    fn a_lock_follows_a_swapped_folder() {
        use std::os::unix::fs::MetadataExt;
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("fx");
        fs::create_dir(&dir).unwrap();
        let held = lock_dir(&dir).unwrap();
        let waiter = {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let l = lock_dir(&dir).unwrap();
                l._lock.metadata().unwrap().ino()
            })
        };
        std::thread::sleep(Duration::from_millis(100));
        fs::rename(&dir, d.path().join("old")).unwrap();
        fs::create_dir(&dir).unwrap();
        drop(held);
        let locked = waiter.join().unwrap();
        assert_eq!(locked, fs::metadata(&dir).unwrap().ino());
    }

    #[test]
    fn tree_names() {
        assert_eq!(tree_pid(".fx.123.0badf00d.tree", "fx"), Some(123));
        assert_eq!(tree_pid(".fx.1.123.0badf00d.tree", "fx"), None);
        assert_eq!(tree_pid(".fx.1.123.0badf00d.tree", "fx.1"), Some(123));
        assert_eq!(tree_pid(".fx.x.0badf00d.tree", "fx"), None);
        assert_eq!(tree_pid(".fx.12.0badf00.tree", "fx"), None);
        assert_eq!(tree_pid("fx.12.0badf00d.tree", "fx"), None);
    }

    #[test]
    fn missing_folder() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("nope").join("a.txt");
        let e = write_file(&p, b"x", WriteOptions::default()).unwrap_err();
        assert!(e.to_string().contains("no such folder"), "{e}");
    }

    #[test]
    fn read_errors() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().to_str().unwrap();
        assert!(read_input(dir)
            .unwrap_err()
            .to_string()
            .contains("is a directory"));
        let missing = d.path().join("missing");
        assert!(read_input(missing.to_str().unwrap())
            .unwrap_err()
            .to_string()
            .contains("no such file"));
        let empty = d.path().join("empty");
        fs::write(&empty, b"").unwrap();
        assert!(read_input(empty.to_str().unwrap())
            .unwrap_err()
            .to_string()
            .contains("is empty"));
    }
}
