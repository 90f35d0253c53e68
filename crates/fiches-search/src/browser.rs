//! The browser index: plain JS files under `<out>/search/`, each calling
//! `window.__fichesSearch.register(name, data)`, so that they load with
//! `<script>` tags even from file://. Layout:
//!
//! - `manifest.js` (`"manifest"`): counts, ranking parameters, stop words,
//!   elisions, analyzed synonyms (and the synonym surfaces `v/` does not
//!   already give), the first key of every `v/` shard, kinds and
//!   audiences present; no term shard bound (each `v/` shard gives those
//!   of its words' stems, [`term_runs`]) nor bundle prefix (`q`).
//! - `v/k<bound>.js` (`"v:<bound>"`): vocabulary shard: a range of the sorted folded
//!   surface forms, with their stem (as a length when it is a prefix of
//!   the word) and its document frequency class. A known word costs one
//!   shard; typo matching loads its two-letter bucket's shards. The browser maps typed words to stems with it, and does
//!   typo and prefix matching on it. A shard also lists (`c`) the
//!   completions of the prefixes whose words go on in the next shards,
//!   and holds (`g`) the tag terms (`/imprimant/bloqu`) whose key after
//!   TAG_SEP falls in its range, with their ords (see [`tag_lists`]).
//! - `f/k<bound>.js` (`"f:<bound>"`): the same vocabulary but codes in 4 KB
//!   shards, for the typo candidates of an unknown word (every word
//!   starting with its first half); `g/k<bound>.js` (`"g:<bound>"`): the
//!   codes ([`crate::engine::is_typo_code`]: `taba1021`), which only a
//!   word with a digit can have as candidates; their bounds are in
//!   `bounds.js` and `b/kg.js`.
//! - `p/k<prefix>.js` (`"p:<prefix>"`): the bundle of a prefix of PREFIX_MIN letters
//!   that is not a word the vocabulary knows ([`crate::engine::completes`];
//!   listed in its `v/` shard's `q`): the postings of its completions and stems
//!   with their exact title terms, when a term shard would not do.
//! - `r/k<bound>.js` (`"r:<bound>"`): the words of SHORT_MAX letters and
//!   more by suffix key ([`crate::engine::suffix_key`]: reversed, a length
//!   class after two chars), for the suffix side of a typo, which keeps
//!   only words of lengths near its own; the reversed words alone in `w`.
//! - `bounds.js` (`"bounds"`): the first key of every `f/` shard,
//!   loaded only for a word the vocabulary does not know of more than
//!   SHORT_MAX letters, with `b/kr<char>.js` (`"b:r<char>"`, [`suffix_runs`])
//!   those of the `r/` shards of keys starting with its last char;
//!   `b/ks.js` (`"b:s"`) those of `s/`, for a shorter
//!   one; `b/kg.js` (`"b:g"`) those of `g/`, for a longer one with a digit.
//! - `b/k<code point>.js` (`"b:<code point>"`): the bounds of the range `t/`
//!   shards of the stems starting with that char, loaded only for a stem
//!   in no run of the `v/` shards loaded ([`term_chunks`]).
//! - `t/k<bound>.js` (`"t:<bound>"`): term shard: sorted stems and their postings
//!   (ord delta as a base-32 varint, then the 9-bit BM25F level); exact
//!   title terms (`imprim.ante`) by their ords alone, right after their
//!   stem, which also say which documents have the stem in their title; a
//!   synonym phrase of several words has phrase terms (`reseau_fil`), and
//!   those in a title a title marker (`reseau_fil.`). Range shards first
//!   (their first keys in `v/` runs and `b/`), then each synonym group's word
//!   shard and phrase shard, `t/<g>.js` (`"t<g>"`, see [`SynonymShards`]).
//! - `d/<b>.js` (`"d<b>"`): documents b × DOC_BLOCK onwards: display data
//!   (`d`, the URL `u` left out when it is [`SHEET_URL`]'s) and the first
//!   1.75 KB of each one's snippet text (summary, then body), deflated
//!   together and in base 85 (`z`; `n`: each one's bytes once inflated);
//!   an entry with `w` has that many passages of the rest after its head,
//!   each after U+001F, where the rest says a word of its title or tags
//!   that the head does not (`rest_passages`);
//!   `x/<b>.js` (`"x<b>"`): the rest of that text
//!   (30 KB at most) for documents b × REST_BLOCK onwards, one deflate
//!   stream for the block, loaded only when a head has no match to show.
//! - `facets.js` (`"facets"`): kind and audiences of every document, only
//!   loaded when a filter is used.
//!
//! The sharded kinds (`v/`, `f/`, `g/`, `r/`, `s/`, `t/`) are cut where their
//! keys say ([`Cuts`]) and each shard's file is named by its first key
//! ([`shard_file`]), so that a new word changes the files around it only.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::{json, Value};

use crate::analysis::{Analyzer, Synonyms};
use crate::corpus::{
    cap_str, collect_docs, df_class, doc_order, impact, impact_margin, reverse_str, snippet_text, Collected,
    PostingList, VocabEntry,
};
use crate::engine::{deletion_keys, is_short_target, is_typo_code, suffix_key, SUFFIX_LONG};
use crate::params::*;
use crate::{fingerprint, Error, Kind, SearchConfig, SearchDoc};

/// Target size of a term shard (bytes); one long postings list may exceed it.
pub const TERM_SHARD_TARGET: usize = 6 * 1024;
/// A term whose rows (with its markers) weigh at least this much has a
/// term shard of its own: a query for a rare word then does not load a
/// frequent neighbour (`tablete` loaded `t/ktablet.js`, 16.6 KB, for 48 B
/// it used), nor one for a frequent word the rare ones around it. At
/// 10,000 sheets (docs/benchmarks.md, "(shard29)"): the `t/` bytes of
/// the typo queries 426 -> 358 KB, of the demo queries 339 -> 302 KB, for
/// about 860 more files; 700 loaded less still but took `search/` 2.1 %
/// heavier (more prefix bundles), 2,000 saved half as much.
pub const TERM_ALONE: usize = 1000;
/// Target size of a vocabulary shard (bytes); one big bucket may exceed it.
pub const VOCAB_SHARD_TARGET: usize = 4 * 1024;
/// The same for `v/`, which every query loads (1–3 shards, a typo query
/// up to 7) and whose bounds are in the manifest: smaller shards weigh
/// less on a first query than their bounds add to the manifest (see the
/// crate's README). 1 KB since the manifest's bounds go packed (session
/// 33): at 10,000 sheets the typo queries' p90 103.4 -> 101.8 KB (the
/// manifest 6.1 -> 7.7 KB), 109 of 546 queries over 100 KiB instead of 116.
pub const WORD_SHARD_TARGET: usize = 1024;
/// The vocabulary again by word in shards of this size (`f/`), for the
/// typo candidates of an unknown word, which scan every word starting
/// with its first half, when they fill more than two `v/` shards: codes
/// (`taba1021`, engine::is_typo_code) are apart in `g/`, so a range is
/// small (a few hundred bytes but for `ac`, `co`), and a small shard
/// is what it costs (16 KB shards with the codes: 63.6 KB for `tablete`
/// at 10,000 sheets, 4.7 KB now; typo28).
pub const RANGE_SHARD_TARGET: usize = 4 * 1024;
/// The suffix lists (`r/`, by length class, engine::suffix_key): a typo
/// loads the shards of one or two ranges of them, most of them a few
/// hundred bytes, so small shards; their bounds are in `b/` by char
/// ([`suffix_runs`]), not in `bounds.js` that every long typo loads.
/// 1 KB: 975 shards at 10,000 sheets (227 of 4 KB before rlen29); 2 KB
/// since session 33 (490 shards, packed to about 1 KB each), which leaves
/// the files `v/`'s 1 KB shards take (a site's file count stays under
/// Hugo + Pagefind's).
pub const SUFFIX_SHARD_TARGET: usize = 2 * 1024;
/// The codes (`g/`), loaded only for a typo with a digit: few big files.
pub const CODE_SHARD_TARGET: usize = 16 * 1024;
/// The short words by deletion key (`s/`): a short typo looks up one
/// key per letter and more, each in its shard; 2 KB shards halve what
/// `sonn` loads (17.1 to 8.9 KB at 10,000 sheets), for 224 B more in
/// `bounds.js` (typo28).
pub const SHORT_SHARD_TARGET: usize = 2 * 1024;
/// Documents per display file (`d/<ord / DOC_BLOCK>.js`): a result costs
/// its whole block, so blocks stay small (see the crate's README). Pairs:
/// a file per document was 10,000 of a site's 23,000 files at 10,000
/// sheets (issue 13); two heads deflated together weigh about 10 % less
/// than apart, and a first query's p90 stays under 100 KiB (weight20).
pub const DOC_BLOCK: usize = 2;
/// Bytes of snippet text in a document's `d/` entry; the rest is in `x/`.
/// 1,792 since the heads carry passages of the rest for the title and
/// tag words they do not say (session 30): over 499 queries at 10,000
/// sheets, a first query's median went 1.0 KB down and its p90 0.2 KB
/// (`x/` counted); 1,536 sent too many results to their rest.
pub const DOC_HEAD_TEXT: usize = 1792;
/// Documents per `x/` file (rests of long texts, rarely loaded): 16 rests
/// deflated together weigh 40 % less than each alone (the words of a
/// site repeat from sheet to sheet), and in Chromium a file of 30 KB
/// costs about what a file of 2 KB does.
pub const REST_BLOCK: usize = 16;
/// A document's URL left out of its `d/` entry when it is this one with
/// `{}` its id (every sheet's): the manifest's `sheet_url` gives it to
/// search-engine.js, which puts it back, so the pattern lives here only.
pub const SHEET_URL: (&str, &str) = ("fiches/", "/index.html");
/// The manifest's `tag_key`: the language's tag endings (`ending=by=left`)
/// and irregular derivations (`from=to`), each list one text split by
/// spaces (search-engine.js `tagKey`).
fn tag_key_lists(lang: &crate::lang::Language) -> [String; 2] {
    let endings: Vec<String> = lang
        .tag_endings
        .iter()
        .map(|(e, b, l)| format!("{e}={b}={l}"))
        .collect();
    let irregular: Vec<String> = lang.tag_irregular.iter().map(|(f, t)| format!("{f}={t}")).collect();
    [endings.join(" "), irregular.join(" ")]
}

/// Format of the browser files, checked by search-engine.js.
/// 8 (rank23): summary markers (`term.,`) beside their terms.
/// 9 (typo28): codes apart from `f/` in `g/`.
/// 10 (bnd29): the term bounds by first char in `b/`, not in `bounds.js`.
/// 11 (rlen29): `r/` by suffix key (length class), its bounds in `b/kr*`.
/// 12 (session 30): passages of the rest after a `d/` head (`w`).
/// 13 (session 33): word lists and postings packed (`FS.packed`).
pub const BROWSER_FORMAT: u32 = 13;

/// What [`write_browser_index`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BrowserIndexStats {
    pub files: usize,
    pub total_bytes: u64,
    /// Exact up to 512 files, then estimated from one file in 8.
    pub total_gzip_bytes: u64,
    pub docs: usize,
    pub terms: usize,
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base-32 varint on the base64 alphabet: 5 data bits per char, bit 5 set
/// when more chars follow.
pub fn push_varint(out: &mut String, mut v: u32) {
    while v >= 32 {
        out.push(B64[((v & 31) | 32) as usize] as char);
        v >>= 5;
    }
    out.push(B64[v as usize] as char);
}

/// Postings as text: for each doc, varint(ord delta × 8 + high 3 bits of
/// the 9-bit impact level), then one char with its low 6 bits: 2 chars per
/// doc while the ords are less than 4 apart. The title flag is not stored:
/// the exact title terms beside the stem say which documents have it in
/// their title (see [`title_markers`]).
pub fn encode_postings(list: &[(u32, u16)]) -> String {
    let mut s = String::with_capacity(list.len() * 3);
    let mut prev = 0u32;
    for &(ord, q) in list {
        let level = (q & LEVEL_MASK) as u32;
        debug_assert!(level < 512);
        push_varint(&mut s, (ord - prev) * 8 + (level >> 6));
        prev = ord;
        s.push(B64[(level & 63) as usize] as char);
    }
    s
}

/// Postings of an exact title term or a title marker: the ords alone
/// (varint of the delta), since the engine only asks whether a document is
/// in the list.
pub fn encode_ords(list: &[(u32, u16)]) -> String {
    let mut s = String::with_capacity(list.len() * 2);
    let mut prev = 0u32;
    for &(ord, _) in list {
        push_varint(&mut s, ord - prev);
        prev = ord;
    }
    s
}

/// The value of a character of `B64`.
fn b64_value(c: char) -> Option<u32> {
    B64.iter().position(|&b| b as char == c).map(|v| v as u32)
}

/// Inverse of [`encode_postings`] (`levels`) and [`encode_ords`]: `None`
/// when `s` is not such a list.
pub(crate) fn decode_postings(s: &str, levels: bool) -> Option<Vec<(u32, u32)>> {
    let mut vals = s.chars().map(b64_value);
    let (mut prev, mut out) = (0u32, Vec::new());
    loop {
        let (mut v, mut shift) = (0u32, 0);
        loop {
            let Some(c) = vals.next() else {
                return (shift == 0).then_some(out);
            };
            let c = c?;
            v += (c & 31) << shift;
            shift += 5;
            if c & 32 == 0 {
                break;
            }
        }
        if levels {
            prev += v / 8;
            out.push((prev, (v % 8) * 64 + vals.next()??));
        } else {
            prev += v;
            out.push((prev, 0));
        }
    }
}

/// Inverse of `front_code`.
pub(crate) fn front_decode(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if s.is_empty() {
        return out;
    }
    for e in s.split(' ') {
        let mut cs = e.chars();
        let shared = cs.next().and_then(b64_value).unwrap_or(0) as usize;
        let prev = out.last().map_or("", String::as_str);
        let mut k: String = prev.chars().take(shared).collect();
        k.extend(cs);
        out.push(k);
    }
    out
}

/// Shortest prefix of `first` that still sorts after `prev_last`: enough
/// for search-engine.js to find the shard, and it keeps the manifest small.
fn short_bound(prev_last: Option<&str>, first: &str) -> String {
    let Some(prev) = prev_last else {
        return String::new();
    };
    for (i, _) in first.char_indices().skip(1) {
        if &first[..i] > prev {
            return first[..i].to_string();
        }
    }
    first.to_string()
}

/// Front coding of sorted keys: each is one char (base64) giving how many
/// chars it shares with the previous key, then the rest; space-separated.
pub fn front_code(keys: &[String]) -> String {
    let mut out = String::new();
    let mut prev: &str = "";
    for (i, k) in keys.iter().enumerate() {
        let shared = prev.chars().zip(k.chars()).take_while(|(a, b)| a == b).count().min(63);
        if i > 0 {
            out.push(' ');
        }
        out.push(B64[shared] as char);
        out.extend(k.chars().skip(shared));
        prev = k;
    }
    out
}

/// The file and the registered name of the shard of kind `dir` whose
/// first key is `bound` (its bound in the manifest or `bounds.js`, the
/// prefix of a bundle): `v/kimprim.js`, `"v:imprim"`. Named by its bound,
/// not numbered: a shard added or removed renames no other (numbered, a
/// new cut renumbered every later file, and they were all written again).
pub fn shard_file(dir: &str, bound: &str) -> (PathBuf, String) {
    (
        PathBuf::from(format!("{dir}/{}.js", shard_stem(bound))),
        format!("{dir}:{bound}"),
    )
}

/// The file name of a shard whose first key is `bound`, without `.js`:
/// `k`, then each UTF-16 code unit of the bound, a letter a-z or a digit
/// as it is, any other as `-` (search-engine.js's `fileOf`: a few bytes of
/// the engine, where an escape would take many). Two bounds of one kind
/// may give the same name (`a.b`, `a_b`): the cut that would start the
/// second shard is not made ([`Stems`]). The `k` keeps a name from being
/// empty (the first shard's bound is ""), which some hosts do not serve.
pub fn shard_stem(bound: &str) -> String {
    let mut stem = String::from("k");
    stem.extend(bound.encode_utf16().map(|u| match char::from_u32(u32::from(u)) {
        Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit() => c,
        _ => '-',
    }));
    stem
}

/// The file names of a kind's shards so far: a cut is made only when the
/// shard it starts has a name of its own.
struct Stems(std::collections::HashSet<String>);

impl Stems {
    /// The first shard's (its bound is "").
    fn new() -> Stems {
        Stems([shard_stem("")].into_iter().collect())
    }

    /// Takes the name of a shard starting at `first` after `prev_last`;
    /// false (and nothing taken) when another shard has it.
    fn take(&mut self, prev_last: &str, first: &str) -> bool {
        self.0.insert(shard_stem(&short_bound(Some(prev_last), first)))
    }
}

/// The file and name of synonym shard `g` (`t/3.js`, `"t3"`): group g's
/// word shard, or group `g - groups`'s phrase shard (see
/// [`SynonymShards`]); numbered by the group, which a save does not move.
pub fn synonym_shard_file(g: usize) -> (PathBuf, String) {
    (PathBuf::from(format!("t/{g}.js")), format!("t{g}"))
}

/// Where a sharded kind cuts (`v/`, `f/`, `r/`, `s/`, `t/`): after a key
/// once the shard holds `min` bytes, when the key's hash says so, and at
/// `max` bytes anyway. The cuts depend on the keys, not on where the
/// previous shard ended: a new key changes its own shard and seldom the
/// next, where cuts at a target size moved every later cut (a new word
/// `abacuszo` rewrote 625 files at 10,000 sheets).
#[derive(Clone, Copy)]
pub(crate) struct Cuts {
    min: usize,
    /// Mean bytes past `min` before a cut: a key of `n` bytes cuts with
    /// probability `n / extra`, as if each byte had its chance.
    extra: usize,
    max: usize,
    /// A term whose rows weigh at least this much has a shard of its own.
    alone: usize,
}

impl Cuts {
    /// A vocabulary kind of `target` bytes a shard: sizes from 7/8 of it,
    /// a mean of about it. A query loads a shard by the chance that its
    /// word falls there, so the sizes it loads weigh by their size: their
    /// mean is mean + extra²/mean, 1/64 above the mean with these (1/4
    /// with `min = extra`).
    pub(crate) const fn vocab(target: usize) -> Cuts {
        Cuts {
            min: target * 7 / 8,
            extra: target / 8,
            max: target * 2,
            alone: usize::MAX,
        }
    }

    /// The term shards: a query loads the shards of its words, most of
    /// them frequent, whose rows weigh kilobytes: such a row is a shard
    /// alone ([`TERM_ALONE`]; until shard29 a row of 30 % of the target
    /// ended its shard, and started one unless the shard held as much),
    /// as cuts at the target kept a long row from a full shard. Measured
    /// on the first queries at 10,000 sheets, seeds 1
    /// and 2 (docs/benchmarks.md, "(cdc17)"): min 3/4 and no such rule
    /// loaded 8 % more bytes (p90 99,247 -> 107,702 B); `min` 70 % and
    /// `extra` 30 % load no more than the cuts at a target did, and a cut
    /// moved falls in step again after 3 shards on average (`min / extra`
    /// 2.3; 65 % / 35 % took the demo site's `windos p hdmi` past its
    /// budget in tests/browser_weight.rs).
    pub(crate) const fn terms(target: usize) -> Cuts {
        Cuts {
            min: target * 7 / 10,
            extra: target * 3 / 10,
            max: target * 15 / 10,
            alone: TERM_ALONE,
        }
    }

