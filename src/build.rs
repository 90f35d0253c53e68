//! The pipeline: load → model → render Markdown → (check) → render pages →
//! index → write. `build`, `serve`, `check` and `search` are thin layers
//! over these functions.

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Content;
use crate::markdown::{self, LinkIndex, PageCtx};
use crate::model::{DocKind, Document, ModelOptions, Site};
use crate::render::{Bodies, Page, Renderer};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A loaded, resolved and Markdown-rendered site with everything found
/// on the way. `diags` may hold errors: `build` stops on them, `check`
/// reports them with its own findings.
pub struct Prepared {
    pub site: Site,
    pub bodies: Bodies,
    pub diags: Diagnostics,
}

pub struct Options {
    pub include_drafts: bool,
    pub today: Option<Date>,
}

/// What each stage of `prepare` produced, with the findings of each:
/// `serve` keeps them to redo one stage, or one document, at a time.
pub struct Stages {
    /// The content as loaded (kept when asked: the model consumes it).
    pub content: Option<Content>,
    pub load_diags: Vec<Diagnostic>,
    pub model_diags: Vec<Diagnostic>,
    pub links: LinkIndex,
    /// The findings of each document's Markdown, in `Site::documents` order.
    pub body_diags: Vec<Vec<Diagnostic>>,
    /// Everything, findings sorted (anchors included).
    pub prepared: Prepared,
}

/// config → load → model → Markdown, written once: `build`, `check` and
/// `serve` all start here. `Err` only when `book.toml` cannot be read
/// (there is no site to speak of); any other problem is in `diags`.
pub fn prepare(root: &Path, opts: &Options) -> Result<Prepared, Diagnostics> {
    prepare_stages(root, opts, false).map(|s| s.prepared)
}

/// `prepare`, keeping each stage's output apart (and the loaded content
/// when `keep_content`).
pub fn prepare_stages(root: &Path, opts: &Options, keep_content: bool) -> Result<Stages, Diagnostics> {
    let timer = Timer::new();
    let config = crate::config::load(root)?;
    let mut load_diags = Diagnostics::default();
    load_diags.extend(config.warnings.iter().cloned());
    let content = crate::load::load(root, &config, &mut load_diags);
    let kept = keep_content.then(|| content.clone());
    let mopts = ModelOptions {
        include_drafts: opts.include_drafts,
        today: opts.today.unwrap_or_else(Date::today),
    };
    timer.lap("load");
    let mut model_diags = Diagnostics::default();
    let site = crate::model::build(root, config, content, &mopts, &mut model_diags);
    model_diags.extend(source_problems(&site));
    model_diags.extend(crate::model::date_problems(&site));
    timer.lap("model");
    let links = link_index(&site);
    let (bodies, body_diags) = render_documents(&site, &links, Vec::new());
    let body_diags: Vec<Vec<Diagnostic>> = body_diags.into_iter().map(Option::unwrap_or_default).collect();
    let diags = gather(&site, &bodies, [&load_diags.items, &model_diags.items], &body_diags);
    timer.lap("markdown");
    Ok(Stages {
        content: kept,
        load_diags: load_diags.items,
        model_diags: model_diags.items,
        links,
        body_diags,
        prepared: Prepared { site, bodies, diags },
    })
}

/// All the findings of a prepared site, sorted: those of the stages, of
/// each document's Markdown, and of anchors across documents.
pub fn gather<'a>(
    site: &Site,
    bodies: &Bodies,
    stages: [&[Diagnostic]; 2],
    body_diags: impl IntoIterator<Item = &'a Vec<Diagnostic>>,
) -> Diagnostics {
    let mut diags = Diagnostics::default();
    for s in stages {
        diags.extend(s.iter().cloned());
    }
    diags.extend(body_diags.into_iter().flatten().cloned());
    check_anchors(site, bodies, &mut diags);
    asset_case_collisions(site, bodies, &mut diags);
    diags.sort();
    diags
}

/// Files beside the content that pages use are published under their own
/// names (`_assets/…`): two that differ only by case (`Capture.png`,
/// `capture.png`) are one file on a USB key or a Windows PC, where one
/// replaces the other on the copy. Said of each but the first, naming it.
fn asset_case_collisions(site: &Site, bodies: &Bodies, diags: &mut Diagnostics) {
    let mut assets: Vec<&String> = site
        .documents()
        .filter(|d| d.kind != DocKind::Category)
        .flat_map(|d| &bodies.of(&d).assets)
        .collect();
    if assets.len() < 2 {
        return;
    }
    assets.sort();
    assets.dedup();
    let mut seen: HashMap<String, &str> = HashMap::with_capacity(assets.len());
    for a in assets {
        let key = crate::portable::fold(&crate::model::asset_url(a));
        match seen.get(&key) {
            Some(other) => diags.push(
                Diagnostic::error(
                    "name-case-collision",
                    a,
                    format!(
                        "`{a}` et `{other}` ne diffèrent que par les majuscules : sur une clé USB ou un PC Windows, qui ne les distinguent pas, l'un remplace l'autre à la copie"
                    ),
                )
                .hint("renommez l'un des deux fichiers (et mettez à jour les liens qui y mènent)"),
            ),
            None => {
                seen.insert(key, a);
            }
        }
    }
}

/// The model stage of `prepare` again, on content changed since `site`
/// was built (serve), with its findings.
pub fn remodel(site: &Site, content: Content) -> (Site, Vec<Diagnostic>) {
    let mut diags = Diagnostics::default();
    let mopts = ModelOptions {
        include_drafts: site.include_drafts,
        today: Date::today(),
    };
    let new = crate::model::build(&site.root, site.config.clone(), content, &mopts, &mut diags);
    diags.extend(source_problems(&new));
    diags.extend(crate::model::date_problems(&new));
    (new, diags.items)
}

/// `prepare`, stopping on errors: what `build` writes from.
pub fn prepare_clean(root: &Path, opts: &Options) -> Result<Prepared, Diagnostics> {
    let p = prepare(root, opts)?;
    if p.diags.has_errors() {
        return Err(p.diags);
    }
    Ok(p)
}

