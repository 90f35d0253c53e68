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
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
}

/// A copy of a corpus published at its absolute URL (`absolute_url`).
fn absolute_site(c: &Corpus) -> (tempfile::TempDir, PathBuf) {
    let absolute = c.s("absolute_url");
    corpus_with(c, |b| {
        b.replace(
            &format!("base-url = \"{}\"", c.base()),
            &format!("base-url = \"{absolute}\""),
        )
    })
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
    for c in corpora() {
        calendars(&c);
    }
}

fn calendars(c: &Corpus) {
    let (_t, out) = build_to(&c.root, &[]);
    let agenda = check_ics(&std::fs::read(out.join("apero-tice/agenda.ics")).unwrap(), "agenda.ics");
    let events = agenda.iter().filter(|l| *l == "BEGIN:VEVENT").count();
    assert!(events >= 2, "the corpus has two future sessions: {events} events");
    assert!(agenda.contains(&"BEGIN:VTIMEZONE".to_string()) && agenda.contains(&"TZID:Europe/Paris".to_string()));
    assert!(
        agenda
            .iter()
            .any(|l| *l == format!("DTSTART;TZID=Europe/Paris:{}", c.s("upcoming.dtstart"))),
        "{agenda:#?}"
    );
    assert!(agenda
        .iter()
        .any(|l| *l == format!("DTEND;TZID=Europe/Paris:{}", c.s("upcoming.dtend"))));
    let summary = format!("SUMMARY:{}", c.s("upcoming.summary"));
    assert!(agenda.iter().any(|l| l.starts_with(&summary)), "{summary}: {agenda:#?}");
    // No URL property: base-url is a path, and URL needs an absolute URI.
    assert!(!agenda.iter().any(|l| l.starts_with("URL")));
    // One file per upcoming session, with its one event and the agenda's
    // UID for it (an app that imported it and subscribed to the agenda
    // shows the session once); none for past ones.
    let uids: HashSet<&str> = agenda.iter().filter_map(|l| l.strip_prefix("UID:")).collect();
    let (mut upcoming_n, mut past_n) = (0, 0);
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
            let uid = lines.iter().find_map(|l| l.strip_prefix("UID:")).unwrap();
            assert!(uids.contains(uid), "{uid} not in agenda.ics: {uids:?}");
            upcoming_n += 1;
        } else {
            past_n += 1;
        }
    }
    assert!(past_n > 0, "the corpus has past sessions");
    // A subscribed calendar keeps past sessions: the agenda holds them all.
    assert_eq!(events, upcoming_n + past_n, "{agenda:#?}");
}

/// Once past, a session stays in the agenda, with the UID it had when it
/// was ahead (made of its file name and date only): a subscribed calendar
/// app would otherwise delete it from the teacher's calendar.
#[test]
fn a_past_session_stays_in_the_agenda_with_its_uid() {
    let (_t, site) = site_copy(&lycee().root);
    write(
        &site.join("content/apero-tice/sauvegarde.md"),
        "+++\ntitle = \"Sauvegarder ses fichiers\"\ndate = 2024-01-15\ntime = \"12:30\"\n+++\nNotes.\n",
    );
    let (_t2, out) = build_to(&site, &[]);
    let agenda = check_ics(&std::fs::read(out.join("apero-tice/agenda.ics")).unwrap(), "agenda.ics");
    let at = agenda
        .iter()
        .position(|l| l == "UID:sauvegarde-20240115@numerique.fiches")
        .unwrap_or_else(|| panic!("the past session left the agenda: {agenda:#?}"));
    let event: Vec<&String> = agenda[at..].iter().take_while(|l| *l != "END:VEVENT").collect();
    assert!(
        event.iter().any(|l| *l == "DTSTART;TZID=Europe/Paris:20240115T123000"),
        "{event:#?}"
    );
    assert!(!out.join("apero-tice/sauvegarde/seance.ics").exists());
}

#[test]
fn calendars_carry_absolute_urls_when_base_url_has_a_host() {
    for c in corpora() {
        let absolute = c.s("absolute_url");
        let (_t, site) = absolute_site(&c);
        let (_t2, out) = build_to(&site, &[]);
        let agenda = check_ics(&std::fs::read(out.join("apero-tice/agenda.ics")).unwrap(), "agenda.ics");
        assert!(
            agenda
                .iter()
                .any(|l| l == &format!("URL;VALUE=URI:{absolute}apero-tice/{}/", c.s("upcoming.slug"))),
            "{agenda:#?}"
        );
        let host = format!("@{}", c.s("host"));
        assert!(agenda.iter().any(|l| l.starts_with("UID:") && l.ends_with(&host)));
    }
}

