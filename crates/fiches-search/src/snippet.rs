//! Snippets: the window of the stored text with the most distinct matched
//! terms, matched words wrapped in \u{1}..\u{2}. search-engine.js does the same
//! with its own highlighting rule (it has no stemmer).

use std::collections::{BTreeSet, HashMap};

use crate::analysis::Analyzer;

/// Marks around a matched word in [`crate::Hit::snippet`].
pub const MARK_START: char = '\u{1}';
pub const MARK_END: char = '\u{2}';
/// Target length of a snippet, in chars.
pub const SNIPPET_CHARS: usize = 200;

/// A no-break space French typography types before `:` `;` `!` `?` `»`
/// and after `«` (U+00A0, U+202F), or a figure space: kept in a snippet,
/// which is never cut there (the sign would start a line of the result).
fn is_no_break(c: char) -> bool {
    matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}')
}

/// A space where a snippet may start or end.
fn is_break_space(c: char) -> bool {
    c.is_whitespace() && !is_no_break(c)
}

/// Collapses whitespace runs to single spaces; a run holding a no-break
/// space becomes that space.
fn push_collapsed(out: &mut String, s: &str) {
    let mut prev_space = out.ends_with(' ') || out.ends_with(is_no_break);
    for c in s.chars() {
        if c.is_whitespace() {
            if !prev_space {
                out.push(if is_no_break(c) { c } else { ' ' });
            } else if is_no_break(c) && out.ends_with(' ') {
                out.pop();
                out.push(c);
            }
            prev_space = true;
        } else {
            out.push(c);
            prev_space = false;
        }
    }
}

pub fn make_snippet(analyzer: &Analyzer, text: &str, terms: &BTreeSet<String>) -> String {
    let mut memo = HashMap::new();
    let mut toks = Vec::new();
    analyzer.tokens_into(text, &mut memo, &mut toks);
    // Matched ranges; a hyphenated word matched as a whole wins over its parts.
    let mut ranges: Vec<(usize, usize, &str)> = Vec::new();
    for t in &toks {
        if terms.contains(&t.term) {
            if let Some(last) = ranges.last() {
                if t.from < last.1 {
                    continue;
                }
            }
            ranges.push((t.from, t.to, t.term.as_str()));
        }
    }
    let char_len = |a: usize, b: usize| text[a..b].chars().count();
    let mut start = 0usize;
    if !ranges.is_empty() {
        // Best window: most distinct terms, then most matches, then earliest.
        let mut best = (0usize, 0usize, 0usize); // (distinct, count, index)
        for i in 0..ranges.len() {
            let mut seen = BTreeSet::new();
            let mut count = 0;
            for r in &ranges[i..] {
                if char_len(ranges[i].0, r.1) > SNIPPET_CHARS - 20 {
                    break;
                }
                seen.insert(r.2);
                count += 1;
            }
            if (seen.len(), count) > (best.0, best.1) {
                best = (seen.len(), count, i);
            }
        }
        start = start_before(text, ranges[best.2].0);
    }
    let end = end_after(text, start);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let mut pos = start;
    for &(a, b, _) in ranges.iter().filter(|r| r.0 >= start && r.1 <= end) {
        push_collapsed(&mut out, &text[pos..a]);
        out.push(MARK_START);
        out.push_str(&text[a..b]);
        out.push(MARK_END);
        pos = b;
    }
    push_collapsed(&mut out, &text[pos..end]);
    let trimmed = out.trim_end().to_string();
    let mut out = trimmed.trim_start_matches(' ').to_string();
    if end < text.len() {
        out.push('…');
    }
    out
}

/// Where a snippet whose first match is at byte `first` starts: a little
/// before it (30 chars at most, never before a line), on a word boundary.
fn start_before(text: &str, first: usize) -> usize {
    let mut s = first;
    for (back, (i, c)) in text[..first].char_indices().rev().enumerate() {
        if back >= 30 || c == '\n' {
            break;
        }
        s = i;
    }
    if s > 0 && s < first {
        // Skip past the whole space char, a breaking one: French
        // typography's U+00A0 / U+202F (2 and 3 bytes) before `:` and
        // `?` bind the sign to its word.
        if let Some((k, c)) = text[s..first].char_indices().find(|(_, c)| is_break_space(*c)) {
            s += k + c.len_utf8();
            // Nor on the tail of the sentence before: a plain space
            // typed before `:` would start the snippet on it (`…: un`).
            s += text[s..first]
                .char_indices()
                .find(|(_, c)| !is_lead_junk(*c))
                .map_or(first - s, |(k, _)| k);
        }
    }
    s
}

/// What a snippet does not start on: spaces and the punctuation that
/// closes what came before (search-engine.js's LEAD_JUNK).
fn is_lead_junk(c: char) -> bool {
    c.is_whitespace() || ":;,.!?»)]}…–—".contains(c)
}

/// Where a snippet starting at byte `start` ends: after SNIPPET_CHARS
/// chars, on a word boundary.
fn end_after(text: &str, start: usize) -> usize {
    for (count, (i, c)) in text[start..].char_indices().enumerate() {
        if count >= SNIPPET_CHARS && is_break_space(c) {
            return start + i;
        }
    }
    text.len()
}

/// The bytes of `text` a snippet whose first match is at byte `first`
/// shows, or one whose first match is before it: what a `d/` head keeps
/// of its rest around a word
/// (browser::rest_passages), so that the passage shows as the whole text
/// would.
pub(crate) fn window(text: &str, first: usize) -> (usize, usize) {
    // To SNIPPET_CHARS after the word itself: a snippet starting at any
    // match up to it ends in the window too.
    (start_before(text, first), end_after(text, first))
}
