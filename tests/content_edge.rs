//! Content nobody here wrote (issue 11): invisible text, thousands of
//! identical headings, values that feeds and calendars cannot hold, messages
//! in French and inert on a terminal, addresses that collide. Each test
//! writes a tiny site of its own in a temporary folder.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A site with `book.toml` and the given files (path, text).
fn site(book: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempdir();
    let root = tmp.path().join("site");
    write(&root.join("book.toml"), book);
    write_files(&root, files);
    (tmp, root)
}

const BOOK: &str = "[book]\ntitle = \"Collège\"\n";

fn sheet(title: &str, body: &str) -> String {
    format!(
        "+++\ntitle = {}\nsummary = \"Résumé\"\nupdated = 2025-09-01\n+++\n{body}",
        toml_str(title)
    )
}

/// A TOML basic string: control characters as `\uXXXX` escapes, since
/// TOML refuses them raw.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn build(root: &Path) -> PathBuf {
    let out = root.parent().unwrap().join("public");
    let o = fiches_in(root, &["build", "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    out
}

fn find<'a>(diags: &'a [serde_json::Value], code: &str) -> Vec<&'a serde_json::Value> {
    diags.iter().filter(|d| d["code"] == code).collect()
}

// 1. Invisible text -------------------------------------------------------

const TRANSLATED: &str = "Pour se connecter au réseau, ouvrez les paramètres\u{a0}: choisissez « Invité ».

<!--
To connect to the network, open the settings: choose quagmire.

Then type the password of the zeppelin network.
-->

Le mot de passe est au CDI. <!-- inline xylophone note --> Demandez-le.

<div>
<!--

A comment opened in raw HTML hides the Markdown that follows: marmalade.

-->
</div>

<script>var jellyfish = 1;</script>
<style>.walrus { color: red }</style>
";

#[test]
fn comment_script_and_style_text_is_not_indexed() {
    let (_t, root) = site(
        BOOK,
        &[("content/fiches/wifi/invite.md", &sheet("Wi-Fi invité", TRANSLATED))],
    );
    let hidden = ["quagmire", "zeppelin", "xylophone", "marmalade", "jellyfish", "walrus"];
    for w in hidden {
        let o = fiches_in(&root, &["search", "--format", "json", w]);
        assert!(o.status.success(), "{}", stderr(&o));
        let hits: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(
            hits.as_array().map(Vec::len),
            Some(0),
            "`{w}` is invisible, yet found: {hits}"
        );
    }
    // What a reader sees is still found.
    let o = fiches_in(&root, &["search", "--format", "json", "paramètres"]);
    assert!(stdout(&o).contains("wifi/invite"), "{}", stdout(&o));
    // The browser's index holds none of it either, nor does the page: a
    // comment is a note for the contributors, not for "view source"; the
    // script and the style are removed as code.
    let out = build(&root);
    let page = std::fs::read_to_string(out.join("fiches/wifi/invite/index.html")).unwrap();
    for w in hidden {
        assert!(!page.contains(w), "`{w}` published in the page");
    }
    assert!(page.contains("Demandez-le."), "{page}");
    let mut index_files = 0;
    for f in walk(&out) {
        if f.extension().is_some_and(|e| e == "html") {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        if text.contains("paramètres") || text.contains("parametres") {
            index_files += 1;
        }
        for w in hidden {
            assert!(!text.contains(w), "`{w}` in {}", f.display());
        }
    }
    assert!(index_files > 0, "no file of the browser index holds the visible text");
}

// 2. Heading ids ------------------------------------------------------------

/// Processor time (user + system) of `fiches <args>`, from bash's `times`:
/// unlike the wall clock, it does not grow when the tests share the machine.
fn cpu_time(root: &Path, args: &[&str]) -> (bool, Duration) {
    let o = Command::new("bash")
        .arg("-c")
        .arg("\"$0\" --root \"$1\" \"${@:2}\" >/dev/null 2>&1; s=$?; times; exit $s")
        .arg(env!("CARGO_BIN_EXE_fiches"))
        .arg(root)
        .args(args)
        .env("FICHES_CACHE_DIR", root.join(".cache-test"))
        .output()
        .expect("bash");
    let out = stdout(&o);
    // Second line: the children's user and system times, `0m0.264s 0m0.065s`.
    let children = out.lines().nth(1).unwrap_or_else(|| panic!("times: {out}"));
    let secs: f64 = children
        .split_whitespace()
        .map(|t| {
            let (m, s) = t.trim_end_matches('s').split_once('m').unwrap();
            m.parse::<f64>().unwrap() * 60.0 + s.parse::<f64>().unwrap()
        })
        .sum();
    (o.status.success(), Duration::from_secs_f64(secs))
}

#[test]
fn fifty_thousand_identical_headings_are_linear() {
    let body: String = "## Titre\n".repeat(50_000);
    let (_t, root) = site(BOOK, &[("content/fiches/long/titres.md", &sheet("Titres", &body))]);
    // The bound; counting from zero for every duplicate took over a
    // minute. Linear, check takes about 0.3 s and build 1.2 s of processor.
    let out = root.parent().unwrap().join("public");
    for args in [&["check"][..], &["build", "-o", out.to_str().unwrap()][..]] {
        let start = Instant::now();
        let (ok, cpu) = cpu_time(&root, args);
        assert!(ok, "{args:?} failed");
        assert!(cpu < Duration::from_secs(2), "{args:?} took {cpu:?} of processor");
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{args:?} took {:?}",
            start.elapsed()
        );
    }
    let html = std::fs::read_to_string(out.join("fiches/long/titres/index.html")).unwrap();
    assert!(html.contains("id=\"titre\""));
    assert!(html.contains("id=\"titre-1\""));
    assert!(html.contains("id=\"titre-49999\""));
    assert!(!html.contains("id=\"titre-50000\""));
}

