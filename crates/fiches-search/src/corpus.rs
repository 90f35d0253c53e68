//! Analysis of a whole document set: per-field token counts, vocabulary
//! (folded surface → stem, with document frequency) and, for the browser
//! index, the postings. Shared by the CLI (tantivy) and browser builders so
//! that both score with the very same numbers.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::sync::Arc;

use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};

use rayon::prelude::*;

use crate::analysis::{Analyzer, Token};
use crate::params::{B, K1, NF, W};
use crate::{Kind, SearchDoc, LINK_END, LINK_START};

/// Text stored per document for snippets: the summary plus at most this
/// many bytes of body, so a 5 MB log stays light in a phone's browser.
pub const SNIPPET_TEXT_CAP: usize = 30_000;

/// Analyzed fields of one document, in `params::FIELDS` order.
pub type DocTokens = [Vec<Token>; NF];

/// Documents are numbered ("ord") in (id, kind) order, so the output does
/// not depend on the order the caller lists them in.
pub fn doc_order(docs: &[SearchDoc]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| {
        (docs[a].id.as_str(), docs[a].kind.as_str(), a).cmp(&(docs[b].id.as_str(), docs[b].kind.as_str(), b))
    });
    order
}

/// The text of each field, in `params::FIELDS` order.
pub fn field_texts(d: &SearchDoc) -> [String; NF] {
    field_strs(d).map(Cow::into_owned)
}

/// [`field_texts`], borrowed where the document has the text as is.
pub fn field_strs(d: &SearchDoc) -> [Cow<'_, str>; NF] {
    [
        Cow::Borrowed(d.title.as_str()),
        Cow::Owned(d.tags.join("\n")),
        Cow::Borrowed(d.summary.as_str()),
        Cow::Borrowed(d.category.as_str()),
        body_text(&d.body),
        Cow::Borrowed(d.code.as_str()),
        Cow::Owned(slug_text(&d.id)),
        Cow::Owned(link_text(&d.body)),
    ]
}

