//! Git history end to end, on real repositories made with the git CLI and
//! fixed dates: last update and contributors on the page, "à faire
//! revalider" in `check` and on the follow-up page, pools with their own
//! repository, sites without git, shallow clones.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const ALICE: (&str, &str) = ("Alice Martin", "alice@college.example.org");
const BRUNO: (&str, &str) = ("Bruno Petit", "bruno@college.example.org");
const CLAIRE: (&str, &str) = ("Claire Durand", "claire@departement.example.org");

fn commit(repo: &Path, who: (&str, &str), date: &str, msg: &str, paths: &[&str]) {
    let mut add = vec!["add", "--"];
    add.extend_from_slice(paths);
    git(repo, &add, who, date);
    git(repo, &["commit", "-q", "-m", msg], who, date);
}

/// A repository whose site lives in `aide/` (the repository also holds
/// other things), with three commits by two people, and a pool `commun/`
/// that is a repository of its own, as a submodule checkout is.
fn history_repo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempdir();
    let repo = tmp.path().join("depot");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"], ALICE, "2024-01-10T09:00:00+01:00");
    let site = repo.join("aide");
    write_files(
        &site,
        &[
            ("book.toml", "[book]\ntitle = \"Collège\"\n\n[check]\nstale-after-days = 0\n\n[[pool]]\npath = \"commun\"\nlabel = \"Fiches communes\"\n"),
            (
                "content/actions.toml",
                "[[action]]\nid = \"wifi-invite\"\ntitle = \"Wi-Fi invité\"\nwho = [\"referent\"]\n\n[[action]]\nid = \"reinit-tablette\"\ntitle = \"Réinitialiser une tablette\"\nwho = [\"referent\"]\n\n[[action]]\nid = \"compte-remplacant\"\ntitle = \"Compte d'un remplaçant\"\nwho = [\"direction\"]\n",
            ),
            (
                "content/fiches/wifi/compte-invite.md",
                "+++\ntitle = \"Compte invité\"\naction = \"wifi-invite\"\nupdated = 2023-12-01\n\n[validation]\nby = \"Département\"\non = 2024-03-01\n+++\n\nTexte.\n",
            ),
            ("content/fiches/impression/bourrage.md", "+++\ntitle = \"Bourrage papier\"\n\n[validation]\nby = \"Département\"\non = 2024-01-15\n+++\n\nVersion 1.\n"),
            ("content/fiches/videoprojection/pas-de-signal.md", "+++\ntitle = \"Pas de signal\"\n+++\n\nVersion 1.\n"),
            ("commun/content/fiches/reseau/proxy.md", "+++\ntitle = \"Proxy du département\"\n+++\n\nCommun.\n"),
        ],
    );
    commit(
        &repo,
        ALICE,
        "2024-01-10T09:00:00+01:00",
        "Premières fiches",
        &["aide/book.toml", "aide/content"],
    );
    write_files(
        &site,
        &[
            ("content/fiches/impression/bourrage.md", "+++\ntitle = \"Bourrage papier\"\n\n[validation]\nby = \"Département\"\non = 2024-01-15\n+++\n\nVersion 2, après la validation.\n"),
            ("content/fiches/videoprojection/pas-de-signal.md", "+++\ntitle = \"Pas de signal\"\n+++\n\nVersion 2.\n"),
        ],
    );
    commit(
        &repo,
        BRUNO,
        "2024-06-20T14:00:00+02:00",
        "Mises à jour",
        &["aide/content"],
    );
    write_files(
        &site,
        &[(
            "content/fiches/videoprojection/pas-de-signal.md",
            "+++\ntitle = \"Pas de signal\"\n+++\n\nVersion 3.\n",
        )],
    );
    commit(
        &repo,
        ALICE,
        "2024-07-05T10:00:00+02:00",
        "Pas de signal : HDMI 2",
        &["aide/content"],
    );
    // The pool: its own repository, unknown to the site's.
    let pool = site.join("commun");
    git(&pool, &["init", "-q"], CLAIRE, "2023-05-05T08:00:00+02:00");
    commit(
        &pool,
        CLAIRE,
        "2023-05-05T08:00:00+02:00",
        "Fiches communes",
        &["content"],
    );
    (tmp, site)
}

/// The ids listed in one section of the follow-up page: a row's `data-id`,
/// or the sheet its row links to (old sheets and sheets to revalidate,
/// thousands on a big site, are named by their link alone).
fn section_ids(html: &str, id: &str) -> Vec<String> {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("section {id} missing"));
    let end = start + html[start..].find("</section>").unwrap();
    let re = regex::Regex::new(r#"<li(?: data-id="([^"]*)">|><a href="\.\./fiches/([^"]*)/index\.html")"#).unwrap();
    let mut ids: Vec<String> = re
        .captures_iter(&html[start..end])
        .map(|c| c.get(1).or(c.get(2)).unwrap().as_str().replace("&#x2F;", "/"))
        .collect();
    ids.sort();
    ids
}