#[test]
fn many_links_and_explicit_ids_on_a_page_are_linear() {
    // The line and column of every link and `{#id}` were counted from the
    // start of the page: 100,000 links on one line (a pasted index) took
    // 15 s, 20,000 headings with one id 3.6 s (broken20). Now about 0.6 s
    // for both.
    let links: String = (0..100_000).map(|i| format!("[l](n{i}.md) ")).collect();
    let ids = "## T {#meme}\n".repeat(40_000);
    let (_t, root) = site(
        BOOK,
        &[
            ("content/fiches/long/liens.md", &sheet("Liens", &links)),
            ("content/fiches/long/ids.md", &sheet("Ids", &ids)),
        ],
    );
    let (ok, cpu) = cpu_time(&root, &["check", "--format", "json"]);
    assert!(!ok, "100,000 broken links must fail the check");
    assert!(cpu < Duration::from_secs(4), "check took {cpu:?} of processor");
}

#[test]
fn generated_ids_avoid_explicit_ones() {
    let body = "## Titre\n\n## Titre\n\n## Autre {#titre-2}\n\n## Titre\n\n## Titre 1\n\n## Encore {#titre-2}\n";
    let (_t, root) = site(BOOK, &[("content/fiches/a/x.md", &sheet("X", body))]);
    let (diags, _) = check_json(&root, &[]);
    let dup = find(&diags, "duplicate-heading-id");
    assert_eq!(dup.len(), 1, "{diags:?}");
    assert_eq!(dup[0]["line"], 16, "{diags:?}");
    let out = build(&root);
    let html = std::fs::read_to_string(out.join("fiches/a/x/index.html")).unwrap();
    let ids: Vec<&str> = html
        .match_indices("<h2 id=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect();
    // As before: titre, titre-1, then past the explicit titre-2.
    assert_eq!(ids, ["titre", "titre-1", "titre-2", "titre-3", "titre-1-1", "titre-2"]);
}

// 3. Output that other programs reject -------------------------------------

#[test]
fn control_characters_never_reach_the_feed_or_the_calendar() {
    let (_t, root) = site(
        "[book]\ntitle = \"Collège\\u0007\"\n[site]\nbase-url = \"https://clg.example.org/aide/\"\n",
        &[
            ("content/fiches/a/x.md", &sheet("Imprimante\u{1}\u{1b}[31m bloquée\u{b}", "Texte.\n")),
            (
                "content/apero-tice/2099-01-15-s.md",
                "+++\ntitle = \"Séance\\r\\nX-INJECT:1\\u0007\"\ndate = 2099-01-15\ntime = \"12:30\"\nlocation = \"CDI;\\nsalle\"\n+++\nNotes.\n",
            ),
        ],
    );
    let out = build(&root);
    let atom = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    let bad: Vec<char> = atom
        .chars()
        .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .collect();
    assert!(bad.is_empty(), "XML cannot hold {bad:?}:\n{atom}");
    assert!(atom.contains("<title>Imprimante[31m bloquée</title>"), "{atom}");
    for ics in ["apero-tice/agenda.ics", "apero-tice/2099-01-15-s/seance.ics"] {
        let cal = std::fs::read_to_string(out.join(ics)).unwrap();
        for line in cal.split_inclusive("\r\n") {
            assert!(line.ends_with("\r\n"), "{ics}: line not ended by CRLF: {line:?}");
            let l = line.trim_end_matches("\r\n");
            assert!(!l.chars().any(|c| c.is_control() && c != '\t'), "{ics}: {l:?}");
            assert!(l.len() <= 75, "{ics}: {} octets: {l:?}", l.len());
        }
        assert!(!cal.lines().any(|l| l.starts_with("X-INJECT")), "{ics}:\n{cal}");
        assert!(cal.contains("DTSTART;TZID=Europe/Paris:20990115T123000"), "{cal}");
        assert!(cal.contains("LOCATION:CDI\\;\\nsalle"), "{cal}");
    }
}

#[test]
fn urls_in_book_toml_are_checked_with_their_line() {
    let cases = [
        ("[site]\nrepository = \"javascript:alert(1)\"\n", 5, "invalid-url"),
        ("[site]\nbase-url = \"/aide/\\r\\nX-INJECT:1\"\n", 5, "invalid-url"),
        (
            "[site]\nedit-url = \"ftp://forge.example.org/{path}\"\n",
            5,
            "invalid-url",
        ),
        ("[support]\nticket-url = \"data:text/html,x\"\n", 5, "invalid-url"),
        ("[support]\nemail = \"a@b.org?bcc=c@d.org\"\n", 5, "invalid-email"),
    ];
    for (extra, line, code) in cases {
        let (_t, root) = site(
            &format!("{BOOK}\n{extra}"),
            &[("content/fiches/a/x.md", &sheet("X", "T\n"))],
        );
        let (diags, status) = check_json(&root, &[]);
        assert_eq!(status, Some(1), "{extra}");
        let d = find(&diags, code);
        assert_eq!(d.len(), 1, "{extra}: {diags:?}");
        assert_eq!(d[0]["file"], "book.toml");
        assert_eq!(d[0]["line"], line, "{extra}: {diags:?}");
        assert!(d[0]["column"].is_u64());
        // And `build` refuses it the same way.
        let out = root.parent().unwrap().join("public");
        let b = fiches_in(&root, &["build", "-o", out.to_str().unwrap()]);
        assert_eq!(b.status.code(), Some(1), "{extra}");
        assert!(stderr(&b).contains(&format!("book.toml:{line}:")), "{}", stderr(&b));
        assert!(!out.exists());
    }
    // Good addresses still pass.
    let (_t, root) = site(
        &format!("{BOOK}[site]\nbase-url = \"https://clg.example.org/aide/\"\nrepository = \"https://forge.example.org/f\"\nedit-url = \"https://forge.example.org/f/-/edit/main/{{path}}\"\n[support]\nemail = \"assistance@clg.example.org\"\nticket-url = \"mailto:assistance@clg.example.org\"\n"),
        &[("content/fiches/a/x.md", &sheet("X", "T\n"))],
    );
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(0), "{diags:?}");
}

