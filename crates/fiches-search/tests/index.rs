//! Browser index and CLI index: escaping, determinism, caching, filters,
//! and the 5 MB sheet of the edge-case corpus.
mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use fiches_search::{search_cli, write_browser_index, CliIndex, Kind, SearchConfig, SearchDoc};

fn cfg() -> SearchConfig {
    SearchConfig {
        language: "fr".into(),
        synonyms: vec![vec!["scribe".into(), "serveur pédagogique".into()]],
    }
}

fn doc(id: &str, kind: Kind, title: &str, body: &str) -> SearchDoc {
    SearchDoc {
        id: id.into(),
        kind,
        title: title.into(),
        url: format!("fiches/{id}/index.html"),
        category: "Catégorie".into(),
        audience: vec!["enseignant".into()],
        tags: vec!["étiquette".into()],
        summary: "Résumé.".into(),
        body: body.into(),
        code: String::new(),
    }
}

/// The data a `register(name, data)` file carries.
fn registered(path: &Path) -> serde_json::Value {
    fiches_search::browser::registered_data(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .1
}

fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_string_lossy().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn html_in_content_is_stored_as_data() {
    let evil = "<img src=x onerror=alert(1)>";
    let docs = vec![doc(
        "x/evil",
        Kind::Fiche,
        evil,
        "Texte <script>alert(2)</script> imprimante",
    )];
    let tmp = tempfile::tempdir().unwrap();
    write_browser_index(tmp.path(), &cfg(), &docs).unwrap();
    let block = registered(&tmp.path().join("search/d/0.js"));
    let d = &block["d"][0];
    assert_eq!(d["t"], evil, "the title is kept verbatim, as a JSON string");
    let text = &fiches_search::browser::block_texts(&block).unwrap()[0];
    assert!(text.contains("<script>alert(2)</script>"), "{text}");
    // Every file is a single register() call around JSON, or packed()
    // around a base-85 string: no markup, no code.
    let raw = std::fs::read_to_string(tmp.path().join("search/d/0.js")).unwrap();
    assert!(
        raw.starts_with("window.__fichesSearch.register(\"d0\",{")
            || raw.starts_with("window.__fichesSearch.packed(\"d0\",") && !raw.contains("script"),
        "{raw}"
    );
    assert_eq!(raw.lines().count(), 1, "{raw}");
    let hits = search_cli(&tmp.path().join("cache"), &cfg(), &docs, "imprimante", 5, None).unwrap();
    assert_eq!(hits[0].title, evil);
    assert!(
        hits[0].snippet.contains("<script>"),
        "plain text, escaped by whoever renders it"
    );
    assert!(
        hits[0].snippet.contains("\u{1}imprimante\u{2}"),
        "{:?}",
        hits[0].snippet
    );
}

#[test]
fn browser_index_is_deterministic_and_order_independent() {
    for site in common::corpora() {
        deterministic(&site.root);
    }
}

fn deterministic(root: &std::path::Path) {
    let (cfg, mut docs) = common::load_site(root);
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let sa = write_browser_index(a.path(), &cfg, &docs).unwrap();
    docs.reverse();
    let sb = write_browser_index(b.path(), &cfg, &docs).unwrap();
    assert_eq!(sa, sb);
    let ta = read_tree(&a.path().join("search"));
    let tb = read_tree(&b.path().join("search"));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs");
    }
    assert_eq!(sa.docs, docs.len());
    assert_eq!(sa.files, ta.len());
    // Packed files are deflated already: gzip adds its header to them.
    assert!(sa.total_gzip_bytes > 0 && sa.total_gzip_bytes < sa.total_bytes * 11 / 10);
    // Rewriting replaces the directory: no stale shard survives.
    std::fs::write(a.path().join("search/t/9999.js"), "stale").unwrap();
    write_browser_index(a.path(), &cfg, &docs).unwrap();
    assert!(!a.path().join("search/t/9999.js").exists());
}

