//! Every case of `shared/corpus/broken`: the message names the file and the
//! line, the exit status is non-zero, `check` says the same as `build`, and
//! a previous good output is left exactly as it was.

mod common;
use common::*;
use std::path::Path;

/// Builds the college corpus into `out`, then runs the broken `case` into
/// the same folder, and returns the failing run's stderr.
fn fails_and_keeps_output(root: &Path) -> String {
    let tmp = tempdir();
    let out = tmp.path().join("public");
    let good = fiches_in(&college(), &["build", "--output", out.to_str().unwrap()]);
    assert!(good.status.success(), "{}", stderr(&good));
    let before = snapshot(&out);
    assert!(!before.is_empty());
    let bad = fiches_in(root, &["build", "--output", out.to_str().unwrap()]);
    let err = stderr(&bad);
    assert_eq!(bad.status.code(), Some(1), "expected failure, got: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "panic: {err}"
    );
    assert_eq!(snapshot(&out), before, "previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "temporary folders left behind: {leftovers:?}");
    // Without a previous output, nothing is created.
    let fresh = tmp.path().join("fresh");
    let again = fiches_in(root, &["build", "--output", fresh.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(!fresh.exists(), "a failed build created its output folder");
    // `check` reports the same, and writes nothing.
    let check = fiches_in(root, &["check"]);
    assert_eq!(check.status.code(), Some(1));
    let cerr = stderr(&check);
    for line in err.lines().filter(|l| l.contains("erreur[")) {
        assert!(cerr.contains(line.trim()), "check misses `{line}`:\n{cerr}");
    }
    err
}

fn case(name: &str) -> String {
    fails_and_keeps_output(&broken(name))
}

#[test]
fn unknown_front_matter_key() {
    let e = case("unknown-front-matter-key");
    assert!(e.contains("content/fiches/wifi/portail-captif.md:5:"), "{e}");
    assert!(e.contains("`audiance`"), "{e}");
    assert!(e.contains("vouliez-vous dire `audience`"), "{e}");
    assert!(!e.contains("compte-invite.md:"), "the valid sheet is reported: {e}");
}

#[test]
fn missing_title() {
    let e = case("missing-title");
    assert!(
        e.contains("content/fiches/wifi/oublier-reseau.md:1 (lignes 1 à 5)"),
        "{e}"
    );
    assert!(e.contains("`title`"), "{e}");
}

#[test]
fn unclosed_front_matter() {
    let e = case("unclosed-front-matter");
    assert!(e.contains("content/fiches/impression/bourrage.md:1:1"), "{e}");
    assert!(e.contains("jamais fermé"), "{e}");
    assert!(!e.contains(":6"), "confusing TOML error reported: {e}");
}

#[test]
fn invalid_toml() {
    let e = case("invalid-toml");
    assert!(
        e.contains("content/fiches/videoprojection/pas-de-signal.md:4:")
            || e.contains("content/fiches/videoprojection/pas-de-signal.md:5:1"),
        "{e}"
    );
    assert!(e.contains("TOML"), "{e}");
}

#[test]
fn unknown_action() {
    let e = case("unknown-action");
    assert!(e.contains("content/fiches/tablettes/deployer-application.md:5"), "{e}");
    assert!(e.contains("`deploiement-applis`"), "{e}");
    assert!(e.contains("wifi-invite"), "known ids listed: {e}");
}

#[test]
fn missing_link() {
    let e = case("missing-link");
    assert!(e.contains("content/fiches/comptes/changer-mot-de-passe.md:13:"), "{e}");
    assert!(e.contains("content/fiches/comptes/compte-bloque.md"), "{e}");
    assert!(!e.contains("premiere-connexion"), "valid link reported: {e}");
    assert_eq!(e.matches("erreur[").count(), 1, "{e}");
}

#[test]
fn apero_missing_sheet() {
    let e = case("apero-missing-sheet");
    assert!(e.contains("content/apero-tice/2025-05-manuels.md:5"), "{e}");
    assert!(e.contains("`ressources/affecter-licences-gar`"), "{e}");
}

#[test]
fn duplicate_action_id() {
    let e = case("duplicate-action-id");
    assert!(e.contains("content/actions.toml:13"), "{e}");
    assert!(e.contains("`wifi-invite`") && e.contains("ligne 2"), "{e}");
}

#[test]
fn non_utf8() {
    let e = case("non-utf8");
    assert!(e.contains("content/fiches/impression/imprimer-copieur.md:7:"), "{e}");
    assert!(e.contains("UTF-8"), "{e}");
    assert!(e.contains("0xC9"), "{e}");
}

#[test]
fn empty_file() {
    let e = case("empty-file");
    assert!(e.contains("content/fiches/pronote/appel.md:1"), "{e}");
    assert!(e.contains("vide"), "{e}");
    assert!(!e.contains("acces-pronote.md:"), "{e}");
}

#[test]
fn book_unknown_key() {
    let e = case("book-unknown-key");
    assert!(e.contains("book.toml:7:"), "{e}");
    assert!(e.contains("`base_url`") && e.contains("`base-url`"), "{e}");
}

#[test]
fn symlink_loop() {
    let (_tmp, site) = symlink_loop_site();
    let start = std::time::Instant::now();
    let e = fails_and_keeps_output(&site);
    assert!(start.elapsed().as_secs() < 30);
    assert!(
        e.contains("content/fiches/wifi/boucle") || e.contains("content/fiches/a/encore"),
        "{e}"
    );
    assert!(e.contains("boucle") && e.contains("pointe vers"), "{e}");
}

#[test]
fn huge_sheet_builds() {
    let (_tmp, out) = build_to(&broken("huge-sheet"), &[]);
    let page = read(&out.join("fiches/serveur/journal-des-interventions/index.html"));
    assert!(page.len() > 3_000_000, "page rendered in full");
    assert!(page.contains("T24512"));
    let o = fiches_in(&broken("huge-sheet"), &["search", "T24512", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("serveur/journal-des-interventions"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn accented_file_name_builds() {
    let (_tmp, out) = build_to(&broken("accented-filename"), &[]);
    let target = out.join("fiches/eleves/fiche-eleve-n-2/index.html");
    assert!(target.exists(), "stable slug URL for `Fiche élève n°2`");
    let from = read(&out.join("fiches/eleves/fiche-eleve-1/index.html"));
    assert_eq!(
        from.matches("href=\"../../../fiches/eleves/fiche-eleve-n-2/index.html\"")
            .count(),
        2,
        "both links resolve"
    );
    let o = fiches_in(&broken("accented-filename"), &["search", "élève", "--format", "json"]);
    assert!(stdout(&o).contains("eleves/Fiche élève n°2"), "{}", stdout(&o));
}