/// The body without its links' text (each link a space: the words on
/// either side stay two words).
pub fn body_text(body: &str) -> Cow<'_, str> {
    if !body.contains(LINK_START) {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut depth = 0u32;
    for c in body.chars() {
        match c {
            LINK_START => {
                depth += 1;
                out.push(' ');
            }
            LINK_END => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    Cow::Owned(out)
}

/// The text of the body's links (`params::FIELDS`' `link`), one a line.
pub fn link_text(body: &str) -> String {
    let mut out = String::new();
    let mut depth = 0u32;
    for c in body.chars() {
        match c {
            LINK_START => depth += 1,
            LINK_END if depth > 0 => {
                depth -= 1;
                out.push('\n');
            }
            _ if depth > 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The body as a reader sees it: the links' marks removed.
pub fn shown_body(body: &str) -> Cow<'_, str> {
    if body.contains([LINK_START, LINK_END]) {
        Cow::Owned(body.replace([LINK_START, LINK_END], ""))
    } else {
        Cow::Borrowed(body)
    }
}

/// The words of a document's file name (`params::FIELDS`' `slug`): the
/// last part of its id, hyphens and underscores as spaces, so that
/// `cle-usb` is the words "cle usb" (and the synonym phrase `cle_usb`),
/// not one hyphenated word.
pub fn slug_text(id: &str) -> String {
    id.rsplit('/').next().unwrap_or("").replace(['-', '_'], " ")
}

/// Cuts `s` to at most `max` bytes on a char boundary.
pub fn cap_str(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The text kept for snippets: summary, then the start of the body.
pub fn snippet_text(d: &SearchDoc) -> String {
    let shown = shown_body(&d.body);
    let body = cap_str(&shown, SNIPPET_TEXT_CAP);
    if d.summary.is_empty() {
        body.to_string()
    } else if body.is_empty() {
        d.summary.clone()
    } else {
        format!("{}\n{}", d.summary, body)
    }
}

/// Analyzes documents in parallel chunks (bounded memory) and hands each to
/// `sink` in ord order, with its [`DocSummary`] (made on the worker too).
pub fn analyze_docs(
    analyzer: &Analyzer,
    docs: &[SearchDoc],
    order: &[usize],
    mut sink: impl FnMut(u32, &SearchDoc, &DocTokens, DocSummary) -> Result<(), crate::Error>,
) -> Result<(), crate::Error> {
    const CHUNK: usize = 256;
    for (c, chunk) in order.chunks(CHUNK).enumerate() {
        let analyzed: Vec<(DocTokens, DocSummary)> = chunk
            .par_iter()
            // One stem memo per worker, kept across documents: most words of
            // a document were already stemmed for an earlier one.
            .map_init(HashMap::new, |memo, &i| {
                let texts = field_texts(&docs[i]);
                let mut out: DocTokens = Default::default();
                for (f, t) in texts.iter().enumerate() {
                    analyzer.tokens_into(t, memo, &mut out[f]);
                    analyzer.add_phrase_tokens(&mut out[f]);
                    if f == 0 {
                        analyzer.add_exact_tokens(&mut out[f]);
                    }
                    if f == 1 {
                        analyzer.add_tag_tokens(&docs[i].tags, &mut out[f]);
                    }
                }
                let summary = DocSummary::of(&out);
                (out, summary)
            })
            .collect();
        let mut toks = Vec::with_capacity(analyzed.len());
        for (k, (t, summary)) in analyzed.into_iter().enumerate() {
            let ord = (c * CHUNK + k) as u32;
            sink(ord, &docs[chunk[k]], &t, summary)?;
            toks.push(t);
        }
        // Millions of small strings: freed by the workers, not the one
        // thread that collects.
        toks.into_par_iter().for_each(drop);
    }
    Ok(())
}

/// Analyzes and collects `docs` in ord order, without keeping their
/// tokens (the browser index's path): each worker counts its documents'
/// terms as it reads them, and the collector's maps are split into
/// [`PARTS`] that merge a chunk of documents side by side. Collection was
/// one thread over maps of every term of the corpus, the part of the
/// index that grew faster than the number of sheets (issue 13).
pub fn collect_docs(analyzer: &Analyzer, docs: &[SearchDoc], order: &[usize], keep_postings: bool) -> Collected {
    const CHUNK: usize = 1024;
    let mut collector = Collector::new(keep_postings);
    // One counter per thread of the pool, kept for the whole corpus: its
    // tables of words and terms (and their stems) fill once, where a
    // `map_init` state was made again for each piece of each chunk that
    // rayon splits off. A thread only ever takes its own.
    let workers: Vec<std::sync::Mutex<DocCounter>> = (0..rayon::current_num_threads().max(1))
        .map(|_| Default::default())
        .collect();
    for chunk in order.chunks(CHUNK) {
        let summaries: Vec<DocSummary> = chunk
            .par_iter()
            .map(|&i| {
                let w = rayon::current_thread_index().unwrap_or(0) % workers.len();
                let mut w = workers[w].lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                w.count(analyzer, &docs[i])
            })
            .collect();
        collector.add_chunk(summaries);
    }
    // Large tables of small strings: freed by the workers.
    workers.into_par_iter().for_each(drop);
    collector.finish()
}

/// Counts a document's terms as [`DocSummary::of`] does from its
/// [`DocTokens`], without making them: a token is a word's number in a
/// table of the words seen (folded surface → stem, kept across documents:
/// the stem memo), and its term's number in a table of terms whose slots
/// hold the document's counts. The tokens' two `String`s each, and the
/// hashing of each token's term and (surface, term) pair, were the
/// largest part of the analysis (speed20). The terms, frequencies and
/// pairs are the same as [`DocSummary::of`]'s (`lean_counts_are_the_tokens_counts`).
#[derive(Default)]
struct DocCounter {
    /// Folded surface → its number in `words`.
    word_ids: FxHashMap<Box<str>, u32>,
    words: Vec<WordSlot>,
    /// Term → its number in `terms`.
    term_ids: FxHashMap<Box<str>, u32>,
    terms: Vec<TermSlot>,
    /// This document's number for the slots' `seen` marks (0: none yet).
    doc: u32,
    len: [u32; NF],
    /// The terms of this document, each once.
    touched: Vec<u32>,
    /// The (word, term) pairs of this document, each once.
    pairs: Vec<(u32, u32)>,
    /// A field's tokens: word, term, from, to.
    toks: Vec<(u32, u32, usize, usize)>,
    bufs: crate::analysis::WordBufs,
    extra: Vec<(String, usize, usize)>,
}

struct WordSlot {
    /// Shared with the summaries and the collector's maps: a document's
    /// summary takes a reference, not a copy (speed21).
    surface: Arc<str>,
    part: u8,
    /// The term of the word stemmed, and of the word as it is (an
    /// abbreviation's: [`crate::analysis::is_abbreviation`]), once made.
    stem: u32,
    plain: Option<u32>,
    /// The last document where (word, stem) and (word, plain) were seen.
    seen: [u32; 2],
}

struct TermSlot {
    text: Arc<str>,
    part: u8,
    word: bool,
    /// The last document that counted this term, and its counts there.
    seen: u32,
    tf: [u32; NF],
}

impl DocCounter {
    fn term_id(&mut self, term: &str) -> u32 {
        if let Some(&t) = self.term_ids.get(term) {
            return t;
        }
        let t = self.terms.len() as u32;
        self.terms.push(TermSlot {
            text: term.into(),
            part: part_of(term),
            word: crate::analysis::is_word_term(term),
            seen: 0,
            tf: [0; NF],
        });
        self.term_ids.insert(term.into(), t);
        t
    }

    /// The word and term of a token: `word` as written, `folded`.
    fn word(&mut self, analyzer: &Analyzer, word: &str, folded: &str) -> (u32, u32) {
        let w = match self.word_ids.get(folded) {
            Some(&w) => w,
            None => {
                let stem = self.term_id(&analyzer.stem_word(folded, false));
                let w = self.words.len() as u32;
                self.words.push(WordSlot {
                    surface: folded.into(),
                    part: part_of(folded),
                    stem,
                    plain: None,
                    seen: [0; 2],
                });
                self.word_ids.insert(folded.into(), w);
                w
            }
        };
        if !crate::analysis::is_abbreviation(word) {
            return (w, self.words[w as usize].stem);
        }
        let t = match self.words[w as usize].plain {
            Some(t) => t,
            None => {
                let t = self.term_id(folded);
                self.words[w as usize].plain = Some(t);
                t
            }
        };
        (w, t)
    }

    /// One occurrence of term `t` in field `f`, of word `w` if it is one.
    fn add(&mut self, f: usize, t: u32, w: Option<u32>) {
        let doc = self.doc;
        let slot = &mut self.terms[t as usize];
        if slot.seen != doc {
            slot.seen = doc;
            slot.tf = [0; NF];
            self.touched.push(t);
        }
        slot.tf[f] += 1;
        // A phrase term, an exact title term or a tag term is no word: it neither
        // lengthens the field nor enters the vocabulary.
        if !slot.word {
            return;
        }
        let Some(w) = w else { return };
        self.len[f] += 1;
        let ws = &mut self.words[w as usize];
        let k = usize::from(ws.stem != t);
        if ws.seen[k] != doc {
            ws.seen[k] = doc;
            self.pairs.push((w, t));
        }
    }

    /// The summary of one document (see `collect_docs`).
    fn count(&mut self, analyzer: &Analyzer, d: &SearchDoc) -> DocSummary {
        self.doc += 1;
        let mut toks = std::mem::take(&mut self.toks);
        let mut bufs = std::mem::take(&mut self.bufs);
        let mut extra = std::mem::take(&mut self.extra);
        for (f, text) in field_strs(d).iter().enumerate() {
            toks.clear();
            analyzer.each_token(text, &mut bufs, |word, folded, from, to| {
                let (w, t) = self.word(analyzer, word, folded);
                toks.push((w, t, from, to));
            });
            for &(w, t, _, _) in &toks {
                self.add(f, t, Some(w));
            }
            // The extra terms of `collect_docs`'s analysis: phrases, then
            // (title) each word's exact term, (tags) the tag terms.
            extra.clear();
            let words = &self.words;
            analyzer.each_phrase_pair(
                toks.len(),
                |i| (&*words[toks[i].0 as usize].surface, toks[i].2, toks[i].3),
                |term, from, to| extra.push((term, from, to)),
            );
            if f == 0 {
                for &(w, t, from, to) in &toks {
                    let slot = &self.terms[t as usize];
                    if slot.word {
                        let exact = crate::analysis::exact_term(&slot.text, &self.words[w as usize].surface);
                        extra.push((exact, from, to));
                    }
                }
            }
            if f == 1 {
                extra.extend(analyzer.tag_terms(&d.tags).map(|t| (t, 0, 0)));
            }
            for (term, _, _) in &extra {
                let t = self.term_id(term);
                self.add(f, t, None);
            }
        }
        self.toks = toks;
        self.bufs = bufs;
        self.extra = extra;
        self.finish()
    }

    fn finish(&mut self) -> DocSummary {
        let terms = &self.terms;
        let tfs = self
            .touched
            .drain(..)
            .map(|t| {
                let s = &terms[t as usize];
                (s.part, Arc::clone(&s.text), s.tf)
            })
            .collect();
        let words = &self.words;
        let pairs = self
            .pairs
            .drain(..)
            .map(|(w, t)| {
                let w = &words[w as usize];
                (w.part, Arc::clone(&w.surface), Arc::clone(&terms[t as usize].text))
            })
            .collect();
        DocSummary::by_part(std::mem::take(&mut self.len), tfs, pairs)
    }
}

/// Number of parts of the collector's maps, by a term's (or surface's)
/// hash: enough for any core count, few enough to stay cheap per chunk.
const PARTS: usize = 32;

fn part_of(s: &str) -> u8 {
    // Middle bits: the maps of a part use the low ones (bucket) and the
    // high ones (tag) of the same hash.
    ((FxBuildHasher.hash_one(s) >> 32) as usize % PARTS) as u8
}

/// Counts one document's tokens (a worker's state, kept across documents
/// for its buffers).
#[derive(Default)]
struct Counts {
    len: [u32; NF],
    tfs: FxHashMap<Arc<str>, [u32; NF]>,
    /// "surface\0term" of the distinct pairs.
    pairs: FxHashSet<String>,
    key: String,
}

impl Counts {
    fn token(&mut self, f: usize, t: &Token) {
        self.term(f, Cow::Borrowed(&t.term));
        // A phrase term, an exact title term or a tag term is no word: it neither
        // lengthens the field nor enters the vocabulary.
        if t.is_word() {
            self.word(f, t);
        }
    }

    /// One more occurrence of `term` in field `f`; the term is copied only
    /// the first time (when it is borrowed).
    fn term(&mut self, f: usize, term: Cow<str>) {
        match self.tfs.get_mut(term.as_ref()) {
            Some(tf) => tf[f] += 1,
            None => {
                let mut tf = [0; NF];
                tf[f] = 1;
                self.tfs.insert(Arc::from(term.as_ref()), tf);
            }
        }
    }

    /// A word lengthens its field and enters the vocabulary.
    fn word(&mut self, f: usize, t: &Token) {
        self.len[f] += 1;
        self.key.clear();
        self.key.push_str(&t.surface);
        self.key.push('\0');
        self.key.push_str(&t.term);
        if !self.pairs.contains(self.key.as_str()) {
            self.pairs.insert(self.key.clone());
        }
    }

    fn finish(&mut self) -> DocSummary {
        let tfs = self.tfs.drain().map(|(t, tf)| (part_of(&t), t, tf)).collect();
        let pairs = self
            .pairs
            .drain()
            .map(|k| {
                let at = k.find('\0').unwrap_or(k.len());
                let surface: Arc<str> = Arc::from(&k[..at]);
                (part_of(&surface), surface, Arc::from(&k[at + 1..]))
            })
            .collect();
        DocSummary::by_part(std::mem::take(&mut self.len), tfs, pairs)
    }
}

/// What the collector keeps of one analyzed document: field lengths, the
/// frequencies of each distinct term and the distinct (surface, stem)
/// pairs, each with its part (see [`PARTS`]) and sorted by it. Made on the
/// analysing worker, so that collection touches each distinct word of a
/// document once, not each token.
pub struct DocSummary {
    pub(crate) len: [u32; NF],
    pub(crate) tfs: Vec<(u8, Arc<str>, [u32; NF])>,
    /// Where each part's entries start in `tfs` (and end: the next start),
    /// so that a part reads only its own entries.
    tf_starts: [u32; PARTS + 1],
    pub(crate) pairs: Vec<(u8, Arc<str>, Arc<str>)>,
    pair_starts: [u32; PARTS + 1],
}

impl DocSummary {
    /// Sorts the entries by part and records where each part starts.
    fn by_part(
        len: [u32; NF],
        mut tfs: Vec<(u8, Arc<str>, [u32; NF])>,
        mut pairs: Vec<(u8, Arc<str>, Arc<str>)>,
    ) -> DocSummary {
        tfs.sort_unstable_by_key(|e| e.0);
        pairs.sort_unstable_by_key(|e| e.0);
        DocSummary {
            len,
            tf_starts: starts(&tfs, |e| e.0),
            pair_starts: starts(&pairs, |e| e.0),
            tfs,
            pairs,
        }
    }

    pub fn of(toks: &DocTokens) -> DocSummary {
        let mut s = Counts::default();
        for (f, ts) in toks.iter().enumerate() {
            for t in ts {
                s.token(f, t);
            }
        }
        s.finish()
    }
}

/// Where each part starts in a list sorted by part, then its length.
fn starts<T>(list: &[T], part: impl Fn(&T) -> u8) -> [u32; PARTS + 1] {
    let mut at = [0u32; PARTS + 1];
    for e in list {
        at[part(e) as usize + 1] += 1;
    }
    for p in 0..PARTS {
        at[p + 1] += at[p];
    }
    at
}

/// The entries of part `p` of a list sorted by part.
fn part_range<'a, T>(list: &'a [T], at: &[u32; PARTS + 1], p: u8) -> &'a [T] {
    &list[at[p as usize] as usize..at[p as usize + 1] as usize]
}

/// Document frequency on a coarse log scale (one base64 char in the
/// browser); typo and prefix candidates are ordered by it on both sides.
pub fn df_class(df: u32) -> u32 {
    ((df.max(1) as f64).log2() * 4.0).round().min(63.0) as u32
}

/// One vocabulary entry: a folded word seen in the corpus and its stem.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct VocabEntry {
    pub surface: String,
    pub stem: String,
    /// Number of documents containing the stem (any field).
    pub df: u32,
}

/// Sorted vocabulary; entries of the same bucket (first two chars) are
/// contiguous, which is what fuzzy matching and the browser shards use.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Vocab {
    pub entries: Vec<VocabEntry>,
    /// (reversed surface, entry index), sorted: words by their end, for
    /// typos in the first half of a word. Built on first use.
    #[serde(skip)]
    reversed: std::sync::OnceLock<Vec<(String, u32)>>,
}

/// `s` with its chars in reverse order (search-engine.js: `Array.from(s).reverse()`).
pub fn reverse_str(s: &str) -> String {
    s.chars().rev().collect()
}

/// The bucket of a folded word: its first two chars (the whole word if shorter).
pub fn bucket_key(surface: &str) -> &str {
    match surface.char_indices().nth(2) {
        Some((i, _)) => &surface[..i],
        None => surface,
    }
}

impl Vocab {
    fn range_where(&self, pred_lt: impl Fn(&str) -> bool, pred_in: impl Fn(&str) -> bool) -> &[VocabEntry] {
        let start = self.entries.partition_point(|e| pred_lt(&e.surface));
        let len = self.entries[start..].partition_point(|e| pred_in(&e.surface));
        &self.entries[start..start + len]
    }

    /// Entries with this exact surface.
    pub fn exact(&self, surface: &str) -> &[VocabEntry] {
        self.range_where(|s| s < surface, |s| s == surface)
    }

    /// Entries whose surface starts with `prefix`.
    pub fn with_prefix(&self, prefix: &str) -> &[VocabEntry] {
        self.range_where(|s| s < prefix, |s| s.starts_with(prefix))
    }

    /// Entries of a bucket.
    pub fn bucket(&self, key: &str) -> &[VocabEntry] {
        self.range_where(|s| bucket_key(s) < key, |s| bucket_key(s) == key)
    }

    pub fn new(entries: Vec<VocabEntry>) -> Vocab {
        Vocab {
            entries,
            reversed: Default::default(),
        }
    }

    /// (reversed surface, entry index) of every entry, sorted.
    pub fn reversed(&self) -> &[(String, u32)] {
        self.reversed.get_or_init(|| {
            let mut r: Vec<(String, u32)> = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (reverse_str(&e.surface), i as u32))
                .collect();
            r.sort();
            r
        })
    }

    /// Entries whose surface ends with `suffix`.
    pub fn with_suffix(&self, suffix: &str) -> impl Iterator<Item = &VocabEntry> {
        let key = reverse_str(suffix);
        let r = self.reversed();
        let start = r.partition_point(|(s, _)| s.as_str() < key.as_str());
        r[start..]
            .iter()
            .take_while(move |(s, _)| s.starts_with(key.as_str()))
            .map(|&(_, i)| &self.entries[i as usize])
    }

    /// Entries of `len` chars (only asked for short words).
    pub fn of_length(&self, len: usize) -> impl Iterator<Item = &VocabEntry> {
        self.entries.iter().filter(move |e| e.surface.chars().count() == len)
    }

    /// Highest df class of the entries of `surface`, if it is known.
    pub fn df_class_of(&self, surface: &str) -> Option<u32> {
        self.exact(surface).iter().map(|e| df_class(e.df)).max()
    }
}

