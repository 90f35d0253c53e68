//! Containment. Content is untrusted (it comes in by merge request), and a
//! symbolic link may point anywhere: `static/env.txt -> /proc/self/environ`.
//! What fiches reads for the site must really lie inside the site's folder,
//! or inside a pool that `book.toml` declares. Every walk over the sources
//! (load, static files, theme, serve) goes through `walk` or `Fence::check`,
//! which resolve links and refuse those that lead out.

use crate::diagnostics::{rel_string, Diagnostic};
use std::path::{Component, Path, PathBuf};

/// `p` made absolute and free of symbolic links, `.` and `..`. The part
/// that does not exist yet (an output folder to create) is kept as written,
/// normalised lexically: it holds no link that could lead elsewhere.
pub fn real(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    if let Ok(c) = abs.canonicalize() {
        return c;
    }
    let mut base = PathBuf::new();
    let mut existing = true;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => base.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir if !existing => {
                base.pop();
            }
            Component::ParentDir | Component::Normal(_) => {
                let next = base.join(c.as_os_str());
                if existing {
                    if let Ok(r) = next.canonicalize() {
                        base = r;
                        continue;
                    }
                    existing = false;
                }
                match c {
                    Component::ParentDir => {
                        base.pop();
                    }
                    _ => base.push(c.as_os_str()),
                }
            }
        }
    }
    base
}

/// A folder whose files may be published: the site, or a declared pool.
#[derive(Debug, Clone)]
pub struct Fence {
    real: PathBuf,
    /// How users name it in messages: `du site`, `du dossier mutualisé `x``.
    label: String,
}

impl Fence {
    /// The site's folder.
    pub fn site(root: &Path) -> Fence {
        Fence {
            real: real(root),
            label: "du site".into(),
        }
    }

    /// A pool: explicit configuration, so its folder may lie anywhere, but
    /// nothing inside may lead out of it.
    pub fn pool(dir: &Path, shown: &Path) -> Fence {
        Fence {
            real: real(dir),
            label: format!("du dossier mutualisé `{}`", rel_string(shown)),
        }
    }

    /// Any folder, for `serve`'s output.
    pub fn dir(dir: &Path) -> Fence {
        Fence {
            real: real(dir),
            label: "du dossier".into(),
        }
    }

    pub fn real_path(&self) -> &Path {
        &self.real
    }

    /// Whether an already resolved path lies inside.
    pub fn holds(&self, real: &Path) -> bool {
        real.starts_with(&self.real)
    }

    /// Where `path` really is, when that is inside; else where it leads.
    pub fn check(&self, path: &Path) -> Result<PathBuf, PathBuf> {
        let r = real(path);
        if self.holds(&r) {
            Ok(r)
        } else {
            Err(r)
        }
    }

    /// The finding for `path` (shown as `file`), which leads out.
    pub fn outside(&self, path: &Path, file: &str) -> Diagnostic {
        let target = std::fs::read_link(path)
            .map(|t| rel_string(&t))
            .unwrap_or_else(|_| rel_string(&real(path)));
        Diagnostic::error(
            "symlink-outside",
            file,
            format!(
                "`{file}` mène hors {} (lien symbolique vers `{target}`) : un fichier extérieur ne peut pas être publié",
                self.label
            ),
        )
        .hint("copiez le fichier dans le dépôt au lieu d'un lien, ou supprimez le lien ; un lien ne peut viser qu'un fichier du site")
    }
}

/// One file or folder found by `walk`, with its path as walked (under the
/// walked folder, links not resolved).
#[derive(Debug, Clone)]
pub struct Walked {
    pub path: PathBuf,
    pub depth: usize,
    pub is_dir: bool,
    pub is_file: bool,
}

