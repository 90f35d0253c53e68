//! LibreOffice Writer documents (OpenDocument Text, `.odt`): `content.xml`,
//! the styles of `styles.xml`, `meta.xml` and the pictures of the package.

use super::doc::{self, Block, Doc, FlatItem, Inline};
use super::package::{element_text, is, Package};
use roxmltree::{Document, Node};
use std::collections::HashMap;

const TEXT: &str = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const TABLE: &str = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const DRAW: &str = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0";
const OFFICE: &str = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const STYLE: &str = "urn:oasis:names:tc:opendocument:xmlns:style:1.0";
const FO: &str = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0";
const SVG: &str = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0";
const XLINK: &str = "http://www.w3.org/1999/xlink";
const META: &str = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const MANIFEST: &str = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0";

#[derive(Debug, Default, Clone)]
struct Style {
    parent: Option<String>,
    bold: Option<bool>,
    italic: Option<bool>,
    strike: Option<bool>,
    mono: bool,
    list_style: Option<String>,
    outline: Option<u8>,
}

struct Reader<'p> {
    pkg: &'p mut Package,
    styles: HashMap<String, Style>,
    /// List style → (ordered, start) for levels 1…10.
    lists: HashMap<String, Vec<(bool, u32)>>,
    counters: HashMap<String, u32>,
    out: Doc,
}

pub fn read(pkg: &mut Package) -> Result<Doc, String> {
    if let Ok(m) = pkg.text("META-INF/manifest.xml") {
        if let Ok(d) = Document::parse(&m) {
            if d.descendants().any(|n| is(&n, MANIFEST, "encryption-data")) {
                return Err("document protégé par mot de passe : ouvrez-le dans LibreOffice, retirez le mot de passe (Fichier > Propriétés > Sécurité) et enregistrez-le, puis relancez l'import".into());
            }
        }
    }
    let content = pkg
        .text("content.xml")
        .map_err(|_| "ce n'est pas un document OpenDocument : `content.xml` manque dans l'archive".to_string())?;
    let styles_xml = pkg.text("styles.xml").unwrap_or_default();
    let meta_xml = pkg.text("meta.xml").unwrap_or_default();
    let content = Document::parse(&content).map_err(|e| format!("`content.xml` illisible : {e}"))?;
    let mut r = Reader {
        pkg,
        styles: HashMap::new(),
        lists: HashMap::new(),
        counters: HashMap::new(),
        out: Doc::default(),
    };
    if let Ok(s) = Document::parse(&styles_xml) {
        r.collect_styles(s.root());
    }
    r.collect_styles(content.root());
    if let Ok(m) = Document::parse(&meta_xml) {
        r.meta(m.root());
    }
    let body = content
        .descendants()
        .find(|n| is(n, OFFICE, "text"))
        .ok_or("`content.xml` ne contient pas de texte (est-ce un classeur ou une présentation ?)")?;
    let blocks = r.blocks(body);
    r.out.blocks = blocks;
    Ok(r.out)
}

