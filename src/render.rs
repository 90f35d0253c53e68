//! Render stage for pages: builds the view of each page from the model and
//! the rendered Markdown, and lays it out with the theme's tera templates.

use crate::diagnostics::Diagnostic;
use crate::i18n::Strings;
use crate::markdown::Rendered;
use crate::model::{Session, Sheet, Site, TrainingPath};
use crate::pages::{self, Fixed, When};
use crate::theme::Theme;
use serde::Serialize;
use std::borrow::Cow;
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

impl Page {
    /// Its row in the table of fixed pages, for a page that is not content.
    pub fn fixed(self) -> Option<Fixed> {
        Some(match self {
            Page::Home => Fixed::Home,
            Page::AllSheets => Fixed::AllSheets,
            Page::Sessions => Fixed::Sessions,
            Page::Paths => Fixed::Paths,
            Page::Actions => Fixed::Actions,
            Page::Search => Fixed::Search,
            Page::FollowUp => Fixed::FollowUp,
            Page::Accessibility => Fixed::Accessibility,
            Page::NotFound => Fixed::NotFound,
            Page::Category(_) | Page::Sheet(_) | Page::Session(_) | Page::Path(_) | Page::Booklet(_) => return None,
        })
    }
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
    /// The theme's name, its templates as written and those the site
    /// gives: what a rendering error names (`render_error`).
    theme_name: String,
    sources: std::collections::BTreeMap<String, String>,
    own: std::collections::BTreeSet<String>,
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
    /// As the language writes it: « 12 h 30 », « de 12 h 30 à 13 h 30 ».
    time: Option<String>,
    location: Option<String>,
    presenters: Vec<String>,
    /// « Animé par A, B », for the lists (their macro has no `t`).
    presented_by: String,
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

/// `site` in every template.
#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: String,
    repository: Option<&'a str>,
    has_sessions: bool,
    has_paths: bool,
    has_actions: bool,
    has_accessibility: bool,
    accessibility_status: Option<&'a str>,
    offline: bool,
    theme_color: &'a str,
}

/// An entry of the main navigation (`nav` in every template).
#[derive(Serialize)]
struct NavLink {
    url: &'static str,
    label: &'static str,
    shown: bool,
    /// `aria-current`: `page` on the page itself, `true` under its folder.
    current: Option<&'static str>,
}

#[derive(Serialize)]
struct HomeView {
    categories: Vec<CategoryCard>,
    recent: Vec<SheetCard>,
    upcoming: Vec<SessionCard>,
    paths: Vec<Link>,
}

#[derive(Serialize)]
struct AllSheetsView {
    categories: Vec<CategoryCard>,
}

#[derive(Serialize)]
struct CategoryView<'a> {
    category: CategoryCard,
    body: Cow<'a, str>,
    sheets: Vec<SheetCard>,
    subcategories: Vec<CategoryCard>,
    parents: Vec<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    booklet_url: Option<String>,
}

#[derive(Serialize)]
struct TocView<'a> {
    level: u8,
    id: &'a str,
    title: &'a str,
}

#[derive(Serialize)]
struct ActionView<'a> {
    id: &'a str,
    title: &'a str,
    who: Vec<Badge>,
    conditions: &'a str,
    reference: &'a str,
}

#[derive(Serialize)]
struct ValidationView<'a> {
    by: &'a str,
    on: String,
    on_iso: String,
}

/// A training path that holds a sheet, with the sheet's place in it: the
/// reader who follows the path goes on to its next sheet, not to the
/// category's (`next`).
#[derive(Serialize)]
struct PathPlace {
    title: String,
    url: String,
    /// 1 for the path's first sheet.
    step: usize,
    total: usize,
    next: Option<Link>,
}

/// A sheet's page; `publish::sheet_extras` adds its print and help fields.
#[derive(Serialize)]
struct SheetView<'a> {
    sheet: SheetCard,
    tags: &'a [String],
    body: Cow<'a, str>,
    toc: Vec<TocView<'a>>,
    parents: Vec<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<ActionView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    validation: Option<ValidationView<'a>>,
    contributors: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    edit_url: Option<String>,
    sessions: Vec<SessionCard>,
    paths: Vec<PathPlace>,
    prev: Option<Link>,
    next: Option<Link>,
    has_tasks: bool,
}

#[derive(Serialize)]
struct SessionsView {
    upcoming: Vec<SessionCard>,
    past: Vec<SessionCard>,
}

#[derive(Serialize)]
struct SessionView<'a> {
    session: SessionCard,
    tags: &'a [String],
    body: Cow<'a, str>,
    sheets: Vec<SheetCard>,
}

#[derive(Serialize)]
struct PathSummary<'a> {
    title: &'a str,
    url: &'a str,
    summary: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct PathsView<'a> {
    paths: Vec<PathSummary<'a>>,
}

#[derive(Serialize)]
struct PathHead<'a> {
    title: &'a str,
    summary: &'a str,
    audience: Vec<Badge>,
}

#[derive(Serialize)]
struct PathView<'a> {
    path: PathHead<'a>,
    body: Cow<'a, str>,
    sheets: Vec<SheetCard>,
}

#[derive(Serialize)]
struct ActionsView {
    undocumented: usize,
    actions: Vec<ActionRow>,
    /// Where « tout le reste » goes: `[support]`'s ticket form or e-mail,
    /// pre-filled as a sheet's help request is.
    help: Option<crate::publish::HelpLinks>,
}

#[derive(Serialize)]
struct SearchView<'a> {
    support_email: Option<&'a str>,
    support_ticket: Option<&'a str>,
}

#[derive(Serialize)]
struct FollowUpView<'a> {
    followup: &'a crate::followup::FollowUp,
}

#[derive(Serialize)]
struct AccessibilityInfo<'a> {
    status: &'a str,
    audited_on: Option<String>,
    contact: Option<&'a str>,
}

#[derive(Serialize)]
struct AccessibilityView<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    accessibility: Option<AccessibilityInfo<'a>>,
    checked_pages: Vec<Link>,
    missing_alt: Vec<Link>,
}

