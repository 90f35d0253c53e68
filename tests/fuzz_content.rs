//! Property tests over what contributors write: front matter, Markdown
//! bodies, `book.toml`, `actions.toml`, and a whole site made of them. Input
//! is random text seeded with what real French content holds (no-break
//! spaces, emoji, combining accents, NUL, RTL marks, unclosed comments, raw
//! HTML, broken TOML). No input may panic or hang, and every finding must
//! point inside its file and print inert on a terminal.
//!
//! A short run is part of `cargo test` (a few seconds); a long run:
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz_content` (see
//! docs/check.md, "Fuzzing").

use fiches::diagnostics::Diagnostic;
use fiches::frontmatter::{self, ActionsFile, CategoryMeta, PathMeta, SessionMeta, SheetMeta};
use fiches::markdown::{self, LinkIndex, PageCtx};
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};
use std::sync::mpsc;
use std::time::Duration;

/// Cases per property: `PROPTEST_CASES`, or `default` for the normal run.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `f` on another thread and fails if it takes more than a generous
/// bound: a hang is a finding, not a stuck test run.
fn within<T: Send + 'static>(what: &str, input: String, f: impl FnOnce(&str) -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let shown = input.clone();
    std::thread::spawn(move || {
        let _ = tx.send(f(&input));
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what}: no answer after 20 s on {shown:?}"),
        // The thread panicked: its message is already printed.
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{what}: panic on {shown:?}"),
    }
}

/// Pieces that break naive code: French typography, Unicode that is not one
/// byte per character, HTML that opens and never closes, Markdown syntax.
const TRICKY: &[&str] = &[
    "\u{a0}:",
    " ?\u{202f}",
    "«\u{a0}",
    "👩🏽‍🏫",
    "🇫🇷",
    "e\u{301}",
    "\u{0}",
    "\u{200f}",
    "\u{202e}",
    "\u{feff}",
    "\u{1b}[31m",
    "\r\n",
    "\r",
    "\t",
    "<!--",
    "-->",
    "--!>",
    "<!-- note -->",
    "<script>",
    "</script>",
    "<style>",
    "</style>",
    "<div>",
    "</div>",
    "<kbd>Ctrl</kbd>",
    "<a href=\"x>y\">",
    "<![CDATA[",
    "<?php",
    "&nbsp;",
    "&#0;",
    "&#x110000;",
    "&amp",
    "<",
    ">",
    "&",
    "\n",
    "\n\n",
    "## ",
    "# Titre\n",
    "## Titre {#titre-1}\n",
    "## Titre {#titre}\n",
    "```\n",
    "```rust\n",
    "    code\n",
    "> [!WARNING]\n> ",
    "> ",
    "| a | b |\n|---|---|\n| c | d |\n",
    "- [ ] ",
    "- [x] ",
    "1. ",
    "* ",
    "_",
    "**",
    "`",
    "~~",
    "[lien](autre.md#section)",
    "[lien](../wifi/a.md)",
    "[x](#)",
    "[x](#titre)",
    "![](/images/a.png)",
    "![alt](image.png \"t\")",
    "[^1]",
    "[^1]: note\n",
    "<https://exemple.org>",
    "[x](javascript:alert(1))",
    "\\",
    "+++\n",
    "Étape\u{a0}1\u{a0}: redémarrer l'imprimante ?",
];

fn tricky_text(max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(TRICKY).prop_map(str::to_string),
        1 => "\\PC{0,8}",
        1 => any::<char>().prop_map(|c| c.to_string()),
        1 => "[a-zA-Zàéèêçô ]{1,12}",
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|v| v.concat())
}

