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

/// `id="…"` values of a page.
fn ids(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

/// `href="…"` values of a page's article that hold a `#`.
fn section_links(html: &str) -> Vec<String> {
    let article = &html[html.find("<article").unwrap()..];
    article
        .split(" href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&"))
        .filter(|h| h.contains('#') && !h.starts_with("#contenu"))
        .collect()
}

#[test]
fn section_links_written_with_accents_reach_their_heading() {
    // GitHub and GitLab keep the accents of a heading in its anchor
    // (`#ça-ne-marche-pas`), and so do contributors: our ids are ASCII
    // slugs. The published link must reach the heading, and `check` stay
    // quiet; a section that does not exist is still reported, as written.
    let (_t, root) = site(&[
        (
            "content/fiches/copieur/bourrage.md",
            &sheet(
                "Bourrage",
                "## Étapes à suivre\n\n## Ça ne marche pas ?\n\n## Réglages {#réglages-avancés}\n\n\
                 [a](#ça-ne-marche-pas) [b](#%C3%A9tapes-%C3%A0-suivre) [c](#réglages-avancés) [d](<#Étapes à suivre>)\n",
            ),
        ),
        (
            "content/fiches/copieur/pilote.md",
            &sheet(
                "Pilote",
                "[e](bourrage.md#étapes-à-suivre) [f](<bourrage.md#Ça ne marche pas>) \
                 [g](bourrage.md#r%C3%A9glages-avanc%C3%A9s) [h](bourrage.md#étapes-inconnues)\n",
            ),
        ),
    ]);
    let (diags, _) = check_json(&root, &[]);
    let anchors: Vec<&serde_json::Value> = diags.iter().filter(|d| d["code"] == "broken-anchor").collect();
    assert_eq!(anchors.len(), 1, "{:?}", codes(&diags));
    assert_eq!(anchors[0]["file"], "content/fiches/copieur/pilote.md");
    assert!(
        anchors[0]["message"].as_str().unwrap().contains("`#étapes-inconnues`"),
        "named as written: {}",
        anchors[0]["message"]
    );
    let o = fiches_in(
        &root,
        &["build", "-o", root.parent().unwrap().join("out").to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = root.parent().unwrap().join("out");
    let bourrage = page(&out, "fiches/copieur/bourrage/index.html");
    let own = ids(&bourrage);
    for id in ["etapes-a-suivre", "ca-ne-marche-pas", "reglages-avances"] {
        assert!(own.contains(&id.to_string()), "{id} in {own:?}");
    }
    // After the table of contents, the links of the text.
    let links = section_links(&bourrage);
    assert_eq!(
        links[links.len() - 4..],
        [
            "#ca-ne-marche-pas",
            "#etapes-a-suivre",
            "#reglages-avances",
            "#etapes-a-suivre"
        ]
    );
    assert_eq!(
        section_links(&page(&out, "fiches/copieur/pilote/index.html")),
        [
            "../bourrage/index.html#etapes-a-suivre",
            "../bourrage/index.html#ca-ne-marche-pas",
            "../bourrage/index.html#reglages-avances",
            "../bourrage/index.html#etapes-inconnues",
        ]
    );
}

/// `s` with its accents decomposed (NFD), as macOS names files.
fn nfd(s: &str) -> String {
    s.replace('é', "e\u{301}").replace('è', "e\u{300}")
}

#[test]
fn names_written_with_decomposed_accents_are_found() {
    // Copied from a Mac (USB key, zip), names keep decomposed accents
    // (NFD); the links, typed on a keyboard, have composed ones (NFC), and
    // the reverse. Linux tells them apart, and the two look alike in any
    // message: both must be found.
    let sheet_file = format!("content/fiches/{}/{}", nfd("réseau"), nfd("accès-élève.md"));
    let image = format!("static/images/{}", nfd("écran wifi.png"));
    let (_t, root) = site(&[
        (
            &sheet_file,
            &sheet("Accès élève", "![Écran](</images/écran wifi.png>)\n"),
        ),
        (
            "content/fiches/wifi/invite.md",
            &sheet(
                "Invité",
                "[accès](../réseau/accès-élève.md) [bis](/fiches/réseau/acc%C3%A8s-%C3%A9l%C3%A8ve.md)\n",
            ),
        ),
        (
            &format!("content/fiches/wifi/{}", nfd("prérequis.md")),
            &sheet("Prérequis", "[invité](invite.md)\n"),
        ),
        (
            "content/fiches/wifi/nfd.md",
            &sheet("Lien NFD", &format!("[p]({})\n", nfd("prérequis.md"))),
        ),
        (
            "content/apero-tice/seance.md",
            "+++\ntitle = \"Séance\"\ndate = 2025-11-14\nfiches = [\"réseau/accès-élève\"]\n+++\nx\n",
        ),
        (&image, "not really a png"),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(0), "{:?}", codes(&diags));
    let (_o, out) = build_to(&root, &[]);
    // Every link of these pages leads to a file of the output.
    for p in [
        "fiches/wifi/invite/index.html",
        "fiches/wifi/nfd/index.html",
        "fiches/reseau/acces-eleve/index.html",
        "apero-tice/seance/index.html",
    ] {
        let html = page(&out, p);
        let dir = out.join(p).parent().unwrap().to_path_buf();
        let article = &html[html.find("<main").unwrap()..];
        let mut n = 0;
        for attr in [" href=\"", " src=\""] {
            for s in article.split(attr).skip(1) {
                let url = s[..s.find('"').unwrap()].split('#').next().unwrap().to_string();
                if url.is_empty()
                    || url.contains(':')
                    || !(url.contains("acces") || url.contains("pr") || url.contains("cran"))
                {
                    continue;
                }
                let decoded = percent_encoding::percent_decode_str(&url)
                    .decode_utf8()
                    .unwrap()
                    .to_string();
                assert!(dir.join(&decoded).exists(), "{p}: {url} leads nowhere");
                n += 1;
            }
        }
        assert!(n > 0, "{p}: no link checked");
    }
}

#[test]
fn two_names_that_differ_by_the_form_of_an_accent_collide() {
    let (_t, root) = site(&[
        ("content/fiches/eleves/élève.md", &sheet("Élève", "x\n")),
        (
            &format!("content/fiches/eleves/{}", nfd("élève.md")),
            &sheet("Élève bis", "x\n"),
        ),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1), "{:?}", codes(&diags));
    assert_eq!(
        diags.iter().filter(|d| d["code"] == "url-collision").count(),
        1,
        "{:?}",
        codes(&diags)
    );
}

#[test]
fn a_link_to_a_category_folder_leads_to_its_page() {
    // As a forge shows a folder: `../reseau/`, `reseau` (with or without an
    // `_index.md`), `../` for all the sheets. Before: a broken link saying
    // that the folder, which exists, does not.
    let (_t, root) = site(&[
        ("content/fiches/reseau/_index.md", "+++\ntitle = \"Réseau\"\n+++\n"),
        ("content/fiches/reseau/wifi.md", &sheet("Wi-Fi", "x\n")),
        ("content/fiches/salle-info/postes.md", &sheet("Postes", "x\n")),
        (
            "content/fiches/salle-info/ecrans.md",
            &sheet(
                "Écrans",
                "[a](../reseau/) [b](../reseau) [c](./) [d](../) [e](../reseau/#intro)\n",
            ),
        ),
        (
            "content/fiches/salle-info/casse.md",
            &sheet("Casse", "[f](../absent/)\n"),
        ),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(
        codes(&diags),
        ["\"broken-link\" \"content/fiches/salle-info/casse.md\":5"],
        "only the folder that does not exist"
    );
    std::fs::remove_file(root.join("content/fiches/salle-info/casse.md")).unwrap();
    let (_o, out) = build_to(&root, &[]);
    let html = page(&out, "fiches/salle-info/ecrans/index.html");
    let article = &html[html.find("<article").unwrap()..];
    let hrefs: Vec<&str> = article
        .split(" href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .filter(|h| !h.starts_with('#'))
        .collect();
    for h in [
        "../../reseau/index.html",
        "../index.html",
        "../../index.html",
        "../../reseau/index.html#intro",
    ] {
        assert!(hrefs.contains(&h), "{h} not in {hrefs:?}");
    }
}

#[test]
fn a_heading_with_an_emoji_is_reached_by_its_words() {
    // `## 🚀 Démarrage`: GitHub's anchor is `#-démarrage`, a contributor
    // writes `#démarrage`; the id was `rocket-demarrage` (the emoji's
    // name), reached by neither.
    let (_t, root) = site(&[
        ("content/fiches/tni/demarrer.md", &sheet("Démarrer le TNI", "## 🚀 Démarrage\n\n## ✅ Vérifier\n")),
        (
            "content/fiches/tni/liens.md",
            &sheet(
                "Liens",
                "[a](demarrer.md#démarrage) [b](demarrer.md#-démarrage) [c](<demarrer.md#🚀-démarrage>) [d](demarrer.md#vérifier)\n",
            ),
        ),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!((status, codes(&diags)), (Some(0), vec![]));
    let (_o, out) = build_to(&root, &[]);
    let own = ids(&page(&out, "fiches/tni/demarrer/index.html"));
    assert!(
        own.contains(&"demarrage".to_string()) && own.contains(&"verifier".to_string()),
        "{own:?}"
    );
    let links = section_links(&page(&out, "fiches/tni/liens/index.html"));
    assert_eq!(
        links,
        [
            "../demarrer/index.html#demarrage",
            "../demarrer/index.html#demarrage",
            "../demarrer/index.html#demarrage",
            "../demarrer/index.html#verifier",
        ]
    );
}

#[test]
fn sessions_and_paths_cite_sheets_as_links_write_them() {
    // A sheet cited by the path a link would take from the root: the id
    // is what follows `content/fiches/`. Before: `unknown-sheet`, with
    // « attendu : `content/fiches//fiches/wifi/ok.md` ».
    let (_t, root) = site(&[
        ("content/fiches/wifi/ok.md", &sheet("Wi-Fi", "x\n")),
        ("content/fiches/fiches/x.md", &sheet("Une catégorie nommée fiches", "x\n")),
        (
            "content/parcours/debuter.md",
            "+++\ntitle = \"Débuter\"\nfiches = [\"/fiches/wifi/ok\", \"content/fiches/wifi/ok.md\", \"fiches/x\"]\n+++\n",
        ),
        (
            "content/apero-tice/s.md",
            "+++\ntitle = \"S\"\ndate = 2025-11-14\nfiches = [\"/fiches/wifi/ok.md\", \"Wifi/OK\"]\n+++\n",
        ),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(codes(&diags), ["\"unknown-sheet\" \"content/apero-tice/s.md\":4"]);
    assert_eq!(diags[0]["hint"], "vouliez-vous dire `wifi/ok` ?");
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("`content/fiches/Wifi/OK.md`"));
    write(
        &root.join("content/apero-tice/s.md"),
        "+++\ntitle = \"S\"\ndate = 2025-11-14\nfiches = [\"/fiches/wifi/ok.md\"]\n+++\n",
    );
    let (_o, out) = build_to(&root, &[]);
    let path = page(&out, "parcours/debuter/index.html");
    assert!(
        path.contains("../../fiches/wifi/ok/index.html"),
        "the path lists the sheet"
    );
    assert!(
        path.contains("Une catégorie nommée fiches"),
        "`fiches/x` is the id of a sheet of `fiches/`"
    );
}

#[test]
fn a_date_with_a_time_toml_cannot_read_gets_the_day_as_hint() {
    // Before: « un texte s'écrit entre guillemets droits : `"T25…"` ».
    let (_t, root) = site(&[
        (
            "content/fiches/a/a.md",
            "+++\ntitle = \"A\"\nupdated = 2025-09-12T25:00:00\n+++\n",
        ),
        (
            "content/fiches/a/b.md",
            "+++\ntitle = \"B\"\nupdated = 2025-09-12 8h30\n+++\n",
        ),
        (
            "content/fiches/a/c.md",
            "+++\ntitle = \"C\"\nupdated = 2025-09-12T10:00:00\n+++\n",
        ),
    ]);
    let (diags, _) = check_json(&root, &[]);
    let mut got: Vec<(String, String)> = diags
        .iter()
        .map(|d| {
            (
                format!("{} {}:{}", d["code"], d["file"], d["line"]),
                d["hint"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    got.sort();
    let want = |f: &str| {
        (
            format!("\"toml-syntax\" \"content/fiches/a/{f}\":3"),
            "une date s'écrit année-mois-jour, sans heure : `updated = 2025-09-12`".to_string(),
        )
    };
    assert_eq!(got, [want("a.md"), want("b.md")], "a valid date-time (c.md) is read");
}

#[test]
fn a_readme_among_the_sheets_is_told_where_it_belongs() {
    // A forge shows a folder's `README.md`; fiches reads it as a sheet
    // without front matter. The hint names `_index.md`, which needs none.
    let (_t, root) = site(&[
        ("content/fiches/reseau/README.md", "# Réseau\n\nLes fiches du réseau.\n"),
        ("content/fiches/reseau/wifi.md", &sheet("Wi-Fi", "x\n")),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(
        codes(&diags),
        ["\"front-matter-missing\" \"content/fiches/reseau/README.md\":1"]
    );
    assert!(
        diags[0]["hint"].as_str().unwrap().contains("renommez-le `_index.md`"),
        "{}",
        diags[0]["hint"]
    );
    // Renamed as the hint says, it builds, its text the category's.
    std::fs::rename(
        root.join("content/fiches/reseau/README.md"),
        root.join("content/fiches/reseau/_index.md"),
    )
    .unwrap();
    let (_o, out) = build_to(&root, &[]);
    assert!(page(&out, "fiches/reseau/index.html").contains("Les fiches du réseau."));
}

// Session 20 (broken20): bad input nobody had tried -----------------------

/// (code file:line, hint) of each finding, sorted.
fn with_hints(diags: &[serde_json::Value]) -> Vec<(String, String)> {
    let mut got: Vec<(String, String)> = diags
        .iter()
        .map(|d| {
            (
                format!("{} {}:{}", d["code"], d["file"], d["line"]),
                format!(
                    "{} | {}",
                    d["message"].as_str().unwrap_or(""),
                    d["hint"].as_str().unwrap_or("")
                ),
            )
        })
        .collect();
    got.sort();
    got
}

#[test]
fn a_value_of_the_wrong_type_gets_the_line_to_write() {
    // `updated = 20250912` got serde's « data did not match any variant of
    // untagged enum Raw », in English and without a hint; `title = 42`,
    // `draft = "non"`, `weight = 1.5` no hint at all.
    let (_t, root) = site(&[
        ("content/fiches/a/a.md", "+++\ntitle = \"A\"\nupdated = 20250912\n+++\n"),
        ("content/fiches/a/b.md", "+++\ntitle = 42\n+++\n"),
        ("content/fiches/a/c.md", "+++\ntitle = \"C\"\ndraft = \"non\"\n+++\n"),
        ("content/fiches/a/d.md", "+++\ntitle = \"D\"\nweight = 1.5\n+++\n"),
        ("content/apero-tice/s.md", "+++\ntitle = \"S\"\ndate = true\n+++\n"),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    let got = with_hints(&diags);
    let want = [
        (
            "\"invalid-value\" \"content/apero-tice/s.md\":3",
            "valeur invalide dans l'en-tête : le booléen `true` au lieu d'une date | une date s'écrit année-mois-jour avec des tirets, sans guillemets : `date = 2025-09-12`",
        ),
        (
            "\"invalid-value\" \"content/fiches/a/a.md\":3",
            "valeur invalide dans l'en-tête : le nombre `20250912` au lieu d'une date | une date s'écrit année-mois-jour avec des tirets, sans guillemets : `updated = 2025-09-12`",
        ),
        (
            "\"invalid-value\" \"content/fiches/a/b.md\":2",
            "valeur invalide dans l'en-tête : le nombre `42` au lieu d'un texte entre guillemets | un texte s'écrit entre guillemets droits : `title = \"42\"`",
        ),
        (
            "\"invalid-value\" \"content/fiches/a/c.md\":3",
            "valeur invalide dans l'en-tête : le texte \"non\" au lieu de `true` ou `false` | non s'écrit `false`, sans guillemets : `draft = false`",
        ),
        (
            "\"invalid-value\" \"content/fiches/a/d.md\":3",
            "valeur invalide dans l'en-tête : le nombre `1.5` au lieu d'un nombre entier | un nombre entier s'écrit sans virgule ni guillemets : `weight = 2`",
        ),
    ];
    let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(got, want);
}

#[test]
fn a_static_file_in_the_way_of_a_page_is_left_out_with_its_reason() {
    // `static/index.html/` (a folder named like the home page) and
    // `static/fiches` (a file where the sheets' folder goes): the build
    // failed with « écriture impossible : Is a directory (os error 21) »,
    // in English, naming no file. Now, as for a static file at a page's
    // path, the generated page wins and the file is named, with why.
    let (_t, root) = site(&[
        ("content/fiches/a/a.md", &sheet("A", "x\n")),
        ("static/index.html/plan.txt", "plan"),
        ("static/fiches", "x"),
        ("static/docs/ok.txt", "ok"),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(0), "{diags:?}");
    let got = with_hints(&diags);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, "\"static-shadowed\" \"static/fiches\":null");
    assert!(got[0].1.contains("fiches écrit un dossier `fiches/`"), "{got:?}");
    assert_eq!(got[1].0, "\"static-shadowed\" \"static/index.html/plan.txt\":null");
    assert!(got[1].1.contains("le fichier `index.html`"), "{got:?}");
    let (_o, out) = build_to(&root, &[]);
    assert!(page(&out, "index.html").contains("<html"));
    assert!(out.join("fiches/a/a/index.html").is_file());
    assert_eq!(page(&out, "docs/ok.txt"), "ok");
}

#[test]
fn markdown_where_fiches_reads_nothing_is_pointed_out() {
    // `content/fiche/` (a typo of `fiches`), a sheet at the root of
    // `content/`, a home page text as Zola reads it (`content/_index.md`),
    // `content/action.toml`, `content/Parcours/` (read on Windows, not on
    // the forge's Linux CI): all left out silently, the site published
    // without them. A folder of images only is no finding.
    let (_t, root) = site(&[
        ("content/fiches/a/a.md", &sheet("A", "![x](../../images/x.png)\n")),
        ("content/fiche/wifi/b.md", &sheet("B", "x\n")),
        ("content/wifi.md", &sheet("C", "x\n")),
        ("content/_index.md", "Bienvenue\n"),
        ("content/action.toml", ""),
        ("content/images/x.png", "png"),
        ("content/Parcours/p.md", "+++\ntitle = \"P\"\nfiches = []\n+++\n"),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(0), "warnings: {diags:?}");
    let got = with_hints(&diags);
    let files: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        files,
        [
            "\"content-ignored\" \"content/Parcours\":null",
            "\"content-ignored\" \"content/_index.md\":null",
            "\"content-ignored\" \"content/action.toml\":null",
            "\"content-ignored\" \"content/fiche\":null",
            "\"content-ignored\" \"content/wifi.md\":null",
        ]
    );
    // Read on a disk that ignores case, not on the forge's Linux CI.
    assert!(got[0].1.ends_with("renommez-le `content/parcours`"), "{got:?}");
    let got = got[1..].to_vec();
    assert!(got[1].1.ends_with("renommez-le `content/actions.toml`"), "{got:?}");
    assert!(got[2].1.contains("vouliez-vous dire `content/fiches/` ?"), "{got:?}");
    assert!(got[3].1.contains("`content/fiches/<catégorie>/wifi.md`"), "{got:?}");
}

#[test]
fn a_link_to_a_file_of_the_author_s_computer_is_an_error_at_its_line() {
    // Pasted from the explorer's address bar: `C:\…` was published as a
    // link of scheme `c:`, `file:///…` and `file://serveur/…` as they were,
    // an image `C:/…` too: nothing opened for any reader, and `check` said
    // nothing. `\\serveur\partage\x.pdf` was a `broken-link` naming
    // `content/fiches/a/\serveur\partage\x.pdf`.
    let body = "[a](file:///C:/Users/prof/Documents/a.pdf)\n\n\
                [b](C:\\Users\\prof\\Bureau\\b.docx)\n\n\
                ![c](C:/Users/prof/Images/c.png)\n\n\
                [d](file://serveur/partage/d.pdf)\n\n\
                [e](\\\\serveur\\partage\\e.pdf)\n\n\
                [ok](https://exemple.fr/a.pdf) [ok](b.md)\n";
    let (_t, root) = site(&[
        ("content/fiches/a/a.md", &sheet("A", body)),
        ("content/fiches/a/b.md", &sheet("B", "x\n")),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    let got = with_hints(&diags);
    let found: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        found,
        [
            "\"broken-link\" \"content/fiches/a/a.md\":11",
            "\"broken-link\" \"content/fiches/a/a.md\":13",
            "\"broken-link\" \"content/fiches/a/a.md\":5",
            "\"broken-link\" \"content/fiches/a/a.md\":7",
            "\"missing-image\" \"content/fiches/a/a.md\":9",
        ]
    );
    for (_, text) in &got {
        assert!(text.contains("est un fichier de l'ordinateur"), "{text}");
        assert!(text.contains("copiez le fichier dans `static/`"), "{text}");
    }
}

#[test]
fn line_separators_in_a_title_do_not_break_the_search_files_of_older_browsers() {
    // U+2028 and U+2029 (pasted from a PDF) were written raw into the
    // search's `.js` files: valid since ES2019 only, a syntax error for
    // the whole block in an older tablet's browser.
    let (_t, root) = site(&[(
        "content/fiches/a/a.md",
        "+++\ntitle = \"Accès\u{2028}au\u{2029}Wi-Fi\"\nsummary = \"un\u{2028}deux\"\n+++\nx\n",
    )]);
    let (_o, out) = build_to(&root, &[]);
    let mut js = 0;
    for f in walk(&out.join("search")) {
        if f.extension().is_some_and(|x| x == "js") {
            let text = read(&f);
            js += 1;
            assert!(
                !text.contains(['\u{2028}', '\u{2029}']),
                "{} holds a raw line separator",
                f.display()
            );
        }
    }
    assert!(js > 0);
    let (_, block) = fiches_search::browser::registered_data(&read(&out.join("search/d/0.js"))).unwrap();
    assert_eq!(block["d"][0]["t"], "Accès\u{2028}au\u{2029}Wi-Fi", "the title is kept");
}

#[test]
fn a_section_introduction_for_sessions_or_paths_is_pointed_out_not_published() {
    // Zola's `_index.md` in `content/apero-tice/`: an error « champ `date`
    // manquant » (add a date to an introduction?); in `content/parcours/`:
    // published as a path named `index`, with no sheet.
    let (_t, root) = site(&[
        ("content/fiches/a/a.md", &sheet("A", "x\n")),
        (
            "content/apero-tice/_index.md",
            "+++\ntitle = \"Les Apéro'TICE\"\n+++\nIntro.\n",
        ),
        (
            "content/parcours/_index.md",
            "+++\ntitle = \"Les parcours\"\n+++\nIntro.\n",
        ),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(0), "{diags:?}");
    assert_eq!(
        codes(&diags),
        [
            "\"content-ignored\" \"content/apero-tice/_index.md\":null",
            "\"content-ignored\" \"content/parcours/_index.md\":null",
        ]
    );
    let (_o, out) = build_to(&root, &[]);
    assert!(!out.join("parcours/index").exists());
}

#[test]
fn a_front_matter_opened_as_toml_and_closed_as_yaml_gets_the_line_to_change() {
    // `+++` … `---`: « jamais fermé », with the hint to add a `+++`
    // somewhere; the `---` line is the one to change. A `---` after a
    // heading is a rule of the body: no such hint.
    let (_t, root) = site(&[
        (
            "content/fiches/a/a.md",
            "+++\ntitle = \"A\"\ntags = [\"x\"]\n---\n## Étapes\n",
        ),
        ("content/fiches/a/b.md", "+++\ntitle = \"B\"\n## Étapes\n\n---\n"),
    ]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    let got = with_hints(&diags);
    assert_eq!(got[0].0, "\"front-matter-unclosed\" \"content/fiches/a/a.md\":1");
    assert!(
        got[0].1.ends_with("la ligne 4 est `---`, qui ferme un en-tête YAML : un en-tête ouvert par `+++` se ferme par `+++`, remplacez-la"),
        "{got:?}"
    );
    assert_eq!(got[1].0, "\"front-matter-unclosed\" \"content/fiches/a/b.md\":1");
    assert!(
        got[1]
            .1
            .ends_with("ajoutez une ligne `+++` après le dernier champ de l'en-tête, avant le texte de la fiche"),
        "{got:?}"
    );
}

#[test]
fn control_characters_of_a_title_never_reach_the_html() {
    // `title = "Acc\u0000ès\u001b[31m"`: the NUL and the escape went into
    // `<title>`, `<h1>`, the lists and the links of every page showing the
    // title (parse errors in HTML, shown as U+FFFD or nothing). The
    // feeds and calendars already left them out.
    let (_t, root) = site(&[
        (
            "content/fiches/a/a.md",
            "+++\ntitle = \"Acc\\u0000ès\\u001b[31m\"\nsummary = \"un\\u0007deux\"\n+++\nx\n",
        ),
        ("content/fiches/a/b.md", &sheet("B", "[a](a.md)\n")),
    ]);
    let (_o, out) = build_to(&root, &[]);
    let mut pages = 0;
    for f in walk(&out) {
        if f.extension().is_some_and(|x| x == "html") {
            let text = read(&f);
            pages += 1;
            let bad: Vec<char> = text
                .chars()
                .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            assert!(bad.is_empty(), "{} holds {bad:?}", f.display());
        }
    }
    assert!(pages > 3);
    assert!(h1(&page(&out, "fiches/a/a/index.html")).contains("Accès[31m"));
}
