//! Query planning and scoring, shared by the CLI and (re-implemented line
//! for line) by search-engine.js's engine. Keep the two in step: same plan, same
//! float operations in the same order.
//!
//! A query becomes a list of *concepts* (a word, or a run of words forming
//! a synonym phrase). A concept has *alternatives* (the words typed, a
//! synonym phrase, a hyphen split); an alternative is a list of *slots*,
//! one per word; a slot is a set of index terms with a multiplier (exact
//! stem 1, typo and completion less). Scores:
//!
//! - slot(d)    = max over terms t of  pen_t × (min(idf(t), idf_s) × impact(t, d))
//!   where, in the words as typed (the first alternative), idf_s is the idf
//!   of the slot's most frequent exact word (else of its most frequent
//!   option): a completion or a typo never outweighs the word typed by being
//!   rarer (as Lucene blends the idf of a fuzzy query's expansions); a
//!   declared synonym keeps its own idf (idf_s = ∞), but the phrase terms
//!   of a synonym phrase score with at most the smallest idf_s of the
//!   words as typed (a phrase term is rare because its words stand side by
//!   side, not because it says something rarer);
//! - alt(d)     = pen_alt × Σ slot(d) × min(1, span / slots), if every
//!   slot matched (or `partial`)
//! - concept(d) = max over alternatives, or, where d matches `SYN_SUM_MIN`
//!   or more of the concept's names (one-slot alternatives),
//!   idf_n × sat(Σ pen × tf') if higher: their pseudo-frequencies summed
//!   before the saturation, idf_n that of the most frequent name;
//!   matched share = max matched/slots
//! - final(d)   = Σ concept(d) × coord^2 × (1 + (TITLE_BONUS − 1)·h²), h the
//!   share of the required concepts that the title holds as typed or as a
//!   synonym (not through a typo or completion; TITLE_BONUS when it holds
//!   them all), coord = Σ span×share / Σ span, × (1 + (TAG_BONUS − 1)·t²)
//!   where t is the share of the required query words that the
//!   document's tags say whole (each tag a run of consecutive query words,
//!   `analysis::tag_key` aside: number, gender and derivation)
//!   and × (1 + (SUMMARY_BONUS − 1)·u²), u the share of the required
//!   concepts that the summary holds (as the title's h; rank23)
//!
//! so a document matching more of the query words ranks higher, without
//! requiring all of them, and the sheet whose title says what the query
//! says comes first. impact(t, d) is BM25F (per-field weights and length
//! normalisation, saturated once over the fields, see `corpus::impact`).
//! A synonym phrase of several words matches only as a phrase, through
//! its phrase terms (`Analyzer::add_phrase_tokens`).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::analysis::{exact_term, tag_key, tag_term, Analyzer, QueryWord, Synonyms};
use crate::corpus::{df_class, Vocab, VocabEntry};
use crate::lang::Language;
use crate::params::*;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Opt {
    pub term: String,
    pub pen: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Slot {
    pub opts: Vec<Opt>,
    /// The exact title terms of the word as typed (`analysis::exact_term`),
    /// in the words as typed only: a title holding them says the query's
    /// very words (`EXACT_BONUS`).
    pub exact: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Alt {
    pub slots: Vec<Slot>,
    pub pen: f64,
    pub partial: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Concept {
    pub span: u32,
    pub alts: Vec<Alt>,
    /// A negated verb: weighs `NEG_WEIGHT` and counts in the coordination
    /// only where it matches.
    pub optional: bool,
    /// One word the vocabulary does not know, neither negated nor
    /// hyphenated: its options are guesses. Beside `GUESS_KNOWN_MIN` known
    /// required concepts it counts in the coordination only where it
    /// matches (rank27).
    pub guess: bool,
}

/// A run of consecutive query words that a tag may say whole: its tag
/// term (`analysis::tag_term`) and the query words it covers (bit i: unit i).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct TagRun {
    pub term: String,
    pub mask: u32,
}

#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Plan {
    pub concepts: Vec<Concept>,
    /// The query words (units, bit i: unit i, the first 32) of the required
    /// concepts: a document whose tags, each a run of query words said
    /// whole, cover a share s of them is multiplied by 1 + (TAG_BONUS − 1)·s².
    pub tag_required: u32,
    /// Every run of 1 to `TAG_MAX_WORDS` consecutive query words, as the
    /// tag term that would say it, sorted.
    pub tag_runs: Vec<TagRun>,
}

impl Plan {
    /// All index terms the plan may touch, sorted.
    pub fn terms(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for c in &self.concepts {
            for a in &c.alts {
                for s in &a.slots {
                    for o in &s.opts {
                        out.insert(o.term.clone());
                    }
                    out.extend(s.exact.iter().cloned());
                }
            }
        }
        out.extend(self.tag_runs.iter().map(|r| r.term.clone()));
        out
    }
}

struct Unit {
    surface: String,
    /// Stems from the vocabulary and synonym surfaces.
    stems: BTreeSet<String>,
    /// CLI only: the stemmer's stem of a word missing from the vocabulary,
    /// weighted like a typo (so the plan usually matches the browser's,
    /// whose typo matching tends to reach the same stem).
    fallback: Option<String>,
    /// Words typed as one hyphenated word, or two typed words joined.
    parts: Vec<(BTreeSet<String>, Option<String>)>,
    /// Two typed words joined ("cle usb" as `cleusb`): the words as typed,
    /// whose tag run and exact title terms still count (empty otherwise).
    typed: Vec<String>,
    span: u32,
    last: bool,
    negated: bool,
    /// Typo and clipped-word options of an unknown word.
    fuzzy: BTreeMap<String, f64>,
    /// An unknown (or rare, `params::SPLIT_RARE`) word run together from
    /// known ones: per split (`split_words`), each piece as typed and its
    /// stems.
    split: Vec<Vec<(String, BTreeSet<String>)>>,
}

/// Optimal string alignment distance (a transposition costs 1), or
/// `max + 1` once it exceeds `max`.
pub fn edit_distance(a: &[char], b: &[char], max: usize) -> usize {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > max {
        return max + 1;
    }
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m].min(max + 1)
}

/// Maximum edit distance allowed for a word of `n` letters.
pub fn max_typos(n: usize) -> usize {
    if n >= FUZZY_MIN_2 {
        2
    } else if n >= FUZZY_MIN_1 {
        1
    } else {
        0
    }
}

fn push_opt(opts: &mut BTreeMap<String, f64>, term: &str, pen: f64) {
    let e = opts.entry(term.to_string()).or_insert(0.0);
    if pen > *e {
        *e = pen;
    }
}

/// Where the typo candidates of an unknown word come from; search-engine.js
/// loads exactly these vocabulary lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FuzzyKeys {
    /// A short word: the short words one edit away, found by deletion
    /// keys (the word and the word minus one letter: two words one edit
    /// apart share a key). The CLI scans the lengths ±1 instead: the same set.
    Short(std::ops::RangeInclusive<usize>),
    /// Words starting with its first half or ending with its last half:
    /// one edit leaves one of them intact (`prefix` + `suffix` < length).
    Halves { prefix: String, suffix: String },
}

/// A typo target for short words: 2 to SHORT_MAX + 1 letters, no digit
/// (room numbers and model codes are not misspelt words).
pub fn is_short_target(surface: &str) -> bool {
    let n = surface.chars().count();
    (2..=SHORT_MAX + 1).contains(&n) && !surface.chars().any(|c| c.is_numeric())
}

/// A code (`taba1021`, `pce10723`: an inventory number, a model): at
/// least 3 ASCII digits, 2 of them in its first CLIP_MIN letters. A query
/// word without a digit never has one as a candidate: an edit adds at
/// most one digit, so a typo (at most 2 edits) has at most 2; a clipped
/// word's start is one edit from the word, so its first n ≥ CLIP_MIN
/// letters hold at most one digit (none in its first n - 1, which also
/// takes a deletion). The browser keeps codes apart (`g/`), loaded only
/// for a word with a digit ([`needs_typo_codes`]): at 10,000 generated
/// sheets, 3,000 codes start with `tab`, 35 KB that `tablete` loaded.
pub fn is_typo_code(surface: &str) -> bool {
    let all = surface.chars().filter(|c| c.is_ascii_digit()).count();
    let head = surface.chars().take(CLIP_MIN).filter(|c| c.is_ascii_digit()).count();
    all >= 3 && head >= 2
}

/// Whether the typo candidates of `surface` may be codes ([`is_typo_code`]).
pub fn needs_typo_codes(surface: &str) -> bool {
    surface.chars().any(|c| c.is_ascii_digit())
}

