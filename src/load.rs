//! Load stage: reads the content repository from disk (files, encodings,
//! front matter, actions.toml) into raw records with their source lines.
//! Nothing is resolved here; `model` links the records together.

use crate::config::Config;
use crate::date::Date;
use crate::diagnostics::{line_col, rel_string, Diagnostic, Diagnostics};
use crate::frontmatter::{self, ActionsFile, Audience, CategoryMeta, Lenient, PathMeta, SessionMeta, SheetMeta};
use crate::markdown::nfc;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub const CONTENT: &str = "content";
pub const SHEETS_DIR: &str = "fiches";
pub const SESSIONS_DIR: &str = "apero-tice";
pub const PATHS_DIR: &str = "parcours";
pub const ACTIONS_FILE: &str = "actions.toml";

/// A Markdown body, shared by the loaded content and the model built
/// from it (`serve` keeps both: one copy of the text, and a copy of the
/// content that copies no text).
pub type Text = std::sync::Arc<str>;

#[derive(Debug, Clone)]
pub struct RawSheet {
    /// Path under `content/fiches/` without `.md`, e.g. `wifi/compte-invite`,
    /// with its accents composed (NFC), as people type the ids that
    /// sessions and paths cite, whatever form the file's name has on disk
    /// (macOS writes decomposed ones).
    pub id: String,
    /// File path relative to the site root.
    pub source: String,
    pub meta: SheetMeta,
    pub action_line: Option<usize>,
    pub validation_line: Option<usize>,
    /// Line of `updated = …` in the file, when the front matter gives it:
    /// the follow-up points there (found here, from the text read once,
    /// where it read every stale sheet's file again: 37,000 files at
    /// 50,000 sheets, on one core at the start of the pages job).
    pub updated_line: Option<usize>,
    /// `aliases`, each with its line in the file.
    pub aliases: Vec<(String, usize)>,
    pub body: Text,
    pub body_line: usize,
    /// Its front matter has an error (reported once, by `load`) and was
    /// read leniently: the sheet is here only so that its body, links and
    /// action are checked in the same run; the build fails anyway.
    pub header_error: bool,
    /// Label of the pool the sheet comes from; `None` for the site's own.
    pub origin: Option<String>,
    pub origin_root: PathBuf,
}

#[derive(Debug, Clone)]
pub struct RawCategory {
    pub id: String,
    pub source: Option<String>,
    pub meta: Option<CategoryMeta>,
    pub body: Text,
    pub body_line: usize,
}

#[derive(Debug, Clone)]
pub struct RawSession {
    pub slug: String,
    pub source: String,
    pub meta: SessionMeta,
    /// Referenced sheet ids with the file line of each.
    pub fiches: Vec<(String, usize)>,
    pub body: Text,
    pub body_line: usize,
    /// Its front matter has an error and was read leniently (as
    /// `RawSheet::header_error`): its `date`, `time` and `end` may be the
    /// lines left out, and are not checked.
    pub header_error: bool,
}

#[derive(Debug, Clone)]
pub struct RawPath {
    pub slug: String,
    pub source: String,
    pub meta: PathMeta,
    pub fiches: Vec<(String, usize)>,
    pub body: Text,
    pub body_line: usize,
    /// Its front matter has an error and was read leniently (as
    /// `RawSheet::header_error`): its `fiches` may be the line left out.
    pub header_error: bool,
}

#[derive(Debug, Clone)]
pub struct ActionDef {
    pub id: String,
    pub title: String,
    pub who: Vec<Audience>,
    pub conditions: String,
    pub reference: String,
    pub source: String,
    pub line: usize,
    pub origin: Option<String>,
}

#[derive(Debug, Default, Clone)]
pub struct Content {
    pub sheets: Vec<RawSheet>,
    pub categories: Vec<RawCategory>,
    pub sessions: Vec<RawSession>,
    pub paths: Vec<RawPath>,
    pub actions: Vec<ActionDef>,
    /// Markdown files of the site (relative paths), for link resolution.
    pub files: Vec<String>,
    /// Markdown files that exist but could not be loaded (each has its own
    /// error): links to them are not reported again as broken.
    pub failed: Vec<String>,
    /// An `actions.toml` (the site's or a pool's) could not be read: it has
    /// its own error, and sheets' `action` are not reported as unknown,
    /// since the action may be one of those it holds.
    pub actions_failed: bool,
}

