//! The browser index kept up to date by `fiches serve`: a saved sheet must
//! be findable within a second, where writing the whole index again takes
//! 10 s and more at 10,000 sheets (analysis is most of it, then deflating
//! the snippet texts, then writing 13,000 files).
//!
//! Design: of each document, [`LiveIndex`] keeps what the analysis made of
//! it (its field lengths, terms and (word, stem) pairs, packed as varints
//! of word ids) and its `d/`/`x/` piece ([`DocPiece`]: its entry and
//! snippet text, which its blocks deflate; in a temporary file of its
//! own, [`Pieces`]), both keyed by a hash of
//! the document; of the site, the postings of
//! every term (by document number) and the number of documents of each
//! (word, stem) pair. An update analyses and deflates only the documents
//! it has not seen, patches the postings and counts of the documents that
//! changed (a save: one document's terms, not every posting list made
//! again from every summary, 0.6–1.5 s at 10,000 sheets), makes the
//! statistics and vocabulary from them (exact idf, lengths and
//! vocabulary), assembles every file as [`crate::browser::build_browser_index`]
//! does, and writes only the files whose bytes changed.
//!
//! Numbers: a full build numbers the documents in id order. So does the
//! first update into a folder, and the result is then, byte for byte,
//! what a full build writes; a save keeps it so. An added document takes
//! the next number and a removed one leaves a hole ([`Numbering`]): the
//! files of the other documents do not move (in id order, an add shifted
//! every number after it: about 12,400 files written again at 10,000
//! sheets). The manifest then says how many numbers there are (`ords`)
//! and where each added one ranks by id (`tie`, for equal scores): the
//! same results in the same order as a full build, which
//! [`index_by_id`] checks.
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
use crate::browser::{assemble, block_files, doc_piece, DocPiece, Laps, Reuse, TermRows, DOC_BLOCK, REST_BLOCK};
use crate::corpus::{
    analyze_docs, avg_lengths, doc_order, Collected, DocSummary, PostingList, Stats, Vocab, VocabEntry,
};
use crate::params::NF;
use crate::{doc_hash, fingerprint_of, text_hash, Error, Fnv, Kind, SearchConfig, SearchDoc};

/// Documents per group of `d/` and `x/` files: a group's files depend on
/// its documents' pieces only.
const GROUP: usize = REST_BLOCK;
const _: () = assert!(REST_BLOCK.is_multiple_of(DOC_BLOCK));

/// Strings (terms and surfaces) as ids, so that the kept summaries are small.
#[derive(Default)]
struct Words {
    ids: HashMap<Box<str>, u32>,
    words: Vec<Box<str>>,
    /// The ids in the words' order, and the place of each id in it
    /// ([`Words::sort`]): an update orders its terms and vocabulary by
    /// these numbers instead of comparing 90,000 strings again.
    sorted: Vec<u32>,
    rank: Vec<u32>,
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

    /// Puts the words added since the last call in `sorted` and `rank`.
    fn sort(&mut self) {
        let n = self.sorted.len();
        if n == self.words.len() {
            return;
        }
        let w = &self.words;
        let mut new: Vec<u32> = (n as u32..w.len() as u32).collect();
        if new.len() > 64 {
            self.sorted.append(&mut new);
            self.sorted
                .par_sort_unstable_by(|&a, &b| w[a as usize].cmp(&w[b as usize]));
        } else {
            for id in new {
                let at = self.sorted.partition_point(|&x| w[x as usize] < w[id as usize]);
                self.sorted.insert(at, id);
            }
        }
        self.rank = vec![0; w.len()];
        for (r, &id) in self.sorted.iter().enumerate() {
            self.rank[id as usize] = r as u32;
        }
    }
}

/// What is kept of one document.
struct Kept {
    /// Field lengths, then its term ids (ascending) and its (surface id,
    /// term id) pairs, each list after its length; varints. In the file
    /// of [`Pieces`] (15 MB at 10,000 sheets), read when the document goes
    /// in or out of the postings.
    summary: Blob,
    /// The tf per field of each of its terms (summary order, varints),
    /// while the document is in no posting list: just analysed, or out of
    /// the site but kept for a newer job. A document of the site has its
    /// tfs in the postings only.
    tfs: Option<Box<[u8]>>,
    piece: Stored,
}

type Bytes = Box<[u8]>;

/// Bytes kept in memory or in the file of [`Pieces`].
enum Blob {
    Mem(Box<[u8]>),
    File { at: u64, len: u32 },
}

/// Where a document's `d/`/`x/` piece is kept ([`Pieces`]).
enum Stored {
    Mem(DocPiece),
    /// `entry` then `text` bytes, at `at` in the pieces' file.
    File {
        at: u64,
        entry: u32,
        text: u32,
    },
}

/// The documents' `d/` and `x/` pieces, in an unlinked temporary file of
/// the writer's own rather than in memory (28 MB at 10,000 sheets, read
/// again only for the groups of documents that change: a save reads one
/// group's); in memory when no such file can be made or written. Only
/// appended to: a piece that is forgotten leaves its bytes (a few KB per
/// save) until the index is reset.
#[derive(Default)]
struct Pieces {
    file: Option<std::fs::File>,
    end: u64,
    /// No file could be made: every piece stays in memory.
    no_file: bool,
}

impl Pieces {
    /// Appends each record (its parts one after the other) to the file:
    /// the offset of each, `None` for those that stay in memory.
    fn append<'a>(&mut self, records: impl Iterator<Item = [&'a [u8]; 2]>) -> Vec<Option<u64>> {
        use std::io::{Seek, Write};
        if self.file.is_none() && !self.no_file && cfg!(any(unix, windows)) {
            match tempfile::tempfile() {
                Ok(f) => self.file = Some(f),
                Err(_) => self.no_file = true,
            }
        }
        let Some(file) = self.file.as_ref() else {
            return records.map(|_| None).collect();
        };
        // Reads move the cursor on Windows: write from the known end.
        let mut f = file;
        let mut w = match f.seek(std::io::SeekFrom::Start(self.end)) {
            Ok(_) => Some(std::io::BufWriter::with_capacity(1 << 16, f)),
            Err(_) => None,
        };
        let mut end = self.end;
        let mut out = Vec::new();
        for parts in records {
            let fits = parts.iter().all(|p| p.len() < u32::MAX as usize);
            let wrote = fits && w.as_mut().is_some_and(|w| parts.iter().all(|p| w.write_all(p).is_ok()));
            if wrote {
                out.push(Some(end));
                end += parts.iter().map(|p| p.len() as u64).sum::<u64>();
            } else {
                // A failed write may have left part of a record: nothing
                // more goes to the file after it.
                w = None;
                out.push(None);
            }
        }
        if w.is_none_or(|mut w| w.flush().is_err()) {
            // What the buffer held may not be on disk: the file is dropped,
            // reading from it fails, and the index starts again
            // (`LiveIndex::prepare`).
            self.file = None;
            self.no_file = true;
        }
        self.end = end;
        out
    }

    /// Stores `pieces` in order.
    fn store(&mut self, pieces: Vec<DocPiece>) -> Vec<Stored> {
        let at = self.append(pieces.iter().map(|p| [p.entry.as_bytes(), p.text.as_bytes()]));
        pieces
            .into_iter()
            .zip(at)
            .map(|(p, at)| match at {
                Some(at) => Stored::File {
                    at,
                    entry: p.entry.len() as u32,
                    text: p.text.len() as u32,
                },
                None => Stored::Mem(p),
            })
            .collect()
    }

    /// Stores `blobs` in order.
    fn store_blobs(&mut self, blobs: Vec<Box<[u8]>>) -> Vec<Blob> {
        let at = self.append(blobs.iter().map(|b| [&b[..], &[][..]]));
        blobs
            .into_iter()
            .zip(at)
            .map(|(b, at)| match at {
                Some(at) => Blob::File {
                    at,
                    len: b.len() as u32,
                },
                None => Blob::Mem(b),
            })
            .collect()
    }

    fn read_bytes(&self, at: u64, len: usize) -> Result<Vec<u8>, Error> {
        let bad = |e: std::io::Error| Error::io(Path::new("(search pieces)"), e);
        let file = self
            .file
            .as_ref()
            .ok_or_else(|| bad(std::io::Error::new(std::io::ErrorKind::NotFound, "no pieces file")))?;
        let mut buf = vec![0u8; len];
        read_at(file, &mut buf, at).map_err(bad)?;
        Ok(buf)
    }

    /// A kept summary, read back if it is in the file.
    fn blob<'a>(&self, b: &'a Blob) -> Result<std::borrow::Cow<'a, [u8]>, Error> {
        match *b {
            Blob::Mem(ref m) => Ok(std::borrow::Cow::Borrowed(&m[..])),
            Blob::File { at, len } => Ok(std::borrow::Cow::Owned(self.read_bytes(at, len as usize)?)),
        }
    }

    /// A piece of the file, read back (`None` for one in memory).
    fn read(&self, s: &Stored) -> Result<Option<DocPiece>, Error> {
        match *s {
            Stored::Mem(_) => Ok(None),
            Stored::File { at, entry, text } => {
                let mut buf = self.read_bytes(at, entry as usize + text as usize)?;
                let rest = buf.split_off(entry as usize);
                let text = |b: Vec<u8>| {
                    String::from_utf8(b)
                        .map(String::into_boxed_str)
                        .map_err(|_| Error::Invalid("search pieces: not UTF-8".into()))
                };
                Ok(Some(DocPiece {
                    entry: text(buf)?,
                    text: text(rest)?,
                }))
            }
        }
    }
}

