//! The relevance set of the college corpus through `search_cli`.
mod common;

use fiches_search::search_cli;

#[test]
fn college_relevance_cli() {
    let root = common::college_dir();
    let (cfg, docs) = common::load_site(&root);
    let queries = common::load_queries(&root);
    let cache = tempfile::tempdir().unwrap();
    let (rate, mrr, report) = common::evaluate(&queries, |q| {
        search_cli(cache.path(), &cfg, &docs, q, 20, None)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect()
    });
    println!("{report}");
    println!(
        "CLI relevance: hit rate {:.1}%, MRR {:.3} ({} docs)",
        rate * 100.0,
        mrr,
        docs.len()
    );
    assert!(rate >= 0.95, "hit rate {rate} < 95%\n{report}");
}
