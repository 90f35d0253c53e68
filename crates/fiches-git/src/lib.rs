//! Last change date, contributors and commit count of every file of a site,
//! read from the git history with [gix] (no `git` binary needed).
//!
//! [`History::load`] walks the history once for all files: every commit
//! reachable from `HEAD` (all parents, not only the first) is diffed against
//! its parent, restricted to the site root's subtree, so unchanged subtrees
//! are never read.
//!
//! # Choices
//!
//! - **Merges are skipped** (like `git log --no-merges`) and the walk follows
//!   **all parents**: work done on a branch is attributed to the authors and
//!   dates of the branch's own commits, not to whoever merged it, and a merge
//!   does not count as a change of every file the branch touched. The commits
//!   counted for a file are those of `git log --no-merges --full-history --
//!   <file>`. What a merge itself changes (conflict resolutions) is not
//!   attributed.
//! - **Shallow clones** (`git clone --depth 1`, the default of many CI
//!   checkouts): the parents of a boundary commit are missing, so what it
//!   changed cannot be known; every file of its tree is attributed to it, which
//!   is the best date available, and [`History::is_shallow`] is set with a
//!   [warning](History::warning).
//! - **Only files present in `HEAD`** have an entry: deleted files are dropped,
//!   uncommitted (untracked or only staged) files have none, and files with
//!   uncommitted modifications keep the date of their last commit. Callers use
//!   [`file_time`] for files without an entry.
//! - Author names go through the repository's `.mailmap`, then contributors
//!   are deduplicated by name.

use std::collections::HashMap;
use std::path::{Component, Path};
use std::time::UNIX_EPOCH;

use gix::bstr::{BStr, BString, ByteSlice};
use gix::hash::ObjectId;
use gix::objs::{Find, FindExt};

/// Git history of one file, relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileHistory {
    /// Committer time (unix seconds) of the newest commit that changed the file.
    pub last_change: Option<i64>,
    /// Author names (after `.mailmap`), most commits first, then alphabetically.
    pub contributors: Vec<String>,
    /// Number of (non-merge) commits that changed the file.
    pub commits: usize,
}

/// History of every file under a site root; see the [crate documentation](crate).
#[derive(Debug, Clone, Default)]
pub struct History {
    /// Keyed by the `/`-separated path relative to the site root, as bytes
    /// because git paths need not be UTF-8.
    files: HashMap<Vec<u8>, FileHistory>,
    repository: bool,
    shallow: bool,
    warning: Option<String>,
}

impl History {
    /// Reads the history of every file under `site_root`, which may be the
    /// repository's top directory, a subfolder of it, or not in a repository.
    ///
    /// Never fails: without a repository, without commits or on any error,
    /// the history is empty and [`warning`](Self::warning) says why.
    pub fn load(site_root: &Path) -> History {
        let mut history = History::default();
        let repo = match gix::discover(site_root) {
            Ok(repo) => repo,
            Err(err) => {
                history.warning = Some(match err {
                    gix::discover::Error::Discover(_) => format!(
                        "{} n'est pas dans un dépôt git : les dates des fichiers seront celles du disque",
                        site_root.display()
                    ),
                    err => format!("dépôt git illisible ({err}) : les dates des fichiers seront celles du disque"),
                });
                return history;
            }
        };
        history.repository = true;
        if let Err(err) = history.read(repo, site_root) {
            history.files.clear();
            history.warning = Some(format!(
                "historique git illisible ({err}) : les dates des fichiers seront celles du disque"
            ));
        }
        history
    }

    /// History of `rel_path`, relative to the site root (`/` or the platform
    /// separator; `.` components are ignored). `None` for files without
    /// committed history in `HEAD`.
    pub fn get(&self, rel_path: &Path) -> Option<&FileHistory> {
        // Outside a repository, no key is made per sheet (50,000 of them).
        if self.files.is_empty() {
            return None;
        }
        self.files.get(&path_key(rel_path)?)
    }

    /// Whether the site root is in a git repository (even one without commits).
    pub fn is_repository(&self) -> bool {
        self.repository
    }

