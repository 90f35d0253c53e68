//! The one text analysis used everywhere: tokenize (elisions, hyphenated
//! compounds), fold (lowercase, no diacritics), drop stop words, stem.
//!
//! search-engine.js re-implements the tokenize/fold/stop-word part for queries (it
//! gets the lists from the manifest); it never stems: the build ships a
//! vocabulary of folded surface forms mapped to their stems.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::BuildHasher;

use rustc_hash::FxHashSet;

use rust_stemmers::Stemmer;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::lang::Language;
use crate::params::PHRASE_SEP;
use crate::SearchConfig;

/// Longer "words" (base64 blobs, hashes) are noise; skipped everywhere.
pub const MAX_WORD_CHARS: usize = 40;

/// Is `c` part of a word? Mirrors `/[\p{Alphabetic}\p{N}\p{M}]/u` in search-engine.js.
pub fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || is_combining_mark(c)
}

/// Apostrophes that may mark an elision: ' ’ ‘ ʼ. Checked before
/// [`is_word_char`] because U+02BC is a letter.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// Hyphens joining a compound ("Wi-Fi", "vidéo‑projecteur").
pub fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Lowercase and remove diacritics; a few letters that do not decompose are
/// spelled out. The compatibility decomposition (NFKD) also spells out
/// what French typography and text pasted from a PDF hold: "2ᵉ", "1ʳᵉ"
/// are `2e`, `1re`; the ligature in "ﬁche" is `fi`; full-width letters
/// are ASCII. search-engine.js `fold()` does the same.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`], appended to `out` (a buffer the caller reuses).
pub fn fold_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for d in std::iter::once(c).nfkd() {
            for l in d.to_lowercase() {
                if is_combining_mark(l) {
                    continue;
                }
                match l {
                    'œ' => out.push_str("oe"),
                    'æ' => out.push_str("ae"),
                    'ß' => out.push_str("ss"),
                    'ø' => out.push('o'),
                    'ł' => out.push('l'),
                    'đ' | 'ð' => out.push('d'),
                    'þ' => out.push_str("th"),
                    'ı' => out.push('i'),
                    _ => out.push(l),
                }
            }
        }
    }
}

/// One word of a text as the tokenizer sees it: one part, or several parts
/// joined by hyphens. Offsets are byte offsets in the original text.
#[derive(Debug, Clone)]
pub struct RawWord<'a> {
    /// (text, byte offset) of each part.
    pub parts: Vec<(&'a str, usize)>,
    pub start: usize,
    pub end: usize,
}

/// Splits `text` into words. Elided particles ("l'", "qu’") are dropped;
/// any other apostrophe separates words. Mirrors `rawWords` in search-engine.js.
pub fn raw_words<'a>(text: &'a str, elisions: &[String]) -> Vec<RawWord<'a>> {
    let mut words = Vec::new();
    each_raw_word(text, elisions, |parts, start, end| {
        words.push(RawWord {
            parts: parts.to_vec(),
            start,
            end,
        })
    });
    words
}

