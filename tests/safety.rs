//! Hostile input and careless options: nothing outside the site reaches
//! the output, the archive or the server; `build` never deletes a folder
//! it did not write; what a killed build left is cleaned by the next one;
//! `serve` keeps answering slow, idle and oversized clients.

mod common;
use common::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const SECRET: &str = "SECRET-OUTSIDE-THE-SITE";

fn sheet(title: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n+++\n\n## Étapes\n\nTexte de la fiche {title}.\n")
}

/// A small valid site in `tmp/site`, and a folder of secrets beside it.
fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempdir();
    let root = tmp.path().join("site");
    write(&root.join("book.toml"), "[book]\ntitle = \"Site de test\"\n");
    write(
        &root.join("content/fiches/wifi/_index.md"),
        "+++\ntitle = \"Wifi\"\n+++\n",
    );
    write(
        &root.join("content/fiches/wifi/compte-invite.md"),
        &sheet("Compte invité"),
    );
    write(&root.join("static/images/logo.txt"), "logo");
    let outside = tmp.path().join("dehors");
    write(&outside.join("secret.txt"), SECRET);
    write(&outside.join("env.txt"), SECRET);
    write(&outside.join("fiche-secrete.md"), &sheet(SECRET));
    (tmp, root, outside)
}

fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--output", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    fiches_in(root, &args)
}

