//! Word documents (`.docx`, Office Open XML): `word/document.xml` with its
//! styles, numbering, relationships, footnotes and `docProps/core.xml`.

use super::doc::{self, Block, Doc, FlatItem, Inline};
use super::package::{element_text, is, Package};
use roxmltree::{Document, Node};
use std::collections::HashMap;

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const V: &str = "urn:schemas-microsoft-com:vml";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const CP: &str = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";

fn wattr<'a>(n: &Node<'a, 'a>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

fn child<'a>(n: &Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    n.children().find(|c| is(c, W, name))
}

/// `<w:b/>` is on, `<w:b w:val="false"/>` off.
fn toggle(n: Option<Node>) -> Option<bool> {
    n.map(|n| !matches!(wattr(&n, "val"), Some("false" | "0" | "off" | "none")))
}

#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num: Option<(String, usize)>,
    bold: Option<bool>,
    italic: Option<bool>,
    strike: Option<bool>,
    mono: bool,
}

#[derive(Debug, Clone, Copy)]
struct Level {
    ordered: bool,
    start: u32,
}

struct Reader<'p> {
    pkg: &'p mut Package,
    styles: HashMap<String, Style>,
    /// numId → levels (0…8).
    numbering: HashMap<String, Vec<Level>>,
    rels: HashMap<String, (String, bool)>,
    footnotes: HashMap<String, Vec<Block>>,
    endnotes: HashMap<String, Vec<Block>>,
    counters: HashMap<(String, usize), u32>,
    out: Doc,
}

enum Kind {
    Heading(u8),
    Code,
    Quote,
    Plain,
}

struct Para {
    kind: Kind,
    num: Option<(String, usize)>,
    inlines: Vec<Inline>,
}

enum Item {
    Para(Para),
    Block(Block),
}

pub fn read(pkg: &mut Package) -> Result<Doc, String> {
    let main = main_part(pkg)?;
    let document = pkg
        .text(&main)
        .map_err(|_| format!("ce n'est pas un document Word : `{main}` manque dans l'archive"))?;
    let document = Document::parse(&document).map_err(|e| format!("`{main}` illisible : {e}"))?;
    let dir = main.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
    let rels_name = format!("{dir}/_rels/{}.rels", main.rsplit('/').next().unwrap_or("document.xml"));
    let mut r = Reader {
        pkg,
        styles: HashMap::new(),
        numbering: HashMap::new(),
        rels: HashMap::new(),
        footnotes: HashMap::new(),
        endnotes: HashMap::new(),
        counters: HashMap::new(),
        out: Doc::default(),
    };
    if let Ok(t) = r.pkg.text(&rels_name) {
        if let Ok(d) = Document::parse(&t) {
            for rel in d.descendants().filter(|n| n.tag_name().name() == "Relationship") {
                let (Some(id), Some(target)) = (rel.attribute("Id"), rel.attribute("Target")) else {
                    continue;
                };
                let external = rel.attribute("TargetMode") == Some("External");
                let target = if external || target.starts_with('/') {
                    target.trim_start_matches('/').to_string()
                } else {
                    super::join_rel(&dir, target)
                };
                r.rels.insert(id.to_string(), (target, external));
            }
        }
    }
    if let Ok(t) = r.pkg.text(&format!("{dir}/styles.xml")) {
        if let Ok(d) = Document::parse(&t) {
            r.read_styles(d.root());
        }
    }
    if let Ok(t) = r.pkg.text(&format!("{dir}/numbering.xml")) {
        if let Ok(d) = Document::parse(&t) {
            r.read_numbering(d.root());
        }
    }
    if let Ok(t) = r.pkg.text("docProps/core.xml") {
        if let Ok(d) = Document::parse(&t) {
            r.read_core(d.root());
        }
    }
    for (part, endnote) in [("footnotes.xml", false), ("endnotes.xml", true)] {
        if let Ok(t) = r.pkg.text(&format!("{dir}/{part}")) {
            if let Ok(d) = Document::parse(&t) {
                let tag = if endnote { "endnote" } else { "footnote" };
                for n in d.root().descendants().filter(|n| is(n, W, tag)) {
                    if matches!(
                        wattr(&n, "type"),
                        Some("separator" | "continuationSeparator" | "continuationNotice")
                    ) {
                        continue;
                    }
                    let Some(id) = wattr(&n, "id") else { continue };
                    let blocks = r.body(n);
                    if endnote {
                        r.endnotes.insert(id.to_string(), blocks);
                    } else {
                        r.footnotes.insert(id.to_string(), blocks);
                    }
                }
            }
        }
    }
    let body = document
        .descendants()
        .find(|n| is(n, W, "body"))
        .ok_or_else(|| format!("`{main}` n'a pas de corps de texte"))?;
    let blocks = r.body(body);
    r.out.blocks = blocks;
    Ok(r.out)
}

