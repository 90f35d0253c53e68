//! What a Windows PC changes in the files, tried on Linux: sheets and
//! `book.toml` saved with CRLF line ends, and with a byte order mark (older
//! Notepad). The paths with drive letters and backslashes are tried on the
//! Windows executable itself (tests/release.rs, under Wine when present).

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// Every .md and .toml file with CRLF line ends; the sheets also with a BOM.
fn to_windows(root: &Path) -> usize {
    let mut n = 0;
    for p in walk(root) {
        let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
        if ext != "md" && ext != "toml" {
            continue;
        }
        let text = read(&p);
        assert!(!text.contains('\r'), "{} already has CR", p.display());
        let mut crlf = text.replace('\n', "\r\n");
        if ext == "md" && p.to_string_lossy().contains("/fiches/") {
            crlf.insert(0, '\u{feff}');
        }
        std::fs::write(&p, crlf).unwrap();
        n += 1;
    }
    n
}

#[test]
fn crlf_and_bom_files_build_the_same_site_as_lf_files() {
    let tmp = tempdir();
    let lf = copy_demo(&tmp.path().join("lf"));
    let crlf = copy_demo(&tmp.path().join("crlf"));
    assert!(to_windows(&crlf) > 10);

    // The same diagnostics, at the same lines.
    let a = fiches_in(&lf, &["check", "--format", "json"]);
    let b = fiches_in(&crlf, &["check", "--format", "json"]);
    assert_eq!(a.status.code(), b.status.code(), "{}", stderr(&b));
    assert_eq!(stdout(&a), stdout(&b), "{}", stderr(&b));

    // The same pages, byte for byte (the text of a page has no CR).
    let out_a = tmp.path().join("out-lf");
    let out_b = tmp.path().join("out-crlf");
    for (root, out) in [(&lf, &out_a), (&crlf, &out_b)] {
        let o = fiches_in(root, &["build", "--quiet", "--output", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let pages = |out: &Path| -> Vec<(PathBuf, String)> {
        walk(out)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .map(|p| (p.strip_prefix(out).unwrap().to_path_buf(), read(&p)))
            .collect()
    };
    let (pa, pb) = (pages(&out_a), pages(&out_b));
    assert!(pa.len() > 20);
    assert_eq!(
        pa.iter().map(|(p, _)| p).collect::<Vec<_>>(),
        pb.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for ((p, x), (_, y)) in pa.iter().zip(&pb) {
        assert!(!y.contains('\r'), "{}: CR in the page", p.display());
        assert!(!y.contains('\u{feff}'), "{}: BOM in the page", p.display());
        assert_eq!(x, y, "{}", p.display());
    }
}

#[test]
fn errors_in_crlf_files_name_the_right_line() {
    let tmp = tempdir();
    let site = copy_demo(&tmp.path().join("site"));
    // Line 3 of a sheet's front matter: a key that does not exist.
    let sheet = walk(&site.join("content/fiches"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .unwrap();
    let text = read(&sheet);
    let mut lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "+++");
    lines.insert(2, "titre_inconnu = \"x\"");
    std::fs::write(&sheet, lines.join("\r\n") + "\r\n").unwrap();
    // book.toml: a value of the wrong type on its line 2.
    let book = read(&site.join("book.toml"));
    let mut blines: Vec<&str> = book.lines().collect();
    let title = blines.iter().position(|l| l.starts_with("title = ")).unwrap();
    blines[title] = "title = 42";
    std::fs::write(site.join("book.toml"), blines.join("\r\n") + "\r\n").unwrap();

    let o = fiches_in(&site, &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let diags: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let book_err = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == "book.toml")
        .unwrap_or_else(|| panic!("{diags:#}"));
    assert_eq!(book_err["line"], title + 1, "{book_err}");
    // With book.toml broken the sheets are not read: fix it, then the sheet.
    std::fs::write(site.join("book.toml"), book.replace('\n', "\r\n")).unwrap();
    let o = fiches_in(&site, &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let diags: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rel = sheet.strip_prefix(&site).unwrap().to_string_lossy().to_string();
    let d = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["file"] == rel.as_str())
        .unwrap_or_else(|| panic!("{rel}: {diags:#}"));
    assert_eq!(d["line"], 3, "{d}");
    assert!(d["message"].to_string().contains("titre_inconnu"), "{d}");
}