/// The codes of `check --format json`, with their files.
fn check_codes(root: &Path) -> Vec<(String, String)> {
    check_json(root, &[])
        .0
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["file"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A link out of the site fails `build` (no output, no zip) and `check`,
/// naming the link; `expect_file` is the file named.
fn assert_refused_link(root: &Path, expect_code: &str, expect_file: &str) {
    let tmp = tempdir();
    let out = tmp.path().join("public");
    let zip = tmp.path().join("site.zip");
    let o = build(root, &out, &["--zip", zip.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "build accepted a link out of the site:\n{err}"
    );
    assert!(
        err.contains(expect_code) && err.contains(expect_file),
        "expected {expect_code} on {expect_file}:\n{err}"
    );
    assert!(!err.contains(SECRET), "the secret is printed:\n{err}");
    assert!(!out.exists(), "output written");
    assert!(!zip.exists(), "archive written");
    let codes = check_codes(root);
    assert!(
        codes.iter().any(|(c, f)| c == expect_code && f == expect_file),
        "check misses {expect_code} on {expect_file}: {codes:?}"
    );
}

#[test]
fn static_link_to_an_outside_file_is_refused() {
    let (_t, root, outside) = site();
    symlink(outside.join("env.txt"), root.join("static/env.txt")).unwrap();
    assert_refused_link(&root, "symlink-outside", "static/env.txt");
    // Even `/proc/self/environ`, the CI job's secrets.
    std::fs::remove_file(root.join("static/env.txt")).unwrap();
    symlink("/proc/self/environ", root.join("static/env.txt")).unwrap();
    assert_refused_link(&root, "symlink-outside", "static/env.txt");
}

#[test]
fn static_link_to_an_outside_folder_is_refused() {
    let (_t, root, outside) = site();
    symlink(&outside, root.join("static/docs")).unwrap();
    assert_refused_link(&root, "symlink-outside", "static/docs");
}

#[test]
fn content_links_to_outside_folders_and_files_are_refused() {
    let (_t, root, outside) = site();
    symlink(&outside, root.join("content/fiches/x")).unwrap();
    assert_refused_link(&root, "symlink-outside", "content/fiches/x");
    std::fs::remove_file(root.join("content/fiches/x")).unwrap();
    symlink(
        outside.join("fiche-secrete.md"),
        root.join("content/fiches/wifi/secrete.md"),
    )
    .unwrap();
    assert_refused_link(&root, "symlink-outside", "content/fiches/wifi/secrete.md");
    std::fs::remove_file(root.join("content/fiches/wifi/secrete.md")).unwrap();
    // An image beside a sheet, and the list of actions.
    symlink(outside.join("secret.txt"), root.join("content/actions.toml")).unwrap();
    assert_refused_link(&root, "symlink-outside", "content/actions.toml");
}

#[test]
fn a_content_folder_that_is_a_link_out_is_refused() {
    let (t, root, _outside) = site();
    let elsewhere = t.path().join("ailleurs");
    std::fs::rename(root.join("content"), &elsewhere).unwrap();
    write(&elsewhere.join("fiches/wifi/secrete.md"), &sheet(SECRET));
    symlink(&elsewhere, root.join("content")).unwrap();
    assert_refused_link(&root, "symlink-outside", "content/fiches");
}

#[test]
fn theme_outside_the_site_is_refused() {
    let (_t, root, outside) = site();
    // An absolute theme path publishes that folder's assets.
    write(&outside.join("theme/assets/fuite.css"), SECRET);
    let theme = outside.join("theme");
    write(
        &root.join("book.toml"),
        &format!(
            "[book]\ntitle = \"Site de test\"\n\n[build]\ntheme = \"{}\"\n",
            theme.display()
        ),
    );
    assert_refused_link(&root, "theme-outside", "book.toml");
    // A relative path that climbs out.
    std::fs::create_dir_all(root.join("themes")).unwrap();
    write(
        &root.join("book.toml"),
        "[book]\ntitle = \"Site de test\"\n\n[build]\ntheme = \"../../dehors/theme\"\n",
    );
    assert_refused_link(&root, "theme-outside", "book.toml");
    // A theme of the site with a link out.
    write(
        &root.join("book.toml"),
        "[book]\ntitle = \"Site de test\"\n\n[build]\ntheme = \"maison\"\n",
    );
    write(&root.join("themes/maison/assets/site.css"), "body{}");
    symlink(outside.join("secret.txt"), root.join("themes/maison/assets/fuite.css")).unwrap();
    assert_refused_link(&root, "symlink-outside", "themes/maison/assets/fuite.css");
}

#[test]
fn book_toml_that_is_a_link_out_is_refused() {
    let (_t, root, outside) = site();
    write(&outside.join("book.toml"), &format!("[book]\ntitle = \"{SECRET}\"\n"));
    std::fs::remove_file(root.join("book.toml")).unwrap();
    symlink(outside.join("book.toml"), root.join("book.toml")).unwrap();
    let tmp = tempdir();
    let o = build(&root, &tmp.path().join("public"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("symlink-outside"), "{}", stderr(&o));
    assert!(!tmp.path().join("public").exists());
}

#[test]
fn links_inside_the_site_are_followed() {
    let (_t, root, _outside) = site();
    write(&root.join("partage/fiches/cle.md"), &sheet("Clé USB"));
    write(&root.join("partage/fichier.txt"), "dans le site");
    symlink("../../partage/fiches", root.join("content/fiches/partage")).unwrap();
    symlink("images/logo.txt", root.join("static/alias.txt")).unwrap();
    symlink("../partage", root.join("static/partage")).unwrap();
    let tmp = tempdir();
    let out = tmp.path().join("public");
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("fiches/partage/cle/index.html").is_file());
    assert_eq!(read(&out.join("alias.txt")), "logo");
    assert_eq!(read(&out.join("partage/fichier.txt")), "dans le site");
    assert!(out.join(".fiches-output").is_file(), "the output is marked");
}

/// A pool is declared in book.toml: it may lie outside the site, but a
/// link inside it may not lead out of it.
#[test]
fn pool_outside_the_site_is_allowed_but_its_links_stay_inside_it() {
    let (t, root, outside) = site();
    let pool = t.path().join("commun");
    write(&pool.join("content/fiches/impression/copieur.md"), &sheet("Copieur"));
    write(&pool.join("static/pool.txt"), "mutualisé");
    write(
        &root.join("book.toml"),
        "[book]\ntitle = \"Site de test\"\n\n[[pool]]\npath = \"../commun\"\nlabel = \"Commun\"\n",
    );
    let tmp = tempdir();
    let out = tmp.path().join("public");
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("fiches/impression/copieur/index.html").is_file());
    assert_eq!(read(&out.join("pool.txt")), "mutualisé");
    symlink(outside.join("secret.txt"), pool.join("static/fuite.txt")).unwrap();
    assert_refused_link(&root, "symlink-outside", "../commun/static/fuite.txt");
    std::fs::remove_file(pool.join("static/fuite.txt")).unwrap();
    symlink(&outside, pool.join("content/fiches/dehors")).unwrap();
    assert_refused_link(&root, "symlink-outside", "../commun/content/fiches/dehors");
}

#[test]
fn loops_are_still_reported_as_loops() {
    let (_t, root, _outside) = site();
    symlink("..", root.join("content/fiches/wifi/boucle")).unwrap();
    let tmp = tempdir();
    let o = build(&root, &tmp.path().join("public"), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("symlink-loop") && err.contains("content/fiches/wifi/boucle"),
        "{err}"
    );
}

// ---------------------------------------------------------------- output

/// Runs `fiches build` with `args` from `cwd`; it must be refused with
/// `code`, and leave the site (and `also`) exactly as they were.
fn assert_refused_output(cwd: &Path, root: &Path, args: &[&str], code: &str, also: &[&Path]) -> String {
    let before = snapshot(root);
    let others: Vec<_> = also.iter().map(|p| snapshot(p)).collect();
    let cache =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fiches-test-cache-{}", std::process::id()));
    let o = Command::new(bin())
        .current_dir(cwd)
        .args(["--root", root.to_str().unwrap(), "build"])
        .args(args)
        .env("FICHES_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{args:?} accepted:\n{err}");
    assert!(err.contains(code), "{args:?}: no {code}:\n{err}");
    assert!(
        err.contains("aide :"),
        "{args:?}: the message says how to fix it:\n{err}"
    );
    assert_eq!(snapshot(root), before, "{args:?} changed the site");
    for (p, s) in also.iter().zip(others) {
        assert_eq!(snapshot(p), s, "{args:?} changed {}", p.display());
    }
    err
}

#[test]
fn build_refuses_the_site_its_ancestors_and_its_sources_as_output() {
    let (t, root, _outside) = site();
    let r = root.to_str().unwrap();
    assert_refused_output(&root, &root, &["-o", "."], "output-refused", &[]);
    assert_refused_output(t.path(), &root, &["-o", r], "output-refused", &[]);
    let parent = format!("{r}/..");
    assert_refused_output(t.path(), &root, &["-o", &parent], "output-refused", &[]);
    assert_refused_output(t.path(), &root, &["-o", "/"], "output-refused", &[]);
    for inside in ["content", "content/fiches", "static", "themes/x", ".git"] {
        let p = root.join(inside);
        assert_refused_output(t.path(), &root, &["-o", p.to_str().unwrap()], "output-refused", &[]);
    }
    // The same from book.toml, named with its line.
    for dir in ["content", ".", "..", "static/public"] {
        write(
            &root.join("book.toml"),
            &format!("[book]\ntitle = \"Site de test\"\n\n[build]\noutput-dir = \"{dir}\"\n"),
        );
        let err = assert_refused_output(t.path(), &root, &[], "output-refused", &[]);
        assert!(err.contains("book.toml:5"), "{err}");
        // `check`, in a merge request, says it before anyone builds.
        let codes = check_codes(&root);
        assert!(
            codes.iter().any(|(c, f)| c == "output-refused" && f == "book.toml"),
            "{dir}: {codes:?}"
        );
    }
}

#[test]
fn build_refuses_a_foreign_folder_a_file_and_a_pool() {
    let (t, root, _outside) = site();
    // An absolute folder of someone else's files.
    let foreign = t.path().join("documents");
    write(&foreign.join("rapport.odt"), "important");
    assert_refused_output(
        t.path(),
        &root,
        &["-o", foreign.to_str().unwrap()],
        "output-refused",
        &[&foreign],
    );
    // A file.
    let file = t.path().join("notes.txt");
    write(&file, "notes");
    assert_refused_output(t.path(), &root, &["-o", file.to_str().unwrap()], "output-refused", &[]);
    assert_eq!(read(&file), "notes");
    // A pool, or a folder that holds one.
    let pool = t.path().join("commun");
    write(&pool.join("content/fiches/a/b.md"), &sheet("B"));
    write(
        &root.join("book.toml"),
        "[book]\ntitle = \"Site de test\"\n\n[[pool]]\npath = \"../commun\"\n",
    );
    let p = pool.join("public");
    assert_refused_output(
        t.path(),
        &root,
        &["-o", p.to_str().unwrap()],
        "output-refused",
        &[&pool],
    );
    assert_refused_output(
        t.path(),
        &root,
        &["-o", pool.to_str().unwrap()],
        "output-refused",
        &[&pool],
    );
}

#[test]
fn build_replaces_only_empty_or_fiches_folders() {
    let (t, root, _outside) = site();
    // Empty: accepted, then marked.
    let out = t.path().join("public");
    std::fs::create_dir(&out).unwrap();
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join(".fiches-output").is_file());
    // Written by fiches: replaced, stale files gone.
    write(&out.join("vieux.html"), "old");
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("vieux.html").exists());
    // An output of a version before the marker: recognised by its search index.
    std::fs::remove_file(out.join(".fiches-output")).unwrap();
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The default `public` inside the site works as before.
    let o = fiches_in(&root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(root.join("public/index.html").is_file());
    let o = fiches_in(&root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A rebuild over the last output takes the unchanged pages from it as hard
/// links (no data written, none freed when the old tree goes), never
/// writes into the old tree's files, and gives what a fresh build gives.
#[test]
fn a_rebuild_links_unchanged_pages_and_never_writes_into_the_old_tree() {
    use std::os::unix::fs::MetadataExt;
    let (t, root, _outside) = site();
    write(&root.join("content/fiches/wifi/autre.md"), &sheet("Autre fiche"));
    let out = t.path().join("public");
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Keep every file of the old tree through a link of our own.
    let kept = t.path().join("kept");
    let mut old = Vec::new();
    for (i, f) in walk(&out).into_iter().enumerate() {
        let k = kept.join(i.to_string());
        std::fs::create_dir_all(&kept).unwrap();
        std::fs::hard_link(&f, &k).unwrap();
        old.push((
            f.strip_prefix(&out).unwrap().to_path_buf(),
            k,
            std::fs::read(&f).unwrap(),
        ));
    }
    // The body only: pages that list sheets show their titles.
    let edited = format!("{}\nUn paragraphe changé.\n", sheet("Compte invité"));
    write(&root.join("content/fiches/wifi/compte-invite.md"), &edited);
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (_, k, bytes) in &old {
        assert_eq!(&std::fs::read(k).unwrap(), bytes, "{} was written into", k.display());
    }
    let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
    let of = |rel: &str| old.iter().find(|(r, _, _)| r == Path::new(rel)).unwrap();
    let unchanged = of("fiches/wifi/autre/index.html");
    assert_eq!(
        ino(&out.join(&unchanged.0)),
        ino(&unchanged.1),
        "an unchanged page is linked"
    );
    // So are the search index's files whose bytes did not change.
    let linked = old
        .iter()
        .filter(|(r, k, _)| r.starts_with("search") && out.join(r).exists() && ino(&out.join(r)) == ino(k))
        .count();
    assert!(linked > 0, "no unchanged search file is linked");
    let changed = of("fiches/wifi/compte-invite/index.html");
    assert_ne!(ino(&out.join(&changed.0)), ino(&changed.1), "a changed page is new");
    assert!(read(&out.join(&changed.0)).contains("changé"));
    // The same bytes as a build into an empty folder.
    let fresh = t.path().join("fresh");
    let o = build(&root, &fresh, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = |d: &Path| {
        let mut v: Vec<_> = walk(d)
            .into_iter()
            .map(|f| (f.strip_prefix(d).unwrap().to_path_buf(), std::fs::read(&f).unwrap()))
            .collect();
        v.sort();
        v
    };
    assert!(files(&out) == files(&fresh), "a rebuild differs from a fresh build");
    // No leftover beside the output, once the detached removal of the
    // replaced tree is done.
    let beside = || -> Vec<String> {
        std::fs::read_dir(t.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.contains("fiches-"))
            .collect()
    };
    assert!(gone_within(&beside, 20), "{:?}", beside());
}

/// Whether `list` comes back empty within `secs` seconds.
fn gone_within(list: &dyn Fn() -> Vec<String>, secs: u64) -> bool {
    let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while !list().is_empty() {
        if std::time::Instant::now() > until {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    true
}

#[test]
fn a_replaced_output_is_deleted_by_a_detached_fiches_and_nothing_else() {
    let (t, root, _outside) = site();
    let out = t.path().join("public");
    assert!(build(&root, &out, &[]).status.success());
    // The replaced tree is moved aside (`.public.fiches-old-<pid>`) and
    // deleted by a detached fiches; the new output is complete at once.
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("index.html").is_file() && out.join(".fiches-output").is_file());
    let old = || -> Vec<String> {
        std::fs::read_dir(t.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.contains("fiches-old-"))
            .collect()
    };
    assert!(gone_within(&old, 20), "{:?}", old());
    // The hidden removal deletes only a replaced output, by its name.
    let other = t.path().join("keep");
    std::fs::create_dir_all(other.join("sub")).unwrap();
    std::fs::write(other.join("sub/file.txt"), "x").unwrap();
    let remove_old = |dir: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_fiches"))
            .arg("__remove-old")
            .arg(dir)
            .output()
            .unwrap()
    };
    assert!(!remove_old(&other).status.success());
    assert!(
        other.join("sub/file.txt").is_file(),
        "a folder not named as a replaced output was deleted"
    );
    let named = t.path().join(".public.fiches-old-1");
    std::fs::create_dir_all(named.join("a/b")).unwrap();
    std::fs::write(named.join("a/b/index.html"), "x").unwrap();
    assert!(remove_old(&named).status.success() && !named.exists());
}

#[test]
fn zip_is_never_written_into_the_sources_or_over_another_file() {
    let (t, root, _outside) = site();
    let out = t.path().join("public");
    for z in [
        "content/site.zip",
        "static/site.zip",
        "content/fiches/wifi/compte-invite.md",
        "book.toml",
    ] {
        let zip = root.join(z);
        let err = assert_refused_output(
            t.path(),
            &root,
            &["-o", out.to_str().unwrap(), "--zip", zip.to_str().unwrap()],
            "zip-refused",
            &[],
        );
        assert!(!out.exists(), "{z}: output written before the refusal\n{err}");
    }
    let notes = t.path().join("notes.txt");
    write(&notes, "notes");
    assert_refused_output(
        t.path(),
        &root,
        &["-o", out.to_str().unwrap(), "--zip", notes.to_str().unwrap()],
        "zip-refused",
        &[],
    );
    assert_eq!(read(&notes), "notes");
    // Over an earlier archive: fine.
    let zip = t.path().join("site.zip");
    for _ in 0..2 {
        let o = build(&root, &out, &["--zip", zip.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
}

// ---------------------------------------------------------------- leftovers

#[test]
fn leftovers_of_a_killed_build_are_removed_by_the_next_one() {
    let (t, root, _outside) = site();
    let dir = t.path().join("livraison");
    let out = dir.join("public");
    let zip = dir.join("site.zip");
    let o = build(&root, &out, &["--zip", zip.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // What `kill -9` leaves: staging folders (before and after the process
    // id was in the name), the old tree being swapped out, the archive's
    // temporary file. 4999999 is above any Linux pid.
    let leftovers = [
        ".public.fiches-AbC123",
        ".public.fiches-4999999-XyZ789",
        ".public.fiches-old-4999999",
    ];
    for l in leftovers {
        write(&dir.join(l).join("index.html"), "partiel");
    }
    write(&dir.join(".fiches-zip-Qw3rty"), "PK");
    write(&dir.join(".fiches-zip-4999999-Qw3rty"), "PK");
    // Not ours, or not dead: kept.
    let me = std::process::id();
    let kept = [
        ".public.fiches-a-garder".to_string(),
        ".autre.fiches-AbC123".to_string(),
        format!(".public.fiches-{me}-AbC123"),
        "public.fiches-AbC123".to_string(),
    ];
    for k in &kept {
        write(&dir.join(k).join("a.txt"), "garder");
    }
    write(&dir.join(".fiches-zip-notes"), "garder");
    std::os::unix::fs::symlink(t.path().join("site"), dir.join(".public.fiches-Lnk123")).unwrap();
    let o = build(&root, &out, &["--zip", zip.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for l in leftovers {
        assert!(!dir.join(l).exists(), "{l} left behind");
    }
    assert!(!dir.join(".fiches-zip-Qw3rty").exists());
    assert!(!dir.join(".fiches-zip-4999999-Qw3rty").exists());
    for k in &kept {
        assert_eq!(read(&dir.join(k).join("a.txt")), "garder", "{k} removed");
    }
    assert_eq!(read(&dir.join(".fiches-zip-notes")), "garder");
    assert!(
        dir.join(".public.fiches-Lnk123").symlink_metadata().is_ok(),
        "a link is never followed"
    );
    assert!(root.join("book.toml").is_file());
}

/// Ctrl-C while `fiches build` writes: the staging folder, beside the
/// output (so in the site's folder, where no `.gitignore` names it), is
/// removed at once, not left for the next build; the output is untouched.
/// Enough sheets for the writing to last well after the staging folder appears.
fn add_many_sheets(root: &Path) {
    let words = "imprimante réseau salle ordinateur tablette ".repeat(60);
    for i in 0..3000 {
        write(
            &root.join(format!("content/fiches/c{}/f{i}.md", i % 20)),
            &format!("+++\ntitle = \"Fiche {i}\"\n+++\n\n## Étapes\n\n{words}\n"),
        );
    }
}

/// The entries of `dir` whose name starts with `prefix`.
fn named(dir: &Path, prefix: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(prefix))
        .collect()
}

#[test]
fn ctrl_c_during_a_build_leaves_no_staging_folder_and_the_output_intact() {
    let (_t, root, _outside) = site();
    add_many_sheets(&root);
    let out = root.join("public");
    let o = build(&root, &out, &["--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&out);
    let staging = |pid: u32| {
        std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(&format!(".public.fiches-{pid}-")))
            .collect::<Vec<_>>()
    };
    let child = Command::new(bin())
        .current_dir(&root)
        .args(["build", "--quiet", "--output", out.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let start = Instant::now();
    while staging(pid).is_empty() {
        assert!(start.elapsed() < Duration::from_secs(60), "no staging folder");
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap()
        .success());
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert!(!o.status.success(), "the build ended before Ctrl-C: {err}");
    assert_eq!(staging(pid), Vec::<String>::new(), "left in the site's folder");
    assert!(snapshot(&out) == before, "the output changed");
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert!(err.contains("Construction interrompue"), "{err}");
}

/// Ctrl-C while `fiches build --zip` writes the archive: its temporary
/// file (`.fiches-zip-<pid>-…`, beside the archive) went only at the next
/// build, and the output had already been replaced. Now the archive is made
/// from the staging folder before the swap: both temporary things go, and
/// the previous output and archive stay as they were.
#[test]
fn ctrl_c_while_the_archive_is_written_leaves_the_output_and_archive_intact() {
    let (t, root, _outside) = site();
    add_many_sheets(&root);
    let out = root.join("public");
    let dir = t.path().join("livraison");
    let zip = dir.join("site.zip");
    let args = [
        "build",
        "--quiet",
        "--output",
        out.to_str().unwrap(),
        "--zip",
        zip.to_str().unwrap(),
    ];
    let o = fiches_in(&root, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&out);
    let archive = std::fs::read(&zip).unwrap();
    // A change, so that a new output would differ.
    write(&root.join("content/fiches/c0/f0.md"), &sheet("Fiche changée"));
    let child = Command::new(bin())
        .current_dir(&root)
        .args(args)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let zip_tmp = format!(".fiches-zip-{pid}-");
    let start = Instant::now();
    while named(&dir, &zip_tmp).is_empty() {
        assert!(start.elapsed() < Duration::from_secs(120), "no archive written");
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap()
        .success());
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(130), "{err}");
    assert_eq!(
        named(&dir, ".fiches-zip-"),
        Vec::<String>::new(),
        "left beside the archive"
    );
    assert_eq!(
        named(&root, ".public.fiches-"),
        Vec::<String>::new(),
        "left in the site's folder"
    );
    assert!(snapshot(&out) == before, "the output changed");
    assert!(std::fs::read(&zip).unwrap() == archive, "the archive changed");
    assert!(
        err.contains("le dossier de sortie et l'archive n'ont pas été modifiés"),
        "{err}"
    );
}

/// `check` writes the site into a temporary folder of the system (the
/// offline budget, templates failing on a page): Ctrl-C removes it.
#[test]
fn ctrl_c_during_a_check_leaves_nothing_in_the_temporary_folder() {
    let (t, root, _outside) = site();
    add_many_sheets(&root);
    let tmp = t.path().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let child = Command::new(bin())
        .current_dir(&root)
        .arg("check")
        .env("TMPDIR", &tmp)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let start = Instant::now();
    while named(&tmp, &format!(".check.fiches-{pid}-")).is_empty() {
        assert!(start.elapsed() < Duration::from_secs(60), "no temporary folder");
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap()
        .success());
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(130),
        "the check ended before Ctrl-C: {}",
        stderr(&o)
    );
    assert_eq!(named(&tmp, ""), Vec::<String>::new(), "left in the temporary folder");
}

/// An archive inside the output folder is part of the new output, not of
/// the old one moved aside, and does not hold itself.
#[test]
fn an_archive_inside_the_output_is_written_with_it() {
    let (_t, root, _outside) = site();
    let out = root.join("public");
    let zip = out.join("site.zip");
    for _ in 0..2 {
        let o = build(&root, &out, &["--zip", zip.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        let bytes = std::fs::read(&zip).unwrap();
        let names = String::from_utf8_lossy(&bytes);
        assert!(
            names.contains("index.html") && !names.contains("site.zip"),
            "{}",
            bytes.len()
        );
    }
    // The replaced output (`.public.fiches-old-…`) goes in the background.
    let staged: Vec<String> = named(&root, ".public.fiches-")
        .into_iter()
        .filter(|n| !n.contains("fiches-old-"))
        .collect();
    assert_eq!(staged, Vec::<String>::new());
    assert_eq!(named(&out, ".fiches-zip-"), Vec::<String>::new());
}

// ---------------------------------------------------------------- serve

#[test]
fn serve_never_serves_a_link_out_of_the_site() {
    let (_t, root, outside) = site();
    symlink(outside.join("env.txt"), root.join("static/env.txt")).unwrap();
    symlink(&outside, root.join("static/docs")).unwrap();
    let s = serve_at(&root, None, &[]);
    for p in ["/env.txt", "/docs/secret.txt"] {
        let r = s.get(p);
        let (status, body) = (r.status, r.text());
        assert!(!body.contains(SECRET), "{p} → {status}: leaked");
        assert_ne!(status, 200, "{p}");
    }
    let status = s.get("/__fiches/status").text();
    assert!(status.contains("symlink-outside"), "{status}");
    // Fixed: the site is served; a link added while serving is refused too.
    std::fs::remove_file(root.join("static/env.txt")).unwrap();
    std::fs::remove_file(root.join("static/docs")).unwrap();
    let end = Instant::now() + Duration::from_secs(30);
    while s.get("/").status != 200 {
        assert!(Instant::now() < end, "never rebuilt:\n{}", s.stderr());
        std::thread::sleep(Duration::from_millis(200));
    }
    symlink(outside.join("secret.txt"), root.join("static/tard.txt")).unwrap();
    symlink(&outside, root.join("static/dossier")).unwrap();
    symlink(&outside, root.join("content/fiches/dehors")).unwrap();
    let end = Instant::now() + Duration::from_secs(30);
    loop {
        for p in ["/tard.txt", "/dossier/secret.txt", "/fiches/dehors/fiche-secrete/"] {
            let r = s.get(p);
            let (status, body) = (r.status, r.text());
            assert!(!body.contains(SECRET), "{p} → {status}: leaked");
        }
        if s.get("/__fiches/status").text().contains("symlink-outside") {
            break;
        }
        assert!(Instant::now() < end, "link not reported:\n{}", s.stderr());
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A served site with one large static file.
fn big_site() -> (tempfile::TempDir, PathBuf) {
    let (t, root, _outside) = site();
    let f = std::fs::File::create(root.join("static/gros.bin")).unwrap();
    f.set_len(48 * 1024 * 1024).unwrap();
    (t, root)
}

#[test]
fn slow_readers_do_not_starve_other_requests() {
    let (_t, root) = big_site();
    let s = serve_at(&root, None, &[]);
    assert_eq!(s.get("/").status, 200);
    // Eight clients ask for the large file and read almost nothing.
    let mut slow = Vec::new();
    for _ in 0..8 {
        let mut c = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
        c.write_all(b"GET /gros.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        let mut first = [0u8; 16];
        c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        c.read_exact(&mut first).unwrap();
        assert!(first.starts_with(b"HTTP/1.1 200"));
        slow.push(c);
    }
    std::thread::sleep(Duration::from_millis(500));
    for path in ["/", "/fiches/wifi/compte-invite/", "/images/logo.txt"] {
        let t = Instant::now();
        let status = s.get(path).status;
        assert_eq!(status, 200, "{path}");
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "{path} took {:?} behind slow readers",
            t.elapsed()
        );
    }
    drop(slow);
}

#[test]
fn idle_and_half_open_connections_time_out() {
    let (_t, root, _outside) = site();
    let s = serve_at(&root, None, &[]);
    let closes = |send: &'static [u8]| {
        let port = s.port;
        std::thread::spawn(move || {
            let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
            c.write_all(send).unwrap();
            c.set_read_timeout(Some(Duration::from_secs(40))).unwrap();
            let t = Instant::now();
            let mut buf = Vec::new();
            let r = c.read_to_end(&mut buf);
            (r.is_ok(), t.elapsed(), String::from_utf8_lossy(&buf).into_owned())
        })
    };
    let silent = closes(b"");
    let half = closes(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    let kept_alive = closes(b"GET /images/logo.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    for (name, h) in [("silent", silent), ("half-open", half), ("keep-alive", kept_alive)] {
        let (closed, took, body) = h.join().unwrap();
        assert!(closed, "{name}: still open after {took:?}");
        assert!(took < Duration::from_secs(30), "{name}: closed after {took:?}");
        if name == "keep-alive" {
            assert!(body.ends_with("logo"), "{body}");
        }
    }
    assert_eq!(s.get("/").status, 200);
}

#[test]
fn oversized_requests_get_413_and_431() {
    let (_t, root, _outside) = site();
    let s = serve_at(&root, None, &[]);
    let t = Duration::from_secs(20);
    let (status, _) = raw_request(
        s.port,
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\n\r\nxxxx",
        t,
    );
    assert_eq!(status, 413);
    let (status, _) = raw_request(
        s.port,
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50000000\r\n\r\n",
        t,
    );
    assert_eq!(status, 413);
    let big = format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Grand: {}\r\n\r\n",
        "a".repeat(40 * 1024)
    );
    let (status, _) = raw_request(s.port, big.as_bytes(), t);
    assert_eq!(status, 431);
    let many: String = (0..500).map(|i| format!("X-{i}: v\r\n")).collect();
    let (status, _) = raw_request(
        s.port,
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n{many}\r\n").as_bytes(),
        t,
    );
    assert_eq!(status, 431);
    // Still answering, with a small body allowed.
    assert_eq!(s.get("/").status, 200);
}
