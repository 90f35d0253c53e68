//! The rebuild engine of `fiches serve`. It keeps the loaded content, the
//! model and the rendered Markdown between rebuilds, and on a change:
//!
//! - re-reads only the Markdown files that changed (the whole `content/`
//!   only when files appear or disappear, or `actions.toml` changes);
//! - patches the model in place when a sheet changed without moving (same
//!   weight, draft, action and place in its category), else rebuilds it;
//! - re-renders the Markdown of the changed files only, unless the link
//!   targets changed (then all of it);
//! - re-renders the pages whose inputs changed, found by comparing
//!   fingerprints of what each page shows with those of the last written
//!   site, and the pages that show the whole site (home, lists, follow-up);
//! - leaves the search index to a background thread.
//!
//! `book.toml` and the theme rebuild everything into a fresh folder. When
//! the sources do not build, nothing is written: the last good site stays.

use crate::build::{self, Prepared};
use crate::config::Config;
use crate::diagnostics::{rel_string, Diagnostic, Diagnostics, Severity};
use crate::load::Parsed;
use crate::load::{self, Content};
use crate::markdown::{LinkIndex, Rendered};
use crate::model::{self, ModelOptions, Sheet, Site};
use crate::render::{Bodies, Page, Renderer};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// What one rebuild did, for the terminal and the live-reload channel.
pub enum Outcome {
    Written {
        pages: usize,
        full: bool,
        files: usize,
        /// Paths of pages written by `later` (they reload then).
        pending: Vec<String>,
    },
    Failed(Diagnostics),
    /// Nothing to rebuild (no site state yet to patch, or an empty plan).
    Nothing,
}

/// The changes of one debounced burst, sorted by what they cost.
#[derive(Default, Debug)]
pub struct Plan {
    pub full: bool,
    /// Files appeared or disappeared, or `actions.toml` changed.
    pub reload_content: bool,
    /// Existing Markdown files (site-relative paths) whose text changed.
    pub modified: BTreeSet<String>,
    /// A static file or an asset beside the content appeared or disappeared.
    pub relink: bool,
    /// Static files (absolute paths) to copy or remove.
    pub statics: BTreeSet<PathBuf>,
    /// Assets beside the content (site-relative) to copy again.
    pub assets: BTreeSet<String>,
    /// Site-relative paths, for the terminal line.
    pub shown: BTreeSet<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        !self.full
            && !self.reload_content
            && self.modified.is_empty()
            && !self.relink
            && self.statics.is_empty()
            && self.assets.is_empty()
    }
}

/// Everything kept between rebuilds.
struct Working {
    content: Content,
    load_diags: Vec<Diagnostic>,
    model_diags: Vec<Diagnostic>,
    /// Findings of each page's Markdown, by body key.
    body_diags: HashMap<String, Vec<Diagnostic>>,
    body_hash: HashMap<String, u64>,
    links: LinkIndex,
    p: Prepared,
    renderer: Renderer,
    theme_assets: HashSet<String>,
    md_files: HashSet<String>,
}

/// Fingerprints of what the pages of the written site show.
#[derive(Default, Clone, PartialEq)]
struct Keys {
    /// Navigation and category cards: on every page.
    global: u64,
    sheet_card: HashMap<String, u64>,
    sheet_full: HashMap<String, u64>,
    session: HashMap<String, u64>,
    path: HashMap<String, u64>,
    category: HashMap<String, u64>,
    bodies: HashMap<String, u64>,
    urls: HashSet<String>,
}

pub struct Engine {
    root: PathBuf,
    include_drafts: bool,
    /// Private folder holding the output folders (never the site's `public/`).
    work: PathBuf,
    generation: u64,
    out: Option<PathBuf>,
    old_out: Option<PathBuf>,
    w: Option<Working>,
    /// Fingerprints of what `out` holds; `None` until a site is written.
    written: Option<Keys>,
    /// The last full build failed: `out` (if any) is from another
    /// configuration or theme, so the next good build writes everything.
    stale_out: bool,
    base: String,
    /// A progress bar while writing a whole site (terminal only).
    pub progress: bool,
    /// Sheets patched in place since `written` was recorded.
    since_written: BTreeSet<usize>,
    /// The model was rebuilt since `written`: compare every page.
    reshaped: bool,
    /// The second part of the last rebuild, not done yet.
    later: Option<Later>,
}

pub struct SearchJob {
    pub out: PathBuf,
    pub config: fiches_search::SearchConfig,
    pub docs: Vec<fiches_search::SearchDoc>,
}

/// Phase timings on stderr when `FICHES_TIMINGS` is set (as `fiches build`).
fn lap(what: &str) {
    thread_local! {
        static LAST: std::cell::Cell<Option<std::time::Instant>> = const { std::cell::Cell::new(None) };
    }
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("FICHES_TIMINGS").is_some()) {
        return;
    }
    let now = std::time::Instant::now();
    if let Some(t) = LAST.with(|l| l.replace(Some(now))) {
        if !what.is_empty() {
            eprintln!("[timing] serve {what}: {:.1} ms", (now - t).as_secs_f64() * 1000.0);
        }
    }
}

fn hash_of<T: Hash + ?Sized>(t: &T) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    t.hash(&mut h);
    h.finish()
}

fn sheet_key(s: &Sheet) -> String {
    format!("s:{}", s.source)
}

fn body_fingerprint(r: &Rendered) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    r.html.hash(&mut h);
    for t in &r.toc {
        (t.level, &t.id, &t.title).hash(&mut h);
    }
    r.task_count.hash(&mut h);
    r.assets.hash(&mut h);
    r.images_without_alt.hash(&mut h);
    h.finish()
}

/// One Markdown body of the site: its key and what rendering it needs.
struct Item<'a> {
    key: String,
    source: &'a str,
    body: &'a str,
    body_line: usize,
    origin: &'a str,
    url: &'a str,
}

