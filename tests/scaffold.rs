//! `fiches init` and `fiches new`: the new repository builds and checks
//! clean, its CI files are valid YAML that run the right commands, and
//! nothing existing is ever overwritten.

mod common;
use common::*;
use serde_yaml::Value;
use std::path::{Path, PathBuf};

/// A site made by `fiches init`, with the full address its `base-url`
/// asks for written in (`check` says so while it is a path only).
fn init(parent: &Path, name: &str) -> PathBuf {
    let dir = init_as_written(parent, name);
    let book = dir.join("book.toml");
    let text = read(&book);
    let full = text.replace("base-url = \"/", "base-url = \"https://college.example.org/");
    assert_ne!(text, full, "no path base-url in\n{text}");
    std::fs::write(&book, full).unwrap();
    dir
}

/// A site as `fiches init` writes it.
fn init_as_written(parent: &Path, name: &str) -> PathBuf {
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
    let dir = init_as_written(tmp.path(), "clg-jean-moulin");
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

    // The path alone is pointed out (the calendars' links, QR codes),
    // with the full address to write; once written, nothing is left.
    let (items, _) = check_json(&dir, &["--strict"]);
    let codes: Vec<(&str, &str)> = items
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert_eq!(codes, [("base-url-no-host", "book.toml")], "{items:#?}");
    let text = read(&dir.join("book.toml"));
    std::fs::write(
        dir.join("book.toml"),
        text.replace("base-url = \"/", "base-url = \"https://college.example.org/"),
    )
    .unwrap();
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

/// `init --url` writes the full address as `base-url` (a `/` added), so
/// that the new site checks clean at once; an address without a host is
/// refused before anything is written.
#[test]
fn init_with_its_url_checks_clean_and_a_bad_url_writes_nothing() {
    let tmp = tempdir();
    let dir = tmp.path().join("aide");
    let o = fiches(&[
        "init",
        dir.to_str().unwrap(),
        "--url",
        "https://clg.example.org/aide-numerique",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let book = read(&dir.join("book.toml"));
    assert!(
        book.contains("base-url = \"https://clg.example.org/aide-numerique/\""),
        "{book}"
    );
    assert!(!stderr(&o).contains("adresse complète du site"), "{}", stderr(&o));
    let o = fiches_in(&dir, &["check", "--strict", "--format", "json"]);
    assert_eq!(stdout(&o).trim(), "[]", "{}", stderr(&o));
    assert_eq!(o.status.code(), Some(0));

    for bad in [
        "/aide-numerique/",
        "clg.example.org/aide",
        "https:///aide",
        "https://clg.example.org/?a=1",
    ] {
        let dir = tmp.path().join("refused");
        let o = fiches(&["init", dir.to_str().unwrap(), "--url", bad]);
        assert_eq!(o.status.code(), Some(1), "{bad}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("n'est pas une adresse complète") && stderr(&o).contains("--url https://"),
            "{bad}: {}",
            stderr(&o)
        );
        assert!(!dir.exists(), "{bad}: nothing written");
    }
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
    // A release is downloaded, not compiled; its version is pinned in one variable.
    assert_eq!(
        ci["variables"]["FICHES_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert!(ci["variables"]["FICHES_DOWNLOAD"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));
    let install = commands(&ci["default"]);
    assert!(
        install.iter().any(|c| c.contains("$FICHES_DOWNLOAD/v$FICHES_VERSION/")),
        "{install:?}"
    );
    assert!(install.iter().any(|c| c.contains("sha256sum -c")), "{install:?}");
    assert!(!install.iter().any(|c| c.contains("cargo")), "{install:?}");
    assert_eq!(ci["default"]["cache"]["key"].as_str(), Some("fiches-$FICHES_VERSION"));
    assert_eq!(ci["default"]["cache"]["paths"][0].as_str(), Some(".fiches/"));
    assert!(read(&dir.join(".gitignore")).lines().any(|l| l == "/.fiches/"));
    // The fallback is documented, with the tool's git address.
    let text = read(&dir.join(".gitlab-ci.yml"));
    assert!(
        text.contains("#     - command -v fiches || cargo install --locked --git \"https://"),
        "{text}"
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
        // On a merge request, only the warnings of the files it changes
        // (`--changed-since` the request's base); elsewhere the whole site.
        script.iter().any(|c| c
            == "fiches check ${CI_MERGE_REQUEST_DIFF_BASE_SHA:+--changed-since \"$CI_MERGE_REQUEST_DIFF_BASE_SHA\"}"),
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
    assert_eq!(wf["env"]["FICHES_VERSION"].as_str(), Some(env!("CARGO_PKG_VERSION")));
    for job in ["verifier", "publier"] {
        let run = commands(&wf["jobs"][job]);
        assert!(
            run.iter().any(|c| c.contains("$FICHES_DOWNLOAD/v$FICHES_VERSION/")),
            "{run:?}"
        );
        assert!(!run.iter().any(|c| c.contains("cargo")), "{run:?}");
    }

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
        // Links a newcomer writes and CommonMark or the folders would refuse.
        "(<Pilote du copieur.md>)",
        "(/actions/)",
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

/// `fiches init` in the folder of an existing repository, from inside it:
/// its own `.gitignore` is kept but gets the lines it lacks (kept as it
/// was, the first `git add .` committed the built `public/`), and what
/// is printed reads from there (`book.toml`, `fiches serve --open`, not
/// `./book.toml`, « Site créé dans .. », `--root .`).
#[test]
fn init_in_an_existing_repository_completes_its_gitignore() {
    let tmp = tempdir();
    let repo = tmp.path().join("depot");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::write(repo.join(".gitignore"), "*.tmp\npublic/").unwrap();
    let o = std::process::Command::new(bin())
        .arg("init")
        .current_dir(&repo)
        .env("FICHES_CACHE_DIR", tmp.path().join("cache"))
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    let ignore = read(&repo.join(".gitignore"));
    assert!(ignore.starts_with("*.tmp\npublic/\n"), "theirs kept first: {ignore}");
    assert!(
        ignore.contains("\n/.fiches/\n") && ignore.contains("\n/.cargo/\n"),
        "{ignore}"
    );
    assert!(!ignore.contains("/public/"), "already ignored, not twice: {ignore}");
    assert!(err.contains("  complété  .gitignore"), "{err}");
    assert!(err.contains("  créé      book.toml\n"), "{err}");
    assert!(
        err.contains("Site créé dans ce dossier.") && err.contains("`fiches serve --open`"),
        "{err}"
    );
    // Run again on the same folder: book.toml is there, nothing changes.
    let before = read(&repo.join(".gitignore"));
    let o = fiches_in(&repo, &["init"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(read(&repo.join(".gitignore")), before);
}

/// `fiches new fiche "Imprimantes/Bourrage Papier"`, as a teacher types
/// it, wrote `content/fiches/Imprimantes/Bourrage Papier.md`: a second
/// category folder beside `imprimantes/` (an `url-collision` error, and one
/// folder on Windows), and a file name that every link must repeat with
/// its space. Now the file is named as its address, in the folder that
/// exists under another spelling, and the title keeps what was typed.
#[test]
fn a_new_sheet_named_as_typed_gets_the_file_name_of_its_address() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "site");
    std::fs::create_dir_all(dir.join("content/fiches/Réseau")).unwrap();
    for (typed, file, title) in [
        (
            "Imprimantes/Bourrage Papier",
            "content/fiches/imprimantes/bourrage-papier.md",
            "Bourrage Papier",
        ),
        (
            "imprimantes/Imprimante bloquée",
            "content/fiches/imprimantes/imprimante-bloquee.md",
            "Imprimante bloquée",
        ),
        (
            "reseau/Wi-Fi élèves",
            "content/fiches/Réseau/wi-fi-eleves.md",
            "Wi-Fi élèves",
        ),
    ] {
        let o = fiches_in(&dir, &["new", "fiche", typed]);
        assert!(o.status.success(), "{typed}: {}", stderr(&o));
        assert_eq!(PathBuf::from(stdout(&o).trim()), dir.join(file), "{typed}");
        assert!(
            read(&dir.join(file)).contains(&format!("title = \"{title}\"")),
            "{typed}"
        );
    }
    // A session's date typed day first: the option to type.
    let o = fiches_in(&dir, &["new", "apero", "pix", "--date", "12/09/2026"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("écrivez `--date 2026-09-12`"), "{}", stderr(&o));
    // No collision, no other error: the new sheets only hold the template's text.
    let (items, _) = check_json(&dir, &[]);
    let codes: Vec<&str> = items.iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.iter().all(|c| *c == "template-text"), "{items:#?}");
}

/// `new fiche "Wi-Fi/Oublier le réseau"` on a site whose category is
/// `wifi/`: the sheet goes there, not in a second `wi-fi/` category beside
/// it; and a name typed as a title is not said to be guessed.
#[test]
fn a_category_typed_with_a_dash_is_the_folder_spelt_without() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "site");
    let o = fiches_in(&dir, &["new", "fiche", "Wi-Fi/Oublier le réseau"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sheet = dir.join("content/fiches/wifi/oublier-le-reseau.md");
    assert_eq!(PathBuf::from(stdout(&o).trim()), sheet);
    assert!(read(&sheet).contains("title = \"Oublier le réseau\""));
    assert!(!dir.join("content/fiches/wi-fi").exists());
    let said = stderr(&o);
    assert!(
        !said.contains("Nouvelle catégorie") && !said.contains("Titre déduit"),
        "{said}"
    );
    // Typed as an address, the title is guessed and said so.
    let o = fiches_in(&dir, &["new", "fiche", "wifi/portail-captif"]);
    assert!(stderr(&o).contains("Titre déduit du nom de fichier"), "{}", stderr(&o));
    let o = fiches_in(&dir, &["new", "apero", "Tableur partie 2", "--date", "2026-12-10"]);
    assert!(!stderr(&o).contains("Titre déduit"), "{}", stderr(&o));
}

/// Run from the site's folder without `--root`, `new` prints the path from
/// there (`content/…`, which an editor opens as well), not `./content/…`.
#[test]
fn new_run_in_the_site_prints_the_path_from_there() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "site");
    let cache = tmp.path().join("cache");
    let o = std::process::Command::new(bin())
        .args(["new", "fiche", "Internat/Réveil des tablettes"])
        .current_dir(&dir)
        .env("FICHES_CACHE_DIR", &cache)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "content/fiches/internat/reveil-des-tablettes.md\n");
    assert!(dir.join("content/fiches/internat/reveil-des-tablettes.md").is_file());
    assert!(
        stderr(&o).contains(": content/fiches/internat/_index.md (son titre"),
        "{}",
        stderr(&o)
    );
}

/// A category and a session typed as a référent says them, with accents
/// and spaces: the files are named as their addresses, the category keeps
/// its accents in an `_index.md`, the session its title, and `check` finds
/// nothing but the template's text to replace.
#[test]
fn new_files_typed_with_accents_and_spaces_check_clean_and_keep_their_titles() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "site");
    let o = fiches_in(
        &dir,
        &["new", "fiche", "Équipements de salle/Allumer le vidéoprojecteur"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let sheet = dir.join("content/fiches/equipements-de-salle/allumer-le-videoprojecteur.md");
    assert_eq!(PathBuf::from(stdout(&o).trim()), sheet);
    assert!(read(&sheet).contains("title = \"Allumer le vidéoprojecteur\""));
    let index = dir.join("content/fiches/equipements-de-salle/_index.md");
    assert!(
        read(&index).contains("title = \"Équipements de salle\""),
        "{}",
        read(&index)
    );
    assert!(stderr(&o).contains("« Équipements de salle »"), "{}", stderr(&o));
    // A second sheet in it: the folder and its `_index.md` are kept.
    let o = fiches_in(&dir, &["new", "fiche", "Équipements de salle/Brancher le son"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Nouvelle catégorie"), "{}", stderr(&o));
    // A folder typed as its address needs none (« Salle info » from `salle-info`).
    let o = fiches_in(&dir, &["new", "fiche", "salle-info/demarrer"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!dir.join("content/fiches/salle-info/_index.md").exists());

    let o = fiches_in(&dir, &["new", "apero", "Tableur partie 2", "--date", "2026-12-10"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let session = dir.join("content/apero-tice/2026-12-10-tableur-partie-2.md");
    assert_eq!(PathBuf::from(stdout(&o).trim()), session);
    assert!(
        read(&session).contains("title = \"Tableur partie 2\"\ndate = 2026-12-10\n"),
        "{}",
        read(&session)
    );

    let (items, status) = check_json(&dir, &[]);
    assert_eq!(status, Some(0), "{items:#?}");
    let codes: Vec<&str> = items.iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.iter().all(|c| *c == "template-text"), "{items:#?}");
    let (_t, out) = build_to(&dir, &[]);
    let category = read(&out.join("fiches/equipements-de-salle/index.html"));
    assert!(category.contains("<h1>Équipements de salle</h1>"), "{category}");
    assert!(out.join("apero-tice/2026-12-10-tableur-partie-2/index.html").is_file());
}

/// A training path from its template, named as typed: `check` points out
/// its template text until it is written, and it builds.
#[test]
fn new_path_from_its_template() {
    let tmp = tempdir();
    let dir = init(tmp.path(), "site");
    let o = fiches_in(&dir, &["new", "parcours", "Accueil des nouveaux"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = dir.join("content/parcours/accueil-des-nouveaux.md");
    assert_eq!(PathBuf::from(stdout(&o).trim()), path);
    let text = read(&path);
    assert!(text.starts_with("+++\ntitle = \"Accueil des nouveaux\"\n"), "{text}");
    let (items, status) = check_json(&dir, &[]);
    assert_eq!(status, Some(0), "{items:#?}");
    let left: Vec<(&str, &str)> = items
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    // Its text to write, and its sheets to list (`fiches = []`).
    assert_eq!(
        left,
        [
            ("path-empty", "content/parcours/accueil-des-nouveaux.md"),
            ("template-text", "content/parcours/accueil-des-nouveaux.md")
        ],
        "{items:#?}"
    );
    write(
        &path,
        &text
            .replace("fiches = []", "fiches = [\"wifi/compte-invite\"]")
            .replace(
                "À qui s'adresse ce parcours, et ce que l'on saura faire à la fin.",
                "Pour les collègues arrivés en septembre.",
            ),
    );
    let o = fiches_in(&dir, &["check", "--strict"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (_t, out) = build_to(&dir, &[]);
    assert!(out.join("parcours/accueil-des-nouveaux/index.html").is_file());
    let o = fiches_in(&dir, &["new", "parcours", "Accueil des nouveaux"]);
    assert_eq!(o.status.code(), Some(1), "never overwritten");
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

    // The new files build; `check` points out, once per file, the
    // template's text left to replace (it passed `--strict` before, and
    // « 1. Première chose à faire. » reached the published site).
    let (items, status) = check_json(&dir, &[]);
    assert_eq!(status, Some(0));
    let left: Vec<(&str, u64)> = items
        .iter()
        .filter(|d| d["code"] == "template-text")
        .map(|d| (d["file"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        left,
        [
            ("content/apero-tice/2026-03-12-pearltrees.md", 13),
            ("content/fiches/impression/bourrage-papier.md", 13),
            ("content/fiches/impression/copieur-code.md", 13),
        ],
        "{items:#?}"
    );
    assert!(!fiches_in(&dir, &["check", "--strict"]).status.success());
    // Written: clean again.
    for (f, title) in [("bourrage-papier", "Bourrage"), ("copieur-code", "Code du copieur")] {
        write(
            &dir.join(format!("content/fiches/impression/{f}.md")),
            &format!("+++\ntitle = \"{title}\"\n+++\n\n## Étapes\n\n1. Ouvrir le capot.\n"),
        );
    }
    let session = dir.join("content/apero-tice/2026-03-12-pearltrees.md");
    write(
        &session,
        &read(&session)
            .replace("1. …", "1. Créer une perle.")
            .replace("- …", "- Comment partager ?"),
    );
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

// ---------------------------------------------------------------------------
// The CI templates' commands, run for real: the release is served over HTTP
// on 127.0.0.1 as the forge would, downloaded, checked and run on the demo
// site (this repository's own content).

/// The files of a release: scripts/release.sh's `target/release-files` (or
/// FICHES_DIST_DIR) when it holds a Linux binary, else the binary under test
/// with its checksum, laid out the same way.
fn release_files(tmp: &Path) -> PathBuf {
    let dist = std::env::var_os("FICHES_DIST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| demo().join("target/release-files"));
    if dist.join("fiches-linux-x86_64").is_file() {
        eprintln!("release under test: {}", dist.display());
        return dist;
    }
    let dir = tmp.join("release");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(bin(), dir.join("fiches-linux-x86_64")).unwrap();
    let o = std::process::Command::new("sha256sum")
        .arg("fiches-linux-x86_64")
        .current_dir(&dir)
        .output()
        .expect("sha256sum");
    assert!(o.status.success());
    std::fs::write(dir.join("SHA256SUMS"), &o.stdout).unwrap();
    eprintln!("no release in {}: the binary under test stands in", dist.display());
    dir
}

/// Serves `/v<version>/<file>` from `files`, and `/v9.9.9/` with a binary
/// that does not match its checksum. Returns the base URL and the number
/// of binaries served.
fn forge(files: PathBuf) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = std::sync::Arc::new(AtomicUsize::new(0));
    let served = count.clone();
    let good = format!("/v{}/", env!("CARGO_PKG_VERSION"));
    std::thread::spawn(move || {
        // One request per connection (HTTP/1.0 answers): wget and curl
        // read to the end.
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if !matches!(reader.read_line(&mut h), Ok(n) if n > 0) || h == "\r\n" {
                    break;
                }
            }
            let url = line.split(' ').nth(1).unwrap_or("").to_string();
            let body = if let Some(name) = url.strip_prefix(&good) {
                if name == "fiches-linux-x86_64" {
                    served.fetch_add(1, Ordering::SeqCst);
                }
                std::fs::read(files.join(name)).ok().filter(|_| !name.contains('/'))
            } else if url == "/v9.9.9/fiches-linux-x86_64" {
                Some(b"#!/bin/sh\necho tampered\n".to_vec())
            } else if url == "/v9.9.9/SHA256SUMS" {
                std::fs::read(files.join("SHA256SUMS")).ok()
            } else {
                None
            };
            let mut out = &stream;
            let _ = match body {
                Some(b) => out
                    .write_all(format!("HTTP/1.0 200 OK\r\nContent-Length: {}\r\n\r\n", b.len()).as_bytes())
                    .and_then(|_| out.write_all(&b)),
                None => out.write_all(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
            };
        }
    });
    (format!("http://127.0.0.1:{port}"), count)
}

/// The demo site with the CI files that `fiches init` writes.
fn demo_with_ci(tmp: &Path) -> PathBuf {
    let site = copy_demo(&tmp.join("projet"));
    let new = init(tmp, "nouveau");
    std::fs::copy(new.join(".gitlab-ci.yml"), site.join(".gitlab-ci.yml")).unwrap();
    std::fs::create_dir_all(site.join(".github/workflows")).unwrap();
    std::fs::copy(
        new.join(".github/workflows/fiches.yml"),
        site.join(".github/workflows/fiches.yml"),
    )
    .unwrap();
    site
}

/// A PATH without this machine's fiches (nor cargo's bin folder).
fn bare_path() -> String {
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string()
}

/// Runs one GitLab job as the runner does: the `variables` (those given in
/// `overrides` win, as CI/CD settings do), `before_script` and `script` in
/// one POSIX shell with `set -e`, in the project folder.
fn gitlab_job(site: &Path, ci: &Value, job: &str, overrides: &[(&str, &str)]) -> std::process::Output {
    let mut sh = String::from("set -e\n");
    if let Value::Mapping(vars) = &ci["variables"] {
        for (k, v) in vars {
            let (k, v) = (k.as_str().unwrap(), v.as_str().unwrap());
            match overrides.iter().find(|(name, _)| *name == k) {
                Some((_, o)) => sh.push_str(&format!("export {k}='{o}'\n")),
                // Double quotes: GitLab expands variables in variables.
                None => sh.push_str(&format!("export {k}=\"{v}\"\n")),
            }
        }
    }
    let before = match &ci[job]["before_script"] {
        Value::Null => lines(&ci["default"]["before_script"]),
        b => lines(b),
    };
    for line in before.iter().chain(&lines(&ci[job]["script"])) {
        sh.push_str(line);
        sh.push('\n');
    }
    std::process::Command::new("sh")
        .args(["-c", &sh])
        .current_dir(site)
        .env_clear()
        .env("PATH", bare_path())
        .env("CI_PROJECT_DIR", site)
        .env("NO_COLOR", "1")
        .output()
        .expect("sh")
}

/// A `script` value: a list of lines or one string.
fn lines(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(s) => s.iter().filter_map(|l| l.as_str()).map(str::to_string).collect(),
        Value::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

#[test]
fn gitlab_template_downloads_the_release_checks_it_and_runs_on_the_demo_site() {
    let tmp = tempdir();
    let (url, served) = forge(release_files(tmp.path()));
    let site = demo_with_ci(tmp.path());
    let ci = yaml(&site.join(".gitlab-ci.yml"));
    let vars = [("FICHES_DOWNLOAD", url.as_str())];
    let t = std::time::Instant::now();
    let o = gitlab_job(&site, &ci, "verifier", &vars);
    let took = t.elapsed();
    assert!(o.status.success(), "verifier: {}\n{}", stderr(&o), stdout(&o));
    assert!(
        stdout(&o).contains(&format!("fiches {}", env!("CARGO_PKG_VERSION"))),
        "`fiches --version` in the log: {}",
        stdout(&o)
    );
    let installed = site.join(format!(".fiches/{}/fiches", env!("CARGO_PKG_VERSION")));
    assert!(installed.is_file(), "installed in the cached folder");
    let report: serde_json::Value =
        serde_json::from_str(&read(&site.join("gl-code-quality-report.json"))).expect("Code Quality report");
    assert!(report.is_array(), "{report}");
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 1);
    eprintln!("GitLab verifier job (download + check) in {took:?}");

    // Next job, cache restored: no download.
    let o = gitlab_job(&site, &ci, "pages", &vars);
    assert!(o.status.success(), "pages: {}\n{}", stderr(&o), stdout(&o));
    assert!(site.join("public/index.html").is_file());
    assert!(site.join("public/fiches").is_dir());
    assert_eq!(served.load(std::sync::atomic::Ordering::SeqCst), 1, "cached");

    // A binary that does not match the published checksum is never run.
    let o = gitlab_job(
        &site,
        &ci,
        "verifier",
        &[("FICHES_DOWNLOAD", &url), ("FICHES_VERSION", "9.9.9")],
    );
    assert!(!o.status.success(), "{}", stdout(&o));
    assert!(!stdout(&o).contains("tampered"));
    assert!(!site.join(".fiches/9.9.9/fiches").exists());
    // A version that was never published: the job fails.
    let o = gitlab_job(
        &site,
        &ci,
        "verifier",
        &[("FICHES_DOWNLOAD", &url), ("FICHES_VERSION", "0.0.404")],
    );
    assert!(!o.status.success());
}

/// Resolves `${{ vars.NAME || 'default' }}`, the only expression of the
/// workflow's `env`.
fn github_env(wf: &Value, repo_vars: &[(&str, &str)]) -> Vec<(String, String)> {
    let re = regex::Regex::new(r"^\$\{\{\s*vars\.(\w+)\s*\|\|\s*'([^']*)'\s*\}\}$").unwrap();
    let mut out = Vec::new();
    if let Value::Mapping(m) = &wf["env"] {
        for (k, v) in m {
            let v = v.as_str().unwrap();
            let value = match re.captures(v) {
                Some(c) => repo_vars
                    .iter()
                    .find(|(n, _)| *n == &c[1])
                    .map(|(_, x)| x.to_string())
                    .unwrap_or_else(|| c[2].to_string()),
                None => {
                    assert!(!v.contains("${{"), "unexpected expression {v}");
                    v.to_string()
                }
            };
            out.push((k.as_str().unwrap().to_string(), value));
        }
    }
    out
}

/// Runs the `run` steps of one GitHub job as the runner does (`bash -eo
/// pipefail`, `$GITHUB_PATH` added to PATH for the next steps); the `uses`
/// steps are GitHub's (checkout, Pages).
fn github_job(site: &Path, runner: &Path, wf: &Value, job: &str, repo_vars: &[(&str, &str)]) {
    let env = github_env(wf, repo_vars);
    let temp = runner.join("temp");
    std::fs::create_dir_all(&temp).unwrap();
    let github_path = runner.join("github_path");
    std::fs::write(&github_path, "").unwrap();
    let mut path = bare_path();
    for step in wf["jobs"][job]["steps"].as_sequence().unwrap() {
        let Some(run) = step["run"].as_str() else { continue };
        let o = std::process::Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", run])
            .current_dir(site)
            .env_clear()
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("PATH", &path)
            .env("RUNNER_TEMP", &temp)
            .env("GITHUB_PATH", &github_path)
            .env("NO_COLOR", "1")
            .output()
            .expect("bash");
        assert!(
            o.status.success(),
            "{job} / {:?}: {}\n{}",
            step["name"].as_str(),
            stderr(&o),
            stdout(&o)
        );
        for dir in read(&github_path).lines().rev() {
            path = format!("{dir}:{path}");
        }
        std::fs::write(&github_path, "").unwrap();
    }
}

#[test]
fn github_workflow_downloads_the_release_and_runs_on_the_demo_site() {
    let tmp = tempdir();
    let (url, served) = forge(release_files(tmp.path()));
    let site = demo_with_ci(tmp.path());
    let wf = yaml(&site.join(".github/workflows/fiches.yml"));
    let vars = [("FICHES_DOWNLOAD", url.as_str())];
    github_job(&site, &tmp.path().join("runner1"), &wf, "verifier", &vars);
    github_job(&site, &tmp.path().join("runner2"), &wf, "publier", &vars);
    assert!(site.join("public/index.html").is_file());
    assert_eq!(
        served.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "one download per job"
    );
    // Without the repository variable, the default address of the template.
    let env = github_env(&wf, &[]);
    let download = env.iter().find(|(k, _)| k == "FICHES_DOWNLOAD").unwrap();
    assert!(download.1.starts_with("https://"), "{download:?}");
}

/// A mistyped command line is told in French, as everything else (clap
/// said `error: unrecognized subcommand 'buidl'`), with clap's suggestion,
/// the usage line and status 2; `--help` is French too (`Print help`,
/// `Usage:`, `[default: .]` before).
#[test]
fn command_line_mistakes_and_help_are_in_french() {
    let english = [
        "error:",
        "Usage:",
        "tip:",
        "For more information",
        "Print help",
        "Print version",
        "[default:",
        "[possible values:",
        "Commands:",
        "required arguments",
    ];
    for (args, said) in [
        (&["buidl"][..], "erreur : commande inconnue `buidl`\n  aide : vouliez-vous dire `build` ?"),
        (&["build", "--ouput", "x"][..], "erreur : option ou argument inconnu `--ouput`\n  aide : vouliez-vous dire `--output` ?"),
        (&["new", "fiche"][..], "erreur : il manque `<CHEMIN>`"),
        (&["new", "apero", "pearltrees"][..], "erreur : il manque `--date <AAAA-MM-JJ>`"),
        (&["check", "--format", "xml"][..], "erreur : valeur `xml` invalide pour `--format <FORMAT>`\n  aide : valeurs possibles : `human`, `json`, `gitlab`, `github`"),
        (&["serve", "--port", "abc"][..], "erreur : valeur `abc` invalide pour `--port <PORT>`"),
        (&["check", "--root"][..], "erreur : il manque la valeur de `--root <DOSSIER>`"),
    ] {
        let o = fiches(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.starts_with(said), "{args:?}: {err}");
        assert!(err.contains("Pour en savoir plus, ajoutez --help à la commande."), "{args:?}: {err}");
        for e in english {
            assert!(!err.contains(e), "{args:?}: `{e}` in {err}");
        }
    }
    for args in [
        &["--help"][..],
        &["build", "--help"],
        &["new", "fiche", "-h"],
        &["serve", "--help"],
        &["search", "--help"],
    ] {
        let o = fiches(args);
        let out = stdout(&o);
        assert!(o.status.success(), "{args:?}");
        assert!(out.contains("Utilisation : fiches"), "{args:?}: {out}");
        assert!(out.contains("-h, --help"), "{args:?}: {out}");
        for e in english {
            assert!(!out.contains(e), "{args:?}: `{e}` in {out}");
        }
    }
    assert!(stdout(&fiches(&["serve", "--help"])).contains("[par défaut : 3000]"));
    assert!(stdout(&fiches(&["--version"])).starts_with("fiches "));
}

/// `fiches help build` is what clap users type: the same French help as
/// `fiches build --help` (clap's own `help` subcommand spoke English and
/// was turned off, so it was an unknown command).
#[test]
fn help_before_a_command_gives_that_command_s_help() {
    for (asked, same_as) in [
        (&["help", "build"][..], &["build", "--help"][..]),
        (&["help", "new", "fiche"], &["new", "fiche", "--help"]),
        (&["help", "new"], &["new", "--help"]),
        (&["help", "new", "apero"], &["new", "apero", "--help"]),
        (&["help", "check"], &["check", "--help"]),
        (&["help", "serve"], &["serve", "--help"]),
        (&["help", "search"], &["search", "--help"]),
        (&["help", "init"], &["init", "--help"]),
        (&["help", "import"], &["import", "--help"]),
        (&["help", "help"], &["help", "--help"]),
        (&["--root", "/", "help", "build"], &["build", "--help"]),
        (&["help"], &["--help"]),
    ] {
        let o = fiches(asked);
        assert!(o.status.success(), "{asked:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert_eq!(out, stdout(&fiches(same_as)), "{asked:?}");
        assert!(out.contains("Utilisation : fiches"), "{asked:?}: {out}");
    }
    assert!(stdout(&fiches(&["help", "build"])).contains("--zip <FICHIER>"));
    // Listed among the commands, in French.
    let top = stdout(&fiches(&["--help"]));
    assert!(
        top.lines()
            .any(|l| l.trim_start().starts_with("help ") && l.contains("Affiche l'aide de fiches ou d'une commande")),
        "{top}"
    );
    let o = fiches(&["help", "buidl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("erreur : commande inconnue `buidl`\n  aide : vouliez-vous dire `build` ?"),
        "{}",
        stderr(&o)
    );
}
