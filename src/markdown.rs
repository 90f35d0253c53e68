//! Render stage for Markdown: pulldown-cmark events are rewritten (links
//! resolved to page URLs, heading anchors, French callouts, tables made
//! scrollable, code highlighted by syntect) and the visible text is kept
//! for the search index.

use crate::diagnostics::{Diagnostic, LineCursor};
use crate::html::{encode_path, escape, normalize};
use crate::i18n::Strings;
use crate::slug::heading_slug;
use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::ops::Range;
use std::sync::OnceLock;

/// What the renderer needs to know about the rest of the site.
pub struct LinkIndex {
    /// Markdown source (path from the site root) → page URL (from the site root).
    pub pages: crate::model::FastMap<String, String>,
    /// Files under `static/` directories (path relative to that directory).
    pub statics: HashSet<String>,
    /// Other files next to the content (images beside a sheet), path from the site root.
    pub content_assets: HashSet<String>,
    /// The fixed pages the site writes (home, `actions`, `apero-tice`,
    /// `recherche`…), by folder without slashes (`""` for the home page):
    /// a link from the site root to one (`/actions/`) leads to it.
    pub fixed: HashSet<String>,
    /// Category folders (`content/fiches/reseau`, from the site root, no
    /// trailing `/`) → the category's page: a link to the folder itself
    /// (`../reseau/`), as a forge shows a folder, leads to that page.
    pub folders: HashMap<String, String>,
    /// A sheet's old file by its `aliases` (`content/fiches/<alias>.md`,
    /// from the site root) → its file now: a link left to the old file
    /// after a rename is still broken, and its hint names the new one.
    pub renamed: HashMap<String, String>,
    /// The names above by their NFC form (`other_form`), made at the first
    /// link that needs them: a broken one, or one to a name in NFD. Reset
    /// (`Default::default()`) by whoever changes the names.
    pub nfc_names: OnceLock<NfcNames>,
}

/// NFC form → name as the site has it, for `pages`, `statics` and
/// `content_assets` of a `LinkIndex`.
#[derive(Default)]
pub struct NfcNames {
    pages: HashMap<String, String>,
    statics: HashMap<String, String>,
    assets: HashMap<String, String>,
}

impl LinkIndex {
    fn nfc_names(&self) -> &NfcNames {
        self.nfc_names.get_or_init(|| {
            let by_nfc = |names: &mut dyn Iterator<Item = &String>| names.map(|k| (nfc(k), k.clone())).collect();
            NfcNames {
                pages: by_nfc(&mut self.pages.keys()),
                statics: by_nfc(&mut self.statics.iter()),
                assets: by_nfc(&mut self.content_assets.iter()),
            }
        })
    }
}

pub struct PageCtx<'a> {
    /// Markdown file, relative to the site root.
    pub source: &'a str,
    /// File line where the Markdown starts (after the front matter).
    pub body_line: usize,
    /// Folder of the content root this file belongs to (a pool's, or "").
    pub origin_root: &'a str,
    /// The page's URL from the site root (`fiches/wifi/x/index.html`): links
    /// are written relative to it, by the shortest path (`html::relative`).
    pub page: &'a str,
    pub strings: &'a Strings,
    /// `[check]` of `book.toml`: which hosts a page may load from.
    pub check: &'a crate::config::CheckConfig,
}

#[derive(Debug, Clone, Default)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A link from this page to another page's section, checked once all
/// pages are rendered.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    pub target_source: String,
    /// The id the published link names (`section_id`).
    pub anchor: String,
    /// The fragment as the source writes it (`ça-ne-marche-pas`), for messages.
    pub written: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// Visible prose (headings, paragraphs, lists, tables), for search.
    pub text: String,
    /// Characters of `text`: what pages need of it (`build` hands the text
    /// itself to the search index, without a copy).
    pub text_chars: usize,
    /// Text of code blocks, weighed less by search.
    pub code: String,
    pub toc: Vec<TocEntry>,
    pub anchors: HashSet<String>,
    pub anchor_refs: Vec<AnchorRef>,
    /// Assets beside the content that must be copied (path from the site root).
    pub assets: Vec<String>,
    /// Images without alternative text: (line, column, address as written).
    pub images_without_alt: Vec<(usize, usize, String)>,
    /// Images found as files: (line, column, address as written, file from
    /// the site root), whose weight `check` looks at.
    pub image_files: Vec<(usize, usize, String, String)>,
    pub task_count: usize,
    /// Every link target looked up (Markdown source, static file, asset),
    /// found or not: `serve` renders again only the documents a moved or
    /// removed target touches.
    pub targets: Vec<String>,
    /// Set when `html` was dropped (`strip`): a hash of it, which stands
    /// for it in page fingerprints. `serve` keeps no page HTML between
    /// rebuilds (about 70 MB at 10,000 sheets) and renders the Markdown of
    /// a document again when one of its pages must be written.
    pub html_hash: Option<u64>,
    /// Set when `text` and `code` were handed over or dropped
    /// (`take_text`): the hash of both (`fiches_search::text_hash`), which
    /// stands for them in the search index's keys.
    pub text_hash: Option<u64>,
}

impl Rendered {
    /// A hash of `html`, dropped or not: what page fingerprints show of it.
    pub fn html_key(&self) -> u64 {
        self.html_hash.unwrap_or_else(|| hash_str(&self.html))
    }

    /// Drops the HTML, keeping its hash (`html_key`).
    pub fn strip(&mut self) {
        if self.html_hash.is_none() {
            self.html_hash = Some(hash_str(&self.html));
        }
        self.html = String::new();
    }

    /// Whether the HTML was dropped (a new rendering puts it back).
    pub fn is_stripped(&self) -> bool {
        self.html_hash.is_some()
    }

    /// The hash of `text` and `code`, dropped or not.
    pub fn text_key(&self) -> u64 {
        self.text_hash
            .unwrap_or_else(|| fiches_search::text_hash(&self.text, &self.code))
    }

    /// Hands over `text` and `code` (empty once dropped), keeping their hash.
    pub fn take_text(&mut self) -> (String, String) {
        self.text_hash = Some(self.text_key());
        (std::mem::take(&mut self.text), std::mem::take(&mut self.code))
    }
}

fn hash_str(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Code blocks larger than this are escaped, not highlighted: syntect's cost
/// grows with size and a 5 MB journal must still build in seconds.
const HIGHLIGHT_LIMIT: usize = 64 * 1024;

/// `[^label]` left in the text: a footnote call whose note the page never
/// defines (a defined one is a `FootnoteReference` event, and the broken
/// link callback is not called for footnotes). Adjacent text events are
/// read as one run, since the parser may cut text at brackets; an escaped
/// `\[^x]` and code are not calls.
fn footnotes_undefined(md: &str, events: &[(Event, Range<usize>)]) -> Vec<(Range<usize>, String)> {
    let mut runs: Vec<Range<usize>> = Vec::new();
    for (e, r) in events {
        if !matches!(e, Event::Text(_)) {
            continue;
        }
        match runs.last_mut() {
            Some(last) if last.end == r.start => last.end = r.end,
            _ => runs.push(r.clone()),
        }
    }
    let mut found = Vec::new();
    for run in runs {
        let Some(text) = md.get(run.clone()) else { continue };
        let mut from = 0;
        while let Some(i) = text[from..].find("[^").map(|i| from + i) {
            from = i + 2;
            let escaped = md[..run.start + i].ends_with('\\');
            let Some(len) = text[i + 2..].find(']') else { break };
            let label = &text[i + 2..i + 2 + len];
            if escaped || label.is_empty() || label.contains(char::is_whitespace) {
                continue;
            }
            found.push((run.start + i..run.start + i + 3 + len, format!("^{label}")));
            from = i + 3 + len;
        }
    }
    found
}

pub fn render(md: &str, ctx: &PageCtx, links: &LinkIndex, diags: &mut Vec<Diagnostic>) -> Rendered {
    // References to a label the page never defines (`[texte][ref]`,
    // `[texte][]`, `[^1]`): CommonMark prints them as plain brackets, so
    // the author's link or note silently disappears. Noted here, reported
    // by `undefined_references`; a bare `[mot]` is ordinary text in French
    // prose and is not reported.
    let mut undefined: Vec<(Range<usize>, String, bool)> = Vec::new();
    let events: Vec<(Event, Range<usize>)> = Parser::new_with_broken_link_callback(
        md,
        options(),
        Some(|b: pulldown_cmark::BrokenLink<'_>| {
            use pulldown_cmark::LinkType;
            if matches!(b.link_type, LinkType::Reference | LinkType::Collapsed) {
                undefined.push((b.span.clone(), b.reference.to_string(), false));
            }
            None
        }),
    )
    .into_offset_iter()
    .collect();
    undefined.extend(footnotes_undefined(md, &events).into_iter().map(|(r, l)| (r, l, true)));
    undefined.sort_by_key(|u| u.0.start);
    let mut w = Writer {
        lines: LineCursor::new(md),
        ctx,
        links,
        diags,
        out: Rendered::default(),
        ids: HeadingIds::default(),
        vis: Visibility::default(),
        html: Vec::with_capacity(events.len()),
        code: None,
        image: None,
        found_file: None,
        raw_html: false,
        comments: false,
        raw_text: String::new(),
        raw_marks: Vec::new(),
        in_link: 0,
        in_html_link: false,
    };
    w.reserve_heading_ids(&events);
    w.links_not_read(&events);
    w.headings_not_read(&events);
    w.fences_not_closed(md, &events);
    w.tables_not_read(md, &events);
    w.undefined_references(md, &undefined);
    w.empty_targets(&events);
    let mut i = 0;
    while i < events.len() {
        i = w.event(&events, i);
    }
    w.remote_in_raw_html();
    let Writer {
        mut out,
        html,
        raw_html,
        comments,
        ..
    } = w;
    pulldown_cmark::html::push_html(&mut out.html, html.into_iter());
    if raw_html {
        // The sanitiser drops comments too.
        out.html = sanitize::clean(&out.html);
    } else if comments {
        out.html = strip_comments(&out.html);
    }
    if ctx.strings.lang == "fr" {
        if let std::borrow::Cow::Owned(h) = crate::html::french_spacing(&out.html, true) {
            out.html = h;
        }
    }
    out.text_chars = out
        .text
        .chars()
        .filter(|&c| c != fiches_search::LINK_START && c != fiches_search::LINK_END)
        .count();
    // Grown by doubling, these strings hold up to twice their length until
    // the pages and the index are done: at 50,000 sheets, hundreds of MiB.
    out.html.shrink_to_fit();
    out.text.shrink_to_fit();
    out.code.shrink_to_fit();
    out
}

