//! The incremental entry points that serve uses give what `build` gives,
//! on the repository's own site (read only).

use super::fingerprint;
use crate::build::{self, Options, Stages};
use crate::load::{Parsed, RawSheet};
use crate::model::{self, Change, DocKind};
use crate::render::Page;
use std::path::Path;

fn demo() -> Stages {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let opts = Options {
        include_drafts: false,
        today: None,
    };
    match build::prepare_stages(root, &opts, true) {
        Ok(s) => s,
        Err(_) => panic!("the repository's site loads"),
    }
}

/// The raw record of the `i`-th sheet of the model.
fn raw(stages: &Stages, i: usize) -> RawSheet {
    let source = &stages.prepared.site.sheets[i].source;
    let content = stages.content.as_ref().unwrap();
    content.sheets.iter().find(|s| &s.source == source).unwrap().clone()
}

/// What `model::build` makes of the content, as `prepare` ran it.
fn rebuilt(stages: &Stages, content: crate::load::Content) -> model::Site {
    let (site, _) = build::remodel(&stages.prepared.site, content);
    site
}

#[test]
fn a_patched_sheet_is_what_a_full_model_build_gives() {
    let stages = demo();
    let mut site = stages.prepared.site.clone();
    let mut content = stages.content.clone().unwrap();
    let i = site.sheets.len() / 2;
    let mut n = raw(&stages, i);
    n.meta.summary = "Un autre résumé".into();
    n.meta.tags.push("nouveau".into());
    n.body = format!("{}\nUn paragraphe de plus.\n", n.body).into();
    let Some(Change::Patch(j, n)) = site.replace(&mut content, Parsed::Sheet(n)) else {
        panic!("a summary, tags and body keep the sheet's place");
    };
    assert_eq!(j, i);
    site.patch_sheet(j, *n);
    let want = rebuilt(&stages, content);
    assert_eq!(format!("{:?}", site.sheets), format!("{:?}", want.sheets));
}

#[test]
fn a_new_weight_or_a_title_that_moves_the_sheet_rebuilds_the_model() {
    let stages = demo();
    let site = &stages.prepared.site;
    let i = site.categories.iter().find(|c| c.sheets.len() >= 2).unwrap().sheets[0];
    let mut content = stages.content.clone().unwrap();
    let mut n = raw(&stages, i);
    n.meta.weight = Some(n.meta.weight.unwrap_or(0) + 1000);
    assert!(matches!(
        site.replace(&mut content, Parsed::Sheet(n)),
        Some(Change::Rebuild)
    ));
    let mut n = raw(&stages, i);
    n.meta.weight = site.sheets[i + 1].weight;
    n.meta.title = format!("zzz {}", n.meta.title);
    assert!(matches!(
        site.replace(&mut content, Parsed::Sheet(n)),
        Some(Change::Rebuild)
    ));
}

#[test]
fn a_draft_that_stays_a_draft_changes_nothing_shown() {
    let stages = demo();
    let mut content = stages.content.clone().unwrap();
    let mut n = raw(&stages, 0);
    n.meta.draft = true;
    assert!(matches!(
        stages.prepared.site.replace(&mut content, Parsed::Sheet(n.clone())),
        Some(Change::Rebuild)
    ));
    let site = rebuilt(&stages, content.clone());
    n.body = format!("{}\nEncore en brouillon.\n", n.body).into();
    assert!(matches!(
        site.replace(&mut content, Parsed::Sheet(n)),
        Some(Change::None)
    ));
}

#[test]
fn documents_list_every_body_once_in_the_order_of_bodies() {
    let stages = demo();
    let (site, bodies) = (&stages.prepared.site, &stages.prepared.bodies);
    let docs: Vec<_> = site.documents().collect();
    let n = site.sheets.len() + site.sessions.len() + site.paths.len() + site.categories.len();
    assert_eq!(docs.len(), n);
    let keys: std::collections::HashSet<String> = docs.iter().map(|d| d.key()).collect();
    assert_eq!(keys.len(), n, "keys are unique");
    for d in &docs {
        assert_eq!(d.url, site.document(d.kind, d.index).url);
        assert!(std::ptr::eq(bodies.of(d), bodies.of(&site.document(d.kind, d.index))));
    }
    assert_eq!(stages.body_diags.len(), n);
    let sheet = site.document(DocKind::Sheet, 0);
    assert_eq!(sheet.source(), site.sheets[0].source);
}

