//! The browser index kept up to date by `fiches serve`: a saved sheet must
//! be findable within a second, where writing the whole index again takes
//! 10 s and more at 10,000 sheets (analysis is most of it, then deflating
//! the snippet texts, then writing 13,000 files).
//!
//! Design: of each document, [`LiveIndex`] keeps what the analysis made of
//! it ([`crate::corpus::DocSummary`], packed as varints of word ids: about
//! a tenth of the text) and its `d/`/`x/` piece ([`DocPiece`], already
//! deflated), both keyed by a hash of the document. An update analyses and
//! deflates only the documents it has not seen, collects the statistics
//! again from the kept summaries (exact idf, lengths and vocabulary, at no
//! analysis cost), assembles every file as [`crate::browser::build_browser_index`]
//! does, and writes only the files whose bytes changed. So the result is,
//! byte for byte, what a full build writes. Subtracting a document from
//! the statistics in place was the other way; it saves the collection
//! (a few hundred ms at 10,000 sheets) but needs per-(word, stem) document
//! counts and a second path to keep exact, for little gain.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::Analyzer;
use crate::browser::{assemble, block_files, doc_piece, DocPiece};
use crate::corpus::{
    analyze_docs, avg_lengths, doc_order, Collected, DocSummary, PostingList, Stats, Vocab, VocabEntry,
};
use crate::params::NF;
use crate::{Error, SearchConfig, SearchDoc};

/// Strings (terms and surfaces) as ids, so that the kept summaries are small.
#[derive(Default)]
struct Words {
    ids: HashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
}

impl Words {
    fn id(&mut self, w: &str) -> u32 {
        if let Some(&i) = self.ids.get(w) {
            return i;
        }
        let i = self.words.len() as u32;
        self.words.push(w.into());
        self.ids.insert(w.into(), i);
        i
    }
}

/// What is kept of one document.
struct Kept {
    /// Field lengths, then the (term id, tf per field) and the (surface
    /// id, term id) pairs of its summary, each list after its length; varints.
    summary: Box<[u8]>,
    piece: DocPiece,
}

fn push(out: &mut Vec<u8>, v: u32) {
    let mut buf = [0u8; 8];
    out.extend_from_slice(tantivy_common::serialize_vint_u32(v, &mut buf));
}

fn pack(words: &mut Words, s: DocSummary) -> Box<[u8]> {
    let mut out = Vec::with_capacity(16 + s.tfs.len() * 9 + s.pairs.len() * 5);
    for l in s.len {
        push(&mut out, l);
    }
    push(&mut out, s.tfs.len() as u32);
    for (_, term, tf) in &s.tfs {
        push(&mut out, words.id(term));
        for &t in tf {
            push(&mut out, t);
        }
    }
    push(&mut out, s.pairs.len() as u32);
    for (_, surface, term) in &s.pairs {
        push(&mut out, words.id(surface));
        push(&mut out, words.id(term));
    }
    out.into_boxed_slice()
}

/// A document's identity and content: equal hashes, same summary and piece.
fn doc_key(d: &SearchDoc) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (
        &d.id,
        d.kind.as_str(),
        &d.title,
        &d.url,
        &d.category,
        &d.audience,
        &d.tags,
        &d.summary,
        &d.body,
        &d.code,
    )
        .hash(&mut h);
    h.finish()
}

fn bytes_key(b: &[u8]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write(b);
    h.finish()
}

/// What [`LiveIndex::update`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LiveUpdate {
    /// Documents analysed (not seen before).
    pub analysed: usize,
    /// Files (re)written, and removed.
    pub written: usize,
    pub removed: usize,
    /// Files of the index.
    pub files: usize,
}

/// The files of an update, not written yet ([`LiveIndex::prepare`]).
pub struct LiveFiles {
    root: PathBuf,
    files: Vec<(PathBuf, String)>,
    analysed: usize,
}

/// The browser index of a site that changes (see the module's header).
#[derive(Default)]
pub struct LiveIndex {
    analyzer: Option<(SearchConfig, Analyzer)>,
    words: Words,
    kept: HashMap<u64, Kept>,
    /// The `search/` folder written to, and the hash of each of its files.
    dir: Option<PathBuf>,
    written: HashMap<PathBuf, u64>,
}

impl LiveIndex {
    pub fn new() -> LiveIndex {
        LiveIndex::default()
    }

    /// Makes `<out>/search/` the index of `docs`, as `write_browser_index`
    /// would, rewriting only the files that change. `manifest.js` goes
    /// last, so that a browser that reads the new one finds the new shards.
    pub fn update(&mut self, out: &Path, cfg: &SearchConfig, docs: &[SearchDoc]) -> Result<LiveUpdate, Error> {
        let files = self.prepare(out, cfg, docs)?;
        self.write(files)
    }

