//! The rebuild engine of `fiches serve`: sorts the changes of a burst into
//! a plan (`classify`), then runs the stages of `build` again for what they
//! touch, keeping the content, the model and the Markdown between rebuilds:
//! only the changed files are read again (`load::parse_source`); a sheet that
//! keeps its place is patched in the model (`Site::replace`, `patch_sheet`),
//! else the model is built again; only the Markdown that may change is
//! rendered again (`bodies`); only the pages whose fingerprint changed, and
//! those that show the whole site, are written again (`fingerprint`,
//! `build::PageJob`); the search index is left to a background thread.
//! `book.toml` and the theme rebuild everything into a fresh folder. When
//! the sources do not build, nothing is written: the last good site stays.

use super::bodies::{self, Findings};
use super::disk::{self, SearchJob};
use super::fingerprint::{self, Commit, Keys, Since};
use crate::build::{self, PageJob, Prepared, Timer};
use crate::diagnostics::{rel_string, Diagnostic, Diagnostics, Severity};
use crate::load::{self, Content};
use crate::markdown::LinkIndex;
use crate::model::{Change, DocKind, Site};
use crate::render::{Bodies, Page, Renderer};
use fiches_search::Kind;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
    /// Sheets of the site's own `content/fiches/` that appeared or went:
    /// the loaded content takes or loses them without reading every file again.
    pub came_or_went: BTreeSet<String>,
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
            && self.came_or_went.is_empty()
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
    body_diags: Findings,
    links: LinkIndex,
    p: Prepared,
    renderer: Renderer,
    theme_assets: HashSet<String>,
    md_files: HashSet<String>,
    /// Links inside the content folders that `load` follows (link, target,
    /// both from the site root): a file reached through several paths is
    /// several pages, and a change arrives under one path only.
    symlinks: Vec<(PathBuf, PathBuf)>,
}

/// The links inside the content folders of `roots` that lead inside the
/// site (`load` follows those), as (link, target) from the site root.
fn content_links(root: &Path, roots: &[PathBuf]) -> Vec<(PathBuf, PathBuf)> {
    let Ok(real_root) = root.canonicalize() else {
        return Vec::new();
    };
    let mut v = Vec::new();
    for r in roots {
        let walk = walkdir::WalkDir::new(root.join(r).join(load::CONTENT)).follow_links(false);
        for e in walk.into_iter().filter_map(Result::ok) {
            if !e.path_is_symlink() || e.depth() == 0 {
                continue;
            }
            let target = e.path().canonicalize();
            if let (Ok(link), Ok(t)) = (e.path().strip_prefix(root), target) {
                if let Ok(t) = t.strip_prefix(&real_root) {
                    v.push((link.to_path_buf(), t.to_path_buf()));
                }
            }
        }
    }
    v
}

/// Inserts the sheet `src` that appeared into the loaded content, or
/// removes it if it went, where `load::load` would put it (its sheets and
/// files are in path order); false when only reading everything again is
/// sure to be right (pools, whose sheets a site's sheet may override; a
/// file that does not parse; an id already taken).
fn came_or_went(root: &Path, w: &mut Working, src: &String) -> bool {
    if !w.p.site.config.pool.is_empty() || w.content.failed.contains(src) {
        return false;
    }
    let path = Path::new(src.as_str());
    let c = &mut w.content;
    if let Some(pos) = c.sheets.iter().position(|s| &s.source == src) {
        if root.join(path).exists() {
            return false;
        }
        c.sheets.remove(pos);
        c.files.retain(|f| f != src);
        w.md_files.remove(src);
        w.load_diags.retain(|d| &d.file != src);
        return true;
    }
    match load::parse_source(root, &w.p.site.config, src) {
        Ok(load::Parsed::Sheet(n)) if !c.sheets.iter().any(|s| s.id == n.id) => {
            let at = c.sheets.partition_point(|s| Path::new(&s.source) < path);
            c.sheets.insert(at, n);
            let at = c.files.partition_point(|f| Path::new(f) < path);
            c.files.insert(at, src.clone());
            w.md_files.insert(src.clone());
            true
        }
        _ => false,
    }
}

