//! Index stage: what search sees of the site. One document per sheet,
//! Apéro'TICE session, allowed action and training path, built from the
//! rendered text (so only what a reader sees is indexed).

use crate::model::Site;
use crate::render::Bodies;
use fiches_search::{Kind, SearchConfig, SearchDoc};

/// The search configuration of a site: its language and synonyms.
pub fn config(site: &Site) -> SearchConfig {
    SearchConfig {
        language: site.config.book.language.clone(),
        synonyms: site.config.search.synonyms.clone(),
    }
}

/// The documents the search indexes: sheets, sessions and paths.
pub fn documents(site: &Site, bodies: &Bodies) -> Vec<SearchDoc> {
    documents_with(site, |kind, i| {
        let b = match kind {
            Kind::Fiche => &bodies.sheets[i],
            Kind::Parcours => &bodies.paths[i],
            _ => &bodies.sessions[i],
        };
        (b.text.clone(), b.code.clone())
    })
}

/// `documents`, moving each body's text and code into its document
/// instead of copying them (`build`: no page reads them, see
/// `Rendered::text_chars`); at 50,000 sheets, one copy less of the text.
pub fn take_documents(site: &Site, bodies: &mut Bodies) -> Vec<SearchDoc> {
    documents_with(site, |kind, i| {
        let b = match kind {
            Kind::Fiche => &mut bodies.sheets[i],
            Kind::Parcours => &mut bodies.paths[i],
            _ => &mut bodies.sessions[i],
        };
        (std::mem::take(&mut b.text), std::mem::take(&mut b.code))
    })
}

/// The documents, with the text and code of the `i`th sheet, session or
/// path from `text(kind, i)` (`serve` gives the text of some only).
/// Sheets, then sessions, then paths, then actions.
pub fn documents_with(site: &Site, mut text: impl FnMut(Kind, usize) -> (String, String)) -> Vec<SearchDoc> {
    let s = site.strings();
    let mut docs = Vec::with_capacity(site.sheets.len() + site.sessions.len() + site.paths.len() + site.actions.len());
    for (i, sh) in site.sheets.iter().enumerate() {
        let (body, code) = text(Kind::Fiche, i);
        docs.push(SearchDoc {
            id: sh.id.clone(),
            kind: Kind::Fiche,
            title: sh.title.clone(),
            url: sh.url.clone(),
            category: site.categories[sh.category].title.clone(),
            audience: sh.audience.iter().map(|a| a.as_str().to_string()).collect(),
            tags: sh.tags.clone(),
            summary: sh.summary.clone(),
            body,
            code,
        });
    }
    for (i, se) in site.sessions.iter().enumerate() {
        let mut summary = se.summary.clone();
        if summary.is_empty() {
            summary = format!("{} {}", s.get("apero"), s.long_date(se.date));
        }
        let (body, code) = text(Kind::Apero, i);
        docs.push(SearchDoc {
            id: format!("apero/{}", se.slug),
            kind: Kind::Apero,
            title: se.title.clone(),
            url: se.url.clone(),
            category: s.get("apero").to_string(),
            audience: Vec::new(),
            tags: se.tags.clone(),
            summary,
            body,
            code,
        });
    }
    for (i, p) in site.paths.iter().enumerate() {
        let (body, code) = text(Kind::Parcours, i);
        docs.push(SearchDoc {
            id: format!("parcours/{}", p.slug),
            kind: Kind::Parcours,
            title: p.title.clone(),
            url: p.url.clone(),
            category: s.get("paths").to_string(),
            audience: p.audience.iter().map(|a| a.as_str().to_string()).collect(),
            tags: Vec::new(),
            summary: p.summary.clone(),
            body: path_body(site, p, body),
            code,
        });
    }
    for a in &site.actions {
        let sheets: Vec<&str> = a.sheets.iter().map(|&j| site.sheets[j].title.as_str()).collect();
        docs.push(SearchDoc {
            id: format!("action/{}", a.def.id),
            kind: Kind::Action,
            title: a.def.title.clone(),
            url: format!("actions/index.html#action-{}", a.def.id),
            category: s.get("actions").to_string(),
            audience: a.def.who.iter().map(|w| w.as_str().to_string()).collect(),
            tags: Vec::new(),
            summary: a.def.conditions.clone(),
            body: format!("{}\n{}", a.def.reference, sheets.join("\n")),
            code: String::new(),
        });
    }
    docs
}

/// A path's introduction, then the titles of its sheets as links' text:
/// its page lists them, but each says what the sheet is about, not the
/// path, so they weigh as links do (`LINK_START`), under the sheets' own
/// titles.
pub fn path_body(site: &Site, p: &crate::model::TrainingPath, intro: String) -> String {
    use fiches_search::{LINK_END, LINK_START};
    let mut body = intro;
    for &j in &p.fiches {
        if !body.is_empty() {
            body.push('\n');
        }
        body.push(LINK_START);
        body.push_str(&site.sheets[j].title);
        body.push(LINK_END);
    }
    body
}

