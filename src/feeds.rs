//! Feeds: Atom for new and updated sheets, iCalendar for the upcoming
//! Apéro'TICE sessions (one file per session and one for all).

use crate::markdown;
use crate::model::{Session, Site};
use crate::publish::public_url;
use anyhow::Result;
use std::path::Path;

pub fn write(site: &Site, out: &Path) -> Result<()> {
    crate::output::write(out, "atom.xml", atom(site).as_bytes())?;
    let upcoming: Vec<&Session> = site.upcoming_sessions().map(|(_, s)| s).collect();
    for s in &upcoming {
        let dir = s.url.trim_end_matches("index.html");
        crate::output::write(out, &format!("{dir}seance.ics"), calendar(site, &[s]).as_bytes())?;
    }
    crate::output::write(out, "apero-tice/agenda.ics", calendar(site, &upcoming).as_bytes())?;
    Ok(())
}

/// XML 1.0 cannot hold most control characters, not even as `&#1;`: a feed
/// reader rejects the whole feed. They are dropped, the rest escaped.
fn escape(s: &str) -> String {
    let kept: String = s.chars().filter(|&c| xml_char(c)).collect();
    markdown::escape(&kept)
}

/// The `Char` production of XML 1.0 (2.2).
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

fn atom(site: &Site) -> String {
    let mut sheets: Vec<_> = site.sheets.iter().filter(|s| s.updated.is_some()).collect();
    sheets.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    sheets.truncate(50);
    let updated = sheets.first().and_then(|s| s.updated).unwrap_or(site.today);
    let home = public_url(site, "index.html");
    let mut x =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.push_str(&format!("  <title>{}</title>\n", escape(&site.config.book.title)));
    if !site.config.book.description.is_empty() {
        x.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape(&site.config.book.description)
        ));
    }
    x.push_str(&format!(
        "  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}atom.xml\"/>\n",
        escape(&home),
        escape(&home)
    ));
    x.push_str(&format!(
        "  <id>{}</id>\n  <updated>{}T00:00:00Z</updated>\n",
        escape(&atom_id(site, &home)),
        updated.iso()
    ));
    for s in sheets {
        let url = public_url(site, &s.url);
        let d = s.updated.unwrap_or(site.today).iso();
        x.push_str("  <entry>\n");
        x.push_str(&format!(
            "    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n",
            escape(&s.title),
            escape(&url),
            escape(&atom_id(site, &url))
        ));
        x.push_str(&format!("    <updated>{d}T00:00:00Z</updated>\n"));
        for c in &s.contributors {
            x.push_str(&format!("    <author><name>{}</name></author>\n", escape(c)));
        }
        if s.contributors.is_empty() {
            x.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape(&site.config.book.title)
            ));
        }
        x.push_str(&format!("    <summary>{}</summary>\n", escape(&s.summary)));
        x.push_str(&format!(
            "    <category term=\"{}\"/>\n",
            escape(&site.categories[s.category].title)
        ));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// An Atom id must be an absolute IRI: the page's URL when `base-url`
