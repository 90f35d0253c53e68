//! The relevance sets (each corpus's queries.toml, the demo site's
//! tests/fixtures/demo-queries.toml) through `search_cli`.
mod common;

use fiches_search::search_cli;

#[test]
fn relevance_cli() {
    for site in common::relevance_sites() {
        let (cfg, docs) = common::load_site(&site.root);
        let queries = common::load_queries(&site.queries);
        assert!(queries.len() >= 15, "{}: a real relevance set", site.name);
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
            "CLI relevance ({}): hit rate {:.1}%, MRR {:.3} ({} docs)",
            site.name,
            rate * 100.0,
            mrr,
            docs.len()
        );
        assert!(rate >= 0.95, "{}: hit rate {rate} < 95%\n{report}", site.name);
    }
}