/// The fence of each folder of `site.static_dirs`, in the same order: a
/// pool's static files may not lead out of the pool, the site's out of the site.
pub fn static_fences(site: &Site) -> Vec<(PathBuf, crate::fence::Fence)> {
    site.static_dirs
        .iter()
        .map(|d| {
            let pool = site
                .config
                .pool
                .iter()
                .find(|p| site.root.join(&p.path).join("static") == *d);
            let fence = match pool {
                Some(p) => crate::fence::Fence::pool(&site.root.join(&p.path), &p.path),
                None => crate::fence::Fence::site(&site.root),
            };
            (d.clone(), fence)
        })
        .collect()
}

/// Files of `static/` (the site's and the pools'), as `(folder, path under
/// it)`, with what is wrong there: links that lead out, loops.
fn static_files(site: &Site, problems: &mut Vec<Diagnostic>) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for (d, fence) in static_fences(site) {
        let shown = |p: &Path| crate::diagnostics::rel_string(p.strip_prefix(&site.root).unwrap_or(p));
        for e in crate::fence::walk(&d, &fence, &shown, problems) {
            if e.is_file {
                let rel = crate::diagnostics::rel_string(e.path.strip_prefix(&d).unwrap_or(&e.path));
                files.push((d.clone(), rel));
            }
        }
    }
    files
}

/// What is wrong in the sources beside the Markdown (`load` reports that):
/// static files that lead out of the site.
/// A static file at the path of a file that fiches generates is not
/// published (the generated one wins, in `build` as in `serve`): a warning.
pub fn source_problems(site: &Site) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let statics = static_files(site, &mut problems);
    let generated = generated_among(site, &statics.iter().map(|(_, rel)| rel.as_str()).collect());
    for (dir, rel) in &statics {
        let Some(how) = shadow(&generated, rel) else {
            continue;
        };
        let file = dir.join(rel);
        let shown = crate::diagnostics::rel_string(file.strip_prefix(&site.root).unwrap_or(&file));
        let (message, hint) = match how {
            Shadow::Same => (
                format!("ce fichier n'est pas publié : fiches écrit lui-même `{rel}`"),
                "renommez ou déplacez le fichier : la page générée par fiches garde cette adresse".to_string(),
            ),
            Shadow::UnderFile(f) => (
                format!("ce fichier n'est pas publié : fiches écrit lui-même le fichier `{f}`, là où ce chemin a un dossier `{f}/`"),
                format!("renommez le dossier `{f}` de `static/` (un nom sans `.html`, par exemple `documents`)"),
            ),
            Shadow::Folder => (
                format!("ce fichier n'est pas publié : fiches écrit un dossier `{rel}/` à cette place (ses pages)"),
                "renommez le fichier, avec son extension (`.pdf`, `.png`…), ou rangez-le dans un dossier à vous (`static/documents/`)".to_string(),
            ),
        };
        problems.push(Diagnostic::warning("static-shadowed", shown, message).hint(hint));
    }
    problems.extend(static_names(site, &statics, &generated));
    problems
}

/// The static files (published under their own names) that a USB key or a
/// Windows PC cannot hold (`portable`): a refused name, or two names that
/// are one there (`Logo.png` and `logo.png`, or a static file and a page
/// fiches writes): one would silently replace the other on the copy.
fn static_names(site: &Site, statics: &[(PathBuf, String)], generated: &Generated) -> Vec<Diagnostic> {
    use crate::portable;
    let shown = |dir: &Path, rel: &str| {
        let file = dir.join(rel);
        crate::diagnostics::rel_string(file.strip_prefix(&site.root).unwrap_or(&file))
    };
    let mut found = Vec::new();
    // Folded name → (path as published, file as shown) of the first one.
    let mut seen: HashMap<String, (&str, String)> = HashMap::new();
    let mut folded_off = Vec::new();
    let mut reported = HashSet::new();
    for (dir, rel) in statics {
        // Not published: `source_problems` says why.
        if shadowed_by(generated, rel) {
            continue;
        }
        let file = shown(dir, rel);
        if let Some((upto, name, p)) = portable::path_problem(rel) {
            // A folder's name: once for the folder, not for each file in it.
            let bad = shown(dir, upto);
            if reported.insert(bad.clone()) {
                let (message, hint) = portable::describe(&bad, name, &p);
                found.push(Diagnostic::error("name-not-portable", &bad, message).hint(hint));
            }
            continue;
        }
        if let Some(cut) = portable::too_long(rel) {
            let bad = shown(dir, cut);
            if reported.insert(bad.clone()) {
                let (message, hint) = portable::too_long_message(&bad, cut);
                found.push(Diagnostic::warning("path-too-long", &bad, message).hint(hint));
            }
        }
        let key = portable::fold(rel);
        match seen.get(&key) {
            // The same path in a pool and in the site: the site's wins, on
            // every disk.
            Some((first, _)) if *first == rel.as_str() => {}
            Some((_, other)) => found.push(
                Diagnostic::error(
                    "name-case-collision",
                    &file,
                    format!(
                        "`{file}` et `{other}` ne diffèrent que par les majuscules : sur une clé USB ou un PC Windows, qui ne les distinguent pas, l'un remplace l'autre à la copie"
                    ),
                )
                .hint("renommez l'un des deux fichiers (et mettez à jour les liens qui y mènent)"),
            ),
            None => {
                if key != *rel {
                    folded_off.push((key.clone(), file.clone()));
                }
                seen.insert(key, (rel.as_str(), file));
            }
        }
    }
    // A file fiches writes names in lower case: a static file whose name is
    // one of them but for its case takes its place on the copy (or cannot be
    // copied, where fiches writes a folder).
    if !folded_off.is_empty() {
        let g = generated_among(site, &folded_off.iter().map(|(k, _)| k.as_str()).collect());
        for (key, file) in folded_off {
            let clash = match shadow(&g, &key) {
                Some(Shadow::Same) => g.files.contains(key.as_str()).then(|| key.clone()),
                Some(Shadow::UnderFile(f)) => Some(f.to_string()),
                Some(Shadow::Folder) => Some(format!("{key}/")),
                None => None,
            };
            if let Some(page) = clash {
                found.push(
                    Diagnostic::error(
                        "name-case-collision",
                        &file,
                        format!(
                            "`{file}` ne diffère de `{page}`, que fiches écrit, que par les majuscules : sur une clé USB ou un PC Windows, qui ne les distinguent pas, l'un remplace l'autre à la copie"
                        ),
                    )
                    .hint("renommez le fichier, ou rangez-le dans un dossier à vous (`static/documents/`)"),
                );
            }
        }
    }
    found
}

