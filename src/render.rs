//! Render stage for pages: builds the view of each page from the model and
//! the rendered Markdown, and lays it out with the theme's tera templates.

use crate::diagnostics::Diagnostic;
use crate::i18n::Strings;
use crate::markdown::Rendered;
use crate::model::{Session, Sheet, Site, TrainingPath};
use crate::theme::Theme;
use serde::Serialize;
use tera::{Context, Tera};

/// Rendered Markdown of every page, indexed like the model's lists.
pub struct Bodies {
    pub sheets: Vec<Rendered>,
    pub sessions: Vec<Rendered>,
    pub paths: Vec<Rendered>,
    pub categories: Vec<Rendered>,
}

/// One output page. Serve re-renders only the jobs a change touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Page {
    Home,
    AllSheets,
    Category(usize),
    Sheet(usize),
    Sessions,
    Session(usize),
    Paths,
    Path(usize),
    Actions,
    Search,
    FollowUp,
    Accessibility,
    NotFound,
    /// A category's sheets in one printable page.
    Booklet(usize),
}

pub struct Renderer {
    tera: Tera,
    strings: &'static Strings,
    /// Bumps asset URLs so browsers never mix an old CSS with a new page.
    pub asset_version: String,
    /// Names of the theme's assets: templates link only those that exist.
    theme_assets: Vec<String>,
    /// The UI strings, converted once rather than for every page.
    strings_value: tera::Value,
    /// The strings the page scripts read (search, help request), as JSON.
    js_strings: String,
    /// The theme's accent colour, the default `theme-color`.
    accent: String,
}

#[derive(Serialize)]
struct Link {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct Badge {
    id: &'static str,
    label: &'static str,
}

#[derive(Serialize)]
struct SheetCard {
    id: String,
    title: String,
    summary: String,
    url: String,
    category: String,
    category_url: String,
    audience: Vec<Badge>,
    updated: Option<String>,
    updated_iso: Option<String>,
    origin: Option<String>,
    draft: bool,
}

#[derive(Serialize)]
struct SessionCard {
    title: String,
    url: String,
    date: String,
    date_iso: String,
    time: Option<String>,
    location: Option<String>,
    presenters: Vec<String>,
    summary: String,
    upcoming: bool,
}

#[derive(Serialize)]
struct ActionRow {
    id: String,
    title: String,
    who: Vec<Badge>,
    conditions: String,
    reference: String,
    sheets: Vec<Link>,
    origin: Option<String>,
}

#[derive(Serialize)]
struct CategoryCard {
    id: String,
    title: String,
    description: String,
    url: String,
    count: usize,
    depth: usize,
}

impl Renderer {
    pub fn new(theme: &Theme, strings: &'static Strings, asset_version: String) -> Result<Renderer, Diagnostic> {
        let mut tera = Tera::default();
        // Only HTML: tera's escaping (`/` as `&#x2F;`) is HTML's; the XML and
        // iCalendar templates escape with the `xml` and `ics_text` filters.
        tera.autoescape_on(vec![".html"]);
        register_filters(&mut tera);
        let list: Vec<(String, String)> = theme.templates.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        tera.add_raw_templates(list).map_err(|e| {
            Diagnostic::error(
                "template-error",
                "themes",
                format!("gabarit invalide : {}", error_chain(&e)),
            )
        })?;
        let theme_assets = theme.assets.keys().cloned().collect();
        let strings_value = tera::to_value(strings.map()).unwrap_or_default();
        // The one string table of site.js and search.js (their t()), and
        // only what they read: every page carries it.
        let js: std::collections::BTreeMap<&str, &str> = strings
            .map()
            .iter()
            .filter(|(k, _)| {
                ["search_", "kind_", "audience_", "support_", "offline_", "step_"]
                    .iter()
                    .any(|p| k.starts_with(p))
            })
            .map(|(k, v)| (*k, *v))
            .collect();
        // `</` must not close the surrounding script element.
        let js_strings = serde_json::to_string(&js)
            .unwrap_or_else(|_| "{}".into())
            .replace("</", "<\\/");
        Ok(Renderer {
            tera,
            strings,
            asset_version,
            theme_assets,
            strings_value,
            js_strings,
            accent: theme.accent(),
        })
    }

