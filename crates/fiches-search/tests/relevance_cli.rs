//! The relevance sets (each corpus's queries.toml, the demo site's
//! tests/fixtures/demo-queries.toml) through `search_cli`, scored by the one
//! relevance harness (`fiches_search::relevance`).
mod common;

use fiches_search::{relevance, search_cli};

#[test]
fn relevance_cli() {
    for site in common::relevance_sites() {
        let (cfg, docs) = common::load_site(&site.root);
        let queries = relevance::load_queries(&site.queries).unwrap();
        assert!(queries.len() >= 15, "{}: a real relevance set", site.name);
        let cache = tempfile::tempdir().unwrap();
        let e = relevance::evaluate(&queries, |q| {
            search_cli(cache.path(), &cfg, &docs, q, 20, None)
                .unwrap()
                .into_iter()
                .map(|h| h.id)
                .collect()
        });
        println!("{}", e.report());
        println!("CLI relevance ({}): {} ({} docs)", site.name, e.summary(), docs.len());
        assert!(
            e.hit_rate >= 0.95,
            "{}: hit rate {} < 95%\n{}",
            site.name,
            e.hit_rate,
            e.report()
        );
    }
}