/// The main part named by `[Content_Types].xml` / `_rels/.rels`, usually `word/document.xml`.
fn main_part(pkg: &mut Package) -> Result<String, String> {
    if let Ok(t) = pkg.text("_rels/.rels") {
        if let Ok(d) = Document::parse(&t) {
            for rel in d.descendants().filter(|n| n.tag_name().name() == "Relationship") {
                if rel.attribute("Type").is_some_and(|t| t.ends_with("/officeDocument")) {
                    if let Some(t) = rel.attribute("Target") {
                        return Ok(t.trim_start_matches('/').to_string());
                    }
                }
            }
        }
    }
    if pkg.has("word/document.xml") {
        Ok("word/document.xml".into())
    } else {
        Err("ce n'est pas un document Word (.docx) : aucune partie `word/document.xml`".into())
    }
}

impl Reader<'_> {
    fn read_styles(&mut self, root: Node) {
        for s in root.descendants().filter(|n| is(n, W, "style")) {
            let Some(id) = wattr(&s, "styleId") else { continue };
            let mut st = Style {
                name: child(&s, "name")
                    .and_then(|n| wattr(&n, "val"))
                    .unwrap_or(id)
                    .to_string(),
                based_on: child(&s, "basedOn").and_then(|n| wattr(&n, "val")).map(str::to_string),
                ..Default::default()
            };
            if let Some(ppr) = child(&s, "pPr") {
                st.outline = child(&ppr, "outlineLvl")
                    .and_then(|n| wattr(&n, "val"))
                    .and_then(|v| v.parse::<u8>().ok())
                    .filter(|l| *l < 9)
                    .map(|l| l + 1);
                if let Some(np) = child(&ppr, "numPr") {
                    let id = child(&np, "numId").and_then(|n| wattr(&n, "val")).unwrap_or("0");
                    let lvl = child(&np, "ilvl")
                        .and_then(|n| wattr(&n, "val"))
                        .and_then(|v| v.parse().ok());
                    st.num = Some((id.to_string(), lvl.unwrap_or(0)));
                }
            }
            if let Some(rpr) = child(&s, "rPr") {
                st.bold = toggle(child(&rpr, "b"));
                st.italic = toggle(child(&rpr, "i"));
                st.strike = toggle(child(&rpr, "strike"));
                st.mono = is_mono(&rpr);
            }
            self.styles.insert(id.to_string(), st);
        }
    }

    fn read_numbering(&mut self, root: Node) {
        let mut abstracts: HashMap<String, Vec<Level>> = HashMap::new();
        for a in root.descendants().filter(|n| is(n, W, "abstractNum")) {
            let Some(id) = wattr(&a, "abstractNumId") else { continue };
            abstracts.insert(id.to_string(), levels(a));
        }
        for n in root.descendants().filter(|n| is(n, W, "num")) {
            let Some(id) = wattr(&n, "numId") else { continue };
            let abs = child(&n, "abstractNumId").and_then(|a| wattr(&a, "val")).unwrap_or("");
            let mut lv = abstracts.get(abs).cloned().unwrap_or_else(|| {
                vec![
                    Level {
                        ordered: false,
                        start: 1
                    };
                    9
                ]
            });
            for o in n.children().filter(|c| is(c, W, "lvlOverride")) {
                let Some(i) = wattr(&o, "ilvl").and_then(|v| v.parse::<usize>().ok()) else {
                    continue;
                };
                if i >= lv.len() {
                    continue;
                }
                if let Some(s) = child(&o, "startOverride")
                    .and_then(|s| wattr(&s, "val"))
                    .and_then(|v| v.parse().ok())
                {
                    lv[i].start = s;
                }
                if let Some(l) = child(&o, "lvl") {
                    let one = levels_from(&[l]);
                    if let Some(x) = one.first() {
                        lv[i] = *x;
                    }
                }
            }
            self.numbering.insert(id.to_string(), lv);
        }
    }

    fn read_core(&mut self, root: Node) {
        let text = |ns: &str, name: &str| element_text(root, ns, name);
        let m = &mut self.out.meta;
        m.title = text(DC, "title");
        m.summary = text(DC, "description").or_else(|| text(DC, "subject"));
        m.keywords = text(CP, "keywords")
            .map(|k| super::split_keywords(&k))
            .unwrap_or_default();
        m.updated = text(DCTERMS, "modified")
            .or_else(|| text(DCTERMS, "created"))
            .and_then(|d| super::iso_date(&d));
    }

    fn chain(&self, id: Option<&str>) -> Vec<(String, Style)> {
        let mut out = Vec::new();
        let mut cur = id.map(str::to_string);
        while let Some(c) = cur {
            if out.len() > 20 {
                break;
            }
            let s = self.styles.get(&c).cloned().unwrap_or_else(|| Style {
                name: c.clone(),
                ..Default::default()
            });
            cur = s.based_on.clone();
            out.push((c, s));
        }
        out
    }

    /// Paragraphs, tables and content controls of a body, table cell or note.
    fn body(&mut self, parent: Node) -> Vec<Block> {
        let mut items: Vec<Item> = Vec::new();
        self.collect(parent, &mut items);
        self.assemble(items)
    }

    fn collect(&mut self, parent: Node, items: &mut Vec<Item>) {
        for n in parent.children().filter(|n| n.is_element()) {
            match (n.tag_name().namespace(), n.tag_name().name()) {
                (Some(W), "p") => {
                    let p = self.paragraph(n);
                    items.push(Item::Para(p));
                }
                (Some(W), "tbl") => {
                    let t = self.table(n);
                    items.push(Item::Block(t));
                }
                (Some(W), "sdt") => {
                    if let Some(c) = child(&n, "sdtContent") {
                        // A table of contents field: the site builds its own.
                        let is_toc = child(&n, "sdtPr")
                            .and_then(|p| p.descendants().find(|d| is(d, W, "docPartGallery")))
                            .and_then(|g| wattr(&g, "val"))
                            .is_some_and(|v| v.contains("Table of Contents"));
                        if is_toc {
                            self.out
                                .dropped
                                .add("table des matières ou index (le site a son propre sommaire)");
                        } else {
                            self.collect(c, items);
                        }
                    }
                }
                (Some(W), "customXml" | "ins" | "moveTo") => self.collect(n, items),
                (Some(W), "del" | "moveFrom") => self
                    .out
                    .dropped
                    .add("modification suivie (le texte est importé tel qu'il s'affiche, modifications acceptées)"),
                _ => {}
            }
        }
    }

    fn assemble(&mut self, items: Vec<Item>) -> Vec<Block> {
        let mut out: Vec<Block> = Vec::new();
        let mut list: Vec<FlatItem> = Vec::new();
        let mut list_num: Option<String> = None;
        let mut code: Option<String> = None;
        let mut i = 0;
        while i < items.len() {
            let (is_code, is_list) = match &items[i] {
                Item::Para(p) => (matches!(p.kind, Kind::Code), p.num.is_some()),
                _ => (false, false),
            };
            if !is_code {
                if let Some(c) = code.take() {
                    push_block(&mut out, &mut list, Block::Code(c));
                }
            }
            match &items[i] {
                Item::Para(p) if is_list => self.list_item(p, &mut out, &mut list, &mut list_num),
                Item::Para(p) if is_code => code_line(&items, i, p, &mut code, &mut list, list_num.as_deref()),
                Item::Para(p) => {
                    if doc::is_blank(&p.inlines) {
                        i += 1;
                        continue;
                    }
                    let b = para_block(p, p.inlines.clone());
                    // A paragraph between two items of the same list belongs to the item above.
                    let continues = !list.is_empty()
                        && !matches!(p.kind, Kind::Heading(_))
                        && next_num(&items, i + 1).as_deref() == list_num.as_deref();
                    if continues {
                        if let Some(last) = list.last_mut() {
                            last.blocks.push(b);
                        }
                    } else {
                        if !list.is_empty() {
                            out.extend(doc::nest(&list));
                            list.clear();
                            list_num = None;
                        }
                        match (b, out.last_mut()) {
                            (Block::Quote(mut q), Some(Block::Quote(prev))) => prev.append(&mut q),
                            (b, _) => out.push(b),
                        }
                    }
                }
                Item::Block(b) => {
                    let continues = !list.is_empty() && next_num(&items, i + 1).as_deref() == list_num.as_deref();
                    if continues {
                        if let Some(last) = list.last_mut() {
                            last.blocks.push(b.clone());
                        }
                    } else {
                        if !list.is_empty() {
                            out.extend(doc::nest(&list));
                            list.clear();
                            list_num = None;
                        }
                        out.push(b.clone());
                    }
                }
            }
            i += 1;
        }
        if let Some(c) = code.take() {
            push_block(&mut out, &mut list, Block::Code(c));
        }
        if !list.is_empty() {
            out.extend(doc::nest(&list));
        }
        out
    }

    /// A numbered paragraph: an item of the flat list, a new list when its
    /// numbering changes, numbered as Word counts it.
    fn list_item(&mut self, p: &Para, out: &mut Vec<Block>, list: &mut Vec<FlatItem>, list_num: &mut Option<String>) {
        let (num, lvl) = p.num.clone().unwrap_or_default();
        let levels = self.numbering.get(&num).cloned().unwrap_or_default();
        let level = levels.get(lvl).copied().unwrap_or(Level {
            ordered: true,
            start: 1,
        });
        if list_num.as_deref() != Some(num.as_str()) && !list.is_empty() {
            out.extend(doc::nest(list));
            list.clear();
        }
        // Word keeps counting a list across interruptions (same numId).
        let key = (num.clone(), lvl);
        let count = self.counters.get(&key).copied().unwrap_or(0);
        self.counters.insert(key, count + 1);
        for deeper in lvl + 1..9 {
            self.counters.remove(&(num.clone(), deeper));
        }
        let start = if list.iter().any(|f| f.level == lvl + 1) {
            level.start
        } else {
            level.start + count
        };
        let inl = p.inlines.clone();
        list.push(FlatItem {
            level: lvl + 1,
            ordered: level.ordered,
            start,
            blocks: if doc::is_blank(&inl) {
                vec![]
            } else {
                vec![para_block(p, inl)]
            },
        });
        *list_num = Some(num);
    }

    fn table(&mut self, t: Node) -> Block {
        let mut rows = Vec::new();
        for tr in t.children().filter(|c| is(c, W, "tr")) {
            let mut cells = Vec::new();
            for tc in tr.children().filter(|c| is(c, W, "tc") || is(c, W, "sdt")) {
                let tc = if is(&tc, W, "sdt") {
                    match child(&tc, "sdtContent").and_then(|c| child(&c, "tc")) {
                        Some(c) => c,
                        None => continue,
                    }
                } else {
                    tc
                };
                let span: usize = child(&tc, "tcPr")
                    .and_then(|p| child(&p, "gridSpan"))
                    .and_then(|g| wattr(&g, "val"))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                let merged = child(&tc, "tcPr")
                    .and_then(|p| child(&p, "vMerge"))
                    .is_some_and(|m| wattr(&m, "val") != Some("restart"));
                let blocks = if merged { Vec::new() } else { self.body(tc) };
                cells.push(blocks);
                for _ in 1..span.min(50) {
                    cells.push(Vec::new());
                }
            }
            rows.push(cells);
        }
        Block::Table(rows)
    }

    fn paragraph(&mut self, p: Node) -> Para {
        let ppr = child(&p, "pPr");
        let style = ppr.and_then(|pp| child(&pp, "pStyle")).and_then(|s| wattr(&s, "val"));
        let chain = self.chain(style);
        let mut kind = Kind::Plain;
        let direct_outline = ppr
            .and_then(|pp| child(&pp, "outlineLvl"))
            .and_then(|n| wattr(&n, "val"))
            .and_then(|v| v.parse::<u8>().ok())
            .filter(|l| *l < 9);
        if let Some(l) = direct_outline {
            kind = Kind::Heading(l + 1);
        } else {
            for (id, s) in &chain {
                let name = s.name.to_ascii_lowercase();
                let idl = id.to_ascii_lowercase();
                if name == "title" || idl == "title" {
                    kind = Kind::Heading(1);
                    break;
                }
                if let Some(l) = s.outline {
                    kind = Kind::Heading(l.min(6));
                    break;
                }
                if let Some(l) = name
                    .strip_prefix("heading ")
                    .or_else(|| idl.strip_prefix("heading"))
                    .or_else(|| idl.strip_prefix("titre"))
                    .and_then(|d| d.trim().parse::<u8>().ok())
                {
                    kind = Kind::Heading(l.clamp(1, 6));
                    break;
                }
                if name.contains("preformatted") || name == "code" || name == "source code" || name == "plain text" {
                    kind = Kind::Code;
                    break;
                }
                if matches!(
                    name.as_str(),
                    "quote" | "quotations" | "block text" | "intense quote" | "citation"
                ) {
                    kind = Kind::Quote;
                    break;
                }
            }
        }
        // Numbering: on the paragraph, else from its style ("List Number").
        let mut num = ppr.and_then(|pp| child(&pp, "numPr")).map(|np| {
            let id = child(&np, "numId")
                .and_then(|n| wattr(&n, "val"))
                .unwrap_or("0")
                .to_string();
            let lvl = child(&np, "ilvl")
                .and_then(|n| wattr(&n, "val"))
                .and_then(|v| v.parse().ok());
            let inherited = chain.iter().find_map(|(_, s)| s.num.as_ref().map(|(_, l)| *l));
            (id, lvl.or(inherited).unwrap_or(0))
        });
        if num.is_none() {
            num = chain.iter().find_map(|(_, s)| s.num.clone());
        }
        if num.is_none() {
            // A list style without numbering definitions (a copy-pasted style): by its name.
            for (_, s) in &chain {
                let n = s.name.to_ascii_lowercase();
                let lvl = n.rsplit(' ').next().and_then(|d| d.parse::<usize>().ok()).unwrap_or(1);
                let id = if n.starts_with("list number") || n.starts_with("liste numéro") {
                    Some("#ordered")
                } else if n.starts_with("list bullet") || n.starts_with("liste à puces") {
                    Some("#bullet")
                } else {
                    None
                };
                if let Some(id) = id {
                    num = Some((id.to_string(), lvl.saturating_sub(1)));
                    break;
                }
            }
        }
        if num.as_ref().is_some_and(|(id, _)| id == "0") || matches!(kind, Kind::Heading(_)) {
            num = None;
        }
        if let Some((id, _)) = &num {
            if id.starts_with('#') && !self.numbering.contains_key(id) {
                let ordered = id == "#ordered";
                self.numbering.insert(id.clone(), vec![Level { ordered, start: 1 }; 9]);
            }
        }
        let mut inl = Vec::new();
        let mut fields: Vec<Field> = Vec::new();
        self.runs(p, &mut inl, &mut fields);
        while let Some(f) = fields.pop() {
            let target = match fields.last_mut() {
                Some(outer) => &mut outer.result,
                None => &mut inl,
            };
            target.extend(f.result);
        }
        let inl = if matches!(kind, Kind::Code) {
            inl
        } else {
            doc::trim_inlines(doc::normalize(inl))
        };
        Para {
            kind,
            num,
            inlines: inl,
        }
    }

    fn runs(&mut self, parent: Node, out: &mut Vec<Inline>, fields: &mut Vec<Field>) {
        for n in parent.children().filter(|n| n.is_element()) {
            if n.tag_name().namespace() != Some(W) {
                continue;
            }
            match n.tag_name().name() {
                "r" => self.run(n, out, fields),
                "hyperlink" => {
                    let mut children = Vec::new();
                    self.runs(n, &mut children, fields);
                    let url = if let Some(id) = n.attribute((R, "id")) {
                        self.rels.get(id).map(|(t, _)| t.clone()).unwrap_or_default()
                    } else if let Some(a) = wattr(&n, "anchor") {
                        format!("#{a}")
                    } else {
                        String::new()
                    };
                    let url = match wattr(&n, "anchor") {
                        Some(a) if n.attribute((R, "id")).is_some() => format!("{url}#{a}"),
                        _ => url,
                    };
                    push(
                        out,
                        fields,
                        if url.is_empty() {
                            children
                        } else {
                            vec![Inline::Link { url, children }]
                        },
                    );
                }
                "ins" | "moveTo" => {
                    self.out
                        .dropped
                        .add("modification suivie (le texte est importé tel qu'il s'affiche, modifications acceptées)");
                    self.runs(n, out, fields);
                }
                "del" | "moveFrom" => self
                    .out
                    .dropped
                    .add("modification suivie (le texte est importé tel qu'il s'affiche, modifications acceptées)"),
                "smartTag" | "customXml" | "bdo" | "dir" => self.runs(n, out, fields),
                "sdt" => {
                    if let Some(c) = child(&n, "sdtContent") {
                        self.runs(c, out, fields);
                    }
                }
                "fldSimple" => {
                    let mut children = Vec::new();
                    self.runs(n, &mut children, fields);
                    let instr = wattr(&n, "instr").unwrap_or("");
                    push(out, fields, field_result(instr, children));
                }
                _ => {}
            }
        }
    }

    fn run(&mut self, r: Node, out: &mut Vec<Inline>, fields: &mut Vec<Field>) {
        let rpr = child(&r, "rPr");
        let rstyle = rpr.and_then(|p| child(&p, "rStyle")).and_then(|s| wattr(&s, "val"));
        let chain = self.chain(rstyle);
        let has = |names: &[&str]| {
            chain.iter().any(|(id, s)| {
                names
                    .iter()
                    .any(|n| id.eq_ignore_ascii_case(n) || s.name.eq_ignore_ascii_case(n))
            })
        };
        let direct = |name: &str| toggle(rpr.and_then(|p| child(&p, name)));
        let from_style = |f: fn(&Style) -> Option<bool>| chain.iter().find_map(|(_, s)| f(s));
        let bold = direct("b").or_else(|| from_style(|s| s.bold)).unwrap_or(false)
            || has(&["Strong", "StrongEmphasis", "Strong Emphasis"]);
        let italic = direct("i").or_else(|| from_style(|s| s.italic)).unwrap_or(false) || has(&["Emphasis"]);
        let strike = direct("strike").or_else(|| from_style(|s| s.strike)).unwrap_or(false);
        let kbd = has(&["UserEntry", "User Entry", "HTMLKeyboard", "HTML Keyboard"]);
        let code = !kbd
            && (has(&[
                "SourceText",
                "Source Text",
                "HTMLCode",
                "HTML Code",
                "VerbatimChar",
                "Verbatim Char",
            ]) || rpr.is_some_and(|p| is_mono(&p))
                || chain.iter().any(|(_, s)| s.mono));
        let mut content: Vec<Inline> = Vec::new();
        for c in r.children().filter(|c| c.is_element()) {
            if c.tag_name().namespace() != Some(W) {
                if c.tag_name().name() == "AlternateContent" {
                    self.alternate(c, &mut content);
                }
                continue;
            }
            match c.tag_name().name() {
                "t" => {
                    if fields.last().is_some_and(|f| f.in_instr) {
                        continue;
                    }
                    content.push(Inline::Text(c.text().unwrap_or("").to_string()));
                }
                "instrText" => {
                    if let Some(f) = fields.last_mut() {
                        f.instr.push_str(c.text().unwrap_or(""));
                    }
                }
                "fldChar" => {
                    flush(&mut content, out, fields, bold, italic, strike, code, kbd);
                    match wattr(&c, "fldCharType") {
                        Some("begin") => fields.push(Field {
                            instr: String::new(),
                            in_instr: true,
                            result: Vec::new(),
                        }),
                        Some("separate") => {
                            if let Some(f) = fields.last_mut() {
                                f.in_instr = false;
                            }
                        }
                        Some("end") => {
                            if let Some(f) = fields.pop() {
                                let res = field_result(&f.instr, f.result);
                                push(out, fields, res);
                            }
                        }
                        _ => {}
                    }
                }
                "tab" | "ptab" => content.push(Inline::Text(if code { "\t" } else { " " }.into())),
                "br" if !matches!(wattr(&c, "type"), Some("page" | "column")) => content.push(Inline::Break),
                "cr" => content.push(Inline::Break),
                "noBreakHyphen" => content.push(Inline::Text("-".into())),
                "sym" => content.push(Inline::Text(
                    wattr(&c, "char")
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                        .filter(|c| !('\u{F000}'..='\u{F0FF}').contains(c))
                        .map(String::from)
                        .unwrap_or_default(),
                )),
                "drawing" => self.drawing(c, &mut content),
                "pict" => self.pict(c, &mut content),
                "object" => self.out.dropped.add("objet incorporé (formule, graphique, tableur…)"),
                "footnoteReference" | "endnoteReference" => {
                    let id = wattr(&c, "id").unwrap_or("");
                    let notes = if c.tag_name().name() == "footnoteReference" {
                        &self.footnotes
                    } else {
                        &self.endnotes
                    };
                    if let Some(b) = notes.get(id) {
                        content.push(Inline::Note(b.clone()));
                    }
                }
                "commentReference" => self.out.dropped.add("commentaire"),
                _ => {}
            }
        }
        flush(&mut content, out, fields, bold, italic, strike, code, kbd);
    }

    fn alternate(&mut self, ac: Node, content: &mut Vec<Inline>) {
        // Text boxes and shapes come as a choice between DrawingML and VML.
        let choice = ac.children().find(|c| c.is_element());
        if let Some(ch) = choice {
            for d in ch.children().filter(|c| is(c, W, "drawing")) {
                self.drawing(d, content);
            }
        }
    }

    fn drawing(&mut self, d: Node, content: &mut Vec<Inline>) {
        if d.descendants()
            .any(|n| n.tag_name().name() == "txbx" || n.tag_name().name() == "textbox")
        {
            self.out.dropped.add("zone de texte");
            return;
        }
        let doc_pr = d.descendants().find(|n| is(n, WP, "docPr"));
        let alt = doc_pr
            .and_then(|p| {
                p.attribute("descr")
                    .filter(|s| !s.trim().is_empty())
                    .or_else(|| p.attribute("title"))
            })
            .unwrap_or("")
            .trim()
            .to_string();
        let Some(blip) = d.descendants().find(|n| is(n, A, "blip")) else {
            if d.descendants().any(|n| n.tag_name().name() == "chart") {
                self.out.dropped.add("objet incorporé (formule, graphique, tableur…)");
            } else {
                self.out.dropped.add("dessin ou forme (non importé)");
            }
            return;
        };
        // An SVG picture carries a PNG fallback; the SVG is the original.
        let svg = blip
            .descendants()
            .find(|n| n.tag_name().name() == "svgBlip")
            .and_then(|s| s.attribute((R, "embed")));
        let id = svg
            .or_else(|| blip.attribute((R, "embed")))
            .or_else(|| blip.attribute((R, "link")));
        self.image(id, alt, content);
    }

    fn pict(&mut self, p: Node, content: &mut Vec<Inline>) {
        if p.descendants().any(|n| is(&n, V, "textbox")) {
            self.out.dropped.add("zone de texte");
            return;
        }
        match p.descendants().find(|n| is(n, V, "imagedata")) {
            Some(img) => {
                let alt = p
                    .descendants()
                    .find(|n| is(n, V, "shape"))
                    .and_then(|s| s.attribute("alt"))
                    .or_else(|| img.attribute("title"))
                    .unwrap_or("")
                    .to_string();
                self.image(img.attribute((R, "id")), alt, content);
            }
            None => self.out.dropped.add("dessin ou forme (non importé)"),
        }
    }

    fn image(&mut self, id: Option<&str>, alt: String, content: &mut Vec<Inline>) {
        let Some((target, external)) = id.and_then(|i| self.rels.get(i)).cloned() else {
            self.out.dropped.add("image introuvable dans le document");
            return;
        };
        if external {
            if super::is_external(&target) {
                content.push(Inline::Image { src: target, alt });
            } else {
                self.out
                    .dropped
                    .add("image liée à un fichier extérieur au document (non incluse)");
            }
            return;
        }
        match self.pkg.bytes(&target) {
            Ok(b) => {
                self.out.media.push((target.clone(), b));
                content.push(Inline::Image { src: target, alt });
            }
            Err(_) => self.out.dropped.add("image introuvable dans le document"),
        }
    }
}

