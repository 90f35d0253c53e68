//! Offline use (`src/offline.rs`): the web app manifest and its icons, the
//! service worker's precache list (marked categories, budget), the cache
//! version, the offline page, and what `fiches serve` and `enabled = false`
//! write instead. The browser side is tests/browser/offline.test.mjs.

mod common;

use common::*;
use sha2::{Digest, Sha256};
use std::path::Path;

fn edit(path: &Path, f: impl FnOnce(String) -> String) {
    let text = read(path);
    std::fs::write(path, f(text)).unwrap();
}

/// The configuration object the build wrote on the first lines of sw.js.
fn sw_config(out: &Path) -> serde_json::Value {
    let sw = read(&out.join("sw.js"));
    let line = sw
        .lines()
        .find_map(|l| l.strip_prefix("var F = "))
        .unwrap_or_else(|| panic!("no configuration in sw.js:\n{}", &sw[..sw.len().min(400)]));
    serde_json::from_str(line.trim_end_matches(';')).unwrap()
}

/// The precache list, `[folder, [[name, hash, size]…]]` groups flattened.
fn precache(out: &Path) -> Vec<(String, String, u64)> {
    let mut list = Vec::new();
    for g in sw_config(out)["precache"].as_array().unwrap() {
        let folder = g[0].as_str().unwrap();
        for e in g[1].as_array().unwrap() {
            list.push((
                format!("{folder}{}", e[0].as_str().unwrap()),
                e[1].as_str().unwrap().to_string(),
                e[2].as_u64().unwrap(),
            ));
        }
    }
    list
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn manifest_names_the_site_and_stays_under_the_base_url() {
    let (_t, site) = demo_copy();
    edit(&site.join("book.toml"), |t| {
        t.replace(
            "base-url = \"https://clg-lucie-aubrac.example.org/\"",
            "base-url = \"/aide-numerique/\"",
        )
    });
    let (_o, out) = build_to(&site, &[]);
    let m: serde_json::Value = serde_json::from_str(&read(&out.join("manifest.webmanifest"))).unwrap();
    assert_eq!(m["name"], "Aide numérique — Collège Lucie Aubrac");
    assert_eq!(m["short_name"], "Aide numérique");
    assert_eq!(m["lang"], "fr");
    assert_eq!(m["display"], "standalone");
    assert_eq!(m["theme_color"], "#000091", "the default theme's accent");
    // Relative to the manifest, which the host serves at the base URL.
    let base = "https://clg.example.org/aide-numerique/";
    for key in ["start_url", "scope", "id"] {
        let v = m[key].as_str().unwrap();
        assert!(!v.starts_with('/') && !v.contains("://"), "{key} = {v}");
        let resolved = format!("{base}{}", v.trim_start_matches("./"));
        assert!(resolved.starts_with(base), "{key}");
    }
    let icons = m["icons"].as_array().unwrap();
    let mut sizes = Vec::new();
    for i in icons.iter().filter(|i| i["type"] == "image/png") {
        let bytes = std::fs::read(out.join(i["src"].as_str().unwrap())).unwrap();
        let (w, h) = png_size(&bytes);
        assert_eq!(format!("{w}x{h}"), i["sizes"].as_str().unwrap());
        sizes.push((w, i["purpose"].as_str().unwrap().to_string()));
    }
    assert!(
        sizes.contains(&(192, "any".into())) && sizes.contains(&(512, "any".into())),
        "{sizes:?}"
    );
    assert!(sizes.contains(&(512, "maskable".into())), "{sizes:?}");
    // The icon is the favicon drawn: its dark blue square fills most pixels.
    let img = std::fs::read(out.join("assets/icon-512.png")).unwrap();
    assert!(img.len() > 1000, "an empty picture compresses to nothing");
    // Every page opts in to the service worker; site.js links the manifest
    // from http(s) only (the browser's fetch of it fails from file://).
    assert!(read(&out.join("assets/site.js")).contains("manifest.webmanifest"));
    for page in [
        "index.html",
        "fiches/wifi/compte-invite/index.html",
        "recherche/index.html",
    ] {
        let html = read(&out.join(page));
        assert!(!html.contains("rel=\"manifest\""), "{page}");
        assert!(html.contains("data-sw=\"sw.js\""), "{page}");
        assert!(
            html.contains("<meta name=\"theme-color\" content=\"#000091\">"),
            "{page}"
        );
    }
    assert!(read(&out.join("sw.js")).contains("addEventListener('fetch'"));
}

#[test]
fn book_toml_names_and_colours_the_app() {
    let (_t, site) = demo_copy();
    edit(&site.join("book.toml"), |t| {
        t + "\n[offline]\nshort-name = \"Aubrac\"\ntheme-color = \"#18753c\"\nmax-mb = 2.5\n"
    });
    let (_o, out) = build_to(&site, &[]);
    let m: serde_json::Value = serde_json::from_str(&read(&out.join("manifest.webmanifest"))).unwrap();
    assert_eq!(m["short_name"], "Aubrac");
    assert_eq!(m["theme_color"], "#18753c");
    assert!(read(&out.join("index.html")).contains("content=\"#18753c\""));
}

#[test]
fn offline_config_errors_name_the_key_and_line() {
    let (_t, site) = demo_copy();
    let book = read(&site.join("book.toml"));
    let lines = book.lines().count();
    for (extra, needle) in [
        ("[offline]\nmax-mo = 3\n", "max-mo"),
        ("[offline]\nmax-mb = 0\n", "max-mb"),
        ("[offline]\ntheme-color = \"bleu\"\n", "theme-color"),
        ("[offline]\nmax-mb = \"5\"\n", "valeur invalide"),
    ] {
        std::fs::write(site.join("book.toml"), format!("{book}\n{extra}")).unwrap();
        let o = fiches_in(&site, &["check"]);
        let err = stderr(&o);
        assert!(!o.status.success(), "{extra}: {err}");
        assert!(err.contains(needle), "{extra}: {err}");
        assert!(
            err.contains(&format!("book.toml:{}", lines + 3)),
            "{extra}: line expected\n{err}"
        );
    }
}

#[test]
fn precache_holds_the_core_and_marked_categories_only() {
    let (_t, site) = demo_copy();
    let (_o, out) = build_to(&site, &[]);
    let list = precache(&out);
    let paths: Vec<&str> = list.iter().map(|e| e.0.as_str()).collect();
    for p in [
        "index.html",
        "recherche/index.html",
        "actions/index.html",
        "hors-ligne/index.html",
        "assets/style.css",
        "assets/site.js",
        "assets/search.js",
        "assets/search-engine.js",
        "assets/highlight.css",
        "search/manifest.js",
        "manifest.webmanifest",
        "fiches/wifi/index.html",
        "fiches/wifi/compte-invite/index.html",
        "fiches/ent/mot-de-passe-oublie/index.html",
    ] {
        assert!(paths.contains(&p), "{p} missing from the precache: {paths:?}");
    }
    // The whole search index.
    for f in walk(&out.join("search")) {
        let rel = f.strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
        assert!(paths.contains(&rel.as_str()), "{rel}");
    }
    // Unmarked categories are left to the network (and the runtime cache).
    assert!(!paths.iter().any(|p| p.starts_with("fiches/impression/")), "{paths:?}");
    assert!(!paths.iter().any(|p| p.starts_with("fiches/videoprojection/")));
    assert!(!paths.contains(&"sw.js"));
    // Each entry is the file on disk: size and SHA-256 (16 hex digits).
    for (p, hash, size) in &list {
        let bytes = std::fs::read(out.join(p)).unwrap();
        assert_eq!(bytes.len() as u64, *size, "{p}");
        let d: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(&d[..16], hash, "{p}");
    }
    // The offline page lists what is kept, with links.
    let off = read(&out.join("hors-ligne/index.html")).replace("&#x2F;", "/");
    assert!(off.contains("Vous êtes hors connexion"));
    assert!(
        off.contains("href=\"../fiches/wifi/compte-invite/index.html\""),
        "{off}"
    );
    assert!(off.contains("href=\"../recherche/index.html\""));
    assert!(!off.contains("fiches/impression/"), "unmarked sheets are not listed");
    assert!(off.contains("id=\"search-input\""), "the search box");
    // Not a page of the site: out of the sitemap.
    assert!(!read(&out.join("sitemap.xml")).contains("hors-ligne"));
}

#[test]
fn build_reports_the_precache_and_warns_over_budget() {
    let (_t, site) = demo_copy();
    let tmp = tempdir();
    let out = tmp.path().join("public");
    let o = fiches_in(&site, &["build", "--output", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("hors connexion"), "{err}");
    assert!(!err.contains("offline-budget"), "the demo fits its budget: {err}");
    let full: u64 = precache(&out).iter().map(|e| e.2).sum();
    assert!(err.contains(&format!("hors connexion {} Kio", full / 1024)), "{err}");

    // A budget that holds the core but not the whole Wi-Fi category.
    let core: u64 = precache(&out)
        .iter()
        .filter(|e| !e.0.starts_with("fiches/wifi/") && !e.0.starts_with("fiches/ent/"))
        .map(|e| e.2)
        .sum();
    let ent: u64 = precache(&out)
        .iter()
        .filter(|e| e.0.starts_with("fiches/ent/"))
        .map(|e| e.2)
        .sum();
    let wifi_page = std::fs::metadata(out.join("fiches/wifi/index.html")).unwrap().len();
    // The category's first sheet (weight 10), not its second.
    let sheet = std::fs::metadata(out.join("fiches/wifi/wifi-pedagogique/index.html"))
        .unwrap()
        .len();
    let mb = (core + ent + wifi_page + sheet + 2048) as f64 / (1024.0 * 1024.0);
    edit(&site.join("book.toml"), |t| {
        format!("{t}\n[offline]\nmax-mb = {mb:.6}\n")
    });
    let o = fiches_in(&site, &["build", "--output", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(o.status.success(), "a budget warning does not fail the build: {err}");
    assert!(err.contains("offline-budget"), "{err}");
    assert!(
        err.contains("content/fiches/wifi/_index.md:5"),
        "points at `offline = true`: {err}"
    );
    assert!(err.contains("Wi-Fi et réseau"), "{err}");
    assert!(err.contains("1 fiche sur 2 sera gardée"), "{err}");
    let paths: Vec<String> = precache(&out).into_iter().map(|e| e.0).collect();
    assert!(paths.contains(&"fiches/wifi/wifi-pedagogique/index.html".into()));
    assert!(!paths.contains(&"fiches/wifi/compte-invite/index.html".into()));
    let total: u64 = precache(&out).iter().map(|e| e.2).sum();
    assert!(total as f64 <= mb * 1024.0 * 1024.0, "{total} over the budget");
    let off = read(&out.join("hors-ligne/index.html"));
    assert!(
        off.contains("en partie"),
        "the offline page says the category is partial"
    );
}

#[test]
fn subcategories_inherit_offline_unless_they_opt_out() {
    let (_t, site) = demo_copy();
    let sub = site.join("content/fiches/wifi/bornes");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::write(
        sub.join("redemarrer.md"),
        "+++\ntitle = \"Redémarrer une borne\"\n+++\n\nTexte.\n",
    )
    .unwrap();
    let other = site.join("content/fiches/wifi/avance");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(
        other.join("_index.md"),
        "+++\ntitle = \"Avancé\"\noffline = false\n+++\n",
    )
    .unwrap();
    std::fs::write(other.join("radius.md"), "+++\ntitle = \"Radius\"\n+++\n\nTexte.\n").unwrap();
    let (_o, out) = build_to(&site, &[]);
    let paths: Vec<String> = precache(&out).into_iter().map(|e| e.0).collect();
    assert!(
        paths.contains(&"fiches/wifi/bornes/redemarrer/index.html".into()),
        "{paths:?}"
    );
    assert!(!paths.iter().any(|p| p.contains("radius")), "{paths:?}");

    std::fs::write(
        other.join("_index.md"),
        "+++\ntitle = \"Avancé\"\noffline = \"oui\"\n+++\n",
    )
    .unwrap();
    let o = fiches_in(&site, &["check"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("content/fiches/wifi/avance/_index.md:3"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn version_is_a_content_hash() {
    let (_t, site) = demo_copy();
    let (_a, a) = build_to(&site, &[]);
    let (_b, b) = build_to(&site, &[]);
    let va = sw_config(&a)["version"].as_str().unwrap().to_string();
    assert_eq!(va.len(), 16);
    assert_eq!(
        va,
        sw_config(&b)["version"].as_str().unwrap(),
        "same content, same version"
    );
    assert_eq!(read(&a.join("sw.js")), read(&b.join("sw.js")));
    // A change to a sheet of an unmarked category is a new version too: pages
    // kept while reading it must be replaced.
    edit(&site.join("content/fiches/impression/file-bloquee.md"), |t| {
        t + "\nUne ligne de plus.\n"
    });
    let (_c, c) = build_to(&site, &[]);
    assert_ne!(va, sw_config(&c)["version"].as_str().unwrap());
    // The asset and search versions the pages use are those the worker knows.
    let cfg = sw_config(&c);
    let home = read(&c.join("index.html"));
    assert!(home.contains(&format!("assets/style.css?v={}", cfg["assets"].as_str().unwrap())));
    assert!(read(&c.join("search/manifest.js")).contains(cfg["build"].as_str().unwrap()));
}

#[test]
fn disabled_offline_writes_a_worker_that_retires_the_old_one() {
    let (_t, site) = demo_copy();
    edit(&site.join("book.toml"), |t| t + "\n[offline]\nenabled = false\n");
    let (_o, out) = build_to(&site, &[]);
    assert!(!out.join("manifest.webmanifest").exists());
    assert!(!out.join("hors-ligne").exists());
    let home = read(&out.join("index.html"));
    assert!(!home.contains("manifest.webmanifest") && !home.contains("data-sw"));
    let sw = read(&out.join("sw.js"));
    assert!(sw.contains("unregister()") && !sw.contains("'fetch'"), "{sw}");
}

#[test]
fn serve_retires_any_service_worker_so_live_reload_stays_live() {
    let (t, site) = demo_copy();
    let s = serve_at(&site, Some(t), &[]);
    let sw = s.get("/sw.js");
    assert_eq!(sw.status, 200, "{sw:?}");
    let sw = sw.text();
    assert!(sw.contains("unregister()"), "{sw}");
    assert!(!sw.contains("'fetch'"), "a retiring worker serves nothing from a cache");
    let home = s.get("/index.html").text();
    assert!(
        home.contains("fiches-live-reload"),
        "site.js registers nothing when this is there"
    );
}

/// A référent who only runs `serve` meets the offline budget as `build`
/// says it: the same `offline-budget` lines and the same count (serve's
/// own folder has no index nor service worker to measure), and still no
/// worker but the retiring one.
#[test]
fn serve_reports_the_offline_budget_as_build_does() {
    let (t, site) = demo_copy();
    // The core fits, not every sheet of the marked categories.
    edit(&site.join("book.toml"), |t| format!("{t}\n[offline]\nmax-mb = 0.32\n"));
    let out = t.path().join("public");
    let o = fiches_in(&site, &["build", "--output", out.to_str().unwrap()]);
    let built = stderr(&o);
    assert!(o.status.success(), "{built}");
    let budget = |log: &str| -> Vec<String> {
        let lines: Vec<&str> = log.lines().collect();
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.contains("[offline-budget]"))
            .map(|(i, l)| format!("{l}\n{}", lines.get(i + 1).unwrap_or(&"")))
            .collect()
    };
    let from_build = budget(&built);
    assert!(!from_build.is_empty(), "the budget is blown: {built}");
    let n = built.lines().find(|l| l.starts_with("Site construit")).unwrap();
    let s = serve_at(&site, Some(t), &[]);
    let log = s.log_until(|l| l.contains("budget hors connexion mesuré en"));
    assert_eq!(budget(&log), from_build, "{log}");
    // The site is served first (its URL, then this line), the budget's
    // findings after: the measure took 5 CPU s at 10,000 sheets.
    let at = |what: &str| log.find(what).unwrap_or_else(|| panic!("{what}: {log}"));
    assert!(at("Modifiez une fiche") < at("[offline-budget]"), "{log}");
    // « 1 avertissement » of build's summary, « : 1 avertissement en tout » of serve's measure.
    let count = |l: &str| {
        let part = l.split([',', ':']).find(|w| w.contains("avertissement"));
        part.and_then(|w| w.split_whitespace().next()).map(str::to_string)
    };
    let measured = log
        .lines()
        .find(|l| l.contains("budget hors connexion mesuré en"))
        .unwrap();
    assert_eq!(count(measured), count(n), "{measured} / {n}");
    assert!(s.get("/sw.js").text().contains("unregister()"));
    // A save: its line agrees its counts too (« 1 page régénérée »).
    let sheet = site.join("content/fiches/wifi/compte-invite.md");
    std::fs::write(&sheet, read(&sheet) + "\nUne ligne de plus.\n").unwrap();
    let log = s.log_until(|l| l.contains("régénéré"));
    assert!(log.contains("régénéré"), "{log}");
    assert!(!log.contains("(s)"), "{log}");
}

/// `check` measures the search index in memory instead of writing it
/// (`measure_only`, 2,535 files at 3,000 sheets) and makes no service
/// worker: its offline report must still be the build's to the byte. At
/// the budget where the build starts keeping a sheet of the Wi-Fi category,
/// and one byte under it, both say the same (a measure one byte off would
/// keep a sheet the build drops, or the reverse).
#[test]
fn check_measures_the_search_index_without_writing_it_to_the_byte() {
    use fiches::build::{self, Options, WriteOptions};
    let (_t, site) = demo_copy();
    let book = read(&site.join("book.toml"));
    // Marked categories (id, bytes, sheets kept, sheets) and warnings.
    type Said = (Vec<(String, u64, usize, usize)>, Vec<String>);
    let report = |bytes: u64, measure: bool| -> Said {
        let mb = bytes as f64 / (1024.0 * 1024.0);
        std::fs::write(
            site.join("book.toml"),
            format!("{book}\n[offline]\nmax-mb = {mb:.12}\n"),
        )
        .unwrap();
        let opts = Options {
            include_drafts: false,
            today: None,
        };
        let p = build::prepare(&site, &opts).unwrap_or_else(|d| panic!("{d:?}"));
        let out = tempdir();
        let w = WriteOptions {
            inject: None,
            progress: false,
            search: true,
            offline_only: measure,
            measure_only: measure,
        };
        let stats = build::write_all(&p, out.path(), &w).unwrap_or_else(|d| panic!("{d:?}"));
        if measure {
            assert!(!out.path().join("search").exists(), "the index was written");
            assert!(!out.path().join("sw.js").exists(), "a service worker was made");
        }
        let warnings: Vec<String> = stats.offline.warnings.iter().map(|d| d.message.clone()).collect();
        (stats.offline.categories, warnings)
    };
    let wifi_kept = |r: &Said| r.0.iter().find(|c| c.0 == "wifi").map(|c| c.2).unwrap();
    // The smallest budget at which the build keeps a Wi-Fi sheet.
    let (mut lo, mut hi) = (0u64, 8 << 20);
    assert!(wifi_kept(&report(hi, false)) > 0);
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        match wifi_kept(&report(mid, false)) > 0 {
            true => hi = mid,
            false => lo = mid,
        }
    }
    for bytes in [lo, hi, hi + 4096] {
        let built = report(bytes, false);
        assert_eq!(report(bytes, true), built, "at {bytes} bytes");
    }
    assert_eq!(wifi_kept(&report(lo, true)), 0);
    assert!(wifi_kept(&report(hi, true)) > 0);
}

/// A demo copy with a file of every kind a build writes: static files (at
/// the root and in a folder), an image beside a sheet, an alias (a
/// redirect page), sessions (their calendars), the search index, icons.
fn site_with_every_kind_of_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let (t, site) = demo_copy();
    write(&site.join("static/robots.txt"), "User-agent: *\n");
    write(&site.join("static/docs/guide/lisez-moi.txt"), "Un guide.\n");
    write(
        &site.join("content/fiches/wifi/schema.png"),
        b"\x89PNG\r\n\x1a\nnot really",
    );
    edit(&site.join("content/fiches/wifi/compte-invite.md"), |t| {
        t.replacen("weight = 20\n", "weight = 20\naliases = [\"wifi/ancien-compte\"]\n", 1)
            + "\n![Le schéma](schema.png)\n"
    });
    (t, site)
}

/// The cache version and the precache list that a build takes from what it
/// recorded while writing (no walk of the output) are those made from the
/// files on disk: the version hashes every file but sw.js, by path, and
/// each precached file has its size and hash on disk.
#[test]
fn version_and_precache_are_those_of_the_files_on_disk() {
    let (_t, site) = site_with_every_kind_of_file();
    let (_o, out) = build_to(&site, &[]);
    for p in [
        "robots.txt",
        "docs/guide/lisez-moi.txt",
        "_assets/fiches/wifi/schema.png",
        "fiches/wifi/ancien-compte/index.html",
        "apero-tice/agenda.ics",
        "sitemap.xml",
        "assets/icon-192.png",
    ] {
        let found = walk(&out)
            .iter()
            .any(|f| f.strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/") == p);
        assert!(found, "{p} not written: the test no longer covers it");
    }
    // The version, from a walk of the output.
    let mut files: Vec<(String, Vec<u8>)> = walk(&out)
        .into_iter()
        .map(|f| {
            let rel = f.strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(&f).unwrap())
        })
        .filter(|(rel, _)| rel != "sw.js")
        .collect();
    files.sort();
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    for (rel, bytes) in &files {
        h.update(rel.as_bytes());
        h.update([0]);
        h.update(Sha256::digest(bytes));
    }
    let walked: String = h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    assert_eq!(sw_config(&out)["version"].as_str().unwrap(), walked);
    // The precache: every file of assets/ and search/ in path order, then
    // the main pages, each with its size and hash on disk.
    let list = precache(&out);
    let core: Vec<&str> = files
        .iter()
        .map(|(rel, _)| rel.as_str())
        .filter(|r| r.starts_with("assets/") || r.starts_with("search/"))
        .collect();
    let listed: Vec<&str> = list.iter().map(|e| e.0.as_str()).take(core.len()).collect();
    assert_eq!(listed, core);
    assert!(list.iter().any(|e| e.0 == "manifest.webmanifest"));
    assert!(list.iter().any(|e| e.0 == "hors-ligne/index.html"));
    for (p, hash, size) in &list {
        let bytes = &files
            .iter()
            .find(|(rel, _)| rel == p)
            .unwrap_or_else(|| panic!("{p} not on disk"))
            .1;
        assert_eq!(bytes.len() as u64, *size, "{p}");
        let d: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(&d[..16], hash, "{p}");
    }
}

/// `fiches build` records every file it writes and walks nothing; a
/// library caller's `write_all` (no record) walks and reads the output.
/// Both give the same tree, the service worker included, byte for byte.
#[test]
fn a_recorded_build_and_a_walked_one_write_the_same_files() {
    use fiches::build::{self, Options, WriteOptions};
    let (_t, site) = site_with_every_kind_of_file();
    let (_o, recorded) = build_to(&site, &[]);
    let opts = Options {
        include_drafts: false,
        today: None,
    };
    let p = build::prepare(&site, &opts).unwrap_or_else(|d| panic!("{d:?}"));
    let walked = tempdir();
    let w = WriteOptions {
        inject: None,
        progress: false,
        search: true,
        offline_only: false,
        measure_only: false,
    };
    build::write_all(&p, walked.path(), &w).unwrap_or_else(|d| panic!("{d:?}"));
    let (a, b) = (snapshot(&recorded), snapshot(walked.path()));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{} differs", k.display());
    }
}
