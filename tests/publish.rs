//! What the site carries for use outside the browser: iCalendar files
//! (RFC 5545), the Atom feed, the sitemap, QR codes, category booklets, the
//! pre-filled help request, and `build --zip`.

mod common;
use common::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// HTML as written by tera, with the entities it uses decoded.
fn html(p: &Path) -> String {
    read(p)
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
}

/// A copy of the college corpus with its book.toml edited.
fn college_with(edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempdir();
    let site = tmp.path().join("site");
    copy_dir(&college(), &site);
    let book = edit(read(&site.join("book.toml")));
    std::fs::write(site.join("book.toml"), book).unwrap();
    (tmp, site)
}

const ABSOLUTE: &str = "https://www.clg-jean-moulin.example.org/aide-numerique/";

fn absolute_site() -> (tempfile::TempDir, PathBuf) {
    college_with(|b| b.replace("base-url = \"/aide-numerique/\"", &format!("base-url = \"{ABSOLUTE}\"")))
}

/// Checks an iCalendar file against RFC 5545's syntax rules that calendar
/// apps enforce, and returns its unfolded content lines.
fn check_ics(bytes: &[u8], name: &str) -> Vec<String> {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{name}: not UTF-8"));
    assert!(text.ends_with("\r\n"), "{name}: last line ends with CRLF");
    // 3.1: lines end with CRLF and are at most 75 octets; folding is CRLF + space.
    for (i, raw) in text.split("\r\n").enumerate() {
        assert!(
            !raw.contains('\n') && !raw.contains('\r'),
            "{name}:{}: bare LF or CR",
            i + 1
        );
        assert!(raw.len() <= 75, "{name}:{}: {} octets > 75: {raw}", i + 1, raw.len());
    }
    let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
    let lines: Vec<String> = unfolded
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    // Components nest and close in order.
    let mut stack: Vec<&str> = Vec::new();
    for l in &lines {
        let (name_part, value) = l.split_once(':').unwrap_or_else(|| panic!("{name}: no colon in {l}"));
        assert!(
            !name_part.is_empty()
                && name_part
                    .split(';')
                    .next()
                    .unwrap()
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
            "{name}: property name of {l}"
        );
        match name_part {
            "BEGIN" => stack.push(value),
            "END" => assert_eq!(
                stack.pop(),
                Some(value),
                "{name}: END:{value} closes the wrong component"
            ),
            _ => assert!(!stack.is_empty(), "{name}: {l} outside a component"),
        }
    }
    assert!(stack.is_empty(), "{name}: unclosed {stack:?}");
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    for required in ["VERSION:2.0", "PRODID:"] {
        assert!(lines.iter().any(|l| l.starts_with(required)), "{name}: {required}");
    }
    // Every VEVENT has UID, DTSTAMP and DTSTART; every TZID used is defined.
    let defined: HashSet<&str> = lines.iter().filter_map(|l| l.strip_prefix("TZID:")).collect();
    let mut event: Option<HashSet<String>> = None;
    let mut uids = HashSet::new();
    let utc_stamp = regex::Regex::new(r"^DTSTAMP:\d{8}T\d{6}Z$").unwrap();
    let bare = regex::Regex::new(r"(^|[^\\])[,;]").unwrap();
    for l in &lines {
        if l == "BEGIN:VEVENT" {
            event = Some(HashSet::new());
        } else if l == "END:VEVENT" {
            let props = event.take().unwrap();
            for p in ["UID", "DTSTAMP", "DTSTART", "SUMMARY"] {
                assert!(props.contains(p), "{name}: VEVENT without {p}");
            }
        } else if let Some(props) = event.as_mut() {
            props.insert(l.split([':', ';']).next().unwrap().to_string());
            if let Some(uid) = l.strip_prefix("UID:") {
                assert!(uids.insert(uid.to_string()), "{name}: duplicate UID {uid}");
            }
            if let Some(p) = l.find(";TZID=") {
                let tz = l[p + 6..].split([':', ';']).next().unwrap();
                assert!(defined.contains(tz), "{name}: TZID={tz} has no VTIMEZONE");
            }
            if l.starts_with("DTSTAMP:") {
                assert!(utc_stamp.is_match(l), "{name}: DTSTAMP is UTC: {l}");
            }
            if l.starts_with("URL") {
                assert!(l.contains("://"), "{name}: URL must be an absolute URI: {l}");
            }
        }
    }
    // TEXT values escape commas and semicolons (3.3.11).
    for l in lines
        .iter()
        .filter(|l| l.starts_with("SUMMARY:") || l.starts_with("LOCATION:") || l.starts_with("DESCRIPTION:"))
    {
        let value = &l[l.find(':').unwrap() + 1..];
        assert!(
            !bare.is_match(&value.replace("\\\\", "")),
            "{name}: unescaped , or ; in {l}"
        );
    }
    lines
}