struct Field {
    instr: String,
    in_instr: bool,
    result: Vec<Inline>,
}

/// `HYPERLINK "https://…"` or `HYPERLINK \l "signet"` becomes a link; other
/// fields (page numbers, dates) keep their displayed result.
fn field_result(instr: &str, result: Vec<Inline>) -> Vec<Inline> {
    let t = instr.trim();
    if let Some(rest) = t.strip_prefix("HYPERLINK") {
        let local = rest.contains("\\l");
        let url = rest.split('"').nth(1).unwrap_or("").to_string();
        if !url.is_empty() {
            let url = if local { format!("#{url}") } else { url };
            return vec![Inline::Link { url, children: result }];
        }
    }
    result
}

fn push(out: &mut Vec<Inline>, fields: &mut [Field], inl: Vec<Inline>) {
    match fields.last_mut() {
        Some(f) if !f.in_instr => f.result.extend(inl),
        Some(_) => {}
        None => out.extend(inl),
    }
}

#[allow(clippy::too_many_arguments)]
fn flush(
    content: &mut Vec<Inline>,
    out: &mut Vec<Inline>,
    fields: &mut [Field],
    bold: bool,
    italic: bool,
    strike: bool,
    code: bool,
    kbd: bool,
) {
    if content.is_empty() {
        return;
    }
    let inner = std::mem::take(content);
    let wrapped = if kbd {
        vec![Inline::Kbd(doc::plain(&inner))]
    } else if code && inner.iter().all(|i| matches!(i, Inline::Text(_))) {
        vec![Inline::Code(doc::plain_keep_spaces(&inner))]
    } else {
        let mut inl = inner;
        if strike {
            inl = vec![Inline::Strike(inl)];
        }
        if italic {
            inl = vec![Inline::Emph(inl)];
        }
        if bold {
            inl = vec![Inline::Strong(inl)];
        }
        inl
    };
    push(out, fields, wrapped);
}