#[test]
fn session_time_is_checked_with_its_line() {
    let (_t, root) = site(
        BOOK,
        &[
            ("content/fiches/a/x.md", &sheet("X", "T\n")),
            (
                "content/apero-tice/2099-01-15-s.md",
                "+++\ntitle = \"Séance\"\ndate = 2099-01-15\ntime = \"25:99\"\n+++\nNotes.\n",
            ),
        ],
    );
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1));
    let d = find(&diags, "invalid-time");
    assert_eq!(d.len(), 1, "{diags:?}");
    assert_eq!(d[0]["file"], "content/apero-tice/2099-01-15-s.md");
    assert_eq!(d[0]["line"], 4);
    assert!(d[0]["message"].as_str().unwrap().contains("25:99"));
}

// 4. Messages ---------------------------------------------------------------

#[test]
fn toml_errors_are_in_french_with_their_position() {
    let cases: [(&str, &str, &str, &[&str]); 4] = [
        (
            "[book]\ntitle = \"C:\\Users\"\n",
            "book.toml:2:",
            "toml-syntax",
            &["invalid basic string", "invalid escape"],
        ),
        (
            "[book]\ntitle = \"a\"\ntitle = \"b\"\n",
            "book.toml:3:",
            "duplicate-key",
            &["duplicate key", "document root"],
        ),
        (
            "[book]\ntitle = \"a\"\n[check]\nstale-after-days = 99999999999999999999\n",
            "book.toml:4:",
            "toml-syntax",
            &["out of range"],
        ),
        (
            "[book]\ntitle = \"a\"\n[book]\n",
            "book.toml:3:",
            "duplicate-key",
            &["duplicate key", "in table"],
        ),
    ];
    for (book, at, code, english) in cases {
        let (_t, root) = site(book, &[]);
        let o = fiches_in(&root, &["check"]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{e}");
        assert!(e.contains(at), "{book}: position missing:\n{e}");
        assert!(e.contains(&format!("[{code}]")), "{book}:\n{e}");
        for w in english {
            assert!(!e.contains(w), "{book}: English `{w}` left:\n{e}");
        }
    }
    // Front matter: the line is the file's.
    let (_t, root) = site(
        BOOK,
        &[("content/fiches/a/x.md", "+++\ntitle = \"a\"\ntitle = \"b\"\n+++\nT\n")],
    );
    let e = stderr(&fiches_in(&root, &["check"]));
    assert!(
        e.contains("content/fiches/a/x.md:3:") && e.contains("définie deux fois"),
        "{e}"
    );
}

#[test]
fn missing_files_and_sections_are_explained_in_french() {
    let tmp = tempfile::tempdir().unwrap();
    let o = fiches_in(&tmp.path().join("nulle-part"), &["check"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        e.contains("introuvable") && !e.contains("No such file") && !e.contains("os error"),
        "{e}"
    );

    let (_t, root) = site("[site]\nbase-url = \"/\"\n", &[]);
    let e = stderr(&fiches_in(&root, &["check"]));
    assert!(e.contains("[missing-field]") && e.contains("`[book]`"), "{e}");
    assert!(!e.contains("book = \""), "the hint must not suggest a string: {e}");
}

#[test]
fn content_cannot_drive_the_terminal() {
    let (_t, root) = site(
        BOOK,
        &[
            (
                "content/fiches/a/x.md",
                &sheet("Titre \u{1b}]0;pwned\u{7}\u{1b}[2J", "T\n"),
            ),
            (
                "content/fiches/a/y.md",
                &sheet("Titre \u{1b}]0;pwned\u{7}\u{1b}[2J", "T\n"),
            ),
            (
                "content/fiches/a/z.md",
                "+++\ntitle = \"x\"\naction = \"\\u001b[31mrouge\\u202e\"\n+++\nT\n",
            ),
        ],
    );
    let out = root.parent().unwrap().join("public");
    let build = ["build", "-o", out.to_str().unwrap()];
    for args in [&["check"][..], &["check", "--format", "github"][..], &build[..]] {
        let o = fiches_in(&root, args);
        let all = format!("{}{}", stderr(&o), stdout(&o));
        assert!(
            all.contains("duplicate-title") || all.contains("unknown-action"),
            "{args:?}: {all}"
        );
        assert!(
            !all.contains('\u{1b}') && !all.contains('\u{7}') && !all.contains('\u{202e}'),
            "{args:?}: {all:?}"
        );
        assert!(all.contains("\\u{1b}"), "{args:?}: shown escaped: {all}");
    }
    // Search results too.
    let o = fiches_in(&root, &["search", "titre"]);
    assert!(!stdout(&o).contains('\u{1b}'), "{:?}", stdout(&o));
}

// 5. Slugs ------------------------------------------------------------------

#[test]
fn names_that_differ_only_by_accents_collide() {
    let (_t, root) = site(
        BOOK,
        &[
            ("content/fiches/vie/élève.md", &sheet("Élève", "T\n")),
            ("content/fiches/vie/eleve.md", &sheet("Un élève", "T\n")),
        ],
    );
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1), "{diags:?}");
    let d = find(&diags, "url-collision");
    assert_eq!(d.len(), 1, "{diags:?}");
    let msg = d[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("content/fiches/vie/élève.md") && msg.contains("content/fiches/vie/eleve.md"),
        "{msg}"
    );
    assert!(msg.contains("fiches/vie/eleve/"), "{msg}");
}