/// A sheet in a booklet: its card and what `publish` adds to print it,
/// with the allowed action and the validation its page shows (their
/// conditions hold on paper too).
#[derive(Serialize)]
struct BookletSheet<'a> {
    #[serde(flatten)]
    card: SheetCard,
    #[serde(flatten)]
    print: serde_json::Value,
    action: Option<ActionView<'a>>,
    validation: Option<ValidationView<'a>>,
}

#[derive(Serialize)]
struct BookletView<'a> {
    category: CategoryCard,
    parents: Vec<Link>,
    sheets: Vec<BookletSheet<'a>>,
}

#[derive(Serialize)]
struct NotFoundView {
    root: String,
    /// The base path too: `rel(from=page_url)` then gives absolute links
    /// (`html::relative`), which the main navigation needs at any depth.
    page_url: String,
}

/// A top category in the navigation.
#[derive(Serialize)]
struct NavCategory<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a str,
    url: &'a str,
    depth: usize,
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

/// The theme scripts' string table, one asset for all pages: the start of
/// `site.js` (src/build.rs), and this file for a theme's page that loads it.
pub const STRINGS_JS: &str = "strings.js";

impl Renderer {
    /// `assets/strings.js`: the table of site.js's and search.js's `t()`.
    pub fn strings_js(&self) -> String {
        format!("window.__fichesStrings = {};\n", self.js_strings)
    }

