//! Write stage: the site is written into a fresh temporary folder beside the
//! output folder, and swapped in only when everything succeeded, so that a
//! failed build leaves the previous output exactly as it was.

use crate::diagnostics::{rel_string, Diagnostic};
use crate::fence::real;
use anyhow::{Context, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The file that marks a folder as written by fiches: only such a folder
/// (or an empty one) is ever replaced by a build.
pub const MARKER: &str = ".fiches-output";

const MARKER_TEXT: &str =
    "Ce dossier est écrit par fiches (`fiches build`) : il est entièrement remplacé à chaque construction.\n\
This folder is written by fiches: every build replaces it entirely.\n";

/// Marks `dir` as a fiches output (`write_all` does it for `build` and `serve`).
pub fn mark(dir: &Path) -> Result<()> {
    write(dir, MARKER, MARKER_TEXT.as_bytes())
}

pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

fn out_name(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into())
}

fn parent_of(target: &Path) -> &Path {
    target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// What the build under way is writing beside its targets, for
/// `abandon`: the staging folder beside the output, so usually in the
/// site's folder, where a build stopped by Ctrl-C left a hidden copy of the
/// site (tens of MiB) that no `.gitignore` names until the next build; and
/// the `--zip` archive's temporary file beside the archive. Each held as
/// its folder, name prefix (with the process id) and whether it is a
/// folder, set before it is made: a Ctrl-C right after it appears finds
/// it. Held locked by `commit` while it swaps, so that Ctrl-C never lands
/// between its renames.
static UNDER_WAY: std::sync::Mutex<Vec<(PathBuf, String, bool)>> = std::sync::Mutex::new(Vec::new());

/// Names what `abandon` removes: entries of `parent` starting with `prefix`
/// (folders when `dir`, else files).
pub fn hold(parent: &Path, prefix: &str, dir: bool) {
    UNDER_WAY
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((parent.to_path_buf(), prefix.to_string(), dir));
}

/// Set by `abandon`, before it removes anything.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether Ctrl-C is being handled: an error the main thread meets now
/// (the archive's files removed under it) is the interruption's, and the
/// handler's exit (130, its message) is the one to keep, not a build
/// failure (exit 1) that won the race (seen in CI).
pub fn interrupted() -> bool {
    INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst)
}

/// Ctrl-C (or SIGTERM) during `fiches build`: removes the staging folder
/// and the archive's temporary file; the previous output and archive were
/// never touched. Waits for a swap under way.
pub fn abandon() {
    INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
    let under_way = std::mem::take(&mut *UNDER_WAY.lock().unwrap_or_else(|e| e.into_inner()));
    for (parent, prefix, is_dir) in under_way {
        let Ok(entries) = std::fs::read_dir(&parent) else {
            continue;
        };
        for e in entries.flatten() {
            if !e.file_name().to_string_lossy().starts_with(&prefix) {
                continue;
            }
            let path = e.path();
            // The pool's threads may still be writing into it: try again
            // until it is gone (they stop with the process, right after; a
            // loaded machine may need seconds). Not `remove_tree`: its jobs
            // would queue behind the build's in the pool.
            for _ in 0..200 {
                let gone = match is_dir {
                    true => std::fs::remove_dir_all(&path),
                    false => std::fs::remove_file(&path),
                };
                if gone.is_ok() || !path.exists() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = parent_of(target);
        std::fs::create_dir_all(parent)
            .with_context(|| format!("impossible de créer le dossier {}", parent.display()))?;
        let name = out_name(target);
        remove_leftovers(parent, &format!(".{name}.fiches-"), true);
        // The process id in the name tells a later build whether this
        // folder is a leftover of a killed build or the work of a live one.
        let prefix = format!(".{name}.fiches-{}-", std::process::id());
        hold(parent, &prefix, true);
        let dir = tempfile::Builder::new()
            .prefix(&prefix)
            .tempdir_in(parent)
            .with_context(|| format!("impossible de créer un dossier temporaire dans {}", parent.display()))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Replaces the target with the staged tree. The old tree is moved aside
    /// first, so that readers see either the old site or the new one. Then
    /// `then` (the archive put in place) before Ctrl-C can act: the output
    /// and the archive are replaced together.
    pub fn commit_then(self, then: impl FnOnce() -> Result<()>) -> Result<()> {
        let mut under_way = UNDER_WAY.lock().unwrap_or_else(|e| e.into_inner());
        under_way.clear();
        let staged = self.dir.keep();
        let old = self
            .target
            .with_file_name(format!(".{}.fiches-old-{}", out_name(&self.target), std::process::id()));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old)
                .with_context(|| format!("impossible de remplacer {}", self.target.display()))?;
        }
        if let Err(e) = std::fs::rename(&staged, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e).with_context(|| format!("impossible d'écrire {}", self.target.display()));
        }
        let done = then();
        drop(under_way);
        if had_old {
            remove_old(&old);
        }
        done
    }
}

