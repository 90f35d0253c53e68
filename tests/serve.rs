//! `fiches serve`, from the outside: the real binary on a copy of each
//! corpus (the repository's, the shared one when present), plain HTTP/1.1 over `TcpStream`, the live-reload channel
//! (Server-Sent Events) read line by line. Every wait has a timeout and the
//! server is stopped when a test ends, even when it fails.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

/// The corpus's main sheet: its file from the site root, and its URL.
fn sheet_of(c: &Corpus) -> (String, String) {
    let id = c.s("sheet.id");
    (format!("content/fiches/{id}.md"), c.sheet_path(&id))
}

/// The file name of the corpus's main sheet (`compte-invite.md`).
fn sheet_name(c: &Corpus) -> String {
    format!("{}.md", c.s("sheet.id").rsplit('/').next().unwrap())
}

fn serve_corpus(c: &Corpus, extra: &[&str]) -> Serve {
    let (t, root) = site_copy(&c.root);
    let s = serve_at(&root, Some(t), extra);
    assert_eq!(s.base, c.base(), "{}", c.name);
    s
}

impl Serve {
    fn events(&self) -> Events {
        Events::connect(self.port, &format!("{}__fiches/events", self.base))
    }
    fn file(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
}

/// A live-reload listener, as a browser's `EventSource`.
struct Events {
    r: BufReader<TcpStream>,
}

impl Events {
    fn connect(port: u16, target: &str) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.write_all(
            format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").as_bytes(),
        )
        .unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut r = BufReader::new(s);
        let mut status = String::new();
        r.read_line(&mut status).unwrap();
        assert!(status.contains(" 200 "), "{status}");
        let mut e = Events { r };
        loop {
            let mut l = String::new();
            e.r.read_line(&mut l).unwrap();
            if l.to_ascii_lowercase().starts_with("content-type") {
                assert!(l.contains("text/event-stream"), "{l}");
            }
            if l == "\r\n" {
                break;
            }
        }
        e
    }

    /// The next event (name, data) within `timeout`.
    fn next(&mut self, timeout: Duration) -> Option<(String, String)> {
        let end = Instant::now() + timeout;
        let (mut name, mut data) = (String::new(), String::new());
        loop {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            self.r.get_ref().set_read_timeout(Some(left)).unwrap();
            let mut l = String::new();
            match self.r.read_line(&mut l) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(_) => return None,
            }
            let l = l.trim_end_matches(['\r', '\n']);
            if l.is_empty() {
                if !name.is_empty() {
                    return Some((name, data));
                }
                continue;
            }
            if let Some(v) = l.strip_prefix("event: ") {
                name = v.to_string();
            } else if let Some(v) = l.strip_prefix("data: ") {
                data.push_str(v);
            }
        }
    }

    /// Waits for a reload caused by a path containing `needle` (a loaded
    /// machine may split a save in two bursts: the first reload may be late).
    fn reload_for(&mut self, needle: &str, timeout: Duration) -> Option<serde_json::Value> {
        let end = Instant::now() + timeout;
        while let Some(d) = self.wait("reload", end.saturating_duration_since(Instant::now())) {
            if d["changed"].to_string().contains(needle) {
                return Some(d);
            }
        }
        None
    }

    /// Waits until nothing is sent for `quiet`.
    fn settle(&mut self, quiet: Duration) {
        while self.next(quiet).is_some() {}
    }

    /// Waits for event `name`, skipping others; its data as JSON.
    fn wait(&mut self, name: &str, timeout: Duration) -> Option<serde_json::Value> {
        let end = Instant::now() + timeout;
        while let Some((n, d)) = self.next(end.saturating_duration_since(Instant::now())) {
            if n == name {
                return Some(serde_json::from_str(&d).unwrap_or(serde_json::Value::Null));
            }
        }
        None
    }
}

/// Saves like many editors: a temporary file, a backup of the old one, a
/// rename over the original, then the backup removed.
fn editor_save(path: &Path, text: &str) {
    let dir = path.parent().unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let tmp = dir.join(format!(".{name}.swp"));
    let lock = dir.join(format!(".#{name}"));
    let backup = dir.join(format!("{name}~"));
    std::fs::write(&lock, "lock").unwrap();
    std::fs::write(&tmp, text).unwrap();
    std::fs::copy(path, &backup).unwrap();
    std::fs::rename(&tmp, path).unwrap();
    std::fs::remove_file(&backup).unwrap();
    std::fs::remove_file(&lock).unwrap();
}

fn edit(path: &Path, f: impl Fn(&str) -> String) {
    let old = std::fs::read_to_string(path).unwrap();
    let new = f(&old);
    assert_ne!(old, new, "the edit changes nothing");
    std::fs::write(path, new).unwrap();
}

/// Runs `f` on each corpus.
fn each(f: impl Fn(&Corpus)) {
    for c in corpora() {
        f(&c);
    }
}

#[test]
fn edited_sheet_is_served_and_pages_reload_once() {
    each(edited_sheet);
}

fn edited_sheet(c: &Corpus) {
    let (sheet, sheet_url) = sheet_of(c);
    let (name, title) = (sheet_name(c), c.s("sheet.title"));
    let s = serve_corpus(c, &[]);
    let page = s.get(&sheet_url);
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("id=\"fiches-live-reload\""),
        "serve injects the live-reload script"
    );
    let mut ev = s.events();
    assert!(ev.wait("hello", WAIT).is_some());

    let path = s.file(&sheet);
    let old = std::fs::read_to_string(&path).unwrap();
    let new = old.replace(
        "## Symptômes",
        "## Symptômes\n\nParagraphe ajouté pendant le test de serve.",
    ) + "\nFin ajoutée.\n";
    editor_save(&path, &new);
    let data = ev
        .wait("reload", WAIT)
        .unwrap_or_else(|| panic!("no reload event; stderr:\n{}", s.stderr()));
    assert!(data["changed"].to_string().contains(&name), "{data}");
    let page = s.get(&sheet_url);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Paragraphe ajouté pendant le test de serve."));
    // One save, one rebuild: scratch files, backup and rename are one burst.
    // The rebuild's second part (booklets, follow-up…) reloads only the
    // pages it announced as pending.
    let pending = data["pending"].clone();
    while let Some((n, d)) = ev.next(Duration::from_millis(800)) {
        let d: serde_json::Value = serde_json::from_str(&d).unwrap();
        let only = d["only"]
            .as_array()
            .unwrap_or_else(|| panic!("second event after one save: {n} {d}\n{}", s.stderr()));
        assert!(
            only.iter().all(|p| pending.as_array().unwrap().contains(p)),
            "{d} not in {pending}"
        );
    }
    // Booklets exist only for the categories that ask for them.
    // The sheet is in the booklet of its category and of every ancestor that asks.
    let mut folder = sheet_url.trim_end_matches('/').to_string();
    let mut booklet = false;
    while let Some((up, _)) = folder.rsplit_once('/') {
        folder = up.to_string();
        if !folder.contains("/fiches/") {
            break;
        }
        booklet |= s.get(&format!("{folder}/livret/")).status == 200;
    }
    if booklet {
        assert!(
            pending.to_string().contains("livret"),
            "the booklet is written after the reload: {pending}"
        );
    } else {
        assert!(!pending.to_string().contains("livret"), "no booklet asked: {pending}");
    }
    let log = s.log_until(|l| l.contains(&name));
    let lines: Vec<&str> = log.lines().filter(|l| l.contains(&name)).collect();
    assert_eq!(lines.len(), 1, "one terminal line per rebuild:\n{log}");
    assert!(lines[0].contains(" ms") && lines[0].contains("page"), "{}", lines[0]);
    assert!(
        !log.contains(".swp") && !log.contains("~"),
        "scratch files are not changes:\n{log}"
    );

    // A new title shows on the category page too.
    let new_title = format!("{title} (test)");
    edit(&path, |t| {
        let edited = t.replace(&format!("title = \"{title}\""), &format!("title = \"{new_title}\""));
        assert_ne!(edited, t, "title line of {sheet}");
        edited
    });
    let category = format!("{}fiches/{}/", c.base(), c.s("sheet.id").rsplit_once('/').unwrap().0);
    let end = Instant::now() + WAIT;
    let left = || end.saturating_duration_since(Instant::now());
    // On a loaded machine the first save's late part ("only") can come
    // after the 800 ms above: it is not this save's reload.
    let data = loop {
        let d = ev.reload_for(&name, left()).expect("reload after the title change");
        if d.get("only").is_none() {
            break d;
        }
    };
    // A page announced as pending is served new once its late part is sent.
    for page in [&category, &sheet_url] {
        if data["pending"].to_string().contains(page.as_str()) {
            while !ev
                .wait("reload", left())
                .unwrap_or_else(|| panic!("{page} pending, never written: {data}"))["only"]
                .to_string()
                .contains(page.as_str())
            {}
        }
    }
    assert!(s.get(&category).text().contains(&new_title));
    assert!(s.get(&sheet_url).text().contains(&new_title));
    // Both edits took the fast path (the sheet kept its place): still
    // exactly what a full build writes.
    ev.settle(Duration::from_millis(700));
    assert_same_as_build(&s);
}

