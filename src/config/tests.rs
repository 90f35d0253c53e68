//! Unit tests of `book.toml` through `config::parse` and `config::load`,
//! the entry points every command calls: defaults, strictness (an unknown
//! key is an error with its line and a suggestion), validation of values.

use super::*;
use crate::diagnostics::Severity;

const BOOK: &str = "[book]\ntitle = \"Aide numérique\"\n";

fn errors(text: &str) -> Vec<(&'static str, Option<usize>)> {
    let d = parse(text).err().unwrap_or_else(|| panic!("accepted:\n{text}"));
    d.items.iter().map(|d| (d.code, d.line)).collect()
}

fn only_error(text: &str) -> Diagnostic {
    let d = parse(text).err().unwrap_or_else(|| panic!("accepted:\n{text}"));
    assert_eq!(d.items.len(), 1, "{:#?}", d.items);
    let d = d.items.into_iter().next().unwrap();
    assert_eq!((d.severity, d.file.as_str()), (Severity::Error, CONFIG_FILE));
    d
}

#[test]
fn a_minimal_book_gets_the_documented_defaults() {
    let c = parse(BOOK).unwrap();
    assert_eq!(c.book.title, "Aide numérique");
    assert_eq!((c.book.language.as_str(), c.book.description.as_str()), ("fr", ""));
    assert_eq!(
        (c.build.output_dir.as_str(), c.build.theme.as_str()),
        ("public", "default")
    );
    assert_eq!(c.check.stale_after_days, 540);
    assert!(c.offline.enabled);
    assert_eq!(c.offline.max_mb, 5.0);
    assert!(c.pool.is_empty() && c.search.synonyms.is_empty());
    assert!(c.support.is_none() && c.accessibility.is_none());
    assert!(c.site.repository.is_none() && c.site.edit_url.is_none());
}

#[test]
fn every_section_is_read() {
    let text = format!(
        "{BOOK}description = \"Fiches\"\n\n[site]\nrepository = \"https://forge.example.org/clg/fiches\"\nedit-url = \"https://forge.example.org/clg/fiches/edit/main/\"\n\n[build]\noutput-dir = \"site\"\n\n[search]\nsynonyms = [[\"wifi\", \"wi-fi\"]]\n\n[support]\nemail = \"aide@clg.example.org\"\n\n[check]\nstale-after-days = 365\n\n[accessibility]\nstatus = \"partiel\"\naudited-on = 2025-06-01\n\n[[pool]]\npath = \"mutualise\"\nlabel = \"Académie\"\n\n[offline]\nenabled = false\n"
    );
    let c = parse(&text).unwrap();
    assert_eq!(c.book.description, "Fiches");
    assert_eq!(
        c.site.repository.as_deref(),
        Some("https://forge.example.org/clg/fiches")
    );
    assert_eq!(c.build.output_dir, "site");
    assert_eq!(c.search.synonyms, [["wifi", "wi-fi"]]);
    assert_eq!(c.support.unwrap().email.as_deref(), Some("aide@clg.example.org"));
    assert_eq!(c.check.stale_after_days, 365);
    assert_eq!(c.accessibility.unwrap().status, "partiel");
    assert_eq!(c.pool.len(), 1);
    assert_eq!(
        (c.pool[0].path.to_str(), c.pool[0].label.as_deref()),
        (Some("mutualise"), Some("Académie"))
    );
    assert!(!c.offline.enabled);
}

#[test]
fn an_unknown_key_is_an_error_at_its_line_with_a_suggestion() {
    let d = only_error(&format!("{BOOK}\n[site]\nrepository = \"https://forge.example.org/x\"\nedit_url = \"https://forge.example.org/x/edit/\"\n"));
    assert_eq!((d.code, d.line, d.column), ("unknown-key", Some(6), Some(1)));
    assert!(d.message.contains("`edit_url`"), "{}", d.message);
    assert_eq!(d.hint.as_deref(), Some("vouliez-vous dire `edit-url` ?"));
    // An unknown section too: nothing is ignored.
    assert_eq!(
        errors(&format!("{BOOK}[serach]\nsynonyms = []\n")),
        [("unknown-key", Some(3))]
    );
}