/// The word and the word minus each of its letters, deduplicated, sorted.
pub fn deletion_keys(surface: &str) -> Vec<String> {
    let cs: Vec<char> = surface.chars().collect();
    let mut out: Vec<String> = vec![surface.to_string()];
    for i in 0..cs.len() {
        out.push(cs[..i].iter().chain(&cs[i + 1..]).collect());
    }
    out.sort();
    out.dedup();
    out
}

/// Words of at least this many letters are apart from shorter ones in
/// the browser's suffix lists (`r/`, [`suffix_key`]): a typo of 5 or 6
/// letters (suffix of 2) keeps only words of 4 to 7 letters from its
/// suffix side, one of 10 or more only words of 8 or more (rlen29).
pub const SUFFIX_LONG: usize = 8;

/// The key of a word in the browser's suffix lists (`r/`): the word
/// reversed, with its length class ('0' under [`SUFFIX_LONG`] letters,
/// '1' from it) after its first two chars, which every suffix of a
/// [`FuzzyKeys::Halves`] has: the words a typo's suffix side can keep
/// (lengths n - max_typos ..= n + max_typos, no clipped word) are one or
/// two ranges, not every word with its suffix. `None` for a word under
/// SHORT_MAX letters, never a candidate there (n ≥ SHORT_MAX + 1 and
/// max_typos(n) ≤ 1 below FUZZY_MIN_2).
pub fn suffix_key(surface: &str) -> Option<String> {
    let n = surface.chars().count();
    if n < SHORT_MAX {
        return None;
    }
    let rev: Vec<char> = surface.chars().rev().collect();
    Some(class_key(&rev, suffix_class(n)))
}

/// `rev` (a word or a suffix, reversed) with `class` after its first two
/// chars: the layout of [`suffix_key`].
fn class_key(rev: &[char], class: char) -> String {
    let (head, tail) = rev.split_at(2.min(rev.len()));
    head.iter().chain([&class]).chain(tail).collect()
}

/// The length class of a word of `n` letters in [`suffix_key`].
pub fn suffix_class(n: usize) -> char {
    if n >= SUFFIX_LONG {
        '1'
    } else {
        '0'
    }
}

/// The [`suffix_key`] prefixes of the words the suffix side of a typo
/// of `n` letters with this suffix can keep: one per length class.
pub fn suffix_prefixes(suffix: &str, n: usize) -> Vec<String> {
    let max = max_typos(n);
    let rev: Vec<char> = suffix.chars().rev().collect();
    let mut classes: Vec<char> = (n.saturating_sub(max)..=n + max).map(suffix_class).collect();
    classes.dedup();
    classes.into_iter().map(|c| class_key(&rev, c)).collect()
}

/// The candidate lists of `surface`, or `None` when it gets no typo.
pub fn fuzzy_keys(surface: &str) -> Option<FuzzyKeys> {
    let cs: Vec<char> = surface.chars().collect();
    let n = cs.len();
    if max_typos(n) == 0 {
        return None;
    }
    if n <= SHORT_MAX {
        return Some(FuzzyKeys::Short(n - 1..=n + 1));
    }
    let (a, b) = (n / 2, (n - 1) / 2);
    Some(FuzzyKeys::Halves {
        prefix: cs[..a].iter().collect(),
        suffix: cs[n - b..].iter().collect(),
    })
}

/// The lists of a long word's second chance (`far_candidates`): the words
/// sharing its first or its last ⌊n/4⌋ letters (FAR_MIN at least). Two
/// edits that fall one in each half leave no half intact, but leave one
/// of these quarters intact unless one edit is in each
/// (`vidoeprojceteur`, `inprimente`).
pub fn far_keys(surface: &str) -> Option<FuzzyKeys> {
    let cs: Vec<char> = surface.chars().collect();
    let n = cs.len();
    if max_typos(n) < 2 {
        return None;
    }
    // Three letters at least: the words sharing two are a tenth of the
    // vocabulary (`vi`, `ur`), 17 KB more for a word the site never says.
    let q = (n / 4).max(FAR_MIN);
    Some(FuzzyKeys::Halves {
        prefix: cs[..q].iter().collect(),
        suffix: cs[n - q..].iter().collect(),
    })
}

/// Typo candidates (distance, entry) and clipped-word candidates (distance
/// of the prefix, entry) of an unknown word.
#[allow(clippy::type_complexity)]
fn fuzzy_candidates<'v>(
    vocab: &'v Vocab,
    surface: &str,
) -> (Vec<(usize, &'v VocabEntry)>, Vec<(usize, &'v VocabEntry)>) {
    candidates_in(vocab, surface, fuzzy_keys(surface), true)
}

/// Typo candidates of a long unknown word in the lists of `far_keys`:
/// asked only when its halves found none and it splits into no known
/// words (`Planner::word_unit`), so words run together keep their split.
fn far_candidates<'v>(vocab: &'v Vocab, surface: &str) -> Vec<(usize, &'v VocabEntry)> {
    candidates_in(vocab, surface, far_keys(surface), false).0
}

/// The candidates of `surface` in the lists of `keys`; clipped words
/// from the prefix side with `with_clips`.
#[allow(clippy::type_complexity)]
fn candidates_in<'v>(
    vocab: &'v Vocab,
    surface: &str,
    keys: Option<FuzzyKeys>,
    with_clips: bool,
) -> (Vec<(usize, &'v VocabEntry)>, Vec<(usize, &'v VocabEntry)>) {
    let (mut typos, mut clips) = (Vec::new(), Vec::new());
    let Some(keys) = keys else {
        return (typos, clips);
    };
    let a: Vec<char> = surface.chars().collect();
    let n = a.len();
    let max = max_typos(n);
    // (entry, found by its start: may be a clipped word's completion)
    let mut cands: Vec<(&VocabEntry, bool)> = Vec::new();
    match &keys {
        FuzzyKeys::Short(lens) => {
            for l in lens.clone() {
                cands.extend(
                    vocab
                        .of_length(l)
                        .filter(|e| is_short_target(&e.surface))
                        .map(|e| (e, false)),
                );
            }
        }
        FuzzyKeys::Halves { prefix, suffix } => {
            cands.extend(vocab.with_prefix(prefix).iter().map(|e| (e, with_clips)));
            cands.extend(vocab.with_suffix(suffix).map(|e| (e, false)));
        }
    }
    for (e, forward) in cands {
        let b: Vec<char> = e.surface.chars().collect();
        let d = edit_distance(&a, &b, max);
        if (1..=max).contains(&d) {
            typos.push((d, e));
        }
        if forward && n >= CLIP_MIN && b.len() > n + 1 {
            let dp = (n - 1..=n + 1)
                .map(|l| edit_distance(&a, &b[..l], 1))
                .min()
                .unwrap_or(2);
            if dp <= 1 {
                clips.push((dp, e));
            }
        }
    }
    (typos, clips)
}

/// Typo options (distance ≤ `max_typos`, anywhere in the word) and clipped
/// word options (the word is the start of a longer one, one typo allowed)
/// of an unknown word. Returns how many candidates are at most one edit
/// away (typo or clip): none means the word may be words run together.
fn fuzzy_opts(vocab: &Vocab, surface: &str, opts: &mut BTreeMap<String, f64>) -> usize {
    let (typos, clips) = fuzzy_candidates(vocab, surface);
    opts_of(&typos, &clips, opts)
}

/// The typo options of `far_candidates`.
fn far_opts(vocab: &Vocab, surface: &str, opts: &mut BTreeMap<String, f64>) {
    opts_of(&far_candidates(vocab, surface), &[], opts);
}

/// The options of typo and clipped-word candidates: the best of each
/// stem, fewest edits then most frequent, FUZZY_MAX of each kind. Returns
/// how many are at most one edit away.
fn opts_of(typos: &[(usize, &VocabEntry)], clips: &[(usize, &VocabEntry)], opts: &mut BTreeMap<String, f64>) -> usize {
    // stem → (distance, df class)
    let by_stem = |list: &[(usize, &VocabEntry)]| {
        let mut m: BTreeMap<String, (usize, u32)> = BTreeMap::new();
        for &(d, e) in list {
            let v = m.entry(e.stem.clone()).or_insert((d, df_class(e.df)));
            if d < v.0 {
                v.0 = d;
            }
        }
        m
    };
    let (best, clip) = (by_stem(typos), by_stem(clips));
    let close = best.values().filter(|v| v.0 <= 1).count() + clip.len();
    let ranked = |m: BTreeMap<String, (usize, u32)>| {
        let mut c: Vec<(usize, u32, String)> = m.into_iter().map(|(s, (d, df))| (d, df, s)).collect();
        c.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)).then(x.2.cmp(&y.2)));
        c.truncate(FUZZY_MAX);
        c
    };
    for (d, _, s) in ranked(best) {
        push_opt(opts, &s, FUZZY_PENALTY[d]);
    }
    for (_, _, s) in ranked(clip) {
        push_opt(opts, &s, CLIP_PENALTY);
    }
    close
}