/// The bodies of `site` in the order of `Bodies`' four lists.
fn items(site: &Site) -> [Vec<Item<'_>>; 4] {
    [
        site.sheets
            .iter()
            .map(|s| Item {
                key: sheet_key(s),
                source: &s.source,
                body: &s.body,
                body_line: s.body_line,
                origin: &s.origin_root,
                url: &s.url,
            })
            .collect(),
        site.sessions
            .iter()
            .map(|s| Item {
                key: format!("a:{}", s.source),
                source: &s.source,
                body: &s.body,
                body_line: s.body_line,
                origin: "",
                url: &s.url,
            })
            .collect(),
        site.paths
            .iter()
            .map(|s| Item {
                key: format!("p:{}", s.source),
                source: &s.source,
                body: &s.body,
                body_line: s.body_line,
                origin: "",
                url: &s.url,
            })
            .collect(),
        site.categories
            .iter()
            .map(|c| Item {
                key: format!("c:{}", c.id),
                source: c.source.as_deref().unwrap_or("content/fiches"),
                body: &c.body,
                body_line: c.body_line,
                origin: "",
                url: &c.url,
            })
            .collect(),
    ]
}

fn take_lists(b: Bodies) -> [Vec<Rendered>; 4] {
    [b.sheets, b.sessions, b.paths, b.categories]
}

fn make_bodies([sheets, sessions, paths, categories]: [Vec<Rendered>; 4]) -> Bodies {
    Bodies {
        sheets,
        sessions,
        paths,
        categories,
    }
}

/// Renders the bodies of `site`, reusing those of `old` (by key) except the
/// keys `redo` names. Updates the findings and fingerprints by key.
fn render_bodies(
    site: &Site,
    links: &LinkIndex,
    mut old: HashMap<String, Rendered>,
    redo: &dyn Fn(&str, &str) -> bool,
    diags: &mut HashMap<String, Vec<Diagnostic>>,
    hashes: &mut HashMap<String, u64>,
) -> (Bodies, usize) {
    let mut rendered = 0;
    let lists = items(site).map(|list| {
        let reused: Vec<Option<Rendered>> = list
            .iter()
            .map(|it| {
                if redo(&it.key, it.source) {
                    None
                } else {
                    old.remove(&it.key)
                }
            })
            .collect();
        let fresh: Vec<Option<(Rendered, Vec<Diagnostic>)>> = list
            .par_iter()
            .zip(&reused)
            .map(|(it, r)| {
                r.is_none()
                    .then(|| build::render_markdown(site, links, it.source, it.body, it.body_line, it.origin, it.url))
            })
            .collect();
        list.iter()
            .zip(reused.into_iter().zip(fresh))
            .map(|(it, (r, f))| match (r, f) {
                (Some(r), _) => r,
                (None, Some((r, d))) => {
                    rendered += 1;
                    hashes.insert(it.key.clone(), body_fingerprint(&r));
                    diags.insert(it.key.clone(), d);
                    r
                }
                (None, None) => Rendered::default(),
            })
            .collect::<Vec<_>>()
    });
    let live: HashSet<String> = items(site).into_iter().flatten().map(|i| i.key).collect();
    diags.retain(|k, _| live.contains(k));
    hashes.retain(|k, _| live.contains(k));
    (make_bodies(lists), rendered)
}

fn old_bodies(site: &Site, bodies: Bodies) -> HashMap<String, Rendered> {
    items(site)
        .into_iter()
        .zip(take_lists(bodies))
        .flat_map(|(list, rs)| list.into_iter().map(|i| i.key).zip(rs).collect::<Vec<_>>())
        .collect()
}

fn keys(site: &Site, renderer: &Renderer, bodies: &HashMap<String, u64>) -> Keys {
    let src = |i: usize| site.sheets[i].source.as_str();
    let mut k = Keys {
        bodies: bodies.clone(),
        ..Default::default()
    };
    let sheets: Vec<(u64, u64)> = site.sheets.par_iter().map(|s| sheet_keys(site, s)).collect();
    for (s, (card, full)) in site.sheets.iter().zip(sheets) {
        k.sheet_card.insert(s.source.clone(), card);
        k.sheet_full.insert(s.source.clone(), full);
    }
    for s in &site.sessions {
        let fiches: Vec<&str> = s.fiches.iter().map(|&j| src(j)).collect();
        let v = hash_of(&(
            (&s.slug, &s.url, &s.title, s.date, &s.time, &s.location),
            (&s.presenters, &s.tags, &s.summary, s.upcoming, fiches),
        ));
        k.session.insert(s.source.clone(), v);
    }
    for p in &site.paths {
        let fiches: Vec<&str> = p.fiches.iter().map(|&j| src(j)).collect();
        let audience: Vec<&str> = p.audience.iter().map(|a| a.as_str()).collect();
        k.path.insert(
            p.source.clone(),
            hash_of(&(&p.slug, &p.url, &p.title, &p.summary, audience, p.weight, fiches)),
        );
    }
    let mut global = std::collections::hash_map::DefaultHasher::new();
    for c in &site.categories {
        let parent = c.parent.map(|p| site.categories[p].id.as_str());
        let sheets: Vec<&str> = c.sheets.iter().map(|&j| src(j)).collect();
        k.category.insert(
            c.id.clone(),
            hash_of(&(
                &c.title,
                &c.description,
                c.weight,
                &c.url,
                c.depth,
                parent,
                sheets,
                &c.source,
            )),
        );
        let count: usize = site
            .categories
            .iter()
            .filter(|o| o.id == c.id || o.id.starts_with(&format!("{}/", c.id)))
            .map(|o| o.sheets.len())
            .sum();
        (&c.id, &c.title, &c.description, &c.url, c.depth, parent, count).hash(&mut global);
    }
    (
        site.sessions.is_empty(),
        site.paths.is_empty(),
        site.actions.is_empty(),
        site.categories.len(),
    )
        .hash(&mut global);
    k.global = global.finish();
    k.urls = Renderer::pages(site)
        .into_iter()
        .map(|p| renderer.url_of(site, p))
        .collect();
    k
}