pub fn link_index(site: &Site) -> LinkIndex {
    let mut ignored = Vec::new();
    let statics: HashSet<String> = static_files(site, &mut ignored).into_iter().map(|(_, f)| f).collect();
    let mut content_assets = HashSet::new();
    let mut roots = vec![(PathBuf::new(), crate::fence::Fence::site(&site.root))];
    roots.extend(site.config.pool.iter().map(|p| {
        (
            p.path.clone(),
            crate::fence::Fence::pool(&site.root.join(&p.path), &p.path),
        )
    }));
    for (r, fence) in roots {
        let dir = site.root.join(&r).join(crate::load::CONTENT);
        let shown = |p: &Path| crate::diagnostics::rel_string(p);
        // `load` reports what is wrong in `content/`; here it is only left out.
        for e in crate::fence::walk(&dir, &fence, &shown, &mut ignored) {
            let name = e.path.file_name().unwrap_or_default().to_string_lossy();
            if e.is_file && !name.ends_with(".md") && !name.ends_with(".toml") {
                let rel = e.path.strip_prefix(&site.root).unwrap_or(&e.path);
                content_assets.insert(crate::diagnostics::rel_string(rel));
            }
        }
    }
    // Only `book.toml` decides which fixed pages are written (`When`
    // depends on the config for the pages themselves): serve reads it
    // again whole when it changes, so this set never moves under it.
    let fixed: HashSet<String> = crate::pages::FIXED
        .iter()
        .filter(|p| p.page != crate::pages::Fixed::NotFound && p.when.holds(site))
        .map(|p| p.url.trim_end_matches("index.html").trim_end_matches('/').to_string())
        .collect();
    let mut folders = HashMap::new();
    for c in &site.categories {
        let own = format!("{}/{}", crate::load::CONTENT, crate::load::SHEETS_DIR);
        let own = if c.id.is_empty() {
            own
        } else {
            format!("{own}/{}", c.id)
        };
        // A pool's `_index.md` names its folder there too.
        let pooled = c
            .source
            .as_ref()
            .and_then(|s| s.rsplit_once('/'))
            .map(|(d, _)| d.to_string());
        for f in [Some(own), pooled].into_iter().flatten() {
            folders.insert(f, c.url.clone());
        }
    }
    // `content/fiches/` itself is the list of all sheets.
    if fixed.contains(crate::load::SHEETS_DIR) {
        let all = format!("{}/{}", crate::load::CONTENT, crate::load::SHEETS_DIR);
        folders
            .entry(all)
            .or_insert_with(|| format!("{}/index.html", crate::load::SHEETS_DIR));
    }
    LinkIndex {
        pages: site.pages.clone(),
        statics,
        content_assets,
        fixed,
        folders,
        renamed: site
            .sheets
            .iter()
            .flat_map(|s| {
                let root = s
                    .source
                    .strip_suffix(&format!("content/fiches/{}.md", s.id))
                    .unwrap_or("");
                s.aliases
                    .iter()
                    .map(move |a| (format!("{root}content/fiches/{}.md", a.id), s.source.clone()))
            })
            .collect(),
        nfc_names: Default::default(),
    }
}

/// Renders the Markdown of every document, in parallel. `reused` holds,
/// in `Site::documents` order, bodies rendered before (serve's cache);
/// those missing or `None` are rendered. Returns the bodies and the
/// findings of each document rendered now (`None` for a reused one).
pub fn render_documents(
    site: &Site,
    links: &LinkIndex,
    mut reused: Vec<Option<markdown::Rendered>>,
) -> (Bodies, Vec<Option<Vec<Diagnostic>>>) {
    let docs: Vec<Document> = site.documents().collect();
    reused.resize_with(docs.len(), || None);
    let done: Vec<(markdown::Rendered, Option<Vec<Diagnostic>>)> = docs
        .par_iter()
        .zip(reused)
        .map(|(d, r)| match r {
            Some(r) => (r, None),
            None => {
                let (r, diags) = render_markdown(site, links, d);
                (r, Some(diags))
            }
        })
        .collect();
    let (rendered, diags): (Vec<_>, Vec<_>) = done.into_iter().unzip();
    (Bodies::from_documents(site, rendered), diags)
}

// `Bodies` (render.rs) seen as one list in `Site::documents` order.
impl Bodies {
    /// Splits bodies given in `Site::documents` order into the four lists.
    pub fn from_documents(site: &Site, all: Vec<markdown::Rendered>) -> Bodies {
        let mut it = all.into_iter();
        let mut take = |n: usize| it.by_ref().take(n).collect::<Vec<_>>();
        Bodies {
            sheets: take(site.sheets.len()),
            sessions: take(site.sessions.len()),
            paths: take(site.paths.len()),
            categories: take(site.categories.len()),
        }
    }

    /// The bodies in `Site::documents` order.
    pub fn into_documents(self) -> Vec<markdown::Rendered> {
        let mut v = self.sheets;
        v.extend(self.sessions);
        v.extend(self.paths);
        v.extend(self.categories);
        v
    }

    fn list(&self, kind: DocKind) -> &Vec<markdown::Rendered> {
        match kind {
            DocKind::Sheet => &self.sheets,
            DocKind::Session => &self.sessions,
            DocKind::Path => &self.paths,
            DocKind::Category => &self.categories,
        }
    }

    /// The rendered Markdown of a document.
    pub fn of(&self, d: &Document) -> &markdown::Rendered {
        &self.list(d.kind)[d.index]
    }

