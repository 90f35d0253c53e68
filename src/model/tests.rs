//! Unit tests of the model stage through `model::build` on what
//! `load::load` read, the sequence `build`, `check` and `serve` run: page
//! URLs and their conflicts, cross-references reported at their line,
//! drafts, order.

use super::*;
use crate::diagnostics::Severity;

fn site_files(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("book.toml"), "[book]\ntitle = \"Test\"\n").unwrap();
    for (p, text) in files {
        let f = tmp.path().join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, text).unwrap();
    }
    tmp
}

fn today() -> Date {
    Date(chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap())
}

/// Loads and models the site; load must be clean, the model's findings are
/// returned.
fn model(root: &Path, include_drafts: bool) -> (Site, Diagnostics) {
    let config = crate::config::load(root).unwrap();
    let mut diags = Diagnostics::default();
    let content = crate::load::load(root, &config, &mut diags);
    assert!(diags.items.is_empty(), "load: {:#?}", diags.items);
    let opts = ModelOptions {
        include_drafts,
        today: today(),
    };
    let site = build(root, config, content, &opts, &mut diags);
    (site, diags)
}

fn sheet(title: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nupdated = 2025-09-01\n+++\n")
}

fn found(d: &Diagnostics) -> Vec<(&'static str, &str, Option<usize>)> {
    let mut v: Vec<_> = d.items.iter().map(|d| (d.code, d.file.as_str(), d.line)).collect();
    v.sort();
    v
}

#[test]
fn sheets_categories_sessions_and_paths_get_slugged_urls() {
    let tmp = site_files(&[
        ("content/fiches/Réseau Wi-Fi/Accès invité.md", &sheet("Invité")),
        (
            "content/fiches/Réseau Wi-Fi/_index.md",
            "+++\ntitle = \"Réseau\"\n+++\n",
        ),
        ("content/fiches/racine.md", &sheet("Racine")),
        (
            "content/apero-tice/2026-05 Tableur.md",
            "+++\ntitle = \"T\"\ndate = 2026-05-12\n+++\n",
        ),
        (
            "content/parcours/Débuter.md",
            "+++\ntitle = \"D\"\nfiches = [\"racine\"]\n+++\n",
        ),
    ]);
    let (site, d) = model(tmp.path(), false);
    assert!(d.items.is_empty(), "{:#?}", d.items);
    let urls: Vec<(&str, &str)> = site.sheets.iter().map(|s| (s.id.as_str(), s.url.as_str())).collect();
    assert!(
        urls.contains(&(
            "Réseau Wi-Fi/Accès invité",
            "fiches/reseau-wi-fi/acces-invite/index.html"
        )),
        "{urls:?}"
    );
    assert!(urls.contains(&("racine", "fiches/racine/index.html")), "{urls:?}");
    let cats: Vec<(&str, &str)> = site
        .categories
        .iter()
        .map(|c| (c.id.as_str(), c.url.as_str()))
        .collect();
    assert!(
        cats.contains(&("Réseau Wi-Fi", "fiches/reseau-wi-fi/index.html")),
        "{cats:?}"
    );
    // Sheets at the root of `content/fiches` belong to the sheets index.
    assert!(cats.contains(&("", "fiches/index.html")), "{cats:?}");
    assert_eq!(site.sessions[0].url, "apero-tice/2026-05-tableur/index.html");
    assert_eq!(site.paths[0].url, "parcours/debuter/index.html");
    // The Markdown source of every page maps to its URL, for links.
    for (source, url) in [
        (
            "content/fiches/Réseau Wi-Fi/Accès invité.md",
            "fiches/reseau-wi-fi/acces-invite/index.html",
        ),
        (
            "content/fiches/Réseau Wi-Fi/_index.md",
            "fiches/reseau-wi-fi/index.html",
        ),
        (
            "content/apero-tice/2026-05 Tableur.md",
            "apero-tice/2026-05-tableur/index.html",
        ),
        ("content/parcours/Débuter.md", "parcours/debuter/index.html"),
    ] {
        assert_eq!(site.pages.get(source).map(String::as_str), Some(url), "{source}");
    }
}

