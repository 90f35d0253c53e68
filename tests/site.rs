//! The built site, read from disk: every page type carries what it should,
//! and a crawl finds no broken link or asset, for a root and a sub-path
//! base URL (the output uses relative links, so both must hold).

mod common;
use common::*;
use fiches::pages::{When, FIXED};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

fn decode(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

/// All `href`/`src` values of an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    re.captures_iter(html).map(|c| decode(&c[1])).collect()
}

fn ids(html: &str) -> HashSet<String> {
    let re = regex::Regex::new(r#"\sid="([^"]*)""#).unwrap();
    re.captures_iter(html).map(|c| decode(&c[1])).collect()
}

/// Follows every local link from every HTML page, as a browser opening the
/// folder from file:// would, and returns what is broken.
fn crawl(out: &Path) -> Vec<String> {
    let mut broken = BTreeSet::new();
    let pages: Vec<PathBuf> = walk(out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    assert!(pages.len() > 10);
    for page in &pages {
        if page.file_name().is_some_and(|n| n == "404.html") {
            continue; // absolute links by design: served at any depth
        }
        let html = read(page);
        for l in links(&html) {
            if l.is_empty()
                || l.contains("://")
                || l.starts_with("mailto:")
                || l.starts_with("tel:")
                || l.starts_with("data:")
            {
                continue;
            }
            assert!(
                !l.starts_with('/'),
                "{}: absolute link {l} breaks file:// and sub-paths",
                page.display()
            );
            let (path, frag) = match l.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (l.clone(), None),
            };
            let path = path.split('?').next().unwrap().to_string();
            let target = if path.is_empty() {
                page.clone()
            } else {
                let decoded = percent_encoding::percent_decode_str(&path)
                    .decode_utf8_lossy()
                    .to_string();
                page.parent().unwrap().join(decoded)
            };
            let Ok(target) = target.canonicalize() else {
                broken.insert(format!("{} -> {l}", page.strip_prefix(out).unwrap().display()));
                continue;
            };
            assert!(
                target.starts_with(out.canonicalize().unwrap()),
                "link leaves the site: {l}"
            );
            if target.is_dir() {
                broken.insert(format!(
                    "{} -> {l} (folder: file:// needs index.html)",
                    page.strip_prefix(out).unwrap().display()
                ));
                continue;
            }
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                if target.extension().is_some_and(|e| e == "html") && !ids(&read(&target)).contains(&f) {
                    broken.insert(format!(
                        "{} -> {l} (no #{f})",
                        page.strip_prefix(out).unwrap().display()
                    ));
                }
            }
        }
    }
    broken.into_iter().collect()
}

#[test]
fn corpus_crawl_finds_no_broken_link_under_sub_path() {
    for c in corpora() {
        let (_t, out) = build_to(&c.root, &[]);
        let broken = crawl(&out);
        assert!(broken.is_empty(), "{}: broken links:\n{}", c.name, broken.join("\n"));
        let notfound = read(&out.join("404.html"));
        assert!(
            decode(&notfound).contains(&format!("href=\"{}index.html\"", c.base())),
            "{}: 404 uses the base URL",
            c.name
        );
        // Served at any depth (`/base/une/ancienne/fiche/`): every link of
        // the page, the main navigation's included, starts at the host's root.
        for l in links(&notfound) {
            assert!(
                l.starts_with(&c.base()) || l.starts_with('#') || l.contains("://") || l.starts_with("mailto:"),
                "{}: 404 links to `{l}`, which breaks below the base folder",
                c.name
            );
        }
    }
}

#[test]
fn corpus_crawl_finds_no_broken_link_at_root() {
    for c in corpora() {
        // The corpus is published under a sub-path: moved to the root here.
        let (_tmp, site) = corpus_with(&c, |b| {
            b.replace(&format!("base-url = \"{}\"", c.base()), "base-url = \"/\"")
        });
        let (_t, out) = build_to(&site, &[]);
        let broken = crawl(&out);
        assert!(broken.is_empty(), "{}: broken links:\n{}", c.name, broken.join("\n"));
    }
}