    /// Whether the history is truncated (shallow clone): dates and
    /// contributors of files not changed since the boundary are approximate.
    pub fn is_shallow(&self) -> bool {
        self.shallow
    }

    /// Why the history is unavailable or incomplete, in French, for the user.
    pub fn warning(&self) -> Option<&str> {
        self.warning.as_deref()
    }

    /// Number of files with a history.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file has a history.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Every file with a history, as a `/`-separated path relative to the
    /// site root (lossy for non-UTF-8 names), in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (std::borrow::Cow<'_, str>, &FileHistory)> {
        self.files.iter().map(|(k, v)| (String::from_utf8_lossy(k), v))
    }

    fn read(&mut self, mut repo: gix::Repository, site_root: &Path) -> Result<(), Error> {
        let Some(prefix) = site_prefix(&repo, site_root)? else {
            return Ok(());
        };
        let head = match repo.head()?.try_peel_to_id_in_place()? {
            Some(id) => id.detach(),
            None => {
                self.warning = Some(
                    "le dépôt git n'a encore aucun commit : \
                     les dates des fichiers seront celles du disque"
                        .into(),
                );
                return Ok(());
            }
        };
        // Trees are read twice (as a commit's tree and as its child's parent
        // tree): a small cache avoids decompressing them again.
        repo.object_cache_size_if_unset(4 * 1024 * 1024);
        let Graph {
            commits,
            index,
            authors,
            missing_parents,
        } = walk(&repo, head, &prefix)?;
        let mut paths = Interner::default();
        let mut differ = TreeDiff::new(&repo.objects);
        let mut changed = Vec::new();
        let acc = changes(&commits, &index, &mut differ, &mut paths, &mut changed)?;

        // Keep only the files of HEAD.
        let head_info = &commits[index[&head]];
        if let Some(tree) = head_info.subtree {
            changed.clear();
            differ.diff(None, Some(&tree), &mut |p| changed.push(paths.intern(p)))?;
            for &p in &changed {
                let Some(a) = acc.get(p).filter(|a| a.commits > 0) else {
                    continue;
                };
                self.files.insert(paths.names[p].to_vec(), a.finish(&authors.names));
            }
        } else {
            self.warning = Some(format!(
                "{} n'est pas versionné dans git (absent du dernier commit) : \
                 les dates des fichiers seront celles du disque",
                site_root.display()
            ));
        }

        self.shallow = repo.is_shallow() || missing_parents;
        if self.shallow && self.warning.is_none() {
            self.warning = Some(
                "historique git incomplet (clone superficiel) : les fichiers non modifiés depuis le plus ancien \
                 commit disponible en prennent la date et l'auteur ; utiliser `git fetch --unshallow` \
                 (ou `fetch-depth: 0` en intégration continue)"
                    .into(),
            );
        }
        Ok(())
    }
}

/// Every commit reachable from HEAD, read once.
struct Graph {
    commits: Vec<CommitInfo>,
    /// Position in `commits`, or `MISSING` for a parent absent from the repository.
    index: gix::hashtable::HashMap<ObjectId, usize>,
    authors: Interner,
    /// A parent was absent without being listed as shallow.
    missing_parents: bool,
}

