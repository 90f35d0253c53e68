//! Offline use on a phone: the web app manifest, its icons, the offline page
//! and the service worker that keeps a chosen part of the site on the device
//! (`[offline]` of `book.toml`, `offline = true` in a category's `_index.md`).
//!
//! Written after every other file, since the precache list gives each file's
//! size and SHA-256 and the cache version is a hash of the whole output: a new
//! build with any change is a new version, which a browser downloads whole
//! before using it (see `themes/default/templates/sw.js`).

use crate::config::{OfflineConfig, CONFIG_FILE};
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::{Bodies, Renderer};
use crate::theme::Theme;
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub const OFFLINE_PAGE: &str = crate::pages::fixed(crate::pages::Fixed::Offline).url;
pub const SERVICE_WORKER: &str = "sw.js";
pub const MANIFEST: &str = "manifest.webmanifest";
const MIB: f64 = 1024.0 * 1024.0;
/// Generated icons, unless the theme ships its own files of these names.
const ICONS: [(&str, u32, bool); 3] = [
    ("icon-192.png", 192, false),
    ("icon-512.png", 512, false),
    ("icon-maskable-512.png", 512, true),
];

/// Replaces a service worker of an earlier build, for `fiches serve` and for
/// sites that turn offline use off: it empties this site's caches, removes
/// itself and reloads the open tabs from the network, so that nothing stale
/// is ever served. It has no `fetch` handler: requests go to the network.
const RETIRE: &str = "/* fiches: offline use is off here (fiches serve, or [offline] enabled = false).\n\
   This worker replaces any earlier one, empties its caches and leaves. */\n\
'use strict';\n\
self.addEventListener('install', function () { self.skipWaiting(); });\n\
self.addEventListener('activate', function (event) {\n\
  var prefix = 'fiches:' + self.registration.scope + ':';\n\
  event.waitUntil(caches.keys().then(function (keys) {\n\
    return Promise.all(keys.filter(function (k) { return k.indexOf(prefix) === 0; }).map(function (k) { return caches.delete(k); }));\n\
  }).then(function () { return self.registration.unregister(); }).then(function () {\n\
    return self.clients.matchAll({ type: 'window' });\n\
  }).then(function (list) { list.forEach(function (c) { c.navigate(c.url); }); }));\n\
});\n";

/// What the build says about offline use.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub enabled: bool,
    /// Cache version: a hash of every file of the output.
    pub version: String,
    pub precache_bytes: u64,
    pub precache_files: usize,
    pub budget_bytes: u64,
    /// Marked categories: id, bytes of the whole category, sheets kept, sheets.
    pub categories: Vec<(String, u64, usize, usize)>,
    pub warnings: Vec<Diagnostic>,
}

/// The name under the home-screen icon: `[offline] short-name`, else the
/// title up to its first dash or colon ("Aide numérique — Collège X").
pub fn short_name(site: &Site) -> String {
    if let Some(s) = &site.config.offline.short_name {
        return s.trim().to_string();
    }
    let title = site.config.book.title.trim();
    let cut = [" — ", " – ", " - ", " : ", ": "]
        .iter()
        .filter_map(|sep| title.find(sep))
        .min()
        .unwrap_or(title.len());
    title[..cut].trim().to_string()
}

/// `[offline] theme-color`, else the `--accent` of the theme's style sheet.
pub fn theme_color(config: &OfflineConfig, theme: &Theme) -> String {
    config.theme_color.clone().unwrap_or_else(|| theme.accent())
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes).into())
}

fn hex(d: &[u8; 32]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // Without a `format!` per byte: called for every file of the output.
    let mut s = String::with_capacity(64);
    for b in d {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    s
}

/// Short file hash as the service worker checks it (first 16 hex digits).
fn file_hash(bytes: &[u8]) -> String {
    sha256_hex(bytes)[..16].to_string()
}

/// One file of the precache.
#[derive(Debug, Clone, Serialize)]
struct Entry(String, String, u64);

#[derive(Serialize)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct Group {
    title: String,
    url: String,
    sheets: Vec<Link>,
    partial: bool,
}