/// Set by the `fiches` executable: the replaced output is deleted by a
/// detached `fiches` process (`remove_old_tree`), so that a rebuild returns
/// as soon as the new tree is in place. Left unset (a library, the tests),
/// the removal stays in the calling process.
static REMOVE_IN_BACKGROUND: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The hidden argument of `fiches` that deletes a replaced output
/// (`fiches __remove-old <folder>`).
pub const REMOVE_OLD_ARG: &str = "__remove-old";

pub fn remove_in_background(on: bool) {
    REMOVE_IN_BACKGROUND.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Deletes `dir`, a folder fiches wrote (`check`'s temporary output,
/// `.<name>.fiches-<pid>-XXXXXX`), as a replaced output is: renamed
/// `.<name>.fiches-old-<pid>` beside itself, then removed by a detached
/// process when allowed. Either name is a leftover `remove_leftovers`
/// knows, if it is killed.
pub fn discard(dir: &Path, name: &str) {
    let old = dir.with_file_name(format!(".{name}.fiches-old-{}", std::process::id()));
    match std::fs::rename(dir, &old) {
        Ok(()) => remove_old(&old),
        Err(_) => {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Deletes the replaced output `old`, by a detached process when allowed:
/// at 10,000 sheets its removal was 2–4 s of a rebuild's wall time.
fn remove_old(old: &Path) {
    if REMOVE_IN_BACKGROUND.load(std::sync::atomic::Ordering::Relaxed) {
        let spawned = std::env::current_exe().and_then(|exe| {
            std::process::Command::new(exe)
                .arg(REMOVE_OLD_ARG)
                .arg(old)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
        });
        // Not waited for: it outlives this process. Killed midway, what it
        // leaves is a leftover that the next build removes.
        if spawned.is_ok() {
            return;
        }
    }
    remove_old_tree(old);
}

/// Deletes `old`, a replaced output moved aside by `Staging::commit`
/// (`.<name>.fiches-old-<pid>`): nothing else, never through a link.
pub fn remove_old_tree(old: &Path) -> bool {
    let named = old
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .is_some_and(|n| n.starts_with('.') && n.contains(".fiches-old-"));
    let is_dir = std::fs::symlink_metadata(old).is_ok_and(|m| m.is_dir());
    if !named || !is_dir {
        return false;
    }
    if remove_tree(old).is_err() {
        let _ = std::fs::remove_dir_all(old);
    }
    !old.exists()
}

/// Deletes a tree that fiches wrote, on every core: its removal is what a
/// rebuild pays on top of a build into an empty folder. Links are removed,
/// never followed.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    // The entries two levels down, so that a big folder (`fiches/`,
    // `search/`) is split across cores.
    let mut jobs = Vec::new();
    let mut dirs = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            for c in std::fs::read_dir(e.path())? {
                jobs.push(c?.path());
            }
            dirs.push(e.path());
        } else {
            jobs.push(e.path());
        }
    }
    jobs.par_iter().try_for_each(|p| {
        if std::fs::symlink_metadata(p)?.file_type().is_dir() {
            std::fs::remove_dir_all(p)
        } else {
            std::fs::remove_file(p)
        }
    })?;
    for d in dirs {
        std::fs::remove_dir(d)?;
    }
    std::fs::remove_dir(dir)
}

/// Whether process `pid` may still be running (then its work is not a leftover).
fn alive(pid: u32, modified: Option<std::time::SystemTime>) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        return Path::new("/proc").join(pid.to_string()).exists();
    }
    // Elsewhere, without a cheap check: a day-old folder is a leftover.
    modified
        .and_then(|m| m.elapsed().ok())
        .is_none_or(|age| age < std::time::Duration::from_secs(24 * 3600))
}