struct SourceRoot {
    dir: PathBuf,
    /// Where its files may really lie (links resolved).
    fence: crate::fence::Fence,
    /// Prefix of paths shown to users, relative to the site root.
    shown: PathBuf,
    origin: Option<String>,
}

fn site_root(root: &Path) -> SourceRoot {
    SourceRoot {
        dir: root.to_path_buf(),
        fence: crate::fence::Fence::site(root),
        shown: PathBuf::new(),
        origin: None,
    }
}

/// A pool's content root; its sheets are labelled with the pool's `label`,
/// else its path.
fn pool_root(root: &Path, p: &crate::config::Pool) -> SourceRoot {
    let dir = root.join(&p.path);
    SourceRoot {
        fence: crate::fence::Fence::pool(&dir, &p.path),
        dir,
        shown: p.path.clone(),
        origin: Some(p.label.clone().unwrap_or_else(|| rel_string(&p.path))),
    }
}

/// The content root that holds `source` (a path from the site root, as
/// `load` shows it): the pool it is under, else the site.
fn root_of(root: &Path, config: &Config, source: &str) -> SourceRoot {
    config
        .pool
        .iter()
        .rev()
        .find(|p| source.starts_with(&format!("{}/", rel_string(&p.path))))
        .map(|p| pool_root(root, p))
        .unwrap_or_else(|| site_root(root))
}

/// Where the file `source` (from the site root) may really lie: in its pool
/// when it is under one, else in the site.
pub fn fence_for(root: &Path, config: &Config, source: &str) -> crate::fence::Fence {
    root_of(root, config, source).fence
}

/// Reads and parses one Markdown file of the site or of a pool, named as
/// `load` names it (`commun/content/fiches/x.md`), exactly as `load` does:
/// same pool label, same fence (a file replaced by a link that leads out
/// is refused). `serve` runs it for the file that changed.
/// On an error, every error of its front matter, as `load` reports them.
pub fn parse_source(root: &Path, config: &Config, source: &str) -> Result<Parsed, Vec<Diagnostic>> {
    let r = root_of(root, config, source);
    let rel = Path::new(source).strip_prefix(&r.shown).unwrap_or(Path::new(source));
    let path = r.dir.join(rel);
    if r.fence.check(&path).is_err() {
        return Err(vec![r.fence.outside(&path, source)]);
    }
    parse_file(&r.dir, rel, &r.shown, r.origin)
}

/// Reads all content of the site and of its pools. Problems are collected,
/// not fatal, so that one run reports them all.
pub fn load(root: &Path, config: &Config, diags: &mut Diagnostics) -> Content {
    let mut roots = vec![site_root(root)];
    for p in &config.pool {
        let dir = root.join(&p.path);
        if !dir.join(CONTENT).is_dir() {
            diags.push(
                Diagnostic::error(
                    "pool-missing",
                    crate::config::CONFIG_FILE,
                    format!(
                        "le dossier mutualisé `{}` n'existe pas ou n'a pas de dossier `content/`",
                        p.path.display()
                    ),
                )
                .hint(
                    "vérifiez `[[pool]] path` ; s'il s'agit d'un sous-module git, lancez `git submodule update --init`",
                ),
            );
            continue;
        }
        roots.push(pool_root(root, p));
    }
    let mut content = Content::default();
    // Pools are loaded first so that the site's own sheets override them.
    for r in roots.iter().rev() {
        load_root(r, &mut content, diags);
    }
    content
}