/// The sheet `src` put in place (`came`, its record) or taken out, with
/// its body, its findings and its link target; the sources of the sheet
/// pages that may differ and the category, session and path pages that
/// may. `None`, nothing touched, when the model must be built again.
/// `found`: the model's findings, and the bodies' (updated).
pub(super) fn take_or_leave(
    site: &mut Site,
    links: &mut LinkIndex,
    b: &mut Bodies,
    (model_diags, findings): (&[Diagnostic], &mut Findings),
    came: Option<&load::RawSheet>,
    src: &str,
) -> Option<(BTreeSet<String>, Vec<Page>)> {
    // Findings that a sheet coming or going may change: a sheet cited
    // that does not exist (and its hint, the closest id), two pages at
    // one address, a static file hidden by a page, its own.
    let unsure = model_diags
        .iter()
        .any(|d| matches!(d.code, "unknown-sheet" | "url-collision" | "static-shadowed") || d.file == src);
    if unsure || came.is_some_and(|n| links.statics.contains(&Site::sheet_url(&n.id))) {
        return None;
    }
    let (mut sheets, mut lists, category, near) = match came {
        Some(n) => {
            let at = site.insert_sheet(n.clone())?;
            links.pages.insert(src.to_string(), site.sheets[at].url.clone());
            links.nfc_names = Default::default();
            let (changed, lists) = bodies::sheet_came(site, links, b, findings, at);
            let s = &site.sheets[at];
            (changed, lists, s.category, [s.prev, s.next])
        }
        None => {
            let (at, gone) = site.remove_sheet(src)?;
            links.pages.remove(src);
            links.nfc_names = Default::default();
            let (changed, lists) = bodies::sheet_went(site, links, b, findings, at, src);
            (changed, lists, gone.category, [gone.prev, gone.next])
        }
    };
    // Its neighbours show it (previous, next); its category and those
    // above show it or count it.
    sheets.insert(src.to_string());
    sheets.extend(near.into_iter().flatten().map(|k| site.sheets[k].source.clone()));
    let mut c = Some(category);
    while let Some(i) = c {
        lists.push(Page::Category(i));
        c = site.categories[i].parent;
    }
    Some((sheets, lists))
}

impl Working {
    /// The paths of `pages` for the live-reload channel.
    fn paths(&self, base: &str, pages: &[Page]) -> Vec<String> {
        let url = |&p: &Page| super::live::page_path(base, &self.renderer.url_of(&self.p.site, p));
        pages.iter().map(url).collect()
    }

    fn job<'a>(&'a self, script: &'a str) -> PageJob<'a> {
        PageJob {
            site: &self.p.site,
            bodies: &self.p.bodies,
            renderer: &self.renderer,
            inject: Some(script),
            target: crate::build::Target::Live,
        }
    }
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
    /// What changed since `written` was recorded.
    since_written: Since,
    /// The second part of the last rebuild, not done yet.
    later: Option<Later>,
    /// Phase timings (`FICHES_TIMINGS`), as `fiches build`'s.
    timer: Timer,
    /// Redirect pages (`aliases`) that `out` holds: an alias removed goes
    /// from the folder at the next `later`.
    redirects: HashSet<String>,
    /// The offline budget's findings (`check::offline_findings_with`), measured
    /// at each full build, as `build` measures them: serve's own folder
    /// has no service worker nor index to measure.
    offline_diags: Vec<Diagnostic>,
    /// A full build is being written: measure the offline budget after it
    /// (a save's write of a deleted folder keeps the last measure).
    measure_offline: bool,
    /// The search documents of the full build just written, kept (with
    /// every body's HTML) until `measure_offline_now`: the budget is
    /// measured once the site is served, not before (about 5 CPU s at
    /// 10,000 sheets, which delayed the first page as much).
    offline_pending: Option<Vec<fiches_search::SearchDoc>>,
}