/// What other pages show of a sheet (its card), and all its page shows
/// but the Markdown.
fn sheet_keys(site: &Site, s: &Sheet) -> (u64, u64) {
    let src = |i: usize| site.sheets[i].source.as_str();
    let audience: Vec<&str> = s.audience.iter().map(|a| a.as_str()).collect();
    let card = hash_of(&(
        &s.id,
        &s.title,
        &s.summary,
        &s.url,
        &site.categories[s.category].id,
        &audience,
        s.updated,
        &s.origin,
        s.draft,
    ));
    let action = s.action.map(|a| {
        let a = &site.actions[a];
        (
            &a.id,
            &a.title,
            a.who.iter().map(|w| w.as_str()).collect::<Vec<_>>(),
            &a.conditions,
            &a.reference,
            &a.origin,
        )
    });
    let sessions: Vec<&str> = s.sessions.iter().map(|&j| site.sessions[j].source.as_str()).collect();
    let paths: Vec<&str> = s.paths.iter().map(|&j| site.paths[j].source.as_str()).collect();
    let full = hash_of(&(
        card,
        (
            &s.source,
            &s.tags,
            action,
            s.validation.as_ref().map(|v| (&v.by, v.on, v.line)),
            &s.contributors,
        ),
        (
            s.updated_from as u8,
            s.last_change,
            s.weight,
            &s.origin_root,
            s.body_line,
        ),
        (sessions, paths, s.prev.map(src), s.next.map(src)),
    ));
    (card, full)
}

/// Pages that take long to render or show the whole site: written after
/// the reload, while the writer already sees the sheet.
fn is_late(p: Page) -> bool {
    !matches!(
        p,
        Page::Home
            | Page::AllSheets
            | Page::Category(_)
            | Page::Sheet(_)
            | Page::Sessions
            | Page::Session(_)
            | Page::Paths
            | Page::Path(_)
            | Page::Actions
            | Page::Search
            | Page::NotFound
    )
}

/// The pages a change of the patched sheets `changed` touches (the model
/// kept its shape), and their new fingerprints.
fn fast_dirty(
    site: &Site,
    written: &Keys,
    bodies: &HashMap<String, u64>,
    changed: &BTreeSet<usize>,
) -> (Vec<Page>, Vec<(String, u64, u64)>) {
    let mut pages: HashSet<Page> = HashSet::new();
    let mut updates = Vec::new();
    for &i in changed {
        let s = &site.sheets[i];
        let (card, full) = sheet_keys(site, s);
        let key = sheet_key(s);
        let card_changed = written.sheet_card.get(&s.source) != Some(&card);
        let changed = card_changed
            || written.sheet_full.get(&s.source) != Some(&full)
            || written.bodies.get(&key) != bodies.get(&key);
        if !changed {
            continue;
        }
        updates.push((s.source.clone(), card, full));
        pages.insert(Page::Sheet(i));
        if card_changed {
            pages.extend(s.prev.into_iter().chain(s.next).map(Page::Sheet));
            pages.insert(Page::Category(s.category));
            pages.extend(s.sessions.iter().map(|&j| Page::Session(j)));
            pages.extend(s.paths.iter().map(|&j| Page::Path(j)));
            pages.extend([Page::Home, Page::Actions]);
        }
    }
    if updates.is_empty() {
        return (Vec::new(), updates);
    }
    // Booklets, follow-up, accessibility statement, and page types added
    // since: redone (after the reload) whenever a sheet changed.
    for p in Renderer::pages(site) {
        let wanted = match p {
            Page::Booklet(c) => crate::publish::booklet_sheets(site, c)
                .iter()
                .any(|i| changed.contains(i)),
            p => is_late(p),
        };
        if wanted {
            pages.insert(p);
        }
    }
    (pages.into_iter().collect(), updates)
}

/// The pages whose inputs differ between `old` (written) and `new`. Pages
/// that show the whole site (home, lists, follow-up, search, 404…) are
/// always redone: they are few and cheap, and new page types land there.
fn dirty_pages(site: &Site, new: &Keys, old: Option<&Keys>) -> Vec<Page> {
    let pages = Renderer::pages(site);
    let Some(old) = old.filter(|o| o.global == new.global) else {
        return pages;
    };
    let card = |i: usize| new.sheet_card.get(&site.sheets[i].source) != old.sheet_card.get(&site.sheets[i].source);
    let full = |i: usize| new.sheet_full.get(&site.sheets[i].source) != old.sheet_full.get(&site.sheets[i].source);
    let body = |k: &str| new.bodies.get(k) != old.bodies.get(k);
    let sheet_body = |i: usize| body(&sheet_key(&site.sheets[i]));
    let session = |j: usize| new.session.get(&site.sessions[j].source) != old.session.get(&site.sessions[j].source);
    let path = |j: usize| new.path.get(&site.paths[j].source) != old.path.get(&site.paths[j].source);
    let category = |c: usize| {
        let id = &site.categories[c].id;
        new.category.get(id) != old.category.get(id) || body(&format!("c:{id}"))
    };
    pages
        .into_par_iter()
        .filter(|&p| match p {
            Page::Sheet(i) => {
                let s = &site.sheets[i];
                full(i)
                    || sheet_body(i)
                    || s.prev.into_iter().chain(s.next).any(card)
                    || s.sessions.iter().any(|&j| session(j))
                    || s.paths.iter().any(|&j| path(j))
            }
            Page::Category(c) => category(c) || site.categories[c].sheets.iter().any(|&i| card(i)),
            Page::Booklet(c) => {
                category(c)
                    || crate::publish::booklet_sheets(site, c)
                        .into_iter()
                        .any(|i| full(i) || sheet_body(i))
            }
            Page::Session(j) => {
                session(j)
                    || body(&format!("a:{}", site.sessions[j].source))
                    || site.sessions[j].fiches.iter().any(|&i| card(i))
            }
            Page::Path(j) => {
                path(j) || body(&format!("p:{}", site.paths[j].source)) || site.paths[j].fiches.iter().any(|&i| card(i))
            }
            _ => true,
        })
        .collect()
}