#[test]
fn calendars_follow_rfc_5545() {
    let (_t, out) = build_to(&college(), &[]);
    let agenda = check_ics(&std::fs::read(out.join("apero-tice/agenda.ics")).unwrap(), "agenda.ics");
    let events = agenda.iter().filter(|l| *l == "BEGIN:VEVENT").count();
    assert!(events >= 2, "the corpus has sessions in 2027: {events} events");
    assert!(agenda.contains(&"BEGIN:VTIMEZONE".to_string()) && agenda.contains(&"TZID:Europe/Paris".to_string()));
    assert!(
        agenda.iter().any(|l| l == "DTSTART;TZID=Europe/Paris:20270121T123000"),
        "{agenda:#?}"
    );
    assert!(agenda.iter().any(|l| l == "DTEND;TZID=Europe/Paris:20270121T133000"));
    assert!(agenda
        .iter()
        .any(|l| l.starts_with("SUMMARY:Apéro'TICE : Classe mobile")));
    // No URL property: base-url is a path, and URL needs an absolute URI.
    assert!(!agenda.iter().any(|l| l.starts_with("URL")));
    // One file per upcoming session, with its one event; none for past ones.
    let mut per_session = 0;
    for dir in std::fs::read_dir(out.join("apero-tice")).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let ics = dir.join("seance.ics");
        let page = html(&dir.join("index.html"));
        let upcoming = page.contains("badge-upcoming");
        assert_eq!(ics.exists(), upcoming, "{}", dir.display());
        if upcoming {
            let lines = check_ics(&std::fs::read(&ics).unwrap(), &ics.display().to_string());
            assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 1);
            assert!(page.contains("href=\"seance.ics\""));
            per_session += 1;
        }
    }
    assert_eq!(per_session, events);
}

#[test]
fn calendars_carry_absolute_urls_when_base_url_has_a_host() {
    let (_t, site) = absolute_site();
    let (_t2, out) = build_to(&site, &[]);
    let agenda = check_ics(&std::fs::read(out.join("apero-tice/agenda.ics")).unwrap(), "agenda.ics");
    assert!(
        agenda
            .iter()
            .any(|l| l == &format!("URL;VALUE=URI:{ABSOLUTE}apero-tice/2027-01-classe-mobile/")),
        "{agenda:#?}"
    );
    assert!(agenda
        .iter()
        .any(|l| l.starts_with("UID:") && l.ends_with("@www.clg-jean-moulin.example.org")));
}

fn tag_values(xml: &str, tag: &str) -> Vec<String> {
    let re = regex::Regex::new(&format!(r"<{tag}(?:\s[^>]*)?>([^<]*)</{tag}>")).unwrap();
    re.captures_iter(xml).map(|c| c[1].to_string()).collect()
}

#[test]
fn atom_feed_lists_sheets_with_valid_ids() {
    let (_t, out) = build_to(&college(), &[]);
    let atom = read(&out.join("atom.xml"));
    assert!(
        atom.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">")
    );
    assert!(atom.trim_end().ends_with("</feed>"));
    assert_eq!(atom.matches("<entry>").count(), atom.matches("</entry>").count());
    let entries = atom.matches("<entry>").count();
    assert!(entries >= 30, "{entries} entries");
    // With a path-only base-url, ids are stable urn:uuid (an Atom id must be an absolute IRI).
    let ids = tag_values(&atom, "id");
    assert_eq!(ids.len(), entries + 1);
    let uuid =
        regex::Regex::new(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$").unwrap();
    assert!(ids.iter().all(|i| uuid.is_match(i)), "{ids:?}");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "unique ids");
    let rfc3339 = regex::Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$").unwrap();
    assert!(tag_values(&atom, "updated").iter().all(|u| rfc3339.is_match(u)));
    assert!(atom.contains("<link href=\"/aide-numerique/fiches/wifi/compte-invite/\"/>"));
    // Newest first.
    let updated = tag_values(&atom, "updated");
    assert!(updated[1..].windows(2).all(|w| w[0] >= w[1]), "{updated:?}");
    // Same ids from one build to the next.
    let (_t2, out2) = build_to(&college(), &[]);
    assert_eq!(tag_values(&read(&out2.join("atom.xml")), "id"), ids);
}

