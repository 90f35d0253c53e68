//! A site with `language = "en"` (tests/fixtures/english, written in
//! English): the interface, dates, times, feeds and calendar are English,
//! file by file. And a language fiches does not translate (`de`): French
//! interface, said so by `<html lang="fr">`, the content marked `lang="de"`.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    repo().join("tests/fixtures/english")
}

fn build(root: &Path) -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempdir();
    let out = tmp.path().join("out");
    let o = fiches_in(root, &["build", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, out, stderr(&o) + &stdout(&o))
}

/// Visible text and attribute values of a page, without URLs (paths such
/// as `recherche/` and `fiches/` are the content contract's, not words).
fn words(html: &str) -> String {
    let no_urls = regex::Regex::new(
        r#"(?:href|src|action|content|id|class|for|name|aria-labelledby|aria-controls|data-[a-z-]+)="[^"]*""#,
    )
    .unwrap();
    let no_scripts = regex::Regex::new(r"(?s)<script\b.*?</script>").unwrap();
    // Commands (`fiches check`) are the program's name, not a word.
    let no_code = regex::Regex::new(r"<code>[^<]*</code>").unwrap();
    let s = no_scripts.replace_all(html, " ");
    let s = no_code.replace_all(&s, " ");
    no_urls.replace_all(&s, " ").to_lowercase()
}

/// Words of the French interface that an English page must not hold.
const FRENCH: &[&str] = &[
    "fiche ",
    "fiches ",
    "recherche",
    "résultat",
    "aucun",
    "séance",
    "étape",
    "accueil",
    "catégorie",
    "imprimer",
    "livret",
    "brouillon",
    "connexion",
    "mis à jour",
    "mise à jour",
    "validée",
    "parcours",
    "septembre",
    "décembre",
    "« ",
    " »",
    "vouliez",
    "ça ne marche",
    "conforme",
];

fn no_french(name: &str, text: &str) {
    for w in FRENCH {
        assert!(!text.contains(w), "{name} holds the French {w:?}");
    }
}

#[test]
fn english_site_is_english_file_by_file() {
    let check = fiches_in(&fixture(), &["check"]);
    assert!(
        !stderr(&check).contains("config-unknown-language"),
        "{}",
        stderr(&check)
    );
    let (_tmp, out, log) = build(&fixture());
    assert!(!log.contains("config-unknown-language"), "{log}");

    let paths = regex::Regex::new(r"[\w.:-]*/[\w./-]*").unwrap();
    let mut pages = 0;
    for p in walk(&out) {
        let name = p.strip_prefix(&out).unwrap().display().to_string();
        match p.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                let html = read(&p);
                if html.contains("http-equiv=\"refresh\"") {
                    continue;
                }
                assert!(html.contains("<html lang=\"en\""), "{name}: not lang=en");
                // Only the French institution's name and address are French.
                let french_parts = html.matches(" lang=\"fr\"").count();
                let expected = if name.starts_with("accessibilite") { 2 } else { 0 };
                assert_eq!(french_parts, expected, "{name}: parts marked French");
                // The statement names French institutions, marked as French.
                let text = words(&html).replace("défenseur des droits", "");
                no_french(&name, &text);
                pages += 1;
            }
            Some("xml") | Some("ics") | Some("webmanifest") => {
                no_french(&name, &paths.replace_all(&read(&p), " ").to_lowercase())
            }
            _ => {}
        }
    }
    assert!(pages >= 15, "{pages} pages");

    // The strings sent to the search scripts.
    let site_js = read(&out.join("assets/site.js"));
    for s in [
        "\"Did you mean\"",
        "No results for",
        "Help requested: {q}",
        "I found no sheet for",
    ] {
        assert!(site_js.contains(s), "site.js lacks {s:?}");
    }
    assert!(!site_js.contains("Vouliez-vous"), "site.js holds French strings");

    // Dates and times, in pages, the feed and the sessions.
    let session = read(&out.join("apero-tice/2026-12-10-projectors/index.html"));
    assert!(session.contains("10 December 2026"), "{session}");
    assert!(session.contains("from 12:30 to 13:15"), "{session}");
    let sheet = read(&out.join("fiches/printing/copier-code/index.html"));
    assert!(sheet.contains("1 March 2026"), "sheet date");
    assert!(sheet.contains("Approved by"), "validation");
    assert!(!sheet.contains("1er"), "French ordinal");
    let statement = read(&out.join("accessibilite/index.html"));
    assert!(statement.contains("partially compliant"), "status in English");
    assert!(statement.contains("18 June 2026"), "audit date");
    let ics = read(&out.join("apero-tice/agenda.ics"));
    assert!(ics.contains("SUMMARY:Apéro'TICE: Projectors without tears"), "{ics}");
    assert!(ics.contains("Led by Ms Green"), "{ics}");
    assert!(
        read(&out.join("index.html")).contains("Accessibility: partially compliant"),
        "footer"
    );
    let followup = read(&out.join("suivi/index.html"));
    assert!(followup.contains("Drafts</a>: 0"), "English colon");
    let e404 = read(&out.join("404.html"));
    assert!(e404.contains("Page not found"));
    let offline = read(&out.join("hors-ligne/index.html"));
    assert!(offline.contains("You are offline"));
}

#[test]
fn untranslated_language_is_a_french_interface_over_marked_content() {
    let (_tmp, site) = site_copy(&fixture());
    let toml = site.join("book.toml");
    std::fs::write(&toml, read(&toml).replace("language = \"en\"", "language = \"de\"")).unwrap();
    let (_t, out, log) = build(&site);
    assert!(log.contains("config-unknown-language"), "{log}");
    let sheet = read(&out.join("fiches/printing/stuck-queue/index.html"));
    assert!(sheet.contains("<html lang=\"fr\""), "interface is French");
    assert!(
        sheet.contains("Mis à jour") || sheet.contains("Mise à jour"),
        "French interface"
    );
    assert!(
        sheet.contains("<h1 lang=\"de\">The print queue is stuck"),
        "title marked"
    );
    assert!(sheet.contains("<div class=\"prose\" lang=\"de\">"), "body marked");
    let session = read(&out.join("apero-tice/2026-12-10-projectors/index.html"));
    assert!(session.contains("<html lang=\"fr\""));
    assert!(session.contains("<h1 lang=\"de\">Projectors without tears"));
    assert!(session.contains("<div class=\"prose\" lang=\"de\">"));
}
