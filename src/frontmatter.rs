//! Front matter: the TOML block between two `+++` lines at the top of every
//! Markdown file, and the fields each kind of page accepts.

use crate::date::Date;
use crate::diagnostics::{line_col, Diagnostic};
use crate::tomlerr;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use toml::Spanned;

/// A Markdown file cut into its front matter and body, with line numbers
/// kept so that every later message can point into the file.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    pub front: &'a str,
    /// Number of file lines before `front` starts (the `+++` line).
    pub front_offset: usize,
    /// 1-based line of the closing `+++`.
    pub close_line: usize,
    pub body: &'a str,
    /// 1-based file line where `body` starts.
    pub body_line: usize,
}

/// Splits a Markdown file into its `+++` front matter and its body.
pub fn split<'a>(text: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Diagnostic::error(
            "empty-file",
            file,
            "fichier vide : il manque l'en-tête `+++` avec au moins un `title`",
        )
        .at(1, None)
        .hint("commencez le fichier par `+++`, une ligne `title = \"…\"`, puis `+++`"));
    }
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() == "---" {
        // Hugo, Jekyll, MkDocs and Obsidian write YAML between `---` lines.
        return Err(Diagnostic::error(
            "front-matter-missing",
            file,
            "l'en-tête est en YAML (entre deux lignes `---`) : fiches lit un en-tête TOML, entre deux lignes `+++`",
        )
        .at(1, Some(1))
        .hint("remplacez les deux lignes `---` par `+++` et écrivez les champs en TOML : `title: Wi-Fi` devient `title = \"Wi-Fi\"`, `tags: [wifi, réseau]` devient `tags = [\"wifi\", \"réseau\"]`"));
    }
    if first.trim_end() != "+++" {
        return Err(Diagnostic::error(
            "front-matter-missing",
            file,
            "le fichier ne commence pas par un en-tête `+++` (front matter TOML)",
        )
        .at(1, Some(1))
        .hint("ajoutez en première ligne `+++`, les champs (`title = \"…\"`), puis une ligne `+++`"));
    }
    let front_start = first.len() + usize::from(text[first.len()..].starts_with("\r\n")) + 1;
    let front_start = front_start.min(text.len());
    let mut pos = front_start;
    for (i, l) in text[front_start..].split_inclusive('\n').enumerate() {
        let line = i + 2;
        if l.trim_end() == "+++" {
            let body_start = pos + l.len();
            return Ok(Split {
                front: &text[front_start..pos],
                front_offset: 1,
                close_line: line,
                body: &text[body_start.min(text.len())..],
                body_line: line + 1,
            });
        }
        pos += l.len();
    }
    // Opened as TOML, closed as YAML (`---`, a Hugo or Jekyll habit): the
    // line to change, rather than « add a `+++` » somewhere.
    // Only after lines that read as fields: a `---` after a heading is a
    // rule of the body, and the front matter was closed nowhere.
    let yaml_close = text[front_start..]
        .lines()
        .take_while(|l| {
            let l = l.trim();
            l == "---" || l.is_empty() || l.contains('=') || l.starts_with('[')
        })
        .position(|l| l.trim_end() == "---")
        .map(|i| i + 2);
    let hint = match yaml_close {
        Some(l) => format!("la ligne {l} est `---`, qui ferme un en-tête YAML : un en-tête ouvert par `+++` se ferme par `+++`, remplacez-la"),
        None => "ajoutez une ligne `+++` après le dernier champ de l'en-tête, avant le texte de la fiche".into(),
    };
    Err(Diagnostic::error(
        "front-matter-unclosed",
        file,
        "l'en-tête ouvert par `+++` à la ligne 1 n'est jamais fermé",
    )
    .at(1, Some(1))
    .hint(hint))
}

/// Splits a category's `_index.md`, whose front matter is optional (the
/// contract makes every field of a category optional): a file of
/// Markdown only, or an empty one, is all body. A file whose first
/// written line is `+++` or `---` still goes through `split`, so that an
/// unclosed or YAML front matter is reported, never published as text.
pub fn split_optional<'a>(text: &'a str, file: &str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    if first == "+++" || first == "---" {
        return split(text, file);
    }
    Ok(Split {
        front: "",
        front_offset: 0,
        close_line: 0,
        body: text,
        body_line: 1,
    })
}

