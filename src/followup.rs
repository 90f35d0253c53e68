//! The follow-up of the sheets for referents and the collectivity: actions
//! that no sheet documents, sheets to revalidate, stale sheets, drafts.
//! Shown on `suivi/index.html` and reported by `fiches check`, from the same
//! predicates so that the page and the report never disagree.

use crate::date::Date;
use crate::model::{DateSource, Sheet, Site};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, Default)]
pub struct Item {
    pub id: String,
    pub title: String,
    /// Source file, relative to the site root.
    pub file: String,
    pub line: Option<usize>,
    /// Page URL from the site root, when the page is published.
    pub url: Option<String>,
    /// Link to edit the file on the forge (`[site] edit-url`).
    pub edit_url: Option<String>,
    pub detail: String,
    /// Git contributors of the file, most commits first.
    pub authors: Vec<String>,
    /// Label of the pool the item comes from, `None` for the site's own.
    pub origin: Option<String>,
    /// For an action: drafts that document it, not yet published.
    pub drafts: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct FollowUp {
    pub undocumented_actions: Vec<Item>,
    pub to_revalidate: Vec<Item>,
    pub stale: Vec<Item>,
    pub drafts: Vec<Item>,
    pub stale_after_days: i64,
    /// Whether the git history is truncated (dates may be approximate).
    pub shallow_history: bool,
}

/// Why a sheet must be validated again: the collectivity validated it on
/// `validated_on`, and git says it changed on `changed`, later.
pub struct Revalidation {
    pub by: String,
    pub validated_on: Date,
    pub changed: Date,
}

/// A sheet changed in git after its `[validation] on` date. Only git dates
/// count: `updated` is what the author claims, file times are checkout
/// times. On a shallow clone, a sheet dated by the oldest commit available
/// is skipped: its real last change is unknown and probably older.
pub fn revalidation(site: &Site, sheet: &Sheet) -> Option<Revalidation> {
    let v = sheet.validation.as_ref()?;
    let changed = sheet.last_change?;
    if changed <= v.on || (site.history.is_shallow() && Some(changed) == shallow_boundary(site)) {
        return None;
    }
    Some(Revalidation {
        by: v.by.clone(),
        validated_on: v.on,
        changed,
    })
}

/// Days since the sheet's last update, when more than `[check]
/// stale-after-days` (0 or less turns the check off).
pub fn stale_age(site: &Site, sheet: &Sheet) -> Option<(Date, i64)> {
    let limit = site.config.check.stale_after_days;
    let updated = sheet.updated?;
    // A date nobody meant is `date-implausible`: no age of 740,318 days.
    if sheet.updated_from == DateSource::FrontMatter && crate::model::before_first_year(updated) {
        return None;
    }
    let age = updated.days_until(site.today);
    (limit > 0 && age > limit).then_some((updated, age))
}

/// Date of the oldest commit of a shallow clone: every file unchanged since
/// then carries it.
fn shallow_boundary(site: &Site) -> Option<Date> {
    site.history
        .iter()
        .filter_map(|(_, h)| h.last_change)
        .min()
        .and_then(Date::from_unix)
}

fn date_source(s: &Sheet, en: bool) -> &'static str {
    match (s.updated_from, en) {
        (DateSource::FrontMatter, false) => "d'après `updated`",
        (DateSource::Git, false) => "d'après git",
        (DateSource::FileTime, false) => "d'après la date du fichier",
        (DateSource::FrontMatter, true) => "from `updated`",
        (DateSource::Git, true) => "from git",
        (DateSource::FileTime, true) => "from the file's date",
    }
}

pub fn compute(site: &Site) -> FollowUp {
    let mut f = FollowUp {
        stale_after_days: site.config.check.stale_after_days,
        shallow_history: site.history.is_shallow(),
        ..Default::default()
    };
    let drafts: Vec<LeftOut> = site
        .drafts
        .iter()
        .map(|(id, file)| LeftOut {
            id,
            file,
            meta: draft_meta(site, file),
        })
        .collect();
    f.undocumented_actions = undocumented_actions(site, &drafts);
    // A sheet whose front matter has an error was read leniently (its
    // `updated` or `[validation]` may be the line left out): its dates
    // wait for the header to be fixed.
    for sh in site.sheets.iter().filter(|s| !s.header_error) {
        sheet_findings(site, sh, &mut f);
    }
    f.drafts.extend(drafts.into_iter().map(|d| d.item(site)));
    for list in [
        &mut f.undocumented_actions,
        &mut f.to_revalidate,
        &mut f.stale,
        &mut f.drafts,
    ] {
        list.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    }
    f
}

/// Link to edit a file of the site on its forge (`[site] edit-url`).
fn edit_url(site: &Site, file: &str) -> Option<String> {
    site.config
        .site
        .edit_url
        .as_ref()
        .map(|t| t.replace("{path}", &crate::html::encode_path(file)))
}

/// A draft left out of the build, known by id and file (drafts are not in
/// the model), with its front matter read again.
struct LeftOut<'a> {
    id: &'a String,
    file: &'a String,
    meta: Option<crate::frontmatter::SheetMeta>,
}