fn load_root(r: &SourceRoot, content: &mut Content, diags: &mut Diagnostics) {
    let shown = |p: &Path| rel_string(&r.shown.join(p));
    let sheets_dir = r.dir.join(CONTENT).join(SHEETS_DIR);
    let mut md_files: Vec<PathBuf> = Vec::new();
    let mut category_dirs: Vec<PathBuf> = Vec::new();
    if sheets_dir.is_dir() {
        walk(r, &sheets_dir, &mut md_files, &mut category_dirs, diags);
    } else if r.origin.is_none() {
        diags.push(Diagnostic::warning(
            "no-sheets",
            "content/fiches",
            "le dossier `content/fiches/` est absent : le site n'a aucune fiche",
        ));
    }
    for sub in [SESSIONS_DIR, PATHS_DIR] {
        let d = r.dir.join(CONTENT).join(sub);
        if d.is_dir() {
            let mut ignored = Vec::new();
            let mut found = Vec::new();
            walk(r, &d, &mut found, &mut ignored, diags);
            // A section's introduction, as Zola writes it: read as a
            // session (« champ `date` manquant ») or published as a path
            // named `index`. Neither page has an introduction to take.
            for f in found {
                if f.file_name().is_some_and(|n| n == "_index.md") {
                    if r.origin.is_none() {
                        diags.push(section_index(&shown(&f), sub));
                    }
                } else {
                    md_files.push(f);
                }
            }
        }
    }
    if r.origin.is_none() {
        stray_content(r, diags);
    }
    md_files.sort();
    content.files.extend(md_files.iter().map(|p| shown(p)));

    let results: Vec<Result<Parsed, Failed>> = md_files
        .par_iter()
        .map(|rel| parse_file_partly(&r.dir, rel, &r.shown, r.origin.clone()))
        .collect();
    // Sheet positions by id: a scan per sheet made loading quadratic
    // (8.6 s at 50,000 sheets against 0.18 s at 10,000).
    let mut by_id: crate::model::FastMap<String, usize> = crate::model::fast_map(content.sheets.len() + results.len());
    by_id.extend(content.sheets.iter().enumerate().map(|(i, s)| (s.id.clone(), i)));
    for r in results {
        let r = match r {
            Ok(p) => Ok(p),
            // A page whose front matter alone is wrong: its error, and the
            // page read leniently, so that its body is checked too. Its
            // file stays among the failed ones (no `unknown-sheet` for a
            // session citing it should the lenient reading make it a draft).
            Err(Failed {
                error,
                partial: Some(p),
                also,
            }) => {
                content.failed.push(error.file.clone());
                diags.push(error);
                also.into_iter().for_each(|d| diags.push(d));
                Ok(p)
            }
            Err(Failed {
                error, partial: None, ..
            }) => Err(error),
        };
        match r {
            Ok(Parsed::Sheet(s)) => {
                // A local sheet overrides a pooled one with the same id.
                match by_id.entry(s.id.clone()) {
                    // Two files of one root with one id: their names differ
                    // only by the Unicode form of an accent (ids are NFC).
                    std::collections::hash_map::Entry::Occupied(e) if content.sheets[*e.get()].origin == s.origin => {
                        let first = &content.sheets[*e.get()].source;
                        diags.push(
                            Diagnostic::error(
                                "url-collision",
                                &s.source,
                                format!("`{}` et `{first}` portent le même nom, aux accents près (écrits de deux façons en Unicode) : ils seraient publiés à la même adresse", s.source),
                            )
                            .hint("renommez l'un des deux fichiers"),
                        );
                    }
                    std::collections::hash_map::Entry::Occupied(e) => content.sheets[*e.get()] = s,
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(content.sheets.len());
                        content.sheets.push(s);
                    }
                }
            }
            Ok(Parsed::Category(c)) => {
                content.categories.retain(|o| o.id != c.id);
                content.categories.push(c);
            }
            Ok(Parsed::Session(s)) => content.sessions.push(s),
            Ok(Parsed::Path(p)) => content.paths.push(p),
            Err(d) => {
                content.failed.push(d.file.clone());
                diags.push(d);
            }
        }
    }
    for dir in category_dirs {
        let id = nfc(&rel_string(
            dir.strip_prefix(Path::new(CONTENT).join(SHEETS_DIR)).unwrap_or(&dir),
        ));
        if !id.is_empty() && !content.categories.iter().any(|c| c.id == id) {
            content.categories.push(RawCategory {
                id,
                source: None,
                meta: None,
                body: Text::default(),
                body_line: 1,
            });
        }
    }
    load_actions(r, content, diags);
}

/// One Markdown file of the site, parsed according to its folder.
pub enum Parsed {
    Sheet(RawSheet),
    Category(RawCategory),
    Session(RawSession),
    Path(RawPath),
}