fn tag_values(xml: &str, tag: &str) -> Vec<String> {
    let re = regex::Regex::new(&format!(r"<{tag}(?:\s[^>]*)?>([^<]*)</{tag}>")).unwrap();
    re.captures_iter(xml).map(|c| c[1].to_string()).collect()
}

#[test]
fn atom_feed_lists_sheets_with_valid_ids() {
    for c in corpora() {
        atom_feed(&c);
    }
}

fn atom_feed(c: &Corpus) {
    let (_t, out) = build_to(&c.root, &[]);
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
    assert!(atom.contains(&format!("<link href=\"{}\"/>", c.sheet_path(&c.s("sheet.id")))));
    // Newest first.
    let updated = tag_values(&atom, "updated");
    assert!(updated[1..].windows(2).all(|w| w[0] >= w[1]), "{updated:?}");
    // Same ids from one build to the next.
    let (_t2, out2) = build_to(&c.root, &[]);
    assert_eq!(tag_values(&read(&out2.join("atom.xml")), "id"), ids);
}

#[test]
fn absolute_base_url_gives_absolute_urls_in_feed_sitemap_and_qr_codes() {
    for c in corpora() {
        let absolute = c.s("absolute_url");
        let id = c.s("sheet.id");
        let (_t, site) = absolute_site(&c);
        let (_t2, out) = build_to(&site, &[]);
        let atom = read(&out.join("atom.xml"));
        assert!(
            tag_values(&atom, "id").contains(&format!("{absolute}fiches/{id}/")),
            "{atom}"
        );
        assert!(atom.contains(&format!("<link rel=\"self\" href=\"{absolute}atom.xml\"/>")));
        let sitemap = read(&out.join("sitemap.xml"));
        assert!(
            sitemap.contains(&format!("<loc>{absolute}fiches/{id}/</loc>")),
            "{sitemap}"
        );
        let sheet = html(&out.join(format!("fiches/{id}/index.html")));
        assert!(sheet.contains(&format!("En ligne\u{a0}: {absolute}fiches/{id}/<")));
        // Pages still link relatively: the output works from file:// all the same.
        assert!(!sheet.contains(&format!("href=\"https://{}", c.s("host"))));
    }
}

/// A sheet's page carries the published URL that site.js makes its QR code
/// from (tests/browser/print.test.mjs compares that code with the qrcode
/// crate's, module for module, and decodes the printed one), not the code.
#[test]
fn every_sheet_prints_the_published_url_of_its_qr_code() {
    for c in corpora() {
        qr_codes(&c);
    }
}

fn qr_codes(c: &Corpus) {
    let (_t, out) = build_to(&c.root, &[]);
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
        let public = format!("{}{}", c.base(), rel.trim_end_matches("index.html"));
        assert_eq!(html.matches("qr-code").count(), 0, "{rel}");
        assert!(
            html.contains(&format!(
                "<p class=\"print-only print-url\">En ligne\u{a0}: {public}</p>"
            )),
            "{rel}"
        );
        n += 1;
    }
    assert_eq!(n, c.n("sheets"), "{}", c.name);
    // What site.js reads to make the code and its figure.
    let strings = read(&out.join("assets/strings.js"));
    for s in [
        "\"online_at\":\"En ligne\u{a0}:\"",
        "\"qr_label\":\"QR code de la fiche\"",
        "\"print_qr\":",
    ] {
        assert!(strings.contains(s), "{s}: {strings}");
    }
    // Inline SVG, merged runs: a sheet page stays light.
    let page = std::fs::metadata(out.join(format!("fiches/{}/index.html", c.s("sheet.id"))))
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
    for c in corpora() {
        let (_t, out) = build_to(&c.root, &[]);
        no_repeated_id(&out);
    }
}