#[test]
fn absolute_base_url_gives_absolute_urls_in_feed_sitemap_and_qr_codes() {
    let (_t, site) = absolute_site();
    let (_t2, out) = build_to(&site, &[]);
    let atom = read(&out.join("atom.xml"));
    assert!(
        tag_values(&atom, "id").contains(&format!("{ABSOLUTE}fiches/wifi/compte-invite/")),
        "{atom}"
    );
    assert!(atom.contains(&format!("<link rel=\"self\" href=\"{ABSOLUTE}atom.xml\"/>")));
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(
        sitemap.contains(&format!("<loc>{ABSOLUTE}fiches/wifi/compte-invite/</loc>")),
        "{sitemap}"
    );
    let sheet = html(&out.join("fiches/wifi/compte-invite/index.html"));
    assert!(sheet.contains(&format!(
        "aria-label=\"QR code de la fiche : {ABSOLUTE}fiches/wifi/compte-invite/\""
    )));
    // Pages still link relatively: the output works from file:// all the same.
    assert!(!sheet.contains("href=\"https://www.clg-jean-moulin"));
}

#[test]
fn every_sheet_carries_the_qr_code_of_its_published_url() {
    let (_t, out) = build_to(&college(), &[]);
    let mut n = 0;
    for page in walk(&out.join("fiches"))
        .into_iter()
        .filter(|p| p.ends_with("index.html"))
    {
        let html = html(&page);
        if !html.contains("class=\"sheet-article\"") {
            continue;
        }
        let rel = page.strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
        let public = format!("/aide-numerique/{}", rel.trim_end_matches("index.html"));
        assert_eq!(html.matches("<svg class=\"qr-code\"").count(), 1, "{rel}");
        assert!(
            html.contains(&format!("aria-label=\"QR code de la fiche : {public}\"")),
            "{rel}"
        );
        assert!(html.contains(&format!("En ligne : {public}")), "{rel}");
        n += 1;
    }
    assert_eq!(n, 34);
    // Inline SVG, merged runs: a sheet page stays light.
    let page = std::fs::metadata(out.join("fiches/wifi/compte-invite/index.html"))
        .unwrap()
        .len();
    assert!(page < 40_000, "{page} bytes");
}