#[test]
fn cli_index_is_cached_by_fingerprint() {
    let mut docs = vec![
        doc("a", Kind::Fiche, "Imprimante hors ligne", "Vérifier le câble."),
        doc("b", Kind::Apero, "Apéro imprimante", "Séance sur les imprimantes."),
        doc("c", Kind::Action, "Ajouter une imprimante", "Action autorisée."),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    search_cli(&cache, &cfg(), &docs, "imprimante", 10, None).unwrap();
    let dir = CliIndex::dir_for(&cache, &cfg(), &docs);
    let meta = dir.join("fiches-meta.json");
    let t0 = std::fs::metadata(&meta).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let hits = search_cli(&cache, &cfg(), &docs, "imprimante", 10, None).unwrap();
    assert_eq!(std::fs::metadata(&meta).unwrap().modified().unwrap(), t0, "not rebuilt");
    assert_eq!(hits.len(), 3);
    // Kind filter.
    let only = search_cli(&cache, &cfg(), &docs, "imprimante", 10, Some(Kind::Apero)).unwrap();
    assert_eq!(only.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), ["b"]);
    assert_eq!(only[0].kind, Kind::Apero);
    // A change rebuilds into a new directory and drops the old one.
    docs[0].body.push_str(" Nouveau paragraphe.");
    search_cli(&cache, &cfg(), &docs, "paragraphe", 10, None).unwrap();
    assert!(!dir.exists());
    assert!(CliIndex::dir_for(&cache, &cfg(), &docs).exists());
    // The config is part of the fingerprint.
    let mut other = cfg();
    other.synonyms.clear();
    assert_ne!(
        CliIndex::dir_for(&cache, &other, &docs),
        CliIndex::dir_for(&cache, &cfg(), &docs)
    );
    // Hits carry what the CLI prints.
    let h = &search_cli(&cache, &cfg(), &docs, "hors ligne", 1, None).unwrap()[0];
    assert_eq!((h.id.as_str(), h.url.as_str()), ("a", "fiches/a/index.html"));
    assert!(h.score > 0.0);
    assert_eq!("apero".parse::<Kind>().unwrap(), Kind::Apero);
    assert!("nope".parse::<Kind>().is_err());
}

#[test]
fn huge_sheet_indexes_fast_and_stays_light_in_the_browser() {
    for (_keep, root, id, token, late) in common::huge_sheets() {
        huge_sheet(&root, &id, &token, &late);
    }
}

fn huge_sheet(root: &std::path::Path, id: &str, token: &str, late: &str) {
    let (cfg, docs) = common::load_site(root);
    let huge = docs.iter().position(|d| d.id == id).unwrap();
    assert!(docs[huge].body.len() > 3_000_000);
    let tmp = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let stats = write_browser_index(tmp.path(), &cfg, &docs).unwrap();
    let browser_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let cache = tmp.path().join("cache");
    let hits = search_cli(&cache, &cfg, &docs, late, 5, None).unwrap();
    let cli_s = t.elapsed().as_secs_f64();
    println!("huge sheet {id}: browser index {browser_s:.2}s ({stats:?}), CLI build+query {cli_s:.2}s");
    assert_eq!(hits[0].id, id);
    // The late word lies past the 30 KB kept for snippets: the snippet is the start.
    assert!(
        !docs[huge].body[..30_000].contains(late),
        "{late} is past the first 30 KB"
    );
    assert!(!hits[0].snippet.is_empty());
    let hits = search_cli(&cache, &cfg, &docs, token, 5, None).unwrap();
    assert_eq!(hits[0].id, id);
    // Its doc file holds the summary and the first 30 KB only.
    let mut biggest = 0;
    for e in std::fs::read_dir(tmp.path().join("search/d")).unwrap().flatten() {
        biggest = biggest.max(e.metadata().unwrap().len());
    }
    assert!(biggest < 40_000, "doc file of {biggest} bytes");
    assert!(browser_s < 30.0 && cli_s < 30.0, "too slow");
}
