//! HTML pages (a saved web page, Word's "Enregistrer en HTML", a generated
//! site's output): the main content, parsed with html5ever through scraper.

use super::doc::{self, Block, Doc, Inline};
use scraper::{ElementRef, Html, Node, Selector};

pub fn read(text: &str) -> Doc {
    let html = Html::parse_document(text);
    let mut out = Doc::default();
    read_meta(&html, &mut out);
    // A page of a site: its main content, without menus and footers.
    let main = ["main article", "article", "main", "[role=main]", "body"]
        .iter()
        .filter_map(|s| Selector::parse(s).ok())
        .find_map(|s| html.select(&s).next());
    if let Some(m) = main {
        let mut r = Reader { out: &mut out };
        let blocks = r.blocks(m);
        out.blocks = blocks;
    }
    out
}

fn read_meta(html: &Html, out: &mut Doc) {
    let sel = |s: &str| Selector::parse(s).ok();
    if let Some(t) = sel("head title").and_then(|s| html.select(&s).next()) {
        let t = t
            .text()
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !t.is_empty() {
            out.meta.title = Some(t);
        }
    }
    let Some(metas) = sel("meta[name], meta[property]") else {
        return;
    };
    for m in html.select(&metas) {
        let name = m
            .value()
            .attr("name")
            .or_else(|| m.value().attr("property"))
            .unwrap_or("")
            .to_ascii_lowercase();
        let content = m.value().attr("content").unwrap_or("").trim().to_string();
        if content.is_empty() {
            continue;
        }
        match name.as_str() {
            "description" | "og:description" | "dc.description" if out.meta.summary.is_none() => {
                out.meta.summary = Some(content)
            }
            "keywords" | "dc.subject" => out.meta.keywords.extend(super::split_keywords(&content)),
            "changed"
            | "dcterms.modified"
            | "dc.date"
            | "article:modified_time"
            | "last-modified"
            | "date"
            | "created"
                if out.meta.updated.is_none() || name != "created" =>
            {
                if let Some(d) = super::iso_date(&content) {
                    out.meta.updated = Some(d);
                }
            }
            _ => {}
        }
    }
}

struct Reader<'a> {
    out: &'a mut Doc,
}

fn has_class(e: &ElementRef, c: &str) -> bool {
    e.value().classes().any(|x| x == c)
}

