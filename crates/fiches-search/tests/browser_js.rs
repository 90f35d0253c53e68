//! The browser side: the index written for each corpus and the demo site,
//! searched by the browser engine (search-engine.js) under Node, must pass
//! the relevance set (its ranked ids scored by `fiches_search::relevance`,
//! as the CLI's are)
//! and agree with the CLI.
mod common;

use fiches_search::snippet::make_snippet;
use fiches_search::{
    relevance, write_browser_index, Analyzer, CliIndex, SearchConfig, SearchDoc, MARK_END, MARK_START,
};
use serde_json::json;

#[test]
fn relevance_js_matches_cli() {
    for site in common::relevance_sites() {
        println!("== {}", site.name);
        relevance_js(&site);
    }
}

/// The browser index (in `<tmp>/site`) and the CLI index of the same
/// documents, for tests comparing the two engines.
fn both_indexes(cfg: &SearchConfig, docs: &[SearchDoc]) -> (tempfile::TempDir, std::path::PathBuf, CliIndex) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    write_browser_index(&out, cfg, docs).unwrap();
    let cli = CliIndex::open_or_build(&tmp.path().join("cache"), cfg, docs).unwrap();
    (tmp, out, cli)
}

/// [`both_indexes`] of a French site without synonyms of its own.
fn french_indexes(docs: &[SearchDoc]) -> (tempfile::TempDir, std::path::PathBuf, CliIndex) {
    let cfg = SearchConfig {
        language: "fr".into(),
        synonyms: vec![],
    };
    both_indexes(&cfg, docs)
}

/// A sheet of the tests below: its id, title and text, nothing else.
fn sheet(id: &str, title: &str, body: impl Into<String>) -> SearchDoc {
    SearchDoc {
        id: id.into(),
        kind: fiches_search::Kind::Fiche,
        title: title.into(),
        url: format!("{id}/"),
        category: String::new(),
        audience: vec![],
        tags: vec![],
        summary: String::new(),
        body: body.into(),
        code: String::new(),
    }
}

