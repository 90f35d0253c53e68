//! Leaf helpers for what goes into HTML and XML: escaping, percent-encoding
//! of site paths, lexical path normalisation and the `../` prefix that leads
//! from a page back to the site root (pages link relatively so that the site
//! works from a sub-path and from a folder opened as `file://`).

/// Escapes text for HTML and XML, in element content and in quoted attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_for_html_and_xml() {
        assert_eq!(
            escape("<a href=\"x\">l'&</a>"),
            "&lt;a href=&quot;x&quot;&gt;l&#39;&amp;&lt;/a&gt;"
        );
        assert_eq!(xml_escape("a\u{1}b\u{1b}c & <d>\u{fffe}\té"), "abc &amp; &lt;d&gt;\té");
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
        assert_eq!(root_prefix("index.html"), "");
    }
}