/// "Vouliez-vous dire …": the query with each word the site does not know
/// replaced by its closest word of the site's vocabulary (`correction`),
/// where that correction is what found the results. `rank` gives the
/// query's ranking (`score` of `plan`; asked only when a word has a
/// correction), `postings` those of the plan's terms. A correction is
/// suggested when the query found nothing (the suggestion is then all
/// the help there is), or when the first result holds it (its stem, or a
/// stem of each piece of a split, among the plan's terms) and it is no
/// other word than a typo's (`weak_correction`): a correct word that the
/// site happens not to use ("bon", "matin", "illisible") is at most in
/// some body further down, or a neighbour in form only. `None` when
/// nothing is corrected. search-engine.js's `suggestNow` mirrors it.
pub fn suggest<E>(
    analyzer: &Analyzer,
    vocab: &Vocab,
    query: &str,
    plan: &Plan,
    rank: impl FnOnce() -> Result<Vec<(u32, f64)>, E>,
    mut postings: impl FnMut(&str) -> Result<Vec<(u32, u16)>, E>,
) -> Result<Option<String>, E> {
    let syn = analyzer.synonyms();
    let stop = analyzer.stop_words();
    let known_df = |surface: &str| -> Option<u32> {
        vocab
            .df_class_of(surface)
            .or_else(|| syn.surfaces.contains_key(surface).then_some(0))
    };
    // (start, end, folded word, known, correction and the stems of each
    // of its pieces: a typo's word is one piece, a split two)
    #[allow(clippy::type_complexity)]
    let mut words: Vec<(usize, usize, String, bool, Option<(String, Vec<BTreeSet<String>>)>)> = Vec::new();
    for w in crate::analysis::raw_words(query, analyzer.elisions()) {
        let surface = crate::analysis::fold(&w.parts.iter().map(|p| p.0).collect::<String>());
        // A grammar word is a word as typed, never corrected (`Planner::said`).
        let skip = surface.is_empty()
            || surface.chars().count() > crate::analysis::MAX_WORD_CHARS
            || stop.contains(&surface)
            || analyzer.language().is_grammar(&surface);
        let known = !skip && known_df(&surface).is_some();
        let rep = if skip || known {
            None
        } else {
            correction(vocab, syn, stop, &surface, known_df)
        };
        words.push((w.start, w.end, surface, known, rep));
    }
    if words.iter().all(|w| w.4.is_none()) {
        return Ok(None);
    }
    // Only now the ranking: the command line scores again for it.
    let ranked = rank()?;
    let terms = plan.terms();
    // Whether the first result holds a stem of each piece.
    let mut first_holds = |pieces: &[BTreeSet<String>]| -> Result<bool, E> {
        let Some(&(first, _)) = ranked.first() else {
            return Ok(false);
        };
        for stems in pieces {
            let mut held = false;
            for s in stems.iter().filter(|s| terms.contains(*s)) {
                held |= postings(s)?.iter().any(|p| p.0 == first);
            }
            if !held {
                return Ok(false);
            }
        }
        Ok(true)
    };
    let mut out = String::new();
    let mut pos = 0;
    let mut changed = false;
    for (i, (start, end, surface, _, rep)) in words.iter().enumerate() {
        out.push_str(&query[pos..*start]);
        pos = *end;
        let others_known = words.iter().enumerate().any(|(j, x)| j != i && x.3);
        let keep = match rep {
            None => false,
            Some(_) if ranked.is_empty() => true,
            Some((r, pieces)) => !weak_correction(surface, r, others_known, pieces) && first_holds(pieces)?,
        };
        match rep {
            Some((r, _)) if keep => {
                out.push_str(r);
                changed = true;
            }
            _ => out.push_str(&query[*start..*end]),
        }
    }
    out.push_str(&query[pos..]);
    Ok(changed.then_some(out))
}

/// The closest word of the vocabulary to an unknown word (fewest edits,
/// then most frequent; else the word it starts; else the words run
/// together), with the stems of each of its pieces. A word of two letters
/// (often half of "Wi-Fi") is no correction.
fn correction(
    vocab: &Vocab,
    syn: &Synonyms,
    stop: &BTreeSet<String>,
    surface: &str,
    known_df: impl Fn(&str) -> Option<u32>,
) -> Option<(String, Vec<BTreeSet<String>>)> {
    let (typos, clips) = fuzzy_candidates(vocab, surface);
    let best = |list: &[(usize, &VocabEntry)]| {
        let w = &list
            .iter()
            .filter(|x| x.1.surface.chars().count() >= 3)
            .min_by(|x, y| {
                x.0.cmp(&y.0)
                    .then(df_class(y.1.df).cmp(&df_class(x.1.df)))
                    .then(x.1.surface.cmp(&y.1.surface))
            })?
            .1
            .surface;
        let stems = list.iter().filter(|x| &x.1.surface == w).map(|x| x.1.stem.clone());
        Some((w.clone(), vec![stems.collect::<BTreeSet<String>>()]))
    };
    best(&typos)
        .or_else(|| best(&clips))
        .or_else(|| {
            split_word(surface, stop, known_df).map(|p| {
                let rest: String = surface.chars().skip(p[0].chars().count()).collect();
                let glue = &rest[..rest.len() - p[1].len()];
                let text = if glue.is_empty() {
                    format!("{} {}", p[0], p[1])
                } else {
                    format!("{} {glue} {}", p[0], p[1])
                };
                (text, p.iter().map(|x| lookup(vocab, syn, x)).collect())
            })
        })
        .or_else(|| best(&far_candidates(vocab, surface)))
}

/// A correction of `word` into `rep` that is rather another word than a
/// typo, not suggested while the query finds something:
/// - the same word in the other number ("lettres" → "lettre", "cour" →
///   "cours", a final s or x): the search found it anyway (not a final e,
///   which a typo drops as often as the feminine: "pronot");
/// - two letters more or fewer before the same word ("illisible" →
///   "lisible", "impossible" → "possible", "démarrage" →
///   "redémarrage"): a prefix, often the opposite; a typo loses one;
/// - the first letter changed in a word of at most `SUGGEST_SHORT`
///   letters ("bon" → "son", "lent" → "ent", "saute" → "faute") when
///   another word of the query is known (`others_known`): one edit from
///   so few letters leaves many words, and the first letter is seldom
///   the one mistyped;
/// - another form of the correction's own word (rank27): the typed word is
///   a stem of the correction (`stems`, one piece) and an ending of 2 or 3
///   letters starting with a vowel ("partager" → "partages", stem
///   `partag`; "chargent" → "charge", stem `charg`): same stem, same
///   results. Not one letter: "tablete" → "tablette" (stem `tablet`) is a
///   typo.
pub fn weak_correction(word: &str, rep: &str, others_known: bool, stems: &[BTreeSet<String>]) -> bool {
    let (n, m) = (word.chars().count(), rep.chars().count());
    let singular = |w: &str| match w.strip_suffix(['s', 'x']) {
        Some(x) if w.chars().count() > 3 => x.to_string(),
        _ => w.to_string(),
    };
    singular(word) == singular(rep)
        || (n.abs_diff(m) >= 2 && (rep.ends_with(word) || word.ends_with(rep)))
        || (others_known && n <= SUGGEST_SHORT && word.chars().next() != rep.chars().next())
        || (stems.len() == 1 && stems[0].iter().any(|s| inflection_of(word, s)))
}

/// `word` is `stem` and an inflection's ending: 2 or 3 letters, the first
/// a vowel ("er", "es", "ez", "ent", "ons").
fn inflection_of(word: &str, stem: &str) -> bool {
    word.strip_prefix(stem)
        .is_some_and(|rest| (2..=3).contains(&rest.chars().count()) && rest.starts_with(['a', 'e', 'i', 'o', 'u']))
}

/// The terms of a typed surface: its stems in the vocabulary, then its
/// synonym terms.
fn lookup(vocab: &Vocab, syn: &Synonyms, surface: &str) -> BTreeSet<String> {
    let mut s: BTreeSet<String> = vocab.exact(surface).iter().map(|e| e.stem.clone()).collect();
    if let Some(x) = syn.surfaces.get(surface) {
        s.extend(x.iter().cloned());
    }
    s
}

/// Splits a word typed run together ("motdepasse", "wifiinvite") into two
/// known words, possibly with a stop word between them ("mot|de|passe"):
/// the split whose rarest piece is the most frequent, then the earliest.
/// `known(surface)` gives the df class of a known surface.
pub fn split_word(surface: &str, stop: &BTreeSet<String>, known: impl Fn(&str) -> Option<u32>) -> Option<Vec<String>> {
    split_words(surface, stop, known).into_iter().next()
}