/// A code paragraph: a line of the code block being gathered, which stays in
/// the list item above when the list goes on after it.
fn code_line(
    items: &[Item],
    i: usize,
    p: &Para,
    code: &mut Option<String>,
    list: &mut [FlatItem],
    list_num: Option<&str>,
) {
    let line = doc::plain_keep_spaces(&p.inlines);
    let c = code.get_or_insert_with(String::new);
    if !c.is_empty() || !line.is_empty() {
        if !c.is_empty() {
            c.push('\n');
        }
        c.push_str(&line);
    }
    // A code block inside a list item stays in it when the list goes on.
    if !list.is_empty() && next_num(items, i + 1).as_deref() == list_num {
        if let Some(Item::Para(n)) = items.get(i + 1) {
            if !matches!(n.kind, Kind::Code) {
                let c = code.take().unwrap_or_default();
                if let Some(last) = list.last_mut() {
                    last.blocks.push(Block::Code(c));
                }
            }
        }
    }
}

/// The numbering of the next list item from `from`, blank paragraphs skipped;
/// `Some("")` when something else comes first.
fn next_num(items: &[Item], from: usize) -> Option<String> {
    items[from..].iter().find_map(|i| match i {
        Item::Para(p) if p.num.is_some() => p.num.as_ref().map(|(n, _)| n.clone()),
        Item::Para(p) if doc::is_blank(&p.inlines) => None,
        _ => Some(String::new()),
    })
}