/// Both engines give the same plans and the same rankings for `qs`.
fn assert_engines_agree(cli: &CliIndex, out: &std::path::Path, tmp: &std::path::Path, qs: &[&str]) {
    let report = common::check_in_node(cli, out, tmp, qs);
    assert_eq!(report["plan_diffs"], json!([]), "JS plans differ from Rust's");
    assert_eq!(report["rank_diffs"], json!([]), "JS and CLI rankings differ");
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

/// `fiches serve`'s index after edits, adds and removes (an added document
/// numbered after the others, a removed one leaving a hole): the browser
/// engine gives the CLI's ids and scores, in the CLI's order, as on a full
/// build; equal scores (the frequent words) rank by id.
#[test]
fn live_index_after_adds_and_removes_ranks_as_the_cli() {
    let site = common::relevance_sites().pop().unwrap();
    let (cfg, all) = common::load_site(&site.root);
    assert!(all.len() > 20, "{}", all.len());
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    std::fs::create_dir_all(&out).unwrap();
    // Some documents held back, added later: first, in the middle, last.
    let held = [0, all.len() / 2, all.len() - 1];
    let mut docs: Vec<_> = (0..all.len())
        .filter(|i| !held.contains(i))
        .map(|i| all[i].clone())
        .collect();
    let mut ix = fiches_search::LiveIndex::new();
    ix.update(&out, &cfg, &docs).unwrap();
    docs[3].body.push_str(" imprimante bloquée au CDI");
    ix.update(&out, &cfg, &docs).unwrap();
    docs.extend(held.iter().map(|&i| all[i].clone()));
    docs.remove(5);
    docs.remove(docs.len() / 3);
    ix.update(&out, &cfg, &docs).unwrap();
    let manifest = std::fs::read_to_string(out.join("search/manifest.js")).unwrap();
    assert!(
        manifest.contains("\"tie\":[") && manifest.contains("\"ords\":"),
        "numbered by slot"
    );
    let cli = CliIndex::open_or_build(&tmp.path().join("cache"), &cfg, &docs).unwrap();
    let queries = relevance::load_queries(&site.queries).unwrap();
    let mut qs: Vec<String> = queries.iter().map(|q| q.q.clone()).collect();
    // One word of each title: frequent words, many equal scores.
    qs.extend(
        docs.iter()
            .filter_map(|d| d.title.split_whitespace().last().map(str::to_string)),
    );
    qs.extend(["le", "imprimante", "wifi", "ordinateur"].map(String::from));
    let qs: Vec<&str> = qs.iter().map(String::as_str).collect();
    let report = common::check_in_node(&cli, &out, tmp.path(), &qs);
    assert_eq!(report["failures"], json!([]), "snippets");
    assert_eq!(report["plan_diffs"], json!([]), "JS plans differ from Rust's");
    assert_eq!(report["rank_diffs"], json!([]), "JS and CLI rankings differ");
    assert!(report["compared"].as_u64().unwrap() > 20, "{}", report["compared"]);
}

/// The files of the shards named by their first key (`v:imprim`): the
/// engine's `fileOf` finds the one `browser::shard_file` wrote, whatever
/// the key holds (separators, accents, a char beyond the BMP, digits),
/// and the numbered ones as before.
#[test]
fn the_engine_finds_the_file_of_every_shard_name() {
    use fiches_search::browser::{shard_file, synonym_shard_file};
    let bounds = [
        "",
        "imprim",
        "a.b",
        "a_b",
        "reseau_fil.",
        "é",
        "ßa",
        "日本",
        "😀x",
        "12",
        "c++",
        "x-y",
        "k",
    ];
    let mut names = vec![];
    let mut want = vec![];
    for dir in ["v", "f", "r", "s", "t", "p", "b"] {
        for b in bounds {
            let (path, name) = shard_file(dir, b);
            names.push(name);
            want.push(path.to_string_lossy().into_owned());
        }
    }
    for g in [0, 7, 31] {
        let (path, name) = synonym_shard_file(g);
        names.push(name);
        want.push(path.to_string_lossy().into_owned());
    }
    for (name, path) in [
        ("d3", "d/3.js"),
        ("x12", "x/12.js"),
        ("facets", "facets.js"),
        ("bounds", "bounds.js"),
    ] {
        names.push(name.into());
        want.push(path.into());
    }
    let script = "const vm = require('vm'), fs = require('fs');\
        const ctx = { console, Promise, setTimeout, clearTimeout, Math, JSON }; ctx.window = ctx;\
        vm.createContext(ctx); vm.runInContext(fs.readFileSync(process.argv[1], 'utf8'), ctx);\
        const names = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));\
        console.log(JSON.stringify(names.map((n) => ctx.__fichesSearch.fileOf(n))));";
    let tmp = tempfile::tempdir().unwrap();
    let list = tmp.path().join("names.json");
    std::fs::write(&list, serde_json::to_string(&names).unwrap()).unwrap();
    let node = std::env::var_os("NODE").unwrap_or_else(|| "node".into());
    let out = std::process::Command::new(node)
        .arg("-e")
        .arg(script)
        .arg(common::search_js())
        .arg(&list)
        .output()
        .expect("node");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got: Vec<String> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got, want);
    // One kind's names are distinct: `a.b` and `a_b` share a file, and
    // the index never has both (the second shard's cut is not made).
    let stems: std::collections::BTreeSet<_> = bounds.iter().map(|b| fiches_search::browser::shard_stem(b)).collect();
    assert_eq!(stems.len(), bounds.len() - 1);
}

/// A word typed again (pasted twice, a key held down) adds nothing: the
/// query `imprimante` 72 times scored 650 where once scored 8. Both
/// engines give the once-typed query's ids, order and scores; a query
/// mixing repeats and other words agrees between them too.
#[test]
fn a_word_typed_again_weighs_as_typed_once() {
    let site = common::relevance_sites().pop().unwrap();
    let (cfg, docs) = common::load_site(&site.root);
    let (tmp, out, cli) = both_indexes(&cfg, &docs);
    let mut qs: Vec<String> = Vec::new();
    for w in ["imprimante", "wifi", "mot de passe"] {
        let once = cli.rank(w).unwrap();
        assert!(!once.is_empty(), "{w}");
        for again in [format!("{w} {w}"), vec![w; 72].join(" "), format!("{w}, {w} ; {w}")] {
            assert_eq!(cli.rank(&again).unwrap(), once, "{again}");
            qs.push(again);
        }
    }
    qs.extend(
        [
            "wifi lent wifi bloque",
            "imprimante imprimante bloquée",
            "ne marche pas wifi marche",
        ]
        .map(String::from),
    );
    let qs: Vec<&str> = qs.iter().map(String::as_str).collect();
    let report = common::check_in_node(&cli, &out, tmp.path(), &qs);
    assert_eq!(report["plan_diffs"], json!([]), "JS plans differ from Rust's");
    assert_eq!(report["rank_diffs"], json!([]), "JS and CLI rankings differ");
}