/// Reads and parses `rel`, a Markdown file under the content root `dir`
/// (the site's or a pool's, shown to users as `shown_root`). `load` runs it
/// for every file; `serve` for the one that changed.
pub fn parse_file(
    dir: &Path,
    rel: &Path,
    shown_root: &Path,
    origin: Option<String>,
) -> Result<Parsed, Vec<Diagnostic>> {
    parse_file_partly(dir, rel, shown_root, origin).map_err(|f| std::iter::once(f.error).chain(f.also).collect())
}

/// A file that did not load: its error, and for a page whose front matter
/// alone is wrong, the page read leniently (`frontmatter::parse_leniently`),
/// so that its body is checked in the same run.
pub struct Failed {
    pub error: Diagnostic,
    pub partial: Option<Parsed>,
    /// The header's other errors (`frontmatter::parse_all`).
    pub also: Vec<Diagnostic>,
}

impl Failed {
    fn header((error, also): HeaderErrors, partial: Parsed) -> Self {
        Failed {
            error,
            partial: Some(partial),
            also,
        }
    }
}

impl From<Diagnostic> for Failed {
    fn from(error: Diagnostic) -> Self {
        Failed {
            error,
            partial: None,
            also: Vec::new(),
        }
    }
}

/// A front matter's first error and the others.
type HeaderErrors = (Diagnostic, Vec<Diagnostic>);

/// `parse_file`, keeping what a page with a wrong front matter still has
/// to check (`load` does; `serve` keeps the last good text instead).
fn parse_file_partly(dir: &Path, rel: &Path, shown_root: &Path, origin: Option<String>) -> Result<Parsed, Failed> {
    let file = rel_string(&shown_root.join(rel));
    let text = crate::files::read_text(&dir.join(rel), &file)?;
    let under_content = rel.strip_prefix(CONTENT).unwrap_or(rel);
    let mut comps = under_content.components();
    let kind = comps
        .next()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .unwrap_or_default();
    let rest = comps.as_path().to_path_buf();
    let category = kind == SHEETS_DIR && rest.file_name().is_some_and(|n| n == "_index.md");
    let split = match category {
        true => frontmatter::split_optional(&text, &file)?,
        false => frontmatter::split(&text, &file).map_err(|d| readme_hint(d, rel))?,
    };
    let body = Text::from(split.body);
    let body_line = split.body_line;
    if kind == SHEETS_DIR {
        let rest_s = rel_string(&rest);
        if category {
            let (meta, header_error) = read_meta(&split, &file, |m: &CategoryMeta| m.title.as_deref());
            let id = nfc(&rel_string(rest.parent().unwrap_or(Path::new(""))));
            let category = RawCategory {
                id,
                source: Some(file),
                meta: Some(meta),
                body,
                body_line,
            };
            return page(Parsed::Category(category), header_error);
        }
        let (meta, header_error) = read_meta(&split, &file, |m: &SheetMeta| Some(&m.title));
        let action_line = meta.action.as_ref().map(|a| frontmatter::line_of(&split, a));
        let validation_line = meta.validation.as_ref().map(|v| frontmatter::line_of(&split, &v.on));
        let updated_line = meta.updated.and_then(|_| crate::followup::key_line(&text, "updated"));
        let id = nfc(rest_s.strip_suffix(".md").unwrap_or(&rest_s));
        let aliases = sheet_refs(&split, &meta.aliases);
        let sheet = RawSheet {
            header_error: header_error.is_some(),
            id,
            source: file,
            meta,
            action_line,
            validation_line,
            updated_line,
            aliases,
            body,
            body_line,
            origin,
            origin_root: shown_root.to_path_buf(),
        };
        page(Parsed::Sheet(sheet), header_error)
    } else {
        let slug = rest_s_stem(&rest);
        if kind == SESSIONS_DIR {
            let (meta, header_error) = read_meta(&split, &file, |m: &SessionMeta| Some(&m.title));
            let fiches = sheet_refs(&split, &meta.fiches);
            let session = RawSession {
                slug,
                source: file,
                meta,
                fiches,
                body,
                body_line,
                header_error: header_error.is_some(),
            };
            page(Parsed::Session(session), header_error)
        } else {
            let (meta, header_error) = read_meta(&split, &file, |m: &PathMeta| Some(&m.title));
            let fiches = sheet_refs(&split, &meta.fiches);
            let path = RawPath {
                slug,
                source: file,
                meta,
                fiches,
                body,
                body_line,
                header_error: header_error.is_some(),
            };
            page(Parsed::Path(path), header_error)
        }
    }
}

