//! Serve's cache of rendered Markdown. After a change, only the documents
//! whose text changed, or whose links may now resolve differently, are
//! rendered again, by `build::render_documents` or `build::render_markdown`
//! as in `fiches build`; the others keep their body, matched by
//! `Document::key` (indices move when the model is built again).

use crate::build;
use crate::diagnostics::Diagnostic;
use crate::markdown::{LinkIndex, Rendered};
use crate::model::{DocKind, Site};
use crate::render::{Bodies, Page};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Findings of each document's Markdown, by `Document::key`.
pub type Findings = HashMap<String, Vec<Diagnostic>>;

/// How the link targets changed.
#[derive(Default, Clone)]
pub struct LinkChange {
    /// Targets gone or moved (`LinkIndex` keys): a page that looked one up
    /// (`Rendered::targets`) changes.
    pub moved: HashSet<String>,
    /// A target appeared: it can only fix pages that had findings.
    pub added: bool,
}

pub fn compare_links(old: &LinkIndex, new: &LinkIndex) -> LinkChange {
    let pages = old
        .pages
        .iter()
        .filter(|(s, u)| new.pages.get(*s) != Some(*u))
        .map(|(s, _)| s);
    let statics = old.statics.iter().filter(|s| !new.statics.contains(*s));
    let assets = old.content_assets.iter().filter(|a| !new.content_assets.contains(*a));
    let folders = old
        .folders
        .iter()
        .filter(|(f, u)| new.folders.get(*f) != Some(*u))
        .map(|(f, _)| f);
    LinkChange {
        moved: pages.chain(statics).chain(assets).chain(folders).cloned().collect(),
        added: new.pages.keys().any(|s| !old.pages.contains_key(s))
            || new.folders.keys().any(|f| !old.folders.contains_key(f))
            || new.statics.iter().any(|s| !old.statics.contains(s))
            || new.content_assets.iter().any(|a| !old.content_assets.contains(a))
            // Only a broken link's hint names them: pages with findings.
            || new.renamed != old.renamed,
    }
}

/// Renders again the Markdown of the sheets patched in place.
pub fn patch(site: &Site, links: &LinkIndex, bodies: &mut Bodies, findings: &mut Findings, patched: &BTreeSet<usize>) {
    for &i in patched {
        let d = site.document(DocKind::Sheet, i);
        let (r, found) = build::render_markdown(site, links, &d);
        findings.insert(d.key(), found);
        bodies.set(&d, r);
    }
}

/// After `Site::insert_sheet` put a sheet at `at`: its body, and those of
/// the documents with findings (a new target can only fix a broken link
/// or change its hint) rendered again. Gives what `rerender` gives of them
/// (the sheets whose page may show another body) and the pages of the
/// other documents rendered again.
pub fn sheet_came(
    site: &Site,
    links: &LinkIndex,
    bodies: &mut Bodies,
    findings: &mut Findings,
    at: usize,
) -> (BTreeSet<String>, Vec<Page>) {
    let d = site.document(DocKind::Sheet, at);
    let (r, found) = build::render_markdown(site, links, &d);
    bodies.sheets.insert(at, r);
    findings.insert(d.key(), found);
    again(site, links, bodies, findings, |_| false, Some(at))
}

/// After `Site::remove_sheet` took out the sheet of `source` from `at`: its
/// body goes, and the documents that looked it up or have findings (the
/// hints of broken links name the files that exist) are rendered again.
pub fn sheet_went(
    site: &Site,
    links: &LinkIndex,
    bodies: &mut Bodies,
    findings: &mut Findings,
    at: usize,
    source: &str,
) -> (BTreeSet<String>, Vec<Page>) {
    bodies.sheets.remove(at);
    findings.remove(&format!("s:{source}"));
    again(
        site,
        links,
        bodies,
        findings,
        |r| r.targets.iter().any(|t| t == source),
        None,
    )
}

/// Renders again the documents with findings and those `looked_up` picks
/// (but the sheet `new`, just rendered).
fn again(
    site: &Site,
    links: &LinkIndex,
    bodies: &mut Bodies,
    findings: &mut Findings,
    looked_up: impl Fn(&Rendered) -> bool,
    new: Option<usize>,
) -> (BTreeSet<String>, Vec<Page>) {
    let with_findings: HashSet<&str> = findings
        .iter()
        .filter(|(_, d)| !d.is_empty())
        .map(|(k, _)| k.as_str())
        .collect();
    let docs: Vec<_> = site
        .documents()
        .filter(|d| !(d.kind == DocKind::Sheet && Some(d.index) == new))
        .filter(|d| looked_up(bodies.of(d)) || (!with_findings.is_empty() && with_findings.contains(d.key().as_str())))
        .collect();
    let fresh: Vec<_> = docs
        .par_iter()
        .map(|d| build::render_markdown(site, links, d))
        .collect();
    let (mut changed, mut others) = (BTreeSet::new(), Vec::new());
    for (d, (r, found)) in docs.iter().zip(fresh) {
        match d.kind {
            DocKind::Sheet if !same_page_body(bodies.of(d), &r) => {
                changed.insert(d.source().to_string());
            }
            DocKind::Sheet => {}
            k => others.push(super::fingerprint::document_page(k, d.index)),
        }
        findings.insert(d.key(), found);
        bodies.set(d, r);
    }
    (changed, others)
}

