//! The built site, read from disk: every page type carries what it should,
//! and a crawl finds no broken link or asset, for a root and a sub-path
//! base URL (the output uses relative links, so both must hold).

mod common;
use common::*;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

fn decode(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
}

/// All `href`/`src` values of an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    re.captures_iter(html).map(|c| decode(&c[1])).collect()
}

fn ids(html: &str) -> HashSet<String> {
    let re = regex::Regex::new(r#"\sid="([^"]*)""#).unwrap();
    re.captures_iter(html).map(|c| decode(&c[1])).collect()
}

/// Follows every local link from every HTML page, as a browser opening the
/// folder from file:// would, and returns what is broken.
fn crawl(out: &Path) -> Vec<String> {
    let mut broken = BTreeSet::new();
    let pages: Vec<PathBuf> = walk(out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() > 10);
    for page in &pages {
        if page.file_name().is_some_and(|n| n == "404.html") {
            continue; // absolute links by design: served at any depth
        }
        let html = read(page);
        for l in links(&html) {
            if l.is_empty()
                || l.contains("://")
                || l.starts_with("mailto:")
                || l.starts_with("tel:")
                || l.starts_with("data:")
            {
                continue;
            }
            assert!(
                !l.starts_with('/'),
                "{}: absolute link {l} breaks file:// and sub-paths",
                page.display()
            );
            let (path, frag) = match l.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (l.clone(), None),
            };
            let path = path.split('?').next().unwrap().to_string();
            let target = if path.is_empty() {
                page.clone()
            } else {
                let decoded = percent_encoding::percent_decode_str(&path)
                    .decode_utf8_lossy()
                    .to_string();
                page.parent().unwrap().join(decoded)
            };
            let Ok(target) = target.canonicalize() else {
                broken.insert(format!("{} -> {l}", page.strip_prefix(out).unwrap().display()));
                continue;
            };
            assert!(
                target.starts_with(out.canonicalize().unwrap()),
                "link leaves the site: {l}"
            );
            if target.is_dir() {
                broken.insert(format!(
                    "{} -> {l} (folder: file:// needs index.html)",
                    page.strip_prefix(out).unwrap().display()
                ));
                continue;
            }
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                if target.extension().is_some_and(|e| e == "html") && !ids(&read(&target)).contains(&f) {
                    broken.insert(format!(
                        "{} -> {l} (no #{f})",
                        page.strip_prefix(out).unwrap().display()
                    ));
                }
            }
        }
    }
    broken.into_iter().collect()
}