#[test]
fn a_sheet_cannot_take_a_reserved_address() {
    let (_t, root) = site(
        BOOK,
        &[
            ("content/fiches/wifi/livret.md", &sheet("Livret", "T\n")),
            ("content/fiches/wifi/a.md", &sheet("A", "T\n")),
            ("content/fiches/wifi.md", &sheet("Wifi", "T\n")),
        ],
    );
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1), "{diags:?}");
    let r = find(&diags, "url-reserved");
    assert_eq!(r.len(), 1, "{diags:?}");
    assert_eq!(r[0]["file"], "content/fiches/wifi/livret.md");
    // A sheet and a category folder of the same name.
    let c = find(&diags, "url-collision");
    assert_eq!(c.len(), 1, "{diags:?}");
    assert_eq!(c[0]["file"], "content/fiches/wifi.md");
}

// 6. What other schools' authors write (review22) -------------------------

#[test]
fn an_uppercase_md_file_is_not_lost_silently() {
    // Saved from Windows as `Consignes Sécurité.MD`: not a sheet (only `.md`
    // is), and published as a raw text file; `check` must say so.
    let (_t, root) = site(
        BOOK,
        &[
            (
                "content/fiches/atelier/Consignes Sécurité.MD",
                &sheet("Consignes", "T\n"),
            ),
            ("content/fiches/atelier/tour.markdown", &sheet("Tour", "T\n")),
            ("content/fiches/atelier/badge.md", &sheet("Badge", "T\n")),
            ("content/fiches/atelier/photo.PNG", "png"),
        ],
    );
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(0), "a warning, not an error: {diags:?}");
    let mut w: Vec<(String, String)> = find(&diags, "markdown-extension")
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["hint"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    w.sort();
    assert_eq!(w.len(), 2, "{diags:?}");
    assert_eq!(w[0].0, "content/fiches/atelier/Consignes Sécurité.MD");
    assert!(w[0].1.contains("`Consignes Sécurité.md`"), "{w:?}");
    assert_eq!(w[1].0, "content/fiches/atelier/tour.markdown");
    assert!(w[1].1.contains("`tour.md`"), "{w:?}");
    // `build` says it too.
    let o = fiches_in(
        &root,
        &["build", "-o", root.parent().unwrap().join("out").to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("[markdown-extension]"), "{}", stderr(&o));
}

#[test]
fn yaml_front_matter_is_named_as_such() {
    let (_t, root) = site(
        BOOK,
        &[(
            "content/fiches/pfmp/convention.md",
            "---\ntitle: Saisir une convention\ntags: [pfmp, stage]\n---\n\n## Étapes\n",
        )],
    );
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1), "{diags:?}");
    let d = find(&diags, "front-matter-missing");
    assert_eq!(d.len(), 1, "{diags:?}");
    assert_eq!(d[0]["file"], "content/fiches/pfmp/convention.md");
    assert_eq!(d[0]["line"], 1);
    let msg = d[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("YAML") && msg.contains("`---`") && msg.contains("`+++`"),
        "{msg}"
    );
    assert!(d[0]["hint"].as_str().unwrap().contains("`title = \"Wi-Fi\"`"), "{d:?}");
}

