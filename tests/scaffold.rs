//! `fiches init` and `fiches new`: the new repository builds and checks
//! clean, its CI files are valid YAML that run the right commands, and
//! nothing existing is ever overwritten.

mod common;
use common::*;
use serde_yaml::Value;
use std::path::{Path, PathBuf};

fn init(parent: &Path, name: &str) -> PathBuf {
    let dir = parent.join(name);
    let o = fiches(&[
        "init",
        dir.to_str().unwrap(),
        "--title",
        "Aide numérique — Collège \"Jean Moulin\"",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

fn yaml(path: &Path) -> Value {
    serde_yaml::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: invalid YAML: {e}", path.display()))
}

/// Every `script`/`run` line of a YAML tree, joined.
fn commands(v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    match v {
        Value::Mapping(m) => {
            for (k, v) in m {
                let key = k.as_str().unwrap_or("");
                if matches!(key, "script" | "before_script" | "run") {
                    match v {
                        Value::Sequence(s) => out.extend(s.iter().filter_map(|l| l.as_str()).map(str::to_string)),
                        Value::String(s) => out.push(s.clone()),
                        _ => {}
                    }
                } else {
                    out.extend(commands(v));
                }
            }
        }
        Value::Sequence(s) => s.iter().for_each(|x| out.extend(commands(x))),
        _ => {}
    }
    out
}

#[test]
fn init_creates_a_site_that_checks_and_builds_clean() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "clg-jean-moulin");
    for f in [
        "book.toml",
        "content/actions.toml",
        "content/fiches/wifi/_index.md",
        "content/fiches/wifi/compte-invite.md",
        "content/apero-tice/2025-11-14-wifi-invites.md",
        "content/parcours/premiers-pas.md",
        "static/images/ticket-invite.svg",
        "CONTRIBUTING.md",
        "README.md",
        ".gitignore",
        ".gitlab-ci.yml",
        ".github/workflows/fiches.yml",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let book = read(&dir.join("book.toml"));
    let parsed: toml::Value = toml::from_str(&book).unwrap();
    assert_eq!(
        parsed["book"]["title"].as_str(),
        Some("Aide numérique — Collège \"Jean Moulin\""),
        "title quoted for TOML"
    );
    assert!(
        book.contains("base-url = \"/clg-jean-moulin/\""),
        "base-url from the folder name:\n{book}"
    );

    let o = fiches_in(&dir, &["check", "--strict", "--format", "json"]);
    assert_eq!(stdout(&o).trim(), "[]", "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(0));

    let (_t, out) = build_to(&dir, &[]);
    for page in [
        "fiches/wifi/index.html",
        "fiches/wifi/compte-invite/index.html",
        "parcours/premiers-pas/index.html",
        "actions/index.html",
        "suivi/index.html",
        "images/ticket-invite.svg",
    ] {
        assert!(out.join(page).is_file(), "{page} not built");
    }
    let sheet = read(&out.join("fiches/wifi/compte-invite/index.html"));
    assert!(sheet.contains("Créer un compte Wi-Fi invité"));
    assert!(sheet.contains("alt=\"Le ticket imprimé"), "example image with alt text");
    let sessions: Vec<PathBuf> = walk(&out.join("apero-tice"))
        .into_iter()
        .filter(|p| p.ends_with("index.html"))
        .collect();
    assert!(sessions.len() >= 2, "session page and index: {sessions:?}");
}

#[test]
fn book_toml_documents_every_section_and_its_examples_are_valid() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "site");
    let book = read(&dir.join("book.toml"));
    for section in [
        "[book]",
        "[site]",
        "[build]",
        "[search]",
        "[support]",
        "[check]",
        "[accessibility]",
        "[[pool]]",
    ] {
        assert!(book.contains(section), "{section} not in book.toml");
    }
    for key in [
        "base-url",
        "repository",
        "edit-url",
        "output-dir",
        "theme",
        "synonyms",
        "email",
        "ticket-url",
        "stale-after-days",
        "status",
        "audited-on",
        "contact",
        "path",
        "label",
    ] {
        assert!(book.contains(&format!("{key} =")), "{key} not in book.toml");
    }
    // Uncomment the optional sections: they must be valid as written.
    let mut enabled = String::new();
    let mut in_block = false;
    for line in book.lines() {
        if line.starts_with("# [") {
            in_block = true;
        } else if line.trim().is_empty() {
            in_block = false;
        }
        let uncomment = in_block || line.starts_with("# repository =") || line.starts_with("# edit-url =");
        enabled.push_str(if uncomment { line.trim_start_matches("# ") } else { line });
        enabled.push('\n');
    }
    assert!(
        enabled.contains("\n[support]\n") && enabled.contains("\n[[pool]]\n"),
        "{enabled}"
    );
    std::fs::write(dir.join("book.toml"), &enabled).unwrap();
    std::fs::create_dir_all(dir.join("commun/content/fiches")).unwrap();
    let o = fiches_in(&dir, &["check", "--strict"]);
    assert!(o.status.success(), "{}\n{enabled}", stderr(&o));
}

#[test]
fn gitlab_ci_checks_merge_requests_and_publishes_pages() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "site");
    let ci = yaml(&dir.join(".gitlab-ci.yml"));
    assert_eq!(
        ci["variables"]["GIT_DEPTH"].as_str(),
        Some("0"),
        "full history for git dates"
    );
    assert!(ci["variables"]["FICHES_GIT"].as_str().is_some_and(|u| !u.is_empty()));
    let install = commands(&ci["default"]);
    assert!(
        install
            .iter()
            .any(|c| c.contains("cargo install") && c.contains("fiches")),
        "{install:?}"
    );

    let check = &ci["verifier"];
    let script = commands(check);
    assert!(
        script
            .iter()
            .any(|c| c.starts_with("fiches check --format gitlab > gl-code-quality-report.json")),
        "{script:?}"
    );
    assert!(
        script.iter().any(|c| c == "fiches check"),
        "a failing step with the readable log: {script:?}"
    );
    assert_eq!(
        check["artifacts"]["reports"]["codequality"].as_str(),
        Some("gl-code-quality-report.json")
    );
    assert_eq!(
        check["artifacts"]["when"].as_str(),
        Some("always"),
        "the report is kept when the check fails"
    );
    let rules = serde_yaml::to_string(&check["rules"]).unwrap();
    assert!(rules.contains("merge_request_event"), "{rules}");

    let pages = &ci["pages"];
    assert!(
        commands(pages).iter().any(|c| c == "fiches build --output public"),
        "{:?}",
        commands(pages)
    );
    assert_eq!(pages["artifacts"]["paths"][0].as_str(), Some("public"));
    let rules = serde_yaml::to_string(&pages["rules"]).unwrap();
    assert!(
        rules.contains("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH") && !rules.contains("merge_request"),
        "{rules}"
    );
    let stages: Vec<&str> = ci["stages"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(stages.contains(&check["stage"].as_str().unwrap()) && stages.contains(&pages["stage"].as_str().unwrap()));
    let check_pos = stages.iter().position(|s| Some(*s) == check["stage"].as_str());
    let pages_pos = stages.iter().position(|s| Some(*s) == pages["stage"].as_str());
    assert!(check_pos < pages_pos, "check before publishing");
}

