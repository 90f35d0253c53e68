//! Feeds and sitemap: Atom for new and updated sheets, iCalendar for the
//! Apéro'TICE sessions (a file per upcoming session, and the agenda of
//! all, past ones included), and
//! `sitemap.xml`. Each is a theme template (`atom.xml`, `calendar.ics`,
//! `sitemap.xml`) that a site can override like any page template; this
//! module gathers what they show. Escaping is the templates' filters
//! (registered by `render`): `xml` (`html::xml_escape`), `ics_text` and
//! `ics_fold` (`ics`).

use crate::diagnostics::Diagnostic;
use crate::model::{Session, Site};
use crate::render::{Page, Renderer};
use serde::Serialize;
use std::path::Path;

/// Writes `sitemap.xml`, `atom.xml`, the agenda and one `seance.ics` per
/// upcoming session into `out`.
///
/// The agenda keeps past sessions: people subscribe to it, and a calendar
/// app removes from their calendar every event the feed no longer holds.
/// Their UIDs never change (`slug-date@host`), so that an app updates an
/// event rather than adding it twice.
pub fn write(site: &Site, r: &Renderer, out: &Path) -> Result<(), Diagnostic> {
    let put = |rel: &str, text: String| {
        // Through a temporary file: `serve` rewrites these under readers.
        crate::build::write_atomic(out, rel, text.as_bytes())
            .map_err(|e| Diagnostic::error("write-failed", "", format!("écriture impossible : {e:#}")))
    };
    put(SITEMAP, sitemap(site, r)?)?;
    put(ATOM, atom(site, r)?)?;
    let upcoming: Vec<&Session> = site.upcoming_sessions().map(|(_, s)| s).collect();
    for s in &upcoming {
        put(&session_calendar(s), calendar(site, r, &[s])?)?;
    }
    // Oldest first, as a calendar reads.
    let all: Vec<&Session> = site.sessions.iter().rev().collect();
    put(AGENDA, calendar(site, r, &all)?)
}

const SITEMAP: &str = "sitemap.xml";
const ATOM: &str = "atom.xml";
const AGENDA: &str = "apero-tice/agenda.ics";

/// The `.ics` file of one upcoming session, beside its page.
fn session_calendar(s: &Session) -> String {
    format!("{}seance.ics", s.url.trim_end_matches("index.html"))
}

/// Every file `write` writes: what `static/` may not shadow.
pub fn paths(site: &Site) -> Vec<String> {
    let mut v: Vec<String> = [SITEMAP, ATOM, AGENDA].map(String::from).to_vec();
    v.extend(site.upcoming_sessions().map(|(_, s)| session_calendar(s)));
    v
}

/// One `<url>` of the sitemap.
#[derive(Serialize)]
struct SitemapUrl {
    /// The page's public address, percent-encoded (a URI).
    loc: String,
    lastmod: Option<String>,
}

/// `sitemap.xml`: every page a search engine should list (not the 404,
/// the search page or the printable booklets).
pub fn sitemap(site: &Site, r: &Renderer) -> Result<String, Diagnostic> {
    let base = &site.config.site.base_url;
    let urls: Vec<SitemapUrl> = Renderer::pages(site)
        .into_iter()
        .filter(|p| !matches!(p, Page::NotFound | Page::Search | Page::Booklet(_)))
        .map(|p| SitemapUrl {
            loc: base.public_uri(&r.url_of(site, p)),
            lastmod: match p {
                Page::Sheet(i) => site.sheets[i].updated.map(|d| d.iso()),
                _ => None,
            },
        })
        .collect();
    r.render_with(site, "sitemap.xml", "sitemap.xml", "", &|ctx| ctx.insert("urls", &urls))
}

/// One `<entry>` of the Atom feed; text is raw, the template escapes it.
#[derive(Serialize)]
struct AtomEntry {
    title: String,
    url: String,
    id: String,
    /// `YYYY-MM-DD`.
    updated: String,
    /// The contributors, or the site's title when there are none (Atom
    /// wants an author).
    authors: Vec<String>,
    summary: String,
    category: String,
}

#[derive(Serialize)]
struct AtomFeed {
    /// The site's public home address.
    home: String,
    id: String,
    updated: String,
    entries: Vec<AtomEntry>,
}

