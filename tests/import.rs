//! `fiches import` on real documents. The fixtures are produced, not
//! written by hand: the demo site of this repository is built, each sheet's
//! page becomes a small HTML document (title, description, keywords, date,
//! the sheet's content with its image embedded and its notes as
//! LibreOffice notes), and LibreOffice (headless, one invocation per
//! format) converts them to .odt, then the .odt to .docx. The tests import
//! them back and compare with the original sheets, and with pandoc.

mod common;

use common::{fiches_in, stderr, stdout, write, write_files};
use fiches::import::report::{count, Counts};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

struct Original {
    id: String,
    category: String,
    slug: String,
    title: String,
    summary: String,
    tags: Vec<String>,
    updated: String,
    body: String,
    /// Words of the built page: title, summary and content.
    words: Vec<String>,
    image_alts: Vec<String>,
}

struct Fixtures {
    dir: PathBuf,
    sheets: Vec<Original>,
}

fn have(cmd: &str) -> bool {
    Command::new(cmd)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// LibreOffice with a private profile, so that a running instance of
/// another user or test does not take the conversion over.
fn soffice(dir: &Path, args: &[&str]) {
    let profile = format!("-env:UserInstallation=file://{}", dir.join("lo-profile").display());
    let out = Command::new("soffice")
        .arg(&profile)
        .arg("--headless")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("soffice (scripts/test.sh installs libreoffice-writer-nogui)");
    assert!(
        out.status.success(),
        "soffice {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let a = s.find(start)? + start.len();
    let b = s[a..].find(end)? + a;
    Some(&s[a..b])
}

/// The sheet's part of a built page: title, lead and prose.
fn sheet_html(page: &str) -> (String, String, String) {
    let h1 = between(page, "<h1>", "</h1>").unwrap_or("").to_string();
    let lead = between(page, "<p class=\"lead\">", "</p>").unwrap_or("").to_string();
    let start = page.find("<div class=\"prose").expect("prose");
    let start = start + page[start..].find('>').unwrap() + 1;
    let end = page
        .find("<section class=\"support")
        .or_else(|| page.find("<footer class=\"sheet-footer"))
        .unwrap();
    let prose = &page[start..end];
    let prose = &prose[..prose.rfind("</div>").unwrap()];
    (h1, lead, prose.to_string())
}

fn decode_entities(s: &str) -> String {
    let re = regex::Regex::new(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);").unwrap();
    re.replace_all(s, |c: &regex::Captures| {
        let e = &c[1];
        let ch = if let Some(h) = e.strip_prefix("#x") {
            u32::from_str_radix(h, 16).ok().and_then(char::from_u32)
        } else if let Some(d) = e.strip_prefix('#') {
            d.parse().ok().and_then(char::from_u32)
        } else {
            match e {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => None,
            }
        };
        ch.map(String::from).unwrap_or_else(|| c[0].to_string())
    })
    .into_owned()
}

/// The words a reader sees, in order.
fn words(html: &str) -> Vec<String> {
    let tags = regex::Regex::new(r"(?s)<[^>]*>").unwrap();
    let text = decode_entities(&tags.replace_all(html, " "));
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn page_words(page: &str) -> Vec<String> {
    let (h1, lead, prose) = sheet_html(page);
    let mut w = words(&h1);
    w.extend(words(&lead));
    w.extend(words(&prose));
    w
}

fn front_matter(md: &str) -> (toml::Table, String) {
    let rest = md.strip_prefix("+++\n").expect("front matter");
    let end = rest.find("\n+++\n").unwrap();
    (rest[..end].parse().unwrap(), rest[end + 5..].to_string())
}

fn value_string(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => other.to_string(),
    }
}

fn fixtures() -> &'static Fixtures {
    static F: OnceLock<Fixtures> = OnceLock::new();
    F.get_or_init(|| {
        assert!(
            have("soffice") && have("pandoc"),
            "LibreOffice (soffice) and pandoc are needed: bash scripts/test.sh installs libreoffice-writer-nogui and pandoc"
        );
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("import-fixtures");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("html")).unwrap();
        let demo = common::demo();
        let site = dir.join("demo-site");
        let out = fiches_in(&demo, &["build", "--quiet", "--output", site.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        // A page's links to other pages, relative to it (by the shortest path).
        let link = regex::Regex::new(r##"href="([^"#:]+)/index\.html"##).unwrap();
        let img = regex::Regex::new(r#"src="(?:\.\./)+images/([^"]+)""#).unwrap();
        let alt = regex::Regex::new(r#"<img [^>]*alt="([^"]*)""#).unwrap();
        let note_ref = regex::Regex::new(r##"<sup class="footnote-reference"><a href="#([^"]+)">[^<]*</a></sup>"##).unwrap();
        let note_def = regex::Regex::new(
            r##"(?s)<div class="footnote-definition" id="([^"]+)"><sup class="footnote-definition-label">[^<]*</sup>\s*<p>(.*?)</p>\s*</div>"##,
        )
        .unwrap();
        let mut sheets = Vec::new();
        for e in walkdir::WalkDir::new(demo.join("content/fiches")).sort_by_file_name() {
            let e = e.unwrap();
            let p = e.path();
            if p.extension().is_none_or(|x| x != "md") || p.file_name().unwrap() == "_index.md" {
                continue;
            }
            let id = p
                .strip_prefix(demo.join("content/fiches"))
                .unwrap()
                .with_extension("")
                .to_string_lossy()
                .into_owned();
            let built = site.join("fiches").join(&id).join("index.html");
            let Ok(page) = std::fs::read_to_string(&built) else {
                continue; // a draft
            };
            let (category, slug) = id.rsplit_once('/').map(|(c, s)| (c.to_string(), s.to_string())).unwrap();
            let (fm, body) = front_matter(&std::fs::read_to_string(p).unwrap());
            let s = |k: &str| fm.get(k).map(value_string).unwrap_or_default();
            let tags: Vec<String> = fm
                .get("tags")
                .and_then(|t| t.as_array())
                .map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            let (h1, lead, prose) = sheet_html(&page);
            let prose = link.replace_all(&prose, |c: &regex::Captures| {
                let page = format!("fiches/{id}");
                let mut to: Vec<&str> = page.split('/').collect();
                for seg in c[1].split('/') {
                    if seg == ".." {
                        to.pop();
                    } else {
                        to.push(seg);
                    }
                }
                match to.join("/").strip_prefix("fiches/") {
                    Some(target) => format!("href=\"../{target}.html"),
                    None => c[0].to_string(),
                }
            });
            let prose = img.replace_all(&prose, |c: &regex::Captures| {
                use base64::Engine;
                let bytes = std::fs::read(demo.join("static/images").join(&c[1])).unwrap();
                let mime = if c[1].ends_with(".svg") { "image/svg+xml" } else { "image/png" };
                format!("src=\"data:{mime};base64,{}\"", base64::engine::general_purpose::STANDARD.encode(bytes))
            });
            // Notes in the form LibreOffice reads as real footnotes.
            let prose = note_ref.replace_all(&prose, |c: &regex::Captures| {
                format!("<a class=\"sdfootnoteanc\" name=\"sdfootnote{0}anc\" href=\"#sdfootnote{0}sym\"><sup>{0}</sup></a>", &c[1])
            });
            let prose = note_def.replace_all(&prose, |c: &regex::Captures| {
                format!("<div id=\"sdfootnote{0}\"><p class=\"sdfootnote\"><a class=\"sdfootnotesym\" name=\"sdfootnote{0}sym\" href=\"#sdfootnote{0}anc\">{0}</a>{1}</p></div>", &c[1], &c[2])
            });
            let updated = s("updated");
            let html = format!(
                "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{h1}</title>\
                 <meta name=\"description\" content=\"{lead}\"><meta name=\"keywords\" content=\"{}\">\
                 <meta name=\"created\" content=\"{updated}T08:00:00\"><meta name=\"changed\" content=\"{updated}T09:00:00\">\
                 </head><body><h1>{h1}</h1>\n{prose}</body></html>\n",
                tags.join(", ").replace('"', "&quot;")
            );
            std::fs::write(dir.join("html").join(format!("{slug}.html")), html).unwrap();
            sheets.push(Original {
                id: id.clone(),
                category,
                slug,
                title: s("title"),
                summary: s("summary"),
                tags,
                updated,
                image_alts: alt.captures_iter(&sheet_html(&page).2).map(|c| decode_entities(&c[1])).collect(),
                words: page_words(&page),
                body,
            });
        }
        assert!(sheets.len() >= 10, "demo sheets: {}", sheets.len());
        // One LibreOffice run per output format, every document at once.
        let htmls: Vec<String> = sheets.iter().map(|s| format!("html/{}.html", s.slug)).collect();
        let mut args = vec!["--convert-to", "odt:writer8", "--outdir", "odt"];
        args.extend(htmls.iter().map(String::as_str));
        soffice(&dir, &args);
        let mut args = vec!["--convert-to", "docx:MS Word 2007 XML", "--outdir", "docx"];
        args.extend(htmls.iter().map(String::as_str));
        soffice(&dir, &args);
        // A real Word 97 document, for the "a .docx that is really a .doc" case.
        soffice(&dir, &["--convert-to", "doc:MS Word 97", "--outdir", "doc", &htmls[0]]);
        for s in &sheets {
            for ext in ["odt", "docx"] {
                let to = dir.join(format!("docs-{ext}")).join(&s.category);
                std::fs::create_dir_all(&to).unwrap();
                std::fs::copy(dir.join(ext).join(format!("{}.{ext}", s.slug)), to.join(format!("{}.{ext}", s.slug)))
                    .unwrap();
            }
        }
        Fixtures { dir, sheets }
    })
}

/// An empty site with the demo's allowed actions.
fn empty_site(name: &str) -> tempfile::TempDir {
    let t = tempfile::Builder::new().prefix(name).tempdir().unwrap();
    std::fs::write(
        t.path().join("book.toml"),
        "[book]\ntitle = \"Aide numérique — import\"\nlanguage = \"fr\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(t.path().join("content")).unwrap();
    std::fs::copy(
        common::demo().join("content/actions.toml"),
        t.path().join("content/actions.toml"),
    )
    .unwrap();
    t
}

fn import(site: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    fiches_in(site, &all)
}

/// Imports the converted demo sheets into an empty site and checks every sheet.
fn import_demo(ext: &str) {
    let f = fixtures();
    let site = empty_site(&format!("import-{ext}-"));
    let root = site.path();
    let docs = f.dir.join(format!("docs-{ext}"));
    let out = import(root, &[docs.to_str().unwrap()]);
    let report = stderr(&out);
    assert!(out.status.success(), "{report}");
    assert!(
        report.contains(&format!("fiches créées : {},", f.sheets.len())),
        "{report}"
    );

    let built = root.join("public");
    let b = fiches_in(root, &["build", "--quiet"]);
    assert!(b.status.success(), "{}", stderr(&b));
    for s in &f.sheets {
        let md = std::fs::read_to_string(root.join("content/fiches").join(format!("{}.md", s.id)))
            .unwrap_or_else(|_| panic!("{ext}: {} not imported\n{report}", s.id));
        let (fm, body) = front_matter(&md);
        let get = |k: &str| fm.get(k).map(value_string);
        assert_eq!(get("title").as_deref(), Some(s.title.as_str()), "{ext} {}", s.id);
        assert_eq!(get("summary").as_deref(), Some(s.summary.as_str()), "{ext} {}", s.id);
        assert_eq!(
            get("updated").as_deref(),
            Some(s.updated.as_str()),
            "{ext} {}: date from the document",
            s.id
        );
        if ext == "odt" {
            let tags: Vec<String> = fm["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            assert_eq!(tags, s.tags, "{ext} {}: keywords", s.id);
        }
        // Structure: every heading, step, list item, table cell, link, image and note.
        let (want, got) = (count(&s.body), count(&body));
        assert_eq!(got.headings, want.headings, "{ext} {} headings\n{body}", s.id);
        assert_eq!(
            got.ordered_items, want.ordered_items,
            "{ext} {} numbered steps\n{body}",
            s.id
        );
        assert_eq!(got.list_items, want.list_items, "{ext} {} list items\n{body}", s.id);
        assert_eq!(got.table_cells, want.table_cells, "{ext} {} table cells", s.id);
        assert_eq!(got.links, want.links, "{ext} {} links\n{body}", s.id);
        assert_eq!(got.images, want.images, "{ext} {} images", s.id);
        assert_eq!(got.footnotes, want.footnotes, "{ext} {} notes", s.id);
        // Word for word, as a reader sees both pages.
        let page = std::fs::read_to_string(built.join("fiches").join(&s.id).join("index.html")).unwrap();
        let w = page_words(&page);
        if w != s.words {
            let at = w
                .iter()
                .zip(&s.words)
                .position(|(a, b)| a != b)
                .unwrap_or(w.len().min(s.words.len()));
            panic!(
                "{ext} {}: text differs at word {at}: imported {:?} / original {:?}",
                s.id,
                &w[at.saturating_sub(5)..(at + 5).min(w.len())],
                &s.words[at.saturating_sub(5)..(at + 5).min(s.words.len())]
            );
        }
        // Images: saved under static/, with the document's description (odt).
        let re = &*IMAGE;
        for (i, alt) in s.image_alts.iter().enumerate() {
            let c = re
                .captures_iter(&body)
                .nth(i)
                .unwrap_or_else(|| panic!("{ext} {}: image {i}", s.id));
            assert!(
                root.join("static").join(c[2].trim_start_matches('/')).is_file(),
                "{}",
                &c[2]
            );
            if ext == "odt" {
                assert_eq!(
                    &c[1],
                    alt.as_str(),
                    "{ext} {}: alt text from the image description",
                    s.id
                );
            } else if c[1].is_empty() {
                // LibreOffice writes no description in .docx: the report says so.
                assert!(
                    report.contains(&format!("image sans description : {}", &c[2])),
                    "{report}"
                );
            }
        }
        // Search finds every sheet by its title.
        let q = fiches_in(root, &["search", "--format", "json", "--limit", "3", &s.title]);
        assert!(q.status.success(), "{}", stderr(&q));
        let hits: serde_json::Value = serde_json::from_str(&stdout(&q)).unwrap();
        // Among the first three: the demo site itself ranks "Pas de son" above
        // "Pas de signal" for the latter's full title (both are about a projector).
        let ids: Vec<&str> = hits
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|h| h["id"].as_str())
            .collect();
        assert!(
            ids.contains(&s.id.as_str()),
            "{ext}: search « {} » gives {ids:?}",
            s.title
        );
    }
    // Links between documents became links between sheets (checked by build), the
    // numbered steps stayed numbered.
    let steps = std::fs::read_to_string(root.join("content/fiches/impression/file-bloquee.md")).unwrap();
    assert!(steps.contains("\n1. Ouvrez **Paramètres"), "{steps}");
    assert!(steps.contains("(../fichiers/enregistrer-sur-le-reseau.md)"), "{steps}");

    // `check`: no error; warnings only for what the report lists.
    let c = fiches_in(root, &["check", "--format", "json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&c)).unwrap();
    for d in findings["diagnostics"].as_array().or(findings.as_array()).unwrap() {
        let code = d["code"].as_str().unwrap_or("");
        assert!(
            matches!(code, "action-undocumented" | "image-no-alt" | "sheet-stale"),
            "{ext}: unexpected finding {d}"
        );
        if code == "image-no-alt" {
            assert!(report.contains("image sans description"), "{report}");
        }
        if code == "sheet-stale" {
            assert!(report.contains("la signalera comme ancienne"), "{report}");
        }
    }
    assert!(c.status.success(), "{}", stderr(&c));

    // A second run changes nothing and says so.
    let before = common::snapshot(&root.join("content"));
    let static_before = common::snapshot(&root.join("static"));
    let again = import(root, &[docs.to_str().unwrap()]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains(&format!("inchangées : {},", f.sheets.len())),
        "{}",
        stderr(&again)
    );
    assert_eq!(before, common::snapshot(&root.join("content")));
    assert_eq!(static_before, common::snapshot(&root.join("static")));
}

#[test]
fn odt_documents_become_sheets_word_for_word() {
    import_demo("odt");
}

#[test]
fn docx_documents_become_sheets_word_for_word() {
    import_demo("docx");
}

/// pandoc's Markdown of the same documents: ours loses no more structure.
#[test]
fn import_keeps_at_least_as_much_structure_as_pandoc() {
    let f = fixtures();
    let html_cells = regex::Regex::new(r"<t[dh][ >]").unwrap();
    let html_links = regex::Regex::new(r"<a [^>]*href=").unwrap();
    let html_imgs = regex::Regex::new(r"<img ").unwrap();
    let mut table: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    for ext in ["odt", "docx"] {
        let site = empty_site("import-pandoc-");
        let docs = f.dir.join(format!("docs-{ext}"));
        let out = import(site.path(), &[docs.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        let mut ours = Counts::default();
        let mut theirs = Counts::default();
        for s in &f.sheets {
            let md = std::fs::read_to_string(site.path().join("content/fiches").join(format!("{}.md", s.id))).unwrap();
            let (_, body) = front_matter(&md);
            // The title is a heading of the document; fiches moves it to the front matter.
            let mut c = count(&body);
            c.headings += 1;
            let p = Command::new("pandoc")
                .args(["-f", ext, "-t", "gfm", "--wrap=none"])
                .arg(docs.join(&s.category).join(format!("{}.{ext}", s.slug)))
                .output()
                .unwrap();
            assert!(p.status.success(), "pandoc: {}", String::from_utf8_lossy(&p.stderr));
            let pmd = String::from_utf8_lossy(&p.stdout);
            let mut pc = count(&pmd);
            // pandoc writes complex tables, and some links, as HTML.
            pc.table_cells += html_cells.find_iter(&pmd).count();
            pc.links += html_links.find_iter(&pmd).count();
            pc.images += html_imgs.find_iter(&pmd).count();
            for (name, a, b) in [
                ("headings", c.headings, pc.headings),
                ("list items", c.list_items, pc.list_items),
                ("table cells", c.table_cells, pc.table_cells),
                ("links", c.links, pc.links),
                ("images", c.images, pc.images),
            ] {
                assert!(
                    a >= b,
                    "{ext} {}: {name}: fiches {a} < pandoc {b}\n--- fiches\n{body}\n--- pandoc\n{pmd}",
                    s.id
                );
            }
            for (t, x) in [(&mut ours, c), (&mut theirs, pc)] {
                t.headings += x.headings;
                t.list_items += x.list_items;
                t.ordered_items += x.ordered_items;
                t.table_cells += x.table_cells;
                t.links += x.links;
                t.images += x.images;
                t.footnotes += x.footnotes;
            }
        }
        let col = if ext == "odt" { 0 } else { 2 };
        for (name, a, b) in [
            ("titres", ours.headings, theirs.headings),
            ("éléments de liste", ours.list_items, theirs.list_items),
            ("dont étapes numérotées", ours.ordered_items, theirs.ordered_items),
            ("cellules de tableau", ours.table_cells, theirs.table_cells),
            ("liens", ours.links, theirs.links),
            ("images", ours.images, theirs.images),
            ("notes", ours.footnotes, theirs.footnotes),
        ] {
            let row = table.entry(name).or_default();
            row[col] = a;
            row[col + 1] = b;
        }
    }
    println!(
        "| élément ({} fiches) | fiches .odt | pandoc .odt | fiches .docx | pandoc .docx |",
        f.sheets.len()
    );
    println!("|---|---:|---:|---:|---:|");
    for (name, r) in &table {
        println!("| {name} | {} | {} | {} | {} |", r[0], r[1], r[2], r[3]);
    }
}

/// An image in imported Markdown: its description and its path.
static IMAGE: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"!\[([^\]]*)\]\((/images/[^)]+)\)").unwrap());

/// Returns an entry's new bytes, or None to drop the entry.
type EditEntry<'a> = &'a mut dyn FnMut(&str, Vec<u8>) -> Option<Vec<u8>>;

/// Rewrites a zip: `edit(name, bytes)` returns the new bytes, or None to drop the entry.
fn rezip(from: &Path, to: &Path, edit: EditEntry, extra: Option<(&str, Vec<u8>)>) {
    let mut zin = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..zin.len() {
        let mut e = zin.by_index(i).unwrap();
        let name = e.name().to_string();
        let mut b = Vec::new();
        e.read_to_end(&mut b).unwrap();
        if let Some(nb) = edit(&name, b) {
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            zout.start_file(name, opts).unwrap();
            zout.write_all(&nb).unwrap();
        }
    }
    if let Some((name, b)) = extra {
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(false);
        zout.start_file(name, opts).unwrap();
        zout.write_all(&b).unwrap();
    }
    zout.finish().unwrap();
}

#[test]
fn bad_documents_get_a_clear_error_and_nothing_is_written() {
    let f = fixtures();
    let bad = tempfile::tempdir().unwrap();
    let good_odt = f.dir.join("odt").join(format!("{}.odt", f.sheets[0].slug));
    let good_docx = f.dir.join("docx").join(format!("{}.docx", f.sheets[0].slug));
    // A corrupt zip: a real document cut in half.
    let bytes = std::fs::read(&good_odt).unwrap();
    std::fs::write(bad.path().join("coupe.odt"), &bytes[..bytes.len() / 2]).unwrap();
    // A Word 97 document renamed .docx.
    std::fs::copy(
        f.dir.join("doc").join(format!("{}.doc", f.sheets[0].slug)),
        bad.path().join("ancien.docx"),
    )
    .unwrap();
    // A password-protected OpenDocument: the manifest declares encrypted parts.
    rezip(
        &good_odt,
        &bad.path().join("protege.odt"),
        &mut |name, b| {
            if name == "META-INF/manifest.xml" {
                let s = String::from_utf8(b).unwrap().replace(
                    "manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>",
                    "manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"><manifest:encryption-data manifest:checksum-type=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k\" manifest:checksum=\"AAAA\"><manifest:algorithm manifest:algorithm-name=\"http://www.w3.org/2001/04/xmlenc#aes256-cbc\" manifest:initialisation-vector=\"AAAA\"/></manifest:encryption-data></manifest:file-entry>",
                );
                assert!(s.contains("encryption-data"), "{s}");
                Some(s.into_bytes())
            } else if name == "content.xml" {
                Some((0..b.len()).map(|i| (i * 7919 % 251) as u8).collect())
            } else {
                Some(b)
            }
        },
        None,
    );
    // A 50 MB document: a real .docx carrying 50 MB of media.
    let noise: Vec<u8> = (0..50 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    rezip(
        &good_docx,
        &bad.path().join("enorme.docx"),
        &mut |_, b| Some(b),
        Some(("word/media/scan.bin", noise)),
    );
    assert!(std::fs::metadata(bad.path().join("enorme.docx")).unwrap().len() > 50_000_000);

    for (file, says) in [
        ("coupe.odt", "archive .odt endommagée"),
        ("ancien.docx", "Word 97-2003 (.doc)"),
        ("protege.odt", "protégé par mot de passe"),
        ("enorme.docx", "trop volumineux (50 Mo"),
    ] {
        let site = empty_site("import-bad-");
        let path = bad.path().join(file);
        let out = import(site.path(), &[path.to_str().unwrap()]);
        let err = stderr(&out);
        assert!(!out.status.success(), "{file}: {err}");
        assert!(
            err.contains(&format!("ÉCHEC      {}", path.display())),
            "{file}: names the file: {err}"
        );
        assert!(err.contains(says), "{file}: {err}");
        assert!(err.contains("rien n'a été écrit"), "{err}");
        assert!(!site.path().join("content/fiches").exists(), "{file}: nothing written");
        assert!(!site.path().join("static").exists(), "{file}: nothing written");
    }
    // In a folder with a good document: the good one is imported, the bad ones named.
    std::fs::copy(&good_odt, bad.path().join("bonne.odt")).unwrap();
    let site = empty_site("import-mixed-");
    let out = import(site.path(), &["--category", "divers", bad.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(site.path().join("content/fiches/divers/bonne.md").is_file(), "{err}");
    assert_eq!(err.matches("ÉCHEC").count(), 4, "{err}");
    let written: Vec<_> = std::fs::read_dir(site.path().join("content/fiches/divers"))
        .unwrap()
        .collect();
    assert_eq!(written.len(), 1, "{err}");
}

/// Word numbering that lives in a paragraph style ("List Number"), not on
/// the paragraphs: the LibreOffice .docx is rewritten that way.
#[test]
fn word_numbering_from_a_paragraph_style_stays_numbered() {
    let f = fixtures();
    let s = f
        .sheets
        .iter()
        .find(|s| s.id == "impression/file-bloquee")
        .expect("demo sheet");
    let src = f.dir.join("docx").join("file-bloquee.docx");
    let tmp = tempfile::tempdir().unwrap();
    let out_doc = tmp.path().join("file-bloquee.docx");
    let mut num_id = String::new();
    rezip(
        &src,
        &out_doc,
        &mut |name, b| match name {
            "word/document.xml" => {
                let s = String::from_utf8(b).unwrap();
                // The numbered list of the steps: its numId, then each paragraph's numPr goes.
                let re = regex::Regex::new(
                    r#"<w:pStyle w:val="([A-Za-z]+)"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="(\d+)"/></w:numPr>"#,
                )
                .unwrap();
                let steps = re
                    .captures_iter(&s)
                    .map(|c| c[2].to_string())
                    .find(|n| s.matches(&format!("<w:numId w:val=\"{n}\"/>")).count() == 7)
                    .expect("the 7 steps");
                num_id = steps.clone();
                let pat = format!(
                    r#"<w:pStyle w:val="[A-Za-z]+"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{steps}"/></w:numPr>"#
                );
                let out = regex::Regex::new(&pat)
                    .unwrap()
                    .replace_all(&s, r#"<w:pStyle w:val="ListNumber"/>"#);
                Some(out.into_owned().into_bytes())
            }
            "word/styles.xml" => {
                let s = String::from_utf8(b).unwrap();
                Some(s.replace("</w:styles>", "<w:style w:type=\"paragraph\" w:styleId=\"ListNumber\"><w:name w:val=\"List Number\"/><w:basedOn w:val=\"TextBody\"/><w:pPr><w:numPr><w:numId w:val=\"@NUM@\"/></w:numPr></w:pPr></w:style></w:styles>").into_bytes())
            }
            _ => Some(b),
        },
        None,
    );
    // styles.xml comes after document.xml in the package: fill in the numId now.
    let fixed = tmp.path().join("file-bloquee-style.docx");
    rezip(
        &out_doc,
        &fixed,
        &mut |name, b| {
            if name == "word/styles.xml" {
                Some(String::from_utf8(b).unwrap().replace("@NUM@", &num_id).into_bytes())
            } else {
                Some(b)
            }
        },
        None,
    );
    let doc = std::fs::read(&fixed).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(doc)).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert_eq!(
        xml.matches("w:val=\"ListNumber\"").count(),
        7,
        "the steps carry only the style"
    );
    let site = empty_site("import-style-");
    let out = import(site.path(), &["--category", "impression", fixed.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(site.path().join("content/fiches/impression/file-bloquee-style.md")).unwrap();
    for n in 1..=7 {
        assert!(md.contains(&format!("\n{n}. ")), "step {n}:\n{md}");
    }
    assert_eq!(count(&md).ordered_items, count(&s.body).ordered_items, "{md}");
}

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D,
    0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

fn sheet(root: &Path, id: &str) -> (toml::Table, String) {
    let md = std::fs::read_to_string(root.join("content/fiches").join(format!("{id}.md")))
        .unwrap_or_else(|_| panic!("{id} not written"));
    front_matter(&md)
}

fn check_has_no_error(root: &Path) -> Vec<String> {
    let c = fiches_in(root, &["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&c)).unwrap();
    let codes: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    assert!(c.status.success(), "{}", stdout(&c));
    let b = fiches_in(root, &["build", "--quiet"]);
    assert!(b.status.success(), "{}", stderr(&b));
    codes
}

#[test]
fn mdbook_summary_gives_categories_order_and_links() {
    let book = tempfile::tempdir().unwrap();
    let b = book.path();
    write_files(
        b,
        &[
            ("book.toml", "[book]\ntitle = \"Aide informatique\"\nsrc = \"src\"\n"),
            ("src/SUMMARY.md", "# Summary\n\n[Introduction](README.md)\n\n# Wi-Fi et réseau\n\n- [Se connecter au Wi-Fi](wifi/connexion.md)\n    - [Dépannage Wi-Fi](wifi/depannage.md)\n\n# Impression\n\n- [Imprimer](impression/imprimer.md)\n- [Brouillon]()\n"),
            ("src/README.md", "# Introduction\n\nBienvenue dans l'aide informatique du collège.\n"),
            ("src/wifi/connexion.md", "---\ndescription: Se connecter au Wi-Fi pédagogique avec son compte.\ntags: [wifi, réseau]\ndate: 2026-03-01\nlayout: page\n---\n# Se connecter au Wi-Fi\n\nLe Wi-Fi pédagogique couvre tout le collège.\n\n## Étapes\n\n1. Ouvrez la liste des réseaux.\n2. Choisissez **CLG-PEDA**.\n\nVoir [le dépannage](depannage.html#dépannage-rapide) et [imprimer](../impression/imprimer.html), ou [plus haut](#étapes).\n\n![Icône du Wi-Fi](../images/wifi.png)\n\n{{#include ../commun.md}}\n"),
            ("src/wifi/depannage.md", "# Dépannage Wi-Fi\n\n## Dépannage rapide\n\nRedémarrez le portable.\n\n!!! warning \"Attention\"\n    Ne débranchez jamais la borne.\n"),
            ("src/impression/imprimer.md", "# Imprimer\n\nRetour aux [étapes du Wi-Fi](../wifi/connexion.md#Étapes) ; [page absente](absente.md).\n"),
        ],
    );
    write(&b.join("src/images/wifi.png"), PNG);
    let site = empty_site("import-mdbook-");
    let root = site.path();
    let out = import(root, &[b.to_str().unwrap()]);
    let report = stderr(&out);
    assert!(out.status.success(), "{report}");
    // Parts are categories, titled and ordered; chapters keep their order.
    let cat = std::fs::read_to_string(root.join("content/fiches/wi-fi-et-reseau/_index.md")).unwrap();
    assert!(
        cat.contains("title = \"Wi-Fi et réseau\"") && cat.contains("weight = 10"),
        "{cat}"
    );
    let (fm, body) = sheet(root, "wi-fi-et-reseau/connexion");
    assert_eq!(fm["title"].as_str(), Some("Se connecter au Wi-Fi"));
    assert_eq!(
        fm["summary"].as_str(),
        Some("Se connecter au Wi-Fi pédagogique avec son compte.")
    );
    assert_eq!(value_string(&fm["updated"]), "2026-03-01");
    assert_eq!(fm["weight"].as_integer(), Some(10));
    assert_eq!(
        sheet(root, "wi-fi-et-reseau/depannage").0["weight"].as_integer(),
        Some(20)
    );
    // mdBook links, accented anchors included, are fiches links now.
    assert!(body.contains("(depannage.md#depannage-rapide)"), "{body}");
    assert!(body.contains("(../impression/imprimer.md)"), "{body}");
    assert!(body.contains("(#etapes)"), "{body}");
    assert!(
        body.contains("![Icône du Wi-Fi](/images/wi-fi-et-reseau/connexion-1.png)"),
        "{body}"
    );
    assert!(root.join("static/images/wi-fi-et-reseau/connexion-1.png").is_file());
    assert!(!body.contains("{{#include"), "{body}");
    assert!(report.contains("directive mdBook `{{#include}}`"), "{report}");
    assert!(
        report.contains("clés d'en-tête sans équivalent dans une fiche : layout"),
        "{report}"
    );
    let (_, dep) = sheet(root, "wi-fi-et-reseau/depannage");
    assert!(dep.contains("> [!WARNING]\n> **Attention**"), "{dep}");
    let (_, imp) = sheet(root, "impression/imprimer");
    assert!(imp.contains("(../wi-fi-et-reseau/connexion.md#etapes)"), "{imp}");
    assert!(imp.contains("page absente") && !imp.contains("absente.md"), "{imp}");
    assert!(report.contains("lien vers `absente.md`"), "{report}");
    assert!(
        root.join("content/fiches/aide-informatique/introduction.md").is_file(),
        "{report}"
    );
    let codes = check_has_no_error(root);
    assert!(codes.iter().all(|c| c == "action-undocumented"), "{codes:?}");
}

#[test]
fn mkdocs_nav_and_vuepress_folders() {
    let mk = tempfile::tempdir().unwrap();
    let m = mk.path();
    write_files(
        m,
        &[
            ("mkdocs.yml", "site_name: Aide numérique\nnav:\n  - Accueil: index.md\n  - Réseau:\n      - Wi-Fi: reseau/wifi.md\n      - Imprimantes: reseau/imprimer.md\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"),
            ("docs/index.md", "# Accueil\n\nToutes les procédures du collège, à jour.\n"),
            ("docs/reseau/wifi.md", "# Wi-Fi\n\nSe connecter au réseau du collège.\n\n??? tip \"Astuce\"\n    Oubliez l'ancien réseau d'abord.\n\nVoir [les imprimantes](imprimer.md#file-bloquée).\n"),
            ("docs/reseau/imprimer.md", "# Imprimantes\n\n## File bloquée\n\nAnnulez le document.\n"),
        ],
    );
    let site = empty_site("import-mkdocs-");
    let root = site.path();
    let out = import(root, &[m.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (fm, body) = sheet(root, "reseau/wifi");
    assert_eq!(fm["title"].as_str(), Some("Wi-Fi"));
    assert_eq!(fm["weight"].as_integer(), Some(20));
    assert!(body.contains("> [!TIP]\n> **Astuce**"), "{body}");
    assert!(body.contains("(imprimer.md#file-bloquee)"), "{body}");
    assert!(std::fs::read_to_string(root.join("content/fiches/reseau/_index.md"))
        .unwrap()
        .contains("\"Réseau\""));
    assert!(
        root.join("content/fiches/aide-numerique/index.md").is_file()
            || root.join("content/fiches/aide-numerique/accueil.md").is_file()
    );
    check_has_no_error(root);

    // VuePress: folders are categories, `/guide/page.html#étapes` links from the docs root.
    let vp = tempfile::tempdir().unwrap();
    let v = vp.path();
    write_files(
        v,
        &[
            ("docs/.vuepress/config.js", "module.exports = { title: 'Aide' }\n"),
            ("docs/guide/README.md", "---\ntitle: Le guide\n---\n\nPremière page du guide du collège.\n"),
            ("docs/guide/imprimer.md", "---\ntitle: Imprimer\ntags:\n  - impression\n---\n\n## Étapes\n\n::: warning Attention\nPas de recto-verso sur le copieur A.\n:::\n\nRetour au [guide](/guide/) et à [cette section](/guide/imprimer.html#étapes).\n"),
        ],
    );
    let site = empty_site("import-vuepress-");
    let root = site.path();
    let out = import(root, &[v.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (fm, body) = sheet(root, "guide/imprimer");
    assert_eq!(fm["tags"].as_array().unwrap()[0].as_str(), Some("impression"));
    assert!(body.contains("> [!WARNING]\n> **Attention**"), "{body}");
    assert!(body.contains("[guide](guide.md)"), "{body}");
    assert!(body.contains("[cette section](#etapes)"), "{body}");
    check_has_no_error(root);
}

#[test]
fn html_page_links_written_by_hand_build_with_a_warning() {
    let site = empty_site("import-htmllink-");
    let root = site.path();
    write_files(
        root,
        &[
            (
                "content/fiches/wifi/connexion.md",
                "+++\ntitle = \"Connexion\"\n+++\n\n## Dépannage rapide\n\nTexte.\n",
            ),
            (
                "content/fiches/wifi/autre.md",
                "+++\ntitle = \"Autre\"\n+++\n\nVoir [la connexion](connexion.html#dépannage-rapide).\n",
            ),
        ],
    );
    let c = fiches_in(root, &["check"]);
    let err = stderr(&c);
    assert!(c.status.success(), "{err}");
    assert!(err.contains("avertissement[html-link]"), "{err}");
    assert!(err.contains("écrivez `connexion.md#depannage-rapide`"), "{err}");
    let b = fiches_in(root, &["build", "--quiet"]);
    assert!(b.status.success(), "{}", stderr(&b));
    let page = std::fs::read_to_string(root.join("public/fiches/wifi/autre/index.html")).unwrap();
    assert!(
        page.contains("href=\"../connexion/index.html#depannage-rapide\""),
        "{page}"
    );
    // A missing `page.html`: the hint is about sheets, not images.
    write(
        &root.join("content/fiches/wifi/autre.md"),
        "+++\ntitle = \"Autre\"\n+++\n\nVoir [rien](absente.html).\n",
    );
    let c = fiches_in(root, &["check"]);
    let err = stderr(&c);
    assert!(!c.status.success());
    assert!(err.contains("`page.md`") && !err.contains("/images/"), "{err}");
}

#[test]
fn dry_run_writes_nothing_and_an_existing_sheet_is_never_replaced() {
    let docs = tempfile::tempdir().unwrap();
    write(
        &docs.path().join("Procédures/Wi-Fi invité.html"),
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Créer un compte Wi-Fi invité</title></head><body><main><h1>Créer un compte Wi-Fi invité</h1><p>Pour un intervenant extérieur, il faut Créer des comptes Wi-Fi invités depuis la console.</p><ol start=\"3\"><li>Ouvrez la console.</li><li>Imprimez le ticket.</li></ol><img src=\"absente.png\"></main></body></html>",
    );
    let site = empty_site("import-dry-");
    let root = site.path();
    let out = import(root, &["--dry-run", docs.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("à créer    content/fiches/procedures/wi-fi-invite.md"),
        "{err}"
    );
    assert!(!root.join("content/fiches").exists(), "dry run wrote files");
    // The action is proposed, never added.
    assert!(err.contains("action proposée : `wifi-invite`"), "{err}");
    let out = import(root, &[docs.path().to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (fm, body) = sheet(root, "procedures/wi-fi-invite");
    assert!(fm.get("action").is_none());
    assert!(body.contains("3. Ouvrez la console.\n4. Imprimez le ticket."), "{body}");
    let cat = std::fs::read_to_string(root.join("content/fiches/procedures/_index.md")).unwrap();
    assert!(cat.contains("title = \"Procédures\""), "{cat}");
    // Someone edits the sheet; a new import leaves it alone.
    let path = root.join("content/fiches/procedures/wi-fi-invite.md");
    std::fs::write(&path, "+++\ntitle = \"Modifiée à la main\"\n+++\n").unwrap();
    let out = import(root, &[docs.path().to_str().unwrap()]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("conservé") && err.contains("n'a pas été remplacé"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "+++\ntitle = \"Modifiée à la main\"\n+++\n"
    );
}
