//! Input and output: `-` for stdin, and safe file writing (no clobber without
//! `force`, temporary file + fsync + rename, private files created 0600).
//!
//! # Caps
//!
//! Every input has a cap, named in the error that refuses it: [`MAX_INPUT`]
//! for a file or stdin, [`crate::serve::MAX_JWKS`] for the set `serve`
//! follows, [`crate::read::MAX_TOKEN_TEXT`] for a line of a batch (`read::Lines`),
//! [`crate::jwk::MAX_KEYS`] for the keys of a set.
//!
//! # Sets of files, all or nothing
//!
//! A set (keygen's five files, the fixtures tree, a JWKS edited in place)
//! is replaced under the folder's lock ([`lock_dir`], an `flock` on the
//! folder itself, so no lock file is left behind): concurrent writers wait their turn
//! (up to [`LOCK_WAIT`], then the later one fails saying why), so two
//! `jwks --add` never lose a key and two `keygen --force` never mix.
//! [`commit_set`] then moves the staged files into place:
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
//! between the commit point and the last rename (microseconds) a reader
//! that does not take the lock can see both; the lock taker never does.
//! It then removes temporary files it can prove abandoned: named with the
//! pid of a process no longer alive, or older than [`STALE_AGE`].

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

/// Read a whole input: a file path, or `-` for standard input.
/// Missing files, folders, empty and oversized inputs are errors naming the path.
/// A leading UTF-8 byte-order mark is dropped, so every reader (PEM, JSON,
/// tokens, text) accepts a file saved by Windows Notepad.
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
    if buf.starts_with(BOM) {
        buf.drain(..BOM.len());
        if buf.is_empty() {
            return Err(Error::input(display_name(path), "is empty"));
        }
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
        let deadline = Instant::now() + LOCK_WAIT;
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
    let held = DirLock {
        dir: dir.to_path_buf(),
        #[cfg(unix)]
        _lock: lock,
    };
    recover(dir)?;
    Ok(held)
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
        let nonce = {
            let mut b = [0u8; 4];
            let _ = aws_lc_rs::rand::fill(&mut b);
            u32::from_le_bytes(b)
        };
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