/// Which pages a rebuild may have changed.
enum Shape {
    /// Those of these sheets (sources; patched in place) and what their cards touch.
    Sheets(BTreeSet<String>),
    /// The model was built again; of the sheet pages, only these may differ
    /// (`fingerprint::touched`).
    Rebuilt(BTreeSet<String>),
    /// Any page.
    Any,
    /// Sheets came or went in place (`Engine::in_place`): of the sheet
    /// pages, only these may differ; of the category, session and path
    /// pages, only `lists`.
    CameOrWent { sheets: BTreeSet<String>, lists: Vec<Page> },
}

struct Later {
    pages: Vec<Page>,
    commit: Commit,
    script: String,
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
            since_written: Since::default(),
            later: None,
            timer: Timer::new(),
            redirects: HashSet::new(),
            offline_diags: Vec::new(),
            measure_offline: false,
            offline_pending: None,
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
        let all = self.w.iter().flat_map(|w| &w.p.diags.items).chain(&self.offline_diags);
        let mut d = Diagnostics {
            items: all.filter(|d| d.severity == Severity::Warning).cloned().collect(),
        };
        d.sort();
        d
    }

    /// The folders to watch recursively and the ones to watch alone.
    pub fn watch_list(&self) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let pools = match &self.w {
            Some(w) => w.p.site.config.pool.clone(),
            None => crate::config::load(&self.root).map(|c| c.pool).unwrap_or_default(),
        };
        super::watch::folders(&self.root, &pools)
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
        let paths: BTreeSet<PathBuf> = paths.iter().flat_map(|p| self.aliases(p)).collect();
        for path in &paths {
            if self.relevant(path) && self.classify(path, &mut plan) {
                let rel = path.strip_prefix(&self.root).unwrap_or(path);
                plan.shown.insert(rel_string(rel));
            }
        }
        plan
    }

    /// `path` and the other paths of the same file through the links inside
    /// the content (`Working::symlinks`): the system names a change under
    /// one of them only, and each is a page of its own.
    fn aliases(&self, path: &Path) -> Vec<PathBuf> {
        let (Some(w), Ok(rel)) = (&self.w, path.strip_prefix(&self.root)) else {
            return vec![path.to_path_buf()];
        };
        if w.symlinks.is_empty() {
            return vec![path.to_path_buf()];
        }
        let mut all = vec![rel.to_path_buf()];
        let mut i = 0;
        // Bounded: links to links could name a file many times.
        while i < all.len() && all.len() < 64 {
            let p = all[i].clone();
            for (link, target) in &w.symlinks {
                // Not the link itself: that is a change of the link.
                let found = match p.strip_prefix(link) {
                    Ok(rest) if !rest.as_os_str().is_empty() => Some(target.join(rest)),
                    _ => p.strip_prefix(target).ok().map(|rest| link.join(rest)),
                };
                if let Some(q) = found.filter(|q| !all.contains(q)) {
                    all.push(q);
                }
            }
            i += 1;
        }
        all.into_iter().map(|r| self.root.join(r)).collect()
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
        // A refused or broken link that goes away, too: nothing else knew of it.
        let refused = w.load_diags.iter().chain(&w.model_diags).any(|d| {
            matches!(d.code, "symlink-outside" | "symlink-loop" | "symlink-broken")
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
                        _ if r.as_os_str().is_empty()
                            && first == load::SHEETS_DIR
                            && !shown.ends_with("/_index.md") =>
                        {
                            plan.came_or_went.insert(shown);
                        }
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
        // A measure still due is made first: it reads the bodies as the
        // last full build left them.
        self.measure_offline_now();
        self.timer = Timer::new();
        if plan.full || self.w.is_none() {
            return self.full();
        }
        if plan.is_empty() {
            return Outcome::Nothing;
        }
        self.incremental(plan)
    }

    /// Everything from scratch (start, `book.toml`, theme), through
    /// `build::prepare_stages` as `fiches build`.
    fn full(&mut self) -> Outcome {
        self.stale_out = true;
        self.measure_offline = true;
        self.w = None;
        let opts = build::Options {
            include_drafts: self.include_drafts,
            today: None,
        };
        let stages = match build::prepare_stages(&self.root, &opts, true) {
            Ok(s) => s,
            Err(d) => return Outcome::Failed(d),
        };
        let site = &stages.prepared.site;
        self.base = site.config.site.base_url.path().to_string();
        let (theme, renderer) = match build::page_renderer(site) {
            Ok(r) => r,
            Err(d) => return Outcome::Failed(d.into()),
        };
        let body_diags = site.documents().map(|d| d.key()).zip(stages.body_diags).collect();
        let content = stages.content.unwrap_or_default();
        let mut roots = vec![PathBuf::new()];
        roots.extend(site.config.pool.iter().map(|p| p.path.clone()));
        self.w = Some(Working {
            symlinks: content_links(&self.root, &roots),
            md_files: content.files.iter().cloned().collect(),
            content,
            load_diags: stages.load_diags,
            model_diags: stages.model_diags,
            body_diags,
            links: stages.links,
            p: stages.prepared,
            renderer,
            theme_assets: theme.assets.into_keys().collect(),
        });
        self.finish(&Plan::default(), Shape::Any)
    }

    /// Re-reads the files of `plan` into the content. Returns what they mean
    /// for the model, or `None` when the whole content was read again.
    fn read(&mut self, plan: &Plan) -> Option<Vec<Change>> {
        let w = self.w.as_mut()?;
        let mut changes = Vec::new();
        let mut reload = plan.reload_content;
        for src in plan.modified.iter().filter(|_| !plan.reload_content) {
            w.load_diags.retain(|d| &d.file != src);
            match load::parse_source(&self.root, &w.p.site.config, src) {
                Ok(p) => match w.p.site.replace(&mut w.content, p) {
                    Some(c) => changes.push(c),
                    None => reload = true,
                },
                // The last good text of the file stays in the model, so
                // that one typo does not cascade into other errors.
                Err(ds) => w.load_diags.extend(ds),
            }
        }
        for src in &plan.came_or_went {
            if reload || !came_or_went(&self.root, w, src) {
                reload = true;
                break;
            }
            changes.push(Change::Rebuild);
        }
        if !reload {
            return Some(changes);
        }
        let mut ld = Diagnostics::default();
        w.content = load::load(&self.root, &w.p.site.config, &mut ld);
        w.load_diags = ld.items;
        w.md_files = w.content.files.iter().cloned().collect();
        let mut roots = vec![PathBuf::new()];
        roots.extend(w.p.site.config.pool.iter().map(|p| p.path.clone()));
        w.symlinks = content_links(&self.root, &roots);
        None
    }

    /// A sheet of the site's own `content/fiches/` that came or went, alone
    /// in its burst (`read` has put it in the content or taken it out):
    /// the model, the link index and the bodies take or lose it in place
    /// (`Site::insert_sheet`, `Site::remove_sheet`, `bodies::sheet_came`,
    /// `bodies::sheet_went`), where building the model again, walking the
    /// content for the link index and matching every body took 150-250 ms
    /// at 10,000 sheets. `None`, nothing touched, when only a model built
    /// again is sure to give what `fiches build` gives.
    fn in_place(&mut self, plan: &Plan) -> Option<Shape> {
        let mut sources = plan.came_or_went.iter();
        let (Some(src), None) = (sources.next(), sources.next()) else {
            return None;
        };
        if plan.reload_content
            || plan.relink
            || !plan.modified.is_empty()
            || !plan.assets.is_empty()
            || !plan.statics.is_empty()
        {
            return None;
        }
        let w = self.w.as_mut()?;
        let came = w.content.sheets.iter().find(|s| &s.source == src);
        let (site, bodies) = (&mut w.p.site, &mut w.p.bodies);
        let found = (&w.model_diags[..], &mut w.body_diags);
        let (sheets, lists) = take_or_leave(site, &mut w.links, bodies, found, came, src)?;
        Some(Shape::CameOrWent { sheets, lists })
    }

    fn incremental(&mut self, plan: &Plan) -> Outcome {
        let changes = self.read(plan);
        self.timer.lap("serve: read");
        if changes.is_some() {
            if let Some(shape) = self.in_place(plan) {
                self.timer
                    .lap("serve: sheet taken or left in place (model, links, markdown)");
                return self.finish(plan, shape);
            }
        }
        let Some(w) = self.w.as_mut() else {
            return Outcome::Nothing;
        };
        let reload = changes.is_none();
        let fast = changes
            .as_ref()
            .is_some_and(|c| c.iter().all(|c| !matches!(c, Change::Rebuild)));
        let mut old_site = None;
        let mut patched = BTreeSet::new();
        if fast {
            for c in changes.unwrap_or_default() {
                if let Change::Patch(i, n) = c {
                    w.p.site.patch_sheet(i, *n);
                    patched.insert(i);
                }
            }
        } else {
            let (site, found) = build::remodel(&w.p.site, w.content.clone());
            w.model_diags = found;
            old_site = Some(std::mem::replace(&mut w.p.site, site));
        }
        self.timer.lap("serve: model");
        let mut change = bodies::LinkChange::default();
        if reload || plan.relink || (!fast && w.p.site.pages != w.links.pages) {
            let l = build::link_index(&w.p.site);
            change = bodies::compare_links(&w.links, &l);
            w.links = l;
        }
        self.timer.lap("serve: links");
        let in_place = fast && change.moved.is_empty() && !change.added;
        let sources = |site: &Site, set: &BTreeSet<usize>| set.iter().map(|&i| site.sheets[i].source.clone()).collect();
        let shape = if in_place {
            // The common case: only the patched sheets' Markdown, in place.
            bodies::patch(&w.p.site, &w.links, &mut w.p.bodies, &mut w.body_diags, &patched);
            Shape::Sheets(sources(&w.p.site, &patched))
        } else {
            let old_bodies = std::mem::replace(&mut w.p.bodies, Bodies::from_documents(&w.p.site, Vec::new()));
            let old = (old_site.as_ref().unwrap_or(&w.p.site), old_bodies);
            let (b, changed) = bodies::rerender(&w.p.site, &w.links, old, &plan.modified, change, &mut w.body_diags);
            w.p.bodies = b;
            match &old_site {
                // Read again whole: the categories, sessions, paths or
                // actions may differ in ways `touched` does not compare.
                _ if reload => Shape::Any,
                Some(old) => match fingerprint::touched(old, &w.p.site, &changed) {
                    Some(t) => Shape::Rebuilt(t),
                    None => Shape::Any,
                },
                // Patched in place, but links moved: any document's body
                // may have changed, the sheets' are known.
                None => Shape::Rebuilt(sources(&w.p.site, &patched).into_iter().chain(changed).collect()),
            }
        };
        // The model replaced goes before the pages are written (about 40 MiB
        // at 10,000 sheets, beside the new one).
        drop(old_site);
        self.finish(plan, shape)
    }

    /// Gathers the findings; when there is no error, writes the pages that
    /// changed and must be seen at once, and keeps the others for `later`.
    /// `shape` says which pages may have changed.
    fn finish(&mut self, plan: &Plan, shape: Shape) -> Outcome {
        self.timer.lap("serve: markdown");
        if matches!(shape, Shape::Rebuilt(_) | Shape::Any) {
            // A model built again: the one replaced and the bodies rendered
            // again are freed, but mimalloc keeps their pages resident
            // until the threads that hold them collect (30-50 MiB at
            // 10,000 sheets, still there when the reload is sent).
            super::release_memory(None);
            self.timer.lap("serve: memory given back");
        }
        let since = &mut self.since_written;
        match shape {
            Shape::Sheets(s) => since.sheets.extend(s),
            Shape::Rebuilt(s) => {
                since.sheets.extend(s);
                since.rebuilt = true;
                since.lists = None;
            }
            Shape::CameOrWent { sheets, lists } => {
                since.sheets.extend(sheets);
                match (since.rebuilt, &mut since.lists) {
                    (false, _) => since.lists = Some(lists.into_iter().collect()),
                    (true, Some(l)) => l.extend(lists),
                    // Built again since the last record: all are compared.
                    (true, None) => {}
                }
                since.rebuilt = true;
            }
            Shape::Any => since.reshaped = true,
        }
        self.later = None;
        let Some(w) = self.w.as_mut() else {
            return Outcome::Nothing;
        };
        let stages = [w.load_diags.as_slice(), w.model_diags.as_slice()];
        w.p.diags = build::gather(&w.p.site, &w.p.bodies, stages, w.body_diags.values());
        if w.p.diags.has_errors() {
            let errors = w.p.diags.items.iter().filter(|d| d.severity == Severity::Error);
            return Outcome::Failed(Diagnostics {
                items: errors.cloned().collect(),
            });
        }
        let script = super::live::client_script(&self.base, w.p.site.strings());
        self.timer.lap("serve: findings");
        // Its folder deleted under it (a cleaner of temporary files): the
        // whole site again, not only the pages this save touched. Told by
        // the home page, which every site has (the search writer may have
        // made the folder again for its own files).
        if self.stale_out || !self.out.as_ref().is_some_and(|o| o.join("index.html").is_file()) {
            return self.write_fresh(script);
        }
        self.write_changes(plan, script)
    }

    /// Writes the whole site into a fresh folder, swapped in once written.
    fn write_fresh(&mut self, script: String) -> Outcome {
        let Some(w) = self.w.as_mut() else {
            return Outcome::Nothing;
        };
        let new_keys = fingerprint::keys(&w.p.site, &w.p.bodies, &w.renderer);
        self.generation += 1;
        let dir = self.work.join(format!("site-{}", self.generation));
        let _ = std::fs::remove_dir_all(&dir);
        // Writing makes folders below it, never the folder itself
        // (`output::make_dirs`).
        if let Err(e) = std::fs::create_dir_all(&dir) {
            return Outcome::Failed(
                Diagnostic::error(
                    "write-failed",
                    "",
                    format!("écriture impossible : {} : {e}", dir.display()),
                )
                .into(),
            );
        }
        let wopts = build::WriteOptions {
            inject: Some(script),
            progress: self.progress,
            search: false,
            offline_only: false,
            measure_only: false,
        };
        // After a failed full build, bodies patched since have no HTML.
        let pages = Renderer::pages(&w.p.site);
        bodies::restore(&w.p.site, &w.links, &mut w.p.bodies, &pages);
        let written = build::write_all(&w.p, &dir, &wopts);
        self.timer.lap("serve: site written");
        // The budget is measured after the site is served
        // (`measure_offline_now`): its documents are copied now, before the
        // search job takes the bodies' text, and the HTML kept until then.
        let measure = written.is_ok() && std::mem::take(&mut self.measure_offline) && w.p.site.config.offline.enabled;
        match measure {
            true => self.offline_pending = Some(crate::index::documents(&w.p.site, &w.p.bodies)),
            false => bodies::strip(&mut w.p.bodies),
        }
        crate::publish::forget_qr_codes();
        let stats = match written {
            Ok(s) => s,
            Err(d) => return Outcome::Failed(d),
        };
        if let Some(old) = self.old_out.take() {
            let _ = std::fs::remove_dir_all(old);
        }
        // The previous folder goes at the next full build: requests
        // already on their way may still read it.
        self.old_out = self.out.replace(dir);
        self.redirects = crate::redirect::urls(&w.p.site).map(|(u, _)| u.to_string()).collect();
        self.record(Commit::All(Box::new(new_keys)));
        self.stale_out = false;
        Outcome::Written {
            pages: stats.pages,
            full: true,
            files: stats.files,
            pending: Vec::new(),
        }
    }

    /// Writes into the live folder the pages whose fingerprint changed
    /// (those that must be seen at once), the files they use and the
    /// static files of `plan`; keeps the long pages for `later`.
    fn write_changes(&mut self, plan: &Plan, script: String) -> Outcome {
        let (Some(w), Some(out), Some(written)) = (self.w.as_mut(), self.out.clone(), self.written.as_ref()) else {
            return Outcome::Nothing;
        };
        let dirty = fingerprint::dirty(&w.p.site, &w.p.bodies, &w.renderer, written, &self.since_written);
        self.timer.lap("serve: fingerprints, dirty pages");
        let (late, now): (Vec<Page>, Vec<Page>) = dirty.pages.into_iter().partition(|&p| fingerprint::is_late(p));
        let again = bodies::restore(&w.p.site, &w.links, &mut w.p.bodies, &now);
        self.timer
            .lap(&format!("serve: Markdown of {again} document(s) rendered again"));
        let done = w.job(&script).write(&now, &Default::default(), &out, false);
        let w = match done {
            Ok(_) => w,
            Err(d) => {
                bodies::strip(&mut w.p.bodies);
                return Outcome::Failed(d);
            }
        };
        disk::remove_pages(&out, &dirty.gone);
        self.timer.lap("serve: render and write pages");
        let site = &w.p.site;
        let (bodies, renderer) = (&w.p.bodies, &w.renderer);
        let mut files = now.len() + disk::copy_assets(site, bodies, &w.links, &out, &plan.assets, &now);
        files += disk::sync_statics(site, &w.theme_assets, &out, &plan.statics);
        let pending = w.paths(&self.base, &late);
        let mut commit = dirty.commit;
        commit.add_pages(site, bodies, renderer, &now);
        bodies::strip(&mut w.p.bodies);
        let written_now = now.len();
        self.later = Some(Later {
            pages: late,
            commit,
            script,
        });
        Outcome::Written {
            pages: written_now,
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
        let followup = match later.pages.contains(&Page::FollowUp) {
            true => crate::followup::compute(&w.p.site),
            false => Default::default(),
        };
        bodies::restore(&w.p.site, &w.links, &mut w.p.bodies, &later.pages);
        self.timer.lap("serve: follow-up, Markdown of the booklets' sheets");
        let done = w.job(&later.script).write(&later.pages, &followup, &out, false);
        bodies::strip(&mut w.p.bodies);
        // The booklets were the last to need the sheets' QR codes.
        crate::publish::forget_qr_codes();
        if let Err(d) = done {
            return Some(Err(d));
        }
        let site = &w.p.site;
        if let Err(d) = build::write_listings(site, &w.renderer, &out) {
            return Some(Err(d));
        }
        let redirects: HashSet<String> = crate::redirect::urls(site).map(|(u, _)| u.to_string()).collect();
        let generated = build::generated_paths(site);
        // An old alias's page goes, unless a page now has its address.
        let gone: Vec<&String> = self
            .redirects
            .difference(&redirects)
            .filter(|u| !build::shadowed_by(&generated, u))
            .collect();
        disk::remove_pages(&out, gone);
        self.redirects = redirects;
        self.timer.lap("serve: late pages, sitemap, feeds");
        let paths = w.paths(&self.base, &later.pages);
        self.record(later.commit);
        Some(Ok(paths))
    }

    /// Whether the offline budget of the last full build is still to measure.
    pub fn offline_due(&self) -> bool {
        self.offline_pending.is_some()
    }

    /// Measures the offline budget of the last full build, as `build` and
    /// `check` do (`check::offline_findings_with`), then drops the bodies'
    /// HTML. Returns whether it measured.
    pub fn measure_offline_now(&mut self) -> bool {
        let Some(docs) = self.offline_pending.take() else {
            return false;
        };
        let Some(w) = self.w.as_mut() else {
            return false;
        };
        let timer = Timer::new();
        self.offline_diags = crate::check::offline_findings_with(&w.p, docs);
        bodies::strip(&mut w.p.bodies);
        timer.lap("serve: offline budget measured");
        true
    }

    /// Records the fingerprints of what the live folder now holds.
    fn record(&mut self, c: Commit) {
        self.written.get_or_insert_with(Keys::default).commit(c);
        self.since_written = Since::default();
    }

    /// The search documents of the site just written, for the background
    /// writer. Only the documents `known` does not keep come with their
    /// text (a save: the one sheet), taken from the bodies rendered in this
    /// rebuild or rendered again; the other bodies drop theirs, keeping
    /// its hash (`Rendered::take_text`).
    pub fn search_job(&mut self, known: &Mutex<fiches_search::Known>) -> Option<SearchJob> {
        let w = self.w.as_mut()?;
        let out = self.out.clone()?;
        let site = &w.p.site;
        let config = crate::index::config(site);
        let (sheets, with_body) = (site.sheets.len(), site.sheets.len() + site.sessions.len());
        // A path's document is whole here, as an action's is: its body
        // names its sheets (`index::path_body`), which a retitled sheet
        // changes, and intros are few and short.
        let mut docs = crate::index::documents_with(site, |kind, i| match kind {
            Kind::Parcours => {
                let r = &w.p.bodies.paths[i];
                match r.text_hash {
                    None => (r.text.clone(), r.code.clone()),
                    Some(_) => {
                        let (r, _) = build::render_markdown(site, &w.links, &site.document(DocKind::Path, i));
                        (r.text, r.code)
                    }
                }
            }
            _ => Default::default(),
        });
        let doc = |j: usize| match j < sheets {
            true => site.document(DocKind::Sheet, j),
            false => site.document(DocKind::Session, j - sheets),
        };
        let texts: Vec<u64> = docs
            .iter()
            .enumerate()
            .map(|(j, d)| match j < with_body {
                true => w.p.bodies.of(&doc(j)).text_key(),
                false => fiches_search::text_hash(&d.body, &d.code),
            })
            .collect();
        let keys = fiches_search::live_keys(&config, &docs, &texts);
        let need = match known.lock() {
            Ok(mut k) => k.want(&keys),
            Err(_) => vec![true; keys.len()],
        };
        let again: Vec<usize> = (0..with_body)
            .filter(|&j| need[j] && w.p.bodies.of(&doc(j)).text_hash.is_some())
            .collect();
        let links = &w.links;
        let fresh: Vec<(String, String)> = again
            .par_iter()
            .map(|&j| {
                let (r, _) = build::render_markdown(site, links, &doc(j));
                (r.text, r.code)
            })
            .collect();
        let n_again = again.len();
        for (j, (text, code)) in again.into_iter().zip(fresh) {
            (docs[j].body, docs[j].code) = (text, code);
        }
        for (j, d) in docs.iter_mut().enumerate().take(with_body) {
            let (kind, i) = match j < sheets {
                true => (DocKind::Sheet, j),
                false => (DocKind::Session, j - sheets),
            };
            let list = match kind {
                DocKind::Sheet => &mut w.p.bodies.sheets,
                _ => &mut w.p.bodies.sessions,
            };
            let (text, code) = list[i].take_text();
            if need[j] && !(text.is_empty() && code.is_empty()) {
                (d.body, d.code) = (text, code);
            }
        }
        self.timer.lap(&format!(
            "serve: search job, {} text(s), {n_again} rendered again",
            need.iter().filter(|&&n| n).count()
        ));
        Some(SearchJob {
            out,
            config,
            docs,
            texts,
        })
    }
}