fn ids_of(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"\sid="([^"]*)""#).unwrap();
    re.captures_iter(html).map(|c| c[1].to_string()).collect()
}

#[test]
fn no_page_repeats_an_id() {
    let (_t, out) = build_to(&college(), &[]);
    for page in walk(&out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let mut seen = HashMap::new();
        for id in ids_of(&read(&page)) {
            *seen.entry(id).or_insert(0) += 1;
        }
        let dup: Vec<_> = seen.into_iter().filter(|(_, n)| *n > 1).collect();
        assert!(dup.is_empty(), "{}: {dup:?}", page.display());
    }
}

#[test]
fn a_category_booklet_holds_all_its_sheets() {
    let (_t, out) = build_to(&college(), &[]);
    let cat = html(&out.join("fiches/videoprojection/index.html"));
    assert!(
        cat.contains("href=\"../../fiches/videoprojection/livret/index.html\""),
        "category links to its booklet"
    );
    let booklet = html(&out.join("fiches/videoprojection/livret/index.html"));
    let sheets: Vec<PathBuf> = walk(&out.join("fiches/videoprojection"))
        .into_iter()
        .filter(|p| {
            p.ends_with("index.html")
                && !p.to_string_lossy().contains("livret")
                && p.parent().unwrap() != out.join("fiches/videoprojection")
        })
        .collect();
    assert_eq!(
        booklet.matches("<article class=\"booklet-sheet\"").count(),
        sheets.len()
    );
    for s in &sheets {
        let html = html(s);
        let title = html.split("<h1>").nth(1).unwrap().split("</h1>").next().unwrap();
        assert!(
            booklet.contains(&format!("booklet-sheet-title\">{title}</h2>")),
            "{title}"
        );
    }
    // Links inside the sheets still lead to the right pages from the booklet.
    assert!(booklet.contains("href=\"../../../fiches/videoprojection/lampe-et-filtre/index.html\""));
    assert!(booklet.contains("src=\"../../../images/telecommande-source.png\""));
    // Not in the sitemap: it repeats the sheets.
    assert!(!read(&out.join("sitemap.xml")).contains("livret"));
}

#[test]
fn help_request_links_are_prefilled_at_build_time() {
    let (_t, out) = build_to(&college(), &[]);
    let page = html(&out.join("fiches/videoprojection/pas-de-signal/index.html"));
    assert!(page.contains("data-support"));
    let href = page
        .split("data-support-link=\"ticket\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        href.starts_with("https://assistance.example.org/nouveau?titre=Le%20vid%C3%A9oprojecteur"),
        "{href}"
    );
    assert!(
        href.ends_with("&page=%2Faide%2Dnumerique%2Ffiches%2Fvideoprojection%2Fpas%2Dde%2Dsignal%2F"),
        "{href}"
    );
    // Without [support], no help section.
    let (_t2, site) = college_with(|b| {
        let start = b.find("[support]").unwrap();
        let end = b[start + 1..].find("\n[").map(|e| start + 1 + e).unwrap_or(b.len());
        format!("{}{}", &b[..start], &b[end..])
    });
    let (_t3, out2) = build_to(&site, &[]);
    assert!(!read(&out2.join("fiches/videoprojection/pas-de-signal/index.html")).contains("data-support"));
}

#[test]
fn accessibility_statement_follows_the_rgaa_structure() {
    let (_t, out) = build_to(&college(), &[]);
    let page = html(&out.join("accessibilite/index.html"));
    for section in [
        "État de conformité",
        "Résultats des tests",
        "Contenus non accessibles",
        "Établissement de cette déclaration d'accessibilité",
        "Retour d'information et contact",
        "Voies de recours",
    ] {
        assert!(page.contains(&format!(">{section}</h2>")), "{section}");
    }
    assert!(page.contains("<strong>partiellement conforme</strong>"));
    assert!(page.contains("20 mai 2025"));
    assert!(page.contains("mailto:referents.numeriques@clg-jean-moulin.example.org"));
    assert!(page.contains("Défenseur des droits"));
    // Every page's footer links to it, with the compliance status (RGAA).
    let home = html(&out.join("index.html"));
    assert!(home.contains("href=\"accessibilite/index.html\">Accessibilité : partiellement conforme</a>"));
}

fn unzip(file: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut m = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        assert!(!f.name().starts_with('/') && !f.name().contains(".."), "{}", f.name());
        assert!(!f.name().contains('\\'), "zip paths use /: {}", f.name());
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        m.insert(PathBuf::from(f.name()), bytes);
    }
    m
}

#[test]
fn build_zip_writes_the_output_as_an_archive() {
    let tmp = tempdir();
    let out = tmp.path().join("public");
    let zip = tmp.path().join("livraison").join("site.zip");
    let o = fiches_in(
        &college(),
        &[
            "build",
            "--output",
            out.to_str().unwrap(),
            "--zip",
            zip.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("Archive"), "{}", stderr(&o));
    let archived = unzip(&zip);
    let folder = snapshot(&out);
    assert_eq!(archived.keys().collect::<Vec<_>>(), folder.keys().collect::<Vec<_>>());
    assert!(archived == folder, "same bytes");
    assert!(
        archived.contains_key(Path::new("index.html"))
            && archived.contains_key(Path::new("fiches/wifi/compte-invite/index.html"))
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&zip).unwrap().permissions().mode() & 0o777, 0o644);
    }
    // Nothing left beside the archive.
    let names: Vec<_> = std::fs::read_dir(zip.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("site.zip")]);
}

#[test]
fn a_failed_build_writes_no_zip() {
    let tmp = tempdir();
    let zip = tmp.path().join("site.zip");
    let o = fiches_in(
        &broken("missing-title"),
        &[
            "build",
            "--output",
            tmp.path().join("out").to_str().unwrap(),
            "--zip",
            zip.to_str().unwrap(),
        ],
    );
    assert!(!o.status.success());
    assert!(!zip.exists());
}