/// An image being read: its alt text comes as the events up to its end.
struct OpenImage {
    line: usize,
    column: usize,
    /// The address as the author wrote it, for messages: `src` is the
    /// page-relative one (`../../../_assets/…`), found nowhere in the sources.
    written: String,
    src: String,
    title: String,
}

/// One page's Markdown being rewritten: the events for pulldown-cmark's
/// HTML writer, and what the page yields besides (text, anchors, assets).
struct Writer<'a, 'e> {
    /// Lines and columns of `md`'s offsets, for messages.
    lines: LineCursor<'a>,
    ctx: &'a PageCtx<'a>,
    links: &'a LinkIndex,
    diags: &'a mut Vec<Diagnostic>,
    out: Rendered,
    ids: HeadingIds,
    vis: Visibility,
    html: Vec<Event<'e>>,
    /// Inside a code block: (language, text so far).
    code: Option<(String, String)>,
    image: Option<OpenImage>,
    /// The file (from the site root) that the last `resolve` found.
    found_file: Option<String>,
    /// The Markdown holds raw HTML (comments aside): the page is sanitised.
    raw_html: bool,
    /// The raw HTML holds a comment: a contributors' note, never published.
    comments: bool,
    /// The page's raw HTML, read for what it loads once the page is done:
    /// an HTML block comes one line per event, and a tag may span lines.
    raw_text: String,
    /// (offset in `raw_text`, offset in the Markdown) of each piece.
    raw_marks: Vec<(usize, usize)>,
    /// Inside a link (Markdown's, or raw HTML's `<a>`): its text is not
    /// made a link again.
    in_link: usize,
    in_html_link: bool,
}