/// The front matter of `split` as `M`, its title (when it has one) checked;
/// on an error, the error and the front matter read leniently, the same
/// way for every kind of page.
fn read_meta<M: Lenient + serde::de::DeserializeOwned>(
    split: &frontmatter::Split,
    file: &str,
    title: impl Fn(&M) -> Option<&str>,
) -> (M, Option<HeaderErrors>) {
    let strict = frontmatter::parse_all::<M>(split, file).and_then(|m| match title(&m) {
        Some(t) => frontmatter::check_title(split, file, t)
            .map(|()| m)
            .map_err(|d| vec![d]),
        None => Ok(m),
    });
    match strict {
        Ok(m) => (m, None),
        Err(mut ds) => {
            let first = ds.remove(0);
            (frontmatter::parse_leniently(split), Some((first, ds)))
        }
    }
}

/// A page read: loaded, or failed on its header's error with the page read
/// leniently kept for the check.
fn page(parsed: Parsed, header_error: Option<HeaderErrors>) -> Result<Parsed, Failed> {
    match header_error {
        Some(e) => Err(Failed::header(e, parsed)),
        None => Ok(parsed),
    }
}

/// A forge's `README.md` in a folder of sheets (a note for contributors,
/// or the folder's presentation), read as a sheet without front matter:
/// the hint says where each belongs.
fn readme_hint(d: Diagnostic, rel: &Path) -> Diagnostic {
    let readme = rel
        .file_name()
        .is_some_and(|n| n.to_string_lossy().eq_ignore_ascii_case("readme.md"));
    match readme && d.code == "front-matter-missing" && rel.starts_with(Path::new(CONTENT).join(SHEETS_DIR)) {
        true => d.hint("un `README.md` de `content/fiches/` est lu comme une fiche : pour présenter la catégorie, renommez-le `_index.md` (sans en-tête, son texte devient l'introduction de la catégorie) ; pour une note aux contributeurs, placez-le hors de `content/`"),
        false => d,
    }
}

/// Sheet ids cited by a session or a path, each with its line in the file.
fn sheet_refs(split: &frontmatter::Split, ids: &[toml::Spanned<String>]) -> Vec<(String, usize)> {
    ids.iter()
        .map(|f| (nfc(f.get_ref()), frontmatter::line_of(split, f)))
        .collect()
}

fn rest_s_stem(rest: &Path) -> String {
    let s = rel_string(rest);
    s.strip_suffix(".md").unwrap_or(&s).to_string()
}

/// Collects `.md` files under `dir` (paths relative to `r.dir`) and its
/// folders. Symbolic links are followed while they stay inside the site
/// (or the pool); one that leads out, or back to one of its own ancestors,
/// is an error naming the link, never a file read or an endless walk.
fn walk(r: &SourceRoot, dir: &Path, files: &mut Vec<PathBuf>, dirs: &mut Vec<PathBuf>, diags: &mut Diagnostics) {
    let rel = |p: &Path| p.strip_prefix(&r.dir).unwrap_or(p).to_path_buf();
    let shown = |p: &Path| rel_string(&r.shown.join(rel(p)));
    let mut problems = Vec::new();
    for e in crate::fence::walk(dir, &r.fence, &shown, &mut problems) {
        if e.is_dir {
            if e.depth > 0 {
                dirs.push(rel(&e.path));
            }
        } else if e.is_file && e.path.extension().is_some_and(|x| x == "md") {
            files.push(rel(&e.path));
        } else if e.is_file && r.origin.is_none() {
            if let Some(d) = misnamed_markdown(&e.path, &shown(&e.path)) {
                diags.push(d);
            }
        }
    }
    diags.extend(problems);
}

