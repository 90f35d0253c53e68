//! Model stage: links the raw records into a site. Every cross-reference
//! (sheet → action, session → sheets, path → sheets, category → sheets,
//! previous/next) is resolved here, once; later stages only read.

use crate::config::Config;
use crate::date::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::frontmatter::Audience;
use crate::load::{self, Content};
use crate::slug::{slugify, slugify_path};
use std::collections::{HashMap, HashSet};

/// The hash map of the model's tables that every page enters (a page's
/// source, URL or id: 50,000 of each at 50,000 sheets). Its keys are the
/// site's own names, so SipHash's resistance to chosen keys buys nothing;
/// its cost per key grew 6–7 times from 10,000 to 50,000 sheets (issue 13).
pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// An empty `FastMap` with room for `n` entries: filled at once, it is
/// never rehashed into fresh memory.
pub fn fast_map<K, V>(n: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(n, Default::default())
}
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Category {
    /// Folder under `content/fiches/`, e.g. `wifi` or `reseau/wifi`.
    pub id: String,
    pub title: String,
    pub description: String,
    pub weight: Option<i64>,
    pub body: load::Text,
    pub body_line: usize,
    pub source: Option<String>,
    pub url: String,
    pub sheets: Vec<usize>,
    pub parent: Option<usize>,
    pub depth: usize,
    /// Its sheets are kept offline (`offline = true` here or on a parent).
    pub offline: bool,
    /// It has a printable booklet (`booklet = true` here or on a parent,
    /// or `[print] booklets = "all"`).
    pub booklet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    FrontMatter,
    Git,
    FileTime,
}

#[derive(Debug, Clone)]
pub struct Validation {
    pub by: String,
    pub on: Date,
    pub line: usize,
}

/// An old id of a sheet (`aliases`), published as a redirect page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub id: String,
    /// Its line in the sheet's file.
    pub line: usize,
    /// The redirect page's URL (`Site::sheet_url` of the id); `None` when
    /// the alias is refused (its error says why).
    pub url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub id: String,
    pub source: String,
    pub url: String,
    pub category: usize,
    pub title: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub audience: Vec<Audience>,
    pub action: Option<usize>,
    pub updated: Option<Date>,
    pub updated_from: DateSource,
    /// Line of `updated = …` in the source file (see `RawSheet`).
    pub updated_line: Option<usize>,
    /// Date of the last git change, whatever `updated` says (for revalidation).
    pub last_change: Option<Date>,
    pub contributors: Vec<String>,
    pub validation: Option<Validation>,
    pub weight: Option<i64>,
    pub draft: bool,
    /// Old ids, each a redirect page to this one.
    pub aliases: Vec<Alias>,
    pub body: load::Text,
    pub body_line: usize,
    /// Its front matter has an error and was read leniently (`load::RawSheet`).
    pub header_error: bool,
    pub origin: Option<String>,
    pub origin_root: String,
    pub sessions: Vec<usize>,
    pub paths: Vec<usize>,
    pub prev: Option<usize>,
    pub next: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub slug: String,
    pub source: String,
    pub url: String,
    pub title: String,
    pub date: Date,
    pub time: Option<String>,
    /// The end time (`HH:MM`), after `time`.
    pub end: Option<String>,
    pub location: Option<String>,
    pub presenters: Vec<String>,
    pub tags: Vec<String>,
    pub summary: String,
    pub fiches: Vec<usize>,
    pub body: load::Text,
    pub body_line: usize,
    pub upcoming: bool,
    /// Its front matter has an error and was read leniently (`load::RawSession`).
    pub header_error: bool,
}

#[derive(Debug, Clone)]
pub struct TrainingPath {
    pub slug: String,
    pub source: String,
    pub url: String,
    pub title: String,
    pub summary: String,
    pub audience: Vec<Audience>,
    pub weight: Option<i64>,
    pub fiches: Vec<usize>,
    pub body: load::Text,
    pub body_line: usize,
}

/// An allowed action as the list defines it, and the sheets that do it.
#[derive(Debug, Clone)]
pub struct Action {
    pub def: load::ActionDef,
    pub sheets: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub today: Date,
    pub include_drafts: bool,
    pub categories: Vec<Category>,
    pub sheets: Vec<Sheet>,
    pub sessions: Vec<Session>,
    pub paths: Vec<TrainingPath>,
    pub actions: Vec<Action>,
    /// Drafts left out of this build (for the follow-up page).
    pub drafts: Vec<(String, String)>,
    /// Markdown source (from the site root) → page URL (from the site root).
    pub pages: FastMap<String, String>,
    pub sheet_by_id: FastMap<String, usize>,
    /// `static/` folders, the site's own last so that it wins.
    pub static_dirs: Vec<PathBuf>,
    pub history: fiches_git::History,
}

pub struct ModelOptions {
    pub include_drafts: bool,
    pub today: Date,
}

/// Where a file beside the content (an image next to a sheet) is published.
pub fn asset_url(source: &str) -> String {
    let s = source.strip_prefix("content/").unwrap_or(source);
    format!("_assets/{s}")
}

/// The order of sheets in a category, of categories and of paths: weight,
/// then title without accents nor case.
pub fn sort_key(weight: Option<i64>, title: &str) -> (i64, String) {
    (weight.unwrap_or(i64::MAX), deunicode::deunicode(title).to_lowercase())
}