/// Writes the manifest, icons, offline page and service worker into `out`,
/// where every other file already is. `serve`: the live-reload server,
/// which gets a worker that retires any earlier one. `measured`: `check`,
/// the files of the output measured but not written (the search index),
/// path and bytes; only the budget is reported (no offline page, service
/// worker nor version).
pub fn write(
    site: &Site,
    bodies: &Bodies,
    renderer: &Renderer,
    theme: &Theme,
    out: &Path,
    serve: bool,
    measured: Option<&[(String, u64)]>,
) -> Result<Report, Diagnostic> {
    let cfg = &site.config.offline;
    let put = |rel: &str, bytes: &[u8]| {
        crate::output::write(out, rel, bytes).map_err(|e| io_error(std::io::Error::other(format!("{e:#}")), rel))
    };
    let mut report = Report {
        enabled: cfg.enabled && !serve,
        budget_bytes: (cfg.max_mb.max(0.0) * MIB) as u64,
        ..Report::default()
    };
    if !cfg.enabled {
        put(SERVICE_WORKER, RETIRE.as_bytes())?;
        return Ok(report);
    }
    let icons = write_icons(theme, out, &theme_color(cfg, theme), &mut report.warnings)?;
    put(MANIFEST, manifest(site, theme, &icons).as_bytes())?;
    if serve {
        put(SERVICE_WORKER, RETIRE.as_bytes())?;
        return Ok(report);
    }

    let timer = crate::build::Timer::new();
    // The output as written so far: the build's record of every file it
    // wrote (no walk, no read), else a walk (`check`, tests, a library
    // caller that did not record).
    let mut tree = match crate::output::take_hashes(out) {
        Some(recorded) => Tree::recorded(recorded),
        None => Tree::walked(out),
    };
    // What every visitor gets: the theme, the main pages, the search index.
    let mut seen: HashSet<String> = HashSet::new();
    let mut core = core_files(&tree, measured.unwrap_or_default());
    core.retain(|p| seen.insert(p.clone()));
    let sizes: HashMap<&str, u64> = measured
        .unwrap_or_default()
        .iter()
        .map(|(p, n)| (p.as_str(), *n))
        .collect();
    let core_bytes: u64 = core
        .iter()
        .map(|p| sizes.get(p.as_str()).copied().unwrap_or_else(|| tree.len(p)))
        .sum();
    // The offline page: rendered last, as it lists what was chosen, but its
    // size counts first (measured with every marked sheet, its largest).
    let s = site.strings();
    let pages = main_pages(site, &seen);
    let offline_page = |groups: &[Group]| {
        renderer.render_with(site, "offline.html", OFFLINE_PAGE, s.get("offline_title"), &|ctx| {
            ctx.insert("offline_pages", &pages);
            ctx.insert("offline_groups", groups);
        })
    };
    let core_bytes = core_bytes + offline_page(&all_marked(site))?.len() as u64;
    let budget = report.budget_bytes;
    if core_bytes > budget {
        report.warnings.push(core_budget_warning(site, core_bytes, budget));
    }

    timer.lap("  offline, core files and offline page");
    let (chosen, groups) = choose_categories(site, bodies, &tree, core_bytes, &mut seen, &mut report);
    if measured.is_some() {
        return Ok(report);
    }

    // The offline page lists what was chosen, so it comes last.
    let html = offline_page(&groups)?;
    put(OFFLINE_PAGE, html.as_bytes())?;
    tree.insert(OFFLINE_PAGE, html.as_bytes());
    core.push(OFFLINE_PAGE.to_string());

    let list: Vec<String> = core.into_iter().chain(chosen).collect();
    // One read and one hash of each file not hashed yet, for both the
    // version and the precache list (none after a recorded build).
    tree.hash_all(out)
        .map_err(|e| io_error(e, "la version hors connexion"))?;
    let version = tree.version();
    timer.lap("  offline, version (every file of the output)");
    let entries = precache_entries(out, &list, &tree)?;
    report.precache_files = entries.len();
    report.precache_bytes = entries.iter().map(|e| e.2).sum();
    report.version = version;

    let sw = service_worker(site, renderer, out, &report.version, &entries)?;
    put(SERVICE_WORKER, sw.as_bytes())?;
    timer.lap("  offline, precache list and service worker");
    Ok(report)
}

