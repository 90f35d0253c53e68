//! Unit tests of the load stage through `load::load`, the entry point of
//! `build`, `check` and `serve`: what each folder becomes, and how a file
//! that cannot be read or decoded is reported (file, line, column) without
//! stopping the others.

use super::*;
use crate::diagnostics::Severity;

/// A site in a temporary folder: `book.toml` and the given files.
fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("book.toml"), "[book]\ntitle = \"Test\"\n").unwrap();
    std::fs::create_dir_all(tmp.path().join("content/fiches")).unwrap();
    for (p, bytes) in files {
        let f = tmp.path().join(p);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, bytes).unwrap();
    }
    tmp
}

fn load_site(root: &Path) -> (Content, Diagnostics) {
    let config = crate::config::load(root).unwrap();
    let mut diags = Diagnostics::default();
    let content = load(root, &config, &mut diags);
    (content, diags)
}

fn found(d: &Diagnostics) -> Vec<(&'static str, &str, Option<usize>, Option<usize>)> {
    let mut v: Vec<_> = d
        .items
        .iter()
        .map(|d| (d.code, d.file.as_str(), d.line, d.column))
        .collect();
    v.sort();
    v
}

#[test]
fn each_folder_gives_its_kind_of_record() {
    let tmp = site(&[
        (
            "content/fiches/wifi/invite.md",
            b"+++\ntitle = \"Invit\xc3\xa9\"\naction = \"wifi-invite\"\n+++\nCorps\n",
        ),
        (
            "content/fiches/wifi/_index.md",
            b"+++\ntitle = \"R\xc3\xa9seau Wi-Fi\"\n+++\nIntro\n",
        ),
        ("content/fiches/vide/sous/a.md", b"+++\ntitle = \"A\"\n+++\n"),
        ("content/fiches/wifi/note.txt", b"pas une fiche"),
        (
            "content/apero-tice/2026-05-tableur.md",
            b"+++\ntitle = \"Tableur\"\ndate = 2026-05-12\n\nfiches = [\"wifi/invite\"]\n+++\n",
        ),
        (
            "content/parcours/debuter.md",
            b"+++\ntitle = \"D\xc3\xa9buter\"\nfiches = [\n  \"wifi/invite\",\n  \"vide/sous/a\",\n]\n+++\n",
        ),
        (
            "content/actions.toml",
            b"[[action]]\nid = \"wifi-invite\"\ntitle = \"Ouvrir le Wi-Fi\"\nwho = [\"referent\"]\n",
        ),
    ]);
    let (c, d) = load_site(tmp.path());
    assert!(d.items.is_empty(), "{:#?}", d.items);
    let mut sheets: Vec<(&str, &str, usize)> = c
        .sheets
        .iter()
        .map(|s| (s.id.as_str(), s.source.as_str(), s.body_line))
        .collect();
    sheets.sort();
    assert_eq!(
        sheets,
        [
            ("vide/sous/a", "content/fiches/vide/sous/a.md", 4),
            ("wifi/invite", "content/fiches/wifi/invite.md", 5)
        ]
    );
    let invite = c.sheets.iter().find(|s| s.id == "wifi/invite").unwrap();
    assert_eq!((invite.meta.title.as_str(), &*invite.body), ("Invité", "Corps\n"));
    assert_eq!(invite.action_line, Some(3));
    assert!(invite.origin.is_none());
    // Every folder is a category; `_index.md` gives one its title and text.
    let mut cats: Vec<(&str, Option<&str>)> = c
        .categories
        .iter()
        .map(|c| (c.id.as_str(), c.meta.as_ref().map(|m| m.title.as_deref().unwrap_or(""))))
        .collect();
    cats.sort();
    assert_eq!(
        cats,
        [("vide", None), ("vide/sous", None), ("wifi", Some("Réseau Wi-Fi"))]
    );
    let s = &c.sessions[0];
    assert_eq!(
        (s.slug.as_str(), &s.fiches[..]),
        ("2026-05-tableur", &[("wifi/invite".to_string(), 5)][..])
    );
    let p = &c.paths[0];
    assert_eq!(p.slug, "debuter");
    assert_eq!(
        p.fiches,
        [("wifi/invite".to_string(), 4), ("vide/sous/a".to_string(), 5)]
    );
    let a = &c.actions[0];
    assert_eq!(
        (a.id.as_str(), a.line, a.source.as_str()),
        ("wifi-invite", 2, "content/actions.toml")
    );
    assert!(c.files.contains(&"content/fiches/wifi/_index.md".to_string()));
    assert!(!c.files.iter().any(|f| f.ends_with(".txt")));
    assert!(c.failed.is_empty());
}

