//! Write stage: the site is written into a fresh temporary folder beside the
//! output folder, and swapped in only when everything succeeded, so that a
//! failed build leaves the previous output exactly as it was.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)
            .with_context(|| format!("impossible de créer le dossier {}", parent.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.fiches-"))
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
    /// first, so that readers see either the old site or the new one.
    pub fn commit(self) -> Result<()> {
        let staged = self.dir.keep();
        let old = self.target.with_file_name(format!(
            ".{}.fiches-old-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            std::process::id()
        ));
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
        if had_old {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

/// Writes `bytes` at `rel` under `root`, creating folders.
pub fn write(root: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = root.join(rel);
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).with_context(|| format!("impossible de créer {}", p.display()))?;
    }
    std::fs::write(&path, bytes).with_context(|| format!("impossible d'écrire {}", path.display()))
}

/// Copies the files of `from` into `to`, keeping the tree.
pub fn copy_tree(from: &Path, to: &Path) -> Result<usize> {
    let mut n = 0;
    for e in walkdir::WalkDir::new(from)
        .follow_links(true)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e.path().strip_prefix(from).unwrap_or(e.path());
        if rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let dest = to.join(rel);
        if let Some(p) = dest.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::copy(e.path(), &dest).with_context(|| format!("copie impossible de {}", e.path().display()))?;
        n += 1;
    }
    Ok(n)
}