    fn badges(&self, list: &[crate::frontmatter::Audience]) -> Vec<Badge> {
        list.iter()
            .map(|a| Badge {
                id: a.as_str(),
                label: self.strings.audience(a.as_str()),
            })
            .collect()
    }

    fn sheet_card(&self, site: &Site, s: &Sheet) -> SheetCard {
        let cat = &site.categories[s.category];
        SheetCard {
            id: s.id.clone(),
            title: s.title.clone(),
            summary: s.summary.clone(),
            url: s.url.clone(),
            category: cat.title.clone(),
            category_url: cat.url.clone(),
            audience: self.badges(&s.audience),
            updated: s.updated.map(|d| self.strings.long_date(d)),
            updated_iso: s.updated.map(|d| d.iso()),
            origin: s.origin.clone(),
            draft: s.draft,
        }
    }

    fn session_card(&self, s: &Session) -> SessionCard {
        SessionCard {
            title: s.title.clone(),
            url: s.url.clone(),
            date: self.strings.long_date(s.date),
            date_iso: s.date.iso(),
            time: s.time.clone(),
            location: s.location.clone(),
            presenters: s.presenters.clone(),
            summary: s.summary.clone(),
            upcoming: s.upcoming,
        }
    }

    fn path_link(&self, p: &TrainingPath) -> Link {
        Link {
            title: p.title.clone(),
            url: p.url.clone(),
        }
    }

    /// Context shared by every page: site, strings, navigation, root prefix.
    fn base(&self, site: &Site, url: &str, title: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("root", &crate::html::root_prefix(url));
        ctx.insert("page_url", url);
        ctx.insert("page_title", title);
        ctx.insert("t", &self.strings_value);
        ctx.insert("js_strings", &self.js_strings);
        ctx.insert("lang", &site.config.book.language);
        ctx.insert("asset_version", &self.asset_version);
        ctx.insert("live_reload", &false);
        ctx.insert("theme_assets", &self.theme_assets);
        let cfg = &site.config;
        ctx.insert(
            "site",
            &serde_json::json!({
                "title": cfg.book.title,
                "description": cfg.book.description,
                "base_url": cfg.site.base_url.to_string(),
                "repository": cfg.site.repository,
                "has_sessions": !site.sessions.is_empty(),
                "has_paths": !site.paths.is_empty(),
                "has_actions": !site.actions.is_empty(),
                "has_accessibility": cfg.accessibility.is_some(),
                "accessibility_status": cfg.accessibility.as_ref().map(|a| a.status.clone()),
                "offline": cfg.offline.enabled,
                "theme_color": cfg.offline.theme_color.as_ref().unwrap_or(&self.accent),
            }),
        );
        let nav: Vec<CategoryCard> = site
            .categories
            .iter()
            .filter(|c| c.depth == 0 && !c.id.is_empty())
            .map(|c| self.category_card(site, c))
            .collect();
        ctx.insert("nav_categories", &nav);
        ctx
    }

    fn category_card(&self, site: &Site, c: &crate::model::Category) -> CategoryCard {
        let prefix = format!("{}/", c.id);
        let count = site
            .categories
            .iter()
            .filter(|o| o.id == c.id || o.id.starts_with(&prefix))
            .map(|o| o.sheets.len())
            .sum();
        CategoryCard {
            id: c.id.clone(),
            title: c.title.clone(),
            description: c.description.clone(),
            url: c.url.clone(),
            count,
            depth: c.depth,
        }
    }