/// The bodies of `site`, reusing those of `old` (another version of the
/// site) but for the files `modified` and the documents `links` may
/// change. Keeps the findings by key. Also gives the sources of the sheets
/// whose page may show another body: rendered again with another HTML,
/// table of contents or task count, or new.
pub fn rerender(
    site: &Site,
    links: &LinkIndex,
    old: (&Site, Bodies),
    modified: &BTreeSet<String>,
    change: LinkChange,
    findings: &mut Findings,
) -> (Bodies, BTreeSet<String>) {
    // A removed target also changes the hints of broken links ("a file of this name exists").
    let with_findings: HashSet<&String> = match change.added || !change.moved.is_empty() {
        true => findings.iter().filter(|(_, d)| !d.is_empty()).map(|(k, _)| k).collect(),
        false => HashSet::new(),
    };
    let mut cache: HashMap<String, Rendered> = old.0.documents().map(|d| d.key()).zip(old.1.into_documents()).collect();
    let reused = site
        .documents()
        .map(|d| {
            let key = d.key();
            let moved = |r: &Rendered| r.targets.iter().any(|t| change.moved.contains(t));
            let redo =
                modified.contains(d.source()) || with_findings.contains(&key) || cache.get(&key).is_some_and(moved);
            (!redo).then(|| cache.remove(&key)).flatten()
        })
        .collect();
    let (bodies, found) = build::render_documents(site, links, reused);
    let mut changed = BTreeSet::new();
    for (d, f) in site.documents().zip(found) {
        if let Some(f) = f {
            // Rendered again: the bodies left in `cache` are the old ones.
            if d.kind == DocKind::Sheet && cache.get(&d.key()).is_none_or(|o| !same_page_body(o, bodies.of(&d))) {
                changed.insert(d.source().to_string());
            }
            findings.insert(d.key(), f);
        }
    }
    let live: HashSet<String> = site.documents().map(|d| d.key()).collect();
    findings.retain(|k, _| live.contains(k));
    (bodies, changed)
}

/// Whether a sheet's page shows the same of both bodies: what
/// `Renderer::fingerprint` reads of it (the HTML's hash, the table of
/// contents, the task count).
fn same_page_body(a: &Rendered, b: &Rendered) -> bool {
    a.html_key() == b.html_key()
        && a.task_count == b.task_count
        && a.toc.len() == b.toc.len()
        && a.toc
            .iter()
            .zip(&b.toc)
            .all(|(x, y)| x.level == y.level && x.id == y.id && x.title == y.title)
}

/// Renders again the Markdown of the documents that `pages` show and whose
/// HTML was dropped (`strip`), as `build` renders it; returns how many.
pub fn restore(site: &Site, links: &LinkIndex, bodies: &mut Bodies, pages: &[Page]) -> usize {
    let mut docs: HashSet<(DocKind, usize)> = HashSet::new();
    for &p in pages {
        match p {
            Page::Booklet(c) => docs.extend(
                crate::publish::booklet_sheets(site, c)
                    .into_iter()
                    .map(|i| (DocKind::Sheet, i)),
            ),
            p => docs.extend(super::fingerprint::page_document(p)),
        }
    }
    let docs: Vec<(DocKind, usize)> = docs
        .into_iter()
        .filter(|&(k, i)| bodies.of(&site.document(k, i)).is_stripped())
        .collect();
    let fresh: Vec<Rendered> = docs
        .par_iter()
        .map(|&(k, i)| build::render_markdown(site, links, &site.document(k, i)).0)
        .collect();
    for (&(k, i), r) in docs.iter().zip(fresh) {
        bodies.set(&site.document(k, i), r);
    }
    docs.len()
}

/// Drops the HTML of every body, keeping its hash: serve renders a
/// document again when one of its pages must be written (`restore`).
pub fn strip(bodies: &mut Bodies) {
    for list in [
        &mut bodies.sheets,
        &mut bodies.sessions,
        &mut bodies.paths,
        &mut bodies.categories,
    ] {
        list.par_iter_mut().for_each(Rendered::strip);
    }
}