#[test]
fn broken_sheet_shows_the_error_overlay_keeps_the_last_good_page_and_recovers() {
    each(broken_sheet);
}

fn broken_sheet(c: &Corpus) {
    let (sheet, sheet_url) = sheet_of(c);
    let s = serve_corpus(c, &[]);
    let mut ev = s.events();
    ev.wait("hello", WAIT).unwrap();
    let path = s.file(&sheet);
    let good = std::fs::read_to_string(&path).unwrap();
    let line = good.lines().position(|l| l.starts_with("audience")).unwrap() + 1;
    edit(&path, |t| {
        t.replacen("audience = ", "colour = \"bleu\"\ntaille = 3\naudience = ", 1)
    });
    let err = ev
        .wait("build-error", WAIT)
        .unwrap_or_else(|| panic!("no build-error; stderr:\n{}", s.stderr()));
    let e = &err["errors"][0];
    assert_eq!(e["file"], sheet.as_str(), "{err}");
    assert_eq!(e["line"], line, "{err}");
    assert!(e["message"].as_str().unwrap().contains("colour"), "{err}");
    // Both keys of the save, as `fiches check` gives them.
    let e = &err["errors"][1];
    assert_eq!(
        (&e["file"], &e["line"]),
        (&sheet.as_str().into(), &(line + 1).into()),
        "{err}"
    );
    assert!(e["message"].as_str().unwrap().contains("taille"), "{err}");
    // The terminal shows it as `fiches build` does.
    let log = s.log_until(|l| l.contains("colour"));
    assert!(
        log.contains(&format!("{sheet}:{line}")) && log.contains("colour"),
        "{log}"
    );

    // The last good page is still served, and a page opened now gets the
    // error at once on its live-reload channel.
    let page = s.get(&sheet_url);
    assert_eq!(page.status, 200);
    assert!(page.text().contains(&c.s("sheet.title")));
    let mut late = s.events();
    let hello = late.wait("hello", WAIT).unwrap();
    assert_eq!(hello["error"], true);
    let again = late.wait("build-error", WAIT).expect("error on page load");
    assert_eq!(again["errors"][0]["file"], sheet.as_str());
    let status: serde_json::Value = serde_json::from_slice(&s.get(&format!("{}__fiches/status", s.base)).body).unwrap();
    assert_eq!(status["error"]["errors"][0]["line"], line);

    // A broken link, in the body this time, with its line.
    std::fs::write(
        &path,
        good.replace("## Symptômes", "## Symptômes\n\nVoir [la fiche](nulle-part%3Cb%3E.md)."),
    )
    .unwrap();
    let err = ev.wait("build-error", WAIT).expect("broken link error");
    let e = &err["errors"][0];
    assert_eq!(e["file"], sheet.as_str());
    let link_line = good.lines().position(|l| l.starts_with("## Symptômes")).unwrap() + 3;
    assert_eq!(e["line"], link_line, "{err}");
    // The overlay draws messages as text, never as HTML.
    let script = s.get(&sheet_url).text();
    assert!(script.contains("textContent") && !script.contains("innerHTML"));

    // Fixed: everyone reloads, the error is gone.
    std::fs::write(&path, good.replace("## Symptômes", "## Symptômes corrigés")).unwrap();
    ev.wait("reload", WAIT)
        .unwrap_or_else(|| panic!("no recovery; stderr:\n{}", s.stderr()));
    assert!(s.get(&sheet_url).text().contains("Symptômes corrigés"));
    let mut fresh = s.events();
    assert_eq!(fresh.wait("hello", WAIT).unwrap()["error"], false);
    assert!(s.log_until(|l| l.contains("corrigé")).contains("corrigé"));

    // A symbolic link to nothing is named; once it is removed, the error goes.
    #[cfg(unix)]
    {
        let link = s.file("content/fiches/lien-perdu.md");
        std::os::unix::fs::symlink("nulle-part.md", &link).unwrap();
        let err = ev
            .wait("build-error", WAIT)
            .unwrap_or_else(|| panic!("no error for a broken link; stderr:\n{}", s.stderr()));
        assert!(err.to_string().contains("lien-perdu.md"), "{err}");
        std::fs::remove_file(&link).unwrap();
        ev.wait("reload", WAIT)
            .unwrap_or_else(|| panic!("the error stays once the link is gone; stderr:\n{}", s.stderr()));
        assert_eq!(s.events().wait("hello", WAIT).unwrap()["error"], false);
    }
}

#[test]
fn a_site_that_never_built_serves_an_escaped_error_page_then_recovers() {
    each(never_built);
}

fn never_built(c: &Corpus) {
    let (sheet, sheet_url) = sheet_of(c);
    let (t, root) = site_copy(&c.root);
    let path = root.join(&sheet);
    let good = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, good.replace("## Symptômes", "## Symptômes\n\n[x](a%3Cb%3Ec.md)")).unwrap();
    let s = serve_at(&root, Some(t), &[]);
    let page = s.get(&sheet_url);
    assert_eq!(page.status, 503);
    let html = page.text();
    assert!(
        html.contains("a&lt;b&gt;c.md") && !html.contains("a<b>c.md"),
        "escaped:\n{html}"
    );
    assert!(html.contains("fiches-live-reload"));
    let mut ev = s.events();
    ev.wait("hello", WAIT).unwrap();
    std::fs::write(&path, &good).unwrap();
    ev.wait("reload", WAIT)
        .unwrap_or_else(|| panic!("no reload; stderr:\n{}", s.stderr()));
    assert_eq!(s.get(&sheet_url).status, 200);
}

#[test]
fn http_status_redirects_and_base_url() {
    each(http_status);
}

