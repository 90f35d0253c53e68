//! `fiches import`: a school's existing procedures (LibreOffice `.odt`, Word
//! `.docx`, HTML pages, Markdown, mdBook / MkDocs / VuePress folders) become
//! sheets. Each reader produces a [`doc::Doc`]; this module names the sheets,
//! rewrites links between imported documents, saves images into `static/`,
//! fills the front matter and writes only new files, then reports.

pub mod doc;
pub mod docx;
pub mod html;
pub mod markdown;
pub mod odt;
pub mod package;
pub mod report;
pub mod sites;

use crate::slug::slugify;
use doc::{Block, Doc, Inline};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub use report::{FileReport, Status, Summary};

pub struct Options {
    /// Every document goes into this category (else: folders, SUMMARY.md, nav).
    pub category: Option<String>,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Odt,
    Docx,
    Html,
    Markdown,
}

impl Format {
    pub fn of(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "odt" | "fodt" => Some(Format::Odt),
            "docx" | "docm" => Some(Format::Docx),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// One document to import, and where it goes.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub format: Format,
    /// Category id (`wifi`, `reseau/wifi`).
    pub category: String,
    pub weight: Option<i64>,
    /// Title given by a table of contents (SUMMARY.md, nav), used when the
    /// document has none.
    pub nav_title: Option<String>,
    /// Folder that absolute links (`/guide/page.html`) start from.
    pub site_root: PathBuf,
}

/// A category to create (`_index.md`) when its folder is new.
#[derive(Debug, Clone)]
pub struct CategoryPlan {
    pub id: String,
    pub title: String,
    pub weight: Option<i64>,
}

#[derive(Debug, Default)]
pub struct Plan {
    pub sources: Vec<Source>,
    pub categories: Vec<CategoryPlan>,
    /// Notes about the inputs themselves (a folder without documents…).
    pub notes: Vec<String>,
}

const IMPORTABLE: &str = ".odt, .docx, .html, .md";

pub fn run(root: &Path, inputs: &[PathBuf], opts: &Options) -> Result<Summary, String> {
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(format!(
            "aucun `book.toml` dans `{}` : placez-vous dans le dossier du site, indiquez-le avec `--root`, ou créez un site avec `fiches init`",
            root.display()
        ));
    }
    if inputs.is_empty() {
        return Err(format!("indiquez les documents ou dossiers à importer ({IMPORTABLE})"));
    }
    let category = option_category(opts)?;
    let mut plan = Plan::default();
    for input in inputs {
        if !input.exists() {
            return Err(format!("`{}` n'existe pas", input.display()));
        }
        sites::plan_input(input, category.as_deref(), &mut plan)?;
    }
    if plan.sources.is_empty() {
        return Err(format!(
            "aucun document à importer dans {} (formats acceptés : {IMPORTABLE} ; un .doc s'enregistre d'abord en .docx)",
            inputs.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(", ")
        ));
    }
    let config = crate::config::load(root).ok();
    let stale_days = config.as_ref().map(|c| c.check.stale_after_days).unwrap_or(540);
    let actions = read_actions(root);
    let mut targets = assign_targets(root, &plan.sources);
    let mut summary = Summary {
        dry_run: opts.dry_run,
        notes: plan.notes.clone(),
        ..Default::default()
    };
    let link_map: HashMap<PathBuf, String> = plan
        .sources
        .iter()
        .zip(&targets)
        .map(|(s, t)| (strip_ext(&s.path), t.clone()))
        .collect();
    let site = Site {
        root,
        link_map: &link_map,
        actions: &actions,
        stale_days,
    };
    let mut written_images: HashSet<String> = HashSet::new();
    for (i, src) in plan.sources.iter().enumerate() {
        let target = std::mem::take(&mut targets[i]);
        let mut rep = FileReport {
            source: src.path.clone(),
            target: Some(target.clone()),
            ..Default::default()
        };
        match convert(&site, src, &target, &mut written_images, &mut rep) {
            Ok(files) => {
                if opts.dry_run {
                    rep.status = Status::WouldCreate;
                    let existing = root.join(&target);
                    if existing.exists() {
                        rep.status = match std::fs::read(&existing) {
                            Ok(b) if b == files.sheet.as_bytes() => Status::Unchanged,
                            _ => Status::Kept,
                        };
                    }
                } else {
                    rep.status = write_files(root, &target, &files, &mut rep);
                }
            }
            Err(e) => {
                rep.status = Status::Failed(e);
                rep.target = None;
            }
        }
        summary.files.push(rep);
    }
    write_categories(root, &plan.categories, opts, &mut summary);
    Ok(summary)
}

