//! The pipeline: load → model → render Markdown → (check) → render pages →
//! index → write. `build`, `serve`, `check` and `search` are thin layers
//! over these functions.

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, LinkIndex, PageCtx};
use crate::model::{ModelOptions, Site};
use crate::render::{Bodies, Renderer};
use anyhow::Result;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A loaded, resolved and Markdown-rendered site, ready to write.
pub struct Prepared {
    pub site: Site,
    pub bodies: Bodies,
    pub diags: Diagnostics,
}

pub struct Options {
    pub include_drafts: bool,
    pub today: Option<Date>,
}

/// Loads and checks the whole site. `Err` carries every error found.
pub fn prepare(root: &Path, opts: &Options) -> Result<Prepared, Diagnostics> {
    let timer = Timer::new();
    let mut diags = Diagnostics::default();
    let config = crate::config::load(root)?;
    let content = crate::load::load(root, &config, &mut diags);
    let mopts = ModelOptions {
        include_drafts: opts.include_drafts,
        today: opts.today.unwrap_or_else(Date::today),
    };
    timer.lap("load");
    let site = crate::model::build(root, config, content, &mopts, &mut diags);
    diags.extend(source_problems(&site));
    timer.lap("model");
    let bodies = render_bodies(&site, &mut diags);
    check_anchors(&site, &bodies, &mut diags);
    timer.lap("markdown");
    diags.sort();
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Prepared { site, bodies, diags })
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
pub fn source_problems(site: &Site) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    static_files(site, &mut problems);
    problems
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
    LinkIndex {
        pages: site.pages.clone(),
        statics,
        content_assets,
    }
}

pub fn render_bodies(site: &Site, diags: &mut Diagnostics) -> Bodies {
    let links = link_index(site);
    let render_one = |source: &str, body: &str, body_line: usize, origin: &str, url: &str| {
        render_markdown(site, &links, source, body, body_line, origin, url)
    };
    let sheets: Vec<_> = site
        .sheets
        .par_iter()
        .map(|s| render_one(&s.source, &s.body, s.body_line, &s.origin_root, &s.url))
        .collect();
    let sessions: Vec<_> = site
        .sessions
        .par_iter()
        .map(|s| render_one(&s.source, &s.body, s.body_line, "", &s.url))
        .collect();
    let paths: Vec<_> = site
        .paths
        .par_iter()
        .map(|s| render_one(&s.source, &s.body, s.body_line, "", &s.url))
        .collect();
    let categories: Vec<_> = site
        .categories
        .par_iter()
        .map(|c| {
            render_one(
                c.source.as_deref().unwrap_or("content/fiches"),
                &c.body,
                c.body_line,
                "",
                &c.url,
            )
        })
        .collect();
    let mut unzip = |v: Vec<(markdown::Rendered, Vec<Diagnostic>)>| {
        v.into_iter()
            .map(|(r, d)| {
                diags.extend(d);
                r
            })
            .collect::<Vec<_>>()
    };
    Bodies {
        sheets: unzip(sheets),
        sessions: unzip(sessions),
        paths: unzip(paths),
        categories: unzip(categories),
    }
}