#[test]
fn a_missing_book_section_or_title_is_an_error() {
    let d = only_error("[site]\nrepository = \"https://forge.example.org/x\"\n");
    assert_eq!(d.code, "missing-field");
    assert!(d.message.contains("`book`"), "{}", d.message);
    assert!(d.hint.as_deref().unwrap_or("").contains("[book]"), "{:?}", d.hint);
    let d = only_error("[book]\ndescription = \"x\"\n");
    assert_eq!(d.code, "missing-field");
    assert!(d.message.contains("`title`"), "{}", d.message);
}

#[test]
fn an_empty_title_is_an_error_at_its_line() {
    let d = only_error("# Le site\n[book]\ndescription = \"x\"\ntitle = \"  \"\n");
    assert_eq!((d.code, d.line), ("config-empty-title", Some(4)));
}

#[test]
fn values_are_checked_with_their_line() {
    assert_eq!(
        errors(&format!("{BOOK}\n[site]\nrepository = \"forge.example.org/x\"\n")),
        [("invalid-url", Some(5))]
    );
    assert_eq!(
        errors(&format!("{BOOK}[support]\nemail = \"aide@x.org, autre@x.org\"\n")),
        [("invalid-email", Some(4))]
    );
    assert_eq!(
        errors(&format!("{BOOK}[check]\nstale-after-days = \"un an\"\n")),
        [("invalid-value", Some(4))]
    );
    assert_eq!(
        errors(&format!("{BOOK}title = \"bis\"\n")),
        [("duplicate-key", Some(3))]
    );
    assert_eq!(errors(&format!("{BOOK}[build\n")), [("toml-syntax", Some(3))]);
}

#[test]
fn find_key_line_finds_the_first_assignment() {
    let text = "[book]\n  title=\"a\"\n[x]\ntitles = 1\ntitle = 2\n";
    assert_eq!(find_key_line(text, "title"), Some(2));
    assert_eq!(find_key_line(text, "titles"), Some(4));
    assert_eq!(find_key_line(text, "absent"), None);
}

#[test]
fn load_reads_book_toml_from_the_site_root() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = load(tmp.path()).unwrap_err();
    let codes: Vec<_> = missing.items.iter().map(|d| (d.code, d.file.as_str())).collect();
    assert_eq!(codes, [("config-missing", CONFIG_FILE)]);
    assert!(missing.items[0].hint.as_deref().unwrap_or("").contains("fiches init"));

    std::fs::write(tmp.path().join(CONFIG_FILE), BOOK).unwrap();
    assert_eq!(load(tmp.path()).unwrap().book.title, "Aide numérique");

    // Latin-1: `é` is 0xE9, on line 2.
    std::fs::write(tmp.path().join(CONFIG_FILE), b"[book]\ntitle = \"Aide num\xe9rique\"\n").unwrap();
    let d = load(tmp.path()).unwrap_err();
    let codes: Vec<_> = d.items.iter().map(|d| (d.code, d.line, d.column)).collect();
    assert_eq!(codes, [("not-utf8", Some(2), Some(18))]);
    assert!(d.items[0].message.contains("0xE9"), "{}", d.items[0].message);
}