    /// Whether a shard of `size` bytes ends after the key `key` of `n`
    /// bytes (the key's entries, or the term's rows with its markers).
    pub(crate) fn after(&self, key: &str, n: usize, size: usize) -> bool {
        if size >= self.max {
            return true;
        }
        if size < self.min {
            return false;
        }
        // FNV-1a (64 bits) and a mixer: the same in every run and build.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in key.as_bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        // h / 2^64 < n / extra.
        (u128::from(h) * self.extra as u128) >> 64 < n as u128
    }

    /// Whether a term shard of `size` bytes ends between the term `key`
    /// of `n` bytes and a term of `next` bytes (each with its markers).
    fn between(&self, key: &str, n: usize, next: usize, size: usize) -> bool {
        n >= self.alone || next >= self.alone || self.after(key, n, size)
    }
}

fn register_js(name: &str, data: &Value) -> String {
    // JSON is valid JS (ES2019); the file is tiny glue around it.
    let json = serde_json::to_string(data).unwrap_or_default();
    let quoted = serde_json::to_string(name).unwrap_or_default();
    if let Some(packed) = packed_js(name, &quoted, &json) {
        return packed;
    }
    js_line_separators(format!("window.__fichesSearch.register({quoted},{json});\n"))
}

/// Kinds of file (a shard name's first char) sent deflated: the word
/// lists (`v/`, `f/`, `g/`, `r/`, `s/`) and the postings (`t/`, `p/`),
/// what a query loads by the dozen. Raw, a word list is twice its
/// deflated size in base 85, postings a third more (their digits are
/// already dense): at 10,000 sheets a typo query loaded 15–53 KB of
/// postings and 5–19 KB of words (session 33). `facets.js` (an `f`)
/// goes packed too: loaded by a filter, 20.2 → 7.7 KB at 10,000 sheets.
/// `d/` is packed by
/// [`block_files`]; the manifest is packed in part ([`pack_manifest`]);
/// the bounds (few, small) and `x/` (texts deflated inside) stay as they are.
const PACKED_KINDS: &[u8] = b"vfgrstpd";
/// A file smaller than this stays plain: its header and the inflating
/// would cost more than the bytes saved.
const PACK_MIN: usize = 384;

/// `window.__fichesSearch.packed(name, n, "z")`: the file's JSON (`n`
/// bytes) deflated, in base 85 (no quote, no backslash: a plain JS
/// string); search-engine.js inflates it and registers the data as
/// [`register_js`]'s. None where it would not be smaller by a tenth.
fn packed_js(name: &str, quoted: &str, json: &str) -> Option<String> {
    if json.len() < PACK_MIN || !name.as_bytes().first().is_some_and(|c| PACKED_KINDS.contains(c)) {
        return None;
    }
    let z = base85(&deflate(json));
    (!z.is_empty() && z.len() * 10 < json.len() * 9)
        .then(|| format!("window.__fichesSearch.packed({quoted},{},\"{z}\");\n", json.len()))
}

/// The name and data of a search file written by [`register_js`] (plain
/// or packed) or [`block_files`], as search-engine.js registers them.
pub fn registered_data(text: &str) -> Option<(String, Value)> {
    if let Some(rest) = text.strip_prefix("window.__fichesSearch.packed(") {
        let (name, rest) = rest.split_once(',')?;
        let (n, rest) = rest.split_once(',')?;
        let z = rest
            .trim_end()
            .strip_suffix(");")?
            .strip_prefix('"')?
            .strip_suffix('"')?;
        let json = inflate_base85(z, n.parse().ok()?)?;
        return Some((serde_json::from_str(name).ok()?, serde_json::from_slice(&json).ok()?));
    }
    let rest = text.strip_prefix("window.__fichesSearch.register(")?;
    let (name, data) = rest.split_once(',')?;
    let mut data: Value = serde_json::from_str(data.trim_end().strip_suffix(");")?).ok()?;
    if data.get("zn").is_some() {
        unpack_manifest(&mut data)?;
    }
    Some((serde_json::from_str(name).ok()?, data))
}

/// U+2028 and U+2029 (a title pasted from a PDF or Word holds them) are
/// valid in a JSON string but end a JS string before ES2019: an older
/// tablet's browser (iOS 11, still in schools) failed on the whole file,
/// and every document of its block was missing from the search. They
/// occur only inside strings, where `\u2028` reads the same.
fn js_line_separators(js: String) -> String {
    // U+2028 and U+2029 are E2 80 A8 and E2 80 A9: a byte scan, not a
    // char-by-char decoding of every index file (0.4 % of a build).
    let b = js.as_bytes();
    let mut i = 0;
    let mut any = false;
    while let Some(k) = b[i..].iter().position(|&c| c == 0xE2) {
        i += k;
        if b[i + 1..].starts_with(&[0x80]) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) {
            any = true;
            break;
        }
        i += 1;
    }
    if !any {
        return js;
    }
    js.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
}

/// One vocabulary list: `w` the sorted keys (the words in `v/`, the words
/// reversed in `r/`, deletion keys in `s/` with the words in `f`), `s` one
/// char per entry (the stem's length when it is a prefix of the word, else
/// '_' and the stem goes to `x`), `d` the df classes.
fn vocab_json(keys: &[&str], list: &[&VocabEntry], dir: &str) -> Value {
    let mut lens = String::with_capacity(list.len());
    let mut explicit: Vec<&str> = Vec::new();
    let mut dfs = String::with_capacity(list.len());
    for e in list {
        let n = e.stem.chars().count();
        if e.surface.starts_with(&e.stem) && n < 63 {
            lens.push(B64[n] as char);
        } else {
            lens.push('_');
            explicit.push(&e.stem);
        }
        dfs.push(B64[df_class(e.df) as usize] as char);
    }
    if dir == "r" {
        // Keys are suffix keys (engine::suffix_key): the reversed words
        // alone, their class is their length (search-fuzzy.js puts it back).
        let words: Vec<String> = list.iter().map(|e| reverse_str(&e.surface)).collect();
        return json!({ "w": words.join(" "), "s": lens, "x": explicit, "d": dfs });
    }
    if dir == "s" {
        // Keys are deletion keys: the words themselves go to `f`.
        let words: Vec<&str> = list.iter().map(|e| e.surface.as_str()).collect();
        return json!({ "w": keys.join(" "), "f": words.join(" "), "s": lens, "x": explicit, "d": dfs });
    }
    json!({ "w": keys.join(" "), "s": lens, "x": explicit, "d": dfs })
}

/// A vocabulary shard to make: its number, its range, its extra lists.
type VocabPart = (usize, (usize, usize), Option<serde_json::Map<String, Value>>);

/// Cuts sorted (key, entry) pairs into shards of about `target` bytes (a
/// key is never split; where [`Cuts::vocab`] says), writes each to the
/// file its bound names ([`shard_file`]), returns the bounds.
/// `extra(bounds)` gives, per shard, a compact text to store as its `c`
/// (`v/`: the completion lists, see [`completion_lists`]).
fn vocab_shards(
    sorted: &[(String, &VocabEntry)],
    dir: &str,
    target: usize,
    files: &mut Vec<(PathBuf, String)>,
    reuse: Option<&mut Reuse>,
    extra: impl Fn(&[String]) -> BTreeMap<usize, serde_json::Map<String, Value>>,
) -> Vec<String> {
    let shards = vocab_cuts(sorted, Cuts::vocab(target));
    let bounds: Vec<String> = shards
        .iter()
        .map(|&(a, _)| short_bound((a > 0).then(|| sorted[a - 1].0.as_str()), &sorted[a].0))
        .collect();
    let mut extra = extra(&bounds);
    let mut parts: Vec<VocabPart> = shards
        .iter()
        .enumerate()
        .map(|(i, &s)| (i, s, extra.remove(&i)))
        .collect();
    if let Some(reuse) = reuse {
        // A shard's bytes depend on its keys, entries (surface, stem, df
        // class) and extra lists only.
        let keys: Vec<u64> = parts
            .par_iter()
            .map(|(i, (a, b), x)| {
                use std::hash::Hasher;
                let mut h = reuse_hasher();
                hash_str(&mut h, &bounds[*i]);
                for (key, e) in &sorted[*a..*b] {
                    hash_str(&mut h, key);
                    hash_str(&mut h, &e.surface);
                    hash_str(&mut h, &e.stem);
                    h.write_u32(df_class(e.df));
                }
                hash_str(
                    &mut h,
                    &x.as_ref()
                        .map(|x| Value::Object(x.clone()).to_string())
                        .unwrap_or_default(),
                );
                h.finish()
            })
            .collect();
        let mut keys = keys.into_iter();
        parts.retain(|(i, _, _)| {
            let k = keys.next().unwrap_or_default();
            reuse.must_make(&shard_file(dir, &bounds[*i]).0, k)
        });
    }
    let made: Vec<(PathBuf, String)> = parts
        .into_par_iter()
        .map(|(i, (a, b), x)| {
            let keys: Vec<&str> = sorted[a..b].iter().map(|x| x.0.as_str()).collect();
            let list: Vec<&VocabEntry> = sorted[a..b].iter().map(|x| x.1).collect();
            let mut data = vocab_json(&keys, &list, dir);
            for (k, v) in x.into_iter().flatten() {
                data[k] = v;
            }
            let (path, name) = shard_file(dir, &bounds[i]);
            (path, register_js(&name, &data))
        })
        .collect();
    files.extend(made);
    bounds
}

/// The shards (ranges of `sorted`) of a vocabulary kind: a key is never
/// split; a key's bytes are its length and 3 for each of its entries.
fn vocab_cuts(sorted: &[(String, &VocabEntry)], cuts: Cuts) -> Vec<(usize, usize)> {
    let mut shards: Vec<(usize, usize)> = Vec::new();
    let (mut start, mut size) = (0usize, 0usize);
    let mut stems = Stems::new();
    let mut k = 0;
    while k < sorted.len() {
        let key = &sorted[k].0;
        let n = sorted[k..].iter().take_while(|x| x.0 == *key).count();
        let bytes = n * (key.len() + 3);
        size += bytes;
        k += n;
        if k < sorted.len() && cuts.after(key, bytes, size) && stems.take(key, &sorted[k].0) {
            shards.push((start, k));
            (start, size) = (k, 0);
        }
    }
    if start < sorted.len() {
        shards.push((start, sorted.len()));
    }
    shards
}

/// search-engine.js's shardIndex: the last shard whose first key is <= key.
pub fn shard_index(bounds: &[String], key: &str) -> usize {
    bounds.partition_point(|b| b.as_str() <= key).saturating_sub(1)
}

/// The tag terms (`/imprimant/bloqu`, ords alone, sorted) by the `v/`
/// shard where their key after TAG_SEP falls (`imprimant/bloqu`), as
/// `{"t": [...], "p": [...]}`: a tag run starts with a query word's key
/// (the word as typed, without a final s, x or e), whose `v/` shard the
/// query loads to look the word up, so a tag costs no file of its own.
/// (In 1 KB `t/` shards of their own, 41 of the 181 keystrokes of
/// bench/queries.json loaded one more file for them.)
fn tag_lists(tags: &[(String, String)], bounds: &[String]) -> BTreeMap<usize, Value> {
    let mut by: BTreeMap<usize, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    for (t, p) in tags {
        let e = by.entry(shard_index(bounds, &t[TAG_SEP.len_utf8()..])).or_default();
        e.0.push(t);
        e.1.push(p);
    }
    by.into_iter()
        .map(|(i, (t, p))| (i, json!({ "t": t, "p": p })))
        .collect()
}

/// The completions of the prefixes whose words span several `v/` shards,
/// by the shard where the prefix falls (search-engine.js's `shardIndex`),
/// as compact text `prefix:stem,stem prefix:stem…`. The last word of a
/// query from PREFIX_MIN letters gets the completions of
/// [`crate::engine::completions`]; without these lists the browser would
/// load every shard of the prefix (17 for `imp` at 10,000 sheets) before
/// knowing which term shards it needs; with them, the word's own shard,
/// loaded anyway, says. Such a prefix is a proper prefix of the first key
/// `bounds[j]` of the next shard (and not below `bounds[j - 1]`), so the
/// candidates are the prefixes of the bounds.
fn completion_lists(entries: &[VocabEntry], bounds: &[String]) -> BTreeMap<usize, String> {
    // Each bound's prefixes go to one shard's text: bounds on every core.
    let texts: Vec<(usize, String)> = (1..bounds.len())
        .into_par_iter()
        .filter_map(|j| {
            let b = &bounds[j];
            let mut text = String::new();
            for (i, _) in b.char_indices().skip(PREFIX_MIN) {
                let q = &b[..i];
                // Below bounds[j - 1], the prefix falls in an earlier shard.
                if q < bounds[j - 1].as_str() {
                    continue;
                }
                let start = entries.partition_point(|e| e.surface.as_str() < q);
                if q.chars().count() == PREFIX_MIN && entries.get(start).is_some_and(|e| e.surface == q) {
                    // A known word of PREFIX_MIN letters: not completed.
                    continue;
                }
                let len = entries[start..].partition_point(|e| e.surface.starts_with(q));
                let list = crate::engine::completions(&entries[start..start + len], q);
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(q);
                text.push(':');
                text.push_str(&list.join(","));
            }
            (!text.is_empty()).then_some((j - 1, text))
        })
        .collect();
    texts.into_iter().collect()
}

/// The re-/ré- forms of the stems of each `v/` shard's words
/// (`engine::re_forms`), by shard, as compact text `stem:form,form …`
/// (`e`): a query word's own shard, loaded anyway, says which forms it
/// also matches, so the rule costs no file. Only stems with forms.
fn again_lists(
    entries: &[VocabEntry],
    bounds: &[String],
    forms: &BTreeMap<&str, Vec<String>>,
) -> BTreeMap<usize, String> {
    let mut by: BTreeMap<usize, BTreeMap<&str, &Vec<String>>> = BTreeMap::new();
    for e in entries {
        if let Some(f) = forms.get(e.stem.as_str()) {
            by.entry(shard_index(bounds, &e.surface))
                .or_default()
                .insert(e.stem.as_str(), f);
        }
    }
    by.into_iter()
        .map(|(i, m)| {
            let text: Vec<String> = m.into_iter().map(|(s, f)| format!("{s}:{}", f.join(","))).collect();
            (i, text.join(" "))
        })
        .collect()
}

/// Separates the runs of a `v/` shard's `b` ([`term_runs`]).
pub const RUN_SEP: char = '|';

/// Where the range `t/` shards of a `v/` shard's stems are (`b`), by shard:
/// the stems of its words, of its completions (`c`), of its re-/ré- forms
/// (`e`) and of the synonym surfaces that fall in it (the manifest's
/// `syn.surfaces`), but a group's one-word stem (in its group's word
/// shard), as runs of consecutive term shard bounds, each run front-coded
/// and ending with the bound of the shard after its last ("" past the last
/// shard), runs split by [`RUN_SEP`]. A query loads its words' `v/` shards
/// anyway, so the manifest, which every query loads, carries no term bound
/// (5.6 KB of 16.2 at 10,000 sheets, weight26); `b/` has them all by
/// first char ([`term_chunks`]), for a stem in no run loaded (a typo's
/// candidates). Runs less than
/// three shards apart are one run: a bound costs less than a run.
fn term_runs(
    entries: &[VocabEntry],
    vbounds: &[String],
    tbounds: &[String],
    syn: &Synonyms,
    completions: &BTreeMap<usize, String>,
    agains: &BTreeMap<usize, String>,
) -> BTreeMap<usize, String> {
    if tbounds.is_empty() {
        return BTreeMap::new();
    }
    let grouped: std::collections::BTreeSet<&str> = syn
        .groups
        .iter()
        .flatten()
        .filter(|ph| ph.len() == 1)
        .map(|ph| ph[0].as_str())
        .collect();
    let mut need: BTreeMap<usize, std::collections::BTreeSet<usize>> = BTreeMap::new();
    let mut put = |i: usize, stem: &str| {
        if !grouped.contains(stem) && !stem.contains(PHRASE_SEP) {
            need.entry(i).or_default().insert(shard_index(tbounds, stem));
        }
    };
    for e in entries {
        put(shard_index(vbounds, &e.surface), &e.stem);
    }
    for (k, stems) in &syn.surfaces {
        for stem in stems {
            put(shard_index(vbounds, k), stem);
        }
    }
    // The compact texts: `prefix:stem,stem …` and `stem:form,form …`.
    for (&i, text) in completions.iter().chain(agains) {
        for item in text.split(' ') {
            for stem in item.split_once(':').map(|x| x.1).unwrap_or_default().split(',') {
                put(i, stem);
            }
        }
    }
    need.into_iter()
        .map(|(i, set)| {
            let mut runs: Vec<(usize, usize)> = Vec::new();
            for j in set {
                match runs.last_mut() {
                    Some(r) if j <= r.1 + 3 => r.1 = j,
                    _ => runs.push((j, j)),
                }
            }
            let text: Vec<String> = runs
                .into_iter()
                .map(|(a, z)| {
                    let mut keys = tbounds[a..=z].to_vec();
                    keys.push(tbounds.get(z + 1).cloned().unwrap_or_default());
                    front_code(&keys)
                })
                .collect();
            (i, text.join(&RUN_SEP.to_string()))
        })
        .collect()
}

/// The range `t/` bounds by the first char of the stems they hold
/// (`b/k<code point>.js`, `"b:<code point>"`, `{"b": run}`): one run of
/// [`term_runs`]'s form, from the last bound not above the char to the
/// first bound of a later char, so that it gives the shard of every stem
/// starting with that char. A stem in no run of the `v/` shards loaded (a
/// typo's candidate, rarely: 3 of the 16 demo typos at 10,000 sheets)
/// costs its char's file (0.3 KB; 0.6 at most), found from the stem
/// alone; the whole list, in `bounds.js` until bnd29, cost every typo
/// 5.6 KB. One file for each first char of a stem: a known stem always
/// has its own.
fn term_chunks(entries: &[VocabEntry], tbounds: &[String]) -> Vec<(PathBuf, String)> {
    if tbounds.is_empty() {
        return Vec::new();
    }
    let chars: std::collections::BTreeSet<char> = entries.iter().filter_map(|e| e.stem.chars().next()).collect();
    chars
        .into_iter()
        .map(|ch| {
            let range = bounds_of_char(tbounds, ch);
            let mut keys = tbounds[range.clone()].to_vec();
            keys.push(tbounds.get(range.end).cloned().unwrap_or_default());
            let (path, name) = shard_file("b", &u32::from(ch).to_string());
            (path, register_js(&name, &json!({ "b": front_code(&keys) })))
        })
        .collect()
}

/// The shard bounds (sorted, the first empty) that a key starting with
/// `ch` may fall under: from the last one not above `ch` to the last
/// starting with it. Never empty: the bound at its start starts with a
/// char up to `ch`.
fn bounds_of_char(bounds: &[String], ch: char) -> std::ops::Range<usize> {
    let lo = shard_index(bounds, ch.encode_utf8(&mut [0; 4]));
    let hi = bounds.partition_point(|b| b.chars().next().is_none_or(|f| f <= ch));
    lo..hi
}

/// The chars with a file of `r/` bounds of their own (`b/kr<char>.js`,
/// `"b:r<char>"`); any other char's are in `b/kr-.js` (`"b:r-"`). Every one
/// is written, empty or not, so that search-fuzzy.js knows the file of a
/// typo's last char without a list.
pub const SUFFIX_RUN_CHARS: &str = "0123456789abcdefghijklmnopqrstuvwxyz";

/// The name of the `b/` file of `r/` bounds for keys starting with `ch`.
pub fn suffix_run_name(ch: char) -> String {
    if SUFFIX_RUN_CHARS.contains(ch) {
        format!("r{ch}")
    } else {
        "r-".to_string()
    }
}