#[cfg(unix)]
fn read_at(f: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, at)
}

#[cfg(windows)]
fn read_at(f: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    let mut done = 0;
    while done < buf.len() {
        match std::os::windows::fs::FileExt::seek_read(f, &mut buf[done..], at + done as u64)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => done += n,
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &std::fs::File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

fn push(out: &mut Vec<u8>, v: u32) {
    let mut buf = [0u8; 8];
    out.extend_from_slice(tantivy_common::serialize_vint_u32(v, &mut buf));
}

/// A document's summary and tfs, packed ([`Kept`]).
fn pack(words: &mut Words, s: DocSummary) -> (Box<[u8]>, Box<[u8]>) {
    let mut terms: Vec<(u32, [u32; NF])> = s.tfs.iter().map(|(_, term, tf)| (words.id(term), *tf)).collect();
    terms.sort_unstable_by_key(|t| t.0);
    let mut out = Vec::with_capacity(16 + terms.len() * 3 + s.pairs.len() * 5);
    for l in s.len {
        push(&mut out, l);
    }
    push(&mut out, terms.len() as u32);
    for (t, _) in &terms {
        push(&mut out, *t);
    }
    push(&mut out, s.pairs.len() as u32);
    for (_, surface, term) in &s.pairs {
        push(&mut out, words.id(surface));
        push(&mut out, words.id(term));
    }
    (out.into_boxed_slice(), pack_tfs(terms.iter().map(|t| &t.1)))
}

fn pack_tfs<'a>(tfs: impl Iterator<Item = &'a [u32; NF]>) -> Box<[u8]> {
    let mut out = Vec::new();
    for tf in tfs {
        for &t in tf {
            push(&mut out, t);
        }
    }
    out.into_boxed_slice()
}

/// A kept summary, unpacked.
struct Summary {
    len: [u32; NF],
    terms: Vec<u32>,
    /// surface id << 32 | term id.
    pairs: Vec<u64>,
}

fn unpack(mut r: &[u8]) -> Summary {
    let mut next = || tantivy_common::read_u32_vint(&mut r);
    let mut len = [0u32; NF];
    for l in len.iter_mut() {
        *l = next();
    }
    let terms = (0..next()).map(|_| next()).collect();
    let pairs = (0..next()).map(|_| (next() as u64) << 32 | next() as u64).collect();
    Summary { len, terms, pairs }
}

fn unpack_tfs(mut r: &[u8], n: usize) -> Vec<[u32; NF]> {
    (0..n)
        .map(|_| {
            let mut tf = [0u32; NF];
            for t in tf.iter_mut() {
                *t = tantivy_common::read_u32_vint(&mut r);
            }
            tf
        })
        .collect()
}

/// How the documents of the site are numbered in the index served, and
/// what is collected of them, patched a document at a time. A save keeps
/// a document's number; an added document takes the next number and a
/// removed one leaves a hole, so that an add or a remove changes the
/// files of that document and the term and vocabulary files, not the
/// files of every document after it (ords in id order would shift: about
/// 12,400 files written again at 10,000 sheets). The numbers are made
/// again in id order (a full build's) when the site is written to
/// another folder.
#[derive(Default)]
struct Numbering {
    /// The slot of each document, by (id, kind).
    slot_of: HashMap<(Box<str>, Kind), u32>,
    /// The key of the document at each slot; none: a hole.
    at: Vec<Option<u64>>,
    /// Field lengths per slot (zero for a hole).
    lengths: Vec<[u32; NF]>,
    /// Slots below `base` were numbered in id order; those after were
    /// added since.
    base: u32,
    /// Postings by term id, by slot.
    postings: Vec<PostingList>,
    /// Number of documents of each (surface id << 32 | term id) pair.
    pairs: HashMap<u64, u32>,
    /// The terms whose postings, or the length of a document in them,
    /// changed since the last update: their kept rows are forgotten
    /// ([`crate::browser::TermRows`]).
    touched: Vec<u32>,
}

impl Numbering {
    /// Numbered as a full build numbers them: in id order, no hole.
    fn in_order(&self) -> bool {
        self.at.len() == self.base as usize && self.at.iter().all(Option::is_some)
    }

    /// Takes the document at `slot` out of the postings, its tfs kept
    /// with it.
    fn take_out(&mut self, kept: &mut HashMap<u64, Kept>, spill: &Pieces, slot: u32) -> Result<(), Error> {
        let Some(key) = self.at[slot as usize].take() else {
            return Ok(());
        };
        let k = kept
            .get_mut(&key)
            .ok_or_else(|| Error::Invalid("a document of the index is not kept".into()))?;
        let s = unpack(&spill.blob(&k.summary)?);
        let tfs: Vec<[u32; NF]> = s
            .terms
            .iter()
            .map(|&t| self.postings[t as usize].set(slot, None).unwrap_or_default())
            .collect();
        self.touched.extend_from_slice(&s.terms);
        for p in &s.pairs {
            if let Some(c) = self.pairs.get_mut(p) {
                *c -= 1;
                if *c == 0 {
                    self.pairs.remove(p);
                }
            }
        }
        self.lengths[slot as usize] = [0; NF];
        k.tfs = Some(pack_tfs(tfs.iter()));
        Ok(())
    }

    /// Puts the document `key` (kept, with its tfs) at `slot`, a hole;
    /// `append`: `slot` is after every slot in the postings.
    fn put_in(
        &mut self,
        kept: &mut HashMap<u64, Kept>,
        spill: &Pieces,
        slot: u32,
        key: u64,
        append: bool,
    ) -> Result<(), Error> {
        let k = kept
            .get_mut(&key)
            .ok_or_else(|| Error::Invalid("a document to index is not kept".into()))?;
        let Some(tfs) = k.tfs.take() else {
            return Err(Error::Invalid("a document to index has no tfs".into()));
        };
        let s = unpack(&spill.blob(&k.summary)?);
        let tfs = unpack_tfs(&tfs, s.terms.len());
        self.touched.extend_from_slice(&s.terms);
        for (&t, tf) in s.terms.iter().zip(&tfs) {
            let t = t as usize;
            if self.postings.len() <= t {
                self.postings.resize_with(t + 1, PostingList::default);
            }
            match append {
                true => self.postings[t].push(slot, tf),
                false => {
                    self.postings[t].set(slot, Some(tf));
                }
            }
        }
        for p in s.pairs {
            *self.pairs.entry(p).or_default() += 1;
        }
        self.lengths[slot as usize] = s.len;
        self.at[slot as usize] = Some(key);
        Ok(())
    }

    /// Puts the document `key` (kept, with its tfs) at `slot` in place of
    /// the one there (a save): one pass over the terms of either, and a
    /// posting whose tf did not change stays as it is.
    fn replace(&mut self, kept: &mut HashMap<u64, Kept>, spill: &Pieces, slot: u32, key: u64) -> Result<(), Error> {
        let Some(was) = self.at[slot as usize] else {
            return self.put_in(kept, spill, slot, key, false);
        };
        let missing = || Error::Invalid("a document to index is not kept".into());
        let new = kept.get_mut(&key).ok_or_else(missing)?;
        let tfs = new
            .tfs
            .take()
            .ok_or_else(|| Error::Invalid("a document to index has no tfs".into()))?;
        let s = unpack(&spill.blob(&new.summary)?);
        let tfs = unpack_tfs(&tfs, s.terms.len());
        let o = unpack(&spill.blob(&kept.get(&was).ok_or_else(missing)?.summary)?);
        let (mut i, mut j) = (0, 0);
        let mut old_tfs = Vec::with_capacity(o.terms.len());
        while i < o.terms.len() || j < s.terms.len() {
            let (a, b) = (o.terms.get(i).copied(), s.terms.get(j).copied());
            let t = a.into_iter().chain(b).min().unwrap_or_default();
            if self.postings.len() <= t as usize {
                self.postings.resize_with(t as usize + 1, PostingList::default);
            }
            let tf = (b == Some(t)).then(|| &tfs[j]);
            // Even a posting that stays may change level: the document's
            // length may have changed.
            self.touched.push(t);
            let had = self.postings[t as usize].set(slot, tf);
            if a == Some(t) {
                old_tfs.push(had.unwrap_or_default());
                i += 1;
            }
            if b == Some(t) {
                j += 1;
            }
        }
        for p in &o.pairs {
            if let Some(c) = self.pairs.get_mut(p) {
                *c -= 1;
                if *c == 0 {
                    self.pairs.remove(p);
                }
            }
        }
        for &p in &s.pairs {
            *self.pairs.entry(p).or_default() += 1;
        }
        self.lengths[slot as usize] = s.len;
        self.at[slot as usize] = Some(key);
        if let Some(k) = kept.get_mut(&was) {
            k.tfs = Some(pack_tfs(old_tfs.iter()));
        }
        Ok(())
    }

    /// Takes every document out of the postings at once (before they are
    /// numbered again): each keeps its tfs.
    fn take_all_out(&mut self, kept: &mut HashMap<u64, Kept>) -> Result<(), Error> {
        let mut per_slot: Vec<Vec<[u32; NF]>> = vec![Vec::new(); self.at.len()];
        // Term ids ascending: each slot's tfs come in its summary's order.
        for list in std::mem::take(&mut self.postings) {
            for (slot, tf) in list.iter() {
                per_slot[slot as usize].push(tf);
            }
        }
        for (slot, tfs) in per_slot.into_iter().enumerate() {
            if let Some(key) = self.at[slot] {
                let k = kept
                    .get_mut(&key)
                    .ok_or_else(|| Error::Invalid("a document of the index is not kept".into()))?;
                k.tfs = Some(pack_tfs(tfs.iter()));
            }
        }
        *self = Numbering::default();
        Ok(())
    }

    /// The slot of each document and the place of each slot in id order
    /// (`order`, [`doc_order`]), as [`assemble`] takes it: a hole is the
    /// document `docs.len()`.
    fn slot_order(&self, docs: &[SearchDoc]) -> Vec<usize> {
        let mut order = vec![docs.len(); self.at.len()];
        for (i, d) in docs.iter().enumerate() {
            if let Some(&s) = self.slot_of.get(&(d.id.as_str().into(), d.kind)) {
                order[s as usize] = i;
            }
        }
        order
    }

    /// For `manifest.js`: the number of slots, and the rank of each slot
    /// added since the last numbering among the others, by id (`tie`, as
    /// slot, rank pairs): equal scores rank by it, as they rank by ord in
    /// a full build. None when numbered as a full build.
    fn manifest_extra(&self, docs: &[SearchDoc], order: &[usize]) -> Option<(usize, Vec<(u32, f64)>)> {
        if self.in_order() {
            return None;
        }
        let slots: Vec<u32> = order
            .iter()
            .filter_map(|&i| self.slot_of.get(&(docs[i].id.as_str().into(), docs[i].kind)).copied())
            .collect();
        let mut tie = Vec::new();
        let mut prev = -1.0f64;
        let mut k = 0;
        while k < slots.len() {
            if slots[k] < self.base {
                prev = slots[k] as f64;
                k += 1;
                continue;
            }
            // A run of added slots between two slots in place.
            let run = slots[k..].iter().take_while(|&&s| s >= self.base).count();
            let next = slots.get(k + run).map_or(prev + 1.0, |&s| s as f64);
            for j in 0..run {
                tie.push((slots[k + j], prev + (next - prev) * (j + 1) as f64 / (run + 1) as f64));
            }
            k += run;
        }
        Some((self.at.len(), tie))
    }
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
    /// Term and vocabulary shards not made again: their rows are those
    /// written ([`Reuse`]).
    pub reused: usize,
    /// Terms whose rows were computed (their postings changed, or the
    /// mean lengths moved too far for their levels), of `terms`.
    pub terms_computed: usize,
    pub terms: usize,
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
    /// What each term and vocabulary shard was made from ([`Reuse`]),
    /// and how many were carried over.
    shard_keys: HashMap<PathBuf, u64>,
    reused: usize,
    terms_computed: usize,
    terms: usize,
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
    pieces: Pieces,
    numbering: Numbering,
    known: Arc<Mutex<Known>>,
    /// The `search/` folder written to, and the hash of each of its files.
    dir: Option<PathBuf>,
    written: HashMap<PathBuf, u64>,
    /// The document groups written to `dir`, by group number.
    groups: Vec<Group>,
    /// What each term and vocabulary shard written to `dir` was made
    /// from ([`Reuse`]): a shard made of the same rows is carried over.
    shard_keys: HashMap<PathBuf, u64>,
    /// The rows of each term, by term id, while its postings and levels
    /// stay ([`TermRows`]).
    term_rows: TermRows,
}

/// A document's identity: its slot stays while it is in the site.
fn ident(d: &SearchDoc) -> (Box<str>, Kind) {
    (d.id.as_str().into(), d.kind)
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

    /// Forgets everything, and says so to the thread that makes the
    /// jobs: its next job carries every text.
    fn reset(&mut self, cfg: &SearchConfig) {
        *self = LiveIndex {
            analyzer: Some((cfg.clone(), Analyzer::new(cfg))),
            known: self.known.clone(),
            ..Default::default()
        };
        if let Ok(mut k) = self.known.lock() {
            k.kept.clear();
        }
    }

    /// The first half of [`LiveIndex::update`]: the files that may have
    /// changed, in memory. The caller may then decide not to write (`serve`
    /// is stopping). `texts[i]` is the hash of the text of `docs[i]`
    /// ([`crate::text_hash`]); a document kept from an update before may
    /// come without its text (`body` and `code` empty).
    ///
    /// Written to the folder of the update before, the documents keep
    /// their numbers ([`Numbering`]): the index then differs from a full
    /// build's by its numbering only (same postings, vocabulary and
    /// documents by id, same results in the same order).
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
            self.reset(cfg);
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
        let root = out.join("search");
        let order = doc_order(docs);
        if let Err(e) = self.number(docs, &keys, &order, &root) {
            self.reset(cfg);
            return Err(e);
        }
        lap.lap("live: numbering, postings of the documents that changed");
        {
            // Under the lock: a job being made now sees these keys kept or
            // carries their text.
            let mut known = self.known.lock().map_err(|_| Error::Invalid("poisoned".into()))?;
            let live: HashSet<u64> = keys.iter().copied().collect();
            self.kept.retain(|k, _| live.contains(k) || known.wanted.contains(k));
            known.kept = self.kept.keys().copied().collect();
        }
        let (collected, term_ids) = self.collect(&mut lap);
        lap.lap("live: postings lent to the term shards");
        let build = fingerprint_of(cfg, docs.len(), order.iter().map(|&i| doc_hash(&docs[i], texts[i])));
        let (blocks, carried, groups) = match self.blocks(&root) {
            Ok(b) => b,
            Err(e) => {
                // A piece could not be read back: start again, the next
                // job carries every text.
                self.reset(cfg);
                return Err(e);
            }
        };
        lap.lap(&format!(
            "live: d/ and x/ files of the groups that changed ({} files)",
            blocks.len()
        ));
        let Some((_, analyzer)) = self.analyzer.as_ref() else {
            // The postings were lent out: start again.
            self.reset(cfg);
            return Err(Error::Invalid("no analyzer".into()));
        };
        let slots = self.numbering.slot_order(docs);
        // A hole is a document of a kind the site has, without audience
        // or text: `facets.js` has an entry per slot.
        let padded: Vec<SearchDoc>;
        let all = match docs.first() {
            Some(d) if slots.contains(&docs.len()) => {
                let bare = |d: &SearchDoc| SearchDoc {
                    body: String::new(),
                    code: String::new(),
                    ..d.clone()
                };
                let hole = SearchDoc {
                    audience: Vec::new(),
                    ..bare(d)
                };
                padded = docs.iter().map(bare).chain(std::iter::once(hole)).collect();
                &padded[..]
            }
            _ => docs,
        };
        // Numbered otherwise than a full build: the rank by id of each
        // slot (a full build's ord), for the term shards' cuts.
        let ranks: Option<Vec<u32>> = (!self.numbering.in_order()).then(|| {
            let mut rank_of = vec![u32::MAX; docs.len()];
            for (r, &i) in order.iter().enumerate() {
                rank_of[i] = r as u32;
            }
            slots
                .iter()
                .map(|&i| rank_of.get(i).copied().unwrap_or(u32::MAX))
                .collect()
        });
        // Only shards still as written to this folder are carried over.
        let mut reuse = Reuse {
            term_ids,
            terms: std::mem::take(&mut self.term_rows),
            ..Reuse::default()
        };
        reuse.terms.forget(self.numbering.touched.drain(..));
        // A removal of many documents may have grown it: not kept.
        self.numbering.touched.shrink_to(4096);
        if self.dir.as_deref() == Some(root.as_path()) {
            reuse.made = self
                .shard_keys
                .iter()
                .filter(|(f, _)| self.written.contains_key(*f))
                .map(|(f, &k)| (f.clone(), k))
                .collect();
        }
        let ix = assemble(
            all,
            &slots,
            ranks.as_deref(),
            analyzer,
            collected,
            blocks,
            build,
            Some(&mut reuse),
        );
        self.term_rows = std::mem::take(&mut reuse.terms);
        if let Err(e) = self.give_back(std::mem::take(&mut reuse.lists), &reuse.term_ids) {
            self.reset(cfg);
            return Err(e);
        }
        if std::env::var_os("FICHES_TIMINGS").is_some() {
            eprintln!("[timing]   search index, live: held {}", self.held());
        }
        let mut files = ix.files;
        if let Some((ords, tie)) = self.numbering.manifest_extra(docs, &order) {
            extend_manifest(&mut files, ords, &tie)?;
        }
        let mut carried = carried;
        let reused = reuse.carried.len();
        carried.extend(reuse.carried);
        Ok(LiveFiles {
            root,
            files,
            carried,
            groups,
            analysed,
            shard_keys: reuse.next,
            reused,
            terms_computed: reuse.computed,
            terms: ix.terms,
        })
    }

    /// Puts back the postings lent to the term shards ([`LiveIndex::collect`]),
    /// `ids` the term id of each, in their order.
    fn give_back(&mut self, lists: Vec<(String, PostingList)>, ids: &[u32]) -> Result<(), Error> {
        if lists.len() != ids.len() {
            return Err(Error::Invalid("postings given back without their ids".into()));
        }
        for ((term, list), &t) in lists.into_iter().zip(ids) {
            match self.numbering.postings.get_mut(t as usize) {
                // The same term: a cheap check that the ids are the lists'.
                Some(l) if self.words.words.get(t as usize).is_some_and(|w| **w == *term) => *l = list,
                _ => return Err(Error::Invalid(format!("postings of an unknown term `{term}`"))),
            }
        }
        Ok(())
    }

    /// What the kept state holds, in MiB, by structure (approximately:
    /// the bytes of each allocation and of the tables' slots).
    fn held(&self) -> String {
        let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
        let w = &self.words.words;
        let words = w.iter().map(|x| 2 * x.len()).sum::<usize>() + w.capacity() * 16 + self.words.ids.capacity() * 24;
        let summaries = self
            .kept
            .values()
            .map(|k| match &k.summary {
                Blob::Mem(b) => b.len(),
                Blob::File { .. } => 0,
            })
            .sum::<usize>();
        let tfs = self
            .kept
            .values()
            .map(|k| k.tfs.as_ref().map_or(0, |t| t.len()))
            .sum::<usize>();
        let pieces = self
            .kept
            .values()
            .map(|k| match &k.piece {
                Stored::Mem(p) => p.entry.len() + p.text.len(),
                Stored::File { .. } => 0,
            })
            .sum::<usize>();
        let n = &self.numbering;
        let postings = n.postings.iter().map(|l| l.heap_bytes()).sum::<usize>() + n.postings.capacity() * 32;
        let pairs = n.pairs.capacity() * 12;
        let written = self.written.keys().map(|p| p.as_os_str().len() + 32).sum::<usize>();
        format!(
            "words {:.1} MiB ({} words), summaries {:.1}, parked tfs {:.1}, d/ and x/ pieces {:.1} ({} documents; in a file besides: {:.1}, pieces and summaries), postings {:.1}, pair counts {:.1} ({}), written files {:.1}, kept term rows {:.1} (terms touched {:.1})",
            mib(words),
            w.len(),
            mib(summaries),
            mib(tfs),
            mib(pieces),
            self.kept.len(),
            mib(self.pieces.end as usize),
            mib(postings),
            mib(pairs),
            n.pairs.len(),
            mib(written),
            mib(self.term_rows.heap_bytes()),
            mib(n.touched.capacity() * 4)
        )
    }

    /// Numbers the documents and patches the postings: in id order into
    /// another folder, else by their slots (see [`Numbering`]).
    fn number(&mut self, docs: &[SearchDoc], keys: &[u64], order: &[usize], root: &Path) -> Result<(), Error> {
        let again = self.dir.as_deref() != Some(root) || docs.is_empty() || self.numbering.at.is_empty();
        if again {
            // Other numbers: no kept row holds.
            self.term_rows = TermRows::default();
        }
        let (n, kept, spill) = (&mut self.numbering, &mut self.kept, &self.pieces);
        let idents: HashMap<(Box<str>, Kind), usize> = docs.iter().enumerate().map(|(i, d)| (ident(d), i)).collect();
        if idents.len() != docs.len() {
            return Err(Error::Invalid("two documents with the same id".into()));
        }
        if again {
            n.take_all_out(kept)?;
            n.at = vec![None; docs.len()];
            n.lengths = vec![[0; NF]; docs.len()];
            n.base = docs.len() as u32;
            for (ord, &i) in order.iter().enumerate() {
                n.slot_of.insert(ident(&docs[i]), ord as u32);
                n.put_in(kept, spill, ord as u32, keys[i], true)?;
                // No kept row holds (dropped above): the terms touched
                // need no list, which would grow to every posting (2.3
                // million ids, 9 MiB kept by its capacity at 10,000 sheets).
                n.touched.clear();
            }
            n.postings.par_iter_mut().for_each(PostingList::shrink_to_fit);
            return Ok(());
        }
        let gone: Vec<u32> = n
            .slot_of
            .iter()
            .filter(|(id, _)| !idents.contains_key(*id))
            .map(|(_, &s)| s)
            .collect();
        for s in gone {
            n.take_out(kept, spill, s)?;
        }
        n.slot_of.retain(|id, _| idents.contains_key(id));
        let mut added = Vec::new();
        for &i in order {
            match n.slot_of.get(&ident(&docs[i])) {
                Some(&s) if n.at[s as usize] != Some(keys[i]) => n.replace(kept, spill, s, keys[i])?,
                Some(_) => {}
                None => added.push(i),
            }
        }
        // In id order: added together, they tie in that order.
        let appended = !added.is_empty();
        for i in added {
            let s = n.at.len() as u32;
            n.at.push(None);
            n.lengths.push([0; NF]);
            n.slot_of.insert(ident(&docs[i]), s);
            n.put_in(kept, spill, s, keys[i], true)?;
        }
        if appended {
            // A push may have doubled a long list's room.
            n.postings.par_iter_mut().for_each(PostingList::shrink_to_fit);
        }
        Ok(())
    }

    /// The `d/` and `x/` files of the groups of slots that changed since
    /// the last update written to `root` (cut as `doc_blocks` cuts them;
    /// no `d/` file for a hole), the files of the others, and every group.
    fn blocks(&self, root: &Path) -> Result<Blocks, Error> {
        let same_dir = self.dir.as_deref() == Some(root);
        let chunks: Vec<&[Option<u64>]> = self.numbering.at.chunks(GROUP).collect();
        let hole = DocPiece {
            entry: "null".into(),
            text: "".into(),
        };
        let made: Vec<(Group, Option<Files>)> = chunks
            .par_iter()
            .enumerate()
            .map(|(g, chunk)| {
                let mut h = Fnv::new();
                for k in chunk.iter() {
                    h.write(&k.unwrap_or(0).to_le_bytes());
                }
                let key = h.finish();
                match self.groups.get(g) {
                    Some(old)
                        if same_dir && old.key == key && old.files.iter().all(|f| self.written.contains_key(f)) =>
                    {
                        Ok((old.clone(), None))
                    }
                    _ => {
                        let stored: Vec<Option<&Stored>> = chunk
                            .iter()
                            .map(|k| k.and_then(|k| self.kept.get(&k)).map(|k| &k.piece))
                            .collect();
                        let read: Vec<Option<DocPiece>> = stored
                            .iter()
                            .map(|s| s.map_or(Ok(None), |s| self.pieces.read(s)))
                            .collect::<Result<_, _>>()?;
                        let pieces: Vec<&DocPiece> = stored
                            .iter()
                            .zip(&read)
                            .map(|(s, r)| match (r, s) {
                                (Some(p), _) | (None, Some(Stored::Mem(p))) => p,
                                _ => &hole,
                            })
                            .collect();
                        let mut files = block_files(&pieces, g * GROUP);
                        // No `d/` file of holes only.
                        let empty: HashSet<PathBuf> = chunk
                            .chunks(DOC_BLOCK)
                            .enumerate()
                            .filter(|(_, b)| b.iter().all(Option::is_none))
                            .map(|(b, _)| PathBuf::from(format!("d/{}.js", g * GROUP / DOC_BLOCK + b)))
                            .collect();
                        files.retain(|f| !empty.contains(&f.0));
                        let group = Group {
                            key,
                            files: files.iter().map(|f| f.0.clone()).collect(),
                        };
                        Ok((group, Some(files)))
                    }
                }
            })
            .collect::<Result<_, Error>>()?;
        let (mut blocks, mut carried, mut groups) = (Vec::new(), Vec::new(), Vec::with_capacity(made.len()));
        for (g, files) in made {
            match files {
                None => carried.extend(g.files.iter().cloned()),
                Some(f) => blocks.extend(f),
            }
            groups.push(g);
        }
        Ok((blocks, carried, groups))
    }

    /// Analyses and deflates the documents `missing` and keeps the result.
    fn analyse(&mut self, docs: &[SearchDoc], keys: &[u64], missing: &[usize]) -> Result<(), Error> {
        let Some((_, analyzer)) = self.analyzer.as_ref() else {
            return Ok(());
        };
        let made: Vec<DocPiece> = missing.par_iter().map(|&i| doc_piece(&docs[i])).collect();
        let pieces = self.pieces.store(made);
        let mut packed: Vec<Option<(Bytes, Bytes)>> = (0..missing.len()).map(|_| None).collect();
        let words = &mut self.words;
        analyze_docs(analyzer, docs, missing, |k, _, _, summary| {
            if let Some(p) = packed.get_mut(k as usize) {
                *p = Some(pack(words, summary));
            }
            Ok(())
        })?;
        let (summaries, tfs): (Vec<Bytes>, Vec<Bytes>) = packed.into_iter().map(Option::unwrap_or_default).unzip();
        let summaries = self.pieces.store_blobs(summaries);
        for (((k, piece), summary), tfs) in missing.iter().zip(pieces).zip(summaries).zip(tfs) {
            self.kept.insert(
                keys[*k],
                Kept {
                    summary,
                    tfs: Some(tfs),
                    piece,
                },
            );
        }
        Ok(())
    }

    /// The statistics, vocabulary and postings of the documents by slot,
    /// as `Collector` gives them by ord: from the patched postings and the
    /// pair counts, nothing read again per document.
    /// The postings are moved out (lent to the term shards, given back by
    /// [`LiveIndex::give_back`]).
    fn collect(&mut self, lap: &mut Laps) -> (Collected, Vec<u32>) {
        self.words.sort();
        let n = &mut self.numbering;
        let words = &self.words;
        let rank = |i: u64| words.rank[i as usize];
        let live: Vec<[u32; NF]> =
            n.at.iter()
                .zip(&n.lengths)
                .filter(|(k, _)| k.is_some())
                .map(|(_, l)| *l)
                .collect();
        let word = |i: u64| words.words[i as usize].to_string();
        // A (surface, stem) pair is in one entry: in the words' order, the
        // entries are sorted as `VocabEntry`'s order sorts them.
        let mut pairs: Vec<u64> = n.pairs.keys().copied().collect();
        pairs.par_sort_unstable_by_key(|&p| (rank(p >> 32), rank(p & 0xffff_ffff)));
        let entries: Vec<VocabEntry> = pairs
            .iter()
            .map(|&p| VocabEntry {
                surface: word(p >> 32),
                stem: word(p & 0xffff_ffff),
                df: n.postings.get((p & 0xffff_ffff) as usize).map_or(0, |l| l.len() as u32),
            })
            .collect();
        debug_assert!(entries.is_sorted());
        lap.lap("live: statistics and vocabulary");
        // In the words' order: the map is made without comparing them
        // again but once each (`BTreeMap`'s `collect` finds them sorted).
        let mut postings: Vec<(String, PostingList)> = Vec::with_capacity(n.postings.len());
        let mut ids = Vec::with_capacity(n.postings.len());
        for &t in &words.sorted {
            if let Some(l) = n.postings.get_mut(t as usize).filter(|l| !l.is_empty()) {
                postings.push((word(t as u64), std::mem::take(l)));
                ids.push(t);
            }
        }
        let postings: BTreeMap<String, PostingList> = postings.into_iter().collect();
        let c = Collected {
            stats: Stats {
                n: live.len() as u32,
                avglen: avg_lengths(&live),
                lengths: n.lengths.clone(),
            },
            vocab: Vocab::new(entries),
            postings,
        };
        (c, ids)
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
            shard_keys,
            reused,
            terms_computed,
            terms,
        } = files;
        // Until this update is written, no shard is known as written.
        self.shard_keys.clear();
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
        for sub in ["", "t", "v", "f", "g", "r", "s", "d", "x", "p", "b"] {
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
            reused,
            terms_computed,
            terms,
            files: now.len(),
        };
        lap.lap(&format!(
            "live: {} files hashed, {} written, {} removed",
            done.assembled, done.written, done.removed
        ));
        self.written = now;
        self.groups = groups;
        self.shard_keys = shard_keys;
        Ok(done)
    }
}

