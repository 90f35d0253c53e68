//! A site that survives a USB key and a Windows PC, and stays offline
//! (session 21, docs/robustness.md): names a FAT, exFAT or NTFS disk
//! cannot hold, images and frames loaded from another site, dates nobody
//! meant. Each test writes a tiny site, checks `check` (code, file, line,
//! exit status) and `build` (the same finding; on an error, the previous
//! output left as it was).

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A site with `book.toml` (`book` after the title) and the given files.
fn site(book: &str, files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempdir();
    let root = tmp.path().join("site");
    write(&root.join("book.toml"), &format!("[book]\ntitle = \"Collège\"\n{book}"));
    write(
        &root.join("content/fiches/wifi/acces.md"),
        &sheet("Accès au Wi-Fi", "Se connecter.\n"),
    );
    for (p, bytes) in files {
        write(&root.join(p), bytes);
    }
    (tmp, root)
}

fn sheet(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nupdated = 2025-09-01\n+++\n{body}")
}

/// (severity code file:line) of each finding, sorted.
fn found(diags: &[Value]) -> Vec<String> {
    let mut v: Vec<String> = diags
        .iter()
        .map(|d| {
            let line = d["line"].as_u64().map(|l| format!(":{l}")).unwrap_or_default();
            format!(
                "{} {} {}{line}",
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap()
            )
        })
        .collect();
    v.sort();
    v
}

/// `build` over a previous good output: fails, says each error of `check`
/// with its place, and leaves the output as it was.
fn build_refuses(root: &Path, errors: &[Value]) -> String {
    let tmp = tempdir();
    let out = tmp.path().join("public");
    let good = tmp.path().join("good");
    write(&good.join("book.toml"), "[book]\ntitle = \"Collège\"\n");
    write(&good.join("content/fiches/a/b.md"), &sheet("B", "x\n"));
    let o = fiches_in(&good, &["build", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&out);
    let o = fiches_in(root, &["build", "--output", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert_eq!(snapshot(&out), before, "the previous output changed");
    for d in errors {
        // As a terminal shows it: controls and bidirectional marks escaped.
        let mut at: String = d["file"]
            .as_str()
            .unwrap()
            .chars()
            .map(|c| match c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) {
                true => c.escape_default().to_string(),
                false => c.to_string(),
            })
            .collect();
        if let Some(l) = d["line"].as_u64() {
            at.push_str(&format!(":{l}"));
        }
        let code = format!("[{}]", d["code"].as_str().unwrap());
        assert!(
            err.lines()
                .any(|l| l.trim_start().starts_with(&at) && l.contains(&code)),
            "build does not say {at} {code}:\n{err}"
        );
    }
    err
}

/// `found`'s lines for one finding at each of `lines` of `file`, sorted as it sorts.
fn at_lines(what: &str, file: &str, lines: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = lines.iter().map(|l| format!("{what} {file}:{l}")).collect();
    v.sort();
    v
}

fn of<'a>(diags: &'a [Value], code: &str) -> Vec<&'a Value> {
    diags.iter().filter(|d| d["code"] == code).collect()
}