fn humanize(folder: &str) -> String {
    let last = folder.rsplit('/').next().unwrap_or(folder).replace(['-', '_'], " ");
    let mut c = last.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Names that a sheet or a category folder cannot take, with what fiches
/// publishes there: inside every category folder, `livret/` is the
/// category's booklet.
pub const RESERVED_SLUGS: &[(&str, &str)] = &[("livret", "livret à imprimer de la catégorie")];

fn reserved_slug(slug: &str, source: &str, diags: &mut Diagnostics) {
    let last = slug.rsplit('/').next().unwrap_or(slug);
    if let Some((name, what)) = RESERVED_SLUGS.iter().find(|(n, _)| *n == last) {
        let dir = slug.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        diags.push(
            Diagnostic::error(
                "url-reserved",
                source,
                format!("le nom `{name}` est réservé : l'adresse `fiches/{dir}/{name}/` est celle du {what}")
                    .replace("//", "/"),
            )
            .hint(format!(
                "renommez le fichier ou le dossier (par exemple `{name}-eleves`) ; noms réservés : {}",
                RESERVED_SLUGS
                    .iter()
                    .map(|(n, _)| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
}

/// Page URLs given so far, each with the file that has it. Two files whose
/// names differ only by accents, case or punctuation (`élève.md`,
/// `eleve.md`) slug alike: that is an error naming both, since one would
/// silently take the other's address.
#[derive(Default)]
struct UrlClaims {
    owners: FastMap<String, String>,
}

impl UrlClaims {
    fn claim(&mut self, base: &str, source: &str, diags: &mut Diagnostics) -> String {
        // Slugs keep only `a-z`, `0-9` and `-`: of what Windows and USB keys
        // refuse, only a device name gets through (`con.md` → `…/con/`).
        // Each page's own folder is checked here, so a category's once.
        let own = base.rsplit('/').next().unwrap_or(base);
        if !source.is_empty() && crate::portable::is_device(own) {
            let (why, _) = crate::portable::why(own, &crate::portable::NameProblem::Device(own.to_string()));
            diags.push(
                Diagnostic::error(
                    "name-not-portable",
                    source,
                    format!("`{source}` serait publié dans le dossier `{base}/`, qui ne peut pas être copié sur une clé USB ou un PC Windows : {why}"),
                )
                .hint("renommez le fichier (ou le dossier) : son nom donne l'adresse de la page (par exemple `console.md`, `auxiliaire/`)"),
            );
        }
        // Said where the path crosses the limit: a category whose address
        // is too long already is said once, not with each of its sheets.
        if base.len() + "/index.html".len() > crate::portable::LONGEST_PATH && !source.is_empty() {
            let url = format!("{base}/index.html");
            if crate::portable::too_long(&url).is_some_and(|cut| cut.len() >= base.len()) {
                let (message, hint) = crate::portable::too_long_message(source, &url);
                diags.push(Diagnostic::warning("path-too-long", source, message).hint(hint));
            }
        }
        let url = if base.is_empty() {
            "index.html".to_string()
        } else {
            format!("{base}/index.html")
        };
        // One probe of the map per page: at 50,000 sheets each is mostly a
        // cache miss.
        let owner = match self.owners.entry(url) {
            std::collections::hash_map::Entry::Vacant(v) => {
                let url = v.key().clone();
                v.insert(source.to_string());
                return url;
            }
            std::collections::hash_map::Entry::Occupied(o) => o.get().clone(),
        };
        let msg = if owner.is_empty() {
            format!("`{source}` serait publié à l'adresse `{base}/`, réservée à une page du site")
        } else {
            format!("`{source}` et `{owner}` seraient publiés à la même adresse `{base}/`")
        };
        diags.push(
            Diagnostic::error("url-collision", source, msg).hint(
                "les adresses ne gardent ni accents, ni majuscules, ni ponctuation : renommez l'un des deux fichiers (ou dossiers)",
            ),
        );
        // A distinct URL all the same, so that the rest of the run reports
        // what else is wrong; the build stops on the error.
        let mut n = 2;
        loop {
            let u = format!("{base}-{n}/index.html");
            if !self.owners.contains_key(&u) {
                self.owners.insert(u.clone(), source.to_string());
                return u;
            }
            n += 1;
        }
    }
}

/// Links the loaded content into a site, in named steps: fixed pages claim
/// their URLs first, then categories, actions, sheets, sessions and paths
/// (each claiming its URL in that order, which decides who gets `-2` on a
/// collision), then the cross-references and backlinks between them.
pub fn build(root: &Path, config: Config, content: Content, opts: &ModelOptions, diags: &mut Diagnostics) -> Site {
    let history = fiches_git::History::load(root);
    let pool_histories = pool_histories(root, &config);
    // Sized once: grown, these maps were rehashed into fresh memory at
    // every doubling (50,000 sheets).
    let documents = content.sheets.len() + content.categories.len() + content.sessions.len() + content.paths.len();
    let mut b = Builder {
        diags,
        urls: UrlClaims {
            owners: fast_map(documents + 64),
        },
        // Room for `source_aliases`' other names of each sheet too.
        pages: fast_map(documents + content.sheets.len() * config.pool.len() + content.failed.len()),
        actions_failed: content.actions_failed,
        today: opts.today,
        strings: crate::i18n::Strings::for_language_or_default(&config.book.language),
    };
    b.claim_fixed_pages();
    let Content {
        sheets: raw_sheets,
        categories: raw_cats,
        sessions: raw_sessions,
        paths: raw_paths,
        actions: raw_actions,
        failed,
        ..
    } = content;
    let mut scan = SheetScan::new(&raw_sheets, opts.include_drafts);
    let mut categories = b.categories(raw_cats, &scan.folders, &config);
    let cat_index: FastMap<String, usize> = categories.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
    let mut actions = actions(raw_actions);
    let dates = SheetDates {
        root,
        history: &history,
        pools: &pool_histories,
    };
    let drafts = std::mem::take(&mut scan.drafts);
    let (mut sheets, sheet_by_id) = b.sheets(raw_sheets, scan, &mut categories, &mut actions, &cat_index, &dates);
    for c in &categories {
        if let Some(src) = &c.source {
            b.pages.insert(src.clone(), c.url.clone());
        }
    }
    let refs = SheetRefs {
        sheet_by_id: &sheet_by_id,
        draft_ids: drafts.iter().map(|(id, _)| id.as_str()).collect(),
        failed_ids: failed.iter().filter_map(|f| failed_sheet_id(f)).collect(),
        by_slug: Default::default(),
    };
    let sessions = b.sessions(raw_sessions, &refs, opts);
    let paths = b.paths(raw_paths, &refs, opts.include_drafts);
    // Last: an alias may take no address a page has.
    b.aliases(&mut sheets, &sheet_by_id, &refs.draft_ids);
    backlinks(&mut sheets, &sessions, &paths);
    let mut pages = b.pages;
    source_aliases(&mut pages, &config, &sheets, &failed);
    let static_dirs = static_dirs(root, &config);

    Site {
        root: root.to_path_buf(),
        config,
        today: opts.today,
        include_drafts: opts.include_drafts,
        categories,
        sheets,
        sessions,
        paths,
        actions,
        drafts,
        pages,
        sheet_by_id,
        static_dirs,
        history,
    }
}

/// A pool is often a git submodule, whose commits the site's repository
/// does not hold: each pool gets its own history, keyed from the pool root.
fn pool_histories(root: &Path, config: &Config) -> HashMap<String, fiches_git::History> {
    config
        .pool
        .iter()
        .filter(|p| root.join(&p.path).is_dir())
        .map(|p| {
            (
                crate::diagnostics::rel_string(&p.path),
                fiches_git::History::load(&root.join(&p.path)),
            )
        })
        .collect()
}

/// The state the model's steps share: the diagnostics, the URLs given so
/// far and the Markdown source → page URL map.
struct Builder<'d> {
    diags: &'d mut Diagnostics,
    urls: UrlClaims,
    pages: FastMap<String, String>,
    /// `Content::actions_failed`: no `unknown-action` then.
    actions_failed: bool,
    /// For the sheets' dates (`sheet_date_problems`).
    today: Date,
    strings: &'static crate::i18n::Strings,
}

impl Builder<'_> {
    /// Pages that fiches writes itself (`crate::pages::FIXED`), claimed
    /// before any content.
    fn claim_fixed_pages(&mut self) {
        for dir in crate::pages::reserved_dirs() {
            self.urls.claim(dir, "", self.diags);
        }
    }

    /// Categories: every folder, with its ancestors, parents before
    /// children, each with its URL, parent and `offline` flag.
    fn categories(
        &mut self,
        mut raw_cats: Vec<load::RawCategory>,
        sheet_folders: &[String],
        config: &Config,
    ) -> Vec<Category> {
        add_implied_folders(&mut raw_cats, sheet_folders);
        let own_flags: HashMap<String, (Option<bool>, Option<bool>)> = raw_cats
            .iter()
            .map(|c| {
                let m = c.meta.as_ref();
                (c.id.clone(), (m.and_then(|m| m.offline), m.and_then(|m| m.booklet)))
            })
            .collect();
        let mut categories: Vec<Category> = raw_cats
            .into_iter()
            .map(|c| new_category(c, &config.book.language))
            .collect();
        sort_categories(&mut categories);
        for c in categories.iter_mut() {
            c.url = if c.id.is_empty() {
                format!("{}/index.html", DocKind::Category.folder())
            } else {
                let source = c.source.clone().unwrap_or_else(|| format!("content/fiches/{}/", c.id));
                let slug = slugify_path(&c.id);
                reserved_slug(&slug, &source, self.diags);
                self.urls
                    .claim(&format!("{}/{slug}", DocKind::Category.folder()), &source, self.diags)
            };
        }
        let cat_index: HashMap<String, usize> = categories.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
        for c in categories.iter_mut() {
            c.parent = c.id.rsplit_once('/').and_then(|(p, _)| cat_index.get(p).copied());
        }
        // Parents come first: a subcategory inherits `offline` and
        // `booklet` unless it sets them.
        let all_booklets = config.print.booklets == crate::config::Booklets::All;
        for i in 0..categories.len() {
            let (offline, booklet) = own_flags.get(&categories[i].id).copied().unwrap_or_default();
            let parent = categories[i]
                .parent
                .map(|p| (categories[p].offline, categories[p].booklet));
            categories[i].offline = offline.unwrap_or(parent.is_some_and(|p| p.0));
            categories[i].booklet = all_booklets || booklet.unwrap_or(parent.is_some_and(|p| p.1));
        }
        categories
    }

    /// Published sheets, sorted by category then weight and title, each
    /// with its URL, action and dates.
    /// Also links them (category → sheets, action → sheets, previous and
    /// next within a category) and indexes their ids, while each is at
    /// hand: as passes of their own over the list, these grew
    /// 9.6 times from 10,000 to 50,000 sheets (a list of 23 MB).
    fn sheets(
        &mut self,
        raw_sheets: Vec<load::RawSheet>,
        scan: SheetScan,
        categories: &mut [Category],
        actions: &mut [Action],
        cat_index: &FastMap<String, usize>,
        dates: &SheetDates,
    ) -> (Vec<Sheet>, FastMap<String, usize>) {
        // Only the places are sorted, and each sheet is then moved once,
        // in that order: permuting the sheets themselves (a few hundred
        // bytes each, 50,000 of them, far beyond the caches) moved each
        // twice or more, at random places.
        let order = scan.order(cat_index, &raw_sheets);
        let mut raw_sheets: Vec<Option<load::RawSheet>> = raw_sheets.into_iter().map(Some).collect();
        // Last one wins on a duplicate id, as `load` reports duplicates.
        let action_index: HashMap<String, usize> =
            actions.iter().enumerate().map(|(i, a)| (a.def.id.clone(), i)).collect();
        let mut sheets: Vec<Sheet> = Vec::with_capacity(order.len());
        let mut by_id = fast_map(order.len());
        for (i, category) in order {
            let Some(s) = raw_sheets[i].take() else {
                continue;
            };
            let action = self.sheet_action(&s, &*actions, &action_index);
            let slug = slugify_path(&s.id);
            reserved_slug(&slug, &s.source, self.diags);
            let url = self
                .urls
                .claim(&format!("{}/{slug}", DocKind::Sheet.folder()), &s.source, self.diags);
            self.pages.insert(s.source.clone(), url.clone());
            let i = sheets.len();
            by_id.insert(s.id.clone(), i);
            let mut sheet = sheet_record(s, category, action, url, dates);
            sheet_date_problems(&sheet, self.today, self.strings, self.diags);
            // Sorted category first: a category's sheets follow each other.
            if let Some(before) = sheets.last_mut().filter(|b| b.category == category) {
                before.next = Some(i);
                sheet.prev = Some(i - 1);
            }
            categories[category].sheets.push(i);
            if let Some(a) = action {
                actions[a].sheets.push(i);
            }
            sheets.push(sheet);
        }
        (sheets, by_id)
    }

    /// The sheet's `action`, found in `content/actions.toml`, or an error
    /// with the closest known id.
    fn sheet_action(
        &mut self,
        s: &load::RawSheet,
        actions: &[Action],
        action_index: &HashMap<String, usize>,
    ) -> Option<usize> {
        let a = s.meta.action.as_ref()?;
        if let Some(i) = action_index.get(a.get_ref().as_str()) {
            return Some(*i);
        }
        if self.actions_failed {
            return None;
        }
        let known: Vec<&str> = actions.iter().map(|a| a.def.id.as_str()).collect();
        let d = Diagnostic::error(
            "unknown-action",
            &s.source,
            format!("l'action `{}` n'existe pas dans `content/actions.toml`", a.get_ref()),
        )
        .at(s.action_line.unwrap_or(1), None);
        self.diags.push(match crate::tomlerr::closest(a.get_ref(), &known) {
            Some(k) => d.hint(format!(
                "vouliez-vous dire `{k}` ? Actions connues : {}",
                known.join(", ")
            )),
            None if known.is_empty() => d.hint("`content/actions.toml` ne définit aucune action"),
            // Most often the collectivity withdrew it from the list: what
            // the sheet describes is no longer the school's to do.
            None => d.hint(format!(
                "si l'action a été retirée de la liste par la collectivité, ce que décrit la fiche ne se fait plus soi-même : retirez la ligne `action = \"{}\"` et dites dans la fiche de demander au support ; sinon, actions connues : {}",
                a.get_ref(),
                known.join(", ")
            )),
        });
        None
    }

    /// A session's or a path's sheets (`what` cites them) and its URL,
    /// `<dir>/<slug>/`.
    fn listing(
        &mut self,
        refs: &SheetRefs,
        cited: &[(String, usize)],
        source: &str,
        what: &str,
        (dir, slug): (&str, &str),
    ) -> (Vec<usize>, String) {
        let fiches = refs.resolve(cited, source, what, self.diags);
        let url = self.urls.claim(&format!("{dir}/{}", slugify(slug)), source, self.diags);
        self.pages.insert(source.to_string(), url.clone());
        (fiches, url)
    }

    /// Published sessions, newest first (the upcoming list reverses it to
    /// show the next one first).
    fn sessions(&mut self, raw: Vec<load::RawSession>, refs: &SheetRefs, opts: &ModelOptions) -> Vec<Session> {
        let mut sessions = Vec::new();
        for s in raw {
            if hidden(s.meta.draft, opts.include_drafts) {
                continue;
            }
            let (fiches, url) = self.listing(
                refs,
                &s.fiches,
                &s.source,
                "la séance",
                (DocKind::Session.folder(), &s.slug),
            );
            sessions.push(Session {
                upcoming: s.meta.date >= opts.today,
                slug: s.slug,
                source: s.source,
                url,
                title: s.meta.title,
                date: s.meta.date,
                time: s.meta.time,
                end: s.meta.end,
                location: s.meta.location,
                presenters: s.meta.presenters,
                tags: s.meta.tags,
                summary: s.meta.summary,
                fiches,
                body: s.body,
                body_line: s.body_line,
                header_error: s.header_error,
            });
        }
        sessions.sort_by(|a, b| (b.date, b.time.clone(), &b.slug).cmp(&(a.date, a.time.clone(), &a.slug)));
        sessions
    }

    /// The sheets' `aliases`: each valid one that no page, sheet or other
    /// alias holds claims its old address for a redirect page; the others
    /// are errors at their line.
    fn aliases(&mut self, sheets: &mut [Sheet], sheet_by_id: &FastMap<String, usize>, draft_ids: &HashSet<&str>) {
        let mut given: HashMap<String, (String, usize)> = HashMap::new();
        for s in sheets.iter_mut() {
            for a in s.aliases.iter_mut() {
                let error = |code, msg: String| Diagnostic::error(code, &s.source, msg).at(a.line, None);
                if let Some(why) = alias_problem(&a.id) {
                    self.diags.push(error("alias-invalid", format!("alias `{}` invalide : {why}", a.id)).hint(
                        "un alias est l'ancien identifiant de la fiche : son chemin sous `content/fiches/`, sans `.md` (par exemple `wifi/ancien-nom`)",
                    ));
                    continue;
                }
                if sheet_by_id.contains_key(&a.id) || draft_ids.contains(a.id.as_str()) {
                    self.diags.push(
                        error(
                            "alias-is-sheet",
                            format!("l'alias `{}` est l'identifiant d'une fiche existante", a.id),
                        )
                        .hint("un alias ne redirige que l'adresse d'une fiche qui n'existe plus : retirez-le, ou renommez l'autre fiche"),
                    );
                    continue;
                }
                let slug = slugify_path(&a.id);
                let url = Site::sheet_url(&a.id);
                if let Some((other, line)) = given.get(&url) {
                    self.diags.push(
                        error(
                            "alias-duplicate",
                            format!(
                                "l'alias `{}` (adresse `fiches/{slug}/`) est déjà donné par `{other}` ligne {line}",
                                a.id
                            ),
                        )
                        .hint(
                            "une ancienne adresse ne peut rediriger que vers une fiche : gardez l'alias dans une seule",
                        ),
                    );
                    continue;
                }
                let last = slug.rsplit('/').next().unwrap_or(&slug);
                let owner = match RESERVED_SLUGS.iter().find(|(n, _)| *n == last) {
                    Some((_, what)) => Some(what.to_string()),
                    None => self.urls.owners.get(&url).map(|o| match o.is_empty() {
                        true => "une page du site".to_string(),
                        false => format!("`{o}`"),
                    }),
                };
                if let Some(owner) = owner {
                    self.diags.push(
                        error(
                            "alias-taken",
                            format!("l'alias `{}` prendrait l'adresse `fiches/{slug}/`, qui est celle de {owner}", a.id),
                        )
                        .hint("les adresses ne gardent ni accents, ni majuscules, ni ponctuation : retirez l'alias ou renommez l'autre page"),
                    );
                    continue;
                }
                self.urls.owners.insert(url.clone(), s.source.clone());
                given.insert(url.clone(), (s.source.clone(), a.line));
                a.url = Some(url);
            }
        }
    }

    /// Published training paths, by weight then title.
    fn paths(&mut self, raw: Vec<load::RawPath>, refs: &SheetRefs, include_drafts: bool) -> Vec<TrainingPath> {
        let mut paths = Vec::new();
        for p in raw {
            if hidden(p.meta.draft, include_drafts) {
                continue;
            }
            // `fiches = []` (or none): a page of an introduction only, that
            // leads nowhere, listed among the paths as any other. Not said
            // of a header read leniently: `fiches` may be the line left out.
            if p.fiches.is_empty() && !p.header_error {
                self.diags.push(
                    Diagnostic::warning(
                        "path-empty",
                        &p.source,
                        "le parcours ne cite aucune fiche (`fiches`) : sa page n'aurait que son introduction et ne mènerait nulle part",
                    )
                    .at(1, None)
                    .hint("listez ses fiches dans l'ordre où les suivre : `fiches = [\"ent/premiere-connexion\", \"wifi/compte-invite\"]` (leur chemin sous `content/fiches/`, sans `.md`), ou mettez `draft = true` en attendant"),
                );
            }
            let (fiches, url) = self.listing(
                refs,
                &p.fiches,
                &p.source,
                "le parcours",
                (DocKind::Path.folder(), &p.slug),
            );
            paths.push(TrainingPath {
                slug: p.slug,
                source: p.source,
                url,
                title: p.meta.title,
                summary: p.meta.summary,
                audience: p.meta.audience,
                weight: p.meta.weight,
                fiches,
                body: p.body,
                body_line: p.body_line,
            });
        }
        paths.sort_by_key(|p| sort_key(p.weight, &p.title));
        paths
    }
}

/// Every folder holding a sheet is a category, and so are its ancestors,
/// with or without an `_index.md`; sheets at the root of `content/fiches/`
/// get the root category.
fn add_implied_folders(raw_cats: &mut Vec<load::RawCategory>, sheet_folders: &[String]) {
    let implied = |id: String| load::RawCategory {
        id,
        source: None,
        meta: None,
        body: load::Text::default(),
        body_line: 1,
    };
    let mut ids: HashSet<String> = raw_cats.iter().map(|c| c.id.clone()).collect();
    for f in sheet_folders {
        let mut folder = f.clone();
        while !folder.is_empty() {
            if ids.insert(folder.clone()) {
                raw_cats.push(implied(folder.clone()));
            }
            folder = folder.rsplit_once('/').map(|(d, _)| d.to_string()).unwrap_or_default();
        }
    }
    let has_root_sheets = sheet_folders.iter().any(String::is_empty);
    if has_root_sheets && !ids.contains("") {
        raw_cats.push(implied(String::new()));
    }
}

/// A category from its folder, titled by its `_index.md` or else by its
/// folder name (the root category by the UI's word for sheets).
fn new_category(c: load::RawCategory, language: &str) -> Category {
    let title = match c.meta.as_ref().and_then(|m| m.title.clone()) {
        Some(t) => t,
        None if c.id.is_empty() => crate::i18n::Strings::for_language_or_default(language)
            .get("sheets")
            .to_string(),
        None => humanize(&c.id),
    };
    let (description, weight) = match &c.meta {
        Some(m) => (m.description.clone(), m.weight),
        None => (String::new(), None),
    };
    Category {
        url: String::new(),
        depth: if c.id.is_empty() { 0 } else { c.id.matches('/').count() },
        id: c.id,
        title,
        description,
        weight,
        body: c.body,
        body_line: c.body_line,
        source: c.source,
        sheets: Vec::new(),
        parent: None,
        offline: false,
        booklet: false,
    }
}

/// Parents before children, siblings by weight then title.
fn sort_categories(categories: &mut [Category]) {
    let cat_weights: HashMap<String, (i64, String)> = categories
        .iter()
        .map(|c| (c.id.clone(), sort_key(c.weight, &c.title)))
        .collect();
    categories.sort_by_key(|c| {
        let mut key = Vec::new();
        let mut acc = String::new();
        for seg in c.id.split('/').filter(|s| !s.is_empty()) {
            if !acc.is_empty() {
                acc.push('/');
            }
            acc.push_str(seg);
            key.push(cat_weights.get(&acc).cloned().unwrap_or((i64::MAX, acc.clone())));
        }
        key
    });
}

fn actions(raw: Vec<load::ActionDef>) -> Vec<Action> {
    raw.into_iter()
        .map(|def| Action {
            def,
            sheets: Vec::new(),
        })
        .collect()
}

/// Why `id` cannot be an alias (a sheet id: a path under `content/fiches/`
/// without `.md`), if it cannot: the redirect page is written at its slug,
/// which must stay inside the output folder.
fn alias_problem(id: &str) -> Option<&'static str> {
    if id.trim().is_empty() {
        return Some("il est vide");
    }
    if id.starts_with('/') || id.contains('\\') || id.contains(':') {
        return Some("c'est un chemin sous `content/fiches/`, sans `/` au début, ni `\\` ni `:`");
    }
    if id.split('/').any(|seg| seg.is_empty() || seg == "." || seg == "..") {
        return Some("il a une partie vide, `.` ou `..`");
    }
    if id.chars().any(char::is_control) {
        return Some("il contient un caractère de contrôle");
    }
    if id.ends_with(".md") {
        return Some("un identifiant s'écrit sans `.md`");
    }
    if id.rsplit('/').next() == Some("_index") {
        return Some("`_index` est une catégorie, pas une fiche");
    }
    if slugify_path(id).split('/').any(crate::portable::is_device) {
        return Some("une de ses parties est un nom que Windows réserve à un périphérique (`con`, `aux`, `nul`, `com1`…) : la page de redirection ne pourrait pas être copiée sur une clé USB ou un PC Windows");
    }
    None
}

/// What `build` reads of every loaded sheet before it links them, in one
/// pass in the order they were loaded: their folders (for the categories),
/// the drafts left out, and each published sheet's place but for its
/// category. At 50,000 sheets these fields are far from the caches: four
/// passes over them (folders, root sheets, drafts, sort keys) and a sort
/// whose comparisons read each title from the heap had 10 to 11 times the
/// cache misses of 10,000 sheets (callgrind, a 4 MiB cache).
struct SheetScan {
    /// The folders of the sheets (drafts' too), each once, in the order met;
    /// `""` for sheets at the root of `content/fiches/`.
    folders: Vec<String>,
    /// Drafts left out (id, file) unless the build includes them.
    drafts: Vec<(String, String)>,
    /// Each published sheet's place; `category` holds its folder (an index
    /// in `folders`) until the categories are known.
    places: Vec<Place>,
    /// Folded titles (`sort_key`) end to end, by position (none for the
    /// drafts left out): one string, not 50,000 to free.
    titles: String,
    /// Where each position's folded title ends in `titles`.
    title_ends: Vec<usize>,
}

/// A published sheet's place in `Site::sheets` (`sheet_order`, then its
/// position, as a stable sort would): category, weight and the first 16
/// bytes of its folded title decide most comparisons without leaving this
/// array of 32-byte entries.
#[derive(Clone, Copy)]
struct Place {
    category: u32,
    pos: u32,
    weight: i64,
    /// `title_head` of the folded title.
    head: (u64, u64),
}

/// The first 16 bytes of `s`, big-endian, zeros after its end: when two
/// heads differ, the strings compare as their heads do (a string that ends
/// within them has a zero where the other has a byte, or the same bytes
/// and is its prefix).
fn title_head(s: &str) -> (u64, u64) {
    let mut b = [0u8; 16];
    let n = s.len().min(16);
    b[..n].copy_from_slice(&s.as_bytes()[..n]);
    let [h0, h1] = [&b[..8], &b[8..]].map(|h| u64::from_be_bytes(h.try_into().unwrap_or_default()));
    (h0, h1)
}

impl SheetScan {
    fn new(sheets: &[load::RawSheet], include_drafts: bool) -> SheetScan {
        let mut folders: Vec<String> = Vec::new();
        let mut folder_no: FastMap<&str, u32> = FastMap::default();
        // Sheets come folder by folder: most have the folder of the one before.
        let mut last: Option<(&str, u32)> = None;
        let mut drafts = Vec::new();
        let mut places = Vec::with_capacity(sheets.len());
        let mut titles = String::new();
        let mut title_ends = Vec::with_capacity(sheets.len());
        for (pos, s) in sheets.iter().enumerate() {
            let folder = s.id.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            let f = match last {
                Some((l, f)) if l == folder => f,
                _ => {
                    let next = u32::try_from(folders.len()).unwrap_or(u32::MAX);
                    let f = *folder_no.entry(folder).or_insert(next);
                    if f == next {
                        folders.push(folder.to_string());
                    }
                    last = Some((folder, f));
                    f
                }
            };
            if hidden(s.meta.draft, include_drafts) {
                drafts.push((s.id.clone(), s.source.clone()));
                title_ends.push(titles.len());
                continue;
            }
            let (weight, title) = sort_key(s.meta.weight, &s.meta.title);
            places.push(Place {
                category: f,
                pos: u32::try_from(pos).unwrap_or(u32::MAX),
                weight,
                head: title_head(&title),
            });
            titles.push_str(&title);
            title_ends.push(titles.len());
        }
        SheetScan {
            folders,
            drafts,
            places,
            titles,
            title_ends,
        }
    }

    /// The published sheets in `Site::sheets` order: each one's position
    /// in `sheets` and its category.
    fn order(mut self, cat_index: &FastMap<String, usize>, sheets: &[load::RawSheet]) -> Vec<(usize, usize)> {
        // Every sheet's folder is a category (`add_implied_folders`).
        let category: Vec<u32> = self
            .folders
            .iter()
            .map(|f| u32::try_from(cat_index[f.as_str()]).unwrap_or(u32::MAX))
            .collect();
        for p in &mut self.places {
            p.category = category[p.category as usize];
        }
        let title = |pos: u32| {
            let pos = pos as usize;
            let start = pos.checked_sub(1).map_or(0, |p| self.title_ends[p]);
            &self.titles[start..self.title_ends[pos]]
        };
        self.places.sort_unstable_by(|a, b| {
            (a.category, a.weight, a.head)
                .cmp(&(b.category, b.weight, b.head))
                .then_with(|| title(a.pos).cmp(title(b.pos)))
                .then_with(|| sheets[a.pos as usize].id.cmp(&sheets[b.pos as usize].id))
                .then(a.pos.cmp(&b.pos))
        });
        self.places
            .iter()
            .map(|p| (p.pos as usize, p.category as usize))
            .collect()
    }
}

/// Where a sheet's dates come from: its pool's git history, the site's,
/// or the file's time.
struct SheetDates<'a> {
    root: &'a Path,
    history: &'a fiches_git::History,
    pools: &'a HashMap<String, fiches_git::History>,
}

impl<'a> SheetDates<'a> {
    /// The sheet's git record (its pool's first) and the date of its last change.
    fn git(&self, s: &load::RawSheet) -> (Option<&'a fiches_git::FileHistory>, Option<Date>) {
        // Without pools, no path is made per sheet.
        let pooled = match self.pools.is_empty() {
            true => None,
            false => {
                let pool_root = crate::diagnostics::rel_string(&s.origin_root);
                let rel = s
                    .source
                    .strip_prefix(pool_root.as_str())
                    .and_then(|r| r.strip_prefix('/'));
                self.pools
                    .get(&pool_root)
                    .and_then(|h| h.get(Path::new(rel.unwrap_or(&s.source))))
            }
        };
        let git = pooled.or_else(|| self.history.get(Path::new(&s.source)));
        (git, git.and_then(|h| h.last_change).and_then(Date::from_unix))
    }

    /// `updated`: the front matter's, else git's last change, else the file time.
    fn updated(&self, s: &load::RawSheet, last_change: Option<Date>) -> (Option<Date>, DateSource) {
        updated_date(self.root, s, last_change)
    }
}

/// The record of a published sheet, its cross-references (sessions, paths,
/// neighbours) left empty: `build` and `Site::insert_sheet` make it alike.
fn sheet_record(s: load::RawSheet, category: usize, action: Option<usize>, url: String, dates: &SheetDates) -> Sheet {
    let (git, last_change) = dates.git(&s);
    let (updated, updated_from) = dates.updated(&s, last_change);
    let validation = validation_of(&s);
    Sheet {
        id: s.id,
        source: s.source,
        url,
        category,
        title: s.meta.title,
        summary: s.meta.summary,
        tags: s.meta.tags,
        audience: s.meta.audience,
        action,
        updated,
        updated_from,
        updated_line: s.updated_line,
        last_change,
        contributors: git.map(|h| h.contributors.clone()).unwrap_or_default(),
        validation,
        weight: s.meta.weight,
        draft: s.meta.draft,
        aliases: s
            .aliases
            .into_iter()
            .map(|(id, line)| Alias { id, line, url: None })
            .collect(),
        body: s.body,
        body_line: s.body_line,
        header_error: s.header_error,
        origin: s.origin,
        origin_root: crate::diagnostics::rel_string(&s.origin_root),
        sessions: Vec::new(),
        paths: Vec::new(),
        prev: None,
        next: None,
    }
}

/// Resolves the sheet ids that a session or a path cites.
struct SheetRefs<'a> {
    sheet_by_id: &'a FastMap<String, usize>,
    /// A draft left out is no error: the reference comes back with it.
    draft_ids: HashSet<&'a str>,
    /// Sheets that exist but failed to load have their own error: citing
    /// one is not reported again (as links to them are not).
    failed_ids: HashSet<&'a str>,
    /// Each page address (`wifi/bourrage-papier`) and its sheet's id, made
    /// at the first reference no id matches.
    by_slug: std::cell::OnceCell<HashMap<String, String>>,
}

/// The id of a sheet file (`content/fiches/<id>.md`, or under a pool's
/// folder) that failed to load; `None` for other files.
fn failed_sheet_id(source: &str) -> Option<&str> {
    let (_, rest) = source.split_once("content/fiches/")?;
    rest.strip_suffix(".md").filter(|id| !id.ends_with("_index"))
}

impl SheetRefs<'_> {
    /// The id a session or path means by `written`: the id, or the sheet
    /// written as a link or an address bar shows it (`/fiches/wifi/x.md`,
    /// `content/fiches/wifi/x.md`, `/fiches/wifi/x/`, `…/index.html`,
    /// `https://host/aide/fiches/wifi/x/`), found by its id or by its
    /// page's address. When no sheet is found, the id it would be.
    fn id_of(&self, written: &str) -> String {
        let known =
            |i: &str| self.sheet_by_id.contains_key(i) || self.draft_ids.contains(i) || self.failed_ids.contains(i);
        let mut w = written.trim();
        if let Some((_, rest)) = w.split_once("://") {
            w = rest.find('/').map_or("", |i| &rest[i..]);
        }
        w = w.split(['#', '?']).next().unwrap_or(w);
        w = w.strip_suffix("index.html").unwrap_or(w).trim_end_matches('/');
        w = w.strip_suffix(".md").or_else(|| w.strip_suffix(".html")).unwrap_or(w);
        w = w.trim_start_matches('/');
        // As written, then after each `fiches/` folder: `content/fiches/x`,
        // `/aide/fiches/x` (the site under a sub-path).
        let mut candidates = vec![w];
        candidates.extend(
            w.match_indices("fiches/")
                .filter(|(i, _)| *i == 0 || w[..*i].ends_with('/'))
                .map(|(i, m)| &w[i + m.len()..]),
        );
        if let Some(id) = candidates.iter().find(|c| known(c)) {
            return id.to_string();
        }
        // A page's address is its id made a slug (`Bourrage papier.md`
        // is at `…/bourrage-papier/`): asked only when the id is not found.
        let by_slug = self.by_slug.get_or_init(|| {
            let mut m: HashMap<String, &str> = HashMap::new();
            let ids = self.sheet_by_id.keys().map(String::as_str);
            for id in ids
                .chain(self.draft_ids.iter().copied())
                .chain(self.failed_ids.iter().copied())
            {
                let e = m.entry(slugify_path(id)).or_insert(id);
                *e = (*e).min(id);
            }
            m.into_iter().map(|(k, v)| (k, v.to_string())).collect()
        });
        if let Some(id) = candidates.iter().find_map(|c| by_slug.get(*c)) {
            return id.clone();
        }
        candidates.get(1).unwrap_or(&w).to_string()
    }

    fn resolve(&self, refs: &[(String, usize)], source: &str, what: &str, diags: &mut Diagnostics) -> Vec<usize> {
        let mut out = Vec::new();
        for (id, line) in refs {
            let id_norm = self.id_of(id);
            let id_norm = id_norm.as_str();
            match self.sheet_by_id.get(id_norm) {
                Some(i) => out.push(*i),
                None if self.draft_ids.contains(id_norm) || self.failed_ids.contains(id_norm) => {}
                None => {
                    let known: Vec<&str> = self.sheet_by_id.keys().map(|k| k.as_str()).collect();
                    let mut d = Diagnostic::error(
                        "unknown-sheet",
                        source,
                        format!(
                            "{what} cite la fiche `{id}`, qui n'existe pas (attendu : `content/fiches/{id_norm}.md`)"
                        ),
                    )
                    .at(*line, None);
                    // `Wifi/Ok`: what a disk that ignores case finds.
                    let lower = id_norm.to_lowercase();
                    let same_case = known.iter().filter(|k| k.to_lowercase() == lower).min().copied();
                    if let Some(k) = same_case.or_else(|| crate::tomlerr::closest(id_norm, &known)) {
                        d = d.hint(format!("vouliez-vous dire `{k}` ?"));
                    } else {
                        d = d.hint("l'identifiant d'une fiche est son chemin sous `content/fiches/`, sans `.md`");
                    }
                    diags.push(d);
                }
            }
        }
        out
    }
}