    pub fn new(theme: &Theme, strings: &'static Strings, asset_version: String) -> Result<Renderer, Diagnostic> {
        let mut tera = Tera::default();
        // Only HTML; the XML and iCalendar templates escape with the `xml`
        // and `ics_text` filters. The product's one HTML escaping: tera's
        // own also writes every `/` as `&#x2F;` (six bytes for one), about
        // 500 bytes of each page's links for nothing in quoted attributes.
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(crate::html::escape);
        register_filters(&mut tera);
        // `{{ sheet.title | nbsp }}`: titles and summaries in large type,
        // where a lone `?` or `»` starting a line shows most.
        let french = strings.lang == "fr";
        tera.register_filter(
            "nbsp",
            move |v: &tera::Value, _: &std::collections::HashMap<String, tera::Value>| {
                let s = v.as_str().unwrap_or_default();
                Ok(tera::Value::String(match french {
                    true => crate::html::french_spacing(s, false).into_owned(),
                    false => s.to_string(),
                }))
            },
        );
        let list: Vec<(String, String)> = theme
            .templates
            .iter()
            .map(|(k, v)| {
                let src = if k.ends_with(".html") {
                    crate::html::dedent(v)
                } else {
                    v.clone()
                };
                (k.clone(), src)
            })
            .collect();
        tera.add_raw_templates(list).map_err(|e| parse_error(theme, &e))?;
        let theme_assets = theme.assets.keys().cloned().collect();
        let strings_value = tera::to_value(strings.map()).unwrap_or_default();
        // The one string table of site.js and search.js (their t()), and
        // only what they read: `assets/strings.js` (`strings_js`).
        let js: std::collections::BTreeMap<&str, &str> = strings
            .map()
            .iter()
            .filter(|(k, _)| {
                [
                    "search_",
                    "kind_",
                    "audience_",
                    "support_",
                    "offline_",
                    "step_",
                    "anchor_",
                ]
                .iter()
                .any(|p| k.starts_with(p))
                    || ["menu", "print_sheet", "search", "online_at", "qr_label", "print_qr"].contains(k)
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
            theme_name: theme.name.clone(),
            sources: theme.templates.clone(),
            own: theme.own.clone(),
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
            time: s.time.as_deref().map(|t| self.strings.time_span(t, s.end.as_deref())),
            location: s.location.clone(),
            presenters: s.presenters.clone(),
            presented_by: format!("{} {}", self.strings.get("apero_presenters"), s.presenters.join(", ")),
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
        ctx.insert("nav", &self.nav(site, url));
        ctx
    }

    /// The part of the shared context that is the same on every page,
    /// added under the page's own keys (a view's field wins, as when it
    /// was laid over the shared context). Left out of page fingerprints:
    /// `site_fingerprint` hashes it once per site.
    fn add_site_wide(&self, site: &Site, ctx: &mut Context) {
        fn put<T: Serialize + ?Sized>(ctx: &mut Context, key: &str, value: &T) {
            if !ctx.contains_key(key) {
                ctx.insert(key, value);
            }
        }
        put(ctx, "t", &self.strings_value);
        put(ctx, "js_strings", &self.js_strings);
        // `<html lang>` names the interface's language: the site's own when
        // fiches translates it, else French (the table used). The content
        // of a site in another language gets `content_lang` on its own
        // elements (sheet and session titles and bodies).
        let language = site.config.book.language.as_str();
        if crate::i18n::Strings::for_language(language).is_some() {
            put(ctx, "lang", language);
            put(ctx, "content_lang", "");
        } else {
            put(ctx, "lang", self.strings.lang);
            put(ctx, "content_lang", language.trim());
        }
        // A label's colon: French puts a no-break space before it.
        put(ctx, "colon", if self.strings.lang == "fr" { "\u{a0}:" } else { ":" });
        put(ctx, "asset_version", &self.asset_version);
        put(ctx, "live_reload", &false);
        put(ctx, "theme_assets", &self.theme_assets);
        let cfg = &site.config;
        put(
            ctx,
            "site",
            &SiteView {
                title: &cfg.book.title,
                description: &cfg.book.description,
                base_url: cfg.site.base_url.to_string(),
                repository: cfg.site.repository.as_deref(),
                has_sessions: When::HasSessions.holds(site),
                has_paths: When::HasPaths.holds(site),
                has_actions: When::HasActions.holds(site),
                has_accessibility: When::HasAccessibility.holds(site),
                accessibility_status: cfg.accessibility.as_ref().map(|a| self.strings.rgaa_status(&a.status)),
                offline: When::Offline.holds(site),
                theme_color: cfg.offline.theme_color.as_ref().unwrap_or(&self.accent),
            },
        );
        // No sheet counts: no page shows them in the navigation, and a
        // sheet added or removed would change every page's fingerprint.
        let nav: Vec<NavCategory> = site
            .categories
            .iter()
            .filter(|c| c.depth == 0 && !c.id.is_empty())
            .map(|c| NavCategory {
                id: &c.id,
                title: &c.title,
                description: &c.description,
                url: &c.url,
                depth: c.depth,
            })
            .collect();
        put(ctx, "nav_categories", &nav);
    }

    /// A fingerprint of the context every page shares (`add_site_wide`).
    pub fn site_fingerprint(&self, site: &Site) -> u64 {
        let mut ctx = Context::new();
        self.add_site_wide(site, &mut ctx);
        hash_serialized(&ctx.into_json())
    }

    /// The main navigation, from the table of fixed pages. Entries whose
    /// page has nothing to show are passed too, with `shown` false, so that
    /// a theme lays out the same lines whatever the site holds.
    fn nav(&self, site: &Site, page_url: &str) -> Vec<NavLink> {
        pages::FIXED
            .iter()
            .filter_map(|p| {
                let nav = p.nav?;
                let folder = p.url.strip_suffix("index.html").filter(|d| !d.is_empty());
                let current = if page_url == p.url {
                    Some("page")
                } else if nav.section && folder.is_some_and(|d| page_url.starts_with(d)) {
                    Some("true")
                } else {
                    None
                };
                Some(NavLink {
                    url: p.url,
                    label: self.strings.get(nav.label),
                    shown: nav.when.holds(site),
                    current,
                })
            })
            .collect()
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
            Page::Category(i) => site.categories[i].url.clone(),
            Page::Sheet(i) => site.sheets[i].url.clone(),
            Page::Session(i) => site.sessions[i].url.clone(),
            Page::Path(i) => site.paths[i].url.clone(),
            Page::Booklet(i) => crate::publish::booklet_url(site, i),
            _ => pages::fixed(page.fixed().expect("every other page is fixed"))
                .url
                .into(),
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
                .filter(|&i| crate::publish::has_booklet(site, i))
                .map(Page::Booklet),
        );
        v.extend((0..site.sheets.len()).map(Page::Sheet));
        v.push(Page::Sessions);
        v.extend((0..site.sessions.len()).map(Page::Session));
        v.push(Page::Paths);
        v.extend((0..site.paths.len()).map(Page::Path));
        v.push(Page::Actions);
        if When::HasAccessibility.holds(site) {
            v.push(Page::Accessibility);
        }
        v
    }

    /// Lays out one page: the view of its kind, in its template. A batch of
    /// pages makes the shared context once instead ([`Renderer::render_shared`]).
    pub fn render(
        &self,
        site: &Site,
        bodies: &Bodies,
        extra: &crate::followup::FollowUp,
        page: Page,
    ) -> Result<String, Diagnostic> {
        self.render_shared(site, bodies, extra, page, &self.site_wide(site))
    }

    /// The context every page shares (`add_site_wide`), made once for a
    /// batch of pages: serialized again for each page, it was a sixth of
    /// the cost of laying a sheet out.
    pub fn site_wide(&self, site: &Site) -> Context {
        let mut ctx = Context::new();
        self.add_site_wide(site, &mut ctx);
        ctx
    }

    /// [`Renderer::render`] with the shared context made beforehand by
    /// [`Renderer::site_wide`] for the same site: the same bytes.
    pub fn render_shared(
        &self,
        site: &Site,
        bodies: &Bodies,
        extra: &crate::followup::FollowUp,
        page: Page,
        site_wide: &Context,
    ) -> Result<String, Diagnostic> {
        let (template, laid) = self.context(site, bodies, extra, page, true)?;
        let Laid::Context(own) = laid else {
            return Err(Diagnostic::error("internal", "", "erreur interne : page sans contexte"));
        };
        // The page's own keys win, as with `add_site_wide`.
        let mut ctx = site_wide.clone();
        ctx.extend(own);
        self.tera
            .render(template, &ctx)
            .map_err(|e| self.render_error(template, &e, &ctx))
    }

    /// A fingerprint of all that a page shows (its template and context)
    /// but the site-wide part (`site_fingerprint`, hashed once per site):
    /// `serve` renders a page again only when either changes. `FollowUp` is
    /// left out: only its own page shows it, and serve always redoes it.
    /// So are a sheet's print extras (QR code, annotated links, help
    /// links): they cost most of a render and follow from its card, its
    /// body and `book.toml` (whose change rebuilds everything).
    pub fn fingerprint(&self, site: &Site, bodies: &Bodies, page: Page) -> u64 {
        match self.context(site, bodies, &Default::default(), page, false) {
            Ok((template, Laid::Hash(h))) => hash_serialized(&(template, h)),
            Ok((template, Laid::Context(ctx))) => hash_serialized(&(template, ctx.into_json())),
            // Laid out again while its error stays the same: rendering reports it.
            Err(d) => hash_serialized(&d.message),
        }
    }

    /// A fingerprint of what other pages show of a sheet: its card.
    pub fn card_fingerprint(&self, site: &Site, s: &Sheet) -> u64 {
        hash_serialized(&self.sheet_card(site, s))
    }

    /// The template of a page and everything it shows.
    fn context(
        &self,
        site: &Site,
        bodies: &Bodies,
        extra: &crate::followup::FollowUp,
        page: Page,
        extras: bool,
    ) -> Result<(&'static str, Laid), Diagnostic> {
        let url = self.url_of(site, page);
        Ok(match page {
            Page::Category(i) => ("category.html", self.category_page(site, bodies, i, &url, !extras)?),
            Page::Sheet(i) => ("sheet.html", self.sheet_page(site, bodies, i, &url, extras)?),
            Page::Session(i) => ("apero.html", self.session_page(site, bodies, i, &url, !extras)?),
            Page::Path(i) => ("parcours.html", self.path_page(site, bodies, i, &url, !extras)?),
            Page::Booklet(i) => ("booklet.html", Laid::Context(self.booklet_page(site, bodies, i, &url)?)),
            _ => {
                let fixed = pages::fixed(page.fixed().expect("every other page is fixed"));
                let title = fixed
                    .title
                    .map_or(site.config.book.title.as_str(), |k| self.strings.get(k));
                let ctx = self.base(site, &url, title);
                let ctx = self.fixed_page(site, bodies, extra, fixed.page, ctx)?;
                (fixed.template, Laid::Context(ctx))
            }
        })
    }

    /// The context of a document's page (its title and URL, its view); in
    /// a fingerprint (`fp`), a hash of the same, without building the
    /// context: what page fingerprints cost most (`serve`, every page when
    /// a sheet is added or removed).
    fn lay<V: Serialize>(&self, site: &Site, url: &str, title: &str, view: &V, fp: bool) -> Result<Laid, Diagnostic> {
        if fp {
            let base = (crate::html::root_prefix(url), url, title, self.nav(site, url));
            return Ok(Laid::Hash(hash_serialized(&(base, view))));
        }
        Ok(Laid::Context(self.with_view(self.base(site, url, title), view)?))
    }

    /// The shared context with a page's view laid over it.
    fn with_view<V: Serialize>(&self, mut ctx: Context, view: &V) -> Result<Context, Diagnostic> {
        let v = Context::from_serialize(view).map_err(|e| {
            Diagnostic::error(
                "template-error",
                "themes",
                format!("vue invalide : {}", error_chain(&e)),
            )
        })?;
        ctx.extend(v);
        Ok(ctx)
    }

    fn fixed_page(
        &self,
        site: &Site,
        bodies: &Bodies,
        extra: &crate::followup::FollowUp,
        page: Fixed,
        ctx: Context,
    ) -> Result<Context, Diagnostic> {
        match page {
            Fixed::Home => self.with_view(ctx, &self.home_view(site)),
            Fixed::AllSheets => {
                let categories: Vec<CategoryCard> =
                    site.categories.iter().map(|c| self.category_card(site, c)).collect();
                self.with_view(ctx, &AllSheetsView { categories })
            }
            Fixed::Sessions => self.with_view(
                ctx,
                &SessionsView {
                    upcoming: site.upcoming_sessions().map(|(_, x)| self.session_card(x)).collect(),
                    past: site.past_sessions().map(|(_, x)| self.session_card(x)).collect(),
                },
            ),
            Fixed::Paths => {
                let paths = site
                    .paths
                    .iter()
                    .map(|p| PathSummary {
                        title: &p.title,
                        url: &p.url,
                        summary: &p.summary,
                        count: p.fiches.len(),
                    })
                    .collect();
                self.with_view(ctx, &PathsView { paths })
            }
            Fixed::Actions => self.with_view(ctx, &self.actions_view(site)),
            Fixed::Search => {
                // The help path of a search without result (search.js fills in the query).
                let sup = site.config.support.as_ref();
                let view = SearchView {
                    support_email: sup.and_then(|x| x.email.as_deref()),
                    support_ticket: sup.and_then(|x| x.ticket_url.as_deref()),
                };
                self.with_view(ctx, &view)
            }
            Fixed::FollowUp => self.with_view(ctx, &FollowUpView { followup: extra }),
            Fixed::Accessibility => self.with_view(ctx, &self.accessibility_view(site, bodies)),
            // Served at any depth by a web server: links start at the
            // host's root. Only the path: the origin would send `serve`'s
            // visitors to the production host.
            Fixed::NotFound => self.with_view(
                ctx,
                &NotFoundView {
                    root: site.config.site.base_url.path().to_string(),
                    page_url: site.config.site.base_url.path().to_string(),
                },
            ),
            // Rendered by `offline` with `render_with`, once it knows what
            // it keeps.
            Fixed::Offline => Ok(ctx),
        }
    }

    fn home_view(&self, site: &Site) -> HomeView {
        let categories = site
            .categories
            .iter()
            .filter(|c| c.depth == 0 && !c.id.is_empty() || (c.id.is_empty() && !c.sheets.is_empty()))
            .map(|c| self.category_card(site, c))
            .collect();
        let mut recent: Vec<&Sheet> = site.sheets.iter().filter(|s| s.updated.is_some()).collect();
        recent.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.title.cmp(&b.title)));
        HomeView {
            categories,
            recent: recent.into_iter().take(6).map(|s| self.sheet_card(site, s)).collect(),
            upcoming: site
                .upcoming_sessions()
                .take(3)
                .map(|(_, s)| self.session_card(s))
                .collect(),
            paths: site.paths.iter().map(|p| self.path_link(p)).collect(),
        }
    }

    fn actions_view(&self, site: &Site) -> ActionsView {
        let actions: Vec<ActionRow> = site
            .actions
            .iter()
            .map(|a| ActionRow {
                id: a.def.id.clone(),
                title: a.def.title.clone(),
                who: self.badges(&a.def.who),
                conditions: a.def.conditions.clone(),
                reference: a.def.reference.clone(),
                sheets: a.sheets.iter().map(|&j| sheet_link(&site.sheets[j])).collect(),
                origin: a.def.origin.clone(),
            })
            .collect();
        let help = site.config.support.as_ref().map(|sup| {
            let url = crate::publish::public_url(site, "actions/index.html");
            let subject = self.strings.get("actions_ticket_subject");
            crate::publish::help_links(sup, subject, &url, "", &format!("{subject}\n{url}\n"))
        });
        ActionsView {
            undocumented: actions.iter().filter(|r| r.sheets.is_empty()).count(),
            actions,
            help: help.filter(|h| h.ticket.is_some() || h.mailto.is_some()),
        }
    }

    fn accessibility_view<'a>(&self, site: &'a Site, bodies: &Bodies) -> AccessibilityView<'a> {
        let s = self.strings;
        AccessibilityView {
            accessibility: site.config.accessibility.as_ref().map(|a| AccessibilityInfo {
                status: &a.status,
                audited_on: a.audited_on.map(|d| s.long_date(d)),
                contact: a.contact.as_deref(),
            }),
            checked_pages: self.sample_pages(site),
            // Known gaps, found at build time: images without a text alternative.
            missing_alt: site
                .sheets
                .iter()
                .zip(&bodies.sheets)
                .filter(|(_, b)| !b.images_without_alt.is_empty())
                .map(|(sh, _)| sheet_link(sh))
                .collect(),
        }
    }

    fn category_page(&self, site: &Site, bodies: &Bodies, i: usize, url: &str, fp: bool) -> Result<Laid, Diagnostic> {
        let c = &site.categories[i];
        let view = CategoryView {
            category: self.category_card(site, c),
            body: body_html(&bodies.categories[i], fp)?,
            sheets: self.sheet_cards(site, &c.sheets),
            subcategories: site
                .categories
                .iter()
                .filter(|o| o.parent == Some(i))
                .map(|o| self.category_card(site, o))
                .collect(),
            parents: self.parents(site, i),
            booklet_url: crate::publish::has_booklet(site, i).then(|| crate::publish::booklet_url(site, i)),
        };
        self.lay(site, url, &c.title, &view, fp)
    }

    /// `extras`: the print extras (QR code, annotated links), left out of fingerprints.
    fn sheet_page(&self, site: &Site, bodies: &Bodies, i: usize, url: &str, extras: bool) -> Result<Laid, Diagnostic> {
        let sh = &site.sheets[i];
        let body = &bodies.sheets[i];
        let view = SheetView {
            sheet: self.sheet_card(site, sh),
            tags: &sh.tags,
            body: body_html(body, !extras)?,
            toc: body
                .toc
                .iter()
                .map(|t| TocView {
                    level: t.level,
                    id: &t.id,
                    title: &t.title,
                })
                .collect(),
            parents: self.parents(site, sh.category),
            action: self.action_view(site, sh),
            validation: self.validation_view(sh),
            contributors: &sh.contributors,
            edit_url: site
                .config
                .site
                .edit_url
                .as_ref()
                .map(|tpl| tpl.replace("{path}", &crate::html::encode_path(&sh.source))),
            sessions: sh
                .sessions
                .iter()
                .map(|&k| self.session_card(&site.sessions[k]))
                .collect(),
            paths: sh.paths.iter().map(|&k| path_place(site, k, i)).collect(),
            prev: sh.prev.map(|k| sheet_link(&site.sheets[k])),
            next: sh.next.map(|k| sheet_link(&site.sheets[k])),
            has_tasks: body.task_count > 0,
        };
        let mut laid = self.lay(site, url, &sh.title, &view, !extras)?;
        if let Laid::Context(ctx) = &mut laid {
            crate::publish::sheet_extras(site, sh, body, ctx);
        }
        Ok(laid)
    }

    fn session_page(&self, site: &Site, bodies: &Bodies, i: usize, url: &str, fp: bool) -> Result<Laid, Diagnostic> {
        let se = &site.sessions[i];
        let view = SessionView {
            session: self.session_card(se),
            tags: &se.tags,
            body: body_html(&bodies.sessions[i], fp)?,
            sheets: self.sheet_cards(site, &se.fiches),
        };
        self.lay(site, url, &se.title, &view, fp)
    }

    fn path_page(&self, site: &Site, bodies: &Bodies, i: usize, url: &str, fp: bool) -> Result<Laid, Diagnostic> {
        let p = &site.paths[i];
        let view = PathView {
            path: PathHead {
                title: &p.title,
                summary: &p.summary,
                audience: self.badges(&p.audience),
            },
            body: body_html(&bodies.paths[i], fp)?,
            sheets: self.sheet_cards(site, &p.fiches),
        };
        self.lay(site, url, &p.title, &view, fp)
    }

    fn booklet_page(&self, site: &Site, bodies: &Bodies, i: usize, url: &str) -> Result<Context, Diagnostic> {
        let c = &site.categories[i];
        let s = self.strings;
        let sheets = crate::publish::booklet_sheets(site, i)
            .into_iter()
            .enumerate()
            .map(|(n, j)| {
                let sh = &site.sheets[j];
                body_html(&bodies.sheets[j], false)?;
                Ok(BookletSheet {
                    card: self.sheet_card(site, sh),
                    print: crate::publish::booklet_sheet(site, sh, &bodies.sheets[j], url, n + 1, s.get("qr_label")),
                    action: self.action_view(site, sh),
                    validation: self.validation_view(sh),
                })
            })
            .collect::<Result<_, Diagnostic>>()?;
        let view = BookletView {
            category: self.category_card(site, c),
            parents: self.parents(site, i),
            sheets,
        };
        let title = format!("{} — {}", c.title, s.get("booklet"));
        self.with_view(self.base(site, url, &title), &view)
    }

    /// The allowed action a sheet documents, as its page and booklet show it.
    fn action_view<'a>(&self, site: &'a Site, sh: &Sheet) -> Option<ActionView<'a>> {
        sh.action.map(|a| {
            let a = &site.actions[a];
            ActionView {
                id: &a.def.id,
                title: &a.def.title,
                who: self.badges(&a.def.who),
                conditions: &a.def.conditions,
                reference: &a.def.reference,
            }
        })
    }

    fn validation_view<'a>(&self, sh: &'a Sheet) -> Option<ValidationView<'a>> {
        sh.validation.as_ref().map(|v| ValidationView {
            by: &v.by,
            on: self.strings.long_date(v.on),
            on_iso: v.on.iso(),
        })
    }

    fn sheet_cards(&self, site: &Site, list: &[usize]) -> Vec<SheetCard> {
        list.iter().map(|&j| self.sheet_card(site, &site.sheets[j])).collect()
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
        self.add_site_wide(site, &mut ctx);
        self.tera
            .render(template, &ctx)
            .map_err(|e| self.render_error(template, &e, &ctx))
    }

    /// One page of each type, for the accessibility statement's sample.
    fn sample_pages(&self, site: &Site) -> Vec<Link> {
        let s = self.strings;
        // A fixed page under its title (the home page under its menu label).
        let fixed = |f: Fixed| {
            let p = pages::fixed(f);
            Link {
                title: s.get(p.title.unwrap_or("home")).into(),
                url: p.url.into(),
            }
        };
        let titled = |kind: &str, title: &str, url: String| Link {
            title: format!("{} : {title}", s.get(kind)),
            url,
        };
        let mut v = vec![fixed(Fixed::Home)];
        if let Some(i) = site.categories.iter().position(|c| !c.sheets.is_empty()) {
            let c = &site.categories[i];
            v.push(titled("category", &c.title, c.url.clone()));
        }
        if let Some(i) = (0..site.categories.len()).find(|&i| crate::publish::has_booklet(site, i)) {
            let c = &site.categories[i];
            v.push(titled("booklet", &c.title, crate::publish::booklet_url(site, i)));
        }
        if let Some(sh) = site.sheets.first() {
            v.push(titled("kind_fiche", &sh.title, sh.url.clone()));
        }
        v.push(fixed(Fixed::Sessions));
        if let Some(se) = site.sessions.first() {
            v.push(titled("apero", &se.title, se.url.clone()));
        }
        v.push(fixed(Fixed::Paths));
        if let Some(p) = site.paths.first() {
            v.push(titled("paths", &p.title, p.url.clone()));
        }
        v.extend([Fixed::Actions, Fixed::Search, Fixed::FollowUp, Fixed::Accessibility].map(fixed));
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

/// A template of the site's theme that does not parse: tera says
/// `Failed to parse 'base.html'` then pest's picture of the line
/// (` --> 1:164`, the line, `= expected `%}` or `-%}``), which the
/// terminal showed as one line of `\n`, under `themes`. Here: the file,
/// its line and column (in the file as written, before `dedent`), and what
/// was expected, in French.
fn parse_error(theme: &crate::theme::Theme, e: &tera::Error) -> Diagnostic {
    use std::error::Error as _;
    let top = e.to_string();
    let name = top
        .strip_prefix("Failed to parse '")
        .and_then(|r| r.strip_suffix('\''))
        .map(str::to_string);
    let detail = e.source().map(|s| s.to_string()).unwrap_or_default();
    if let Some(d) = missing_template_error(theme, &top) {
        return d;
    }
    let Some(name) = name.filter(|_| !detail.is_empty()) else {
        return Diagnostic::error(
            "template-error",
            format!("themes/{}/templates", theme.name),
            format!("gabarit invalide : {}", error_chain(e)),
        );
    };
    let file = format!("themes/{}/templates/{name}", theme.name);
    // ` --> 3:12`: line and column in the dedented source.
    let at = detail.lines().find_map(|l| {
        let (l, c) = l.trim_start().strip_prefix("--> ")?.split_once(':')?;
        Some((l.trim().parse::<usize>().ok()?, c.trim().parse::<usize>().ok()?))
    });
    let said = detail
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("= "))
        .collect::<Vec<_>>()
        .join(" ; ");
    let said = if said.is_empty() {
        detail.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        said.replace("unexpected ", "inattendu : ")
            .replace("expected ", "attendu : ")
            .replace(" or ", " ou ")
    };
    let mut d = Diagnostic::error(
        "template-error",
        &file,
        format!("le gabarit `{name}` ne peut pas être lu : {said}"),
    )
    .hint("chaque `{%` se ferme par `%}` et chaque `{{` par `}}` ; un bloc ouvert (`{% if %}`, `{% for %}`, `{% block %}`) se ferme par son `{% end… %}`");
    if let Some((line, col)) = at {
        // `dedent` took the line's indentation off: add it back.
        let indent = theme
            .templates
            .get(&name)
            .filter(|_| name.ends_with(".html"))
            .and_then(|src| {
                let n = line.checked_sub(1)?;
                let written = src.lines().nth(n)?.chars().count();
                let read = crate::html::dedent(src).lines().nth(n)?.chars().count();
                written.checked_sub(read)
            })
            .unwrap_or(0);
        d = d.at(line, Some(col + indent));
    }
    d
}