/// The diagnostic for a file of the offline output that cannot be written or read.
fn io_error(e: std::io::Error, what: &str) -> Diagnostic {
    Diagnostic::error("write-failed", "", format!("écriture impossible de {what} : {e}"))
}

/// The core every visitor gets: theme assets and search index (sorted per
/// folder; `measured`, files not written), then the main pages and the
/// manifest that exist.
fn core_files(tree: &Tree, measured: &[(String, u64)]) -> Vec<String> {
    let mut core: Vec<String> = Vec::new();
    for dir in ["assets", "search"] {
        let mut files: Vec<String> = tree.under(dir).map(|f| f.rel.clone()).collect();
        files.extend(
            measured
                .iter()
                .filter(|(p, _)| p.strip_prefix(dir).is_some_and(|r| r.starts_with('/')))
                .map(|(p, _)| p.clone()),
        );
        files.sort();
        core.extend(files);
    }
    for p in [
        "index.html",
        "fiches/index.html",
        "recherche/index.html",
        "actions/index.html",
        MANIFEST,
    ] {
        if tree.contains(p) {
            core.push(p.to_string());
        }
    }
    core
}

/// The main pages the offline page links to: those in the core (the actions
/// page only when the site has actions).
fn main_pages(site: &Site, seen: &HashSet<String>) -> Vec<Link> {
    let s = site.strings();
    let mut pages = vec![Link {
        title: s.get("home").into(),
        url: "index.html".into(),
    }];
    for (p, key) in [
        ("fiches/index.html", "all_sheets"),
        ("recherche/index.html", "search_title"),
        ("actions/index.html", "actions"),
    ] {
        if seen.contains(p) && (p != "actions/index.html" || !site.actions.is_empty()) {
            pages.push(Link {
                title: s.get(key).into(),
                url: p.into(),
            });
        }
    }
    pages
}

/// A category's group on the offline page, with the sheets `kept`.
fn group(site: &Site, c: &crate::model::Category, kept: &[usize], partial: bool) -> Group {
    Group {
        title: c.title.clone(),
        url: c.url.clone(),
        sheets: kept
            .iter()
            .map(|&i| Link {
                title: site.sheets[i].title.clone(),
                url: site.sheets[i].url.clone(),
            })
            .collect(),
        partial,
    }
}

/// Every marked category with all its sheets: the offline page at its largest,
/// to count its size in the core before choosing.
fn all_marked(site: &Site) -> Vec<Group> {
    site.categories
        .iter()
        .filter(|c| c.offline)
        .map(|c| group(site, c, &c.sheets, true))
        .collect()
}

/// The core alone is over budget: it is kept, and the warning says which
/// `max-mb` would keep the marked categories too.
fn core_budget_warning(site: &Site, core_bytes: u64, budget: u64) -> Diagnostic {
    let mut d = Diagnostic::warning(
        "offline-budget",
        CONFIG_FILE,
        format!(
            "le socle hors connexion (thème, pages principales, index de recherche) pèse {} : plus que le budget de {} (`[offline] max-mb`)",
            mib(core_bytes),
            mib(budget)
        ),
    )
    .hint(format!(
        "il est gardé quand même, sans aucune catégorie : donnez `max-mb = {:.0}` ou plus pour garder les catégories marquées",
        (core_bytes as f64 / MIB).ceil() + 1.0
    ));
    if let Some(l) = crate::config::find_key_line(
        &std::fs::read_to_string(site.root.join(CONFIG_FILE)).unwrap_or_default(),
        "max-mb",
    ) {
        d = d.at(l, None);
    }
    d
}