/// A Markdown file, parsed as `load` parses it.
/// Re-reads one Markdown file of the site or of a pool. Same parsing as
/// `load::load` (`load::parse_file`); `tests/serve.rs` checks
/// that serve's pages stay identical to `fiches build`'s.
#[allow(clippy::result_large_err)] // a finding, like `frontmatter::parse`'s
fn parse_file(root: &Path, config: &Config, source: &str) -> Result<Parsed, Diagnostic> {
    let mut shown = PathBuf::new();
    let mut origin = None;
    for p in &config.pool {
        let prefix = format!("{}/", rel_string(&p.path));
        if source.starts_with(&prefix) {
            shown = p.path.clone();
            origin = Some(p.label.clone().unwrap_or_else(|| rel_string(&p.path)));
        }
    }
    let rel = Path::new(source)
        .strip_prefix(&shown)
        .unwrap_or(Path::new(source))
        .to_path_buf();
    // A file replaced by a link while serving: `load` would refuse it too.
    let fence = fence_for(root, config, source);
    let path = root.join(&shown).join(&rel);
    if fence.check(&path).is_err() {
        return Err(fence.outside(&path, source));
    }
    load::parse_file(&root.join(&shown), &rel, &shown, origin)
}

/// Where the source `rel` (from the site root) may really lie: in its pool
/// when it is under one, else in the site.
fn fence_for(root: &Path, config: &Config, rel: &str) -> crate::fence::Fence {
    config
        .pool
        .iter()
        .find(|p| rel.starts_with(&format!("{}/", rel_string(&p.path))))
        .map(|p| crate::fence::Fence::pool(&root.join(&p.path), &p.path))
        .unwrap_or_else(|| crate::fence::Fence::site(root))
}

/// What replacing one record in the content means for the model.
enum Effect {
    /// The sheet kept its place: the model can be patched.
    Patch(usize, Box<load::RawSheet>),
    /// Not shown (a draft that stays a draft).
    None,
    Rebuild,
}

fn sort_key(weight: Option<i64>, title: &str) -> (i64, String) {
    // Same order as `model::build`: weight, then title without accents.
    (weight.unwrap_or(i64::MAX), deunicode::deunicode(title).to_lowercase())
}

/// Puts `p` in place of the record with the same source. `None` when there
/// is none (a file that did not parse before, or a pooled sheet hidden by
/// the site's own): only a full reload knows where it goes.
fn replace(content: &mut Content, p: Parsed, site: &Site, include_drafts: bool) -> Option<Effect> {
    match p {
        Parsed::Sheet(n) => {
            let pos = content.sheets.iter().position(|o| o.source == n.source)?;
            let old = std::mem::replace(&mut content.sheets[pos], n.clone());
            if old.meta.draft && n.meta.draft && !include_drafts {
                return Some(Effect::None);
            }
            let Some(&i) = site
                .sheet_by_id
                .get(&n.id)
                .filter(|&&i| site.sheets[i].source == n.source)
            else {
                return Some(Effect::Rebuild);
            };
            let s = &site.sheets[i];
            let action = |a: Option<usize>| a.map(|a| site.actions[a].id.as_str());
            let same = n.meta.draft == s.draft
                && n.meta.weight == s.weight
                && n.meta.action.as_ref().map(|a| a.get_ref().as_str()) == action(s.action)
                && n.meta.action.is_some() == s.action.is_some();
            if !same {
                return Some(Effect::Rebuild);
            }
            if n.meta.title != s.title {
                let key = |j: usize, title: &str| {
                    (
                        site.sheets[j].category,
                        sort_key(site.sheets[j].weight, title),
                        site.sheets[j].id.clone(),
                    )
                };
                let me = key(i, &n.meta.title);
                let before = i == 0 || key(i - 1, &site.sheets[i - 1].title) < me;
                let after = i + 1 == site.sheets.len() || me < key(i + 1, &site.sheets[i + 1].title);
                if !(before && after) {
                    return Some(Effect::Rebuild);
                }
            }
            Some(Effect::Patch(i, Box::new(n)))
        }
        Parsed::Category(n) => {
            let pos = content.categories.iter().position(|o| o.source == n.source)?;
            content.categories[pos] = n;
            Some(Effect::Rebuild)
        }
        Parsed::Session(n) => {
            let pos = content.sessions.iter().position(|o| o.source == n.source)?;
            content.sessions[pos] = n;
            Some(Effect::Rebuild)
        }
        Parsed::Path(n) => {
            let pos = content.paths.iter().position(|o| o.source == n.source)?;
            content.paths[pos] = n;
            Some(Effect::Rebuild)
        }
    }
}

/// Applies a sheet's new front matter and body as `model::build` would.
fn patch(root: &Path, s: &mut Sheet, n: load::RawSheet) {
    let (updated, from) = match (n.meta.updated, s.last_change) {
        (Some(d), _) => (Some(d), model::DateSource::FrontMatter),
        (None, Some(d)) => (Some(d), model::DateSource::Git),
        (None, None) => (load::file_date(root, &n.source), model::DateSource::FileTime),
    };
    s.title = n.meta.title;
    s.summary = n.meta.summary;
    s.tags = n.meta.tags;
    s.audience = n.meta.audience;
    s.updated = updated;
    s.updated_from = from;
    s.validation = n.meta.validation.as_ref().map(|v| model::Validation {
        by: v.by.clone(),
        on: *v.on.get_ref(),
        line: n.validation_line.unwrap_or(0),
    });
    s.body = n.body;
    s.body_line = n.body_line;
}

/// Writes through a temporary file and a rename, so a request never reads
/// a half-written page.
fn write_atomic(out: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = out.join(rel);
    let dir = path.parent().unwrap_or(out);
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.fiches-tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &path)
}

fn io_error(e: impl std::fmt::Display) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(Diagnostic::error(
        "write-failed",
        "",
        format!("écriture impossible : {e}"),
    ));
    d
}

impl Engine {
    pub fn new(root: &Path, include_drafts: bool, work: &Path) -> Engine {
        Engine {
            root: root.to_path_buf(),
            include_drafts,
            work: work.to_path_buf(),
            generation: 0,
            out: None,
            old_out: None,
            w: None,
            written: None,
            stale_out: true,
            base: crate::config::load(root)
                .map(|c| c.site.base_url.path().to_string())
                .unwrap_or_else(|_| "/".into()),
            progress: false,
            since_written: BTreeSet::new(),
            reshaped: false,
            later: None,
        }
    }