/// The `SPLIT_MAX` best splits of a word run together, best first (see
/// `split_word`): letters alone do not tell "mot|de|passe" from
/// "mot|depasse" (dépassé), each is matched as an alternative and the
/// documents decide.
pub fn split_words(surface: &str, stop: &BTreeSet<String>, known: impl Fn(&str) -> Option<u32>) -> Vec<Vec<String>> {
    let cs: Vec<char> = surface.chars().collect();
    let n = cs.len();
    if n < SPLIT_MIN {
        return Vec::new();
    }
    let mut found: Vec<(u32, Vec<String>)> = Vec::new();
    for i in 2..=n - 2 {
        let left: String = cs[..i].iter().collect();
        if stop.contains(&left) {
            continue;
        }
        let Some(dl) = known(&left) else {
            continue;
        };
        let rest: String = cs[i..].iter().collect();
        for r in split_rests(&rest, stop) {
            if stop.contains(&r) {
                continue;
            }
            if let Some(dr) = known(&r) {
                found.push((dl.min(dr), vec![left.clone(), r]));
            }
        }
    }
    // Stable: among equals, the earliest first.
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found.truncate(SPLIT_MAX);
    found.into_iter().map(|f| f.1).collect()
}

/// The second piece of a split after `left`: the rest itself, then the
/// rest after each stop word it starts with (stop words in sorted order).
pub fn split_rests(rest: &str, stop: &BTreeSet<String>) -> Vec<String> {
    let mut out = vec![rest.to_string()];
    let n = rest.chars().count();
    for st in stop {
        if rest.starts_with(st.as_str()) && n >= st.chars().count() + 2 {
            out.push(rest[st.len()..].to_string());
        }
    }
    out
}

fn prefix_opts(vocab: &Vocab, surface: &str, opts: &mut BTreeMap<String, f64>) {
    if !completes(vocab, surface) {
        return;
    }
    for s in completions(vocab.with_prefix(surface), surface) {
        push_opt(opts, s, PREFIX_PENALTY);
    }
}

/// Whether the last word `surface` is completed: from PREFIX_MIN letters,
/// but a word of PREFIX_MIN letters the vocabulary knows is taken as
/// typed (`ent`, `pix`, `son`: its completions, `entre`, `entrer`, were
/// guesses that cost the browser a prefix bundle of 45 KB; typo28).
pub fn completes(vocab: &Vocab, surface: &str) -> bool {
    let n = surface.chars().count();
    n > PREFIX_MIN || (n == PREFIX_MIN && vocab.exact(surface).is_empty())
}

/// The completions of the last word `surface` among `entries` (the
/// vocabulary entries starting with it): the PREFIX_MAX most frequent
/// stems of the longer words. The browser index stores this list for the
/// prefixes whose words span several `v/` shards (browser::completion_lists).
pub fn completions<'v>(entries: &'v [VocabEntry], surface: &str) -> Vec<&'v str> {
    let mut best: BTreeMap<&str, u32> = BTreeMap::new();
    for e in entries {
        if e.surface != surface {
            best.insert(e.stem.as_str(), df_class(e.df));
        }
    }
    let mut cands: Vec<(u32, &str)> = best.into_iter().map(|(s, df)| (df, s)).collect();
    cands.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(y.1)));
    cands.into_iter().take(PREFIX_MAX).map(|(_, s)| s).collect()
}