#[test]
fn demo_site_builds_clean_and_crawls() {
    let (_t, out) = build_to(&demo(), &[]);
    let broken = crawl(&out);
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let o = fiches_in(&demo(), &["check", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let errors: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

/// Each corpus with its built site.
fn built() -> Vec<(Corpus, tempfile::TempDir, PathBuf)> {
    corpora()
        .into_iter()
        .map(|c| {
            let (t, out) = build_to(&c.root, &[]);
            (c, t, out)
        })
        .collect()
}

#[test]
fn every_page_type_is_written() {
    for (c, _t, out) in built() {
        page_types(&c, &out);
    }
}

fn page_types(c: &Corpus, out: &Path) {
    // The fixed pages, from the table the model and the renderer read (the
    // corpora set `[accessibility]`; `[offline]` only some of them).
    for p in FIXED
        .iter()
        .filter(|p| p.when != When::Offline || out.join("sw.js").is_file())
    {
        assert!(out.join(p.url).is_file(), "{}: missing fixed page {}", c.name, p.url);
    }
    let sheet = c.s("sheet.id");
    for p in [
        "sitemap.xml",
        "atom.xml",
        &format!("fiches/{}/index.html", c.s("category.dir")),
        &format!("fiches/{sheet}/index.html"),
        &format!("apero-tice/{}/index.html", c.s("upcoming.slug")),
        &format!("parcours/{}/index.html", c.s("parcours.slug")),
        "assets/style.css",
        "assets/highlight.css",
        &c.s("sheet.image"),
    ] {
        assert!(out.join(p).is_file(), "{}: missing {p}", c.name);
    }
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(
        sitemap.contains(&format!("<loc>{}</loc>", c.sheet_path(&sheet))),
        "{sitemap}"
    );
}

/// The `href`s of the main navigation of a page.
fn nav_links(html: &str) -> Vec<String> {
    let start = html.find("<nav class=\"site-nav\"").expect("main navigation");
    let end = start + html[start..].find("</nav>").unwrap();
    links(&html[start..end])
}

#[test]
fn navigation_lists_the_fixed_pages_of_the_table() {
    let in_nav: Vec<&str> = FIXED.iter().filter(|p| p.nav.is_some()).map(|p| p.url).collect();
    assert_eq!(
        in_nav,
        [
            "index.html",
            "fiches/index.html",
            "apero-tice/index.html",
            "parcours/index.html",
            "actions/index.html"
        ]
    );
    for (c, _t, out) in built() {
        // The corpora have sessions, paths and actions: every entry shows,
        // in the table's order, and leads to a written page.
        let home = read(&out.join("index.html"));
        assert_eq!(nav_links(&home), in_nav, "{}", c.name);
        for url in &in_nav {
            assert!(out.join(url).is_file(), "{}: {url}", c.name);
        }
        assert!(
            decode(&home).contains("<li><a href=\"index.html\" aria-current=\"page\">"),
            "{}",
            c.name
        );
        // Under a section, its entry is current and links back up.
        let sheet = decode(&read(&out.join(format!("fiches/{}/index.html", c.s("sheet.id")))));
        // Each by the shortest relative path from the sheet's page.
        let page = format!("fiches/{}/index.html", c.s("sheet.id"));
        let up = "../".repeat(c.s("sheet.id").matches('/').count() + 1);
        assert!(
            sheet.contains(&format!("<li><a href=\"{up}index.html\" aria-current=\"true\">")),
            "{}",
            c.name
        );
        assert_eq!(
            nav_links(&sheet),
            in_nav.iter().map(|u| shortest_link(&page, u)).collect::<Vec<_>>(),
            "{}",
            c.name
        );
    }
}

/// The shortest relative link from the page at `from` to `to` (both from
/// the site root): the folders they share are not climbed.
fn shortest_link(from: &str, to: &str) -> String {
    let from: Vec<&str> = from.split('/').collect();
    let to: Vec<&str> = to.split('/').collect();
    let (from_dirs, to_dirs) = (&from[..from.len() - 1], &to[..to.len() - 1]);
    let shared = from_dirs.iter().zip(to_dirs).take_while(|(a, b)| a == b).count();
    format!("{}{}", "../".repeat(from_dirs.len() - shared), to[shared..].join("/"))
}

#[test]
fn navigation_hides_the_sections_a_site_does_not_have() {
    // A site of one sheet: no session, no path, no action.
    let tmp = tempdir();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("content/fiches/wifi")).unwrap();
    std::fs::write(site.join("book.toml"), "[book]\ntitle = \"Essai\"\n").unwrap();
    std::fs::write(
        site.join("content/fiches/wifi/invite.md"),
        "+++\ntitle = \"Wifi invité\"\n+++\nTexte.\n",
    )
    .unwrap();
    let (_t, out) = build_to(&site, &[]);
    let shown: Vec<&str> = FIXED
        .iter()
        .filter(|p| p.nav.is_some_and(|n| n.when == When::Always))
        .map(|p| p.url)
        .collect();
    assert_eq!(nav_links(&read(&out.join("index.html"))), shown);
    // The pages are written all the same (an empty list says so).
    for p in FIXED.iter().filter(|p| p.when == When::Always) {
        assert!(out.join(p.url).is_file(), "missing {}", p.url);
    }
}

#[test]
fn home_page_has_search_categories_recent_and_upcoming() {
    for (c, _t, out) in built() {
        // Titles are shown French-spaced (`Apéro'TICE\u{a0}: …`).
        let home = read(&out.join("index.html")).replace('\u{a0}', " ");
        assert!(home.contains("role=\"search\""));
        assert!(home.contains(&c.s("category.title")), "{}", c.name);
        assert!(home.contains("Fiches mises à jour récemment"));
        // Upcoming sessions only (their dates are years ahead).
        assert!(home.contains(&c.s("upcoming.title")), "{}", c.name);
        let past = c.s("past_title");
        assert!(!home.contains(&past) || home.find(&past) > home.find("Fiches mises à jour"));
    }
}

#[test]
fn sheet_page_shows_action_validation_edit_link_and_neighbours() {
    for (c, _t, out) in built() {
        let p = read(&out.join(format!("fiches/{}/index.html", c.s("sheet.id"))));
        assert!(p.contains(&format!("<h1>{}</h1>", c.s("sheet.title"))), "{}", c.name);
        // The audience badges: a list, its items without classes.
        let badges = p
            .split("<ul class=\"badges\" aria-label=\"Public\">")
            .nth(1)
            .unwrap_or_default();
        assert!(
            badges.split("</ul>").next().unwrap().contains("<li>Référents</li>"),
            "{}",
            c.name
        );
        assert!(p.contains("Action autorisée"));
        assert!(p.contains(&c.s("sheet.reference")), "{}", c.name);
        assert!(
            p.contains(&format!("Validée par {}", c.s("sheet.validated_by"))),
            "{}",
            c.name
        );
        assert!(p.contains(&c.s("sheet.validated_on")), "{}", c.name);
        assert!(p.contains(&c.s("sheet.updated")), "{}", c.name);
        assert!(decode(&p).contains(&c.s("sheet.edit_url")), "{}", c.name);
        assert!(p.contains("rel=\"next\"") || p.contains("rel=\"prev\""));
        assert!(p.contains("class=\"table-wrap\""));
        assert!(!p.contains("live-reload"), "no live reload outside serve");
    }
}

#[test]
fn actions_page_lists_undocumented_actions() {
    for (c, _t, out) in built() {
        undocumented_actions(&c, &out);
    }
}

fn undocumented_actions(c: &Corpus, out: &Path) {
    let p = read(&out.join("actions/index.html"));
    let rows: Vec<&str> = p
        .split("<tr id=\"action-")
        .skip(1)
        .map(|r| r.split("</tr>").next().unwrap())
        .collect();
    let undocumented: Vec<&str> = rows
        .iter()
        .filter(|r| r.contains("pas encore de fiche"))
        .map(|r| r.split('"').next().unwrap())
        .collect();
    // Computed from the corpus: actions no sheet names in its `action` field.
    let mut expected = Vec::new();
    let actions = read(&c.root.join("content/actions.toml"));
    let used: String = walk(&c.root.join("content/fiches")).iter().map(|p| read(p)).collect();
    for line in actions.lines().filter(|l| l.starts_with("id = ")) {
        let id = line.trim_start_matches("id = ").trim_matches('"');
        if !used.contains(&format!("action = \"{id}\"")) {
            expected.push(id);
        }
    }
    assert!(!expected.is_empty());
    assert_eq!(undocumented, expected);
}

#[test]
fn future_sessions_are_upcoming_and_past_ones_archived() {
    for (c, _t, out) in built() {
        let p = read(&out.join("apero-tice/index.html")).replace('\u{a0}', " ");
        let (upcoming, archive) = p.split_once("id=\"archive\"").unwrap();
        let title = c.s("upcoming.title");
        assert!(upcoming.contains(&title), "{}", c.name);
        assert!(!archive.contains(&title));
        assert!(archive.contains("2025"));
        assert!(archive.contains(&c.s("past_title")), "{}", c.name);
        let s = decode(&read(
            &out.join(format!("apero-tice/{}/index.html", c.s("upcoming.slug"))),
        ));
        assert!(s.contains("À venir"));
        assert!(
            s.contains(&format!("fiches/{}/index.html", c.s("upcoming.sheet"))),
            "{}",
            c.name
        );
    }
}

#[test]
fn training_path_lists_its_sheets_in_order() {
    for (c, _t, out) in built() {
        let p = decode(&read(
            &out.join(format!("parcours/{}/index.html", c.s("parcours.slug"))),
        ));
        let at: Vec<usize> = c
            .list("parcours.order")
            .iter()
            .map(|id| {
                p.find(&format!("fiches/{id}/"))
                    .unwrap_or_else(|| panic!("{}: {id}", c.name))
            })
            .collect();
        assert!(
            at.len() >= 3 && at.windows(2).all(|w| w[0] < w[1]),
            "{}: {at:?}",
            c.name
        );
    }
}

/// A sheet of a training path says where it stands in it and leads to
/// the path's next sheet: the reader who follows the path on a phone goes
/// on without going back to the path's page, and « Fiche suivante » (the
/// category's next) is not the only way on (review26).
#[test]
fn a_sheet_of_a_path_leads_to_the_path_s_next_sheet() {
    let step = regex::Regex::new(r#"<li class="path-step"><a href="\.\./\.\./fiches/([^"]+)/index\.html">"#).unwrap();
    for (c, _t, out) in built() {
        let slug = c.s("parcours.slug");
        let path_page = decode(&read(&out.join(format!("parcours/{slug}/index.html"))));
        let order: Vec<String> = step.captures_iter(&path_page).map(|m| m[1].to_string()).collect();
        let total = order.len();
        assert!(total >= c.list("parcours.order").len(), "{}: {order:?}", c.name);
        let title = |id: &str| {
            let p = decode(&read(&out.join(format!("fiches/{id}/index.html"))));
            p.split("<h1>")
                .nth(1)
                .unwrap()
                .split("</h1>")
                .next()
                .unwrap()
                .to_string()
        };
        for (k, id) in order.iter().enumerate() {
            let page = decode(&read(&out.join(format!("fiches/{id}/index.html"))));
            let section = page
                .split("id=\"h-paths\"")
                .nth(1)
                .unwrap_or_else(|| panic!("{}: {id} names no path", c.name))
                .split("</section>")
                .next()
                .unwrap()
                .to_string();
            let place = section
                .split(&format!("parcours/{slug}/index.html\">"))
                .nth(1)
                .unwrap_or_else(|| panic!("{}: {id}: {section}", c.name))
                .split("</li>")
                .next()
                .unwrap()
                .to_string();
            assert!(
                place.contains(&format!("étape {} sur {total}", k + 1)),
                "{}: {id}: {place}",
                c.name
            );
            match order.get(k + 1) {
                Some(next) => {
                    let last = next.rsplit('/').next().unwrap();
                    assert!(
                        place.contains("Étape suivante")
                            && place.contains(&format!("{last}/index.html\">{}</a>", title(next))),
                        "{}: {id} does not lead to {next}: {place}",
                        c.name
                    );
                }
                None => assert!(!place.contains("Étape suivante"), "{}: {place}", c.name),
            }
        }
    }
}

#[test]
fn markdown_features_render() {
    let (_t, out) = build_to(&demo(), &[]);
    let all: String = walk(&out.join("fiches"))
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| read(p))
        .collect();
    assert!(all.contains("<kbd>"), "raw HTML passes through");
    assert!(
        all.contains("class=\"callout callout-"),
        "GitHub alerts become callouts"
    );
    assert!(
        all.contains("class=\"callout-title\">Attention</p>")
            || all.contains("class=\"callout-title\">Remarque</p>")
            || all.contains("class=\"callout-title\">Astuce</p>")
    );
    assert!(all.contains("type=\"checkbox\""), "task lists");
    assert!(all.contains("footnote-definition"), "footnotes");
    assert!(all.contains("<span class=\"hl-"), "syntect highlighting with classes");
    assert!(all.contains("<table>"));
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let (_t, out) = build_to(&demo(), &[]);
    let (_t2, out2) = build_to(&demo(), &["--drafts"]);
    let count = |o: &Path| walk(&o.join("fiches")).len();
    assert!(count(&out2) > count(&out), "--drafts adds the draft sheet");
}

#[test]
fn sheet_pages_stay_light() {
    for (c, _t, out) in built() {
        let rel = format!("fiches/{}/index.html", c.s("sheet.id"));
        let page = std::fs::metadata(out.join(&rel)).unwrap().len();
        let css = std::fs::metadata(out.join("assets/style.css")).unwrap().len();
        assert!(
            page + css < 120_000,
            "{}: sheet page + CSS = {} bytes",
            c.name,
            page + css
        );
        let html = read(&out.join(&rel));
        for l in links(&html) {
            assert!(
                !l.starts_with("http") || l.contains("example.org") || l.contains("example.net"),
                "external request: {l}"
            );
        }
    }
}

/// The lycée fixture copied, its `base-url` replaced by `base_url`.
fn lycee_at(base_url: &str) -> (tempfile::TempDir, PathBuf) {
    let c = lycee();
    let old = format!("base-url = \"{}\"", c.base());
    corpus_with(&c, |b| b.replace(&old, &format!("base-url = \"{base_url}\"")))
}

#[test]
fn sitemap_keeps_the_port_of_an_absolute_base_url() {
    // Intended change (issue 12): the sitemap used to percent-encode the whole
    // address and patch `%3A//` back, which left `host%3A8443`.
    let (_t, site) = lycee_at("https://lycee.example.net:8443/numérique/");
    let (_o, out) = build_to(&site, &[]);
    let xml = read(&out.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.len() > 10, "{xml}");
    for loc in &locs {
        assert!(
            loc.starts_with("https://lycee.example.net:8443/num%C3%A9rique/"),
            "{loc}: port kept, path encoded"
        );
        let u = url::Url::parse(loc).unwrap();
        assert_eq!(
            (u.host_str(), u.port()),
            (Some("lycee.example.net"), Some(8443)),
            "{loc}"
        );
    }
    assert!(!xml.contains("%3A"), "{xml}");
    // The feed names the same host and port.
    let atom = read(&out.join("atom.xml"));
    assert!(
        atom.contains("<link href=\"https://lycee.example.net:8443/numérique/\"/>"),
        "{atom}"
    );
}

#[test]
fn a_site_overrides_one_block_of_a_default_template() {
    let (_t, site) = lycee_at("/aide/");
    let templates = site.join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("base.html"),
        "{% extends \"default/base.html\" %}{% block head_extra %}<meta name=\"x-override\" content=\"{{ page_title }}\">{% endblock head_extra %}",
    )
    .unwrap();
    // Feeds and sitemap are templates too: a site may replace them.
    std::fs::write(
        templates.join("sitemap.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- {{ urls | length }} pages -->\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"/>\n",
    )
    .unwrap();
    let (_o, out) = build_to(&site, &[]);
    let home = read(&out.join("index.html"));
    assert!(home.contains("<meta name=\"x-override\""), "the block is overridden");
    // The rest of the default layout is still there.
    assert!(
        home.contains("class=\"site-brand\"") && home.contains("role=\"search\""),
        "{home}"
    );
    let sheet = out.join("fiches").join(lycee().s("sheet.id")).join("index.html");
    assert!(
        read(&sheet).contains("<meta name=\"x-override\""),
        "pages extending base.html get it too"
    );
    let sitemap = read(&out.join("sitemap.xml"));
    let n: usize = sitemap
        .split("<!-- ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(n > 10, "{sitemap}");
}

/// A site's template written for the macros' earlier arguments (`root=root`,
/// links from the site's root) still builds, and its links still lead to
/// the pages; the default theme passes `from=page_url` instead.
#[test]
fn a_site_template_calling_the_macros_with_root_still_builds() {
    let (_t, site) = lycee_at("/aide/");
    let templates = site.join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("category.html"),
        "{% extends \"base.html\" %}{% import \"macros.html\" as m %}{% block content %}\
         {{ m::breadcrumb(parents=parents, root=root, t=t) }}\
         <p id=\"override\">{{ page_title }}</p>{{ m::sheet_list(sheets=sheets, root=root, t=t) }}\
         {% endblock content %}",
    )
    .unwrap();
    let (_o, out) = build_to(&site, &[]);
    let id = lycee().s("sheet.id");
    let (category, _) = id.rsplit_once('/').unwrap();
    let page = read(&out.join("fiches").join(category).join("index.html"));
    assert!(page.contains("id=\"override\""), "{page}");
    // From fiches/<category>/, the root is one level up per folder.
    let root = "../".repeat(category.split('/').count() + 1);
    let link = format!("href=\"{root}fiches/{id}/index.html\"");
    assert!(page.contains(&link), "{link} in {page}");
    assert!(page.contains(&format!("href=\"{root}index.html\"")), "{page}");
}

/// `aliases`: each old id of a sheet gets a redirect page at the address it
/// had, relative (sub-path, `file://`), `noindex`, and nowhere else: not in
/// the sitemap, the search index nor any list.
#[test]
fn aliases_redirect_old_addresses_to_the_sheet() {
    let (_tmp, site) = demo_copy();
    let sheet = site.join("content/fiches/wifi/compte-invite.md");
    let text = read(&sheet).replacen(
        "+++\n",
        "+++\naliases = [\"wifi/ancien-compte-invite\", \"reseau/Invités Wi-Fi\"]\n",
        1,
    );
    write(&sheet, &text);
    // Under a sub-path: the links stay relative all the same.
    let book = read(&site.join("book.toml")).replace(
        "base-url = \"https://clg-lucie-aubrac.example.org/\"",
        "base-url = \"/aide/\"",
    );
    write(&site.join("book.toml"), &book);
    let (_out_tmp, out) = build_to(&site, &[]);
    for (alias, link) in [
        (
            "fiches/wifi/ancien-compte-invite/index.html",
            "../compte-invite/index.html",
        ),
        (
            "fiches/reseau/invites-wi-fi/index.html",
            "../../wifi/compte-invite/index.html",
        ),
    ] {
        let page = read(&out.join(alias));
        assert!(
            page.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={link}\">")),
            "{alias}: {page}"
        );
        assert!(
            page.contains(&format!("<link rel=\"canonical\" href=\"{link}\">")),
            "{page}"
        );
        assert!(page.contains("<meta name=\"robots\" content=\"noindex\">"), "{page}");
        assert!(page.contains("Cette fiche a été déplacée"), "{page}");
        assert!(
            page.contains(&format!("<a href=\"{link}\">Créer un compte Wi-Fi invité</a>")),
            "{page}"
        );
        // The link leads to the sheet's page from the alias's folder.
        let target = out.join(alias).parent().unwrap().join(link);
        assert!(target.is_file(), "{}", target.display());
        assert_eq!(
            std::fs::canonicalize(&target).unwrap(),
            std::fs::canonicalize(out.join("fiches/wifi/compte-invite/index.html")).unwrap()
        );
    }
    assert!(crawl(&out).is_empty(), "{:?}", crawl(&out));
    // Only the redirect pages name the old addresses.
    for f in walk(&out) {
        let rel = f.strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
        if rel.starts_with("fiches/wifi/ancien-compte-invite/") || rel.starts_with("fiches/reseau/") {
            continue;
        }
        let bytes = std::fs::read(&f).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for old in ["ancien-compte-invite", "invites-wi-fi"] {
            assert!(!text.contains(old), "{rel} names the alias `{old}`");
        }
    }
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(sitemap.contains("fiches/wifi/compte-invite/"), "{sitemap}");
}
