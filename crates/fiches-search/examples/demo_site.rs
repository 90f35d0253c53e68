//! Writes a minimal static site to try the search UI without the main
//! crate: the browser index of a fiches site plus two pages (home and
//! search page) using the default theme's assets.
//!
//!     cargo run -p fiches-search --release --example demo_site -- <site-root> <out-dir>
//!
//! then open <out-dir>/index.html (file:// works) and type in the box.

#[path = "../tests/common/mod.rs"]
mod common;

use std::fs;
use std::path::{Path, PathBuf};

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="fr" data-root="{root}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{root}assets/style.css"><link rel="stylesheet" href="{root}assets/search.css"></head>
<body>
<header class="site-header"><div class="header-inner">
<form role="search" class="search-form header-search" action="{root}recherche/index.html" method="get" aria-label="Rechercher une fiche">
  <label for="search-input" class="visually-hidden">Rechercher une fiche</label>
  <div class="search-box">
    <input type="search" name="q" id="search-input" placeholder="Ex. : imprimante bloquée" autocomplete="off" spellcheck="false">
    <div id="search-live" class="search-live"></div>
  </div>
  <button type="submit" class="search-submit">Rechercher</button>
</form></div></header>
<main id="contenu">{main}</main>
<script type="application/json" id="search-i18n">{"search_results_count": "{n} résultat(s) pour « {q} »"}</script>
<script src="{root}assets/search.js" defer></script>
</body></html>
"#;

fn page(root: &str, title: &str, main: &str) -> String {
    PAGE.replace("{root}", root)
        .replace("{title}", title)
        .replace("{main}", main)
}

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let (site, out) = match args.as_slice() {
        [s, o] => (s.clone(), o.clone()),
        _ => (common::realistic().root, PathBuf::from("target/search-demo")),
    };
    let (cfg, docs) = common::load_site(&site);
    let stats = fiches_search::write_browser_index(&out, &cfg, &docs).unwrap();
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../themes/default/assets");
    fs::create_dir_all(out.join("assets")).unwrap();
    for f in ["search.js", "search.css", "style.css"] {
        if assets.join(f).exists() {
            fs::copy(assets.join(f), out.join("assets").join(f)).unwrap();
        }
    }
    fs::write(out.join("index.html"), page("", "Accueil", "<h1>Accueil</h1>")).unwrap();
    fs::create_dir_all(out.join("recherche")).unwrap();
    fs::write(
        out.join("recherche/index.html"),
        page("../", "Recherche", r#"<h1>Recherche</h1><div id="search-page" data-page="search"><div id="search-results" aria-live="polite"></div></div>"#),
    )
    .unwrap();
    println!(
        "{} docs, {:?}\nopen {}",
        docs.len(),
        stats,
        out.join("index.html").display()
    );
}