#[test]
fn dates_and_contributors_on_the_page() {
    let (_tmp, site) = history_repo();
    let (_t, out) = build_to(&site, &[]);
    let page = read(&out.join("fiches/videoprojection/pas-de-signal/index.html"));
    assert!(
        page.contains("datetime=\"2024-07-05\""),
        "date of the last commit when `updated` is absent"
    );
    assert!(page.contains("5 juillet 2024"));
    // Most commits first: Alice (2), then Bruno (1).
    assert!(page.contains("Alice Martin, Bruno Petit"), "contributors shown");

    let page = read(&out.join("fiches/wifi/compte-invite/index.html"));
    assert!(page.contains("datetime=\"2023-12-01\""), "`updated` wins over git");
    assert!(page.contains("Alice Martin") && !page.contains("Bruno Petit"));

    // A pooled sheet: dates and authors from the pool's own repository.
    let page = read(&out.join("fiches/reseau/proxy/index.html"));
    assert!(page.contains("datetime=\"2023-05-05\""), "date from the pool's history");
    assert!(page.contains("Claire Durand"), "contributor from the pool's history");
}

#[test]
fn changed_since_validation_is_to_revalidate() {
    let (_tmp, site) = history_repo();
    let (items, status) = check_json(&site, &[]);
    let reval: Vec<&Value> = items.iter().filter(|d| d["code"] == "sheet-revalidate").collect();
    assert_eq!(reval.len(), 1, "{items:#?}");
    let d = reval[0];
    assert_eq!(d["file"], "content/fiches/impression/bourrage.md");
    assert_eq!(d["line"], 6, "the line of `on`");
    assert_eq!(d["severity"], "warning");
    let msg = d["message"].as_str().unwrap();
    assert!(
        msg.contains("à faire revalider") && msg.contains("15 janvier 2024") && msg.contains("20 juin 2024"),
        "{msg}"
    );
    assert_eq!(status, Some(0), "a warning");
    assert_eq!(fiches_in(&site, &["check", "--strict"]).status.code(), Some(1));
    let gh = stdout(&fiches_in(&site, &["check", "--format", "github"]));
    assert!(
        gh.lines().any(
            |l| l.starts_with("::warning file=content/fiches/impression/bourrage.md,line=6,")
                && l.contains("title=sheet-revalidate::")
        ),
        "{gh}"
    );
    assert!(
        items.iter().all(|d| d["code"] != "git-shallow"),
        "a full clone is not shallow"
    );
}

#[test]
fn follow_up_page_lists_exactly_what_is_to_do() {
    let (_tmp, site) = history_repo();
    // A draft: listed with its author, not published.
    write_files(
        &site,
        &[(
            "content/fiches/tablettes/reinit.md",
            "+++\ntitle = \"Réinitialiser une tablette\"\naction = \"reinit-tablette\"\ndraft = true\n+++\nBientôt.\n",
        )],
    );
    commit(
        site.parent().unwrap(),
        BRUNO,
        "2024-08-01T10:00:00+02:00",
        "Brouillon",
        &["aide/content"],
    );
    let (_t, out) = build_to(&site, &[]);
    let html = read(&out.join("suivi/index.html"));
    assert_eq!(
        section_ids(&html, "actions-sans-fiche"),
        vec!["compte-remplacant", "reinit-tablette"]
    );
    assert_eq!(section_ids(&html, "a-revalider"), vec!["impression/bourrage"]);
    assert_eq!(section_ids(&html, "brouillons"), vec!["tablettes/reinit"]);
    assert_eq!(section_ids(&html, "anciennes"), Vec::<String>::new());
    let reval = &html[html.find("id=\"a-revalider\"").unwrap()..];
    let reval = &reval[..reval.find("</section>").unwrap()];
    assert!(
        reval.contains("Alice Martin, Bruno Petit"),
        "authors of the sheet: {reval}"
    );
    assert!(
        reval.contains("content&#x2F;fiches&#x2F;impression&#x2F;bourrage.md")
            || reval.contains("content/fiches/impression/bourrage.md"),
        "its file"
    );
    assert!(html.contains("brouillon en cours"), "the action's draft is mentioned");
    assert!(!out.join("fiches/tablettes/reinit/index.html").exists());
    // The allowed-action page links to it.
    assert!(read(&out.join("actions/index.html")).contains("suivi/index.html"));
    // `check` reports the same lists.
    let (items, _) = check_json(&site, &[]);
    let mut undocumented: Vec<String> = items
        .iter()
        .filter(|d| d["code"] == "action-undocumented")
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    undocumented.sort();
    assert_eq!(undocumented.len(), 2);
    assert!(undocumented[0].contains("`compte-remplacant`") && undocumented[1].contains("`reinit-tablette`"));
}