#[test]
fn script_links_are_inert_and_reported() {
    let body = "## Lien [piège](javascript:alert(1)) dans un titre\n\n\
                1. [a](javascript:alert(2)) et [b](<JavaScript:alert(3)>) et [c](data:text/html,<b>x</b>)\n\
                2. [d][r] et <vbscript:msgbox(1)> et [e](java&#9;script:alert(4))\n\
                3. [bon](https://example.org/javascript:x) et [donnees](data.md) et [f](data)\n\n\
                [r]: javascript:alert(5)\n";
    let (_t, root) = site(
        BOOK,
        &[
            ("content/fiches/a/piege.md", &sheet("Piège", body)),
            ("content/fiches/a/data.md", &sheet("Données", "T\n")),
            ("content/fiches/a/data", "fichier joint"),
        ],
    );
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(0), "{diags:?}");
    let mut at: Vec<(u64, u64)> = find(&diags, "unsafe-link")
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    at.sort();
    // Lines in the file: the front matter takes lines 1 to 5.
    assert_eq!(
        at,
        vec![(6, 9), (8, 4), (8, 32), (8, 62), (9, 4), (9, 14), (9, 38)],
        "{diags:?}"
    );
    let out = build(&root);
    let html = read(&out.join("fiches/a/piege/index.html"));
    let lower = html.to_lowercase();
    // `script:alert` also catches `java%09script:`, `java&#9;script:`; an
    // autolink keeps its address as its text, inert.
    for bad in ["href=\"javascript:", "href=\"vbscript:", "href=\"data:", "script:alert"] {
        assert!(!lower.contains(bad), "{bad} left in:\n{html}");
    }
    // The text of each link stays; good links are untouched.
    assert!(
        html.contains("<a>piège</a>") && html.contains("<a>a</a>") && html.contains("<a>d</a>"),
        "{html}"
    );
    assert!(html.contains("href=\"https://example.org/javascript:x\""), "{html}");
    assert!(html.contains("href=\"../data/index.html\""), "{html}");
}