/// The `--category` option as a category id, or an error when nothing of it is left.
fn option_category(opts: &Options) -> Result<Option<String>, String> {
    Ok(match &opts.category {
        Some(c) => {
            let c = c.trim().trim_matches('/');
            let id = crate::slug::slugify_path(c);
            if id.is_empty() {
                return Err(format!("catégorie invalide « {c} »"));
            }
            Some(id)
        }
        None => None,
    })
}

/// Creates `_index.md` for the new categories the imported sheets went to
/// (named by a table of contents, or folders with accents).
fn write_categories(root: &Path, categories: &[CategoryPlan], opts: &Options, summary: &mut Summary) {
    let used: HashSet<&str> = summary
        .files
        .iter()
        .filter(|f| !matches!(f.status, Status::Failed(_)))
        .filter_map(|f| f.target.as_deref())
        .filter_map(|t| t.strip_prefix("content/fiches/"))
        .filter_map(|t| t.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for c in categories {
        if !used.contains(c.id.as_str()) {
            continue;
        }
        let rel = format!("content/fiches/{}/_index.md", c.id);
        let path = root.join(&rel);
        if path.exists() || root.join("content/fiches").join(&c.id).join("_index.md").exists() {
            continue;
        }
        let mut text = format!("+++\ntitle = {}\n", toml_string(&c.title));
        if let Some(w) = c.weight {
            text.push_str(&format!("weight = {w}\n"));
        }
        text.push_str("+++\n");
        if !opts.dry_run {
            if let Err(e) = crate::files::create_new(&path, text.as_bytes()) {
                summary.notes.push(e);
                continue;
            }
        }
        summary.categories.push(rel);
    }
}

/// `content/fiches/<category>/<slug>.md` for each source, unique.
fn assign_targets(root: &Path, sources: &[Source]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for s in sources {
        let stem = s.path.file_stem().and_then(|s| s.to_str()).unwrap_or("fiche");
        let generic = matches!(stem.to_ascii_lowercase().as_str(), "index" | "readme" | "_index");
        let mut slug = if generic {
            // `guide/README.md` is the guide's page: named after its title, or its folder.
            s.nav_title
                .as_deref()
                .map(slugify)
                .filter(|x| !x.is_empty())
                .or_else(|| {
                    s.path
                        .parent()
                        .and_then(|p| p.file_name())
                        .and_then(|n| n.to_str())
                        .map(slugify)
                        .filter(|x| !x.is_empty())
                })
                .unwrap_or_else(|| "accueil".into())
        } else {
            slugify(stem)
        };
        if slug.is_empty() {
            slug = "fiche".into();
        }
        let base = format!("content/fiches/{}/{}", s.category, slug);
        let mut rel = format!("{base}.md");
        let mut n = 2;
        // Two documents of the same name in a category (`guide.odt`, `guide.docx`).
        while used.contains(&rel) {
            rel = format!("{base}-{n}.md");
            n += 1;
        }
        let _ = root;
        used.insert(rel.clone());
        out.push(rel);
    }
    out
}

pub fn strip_ext(p: &Path) -> PathBuf {
    let p = normalize_path(p);
    match Format::of(&p) {
        Some(_) => p.with_extension(""),
        None => p,
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system (links may name missing files).
pub fn normalize_path(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// What one document becomes.
pub struct Files {
    pub sheet: String,
    /// (path from the site root, bytes)
    pub images: Vec<(String, Vec<u8>)>,
}

/// What every document of one import shares.
pub struct Site<'a> {
    /// The site's folder.
    pub root: &'a Path,
    /// Each imported document (path without extension) → its sheet.
    pub link_map: &'a HashMap<PathBuf, String>,
    /// The allowed actions (id, title), to report the ones a sheet names.
    pub actions: &'a [(String, String)],
    /// `[check] stale_after_days`, to warn of an old `updated` date.
    pub stale_days: i64,
}

fn convert(
    site: &Site,
    src: &Source,
    target: &str,
    written_images: &mut HashSet<String>,
    rep: &mut FileReport,
) -> Result<Files, String> {
    let mut d = match src.format {
        Format::Odt => {
            if src.path.extension().is_some_and(|e| e.eq_ignore_ascii_case("fodt")) {
                return Err("document OpenDocument « à plat » (.fodt) : enregistrez-le en .odt".into());
            }
            let mut pkg = package::Package::open(&src.path, ".odt")?;
            odt::read(&mut pkg)?
        }
        Format::Docx => {
            let mut pkg = package::Package::open(&src.path, ".docx")?;
            docx::read(&mut pkg)?
        }
        Format::Html => {
            package::check_size(&src.path)?;
            let bytes = std::fs::read(&src.path).map_err(|e| format!("lecture impossible : {e}"))?;
            let text = String::from_utf8_lossy(&bytes);
            html::read(&text)
        }
        Format::Markdown => {
            package::check_size(&src.path)?;
            return markdown::convert(site, src, target, written_images, rep);
        }
    };
    let ctx = LinkCtx {
        root: site.root,
        src,
        target,
        link_map: site.link_map,
    };
    let title = take_title(&mut d, src);
    shift_headings(&mut d.blocks);
    let mut images = Vec::new();
    let mut counter = 0usize;
    let blocks = std::mem::take(&mut d.blocks);
    let anchors = heading_anchors(&blocks);
    let blocks = rewrite_blocks(blocks, &mut |inl| {
        // A bookmark that is not a heading has no anchor on the page.
        if let Inline::Link { url, children } = &inl {
            if let Some(a) = url.strip_prefix('#') {
                if !anchors.contains(&anchor(a)) {
                    return children.clone();
                }
            }
        }
        rewrite_inline(inl, &ctx, &d.media, &mut images, &mut counter, written_images, rep)
    });
    d.blocks = blocks;
    let body = doc::Writer::new().write(&d.blocks);
    let mut plain = title.clone();
    plain.push('\n');
    doc::blocks_plain(&d.blocks, &mut plain);
    let summary = d
        .meta
        .summary
        .clone()
        .or_else(|| first_paragraph(&d.blocks))
        .map(|s| shorten(&s));
    let fm = FrontMatter {
        title,
        summary,
        tags: dedup(d.meta.keywords.clone()),
        updated: d.meta.updated.clone(),
        weight: src.weight,
        extra: Vec::new(),
    };
    rep.dropped = d.dropped.items.clone();
    finish(fm, &body, &plain, site, images, rep)
}

/// Shared end of every format: front matter, report details.
pub(crate) fn finish(
    fm: FrontMatter,
    body: &str,
    plain: &str,
    site: &Site,
    images: Vec<(String, Vec<u8>)>,
    rep: &mut FileReport,
) -> Result<Files, String> {
    rep.title = fm.title.clone();
    rep.counts = report::count(body);
    let text = norm_space(plain).to_lowercase();
    let stale_days = site.stale_days;
    for (id, title) in site.actions {
        let t = norm_space(title).to_lowercase();
        if !t.is_empty() && text.contains(&t) {
            rep.actions.push((id.clone(), title.clone()));
        }
    }
    if let Some(u) = &fm.updated {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(u, "%Y-%m-%d") {
            let age = (chrono::Local::now().date_naive() - d).num_days();
            if age > stale_days {
                rep.notes.push(format!(
                    "mise à jour le {u}, il y a plus de {stale_days} jours : `fiches check` la signalera comme ancienne (relisez-la, puis mettez `updated` à la date du jour)"
                ));
            }
        }
    }
    if fm.summary.is_none() {
        rep.notes
            .push("pas de résumé (aucun paragraphe) : ajoutez `summary`".into());
    }
    let sheet = format!("{}\n{}", fm.to_toml(), body.trim_start_matches('\n'));
    let sheet = if sheet.ends_with('\n') {
        sheet
    } else {
        format!("{sheet}\n")
    };
    Ok(Files { sheet, images })
}

fn norm_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub struct FrontMatter {
    pub title: String,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub updated: Option<String>,
    pub weight: Option<i64>,
    /// Other keys kept as they are (`audience`, `draft`), already TOML.
    pub extra: Vec<(String, String)>,
}

impl FrontMatter {
    pub fn to_toml(&self) -> String {
        let mut s = String::from("+++\n");
        s.push_str(&format!("title = {}\n", toml_string(&self.title)));
        if let Some(sum) = &self.summary {
            s.push_str(&format!("summary = {}\n", toml_string(sum)));
        }
        if !self.tags.is_empty() {
            let t: Vec<String> = self.tags.iter().map(|t| toml_string(t)).collect();
            s.push_str(&format!("tags = [{}]\n", t.join(", ")));
        }
        for (k, v) in &self.extra {
            s.push_str(&format!("{k} = {v}\n"));
        }
        if let Some(u) = &self.updated {
            s.push_str(&format!("updated = {u}\n"));
        }
        if let Some(w) = self.weight {
            s.push_str(&format!("weight = {w}\n"));
        }
        s.push_str("+++\n");
        s
    }
}

pub fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn dedup(tags: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    tags.into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty() && seen.insert(t.to_lowercase()))
        .collect()
}

/// A summary is a sentence or two, not the whole first paragraph.
pub fn shorten(s: &str) -> String {
    let s = norm_space(s);
    if s.chars().count() <= 240 {
        return s;
    }
    let cut: String = s.chars().take(240).collect();
    let cut = match cut.rfind(' ') {
        Some(p) => &cut[..p],
        None => &cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

fn first_paragraph(blocks: &[Block]) -> Option<String> {
    blocks.iter().find_map(|b| match b {
        Block::Para(i) => {
            let t = doc::plain(i);
            (t.split_whitespace().count() >= 3).then_some(t)
        }
        _ => None,
    })
}

/// The title: the document's, else its first heading, else the table of
/// contents', else the file name. A first heading that repeats it goes.
fn take_title(d: &mut Doc, src: &Source) -> String {
    let first_heading = match d.blocks.first() {
        Some(Block::Heading(_, i)) => Some(doc::plain(i)),
        _ => None,
    };
    let title = d
        .meta
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| {
            // Else the first level-1 heading, wherever it is.
            first_heading.clone().or_else(|| {
                d.blocks.iter().find_map(|b| match b {
                    Block::Heading(1, i) => Some(doc::plain(i)),
                    _ => None,
                })
            })
        })
        .or_else(|| src.nav_title.clone())
        .unwrap_or_else(|| {
            crate::scaffold::title_from_slug(src.path.file_stem().and_then(|s| s.to_str()).unwrap_or("fiche"))
        });
    let title = norm_space(&title);
    if first_heading.is_some_and(|h| norm_space(&h).eq_ignore_ascii_case(&title)) {
        d.blocks.remove(0);
    } else if let Some(pos) = d
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading(1, i) if norm_space(&doc::plain(i)).eq_ignore_ascii_case(&title)))
    {
        // The title heading after a logo or a header line.
        if pos <= 2 {
            d.blocks.remove(pos);
        }
    }
    title
}

/// Anchors of the headings, named as the site names them.
fn heading_anchors(blocks: &[Block]) -> HashSet<String> {
    let mut out = HashSet::new();
    for b in blocks {
        if let Block::Heading(_, i) = b {
            let base = slugify(&doc::plain(i));
            let mut id = base.clone();
            let mut n = 1;
            while out.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            out.insert(id);
        }
    }
    out
}

/// The page shows the title as its only `h1`: sections start at `##`.
fn shift_headings(blocks: &mut [Block]) {
    fn min_level(b: &[Block]) -> u8 {
        b.iter()
            .map(|b| match b {
                Block::Heading(l, _) => *l,
                _ => 7,
            })
            .min()
            .unwrap_or(7)
    }
    if min_level(blocks) == 1 {
        for b in blocks.iter_mut() {
            if let Block::Heading(l, _) = b {
                *l = (*l + 1).min(6);
            }
        }
    }
}

pub struct LinkCtx<'a> {
    /// The site's folder.
    pub root: &'a Path,
    pub src: &'a Source,
    pub target: &'a str,
    pub link_map: &'a HashMap<PathBuf, String>,
}