/// Files and folders under `dir`, in name order, hidden names skipped.
/// Links are followed when they stay inside `fence`; a link that leads out,
/// a link back to one of its own ancestors, and an unreadable entry are
/// reported into `problems` (named by `shown`) and skipped.
pub fn walk(dir: &Path, fence: &Fence, shown: &dyn Fn(&Path) -> String, problems: &mut Vec<Diagnostic>) -> Vec<Walked> {
    let mut found = Vec::new();
    // All paths start with `dir`: compared after it, the rest only.
    let skip = dir.as_os_str().len();
    fn rel(w: &Walked, skip: usize) -> &[u8] {
        &w.path.as_os_str().as_encoded_bytes()[skip..]
    }
    let mut keys: Vec<([u64; 4], u32)> = Vec::new();
    if !dir.exists() {
        return found;
    }
    // The folder itself may be a link (`content -> /home/x`), or lie below one.
    if fence.check(dir).is_err() {
        problems.push(fence.outside(dir, &shown(dir)));
        return found;
    }
    // Unsorted, then sorted once below: walkdir's `sort_by_file_name`
    // parsed both paths' last component at each comparison, about 10,000
    // instructions an entry, in folders that grow with the site (6.3
    // times from 10,000 to 50,000 sheets, in load and in `link_index`).
    let mut it = walkdir::WalkDir::new(dir).follow_links(true).into_iter();
    while let Some(entry) = it.next() {
        match entry {
            Ok(e) => {
                if e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.') {
                    if e.file_type().is_dir() {
                        it.skip_current_dir();
                    }
                    continue;
                }
                // Only a link can lead out: below a checked folder, every
                // other entry is inside it.
                if e.path_is_symlink() && e.depth() > 0 && fence.check(e.path()).is_err() {
                    problems.push(fence.outside(e.path(), &shown(e.path())));
                    if e.file_type().is_dir() {
                        it.skip_current_dir();
                    }
                    continue;
                }
                found.push(Walked {
                    path: e.path().to_path_buf(),
                    depth: e.depth(),
                    is_dir: e.file_type().is_dir(),
                    is_file: e.file_type().is_file(),
                });
                // Its head now, while the path is in the caches.
                let i = u32::try_from(keys.len()).unwrap_or(u32::MAX);
                keys.push((walk_head(rel(&found[found.len() - 1], skip)), i));
            }
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                let file = shown(&path);
                if let Some(anc) = err.loop_ancestor() {
                    let target = std::fs::read_link(&path).map(|t| rel_string(&t)).unwrap_or_default();
                    let anc = shown(anc);
                    problems.push(
                        Diagnostic::error(
                            "symlink-loop",
                            &file,
                            format!("lien symbolique en boucle : `{file}` pointe vers `{target}`, c'est-à-dire son propre dossier parent `{anc}`"),
                        )
                        .hint("supprimez ce lien : il ferait parcourir le même dossier sans fin"),
                    );
                } else if let Some(target) = dangling(&path) {
                    // A folder moved or renamed without its link: walkdir's
                    // English "IO error for operation on …" said nothing useful.
                    problems.push(
                        Diagnostic::error(
                            "symlink-broken",
                            &file,
                            format!("lien symbolique cassé : `{file}` pointe vers `{target}`, qui n'existe pas"),
                        )
                        .hint("corrigez la cible du lien, ou supprimez-le"),
                    );
                } else {
                    let why = err
                        .io_error()
                        .map_or_else(|| err.to_string(), crate::diagnostics::io_error_fr);
                    problems.push(Diagnostic::error(
                        "read-failed",
                        &file,
                        format!("lecture impossible : {why}"),
                    ));
                }
            }
        }
    }
    // The entries are sorted by a head of each path in an array of their
    // own (made as each entry is found), each moved once at the end:
    // comparing the paths themselves read two heap strings, out of the
    // caches at 50,000 sheets, at each of n log n comparisons (8 % of the
    // load phase's cache misses, 6 times those of 10,000 sheets).
    keys.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| walk_order(rel(&found[a.1 as usize], skip), rel(&found[b.1 as usize], skip)))
    });
    let mut slots: Vec<Option<Walked>> = found.into_iter().map(Some).collect();
    keys.iter().filter_map(|&(_, i)| slots[i as usize].take()).collect()
}

/// The first 32 bytes of a path as `walk_order` ranks them, big-endian: a
/// separator 0, any other byte itself (never 0 in a path), zeros after the
/// end. Where two heads differ, the paths compare as their heads do; equal
/// heads leave it to `walk_order`.
fn walk_head(p: &[u8]) -> [u64; 4] {
    let mut b = [0u8; 32];
    for (d, &c) in b.iter_mut().zip(p) {
        *d = if std::path::is_separator(char::from(c)) { 0 } else { c };
    }
    let word = |i: usize| u64::from_be_bytes(b[i * 8..i * 8 + 8].try_into().unwrap_or_default());
    [word(0), word(1), word(2), word(3)]
}