/// The stems of the vocabulary's re-/ré- forms of `stem`
/// (`Language::again`): the words "re" + x, x of at least `RE_MIN`
/// letters whose stem is `stem` ("recharger", "rechargez" for `charg`;
/// "réinitialiser" for `initialis`). A query word matches them at
/// `RE_PENALTY`, never the reverse: "relever" does not find "lever".
/// x is looked for among the words starting with the prefix and the stem
/// (a stem is a prefix of its word but for a few Snowball rewrites, which
/// are then not linked, on both sides alike). The browser reads the same
/// lists from its `v/` shards (`browser::again_lists`).
pub fn re_forms(analyzer: &Analyzer, vocab: &Vocab, stem: &str) -> Vec<String> {
    let Some(again) = analyzer.language().again else {
        return Vec::new();
    };
    let mut out: Vec<String> = vocab
        .with_prefix(&format!("{again}{stem}"))
        .iter()
        .filter(|e| {
            let x = &e.surface[again.len()..];
            e.stem != stem && x.chars().count() >= RE_MIN && analyzer.stem_word(x, false) == stem
        })
        .map(|e| e.stem.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The other forms of a verb in -ier (`Language::verb_forms`):
/// "oublier" gives "oubliees", "oubliee", "oubliez", "oublies", "oublie",
/// which Snowball stems apart (`oubl`, not `oubli`). A query word matches
/// the vocabulary's words among them at SYN_PENALTY: « mot de passe
/// oublier », the infinitive typed for the participle, finds the sheet
/// that says « oublié ». Only that way: « oublié » does not find « oublier
/// le réseau » (over 15 relevance sets, the other way lost a typo query
/// among 1,000 generated sheets whose verbs are infinitives). Only where
/// the site says the form, so a noun in -ier ("fichier") is never joined
/// to a word the site does not say.
pub fn verb_form_surfaces(lang: &Language, surface: &str) -> Vec<String> {
    let Some((inf, forms)) = lang.verb_forms else {
        return Vec::new();
    };
    match surface.strip_suffix(inf) {
        Some(base) if base.chars().count() >= VERB_BASE_MIN => forms.iter().map(|f| format!("{base}{f}")).collect(),
        _ => Vec::new(),
    }
}

fn slot_from(opts: BTreeMap<String, f64>) -> Slot {
    Slot {
        opts: opts.into_iter().map(|(term, pen)| Opt { term, pen }).collect(),
        exact: Vec::new(),
    }
}

/// Builds the plan of `query`. `stemmer_fallback`: a word missing from the
/// vocabulary is looked up by its stem (CLI only: the browser has no
/// stemmer).
pub fn plan(analyzer: &Analyzer, vocab: &Vocab, n: u32, query: &str, stemmer_fallback: bool) -> Plan {
    let planner = Planner {
        analyzer,
        vocab,
        syn: analyzer.synonyms(),
        stemmer_fallback,
        n_class: df_class(n),
    };
    let (words, open) = planner.said(distinct_words(analyzer.query_words(query)));
    let units = planner.units(&words, open);
    let (concepts, lens) = planner.concepts(&units);
    let (tag_required, tag_runs) = tag_runs(analyzer.language(), &units, &concepts, &lens);
    Plan {
        concepts,
        tag_required,
        tag_runs,
    }
}

/// The query's words, each once: a word typed again (`imprimante` 72
/// times, pasted twice) says nothing more, and each copy was a concept
/// of its own, adding its score again (650 for 72 copies, 8 for one).
/// The first keeps its place; the word after a dropped copy stays
/// adjacent only to a copy right after the same word (`wifi wifi lent`
/// is `wifi lent`; in `wifi lent wifi bloque`, `lent` and `bloque` are
/// no phrase). search-engine.js's `distinctWords` does the same.
fn distinct_words(words: Vec<QueryWord>) -> Vec<QueryWord> {
    let mut seen: HashSet<(String, bool)> = HashSet::new();
    let mut out: Vec<QueryWord> = Vec::with_capacity(words.len());
    let mut cut = false;
    for mut w in words {
        if !seen.insert((w.surface.clone(), w.negated)) {
            let again = out
                .last()
                .is_some_and(|l| l.surface == w.surface && l.negated == w.negated);
            cut = cut || !(again && w.adjacent);
            continue;
        }
        if cut {
            w.adjacent = false;
        }
        cut = false;
        out.push(w);
    }
    out
}

/// The tag plan: the units of the required concepts, and the runs of 1
/// to `TAG_MAX_WORDS` consecutive units (their keys as typed,
/// `analysis::tag_key`) that a tag may say whole.
fn tag_runs(lang: &Language, units: &[Unit], concepts: &[Concept], lens: &[usize]) -> (u32, Vec<TagRun>) {
    let n = units.len().min(32);
    let mut required = 0u32;
    let mut at = 0usize;
    for (c, &l) in concepts.iter().zip(lens) {
        if !c.optional {
            for i in at..(at + l).min(n) {
                required |= 1 << i;
            }
        }
        at += l;
    }
    // Each unit's keys: its surface's, and for two typed words joined
    // (`cleusb`) also theirs (`/cle/usb`): the tag "clé usb" says them.
    // Likewise the pieces of a word typed run together (rank28:
    // `classemobile` says the tag "classe mobile", `/class/mobil`).
    let forms: Vec<Vec<Vec<String>>> = units[..n]
        .iter()
        .map(|u| {
            let mut f = vec![vec![tag_key(lang, &u.surface)]];
            if u.typed.len() > 1 {
                f.push(u.typed.iter().map(|w| tag_key(lang, w)).collect());
            }
            for pieces in &u.split {
                f.push(pieces.iter().map(|(w, _)| tag_key(lang, w)).collect());
            }
            f
        })
        .collect();
    let mut runs: BTreeSet<TagRun> = BTreeSet::new();
    for i in 0..n {
        let mut mask = 0u32;
        let mut seqs: Vec<Vec<String>> = vec![Vec::new()];
        for (j, unit_forms) in forms.iter().enumerate().take(n.min(i + TAG_MAX_WORDS)).skip(i) {
            mask |= 1 << j;
            seqs = seqs
                .iter()
                .flat_map(|s| {
                    unit_forms.iter().map(move |f| {
                        let mut x = s.clone();
                        x.extend(f.iter().cloned());
                        x
                    })
                })
                .filter(|x| x.len() <= TAG_MAX_WORDS)
                .collect();
            for keys in &seqs {
                runs.insert(TagRun {
                    term: tag_term(keys),
                    mask,
                });
            }
        }
    }
    (required, runs.into_iter().collect())
}

/// What `plan` reads, shared by its steps.
struct Planner<'a> {
    analyzer: &'a Analyzer,
    vocab: &'a Vocab,
    syn: &'a Synonyms,
    stemmer_fallback: bool,
    /// The df class of the document count (`params::SPLIT_RARE`).
    n_class: u32,
}

impl Planner<'_> {
    /// The terms of a typed surface: its stems in the vocabulary, then its
    /// synonym terms.
    fn lookup(&self, surface: &str) -> BTreeSet<String> {
        lookup(self.vocab, self.syn, surface)
    }

    /// The df class of a known surface (0 for a synonym-only surface), for
    /// `split_word`.
    fn known_df(&self, surface: &str) -> Option<u32> {
        self.vocab
            .df_class_of(surface)
            .or_else(|| self.syn.surfaces.contains_key(surface).then_some(0))
    }

    /// A known word that is rather words run together (`params::SPLIT_RARE`,
    /// `SPLIT_GAP`): the stems of each piece, matched as another
    /// alternative beside the word itself.
    fn rare_split(&self, surface: &str) -> Vec<Vec<(String, BTreeSet<String>)>> {
        let Some(class) = self.known_df(surface) else {
            return Vec::new();
        };
        if class + SPLIT_RARE > self.n_class {
            return Vec::new();
        }
        let known = |s: &str| self.known_df(s);
        split_words(surface, self.analyzer.stop_words(), known)
            .into_iter()
            .filter(|pieces| pieces.iter().all(|p| known(p).is_some_and(|c| c >= class + SPLIT_GAP)))
            .map(|pieces| pieces.iter().map(|p| (p.clone(), self.lookup(p))).collect())
            .collect()
    }

    /// The stemmer's stem of a word the vocabulary does not know (CLI only).
    fn with_fallback(&self, known: &BTreeSet<String>, stem: &str) -> Option<String> {
        (self.stemmer_fallback && known.is_empty()).then(|| stem.to_string())
    }

    /// The query words less the grammar words the site never says
    /// (`Language::is_grammar`): no typo candidates, completions or split
    /// for them, as for a stop word; the word after one is no longer
    /// adjacent. Also whether the last word typed is still among them
    /// (`open`): only then may it be a word being typed, completed. The
    /// browser's `said` does the same.
    fn said(&self, words: Vec<QueryWord>) -> (Vec<QueryWord>, bool) {
        let lang = self.analyzer.language();
        let mut out = Vec::with_capacity(words.len());
        let (mut cut, mut open) = (false, true);
        for mut w in words {
            open = !(w.parts.is_empty() && lang.is_grammar(&w.surface) && self.lookup(&w.surface).is_empty());
            if !open {
                cut = true;
                continue;
            }
            w.adjacent = w.adjacent && !cut;
            cut = false;
            out.push(w);
        }
        (out, open)
    }

    /// Query words as units: two adjacent words that are one known word when
    /// joined, else each word with its parts, typos and split. `open`: the
    /// last word may be unfinished (`said`).
    fn units(&self, words: &[QueryWord], open: bool) -> Vec<Unit> {
        let nw = words.len();
        let mut units: Vec<Unit> = Vec::new();
        let mut i = 0;
        while i < nw {
            if let Some(u) = self.joined_unit(words, i, open) {
                units.push(u);
                i += 2;
                continue;
            }
            units.push(self.word_unit(&words[i], open && i == nw - 1));
            i += 1;
        }
        units
    }

    /// Words `i` and `i + 1` typed apart ("wi fi") when, joined, they are a
    /// known surface: one unit of span 2, each word kept as a part.
    fn joined_unit(&self, words: &[QueryWord], i: usize, open: bool) -> Option<Unit> {
        let nw = words.len();
        let w = &words[i];
        if !(i + 1 < nw && words[i + 1].adjacent && w.parts.is_empty() && words[i + 1].parts.is_empty()) {
            return None;
        }
        let joined = format!("{}{}", w.surface, words[i + 1].surface);
        let stems = self.lookup(&joined);
        if stems.is_empty() {
            return None;
        }
        let parts = [w, &words[i + 1]]
            .iter()
            .map(|x| {
                let s = self.lookup(&x.surface);
                let f = self.with_fallback(&s, &x.stem);
                (s, f)
            })
            .collect();
        Some(Unit {
            surface: joined,
            stems,
            fallback: None,
            parts,
            typed: vec![w.surface.clone(), words[i + 1].surface.clone()],
            span: 2,
            last: open && i + 1 == nw - 1,
            negated: false,
            fuzzy: BTreeMap::new(),
            split: Vec::new(),
        })
    }

    /// One query word as a unit: its stems and hyphen parts; for an unknown
    /// word, typo candidates, and a split when no typo is close.
    fn word_unit(&self, w: &QueryWord, last: bool) -> Unit {
        let stems = self.lookup(&w.surface);
        let parts = w
            .parts
            .iter()
            .map(|(surf, stem)| {
                let s = self.lookup(surf);
                let f = self.with_fallback(&s, stem);
                (s, f)
            })
            .collect();
        let mut fuzzy = BTreeMap::new();
        let mut split = Vec::new();
        if stems.is_empty() {
            let close = fuzzy_opts(self.vocab, &w.surface, &mut fuzzy);
            if close == 0 && w.parts.is_empty() {
                split = split_words(&w.surface, self.analyzer.stop_words(), |s: &str| self.known_df(s))
                    .into_iter()
                    .map(|pieces| pieces.iter().map(|p| (p.clone(), self.lookup(p))).collect())
                    .collect();
            }
            if fuzzy.is_empty() && split.is_empty() {
                far_opts(self.vocab, &w.surface, &mut fuzzy);
            }
        } else if w.parts.is_empty() {
            split = self.rare_split(&w.surface);
        }
        Unit {
            surface: w.surface.clone(),
            fallback: self.with_fallback(&stems, &w.stem),
            stems,
            parts,
            typed: Vec::new(),
            span: 1,
            last,
            negated: w.negated,
            fuzzy,
            split,
        }
    }

    /// The slot of a unit as typed: stems, fallback, typos (`with_fuzzy`)
    /// and, for the last word, completions.
    fn main_slot(&self, u: &Unit, with_fuzzy: bool) -> Slot {
        let mut opts = BTreeMap::new();
        for s in &u.stems {
            push_opt(&mut opts, s, 1.0);
        }
        if let Some(f) = &u.fallback {
            push_opt(&mut opts, f, FUZZY_PENALTY[1]);
        }
        for f in verb_form_surfaces(self.analyzer.language(), &u.surface) {
            for e in self.vocab.exact(&f) {
                push_opt(&mut opts, &e.stem, SYN_PENALTY);
            }
        }
        if with_fuzzy {
            for (t, &p) in &u.fuzzy {
                push_opt(&mut opts, t, p);
            }
        }
        if u.last {
            prefix_opts(self.vocab, &u.surface, &mut opts);
        }
        // The word said again ("charge" → "recharger"), from the stems of
        // the word as typed.
        for e in self.vocab.exact(&u.surface) {
            for f in re_forms(self.analyzer, self.vocab, &e.stem) {
                push_opt(&mut opts, &f, RE_PENALTY);
            }
        }
        Slot {
            exact: u.stems.iter().map(|s| exact_term(s, &u.surface)).collect(),
            ..slot_from(opts)
        }
    }

    /// A unit's alternatives: as typed, by its hyphen parts, split in two.
    fn unit_alts(&self, u: &Unit) -> Vec<Alt> {
        let mut alts = vec![Alt {
            slots: vec![self.main_slot(u, true)],
            pen: 1.0,
            partial: false,
        }];
        if u.parts.len() > 1 {
            alts.push(Alt {
                slots: u
                    .parts
                    .iter()
                    .enumerate()
                    .map(|(k, (known, fallback))| {
                        let mut opts: BTreeMap<String, f64> = known.iter().map(|s| (s.clone(), 1.0)).collect();
                        if let Some(f) = fallback {
                            push_opt(&mut opts, f, FUZZY_PENALTY[1]);
                        }
                        // Two words typed apart and joined: a title holding
                        // each as typed says the query's very words.
                        let exact = match u.typed.get(k) {
                            Some(w) => known.iter().map(|s| exact_term(s, w)).collect(),
                            None => Vec::new(),
                        };
                        Slot {
                            exact,
                            ..slot_from(opts)
                        }
                    })
                    .collect(),
                pen: 1.0,
                partial: true,
            });
        }
        for pieces in &u.split {
            alts.push(Alt {
                slots: pieces
                    .iter()
                    .map(|(w, stems)| Slot {
                        // A word run together says the query's words as
                        // typed where a title holds its pieces (rank28).
                        exact: stems.iter().map(|s| exact_term(s, w)).collect(),
                        ..slot_from(stems.iter().map(|s| (s.clone(), 1.0)).collect())
                    })
                    .collect(),
                pen: SPLIT_PENALTY,
                partial: false,
            });
        }
        alts
    }

    /// Units as concepts: a run of units forming a synonym phrase is one
    /// concept (the longest from each position), any other unit its own.
    /// Also returns how many units each concept took.
    fn concepts(&self, units: &[Unit]) -> (Vec<Concept>, Vec<usize>) {
        let mut concepts = Vec::new();
        let mut lens = Vec::new();
        let mut i = 0;
        while i < units.len() {
            match self.longest_phrase(units, i) {
                Some((l, g, p)) => {
                    concepts.push(self.phrase_concept(&units[i..i + l], g, p));
                    lens.push(l);
                    i += l;
                }
                None => {
                    concepts.push(Concept {
                        span: units[i].span,
                        alts: self.unit_alts(&units[i]),
                        optional: units[i].negated,
                        guess: units[i].stems.is_empty() && units[i].parts.is_empty() && !units[i].negated,
                    });
                    lens.push(1);
                    i += 1;
                }
            }
        }
        (concepts, lens)
    }

    /// Longest synonym phrase starting at unit `i` (first group on ties):
    /// (length, group, phrase).
    fn longest_phrase(&self, units: &[Unit], i: usize) -> Option<(usize, usize, usize)> {
        let mut found: Option<(usize, usize, usize)> = None;
        for (g, group) in self.syn.groups.iter().enumerate() {
            for (p, phrase) in group.iter().enumerate() {
                let l = phrase.len();
                if i + l > units.len() || found.is_some_and(|f| f.0 >= l) {
                    continue;
                }
                if phrase.iter().zip(&units[i..i + l]).all(|(t, u)| u.stems.contains(t)) {
                    found = Some((l, g, p));
                }
            }
        }
        found
    }

    /// The concept of units matching phrase `p` of synonym group `g`: the
    /// words as typed, then each other phrase of the group.
    fn phrase_concept(&self, span_units: &[Unit], g: usize, p: usize) -> Concept {
        let mut alts = if span_units.len() == 1 {
            self.unit_alts(&span_units[0])
        } else {
            vec![Alt {
                slots: span_units.iter().map(|u| self.main_slot(u, false)).collect(),
                pen: 1.0,
                partial: true,
            }]
        };
        for (k, phrase) in self.syn.groups[g].iter().enumerate() {
            if k == p {
                continue;
            }
            alts.push(Alt {
                slots: phrase_slots(self.syn, phrase),
                pen: SYN_PENALTY,
                partial: false,
            });
        }
        Concept {
            span: span_units.iter().map(|u| u.span).sum(),
            alts,
            optional: span_units.iter().all(|u| u.negated),
            guess: false,
        }
    }
}