    /// Replaces the rendered Markdown of a document.
    pub fn set(&mut self, d: &Document, r: markdown::Rendered) {
        let list = match d.kind {
            DocKind::Sheet => &mut self.sheets,
            DocKind::Session => &mut self.sessions,
            DocKind::Path => &mut self.paths,
            DocKind::Category => &mut self.categories,
        };
        list[d.index] = r;
    }
}

/// `page.md#section` must name a heading of that page.
fn check_anchors(site: &Site, bodies: &Bodies, diags: &mut Diagnostics) {
    // Categories are not link targets by file (`_index.md` links are not checked).
    let pages: Vec<(&str, &markdown::Rendered)> = site
        .documents()
        .filter(|d| d.kind != DocKind::Category)
        .map(|d| (d.source(), bodies.of(&d)))
        .collect();
    // Only the pages that a link to a section names: hashing every
    // page's source into a map (50,000 of them) grew 7 to 9 times from
    // 10,000 sheets, for a few hundred links.
    let targets: HashSet<&str> = pages
        .iter()
        .flat_map(|(_, b)| b.anchor_refs.iter().map(|r| r.target_source.as_str()))
        .collect();
    let anchors: HashMap<&str, &HashSet<String>> = match targets.is_empty() {
        true => HashMap::new(),
        false => pages
            .iter()
            .filter(|(s, _)| targets.contains(s))
            .map(|(s, b)| (*s, &b.anchors))
            .collect(),
    };
    for &(source, body) in &pages {
        for r in &body.anchor_refs {
            let Some(set) = anchors.get(r.target_source.as_str()) else {
                continue;
            };
            // Footnote and task anchors are generated by the renderer.
            if set.contains(&r.anchor) || r.anchor.starts_with("fn") || r.anchor.starts_with("action-") {
                continue;
            }
            let mut list: Vec<&String> = set.iter().collect();
            list.sort();
            let names: Vec<&str> = list.iter().map(|s| s.as_str()).collect();
            let mut d = Diagnostic::warning(
                "broken-anchor",
                source,
                format!("la section `#{}` n'existe pas dans `{}`", r.written, r.target_source),
            )
            .at(r.line, Some(r.column));
            d = match crate::tomlerr::closest(&r.anchor, &names) {
                Some(k) => d.hint(format!("vouliez-vous dire `#{k}` ?")),
                None if names.is_empty() => d.hint("cette page n'a aucun titre de section"),
                None => d.hint(format!("sections de cette page : {}", names.join(", "))),
            };
            diags.push(d);
        }
    }
}

pub struct WriteOptions {
    /// Script injected before `</body>` (serve mode only).
    pub inject: Option<String>,
    pub progress: bool,
    /// Writes the search index with the pages; `serve` writes it apart
    /// (`fiches_search::LiveIndex`), and keeps it up to date.
    pub search: bool,
    /// Writes only the pages the offline budget measures: the fixed pages,
    /// and the categories marked `offline` with their sheets (`check`,
    /// when no template of the site's own could fail on another page).
    pub offline_only: bool,
    /// `check`: the search index is made and measured, not written (2,535
    /// files at 3,000 sheets), and the offline files that only a published
    /// site needs (service worker, precache, offline page) are not made;
    /// the offline budget's warnings are the build's, word for word.
    pub measure_only: bool,
}

#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub pages: usize,
    pub sheets: usize,
    pub files: usize,
    pub search: Option<fiches_search::BrowserIndexStats>,
    pub offline: crate::offline::Report,
}

/// Renders and writes every page into `out` (an empty folder).
pub fn write_all(p: &Prepared, out: &Path, wopts: &WriteOptions) -> Result<Stats, Diagnostics> {
    let docs = match wopts.search {
        true => crate::index::documents(&p.site, &p.bodies),
        false => Vec::new(),
    };
    write_all_over(p, docs, out, wopts, None)
}

/// `write_all`, taking the pages that did not change from `previous`, the
/// output that `out` will replace (hard links: see `output::put`), and
/// the search documents of `p` (`index::documents`).
pub fn write_all_over(
    p: &Prepared,
    docs: Vec<fiches_search::SearchDoc>,
    out: &Path,
    wopts: &WriteOptions,
    previous: Option<&Path>,
) -> Result<Stats, Diagnostics> {
    let site = &p.site;
    let timer = Timer::new();
    let theme = crate::theme::Theme::load(&site.root, &site.config.build.theme).map_err(Diagnostics::from)?;
    crate::output::mark(out).map_err(io_error)?;
    let renderer =
        Renderer::new(&theme, site.strings(), asset_version(&theme, site.strings())).map_err(Diagnostics::from)?;
    let mut pages = Renderer::pages(site);
    if wopts.offline_only {
        let marked: HashSet<usize> = site
            .categories
            .iter()
            .filter(|c| c.offline)
            .flat_map(|c| c.sheets.iter().copied())
            .collect();
        pages.retain(|p| match *p {
            Page::Category(i) => site.categories[i].offline,
            Page::Sheet(i) => marked.contains(&i),
            Page::Session(_) | Page::Path(_) | Page::Booklet(_) => false,
            _ => true,
        });
    }
    // First, so that whatever fiches generates at the same path wins.
    let mut files = copy_statics(site, out)?;
    let job = PageJob {
        site,
        bodies: &p.bodies,
        renderer: &renderer,
        inject: wopts.inject.as_deref(),
        target: Target::Staging { previous },
    };
    // Pages and the search index share nothing: build them side by side so
    // that the index's sequential phases overlap the page writes.
    let write_site = || -> Result<(usize, std::time::Duration), Diagnostics> {
        let started = Instant::now();
        let lap = Timer::new();
        let followup = crate::followup::compute(site);
        lap.lap("  pages job, follow-up");
        let n = job.write(&pages, &followup, out, wopts.progress)?;
        let n = n + write_generated_files(p, &theme, &renderer, out)?;
        Ok((n, started.elapsed()))
    };
    // `measure_only`: the index's files as (path, bytes), kept in memory.
    let measured = std::sync::Mutex::new(Vec::<(String, u64)>::new());
    let index = || match (wopts.search, wopts.measure_only) {
        (true, false) => write_index(p, docs, out, previous),
        (true, true) => measure_index(p, docs, &measured),
        (false, _) => Ok(Default::default()),
    };
    let (pages_done, index_done) = rayon::join(write_site, index);
    let (n, pages_time) = pages_done?;
    files += n;
    let (search, index_time) = index_done?;
    // Which of the two ends last is the critical path of the phase.
    timer.lap(&format!(
        "pages, assets and search index in parallel (pages alone: {:.1} ms, index alone: {:.1} ms)",
        pages_time.as_secs_f64() * 1000.0,
        index_time.as_secs_f64() * 1000.0
    ));
    files += search.files;
    // Last: it lists and hashes what the rest wrote.
    let measured = measured.into_inner().unwrap_or_else(|e| e.into_inner());
    let offline = crate::offline::write(
        site,
        &p.bodies,
        &renderer,
        &theme,
        out,
        wopts.inject.is_some(),
        wopts.measure_only.then_some(measured.as_slice()),
    )
    .map_err(Diagnostics::from)?;
    timer.lap("offline");
    Ok(Stats {
        pages: pages.len(),
        sheets: site.sheets.len(),
        files,
        search: wopts.search.then_some(search),
        offline,
    })
}