/// A template extending or importing one that does not exist: tera says
/// `Template 'sheet.html' is inheriting from 'nope.html', which doesn't
/// exist or isn't loaded.` or `Template `sheet.html` loads macros from
/// `nope.html` which isn't present in Tera`, in English and without a file.
/// Here: the site's file, the line and column where the name is written.
fn missing_template_error(theme: &crate::theme::Theme, top: &str) -> Option<Diagnostic> {
    let cut = |s: &str, a: &str, b: &str| -> Option<String> {
        let rest = &s[s.find(a)? + a.len()..];
        Some(rest[..rest.find(b)?].to_string())
    };
    let (name, missing, what) = if let Some(missing) = cut(top, "is inheriting from '", "'") {
        (cut(top, "Template '", "'")?, missing, "hérite de")
    } else if let Some(missing) = cut(top, "loads macros from `", "`") {
        (cut(top, "Template `", "`")?, missing, "importe les macros de")
    } else {
        return None;
    };
    let file = match theme.own.contains(&name) {
        true => format!("themes/{}/templates/{name}", theme.name),
        false => format!("themes/{}/templates", theme.name),
    };
    let mut d = Diagnostic::error(
        "template-error",
        &file,
        format!("le gabarit `{name}` {what} `{missing}`, qui n'existe pas"),
    )
    .hint(missing_template_hint(&theme.name, &missing));
    if let Some((line, col)) = theme.templates.get(&name).and_then(|src| find_word(src, &missing)) {
        d = d.at(line, Some(col));
    }
    Some(d)
}

