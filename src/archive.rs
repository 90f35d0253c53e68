//! `fiches build --zip FILE`: the output folder as one zip, for schools
//! that publish by uploading an archive (an ENT's file space, a host's web
//! panel) rather than from git.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;

/// An archive written beside its place, not yet there.
pub struct Pending {
    tmp: tempfile::NamedTempFile,
    file: std::path::PathBuf,
    pub files: usize,
}

impl Pending {
    /// Puts the archive in its place (a rename).
    pub fn persist(self) -> Result<usize> {
        self.tmp
            .persist(&self.file)
            .with_context(|| format!("impossible d'écrire {}", self.file.display()))?;
        Ok(self.files)
    }
}

/// Writes every file under `dir` into the zip `file`, paths relative to
/// `dir` with `/` separators, in a stable order. The archive is written
/// beside `file` and renamed at the end: a failure leaves no half archive.
/// Returns the number of files.
pub fn write(dir: &Path, file: &Path) -> Result<usize> {
    prepare(dir, file)?.persist()
}

/// `write` but the rename: the archive waits beside `file` (a Ctrl-C
/// removes it: `output::abandon`) until the build puts it in place with
/// its output.
pub fn prepare(dir: &Path, file: &Path) -> Result<Pending> {
    let parent = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("impossible de créer {}", parent.display()))?;
    // What a killed build left beside the archive; the process id in the
    // name tells a live build's file from a leftover.
    crate::output::remove_leftovers(parent, ".fiches-zip-", false);
    let prefix = format!(".fiches-zip-{}-", std::process::id());
    crate::output::hold(parent, &prefix, false);
    let tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .tempfile_in(parent)
        .with_context(|| format!("impossible de créer un fichier temporaire dans {}", parent.display()))?;
    let skip: Vec<std::path::PathBuf> = [tmp.path(), file]
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    // Entries carry the build time: a server unzipping them then serves
    // fresh Last-Modified/ETag values, so browsers do not keep old pages.
    let now = chrono::Local::now().naive_local();
    let stamp = {
        use chrono::{Datelike, Timelike};
        zip::DateTime::from_date_and_time(
            now.year().clamp(1980, 2107) as u16,
            now.month() as u8,
            now.day() as u8,
            now.hour() as u8,
            now.minute() as u8,
            now.second() as u8,
        )
        .unwrap_or_default()
    };
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644)
        .last_modified_time(stamp);
    let mut zw = zip::ZipWriter::new(std::io::BufWriter::new(tmp.as_file()));
    let mut n = 0;
    // The folder is fiches' own output: links are not followed, so that
    // nothing placed there by another hand can bring outside files in.
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.with_context(|| format!("lecture impossible de {}", dir.display()))?;
        if !e.file_type().is_file() {
            continue;
        }
        if e.path().canonicalize().is_ok_and(|p| skip.contains(&p)) {
            continue;
        }
        let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
        let name = crate::diagnostics::rel_string(rel);
        let bytes = std::fs::read(e.path()).with_context(|| format!("lecture impossible de {}", e.path().display()))?;
        zw.start_file(name.as_str(), opts)
            .with_context(|| format!("zip : {name}"))?;
        zw.write_all(&bytes).with_context(|| format!("zip : {name}"))?;
        n += 1;
    }
    let mut buf = zw.finish().context("zip : écriture impossible")?;
    buf.flush().context("zip : écriture impossible")?;
    drop(buf);
    // A temporary file is private (0600); the archive is meant to be shared.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644));
    }
    Ok(Pending {
        tmp,
        file: file.to_path_buf(),
        files: n,
    })
}