/// names a host, else a stable `urn:uuid:` made from the site and the path.
fn atom_id(site: &Site, url: &str) -> String {
    if site.config.site.is_absolute() {
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

/// RFC 5545 TEXT escaping (3.3.11). Line breaks become `\n`; other
/// control characters, which TEXT cannot hold (3.3.11, CONTROL), are dropped.
fn ics_text(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (3.1): a continuation line starts
/// with a space, and a UTF-8 character is never split.
///
/// A content line is one line: a control character that reached it (a
/// CR/LF would start a property of its own) is dropped here, whatever
/// the caller escaped.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut len = 0;
    for c in line.chars().filter(|&c| c == '\t' || !c.is_control()) {
        let w = c.len_utf8();
        if len + w > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += w;
    }
    out.push_str("\r\n");
    out
}

/// Sessions are held in France: local times carry `TZID=Europe/Paris`, and
/// RFC 5545 (3.6.5) wants the zone described in the file itself.
const VTIMEZONE_PARIS: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// A calendar of `sessions`. The time zone is always there, so that a
/// calendar with no upcoming session still holds one component (3.6).
pub fn calendar(site: &Site, sessions: &[&Session]) -> String {
    let mut c = String::new();
    let mut line = |l: &str| c.push_str(&fold(l));
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//fiches//Apéro'TICE//FR");
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!(
        "X-WR-CALNAME:{}",
        ics_text(&format!("Apéro'TICE — {}", site.config.book.title))
    ));
    line("X-WR-TIMEZONE:Europe/Paris");
    for l in VTIMEZONE_PARIS {
        line(l);
    }
    for s in sessions {
        let day = s.date.0.format("%Y%m%d").to_string();
        line("BEGIN:VEVENT");
        line(&format!("UID:{}-{}@{}", ics_uid_part(&s.slug), day, uid_domain(site)));
        line(&format!("DTSTAMP:{}T000000Z", site.today.0.format("%Y%m%d")));
        let time = s
            .time
            .as_deref()
            .and_then(|t| chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M").ok());
        match time {
            Some(t) => {
                let start = s.date.0.and_time(t);
                let end = start + chrono::Duration::minutes(60);
                line(&format!("DTSTART;TZID=Europe/Paris:{}", start.format("%Y%m%dT%H%M%S")));
                line(&format!("DTEND;TZID=Europe/Paris:{}", end.format("%Y%m%dT%H%M%S")));
            }
            None => {
                let next = (s.date.0 + chrono::Duration::days(1)).format("%Y%m%d");
                line(&format!("DTSTART;VALUE=DATE:{day}"));
                line(&format!("DTEND;VALUE=DATE:{next}"));
            }
        }
        line(&format!("SUMMARY:{}", ics_text(&format!("Apéro'TICE : {}", s.title))));
        if let Some(l) = &s.location {
            line(&format!("LOCATION:{}", ics_text(l)));
        }
        let url = public_url(site, &s.url);
        let mut desc = s.summary.clone();
        if !s.presenters.is_empty() {
            desc.push_str(&format!("\nAnimé par {}", s.presenters.join(", ")));
        }
        desc.push_str(&format!("\n{url}"));
        line(&format!("DESCRIPTION:{}", ics_text(desc.trim())));
        // URL is a URI (3.8.4.6): only when base-url names a host.
        if site.config.site.is_absolute() {
            line(&format!("URL;VALUE=URI:{url}"));
        }
        line("TRANSP:OPAQUE");
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    c
}

fn ics_uid_part(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' })
        .collect()
}

/// The host of an absolute base-url, else a name derived from the site.
fn uid_domain(site: &Site) -> String {
    let base = site.config.site.base();
    match base.split_once("://") {
        Some((_, rest)) => rest
            .split(['/', '?', '#'])
            .next()
            .unwrap_or("fiches")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(*c))
            .collect(),
        None => format!("{}.fiches", ics_uid_part(base.trim_matches('/')).trim_matches('-'))
            .trim_start_matches('.')
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let long = format!("DESCRIPTION:{}", "é".repeat(100));
        let folded = fold(&long);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn escapes_text() {
        assert_eq!(ics_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
        assert_eq!(ics_text("a\r\nb\x1b[31m\u{7}c\td"), "a\\nb[31mc\td");
    }

    #[test]
    fn content_lines_never_break() {
        let f = fold("URL;VALUE=URI:https://a.org/\r\nX-INJECT:1\u{0}");
        assert_eq!(f, "URL;VALUE=URI:https://a.org/X-INJECT:1\r\n");
    }

    #[test]
    fn xml_drops_what_it_cannot_hold() {
        assert_eq!(escape("a\u{1}b\u{1b}c & <d>\u{fffe}\té"), "abc &amp; &lt;d&gt;\té");
    }
}