/// Backlinks: each sheet lists the sessions and paths that cite it.
fn backlinks(sheets: &mut [Sheet], sessions: &[Session], paths: &[TrainingPath]) {
    for (si, s) in sessions.iter().enumerate() {
        for &f in &s.fiches {
            if !sheets[f].sessions.contains(&si) {
                sheets[f].sessions.push(si);
            }
        }
    }
    for (pi, p) in paths.iter().enumerate() {
        for &f in &p.fiches {
            if !sheets[f].paths.contains(&pi) {
                sheets[f].paths.push(pi);
            }
        }
    }
}

/// Other source paths that name a page, for link resolution.
fn source_aliases(pages: &mut FastMap<String, String>, config: &Config, sheets: &[Sheet], failed: &[String]) {
    // Pools and the site form one tree: `content/fiches/<id>.md` under any of
    // their roots names the sheet `<id>`, wherever it comes from, so a pooled
    // sheet's links reach a local override and local sheets reach pooled ones.
    let mut roots = vec![String::new()];
    roots.extend(
        config
            .pool
            .iter()
            .map(|p| format!("{}/", crate::diagnostics::rel_string(&p.path).trim_end_matches('/'))),
    );
    for s in sheets {
        for r in &roots {
            // Its own file is in already (`Builder::sheets`): at 50,000
            // sheets, looking it up again was most of this (10 times its
            // cost at 10,000: the map no longer fits in the cache).
            let own = s
                .source
                .strip_prefix(r.as_str())
                .and_then(|f| f.strip_prefix("content/fiches/"))
                .and_then(|f| f.strip_suffix(".md"))
                == Some(s.id.as_str());
            if !own {
                pages
                    .entry(format!("{r}content/fiches/{}.md", s.id))
                    .or_insert_with(|| s.url.clone());
            }
        }
    }
    // A file that failed to load has its own error; a link to it is not
    // reported again as broken (the build fails anyway, nothing is written).
    for f in failed {
        pages.entry(f.clone()).or_insert_with(|| "404.html".into());
    }
}