/// Adds the number of slots and the ranks of the added ones
/// ([`Numbering::manifest_extra`]) to `manifest.js`.
fn extend_manifest(files: &mut [(PathBuf, String)], ords: usize, tie: &[(u32, f64)]) -> Result<(), Error> {
    let bad = || Error::Invalid("no manifest".into());
    let f = files
        .iter_mut()
        .find(|f| f.0 == Path::new("manifest.js"))
        .ok_or_else(bad)?;
    let head = f.1.strip_suffix("});\n").ok_or_else(bad)?;
    let tie: Vec<serde_json::Value> = tie.iter().flat_map(|&(s, r)| [s.into(), r.into()]).collect();
    let tie = serde_json::to_string(&tie).map_err(|e| Error::Invalid(e.to_string()))?;
    f.1 = format!("{head},\"ords\":{ords},\"tie\":{tie}}});\n");
    Ok(())
}

/// The data of a `register_js` file.
fn registered(text: &str) -> Option<serde_json::Value> {
    crate::browser::registered_data(text).map(|x| x.1)
}

/// A browser index (`read` gives the text of a file of `search/`) as what
/// it means, whatever the numbers of its documents: the files that do not
/// depend on them (vocabulary, typo lists) as they are; the manifest
/// without its numbering (`ords`, `tie`; the bounds of its term shards
/// and its prefix bundles are a full build's whatever the numbers, see
/// `browser::term_shards`); each term's postings by document id, and which shard has it
/// (range, a synonym group's word or phrase shard); each document's `d/`
/// entry, text (head and rest) and facets by id; the ids in the order equal
/// scores rank them. Two indexes with the same meaning give the same
/// results for every query, in the same order; `serve`'s and a full
/// build's are compared this way (a full build's numbers are ords in id
/// order, serve's keep a document's number across adds and removes).
/// Checks that every posting names a document and that each term is in
/// the range shard the manifest's bounds give.
pub fn index_by_id(read: &dyn Fn(&str) -> Option<String>) -> Result<BTreeMap<String, String>, Error> {
    let bad = |what: &str| Error::Invalid(format!("index: {what}"));
    let file = |name: &str| -> Result<serde_json::Value, Error> {
        registered(&read(name).ok_or_else(|| bad(&format!("no {name}")))?).ok_or_else(|| bad(name))
    };
    let mut out = BTreeMap::new();
    let mut m = file("manifest.js")?;
    let num = |v: &serde_json::Value, k: &str| v[k].as_u64().map(|n| n as usize);
    let n = num(&m, "n").ok_or_else(|| bad("n"))?;
    let ords = num(&m, "ords").unwrap_or(n);
    let (block, rest, mask) = (
        num(&m, "doc_block").ok_or_else(|| bad("doc_block"))?,
        num(&m, "rest_block").ok_or_else(|| bad("rest_block"))?,
        num(&m, "mask_chars").ok_or_else(|| bad("mask_chars"))?,
    );
    let facets = file("facets.js")?["f"].as_str().unwrap_or_default().to_string();
    let mut tie: HashMap<usize, f64> = HashMap::new();
    if let Some(t) = m["tie"].as_array() {
        for p in t.chunks(2) {
            if let [s, r] = p {
                tie.insert(
                    s.as_u64().ok_or_else(|| bad("tie"))? as usize,
                    r.as_f64().ok_or_else(|| bad("tie"))?,
                );
            }
        }
    }
    // Documents by number.
    let mut ids: Vec<Option<String>> = vec![None; ords];
    let (mut dfile, mut xfile) = ((usize::MAX, None), (usize::MAX, None));
    for (ord, id) in ids.iter_mut().enumerate() {
        if dfile.0 != ord / block {
            // With its heads.
            dfile = (
                ord / block,
                read(&format!("d/{}.js", ord / block))
                    .and_then(|t| registered(&t))
                    .map(|d| crate::browser::block_texts(&d).map(|h| (d, h)).ok_or_else(|| bad("d/")))
                    .transpose()?,
            );
        }
        let (entry, head) = match &dfile.1 {
            Some((d, h)) => (
                d["d"][ord % block].clone(),
                h.get(ord % block).cloned().unwrap_or_default(),
            ),
            None => (serde_json::Value::Null, String::new()),
        };
        if entry.is_null() {
            continue;
        }
        if xfile.0 != ord / rest {
            xfile = (
                ord / rest,
                read(&format!("x/{}.js", ord / rest))
                    .and_then(|t| registered(&t))
                    .map(|x| crate::browser::block_texts(&x).ok_or_else(|| bad("x/")))
                    .transpose()?,
            );
        }
        let rest_text = match &xfile.1 {
            Some(r) => r.get(ord % rest).ok_or_else(|| bad("x/"))?.clone(),
            None => String::new(),
        };
        let facet = facets
            .get(ord * (1 + mask)..(ord + 1) * (1 + mask))
            .ok_or_else(|| bad("facets"))?;
        let key = format!("doc {} {}", entry["id"].as_str().unwrap_or_default(), entry["k"]);
        *id = Some(key.clone());
        if out
            .insert(key, format!("{entry}\n{head:?}{rest_text:?}\n{facet}"))
            .is_some()
        {
            return Err(bad("a document twice"));
        }
    }
    if ids.iter().flatten().count() != n {
        return Err(bad("n is not the number of documents"));
    }
    let mut order: Vec<usize> = (0..ords).filter(|&o| ids[o].is_some()).collect();
    order.sort_by(|&a, &b| {
        let r = |o: usize| tie.get(&o).copied().unwrap_or(o as f64);
        r(a).total_cmp(&r(b))
    });
    let order: Vec<&str> = order.iter().filter_map(|&o| ids[o].as_deref()).collect();
    out.insert("order".into(), order.join("\n"));
    // A term's postings as "id:level" sorted; exact title terms and tag
    // terms are numbers alone.
    let by_id = |term: &str, post: &str| -> Result<String, Error> {
        let levels = !term.contains(crate::params::EXACT_SEP) && !term.starts_with(crate::params::TAG_SEP);
        let mut list = crate::browser::decode_postings(post, levels)
            .ok_or_else(|| bad(term))?
            .into_iter()
            .map(|(o, q)| {
                let id = ids.get(o as usize).and_then(|d| d.as_deref());
                id.map(|id| format!("{id}:{q}"))
                    .ok_or_else(|| bad(&format!("{term}: no document {o}")))
            })
            .collect::<Result<Vec<String>, Error>>()?;
        list.sort();
        Ok(list.join(" "))
    };
    // Terms, by shard: the range shards' bounds are those of the `b/`
    // files, one for the first char of each stem of the `v/` shards.
    file("bounds.js")?;
    let vbounds = crate::browser::front_decode(m["vocab"].as_str().unwrap_or_default());
    // The `v/` shards, read once for the three passes below.
    let mut vshards = Vec::with_capacity(vbounds.len());
    for b in &vbounds {
        let name = crate::browser::shard_file("v", b).0.to_string_lossy().into_owned();
        let shard = registered(&read(&name).ok_or_else(|| bad(&name))?).ok_or_else(|| bad(&name))?;
        vshards.push((name, shard));
    }
    let mut chars = std::collections::BTreeSet::new();
    for (_, shard) in &vshards {
        let words = shard["w"].as_str().unwrap_or_default().split(' ');
        let mut explicit = shard["x"].as_array().into_iter().flatten();
        for (w, n) in words.zip(shard["s"].as_str().unwrap_or_default().chars()) {
            let stem = if n == '_' {
                explicit.next().and_then(|x| x.as_str())
            } else {
                Some(w)
            };
            chars.extend(stem.and_then(|s| s.chars().next()));
        }
    }
    let mut chunks = Vec::new();
    for ch in chars {
        let name = crate::browser::shard_file("b", &u32::from(ch).to_string()).0;
        let name = name.to_string_lossy().into_owned();
        let text = read(&name).ok_or_else(|| bad(&name))?;
        let run = crate::browser::front_decode(
            registered(&text).ok_or_else(|| bad(&name))?["b"]
                .as_str()
                .unwrap_or_default(),
        );
        out.insert(name.clone(), text);
        chunks.push((name, run));
    }
    let mut bounds: Vec<String> = chunks.iter().flat_map(|c| c.1.iter().cloned()).collect();
    bounds.push(String::new());
    bounds.sort();
    bounds.dedup();
    // Each `b/` file is a run of them (as a `v/` shard's runs, below).
    let is_run = |keys: &[String]| {
        let Some((end, starts)) = keys.split_last() else {
            return true;
        };
        let at = bounds.iter().position(|b| Some(b) == starts.first());
        at.is_some_and(|a| {
            bounds.get(a..a + starts.len()) == Some(starts)
                && bounds.get(a + starts.len()).map_or("", String::as_str) == end
        })
    };
    if let Some((name, _)) = chunks.iter().find(|c| !is_run(&c.1)) {
        return Err(bad(&format!("{name}: not a run of term bounds")));
    }
    let groups = m["syn"]["groups"]
        .as_str()
        .map_or(0, |g| if g.is_empty() { 0 } else { g.split('|').count() });
    for i in 0..bounds.len() + 2 * groups {
        let file = match bounds.get(i) {
            Some(b) => crate::browser::shard_file("t", b).0,
            None => crate::browser::synonym_shard_file(i - bounds.len()).0,
        };
        let Some(text) = read(&file.to_string_lossy()) else {
            continue;
        };
        let shard = registered(&text).ok_or_else(|| bad("t/"))?;
        let class = match i {
            i if i < bounds.len() => "range".to_string(),
            i if i < bounds.len() + groups => format!("word {}", i - bounds.len()),
            i => format!("phrase {}", i - bounds.len() - groups),
        };
        let (t, p) = (shard["t"].as_array(), shard["p"].as_array());
        for (term, post) in t.into_iter().flatten().zip(p.into_iter().flatten()) {
            let (term, post) = (term.as_str().unwrap_or_default(), post.as_str().unwrap_or_default());
            if i < bounds.len() && (term < bounds[i].as_str() || bounds.get(i + 1).is_some_and(|b| term >= b.as_str()))
            {
                return Err(bad(&format!("{term} out of its shard's bounds")));
            }
            let list = by_id(term, post)?;
            if out.insert(format!("term {term}"), format!("{class}: {list}")).is_some() {
                return Err(bad(&format!("{term} twice")));
            }
        }
    }
    // A prefix bundle repeats rows of the term shards: the same postings.
    // The prefixes with a bundle: each `v/` shard lists those in its range (`q`).
    let mut bundles = Vec::new();
    for (_, shard) in &vshards {
        bundles.extend(
            shard["q"]
                .as_str()
                .unwrap_or_default()
                .split(' ')
                .filter(|q| !q.is_empty())
                .map(String::from),
        );
    }
    for q in &bundles {
        let name = crate::browser::shard_file("p", q).0.to_string_lossy().into_owned();
        let shard = registered(&read(&name).ok_or_else(|| bad(&name))?).ok_or_else(|| bad(&name))?;
        let (t, p) = (shard["t"].as_array(), shard["p"].as_array());
        for (term, post) in t.into_iter().flatten().zip(p.into_iter().flatten()) {
            let (term, post) = (term.as_str().unwrap_or_default(), post.as_str().unwrap_or_default());
            let list = by_id(term, post)?;
            let shard_row = out
                .get(&format!("term {term}"))
                .and_then(|v| v.split_once(": "))
                .map(|v| v.1);
            if shard_row != Some(list.as_str()) {
                return Err(bad(&format!("{name}: {term} is not its term shard's row")));
            }
        }
    }
    // The files without numbers, as they are; but the tag terms of a
    // `v/` shard (`g`) by id, each checked to be in the shard of its key.
    for (i, (name, mut shard)) in vshards.into_iter().enumerate() {
        // Its runs of term shard bounds (`b`) are runs of the `b/` files'.
        for run in shard["b"].as_str().unwrap_or_default().split(crate::browser::RUN_SEP) {
            if !is_run(&crate::browser::front_decode(run)) {
                return Err(bad(&format!("{name}: a run of term bounds not in b/")));
            }
        }
        let g = shard.as_object_mut().and_then(|o| o.remove("g")).unwrap_or_default();
        let (t, p) = (g["t"].as_array(), g["p"].as_array());
        for (term, post) in t.into_iter().flatten().zip(p.into_iter().flatten()) {
            let (term, post) = (term.as_str().unwrap_or_default(), post.as_str().unwrap_or_default());
            let key = term
                .strip_prefix(crate::params::TAG_SEP)
                .ok_or_else(|| bad(&format!("{name}: {term}")))?;
            if crate::browser::shard_index(&vbounds, key) != i {
                return Err(bad(&format!("{term} out of its v/ shard's bounds")));
            }
            let list = by_id(term, post)?;
            if out.insert(format!("term {term}"), format!("tag: {list}")).is_some() {
                return Err(bad(&format!("{term} twice")));
            }
        }
        out.insert(name, shard.to_string());
    }
    let short = file("b/ks.js")?;
    // The `r/` bounds, by char in `b/kr*.js` (browser::suffix_runs).
    let mut lists = vec![("s", short["short"].as_str().unwrap_or_default().to_string())];
    for c in crate::browser::SUFFIX_RUN_CHARS.chars().chain(['-']) {
        let name = crate::browser::shard_file("b", &crate::browser::suffix_run_name(c)).0;
        let name = name.to_string_lossy().into_owned();
        let run = file(&name)?;
        if run["l"] != serde_json::json!(crate::engine::SUFFIX_LONG) {
            return Err(bad(&name));
        }
        lists.push(("r", run["r"].as_str().unwrap_or_default().to_string()));
        out.insert(name.clone(), read(&name).unwrap_or_default());
    }
    for (dir, list) in lists {
        if list.is_empty() {
            continue;
        }
        for b in crate::browser::front_decode(&list) {
            let name = crate::browser::shard_file(dir, &b).0.to_string_lossy().into_owned();
            out.insert(name.clone(), read(&name).ok_or_else(|| bad(&name))?);
        }
    }
    for name in ["bounds.js", "b/ks.js", "b/kg.js"] {
        out.insert(name.into(), read(name).unwrap_or_default());
    }
    if let Some(o) = m.as_object_mut() {
        for k in ["ords", "tie"] {
            o.remove(k);
        }
    }
    out.insert("manifest".into(), m.to_string());
    Ok(out)
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

    /// [`index_by_id`] of the `search/` folder under `out`.
    fn by_id(out: &Path) -> BTreeMap<String, String> {
        let root = out.join("search");
        index_by_id(&|name| std::fs::read_to_string(root.join(name)).ok()).unwrap()
    }

    /// After edits, the folder is what a full build writes, byte for byte;
    /// after adds and removes, the same index numbered otherwise
    /// ([`index_by_id`]); written to another folder, numbered again.
    #[test]
    fn updates_give_a_full_build_s_index() {
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
        let same_bytes = |ix: &mut LiveIndex, docs: &[SearchDoc]| {
            let u = ix.update(live.path(), &cfg, docs).unwrap();
            crate::write_browser_index(full.path(), &cfg, docs).unwrap();
            assert_eq!(tree(&live.path().join("search")), tree(&full.path().join("search")));
            // Pieces and summaries were read back from the file.
            let in_file = |k: &Kept| matches!(k.piece, Stored::File { .. }) && matches!(k.summary, Blob::File { .. });
            assert!(ix.kept.values().all(in_file));
            u
        };
        let same_index = |ix: &mut LiveIndex, docs: &[SearchDoc]| {
            let u = ix.update(live.path(), &cfg, docs).unwrap();
            crate::write_browser_index(full.path(), &cfg, docs).unwrap();
            assert_ne!(tree(&live.path().join("search")), tree(&full.path().join("search")));
            assert_eq!(by_id(live.path()), by_id(full.path()));
            u
        };
        let first = same_bytes(&mut ix, &docs);
        assert_eq!((first.analysed, first.written), (40, first.files));
        // An edit: one document analysed, a few files written.
        docs[7].body.push_str(" zorglub nouveau mot");
        let edit = same_bytes(&mut ix, &docs);
        assert_eq!(edit.analysed, 1);
        assert!(edit.written < edit.files / 2, "{edit:?}");
        // An add, first by id: numbered after the others, it writes its
        // `d/` and `x/` files, not those of the documents after it.
        let before = tree(&live.path().join("search"));
        docs.insert(0, doc("cat/a-neuve", "une fiche neuve sur le wifi"));
        let add = same_index(&mut ix, &docs);
        assert_eq!(add.analysed, 1);
        let after = tree(&live.path().join("search"));
        let d: Vec<&PathBuf> = after
            .iter()
            .filter(|(p, b)| p.starts_with("d") && before.get(*p) != Some(b))
            .map(|f| f.0)
            .collect();
        assert_eq!(d, [&PathBuf::from(format!("d/{}.js", 40 / DOC_BLOCK))], "{add:?}");
        // Two documents with the same text tie: the new one ranks first,
        // by id, as in a full build.
        let twin = docs[1].body.clone();
        docs.push(doc("cat/f99", &twin));
        docs.insert(1, doc("cat/a-jumelle", &twin));
        same_index(&mut ix, &docs);
        // A remove leaves a hole: its entry in its `d/` file is null (the
        // file is gone if it held no other).
        assert_eq!(docs[4].id, "cat/f02", "number 2");
        docs.remove(4);
        let removed = same_index(&mut ix, &docs);
        assert_eq!(removed.analysed, 0);
        let d = std::fs::read_to_string(live.path().join(format!("search/d/{}.js", 2 / DOC_BLOCK)));
        assert!(
            d.map_or(DOC_BLOCK == 1, |t| registered(&t).unwrap()["d"][2 % DOC_BLOCK]
                .is_null()),
            "{removed:?}"
        );
        // Nothing changed: nothing written.
        assert_eq!(same_index(&mut ix, &docs).written, 0);
        // An edit assembles the `d/` and `x/` files of its group only
        // (43 slots: 42 documents and a hole).
        docs[20].body.push_str(" encore");
        let edit = same_index(&mut ix, &docs);
        let dfiles = tree(&live.path().join("search"))
            .keys()
            .filter(|p| p.starts_with("d"))
            .count();
        let blocks = |u: &LiveUpdate| u.assembled - (u.files - dfiles - 43usize.div_ceil(GROUP) - u.reused);
        assert_eq!((edit.analysed, blocks(&edit)), (1, GROUP / DOC_BLOCK + 1), "{edit:?}");
        // The shards whose rows did not change are not made again.
        assert!(edit.reused > 0 && edit.written < edit.assembled, "{edit:?}");
        // Another folder: numbered again, a full build's bytes.
        let other = tempfile::tempdir().unwrap();
        let u = ix.update(other.path(), &cfg, &docs).unwrap();
        assert_eq!(u.analysed, 0);
        assert_eq!(tree(&other.path().join("search")), tree(&full.path().join("search")));
        // Other synonyms: everything again.
        let cfg2 = SearchConfig {
            synonyms: vec![],
            ..cfg.clone()
        };
        let u = ix.update(live.path(), &cfg2, &docs).unwrap();
        assert_eq!(u.analysed, docs.len());
        // What `index_by_id` compares: a posting's level, a document's text.
        let mut moved = docs.clone();
        moved[3].body.push_str(" imprimante");
        crate::write_browser_index(other.path(), &cfg2, &moved).unwrap();
        assert_ne!(by_id(live.path()), by_id(other.path()));
    }

    /// A save computes the rows of the terms it touches, and of the terms
    /// whose levels the moved mean lengths may have changed, not of every
    /// term; the files stay a full build's, byte for byte, also when an
    /// edit moves the means far enough to change levels of terms it does
    /// not touch.
    #[test]
    fn kept_term_rows_give_a_full_build_s_shards_while_the_means_move() {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![],
        };
        let words = [
            "imprimante",
            "réseau",
            "cartouche",
            "badge",
            "session",
            "tablette",
            "projecteur",
            "câble",
            "serveur",
            "logiciel",
        ];
        // Bodies of different lengths, words repeated differently: many
        // levels in every list.
        let mut docs: Vec<SearchDoc> = (0..30)
            .map(|i| {
                let body: Vec<String> = (0..20 + 7 * i)
                    .map(|k| format!("{} mot{}", words[(k * (i + 1)) % words.len()], k % (3 + i)))
                    .collect();
                doc(&format!("cat/f{i:02}"), &body.join(" "))
            })
            .collect();
        let live = tempfile::tempdir().unwrap();
        let full = tempfile::tempdir().unwrap();
        let mut ix = LiveIndex::new();
        let mut same_bytes = |docs: &[SearchDoc]| {
            let u = ix.update(live.path(), &cfg, docs).unwrap();
            crate::write_browser_index(full.path(), &cfg, docs).unwrap();
            let (a, b) = (tree(&live.path().join("search")), tree(&full.path().join("search")));
            let differ: Vec<&PathBuf> = a.keys().chain(b.keys()).filter(|p| a.get(*p) != b.get(*p)).collect();
            assert!(differ.is_empty(), "not a full build's: {differ:?}");
            u
        };
        let first = same_bytes(&docs);
        assert_eq!(first.terms_computed, first.terms);
        // A small edit: the terms of that document, a few others at most.
        docs[4].body.push_str(" imprimante zorglub");
        let small = same_bytes(&docs);
        let touched = first.terms / 2;
        assert!(small.terms_computed > 0 && small.terms_computed < touched, "{small:?}");
        // One new word, 4,000 times, in one document: the mean body
        // length grows by half, levels move in lists it does not touch
        // (whose shards are not made again for other reasons: the word
        // sorts last).
        let before = docs[9].body.clone();
        docs[9].body.push_str(&" zzvolume".repeat(4000));
        let far = same_bytes(&docs);
        assert!(far.terms_computed > far.terms / 2, "{far:?}");
        // Back: the means move back, the files follow.
        docs[9].body = before;
        same_bytes(&docs);
        // Then small edits again, kept rows reused.
        for (n, i) in [3usize, 17, 29].into_iter().enumerate() {
            docs[i].body.push_str(&format!(" ajout{n} serveur"));
            let u = same_bytes(&docs);
            assert!(u.terms_computed < u.terms / 2, "{u:?}");
        }
    }

    /// The manifest as JSON, without the live numbering (`ords`, `tie`).
    fn manifest_of(out: &Path) -> serde_json::Value {
        let text = std::fs::read_to_string(out.join("search/manifest.js")).unwrap();
        let mut m = registered(&text).unwrap();
        for k in ["ords", "tie"] {
            m.as_object_mut().unwrap().remove(k);
        }
        m
    }

    /// Term shards are cut by the size of their postings, and a
    /// posting's size depends on the gap to the document before: after
    /// adds and removes (holes, added numbers) the live postings differ
    /// in size from a full build's, but the cuts, and so the prefix
    /// bundles (a prefix whose completions lie in three shards or more),
    /// must be a full build's. Many words over a few prefixes, documents
    /// added first, in the middle and last by id, others removed.
    #[test]
    fn adds_and_removes_keep_a_full_build_s_term_shards_and_bundles() {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![],
        };
        let heads = [
            "pho", "pro", "imp", "con", "tab", "res", "cla", "ord", "ban", "car", "dev", "eco", "gar", "lam", "mur",
            "nat", "pas", "rec", "sal", "ver",
        ];
        let tails = [
            "to", "gramme", "rimante", "nexion", "leau", "seau", "vier", "inateur", "duit", "mise",
        ];
        let seed = std::cell::Cell::new(7u64);
        let rnd = |n: usize| {
            seed.set(
                seed.get()
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407),
            );
            ((seed.get() >> 33) as usize) % n
        };
        let body = |i: usize| -> String {
            (0..120)
                .map(|_| {
                    // Frequent words and rare ones: lists of every density.
                    let w = rnd(heads.len() * tails.len()) * (1 + rnd(4)) / 4;
                    format!(
                        "{}{}{}",
                        heads[w % heads.len()],
                        tails[w / heads.len() % tails.len()],
                        "xyzw".repeat(w % 3)
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
                + &format!(" fiche{i}")
        };
        let mut docs: Vec<SearchDoc> = (0..600).map(|i| doc(&format!("cat/m{i:03}"), &body(i))).collect();
        let live = tempfile::tempdir().unwrap();
        let full = tempfile::tempdir().unwrap();
        let mut ix = LiveIndex::new();
        ix.update(live.path(), &cfg, &docs).unwrap();
        let mut differed = 0;
        for round in 0..8 {
            // Added first, in the middle and last by id; removed here and there.
            for (k, id) in ["cat/a", "cat/m07", "cat/m1", "cat/z"].iter().enumerate() {
                let d = doc(&format!("{id}-{round}{k}"), &body(1000 + round * 10 + k));
                docs.push(d);
            }
            for _ in 0..5 {
                let at = rnd(docs.len());
                docs.remove(at);
            }
            let before = tree(&live.path().join("search"));
            ix.update(live.path(), &cfg, &docs).unwrap();
            crate::write_browser_index(full.path(), &cfg, &docs).unwrap();
            let (got, want) = (tree(&live.path().join("search")), tree(&full.path().join("search")));
            assert_ne!(got, want, "numbered otherwise");
            assert_ne!(before, got);
            // Some term shard's bytes differ (its postings' numbers), not
            // where they are cut nor the bundles.
            let t = |m: &BTreeMap<PathBuf, Vec<u8>>| -> Vec<usize> {
                m.iter().filter(|f| f.0.starts_with("t")).map(|f| f.1.len()).collect()
            };
            differed += usize::from(t(&got) != t(&want));
            let (g, w) = (manifest_of(live.path()), manifest_of(full.path()));
            // The term shard bounds (`b/`), the typo lists' (`bounds.js`,
            // `b/kr*.js`) and the suffix lists (`r/`, by length class): a
            // full build's, files removed and added with the stems.
            let bounds_of = |m: &BTreeMap<PathBuf, Vec<u8>>| -> Vec<(PathBuf, Vec<u8>)> {
                m.iter()
                    .filter(|f| f.0.starts_with("b") || f.0.starts_with("r") || f.0 == Path::new("bounds.js"))
                    .map(|(p, b)| (p.clone(), b.clone()))
                    .collect()
            };
            let b = bounds_of(&got);
            assert!(b.len() > 2, "{b:?}");
            assert!(b.iter().any(|f| f.0.starts_with("r")), "no r/ shard");
            assert!(b.iter().any(|f| f.0 == Path::new("b/kre.js")), "no b/kre.js");
            assert_eq!(b, bounds_of(&want), "round {round}: term shard bounds");

            assert_eq!(g, w, "round {round}");
            assert_eq!(by_id(live.path()), by_id(full.path()), "round {round}");
        }
        assert!(differed > 0, "the live postings never differed in size");
        let bundles: Vec<String> = std::fs::read_dir(live.path().join("search/v"))
            .unwrap()
            .filter_map(|f| registered(&std::fs::read_to_string(f.unwrap().path()).unwrap()))
            .filter_map(|v| v["q"].as_str().map(String::from))
            .collect();
        assert!(bundles.len() >= 2, "{bundles:?}");
    }

    /// A term whose rows grow past `browser::TERM_ALONE` bytes gets a
    /// term shard of its own, and shares one again once they shrink:
    /// serve's files are a full build's at every save (edits: byte for
    /// byte; an add and a remove: the same index numbered otherwise, cut
    /// in the same places).
    #[test]
    fn a_term_crossing_the_size_of_a_shard_alone_is_cut_as_in_a_full_build() {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![],
        };
        // `toblerone` in the first `n` of 1,200 sheets, one in two;
        // rare words around it.
        let body = |i: usize, n: usize| -> String {
            let (a, b) = (
                char::from(b'a' + (i % 26) as u8),
                char::from(b'a' + (i / 26 % 26) as u8),
            );
            let t = if i < n && i.is_multiple_of(2) { "toblerone" } else { "" };
            format!("{t} tob{a}{b}k tobl{b}{a}k")
        };
        let docs_of =
            |n: usize| -> Vec<SearchDoc> { (0..1200).map(|i| doc(&format!("cat/d{i:04}"), &body(i, n))).collect() };
        let t_files = |out: &Path| -> BTreeMap<PathBuf, Vec<(String, usize)>> {
            let tree = tree(&out.join("search"));
            let texts: Vec<(PathBuf, String)> = tree
                .into_iter()
                .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
                .collect();
            crate::browser::term_units(texts.iter().map(|(p, t)| (p.as_path(), t.as_str())))
        };
        let live = tempfile::tempdir().unwrap();
        let full = tempfile::tempdir().unwrap();
        let mut ix = LiveIndex::new();
        let mut seen = [false; 2];
        for n in [400, 700, 1000, 1200, 900, 400] {
            let docs = docs_of(n);
            ix.update(live.path(), &cfg, &docs).unwrap();
            crate::write_browser_index(full.path(), &cfg, &docs).unwrap();
            assert!(
                tree(&live.path().join("search")) == tree(&full.path().join("search")),
                "{n}: serve's files differ from a full build's"
            );
            let units = t_files(live.path());
            let (path, size, alone) = units
                .iter()
                .find_map(|(p, u)| {
                    let s = u.iter().find(|u| u.0.starts_with("tobleron"))?.1;
                    Some((p.clone(), s, u.len() == 1))
                })
                .unwrap();
            assert_eq!(alone, size >= crate::browser::TERM_ALONE, "{n}: {path:?} {size}");
            seen[usize::from(alone)] = true;
        }
        assert_eq!(seen, [true, true], "the term crossed the size both ways");
        // A sheet added first by id and one removed: the same cuts.
        let mut docs = docs_of(1200);
        docs.remove(600);
        docs.push(doc("cat/a", "toblerone tobaak"));
        ix.update(live.path(), &cfg, &docs).unwrap();
        crate::write_browser_index(full.path(), &cfg, &docs).unwrap();
        let cuts = |out: &Path| -> Vec<(PathBuf, Vec<String>)> {
            t_files(out)
                .into_iter()
                .map(|(p, u)| (p, u.into_iter().map(|u| u.0).collect()))
                .collect()
        };
        assert_eq!(cuts(live.path()), cuts(full.path()));
        assert_eq!(by_id(live.path()), by_id(full.path()));
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
    /// Pieces and summaries that cannot be read back (the file is gone):
    /// the update fails and forgets everything; the next job carries every
    /// text and gives a full build's bytes. Without a file, they stay in
    /// memory.
    #[test]
    fn a_lost_pieces_file_starts_the_index_again() {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![],
        };
        let mut docs: Vec<SearchDoc> = (0..20)
            .map(|i| doc(&format!("cat/f{i:02}"), &format!("fiche {i} : la tablette du CDI")))
            .collect();
        let live = tempfile::tempdir().unwrap();
        let full = tempfile::tempdir().unwrap();
        let mut ix = LiveIndex::new();
        let known = ix.known();
        ix.update(live.path(), &cfg, &docs).unwrap();
        ix.pieces.file = None;
        ix.pieces.no_file = true;
        docs[3].body.push_str(" imprimante");
        assert!(ix.update(live.path(), &cfg, &docs).is_err());
        let t: Vec<u64> = docs.iter().map(|d| text_hash(&d.body, &d.code)).collect();
        let need = known.lock().unwrap().want(&live_keys(&cfg, &docs, &t));
        assert!(need.iter().all(|&n| n), "every text is needed again");
        ix.pieces.no_file = true;
        ix.update(live.path(), &cfg, &docs).unwrap();
        assert!(ix
            .kept
            .values()
            .all(|k| matches!(k.piece, Stored::Mem(_)) && matches!(k.summary, Blob::Mem(_))));
        crate::write_browser_index(full.path(), &cfg, &docs).unwrap();
        assert_eq!(tree(&live.path().join("search")), tree(&full.path().join("search")));
        docs[4].body.push_str(" scanner");
        ix.update(live.path(), &cfg, &docs).unwrap();
        crate::write_browser_index(full.path(), &cfg, &docs).unwrap();
        assert_eq!(tree(&live.path().join("search")), tree(&full.path().join("search")));
    }

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