/// Parses the front matter of `split` into `T`, reporting errors at their
/// line in the file.
pub fn parse<T: DeserializeOwned>(split: &Split, file: &str) -> Result<T, Diagnostic> {
    toml::from_str::<T>(split.front).map_err(|e| diagnostic::<T>(&e, split, file, split.front))
}

/// `parse`, with every error of the front matter rather than the first
/// (`tomlerr::more_errors`): a misspelt key and a wrong value on another
/// line are reported in one run.
pub fn parse_all<T: DeserializeOwned>(split: &Split, file: &str) -> Result<T, Vec<Diagnostic>> {
    let e = match toml::from_str::<T>(split.front) {
        Ok(m) => return Ok(m),
        Err(e) => e,
    };
    let first = diagnostic::<T>(&e, split, file, split.front);
    let more = tomlerr::more_errors::<T>(split.front, &e, &first, |e, text| diagnostic::<T>(e, split, file, text));
    Err(std::iter::once(first).chain(more).collect())
}

/// An error of `text`, the front matter of `split` (or it with lines
/// blanked), at its line in the file.
fn diagnostic<T: DeserializeOwned>(e: &toml::de::Error, split: &Split, file: &str, text: &str) -> Diagnostic {
    let mut d = tomlerr::to_diagnostic(e, file, text, split.front_offset, "l'en-tête");
    if d.code == "missing-field" {
        d = d.lines(1, split.close_line);
    }
    if d.code == "unknown-key" {
        if let Some(h) = key_under_table::<T>(e, text, split.front_offset) {
            d.hint = Some(h);
        }
    }
    d
}

/// `[validation]` written in the middle of the front matter: in TOML every
/// line after a `[table]` line belongs to the table, so the sheet's next
/// fields (`audience`, `weight`) are « unknown » to `[validation]`. When the
/// key refused is a field of the page itself, say so and where the table
/// goes; a key misspelt inside the table keeps its suggestion.
fn key_under_table<T: DeserializeOwned>(e: &toml::de::Error, front: &str, front_offset: usize) -> Option<String> {
    let key = e.message().strip_prefix("unknown field `")?.split('`').next()?;
    let at = e.span()?.start;
    let before = front.get(..at)?;
    let (index, table) = before
        .lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let name = l.split('#').next()?.trim().strip_prefix('[')?.strip_suffix(']')?;
            (!name.starts_with('[')).then(|| (i, name.trim()))
        })
        .last()?;
    // The page's own fields, as serde lists them for a key it does not know.
    let probe = toml::from_str::<T>("fiches-sonde = 0").err()?;
    let fields = probe.message().strip_prefix("unknown field `fiches-sonde`")?;
    if !fields.split('`').skip(1).step_by(2).any(|f| f == key) {
        return None;
    }
    Some(format!(
        "`{key}` est écrit après la ligne `[{table}]` (ligne {}) : en TOML, tout ce qui suit cette ligne appartient à `[{table}]` ; écrivez `{key}` avant `[{table}]`, qui se place à la fin de l'en-tête",
        index + 1 + front_offset
    ))
}

/// At most this many lines left out by `parse_leniently`.
const LENIENT_MAX: usize = 64;

/// A page's front matter read leniently, once its error is reported, so
/// that the rest of the page is still checked in the same run (its body's
/// links and images, a sheet's `action`, the sheets a session or a path
/// cites): every line TOML or the page's fields refuse is left out, one
/// after the other, a key fiches does not know is ignored and a missing
/// field takes an empty value. Lines are blanked, never removed, so that
/// the values kept are found at their line in the file.
pub fn parse_leniently<M: Lenient>(split: &Split) -> M {
    let mut text = split.front.as_bytes().to_vec();
    // One parse a line left out: capped, or a hostile front matter of
    // 60,000 wrong lines took 20 s (quadratic); past it, the page is read
    // as if it had none.
    for _ in 0..=split.front.lines().count().min(LENIENT_MAX) {
        let Ok(front) = std::str::from_utf8(&text) else {
            break;
        };
        let err = match toml::from_str::<M::Loose>(front) {
            Ok(m) => return m.into(),
            Err(e) => e,
        };
        let Some(at) = err.span().map(|s| s.start) else {
            break;
        };
        if !tomlerr::blank_line(&mut text, at) {
            break;
        }
    }
    M::Loose::default().into()
}