#[test]
fn names_a_usb_key_or_windows_cannot_hold_are_errors_with_the_file() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n";
    let body = "Voir l'écran :\n\n![Écran](./ecran:1.png)\n\n![Capture](Capture.png) et ![capture](capture.png)\n";
    let (_t, root) = site(
        "",
        &[
            ("content/fiches/wifi/ecran.md", sheet("Écran", body).as_bytes()),
            ("content/fiches/wifi/ecran:1.png", png),
            ("content/fiches/wifi/Capture.png", png),
            ("content/fiches/wifi/capture.png", png),
            // A device name, whatever the case and extension: the page's
            // folder `fiches/wifi/con/` cannot be made on Windows.
            ("content/fiches/wifi/CON.md", sheet("Console", "x\n").as_bytes()),
            ("content/fiches/aux/_index.md", b"Auxiliaires.\n"),
            ("content/fiches/aux/x.md", sheet("X", "x\n").as_bytes()),
            // Slugged: what Windows refuses never reaches the output.
            ("content/fiches/wifi/quoi ?.md", sheet("Quoi", "x\n").as_bytes()),
            ("content/fiches/wifi/a:b.md", sheet("AB", "x\n").as_bytes()),
            ("content/fiches/wifi/fin..md", sheet("Fin", "x\n").as_bytes()),
            ("content/fiches/wifi/gnp\u{202e}.md", sheet("RTL", "x\n").as_bytes()),
            // Static files keep their names.
            ("static/images/logo?.png", png),
            ("static/docs/notice.", b"x"),
            ("static/docs/photo\u{202e}gnp.exe", b"x"),
            ("static/docs/nul.txt", b"x"),
            ("static/docs/ligne\n.pdf", b"x"),
            ("static/lpt1/a.png", png),
            ("static/lpt1/b.png", png),
            ("static/images/Plan.png", png),
            ("static/images/plan.png", png),
            ("static/Index.html", b"<p>x</p>"),
            // Fine: a name Windows holds, a folder `Fiches` merged with
            // `fiches` on the copy but no file replaced.
            ("static/Fiches/Mode d'emploi (v2).pdf", b"x"),
            ("static/images/com10.png", png),
        ],
    );
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(
        found(&diags),
        [
            "error name-case-collision content/fiches/wifi/capture.png",
            "error name-case-collision static/Index.html",
            "error name-case-collision static/images/plan.png",
            "error name-not-portable content/fiches/aux/_index.md",
            "error name-not-portable content/fiches/wifi/CON.md",
            "error name-not-portable content/fiches/wifi/ecran.md:7",
            "error name-not-portable static/docs/ligne\n.pdf",
            "error name-not-portable static/docs/notice.",
            "error name-not-portable static/docs/nul.txt",
            "error name-not-portable static/docs/photo\u{202e}gnp.exe",
            "error name-not-portable static/images/logo?.png",
            "error name-not-portable static/lpt1",
        ],
        "{diags:#?}"
    );
    let msg = |file: &str| {
        let d = diags.iter().find(|d| d["file"] == file).unwrap();
        format!("{} {}", d["message"].as_str().unwrap(), d["hint"].as_str().unwrap())
    };
    assert!(
        msg("static/images/logo?.png").contains("`?`"),
        "{}",
        msg("static/images/logo?.png")
    );
    assert!(msg("static/images/logo?.png").contains("`logo-.png`"));
    assert!(msg("content/fiches/wifi/CON.md").contains("`fiches/wifi/con/`"));
    assert!(
        msg("static/images/plan.png").contains("static/images/Plan.png"),
        "both named"
    );
    assert!(msg("content/fiches/wifi/capture.png").contains("content/fiches/wifi/Capture.png"));
    assert!(msg("static/Index.html").contains("`index.html`"));
    assert!(msg("static/docs/notice.").contains("`notice`"), "the name to write");
    assert!(msg("static/docs/photo\u{202e}gnp.exe").contains("sens d'écriture"));
    let human = stderr(&fiches_in(&root, &["check"]));
    assert!(
        human.contains("static/docs/photo\\u{202e}gnp.exe: erreur[name-not-portable]"),
        "shown escaped on a terminal:\n{human}"
    );
    let errors: Vec<Value> = diags.iter().filter(|d| d["severity"] == "error").cloned().collect();
    build_refuses(&root, &errors);
}

#[test]
fn an_alias_windows_cannot_hold_is_refused() {
    let (_t, root) = site(
        "",
        &[(
            "content/fiches/wifi/console.md",
            b"+++\ntitle = \"Console\"\naliases = [\"wifi/con\"]\n+++\nx\n",
        )],
    );
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(
        found(&diags),
        ["error alias-invalid content/fiches/wifi/console.md:3"],
        "{diags:#?}"
    );
    assert!(diags[0]["message"].as_str().unwrap().contains("Windows"), "{diags:#?}");
}