/// Where a link of an imported document goes now.
pub enum Resolved {
    /// Unchanged (external, mail, in-page).
    Keep(String),
    /// Rewritten to another sheet or the same one.
    Sheet(String),
    /// A local file that is not a document to import (a PDF): copied to `static/`.
    File(PathBuf, Option<String>),
    /// A local target that does not exist / was not imported.
    Missing(String),
}

impl LinkCtx<'_> {
    pub fn resolve(&self, url: &str) -> Resolved {
        let url = url.trim();
        if url.is_empty() {
            return Resolved::Keep(String::new());
        }
        if let Some(f) = url.strip_prefix('#') {
            return Resolved::Keep(format!("#{}", anchor(f)));
        }
        if is_external(url) {
            return Resolved::Keep(url.to_string());
        }
        let (path_part, frag) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let path_part = path_part.split('?').next().unwrap_or(path_part);
        let decoded = percent_encoding::percent_decode_str(path_part)
            .decode_utf8_lossy()
            .to_string();
        let base = match decoded.strip_prefix('/') {
            Some(abs) => self.src.site_root.join(abs),
            None => self.src.path.parent().unwrap_or(Path::new(".")).join(&decoded),
        };
        let base = normalize_path(&base);
        let frag = frag
            .filter(|f| !f.is_empty())
            .map(|f| format!("#{}", anchor(f)))
            .unwrap_or_default();
        let mut candidates = vec![strip_ext(&base)];
        if decoded.ends_with('/') || decoded.is_empty() || base.is_dir() {
            for n in ["index", "README", "readme", "_index"] {
                candidates.push(base.join(n));
            }
        }
        // `page.html` of a generated site names `page.md`.
        if let Some(e) = base.extension().and_then(|e| e.to_str()) {
            if matches!(e.to_ascii_lowercase().as_str(), "html" | "htm" | "pdf" | "doc") {
                candidates.push(base.with_extension(""));
            }
        }
        if base
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.eq_ignore_ascii_case("index.html"))
        {
            if let Some(p) = base.parent() {
                candidates.push(p.to_path_buf());
            }
        }
        for c in &candidates {
            if let Some(t) = self.link_map.get(c) {
                if t == self.target {
                    return Resolved::Sheet(if frag.is_empty() { "#".into() } else { frag });
                }
                return Resolved::Sheet(format!("{}{frag}", relative(self.target, t)));
            }
        }
        if base.is_file() {
            return Resolved::File(base, (!frag.is_empty()).then_some(frag));
        }
        Resolved::Missing(url.to_string())
    }
}