/// Markdown (or TOML) that `content/` holds where fiches reads nothing:
/// `content/fiche/` or `content/Fiches/` (a typo: every sheet of it
/// missing from the site), `content/wifi.md` (a sheet out of any
/// category), `content/_index.md` (a home page text, as Zola reads it),
/// `content/action.toml`. Each was left out silently: a warning, at the
/// folder or file, with the name fiches reads when one is close. Folders
/// without Markdown (images linked from the sheets) are fine.
fn stray_content(r: &SourceRoot, diags: &mut Diagnostics) {
    let Ok(entries) = std::fs::read_dir(r.dir.join(CONTENT)) else {
        return;
    };
    let read = [SHEETS_DIR, SESSIONS_DIR, PATHS_DIR, ACTIONS_FILE];
    let mut stray: Vec<(String, bool)> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            if name.starts_with('.') || read.contains(&name.as_str()) {
                return None;
            }
            let path = e.path();
            let is_md = |p: &Path| {
                p.extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| x.eq_ignore_ascii_case("md") || x.eq_ignore_ascii_case("markdown"))
            };
            if path.is_dir() {
                let mut ignored = Vec::new();
                let has_md = crate::fence::walk(&path, &r.fence, &|p: &Path| rel_string(p), &mut ignored)
                    .iter()
                    .any(|w| w.is_file && is_md(&w.path));
                has_md.then_some((name, true))
            } else {
                let toml = path.extension().is_some_and(|x| x.eq_ignore_ascii_case("toml"));
                (is_md(&path) || toml).then_some((name, false))
            }
        })
        .collect();
    stray.sort();
    for (name, is_dir) in stray {
        let shown = format!("{CONTENT}/{name}");
        let lower = name.to_lowercase();
        let close = |names: &[&'static str]| crate::files::closest(&lower, names);
        let (message, hint) = if lower != name && read.contains(&lower.as_str()) {
            // `content/Fiches/`: read on Windows and macOS, whose disks
            // ignore case, and not by the forge's CI on Linux.
            (
                format!("`{shown}` s'écrit `content/{lower}`, en minuscules : Windows et macOS le lisent sous ce nom, un serveur Linux (l'intégration continue de la forge) non, et le site y serait publié sans son contenu"),
                format!("renommez-le `content/{lower}`"),
            )
        } else if is_dir {
            (
                format!("le dossier `{shown}/` n'est pas lu : ses fichiers Markdown ne sont pas publiés (fiches lit `content/fiches/`, `content/apero-tice/` et `content/parcours/`)"),
                match close(&[SHEETS_DIR, SESSIONS_DIR, PATHS_DIR]) {
                    Some(n) => format!("vouliez-vous dire `content/{n}/` ? Renommez le dossier"),
                    None => "une fiche va dans `content/fiches/<catégorie>/`, une séance dans `content/apero-tice/`, un parcours dans `content/parcours/` ; des notes pour les contributeurs vont hors de `content/`".to_string(),
                },
            )
        } else if lower.ends_with(".toml") {
            (
                format!("`{shown}` n'est pas lu : la liste des actions autorisées est `content/actions.toml`"),
                match close(&[ACTIONS_FILE]) {
                    Some(n) => format!("renommez-le `content/{n}`"),
                    None => "déplacez-le hors de `content/`, ou renommez-le `content/actions.toml` s'il liste les actions autorisées".into(),
                },
            )
        } else if lower == "readme.md" {
            (
                format!("`{shown}` n'est pas lu : ce n'est ni une fiche, ni une séance, ni un parcours"),
                "des notes pour les contributeurs vont hors de `content/`, à la racine du dépôt (`README.md`, `CONTRIBUTING.md`)".into(),
            )
        } else if lower == "_index.md" || lower == "index.md" {
            (
                format!("`{shown}` n'est pas lu : la page d'accueil est faite par fiches, avec `[book] title` et `description` de `book.toml`"),
                "mettez le texte d'accueil dans `description` de `book.toml`, ou l'introduction d'une catégorie dans `content/fiches/<catégorie>/_index.md`".into(),
            )
        } else {
            (
                format!("`{shown}` n'est pas lu : une fiche est rangée dans un dossier de `content/fiches/` (sa catégorie), une séance dans `content/apero-tice/`"),
                format!("déplacez-le, par exemple dans `content/fiches/<catégorie>/{name}`"),
            )
        };
        diags.push(Diagnostic::warning("content-ignored", shown, message).hint(hint));
    }
}