/// Removes from `parent` what a killed build left: entries named
/// `<prefix><pid>-XXXXXX` (or `<prefix>old-<pid>`) whose process is gone,
/// and `<prefix>XXXXXX` of versions before the process id was in the name.
/// Folders when `dirs`, else files; nothing else, and never through a link.
pub fn remove_leftovers(parent: &Path, prefix: &str, dirs: bool) -> usize {
    let Ok(rd) = std::fs::read_dir(parent) else {
        return 0;
    };
    let random = |s: &str| s.len() == 6 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    let digits = |s: &str| !s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit());
    let mut n = 0;
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        let pid = if let Some(p) = rest.strip_prefix("old-").filter(|p| dirs && digits(p)) {
            p.parse::<u32>().ok()
        } else if let Some((p, r)) = rest.split_once('-').filter(|(p, r)| digits(p) && random(r)) {
            let _ = r;
            p.parse::<u32>().ok()
        } else if random(rest) {
            None
        } else {
            continue;
        };
        let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
            continue;
        };
        if (dirs && !meta.is_dir()) || (!dirs && !meta.is_file()) {
            continue;
        }
        if pid.is_some_and(|p| alive(p, meta.modified().ok())) {
            continue;
        }
        let gone = if dirs {
            std::fs::remove_dir_all(e.path())
        } else {
            std::fs::remove_file(e.path())
        };
        if gone.is_ok() {
            n += 1;
        }
    }
    n
}

/// Where the output folder comes from, for the message.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Given {
    /// `--output`.
    Option,
    /// `[build] output-dir`, at this line of book.toml.
    Config(Option<usize>),
}

fn refuse(given: Given, code: &'static str, message: String, hint: &str) -> Diagnostic {
    let file = match given {
        Given::Option => "",
        Given::Config(_) => crate::config::CONFIG_FILE,
    };
    let d = Diagnostic::error(code, file, message).hint(hint);
    match given {
        Given::Config(Some(l)) => d.at(l, None),
        _ => d,
    }
}

/// The folders a build must never delete or write into: the site's sources
/// and the pools, each with how users name it.
fn protected(root: &Path, pools: &[PathBuf]) -> (PathBuf, Vec<(PathBuf, String)>) {
    let root_r = real(root);
    let mut inside = Vec::new();
    for sub in ["content", "static", "themes", ".git"] {
        inside.push((root_r.join(sub), format!("`{sub}/`")));
    }
    for p in pools {
        inside.push((real(&root.join(p)), format!("le dossier mutualisé `{}`", rel_string(p))));
    }
    (root_r, inside)
}

/// A folder that an earlier fiches wrote before outputs carried the
/// marker: its search index layout is fiches' own.
fn legacy_output(dir: &Path) -> bool {
    [
        "search/t",
        "search/v",
        "search/d",
        "search/x",
        "assets/highlight.css",
        "sitemap.xml",
    ]
    .iter()
    .all(|p| dir.join(p).exists())
}

/// Refuses, before anything is written, an output folder whose
/// replacement would delete what fiches did not write: the site or one of
/// its ancestors, a folder of its sources or a pool, a file, or a folder
/// that is neither empty nor marked as a fiches output.
pub fn check_output(root: &Path, out: &Path, pools: &[PathBuf], given: Given) -> Result<(), Diagnostic> {
    check_output_place(root, out, pools, given)?;
    check_output_folder(out, given)
}

const FIX: &str = "choisissez un dossier réservé à la sortie, par exemple `public` dans le site (`fiches build -o public` ou `output-dir = \"public\"` dans book.toml)";