/// Anchors as fiches names them: `#Dépannage`, `#d%C3%A9pannage` → `#depannage`.
pub fn anchor(f: &str) -> String {
    let d = percent_encoding::percent_decode_str(f).decode_utf8_lossy();
    let s = slugify(&d);
    if s.is_empty() {
        d.to_string()
    } else {
        s
    }
}

/// Relative path from one sheet's file to another's (`../wifi/x.md`).
pub fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from
        .rsplit_once('/')
        .map(|(d, _)| d.split('/').collect())
        .unwrap_or_default();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut out = String::new();
    for _ in common..from_dir.len() {
        out.push_str("../");
    }
    out.push_str(&to_parts[common..].join("/"));
    out
}

pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(p) => {
            let scheme = &url[..p];
            scheme.len() > 1 && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

fn rewrite_blocks(blocks: Vec<Block>, f: &mut dyn FnMut(Inline) -> Vec<Inline>) -> Vec<Block> {
    blocks
        .into_iter()
        .map(|b| match b {
            Block::Heading(l, i) => Block::Heading(l, rewrite_inlines(i, f)),
            Block::Para(i) => Block::Para(rewrite_inlines(i, f)),
            Block::List { ordered, start, items } => Block::List {
                ordered,
                start,
                items: items.into_iter().map(|it| rewrite_blocks(it, f)).collect(),
            },
            Block::Table(rows) => Block::Table(
                rows.into_iter()
                    .map(|r| r.into_iter().map(|c| rewrite_blocks(c, f)).collect())
                    .collect(),
            ),
            Block::Quote(b) => Block::Quote(rewrite_blocks(b, f)),
            Block::Callout(k, b) => Block::Callout(k, rewrite_blocks(b, f)),
            other => other,
        })
        .collect()
}

fn rewrite_inlines(inl: Vec<Inline>, f: &mut dyn FnMut(Inline) -> Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::new();
    for i in inl {
        let i = match i {
            Inline::Strong(c) => Inline::Strong(rewrite_inlines(c, f)),
            Inline::Emph(c) => Inline::Emph(rewrite_inlines(c, f)),
            Inline::Strike(c) => Inline::Strike(rewrite_inlines(c, f)),
            Inline::Link { url, children } => Inline::Link {
                url,
                children: rewrite_inlines(children, f),
            },
            Inline::Note(b) => Inline::Note(rewrite_blocks(b, f)),
            other => other,
        };
        out.extend(f(i));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn rewrite_inline(
    i: Inline,
    ctx: &LinkCtx,
    media: &[(String, Vec<u8>)],
    images: &mut Vec<(String, Vec<u8>)>,
    counter: &mut usize,
    written: &mut HashSet<String>,
    rep: &mut FileReport,
) -> Vec<Inline> {
    match i {
        Inline::Link { url, children } => match ctx.resolve(&url) {
            Resolved::Keep(u) | Resolved::Sheet(u) => vec![Inline::Link { url: u, children }],
            Resolved::File(p, frag) => match save_file(&p, ctx, images, written) {
                Some(u) => vec![Inline::Link {
                    url: format!("{u}{}", frag.unwrap_or_default()),
                    children,
                }],
                None => {
                    rep.notes.push(format!(
                        "lien vers `{url}` : fichier non copié (trop volumineux ou illisible), lien retiré"
                    ));
                    children
                }
            },
            Resolved::Missing(u) => {
                rep.notes.push(format!(
                    "lien vers `{u}`, qui n'a pas été importé : lien retiré, texte gardé (importez ce document aussi, ou remettez le lien à la main)"
                ));
                children
            }
        },
        Inline::Image { src, alt } => {
            let bytes = if let Some((_, b)) = media.iter().find(|(k, _)| *k == src) {
                Some(b.clone())
            } else if let Some(data) = src.strip_prefix("data:") {
                decode_data_uri(data)
            } else if is_external(&src) {
                if alt.trim().is_empty() {
                    rep.images_without_alt.push(src.clone());
                }
                return vec![Inline::Image { src, alt }];
            } else {
                let p = percent_encoding::percent_decode_str(&src)
                    .decode_utf8_lossy()
                    .to_string();
                let p = match p.strip_prefix('/') {
                    Some(abs) => ctx.src.site_root.join(abs),
                    None => ctx.src.path.parent().unwrap_or(Path::new(".")).join(p),
                };
                std::fs::read(&p).ok()
            };
            let Some(bytes) = bytes else {
                rep.notes.push(format!("image `{src}` introuvable : retirée"));
                return vec![];
            };
            let Some(ext) = image_ext(&src, &bytes) else {
                rep.dropped.push((
                    format!(
                        "image au format non affiché par les navigateurs (EMF, WMF, TIFF…) : `{}`",
                        short(&src)
                    ),
                    1,
                ));
                return vec![];
            };
            *counter += 1;
            let sheet = ctx.target.trim_start_matches("content/fiches/").trim_end_matches(".md");
            let name = pick_name(
                &format!("images/{sheet}-{}", counter),
                ext,
                &bytes,
                ctx,
                images,
                written,
            );
            if alt.trim().is_empty() {
                rep.images_without_alt.push(format!("/{name}"));
            }
            images.push((format!("static/{name}"), bytes));
            vec![Inline::Image {
                src: format!("/{name}"),
                alt,
            }]
        }
        other => vec![other],
    }
}

fn short(s: &str) -> String {
    if s.len() > 60 {
        format!("{}…", &s[..s.char_indices().nth(57).map(|(i, _)| i).unwrap_or(s.len())])
    } else {
        s.to_string()
    }
}

/// A name under `static/` not taken by a different file (same bytes: the
/// same image of a previous run, reused).
pub(crate) fn pick_name(
    base: &str,
    ext: &str,
    bytes: &[u8],
    ctx: &LinkCtx,
    images: &[(String, Vec<u8>)],
    written: &mut HashSet<String>,
) -> String {
    let root = ctx.root;
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{base}.{ext}")
        } else {
            format!("{base}-{n}.{ext}")
        };
        let rel = format!("static/{name}");
        let on_disk = root.join(&rel);
        let taken_here = images.iter().any(|(p, b)| *p == rel && b != bytes) || written.contains(&rel);
        let taken_disk = on_disk.exists() && std::fs::read(&on_disk).map(|b| b != bytes).unwrap_or(true);
        if !taken_here && !taken_disk {
            written.insert(rel);
            return name;
        }
        n += 1;
    }
}

/// A linked local file (a PDF): copied into `static/documents/`.
pub(crate) fn save_file(
    p: &Path,
    ctx: &LinkCtx,
    images: &mut Vec<(String, Vec<u8>)>,
    written: &mut HashSet<String>,
) -> Option<String> {
    let meta = std::fs::metadata(p).ok()?;
    if meta.len() > package::MAX_DOCUMENT_BYTES {
        return None;
    }
    let bytes = std::fs::read(p).ok()?;
    let stem = p.file_stem().and_then(|s| s.to_str()).map(slugify).unwrap_or_default();
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_else(|| "bin".into());
    let name = pick_name(&format!("documents/{stem}"), &ext, &bytes, ctx, images, written);
    images.push((format!("static/{name}"), bytes));
    Some(format!("/{name}"))
}

fn decode_data_uri(data: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let (head, payload) = data.split_once(',')?;
    if head.ends_with(";base64") {
        base64::engine::general_purpose::STANDARD
            .decode(payload.trim().replace(['\n', '\r', ' '], ""))
            .ok()
    } else {
        Some(percent_encoding::percent_decode_str(payload).collect())
    }
}

/// The extension of an image browsers show, from its bytes first.
pub(crate) fn image_ext(src: &str, b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"\x89PNG") {
        return Some("png");
    }
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("jpg");
    }
    if b.starts_with(b"GIF8") {
        return Some("gif");
    }
    if b.len() > 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Some("webp");
    }
    let head = String::from_utf8_lossy(&b[..b.len().min(512)]).to_ascii_lowercase();
    if head.contains("<svg") || src.to_ascii_lowercase().ends_with(".svg") || src.starts_with("data:image/svg") {
        return Some("svg");
    }
    None
}

