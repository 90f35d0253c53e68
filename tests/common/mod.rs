//! Shared helpers for the integration tests: the real `fiches` binary, the
//! shared corpus (read-only: copy before changing), temporary folders.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn shared() -> PathBuf {
    if let Some(p) = std::env::var_os("FICHES_SHARED") {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("shared")
}

pub fn college() -> PathBuf {
    shared().join("corpus").join("college")
}

pub fn broken(case: &str) -> PathBuf {
    shared().join("corpus").join("broken").join(case)
}

pub fn demo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fiches"))
}

/// Runs `fiches` with a private cache folder so tests never share state.
pub fn fiches(args: &[&str]) -> Output {
    let cache = std::env::temp_dir().join(format!("fiches-test-cache-{}", std::process::id()));
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

/// Copies a tree (files and folders; the corpus keeps no real symlinks).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        let ft = e.file_type().unwrap();
        if ft.is_dir() {
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

pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// A copy of the `symlink-loop` case with its links made real: the corpus
/// stores them as plain files.
pub fn symlink_loop_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempdir();
    let site = tmp.path().join("site");
    copy_dir(&broken("symlink-loop"), &site);
    let wifi = site.join("content/fiches/wifi");
    let a = site.join("content/fiches/a");
    std::fs::remove_file(wifi.join("boucle")).unwrap();
    std::fs::remove_file(a.join("encore")).unwrap();
    std::os::unix::fs::symlink("..", wifi.join("boucle")).unwrap();
    std::os::unix::fs::symlink("../a", a.join("encore")).unwrap();
    (tmp, site)
}