/// The `r/` bounds by the first char of the keys (a typo's last letter):
/// `{"r": bounds, "l": SUFFIX_LONG}` in `b/kr<char>.js`, the bounds from the
/// last one not above the char to the last starting with it, so that
/// search-engine.js's shardIndex on them finds the shard of every key
/// starting with that char ([`SUFFIX_RUN_CHARS`]'s, the others' together:
/// a union of such runs works as well). A char no key starts with has none.
/// In `bounds.js`, 975 bounds would cost every long typo 5.6 KB.
fn suffix_runs(sorted: &[(String, &VocabEntry)], bounds: &[String]) -> Vec<(PathBuf, String)> {
    let mut by: BTreeMap<String, Vec<String>> = SUFFIX_RUN_CHARS
        .chars()
        .chain(['-'])
        .map(|c| (suffix_run_name(c), Vec::new()))
        .collect();
    let mut chars: Vec<char> = sorted.iter().filter_map(|x| x.0.chars().next()).collect();
    chars.dedup();
    for ch in chars {
        by.entry(suffix_run_name(ch))
            .or_default()
            .extend(bounds[bounds_of_char(bounds, ch)].iter().cloned());
    }
    by.into_iter()
        .map(|(name, mut list)| {
            list.sort();
            list.dedup();
            let (path, name) = shard_file("b", &name);
            (
                path,
                register_js(&name, &json!({ "r": front_code(&list), "l": SUFFIX_LONG })),
            )
        })
        .collect()
}

/// The in-memory form of the browser index, used by the writer and by
/// tests that cross-check the JS engine.
pub struct BrowserIndex {
    pub files: Vec<(PathBuf, String)>,
    pub terms: usize,
    pub docs: usize,
}

/// Builds all files (relative paths under `search/`) without writing them.
pub fn build_browser_index(cfg: &SearchConfig, docs: &[SearchDoc]) -> Result<BrowserIndex, Error> {
    let mut files = Files::default();
    let (terms, docs) = build_into(cfg, docs, &mut files)?;
    let mut files = files.list;
    files.sort();
    Ok(BrowserIndex { files, terms, docs })
}

/// How [`write_browser_index_with`] puts one file: its path relative to
/// the output folder (`search/…`) and its bytes.
pub type PutFile<'a> = dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync + 'a;

/// The files of the index as they are made: kept (`build_browser_index`),
/// or written a batch at a time and dropped (`write_browser_index`), so
/// that the whole index is never in memory at once (mem13's note: about
/// 190 MB at 50,000 sheets).
#[derive(Default)]
struct Files<'a> {
    list: Vec<(PathBuf, String)>,
    put: Option<&'a PutFile<'a>>,
    stats: BrowserIndexStats,
    /// Raw and gzip bytes of the files whose gzip size was measured (see
    /// [`GZIP_EXACT_FILES`]).
    gz_sample: (u64, u64),
    /// Raw bytes and estimated gzip bytes of the files made beside these
    /// ([`Files::merge`]), each set scaled by its own sample: `d/` texts
    /// are deflated already, and a sample of both kinds mixed in other
    /// proportions than the whole would move the estimate.
    merged: (u64, u64),
}

/// The build summary's gzip figure: every file of the first 512, then one
/// in 8, the total scaled by the sample's ratio. Gzipping every file only
/// for that figure was 2–3 % of a 10,000-sheet build's CPU (the `d/`
/// texts are deflated already: gzip takes 10 % off, whatever the file).
const GZIP_EXACT_FILES: usize = 512;
const GZIP_ONE_IN: usize = 8;

fn gzip_sampled(nth: usize) -> bool {
    nth < GZIP_EXACT_FILES || nth.is_multiple_of(GZIP_ONE_IN)
}

impl Files<'_> {
    /// Writes what was made since the last flush, in parallel.
    fn flush(&mut self) -> Result<(), Error> {
        let Some(put) = self.put else {
            return Ok(());
        };
        let first = self.stats.files;
        let sizes = std::mem::take(&mut self.list)
            .into_par_iter()
            .enumerate()
            .map(|(i, (rel, content))| {
                let rel = format!("search/{}", rel.to_string_lossy());
                put(&rel, content.as_bytes()).map_err(|e| Error::io(Path::new(&rel), e))?;
                let gz = gzip_sampled(first + i).then(|| gzip_len(content.as_bytes()));
                Ok((content.len() as u64, gz))
            })
            .collect::<Result<Vec<(u64, Option<u64>)>, Error>>()?;
        self.stats.files += sizes.len();
        self.stats.total_bytes += sizes.iter().map(|s| s.0).sum::<u64>();
        for (raw, gz) in sizes {
            if let Some(gz) = gz {
                self.gz_sample.0 += raw;
                self.gz_sample.1 += gz;
            }
        }
        Ok(())
    }

    /// Takes in the files and counts of `other`, made beside these.
    fn merge(&mut self, mut other: Files) {
        self.list.append(&mut other.list);
        let theirs = other.finish();
        self.stats.files += theirs.files;
        self.merged.0 += theirs.total_bytes;
        self.merged.1 += theirs.total_gzip_bytes;
    }

    /// The stats, with the gzip total estimated from the sample (exact
    /// when every file was measured).
    fn finish(self) -> BrowserIndexStats {
        let (raw, gz) = self.gz_sample;
        let own = match raw {
            0 => 0,
            _ => (u128::from(self.stats.total_bytes) * u128::from(gz) / u128::from(raw)) as u64,
        };
        BrowserIndexStats {
            total_gzip_bytes: own + self.merged.1,
            total_bytes: self.stats.total_bytes + self.merged.0,
            ..self.stats
        }
    }
}

/// Makes the index's files into `files`, flushing it after each step;
/// returns the number of terms and documents.
fn build_into(cfg: &SearchConfig, docs: &[SearchDoc], files: &mut Files) -> Result<(usize, usize), Error> {
    let order = doc_order(docs);
    // The `d/` and `x/` files need the documents only: made beside the
    // analysis and the term and vocabulary shards, whose steps that run on
    // one core (cuts, bundles, vocabulary lists) left the other idle once
    // the pages were written (speed23). Files of their own, merged after.
    let mut doc_files_made = Files {
        put: files.put,
        ..Files::default()
    };
    let (terms, documents) = rayon::join(
        || -> Result<usize, Error> {
            let mut lap = Laps::new();
            let analyzer = Analyzer::new(cfg);
            let mut c = collect_docs(&analyzer, docs, &order, true);
            lap.lap("analyze and collect");
            let build = fingerprint(cfg, docs);
            assemble_into(docs, &order, None, &analyzer, &mut c, build, files, None, |_| Ok(()))
        },
        || -> Result<(), Error> {
            let mut lap = Laps::new();
            for (g, group) in order.chunks(DOC_GROUP).enumerate() {
                doc_files_made.list.extend(doc_group(docs, group, g * DOC_GROUP));
                doc_files_made.flush()?;
            }
            lap.lap("d/ and x/ files (beside the rest)");
            Ok(())
        },
    );
    let n_terms = terms?;
    documents?;
    files.merge(doc_files_made);
    Ok((n_terms, docs.len()))
}

/// Every file of the index from what was collected and the documents'
/// `d/` and `x/` files (`blocks`, those that changed), kept in memory:
/// `serve`'s [`crate::live::LiveIndex`] path. It shares [`assemble_into`]
/// with [`build_browser_index`], so that both give the same bytes. `build`
/// is the manifest's build id ([`crate::fingerprint`]): serve's `docs`
/// may lack the text of documents it analysed before. `ranks`: the rank
/// by id of each number, when the numbers are not a full build's ords
/// (see [`term_shards`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn assemble(
    docs: &[SearchDoc],
    order: &[usize],
    ranks: Option<&[u32]>,
    analyzer: &Analyzer,
    mut c: Collected,
    blocks: Vec<(PathBuf, String)>,
    build: u64,
    reuse: Option<&mut Reuse>,
) -> BrowserIndex {
    let mut files = Files {
        list: blocks,
        ..Files::default()
    };
    // Without a writer, flushing does nothing and cannot fail.
    let terms = assemble_into(docs, order, ranks, analyzer, &mut c, build, &mut files, reuse, |_| {
        Ok(())
    })
    .expect("an index kept in memory writes nothing");
    let mut files = files.list;
    files.sort();
    BrowserIndex {
        files,
        terms,
        docs: docs.len(),
    }
}

/// The term, vocabulary, document (through `documents`, which adds the
/// `d/` and `x/` files), facet, manifest and bounds files, flushed after
/// each step; returns the number of terms. The term shards consume the
/// postings: never both in memory.
#[allow(clippy::too_many_arguments)]
fn assemble_into(
    docs: &[SearchDoc],
    order: &[usize],
    ranks: Option<&[u32]>,
    analyzer: &Analyzer,
    c: &mut Collected,
    build: u64,
    files: &mut Files,
    mut reuse: Option<&mut Reuse>,
    documents: impl FnOnce(&mut Files) -> Result<(), Error>,
) -> Result<usize, Error> {
    let mut lap = Laps::new();
    let syn = synonym_shards(analyzer.synonyms(), c);
    let n_terms = c.postings.len();
    let prefixes = prefix_terms(&c.vocab);
    let mut tags = Vec::new();
    let (terms, bundled) = term_shards(
        std::mem::take(&mut c.postings),
        ranks,
        c,
        &syn,
        &mut files.list,
        &prefixes,
        &mut tags,
        reuse.as_deref_mut(),
    );
    drop(prefixes);
    files.flush()?;
    lap.lap("term shards");
    // Each stem's re-/ré- forms (engine::re_forms), for the `v/` shards.
    // One core for this step was most of the index's time once the pages
    // were written: each stem's lookups run on every core (speed23).
    let mut stems: Vec<&str> = c.vocab.entries.iter().map(|e| e.stem.as_str()).collect();
    stems.par_sort_unstable();
    stems.dedup();
    let again: BTreeMap<&str, Vec<String>> = stems
        .into_par_iter()
        .map(|s| (s, crate::engine::re_forms(analyzer, &c.vocab, s)))
        .filter(|(_, f)| !f.is_empty())
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    let bounds = vocab_files(
        &c.vocab.entries,
        &tags,
        &again,
        (&terms, analyzer.synonyms(), &bundled),
        &mut files.list,
        reuse,
    );
    files.flush()?;
    lap.lap("vocabulary shards");
    documents(files)?;
    let facets = doc_files(docs, order, &mut files.list);
    lap.lap("document files");
    let manifest = manifest(build, analyzer, c, &bounds, &facets, &syn);
    files.list.push((
        PathBuf::from("manifest.js"),
        register_js("manifest", &pack_manifest(manifest)),
    ));
    files.list.extend(term_chunks(&c.vocab.entries, &bounds.terms));
    // Only a word that is not in the vocabulary needs the typo lists: a
    // long one `f/` and `r/` (`bounds.js`), and `g/` with a digit; a short
    // one `s/`. Apart, a typo loads only its own (0.7 KB less at 10,000
    // sheets for a long word without a digit, 2.3 KB for a short word).
    // (`r/`'s bounds are in `b/` by char, [`suffix_runs`].)
    let typo_bounds = json!({ "fvocab": front_code(&bounds.fvocab) });
    files
        .list
        .push((PathBuf::from("bounds.js"), register_js("bounds", &typo_bounds)));
    for (key, list) in [("short", &bounds.short), ("gvocab", &bounds.gvocab)] {
        let (path, name) = shard_file("b", &key[..1]);
        files
            .list
            .push((path, register_js(&name, &json!({ key: front_code(list) }))));
    }
    files.flush()?;
    lap.lap("manifest");
    Ok(n_terms)
}

/// Step timings of the index on stderr when `FICHES_TIMINGS` is set (as
/// `fiches build`'s phases), to see which step grows with the corpus.
pub(crate) struct Laps {
    on: bool,
    t: std::time::Instant,
    cpu: f64,
}

impl Laps {
    pub(crate) fn new() -> Laps {
        Laps {
            on: std::env::var_os("FICHES_TIMINGS").is_some(),
            t: std::time::Instant::now(),
            cpu: process_cpu_seconds().unwrap_or(0.0),
        }
    }

    pub(crate) fn lap(&mut self, what: &str) {
        let cpu = process_cpu_seconds().unwrap_or(0.0);
        if self.on {
            eprintln!(
                "[timing]   search index, {what}: {:.1} ms (process CPU {:.2} s)",
                self.t.elapsed().as_secs_f64() * 1e3,
                cpu - self.cpu
            );
        }
        self.t = std::time::Instant::now();
        self.cpu = cpu;
    }
}

/// User + system CPU seconds of this process so far, all threads (Linux):
/// timings on a loaded machine say little, CPU seconds still compare.
pub fn process_cpu_seconds() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (in parentheses, may hold spaces):
    // utime and stime are the 12th and 13th, in clock ticks of 1/100 s.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut f = rest.split(' ').skip(11);
    let user: f64 = f.next()?.parse().ok()?;
    let sys: f64 = f.next()?.parse().ok()?;
    Some((user + sys) / 100.0)
}

/// The first key of every shard, per kind of shard, for the manifest.
#[derive(Default)]
struct ShardBounds {
    terms: Vec<String>,
    vocab: Vec<String>,
    fvocab: Vec<String>,
    gvocab: Vec<String>,
    short: Vec<String>,
}

/// Synonym terms and their shards. A query that names a concept gets the
/// group's other phrases as alternatives, so they are loaded together:
/// - the stems of a group's one-word phrases (`wif`, `wlan`) share its
///   *word shard*, `t/<range shards + g>.js` for group g;
/// - the phrase terms of its phrases of several words (`reseau_fil`) share
///   its *phrase shard*, `t/<range shards + groups + g>.js`: a query that
///   types the phrase itself (`mot de passe`) needs none of them, only a
///   query that names the concept otherwise (`mdp`);
/// - the stems of the words of a phrase of several words (`reseau`, `fil`)
///   stay in their range shards: they are only needed when typed.
///
/// A term of several groups goes with the first. The manifest lists the
/// groups without a word shard (`noshard`) and without a phrase shard
/// (`nophrase`: none of their terms in the corpus), so that the browser
/// loads nothing for them; a term with PHRASE_SEP outside every group is in
/// no shard. search-engine.js's `termShards` walks the groups in this order.
struct SynonymShards<'a> {
    word_of: BTreeMap<&'a str, usize>,
    phrase_of: BTreeMap<&'a str, usize>,
    groups: usize,
    noshard: Vec<usize>,
    nophrase: Vec<usize>,
}

fn synonym_shards<'a>(syn: &'a Synonyms, c: &Collected) -> SynonymShards<'a> {
    let mut word_of = BTreeMap::new();
    let mut phrase_of = BTreeMap::new();
    let sep = PHRASE_SEP.to_string();
    for (g, group) in syn.groups.iter().enumerate() {
        for ph in group {
            if ph.len() == 1 {
                if c.postings.contains_key(&ph[0]) {
                    word_of.entry(ph[0].as_str()).or_insert(g);
                }
                continue;
            }
            for term in syn.phrases.get(&ph.join(&sep)).into_iter().flatten().flatten() {
                if c.postings.contains_key(term) {
                    phrase_of.entry(term.as_str()).or_insert(g);
                }
            }
        }
    }
    let without = |of: &BTreeMap<&str, usize>| {
        let with: std::collections::BTreeSet<usize> = of.values().copied().collect();
        (0..syn.groups.len()).filter(|g| !with.contains(g)).collect()
    };
    SynonymShards {
        noshard: without(&word_of),
        nophrase: without(&phrase_of),
        word_of,
        phrase_of,
        groups: syn.groups.len(),
    }
}

/// A term's postings as the browser reads them: an exact title term by its
/// ords alone ([`encode_ords`]), any other with its impact level
/// ([`encode_postings`]). A phrase term in some title is followed by its
/// *title marker*, the term and EXACT_SEP (`reseau_fil.`), listing those
/// titles: a word's title flag is the union of its exact title terms (each
/// title word has one), a phrase term has none.
fn title_markers(term: String, list: Vec<(u32, u16)>) -> Vec<(String, String)> {
    if term.contains(EXACT_SEP) || term.starts_with(TAG_SEP) {
        return vec![(term, encode_ords(&list))];
    }
    let mut out = vec![];
    if term.contains(PHRASE_SEP) {
        let titled: Vec<(u32, u16)> = list.iter().copied().filter(|p| p.1 & TITLE_FLAG != 0).collect();
        if !titled.is_empty() {
            out.push((format!("{term}{EXACT_SEP}"), encode_ords(&titled)));
        }
    }
    let summed: Vec<(u32, u16)> = list.iter().copied().filter(|p| p.1 & SUMMARY_FLAG != 0).collect();
    if !summed.is_empty() {
        out.push((summary_marker(&term), encode_ords(&summed)));
    }
    out.insert(0, (term, encode_postings(&list)));
    out
}

/// The summary marker of `term` (`params::SUMMARY_MARK`).
pub fn summary_marker(term: &str) -> String {
    format!("{term}{EXACT_SEP}{SUMMARY_MARK}")
}

/// Which row of [`title_markers`] `row` is for `term`: 0 the term, 1 its
/// title marker, 2 its summary marker.
fn marker_kind(term: &str, row: &str) -> usize {
    match row.strip_prefix(term) {
        Some("") => 0,
        Some(r) if r.ends_with(SUMMARY_MARK) => 2,
        _ => 1,
    }
}

/// The lengths of the rows [`title_markers`] makes of `list` (a
/// marker's 0 when there is none), without making them: the term's, its
/// title marker's, its summary marker's.
fn title_marker_lens(term: &str, list: &[(u32, u16)]) -> [usize; 3] {
    let varint = |v: u32| 1 + (32 - v.leading_zeros() as usize).saturating_sub(1) / 5;
    let ords = |it: &mut dyn Iterator<Item = u32>| {
        let mut prev = 0;
        it.map(|o| {
            let n = varint(o - prev);
            prev = o;
            n
        })
        .sum::<usize>()
    };
    if term.contains(EXACT_SEP) || term.starts_with(TAG_SEP) {
        return [ords(&mut list.iter().map(|p| p.0)), 0, 0];
    }
    let mut prev = 0;
    let main = list
        .iter()
        .map(|&(o, q)| {
            let n = varint((o - prev) * 8 + ((q & LEVEL_MASK) as u32 >> 6)) + 1;
            prev = o;
            n
        })
        .sum();
    let marker = match term.contains(PHRASE_SEP) {
        true => ords(&mut list.iter().filter(|p| p.1 & TITLE_FLAG != 0).map(|p| p.0)),
        false => 0,
    };
    let summary = ords(&mut list.iter().filter(|p| p.1 & SUMMARY_FLAG != 0).map(|p| p.0));
    [main, marker, summary]
}

/// Serve's live index ([`crate::live::LiveIndex`]): what each term and
/// vocabulary shard it wrote was made from (a hash of its rows), so that a
/// shard whose rows did not change is neither made, hashed nor compared
/// again: a save changes 10 to 100 of about 2,200 such files at 10,000
/// sheets, and making them all took most of its index update. A full
/// build has none and makes every file.
#[derive(Default)]
pub(crate) struct Reuse {
    /// The shard files written, by the hash of their rows (only those
    /// still as written).
    pub(crate) made: std::collections::HashMap<PathBuf, u64>,
    /// This update's, for every shard file.
    pub(crate) next: std::collections::HashMap<PathBuf, u64>,
    /// The shard files not made again: their rows are those written.
    pub(crate) carried: Vec<PathBuf>,
    /// The postings, lent to the term shards and given back (the live
    /// index keeps them: no copy of 22 MB at each save).
    pub(crate) lists: Vec<(String, PostingList)>,
    /// The live index's id of each term of the postings, in their order,
    /// and the rows kept of each ([`TermRows`]), lent and given back.
    pub(crate) term_ids: Vec<u32>,
    pub(crate) terms: TermRows,
    /// Terms whose rows were computed, not taken from `terms`.
    pub(crate) computed: usize,
}

