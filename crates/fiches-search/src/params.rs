//! Ranking parameters, in one place. The browser gets them through the
//! manifest, so search-engine.js never hard-codes a weight.

/// Number of indexed fields.
pub const NF: usize = 8;
/// Field names, in the order used everywhere (arrays indexed by field).
/// `slug`: the words of the document's file name, the last part of its id
/// (`serveur/sauvegarder-ses-fichiers` → "sauvegarder ses fichiers";
/// `corpus::slug_text`). `link`: the text of the body's links
/// (`crate::LINK_START`), which names another page more than this one.
pub const FIELDS: [&str; NF] = ["title", "tags", "summary", "category", "body", "code", "slug", "link"];
/// BM25F field weights: title, tags and summary weigh more than the body,
/// code blocks less. The file name is a weak field (rank22): the author's
/// short name for the sheet, often not the title's words ("sauvegarder"
/// where the title says "enregistrer"), like the URL field of web
/// retrieval. Where it merely repeats the title it adds little; weighed 2
/// it outranked real answers (`tablete`, `faire l'appel`), 0.5 and 1 lost
/// nothing (docs/benchmarks.md, "(rank22)"). A link's text (rank32) is
/// anchor text: it says what the page it points to is about ("voir la fiche
/// « Réinitialiser un mot de passe »"), so it weighs less than the body in
/// the page that holds it, which would otherwise compete with that page.
pub const W: [f64; NF] = [4.0, 3.0, 2.0, 1.0, 1.0, 0.3, 0.5, LINK_W];
/// The weight of the `link` field.
pub const LINK_W: f64 = 0.3;
/// BM25F length normalization per field (short fields: less). A file name
/// fully: `cle-usb` says "clé USB" more than
/// `cle-usb-illisible-sur-la-restauration` does.
pub const B: [f64; NF] = [0.5, 0.5, 0.6, 0.3, 0.75, 0.75, 1.0, 0.75];
/// BM25 saturation.
pub const K1: f64 = 1.2;
/// Impacts are stored as 9-bit levels on a log scale from IMPACT_MIN to
/// K1 + 1 (about 1% apart); 0 means absent. The 10th bit of a stored impact
/// is `TITLE_FLAG`.
pub const IMPACT_LEVELS: usize = 511;
pub const IMPACT_MIN: f64 = 0.01;
/// Set on a stored impact when the term is in the document's title: the
/// engine credits a document whose title holds every word of the query.
pub const TITLE_FLAG: u16 = 512;
/// Set on a stored impact when the term is in the document's summary.
pub const SUMMARY_FLAG: u16 = 1024;
/// The bits of a stored impact that are its level.
pub const LEVEL_MASK: u16 = TITLE_FLAG - 1;
/// Score multiplier of a document whose summary holds every concept of the
/// query; a share u of them: 1 + (SUMMARY_BONUS − 1)·u².
pub const SUMMARY_BONUS: f64 = 1.1;
/// Score multiplier of a document whose title holds every concept of the
/// query as typed or as a synonym (the title says what the query says); a
/// title holding a share h of them gets 1 + (TITLE_BONUS − 1)·h² (rank20:
/// three words of four say more of the query than two).
pub const TITLE_BONUS: f64 = 1.5;

/// Ratio between consecutive impact levels (shipped in the manifest).
pub fn impact_ratio() -> f64 {
    ((K1 + 1.0) / IMPACT_MIN).powf(1.0 / (IMPACT_LEVELS - 1) as f64)
}

/// The value of each level, by repeated multiplication: IEEE products are
/// exact the same in Rust and JS, so search-engine.js rebuilds the same doubles.
pub fn impact_table() -> Vec<f64> {
    let r = impact_ratio();
    let mut t = vec![0f64; IMPACT_LEVELS + 1];
    t[1] = IMPACT_MIN;
    for q in 2..=IMPACT_LEVELS {
        t[q] = t[q - 1] * r;
    }
    t
}

/// Separator of an exact title term: each word of a title is also indexed
/// as `stem` EXACT_SEP `word` ("imprim.imprimer"), so that a title holding
/// the word as typed ranks above one holding only a word of the same stem
/// ("imprimante"). The stem first keeps the term beside its stem's (same
/// term shard). No word contains it.
pub const EXACT_SEP: char = '.';
/// Score multiplier (on top of `TITLE_BONUS`) of a document whose title
/// holds every word of the query exactly as typed (accents and case aside).
pub const EXACT_BONUS: f64 = 1.25;
/// A term's *summary marker* is the term, EXACT_SEP and this
/// (`imprim.,`): the documents whose summary holds the term, by their ords
/// alone, right after the term (and its title marker) in its shard, since
/// the browser's postings do not store `SUMMARY_FLAG`. No exact title term
/// has it (their rest is a word).
pub const SUMMARY_MARK: char = ',';

/// Separator of a tag term: each tag of a document (a short phrase, at
/// most `TAG_MAX_WORDS` words) is also indexed as one term, each word's key
/// (`analysis::tag_key`) after TAG_SEP (`/impression`, `/compt/verrouill`),
/// so that the engine can tell a sheet whose tags say the query's words,
/// whole, from one that merely holds them somewhere. In the browser
/// index a tag term sits in the `v/` shard where its key after TAG_SEP
/// falls (`browser::tag_lists`). No word contains it.
pub const TAG_SEP: char = '/';
/// Tags of more words than this are sentences, not tags: no tag term.
pub const TAG_MAX_WORDS: usize = 4;
/// Score multiplier of a document whose tags, taken whole, say every
/// required word of the query (each tag a run of consecutive query words);
/// a document whose tags say a share s of them gets 1 + (TAG_BONUS − 1)·s².
pub const TAG_BONUS: f64 = 2.0;