/// Where a template named in `extends`, `import` or `include` is looked for.
fn missing_template_hint(theme: &str, missing: &str) -> String {
    match missing.strip_prefix("default/") {
        Some(n) => format!(
            "le thème par défaut n'a pas de gabarit `{n}` : ses gabarits sont `base.html`, `sheet.html`, `category.html`, `macros.html`… (`default/<nom>`)"
        ),
        None => format!(
            "un gabarit du site va dans `themes/{theme}/templates/{missing}` ; ceux du thème par défaut s'écrivent `default/<nom>` (`{{% extends \"default/base.html\" %}}`)"
        ),
    }
}

impl Renderer {
    /// A template that parses but fails as a page is laid out (a variable
    /// that does not exist, a filter misspelt): tera says `Failed to render
    /// 'sheet.html'` then `Variable `x` not found in context while
    /// rendering 'base.html'`, in English, without a line. Here: the file
    /// of the template where it happened (the site's, or the embedded
    /// default named as such), the line and column of the first place
    /// the name is written there, what is wrong in French, and the name
    /// meant when the context holds a close one.
    fn render_error(&self, template: &str, e: &tera::Error, ctx: &Context) -> Diagnostic {
        use std::error::Error as _;
        let top = e.to_string();
        let mut chain = vec![top.clone()];
        let mut src = e.source();
        while let Some(s) = src {
            chain.push(s.to_string());
            src = s.source();
        }
        let between = |a: &str, b: &str| -> Option<String> {
            chain.iter().find_map(|s| {
                let rest = &s[s.find(a)? + a.len()..];
                Some(rest[..rest.find(b)?].to_string())
            })
        };
        let (what, word, hint) = if let Some(v) = between("Variable `", "` not found in context") {
            let json = ctx.clone().into_json();
            let hint = closest_path(&v, &json)
                .map(|k| format!("vouliez-vous dire `{k}` ?"))
                .unwrap_or_else(|| {
                    format!(
                        "{} ; une valeur facultative s'écrit `{{{{ x | default(value=\"\") }}}}`, ou `{{% if x %}}…{{% endif %}}`",
                        names_available(&v, &json)
                    )
                });
            (format!("la variable `{v}` n'existe pas"), v, hint)
        } else if let Some(f) = between("Filter '", "' not found") {
            (
                format!("le filtre `{f}` n'existe pas"),
                f,
                "filtres de fiches : `nbsp`, `rel`, `xml`, `ics_text`, `ics_fold` ; et ceux de tera (`default`, `length`, `upper`, `lower`, `replace`, `join`…)".into(),
            )
        } else if let Some(list) = between("Template '", "' not found") {
            // `{% include %}` takes a list: tera writes `[a.html, b.html]`.
            let missing = list.trim_start_matches('[').trim_end_matches(']').to_string();
            let first = missing.split(", ").next().unwrap_or(&missing).to_string();
            let hint = format!(
                "{} ; s'il est facultatif : `{{% include \"{first}\" ignore missing %}}`",
                missing_template_hint(&self.theme_name, &first)
            );
            (format!("le gabarit inclus `{missing}` n'existe pas"), first, hint)
        } else if let Some(f) = between("Filter `", "` was called on an incorrect value") {
            // The value is the page's (a title…): left out, so that the
            // error is said once for all pages.
            let expected = chain
                .iter()
                .find_map(|s| s.split_once("but expected ").map(|(_, e)| french_type(e)))
                .unwrap_or_default();
            (
                format!("le filtre `{f}` ne s'applique pas à cette valeur{expected}"),
                f,
                "vérifiez la variable donnée au filtre (`{{ x | length }}` pour une liste, `{{ x | upper }}` pour un texte)".into(),
            )
        } else if let Some(f) = between("Function '", "' not found") {
            (format!("la fonction `{f}` n'existe pas"), f, String::new())
        } else if let Some(m) = between("Macro `", "` not found") {
            let name = m.rsplit("::").next().unwrap_or(&m).to_string();
            let hint = match self.own.contains("macros.html") {
                true => format!(
                    "`themes/{}/templates/macros.html` remplace celui du thème par défaut : il doit définir toutes ses macros (copiez `{name}` de celui du thème)",
                    self.theme_name
                ),
                false => String::new(),
            };
            (format!("la macro `{m}` n'existe pas"), name, hint)
        } else {
            // What tera alone knows, in its words, at the filter or
            // function that failed when it names one.
            let said = chain.last().cloned().unwrap_or_default();
            let word = between("Filter call '", "' failed")
                .or_else(|| between("Function call '", "' failed"))
                .unwrap_or_default();
            (
                format!("erreur à l'exécution (message de tera) : {said}"),
                word,
                String::new(),
            )
        };
        // The template where it happened: tera names the page's, and at
        // best "a parent template" when a block of another failed. The
        // templates the page is made of (what it extends and imports),
        // the site's own first, the first that writes the name.
        let made_of = self.made_of(template);
        let macro_missing = what.starts_with("la macro");
        let name = made_of
            .iter()
            .filter(|n| self.own.contains(*n))
            .chain(made_of.iter().filter(|n| !self.own.contains(*n)))
            .find(|n| self.sources.get(*n).and_then(|src| find_word(src, &word)).is_some())
            .cloned();
        let name = match name {
            // A macro the site's `macros.html` lacks: that file.
            _ if macro_missing && self.own.contains("macros.html") => "macros.html".into(),
            Some(n) => n,
            None => template.to_string(),
        };
        let (file, shown) = match self.own.contains(&name) {
            true => (
                format!("themes/{}/templates/{name}", self.theme_name),
                format!("`{name}`"),
            ),
            false => (
                String::new(),
                format!(
                    "`{}` du thème par défaut",
                    name.strip_prefix("default/").unwrap_or(&name)
                ),
            ),
        };
        let mut d = Diagnostic::error(
            "template-error",
            &file,
            format!("le gabarit {shown} ne peut pas être rendu : {what}"),
        );
        if !hint.is_empty() {
            d = d.hint(hint);
        }
        if let Some((line, col)) = self.sources.get(&name).and_then(|src| find_word(src, &word)) {
            if !file.is_empty() {
                d = d.at(line, Some(col));
            }
        }
        d
    }