/// A page's fields, and the same fields as `parse_leniently` reads them:
/// none required, no key refused (serde has no switch for either, hence a
/// second struct per kind).
pub trait Lenient: Sized {
    type Loose: DeserializeOwned + Default + Into<Self>;
}

impl Lenient for SheetMeta {
    type Loose = LenientSheetMeta;
}

impl Lenient for SessionMeta {
    type Loose = LenientSessionMeta;
}

impl Lenient for PathMeta {
    type Loose = LenientPathMeta;
}

impl Lenient for CategoryMeta {
    type Loose = LenientCategoryMeta;
}

/// `SheetMeta` as `parse_leniently` reads it.
#[derive(Default, Deserialize)]
pub struct LenientSheetMeta {
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    audience: Vec<Audience>,
    action: Option<Spanned<String>>,
    updated: Option<Date>,
    weight: Option<i64>,
    #[serde(default)]
    draft: bool,
    validation: Option<Validation>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
}

impl From<LenientSheetMeta> for SheetMeta {
    fn from(m: LenientSheetMeta) -> Self {
        SheetMeta {
            title: m.title,
            summary: m.summary,
            tags: m.tags,
            audience: m.audience,
            action: m.action,
            updated: m.updated,
            weight: m.weight,
            draft: m.draft,
            validation: m.validation,
            aliases: m.aliases,
        }
    }
}

/// `SessionMeta` as `parse_leniently` reads it.
#[derive(Default, Deserialize)]
pub struct LenientSessionMeta {
    #[serde(default)]
    title: String,
    date: Option<Date>,
    #[serde(default, deserialize_with = "crate::validate::opt_time")]
    time: Option<String>,
    #[serde(default, deserialize_with = "crate::validate::opt_time")]
    end: Option<String>,
    location: Option<String>,
    #[serde(default)]
    presenters: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    fiches: Vec<Spanned<String>>,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    draft: bool,
}

impl From<LenientSessionMeta> for SessionMeta {
    fn from(m: LenientSessionMeta) -> Self {
        SessionMeta {
            title: m.title,
            // No date to fall back on: the session's dates are not checked
            // while its header has an error (`RawSession::header_error`).
            date: m.date.unwrap_or(Date(chrono::NaiveDate::MIN)),
            time: m.time,
            end: m.end,
            location: m.location,
            presenters: m.presenters,
            tags: m.tags,
            fiches: m.fiches,
            summary: m.summary,
            draft: m.draft,
        }
    }
}

/// `PathMeta` as `parse_leniently` reads it.
#[derive(Default, Deserialize)]
pub struct LenientPathMeta {
    #[serde(default)]
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    fiches: Vec<Spanned<String>>,
    weight: Option<i64>,
    #[serde(default)]
    audience: Vec<Audience>,
    #[serde(default)]
    draft: bool,
}

impl From<LenientPathMeta> for PathMeta {
    fn from(m: LenientPathMeta) -> Self {
        PathMeta {
            title: m.title,
            summary: m.summary,
            fiches: m.fiches,
            weight: m.weight,
            audience: m.audience,
            draft: m.draft,
        }
    }
}

/// `CategoryMeta` as `parse_leniently` reads it.
#[derive(Default, Deserialize)]
pub struct LenientCategoryMeta {
    title: Option<String>,
    #[serde(default)]
    description: String,
    weight: Option<i64>,
    offline: Option<bool>,
    booklet: Option<bool>,
}

impl From<LenientCategoryMeta> for CategoryMeta {
    fn from(m: LenientCategoryMeta) -> Self {
        CategoryMeta {
            // An empty title is the error: the folder's name stands in.
            title: m.title.filter(|t| !t.trim().is_empty()),
            description: m.description,
            weight: m.weight,
            offline: m.offline,
            booklet: m.booklet,
        }
    }
}