#[test]
fn names_that_slug_alike_collide_naming_both_files() {
    let tmp = site_files(&[
        ("content/fiches/eleves/élève.md", &sheet("A")),
        ("content/fiches/eleves/Eleve.md", &sheet("B")),
    ]);
    let (site, d) = model(tmp.path(), false);
    assert_eq!(d.items.len(), 1, "{:#?}", d.items);
    let e = &d.items[0];
    assert_eq!((e.code, e.severity), ("url-collision", Severity::Error));
    // One of the two keeps the address; the other is named with it.
    let mut both = [
        "content/fiches/eleves/élève.md".to_string(),
        "content/fiches/eleves/Eleve.md".to_string(),
    ];
    both.sort();
    assert!(both.contains(&e.file), "{}", e.file);
    for f in &both {
        assert!(e.message.contains(&format!("`{f}`")), "{f} not named: {}", e.message);
    }
    assert!(e.message.contains("fiches/eleves/eleve/"), "{}", e.message);
    // The run goes on with a distinct address, so later errors are found too.
    let mut urls: Vec<&str> = site.sheets.iter().map(|s| s.url.as_str()).collect();
    urls.sort();
    assert_eq!(
        urls,
        ["fiches/eleves/eleve-2/index.html", "fiches/eleves/eleve/index.html"]
    );
}

#[test]
fn a_sheet_named_like_a_category_folder_collides_with_it() {
    let tmp = site_files(&[
        ("content/fiches/wifi.md", &sheet("Wi-Fi")),
        ("content/fiches/wifi/invite.md", &sheet("Invité")),
    ]);
    let (_, d) = model(tmp.path(), false);
    assert_eq!(
        found(&d),
        [("url-collision", "content/fiches/wifi.md", None)],
        "{:#?}",
        d.items
    );
    assert!(
        d.items[0].message.contains("content/fiches/wifi/"),
        "{}",
        d.items[0].message
    );
}

#[test]
fn reserved_names_cannot_be_taken() {
    let tmp = site_files(&[
        ("content/fiches/wifi/livret.md", &sheet("Livret")),
        ("content/fiches/livret/a.md", &sheet("A")),
    ]);
    let (_, d) = model(tmp.path(), false);
    assert_eq!(
        found(&d),
        [
            ("url-reserved", "content/fiches/livret/", None),
            ("url-reserved", "content/fiches/wifi/livret.md", None),
        ],
        "{:#?}",
        d.items
    );
    assert!(d
        .items
        .iter()
        .all(|d| d.hint.as_deref().unwrap_or("").contains("livret-eleves")));
}

/// The support team withdrew an action that a sheet still cites: the
/// error, at the sheet's line, says what to do then, not only the ids.
#[test]
fn a_withdrawn_action_still_cited_says_what_to_do() {
    let tmp = site_files(&[
        (
            "content/actions.toml",
            "[[action]]\nid = \"imprimante\"\ntitle = \"I\"\nwho = [\"referent\"]\n",
        ),
        (
            "content/fiches/a.md",
            "+++\ntitle = \"A\"\naction = \"wifi-invite\"\n+++\n",
        ),
    ]);
    let (_, d) = model(tmp.path(), false);
    assert_eq!(found(&d), [("unknown-action", "content/fiches/a.md", Some(3))]);
    assert_eq!(
        d.items[0].hint.as_deref(),
        Some("si l'action a été retirée de la liste par la collectivité, ce que décrit la fiche ne se fait plus soi-même : retirez la ligne `action = \"wifi-invite\"` et dites dans la fiche de demander au support ; sinon, actions connues : imprimante")
    );
}

#[test]
fn an_unknown_action_is_an_error_at_its_line_suggesting_the_closest() {
    let tmp = site_files(&[
        ("content/actions.toml", "[[action]]\nid = \"wifi-invite\"\ntitle = \"W\"\nwho = [\"referent\"]\n\n[[action]]\nid = \"imprimante\"\ntitle = \"I\"\nwho = [\"referent\"]\n"),
        ("content/fiches/a.md", "+++\ntitle = \"A\"\n\n\naction = \"wifi-invit\"\n+++\n"),
        ("content/fiches/b.md", "+++\ntitle = \"B\"\naction = \"imprimante\"\n+++\n"),
    ]);
    let (site, d) = model(tmp.path(), false);
    assert_eq!(found(&d), [("unknown-action", "content/fiches/a.md", Some(5))]);
    assert_eq!(
        d.items[0].hint.as_deref(),
        Some("vouliez-vous dire `wifi-invite` ? Actions connues : wifi-invite, imprimante")
    );
    let b = &site.sheets[site.sheet_by_id["b"]];
    let action = &site.actions[b.action.unwrap()];
    assert_eq!(action.def.id, "imprimante");
    assert_eq!(action.sheets, [site.sheet_by_id["b"]]);
}

