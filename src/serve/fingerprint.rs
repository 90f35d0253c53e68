//! Which pages a change touches. A page's fingerprint is a hash of what the
//! renderer puts in its context (`Renderer::fingerprint`), a sheet's card of
//! the card the renderer shows (`Renderer::card_fingerprint`): the list of
//! what a page depends on is the renderer's own, never a copy. The context
//! every page shares (strings, site, navigation) is hashed once per site
//! (`Renderer::site_fingerprint`): when it changes, every page is redone.

use crate::model::{DocKind, Site};
use crate::render::{Bodies, Page, Renderer};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap, HashSet};

/// Fingerprints of what the pages of the written site show.
#[derive(Default, Clone, PartialEq)]
pub struct Keys {
    /// The context every page shares.
    pub site: u64,
    /// Sheet cards, by source: what other pages show of a sheet.
    pub cards: HashMap<String, u64>,
    /// Pages of documents (sheets, categories, sessions, paths), by URL.
    pub pages: HashMap<String, u64>,
    /// Every page URL, to remove the pages that are gone.
    pub urls: HashSet<String>,
}

/// New fingerprints to record once a rebuild is complete.
#[derive(Default)]
pub struct Updates {
    pub site: u64,
    pub cards: Vec<(String, u64)>,
    pub pages: Vec<(String, u64)>,
}

/// How to record what was written once a rebuild is complete.
pub enum Commit {
    All(Box<Keys>),
    Some(Updates),
}

impl Commit {
    /// Adds the fingerprints of the document pages among `pages`, written.
    pub fn add_pages(&mut self, site: &Site, bodies: &Bodies, renderer: &Renderer, pages: &[Page]) {
        if let Commit::Some(u) = self {
            u.pages.extend(of_pages(site, bodies, renderer, pages));
        }
    }
}

impl Keys {
    pub fn commit(&mut self, c: Commit) {
        match c {
            Commit::All(k) => *self = *k,
            Commit::Some(u) => {
                self.site = u.site;
                self.cards.extend(u.cards);
                self.pages.extend(u.pages);
            }
        }
    }
}

/// The pages to write again, what to record once they are, and the URLs of
/// pages that are gone.
pub struct Dirty {
    pub pages: Vec<Page>,
    pub commit: Commit,
    pub gone: Vec<String>,
}

/// What changed since `written`: every page is compared when the model was
/// built again (`reshaped`), else only what the sheets patched in place
/// (`patched`) touch.
pub fn dirty(
    site: &Site,
    bodies: &Bodies,
    renderer: &Renderer,
    written: &Keys,
    reshaped: bool,
    patched: &BTreeSet<usize>,
) -> Dirty {
    if reshaped {
        let new = keys(site, bodies, renderer);
        Dirty {
            pages: dirty_pages(site, renderer, &new, written),
            gone: written.urls.difference(&new.urls).cloned().collect(),
            commit: Commit::All(Box::new(new)),
        }
    } else {
        let (pages, updates) = fast_dirty(site, bodies, renderer, written, patched);
        Dirty {
            pages,
            commit: Commit::Some(updates),
            gone: Vec::new(),
        }
    }
}

/// The page of a document, the one its fingerprint describes.
pub fn document_page(kind: DocKind, index: usize) -> Page {
    match kind {
        DocKind::Sheet => Page::Sheet(index),
        DocKind::Session => Page::Session(index),
        DocKind::Path => Page::Path(index),
        DocKind::Category => Page::Category(index),
    }
}

/// The document a page shows, if it shows one.
pub fn page_document(page: Page) -> Option<(DocKind, usize)> {
    match page {
        Page::Sheet(i) => Some((DocKind::Sheet, i)),
        Page::Session(i) => Some((DocKind::Session, i)),
        Page::Path(i) => Some((DocKind::Path, i)),
        Page::Category(i) => Some((DocKind::Category, i)),
        _ => None,
    }
}