/// What rendering pages needs, shared by `build` (every page) and `serve`
/// (the pages a change touches): one way to write a page.
pub struct PageJob<'a> {
    pub site: &'a Site,
    pub bodies: &'a Bodies,
    pub renderer: &'a Renderer,
    /// Script injected before `</body>` (serve's live reload).
    pub inject: Option<&'a str>,
    /// What kind of folder `out` is: how a page gets there.
    pub target: Target<'a>,
}

/// The folder a `PageJob` writes into.
#[derive(Clone, Copy)]
pub enum Target<'a> {
    /// A folder being served: each page through a temporary file and a
    /// rename, so that a request never reads half a page.
    Live,
    /// A new folder that nothing reads yet: pages are written in place,
    /// linked from `previous` (the output it will replace) when unchanged.
    Staging { previous: Option<&'a Path> },
}

impl PageJob<'_> {
    /// Renders `pages` in parallel and writes each at its URL under `out`,
    /// through a temporary file and a rename (a request never reads half a
    /// page). Every template error is reported, not only the first.
    pub fn write(
        &self,
        pages: &[Page],
        followup: &crate::followup::FollowUp,
        out: &Path,
        progress: bool,
    ) -> Result<usize, Diagnostics> {
        let progress = progress.then(|| {
            let pb = indicatif::ProgressBar::new(pages.len() as u64);
            pb.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} pages {wide_bar}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            pb
        });
        let site_wide = self.renderer.site_wide(self.site);
        let results: Vec<Result<(), Diagnostics>> = pages
            .par_iter()
            .map(|&page| {
                let html = self.render_shared(page, followup, &site_wide)?;
                let rel = self.renderer.url_of(self.site, page);
                match self.target {
                    Target::Staging { previous } => crate::output::put(out, &rel, html.as_bytes(), previous),
                    Target::Live => write_atomic(out, &rel, html.as_bytes()),
                }
                .map_err(io_error)?;
                if let Some(pb) = &progress {
                    pb.inc(1);
                }
                Ok(())
            })
            .collect();
        if let Some(pb) = progress {
            pb.finish_and_clear();
        }
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
        Ok(pages.len())
    }

    /// `render` with the context shared by every page made once
    /// (`Renderer::site_wide`).
    fn render_shared(
        &self,
        page: Page,
        followup: &crate::followup::FollowUp,
        site_wide: &tera::Context,
    ) -> Result<String, Diagnostics> {
        let html = self
            .renderer
            .render_shared(self.site, self.bodies, followup, page, site_wide)
            .map_err(Diagnostics::from)?;
        Ok(match self.inject {
            Some(script) => inject(&html, script),
            None => html,
        })
    }

    /// The HTML of one page, with the injected script.
    pub fn render(&self, page: Page, followup: &crate::followup::FollowUp) -> Result<String, Diagnostics> {
        let html = self
            .renderer
            .render(self.site, self.bodies, followup, page)
            .map_err(Diagnostics::from)?;
        Ok(match self.inject {
            Some(script) => inject(&html, script),
            None => html,
        })
    }
}

/// Copies the static files, the pools' first so that the site's own win.
/// Paths that fiches generates are left out: the generated file wins, and
/// `source_problems` warns about the shadowed static file.
fn copy_statics(site: &Site, out: &Path) -> Result<usize, Diagnostics> {
    let generated = generated_paths(site);
    let mut files = 0;
    for (d, fence) in static_fences(site) {
        files += crate::output::copy_tree(&d, &fence, out, &|rel| {
            shadowed_by(&generated, &crate::diagnostics::rel_string(rel))
        })
        .map_err(|e| io_error(format!("{e:#}")))?;
    }
    Ok(files)
}

