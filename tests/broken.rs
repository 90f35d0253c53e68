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
    let (items, status) = check_json(root, &[]);
    assert_eq!(status, Some(1));
    let reported: Vec<(String, String)> = items
        .iter()
        .map(|d| (location(d), d["code"].as_str().unwrap().to_string()))
        .collect();
    let printed = printed(&err);
    assert!(!printed.is_empty(), "no diagnostic line: {err}");
    for p in &printed {
        assert!(reported.contains(p), "build says {p:?}, check does not: {reported:?}");
    }
    for (d, r) in items.iter().zip(&reported) {
        if d["severity"] == "error" {
            assert!(printed.contains(r), "check says {r:?}, build does not:\n{err}");
        }
    }
    err
}

/// `file:line:column` of a JSON finding, as the human output shows it.
fn location(d: &Value) -> String {
    let mut loc = d["file"].as_str().unwrap().to_string();
    for k in ["line", "column"] {
        match d[k].as_u64() {
            Some(n) => loc.push_str(&format!(":{n}")),
            None => break,
        }
    }
    loc
}

/// (location, code) of every diagnostic line of a human output:
/// `  file:line:col (<span>): <severity>[code]: message`, whatever the
/// language.
fn printed(err: &str) -> Vec<(String, String)> {
    err.lines()
        .filter_map(|l| {
            let (loc, rest) = l.trim_start().split_once(": ")?;
            let loc = match loc.rsplit_once(" (") {
                Some((l, _)) if loc.ends_with(')') => l,
                _ => loc,
            };
            let (word, tail) = rest.split_once('[')?;
            let (code, _) = tail.split_once("]: ")?;
            let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphabetic());
            let code_like = code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            (plain(word) && code_like).then(|| (loc.to_string(), code.to_string()))
        })
        .collect()
}

/// The findings of `check --format json`.
fn findings(root: &Path) -> Vec<Value> {
    check_json(root, &[]).0
}

/// Runs one case of every corpus: exactly one error, with the code, file
/// and line of corpora.json, naming what it names; the human output
/// carries that one diagnostic, `file:line` and `[code]`.
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
        // Any other line printed is a warning of `check`'s list (above).
        assert!(printed(&err).contains(&(location(d), code.clone())), "{what}: {err}");
    }
}

/// The expectations of corpora.json are those the README of each broken
/// folder states (file, line and, for this repository's, the code), and
/// every folder there is a case the tests run.
#[test]
fn every_case_folder_is_tested_as_its_readme_says() {
    for c in corpora() {
        let readme = read(&c.broken_dir().join("README.md"));
        let row = |name: &str| {
            readme
                .lines()
                .find(|l| l.starts_with(&format!("| `{name}/`")) || l.starts_with(&format!("| `{name}` ")))
                .unwrap_or_else(|| panic!("{}: no row for `{name}` in the README", c.name))
        };
        let cases: Vec<String> = c.facts["broken"]["cases"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert!(cases.len() >= 11, "{}: {cases:?}", c.name);
        for name in &cases {
            let r = row(name);
            let file = c.s(&format!("broken.cases.{name}.file"));
            let line = c.n(&format!("broken.cases.{name}.line"));
            assert!(
                r.contains(&format!("`{file}`")),
                "{}: {name}: `{file}` not in {r}",
                c.name
            );
            if line > 1 {
                assert!(
                    r.contains(&format!("line {line}")),
                    "{}: {name}: line {line} not in {r}",
                    c.name
                );
            }
            if c.facts["origin"] == "repo" {
                let code = c.s(&format!("broken.cases.{name}.code"));
                assert!(
                    r.contains(&format!("`{code}`")),
                    "{}: {name}: `{code}` not in {r}",
                    c.name
                );
            }
        }
        let mut tested = cases;
        tested.push("symlink-loop".into());
        tested.push(c.s("broken.accented.dir"));
        if c.has("broken.huge.dir") {
            tested.push(c.s("broken.huge.dir"));
        }
        for e in std::fs::read_dir(c.broken_dir()).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                let name = e.file_name().to_string_lossy().into_owned();
                assert!(tested.contains(&name), "{}: case folder `{name}` is not tested", c.name);
                row(&name);
            }
        }
    }
}

/// The wording, checked once on a sample: the human output is in French,
/// with the fix as a hint.
#[test]
fn the_human_output_speaks_french() {
    let c = lycee();
    let o = fiches_in(&c.broken("unknown-front-matter-key"), &["check"]);
    let err = stderr(&o);
    assert!(
        err.contains("content/fiches/ecrans/veille-automatique.md:3:1: erreur[unknown-key]: clé inconnue `sumary` dans l'en-tête"),
        "{err}"
    );
    assert!(err.contains("= aide : vouliez-vous dire `summary` ?"), "{err}");
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
        // The corpora's path-only `base-url` is pointed out too (a warning).
        let items: Vec<_> = findings(&site)
            .into_iter()
            .filter(|d| d["code"] != "base-url-no-host")
            .collect();
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
        // The sheet's own text (previous/next links may lead there too).
        let body = from.split("class=\"prose").nth(1).unwrap_or_default();
        let body = body.split("class=\"sheet-footer\"").next().unwrap_or_default();
        assert_eq!(
            body.matches(&format!("href=\"{}\"", c.s("broken.accented.href")))
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