/// Marked categories, in the site's order, while the budget lasts: the files
/// chosen (after the core's `core_bytes`) and the offline page's groups.
fn choose_categories(
    site: &Site,
    bodies: &Bodies,
    tree: &Tree,
    core_bytes: u64,
    seen: &mut HashSet<String>,
    report: &mut Report,
) -> (Vec<String>, Vec<Group>) {
    let budget = report.budget_bytes;
    let size = |rel: &str| tree.len(rel);
    let mut used = core_bytes;
    let mut chosen: Vec<String> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for (ci, c) in site.categories.iter().enumerate() {
        if !c.offline {
            continue;
        }
        let files_of_sheet = |i: usize| -> Vec<String> {
            let mut v = vec![site.sheets[i].url.clone()];
            v.extend(bodies.sheets[i].assets.iter().map(|a| crate::model::asset_url(a)));
            v.retain(|p| !seen.contains(p) && tree.contains(p));
            v
        };
        let page = (!seen.contains(&c.url)).then(|| c.url.clone());
        let sheets: Vec<(usize, Vec<String>)> = c.sheets.iter().map(|&i| (i, files_of_sheet(i))).collect();
        let total: u64 = page.iter().map(|p| size(p)).sum::<u64>()
            + sheets.iter().flat_map(|(_, f)| f).map(|p| size(p)).sum::<u64>();
        let mut kept = Vec::new();
        let take = |files: &[String], used: &mut u64, chosen: &mut Vec<String>, seen: &mut HashSet<String>| {
            let b: u64 = files.iter().filter(|p| !seen.contains(*p)).map(|p| size(p)).sum();
            if *used + b > budget {
                return false;
            }
            *used += b;
            for f in files {
                if seen.insert(f.clone()) {
                    chosen.push(f.clone());
                }
            }
            true
        };
        let page_in = match &page {
            Some(p) => take(std::slice::from_ref(p), &mut used, &mut chosen, seen),
            None => true,
        };
        if page_in {
            for (i, files) in &sheets {
                if take(files, &mut used, &mut chosen, seen) {
                    kept.push(*i);
                }
            }
        }
        let partial = kept.len() < c.sheets.len();
        if partial || !page_in {
            // A photo straight from a phone: the file to make lighter, not
            // a budget to raise for every reader.
            let heaviest = sheets
                .iter()
                .flat_map(|(_, f)| f)
                .filter(|p| !p.ends_with(".html"))
                .map(|p| (size(p), p))
                .max()
                .filter(|(b, _)| b * 2 > budget)
                .map(|(b, p)| {
                    (
                        b,
                        p.strip_prefix("_assets/").map_or(p.clone(), |a| format!("content/{a}")),
                    )
                });
            report.warnings.push(budget_warning(
                site,
                ci,
                (total, budget),
                (kept.len(), c.sheets.len()),
                heaviest,
            ));
        }
        report
            .categories
            .push((c.id.clone(), total, kept.len(), c.sheets.len()));
        if page_in {
            groups.push(group(site, c, &kept, partial));
        }
    }
    (chosen, groups)
}

/// Each precached file with its hash and size: from `tree`, else read now
/// (none is missing there: the list is made of its files), in parallel.
fn precache_entries(out: &Path, list: &[String], tree: &Tree) -> Result<Vec<Entry>, Diagnostic> {
    list.par_iter()
        .map(|p| match tree.get(p).and_then(|f| Some((f.sha256?, f.len))) {
            Some((sha256, len)) => Ok(Entry(p.clone(), hex(&sha256)[..16].to_string(), len)),
            None => {
                let bytes = std::fs::read(out.join(p)).map_err(|e| io_error(e, p))?;
                Ok(Entry(p.clone(), file_hash(&bytes), bytes.len() as u64))
            }
        })
        .collect::<Result<_, Diagnostic>>()
}