/// Corpus-wide numbers that the scores need.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub n: u32,
    pub avglen: [f64; NF],
    /// Field lengths (tokens) per ord.
    pub lengths: Vec<[u32; NF]>,
}

/// The BM25F impact of a term in a document, before idf, quantized to a
/// level of `params::impact_table()`: both the CLI and the browser score
/// with these exact values. `params::TITLE_FLAG` is set when the term is
/// in the title, `params::SUMMARY_FLAG` when it is in the summary.
pub fn impact(tf: &[u32; NF], len: &[u32; NF], avg: &[f64; NF]) -> u16 {
    let p = bm25f_weight(tf, len, avg);
    if p <= 0.0 {
        return 0;
    }
    with_flags(level_of(p), tf)
}

/// [`impact`], and how far the mean lengths may move before the level
/// can change: the ratio (at least 1) between the weight and its nearest
/// level step, infinite when no step bounds it. Scaling every mean length
/// by a factor between r and 1/r scales the weight by one between r and
/// 1/r (each field's `1 - b + b·len/avg` moves by at most that, and the
/// weight is a sum of positive parts), so while the largest
/// |ln(avg / avg then)| over the fields stays below the log of this
/// ratio, the level is the one computed then (serve's kept term rows,
/// `browser.rs`). The log is left to the caller: one per term, not per
/// posting.
pub fn impact_margin(tf: &[u32; NF], len: &[u32; NF], avg: &[f64; NF]) -> (u16, f64) {
    let p = bm25f_weight(tf, len, avg);
    // No positive part: 0 whatever the lengths.
    if p <= 0.0 {
        return (0, f64::INFINITY);
    }
    let steps = STEPS.get_or_init(level_steps);
    let k = steps.partition_point(|&t| t <= p);
    let below = if k > 0 { p / steps[k - 1] } else { f64::INFINITY };
    let above = steps.get(k).map_or(f64::INFINITY, |&t| t / p);
    (with_flags(level_at(p, k, steps), tf), below.min(above))
}