#[test]
fn github_workflow_annotates_pull_requests_and_deploys_pages() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "site");
    let wf = yaml(&dir.join(".github/workflows/fiches.yml"));
    let on = &wf["on"];
    assert!(!on.is_null(), "`on` parsed as a key");
    assert!(on.get("pull_request").is_some());
    assert_eq!(on["push"]["branches"][0].as_str(), Some("main"));

    let check = &wf["jobs"]["verifier"];
    let steps = check["steps"].as_sequence().unwrap();
    let checkout = steps
        .iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/checkout@")))
        .unwrap();
    assert_eq!(
        checkout["with"]["fetch-depth"].as_u64(),
        Some(0),
        "full history for git dates"
    );
    assert!(
        commands(check)
            .iter()
            .any(|c| c.starts_with("fiches check --format github")),
        "{:?}",
        commands(check)
    );
    assert!(commands(check)
        .iter()
        .any(|c| c.contains("cargo install") && c.contains("fiches")));

    let publish = &wf["jobs"]["publier"];
    assert_eq!(publish["needs"].as_str(), Some("verifier"));
    assert!(publish["if"].as_str().unwrap().contains("refs/heads/main"));
    assert_eq!(publish["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(publish["permissions"]["id-token"].as_str(), Some("write"));
    assert_eq!(publish["environment"]["name"].as_str(), Some("github-pages"));
    assert!(commands(publish).iter().any(|c| c == "fiches build --output public"));
    let uses: Vec<&str> = publish["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .collect();
    for action in [
        "actions/checkout@",
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(uses.iter().any(|u| u.starts_with(action)), "{action} missing: {uses:?}");
    }
    let upload = publish["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .unwrap();
    assert_eq!(upload["with"]["path"].as_str(), Some("public"));
}

#[test]
fn contributing_guide_is_for_referents() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "site");
    let guide = read(&dir.join("CONTRIBUTING.md"));
    for needle in [
        "fiches new fiche",
        "fiches check",
        "demande de fusion",
        "`title`",
        "`audience`",
        "`action`",
        "`updated`",
        "`draft`",
        "[validation]",
        "à faire revalider",
        "texte alternatif",
    ] {
        assert!(guide.contains(needle), "CONTRIBUTING.md lacks {needle}");
    }
    let ignore = read(&dir.join(".gitignore"));
    assert!(ignore.lines().any(|l| l == "/public/"));
}

#[test]
fn init_never_overwrites() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "site");
    let before = snapshot(&dir);
    let o = fiches(&["init", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("book.toml") && stderr(&o).contains("existe déjà"),
        "{}",
        stderr(&o)
    );
    assert_eq!(snapshot(&dir), before, "nothing changed");

    // A fresh forge repository often has a README: it is kept, the rest is created.
    let fresh = tmp.path().join("depot");
    std::fs::create_dir_all(&fresh).unwrap();
    std::fs::write(fresh.join("README.md"), "# Mon dépôt\n").unwrap();
    let o = fiches_in(&fresh, &["init"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(&fresh.join("README.md")), "# Mon dépôt\n");
    assert!(stderr(&o).contains("conservé"), "{}", stderr(&o));
    assert!(fresh.join("book.toml").is_file());
}

#[test]
fn new_sheet_and_session_from_templates() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "site");
    let o = fiches_in(
        &dir,
        &[
            "new",
            "fiche",
            "impression/bourrage-papier",
            "--title",
            "Bourrage « papier »",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = PathBuf::from(stdout(&o).trim());
    assert_eq!(path, dir.join("content/fiches/impression/bourrage-papier.md"));
    let text = read(&path);
    assert!(text.starts_with("+++\ntitle = \"Bourrage « papier »\"\n"), "{text}");
    assert!(text.contains("## Étapes"));

    // Without --title: a title from the file name, and a hint to fix it.
    let o = fiches_in(&dir, &["new", "fiche", "impression/copieur-code.md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read(&dir.join("content/fiches/impression/copieur-code.md")).contains("title = \"Copieur code\""));
    assert!(stderr(&o).contains("--title"));

    let o = fiches_in(
        &dir,
        &[
            "new",
            "apero",
            "pearltrees",
            "--date",
            "2026-03-12",
            "--title",
            "Pearltrees",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = PathBuf::from(stdout(&o).trim());
    assert_eq!(path, dir.join("content/apero-tice/2026-03-12-pearltrees.md"));
    let text = read(&path);
    assert!(text.contains("title = \"Pearltrees\"\ndate = 2026-03-12\n"), "{text}");

    // The new files keep the site clean, and build.
    let o = fiches_in(&dir, &["check", "--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_t, out) = build_to(&dir, &[]);
    assert!(out.join("fiches/impression/bourrage-papier/index.html").is_file());
    assert!(out.join("apero-tice/2026-03-12-pearltrees/index.html").is_file());
}

#[test]
fn new_refuses_to_overwrite_and_bad_input() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "site");
    let sheet = dir.join("content/fiches/wifi/compte-invite.md");
    let before = read(&sheet);
    let o = fiches_in(&dir, &["new", "fiche", "wifi/compte-invite"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("existe déjà"), "{}", stderr(&o));
    assert_eq!(read(&sheet), before);

    let session = dir.join("content/apero-tice/2025-11-14-wifi-invites.md");
    let before = read(&session);
    let o = fiches_in(&dir, &["new", "apero", "wifi-invites", "--date", "2025-11-14"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(read(&session), before);

    for (args, says) in [
        (vec!["new", "fiche", "sans-categorie"], "catégorie"),
        (vec!["new", "fiche", "../hors/du-site"], "chemin invalide"),
        (vec!["new", "fiche", "wifi/.cachee"], "chemin invalide"),
        (vec!["new", "apero", "seance", "--date", "14/11/2025"], "AAAA-MM-JJ"),
        (vec!["new", "apero", "a/b", "--date", "2025-11-14"], "sous-dossier"),
    ] {
        let o = fiches_in(&dir, &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    assert!(!tmp.path().join("hors").exists());

    // Outside a site: an error that says what to do.
    let empty = tmp.path().join("vide");
    std::fs::create_dir_all(&empty).unwrap();
    let o = fiches_in(&empty, &["new", "fiche", "wifi/x"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("fiches init"), "{}", stderr(&o));
    assert!(!empty.join("content").exists());
}