/// The rules that hold wherever the build runs (`check` applies them to
/// `output-dir`): never the site, an ancestor, its sources or a pool.
pub fn check_output_place(root: &Path, out: &Path, pools: &[PathBuf], given: Given) -> Result<(), Diagnostic> {
    let shown = out.display().to_string();
    let out_r = real(out);
    let (root_r, inside) = protected(root, pools);
    let fix = FIX;
    if out_r == root_r {
        return Err(refuse(
            given,
            "output-refused",
            format!("le dossier de sortie `{shown}` est le dossier du site : la construction remplacerait book.toml et content/"),
            fix,
        ));
    }
    if root_r.starts_with(&out_r) {
        return Err(refuse(
            given,
            "output-refused",
            format!(
                "le dossier de sortie `{shown}` contient le site (`{}`) : la construction l'effacerait",
                root_r.display()
            ),
            fix,
        ));
    }
    for (dir, name) in &inside {
        if out_r.starts_with(dir) {
            return Err(refuse(
                given,
                "output-refused",
                format!(
                    "le dossier de sortie `{shown}` est dans {name} : la construction effacerait des fichiers sources"
                ),
                fix,
            ));
        }
        if dir.starts_with(&out_r) {
            return Err(refuse(
                given,
                "output-refused",
                format!("le dossier de sortie `{shown}` contient {name} : la construction l'effacerait"),
                fix,
            ));
        }
    }
    Ok(())
}

/// What is there now: nothing, an empty folder or a fiches output.
fn check_output_folder(out: &Path, given: Given) -> Result<(), Diagnostic> {
    let shown = out.display().to_string();
    let out_r = real(out);
    let fix = FIX;
    let meta = match std::fs::symlink_metadata(out) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(refuse(
                given,
                "output-refused",
                format!("le dossier de sortie `{shown}` est illisible : {e}"),
                fix,
            ))
        }
    };
    if meta.file_type().is_symlink() {
        return Err(refuse(
            given,
            "output-refused",
            format!("le dossier de sortie `{shown}` est un lien symbolique : la construction remplacerait le lien par un dossier"),
            &format!("indiquez le dossier réel : `{}`", out_r.display()),
        ));
    }
    if !meta.is_dir() {
        return Err(refuse(
            given,
            "output-refused",
            format!("`{shown}` existe et n'est pas un dossier : la construction le remplacerait"),
            fix,
        ));
    }
    let empty = std::fs::read_dir(out).map(|mut r| r.next().is_none()).unwrap_or(false);
    if empty || out.join(MARKER).is_file() || legacy_output(out) {
        return Ok(());
    }
    Err(refuse(
        given,
        "output-refused",
        format!(
            "le dossier de sortie `{shown}` n'est pas vide et n'a pas été écrit par fiches (il n'a pas de fichier `{MARKER}`) : la construction effacerait son contenu"
        ),
        "fiches ne remplace qu'un dossier vide ou écrit par lui-même : choisissez un autre dossier (ou un dossier qui n'existe pas encore), ou videz celui-ci vous-même si son contenu peut disparaître",
    ))
}

/// The same for the `--zip` archive: never inside the sources or a pool,
/// never over a folder or over a file that is not a zip archive.
pub fn check_zip(root: &Path, zip: &Path, pools: &[PathBuf]) -> Result<(), Diagnostic> {
    let shown = zip.display().to_string();
    let zip_r = real(zip);
    let (root_r, inside) = protected(root, pools);
    let fix = "écrivez l'archive hors des sources du site, par exemple `--zip site.zip` ou `--zip ../site.zip`";
    for (dir, name) in &inside {
        if zip_r.starts_with(dir) || dir.starts_with(&zip_r) {
            return Err(refuse(
                Given::Option,
                "zip-refused",
                format!("l'archive `{shown}` serait écrite dans {name}, parmi les fichiers sources"),
                fix,
            ));
        }
    }
    if root_r.starts_with(&zip_r) {
        return Err(refuse(
            Given::Option,
            "zip-refused",
            format!("l'archive `{shown}` remplacerait le dossier du site"),
            fix,
        ));
    }
    let Ok(meta) = std::fs::symlink_metadata(zip) else {
        return Ok(());
    };
    let is_zip = || {
        use std::io::Read;
        let mut head = [0u8; 4];
        std::fs::File::open(zip)
            .and_then(|mut f| f.read(&mut head))
            .is_ok_and(|n| n == 0 || (n == 4 && (head == *b"PK\x03\x04" || head == *b"PK\x05\x06")))
    };
    if !meta.is_file() || !is_zip() {
        return Err(refuse(
            Given::Option,
            "zip-refused",
            format!("`{shown}` existe et n'est pas une archive zip : elle serait remplacée"),
            fix,
        ));
    }
    Ok(())
}