impl LeftOut<'_> {
    fn item(self, site: &Site) -> Item {
        let authors = site
            .history
            .get(std::path::Path::new(self.file))
            .map(|h| h.contributors.clone())
            .unwrap_or_default();
        Item {
            id: self.id.clone(),
            title: self.meta.map(|m| m.title).unwrap_or_else(|| self.id.clone()),
            file: self.file.clone(),
            edit_url: edit_url(site, self.file),
            authors,
            ..Default::default()
        }
    }
}

/// Actions that no published sheet documents. One documented only by a
/// draft is still undocumented on the site, but the follow-up says a
/// sheet is on its way.
fn undocumented_actions(site: &Site, drafts: &[LeftOut]) -> Vec<Item> {
    let s = site.strings();
    let mut draft_actions: std::collections::HashMap<&str, Vec<&str>> = Default::default();
    for d in drafts {
        if let Some(a) = d.meta.as_ref().and_then(|m| m.action.as_ref()) {
            draft_actions.entry(a.get_ref().as_str()).or_default().push(d.file);
        }
    }
    let mut items = Vec::new();
    for a in site.actions.iter().filter(|a| a.sheets.is_empty()) {
        let who: Vec<&str> = a.def.who.iter().map(|w| s.audience(w.as_str())).collect();
        // The page's details are in the site's language (the sentences
        // below: English, else French, as `check` prints them).
        let (colon, semi) = if s.lang == "en" { (":", ";") } else { (" :", " ;") };
        let mut detail = format!("{}{colon} {}", s.get("action_who"), who.join(", "));
        if !a.def.reference.is_empty() {
            detail.push_str(&format!(
                "{semi} {}{colon} {}",
                s.get("action_reference"),
                a.def.reference
            ));
        }
        items.push(Item {
            id: a.def.id.clone(),
            title: a.def.title.clone(),
            file: a.def.source.clone(),
            line: Some(a.def.line),
            url: Some(format!("actions/index.html#action-{}", a.def.id)),
            // A pooled file lives in another repository (a submodule): the
            // site's `edit-url` would point to a path that its forge does not have.
            edit_url: if a.def.origin.is_none() {
                edit_url(site, &a.def.source)
            } else {
                None
            },
            detail,
            authors: Vec::new(),
            origin: a.def.origin.clone(),
            drafts: draft_actions
                .get(a.def.id.as_str())
                .map(|v| v.iter().map(|f| f.to_string()).collect())
                .unwrap_or_default(),
        });
    }
    items
}

/// What the follow-up says of a published sheet: to revalidate, stale,
/// or a draft (when the build includes drafts).
fn sheet_findings(site: &Site, sh: &Sheet, f: &mut FollowUp) {
    let s = site.strings();
    let item = |line: Option<usize>, detail: String| Item {
        id: sh.id.clone(),
        title: sh.title.clone(),
        file: sh.source.clone(),
        line,
        url: Some(sh.url.clone()),
        edit_url: if sh.origin.is_none() {
            edit_url(site, &sh.source)
        } else {
            None
        },
        detail,
        authors: sh.contributors.clone(),
        origin: sh.origin.clone(),
        drafts: Vec::new(),
    };
    if let Some(r) = revalidation(site, sh) {
        let line = sh.validation.as_ref().map(|v| v.line).filter(|l| *l > 0);
        f.to_revalidate.push(item(
            line,
            if s.lang == "en" {
                format!(
                    "approved by {} on {}, changed since, on {}",
                    r.by,
                    s.long_date(r.validated_on),
                    s.long_date(r.changed)
                )
            } else {
                format!(
                    "validée par {} le {}, modifiée depuis, le {}",
                    r.by,
                    s.long_date(r.validated_on),
                    s.long_date(r.changed)
                )
            },
        ));
    }
    if let Some((updated, age)) = stale_age(site, sh) {
        let line = match sh.updated_from {
            DateSource::FrontMatter => sh.updated_line,
            _ => None,
        };
        f.stale.push(item(
            line,
            if s.lang == "en" {
                format!(
                    "updated on {} ({}), {age} days ago",
                    s.long_date(updated),
                    date_source(sh, true)
                )
            } else {
                format!(
                    "mise à jour le {} ({}), il y a {age} jours",
                    s.long_date(updated),
                    date_source(sh, false)
                )
            },
        ));
    }
    if sh.draft {
        f.drafts.push(item(None, String::new()));
    }
}

/// The front matter of a draft left out of the build, read again (drafts
/// are not in the model).
pub fn draft_meta(site: &Site, file: &str) -> Option<crate::frontmatter::SheetMeta> {
    let text = std::fs::read_to_string(site.root.join(file)).ok()?;
    let split = crate::frontmatter::split(&text, file).ok()?;
    crate::frontmatter::parse(&split, file).ok()
}

/// File line of a top-level `key = …` of a file's front matter, for findings
/// about a field the model keeps without its position.
pub fn front_matter_line(site: &Site, file: &str, key: &str) -> Option<usize> {
    key_line(&std::fs::read_to_string(site.root.join(file)).ok()?, key)
}

/// [`front_matter_line`] in a file's text.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    let mut lines = text.lines().enumerate();
    if lines.next()?.1.trim_start_matches('\u{feff}').trim_end() != "+++" {
        return None;
    }
    for (i, l) in lines {
        let t = l.trim();
        // The end of the front matter, or a table: top-level keys come first.
        if t == "+++" || t.starts_with('[') {
            return None;
        }
        if t.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return Some(i + 1);
        }
    }
    None
}