/// The slots of a synonym phrase: one term for a word, else one slot per
/// two consecutive words, holding the phrase terms of its spellings, all
/// required, so that a phrase matches only where its words stand side by
/// side ("réseau sans fil" never through `fil` alone, which is also the
/// stem of "file" and "filament").
fn phrase_slots(syn: &Synonyms, phrase: &[String]) -> Vec<Slot> {
    if phrase.len() == 1 {
        return vec![Slot {
            opts: vec![Opt {
                term: phrase[0].clone(),
                pen: 1.0,
            }],
            exact: Vec::new(),
        }];
    }
    let key = phrase.join(&PHRASE_SEP.to_string());
    syn.phrases
        .get(&key)
        .into_iter()
        .flatten()
        .map(|terms| Slot {
            opts: terms
                .iter()
                .map(|t| Opt {
                    term: t.clone(),
                    pen: 1.0,
                })
                .collect(),
            exact: Vec::new(),
        })
        .collect()
}

/// Per plan term: its idf and its postings (ord, stored impact).
type TermLists = BTreeMap<String, (f64, Vec<(u32, u16)>)>;

/// The pseudo-frequency behind each impact level: the inverse of BM25's
/// saturation, impact = tf·(K1 + 1)/(tf + K1), capped at `TF_MAX` (the top
/// level is the saturation itself). Built the same way by search-engine.js.
pub fn tf_table(table: &[f64]) -> Vec<f64> {
    table
        .iter()
        .map(|&v| {
            let d = K1 + 1.0 - v;
            if d * TF_MAX <= K1 * v {
                TF_MAX
            } else {
                K1 * v / d
            }
        })
        .collect()
}

/// BM25's idf.
pub fn idf(n: u32, df: usize) -> f64 {
    let n = n as f64;
    let df = df as f64;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The idf a slot scores its options with: that of its most frequent word
/// as typed (options of multiplier 1), else of its most frequent option.
/// An expansion (completion, typo, clipped word) thus never outweighs the
/// word typed by being rarer: "son" completed to a rare "sonnerie" does not
/// beat the sheets about sound.
fn slot_idf(s: &Slot, lists: &TermLists) -> f64 {
    let mut exact = f64::INFINITY;
    let mut any = f64::INFINITY;
    for o in &s.opts {
        let (idf, list) = &lists[&o.term];
        if list.is_empty() {
            continue;
        }
        if o.pen >= 1.0 && *idf < exact {
            exact = *idf;
        }
        if *idf < any {
            any = *idf;
        }
    }
    if exact.is_finite() {
        exact
    } else {
        any
    }
}

/// Scores every document; returns (ord, score) by decreasing score, then
/// increasing ord. `postings(term)` gives (ord, stored impact: level, plus
/// `TITLE_FLAG` when in the title), ords ascending.
pub fn score<E>(
    plan: &Plan,
    n: u32,
    postings: impl FnMut(&str) -> Result<Vec<(u32, u16)>, E>,
) -> Result<Vec<(u32, f64)>, E> {
    Ok(score_explained(plan, n, postings, false)?.0)
}

/// Why a document scored what it did (`FICHES_EXPLAIN`, debugging only):
/// the sum over concepts, then each multiplier of `score`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Explain {
    pub sum: f64,
    pub coord: f64,
    pub title: bool,
    /// Share of the required concepts that the title holds.
    pub title_share: f64,
    pub exact: bool,
    /// Share of the required concepts that the summary holds.
    pub summary_share: f64,
    pub tag_share: f64,
    /// Per concept, its score in this document.
    pub concepts: Vec<f64>,
}