/// A TOML value, often valid, sometimes not.
fn toml_value() -> impl Strategy<Value = String> {
    prop_oneof![
        tricky_text(6).prop_map(|s| format!("{s:?}")),
        tricky_text(6).prop_map(|s| format!("\"{s}\"")),
        tricky_text(4).prop_map(|s| format!("'{s}'")),
        tricky_text(4).prop_map(|s| format!("\"\"\"{s}\"\"\"")),
        Just("2025-09-12".to_string()),
        Just("2025-13-45".to_string()),
        Just("99999999999999999999".to_string()),
        Just("true".to_string()),
        Just("[\"enseignant\", \"eleve\"]".to_string()),
        Just("[\"prof\"]".to_string()),
        Just("\"25:99\"".to_string()),
        Just("\"12:30\"".to_string()),
        Just("\"javascript:alert(1)\"".to_string()),
        Just("\"https://a.example.org/\\r\\nX: 1\"".to_string()),
        Just("{ a = 1 }".to_string()),
        Just("[".to_string()),
        Just("\"\\x\"".to_string()),
        tricky_text(3),
    ]
}

const FRONT_KEYS: &[&str] = &[
    "title",
    "summary",
    "tags",
    "audience",
    "action",
    "updated",
    "weight",
    "draft",
    "date",
    "time",
    "location",
    "presenters",
    "fiches",
    "description",
    "titre",
    "title",
];

fn toml_lines(keys: &'static [&'static str], tables: &'static [&'static str]) -> impl Strategy<Value = String> {
    let line = prop_oneof![
        6 => (proptest::sample::select(keys), toml_value()).prop_map(|(k, v)| format!("{k} = {v}\n")),
        1 => proptest::sample::select(tables).prop_map(|t| format!("{t}\n")),
        1 => tricky_text(4).prop_map(|s| format!("{s}\n")),
    ];
    proptest::collection::vec(line, 0..10).prop_map(|v| v.concat())
}

fn page_file() -> impl Strategy<Value = String> {
    let front = toml_lines(
        FRONT_KEYS,
        &["[validation]", "by = \"x\"\non = 2025-01-01", "[[x]]", "[a.b"],
    );
    prop_oneof![
        4 => (front, tricky_text(30)).prop_map(|(f, b)| format!("+++\n{f}+++\n{b}")),
        1 => (toml_lines(FRONT_KEYS, &["[x]"]), tricky_text(10)).prop_map(|(f, b)| format!("+++\n{f}{b}")),
        1 => tricky_text(20),
    ]
}

/// What every finding must be: inside its file, and inert on a terminal.
fn sound(d: &Diagnostic, text: &str) {
    let lines = text.split('\n').count() + 1;
    if let Some(l) = d.line {
        assert!(l >= 1 && l <= lines, "line {l} outside a file of {lines} lines: {d:?}");
    }
    if let (Some(a), Some(b)) = (d.line, d.end_line) {
        assert!(a <= b && b <= lines + 1, "span {a}..{b} outside the file: {d:?}");
    }
    let shown = d.to_string();
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "control character on the terminal: {shown:?}"
    );
}