/// A sheet cited as a link or an address bar writes it: found when it
/// names one sheet, else the message names the file it would be.
#[test]
fn a_sheet_cited_by_its_address_is_found_or_named_as_its_file() {
    let tmp = site_files(&[
        ("content/fiches/atelier/fraiseuse.md", &sheet("Fraiseuse")),
        ("content/fiches/Impression/Bourrage papier.md", &sheet("Bourrage")),
        (
            "content/apero-tice/s.md",
            "+++\ntitle = \"S\"\ndate = 2026-05-12\nfiches = [\n  \"/fiches/atelier/fraiseuse/\",\n  \"fiches/atelier/fraiseuse/index.html\",\n  \"https://lycee.example.fr/aide/fiches/impression/bourrage-papier/\",\n  \"/aide/fiches/atelier/fraiseuse.html#etapes\",\n  \"/fiches/x/y/\",\n  \"/fiches/atelier/fraiseuze/\",\n]\n+++\n",
        ),
    ]);
    let (site, d) = model(tmp.path(), false);
    let (f, b) = (
        site.sheet_by_id["atelier/fraiseuse"],
        site.sheet_by_id["Impression/Bourrage papier"],
    );
    assert_eq!(site.sessions[0].fiches, [f, f, b, f]);
    let messages: Vec<(&str, Option<usize>, &str, Option<&str>)> = d
        .items
        .iter()
        .map(|d| (d.code, d.line, d.message.as_str(), d.hint.as_deref()))
        .collect();
    assert_eq!(
        messages,
        [
            (
                "unknown-sheet",
                Some(9),
                "la séance cite la fiche `/fiches/x/y/`, qui n'existe pas (attendu : `content/fiches/x/y.md`)",
                Some("l'identifiant d'une fiche est son chemin sous `content/fiches/`, sans `.md`"),
            ),
            (
                "unknown-sheet",
                Some(10),
                "la séance cite la fiche `/fiches/atelier/fraiseuze/`, qui n'existe pas (attendu : `content/fiches/atelier/fraiseuze.md`)",
                Some("vouliez-vous dire `atelier/fraiseuse` ?"),
            ),
        ]
    );
}

#[test]
fn sessions_and_paths_cite_sheets_by_id_at_their_line() {
    let tmp = site_files(&[
        ("content/fiches/bureautique/tableur-formules.md", &sheet("Formules")),
        ("content/fiches/bureautique/brouillon.md", "+++\ntitle = \"Brouillon\"\ndraft = true\n+++\n"),
        (
            "content/apero-tice/s.md",
            "+++\ntitle = \"S\"\ndate = 2026-05-12\nfiches = [\n  \"bureautique/tableur-formules\",\n  \"bureautique/tableur-partage\",\n  \"bureautique/brouillon\",\n  \"/bureautique/tableur-formules.md\",\n]\n+++\n",
        ),
        ("content/parcours/p.md", "+++\ntitle = \"P\"\nfiches = [\"inconnue\"]\n+++\n"),
    ]);
    let (site, d) = model(tmp.path(), false);
    assert_eq!(
        found(&d),
        [
            ("unknown-sheet", "content/apero-tice/s.md", Some(6)),
            ("unknown-sheet", "content/parcours/p.md", Some(3)),
        ]
    );
    let s = d.items.iter().find(|d| d.file == "content/apero-tice/s.md").unwrap();
    assert!(s.message.contains("`bureautique/tableur-partage`"), "{}", s.message);
    assert_eq!(
        s.hint.as_deref(),
        Some("vouliez-vous dire `bureautique/tableur-formules` ?")
    );
    // A draft left out is not an error; a `/…md` spelling names the same sheet.
    let f = site.sheet_by_id["bureautique/tableur-formules"];
    assert_eq!(site.sessions[0].fiches, [f, f]);
    assert_eq!(site.sheets[f].sessions, [0]);
    assert_eq!(
        site.drafts,
        [(
            "bureautique/brouillon".to_string(),
            "content/fiches/bureautique/brouillon.md".to_string()
        )]
    );
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let tmp = site_files(&[
        ("content/fiches/a.md", &sheet("A")),
        ("content/fiches/b.md", "+++\ntitle = \"B\"\ndraft = true\n+++\n"),
        (
            "content/apero-tice/s.md",
            "+++\ntitle = \"S\"\ndate = 2026-05-12\ndraft = true\n+++\n",
        ),
        ("content/parcours/p.md", "+++\ntitle = \"P\"\ndraft = true\n+++\n"),
    ]);
    let (site, _) = model(tmp.path(), false);
    let ids: Vec<&str> = site.sheets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a"]);
    assert!(site.sessions.is_empty() && site.paths.is_empty());
    assert!(!site.pages.contains_key("content/fiches/b.md"));
    let (site, _) = model(tmp.path(), true);
    let ids: Vec<&str> = site.sheets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    assert_eq!((site.sessions.len(), site.paths.len()), (1, 1));
    assert!(site.drafts.is_empty());
}