/// `score`, and with `explain` the breakdown of every scored document
/// (indexed by ord; empty otherwise).
#[allow(clippy::type_complexity)]
pub fn score_explained<E>(
    plan: &Plan,
    n: u32,
    mut postings: impl FnMut(&str) -> Result<Vec<(u32, u16)>, E>,
    explain: bool,
) -> Result<(Vec<(u32, f64)>, Vec<Explain>), E> {
    let nd = n as usize;
    let table = impact_table();
    let mut lists: TermLists = BTreeMap::new();
    for t in plan.terms() {
        let p = postings(&t)?;
        let idf = idf(n, p.len());
        lists.insert(t, (idf, p));
    }
    let mut total = vec![0f64; nd];
    let mut coord_num = vec![0f64; nd];
    let mut total_span = 0f64;
    let mut opt_span = vec![0f64; nd];
    let mut sslot = vec![0f64; nd];
    let mut asum = vec![0f64; nd];
    let mut acount = vec![0u32; nd];
    let mut cscore = vec![0f64; nd];
    let mut cfrac = vec![0f64; nd];
    // Title: per slot, alternative and concept, whether it matched there;
    // per document, how many required concepts did.
    let mut stitle = vec![false; nd];
    let mut atitle = vec![0u32; nd];
    let mut ctitle = vec![false; nd];
    let mut titled = vec![0u32; nd];
    // The same for the summary (`SUMMARY_FLAG`).
    let mut ssumm = vec![false; nd];
    let mut asumm = vec![0u32; nd];
    let mut csumm = vec![false; nd];
    let mut summed = vec![0u32; nd];
    // The same for the exact title terms of the words as typed.
    let mut sexact = vec![false; nd];
    let mut aexact = vec![0u32; nd];
    let mut cexact = vec![false; nd];
    let mut exacted = vec![0u32; nd];
    // A concept said by several of its names (`SYN_SUM`): per slot the
    // best pseudo-frequency of its options, per concept their sum over
    // its names and how many names matched.
    let tf = tf_table(&table);
    let mut stf = vec![0f64; nd];
    let mut nsum = vec![0f64; nd];
    let mut nnames = vec![0u32; nd];
    let mut required = 0u32;
    let mut ex: Vec<Explain> = if explain {
        vec![Explain::default(); nd]
    } else {
        Vec::new()
    };
    // A guessed word (a word the site does not know) beside enough known
    // ones counts in the coordination only where it matches: it may be a
    // word the sheet does not use, read as a typo of one it does not say
    // either ("rame" → "ram"), and the known words carry the subject.
    let known = plan.concepts.iter().filter(|c| !c.optional && !c.guess).count();
    for c in &plan.concepts {
        let forgiven = c.guess && known >= GUESS_KNOWN_MIN;
        if !c.optional {
            if !forgiven {
                total_span += c.span as f64;
            }
            required += 1;
        }
        cscore.iter_mut().for_each(|x| *x = 0.0);
        cfrac.iter_mut().for_each(|x| *x = 0.0);
        ctitle.iter_mut().for_each(|x| *x = false);
        csumm.iter_mut().for_each(|x| *x = false);
        cexact.iter_mut().for_each(|x| *x = false);
        nsum.iter_mut().for_each(|x| *x = 0.0);
        nnames.iter_mut().for_each(|x| *x = 0);
        // The idf of the concept's names taken as one term: that of the
        // most frequent (Lucene's synonym query takes the largest df).
        let mut name_idf = f64::INFINITY;
        // A phrase term's df counts two words side by side, not a word: it
        // is rare by construction, and that rarity is proximity, not
        // meaning. A synonym phrase thus scores with at most the idf of the
        // concept's words as typed (of its most frequent word), as
        // Lucene's synonym query takes its terms' largest df; a one-word
        // synonym keeps its own idf.
        let phrase_cap = c.alts.first().map_or(f64::INFINITY, |a0| {
            a0.slots
                .iter()
                .map(|s| slot_idf(s, &lists))
                .fold(f64::INFINITY, f64::min)
        });
        for (ai, a) in c.alts.iter().enumerate() {
            asum.iter_mut().for_each(|x| *x = 0.0);
            acount.iter_mut().for_each(|x| *x = 0);
            atitle.iter_mut().for_each(|x| *x = 0);
            asumm.iter_mut().for_each(|x| *x = 0);
            aexact.iter_mut().for_each(|x| *x = 0);
            // A name of the concept: one word or one phrase term, the words
            // as typed or a synonym (not the parts of a word or a split).
            let name = a.slots.len() == 1 && !a.partial;
            for s in &a.slots {
                sexact.iter_mut().for_each(|x| *x = false);
                for t in &s.exact {
                    for &(d, _) in &lists[t].1 {
                        sexact[d as usize] = true;
                    }
                }
                // In the words as typed (the first alternative), a typo or
                // completion never outweighs the typed word by being rarer;
                // a declared synonym keeps its own idf (the site chose it).
                let cap = if ai == 0 { slot_idf(s, &lists) } else { f64::INFINITY };
                sslot.iter_mut().for_each(|x| *x = 0.0);
                stitle.iter_mut().for_each(|x| *x = false);
                ssumm.iter_mut().for_each(|x| *x = false);
                for o in &s.opts {
                    let (idf, list) = &lists[&o.term];
                    let idf = if o.term.contains(PHRASE_SEP) {
                        idf.min(phrase_cap)
                    } else {
                        idf.min(cap)
                    };
                    if name && !list.is_empty() && idf < name_idf {
                        name_idf = idf;
                    }
                    for &(d, q) in list {
                        let v = o.pen * (idf * table[(q & LEVEL_MASK) as usize]);
                        let d = d as usize;
                        if v > sslot[d] {
                            sslot[d] = v;
                        }
                        let t = o.pen * tf[(q & LEVEL_MASK) as usize];
                        if t > stf[d] {
                            stf[d] = t;
                        }
                        // A title says what the query says only in the
                        // words typed or their synonyms, not in a guess.
                        if q & TITLE_FLAG != 0 && o.pen >= 1.0 {
                            stitle[d] = true;
                        }
                        if q & SUMMARY_FLAG != 0 && o.pen >= 1.0 {
                            ssumm[d] = true;
                        }
                    }
                }
                for d in 0..nd {
                    if sslot[d] > 0.0 {
                        asum[d] += sslot[d];
                        acount[d] += 1;
                        if stitle[d] {
                            atitle[d] += 1;
                        }
                        if ssumm[d] {
                            asumm[d] += 1;
                        }
                        if sexact[d] {
                            aexact[d] += 1;
                        }
                        if name {
                            nsum[d] += a.pen * stf[d];
                            nnames[d] += 1;
                        }
                    }
                    stf[d] = 0.0;
                }
            }
            let ns = a.slots.len() as u32;
            // An alternative is another way of matching the same words, not
            // more evidence: it weighs at most as many slots as the words it
            // stands for (the concept's span). The two parts of "wi-fi", the
            // pieces of a run-together word or the pairs of a long synonym
            // phrase count as one word, else a short page whose title is
            // nothing but that word scores twice over for each of its parts.
            let scale = if ns > c.span { c.span as f64 / ns as f64 } else { 1.0 };
            for d in 0..nd {
                if acount[d] > 0 && (a.partial || acount[d] == ns) {
                    let v = a.pen * asum[d] * scale;
                    let frac = acount[d] as f64 / ns as f64;
                    if v > cscore[d] {
                        cscore[d] = v;
                    }
                    if frac > cfrac[d] {
                        cfrac[d] = frac;
                    }
                    if atitle[d] == ns {
                        ctitle[d] = true;
                    }
                    if asumm[d] == ns {
                        csumm[d] = true;
                    }
                }
            }
            // Only the words as typed have exact terms: the first
            // alternative, and the words of a joined pair (`cle usb`).
            for d in 0..nd {
                if ns > 0 && aexact[d] == ns {
                    cexact[d] = true;
                }
            }
        }
        // A concept said by several of its names (the word typed and its
        // synonyms: "TNI", "VPI", "tableau interactif"; "clé usb", "clef
        // usb") is one term said that many times: their pseudo-frequencies
        // summed before the saturation, with the idf of the most frequent
        // name (BM25F's, and Lucene's synonym query's, view of synonyms).
        // A document saying one name keeps its score.
        for d in 0..nd {
            if nnames[d] >= SYN_SUM_MIN {
                let v = name_idf * (nsum[d] * (K1 + 1.0) / (nsum[d] + K1));
                if v > cscore[d] {
                    cscore[d] = v;
                }
            }
            if cexact[d] && !c.optional {
                exacted[d] += 1;
            }
        }
        if explain {
            for d in 0..nd {
                ex[d].concepts.push(cscore[d]);
            }
        }
        for d in 0..nd {
            if cscore[d] > 0.0 {
                if c.optional {
                    total[d] += NEG_WEIGHT * cscore[d];
                    opt_span[d] += c.span as f64;
                } else {
                    if forgiven {
                        opt_span[d] += c.span as f64;
                    }
                    total[d] += cscore[d];
                    if ctitle[d] {
                        titled[d] += 1;
                    }
                    if csumm[d] {
                        summed[d] += 1;
                    }
                }
                coord_num[d] += c.span as f64 * cfrac[d];
            }
        }
    }
    // Tags said whole: the query words each document's tags cover.
    let mut tagged = vec![0u32; nd];
    if plan.tag_required != 0 {
        for r in &plan.tag_runs {
            for &(d, _) in &lists[&r.term].1 {
                tagged[d as usize] |= r.mask;
            }
        }
    }
    let mut out: Vec<(u32, f64)> = Vec::new();
    for d in 0..nd {
        if total[d] > 0.0 {
            let coord = coord_num[d] / (total_span + opt_span[d]);
            let mut f = 1.0;
            for _ in 0..COORD_EXP {
                f *= coord;
            }
            // The title says the query: all of it × TITLE_BONUS, a share s
            // of its concepts × 1 + (TITLE_BONUS − 1)·s². A title holding
            // three of four query words says more of what is asked than one
            // holding two, though neither holds them all.
            if required > 0 && titled[d] > 0 {
                let ts = titled[d] as f64 / required as f64;
                f *= 1.0 + (TITLE_BONUS - 1.0) * ts * ts;
            }
            if required > 0 && exacted[d] == required {
                f *= EXACT_BONUS;
            }
            if required > 0 && summed[d] > 0 {
                let us = summed[d] as f64 / required as f64;
                f *= 1.0 + (SUMMARY_BONUS - 1.0) * us * us;
            }
            // The tags say the query: each required word said by a whole
            // tag is the author's word for what the sheet is about.
            if plan.tag_required != 0 {
                let share = (tagged[d] & plan.tag_required).count_ones() as f64 / plan.tag_required.count_ones() as f64;
                f *= 1.0 + (TAG_BONUS - 1.0) * share * share;
            }
            if explain {
                let e = &mut ex[d];
                e.sum = total[d];
                e.coord = coord;
                e.title = required > 0 && titled[d] == required;
                e.title_share = if required > 0 {
                    titled[d] as f64 / required as f64
                } else {
                    0.0
                };
                e.exact = required > 0 && exacted[d] == required;
                e.summary_share = if required > 0 {
                    summed[d] as f64 / required as f64
                } else {
                    0.0
                };
                if plan.tag_required != 0 {
                    e.tag_share =
                        (tagged[d] & plan.tag_required).count_ones() as f64 / plan.tag_required.count_ones() as f64;
                }
            }
            out.push((d as u32, total[d] * f));
        }
    }
    out.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    Ok((out, ex))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str, max: usize) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        edit_distance(&a, &b, max)
    }

    #[test]
    fn codes_are_never_the_typo_candidates_of_a_word_without_digit() {
        for (w, code) in [
            ("taba1021", true),
            ("pce10723", true),
            ("12a3", true),
            ("tableur_2019", false),
            ("tab12", false),
            ("ab1cdef23", false),
            ("wifi", false),
        ] {
            assert_eq!(is_typo_code(w), code, "{w}");
        }
        // Query words of 5 to 12 letters from a small alphabet against
        // words that share their first half: a code is a typo or a
        // clipped word only of a word with a digit, and there are some.
        let letters = ['t', 'a', 'b', 'l', 'e', '1', '0'];
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let (mut checked, mut found) = (0, 0);
        for _ in 0..40_000 {
            let n = 5 + next(8);
            let q: String = (0..n)
                .map(|_| {
                    let k = if next(4) == 0 { 7 } else { 5 };
                    letters[next(k)]
                })
                .collect();
            let l = 3 + next(12);
            let b: String = q.chars().take(n / 2).chain((0..l).map(|_| letters[next(7)])).collect();
            if !is_typo_code(&b) {
                continue;
            }
            checked += 1;
            let (a, bc): (Vec<char>, Vec<char>) = (q.chars().collect(), b.chars().collect());
            let max = max_typos(n);
            let typo = (1..=max).contains(&edit_distance(&a, &bc, max));
            let clip =
                n >= CLIP_MIN && bc.len() > n + 1 && (n - 1..=n + 1).any(|l| edit_distance(&a, &bc[..l], 1) <= 1);
            if typo || clip {
                assert!(needs_typo_codes(&q), "{q} has the code {b} as a candidate");
                found += 1;
            }
        }
        assert!(checked > 1000 && found > 10, "{checked} codes, {found} candidates");
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        assert_eq!(d("tablete", "tablette", 2), 1);
        assert_eq!(d("imprimnate", "imprimante", 2), 1);
        assert_eq!(d("pase", "passe", 1), 1);
        assert_eq!(d("abc", "abc", 1), 0);
        assert_eq!(d("abcdef", "abc", 1), 2, "capped at max + 1");
    }

    #[test]
    fn another_form_of_the_corrections_stem_is_a_weak_correction() {
        let stems = |s: &str| vec![BTreeSet::from([s.to_string()])];
        // The typed word is the correction's stem and an ending: not proposed.
        assert!(weak_correction("partager", "partages", true, &stems("partag")));
        assert!(weak_correction("chargent", "charge", true, &stems("charg")));
        // One letter after the stem is a typo; a longer rest is no ending;
        // a split (two pieces) is no form of one word.
        assert!(!weak_correction("tablete", "tablette", true, &stems("tablet")));
        assert!(!weak_correction("imprimente", "imprimante", true, &stems("imprim")));
        assert!(!weak_correction("cartouchre", "cartouche", true, &stems("cartouch")));
        let two = vec![
            BTreeSet::from(["mot".to_string()]),
            BTreeSet::from(["pass".to_string()]),
        ];
        assert!(!weak_correction("motpasse", "mot passe", true, &two));
    }

    #[test]
    fn far_keys_are_quarters_of_three_letters_at_least_from_eight() {
        assert!(
            far_keys("tablete").is_none(),
            "one edit under 8 letters: no second chance"
        );
        let quarters = |w: &str| match far_keys(w) {
            Some(FuzzyKeys::Halves { prefix, suffix }) => (prefix, suffix),
            other => panic!("{w}: {other:?}"),
        };
        assert_eq!(quarters("inprimente"), ("inp".into(), "nte".into()));
        assert_eq!(quarters("vidoeprojceteur"), ("vid".into(), "eur".into()));
        assert_eq!(quarters("reinitialisation"), ("rein".into(), "tion".into()));
    }

    #[test]
    fn a_verb_in_ier_and_its_other_forms() {
        let fr = Language::for_code("fr");
        let forms = |w: &str| verb_form_surfaces(&fr, w);
        assert_eq!(
            forms("oublier"),
            ["oubliees", "oubliee", "oubliez", "oublies", "oublie"]
        );
        // One way only; too short before the ending; no verb in -ier.
        for w in ["oublie", "oubliez", "oubliees", "trier", "fiche", "imprimer", "sortir"] {
            assert!(forms(w).is_empty(), "{w}: {:?}", forms(w));
        }
        assert!(verb_form_surfaces(&Language::for_code("en"), "oublier").is_empty());
    }

    #[test]
    fn typo_budget_by_length() {
        assert_eq!(max_typos(2), 0);
        assert_eq!(max_typos(3), 1);
        assert_eq!(max_typos(7), 1);
        assert_eq!(max_typos(8), 2);
    }

    #[test]
    fn idf_decreases_with_frequency() {
        assert!(idf(100, 1) > idf(100, 50));
        assert!(idf(100, 100) > 0.0);
    }

    /// A word the suffix side of a typo keeps (its suffix, n ± max_typos
    /// letters) has a suffix key starting with one of the typo's
    /// suffix_prefixes, and a word of another length none: the `r/`
    /// ranges a typo reads hold every candidate of that side, of every
    /// length from 5 letters.
    #[test]
    fn suffix_prefixes_start_the_keys_of_the_words_of_usable_lengths() {
        for n in 5..=20 {
            let typo: String = "abcdefghijklmnopqrstuvwxyz".chars().take(n).collect();
            let Some(FuzzyKeys::Halves { suffix, .. }) = fuzzy_keys(&typo) else {
                panic!("{typo}");
            };
            let ps = suffix_prefixes(&suffix, n);
            let max = max_typos(n);
            let classes: Vec<char> = (n - max..=n + max).map(suffix_class).collect();
            for len in SHORT_MAX.max(suffix.chars().count())..=n + 6 {
                let word = format!("{}{suffix}", "z".repeat(len - suffix.chars().count()));
                let key = suffix_key(&word).unwrap();
                let read = ps.iter().any(|p| key.starts_with(p.as_str()));
                assert_eq!(
                    read,
                    classes.contains(&suffix_class(len)),
                    "{typo}: {word} ({key}), {ps:?}"
                );
                assert!(
                    read || len + max < n || len > n + max,
                    "{typo}: {word} ({key}) not in {ps:?}"
                );
            }
        }
        assert_eq!(suffix_key("abc"), None);
        assert_eq!(suffix_key("sesion").as_deref(), Some("no0ises"));
        assert_eq!(suffix_prefixes("on", 6), ["no0"]);
        assert_eq!(suffix_prefixes("ction", 11), ["no1itc"]);
        assert_eq!(suffix_prefixes("ion", 8), ["no0i", "no1i"]);
    }
}
