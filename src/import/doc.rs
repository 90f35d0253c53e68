//! The document every reader produces (blocks and inlines, like pandoc's
//! AST but only what a sheet can hold), and its Markdown writer.

use std::fmt::Write;

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emph(Vec<Inline>),
    Strike(Vec<Inline>),
    Code(String),
    Kbd(String),
    Link {
        url: String,
        children: Vec<Inline>,
    },
    /// `src` is what the reader found; the importer rewrites it once the
    /// image is saved under `static/`.
    Image {
        src: String,
        alt: String,
    },
    Note(Vec<Block>),
    Break,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, Vec<Inline>),
    Para(Vec<Inline>),
    List {
        ordered: bool,
        start: u32,
        items: Vec<Vec<Block>>,
    },
    /// Rows of cells; the first row is the header.
    Table(Vec<Vec<Vec<Block>>>),
    Quote(Vec<Block>),
    /// A GitHub alert: kind (`NOTE`, `TIP`, …) and content.
    Callout(&'static str, Vec<Block>),
    Code(String),
    Rule,
}

/// Properties of the document itself.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub keywords: Vec<String>,
    /// ISO date, `YYYY-MM-DD`.
    pub updated: Option<String>,
    pub weight: Option<i64>,
}

/// What a reader could not carry over, for the report.
#[derive(Debug, Clone, Default)]
pub struct Dropped {
    pub items: Vec<(String, usize)>,
}