impl<'e> Writer<'_, 'e> {
    /// File line and column of a byte offset of the Markdown.
    fn line_of(&self, off: usize) -> (usize, usize) {
        let (l, c) = self.lines.get(off);
        (l + self.ctx.body_line - 1, c)
    }

    /// `[texte](Pilote du copieur.md)`: a destination with a space is no
    /// link in CommonMark, so the page shows the brackets as text (mdBook
    /// and Zola do the same, silently). Runs of text are scanned for such
    /// a `](…)` that names a file; each is a warning at its line.
    fn links_not_read(&mut self, events: &[(Event, Range<usize>)]) {
        // (offset in `run`, offset in the Markdown) of each text event.
        let mut run = String::new();
        let mut starts: Vec<(usize, usize)> = Vec::new();
        let mut in_code = false;
        // One step past the end flushes the last run.
        for i in 0..=events.len() {
            match events.get(i) {
                Some((Event::Start(Tag::CodeBlock(_)), _)) => in_code = true,
                Some((Event::End(TagEnd::CodeBlock), _)) => in_code = false,
                Some((Event::Text(t), range)) if !in_code => {
                    starts.push((run.len(), range.start));
                    run.push_str(t);
                    continue;
                }
                _ => {}
            }
            if run.contains("](") {
                for (at, dest) in unread_links(&run) {
                    let src = starts
                        .iter()
                        .rev()
                        .find(|(o, _)| *o <= at)
                        .map_or(0, |(o, s)| s + (at - o));
                    let (l, c) = self.line_of(src);
                    self.diags.push(
                        Diagnostic::warning(
                            "link-with-space",
                            self.ctx.source,
                            format!("`]({dest})` n'est pas lu comme un lien : l'adresse contient une espace, le texte est publié tel quel, crochets compris"),
                        )
                        .at(l, Some(c))
                        .hint(format!("mettez l'adresse entre chevrons, `](<{dest}>)`, ou écrivez les espaces `%20`")),
                    );
                }
            }
            run.clear();
            starts.clear();
        }
    }

    /// `##Étapes`: a heading without its space after the `#` is no
    /// heading in CommonMark (nor on the forge's preview): the page shows
    /// the signs, and the table of contents lacks the part. Two signs or
    /// more then a letter, at a line's start in a paragraph (one sign is
    /// a tag, `#wifi`); each is a warning at its line.
    fn headings_not_read(&mut self, events: &[(Event, Range<usize>)]) {
        for w in events.windows(2) {
            let (Event::Start(Tag::Paragraph) | Event::SoftBreak | Event::HardBreak, _) = &w[0] else {
                continue;
            };
            let (Event::Text(t), range) = &w[1] else { continue };
            let hashes = t.bytes().take_while(|&b| b == b'#').count();
            let next = t[hashes..].chars().next();
            if !(2..=6).contains(&hashes) || !next.is_some_and(char::is_alphabetic) {
                continue;
            }
            let line = t.lines().next().unwrap_or(t).trim_end();
            let (l, c) = self.line_of(range.start);
            self.diags.push(
                Diagnostic::warning(
                    "heading-no-space",
                    self.ctx.source,
                    format!("`{line}` n'est pas lu comme un titre : il manque une espace après les `#`, et la page montre les signes"),
                )
                .at(l, Some(c))
                .hint(format!("`{} {}`", &line[..hashes], &line[hashes..])),
            );
        }
    }

    /// A code block opened by ```` ``` ```` and never closed runs to the
    /// end of the page (CommonMark; the forge's preview does the same):
    /// every heading, step and image after it is published as code, and
    /// the table of contents and the search lose them. Reported when the
    /// block reaches the end of the page without its closing line; one
    /// that a list or a quotation ends harms nothing after it.
    fn fences_not_closed(&mut self, md: &str, events: &[(Event, Range<usize>)]) {
        for (e, range) in events {
            let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) = e else {
                continue;
            };
            let Some(block) = md.get(range.clone()) else { continue };
            if !md[range.end..].trim().is_empty() {
                continue;
            }
            let first = block.lines().next().unwrap_or("");
            let Some(at) = first.find(['`', '~']) else { continue };
            let sign = first.as_bytes()[at];
            let n = first[at..].bytes().take_while(|&b| b == sign).count();
            if n < 3 {
                continue;
            }
            let last = block.lines().skip(1).filter(|l| !l.trim().is_empty()).last();
            let closed = last.is_some_and(|l| {
                let l = l.trim_start_matches(|c: char| c.is_whitespace() || c == '>');
                l.len() >= n && l.bytes().all(|b| b == sign)
            });
            if closed {
                continue;
            }
            let fence = &first[at..at + n];
            let (l, c) = self.line_of(range.start + at);
            let lines = block.lines().count().saturating_sub(1);
            self.diags.push(
                Diagnostic::warning(
                    "code-fence-unclosed",
                    self.ctx.source,
                    format!(
                        "le bloc de code ouvert par {fence} n'est jamais fermé : tout ce qui le suit jusqu'à la fin de la page ({lines} ligne{}) est publié comme du code, titres et images compris",
                        if lines > 1 { "s" } else { "" }
                    ),
                )
                .at(l, Some(c))
                .hint(format!("fermez-le par une ligne {fence} après la dernière ligne de code")),
            );
        }
    }

    /// A table whose separator row (`|---|---|`) has fewer or more cells
    /// than its header row, or that has none: GFM (the forge's preview,
    /// pulldown-cmark) reads no table, and the page shows the lines as
    /// text, pipes and dashes included. Found in the paragraphs (a table
    /// read is none); each is a warning at the separator's line, or at
    /// the second row when there is no separator. A tight list item has no
    /// paragraph: its text runs from its first inline event to its first
    /// block (a nested list, code) or its end.
    fn tables_not_read(&mut self, md: &str, events: &[(Event, Range<usize>)]) {
        let blocks = events.iter().enumerate().filter_map(|(i, (e, range))| match e {
            Event::Start(Tag::Paragraph) => Some(range.clone()),
            Event::Start(Tag::Item) => {
                let (first, start) = events.get(i + 1)?;
                if matches!(first, Event::Start(_) | Event::End(_)) {
                    return None;
                }
                let end = events[i + 1..]
                    .iter()
                    .find(|(e, _)| matches!(e, Event::Start(t) if is_block(t)) || matches!(e, Event::End(TagEnd::Item)))
                    .map_or(range.end, |(e, r)| match e {
                        Event::End(_) => r.end.min(range.end),
                        _ => r.start,
                    });
                Some(start.start..end.max(start.start))
            }
            _ => None,
        });
        for range in blocks.collect::<Vec<_>>() {
            let Some(text) = md.get(range.clone()) else { continue };
            // (offset in `md`, the line without its quotation marks or indent)
            let mut rows: Vec<(usize, &str)> = Vec::new();
            let mut at = range.start;
            for line in text.split_inclusive('\n') {
                let body = line.trim_start_matches(['>', ' ', '\t']);
                rows.push((at + line.len() - body.len(), body.trim_end()));
                at += line.len();
            }
            let found = rows.windows(2).find_map(|w| {
                let (head, (off, sep)) = (w[0].1, w[1]);
                let cols = table_cells(head)?;
                match separator_cells(sep) {
                    Some(n) if n != cols => Some((off, cols, Some(n))),
                    None if is_table_row(head) && is_table_row(sep) => Some((off, cols, None)),
                    _ => None,
                }
            });
            let Some((off, cols, sep)) = found else { continue };
            let (l, c) = self.line_of(off);
            let line = vec!["---"; cols].join(" | ");
            let message = match sep {
                Some(n) => format!(
                    "ce tableau n'est pas lu comme un tableau : sa ligne d'en-tête a {cols} colonne{} et sa ligne de séparation {n} ; comme l'aperçu de la forge (GFM), la page le montre comme du texte, barres `|` comprises",
                    if cols > 1 { "s" } else { "" },
                ),
                None => "ces lignes ne sont pas lues comme un tableau : il manque la ligne de séparation sous la ligne d'en-tête ; comme l'aperçu de la forge (GFM), la page les montre comme du texte, barres `|` comprises".to_string(),
            };
            let hint = match sep {
                Some(_) => format!("une séparation par colonne de l'en-tête : `| {line} |`"),
                None => format!("ajoutez sous la première ligne, une séparation par colonne : `| {line} |`"),
            };
            self.diags.push(
                Diagnostic::warning("table-not-read", self.ctx.source, message)
                    .at(l, Some(c))
                    .hint(hint),
            );
        }
    }

    /// `[texte][ref]` whose `[ref]: adresse` line is missing, or `[^1]`
    /// whose note is: published as the brackets typed, the link or the
    /// note lost (see `render`).
    fn undefined_references(&mut self, md: &str, undefined: &[(Range<usize>, String, bool)]) {
        for (span, label, footnote) in undefined {
            let (l, c) = self.line_of(span.start);
            let typed = md.get(span.clone()).unwrap_or(label);
            let (message, hint) = if *footnote {
                let name = label.trim_start_matches('^');
                (
                    format!("la note {typed} n'a pas de texte : elle est publiée telle quelle, entre crochets"),
                    format!("ajoutez sa note sur une ligne à part, par exemple « [^{name}]: le texte de la note », ou retirez l'appel"),
                )
            } else {
                (
                    format!("le lien {typed} renvoie à la référence [{label}], définie nulle part dans la page : il est publié comme du texte, sans lien"),
                    format!("ajoutez une ligne « [{label}]: adresse » à la fin de la page, ou écrivez le lien en entier : [texte](adresse)"),
                )
            };
            self.diags.push(
                Diagnostic::warning("reference-undefined", self.ctx.source, message)
                    .at(l, Some(c))
                    .hint(hint),
            );
        }
    }

    /// `[texte]()` or `![image]()`: a link that leads to the page itself,
    /// an image that shows nothing; usually an address forgotten.
    fn empty_targets(&mut self, events: &[(Event, Range<usize>)]) {
        for (e, range) in events {
            let image = match e {
                Event::Start(Tag::Link { dest_url, .. }) if dest_url.trim().is_empty() => false,
                Event::Start(Tag::Image { dest_url, .. }) if dest_url.trim().is_empty() => true,
                _ => continue,
            };
            let (l, c) = self.line_of(range.start);
            let (message, hint) = if image {
                (
                    "l'image n'a pas d'adresse : `![…]()` n'affiche rien".to_string(),
                    "mettez le chemin du fichier entre les parenthèses, par exemple ![Capot ouvert](capot.png)"
                        .to_string(),
                )
            } else {
                (
                    "le lien n'a pas d'adresse : `[…]()` ramène le lecteur sur la page même".to_string(),
                    "mettez l'adresse entre les parenthèses, par exemple [la fiche wifi](../wifi/compte-invite.md), ou retirez les crochets".to_string(),
                )
            };
            self.diags.push(
                Diagnostic::warning("link-empty", self.ctx.source, message)
                    .at(l, Some(c))
                    .hint(hint),
            );
        }
    }

    /// Ids fixed by `{#id}` attributes are reserved first so generated ones avoid them.
    fn reserve_heading_ids(&mut self, events: &[(Event, Range<usize>)]) {
        for (e, range) in events {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = e {
                if !self.ids.used.insert(section_id(id)) {
                    let (l, c) = self.line_of(range.start);
                    self.diags.push(
                        Diagnostic::warning(
                            "duplicate-heading-id",
                            self.ctx.source,
                            format!(
                                "l'identifiant de titre `{{#{id}}}` est déjà utilisé par un autre titre de la page"
                            ),
                        )
                        .at(l, Some(c))
                        .hint(
                            "un lien `#…` ne peut mener qu'à un seul titre : donnez à chacun un identifiant différent",
                        ),
                    );
                }
            }
        }
    }

    /// Handles the event at `i`; returns the index of the next one.
    fn event(&mut self, events: &[(Event<'e>, Range<usize>)], i: usize) -> usize {
        let (ev, range) = &events[i];
        if self.code.is_some() {
            self.code_event(ev);
            return i + 1;
        }
        match ev {
            Event::Start(Tag::Heading { level, id, classes, .. }) => {
                return self.heading(events, i, *level, id.as_deref(), classes);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => self.callout(*kind),
            Event::End(TagEnd::BlockQuote(Some(_))) => self.raw("</aside>\n".into()),
            Event::Start(Tag::Table(_)) => {
                self.raw("<div class=\"table-wrap\" tabindex=\"0\">".into());
                self.html.push(ev.clone());
            }
            Event::End(TagEnd::Table) => {
                self.html.push(ev.clone());
                self.raw("</div>\n".into());
            }
            Event::Start(Tag::Link { .. }) => {
                self.in_link += 1;
                // Search weighs a link's text less than the page's own
                // words: it names the page it points to.
                self.vis.text(&mut self.out.text, LINK_START_STR);
                self.link_start(ev, range, &link_text(events, i));
            }
            Event::End(TagEnd::Link) => {
                self.in_link = self.in_link.saturating_sub(1);
                self.vis.text(&mut self.out.text, LINK_END_STR);
                self.html.push(ev.clone());
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let (l, c) = self.line_of(range.start);
                self.remote(dest_url, "l'image", l, c);
                self.found_file = None;
                let src = self.resolve(dest_url, l, c, true);
                if let Some(file) = self.found_file.take() {
                    self.out.image_files.push((l, c, dest_url.to_string(), file));
                }
                self.image = Some(OpenImage {
                    line: l,
                    column: c,
                    written: dest_url.to_string(),
                    src,
                    title: title.to_string(),
                });
            }
            Event::End(TagEnd::Image) => self.image_end(),
            Event::TaskListMarker(done) => {
                self.out.task_count += 1;
                self.raw(format!(
                    "<input type=\"checkbox\" class=\"task\" aria-label=\"{}\"{}> ",
                    escape(self.ctx.strings.get("task_done")),
                    if *done { " checked" } else { "" }
                ));
            }
            e if self.image.is_some() => {
                // Alt text: keep as a marker event, folded at the image's end.
                if let Event::Text(t) | Event::Code(t) = e {
                    self.raw(format!("\u{0}ALT{t}"));
                    self.vis.text(&mut self.out.text, t);
                    self.vis.text(&mut self.out.text, " ");
                }
            }
            Event::Text(_) if self.in_link == 0 && !self.in_html_link && !self.vis.hidden() => {
                return self.text_run(events, i);
            }
            e => {
                self.check_raw_html(e, range);
                if let Event::Html(h) | Event::InlineHtml(h) = e {
                    self.in_html_link = html_link_open(h, self.in_html_link);
                }
                push_text(&mut self.out.text, e, &mut self.vis);
                self.html.push(e.clone());
            }
        }
        i + 1
    }

    /// A run of text events from `i`: an address written bare in it
    /// (`https://ent.example.org`, `www.example.org`) becomes a link, as
    /// the forge's preview shows it (GitHub's and GitLab's autolinks), so
    /// that a phone opens it with a tap. Returns the index after the run.
    fn text_run(&mut self, events: &[(Event<'e>, Range<usize>)], i: usize) -> usize {
        let mut j = i;
        let mut run = String::new();
        while let Some((e @ Event::Text(t), _)) = events.get(j) {
            push_text(&mut self.out.text, e, &mut self.vis);
            run.push_str(t);
            j += 1;
        }
        let urls = bare_urls(&run);
        if urls.is_empty() {
            self.html.extend(events[i..j].iter().map(|(e, _)| e.clone()));
            return j;
        }
        let mut last = 0;
        for (start, end) in urls {
            if start > last {
                self.html.push(Event::Text(CowStr::from(run[last..start].to_string())));
            }
            let shown = &run[start..end];
            let href = if shown.starts_with("www.") {
                format!("http://{shown}")
            } else {
                shown.to_string()
            };
            self.raw(format!(
                "<a class=\"bare-url\" href=\"{}\">{}</a>",
                escape(&href),
                escape(shown)
            ));
            last = end;
        }
        if last < run.len() {
            self.html.push(Event::Text(CowStr::from(run[last..].to_string())));
        }
        j
    }

    /// A link's start, in the text or in a heading: its address resolved
    /// (a `.md` file becomes its page's URL) or, when it would run code, dropped.
    /// `text` is the link's text, for what a printed page shows after it.
    fn link_start(&mut self, ev: &Event<'e>, range: &Range<usize>, text: &str) {
        let Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) = ev
        else {
            return;
        };
        let (l, c) = self.line_of(range.start);
        if let Some(scheme) = script_scheme(dest_url) {
            // Inert, as on the forge's preview: the text stays, the
            // address goes (its `</a>` comes with the link's end).
            self.diags.push(
                Diagnostic::warning(
                    "unsafe-link",
                    self.ctx.source,
                    format!("lien `{dest_url}` retiré : une adresse `{scheme}:` exécuterait du code dans le navigateur de qui clique"),
                )
                .at(l, Some(c))
                .hint("un lien mène à une page (`https://…`, `fiche.md`) ; une adresse qui exécute du code est retirée aussi du HTML écrit dans la fiche"),
            );
            self.raw("<a>".into());
            return;
        }
        let dest = if *link_type == LinkType::Email {
            dest_url.to_string()
        } else {
            self.resolve(dest_url, l, c, false)
        };
        if let Some(address) = print_address(&dest, text) {
            // Paper cannot be clicked: print.css writes the address after
            // the text (`[Écrire au support](mailto:…)` on the wall).
            let title = if title.is_empty() {
                String::new()
            } else {
                format!(" title=\"{}\"", escape(title))
            };
            self.raw(format!(
                "<a href=\"{}\"{title} data-print-address=\"{}\">",
                escape(&dest),
                escape(&address)
            ));
            return;
        }
        self.html.push(Event::Start(Tag::Link {
            link_type: *link_type,
            dest_url: CowStr::from(dest),
            title: title.clone(),
            id: id.clone(),
        }));
    }

    /// Raw HTML is kept for its formatting, but what would run code in
    /// every reader's browser is removed from the page (`sanitize`) and
    /// pointed out, so that the author and the review know why.
    fn check_raw_html(&mut self, e: &Event, range: &Range<usize>) {
        let (Event::Html(h) | Event::InlineHtml(h)) = e else {
            return;
        };
        self.raw_html |= has_tags(h);
        self.comments |= h.contains("<!--");
        self.raw_marks.push((self.raw_text.len(), range.start));
        self.raw_text.push_str(h);
        let Some(what) = script_in_html(h) else { return };
        let (l, c) = self.line_of(range.start);
        self.diags.push(
            Diagnostic::warning(
                "raw-script",
                self.ctx.source,
                format!("HTML qui exécute du code ({what}) : retiré de la page publiée, il s'exécuterait chez chaque lecteur"),
            )
            .at(l, Some(c))
            .hint("la mise en forme HTML reste (`<kbd>`, `<details>`, tableaux, images, vidéos intégrées) ; un lien s'écrit `[texte](https://…)`, une image `![description](/images/x.png)`"),
        );
    }

    fn raw(&mut self, html: String) {
        self.html.push(Event::Html(CowStr::from(html)));
    }

    /// An image, video or frame that the published page loads from another
    /// site (`what` names it): missing offline, and each reader's visit is
    /// told to that site. Plain links are not resources and never come here.
    fn remote(&mut self, url: &str, what: &str, line: usize, col: usize) {
        let Some(host) = remote_host(url) else { return };
        // `local-link` says it, better.
        if local_host(url).is_some() || self.ctx.check.allows_host(&host) {
            return;
        }
        let mut d = Diagnostic::warning(
                "remote-resource",
                self.ctx.source,
                format!(
                    "{what} `{url}` se charge depuis `{host}`, un autre site : hors connexion (clé USB, dossier ouvert sans réseau) la page s'affiche sans, et chaque ouverture de la page est signalée à ce site"
                ),
            )
            .at(line, Some(col))
            .hint(format!(
                "copiez le fichier dans `static/` (écrit `/images/nom.png`) ou à côté de la fiche ; pour une vidéo en ligne, un lien suffit : `[Voir la vidéo](https://…)` ; si ce site est celui de l'établissement (son ENT), ajoutez `\"{host}\"` à `remote-hosts` de `[check]` dans `book.toml`"
            ));
        if self.ctx.check.remote_resources == crate::config::Level::Error {
            d.severity = crate::diagnostics::Severity::Error;
        }
        self.diags.push(d);
    }

    /// What the page's raw HTML loads from another site, among what the
    /// sanitiser keeps (`<img src>`, `<iframe>`, `<video>`, `<audio>`,
    /// `<source>`, `<track>`; `<link>`, `<style>`, `<object>` and `style=`
    /// never reach the page).
    fn remote_in_raw_html(&mut self) {
        if !self.raw_text.contains('<') {
            return;
        }
        let text = std::mem::take(&mut self.raw_text);
        for (at, what, url) in loaded_urls(&text) {
            let i = self.raw_marks.partition_point(|m| m.0 <= at).saturating_sub(1);
            let (piece, md) = self.raw_marks.get(i).copied().unwrap_or((0, 0));
            let (l, c) = self.line_of(md + (at - piece));
            self.remote(&url, what, l, c);
        }
    }

    /// Inside a code block: gathers its text, highlights it at its end.
    fn code_event(&mut self, ev: &Event) {
        match ev {
            Event::Text(t) => {
                if let Some((_, buf)) = self.code.as_mut() {
                    buf.push_str(t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, code) = self.code.take().unwrap_or_default();
                if !self.vis.hidden() {
                    self.out.code.push_str(&code);
                    self.out.code.push('\n');
                }
                self.raw(highlight(&lang, &code, self.ctx.strings));
            }
            _ => {}
        }
    }

    /// A heading with its anchor (given or made from its text), a link to
    /// it, and its TOC entry; returns the index after its end.
    fn heading(
        &mut self,
        events: &[(Event<'e>, Range<usize>)],
        i: usize,
        level: HeadingLevel,
        id: Option<&str>,
        classes: &[CowStr],
    ) -> usize {
        // Gather the heading's inner events to name its anchor.
        let mut j = i + 1;
        let mut title = String::new();
        while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
            if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                title.push_str(t);
            }
            j += 1;
        }
        let anchor = match id {
            Some(id) => section_id(id),
            None => self.ids.generate(&heading_slug(&title)),
        };
        self.out.anchors.insert(anchor.clone());
        let lvl = heading_num(level);
        if (2..=3).contains(&lvl) && !self.vis.hidden() {
            self.out.toc.push(TocEntry {
                level: lvl,
                id: anchor.clone(),
                title: title.trim().to_string(),
            });
        }
        let class = if classes.is_empty() {
            String::new()
        } else {
            format!(
                " class=\"{}\"",
                escape(&classes.iter().map(|c| c.as_ref()).collect::<Vec<_>>().join(" "))
            )
        };
        self.raw(format!("<h{lvl} id=\"{}\"{class}>", escape(&anchor)));
        for (k, (e, range)) in events[i + 1..j].iter().enumerate() {
            push_text(&mut self.out.text, e, &mut self.vis);
            self.check_raw_html(e, range);
            if let Event::Start(Tag::Link { .. }) = e {
                self.link_start(e, range, &link_text(events, i + 1 + k));
            } else {
                self.html.push(e.clone());
            }
        }
        self.vis.text(&mut self.out.text, "\n");
        // The heading's permalink (`a.anchor`) is added by site.js: written
        // here it was about 1 KB of every page at 10,000 sheets.
        self.raw(format!("</h{lvl}>\n"));
        j + 1
    }

    /// `> [!NOTE]` and its kin: an aside titled in the site's language.
    fn callout(&mut self, kind: BlockQuoteKind) {
        let (class, key) = callout(kind);
        let label = self.ctx.strings.get(key);
        self.raw(format!(
            "<aside class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{}</p>\n",
            escape(label)
        ));
        self.vis.separate(&mut self.out.text);
        self.vis.text(&mut self.out.text, label);
        self.vis.text(&mut self.out.text, "\n");
    }

    /// The image's end: its alt text, collected from the inner events,
    /// goes into the `<img>`; an empty one is reported.
    fn image_end(&mut self) {
        let Some(OpenImage {
            line,
            column,
            written,
            src,
            title,
        }) = self.image.take()
        else {
            return;
        };
        let alt = out_alt_buffer(&mut self.html);
        if alt.trim().is_empty() {
            self.out.images_without_alt.push((line, column, written));
        }
        let title_attr = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape(&title))
        };
        self.raw(format!(
            "<img src=\"{}\" alt=\"{}\"{title_attr} loading=\"lazy\">",
            escape(&src),
            escape(alt.trim())
        ));
    }
}

/// The `](…)` of a text run whose destination holds a space and names a
/// file (`nom.md`, `nom.png#x`): what was meant as a link. Each with its
/// offset in `run` and the destination.
fn unread_links(run: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = run[from..].find("](") {
        let at = from + p;
        from = at + 2;
        let rest = &run[at + 2..];
        let Some(end) = rest.find([')', '\n']).filter(|&e| rest[e..].starts_with(')')) else {
            continue;
        };
        let dest = &rest[..end];
        let path = dest.split('#').next().unwrap_or(dest);
        let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let names_file = (1..=5).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric());
        if dest.trim() == dest && dest.contains(' ') && !dest.contains(['"', '\'', '<']) && names_file {
            out.push((at, dest));
        }
    }
    out
}

/// Whether raw HTML `h` leaves a link open (`<a href…>` without its
/// `</a>`), given whether one was open before it.
fn html_link_open(h: &str, open: bool) -> bool {
    let lower = h.to_ascii_lowercase();
    let opened = lower.rfind("<a ").into_iter().chain(lower.rfind("<a>")).max();
    match (opened, lower.rfind("</a")) {
        (Some(o), Some(c)) => o > c,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        (None, None) => open,
    }
}

/// The addresses written bare in a text, as byte ranges: `http://` or
/// `https://` and a host, or `www.` and a host (GFM's extended autolinks),
/// after a space, an opening sign or the text's start; up to a space,
/// `<`, `"` or `»`, without the punctuation that ends a sentence
/// (`.`, `,`, `:`, `;`, `!`, `?`, quotes) nor an unbalanced `)`. An
/// address of the author's own machine (`localhost`, `127.…`) stays text:
/// it would lead each reader to theirs.
/// Where `http://`, `https://` or `www.` first starts in `text`. A scan for
/// `h` and `w`: three `str::find` calls per text, each setting up its
/// searcher, were 2 % of a 10,000-sheet build for texts without any.
fn address_start(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(k) = b[i..].iter().position(|&c| c == b'h' || c == b'w') {
        let r = &b[i + k..];
        if r.starts_with(b"http://") || r.starts_with(b"https://") || r.starts_with(b"www.") {
            return Some(i + k);
        }
        i += k + 1;
    }
    None
}

fn bare_urls(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let rest = &text[from..];
        let Some(p) = address_start(rest) else {
            break;
        };
        let start = from + p;
        let before = text[..start].chars().next_back();
        let lead = matches!(
            before,
            None | Some('(' | '«' | '"' | '\'' | '’' | '*' | '_' | '~' | '[')
        ) || before.is_some_and(char::is_whitespace);
        let mut end = start
            + text[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '»' | '«'))
                .unwrap_or(text.len() - start);
        loop {
            let url = &text[start..end];
            let Some(last) = url.chars().next_back() else { break };
            let unbalanced = last == ')' && url.matches('(').count() < url.matches(')').count();
            if matches!(last, '.' | ',' | ':' | ';' | '!' | '?' | '*' | '_' | '~' | '\'' | '’') || unbalanced {
                end -= last.len_utf8();
            } else {
                break;
            }
        }
        let url = &text[start..end];
        let host_at = url.find("://").map_or(0, |i| i + 3);
        let host = url[host_at..].split(['/', '?', '#']).next().unwrap_or("");
        let host_name = host
            .rsplit_once('@')
            .map_or(host, |(_, h)| h)
            .split(':')
            .next()
            .unwrap_or("");
        let local = host_name.eq_ignore_ascii_case("localhost")
            || host_name.starts_with("127.")
            || host_name.starts_with('[')
            || host_name == "0.0.0.0";
        let valid = host_name.contains('.')
            && host_name.split('.').all(|l| !l.is_empty())
            && host_name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if lead && valid && !local {
            out.push((start, end));
            from = end.max(start + 1);
        } else {
            from = start + 1;
        }
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    out
}