/// `content/apero-tice/_index.md`, `content/parcours/_index.md`: left out.
fn section_index(shown: &str, sub: &str) -> Diagnostic {
    let (what, page) = match sub {
        SESSIONS_DIR => ("une séance", "la page des Apéro'TICE"),
        _ => ("un parcours", "la page des parcours"),
    };
    Diagnostic::warning(
        "content-ignored",
        shown,
        format!(
            "`{shown}` n'est pas lu : ce n'est pas {what}, et {page} est faite par fiches, sans texte d'introduction"
        ),
    )
    .hint(format!(
        "supprimez-le, ou faites-en {what} en le renommant (`content/{sub}/nom.md`)"
    ))
}

/// `Procédure.MD`, `wifi.markdown`: written as a sheet but not read as one
/// (only `.md` is), so it would silently be missing from the site and
/// published as a raw text file instead. Warned about; pools are left to
/// their own repository's `check`, as other warnings about pooled files.
fn misnamed_markdown(path: &Path, shown: &str) -> Option<Diagnostic> {
    let ext = path.extension()?.to_str()?;
    if ext == "md" || !(ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown")) {
        return None;
    }
    let renamed = path.with_extension("md");
    let renamed = renamed.file_name()?.to_string_lossy();
    Some(
        Diagnostic::warning(
            "markdown-extension",
            shown,
            format!("`{shown}` n'est pas lu comme une page : fiches ne lit que les fichiers `.md`, en minuscules"),
        )
        .hint(format!("renommez-le en `{renamed}`")),
    )
}

fn load_actions(r: &SourceRoot, content: &mut Content, diags: &mut Diagnostics) {
    let rel = Path::new(CONTENT).join(ACTIONS_FILE);
    let path = r.dir.join(&rel);
    let file = rel_string(&r.shown.join(&rel));
    if !path.exists() {
        return;
    }
    if r.fence.check(&path).is_err() {
        return diags.push(r.fence.outside(&path, &file));
    }
    let text = match crate::files::read_text(&path, &file) {
        Ok(t) => t,
        Err(d) => {
            content.actions_failed = true;
            return diags.push(d);
        }
    };
    let parsed: ActionsFile = match toml::from_str(&text) {
        Ok(p) => p,
        Err(e) => {
            content.actions_failed = true;
            let what = "la liste des actions";
            let first = crate::tomlerr::to_diagnostic(&e, &file, &text, 0, what);
            let more = crate::tomlerr::more_errors::<ActionsFile>(&text, &e, &first, |e, t| {
                crate::tomlerr::to_diagnostic(e, &file, t, 0, what)
            });
            diags.push(first);
            return more.into_iter().for_each(|d| diags.push(d));
        }
    };
    let mut seen: Vec<(String, usize)> = Vec::new();
    for a in parsed.action {
        let line = line_col(&text, a.id.span().start).0;
        let id = a.id.get_ref().clone();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            diags.push(
                Diagnostic::error("action-invalid-id", &file, format!("identifiant d'action invalide `{id}`"))
                    .at(line, None)
                    .hint("un identifiant ne contient que des minuscules sans accent, des chiffres et des tirets (`wifi-invite`)"),
            );
        }
        if let Some((_, first)) = seen.iter().find(|(s, _)| *s == id) {
            diags.push(
                Diagnostic::error(
                    "action-duplicate-id",
                    &file,
                    format!("identifiant d'action `{id}` en double (déjà défini à la ligne {first})"),
                )
                .at(line, None)
                .hint("chaque action doit avoir un identifiant unique : renommez ou fusionnez les deux entrées"),
            );
            continue;
        }
        seen.push((id.clone(), line));
        let action = ActionDef {
            id,
            title: a.title,
            who: a.who,
            conditions: a.conditions,
            reference: a.reference,
            source: file.clone(),
            line,
            origin: r.origin.clone(),
        };
        // The site's own list overrides a pooled action with the same id.
        if let Some(pos) = content.actions.iter().position(|o| o.id == action.id) {
            content.actions[pos] = action;
        } else {
            content.actions.push(action);
        }
    }
}

/// Date of the newest change to `file` when the front matter gives none.
pub fn file_date(root: &Path, file: &str) -> Option<Date> {
    fiches_git::file_time(&root.join(file)).and_then(Date::from_unix)
}

#[cfg(test)]
mod tests;