/// The sum of the fields' normalised frequencies (before saturation).
fn bm25f_weight(tf: &[u32; NF], len: &[u32; NF], avg: &[f64; NF]) -> f64 {
    let mut p = 0.0f64;
    for f in 0..NF {
        if tf[f] > 0 {
            let norm = 1.0 - B[f] + B[f] * (len[f] as f64) / avg[f];
            p += W[f] * tf[f] as f64 / norm;
        }
    }
    p
}

/// The title and summary flags of a stored impact.
fn with_flags(mut level: u16, tf: &[u32; NF]) -> u16 {
    if tf[0] > 0 {
        level |= crate::params::TITLE_FLAG;
    }
    if tf[2] > 0 {
        level |= crate::params::SUMMARY_FLAG;
    }
    level
}

static STEPS: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();

/// The level of a positive weight `p`, as [`level_exact`] gives it, without
/// its two logarithms: serve computes one for each of about 3 million
/// postings at every save. The weights where the level changes are found
/// once; a weight too close to one of them (closer than any rounding error
/// of the two ways) takes the exact way, so the levels are the same.
fn level_of(p: f64) -> u16 {
    let steps = STEPS.get_or_init(level_steps);
    level_at(p, steps.partition_point(|&t| t <= p), steps)
}

/// [`level_of`] given the number `k` of steps at or below `p`.
fn level_at(p: f64, k: usize, steps: &[f64]) -> u16 {
    let near = |i: usize| steps.get(i).is_some_and(|&t| (t - p).abs() <= t * 1e-9);
    if near(k) || (k > 0 && near(k - 1)) {
        return level_exact(p);
    }
    (k + 1) as u16
}