    /// The folder being served: the last site written without error.
    pub fn out(&self) -> Option<&Path> {
        self.out.as_deref()
    }

    /// The path part of the base URL (`/aide-numerique/`).
    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn site(&self) -> Option<&Site> {
        self.w.as_ref().map(|w| &w.p.site)
    }

    pub fn warnings(&self) -> Diagnostics {
        let mut d = Diagnostics::default();
        if let Some(w) = &self.w {
            d.extend(
                w.p.diags
                    .items
                    .iter()
                    .filter(|d| d.severity == Severity::Warning)
                    .cloned(),
            );
        }
        d
    }

    /// The folders to watch recursively and the ones to watch alone.
    pub fn watch_list(&self) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let mut deep = vec![
            self.root.join("content"),
            self.root.join("static"),
            self.root.join("themes"),
        ];
        let mut shallow = vec![self.root.clone()];
        let pools = match &self.w {
            Some(w) => w.p.site.config.pool.clone(),
            None => crate::config::load(&self.root).map(|c| c.pool).unwrap_or_default(),
        };
        for p in pools {
            let dir = self.root.join(&p.path);
            deep.push(dir.join("content"));
            deep.push(dir.join("static"));
            shallow.push(dir);
        }
        (deep, shallow)
    }

    fn content_roots(&self) -> Vec<PathBuf> {
        let mut v = vec![PathBuf::new()];
        if let Some(w) = &self.w {
            v.extend(w.p.site.config.pool.iter().map(|p| p.path.clone()));
        }
        v
    }

    /// Whether a changed path can matter to the site at all.
    pub fn relevant(&self, path: &Path) -> bool {
        if super::watch::is_scratch(path) {
            return false;
        }
        // A pool may live outside the site (`path = "/srv/commun"`): its
        // paths stay absolute, as `load` shows them.
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        // Hidden files and folders are not part of the site (`load` skips them).
        if rel
            .components()
            .any(|c| matches!(c, std::path::Component::Normal(n) if n.to_string_lossy().starts_with('.')))
        {
            return false;
        }
        if rel == Path::new(crate::config::CONFIG_FILE) || rel.starts_with("themes") {
            return true;
        }
        self.content_roots().iter().any(|r| {
            let r: &Path = r;
            rel == r || rel.starts_with(r.join("content")) || rel.starts_with(r.join("static"))
        }) && rel != Path::new("")
    }

    /// Sorts the changed paths of a burst into a plan. Paths that are gone
    /// and were never part of the site (an editor's or `sed -i`'s temporary
    /// file) are dropped.
    pub fn plan(&self, paths: &BTreeSet<PathBuf>) -> Plan {
        let mut plan = Plan::default();
        for path in paths {
            if self.relevant(path) && self.classify(path, &mut plan) {
                let rel = path.strip_prefix(&self.root).unwrap_or(path);
                plan.shown.insert(rel_string(rel));
            }
        }
        plan
    }

    /// Adds what `path` means to `plan`; false when it means nothing.
    fn classify(&self, path: &Path, plan: &mut Plan) -> bool {
        let rel = path.strip_prefix(&self.root).unwrap_or(path).to_path_buf();
        let shown = rel_string(&rel);
        let Some(w) = &self.w else {
            plan.full = true;
            return true;
        };
        if rel == Path::new(crate::config::CONFIG_FILE) || rel.starts_with("themes") {
            plan.full = true;
            return true;
        }
        // A link may lead out of the site: the full rebuild checks where.
        // A refused link that goes away, too: nothing else knew of it.
        let refused = w.load_diags.iter().chain(&w.model_diags).any(|d| {
            matches!(d.code, "symlink-outside" | "symlink-loop")
                && (d.file == shown || shown.starts_with(&format!("{}/", d.file)))
        });
        if refused || std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            plan.full = true;
            return true;
        }
        let (is_file, is_dir) = (path.is_file(), path.is_dir());
        fn known_dir<'a>(prefix: &str, mut set: impl Iterator<Item = &'a String>) -> bool {
            set.any(|f| f.starts_with(prefix) && f[prefix.len()..].starts_with('/'))
        }
        for r in self.content_roots() {
            let content = r.join(load::CONTENT);
            let statics = r.join("static");
            if let Ok(sub) = rel.strip_prefix(&content) {
                let first = sub
                    .components()
                    .next()
                    .map(|c| c.as_os_str().to_string_lossy().to_string())
                    .unwrap_or_default();
                if sub.as_os_str().is_empty() {
                    // `content/` itself came or went: watches must be set again.
                    plan.full = true;
                } else if sub == Path::new(load::ACTIONS_FILE) {
                    plan.reload_content = true;
                } else if shown.ends_with(".md") && !is_dir {
                    if ![load::SHEETS_DIR, load::SESSIONS_DIR, load::PATHS_DIR].contains(&first.as_str()) {
                        return false;
                    }
                    match (is_file, w.md_files.contains(&shown)) {
                        (true, true) => {
                            plan.modified.insert(shown);
                        }
                        (false, false) => return false,
                        _ => plan.reload_content = true,
                    }
                } else if is_dir
                    || known_dir(&shown, w.md_files.iter())
                    || known_dir(&shown, w.links.content_assets.iter())
                {
                    // A folder came or went: a category, or many files at once.
                    plan.reload_content = true;
                } else if shown.ends_with(".toml") {
                    return false;
                } else if w.links.content_assets.contains(&shown) {
                    if !is_file {
                        plan.relink = true;
                    }
                    plan.assets.insert(shown);
                } else if is_file {
                    plan.relink = true;
                    plan.assets.insert(shown);
                } else {
                    return false;
                }
                return true;
            }
            if let Ok(sub) = rel.strip_prefix(&statics) {
                if sub.as_os_str().is_empty() {
                    plan.full = true;
                    return true;
                }
                let sub_s = rel_string(sub);
                let known = w.links.statics.contains(&sub_s);
                if is_dir {
                    // Moved in whole: its files send no event of their own.
                    plan.relink = true;
                    for e in walkdir::WalkDir::new(path).into_iter().filter_map(Result::ok) {
                        if e.path_is_symlink() {
                            plan.full = true;
                        } else if e.file_type().is_file() {
                            plan.statics.insert(e.path().to_path_buf());
                        }
                    }
                } else if is_file || known {
                    plan.relink |= !(is_file && known);
                    plan.statics.insert(path.to_path_buf());
                } else if known_dir(&sub_s, w.links.statics.iter()) {
                    plan.relink = true;
                    for f in w.links.statics.iter().filter(|f| f.starts_with(&format!("{sub_s}/"))) {
                        plan.statics.insert(self.root.join(&statics).join(f));
                    }
                } else {
                    return false;
                }
                return true;
            }
        }
        // The site's own `content/` or `static/`, or a pool folder, came or went.
        plan.full = true;
        true
    }

    pub fn build(&mut self, plan: &Plan) -> Outcome {
        if plan.full || self.w.is_none() {
            return self.full();
        }
        if plan.is_empty() {
            return Outcome::Nothing;
        }
        self.incremental(plan)
    }

    /// Everything from scratch (start, `book.toml`, theme).
    fn full(&mut self) -> Outcome {
        let config = match crate::config::load(&self.root) {
            Ok(c) => {
                self.base = c.site.base_url.path().to_string();
                c
            }
            Err(d) => {
                self.w = None;
                self.stale_out = true;
                return Outcome::Failed(d);
            }
        };
        let mut ld = Diagnostics::default();
        let content = load::load(&self.root, &config, &mut ld);
        let md_files = content.files.iter().cloned().collect();
        let mut md = Diagnostics::default();
        let mopts = ModelOptions {
            include_drafts: self.include_drafts,
            today: crate::date::Date::today(),
        };
        let site = model::build(&self.root, config, content.clone(), &mopts, &mut md);
        md.extend(build::source_problems(&site));
        let renderer = match build::page_renderer(&site) {
            Ok(r) => r,
            Err(d) => {
                self.w = None;
                self.stale_out = true;
                return Outcome::Failed(d.into());
            }
        };
        let theme_assets = crate::theme::Theme::load(&site.root, &site.config.build.theme)
            .map(|t| t.assets.into_keys().collect())
            .unwrap_or_default();
        let links = build::link_index(&site);
        let mut body_diags = HashMap::new();
        let mut body_hash = HashMap::new();
        let (bodies, _) = render_bodies(
            &site,
            &links,
            HashMap::new(),
            &|_, _| true,
            &mut body_diags,
            &mut body_hash,
        );
        self.stale_out = true;
        self.w = Some(Working {
            content,
            load_diags: ld.items,
            model_diags: md.items,
            body_diags,
            body_hash,
            links,
            p: Prepared {
                site,
                bodies,
                diags: Diagnostics::default(),
            },
            renderer,
            theme_assets,
            md_files,
        });
        self.finish(&Plan::default(), None)
    }

    fn incremental(&mut self, plan: &Plan) -> Outcome {
        lap("");
        let root = self.root.clone();
        let include_drafts = self.include_drafts;
        let Some(w) = self.w.as_mut() else {
            return Outcome::Nothing;
        };
        let mut reload = plan.reload_content;
        let mut effects = Vec::new();
        if !reload {
            for src in &plan.modified {
                w.load_diags.retain(|d| &d.file != src);
                match parse_file(&root, &w.p.site.config, src) {
                    Ok(p) => match replace(&mut w.content, p, &w.p.site, include_drafts) {
                        Some(e) => effects.push(e),
                        None => reload = true,
                    },
                    // The last good text of the file stays in the model, so
                    // that one typo does not cascade into other errors.
                    Err(d) => w.load_diags.push(d),
                }
            }
        }
        if reload {
            let mut ld = Diagnostics::default();
            w.content = load::load(&root, &w.p.site.config, &mut ld);
            w.load_diags = ld.items;
            w.md_files = w.content.files.iter().cloned().collect();
        }
        let fast = !reload && effects.iter().all(|e| !matches!(e, Effect::Rebuild));
        lap("read");
        let mut old_site = None;
        let mut patched = BTreeSet::new();
        if fast {
            for e in effects {
                if let Effect::Patch(i, n) = e {
                    patch(&root, &mut w.p.site.sheets[i], *n);
                    patched.insert(i);
                }
            }
        } else {
            let mut md = Diagnostics::default();
            let mopts = ModelOptions {
                include_drafts,
                today: crate::date::Date::today(),
            };
            let site = model::build(&root, w.p.site.config.clone(), w.content.clone(), &mopts, &mut md);
            w.model_diags = md.items;
            old_site = Some(std::mem::replace(&mut w.p.site, site));
        }
        // Link targets: a target gone (or moved) changes the HTML of any page
        // that links to it; a new one can only fix pages that had findings.
        let (mut all, mut added) = (false, false);
        lap("model");
        if reload || plan.relink || (!fast && w.p.site.pages != w.links.pages) {
            let l = build::link_index(&w.p.site);
            let o = &w.links;
            all = o.pages.iter().any(|(s, u)| l.pages.get(s) != Some(u))
                || o.statics.iter().any(|s| !l.statics.contains(s))
                || o.content_assets.iter().any(|a| !l.content_assets.contains(a));
            added = l.pages.keys().any(|s| !o.pages.contains_key(s))
                || l.statics.iter().any(|s| !o.statics.contains(s))
                || l.content_assets.iter().any(|a| !o.content_assets.contains(a));
            w.links = l;
        }
        let with_findings: HashSet<String> = if added {
            w.body_diags
                .iter()
                .filter(|(_, d)| !d.is_empty())
                .map(|(k, _)| k.clone())
                .collect()
        } else {
            HashSet::new()
        };
        let redo = |key: &str, source: &str| all || plan.modified.contains(source) || with_findings.contains(key);
        lap("links");
        let in_place = fast && !all && !added;
        if in_place {
            // The common case: only the patched sheets' Markdown, in place.
            for &i in &patched {
                let s = &w.p.site.sheets[i];
                {
                    let (r, d) = build::render_markdown(
                        &w.p.site,
                        &w.links,
                        &s.source,
                        &s.body,
                        s.body_line,
                        &s.origin_root,
                        &s.url,
                    );
                    let key = sheet_key(s);
                    w.body_hash.insert(key.clone(), body_fingerprint(&r));
                    w.body_diags.insert(key, d);
                    w.p.bodies.sheets[i] = r;
                }
            }
        } else {
            let bodies = std::mem::replace(&mut w.p.bodies, make_bodies(Default::default()));
            let old = old_bodies(old_site.as_ref().unwrap_or(&w.p.site), bodies);
            let (b, _) = render_bodies(&w.p.site, &w.links, old, &redo, &mut w.body_diags, &mut w.body_hash);
            w.p.bodies = b;
        }
        self.finish(plan, in_place.then_some(patched))
    }

    /// Gathers the findings; when there is no error, writes the pages that
    /// changed and must be seen at once, and keeps the others for `later`.
    /// `patched` names the sheets patched in place (the model kept its shape).
    fn finish(&mut self, plan: &Plan, patched: Option<BTreeSet<usize>>) -> Outcome {
        lap("markdown");
        match patched {
            Some(p) => self.since_written.extend(p),
            None => self.reshaped = true,
        }
        self.later = None;
        let Some(w) = self.w.as_mut() else {
            return Outcome::Nothing;
        };
        let mut diags = Diagnostics::default();
        diags.extend(w.load_diags.iter().cloned());
        diags.extend(w.model_diags.iter().cloned());
        diags.extend(w.body_diags.values().filter(|d| !d.is_empty()).flatten().cloned());
        diags.extend(build::anchor_findings(&w.p.site, &w.p.bodies).items);
        diags.sort();
        w.p.diags = diags;
        if w.p.diags.has_errors() {
            let mut errs = Diagnostics::default();
            errs.extend(
                w.p.diags
                    .items
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .cloned(),
            );
            return Outcome::Failed(errs);
        }
        let base = w.p.site.config.site.base_url.path().to_string();
        let script = super::live::client_script(&base, w.p.site.strings());
        lap("findings");
        if self.stale_out || self.out.is_none() {
            // A fresh folder, swapped in whole once written.
            let new_keys = keys(&w.p.site, &w.renderer, &w.body_hash);
            self.generation += 1;
            let dir = self.work.join(format!("site-{}", self.generation));
            let _ = std::fs::remove_dir_all(&dir);
            let wopts = build::WriteOptions {
                inject: Some(script),
                progress: self.progress,
            };
            let stats = match build::write_all(&w.p, &dir, &wopts) {
                Ok(s) => s,
                Err(d) => return Outcome::Failed(d),
            };
            if let Some(old) = self.old_out.take() {
                let _ = std::fs::remove_dir_all(old);
            }
            // The previous folder goes at the next full build: requests
            // already on their way may still read it.
            self.old_out = self.out.replace(dir);
            self.written = Some(new_keys);
            self.since_written.clear();
            self.reshaped = false;
            self.stale_out = false;
            return Outcome::Written {
                pages: stats.pages,
                full: true,
                files: stats.files,
                pending: Vec::new(),
            };
        }
        let Some(out) = self.out.clone() else {
            return Outcome::Nothing;
        };
        let Some(written) = self.written.as_ref() else {
            return Outcome::Nothing;
        };
        let site = &w.p.site;
        let (pages, commit, gone) = if self.reshaped {
            let new_keys = keys(site, &w.renderer, &w.body_hash);
            let pages = dirty_pages(site, &new_keys, Some(written));
            let gone: Vec<String> = written.urls.difference(&new_keys.urls).cloned().collect();
            (pages, Commit::All(Box::new(new_keys)), gone)
        } else {
            let (pages, updates) = fast_dirty(site, written, &w.body_hash, &self.since_written);
            (pages, Commit::Sheets(updates), Vec::new())
        };
        lap("fingerprints, dirty pages");
        let (late, now): (Vec<Page>, Vec<Page>) = pages.into_iter().partition(|&p| is_late(p));
        if let Err(d) = render_pages(w, &now, &out, &script, None) {
            return Outcome::Failed(d);
        }
        let mut files = now.len();
        for url in &gone {
            let p = out.join(url);
            let _ = std::fs::remove_file(&p);
            // A session's calendar file lives beside its page.
            let _ = std::fs::remove_file(p.with_file_name("seance.ics"));
            let mut dir = p.parent().map(Path::to_path_buf);
            while let Some(d) = dir.filter(|d| d.starts_with(&out) && d != &out) {
                if std::fs::remove_dir(&d).is_err() {
                    break;
                }
                dir = d.parent().map(Path::to_path_buf);
            }
        }
        lap("render and write pages");
        // Assets beside the content that the changed pages (now) use.
        let mut assets: BTreeSet<String> = plan
            .assets
            .iter()
            .filter(|a| w.links.content_assets.contains(*a))
            .cloned()
            .collect();
        for (list, rs) in items(site).iter().zip([
            &w.p.bodies.sheets,
            &w.p.bodies.sessions,
            &w.p.bodies.paths,
            &w.p.bodies.categories,
        ]) {
            for (it, r) in list.iter().zip(rs) {
                if !r.assets.is_empty() && written.bodies.get(&it.key) != w.body_hash.get(&it.key) {
                    assets.extend(r.assets.iter().cloned());
                }
            }
        }
        for a in assets {
            if fence_for(&self.root, &site.config, &a)
                .check(&self.root.join(&a))
                .is_err()
            {
                continue;
            }
            if let Ok(bytes) = std::fs::read(self.root.join(&a)) {
                if write_atomic(&out, &model::asset_url(&a), &bytes).is_ok() {
                    files += 1;
                }
            }
        }
        let pending: Vec<String> = late
            .iter()
            .map(|&p| page_path(&base, &w.renderer.url_of(site, p)))
            .collect();
        let later = Later {
            pages: late,
            commit,
            script,
        };
        let now = now.len();
        files += self.sync_statics(plan, &out);
        self.later = Some(later);
        Outcome::Written {
            pages: now,
            full: false,
            files,
            pending,
        }
    }

    /// The second part of a rebuild: long pages, sitemap and feeds; then
    /// what is on disk is recorded. Returns the paths of the pages written.
    /// Skipped when new changes wait: the next rebuild redoes it.
    pub fn later(&mut self) -> Option<Result<Vec<String>, Diagnostics>> {
        let later = self.later.take()?;
        let out = self.out.clone()?;
        let w = self.w.as_mut()?;
        let site = &w.p.site;
        let followup = later
            .pages
            .contains(&Page::FollowUp)
            .then(|| crate::followup::compute(site));
        lap("follow-up");
        if let Err(d) = render_pages(w, &later.pages, &out, &later.script, followup) {
            return Some(Err(d));
        }
        let site = &w.p.site;
        if let Err(d) = crate::feeds::write(site, &w.renderer, &out) {
            return Some(Err(d.into()));
        }
        lap("late pages, sitemap, feeds");
        match later.commit {
            Commit::All(k) => self.written = Some(*k),
            Commit::Sheets(updates) => {
                if let Some(written) = self.written.as_mut() {
                    for (source, card, full) in updates {
                        written.sheet_card.insert(source.clone(), card);
                        written.sheet_full.insert(source, full);
                    }
                    for &i in &self.since_written {
                        let key = sheet_key(&site.sheets[i]);
                        if let Some(&h) = w.body_hash.get(&key) {
                            written.bodies.insert(key, h);
                        }
                    }
                }
            }
        }
        self.since_written.clear();
        self.reshaped = false;
        let base = site.config.site.base_url.path();
        Some(Ok(later
            .pages
            .iter()
            .map(|&p| page_path(base, &w.renderer.url_of(site, p)))
            .collect()))
    }

    /// Copies (or removes) the static files of `plan`; the site's own
    /// `static/` wins over the pools', generated files and theme assets win
    /// over both, as in `write_all`.
    fn sync_statics(&self, plan: &Plan, out: &Path) -> usize {
        let Some(w) = &self.w else { return 0 };
        let mut n = 0;
        let fences = build::static_fences(&w.p.site);
        for path in &plan.statics {
            let Some(rel) = w.p.site.static_dirs.iter().find_map(|d| path.strip_prefix(d).ok()) else {
                continue;
            };
            let rel_s = rel_string(rel);
            let generated = rel_s == "sitemap.xml"
                || rel_s == "atom.xml"
                || rel_s.starts_with("search/")
                || rel_s
                    .strip_prefix("assets/")
                    .is_some_and(|a| a == "highlight.css" || w.theme_assets.contains(a))
                || w.links.pages.values().any(|u| u == &rel_s);
            if generated {
                continue;
            }
            // A link that leads out is never copied (the full rebuild that
            // a new link causes reports it).
            let winner = fences
                .iter()
                .rev()
                .map(|(d, f)| (d.join(rel), f))
                .find(|(p, _)| p.is_file())
                .and_then(|(p, f)| f.check(&p).is_ok().then_some(p));
            match winner {
                Some(src) => {
                    if let Ok(bytes) = std::fs::read(&src) {
                        if write_atomic(out, &rel_s, &bytes).is_ok() {
                            n += 1;
                        }
                    }
                }
                None => {
                    let _ = std::fs::remove_file(out.join(rel));
                }
            }
        }
        n
    }

    /// The search documents of the site just written, for the background writer.
    pub fn search_job(&self) -> Option<SearchJob> {
        let w = self.w.as_ref()?;
        let out = self.out.clone()?;
        Some(SearchJob {
            out,
            config: crate::index::config(&w.p.site),
            docs: crate::index::documents(&w.p.site, &w.p.bodies),
        })
    }
}

