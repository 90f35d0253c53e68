//! Shared helpers for the integration tests: the real `fiches` binary, the
//! corpora the tests run on (read-only: copy before changing), temporary
//! folders.
//!
//! Every test that needs a realistic site runs on each corpus of
//! [`corpora`]: this repository's own fixtures (tests/fixtures/lycee,
//! always) and the shared corpus (../shared or `$FICHES_SHARED`) when it is
//! present, as in CI. What a test asserts about a corpus's content comes from
//! tests/fixtures/corpora.json.
#![allow(dead_code)]

mod huge_sheet;
mod serve;
pub use huge_sheet::*;
#[allow(unused_imports)] // not every test file serves
pub use serve::*;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `$FICHES_SHARED`, else `../shared` beside the repository.
pub fn shared() -> PathBuf {
    if let Some(p) = std::env::var_os("FICHES_SHARED") {
        return PathBuf::from(p);
    }
    repo().join("..").join("shared")
}

/// Whether the shared corpus is there; when it is not, says so once per
/// test (the shared variant is skipped, not failed).
pub fn shared_present() -> bool {
    let present = shared().join("corpus").is_dir();
    if !present {
        eprintln!(
            "note: shared corpus not found at {} (set FICHES_SHARED): its variant of this test is skipped",
            shared().display()
        );
    }
    present
}

/// One corpus: its root and the facts of tests/fixtures/corpora.json.
#[derive(Clone, Debug)]
pub struct Corpus {
    pub name: String,
    pub root: PathBuf,
    pub facts: serde_json::Value,
    base: PathBuf,
}

impl Corpus {
    fn load(name: &str) -> Corpus {
        let all: serde_json::Value =
            serde_json::from_str(&read(&repo().join("tests/fixtures/corpora.json"))).expect("corpora.json");
        let facts = all[name].clone();
        assert!(facts.is_object(), "no corpus `{name}` in corpora.json");
        let base = match facts["origin"].as_str() {
            Some("repo") => repo(),
            Some("shared") => shared(),
            o => panic!("corpus {name}: origin {o:?}"),
        };
        Corpus {
            name: name.to_string(),
            root: base.join(facts["root"].as_str().unwrap()),
            facts,
            base,
        }
    }

    fn get(&self, path: &str) -> &serde_json::Value {
        let mut v = &self.facts;
        for k in path.split('.') {
            v = match k.parse::<usize>() {
                Ok(i) => &v[i],
                Err(_) => &v[k],
            };
        }
        assert!(!v.is_null(), "corpus {}: no fact `{path}` in corpora.json", self.name);
        v
    }

    /// A string fact, by dotted path (`sheet.id`, `print.short`).
    pub fn s(&self, path: &str) -> String {
        match self.get(path) {
            serde_json::Value::String(s) => s.clone(),
            v => v.to_string(),
        }
    }

    pub fn n(&self, path: &str) -> u64 {
        self.get(path)
            .as_u64()
            .unwrap_or_else(|| panic!("{path}: not a number"))
    }

    pub fn list(&self, path: &str) -> Vec<String> {
        self.get(path)
            .as_array()
            .unwrap_or_else(|| panic!("{path}: not a list"))
            .iter()
            .map(|v| v.as_str().map(String::from).unwrap_or_else(|| v.to_string()))
            .collect()
    }

    /// Pairs such as the search's `forgiving` list.
    pub fn pairs(&self, path: &str) -> Vec<(String, String)> {
        self.get(path)
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_str().unwrap().to_string()))
            .collect()
    }

    pub fn has(&self, path: &str) -> bool {
        let mut v = &self.facts;
        for k in path.split('.') {
            v = &v[k];
        }
        !v.is_null()
    }

    /// The folder of the corpus's bad-input cases.
    pub fn broken_dir(&self) -> PathBuf {
        self.base.join(self.s("broken.dir"))
    }

    pub fn broken(&self, case: &str) -> PathBuf {
        self.broken_dir().join(case)
    }

    /// `base-url`, with its slashes (`/numerique/`).
    pub fn base(&self) -> String {
        self.s("base_url")
    }

    /// The published path of a sheet: `<base-url>fiches/<id>/`.
    pub fn sheet_path(&self, id: &str) -> String {
        format!("{}fiches/{id}/", self.base())
    }
}

/// This repository's own site: always there.
pub fn lycee() -> Corpus {
    Corpus::load("lycee")
}

/// The corpora a test runs on: the repository's fixtures, then the shared
/// corpus when present (with a printed note when it is not).
pub fn corpora() -> Vec<Corpus> {
    let mut v = vec![lycee()];
    if shared_present() {
        let c = Corpus::load("college");
        assert!(
            c.root.is_dir(),
            "shared folder present but {} missing",
            c.root.display()
        );
        v.push(c);
    }
    v
}

/// The repository's demo site (book.toml and content/ at its root).
pub fn demo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fiches"))
}

/// Runs `fiches` with a private cache folder so tests never share state
/// (under the target folder: one per test process, not left in /tmp).
pub fn fiches(args: &[&str]) -> Output {
    let cache =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fiches-test-cache-{}", std::process::id()));
    Command::new(bin())
        .args(args)
        .env("FICHES_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .output()
        .expect("run fiches")
}

pub fn fiches_in(root: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    fiches(&all)
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Copies a tree; symbolic links are copied as links (never followed: a
/// link to `..` would otherwise be copied forever).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        let ft = e.file_type().unwrap();
        if ft.is_symlink() {
            let target = std::fs::read_link(e.path()).unwrap();
            std::os::unix::fs::symlink(target, &dest).unwrap();
        } else if ft.is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
            let mut perm = std::fs::metadata(&dest).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(false);
            std::fs::set_permissions(&dest, perm).unwrap();
        }
    }
}