impl Reader<'_> {
    fn blocks(&mut self, parent: ElementRef) -> Vec<Block> {
        let mut out = Vec::new();
        let mut inline: Vec<Inline> = Vec::new();
        let flush = |inline: &mut Vec<Inline>, out: &mut Vec<Block>| {
            let inl = doc::trim_inlines(doc::normalize(std::mem::take(inline)));
            if !doc::is_blank(&inl) {
                out.push(Block::Para(inl));
            }
        };
        for child in parent.children() {
            match child.value() {
                Node::Text(t) => inline.push(Inline::Text(collapse(t))),
                Node::Element(_) => {
                    let Some(e) = ElementRef::wrap(child) else { continue };
                    if is_block(e.value().name()) {
                        flush(&mut inline, &mut out);
                        self.block(e, &mut out);
                    } else {
                        let i = self.inline(e);
                        inline.extend(i);
                    }
                }
                _ => {}
            }
        }
        flush(&mut inline, &mut out);
        out
    }

    fn block(&mut self, e: ElementRef, out: &mut Vec<Block>) {
        let name = e.value().name();
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name[1..].parse().unwrap_or(2);
                // Generated sites add a `#` permalink inside headings.
                let inl = doc::trim_inlines(doc::normalize(self.inlines_skipping_anchors(e)));
                if !doc::is_blank(&inl) {
                    out.push(Block::Heading(level, inl));
                }
            }
            "p" => {
                if has_class(&e, "callout-title") || has_class(&e, "admonition-title") {
                    return;
                }
                let inl = doc::trim_inlines(doc::normalize(self.inlines(e)));
                if !doc::is_blank(&inl) {
                    out.push(Block::Para(inl));
                }
            }
            "ul" | "ol" => {
                let ordered = name == "ol";
                let start = e.value().attr("start").and_then(|s| s.parse().ok()).unwrap_or(1);
                let items: Vec<Vec<Block>> = e
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|c| c.value().name() == "li")
                    .map(|li| self.blocks(li))
                    .collect();
                if !items.is_empty() {
                    out.push(Block::List { ordered, start, items });
                }
            }
            "pre" => {
                let code: String = e.text().collect();
                out.push(Block::Code(code.trim_end_matches('\n').to_string()));
            }
            "blockquote" => {
                let b = self.blocks(e);
                if !b.is_empty() {
                    out.push(Block::Quote(b));
                }
            }
            "table" => {
                let Ok(tr) = Selector::parse("tr") else { return };
                let mut rows = Vec::new();
                for row in e.select(&tr) {
                    // Rows of a nested table belong to it.
                    if row
                        .ancestors()
                        .filter_map(ElementRef::wrap)
                        .find(|a| a.value().name() == "table")
                        != Some(e)
                    {
                        continue;
                    }
                    let mut cells = Vec::new();
                    for c in row.children().filter_map(ElementRef::wrap) {
                        if matches!(c.value().name(), "td" | "th") {
                            cells.push(self.blocks(c));
                            let span: usize = c.value().attr("colspan").and_then(|s| s.parse().ok()).unwrap_or(1);
                            for _ in 1..span.min(50) {
                                cells.push(Vec::new());
                            }
                        }
                    }
                    rows.push(cells);
                }
                if !rows.is_empty() {
                    out.push(Block::Table(rows));
                }
            }
            "hr" => out.push(Block::Rule),
            "aside" | "div" if callout_kind(&e).is_some() => {
                let kind = callout_kind(&e).unwrap_or("NOTE");
                let b = self.blocks(e);
                out.push(Block::Callout(kind, b));
            }
            "script" | "style" | "nav" | "noscript" | "template" | "form" | "button" | "input" | "select"
            | "textarea" | "head" => {}
            "iframe" | "object" | "embed" | "video" | "audio" | "canvas" | "svg" | "math" => {
                self.out.dropped.add("objet incorporé (vidéo, iframe, SVG en ligne…)");
            }
            "figure" => {
                let b = self.blocks(e);
                out.extend(b);
            }
            "figcaption" | "dt" | "dd" | "caption" | "summary" => {
                let inl = doc::trim_inlines(doc::normalize(self.inlines(e)));
                if !doc::is_blank(&inl) {
                    out.push(Block::Para(inl));
                }
            }
            _ => {
                // header, footer, section, div, details, dl…: their content.
                if matches!(name, "header" | "footer") && e.value().attr("class").is_some_and(|c| c.contains("site")) {
                    return;
                }
                let b = self.blocks(e);
                out.extend(b);
            }
        }
    }

    fn inlines(&mut self, e: ElementRef) -> Vec<Inline> {
        let mut out = Vec::new();
        for child in e.children() {
            match child.value() {
                Node::Text(t) => out.push(Inline::Text(collapse(t))),
                Node::Element(_) => {
                    if let Some(c) = ElementRef::wrap(child) {
                        if is_block(c.value().name()) {
                            // A block inside an inline context (`<li><p>…`): keep its text.
                            let mut b = Vec::new();
                            self.block(c, &mut b);
                            for (i, blk) in b.into_iter().enumerate() {
                                if i > 0 || !out.is_empty() {
                                    out.push(Inline::Break);
                                }
                                if let Block::Para(i) | Block::Heading(_, i) = blk {
                                    out.extend(i);
                                }
                            }
                        } else {
                            out.extend(self.inline(c));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn inlines_skipping_anchors(&mut self, e: ElementRef) -> Vec<Inline> {
        let mut out = Vec::new();
        for child in e.children() {
            match child.value() {
                Node::Text(t) => out.push(Inline::Text(collapse(t))),
                Node::Element(el) => {
                    let permalink = el.name() == "a"
                        && (el
                            .classes()
                            .any(|c| matches!(c, "anchor" | "headerlink" | "header-anchor"))
                            || child
                                .children()
                                .all(|c| c.value().as_text().is_some_and(|t| matches!(t.trim(), "#" | "¶" | "§"))));
                    if permalink {
                        continue;
                    }
                    if let Some(c) = ElementRef::wrap(child) {
                        out.extend(self.inline(c));
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn inline(&mut self, e: ElementRef) -> Vec<Inline> {
        let name = e.value().name();
        match name {
            "strong" | "b" => vec![Inline::Strong(self.inlines(e))],
            "em" | "i" | "cite" | "dfn" => vec![Inline::Emph(self.inlines(e))],
            "s" | "del" | "strike" => vec![Inline::Strike(self.inlines(e))],
            "code" | "tt" | "samp" | "var" => vec![Inline::Code(e.text().collect())],
            "kbd" => vec![Inline::Kbd(e.text().collect())],
            "br" => vec![Inline::Break],
            "img" => {
                let src = e.value().attr("src").unwrap_or("").to_string();
                if src.is_empty() {
                    return vec![];
                }
                let alt = e
                    .value()
                    .attr("alt")
                    .or_else(|| e.value().attr("title"))
                    .unwrap_or("")
                    .trim()
                    .to_string();
                vec![Inline::Image { src, alt }]
            }
            "a" => {
                let children = self.inlines(e);
                match e.value().attr("href") {
                    Some(h)
                        if !h.trim().is_empty() && !h.trim_start().to_ascii_lowercase().starts_with("javascript:") =>
                    {
                        vec![Inline::Link {
                            url: h.trim().to_string(),
                            children,
                        }]
                    }
                    _ => children,
                }
            }
            "sup" if e.value().classes().any(|c| c == "footnote-reference") => vec![],
            "script" | "style" | "noscript" | "template" | "button" | "input" | "select" | "textarea" => vec![],
            "iframe" | "object" | "embed" | "video" | "audio" | "canvas" | "svg" | "math" => {
                self.out.dropped.add("objet incorporé (vidéo, iframe, SVG en ligne…)");
                vec![]
            }
            _ => self.inlines(e),
        }
    }
}

fn callout_kind(e: &ElementRef) -> Option<&'static str> {
    let classes: Vec<&str> = e.value().classes().collect();
    if !classes.iter().any(|c| {
        matches!(
            *c,
            "callout" | "admonition" | "custom-block" | "alert" | "markdown-alert"
        )
    }) {
        return None;
    }
    for c in classes {
        let c = c.rsplit('-').next().unwrap_or(c);
        let k = match c {
            "note" | "info" | "abstract" | "summary" => "NOTE",
            "tip" | "hint" | "success" => "TIP",
            "important" | "question" => "IMPORTANT",
            "warning" | "attention" => "WARNING",
            "caution" | "danger" | "error" | "failure" | "bug" => "CAUTION",
            _ => continue,
        };
        return Some(k);
    }
    Some("NOTE")
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "pre"
            | "blockquote"
            | "table"
            | "hr"
            | "aside"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "nav"
            | "figure"
            | "figcaption"
            | "dl"
            | "dt"
            | "dd"
            | "details"
            | "summary"
            | "main"
            | "form"
            | "script"
            | "style"
            | "address"
            | "caption"
            | "iframe"
            | "object"
            | "video"
            | "audio"
            | "canvas"
            | "template"
            | "noscript"
    )
}

fn collapse(t: &str) -> String {
    let mut s = String::with_capacity(t.len());
    let mut space = false;
    for c in t.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !space {
                s.push(' ');
            }
            space = true;
        } else {
            s.push(c);
            space = false;
        }
    }
    s
}
