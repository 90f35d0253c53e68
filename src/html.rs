//! Leaf helpers for what goes into HTML and XML: escaping, percent-encoding
//! of site paths, lexical path normalisation and the `../` prefix that leads
//! from a page back to the site root (pages link relatively so that the site
//! works from a sub-path and from a folder opened as `file://`).

/// Escapes text for HTML and XML, in element content and in quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    let b = s.as_bytes();
    // Runs of plain text are copied whole: a character at a time was 1 %
    // of a 10,000-sheet build. Only ASCII bytes and U+0080–U+009F (C1
    // controls, 0xC2 then 0x80–0x9F in UTF-8) can need anything done.
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let (len, with): (usize, &str) = match c {
            b'&' => (1, "&amp;"),
            b'<' => (1, "&lt;"),
            b'>' => (1, "&gt;"),
            b'"' => (1, "&quot;"),
            b'\'' => (1, "&#39;"),
            b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            // A NUL or an escape sequence from a title (`"a\u0000b"` in
            // TOML): control characters are parse errors in HTML, shown as
            // U+FFFD or nothing. Left out, as from feeds (`xml_escape`).
            0..=0x1f | 0x7f => (1, ""),
            0xc2 if b.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) => (2, ""),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        out.push_str(with);
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
    out
}

/// Escapes text for XML 1.0. XML cannot hold most control characters, not
/// even as `&#1;`: a feed reader would reject the whole feed. They are
/// dropped, the rest escaped as for HTML.
pub fn xml_escape(s: &str) -> String {
    let kept: String = s.chars().filter(|&c| xml_char(c)).collect();
    escape(&kept)
}

/// The `Char` production of XML 1.0 (2.2).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Percent-encodes a site path for use in `href`/`src` (spaces, accents).
pub fn encode_path(p: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(p, SET).to_string()
}

