//! Fuzzing (proptest) of search on random French text full of typography
//! (no-break spaces, emoji, combining accents, NUL, bidi marks): the
//! analysis, the snippets, the CLI search and the browser engine
//! (search-engine.js under Node) must not panic, throw or hang, and the CLI and the browser
//! return the same ids in the same order.
//!
//! Short run (part of the test command): the default case counts below.
//! Long run (documented in the README of this crate):
//!
//!     PROPTEST_CASES=5000 FICHES_FUZZ_JS_CASES=100 FICHES_FUZZ_JS_QUERIES=2000 \
//!       cargo test -p fiches-search --release --test fuzz
use std::collections::BTreeSet;

use fiches_search::analysis::{fold, raw_words};
use fiches_search::snippet::make_snippet;
use fiches_search::{write_browser_index, Analyzer, CliIndex, Kind, SearchConfig, SearchDoc};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde_json::json;

const WORDS: &[&str] = &[
    "imprimante",
    "impression",
    "wifi",
    "Wi-Fi",
    "invité",
    "mot",
    "de",
    "passe",
    "mot de passe",
    "ENT",
    "PIX",
    "vidéoprojecteur",
    "son",
    "pas",
    "signal",
    "tablette",
    "l’imprimante",
    "qu'il",
    "réseau",
    "élève",
    "œuvre",
    "Étapes",
    "clé",
    "USB",
    "HDMI",
    "TNI",
    "aujourd’hui",
    "peut-être",
    "ça",
    "à",
    "où",
    "déjà",
    "Noël",
    "naïf",
    "cœur",
    "garçon",
    "2026",
    "A01",
    "x86_64",
    "e\u{301}cole",
    "ﬁchier",
    "Straße",
    "İstanbul",
    "ǅemal",
];
const SPECIALS: &[&str] = &[
    "\u{a0}",
    "\u{202f}",
    "\u{2009}",
    "😀",
    "👩\u{200d}💻",
    "\u{301}",
    "\u{0}",
    "\u{200f}",
    "\u{200e}",
    "\u{202e}",
    "\u{feff}",
    "\u{3000}",
    "\u{2028}",
    "\u{fffd}",
    " ",
    " ",
    "\n",
    "-",
    "’",
    "'",
    ":",
    "?",
    "«",
    "»",
    "!",
];

fn cfg() -> SearchConfig {
    SearchConfig {
        language: "fr".into(),
        synonyms: vec![vec!["mdp".into(), "mot de passe".into()]],
    }
}

/// Random French-looking text: words, typography and arbitrary chars.
fn text(max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => proptest::sample::select(WORDS).prop_map(String::from),
        3 => proptest::sample::select(SPECIALS).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-zéèàùç]{1,12}",
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|v| {
        let mut s = String::new();
        for (i, p) in v.iter().enumerate() {
            s.push_str(p);
            if i % 3 != 2 {
                s.push(' ');
            }
        }
        s
    })
}

fn docs_from(texts: &[(String, String)]) -> Vec<SearchDoc> {
    texts
        .iter()
        .enumerate()
        .map(|(i, (title, body))| SearchDoc {
            id: format!("cat/doc-{i}"),
            kind: if i % 5 == 4 { Kind::Apero } else { Kind::Fiche },
            title: title.clone(),
            url: format!("fiches/cat/doc-{i}/index.html"),
            category: "Catégorie\u{a0}: test".into(),
            audience: vec!["enseignant".into()],
            tags: vec![title.chars().take(8).collect()],
            summary: body.chars().take(60).collect(),
            body: body.clone(),
            code: String::new(),
        })
        .collect()
}