#[test]
fn fingerprints_follow_what_pages_show() {
    let stages = demo();
    let (_, renderer) = build::page_renderer(&stages.prepared.site).unwrap();
    let before = fingerprint::keys(&stages.prepared.site, &stages.prepared.bodies, &renderer);
    let mut site = stages.prepared.site.clone();
    let i = 0;
    let url = site.sheets[i].url.clone();
    let source = site.sheets[i].source.clone();
    // Not shown anywhere: no page changes.
    site.sheets[i].body_line += 3;
    let same = fingerprint::keys(&site, &stages.prepared.bodies, &renderer);
    assert!(before == same, "a field no page shows changes no fingerprint");
    // Shown on the sheet's page only: its page, not its card.
    site.sheets[i].tags.push("nouveau".into());
    let tags = fingerprint::keys(&site, &stages.prepared.bodies, &renderer);
    assert_ne!(tags.pages[&url], before.pages[&url]);
    assert_eq!(tags.cards[&source], before.cards[&source]);
    let dirty = fingerprint::dirty_pages(&site, &renderer, &tags, &before);
    assert!(dirty.contains(&Page::Sheet(i)));
    assert!(!dirty.contains(&Page::Category(site.sheets[i].category)));
    // Shown on its card: the pages that list it change too.
    site.sheets[i].summary = "Un autre résumé".into();
    let card = fingerprint::keys(&site, &stages.prepared.bodies, &renderer);
    assert_ne!(card.cards[&source], before.cards[&source]);
    let dirty = fingerprint::dirty_pages(&site, &renderer, &card, &before);
    assert!(dirty.contains(&Page::Category(site.sheets[i].category)));
}

#[test]
fn adding_or_removing_a_sheet_leaves_the_shared_context_alone() {
    let stages = demo();
    let site = &stages.prepared.site;
    let (_, renderer) = build::page_renderer(site).unwrap();
    let shared = renderer.site_fingerprint(site);
    // A sheet removed: the category counts change, no page's navigation does.
    let mut content = stages.content.clone().unwrap();
    let gone = content.sheets.pop().expect("the demo site has sheets");
    let fewer = rebuilt(&stages, content);
    assert_eq!(fewer.sheets.len() + 1, site.sheets.len(), "{} is gone", gone.source);
    assert_eq!(renderer.site_fingerprint(&fewer), shared);
    // A top category renamed: every page's navigation shows it.
    let mut renamed = site.clone();
    let top = renamed
        .categories
        .iter()
        .position(|c| c.depth == 0 && !c.id.is_empty())
        .unwrap();
    renamed.categories[top].title.push_str(" (bis)");
    assert_ne!(renderer.site_fingerprint(&renamed), shared);
    let keys = |s: &model::Site| fingerprint::keys(s, &stages.prepared.bodies, &renderer);
    let every = fingerprint::dirty_pages(&renamed, &renderer, &keys(&renamed), &keys(site));
    assert_eq!(every.len(), crate::render::Renderer::pages(&renamed).len());
}

/// A sheet removed, then added back: the pages `fingerprint::touched` and
/// `fingerprint::dirty` leave out (without comparing every page) are those
/// whose fingerprint is the same, and what is recorded after is what a
/// comparison of every page records.
#[test]
fn a_sheet_that_comes_or_goes_touches_only_the_pages_compared() {
    use super::bodies;
    use std::collections::{BTreeSet, HashSet};
    let stages = demo();
    let site = &stages.prepared.site;
    let (_, renderer) = build::page_renderer(site).unwrap();
    let content = stages.content.clone().unwrap();
    let links = build::link_index(site);
    fn fresh(s: &model::Site, l: &crate::markdown::LinkIndex) -> crate::render::Bodies {
        build::render_documents(s, l, Vec::new()).0
    }
    let mut bounded = 0;
    for k in 0..content.sheets.len() {
        let mut fewer = content.clone();
        let gone = fewer.sheets.remove(k);
        fewer.files.retain(|f| *f != gone.source);
        let small = rebuilt(&stages, fewer);
        let small_links = build::link_index(&small);
        // Removed (from `site` to `small`), then added back.
        for (old, new, old_links, new_links) in [
            (site, &small, &links, &small_links),
            (&small, site, &small_links, &links),
        ] {
            let written = fingerprint::keys(old, &fresh(old, old_links), &renderer);
            let change = bodies::compare_links(old_links, new_links);
            let mut findings = Default::default();
            let (b, changed) = bodies::rerender(
                new,
                new_links,
                (old, fresh(old, old_links)),
                &BTreeSet::new(),
                change,
                &mut findings,
            );
            let Some(touched) = fingerprint::touched(old, new, &changed) else {
                continue;
            };
            bounded += 1;
            let all = fingerprint::keys(new, &b, &renderer);
            for s in &new.sheets {
                if written.pages.get(&s.url) != Some(&all.pages[&s.url]) {
                    assert!(
                        touched.contains(&s.source),
                        "{} changes, {} came or went",
                        s.source,
                        gone.source
                    );
                }
            }
            let since = fingerprint::Since {
                rebuilt: true,
                sheets: touched,
                ..Default::default()
            };
            let d = fingerprint::dirty(new, &b, &renderer, &written, &since);
            let pages: HashSet<Page> = d.pages.iter().copied().collect();
            for p in fingerprint::dirty_pages(new, &renderer, &all, &written) {
                assert!(pages.contains(&p), "{p:?} changes, {} came or went", gone.source);
            }
            let mut gone_urls = d.gone.clone();
            gone_urls.sort();
            let mut want: Vec<String> = written.urls.difference(&all.urls).cloned().collect();
            want.sort();
            assert_eq!(gone_urls, want);
            let mut recorded = written.clone();
            recorded.commit(d.commit);
            assert!(recorded == all, "what is recorded is every page's fingerprint");
        }
    }
    assert!(
        bounded >= content.sheets.len(),
        "most adds and removes are bounded ({bounded})"
    );
}