/// Phase 1 of `History::read`: the commit graph from `head`, with each commit's
/// tree at `prefix`, its (mailmapped) author and its date.
fn walk(repo: &gix::Repository, head: ObjectId, prefix: &[BString]) -> Result<Graph, Error> {
    let shallow_list = repo.shallow_commits()?;
    let is_boundary = |id: &ObjectId| shallow_list.as_ref().is_some_and(|l| l.binary_search(id).is_ok());
    let mailmap = repo.open_mailmap();

    // Phase 1: every reachable commit, once, in no particular order:
    // dates are compared, not inferred from walk order.
    let mut authors = Interner::default();
    let mut commits: Vec<CommitInfo> = Vec::new();
    let mut index: gix::hashtable::HashMap<ObjectId, usize> = Default::default();
    let mut stack = vec![head];
    let mut buf = Vec::new();
    let mut tree_buf = Vec::new();
    let mut missing_parents = false;
    while let Some(id) = stack.pop() {
        if index.contains_key(&id) {
            continue;
        }
        let Some(data) = repo.objects.try_find(&id, &mut buf)? else {
            // A parent absent without being listed as shallow (grafts,
            // broken clone): treat its child as a boundary.
            index.insert(id, MISSING);
            missing_parents = true;
            continue;
        };
        let commit = data
            .decode()?
            .into_commit()
            .ok_or_else(|| format!("{id} n'est pas un commit"))?;
        let author = commit.author();
        let name = match mailmap.try_resolve_ref(author).and_then(|r| r.name) {
            Some(name) => name,
            None => author.name,
        };
        let name = if name.trim().is_empty() { author.email } else { name };
        let info = CommitInfo {
            subtree: subtree(&repo.objects, commit.tree(), prefix, &mut tree_buf)?,
            parents: commit.parents().collect(),
            boundary: is_boundary(&id),
            author: authors.intern(name.trim().as_bstr()),
            time: commit.committer().seconds(),
        };
        if !info.boundary {
            stack.extend(info.parents.iter().filter(|p| !index.contains_key(*p)));
        }
        index.insert(id, commits.len());
        commits.push(info);
    }

    Ok(Graph {
        commits,
        index,
        authors,
        missing_parents,
    })
}

/// Phase 2 of `History::read`: per path (interned in `paths`), the commits
/// that changed it under the site root. `changed` is a reused buffer.
fn changes<F: gix::objs::Find>(
    commits: &[CommitInfo],
    index: &gix::hashtable::HashMap<ObjectId, usize>,
    differ: &mut TreeDiff<'_, F>,
    paths: &mut Interner,
    changed: &mut Vec<usize>,
) -> Result<Vec<Acc>, Error> {
    // Phase 2: what each commit changed under the site root.
    let mut acc: Vec<Acc> = Vec::new();
    for info in commits {
        let present: Vec<&CommitInfo> = info
            .parents
            .iter()
            .filter_map(|p| index.get(p).filter(|&&i| i != MISSING).map(|&i| &commits[i]))
            .collect();
        let before = if info.boundary || present.is_empty() {
            // Root or boundary commit: everything it holds counts as its change.
            None
        } else if info.parents.len() == 1 {
            if present[0].subtree == info.subtree {
                continue;
            }
            present[0].subtree
        } else {
            continue; // merge
        };
        let after = info.subtree;
        if before.is_none() && after.is_none() {
            continue;
        }
        changed.clear();
        differ.diff(before.as_deref(), after.as_deref(), &mut |p| {
            changed.push(paths.intern(p))
        })?;
        for &p in changed.iter() {
            if acc.len() <= p {
                acc.resize_with(p + 1, Acc::default);
            }
            acc[p].record(info.author, info.time);
        }
    }

    Ok(acc)
}

/// The fallback for files without git history: modification time, unix seconds.
pub fn file_time(path: &Path) -> Option<i64> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(match modified.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    })
}

type Error = Box<dyn std::error::Error + Send + Sync>;

const MISSING: usize = usize::MAX;

struct CommitInfo {
    /// Tree of the site root in this commit, `None` if absent.
    subtree: Option<ObjectId>,
    parents: Vec<ObjectId>,
    /// Listed in `.git/shallow`: its parents are not in the repository.
    boundary: bool,
    author: usize,
    time: i64,
}

#[derive(Default)]
struct Acc {
    last_change: i64,
    /// (author, commits); a file rarely has more than a handful of authors.
    authors: Vec<(usize, usize)>,
    commits: usize,
}

impl Acc {
    fn record(&mut self, author: usize, time: i64) {
        if self.commits == 0 || time > self.last_change {
            self.last_change = time;
        }
        self.commits += 1;
        match self.authors.iter_mut().find(|(a, _)| *a == author) {
            Some((_, n)) => *n += 1,
            None => self.authors.push((author, 1)),
        }
    }