    /// `template` and what it is made of: the templates it extends, and
    /// those each imports (its macros), in that order, each once.
    fn made_of(&self, template: &str) -> Vec<String> {
        let mut out = vec![template.to_string()];
        let mut i = 0;
        while i < out.len() {
            let src = self.sources.get(&out[i]).map(String::as_str).unwrap_or("");
            for tag in ["extends", "import", "include"] {
                let mut rest = src;
                while let Some(k) = rest.find(tag) {
                    rest = &rest[k + tag.len()..];
                    let quoted = rest.trim_start().strip_prefix('"').and_then(|r| r.split_once('"'));
                    if let Some((n, _)) = quoted {
                        if !out.iter().any(|o| o == n) {
                            out.push(n.to_string());
                        }
                    }
                }
            }
            i += 1;
        }
        out
    }
}

/// The first place `word` is written in a template, as a name (not part
/// of a longer one) and inside `{{ }}` or `{% %}`: line and column, from 1.
fn find_word(src: &str, word: &str) -> Option<(usize, usize)> {
    if word.is_empty() {
        return None;
    }
    let is_name = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    let mut in_code = false;
    for (n, line) in src.lines().enumerate() {
        let mut from = 0;
        while let Some(k) = line[from..].find(word) {
            let at = from + k;
            // Whether a tag is open at `at`: the last opener before it is
            // later than the last closer, on this line or before it.
            let before = &line[..at];
            let open = before.rfind("{{").max(before.rfind("{%"));
            let close = before.rfind("}}").max(before.rfind("%}"));
            let code = match (open, close) {
                (Some(o), Some(c)) => o > c,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => in_code,
            };
            let left = before.chars().next_back().is_none_or(|c| !is_name(c));
            let right = line[at + word.len()..].chars().next().is_none_or(|c| !is_name(c));
            if code && left && right {
                return Some((n + 1, before.chars().count() + 1));
            }
            from = at + word.len();
        }
        let open = line.rfind("{{").max(line.rfind("{%"));
        let close = line.rfind("}}").max(line.rfind("%}"));
        in_code = match (open, close) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => in_code,
        };
    }
    None
}