#[test]
fn order_is_weight_then_title_and_neighbours_stay_in_their_category() {
    let tmp = site_files(&[
        ("content/fiches/x/c.md", "+++\ntitle = \"Éclairage\"\n+++\n"),
        ("content/fiches/x/a.md", "+++\ntitle = \"zèbre\"\nweight = 1\n+++\n"),
        ("content/fiches/x/b.md", "+++\ntitle = \"Antenne\"\n+++\n"),
        ("content/fiches/y/d.md", "+++\ntitle = \"D\"\n+++\n"),
        ("content/fiches/y/_index.md", "+++\ntitle = \"Y\"\nweight = 1\n+++\n"),
    ]);
    let (site, d) = model(tmp.path(), false);
    assert!(d.items.is_empty(), "{:#?}", d.items);
    let ids: Vec<&str> = site.sheets.iter().map(|s| s.id.as_str()).collect();
    // Category y (weight 1) first; in x, the weighted sheet, then by title without accents.
    assert_eq!(ids, ["y/d", "x/a", "x/b", "x/c"]);
    let by = |id: &str| site.sheet_by_id[id];
    let s = &site.sheets[by("x/b")];
    assert_eq!((s.prev, s.next), (Some(by("x/a")), Some(by("x/c"))));
    assert_eq!(site.sheets[by("y/d")].next, None, "no neighbour across categories");
    assert_eq!(site.sheets[by("x/a")].prev, None);
}

#[test]
fn order_compares_whole_titles_past_their_first_sixteen_bytes() {
    // Titles alike in their first 16 bytes (folded), one the start of
    // another, equal ones (then the id decides), weights, a draft among
    // them, folders interleaved: the order is `sheet_order`'s.
    let titles = [
        ("x/a", "Configurer l'imprimante du CDI", None),
        ("x/b", "configurer l'imprimante", None),
        ("x/c", "Configurer l'imprimante", None),
        ("x/d", "Configurer l'imprimante du CDI (bis)", None),
        ("x/e", "CONFIGURER L'IMPRIMANTE DU", Some(3)),
        ("y/f", "Configurer l'imprimante du CDI", Some(3)),
        ("y/g", "Configurer l'impriman", None),
        ("x/h", "Configurer l’imprimante du CDI", None),
        ("x/i", "Écran", None),
        ("x/j", "Ecran noir", None),
        ("x/k", "ecran", Some(3)),
    ];
    let mut files: Vec<(String, String)> = titles
        .iter()
        .map(|(id, t, w)| {
            let w = w.map(|w| format!("weight = {w}\n")).unwrap_or_default();
            (
                format!("content/fiches/{id}.md"),
                format!("+++\ntitle = \"{t}\"\n{w}+++\n"),
            )
        })
        .collect();
    files.push((
        "content/fiches/x/draft.md".into(),
        "+++\ntitle = \"Configurer\"\ndraft = true\n+++\n".into(),
    ));
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let tmp = site_files(&files);
    let (site, d) = model(tmp.path(), false);
    assert!(d.items.is_empty(), "{:#?}", d.items);
    let got: Vec<&str> = site.sheets.iter().map(|s| s.id.as_str()).collect();
    let mut want: Vec<&Sheet> = site.sheets.iter().collect();
    want.sort_by_key(|s| sheet_order(Some(s.category), s.weight, &s.title, &s.id));
    let want: Vec<&str> = want.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(got, want);
    assert_eq!(
        got,
        ["x/e", "x/k", "x/b", "x/c", "x/a", "x/h", "x/d", "x/i", "x/j", "y/f", "y/g"]
    );
    assert_eq!(
        site.drafts,
        [("x/draft".to_string(), "content/fiches/x/draft.md".to_string())]
    );
}

