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
//!
//! The caller need not keep the documents' text either: documents come
//! with the hash of their text ([`crate::text_hash`]), and only those not
//! kept need their text. [`Known`] tells the thread that makes the jobs
//! which ones, without a race with the writer's forgetting. The `d/` and
//! `x/` files of a group of documents whose pieces did not change are
//! neither assembled nor compared again (about 40 MB at 10,000 sheets).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::analysis::Analyzer;
use crate::browser::{assemble, block_files, doc_piece, DocPiece, Laps, DOC_BLOCK, REST_BLOCK};
use crate::corpus::{
    analyze_docs, avg_lengths, doc_order, Collected, DocSummary, PostingList, Stats, Vocab, VocabEntry,
};
use crate::params::NF;
use crate::{doc_hash, fingerprint_of, text_hash, Error, Fnv, SearchConfig, SearchDoc};

/// Documents per group of `d/` and `x/` files: a group's files depend on
/// its documents' pieces only.
const GROUP: usize = REST_BLOCK;
const _: () = assert!(REST_BLOCK.is_multiple_of(DOC_BLOCK));

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

/// The key of each document for the index of `cfg`, `texts` the hash of
/// each one's text ([`crate::text_hash`]): equal keys, same summary and
/// piece. What [`Known::want`] is given.
pub fn live_keys(cfg: &SearchConfig, docs: &[SearchDoc], texts: &[u64]) -> Vec<u64> {
    // The analysis depends on the language and the synonyms.
    let mut h = Fnv::new();
    h.write_str(&cfg.language);
    for g in &cfg.synonyms {
        h.write(&(g.len() as u64).to_le_bytes());
        for s in g {
            h.write_str(s);
        }
    }
    let base = h;
    docs.par_iter()
        .zip(texts)
        .map(|(d, &t)| {
            let mut h = base.clone();
            h.write(&doc_hash(d, t).to_le_bytes());
            h.finish()
        })
        .collect()
}

/// What the writer's thread shares with the thread that makes its jobs:
/// the keys of the documents kept, and those of the newest job, which are
/// not forgotten before that job is done (a job that left a document's
/// text out, as kept, finds it kept).
#[derive(Default)]
pub struct Known {
    kept: HashSet<u64>,
    wanted: HashSet<u64>,
}

impl Known {
    /// Records `keys` as the newest job's and says, for each, whether the
    /// job must carry the document's text (it is not kept).
    pub fn want(&mut self, keys: &[u64]) -> Vec<bool> {
        self.wanted = keys.iter().copied().collect();
        keys.iter().map(|k| !self.kept.contains(k)).collect()
    }
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
    /// Files assembled (every file but the `d/` and `x/` files of the
    /// documents that did not change), of which (re)written; removed.
    pub assembled: usize,
    pub written: usize,
    pub removed: usize,
    /// Files of the index.
    pub files: usize,
}

/// The files of an update, not written yet ([`LiveIndex::prepare`]).
pub struct LiveFiles {
    root: PathBuf,
    files: Vec<(PathBuf, String)>,
    /// Files of groups that did not change: they stay as written.
    carried: Vec<PathBuf>,
    groups: Vec<Group>,
    analysed: usize,
}

/// The `d/` and `x/` files made again, the files carried over, every group.
type Blocks = (Files, Vec<PathBuf>, Vec<Group>);
type Files = Vec<(PathBuf, String)>;

/// One group of `GROUP` documents' `d/` and `x/` files, as written.
#[derive(Clone, PartialEq)]
struct Group {
    /// A hash of the keys of its documents.
    key: u64,
    files: Vec<PathBuf>,
}

/// The browser index of a site that changes (see the module's header).
#[derive(Default)]
pub struct LiveIndex {
    analyzer: Option<(SearchConfig, Analyzer)>,
    words: Words,
    kept: HashMap<u64, Kept>,
    known: Arc<Mutex<Known>>,
    /// The `search/` folder written to, and the hash of each of its files.
    dir: Option<PathBuf>,
    written: HashMap<PathBuf, u64>,
    /// The document groups written to `dir`, by group number.
    groups: Vec<Group>,
}

impl LiveIndex {
    pub fn new() -> LiveIndex {
        LiveIndex::default()
    }

    /// What the thread that makes the jobs asks before leaving a
    /// document's text out ([`Known::want`]).
    pub fn known(&self) -> Arc<Mutex<Known>> {
        self.known.clone()
    }

    /// Makes `<out>/search/` the index of `docs`, as `write_browser_index`
    /// would, rewriting only the files that change. `manifest.js` goes
    /// last, so that a browser that reads the new one finds the new shards.
    pub fn update(&mut self, out: &Path, cfg: &SearchConfig, docs: &[SearchDoc]) -> Result<LiveUpdate, Error> {
        let texts: Vec<u64> = docs.par_iter().map(|d| text_hash(&d.body, &d.code)).collect();
        let files = self.prepare(out, cfg, docs, &texts)?;
        self.write(files)
    }

