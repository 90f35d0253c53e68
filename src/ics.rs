//! Leaf helpers for iCalendar (RFC 5545): TEXT escaping and the folding of
//! content lines. The calendar template applies them as the `ics_text` and
//! `ics_fold` tera filters.

/// RFC 5545 TEXT escaping (3.3.11). Line breaks become `\n`; other
/// control characters, which TEXT cannot hold (3.3.11, CONTROL), are dropped.
pub fn text(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (3.1): a continuation line starts
/// with a space, and a UTF-8 character is never split.
///
/// A content line is one line: a control character that reached it (a
/// CR/LF would start a property of its own) is dropped here, whatever
/// the caller escaped.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut len = 0;
    for c in line.chars().filter(|&c| c == '\t' || !c.is_control()) {
        let w = c.len_utf8();
        if len + w > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += w;
    }
    out.push_str("\r\n");
    out
}

/// The text of a calendar: each non-empty line a folded content line ending
/// in CRLF. Empty lines go (a calendar holds none), so that a template's
/// tags may stand on lines of their own.
pub fn fold_lines(text: &str) -> String {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.trim().is_empty())
        .map(fold)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let long = format!("DESCRIPTION:{}", "é".repeat(100));
        let folded = fold(&long);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn escapes_text() {
        assert_eq!(text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        assert_eq!(text("a\r\nb\x1b[31m\u{7}c\td"), "a\\nb[31mc\td");
    }

    #[test]
    fn content_lines_never_break() {
        let f = fold("URL;VALUE=URI:https://a.org/\r\nX-INJECT:1\u{0}");
        assert_eq!(f, "URL;VALUE=URI:https://a.org/X-INJECT:1\r\n");
    }

    #[test]
    fn a_calendar_drops_empty_lines_and_ends_lines_with_crlf() {
        assert_eq!(fold_lines("BEGIN:X\n\n  \nEND:X\r\n"), "BEGIN:X\r\nEND:X\r\n");
    }
}
