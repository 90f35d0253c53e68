//! Analysis of a whole document set: per-field token counts, vocabulary
//! (folded surface → stem, with document frequency) and, for the browser
//! index, the postings. Shared by the CLI (tantivy) and browser builders so
//! that both score with the very same numbers.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::analysis::{Analyzer, Token};
use crate::params::{B, K1, NF, W};
use crate::{Kind, SearchDoc};

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
    [
        d.title.clone(),
        d.tags.join("\n"),
        d.summary.clone(),
        d.category.clone(),
        d.body.clone(),
        d.code.clone(),
    ]
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
    let body = cap_str(&d.body, SNIPPET_TEXT_CAP);
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

/// What the collector keeps of one analyzed document: field lengths, the
/// frequencies of each distinct term and the distinct (surface, stem)
/// pairs. Made on the analysing worker, so that the one collecting thread
/// touches each distinct word of a document once, not each token (it did,
/// and that serial part is what grew faster than the corpus).
pub struct DocSummary {
    pub(crate) len: [u32; NF],
    pub(crate) tfs: Vec<(String, [u32; NF])>,
    pub(crate) pairs: Vec<(String, String)>,
}

impl DocSummary {
    pub fn of(toks: &DocTokens) -> DocSummary {
        let mut len = [0u32; NF];
        let mut tfs: HashMap<&str, [u32; NF]> = HashMap::new();
        let mut pairs: std::collections::HashSet<(&str, &str)> = Default::default();
        for (f, ts) in toks.iter().enumerate() {
            for t in ts {
                tfs.entry(t.term.as_str()).or_insert([0; NF])[f] += 1;
                // A phrase term or an exact title term is no word: it
                // neither lengthens the field nor enters the vocabulary.
                if !t.is_word() {
                    continue;
                }
                len[f] += 1;
                pairs.insert((t.surface.as_str(), t.term.as_str()));
            }
        }
        DocSummary {
            len,
            tfs: tfs.into_iter().map(|(t, tf)| (t.to_string(), tf)).collect(),
            pairs: pairs.into_iter().map(|(s, t)| (s.to_string(), t.to_string())).collect(),
        }
    }
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
/// in the title.
pub fn impact(tf: &[u32; NF], len: &[u32; NF], avg: &[f64; NF]) -> u16 {
    let mut p = 0.0f64;
    for f in 0..NF {
        if tf[f] > 0 {
            let norm = 1.0 - B[f] + B[f] * (len[f] as f64) / avg[f];
            p += W[f] * tf[f] as f64 / norm;
        }
    }
    if p <= 0.0 {
        return 0;
    }
    let imp = p * (K1 + 1.0) / (p + K1);
    let q = ((imp / crate::params::IMPACT_MIN).ln() / crate::params::impact_ratio().ln()).round() + 1.0;
    let level = q.clamp(1.0, crate::params::IMPACT_LEVELS as f64) as u16;
    if tf[0] > 0 {
        level | crate::params::TITLE_FLAG
    } else {
        level
    }
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
#[derive(Debug, Default)]
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
    /// Folded surface → its stems (one, but for synonyms' extra forms).
    surfaces: HashMap<String, Vec<String>>,
    df: HashMap<String, u32>,
    postings: HashMap<String, PostingList>,
}

impl Collector {
    pub fn new(keep_postings: bool) -> Self {
        Collector {
            keep_postings,
            lengths: Vec::new(),
            surfaces: HashMap::new(),
            df: HashMap::new(),
            postings: HashMap::new(),
        }
    }

    pub fn add(&mut self, ord: u32, doc: DocSummary) {
        debug_assert_eq!(self.lengths.len(), ord as usize);
        self.lengths.push(doc.len);
        for (surface, term) in doc.pairs {
            match self.surfaces.get_mut(&surface) {
                Some(stems) => {
                    if !stems.contains(&term) {
                        stems.push(term);
                    }
                }
                None => {
                    self.surfaces.insert(surface, vec![term]);
                }
            }
        }
        for (term, tf) in doc.tfs {
            match self.df.get_mut(&term) {
                Some(c) => *c += 1,
                None => {
                    self.df.insert(term.clone(), 1);
                }
            }
            if self.keep_postings {
                match self.postings.get_mut(&term) {
                    Some(v) => v.push(ord, &tf),
                    None => {
                        let mut v = PostingList::default();
                        v.push(ord, &tf);
                        self.postings.insert(term, v);
                    }
                }
            }
        }
    }

    pub fn finish(self) -> Collected {
        let n = self.lengths.len() as u32;
        let avglen = avg_lengths(&self.lengths);
        let mut entries: Vec<VocabEntry> = Vec::new();
        for (surface, stems) in self.surfaces {
            for stem in stems {
                let df = self.df.get(&stem).copied().unwrap_or(0);
                entries.push(VocabEntry {
                    surface: surface.clone(),
                    stem,
                    df,
                });
            }
        }
        entries.sort();
        let postings = self.postings.into_iter().collect();
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
    fn impacts_are_monotonic_levels() {
        let t = impact_table();
        assert_eq!(t.len(), IMPACT_LEVELS + 1);
        assert!(t.windows(2).skip(1).all(|w| w[1] > w[0]));
        let avg = [5.0, 3.0, 20.0, 3.0, 500.0, 50.0];
        let len = [5, 3, 20, 3, 500, 50];
        let body = impact(&[0, 0, 0, 0, 1, 0], &len, &avg);
        let title = impact(&[1, 0, 0, 0, 0, 0], &len, &avg);
        let code = impact(&[0, 0, 0, 0, 0, 1], &len, &avg);
        assert!(title > body && body > code, "{title} {body} {code}");
        assert_eq!(impact(&[0; NF], &len, &avg), 0);
    }

    #[test]
    fn posting_lists_give_back_what_was_pushed() {
        let mut l = PostingList::default();
        assert!(l.is_empty() && l.iter().next().is_none());
        let pushed = [
            (0, [1, 0, 0, 0, 0, 0]),
            (1, [0, 0, 0, 0, 300, 2]),
            (70_000, [0, 0, 5, 0, u32::MAX, 0]),
            (u32::MAX, [127, 128, 16_383, 16_384, 0, 1]),
        ];
        for (ord, tf) in &pushed {
            l.push(*ord, tf);
        }
        assert_eq!(l.len(), 4);
        assert_eq!(l.iter().collect::<Vec<_>>(), pushed);
        // A posting of small values (the common case) takes 7 bytes.
        let mut small = PostingList::default();
        for ord in 0..100 {
            small.push(ord * 3, &[0, 0, 0, 0, 2, 0]);
        }
        assert_eq!(small.bytes.len(), 700);
        assert_eq!(small.iter().nth(99), Some((297, [0, 0, 0, 0, 2, 0])));
    }

    #[test]
    fn buckets_and_caps() {
        assert_eq!(bucket_key("élève"), "él");
        assert_eq!(bucket_key("a"), "a");
        assert_eq!(cap_str("ééé", 3), "é");
        assert!(df_class(1) < df_class(100));
    }
}