/// Pops the alt-text markers pushed since the image started and returns their text.
fn out_alt_buffer(events: &mut Vec<Event>) -> String {
    let mut parts = Vec::new();
    while let Some(Event::Html(h)) = events.last() {
        if let Some(t) = h.strip_prefix("\u{0}ALT") {
            parts.push(t.to_string());
            events.pop();
        } else {
            break;
        }
    }
    parts.reverse();
    parts.concat()
}

/// [`fiches_search::LINK_START`] and [`fiches_search::LINK_END`] as text.
const LINK_START_STR: &str = "\u{3}";
const LINK_END_STR: &str = "\u{4}";
const _: () = assert!(
    LINK_START_STR.as_bytes()[0] == fiches_search::LINK_START as u8
        && LINK_END_STR.as_bytes()[0] == fiches_search::LINK_END as u8
);

fn push_text(text: &mut String, e: &Event, vis: &mut Visibility) {
    match e {
        Event::Text(t) | Event::Code(t) => vis.text(text, t),
        Event::SoftBreak | Event::HardBreak => vis.text(text, " "),
        // A block that starts right after text of a tight list item (a
        // nested list, a quote): without this, `menu` and `Réglages` of
        // `- menu\n  - Réglages` became one word, `menuRéglages`.
        Event::Start(Tag::Paragraph | Tag::List(_) | Tag::Item | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)) => {
            vis.separate(text)
        }
        Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::TableRow | TagEnd::Heading(_)) => {
            vis.text(text, "\n")
        }
        // Only what a reader sees: `<kbd>Ctrl</kbd>` yes, comments no.
        Event::Html(h) | Event::InlineHtml(h) => vis.html(text, h),
        _ => {}
    }
}