#[cfg(unix)]
#[test]
fn a_dangling_link_is_named_with_its_target() {
    let (_t, root) = site(BOOK, &[("content/fiches/vie/a.md", &sheet("A", "T\n"))]);
    // A folder renamed without its link.
    std::os::unix::fs::symlink("../securite", root.join("content/fiches/vie/lien-securite")).unwrap();
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1), "{diags:?}");
    let d = find(&diags, "symlink-broken");
    assert_eq!(d.len(), 1, "{diags:?}");
    assert_eq!(d[0]["file"], "content/fiches/vie/lien-securite");
    let msg = d[0]["message"].as_str().unwrap();
    assert!(msg.contains("`../securite`") && !msg.contains("IO error"), "{msg}");
}

#[test]
fn an_update_date_in_the_future_is_a_typo() {
    let (_t, root) = site(
        BOOK,
        &[
            (
                "content/fiches/vie/a.md",
                "+++\ntitle = \"A\"\nupdated = 2099-03-01\n+++\nT\n",
            ),
            (
                "content/fiches/vie/b.md",
                "+++\ntitle = \"B\"\nupdated = 2025-09-01\n+++\nT\n",
            ),
        ],
    );
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(0), "{diags:?}");
    let d = find(&diags, "updated-in-future");
    assert_eq!(d.len(), 1, "{diags:?}");
    assert_eq!(
        (d[0]["file"].as_str(), d[0]["line"].as_u64()),
        (Some("content/fiches/vie/a.md"), Some(3))
    );
    assert!(d[0]["message"].as_str().unwrap().contains("1er mars 2099"), "{d:?}");
}