#[test]
fn a_file_that_is_not_utf8_names_its_first_bad_byte_and_the_rest_loads() {
    // Latin-1 `é` (0xE9) in `Réseau`, line 4, column 2.
    let tmp = site(&[
        ("content/fiches/a/latin1.md", b"+++\ntitle = \"A\"\n+++\nR\xe9seau\n"),
        ("content/fiches/a/bon.md", b"+++\ntitle = \"Bon\"\n+++\n"),
    ]);
    let (c, d) = load_site(tmp.path());
    assert_eq!(
        found(&d),
        [("not-utf8", "content/fiches/a/latin1.md", Some(4), Some(2))]
    );
    assert!(d.items[0].message.contains("0xE9"), "{}", d.items[0].message);
    assert!(d.items[0].hint.is_some());
    assert_eq!(c.failed, ["content/fiches/a/latin1.md"]);
    let ids: Vec<&str> = c.sheets.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a/bon"]);
}

#[test]
fn a_bad_byte_after_multibyte_characters_is_counted_in_characters() {
    let tmp = site(&[(
        "content/fiches/a.md",
        "+++\ntitle = \"A\"\n+++\nÉtapes à \u{0}".as_bytes(),
    )]);
    // A NUL is valid UTF-8: the file loads.
    let (c, d) = load_site(tmp.path());
    assert!(d.items.is_empty(), "{:#?}", d.items);
    assert_eq!(c.sheets.len(), 1);
    let tmp = site(&[(
        "content/fiches/a.md",
        b"+++\ntitle = \"A\"\n+++\n\xc3\x89tapes \xc3\xa0 \xff\n",
    )]);
    let (_, d) = load_site(tmp.path());
    assert_eq!(found(&d), [("not-utf8", "content/fiches/a.md", Some(4), Some(10))]);
    assert!(d.items[0].message.contains("0xFF"));
}

#[test]
fn byte_order_marks_and_crlf_line_ends_load_like_plain_files() {
    let tmp = site(&[
        (
            "content/fiches/a/crlf.md",
            b"\xef\xbb\xbf+++\r\ntitle = \"Windows\"\r\n\r\naction = \"x\"\r\n+++\r\nCorps\r\n",
        ),
        (
            "content/actions.toml",
            b"\xef\xbb\xbf[[action]]\r\nid = \"x\"\r\ntitle = \"X\"\r\nwho = [\"eleve\"]\r\n",
        ),
    ]);
    let (c, d) = load_site(tmp.path());
    assert!(d.items.is_empty(), "{:#?}", d.items);
    let s = &c.sheets[0];
    assert_eq!(
        (s.meta.title.as_str(), s.action_line, s.body_line),
        ("Windows", Some(4), 6)
    );
    assert_eq!(&*s.body, "Corps\r\n");
    assert_eq!((c.actions[0].id.as_str(), c.actions[0].line), ("x", 2));
}