/// `static/` folders, the site's own last so that it wins.
fn static_dirs(root: &Path, config: &Config) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = config.pool.iter().map(|p| root.join(&p.path).join("static")).collect();
    dirs.push(root.join("static"));
    dirs.retain(|d| d.is_dir());
    dirs
}

impl Site {
    pub fn strings(&self) -> &'static crate::i18n::Strings {
        crate::i18n::Strings::for_language_or_default(&self.config.book.language)
    }
    pub fn upcoming_sessions(&self) -> impl Iterator<Item = (usize, &Session)> {
        self.sessions.iter().enumerate().rev().filter(|(_, s)| s.upcoming)
    }
    pub fn past_sessions(&self) -> impl Iterator<Item = (usize, &Session)> {
        self.sessions.iter().enumerate().filter(|(_, s)| !s.upcoming)
    }
}

// Rules shared by `build` and by `Site::replace`/`Site::patch_sheet`, the
// incremental entry point of `fiches serve`: written once, here.

/// Whether a draft is left out of the site.
pub fn hidden(draft: bool, include_drafts: bool) -> bool {
    draft && !include_drafts
}

/// The place of a sheet in `Site::sheets`: its category, then `sort_key`,
/// then its id.
pub fn sheet_order<'a>(
    category: Option<usize>,
    weight: Option<i64>,
    title: &str,
    id: &'a str,
) -> (Option<usize>, (i64, String), &'a str) {
    (category, sort_key(weight, title), id)
}