    /// The first half of [`LiveIndex::update`]: the files that may have
    /// changed, in memory. The caller may then decide not to write (`serve`
    /// is stopping). `texts[i]` is the hash of the text of `docs[i]`
    /// ([`crate::text_hash`]); a document kept from an update before may
    /// come without its text (`body` and `code` empty).
    pub fn prepare(
        &mut self,
        out: &Path,
        cfg: &SearchConfig,
        docs: &[SearchDoc],
        texts: &[u64],
    ) -> Result<LiveFiles, Error> {
        if texts.len() != docs.len() {
            return Err(Error::Invalid("one text hash per document".into()));
        }
        if self.analyzer.as_ref().is_none_or(|(c, _)| c != cfg) {
            // Another language or other synonyms: nothing kept is valid
            // (the keys of `live_keys` differ too).
            *self = LiveIndex {
                analyzer: Some((cfg.clone(), Analyzer::new(cfg))),
                known: self.known.clone(),
                ..Default::default()
            };
        }
        let mut lap = Laps::new();
        let keys = live_keys(cfg, docs, texts);
        let mut seen = HashSet::new();
        let missing: Vec<usize> = (0..docs.len())
            .filter(|&i| !self.kept.contains_key(&keys[i]) && seen.insert(keys[i]))
            .collect();
        if let Some(&i) = missing
            .iter()
            .find(|&&i| text_hash(&docs[i].body, &docs[i].code) != texts[i])
        {
            return Err(Error::Invalid(format!("the text of `{}` is missing", docs[i].id)));
        }
        let analysed = missing.len();
        self.analyse(docs, &keys, &missing)?;
        lap.lap("live: keys, analysis of the new documents");
        {
            // Under the lock: a job being made now sees these keys kept or
            // carries their text.
            let mut known = self.known.lock().map_err(|_| Error::Invalid("poisoned".into()))?;
            let live: HashSet<u64> = keys.iter().copied().collect();
            self.kept.retain(|k, _| live.contains(k) || known.wanted.contains(k));
            known.kept = self.kept.keys().copied().collect();
        }
        let order = doc_order(docs);
        let collected = self.collect(&keys, &order);
        lap.lap("live: collection from the kept summaries");
        let build = fingerprint_of(cfg, docs.len(), order.iter().map(|&i| doc_hash(&docs[i], texts[i])));
        let root = out.join("search");
        let (blocks, carried, groups) = self.blocks(&root, &keys, &order);
        lap.lap(&format!(
            "live: d/ and x/ files of the groups that changed ({} files)",
            blocks.len()
        ));
        let Some((_, analyzer)) = self.analyzer.as_ref() else {
            return Err(Error::Invalid("no analyzer".into()));
        };
        let ix = assemble(docs, &order, analyzer, collected, blocks, build);
        Ok(LiveFiles {
            root,
            files: ix.files,
            carried,
            groups,
            analysed,
        })
    }