/// [`raw_words`] without a list: `f` gets each word's parts, start and
/// end in turn, in one buffer reused for every word (the index analyses
/// every word of the corpus: a list of parts per word, and the list of
/// words, were allocations per word).
pub fn each_raw_word<'a>(text: &'a str, elisions: &[String], mut f: impl FnMut(&[(&'a str, usize)], usize, usize)) {
    // Walks byte offsets, decoding one char at a time: a list of every
    // char of a body (16 bytes each) was made and freed for each field.
    let n = text.len();
    let bytes = text.as_bytes();
    let ch = |b: usize| text[b..].chars().next().unwrap_or('\0');
    // ASCII first: no decoding (an ASCII word char is a letter or a digit).
    let next = |b: usize| match bytes[b] {
        x if x < 0x80 => b + 1,
        _ => b + ch(b).len_utf8(),
    };
    let is_w = |b: usize| {
        b < n
            && match bytes[b] {
                x if x < 0x80 => x.is_ascii_alphanumeric(),
                _ => {
                    let c = ch(b);
                    is_word_char(c) && !is_apostrophe(c)
                }
            }
    };
    let mut parts: Vec<(&str, usize)> = Vec::new();
    let mut i = 0;
    while i < n {
        if !is_w(i) {
            i = next(i);
            continue;
        }
        parts.clear();
        loop {
            let mut j = i;
            while is_w(j) {
                j = next(j);
            }
            let part = &text[i..j];
            let glue = j < n && is_w(next(j));
            if glue && is_apostrophe(ch(j)) {
                if parts.is_empty() && elisions.iter().any(|e| *e == fold(part)) {
                    // "l'imprimante": drop the particle, the word starts after it.
                    i = next(j);
                    continue;
                }
                parts.push((part, i));
                i = next(j);
                break;
            }
            parts.push((part, i));
            if glue && is_hyphen(ch(j)) {
                i = next(j);
                continue;
            }
            i = j;
            break;
        }
        let (lp, lo) = parts[parts.len() - 1];
        f(&parts, parts[0].1, lo + lp.len());
    }
}

/// An all-capitals word of at most 4 letters (ENT, PIX, HDMI) is an
/// abbreviation: never stemmed.
pub fn is_abbreviation(original: &str) -> bool {
    let mut upper = false;
    let mut count = 0;
    for c in original.chars() {
        if c.is_lowercase() {
            return false;
        }
        upper |= c.is_uppercase();
        count += 1;
    }
    upper && count <= 4
}

/// An analyzed token: the index term (stem) and the folded surface form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub surface: String,
    pub from: usize,
    pub to: usize,
}

impl Token {
    /// A phrase term (two words of a synonym phrase, see
    /// [`Analyzer::add_phrase_tokens`]) rather than a word.
    pub fn is_phrase(&self) -> bool {
        self.term.contains(crate::params::PHRASE_SEP)
    }

    /// A word, not a phrase term nor an exact title term: it lengthens its
    /// field and enters the vocabulary.
    pub fn is_word(&self) -> bool {
        is_word_term(&self.term)
    }
}

/// Buffers of [`Analyzer::each_token`], reused from one text to the next.
#[derive(Default)]
pub struct WordBufs {
    folded: String,
    joined: String,
}

/// Whether a token of this term is a word (see [`Token::is_word`]).
pub fn is_word_term(term: &str) -> bool {
    !term.contains([
        crate::params::PHRASE_SEP,
        crate::params::EXACT_SEP,
        crate::params::TAG_SEP,
    ])
}

/// The exact title term of a word (see `params::EXACT_SEP`): its stem and
/// its folded surface, singular (a final s or x dropped from a word of more
/// than 3 letters): "imprimantes" is the word "imprimante" as typed,
/// "imprimer" is not. The surface is written after its stem when it starts
/// with it ("imprim.ante"), else whole after a second separator.
pub fn exact_term(stem: &str, surface: &str) -> String {
    let sep = crate::params::EXACT_SEP;
    let singular = match surface.strip_suffix(['s', 'x']) {
        Some(s) if surface.chars().count() > 3 => s,
        _ => surface,
    };
    match singular.strip_prefix(stem) {
        Some(rest) => format!("{stem}{sep}{rest}"),
        None => format!("{stem}{sep}{sep}{singular}"),
    }
}

/// The key of a word in a tag term: its folded surface without the marks
/// of number and gender (a final s or x, then up to two final e, from a
/// word of more than 3 letters): "bloquée", "bloqué" and "bloqués" are
/// `bloqu`, "imprimantes" is `imprimant`; then without the endings of
/// derivation of its language (`Language::tag_endings`,
/// `tag_irregular`, rank30): a verb and the noun of its action are one
/// key ("sauvegarder" and "sauvegarde" `sauvegard`, "installer" and
/// "installation" `install`, "connecter" and "connexion" `connect`).
/// Not the stem: a tag is said as typed, and the stem would make
/// "imprimer" and "imprimante" one key (`imprim`, `imprimant`).
pub fn tag_key(lang: &Language, surface: &str) -> String {
    let mut cs: Vec<char> = surface.chars().collect();
    if cs.len() > 3 && matches!(cs.last(), Some('s' | 'x')) {
        cs.pop();
    }
    for _ in 0..2 {
        if cs.len() > 3 && cs.last() == Some(&'e') {
            cs.pop();
        }
    }
    let mut key: String = cs.into_iter().collect();
    for &(ending, by, left) in lang.tag_endings {
        if let Some(rest) = key.strip_suffix(ending) {
            if rest.chars().count() >= left {
                key = format!("{rest}{by}");
            }
        }
    }
    match lang.tag_irregular.iter().find(|(from, _)| *from == key) {
        Some((_, to)) => to.to_string(),
        None => key,
    }
}

/// The tag term of a tag's words, by their keys (`tag_key`; see
/// `params::TAG_SEP`): each key after TAG_SEP (`/impression`,
/// `/compt/verrouill`).
pub fn tag_term<S: AsRef<str>>(keys: &[S]) -> String {
    let mut out = String::new();
    for k in keys {
        out.push(crate::params::TAG_SEP);
        out.push_str(k.as_ref());
    }
    out
}

/// The term of two consecutive words of a phrase.
pub fn phrase_term(a: &str, b: &str) -> String {
    format!("{a}{}{b}", crate::params::PHRASE_SEP)
}

/// The spelling among `words` (the first or the second words of the
/// phrase pairs) of a text's `surface`: the word itself, or its singular (a
/// trailing s or x dropped: "réseaux sans fil").
fn phrase_surface<'a>(words: &FxHashSet<String>, surface: &'a str) -> Option<&'a str> {
    if surface.is_empty() {
        return None;
    }
    if words.contains(surface) {
        return Some(surface);
    }
    let single = surface.strip_suffix('s').or_else(|| surface.strip_suffix('x'))?;
    words.contains(single).then_some(single)
}