/// The theme's assets, the highlighting CSS, the files beside the content
/// that pages use, the sitemap and the feeds.
fn write_generated_files(
    p: &Prepared,
    theme: &crate::theme::Theme,
    renderer: &Renderer,
    out: &Path,
) -> Result<usize, Diagnostics> {
    let site = &p.site;
    let mut files = 0;
    // A theme may bring its own table; the generated one is otherwise the
    // same for every page, so it is one file and not a copy in each page:
    // the start of `site.js`, which every page loads first (a script tag
    // less in each page, about 70 bytes). `strings.js` stays for a theme's
    // page that still loads it.
    let own_strings = theme.assets.contains_key(crate::render::STRINGS_JS);
    for (name, bytes) in &theme.assets {
        let path = format!("assets/{name}");
        if name == "site.js" && !own_strings {
            let mut with = renderer.strings_js().into_bytes();
            with.extend_from_slice(bytes);
            crate::output::write(out, &path, &with).map_err(io_error)?;
        } else if let (Some(search), "style.css") = (theme.assets.get("search.css"), name.as_str()) {
            // The search box's style goes with the theme's (one style
            // sheet link less in each page, about 70 bytes); `search.css`
            // stays for a theme's page that links it.
            let mut with = bytes.clone();
            with.push(b'\n');
            with.extend_from_slice(search);
            crate::output::write(out, &path, &with).map_err(io_error)?;
        } else {
            crate::output::write(out, &path, bytes).map_err(io_error)?;
        }
        files += 1;
    }
    crate::output::write(out, "assets/highlight.css", markdown::highlight_css().as_bytes()).map_err(io_error)?;
    if !own_strings {
        let path = format!("assets/{}", crate::render::STRINGS_JS);
        crate::output::write(out, &path, renderer.strings_js().as_bytes()).map_err(io_error)?;
        files += 1;
    }
    let mut assets: Vec<&String> = site
        .documents()
        .filter(|d| d.kind != DocKind::Category)
        .flat_map(|d| &p.bodies.of(&d).assets)
        .collect();
    assets.sort();
    assets.dedup();
    for a in assets {
        let bytes = std::fs::read(site.root.join(a)).map_err(io_error)?;
        crate::output::write(out, &crate::model::asset_url(a), &bytes).map_err(io_error)?;
        files += 1;
    }
    write_listings(site, renderer, out)?;
    Ok(files)
}

/// The files that list the whole site: the sitemap, the feeds and calendars;
/// and the redirect pages of the sheets' old ids (`aliases`).
pub fn write_listings(site: &Site, renderer: &Renderer, out: &Path) -> Result<(), Diagnostics> {
    crate::redirect::write(site, out).map_err(io_error)?;
    crate::feeds::write(site, renderer, out).map_err(Diagnostics::from)
}

fn write_index(
    p: &Prepared,
    docs: Vec<fiches_search::SearchDoc>,
    out: &Path,
    previous: Option<&Path>,
) -> Result<(fiches_search::BrowserIndexStats, std::time::Duration), Diagnostics> {
    let started = Instant::now();
    // Written as they are made, linked from the previous output when unchanged.
    let put = |rel: &str, bytes: &[u8]| crate::output::put(out, rel, bytes, previous);
    let search = fiches_search::create_browser_dirs(out)
        .and_then(|()| fiches_search::write_browser_index_with(&crate::index::config(&p.site), &docs, &put))
        .map_err(index_error)?;
    Ok((search, started.elapsed()))
}

/// A search index that could not be made or written, said once for both.
fn index_error(e: impl std::fmt::Display) -> Diagnostics {
    Diagnostics::from(Diagnostic::error(
        "search-index",
        "",
        format!("index de recherche : {e}"),
    ))
}

/// `write_index` for `check`: the index made as `build` makes it, each
/// file's size kept instead of the file (what the offline budget needs).
fn measure_index(
    p: &Prepared,
    docs: Vec<fiches_search::SearchDoc>,
    sizes: &std::sync::Mutex<Vec<(String, u64)>>,
) -> Result<(fiches_search::BrowserIndexStats, std::time::Duration), Diagnostics> {
    let started = Instant::now();
    let put = |rel: &str, bytes: &[u8]| {
        sizes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((rel.to_string(), bytes.len() as u64));
        Ok(())
    };
    let search =
        fiches_search::write_browser_index_with(&crate::index::config(&p.site), &docs, &put).map_err(index_error)?;
    Ok((search, started.elapsed()))
}

/// The paths under the output folder that fiches writes itself (besides
/// the theme's assets): every page, the sitemap, the feeds and calendars,
/// the highlighting CSS; and the folder it owns whole (`search/`).
pub struct Generated<'a> {
    /// Borrowed from the site where it can: a `String` per page made this
    /// set grow faster than the site (8 to 14 times its cost at 10,000
    /// sheets, at 50,000, on a busy machine).
    files: HashSet<std::borrow::Cow<'a, str>>,
    dirs: [&'static str; 1],
    /// The folders that hold `files` (`fiches`, `fiches/wifi/acces`…), made
    /// at the first static file asked about.
    folders: std::sync::OnceLock<HashSet<String>>,
}

/// How a static file (its path under `static/`) is in the way of what
/// fiches writes: the generated file or folder wins, the static file is
/// not published (`static-shadowed`).
pub enum Shadow<'g> {
    /// fiches writes a file at the same path (or under `search/`).
    Same,
    /// fiches writes a file where the static file's path has a folder
    /// (`static/index.html/x.png`, under the home page).
    UnderFile(&'g str),
    /// fiches writes a folder at the static file's path (`static/fiches`).
    Folder,
}

impl Generated<'_> {
    fn folders(&self) -> &HashSet<String> {
        self.folders.get_or_init(|| {
            let mut set = HashSet::new();
            for f in &self.files {
                for (i, _) in f.match_indices('/') {
                    set.insert(f[..i].to_string());
                }
            }
            set.extend(self.dirs.iter().map(|d| d.trim_end_matches('/').to_string()));
            set
        })
    }
}

pub fn generated_paths(site: &Site) -> Generated<'_> {
    generated_where(site, site.sheets.len() + site.categories.len() + 64, |_| true, |_| true)
}

/// `generated_paths` kept to `candidates` (the static files): what
/// `shadowed_by` says of them is the same, without a set of every page (at
/// 50,000 sheets a table of a few MiB filled at random places, 6.2 times
/// the cache misses of 10,000 in callgrind).
pub fn generated_among<'a>(site: &'a Site, candidates: &HashSet<&str>) -> Generated<'a> {
    // `shadow` also asks for a file where a candidate has a folder (its
    // path's prefixes) and for the files under a candidate (a folder).
    let mut wanted = candidates.clone();
    for &c in candidates {
        wanted.extend(c.match_indices('/').map(|(i, _)| &c[..i]));
    }
    // A page is at `<folder>/…` (`DocKind::folder`): it is wanted, or under
    // a candidate, only if a candidate starts with that folder. The static
    // files rarely do, and the pages of a kind no candidate starts with are
    // not read at all: a pass over every sheet's record and URL, far from
    // the caches at 50,000 sheets, 6.1 times the cache misses of 10,000.
    let firsts: HashSet<&str> = candidates.iter().map(|c| c.split('/').next().unwrap_or(c)).collect();
    generated_where(
        site,
        wanted.len(),
        |kind| firsts.contains(kind.folder()),
        |p| wanted.contains(p) || p.match_indices('/').any(|(i, _)| candidates.contains(&p[..i])),
    )
}