    /// The first half of [`LiveIndex::update`]: every file, in memory.
    /// The caller may then decide not to write (`serve` is stopping).
    pub fn prepare(&mut self, out: &Path, cfg: &SearchConfig, docs: &[SearchDoc]) -> Result<LiveFiles, Error> {
        if self.analyzer.as_ref().is_none_or(|(c, _)| c != cfg) {
            // Another language or other synonyms: nothing kept is valid.
            *self = LiveIndex {
                analyzer: Some((cfg.clone(), Analyzer::new(cfg))),
                ..Default::default()
            };
        }
        let keys: Vec<u64> = docs.par_iter().map(doc_key).collect();
        let mut seen = HashSet::new();
        let missing: Vec<usize> = (0..docs.len())
            .filter(|&i| !self.kept.contains_key(&keys[i]) && seen.insert(keys[i]))
            .collect();
        let analysed = missing.len();
        self.analyse(docs, &keys, &missing)?;
        let live: HashSet<u64> = keys.iter().copied().collect();
        self.kept.retain(|k, _| live.contains(k));
        let order = doc_order(docs);
        let collected = self.collect(&keys, &order);
        let pieces: Vec<&DocPiece> = order.iter().map(|&i| &self.kept[&keys[i]].piece).collect();
        // The same groups as `doc_blocks`, so the files are cut alike.
        let blocks = block_files(&pieces, 0);
        drop(pieces);
        let Some((_, analyzer)) = self.analyzer.as_ref() else {
            return Err(Error::Invalid("no analyzer".into()));
        };
        let ix = assemble(cfg, docs, &order, analyzer, collected, blocks);
        Ok(LiveFiles {
            root: out.join("search"),
            files: ix.files,
            analysed,
        })
    }

    /// Analyses and deflates the documents `missing` and keeps the result.
    fn analyse(&mut self, docs: &[SearchDoc], keys: &[u64], missing: &[usize]) -> Result<(), Error> {
        let Some((_, analyzer)) = self.analyzer.as_ref() else {
            return Ok(());
        };
        let mut pieces: Vec<Option<DocPiece>> = missing.par_iter().map(|&i| Some(doc_piece(&docs[i]))).collect();
        let (words, kept) = (&mut self.words, &mut self.kept);
        analyze_docs(analyzer, docs, missing, |k, _, _, summary| {
            let k = k as usize;
            if let Some(piece) = pieces[k].take() {
                let summary = pack(words, summary);
                kept.insert(keys[missing[k]], Kept { summary, piece });
            }
            Ok(())
        })
    }

