//! Real repositories built with the `git` CLI, with fixed dates and authors.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use fiches_git::{changed_since, file_time, History};

const ALICE: (&str, &str) = ("Alice Martin", "alice@example.org");
const BOB: (&str, &str) = ("Bob Durand", "bob@example.org");
const CAROL: (&str, &str) = ("Carol Petit", "carol@example.org");

/// Base of the fixture dates (2024-01-01T00:00:00Z), so that `T + n` reads as "day n".
const T: i64 = 1_704_067_200;
const DAY: i64 = 86_400;

fn git_command(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        // Isolate from the user's and the system's configuration.
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .args(["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"]);
    cmd
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_command(dir).args(args).output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

struct Repo {
    _tmp: tempfile::TempDir,
    path: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("repo");
        std::fs::create_dir(&path).unwrap();
        git(&path, &["init", "-q"]);
        Repo { _tmp: tmp, path }
    }

    fn write(&self, rel: &str, content: &str) -> &Self {
        let p = self.path.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
        self
    }

    fn git(&self, args: &[&str]) -> String {
        git(&self.path, args)
    }

    /// Commits everything with `who` as author and committer at `time`.
    fn commit(&self, who: (&str, &str), time: i64, msg: &str) {
        self.git(&["add", "-A"]);
        self.git_as(who, time, &["commit", "-q", "-m", msg]);
    }

    fn git_as(&self, (name, email): (&str, &str), time: i64, args: &[&str]) -> String {
        let date = format!("{time} +0100");
        let out = git_command(&self.path)
            .env("GIT_AUTHOR_NAME", name)
            .env("GIT_AUTHOR_EMAIL", email)
            .env("GIT_COMMITTER_NAME", name)
            .env("GIT_COMMITTER_EMAIL", email)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

fn contributors(h: &History, rel: &str) -> Vec<String> {
    h.get(Path::new(rel)).unwrap().contributors.clone()
}

fn last_change(h: &History, rel: &str) -> i64 {
    h.get(Path::new(rel)).unwrap().last_change.unwrap()
}

fn commits(h: &History, rel: &str) -> usize {
    h.get(Path::new(rel)).unwrap().commits
}

#[test]
fn two_authors_dates_and_contributor_order() {
    let r = Repo::new();
    r.write("content/a.md", "a1")
        .write("content/b.md", "b1")
        .write("content/c.md", "c1");
    r.commit(ALICE, T, "initial");
    r.write("content/a.md", "a2");
    r.commit(BOB, T + DAY, "bob edits a");
    r.write("content/a.md", "a3").write("content/b.md", "b2");
    r.commit(BOB, T + 2 * DAY, "bob edits a and b");
    r.write("content/c.md", "c2");
    r.commit(CAROL, T + 3 * DAY, "carol edits c");

    let h = History::load(&r.path);
    assert!(h.is_repository());
    assert!(!h.is_shallow());
    assert_eq!(h.warning(), None);
    assert_eq!(h.len(), 3);

    assert_eq!(last_change(&h, "content/a.md"), T + 2 * DAY);
    assert_eq!(contributors(&h, "content/a.md"), ["Bob Durand", "Alice Martin"]);
    assert_eq!(commits(&h, "content/a.md"), 3);

    // Ties: alphabetical order.
    assert_eq!(last_change(&h, "content/b.md"), T + 2 * DAY);
    assert_eq!(contributors(&h, "content/b.md"), ["Alice Martin", "Bob Durand"]);
    assert_eq!(contributors(&h, "content/c.md"), ["Alice Martin", "Carol Petit"]);
    assert_eq!(last_change(&h, "content/c.md"), T + 3 * DAY);

    // Platform separators and `./` are accepted.
    assert!(h.get(&Path::new(".").join("content").join("a.md")).is_some());
    assert!(h.get(Path::new("content")).is_none());
}

#[test]
fn added_then_modified_and_uncommitted_files() {
    let r = Repo::new();
    r.write("a.md", "x");
    r.commit(ALICE, T, "init");
    r.write("new.md", "1");
    r.commit(BOB, T + DAY, "add new");
    r.write("new.md", "2");
    r.commit(BOB, T + 5 * DAY, "modify new");
    // Uncommitted: a modification, a staged new file, an untracked file.
    r.write("new.md", "3")
        .write("staged.md", "s")
        .write("untracked.md", "u");
    r.git(&["add", "staged.md"]);

    let h = History::load(&r.path);
    let new = h.get(Path::new("new.md")).unwrap();
    assert_eq!(
        new.last_change,
        Some(T + 5 * DAY),
        "uncommitted changes keep the last commit"
    );
    assert_eq!(new.commits, 2);
    assert_eq!(new.contributors, ["Bob Durand"]);
    assert_eq!(last_change(&h, "a.md"), T);
    assert!(h.get(Path::new("staged.md")).is_none());
    assert!(h.get(Path::new("untracked.md")).is_none());
    assert!(file_time(&r.path.join("untracked.md")).is_some());
}

#[test]
fn deleted_file_has_no_entry() {
    let r = Repo::new();
    r.write("keep.md", "k").write("gone.md", "g");
    r.commit(ALICE, T, "init");
    r.git(&["rm", "-q", "gone.md"]);
    r.commit(BOB, T + DAY, "delete");

    let h = History::load(&r.path);
    assert!(h.get(Path::new("gone.md")).is_none());
    assert_eq!(last_change(&h, "keep.md"), T);
    assert_eq!(h.len(), 1);
}

#[test]
fn site_root_in_a_subfolder() {
    let r = Repo::new();
    r.write("README.md", "r")
        .write("docs/site/content/fiches/wifi/compte-invite.md", "w1")
        .write("docs/site/config.toml", "c")
        .write("docs/other/x.md", "x");
    r.commit(ALICE, T, "init");
    r.write("docs/site/content/fiches/wifi/compte-invite.md", "w2");
    r.commit(BOB, T + DAY, "wifi");
    // Outside the site: must not be seen, nor change anything inside.
    r.write("README.md", "r2").write("docs/other/x.md", "x2");
    r.commit(CAROL, T + 2 * DAY, "outside");

    let h = History::load(&r.path.join("docs/site"));
    assert!(h.is_repository());
    assert_eq!(h.len(), 2);
    let wifi = "content/fiches/wifi/compte-invite.md";
    assert_eq!(last_change(&h, wifi), T + DAY);
    assert_eq!(contributors(&h, wifi), ["Alice Martin", "Bob Durand"]);
    assert_eq!(last_change(&h, "config.toml"), T);
    assert!(h.get(Path::new("README.md")).is_none());
    assert!(h.get(Path::new("docs/site/config.toml")).is_none());

    // A relative, non-canonical site root works too.
    let h2 = History::load(&r.path.join("docs/other/../site/."));
    assert_eq!(last_change(&h2, wifi), T + DAY);

    // A site root that is not tracked at all: a repository, but no history.
    std::fs::create_dir_all(r.path.join("untracked-site")).unwrap();
    let h3 = History::load(&r.path.join("untracked-site"));
    assert!(h3.is_repository());
    assert!(h3.is_empty());
    assert!(h3.warning().unwrap().contains("versionné"));
}

#[test]
fn not_a_repository() {
    let tmp = tempfile::tempdir().unwrap();
    // Stop discovery at the temp dir in case it lives inside a repository.
    let dir = tmp.path().join("site");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a.md"), "a").unwrap();
    let h = History::load(&dir);
    if h.is_repository() {
        eprintln!("skipped: the temp dir is inside a git repository");
        return;
    }
    assert!(h.is_empty());
    assert!(!h.is_shallow());
    assert!(h.warning().is_some());
    assert!(h.get(Path::new("a.md")).is_none());
    let t = file_time(&dir.join("a.md")).unwrap();
    assert!(t > T);
    assert_eq!(file_time(&dir.join("missing.md")), None);
}

#[test]
fn empty_repository() {
    let r = Repo::new();
    r.write("a.md", "a");
    let h = History::load(&r.path);
    assert!(h.is_repository());
    assert!(h.is_empty());
    assert!(h.warning().is_some());
}

#[test]
fn detached_head() {
    let r = Repo::new();
    r.write("a.md", "1");
    r.commit(ALICE, T, "one");
    r.write("a.md", "2").write("b.md", "b");
    r.commit(BOB, T + DAY, "two");
    r.git(&["checkout", "-q", "--detach", "HEAD~1"]);

    let h = History::load(&r.path);
    assert_eq!(last_change(&h, "a.md"), T);
    assert_eq!(contributors(&h, "a.md"), ["Alice Martin"]);
    assert!(h.get(Path::new("b.md")).is_none());
}

#[test]
fn merge_commits_are_not_attributed() {
    let r = Repo::new();
    r.write("a.md", "a1").write("b.md", "b1");
    r.commit(ALICE, T, "init");
    r.git(&["checkout", "-q", "-b", "feature"]);
    r.write("b.md", "b2");
    r.commit(BOB, T + DAY, "bob on branch");
    r.write("b.md", "b3");
    r.commit(BOB, T + 2 * DAY, "bob again");
    r.git(&["checkout", "-q", "main"]);
    r.write("a.md", "a2");
    r.commit(ALICE, T + 3 * DAY, "alice on main");
    r.git_as(
        CAROL,
        T + 4 * DAY,
        &["merge", "-q", "--no-ff", "-m", "merge", "feature"],
    );
    assert_eq!(r.git(&["rev-list", "--merges", "HEAD"]).lines().count(), 1);

    let h = History::load(&r.path);
    // Branch work keeps its own authors and dates; the merger gets nothing.
    assert_eq!(last_change(&h, "b.md"), T + 2 * DAY);
    assert_eq!(contributors(&h, "b.md"), ["Bob Durand", "Alice Martin"]);
    assert_eq!(commits(&h, "b.md"), 3);
    assert_eq!(last_change(&h, "a.md"), T + 3 * DAY);
    assert_eq!(contributors(&h, "a.md"), ["Alice Martin"]);
    assert_eq!(commits(&h, "a.md"), 2);
    // Same as git's own answer.
    let git_date: i64 = r
        .git(&["log", "-1", "--format=%ct", "--", "b.md"])
        .trim()
        .parse()
        .unwrap();
    assert_eq!(git_date, T + 2 * DAY);
}

#[test]
fn shallow_clone_uses_the_boundary_commit() {
    let r = Repo::new();
    r.write("site/old.md", "o").write("site/a.md", "a1");
    r.commit(ALICE, T, "init");
    r.write("site/a.md", "a2");
    r.commit(BOB, T + DAY, "a2");
    r.write("site/new.md", "n");
    r.commit(CAROL, T + 2 * DAY, "new");

    let tmp = tempfile::tempdir().unwrap();
    let url = format!("file://{}", r.path.display());
    git(tmp.path(), &["clone", "-q", "--depth", "1", &url, "clone"]);
    let clone = tmp.path().join("clone");

    let h = History::load(&clone.join("site"));
    assert!(h.is_repository());
    assert!(h.is_shallow());
    assert!(h.warning().is_some());
    for f in ["old.md", "a.md", "new.md"] {
        assert_eq!(last_change(&h, f), T + 2 * DAY, "{f}");
        assert_eq!(contributors(&h, f), ["Carol Petit"], "{f}");
        assert_eq!(commits(&h, f), 1, "{f}");
    }

    // Deeper: what changed after the boundary is exact.
    git(&clone, &["fetch", "-q", "--deepen", "1"]);
    let h = History::load(&clone.join("site"));
    assert!(h.is_shallow());
    assert_eq!(last_change(&h, "new.md"), T + 2 * DAY);
    assert_eq!(contributors(&h, "new.md"), ["Carol Petit"]);
    assert_eq!(last_change(&h, "a.md"), T + DAY);
    assert_eq!(contributors(&h, "a.md"), ["Bob Durand"]);
    assert_eq!(last_change(&h, "old.md"), T + DAY);

    // Fully fetched: no longer shallow, exact history.
    git(&clone, &["fetch", "-q", "--unshallow"]);
    let h = History::load(&clone.join("site"));
    assert!(!h.is_shallow());
    assert_eq!(h.warning(), None);
    assert_eq!(last_change(&h, "old.md"), T);
    assert_eq!(contributors(&h, "a.md"), ["Alice Martin", "Bob Durand"]);
}

#[test]
fn mailmap_merges_names() {
    let r = Repo::new();
    r.write("a.md", "1");
    r.commit(("alice", "alice@old.example"), T, "one");
    r.write("a.md", "2");
    r.commit(ALICE, T + DAY, "two");
    r.write("a.md", "3");
    r.commit(BOB, T + 2 * DAY, "three");
    r.write(".mailmap", "Alice Martin <alice@example.org> <alice@old.example>\n");

    let h = History::load(&r.path);
    assert_eq!(contributors(&h, "a.md"), ["Alice Martin", "Bob Durand"]);
}

#[test]
fn moved_directories_and_file_replaced_by_directory() {
    let r = Repo::new();
    r.write("site/a/one.md", "1")
        .write("site/a/deep/two.md", "2")
        .write("site/x", "file");
    r.commit(ALICE, T, "init");
    r.git(&["mv", "site/a", "site/b"]);
    r.git(&["rm", "-q", "site/x"]);
    r.write("site/x/inside.md", "now a directory");
    r.commit(BOB, T + DAY, "move a to b, x becomes a directory");

    let h = History::load(&r.path.join("site"));
    assert_eq!(h.len(), 3);
    // Not rename-aware: a moved file starts a new history.
    assert_eq!(contributors(&h, "b/deep/two.md"), ["Bob Durand"]);
    assert_eq!(last_change(&h, "b/one.md"), T + DAY);
    assert_eq!(last_change(&h, "x/inside.md"), T + DAY);
    assert!(h.get(Path::new("a/one.md")).is_none());
    assert!(h.get(Path::new("x")).is_none());
}

/// A pseudo-random history with branches, merges, deletions and moves,
/// checked file by file against `git log --no-merges --full-history`, which
/// lists exactly the non-merge commits that changed a file relative to their
/// parent: the semantics of `History`.
#[test]
fn agrees_with_git_log_on_a_branchy_history() {
    let r = Repo::new();
    let mut seed: u64 = 7;
    let mut rand = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let people = [ALICE, BOB, CAROL];
    let file = |i: usize| format!("site/d{}/f{i}.md", i % 4);
    for i in 0..12 {
        r.write(&file(i), "init");
    }
    r.write("outside.md", "o");
    r.commit(ALICE, T, "init");
    let mut time = T;
    let mut next_file = 12;
    for step in 0..40 {
        time += 3600;
        let who = people[rand(3)];
        match rand(6) {
            0 => {
                // A branch editing even files while main edits odd ones.
                r.git(&["checkout", "-q", "-b", "topic"]);
                for k in 0..2 {
                    r.write(&file(2 * rand(6)), &format!("branch {step} {k}"));
                    r.commit(people[rand(3)], time + k, "branch work");
                }
                r.git(&["checkout", "-q", "main"]);
                r.write(&file(2 * rand(6) + 1), &format!("main {step}"));
                r.commit(who, time + 10, "main work");
                r.git_as(who, time + 20, &["merge", "-q", "--no-ff", "-m", "merge", "topic"]);
                r.git(&["branch", "-q", "-D", "topic"]);
            }
            1 => {
                r.write(&file(next_file), "new");
                next_file += 1;
                r.commit(who, time, "add");
            }
            2 => {
                let victim = file(rand(next_file));
                if r.path.join(&victim).exists() {
                    r.git(&["rm", "-q", &victim]);
                    r.commit(who, time, "delete");
                }
            }
            3 => {
                r.write("outside.md", &format!("outside {step}"));
                r.commit(who, time, "outside the site");
            }
            _ => {
                let f = file(rand(next_file));
                r.write(&f, &format!("edit {step}"));
                r.commit(who, time, "edit");
            }
        }
    }

    let merges = r.git(&["rev-list", "--merges", "HEAD"]).lines().count();
    assert!(merges >= 3, "only {merges} merges: change the seed");
    let h = History::load(&r.path.join("site"));
    let tracked = r.git(&["ls-files", "site"]);
    assert_eq!(h.len(), tracked.lines().count());
    for path in tracked.lines() {
        let log = r.git(&["log", "--no-merges", "--full-history", "--format=%ct %an", "--", path]);
        let mut counts: Vec<(String, usize)> = Vec::new();
        let mut newest = 0;
        for line in log.lines() {
            let (t, name) = line.split_once(' ').unwrap();
            newest = newest.max(t.parse().unwrap());
            match counts.iter_mut().find(|(n, _)| n == name) {
                Some((_, c)) => *c += 1,
                None => counts.push((name.to_string(), 1)),
            }
        }
        counts.sort_by(|(a, n), (b, m)| m.cmp(n).then_with(|| a.cmp(b)));
        let rel = path.strip_prefix("site/").unwrap();
        let got = h.get(Path::new(rel)).unwrap_or_else(|| panic!("no history for {rel}"));
        assert_eq!(got.last_change, Some(newest), "{rel}");
        assert_eq!(got.commits, log.lines().count(), "{rel}");
        let names: Vec<String> = counts.into_iter().map(|(n, _)| n).collect();
        assert_eq!(got.contributors, names, "{rel}");
    }
}

/// `changed_since` also lists what the working copy changes since `HEAD`
/// (a referent checks before committing): modified, staged, deleted and
/// untracked files, not the ignored ones (`.gitignore` above the site, in
/// it, `info/exclude`), nor the folders skipped, nor a file only touched.
#[test]
fn changed_since_sees_the_working_tree() {
    let r = Repo::new();
    r.write(".gitignore", "/aide/public/\n*.bak\n")
        .write("aide/content/fiches/a/modifiee.md", "un\n")
        .write("aide/content/fiches/a/indexee.md", "un\n")
        .write("aide/content/fiches/a/supprimee.md", "un\n")
        .write("aide/content/fiches/a/touchee.md", "un\n")
        .write("aide/content/fiches/a/intacte.md", "un\n")
        .write("aide/content/fiches/.gitignore", "brouillons/\n!garde.bak\n")
        .write("aide/content/fiches/brouillons/suivie.md", "un\n")
        .write("ailleurs/hors-site.md", "un\n");
    r.git(&["add", "-f", "aide/content/fiches/brouillons/suivie.md"]);
    r.commit(ALICE, T, "site");
    r.write("aide/content/fiches/a/commitee.md", "deux\n");
    r.commit(ALICE, T + DAY, "demande");

    r.write("aide/content/fiches/a/modifiee.md", "deux\n")
        .write("aide/content/fiches/a/indexee.md", "deux\n")
        .write("aide/content/fiches/a/nouvelle.md", "un\n")
        .write("aide/content/fiches/a/ajoutee.md", "un\n")
        .write("aide/content/fiches/a/vieux.bak", "un\n")
        .write("aide/content/fiches/a/garde.bak", "un\n")
        .write("aide/content/fiches/brouillons/suivie.md", "deux\n")
        .write("aide/content/fiches/brouillons/nouveau.md", "un\n")
        .write("aide/public/index.html", "un\n")
        .write("aide/sortie/index.html", "un\n")
        .write("aide/info-exclue.md", "un\n")
        .write("ailleurs/hors-site.md", "deux\n");
    // A pool that is a repository of its own: its files are not the site's.
    r.write("aide/commun/content/fiches/b/x.md", "un\n");
    git(&r.path.join("aide/commun"), &["init", "-q"]);
    r.git(&[
        "add",
        "aide/content/fiches/a/indexee.md",
        "aide/content/fiches/a/ajoutee.md",
    ]);
    std::fs::remove_file(r.path.join("aide/content/fiches/a/supprimee.md")).unwrap();
    std::fs::write(r.path.join(".git/info/exclude"), "info-exclue.md\n").unwrap();
    // Same content, another time: not a change.
    let touched = std::fs::File::options()
        .write(true)
        .open(r.path.join("aide/content/fiches/a/touchee.md"))
        .unwrap();
    touched
        .set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
        .unwrap();
    drop(touched);

    let site = r.path.join("aide");
    let got = changed_since(&site, "HEAD~1", &[&site.join("sortie")]).unwrap();
    assert_eq!(
        got,
        [
            "content/fiches/a/ajoutee.md",
            "content/fiches/a/commitee.md",
            "content/fiches/a/garde.bak",
            "content/fiches/a/indexee.md",
            "content/fiches/a/modifiee.md",
            "content/fiches/a/nouvelle.md",
            "content/fiches/a/supprimee.md",
            // Tracked, under an ignored folder: git still follows it.
            "content/fiches/brouillons/suivie.md",
        ]
    );
    // Without the skipped folder, it is an untracked one like any other.
    let got = changed_since(&site, "HEAD", &[]).unwrap();
    assert!(got.contains(&"sortie/index.html".to_string()), "{got:?}");
    assert!(!got.contains(&"content/fiches/a/commitee.md".to_string()), "{got:?}");
}

/// Builds a repository of 10,000 files and 2,000 commits with `git fast-import`
/// and times `History::load`. Run with:
/// `cargo test -p fiches-git --release -- --ignored --nocapture big_repository`
#[test]
#[ignore]
fn big_repository() {
    const FILES: usize = 10_000;
    const COMMITS: usize = 2_000;
    let r = Repo::new();
    let mut stream = String::new();
    let mut seed: u64 = 42;
    let mut rand = move || {
        // xorshift: deterministic, no dependency.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let authors = [
        "Alice Martin",
        "Bob Durand",
        "Carol Petit",
        "David Roux",
        "Élodie Moreau",
    ];
    for c in 0..COMMITS {
        let who = authors[c % authors.len()];
        let time = T + c as i64 * 3600;
        stream += &format!(
            "commit refs/heads/main\ncommitter {who} <x@example.org> {time} +0100\ndata <<EOF\ncommit {c}\nEOF\n"
        );
        if c == 0 {
            for f in 0..FILES {
                let body = format!("# Fiche {f}\n\nContenu initial.\n");
                stream += &format!("M 644 inline {}\ndata {}\n{body}\n", file_name(f), body.len());
            }
        } else {
            for _ in 0..5 {
                let f = rand() as usize % FILES;
                let body = format!("# Fiche {f}\n\nRévision {c}.\n");
                stream += &format!("M 644 inline {}\ndata {}\n{body}\n", file_name(f), body.len());
            }
        }
    }
    let mut child = git_command(&r.path)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stream.as_bytes()).unwrap();
    assert!(child.wait().unwrap().success());
    r.git(&["repack", "-adq"]);
    r.git(&["checkout", "-q", "-f", "main"]);

    let start = Instant::now();
    let h = History::load(&r.path);
    let elapsed = start.elapsed();
    println!("{FILES} files, {COMMITS} commits: History::load took {elapsed:?}");
    assert_eq!(h.len(), FILES);
    assert_eq!(h.warning(), None);
    let sample = file_name(FILES - 1);
    let expected: i64 = r
        .git(&["log", "-1", "--format=%ct", "--", &sample])
        .trim()
        .parse()
        .unwrap();
    assert_eq!(last_change(&h, &sample), expected);
    assert!(elapsed.as_secs() < 10, "too slow: {elapsed:?}");

    // `check --changed-since`: the working copy compared with `HEAD`,
    // first with the index's times matching and not racy (no file read:
    // the index written a second after the checkout), then with every
    // file's time changed (every file read and hashed).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    r.git(&["update-index", "-q", "--really-refresh"]);
    let start = Instant::now();
    let changed = changed_since(&r.path, "HEAD~1", &[]).unwrap();
    println!(
        "{FILES} files: changed_since, clean working copy, took {:?}",
        start.elapsed()
    );
    assert!(!changed.is_empty() && changed.len() <= 5, "{changed:?}");
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    for f in 0..FILES {
        let file = std::fs::File::options()
            .write(true)
            .open(r.path.join(file_name(f)))
            .unwrap();
        file.set_modified(later).unwrap();
    }
    let start = Instant::now();
    let again = changed_since(&r.path, "HEAD~1", &[]).unwrap();
    println!(
        "{FILES} files: changed_since, every file touched, took {:?}",
        start.elapsed()
    );
    assert_eq!(again, changed);
}

fn file_name(f: usize) -> String {
    format!("content/fiches/d{:03}/fiche-{f:05}.md", f / 100)
}
