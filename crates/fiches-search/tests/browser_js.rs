//! The browser side: the index written for each corpus and the demo site,
//! searched by the browser engine (search-engine.js) under Node, must pass the relevance set
//! and agree with the CLI.
mod common;

use fiches_search::{write_browser_index, CliIndex};
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
    let queries = common::load_queries(&site.queries);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let stats = write_browser_index(&out, &cfg, &docs).unwrap();
    println!("browser index: {stats:?}");
    let cli = CliIndex::open_or_build(&tmp.path().join("cache"), &cfg, &docs).unwrap();
    let mut cases = Vec::new();
    for q in &queries {
        let hits = cli.search(&q.q, 10, None).unwrap();
        let ranked = cli.rank(&q.q).unwrap();
        let plan = cli.browser_plan(&q.q);
        cases.push(json!({
            "q": q.q,
            "expect": q.expect,
            "within": q.within,
            "plan": plan,
            "same_plan": plan == cli.plan(&q.q),
            "cli": hits.iter().zip(&ranked).map(|(h, r)| json!({"id": h.id, "score": r.1})).collect::<Vec<_>>(),
        }));
    }
    let cases_path = tmp.path().join("cases.json");
    std::fs::write(&cases_path, serde_json::to_string(&cases).unwrap()).unwrap();
    let out = common::run_node(&[
        "check".as_ref(),
        out.as_os_str(),
        common::search_js().as_os_str(),
        cases_path.as_os_str(),
    ]);
    println!("{}", serde_json::to_string_pretty(&out).unwrap());
    let rate = out["hit_rate"].as_f64().unwrap();
    println!(
        "JS relevance: hit rate {:.1}%, MRR {:.3}; {} queries compared with the CLI",
        rate * 100.0,
        out["mrr"].as_f64().unwrap(),
        out["compared"]
    );
    assert!(rate >= 0.95, "JS hit rate {rate} < 95%: {:#}", out["failures"]);
    assert_eq!(out["plan_diffs"], json!([]), "JS plans differ from Rust's");
    assert_eq!(out["rank_diffs"], json!([]), "JS and CLI rankings differ");
}