fn http_status(c: &Corpus) {
    let s = serve_corpus(c, &[]);
    let base = c.base();
    let cat = c.s("category.dir");
    let r = s.get("/");
    assert_eq!((r.status, r.header("Location")), (302, Some(base.as_str())));
    let r = s.get(base.trim_end_matches('/'));
    assert_eq!((r.status, r.header("Location")), (302, Some(base.as_str())));
    let r = s.get(&format!("{base}fiches/{cat}"));
    assert_eq!(
        (r.status, r.header("Location")),
        (302, Some(format!("{base}fiches/{cat}/").as_str()))
    );
    assert_eq!(s.get(&format!("{base}fiches/{cat}/")).status, 200);
    assert_eq!(s.get(&format!("{base}fiches/{cat}/index.html")).status, 200);
    for missing in [
        format!("{base}nulle-part/"),
        format!("{base}fiches/inconnue.html"),
        "/ailleurs/index.html".to_string(),
        "/index.html".to_string(),
        format!("/fiches/{cat}/"),
    ] {
        let missing = missing.as_str();
        let r = s.get(missing);
        assert_eq!(r.status, 404, "{missing}");
        assert!(
            r.text().contains("Page introuvable"),
            "the site's 404 page for {missing}"
        );
        assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
    }
    let r = request(s.port, "POST", &base, &[]);
    assert_eq!((r.status, r.header("Allow")), (405, Some("GET, HEAD")));
    // Drafts only with --drafts.
    assert_eq!(s.get(&c.sheet_path(&c.s("draft"))).status, 404);
}

#[test]
fn drafts_are_served_with_the_drafts_flag() {
    each(|c| {
        let s = serve_corpus(c, &["--drafts"]);
        assert_eq!(s.get(&c.sheet_path(&c.s("draft"))).status, 200);
    });
}

#[test]
fn content_types_head_etag_and_304() {
    each(content_types);
}