/// The weights from which each level from 2 up is reached: `level_exact`
/// rounds x = ln(imp / MIN) / ln(ratio), so level q + 1 starts at x = q - 0.5,
/// that is imp = MIN * ratio^(q - 0.5), and p = imp * K1 / (K1 + 1 - imp).
fn level_steps() -> Vec<f64> {
    let ln_ratio = crate::params::impact_ratio().ln();
    (2..=crate::params::IMPACT_LEVELS)
        .map(|level| {
            let imp = crate::params::IMPACT_MIN * ((level as f64 - 1.5) * ln_ratio).exp();
            if imp >= K1 + 1.0 {
                f64::INFINITY
            } else {
                imp * K1 / (K1 + 1.0 - imp)
            }
        })
        .collect()
}

/// The level of a positive weight `p`: its saturated impact on a log scale.
fn level_exact(p: f64) -> u16 {
    let imp = p * (K1 + 1.0) / (p + K1);
    let q = ((imp / crate::params::IMPACT_MIN).ln() / crate::params::impact_ratio().ln()).round() + 1.0;
    q.clamp(1.0, crate::params::IMPACT_LEVELS as f64) as u16
}

/// Mean length of each field over the documents.
pub(crate) fn avg_lengths(lengths: &[[u32; NF]]) -> [f64; NF] {
    let n = lengths.len();
    let mut avglen = [0f64; NF];
    for l in lengths {
        for f in 0..NF {
            avglen[f] += l[f] as f64;
        }
    }
    for a in avglen.iter_mut() {
        // An empty field everywhere: any positive value does (tf is 0).
        *a = if n == 0 || *a == 0.0 { 1.0 } else { *a / n as f64 };
    }
    avglen
}

/// Everything the builders collect in one pass.
pub struct Collected {
    pub stats: Stats,
    pub vocab: Vocab,
    /// term → (ord, tf per field), ords ascending. Only when asked for.
    pub postings: BTreeMap<String, PostingList>,
}

/// One term's postings, packed: for each document, in ord order, the ord's
/// distance from the previous one then the tf of each field, as varints. Most tfs are 0 or small, so a posting takes about 8 bytes
/// instead of the 28 of an `(u32, [u32; NF])` (and twice that in a `Vec`'s
/// growth): the postings were the largest part of the index's memory
/// (15 million of them at 50,000 sheets).
#[derive(Debug, Default, Clone)]
pub struct PostingList {
    bytes: Vec<u8>,
    last: u32,
    len: u32,
}

impl PostingList {
    /// Appends the posting of `ord`, greater than any before it.
    pub fn push(&mut self, ord: u32, tf: &[u32; NF]) {
        debug_assert!(self.len == 0 || ord > self.last);
        let mut buf = [0u8; 8];
        self.bytes
            .extend_from_slice(tantivy_common::serialize_vint_u32(ord - self.last, &mut buf));
        for &t in tf {
            self.bytes
                .extend_from_slice(tantivy_common::serialize_vint_u32(t, &mut buf));
        }
        self.last = ord;
        self.len += 1;
    }

    /// Sets the posting of `ord` to `tf` (none: no posting), in place:
    /// the bytes of that posting and the next one's distance change, the
    /// others stay. Returns the tf it had. `serve` patches a saved
    /// document's postings this way (`live.rs`).
    pub fn set(&mut self, ord: u32, tf: Option<&[u32; NF]>) -> Option<[u32; NF]> {
        use tantivy_common::read_u32_vint as read;
        let b = &self.bytes;
        // The first posting at `ord` or after, where it starts, the ord before.
        let (mut pos, mut prev, mut cur) = (0usize, 0u32, None);
        while pos < b.len() {
            let mut r = &b[pos..];
            let o = prev + read(&mut r);
            if o >= ord {
                cur = Some(o);
                break;
            }
            for _ in 0..NF {
                read(&mut r);
            }
            pos = b.len() - r.len();
            prev = o;
        }
        // The bytes replaced: that posting if it is `ord`'s, and the
        // distance of the one after.
        let (mut old, mut next, mut end) = (None, None, pos);
        if let Some(o) = cur {
            let mut r = &b[pos..];
            read(&mut r);
            if o == ord {
                let mut t = [0u32; NF];
                for x in t.iter_mut() {
                    *x = read(&mut r);
                }
                old = Some(t);
                if !r.is_empty() {
                    next = Some(ord + read(&mut r));
                }
            } else {
                next = Some(o);
            }
            end = b.len() - r.len();
        }
        if old.as_ref() == tf {
            return old;
        }
        let mut buf = [0u8; 8];
        let mut new = Vec::with_capacity(8 * (NF + 2));
        let mut before = prev;
        if let Some(tf) = tf {
            new.extend_from_slice(tantivy_common::serialize_vint_u32(ord - prev, &mut buf));
            for &t in tf {
                new.extend_from_slice(tantivy_common::serialize_vint_u32(t, &mut buf));
            }
            before = ord;
        }
        if let Some(n) = next {
            new.extend_from_slice(tantivy_common::serialize_vint_u32(n - before, &mut buf));
        }
        self.bytes.splice(pos..end, new);
        match (old.is_some(), tf.is_some()) {
            (false, true) => self.len += 1,
            (true, false) => self.len -= 1,
            _ => {}
        }
        if next.is_none() {
            self.last = before;
        }
        old
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
    }