/// What a reader sees of the raw HTML and text of a page: the browser's
/// tokenizer, reduced to what matters for search. Text inside a comment
/// (which may start in one Markdown block and end several blocks later),
/// or inside `<script>`, `<style>` and `<template>`, is not shown, so it is
/// neither indexed nor used in snippets. Markdown text reaches the HTML
/// escaped, so only raw HTML can change the state.
#[derive(Debug, Default)]
struct Visibility {
    state: HtmlState,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
enum HtmlState {
    #[default]
    Data,
    /// Inside `<…>`: the tag's name so far, whether it is a closing tag,
    /// and the quote of an attribute value being read.
    Tag {
        name: String,
        closing: bool,
        name_done: bool,
        quote: Option<char>,
    },
    Comment,
    /// `<!DOCTYPE …>`, `<?…>`, `<![CDATA[…]>`: up to the next `>`.
    Bogus,
    /// Content of `<script>`, `<style>`, `<template>`, up to its end tag.
    Raw(&'static str),
}

const HIDDEN_ELEMENTS: [&str; 3] = ["script", "style", "template"];

impl Visibility {
    /// Whether text written now is hidden from the reader.
    fn hidden(&self) -> bool {
        !matches!(self.state, HtmlState::Data)
    }

    /// Text from Markdown (escaped in the HTML): kept when visible.
    fn text(&self, out: &mut String, t: &str) {
        if !self.hidden() {
            out.push_str(t);
        }
    }

    /// A block boundary: a line break, unless the text already ends with
    /// white space (or is empty), so that the text of two blocks never
    /// runs into one word.
    fn separate(&self, out: &mut String) {
        if !self.hidden() && out.chars().next_back().is_some_and(|c| !c.is_whitespace()) {
            out.push('\n');
        }
    }

    /// Raw HTML: updates the state and keeps the text between tags.
    fn html(&mut self, out: &mut String, h: &str) {
        let mut i = 0;
        while i < h.len() {
            let rest = &h[i..];
            let Some(c) = rest.chars().next() else { break };
            let mut step = c.len_utf8();
            match &mut self.state {
                HtmlState::Data => {
                    if c == '<' {
                        let next = rest[1..].chars().next();
                        if rest.starts_with("<!--") {
                            self.state = HtmlState::Comment;
                            step = 4;
                        } else if next.is_some_and(|n| n == '!' || n == '?') {
                            self.state = HtmlState::Bogus;
                        } else if next.is_some_and(|n| n.is_ascii_alphabetic()) {
                            self.state = HtmlState::Tag {
                                name: String::new(),
                                closing: false,
                                name_done: false,
                                quote: None,
                            };
                        } else if next == Some('/') && rest[2..].starts_with(|n: char| n.is_ascii_alphabetic()) {
                            self.state = HtmlState::Tag {
                                name: String::new(),
                                closing: true,
                                name_done: false,
                                quote: None,
                            };
                            step = 2;
                        } else {
                            out.push(c);
                        }
                    } else if c == '&' {
                        let (decoded, len) = entity(rest);
                        out.push_str(&decoded);
                        step = len;
                    } else {
                        out.push(c);
                    }
                }
                HtmlState::Tag {
                    name,
                    closing,
                    name_done,
                    quote,
                } => match (*quote, c) {
                    (Some(q), c) if c == q => *quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') if *name_done => *quote = Some(c),
                    (None, '>') => {
                        let lower = name.to_ascii_lowercase();
                        let raw = HIDDEN_ELEMENTS.iter().find(|e| **e == lower);
                        self.state = match raw {
                            Some(e) if !*closing => HtmlState::Raw(e),
                            _ => HtmlState::Data,
                        };
                    }
                    (None, c) if !*name_done && (c.is_ascii_alphanumeric() || c == '-') => name.push(c),
                    (None, _) => *name_done = true,
                },
                HtmlState::Comment => {
                    if rest.starts_with("-->") {
                        self.state = HtmlState::Data;
                        step = 3;
                    } else if rest.starts_with("--!>") {
                        self.state = HtmlState::Data;
                        step = 4;
                    }
                }
                HtmlState::Bogus => {
                    if c == '>' {
                        self.state = HtmlState::Data;
                    }
                }
                HtmlState::Raw(e) => {
                    let e = *e;
                    let b = rest.as_bytes();
                    let end = b.len() > e.len() + 2
                        && b.starts_with(b"</")
                        && b[2..2 + e.len()].eq_ignore_ascii_case(e.as_bytes())
                        && matches!(b[2 + e.len()], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
                    if end {
                        self.state = HtmlState::Tag {
                            name: e.to_string(),
                            closing: true,
                            name_done: true,
                            quote: None,
                        };
                        step = 2 + e.len();
                    }
                }
            }
            i += step;
        }
    }
}

/// The character of an HTML character reference at the start of `s`
/// (`&amp;`, `&nbsp;`, `&#233;`, `&#xE9;`) and its length; an unknown one
/// is kept as written.
fn entity(s: &str) -> (String, usize) {
    let Some(end) = s[1..].find(';').map(|p| p + 1).filter(|&p| p <= 32) else {
        return ("&".into(), 1);
    };
    let name = &s[1..end];
    let c = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        "shy" => Some('\u{ad}'),
        _ => {
            let num = name.strip_prefix('#');
            num.and_then(|n| match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.parse::<u32>().ok(),
            })
            .and_then(char::from_u32)
            .filter(|c| *c != '\0')
        }
    };
    match c {
        Some(c) => (c.to_string(), end + 1),
        None => ("&".into(), 1),
    }
}

fn heading_num(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The id a section link names, from its fragment as written. Generated
/// heading ids are ASCII slugs (`## Ça ne marche pas ?` → `ca-ne-marche-pas`),
/// while GitHub and GitLab keep the accents (`#ça-ne-marche-pas`), as
/// contributors type them: a fragment with a letter outside ASCII or a
/// space (percent-encoded or not) is slugged the same way, so that it
/// reaches its heading. Explicit `{#id}` go through it too, so that both
/// sides always agree; an ASCII fragment (`#Install`, `#fn1`) is kept.
fn section_id(written: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(written).decode_utf8_lossy();
    if decoded.chars().all(|c| c.is_ascii() && !c.is_ascii_whitespace()) {
        return written.to_string();
    }
    match heading_slug(&decoded) {
        s if s.is_empty() => written.to_string(),
        s => s,
    }
}

/// `s` with its accents composed (Unicode NFC).
pub fn nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    match unicode_normalization::is_nfc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => s.to_string(),
        _ => s.nfc().collect(),
    }
}

/// Heading ids of one page: `titre`, then `titre-1`, `titre-2`… for
/// duplicates. Each base remembers where its count stopped, so that n
/// identical headings cost n steps, not n²/2.
#[derive(Default)]
struct HeadingIds {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

impl HeadingIds {
    fn generate(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let n = self.next.entry(base.to_string()).or_insert(0);
        loop {
            // Every candidate below `n` is taken (ids are never released):
            // the first free one from `n` on is the first free one overall.
            let id = if *n == 0 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            };
            *n += 1;
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "callout_note"),
        BlockQuoteKind::Tip => ("tip", "callout_tip"),
        BlockQuoteKind::Important => ("important", "callout_important"),
        BlockQuoteKind::Warning => ("warning", "callout_warning"),
        BlockQuoteKind::Caution => ("caution", "callout_caution"),
    }
}

/// The page's HTML without its comments (`<!-- … -->`): notes left for the
/// other contributors ("à vérifier avec la collectivité", a password to
/// change) are not for every reader's "view source". Text and code are
/// escaped in the page, so a `<!--` in it can only be raw HTML's; one
/// left open hides the rest of the page, as in a browser.
fn strip_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(a) = rest.find("<!--") {
        out.push_str(&rest[..a]);
        match rest[a + 4..].find("-->") {
            Some(b) => rest = &rest[a + 4 + b + 3..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// Raw HTML with a tag in it once whole comments are set aside: a page
/// whose only raw HTML is comments needs no sanitising.
fn has_tags(h: &str) -> bool {
    let mut rest = h;
    while let Some(a) = rest.find("<!--") {
        if rest[..a].contains('<') {
            return true;
        }
        match rest[a + 4..].find("-->") {
            Some(b) => rest = &rest[a + 4 + b + 3..],
            None => return false,
        }
    }
    rest.contains('<')
}

/// What in raw HTML runs code in the reader's browser: a `<script>`, an
/// event handler attribute (`onerror=`), a `javascript:` address.
fn script_in_html(h: &str) -> Option<&'static str> {
    let mut l = h.to_ascii_lowercase();
    // A commented-out script runs nothing.
    while let Some(a) = l.find("<!--") {
        let end = l[a + 4..].find("-->").map_or(l.len(), |e| a + 4 + e + 3);
        l.replace_range(a..end, " ");
    }
    if l.contains("<script") {
        return Some("`<script>`");
    }
    if l.contains("javascript:") || l.contains("vbscript:") {
        return Some("`javascript:`");
    }
    let b = l.as_bytes();
    for (i, _) in l.match_indices("on") {
        if i == 0 || !matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'"' | b'\'') {
            continue;
        }
        let rest = &l[i + 2..];
        let name = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        if name > 0 && rest[name..].trim_start().starts_with('=') && l[..i].contains('<') {
            return Some("attribut `on…=`");
        }
    }
    None
}

/// The scheme of a link that would run code when followed (`javascript:`,
/// `vbscript:`, `data:`), read as a browser reads it: leading spaces and
/// controls dropped, tabs and line breaks ignored anywhere, any case.
fn script_scheme(url: &str) -> Option<&'static str> {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let mut scheme = String::new();
    for c in url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')) {
        if c == ':' {
            return ["javascript", "vbscript", "data"].into_iter().find(|s| *s == scheme);
        }
        if scheme.len() > 10 {
            break;
        }
        scheme.push(c.to_ascii_lowercase());
    }
    None
}

