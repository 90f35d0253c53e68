//! `fiches check`: every bad-input case (tests/fixtures/broken, and the
//! shared corpus's when present) and a fixture for
//! each finding, in the four formats (human, json, GitLab Code Quality,
//! GitHub annotations), with the exit status and `--strict`.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

/// A finding as the tests compare it: (severity, code, file, line).
type Finding = (String, String, String, Option<u64>);

/// `fiches check` on the site at `root`, which must exit 1: its findings,
/// and its errors sorted.
fn failing_check(root: &std::path::Path) -> (Vec<Value>, Vec<Finding>) {
    let (items, status) = check_json(root, &[]);
    assert_eq!(status, Some(1));
    let mut errors: Vec<Finding> = summary(&items).into_iter().filter(|d| d.0 == "error").collect();
    errors.sort();
    (items, errors)
}

fn summary(items: &[Value]) -> Vec<Finding> {
    items
        .iter()
        .map(|d| {
            for k in ["severity", "code", "file", "line", "message"] {
                assert!(d.get(k).is_some(), "field `{k}` missing in {d}");
            }
            (
                d["severity"].as_str().unwrap().to_string(),
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64(),
            )
        })
        .collect()
}

fn f(sev: &str, code: &str, file: &str, line: Option<u64>) -> Finding {
    (sev.into(), code.into(), file.into(), line)
}

/// Asserts that one finding is reported identically in all four formats.
fn assert_everywhere(root: &Path, expect: &Finding) {
    let (sev, code, file, line) = expect;
    let (items, _) = check_json(root, &[]);
    assert!(summary(&items).contains(expect), "json lacks {expect:?}: {items:#?}");

    let o = fiches_in(root, &["check", "--format", "gitlab"]);
    let gl: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let issue = gl
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["check_name"] == code.as_str() && i["location"]["path"] == file.as_str())
        .unwrap_or_else(|| panic!("gitlab lacks {expect:?}: {gl:#}"));
    assert_eq!(issue["location"]["lines"]["begin"].as_u64(), Some(line.unwrap_or(1)));
    assert_eq!(issue["severity"], if sev == "error" { "major" } else { "minor" });
    assert_eq!(issue["type"], "issue");
    assert!(issue["description"].as_str().is_some_and(|d| !d.is_empty()));
    assert!(issue["fingerprint"].as_str().is_some_and(|f| f.len() == 32));

    let o = fiches_in(root, &["check", "--format", "github"]);
    let prefix = match line {
        Some(l) => format!("::{sev} file={file},line={l},"),
        None => format!("::{sev} file={file},title={code}::"),
    };
    let gh = stdout(&o);
    assert!(
        gh.lines()
            .any(|l| l.starts_with(&prefix) && l.contains(&format!("title={code}::"))),
        "github lacks `{prefix}`:\n{gh}"
    );

    let o = fiches_in(root, &["check"]);
    let human = stderr(&o);
    let loc = match line {
        Some(l) => format!("{file}:{l}"),
        None => file.clone(),
    };
    let word = if sev == "error" { "erreur" } else { "avertissement" };
    assert!(
        human
            .lines()
            .any(|l| l.trim_start().starts_with(&loc) && l.contains(&format!("{word}[{code}]"))),
        "human lacks {loc} {code}:\n{human}"
    );
}

/// A small valid site: `book.toml`, one action documented by one sheet.
fn fixture(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempdir();
    let base: &[(&str, &str)] = &[
        ("book.toml", "[book]\ntitle = \"Test\"\n"),
        ("content/actions.toml", "[[action]]\nid = \"wifi-invite\"\ntitle = \"Wi-Fi invité\"\nwho = [\"referent\"]\n"),
        (
            "content/fiches/wifi/compte-invite.md",
            "+++\ntitle = \"Créer un compte invité\"\naction = \"wifi-invite\"\n+++\n\n## Étapes\n\nOuvrir la console.\n",
        ),
    ];
    write_files(tmp.path(), base);
    write_files(tmp.path(), files);
    tmp
}

#[test]
fn clean_fixture_is_clean() {
    let site = fixture(&[]);
    let (items, code) = check_json(site.path(), &["--strict"]);
    assert_eq!(items, Vec::<Value>::new());
    assert_eq!(code, Some(0));
    assert!(!site.path().join("public").exists(), "check wrote an output");
}

#[test]
fn every_broken_case_in_every_format() {
    const CASES: [&str; 11] = [
        "unknown-front-matter-key",
        "missing-title",
        "unclosed-front-matter",
        "invalid-toml",
        "unknown-action",
        "missing-link",
        "apero-missing-sheet",
        "duplicate-action-id",
        "non-utf8",
        "empty-file",
        "book-unknown-key",
    ];
    for c in corpora() {
        for case in CASES {
            let key = |k: &str| format!("broken.cases.{case}.{k}");
            let (code, file, line) = (c.s(&key("code")), c.s(&key("file")), c.n(&key("line")));
            let root = c.broken(case);
            let what = format!("{} / {case}", c.name);
            let (items, status) = check_json(&root, &[]);
            let errors: Vec<Finding> = summary(&items).into_iter().filter(|d| d.0 == "error").collect();
            assert_eq!(errors, vec![f("error", &code, &file, Some(line))], "{what}");
            assert_eq!(status, Some(1), "{what}");
            assert_everywhere(&root, &errors[0]);
            // Same diagnostics as `build`: every error line of the build is in check's output.
            let tmp = tempdir();
            let b = fiches_in(&root, &["build", "--output", tmp.path().join("out").to_str().unwrap()]);
            let c = fiches_in(&root, &["check"]);
            let berr = stderr(&b);
            let build_errors: Vec<&str> = berr.lines().filter(|l| l.contains("erreur[")).map(str::trim).collect();
            let cerr = stderr(&c);
            let check_errors: Vec<&str> = cerr.lines().filter(|l| l.contains("erreur[")).map(str::trim).collect();
            assert_eq!(build_errors, check_errors, "{what}: build and check differ");
            assert!(!root.join("public").exists());
        }
    }
}

#[test]
fn symlink_loop_case() {
    for c in corpora() {
        let (_tmp, site) = symlink_loop_site(&c);
        let (items, status) = check_json(&site, &[]);
        assert_eq!(status, Some(1));
        // The corpora's path-only `base-url` is pointed out too.
        let codes: Vec<Finding> = summary(&items)
            .into_iter()
            .filter(|d| d.1 != "base-url-no-host")
            .collect();
        let links: Vec<String> = c.pairs("broken.symlinks").into_iter().map(|p| p.0).collect();
        assert!(!codes.is_empty());
        assert!(codes.iter().all(|d| d.1 == "symlink-loop"), "{codes:?}");
        assert!(codes.iter().all(|d| links.contains(&d.2)), "{codes:?}");
        for d in &codes {
            assert_everywhere(&site, d);
        }
    }
}

#[test]
fn valid_edge_cases_have_no_error() {
    for c in corpora() {
        let (_keep, huge, ..) = huge_sheet_site(&c);
        for root in [huge, c.broken(&c.s("broken.accented.dir"))] {
            let (items, status) = check_json(&root, &[]);
            assert!(
                summary(&items).iter().all(|d| d.0 == "warning"),
                "{}: {items:#?}",
                root.display()
            );
            assert_eq!(status, Some(0), "{}", root.display());
        }
    }
}

#[test]
fn all_problems_in_one_run() {
    // Two bad sheets and a bad link: three errors, and the valid link to a
    // sheet that failed to load is not reported again.
    let site = fixture(&[
        (
            "content/fiches/a/un.md",
            "+++\ntitle = \"Un\"\naudiance = [\"referent\"]\n+++\nTexte.\n",
        ),
        ("content/fiches/a/deux.md", "+++\ntitle = \"Deux\"\n\nTexte.\n"),
        (
            "content/fiches/a/trois.md",
            "+++\ntitle = \"Trois\"\n+++\n\nVoir [un](un.md) et [rien](absent.md).\n",
        ),
    ]);
    let (_, errors) = failing_check(site.path());
    assert_eq!(
        errors,
        vec![
            f("error", "broken-link", "content/fiches/a/trois.md", Some(5)),
            f("error", "front-matter-unclosed", "content/fiches/a/deux.md", Some(1)),
            f("error", "unknown-key", "content/fiches/a/un.md", Some(3)),
        ]
    );
    let o = fiches_in(site.path(), &["check"]);
    assert!(
        stderr(&o).contains("Vérification : 3 erreurs, 0 avertissement."),
        "{}",
        stderr(&o)
    );
}

/// A contributor sees every error of one file in one run, each at its
/// line, not the first alone: a front matter with two misspelt keys and a
/// wrong value, an action list with a misspelt key and a wrong value.
/// `build` says the same and writes nothing.
#[test]
fn every_error_of_one_file_in_one_run() {
    let site = fixture(&[
        (
            "content/fiches/a/un.md",
            "+++
titre = \"Un\"\ntag = [\"x\"]\naudience = [\"prof\"]\n+++\nTexte.\n",
        ),
        (
            "content/actions.toml",
            "[[action]]\nid = \"wifi-invite\"\ntitle = \"Wi-Fi invité\"\nlabel = \"x\"\nwho = [\"prof\"]\n",
        ),
    ]);
    let (_, errors) = failing_check(site.path());
    let sheet = "content/fiches/a/un.md";
    assert_eq!(
        errors,
        vec![
            f("error", "invalid-value", "content/actions.toml", Some(5)),
            f("error", "invalid-value", sheet, Some(4)),
            f("error", "unknown-key", "content/actions.toml", Some(4)),
            f("error", "unknown-key", sheet, Some(2)),
            f("error", "unknown-key", sheet, Some(3)),
        ]
    );
    let out = tempdir();
    let b = fiches_in(
        site.path(),
        &["build", "--output", out.path().join("o").to_str().unwrap()],
    );
    assert!(stderr(&b).contains("5 erreurs"), "{}", stderr(&b));
    assert!(!out.path().join("o").exists());
}

#[test]
fn broken_anchor() {
    let site = fixture(&[(
        "content/fiches/wifi/portail.md",
        "+++\ntitle = \"Portail captif\"\n+++\n\n## Étapes\n\nVoir [les étapes](compte-invite.md#etapes),\npuis [la suite](compte-invite.md#suite) et [ici](#etapes).\n",
    )]);
    let (items, status) = check_json(site.path(), &[]);
    assert_eq!(
        summary(&items),
        vec![f("warning", "broken-anchor", "content/fiches/wifi/portail.md", Some(8))]
    );
    assert_eq!(items[0]["column"].as_u64(), Some(6));
    assert!(items[0]["message"].as_str().unwrap().contains("`#suite`"));
    assert_eq!(status, Some(0), "warnings only");
    assert_everywhere(
        site.path(),
        &f("warning", "broken-anchor", "content/fiches/wifi/portail.md", Some(8)),
    );
    let strict = fiches_in(site.path(), &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1), "--strict makes warnings fail");
}

