//! What `serve` writes into the live folder besides pages (which go through
//! `build::PageJob`, as in `fiches build`): the files beside the content,
//! the static files, the search index, and the removal of pages that are
//! gone. Every file is written through a rename: a request never reads
//! half a file.

use crate::build::{self, write_atomic};
use crate::diagnostics::rel_string;
use crate::markdown::LinkIndex;
use crate::model::Site;
use crate::render::{Bodies, Page};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// Removes the pages at `urls` and the folders they leave empty.
pub fn remove_pages<'a>(out: &Path, urls: impl IntoIterator<Item = &'a String>) {
    for url in urls {
        let p = out.join(url);
        let _ = std::fs::remove_file(&p);
        // A session's calendar file lives beside its page.
        let _ = std::fs::remove_file(p.with_file_name("seance.ics"));
        let mut dir = p.parent().map(Path::to_path_buf);
        while let Some(d) = dir.filter(|d| d.starts_with(out) && d != out) {
            if std::fs::remove_dir(&d).is_err() {
                break;
            }
            dir = d.parent().map(Path::to_path_buf);
        }
    }
}

/// Copies the files beside the content that changed (`changed`,
/// site-relative) and those the pages `written` show, where `build`
/// publishes them; returns how many.
pub fn copy_assets(
    site: &Site,
    bodies: &Bodies,
    links: &LinkIndex,
    out: &Path,
    changed: &BTreeSet<String>,
    written: &[Page],
) -> usize {
    let mut assets: BTreeSet<&String> = changed.iter().filter(|a| links.content_assets.contains(*a)).collect();
    for (kind, i) in written.iter().filter_map(|&p| super::fingerprint::page_document(p)) {
        assets.extend(&bodies.of(&site.document(kind, i)).assets);
    }
    let mut n = 0;
    for a in assets {
        let path = site.root.join(a);
        if crate::load::fence_for(&site.root, &site.config, a)
            .check(&path)
            .is_err()
        {
            continue;
        }
        if let Ok(bytes) = std::fs::read(&path) {
            if write_atomic(out, &crate::model::asset_url(a), &bytes).is_ok() {
                n += 1;
            }
        }
    }
    n
}

/// Copies (or removes) the static files `paths` (absolute), with the rule
/// of `build`: the site's own `static/` wins over the pools', and what
/// fiches generates (pages, feeds, theme assets…) wins over both.
pub fn sync_statics(site: &Site, theme_assets: &HashSet<String>, out: &Path, paths: &BTreeSet<PathBuf>) -> usize {
    let mut n = 0;
    let fences = build::static_fences(site);
    let generated = build::generated_paths(site);
    for path in paths {
        let Some(rel) = site.static_dirs.iter().find_map(|d| path.strip_prefix(d).ok()) else {
            continue;
        };
        let rel_s = rel_string(rel);
        if build::shadowed_by(&generated, &rel_s)
            || rel_s.strip_prefix("assets/").is_some_and(|a| theme_assets.contains(a))
        {
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

/// The search documents of a site, for the background writer: those the
/// writer keeps come without their text (`Engine::search_job`).
pub struct SearchJob {
    pub out: PathBuf,
    pub config: fiches_search::SearchConfig,
    pub docs: Vec<fiches_search::SearchDoc>,
    /// The hash of each document's text (`fiches_search::text_hash`).
    pub texts: Vec<u64>,
}

/// Brings `<out>/search/` up to date: only the documents not seen before
/// are analysed, and only the files whose bytes change are written (see
/// `fiches_search::live`); the result is what `fiches build` writes.
/// `None` when `stopping` was set: the temporary folder is being removed,
/// nothing may be written into it (the lock is held while writing).
pub fn write_search(
    job: SearchJob,
    index: &mut fiches_search::LiveIndex,
    stopping: &std::sync::Mutex<bool>,
) -> Result<Option<fiches_search::LiveUpdate>, String> {
    let files = index
        .prepare(&job.out, &job.config, &job.docs, &job.texts)
        .map_err(|e| e.to_string())?;
    drop(job);
    let Ok(stop) = stopping.lock() else {
        return Ok(None);
    };
    if *stop {
        return Ok(None);
    }
    index.write(files).map(Some).map_err(|e| e.to_string())
}
