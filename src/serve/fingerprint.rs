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
    /// Sheets gone (sources) and pages gone (URLs) after the model was
    /// built again, and every page URL then.
    pub gone_cards: Vec<String>,
    pub gone_pages: Vec<String>,
    pub urls: Option<HashSet<String>>,
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
                for s in &u.gone_cards {
                    self.cards.remove(s);
                }
                for url in &u.gone_pages {
                    self.pages.remove(url);
                }
                self.cards.extend(u.cards);
                self.pages.extend(u.pages);
                if let Some(urls) = u.urls {
                    self.urls = urls;
                }
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

/// What may have changed since the pages on disk were written.
#[derive(Default)]
pub struct Since {
    /// Anything: every page is compared.
    pub reshaped: bool,
    /// The model was built again: pages may have come or gone, and every
    /// category, session and path page is compared.
    pub rebuilt: bool,
    /// Sources of the sheets whose page or card may differ, or that went
    /// (patched in place, or `touched` by a model built again).
    pub sheets: BTreeSet<String>,
    /// When `rebuilt`, the pages of categories, sessions and paths that
    /// may differ, if known (sheets that came or went in place: their
    /// categories and those above, the documents rendered again); `None`:
    /// all of them.
    pub lists: Option<HashSet<Page>>,
}

/// What changed since `written`: every page is compared when the model
/// changed beyond what `touched` bounds (`reshaped`), else only the pages of
/// the sheets `since.sheets` and what they touch.
pub fn dirty(site: &Site, bodies: &Bodies, renderer: &Renderer, written: &Keys, since: &Since) -> Dirty {
    if since.reshaped || (since.rebuilt && renderer.site_fingerprint(site) != written.site) {
        let new = keys(site, bodies, renderer);
        return Dirty {
            pages: dirty_pages(site, renderer, &new, written),
            gone: written.urls.difference(&new.urls).cloned().collect(),
            commit: Commit::All(Box::new(new)),
        };
    }
    let at: HashMap<&str, usize> = match since.sheets.is_empty() {
        true => HashMap::new(),
        false => site
            .sheets
            .iter()
            .enumerate()
            .map(|(i, s)| (s.source.as_str(), i))
            .collect(),
    };
    let patched: BTreeSet<usize> = since
        .sheets
        .iter()
        .filter_map(|s| at.get(s.as_str()).copied())
        .collect();
    let (mut pages, mut updates) = fast_dirty(site, bodies, renderer, written, &patched);
    if !since.rebuilt {
        return Dirty {
            pages,
            commit: Commit::Some(updates),
            gone: Vec::new(),
        };
    }
    // Pages of categories, sessions and paths show lists of sheets (which
    // a sheet coming or going changes): those that may differ, else all.
    let others: Vec<Page> = match &since.lists {
        Some(l) => l.iter().copied().collect(),
        None => site
            .documents()
            .filter(|d| d.kind != DocKind::Sheet)
            .map(|d| document_page(d.kind, d.index))
            .collect(),
    };
    let moved: Vec<(Page, String, u64)> = others
        .par_iter()
        .map(|&p| (p, renderer.url_of(site, p), renderer.fingerprint(site, bodies, p)))
        .filter(|(_, url, f)| written.pages.get(url) != Some(f))
        .collect();
    let mut set: HashSet<Page> = pages.drain(..).collect();
    for (p, url, f) in moved {
        set.insert(p);
        updates.pages.push((url, f));
    }
    let urls: HashSet<String> = Renderer::pages(site)
        .into_iter()
        .map(|p| renderer.url_of(site, p))
        .collect();
    let gone: Vec<String> = written.urls.difference(&urls).cloned().collect();
    // Late pages and booklets, as `dirty_pages` decides them.
    let sheet_dirty = |i: usize| set.contains(&Page::Sheet(i));
    let extra: Vec<Page> = Renderer::pages(site)
        .into_iter()
        .filter(|&p| match p {
            Page::Booklet(c) => {
                set.contains(&Page::Category(c)) || crate::publish::booklet_sheets(site, c).into_iter().any(sheet_dirty)
            }
            p => page_document(p).is_none() && !set.contains(&p),
        })
        .collect();
    set.extend(extra);
    updates.gone_cards = since
        .sheets
        .iter()
        .filter(|s| !at.contains_key(s.as_str()))
        .cloned()
        .collect();
    updates.gone_pages.clone_from(&gone);
    updates.urls = Some(urls);
    Dirty {
        pages: set.into_iter().collect(),
        commit: Commit::Some(updates),
        gone,
    }
}