/// The files a first query loads, in the order asked for (search-engine.js
/// under Node, its search-fuzzy.js from the theme).
fn loaded_files(site: &std::path::Path, q: &str) -> Vec<String> {
    serde_json::from_value(in_engine(site, q, "await E.search(q); return files;")).unwrap()
}

/// `body` run in the shipped engine under Node (an async function of `E`
/// the engine, `q` and `files`, the index files it loaded so far, in
/// order), from the built site `site`: what it returns, as JSON.
fn in_engine(site: &std::path::Path, q: &str, body: &str) -> serde_json::Value {
    let script = format!(
        "const vm = require('vm'), fs = require('fs'), path = require('path');\
        const [engine, site, q] = process.argv.slice(1);\
        const ctx = {{ console, Promise, setTimeout, clearTimeout, URLSearchParams, Math, JSON, TextDecoder }}; ctx.window = ctx;\
        vm.createContext(ctx); vm.runInContext(fs.readFileSync(engine, 'utf8'), ctx);\
        const FS = ctx.__fichesSearch, E = FS.engine, files = [];\
        FS.loader = (name, file) => {{ files.push(file);\
          const p = file.startsWith('../assets/') ? path.join(path.dirname(engine), path.basename(file)) : path.join(site, 'search', file);\
          vm.runInContext(fs.readFileSync(p, 'utf8'), ctx); return Promise.resolve(); }};\
        (async () => {{ {body} }})().then((r) => console.log(JSON.stringify(r)));"
    );
    let node = std::env::var_os("NODE").unwrap_or_else(|| "node".into());
    let out = std::process::Command::new(node)
        .arg("-e")
        .arg(script)
        .arg(common::search_js())
        .arg(site)
        .arg(q)
        .output()
        .expect("node");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A typo's candidates are the words starting with its first half (or
/// ending with its last): codes that start the same way (`taba1021`, an
/// inventory number) are never among them for a word without a digit
/// (engine::is_typo_code), and they are apart in `g/` (typo28): `tablete`
/// loads `f/` without a code, finds the sheet, and ranks as the CLI;
/// a word with a digit loads `g/` and ranks as the CLI too.
#[test]
fn a_typo_loads_no_code_of_its_start_unless_it_has_a_digit() {
    let mut docs = vec![sheet(
        "tablette",
        "Charger la tablette",
        "La tablette ne charge pas : branchez le chargeur de la tablette.",
    )];
    for i in 0..300 {
        let codes: Vec<String> = (0..10)
            .map(|k| {
                let n = i * 10 + k;
                match n % 2 {
                    0 => format!("tab{}{:04}", (b'a' + (n % 26) as u8) as char, n),
                    _ => format!("tab{n:05}"),
                }
            })
            .collect();
        docs.push(sheet(
            &format!("inventaire-{i}"),
            &format!("Inventaire {i}"),
            format!("Les appareils {} sont rangés en salle {i}.", codes.join(" ")),
        ));
    }
    let (tmp, out, cli) = french_indexes(&docs);
    assert_eq!(
        cli.search("tablete", 1, None).unwrap()[0].id,
        "tablette",
        "the sheet first"
    );
    let qs = [
        "tablete",
        "tablete ne charge pas",
        "tabd0129",
        "tab0x123",
        "tablet",
        "taba1004 tablete",
    ];
    assert_engines_agree(&cli, &out, tmp.path(), &qs);
    let files = loaded_files(&out, "tablete");
    assert!(files.iter().any(|f| f.starts_with("f/")), "{files:?}");
    assert!(!files.iter().any(|f| f.starts_with("g/")), "{files:?}");
    // The typo lists it loads (its first half's, its last half's): no code.
    for f in files.iter().filter(|f| f.starts_with("f/") || f.starts_with("r/")) {
        let text = std::fs::read_to_string(out.join("search").join(f)).unwrap();
        assert!(!text.contains("taba0"), "{f} holds codes");
    }
    // The typo lists' bounds of a long word without a digit only (bnd29).
    assert!(files.iter().any(|f| f == "bounds.js"), "{files:?}");
    assert!(!files.iter().any(|f| f == "b/kg.js" || f == "b/ks.js"), "{files:?}");
    let files = loaded_files(&out, "tab0x123");
    assert!(files.iter().any(|f| f.starts_with("g/")), "{files:?}");
    assert!(
        files.iter().any(|f| f == "b/kg.js") && !files.iter().any(|f| f == "b/ks.js"),
        "{files:?}"
    );
    // A short word's typo: `s/`'s bounds alone.
    let files = loaded_files(&out, "tabl");
    assert!(
        files.iter().any(|f| f == "b/ks.js") && !files.iter().any(|f| f == "bounds.js"),
        "{files:?}"
    );
}

/// A last word of 3 letters the vocabulary knows (`ent`) is taken as
/// typed, not completed (engine::completes, typo28): the query loads no
/// prefix bundle, where a prefix that is no word (`enx`) still loads its
/// own, and both rank as the CLI.
#[test]
fn a_known_three_letter_last_word_loads_no_prefix_bundle() {
    let word = |n: usize| {
        let l = |k: usize| (b'a' + ((n / 26usize.pow(k as u32)) % 26) as u8) as char;
        format!("en{}{}{}{}", ['t', 'x'][n % 2], l(0), l(1), l(2))
    };
    let docs: Vec<SearchDoc> = (0..600)
        .map(|i| {
            let words: Vec<String> = (0..30).map(|k| word((i * 37 + k * 101) % 6000)).collect();
            sheet(
                &format!("fiche-{i}"),
                &format!("Fiche {i}"),
                format!(
                    "{} {}",
                    if i % 3 == 0 { "Se connecter à l'ENT." } else { "" },
                    words.join(" ")
                ),
            )
        })
        .collect();
    let (tmp, out, cli) = french_indexes(&docs);
    assert_engines_agree(
        &cli,
        &out,
        tmp.path(),
        &["ent", "enx", "connecter ent", "ent connecter"],
    );
    let files = loaded_files(&out, "enx");
    assert!(files.iter().any(|f| f.starts_with("p/")), "{files:?}");
    let files = loaded_files(&out, "ent");
    assert!(!files.iter().any(|f| f.starts_with("p/")), "{files:?}");
    // Taken as typed: the sheets that say `ent`, and no other.
    let hits = cli.search("ent", 200, None).unwrap();
    assert_eq!(hits.len(), 200, "{}", hits.len());
}

/// A grammar word the site never says (`rien`, `toujours`: negation,
/// light and question words, `Language::is_grammar`) is dropped from the
/// query as a stop word is, in both engines: no typo candidates
/// (`bien`, `lien`), no completions (`rienx`), no correction, and the
/// browser loads no search-fuzzy.js for it. The word before it is no
/// longer the last, so it is not completed either. One the site says
/// (`jamais`) stays a word of the query.
#[test]
fn a_grammar_word_the_site_never_says_is_dropped_not_guessed() {
    let docs = vec![
        sheet(
            "pas-de-signal",
            "Le vidéoprojecteur n'affiche aucune image",
            "Vérifiez le câble HDMI et la source du vidéoprojecteur.",
        ),
        sheet(
            "lien-ent",
            "Un lien de l'ENT est bien expiré",
            "Le lien rienx ne s'ouvre pas : demandez un nouveau lien.",
        ),
        sheet(
            "affichage",
            "Régler l'affichage de l'écran",
            "Ne débranchez jamais l'écran pendant la mise à jour de l'affichage.",
        ),
    ];
    let (tmp, out, cli) = french_indexes(&docs);
    let terms = cli.browser_plan("le videoprojecteur n'affiche rien").terms();
    for t in &terms {
        assert!(
            !t.starts_with("lien") && !t.starts_with("bien") && !t.starts_with("rien"),
            "{terms:?}"
        );
        // "affiche" is not the last word: not completed to "affichage".
        assert!(!t.starts_with("affichag"), "{terms:?}");
    }
    let ids = |q: &str| -> Vec<String> { cli.search(q, 10, None).unwrap().into_iter().map(|h| h.id).collect() };
    assert_eq!(ids("le videoprojecteur n'affiche rien"), ["pas-de-signal"]);
    assert_eq!(ids("rien ne s'affiche"), ids("ne s'affiche"));
    assert_eq!(cli.suggest("le videoprojecteur n'affiche rien").unwrap(), None);
    // Said by the site: a word of the query.
    assert!(!cli.browser_plan("jamais").concepts.is_empty());
    // Only grammar words the site never says: nothing to look for.
    assert!(cli.browser_plan("toujours rien").concepts.is_empty());
    let qs = [
        "le videoprojecteur n'affiche rien",
        "rien ne s'affiche",
        "affiche toujours rien",
        "toujours rien",
        "ecran jamais affiche",
        "videoprojecteur affich",
    ];
    assert_engines_agree(&cli, &out, tmp.path(), &qs);
    let files = loaded_files(&out, "le videoprojecteur n'affiche rien");
    assert!(
        !files.iter().any(|f| f.contains("fuzzy") || f == "bounds.js"),
        "{files:?}"
    );
}

/// A typo's suffix side keeps only words of n - max … n + max letters
/// (edit distance, no clipped word there), and `r/` is keyed so that
/// those are one or two ranges (engine::suffix_key, rlen29): among 4,000
/// words ending in `on`, of 4 to 16 letters, a typo loads no `r/` shard
/// holding only words of lengths it cannot use (by reversed word alone,
/// a 6-letter typo loaded every `on` word's shard). Its candidates, and
/// those of typos of every length from 5 to 16 letters, are the CLI's.
#[test]
fn a_typo_loads_the_suffix_words_of_the_lengths_it_can_use() {
    let mut seed = 7u64;
    let mut next = move |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let letters = b"bcdfglmnprstvaeiou";
    let mut words: Vec<String> = Vec::new();
    while words.len() < 4000 {
        let len = 4 + next(13) as usize;
        let mut w: String = (0..len - 2)
            .map(|_| letters[next(letters.len() as u64) as usize] as char)
            .collect();
        w.push_str("on");
        words.push(w);
    }
    words.sort();
    words.dedup();
    let docs: Vec<SearchDoc> = words
        .chunks(20)
        .enumerate()
        .map(|(i, c)| sheet(&format!("d{i:03}"), &format!("Fiche {i}"), c.join(" ")))
        .collect();
    let (tmp, out, cli) = french_indexes(&docs);
    // A typo of each length: a known word with its first letter changed
    // (its suffix side finds it back).
    let mut qs: Vec<String> = Vec::new();
    for len in 5..=16 {
        let w = words.iter().find(|w| w.chars().count() == len).unwrap();
        let typo = format!("x{}", &w[1..]);
        assert!(!words.contains(&typo), "{typo}");
        qs.push(typo);
    }
    let q: Vec<&str> = qs.iter().map(String::as_str).collect();
    let report = common::check_in_node(&cli, &out, tmp.path(), &q);
    assert_eq!(
        report["plan_diffs"],
        json!([]),
        "JS plans (typo candidates) differ from Rust's"
    );
    assert_eq!(report["rank_diffs"], json!([]), "JS and CLI rankings differ");
    for typo in &qs {
        let n = typo.chars().count();
        let max = fiches_search::engine::max_typos(n);
        let files = loaded_files(&out, typo);
        let r: Vec<&String> = files.iter().filter(|f| f.starts_with("r/")).collect();
        assert!(!r.is_empty(), "{typo}: {files:?}");
        let (mut usable, mut other) = (0, 0);
        for f in r {
            let text = std::fs::read_to_string(out.join("search").join(f)).unwrap();
            let (_, data) = fiches_search::browser::registered_data(&text).unwrap();
            let lens: Vec<usize> = data["w"]
                .as_str()
                .unwrap()
                .split(' ')
                .map(|w| w.chars().count())
                .collect();
            let ok = lens.iter().filter(|&&l| l + max >= n && l <= n + max).count();
            assert!(
                ok > 0,
                "{typo}: {f} holds no word of {}..={} letters: {lens:?}",
                n - max,
                n + max
            );
            (usable, other) = (usable + ok, other + lens.len() - ok);
        }
        // 5 or 6 letters: every `on` word is a suffix candidate, 3 lengths
        // of 13 usable by reversed word alone; of the 4 of its class now.
        if n <= 6 {
            assert!(usable > other, "{typo}: {usable} words of usable lengths, {other} not");
        }
    }
}

/// The page's first results as search.js shows them: each result's
/// snippet (marks in brackets), the rest of its text (`x/`) fetched only
/// when its head and passages have no match to show, and the files loaded.
fn page_snippets(site: &std::path::Path, q: &str) -> serde_json::Value {
    in_engine(
        site,
        q,
        "const res = await E.search(q), out = {};\
         for (const d of await E.getDocs(res.ranked.slice(0, 10).map((r) => r[0]))) {\
           let s = E.snippet(d, res.terms);\
           if (!s.matched && d.m) s = E.snippet(await E.moreText(d), res.terms);\
           out[d.id] = s.map((x) => (x.mark ? `[${x.text}]` : x.text)).join(''); }\
         return { snippets: out, files };",
    )
}

/// A result found by a word of its title that its text says only after
/// the head kept in `d/` (1.75 KB) shows that word in its snippet from a
/// passage kept beside the head (browser.rs `rest_passages`), without
/// fetching the rest of its text (`x/`, 16 rests together). A word that
/// is in no title still fetches the rest, and is shown from it. Control
/// characters in the text (the passages' separators) are blanked.
#[test]
fn a_title_word_said_late_in_the_text_shows_without_fetching_the_rest() {
    let filler = "Le réseau du collège dessert les salles de classe et la vie scolaire. ".repeat(40);
    let docs = vec![
        sheet(
            "imprimante",
            "Imprimante bloquée",
            format!(
                "Un\u{1f}symbole\u{1e}rare. {filler}Si l'imprimante reste bloquée, éteignez-la puis rallumez-la. \
                 {filler}Branchez une rallonge électrique près du bureau."
            ),
        ),
        sheet("reseau", "Réseau des salles", filler.clone()),
    ];
    let (tmp, out, cli) = french_indexes(&docs);
    assert_engines_agree(&cli, &out, tmp.path(), &["imprimante bloquee", "rallonge"]);
    let r = page_snippets(&out, "imprimante bloquee");
    let rests = |r: &serde_json::Value| {
        r["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f.as_str().unwrap().starts_with("x/"))
    };
    assert!(!rests(&r), "{r}");
    let s = r["snippets"]["imprimante"].as_str().unwrap();
    assert!(s.starts_with('…') && s.contains("[imprimante] reste [bloquée]"), "{s}");
    assert!(!s.contains(['\u{1e}', '\u{1f}']), "{s}");
    // `rallonge` is in no title: the rest is fetched, and shown.
    let r = page_snippets(&out, "rallonge");
    assert!(rests(&r), "{r}");
    let s = r["snippets"]["imprimante"].as_str().unwrap();
    assert!(s.contains("[rallonge]"), "{s}");
    // The head is shown whole where it matches: its separators blanked.
    let r = page_snippets(&out, "symbole rare");
    let s = r["snippets"]["imprimante"].as_str().unwrap();
    assert!(s.starts_with("Un [symbole] [rare]."), "{s}");
}

/// A snippet backed up to a space starts on a word in both engines, never
/// on the sign a plain space was typed before (`menu : l’imprimante`
/// showed `…: l’imprimante`): the page shows what the command line does.
#[test]
fn both_engines_start_a_snippet_on_a_word_after_a_sign() {
    let signs = [":", ";", "?", "!", "»", ",", "—"];
    // The word before the sign spans the 30 chars a snippet backs up
    // over, or not.
    let docs: Vec<SearchDoc> = (0..signs.len() * 6)
        .map(|i| {
            let text = format!(
                "Ouvrez {} {} l’imprimante ne répond plus.",
                "x".repeat(i),
                signs[i % signs.len()]
            );
            sheet(&format!("cas{i:02}"), &format!("Cas {i}"), text)
        })
        .collect();
    let (_tmp, out, _cli) = french_indexes(&docs);
    let r = in_engine(
        &out,
        "imprimante",
        "const res = await E.search(q), out = {};\
         for (const d of await E.getDocs(res.ranked.map((r) => r[0])))\
           out[d.id] = E.snippet(d, res.terms).map((x) => (x.mark ? `[${x.text}]` : x.text)).join('');\
         return out;",
    );
    let analyzer = Analyzer::new(&SearchConfig {
        language: "fr".into(),
        synonyms: vec![],
    });
    let terms: std::collections::BTreeSet<String> = analyzer.terms("imprimante").into_iter().collect();
    assert_eq!(r.as_object().unwrap().len(), docs.len(), "{r}");
    for d in &docs {
        let cli = make_snippet(&analyzer, &d.body, &terms)
            .replace(MARK_START, "[")
            .replace(MARK_END, "]");
        let page = r[&d.id].as_str().unwrap();
        assert_eq!(page, cli, "{}", d.body);
        assert!(
            page.trim_start_matches('…').starts_with(char::is_alphanumeric),
            "{page}"
        );
    }
}