/// Writes the images then the sheet, each only if new; the sheet decides:
/// an existing different sheet is kept, and nothing of this document is written.
fn write_files(root: &Path, target: &str, files: &Files, rep: &mut FileReport) -> Status {
    let path = root.join(target);
    if path.exists() {
        return match std::fs::read(&path) {
            Ok(b) if b == files.sheet.as_bytes() => Status::Unchanged,
            _ => Status::Kept,
        };
    }
    for (rel, bytes) in &files.images {
        let p = root.join(rel);
        if p.exists() {
            continue;
        }
        if let Err(e) = crate::files::create_new(&p, bytes) {
            return Status::Failed(e);
        }
        rep.images.push(rel.clone());
    }
    match crate::files::create_new(&path, files.sheet.as_bytes()) {
        Ok(()) => Status::Created,
        Err(e) => Status::Failed(e),
    }
}

/// `(id, title)` of `content/actions.toml`, if readable.
fn read_actions(root: &Path) -> Vec<(String, String)> {
    let Ok(text) = std::fs::read_to_string(root.join("content").join(crate::load::ACTIONS_FILE)) else {
        return Vec::new();
    };
    let Ok(v) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    v.get("action")
        .and_then(|a| a.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| {
                    Some((
                        x.get("id")?.as_str()?.to_string(),
                        x.get("title")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Keywords as people type them: `a, b; c` (a single word list is split on spaces).
pub fn split_keywords(k: &str) -> Vec<String> {
    let parts: Vec<String> = if k.contains([',', ';']) {
        k.split([',', ';']).map(|s| s.trim().to_string()).collect()
    } else {
        k.split_whitespace().map(str::to_string).collect()
    };
    parts.into_iter().filter(|s| !s.is_empty()).collect()
}

/// `2026-04-14T10:00:00Z`, `2026-04-14` → `2026-04-14`.
pub fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let d = s.get(..10)?;
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .ok()
        .filter(|d| d.format("%Y").to_string().as_str() > "1900")
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// `word/` + `../media/x.png` → `media/x.png` inside a package.
pub fn join_rel(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Everything a category plan needs from a title.
pub fn category_id(title: &str) -> String {
    let s = slugify(title);
    if s.is_empty() {
        "fiches-importees".into()
    } else {
        s
    }
}