#[test]
fn missing_image_and_missing_alt() {
    let site = fixture(&[
        ("static/images/ok.png", "png"),
        (
            "content/fiches/wifi/portail.md",
            "+++\ntitle = \"Portail captif\"\n+++\n\n![Le portail](/images/ok.png)\n\n![](/images/ok.png)\n\n![Absente](/images/absente.png)\n",
        ),
    ]);
    let (items, status) = check_json(site.path(), &[]);
    assert_eq!(
        summary(&items),
        vec![
            f("warning", "image-no-alt", "content/fiches/wifi/portail.md", Some(7)),
            f("error", "missing-image", "content/fiches/wifi/portail.md", Some(9)),
        ]
    );
    assert_eq!(status, Some(1));
    for d in summary(&items) {
        assert_everywhere(site.path(), &d);
    }
}

#[test]
fn undocumented_action() {
    let site = fixture(&[(
        "content/actions.toml",
        "[[action]]\nid = \"wifi-invite\"\ntitle = \"Wi-Fi invité\"\nwho = [\"referent\"]\n\n[[action]]\nid = \"reinit-tablette\"\ntitle = \"Réinitialiser une tablette\"\nwho = [\"referent\"]\n",
    )]);
    let expect = f("warning", "action-undocumented", "content/actions.toml", Some(7));
    let (items, status) = check_json(site.path(), &[]);
    assert_eq!(summary(&items), vec![expect.clone()]);
    assert!(items[0]["message"].as_str().unwrap().contains("`reinit-tablette`"));
    assert_eq!(status, Some(0));
    assert_everywhere(site.path(), &expect);
}

#[test]
fn action_documented_only_by_a_draft() {
    let site = fixture(&[
        (
            "content/actions.toml",
            "[[action]]\nid = \"wifi-invite\"\ntitle = \"Wi-Fi invité\"\nwho = [\"referent\"]\n\n[[action]]\nid = \"reinit-tablette\"\ntitle = \"Réinitialiser une tablette\"\nwho = [\"referent\"]\n",
        ),
        ("content/fiches/tablettes/reinit.md", "+++\ntitle = \"Réinitialiser\"\naction = \"reinit-tablette\"\ndraft = true\n+++\nBientôt.\n"),
    ]);
    let (items, _) = check_json(site.path(), &[]);
    assert_eq!(
        summary(&items),
        vec![f("warning", "action-undocumented", "content/actions.toml", Some(7))]
    );
    assert!(
        items[0]["message"]
            .as_str()
            .unwrap()
            .contains("content/fiches/tablettes/reinit.md"),
        "{items:#?}"
    );
    // Published with --drafts, the draft documents it.
    let (items, _) = check_json(site.path(), &["--drafts"]);
    assert_eq!(summary(&items), vec![]);
}

#[test]
fn stale_sheet() {
    let site = fixture(&[
        (
            "book.toml",
            "[book]\ntitle = \"Test\"\n\n[check]\nstale-after-days = 365\n",
        ),
        (
            "content/fiches/wifi/vieille.md",
            "+++\ntitle = \"Vieille fiche\"\ntags = [\"x\"]\nupdated = 2001-02-03\n+++\nTexte.\n",
        ),
        (
            "content/fiches/wifi/recente.md",
            "+++\ntitle = \"Fiche récente\"\n+++\nTexte.\n",
        ),
    ]);
    let expect = f("warning", "sheet-stale", "content/fiches/wifi/vieille.md", Some(4));
    let (items, _) = check_json(site.path(), &[]);
    assert_eq!(summary(&items), vec![expect.clone()]);
    let msg = items[0]["message"].as_str().unwrap();
    assert!(msg.contains("3 février 2001") && msg.contains("365 jours"), "{msg}");
    assert_everywhere(site.path(), &expect);
    // 0 turns the check off.
    std::fs::write(
        site.path().join("book.toml"),
        "[book]\ntitle = \"Test\"\n\n[check]\nstale-after-days = 0\n",
    )
    .unwrap();
    assert_eq!(summary(&check_json(site.path(), &[]).0), vec![]);
}

#[test]
fn duplicate_titles() {
    let site = fixture(&[
        (
            "content/fiches/impression/bourrage.md",
            "+++\n# commentaire\ntitle = \"Bourrage papier\"\n+++\nA.\n",
        ),
        (
            "content/fiches/copieur/bourrage.md",
            "+++\ntitle = \"Bourrage Papier\"\n+++\nB.\n",
        ),
    ]);
    let (items, _) = check_json(site.path(), &[]);
    assert_eq!(
        summary(&items),
        vec![
            f(
                "warning",
                "duplicate-title",
                "content/fiches/copieur/bourrage.md",
                Some(2)
            ),
            f(
                "warning",
                "duplicate-title",
                "content/fiches/impression/bourrage.md",
                Some(3)
            ),
        ]
    );
    assert!(items[0]["message"]
        .as_str()
        .unwrap()
        .contains("content/fiches/impression/bourrage.md"));
    assert_everywhere(
        site.path(),
        &f(
            "warning",
            "duplicate-title",
            "content/fiches/impression/bourrage.md",
            Some(3),
        ),
    );
}

#[test]
fn github_annotations_are_escaped() {
    // A message with a comma, a colon and a percent sign stays one line and
    // the file property cannot be cut short.
    let site = fixture(&[(
        "content/fiches/wifi/a, b.md",
        "+++\ntitle = \"A\"\n+++\n\n[x](<100%25 absent.md>)\n",
    )]);
    let o = fiches_in(site.path(), &["check", "--format", "github"]);
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.starts_with("::error "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.starts_with("::error file=content/fiches/wifi/a%2C b.md,line=5,col=1,title=broken-link::"),
        "{line}"
    );
    assert!(line.contains("100%25"), "{line}");
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn gitlab_fingerprints_are_unique_and_stable() {
    let site = fixture(&[
        ("static/images/a.png", "png"),
        (
            "content/fiches/wifi/portail.md",
            "+++\ntitle = \"Portail\"\n+++\n\n![](/images/a.png)\n\n![](/images/a.png)\n",
        ),
    ]);
    let run = || -> Vec<String> {
        let o = fiches_in(site.path(), &["check", "--format", "gitlab"]);
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["fingerprint"].as_str().unwrap().to_string())
            .collect()
    };
    let a = run();
    assert_eq!(a.len(), 2);
    assert_ne!(a[0], a[1], "two findings, two fingerprints");
    assert_eq!(a, run(), "same findings, same fingerprints");
}