    /// The `d/` and `x/` files of the groups of documents that changed
    /// since the last update written to `root` (cut as `doc_blocks` cuts
    /// them), the files of the others, and every group.
    fn blocks(&self, root: &Path, keys: &[u64], order: &[usize]) -> Blocks {
        let same_dir = self.dir.as_deref() == Some(root);
        let chunks: Vec<&[usize]> = order.chunks(GROUP).collect();
        let made: Vec<(Group, Option<Files>)> = chunks
            .par_iter()
            .enumerate()
            .map(|(g, chunk)| {
                let mut h = Fnv::new();
                for &i in chunk.iter() {
                    h.write(&keys[i].to_le_bytes());
                }
                let key = h.finish();
                match self.groups.get(g) {
                    Some(old)
                        if same_dir && old.key == key && old.files.iter().all(|f| self.written.contains_key(f)) =>
                    {
                        (old.clone(), None)
                    }
                    _ => {
                        let pieces: Vec<&DocPiece> = chunk.iter().map(|&i| &self.kept[&keys[i]].piece).collect();
                        let files = block_files(&pieces, g * GROUP);
                        let group = Group {
                            key,
                            files: files.iter().map(|f| f.0.clone()).collect(),
                        };
                        (group, Some(files))
                    }
                }
            })
            .collect();
        let (mut blocks, mut carried, mut groups) = (Vec::new(), Vec::new(), Vec::with_capacity(made.len()));
        for (g, files) in made {
            match files {
                None => carried.extend(g.files.iter().cloned()),
                Some(f) => blocks.extend(f),
            }
            groups.push(g);
        }
        (blocks, carried, groups)
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
        let mut lap = Laps::new();
        let LiveFiles {
            root,
            files,
            carried,
            groups,
            analysed,
        } = files;
        let root = root.as_path();
        if !root.parent().is_some_and(Path::is_dir) {
            let e = std::io::Error::new(std::io::ErrorKind::NotFound, "the site folder is gone");
            return Err(Error::io(root, e));
        }
        if self.dir.as_deref() != Some(root) {
            // Another folder (serve wrote the site again): learn what it
            // holds. `prepare` carried nothing over: it was another folder.
            self.written = existing(root);
            self.dir = Some(root.to_path_buf());
            self.groups.clear();
        }
        for sub in ["", "t", "v", "f", "r", "s", "d", "x", "p"] {
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
        let mut now: HashMap<PathBuf, u64> = hashed.iter().map(|(rel, _, h)| (rel.clone(), *h)).collect();
        for rel in carried {
            if let Some(&h) = self.written.get(&rel) {
                now.insert(rel, h);
            }
        }
        let gone: Vec<&PathBuf> = self.written.keys().filter(|rel| !now.contains_key(*rel)).collect();
        for rel in &gone {
            let _ = std::fs::remove_file(root.join(rel));
        }
        let done = LiveUpdate {
            analysed,
            assembled: hashed.len(),
            written: changed.len(),
            removed: gone.len(),
            files: now.len(),
        };
        lap.lap(&format!(
            "live: {} files hashed, {} written",
            done.assembled, done.written
        ));
        self.written = now;
        self.groups = groups;
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
        // An edit assembles the `d/` and `x/` files of its group only.
        docs[20].body.push_str(" encore");
        let edit = check(&mut ix, &docs);
        let blocks = |u: &LiveUpdate| u.assembled - (u.files - docs.len() - docs.len().div_ceil(GROUP));
        assert_eq!((edit.analysed, blocks(&edit)), (1, GROUP / DOC_BLOCK + 1), "{edit:?}");
        // Other synonyms: everything again.
        let cfg2 = SearchConfig {
            synonyms: vec![],
            ..cfg.clone()
        };
        let u = ix.update(live.path(), &cfg2, &docs).unwrap();
        assert_eq!(u.analysed, docs.len());
    }

    fn without_text(d: &SearchDoc) -> SearchDoc {
        SearchDoc {
            body: String::new(),
            code: String::new(),
            ..d.clone()
        }
    }

    /// Documents kept come without their text, `Known` says which must
    /// have it, and the keys of the newest job are never forgotten before
    /// it is done, even when an older job is done after it was made.
    #[test]
    fn kept_documents_need_no_text_and_known_says_which_do() {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![],
        };
        let mut docs: Vec<SearchDoc> = (0..30)
            .map(|i| {
                doc(
                    &format!("cat/f{i:02}"),
                    &format!("fiche {i} : le réseau wifi du collège"),
                )
            })
            .collect();
        let texts = |docs: &[SearchDoc]| -> Vec<u64> { docs.iter().map(|d| text_hash(&d.body, &d.code)).collect() };
        let live = tempfile::tempdir().unwrap();
        let full = tempfile::tempdir().unwrap();
        let mut ix = LiveIndex::new();
        let known = ix.known();
        // What serve does: asks which texts are needed, leaves the others out.
        let job = |docs: &[SearchDoc]| -> (Vec<SearchDoc>, Vec<u64>, Vec<bool>) {
            let t = texts(docs);
            let need = known.lock().unwrap().want(&live_keys(&cfg, docs, &t));
            let slim = docs
                .iter()
                .zip(&need)
                .map(|(d, &n)| if n { d.clone() } else { without_text(d) })
                .collect();
            (slim, t, need)
        };
        let (slim, t, need) = job(&docs);
        assert!(need.iter().all(|&n| n), "nothing is kept yet");
        let files = ix.prepare(live.path(), &cfg, &slim, &t).unwrap();
        ix.write(files).unwrap();
        docs[5].body.push_str(" imprimante");
        let (slim, t, need) = job(&docs);
        assert_eq!(need.iter().filter(|&&n| n).count(), 1);
        assert!(need[5]);
        let files = ix.prepare(live.path(), &cfg, &slim, &t).unwrap();
        ix.write(files).unwrap();
        crate::write_browser_index(full.path(), &cfg, &docs).unwrap();
        assert_eq!(tree(&live.path().join("search")), tree(&full.path().join("search")));
        // A document not kept, without its text: refused, nothing written.
        let mut bad = slim.clone();
        let mut t2 = t.clone();
        t2[6] = text_hash("autre chose", "");
        bad[6] = without_text(&docs[6]);
        assert!(ix.prepare(live.path(), &cfg, &bad, &t2).is_err());
        // Job 1 changes sheet 7, job 2 (made before job 1 is done) brings
        // it back: job 2 leaves its text out, as kept, and finds it kept.
        let a = docs.clone();
        docs[7].body.push_str(" tableau");
        let (slim1, t1, _) = job(&docs);
        let (slim2, t2, need2) = job(&a);
        assert!(!need2[7]);
        let files = ix.prepare(live.path(), &cfg, &slim1, &t1).unwrap();
        ix.write(files).unwrap();
        let files = ix.prepare(live.path(), &cfg, &slim2, &t2).unwrap();
        ix.write(files).unwrap();
        crate::write_browser_index(full.path(), &cfg, &a).unwrap();
        assert_eq!(tree(&live.path().join("search")), tree(&full.path().join("search")));
    }
}