fn push_block(out: &mut Vec<Block>, list: &mut Vec<FlatItem>, b: Block) {
    if !list.is_empty() {
        out.extend(doc::nest(list));
        list.clear();
    }
    out.push(b);
}

fn para_block(p: &Para, inl: Vec<Inline>) -> Block {
    match p.kind {
        Kind::Heading(l) => Block::Heading(l, inl),
        Kind::Quote => Block::Quote(vec![Block::Para(inl)]),
        _ => Block::Para(inl),
    }
}

fn is_mono(rpr: &Node) -> bool {
    child(rpr, "rFonts")
        .and_then(|f| wattr(&f, "ascii").or_else(|| wattr(&f, "hAnsi")))
        .map(|f| {
            let f = f.to_ascii_lowercase();
            f.contains("mono") || f.contains("courier") || f.contains("consolas")
        })
        .unwrap_or(false)
}

fn levels(abs: Node) -> Vec<Level> {
    let lvls: Vec<Node> = abs.children().filter(|c| is(c, W, "lvl")).collect();
    let mut out = vec![
        Level {
            ordered: false,
            start: 1
        };
        9
    ];
    for l in lvls {
        let Some(i) = wattr(&l, "ilvl").and_then(|v| v.parse::<usize>().ok()) else {
            continue;
        };
        if i < 9 {
            if let Some(x) = levels_from(&[l]).first() {
                out[i] = *x;
            }
        }
    }
    out
}

fn levels_from(lvls: &[Node]) -> Vec<Level> {
    lvls.iter()
        .map(|l| {
            let fmt = child(l, "numFmt").and_then(|f| wattr(&f, "val")).unwrap_or("decimal");
            let start = child(l, "start")
                .and_then(|s| wattr(&s, "val"))
                .and_then(|v| v.parse().ok())
                .unwrap_or(1);
            Level {
                ordered: !matches!(fmt, "bullet" | "none"),
                start,
            }
        })
        .collect()
}
