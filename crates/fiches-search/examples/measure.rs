//! Size and speed of the search indexes on synthetic French sites.
//!
//!     cargo run -p fiches-search --release --example measure -- 1000 10000
//!
//! For each N: generates N deterministic sheets (the college corpus's words,
//! sampled with a Zipf law, plus a long tail of rarer made-up words and
//! identifiers), writes the browser index and the CLI index, then runs
//! tests/js/harness.js under Node to measure what a first query downloads
//! and the engine's latency per keystroke (relevance queries typed letter
//! by letter). Needs Node.js and the shared corpus ($FICHES_SHARED).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use fiches_search::{write_browser_index, CliIndex, Kind, SearchConfig, SearchDoc};

/// splitmix64: tiny, deterministic.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e3779b97f4a7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Words of the college corpus by decreasing frequency, then made-up ones.
fn vocabulary(docs: &[SearchDoc], extra: usize) -> Vec<String> {
    let mut freq: std::collections::BTreeMap<String, usize> = Default::default();
    for d in docs {
        for w in format!("{} {} {} {}", d.title, d.summary, d.body, d.tags.join(" "))
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        {
            if w.chars().count() > 1 {
                *freq.entry(w.to_lowercase()).or_default() += 1;
            }
        }
    }
    let mut words: Vec<(usize, String)> = freq.into_iter().map(|(w, f)| (f, w)).collect();
    words.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<String> = words.into_iter().map(|(_, w)| w).collect();
    let syll = [
        "ba", "ti", "ro", "men", "que", "lu", "sa", "ver", "con", "di", "pre", "ma", "fi", "gra", "tion", "nel", "ri",
        "cha", "vo", "ste", "mo", "par", "en", "li", "cu", "té", "ble", "dé", "ran", "po",
    ];
    let suffixes = ["", "s", "er", "é", "ée", "ement", "ions", "eur"];
    let mut rng = Rng(42);
    for _ in 0..extra {
        let n = 2 + rng.below(3);
        let mut w: String = (0..n).map(|_| syll[rng.below(syll.len())]).collect();
        w.push_str(suffixes[rng.below(suffixes.len())]);
        out.push(w);
    }
    out
}

/// Zipf(1) sampler over `n` ranks.
struct Zipf {
    cdf: Vec<f64>,
}
impl Zipf {
    fn new(n: usize) -> Zipf {
        let mut cdf = Vec::with_capacity(n);
        let mut acc = 0.0;
        for k in 1..=n {
            acc += 1.0 / k as f64;
            cdf.push(acc);
        }
        for c in cdf.iter_mut() {
            *c /= acc;
        }
        Zipf { cdf }
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.cdf.partition_point(|&c| c < u).min(self.cdf.len() - 1)
    }
}

fn sentence(rng: &mut Rng, vocab: &[String], z: &Zipf, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&vocab[z.sample(rng)]);
    }
    s.push('.');
    s
}