/// Serve's rows of each term (keys and sizes, not their text), kept from
/// one update to the next by the live index's term id, so that an update
/// computes the levels of the terms whose postings changed only, not of
/// the 2.3 million postings of a 10,000-sheet site. A term's levels also
/// depend on the mean field lengths, which a save moves: each entry keeps
/// the means it was computed with (`epoch`) and how far they may move
/// before a level of the term can change ([`crate::corpus::impact_margin`]);
/// past that, the term's rows are computed again. The live index forgets
/// the entries of the terms whose postings it patched, and every entry
/// when it numbers the documents again.
#[derive(Default)]
pub(crate) struct TermRows {
    /// By term id; `epoch == NO_EPOCH`: none kept. 24 bytes a term: the
    /// table is held all along (2.5 MiB at 10,000 sheets, not 5.1).
    rows: Vec<Kept>,
    /// The keys and sizes of the marker rows, of the terms that have
    /// some (a term of a title or a summary, a few of them).
    markers: std::collections::HashMap<u32, [(u64, u32); 2]>,
    /// The mean field lengths of each epoch.
    epochs: Vec<[f64; NF]>,
    /// The ranks the sizes were computed with (see [`term_shards`]).
    ranks: Option<Vec<u32>>,
}

/// An entry of [`TermRows`]: its term's row, the epoch and margin, and
/// whether it has marker rows.
#[derive(Clone, Copy)]
struct Kept {
    key: u64,
    size: u32,
    /// The margin, rounded down.
    margin: f32,
    epoch: u16,
    markers: bool,
}

/// A term's rows as [`term_rows`] gives them, their epoch and margin.
#[derive(Clone, Copy)]
struct KeptRows {
    /// Key and size of the term's row, its title marker's and its
    /// summary marker's (size 0: no such row).
    keys: [u64; 3],
    sizes: [u32; 3],
    epoch: u16,
    /// [`crate::corpus::impact_margin`]'s least over the term's postings.
    margin: f64,
}

const NO_EPOCH: u16 = u16::MAX;

/// `x` (at least 0) as an f32 no larger.
fn f32_below(x: f64) -> f32 {
    let m = x as f32;
    match f64::from(m) > x {
        true => f32::from_bits(m.to_bits() - 1),
        false => m,
    }
}

/// How much larger than a move of the mean lengths a margin must be: far
/// above the rounding of the weights (1e-15) and `level_of`'s exact band
/// around a step (1e-9).
const MARGIN_SLACK: f64 = 1e-7;

impl TermRows {
    /// Bytes held (for `FICHES_TIMINGS`).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<Kept>()
            + self.markers.capacity() * (std::mem::size_of::<(u32, [(u64, u32); 2])>() + 1)
            + self.epochs.capacity() * 8 * NF
    }

    /// Forgets the rows of `ids` (their postings changed).
    pub(crate) fn forget(&mut self, ids: impl IntoIterator<Item = u32>) {
        for id in ids {
            if let Some(k) = self.rows.get_mut(id as usize) {
                k.epoch = NO_EPOCH;
            }
        }
    }

    /// Made ready for the means `avg` and `ranks`: the number of the
    /// current epoch and how far `avg` is from each epoch's.
    fn prepare(&mut self, avg: &[f64; NF], ranks: Option<&[u32]>) -> (u16, Vec<f64>) {
        if self.ranks.as_deref() != ranks {
            // Every size may change with the ranks.
            self.rows.clear();
            self.markers.clear();
            self.epochs.clear();
            self.ranks = ranks.map(<[u32]>::to_vec);
        }
        if self.epochs.len() >= 64 {
            // Only the epochs still used stay.
            let mut used = vec![NO_EPOCH; self.epochs.len()];
            let mut epochs = Vec::new();
            for k in self.rows.iter_mut().filter(|k| k.epoch != NO_EPOCH) {
                let e = &mut used[k.epoch as usize];
                if *e == NO_EPOCH {
                    *e = epochs.len() as u16;
                    epochs.push(self.epochs[k.epoch as usize]);
                }
                k.epoch = *e;
            }
            self.epochs = epochs;
        }
        let epoch = match self.epochs.iter().position(|e| e == avg) {
            Some(e) => e as u16,
            None => {
                self.epochs.push(*avg);
                (self.epochs.len() - 1) as u16
            }
        };
        let moved = self
            .epochs
            .iter()
            .map(|e| {
                (0..NF)
                    .map(|f| match e[f] == avg[f] {
                        true => 0.0,
                        // NaN (a zero mean) compares false below: recomputed.
                        false => (avg[f] / e[f]).ln().abs(),
                    })
                    .fold(
                        0.0,
                        |a: f64, b| if a.is_nan() || b.is_nan() { f64::NAN } else { a.max(b) },
                    )
            })
            .collect();
        (epoch, moved)
    }

    /// The rows kept for `id`, when its levels cannot have moved since.
    fn get(&self, id: u32, moved: &[f64]) -> Option<KeptRows> {
        let k = self.rows.get(id as usize)?;
        let m = *moved.get(k.epoch as usize)?;
        // NaN (a zero mean) compares false: computed again.
        (m + MARGIN_SLACK < f64::from(k.margin)).then_some(())?;
        let [a, b] = match k.markers {
            true => *self.markers.get(&id)?,
            false => [(0, 0); 2],
        };
        Some(KeptRows {
            keys: [k.key, a.0, b.0],
            sizes: [k.size, a.1, b.1],
            epoch: k.epoch,
            margin: f64::from(k.margin),
        })
    }

    /// Room for the term ids below `n`: one allocation, not a vector
    /// doubled entry by entry (5 MB at 10,000 sheets).
    fn room(&mut self, n: usize) {
        if self.rows.len() < n {
            if self.rows.capacity() < n {
                self.rows.reserve_exact(n + n / 64 - self.rows.len());
            }
            self.rows.resize(
                n,
                Kept {
                    key: 0,
                    size: 0,
                    margin: 0.0,
                    epoch: NO_EPOCH,
                    markers: false,
                },
            );
        }
    }

    fn put(&mut self, id: u32, k: KeptRows) {
        self.room(id as usize + 1);
        let markers = k.sizes[1..].iter().any(|&s| s > 0);
        self.rows[id as usize] = Kept {
            key: k.keys[0],
            size: k.sizes[0],
            margin: f32_below(k.margin),
            epoch: k.epoch,
            markers,
        };
        match markers {
            true => self
                .markers
                .insert(id, [(k.keys[1], k.sizes[1]), (k.keys[2], k.sizes[2])]),
            false => self.markers.remove(&id),
        };
    }
}

impl Reuse {
    /// Whether the shard `path`, made of rows whose hash is `key`, must be
    /// made; if not, it is carried over.
    fn must_make(&mut self, path: &Path, key: u64) -> bool {
        self.next.insert(path.to_path_buf(), key);
        if self.made.get(path) == Some(&key) {
            self.carried.push(path.to_path_buf());
            return false;
        }
        true
    }
}

/// A hasher for [`Reuse`]'s keys (the same in every run of one binary).
fn reuse_hasher() -> std::collections::hash_map::DefaultHasher {
    std::collections::hash_map::DefaultHasher::new()
}

fn hash_str(h: &mut impl std::hash::Hasher, s: &str) {
    h.write(s.as_bytes());
    h.write_u8(0xff);
}

/// One row of a term shard: a term (or a title marker) and its encoded
/// postings. With [`Reuse`], the postings are encoded only when a shard
/// that holds the row is made, and a term borrows its list's (serve
/// makes a row of each of about 130,000 terms at every update of a
/// 10,000-sheet index: 64 bytes a row and no copy of the term keep that
/// transient small).
struct Row<'a> {
    term: Cow<'a, str>,
    post: Option<Box<str>>,
    /// A hash of the row's bytes (its term and the levels of its list),
    /// for [`Reuse`]; 0 without.
    key: u64,
    /// Its size in a full build.
    size: u32,
    /// Its list in `lists` (with [`Reuse`]), and which row of
    /// [`title_markers`] it is (0 the term, 1 its title marker, 2 its
    /// summary marker).
    list: u32,
    marker: u8,
}

/// Whether the rows of `term` are its ords alone, whatever its levels
/// (an exact title term or a tag term, see [`title_markers`]).
fn ords_only(term: &str) -> bool {
    term.contains(EXACT_SEP) || term.starts_with(TAG_SEP)
}

/// The rows of `term` kept in `k` ([`TermRows`]), as [`term_rows`] makes
/// them without encoding.
fn kept_rows<'a>(term: &'a str, k: &KeptRows, list: usize) -> Vec<Row<'a>> {
    let mut rows = Vec::with_capacity(1 + k.sizes[1..].iter().filter(|&&s| s > 0).count());
    for m in 0..3 {
        if m > 0 && k.sizes[m] == 0 {
            continue;
        }
        let t = match m {
            0 => Cow::Borrowed(term),
            1 => Cow::Owned(format!("{term}{EXACT_SEP}")),
            _ => Cow::Owned(summary_marker(term)),
        };
        rows.push(Row {
            term: t,
            post: None,
            key: k.keys[m],
            size: k.sizes[m],
            list: list as u32,
            marker: m as u8,
        });
    }
    rows
}

/// The rows [`title_markers`] makes of `term`'s postings `l`: encoded when
/// `encode`, else only their sizes and keys (`keyed`).
fn term_rows<'a>(
    term: Cow<'a, str>,
    l: Vec<(u32, u16)>,
    ranks: Option<&[u32]>,
    list: usize,
    encode: bool,
    keyed: bool,
) -> Vec<Row<'a>> {
    let sizes: Option<[usize; 3]> = match ranks {
        Some(r) => {
            let mut by_rank: Vec<(u32, u16)> = l.iter().map(|&(o, q)| (r[o as usize], q)).collect();
            // Out of order only where an added document is.
            if !by_rank.is_sorted_by_key(|p| p.0) {
                by_rank.sort_unstable_by_key(|p| p.0);
            }
            Some(title_marker_lens(&term, &by_rank))
        }
        None if !encode => Some(title_marker_lens(&term, &l)),
        None => None,
    };
    // Each step is a bijection of the state: two lists of one length
    // that differ in one posting never give the same key. A list of ords
    // alone has no levels in its bytes, nor in its key.
    let ords_only = ords_only(&term);
    let key = keyed.then(|| {
        let mut h = 0x243f_6a88_85a3_08d3u64 ^ l.len() as u64;
        for &(o, q) in &l {
            let q = if ords_only { 0 } else { q };
            h = (h ^ ((o as u64) << 16 | q as u64)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            h ^= h >> 29;
        }
        h
    });
    let row_key = |t: &str| {
        key.map_or(0, |k| {
            use std::hash::Hasher;
            let mut h = reuse_hasher();
            hash_str(&mut h, t);
            h.write_u64(k);
            h.finish()
        })
    };
    if encode {
        let rows = title_markers(term.to_string(), l);
        return rows
            .into_iter()
            .map(|(t, p)| {
                let k = marker_kind(&term, &t);
                Row {
                    key: row_key(&t),
                    size: sizes.map_or(p.len(), |s| s[k]) as u32,
                    term: Cow::Owned(t),
                    post: Some(p.into_boxed_str()),
                    list: list as u32,
                    marker: k as u8,
                }
            })
            .collect();
    }
    let sizes = sizes.unwrap_or_default();
    let mut rows = Vec::with_capacity(3);
    // `title_markers` makes a marker when the list has a posting in a
    // title (a summary): its size is then never 0.
    for (k, m) in [(1usize, format!("{term}{EXACT_SEP}")), (2, summary_marker(&term))] {
        if sizes[k] > 0 {
            rows.push(Row {
                key: row_key(&m),
                size: sizes[k] as u32,
                term: Cow::Owned(m),
                post: None,
                list: list as u32,
                marker: k as u8,
            });
        }
    }
    rows.insert(
        0,
        Row {
            key: row_key(&term),
            size: sizes[0] as u32,
            term,
            post: None,
            list: list as u32,
            marker: 0,
        },
    );
    rows
}

/// Term shards (`t/`): sorted stems and their encoded postings, cut where
/// [`Cuts::terms`] says (about TERM_SHARD_TARGET bytes), then the synonym
/// groups' word and phrase shards (see [`SynonymShards`]). Returns the
/// first key of every range shard.
///
/// The cuts, and so the prefix bundles, are a full build's whatever the
/// documents' numbers: a row's size depends on the gaps between the
/// numbers of its postings, and serve's live index numbers an added
/// document last and leaves a hole for a removed one. With `ranks` (the
/// rank by id of each number, a full build's ord), a row counts for the
/// size it has in a full build.
///
/// With `reuse` (serve), the impacts of every posting are still computed
/// (the average lengths move with every save, and a level may move with
/// them), but a row is encoded, and a shard made, only when the shard's
/// rows changed.
#[allow(clippy::too_many_arguments)]
fn term_shards(
    postings: BTreeMap<String, PostingList>,
    ranks: Option<&[u32]>,
    c: &Collected,
    syn: &SynonymShards,
    files: &mut Vec<(PathBuf, String)>,
    prefixes: &BTreeMap<String, Vec<String>>,
    tags: &mut Vec<(String, String)>,
    mut reuse: Option<&mut Reuse>,
) -> (Vec<String>, Vec<String>) {
    // The rows of an exact title term or a tag term are its ords alone:
    // no level is computed for them.
    let levels = |term: &str, list: &PostingList| -> Vec<(u32, u16)> {
        match ords_only(term) {
            true => list.iter().map(|(ord, _)| (ord, 0)).collect(),
            false => list
                .iter()
                .map(|(ord, tf)| (ord, impact(&tf, &c.stats.lengths[ord as usize], &c.stats.avglen)))
                .collect(),
        }
    };
    // The levels and the least margin of a list, as a log ([`TermRows`]).
    let levels_margin = |term: &str, list: &PostingList| -> (Vec<(u32, u16)>, f64) {
        if ords_only(term) {
            return (levels(term, list), f64::INFINITY);
        }
        let mut ratio = f64::INFINITY;
        let l = list
            .iter()
            .map(|(ord, tf)| {
                let (q, r) = impact_margin(&tf, &c.stats.lengths[ord as usize], &c.stats.avglen);
                ratio = ratio.min(r);
                (ord, q)
            })
            .collect();
        (l, ratio.ln())
    };
    // With reuse the lists stay for the rows encoded later; a full build
    // drops each list as soon as its rows are made (its peak).
    let mut lists: Vec<(String, PostingList)> = Vec::new();
    let mut lap = Laps::new();
    let mut encoded: Vec<Row> = if let Some(reuse) = reuse.as_deref_mut() {
        lists = postings.into_iter().collect();
        // Kept rows only with one id per list.
        let ids = (reuse.term_ids.len() == lists.len()).then_some(&reuse.term_ids[..]);
        let kept = &mut reuse.terms;
        let (epoch, moved) = kept.prepare(&c.stats.avglen, ranks);
        kept.room(ids.and_then(|ids| ids.iter().max()).map_or(0, |&m| m as usize + 1));
        let kept_ref = &*kept;
        // The margin of each term whose rows are computed here (the rows
        // are made flat: no vector per term, 88,000 of them at 10,000
        // sheets); KEPT: its rows were kept, TAG: a tag term's.
        const KEPT: u64 = u64::MAX;
        const TAG: u64 = u64::MAX - 1;
        let margins: Vec<std::sync::atomic::AtomicU64> = (0..lists.len())
            .map(|_| std::sync::atomic::AtomicU64::new(KEPT))
            .collect();
        let rows: Vec<Row> = lists
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, (term, list))| {
                // A tag term's rows are encoded at every update (`tags`).
                let tag = term.starts_with(TAG_SEP);
                let id = ids.map(|ids| ids[i]);
                if let Some(k) = id.filter(|_| !tag).and_then(|id| kept_ref.get(id, &moved)) {
                    return kept_rows(term, &k, i);
                }
                let (l, margin) = levels_margin(term, list);
                let m = if tag { TAG } else { margin.to_bits() };
                margins[i].store(m, std::sync::atomic::Ordering::Relaxed);
                term_rows(Cow::Borrowed(term), l, ranks, i, tag, true)
            })
            .collect();
        // Keep the rows computed (those of a term are next to each other).
        let mut computed = 0;
        let mut at = 0;
        while at < rows.len() {
            let i = rows[at].list as usize;
            let n = rows[at..].iter().take_while(|r| r.list as usize == i).count();
            let m = margins[i].load(std::sync::atomic::Ordering::Relaxed);
            if m != KEPT {
                computed += 1;
            }
            if let (Some(ids), false) = (ids, m == KEPT || m == TAG) {
                let mut k = KeptRows {
                    keys: [0; 3],
                    sizes: [0; 3],
                    epoch,
                    margin: f64::from_bits(m),
                };
                for r in &rows[at..at + n] {
                    k.keys[r.marker as usize] = r.key;
                    k.sizes[r.marker as usize] = r.size;
                }
                kept.put(ids[i], k);
            }
            at += n;
        }
        lap.lap(&format!("term rows ({computed} of {} terms computed)", lists.len()));
        reuse.computed = computed;
        rows
    } else {
        postings
            .into_par_iter()
            .flat_map_iter(|(term, list)| {
                let l = levels(&term, &list);
                term_rows(Cow::Owned(term), l, ranks, 0, true, false)
            })
            .collect()
    };
    // A marker sorts right after its phrase term already; sorting keeps
    // that true whatever the iterator's order.
    if !encoded.is_sorted_by(|a, b| a.term <= b.term) {
        encoded.par_sort_unstable_by(|a, b| a.term.cmp(&b.term));
    }
    // The shard of each row (tag rows have none), for the bundles: looked
    // up for their terms only, not a set of them looked up for every row.
    // 4 bytes a row (a range shard r is r, a group g is u32::MAX - 1 - g):
    // it is made at every save.
    const NO_SHARD: u32 = u32::MAX;
    let mut shard_of: Vec<u32> = vec![NO_SHARD; encoded.len()];
    let mut term_bounds: Vec<String> = Vec::new();
    // Rows of each range shard, of each synonym shard (word shards at g,
    // phrase shards at groups + g, after the ranges), of each bundle.
    let mut ranges: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    let mut cur_size = 0usize;
    // The term whose rows (with its exact title terms and markers) end
    // the current shard, and their bytes: a cut is only ever after them.
    let mut unit: (&str, usize) = ("", 0);
    let cuts = Cuts::terms(TERM_SHARD_TARGET);
    let mut stems = Stems::new();
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    // Where each row goes: NO_SHARD for a tag row, a synonym shard (as in
    // `shard_of`), or 0 for a range shard; and the bytes of each range
    // unit (a term with its markers), whose first row is known before
    // the cut in front of it is decided.
    let mut place: Vec<u32> = vec![0; encoded.len()];
    let mut units: Vec<usize> = Vec::new();
    for (r, row) in encoded.iter().enumerate() {
        let term: &str = &row.term;
        // Tag terms (`/…`, sorted first) go to the `v/` shards (tag_lists).
        if term.starts_with(TAG_SEP) {
            place[r] = NO_SHARD;
            continue;
        }
        // An exact title term (`stem.word`) or a title marker is loaded
        // with its stem: in its stem's synonym shard, or in its range shard
        // (never cut before it; it sorts right after its stem).
        let stem = term.split_once(EXACT_SEP).map(|(s, _)| s);
        let key = stem.unwrap_or(term);
        let shard = syn
            .word_of
            .get(key)
            .copied()
            .or_else(|| syn.phrase_of.get(key).map(|g| syn.groups + g));
        if let Some(g) = shard {
            place[r] = u32::MAX - 1 - g as u32;
            continue;
        }
        let size = term.len() + row.size as usize + 6;
        match units.last_mut() {
            Some(u) if stem.is_some() => *u += size,
            _ if stem.is_none() => units.push(size),
            _ => {}
        }
    }
    let mut next_unit = 0;
    for (r, row) in encoded.iter().enumerate() {
        let term: &str = &row.term;
        if place[r] == NO_SHARD {
            tags.push((term.to_string(), row.post.as_deref().unwrap_or_default().to_string()));
            continue;
        }
        if place[r] != 0 {
            shard_of[r] = place[r];
            groups.entry((u32::MAX - 1 - place[r]) as usize).or_default().push(r);
            continue;
        }
        let stem = term.split_once(EXACT_SEP).map(|(s, _)| s);
        let size = term.len() + row.size as usize + 6;
        if stem.is_none() {
            let next = units[next_unit];
            next_unit += 1;
            let cut = cur
                .last()
                .is_some_and(|&l| cuts.between(unit.0, unit.1, next, cur_size) && stems.take(&encoded[l].term, term));
            if cut {
                ranges.push(std::mem::take(&mut cur));
                cur_size = 0;
            }
            unit = (term, 0);
        }
        shard_of[r] = ranges.len() as u32;
        cur.push(r);
        cur_size += size;
        unit.1 += size;
    }
    if !cur.is_empty() {
        ranges.push(cur);
    }
    let mut prev_last: Option<&str> = None;
    for rows in &ranges {
        term_bounds.push(short_bound(prev_last, &encoded[rows[0]].term));
        prev_last = rows.last().map(|&r| &*encoded[r].term);
    }
    // (path, name, rows) of every shard and bundle.
    let mut made: Vec<(PathBuf, String, Vec<usize>)> = ranges
        .into_iter()
        .zip(&term_bounds)
        .map(|(rows, bound)| {
            let (path, name) = shard_file("t", bound);
            (path, name, rows)
        })
        .collect();
    for (g, rows) in groups {
        let (path, name) = synonym_shard_file(g);
        made.push((path, name, rows));
    }
    let mut bundles = Vec::new();
    let mut bundled = Vec::new();
    let mut bundle_stems = std::collections::HashSet::new();
    // The rows of each prefix spread over enough shards, looked up on
    // every core (binary searches over every row: a step on one core,
    // speed23); which prefixes get a bundle is then decided in order.
    let spread: Vec<(&String, Vec<usize>)> = prefixes
        .par_iter()
        .filter_map(|(q, terms)| {
            let shards: std::collections::BTreeSet<u32> = terms
                .iter()
                .filter_map(|t| {
                    // The last row of that term, as a map would keep it.
                    let r = encoded.partition_point(|e| &*e.term <= t.as_str()).checked_sub(1)?;
                    Some(shard_of[r]).filter(|&s| s != NO_SHARD && *encoded[r].term == **t)
                })
                .collect();
            if shards.len() < BUNDLE_MIN_SHARDS {
                return None;
            }
            // Each stem with the exact title terms that follow it, as in its shard.
            let mut rows: Vec<usize> = Vec::new();
            for t in terms {
                let mut k = encoded.partition_point(|e| &*e.term < t.as_str());
                let pre = format!("{t}{EXACT_SEP}");
                while k < encoded.len() && (*encoded[k].term == **t || encoded[k].term.starts_with(&pre)) {
                    rows.push(k);
                    k += 1;
                }
            }
            rows.sort_unstable();
            rows.dedup();
            Some((q, rows))
        })
        .collect();
    for (q, rows) in spread {
        // Two prefixes of one file name (`a.b`, `a_b`): the second has none.
        if !bundle_stems.insert(shard_stem(q)) {
            continue;
        }
        bundles.push(rows);
        bundled.push(q.clone());
    }
    for (rows, q) in bundles.into_iter().zip(&bundled) {
        let (path, name) = shard_file("p", q);
        made.push((path, name, rows));
    }
    lap.lap("term shards cut, bundles");
    if let Some(reuse) = reuse.as_deref_mut() {
        made.retain(|(path, name, rows)| {
            use std::hash::Hasher;
            let mut h = reuse_hasher();
            hash_str(&mut h, name);
            for &r in rows {
                h.write_u64(encoded[r].key);
            }
            reuse.must_make(path, h.finish())
        });
        // Encode the rows of the shards to make.
        let mut need = vec![false; encoded.len()];
        for (_, _, rows) in &made {
            for &r in rows {
                need[r] = encoded[r].post.is_none();
            }
        }
        encoded
            .par_iter_mut()
            .zip(need)
            .filter(|(_, n)| *n)
            .for_each(|(row, _)| {
                let (term, list) = &lists[row.list as usize];
                let rows = title_markers(term.clone(), levels(term, list));
                row.post = rows
                    .into_iter()
                    .find(|(t, _)| marker_kind(term, t) == usize::from(row.marker))
                    .map(|(_, p)| p.into_boxed_str());
            });
    }
    let made_files: Vec<(PathBuf, String)> = made
        .into_par_iter()
        .map(|(path, name, rows)| {
            let t: Vec<&str> = rows.iter().map(|&r| &*encoded[r].term).collect();
            let p: Vec<&str> = rows
                .iter()
                .map(|&r| encoded[r].post.as_deref().unwrap_or_default())
                .collect();
            (path, register_js(&name, &json!({ "t": t, "p": p })))
        })
        .collect();
    files.extend(made_files);
    lap.lap("term shards made");
    // The rows borrow the lists' terms.
    drop(encoded);
    if let Some(reuse) = reuse {
        reuse.lists = lists;
    }
    (term_bounds, bundled)
}