#[test]
fn college_crawl_finds_no_broken_link_under_sub_path() {
    let (_t, out) = build_to(&college(), &[]);
    let broken = crawl(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let notfound = read(&out.join("404.html"));
    assert!(
        decode(&notfound).contains("href=\"/aide-numerique/index.html\""),
        "404 uses the base URL"
    );
}

#[test]
fn college_crawl_finds_no_broken_link_at_root() {
    let tmp = tempdir();
    let site = tmp.path().join("site");
    copy_dir(&college(), &site);
    let book = read(&site.join("book.toml")).replace("base-url = \"/aide-numerique/\"", "base-url = \"/\"");
    std::fs::write(site.join("book.toml"), book).unwrap();
    let (_t, out) = build_to(&site, &[]);
    let broken = crawl(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn demo_site_builds_clean_and_crawls() {
    let (_t, out) = build_to(&demo(), &[]);
    let broken = crawl(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let o = fiches_in(&demo(), &["check", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let errors: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

fn college_out() -> (tempfile::TempDir, PathBuf) {
    build_to(&college(), &[])
}

#[test]
fn every_page_type_is_written() {
    let (_t, out) = college_out();
    for p in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "atom.xml",
        "actions/index.html",
        "apero-tice/index.html",
        "parcours/index.html",
        "recherche/index.html",
        "suivi/index.html",
        "accessibilite/index.html",
        "fiches/wifi/index.html",
        "fiches/wifi/compte-invite/index.html",
        "apero-tice/2027-01-classe-mobile/index.html",
        "parcours/nouveau-collegue/index.html",
        "assets/style.css",
        "assets/highlight.css",
        "images/wifi-portail-invite.png",
    ] {
        assert!(out.join(p).is_file(), "missing {p}");
    }
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(
        sitemap.contains("<loc>/aide-numerique/fiches/wifi/compte-invite/</loc>"),
        "{sitemap}"
    );
}

#[test]
fn home_page_has_search_categories_recent_and_upcoming() {
    let (_t, out) = college_out();
    let home = read(&out.join("index.html"));
    assert!(home.contains("role=\"search\""));
    assert!(home.contains("Wi-Fi et réseau"));
    assert!(home.contains("Fiches mises à jour récemment"));
    // Upcoming sessions only (2027 dates are in the future).
    assert!(home.contains("Classe mobile : les tablettes en dix minutes"));
    assert!(!home.contains("TNI sans stress") || home.find("TNI sans stress") > home.find("Fiches mises à jour"));
}

#[test]
fn sheet_page_shows_action_validation_edit_link_and_neighbours() {
    let (_t, out) = college_out();
    let p = read(&out.join("fiches/wifi/compte-invite/index.html"));
    assert!(p.contains("<h1>Créer un compte Wi-Fi invité</h1>"));
    assert!(p.contains("badge-referent"));
    assert!(p.contains("Action autorisée"));
    assert!(p.contains("Convention de maintenance 2024, annexe 2, article 3"));
    assert!(p.contains("Validée par Conseil départemental"));
    assert!(p.contains("30 juin 2025"));
    assert!(p.contains("12 septembre 2025"));
    assert!(decode(&p)
        .contains("https://forge.example.org/clg-jean-moulin/fiches/-/edit/main/content/fiches/wifi/compte-invite.md"));
    assert!(p.contains("rel=\"next\"") || p.contains("rel=\"prev\""));
    assert!(p.contains("class=\"table-wrap\""));
    assert!(!p.contains("live-reload"), "no live reload outside serve");
}

#[test]
fn actions_page_lists_undocumented_actions() {
    let (_t, out) = college_out();
    let p = read(&out.join("actions/index.html"));
    let rows: Vec<&str> = p
        .split("<tr id=\"action-")
        .skip(1)
        .map(|r| r.split("</tr>").next().unwrap())
        .collect();
    let undocumented: Vec<&str> = rows
        .iter()
        .filter(|r| r.contains("pas encore de fiche"))
        .map(|r| r.split('"').next().unwrap())
        .collect();
    // Computed from the corpus: actions no sheet names in its `action` field.
    let mut expected = Vec::new();
    let actions = read(&college().join("content/actions.toml"));
    let used: String = walk(&college().join("content/fiches"))
        .iter()
        .map(|p| read(p))
        .collect();
    for line in actions.lines().filter(|l| l.starts_with("id = ")) {
        let id = line.trim_start_matches("id = ").trim_matches('"');
        if !used.contains(&format!("action = \"{id}\"")) {
            expected.push(id);
        }
    }
    assert!(!expected.is_empty());
    assert_eq!(undocumented, expected);
}

#[test]
fn future_sessions_are_upcoming_and_past_ones_archived() {
    let (_t, out) = college_out();
    let p = read(&out.join("apero-tice/index.html"));
    let (upcoming, archive) = p.split_once("id=\"archive\"").unwrap();
    assert!(upcoming.contains("Classe mobile : les tablettes en dix minutes"));
    assert!(!archive.contains("Classe mobile : les tablettes en dix minutes"));
    assert!(archive.contains("2025"));
    let s = decode(&read(&out.join("apero-tice/2027-01-classe-mobile/index.html")));
    assert!(s.contains("À venir"));
    assert!(s.contains("fiches/tablettes/recuperer-travaux-eleves/index.html"));
}

#[test]
fn training_path_lists_its_sheets_in_order() {
    let (_t, out) = college_out();
    let p = decode(&read(&out.join("parcours/nouveau-collegue/index.html")));
    let a = p.find("fiches/ent/premiere-connexion/").unwrap();
    let b = p.find("fiches/comptes/changer-mot-de-passe/").unwrap();
    let c = p.find("fiches/serveur/sauvegarder-ses-fichiers/").unwrap();
    assert!(a < b && b < c);
}

#[test]
fn markdown_features_render() {
    let (_t, out) = build_to(&demo(), &[]);
    let all: String = walk(&out.join("fiches"))
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| read(p))
        .collect();
    assert!(all.contains("<kbd>"), "raw HTML passes through");
    assert!(
        all.contains("class=\"callout callout-"),
        "GitHub alerts become callouts"
    );
    assert!(
        all.contains("class=\"callout-title\">Attention</p>")
            || all.contains("class=\"callout-title\">Remarque</p>")
            || all.contains("class=\"callout-title\">Astuce</p>")
    );
    assert!(all.contains("type=\"checkbox\""), "task lists");
    assert!(all.contains("footnote-definition"), "footnotes");
    assert!(all.contains("<span class=\"hl-"), "syntect highlighting with classes");
    assert!(all.contains("<table>"));
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let (_t, out) = build_to(&demo(), &[]);
    let (_t2, out2) = build_to(&demo(), &["--drafts"]);
    let count = |o: &Path| walk(&o.join("fiches")).len();
    assert!(count(&out2) > count(&out), "--drafts adds the draft sheet");
}

#[test]
fn sheet_pages_stay_light() {
    let (_t, out) = college_out();
    let page = std::fs::metadata(out.join("fiches/wifi/compte-invite/index.html"))
        .unwrap()
        .len();
    let css = std::fs::metadata(out.join("assets/style.css")).unwrap().len();
    assert!(page + css < 120_000, "sheet page + CSS = {} bytes", page + css);
    let html = read(&out.join("fiches/wifi/compte-invite/index.html"));
    for l in links(&html) {
        assert!(
            !l.starts_with("http") || l.contains("example.org"),
            "external request: {l}"
        );
    }
}