    /// The statistics, vocabulary and postings of the documents in ord
    /// order, as `Collector` gives them.
    fn collect(&self, keys: &[u64], order: &[usize]) -> Collected {
        let n = self.words.words.len();
        let mut df = vec![0u32; n];
        let mut postings: Vec<PostingList> = (0..n).map(|_| PostingList::default()).collect();
        let mut pairs: Vec<u64> = Vec::new();
        let mut lengths = Vec::with_capacity(order.len());
        for (ord, &i) in order.iter().enumerate() {
            let mut r: &[u8] = &self.kept[&keys[i]].summary;
            let mut next = || tantivy_common::read_u32_vint(&mut r);
            let mut len = [0u32; NF];
            for l in len.iter_mut() {
                *l = next();
            }
            lengths.push(len);
            for _ in 0..next() {
                let t = next() as usize;
                let mut tf = [0u32; NF];
                for x in tf.iter_mut() {
                    *x = next();
                }
                df[t] += 1;
                postings[t].push(ord as u32, &tf);
            }
            for _ in 0..next() {
                let (s, t) = (next() as u64, next() as u64);
                pairs.push(s << 32 | t);
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        let word = |i: u64| self.words.words[i as usize].to_string();
        let mut entries: Vec<VocabEntry> = pairs
            .into_iter()
            .map(|p| VocabEntry {
                surface: word(p >> 32),
                stem: word(p & 0xffff_ffff),
                df: df[(p & 0xffff_ffff) as usize],
            })
            .collect();
        entries.sort();
        let postings: BTreeMap<String, PostingList> = postings
            .into_iter()
            .enumerate()
            .filter(|(_, l)| !l.is_empty())
            .map(|(t, l)| (word(t as u64), l))
            .collect();
        Collected {
            stats: Stats {
                n: order.len() as u32,
                avglen: avg_lengths(&lengths),
                lengths,
            },
            vocab: Vocab::new(entries),
            postings,
        }
    }

    /// The second half of [`LiveIndex::update`]: writes the files whose
    /// bytes changed (each through a rename: a request never reads half a
    /// file) and removes those that are gone. Creates `search/`, never the
    /// folder it is in.
    pub fn write(&mut self, files: LiveFiles) -> Result<LiveUpdate, Error> {
        let LiveFiles { root, files, analysed } = files;
        let root = root.as_path();
        if !root.parent().is_some_and(Path::is_dir) {
            let e = std::io::Error::new(std::io::ErrorKind::NotFound, "the site folder is gone");
            return Err(Error::io(root, e));
        }
        if self.dir.as_deref() != Some(root) {
            // Another folder (serve wrote the site again): learn what it holds.
            self.written = existing(root);
            self.dir = Some(root.to_path_buf());
        }
        for sub in ["", "t", "v", "r", "s", "d", "x"] {
            let p = root.join(sub);
            if let Err(e) = std::fs::create_dir(&p) {
                if e.kind() != std::io::ErrorKind::AlreadyExists {
                    return Err(Error::io(&p, e));
                }
            }
        }
        let hashed: Vec<(PathBuf, String, u64)> = files
            .into_par_iter()
            .map(|(rel, s)| {
                let h = bytes_key(s.as_bytes());
                (rel, s, h)
            })
            .collect();
        let changed: Vec<&(PathBuf, String, u64)> = hashed
            .iter()
            .filter(|(rel, _, h)| self.written.get(rel) != Some(h))
            .collect();
        let manifest = Path::new("manifest.js");
        let write = |(rel, s, _): &&(PathBuf, String, u64)| -> Result<(), Error> {
            let p = root.join(rel);
            let tmp = p.with_file_name(format!(
                ".{}.tmp",
                p.file_name().and_then(|n| n.to_str()).unwrap_or("f")
            ));
            std::fs::write(&tmp, s).map_err(|e| Error::io(&tmp, e))?;
            std::fs::rename(&tmp, &p).map_err(|e| Error::io(&p, e))
        };
        changed.par_iter().filter(|f| f.0 != manifest).try_for_each(write)?;
        changed.iter().filter(|f| f.0 == manifest).try_for_each(write)?;
        let now: HashMap<PathBuf, u64> = hashed.iter().map(|(rel, _, h)| (rel.clone(), *h)).collect();
        let gone: Vec<&PathBuf> = self.written.keys().filter(|rel| !now.contains_key(*rel)).collect();
        for rel in &gone {
            let _ = std::fs::remove_file(root.join(rel));
        }
        let done = LiveUpdate {
            analysed,
            written: changed.len(),
            removed: gone.len(),
            files: now.len(),
        };
        self.written = now;
        Ok(done)
    }
}

/// The files under `root` and the hash of their bytes.
fn existing(root: &Path) -> HashMap<PathBuf, u64> {
    let mut out = HashMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(p),
                Ok(t) if t.is_file() => {
                    if let (Ok(rel), Ok(bytes)) = (p.strip_prefix(root), std::fs::read(&p)) {
                        out.insert(rel.to_path_buf(), bytes_key(&bytes));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kind;

    fn doc(id: &str, body: &str) -> SearchDoc {
        SearchDoc {
            id: id.into(),
            kind: Kind::Fiche,
            title: format!("Titre {id}"),
            url: format!("{id}/"),
            category: "Réseau".into(),
            audience: vec!["enseignant".into()],
            tags: vec!["wifi".into()],
            summary: format!("Résumé de {id}"),
            body: body.into(),
            code: String::new(),
        }
    }

    fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut m = BTreeMap::new();
        for rel in existing(root).into_keys() {
            let bytes = std::fs::read(root.join(&rel)).unwrap();
            m.insert(rel, bytes);
        }
        m
    }

    /// After edits, adds and removes, the folder is what a full build writes.
    #[test]
    fn updates_give_the_bytes_of_a_full_build() {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![vec!["ordinateur".into(), "pc".into()]],
        };
        let long = "l'imprimante du CDI imprime en recto verso. ".repeat(300);
        let mut docs: Vec<SearchDoc> = (0..40)
            .map(|i| doc(&format!("cat/f{i:02}"), &format!("fiche {i} : le pc redémarre {long}")))
            .collect();
        let live = tempfile::tempdir().unwrap();
        let full = tempfile::tempdir().unwrap();
        let mut ix = LiveIndex::new();
        let check = |ix: &mut LiveIndex, docs: &[SearchDoc]| {
            let u = ix.update(live.path(), &cfg, docs).unwrap();
            crate::write_browser_index(full.path(), &cfg, docs).unwrap();
            assert_eq!(tree(&live.path().join("search")), tree(&full.path().join("search")));
            u
        };
        let first = check(&mut ix, &docs);
        assert_eq!((first.analysed, first.written), (40, first.files));
        // An edit: one document analysed, a few files written.
        docs[7].body.push_str(" zorglub nouveau mot");
        let edit = check(&mut ix, &docs);
        assert_eq!(edit.analysed, 1);
        assert!(edit.written < edit.files / 2, "{edit:?}");
        // An add (ords shift) and a remove.
        docs.push(doc("cat/a-neuve", "une fiche neuve sur le wifi"));
        assert_eq!(check(&mut ix, &docs).analysed, 1);
        docs.remove(3);
        let removed = check(&mut ix, &docs);
        assert_eq!(removed.analysed, 0);
        assert!(removed.removed > 0, "{removed:?}");
        // Nothing changed: nothing written.
        assert_eq!(check(&mut ix, &docs).written, 0);
        // Other synonyms: everything again.
        let cfg2 = SearchConfig {
            synonyms: vec![],
            ..cfg.clone()
        };
        let u = ix.update(live.path(), &cfg2, &docs).unwrap();
        assert_eq!(u.analysed, docs.len());
    }
}