    pub fn url_of(&self, site: &Site, page: Page) -> String {
        match page {
            Page::Home => "index.html".into(),
            Page::AllSheets => "fiches/index.html".into(),
            Page::Category(i) => site.categories[i].url.clone(),
            Page::Sheet(i) => site.sheets[i].url.clone(),
            Page::Sessions => "apero-tice/index.html".into(),
            Page::Session(i) => site.sessions[i].url.clone(),
            Page::Paths => "parcours/index.html".into(),
            Page::Path(i) => site.paths[i].url.clone(),
            Page::Actions => "actions/index.html".into(),
            Page::Search => "recherche/index.html".into(),
            Page::FollowUp => "suivi/index.html".into(),
            Page::Accessibility => "accessibilite/index.html".into(),
            Page::NotFound => "404.html".into(),
            Page::Booklet(i) => crate::publish::booklet_url(site, i),
        }
    }

    /// Every page of the site.
    pub fn pages(site: &Site) -> Vec<Page> {
        let mut v = vec![Page::Home, Page::Search, Page::NotFound, Page::FollowUp];
        if !site.categories.iter().any(|c| c.id.is_empty()) {
            v.push(Page::AllSheets);
        }
        v.extend((0..site.categories.len()).map(Page::Category));
        v.extend(
            (0..site.categories.len())
                .filter(|&i| !crate::publish::booklet_sheets(site, i).is_empty())
                .map(Page::Booklet),
        );
        v.extend((0..site.sheets.len()).map(Page::Sheet));
        v.push(Page::Sessions);
        v.extend((0..site.sessions.len()).map(Page::Session));
        v.push(Page::Paths);
        v.extend((0..site.paths.len()).map(Page::Path));
        v.push(Page::Actions);
        if site.config.accessibility.is_some() {
            v.push(Page::Accessibility);
        }
        v
    }