/// A file of the output: its path relative to the output folder, its
/// length and, once known, its SHA-256.
struct TreeFile {
    rel: String,
    len: u64,
    sha256: Option<[u8; 32]>,
}

/// Every file of the output, sorted by relative path (its bytes).
struct Tree {
    files: Vec<TreeFile>,
}

impl Tree {
    /// From the build's record (`output::take_hashes`): every file with its
    /// hash, nothing read from the disk.
    fn recorded(recorded: Vec<(String, crate::output::Digest)>) -> Tree {
        Tree {
            files: recorded
                .into_iter()
                .map(|(rel, (sha256, len))| TreeFile {
                    rel,
                    len,
                    sha256: Some(sha256),
                })
                .collect(),
        }
    }

    /// From a walk of `out`: lengths now, hashes when [`Tree::hash_all`]
    /// reads the files.
    fn walked(out: &Path) -> Tree {
        let mut files: Vec<TreeFile> = walkdir::WalkDir::new(out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| TreeFile {
                rel: crate::diagnostics::rel_string(e.path().strip_prefix(out).unwrap_or(e.path())),
                len: e.metadata().map(|m| m.len()).unwrap_or(0),
                sha256: None,
            })
            .collect();
        files.par_sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
        Tree { files }
    }

    fn get(&self, rel: &str) -> Option<&TreeFile> {
        self.files
            .binary_search_by(|f| f.rel.as_str().cmp(rel))
            .ok()
            .map(|i| &self.files[i])
    }

    fn contains(&self, rel: &str) -> bool {
        self.get(rel).is_some()
    }

    /// The size of `rel`, 0 if it is missing (it is then not cached).
    fn len(&self, rel: &str) -> u64 {
        self.get(rel).map_or(0, |f| f.len)
    }