#[test]
fn raw_html_that_runs_code_is_pointed_out() {
    let body = "Texte <kbd>Ctrl</kbd> et <img src=x onerror=alert(1)> fin.\n\n\
                <script>alert(\"corps\")</script>\n\n\
                <!-- <script>ancien()</script> -->\n\n\
                <a href=\"JavaScript:void(0)\">marque-page</a> et <span class=\"on\">on = off</span>\n";
    let (_t, root) = site(BOOK, &[("content/fiches/a/html.md", &sheet("HTML", body))]);
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(0), "published as written: {diags:?}");
    let mut at: Vec<(u64, u64)> = find(&diags, "raw-script")
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    at.sort();
    assert_eq!(at, vec![(6, 26), (8, 1), (12, 1)], "{diags:?}");
}

#[test]
fn links_in_headings_are_resolved_and_checked() {
    // They were left as written (`href="b.md"`, a 404 once published) and
    // never checked.
    let (_t, root) = site(
        BOOK,
        &[
            (
                "content/fiches/a/a.md",
                &sheet("A", "## Voir [la fiche B](b.md#etapes)\n\n### Puis [rien](absent.md)\n"),
            ),
            ("content/fiches/a/b.md", &sheet("B", "## Étapes\n")),
        ],
    );
    let (diags, status) = check_json(&root, &[]);
    assert_eq!(status, Some(1), "{diags:?}");
    let d = find(&diags, "broken-link");
    assert_eq!(d.len(), 1, "{diags:?}");
    assert_eq!(
        (d[0]["line"].as_u64(), d[0]["column"].as_u64()),
        (Some(8), Some(10)),
        "{d:?}"
    );
    std::fs::write(
        root.join("content/fiches/a/a.md"),
        sheet("A", "## Voir [la fiche B](b.md#etapes)\n"),
    )
    .unwrap();
    let out = build(&root);
    let html = read(&out.join("fiches/a/a/index.html"));
    assert!(
        html.contains("<a href=\"../b/index.html#etapes\">la fiche B</a></h2>"),
        "{html}"
    );
}

// French typography wherever a title is shown -----------------------------