    fn finish(&self, names: &[BString]) -> FileHistory {
        let mut authors: Vec<(String, usize)> = self
            .authors
            .iter()
            .map(|&(a, n)| (names[a].to_str_lossy().into_owned(), n))
            .collect();
        authors.sort_by(|(a, n), (b, m)| {
            m.cmp(n)
                .then_with(|| alphabetical_key(a).cmp(&alphabetical_key(b)))
                .then_with(|| a.cmp(b))
        });
        FileHistory {
            last_change: Some(self.last_change),
            contributors: authors.into_iter().map(|(a, _)| a).collect(),
            commits: self.commits,
        }
    }
}

/// Case- and accent-insensitive key so that "élodie" sorts with "Elodie",
/// before "Fanny", as a French reader expects.
fn alphabetical_key(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'ç' => 'c',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ñ' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            c => c,
        })
        .collect()
}

#[derive(Default)]
struct Interner {
    ids: HashMap<BString, usize>,
    names: Vec<BString>,
}

impl Interner {
    fn intern(&mut self, name: &BStr) -> usize {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len();
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), id);
        id
    }
}

/// Components of the site root relative to the worktree, or `None` (with no
/// error) when the site root cannot be in the repository's trees.
fn site_prefix(repo: &gix::Repository, site_root: &Path) -> Result<Option<Vec<BString>>, Error> {
    let Some(workdir) = repo.workdir() else {
        return Err("dépôt sans copie de travail (bare)".into());
    };
    let root = site_root.canonicalize()?;
    let workdir = workdir.canonicalize()?;
    let Ok(rel) = root.strip_prefix(&workdir) else {
        return Err(format!(
            "{} n'est pas dans la copie de travail {}",
            root.display(),
            workdir.display()
        )
        .into());
    };
    let mut prefix = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(s) => prefix.push(gix::path::os_str_into_bstr(s)?.to_owned()),
            _ => return Ok(None),
        }
    }
    if prefix.first().is_some_and(|c| c == ".git") {
        return Ok(None);
    }
    Ok(Some(prefix))
}