/// A query word after analysis (stop words removed).
#[derive(Debug, Clone)]
pub struct QueryWord {
    /// Folded surface (joined form for a hyphenated word).
    pub surface: String,
    /// The stemmer's term for it (the CLI uses it for words missing from
    /// the vocabulary).
    pub stem: String,
    /// Parts of a hyphenated word (surface, stem), stop words dropped.
    pub parts: Vec<(String, String)>,
    /// No stop word between it and the previous query word.
    pub adjacent: bool,
    /// A verb in a negation ("ne marche pas", "n'imprime plus"), or a light
    /// verb beside other words ("mettre une appli", `Language::light`):
    /// weighs less and is optional (see `params::NEG_WEIGHT`).
    pub negated: bool,
}

/// The elided particle just before byte `start` of `text` ("n" in
/// "n'imprime"), folded.
fn elided_before(text: &str, start: usize) -> Option<String> {
    let before = &text[..start];
    let apos = before.chars().next_back().filter(|&c| is_apostrophe(c))?;
    let head = &before[..before.len() - apos.len_utf8()];
    let from = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c) && !is_apostrophe(c))
        .last()
        .map(|(i, _)| i)?;
    Some(fold(&head[from..]))
}

/// The analyzer of one site: language + site synonyms.
pub struct Analyzer {
    lang: Language,
    stemmer: Option<Stemmer>,
    stop: BTreeSet<String>,
    /// `stop` and the words of `synonyms.pair_words`, hashed: looked up for
    /// every word of the corpus, where the sorted sets' comparisons showed
    /// in the build's profile.
    stop_set: FxHashSet<String>,
    pair_sets: (FxHashSet<String>, FxHashSet<String>),
    elisions: Vec<String>,
    synonyms: Synonyms,
}

/// Synonym groups, already analyzed: each phrase is a list of terms.
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Groups of phrases; phrases are lists of terms. Sorted, deduplicated.
    pub groups: Vec<Vec<Vec<String>>>,
    /// Folded surface word of any phrase → its terms (so that a query word
    /// absent from the corpus, such as "mdp", still matches its group).
    pub surfaces: BTreeMap<String, BTreeSet<String>>,
    /// Consecutive words (folded surfaces) of the phrases of several
    /// words: indexed as one phrase term where a text has them side by side.
    /// Surfaces, not stems: the stem of "fil" is also that of "filament".
    pub pairs: BTreeSet<(String, String)>,
    /// Phrase of several words (its terms joined by `PHRASE_SEP`) → its
    /// slots: for each two consecutive words, the phrase terms of its
    /// spellings. See `engine::phrase_slots`.
    pub phrases: BTreeMap<String, Vec<Vec<String>>>,
    /// The first and the second words of `pairs`.
    pub pair_words: (BTreeSet<String>, BTreeSet<String>),
}