#[test]
fn stale_sheets_from_git_dates() {
    let (_tmp, site) = history_repo();
    let book = read(&site.join("book.toml")).replace("stale-after-days = 0", "stale-after-days = 365");
    std::fs::write(site.join("book.toml"), book).unwrap();
    let (items, _) = check_json(&site, &[]);
    let mut stale: Vec<(String, Option<u64>)> = items
        .iter()
        .filter(|d| d["code"] == "sheet-stale")
        .map(|d| (d["file"].as_str().unwrap().to_string(), d["line"].as_u64()))
        .collect();
    stale.sort();
    assert_eq!(
        stale,
        vec![
            ("content/fiches/impression/bourrage.md".to_string(), None),
            ("content/fiches/videoprojection/pas-de-signal.md".to_string(), None),
            ("content/fiches/wifi/compte-invite.md".to_string(), Some(4)),
        ],
        "dated by git (no line) or by `updated` (its line); the pool's sheet is left to the pool"
    );
    let msg = items
        .iter()
        .find(|d| d["file"] == "content/fiches/videoprojection/pas-de-signal.md")
        .unwrap()["message"]
        .as_str()
        .unwrap();
    assert!(msg.contains("5 juillet 2024") && msg.contains("d'après git"), "{msg}");
}

#[test]
fn without_git_file_times_are_used() {
    let (tmp, site) = history_repo();
    let copy = tmp.path().join("copie");
    copy_dir(&site, &copy);
    std::fs::remove_dir_all(copy.join("commun/.git")).unwrap();
    let (items, status) = check_json(&copy, &["--strict"]);
    let codes: Vec<&str> = items.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(
        !codes.contains(&"sheet-revalidate"),
        "no git, no revalidation: {codes:?}"
    );
    assert!(codes.iter().all(|c| *c == "action-undocumented"), "{codes:?}");
    assert_eq!(status, Some(1), "undocumented actions are warnings");
    let (_t, out) = build_to(&copy, &[]);
    let page = read(&out.join("fiches/videoprojection/pas-de-signal/index.html"));
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    assert!(page.contains(&format!("datetime=\"{today}\"")), "file time of the copy");
    assert!(!page.contains("Alice Martin"), "no contributors without git");
}

#[test]
fn shallow_clone_builds_and_says_so() {
    let (tmp, site) = history_repo();
    let shallow = tmp.path().join("clone");
    let url = format!("file://{}", site.parent().unwrap().display());
    git(
        tmp.path(),
        &["clone", "-q", "--depth", "1", &url, shallow.to_str().unwrap()],
        ALICE,
        "2024-07-05T10:00:00+02:00",
    );
    let site = shallow.join("aide");
    // The pool is not in the clone (a submodule not initialised): put it back.
    copy_dir(&tmp.path().join("depot/aide/commun"), &site.join("commun"));
    let (items, status) = check_json(&site, &[]);
    let shallow_warning = items
        .iter()
        .find(|d| d["code"] == "git-shallow")
        .unwrap_or_else(|| panic!("{items:#?}"));
    assert_eq!(shallow_warning["file"], "");
    assert!(shallow_warning["hint"].as_str().unwrap().contains("fetch-depth: 0"));
    // Every file carries the date of the only commit: no false "à faire revalider".
    assert!(items.iter().all(|d| d["code"] != "sheet-revalidate"), "{items:#?}");
    assert_eq!(status, Some(0));
    let gl: Value = serde_json::from_str(&stdout(&fiches_in(&site, &["check", "--format", "gitlab"]))).unwrap();
    assert!(gl
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["check_name"] == "git-shallow" && i["location"]["path"] == "book.toml"));
    let (_t, out) = build_to(&site, &[]);
    let page = read(&out.join("fiches/impression/bourrage/index.html"));
    assert!(page.contains("datetime=\"2024-07-05\""), "the boundary commit's date");
}

#[test]
fn follow_up_is_linked_even_when_every_action_has_a_sheet() {
    let (_tmp, site) = history_repo();
    std::fs::write(
        site.join("content/actions.toml"),
        "[[action]]\nid = \"wifi-invite\"\ntitle = \"Wi-Fi invité\"\nwho = [\"referent\"]\n",
    )
    .unwrap();
    let (_t, out) = build_to(&site, &[]);
    let actions = read(&out.join("actions/index.html")).replace("&#x2F;", "/");
    assert!(actions.contains("href=\"../suivi/index.html\""), "{actions}");
    let html = read(&out.join("suivi/index.html"));
    assert_eq!(section_ids(&html, "actions-sans-fiche"), Vec::<String>::new());
    assert!(html.contains("Toutes les actions autorisées ont une fiche."));
}