fn render(body: &str) -> (markdown::Rendered, Vec<Diagnostic>) {
    let pages = [(
        "content/fiches/wifi/autre.md".to_string(),
        "fiches/wifi/autre/index.html".to_string(),
    )]
    .into_iter()
    .collect();
    let links = LinkIndex {
        pages,
        statics: HashSet::from(["images/a.png".to_string()]),
        content_assets: HashSet::new(),
        fixed: HashSet::from([String::new(), "actions".to_string()]),
        folders: HashMap::new(),
        renamed: HashMap::new(),
        nfc_names: Default::default(),
    };
    let ctx = PageCtx {
        source: "content/fiches/wifi/a.md",
        body_line: 4,
        origin_root: "",
        page: "fiches/wifi/a/index.html",
        strings: fiches::i18n::Strings::for_language_or_default("fr"),
        check: &Default::default(),
    };
    let mut diags = Vec::new();
    let r = markdown::render(body, &ctx, &links, &mut diags);
    (r, diags)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn markdown_bodies(body in tricky_text(60)) {
        let (r, diags) = within("markdown", body.clone(), render);
        for d in &diags {
            assert!(d.line.is_some_and(|l| l >= 4), "{d:?}");
            let _ = d.to_string();
        }
        // Generated heading ids are unique on a page, whatever the headings
        // say (only two identical `{#id}` can repeat one, with a warning).
        if !body.contains("{#") && !diags.iter().any(|d| d.code == "duplicate-heading-id") {
            let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
            let unique: HashSet<&str> = ids.iter().copied().collect();
            prop_assert_eq!(unique.len(), ids.len(), "{:?}", ids);
        }
    }

    #[test]
    fn comment_text_is_never_indexed(before in tricky_text(10), after in tricky_text(10)) {
        // A word only inside a comment block is never in the indexed text.
        let body = format!("{before}\n\n<!--\nzqxjkcomment\n\n## zqxjkcomment\n-->\n\n{after}");
        let (r, _) = within("markdown", body, render);
        prop_assert!(!r.text.contains("zqxjkcomment"), "{:?}", r.text);
    }

    #[test]
    fn front_matter(file in page_file()) {
        within("front matter", file, |text| {
            match frontmatter::split(text, "content/fiches/wifi/a.md") {
                Ok(split) => {
                    let f = "content/fiches/wifi/a.md";
                    let results = [
                        frontmatter::parse::<SheetMeta>(&split, f).err(),
                        frontmatter::parse::<SessionMeta>(&split, f).err(),
                        frontmatter::parse::<PathMeta>(&split, f).err(),
                        frontmatter::parse::<CategoryMeta>(&split, f).err(),
                    ];
                    for d in results.iter().flatten() {
                        sound(d, text);
                    }
                    let _ = render(split.body);
                }
                Err(d) => sound(&d, text),
            }
        });
    }

    #[test]
    fn book_toml(text in toml_lines(
        &["title", "description", "language", "base-url", "repository", "edit-url", "output-dir", "theme",
          "synonyms", "email", "ticket-url", "stale-after-days", "status", "audited-on", "contact", "path", "label"],
        &["[book]", "[site]", "[build]", "[search]", "[support]", "[check]", "[accessibility]", "[[pool]]", "[book"],
    )) {
        let text = format!("[book]\ntitle = \"Site\"\n{text}");
        within("book.toml", text, |t| {
            if let Err(diags) = fiches::config::parse(t) {
                assert!(diags.has_errors());
                for d in &diags.items {
                    sound(d, t);
                }
            }
        });
    }

    #[test]
    fn actions_toml(text in toml_lines(
        &["id", "title", "who", "conditions", "reference", "id"],
        &["[[action]]", "[[action]]", "[action]", "[[actions]]"],
    )) {
        within("actions.toml", text, |t| {
            if let Err(e) = toml::from_str::<ActionsFile>(t) {
                let d = fiches::tomlerr::to_diagnostic(&e, "content/actions.toml", t, 0, "la liste des actions");
                sound(&d, t);
            }
        });
    }
}

/// A whole site made of fuzzed files goes through load, model and render
/// (`check`'s path), fewer cases since each writes a site to disk.
fn site_files() -> impl Strategy<Value = (String, String, String, String)> {
    (
        page_file(),
        page_file(),
        toml_lines(
            &["id", "title", "who", "conditions", "reference"],
            &["[[action]]", "[[action]]"],
        ),
        "[a-zA-Zé ]{1,10}",
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300) / 10 + 1, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn whole_site((sheet, session, actions, name) in site_files()) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let w = |p: &str, s: &str| {
            let f = root.join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, s).unwrap();
        };
        w("book.toml", "[book]\ntitle = \"Site\"\n");
        w(&format!("content/fiches/{}/{}.md", name.trim(), name), &sheet);
        w("content/fiches/wifi/autre.md", "+++\ntitle = \"Autre\"\n+++\nTexte.\n");
        w("content/apero-tice/2030-01-01-x.md", &session);
        w("content/actions.toml", &actions);
        within("check", root.to_string_lossy().into_owned(), |r| {
            let opts = fiches::build::Options { include_drafts: true, today: None };
            let diags = match fiches::build::prepare(std::path::Path::new(r), &opts) {
                Ok(p) => p.diags,
                Err(d) => d,
            };
            for d in &diags.items {
                let _ = d.to_string();
                assert!(
                    !d.to_string().chars().any(|c| c.is_control() && c != '\n'),
                    "control character on the terminal: {d}"
                );
            }
        });
    }
}