fn no_repeated_id(out: &Path) {
    for page in walk(out)
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

/// Booklets repeat every sheet: only the categories whose `_index.md` says
/// `booklet = true` (or a parent's) get one, unless `[print] booklets = "all"`.
#[test]
fn only_the_categories_that_ask_have_a_booklet() {
    let c = lycee();
    let (_t, out) = build_to(&c.root, &[]);
    // `ent/` has no `_index.md`, so it does not ask.
    let ent = html(&out.join("fiches/ent/index.html"));
    assert!(!ent.contains("booklet-link") && !ent.contains("livret"), "{ent}");
    assert!(!out.join("fiches/ent/livret").exists());
    // `reseau/filtrage/` inherits `booklet = true` from `reseau/`.
    assert!(out.join("fiches/reseau/livret/index.html").is_file());
    assert!(out.join("fiches/reseau/filtrage/livret/index.html").is_file());
    let sub = html(&out.join("fiches/reseau/filtrage/index.html"));
    assert!(sub.contains("booklet-link"));

    // A subcategory may say no; its sheets stay in the parent's booklet.
    let (_s, site) = site_copy(&c.root);
    let index = site.join("content/fiches/reseau/filtrage/_index.md");
    let text = read(&index).replacen("+++\n", "+++\nbooklet = false\n", 1);
    write(&index, &text);
    let (_t2, out2) = build_to(&site, &[]);
    assert!(!out2.join("fiches/reseau/filtrage/livret").exists());
    let parent = html(&out2.join("fiches/reseau/livret/index.html"));
    assert_eq!(
        parent.matches("<article class=\"booklet-sheet\"").count(),
        html(&out.join("fiches/reseau/livret/index.html"))
            .matches("<article class=\"booklet-sheet\"")
            .count()
    );

    // `[print] booklets = "all"`: every category.
    let (_s3, site3) = corpus_with(&c, |b| format!("{b}\n[print]\nbooklets = \"all\"\n"));
    let (_t3, out3) = build_to(&site3, &[]);
    assert!(out3.join("fiches/ent/livret/index.html").is_file());
    assert!(html(&out3.join("fiches/ent/index.html")).contains("booklet-link"));
}

/// An unknown `[print] booklets` value is an error at its line.
#[test]
fn an_unknown_booklets_value_is_an_error_at_its_line() {
    let (_s, site) = corpus_with(&lycee(), |b| format!("{b}\n[print]\nbooklets = \"some\"\n"));
    let line = read(&site.join("book.toml")).lines().count() as u64;
    let (items, code) = check_json(&site, &[]);
    assert_ne!(code, Some(0));
    assert!(
        items
            .iter()
            .any(|d| d["code"] == "invalid-value" && d["file"] == "book.toml" && d["line"].as_u64() == Some(line)),
        "{items:#?}"
    );
}

#[test]
fn a_category_booklet_holds_all_its_sheets() {
    for c in corpora() {
        booklet(&c);
    }
}

fn booklet(c: &Corpus) {
    // The shared corpus predates `booklet = true`: it asks for every booklet.
    let (_site, root) = if c.s("origin") == "shared" {
        let (t, s) = corpus_with(c, |b| format!("{b}\n[print]\nbooklets = \"all\"\n"));
        (Some(t), s)
    } else {
        (None, c.root.clone())
    };
    let (_t, out) = build_to(&root, &[]);
    let cat_dir = c.s("booklet.category");
    let cat = html(&out.join(format!("fiches/{cat_dir}/index.html")));
    assert!(
        cat.contains("href=\"livret/index.html\""),
        "category links to its booklet"
    );
    let booklet = html(&out.join(format!("fiches/{cat_dir}/livret/index.html")));
    let sheets: Vec<PathBuf> = walk(&out.join(format!("fiches/{cat_dir}")))
        .into_iter()
        .filter(|p| {
            p.ends_with("index.html")
                && !p.to_string_lossy().contains("livret")
                && p.parent().unwrap() != out.join(format!("fiches/{cat_dir}"))
        })
        .collect();
    assert!(sheets.len() >= 3, "{}: {sheets:?}", c.name);
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
    // (by the shortest relative path from `fiches/{cat_dir}/livret/`).
    let sheet = c.s("booklet.sheet");
    let slug = sheet
        .strip_prefix(&format!("{cat_dir}/"))
        .expect("a sheet of the booklet's category");
    assert!(booklet.contains(&format!("href=\"../{slug}/index.html\"")), "{booklet}");
    assert!(booklet.contains(&format!("src=\"../../../{}\"", c.s("booklet.image"))));
    // No booklet in the sitemap: it repeats the sheets.
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(
        sitemap.contains("<loc>") && !sitemap.contains("/livret/</loc>"),
        "{sitemap}"
    );
}

/// A printed booklet keeps what each sheet's page says of its allowed
/// action (who, conditions, reference) and of its validation: the
/// conditions of the collectivity hold on paper too (review26).
#[test]
fn a_booklet_keeps_each_sheet_s_allowed_action_and_validation() {
    for c in corpora() {
        let (_s, site) = corpus_with(&c, |b| format!("{b}\n[print]\nbooklets = \"all\"\n"));
        let (_t, out) = build_to(&site, &[]);
        let between = |h: &str, start: &str, end: &str| -> Option<String> {
            let from = h.find(start)? + start.len();
            Some(h[from..].split(end).next()?.to_string())
        };
        let (mut actions, mut validations) = (0, 0);
        for page in walk(&out.join("fiches"))
            .into_iter()
            .filter(|p| p.ends_with("index.html"))
        {
            let text = html(&page);
            if !text.contains("<article class=\"sheet-article\"") {
                continue;
            }
            let booklet = html(&page.parent().unwrap().parent().unwrap().join("livret/index.html"));
            let id = between(&text, "<article class=\"sheet-article\" data-id=\"", "\"").unwrap();
            let printed = between(&booklet, &format!("data-id=\"{id}\""), "</article>")
                .unwrap_or_else(|| panic!("{}: {id} is not in its category's booklet", c.name));
            if let Some(dl) = between(&text, "<aside class=\"allowed-action\"", "</aside>") {
                let dl = between(&dl, "<dl>", "</dl>").unwrap();
                assert!(
                    printed.contains(&dl),
                    "{}: {id}'s action is not in the booklet:\n{dl}",
                    c.name
                );
                actions += 1;
            }
            if let Some(v) = between(&text, "meta-validation validated\">", "</p>") {
                assert!(
                    printed.contains(&v),
                    "{}: {id}'s validation is not in the booklet: {v}",
                    c.name
                );
                validations += 1;
            }
        }
        assert!(
            actions >= 3 && validations >= 1,
            "{}: {actions} actions, {validations} validations",
            c.name
        );
        // The corpus's sheet with an action: its reference, on paper.
        let reference = c.s("sheet.reference");
        let cat = c.s("sheet.id").rsplit_once('/').unwrap().0.to_string();
        assert!(html(&out.join(format!("fiches/{cat}/livret/index.html"))).contains(&reference));
    }
}

#[test]
fn help_request_links_are_prefilled_at_build_time() {
    for c in corpora() {
        help_request(&c);
    }
}

fn help_request(c: &Corpus) {
    let rel = format!("fiches/{}/index.html", c.s("support.sheet"));
    let (_t, out) = build_to(&c.root, &[]);
    let page = html(&out.join(&rel));
    assert!(page.contains("data-support"));
    let href = page
        .split("data-support-link=\"ticket\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(href.starts_with(&c.s("support.ticket_prefix")), "{href}");
    assert!(href.ends_with(&c.s("support.ticket_suffix")), "{href}");
    // The actions page's « tout le reste passe par un ticket » opens one,
    // pre-filled the same way with the actions page's address.
    let actions = html(&out.join("actions/index.html"));
    let ticket = actions
        .split("data-help=\"ticket\" href=\"")
        .nth(1)
        .unwrap_or_else(|| panic!("no ticket link on the actions page"))
        .split('"')
        .next()
        .unwrap();
    let enc = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
    let form = c.s("support.ticket_prefix");
    let form = &form[..form.find('=').unwrap() + 1];
    assert!(ticket.starts_with(form) && ticket.len() > form.len() + 10, "{ticket}");
    let sheet_path = enc(&format!("fiches/{}/", c.s("support.sheet")));
    let suffix = c.s("support.ticket_suffix").replace(&sheet_path, &enc("actions/"));
    assert!(ticket.ends_with(&suffix), "{ticket} ends with {suffix}");
    // Without [support], no help section, and no ticket link.
    let (_t2, site) = corpus_with(c, |b| {
        let start = b.find("[support]").unwrap();
        let end = b[start + 1..].find("\n[").map(|e| start + 1 + e).unwrap_or(b.len());
        format!("{}{}", &b[..start], &b[end..])
    });
    let (_t3, out2) = build_to(&site, &[]);
    assert!(!read(&out2.join(&rel)).contains("data-support"));
    assert!(!read(&out2.join("actions/index.html")).contains("data-help"));
}

#[test]
fn accessibility_statement_follows_the_rgaa_structure() {
    for c in corpora() {
        accessibility_statement(&c);
    }
}

fn accessibility_statement(c: &Corpus) {
    let status = c.s("accessibility.status");
    let (_t, out) = build_to(&c.root, &[]);
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
    assert!(page.contains(&format!("<strong>{status}</strong>")), "{}", c.name);
    assert!(page.contains(&c.s("accessibility.audited_on")));
    assert!(page.contains(&format!("mailto:{}", c.s("accessibility.contact"))));
    assert!(page.contains("Défenseur des droits"));
    // Every page's footer links to it, with the compliance status (RGAA).
    let home = html(&out.join("index.html"));
    assert!(
        home.contains(&format!(
            "href=\"accessibilite/index.html\">Accessibilité\u{a0}: {status}</a>"
        )),
        "{}",
        c.name
    );
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
    for c in corpora() {
        build_zip(&c);
    }
}

fn build_zip(c: &Corpus) {
    let tmp = tempdir();
    let out = tmp.path().join("public");
    let zip = tmp.path().join("livraison").join("site.zip");
    let o = fiches_in(
        &c.root,
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
            && archived.contains_key(&PathBuf::from(format!("fiches/{}/index.html", c.s("sheet.id"))))
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
    for c in corpora() {
        failed_build_no_zip(&c);
    }
}

fn failed_build_no_zip(c: &Corpus) {
    let tmp = tempdir();
    let zip = tmp.path().join("site.zip");
    let o = fiches_in(
        &c.broken("missing-title"),
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

/// A long sheet prints in two columns, on its page and in its booklet,
/// whatever the index did with its text (`build` hands it to the index
/// without a copy, issue 13): the page reads `Rendered::text_chars`.
#[test]
fn long_sheets_print_in_two_columns_on_their_page_and_in_the_booklet() {
    let c = lycee();
    let (_s, site) = site_copy(&c.root);
    let para = "Vérifiez que la borne Wi-Fi de la salle est allumée et que son voyant est vert. ";
    write(
        &site.join("content/fiches/reseau/borne-longue.md"),
        &format!(
            "+++\ntitle = \"Borne Wi-Fi éteinte\"\nsummary = \"La borne ne répond plus.\"\naudience = [\"enseignant\"]\n+++\n\n{}\n",
            para.repeat(30)
        ),
    );
    let (_t, out) = build_to(&site, &[]);
    let long = html(&out.join("fiches/reseau/borne-longue/index.html"));
    assert!(long.contains("class=\"prose print-columns\""), "{long}");
    let short = html(&out.join("fiches/reseau/prise-murale-inactive/index.html"));
    assert!(short.contains("class=\"prose\""), "{short}");
    assert!(!short.contains("print-columns"));
    let booklet = html(&out.join("fiches/reseau/livret/index.html"));
    assert_eq!(booklet.matches("prose print-columns").count(), 1, "{booklet}");
}

/// Times as French writes them on the pages (« 12 h 30 », « 17 h »), a
/// session's `end` on its page and in the calendars; RFC times in the
/// `.ics`, an hour when no `end` is given.
#[test]
fn session_times_are_written_in_french_and_end_when_they_say() {
    let (_t, site) = site_copy(&lycee().root);
    // Ahead, so that each has its `seance.ics`.
    let day = |d: i64| chrono::Local::now().date_naive() + chrono::Duration::days(d);
    let (d1, d2) = (day(30), day(37));
    write(
        &site.join("content/apero-tice/tableur.md"),
        &format!("+++\ntitle = \"Le tableur\"\ndate = {d1}\ntime = \"12:30\"\nend = \"13:45\"\n+++\nNotes.\n"),
    );
    write(
        &site.join("content/apero-tice/ent.md"),
        &format!("+++\ntitle = \"L'ENT\"\ndate = {d2}\ntime = \"17:00\"\n+++\nNotes.\n"),
    );
    let (_t2, out) = build_to(&site, &[]);
    let page = read(&out.join("apero-tice/tableur/index.html"));
    assert!(page.contains("de 12\u{a0}h\u{a0}30 à 13\u{a0}h\u{a0}45"), "{page}");
    let page = read(&out.join("apero-tice/ent/index.html"));
    assert!(page.contains(", 17\u{a0}h"), "{page}");
    let list = read(&out.join("apero-tice/index.html"));
    assert!(
        list.contains("de 12\u{a0}h\u{a0}30 à 13\u{a0}h\u{a0}45") && list.contains(", 17\u{a0}h"),
        "{list}"
    );
    assert!(!list.contains("12:30") && !list.contains("17:00"), "{list}");
    let compact = |d: chrono::NaiveDate| d.format("%Y%m%d").to_string();
    for (slug, start, end) in [
        (
            "tableur",
            format!("{}T123000", compact(d1)),
            format!("{}T134500", compact(d1)),
        ),
        (
            "ent",
            format!("{}T170000", compact(d2)),
            format!("{}T180000", compact(d2)),
        ),
    ] {
        let ics = check_ics(
            &std::fs::read(out.join(format!("apero-tice/{slug}/seance.ics"))).unwrap(),
            slug,
        );
        assert!(ics.contains(&format!("DTSTART;TZID=Europe/Paris:{start}")), "{ics:#?}");
        assert!(ics.contains(&format!("DTEND;TZID=Europe/Paris:{end}")), "{ics:#?}");
    }
}

/// The session's lines of a calendar, unfolded.
fn unfolded_ics(p: &Path) -> String {
    read(p).replace("\r\n ", "")
}

/// A path-only `base-url` (the college's `/aide-numerique/`): an agenda
/// app has no address to complete a path with, so the events carry no link
/// (not in `URL`, not a path in `DESCRIPTION`, which opened nothing), and
/// `check` and `build` say so at `book.toml`'s line, with the full address
/// to write. With a full address, the link is in both. No `base-url`
/// written: no warning (a copy for a USB key).
#[test]
fn a_path_only_base_url_is_pointed_out_and_gives_no_dead_links_in_calendars() {
    let c = lycee();
    let line = read(&c.root.join("book.toml"))
        .lines()
        .position(|l| l.starts_with("base-url = \"/numerique/\""))
        .expect("the fixture's base-url is a path") as u64
        + 1;
    let (items, code) = check_json(&c.root, &[]);
    assert_eq!(code, Some(0));
    let w: Vec<_> = items.iter().filter(|d| d["code"] == "base-url-no-host").collect();
    assert_eq!(w.len(), 1, "{items:#?}");
    assert_eq!(
        (w[0]["severity"].as_str(), w[0]["file"].as_str(), w[0]["line"].as_u64()),
        (Some("warning"), Some("book.toml"), Some(line))
    );
    assert!(w[0]["message"].as_str().unwrap().contains("`/numerique/`"), "{}", w[0]);
    assert!(
        w[0]["hint"]
            .as_str()
            .unwrap()
            .contains("base-url = \"https://college.example.org/numerique/\""),
        "{}",
        w[0]
    );
    assert_eq!(check_json(&c.root, &["--strict"]).1, Some(1));

    let (_tmp, out) = build_to(&c.root, &[]);
    let agenda = unfolded_ics(&out.join("apero-tice/agenda.ics"));
    let descriptions: Vec<&str> = agenda.lines().filter(|l| l.starts_with("DESCRIPTION:")).collect();
    assert!(!descriptions.is_empty(), "{agenda}");
    assert!(
        !agenda.contains("/numerique/apero-tice/") && !agenda.lines().any(|l| l.starts_with("URL")),
        "a path an agenda app cannot open: {descriptions:?}"
    );

    let (_tmp2, site) = corpus_with(&c, |t| {
        t.replace(
            "base-url = \"/numerique/\"",
            "base-url = \"https://lycee.example.org/numerique/\"",
        )
    });
    let (items, _) = check_json(&site, &[]);
    assert!(!items.iter().any(|d| d["code"] == "base-url-no-host"), "{items:#?}");
    let (_tmp3, out) = build_to(&site, &[]);
    let agenda = unfolded_ics(&out.join("apero-tice/agenda.ics"));
    let with_link = agenda
        .lines()
        .filter(|l| l.starts_with("DESCRIPTION:") && l.contains("\\nhttps://lycee.example.org/numerique/apero-tice/"))
        .count();
    assert_eq!(with_link, descriptions.len(), "{agenda}");
    assert_eq!(
        agenda
            .lines()
            .filter(|l| l.starts_with("URL;VALUE=URI:https://"))
            .count(),
        with_link
    );

    let (_tmp4, site) = corpus_with(&c, |t| t.replace("base-url = \"/numerique/\"\n", ""));
    let (items, _) = check_json(&site, &[]);
    assert!(!items.iter().any(|d| d["code"] == "base-url-no-host"), "{items:#?}");
}
