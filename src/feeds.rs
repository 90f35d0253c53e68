//! Feeds: Atom for new and updated sheets, iCalendar for the upcoming
//! Apéro'TICE sessions (one file per session and one for all).

use crate::markdown::escape;
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

fn atom(site: &Site) -> String {
    let mut sheets: Vec<_> = site.sheets.iter().filter(|s| s.updated.is_some()).collect();
    sheets.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    sheets.truncate(50);
    let updated = sheets.first().and_then(|s| s.updated).unwrap_or(site.today);
    let home = public_url(site, "index.html");
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    x.push_str(&format!("  <title>{}</title>\n", escape(&site.config.book.title)));
    if !site.config.book.description.is_empty() {
        x.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(&site.config.book.description)));
    }
    x.push_str(&format!("  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}atom.xml\"/>\n", escape(&home), escape(&home)));
    x.push_str(&format!("  <id>{}</id>\n  <updated>{}T00:00:00Z</updated>\n", escape(&home), updated.iso()));
    for s in sheets {
        let url = public_url(site, &s.url);
        let d = s.updated.unwrap_or(site.today).iso();
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <title>{}</title>\n    <link href=\"{}\"/>\n    <id>{}</id>\n", escape(&s.title), escape(&url), escape(&url)));
        x.push_str(&format!("    <updated>{d}T00:00:00Z</updated>\n"));
        for c in &s.contributors {
            x.push_str(&format!("    <author><name>{}</name></author>\n", escape(c)));
        }
        if s.contributors.is_empty() {
            x.push_str(&format!("    <author><name>{}</name></author>\n", escape(&site.config.book.title)));
        }
        x.push_str(&format!("    <summary>{}</summary>\n", escape(&s.summary)));
        x.push_str(&format!("    <category term=\"{}\"/>\n", escape(&site.categories[s.category].title)));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// RFC 5545 text escaping and 75-octet line folding.
fn ics_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n")
}

fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        let w = c.len_utf8();
        if len + w > 74 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += w;
    }
    out.push_str("\r\n");
    out
}

fn calendar(site: &Site, sessions: &[&Session]) -> String {
    let mut c = String::new();
    c.push_str(&fold("BEGIN:VCALENDAR"));
    c.push_str(&fold("VERSION:2.0"));
    c.push_str(&fold("PRODID:-//fiches//Apéro'TICE//FR"));
    c.push_str(&fold("CALSCALE:GREGORIAN"));
    c.push_str(&fold(&format!("X-WR-CALNAME:{}", ics_text(&format!("Apéro'TICE — {}", site.config.book.title)))));
    for s in sessions {
        let day = s.date.0.format("%Y%m%d").to_string();
        c.push_str(&fold("BEGIN:VEVENT"));
        c.push_str(&fold(&format!("UID:{}-{}@fiches", s.slug, day)));
        c.push_str(&fold(&format!("DTSTAMP:{}T000000Z", site.today.0.format("%Y%m%d"))));
        let time = s.time.as_deref().and_then(|t| chrono::NaiveTime::parse_from_str(t, "%H:%M").ok());
        match time {
            Some(t) => {
                let start = s.date.0.and_time(t);
                let end = start + chrono::Duration::minutes(60);
                c.push_str(&fold(&format!("DTSTART;TZID=Europe/Paris:{}", start.format("%Y%m%dT%H%M%S"))));
                c.push_str(&fold(&format!("DTEND;TZID=Europe/Paris:{}", end.format("%Y%m%dT%H%M%S"))));
            }
            None => {
                let next = (s.date.0 + chrono::Duration::days(1)).format("%Y%m%d");
                c.push_str(&fold(&format!("DTSTART;VALUE=DATE:{day}")));
                c.push_str(&fold(&format!("DTEND;VALUE=DATE:{next}")));
            }
        }
        c.push_str(&fold(&format!("SUMMARY:{}", ics_text(&format!("Apéro'TICE : {}", s.title)))));
        if let Some(l) = &s.location {
            c.push_str(&fold(&format!("LOCATION:{}", ics_text(l))));
        }
        let mut desc = s.summary.clone();
        if !s.presenters.is_empty() {
            desc.push_str(&format!("\nAnimé par {}", s.presenters.join(", ")));
        }
        c.push_str(&fold(&format!("DESCRIPTION:{}", ics_text(desc.trim()))));
        c.push_str(&fold(&format!("URL:{}", public_url(site, &s.url))));
        c.push_str(&fold("END:VEVENT"));
    }
    c.push_str(&fold("END:VCALENDAR"));
    c
}