impl Reader<'_> {
    fn collect_styles(&mut self, root: Node) {
        for n in root.descendants() {
            if is(&n, STYLE, "style") {
                let Some(name) = n.attribute((STYLE, "name")) else {
                    continue;
                };
                let mut s = Style {
                    parent: n.attribute((STYLE, "parent-style-name")).map(str::to_string),
                    list_style: n.attribute((STYLE, "list-style-name")).map(str::to_string),
                    outline: n
                        .attribute((STYLE, "default-outline-level"))
                        .and_then(|l| l.parse().ok()),
                    ..Default::default()
                };
                if let Some(tp) = n.children().find(|c| is(c, STYLE, "text-properties")) {
                    if let Some(w) = tp.attribute((FO, "font-weight")) {
                        s.bold = Some(matches!(w, "bold" | "600" | "700" | "800" | "900"));
                    }
                    if let Some(st) = tp.attribute((FO, "font-style")) {
                        s.italic = Some(st == "italic" || st == "oblique");
                    }
                    if let Some(l) = tp.attribute((STYLE, "text-line-through-style")) {
                        s.strike = Some(l != "none");
                    }
                    if let Some(f) = tp.attribute((STYLE, "font-name")) {
                        let f = f.to_ascii_lowercase();
                        s.mono = f.contains("mono") || f.contains("courier") || f.contains("consolas");
                    }
                }
                self.styles.insert(name.to_string(), s);
            } else if is(&n, TEXT, "list-style") {
                let Some(name) = n.attribute((STYLE, "name")) else {
                    continue;
                };
                let mut levels = vec![(false, 1); 10];
                for l in n.children().filter(|c| c.is_element()) {
                    let level: usize = l.attribute((TEXT, "level")).and_then(|v| v.parse().ok()).unwrap_or(1);
                    if level == 0 || level > 10 {
                        continue;
                    }
                    let ordered = l.tag_name().name() == "list-level-style-number"
                        && !l.attribute((STYLE, "num-format")).unwrap_or("1").is_empty();
                    let start = l
                        .attribute((TEXT, "start-value"))
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1);
                    levels[level - 1] = (ordered, start);
                }
                self.lists.insert(name.to_string(), levels);
            }
        }
    }

    fn meta(&mut self, root: Node) {
        let text = |name: &str, ns: &str| element_text(root, ns, name);
        let m = &mut self.out.meta;
        m.title = text("title", DC);
        m.summary = text("description", DC).or_else(|| text("subject", DC));
        m.keywords = root
            .descendants()
            .filter(|n| is(n, META, "keyword"))
            .filter_map(|n| n.text())
            // One keyword per element; some writers still put a list in one.
            .flat_map(|k| k.split([',', ';']).map(|s| s.trim().to_string()).collect::<Vec<_>>())
            .filter(|k| !k.is_empty())
            .collect();
        m.updated = text("date", DC)
            .or_else(|| text("creation-date", META))
            .and_then(|d| super::iso_date(&d));
    }

    /// A style and its parents, nearest first (a name without definition,
    /// one of LibreOffice's defaults, still counts by its name).
    fn style_chain(&self, name: Option<&str>) -> Vec<(String, Style)> {
        let mut out: Vec<(String, Style)> = Vec::new();
        let mut cur = name.map(str::to_string);
        while let Some(n) = cur {
            if out.len() > 20 {
                break;
            }
            let s = self.styles.get(&n).cloned().unwrap_or_default();
            cur = s.parent.clone();
            out.push((n, s));
        }
        out
    }

    fn blocks(&mut self, parent: Node) -> Vec<Block> {
        let mut out: Vec<Block> = Vec::new();
        let mut code: Option<String> = None;
        let mut styled_list: Vec<FlatItem> = Vec::new();
        let flush_code = |code: &mut Option<String>, out: &mut Vec<Block>| {
            if let Some(c) = code.take() {
                out.push(Block::Code(c));
            }
        };
        let flush_list = |items: &mut Vec<FlatItem>, out: &mut Vec<Block>| {
            if !items.is_empty() {
                out.extend(doc::nest(items));
                items.clear();
            }
        };
        for n in parent.children().filter(|n| n.is_element()) {
            let kind = self.paragraph_kind(&n);
            if !matches!(kind, Para::Code) {
                flush_code(&mut code, &mut out);
            }
            if !matches!(kind, Para::ListItem(..)) {
                flush_list(&mut styled_list, &mut out);
            }
            match kind {
                Para::Code => {
                    let line = self.code_text(n);
                    let c = code.get_or_insert_with(String::new);
                    if !c.is_empty() || !line.is_empty() {
                        if !c.is_empty() {
                            c.push('\n');
                        }
                        c.push_str(&line);
                    }
                }
                Para::Heading(level) => {
                    let inl = doc::trim_inlines(doc::normalize(self.inlines(n)));
                    if !doc::is_blank(&inl) {
                        out.push(Block::Heading(level, inl));
                    }
                }
                Para::Quote => {
                    let inl = doc::trim_inlines(doc::normalize(self.inlines(n)));
                    if doc::is_blank(&inl) {
                        continue;
                    }
                    match out.last_mut() {
                        Some(Block::Quote(q)) => q.push(Block::Para(inl)),
                        _ => out.push(Block::Quote(vec![Block::Para(inl)])),
                    }
                }
                Para::ListItem(list, level) => {
                    let inl = doc::trim_inlines(doc::normalize(self.inlines(n)));
                    let (ordered, start) = self.level_of(&list, level);
                    styled_list.push(FlatItem {
                        level,
                        ordered,
                        start,
                        blocks: vec![Block::Para(inl)],
                    });
                }
                Para::Plain => {
                    let inl = doc::trim_inlines(doc::normalize(self.inlines(n)));
                    if !doc::is_blank(&inl) {
                        out.push(Block::Para(inl));
                    }
                }
                Para::Other => self.block_element(n, &mut out),
            }
        }
        flush_code(&mut code, &mut out);
        flush_list(&mut styled_list, &mut out);
        out
    }

    fn level_of(&self, list: &str, level: usize) -> (bool, u32) {
        self.lists
            .get(list)
            .and_then(|l| l.get(level.saturating_sub(1)).copied())
            .unwrap_or((true, 1))
    }

    fn paragraph_kind(&self, n: &Node) -> Para {
        if is(n, TEXT, "h") {
            let level = n
                .attribute((TEXT, "outline-level"))
                .and_then(|l| l.parse().ok())
                .unwrap_or(1);
            return Para::Heading(level);
        }
        if !is(n, TEXT, "p") {
            return Para::Other;
        }
        let style = n.attribute((TEXT, "style-name"));
        for (name, s) in &self.style_chain(style) {
            let lname = name.to_ascii_lowercase();
            if lname == "title" {
                return Para::Heading(1);
            }
            if let Some(l) = s.outline.filter(|l| *l > 0) {
                return Para::Heading(l);
            }
            if let Some(l) = lname.strip_prefix("heading_20_").and_then(|d| d.parse().ok()) {
                return Para::Heading(l);
            }
            if lname.starts_with("preformatted") || lname == "source_20_code" {
                return Para::Code;
            }
            if lname == "quotations" {
                return Para::Quote;
            }
            // Numbering that belongs to the paragraph style (Word's "List Number").
            if let Some(list) = &s.list_style {
                if !list.is_empty() {
                    return Para::ListItem(list.clone(), 1);
                }
            }
        }
        Para::Plain
    }

    fn block_element(&mut self, n: Node, out: &mut Vec<Block>) {
        match n.tag_name().name() {
            "list" if n.tag_name().namespace() == Some(TEXT) => {
                let style = n.attribute((TEXT, "style-name")).unwrap_or("").to_string();
                self.list(n, &style, 1, out);
            }
            "table" if n.tag_name().namespace() == Some(TABLE) => {
                let mut rows = Vec::new();
                for row in n.descendants().filter(|r| is(r, TABLE, "table-row")) {
                    // Nested tables have their own rows.
                    if row.ancestors().find(|a| is(a, TABLE, "table")) != Some(n) {
                        continue;
                    }
                    let mut cells = Vec::new();
                    for c in row.children().filter(|c| c.is_element()) {
                        if is(&c, TABLE, "table-cell") {
                            let b = self.blocks(c);
                            let rep: usize = c
                                .attribute((TABLE, "number-columns-repeated"))
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1)
                                .min(50);
                            for _ in 0..rep {
                                cells.push(b.clone());
                            }
                        } else if is(&c, TABLE, "covered-table-cell") {
                            cells.push(Vec::new());
                        }
                    }
                    rows.push(cells);
                }
                if !rows.is_empty() {
                    out.push(Block::Table(rows));
                }
            }
            "section" | "index-body" | "deletion" => {
                let b = self.blocks(n);
                out.extend(b);
            }
            "table-of-content" | "alphabetical-index" | "illustration-index" | "table-index" | "bibliography" => {
                self.out
                    .dropped
                    .add("table des matières ou index (le site a son propre sommaire)");
            }
            "tracked-changes" => {
                let changes = n.children().filter(|c| is(c, TEXT, "changed-region")).count();
                for _ in 0..changes {
                    self.out
                        .dropped
                        .add("modification suivie (le texte est importé tel qu'il s'affiche, modifications acceptées)");
                }
            }
            "frame" if n.tag_name().namespace() == Some(DRAW) => {
                let inl = self.frame(n);
                if !inl.is_empty() {
                    out.push(Block::Para(inl));
                }
            }
            "sequence-decls" | "variable-decls" | "user-field-decls" | "forms" | "soft-page-break" | "bookmark"
            | "bookmark-start" | "bookmark-end" => {}
            _ => {
                let b = self.blocks(n);
                out.extend(b);
            }
        }
    }

    fn list(&mut self, n: Node, style: &str, level: usize, out: &mut Vec<Block>) {
        let style = n.attribute((TEXT, "style-name")).unwrap_or(style).to_string();
        let (ordered, mut start) = self.level_of(&style, level);
        let key = format!("{style}/{level}");
        let continues =
            n.attribute((TEXT, "continue-numbering")) == Some("true") || n.attribute((TEXT, "continue-list")).is_some();
        if continues {
            if let Some(c) = self.counters.get(&key) {
                start = c + 1;
            }
        }
        let mut items = Vec::new();
        for (i, item) in n
            .children()
            .filter(|c| is(c, TEXT, "list-item") || is(c, TEXT, "list-header"))
            .enumerate()
        {
            if i == 0 {
                if let Some(v) = item.attribute((TEXT, "start-value")).and_then(|v| v.parse().ok()) {
                    start = v;
                }
            }
            let mut blocks = Vec::new();
            for c in item.children().filter(|c| c.is_element()) {
                if is(&c, TEXT, "list") {
                    self.list(c, &style, level + 1, &mut blocks);
                } else {
                    let wrapper = c;
                    // One child at a time, through the same rules as the body.
                    let mut one = self.blocks_of_one(wrapper);
                    blocks.append(&mut one);
                }
            }
            if is(&item, TEXT, "list-header") && !items.is_empty() {
                let last: &mut Vec<Block> = items.last_mut().unwrap();
                last.extend(blocks);
            } else {
                items.push(blocks);
            }
        }
        if items.is_empty() {
            return;
        }
        self.counters.insert(key, start + items.len() as u32 - 1);
        out.push(Block::List { ordered, start, items });
    }

    fn blocks_of_one(&mut self, n: Node) -> Vec<Block> {
        // A paragraph inside a list item is a paragraph, even when its style
        // carries the list's numbering.
        if is(&n, TEXT, "p") {
            if let Para::Code = self.paragraph_kind(&n) {
                return vec![Block::Code(self.code_text(n))];
            }
            let inl = doc::trim_inlines(doc::normalize(self.inlines(n)));
            return if doc::is_blank(&inl) {
                vec![]
            } else {
                vec![Block::Para(inl)]
            };
        }
        let mut out = Vec::new();
        match self.paragraph_kind(&n) {
            Para::Heading(l) => {
                let inl = doc::trim_inlines(doc::normalize(self.inlines(n)));
                if !doc::is_blank(&inl) {
                    out.push(Block::Heading(l, inl));
                }
            }
            _ => self.block_element(n, &mut out),
        }
        out
    }

    fn code_text(&self, n: Node) -> String {
        let mut s = String::new();
        fn walk(n: Node, s: &mut String) {
            for c in n.children() {
                if c.is_text() {
                    s.push_str(c.text().unwrap_or(""));
                } else if is(&c, TEXT, "s") {
                    let k: usize = c.attribute((TEXT, "c")).and_then(|v| v.parse().ok()).unwrap_or(1);
                    s.push_str(&" ".repeat(k.min(200)));
                } else if is(&c, TEXT, "tab") {
                    s.push('\t');
                } else if is(&c, TEXT, "line-break") {
                    s.push('\n');
                } else if is(&c, OFFICE, "annotation") || is(&c, TEXT, "note") {
                } else {
                    walk(c, s);
                }
            }
        }
        walk(n, &mut s);
        s
    }

    fn inlines(&mut self, n: Node) -> Vec<Inline> {
        let mut out = Vec::new();
        for c in n.children() {
            if c.is_text() {
                // ODF collapses white space in text; `text:s` carries the real spaces.
                let t = c.text().unwrap_or("");
                let mut s = String::with_capacity(t.len());
                let mut space = false;
                for ch in t.chars() {
                    if ch.is_whitespace() && ch != '\u{a0}' {
                        if !space {
                            s.push(' ');
                        }
                        space = true;
                    } else {
                        s.push(ch);
                        space = false;
                    }
                }
                out.push(Inline::Text(s));
                continue;
            }
            if !c.is_element() {
                continue;
            }
            let ns = c.tag_name().namespace().unwrap_or("");
            match (ns, c.tag_name().name()) {
                (TEXT, "s") => {
                    let k: usize = c.attribute((TEXT, "c")).and_then(|v| v.parse().ok()).unwrap_or(1);
                    out.push(Inline::Text(" ".repeat(k.min(200))));
                }
                (TEXT, "tab") => out.push(Inline::Text(" ".into())),
                (TEXT, "line-break") => out.push(Inline::Break),
                (TEXT, "span") => {
                    let inner = self.inlines(c);
                    out.extend(self.styled(c.attribute((TEXT, "style-name")), inner));
                }
                (TEXT, "a") => {
                    let children = self.inlines(c);
                    let url = c.attribute((XLINK, "href")).map(odf_href).unwrap_or_default();
                    if url.is_empty() {
                        out.extend(children);
                    } else {
                        out.push(Inline::Link { url, children });
                    }
                }
                (TEXT, "note") => {
                    let body = c.children().find(|b| is(b, TEXT, "note-body"));
                    if let Some(b) = body {
                        let blocks = self.blocks(b);
                        out.push(Inline::Note(blocks));
                    }
                }
                (DRAW, "frame") => out.extend(self.frame(c)),
                (DRAW, "a") => {
                    let url = c.attribute((XLINK, "href")).map(odf_href).unwrap_or_default();
                    let children = self.inlines(c);
                    if url.is_empty() {
                        out.extend(children);
                    } else {
                        out.push(Inline::Link { url, children });
                    }
                }
                (DRAW, _) => self.out.dropped.add("dessin ou forme (non importé)"),
                (OFFICE, "annotation") => self.out.dropped.add("commentaire"),
                (OFFICE, "annotation-end") => {}
                (TEXT, "bookmark" | "bookmark-start" | "bookmark-end" | "reference-mark" | "reference-mark-start")
                | (TEXT, "reference-mark-end" | "change" | "change-start" | "change-end" | "soft-page-break")
                | (TEXT, "note-citation" | "alphabetical-index-mark" | "toc-mark" | "sequence-ref") => {}
                _ => out.extend(self.inlines(c)),
            }
        }
        out
    }

    fn styled(&self, style: Option<&str>, inner: Vec<Inline>) -> Vec<Inline> {
        let chain = self.style_chain(style);
        let has = |n: &str| chain.iter().any(|(s, _)| s.eq_ignore_ascii_case(n));
        let first = |f: fn(&Style) -> Option<bool>| chain.iter().find_map(|(_, s)| f(s)).unwrap_or(false);
        if has("User_20_Entry") {
            return vec![Inline::Kbd(doc::plain(&inner))];
        }
        if has("Source_20_Text") || has("Example") || has("Teletype") || chain.iter().any(|(_, s)| s.mono) {
            return vec![Inline::Code(doc::plain(&inner))];
        }
        let mut inl = inner;
        if first(|s| s.strike) {
            inl = vec![Inline::Strike(inl)];
        }
        if has("Emphasis") || first(|s| s.italic) {
            inl = vec![Inline::Emph(inl)];
        }
        if has("Strong_20_Emphasis") || first(|s| s.bold) {
            inl = vec![Inline::Strong(inl)];
        }
        inl
    }

    fn frame(&mut self, f: Node) -> Vec<Inline> {
        let text = |name: &str| {
            f.children()
                .find(|c| is(c, SVG, name))
                .and_then(|c| c.text())
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
        };
        let alt = text("title").or_else(|| text("desc")).unwrap_or_default();
        let images: Vec<Node> = f.children().filter(|c| is(c, DRAW, "image")).collect();
        if !images.is_empty() {
            for img in &images {
                let Some(href) = img.attribute((XLINK, "href")) else {
                    continue;
                };
                if let Ok(bytes) = self.pkg.bytes(href) {
                    self.out.media.push((href.to_string(), bytes));
                    return vec![Inline::Image {
                        src: href.to_string(),
                        alt,
                    }];
                }
            }
            let href = images[0].attribute((XLINK, "href")).unwrap_or("");
            if href.starts_with("http://") || href.starts_with("https://") {
                return vec![Inline::Image {
                    src: href.to_string(),
                    alt,
                }];
            }
            self.out
                .dropped
                .add("image liée à un fichier extérieur au document (non incluse)");
            return Vec::new();
        }
        if f.children().any(|c| is(&c, DRAW, "text-box")) {
            self.out.dropped.add("zone de texte");
        } else if f
            .children()
            .any(|c| is(&c, DRAW, "object") || is(&c, DRAW, "object-ole"))
        {
            self.out.dropped.add("objet incorporé (formule, graphique, tableur…)");
        } else {
            self.out.dropped.add("cadre (non importé)");
        }
        Vec::new()
    }
}

enum Para {
    Heading(u8),
    Code,
    Quote,
    ListItem(String, usize),
    Plain,
    Other,
}

/// ODF resolves a relative link from inside the package: `../x.odt` names
/// `x.odt` beside the document. Internal links to headings end in `|outline`.
fn odf_href(h: &str) -> String {
    if let Some(a) = h.strip_prefix('#') {
        let a = a.split('|').next().unwrap_or(a);
        return format!("#{a}");
    }
    if super::is_external(h) {
        return h.to_string();
    }
    h.strip_prefix("../").unwrap_or(h).to_string()
}