impl Analyzer {
    pub fn new(cfg: &SearchConfig) -> Analyzer {
        let lang = Language::for_code(&cfg.language);
        let stemmer = lang.stemmer.map(Stemmer::create);
        let stop: BTreeSet<String> = lang.stop_words.iter().map(|w| fold(w)).collect();
        let stop_set = stop.iter().cloned().collect();
        let elisions = lang.elisions.iter().map(|w| fold(w)).collect();
        let mut a = Analyzer {
            lang,
            stemmer,
            stop,
            stop_set,
            pair_sets: Default::default(),
            elisions,
            synonyms: Synonyms::default(),
        };
        let mut groups: Vec<Vec<String>> = a
            .lang
            .synonyms
            .iter()
            .map(|g| g.iter().map(|s| s.to_string()).collect())
            .collect();
        groups.extend(cfg.synonyms.iter().cloned());
        a.synonyms = a.build_synonyms(&groups);
        let (first, second) = &a.synonyms.pair_words;
        a.pair_sets = (first.iter().cloned().collect(), second.iter().cloned().collect());
        a
    }

    pub fn language(&self) -> &Language {
        &self.lang
    }

    pub fn stop_words(&self) -> &BTreeSet<String> {
        &self.stop
    }

    pub fn elisions(&self) -> &[String] {
        &self.elisions
    }

    pub fn synonyms(&self) -> &Synonyms {
        &self.synonyms
    }

    /// The index terms of `text`, in order (hyphenated words give the joined
    /// form then each part).
    pub fn terms(&self, text: &str) -> Vec<String> {
        self.tokens(text).into_iter().map(|t| t.term).collect()
    }

    /// Stems one folded word (`abbrev`: see [`is_abbreviation`]).
    pub fn stem_word(&self, folded: &str, abbrev: bool) -> String {
        let Some(stemmer) = &self.stemmer else {
            return folded.to_string();
        };
        if abbrev || folded.chars().count() <= 2 || folded.chars().any(|c| c.is_numeric()) {
            return folded.to_string();
        }
        stemmer.stem(self.lang.before_stem(folded)).into_owned()
    }

    fn is_stop(&self, folded: &str) -> bool {
        self.stop_set.contains(folded)
    }