/// Makes folder `dir` and those between it and `root`, but never `root`
/// itself: once Ctrl-C removed a staging folder (`abandon`), a thread still
/// writing into it fails, where `create_dir_all` made it again, and it was
/// left behind (seen in CI).
fn make_dirs(root: &Path, dir: &Path) -> std::io::Result<()> {
    use std::io::ErrorKind::{AlreadyExists, NotFound};
    if dir == root || !dir.starts_with(root) {
        return match root.is_dir() {
            true => Ok(()),
            false => Err(std::io::Error::new(
                NotFound,
                format!("{} n'existe plus", root.display()),
            )),
        };
    }
    let made = |d: &Path| match std::fs::create_dir(d) {
        Err(e) if e.kind() == AlreadyExists && d.is_dir() => Ok(()),
        r => r,
    };
    match made(dir) {
        Err(e) if e.kind() == NotFound => {
            make_dirs(root, dir.parent().unwrap_or(root))?;
            made(dir)
        }
        r => r,
    }
}

/// Writes `bytes` at `rel` under `root`, creating folders.
pub fn write(root: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = root.join(rel);
    if let Some(p) = path.parent() {
        make_dirs(root, p).with_context(|| format!("impossible de créer {}", p.display()))?;
    }
    write_new(&path, bytes).with_context(|| format!("impossible d'écrire {}", path.display()))
}

/// Writes `bytes` into a new file at `path`, never into the file already
/// there: a staging tree holds hard links to the output it replaces (`put`),
/// which must stay intact until the swap.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let open = || std::fs::OpenOptions::new().write(true).create_new(true).open(path);
    let mut f = match open() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path)?;
            open()?
        }
        r => r?,
    };
    f.write_all(bytes)?;
    record(path, bytes);
    Ok(())
}

/// SHA-256 and length of a file's bytes.
pub type Digest = ([u8; 32], u64);

/// Every file written under a folder since [`record_hashes`], by path
/// relative to it, with its hash and length: `offline` (the cache version
/// and the precache list) takes them instead of walking the output and
/// reading it back (85,000 files at 50,000 sheets; the walk and its `stat`
/// calls over big folders grew faster than the files). Every way a build
/// writes a file records it: `write_new` (and so `write` and `put`),
/// `put`'s links, `record_file` (the static files copied, the feeds written
/// through a rename).
static RECORDED: std::sync::Mutex<Option<(PathBuf, HashMap<String, Digest>)>> = std::sync::Mutex::new(None);
/// Whether anything is recorded: most writes (serve's) skip the lock.
static RECORDING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Starts recording every file written under `root`, a new empty folder:
/// the record is then the whole tree.
pub fn record_hashes(root: &Path) {
    let mut r = RECORDED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    *r = Some((root.to_path_buf(), HashMap::new()));
    RECORDING.store(true, std::sync::atomic::Ordering::Release);
}

/// Stops recording; the files written under `root` since
/// [`record_hashes`], sorted by relative path (its bytes), or `None` if
/// nothing recorded `root`.
pub fn take_hashes(root: &Path) -> Option<Vec<(String, Digest)>> {
    let mut r = RECORDED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    RECORDING.store(false, std::sync::atomic::Ordering::Release);
    match r.take() {
        Some((at, files)) if at == root => {
            drop(r);
            let mut files: Vec<(String, Digest)> = files.into_iter().collect();
            files.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            Some(files)
        }
        _ => None,
    }
}