/// What a variable could have been: the names at the deepest level of
/// `path` the context holds (`sheet` has `title`, `url`…), or the page's
/// own names.
fn names_available(path: &str, ctx: &serde_json::Value) -> String {
    let mut v = ctx;
    let mut at: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('.').collect();
    for k in &parts[..parts.len().saturating_sub(1)] {
        match v.get(k) {
            Some(x) if x.is_object() => {
                v = x;
                at.push(k);
            }
            _ => break,
        }
    }
    let Some(map) = v.as_object() else {
        return "vérifiez le nom".into();
    };
    let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
    keys.sort_unstable();
    const SHOWN: usize = 24;
    let mut list = keys
        .iter()
        .take(SHOWN)
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if keys.len() > SHOWN {
        list.push_str(", …");
    }
    match at.is_empty() {
        true => format!("noms de la page : {list} (et ceux des `{{% for %}}` et `{{% set %}}` du gabarit)"),
        false => format!("`{}` contient : {list}", at.join(".")),
    }
}

/// tera's name of a type (`a f64`, `a String`), in French.
fn french_type(t: &str) -> String {
    let t = t.trim().trim_end_matches('.');
    let fr = match t.trim_start_matches("an ").trim_start_matches("a ") {
        "f64" | "i64" | "u64" | "number" => "un nombre",
        "String" | "string" | "str" => "un texte",
        "bool" | "boolean" => "vrai ou faux",
        "array" | "Vec" | "list" => "une liste",
        "object" | "map" => "un objet",
        other => return format!(" (attendu : {other})"),
    };
    format!(" (attendu : {fr})")
}