fn generated_where<'a>(
    site: &'a Site,
    capacity: usize,
    kinds: impl Fn(DocKind) -> bool,
    keep: impl Fn(&str) -> bool,
) -> Generated<'a> {
    use std::borrow::Cow;
    let mut files: HashSet<Cow<str>> = HashSet::with_capacity(capacity);
    // No candidates (no static file): nothing to look at.
    if capacity > 0 {
        let all = site
            .documents_of(kinds)
            .map(|d| Cow::Borrowed(d.url))
            .chain(
                crate::pages::FIXED
                    .iter()
                    .filter(|p| p.when.holds(site))
                    .map(|p| Cow::Borrowed(p.url)),
            )
            .chain(
                (0..site.categories.len())
                    .filter(|&i| crate::publish::has_booklet(site, i))
                    .map(|i| Cow::Owned(crate::publish::booklet_url(site, i))),
            )
            .chain([
                "assets/highlight.css".into(),
                format!("assets/{}", crate::render::STRINGS_JS).into(),
            ])
            .chain(crate::feeds::paths(site).into_iter().map(Cow::Owned))
            .chain(crate::redirect::urls(site).map(|(u, _)| Cow::Borrowed(u)));
        files.extend(all.filter(|p| keep(p)));
    }
    Generated {
        files,
        dirs: ["search/"],
        folders: Default::default(),
    }
}

/// Whether the static file `rel` (under `static/`) is shadowed by a file
/// or folder that fiches generates at the same place.
pub fn shadowed_by(g: &Generated, rel: &str) -> bool {
    shadow(g, rel).is_some()
}

/// How the static file `rel` is in fiches' way, if it is. Before the two
/// last cases were known, the build failed on them with the system's
/// « Is a directory (os error 21) », in English, naming no file.
pub fn shadow<'g>(g: &'g Generated, rel: &str) -> Option<Shadow<'g>> {
    if g.files.contains(rel) || g.dirs.iter().any(|d| rel.starts_with(d)) {
        return Some(Shadow::Same);
    }
    for (i, _) in rel.match_indices('/') {
        if let Some(f) = g.files.get(&rel[..i]) {
            return Some(Shadow::UnderFile(f));
        }
    }
    g.folders().contains(rel).then_some(Shadow::Folder)
}

fn inject(html: &str, script: &str) -> String {
    match html.rfind("</body>") {
        Some(p) => format!("{}{}{}", &html[..p], script, &html[p..]),
        None => format!("{html}{script}"),
    }
}

/// The `?v=` of the assets: it changes with the theme's files and with the
/// UI strings, which `assets/strings.js` carries.
fn asset_version(theme: &crate::theme::Theme, strings: &crate::i18n::Strings) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    strings.map().hash(&mut h);
    for (k, v) in &theme.assets {
        k.hash(&mut h);
        v.hash(&mut h);
    }
    format!("{:x}", h.finish() & 0xffff_ffff)
}

pub struct BuildOutcome {
    pub stats: Stats,
    /// Files in the `--zip` archive.
    pub zip_files: Option<usize>,
    pub warnings: Diagnostics,
    pub elapsed: std::time::Duration,
}

/// The replaced output's removal, by a detached process (`main.rs`).
pub use crate::output::{remove_in_background, remove_old_tree, REMOVE_OLD_ARG};

/// Ctrl-C during `fiches build`: the staging folder goes, the previous
/// output stays as it was (see `output::abandon`).
pub fn abandon() {
    crate::output::abandon();
}

/// Whether `abandon` was called (see `output::interrupted`).
pub fn interrupted() -> bool {
    crate::output::interrupted()
}

/// `fiches build`: prepare, write into a staging folder, swap. With `zip`,
/// the archive is made from the staging folder and put in place with it:
/// a failure or a Ctrl-C anywhere leaves the previous output and archive.
pub fn build(
    root: &Path,
    out: &Path,
    zip: Option<&Path>,
    opts: &Options,
    wopts: &WriteOptions,
) -> Result<BuildOutcome, Diagnostics> {
    let start = Instant::now();
    check_targets(root, out, None, crate::output::Given::Option)?;
    let mut prepared = prepare_clean(root, opts)?;
    // Rendered, the Markdown sources are read no more (pages and index use
    // the HTML and its text): freed, they make room for the index (337 MB
    // at 50,000 sheets).
    for s in &mut prepared.site.sheets {
        s.body = Default::default();
    }
    // So are what only the checks read: anchors, links to sections, link
    // targets (serve's); small sets, but 50,000 of each.
    for b in prepared.bodies.sheets.iter_mut().chain(&mut prepared.bodies.sessions) {
        b.anchors = Default::default();
        b.anchor_refs = Default::default();
        b.targets = Default::default();
    }
    let staging = crate::output::Staging::new(out)
        .map_err(|e| Diagnostics::from(Diagnostic::error("write-failed", "", format!("{e:#}"))))?;
    let previous = crate::output::previous(out);
    // No page reads the text of a body: the index takes it, without a copy.
    let docs = crate::index::take_documents(&prepared.site, &mut prepared.bodies);
    // Each file hashed as it is written: `offline` reads none of them back.
    crate::output::record_hashes(staging.path());
    let stats = write_all_over(&prepared, docs, staging.path(), wopts, previous.as_deref());
    // Stops recording (offline use off takes no record).
    drop(crate::output::take_hashes(staging.path()));
    let stats = stats?;
    let timer = Timer::new();
    let zip_failed = |e: anyhow::Error| {
        Diagnostics::from(Diagnostic::error(
            "write-failed",
            "",
            format!("archive zip impossible : {e:#}"),
        ))
    };
    // An archive inside the output folder is written into the staged tree,
    // which the swap puts in place; any other waits beside its place.
    let (zip_files, pending) = match zip {
        None => (None, None),
        Some(z) => match crate::fence::real(z).strip_prefix(crate::fence::real(out)) {
            Ok(rel) => {
                let n = crate::archive::write(staging.path(), &staging.path().join(rel)).map_err(zip_failed)?;
                (Some(n), None)
            }
            Err(_) => {
                let p = crate::archive::prepare(staging.path(), z).map_err(zip_failed)?;
                (Some(p.files), Some(p))
            }
        },
    };
    staging
        .commit_then(|| pending.map_or(Ok(()), |p| p.persist().map(|_| ())))
        .map_err(|e| Diagnostics::from(Diagnostic::error("write-failed", "", format!("{e:#}"))))?;
    timer.lap("swap, and removal of the previous output");
    let mut warnings = prepared.diags;
    warnings.extend(stats.offline.warnings.clone());
    warnings.sort();
    Ok(BuildOutcome {
        stats,
        zip_files,
        warnings,
        elapsed: start.elapsed(),
    })
}