/// A last word of PREFIX_MIN letters (`imp`) asks for its completions, the
/// 8 most frequent stems of the words it starts: their postings lie in as
/// many term shards (9 files for `imp` at 10,000 sheets), and in Chromium
/// each file costs about as much as 30 KB of data. When they are spread
/// over at least this many shards, the prefix has a *bundle*, `p/<k>.js`:
/// the postings of its completions and of its own stems, one file loaded
/// with its vocabulary shard.
pub const BUNDLE_MIN_SHARDS: usize = 3;

/// The terms a last word of PREFIX_MIN letters needs in its bundle, by
/// word: its completions ([`crate::engine::completions`]) and its stems.
fn prefix_terms(vocab: &crate::corpus::Vocab) -> BTreeMap<String, Vec<String>> {
    let e = &vocab.entries;
    let mut out = BTreeMap::new();
    let mut k = 0;
    while k < e.len() {
        let Some((i, ch)) = e[k].surface.char_indices().nth(PREFIX_MIN - 1) else {
            k += 1;
            continue;
        };
        let q = &e[k].surface[..i + ch.len_utf8()];
        let n = e[k..].partition_point(|x| x.surface.starts_with(q));
        let range = &e[k..k + n];
        if range[0].surface == q {
            // A known word of PREFIX_MIN letters is not completed
            // (engine::completes): its stems are in their term shards.
            k += n;
            continue;
        }
        let mut terms: Vec<String> = crate::engine::completions(range, q)
            .into_iter()
            .map(str::to_string)
            .chain(range.iter().filter(|x| x.surface == q).map(|x| x.stem.clone()))
            .collect();
        terms.sort();
        terms.dedup();
        out.insert(q.to_string(), terms);
        k += n;
    }
    out
}

/// Vocabulary shards: ranges of surfaces (a surface is never split),
/// sorted by the word (`v/`) and by suffix key (`r/`: typos in the
/// first half, engine::suffix_key); short words under their deletion keys (`s/`: typos in
/// words of up to SHORT_MAX letters, see engine::FuzzyKeys).
fn vocab_files(
    entries: &[VocabEntry],
    tags: &[(String, String)],
    again: &BTreeMap<&str, Vec<String>>,
    (terms, syn, bundled): (&[String], &Synonyms, &[String]),
    files: &mut Vec<(PathBuf, String)>,
    mut reuse: Option<&mut Reuse>,
) -> ShardBounds {
    let forward: Vec<(String, &VocabEntry)> = entries.par_iter().map(|e| (e.surface.clone(), e)).collect();
    let vocab = vocab_shards(&forward, "v", WORD_SHARD_TARGET, files, reuse.as_deref_mut(), |b| {
        let mut out: BTreeMap<usize, serde_json::Map<String, Value>> = BTreeMap::new();
        let completions = completion_lists(entries, b);
        let agains = again_lists(entries, b, again);
        for (i, r) in term_runs(entries, b, terms, syn, &completions, &agains) {
            out.entry(i).or_default().insert("b".into(), Value::String(r));
        }
        for (i, c) in completions {
            out.entry(i).or_default().insert("c".into(), Value::String(c));
        }
        for (i, g) in tag_lists(tags, b) {
            out.entry(i).or_default().insert("g".into(), g);
        }
        for (i, e) in agains {
            out.entry(i).or_default().insert("e".into(), Value::String(e));
        }
        // The prefixes with a bundle (`p/`), in the shard where each falls:
        // the last word's own, loaded anyway (the manifest listed them all).
        let mut q: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for p in bundled {
            q.entry(shard_index(b, p)).or_default().push(p);
        }
        for (i, list) in q {
            out.entry(i)
                .or_default()
                .insert("q".into(), Value::String(list.join(" ")));
        }
        out
    });
    // Codes apart (`g/`): a word without a digit never needs them
    // (engine::is_typo_code).
    let (codes, words): (Vec<_>, Vec<_>) = forward.iter().cloned().partition(|(w, _)| is_typo_code(w));
    let fvocab = vocab_shards(&words, "f", RANGE_SHARD_TARGET, files, reuse.as_deref_mut(), |_| {
        BTreeMap::new()
    });
    let gvocab = vocab_shards(&codes, "g", CODE_SHARD_TARGET, files, reuse.as_deref_mut(), |_| {
        BTreeMap::new()
    });
    // By suffix key (engine::suffix_key): the reversed words by length class.
    let mut rev: Vec<(String, &VocabEntry)> = entries
        .par_iter()
        .filter_map(|e| Some((suffix_key(&e.surface)?, e)))
        .collect();
    // Stable, as `sort_by`: the same order on every core count.
    rev.par_sort_by(|x, y| x.0.cmp(&y.0).then(x.1.stem.cmp(&y.1.stem)));
    let rvocab = vocab_shards(&rev, "r", SUFFIX_SHARD_TARGET, files, reuse.as_deref_mut(), |_| {
        BTreeMap::new()
    });
    files.extend(suffix_runs(&rev, &rvocab));
    let mut short: Vec<(String, &VocabEntry)> = Vec::new();
    for e in entries.iter().filter(|e| is_short_target(&e.surface)) {
        for k in deletion_keys(&e.surface) {
            short.push((k, e));
        }
    }
    short.par_sort_by(|x, y| {
        x.0.cmp(&y.0)
            .then(x.1.surface.cmp(&y.1.surface))
            .then(x.1.stem.cmp(&y.1.stem))
    });
    let short = vocab_shards(&short, "s", SHORT_SHARD_TARGET, files, reuse, |_| BTreeMap::new());
    ShardBounds {
        terms: terms.to_vec(),
        vocab,
        fvocab,
        gvocab,
        short,
    }
}

/// The kinds and audiences present, for the filters.
struct Facets {
    audiences: Vec<String>,
    kinds: Vec<Kind>,
    mask_chars: usize,
}

/// `facets.js`: one kind digit and the audience bit mask per document.
fn doc_files(docs: &[SearchDoc], order: &[usize], files: &mut Vec<(PathBuf, String)>) -> Facets {
    let mut audiences: Vec<String> = docs.iter().flat_map(|d| d.audience.iter().cloned()).collect();
    audiences.sort();
    audiences.dedup();
    let mut kinds: Vec<Kind> = docs.iter().map(|d| d.kind).collect();
    kinds.sort();
    kinds.dedup();
    let mask_chars = audiences.len().div_ceil(6);
    let mut facets = String::with_capacity(order.len() * (1 + mask_chars));
    for &i in order {
        let d = &docs[i];
        facets.push(char::from(b'0' + d.kind.index() as u8));
        let mut mask = 0u64;
        for a in &d.audience {
            if let Ok(p) = audiences.binary_search(a) {
                mask |= 1 << p;
            }
        }
        for m in 0..mask_chars {
            facets.push(B64[((mask >> (6 * m)) & 63) as usize] as char);
        }
    }
    files.push((
        PathBuf::from("facets.js"),
        register_js("facets", &json!({ "f": facets })),
    ));
    Facets {
        audiences,
        kinds,
        mask_chars,
    }
}

/// Base 85 of raw bytes, for the deflated texts of `d/` and `x/` (6 %
/// lighter than base64): each 4 bytes, big-endian, are 5 digits, most
/// significant first; a last group of k bytes is padded with zeros and
/// keeps its first k + 1 digits. Digit i is the character 0x23 + i,
/// skipping `\\` (`#` to `x`): nothing JSON or a JS string escapes.
pub fn base85(bytes: &[u8]) -> String {
    let digit = |i: u32| {
        let c = 0x23 + i as u8;
        char::from(if c >= b'\\' { c + 1 } else { c })
    };
    let mut s = String::with_capacity(bytes.len() / 4 * 5 + 5);
    for chunk in bytes.chunks(4) {
        let mut v = 0u32;
        for k in 0..4 {
            v = (v << 8) | u32::from(chunk.get(k).copied().unwrap_or(0));
        }
        let mut d = [0u32; 5];
        for x in d.iter_mut().rev() {
            *x = v % 85;
            v /= 85;
        }
        s.extend(d[..chunk.len() + 1].iter().map(|&x| digit(x)));
    }
    s
}

/// The bytes of [`base85`] text, as search-engine.js reads them.
pub fn unbase85(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 5 * 4 + 4);
    for chunk in s.as_bytes().chunks(5) {
        if chunk.len() == 1 {
            return None;
        }
        let mut v = 0u64;
        for k in 0..5 {
            let d = match chunk.get(k).copied().unwrap_or(b'x') {
                c @ 0x23..=0x5b => c - 0x23,
                c @ 0x5d..=0x78 => c - 0x24,
                _ => return None,
            };
            v = v * 85 + u64::from(d);
        }
        let v = u32::try_from(v).ok()?;
        out.extend_from_slice(&v.to_be_bytes()[..chunk.len() - 1]);
    }
    Some(out)
}

/// Raw deflate (RFC 1951) of a document's snippet text: French prose
/// shrinks to about 45 %, 56 % once in base 85, and search-engine.js
/// inflates the few documents a query shows (vendored tiny-inflate).
/// Level 8, not 9: with zlib-rs, 9 changes its match finder and, on these
/// texts of 2 to 30 KB, gives 0.5 % more bytes for about a third more time
/// (the 10,000-sheet corpus's 20,093 texts: 19.98 against 20.08 MB).
/// One stream per thread, reset for each text (the same bytes as a new
/// encoder): a new one allocated and cleared its tables, about 300 KB, for
/// each text of a few KB.
fn deflate(text: &str) -> Vec<u8> {
    thread_local! {
        static Z: std::cell::RefCell<flate2::Compress> =
            std::cell::RefCell::new(flate2::Compress::new(flate2::Compression::new(8), false));
    }
    Z.with(|z| {
        let mut out = Vec::with_capacity(text.len() / 2 + 64);
        match finish_stream(&mut z.borrow_mut(), text.as_bytes(), &mut out) {
            true => out,
            false => Vec::new(),
        }
    })
}

/// Compresses `data` whole into `out` with `c` (reset first), growing
/// `out` as needed; false if the stream failed.
fn finish_stream(c: &mut flate2::Compress, data: &[u8], out: &mut Vec<u8>) -> bool {
    use flate2::{FlushCompress, Status};
    c.reset();
    loop {
        let fed = c.total_in() as usize;
        match c.compress_vec(&data[fed..], out, FlushCompress::Finish) {
            Ok(Status::StreamEnd) => return true,
            Ok(_) => out.reserve(out.capacity().max(64)),
            Err(_) => return false,
        }
    }
}

/// A snippet text cut into its head (in `d/`) and its rest (in `x/`).
fn split(t: &str) -> (&str, &str) {
    t.split_at(cap_str(t, DOC_HEAD_TEXT).len())
}

/// One document's entry in its `d/` file: what a result shows (the head
/// of its snippet text, DOC_HEAD_TEXT bytes of summary then body, is in
/// the block's `z`); `m` is 1 when the rest is in an `x/` file.
fn doc_entry(d: &SearchDoc, more: bool) -> Value {
    let mut e = json!({
        "id": d.id,
        "k": d.kind.as_str(),
        "t": d.title,
        "u": d.url,
        "c": d.category,
        "a": d.audience,
        "m": u8::from(more),
    });
    if let Some(o) = e.as_object_mut() {
        if d.url == format!("{}{}{}", SHEET_URL.0, d.id, SHEET_URL.1) {
            // About 90 bytes of every sheet's entry (0.9 MB at 10,000 sheets).
            o.remove("u");
        }
        // A sheet's kind and no more text are search-engine.js's
        // defaults (`docAt`): 12 bytes of nearly every entry, 240 of a
        // first query's 20 (weight26).
        if d.kind == Kind::Fiche {
            o.remove("k");
        }
        if !more {
            o.remove("m");
        }
    }
    e
}

/// A `d/` entry's URL, as search-engine.js reads it.
pub fn doc_url(entry: &Value) -> Option<String> {
    match entry["u"].as_str() {
        Some(u) => Some(u.to_string()),
        None => Some(format!("{}{}{}", SHEET_URL.0, entry["id"].as_str()?, SHEET_URL.1)),
    }
}

/// `d/<b>.js`: the entries of documents b × DOC_BLOCK to (b + 1) ×
/// DOC_BLOCK − 1; `x/<b>.js`: the rests of the snippet texts (up to
/// SNIPPET_TEXT_CAP) of documents b × REST_BLOCK onwards, one after the
/// other deflated together (`z`; `n`: each one's bytes of UTF-8, 0 for a
/// document without rest), loaded only when a head has no match to show.
/// The snippet texts of a group of documents at a time: of all of them,
/// they were one more copy of the corpus's text (mem13, issue 13).
const DOC_GROUP: usize = 1024;
const _: () = assert!(DOC_GROUP.is_multiple_of(DOC_BLOCK) && DOC_GROUP.is_multiple_of(REST_BLOCK));

#[cfg(test)]
fn doc_blocks(docs: &[SearchDoc], order: &[usize]) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for (g, group) in order.chunks(DOC_GROUP).enumerate() {
        files.extend(doc_group(docs, group, g * DOC_GROUP));
    }
    files
}

/// The `d/` and `x/` files of the documents `order` (ords from `first`, a
/// multiple of DOC_BLOCK and REST_BLOCK).
fn doc_group(docs: &[SearchDoc], order: &[usize], first: usize) -> Vec<(PathBuf, String)> {
    let pieces: Vec<DocPiece> = order.par_iter().map(|&i| doc_piece(&docs[i])).collect();
    let refs: Vec<&DocPiece> = pieces.iter().collect();
    block_files(&refs, first)
}

/// What one document contributes to the `d/` and `x/` files, whatever its
/// ord: its `d/` entry (JSON) and its snippet text, as text (its blocks
/// deflate the heads, and the rests, together). `serve` keeps these per
/// document, so that an added or removed sheet, which shifts the ords of
/// the documents after it, makes no snippet text again.
pub(crate) struct DocPiece {
    pub entry: Box<str>,
    /// The snippet text, then, if any, PASSAGES_MARK and its passages
    /// ([`rest_passages`]); [`DocPiece::parts`] cuts it.
    pub text: Box<str>,
}