/// `sheet.titre` when the context has `sheet.title`: the same path with
/// its last name replaced by the closest one the context holds there.
fn closest_path(path: &str, ctx: &serde_json::Value) -> Option<String> {
    let (parent, last) = match path.rsplit_once('.') {
        Some((p, l)) => (Some(p), l),
        None => (None, path),
    };
    let mut v = ctx;
    for k in parent.into_iter().flat_map(|p| p.split('.')) {
        v = v.get(k)?;
    }
    let keys: Vec<&str> = v.as_object()?.keys().map(String::as_str).collect();
    let k = crate::files::closest(last, &keys)?;
    Some(match parent {
        Some(p) => format!("{p}.{k}"),
        None => k.to_string(),
    })
}

/// What `Renderer::context` gives: a page's context, or a fingerprint's hash.
enum Laid {
    Context(Context),
    Hash(u64),
}

/// A document's HTML for its page; in a fingerprint (`fp`), the hash that
/// stands for it (`serve` keeps no HTML between rebuilds).
fn body_html(b: &Rendered, fp: bool) -> Result<Cow<'_, str>, Diagnostic> {
    if fp {
        return Ok(Cow::Owned(format!("#{:016x}", b.html_key())));
    }
    if b.is_stripped() {
        // A page written from a body whose HTML serve dropped: a bug, never
        // an empty page.
        return Err(Diagnostic::error(
            "internal",
            "",
            "erreur interne : le corps d'une page n'a pas été rendu de nouveau",
        ));
    }
    Ok(Cow::Borrowed(&b.html))
}

/// Sheet `i`'s place in path `k` (its first, if the path names it twice).
fn path_place(site: &Site, k: usize, i: usize) -> PathPlace {
    let p = &site.paths[k];
    let at = p.fiches.iter().position(|&j| j == i).unwrap_or(0);
    PathPlace {
        title: p.title.clone(),
        url: p.url.clone(),
        step: at + 1,
        total: p.fiches.len(),
        next: p.fiches.get(at + 1).map(|&j| sheet_link(&site.sheets[j])),
    }
}

fn sheet_link(sh: &Sheet) -> Link {
    Link {
        title: sh.title.clone(),
        url: sh.url.clone(),
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

/// A hash of a value's serialization, streamed (nothing is allocated).
fn hash_serialized<T: Serialize>(value: &T) -> u64 {
    use std::hash::Hasher;
    struct Sink(std::collections::hash_map::DefaultHasher);
    impl std::io::Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.write(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut sink = Sink(Default::default());
    let _ = serde_json::to_writer(&mut sink, value);
    sink.0.finish()
}

/// The escaping filters of the XML and iCalendar templates: `xml`
/// (`html::xml_escape`), `ics_text` and `ics_fold` (`ics`); `rel`, a page's
/// link to another. A value that is
/// not a string (a number) is shown as JSON writes it.
fn register_filters(tera: &mut Tera) {
    fn text(v: &tera::Value) -> String {
        match v {
            tera::Value::String(s) => s.clone(),
            tera::Value::Null => String::new(),
            other => other.to_string(),
        }
    }
    // `{{ to | rel(from=page_url) }}`: the shortest relative link from the
    // page to `to` (both from the site root, `html::relative`).
    tera.register_filter(
        "rel",
        |v: &tera::Value, args: &std::collections::HashMap<String, tera::Value>| {
            let from = args.get("from").and_then(|f| f.as_str()).unwrap_or("");
            Ok(tera::Value::String(crate::html::relative(from, &text(v))))
        },
    );
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