/// Refuses, before anything is written, an output folder or a `--zip`
/// archive whose writing could delete what fiches did not write.
pub fn check_targets(
    root: &Path,
    out: &Path,
    zip: Option<&Path>,
    given: crate::output::Given,
) -> Result<(), Diagnostics> {
    // Without a readable book.toml the build stops before writing anyway.
    let pools: Vec<PathBuf> = crate::config::load(root)
        .map(|c| c.pool.into_iter().map(|p| p.path).collect())
        .unwrap_or_default();
    let mut d = Diagnostics::default();
    if let Err(e) = crate::output::check_output(root, out, &pools, given) {
        d.push(e);
    }
    if let Some(z) = zip {
        if let Err(e) = crate::output::check_zip(root, z, &pools) {
            d.push(e);
        }
    }
    if d.has_errors() {
        Err(d)
    } else {
        Ok(())
    }
}

/// Where `output-dir` is set in book.toml, for messages about it.
pub fn output_given(root: &Path, cli: Option<&Path>) -> crate::output::Given {
    match cli {
        Some(_) => crate::output::Given::Option,
        None => crate::output::Given::Config(
            std::fs::read_to_string(root.join(crate::config::CONFIG_FILE))
                .ok()
                .and_then(|t| crate::config::find_key_line(&t, "output-dir")),
        ),
    }
}

/// The output folder: `--output`, else `[build] output-dir` under the root.
pub fn output_dir(root: &Path, cli: Option<&Path>) -> PathBuf {
    match cli {
        Some(p) => p.to_path_buf(),
        None => {
            let cfg = crate::config::load(root).ok();
            root.join(cfg.map(|c| c.build.output_dir).unwrap_or_else(|| "public".into()))
        }
    }
}

/// Phase timings on stderr when `FICHES_TIMINGS` is set: what benchmarks
/// and profiling start from.
pub struct Timer {
    on: bool,
    last: std::cell::Cell<Instant>,
    cpu: std::cell::Cell<f64>,
}

impl Default for Timer {
    fn default() -> Timer {
        Timer::new()
    }
}

impl Timer {
    pub fn new() -> Timer {
        Timer {
            on: std::env::var_os("FICHES_TIMINGS").is_some(),
            last: std::cell::Cell::new(Instant::now()),
            cpu: std::cell::Cell::new(fiches_search::process_cpu_seconds().unwrap_or(0.0)),
        }
    }
    pub fn lap(&self, what: &str) {
        if self.on {
            let now = Instant::now();
            let cpu = fiches_search::process_cpu_seconds().unwrap_or(0.0);
            // CPU seconds (all threads) compare on a loaded machine; wall time does not.
            eprintln!(
                "[timing] {what}: {:.1} ms, CPU {:.2} s{}",
                (now - self.last.get()).as_secs_f64() * 1000.0,
                cpu - self.cpu.get(),
                memory()
            );
            self.last.set(now);
            self.cpu.set(cpu);
        }
    }
}

/// Resident memory now and at its peak so far (Linux), for `Timer`: which
/// stage holds the memory.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let kb = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0)
    };
    format!(" (RSS {} MiB, peak {} MiB)", kb("VmRSS:") / 1024, kb("VmHWM:") / 1024)
}

// Pieces of the pipeline that `serve` re-runs for one page at a time, so that
// its incremental output stays byte-identical to `write_all`'s.

/// The Markdown of one document with its own findings.
pub fn render_markdown(site: &Site, links: &LinkIndex, d: &Document) -> (markdown::Rendered, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let ctx = PageCtx {
        source: d.source(),
        body_line: d.body_line,
        origin_root: d.origin_root,
        page: d.url,
        strings: site.strings(),
        check: &site.config.check,
    };
    let r = markdown::render(d.body, &ctx, links, &mut diags);
    (r, diags)
}

/// Writes through a temporary file and a rename, so that a request never
/// reads a half-written file.
pub fn write_atomic(out: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = out.join(rel);
    let dir = path.parent().unwrap_or(out);
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.fiches-tmp", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &path)?;
    // The feeds of a build are written this way into its staging folder.
    crate::output::record_file(&path, bytes);
    Ok(())
}

/// A failed write, as a finding.
pub fn io_error(e: impl std::fmt::Display) -> Diagnostics {
    Diagnostic::error("write-failed", "", format!("écriture impossible : {e:#}")).into()
}

/// The theme and the renderer `write_all` uses, with the same asset version.
#[allow(clippy::result_large_err)] // a finding, like `Theme::load`'s
pub fn page_renderer(site: &Site) -> Result<(crate::theme::Theme, Renderer), Diagnostic> {
    let theme = crate::theme::Theme::load(&site.root, &site.config.build.theme)?;
    let renderer = Renderer::new(&theme, site.strings(), asset_version(&theme, site.strings()))?;
    Ok((theme, renderer))
}
