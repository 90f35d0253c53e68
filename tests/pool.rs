//! Pooling between schools: `[[pool]]` folders with the same layout add
//! their sheets, actions and static files to the site; a local sheet with
//! the same id wins; a pooled page names where it comes from; links and
//! images inside pooled sheets work.

mod common;
use common::*;
use serde_json::Value;

const LABEL: &str = "Fiches communes du département";

fn pooled_site() -> tempfile::TempDir {
    let tmp = tempdir();
    write_files(
        tmp.path(),
        &[
            ("book.toml", &format!("[book]\ntitle = \"Collège\"\n\n[[pool]]\npath = \"commun\"\nlabel = \"{LABEL}\"\n")),
            (
                "content/fiches/wifi/compte-invite.md",
                "+++\ntitle = \"Compte invité, version du collège\"\naction = \"wifi-invite\"\n+++\n\n## Étapes\n\nTEXTE-LOCAL. Voir aussi [le portail](portail.md) et [le copieur](/fiches/impression/copieur.md).\n\n![Logo du collège](/images/local.svg)\n",
            ),
            ("static/images/local.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            ("content/fiches/wifi/_index.md", "+++\ntitle = \"Wi-Fi\"\n+++\n"),
            // The pool: another content folder, as a submodule would hold it.
            (
                "commun/content/fiches/wifi/compte-invite.md",
                "+++\ntitle = \"Compte invité, version commune\"\naction = \"wifi-invite\"\n+++\n\n## Étapes\n\nTEXTE-COMMUN.\n",
            ),
            (
                "commun/content/fiches/wifi/portail.md",
                "+++\ntitle = \"Portail captif\"\n+++\n\n## Étapes\n\nCréer d'abord [un compte](compte-invite.md#etapes).\n\n![Logo commun](/images/logo.svg)\n\n![Capture du portail](capture.png)\n\n![](/images/logo.svg)\n",
            ),
            ("commun/content/fiches/wifi/capture.png", "png"),
            ("commun/content/fiches/impression/_index.md", "+++\ntitle = \"Impression et copieurs\"\n+++\n"),
            ("commun/content/fiches/impression/copieur.md", "+++\ntitle = \"Code copieur\"\naction = \"copieur-code\"\nupdated = 2001-01-01\n+++\n\nTEXTE-COPIEUR.\n"),
            ("commun/static/images/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            (
                "commun/content/actions.toml",
                "[[action]]\nid = \"wifi-invite\"\ntitle = \"Wi-Fi invité\"\nwho = [\"referent\"]\n\n[[action]]\nid = \"copieur-code\"\ntitle = \"Code copieur\"\nwho = [\"referent\"]\n\n[[action]]\nid = \"reinit-tablette\"\ntitle = \"Réinitialiser une tablette\"\nwho = [\"referent\"]\n",
            ),
        ],
    );
    tmp
}

#[test]
fn local_sheet_overrides_the_pooled_one() {
    let site = pooled_site();
    let (_t, out) = build_to(site.path(), &[]);
    let local = read(&out.join("fiches/wifi/compte-invite/index.html"));
    assert!(
        local.contains("TEXTE-LOCAL") && local.contains("version du collège"),
        "the local sheet wins"
    );
    assert!(!local.contains("TEXTE-COMMUN"));
    assert!(!local.contains(LABEL), "a local sheet names no pool");
    assert!(!out.join("fiches/wifi/compte-invite-2").exists(), "one page for one id");
    // Links from a local sheet to pooled sheets, as if they were local
    // (by the shortest relative path from `fiches/wifi/compte-invite/`).
    assert!(local.contains("href=\"../portail/index.html\""), "{local}");
    assert!(local.contains("href=\"../../impression/copieur/index.html\""));
    assert!(out.join("images/local.svg").is_file());
}