#[test]
fn human_format_groups_by_file_with_a_summary() {
    let site = fixture(&[
        (
            "content/fiches/a/un.md",
            "+++\ntitle = \"Un\"\n+++\n\n[x](absent.md) [y](autre.md)\n",
        ),
        (
            "content/fiches/b/deux.md",
            "+++\ntitle = \"Deux\"\n+++\n\n![](/images/z.png)\n",
        ),
    ]);
    let o = fiches_in(site.path(), &["check"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(!err.contains('\x1b'), "no color without a terminal:\n{err}");
    // One header per file, then its findings with file:line:column.
    assert_eq!(
        err.lines().filter(|l| *l == "content/fiches/a/un.md").count(),
        1,
        "{err}"
    );
    assert!(
        err.contains("  content/fiches/a/un.md:5:1: erreur[broken-link]"),
        "{err}"
    );
    assert!(
        err.contains("  content/fiches/a/un.md:5:16: erreur[broken-link]"),
        "{err}"
    );
    assert!(
        err.contains("  content/fiches/b/deux.md:5:1: erreur[missing-image]"),
        "{err}"
    );
    assert!(err.contains("= aide :"), "{err}");
    // The image has no alt text either: reported in the same run as the
    // errors, at its column, with the address as written (not the page's
    // `../../../images/z.png`, found nowhere in the sources).
    assert!(
        err.contains(
            "  content/fiches/b/deux.md:5:1: avertissement[image-no-alt]: l'image `/images/z.png` n'a pas de texte alternatif"
        ),
        "{err}"
    );
    assert!(
        err.trim_end().ends_with("Vérification : 3 erreurs, 1 avertissement."),
        "{err}"
    );
    assert!(stdout(&o).is_empty(), "human output goes to stderr");
}

#[test]
fn human_format_is_colored_on_a_terminal() {
    let mut d = fiches::diagnostics::Diagnostics::default();
    d.push(fiches::diagnostics::Diagnostic::error("broken-link", "content/fiches/a.md", "lien cassé").at(3, Some(2)));
    d.push(fiches::diagnostics::Diagnostic::warning(
        "git-shallow",
        "",
        "historique incomplet",
    ));
    let mut color = Vec::new();
    fiches::report::print_human(&d, &mut color, true);
    let color = String::from_utf8(color).unwrap();
    assert!(color.contains("\x1b[31;1merreur\x1b[0m[broken-link]"), "{color:?}");
    assert!(color.contains("content/fiches/a.md:3:2"), "{color:?}");
    let mut plain = Vec::new();
    fiches::report::print_human(&d, &mut plain, false);
    let plain = String::from_utf8(plain).unwrap();
    assert!(!plain.contains('\x1b'));
    // A finding about the whole site has no location to print.
    assert!(
        plain.contains("\n  avertissement[git-shallow]: historique incomplet"),
        "{plain}"
    );
    assert_eq!(fiches::report::summary_line(&d), "1 erreur, 1 avertissement");
}

#[test]
fn check_on_the_corpora_and_demo_has_no_error() {
    for root in corpora().into_iter().map(|c| c.root).chain([demo()]) {
        let (items, status) = check_json(&root, &[]);
        assert!(
            summary(&items).iter().all(|d| d.0 == "warning"),
            "{}: {items:#?}",
            root.display()
        );
        assert_eq!(status, Some(0));
    }
}

#[test]
fn theme_problems_fail_check_as_they_fail_build() {
    let site = fixture(&[("book.toml", "[book]\ntitle = \"Test\"\n\n[build]\ntheme = \"perso\"\n")]);
    let (items, status) = check_json(site.path(), &[]);
    assert_eq!(summary(&items), vec![f("error", "theme-missing", "book.toml", None)]);
    assert_eq!(status, Some(1));
    let tmp = tempdir();
    let b = fiches_in(
        site.path(),
        &["build", "--output", tmp.path().join("out").to_str().unwrap()],
    );
    assert!(stderr(&b).contains("erreur[theme-missing]"), "{}", stderr(&b));

    std::fs::create_dir_all(site.path().join("themes/perso/templates")).unwrap();
    std::fs::write(site.path().join("themes/perso/templates/sheet.html"), "{% if %}").unwrap();
    let (items, status) = check_json(site.path(), &[]);
    let codes: Vec<Finding> = summary(&items);
    assert_eq!(codes.len(), 1, "{codes:?}");
    assert_eq!(codes[0].1, "template-error");
    assert!(items[0]["message"].as_str().unwrap().contains("sheet.html"));
    assert_eq!(status, Some(1));
}

/// A référent changing the theme's colours forgets a `}` on line 3 of an
/// indented template: the finding names the file, its line and column as
/// written, in French, on one line (it was `themes`, no line, tera's
/// English with its picture of the line printed as `\n  |\n1 | …`).
#[test]
fn a_template_that_does_not_parse_is_named_with_its_line_in_french() {
    let site = fixture(&[
        ("book.toml", "[book]\ntitle = \"Test\"\n\n[build]\ntheme = \"perso\"\n"),
        (
            "themes/perso/templates/base.html",
            "{% extends \"default/base.html\" %}\n{% block head_extra %}\n    <link rel=\"stylesheet\" href=\"{{ root }}assets/c.css\">{% endblock head_extra %\n",
        ),
    ]);
    let (items, status) = check_json(site.path(), &[]);
    assert_eq!(status, Some(1));
    assert_eq!(
        summary(&items),
        vec![f(
            "error",
            "template-error",
            "themes/perso/templates/base.html",
            Some(3)
        )]
    );
    // Column 81 of the file: the `%` that `%}` should close (77 once dedented).
    assert_eq!(items[0]["column"], 81, "{items:#?}");
    let msg = items[0]["message"].as_str().unwrap();
    assert_eq!(
        msg,
        "le gabarit `base.html` ne peut pas être lu : attendu : `%}` ou `-%}`"
    );
    let o = fiches_in(site.path(), &["check"]);
    let err = stderr(&o);
    assert!(
        err.contains("  themes/perso/templates/base.html:3:81: erreur[template-error]: le gabarit `base.html`"),
        "{err}"
    );
    assert!(!err.contains("\\n") && !err.contains("Failed"), "{err}");
}

/// A theme template that parses but fails as pages are laid out (a
/// variable or a filter misspelt): tera said `Failed to render 'sheet.html'
/// (error happened in a parent template) : Variable `site.titre` not found
/// in context…`, in English, under the page's template, without a line,
/// once per page. Now: the site's file where the name is written, its
/// line and column, in French, with the name meant; once; status 1 and
/// the previous output as it was.
#[test]
fn a_template_that_fails_at_render_time_is_named_with_its_line_in_french() {
    let site = fixture(&[("book.toml", "[book]\ntitle = \"Test\"\n\n[build]\ntheme = \"perso\"\n")]);
    let base = site.path().join("themes/perso/templates/base.html");
    let sheet = site.path().join("themes/perso/templates/sheet.html");
    let good = "{% extends \"default/base.html\" %}\n{% block head_extra %}\n    <meta name=\"x\" content=\"{{ site.title }}\">{% endblock head_extra %}\n";
    write(&base, good);
    let out = site.path().join("public");
    let o = fiches_in(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&out);
    for (file, text, at, said, also) in [
        (
            &base,
            good.replace("site.title", "site.titre"),
            "themes/perso/templates/base.html:3:32: erreur[template-error]: le gabarit `base.html` ne peut pas être rendu : la variable `site.titre` n'existe pas",
            "vouliez-vous dire `site.title` ?",
            "",
        ),
        (
            &sheet,
            "{% extends \"default/sheet.html\" %}\n{% block content %}\n<h1>{{ sheet.title | majuscules }}</h1>\n{% endblock content %}\n".to_string(),
            "themes/perso/templates/sheet.html:3:22: erreur[template-error]: le gabarit `sheet.html` ne peut pas être rendu : le filtre `majuscules` n'existe pas",
            "`upper`",
            "base.html",
        ),
    ] {
        // The template the page also uses, written again (removed above).
        if !also.is_empty() {
            write(&site.path().join("themes/perso/templates").join(also), good);
        }
        write(file, &text);
        let o = fiches_in(site.path(), &["build"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(at), "{err}");
        assert!(err.contains(said), "{err}");
        // Once, not once per page.
        assert!(err.contains("Échec de la construction : 1 erreur,"), "{err}");
        for english in ["Failed", "not found", "Variable", "Filter"] {
            assert!(!err.contains(english), "{english}: {err}");
        }
        assert!(snapshot(&out) == before, "the output changed");
        // `check` says it too (it only compiled the templates).
        let o = fiches_in(site.path(), &["check"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains(at), "{}", stderr(&o));
        std::fs::remove_file(file).unwrap();
    }
}

/// The other mistakes of a site's template, said in English before: a
/// variable with no close name (the names the page has are listed), an
/// `{% include %}`, `{% extends %}` or `{% import %}` of a template that
/// does not exist (no file, no line), a filter given a value of another
/// type (once per page, with the page's value). Each is named by the
/// site's file, line and column, in French, status 1, output untouched.
#[test]
fn a_template_s_other_mistakes_are_said_in_french_at_their_line() {
    let site = fixture(&[("book.toml", "[book]\ntitle = \"Test\"\n\n[build]\ntheme = \"perso\"\n")]);
    let sheet = site.path().join("themes/perso/templates/sheet.html");
    std::fs::create_dir_all(sheet.parent().unwrap()).unwrap();
    let out = site.path().join("public");
    let o = fiches_in(site.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = snapshot(&out);
    let block = |inner: &str| {
        format!("{{% extends \"default/sheet.html\" %}}\n{{% block content %}}\n  <h1>{inner}</h1>\n{{% endblock content %}}\n")
    };
    let file = "themes/perso/templates/sheet.html";
    for (text, at, said) in [
        (
            block("{{ page.titel }}"),
            format!("{file}:3:10: erreur[template-error]: le gabarit `sheet.html` ne peut pas être rendu : la variable `page.titel` n'existe pas"),
            "noms de la page : `action`",
        ),
        (
            block("{{ sheet.xyzzy }}"),
            format!("{file}:3:10: erreur[template-error]: le gabarit `sheet.html` ne peut pas être rendu : la variable `sheet.xyzzy` n'existe pas"),
            "`sheet` contient : `audience`, `category`",
        ),
        (
            block("{% include \"entete.html\" %}"),
            format!("{file}:3:19: erreur[template-error]: le gabarit `sheet.html` ne peut pas être rendu : le gabarit inclus `entete.html` n'existe pas"),
            "`themes/perso/templates/entete.html`",
        ),
        (
            block("{{ sheet.title | round }}"),
            format!("{file}:3:24: erreur[template-error]: le gabarit `sheet.html` ne peut pas être rendu : le filtre `round` ne s'applique pas à cette valeur (attendu : un nombre)"),
            "vérifiez la variable donnée au filtre",
        ),
        (
            "{% extends \"base-ecole.html\" %}\n".to_string(),
            format!("{file}:1:13: erreur[template-error]: le gabarit `sheet.html` hérite de `base-ecole.html`, qui n'existe pas"),
            "`default/<nom>`",
        ),
        (
            "{% import \"macro.html\" as m %}\n{% extends \"default/sheet.html\" %}\n".to_string(),
            format!("{file}:1:12: erreur[template-error]: le gabarit `sheet.html` importe les macros de `macro.html`, qui n'existe pas"),
            "`themes/perso/templates/macro.html`",
        ),
    ] {
        write(&sheet, &text);
        for cmd in ["build", "check"] {
            let o = fiches_in(site.path(), &[cmd]);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{cmd} {text}: {err}");
            assert!(err.contains(&at), "{cmd} {text}: {err}");
            assert!(err.contains(said), "{cmd} {text}: {err}");
            // Once, not once per page.
            assert_eq!(err.matches("erreur[template-error]").count(), 1, "{cmd} {text}: {err}");
            for english in ["Failed", "not found", "Template", "Variable", "Filter", "expected", "inheriting", "loads macros"] {
                assert!(!err.contains(english), "{cmd} {text}: {english}: {err}");
            }
        }
        assert!(snapshot(&out) == before, "the output changed");
    }
}

/// A marked category over the budget because of one photo: the hint
/// named the budget to raise (for every phone), not the file to make
/// lighter.
#[test]
fn an_offline_budget_blown_by_one_file_names_it() {
    let site = fixture(&[
        ("book.toml", "[book]\ntitle = \"Test\"\n\n[offline]\nmax-mb = 0.3\n"),
        ("content/fiches/wifi/_index.md", "+++\ntitle = \"Wi-Fi\"\noffline = true\n+++\n"),
        (
            "content/fiches/wifi/compte-invite.md",
            "+++\ntitle = \"Créer un compte invité\"\naction = \"wifi-invite\"\n+++\n\n## Étapes\n\n![Le ticket](<Photo du ticket.png>)\n",
        ),
    ]);
    let photo: Vec<u8> = (0..400_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(site.path().join("content/fiches/wifi/Photo du ticket.png"), photo).unwrap();
    let (items, _) = check_json(site.path(), &[]);
    let budget = items
        .iter()
        .find(|d| d["code"] == "offline-budget")
        .expect("offline-budget");
    assert_eq!(
        budget["hint"].as_str(),
        Some("`content/fiches/wifi/Photo du ticket.png` pèse à lui seul 0,4 Mio : réduisez-le (une image de 1 600 pixels de large au plus, quelques centaines de Kio) plutôt que d'augmenter `max-mb`, que chaque téléphone télécharge"),
        "{items:#?}"
    );
}

/// `offline-budget` came from `build` only (it measures the files
/// written): `check --strict` in CI passed while every build warned that a
/// marked category no longer fits. `check` now says it, at the same place,
/// and `--strict` fails on it.
#[test]
fn check_strict_fails_on_the_offline_budget_as_build_warns() {
    let site = fixture(&[
        ("book.toml", "[book]\ntitle = \"Test\"\n\n[offline]\nmax-mb = 0.3\n"),
        ("content/fiches/wifi/_index.md", "+++\ntitle = \"Wi-Fi\"\noffline = true\n+++\n"),
        (
            "content/fiches/wifi/compte-invite.md",
            "+++\ntitle = \"Créer un compte invité\"\naction = \"wifi-invite\"\n+++\n\n## Étapes\n\n![Le ticket](ticket.png)\n",
        ),
    ]);
    // A photo under the 1 MiB of `image-heavy`, over the budget.
    let photo: Vec<u8> = (0..400_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    std::fs::write(site.path().join("content/fiches/wifi/ticket.png"), photo).unwrap();
    let (items, status) = check_json(site.path(), &["--strict"]);
    assert_eq!(status, Some(1), "{items:#?}");
    assert_eq!(
        summary(&items),
        vec![f("warning", "offline-budget", "content/fiches/wifi/_index.md", Some(3))]
    );
    let said = items[0]["message"].as_str().unwrap();
    assert!(said.contains("« Wi-Fi », marquée hors connexion"), "{said}");
    // The same words as the build's warning.
    let out = tempdir();
    let o = fiches_in(site.path(), &["build", "-o", out.path().join("p").to_str().unwrap()]);
    assert!(o.status.success());
    assert!(stderr(&o).contains(said), "{}", stderr(&o));
    // Nothing left behind, in the site or the temporary folder (its own,
    // as other tests run checks at the same time).
    let tmp = tempdir();
    let before = snapshot(site.path());
    let o = std::process::Command::new(bin())
        .current_dir(site.path())
        .arg("check")
        .env("TMPDIR", tmp.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(snapshot(site.path()) == before);
    // The written copy is removed by a detached process, as a replaced output.
    let start = std::time::Instant::now();
    while std::fs::read_dir(tmp.path()).unwrap().next().is_some() {
        assert!(start.elapsed().as_secs() < 20, "left in the temporary folder");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn check_writes_nothing() {
    for c in corpora() {
        let (_keep, huge, ..) = huge_sheet_site(&c);
        let root = c.broken("missing-link");
        for root in [root, huge] {
            let before = snapshot(&root);
            let o = fiches_in(&root, &["check"]);
            assert!(!stderr(&o).contains("panicked"));
            assert_eq!(snapshot(&root), before, "{}", root.display());
        }
    }
    let site = fixture(&[]);
    let before = snapshot(site.path());
    for format in ["human", "json", "gitlab", "github"] {
        fiches_in(site.path(), &["check", "--format", format]);
    }
    assert_eq!(snapshot(site.path()), before);
}

/// A warning of `book.toml` alone (no error beside it) reaches the report:
/// `config::parse` used to drop its warnings when the file was valid.
#[test]
fn an_unknown_language_is_a_warning_at_its_line() {
    let site = fixture(&[("book.toml", "[book]\ntitle = \"Test\"\nlanguage = \"de\"\n")]);
    assert_everywhere(
        site.path(),
        &f("warning", "config-unknown-language", "book.toml", Some(3)),
    );
    let (_, code) = check_json(site.path(), &[]);
    assert_eq!(code, Some(0), "a warning alone does not fail check");
    let (_, code) = check_json(site.path(), &["--strict"]);
    assert_ne!(code, Some(0), "--strict fails on the warning");
}

#[test]
fn a_file_that_fails_to_load_is_not_reported_again_by_what_cites_it() {
    // An `actions.toml` that does not parse, and a sheet with a typo in its
    // front matter: their own error, not one more per sheet that names the
    // action ("n'existe pas") or per session that cites the sheet.
    let site = fixture(&[
        (
            "content/actions.toml",
            "[[action]]\nid = \"wifi-invite\"\ntitle = \"Wi-Fi invité\"\nwho = \"referent\"\n",
        ),
        (
            "content/fiches/wifi/portail.md",
            "+++\ntitle = \"Portail\"\ntag = [\"wifi\"]\n+++\nTexte.\n",
        ),
        (
            "content/apero-tice/2025-11-14-wifi.md",
            "+++\ntitle = \"Wi-Fi\"\ndate = 2025-11-14\nfiches = [\"wifi/portail\", \"wifi/absente\"]\n+++\n",
        ),
    ]);
    let (items, errors) = failing_check(site.path());
    assert_eq!(
        errors,
        vec![
            f("error", "invalid-value", "content/actions.toml", Some(4)),
            f("error", "unknown-key", "content/fiches/wifi/portail.md", Some(3)),
            // A sheet that is nowhere is still reported.
            f(
                "error",
                "unknown-sheet",
                "content/apero-tice/2025-11-14-wifi.md",
                Some(4)
            ),
        ]
    );
    // And in French: « au lieu d'une liste », not « au lieu de une ».
    let msg = items.iter().find(|d| d["code"] == "invalid-value").unwrap()["message"]
        .as_str()
        .unwrap();
    assert!(msg.contains("le texte \"referent\" au lieu d'une liste `[…]`"), "{msg}");
}

#[test]
fn an_image_that_leaves_static_is_reported_as_leaving_it_at_its_line() {
    // `book.toml` exists, one folder above `static/`: the error says the
    // path leaves the folder (file and line), not that the file is missing.
    let site = fixture(&[(
        "content/fiches/wifi/portail.md",
        "+++\ntitle = \"Portail\"\n+++\n\nTexte.\n\n![x](/images/../../book.toml)\n",
    )]);
    let (items, status) = check_json(site.path(), &[]);
    assert_eq!(status, Some(1));
    assert_eq!(
        summary(&items),
        vec![f("error", "missing-image", "content/fiches/wifi/portail.md", Some(7))]
    );
    let msg = items[0]["message"].as_str().unwrap();
    assert!(msg.contains("sort du dossier `static/` du site"), "{msg}");
    assert!(!msg.contains("n'existe pas"), "{msg}");
    assert_eq!(items[0]["column"].as_u64(), Some(1));
    let o = fiches_in(site.path(), &["build"]);
    assert!(!o.status.success());
}

#[test]
fn a_bare_word_value_gets_a_hint_that_says_how_to_write_it() {
    // `booklet = oui` and `title = Wi-Fi`: TOML reads no value there, and
    // the parser only says it expected a quote.
    let site = fixture(&[
        (
            "content/fiches/wifi/_index.md",
            "+++\ntitle = \"Wi-Fi\"\nbooklet = oui\n+++\n",
        ),
        (
            "content/fiches/wifi/portail.md",
            "+++\ntitle = Portail captif\n+++\nTexte.\n",
        ),
    ]);
    let (items, status) = check_json(site.path(), &[]);
    assert_eq!(status, Some(1));
    let hint = |file: &str| {
        let d = items
            .iter()
            .find(|d| d["file"] == file)
            .unwrap_or_else(|| panic!("{items:#?}"));
        assert_eq!(d["code"], "toml-syntax");
        d["hint"].as_str().unwrap_or("").to_string()
    };
    assert_eq!(
        hint("content/fiches/wifi/_index.md"),
        "oui s'écrit `true` et non `false`, sans guillemets"
    );
    assert_eq!(
        hint("content/fiches/wifi/portail.md"),
        "un texte s'écrit entre guillemets droits : `\"Portail…\"`"
    );
}

/// `title = ""` (a référent clearing the title to rewrite it later) built
/// a page with an empty `<h1>` and links with no text in the category, the
/// lists and the session citing it: now an error at the `title` line, for
/// sheets, categories, sessions and paths alike, in `check` and `build`.
#[test]
fn an_empty_title_is_an_error_at_its_line() {
    let site = fixture(&[
        (
            "content/fiches/wifi/vide.md",
            "+++\nsummary = \"Pour tester.\"\ntitle = \"  \"\n+++\n\nTexte.\n",
        ),
        ("content/fiches/ent/_index.md", "+++\ntitle = \"\"\n+++\n"),
        (
            "content/apero-tice/2026-01-08-rien.md",
            "+++\ntitle = \"\"\ndate = 2026-01-08\n+++\n",
        ),
        ("content/parcours/vide.md", "+++\ntitle = ''\n+++\n"),
    ]);
    let (items, errors) = failing_check(site.path());
    assert_eq!(
        errors,
        vec![
            f("error", "empty-title", "content/apero-tice/2026-01-08-rien.md", Some(2)),
            f("error", "empty-title", "content/fiches/ent/_index.md", Some(2)),
            f("error", "empty-title", "content/fiches/wifi/vide.md", Some(3)),
            f("error", "empty-title", "content/parcours/vide.md", Some(2)),
        ],
        "{items:#?}"
    );
    assert!(items.iter().all(|d| d["code"] != "empty-title"
        || d["message"]
            .as_str()
            .unwrap()
            .starts_with("le titre (`title`) est vide")));
    let tmp = tempdir();
    let b = fiches_in(site.path(), &["build", "-o", tmp.path().join("out").to_str().unwrap()]);
    assert_eq!(b.status.code(), Some(1));
    assert!(
        stderr(&b).contains("content/fiches/wifi/vide.md:3: erreur[empty-title]"),
        "{}",
        stderr(&b)
    );
}

/// What a French writer types where TOML wants a date or a text: the
/// parser says only « attendu : une fin de ligne ou `#` »; the hint gives
/// the line as it should be.
#[test]
fn a_date_day_first_and_an_apostrophe_in_quotes_get_the_line_to_write() {
    for (line, hint) in [
        ("updated = 05/01/2026", "`updated = 2026-01-05`"),
        ("updated = 5.1.2026 # relue", "`updated = 2026-01-05`"),
        ("updated = 2026/01/05", "`updated = 2026-01-05`"),
        ("summary = 'L'ENT ne répond pas'", "`summary = \"L'ENT ne répond pas\"`"),
    ] {
        let site = fixture(&[(
            "content/fiches/wifi/essai.md",
            &format!("+++\ntitle = \"Essai\"\n{line}\n+++\n\nTexte.\n"),
        )]);
        let (items, errors) = failing_check(site.path());
        assert_eq!(
            errors,
            vec![f("error", "toml-syntax", "content/fiches/wifi/essai.md", Some(3))],
            "{line}"
        );
        let got = items[0]["hint"].as_str().unwrap_or_default();
        assert!(got.contains(hint), "{line}: {got}");
    }
    // What a teacher writes next: the date between quotes, the sheet's
    // date as `date` (a session's key), a list as one text (YAML's way).
    for (line, code, hint) in [
        ("updated = \"12/09/2025\"", "toml-syntax", "`updated = 2025-09-12`"),
        ("date = 2025-09-12", "unknown-key", "`updated = 2025-09-12`"),
        (
            "tags = \"imprimante, papier\"",
            "invalid-value",
            "`tags = [\"imprimante\", \"papier\"]`",
        ),
    ] {
        let site = fixture(&[(
            "content/fiches/wifi/essai.md",
            &format!("+++\ntitle = \"Essai\"\n{line}\n+++\n\nTexte.\n"),
        )]);
        let (items, errors) = failing_check(site.path());
        assert_eq!(
            errors,
            vec![f("error", code, "content/fiches/wifi/essai.md", Some(3))],
            "{line}"
        );
        let got = items[0]["hint"].as_str().unwrap_or_default();
        assert!(got.contains(hint), "{line}: {got}");
    }
    let site = fixture(&[(
        "content/apero-tice/2027-01-14-pix.md",
        "+++\ntitle = \"Pix\"\ndate = 14/01/2027\n+++\n",
    )]);
    let (items, _) = failing_check(site.path());
    assert!(
        items[0]["hint"]
            .as_str()
            .unwrap_or_default()
            .contains("`date = 2027-01-14`"),
        "{items:#?}"
    );
}

/// A date that does not exist (`31/02/2025`, `2025-02-31`): the hint
/// names the day and what the month holds, never a line to write that
/// fails again (it said `updated = 2025-02-31` for `31/02/2025`).
#[test]
fn a_date_that_does_not_exist_is_named_not_rewritten() {
    for (line, hint) in [
        ("updated = 31/02/2025", "le 31 février 2025 n'existe pas : le mois de février 2025 a 28 jours ; une date s'écrit année-mois-jour, sans guillemets : `updated = 2025-02-JJ`"),
        ("updated = 2025-02-31", "le 31 février 2025 n'existe pas : le mois de février 2025 a 28 jours"),
        ("updated = 2024-02-30 # relue", "le 30 février 2024 n'existe pas : le mois de février 2024 a 29 jours"),
        ("updated = 31.04.2025", "le 31 avril 2025 n'existe pas : le mois d'avril 2025 a 30 jours"),
        ("updated = 2025-13-01", "il n'y a pas de mois 13 (un mois va de 01 à 12)"),
        ("updated = 09/25/2025", "il n'y a pas de mois 25 : vouliez-vous dire le 25 septembre 2025 ? une date s'écrit année-mois-jour, sans guillemets : `updated = 2025-09-25`"),
    ] {
        let site = fixture(&[(
            "content/fiches/wifi/essai.md",
            &format!("+++\ntitle = \"Essai\"\n{line}\n+++\n\nTexte.\n"),
        )]);
        let (items, errors) = failing_check(site.path());
        assert_eq!(
            errors,
            vec![f("error", "toml-syntax", "content/fiches/wifi/essai.md", Some(3))],
            "{line}"
        );
        let got = items[0]["hint"].as_str().unwrap_or_default();
        assert!(got.contains(hint), "{line}: {got}");
    }
    let site = fixture(&[(
        "content/apero-tice/2027-02-29-pix.md",
        "+++\ntitle = \"Pix\"\ndate = 29/02/2027\n+++\n",
    )]);
    let (items, _) = failing_check(site.path());
    let hint = items[0]["hint"].as_str().unwrap_or_default();
    assert!(hint.contains("le 29 février 2027 n'existe pas"), "{items:#?}");
    assert!(!hint.contains("2027-02-29"), "{hint}");
}

/// Words and commas without quotes (`tags = copieur, bourrage`): TOML
/// reads no value, and the hint wrote the first word alone as a text.
#[test]
fn a_list_typed_without_quotes_nor_brackets_gets_the_list_to_write() {
    for (line, hint) in [
        ("tags = copieur, bourrage", "`tags = [\"copieur\", \"bourrage\"]`"),
        (
            "audience = enseignant, referent # qui",
            "`audience = [\"enseignant\", \"referent\"]`",
        ),
        ("draft = non", "non s'écrit `false`"),
    ] {
        let site = fixture(&[(
            "content/fiches/wifi/essai.md",
            &format!("+++\ntitle = \"Essai\"\n{line}\n+++\n\nTexte.\n"),
        )]);
        let (items, errors) = failing_check(site.path());
        assert_eq!(
            errors,
            vec![f("error", "toml-syntax", "content/fiches/wifi/essai.md", Some(3))],
            "{line}"
        );
        let got = items[0]["hint"].as_str().unwrap_or_default();
        assert!(got.contains(hint), "{line}: {got}");
    }
}

/// `audience = ["profs"]`, `who = ["proviseur"]`: the reader meant by
/// another word than the contract's five, which no spelling is close to.
#[test]
fn a_reader_named_in_other_words_gets_the_value_meant() {
    for (written, meant) in [
        ("profs", "enseignant"),
        ("Professeurs", "enseignant"),
        ("proviseur", "direction"),
        ("chef d'établissement", "direction"),
        ("Département", "collectivite"),
        ("lycéens", "eleve"),
    ] {
        let site = fixture(&[(
            "content/fiches/wifi/essai.md",
            &format!("+++\ntitle = \"Essai\"\naudience = [\"{written}\"]\n+++\n\nTexte.\n"),
        )]);
        let (items, _) = failing_check(site.path());
        let hint = items[0]["hint"].as_str().unwrap_or_default();
        assert_eq!(hint, format!("vouliez-vous dire `{meant}` ?"), "{written}");
    }
    let site = fixture(&[(
        "content/actions.toml",
        "[[action]]\nid = \"wifi-invite\"\ntitle = \"Créer un compte Wi-Fi invité\"\nwho = [\"proviseure\"]\n",
    )]);
    let (items, _) = failing_check(site.path());
    let d = items
        .iter()
        .find(|d| d["file"] == "content/actions.toml")
        .expect("actions.toml");
    assert_eq!(
        d["hint"].as_str(),
        Some("vouliez-vous dire `direction` ?"),
        "{items:#?}"
    );
}

/// Typographic quotes, as a word processor, macOS or a phone's keyboard
/// type them (`title = “Bourrage”`, `« Wi-Fi »`, in a list too): TOML
/// knows only straight ones, and its « attendu » named a sign that looks
/// the same. The hint gives the line with straight quotes (review26).
#[test]
fn typographic_quotes_get_the_line_with_straight_ones() {
    for (line, hint) in [
        ("title = “Bourrage papier”", "`title = \"Bourrage papier\"`"),
        ("title = « Bourrage papier »", "`title = \"Bourrage papier\"`"),
        ("title = „Bourrage“ # relu", "`title = \"Bourrage\"`"),
        (
            "tags = [“imprimante”, “papier”]",
            "`tags = [\"imprimante\", \"papier\"]`",
        ),
    ] {
        let site = fixture(&[(
            "content/fiches/wifi/essai.md",
            &format!("+++\n{line}\nsummary = \"Essai\"\n+++\n\nTexte.\n"),
        )]);
        let (items, errors) = failing_check(site.path());
        assert_eq!(
            errors,
            vec![f("error", "toml-syntax", "content/fiches/wifi/essai.md", Some(2))],
            "{line}"
        );
        let got = items[0]["hint"].as_str().unwrap_or_default();
        assert!(got.contains(hint) && got.contains("guillemets droits"), "{line}: {got}");
    }
}

/// A photo straight from a phone (here 1.5 MiB, often 3 to 12) in a
/// sheet: every reader downloads it whole. A warning at the image, for
/// `static/` and for a file beside the sheet; 1 MiB and less is fine.
#[test]
fn a_heavy_image_is_pointed_out_at_its_line() {
    let site = fixture(&[(
        "content/fiches/wifi/borne.md",
        "+++\ntitle = \"La borne\"\n+++\n\n![La borne du CDI](/images/borne.jpg)\n\n![La borne vue de près](pres.jpg)\n\n![Le schéma](/images/schema.png)\n",
    )]);
    let big = vec![0u8; 1536 * 1024];
    write(&site.path().join("static/images/borne.jpg"), &big);
    write(&site.path().join("content/fiches/wifi/pres.jpg"), &big);
    write(&site.path().join("static/images/schema.png"), &vec![0u8; 1024 * 1024]);
    let (items, status) = check_json(site.path(), &[]);
    assert_eq!(status, Some(0), "a warning only");
    let heavy: Vec<_> = items.iter().filter(|d| d["code"] == "image-heavy").collect();
    assert_eq!(heavy.len(), 2, "{items:#?}");
    assert_eq!(
        (heavy[0]["line"].as_u64(), heavy[0]["column"].as_u64()),
        (Some(5), Some(1))
    );
    assert_eq!(
        heavy[0]["message"],
        "l'image `/images/borne.jpg` pèse 1,5 Mio : chaque lecteur la télécharge en entier, sur son téléphone aussi"
    );
    assert_eq!(heavy[1]["line"].as_u64(), Some(7));
    assert!(heavy[1]["message"]
        .as_str()
        .unwrap()
        .starts_with("l'image `pres.jpg` pèse 1,5 Mio"));
    let (_, status) = check_json(site.path(), &["--strict"]);
    assert_eq!(status, Some(1));
}

/// A 5 MB single line in a sheet (a merge request's paste) was published
/// without a word: over 1 MiB of text, `page-heavy` says what each reader
/// downloads, at the file; a long real sheet (150 KiB) says nothing.
#[test]
fn a_page_of_megabytes_of_text_is_pointed_out() {
    let site = fixture(&[
        (
            "content/fiches/wifi/journal.md",
            &format!(
                "+++\ntitle = \"Journal de la borne\"\n+++\n\n{}\n",
                "erreur 0x1F ".repeat(440_000)
            ),
        ),
        (
            "content/fiches/wifi/longue.md",
            &format!(
                "+++\ntitle = \"Longue\"\n+++\n\n{}",
                "## Étape\n\nUne ligne de texte pour la procédure.\n\n".repeat(3_000)
            ),
        ),
    ]);
    let (items, status) = check_json(site.path(), &[]);
    assert_eq!(status, Some(0), "a warning only");
    let heavy: Vec<_> = items.iter().filter(|d| d["code"] == "page-heavy").collect();
    assert_eq!(heavy.len(), 1, "{items:#?}");
    assert_eq!(heavy[0]["file"], "content/fiches/wifi/journal.md");
    assert!(
        heavy[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("la page pèse 5,0 Mio de texte"),
        "{}",
        heavy[0]["message"]
    );
}

/// `aliases`: valid old ids pass; an alias that is a sheet's id, another
/// page's address, another sheet's alias, or no valid id (leaving the
/// output folder) is an error at its line.
#[test]
fn alias_errors_name_file_and_line() {
    let ok = fixture(&[(
        "content/fiches/wifi/autre.md",
        "+++\ntitle = \"Autre\"\naliases = [\"wifi/ancien\", \"reseau/ailleurs\"]\n+++\n\nTexte.\n",
    )]);
    let (items, status) = check_json(ok.path(), &[]);
    assert_eq!(status, Some(0), "{items:#?}");
    let site = fixture(&[
        (
            "content/fiches/wifi/autre.md",
            "+++\ntitle = \"Autre\"\naliases = [\"wifi/ancien\"]\n+++\n\nTexte.\n",
        ),
        (
            "content/fiches/wifi/portail.md",
            "+++\ntitle = \"Portail\"\naliases = [\n  \"wifi/compte-invite\",\n  \"../x\",\n  \"wifi\",\n  \"wifi/ancien\",\n  \"Wifi/Compte Invité\",\n  \"wifi/livret\",\n  \"wifi/bon\",\n]\n+++\n\nTexte.\n",
        ),
    ]);
    let (items, errors) = failing_check(site.path());
    let p = "content/fiches/wifi/portail.md";
    assert_eq!(
        errors,
        vec![
            f("error", "alias-duplicate", p, Some(7)),
            f("error", "alias-invalid", p, Some(5)),
            f("error", "alias-is-sheet", p, Some(4)),
            f("error", "alias-taken", p, Some(6)),
            f("error", "alias-taken", p, Some(8)),
            f("error", "alias-taken", p, Some(9)),
        ],
        "{items:#?}"
    );
    let dup = items.iter().find(|d| d["code"] == "alias-duplicate").unwrap();
    assert!(
        dup["message"]
            .as_str()
            .unwrap()
            .contains("content/fiches/wifi/autre.md"),
        "{dup}"
    );
    assert_everywhere(site.path(), &f("error", "alias-invalid", p, Some(5)));
    // The build refuses it too: nothing is written outside the output.
    let o = fiches_in(site.path(), &["build"]);
    assert!(!o.status.success());
    assert!(!site.path().join("x").exists());
}

#[test]
fn an_empty_site_title_or_language_is_said_with_what_to_write() {
    // `[book] title = ""` had no hint; `language = ""` was « langue `` non
    // prise en charge », empty quotes and no hint (broken20).
    let site = fixture(&[("book.toml", "[book]\ntitle = \"\"\nlanguage = \"\"\n")]);
    let (items, code) = check_json(site.path(), &[]);
    assert_eq!(code, Some(1));
    let got: Vec<(String, String, String)> = items
        .iter()
        .map(|d| {
            (
                format!(
                    "{} {}:{}",
                    d["code"].as_str().unwrap(),
                    d["file"].as_str().unwrap(),
                    d["line"]
                ),
                d["message"].as_str().unwrap().to_string(),
                d["hint"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].0, "config-empty-title book.toml:2");
    assert!(got[0].2.contains("`title = \"Aide numérique"), "{got:?}");
    assert_eq!(got[1].0, "config-unknown-language book.toml:3");
    assert!(got[1].1.starts_with("langue vide (`language = \"\"`)"), "{got:?}");
    assert!(got[1].2.contains("`language = \"fr\"`"), "{got:?}");
}

/// A session's `end`: with its `time`, after it; each mistake an error at
/// the line of `end`, in French.
#[test]
fn a_session_end_needs_its_time_and_comes_after_it() {
    for (front, message) in [
        ("date = 2026-11-14\nend = \"13:30\"", "sans `time`"),
        (
            "date = 2026-11-14\ntime = \"12:30\"\nend = \"12:00\"",
            "n'est pas après",
        ),
        (
            "date = 2026-11-14\ntime = \"12:30\"\nend = \"12:30\"",
            "n'est pas après",
        ),
    ] {
        let site = fixture(&[(
            "content/apero-tice/tableur.md",
            &format!("+++\ntitle = \"Le tableur\"\n{front}\n+++\nNotes.\n"),
        )]);
        let end_line = front.lines().position(|l| l.starts_with("end")).unwrap() as u64 + 3;
        let (items, errors) = failing_check(site.path());
        assert_eq!(
            errors,
            vec![f(
                "error",
                "invalid-time",
                "content/apero-tice/tableur.md",
                Some(end_line)
            )],
            "{front}"
        );
        let d = items.iter().find(|d| d["code"] == "invalid-time").unwrap();
        assert!(d["message"].as_str().unwrap().contains(message), "{d}");
        assert!(d["hint"].as_str().is_some_and(|h| h.contains("end")), "{d}");
    }
    let site = fixture(&[(
        "content/apero-tice/tableur.md",
        "+++\ntitle = \"Le tableur\"\ndate = 2026-11-14\ntime = \"12:30\"\nend = \"25:00\"\n+++\nNotes.\n",
    )]);
    let (_, errors) = failing_check(site.path());
    assert_eq!(
        errors,
        vec![f("error", "invalid-time", "content/apero-tice/tableur.md", Some(5))]
    );
    // A right one is clean.
    let site = fixture(&[(
        "content/apero-tice/tableur.md",
        "+++\ntitle = \"Le tableur\"\ndate = 2026-11-14\ntime = \"12:30\"\nend = \"13:45\"\n+++\nNotes.\n",
    )]);
    let (items, status) = check_json(site.path(), &["--strict"]);
    assert_eq!((items, status), (vec![], Some(0)));
}

/// `audience = ["enseignants"]`: the value meant, as for a misspelt key.
#[test]
fn a_misspelt_audience_gets_the_value_meant() {
    for (written, meant) in [
        ("enseignants", "enseignant"),
        ("élève", "eleve"),
        ("referents", "referent"),
    ] {
        let site = fixture(&[(
            "content/fiches/wifi/essai.md",
            &format!("+++\ntitle = \"Essai\"\naudience = [\"{written}\"]\n+++\n\nTexte.\n"),
        )]);
        let (items, errors) = failing_check(site.path());
        assert_eq!(
            errors,
            vec![f("error", "invalid-value", "content/fiches/wifi/essai.md", Some(3))],
            "{written}"
        );
        let hint = items[0]["hint"].as_str().unwrap_or_default();
        assert_eq!(hint, format!("vouliez-vous dire `{meant}` ?"), "{written}");
        // The values stay in the message.
        assert!(
            items[0]["message"].as_str().unwrap().contains("collectivite"),
            "{}",
            items[0]
        );
    }
    // Nothing close: no guess, the values are listed.
    let site = fixture(&[(
        "content/fiches/wifi/essai.md",
        "+++\ntitle = \"Essai\"\naudience = [\"parents\"]\n+++\n\nTexte.\n",
    )]);
    let (items, _) = failing_check(site.path());
    assert!(items[0]["hint"].is_null(), "{}", items[0]);
}

/// Sheets numbered by a person (`casse-2`, `casse-10`, a folder
/// `salle-9`, `salle-10`) are listed in their numbers' order, as a file
/// manager shows them, in every format; a zero in front or a longer name
/// keeps an order that does not change between runs.
#[test]
fn findings_follow_the_numbers_in_file_names() {
    let bad = "+++\nsummary = \"Sans titre\"\n+++\n\nTexte.\n";
    let names = [
        "content/fiches/casse/casse-10.md",
        "content/fiches/casse/casse-2.md",
        "content/fiches/casse/casse-1.md",
        "content/fiches/casse/casse-02b.md",
        "content/fiches/casse/casse-9.md",
        "content/fiches/salle-10/a.md",
        "content/fiches/salle-9/a.md",
        "content/fiches/salle-9/a1.md",
    ];
    let files: Vec<(&str, &str)> = names.iter().map(|n| (*n, bad)).collect();
    let site = fixture(&files);
    let (items, status) = check_json(site.path(), &[]);
    assert_eq!(status, Some(1));
    let order: Vec<&str> = items
        .iter()
        .filter(|d| d["code"] == "missing-field")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    let expect = [
        "content/fiches/casse/casse-1.md",
        "content/fiches/casse/casse-2.md",
        "content/fiches/casse/casse-02b.md",
        "content/fiches/casse/casse-9.md",
        "content/fiches/casse/casse-10.md",
        "content/fiches/salle-9/a.md",
        "content/fiches/salle-9/a1.md",
        "content/fiches/salle-10/a.md",
    ];
    assert_eq!(order, expect, "json");
    // The human report, grouped by file, in the same order.
    let human = format!("\n{}", stderr(&fiches_in(site.path(), &["check"])));
    let at: Vec<usize> = expect
        .iter()
        .map(|f| {
            human
                .find(&format!("\n{f}\n"))
                .unwrap_or_else(|| panic!("{f} not a group:\n{human}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "human order:\n{human}");
}

/// A session's hour typed as people write it (`time = 12:30` without
/// quotes, which TOML reads only with seconds; `12h30`; `12:30:00`;
/// `12.30`; `"12h30"`; the same for `end`): an error at its line whose
/// hint is the line to write, never a hint that fails again.
#[test]
fn a_session_hour_typed_by_hand_gets_the_line_to_write() {
    for (line, code, expect) in [
        ("time = 12:30", "toml-syntax", "`time = \"12:30\"`"),
        ("time = 12h30", "toml-syntax", "`time = \"12:30\"`"),
        ("time = 12:30:00", "invalid-value", "`time = \"12:30\"`"),
        ("time = 12.30", "invalid-value", "`time = \"12:30\"`"),
        ("time = 9", "invalid-value", "`time = \"09:00\"`"),
        ("time = \"12h30\"", "invalid-time", "`time = \"12:30\"`"),
        ("time = \"12 h\"", "invalid-time", "`time = \"12:00\"`"),
        ("time = \"12:30\"\nend = 13:30", "toml-syntax", "`end = \"13:30\"`"),
    ] {
        let site = fixture(&[(
            "content/apero-tice/tableur.md",
            &format!("+++\ntitle = \"Le tableur\"\ndate = 2026-11-14\n{line}\n+++\nNotes.\n"),
        )]);
        let at = 4 + line.lines().count() as u64 - 1;
        let (items, errors) = failing_check(site.path());
        assert_eq!(
            errors,
            vec![f("error", code, "content/apero-tice/tableur.md", Some(at))],
            "{line}"
        );
        let d = &items.iter().find(|d| d["severity"] == "error").unwrap();
        let hint = d["hint"].as_str().unwrap_or_default();
        assert!(hint.contains(expect), "{line}: {d}");
        // Written as the hint says, the session checks clean.
        let fixed = expect.trim_matches('`');
        let mut front = line.lines().map(str::to_string).collect::<Vec<_>>();
        *front.last_mut().unwrap() = fixed.to_string();
        let site = fixture(&[(
            "content/apero-tice/tableur.md",
            &format!(
                "+++\ntitle = \"Le tableur\"\ndate = 2026-11-14\n{}\n+++\nNotes.\n",
                front.join("\n")
            ),
        )]);
        let (items, status) = check_json(site.path(), &[]);
        assert_eq!(status, Some(0), "{fixed}: {items:?}");
        // An hour without quotes is no « table ».
        assert!(!d["message"].as_str().unwrap().contains("table"), "{d}");
    }
}

/// `[validation]` written in the middle of a sheet's front matter: the
/// fields after it belong to the table in TOML, and « clé inconnue
/// `audience` ; clés possibles : by, on » did not say why. The hint names
/// the table's line and where it goes; a key misspelt inside the table
/// keeps its suggestion.
#[test]
fn a_field_written_after_the_validation_table_is_said_to_belong_to_it() {
    let site = fixture(&[(
        "content/fiches/wifi/essai.md",
        "+++\ntitle = \"Essai\"\n[validation]\nby = \"Conseil départemental\"\non = 2025-06-30\naudience = [\"enseignant\"]\n+++\n\nTexte.\n",
    )]);
    let (items, errors) = failing_check(site.path());
    assert_eq!(
        errors,
        vec![f("error", "unknown-key", "content/fiches/wifi/essai.md", Some(6))]
    );
    let hint = items[0]["hint"].as_str().unwrap_or_default();
    assert!(
        hint.contains("`audience` est écrit après la ligne `[validation]` (ligne 3)")
            && hint.contains("à la fin de l'en-tête"),
        "{hint}"
    );
    // Moved as the hint says: clean.
    let site = fixture(&[(
        "content/fiches/wifi/essai.md",
        "+++\ntitle = \"Essai\"\naudience = [\"enseignant\"]\n[validation] # relu\nby = \"Conseil départemental\"\non = 2025-06-30\n+++\n\nTexte.\n",
    )]);
    let (items, status) = check_json(site.path(), &["--strict"]);
    assert_eq!(status, Some(0), "{items:?}");
    // A key of the table misspelt: the suggestion, not the move.
    let site = fixture(&[(
        "content/fiches/wifi/essai.md",
        "+++\ntitle = \"Essai\"\n[validation] # relu\npar = \"Conseil départemental\"\non = 2025-06-30\n+++\n\nTexte.\n",
    )]);
    let (items, errors) = failing_check(site.path());
    assert_eq!(
        errors,
        vec![f("error", "unknown-key", "content/fiches/wifi/essai.md", Some(4))]
    );
    let hint = items[0]["hint"].as_str().unwrap_or_default();
    assert!(!hint.contains("écrit après"), "{hint}");
}

/// A training path that lists no sheet (`fiches = []`, as `fiches new
/// parcours` writes it, or no `fiches` at all): its page would lead
/// nowhere. A warning at the file, that `--strict` makes fail; a draft is
/// not published, so not reported.
#[test]
fn a_path_without_sheets_is_pointed_out() {
    for front in ["fiches = []", "summary = \"Pour les nouveaux\""] {
        let site = fixture(&[(
            "content/parcours/debuter.md",
            &format!("+++\ntitle = \"Débuter\"\n{front}\n+++\n\nIntroduction.\n"),
        )]);
        let (items, status) = check_json(site.path(), &[]);
        assert_eq!(status, Some(0), "a warning");
        assert_eq!(
            summary(&items),
            vec![f("warning", "path-empty", "content/parcours/debuter.md", Some(1))],
            "{front}"
        );
        assert!(items[0]["hint"].as_str().unwrap().contains("fiches = ["), "{items:?}");
        let (_, status) = check_json(site.path(), &["--strict"]);
        assert_eq!(status, Some(1));
    }
    let site = fixture(&[(
        "content/parcours/debuter.md",
        "+++\ntitle = \"Débuter\"\nfiches = []\ndraft = true\n+++\n",
    )]);
    let (items, status) = check_json(site.path(), &["--strict"]);
    assert_eq!((items, status), (vec![], Some(0)));
}

/// Links that CommonMark publishes as plain text or that lead nowhere:
/// `[texte][ref]` without its `[ref]: adresse` line, a footnote call
/// without its note, `[texte]()`. Each a warning at its line, in the
/// file as the author wrote it (front matter counted).
#[test]
fn references_defined_nowhere_and_empty_links_are_warnings_at_their_line() {
    let site = fixture(&[(
        "content/fiches/a/un.md",
        "+++\ntitle = \"Un\"\n+++\n\nVoir [la charte][charte].\n\nUne note[^1].\n\nOuvrez [le guide]().\n\nCliquez sur [Valider].\n",
    )]);
    let (items, status) = check_json(site.path(), &[]);
    assert_eq!(status, Some(0), "warnings: {items:?}");
    assert_eq!(
        summary(&items),
        vec![
            f("warning", "reference-undefined", "content/fiches/a/un.md", Some(5)),
            f("warning", "reference-undefined", "content/fiches/a/un.md", Some(7)),
            f("warning", "link-empty", "content/fiches/a/un.md", Some(9)),
        ],
        "{items:?}"
    );
    let (_, status) = check_json(site.path(), &["--strict"]);
    assert_eq!(status, Some(1));
}

/// A reviewer reads a merge request's CI log from the top: the sheet
/// with an error comes before the warnings about sheets it did not touch,
/// even when its name sorts after theirs.
#[test]
fn human_lists_the_files_with_errors_first() {
    let old = "+++\ntitle = \"Vieille fiche {n}\"\nupdated = 2001-02-03\n+++\nTexte.\n";
    let mut files: Vec<(String, String)> = (0..5)
        .map(|n| {
            (
                format!("content/fiches/aaa/vieille-{n}.md"),
                old.replace("{n}", &n.to_string()),
            )
        })
        .collect();
    files.push((
        "content/fiches/zzz/nouvelle.md".into(),
        "+++\ntitle = \"Nouvelle\"\n+++\nVoir [la fiche](nulle-part.md).\n".into(),
    ));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let site = fixture(&refs);
    let o = fiches_in(site.path(), &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let human = stderr(&o);
    let error_at = human.find("zzz/nouvelle.md:4").expect(&human);
    let first_warning = human.find("sheet-stale").expect(&human);
    assert!(error_at < first_warning, "the error comes after the warnings:\n{human}");
    // Each file's findings stay together, under its name once.
    assert_eq!(
        human.matches("\ncontent/fiches/aaa/vieille-0.md\n").count()
            + human.starts_with("content/fiches/aaa/vieille-0.md\n") as usize,
        1,
        "{human}"
    );
}

/// A sheet whose front matter has an error is still read for the rest: its
/// body's links and images, its `action` (review32: a reviewer saw them
/// only on the next push). Sheets and sessions that cite it are not
/// reported, and the lines left out bring no second finding.
#[test]
fn a_header_error_does_not_hide_the_rest_of_the_sheet() {
    let site = fixture(&[
        (
            // Line 2: a title whose quote is never closed.
            "content/fiches/ent/connexion.md",
            "+++\ntitle = \"Se connecter à l'ENT\naction = \"wfi-invite\"\nupdated = 2001-02-03\n+++\n\n## Étapes\n\nVoir [la fiche](nulle-part.md) et ![Écran](/images/ent.png).\n",
        ),
        (
            // No title at all, and a second sheet without one.
            "content/fiches/ent/sans-titre.md",
            "+++\naction = \"wifi-invite\"\n[validation]\nby = \"DANE\"\non = 2001-01-01\n+++\n\nVoir [l'ENT](connexion.md#etapes).\n",
        ),
        (
            "content/fiches/ent/sans-titre-2.md",
            "+++\nsummary = \"Rien\"\nupdated = 2001-02-03\n+++\n\n![Plan](plan.png)\n",
        ),
        (
            "content/fiches/wifi/portail.md",
            "+++\ntitle = \"Portail\"\n+++\n\nVoir [l'ENT](../ent/connexion.md#etapes) et [l'autre](../ent/sans-titre.md).\n",
        ),
        (
            "content/apero-tice/2026-01-08-ent.md",
            "+++\ntitle = \"ENT\"\ndate = 2026-01-08\nfiches = [\"ent/connexion\", \"ent/sans-titre\"]\n+++\n",
        ),
    ]);
    let (items, errors) = failing_check(site.path());
    let mut want = vec![
        f("error", "broken-link", "content/fiches/ent/connexion.md", Some(9)),
        f("error", "missing-field", "content/fiches/ent/sans-titre-2.md", Some(1)),
        f("error", "missing-image", "content/fiches/ent/sans-titre-2.md", Some(6)),
        f("error", "missing-field", "content/fiches/ent/sans-titre.md", Some(1)),
        f("error", "missing-image", "content/fiches/ent/connexion.md", Some(9)),
        f("error", "toml-syntax", "content/fiches/ent/connexion.md", Some(2)),
        f("error", "unknown-action", "content/fiches/ent/connexion.md", Some(3)),
    ];
    want.sort();
    assert_eq!(errors, want, "{items:#?}");
    // The header's error at its line and column, as before; the action's
    // hint as for any sheet.
    let syntax = items.iter().find(|d| d["code"] == "toml-syntax").unwrap();
    assert_eq!(syntax["column"].as_u64(), Some(30), "{syntax}");
    let action = items.iter().find(|d| d["code"] == "unknown-action").unwrap();
    assert!(action["hint"].as_str().unwrap().contains("`wifi-invite`"), "{action}");
    // No stale, revalidation or duplicate-title warning from a header read
    // leniently (`updated` of 2001, two sheets without a title), no
    // `empty-title` after `missing-field`.
    let codes: Vec<&str> = items.iter().map(|d| d["code"].as_str().unwrap()).collect();
    for code in [
        "sheet-stale",
        "sheet-revalidate",
        "duplicate-title",
        "empty-title",
        "unknown-sheet",
    ] {
        assert!(!codes.contains(&code), "{code} in {items:#?}");
    }

    // In the three other formats too, and the human summary counts them.
    let human = stderr(&fiches_in(site.path(), &["check"]));
    assert!(
        human.contains("content/fiches/ent/connexion.md:2:30: erreur[toml-syntax]"),
        "{human}"
    );
    assert!(
        human.contains("content/fiches/ent/connexion.md:9:6: erreur[broken-link]"),
        "{human}"
    );
    assert!(human.contains("Vérification : 7 erreurs"), "{human}");
    let gh = stdout(&fiches_in(site.path(), &["check", "--format", "github"]));
    assert!(
        gh.contains("::error file=content/fiches/ent/connexion.md,line=3,"),
        "{gh}"
    );
    let gl: Value = serde_json::from_str(&stdout(&fiches_in(site.path(), &["check", "--format", "gitlab"]))).unwrap();
    assert_eq!(gl.as_array().unwrap().len(), 7, "{gl:#}");
}

/// `build` of a sheet with a header error still fails, on that error, and
/// leaves the previous output as it was.
#[test]
fn a_header_error_still_fails_the_build_and_keeps_the_output() {
    let site = fixture(&[]);
    let (_tmp, out) = build_to(site.path(), &[]);
    let before = snapshot(&out);
    write(
        &site.path().join("content/fiches/wifi/compte-invite.md"),
        "+++\ntitle = \"Créer un compte invité\naction = \"wifi-invite\"\n+++\n\nVoir [rien](nulle-part.md).\n",
    );
    let o = fiches_in(site.path(), &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("content/fiches/wifi/compte-invite.md:2:32: erreur[toml-syntax]"),
        "{err}"
    );
    assert!(err.contains("erreur[broken-link]"), "{err}");
    assert!(snapshot(&out) == before, "the output changed");
}

/// As for a sheet, a header error in a session, a training path or a
/// category's `_index.md` no longer hides the rest of that file: its body's
/// links and images and the sheets it cites are reported in the same run,
/// at their line, in every format.
#[test]
fn a_header_error_does_not_hide_the_rest_of_a_session_a_path_or_a_category() {
    let site = fixture(&[
        (
            // Line 2: a title whose quote is never closed.
            "content/apero-tice/2026-01-08-ent.md",
            "+++\ntitle = \"ENT\ndate = 2026-01-08\nfiches = [\"ent/inconnue\"]\n+++\n\nVoir [rien](nulle-part.md).\n",
        ),
        (
            // No `date`: read leniently, no date to say implausible.
            "content/apero-tice/sans-date.md",
            "+++\ntitle = \"Sans date\"\n+++\n\n![Écran](ecran.png)\n",
        ),
        (
            // Line 3: two values for one key.
            "content/parcours/debuter.md",
            "+++\ntitle = \"Débuter\"\nweight = 2 3\nfiches = [\"wifi/compte-invite\", \"wifi/absente\"]\n+++\n\n![Plan](plan.png)\n",
        ),
        (
            // An array never closed (reported where `title` interrupts it):
            // its `fiches` are left out, which says nothing of `path-empty`.
            "content/parcours/vide.md",
            "+++\nfiches = [\"wifi/compte-invite\",\ntitle = \"Vide\"\n+++\n\nVoir [le Wi-Fi](../fiches/wifi/compte-invite.md).\n",
        ),
        (
            "content/fiches/wifi/_index.md",
            "+++\ntitle = \"Wi-Fi\ndescription = \"Le réseau\"\n+++\n\nVoir [rien](absente.md).\n",
        ),
    ]);
    let (items, errors) = failing_check(site.path());
    let mut want = vec![
        f("error", "toml-syntax", "content/apero-tice/2026-01-08-ent.md", Some(2)),
        f(
            "error",
            "unknown-sheet",
            "content/apero-tice/2026-01-08-ent.md",
            Some(4),
        ),
        f("error", "broken-link", "content/apero-tice/2026-01-08-ent.md", Some(7)),
        f("error", "missing-field", "content/apero-tice/sans-date.md", Some(1)),
        f("error", "missing-image", "content/apero-tice/sans-date.md", Some(5)),
        f("error", "toml-syntax", "content/parcours/debuter.md", Some(3)),
        f("error", "unknown-sheet", "content/parcours/debuter.md", Some(4)),
        f("error", "missing-image", "content/parcours/debuter.md", Some(7)),
        f("error", "toml-syntax", "content/parcours/vide.md", Some(3)),
        f("error", "toml-syntax", "content/fiches/wifi/_index.md", Some(2)),
        f("error", "broken-link", "content/fiches/wifi/_index.md", Some(6)),
    ];
    want.sort();
    assert_eq!(errors, want, "{items:#?}");
    let codes: Vec<&str> = items.iter().map(|d| d["code"].as_str().unwrap()).collect();
    for code in ["date-implausible", "path-empty", "invalid-time"] {
        assert!(!codes.contains(&code), "{code} in {items:#?}");
    }

    // In the three other formats too, and the human summary counts them.
    let human = stderr(&fiches_in(site.path(), &["check"]));
    for line in [
        "content/apero-tice/2026-01-08-ent.md:4:",
        "content/apero-tice/2026-01-08-ent.md:7:",
        "content/parcours/debuter.md:3:",
        "content/fiches/wifi/_index.md:6:",
    ] {
        assert!(human.contains(line), "{line} in {human}");
    }
    assert!(human.contains("Vérification : 11 erreurs"), "{human}");
    let gh = stdout(&fiches_in(site.path(), &["check", "--format", "github"]));
    assert_eq!(gh.matches("::error ").count(), 11, "{gh}");
    assert!(gh.contains("::error file=content/parcours/debuter.md,line=4,"), "{gh}");
    let gl: Value = serde_json::from_str(&stdout(&fiches_in(site.path(), &["check", "--format", "gitlab"]))).unwrap();
    assert_eq!(gl.as_array().unwrap().len(), 11, "{gl:#}");
}

/// `build` of a session with a header error fails on that error, its
/// body's broken link reported too, and leaves the previous output as it was.
#[test]
fn a_session_header_error_still_fails_the_build_and_keeps_the_output() {
    let site = fixture(&[]);
    let (_tmp, out) = build_to(site.path(), &[]);
    let before = snapshot(&out);
    write(
        &site.path().join("content/apero-tice/2026-01-08-ent.md"),
        "+++\ntitle = \"ENT\ndate = 2026-01-08\n+++\n\nVoir [rien](nulle-part.md).\n",
    );
    let o = fiches_in(site.path(), &["build", "--output", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("content/apero-tice/2026-01-08-ent.md:2:"), "{err}");
    assert!(err.contains("content/apero-tice/2026-01-08-ent.md:6:"), "{err}");
    assert!(err.contains("erreur[broken-link]"), "{err}");
    assert!(snapshot(&out) == before, "the output changed");
}

fn git_in(dir: &Path, args: &[&str]) {
    git(dir, args, ("Test", "test@example.org"), None);
}

/// A referent checks before committing: `--changed-since` also shows the
/// warnings of the files the working copy changes since `HEAD` (an edit
/// not staged, one staged, a new sheet not yet added), not those of an
/// ignored file, nor of a file only touched, nor of one left as it was.
#[test]
fn check_changed_since_sees_uncommitted_changes() {
    let old = "+++\ntitle = \"Vieille fiche {n}\"\nupdated = 2001-02-03\n+++\nTexte.\n";
    let site = fixture(&[
        ("content/fiches/aaa/vieille-0.md", &old.replace("{n}", "0")),
        ("content/fiches/aaa/vieille-1.md", &old.replace("{n}", "1")),
        ("content/fiches/aaa/vieille-2.md", &old.replace("{n}", "2")),
        ("content/fiches/aaa/vieille-3.md", &old.replace("{n}", "3")),
        (".gitignore", "/public/\ncontent/fiches/aaa/ignoree.md\n"),
    ]);
    let root = site.path();
    git_in(root, &["init", "-q"]);
    git_in(root, &["add", "-A"]);
    git_in(root, &["commit", "-qm", "site"]);
    // Committed: nothing changed since `main`.
    let (items, code) = check_json(root, &["--changed-since", "main"]);
    assert_eq!((summary(&items), code), (vec![], Some(0)), "{items:#?}");

    write(
        &root.join("content/fiches/aaa/vieille-0.md"),
        &old.replace("{n}", "0").replace("Texte.", "Texte revu."),
    );
    write(
        &root.join("content/fiches/aaa/vieille-1.md"),
        &old.replace("{n}", "1").replace("Texte.", "Texte revu."),
    );
    git_in(root, &["add", "content/fiches/aaa/vieille-1.md"]);
    write(
        &root.join("content/fiches/aaa/nouvelle.md"),
        &old.replace("{n}", "neuve"),
    );
    write(
        &root.join("content/fiches/aaa/ignoree.md"),
        &old.replace("{n}", "ignorée"),
    );
    // Written again as it was: not a change.
    write(&root.join("content/fiches/aaa/vieille-2.md"), &old.replace("{n}", "2"));

    let (all, _) = check_json(root, &[]);
    assert_eq!(
        summary(&all).iter().filter(|d| d.1 == "sheet-stale").count(),
        6,
        "{all:#?}"
    );
    let stale = |file: &str| f("warning", "sheet-stale", file, Some(3));
    let want = vec![
        stale("content/fiches/aaa/nouvelle.md"),
        stale("content/fiches/aaa/vieille-0.md"),
        stale("content/fiches/aaa/vieille-1.md"),
    ];
    let (items, code) = check_json(root, &["--changed-since", "main"]);
    assert_eq!(code, Some(0));
    let mut got = summary(&items);
    got.sort();
    assert_eq!(got, want, "{items:#?}");
    // The other formats agree.
    let human = stderr(&fiches_in(root, &["check", "--changed-since", "main"]));
    assert!(human.contains("3 avertissements"), "{human}");
    assert!(!human.contains("vieille-2.md"), "{human}");
    let gl: Value = serde_json::from_str(&stdout(&fiches_in(
        root,
        &["check", "--format", "gitlab", "--changed-since", "main"],
    )))
    .unwrap();
    assert_eq!(gl.as_array().unwrap().len(), 3, "{gl:#}");
    let gh = stdout(&fiches_in(
        root,
        &["check", "--format", "github", "--changed-since", "main"],
    ));
    assert_eq!(gh.matches("::warning ").count(), 3, "{gh}");
}

/// A merge request's check: `--changed-since <target branch>` (or the
/// files given) shows the warnings of the files it changes only, not the
/// stale sheets it did not touch; an error it causes in an untouched sheet
/// (a link to the sheet it renamed) is still shown and fails the check. In
/// the four formats; the whole site stays the default.
#[test]
fn check_can_be_limited_to_the_files_a_merge_request_changes() {
    let old = "+++\ntitle = \"Vieille fiche {n}\"\nupdated = 2001-02-03\n+++\nTexte.\n";
    let site = fixture(&[
        ("content/fiches/aaa/vieille-0.md", &old.replace("{n}", "0")),
        ("content/fiches/aaa/vieille-1.md", &old.replace("{n}", "1")),
        ("content/fiches/ent/cible.md", "+++\ntitle = \"Cible\"\n+++\nTexte.\n"),
        (
            "content/fiches/ent/lien.md",
            "+++\ntitle = \"Lien\"\n+++\nVoir [la cible](cible.md).\n",
        ),
        ("static/images/ent.png", "png"),
    ]);
    let root = site.path();
    git_in(root, &["init", "-q"]);
    git_in(root, &["add", "-A"]);
    git_in(root, &["commit", "-qm", "site"]);
    git_in(root, &["checkout", "-qb", "demande"]);
    // The request: an image without alternative text in one sheet, and
    // another sheet renamed (the link of `lien.md`, untouched, breaks).
    write(
        &root.join("content/fiches/wifi/compte-invite.md"),
        "+++\ntitle = \"Créer un compte invité\"\naction = \"wifi-invite\"\n+++\n\n![](/images/ent.png)\n",
    );
    git_in(
        root,
        &["mv", "content/fiches/ent/cible.md", "content/fiches/ent/nouvelle.md"],
    );
    git_in(root, &["commit", "-qam", "demande"]);

    // The whole site, as before: the stale sheets are there.
    let (all, code) = check_json(root, &[]);
    assert_eq!(code, Some(1));
    let all = summary(&all);
    assert!(all.iter().any(|d| d.1 == "sheet-stale"), "{all:?}");

    let wanted = vec![
        f("error", "broken-link", "content/fiches/ent/lien.md", Some(4)),
        f(
            "warning",
            "image-no-alt",
            "content/fiches/wifi/compte-invite.md",
            Some(6),
        ),
    ];
    let (items, code) = check_json(root, &["--changed-since", "main"]);
    assert_eq!(code, Some(1));
    let mut got = summary(&items);
    got.sort();
    assert_eq!(got, wanted, "{items:#?}");

    // The files given (as `git diff --name-only` lists them, a renamed
    // file's old name included), from the site's folder.
    let o = std::process::Command::new(bin())
        .args([
            "check",
            "--format",
            "json",
            "content/fiches/wifi/compte-invite.md",
            "content/fiches/ent/cible.md",
            "content/fiches/ent/nouvelle.md",
        ])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let mut got = summary(v.as_array().unwrap());
    got.sort();
    assert_eq!(got, wanted);
    // A folder selects what is under it.
    let (items, _) = check_json(root, &[root.join("content/fiches/aaa").to_str().unwrap()]);
    assert_eq!(
        summary(&items).iter().filter(|d| d.1 == "sheet-stale").count(),
        2,
        "{items:#?}"
    );

    // Human: the summary says what was left out.
    let human = stderr(&fiches_in(root, &["check", "--changed-since", "main"]));
    assert!(human.contains("content/fiches/ent/lien.md:4:"), "{human}");
    assert!(!human.contains("sheet-stale"), "{human}");
    assert!(
        human.contains("Vérification : 1 erreur, 1 avertissement (avertissements limités à 3 chemins ; 2 avertissements sur d'autres fichiers non affichés)."),
        "{human}"
    );
    let gh = stdout(&fiches_in(
        root,
        &["check", "--format", "github", "--changed-since", "main"],
    ));
    assert_eq!(gh.lines().count(), 2, "{gh}");
    assert!(
        gh.contains("::error file=content/fiches/ent/lien.md,line=4,") && !gh.contains("sheet-stale"),
        "{gh}"
    );
    let gl: Value = serde_json::from_str(&stdout(&fiches_in(
        root,
        &["check", "--format", "gitlab", "--changed-since", "main"],
    )))
    .unwrap();
    let names: Vec<&str> = gl
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["check_name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{gl:#}");
    assert!(
        names.contains(&"broken-link") && names.contains(&"image-no-alt"),
        "{gl:#}"
    );

    // Warnings only in the changed files: `--strict` fails on them, and
    // passes once they are fixed even though the untouched sheets are stale.
    write(
        &root.join("content/fiches/ent/lien.md"),
        "+++\ntitle = \"Lien\"\n+++\nVoir [la cible](nouvelle.md).\n",
    );
    write(
        &root.join("content/fiches/wifi/compte-invite.md"),
        "+++\ntitle = \"Créer un compte invité\"\naction = \"wifi-invite\"\n+++\n\n![Écran](/images/ent.png)\n",
    );
    git_in(root, &["commit", "-qam", "corrige"]);
    let (items, code) = check_json(root, &["--strict", "--changed-since", "main"]);
    assert_eq!((items.len(), code), (0, Some(0)), "{items:#?}");
    assert_eq!(check_json(root, &["--strict"]).1, Some(1));

    // A revision that does not exist, a path outside the site: usage
    // errors (2), said in French.
    let o = fiches_in(root, &["check", "--changed-since", "origin/nulle-part"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("la révision `origin/nulle-part` est introuvable"),
        "{}",
        stderr(&o)
    );
    let o = fiches_in(root, &["check", "/etc/hosts"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("n'est pas dans le site"), "{}", stderr(&o));
}