/// The sheets whose page may show something else now that the model was
/// built again from the same content but for some sheets (`old` before,
/// `new` after; `bodies` the sources of the sheets whose body changed, from
/// `bodies::rerender`): a sheet that came or went, whose record changed,
/// whose body changed, or whose previous or next sheet is another or changed.
/// `None` when more than sheets changed: the categories, sessions, paths or
/// actions a sheet page shows (then every page is compared).
pub fn touched(old: &Site, new: &Site, bodies: &BTreeSet<String>) -> Option<BTreeSet<String>> {
    let same = old.categories.len() == new.categories.len()
        && old.sessions.len() == new.sessions.len()
        && old.paths.len() == new.paths.len()
        && old.actions.len() == new.actions.len()
        && old
            .categories
            .iter()
            .zip(&new.categories)
            .all(|(a, b)| same_category(a, b))
        && old.sessions.iter().zip(&new.sessions).all(|(a, b)| same_session(a, b))
        && old.paths.iter().zip(&new.paths).all(|(a, b)| same_path(a, b))
        && old
            .actions
            .iter()
            .zip(&new.actions)
            .all(|(a, b)| same_action(&a.def, &b.def))
        && old.today == new.today;
    if !same {
        return None;
    }
    let at: HashMap<&str, usize> = old
        .sheets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.source.as_str(), i))
        .collect();
    let was: Vec<Option<usize>> = new.sheets.iter().map(|s| at.get(s.source.as_str()).copied()).collect();
    // Came, or its own record differs (indices of categories, sessions,
    // paths and actions compare as they are: those lists are the same).
    let changed: Vec<bool> = new
        .sheets
        .par_iter()
        .zip(&was)
        .map(|(s, &j)| j.is_none_or(|j| !same_sheet(&old.sheets[j], s)))
        .collect();
    fn source(site: &Site, k: Option<usize>) -> Option<&str> {
        k.map(|k| site.sheets[k].source.as_str())
    }
    // Sheet `i`'s place in each path that holds it (its page shows the
    // step, the count and the next sheet).
    fn path_place(site: &Site, i: usize) -> Vec<(usize, usize, Option<usize>)> {
        site.sheets[i]
            .paths
            .iter()
            .map(|&k| {
                let f = &site.paths[k].fiches;
                let at = f.iter().position(|&j| j == i).unwrap_or(0);
                (at, f.len(), f.get(at + 1).copied())
            })
            .collect()
    }
    let out = new
        .sheets
        .iter()
        .enumerate()
        .filter(|&(i, s)| {
            let neighbours = |o: &crate::model::Sheet| {
                source(old, o.prev) != source(new, s.prev) || source(old, o.next) != source(new, s.next)
            };
            let path_place_moved = |j: usize| {
                let (a, b) = (path_place(old, j), path_place(new, i));
                a.len() != b.len()
                    || a.iter()
                        .zip(&b)
                        .any(|(x, y)| (x.0, x.1) != (y.0, y.1) || source(old, x.2) != source(new, y.2))
            };
            changed[i]
                || bodies.contains(&s.source)
                || s.prev.into_iter().chain(s.next).any(|k| changed[k])
                || path_place(new, i).into_iter().filter_map(|p| p.2).any(|k| changed[k])
                || was[i].is_some_and(|j| neighbours(&old.sheets[j]) || path_place_moved(j))
        })
        .map(|(_, s)| s.source.clone());
    // Gone: its card is forgotten (`Updates::gone_cards`).
    let new_at: HashSet<&str> = new.sheets.iter().map(|s| s.source.as_str()).collect();
    let gone = old.sheets.iter().filter(|s| !new_at.contains(s.source.as_str()));
    Some(out.chain(gone.map(|s| s.source.clone())).collect())
}

// The comparisons below name every field (no `..`): a field added to a
// record must be placed here, shown or not, or this does not compile.