    /// Gives back what the growth of the list reserved: a copy of the
    /// exact size (mimalloc keeps a block shrunk to half its size or more
    /// where it is, with its room).
    pub fn shrink_to_fit(&mut self) {
        if self.bytes.capacity() > self.bytes.len() {
            self.bytes = self.bytes.as_slice().to_vec();
        }
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// (ord, tf per field), ords ascending.
    pub fn iter(&self) -> impl Iterator<Item = (u32, [u32; NF])> + '_ {
        let mut r: &[u8] = &self.bytes;
        let mut ord = 0u32;
        let mut next = move || tantivy_common::read_u32_vint(&mut r);
        (0..self.len).map(move |_| {
            ord += next();
            let mut tf = [0u32; NF];
            for t in tf.iter_mut() {
                *t = next();
            }
            (ord, tf)
        })
    }
}

/// Per-doc metadata kept in ord order.
pub struct DocMeta {
    pub kind: Kind,
}

/// Accumulates statistics from analyzed docs.
pub struct Collector {
    keep_postings: bool,
    lengths: Vec<[u32; NF]>,
    parts: Vec<Part>,
}

/// One part of the collector's maps (see [`PARTS`]).
#[derive(Default)]
struct Part {
    /// Folded surface → its stems (one, but for synonyms' extra forms).
    surfaces: FxHashMap<Arc<str>, Vec<Arc<str>>>,
    /// Term → its document frequency and, when kept, its postings.
    terms: FxHashMap<Arc<str>, (u32, PostingList)>,
}

impl Part {
    fn add(&mut self, p: u8, ord: u32, doc: &DocSummary, keep_postings: bool) {
        for (_, surface, term) in part_range(&doc.pairs, &doc.pair_starts, p) {
            match self.surfaces.get_mut(surface.as_ref()) {
                Some(stems) => {
                    if !stems.contains(term) {
                        stems.push(term.clone());
                    }
                }
                None => {
                    self.surfaces.insert(surface.clone(), vec![term.clone()]);
                }
            }
        }
        for (_, term, tf) in part_range(&doc.tfs, &doc.tf_starts, p) {
            let entry = match self.terms.get_mut(term.as_ref()) {
                Some(e) => e,
                None => self.terms.entry(term.clone()).or_default(),
            };
            entry.0 += 1;
            if keep_postings {
                entry.1.push(ord, tf);
            }
        }
    }
}

impl Collector {
    pub fn new(keep_postings: bool) -> Self {
        Collector {
            keep_postings,
            lengths: Vec::new(),
            parts: (0..PARTS).map(|_| Part::default()).collect(),
        }
    }

    pub fn add(&mut self, ord: u32, doc: DocSummary) {
        debug_assert_eq!(self.lengths.len(), ord as usize);
        self.lengths.push(doc.len);
        for (p, part) in self.parts.iter_mut().enumerate() {
            part.add(p as u8, ord, &doc, self.keep_postings);
        }
    }

    /// Adds the next documents, in ord order, each part on its own core.
    pub fn add_chunk(&mut self, docs: Vec<DocSummary>) {
        let first = self.lengths.len() as u32;
        self.lengths.extend(docs.iter().map(|d| d.len));
        let keep = self.keep_postings;
        self.parts.par_iter_mut().enumerate().for_each(|(p, part)| {
            for (k, doc) in docs.iter().enumerate() {
                part.add(p as u8, first + k as u32, doc, keep);
            }
        });
        // Millions of small strings: freed by every worker.
        docs.into_par_iter().for_each(drop);
    }