    /// The files under folder `dir`, in order.
    fn under<'t>(&'t self, dir: &str) -> impl Iterator<Item = &'t TreeFile> + 't {
        let prefix = format!("{dir}/");
        let start = self.files.partition_point(|f| f.rel.as_str() < prefix.as_str());
        self.files[start..]
            .iter()
            .take_while(move |f| f.rel.starts_with(&prefix))
    }

    /// `rel` just written with `bytes`.
    fn insert(&mut self, rel: &str, bytes: &[u8]) {
        let f = TreeFile {
            rel: rel.to_string(),
            len: bytes.len() as u64,
            sha256: Some(Sha256::digest(bytes).into()),
        };
        match self.files.binary_search_by(|g| g.rel.as_str().cmp(rel)) {
            Ok(i) => self.files[i] = f,
            Err(i) => self.files.insert(i, f),
        }
    }

    /// Reads and hashes, in parallel, the files whose hash is not known.
    fn hash_all(&mut self, out: &Path) -> std::io::Result<()> {
        self.files
            .par_iter_mut()
            .filter(|f| f.sha256.is_none())
            .try_for_each(|f| {
                let bytes = std::fs::read(out.join(&f.rel))?;
                f.sha256 = Some(Sha256::digest(&bytes).into());
                f.len = bytes.len() as u64;
                Ok(())
            })
    }

    /// The cache version: SHA-256 of every output file's path and hash in
    /// path order (but the service worker, which carries it), after
    /// [`Tree::hash_all`].
    fn version(&self) -> String {
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION"));
        for f in self.files.iter().filter(|f| f.rel != SERVICE_WORKER) {
            h.update(f.rel.as_bytes());
            h.update([0]);
            h.update(f.sha256.unwrap_or_default());
        }
        h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

/// The service worker, with its precache list and the search index's build
/// id, so that a new build replaces the cache.
fn service_worker(
    site: &Site,
    renderer: &Renderer,
    out: &Path,
    version: &str,
    entries: &[Entry],
) -> Result<String, Diagnostic> {
    let search_build = std::fs::read_to_string(out.join("search/manifest.js"))
        .ok()
        .and_then(|t| {
            let i = t.find("\"build\":\"")? + 9;
            let rest = &t[i..];
            Some(rest[..rest.find('"')?].to_string())
        })
        .unwrap_or_default();
    // `</` cannot close anything in a .js file, but the list stays JSON-clean.
    let config = serde_json::json!({
        "version": version,
        "assets": renderer.asset_version,
        "build": search_build,
        "offline": OFFLINE_PAGE,
        "precache": by_folder(entries),
    });
    renderer.render_with(site, SERVICE_WORKER, SERVICE_WORKER, "", &|ctx| {
        ctx.insert("config", &config.to_string());
    })
}

/// The precache list grouped by folder, `[[folder, [[name, hash, size]…]]…]`
/// (consecutive entries of one folder, in the list's order): a folder is
/// written once, not in each of its files' entries (`search/d/` in 10,000
/// of them at 10,000 sheets). sw.js makes the paths again.
fn by_folder(entries: &[Entry]) -> serde_json::Value {
    let mut groups: Vec<(&str, Vec<serde_json::Value>)> = Vec::new();
    for Entry(path, hash, len) in entries {
        let (folder, name) = path
            .rsplit_once('/')
            .map(|(d, n)| (&path[..d.len() + 1], n))
            .unwrap_or(("", path));
        let e = serde_json::json!([name, hash, len]);
        match groups.last_mut() {
            Some((f, v)) if *f == folder => v.push(e),
            _ => groups.push((folder, vec![e])),
        }
    }
    serde_json::json!(groups)
}

fn mib(bytes: u64) -> String {
    format!("{:.1} Mio", bytes as f64 / MIB).replace('.', ",")
}

/// A marked category that does not fit, pointed at the `offline = true`
/// that marks it (its own `_index.md` or an ancestor's).
fn budget_warning(
    site: &Site,
    ci: usize,
    (total, budget): (u64, u64),
    (kept, all): (usize, usize),
    heaviest: Option<(u64, String)>,
) -> Diagnostic {
    let c = &site.categories[ci];
    let mut at = Some(ci);
    let mut file = c
        .source
        .clone()
        .unwrap_or_else(|| format!("content/fiches/{}/_index.md", c.id));
    let mut line = None;
    while let Some(k) = at {
        if let Some(src) = &site.categories[k].source {
            let text = std::fs::read_to_string(site.root.join(src)).unwrap_or_default();
            if let Some(l) = crate::config::find_key_line(&text, "offline") {
                file = src.clone();
                line = Some(l);
                break;
            }
        }
        at = site.categories[k].parent;
    }
    let mut d = Diagnostic::warning(
        "offline-budget",
        file,
        format!(
            "la catégorie « {} », marquée hors connexion, pèse {} et dépasse le budget de {} (`[offline] max-mb`) : {}",
            c.title,
            mib(total),
            mib(budget),
            match (kept, all) {
                (0, 1) => "sa fiche ne sera pas gardée hors connexion".to_string(),
                (0, _) => format!("aucune de ses {all} fiches ne sera gardée hors connexion"),
                (1, _) => format!("1 fiche sur {all} sera gardée hors connexion"),
                _ => format!("{kept} fiches sur {all} seront gardées hors connexion"),
            }
        ),
    )
    .hint(match heaviest {
        Some((bytes, file)) => format!(
            "`{file}` pèse à lui seul {} : réduisez-le (une image de 1 600 pixels de large au plus, quelques centaines de Kio) plutôt que d'augmenter `max-mb`, que chaque téléphone télécharge",
            mib(bytes)
        ),
        None => "augmentez `max-mb` dans la section `[offline]` de book.toml, ou marquez une sous-catégorie plutôt que toute la catégorie".into(),
    });
    if let Some(l) = line {
        d = d.at(l, None);
    }
    d
}

/// Icons from the theme's favicon (SVG), unless the theme ships PNGs of the
/// same names. Returns the names written or shipped, with their size.
fn write_icons(
    theme: &Theme,
    out: &Path,
    color: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<(String, u32, bool)>, Diagnostic> {
    let mut icons = Vec::new();
    let svg = theme.assets.get("favicon.svg");
    for (name, px, maskable) in ICONS {
        if theme.assets.contains_key(name) {
            icons.push((name.to_string(), px, maskable));
            continue;
        }
        let Some(svg) = svg else { continue };
        match render_icon(svg, px, maskable.then_some(color)) {
            Ok(png) => {
                crate::output::write(out, &format!("assets/{name}"), &png)
                    .map_err(|e| Diagnostic::error("write-failed", "", format!("{e:#}")))?;
                icons.push((name.to_string(), px, maskable));
            }
            Err(e) => {
                warnings.push(
                    Diagnostic::warning(
                        "offline-icon",
                        "themes/assets/favicon.svg",
                        format!("icône de l'application impossible à produire depuis favicon.svg : {e}"),
                    )
                    .hint(format!(
                        "placez une image `assets/{name}` ({px}×{px} px) dans le thème du site"
                    )),
                );
                break;
            }
        }
    }
    Ok(icons)
}

/// Renders `svg` into a `px`×`px` PNG. Maskable icons get a solid background
/// and the picture inside the safe zone (the centre circle of 80 %).
fn render_icon(svg: &[u8], px: u32, background: Option<&str>) -> Result<Vec<u8>, String> {
    use resvg::{tiny_skia, usvg};
    let tree = usvg::Tree::from_data(svg, &usvg::Options::default()).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(px, px).ok_or("taille nulle")?;
    let mut side = px as f32;
    if let Some(bg) = background {
        let h = bg.trim_start_matches('#');
        let full: String = if h.len() <= 4 {
            h.chars().flat_map(|c| [c, c]).collect()
        } else {
            h.to_string()
        };
        let byte = |i: usize| u8::from_str_radix(full.get(i..i + 2).unwrap_or("ff"), 16).unwrap_or(255);
        pixmap.fill(tiny_skia::Color::from_rgba8(byte(0), byte(2), byte(4), 255));
        side *= 0.56;
    }
    let size = tree.size();
    let scale = side / size.width().max(size.height());
    let offset = (px as f32 - side) / 2.0;
    let t = tiny_skia::Transform::from_scale(scale, scale).post_translate(offset, offset);
    resvg::render(&tree, t, &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

fn manifest(site: &Site, theme: &Theme, icons: &[(String, u32, bool)]) -> String {
    let cfg = &site.config;
    let mut list: Vec<serde_json::Value> = icons
        .iter()
        .map(|(name, px, maskable)| {
            serde_json::json!({
                "src": format!("assets/{name}"),
                "sizes": format!("{px}x{px}"),
                "type": "image/png",
                "purpose": if *maskable { "maskable" } else { "any" },
            })
        })
        .collect();
    if theme.assets.contains_key("favicon.svg") {
        list.push(serde_json::json!({"src": "assets/favicon.svg", "sizes": "any", "type": "image/svg+xml"}));
    }
    // Relative to the manifest, which sits at the base URL: start_url and
    // scope are the base URL wherever the host puts the site.
    let m = serde_json::json!({
        "name": cfg.book.title,
        "short_name": short_name(site),
        "description": cfg.book.description,
        "lang": cfg.book.language,
        "dir": "ltr",
        "id": "./",
        "start_url": "./index.html",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": theme_color(&cfg.offline, theme),
        "icons": list,
    });
    serde_json::to_string_pretty(&m).unwrap_or_default() + "\n"
}