/// The same sheet record, but for its body text (its page shows the
/// rendered body, compared by `bodies::rerender`) and its neighbours
/// (compared by source).
fn same_sheet(a: &crate::model::Sheet, b: &crate::model::Sheet) -> bool {
    let crate::model::Sheet {
        id,
        source,
        url,
        category,
        title,
        summary,
        tags,
        audience,
        action,
        updated,
        updated_from,
        updated_line,
        last_change,
        contributors,
        validation,
        weight,
        draft,
        aliases,
        body: _,
        body_line,
        header_error,
        origin,
        origin_root,
        sessions,
        paths,
        prev: _,
        next: _,
    } = a;
    let same_validation = match (validation, &b.validation) {
        (Some(x), Some(y)) => x.by == y.by && x.on == y.on && x.line == y.line,
        (x, y) => x.is_none() && y.is_none(),
    };
    *id == b.id
        && *source == b.source
        && *url == b.url
        && *category == b.category
        && *title == b.title
        && *summary == b.summary
        && *tags == b.tags
        && *audience == b.audience
        && *action == b.action
        && *updated == b.updated
        && *updated_from == b.updated_from
        && *updated_line == b.updated_line
        && *last_change == b.last_change
        && *contributors == b.contributors
        && same_validation
        && *weight == b.weight
        && *draft == b.draft
        && *header_error == b.header_error
        && *aliases == b.aliases
        && *body_line == b.body_line
        && *origin == b.origin
        && *origin_root == b.origin_root
        && *sessions == b.sessions
        && *paths == b.paths
}

/// The same category but for its sheets (and its body: its own page is
/// always compared).
fn same_category(a: &crate::model::Category, b: &crate::model::Category) -> bool {
    let crate::model::Category {
        id,
        title,
        description,
        weight,
        body: _,
        body_line,
        source,
        url,
        sheets: _,
        parent,
        depth,
        offline,
        booklet,
    } = a;
    *id == b.id
        && *title == b.title
        && *description == b.description
        && *weight == b.weight
        && *body_line == b.body_line
        && *source == b.source
        && *url == b.url
        && *parent == b.parent
        && *depth == b.depth
        && *offline == b.offline
        && *booklet == b.booklet
}

fn same_session(a: &crate::model::Session, b: &crate::model::Session) -> bool {
    let crate::model::Session {
        slug,
        source,
        url,
        title,
        date,
        time,
        end,
        location,
        presenters,
        tags,
        summary,
        fiches: _,
        body: _,
        body_line,
        upcoming,
        header_error,
    } = a;
    *slug == b.slug
        && *source == b.source
        && *url == b.url
        && *title == b.title
        && *date == b.date
        && *time == b.time
        && *end == b.end
        && *location == b.location
        && *presenters == b.presenters
        && *tags == b.tags
        && *summary == b.summary
        && *body_line == b.body_line
        && *upcoming == b.upcoming
        && *header_error == b.header_error
}

fn same_path(a: &crate::model::TrainingPath, b: &crate::model::TrainingPath) -> bool {
    let crate::model::TrainingPath {
        slug,
        source,
        url,
        title,
        summary,
        audience,
        weight,
        fiches: _,
        body: _,
        body_line,
    } = a;
    *slug == b.slug
        && *source == b.source
        && *url == b.url
        && *title == b.title
        && *summary == b.summary
        && *audience == b.audience
        && *weight == b.weight
        && *body_line == b.body_line
}

fn same_action(a: &crate::load::ActionDef, b: &crate::load::ActionDef) -> bool {
    let crate::load::ActionDef {
        id,
        title,
        who,
        conditions,
        reference,
        source,
        line,
        origin,
    } = a;
    *id == b.id
        && *title == b.title
        && *who == b.who
        && *conditions == b.conditions
        && *reference == b.reference
        && *source == b.source
        && *line == b.line
        && *origin == b.origin
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
            // The sheet before it in a path names it as the path's next.
            pages.extend(s.paths.iter().filter_map(|&k| {
                let f = &site.paths[k].fiches;
                let at = f.iter().position(|&j| j == i)?;
                Some(Page::Sheet(f[at.checked_sub(1)?]))
            }));
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