    pub fn render(
        &self,
        site: &Site,
        bodies: &Bodies,
        extra: &crate::followup::FollowUp,
        page: Page,
    ) -> Result<String, Diagnostic> {
        let url = self.url_of(site, page);
        let s = self.strings;
        let (template, ctx) = match page {
            Page::Home => {
                let mut ctx = self.base(site, &url, &site.config.book.title);
                let cats: Vec<CategoryCard> = site
                    .categories
                    .iter()
                    .filter(|c| c.depth == 0 && !c.id.is_empty() || (c.id.is_empty() && !c.sheets.is_empty()))
                    .map(|c| self.category_card(site, c))
                    .collect();
                ctx.insert("categories", &cats);
                let mut recent: Vec<&Sheet> = site.sheets.iter().filter(|s| s.updated.is_some()).collect();
                recent.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.title.cmp(&b.title)));
                let recent: Vec<SheetCard> = recent.into_iter().take(6).map(|s| self.sheet_card(site, s)).collect();
                ctx.insert("recent", &recent);
                let upcoming: Vec<SessionCard> = site
                    .upcoming_sessions()
                    .take(3)
                    .map(|(_, s)| self.session_card(s))
                    .collect();
                ctx.insert("upcoming", &upcoming);
                let paths: Vec<Link> = site.paths.iter().map(|p| self.path_link(p)).collect();
                ctx.insert("paths", &paths);
                ("index.html", ctx)
            }
            Page::AllSheets => {
                let mut ctx = self.base(site, &url, s.get("sheets"));
                let cats: Vec<CategoryCard> = site.categories.iter().map(|c| self.category_card(site, c)).collect();
                ctx.insert("categories", &cats);
                ("all_sheets.html", ctx)
            }
            Page::Category(i) => {
                let c = &site.categories[i];
                let mut ctx = self.base(site, &url, &c.title);
                ctx.insert("category", &self.category_card(site, c));
                ctx.insert("body", &bodies.categories[i].html);
                let sheets: Vec<SheetCard> = c
                    .sheets
                    .iter()
                    .map(|&j| self.sheet_card(site, &site.sheets[j]))
                    .collect();
                ctx.insert("sheets", &sheets);
                let subs: Vec<CategoryCard> = site
                    .categories
                    .iter()
                    .filter(|o| o.parent == Some(i))
                    .map(|o| self.category_card(site, o))
                    .collect();
                ctx.insert("subcategories", &subs);
                ctx.insert("parents", &self.parents(site, i));
                if !crate::publish::booklet_sheets(site, i).is_empty() {
                    ctx.insert("booklet_url", &crate::publish::booklet_url(site, i));
                }
                ("category.html", ctx)
            }
            Page::Sheet(i) => {
                let sh = &site.sheets[i];
                let body = &bodies.sheets[i];
                let mut ctx = self.base(site, &url, &sh.title);
                ctx.insert("sheet", &self.sheet_card(site, sh));
                ctx.insert("tags", &sh.tags);
                ctx.insert("body", &body.html);
                ctx.insert(
                    "toc",
                    &body
                        .toc
                        .iter()
                        .map(|t| serde_json::json!({"level": t.level, "id": t.id, "title": t.title}))
                        .collect::<Vec<_>>(),
                );
                ctx.insert("parents", &self.parents(site, sh.category));
                if let Some(a) = sh.action {
                    let a = &site.actions[a];
                    ctx.insert(
                        "action",
                        &serde_json::json!({"id": a.id, "title": a.title, "who": self.badges(&a.who), "conditions": a.conditions, "reference": a.reference}),
                    );
                }
                if let Some(v) = &sh.validation {
                    ctx.insert(
                        "validation",
                        &serde_json::json!({"by": v.by, "on": s.long_date(v.on), "on_iso": v.on.iso()}),
                    );
                }
                ctx.insert("contributors", &sh.contributors);
                if let Some(tpl) = &site.config.site.edit_url {
                    ctx.insert(
                        "edit_url",
                        &tpl.replace("{path}", &crate::html::encode_path(&sh.source)),
                    );
                }
                let sessions: Vec<SessionCard> = sh
                    .sessions
                    .iter()
                    .map(|&k| self.session_card(&site.sessions[k]))
                    .collect();
                ctx.insert("sessions", &sessions);
                let paths: Vec<Link> = sh.paths.iter().map(|&k| self.path_link(&site.paths[k])).collect();
                ctx.insert("paths", &paths);
                let nav = |o: Option<usize>| {
                    o.map(|k| Link {
                        title: site.sheets[k].title.clone(),
                        url: site.sheets[k].url.clone(),
                    })
                };
                ctx.insert("prev", &nav(sh.prev));
                ctx.insert("next", &nav(sh.next));
                ctx.insert("has_tasks", &(body.task_count > 0));
                crate::publish::sheet_extras(site, sh, body, &mut ctx);
                ("sheet.html", ctx)
            }
            Page::Sessions => {
                let mut ctx = self.base(site, &url, s.get("apero"));
                let up: Vec<SessionCard> = site.upcoming_sessions().map(|(_, x)| self.session_card(x)).collect();
                let past: Vec<SessionCard> = site.past_sessions().map(|(_, x)| self.session_card(x)).collect();
                ctx.insert("upcoming", &up);
                ctx.insert("past", &past);
                ("apero_index.html", ctx)
            }
            Page::Session(i) => {
                let se = &site.sessions[i];
                let mut ctx = self.base(site, &url, &se.title);
                ctx.insert("session", &self.session_card(se));
                ctx.insert("tags", &se.tags);
                ctx.insert("body", &bodies.sessions[i].html);
                let sheets: Vec<SheetCard> = se
                    .fiches
                    .iter()
                    .map(|&j| self.sheet_card(site, &site.sheets[j]))
                    .collect();
                ctx.insert("sheets", &sheets);
                ("apero.html", ctx)
            }
            Page::Paths => {
                let mut ctx = self.base(site, &url, s.get("paths"));
                let list: Vec<serde_json::Value> = site
                    .paths
                    .iter()
                    .map(|p| serde_json::json!({"title": p.title, "url": p.url, "summary": p.summary, "count": p.fiches.len()}))
                    .collect();
                ctx.insert("paths", &list);
                ("parcours_index.html", ctx)
            }
            Page::Path(i) => {
                let p = &site.paths[i];
                let mut ctx = self.base(site, &url, &p.title);
                ctx.insert(
                    "path",
                    &serde_json::json!({"title": p.title, "summary": p.summary, "audience": self.badges(&p.audience)}),
                );
                ctx.insert("body", &bodies.paths[i].html);
                let sheets: Vec<SheetCard> = p
                    .fiches
                    .iter()
                    .map(|&j| self.sheet_card(site, &site.sheets[j]))
                    .collect();
                ctx.insert("sheets", &sheets);
                ("parcours.html", ctx)
            }
            Page::Actions => {
                let mut ctx = self.base(site, &url, s.get("actions"));
                let rows: Vec<ActionRow> = site
                    .actions
                    .iter()
                    .map(|a| ActionRow {
                        id: a.id.clone(),
                        title: a.title.clone(),
                        who: self.badges(&a.who),
                        conditions: a.conditions.clone(),
                        reference: a.reference.clone(),
                        sheets: a
                            .sheets
                            .iter()
                            .map(|&j| Link {
                                title: site.sheets[j].title.clone(),
                                url: site.sheets[j].url.clone(),
                            })
                            .collect(),
                        origin: a.origin.clone(),
                    })
                    .collect();
                ctx.insert("undocumented", &rows.iter().filter(|r| r.sheets.is_empty()).count());
                ctx.insert("actions", &rows);
                ("actions.html", ctx)
            }
            Page::Search => {
                let mut ctx = self.base(site, &url, s.get("search_title"));
                // The help path of a search without result (search.js fills in the query).
                let sup = site.config.support.as_ref();
                ctx.insert("support_email", &sup.and_then(|x| x.email.clone()));
                ctx.insert("support_ticket", &sup.and_then(|x| x.ticket_url.clone()));
                ("search.html", ctx)
            }
            Page::FollowUp => {
                let mut ctx = self.base(site, &url, s.get("followup"));
                ctx.insert("followup", extra);
                ("suivi.html", ctx)
            }
            Page::Accessibility => {
                let mut ctx = self.base(site, &url, s.get("accessibility_statement"));
                if let Some(a) = &site.config.accessibility {
                    ctx.insert(
                        "accessibility",
                        &serde_json::json!({
                            "status": a.status,
                            "audited_on": a.audited_on.map(|d| s.long_date(d)),
                            "contact": a.contact,
                        }),
                    );
                }
                ctx.insert("checked_pages", &self.sample_pages(site));
                // Known gaps, found at build time: images without a text alternative.
                let missing_alt: Vec<Link> = site
                    .sheets
                    .iter()
                    .zip(&bodies.sheets)
                    .filter(|(_, b)| !b.images_without_alt.is_empty())
                    .map(|(sh, _)| Link {
                        title: sh.title.clone(),
                        url: sh.url.clone(),
                    })
                    .collect();
                ctx.insert("missing_alt", &missing_alt);
                ("accessibilite.html", ctx)
            }
            Page::Booklet(i) => {
                let c = &site.categories[i];
                let mut ctx = self.base(site, &url, &format!("{} — {}", c.title, s.get("booklet")));
                ctx.insert("category", &self.category_card(site, c));
                ctx.insert("parents", &self.parents(site, i));
                let sheets: Vec<serde_json::Value> = crate::publish::booklet_sheets(site, i)
                    .into_iter()
                    .enumerate()
                    .map(|(n, j)| {
                        let sh = &site.sheets[j];
                        let mut v = serde_json::to_value(self.sheet_card(site, sh)).unwrap_or_default();
                        let extra =
                            crate::publish::booklet_sheet(site, sh, &bodies.sheets[j], &url, n + 1, s.get("qr_label"));
                        if let (Some(o), serde_json::Value::Object(e)) = (v.as_object_mut(), extra) {
                            o.extend(e);
                        }
                        v
                    })
                    .collect();
                ctx.insert("sheets", &sheets);
                ("booklet.html", ctx)
            }
            Page::NotFound => {
                let mut ctx = self.base(site, &url, s.get("not_found_title"));
                // Served at any depth by a web server: links start at the
                // host's root. Only the path: the origin would send `serve`'s
                // visitors to the production host.
                ctx.insert("root", site.config.site.base_url.path());
                ("404.html", ctx)
            }
        };
        self.tera.render(template, &ctx).map_err(|e| {
            Diagnostic::error(
                "template-error",
                format!("themes/{}/templates/{template}", site.config.build.theme),
                format!("erreur de gabarit : {}", error_chain(&e)),
            )
        })
    }

    /// A page outside `pages()` (the offline page, the service worker): the
    /// shared context, filled further by `fill`.
    pub fn render_with(
        &self,
        site: &Site,
        template: &str,
        url: &str,
        title: &str,
        fill: &dyn Fn(&mut Context),
    ) -> Result<String, Diagnostic> {
        let mut ctx = self.base(site, url, title);
        fill(&mut ctx);
        self.tera.render(template, &ctx).map_err(|e| {
            Diagnostic::error(
                "template-error",
                format!("themes/{}/templates/{template}", site.config.build.theme),
                format!("erreur de gabarit : {}", error_chain(&e)),
            )
        })
    }

    /// One page of each type, for the accessibility statement's sample.
    fn sample_pages(&self, site: &Site) -> Vec<Link> {
        let s = self.strings;
        let mut v = vec![Link {
            title: s.get("home").into(),
            url: self.url_of(site, Page::Home),
        }];
        if let Some(i) = site.categories.iter().position(|c| !c.sheets.is_empty()) {
            v.push(Link {
                title: format!("{} : {}", s.get("category"), site.categories[i].title),
                url: site.categories[i].url.clone(),
            });
            v.push(Link {
                title: format!("{} : {}", s.get("booklet"), site.categories[i].title),
                url: crate::publish::booklet_url(site, i),
            });
        }
        if let Some(sh) = site.sheets.first() {
            v.push(Link {
                title: format!("{} : {}", s.get("kind_fiche"), sh.title),
                url: sh.url.clone(),
            });
        }
        v.push(Link {
            title: s.get("apero").into(),
            url: self.url_of(site, Page::Sessions),
        });
        if let Some(se) = site.sessions.first() {
            v.push(Link {
                title: format!("{} : {}", s.get("apero"), se.title),
                url: se.url.clone(),
            });
        }
        v.push(Link {
            title: s.get("paths").into(),
            url: self.url_of(site, Page::Paths),
        });
        if let Some(p) = site.paths.first() {
            v.push(Link {
                title: format!("{} : {}", s.get("paths"), p.title),
                url: p.url.clone(),
            });
        }
        v.push(Link {
            title: s.get("actions").into(),
            url: self.url_of(site, Page::Actions),
        });
        v.push(Link {
            title: s.get("search_title").into(),
            url: self.url_of(site, Page::Search),
        });
        v.push(Link {
            title: s.get("followup").into(),
            url: self.url_of(site, Page::FollowUp),
        });
        v.push(Link {
            title: s.get("accessibility_statement").into(),
            url: self.url_of(site, Page::Accessibility),
        });
        v
    }

    fn parents(&self, site: &Site, mut cat: usize) -> Vec<Link> {
        let mut v = Vec::new();
        loop {
            let c = &site.categories[cat];
            v.push(Link {
                title: c.title.clone(),
                url: c.url.clone(),
            });
            match c.parent {
                Some(p) => cat = p,
                None => break,
            }
        }
        v.reverse();
        v
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(" : ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

/// The escaping filters of the XML and iCalendar templates: `xml`
/// (`html::xml_escape`), `ics_text` and `ics_fold` (`ics`). A value that is
/// not a string (a number) is shown as JSON writes it.
fn register_filters(tera: &mut Tera) {
    fn text(v: &tera::Value) -> String {
        match v {
            tera::Value::String(s) => s.clone(),
            tera::Value::Null => String::new(),
            other => other.to_string(),
        }
    }
    type Filter = fn(&str) -> String;
    for (name, f) in [
        ("xml", crate::html::xml_escape as Filter),
        ("ics_text", crate::ics::text as Filter),
        ("ics_fold", crate::ics::fold_lines as Filter),
    ] {
        tera.register_filter(
            name,
            move |v: &tera::Value, _: &std::collections::HashMap<String, tera::Value>| {
                Ok(tera::Value::String(f(&text(v))))
            },
        );
    }
}
