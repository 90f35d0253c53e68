//! Ranking parameters, in one place. The browser gets them through the
//! manifest, so search.js never hard-codes a weight.

/// Number of indexed fields.
pub const NF: usize = 6;
/// Field names, in the order used everywhere (arrays indexed by field).
pub const FIELDS: [&str; NF] = ["title", "tags", "summary", "category", "body", "code"];
/// BM25F field weights: title, tags and summary weigh more than the body,
/// code blocks less.
pub const W: [f64; NF] = [4.0, 3.0, 2.0, 1.0, 1.0, 0.3];
/// BM25F length normalization per field (short fields: less).
pub const B: [f64; NF] = [0.5, 0.5, 0.6, 0.3, 0.75, 0.75];
/// BM25 saturation.
pub const K1: f64 = 1.2;
/// Impacts are stored as 12-bit integers q; impact = q * IMPACT_SCALE.
pub const IMPACT_SCALE: f64 = (K1 + 1.0) / 4095.0;

/// Score multiplier of a synonym (vs. the word typed).
pub const SYN_PENALTY: f64 = 0.9;
/// Score multiplier of a typo match, by edit distance (index 1 and 2).
pub const FUZZY_PENALTY: [f64; 3] = [1.0, 0.6, 0.4];
/// Score multiplier of a completion of the last word (search as you type).
pub const PREFIX_PENALTY: f64 = 0.7;
/// Edit distance 1 from this many letters...
pub const FUZZY_MIN_1: usize = 4;
/// ...and 2 from this many.
pub const FUZZY_MIN_2: usize = 8;
/// At most this many stems per typo'd word (closest, then most frequent).
pub const FUZZY_MAX: usize = 6;
/// The last word is completed from this many letters.
pub const PREFIX_MIN: usize = 3;
/// At most this many completions (most frequent first).
pub const PREFIX_MAX: usize = 8;
/// final = sum × coord^COORD_EXP, coord = share of the query words matched.
pub const COORD_EXP: u32 = 2;