/// Fingerprints of the document pages among `pages`.
pub fn of_pages(site: &Site, bodies: &Bodies, renderer: &Renderer, pages: &[Page]) -> Vec<(String, u64)> {
    pages
        .par_iter()
        .filter(|&&p| page_document(p).is_some())
        .map(|&p| (renderer.url_of(site, p), renderer.fingerprint(site, bodies, p)))
        .collect()
}

pub fn keys(site: &Site, bodies: &Bodies, renderer: &Renderer) -> Keys {
    let docs: Vec<Page> = site.documents().map(|d| document_page(d.kind, d.index)).collect();
    Keys {
        site: renderer.site_fingerprint(site),
        cards: site
            .sheets
            .par_iter()
            .map(|s| (s.source.clone(), renderer.card_fingerprint(site, s)))
            .collect(),
        pages: of_pages(site, bodies, renderer, &docs).into_iter().collect(),
        urls: Renderer::pages(site)
            .into_iter()
            .map(|p| renderer.url_of(site, p))
            .collect(),
    }
}

/// Pages that take long to render or show the whole site: written after
/// the reload, while the writer already sees the sheet.
pub fn is_late(p: Page) -> bool {
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
pub fn fast_dirty(
    site: &Site,
    bodies: &Bodies,
    renderer: &Renderer,
    written: &Keys,
    changed: &BTreeSet<usize>,
) -> (Vec<Page>, Updates) {
    let mut updates = Updates {
        site: renderer.site_fingerprint(site),
        ..Default::default()
    };
    if updates.site != written.site {
        // Not from a patched sheet as the model stands; kept for safety.
        let new = keys(site, bodies, renderer);
        updates.cards = new.cards.into_iter().collect();
        updates.pages = new.pages.into_iter().collect();
        return (Renderer::pages(site), updates);
    }
    let mut pages: HashSet<Page> = HashSet::new();
    for &i in changed {
        let s = &site.sheets[i];
        let card = renderer.card_fingerprint(site, s);
        let page = renderer.fingerprint(site, bodies, Page::Sheet(i));
        let card_changed = written.cards.get(&s.source) != Some(&card);
        if !card_changed && written.pages.get(&s.url) == Some(&page) {
            continue;
        }
        updates.cards.push((s.source.clone(), card));
        updates.pages.push((s.url.clone(), page));
        pages.insert(Page::Sheet(i));
        if card_changed {
            pages.extend(s.prev.into_iter().chain(s.next).map(Page::Sheet));
            pages.insert(Page::Category(s.category));
            pages.extend(s.sessions.iter().map(|&j| Page::Session(j)));
            pages.extend(s.paths.iter().map(|&j| Page::Path(j)));
            pages.extend([Page::Home, Page::Actions]);
        }
    }
    if updates.cards.is_empty() {
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

/// The pages whose fingerprint differs between `old` (written) and `new`.
/// A booklet shows its category and its sheets' pages. Pages that show the
/// whole site (home, lists, follow-up, search, 404…) are always redone:
/// they are few, and new page types land there. Every page is when the
/// shared context changed.
pub fn dirty_pages(site: &Site, renderer: &Renderer, new: &Keys, old: &Keys) -> Vec<Page> {
    if new.site != old.site {
        return Renderer::pages(site);
    }
    let dirty = |p: Page| {
        let url = renderer.url_of(site, p);
        new.pages.get(&url) != old.pages.get(&url)
    };
    Renderer::pages(site)
        .into_par_iter()
        .filter(|&p| match p {
            Page::Sheet(_) | Page::Category(_) | Page::Session(_) | Page::Path(_) => dirty(p),
            Page::Booklet(c) => {
                dirty(Page::Category(c))
                    || crate::publish::booklet_sheets(site, c)
                        .into_iter()
                        .any(|i| dirty(Page::Sheet(i)))
            }
            _ => true,
        })
        .collect()
}