/// The text of the link that starts at `events[i]` (nested links, code
/// and images' descriptions included).
fn link_text(events: &[(Event, Range<usize>)], i: usize) -> String {
    let mut text = String::new();
    let mut depth = 0usize;
    for (e, _) in &events[i..] {
        match e {
            Event::Start(Tag::Link { .. }) => depth += 1,
            Event::End(TagEnd::Link) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

/// What a printed `mailto:` or `tel:` link shows after its text: the
/// address without its scheme, unless the text already says it
/// (`[assistance@x.fr](mailto:assistance@x.fr)`, `[01 23 45 67 89](tel:+33123456789)`).
fn print_address(dest: &str, text: &str) -> Option<String> {
    let (scheme, rest) = dest.split_once(':')?;
    let rest = rest.split('?').next().unwrap_or(rest);
    let address = percent_encoding::percent_decode_str(rest).decode_utf8().ok()?;
    let address = address.trim();
    if address.is_empty() {
        return None;
    }
    let said = match scheme.to_ascii_lowercase().as_str() {
        "mailto" => text.to_lowercase().contains(&address.to_lowercase()),
        "tel" => {
            let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
            let (number, shown) = (digits(address), digits(text));
            // `+33 1 23 45 67 89` and `01 23 45 67 89` are one number:
            // compared on its last nine digits.
            let tail = &number[number.len().saturating_sub(9)..];
            !tail.is_empty() && shown.contains(tail)
        }
        _ => return None,
    };
    (!said).then(|| address.to_string())
}

/// True for `https:`, `mailto:`, `//host`… : links that leave the site as written.
/// The host of an `http(s)` address on the writer's own machine
/// (`http://127.0.0.1:3000/…`, copied from the tab `fiches serve` opened).
fn local_host(url: &str) -> Option<&str> {
    let lower = url.get(..8)?.to_ascii_lowercase();
    let rest = if lower.starts_with("http://") {
        &url[7..]
    } else if lower.starts_with("https://") {
        &url[8..]
    } else {
        return None;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    let local = name.eq_ignore_ascii_case("localhost")
        || name.to_ascii_lowercase().ends_with(".localhost")
        || (name.starts_with("127.")
            && name.split('.').count() == 4
            && name.split('.').all(|p| p.parse::<u8>().is_ok()))
        || name == "0.0.0.0"
        || name == "::1";
    local.then_some(host)
}

/// The host an address loads from when it is another site's, as a browser
/// reads it: `https://h/…`, `http://h`, `//h/…` (the page's own scheme:
/// `https:` on the server, `file:` from a USB key), `\\h\…` and `/\h`
/// (a browser reads `\` as `/`), any case, spaces and controls around and
/// tabs or line breaks inside dropped. `None` for a path of the site, a
/// `data:` image, a `mailto:`.
pub fn remote_host(url: &str) -> Option<String> {
    let url: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let slashes = |s: &str| s.len() - s.trim_start_matches(['/', '\\']).len();
    let rest = if slashes(&url) >= 2 {
        url.trim_start_matches(['/', '\\'])
    } else {
        let (scheme, rest) = url.split_once(':')?;
        if !["http", "https", "ftp", "ws", "wss"]
            .iter()
            .any(|s| s.eq_ignore_ascii_case(scheme))
        {
            return None;
        }
        rest.trim_start_matches(['/', '\\'])
    };
    let authority = rest.split(['/', '\\', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    let name = name.trim_end_matches('.').to_lowercase();
    (!name.is_empty()).then_some(name)
}

/// The addresses that raw HTML loads, of the tags and attributes the
/// sanitiser keeps: (offset of the tag in `h`, what it is, the address
/// with its character references decoded, as the browser reads it).
/// Comments are skipped: they are never published.
fn loaded_urls(h: &str) -> Vec<(usize, &'static str, String)> {
    let b = h.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(p) = h[i..].find('<') {
        let at = i + p;
        if h[at..].starts_with("<!--") {
            i = h[at + 4..].find("-->").map_or(h.len(), |e| at + 4 + e + 3);
            continue;
        }
        let name_len = b[at + 1..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        let mut j = at + 1 + name_len;
        if name_len == 0 {
            i = at + 1;
            continue;
        }
        let tag = h[at + 1..j].to_ascii_lowercase();
        // The attributes, up to the tag's end.
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' || b[j] == b'<' {
                break;
            }
            let start = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/' | b'<') {
                j += 1;
            }
            let attr = h[start..j].to_ascii_lowercase();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= b.len() || b[j] != b'=' {
                if j == start {
                    j += 1;
                }
                continue;
            }
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let value = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = h[j + 1..].find(q as char).map_or(h.len(), |e| j + 1 + e);
                    let v = &h[j + 1..end];
                    j = (end + 1).min(h.len());
                    v
                }
                _ => {
                    let s = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    &h[s..j]
                }
            };
            let what = match (tag.as_str(), attr.as_str()) {
                ("img", "src") => "l'image",
                ("iframe", "src") => "le cadre intégré (`<iframe>`)",
                ("video", "src") => "la vidéo",
                ("video", "poster") => "l'affiche de la vidéo",
                ("audio", "src") => "le son",
                ("source", "src" | "srcset") => "la source de média",
                ("track", "src") => "les sous-titres",
                _ => continue,
            };
            let value = decode_references(value);
            if attr == "srcset" {
                for candidate in value.split(',') {
                    let url = candidate.split_whitespace().next().unwrap_or("");
                    found.push((at, what, url.to_string()));
                }
            } else {
                found.push((at, what, value));
            }
        }
        i = j.max(at + 1).min(h.len());
    }
    found
}

/// `s` with its character references (`&amp;`, `&#58;`) read.
fn decode_references(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        let (c, n) = entity(&rest[p..]);
        out.push_str(&c);
        rest = &rest[p + n..];
    }
    out.push_str(rest);
    out
}

/// `file:///C:/…`, `C:\Users\…`, `C:/…`, `\\serveur\partage\…`: a file as the
/// author's own machine names it, pasted from the explorer's address bar.
/// Published as it was (`c:` read as a scheme), it opened nothing for any
/// reader, and nothing said so.
fn on_own_computer(url: &str) -> bool {
    let b = url.as_bytes();
    url.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("file:"))
        // `\\serveur\…` reaches here as `\serveur\…` (`\\` is an escaped `\`).
        || url.starts_with('\\')
        || (b.len() > 2 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'/' | b'\\'))
}

fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(p) => {
            let scheme = &url[..p];
            !scheme.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !url[..p].contains('/')
        }
        None => false,
    }
}

/// A local link of a page, read: its path decoded, its fragment, and the
/// file it names from the site root (`None` when it climbs out of it).
struct Target<'u> {
    decoded: String,
    fragment: Option<&'u str>,
    candidate: Option<String>,
    is_md: bool,
    /// The content root of the page (a pool's, or the site's: "").
    origin: String,
}

impl<'u> Target<'u> {
    /// The keys of `LinkIndex` this target may resolve to.
    fn lookups(&self) -> Vec<String> {
        let Some(c) = &self.candidate else {
            return Vec::new();
        };
        let mut v = vec![c.clone()];
        if let Some((stem, _)) = c.rsplit_once('.') {
            v.push(format!("{stem}.md"));
        }
        v.extend(c.strip_prefix(&format!("{}static/", self.origin)).map(String::from));
        v.extend(c.strip_prefix("static/").map(String::from));
        v
    }

    fn parse(url: &'u str, ctx: &PageCtx) -> Target<'u> {
        let (path_part, fragment) = match url.find('#') {
            Some(p) => (&url[..p], Some(&url[p + 1..])),
            None => (url, None),
        };
        let path_part = path_part.split('?').next().unwrap_or(path_part);
        let decoded = percent_encoding::percent_decode_str(path_part)
            .decode_utf8_lossy()
            .to_string();
        let source_dir = ctx.source.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let origin = if ctx.origin_root.is_empty() {
            String::new()
        } else {
            format!("{}/", ctx.origin_root.trim_end_matches('/'))
        };
        let is_md = decoded.ends_with(".md");
        let candidate = if let Some(abs) = decoded.strip_prefix('/') {
            if is_md {
                normalize(&format!("{origin}content/{abs}"))
            } else {
                normalize(&format!("{origin}static/{abs}"))
            }
        } else {
            normalize(&format!("{source_dir}/{decoded}"))
        };
        Target {
            decoded,
            fragment,
            candidate,
            is_md,
            origin,
        }
    }

    /// The folder a path leaves, as the message says it (`du dossier
    /// \`static/\``…), when it leaves the one it must stay in: a path from
    /// the site root (`/images/../../book.toml`) its `static/` (or
    /// `content/` for a `.md`), a relative one the content and static
    /// folders of its root (the site's, or its pool's).
    fn leaves(&self) -> Option<String> {
        let inside = |folder: &str| {
            self.candidate
                .as_ref()
                .is_some_and(|c| c.starts_with(&format!("{}{folder}/", self.origin)))
        };
        let o = &self.origin;
        if self.decoded.starts_with('/') {
            let folder = if self.is_md { "content" } else { "static" };
            (!inside(folder)).then(|| format!("du dossier `{o}{folder}/`"))
        } else {
            (!inside("content") && !inside("static")).then(|| format!("des dossiers `{o}content/` et `{o}static/`"))
        }
    }

    /// `page.html`, `page.htm`: the stem.
    fn html_stem(&self) -> Option<&str> {
        self.decoded
            .strip_suffix(".html")
            .or_else(|| self.decoded.strip_suffix(".htm"))
    }
}

impl Writer<'_, '_> {
    /// Where a link or an image of the page leads, relative to the page:
    /// a Markdown file becomes its page's URL, a static or content file
    /// its published path; a broken one is reported and left as written.
    fn resolve(&mut self, url: &str, line: usize, col: usize, image: bool) -> String {
        if let Some(host) = local_host(url) {
            self.diags.push(
                Diagnostic::warning(
                    "local-link",
                    self.ctx.source,
                    format!("`{url}` mène à `{host}`, l'ordinateur de celui qui l'ouvre (l'adresse de `fiches serve`) : ce lien ne marchera chez aucun lecteur"),
                )
                .at(line, Some(col))
                .hint("pour une fiche, écrivez son fichier, depuis `content/` : `/fiches/categorie/page.md` ; pour une image, `/images/nom.png`"),
            );
        }
        if on_own_computer(url) {
            let what = if image { "image introuvable" } else { "lien cassé" };
            self.diags.push(
                Diagnostic::error(
                    if image { "missing-image" } else { "broken-link" },
                    self.ctx.source,
                    format!("{what} : `{url}` est un fichier de l'ordinateur (ou du réseau) de qui a écrit la fiche : aucun lecteur du site ne peut l'ouvrir, un navigateur n'ouvre pas un disque depuis une page web"),
                )
                .at(line, Some(col))
                .hint("copiez le fichier dans `static/` (par exemple `static/documents/nom.pdf`, écrit `/documents/nom.pdf`) ou à côté de la fiche (écrit `nom.pdf`)"),
            );
            return url.to_string();
        }
        if let Some(a) = url.strip_prefix('#').filter(|a| !a.is_empty()) {
            let id = section_id(a);
            self.anchor_ref(self.ctx.source.to_string(), a, &id, line, col);
            return format!("#{id}");
        }
        if url.is_empty() || url.starts_with('#') || is_external(url) {
            return url.to_string();
        }
        let target = Target::parse(url, self.ctx);
        self.out.targets.extend(target.lookups());
        if let Some(found) = self.resolve_file(&target, line, col) {
            return found;
        }
        if let Some(t) = self.other_form(&target) {
            if let Some(found) = self.resolve_file(&t, line, col) {
                return found;
            }
        }
        if !image {
            if let Some(found) = self.resolve_html_page(url, &target, line, col) {
                return found;
            }
        }
        self.broken_link(url, &target, line, col, image);
        url.to_string()
    }