/// Normalises `a/b/../c` without touching the file system; `None` when the
/// path climbs above its start. Empty and `.` segments go.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Resolves `rel` (relative to the page at `from`, both from the site
/// root) to a path from the site root; `None` when it leaves the site.
/// Unlike `normalize`, a trailing `/` is kept (`dir/` stays a folder).
pub fn resolve(from: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The relative prefix from the page at `url` (from the site root, e.g.
/// `fiches/wifi/index.html`) back to the root: `../../`.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// The shortest relative link from the page at `from` to `to` (both from
/// the site root; `to` may end in `/` or carry `?…`/`#…`): the folders they
/// share are not climbed (`fiches/a/x/index.html` to `fiches/a/y/index.html`
/// is `../y/index.html`, not `../../../fiches/a/y/index.html`). Relative
/// still, so a page opens from a folder and under any base path.
pub fn relative(from: &str, to: &str) -> String {
    // The 404 page is served at any depth: its `from` is the site's base
    // path (`/aide/`), and its links are that path and `to`.
    if from.starts_with('/') {
        return format!("{}{to}", &from[..from.rfind('/').map_or(0, |i| i + 1)]);
    }
    let path_end = to.find(['?', '#']).unwrap_or(to.len());
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to[..path_end].split('/').collect();
    let to_dirs = &to_parts[..to_parts.len() - 1];
    let shared = from_dirs.iter().zip(to_dirs).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from_dirs.len() - shared);
    out.push_str(&to_parts[shared..].join("/"));
    out.push_str(&to[path_end..]);
    out
}

/// Elements whose text keeps its whitespace (or may: a script's strings).
const KEEP_WHITESPACE: [(&str, &str); 4] = [
    ("<pre", "</pre"),
    ("<textarea", "</textarea"),
    ("<script", "</script"),
    ("<style", "</style"),
];

/// An HTML template's source without the indentation of its lines (but
/// with all its lines: a template error names one), but inside `pre`, `textarea`, `script` and `style`: where
/// the browser collapses whitespace, a line break alone does what the
/// indentation did. Applied once to each `.html` template, not to pages
/// (content's code blocks keep theirs); about 0.4 KB of every page.
pub fn dedent(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut inside: Option<usize> = None;
    for line in src.split_inclusive('\n') {
        if inside.is_some() {
            out.push_str(line);
        } else {
            out.push_str(line.trim_start_matches([' ', '\t']));
        }
        // Which of those elements is still open at the end of the line.
        let lower = line.to_ascii_lowercase();
        let mut at = 0;
        loop {
            match inside {
                Some(i) => match lower[at..].find(KEEP_WHITESPACE[i].1) {
                    Some(k) => {
                        inside = None;
                        at += k + KEEP_WHITESPACE[i].1.len();
                    }
                    None => break,
                },
                None => {
                    let next = KEEP_WHITESPACE
                        .iter()
                        .enumerate()
                        .filter_map(|(i, (open, _))| {
                            let mut from = at;
                            while let Some(k) = lower[from..].find(open) {
                                let end = from + k + open.len();
                                // `<pre>` or `<pre class…`, not `<preview>`.
                                if lower[end..].starts_with(['>', ' ', '\t', '\n', '\r', '/']) || end == lower.len() {
                                    return Some((from + k, i, end));
                                }
                                from = end;
                            }
                            None
                        })
                        .min();
                    match next {
                        Some((_, i, end)) => {
                            inside = Some(i);
                            at = end;
                        }
                        None => break,
                    }
                }
            }
        }
    }
    out
}

/// Elements whose text is shown as typed: no space of theirs is changed.
const AS_TYPED: [&str; 7] = ["pre", "code", "kbd", "samp", "script", "style", "textarea"];

const NBSP: &str = "\u{a0}";

/// French typography, as SPIP does it: the space typed before `?`, `!`,
/// `;`, `:` and `»`, and after `«`, becomes a no-break space, so that a
/// narrow screen (375 px) or a printed page never starts a line with the
/// sign (`Pourquoi ça ne marche pas` / `?`). Only a space that follows a
/// word and comes before the sign and then a word's end: `C :\dossier`,
/// ` :)` inside a word, URLs and code are left alone. In `html`, tags,
/// comments and the text of `AS_TYPED` elements are copied as they are;
/// the search text is not this (the index reads the Markdown's text).
pub fn french_spacing(s: &str, html: bool) -> std::borrow::Cow<'_, str> {
    let b = s.as_bytes();
    // Allocated at the first space to change: most runs of text have none.
    let mut out: Option<String> = None;
    let mut kept = 0usize;
    let mut start = 0;
    let mut i = 0;
    // Stops at the signs and at `«` (0xC2, the first byte of `«` and `»`)
    // rather than at every space: a space is only changed before a sign or
    // after `«`, and stopping at each one was 2 % of a 10,000-sheet build.
    while let Some(k) = b[i..]
        .iter()
        .position(|&c| matches!(c, b'?' | b'!' | b';' | b':' | 0xC2) || (html && c == b'<'))
    {
        i += k;
        if b[i] == b'<' {
            i = skip_markup(s, i, &mut kept);
            continue;
        }
        if kept == 0 {
            // A space before the sign, after a word.
            let before = i
                .checked_sub(1)
                .filter(|&p| b[p] == b' ' && p >= start && p > 0 && !b[p - 1].is_ascii_whitespace() && sign_at(b, i));
            // A space after `«`, before a word.
            let after = (b[i..].starts_with("«".as_bytes())
                && b.get(i + 2) == Some(&b' ')
                && b.get(i + 3).is_some_and(|n| !n.is_ascii_whitespace()))
            .then_some(i + 2);
            for p in [before, after].into_iter().flatten() {
                let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 16));
                o.push_str(&s[start..p]);
                o.push_str(NBSP);
                start = p + 1;
            }
        }
        i += 1;
    }
    match out {
        None => std::borrow::Cow::Borrowed(s),
        Some(mut o) => {
            o.push_str(&s[start..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

/// `»`, or `?`, `!`, `;`, `:` ending a word, at `i`.
fn sign_at(b: &[u8], i: usize) -> bool {
    if b[i..].starts_with("»".as_bytes()) {
        return true;
    }
    if !matches!(b.get(i), Some(b'?' | b'!' | b';' | b':')) {
        return false;
    }
    match b.get(i + 1) {
        None => true,
        Some(n) => n.is_ascii_whitespace() || b"<&?!.,;:)\"'".contains(n) || b[i + 1..].starts_with("»".as_bytes()),
    }
}

fn find(b: &[u8], from: usize, what: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(what.len())
        .position(|w| w == what)
        .map(|p| p + from)
}

/// Skips the tag or comment that starts at `i` (a `<`) and returns where
/// it ends; `kept` counts the `AS_TYPED` elements open, whose text is
/// copied as typed.
fn skip_markup(s: &str, i: usize, kept: &mut usize) -> usize {
    let b = s.as_bytes();
    let end = if b[i..].starts_with(b"<!--") {
        find(b, i + 4, b"-->").map_or(b.len(), |e| e + 3)
    } else {
        tag_end(b, i)
    };
    if let Some((closing, name)) = tag_name(&s[i..end]) {
        if AS_TYPED.iter().any(|k| k.eq_ignore_ascii_case(name)) {
            if closing {
                *kept = kept.saturating_sub(1);
            } else if !s[i..end].ends_with("/>") {
                *kept += 1;
            }
        }
    }
    end
}

/// The end (one past `>`) of the tag at `i`, quoted attribute values read
/// whole (a `>` may stand in them).
fn tag_end(b: &[u8], i: usize) -> usize {
    let mut quote = None;
    for (j, &c) in b.iter().enumerate().skip(i + 1) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return j + 1,
            None => {}
        }
    }
    b.len()
}

/// `(closing, name)` of a tag's text (`</code>` → `(true, "code")`).
fn tag_name(tag: &str) -> Option<(bool, &str)> {
    let rest = tag.strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    (end > 0).then(|| (closing, &rest[..end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_spacing_binds_the_sign_to_its_word() {
        let fr = |s: &str| french_spacing(s, true).replace('\u{a0}', "~");
        assert_eq!(
            fr("<h2>Pourquoi ça ne marche pas ?</h2>\n<p>« Impossible » ; que faire ? Rien !</p>"),
            "<h2>Pourquoi ça ne marche pas~?</h2>\n<p>«~Impossible~»~; que faire~? Rien~!</p>"
        );
        assert_eq!(
            fr("<p>Le code : <strong>1234</strong> !</p>"),
            "<p>Le code~: <strong>1234</strong>~!</p>"
        );
        // Shown as typed: code, keys, attributes, comments.
        for same in [
            "<pre><code>if a ? b : c ;\n</code></pre>",
            "<p><code>a ? b</code> et <kbd>Ctrl !</kbd></p>",
            "<a title=\"x ? y\" href=\"a?b\">lien</a>",
            "<!-- note : interne ! -->",
            "<p>C :\\dossier, ?q=1, a ?b, http://x, 10:30, fin ?x</p>",
        ] {
            assert_eq!(fr(same), same);
        }
        // A sign before a tag, after a closing code: bound.
        assert_eq!(
            fr("<p><code>x</code> ?<br>a :<em>b</em></p>"),
            "<p><code>x</code>~?<br>a~:<em>b</em></p>"
        );
        assert!(matches!(
            french_spacing("rien à faire", true),
            std::borrow::Cow::Borrowed(_)
        ));
        // Text (a title), where `<` is only a character.
        assert_eq!(
            french_spacing("Touche <Entrée> : ça marche ?", false).replace('\u{a0}', "~"),
            "Touche <Entrée>~: ça marche~?"
        );
    }

    #[test]
    fn escapes_for_html_and_xml() {
        assert_eq!(
            escape("<a href=\"x\">l'&</a>"),
            "&lt;a href=&quot;x&quot;&gt;l&#39;&amp;&lt;/a&gt;"
        );
        assert_eq!(xml_escape("a\u{1}b\u{1b}c & <d>\u{fffe}\té"), "abc &amp; &lt;d&gt;\té");
    }

    /// The run-copying `escape` gives what escaping a character at a
    /// time gives, on every control, C1 control, quote and accent.
    #[test]
    fn escape_matches_a_character_at_a_time() {
        fn one_by_one(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' => out.push_str("&quot;"),
                    '\'' => out.push_str("&#39;"),
                    c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
                    _ => out.push(c),
                }
            }
            out
        }
        let mut pieces: Vec<String> = (0u32..0x100).filter_map(char::from_u32).map(String::from).collect();
        pieces.extend(["é", "«\u{a0}", "»", "€", "\u{2028}", "𝄞", "Ā", "ß", "\u{feff}"].map(String::from));
        for (i, a) in pieces.iter().enumerate() {
            for b in pieces.iter().skip(i % 7).step_by(7) {
                let s = format!("x{a}{b}é{a}");
                assert_eq!(escape(&s), one_by_one(&s), "{s:?}");
            }
        }
        assert_eq!(escape(""), "");
        assert_eq!(escape("\u{85}a\u{9f}"), "a");
    }

    /// Stopping at signs gives what stopping at every space gave.
    #[test]
    fn french_spacing_matches_a_space_at_a_time() {
        fn french_spacing_by_spaces(s: &str, html: bool) -> std::borrow::Cow<'_, str> {
            let b = s.as_bytes();
            // Allocated at the first space to change: most runs of text have none.
            let mut out: Option<String> = None;
            let mut kept = 0usize;
            let mut start = 0;
            let mut i = 0;
            while let Some(k) = b[i..].iter().position(|&c| c == b' ' || (html && c == b'<')) {
                i += k;
                if b[i] == b'<' {
                    i = skip_markup(s, i, &mut kept);
                    continue;
                }
                if kept == 0 {
                    let after_word = i > 0 && !b[i - 1].is_ascii_whitespace();
                    let open_quote =
                        b[..i].ends_with("«".as_bytes()) && b.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace());
                    if (after_word && i + 1 < b.len() && sign_at(b, i + 1)) || open_quote {
                        let o = out.get_or_insert_with(|| String::with_capacity(s.len() + 16));
                        o.push_str(&s[start..i]);
                        o.push_str(NBSP);
                        start = i + 1;
                    }
                }
                i += 1;
            }
            match out {
                None => std::borrow::Cow::Borrowed(s),
                Some(mut o) => {
                    o.push_str(&s[start..]);
                    std::borrow::Cow::Owned(o)
                }
            }
        }
        let pieces = [
            " ",
            "  ",
            "?",
            "!",
            ";",
            ":",
            "«",
            "»",
            "« ",
            " »",
            "a",
            "é",
            "\n",
            "\t",
            "<code>",
            "</code>",
            "<pre>",
            "</pre>",
            "<br/>",
            "<!-- a ? -->",
            "<a title=\"Quoi ?\">",
            "</a>",
            "&nbsp;",
            "\u{a0}",
            "°",
            ")",
            ".",
            "x",
        ];
        let n = pieces.len();
        let mut tried = 0;
        for seed in 0..20_000usize {
            let mut s = String::new();
            let mut x = seed.wrapping_mul(2_654_435_761) ^ 0x9e37;
            for _ in 0..(3 + seed % 9) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                s.push_str(pieces[x % n]);
            }
            for html in [true, false] {
                assert_eq!(
                    french_spacing(&s, html),
                    french_spacing_by_spaces(&s, html),
                    "{s:?} html {html}"
                );
                tried += 1;
            }
        }
        assert_eq!(tried, 40_000);
    }

    #[test]
    fn dedent_keeps_preformatted_text() {
        let src = "<ul>\n  <li>a</li>\n\n  \t<li>b</li>\n</ul>\n  <pre id=\"m\">x\n    y\n</pre>\n  <p>z</p>\n<textarea>\n  t\n</textarea><script>var s = `\n  k`;</script>\n <preview>\n  q\n";
        assert_eq!(
            dedent(src),
            "<ul>\n<li>a</li>\n\n<li>b</li>\n</ul>\n<pre id=\"m\">x\n    y\n</pre>\n<p>z</p>\n<textarea>\n  t\n</textarea><script>var s = `\n  k`;</script>\n<preview>\nq\n"
        );
        // A template without a last line break keeps its last line.
        assert_eq!(dedent("  <p>a</p>"), "<p>a</p>");
    }

    #[test]
    fn paths() {
        assert_eq!(encode_path("fiches/é t/index.html"), "fiches/%C3%A9%20t/index.html");
        assert_eq!(normalize("a/./b/../c/").as_deref(), Some("a/c"));
        assert_eq!(normalize("../x"), None);
        assert_eq!(
            resolve("fiches/a/x/index.html", "../y/").as_deref(),
            Some("fiches/a/y/")
        );
        assert_eq!(resolve("index.html", "../x"), None);
        assert_eq!(root_prefix("fiches/wifi/index.html"), "../../");
        assert_eq!(
            relative("fiches/a/x/index.html", "fiches/a/y/index.html"),
            "../y/index.html"
        );
        assert_eq!(
            relative("fiches/a/x/index.html", "fiches/a/index.html#b"),
            "../index.html#b"
        );
        assert_eq!(
            relative("fiches/a/x/index.html", "fiches/b/y/index.html"),
            "../../b/y/index.html"
        );
        assert_eq!(relative("fiches/a/x/index.html", "index.html"), "../../../index.html");
        assert_eq!(relative("fiches/a/x/index.html", "fiches/a/x/index.html"), "index.html");
        assert_eq!(relative("fiches/a/x/index.html", "fiches/a/x/p.png"), "p.png");
        assert_eq!(
            relative("index.html", "fiches/a/index.html?v=1"),
            "fiches/a/index.html?v=1"
        );
        assert_eq!(relative("suivi/index.html", "fiches/"), "../fiches/");
        // A `/` after `?` or `#` is not a folder.
        assert_eq!(
            relative("fiches/a/x/index.html", "fiches/a/index.html#x/y"),
            "../index.html#x/y"
        );
        // From the 404 page (its `from` is the base path): absolute.
        assert_eq!(relative("/aide/", "fiches/index.html"), "/aide/fiches/index.html");
        assert_eq!(relative("/", "index.html"), "/index.html");
        assert_eq!(root_prefix("index.html"), "");
    }
}