/// `atom.xml`: the 50 most recently updated sheets.
fn atom(site: &Site, r: &Renderer) -> Result<String, Diagnostic> {
    let base = &site.config.site.base_url;
    let mut sheets: Vec<_> = site.sheets.iter().filter(|s| s.updated.is_some()).collect();
    sheets.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    sheets.truncate(50);
    let updated = sheets.first().and_then(|s| s.updated).unwrap_or(site.today);
    let home = base.public_url("index.html");
    let entries = sheets
        .into_iter()
        .map(|s| {
            let url = base.public_url(&s.url);
            AtomEntry {
                title: s.title.clone(),
                id: atom_id(site, &url),
                url,
                updated: s.updated.unwrap_or(site.today).iso(),
                authors: if s.contributors.is_empty() {
                    vec![site.config.book.title.clone()]
                } else {
                    s.contributors.clone()
                },
                summary: s.summary.clone(),
                category: site.categories[s.category].title.clone(),
            }
        })
        .collect();
    let feed = AtomFeed {
        id: atom_id(site, &home),
        home,
        updated: updated.iso(),
        entries,
    };
    r.render_with(site, "atom.xml", "atom.xml", "", &|ctx| ctx.insert("feed", &feed))
}

/// An Atom id must be an absolute IRI: the page's URL when `base-url`
/// names a host, else a stable `urn:uuid:` made from the site and the path.
fn atom_id(site: &Site, url: &str) -> String {
    if site.config.site.base_url.is_absolute() {
        return url.to_string();
    }
    let key = format!("{}\n{url}", site.config.book.title);
    let fnv = |seed: u64| {
        key.bytes()
            .fold(seed, |h, b| (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3))
    };
    let (a, b) = (fnv(0xcbf2_9ce4_8422_2325), fnv(0x6c62_272e_07bb_0142));
    // Version 8 (custom) UUID, RFC 9562 variant bits.
    let a = (a & !0xf000) | 0x8000;
    let b = (b & !(0xc000_0000_0000_0000)) | 0x8000_0000_0000_0000;
    format!(
        "urn:uuid:{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xffff,
        b >> 48,
        b & 0xffff_ffff_ffff
    )
}

/// One `VEVENT`; text raw, the template escapes it.
#[derive(Serialize)]
struct Event {
    uid: String,
    /// `YYYYMMDDTHHMMSS` (local time, Europe/Paris) when the session has a
    /// time, else `YYYYMMDD` (a whole day).
    start: String,
    end: String,
    timed: bool,
    title: String,
    location: Option<String>,
    summary: String,
    presenters: Vec<String>,
    /// The session page's public address.
    url: String,
    /// `URL` is a URI (3.8.4.6): set only when base-url names a host.
    uri: Option<String>,
}

/// A calendar of `sessions`. The time zone is always there, so that a
/// calendar with no upcoming session still holds one component (3.6).
pub fn calendar(site: &Site, r: &Renderer, sessions: &[&Session]) -> Result<String, Diagnostic> {
    let base = &site.config.site.base_url;
    let domain = uid_domain(site);
    let events: Vec<Event> = sessions
        .iter()
        .map(|s| {
            let day = s.date.0.format("%Y%m%d").to_string();
            let parse = |t: Option<&str>| t.and_then(|t| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").ok());
            let time = parse(s.time.as_deref());
            let (start, end) = match time {
                Some(t) => {
                    let start = s.date.0.and_time(t);
                    // Its `end` when it says one (`check` refuses one
                    // before `time`), else an hour.
                    let end = parse(s.end.as_deref())
                        .map(|e| s.date.0.and_time(e))
                        .filter(|&e| e > start)
                        .unwrap_or(start + chrono::Duration::minutes(60));
                    (
                        start.format("%Y%m%dT%H%M%S").to_string(),
                        end.format("%Y%m%dT%H%M%S").to_string(),
                    )
                }
                None => (
                    day.clone(),
                    (s.date.0 + chrono::Duration::days(1)).format("%Y%m%d").to_string(),
                ),
            };
            let url = base.public_url(&s.url);
            Event {
                uid: format!("{}-{}@{}", ics_uid_part(&s.slug), day, domain),
                start,
                end,
                timed: time.is_some(),
                title: s.title.clone(),
                location: s.location.clone(),
                summary: s.summary.clone(),
                presenters: s.presenters.clone(),
                uri: base.is_absolute().then(|| url.clone()),
                url,
            }
        })
        .collect();
    let stamp = site.today.0.format("%Y%m%d").to_string();
    r.render_with(site, "calendar.ics", "apero-tice/agenda.ics", "", &|ctx| {
        ctx.insert("events", &events);
        ctx.insert("stamp", &stamp);
    })
}

fn ics_uid_part(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' })
        .collect()
}

/// The host of an absolute base-url, else a name derived from the site.
fn uid_domain(site: &Site) -> String {
    let base = &site.config.site.base_url;
    match base.host() {
        Some(host) => host.to_string(),
        None => format!(
            "{}.fiches",
            ics_uid_part(base.path().trim_matches('/')).trim_matches('-')
        )
        .trim_start_matches('.')
        .to_string(),
    }
}