/// A sheet's date: the front matter's `updated`, else its last git change,
/// else the file's modification time.
pub fn updated_date(root: &Path, s: &load::RawSheet, last_change: Option<Date>) -> (Option<Date>, DateSource) {
    match (s.meta.updated, last_change) {
        (Some(d), _) => (Some(d), DateSource::FrontMatter),
        (None, Some(d)) => (Some(d), DateSource::Git),
        (None, None) => (load::file_date(root, &s.source), DateSource::FileTime),
    }
}

/// The `[validation]` table of a sheet, with its line.
pub fn validation_of(s: &load::RawSheet) -> Option<Validation> {
    s.meta.validation.as_ref().map(|v| Validation {
        by: v.by.clone(),
        on: *v.on.get_ref(),
        line: s.validation_line.unwrap_or(0),
    })
}

/// Which list of the site a document is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    Sheet,
    Session,
    Path,
    Category,
}

impl DocKind {
    /// The folder of the output that holds every page of this kind (its
    /// URL is `<folder>/…`, `-2` and all): what claims the URLs and what
    /// asks whether a static file is in a page's way both read it here.
    pub fn folder(self) -> &'static str {
        match self {
            DocKind::Sheet | DocKind::Category => "fiches",
            DocKind::Session => "apero-tice",
            DocKind::Path => "parcours",
        }
    }
}