    /// Analyzes `text` into index tokens.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut memo = HashMap::new();
        let mut out = Vec::new();
        self.tokens_into(text, &mut memo, &mut out);
        out
    }

    /// Like [`Analyzer::tokens`], with a stem cache shared by the caller (a
    /// 5 MB log repeats the same few hundred words).
    pub fn tokens_into<S: BuildHasher>(&self, text: &str, memo: &mut HashMap<String, String, S>, out: &mut Vec<Token>) {
        let mut bufs = WordBufs::default();
        self.each_token(text, &mut bufs, |word, f, from, to| {
            let term = self.memo_stem(memo, f, word);
            out.push(Token {
                term,
                surface: f.to_string(),
                from,
                to,
            });
        });
    }

    /// The words of `text` that make tokens, in order (a word of several
    /// parts, "Wi-Fi", whole then each part): `f(word as written, folded,
    /// from, to)`. Stop words, overlong words and those that fold to
    /// nothing are skipped. The one walk of [`Analyzer::tokens_into`] and
    /// of the index builder's counting (`corpus::collect_docs`), which
    /// takes no `String` per token; `bufs` are reused buffers.
    pub fn each_token(&self, text: &str, bufs: &mut WordBufs, mut f: impl FnMut(&str, &str, usize, usize)) {
        let WordBufs { folded, joined } = bufs;
        each_raw_word(text, &self.elisions, |parts, start, end| {
            if parts.len() > 1 {
                joined.clear();
                joined.extend(parts.iter().map(|(p, _)| *p));
                if self.fold_kept(joined, folded) {
                    f(joined, folded, start, end);
                }
            }
            for &(p, off) in parts {
                if self.fold_kept(p, folded) {
                    f(p, folded, off, off + p.len());
                }
            }
        });
    }

    /// Folds `word` into `folded`; false for a word that makes no token: a
    /// stop word, an overlong one, or one that folds to nothing (a lone
    /// combining mark). Folded into a buffer first: a stop word (a third
    /// or more of the words of a French text) costs no allocation.
    fn fold_kept(&self, word: &str, folded: &mut String) -> bool {
        folded.clear();
        fold_into(word, folded);
        let f = folded.as_str();
        // No more chars than bytes: most words need no count.
        !(f.is_empty() || (f.len() > MAX_WORD_CHARS && f.chars().count() > MAX_WORD_CHARS) || self.is_stop(f))
    }

    /// Appends a phrase term (`phrase_term`) for each two consecutive
    /// words of `tokens` that are consecutive words of a synonym phrase, so
    /// "réseau sans fil" is found as a phrase and its `fil` never matches
    /// `file` alone. Consecutive: the next word (the parts of a hyphenated
    /// word are inside it, not after it).
    pub fn add_phrase_tokens(&self, tokens: &mut Vec<Token>) {
        let mut extra = Vec::new();
        self.each_phrase_pair(
            tokens.len(),
            |i| (tokens[i].surface.as_str(), tokens[i].from, tokens[i].to),
            |term, from, to| {
                extra.push(Token {
                    term,
                    surface: String::new(),
                    from,
                    to,
                })
            },
        );
        tokens.extend(extra);
    }

    /// The phrase terms of [`Analyzer::add_phrase_tokens`] among `n`
    /// tokens, given by `tok(i)` as (folded surface, from, to): `f(term,
    /// from, to)` for each, in order. Shared with the index builder's
    /// counting, which keeps no `Token`s.
    pub fn each_phrase_pair<'t>(
        &self,
        n: usize,
        tok: impl Fn(usize) -> (&'t str, usize, usize),
        mut f: impl FnMut(String, usize, usize),
    ) {
        let pairs = &self.synonyms.pairs;
        if pairs.is_empty() {
            return;
        }
        for i in 0..n {
            let (a_surface, a_from, a_to) = tok(i);
            let Some(sa) = phrase_surface(&self.pair_sets.0, a_surface) else {
                continue;
            };
            // The first token after `a` ends `a`'s word; every token starting
            // at the same offset belongs to the next word.
            let Some(j) = (i + 1..n).find(|&j| tok(j).1 >= a_to) else {
                continue;
            };
            let (_, start, j_to) = tok(j);
            for k in j..n {
                let (b_surface, b_from, b_to) = tok(k);
                if !(b_from == start || b_to <= j_to) {
                    break;
                }
                let Some(sb) = phrase_surface(&self.pair_sets.1, b_surface) else {
                    continue;
                };
                if pairs.contains(&(sa.to_string(), sb.to_string())) {
                    f(phrase_term(sa, sb), a_from, b_to);
                }
            }
        }
    }

    /// Appends the exact term (`exact_term`) of each word of `tokens` (a
    /// title's), so that the engine can tell the word as typed from others
    /// of its stem.
    pub fn add_exact_tokens(&self, tokens: &mut Vec<Token>) {
        let extra: Vec<Token> = tokens
            .iter()
            .filter(|t| t.is_word())
            .map(|t| Token {
                term: exact_term(&t.term, &t.surface),
                surface: String::new(),
                from: t.from,
                to: t.to,
            })
            .collect();
        tokens.extend(extra);
    }

    /// Appends the tag term (`tag_term`) of each tag of `tags` that has 1
    /// to `TAG_MAX_WORDS` words, analysed as a query is (stop words and
    /// elisions dropped, a hyphenated word whole), so that the engine can
    /// match a tag as a phrase of the query.
    pub fn add_tag_tokens(&self, tags: &[String], tokens: &mut Vec<Token>) {
        for term in self.tag_terms(tags) {
            tokens.push(Token {
                term,
                surface: String::new(),
                from: 0,
                to: 0,
            });
        }
    }

    /// The tag terms of [`Analyzer::add_tag_tokens`], in order.
    pub fn tag_terms<'s>(&'s self, tags: &'s [String]) -> impl Iterator<Item = String> + 's {
        tags.iter().filter_map(|tag| {
            let words = self.query_words(tag);
            if words.is_empty() || words.len() > crate::params::TAG_MAX_WORDS {
                return None;
            }
            let keys: Vec<String> = words.iter().map(|w| tag_key(self.language(), &w.surface)).collect();
            Some(tag_term(&keys))
        })
    }

    /// The (surface) phrase terms of the query words `words`: one slot per
    /// two consecutive words.
    fn phrase_pair_slots(words: &[QueryWord]) -> Vec<String> {
        words
            .windows(2)
            .map(|w| phrase_term(&w[0].surface, &w[1].surface))
            .collect()
    }

    fn memo_stem<S: BuildHasher>(&self, memo: &mut HashMap<String, String, S>, f: &str, orig: &str) -> String {
        if is_abbreviation(orig) {
            return f.to_string();
        }
        if let Some(s) = memo.get(f) {
            return s.clone();
        }
        let s = self.stem_word(f, false);
        memo.insert(f.to_string(), s.clone());
        s
    }

    /// Analyzes a query into words (stop words dropped). Mirrors
    /// `analyzeQuery` in search-engine.js.
    pub fn query_words(&self, q: &str) -> Vec<QueryWord> {
        let mut out: Vec<QueryWord> = Vec::new();
        let mut adjacent = false;
        let mut last_end: Option<usize> = None;
        let raw = raw_words(q, &self.elisions);
        let folded: Vec<String> = raw
            .iter()
            .map(|w| fold(&w.parts.iter().map(|(p, _)| *p).collect::<String>()))
            .collect();
        let (neg_pre, neg_post, neg_bare) = self.lang.negation;
        // A light verb ("mettre une appli") weighs as a negated one when the
        // query says something else: the noun says what is meant.
        let light = self.lang.light;
        let other = folded
            .iter()
            .any(|f| !f.is_empty() && !self.is_stop(f) && !light.contains(&f.as_str()));
        let mut prev_negated = false;
        for (k, w) in raw.into_iter().enumerate() {
            // "ne" dropped, as spoken ("pronote marche pas"): when the
            // negation ends the query or a stop word follows it; otherwise
            // it is the next word's ("pc fixe pas internet"). Never the
            // first word ("premiers pas").
            let negated = folded.get(k + 1).is_some_and(|n| neg_post.contains(&n.as_str()))
                && (k > 0 && neg_pre.contains(&folded[k - 1].as_str())
                    || elided_before(q, w.start).is_some_and(|e| neg_pre.contains(&e.as_str()))
                    || k > 0
                        && neg_bare.contains(&folded[k + 1].as_str())
                        && folded.get(k + 2).is_none_or(|n| self.is_stop(n)))
                || other && light.contains(&folded[k].as_str())
                // The particle after a negated or light verb is the
                // negation's, not a word of the subject (rank26): "marche
                // plus", "affiche rien". Required, it cost every sheet not
                // saying it a share of the coordination.
                || prev_negated && neg_post.contains(&folded[k].as_str())
                // After an auxiliary too (rank29): "est pas traité", "sont
                // jamais chargés"; the auxiliary itself is a stop word.
                || k > 0 && neg_post.contains(&folded[k].as_str()) && self.lang.auxiliaries.contains(&folded[k - 1].as_str());
            prev_negated = negated;
            // An elided particle between two words breaks adjacency too.
            let gap_ok = match last_end {
                Some(e) => q[e..w.start].chars().all(|c| !is_word_char(c) || is_apostrophe(c)),
                None => false,
            };
            adjacent = adjacent && gap_ok;
            let joined_orig: String = w.parts.iter().map(|(p, _)| *p).collect();
            let surface = fold(&joined_orig);
            last_end = Some(w.end);
            if surface.is_empty() || surface.chars().count() > MAX_WORD_CHARS || self.is_stop(&surface) {
                adjacent = false;
                continue;
            }
            let stem = self.stem_word(&surface, is_abbreviation(&joined_orig));
            let parts = if w.parts.len() > 1 {
                w.parts
                    .iter()
                    .filter_map(|(p, _)| {
                        let f = fold(p);
                        if f.is_empty() || self.is_stop(&f) || f.chars().count() > MAX_WORD_CHARS {
                            None
                        } else {
                            let s = self.stem_word(&f, is_abbreviation(p));
                            Some((f, s))
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            out.push(QueryWord {
                surface,
                stem,
                parts,
                adjacent,
                negated,
            });
            adjacent = true;
        }
        out
    }

    fn build_synonyms(&self, groups: &[Vec<String>]) -> Synonyms {
        let mut surfaces: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut out: BTreeSet<Vec<Vec<String>>> = BTreeSet::new();
        let mut pairs: BTreeSet<(String, String)> = BTreeSet::new();
        let mut phrases_out: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
        for g in groups {
            let mut phrases: BTreeSet<Vec<String>> = BTreeSet::new();
            for phrase in g {
                let words = self.query_words(phrase);
                if words.is_empty() {
                    continue;
                }
                let terms: Vec<String> = words.iter().map(|w| w.stem.clone()).collect();
                if words.len() > 1 {
                    let slots = phrases_out
                        .entry(terms.join(&PHRASE_SEP.to_string()))
                        .or_insert_with(|| vec![Vec::new(); words.len() - 1]);
                    for (k, t) in Self::phrase_pair_slots(&words).into_iter().enumerate() {
                        if !slots[k].contains(&t) {
                            slots[k].push(t);
                            slots[k].sort();
                        }
                    }
                    for w in words.windows(2) {
                        pairs.insert((w[0].surface.clone(), w[1].surface.clone()));
                    }
                }
                for w in &words {
                    surfaces.entry(w.surface.clone()).or_default().insert(w.stem.clone());
                }
                // "wi fi" is also typed "wifi": the joined spelling joins the group.
                if words.len() > 1 && words[1..].iter().all(|w| w.adjacent) {
                    let joined: String = words.iter().map(|w| w.surface.as_str()).collect();
                    if joined.chars().count() <= MAX_WORD_CHARS {
                        let st = self.stem_word(&joined, false);
                        surfaces.entry(joined).or_default().insert(st.clone());
                        phrases.insert(vec![st]);
                    }
                }
                phrases.insert(terms);
            }
            if phrases.len() > 1 {
                out.insert(phrases.into_iter().collect());
            }
        }
        // Groups sharing a phrase are one group (a site list may extend a
        // built-in one): the connected groups, found by union-find over the
        // groups of each phrase. Merging each group with every group so far
        // made 20,000 groups in `book.toml` take 25 s (broken20).
        let out: Vec<Vec<Vec<String>>> = out.into_iter().collect();
        let mut parent: Vec<usize> = (0..out.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        let mut owner: std::collections::HashMap<&Vec<String>, usize> = std::collections::HashMap::new();
        for (i, g) in out.iter().enumerate() {
            for p in g {
                match owner.get(p) {
                    Some(&j) => {
                        let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                        parent[a.max(b)] = a.min(b);
                    }
                    None => {
                        owner.insert(p, i);
                    }
                }
            }
        }
        let mut merged: BTreeMap<usize, BTreeSet<Vec<String>>> = BTreeMap::new();
        for (i, g) in out.iter().enumerate() {
            let r = root(&mut parent, i);
            merged.entry(r).or_default().extend(g.iter().cloned());
        }
        let mut groups: Vec<Vec<Vec<String>>> = merged.into_values().map(|g| g.into_iter().collect()).collect();
        groups.sort();
        Synonyms {
            groups,
            surfaces,
            pair_words: (
                pairs.iter().map(|p| p.0.clone()).collect(),
                pairs.iter().map(|p| p.1.clone()).collect(),
            ),
            pairs,
            phrases: phrases_out,
        }
    }
}

/// tantivy tokenizer running the same analysis, registered as "fiches" on
/// the CLI index so that the index is self-describing.
#[derive(Clone)]
pub struct FichesTokenizer {
    analyzer: std::sync::Arc<Analyzer>,
    token: tantivy::tokenizer::Token,
}

impl FichesTokenizer {
    pub fn new(analyzer: std::sync::Arc<Analyzer>) -> Self {
        FichesTokenizer {
            analyzer,
            token: Default::default(),
        }
    }
}

pub struct FichesTokenStream<'a> {
    tokens: std::vec::IntoIter<Token>,
    token: &'a mut tantivy::tokenizer::Token,
    position: usize,
}

impl tantivy::tokenizer::Tokenizer for FichesTokenizer {
    type TokenStream<'a> = FichesTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> FichesTokenStream<'a> {
        let tokens = self.analyzer.tokens(text);
        FichesTokenStream {
            tokens: tokens.into_iter(),
            token: &mut self.token,
            position: 0,
        }
    }
}

impl tantivy::tokenizer::TokenStream for FichesTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self.tokens.next() {
            Some(t) => {
                self.token.text = t.term;
                self.token.offset_from = t.from;
                self.token.offset_to = t.to;
                self.token.position = self.position;
                self.token.position_length = 1;
                self.position += 1;
                true
            }
            None => false,
        }
    }
    fn token(&self) -> &tantivy::tokenizer::Token {
        self.token
    }
    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        self.token
    }
}