/// Every sheet of the repository's site taken out in place, then put back
/// (`engine::take_or_leave`, what serve does for a sheet that came or
/// went): the model is the one `model::build` makes of the content, the
/// link targets, bodies and findings those a new build gives, and the
/// pages `dirty` compares cover every page whose fingerprint changed.
#[test]
fn a_sheet_taken_out_or_put_back_in_place_is_what_a_new_build_gives() {
    use super::bodies::Findings;
    use crate::markdown::LinkIndex;
    use crate::render::Bodies;
    use std::collections::HashSet;
    let stages = demo();
    let (_, renderer) = build::page_renderer(&stages.prepared.site).unwrap();
    // The demo's sessions and paths cite most of its sheets (then the model
    // is built again): the same site without them too.
    let content = stages.content.clone().unwrap();
    let mut alone = content.clone();
    (alone.sessions, alone.paths) = (Vec::new(), Vec::new());
    let fresh = |s: &model::Site| -> (LinkIndex, Bodies, Findings) {
        let links = build::link_index(s);
        let (b, found) = build::render_documents(s, &links, Vec::new());
        let keys = s.documents().map(|d| d.key());
        (
            links,
            b,
            keys.zip(found.into_iter().map(Option::unwrap_or_default)).collect(),
        )
    };
    // Each record apart, for a readable failure.
    let shown = |s: &model::Site| {
        let mut pages: Vec<_> = s.pages.iter().collect();
        pages.sort();
        let mut ids: Vec<_> = s.sheet_by_id.iter().collect();
        ids.sort();
        let mut v: Vec<String> = s.sheets.iter().map(|x| format!("{x:?}")).collect();
        v.extend(s.categories.iter().map(|x| format!("{x:?}")));
        v.extend(s.sessions.iter().map(|x| format!("{x:?}")));
        v.extend(s.paths.iter().map(|x| format!("{x:?}")));
        v.extend(s.actions.iter().map(|x| format!("{x:?}")));
        v.push(format!("{:?}", (&s.drafts, pages, ids, s.today)));
        v
    };
    let mut in_place = 0;
    for content in [content, alone] {
        let (site, site_diags) = build::remodel(&stages.prepared.site, content.clone());
        let site = &site;
        for k in 0..content.sheets.len() {
            let mut fewer = content.clone();
            let gone = fewer.sheets.remove(k);
            fewer.files.retain(|f| *f != gone.source);
            let (small, small_diags) = build::remodel(site, fewer);
            let diags = [&site_diags, &small_diags];
            for (old, new, came, old_diags) in [(site, &small, None, diags[0]), (&small, site, Some(&gone), diags[1])] {
                let (mut mine, (mut links, mut b, mut found)) = (old.clone(), fresh(old));
                let written = fingerprint::keys(old, &b, &renderer);
                let Some((sheets, lists)) = super::engine::take_or_leave(
                    &mut mine,
                    &mut links,
                    &mut b,
                    (old_diags, &mut found),
                    came,
                    &gone.source,
                ) else {
                    continue;
                };
                in_place += 1;
                let (got, want) = (shown(&mine), shown(new));
                assert_eq!(got.len(), want.len(), "{} came or went", gone.source);
                for (g, w) in got.iter().zip(&want) {
                    assert_eq!(g, w, "{} came or went", gone.source);
                }
                let (want_links, want_b, want_found) = fresh(new);
                assert_eq!(links.pages, want_links.pages);
                for d in new.documents() {
                    let (x, y) = (b.of(&d), want_b.of(&d));
                    assert_eq!(x.html_key(), y.html_key(), "{} ({} came or went)", d.key(), gone.source);
                    assert_eq!((x.task_count, &x.targets), (y.task_count, &y.targets));
                    assert_eq!(format!("{:?}", found[&d.key()]), format!("{:?}", want_found[&d.key()]));
                }
                assert_eq!(found.len(), want_found.len());
                let all = fingerprint::keys(new, &want_b, &renderer);
                let since = fingerprint::Since {
                    rebuilt: true,
                    sheets,
                    lists: Some(lists.into_iter().collect()),
                    ..Default::default()
                };
                let d = fingerprint::dirty(&mine, &b, &renderer, &written, &since);
                let pages: HashSet<Page> = d.pages.iter().copied().collect();
                for p in fingerprint::dirty_pages(new, &renderer, &all, &written) {
                    assert!(pages.contains(&p), "{p:?} changes, {} came or went", gone.source);
                }
                let mut recorded = written.clone();
                recorded.commit(d.commit);
                assert!(recorded == all, "what is recorded is every page's fingerprint");
            }
        }
    }
    assert!(
        in_place >= stages.prepared.site.sheets.len(),
        "most adds and removes are done in place ({in_place})"
    );
}
