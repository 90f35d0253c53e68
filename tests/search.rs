//! `fiches search` as a user runs it: the relevance sets of each corpus and
//! of the demo site (tests/fixtures/demo-queries.toml) through the real binary (hit rate and mean reciprocal rank are
//! printed), the JSON shape, filters, and an index that follows the content.

mod common;
use common::*;

#[derive(serde::Deserialize)]
struct Queries {
    query: Vec<Query>,
}

#[derive(serde::Deserialize)]
struct Query {
    q: String,
    expect: Vec<String>,
    within: Option<usize>,
}

fn search(root: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["search", "--format", "json"];
    all.extend_from_slice(args);
    let o = fiches_in(root, &all);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("JSON output")
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_string())
        .collect()
}

/// Every relevance set with its site: each corpus's queries.toml, and the
/// demo site's.
fn relevance_sets() -> Vec<(String, std::path::PathBuf, std::path::PathBuf)> {
    let mut v: Vec<_> = corpora()
        .into_iter()
        .map(|c| (c.name.clone(), c.root.clone(), c.root.join("queries.toml")))
        .collect();
    v.push(("demo".into(), demo(), demo().join("tests/fixtures/demo-queries.toml")));
    v
}

#[test]
fn relevance_set_through_the_command_line() {
    for (name, root, set) in relevance_sets() {
        let queries: Queries = toml::from_str(&read(&set)).unwrap();
        assert!(queries.query.len() >= 15, "{name}: a real relevance set");
        let (mut hits, mut rr) = (0usize, 0f64);
        let mut misses = Vec::new();
        for q in &queries.query {
            let within = q.within.unwrap_or(3);
            let found = ids(&search(&root, &[&q.q, "--limit", "10"]));
            let ok = q
                .expect
                .iter()
                .all(|e| found.iter().position(|f| f == e).is_some_and(|i| i < within));
            if ok {
                hits += 1;
            } else {
                misses.push(format!(
                    "{} → {:?} (attendu {:?} dans les {within})",
                    q.q,
                    &found[..found.len().min(5)],
                    q.expect
                ));
            }
            let best = q.expect.iter().filter_map(|e| found.iter().position(|f| f == e)).min();
            rr += best.map(|i| 1.0 / (i + 1) as f64).unwrap_or(0.0);
        }
        let n = queries.query.len();
        let rate = hits as f64 / n as f64;
        println!(
            "fiches search ({name}): hit rate {:.1}% ({hits}/{n}), MRR {:.3}",
            rate * 100.0,
            rr / n as f64
        );
        assert!(rate >= 0.95, "{name}: hit rate {rate}:\n{}", misses.join("\n"));
    }
}

#[test]
fn json_results_have_the_documented_fields_in_rank_order() {
    for c in corpora() {
        json_fields(&c);
    }
}

fn json_fields(c: &Corpus) {
    let (q, id) = (c.s("search.top.0"), c.s("search.top.1"));
    let v = search(&c.root, &[&q, "--limit", "5"]);
    let arr = v.as_array().unwrap();
    assert!(!arr.is_empty() && arr.len() <= 5);
    for h in arr {
        for k in ["id", "kind", "title", "url", "snippet", "score"] {
            assert!(h.get(k).is_some(), "missing {k} in {h}");
        }
    }
    assert_eq!(arr[0]["id"], id.as_str());
    assert_eq!(arr[0]["kind"], "fiche");
    assert_eq!(arr[0]["url"], format!("fiches/{id}/index.html").as_str());
    let scores: Vec<f64> = arr.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn kind_filter_and_text_format() {
    for c in corpora() {
        let v = search(&c.root, &[&c.s("search.action_query"), "--kind", "action"]);
        assert!(!v.as_array().unwrap().is_empty());
        assert!(v.as_array().unwrap().iter().all(|h| h["kind"] == "action"));
        let word = c.s("search.text_query");
        let o = fiches_in(&c.root, &["search", &word, "--limit", "3"]);
        let text = stdout(&o);
        assert!(text.contains(" 1. "), "{text}");
        assert!(
            text.to_lowercase().contains(&format!("[{word}]")),
            "matched words highlighted: {text}"
        );
    }
}

#[test]
fn the_index_follows_the_content_without_a_build() {
    let tmp = tempdir();
    let site = tmp.path().join("site");
    copy_dir(&lycee().root, &site);
    assert!(ids(&search(&site, &["zygomatique"])).is_empty());
    std::fs::create_dir_all(site.join("content/fiches/wifi")).unwrap();
    std::fs::write(
        site.join("content/fiches/wifi/nouvelle.md"),
        "+++\ntitle = \"Le réseau zygomatique\"\n+++\n\nUne fiche toute neuve.\n",
    )
    .unwrap();
    assert_eq!(ids(&search(&site, &["zygomatique"])), vec!["wifi/nouvelle".to_string()]);
    assert!(!site.join("public").exists(), "search writes no site");
}

#[test]
fn accents_typos_and_elisions() {
    for c in corpora() {
        for (q, id) in c.pairs("search.forgiving") {
            let found = ids(&search(&c.root, &[&q, "--limit", "5"]));
            assert!(found.contains(&id), "{}: {q}: {found:?}", c.name);
        }
    }
}