/// A page of the site written in Markdown: a sheet, a session, a path or a
/// category. Stages that treat every Markdown body alike (rendering,
/// anchors, images, serve's cache) go through `Site::documents`, never
/// through the four lists side by side.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub kind: DocKind,
    /// Index in the list of its kind.
    pub index: usize,
    /// Its file, from the site root; `None` for a category without `_index.md`.
    pub file: Option<&'a str>,
    pub body: &'a str,
    pub body_line: usize,
    /// The pool root of a pooled sheet (`""` otherwise), for its links.
    pub origin_root: &'a str,
    pub url: &'a str,
}

impl<'a> Document<'a> {
    /// The file its Markdown findings name (`content/fiches` for a category
    /// without `_index.md`).
    pub fn source(&self) -> &'a str {
        self.file.unwrap_or("content/fiches")
    }

    /// A key that names the document across model rebuilds (indices move).
    pub fn key(&self) -> String {
        match self.kind {
            DocKind::Sheet => format!("s:{}", self.source()),
            DocKind::Session => format!("a:{}", self.source()),
            DocKind::Path => format!("p:{}", self.source()),
            DocKind::Category => format!("c:{}", self.url),
        }
    }
}

/// What replacing one file's record means for the site built before.
pub enum Change {
    /// The sheet kept its place: `Site::patch_sheet` applies it.
    Patch(usize, Box<load::RawSheet>),
    /// Nothing shown changes (a draft that stays a draft).
    None,
    /// The model must be built again from the content.
    Rebuild,
}