#[test]
fn base_url_origin_and_path() {
    let b = |s: &str| BaseUrl::parse(s).unwrap();
    for (given, origin, path) in [
        ("/aide-numerique/", None, "/aide-numerique/"),
        ("aide", None, "/aide/"),
        ("", None, "/"),
        ("/", None, "/"),
        ("https://clg.example.org", Some("https://clg.example.org"), "/"),
        (
            "https://clg.example.org/aide/",
            Some("https://clg.example.org"),
            "/aide/",
        ),
        (
            "http://Clg.Example.org:8080/aide",
            Some("http://clg.example.org:8080"),
            "/aide/",
        ),
    ] {
        assert_eq!((b(given).origin(), b(given).path()), (origin, path), "{given}");
    }
    assert_eq!(
        b("https://clg.example.org:8443/a/").host(),
        Some("clg.example.org:8443")
    );
    assert_eq!(b("https://h.org/a").to_string(), "https://h.org/a/");
    for bad in [
        "https://h.org/a?x=1",
        "https://h.org/#top",
        "https://u:p@h.org/",
        "ftp://h.org/",
        "//h.org/",
    ] {
        assert!(BaseUrl::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn public_urls() {
    let b = BaseUrl::parse("http://h.org:8080/aide/").unwrap();
    assert_eq!(
        b.public_url("fiches/wifi/index.html"),
        "http://h.org:8080/aide/fiches/wifi/"
    );
    assert_eq!(b.public_url("index.html#x"), "http://h.org:8080/aide/#x");
    assert_eq!(
        b.public_uri("fiches/é/index.html"),
        "http://h.org:8080/aide/fiches/%C3%A9/"
    );
    let p = BaseUrl::parse("/aide/").unwrap();
    assert_eq!(p.public_url("atom.xml"), "/aide/atom.xml");
}

#[test]
fn an_invalid_base_url_names_its_line() {
    let d = parse("[book]\ntitle = \"T\"\n[site]\nbase-url = \"https://h.org/?x\"\n").unwrap_err();
    let d = &d.items[0];
    assert_eq!((d.code, d.file.as_str(), d.line), ("invalid-url", CONFIG_FILE, Some(4)));
}

#[test]
fn a_key_under_another_table_is_said_to_belong_to_its_own() {
    // `synonyms` after `[offline]`: TOML gives it to `[offline]`.
    let text = format!("{BOOK}\n[search]\nsynonyms = [\n  [\"tni\", \"vpi\"],\n  [\"mdp\", \"mot de passe\"]\n]\n\n[offline]\nmax-mb = 8\nsynonyms = [[\"cn\", \"commande numérique\"]]\n");
    let d = only_error(&text);
    assert_eq!((d.code, d.line), ("unknown-key", Some(12)));
    assert_eq!(
        d.hint.as_deref(),
        Some("`synonyms` appartient à la table `[search]`, mais la ligne est écrite sous `[offline]` (ligne 10) : en TOML, une clé appartient à la dernière ligne `[…]` au-dessus d'elle ; déplacez-la sous `[search]` (ligne 4)")
    );
    // Before any table line, and its table not written yet.
    let d = only_error(&format!("base-url = \"/aide/\"\n{BOOK}"));
    assert_eq!((d.code, d.line), ("unknown-key", Some(1)));
    assert_eq!(
        d.hint.as_deref(),
        Some("`base-url` appartient à la table `[site]`, mais la ligne est écrite avant toute ligne `[…]`, hors des tables ; déplacez-la sous une ligne `[site]`, à ajouter")
    );
    // An array of tables, and a table written with spaces.
    let d = only_error(&format!("{BOOK}[ support ]\nemail = \"a@b.fr\"\nlabel = \"Commun\"\n"));
    assert!(
        d.hint.as_deref().unwrap().starts_with(
            "`label` appartient à la table `[[pool]]`, mais la ligne est écrite sous `[support]` (ligne 3)"
        ),
        "{:?}",
        d.hint
    );
    // A key misspelt in its own table keeps its suggestion; a key of no
    // table keeps the table's keys.
    let d = only_error(&format!("{BOOK}[offline]\nmax_mb = 8\n"));
    assert_eq!(d.hint.as_deref(), Some("vouliez-vous dire `max-mb` ?"));
    let d = only_error(&format!("{BOOK}[offline]\nzzz = 8\n"));
    assert_eq!(
        d.hint.as_deref(),
        Some("clés possibles : enabled, max-mb, short-name, theme-color")
    );
}

/// Every misspelt key and wrong value of `book.toml` in one run, each at
/// its line: a contributor mends them all at once.
#[test]
fn every_error_of_book_toml_in_one_run() {
    let text =
        "[book]\ntitle = \"Aide\"\nlangage = \"fr\"\n\n[site]\nbase_url = \"/aide/\"\n\n[offline]\nmax-mb = \"cinq\"\n";
    assert_eq!(
        errors(text),
        [
            ("unknown-key", Some(3)),
            ("unknown-key", Some(6)),
            ("invalid-value", Some(9)),
        ]
    );
}