/// The order of a walk that lists each folder's entries by name, a folder
/// before what it holds (walkdir's `sort_by_file_name`), as one comparison
/// of whole paths: bytes, a separator below any other byte, so that `a/x`
/// (in the folder `a`) comes before `a-b` as `a` does.
fn walk_order(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let key = |c: Option<&u8>| {
        c.map(|&c| {
            if std::path::is_separator(char::from(c)) {
                0
            } else {
                u16::from(c) + 1
            }
        })
    };
    key(a.get(same)).cmp(&key(b.get(same)))
}

/// The target of `path` when it is a symbolic link to nothing.
fn dangling(path: &Path) -> Option<String> {
    let target = std::fs::read_link(path).ok()?;
    if path.exists() {
        return None;
    }
    Some(rel_string(&target))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_resolves_what_exists_and_normalises_the_rest() {
        let t = tempfile::tempdir().unwrap();
        let base = t.path().canonicalize().unwrap();
        std::fs::create_dir(base.join("a")).unwrap();
        assert_eq!(real(&base.join("a/../a/./x/y/../z")), base.join("a/x/z"));
        assert_eq!(real(&base.join("nope/../../b")), base.parent().unwrap().join("b"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/", base.join("up")).unwrap();
            assert_eq!(real(&base.join("up/new/dir")), Path::new("/new/dir"));
            let f = Fence::site(&base);
            assert!(f.check(&base.join("a")).is_ok());
            assert!(f.check(&base.join("up/etc")).is_err());
            assert!(f.check(&base.join("..")).is_err());
        }
    }

    #[test]
    fn walk_lists_each_folder_by_name_before_its_contents() {
        let t = tempfile::tempdir().unwrap();
        let base = t.path().canonicalize().unwrap();
        // Names that a whole-path order would put elsewhere: `a-b`, `a.b`
        // and `a0` sort before `a/…` byte by byte, not by folder.
        for d in ["a/x", "a-b", "a.b/c", "a0", "b/a/z", "B", "é", "e"] {
            std::fs::create_dir_all(base.join(d)).unwrap();
        }
        for f in [
            "a/x/1.md",
            "a/y.md",
            "a-b/z.md",
            "a.b/c/d.md",
            "a0/0.md",
            "b/a.md",
            "b/a/z/k.md",
            "b/a-.md",
            "é/f.md",
            "e/f.md",
            "A.md",
            "a.md",
        ] {
            std::fs::write(base.join(f), "x").unwrap();
        }
        let mut problems = Vec::new();
        let got: Vec<PathBuf> = walk(&base, &Fence::site(&base), &|p| rel_string(p), &mut problems)
            .into_iter()
            .map(|w| w.path)
            .collect();
        let expected: Vec<PathBuf> = walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap().path().to_path_buf())
            .collect();
        assert!(problems.is_empty());
        assert_eq!(got.len(), 25);
        assert_eq!(got, expected);
    }

    /// Names alike in their first 32 bytes (the sort's head) are ordered
    /// by the rest, a folder still before a name that goes on with `-`.
    #[test]
    fn walk_orders_names_alike_past_the_head_by_the_rest() {
        let t = tempfile::tempdir().unwrap();
        let base = t.path().canonicalize().unwrap();
        let long = "une-categorie-au-nom-vraiment-tres-long";
        let mut files = Vec::new();
        for d in [
            long.to_string(),
            format!("{long}-b"),
            format!("{long}.b"),
            format!("{long}/x"),
        ] {
            std::fs::create_dir_all(base.join(&d)).unwrap();
        }
        for (i, name) in ["zz", "a", "a-", "b", "a0", "é", "e", "A"].iter().enumerate() {
            files.push(format!("{long}/fiche-au-titre-long-identique-{name}.md"));
            files.push(format!("{long}-b/{i}.md"));
            files.push(format!("{long}.b/{name}.md"));
        }
        files.push(format!("{long}/x/fin.md"));
        files.push(format!("{long}.md"));
        for f in &files {
            std::fs::write(base.join(f), "x").unwrap();
        }
        let mut problems = Vec::new();
        let got: Vec<PathBuf> = walk(&base, &Fence::site(&base), &|p| rel_string(p), &mut problems)
            .into_iter()
            .map(|w| w.path)
            .collect();
        let expected: Vec<PathBuf> = walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap().path().to_path_buf())
            .collect();
        assert!(problems.is_empty());
        assert_eq!(got.len(), files.len() + 5);
        assert_eq!(got, expected);
    }
}