fn content_types(c: &Corpus) {
    let (sheet, sheet_url) = sheet_of(c);
    let base = c.base();
    let (image, pdf) = (c.s("sheet.image"), c.s("serve.pdf"));
    let s = serve_corpus(c, &[]);
    let home = s.get(&base);
    let css = home
        .text()
        .split("href=\"")
        .filter_map(|h| h.split('"').next())
        .find(|h| h.contains(".css"))
        .map(|h| h.split('?').next().unwrap().to_string())
        .unwrap();
    let cases = [
        (format!("{base}index.html"), "text/html; charset=utf-8"),
        (format!("{base}{css}"), "text/css; charset=utf-8"),
        (format!("{base}assets/site.js"), "text/javascript; charset=utf-8"),
        (format!("{base}assets/favicon.svg"), "image/svg+xml; charset=utf-8"),
        (format!("{base}{image}"), "image/png"),
        (format!("{base}{pdf}"), "application/pdf"),
        (format!("{base}sitemap.xml"), "application/xml; charset=utf-8"),
        (format!("{base}atom.xml"), "application/atom+xml; charset=utf-8"),
        (format!("{base}apero-tice/agenda.ics"), "text/calendar; charset=utf-8"),
    ];
    for (url, ty) in &cases {
        let r = s.get(url);
        assert_eq!(r.status, 200, "{url}");
        assert_eq!(r.header("Content-Type"), Some(*ty), "{url}");
        assert_eq!(r.header("Cache-Control"), Some("no-cache"), "{url}");
        assert_eq!(
            r.header("Content-Length").map(|l| l.parse::<usize>().unwrap()),
            Some(r.body.len()),
            "{url}"
        );
    }
    let url = sheet_url.as_str();
    let get = s.get(url);
    let head = request(s.port, "HEAD", url, &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(head.header("Content-Length"), get.header("Content-Length"));
    assert_eq!(head.header("Content-Type"), get.header("Content-Type"));
    let etag = get.header("ETag").expect("ETag").to_string();
    let lm = get.header("Last-Modified").expect("Last-Modified").to_string();
    let r = request(s.port, "GET", url, &[("If-None-Match", &etag)]);
    assert_eq!(r.status, 304);
    assert!(r.body.is_empty());
    assert_eq!(r.header("ETag"), Some(etag.as_str()));
    assert_eq!(request(s.port, "GET", url, &[("If-Modified-Since", &lm)]).status, 304);
    assert_eq!(
        request(s.port, "GET", url, &[("If-None-Match", "\"autre\"")]).status,
        200
    );
    assert_eq!(
        request(
            s.port,
            "GET",
            url,
            &[("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")]
        )
        .status,
        200
    );
    // The 404 status survives HEAD too.
    assert_eq!(request(s.port, "HEAD", &format!("{base}x/"), &[]).status, 404);

    // A rebuild changes the ETag: the browser's copy is stale.
    let mut ev = s.events();
    ev.wait("hello", WAIT).unwrap();
    edit(&s.file(&sheet), |t| t.replace("## Étapes", "## Étapes à suivre"));
    ev.wait("reload", WAIT).expect("reload");
    let r = request(s.port, "GET", url, &[("If-None-Match", &etag)]);
    assert_eq!(r.status, 200);
    assert_ne!(r.header("ETag"), Some(etag.as_str()));
}

#[test]
fn nothing_outside_the_output_folder_is_reachable() {
    each(nothing_outside);
}

fn nothing_outside(c: &Corpus) {
    let (sheet, _) = sheet_of(c);
    let base = c.base();
    let (t, root) = site_copy(&c.root);
    // Secrets beside and above the site, and the site's own sources.
    std::fs::write(t.path().join("secret.txt"), "SECRET-ABOVE").unwrap();
    std::fs::write(root.join("secret.txt"), "SECRET-ROOT").unwrap();
    let s = serve_at(&root, Some(t), &[]);
    let depth = "../".repeat(12);
    let targets = [
        format!("{base}../secret.txt"),
        format!("{base}../../secret.txt"),
        format!("{base}{depth}etc/passwd"),
        format!("{base}%2e%2e/secret.txt"),
        format!("{base}%2E%2E/%2E%2E/secret.txt"),
        format!("{base}..%2fsecret.txt"),
        format!("{base}%2e%2e%2f%2e%2e%2fsecret.txt"),
        format!("{base}..%2F..%2F..%2F..%2Fetc%2Fpasswd"),
        format!("{base}%252e%252e/secret.txt"),
        format!("{base}..\\secret.txt"),
        format!("{base}%5c..%5c..%5csecret.txt"),
        format!("{base}..%5c..%5csecret.txt"),
        format!("{base}%c0%ae%c0%ae/secret.txt"),
        format!("{base}index.html%00"),
        format!("{base}secret.txt%00.html"),
        format!("{base}./../secret.txt"),
        format!("{base}/etc/passwd"),
        format!("{base}//etc/passwd"),
        "/etc/passwd".to_string(),
        "//etc/passwd".to_string(),
        "http://127.0.0.1/etc/passwd".to_string(),
        format!("{base}book.toml"),
        format!("{base}{sheet}"),
        format!("{base}secret.txt"),
        format!("{base}..{base}../secret.txt"),
    ];
    for target in &targets {
        let r = request(s.port, "GET", target, &[]);
        let body = r.text();
        assert!(r.status == 400 || r.status == 404, "{target} → {}", r.status);
        assert!(
            !body.contains("SECRET-")
                && !body.contains("root:x:0:0")
                && !body.contains("[book]")
                && !body.contains("+++"),
            "{target} leaked:\n{body}"
        );
    }
}

#[test]
fn the_script_is_only_in_serve_output() {
    each(script_only_in_serve);
}

fn script_only_in_serve(c: &Corpus) {
    let (_, sheet_url) = sheet_of(c);
    let s = serve_corpus(c, &[]);
    // Built from the same copy: a corpus inside a git checkout has a history
    // (contributors) that its copy has not.
    let (_t, out) = build_to(&s.root, &[]);
    let built = read(&out.join(format!("fiches/{}/index.html", c.s("sheet.id"))));
    assert!(!built.contains("fiches-live-reload") && !built.contains("__fiches"));
    let served = s.get(&sheet_url).text();
    assert!(served.contains(&format!("{}__fiches/events", c.base())));
    assert!(
        served.contains("sessionStorage"),
        "the reload keeps the scroll position"
    );
    assert_eq!(
        strip_script(&served),
        built,
        "serve serves what build writes, plus the script"
    );
}

fn strip_script(html: &str) -> String {
    match (
        html.find("<script id=\"fiches-live-reload\">"),
        html.rfind("</script></body>"),
    ) {
        (Some(a), Some(b)) if b > a => format!("{}{}", &html[..a], &html[b + "</script>".len()..]),
        _ => html.to_string(),
    }
}

/// Every file of a fresh `fiches build` must be what serve serves after a
/// series of incremental rebuilds (except the search index, written later).
/// After a save, the late pages (booklets, feeds, sitemap) wait for the
/// search index update, up to `LATE_PAGES_WAIT` (3 s) on a loaded machine,
/// with no event meanwhile: the comparison is repeated until it holds or
/// `LATE_PAGES` has passed, so a page that stays stale still fails.
fn assert_same_as_build(s: &Serve) {
    const LATE_PAGES: Duration = Duration::from_secs(15);
    let (_t, out) = build_to(&s.root, &[]);
    let end = Instant::now() + LATE_PAGES;
    loop {
        let diffs = diffs_from_build(s, &out);
        if diffs.is_empty() {
            return;
        }
        if Instant::now() >= end {
            panic!(
                "serve differs from build for:\n{}\nstderr:\n{}",
                diffs.join("\n"),
                s.stderr()
            );
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}

fn diffs_from_build(s: &Serve, out: &Path) -> Vec<String> {
    let mut diffs = Vec::new();
    for f in walk(out) {
        let rel = rel_url(f.strip_prefix(out).unwrap());
        // The search index is written later; serve writes a worker that
        // retires any installed one, and no offline page (tests/offline.rs).
        if rel.starts_with("search/") || rel == "sw.js" || rel.starts_with("hors-ligne/") {
            continue;
        }
        let r = s.get(&format!(
            "{}{}",
            s.base,
            rel.split('/')
                .map(|seg| percent_encoding::utf8_percent_encode(seg, percent_encoding::NON_ALPHANUMERIC).to_string())
                .collect::<Vec<_>>()
                .join("/")
        ));
        let want = std::fs::read(&f).unwrap();
        let got = if rel.ends_with(".html") {
            strip_script(&r.text()).into_bytes()
        } else {
            r.body.clone()
        };
        if r.status != 200 || got != want {
            diffs.push(format!("{rel} ({})", r.status));
        }
    }
    diffs
}

/// `step(what, change)`: makes the change to the site, then waits for
/// the reload that names `what`.
fn stepper<'a>(s: &'a Serve, ev: &'a mut Events) -> impl FnMut(&str, &dyn Fn(&Path)) + 'a {
    ev.wait("hello", WAIT).unwrap();
    move |what: &str, f: &dyn Fn(&Path)| {
        f(&s.root);
        ev.reload_for(what, WAIT)
            .unwrap_or_else(|| panic!("no reload after {what}; stderr:\n{}", s.stderr()));
    }
}

fn rel_url(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Edits the `title = "…"` line of a front matter with `f`.
fn retitle(t: &str, f: impl Fn(&str) -> String) -> String {
    let re = regex::Regex::new(r#"(?m)^title = "(.*)"$"#).unwrap();
    let old = re.captures(t).expect("a title line")[1].to_string();
    re.replace(t, format!("title = \"{}\"", f(&old)).as_str()).into_owned()
}

#[test]
fn incremental_rebuilds_match_a_full_build() {
    each(incremental_rebuilds);
}

fn incremental_rebuilds(c: &Corpus) {
    let (sheet, _) = sheet_of(c);
    let name = sheet_name(c);
    let moved = format!("content/fiches/{}.md", c.s("serve.moved"));
    let moved_name = moved.rsplit('/').next().unwrap().to_string();
    let session = c.s("serve.session");
    let session_name = session.rsplit('/').next().unwrap().to_string();
    let category = format!("content/fiches/{}/_index.md", c.s("category.dir"));
    let removed = c.s("serve.removed");
    let removed_file = format!("content/fiches/{removed}.md");
    let removed_name = removed_file.rsplit('/').next().unwrap().to_string();
    let pdf = format!("static/{}", c.s("serve.pdf"));
    let pdf_name = pdf.rsplit('/').next().unwrap().to_string();
    let action = format!("action = \"{}\"\n", c.s("sheet.action"));
    let path_second = format!("content/fiches/{}.md", c.list("parcours.order")[1]);
    let path_second_name = path_second.rsplit('/').next().unwrap().to_string();
    let s = serve_corpus(c, &[]);
    let mut ev = s.events();
    let mut step = stepper(&s, &mut ev);
    // Body only (the fast path).
    step(&name, &|r| {
        edit(&r.join(&sheet), |t| t.replace("## Étapes", "## Les étapes"))
    });
    // A title that moves the sheet to the end of its category.
    step(&moved_name, &|r| {
        edit(&r.join(&moved), |t| {
            let weight = regex::Regex::new(r"(?m)^weight = \d+\n").unwrap();
            weight.replace(&retitle(t, |old| format!("Zz {old}")), "").into_owned()
        })
    });
    // A weight, an action removed, a summary.
    step(&name, &|r| {
        edit(&r.join(&sheet), |t| {
            let weight = regex::Regex::new(r"(?m)^weight = \d+$").unwrap();
            assert!(weight.is_match(t) && t.contains(&action), "{sheet}: weight and action");
            weight.replace(t, "weight = 99").replace(&action, "")
        })
    });
    // A session and a category description.
    step(&session_name, &|r| {
        edit(&r.join(&session), |t| retitle(t, |old| format!("{old} (bis)")))
    });
    step("_index.md", &|r| {
        edit(&r.join(&category), |t| retitle(t, |old| format!("{old} (bis)")))
    });
    // A new sheet linking to an existing one, then one removed.
    step("nouvelle.md", &|r| {
        std::fs::write(
            r.join(&sheet).with_file_name("nouvelle.md"),
            format!("+++\ntitle = \"Nouvelle fiche\"\nupdated = 2025-01-02\n+++\n\nVoir [la fiche]({name}).\n"),
        )
        .unwrap()
    });
    step(&removed_name, &|r| std::fs::remove_file(r.join(&removed_file)).unwrap());
    // A sheet linking to the new one: removing the new one breaks that
    // link (only the pages that link to a removed file are rendered
    // again: this one must be), putting it back mends it.
    step("autre.md", &|r| {
        let text = "+++\ntitle = \"Autre fiche\"\nupdated = 2025-01-03\n+++\n\nVoir [la nouvelle](nouvelle.md).\n";
        std::fs::write(r.join(&sheet).with_file_name("autre.md"), text).unwrap()
    });
    let new_file = s.root.join(&sheet).with_file_name("nouvelle.md");
    let new_text = std::fs::read(&new_file).unwrap();
    std::fs::remove_file(&new_file).unwrap();
    let err = s
        .events()
        .wait("build-error", WAIT)
        .expect("the link to a removed sheet is broken");
    assert!(err.to_string().contains("autre.md"), "{err}");
    step("nouvelle.md", &|_| std::fs::write(&new_file, &new_text).unwrap());
    // A static file replaced.
    step(&pdf_name, &|r| std::fs::write(r.join(&pdf), b"%PDF-1.4 test").unwrap());
    // The second sheet of a training path retitled: the first one's page
    // names it as the path's next step (review26).
    step(&path_second_name, &|r| {
        edit(&r.join(&path_second), |t| retitle(t, |old| format!("{old} (bis)")))
    });
    drop(step);
    ev.settle(Duration::from_millis(700));
    assert_same_as_build(&s);
    assert_eq!(
        s.get(&c.sheet_path(&removed)).status,
        404,
        "a removed sheet's page is gone"
    );
    let new_sheet = format!("{}/nouvelle", c.s("sheet.id").rsplit_once('/').unwrap().0);
    assert_eq!(s.get(&c.sheet_path(&new_sheet)).status, 200);
}

#[test]
fn search_index_follows_edits_adds_and_removes() {
    each(search_follows);
}

/// Serve's search index is updated in place (`fiches_search::LiveIndex`).
/// After an edit, every file of `search/` is served with the bytes of a
/// fresh `fiches build`, also after a path's sheet is retitled and a
/// path edited. An added sheet or path takes the next number and a
/// removed one leaves a hole, so that the files of the other documents do
/// not move: after an add and a remove, the served index is a fresh
/// build's numbered otherwise, which `fiches_search::live::index_by_id`
/// checks (every posting and level by document id, the vocabulary files
/// byte for byte, each document's files and facets, the order of equal
/// scores, the manifest but for its numbering); the removed sheet's file
/// is gone.
fn search_follows(c: &Corpus) {
    let (sheet, _) = sheet_of(c);
    let removed = format!("content/fiches/{}.md", c.s("serve.removed"));
    let s = serve_corpus(c, &[]);
    let mut ev = s.events();
    let mut step = stepper(&s, &mut ev);
    let served = |rel: &str| -> Option<String> {
        let r = s.get(&format!("{}search/{rel}", s.base));
        (r.status == 200).then(|| r.text())
    };
    // Written in the background: wait until `same` holds.
    let wait = |what: &str, same: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !same() {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the served index never matched a build after {what}; stderr:\n{}",
                s.stderr()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    // Every served file of `search/` has the bytes of a fresh build.
    let same_as_build = |what: &str| {
        let (_t, out) = build_to(&s.root, &[]);
        let want = read(&out.join("search/manifest.js"));
        wait(what, &|| served("manifest.js").as_deref() == Some(want.as_str()));
        let mut diffs = Vec::new();
        for f in walk(&out.join("search")) {
            let rel = rel_url(f.strip_prefix(&out).unwrap());
            let r = s.get(&format!("{}{rel}", s.base));
            if r.status != 200 || r.body != std::fs::read(&f).unwrap() {
                diffs.push(format!("{rel} ({})", r.status));
            }
        }
        assert!(
            diffs.is_empty(),
            "after {what}, served search files differ from a build:\n{}",
            diffs.join("\n")
        );
    };
    step(&sheet_name(c), &|r| {
        edit(&r.join(&sheet), |t| format!("{t}\nUn paragraphe zorglubien.\n"))
    });
    same_as_build("an edit");
    // A training path's document names its sheets: one of them retitled,
    // then the path's introduction edited.
    let second = format!("content/fiches/{}.md", c.list("parcours.order")[1]);
    step(second.rsplit('/').next().unwrap(), &|r| {
        edit(&r.join(&second), |t| retitle(t, |old| format!("{old} zygodactyle")))
    });
    same_as_build("a path's sheet retitled");
    let path = format!("content/parcours/{}.md", c.s("parcours.slug"));
    step(path.rsplit('/').next().unwrap(), &|r| {
        edit(&r.join(&path), |t| format!("{t}\nUn parcours ornithorynque.\n"))
    });
    same_as_build("a path edited");
    step("recherche-neuve.md", &|r| {
        let text = "+++\ntitle = \"Recherche neuve\"\nupdated = 2025-01-02\n+++\n\nLe quokkaphone sonne.\n";
        std::fs::write(r.join(&sheet).with_file_name("recherche-neuve.md"), text).unwrap()
    });
    // A new training path: a document of its own, numbered as a sheet is.
    let first_sheet = c.list("parcours.order")[0].clone();
    step("parcours-neuf.md", &|r| {
        let text = format!("+++\ntitle = \"Parcours neuf\"\nfiches = [\"{first_sheet}\"]\n+++\n\nUn tamanoir.\n");
        std::fs::write(r.join("content/parcours/parcours-neuf.md"), text).unwrap()
    });
    let step_removed = removed.rsplit('/').next().unwrap().to_string();
    step(&step_removed, &|r| std::fs::remove_file(r.join(&removed)).unwrap());
    let (_t, out) = build_to(&s.root, &[]);
    let root = out.join("search");
    let want = fiches_search::live::index_by_id(&|rel| std::fs::read_to_string(root.join(rel)).ok()).unwrap();
    wait("an add and a remove", &|| {
        fiches_search::live::index_by_id(&served).is_ok_and(|got| got == want)
    });
    let got = fiches_search::live::index_by_id(&served).unwrap();
    assert!(
        got.keys().any(|k| k.starts_with("term zorglub"))
            && got.keys().any(|k| k.starts_with("term quokkaphon"))
            && got.keys().any(|k| k.starts_with("term tamanoir")),
        "the edited and the added words are indexed"
    );
    // Numbered otherwise: one number more than documents, the removed
    // sheet's, whose file is gone.
    let manifest = |text: &str| -> serde_json::Value { fiches_search::browser::registered_data(text).unwrap().1 };
    let m = manifest(&served("manifest.js").unwrap());
    let (n, ords) = (m["n"].as_u64().unwrap(), m["ords"].as_u64().unwrap());
    assert_eq!(ords, n + 1, "{m}");
    // Documents in blocks of `doc_block`: a removed sheet's entry is null
    // (its block's file is gone if that was all it held).
    let block = m["doc_block"].as_u64().unwrap();
    let docs: u64 = (0..ords.div_ceil(block))
        .filter_map(|b| served(&format!("d/{b}.js")))
        .map(|t| {
            manifest(&t)["d"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| !e.is_null())
                .count() as u64
        })
        .sum();
    assert_eq!(docs, n, "no entry for the removed sheet's number");
}

#[test]
fn book_toml_change_rebuilds_everything() {
    each(book_toml_change);
}

fn book_toml_change(c: &Corpus) {
    let (_, sheet_url) = sheet_of(c);
    let s = serve_corpus(c, &[]);
    let mut ev = s.events();
    ev.wait("hello", WAIT).unwrap();
    edit(&s.file("book.toml"), |t| {
        let edited = t.replacen("[book]\ntitle = \"", "[book]\ntitle = \"Renommé — ", 1);
        assert_ne!(edited, t);
        edited
    });
    ev.wait("reload", WAIT)
        .unwrap_or_else(|| panic!("no reload; stderr:\n{}", s.stderr()));
    assert!(s.get(&sheet_url).text().contains("Renommé — "));
    assert!(s
        .log_until(|l| l.contains("site reconstruit"))
        .contains("site reconstruit"));
    // An unknown key in book.toml: overlay, last good site kept.
    edit(&s.file("book.toml"), |t| t.replace("[build]", "[build]\nthme = \"x\""));
    let err = ev.wait("build-error", WAIT).expect("book.toml error");
    assert_eq!(err["errors"][0]["file"], "book.toml");
    assert_eq!(s.get(&sheet_url).status, 200);
    edit(&s.file("book.toml"), |t| t.replace("thme = \"x\"\n", ""));
    ev.wait("reload", WAIT).expect("recovery");
    ev.settle(Duration::from_millis(700));
    assert_same_as_build(&s);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_and_removes_the_temporary_folder() {
    let mut s = serve_corpus(&lycee(), &[]);
    let pid = s.child.id();
    let prefix = format!("fiches-serve-{pid}-");
    let ours = || {
        std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(&prefix))
    };
    assert!(ours(), "serve works in a temporary folder");
    assert!(Command::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap()
        .success());
    let end = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            break st;
        }
        assert!(Instant::now() < end, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(!ours(), "temporary folder removed");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_cleanly_too() {
    let mut s = serve_corpus(&lycee(), &[]);
    let pid = s.child.id();
    let prefix = format!("fiches-serve-{pid}-");
    assert!(Command::new("kill").arg(pid.to_string()).status().unwrap().success());
    let end = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(st) = s.child.try_wait().unwrap() {
            break st;
        }
        assert!(Instant::now() < end, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    assert!(s.stderr().contains("Arrêt du serveur"), "{}", s.stderr());
    assert!(!std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with(&prefix)));
}

/// Coarse modification times (whole seconds in notify's poller, 2 s on a
/// FAT USB key): a save that leaves the time as it was is still seen by the
/// polling watcher, which compares contents.
#[test]
fn polling_watcher_sees_saves_that_keep_the_modification_time() {
    let c = lycee();
    let s = serve_corpus(&c, &["--watcher", "poll"]);
    let (sheet, sheet_url) = sheet_of(&c);
    assert!(
        s.log_until(|l| l.contains("scrutation")).contains("scrutation"),
        "{}",
        s.stderr()
    );
    let mut ev = s.events();
    assert!(ev.wait("hello", WAIT).is_some());
    let path = s.file(&sheet);
    let mtime = std::fs::metadata(&path).unwrap().modified().unwrap();
    for n in 1..=2 {
        let marker = format!("Paragraphe {n} enregistré à la même heure.");
        edit(&path, |t| {
            t.replace("## Symptômes", &format!("## Symptômes\n\n{marker}"))
        });
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), mtime);
        ev.reload_for(&sheet_name(&c), WAIT)
            .unwrap_or_else(|| panic!("save {n} not seen; stderr:\n{}", s.stderr()));
        assert!(s.get(&sheet_url).text().contains(&marker), "save {n}");
        // The rebuild's second part reloads too: let it pass.
        ev.settle(POLL_QUIET);
    }
}

/// Longer than the polling watcher's period (0.5 s).
const POLL_QUIET: Duration = Duration::from_millis(1500);

/// `--open` asks the system for the default browser (the `open` crate):
/// here a stand-in `xdg-open` first in PATH records the URL it was given.
#[cfg(all(unix, not(target_os = "macos")))]
#[test]
fn open_launches_the_default_browser_with_the_site_url() {
    use std::os::unix::fs::PermissionsExt;
    let (t, root) = site_copy(&lycee().root);
    let bin_dir = t.path().join("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let opened = t.path().join("opened.txt");
    let script = bin_dir.join("xdg-open");
    std::fs::write(&script, format!("#!/bin/sh\necho \"$@\" > '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin_dir.display());
    let s = serve_env(&root, Some(t), &["--open"], &[("PATH", &path)]);
    let end = Instant::now() + WAIT;
    while !opened.is_file() || std::fs::read_to_string(&opened).unwrap().is_empty() {
        assert!(Instant::now() < end, "no browser opened; stderr:\n{}", s.stderr());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        std::fs::read_to_string(&opened).unwrap().trim(),
        format!("http://127.0.0.1:{}{}", s.port, s.base)
    );
}

// ---------------------------------------------------------------------------
// Benchmark: time from saving a sheet to the reload event.
//
//   bench/serve-latency.sh            (college corpus and 10,000 sheets)
//   FICHES_BENCH_SITE=DIR cargo test --release -p fiches --test serve -- --ignored --nocapture serve_latency

/// A deterministic synthetic site of `n` sheets in 50 categories, for when
/// `bench/gen_corpus.py` is not used.
pub fn gen_site(root: &Path, n: usize) {
    let words = [
        "imprimante",
        "réseau",
        "mot",
        "de",
        "passe",
        "ENT",
        "Pronote",
        "tablette",
        "vidéoprojecteur",
        "câble",
        "salle",
        "élève",
        "professeur",
        "compte",
        "connexion",
        "écran",
        "son",
        "clavier",
        "souris",
        "session",
        "fichier",
        "dossier",
        "partage",
        "serveur",
        "Wi-Fi",
        "badge",
        "copieur",
        "bourrage",
        "toner",
        "redémarrer",
        "vérifier",
        "ouvrir",
    ];
    let mut seed: u64 = 42;
    let mut rnd = move |m: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % m
    };
    let sentence = |rnd: &mut dyn FnMut(usize) -> usize, k: usize| {
        (0..k).map(|_| words[rnd(words.len())]).collect::<Vec<_>>().join(" ")
    };
    std::fs::create_dir_all(root.join("content/fiches")).unwrap();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Site synthétique\"\nlanguage = \"fr\"\n\n[site]\nbase-url = \"/aide-numerique/\"\n",
    )
    .unwrap();
    let mut actions = String::new();
    for a in 0..20 {
        actions.push_str(&format!("[[action]]\nid = \"action-{a}\"\ntitle = \"Action {a}\"\nwho = [\"referent\"]\nconditions = \"Sur demande.\"\nreference = \"Article {a}\"\n\n"));
    }
    std::fs::write(root.join("content/actions.toml"), actions).unwrap();
    let cats = 50;
    for c in 0..cats {
        let d = root.join(format!("content/fiches/cat-{c:02}"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(
            d.join("_index.md"),
            format!(
                "+++\ntitle = \"Catégorie {c}\"\ndescription = \"{}\"\n+++\n",
                sentence(&mut rnd, 8)
            ),
        )
        .unwrap();
    }
    for i in 0..n {
        let c = i % cats;
        let mut s = format!(
            "+++\ntitle = \"Fiche {i} : {}\"\nsummary = \"{}\"\ntags = [\"{}\"]\naudience = [\"enseignant\"]\nupdated = 2025-{:02}-{:02}\n",
            sentence(&mut rnd, 3),
            sentence(&mut rnd, 12),
            words[rnd(words.len())],
            1 + i % 12,
            1 + i % 28
        );
        if i % 500 == 0 {
            s.push_str(&format!("action = \"action-{}\"\n", (i / 500) % 20));
        }
        s.push_str("+++\n\n## Symptômes\n\n");
        for _ in 0..3 {
            s.push_str(&sentence(&mut rnd, 25));
            s.push_str(".\n");
        }
        s.push_str("\n## Étapes\n\n");
        for k in 1..=8 {
            s.push_str(&format!("{k}. {}.\n", sentence(&mut rnd, 12)));
        }
        let j = rnd(n);
        s.push_str(&format!(
            "\nVoir aussi [la fiche {j}](../cat-{:02}/fiche-{j:05}.md).\n\n## Si cela ne fonctionne pas\n\n{}.\n",
            j % cats,
            sentence(&mut rnd, 30)
        ));
        std::fs::write(root.join(format!("content/fiches/cat-{c:02}/fiche-{i:05}.md")), s).unwrap();
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Saves `saves` sheets one after the other, waiting for each reload.
fn measure(label: &str, s: &Serve, sheets: &[PathBuf], saves: usize) {
    let mut ev = s.events();
    ev.wait("hello", Duration::from_secs(600)).unwrap();
    let (mut first, mut second) = (Vec::new(), Vec::new());
    for k in 0..saves {
        let path = &sheets[k % sheets.len()];
        let text = std::fs::read_to_string(path).unwrap();
        let new = format!("{text}\nLigne ajoutée {k}.\n");
        // A writer saves every few seconds; the search index of the
        // previous save may still be running (at low priority), as in use.
        std::thread::sleep(Duration::from_millis(1500));
        let t = Instant::now();
        std::fs::write(path, new).unwrap();
        let d = loop {
            let d = ev
                .wait("reload", Duration::from_secs(600))
                .unwrap_or_else(|| panic!("no reload; stderr:\n{}", s.stderr()));
            if d.get("only").is_none() {
                break d;
            }
        };
        first.push(t.elapsed().as_secs_f64() * 1000.0);
        // The second part: booklet, follow-up, accessibility, sitemap, feeds.
        if d["pending"].as_array().is_some_and(|p| !p.is_empty())
            && ev.wait("reload", Duration::from_secs(600)).is_some()
        {
            second.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let stats = |v: &mut Vec<f64>| {
        let (min, max) = (
            v.iter().cloned().fold(f64::MAX, f64::min),
            v.iter().cloned().fold(0.0, f64::max),
        );
        format!("median {:.1} ms (min {min:.1}, max {max:.1})", median(v))
    };
    println!(
        "serve latency, {label}, {saves} saves: save → reload event {}; → long pages reloaded {}",
        stats(&mut first),
        stats(&mut second)
    );
}

#[test]
#[ignore]
fn serve_latency() {
    println!(); // the test harness prints its name on the first line
    let saves: usize = std::env::var("FICHES_BENCH_SAVES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    // The realistic corpus: the shared one when present, else the repository's.
    {
        let c = corpora().pop().unwrap();
        let s = serve_corpus(&c, &[]);
        let sheets: Vec<PathBuf> = [c.s("sheet.id"), c.s("serve.moved"), c.s("print.short")]
            .iter()
            .map(|x| s.file(&format!("content/fiches/{x}.md")))
            .collect();
        measure(&format!("{} corpus", c.name), &s, &sheets, saves);
        println!(
            "{}",
            s.stderr()
                .lines()
                .filter(|l| l.starts_with("Site construit"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    // Large site: FICHES_BENCH_SITE (e.g. made by bench/gen_corpus.py), else generated here.
    let (t, root) = match std::env::var_os("FICHES_BENCH_SITE") {
        Some(p) => {
            // Saves change files: work on a copy.
            let t = tempdir();
            let root = t.path().join("site");
            copy_dir(Path::new(&p), &root);
            (Some(t), root)
        }
        None => {
            let t = tempdir();
            let root = t.path().join("site");
            let n = std::env::var("FICHES_BENCH_SHEETS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(10_000);
            gen_site(&root, n);
            (Some(t), root)
        }
    };
    let start = Instant::now();
    let s = serve_at(&root, t, &[]);
    println!(
        "large site: first build and bind in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let mut sheets: Vec<PathBuf> = walk(&root.join("content/fiches"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    let count = sheets.len();
    // Spread over the site, deterministic.
    let step = (count / 7).max(1);
    sheets = (0..7).map(|k| sheets[(k * step + 3) % count].clone()).collect();
    measure(&format!("{count} sheets"), &s, &sheets, saves);
    let log = s.stderr();
    let mut internal: Vec<f64> = log
        .lines()
        .filter(|l| l.contains("régénérée"))
        .filter_map(|l| l.rsplit(" en ").next()?.strip_suffix(" ms")?.parse().ok())
        .collect();
    if !internal.is_empty() {
        println!(
            "  rebuild alone (terminal lines): median {:.0} ms",
            median(&mut internal)
        );
    }
    for l in log
        .lines()
        .filter(|l| l.starts_with("Site construit") || l.contains("index de recherche"))
        .take(3)
    {
        println!("  {l}");
    }
    // A change that moves a sheet in its category: the model is rebuilt.
    let mut ev = s.events();
    ev.wait("hello", WAIT).unwrap();
    let mut moved = Vec::new();
    for (k, path) in sheets.iter().take(3).enumerate() {
        std::thread::sleep(Duration::from_millis(1500));
        let text = std::fs::read_to_string(path).unwrap();
        // First in its category: neighbours' previous/next links change.
        let mut front = true;
        let mut new = String::new();
        for (n, l) in text.lines().enumerate() {
            if n > 0 && l == "+++" {
                front = false;
            }
            if !(front && l.starts_with("weight")) {
                new.push_str(l);
                new.push('\n');
            }
            if n == 0 {
                new.push_str(&format!("weight = -{}\n", k + 1));
            }
        }
        let t = Instant::now();
        std::fs::write(path, new).unwrap();
        // The first reload of this save, not the second part of the last one.
        let d = loop {
            let d = ev.wait("reload", Duration::from_secs(600)).expect("reload");
            if d.get("only").is_none() {
                break d;
            }
        };
        moved.push(t.elapsed().as_secs_f64() * 1000.0);
        if d["pending"].as_array().is_some_and(|p| !p.is_empty()) {
            ev.wait("reload", Duration::from_secs(600));
        }
    }
    println!(
        "serve latency, {count} sheets, sheet moved in its category (model rebuilt), 3 saves: median {:.0} ms",
        median(&mut moved)
    );
}

#[test]
fn pooled_sheets_are_watched_and_rebuilt_too() {
    each(pooled_sheets);
}

fn pooled_sheets(c: &Corpus) {
    let base = c.base();
    let (t, root) = site_copy(&c.root);
    let pool = root.join("commun/content/fiches/partage");
    std::fs::create_dir_all(&pool).unwrap();
    std::fs::write(
        pool.join("fiche-commune.md"),
        "+++\ntitle = \"Fiche commune\"\nupdated = 2025-03-01\n+++\n\n## Étapes\n\nTexte commun.\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("commun/static/communs")).unwrap();
    std::fs::write(root.join("commun/static/communs/a.txt"), "pool v1").unwrap();
    edit(&root.join("book.toml"), |t| {
        format!("{t}\n[[pool]]\npath = \"commun\"\nlabel = \"Fiches communes du département\"\n")
    });
    let s = serve_at(&root, Some(t), &[]);
    let url = &format!("{base}fiches/partage/fiche-commune/");
    assert!(s.get(url).text().contains("Texte commun."));
    let mut ev = s.events();
    ev.wait("hello", WAIT).unwrap();
    edit(&s.file("commun/content/fiches/partage/fiche-commune.md"), |t| {
        t.replace("Texte commun.", "Texte commun modifié.")
    });
    ev.reload_for("fiche-commune.md", WAIT)
        .unwrap_or_else(|| panic!("no reload; stderr:\n{}", s.stderr()));
    assert!(s.get(url).text().contains("Texte commun modifié."));
    std::fs::write(s.file("commun/static/communs/a.txt"), "pool v2").unwrap();
    ev.reload_for("a.txt", WAIT).expect("reload after a pooled static file");
    assert_eq!(s.get(&format!("{base}communs/a.txt")).text(), "pool v2");
    ev.settle(Duration::from_millis(700));
    assert_same_as_build(&s);
}

/// One rule for a static file at the path of a generated file, in `build`
/// and in `serve`: the generated file wins and `check` warns. (Before,
/// `build` let `static/index.html` replace the home page while `serve`
/// kept the page.)
#[test]
fn generated_pages_win_over_static_files_in_build_and_serve_alike() {
    each(generated_pages_win);
}

fn generated_pages_win(c: &Corpus) {
    let (t, root) = site_copy(&c.root);
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(root.join("static/index.html"), "<p>statique</p>").unwrap();
    std::fs::write(root.join("static/sitemap.xml"), "statique").unwrap();
    let o = fiches_in(&root, &["check", "--format", "json"]);
    let report = stdout(&o);
    for f in ["static/index.html", "static/sitemap.xml"] {
        assert!(
            report.contains("static-shadowed") && report.contains(f),
            "check warns about {f}:\n{report}"
        );
    }
    let (_b, out) = build_to(&root, &[]);
    assert!(
        !read(&out.join("index.html")).contains("statique"),
        "build: the home page wins"
    );
    assert!(
        !read(&out.join("sitemap.xml")).contains("statique"),
        "build: the sitemap wins"
    );
    let s = serve_at(&root, Some(t), &[]);
    let mut ev = s.events();
    ev.wait("hello", WAIT).unwrap();
    assert!(!s.get(&s.base).text().contains("statique"), "serve: the home page wins");
    // Changed while serving: still shadowed; then a sheet edit, so that a
    // rebuild is known to be done before comparing with `build`.
    std::fs::write(s.file("static/index.html"), "<p>statique 2</p>").unwrap();
    let (sheet, _) = sheet_of(c);
    edit(&s.file(&sheet), |t| t.replace("## Étapes", "## Les étapes"));
    ev.reload_for(&sheet_name(c), WAIT)
        .unwrap_or_else(|| panic!("no reload; stderr:\n{}", s.stderr()));
    ev.settle(Duration::from_millis(700));
    assert!(
        !s.get(&s.base).text().contains("statique"),
        "serve: the home page still wins"
    );
    assert_same_as_build(&s);
}

#[test]
fn the_404_page_links_to_the_served_site_not_the_production_host() {
    // Intended change (issue 12): with an absolute base-url, the 404 page's
    // links named the production host, so `serve` sent its visitors away.
    let c = lycee();
    let base = c.base();
    let (t, root) = corpus_with(&c, |b| {
        b.replace(
            &format!("base-url = \"{base}\""),
            &format!("base-url = \"https://lycee.example.net{base}\""),
        )
    });
    let s = serve_at(&root, Some(t), &[]);
    assert_eq!(s.base, base, "serve publishes under the path of base-url");
    let r = s.get(&format!("{base}nulle-part/"));
    assert_eq!(r.status, 404);
    let html = r.text().replace("&#x2F;", "/");
    assert!(!html.contains("lycee.example.net"), "{html}");
    let home = format!("href=\"{base}index.html\"");
    assert!(html.contains(&home), "{home} in:\n{html}");
    assert_eq!(s.get(&format!("{base}index.html")).status, 200);
}

/// A folder reached through a link inside the content (`lien -> …`) is
/// two sets of pages built from the same files: a save, named by the
/// system under one of the two paths only, rebuilds both (before, the
/// other page kept the old text until serve was restarted).
#[test]
fn a_file_reached_through_a_folder_link_rebuilds_every_page_built_from_it() {
    each(through_a_link);
}

fn through_a_link(c: &Corpus) {
    let (sheet, url) = sheet_of(c);
    let name = sheet_name(c);
    let id = c.s("sheet.id");
    let (dir, stem) = id.rsplit_once('/').unwrap();
    let (t, root) = site_copy(&c.root);
    // `content/fiches/lien-copie -> <the sheet's folder>`: the sheet has a
    // second page, `fiches/lien-copie/<name>/`.
    let link = root.join("content/fiches/lien-copie");
    std::os::unix::fs::symlink(dir, &link).unwrap();
    let s = serve_at(&root, Some(t), &[]);
    let linked = c.sheet_path(&format!("lien-copie/{stem}"));
    assert_eq!(s.get(&linked).status, 200, "{linked}: the page under the link");
    let mut ev = s.events();
    ev.wait("hello", WAIT).unwrap();
    // Saved under its own path, then under the link's.
    for (n, path) in [(1, root.join(&sheet)), (2, link.join(&name))] {
        edit(&path, |t| {
            t.replacen("+++\n\n", &format!("+++\n\nModifiée {n} fois.\n\n"), 1)
        });
        ev.reload_for(&name, WAIT)
            .unwrap_or_else(|| panic!("no reload; stderr:\n{}", s.stderr()));
        ev.settle(Duration::from_millis(700));
        for u in [&url, &linked] {
            let text = s.get(u).text();
            assert!(text.contains(&format!("Modifiée {n} fois.")), "{u} after save {n}");
        }
    }
    assert_same_as_build(&s);
}

/// `aliases` while serving: an alias added gets its redirect page, an
/// alias removed loses it (the live folder keeps no stale redirect).
#[test]
fn serve_writes_and_removes_alias_redirects() {
    let (t, root) = demo_copy();
    let s = serve_at(&root, Some(t), &[]);
    let url = format!("{}fiches/wifi/ancien-nom/", s.base);
    let status_becomes = |want: u16| {
        let end = std::time::Instant::now() + WAIT;
        loop {
            let r = s.get(&url);
            if r.status == want || std::time::Instant::now() > end {
                return r;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    assert_eq!(s.get(&url).status, 404);
    let sheet = s.file("content/fiches/wifi/compte-invite.md");
    edit(&sheet, |t| {
        t.replacen("+++\n", "+++\naliases = [\"wifi/ancien-nom\"]\n", 1)
    });
    let r = status_becomes(200);
    assert_eq!(r.status, 200, "{}", s.stderr());
    assert!(r.text().contains("url=../compte-invite/index.html"), "{}", r.text());
    edit(&sheet, |t| t.replacen("aliases = [\"wifi/ancien-nom\"]\n", "", 1));
    assert_eq!(status_becomes(404).status, 404, "{}", s.stderr());
}

/// A port already taken (another `fiches serve` left open): said at once,
/// in French, with the option to type, before any build (the site's
/// broken sheet is not reported: on a large site the build takes a
/// minute), and the exit status is 1.
#[test]
fn a_port_taken_is_said_in_french_before_building() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let (_t, site) = site_copy(&lycee().root);
    write(&site.join("content/fiches/casse.md"), "+++\ntitle = \n+++\n");
    let mut child = Command::new(bin())
        .args(["--root", site.to_str().unwrap(), "serve", "--port", &port])
        .env("FICHES_CACHE_DIR", site.join(".cache"))
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let end = Instant::now() + WAIT;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > end {
            let _ = child.kill();
            panic!("fiches serve still running on a port taken");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("le port {port} est déjà utilisé")) && err.contains("--port"),
        "{err}"
    );
    assert!(
        !err.contains("Address already in use") && !err.contains("os error"),
        "{err}"
    );
    assert!(!err.contains("casse.md"), "the build ran first:\n{err}");
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    drop(taken);
}

/// Its work folder deleted under it (a cleaner of temporary files): the
/// next save writes the whole site again, not only the pages it touches.
#[test]
fn a_save_after_the_work_folder_is_deleted_writes_the_whole_site() {
    let c = lycee();
    let s = serve_corpus(&c, &[]);
    let home = format!("{}index.html", s.base);
    assert_eq!(s.get(&home).status, 200);
    let prefix = format!("fiches-serve-{}-", s.child.id());
    let work: Vec<PathBuf> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&prefix))
        .collect();
    assert_eq!(work.len(), 1, "{work:?}");
    // The search writer may still be writing in it: until it is gone.
    for _ in 0..50 {
        if std::fs::remove_dir_all(&work[0]).is_ok() && !work[0].join("site-1/index.html").exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(s.get(&home).status, 404);
    let (file, url) = sheet_of(&c);
    let path = s.root.join(&file);
    write(&path, &format!("{}\nUne ligne de plus.\n", read(&path)));
    s.log_until(|l| l.contains(&sheet_name(&c)));
    assert_eq!(s.get(&url).status, 200);
    assert_eq!(s.get(&home).status, 200, "the pages the save did not touch");
}