    /// The target as a file of the site names it, when the two write an
    /// accent in different Unicode forms: macOS names files with
    /// decomposed accents (NFD: `e` + U+0301, kept by a copy through a USB
    /// key or a zip), keyboards type composed ones (NFC: `é`), and a Linux
    /// disk, as a forge's CI, tells them apart. Both look alike in every
    /// message. Only tried once the exact name failed (a broken link
    /// otherwise), through the names indexed by their NFC form once.
    fn other_form<'u>(&self, t: &Target<'u>) -> Option<Target<'u>> {
        let c = t.candidate.as_ref()?;
        let n = nfc(c);
        let names = self.links.nfc_names();
        let found = if t.is_md {
            names.pages.get(&n).cloned()
        } else {
            let statics = [format!("{}static/", t.origin), "static/".to_string()];
            let in_static = statics.iter().find(|p| c.starts_with(p.as_str())).and_then(|p| {
                let s = names.statics.get(&nfc(&c[p.len()..]))?;
                Some(format!("{p}{s}"))
            });
            in_static.or_else(|| names.assets.get(&n).cloned())
        };
        found.filter(|f| f != c).map(|f| Target {
            decoded: t.decoded.clone(),
            fragment: t.fragment,
            candidate: Some(f),
            is_md: t.is_md,
            origin: t.origin.clone(),
        })
    }

    /// A link to a section of a page, checked once all pages are rendered.
    fn anchor_ref(&mut self, target_source: String, written: &str, anchor: &str, line: usize, column: usize) {
        self.out.anchor_refs.push(AnchorRef {
            target_source,
            anchor: anchor.to_string(),
            written: percent_encoding::percent_decode_str(written)
                .decode_utf8_lossy()
                .into_owned(),
            line,
            column,
        });
    }

    /// A Markdown page, a file of `static/`, or a file beside the content.
    fn resolve_file(&mut self, t: &Target, line: usize, col: usize) -> Option<String> {
        let c = t.candidate.as_ref()?;
        let frag = t.fragment.map(|f| format!("#{f}")).unwrap_or_default();
        let from = encode_path(self.ctx.page);
        let rel = |to: &str| crate::html::relative(&from, &encode_path(to));
        if t.is_md {
            let page = self.links.pages.get(c)?;
            let Some(f) = t.fragment.filter(|f| !f.is_empty()) else {
                return Some(format!("{}{frag}", rel(page)));
            };
            let id = section_id(f);
            self.anchor_ref(c.clone(), f, &id, line, col);
            return Some(format!("{}#{id}", rel(page)));
        }
        if let Some(page) = self.links.folders.get(c) {
            return Some(format!("{}{frag}", rel(page)));
        }
        // `static/x` (from either form) is published at the site root as `x`.
        let static_rel = c
            .strip_prefix(&format!("{}static/", t.origin))
            .or_else(|| c.strip_prefix("static/"));
        if let Some(s) = static_rel {
            if self.links.statics.contains(s) {
                self.found_file = Some(c.clone());
                return Some(format!("{}{frag}", rel(s)));
            }
        }
        // `/actions/`, `/apero-tice/`, `/`: a page fiches writes itself.
        if t.decoded.starts_with('/') && !t.is_md {
            let folder = static_rel.or_else(|| (*c == format!("{}static", t.origin)).then_some(""));
            if let Some(f) = folder.map(|f| f.trim_end_matches("index.html").trim_end_matches('/')) {
                if self.links.fixed.contains(f) {
                    let page = if f.is_empty() {
                        "index.html".to_string()
                    } else {
                        format!("{f}/index.html")
                    };
                    return Some(format!("{}{frag}", rel(&page)));
                }
            }
        }
        if self.links.content_assets.contains(c) {
            self.found_file = Some(c.clone());
            self.out.assets.push(c.clone());
            let published = crate::model::asset_url(c);
            // Published under its own name (`_assets/…`), unlike pages.
            if let Some((_, name, p)) = crate::portable::path_problem(&published) {
                let (message, hint) = crate::portable::describe(c, name, &p);
                self.diags.push(
                    Diagnostic::error("name-not-portable", self.ctx.source, message)
                        .at(line, Some(col))
                        .hint(hint),
                );
            } else if crate::portable::too_long(&published).is_some() {
                let (message, hint) = crate::portable::too_long_message(c, &published);
                self.diags.push(
                    Diagnostic::warning("path-too-long", self.ctx.source, message)
                        .at(line, Some(col))
                        .hint(hint),
                );
            }
            return Some(format!("{}{frag}", rel(&published)));
        }
        None
    }

    /// `page.html#dépannage`, as mdBook and MkDocs pages link: the page of
    /// `page.md`, with a warning to link the Markdown file instead.
    fn resolve_html_page(&mut self, url: &str, t: &Target, line: usize, col: usize) -> Option<String> {
        let (c, stem) = (t.candidate.as_ref()?, t.html_stem()?);
        let md = format!("{}.md", c.rsplit_once('.').map(|(s, _)| s).unwrap_or(c));
        let page = self.links.pages.get(&md)?;
        let fragment = t.fragment.filter(|f| !f.is_empty());
        let anchor = fragment.map(|f| heading_slug(&percent_encoding::percent_decode_str(f).decode_utf8_lossy()));
        let frag = anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
        if let (Some(f), Some(a)) = (fragment, anchor) {
            self.anchor_ref(md.clone(), f, &a, line, col);
        }
        self.diags.push(
            Diagnostic::warning("html-link", self.ctx.source, format!("lien `{url}` écrit vers une page HTML"))
                .at(line, Some(col))
                .hint(format!("écrivez `{stem}.md{frag}` : le lien vers le fichier Markdown est vérifié et suit la fiche si son adresse change")),
        );
        let from = encode_path(self.ctx.page);
        Some(format!("{}{frag}", crate::html::relative(&from, &encode_path(page))))
    }

    /// A link or an image to nothing: an error, with a file of the same
    /// name if there is one.
    fn broken_link(&mut self, url: &str, t: &Target, line: usize, col: usize, image: bool) {
        let shown = t.candidate.clone().unwrap_or_else(|| t.decoded.clone());
        let what = if image { "image introuvable" } else { "lien cassé" };
        if let Some(folder) = t.leaves() {
            // Whether such a file exists is not said: nothing outside these
            // folders is ever published, and the message must not tell what
            // lies around the site.
            let d = Diagnostic::error(
                if image { "missing-image" } else { "broken-link" },
                self.ctx.source,
                format!("{what} : `{url}` sort {folder} du site : rien d'autre n'est publié"),
            )
            .at(line, Some(col))
            .hint(if t.is_md {
                "un lien vers une fiche s'écrit avec son fichier Markdown, de `content/` (`/fiches/categorie/page.md`, ou un chemin relatif depuis le dossier de la fiche)"
            } else {
                "copiez le fichier dans `static/` (par exemple `static/images/nom.png`, écrit `/images/nom.png`) ou à côté de la fiche"
            });
            self.diags.push(d);
            return;
        }
        let mut d = Diagnostic::error(
            if image { "missing-image" } else { "broken-link" },
            self.ctx.source,
            format!("{what} : `{url}` désigne `{shown}`, qui n'existe pas"),
        )
        .at(line, Some(col));
        let name = shown.rsplit('/').next().unwrap_or(&shown).to_string();
        let similar: Vec<&String> = self
            .links
            .pages
            .keys()
            .filter(|k| k.rsplit('/').next() == Some(name.as_str()))
            .collect();
        // `![x](images/ecran.png)` from a sheet, the file being in
        // `static/images/`: the address that reaches it.
        let same_name = |p: &&String| p.rsplit('/').next() == Some(name.as_str());
        let in_static = self.links.statics.iter().filter(same_name).min();
        let beside = self.links.content_assets.iter().filter(same_name).min();
        // `/fiches/wifi/compte-invite/`, the page's address as the browser
        // shows it: the sheet's file is what a link names.
        let page = t.decoded.trim_end_matches("index.html").trim_matches('/');
        let page_of = |u: &str| -> Option<&String> {
            let u = u.trim_end_matches("index.html").trim_matches('/');
            let u = format!("{u}/index.html");
            self.links.pages.iter().filter(|(_, v)| **v == u).map(|(k, _)| k).min()
        };
        let as_page = (!page.is_empty() && !t.is_md).then(|| page_of(page)).flatten();
        // `../station-meteo/`, relative to the published page (where the
        // browser resolves it), or `/aide/fiches/x/` with the base URL's
        // path: the sheet meant, to name by its file, from this one's folder.
        let from_page = (!page.is_empty() && !t.is_md && as_page.is_none())
            .then(|| match t.decoded.starts_with('/') {
                true => {
                    let segs: Vec<&str> = page.split('/').collect();
                    (1..segs.len()).find_map(|k| page_of(&segs[k..].join("/")))
                }
                false => crate::html::resolve(self.ctx.page, &t.decoded).and_then(|u| page_of(&u)),
            })
            .flatten();
        // `../imprimantes/bourrage`, the sheet's file without `.md`.
        let without_md = (!t.is_md && !image)
            .then(|| format!("{shown}.md"))
            .filter(|f| self.links.pages.contains_key(f));
        // `/images/Capture.PNG` for `static/images/capture.png`: found on
        // Windows and macOS, whose disks ignore case, and missing on the
        // school's server, which does not.
        let lower = shown.to_lowercase();
        let other_case = self
            .links
            .statics
            .iter()
            .find(|s| format!("static/{s}").to_lowercase() == lower)
            .map(|s| (format!("static/{s}"), format!("/{s}")))
            .or_else(|| {
                let same = |f: &&String| f.to_lowercase() == lower;
                let file = self.links.content_assets.iter().find(same);
                let file = file.or_else(|| self.links.pages.keys().find(same))?;
                Some((file.clone(), crate::html::relative(self.ctx.source, file)))
            });
        let renamed = t
            .candidate
            .as_ref()
            .filter(|_| t.is_md)
            .and_then(|c| self.links.renamed.get(c));
        // The id a sheet at the missing file had (`wifi/ancien-nom`): what
        // its `aliases` would list, were it renamed.
        let old_id = t
            .candidate
            .as_ref()
            .filter(|_| t.is_md)
            .and_then(|c| c.strip_prefix("content/fiches/")?.strip_suffix(".md"))
            .filter(|id| id.rsplit('/').next() != Some("_index"))
            .map(str::to_string);
        if let Some(now) = renamed {
            let frag = t.fragment.map(|f| format!("#{f}")).unwrap_or_default();
            let written = crate::html::relative(self.ctx.source, now).replace(' ', "%20") + &frag;
            d = d.hint(format!(
                "cette fiche a changé de fichier : c'est maintenant `{now}` (son ancienne adresse est dans ses `aliases`) ; écrivez `{written}`"
            ));
        } else if url.contains('\\') {
            // `..\atelier\pupitre.png`, as the Windows explorer writes a
            // path: on the web `\` is part of a name, never a folder.
            d = d.hint(format!(
                "dans une adresse, les dossiers se séparent par `/`, jamais par `\\` comme dans l'explorateur Windows : écrivez `{}`",
                url.replace('\\', "/")
            ));
        } else if let Some((file, written)) = other_case {
            // Written as a link can hold it.
            let written = written.replace(' ', "%20");
            d = d.hint(format!(
                "le fichier s'écrit avec d'autres majuscules ou minuscules : `{file}` ; écrivez `{written}` (le serveur les distingue, même si Windows ne le fait pas)"
            ));
        } else if let Some(f) = without_md {
            let (path, frag) = url
                .split_once('#')
                .map_or((url, String::new()), |(p, f)| (p, format!("#{f}")));
            d = d.hint(format!(
                "la fiche `{f}` existe : un lien vers une fiche s'écrit avec son fichier, `{}.md{frag}`",
                path.trim_end_matches('/')
            ));
        } else if let Some(src) = as_page {
            let md = src.strip_prefix("content").unwrap_or(src);
            d = d.hint(format!(
                "c'est l'adresse de la page de `{src}` : un lien vers une fiche s'écrit avec son fichier, `{md}`"
            ));
        } else if let Some(src) = from_page {
            d = d.hint(format!(
                "c'est l'adresse de la page de `{src}`, telle que le navigateur l'affiche : un lien vers une fiche s'écrit avec son fichier, depuis le dossier de cette fiche-ci (comme dans l'aperçu de la forge) : `{}`",
                crate::html::relative(self.ctx.source, src).replace(' ', "%20")
            ));
        } else if let (Some(s), Some(id)) = (similar.first(), old_id.as_ref()) {
            // The same name in another folder: most likely the sheet moved.
            d = d.hint(format!(
                "un fichier de ce nom existe : `{s}` ; si la fiche y a été déplacée, écrivez `{}{}` et ajoutez dans son en-tête `aliases = [\"{id}\"]` : son ancienne adresse publiée (favoris, QR codes) mènera encore à elle",
                crate::html::relative(self.ctx.source, s).replace(' ', "%20"),
                t.fragment.map(|f| format!("#{f}")).unwrap_or_default()
            ));
        } else if let Some(s) = similar.first() {
            d = d.hint(format!("un fichier de ce nom existe : `{s}`"));
        } else if let Some(s) = in_static.filter(|_| !t.is_md) {
            d = d.hint(format!(
                "un fichier de ce nom existe : `static/{s}`, qui s'écrit `/{s}` (avec la barre du début)"
            ));
        } else if let Some(s) = beside.filter(|_| !t.is_md) {
            d = d.hint(format!(
                "un fichier de ce nom existe : `{s}`, qui s'écrit d'ici `{}`",
                crate::html::relative(self.ctx.source, s)
            ));
        } else if let Some(id) = old_id.filter(|_| t.is_md) {
            // A sheet renamed (`git mv`) leaves links to its old file, and
            // its old published address, which only `aliases` keeps.
            d = d.hint(format!(
                "un lien vers une fiche s'écrit avec son fichier Markdown (`page.md`, chemin relatif depuis le dossier de la fiche) : vérifiez le chemin ou créez la fiche manquante ; si elle a changé de fichier (`git mv`), écrivez le nouveau et ajoutez dans son en-tête `aliases = [\"{id}\"]` : son ancienne adresse publiée (favoris, QR codes) mènera encore à elle"
            ));
        } else if t.is_md || t.html_stem().is_some() {
            d = d.hint("un lien vers une fiche s'écrit avec son fichier Markdown (`page.md`, chemin relatif depuis le dossier de la fiche) : vérifiez le chemin ou créez la fiche manquante");
        } else {
            d = d.hint("les images et documents vont dans `static/` et s'écrivent `/images/nom.png`, ou à côté de la fiche et s'écrivent par leur nom (`nom.png`)");
        }
        self.diags.push(d);
    }
}