/// How to record what was written once a rebuild is complete.
enum Commit {
    All(Box<Keys>),
    /// New card and page fingerprints of patched sheets.
    Sheets(Vec<(String, u64, u64)>),
}

struct Later {
    pages: Vec<Page>,
    commit: Commit,
    script: String,
}

/// The URL path of a page for the live-reload channel (`/base/x/`).
fn page_path(base: &str, url: &str) -> String {
    format!("{base}{}", url.strip_suffix("index.html").unwrap_or(url))
}

fn render_pages(
    w: &Working,
    pages: &[Page],
    out: &Path,
    script: &str,
    followup: Option<crate::followup::FollowUp>,
) -> Result<(), Diagnostics> {
    if pages.is_empty() {
        return Ok(());
    }
    let site = &w.p.site;
    let followup = followup.unwrap_or_default();
    let renderer = &w.renderer;
    let results: Vec<Result<(), Diagnostics>> = pages
        .par_iter()
        .map(|&page| {
            let html = renderer
                .render(site, &w.p.bodies, &followup, page)
                .map_err(Diagnostics::from)?;
            let html = build::inject_script(&html, script);
            write_atomic(out, &renderer.url_of(site, page), html.as_bytes()).map_err(io_error)
        })
        .collect();
    let mut errs = Diagnostics::default();
    for r in results {
        if let Err(d) = r {
            errs.extend(d.items);
        }
    }
    if errs.has_errors() {
        errs.sort();
        return Err(errs);
    }
    Ok(())
}

/// Writes the browser search index beside the site, then swaps it in: the
/// index of a large site takes seconds, pages must not wait for it.
pub fn write_search(job: &SearchJob, scratch: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(scratch);
    fiches_search::write_browser_index(scratch, &job.config, &job.docs).map_err(|e| e.to_string())?;
    let live = job.out.join("search");
    let old = job.out.join(format!(".search-old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&old);
    if live.exists() {
        std::fs::rename(&live, &old).map_err(|e| e.to_string())?;
    }
    let r = std::fs::rename(scratch.join("search"), &live).map_err(|e| e.to_string());
    let _ = std::fs::remove_dir_all(&old);
    let _ = std::fs::remove_dir_all(scratch);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_key_matches_the_model() {
        assert!(sort_key(Some(1), "Zèbre") < sort_key(None, "abc"));
        assert!(sort_key(None, "École") < sort_key(None, "Fax"));
    }
}