impl Dropped {
    pub fn add(&mut self, what: &str) {
        match self.items.iter_mut().find(|(w, _)| w == what) {
            Some((_, n)) => *n += 1,
            None => self.items.push((what.to_string(), 1)),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Doc {
    pub meta: Meta,
    pub blocks: Vec<Block>,
    /// Image bytes found inside the document, by the `src` used in `Inline::Image`.
    pub media: Vec<(String, Vec<u8>)>,
    pub dropped: Dropped,
}

/// Plain text of inlines (for titles, summaries, action matching).
pub fn plain(inl: &[Inline]) -> String {
    let mut s = String::new();
    fn walk(inl: &[Inline], s: &mut String) {
        for i in inl {
            match i {
                Inline::Text(t) | Inline::Code(t) | Inline::Kbd(t) => s.push_str(t),
                Inline::Strong(c) | Inline::Emph(c) | Inline::Strike(c) => walk(c, s),
                Inline::Link { children, .. } => walk(children, s),
                Inline::Image { .. } | Inline::Note(_) => {}
                Inline::Break => s.push(' '),
            }
        }
    }
    walk(inl, &mut s);
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn blocks_plain(blocks: &[Block], out: &mut String) {
    for b in blocks {
        match b {
            Block::Heading(_, i) | Block::Para(i) => {
                out.push_str(&plain(i));
                out.push('\n');
            }
            Block::List { items, .. } => items.iter().for_each(|it| blocks_plain(it, out)),
            Block::Table(rows) => rows.iter().flatten().for_each(|c| blocks_plain(c, out)),
            Block::Quote(b) | Block::Callout(_, b) => blocks_plain(b, out),
            Block::Code(c) => {
                out.push_str(c);
                out.push('\n');
            }
            Block::Rule => {}
        }
    }
}

/// Merges adjacent text and identical formatting, moves spaces out of
/// emphasis (`**a **b` is not bold in CommonMark) and drops empty runs:
/// Word splits a sentence into many runs.
pub fn normalize(inl: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inl.len());
    for i in inl {
        let i = match i {
            Inline::Strong(c) => Inline::Strong(normalize(c)),
            Inline::Emph(c) => Inline::Emph(normalize(c)),
            Inline::Strike(c) => Inline::Strike(normalize(c)),
            Inline::Link { url, children } => Inline::Link {
                url,
                children: normalize(children),
            },
            other => other,
        };
        // Leading/trailing spaces of a formatted run go outside it.
        let (lead, i, trail) = match i {
            Inline::Strong(c) => split_spaces(c, Inline::Strong),
            Inline::Emph(c) => split_spaces(c, Inline::Emph),
            Inline::Strike(c) => split_spaces(c, Inline::Strike),
            other => (String::new(), Some(other), String::new()),
        };
        if !lead.is_empty() {
            push_text(&mut out, &lead);
        }
        // `**a** **b**`: two runs of one style parted by a space are one.
        let i = match (i, out.as_slice()) {
            (Some(Inline::Strong(b)), [.., Inline::Strong(_), Inline::Text(sp)])
                if !sp.is_empty() && sp.trim().is_empty() =>
            {
                let Some(Inline::Text(sp)) = out.pop() else {
                    unreachable!()
                };
                if let Some(Inline::Strong(a)) = out.last_mut() {
                    a.push(Inline::Text(sp));
                    a.extend(b);
                }
                None
            }
            (i, _) => i,
        };
        if let Some(i) = i {
            match (out.last_mut(), i) {
                (_, Inline::Text(t)) => push_text(&mut out, &t),
                (Some(Inline::Strong(a)), Inline::Strong(b)) => {
                    a.extend(b);
                    let merged = normalize(std::mem::take(a));
                    *a = merged;
                }
                (Some(Inline::Emph(a)), Inline::Emph(b)) => {
                    a.extend(b);
                    let merged = normalize(std::mem::take(a));
                    *a = merged;
                }
                (Some(Inline::Code(a)), Inline::Code(b)) => a.push_str(&b),
                (Some(Inline::Link { url: ua, children: a }), Inline::Link { url: ub, children: b }) if *ua == ub => {
                    a.extend(b);
                    let merged = normalize(std::mem::take(a));
                    *a = merged;
                }
                (_, Inline::Code(c)) if c.is_empty() => {}
                (_, Inline::Kbd(c)) if c.trim().is_empty() => push_text(&mut out, &c),
                (_, other) => out.push(other),
            }
        }
        if !trail.is_empty() {
            push_text(&mut out, &trail);
        }
    }
    out
}

fn push_text(out: &mut Vec<Inline>, t: &str) {
    if t.is_empty() {
        return;
    }
    if let Some(Inline::Text(prev)) = out.last_mut() {
        prev.push_str(t);
    } else {
        out.push(Inline::Text(t.to_string()));
    }
}

fn split_spaces(mut c: Vec<Inline>, wrap: fn(Vec<Inline>) -> Inline) -> (String, Option<Inline>, String) {
    let mut lead = String::new();
    let mut trail = String::new();
    if let Some(Inline::Text(t)) = c.first_mut() {
        let trimmed = t.trim_start().to_string();
        lead = t[..t.len() - trimmed.len()].to_string();
        *t = trimmed;
    }
    if let Some(Inline::Text(t)) = c.last_mut() {
        let trimmed = t.trim_end().to_string();
        trail = t[trimmed.len()..].to_string();
        *t = trimmed;
    }
    c.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
    if c.is_empty() {
        (format!("{lead}{trail}"), None, String::new())
    } else {
        (lead, Some(wrap(c)), trail)
    }
}

/// True when the inlines show nothing (no text, no image).
pub fn is_blank(inl: &[Inline]) -> bool {
    inl.iter().all(|i| match i {
        Inline::Text(t) => t.trim().is_empty(),
        Inline::Break => true,
        Inline::Strong(c) | Inline::Emph(c) | Inline::Strike(c) => is_blank(c),
        _ => false,
    })
}

/// Trims a paragraph: spaces and line breaks at its ends mean nothing in Markdown.
pub fn trim_inlines(mut inl: Vec<Inline>) -> Vec<Inline> {
    while matches!(inl.first(), Some(Inline::Break)) {
        inl.remove(0);
    }
    while matches!(inl.last(), Some(Inline::Break)) {
        inl.pop();
    }
    if let Some(Inline::Text(t)) = inl.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline::Text(t)) = inl.last_mut() {
        *t = t.trim_end().to_string();
    }
    inl.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
    inl
}

/// Writes Markdown. Footnotes are numbered in order and written at the end.
pub struct Writer {
    notes: Vec<String>,
}

impl Writer {
    pub fn new() -> Self {
        Writer { notes: Vec::new() }
    }

    pub fn write(mut self, blocks: &[Block]) -> String {
        let mut out = self.blocks(blocks);
        let notes = std::mem::take(&mut self.notes);
        for (i, n) in notes.iter().enumerate() {
            if i == 0 {
                // One blank line between the text and its notes.
                out.truncate(out.trim_end_matches('\n').len());
                out.push_str("\n\n");
            }
            let label = format!("[^{}]: ", i + 1);
            out.push_str(&label);
            out.push_str(&indent_rest(n.trim_end(), "    "));
            out.push('\n');
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }

    fn blocks(&mut self, blocks: &[Block]) -> String {
        let mut out = String::new();
        let mut prev_list: Option<bool> = None;
        for b in blocks {
            let text = self.block(b);
            if text.trim().is_empty() {
                continue;
            }
            // Two lists in a row would merge into one: a comment keeps them apart.
            if let (Block::List { ordered, .. }, Some(p)) = (b, prev_list) {
                if p == *ordered {
                    out.push_str("<!-- -->\n\n");
                }
            }
            prev_list = match b {
                Block::List { ordered, .. } => Some(*ordered),
                _ => None,
            };
            out.push_str(&text);
            if !text.ends_with('\n') {
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }

    fn block(&mut self, b: &Block) -> String {
        match b {
            Block::Heading(level, inl) => {
                let text = self.inlines(inl).replace('\n', " ");
                format!("{} {}", "#".repeat((*level).clamp(1, 6) as usize), text.trim())
            }
            Block::Para(inl) => {
                let text = self.inlines(inl);
                escape_line_starts(&text)
            }
            Block::Code(code) => {
                let mut fence = "```".to_string();
                while code.contains(&fence) {
                    fence.push('`');
                }
                format!("{fence}\n{}\n{fence}", code.trim_end_matches('\n'))
            }
            Block::Rule => "---".to_string(),
            Block::Quote(inner) => prefix_lines(self.blocks(inner).trim_end(), "> "),
            Block::Callout(kind, inner) => {
                format!("> [!{kind}]\n{}", prefix_lines(self.blocks(inner).trim_end(), "> "))
            }
            Block::List { ordered, start, items } => {
                let mut out = String::new();
                let loose = items
                    .iter()
                    .any(|it| it.iter().filter(|b| !matches!(b, Block::List { .. })).count() > 1);
                for (n, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}. ", *start as usize + n)
                    } else {
                        "- ".to_string()
                    };
                    let pad = " ".repeat(marker.len());
                    let body = if loose {
                        self.blocks(item)
                    } else {
                        // Tight: paragraphs and sub-lists without blank lines between.
                        let mut s = String::new();
                        for b in item {
                            let t = self.block(b);
                            if t.trim().is_empty() {
                                continue;
                            }
                            s.push_str(&t);
                            s.push('\n');
                        }
                        s
                    };
                    let body = body.trim_end();
                    out.push_str(&marker);
                    if body.is_empty() {
                        out.push('\n');
                    } else {
                        out.push_str(&indent_rest(body, &pad));
                        out.push('\n');
                    }
                    if loose && n + 1 < items.len() {
                        out.push('\n');
                    }
                }
                out
            }
            Block::Table(rows) => self.table(rows),
        }
    }

    fn table(&mut self, rows: &[Vec<Vec<Block>>]) -> String {
        let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
        if width == 0 {
            return String::new();
        }
        let mut out = String::new();
        for (i, row) in rows.iter().enumerate() {
            out.push('|');
            for c in 0..width {
                let cell = row.get(c).map(|b| self.cell(b)).unwrap_or_default();
                let _ = write!(out, " {} |", cell);
            }
            out.push('\n');
            if i == 0 {
                out.push('|');
                for _ in 0..width {
                    out.push_str("---|");
                }
                out.push('\n');
            }
        }
        out
    }

    /// A cell of a pipe table holds one line: paragraphs and list items are
    /// joined with `<br>`.
    fn cell(&mut self, blocks: &[Block]) -> String {
        let mut parts = Vec::new();
        for b in blocks {
            match b {
                Block::Para(i) | Block::Heading(_, i) => parts.push(self.inlines(i)),
                Block::List { ordered, start, items } => {
                    for (n, it) in items.iter().enumerate() {
                        let mut s = String::new();
                        for b in it {
                            s.push_str(&self.cell(std::slice::from_ref(b)));
                        }
                        parts.push(if *ordered {
                            format!("{}. {s}", *start as usize + n)
                        } else {
                            format!("• {s}")
                        });
                    }
                }
                Block::Code(c) => parts.push(format!("`{}`", c.replace('\n', " "))),
                Block::Quote(b) | Block::Callout(_, b) => parts.push(self.cell(b)),
                Block::Table(_) | Block::Rule => {}
            }
        }
        parts
            .join("<br>")
            .replace("\\\n", "<br>")
            .replace('\n', " ")
            .replace('|', "\\|")
            .replace("\\\\|", "\\|")
    }

    fn inlines(&mut self, inl: &[Inline]) -> String {
        let mut out = String::new();
        for i in inl {
            match i {
                Inline::Text(t) => out.push_str(&escape_text(t)),
                Inline::Strong(c) => {
                    let _ = write!(out, "**{}**", self.inlines(c));
                }
                Inline::Emph(c) => {
                    let _ = write!(out, "*{}*", self.inlines(c));
                }
                Inline::Strike(c) => {
                    let _ = write!(out, "~~{}~~", self.inlines(c));
                }
                Inline::Code(c) => out.push_str(&code_span(c)),
                Inline::Kbd(k) => {
                    let _ = write!(out, "<kbd>{}</kbd>", html_escape(k));
                }
                Inline::Link { url, children } => {
                    let text = self.inlines(children);
                    let _ = write!(out, "[{}]({})", text, link_dest(url));
                }
                Inline::Image { src, alt } => {
                    let _ = write!(out, "![{}]({})", escape_text(alt), link_dest(src));
                }
                Inline::Note(blocks) => {
                    let text = self.blocks(blocks);
                    self.notes.push(text);
                    let _ = write!(out, "[^{}]", self.notes.len());
                }
                Inline::Break => out.push_str("\\\n"),
            }
        }
        out
    }
}

impl Default for Writer {
    fn default() -> Self {
        Self::new()
    }
}

fn indent_rest(s: &str, pad: &str) -> String {
    let mut out = String::new();
    for (i, line) in s.lines().enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(pad);
            }
        }
        out.push_str(line);
    }
    out
}

