//! Command-line search: a tantivy index in a cache directory, rebuilt only
//! when its fingerprint (crate version + format + config + docs) changes.
//!
//! tantivy stores the postings (per-field term frequencies), the document
//! store and the `ord` column; ranking is done by [`crate::engine`] from
//! those postings and the corpus statistics kept next to the index, so
//! that the CLI ranks exactly like the browser.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::postings::Postings;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, Value, STORED,
};
use tantivy::tokenizer::{PreTokenizedString, TextAnalyzer};
use tantivy::{DocAddress, DocSet, Index, IndexReader, TantivyDocument, Term, TERMINATED};

use crate::analysis::{Analyzer, FichesTokenizer};
use crate::corpus::{analyze_docs, doc_order, impact, snippet_text, Collector, Stats, Vocab};
use crate::params::{FIELDS, NF};
use crate::snippet::make_snippet;
use crate::{engine, fingerprint, Error, Hit, Kind, SearchConfig, SearchDoc};

/// Bumped whenever the on-disk layout or the analysis changes.
pub const FORMAT: &str = "fiches-search-cli-8";
const META_FILE: &str = "fiches-meta.json";
/// The indexing memory budget: modest, tantivy flushes segments as needed.
const WRITER_MEMORY: usize = 50_000_000;

#[derive(serde::Serialize, serde::Deserialize)]
struct Meta {
    format: String,
    fingerprint: String,
    stats: Stats,
    vocab: Vocab,
    kinds: Vec<Kind>,
}

struct Fields {
    text: [Field; NF],
    ord: Field,
    id: Field,
    kind: Field,
    title: Field,
    url: Field,
    snip: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer("fiches")
        .set_index_option(IndexRecordOption::WithFreqs);
    let opts = TextOptions::default().set_indexing_options(indexing);
    let text = FIELDS.map(|name| b.add_text_field(name, opts.clone()));
    let ord = b.add_u64_field("ord", NumericOptions::default().set_fast());
    let id = b.add_text_field("id", STORED);
    let kind = b.add_text_field("kind", STORED);
    let title = b.add_text_field("title_stored", STORED);
    let url = b.add_text_field("url", STORED);
    let snip = b.add_text_field("snippet_text", STORED);
    (
        b.build(),
        Fields {
            text,
            ord,
            id,
            kind,
            title,
            url,
            snip,
        },
    )
}

/// An opened CLI index.
pub struct CliIndex {
    analyzer: Analyzer,
    reader: IndexReader,
    fields: Fields,
    meta: Meta,
    /// ord → where tantivy keeps the document.
    addr: Vec<DocAddress>,
}

/// Searches `docs`, (re)building the index in `cache_dir` when needed.
pub fn search_cli(
    cache_dir: &Path,
    cfg: &SearchConfig,
    docs: &[SearchDoc],
    query: &str,
    limit: usize,
    kind: Option<Kind>,
) -> Result<Vec<Hit>, Error> {
    CliIndex::open_or_build(cache_dir, cfg, docs)?.search(query, limit, kind)
}

fn io<T>(path: &Path, r: std::io::Result<T>) -> Result<T, Error> {
    r.map_err(|e| Error::io(path, e))
}