#[test]
fn pooled_sheets_join_the_site_and_name_their_origin() {
    let site = pooled_site();
    let (_t, out) = build_to(site.path(), &[]);
    let portail = read(&out.join("fiches/wifi/portail/index.html"));
    assert!(portail.contains(LABEL), "origin shown on the pooled page");
    // Its link reaches the local override.
    assert!(
        portail.contains("href=\"../compte-invite/index.html#etapes\""),
        "{portail}"
    );
    // Its images: the pool's static folder and a file beside the sheet.
    assert!(portail.contains("src=\"../../../images/logo.svg\""));
    assert!(
        out.join("images/logo.svg").is_file(),
        "the pool's static files are published"
    );
    let capture = regex::Regex::new(r#"src="\.\./\.\./\.\./([^"]*capture\.png)""#).unwrap();
    let src = &capture.captures(&portail).expect("capture.png linked")[1];
    assert!(out.join(src).is_file(), "{src} copied");

    let copieur = read(&out.join("fiches/impression/copieur/index.html"));
    assert!(copieur.contains("TEXTE-COPIEUR") && copieur.contains(LABEL));
    let category = read(&out.join("fiches/impression/index.html"));
    assert!(category.contains("Impression et copieurs"), "the pool's category title");
    let actions = read(&out.join("actions/index.html"));
    assert!(
        actions.contains("Code copieur") && actions.contains("Réinitialiser une tablette"),
        "the pool's actions"
    );
}

#[test]
fn check_reports_pooled_actions_but_not_the_pools_own_warnings() {
    let site = pooled_site();
    let o = fiches_in(site.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let items: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let found: Vec<(&str, &str, Option<u64>)> = items
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap(),
                d["file"].as_str().unwrap(),
                d["line"].as_u64(),
            )
        })
        .collect();
    // The shared action without a sheet concerns the school; the pooled
    // sheet's missing alt text and age are fixed in the pool's repository.
    assert_eq!(
        found,
        vec![("action-undocumented", "commun/content/actions.toml", Some(12))]
    );
}

#[test]
fn errors_in_a_pool_name_the_pooled_file() {
    let site = pooled_site();
    write_files(
        site.path(),
        &[(
            "commun/content/fiches/wifi/casse.md",
            "+++\ntitle = \"Cassé\"\n+++\n\n[absent](absent.md)\n",
        )],
    );
    let o = fiches_in(site.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("commun/content/fiches/wifi/casse.md:5:1: erreur[broken-link]"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn missing_pool_is_an_error() {
    let site = pooled_site();
    std::fs::write(
        site.path().join("book.toml"),
        "[book]\ntitle = \"Collège\"\n\n[[pool]]\npath = \"absent\"\n",
    )
    .unwrap();
    let o = fiches_in(site.path(), &["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let items: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        items
            .iter()
            .any(|d| d["code"] == "pool-missing" && d["file"] == "book.toml" && d["severity"] == "error"),
        "{items:#?}"
    );
    assert!(items.iter().any(|d| d["hint"]
        .as_str()
        .is_some_and(|h| h.contains("git submodule update --init"))));
}

#[test]
fn pooled_links_to_a_section_of_the_override_are_checked() {
    let site = pooled_site();
    // The shared version has `## Conditions`; the local override does not.
    write_files(
        site.path(),
        &[(
            "commun/content/fiches/wifi/bornes.md",
            "+++\ntitle = \"Bornes\"\n+++\n\nVoir [les conditions](compte-invite.md#conditions) et [les étapes](compte-invite.md#etapes).\n",
        )],
    );
    let o = fiches_in(site.path(), &["check", "--format", "json"]);
    let items: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let anchors: Vec<&Value> = items.iter().filter(|d| d["code"] == "broken-anchor").collect();
    assert_eq!(anchors.len(), 1, "{items:#?}");
    assert_eq!(anchors[0]["file"], "commun/content/fiches/wifi/bornes.md");
    assert_eq!(anchors[0]["line"], 5);
    assert!(
        anchors[0]["message"].as_str().unwrap().contains("`#conditions`")
            && anchors[0]["message"]
                .as_str()
                .unwrap()
                .contains("content/fiches/wifi/compte-invite.md")
    );
}