const REMOTE: &str = "\
Le logo : ![Logo](https://cdn.example.net/logo.png)

Un [lien vers le site](https://example.org/) et <https://example.org/doc>, et [![vignette](/images/v.png)](https://example.org/).

<iframe src=\"https://www.youtube-nocookie.com/embed/x\" title=\"Vidéo\"></iframe>

<video controls
  poster=\"//img.example.net/p.jpg\">
<source src=\"HTTPS://media.example.net/v.mp4\" type=\"video/mp4\">
</video>

Pixel : <img alt=\"\" src=\"https&#58;//tracker.example/p.gif\">

<!-- <img src=\"https://hidden.example/x.png\"> -->

`<img src=\"https://code.example/x.png\">` et <img src=\"/images/v.png\" alt=\"local\">

![ENT](https://ent.college.example.fr/logo.png) <a href=\"https://ent.college.example.fr/\">ENT</a>

<link rel=\"stylesheet\" href=\"https://css.example/x.css\"><style>@import url(https://css.example/y.css);</style>
";

#[test]
fn images_and_frames_from_another_site_are_found_at_their_line_links_are_not() {
    let files: &[(&str, &[u8])] = &[
        ("content/fiches/wifi/video.md", &sheet("Vidéo", REMOTE).into_bytes()),
        ("static/images/v.png", b"\x89PNG\r\n\x1a\n"),
    ];
    let (_t, root) = site("", files);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(0), "warnings by default: {diags:#?}");
    let f = "content/fiches/wifi/video.md";
    assert_eq!(
        found(&diags),
        at_lines("warning remote-resource", f, &[5, 9, 11, 13, 16, 22]),
        "{diags:#?}"
    );
    let hosts: Vec<&str> = of(&diags, "remote-resource")
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    for h in [
        "`cdn.example.net`",
        "`www.youtube-nocookie.com`",
        "`img.example.net`",
        "`media.example.net`",
        "`tracker.example`",
        "`ent.college.example.fr`",
    ] {
        assert!(hosts.iter().any(|m| m.contains(h)), "{h} not named: {hosts:#?}");
    }
    // `build` says it too, and publishes.
    let tmp = tempdir();
    let out = tmp.path().join("public");
    let o = fiches_in(&root, &["build", "--output", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains(&format!("{f}:16:")), "{}", stderr(&o));
    // Style sheets never reach a page: the sanitiser takes them out.
    let page = read(&out.join("fiches/wifi/video/index.html"));
    assert!(!page.contains("css.example"), "{page}");
    assert!(
        page.contains("https://cdn.example.net/logo.png"),
        "published as written"
    );

    // A school allows its ENT and makes the rest an error.
    let book = "[check]\nremote-resources = \"error\"\nremote-hosts = [\"*.College.example.fr.\", \"www.youtube-nocookie.com\"]\n";
    let (_t, root) = site(book, files);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(
        found(&diags),
        at_lines("error remote-resource", f, &[5, 11, 13, 16]),
        "{diags:#?}"
    );
    build_refuses(&root, &diags);

    // An address where a host is expected: its line, and the host to write.
    let (_t, root) = site("[check]\nremote-hosts = [\"https://ent.example.fr/\"]\n", files);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(found(&diags), ["error invalid-value book.toml:4"], "{diags:#?}");
    assert!(
        diags[0]["message"].as_str().unwrap().contains("`\"ent.example.fr\"`"),
        "{diags:#?}"
    );
    let (_t, root) = site("[check]\nremote-resources = \"erreur\"\n", files);
    let (diags, _) = check_json(&root, &[]);
    assert_eq!(found(&diags), ["error invalid-value book.toml:4"], "{diags:#?}");
}

#[test]
fn dates_nobody_meant_are_found_at_their_line() {
    let files: &[(&str, &[u8])] = &[
        (
            "content/fiches/wifi/ancienne.md",
            b"+++\ntitle = \"Ancienne\"\nupdated = 0001-01-01\n+++\nx\n",
        ),
        (
            "content/fiches/wifi/validee.md",
            b"+++\ntitle = \"Valid\xc3\xa9e\"\nupdated = 2025-09-01\n\n[validation]\nby = \"DANE\"\non = 0025-09-12\n+++\nx\n",
        ),
        (
            "content/fiches/wifi/futur.md",
            b"+++\ntitle = \"Futur\"\nupdated = 2205-09-12\n+++\nx\n",
        ),
        (
            "content/apero-tice/2025-11-14-ent.md",
            b"+++\ntitle = \"ENT\"\n\ndate = 0025-11-14\n+++\nx\n",
        ),
        (
            "content/apero-tice/2062-11-14-loin.md",
            b"+++\ntitle = \"Loin\"\ndate = 2620-11-14\n+++\nx\n",
        ),
    ];
    let book = "[accessibility]\nstatus = \"partiellement conforme\"\naudited-on = 9999-12-31\n";
    let (_t, root) = site(book, files);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    assert_eq!(
        found(&diags),
        [
            "error date-implausible content/apero-tice/2025-11-14-ent.md:4",
            "error date-implausible content/fiches/wifi/ancienne.md:3",
            "error date-implausible content/fiches/wifi/validee.md:7",
            "warning date-implausible book.toml:5",
            "warning date-implausible content/apero-tice/2062-11-14-loin.md:3",
            "warning updated-in-future content/fiches/wifi/futur.md:3",
        ],
        "no `sheet-stale` of 740,318 days: {diags:#?}"
    );
    let old = of(&diags, "date-implausible")
        .into_iter()
        .find(|d| d["file"] == "content/fiches/wifi/ancienne.md")
        .unwrap();
    assert!(
        old["message"].as_str().unwrap().contains("`updated = 0001-01-01`"),
        "{old}"
    );
    let errors: Vec<Value> = diags.iter().filter(|d| d["severity"] == "error").cloned().collect();
    let err = build_refuses(&root, &errors);
    // The warnings too: `updated-in-future` was said by `check` alone.
    assert!(err.contains("content/fiches/wifi/futur.md:3"), "{err}");
}

#[test]
fn paths_too_long_for_a_windows_copy_are_warned_once_where_they_cross() {
    let (a, b, c) = ("a".repeat(70), "b".repeat(70), "c".repeat(70));
    let long_sheet = format!("content/fiches/wifi/{}.md", "x".repeat(200));
    let deep = format!("content/fiches/{a}/{b}/{c}");
    let static_file = format!("static/docs/{}.pdf", "y".repeat(195));
    let files: Vec<(String, Vec<u8>)> = vec![
        (long_sheet.clone(), sheet("Longue", "x\n").into_bytes()),
        (
            format!("content/fiches/{a}/{b}/s.md"),
            sheet("Court", "x\n").into_bytes(),
        ),
        (format!("{deep}/d.md"), sheet("Profonde", "x\n").into_bytes()),
        (format!("{deep}/e.md"), sheet("Profonde 2", "x\n").into_bytes()),
        (static_file.clone(), b"%PDF".to_vec()),
        (format!("static/docs/{}.pdf", "z".repeat(150)), b"%PDF".to_vec()),
    ];
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    let (_t, root) = site("", &refs);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(0), "warnings: {diags:#?}");
    let mut want = vec![
        format!("warning path-too-long {long_sheet}"),
        format!("warning path-too-long {deep}/"),
        format!("warning path-too-long {static_file}"),
    ];
    want.sort();
    assert_eq!(found(&diags), want, "{diags:#?}");
    let sheet_msg = of(&diags, "path-too-long")
        .into_iter()
        .find(|d| d["file"] == long_sheet.as_str())
        .unwrap();
    assert!(
        sheet_msg["message"].as_str().unwrap().contains("223 caractères"),
        "{sheet_msg}"
    );
    let (_o, _out) = build_to(&root, &[]);
}