/// The space typed before `? ! : ; »` and after `«` is a no-break space in
/// every place a title or a summary is shown (pages had it; the table of
/// contents, the cards of subcategories and categories, the breadcrumbs,
/// the neighbours, the paths, the offline page did not), with the title's
/// `<` and `&` still escaped.
#[test]
fn titles_are_french_spaced_wherever_they_are_shown_and_still_escaped() {
    let title = "Réseau : 1 < 2 & « x » ?";
    let spaced = "Réseau\u{a0}: 1 &lt; 2 &amp; «\u{a0}x\u{a0}»\u{a0}?";
    let body = "\n## Pourquoi ? 1 < 2 & « x »\n\nA.\n\n## Étapes : tout\n\nB.\n\n## Et après ?\n\nC.\n";
    let (_t, root) = site(
        "[book]\ntitle = \"Collège\"\n\n[offline]\nenabled = true\n",
        &[
            (
                "content/fiches/reseau/_index.md",
                &format!(
                    "+++\ntitle = {}\ndescription = {}\noffline = true\n+++\n",
                    toml_str(title),
                    toml_str(title)
                ),
            ),
            (
                "content/fiches/reseau/sous/_index.md",
                &format!("+++\ntitle = {}\n+++\n", toml_str(title)),
            ),
            ("content/fiches/reseau/sous/a.md", &sheet(title, body)),
            ("content/fiches/reseau/sous/b.md", &sheet("Autre fiche", body)),
            (
                "content/parcours/debuter.md",
                "+++\ntitle = \"Débuter : les bases\"\nfiches = [\"reseau/sous/a\", \"reseau/sous/b\"]\n+++\n",
            ),
        ],
    );
    let out = build(&root);
    let page = |p: &str| read(&out.join(p));
    let toc = "Pourquoi\u{a0}? 1 &lt; 2 &amp; «\u{a0}x\u{a0}»</a>";
    let sheet_page = page("fiches/reseau/sous/a/index.html");
    assert!(sheet_page.contains(toc), "table of contents:\n{sheet_page}");
    // The breadcrumb and the neighbour of the other sheet.
    let other = page("fiches/reseau/sous/b/index.html");
    assert!(
        other.contains(&format!("{spaced}</a>")),
        "breadcrumb or neighbour:\n{other}"
    );
    let category = page("fiches/reseau/index.html");
    assert!(
        category.contains(&format!("<span class=\"category-title\">{spaced}</span>")),
        "subcategory card:\n{category}"
    );
    let home = page("index.html");
    assert!(
        home.contains(&format!("<span class=\"category-title\">{spaced}</span>")),
        "{home}"
    );
    assert!(
        home.contains("Débuter\u{a0}: les bases</a>"),
        "path on the home page:\n{home}"
    );
    let all = page("fiches/index.html");
    assert!(all.contains(&format!("<p>{spaced}</p>")), "description:\n{all}");
    let offline = page("hors-ligne/index.html");
    assert!(offline.contains(&format!("{spaced}</a>")), "offline page:\n{offline}");
    // Nowhere the title unescaped, nor in an attribute with a no-break space.
    for (name, html) in [("sheet", &sheet_page), ("category", &category), ("home", &home)] {
        assert!(!html.contains("1 < 2"), "{name}: unescaped");
        assert!(
            !html.contains("=\"Réseau\u{a0}"),
            "{name}: no-break space in an attribute"
        );
    }
}

/// No-break spaces typed as French typography has them (U+00A0 before
/// `:`, U+202F before `;`), in a title, a subcategory's title and a
/// heading: the same bytes in the table of contents, the subcategory card,
/// the category list and the breadcrumb, never a plain space nor an entity.
#[test]
fn no_break_spaces_typed_in_titles_reach_every_place_as_typed() {
    let title = "Wi\u{2011}Fi\u{a0}: invité";
    let (_t, root) = site(
        BOOK,
        &[
            ("content/fiches/wifi/_index.md", "+++\ntitle = \"Wi-Fi\"\n+++\n"),
            (
                "content/fiches/wifi/invite/_index.md",
                &format!("+++\ntitle = {}\n+++\n", toml_str(title)),
            ),
            (
                "content/fiches/wifi/invite/a.md",
                &sheet(
                    title,
                    "\n## Connexion\u{a0}: étapes\n\nA.\n\n## Autre\u{202f}; point\n\nB.\n\n## Fin\u{202f}!\n\nC.\n",
                ),
            ),
        ],
    );
    let out = build(&root);
    let sheet_page = read(&out.join("fiches/wifi/invite/a/index.html"));
    for toc in [
        "#connexion-etapes\">Connexion\u{a0}: étapes</a>",
        "#autre-point\">Autre\u{202f}; point</a>",
        "Fin\u{202f}!</a>",
    ] {
        assert!(sheet_page.contains(toc), "table of contents, {toc:?}:\n{sheet_page}");
    }
    assert!(
        sheet_page.contains(&format!("{title}</a></li>")),
        "breadcrumb:\n{sheet_page}"
    );
    let card = format!("<span class=\"category-title\">{title}</span>");
    let category = read(&out.join("fiches/wifi/index.html"));
    assert!(category.contains(&card), "subcategory card:\n{category}");
    for (name, html) in [("sheet", &sheet_page), ("category", &category)] {
        assert!(
            !html.contains("&nbsp;") && !html.contains("&#160;"),
            "{name}: an entity"
        );
        assert!(!html.contains("Wi\u{2011}Fi :"), "{name}: a plain space");
    }
}