impl Site {
    /// Every Markdown page: sheets, sessions, paths, then categories (the
    /// order of `render::Bodies`).
    pub fn documents(&self) -> impl Iterator<Item = Document<'_>> {
        self.documents_of(|_| true)
    }

    /// `documents`, of the kinds `kinds` takes only: the others' lists
    /// are not read.
    pub fn documents_of(&self, kinds: impl Fn(DocKind) -> bool) -> impl Iterator<Item = Document<'_>> {
        let lists = [
            (DocKind::Sheet, self.sheets.len()),
            (DocKind::Session, self.sessions.len()),
            (DocKind::Path, self.paths.len()),
            (DocKind::Category, self.categories.len()),
        ];
        lists
            .into_iter()
            .filter(move |&(kind, _)| kinds(kind))
            .flat_map(|(kind, n)| (0..n).map(move |i| (kind, i)))
            .map(|(kind, i)| self.document(kind, i))
    }

    /// The document at `index` in the list of `kind`.
    pub fn document(&self, kind: DocKind, index: usize) -> Document<'_> {
        let (file, body, body_line, origin_root, url) = match kind {
            DocKind::Sheet => {
                let s = &self.sheets[index];
                (
                    Some(s.source.as_str()),
                    &*s.body,
                    s.body_line,
                    s.origin_root.as_str(),
                    &s.url,
                )
            }
            DocKind::Session => {
                let s = &self.sessions[index];
                (Some(s.source.as_str()), &*s.body, s.body_line, "", &s.url)
            }
            DocKind::Path => {
                let p = &self.paths[index];
                (Some(p.source.as_str()), &*p.body, p.body_line, "", &p.url)
            }
            DocKind::Category => {
                let c = &self.categories[index];
                (c.source.as_deref(), &*c.body, c.body_line, "", &c.url)
            }
        };
        Document {
            kind,
            index,
            file,
            body,
            body_line,
            origin_root,
            url,
        }
    }

    /// Puts `p` in place of the record of `content` with the same source,
    /// and says what that means for this site (built from `content` before).
    /// `None` when `content` has no such record (a file that did not parse
    /// before, or a pooled sheet hidden by the site's own).
    pub fn replace(&self, content: &mut Content, p: load::Parsed) -> Option<Change> {
        match p {
            load::Parsed::Sheet(n) => {
                let pos = content.sheets.iter().position(|o| o.source == n.source)?;
                let old = std::mem::replace(&mut content.sheets[pos], n.clone());
                if hidden(old.meta.draft, self.include_drafts) && hidden(n.meta.draft, self.include_drafts) {
                    return Some(Change::None);
                }
                Some(match self.keeps_place(&n) {
                    Some(i) => Change::Patch(i, Box::new(n)),
                    None => Change::Rebuild,
                })
            }
            load::Parsed::Category(n) => {
                let pos = content.categories.iter().position(|o| o.source == n.source)?;
                content.categories[pos] = n;
                Some(Change::Rebuild)
            }
            load::Parsed::Session(n) => {
                let pos = content.sessions.iter().position(|o| o.source == n.source)?;
                content.sessions[pos] = n;
                Some(Change::Rebuild)
            }
            load::Parsed::Path(n) => {
                let pos = content.paths.iter().position(|o| o.source == n.source)?;
                content.paths[pos] = n;
                Some(Change::Rebuild)
            }
        }
    }

    /// The index of the sheet `n` replaces when `build` would put it at the
    /// same place with the same links: same draft state, weight and action,
    /// and its new title keeps it between its neighbours.
    fn keeps_place(&self, n: &load::RawSheet) -> Option<usize> {
        let &i = self.sheet_by_id.get(&n.id)?;
        let s = &self.sheets[i];
        let action = s.action.map(|a| self.actions[a].def.id.as_str());
        // Aliases claim addresses: a change to them is a new build.
        let same = s.source == n.source
            && s.aliases.is_empty()
            && n.aliases.is_empty()
            && n.meta.draft == s.draft
            && n.meta.weight == s.weight
            && n.meta.action.as_ref().map(|a| a.get_ref().as_str()) == action;
        if !same {
            return None;
        }
        let order = |j: usize, title: &str| {
            let o = &self.sheets[j];
            sheet_order(Some(o.category), o.weight, title, &o.id)
        };
        let me = order(i, &n.meta.title);
        let before = i == 0 || order(i - 1, &self.sheets[i - 1].title) < me;
        let after = i + 1 == self.sheets.len() || me < order(i + 1, &self.sheets[i + 1].title);
        (before && after).then_some(i)
    }

    /// The page URL `build` gives the sheet `id` when no other page holds it.
    pub fn sheet_url(id: &str) -> String {
        format!("{}/{}/index.html", DocKind::Sheet.folder(), slugify_path(id))
    }

    /// Puts the sheet `s` that appeared where `build` would, moving the
    /// indices after it (categories, actions, sessions, paths, neighbours),
    /// and returns its index: `fiches serve` adds a sheet without building
    /// the model again. `None`, the site untouched, when only a new build is
    /// sure to give the same site: pools (a site's sheet may hide a pooled
    /// one), a draft left out, a folder that is no category yet, an unknown
    /// action, an address reserved or taken, a new day (sessions'
    /// `upcoming`). The caller checks the findings a new sheet may change
    /// (an unknown sheet cited, a collision, a static file it would hide).
    pub fn insert_sheet(&mut self, s: load::RawSheet) -> Option<usize> {
        if !self.same_rules()
            || hidden(s.meta.draft, self.include_drafts)
            || self.sheet_by_id.contains_key(&s.id)
            || !s.aliases.is_empty()
        {
            return None;
        }
        // Aliases of a sheet (`source_aliases`) are its own source here.
        if s.source != format!("content/fiches/{}.md", s.id) || self.pages.contains_key(&s.source) {
            return None;
        }
        let folder = s.id.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let category = self.categories.iter().position(|c| c.id == folder)?;
        // Last one wins on a duplicate id, as in `build`.
        let action = match &s.meta.action {
            Some(a) => Some(self.actions.iter().rposition(|x| &x.def.id == a.get_ref())?),
            None => None,
        };
        let mut found = Diagnostics::default();
        reserved_slug(&slugify_path(&s.id), &s.source, &mut found);
        let url = Site::sheet_url(&s.id);
        let fixed = crate::pages::reserved_dirs().map(|d| match d.is_empty() {
            true => "index.html".to_string(),
            false => format!("{d}/index.html"),
        });
        let taken = fixed.into_iter().any(|u| u == url)
            || self.categories.iter().any(|c| c.url == url)
            || self.sheets.iter().any(|o| o.url == url)
            || self.sessions.iter().any(|o| o.url == url)
            || self.paths.iter().any(|o| o.url == url)
            // An alias of another sheet: the new sheet makes it an error.
            || self
                .sheets
                .iter()
                .flat_map(|o| &o.aliases)
                .any(|a| a.id == s.id || a.url.as_deref() == Some(url.as_str()));
        if !found.items.is_empty() || taken {
            return None;
        }
        let key = sheet_order(Some(category), s.meta.weight, &s.meta.title, &s.id);
        let at = self
            .sheets
            .partition_point(|o| sheet_order(Some(o.category), o.weight, &o.title, &o.id) < key);
        let pools = HashMap::new();
        let dates = SheetDates {
            root: &self.root,
            history: &self.history,
            pools: &pools,
        };
        let mut sheet = sheet_record(s, category, action, url, &dates);
        self.shift(|k| if k >= at { k + 1 } else { k });
        let list = &mut self.categories[category].sheets;
        let pos = list.partition_point(|&j| j < at);
        list.insert(pos, at);
        (sheet.prev, sheet.next) = (pos.checked_sub(1).map(|p| list[p]), list.get(pos + 1).copied());
        if let Some(a) = action {
            let list = &mut self.actions[a].sheets;
            list.insert(list.partition_point(|&j| j < at), at);
        }
        let (prev, next) = (sheet.prev, sheet.next);
        self.sheet_by_id.insert(sheet.id.clone(), at);
        self.pages.insert(sheet.source.clone(), sheet.url.clone());
        self.sheets.insert(at, sheet);
        if let Some(p) = prev {
            self.sheets[p].next = Some(at);
        }
        if let Some(n) = next {
            self.sheets[n].prev = Some(at);
        }
        Some(at)
    }

    /// Takes out the sheet of `source` that went, as `build` would leave
    /// it out, and returns its index and record (its `prev` and `next` are
    /// indices of the site after). `None`, the site untouched, as for
    /// `insert_sheet`, and when sessions or paths cite it or its category
    /// would go with it.
    pub fn remove_sheet(&mut self, source: &str) -> Option<(usize, Sheet)> {
        if !self.same_rules() {
            return None;
        }
        let at = self.sheets.iter().position(|s| s.source == source)?;
        let s = &self.sheets[at];
        let c = &self.categories[s.category];
        if !s.sessions.is_empty()
            || !s.paths.is_empty()
            || (c.sheets.len() < 2 && c.source.is_none())
            || s.source != format!("content/fiches/{}.md", s.id)
        {
            return None;
        }
        let (category, action, prev, next) = (s.category, s.action, s.prev, s.next);
        self.categories[category].sheets.retain(|&j| j != at);
        if let Some(a) = action {
            self.actions[a].sheets.retain(|&j| j != at);
        }
        if let Some(p) = prev {
            self.sheets[p].next = next;
        }
        if let Some(n) = next {
            self.sheets[n].prev = prev;
        }
        let mut gone = self.sheets.remove(at);
        self.shift(|k| if k > at { k - 1 } else { k });
        (gone.prev, gone.next) = (prev, next.map(|n| n - 1));
        self.sheet_by_id.remove(&gone.id);
        self.pages.remove(&gone.source);
        Some((at, gone))
    }

    /// Whether a new model would be built with the same rules: no pool,
    /// the same day.
    fn same_rules(&self) -> bool {
        self.config.pool.is_empty() && self.today == Date::today()
    }

    /// Moves every sheet index by `f`.
    fn shift(&mut self, f: impl Fn(usize) -> usize) {
        let lists = self.categories.iter_mut().map(|c| &mut c.sheets);
        let lists = lists.chain(self.actions.iter_mut().map(|a| &mut a.sheets));
        let lists = lists.chain(self.sessions.iter_mut().map(|s| &mut s.fiches));
        for list in lists.chain(self.paths.iter_mut().map(|p| &mut p.fiches)) {
            list.iter_mut().for_each(|k| *k = f(*k));
        }
        for s in &mut self.sheets {
            s.prev = s.prev.map(&f);
            s.next = s.next.map(&f);
        }
        self.sheet_by_id.values_mut().for_each(|k| *k = f(*k));
    }

    /// Applies a sheet's new front matter and body as `build` would; the
    /// sheet keeps its place (`Change::Patch`).
    pub fn patch_sheet(&mut self, i: usize, n: load::RawSheet) {
        let (updated, from) = updated_date(&self.root, &n, self.sheets[i].last_change);
        let validation = validation_of(&n);
        let s = &mut self.sheets[i];
        s.title = n.meta.title;
        s.summary = n.meta.summary;
        s.tags = n.meta.tags;
        s.audience = n.meta.audience;
        s.updated = updated;
        s.updated_from = from;
        s.updated_line = n.updated_line;
        s.validation = validation;
        s.body = n.body;
        s.body_line = n.body_line;
    }
}