#[test]
fn errors_in_several_files_are_all_reported() {
    let tmp = site(&[
        ("content/fiches/a/vide.md", b""),
        ("content/fiches/a/ouvert.md", b"+++\ntitle = \"A\"\n"),
        ("content/fiches/a/cle.md", b"+++\ntitle = \"A\"\nauteur = \"B\"\n+++\n"),
        ("content/apero-tice/s.md", b"+++\ntitle = \"S\"\n+++\n"),
        (
            "content/parcours/p.md",
            b"+++\ntitle = \"P\"\nfiches = \"a/cle\"\n+++\n",
        ),
        ("content/fiches/a/_index.md", b"+++\ntitle = \"A\"\nweigth = 1\n+++\n"),
    ]);
    let (c, d) = load_site(tmp.path());
    assert_eq!(
        found(&d),
        [
            ("empty-file", "content/fiches/a/vide.md", Some(1), None),
            ("front-matter-unclosed", "content/fiches/a/ouvert.md", Some(1), Some(1)),
            ("invalid-value", "content/parcours/p.md", Some(3), Some(10)),
            ("missing-field", "content/apero-tice/s.md", Some(1), None),
            ("unknown-key", "content/fiches/a/_index.md", Some(3), Some(1)),
            ("unknown-key", "content/fiches/a/cle.md", Some(3), Some(1)),
        ]
    );
    assert!(d.items.iter().all(|d| d.severity == Severity::Error));
    assert_eq!(c.failed.len(), 6);
    // The pages whose front matter alone is wrong are read leniently, so
    // that their body is checked in the same run (`header_error`), the
    // line refused left out, the others kept.
    assert_eq!(c.sheets.len(), 1);
    assert!(c.sheets[0].header_error && c.sheets[0].source == "content/fiches/a/cle.md");
    assert_eq!(c.sheets[0].meta.title, "A");
    assert_eq!(c.sessions.len(), 1);
    assert!(c.sessions[0].header_error && c.sessions[0].meta.title == "S");
    assert_eq!(c.paths.len(), 1);
    assert!(c.paths[0].header_error && c.paths[0].meta.title == "P" && c.paths[0].fiches.is_empty());
    let category = c.categories.iter().find(|c| c.source.is_some()).unwrap();
    assert_eq!(category.meta.as_ref().and_then(|m| m.title.as_deref()), Some("A"));
}

#[test]
fn actions_toml_ids_are_checked_with_their_lines() {
    let tmp = site(&[(
        "content/actions.toml",
        b"[[action]]\nid = \"wifi\"\ntitle = \"A\"\nwho = [\"referent\"]\n\n[[action]]\nid = \"Wi Fi\"\ntitle = \"B\"\nwho = []\n\n[[action]]\nid = \"wifi\"\ntitle = \"C\"\nwho = []\n",
    )]);
    let (c, d) = load_site(tmp.path());
    assert_eq!(
        found(&d),
        [
            ("action-duplicate-id", "content/actions.toml", Some(12), None),
            ("action-invalid-id", "content/actions.toml", Some(7), None),
        ]
    );
    let dup = d.items.iter().find(|d| d.code == "action-duplicate-id").unwrap();
    assert!(
        dup.message.contains("`wifi`") && dup.message.contains("ligne 2"),
        "{}",
        dup.message
    );
    // The first definition is kept.
    let titles: Vec<&str> = c.actions.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, ["A", "B"]);
}

#[test]
fn a_broken_actions_toml_is_reported_in_its_own_lines() {
    let tmp = site(&[("content/actions.toml", b"[[action]]\nid = \"a\"\ntitle = \"A\"\n")]);
    let (_, d) = load_site(tmp.path());
    let codes: Vec<_> = d.items.iter().map(|d| (d.code, d.file.as_str())).collect();
    assert_eq!(codes, [("missing-field", "content/actions.toml")]);
    assert!(d.items[0].message.contains("`who`"), "{}", d.items[0].message);
    let tmp = site(&[(
        "content/actions.toml",
        b"# liste\n[[action]]\nid = \"a\ntitle = \"A\"\n",
    )]);
    let (_, d) = load_site(tmp.path());
    assert_eq!(found(&d)[0].0, "toml-syntax");
    assert_eq!(found(&d)[0].2, Some(3));
    let tmp = site(&[(
        "content/actions.toml",
        b"[[action]]\nid = \"a\"\ntitle = \"\xe9\"\nwho = []\n",
    )]);
    let (_, d) = load_site(tmp.path());
    assert_eq!(found(&d), [("not-utf8", "content/actions.toml", Some(3), Some(10))]);
}

#[test]
fn a_site_without_sheets_is_a_warning() {
    let tmp = site(&[]);
    std::fs::remove_dir(tmp.path().join("content/fiches")).unwrap();
    let (c, d) = load_site(tmp.path());
    let codes: Vec<_> = d.items.iter().map(|d| (d.code, d.severity)).collect();
    assert_eq!(codes, [("no-sheets", Severity::Warning)]);
    assert!(c.sheets.is_empty());
}