/// Where the command line keeps its tantivy index: a per-site folder in the
/// user's cache, since the site itself may be read-only.
pub fn cache_dir(root: &std::path::Path) -> std::path::PathBuf {
    use std::hash::{Hash, Hasher};
    let abs = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut h = std::collections::hash_map::DefaultHasher::new();
    abs.hash(&mut h);
    let base = std::env::var_os("FICHES_CACHE_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|p| std::path::PathBuf::from(p).join("fiches")))
        .or_else(|| std::env::var_os("HOME").map(|p| std::path::PathBuf::from(p).join(".cache").join("fiches")))
        .unwrap_or_else(|| std::env::temp_dir().join("fiches-cache"));
    base.join(format!("{:016x}", h.finish()))
}

use fiches_search::{MARK_END, MARK_START};

/// "Vouliez-vous dire « … » ?" (`label` from the UI strings); control
/// characters of the query are not printed.
pub fn did_you_mean(label: &str, suggestion: &str) -> String {
    let clean: String = suggestion.chars().filter(|c| !c.is_control()).collect();
    format!("{label} « {clean} » ?")
}

/// A query with no word to look for: emoji or signs alone (`🖨️`, `???`),
/// or only words too common to be indexed (`le`). search.js says the same
/// strings (`search_no_words`, `search_common_words`).
pub fn no_words(strings: &crate::i18n::Strings, query: &str) -> String {
    // A letter or digit: an emoji's variation selector (U+FE0F) is a mark.
    let key = match query.chars().any(|c| c.is_alphabetic() || c.is_numeric()) {
        true => "search_common_words",
        // `fiches search ""`: « «  » ne contient aucun mot » read oddly.
        false if query.trim().is_empty() => "search_empty_query",
        false => "search_no_words",
    };
    let clean: String = query.trim().chars().filter(|c| !c.is_control()).collect();
    strings.get(key).replace("{q}", &clean)
}

/// `fiches search --json`: hits as a JSON array.
pub fn hits_json(hits: &[fiches_search::Hit]) -> String {
    let v: Vec<serde_json::Value> = hits
        .iter()
        .map(|h| {
            serde_json::json!({
                "id": h.id,
                "kind": h.kind.as_str(),
                "title": h.title,
                "url": h.url,
                "snippet": h.snippet.replace([MARK_START, MARK_END], ""),
                "score": h.score,
            })
        })
        .collect();
    serde_json::to_string_pretty(&v).unwrap_or_else(|_| "[]".into())
}

/// Where a hit is, for the person who searched: the file to open, from
/// the site's root, and the page's public address.
pub struct Place {
    pub file: Option<String>,
    pub address: String,
}

/// The `Place` of a hit of `site`'s index.
pub fn place(site: &Site, h: &fiches_search::Hit) -> Place {
    let file = match h.kind {
        Kind::Fiche => site.sheet_by_id.get(&h.id).map(|&i| site.sheets[i].source.clone()),
        Kind::Apero => {
            let slug = h.id.strip_prefix("apero/").unwrap_or(&h.id);
            site.sessions.iter().find(|s| s.slug == slug).map(|s| s.source.clone())
        }
        Kind::Parcours => {
            let slug = h.id.strip_prefix("parcours/").unwrap_or(&h.id);
            site.paths.iter().find(|p| p.slug == slug).map(|p| p.source.clone())
        }
        Kind::Action => {
            let id = h.id.strip_prefix("action/").unwrap_or(&h.id);
            site.actions
                .iter()
                .find(|a| a.def.id == id)
                .map(|a| a.def.source.clone())
        }
    };
    Place {
        file,
        address: site.config.site.base_url.public_url(&h.url),
    }
}

/// Width of the text of `fiches search`: an 80-column terminal, less the
/// 4 columns of indent.
const TEXT_WIDTH: usize = 76;

/// `text` in lines of at most `width` characters (a longer word alone on
/// its line), each highlight mark a column (`[` and `]` without colours).
/// Cut at ordinary spaces only: a no-break space (`12 h`, `Wi-Fi :`) is
/// kept as typed.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let room = |w: &str| w.chars().count();
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split([' ', '\t', '\n']).filter(|w| !w.is_empty()) {
        let w = room(word);
        if used > 0 && used + 1 + w > width {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        if used > 0 {
            line.push(' ');
            used += 1;
        }
        line.push_str(word);
        used += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `fiches search`: hits for a terminal of 80 columns, each with the file
/// to open and the page's address (`places`, in the order of `hits`).
pub fn hits_text(hits: &[fiches_search::Hit], places: &[Place], color: bool) -> String {
    let (on, off, bold, dim, reset) = if color {
        ("\x1b[1;33m", "\x1b[0m", "\x1b[1m", "\x1b[2m", "\x1b[0m")
    } else {
        ("[", "]", "", "", "")
    };
    if hits.is_empty() {
        return "Aucun résultat.\n".into();
    }
    // Titles, ids and snippets come from content: inert on a terminal.
    let safe = crate::validate::terminal_safe;
    let mut s = String::new();
    for (i, h) in hits.iter().enumerate() {
        let title = format!("{}  ({})", safe(&h.title), h.kind.as_str());
        for (k, l) in wrap(&title, TEXT_WIDTH).iter().enumerate() {
            match k {
                0 => s.push_str(&format!("{:>2}. {bold}{l}{reset}\n", i + 1)),
                _ => s.push_str(&format!("    {bold}{l}{reset}\n")),
            }
        }
        if let Some(place) = places.get(i) {
            if let Some(f) = &place.file {
                s.push_str(&format!("    {}\n", safe(f)));
            }
            s.push_str(&format!("    {dim}{}{reset}\n", safe(&place.address)));
        }
        // Made inert between the marks, which are control characters.
        let snippet: String = h
            .snippet
            .split_inclusive([MARK_START, MARK_END])
            .map(|part| match part.strip_suffix([MARK_START, MARK_END]) {
                Some(text) => format!("{}{}", safe(&text.replace('\n', " ")), &part[text.len()..]),
                None => safe(&part.replace('\n', " ")).into_owned(),
            })
            .collect();
        for l in wrap(&snippet, TEXT_WIDTH) {
            s.push_str(&format!("    {}\n", l.replace(MARK_START, on).replace(MARK_END, off)));
        }
    }
    s
}