/// The first year a date of the site may have: before it, a date is a
/// slip (`0025` for `2025`, `0001-01-01`), and the page, the feed, the
/// calendar and the follow-up would all use it as written (a sheet
/// « stale » for 740,318 days).
pub const FIRST_YEAR: i32 = 1990;

/// Whether a date of a front matter is too old for anyone to have meant it.
pub fn before_first_year(date: Date) -> bool {
    date.year() < FIRST_YEAR
}

/// Whether `date` is more than `months` after `today`.
fn months_ahead(date: Date, today: Date, months: u32) -> bool {
    date.0
        > today
            .0
            .checked_add_months(chrono::Months::new(months))
            .unwrap_or(today.0)
}

/// The implausible dates of one sheet (`updated`, `validation.on`): found
/// by `build` as it makes each sheet's record, while the record is at hand
/// (a pass of their own over the 50,000 records had 9 times the cache
/// misses of 10,000 sheets).
fn sheet_date_problems(s: &Sheet, today: Date, strings: &crate::i18n::Strings, out: &mut Diagnostics) {
    let long = |d: Date| strings.long_date(d);
    let at = |d: Diagnostic, line: Option<usize>| match line {
        Some(l) => d.at(l, None),
        None => d,
    };
    if let (Some(u), DateSource::FrontMatter) = (s.updated, s.updated_from) {
        let line = || s.updated_line;
        if before_first_year(u) {
            let d = Diagnostic::error("date-implausible", &s.source, too_old("updated", u))
                .hint(format!("la date de la dernière relecture, l'année sur quatre chiffres (`updated = {today}`), ou pas de `updated` : la date du dernier commit est prise"));
            out.push(at(d, line()));
        } else if u.days_until(today) < -1 && s.origin.is_none() {
            // A day of margin, for a build in another time zone than
            // its author. A pool's sheets are its own repository's to
            // fix, where the same check runs.
            let d = Diagnostic::warning(
                "updated-in-future",
                &s.source,
                format!("`updated` est dans le futur : {} (aujourd'hui : {})", long(u), long(today)),
            )
            .hint("mettez la date de la dernière relecture (AAAA-MM-JJ), ou retirez `updated` pour prendre celle du dernier commit");
            out.push(at(d, line()));
        }
    }
    let Some(v) = &s.validation else { return };
    let line = (v.line > 0).then_some(v.line);
    if before_first_year(v.on) {
        let d = Diagnostic::error("date-implausible", &s.source, too_old("on", v.on))
            .hint("la date où la collectivité a validé la fiche, l'année sur quatre chiffres (`on = 2025-09-12`)");
        out.push(at(d, line));
    } else if months_ahead(v.on, today, 12) {
        let d = Diagnostic::warning(
            "date-implausible",
            &s.source,
            format!("date invraisemblable : `on = {}` est plus d'un an après aujourd'hui ({today}) : une validation a eu lieu", v.on),
        )
        .hint("la date où la collectivité a validé la fiche, l'année sur quatre chiffres (`on = 2025-09-12`)");
        out.push(at(d, line));
    }
}

fn too_old(key: &str, date: Date) -> String {
    format!("date invraisemblable : `{key} = {date}` est avant {FIRST_YEAR} (souvent une année mal tapée, `0025` pour `2025`)")
}

/// Dates of the front matters that nobody meant, each at its line, said by
/// `build` and `check` alike (dates from git or the file's time are not the
/// author's to fix):
/// - before 1990 (`updated`, `[validation] on`, a session's `date`): an
///   error, since the page shows it and the feed, the calendar and the
///   follow-up are ordered by it;
/// - `updated` after today (`updated-in-future`, a warning, said by
///   `check` only until session 21), `on` more than a year ahead, a
///   session more than two years ahead (sessions are planned: a school
///   lists next year's): warnings, a typo most often (`2052`, `2205`);
/// - a session's `end` without `time`, or not after it: an error.
pub fn date_problems(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let today = site.today;
    let at = |d: Diagnostic, line: Option<usize>| match line {
        Some(l) => d.at(l, None),
        None => d,
    };
    // The sheets' dates are `build`'s (`sheet_date_problems`).
    if let Some(audit) = site.config.accessibility.as_ref().and_then(|a| a.audited_on) {
        // `book.toml`'s line of `audited-on` (the model keeps no position).
        let line = std::fs::read_to_string(site.root.join("book.toml")).ok().and_then(|t| {
            t.lines().position(|l| {
                l.trim_start()
                    .strip_prefix("audited-on")
                    .is_some_and(|r| r.trim_start().starts_with('='))
            })
        });
        let line = line.map(|i| i + 1);
        let hint = "la date de l'audit d'accessibilité, l'année sur quatre chiffres (`audited-on = 2025-05-20`), ou pas de `audited-on` tant qu'il n'a pas eu lieu";
        if before_first_year(audit) {
            let d = Diagnostic::error("date-implausible", "book.toml", too_old("audited-on", audit)).hint(hint);
            out.push(at(d, line));
        } else if audit.days_until(today) < -1 {
            let d = Diagnostic::warning(
                "date-implausible",
                "book.toml",
                format!("date invraisemblable : `audited-on = {audit}` est après aujourd'hui ({today}) : la page d'accessibilité dirait l'audit fait"),
            )
            .hint(hint);
            out.push(at(d, line));
        }
    }
    // A header read leniently: its `date`, `time` or `end` may be the line
    // left out, and its error is reported already.
    for s in site.sessions.iter().filter(|s| !s.header_error) {
        // A session's `end`: with a `time`, and after it (a calendar app
        // refuses an event that ends before it starts).
        if let Some(end) = &s.end {
            let line = crate::followup::front_matter_line(site, &s.source, "end");
            let parse = |t: &str| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
            match s.time.as_deref() {
                None => out.push(at(
                    Diagnostic::error(
                        "invalid-time",
                        &s.source,
                        format!("`end = \"{end}\"` sans `time` : une séance sans heure de début dure toute la journée"),
                    )
                    .hint("ajoutez l'heure de début (`time = \"12:30\"`), ou retirez `end`"),
                    line,
                )),
                Some(time) if parse(end) <= parse(time) => out.push(at(
                    Diagnostic::error(
                        "invalid-time",
                        &s.source,
                        format!("`end = \"{end}\"` n'est pas après le début de la séance (`time = \"{time}\"`)"),
                    )
                    .hint("`end` est l'heure de fin, le même jour, sur 24 heures (`end = \"13:30\"`)"),
                    line,
                )),
                Some(_) => {}
            }
        }
        let line = || crate::followup::front_matter_line(site, &s.source, "date");
        let hint = "la date de la séance, l'année sur quatre chiffres (`date = 2025-11-14`)";
        if before_first_year(s.date) {
            out.push(at(
                Diagnostic::error("date-implausible", &s.source, too_old("date", s.date)).hint(hint),
                line(),
            ));
        } else if months_ahead(s.date, today, 24) {
            let d = Diagnostic::warning(
                "date-implausible",
                &s.source,
                format!(
                    "date invraisemblable : `date = {}` est plus de deux ans après aujourd'hui ({today})",
                    s.date
                ),
            )
            .hint(format!(
                "{hint} ; une séance prévue si loin peut attendre en brouillon (`draft = true`)"
            ));
            out.push(at(d, line()));
        }
    }
    out
}

#[cfg(test)]
mod tests;
