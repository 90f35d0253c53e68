//! `fiches search` as a user runs it: the relevance sets of each corpus and
//! of the demo site (tests/fixtures/demo-queries.toml) through the real binary (hit rate and mean reciprocal rank are
//! printed), the JSON shape, filters, and an index that follows the content.

mod common;
use common::*;

use fiches_search::relevance::{self, Evaluation};

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

/// `fiches search --eval SET --format json`: the one relevance harness
/// (fiches_search::relevance), through the real binary.
fn eval(root: &std::path::Path, set: &std::path::Path, extra: &[&str]) -> Evaluation {
    let mut args = vec!["search", "--eval", set.to_str().unwrap(), "--format", "json"];
    args.extend_from_slice(extra);
    let o = fiches_in(root, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("an evaluation as JSON")
}

#[test]
fn relevance_set_through_the_command_line() {
    for (name, root, set) in relevance_sets() {
        let e = eval(&root, &set, &[]);
        assert!(e.queries >= 15, "{name}: a real relevance set");
        println!("fiches search ({name}): {}", e.summary());
        assert!(e.hit_rate >= 0.95, "{name}:\n{}", e.report());
    }
}

/// The text report names each miss and what ranked first; ids ranked
/// elsewhere (`--eval-results`, what the browser tests pass) are scored by
/// the same code, and a set or results file that is wrong is an error
/// naming the file.
#[test]
fn eval_reports_and_scores_results_from_elsewhere() {
    let set = demo().join("tests/fixtures/demo-queries.toml");
    let queries = relevance::load_queries(&set).unwrap();
    let printed = fiches_in(&demo(), &["search", "--eval", set.to_str().unwrap(), "--print-queries"]);
    let printed: Vec<relevance::Query> = serde_json::from_str(&stdout(&printed)).unwrap();
    assert_eq!(printed, queries);
    let cli = eval(&demo(), &set, &[]);
    let text = stdout(&fiches_in(&demo(), &["search", "--eval", set.to_str().unwrap()]));
    assert!(text.contains(&cli.summary()), "{text}");
    let tmp = tempdir();
    // The CLI's own ids fed back give the same evaluation.
    let same = tmp.path().join("same.json");
    std::fs::write(&same, serde_json::to_string(&cli).unwrap()).unwrap();
    let back = eval(&demo(), &set, &["--eval-results", same.to_str().unwrap()]);
    assert_eq!(back, cli);
    // Every query's expected sheet ranked last of 11: all misses, MRR 1/11.
    let last: Vec<serde_json::Value> = queries
        .iter()
        .map(|q| {
            let mut ids: Vec<String> = (0..10).map(|i| format!("autre/{i}")).collect();
            ids.push(q.expect[0].clone());
            serde_json::json!({"q": q.q, "ids": ids})
        })
        .collect();
    let last_file = tmp.path().join("last.json");
    std::fs::write(&last_file, serde_json::to_string(&last).unwrap()).unwrap();
    let e = eval(&demo(), &set, &["--eval-results", last_file.to_str().unwrap()]);
    assert_eq!(e.hits, 0);
    assert!((e.mrr - 1.0 / 11.0).abs() < 1e-9, "{}", e.mrr);
    let scored = |file: &std::path::Path| {
        let (set, file) = (set.to_str().unwrap(), file.to_str().unwrap());
        fiches_in(&demo(), &["search", "--eval", set, "--eval-results", file])
    };
    let text = stdout(&scored(&last_file));
    assert!(
        text.contains("MISS \"wifi invite\"") && text.contains("top: autre/0"),
        "{text}"
    );
    // Errors: a results file missing a query, a set with a typo in a key.
    std::fs::write(&last_file, "[]").unwrap();
    let o = scored(&last_file);
    assert!(
        !o.status.success() && stderr(&o).contains("wifi invite"),
        "{}",
        stderr(&o)
    );
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "[[query]]\nq = \"x\"\nexpected = [\"a\"]\n").unwrap();
    let o = fiches_in(&demo(), &["search", "--eval", bad.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        !o.status.success() && err.contains("bad.toml") && err.contains("expected"),
        "{err}"
    );
}

/// tests/fixtures/demo-typos.toml retypes every query of the demo set as a
/// phone user would (issue 14), with the same expected sheets, in order.
#[test]
fn the_typo_set_retypes_each_demo_query() {
    let clean = relevance::load_queries(&demo().join("tests/fixtures/demo-queries.toml")).unwrap();
    let typos = relevance::load_queries(&demo().join("tests/fixtures/demo-typos.toml")).unwrap();
    assert_eq!(typos.len(), clean.len());
    for (c, t) in clean.iter().zip(&typos) {
        assert_eq!(t.expect, c.expect, "{:?} / {:?}", t.q, c.q);
        assert_ne!(t.q, c.q, "a typo set changes the words");
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

/// Training paths are found by their title and introduction, with their
/// own kind and page; the titles of their sheets weigh as links do, so
/// that a sheet's own title still finds the sheet first.
#[test]
fn training_paths_are_searched() {
    let v = search(&demo(), &["premiers pas", "--limit", "5"]);
    let first = &v.as_array().unwrap()[0];
    assert_eq!(first["id"], "parcours/nouveau-collegue", "{v}");
    assert_eq!(first["kind"], "parcours");
    assert_eq!(first["url"], "parcours/nouveau-collegue/index.html");
    let only = search(&demo(), &["ENT", "--kind", "parcours"]);
    let only = only.as_array().unwrap();
    assert!(
        !only.is_empty() && only.iter().all(|h| h["kind"] == "parcours"),
        "{only:?}"
    );
    // "Se connecter à l'ENT pour la première fois" is a sheet of the path:
    // the sheet comes first, the path after it.
    let found = ids(&search(&demo(), &["se connecter à l'ENT pour la première fois"]));
    let sheet = found.iter().position(|i| i == "ent/premiere-connexion");
    let path = found.iter().position(|i| i == "parcours/nouveau-collegue");
    assert_eq!(sheet, Some(0), "{found:?}");
    assert!(path.is_none_or(|p| p > 0), "{found:?}");
    // The text format names the path's file, and a new path is found
    // without a build.
    let text = stdout(&fiches_in(&demo(), &["search", "premiers pas", "--limit", "1"]));
    assert!(
        text.contains("content/parcours/nouveau-collegue.md") && text.contains("(parcours)"),
        "{text}"
    );
    let tmp = tempdir();
    let site = tmp.path().join("site");
    copy_dir(&lycee().root, &site);
    std::fs::write(
        site.join("content/parcours/zygomatique.md"),
        "+++\ntitle = \"Le parcours zygomatique\"\nfiches = [\"ent/cahier-de-textes\"]\n+++\n\nPour commencer.\n",
    )
    .unwrap();
    assert_eq!(
        ids(&search(&site, &["zygomatique"])),
        vec!["parcours/zygomatique".to_string()]
    );
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

/// A synonym of several words matches as a phrase: on the demo site,
/// `wifi` (= "réseau sans fil") finds the Wi-Fi sheets first, never the
/// printer-queue sheet whose "réseau" and "file" (stem `fil`) stand apart.
#[test]
fn wifi_finds_the_wifi_sheets_not_the_print_queue() {
    for q in ["wifi", "wi-fi", "Wi-Fi"] {
        let found = ids(&search(&demo(), &[q]));
        assert!(found[0].starts_with("wifi/"), "{q}: {found:?}");
        assert!(!found.iter().any(|i| i == "impression/file-bloquee"), "{q}: {found:?}");
    }
}

/// A title and a text typed with French typography's no-break spaces
/// (U+00A0 before `:`, U+202F before `?` `!`): `fiches search` gives them
/// back as typed, in the title and in the snippet (the snippet made them
/// plain spaces, where a result's line could part the sign from its word).
#[test]
fn search_keeps_the_no_break_spaces_typed_in_title_and_text() {
    let (_t, root) = demo_copy();
    write_files(
        &root,
        &[(
            "content/fiches/wifi/invite-nbsp.md",
            "+++\ntitle = \"Wi\u{2011}Fi\u{a0}: invité zorglub\"\n+++\n\nSe connecter\u{a0}: le réseau zorglub\u{202f}? Oui\u{202f}!\n",
        )],
    );
    let v = search(&root, &["zorglub"]);
    let hit = &v.as_array().unwrap()[0];
    assert_eq!(hit["title"], "Wi\u{2011}Fi\u{a0}: invité zorglub");
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("Se connecter\u{a0}: le réseau zorglub\u{202f}? Oui\u{202f}!"),
        "{snippet:?}"
    );
}

/// A query with no word to search (an emoji, signs) or only words too
/// common to be indexed said only "Aucun résultat.": it says why, on
/// stdout as text, on stderr beside the JSON array (which stays `[]`);
/// a word the index lacks is still "no result".
#[test]
fn a_query_with_no_word_to_search_says_so() {
    let root = demo();
    for (q, said) in [
        ("🖨️", "ne contient aucun mot à chercher"),
        ("???", "ne contient aucun mot à chercher"),
        ("-", "ne contient aucun mot à chercher"),
        ("le la", "ne contient que des mots trop courants"),
    ] {
        let o = fiches_in(&root, &["search", q]);
        assert!(o.status.success(), "{q}: {}", stderr(&o));
        let text = stdout(&o);
        assert!(text.starts_with("Aucun résultat\u{a0}: «\u{a0}"), "{q}: {text}");
        assert!(text.contains(&format!("«\u{a0}{q}\u{a0}» {said}")), "{q}: {text}");
        let o = fiches_in(&root, &["search", "--format", "json", q]);
        assert_eq!(stdout(&o).trim(), "[]", "{q}");
        assert!(stderr(&o).contains(said), "{q}: {}", stderr(&o));
    }
    let o = fiches_in(&root, &["search", "zzqx wxcv"]);
    assert_eq!(stdout(&o), "Aucun résultat.\n");
    // An empty query is said as such, not as « «  » ne contient aucun mot ».
    for q in ["", "  "] {
        let o = fiches_in(&root, &["search", q]);
        assert!(o.status.success(), "{q:?}: {}", stderr(&o));
        assert_eq!(
            stdout(&o),
            "Aucun résultat\u{a0}: la recherche est vide. Décrivez le problème avec des mots.\n",
            "{q:?}"
        );
    }
}

/// `fiches search` for a person: each result says the file to open and
/// the page's address, and no line is wider than an 80-column terminal
/// (the snippets were one line of up to 200 characters, wrapped by the
/// terminal at column 0).
#[test]
fn text_results_say_where_each_one_is_and_fit_80_columns() {
    for c in corpora() {
        let o = fiches_in(&c.root, &["search", &c.s("search.text_query"), "--limit", "5"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = stdout(&o);
        let lines: Vec<&str> = text.lines().collect();
        for l in &lines {
            assert!(l.chars().count() <= 80, "{} columns: {l}\n{text}", l.chars().count());
        }
        let starts: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                lines[i]
                    .trim_start()
                    .split_once(". ")
                    .is_some_and(|(n, _)| n.parse::<u32>().is_ok())
                    && !lines[i].starts_with("    ")
            })
            .collect();
        assert!(!starts.is_empty(), "{text}");
        for (k, &i) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(lines.len());
            let block = &lines[i..end];
            let file = block
                .iter()
                .map(|l| l.trim())
                .find(|l| l.ends_with(".md") || l.ends_with(".toml"))
                .unwrap_or_else(|| panic!("no file in {block:#?}"));
            assert!(c.root.join(file).is_file(), "{file}: not a file of the site");
            assert!(
                block.iter().any(|l| l.trim().starts_with(&c.base())),
                "no address under {} in {block:#?}",
                c.base()
            );
        }
    }
}