#[test]
fn sessions_are_upcoming_from_today_on_newest_first() {
    let tmp = site_files(&[
        ("content/fiches/a.md", &sheet("A")),
        (
            "content/apero-tice/passee.md",
            "+++\ntitle = \"P\"\ndate = 2025-12-01\n+++\n",
        ),
        (
            "content/apero-tice/aujourdhui.md",
            "+++\ntitle = \"A\"\ndate = 2026-01-15\n+++\n",
        ),
        (
            "content/apero-tice/future.md",
            "+++\ntitle = \"F\"\ndate = 2026-03-01\n+++\n",
        ),
    ]);
    let (site, _) = model(tmp.path(), false);
    let order: Vec<(&str, bool)> = site.sessions.iter().map(|s| (s.slug.as_str(), s.upcoming)).collect();
    assert_eq!(order, [("future", true), ("aujourdhui", true), ("passee", false)]);
    let next: Vec<&str> = site.upcoming_sessions().map(|(_, s)| s.slug.as_str()).collect();
    assert_eq!(next, ["aujourdhui", "future"]);
}

#[test]
fn the_updated_date_comes_from_the_front_matter_first() {
    let tmp = site_files(&[
        ("content/fiches/a.md", &sheet("A")),
        ("content/fiches/b.md", "+++\ntitle = \"B\"\n+++\n"),
    ]);
    let (site, _) = model(tmp.path(), false);
    let a = &site.sheets[site.sheet_by_id["a"]];
    assert_eq!(
        (a.updated.map(|d| d.iso()), a.updated_from),
        (Some("2025-09-01".into()), DateSource::FrontMatter)
    );
    // Outside git, the file's own time.
    let b = &site.sheets[site.sheet_by_id["b"]];
    assert_eq!(b.updated_from, DateSource::FileTime);
    assert!(b.updated.is_some());
}

/// The line of a sheet's `updated = …`, found at load from the text read
/// once (the follow-up page and `check` point there), is the one found by
/// reading the file again, as the follow-up did: the key first, further
/// down and indented, after a BOM, after a table (not a top-level key: no
/// line), or missing.
#[test]
fn the_updated_line_found_at_load_is_the_files() {
    let tmp = site_files(&[
        (
            "content/fiches/a/premier.md",
            "+++\nupdated = 2020-01-02\ntitle = \"A\"\n+++\n\nTexte.\n",
        ),
        (
            "content/fiches/a/plus-loin.md",
            "+++\ntitle = \"B\"\ntags = [\"x\"]\n\n  updated  = 2020-01-03\n+++\n\nTexte.\n",
        ),
        (
            "content/fiches/a/bom.md",
            "\u{feff}+++\ntitle = \"C\"\nupdated = 2020-01-04\n+++\n\nTexte.\n",
        ),
        (
            "content/fiches/a/table.md",
            "+++\ntitle = \"D\"\n[validation]\nby = \"X\"\non = 2020-01-01\n+++\n\nTexte.\n",
        ),
        ("content/fiches/a/sans.md", "+++\ntitle = \"E\"\n+++\n\nTexte.\n"),
    ]);
    let (site, _) = model(tmp.path(), false);
    let line = |id: &str| {
        let s = site.sheets.iter().find(|s| s.id == id).unwrap();
        let again = match s.updated_from {
            DateSource::FrontMatter => crate::followup::front_matter_line(&site, &s.source, "updated"),
            _ => None,
        };
        let kept = s.updated_line.filter(|_| s.updated_from == DateSource::FrontMatter);
        assert_eq!(kept, again, "{id}");
        kept
    };
    assert_eq!(line("a/premier"), Some(2));
    assert_eq!(line("a/plus-loin"), Some(5));
    assert_eq!(line("a/bom"), Some(3));
    assert_eq!(line("a/table"), None);
    assert_eq!(line("a/sans"), None);
}

