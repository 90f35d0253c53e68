//! The browser side: the index written for each corpus and the demo site,
//! searched by the browser engine (search-engine.js) under Node, must pass
//! the relevance set (its ranked ids scored by `fiches_search::relevance`,
//! as the CLI's are)
//! and agree with the CLI.
mod common;

use fiches_search::{relevance, write_browser_index, CliIndex};
use serde_json::json;

#[test]
fn relevance_js_matches_cli() {
    for site in common::relevance_sites() {
        println!("== {}", site.name);
        relevance_js(&site);
    }
}

fn relevance_js(site: &common::Site) {
    let (cfg, docs) = common::load_site(&site.root);
    let queries = relevance::load_queries(&site.queries).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let stats = write_browser_index(&out, &cfg, &docs).unwrap();
    println!("browser index: {stats:?}");
    let cli = CliIndex::open_or_build(&tmp.path().join("cache"), &cfg, &docs).unwrap();
    let qs: Vec<&str> = queries.iter().map(|q| q.q.as_str()).collect();
    let out = common::check_in_node(&cli, &out, tmp.path(), &qs);
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
    let ranked = relevance::parse_results(&out["results"].to_string(), "harness.js").unwrap();
    let e = relevance::evaluate_results(&queries, &ranked).unwrap();
    println!(
        "JS relevance: {}; {} queries compared with the CLI",
        e.summary(),
        out["compared"]
    );
    assert!(e.hit_rate >= 0.95, "JS hit rate {} < 95%:\n{}", e.hit_rate, e.report());
    assert_eq!(out["failures"], json!([]), "snippets");
    assert_eq!(out["plan_diffs"], json!([]), "JS plans differ from Rust's");
    assert_eq!(out["rank_diffs"], json!([]), "JS and CLI rankings differ");
}