/// A `title = ""` (or blanks): the page would have an empty heading, and
/// its links in the lists, the menu and the search results no text at
/// all (a link a screen reader announces as nothing). Reported at the
/// `title` line, as `missing-field` when there is no `title` at all.
pub fn check_title(split: &Split, file: &str, title: &str) -> Result<(), Diagnostic> {
    if !title.trim().is_empty() {
        return Ok(());
    }
    let line = split
        .front
        .lines()
        .position(|l| {
            l.trim_start()
                .strip_prefix("title")
                .is_some_and(|r| r.trim_start().starts_with('='))
        })
        .map(|i| i + 1 + split.front_offset);
    let d = Diagnostic::error(
        "empty-title",
        file,
        "le titre (`title`) est vide : la page n'aurait pas de titre, ni ses liens de texte",
    )
    .hint("écrivez ce que la page permet de faire, par exemple `title = \"Se connecter au Wi-Fi\"`");
    Err(match line {
        Some(l) => d.at(l, None),
        None => d,
    })
}

/// File line of a spanned value inside the front matter.
pub fn line_of<T>(split: &Split, v: &Spanned<T>) -> usize {
    line_col(split.front, v.span().start).0 + split.front_offset
}

/// Who a sheet or path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Enseignant,
    Eleve,
    Referent,
    Direction,
    Collectivite,
}

impl Audience {
    /// The value as written in front matter (`enseignant`).
    pub fn as_str(&self) -> &'static str {
        match self {
            Audience::Enseignant => "enseignant",
            Audience::Eleve => "eleve",
            Audience::Referent => "referent",
            Audience::Direction => "direction",
            Audience::Collectivite => "collectivite",
        }
    }
}

/// Front matter of a sheet (`content/fiches/**.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetMeta {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub audience: Vec<Audience>,
    pub action: Option<Spanned<String>>,
    pub updated: Option<Date>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    pub validation: Option<Validation>,
    /// Ids the sheet had before a rename or a move: each old address gets
    /// a redirect page, so that printed QR codes and bookmarks still work.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

/// `[validation]`: who validated the sheet, and when.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    pub by: String,
    pub on: Spanned<Date>,
}

/// Front matter of an Apéro'TICE session.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionMeta {
    pub title: String,
    pub date: Date,
    #[serde(default, deserialize_with = "crate::validate::opt_time")]
    pub time: Option<String>,
    /// When the session ends (`HH:MM`, with `time`); without it a calendar
    /// shows it an hour long.
    #[serde(default, deserialize_with = "crate::validate::opt_time")]
    pub end: Option<String>,
    pub location: Option<String>,
    #[serde(default)]
    pub presenters: Vec<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub fiches: Vec<Spanned<String>>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub draft: bool,
}

/// Front matter of a training path.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathMeta {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub fiches: Vec<Spanned<String>>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub audience: Vec<Audience>,
    #[serde(default)]
    pub draft: bool,
}

/// Front matter of a category (`_index.md`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryMeta {
    /// Optional, as every field of a category: without it the folder's
    /// name is the title, as for a folder without `_index.md`.
    pub title: Option<String>,
    #[serde(default)]
    pub description: String,
    pub weight: Option<i64>,
    /// Keep the category's sheets on the phone after the first visit;
    /// subcategories inherit it unless they say `offline = false`.
    pub offline: Option<bool>,
    /// Build the category's printable booklet (all its sheets on one page);
    /// subcategories inherit it unless they say `booklet = false`.
    pub booklet: Option<bool>,
}

/// `content/actions.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionsFile {
    #[serde(default)]
    pub action: Vec<ActionDef>,
}

/// One allowed action of `content/actions.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionDef {
    pub id: Spanned<String>,
    pub title: String,
    pub who: Vec<Audience>,
    #[serde(default)]
    pub conditions: String,
    #[serde(default)]
    pub reference: String,
}

#[cfg(test)]
mod tests;