/// Before a document's passages in [`DocPiece::text`] and before each
/// passage in its `d/` text: control characters that a snippet text never
/// holds ([`doc_piece`] blanks them).
const PASSAGES_MARK: char = '\u{1e}';
const PASSAGE_MARK: char = '\u{1f}';

impl DocPiece {
    /// The head of the snippet text (in `d/`), its passages (in `d/`
    /// after the head, each after PASSAGE_MARK) and its rest (in `x/`).
    pub(crate) fn parts(&self) -> (&str, &str, &str) {
        let (t, passages) = self.text.split_once(PASSAGES_MARK).unwrap_or((&self.text, ""));
        let (head, rest) = split(t);
        (head, passages, rest)
    }
}

pub(crate) fn doc_piece(d: &SearchDoc) -> DocPiece {
    let mut text = snippet_text(d);
    if text.contains([PASSAGES_MARK, PASSAGE_MARK]) {
        text = text.replace([PASSAGES_MARK, PASSAGE_MARK], " ");
    }
    let (head, rest) = split(&text);
    let (passages, more) = (rest_passages(d, head, rest), !rest.is_empty());
    let mut entry = doc_entry(d, more);
    if !passages.is_empty() {
        entry["w"] = json!(passages.len());
    }
    let entry = serde_json::to_string(&entry).unwrap_or_default();
    // The passages after the text itself, not a copy of it (up to 30 KB
    // a document).
    if !passages.is_empty() {
        text.push(PASSAGES_MARK);
        for p in &passages {
            text.push(PASSAGE_MARK);
            text.push_str(p);
        }
    }
    DocPiece {
        entry: entry.into(),
        text: text.into(),
    }
}

/// Most passages a `d/` entry carries.
const PASSAGES_MAX: usize = 3;

/// Where the rest of a document's text first says a word of its title or
/// tags that its head does not: a passage around each, so that a result
/// found by those words shows them in its snippet without the `x/` file
/// of its rest (about 11 KB, 16 rests deflated together; session 30: 7 of
/// a first query's 10 results fetched theirs at 10,000 sheets). Words
/// compare by their first five folded letters, a cheap stand-in for the
/// stem: the engine matches the query's terms in a passage as in a head,
/// and fetches the rest when none matches. A passage is what a snippet
/// of the whole text would show from that word (`snippet::window`).
fn rest_passages(d: &SearchDoc, head: &str, rest: &str) -> Vec<String> {
    if rest.is_empty() {
        return Vec::new();
    }
    fn key(w: &str) -> String {
        crate::analysis::fold(w).chars().take(5).collect()
    }
    fn words(t: &str) -> impl Iterator<Item = (usize, &str)> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(move |w| (w.as_ptr() as usize - t.as_ptr() as usize, w))
    }
    let mut wanted: Vec<String> = Vec::new();
    for t in std::iter::once(d.title.as_str()).chain(d.tags.iter().map(String::as_str)) {
        for (_, w) in words(t) {
            let k = key(w);
            if !wanted.contains(&k) {
                wanted.push(k);
            }
        }
    }
    // Those the head says are not wanted: read until none is left (the
    // head of most documents says its title early).
    for (_, w) in words(head) {
        if wanted.is_empty() {
            break;
        }
        let k = key(w);
        wanted.retain(|x| *x != k);
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (at, w) in words(rest) {
        if out.len() == PASSAGES_MAX || wanted.is_empty() {
            break;
        }
        let k = key(w);
        let Some(i) = wanted.iter().position(|x| *x == k) else {
            continue;
        };
        wanted.swap_remove(i);
        if out.iter().any(|&(a, b)| a <= at && at + w.len() <= b) {
            continue;
        }
        let (a, b) = crate::snippet::window(rest, at);
        out.push((a, b));
    }
    out.sort_unstable();
    out.iter().map(|&(a, b)| rest[a..b].to_string()).collect()
}

/// The texts of a `d/` file's documents (their heads) or of an `x/`
/// file's (their rests), in order ("" for none), as search-engine.js
/// reads them.
pub fn block_texts(x: &Value) -> Option<Vec<String>> {
    if let Some(h) = x.get("h") {
        return h.as_array()?.iter().map(|t| t.as_str().map(str::to_string)).collect();
    }
    let ns: Vec<usize> = x["n"]
        .as_array()?
        .iter()
        .map(|n| n.as_u64().map(|n| n as usize))
        .collect::<Option<_>>()?;
    let z = x["z"].as_str()?;
    let all = if z.is_empty() {
        Vec::new()
    } else {
        inflate_base85(z, ns.iter().sum())?
    };
    let mut at = 0;
    let mut out = Vec::with_capacity(ns.len());
    for n in ns {
        out.push(String::from_utf8(all.get(at..at + n)?.to_vec()).ok()?);
        at += n;
    }
    (at == all.len()).then_some(out)
}

/// The `n` bytes that [`base85`] text `z` of a raw deflate stream holds;
/// None when it is not that.
fn inflate_base85(z: &str, n: usize) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::with_capacity(n);
    flate2::read::DeflateDecoder::new(&unbase85(z)?[..])
        .read_to_end(&mut out)
        .ok()?;
    (out.len() == n).then_some(out)
}

/// The `d/` and `x/` files of documents of consecutive ords from `first`
/// (a multiple of DOC_BLOCK and REST_BLOCK); the same bytes as
/// `register_js` of `{"d": [entries], "n": [..], "z": ".."}` and
/// `{"n": [..], "z": ".."}`.
pub(crate) fn block_files(pieces: &[&DocPiece], first: usize) -> Vec<(PathBuf, String)> {
    let js = |name: String, data: String| {
        js_line_separators(format!(
            "window.__fichesSearch.register({},{data});\n",
            serde_json::to_string(&name).unwrap_or_default()
        ))
    };
    // `{"n":[..],"z":".."}` of texts deflated together ("" for none).
    let packed = |texts: &[&str]| {
        let all: String = texts.concat();
        let z = if all.is_empty() {
            String::new()
        } else {
            base85(&deflate(&all))
        };
        let ns: Vec<usize> = texts.iter().map(|t| t.len()).collect();
        format!("\"n\":{},\"z\":\"{z}\"", serde_json::to_string(&ns).unwrap_or_default())
    };
    // A block's entries and heads in one deflate stream (`h`: the heads
    // as strings), the whole file packed: the entries' titles and
    // categories repeat the heads' words, 6 % fewer bytes than the heads
    // deflated apart (session 33).
    let heads = pieces.par_chunks(DOC_BLOCK).enumerate().map(|(b, chunk)| {
        let b = first / DOC_BLOCK + b;
        let entries: Vec<&str> = chunk.iter().map(|p| &*p.entry).collect();
        let heads: Vec<String> = chunk
            .iter()
            .map(|p| {
                let (head, passages, _) = p.parts();
                [head, passages].concat()
            })
            .collect();
        let data = format!(
            "{{\"d\":[{}],\"h\":{}}}",
            entries.join(","),
            serde_json::to_string(&heads).unwrap_or_default()
        );
        let name = format!("d{b}");
        let quoted = serde_json::to_string(&name).unwrap_or_default();
        let file = packed_js(&name, &quoted, &data).unwrap_or_else(|| js(name, data));
        (PathBuf::from(format!("d/{b}.js")), file)
    });
    let rests = pieces.par_chunks(REST_BLOCK).enumerate().filter_map(|(b, chunk)| {
        let b = first / REST_BLOCK + b;
        let texts: Vec<&str> = chunk.iter().map(|p| p.parts().2).collect();
        texts.iter().any(|t| !t.is_empty()).then(|| {
            let data = format!("{{{}}}", packed(&texts));
            (PathBuf::from(format!("x/{b}.js")), js(format!("x{b}"), data))
        })
    });
    let mut files: Vec<(PathBuf, String)> = heads.collect();
    files.extend(rests.collect::<Vec<_>>());
    files
}

/// `manifest.js`: what search.js loads first (see the module's header).
fn manifest(
    build: u64,
    analyzer: &Analyzer,
    c: &Collected,
    bounds: &ShardBounds,
    facets: &Facets,
    shards: &SynonymShards,
) -> Value {
    let syn = analyzer.synonyms();
    let lang = analyzer.language();
    let negation = [
        lang.negation.0,
        lang.negation.1,
        lang.negation.2,
        lang.light,
        lang.auxiliaries,
    ]
    .map(|l| l.join(" "))
    .join("|");
    // A surface whose stems its vocabulary entries already give adds
    // nothing to search-engine.js's lookup: only the others are sent.
    let in_vocab: std::collections::BTreeSet<(&str, &str)> = c
        .vocab
        .entries
        .iter()
        .map(|e| (e.surface.as_str(), e.stem.as_str()))
        .collect();
    // Compact text, parsed by search-engine.js's `synText`: `surface` (its
    // own stem) or `surface:stem,stem`, space separated.
    let syn_surfaces: Vec<String> = syn
        .surfaces
        .iter()
        .filter(|(k, v)| !v.iter().all(|stem| in_vocab.contains(&(k.as_str(), stem.as_str()))))
        .map(|(k, v)| {
            if v.len() == 1 && v.contains(k) {
                k.clone()
            } else {
                format!("{k}:{}", v.iter().map(String::as_str).collect::<Vec<_>>().join(","))
            }
        })
        .collect();
    // `phrase:t,t|t` (slots split by |, a slot's phrase terms by ,).
    let syn_phrases: Vec<String> = syn
        .phrases
        .iter()
        .map(|(k, slots)| {
            let slots: Vec<String> = slots.iter().map(|s| s.join(",")).collect();
            format!("{k}:{}", slots.join("|"))
        })
        .collect();
    // Compact text rather than JSON arrays (every query loads the
    // manifest): stop words space separated; groups `|` separated, a
    // group's phrases `,` separated, a phrase's stems space separated.
    let stop: Vec<&str> = analyzer.stop_words().iter().map(String::as_str).collect();
    let groups: Vec<String> = syn
        .groups
        .iter()
        .map(|g| g.iter().map(|ph| ph.join(" ")).collect::<Vec<_>>().join(","))
        .collect();
    json!({
        "format": BROWSER_FORMAT,
        "build": format!("{build:016x}"),
        "lang": analyzer.language().code,
        "n": c.stats.n,
        "fields": FIELDS,
        "params": ranking_params(),
        "stop": stop.join(" "),
        "elisions": analyzer.elisions(),
        // The fourth list: the light verbs (`Language::light`), optional as a negated verb;
        // the fifth, the auxiliaries (`Language::auxiliaries`) a particle may follow.
        // Compact text (every query loads the manifest): lists split by `|`, words by spaces.
        "negation": negation,
        // The tag keys' endings and irregular derivations (`Language::tag_endings`,
        // `tag_irregular`), compact: `ending=by=left` and `from=to`, by spaces.
        "tag_key": tag_key_lists(analyzer.language()),
        // `Language::verb_forms`, compact: the infinitive's ending, then the others'.
        "verb_forms": analyzer.language().verb_forms.map(|(inf, forms)| format!("{inf} {}", forms.join(" "))),
        "syn": { "groups": groups.join("|"), "surfaces": syn_surfaces.join(" "), "phrases": syn_phrases.join(" ") },
        "vocab": front_code(&bounds.vocab),
        "noshard": shards.noshard,
        "nophrase": shards.nophrase,
        "kinds": facets.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        "audiences": facets.audiences,
        "mask_chars": facets.mask_chars,
        "doc_block": DOC_BLOCK,
        "rest_block": REST_BLOCK,
        "sheet_url": [SHEET_URL.0, SHEET_URL.1],
    })
}

/// Keys of the manifest sent deflated (`z`, of `zn` bytes of JSON): what
/// only search-engine.js reads, once the manifest is there. Every query
/// loads it: 9.8 KB raw at 10,000 sheets, 6.0 KB so (session 33). The
/// others stay plain for search.js and the `fiches serve` checks.
const MANIFEST_PACKED: &[&str] = &[
    "params",
    "stop",
    "elisions",
    "negation",
    "tag_key",
    "verb_forms",
    "syn",
    "vocab",
    "noshard",
    "nophrase",
    "fields",
];

fn pack_manifest(mut m: Value) -> Value {
    let mut packed = serde_json::Map::new();
    for k in MANIFEST_PACKED {
        if let Some(v) = m.as_object_mut().and_then(|o| o.remove(*k)) {
            packed.insert((*k).to_string(), v);
        }
    }
    let json = Value::Object(packed).to_string();
    m["z"] = base85(&deflate(&json)).into();
    m["zn"] = json.len().into();
    m
}

/// The manifest's packed keys back in place (`registered_data`).
fn unpack_manifest(m: &mut Value) -> Option<()> {
    let n = usize::try_from(m.get("zn")?.as_u64()?).ok()?;
    let json = inflate_base85(m["z"].as_str()?, n)?;
    let packed: serde_json::Map<String, Value> = serde_json::from_slice(&json).ok()?;
    let o = m.as_object_mut()?;
    o.remove("z");
    o.remove("zn");
    o.extend(packed);
    Some(())
}

/// The ranking parameters search.js shares with the Rust engine.
fn ranking_params() -> Value {
    json!({
        "w": W, "b": B, "k1": K1,
        "impact_min": IMPACT_MIN,
        "impact_ratio": impact_ratio(),
        "impact_levels": IMPACT_LEVELS,
        "syn_pen": SYN_PENALTY,
        "fuzzy_pen": FUZZY_PENALTY,
        "prefix_pen": PREFIX_PENALTY,
        "re_pen": RE_PENALTY,
        "fuzzy_min": [FUZZY_MIN_1, FUZZY_MIN_2],
        "fuzzy_max": FUZZY_MAX,
        "far_min": FAR_MIN,
        "verb_base_min": VERB_BASE_MIN,
        "prefix_min": PREFIX_MIN,
        "prefix_max": PREFIX_MAX,
        "short_max": SHORT_MAX,
        "clip_min": CLIP_MIN,
        "clip_pen": CLIP_PENALTY,
        "split_min": SPLIT_MIN,
        "split_pen": SPLIT_PENALTY,
        "split_rare": SPLIT_RARE,
        "split_gap": SPLIT_GAP,
        "split_max": SPLIT_MAX,
        "suggest_short": SUGGEST_SHORT,
        "neg_weight": NEG_WEIGHT,
        "guess_known": GUESS_KNOWN_MIN,
        "coord_exp": COORD_EXP,
        "title_flag": TITLE_FLAG,
        "title_bonus": TITLE_BONUS,
        "summary_flag": SUMMARY_FLAG,
        "summary_bonus": SUMMARY_BONUS,
        "summary_mark": SUMMARY_MARK.to_string(),
        "phrase_sep": PHRASE_SEP.to_string(),
        "exact_sep": EXACT_SEP.to_string(),
        "exact_bonus": EXACT_BONUS,
        "tag_sep": TAG_SEP.to_string(),
        "tag_bonus": TAG_BONUS,
        "tag_max": TAG_MAX_WORDS,
        "syn_sum": SYN_SUM_MIN,
        "tf_max": TF_MAX,
        "max_word": crate::analysis::MAX_WORD_CHARS,
    })
}

/// The gzip size of an index file, for the build summary: level 1, as web
/// servers send by default (nginx's gzip_comp_level). One raw deflate
/// stream per thread, reset for each file, and its 18 bytes of gzip header
/// and trailer added: a new encoder per file allocated and cleared about
/// 300 KB of tables for files of a few KB, 2.5 times the cost of
/// compressing them (the total moves by about 0.1 %: a stream compressed
/// in one call ends its blocks elsewhere).
fn gzip_len(data: &[u8]) -> u64 {
    use flate2::{Compress, Compression};
    thread_local! {
        static GZ: std::cell::RefCell<(Compress, Vec<u8>)> =
            std::cell::RefCell::new((Compress::new(Compression::fast(), false), Vec::new()));
    }
    GZ.with(|gz| {
        let (c, buf) = &mut *gz.borrow_mut();
        buf.clear();
        // Level 1's static Huffman codes take up to 9 bits a byte.
        buf.reserve(data.len() + data.len() / 8 + 64);
        match finish_stream(c, data, buf) {
            true => buf.len() as u64 + 18,
            false => 0,
        }
    })
}

/// Writes the browser index under `out_dir/search/` (replacing what was
/// there) and returns sizes. Same input, same bytes.
pub fn write_browser_index(out_dir: &Path, cfg: &SearchConfig, docs: &[SearchDoc]) -> Result<BrowserIndexStats, Error> {
    let root = out_dir.join("search");
    if root.exists() {
        fs::remove_dir_all(&root).map_err(|e| Error::io(&root, e))?;
    }
    create_browser_dirs(out_dir)?;
    write_browser_index_with(cfg, docs, &|rel, bytes| fs::write(out_dir.join(rel), bytes))
}

/// Creates `search/` and its sub-folders under `out_dir`, each of them even
/// when it gets no file (a small site has no `x/`).
pub fn create_browser_dirs(out_dir: &Path) -> Result<(), Error> {
    for sub in ["", "t", "v", "f", "g", "r", "s", "d", "x", "p", "b"] {
        let p = out_dir.join("search").join(sub);
        fs::create_dir_all(&p).map_err(|e| Error::io(&p, e))?;
    }
    Ok(())
}

/// Makes the index and hands each file to `put` as soon as it is made
/// (`fiches build` links the files that did not change from its previous
/// output). `put` creates the folders it needs.
pub fn write_browser_index_with(
    cfg: &SearchConfig,
    docs: &[SearchDoc],
    put: &PutFile,
) -> Result<BrowserIndexStats, Error> {
    let mut files = Files {
        put: Some(put),
        ..Default::default()
    };
    let (terms, n) = build_into(cfg, docs, &mut files)?;
    Ok(BrowserIndexStats {
        docs: n,
        terms,
        ..files.finish()
    })
}