struct Highlighter {
    syntaxes: syntect::parsing::SyntaxSet,
}

fn highlighter() -> &'static Highlighter {
    static H: OnceLock<Highlighter> = OnceLock::new();
    H.get_or_init(|| Highlighter {
        syntaxes: syntect::parsing::SyntaxSet::load_defaults_newlines(),
    })
}

/// Names that writers use for languages syntect knows under another token.
fn syntax_alias(lang: &str) -> &str {
    match lang {
        "sh" | "shell" | "console" | "zsh" => "bash",
        "ps1" | "powershell" | "pwsh" | "bat" | "cmd" | "batch" => "bat",
        "yml" => "yaml",
        "text" | "txt" | "plain" => "",
        other => other,
    }
}

fn highlight(lang: &str, code: &str, strings: &Strings) -> String {
    let lang_l = lang.to_ascii_lowercase();
    let mut html = String::with_capacity(code.len() * 2);
    let label = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape(lang))
    };
    let _ = write!(
        html,
        "<div class=\"code\"{label}><pre tabindex=\"0\" aria-label=\"{}\"><code>",
        escape(strings.get("code_block"))
    );
    let h = highlighter();
    let syntax = if code.len() > HIGHLIGHT_LIMIT || lang_l.is_empty() {
        None
    } else {
        h.syntaxes
            .find_syntax_by_token(syntax_alias(&lang_l))
            .filter(|s| s.name != "Plain Text")
    };
    match syntax {
        Some(syntax) => {
            let mut gen = syntect::html::ClassedHTMLGenerator::new_with_class_style(
                syntax,
                &h.syntaxes,
                syntect::html::ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            let mut ok = true;
            for line in syntect::util::LinesWithEndings::from(code) {
                if gen.parse_html_for_line_which_includes_newline(line).is_err() {
                    ok = false;
                    break;
                }
            }
            if ok {
                html.push_str(&gen.finalize());
            } else {
                html.push_str(&escape(code));
            }
        }
        None => html.push_str(&escape(code)),
    }
    html.push_str("</code></pre></div>\n");
    html
}

/// `assets/highlight.css`. The colours of the `hl-` classes are a
/// hand-written palette in the theme's `style.css` (syntect's themes fail
/// WCAG AA contrast); this file stays, empty, for themes that link it
/// (the default theme's pages no longer do: 75 bytes of every page).
pub fn highlight_css() -> String {
    "/* fiches: code colours live in style.css (WCAG AA in light and dark modes). */\n".to_string()
}

mod sanitize;
/// The cells of a table row as GFM counts them (pipes that a `\\` does
/// not escape; one leading and one trailing pipe are the row's edges);
/// `None` for a line with no pipe, which is no row.
/// A tag that opens a block (text after it is no longer an item's own).
fn is_block(t: &Tag) -> bool {
    !matches!(
        t,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn table_cells(line: &str) -> Option<usize> {
    let b = line.trim().as_bytes();
    let pipe = |i: usize| b[i] == b'|' && (i == 0 || b[i - 1] != b'\\');
    let pipes: Vec<usize> = (0..b.len()).filter(|&i| pipe(i)).collect();
    if pipes.is_empty() {
        return None;
    }
    let edges = usize::from(pipes[0] == 0) + usize::from(*pipes.last()? == b.len() - 1 && b.len() > 1);
    Some(pipes.len() + 1 - edges)
}

/// The cells of a separator row (`| --- | :-: |`, `---|---`): dashes and
/// colons between pipes, at least one dash each; `None` for anything else.
fn separator_cells(line: &str) -> Option<usize> {
    let t = line.trim();
    if !t.contains('|') || !t.bytes().all(|b| matches!(b, b'|' | b'-' | b':' | b' ' | b'\t')) {
        return None;
    }
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let cells: Vec<&str> = inner.split('|').collect();
    cells.iter().all(|c| c.contains('-')).then_some(cells.len())
}

/// A line written as a table row: it starts and ends with a pipe.
fn is_table_row(line: &str) -> bool {
    let t = line.trim();
    t.len() > 1 && t.starts_with('|') && t.ends_with('|')
}

#[cfg(test)]
mod tests;