fn prefix_lines(s: &str, prefix: &str) -> String {
    s.lines()
        .map(|l| {
            if l.is_empty() {
                prefix.trim_end().to_string()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn code_span(c: &str) -> String {
    let mut ticks = "`".to_string();
    while c.contains(&ticks) {
        ticks.push('`');
    }
    let pad =
        if c.starts_with('`') || c.ends_with('`') || (c.starts_with(' ') && c.ends_with(' ') && !c.trim().is_empty()) {
            " "
        } else {
            ""
        };
    format!("{ticks}{pad}{c}{pad}{ticks}")
}

fn link_dest(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

/// Escapes what Markdown would read as markup inside a line of text.
pub fn escape_text(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let chars: Vec<char> = t.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '*' | '_' | '[' | ']' | '`' | '|' | '~' => {
                // An underscore inside a word is literal; keep `nom_prenom` readable.
                let inner = c == '_'
                    && i > 0
                    && chars[i - 1].is_alphanumeric()
                    && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
                if !inner {
                    out.push('\\');
                }
                out.push(c);
            }
            '<' => {
                if chars
                    .get(i + 1)
                    .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'))
                {
                    out.push('\\');
                }
                out.push(c);
            }
            '&' => {
                // Only what could read as an entity: `&amp;`, `&#39;`.
                let rest: String = chars[i + 1..].iter().take(12).collect();
                let entity = rest.starts_with('#')
                    || rest.split(';').next().is_some_and(|w| {
                        rest.contains(';') && !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric())
                    });
                if entity {
                    out.push('\\');
                }
                out.push(c);
            }
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// What would start a heading, quote, list or rule at the start of a line.
fn escape_line_starts(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        let lead = &line[..line.len() - trimmed.len()];
        out.push_str(lead);
        let first = trimmed.chars().next();
        let needs = match first {
            Some('#' | '>' | '=') => true,
            Some('-' | '+') => {
                trimmed.len() == 1 || trimmed[1..].starts_with(' ') || trimmed.chars().all(|c| c == '-' || c == ' ')
            }
            Some(d) if d.is_ascii_digit() => {
                let digits: String = trimmed.chars().take_while(|c| c.is_ascii_digit()).collect();
                let rest = &trimmed[digits.len()..];
                digits.len() <= 9 && (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")")
            }
            _ => false,
        };
        if needs {
            if let Some(d) = first.filter(|c| c.is_ascii_digit()) {
                // `1. ` → `1\. `
                let digits: String = trimmed.chars().take_while(|c| c.is_ascii_digit()).collect();
                let _ = d;
                out.push_str(&digits);
                out.push('\\');
                out.push_str(&trimmed[digits.len()..]);
                continue;
            }
            out.push('\\');
        }
        out.push_str(trimmed);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_merge_and_spaces_leave_emphasis() {
        let inl = normalize(vec![
            Inline::Text("Cliquez ".into()),
            Inline::Strong(vec![Inline::Text("Ouvrir ".into())]),
            Inline::Strong(vec![Inline::Text("la file ".into())]),
            Inline::Text("puis".into()),
        ]);
        let md = Writer::new().write(&[Block::Para(inl)]);
        assert_eq!(md, "Cliquez **Ouvrir la file** puis\n");
    }

    #[test]
    fn escapes_markup_and_line_starts() {
        let md = Writer::new().write(&[Block::Para(vec![Inline::Text("1. *pas* une liste <b> & &amp;".into())])]);
        assert_eq!(md, "1\\. \\*pas\\* une liste \\<b> & \\&amp;\n");
        let md = Writer::new().write(&[Block::Para(vec![Inline::Text("# pas un titre".into())])]);
        assert_eq!(md, "\\# pas un titre\n");
    }

    #[test]
    fn ordered_list_keeps_start_and_nesting() {
        let md = Writer::new().write(&[Block::List {
            ordered: true,
            start: 3,
            items: vec![
                vec![
                    Block::Para(vec![Inline::Text("Trois".into())]),
                    Block::List {
                        ordered: false,
                        start: 1,
                        items: vec![vec![Block::Para(vec![Inline::Text("sous".into())])]],
                    },
                ],
                vec![Block::Para(vec![Inline::Text("Quatre".into())])],
            ],
        }]);
        assert_eq!(md, "3. Trois\n   - sous\n4. Quatre\n");
    }

    #[test]
    fn footnotes_at_the_end() {
        let md = Writer::new().write(&[Block::Para(vec![
            Inline::Text("Voir".into()),
            Inline::Note(vec![Block::Para(vec![Inline::Text("la note".into())])]),
        ])]);
        assert_eq!(md, "Voir[^1]\n\n[^1]: la note\n");
    }
}

/// A paragraph of a list as word processors store them: flat, with a level.
#[derive(Debug, Clone)]
pub struct FlatItem {
    pub level: usize,
    pub ordered: bool,
    pub start: u32,
    pub blocks: Vec<Block>,
}

/// Rebuilds nested lists from flat items (Word keeps only `ilvl`).
pub fn nest(items: &[FlatItem]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let (list, next) = nest_at(items, i, items[i].level);
        out.push(list);
        i = next;
    }
    out
}

fn nest_at(items: &[FlatItem], mut i: usize, level: usize) -> (Block, usize) {
    let ordered = items[i].ordered;
    let start = items[i].start;
    let mut list_items: Vec<Vec<Block>> = Vec::new();
    while i < items.len() && items[i].level >= level {
        let it = &items[i];
        if it.level == level {
            if !list_items.is_empty() && it.ordered != ordered {
                break;
            }
            list_items.push(it.blocks.clone());
            i += 1;
        } else {
            let (sub, next) = nest_at(items, i, it.level);
            match list_items.last_mut() {
                Some(last) => last.push(sub),
                None => list_items.push(vec![sub]),
            }
            i = next;
        }
    }
    (
        Block::List {
            ordered,
            start,
            items: list_items,
        },
        i,
    )
}

/// Text of inlines as written, spaces kept (code lines).
pub fn plain_keep_spaces(inl: &[Inline]) -> String {
    let mut s = String::new();
    for i in inl {
        match i {
            Inline::Text(t) | Inline::Code(t) | Inline::Kbd(t) => s.push_str(t),
            Inline::Strong(c) | Inline::Emph(c) | Inline::Strike(c) => s.push_str(&plain_keep_spaces(c)),
            Inline::Link { children, .. } => s.push_str(&plain_keep_spaces(children)),
            Inline::Break => s.push('\n'),
            Inline::Image { .. } | Inline::Note(_) => {}
        }
    }
    s
}