fn path_key(rel_path: &Path) -> Option<Vec<u8>> {
    let mut key = Vec::new();
    for c in rel_path.components() {
        match c {
            Component::Normal(s) => {
                if !key.is_empty() {
                    key.push(b'/');
                }
                key.extend_from_slice(gix::path::os_str_into_bstr(s).ok()?);
            }
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(key)
}

/// Tree at `prefix` inside `tree`, if it is a directory there.
fn subtree(
    objects: &impl gix::objs::Find,
    tree: ObjectId,
    prefix: &[BString],
    buf: &mut Vec<u8>,
) -> Result<Option<ObjectId>, Error> {
    let mut id = tree;
    for component in prefix {
        let entries = objects.find_tree_iter(&id, buf)?;
        let mut next = None;
        for entry in entries {
            let entry = entry?;
            if entry.filename == component && entry.mode.is_tree() {
                next = Some(entry.oid.to_owned());
                break;
            }
        }
        match next {
            Some(n) => id = n,
            None => return Ok(None),
        }
    }
    Ok(Some(id))
}

/// Tree-to-tree diff reporting the files (blobs and symlinks) that differ.
///
/// gix 0.73's `gix::diff::tree` also descends into subtrees whose ids are
/// equal (fixed upstream later), reading the whole tree for every commit:
/// over 3x slower on the benchmark. Trees are Merkle trees: equal ids are skipped.
struct TreeDiff<'a, F> {
    objects: &'a F,
    /// Path of the tree being compared, relative to the site root.
    path: BString,
    /// Object buffers, two per directory level, reused across calls.
    pool: Vec<Vec<u8>>,
}

impl<'a, F: gix::objs::Find> TreeDiff<'a, F> {
    fn new(objects: &'a F) -> Self {
        TreeDiff {
            objects,
            path: BString::default(),
            pool: Vec::new(),
        }
    }

    /// Calls `report` with the path of every file that differs between the
    /// trees `before` and `after` (`None`: no tree, every file counts).
    fn diff(
        &mut self,
        before: Option<&gix::hash::oid>,
        after: Option<&gix::hash::oid>,
        report: &mut dyn FnMut(&BStr),
    ) -> Result<(), Error> {
        let mut lhs_buf = self.pool.pop().unwrap_or_default();
        let mut rhs_buf = self.pool.pop().unwrap_or_default();
        let result = self.diff_in(before, after, &mut lhs_buf, &mut rhs_buf, report);
        self.pool.push(lhs_buf);
        self.pool.push(rhs_buf);
        result
    }

    fn diff_in(
        &mut self,
        before: Option<&gix::hash::oid>,
        after: Option<&gix::hash::oid>,
        lhs_buf: &mut Vec<u8>,
        rhs_buf: &mut Vec<u8>,
        report: &mut dyn FnMut(&BStr),
    ) -> Result<(), Error> {
        let lhs = entries(self.objects, before, lhs_buf)?;
        let rhs = entries(self.objects, after, rhs_buf)?;
        let (mut i, mut j) = (0, 0);
        // Both sides are sorted in git's tree order, which `EntryRef: Ord` follows.
        while i < lhs.len() || j < rhs.len() {
            let order = match (lhs.get(i), rhs.get(j)) {
                (Some(l), Some(r)) => l.cmp(r),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            match order {
                std::cmp::Ordering::Less => {
                    self.one_side(&lhs[i], true, report)?;
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    self.one_side(&rhs[j], false, report)?;
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    let (l, r) = (&lhs[i], &rhs[j]);
                    if l.oid != r.oid || l.mode != r.mode {
                        // Same name and order: both trees or both not trees.
                        let len = self.push(l.filename);
                        if l.mode.is_tree() {
                            self.diff(Some(l.oid), Some(r.oid), report)?;
                        } else if l.mode.is_blob_or_symlink() || r.mode.is_blob_or_symlink() {
                            report(self.path.as_bstr());
                        }
                        self.path.truncate(len);
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        Ok(())
    }

    /// An entry only in `before` (`deleted`) or only in `after`.
    fn one_side(
        &mut self,
        entry: &gix::objs::tree::EntryRef<'_>,
        deleted: bool,
        report: &mut dyn FnMut(&BStr),
    ) -> Result<(), Error> {
        let len = self.push(entry.filename);
        if entry.mode.is_tree() {
            let (before, after) = if deleted {
                (Some(entry.oid), None)
            } else {
                (None, Some(entry.oid))
            };
            self.diff(before, after, report)?;
        } else if entry.mode.is_blob_or_symlink() {
            report(self.path.as_bstr());
        }
        self.path.truncate(len);
        Ok(())
    }

    /// Appends a component to `path`, returning the length to truncate back to.
    fn push(&mut self, name: &BStr) -> usize {
        let len = self.path.len();
        if len > 0 {
            self.path.push(b'/');
        }
        self.path.extend_from_slice(name);
        len
    }
}

fn entries<'b>(
    objects: &impl gix::objs::Find,
    id: Option<&gix::hash::oid>,
    buf: &'b mut Vec<u8>,
) -> Result<Vec<gix::objs::tree::EntryRef<'b>>, Error> {
    match id {
        Some(id) => Ok(objects.find_tree_iter(id, buf)?.collect::<Result<_, _>>()?),
        None => Ok(Vec::new()),
    }
}

/// Files under `site_root` (as `/`-separated paths relative to it) that
/// differ between the merge base of `rev` and `HEAD`, and `HEAD`: what a
/// merge request changes, as `git diff --name-only rev...HEAD` lists them
/// (a renamed file is both its old and its new path); and, since a
/// referent runs it before committing, what the working tree changes
/// since `HEAD`: files modified (staged or not), deleted, and new ones
/// git does not ignore (see [`worktree_changes`]). Folders in `skip` (the
/// output folder) are left out. The error is in French, for the user.
pub fn changed_since(site_root: &Path, rev: &str, skip: &[&Path]) -> Result<Vec<String>, String> {
    let unreadable = |e: &dyn std::fmt::Display| format!("historique git illisible ({e})");
    let repo = gix::discover(site_root).map_err(|_| format!("{} n'est pas dans un dépôt git", site_root.display()))?;
    let head = repo
        .head()
        .map_err(|e| unreadable(&e))?
        .try_peel_to_id_in_place()
        .map_err(|e| unreadable(&e))?
        .ok_or("le dépôt n'a encore aucun commit")?
        .detach();
    let missing = || {
        format!("la révision `{rev}` est introuvable dans le dépôt (en intégration continue, récupérez tout l'historique : `GIT_DEPTH: 0` ou `fetch-depth: 0`)")
    };
    let base = repo
        .rev_parse_single(rev)
        .map_err(|_| missing())?
        .object()
        .map_err(|_| missing())?
        .peel_to_commit()
        .map_err(|_| missing())?
        .id;
    let base = repo
        .merge_base(base, head)
        .map_err(|_| format!("`{rev}` et HEAD n'ont pas d'ancêtre commun dans ce dépôt (historique incomplet ?)"))?
        .detach();
    let Some(prefix) = site_prefix(&repo, site_root).map_err(|e| unreadable(&e))? else {
        return Ok(Vec::new());
    };
    let mut buf = Vec::new();
    let mut tree_of = |id: ObjectId| -> Result<Option<ObjectId>, Error> {
        let tree = repo.objects.find_commit(&id, &mut buf)?.tree();
        subtree(&repo.objects, tree, &prefix, &mut buf)
    };
    let before = tree_of(base).map_err(|e| unreadable(&e))?;
    let after = tree_of(head).map_err(|e| unreadable(&e))?;
    let mut changed = Vec::new();
    if before != after {
        let mut differ = TreeDiff::new(&repo.objects);
        differ
            .diff(before.as_deref(), after.as_deref(), &mut |p| {
                changed.push(String::from_utf8_lossy(p).into_owned())
            })
            .map_err(|e| unreadable(&e))?;
    }
    let worktree = worktree_changes(&repo, site_root, &prefix, after, skip).map_err(|e| unreadable(&e))?;
    changed.extend(worktree.iter().map(|p| String::from_utf8_lossy(p).into_owned()));
    changed.sort();
    changed.dedup();
    Ok(changed)
}

/// Files under the site (paths relative to it) whose working copy differs
/// from `HEAD` (`head`: the site's tree there), as `git status` would list
/// them against `HEAD`: modified (staged or not) or deleted, and untracked
/// files that `.gitignore` (at every level down to the site and in the
/// folders walked) and `.git/info/exclude` do not ignore. A file whose size
/// and times match its index entry, itself `HEAD`'s blob, is not read (as
/// git, racy entries aside); any other is hashed as a blob and compared.
/// No clean filter is applied (`core.autocrlf`, LFS): such a file whose
/// index entry is stale counts as changed, which shows its warnings, no
/// more. gix 0.73's status API needs features (`status`, `dirwalk`) this
/// crate does not build; this is the part of it `check` needs.
fn worktree_changes(
    repo: &gix::Repository,
    site_root: &Path,
    prefix: &[BString],
    head: Option<ObjectId>,
    skip: &[&Path],
) -> Result<Vec<BString>, Error> {
    let mut tracked = HashMap::new();
    if let Some(tree) = head {
        tree_files(&repo.objects, tree, &mut BString::default(), &mut tracked)?;
    }
    let index = repo.index_or_empty()?;
    let mut base = BString::default();
    for c in prefix {
        base.extend_from_slice(c);
        base.push(b'/');
    }
    let mut walk = Walk {
        hash_kind: repo.object_hash(),
        index: &index,
        base,
        tracked: &tracked,
        seen: std::collections::HashSet::new(),
        skip: skip.iter().filter_map(|p| p.canonicalize().ok()).collect(),
        ignores: Vec::new(),
        changed: Vec::new(),
    };
    // `info/exclude`, then every `.gitignore` from the top of the working
    // copy down to the site: a deeper one wins.
    let workdir = repo.workdir().ok_or("dépôt sans copie de travail (bare)")?;
    walk.add_ignores(&repo.git_dir().join("info").join("exclude"), BString::default());
    // The site's own `.gitignore` is read by the walk.
    if let Some((_, above)) = prefix.split_last() {
        let mut dir = workdir.to_path_buf();
        let mut rel = BString::default();
        walk.add_ignores(&dir.join(".gitignore"), rel.clone());
        for c in above {
            dir.push(gix::path::from_bstr(c.as_bstr()));
            rel.extend_from_slice(c);
            rel.push(b'/');
            walk.add_ignores(&dir.join(".gitignore"), rel.clone());
        }
    }
    walk.dir(site_root, &mut BString::default())?;
    // Tracked files the walk did not reach: deleted, or under a folder left
    // out (ignored, skipped) where git still follows them.
    let mut rest: Vec<&BString> = tracked.keys().filter(|p| !walk.seen.contains(*p)).collect();
    rest.sort();
    for p in rest {
        let path = site_root.join(gix::path::from_bstr(p.as_bstr()));
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_file() || m.file_type().is_symlink() => walk.file(&path, p)?,
            _ => walk.changed.push(p.clone()),
        }
    }
    Ok(walk.changed)
}

/// Every file (blob or link) of `tree`, by its path under it, with its id.
fn tree_files(
    objects: &impl gix::objs::Find,
    tree: ObjectId,
    path: &mut BString,
    out: &mut HashMap<BString, ObjectId>,
) -> Result<(), Error> {
    let mut buf = Vec::new();
    let entries: Vec<(BString, ObjectId, bool)> = objects
        .find_tree_iter(&tree, &mut buf)?
        .filter_map(|e| match e {
            // A submodule (a pool, often) is its own repository's business.
            Ok(e) if e.mode.is_commit() => None,
            e => Some(e.map(|e| (e.filename.to_owned(), e.oid.to_owned(), e.mode.is_tree()))),
        })
        .collect::<Result<_, _>>()?;
    for (name, id, is_tree) in entries {
        let len = path.len();
        if len > 0 {
            path.push(b'/');
        }
        path.extend_from_slice(&name);
        if is_tree {
            tree_files(objects, id, path, out)?;
        } else {
            out.insert(path.clone(), id);
        }
        path.truncate(len);
    }
    Ok(())
}

/// The walk of the working copy under the site, for [`worktree_changes`].
struct Walk<'a> {
    hash_kind: gix::hash::Kind,
    index: &'a gix::index::File,
    /// The site's path in the repository, `/`-terminated (empty at the top).
    base: BString,
    tracked: &'a HashMap<BString, ObjectId>,
    seen: std::collections::HashSet<BString>,
    skip: Vec<std::path::PathBuf>,
    /// Ignore patterns by the folder (repository path, `/`-terminated)
    /// whose `.gitignore` holds them, least binding first.
    ignores: Vec<(BString, Vec<gix::glob::Pattern>)>,
    changed: Vec<BString>,
}

impl Walk<'_> {
    /// `rel`, a path under the site, from the top of the repository.
    fn repo_rel(&self, rel: &[u8]) -> BString {
        let mut p = self.base.clone();
        p.extend_from_slice(rel);
        p
    }

    fn add_ignores(&mut self, file: &Path, dir: BString) {
        let Ok(text) = std::fs::read(file) else {
            return;
        };
        let patterns: Vec<_> = text
            .lines()
            .filter(|l| !l.starts_with(b"#"))
            .filter_map(|l| gix::glob::parse(l.trim_end()))
            .collect();
        self.ignores.push((dir, patterns));
    }

    /// Whether git ignores `path` (from the top of the repository): the
    /// last pattern that matches it decides, a deeper `.gitignore` first.
    fn ignored(&self, path: &BStr, is_dir: bool) -> bool {
        use gix::glob::{pattern::Case, wildmatch::Mode};
        for (dir, patterns) in self.ignores.iter().rev() {
            let Some(rel) = path.strip_prefix(dir.as_slice()) else {
                continue;
            };
            let rel = rel.as_bstr();
            let basename = rel.rfind_byte(b'/').map(|i| i + 1);
            let hit = patterns.iter().rev().find(|p| {
                p.matches_repo_relative_path(
                    rel,
                    basename,
                    Some(is_dir),
                    Case::Sensitive,
                    Mode::NO_MATCH_SLASH_LITERAL,
                )
            });
            if let Some(p) = hit {
                return !p.mode.contains(gix::glob::pattern::Mode::NEGATIVE);
            }
        }
        false
    }

    /// Walks `dir`, `rel` its path under the site.
    fn dir(&mut self, dir: &Path, rel: &mut BString) -> Result<(), Error> {
        let depth = self.ignores.len();
        let gitignore = dir.join(".gitignore");
        if gitignore.is_file() {
            let mut at = self.repo_rel(rel);
            if !at.is_empty() && !at.ends_with(b"/") {
                at.push(b'/');
            }
            self.add_ignores(&gitignore, at);
        }
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            // A repository's own folder, or a submodule's `.git` file.
            if name == ".git" {
                continue;
            }
            let len = rel.len();
            if len > 0 {
                rel.push(b'/');
            }
            rel.extend_from_slice(gix::path::os_str_into_bstr(&name)?);
            let path = e.path();
            let kind = e.file_type()?;
            if kind.is_dir() {
                // A submodule or a repository of its own (a pool, often):
                // `git status` does not look inside either.
                let leave_out = self.ignored(self.repo_rel(rel).as_bstr(), true)
                    || path.join(".git").exists()
                    || self.skip.iter().any(|s| path.canonicalize().is_ok_and(|p| p == *s));
                if !leave_out {
                    self.dir(&path, rel)?;
                }
            } else if self.tracked.contains_key(rel.as_bstr())
                || self.index.entry_by_path(self.repo_rel(rel).as_bstr()).is_some()
            {
                self.seen.insert(rel.clone());
                self.file(&path, rel)?;
            } else if !self.ignored(self.repo_rel(rel).as_bstr(), false) {
                self.changed.push(rel.clone());
            }
            rel.truncate(len);
        }
        self.ignores.truncate(depth);
        Ok(())
    }

    /// A file git follows (in `HEAD` or the index), `rel` under the site:
    /// changed unless its content is `HEAD`'s blob.
    fn file(&mut self, path: &Path, rel: &BString) -> Result<(), Error> {
        let Some(head) = self.tracked.get(rel) else {
            // Only in the index: added since `HEAD`.
            self.changed.push(rel.clone());
            return Ok(());
        };
        let at = self.repo_rel(rel);
        let options = gix::index::entry::stat::Options::default();
        let meta = gix::index::fs::Metadata::from_path_no_follow(path)?;
        let unchanged = self.index.entry_by_path(at.as_bstr()).is_some_and(|entry| {
            entry.id == *head
                && !entry.stat.is_racy(self.index.timestamp(), options)
                && gix::index::entry::Stat::from_fs(&meta).is_ok_and(|s| entry.stat.matches(&s, options))
        });
        if unchanged {
            return Ok(());
        }
        let data = match meta.is_symlink() {
            true => gix::path::into_bstr(std::fs::read_link(path)?).into_owned().into(),
            false => std::fs::read(path)?,
        };
        if gix::objs::compute_hash(self.hash_kind, gix::objs::Kind::Blob, &data)? != *head {
            self.changed.push(rel.clone());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_keys_ignore_dots_and_use_slashes() {
        assert_eq!(path_key(Path::new("./a/b.md")).unwrap(), b"a/b.md");
        assert!(path_key(Path::new("../a")).is_none());
    }

    #[test]
    fn alphabetical_order_ignores_case_and_accents() {
        let mut names = vec!["Zoé", "élodie", "Fanny", "Emile"];
        names.sort_by_key(|n| alphabetical_key(n));
        assert_eq!(names, ["élodie", "Emile", "Fanny", "Zoé"]);
    }
}