    pub fn finish(self) -> Collected {
        let n = self.lengths.len() as u32;
        let avglen = avg_lengths(&self.lengths);
        let parts = self.parts;
        let df = |stem: &str| parts[part_of(stem) as usize].terms.get(stem).map_or(0, |e| e.0);
        let mut entries: Vec<VocabEntry> = parts
            .par_iter()
            .flat_map_iter(|part| {
                part.surfaces.iter().flat_map(move |(surface, stems)| {
                    stems.iter().map(move |stem| VocabEntry {
                        surface: surface.to_string(),
                        stem: stem.to_string(),
                        df: df(stem),
                    })
                })
            })
            .collect();
        entries.par_sort_unstable();
        let postings = if self.keep_postings {
            let mut all: Vec<(String, PostingList)> = parts
                .into_par_iter()
                .flat_map_iter(|part| part.terms.into_iter().map(|(t, (_, list))| (t.to_string(), list)))
                .collect();
            all.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
            all.into_iter().collect()
        } else {
            BTreeMap::new()
        };
        Collected {
            stats: Stats {
                n,
                avglen,
                lengths: self.lengths,
            },
            vocab: Vocab::new(entries),
            postings,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{impact_table, IMPACT_LEVELS};

    #[test]
    fn levels_found_by_steps_are_the_exact_levels() {
        // Around every step (where rounding could differ), and across the
        // whole range on a fine log grid.
        let steps = super::level_steps();
        let mut checked = 0;
        for &t in steps.iter().filter(|t| t.is_finite()) {
            for k in -40i32..=40 {
                let p = t * (1.0 + k as f64 * 1e-11);
                let q = f64::from_bits((t.to_bits() as i64 + k as i64) as u64);
                for p in [p, q] {
                    assert_eq!(super::level_of(p), super::level_exact(p), "{p} near {t}");
                    checked += 1;
                }
            }
        }
        let mut p = 1e-6;
        while p < 1e6 {
            assert_eq!(super::level_of(p), super::level_exact(p), "{p}");
            p *= 1.000_37;
            checked += 1;
        }
        assert!(checked > 100_000, "{checked}");
        // Every level is reached.
        let levels: std::collections::BTreeSet<u16> = steps
            .iter()
            .filter(|t| t.is_finite())
            .map(|&t| super::level_of(t * (1.0 + 1e-6)))
            .collect();
        assert_eq!(levels.len(), steps.iter().filter(|t| t.is_finite()).count());
    }

    #[test]
    fn impacts_are_monotonic_levels() {
        let t = impact_table();
        assert_eq!(t.len(), IMPACT_LEVELS + 1);
        assert!(t.windows(2).skip(1).all(|w| w[1] > w[0]));
        let avg = [5.0, 3.0, 20.0, 3.0, 500.0, 50.0, 3.0, 10.0];
        let len = [5, 3, 20, 3, 500, 50, 3, 10];
        let body = impact(&[0, 0, 0, 0, 1, 0, 0, 0], &len, &avg);
        let title = impact(&[1, 0, 0, 0, 0, 0, 0, 0], &len, &avg);
        let code = impact(&[0, 0, 0, 0, 0, 1, 0, 0], &len, &avg);
        let link = impact(&[0, 0, 0, 0, 0, 0, 0, 1], &len, &avg);
        assert!(title > body && body > code, "{title} {body} {code}");
        assert!(body > link && link > 0, "{body} {link}");
        assert_eq!(impact(&[0; NF], &len, &avg), 0);
    }

    /// Within its margin, a level does not move whichever way each mean
    /// length moves; past it, some level does.
    #[test]
    fn impact_margins_bound_how_far_the_means_may_move() {
        let avg = [5.0, 3.0, 20.0, 3.0, 500.0, 50.0, 3.0, 10.0];
        let mut moved_past = 0;
        for k in 0..2000u32 {
            let tf = [k % 2, 0, k % 3 / 2, 0, 1 + k % 7, k % 5 / 4, k % 11 / 10, k % 13 / 12];
            let len = [
                4 + k % 5,
                3,
                10 + k % 30,
                2,
                40 + (k * 37) % 1500,
                k % 90,
                1 + k % 4,
                1 + k % 17,
            ];
            let (q, ratio) = impact_margin(&tf, &len, &avg);
            assert_eq!(q, impact(&tf, &len, &avg));
            assert!(ratio >= 1.0);
            let m = ratio.ln();
            // Each field by its own factor, within the margin.
            for signs in [[1.0; NF], [-1.0; NF], [1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0]] {
                let near: [f64; NF] = std::array::from_fn(|f| avg[f] * (signs[f] * m * 0.999).exp());
                assert_eq!(impact(&tf, &len, &near), q, "{tf:?} {len:?} {m}");
            }
            let far: [f64; NF] = std::array::from_fn(|f| avg[f] * (m * 1.5).exp());
            let back: [f64; NF] = std::array::from_fn(|f| avg[f] * (-m * 1.5).exp());
            if impact(&tf, &len, &far) != q || impact(&tf, &len, &back) != q {
                moved_past += 1;
            }
        }
        assert!(moved_past > 100, "{moved_past}");
    }

    #[test]
    fn posting_lists_give_back_what_was_pushed() {
        let mut l = PostingList::default();
        assert!(l.is_empty() && l.iter().next().is_none());
        let pushed = [
            (0, [1, 0, 0, 0, 0, 0, 0, 0]),
            (1, [0, 0, 0, 0, 300, 2, 0, 0]),
            (70_000, [0, 0, 5, 0, u32::MAX, 0, 1, 3]),
            (u32::MAX, [127, 128, 16_383, 16_384, 0, 1, 2, 0]),
        ];
        for (ord, tf) in &pushed {
            l.push(*ord, tf);
        }
        assert_eq!(l.len(), 4);
        assert_eq!(l.iter().collect::<Vec<_>>(), pushed);
        // A posting of small values (the common case) takes 9 bytes: the
        // ord delta and one per field.
        let mut small = PostingList::default();
        for ord in 0..100 {
            small.push(ord * 3, &[0, 0, 0, 0, 2, 0, 0, 0]);
        }
        assert_eq!(small.bytes.len(), 900);
        assert_eq!(small.iter().nth(99), Some((297, [0, 0, 0, 0, 2, 0, 0, 0])));
    }

    #[test]
    fn set_patches_a_list_as_building_it_again_would() {
        let tf = |v: u32| [v, 0, 0, 0, v * 200, 1, v % 2, 0];
        let build = |list: &[(u32, [u32; NF])]| {
            let mut l = PostingList::default();
            for (o, t) in list {
                l.push(*o, t);
            }
            l
        };
        let mut want: Vec<(u32, [u32; NF])> = (0..50).map(|i| (i * 7 + 3, tf(i))).collect();
        let mut l = build(&want);
        // Replace, remove, insert in the middle, first, last, past the end.
        for (ord, new) in [
            (10, Some(tf(99))),
            (10, None),
            (0, Some(tf(5))),
            (3, None),
            (17, Some(tf(1))),
            (346, None),
            (900, Some(tf(2))),
            (339, Some(tf(7))),
            (11, None),
            (4, Some(tf(4))),
        ] {
            let had = want.iter().position(|p| p.0 == ord).map(|k| want.remove(k).1);
            if let Some(t) = new {
                let at = want.partition_point(|p| p.0 < ord);
                want.insert(at, (ord, t));
            }
            assert_eq!(l.set(ord, new.as_ref()), had, "{ord}");
            assert_eq!(l.iter().collect::<Vec<_>>(), want, "{ord}");
            let b = build(&want);
            assert_eq!((&l.bytes, l.len, l.last), (&b.bytes, b.len, b.last), "{ord}");
        }
        // Emptied, then filled again.
        for (o, _) in want.clone() {
            l.set(o, None);
        }
        assert!(l.is_empty() && l.bytes.is_empty());
        l.set(12, Some(&tf(3)));
        l.push(20, &tf(1));
        assert_eq!(l.iter().collect::<Vec<_>>(), [(12, tf(3)), (20, tf(1))]);
    }

    #[test]
    fn parallel_collection_equals_the_serial_one() {
        let doc = |i: usize| SearchDoc {
            id: format!("d{i:04}"),
            kind: Kind::Fiche,
            title: format!("Imprimante {i} bloquée"),
            url: format!("d{i}/"),
            category: ["Wi-Fi", "ENT", "imprimantes"][i % 3].into(),
            audience: vec![],
            tags: vec!["PC".into(), format!("tag{}", i % 7)],
            summary: "L'écran reste noir, le PC ne démarre pas.".into(),
            body: format!(
                "Vérifiez le câble HDMI et l'alimentation ; mot{i} mot{} réseau WIFI wi-fi. ",
                i % 50
            )
            .repeat(1 + i % 5),
            code: if i.is_multiple_of(4) {
                "ipconfig /all".into()
            } else {
                String::new()
            },
        };
        // More documents than a chunk, so that parts merge several chunks.
        let docs: Vec<SearchDoc> = (0..2500).rev().map(doc).collect();
        let analyzer = Analyzer::new(&crate::SearchConfig {
            language: "fr".into(),
            synonyms: vec![],
        });
        let order = doc_order(&docs);
        let mut serial = Collector::new(true);
        analyze_docs(&analyzer, &docs, &order, |ord, _, _, summary| {
            serial.add(ord, summary);
            Ok(())
        })
        .unwrap();
        let serial = serial.finish();
        let parallel = collect_docs(&analyzer, &docs, &order, true);
        assert_eq!(parallel.stats.lengths, serial.stats.lengths);
        assert_eq!(parallel.stats.avglen, serial.stats.avglen);
        assert_eq!(parallel.vocab.entries, serial.vocab.entries);
        assert!(parallel.vocab.entries.iter().any(|e| e.surface == "pc" && e.df == 2500));
        type Lists = Vec<(String, Vec<(u32, [u32; NF])>)>;
        let lists = |c: &Collected| -> Lists {
            c.postings
                .iter()
                .map(|(t, l)| (t.clone(), l.iter().collect()))
                .collect()
        };
        assert_eq!(lists(&parallel), lists(&serial));
        assert!(parallel.postings["imprim"].len() == 2500);
        // Without postings, the same vocabulary.
        assert_eq!(
            collect_docs(&analyzer, &docs, &order, false).vocab.entries,
            serial.vocab.entries
        );
    }

    #[test]
    fn lean_counts_are_the_tokens_counts() {
        // Synonym phrases (built-in and the site's), an abbreviation also
        // written in lower case, hyphenated words, elisions, a numeral that
        // folds to a separator ("⒈" is "1."), tags of one and two words.
        let analyzer = Analyzer::new(&crate::SearchConfig {
            language: "fr".into(),
            synonyms: vec![
                vec!["réseau sans fil".into(), "wifi".into()],
                vec!["mot de passe".into(), "mdp".into()],
            ],
        });
        let docs = [
            (
                "L'ENT et l'ent : Wi-Fi",
                "ENT, mot de passe",
                "Le réseau sans fil ⒈ ne marche pas ; réseaux sans fils. ENT ent Ent",
            ),
            (
                "Imprimantes bloquées",
                "imprimante",
                "l'imprimante imprime ; les imprimantes n'impriment plus, mot-de-passe",
            ),
            ("", "", ""),
        ];
        let mut counter = DocCounter::default();
        for round in 0..2 {
            for (k, (title, tags, body)) in docs.iter().enumerate() {
                let d = SearchDoc {
                    id: format!("d{k}"),
                    kind: Kind::Fiche,
                    title: title.to_string(),
                    url: String::new(),
                    category: "Réseau".into(),
                    audience: vec![],
                    tags: tags.split(", ").filter(|t| !t.is_empty()).map(String::from).collect(),
                    summary: body.chars().rev().collect(),
                    body: body.to_string(),
                    code: "ping 10.0.0.1".into(),
                };
                let mut toks: DocTokens = Default::default();
                for (f, t) in field_texts(&d).iter().enumerate() {
                    toks[f] = analyzer.tokens(t);
                    analyzer.add_phrase_tokens(&mut toks[f]);
                    if f == 0 {
                        analyzer.add_exact_tokens(&mut toks[f]);
                    }
                    if f == 1 {
                        analyzer.add_tag_tokens(&d.tags, &mut toks[f]);
                    }
                }
                let sorted = |s: DocSummary| {
                    let (mut tfs, mut pairs) = (s.tfs, s.pairs);
                    tfs.sort();
                    pairs.sort();
                    (s.len, tfs, pairs, s.tf_starts, s.pair_starts)
                };
                let want = sorted(DocSummary::of(&toks));
                let got = sorted(counter.count(&analyzer, &d));
                assert_eq!(got, want, "document {k}, round {round}");
                if k == 0 {
                    let terms: Vec<&str> = want.1.iter().map(|t| &*t.1).collect();
                    assert!(terms.iter().any(|t| t.contains(crate::params::PHRASE_SEP)), "{terms:?}");
                    assert!(want.2.iter().any(|p| &*p.1 == "ent" && &*p.2 == "ent"), "{:?}", want.2);
                }
            }
        }
    }

    #[test]
    fn buckets_and_caps() {
        assert_eq!(bucket_key("élève"), "él");
        assert_eq!(bucket_key("a"), "a");
        assert_eq!(cap_str("ééé", 3), "é");
        assert!(df_class(1) < df_class(100));
    }
}