/// The units (a term with its exact title terms and markers, and their
/// bytes as the cuts count them) of each range term shard (`t/k…`) among
/// `files`, by path (for tests).
#[cfg(test)]
pub(crate) fn term_units<'a>(
    files: impl IntoIterator<Item = (&'a Path, &'a str)>,
) -> BTreeMap<PathBuf, Vec<(String, usize)>> {
    let mut out = BTreeMap::new();
    for (path, text) in files {
        if !path.starts_with("t") || !path.file_name().is_some_and(|f| f.to_string_lossy().starts_with('k')) {
            continue;
        }
        let data = registered_data(text).unwrap().1;
        let mut units: Vec<(String, usize)> = Vec::new();
        for (t, p) in data["t"].as_array().unwrap().iter().zip(data["p"].as_array().unwrap()) {
            let (t, p) = (t.as_str().unwrap(), p.as_str().unwrap());
            let size = t.len() + p.len() + 6;
            match (t.split_once(EXACT_SEP), units.last_mut()) {
                (Some(_), Some(u)) => u.1 += size,
                _ => units.push((t.to_string(), size)),
            }
        }
        out.insert(path.to_path_buf(), units);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Word lists, postings and `d/` blocks go packed, and read back as
    /// the data written; a small file, and a kind the engine reads at
    /// once (bounds), stay plain; the manifest's packed keys come back.
    #[test]
    fn search_files_are_packed_and_read_back_as_written() {
        let words: Vec<String> = (0..200).map(|i| format!("imprimante{i} « Accès\u{2028} »")).collect();
        let data = json!({ "t": words, "p": vec!["AAAB"; 200] });
        let plain = serde_json::to_string(&data).unwrap();
        for name in ["t:imprim", "v:imp", "r:ab", "s:x", "f:i", "g:t", "p:imp"] {
            let text = register_js(name, &data);
            assert!(
                text.starts_with(&format!("window.__fichesSearch.packed({name:?},{},\"", plain.len())),
                "{text}"
            );
            assert!(
                text.len() * 4 < plain.len(),
                "{name}: {} of {}",
                text.len(),
                plain.len()
            );
            assert!(!text.contains(['\\', '\u{2028}']) && text.lines().count() == 1);
            assert_eq!(registered_data(&text), Some((name.to_string(), data.clone())));
        }
        for (name, data) in [("bounds", data.clone()), ("t:a", json!({ "t": ["a"], "p": ["B"] }))] {
            let text = register_js(name, &data);
            assert!(
                text.starts_with(&format!("window.__fichesSearch.register({name:?},{{")),
                "{text}"
            );
            assert_eq!(registered_data(&text), Some((name.to_string(), data)));
        }
        let m =
            json!({ "n": 3, "build": "x", "doc_block": 2, "syn": { "groups": "a,b|c,d".repeat(50) }, "stop": "a b c" });
        let text = register_js("manifest", &pack_manifest(m.clone()));
        assert!(!text.contains("\"syn\"") && text.contains("\"doc_block\":2"), "{text}");
        assert_eq!(registered_data(&text), Some(("manifest".to_string(), m)));
    }

    /// A kept margin is never larger than the one computed: rounded to
    /// nearest, a level could be taken as kept a hair past its step.
    #[test]
    fn kept_margins_round_down() {
        let mut x = 1e-9f64;
        let mut below = 0;
        while x < 50.0 {
            let m = f64::from(f32_below(x));
            assert!(m <= x && m >= x * (1.0 - 1e-6), "{x} {m}");
            below += usize::from(m < x && f64::from(x as f32) > x);
            x *= 1.000_37;
        }
        assert!(below > 1000, "{below}");
        assert_eq!(f32_below(f64::INFINITY), f32::INFINITY);
        assert_eq!(f32_below(0.0), 0.0);
    }
    /// The build summary's gzip figure: exact for a small index, within
    /// 3 % of the exact sum when it is estimated from one file in 8.
    #[test]
    fn gzip_total_is_exact_then_estimated_from_a_sample() {
        let put = |_: &str, _: &[u8]| Ok(());
        let text = |i: usize| -> String {
            // Files of unlike sizes and ratios: prose repeated, digits.
            let words = ["imprimante", "bloquée", "réseau", "mot de passe", "tablette", "wifi"];
            let mut s = String::new();
            for k in 0..(20 + i % 300) {
                s.push_str(words[(i * 7 + k * 3) % words.len()]);
                s.push_str(&format!(" {} ", (i * 31 + k * 17) % 1000));
            }
            s
        };
        for (n, tolerance) in [(300usize, 0.0), (4000, 0.03)] {
            let mut files = Files {
                put: Some(&put),
                ..Default::default()
            };
            let mut exact = 0u64;
            for i in 0..n {
                let t = text(i);
                exact += gzip_len(t.as_bytes());
                files.list.push((PathBuf::from(format!("d/{i}")), t));
                if (i + 1).is_multiple_of(1000) {
                    files.flush().unwrap();
                }
            }
            files.flush().unwrap();
            let stats = files.finish();
            assert_eq!(stats.files, n);
            let err = (stats.total_gzip_bytes as f64 - exact as f64).abs() / exact as f64;
            assert!(
                err <= tolerance,
                "{n} files: {} against {exact}",
                stats.total_gzip_bytes
            );
        }
    }

    /// Files made beside others and merged: counts and bytes add up, and
    /// each set's gzip figure is scaled by its own sample. Here one set
    /// compresses well (every file measured), the other barely (random
    /// bytes in base 85, sampled one in 8): one ratio for both would put
    /// the total far off.
    #[test]
    fn merged_files_keep_each_sets_own_gzip_estimate() {
        let put = |_: &str, _: &[u8]| Ok(());
        let mut a = Files {
            put: Some(&put),
            ..Default::default()
        };
        let mut b = Files {
            put: Some(&put),
            ..Default::default()
        };
        let (mut exact, mut raw) = (0u64, 0u64);
        for i in 0..100 {
            let t = "imprimante bloquée réseau ".repeat(50 + i);
            exact += gzip_len(t.as_bytes());
            raw += t.len() as u64;
            a.list.push((PathBuf::from(format!("t/{i}")), t));
        }
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for i in 0..2000 {
            let bytes: Vec<u8> = (0..400)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let t = base85(&bytes);
            exact += gzip_len(t.as_bytes());
            raw += t.len() as u64;
            b.list.push((PathBuf::from(format!("d/{i}")), t));
        }
        a.flush().unwrap();
        b.flush().unwrap();
        a.merge(b);
        assert!(a.list.is_empty(), "written files are not kept");
        let stats = a.finish();
        assert_eq!(stats.files, 2100);
        assert_eq!(stats.total_bytes, raw);
        let err = (stats.total_gzip_bytes as f64 - exact as f64).abs() / exact as f64;
        assert!(err <= 0.02, "{} against {exact}", stats.total_gzip_bytes);
    }

    /// U+2028 and U+2029 are escaped wherever they are, and nothing else:
    /// `€` and `‘` start with the same byte.
    #[test]
    fn line_separators_are_escaped_and_nothing_else() {
        for (s, want) in [
            ("a€b‘c", "a€b‘c"),
            ("\u{2028}", "\\u2028"),
            ("x\u{2029}", "x\\u2029"),
            ("€\u{2028}é\u{2029}", "€\\u2028é\\u2029"),
            ("", ""),
            ("\u{2027}\u{202a}", "\u{2027}\u{202a}"),
        ] {
            assert_eq!(js_line_separators(s.to_string()), want, "{s:?}");
        }
    }
    use crate::analysis::phrase_term;

    #[test]
    fn row_lengths_are_the_rows_lengths() {
        let lists: [&[(u32, u16)]; 4] = [
            &[],
            &[(0, 5)],
            &[
                (3, 511),
                (4, TITLE_FLAG | 64),
                (40, 1),
                (1100, TITLE_FLAG | SUMMARY_FLAG | 300),
                (40000, SUMMARY_FLAG | 63),
                (1 << 20, 2),
            ],
            &[
                (31, 0),
                (32, 0),
                (1023, TITLE_FLAG),
                (1024, 0),
                (33000, 0),
                (33001, TITLE_FLAG),
            ],
        ];
        for term in ["imprim", "imprim.ante", "/tag", "reseau_fil"] {
            for l in lists {
                let rows = super::title_markers(term.to_string(), l.to_vec());
                let lens = super::title_marker_lens(term, l);
                assert_eq!(rows[0].1.len(), lens[0], "{term} {l:?}");
                let row = |k: usize| rows.iter().skip(1).find(|r| marker_kind(term, &r.0) == k);
                assert_eq!(row(1).map_or(0, |r| r.1.len()), lens[1], "{term} {l:?}");
                assert_eq!(row(2).map_or(0, |r| r.1.len()), lens[2], "{term} {l:?}");
            }
        }
    }

    #[test]
    fn postings_encoding() {
        // (ord delta 0, level 5): 0*8 + 0 → "A", then 5 → "F"; (delta 1, level 70): 1*8 + 1 = 9 → "J", 6 → "G";
        // (delta 2, level 500, in the title): 2*8 + 7 = 23 → "X", then 500 & 63 = 52 → "0": the flag is not stored.
        assert_eq!(encode_postings(&[(0, 5), (1, 70), (3, 500 | TITLE_FLAG)]), "AFJGX0");
        // Ords alone: 0, 1, then delta 39 = 7 | 32 continuation "n", then 1 "B".
        assert_eq!(encode_ords(&[(0, 5), (1, 70), (40, 500)]), "ABnB");
        let mut s = String::new();
        push_varint(&mut s, 40); // 8 | 32 continuation, then 1
        assert_eq!(s, "oB");
    }

    #[test]
    fn doc_text_is_deflated_base85_that_inflates_back() {
        // 0x4d616e00 = 24·85⁴ + 73·85³ + 80·85² + 78·85 + 29, cut to 4 digits.
        assert_eq!(base85(b"Man"), ";mtr");
        for n in 0..=9 {
            let b: Vec<u8> = (0..n).map(|i| 255 - i as u8 * 29).collect();
            assert_eq!(unbase85(&base85(&b)).as_deref(), Some(&b[..]), "{n} bytes");
            assert_eq!(base85(&b).len(), n / 4 * 5 + n % 4 + usize::from(n % 4 > 0));
        }
        assert_eq!(base85(&[255; 4]), "v:Y/#", "the largest group");
        assert!(base85(&(0..=255).collect::<Vec<u8>>())
            .bytes()
            .all(|c| (b'#'..=b'x').contains(&c) && c != b'\\'));
        let mut d = SearchDoc {
            id: "a".into(),
            kind: Kind::Fiche,
            title: "T".into(),
            url: "a/".into(),
            category: String::new(),
            audience: vec![],
            tags: vec![],
            summary: "Résumé 🖨".into(),
            body: "l'imprimante ".repeat(500),
            code: String::new(),
        };
        let text = snippet_text(&d);
        let files = doc_blocks(std::slice::from_ref(&d), &[0]);
        let names: Vec<_> = files.iter().map(|f| f.0.to_str().unwrap()).collect();
        assert_eq!(names, ["d/0.js", "x/0.js"], "a long text has a rest");
        let block = |t: &str| registered_data(t).unwrap().1;
        let (dj, xj) = (block(&files[0].1), block(&files[1].1));
        let head = &block_texts(&dj).unwrap()[0];
        assert_eq!(format!("{head}{}", block_texts(&xj).unwrap()[0]), text);
        assert_eq!(head.len(), split(&text).0.len());
        assert!(files[0].1.len() < head.len() / 10, "repetitive text compresses");
        d.summary.clear();
        d.body.clear();
        let files = doc_blocks(&[d], &[0]);
        assert_eq!(files.len(), 1, "no rest file without a rest");
        let dj = block(&files[0].1);
        assert_eq!(block_texts(&dj), Some(vec![String::new()]));
    }

    #[test]
    fn heads_and_rests_of_a_block_are_deflated_together_and_sheet_urls_left_out() {
        let docs: Vec<SearchDoc> = (0..REST_BLOCK + 3)
            .map(|i| SearchDoc {
                id: format!("cat/f{i}"),
                kind: Kind::Fiche,
                title: format!("Fiche {i}"),
                url: if i == 1 {
                    "ailleurs/index.html".into()
                } else {
                    format!("fiches/cat/f{i}/index.html")
                },
                category: String::new(),
                audience: vec![],
                tags: vec![],
                summary: String::new(),
                // Every other document has a rest; one with accents cut
                // anywhere must come back whole.
                body: if i % 2 == 0 {
                    format!("élève n°{i} imprimante ").repeat(150 + i)
                } else {
                    "court".into()
                },
                code: String::new(),
            })
            .collect();
        let order: Vec<usize> = (0..docs.len()).collect();
        let files = doc_blocks(&docs, &order);
        let read = |name: &str| {
            registered_data(&files.iter().find(|f| f.0 == Path::new(name)).unwrap().1)
                .unwrap()
                .1
        };
        let xs: Vec<_> = files.iter().filter(|f| f.0.starts_with("x")).collect();
        assert_eq!(xs.len(), 2, "one x/ file per block of REST_BLOCK");
        let ds = files.iter().filter(|f| f.0.starts_with("d")).count();
        assert_eq!(ds, docs.len().div_ceil(DOC_BLOCK), "one d/ file per block of DOC_BLOCK");
        for (o, d) in docs.iter().enumerate() {
            let dj = read(&format!("d/{}.js", o / DOC_BLOCK));
            let e = &dj["d"][o % DOC_BLOCK];
            assert_eq!(e.get("u").is_none(), o != 1, "{e}");
            assert_eq!(doc_url(e).as_deref(), Some(d.url.as_str()));
            let text = snippet_text(d);
            let head = &block_texts(&dj).unwrap()[o % DOC_BLOCK];
            let rest = &block_texts(&read(&format!("x/{}.js", o / REST_BLOCK))).unwrap()[o % REST_BLOCK];
            assert_eq!(format!("{head}{rest}"), text, "{o}");
            assert_eq!(e["m"] == 1, !rest.is_empty());
        }
    }

    #[test]
    fn files_written_as_they_are_made_are_the_files_built_in_memory() {
        let docs: Vec<SearchDoc> = (0..1500)
            .map(|i| SearchDoc {
                id: format!("f{i}"),
                kind: Kind::Fiche,
                title: format!("Fiche {i}"),
                url: format!("f{i}/"),
                category: String::new(),
                audience: vec!["eleve".into()],
                tags: vec![],
                summary: String::new(),
                body: format!("imprimante mot{i} ").repeat(400),
                code: String::new(),
            })
            .collect();
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![],
        };
        let put: std::sync::Mutex<Vec<(PathBuf, String)>> = Default::default();
        let stats = write_browser_index_with(&cfg, &docs, &|rel, bytes| {
            let rel = Path::new(rel).strip_prefix("search").unwrap().to_path_buf();
            put.lock()
                .unwrap()
                .push((rel, String::from_utf8(bytes.to_vec()).unwrap()));
            Ok(())
        })
        .unwrap();
        let mut put = put.into_inner().unwrap();
        put.sort();
        let built = build_browser_index(&cfg, &docs).unwrap();
        assert!(put == built.files, "the files differ");
        // More than one group of documents, each written as it was made.
        assert!(put.iter().filter(|f| f.0.starts_with("x")).count() > DOC_GROUP / REST_BLOCK);
        assert_eq!(stats.files, put.len());
        assert_eq!(stats.total_bytes, put.iter().map(|f| f.1.len() as u64).sum::<u64>());
        assert_eq!((stats.docs, stats.terms), (1500, built.terms));
    }

    /// Words of 4 to 9 letters spread over the alphabet, from `n`.
    fn word(n: usize) -> String {
        let mut h = (n as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let len = 4 + (h % 6) as usize;
        (0..len)
            .map(|_| {
                h = h
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                char::from(b'a' + ((h >> 33) % 26) as u8)
            })
            .collect()
    }

    /// The shard files (`v/`, `f/`, `r/`, `s/`, `t/`, `p/`) of `b` that `a`
    /// does not have with the same bytes.
    fn shard_files_changed(a: &BrowserIndex, b: &BrowserIndex) -> Vec<String> {
        let old: std::collections::BTreeSet<&(PathBuf, String)> = a.files.iter().collect();
        b.files
            .iter()
            .filter(|f| !old.contains(f))
            .map(|f| f.0.to_string_lossy().into_owned())
            .filter(|p| {
                ["v/", "f/", "r/", "s/", "t/", "p/", "b/"]
                    .iter()
                    .any(|d| p.starts_with(d))
            })
            .collect()
    }

    #[test]
    fn a_cut_is_not_made_where_its_shard_would_take_a_taken_file_name() {
        let mut stems = Stems::new();
        // The first shard's name (bound "") is taken from the start.
        assert_eq!(shard_file("v", ""), (PathBuf::from("v/k.js"), "v:".to_string()));
        assert!(stems.take("a", "a.b"));
        // Bound `a_` (after `a.c`): `ka-`, as `a.`'s.
        assert!(!stems.take("a.c", "a_b"));
        assert!(stems.take("a.c", "ab"));
        assert_eq!(shard_file("t", "é_x").0, PathBuf::from("t/k--x.js"));
    }

    #[test]
    fn a_new_word_early_in_the_alphabet_changes_a_few_shard_files() {
        // 1,200 sheets of 40 words out of 10,000 (many `v/` and `t/` shards);
        // then one word of a sheet replaced by a word sorting before
        // nearly all of them, the sheet as long as before (the mean
        // lengths, and so every other term's levels, stay).
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![],
        };
        let body = |i: usize| -> Vec<String> { (0..40).map(|k| word((i * 31 + k * 977) % 10000)).collect() };
        let docs: Vec<SearchDoc> = (0..1200)
            .map(|i| doc(&format!("d{i:03}"), &body(i).join(" ")))
            .collect();
        let before = build_browser_index(&cfg, &docs).unwrap();
        let m = manifest_json(&before);
        let (ranges, vocab) = (term_bounds(&before), m["vocab"].as_str().unwrap());
        assert!(ranges.len() > 20, "{ranges:?}");
        assert!(front_decode(vocab).len() > 40, "{vocab}");
        for new in ["aabacuszo", "mmorglub"] {
            let mut docs = docs.clone();
            let mut words = body(500);
            words[3] = new.to_string();
            docs[500].body = words.join(" ");
            let after = build_browser_index(&cfg, &docs).unwrap();
            let changed = shard_files_changed(&before, &after);
            // Its `v/`, `f/`, `r/` shards and the replaced word's, the
            // term shards of both; a neighbour or two where a cut moves.
            assert!(changed.len() <= 12, "{new}: {} files: {changed:?}", changed.len());
        }
    }

    #[test]
    fn prefixes_over_several_vocabulary_shards_have_their_completions_in_the_first() {
        // Many words sharing a few prefixes, so that `v/` shards cut inside
        // them; five `imp` stems in every document, so that their postings
        // fill several term shards (`imp` gets a bundle).
        let stems = [
            "imprim", "import", "impress", "imposs", "impact", "compt", "compl", "comm",
        ];
        let docs: Vec<SearchDoc> = (0..2000)
            .map(|i| {
                let body: Vec<String> = (0..12)
                    .map(|k| {
                        format!(
                            "{}{}x{}",
                            stems[(i + k) % stems.len()],
                            ["ant", "er", "ions", "é"][k % 4],
                            (i * 7 + k) % 97
                        )
                    })
                    .collect();
                SearchDoc {
                    title: format!("Imprimante {i}"),
                    ..doc(
                        &format!("d{i}"),
                        &format!(
                            "{} imprimante imprimer importer impression impossible impact compte",
                            body.join(" ")
                        ),
                    )
                }
            })
            .collect();
        let (cfg, ix, bounds) = index_of_many_vocab_shards(&docs);
        let analyzer = Analyzer::new(&cfg);
        let c = collect_docs(&analyzer, &docs, &doc_order(&docs), false);
        let lists: Vec<BTreeMap<String, Vec<String>>> = (0..bounds.len())
            .map(|i| {
                let v = file_json(&ix, shard_file("v", &bounds[i]).0.to_str().unwrap()).unwrap();
                let text = v["c"].as_str().unwrap_or("");
                text.split(' ')
                    .filter(|e| !e.is_empty())
                    .map(|e| {
                        let (q, l) = e.split_once(':').unwrap();
                        (q.to_string(), l.split(',').map(str::to_string).collect())
                    })
                    .collect()
            })
            .collect();
        let mut prefixes: Vec<String> = c
            .vocab
            .entries
            .iter()
            .flat_map(|e| {
                let s = e.surface.clone();
                s.char_indices()
                    .map(|(i, ch)| s[..i + ch.len_utf8()].to_string())
                    .collect::<Vec<_>>()
            })
            .filter(|q| q.chars().count() >= PREFIX_MIN)
            .collect();
        prefixes.sort();
        prefixes.dedup();
        let mut several = 0;
        for q in &prefixes {
            let i = shard_index(&bounds, q);
            let multi = i + 1 < bounds.len() && bounds[i + 1].starts_with(q.as_str());
            let want = crate::engine::completions(c.vocab.with_prefix(q), q);
            // A known word of PREFIX_MIN letters is not completed: no list.
            let completed = crate::engine::completes(&c.vocab, q);
            match lists[i].get(q) {
                Some(got) => {
                    assert!(multi && completed, "{q}: listed but in one shard or not completed");
                    assert_eq!(got, &want, "{q}");
                    several += 1;
                }
                None => assert!(!multi || !completed, "{q}: over several shards, no list"),
            }
        }
        assert!(several >= 5, "{several} prefixes over several shards");
        // Prefix bundles: rows of the term shards, each stem with its exact title terms.
        let bundles: Vec<String> = ix
            .files
            .iter()
            .filter(|f| f.0.starts_with("v"))
            .filter_map(|f| file_json(&ix, f.0.to_str().unwrap()))
            .flat_map(|v| {
                v["q"]
                    .as_str()
                    .unwrap_or_default()
                    .split(' ')
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .filter(|q| !q.is_empty())
            .collect();
        assert!(bundles.contains(&"imp".to_string()), "{bundles:?}");
        // None for a word of PREFIX_MIN letters the vocabulary knows.
        assert!(
            bundles.iter().all(|b| crate::engine::completes(&c.vocab, b)),
            "{bundles:?}"
        );
        let mut in_shards: BTreeMap<String, String> = BTreeMap::new();
        for f in ix.files.iter().filter(|f| f.0.starts_with("t")) {
            let d = file_json(&ix, f.0.to_str().unwrap()).unwrap();
            for (t, p) in d["t"].as_array().unwrap().iter().zip(d["p"].as_array().unwrap()) {
                in_shards.insert(t.as_str().unwrap().into(), p.as_str().unwrap().into());
            }
        }
        let imp = bundles.iter().position(|b| b == "imp").unwrap();
        let d = file_json(&ix, shard_file("p", &bundles[imp]).0.to_str().unwrap()).unwrap();
        let t: Vec<&str> = d["t"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        for want in crate::engine::completions(c.vocab.with_prefix("imp"), "imp") {
            assert!(t.contains(&want), "{want} in {t:?}");
        }
        assert!(t.iter().any(|x| x.contains(EXACT_SEP)), "exact title terms: {t:?}");
        assert!(t.windows(2).all(|w| w[0] < w[1]), "sorted: {t:?}");
        for (t, p) in t.iter().zip(d["p"].as_array().unwrap()) {
            assert_eq!(in_shards.get(*t).map(String::as_str), p.as_str(), "{t}");
        }
    }

    #[test]
    fn tag_terms_are_in_the_vocabulary_shard_of_their_key() {
        // Enough words for many `v/` shards; tags of one and two words.
        let tags = [["imprimante", "bloquée"], ["compte", "verrouillé"], ["wifi", "invité"]];
        let docs: Vec<SearchDoc> = (0..600)
            .map(|i| {
                let words: Vec<String> = (0..20).map(|k| format!("mot{}x{}", (i * 13 + k) % 311, k)).collect();
                let t = &tags[i % tags.len()];
                SearchDoc {
                    tags: vec![t.join(" "), t[1].to_string()],
                    ..doc(&format!("d{i}"), &format!("{} {}", words.join(" "), t.join(" ")))
                }
            })
            .collect();
        let (_, ix, bounds) = index_of_many_vocab_shards(&docs);
        for f in ix.files.iter().filter(|f| f.0.starts_with("t")) {
            let d = file_json(&ix, f.0.to_str().unwrap()).unwrap();
            let t = d["t"].as_array().unwrap();
            assert!(!t.iter().any(|t| t.as_str().unwrap().starts_with(TAG_SEP)), "{:?}", f.0);
        }
        let mut found: BTreeMap<String, usize> = BTreeMap::new();
        for i in 0..bounds.len() {
            let v = file_json(&ix, shard_file("v", &bounds[i]).0.to_str().unwrap()).unwrap();
            let (t, p) = (v["g"]["t"].as_array(), v["g"]["p"].as_array());
            let t: Vec<&str> = t.into_iter().flatten().map(|t| t.as_str().unwrap()).collect();
            assert!(t.windows(2).all(|w| w[0] < w[1]), "sorted: {t:?}");
            for (t, p) in t.iter().zip(p.into_iter().flatten()) {
                assert_eq!(shard_index(&bounds, &t[1..]), i, "{t} in v/{i}");
                let ords = decode_postings(p.as_str().unwrap(), false).unwrap();
                found.insert(t.to_string(), ords.len());
            }
        }
        // Each tag said by its keys (up to two final e dropped, then a
        // final "qu" is "c": rank30's endings of derivation), 200 sheets each.
        for key in ["/imprimant/bloc", "/compt/verrouill", "/wifi/invit", "/bloc", "/invit"] {
            assert_eq!(found.get(key), Some(&200), "{key} in {found:?}");
        }
    }

    /// A term whose rows weigh TERM_ALONE bytes or more is a term shard
    /// alone: a query for a rare word near it does not load it, nor a
    /// query for it the rare words (with a cut only after such a term, or
    /// only past 30 % of the target, `toblerone` shared its shard).
    #[test]
    fn a_frequent_term_and_rare_terms_never_share_a_term_shard() {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![],
        };
        // `toblerone` in 600 sheets of 1,200; rare words around it
        // (`tobaak`, `toblbak`…) and over the alphabet, each in a sheet or two.
        let docs: Vec<SearchDoc> = (0..1200usize)
            .map(|i| {
                let (a, b) = (
                    char::from(b'a' + (i % 26) as u8),
                    char::from(b'a' + (i / 26 % 26) as u8),
                );
                let t = if i.is_multiple_of(2) { "toblerone" } else { "" };
                doc(&format!("d{i:04}"), &format!("{t} tob{a}{b}k tobl{b}{a}k {}", word(i)))
            })
            .collect();
        let ix = build_browser_index(&cfg, &docs).unwrap();
        let units = term_units(ix.files.iter().map(|(p, t)| (p.as_path(), t.as_str())));
        let (big, size) = units.values().flatten().max_by_key(|u| u.1).unwrap().clone();
        assert!(big.starts_with("tobleron"), "{big}");
        // Big enough, not so big the cuts before this rule made it alone.
        assert!((TERM_ALONE..TERM_SHARD_TARGET * 3 / 10).contains(&size), "{size}");
        for (path, units) in &units {
            for u in units {
                assert!(u.1 < TERM_ALONE || units.len() == 1, "{path:?}: {u:?} in {units:?}");
            }
        }
        let near = |w: &str| units.values().find(|u| u.iter().any(|u| u.0 == w)).unwrap().len();
        assert_eq!(near(&big), 1);
        assert!(near("tobaak") > 1, "the rare words share shards");
    }

    #[test]
    fn shard_bounds_are_short_and_front_coded() {
        assert_eq!(short_bound(None, "abc"), "");
        assert_eq!(short_bound(Some("imprime"), "imprimer"), "imprimer");
        assert_eq!(short_bound(Some("abz"), "acd"), "ac");
        let keys: Vec<String> = ["", "ab", "abd", "b"].iter().map(|s| s.to_string()).collect();
        assert_eq!(front_code(&keys), "A Aab Cd Ab");
    }

    /// A sheet titled by its id, with `body` as its text (synonym tests).
    fn doc(id: &str, body: &str) -> SearchDoc {
        SearchDoc {
            id: id.into(),
            kind: Kind::Fiche,
            title: id.into(),
            url: format!("{id}/"),
            category: String::new(),
            audience: vec![],
            tags: vec![],
            summary: String::new(),
            body: body.into(),
            code: String::new(),
        }
    }

    /// The manifest of an index built in memory, parsed.
    /// The browser index of `docs` (French, no synonyms) and the first
    /// keys of its `v/` shards, which must be many for the test to mean
    /// something.
    fn index_of_many_vocab_shards(docs: &[SearchDoc]) -> (SearchConfig, BrowserIndex, Vec<String>) {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![],
        };
        let ix = build_browser_index(&cfg, docs).unwrap();
        let bounds = super::front_decode(manifest_json(&ix)["vocab"].as_str().unwrap());
        assert!(bounds.len() > 10, "{} v/ shards", bounds.len());
        (cfg, ix, bounds)
    }

    /// search-engine.js rebuilds a sheet's URL from the manifest's
    /// `sheet_url`, not from a pattern of its own: the manifest must carry
    /// the one the `d/` entries were written with.
    #[test]
    fn the_manifest_gives_the_sheet_url_pattern_left_out_of_d_entries() {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![],
        };
        let sheet = SearchDoc {
            url: "fiches/cat/a/index.html".into(),
            ..doc("cat/a", "imprimante")
        };
        let ix = build_browser_index(&cfg, &[sheet]).unwrap();
        let p = &manifest_json(&ix)["sheet_url"];
        let e = &file_json(&ix, "d/0.js").unwrap()["d"][0];
        assert!(e.get("u").is_none(), "{e}");
        let rebuilt = format!(
            "{}{}{}",
            p[0].as_str().unwrap(),
            e["id"].as_str().unwrap(),
            p[1].as_str().unwrap()
        );
        assert_eq!(rebuilt, "fiches/cat/a/index.html");
        let engine = include_str!("../../../themes/default/assets/search-engine.js");
        assert!(
            !engine.contains("'/index.html'"),
            "the engine must take the pattern from the manifest"
        );
    }

    fn manifest_json(ix: &BrowserIndex) -> Value {
        let f = ix.files.iter().find(|f| f.0 == Path::new("manifest.js")).unwrap();
        registered_data(&f.1).unwrap().1
    }

    /// A register_js file's data, parsed.
    fn file_json(ix: &BrowserIndex, name: &str) -> Option<Value> {
        let f = ix.files.iter().find(|f| f.0 == Path::new(name))?;
        registered_data(&f.1).map(|x| x.1)
    }

    /// Index of the synonym group holding the phrase `stems` (space
    /// separated) in the manifest's compact `syn.groups`.
    fn group_of(m: &Value, stems: &str) -> usize {
        let groups = m["syn"]["groups"].as_str().unwrap();
        groups
            .split('|')
            .position(|g| g.split(',').any(|ph| ph == stems))
            .unwrap_or_else(|| panic!("{stems} in {groups}"))
    }

    fn list(v: &Value) -> Vec<usize> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|g| g.as_u64().unwrap() as usize)
            .collect()
    }

    /// The first keys of the range term shards: those of the `b/` files.
    fn term_bounds(ix: &BrowserIndex) -> Vec<String> {
        let mut out = vec![String::new()];
        for (path, _) in ix.files.iter().filter(|f| f.0.starts_with("b")) {
            // `b/ks.js` and `b/kg.js` hold typo lists' bounds.
            if let Some(run) = file_json(ix, path.to_str().unwrap()).unwrap()["b"].as_str() {
                out.extend(front_decode(run));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The terms of the `i`th term shard (range shards, then word shards,
    /// then phrase shards), or none when there is no such file.
    fn shard_terms(ix: &BrowserIndex, i: usize) -> Vec<String> {
        let bounds = term_bounds(ix);
        let file = match bounds.get(i) {
            Some(b) => shard_file("t", b).0,
            None => synonym_shard_file(i - bounds.len()).0,
        };
        file_json(ix, file.to_str().unwrap()).map_or(vec![], |d| {
            d["t"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect()
        })
    }

    /// A typo's candidate stem may be in no run of the `v/` shards loaded:
    /// its first char's `b/` file alone gives its `t/` shard, the way
    /// search-engine.js's rangeShard reads a run; `bounds.js`, which every
    /// typo loads, holds no term bound (5.6 KB of 8.5 at 10,000 sheets).
    #[test]
    fn the_b_file_of_a_stem_s_first_char_gives_its_term_shard() {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![],
        };
        let docs: Vec<SearchDoc> = (0..1200)
            .map(|i| {
                let words: Vec<String> = (0..40).map(|k| word((i * 31 + k * 977) % 10000)).collect();
                doc(&format!("d{i:03}"), &(words.join(" ") + " école œil 2fa"))
            })
            .collect();
        let ix = build_browser_index(&cfg, &docs).unwrap();
        let typo = file_json(&ix, "bounds.js").unwrap();
        assert!(typo.get("terms").is_none() && typo.get("fvocab").is_some(), "{typo}");
        assert!(typo.get("short").is_none() && file_json(&ix, "b/ks.js").unwrap()["short"].is_string());
        let bounds = term_bounds(&ix);
        assert!(bounds.len() > 20, "{bounds:?}");
        let mut seen = 0;
        for (i, b) in bounds.iter().enumerate() {
            let Some(shard) = file_json(&ix, shard_file("t", b).0.to_str().unwrap()) else {
                continue;
            };
            for term in shard["t"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()) {
                let stem = term.split(EXACT_SEP).next().unwrap();
                let ch = stem.chars().next().unwrap();
                let name = shard_file("b", &u32::from(ch).to_string()).0;
                let run = file_json(&ix, name.to_str().unwrap()).unwrap_or_else(|| panic!("no {name:?} for {term}"));
                let mut keys = front_decode(run["b"].as_str().unwrap());
                let end = keys.pop().unwrap();
                assert!(
                    keys[0].as_str() <= stem && (end.is_empty() || stem < end.as_str()),
                    "{term}: {keys:?} {end}"
                );
                assert_eq!(keys[shard_index(&keys, stem)], *b, "{term} in t/{i}");
                seen += 1;
            }
        }
        assert!(seen > 1000, "{seen} terms");
        // A char that starts no bound (`2fa`) has its file too.
        assert!(!bounds.iter().any(|b| b.starts_with('2')) && file_json(&ix, "b/k50.js").is_some());
    }

    #[test]
    fn a_synonym_group_has_a_word_shard_and_absent_groups_have_none() {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![vec!["ordinateur".into(), "pc".into(), "bécane".into()]],
        };
        let docs = [
            doc("a", "ordinateur lent"),
            doc("b", "le pc redémarre"),
            doc("c", "imprimante"),
        ];
        let ix = build_browser_index(&cfg, &docs).unwrap();
        let m = manifest_json(&ix);
        // The language's own synonyms are there too, mostly absent here:
        // their groups have no shard.
        let noshard = list(&m["noshard"]);
        assert!(noshard.contains(&group_of(&m, "visio")), "{noshard:?}");
        let group = group_of(&m, "pc");
        assert!(!noshard.contains(&group), "{noshard:?}");
        let ranges = term_bounds(&ix).len();
        let shard = shard_terms(&ix, ranges + group);
        assert!(
            shard.contains(&"ordin".to_string()) && shard.contains(&"pc".to_string()),
            "{shard:?}"
        );
        let in_ranges: Vec<String> = (0..ranges).flat_map(|i| shard_terms(&ix, i)).collect();
        assert!(
            !in_ranges.contains(&"pc".to_string()) && in_ranges.contains(&"lent".to_string()),
            "{in_ranges:?}"
        );
    }

    #[test]
    fn a_synonym_phrase_term_has_its_group_phrase_shard_and_its_words_their_range() {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![vec!["visio".into(), "classe virtuelle".into()]],
        };
        let docs = [
            doc("a", "ouvrir la classe virtuelle"),
            doc("b", "une classe de sixième"),
            doc("c", "la visio du jour"),
        ];
        let ix = build_browser_index(&cfg, &docs).unwrap();
        let m = manifest_json(&ix);
        let phrase = phrase_term("classe", "virtuelle");
        assert!(
            m["syn"]["phrases"].to_string().contains(&phrase),
            "{}",
            m["syn"]["phrases"]
        );
        let ranges = term_bounds(&ix).len();
        let groups = m["syn"]["groups"].as_str().unwrap().split('|').count();
        let group = group_of(&m, "visio");
        assert!(!list(&m["nophrase"]).contains(&group) && !list(&m["noshard"]).contains(&group));
        // The phrase term alone in the phrase shard; `visio` in the word shard.
        assert_eq!(shard_terms(&ix, ranges + groups + group), std::slice::from_ref(&phrase));
        assert_eq!(shard_terms(&ix, ranges + group), ["visio"]);
        // The words of the phrase: only needed when typed, in their ranges.
        let in_ranges: Vec<String> = (0..ranges).flat_map(|i| shard_terms(&ix, i)).collect();
        assert!(!in_ranges.contains(&phrase), "{in_ranges:?}");
        assert!(in_ranges.contains(&"class".to_string()), "{in_ranges:?}");
        // A group with words but none of its phrases in the corpus.
        let ix = build_browser_index(&cfg, &docs[1..]).unwrap();
        let m = manifest_json(&ix);
        assert!(list(&m["nophrase"]).contains(&group) && !list(&m["noshard"]).contains(&group));
    }

    /// Decodes `encode_postings` (with levels) or `encode_ords`.
    fn decode(enc: &str, levels: bool) -> Vec<(u32, u16)> {
        let list = super::decode_postings(enc, levels).unwrap();
        list.into_iter().map(|(o, q)| (o, q as u16)).collect()
    }

    #[test]
    fn the_title_flag_is_read_from_the_exact_terms_and_markers_beside_each_term() {
        let cfg = SearchConfig {
            language: "fr".into(),
            synonyms: vec![vec!["visio".into(), "classe virtuelle".into()]],
        };
        let titles = [
            "Imprimantes bloquées",
            "Imprimer en Wi-Fi",
            "L'imprimante n'imprime plus",
            "Classe virtuelle : la visio",
            "Classes virtuelles du lycée",
            "Réseau sans fil et wifi 5G",
            "Mot de passe oublié (ENT)",
        ];
        let docs: Vec<SearchDoc> = titles
            .iter()
            .enumerate()
            .map(|(i, t)| SearchDoc {
                title: t.to_string(),
                ..doc(
                    &format!("d{i}"),
                    "imprimante classe virtuelle wifi réseau sans fil mot de passe",
                )
            })
            .collect();
        let ix = build_browser_index(&cfg, &docs).unwrap();
        // What the flag says, from the index's own impacts.
        let analyzer = Analyzer::new(&cfg);
        let order = doc_order(&docs);
        let c = collect_docs(&analyzer, &docs, &order, true);
        let mut flagged = 0;
        for (term, list) in &c.postings {
            if term.contains(EXACT_SEP) {
                continue;
            }
            let in_title: Vec<u32> = list.iter().filter(|(_, tf)| tf[0] > 0).map(|(o, _)| o).collect();
            flagged += in_title.len();
            // What the browser reads: the term's shard, the lists after it
            // whose name starts with the term and EXACT_SEP.
            let shard = ix
                .files
                .iter()
                .filter(|f| f.0.starts_with("t"))
                .map(|f| registered_data(&f.1).unwrap().1)
                .find(|d| d["t"].as_array().unwrap().iter().any(|t| t == term.as_str()))
                .unwrap_or_else(|| panic!("{term} in no shard"));
            let (t, p) = (shard["t"].as_array().unwrap(), shard["p"].as_array().unwrap());
            let k = t.iter().position(|x| x == term.as_str()).unwrap();
            let levels = decode(p[k].as_str().unwrap(), true);
            assert_eq!(levels.len(), list.len(), "{term}");
            let pre = format!("{term}{EXACT_SEP}");
            let mut read: Vec<u32> = t[k + 1..]
                .iter()
                .zip(&p[k + 1..])
                .take_while(|(x, _)| x.as_str().unwrap().starts_with(&pre))
                .flat_map(|(_, p)| decode(p.as_str().unwrap(), false))
                .map(|(o, _)| o)
                .collect();
            read.sort();
            read.dedup();
            assert_eq!(read, in_title, "{term}");
        }
        assert!(flagged > 15, "titles have words: {flagged}");
        let marker = format!("\"{}{EXACT_SEP}\"", phrase_term("classe", "virtuelle"));
        let markers = ix.files.iter().filter(|f| f.1.contains(&marker)).count();
        assert_eq!(markers, 1, "the phrase term in two titles has its marker");
    }
}