/// `build::generated_among` reads only the kinds of pages whose folder
/// (`DocKind::folder`) a static file starts with: every page must be in
/// its kind's folder, a collision's `-2` and the root category included.
#[test]
fn every_page_is_in_its_kinds_folder() {
    let tmp = site_files(&[
        ("content/fiches/élève.md", &sheet("Élève")),
        ("content/fiches/eleve.md", &sheet("Eleve")),
        ("content/fiches/Wi-Fi/Portail/accès.md", &sheet("Accès")),
        (
            "content/apero-tice/a b.md",
            "+++\ntitle = \"T\"\ndate = 2026-05-12\n+++\n",
        ),
        (
            "content/apero-tice/a-b.md",
            "+++\ntitle = \"U\"\ndate = 2026-05-13\n+++\n",
        ),
        (
            "content/parcours/p.md",
            "+++\ntitle = \"P\"\nfiches = [\"eleve\"]\n+++\n",
        ),
        (
            "content/parcours/P.md",
            "+++\ntitle = \"Q\"\nfiches = [\"eleve\"]\n+++\n",
        ),
    ]);
    let (site, d) = model(tmp.path(), false);
    // The three collisions are reported, and each page got a URL all the same.
    assert_eq!(
        d.items.iter().filter(|d| d.code == "url-collision").count(),
        3,
        "{:#?}",
        d.items
    );
    let urls: Vec<(DocKind, &str)> = site.documents().map(|d| (d.kind, d.url)).collect();
    assert!(urls.iter().any(|(_, u)| u.contains("-2/")), "{urls:?}");
    assert!(urls.contains(&(DocKind::Category, "fiches/index.html")), "{urls:?}");
    for kind in [DocKind::Sheet, DocKind::Session, DocKind::Path, DocKind::Category] {
        assert!(urls.iter().any(|(k, _)| *k == kind), "{kind:?}: {urls:?}");
    }
    for (kind, url) in &urls {
        assert!(url.starts_with(&format!("{}/", kind.folder())), "{kind:?} {url}");
    }
}

/// A static file in the way of a page is said whatever the page's kind,
/// and one beside the pages is not.
#[test]
fn a_static_file_in_the_way_of_a_page_of_any_kind_is_said() {
    let tmp = site_files(&[
        ("content/fiches/Wi-Fi/accès.md", &sheet("Accès")),
        (
            "content/apero-tice/tableur.md",
            "+++\ntitle = \"T\"\ndate = 2026-05-12\n+++\n",
        ),
        (
            "content/parcours/debuter.md",
            "+++\ntitle = \"P\"\nfiches = [\"Wi-Fi/accès\"]\n+++\n",
        ),
        ("static/fiches/wi-fi/acces/index.html", "x"),
        ("static/fiches/wi-fi/index.html/plan.txt", "x"),
        ("static/apero-tice/tableur/index.html", "x"),
        ("static/parcours/debuter", "x"),
        ("static/images/fiches/wi-fi/acces/index.html", "x"),
        ("static/fiches/wi-fi/acces/capture.png", "x"),
    ]);
    let (site, _) = model(tmp.path(), false);
    let mut said: Vec<String> = crate::build::source_problems(&site)
        .into_iter()
        .filter(|d| d.code == "static-shadowed")
        .map(|d| d.file)
        .collect();
    said.sort();
    assert_eq!(
        said,
        [
            "static/apero-tice/tableur/index.html",
            "static/fiches/wi-fi/acces/index.html",
            "static/fiches/wi-fi/index.html/plan.txt",
            "static/parcours/debuter",
        ]
    );
}