/// `page.md#section` must name a heading of that page.
fn check_anchors(site: &Site, bodies: &Bodies, diags: &mut Diagnostics) {
    let mut anchors: HashMap<&str, &HashSet<String>> = HashMap::new();
    for (s, b) in site.sheets.iter().zip(&bodies.sheets) {
        anchors.insert(&s.source, &b.anchors);
    }
    for (s, b) in site.sessions.iter().zip(&bodies.sessions) {
        anchors.insert(&s.source, &b.anchors);
    }
    for (s, b) in site.paths.iter().zip(&bodies.paths) {
        anchors.insert(&s.source, &b.anchors);
    }
    let sources = site
        .sheets
        .iter()
        .map(|s| s.source.as_str())
        .zip(&bodies.sheets)
        .chain(site.sessions.iter().map(|s| s.source.as_str()).zip(&bodies.sessions))
        .chain(site.paths.iter().map(|s| s.source.as_str()).zip(&bodies.paths));
    for (source, body) in sources {
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
                format!("la section `#{}` n'existe pas dans `{}`", r.anchor, r.target_source),
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
    let site = &p.site;
    let timer = Timer::new();
    let fail = Diagnostics::from;
    let io = |e: anyhow::Error| {
        fail(Diagnostic::error(
            "write-failed",
            "",
            format!("écriture impossible : {e:#}"),
        ))
    };
    let theme = crate::theme::Theme::load(&site.root, &site.config.build.theme).map_err(fail)?;
    crate::output::mark(out).map_err(io)?;
    let version = asset_version(&theme);
    let renderer = Renderer::new(&theme, site.strings(), version).map_err(fail)?;
    let followup = crate::followup::compute(site);
    let pages = Renderer::pages(site);
    // Pages and the search index share nothing: build them side by side so
    // that the index's sequential phases overlap the page writes.
    let write_pages = || -> Result<usize, Diagnostics> {
        let progress = wopts.progress.then(|| {
            let pb = indicatif::ProgressBar::new(pages.len() as u64);
            pb.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} pages {wide_bar}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            pb
        });
        let results: Vec<Result<(), Diagnostics>> = pages
            .par_iter()
            .map(|&page| {
                let html = renderer.render(site, &p.bodies, &followup, page).map_err(fail)?;
                let html = match &wopts.inject {
                    Some(script) => inject(&html, script),
                    None => html,
                };
                crate::output::write(out, &renderer.url_of(site, page), html.as_bytes()).map_err(io)?;
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
        let mut files = pages.len();
        // Static files, then the theme's assets (which a site may override).
        for (d, fence) in static_fences(site) {
            files += crate::output::copy_tree(&d, &fence, out).map_err(io)?;
        }
        for (name, bytes) in &theme.assets {
            crate::output::write(out, &format!("assets/{name}"), bytes).map_err(io)?;
            files += 1;
        }
        crate::output::write(out, "assets/highlight.css", markdown::highlight_css().as_bytes()).map_err(io)?;
        let mut assets: Vec<&String> = p
            .bodies
            .sheets
            .iter()
            .chain(&p.bodies.sessions)
            .chain(&p.bodies.paths)
            .flat_map(|b| &b.assets)
            .collect();
        assets.sort();
        assets.dedup();
        for a in assets {
            let bytes = std::fs::read(site.root.join(a)).map_err(|e| io(e.into()))?;
            crate::output::write(out, &crate::model::asset_url(a), &bytes).map_err(io)?;
            files += 1;
        }
        crate::feeds::write(site, &renderer, out).map_err(fail)?;
        Ok(files)
    };
    let write_index = || -> Result<(fiches_search::BrowserIndexStats, std::time::Duration), Diagnostics> {
        let started = Instant::now();
        let docs = crate::index::documents(site, &p.bodies);
        let search = fiches_search::write_browser_index(out, &crate::index::config(site), &docs).map_err(|e| {
            fail(Diagnostic::error(
                "search-index",
                "",
                format!("index de recherche : {e}"),
            ))
        })?;
        Ok((search, started.elapsed()))
    };
    let (pages_done, index_done) = rayon::join(write_pages, write_index);
    let mut files = pages_done?;
    let (search, index_time) = index_done?;
    timer.lap(&format!(
        "pages, assets and search index in parallel (index alone: {:.1} ms)",
        index_time.as_secs_f64() * 1000.0
    ));
    files += search.files;
    // Last: it lists and hashes what the rest wrote.
    let offline =
        crate::offline::write(site, &p.bodies, &renderer, &theme, out, wopts.inject.is_some()).map_err(fail)?;
    timer.lap("offline");
    Ok(Stats {
        pages: pages.len(),
        sheets: site.sheets.len(),
        files,
        search: Some(search),
        offline,
    })
}

fn inject(html: &str, script: &str) -> String {
    match html.rfind("</body>") {
        Some(p) => format!("{}{}{}", &html[..p], script, &html[p..]),
        None => format!("{html}{script}"),
    }
}

fn asset_version(theme: &crate::theme::Theme) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_PKG_VERSION").hash(&mut h);
    for (k, v) in &theme.assets {
        k.hash(&mut h);
        v.hash(&mut h);
    }
    format!("{:x}", h.finish() & 0xffff_ffff)
}

pub struct BuildOutcome {
    pub stats: Stats,
    pub warnings: Diagnostics,
    pub elapsed: std::time::Duration,
}

/// `fiches build`: prepare, write into a staging folder, swap.
pub fn build(root: &Path, out: &Path, opts: &Options, wopts: &WriteOptions) -> Result<BuildOutcome, Diagnostics> {
    let start = Instant::now();
    check_targets(root, out, None, crate::output::Given::Option)?;
    let prepared = prepare(root, opts)?;
    let staging = crate::output::Staging::new(out)
        .map_err(|e| Diagnostics::from(Diagnostic::error("write-failed", "", format!("{e:#}"))))?;
    let stats = write_all(&prepared, staging.path(), wopts)?;
    staging
        .commit()
        .map_err(|e| Diagnostics::from(Diagnostic::error("write-failed", "", format!("{e:#}"))))?;
    let mut warnings = prepared.diags;
    warnings.extend(stats.offline.warnings.clone());
    warnings.sort();
    Ok(BuildOutcome {
        stats,
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
struct Timer {
    on: bool,
    last: std::cell::Cell<Instant>,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            on: std::env::var_os("FICHES_TIMINGS").is_some(),
            last: std::cell::Cell::new(Instant::now()),
        }
    }
    fn lap(&self, what: &str) {
        if self.on {
            let now = Instant::now();
            eprintln!(
                "[timing] {what}: {:.1} ms",
                (now - self.last.get()).as_secs_f64() * 1000.0
            );
            self.last.set(now);
        }
    }
}

// Pieces of the pipeline that `serve` re-runs for one page at a time, so that
// its incremental output stays byte-identical to `write_all`'s.

/// The Markdown of one page with its own findings, as `render_bodies` renders
/// it (categories pass `content/fiches` when they have no `_index.md`).
pub fn render_markdown(
    site: &Site,
    links: &LinkIndex,
    source: &str,
    body: &str,
    body_line: usize,
    origin: &str,
    url: &str,
) -> (markdown::Rendered, Vec<Diagnostic>) {
    let mut d = Vec::new();
    let root = crate::html::root_prefix(url);
    let ctx = PageCtx {
        source,
        body_line,
        origin_root: origin,
        to_root: &root,
        strings: site.strings(),
    };
    let r = markdown::render(body, &ctx, links, &mut d);
    (r, d)
}

/// What `check_anchors` finds, on its own.
pub fn anchor_findings(site: &Site, bodies: &Bodies) -> Diagnostics {
    let mut d = Diagnostics::default();
    check_anchors(site, bodies, &mut d);
    d
}

/// The renderer `write_all` uses, with the same asset version.
#[allow(clippy::result_large_err)] // a finding, like `Theme::load`'s
pub fn page_renderer(site: &Site) -> Result<Renderer, Diagnostic> {
    let theme = crate::theme::Theme::load(&site.root, &site.config.build.theme)?;
    Renderer::new(&theme, site.strings(), asset_version(&theme))
}

/// `write_all`'s injection of the serve script before `</body>`.
pub fn inject_script(html: &str, script: &str) -> String {
    inject(html, script)
}