/// `PROPTEST_CASES` (long runs) scales every property; failures are
/// printed, not persisted.
fn config(default: u32) -> ProptestConfig {
    let scale = env_cases("PROPTEST_CASES", 256);
    ProptestConfig {
        cases: (default as u64 * scale as u64 / 256).max(1) as u32,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn env_cases(var: &str, default: u32) -> u32 {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(config(256))]

    /// Token offsets are char boundaries of the text; the snippet of any
    /// text for any terms does not panic and keeps whole words.
    #[test]
    fn analysis_and_snippets(t in text(80), q in text(6)) {
        let a = Analyzer::new(&cfg());
        for w in raw_words(&t, a.elisions()) {
            prop_assert!(t.is_char_boundary(w.start) && t.is_char_boundary(w.end));
        }
        let toks = a.tokens(&t);
        for tok in &toks {
            prop_assert!(t.is_char_boundary(tok.from) && t.is_char_boundary(tok.to));
            prop_assert!(!fold(&t[tok.from..tok.to]).is_empty());
        }
        let mut terms: BTreeSet<String> = a.terms(&q).into_iter().collect();
        terms.extend(toks.iter().step_by(3).map(|t| t.term.clone()));
        let _ = make_snippet(&a, &t, &terms);
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// The CLI's search (tantivy index in a cache directory) over random
    /// documents and queries: no panic, results within the limit.
    #[test]
    fn cli_search(texts in proptest::collection::vec((text(8), text(60)), 1..6),
                  queries in proptest::collection::vec(text(5), 1..8)) {
        let docs = docs_from(&texts);
        let tmp = tempfile::tempdir().unwrap();
        let ix = CliIndex::open_or_build(tmp.path(), &cfg(), &docs).unwrap();
        for q in &queries {
            let hits = ix.search(q, 5, None).unwrap();
            prop_assert!(hits.len() <= 5);
            let _ = ix.search(q, 5, Some(Kind::Apero)).unwrap();
        }
    }
}

/// The browser engine under Node over random corpora: the queries of the
/// Rust side (compared with the CLI's ids) and random ones made in Node.
#[test]
fn browser_engine_under_node() {
    let corpora = env_cases("FICHES_FUZZ_JS_CASES", 4);
    let per = env_cases("FICHES_FUZZ_JS_QUERIES", 150);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let corpus = proptest::collection::vec((text(8), text(120)), 2..12);
    let queries = proptest::collection::vec(text(5), 12..20);
    for k in 0..corpora {
        let texts = corpus.new_tree(&mut runner).unwrap().current();
        let qs = queries.new_tree(&mut runner).unwrap().current();
        let docs = docs_from(&texts);
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        write_browser_index(&site, &cfg(), &docs).unwrap();
        let cli = CliIndex::open_or_build(&tmp.path().join("cache"), &cfg(), &docs).unwrap();
        let mut cases = Vec::new();
        for q in &qs {
            let ids: Vec<String> = cli.search(q, 10, None).unwrap().into_iter().map(|h| h.id).collect();
            cases.push(json!({ "q": q, "cli": ids, "suggest": cli.suggest(q).unwrap() }));
        }
        let words: Vec<String> = texts
            .iter()
            .flat_map(|(a, b)| {
                raw_words(&format!("{a} {b}"), &[])
                    .into_iter()
                    .map(|w| w.parts.iter().map(|p| p.0).collect::<String>())
                    .collect::<Vec<_>>()
            })
            .collect();
        let path = tmp.path().join("cases.json");
        std::fs::write(&path, json!({ "words": words, "cases": cases }).to_string()).unwrap();
        let out = run_node(&[
            site.as_os_str(),
            search_js().as_os_str(),
            path.as_os_str(),
            per.to_string().as_ref(),
            (k + 1).to_string().as_ref(),
        ]);
        println!("corpus {k}: {out}");
        assert_eq!(out["failures"], json!([]), "corpus {k}");
    }
}

fn search_js() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../themes/default/assets/search-engine.js")
}

/// `node tests/js/fuzz.js <args>`; the last stdout line as JSON.
fn run_node(args: &[&std::ffi::OsStr]) -> serde_json::Value {
    let node = std::env::var_os("NODE").unwrap_or_else(|| "node".into());
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/fuzz.js");
    let out = std::process::Command::new(&node)
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node ({e}): Node.js >= 18 is needed (or NODE=/path/to/node)"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "node fuzz.js failed: {}\n{stdout}\n{stderr}",
        out.status
    );
    serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("bad fuzz.js output ({e}): {stdout}\n{stderr}"))
}