/// A writable copy of the site at `root`, in `<tmp>/site`.
pub fn site_copy(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempdir();
    let site = tmp.path().join("site");
    copy_dir(root, &site);
    (tmp, site)
}

/// A copy of a corpus with its book.toml edited; an edit that changes
/// nothing (a corpus that no longer has what it replaces) fails.
pub fn corpus_with(c: &Corpus, edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let (tmp, site) = site_copy(&c.root);
    let before = read(&site.join("book.toml"));
    let book = edit(before.clone());
    assert_ne!(book, before, "{}: the edit changed nothing", c.name);
    write(&site.join("book.toml"), &book);
    (tmp, site)
}

/// Copies the demo site (the repository's book.toml, content/, static/)
/// into `dest`.
pub fn copy_demo(dest: &Path) -> PathBuf {
    std::fs::create_dir_all(dest).unwrap();
    std::fs::copy(demo().join("book.toml"), dest.join("book.toml")).unwrap();
    copy_dir(&demo().join("content"), &dest.join("content"));
    copy_dir(&demo().join("static"), &dest.join("static"));
    dest.to_path_buf()
}

/// A writable copy of the demo site, in `<tmp>/site`.
pub fn demo_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempdir();
    let site = copy_demo(&tmp.path().join("site"));
    (tmp, site)
}

/// Every file under `dir` with its bytes, to compare trees before and after.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut m = BTreeMap::new();
    if !dir.exists() {
        return m;
    }
    for e in walk(dir) {
        m.insert(e.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&e).unwrap());
    }
    m
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("fiches-test-").tempdir().unwrap()
}

/// Builds `root` into a fresh temporary folder and returns it.
pub fn build_to(root: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempdir();
    let out = tmp.path().join("public");
    let mut args = vec!["build", "--output", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = fiches_in(root, &args);
    assert!(
        o.status.success(),
        "build of {} failed:\n{}",
        root.display(),
        stderr(&o)
    );
    (tmp, out)
}

/// Writes `bytes` to `path`, creating its folders.
pub fn write(path: &Path, bytes: &(impl AsRef<[u8]> + ?Sized)) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Writes each (path under `root`, text) of `files`.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (p, text) in files {
        write(&root.join(p), text);
    }
}

/// The findings of `fiches check --format json` (with `extra` arguments)
/// and its exit status.
pub fn check_json(root: &Path, extra: &[&str]) -> (Vec<serde_json::Value>, Option<i32>) {
    let mut args = vec!["check", "--format", "json"];
    args.extend_from_slice(extra);
    let o = fiches_in(root, &args);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o))
        .unwrap_or_else(|e| panic!("check --format json: {e}\n{}\n{}", stdout(&o), stderr(&o)));
    let items = v.as_array().unwrap_or_else(|| panic!("not an array of findings: {v}"));
    (items.clone(), o.status.code())
}

pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// A copy of a corpus's `symlink-loop` case with its links made real:
/// whether they are links already (a checkout that keeps them), plain files
/// (one that does not) or missing (this repository creates them here), they
/// are (re)created as links.
pub fn symlink_loop_site(c: &Corpus) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempdir();
    let site = tmp.path().join("site");
    copy_dir(&c.broken("symlink-loop"), &site);
    let links = c.get("broken.symlinks").as_array().unwrap().clone();
    assert!(!links.is_empty());
    for l in links {
        let (path, target) = (site.join(l[0].as_str().unwrap()), l[1].as_str().unwrap());
        if std::fs::symlink_metadata(&path).is_ok() {
            std::fs::remove_file(&path).unwrap();
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, &path).unwrap();
    }
    (tmp, site)
}

/// A corpus's `huge-sheet` case: the shared one as it is, this repository's
/// generated into a temporary folder. Returns (keep-alive, root, id, token,
/// late word).
pub fn huge_sheet_site(c: &Corpus) -> (Option<tempfile::TempDir>, PathBuf, String, String, String) {
    if c.has("broken.huge.generated") {
        let tmp = tempdir();
        let root = tmp.path().join("site");
        let size = write_huge_sheet_site(&root);
        assert!(size > 4_000_000, "{size} bytes");
        (
            Some(tmp),
            root,
            HUGE_ID.into(),
            HUGE_TOKEN.into(),
            HUGE_LATE_WORD.into(),
        )
    } else {
        (
            None,
            c.broken(&c.s("broken.huge.dir")),
            c.s("broken.huge.id"),
            c.s("broken.huge.token"),
            c.s("broken.huge.late_word"),
        )
    }
}

/// Runs `git` in `dir` as `who` (name, e-mail), at `date` when given,
/// with no user or system configuration; fails the test when git does.
pub fn git<'a>(dir: &Path, args: &[&str], who: (&str, &str), date: impl Into<Option<&'a str>>) {
    let mut cmd = Command::new("git");
    cmd.args([
        "-c",
        "commit.gpgsign=false",
        "-c",
        "init.defaultBranch=main",
        "-c",
        "protocol.file.allow=always",
    ])
    .args(args)
    .current_dir(dir)
    .env("GIT_CONFIG_GLOBAL", "/dev/null")
    .env("GIT_CONFIG_NOSYSTEM", "1")
    .env("GIT_AUTHOR_NAME", who.0)
    .env("GIT_AUTHOR_EMAIL", who.1)
    .env("GIT_COMMITTER_NAME", who.0)
    .env("GIT_COMMITTER_EMAIL", who.1);
    if let Some(date) = date.into() {
        cmd.env("GIT_AUTHOR_DATE", date).env("GIT_COMMITTER_DATE", date);
    }
    let o = cmd.output().expect("git");
    assert!(
        o.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}