fn generate(n: usize, vocab: &[String]) -> Vec<SearchDoc> {
    let z = Zipf::new(vocab.len());
    let cats = [
        "Comptes et mots de passe",
        "ENT",
        "Impression",
        "Pronote",
        "Ressources numériques",
        "Serveur pédagogique",
        "Tablettes",
        "Vidéoprojection",
        "Wi-Fi et réseau",
        "Logiciels",
        "Sécurité",
        "Matériel",
    ];
    let auds = ["enseignant", "eleve", "referent", "direction", "collectivite"];
    let mut rng = Rng(7);
    (0..n)
        .map(|i| {
            let cat = cats[rng.below(cats.len())];
            let k = 4 + rng.below(5);
            let title = sentence(&mut rng, vocab, &z, k);
            let k = 12 + rng.below(14);
            let summary = sentence(&mut rng, vocab, &z, k);
            let target = 300 + rng.below(600);
            let mut body = String::new();
            let mut count = 0;
            while count < target {
                let k = 8 + rng.below(14);
                body.push_str(&sentence(&mut rng, vocab, &z, k));
                // Identifiers make the vocabulary grow with the site: rooms, tickets, models.
                if rng.below(4) == 0 {
                    let (a, b, c) = (rng.below(400), rng.below(90000), rng.below(5000));
                    body.push_str(&format!(" Salle B{a} ticket T{b} modèle X{c}."));
                }
                body.push('\n');
                count += k;
            }
            let code = if rng.below(4) == 0 {
                format!("ping srv-{}.college.local\nipconfig /all", rng.below(100))
            } else {
                String::new()
            };
            let nt = 3 + rng.below(3);
            let tags = (0..nt).map(|_| vocab[z.sample(&mut rng) % 400].clone()).collect();
            let audience = auds
                .iter()
                .filter(|_| rng.below(3) == 0)
                .map(|s| s.to_string())
                .collect();
            let kind = match i % 40 {
                0 => Kind::Apero,
                1 => Kind::Action,
                _ => Kind::Fiche,
            };
            SearchDoc {
                id: format!("synth/{i:05}"),
                kind,
                title,
                url: format!("fiches/synth/{i:05}/index.html"),
                category: cat.into(),
                audience,
                tags,
                summary,
                body,
                code,
            }
        })
        .collect()
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![1000, 10000] } else { sizes };
    let college = common::realistic();
    let (_, real) = common::load_site(&college.root);
    let queries = fiches_search::relevance::load_queries(&college.queries).unwrap();
    let vocab = vocabulary(&real, 40_000);
    let cfg = SearchConfig {
        language: "fr".into(),
        synonyms: vec![],
    };
    // FICHES_MEASURE_DIR keeps the generated indexes for inspection.
    let keep = std::env::var_os("FICHES_MEASURE_DIR").map(std::path::PathBuf::from);
    let tmpdir = tempfile::tempdir().unwrap();
    let tmp = keep.as_deref().unwrap_or(tmpdir.path());
    let qpath = tmp.join("queries.json");
    let qs: Vec<serde_json::Value> = queries.iter().map(|q| serde_json::json!({"q": q.q})).collect();
    std::fs::write(&qpath, serde_json::to_string(&qs).unwrap()).unwrap();
    for n in sizes {
        let docs = generate(n, &vocab);
        let text: usize = docs
            .iter()
            .map(|d| {
                d.title.len()
                    + d.summary.len()
                    + d.body.len()
                    + d.code.len()
                    + d.tags.iter().map(|t| t.len()).sum::<usize>()
            })
            .sum();
        let site = tmp.join(format!("site-{n}"));
        let t = Instant::now();
        let stats = write_browser_index(&site, &cfg, &docs).unwrap();
        let browser_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let cli = CliIndex::open_or_build(&tmp.join(format!("cache-{n}")), &cfg, &docs).unwrap();
        let cli_build_s = t.elapsed().as_secs_f64();
        let t = Instant::now();
        for q in &queries {
            cli.search(&q.q, 10, None).unwrap();
        }
        let cli_query_ms = t.elapsed().as_secs_f64() * 1000.0 / queries.len() as f64;
        let js = common::run_node(&[
            "measure".as_ref(),
            site.as_os_str(),
            common::search_js().as_os_str(),
            qpath.as_os_str(),
        ]);
        println!("== {n} sheets ==");
        println!("text indexed            {:>8.1} MiB", text as f64 / 1048576.0);
        println!(
            "browser index           {:>8.1} MiB raw, {:.1} MiB gzip, {} files, {} terms ({:.2}s to build)",
            stats.total_bytes as f64 / 1048576.0,
            stats.total_gzip_bytes as f64 / 1048576.0,
            stats.files,
            stats.terms,
            browser_s
        );
        println!("CLI index               built in {cli_build_s:.2}s, {cli_query_ms:.1} ms per query (warm)");
        println!(
            "first query downloads   median {:.1} KiB raw / {:.1} KiB gzip, p90 {:.1} KiB, max {:.1} KiB ({})",
            js["first_query_bytes_median"].as_f64().unwrap() / 1024.0,
            js["first_query_gzip_median"].as_f64().unwrap() / 1024.0,
            js["first_query_bytes_p90"].as_f64().unwrap() / 1024.0,
            js["first_query_bytes_max"]["bytes"].as_f64().unwrap() / 1024.0,
            js["first_query_bytes_max"]["q"]
        );
        println!("  by file kind (median bytes) {}", js["first_query_by_kind_median"]);
        println!(
            "JS latency per keystroke median {:.2} ms, p90 {:.2} ms, max {:.2} ms over {} keystrokes",
            js["keystroke_ms_median"].as_f64().unwrap(),
            js["keystroke_ms_p90"].as_f64().unwrap(),
            js["keystroke_ms_max"].as_f64().unwrap(),
            js["keystrokes"]
        );
    }
}