/// Separator of a phrase term: a synonym phrase of several words ("réseau
/// sans fil") is indexed as one term per pair of consecutive words
/// ("reseau_fil"), so that it matches as a phrase, never word by word. No
/// word contains it (words are letters and digits).
pub const PHRASE_SEP: char = '_';
/// A concept matched by at least this many of its names (the word typed,
/// its synonyms) in a document scores their pseudo-frequencies summed
/// before the saturation (`engine::score`), rather than its best name.
pub const SYN_SUM_MIN: u32 = 2;
/// Pseudo-frequency of the top impact level (the saturation itself), and
/// the cap of the inverse (`engine::tf_table`).
pub const TF_MAX: f64 = 1.0e6;
/// Score multiplier of a synonym (vs. the word typed).
pub const SYN_PENALTY: f64 = 0.9;
/// Score multiplier of a typo match, by edit distance (index 1 and 2).
pub const FUZZY_PENALTY: [f64; 3] = [1.0, 0.6, 0.4];
/// Score multiplier of a completion of the last word (search as you type).
pub const PREFIX_PENALTY: f64 = 0.7;
/// Score multiplier of a word's re-/ré- form (`engine::re_forms`: "charge"
/// also finds "recharger"): the same action done again, a near synonym,
/// below the word typed.
pub const RE_PENALTY: f64 = 0.7;
/// The word after the prefix has at least this many letters ("réseau" is
/// not "seau" again, nor "retour" "tour").
pub const RE_MIN: usize = 5;
/// Edit distance 1 from this many letters (only for a word the vocabulary
/// does not have, so a real three-letter word such as ENT is never lost)...
pub const FUZZY_MIN_1: usize = 3;
/// ...and 2 from this many.
pub const FUZZY_MIN_2: usize = 8;
/// At most this many stems per typo'd word (closest, then most frequent).
pub const FUZZY_MAX: usize = 6;
/// Letters of a quarter of `engine::far_keys` at least (a long word's
/// second chance): at 10,000 generated sheets the words sharing two
/// (`vi`, `ur`) loaded up to 17 KB for a word the site never says.
pub const FAR_MIN: usize = 3;
/// Letters before the ending of a verb form at least
/// (`engine::verb_form_surfaces`): "copier"/"copié", not "trier"/"trié".
pub const VERB_BASE_MIN: usize = 3;
/// The last word is completed from this many letters.
pub const PREFIX_MIN: usize = 3;
/// At most this many completions (most frequent first).
pub const PREFIX_MAX: usize = 8;
/// final = sum × coord^COORD_EXP, coord = share of the query words matched.
pub const COORD_EXP: u32 = 2;
/// Words of at most this many letters look for typos among the words of
/// length ±1 (the "short" vocabulary lists); longer ones among the words
/// sharing their first or their last half (see engine::fuzzy_keys).
pub const SHORT_MAX: usize = 4;
/// A clipped word ("videoprojo"): a word of this many letters or more may
/// be the start of a longer one, with one typo...
pub const CLIP_MIN: usize = 6;
/// ...scored with this multiplier.
pub const CLIP_PENALTY: f64 = 0.5;
/// Words run together ("motdepasse"): an unknown word of this many letters
/// or more, without a close typo, is split against the vocabulary...
pub const SPLIT_MIN: usize = 5;
/// ...and the split scored with this multiplier.
pub const SPLIT_PENALTY: f64 = 0.9;
/// A word the vocabulary knows may still be words run together: among
/// thousands of sheets, "motdepasse" is known from a file name
/// (`mot-de-passe_2025.xlsx`, whose hyphens are joined), and that rare term
/// outweighs everything while the sheets about "mot de passe" match
/// nothing. A known word is also split when it is rare, its df class at
/// least SPLIT_RARE below that of the document count (in at most one
/// document in about 2^(SPLIT_RARE/4) = 2,048; never on a small site, so
/// the browser loads the split's vocabulary only for such words)...
pub const SPLIT_RARE: u32 = 44;
/// ...and each piece of its split is in at least 2^(SPLIT_GAP/4) = 16
/// times as many documents (df classes SPLIT_GAP apart): the pieces are
/// ordinary words, the whole a rarity.
pub const SPLIT_GAP: u32 = 16;
/// At most this many splits of a word, each an alternative.
pub const SPLIT_MAX: usize = 3;
/// "Vouliez-vous dire …" (`engine::suggest`): when another word of the
/// query is known, a word of this many letters or fewer is not corrected
/// into one of another first letter (`engine::weak_correction`).
pub const SUGGEST_SHORT: usize = 5;
/// Score multiplier of a negated verb ("ne marche pas"), which also leaves
/// the coordination when it does not match.
pub const NEG_WEIGHT: f64 = 0.5;
/// A word the vocabulary does not know (its options are guesses: typos, a
/// clipped word, a split) counts in the coordination only where it
/// matches when the query has at least this many known required words
/// (rank27): "internet rame en classe", "batterie morte pc portable" typed
/// words the sheet does not use, and the sheet saying every other word lost
/// a share of the query to bodies saying the guess ("ram", "mort").
/// Beside a single known word ("dupliqer ecran") the guess stays required:
/// forgiven, the query would be that one word.
pub const GUESS_KNOWN_MIN: usize = 2;