impl CliIndex {
    /// Opens the index of `cache_dir` if its fingerprint matches, else
    /// builds it (in a temporary directory renamed into place, so a
    /// concurrent or interrupted build never leaves a half index).
    pub fn open_or_build(cache_dir: &Path, cfg: &SearchConfig, docs: &[SearchDoc]) -> Result<CliIndex, Error> {
        let fp = format!("{:016x}", fingerprint(cfg, docs));
        let dir = cache_dir.join(format!("idx-{fp}"));
        if dir.join(META_FILE).is_file() {
            if let Ok(ix) = Self::open(&dir, cfg, &fp) {
                return Ok(ix);
            }
            // Unreadable (e.g. an older tantivy): rebuild.
            io(&dir, fs::remove_dir_all(&dir))?;
        }
        io(cache_dir, fs::create_dir_all(cache_dir))?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let tmp = cache_dir.join(format!("tmp-{}-{nanos}", std::process::id()));
        io(&tmp, fs::create_dir_all(&tmp))?;
        let built = Self::build(&tmp, cfg, docs, &fp);
        if let Err(e) = built {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
        if fs::rename(&tmp, &dir).is_err() {
            // Another process won the race: use its index.
            let _ = fs::remove_dir_all(&tmp);
        }
        // Old indexes of this cache are obsolete.
        if let Ok(rd) = fs::read_dir(cache_dir) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if name.starts_with("idx-") && e.path() != dir {
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
        Self::open(&dir, cfg, &fp)
    }

    fn register(index: &Index, analyzer: &Arc<Analyzer>) {
        index
            .tokenizers()
            .register("fiches", TextAnalyzer::from(FichesTokenizer::new(analyzer.clone())));
    }

    fn build(dir: &Path, cfg: &SearchConfig, docs: &[SearchDoc], fp: &str) -> Result<(), Error> {
        let analyzer = Arc::new(Analyzer::new(cfg));
        let (schema, f) = schema();
        let index = Index::create_in_dir(dir, schema)?;
        Self::register(&index, &analyzer);
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_MEMORY)?;
        let order = doc_order(docs);
        let mut collector = Collector::new(false);
        let mut kinds = Vec::with_capacity(docs.len());
        analyze_docs(&analyzer, docs, &order, |ord, d, toks, summary| {
            collector.add(ord, summary);
            kinds.push(d.kind);
            let mut doc = TantivyDocument::new();
            for (k, ts) in toks.iter().enumerate() {
                let tokens = ts
                    .iter()
                    .enumerate()
                    .map(|(pos, t)| tantivy::tokenizer::Token {
                        offset_from: t.from,
                        offset_to: t.to,
                        position: pos,
                        text: t.term.clone(),
                        position_length: 1,
                    })
                    .collect();
                doc.add_pre_tokenized_text(
                    f.text[k],
                    PreTokenizedString {
                        text: String::new(),
                        tokens,
                    },
                );
            }
            doc.add_u64(f.ord, ord as u64);
            doc.add_text(f.id, &d.id);
            doc.add_text(f.kind, d.kind.as_str());
            doc.add_text(f.title, &d.title);
            doc.add_text(f.url, &d.url);
            doc.add_text(f.snip, snippet_text(d));
            writer.add_document(doc)?;
            Ok(())
        })?;
        writer.commit()?;
        writer.wait_merging_threads()?;
        let c = collector.finish();
        let meta = Meta {
            format: FORMAT.to_string(),
            fingerprint: fp.to_string(),
            stats: c.stats,
            vocab: c.vocab,
            kinds,
        };
        let path = dir.join(META_FILE);
        let file = io(&path, fs::File::create(&path))?;
        let mut w = std::io::BufWriter::new(file);
        serde_json::to_writer(&mut w, &meta)?;
        io(&path, std::io::Write::flush(&mut w))?;
        Ok(())
    }

    fn open(dir: &Path, cfg: &SearchConfig, fp: &str) -> Result<CliIndex, Error> {
        let path = dir.join(META_FILE);
        let bytes = io(&path, fs::read(&path))?;
        let meta: Meta = serde_json::from_slice(&bytes)?;
        if meta.format != FORMAT || meta.fingerprint != fp {
            return Err(Error::Invalid(format!("stale index in {}", dir.display())));
        }
        let analyzer = Analyzer::new(cfg);
        let index = Index::open_in_dir(dir)?;
        Self::register(&index, &Arc::new(Analyzer::new(cfg)));
        let (_, fields) = schema();
        let reader = index.reader()?;
        let searcher = reader.searcher();
        let n = meta.stats.n as usize;
        let mut addr = vec![DocAddress::new(0, 0); n];
        for (si, seg) in searcher.segment_readers().iter().enumerate() {
            let col = seg.fast_fields().u64("ord")?;
            for d in 0..seg.max_doc() {
                if let Some(o) = col.first(d) {
                    if (o as usize) < n {
                        addr[o as usize] = DocAddress::new(si as u32, d);
                    }
                }
            }
        }
        Ok(CliIndex {
            analyzer,
            reader,
            fields,
            meta,
            addr,
        })
    }

    /// Postings of `term` as (ord, quantized impact), ords ascending.
    fn postings(&self, term: &str) -> Result<Vec<(u32, u16)>, Error> {
        let searcher = self.reader.searcher();
        let mut tfs: BTreeMap<u32, [u32; NF]> = BTreeMap::new();
        for seg in searcher.segment_readers() {
            let col = seg.fast_fields().u64("ord")?;
            for (k, &field) in self.fields.text.iter().enumerate() {
                let inv = seg.inverted_index(field)?;
                let t = Term::from_field_text(field, term);
                let Some(mut p) = inv
                    .read_postings(&t, IndexRecordOption::WithFreqs)
                    .map_err(|e| Error::Index(e.into()))?
                else {
                    continue;
                };
                while p.doc() != TERMINATED {
                    if let Some(o) = col.first(p.doc()) {
                        tfs.entry(o as u32).or_insert([0; NF])[k] += p.term_freq();
                    }
                    p.advance();
                }
            }
        }
        let st = &self.meta.stats;
        Ok(tfs
            .into_iter()
            .map(|(o, tf)| (o, impact(&tf, &st.lengths[o as usize], &st.avglen)))
            .collect())
    }

    /// The engine's plan for `query` (exposed for tests and debugging).
    pub fn plan(&self, query: &str) -> engine::Plan {
        // The browser's plan: no stemmer for unknown words, so that both
        // return the same ids in the same order (typo matching reaches the
        // same stems).
        engine::plan(&self.analyzer, &self.meta.vocab, self.meta.stats.n, query, false)
    }

    /// The plan the browser makes (no stemmer for words missing from the
    /// vocabulary); search-engine.js must produce exactly this.
    pub fn browser_plan(&self, query: &str) -> engine::Plan {
        engine::plan(&self.analyzer, &self.meta.vocab, self.meta.stats.n, query, false)
    }

    /// "Vouliez-vous dire …" for `query` (see [`engine::suggest`]): it
    /// reads the query's ranking, over every document (a kind filter does
    /// not change it, as in the browser).
    pub fn suggest(&self, query: &str) -> Result<Option<String>, Error> {
        let plan = self.plan(query);
        // Scored again only when a word has a correction to weigh.
        let rank = || engine::score(&plan, self.meta.stats.n, |t| self.postings(t));
        engine::suggest(&self.analyzer, &self.meta.vocab, query, &plan, rank, |t| {
            self.postings(t)
        })
    }

    /// Ranked (ord, score) for `query`, all documents.
    pub fn rank(&self, query: &str) -> Result<Vec<(u32, f64)>, Error> {
        let plan = self.plan(query);
        engine::score(&plan, self.meta.stats.n, |t| self.postings(t))
    }

    /// The best `limit` hits, optionally of one kind only.
    pub fn search(&self, query: &str, limit: usize, kind: Option<Kind>) -> Result<Vec<Hit>, Error> {
        let plan = self.plan(query);
        // FICHES_EXPLAIN=1: the plan and each hit's score breakdown on
        // stderr, to see why a sheet loses (a debugging aid, not an API).
        let explain = std::env::var_os("FICHES_EXPLAIN").is_some();
        let (ranked, why) = engine::score_explained(&plan, self.meta.stats.n, |t| self.postings(t), explain)?;
        if explain {
            eprintln!("plan {query:?}: {}", serde_json::to_string(&plan).unwrap_or_default());
        }
        let terms: BTreeSet<String> = plan.terms();
        let searcher = self.reader.searcher();
        let mut hits = Vec::new();
        for (ord, score) in ranked {
            if hits.len() >= limit {
                break;
            }
            if kind.is_some_and(|k| self.meta.kinds[ord as usize] != k) {
                continue;
            }
            let doc: TantivyDocument = searcher.doc(self.addr[ord as usize])?;
            let get = |f: Field| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            if explain {
                eprintln!(
                    "{:>3}. {:.4} {} {}",
                    hits.len() + 1,
                    score,
                    get(self.fields.id),
                    serde_json::to_string(&why[ord as usize]).unwrap_or_default()
                );
            }
            hits.push(Hit {
                id: get(self.fields.id),
                kind: self.meta.kinds[ord as usize],
                title: get(self.fields.title),
                url: get(self.fields.url),
                snippet: make_snippet(&self.analyzer, &get(self.fields.snip), &terms),
                score: score as f32,
            });
        }
        Ok(hits)
    }

    /// Where the index lives.
    pub fn dir_for(cache_dir: &Path, cfg: &SearchConfig, docs: &[SearchDoc]) -> PathBuf {
        cache_dir.join(format!("idx-{:016x}", fingerprint(cfg, docs)))
    }
}
