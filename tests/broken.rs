//! Every bad-input case, of this repository (tests/fixtures/broken) and of
//! the shared corpus when present: the diagnostic's code, file and line
//! (the contract of docs/check.md, not its French wording), a non-zero
//! exit, `check` says the same as `build`, and a previous good output is
//! left exactly as it was.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// Builds the corpus's good site into `out`, then the broken `root` into
/// the same folder, and returns the failing run's stderr.
fn fails_and_keeps_output(c: &Corpus, root: &Path) -> String {
    let tmp = tempdir();
    let out = tmp.path().join("public");
    let good = fiches_in(&c.root, &["build", "--output", out.to_str().unwrap()]);
    assert!(good.status.success(), "{}", stderr(&good));
    let before = snapshot(&out);
    assert!(!before.is_empty());
    let bad = fiches_in(root, &["build", "--output", out.to_str().unwrap()]);
    let err = stderr(&bad);
    assert_eq!(bad.status.code(), Some(1), "expected failure, got: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "panic: {err}"
    );
    assert_eq!(snapshot(&out), before, "previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "temporary folders left behind: {leftovers:?}");
    // Without a previous output, nothing is created.
    let fresh = tmp.path().join("fresh");
    let again = fiches_in(root, &["build", "--output", fresh.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(!fresh.exists(), "a failed build created its output folder");
    // `check` reports the same, and writes nothing.
    let check = fiches_in(root, &["check"]);
    assert_eq!(check.status.code(), Some(1));
    let cerr = stderr(&check);
    let errors: Vec<&str> = err.lines().filter(|l| l.contains("erreur[")).collect();
    assert!(!errors.is_empty(), "no diagnostic line: {err}");
    for line in errors {
        assert!(cerr.contains(line.trim()), "check misses `{line}`:\n{cerr}");
    }
    err
}

/// The findings of `check --format json`.
fn findings(root: &Path) -> Vec<Value> {
    let o = fiches_in(root, &["check", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("json: {e}\n{}", stderr(&o)));
    v.as_array().unwrap().clone()
}

/// Runs one case of every corpus: exactly one error, with the code, file
/// and line of corpora.json, naming what it names; the human output
/// carries `file:line` and `erreur[code]`.
fn case(name: &str) {
    for c in corpora() {
        let root = c.broken(name);
        let what = format!("{} / {name}", c.name);
        let err = fails_and_keeps_output(&c, &root);
        let (code, file, line) = (
            c.s(&format!("broken.cases.{name}.code")),
            c.s(&format!("broken.cases.{name}.file")),
            c.n(&format!("broken.cases.{name}.line")),
        );
        let errors: Vec<Value> = findings(&root)
            .into_iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        assert_eq!(errors.len(), 1, "{what}: {errors:#?}");
        let d = &errors[0];
        assert_eq!(
            (d["code"].as_str(), d["file"].as_str(), d["line"].as_u64()),
            (Some(code.as_str()), Some(file.as_str()), Some(line)),
            "{what}: {d:#}"
        );
        let text = format!(
            "{} {}",
            d["message"].as_str().unwrap_or(""),
            d["hint"].as_str().unwrap_or("")
        );
        for n in c.list(&format!("broken.cases.{name}.names")) {
            assert!(text.contains(&n), "{what}: `{n}` not named in {text}");
        }
        if c.has(&format!("broken.cases.{name}.absent")) {
            for a in c.list(&format!("broken.cases.{name}.absent")) {
                assert!(!err.contains(&a), "{what}: `{a}` reported: {err}");
            }
        }
        let loc = format!("{file}:{line}");
        assert!(
            err.lines()
                .any(|l| l.trim_start().starts_with(&loc) && l.contains(&format!("[{code}]"))),
            "{what}: no `{loc}` … [{code}] line in:\n{err}"
        );
        assert_eq!(err.matches("erreur[").count(), 1, "{what}: {err}");
    }
}

#[test]
fn unknown_front_matter_key() {
    case("unknown-front-matter-key");
}

#[test]
fn missing_title() {
    case("missing-title");
}

#[test]
fn unclosed_front_matter() {
    case("unclosed-front-matter");
}

#[test]
fn invalid_toml() {
    case("invalid-toml");
}

#[test]
fn unknown_action() {
    case("unknown-action");
}

#[test]
fn missing_link() {
    case("missing-link");
}

#[test]
fn apero_missing_sheet() {
    case("apero-missing-sheet");
}

#[test]
fn duplicate_action_id() {
    case("duplicate-action-id");
}

#[test]
fn non_utf8() {
    case("non-utf8");
}

#[test]
fn empty_file() {
    case("empty-file");
}

#[test]
fn book_unknown_key() {
    case("book-unknown-key");
}

#[test]
fn symlink_loop() {
    for c in corpora() {
        let (_tmp, site) = symlink_loop_site(&c);
        let start = std::time::Instant::now();
        let err = fails_and_keeps_output(&c, &site);
        assert!(start.elapsed().as_secs() < 30);
        let links: Vec<String> = c.pairs("broken.symlinks").into_iter().map(|p| p.0).collect();
        let items = findings(&site);
        assert!(!items.is_empty());
        for d in &items {
            assert_eq!(d["code"], "symlink-loop", "{}: {d:#}", c.name);
            let f = d["file"].as_str().unwrap();
            assert!(
                links.iter().any(|l| l == f),
                "{}: {f} is not a link of the case",
                c.name
            );
            assert!(err.contains(f), "{}: {err}", c.name);
        }
    }
}

#[test]
fn huge_sheet_builds() {
    for c in corpora() {
        let (_keep, root, id, token, _) = huge_sheet_site(&c);
        let (_tmp, out) = build_to(&root, &[]);
        let page = read(&out.join(format!("fiches/{id}/index.html")));
        assert!(page.len() > 3_000_000, "{}: page rendered in full", c.name);
        assert!(page.contains(&token));
        let o = fiches_in(&root, &["search", &token, "--format", "json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let hits: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(hits[0]["id"], id.as_str(), "{}: {hits:#}", c.name);
    }
}

#[test]
fn accented_file_name_builds() {
    for c in corpora() {
        let root = c.broken(&c.s("broken.accented.dir"));
        let (_tmp, out) = build_to(&root, &[]);
        let target = out.join(c.s("broken.accented.page"));
        assert!(target.exists(), "{}: stable slug URL {}", c.name, target.display());
        let from = read(&out.join(c.s("broken.accented.from")));
        assert_eq!(
            from.matches(&format!("href=\"{}\"", c.s("broken.accented.href")))
                .count(),
            2,
            "{}: both links resolve",
            c.name
        );
        let o = fiches_in(&root, &["search", &c.s("broken.accented.query"), "--format", "json"]);
        let hits: Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert!(
            hits.as_array()
                .unwrap()
                .iter()
                .any(|h| h["id"] == c.s("broken.accented.id").as_str()),
            "{}: {hits:#}",
            c.name
        );
    }
}