/// Whether files written now are recorded.
pub fn recording() -> bool {
    RECORDING.load(std::sync::atomic::Ordering::Acquire)
}

/// Records `path`, just written with `bytes` by other means than
/// `write_new` (a rename into place).
pub fn record_file(path: &Path, bytes: &[u8]) {
    record(path, bytes);
}

fn record(path: &Path, bytes: &[u8]) {
    use sha2::Digest as _;
    if !recording() {
        return;
    }
    // Hashed here, on the thread that wrote the file, outside the lock.
    let d: [u8; 32] = sha2::Sha256::digest(bytes).into();
    let mut r = RECORDED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((root, files)) = r.as_mut() {
        if let Ok(rel) = path.strip_prefix(root.as_path()) {
            files.insert(rel_string(rel), (d, bytes.len() as u64));
        }
    }
}

/// Writes `bytes` at `rel` under `out`, a staging tree: as a hard link to
/// the file at `rel` in `previous` (the output being replaced) when it holds
/// the same bytes, else as a new file. A link writes no data now and frees
/// none when the old tree is deleted: a rebuild over the last output costs
/// no more than a build into an empty folder.
pub fn put(out: &Path, rel: &str, bytes: &[u8], previous: Option<&Path>) -> std::io::Result<()> {
    let path = out.join(rel);
    // The folder is made only when the file cannot be created for want of
    // it: most files go into a folder made for an earlier one, and
    // `create_dir_all` first was two more system calls per file (a `mkdir`
    // that fails, a `stat`).
    let made_parent = || match path.parent() {
        Some(p) => make_dirs(out, p),
        None => Ok(()),
    };
    if let Some(old) = previous.map(|p| p.join(rel)) {
        if same_bytes(&old, bytes) {
            match std::fs::hard_link(&old, &path) {
                Ok(()) => {
                    record(&path, bytes);
                    return Ok(());
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    made_parent()?;
                    if std::fs::hard_link(&old, &path).is_ok() {
                        record(&path, bytes);
                        return Ok(());
                    }
                }
                Err(_) => {}
            }
        }
    }
    match write_new(&path, bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            made_parent()?;
            write_new(&path, bytes)
        }
        r => r,
    }
}

/// Whether `path` is a plain file (not a link) holding exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let plain = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    if !plain {
        return false;
    }
    let mut buf = Vec::with_capacity(bytes.len());
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut buf))
        .is_ok_and(|n| n == bytes.len() && buf == bytes)
}

/// The output a build into `target` may take unchanged files from: the
/// folder there when fiches wrote it (marked), else none.
pub fn previous(target: &Path) -> Option<PathBuf> {
    let meta = std::fs::symlink_metadata(target).ok()?;
    (meta.is_dir() && target.join(MARKER).is_file()).then(|| target.to_path_buf())
}

/// Copies the files of `from` into `to`, keeping the tree. Hidden files
/// are left out; a link that leads out of `fence` is an error, never copied.
/// Files (paths under `from`) that `skip` names are left out.
pub fn copy_tree(from: &Path, fence: &crate::fence::Fence, to: &Path, skip: &dyn Fn(&Path) -> bool) -> Result<usize> {
    let mut problems = Vec::new();
    let shown = |p: &Path| crate::diagnostics::rel_string(p);
    let files = crate::fence::walk(from, fence, &shown, &mut problems);
    if let Some(p) = problems.into_iter().next() {
        anyhow::bail!("{}", p.message);
    }
    let mut n = 0;
    for e in files.into_iter().filter(|e| e.is_file) {
        let rel = e.path.strip_prefix(from).unwrap_or(&e.path);
        if skip(rel) {
            continue;
        }
        let dest = to.join(rel);
        if let Some(p) = dest.parent() {
            make_dirs(to, p)?;
        }
        std::fs::copy(&e.path, &dest).with_context(|| format!("copie impossible de {}", e.path.display()))?;
        if recording() {
            let bytes = std::fs::read(&dest).with_context(|| format!("lecture impossible de {}", dest.display()))?;
            record(&dest, &bytes);
        }
        n += 1;
    }
    Ok(n)
}
