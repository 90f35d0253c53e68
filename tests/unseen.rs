//! Content shaped as other schools write it (session 18's robustness
//! review, docs/robustness.md): what the contract allows, or a habit of
//! GitHub, GitLab or macOS, that our fixtures never held. Each test writes
//! a tiny site of its own in a temporary folder.

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// A site with `book.toml` and the given files (path, text).
fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempdir();
    let root = tmp.path().join("site");
    write(&root.join("book.toml"), "[book]\ntitle = \"Collège\"\n");
    write_files(&root, files);
    (tmp, root)
}

fn sheet(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nupdated = 2025-09-01\n+++\n{body}")
}

fn codes(diags: &[serde_json::Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| format!("{} {}:{}", d["code"], d["file"], d["line"]))
        .collect()
}

fn page(out: &Path, rel: &str) -> String {
    read(&out.join(rel))
}

/// The text of the first `<h1>` of a page.
fn h1(html: &str) -> &str {
    let start = html
        .find("<h1")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1))
        .unwrap();
    &html[start..start + html[start..].find("</h1>").unwrap()]
}

#[test]
fn a_category_index_needs_no_front_matter() {
    // The contract: a category's front matter is "all optional". Written
    // as GitHub or mdBook users write a folder's page: Markdown only, an
    // empty file, a front matter with no title.
    let (_t, root) = site(&[
        (
            "content/fiches/reseau/_index.md",
            "Tout ce qui touche au **réseau** du collège.\n",
        ),
        ("content/fiches/reseau/wifi.md", &sheet("Wi-Fi", "x\n")),
        ("content/fiches/salle-info/_index.md", ""),
        ("content/fiches/salle-info/postes.md", &sheet("Postes", "x\n")),
        (
            "content/fiches/vie-scolaire/_index.md",
            "+++\nweight = 1\ndescription = \"Absences\"\n+++\nIntro.\n",
        ),
        ("content/fiches/vie-scolaire/appel.md", &sheet("Appel", "x\n")),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(0), "{:?}", codes(&diags));
    let (_o, out) = build_to(&root, &[]);
    let reseau = page(&out, "fiches/reseau/index.html");
    assert_eq!(h1(&reseau), "Reseau", "titled by its folder, as without `_index.md`");
    assert!(
        reseau.contains("Tout ce qui touche au <strong>réseau</strong>"),
        "its body is shown"
    );
    assert_eq!(h1(&page(&out, "fiches/salle-info/index.html")), "Salle info");
    let vie = page(&out, "fiches/vie-scolaire/index.html");
    assert_eq!(h1(&vie), "Vie scolaire");
    assert!(vie.contains("Absences") && vie.contains("Intro."));
    // `weight = 1` still orders it first among the categories.
    let all = page(&out, "fiches/index.html");
    let at = |t: &str| all.find(t).unwrap_or_else(|| panic!("{t} missing"));
    assert!(at("Vie scolaire") < at("Reseau"), "weight kept");
}

#[test]
fn a_category_index_still_reports_what_is_wrong() {
    // Optional is not silent: YAML, an unclosed `+++`, an empty title, an
    // unknown key are reported as in a sheet, never published as text.
    let (_t, root) = site(&[
        ("content/fiches/a/_index.md", "---\ntitle: Réseau\n---\nx\n"),
        ("content/fiches/a/s.md", &sheet("S", "x\n")),
        ("content/fiches/b/_index.md", "+++\ntitle = \"B\"\n"),
        ("content/fiches/b/s.md", &sheet("S b", "x\n")),
        ("content/fiches/c/_index.md", "+++\ntitle = \"\"\n+++\n"),
        ("content/fiches/c/s.md", &sheet("S c", "x\n")),
        ("content/fiches/d/_index.md", "+++\ntitel = \"D\"\n+++\n"),
        ("content/fiches/d/s.md", &sheet("S d", "x\n")),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    let mut got = codes(&diags);
    got.sort();
    assert_eq!(
        got,
        [
            "\"empty-title\" \"content/fiches/c/_index.md\":2",
            "\"front-matter-missing\" \"content/fiches/a/_index.md\":1",
            "\"front-matter-unclosed\" \"content/fiches/b/_index.md\":1",
            "\"unknown-key\" \"content/fiches/d/_index.md\":2",
        ]
    );
}
