//! Unit tests of the Markdown stage through `markdown::render`, the entry
//! point the render stage calls: heading ids, links resolved or reported
//! with their file line, what the search index keeps (no comments, code
//! apart), code fences.

use super::*;
use crate::diagnostics::Severity;

/// The other pages of the little site these tests render into.
fn links() -> LinkIndex {
    let pages = [
        ("content/fiches/wifi/invite.md", "fiches/wifi/invite/index.html"),
        ("content/fiches/wifi/portail.md", "fiches/wifi/portail/index.html"),
        (
            "content/fiches/eleves/Fiche élève.md",
            "fiches/eleves/fiche-eleve/index.html",
        ),
    ];
    LinkIndex {
        pages: pages.iter().map(|(s, u)| (s.to_string(), u.to_string())).collect(),
        statics: ["images/ent.png".to_string()].into_iter().collect(),
        content_assets: ["content/fiches/wifi/capture.png".to_string()].into_iter().collect(),
        fixed: ["", "actions", "apero-tice", "recherche"]
            .into_iter()
            .map(String::from)
            .collect(),
        folders: HashMap::new(),
        renamed: [(
            "content/fiches/wifi/ancien-portail.md".to_string(),
            "content/fiches/wifi/portail.md".to_string(),
        )]
        .into_iter()
        .collect(),
        nfc_names: Default::default(),
    }
}

/// Renders `md` as the body of `content/fiches/wifi/invite.md`, starting on
/// file line `body_line`.
fn render_at(md: &str, body_line: usize) -> (Rendered, Vec<Diagnostic>) {
    let ctx = PageCtx {
        source: "content/fiches/wifi/invite.md",
        body_line,
        origin_root: "",
        page: "fiches/wifi/invite/index.html",
        strings: Strings::for_language_or_default("fr"),
        check: &Default::default(),
    };
    let mut diags = Vec::new();
    let out = render(md, &ctx, &links(), &mut diags);
    (out, diags)
}

fn render_md(md: &str) -> (Rendered, Vec<Diagnostic>) {
    render_at(md, 1)
}

fn codes(diags: &[Diagnostic]) -> Vec<(&'static str, Option<usize>, Option<usize>)> {
    diags.iter().map(|d| (d.code, d.line, d.column)).collect()
}

#[test]
fn headings_get_ascii_ids_and_the_toc_keeps_levels_2_and_3() {
    let (r, diags) = render_md("# Titre\n\n## Étapes à suivre\n\n### Vérifier `ipconfig`\n\n#### Détail\n");
    assert!(diags.is_empty(), "{diags:?}");
    assert!(r.html.contains("<h2 id=\"etapes-a-suivre\">"), "{}", r.html);
    assert!(r.html.contains("<h3 id=\"verifier-ipconfig\">"), "{}", r.html);
    let toc: Vec<(u8, &str, &str)> = r
        .toc
        .iter()
        .map(|t| (t.level, t.id.as_str(), t.title.as_str()))
        .collect();
    assert_eq!(
        toc,
        [
            (2, "etapes-a-suivre", "Étapes à suivre"),
            (3, "verifier-ipconfig", "Vérifier ipconfig")
        ]
    );
    for id in ["titre", "etapes-a-suivre", "verifier-ipconfig", "detail"] {
        assert!(r.anchors.contains(id), "{id} not in {:?}", r.anchors);
    }
    // Each heading carries its id; its link to itself is site.js's.
    assert!(
        r.html.contains("<h2 id=\"etapes-a-suivre\">Étapes à suivre</h2>"),
        "{}",
        r.html
    );
    assert!(!r.html.contains("class=\"anchor\""), "{}", r.html);
}

#[test]
fn duplicate_headings_are_numbered_and_avoid_explicit_ids() {
    let (r, diags) = render_md("## Étapes\n\n## Étapes\n\n## Autre {#etapes-1}\n\n## Étapes\n\n## !!!\n");
    assert!(diags.is_empty(), "{diags:?}");
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    // `etapes-1` is taken by the explicit id, so the second copy skips it.
    assert_eq!(ids, ["etapes", "etapes-2", "etapes-1", "etapes-3", "section"]);
}

#[test]
fn an_explicit_id_used_twice_is_a_warning_at_its_line() {
    let (_, diags) = render_at("## Un {#meme}\n\ntexte\n\n## Deux {#meme}\n", 7);
    assert_eq!(codes(&diags), [("duplicate-heading-id", Some(11), Some(1))]);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!(diags[0].file, "content/fiches/wifi/invite.md");
}

#[test]
fn links_to_sheets_become_relative_page_urls() {
    let (r, diags) = render_md(
        "[a](portail.md) [b](portail.md#reglages) [c](../eleves/Fiche%20élève.md) [d](<../eleves/Fiche élève.md>) [e](/fiches/wifi/portail.md)\n",
    );
    assert!(diags.is_empty(), "{diags:?}");
    // The shortest relative path: the page is `fiches/wifi/invite/`.
    let page = "../portail/index.html";
    assert!(r.html.contains(&format!("href=\"{page}\">a</a>")), "{}", r.html);
    assert!(
        r.html.contains(&format!("href=\"{page}#reglages\">b</a>")),
        "{}",
        r.html
    );
    let eleve = "../../eleves/fiche-eleve/index.html";
    assert!(r.html.contains(&format!("href=\"{eleve}\">c</a>")), "{}", r.html);
    assert!(r.html.contains(&format!("href=\"{eleve}\">d</a>")), "{}", r.html);
    assert!(r.html.contains(&format!("href=\"{page}\">e</a>")), "{}", r.html);
    // The section is checked later, once the target page is rendered.
    let refs: Vec<(&str, &str)> = r
        .anchor_refs
        .iter()
        .map(|a| (a.target_source.as_str(), a.anchor.as_str()))
        .collect();
    assert_eq!(refs, [("content/fiches/wifi/portail.md", "reglages")]);
}

#[test]
fn external_links_and_same_page_anchors_are_kept_as_written() {
    let (r, diags) = render_at(
        "[a](https://ent.example.org/x?y=1) [b](mailto:aide@example.org) [c](//cdn.example.org/) [d](#etapes)\n",
        5,
    );
    assert!(diags.is_empty(), "{diags:?}");
    for href in [
        "https://ent.example.org/x?y=1",
        "mailto:aide@example.org",
        "//cdn.example.org/",
        "#etapes",
    ] {
        assert!(r.html.contains(&format!("href=\"{href}\"")), "{href}: {}", r.html);
    }
    let refs: Vec<(&str, &str, usize)> = r
        .anchor_refs
        .iter()
        .map(|a| (a.target_source.as_str(), a.anchor.as_str(), a.line))
        .collect();
    assert_eq!(refs, [("content/fiches/wifi/invite.md", "etapes", 5)]);
}

#[test]
fn a_broken_link_is_an_error_at_its_file_line_and_column() {
    // The body starts on line 6 of the file: the link's line 3 is file line 8.
    let (r, diags) = render_at("Intro.\n\nVoir [ici](absent.md) et [là](portail.md).\n", 6);
    assert_eq!(codes(&diags), [("broken-link", Some(8), Some(6))]);
    let d = &diags[0];
    assert_eq!(
        (d.severity, d.file.as_str()),
        (Severity::Error, "content/fiches/wifi/invite.md")
    );
    assert!(d.message.contains("content/fiches/wifi/absent.md"), "{}", d.message);
    // The link stays as written; the valid one is resolved.
    assert!(r.html.contains("href=\"absent.md\""), "{}", r.html);
    assert!(r.html.contains("href=\"../portail/index.html\""));
}

#[test]
fn a_broken_link_names_a_file_of_the_same_name_elsewhere() {
    let (_, diags) = render_md("[x](../autre/portail.md)\n");
    assert_eq!(codes(&diags), [("broken-link", Some(1), Some(1))]);
    let hint = diags[0].hint.as_deref().unwrap_or_default();
    assert!(
        hint.starts_with("un fichier de ce nom existe : `content/fiches/wifi/portail.md`"),
        "{hint}"
    );
}

#[test]
fn a_link_to_the_html_page_of_a_sheet_resolves_with_a_warning() {
    let (r, diags) = render_md("[x](portail.html#Réglages)\n");
    assert_eq!(codes(&diags), [("html-link", Some(1), Some(1))]);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert!(r.html.contains("href=\"../portail/index.html#reglages\""), "{}", r.html);
}

#[test]
fn images_resolve_to_static_files_and_assets_beside_the_sheet() {
    let (r, diags) =
        render_md("![Écran de l'ENT](/images/ent.png)\n\n![](capture.png)\n\n![Absente](nulle-part.png)\n");
    assert_eq!(codes(&diags), [("missing-image", Some(5), Some(1))]);
    assert!(
        r.html
            .contains("<img src=\"../../../images/ent.png\" alt=\"Écran de l&#39;ENT\" loading=\"lazy\">"),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("src=\"../../../_assets/fiches/wifi/capture.png\""),
        "{}",
        r.html
    );
    assert_eq!(r.assets, ["content/fiches/wifi/capture.png"]);
    assert_eq!(r.images_without_alt, [(3, 1, "capture.png".to_string())]);
}

#[test]
fn comments_scripts_and_styles_stay_out_of_the_indexed_text() {
    let md = "Visible un.\n\n<!-- secret un -->\n\n<!--\n\nsecret deux\n\n-->\n\nVisible deux <kbd>Ctrl</kbd>.\n\n<script>secret trois</script>\n\n<style>.secret-quatre{}</style>\n\nFin &amp; suite.\n";
    let (r, diags) = render_md(md);
    // The script is pointed out (not the commented text) and taken out.
    assert_eq!(codes(&diags), [("raw-script", Some(13), Some(1))]);
    for seen in ["Visible un.", "Visible deux Ctrl.", "Fin & suite."] {
        assert!(r.text.contains(seen), "`{seen}` missing from {:?}", r.text);
    }
    assert!(!r.text.contains("secret"), "{:?}", r.text);
    // The rest of the raw HTML reaches the page, as CommonMark says, but
    // not the comments: the contributors' notes.
    assert!(!r.html.contains("secret"), "{}", r.html);
    assert!(r.html.contains("<kbd>Ctrl</kbd>"), "{}", r.html);
    assert!(
        !r.html.contains("<script") && !r.html.contains("secret trois"),
        "{}",
        r.html
    );
}

/// Parsed and written back by html5ever, so that two pages compare as
/// trees, not as spellings (`<br>` and `<br />`, `&nbsp;`, the space in
/// `text-align: left`).
fn dom(html: &str) -> String {
    scraper::Html::parse_fragment(html)
        .root_element()
        .html()
        .replace("text-align: ", "text-align:")
}

#[test]
fn raw_html_that_runs_code_is_taken_out_and_formatting_stays() {
    let md = "Appuyez sur <kbd>Ctrl</kbd>+<kbd>P</kbd>.\n\n\
<details><summary>Plus</summary>\n\nLe détail.\n\n</details>\n\n\
<img src=\"x.png\" alt=\"x\" onerror=\"alert(1)\">\n\n\
<a href=\"javascript:alert(2)\">lien</a> <a href=\"https://ent.example/\" target=\"_blank\">ENT</a>\n\n\
<iframe src=\"https://video.example/embed/1\" srcdoc=\"<script>alert(3)</script>\" allowfullscreen></iframe>\n\n\
<object data=\"x.swf\"></object><form action=\"https://x.example/\"><input name=\"p\"></form>\n\n\
<svg><script>alert(4)</script></svg><math><mi xlink:href=\"javascript:alert(5)\">x</mi></math>\n\n\
<div style=\"background:url(javascript:alert(6))\">bloc</div>\n\n<script>alert(7)</script>\n";
    let (r, diags) = render_md(md);
    assert!(codes(&diags).iter().any(|c| c.0 == "raw-script"), "{diags:?}");
    let low = r.html.to_ascii_lowercase();
    for bad in [
        "alert",
        "onerror",
        "javascript:",
        "srcdoc",
        "<object",
        "<form",
        "<svg",
        "<script",
        "background",
    ] {
        assert!(!low.contains(bad), "`{bad}` left in {}", r.html);
    }
    for kept in [
        "<kbd>Ctrl</kbd>",
        "<details><summary>Plus</summary>",
        "<p>Le détail.</p>",
        "alt=\"x\"",
        "<a href=\"https://ent.example/\" target=\"_blank\">ENT</a>",
        "<iframe src=\"https://video.example/embed/1\" allowfullscreen=\"\"></iframe>",
        ">bloc</div>",
    ] {
        assert!(r.html.contains(kept), "`{kept}` missing from {}", r.html);
    }
}

#[test]
fn sanitising_keeps_everything_the_markdown_writer_makes() {
    // Every construct fiches writes itself, and no raw HTML: this page is
    // not sanitised, so sanitising it must change nothing.
    let md = "# Titre\n\n## Étape *une* {#etape}\n\nTexte [lien](portail.md#x) et [web](https://ent.example/), \
`code`, ~~barré~~, note[^1], ![capture](capture.png \"titre\").\n\n\
> [!WARNING]\n> Attention.\n\n- [x] fait\n- [ ] à faire\n\n3. trois\n4. quatre\n\n\
| A | B |\n|:--|--:|\n| 1 | 2 |\n\n```bash\necho \"<b>\" && ls\n```\n\n[^1]: La note.\n";
    let (r, _) = render_md(md);
    assert!(
        r.html.contains("style=\"text-align") && r.html.contains("class=\"callout"),
        "{}",
        r.html
    );
    assert_eq!(dom(&sanitize::clean(&r.html)), dom(&r.html));
}

#[test]
fn comments_are_not_published_in_a_page_without_other_html() {
    let md = "Avant.\n\n<!-- mot de passe du compte : 1234 -->\n\nTexte <!-- à revoir --> suite, `<!-- code -->` et\n\n```html\n<!-- exemple -->\n```\n\n<!--\n\n## Note\n\nà vérifier\n\n-->\n\nFin.\n\n<!-- ouvert\n\nperdu\n";
    let (r, diags) = render_md(md);
    assert!(diags.is_empty(), "{diags:?}");
    for gone in ["1234", "à revoir", "à vérifier", "Note", "perdu"] {
        assert!(!r.html.contains(gone), "`{gone}` published: {}", r.html);
    }
    for kept in ["Avant.", "Texte  suite", "Fin.", "&lt;!-- code --&gt;", "exemple"] {
        assert!(r.html.contains(kept), "`{kept}` missing: {}", r.html);
    }
}

#[test]
fn headings_and_code_inside_a_comment_are_not_in_the_toc_or_the_index() {
    let (r, _) = render_md("<!--\n\n## Caché\n\n```sh\nrm -rf /\n```\n\n-->\n\n## Vu\n");
    let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["vu"]);
    assert!(!r.code.contains("rm -rf"), "{:?}", r.code);
    assert!(!r.text.contains("Caché"), "{:?}", r.text);
}

#[test]
fn code_fences_are_highlighted_escaped_and_indexed_apart() {
    let md =
        "Avant.\n\n```bash {.numeros}\necho \"<b>\" && ipconfig /all\n```\n\n```\n<script>alert(1)</script>\n```\n";
    let (r, diags) = render_md(md);
    assert!(diags.is_empty(), "{diags:?}");
    assert!(
        r.html
            .contains("<div class=\"code\" data-lang=\"bash\"><pre tabindex=\"0\" aria-label=\"Bloc de code\"><code>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("class=\"hl-"), "bash is highlighted: {}", r.html);
    assert!(!r.html.contains("<script>alert"), "{}", r.html);
    assert!(r.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{}", r.html);
    assert!(r.code.contains("ipconfig /all"), "{:?}", r.code);
    assert!(r.code.contains("<script>alert(1)</script>"), "{:?}", r.code);
    assert!(!r.text.contains("ipconfig"), "code is not prose: {:?}", r.text);
    assert!(r.text.contains("Avant."));
}

#[test]
fn an_unknown_language_is_escaped_not_highlighted() {
    let (r, _) = render_md("```inconnu\na < b\n```\n");
    assert!(
        r.html.contains("<div class=\"code\" data-lang=\"inconnu\"><pre tabindex=\"0\" aria-label=\"Bloc de code\"><code>a &lt; b\n</code></pre></div>"),
        "{}",
        r.html
    );
}

#[test]
fn callouts_tables_and_task_lists() {
    let md = "> [!WARNING]\n> Débranchez d'abord.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] fait\n- [ ] à faire\n";
    let (r, diags) = render_md(md);
    assert!(diags.is_empty(), "{diags:?}");
    assert!(
        r.html.contains(
            "<aside class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">Attention</p>"
        ),
        "{}",
        r.html
    );
    assert!(r.text.contains("Attention\nDébranchez d'abord."), "{:?}", r.text);
    assert!(
        r.html.contains("<div class=\"table-wrap\" tabindex=\"0\"><table>"),
        "{}",
        r.html
    );
    assert_eq!(r.task_count, 2);
    assert_eq!(r.html.matches("class=\"task\"").count(), 2);
    assert_eq!(r.html.matches(" checked>").count(), 1);
}

#[test]
fn text_from_content_is_escaped_in_attributes() {
    let (r, _) = render_md("## Wi-Fi \"a<b\" & 'c' {.x}\n\n![a<b \"c\"](/images/ent.png \"t\\\"<z>\")\n");
    assert!(
        r.html
            .contains("<h2 id=\"wi-fi-a-b-c\" class=\"x\">Wi-Fi \"a&lt;b\" &amp; 'c'</h2>"),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("alt=\"a&lt;b &quot;c&quot;\" title=\"t&quot;&lt;z&gt;\""),
        "{}",
        r.html
    );
}

#[test]
fn blocks_inside_a_tight_list_item_do_not_glue_words_in_the_indexed_text() {
    // A nested list, a quote and a callout right after the text of a tight
    // list item: each must stay a word of its own for search and snippets.
    let md = "1. Ouvrez le menu\n   - Réglages\n2. Choisissez l'imprimante\n   > Ouvrir la file\n3. Attendez\n   > [!NOTE]\n   > Patience.\n";
    let (r, diags) = render_md(md);
    assert!(diags.is_empty(), "{diags:?}");
    for glued in ["menuRéglages", "imprimanteOuvrir", "AttendezRemarque"] {
        assert!(!r.text.contains(glued), "`{glued}` in {:?}", r.text);
    }
    for word in ["menu\nRéglages", "l'imprimante\nOuvrir", "Attendez\nRemarque"] {
        assert!(r.text.contains(word), "`{word}` missing from {:?}", r.text);
    }
}

#[test]
fn a_path_that_leaves_the_static_or_content_folder_says_so_not_that_it_is_missing() {
    // `book.toml` exists, but outside `static/`: the message must say the
    // path leaves the folder (still an error, at the file's line), and
    // never whether the file is there.
    let md = "Intro.\n\n![x](/images/../../book.toml)\n\n[y](../../../book.toml)\n\n[z](/fiches/../../book.md)\n\n![w](/../../../../etc/passwd)\n";
    let (_, diags) = render_at(md, 4);
    assert_eq!(
        codes(&diags),
        [
            ("missing-image", Some(6), Some(1)),
            ("broken-link", Some(8), Some(1)),
            ("broken-link", Some(10), Some(1)),
            ("missing-image", Some(12), Some(1)),
        ]
    );
    let msgs: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        msgs[0],
        "image introuvable : `/images/../../book.toml` sort du dossier `static/` du site : rien d'autre n'est publié"
    );
    assert!(
        msgs[1].contains("sort des dossiers `content/` et `static/` du site"),
        "{}",
        msgs[1]
    );
    assert!(msgs[2].contains("sort du dossier `content/` du site"), "{}", msgs[2]);
    assert!(msgs[3].contains("sort du dossier `static/` du site"), "{}", msgs[3]);
    for d in &diags {
        assert_eq!(d.severity, Severity::Error);
        assert!(!d.message.contains("n'existe pas"), "{}", d.message);
        assert!(d.hint.is_some());
    }
    // A path that stays inside is still reported as missing.
    let (_, diags) = render_md("![a](/images/../images/absente.png)\n");
    assert!(diags[0].message.contains("n'existe pas"), "{}", diags[0].message);
}

#[test]
fn a_link_from_the_root_to_a_page_fiches_writes_leads_to_it() {
    // `/actions/` is the allowed-action page: no file of `static/`, no
    // Markdown, but a page of the site, reached from `file://` and under a
    // sub-path only by a relative link.
    let md = "[liste](/actions/) [agenda](/apero-tice/index.html#a-venir) [accueil](/) [r](/recherche/) [x](/suivi/)\n";
    let (r, diags) = render_md(md);
    assert!(r.html.contains("href=\"../../../actions/index.html\""), "{}", r.html);
    assert!(
        r.html.contains("href=\"../../../apero-tice/index.html#a-venir\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"../../../index.html\""), "{}", r.html);
    assert!(r.html.contains("href=\"../../../recherche/index.html\""), "{}", r.html);
    // A fixed page the site does not write (here `suivi`) is still broken.
    assert_eq!(codes(&diags), [("broken-link", Some(1), Some(91))]);
}

#[test]
fn a_link_whose_address_holds_a_space_is_a_warning_at_its_line() {
    // CommonMark reads no link there: the brackets are published as text.
    let md = "Intro.\n\nVoir [le pilote](Fiche élève.md) et ![l'écran](mon image.png).\n\n\
              Ceci [reste](<../eleves/Fiche élève.md>) un lien, [et ça](portail.md \"Le portail\") aussi.\n\n\
              ```\n[code](pas un lien.md)\n```\n";
    let (r, diags) = render_at(md, 5);
    assert_eq!(
        codes(&diags),
        [
            ("link-with-space", Some(7), Some(16)),
            ("link-with-space", Some(7), Some(46))
        ]
    );
    assert_eq!(diags[0].severity, Severity::Warning);
    assert!(diags[0].message.contains("`](Fiche élève.md)`"), "{}", diags[0].message);
    assert_eq!(
        diags[0].hint.as_deref(),
        Some("mettez l'adresse entre chevrons, `](<Fiche élève.md>)`, ou écrivez les espaces `%20`")
    );
    // The hint's form is a link to the sheet.
    assert!(
        r.html.contains("href=\"../../eleves/fiche-eleve/index.html\""),
        "{}",
        r.html
    );
}

/// `![…](images/ent.png)`, the mdBook habit, when the file is in
/// `static/images/`; or a path that misses the file beside a sheet: the
/// hint gives the address that reaches the file of that name.
#[test]
fn a_missing_image_whose_name_exists_elsewhere_gets_its_address() {
    let (_, diags) = render_md("![Écran](images/ent.png)\n\n![Capture](captures/capture.png)\n\n![Rien](rien.png)\n");
    assert_eq!(
        codes(&diags),
        [
            ("missing-image", Some(1), Some(1)),
            ("missing-image", Some(3), Some(1)),
            ("missing-image", Some(5), Some(1))
        ]
    );
    let hints: Vec<&str> = diags.iter().map(|d| d.hint.as_deref().unwrap_or("")).collect();
    assert_eq!(
        hints[0],
        "un fichier de ce nom existe : `static/images/ent.png`, qui s'écrit `/images/ent.png` (avec la barre du début)"
    );
    assert_eq!(
        hints[1],
        "un fichier de ce nom existe : `content/fiches/wifi/capture.png`, qui s'écrit d'ici `capture.png`"
    );
    assert!(
        hints[2].starts_with("les images et documents vont dans `static/`"),
        "{}",
        hints[2]
    );
}

/// What a teacher writes on Windows, where `fiches serve` finds it: an
/// image whose case differs from the file's (the school's server does not
/// find it), and a link to a sheet without its `.md` (the hint spoke of
/// images and `static/`).
#[test]
fn an_address_with_other_case_or_without_md_gets_the_one_to_write() {
    let (_, diags) = render_md(
        "![Écran](/images/ENT.PNG)\n\n![Capture](Capture.png)\n\n[Portail](portail#etapes)\n\n[Élève](../eleves/Fiche%20Élève.md)\n",
    );
    let hints: Vec<(&str, &str)> = diags
        .iter()
        .map(|d| (d.code, d.hint.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        hints,
        [
            ("missing-image", "le fichier s'écrit avec d'autres majuscules ou minuscules : `static/images/ent.png` ; écrivez `/images/ent.png` (le serveur les distingue, même si Windows ne le fait pas)"),
            ("missing-image", "le fichier s'écrit avec d'autres majuscules ou minuscules : `content/fiches/wifi/capture.png` ; écrivez `capture.png` (le serveur les distingue, même si Windows ne le fait pas)"),
            ("broken-link", "la fiche `content/fiches/wifi/portail.md` existe : un lien vers une fiche s'écrit avec son fichier, `portail.md#etapes`"),
            ("broken-link", "le fichier s'écrit avec d'autres majuscules ou minuscules : `content/fiches/eleves/Fiche élève.md` ; écrivez `../eleves/Fiche%20élève.md` (le serveur les distingue, même si Windows ne le fait pas)"),
        ]
    );
}

/// Addresses copied from the browser: the page's (`/fiches/wifi/portail/`),
/// a broken link whose hint names the sheet's file; `fiches serve`'s own
/// (`http://127.0.0.1:3000/…`), which passed silently and led every reader
/// to their own machine.
#[test]
fn addresses_copied_from_the_browser_are_pointed_out() {
    let (_, diags) = render_md(
        "[a](/fiches/wifi/portail/) [b](http://127.0.0.1:3000/fiches/wifi/portail/) [c](<http://localhost:3124/aide/>)\n\n![d](https://[::1]:3000/images/ent.png) [e](https://example.org/) [f](http://127.0.0.1.example.org/) [g](https://localhost.fr/)\n",
    );
    assert_eq!(
        codes(&diags),
        [
            ("broken-link", Some(1), Some(1)),
            ("local-link", Some(1), Some(28)),
            ("local-link", Some(1), Some(76)),
            ("local-link", Some(3), Some(1)),
        ],
        "{diags:#?}"
    );
    assert_eq!(
        diags[0].hint.as_deref(),
        Some("c'est l'adresse de la page de `content/fiches/wifi/portail.md` : un lien vers une fiche s'écrit avec son fichier, `/fiches/wifi/portail.md`")
    );
    assert!(
        diags[1].message.contains("mène à `127.0.0.1:3000`"),
        "{}",
        diags[1].message
    );
    assert!(diags[3].message.contains("mène à `[::1]:3000`"), "{}", diags[3].message);
}

/// `../portail/` (relative to the published page, as a browser resolves
/// it) and `/aide/fiches/…/` (with the base URL's path) name a sheet that
/// exists: the hint gives its file, written from this sheet's folder, not
/// « les images et documents vont dans `static/` ».
#[test]
fn a_sheet_named_by_its_published_address_gets_its_file_as_hint() {
    let (_, diags) = render_md("[a](../portail/) [b](/aide/fiches/wifi/portail/) [c](../../eleves/fiche-eleve/#x)\n");
    assert_eq!(
        codes(&diags),
        [
            ("broken-link", Some(1), Some(1)),
            ("broken-link", Some(1), Some(18)),
            ("broken-link", Some(1), Some(50))
        ],
        "{diags:#?}"
    );
    for (d, file, written) in [
        (&diags[0], "content/fiches/wifi/portail.md", "portail.md"),
        (&diags[1], "content/fiches/wifi/portail.md", "portail.md"),
        (
            &diags[2],
            "content/fiches/eleves/Fiche élève.md",
            "../eleves/Fiche%20élève.md",
        ),
    ] {
        let hint = d.hint.as_deref().unwrap_or_default();
        assert!(
            hint.contains(&format!("la page de `{file}`, telle que le navigateur l'affiche"))
                && hint.ends_with(&format!("`{written}`")),
            "{hint}"
        );
    }
    // Nothing of that name: the hint stays the general one.
    let (_, diags) = render_md("[a](../ailleurs/)\n");
    assert!(
        !diags[0].hint.as_deref().unwrap_or_default().contains("telle que"),
        "{diags:?}"
    );
}

/// A sheet renamed (`git mv`) with its old id in `aliases`: a link left
/// to the old file is still an error (the repository names the new one),
/// and its hint says which file it is now and how to write it from here.
#[test]
fn a_link_to_a_renamed_sheet_names_its_new_file() {
    let (_, diags) = render_md("[le portail](ancien-portail.md#etapes) et [autre](../wifi/ancien-portail.md)\n");
    assert_eq!(
        codes(&diags),
        [("broken-link", Some(1), Some(1)), ("broken-link", Some(1), Some(43))],
        "{diags:#?}"
    );
    for (d, written) in diags.iter().zip(["portail.md#etapes", "portail.md"]) {
        assert_eq!(
            d.hint.as_deref(),
            Some(format!("cette fiche a changé de fichier : c'est maintenant `content/fiches/wifi/portail.md` (son ancienne adresse est dans ses `aliases`) ; écrivez `{written}`").as_str())
        );
    }
}

/// A sheet renamed or moved (`git mv`) without `aliases` yet: the links
/// left to its old file say that `aliases` keeps its old published
/// address working, with the id to list; the same name in another folder
/// is named with how to write it from here.
#[test]
fn a_link_to_a_sheet_renamed_without_aliases_says_how_to_keep_its_address() {
    let (_, diags) = render_md("[a](station-meteo.md) et [b](../reseau/portail.md#etapes) et [c](../x/_index.md)\n");
    assert_eq!(codes(&diags).len(), 3, "{diags:#?}");
    let hint = |i: usize| diags[i].hint.clone().unwrap_or_default();
    assert!(
        hint(0).contains("vérifiez le chemin ou créez la fiche manquante"),
        "{}",
        hint(0)
    );
    assert!(
        hint(0).contains("si elle a changé de fichier (`git mv`), écrivez le nouveau et ajoutez dans son en-tête `aliases = [\"wifi/station-meteo\"]` : son ancienne adresse publiée (favoris, QR codes) mènera encore à elle"),
        "{}",
        hint(0)
    );
    assert_eq!(
        hint(1),
        "un fichier de ce nom existe : `content/fiches/wifi/portail.md` ; si la fiche y a été déplacée, écrivez `portail.md#etapes` et ajoutez dans son en-tête `aliases = [\"reseau/portail\"]` : son ancienne adresse publiée (favoris, QR codes) mènera encore à elle"
    );
    // A category's `_index.md` has no alias to offer.
    assert!(!hint(2).contains("aliases"), "{}", hint(2));
}

#[test]
fn remote_hosts_are_read_as_a_browser_reads_them() {
    for (url, host) in [
        ("https://cdn.example.net/a.png", Some("cdn.example.net")),
        ("HTTP://CDN.Example.NET./a.png", Some("cdn.example.net")),
        ("//img.example.net/p.jpg", Some("img.example.net")),
        ("\\\\serveur.example\\x.png", Some("serveur.example")),
        ("/\\evil.example/x.png", Some("evil.example")),
        (" \thttps://user:pw@h.example:8443/x", Some("h.example")),
        ("ht\ntps://split.example/x", Some("split.example")),
        ("https://[2001:db8::1]/x", Some("2001:db8::1")),
        ("http:host.example/x", Some("host.example")),
        ("/images/ent.png", None),
        ("images/ent.png", None),
        ("../capture.png", None),
        ("data:image/png;base64,AAAA", None),
        ("mailto:a@b.example", None),
        ("#section", None),
        ("C:/Users/prof/a.png", None),
    ] {
        assert_eq!(remote_host(url).as_deref(), host, "{url:?}");
    }
}

#[test]
fn raw_html_is_read_for_what_it_loads() {
    let h = "<p>a < b</p><IMG\n  alt='x' SRC = \"https&#58;//t.example/p.gif\"><!-- <img src=\"https://hidden.example/\"> -->\
             <a href=\"https://link.example/\">l</a><source srcset=\"//a.example/1.png 1x, /local.png 2x\">\
             <video poster=//v.example/p.jpg controls><iframe src=x.html>";
    let got: Vec<(&str, String)> = loaded_urls(h).into_iter().map(|(_, w, u)| (w, u)).collect();
    assert_eq!(
        got,
        [
            ("l'image", "https://t.example/p.gif".to_string()),
            ("la source de média", "//a.example/1.png".to_string()),
            ("la source de média", "/local.png".to_string()),
            ("l'affiche de la vidéo", "//v.example/p.jpg".to_string()),
            ("le cadre intégré (`<iframe>`)", "x.html".to_string()),
        ]
    );
    // Unclosed quotes and tags end the text, without a panic.
    assert_eq!(loaded_urls("<img src=\"https://a.example/").len(), 1);
    assert!(loaded_urls("<img src=").iter().all(|(_, _, u)| u.is_empty()));
    assert!(loaded_urls("<").is_empty());
}

#[test]
fn remote_images_are_found_and_hosts_allowed() {
    let md = "![a](https://cdn.example.net/a.png) [lien](https://example.org/)\n\n<img src=\"https://ent.example.fr/l.png\">\n";
    let (_, diags) = render_at(md, 5);
    let at: Vec<(usize, Severity)> = diags
        .iter()
        .filter(|d| d.code == "remote-resource")
        .map(|d| (d.line.unwrap(), d.severity))
        .collect();
    assert_eq!(at, [(5, Severity::Warning), (7, Severity::Warning)], "{diags:#?}");
    let check = crate::config::CheckConfig {
        remote_resources: crate::config::Level::Error,
        remote_hosts: vec!["ent.example.fr".into()],
        ..Default::default()
    };
    let ctx = PageCtx {
        source: "content/fiches/wifi/invite.md",
        body_line: 5,
        origin_root: "",
        page: "fiches/wifi/invite/index.html",
        strings: Strings::for_language_or_default("fr"),
        check: &check,
    };
    let mut diags = Vec::new();
    render(md, &ctx, &links(), &mut diags);
    let at: Vec<(usize, Severity)> = diags
        .iter()
        .filter(|d| d.code == "remote-resource")
        .map(|d| (d.line.unwrap(), d.severity))
        .collect();
    assert_eq!(at, [(5, Severity::Error)], "{diags:#?}");
}

/// An address written bare in the text is a link, as the forge's preview
/// shows it (GitHub's and GitLab's autolinks): a phone opens it with a
/// tap instead of a copy by hand. The punctuation that ends the sentence
/// stays out; code, links, a page of the author's own machine and a host
/// without a dot stay as written; the indexed text is the same (review26).
#[test]
fn an_address_written_bare_is_a_link() {
    let md = "Ouvrez https://ent.example.org/connexion. Puis www.example.net, ou (https://a.example.fr/x_(1)) !\n\n\
              Pas `https://code.example.org` ni [https://lien.example.org](https://lien.example.org).\n\n\
              Ni http://localhost:3000/fiches/ ni http://intranet/ ni «https://b.example.org».\n";
    let (r, diags) = render_md(md);
    assert!(diags.is_empty(), "{diags:?}");
    let h = &r.html;
    for (href, text) in [
        ("https://ent.example.org/connexion", "https://ent.example.org/connexion"),
        ("http://www.example.net", "www.example.net"),
        ("https://a.example.fr/x_(1)", "https://a.example.fr/x_(1)"),
        ("https://b.example.org", "https://b.example.org"),
    ] {
        assert!(
            h.contains(&format!("<a class=\"bare-url\" href=\"{href}\">{text}</a>")),
            "{href}: {h}"
        );
    }
    assert!(
        h.contains("</a>. Puis") && h.contains("</a>, ou") && h.contains("</a>)"),
        "{h}"
    );
    assert_eq!(h.matches("bare-url").count(), 4, "{h}");
    assert!(h.contains("<code>https://code.example.org</code>"), "{h}");
    assert!(h.contains("http://localhost:3000/fiches/ ni http://intranet/"), "{h}");
    assert!(
        r.text
            .contains("Ouvrez https://ent.example.org/connexion. Puis www.example.net"),
        "{}",
        r.text
    );
    // The text of a raw HTML link is not made a link inside it.
    let (r, _) =
        render_md("Voir <a href=\"https://x.example.org\">https://x.example.org</a> puis https://y.example.org\n");
    assert_eq!(r.html.matches("bare-url").count(), 1, "{}", r.html);
    assert!(r.html.contains("https://y.example.org</a>"), "{}", r.html);
}

/// `##Étapes`, the space forgotten: no heading in CommonMark (nor on the
/// forge), the page shows `##Étapes` and its table of contents lacks it.
/// A warning at its line with the line to write; a tag (`#wifi`), a
/// number (`##1`) and code stay quiet (review26).
#[test]
fn a_heading_without_its_space_is_a_warning_at_its_line() {
    let md = "Intro.\n\n##Étapes\n\n1. Un.\n\nTexte\n###Si cela ne marche pas\n\n#wifi ##1 `##Code`\n";
    let (_, diags) = render_at(md, 10);
    assert_eq!(
        codes(&diags),
        vec![
            ("heading-no-space", Some(12), Some(1)),
            ("heading-no-space", Some(17), Some(1))
        ],
        "{diags:?}"
    );
    assert!(diags[0].message.contains("`##Étapes`"), "{}", diags[0].message);
    assert_eq!(diags[0].hint.as_deref(), Some("`## Étapes`"));
    assert_eq!(diags[1].hint.as_deref(), Some("`### Si cela ne marche pas`"));
}

/// A code block whose closing ```` ``` ```` was forgotten swallows the
/// rest of the page: a warning at its opening line, with the fence to
/// write; closed blocks, a block a list or a quotation ends, and a
/// longer closing fence are fine.
#[test]
fn a_code_block_never_closed_is_a_warning_at_its_line() {
    let md = "Intro.\n\n```sh\nipconfig /all\n\n## Encore\n\n![Capot](capot.png)\n";
    let (html, diags) = render_at(md, 10);
    assert!(!html.html.contains("<h2"), "the heading is code: {}", html.html);
    assert_eq!(
        codes(&diags),
        vec![("code-fence-unclosed", Some(12), Some(1))],
        "{diags:?}"
    );
    assert!(diags[0].message.contains("(5 lignes)"), "{}", diags[0].message);
    assert_eq!(
        diags[0].hint.as_deref(),
        Some("fermez-le par une ligne ``` après la dernière ligne de code")
    );
    // The fence as opened: four backquotes, or tildes, in a list item.
    let (_, diags) = render_at("1. Ouvrez :\n\n   ~~~~\n   ls\n", 1);
    assert_eq!(
        codes(&diags),
        vec![("code-fence-unclosed", Some(3), Some(4))],
        "{diags:?}"
    );
    assert!(diags[0].hint.as_deref().unwrap().contains("ligne ~~~~ après"));
    for fine in [
        "```\ncode\n```\n",
        "```\ncode\n```",
        "```\ncode\n`````\n\nAprès.\n",
        "> ```\n> code\n> ```\n",
        "> ```\n> code\n\nAprès la citation.\n",
        "- ```\n  code\n\nAprès la liste.\n",
        "    indenté\n",
        "Un ``` dans le texte.\n",
    ] {
        let (_, diags) = render_at(fine, 1);
        assert_eq!(codes(&diags), vec![], "{fine:?}: {diags:?}");
    }
}

/// `address_start` finds what the three `str::find` calls it replaced
/// found first.
#[test]
fn address_start_is_the_first_of_the_three_marks() {
    let by_find = |t: &str| ["https://", "http://", "www."].iter().filter_map(|m| t.find(m)).min();
    let pieces = [
        "h", "w", "http", "https:/", "http://", "https://", "www", "www.", "ww.", "é", " ", "x", "hw", "wwww.",
    ];
    let n = pieces.len();
    for seed in 0..5_000usize {
        let mut t = String::new();
        let mut x = seed.wrapping_mul(2_654_435_761) | 1;
        for _ in 0..(1 + seed % 7) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            t.push_str(pieces[x % n]);
        }
        assert_eq!(super::address_start(&t), by_find(&t), "{t:?}");
    }
    assert_eq!(super::address_start("voir https://ent.fr"), Some(5));
    assert_eq!(super::address_start("aucune adresse"), None);
}

#[test]
fn a_mail_or_phone_link_carries_its_address_for_paper() {
    let md = "[Écrire au support](mailto:assistance@x.fr?subject=Aide \"Écrire\"), \
              [Appeler](tel:+33123456789), [assistance@x.fr](mailto:Assistance@x.fr), \
              [01 23 45 67 89](tel:+33123456789), <support@x.fr>, [site](https://x.fr/).\n\n\
              ## [Le standard](tel:0102030405)\n";
    let (r, diags) = render_md(md);
    assert!(diags.is_empty(), "{diags:?}");
    let h = &r.html;
    assert!(
        h.contains(r#"<a href="mailto:assistance@x.fr?subject=Aide" title="Écrire" data-print-address="assistance@x.fr">Écrire au support</a>"#),
        "{h}"
    );
    assert!(
        h.contains(r#"<a href="tel:+33123456789" data-print-address="+33123456789">Appeler</a>"#),
        "{h}"
    );
    assert!(h.contains(r#"data-print-address="0102030405">Le standard</a>"#), "{h}");
    // The text says it already: printed once.
    assert_eq!(h.matches("data-print-address").count(), 3, "{h}");
    assert!(
        h.contains(r#"<a href="mailto:Assistance@x.fr">assistance@x.fr</a>"#),
        "{h}"
    );
    assert!(h.contains(r#"<a href="mailto:support@x.fr">support@x.fr</a>"#), "{h}");
}

/// A reference link or a footnote whose definition is missing is
/// published as the brackets typed: a warning at its line and column; a
/// bare `[mot]` in prose, and defined references, are not reported.
#[test]
fn a_reference_defined_nowhere_is_a_warning_at_its_line() {
    let md = "Intro.\n\nVoir [la charte][charte] et la note[^1].\n";
    let (html, diags) = render_at(md, 10);
    assert!(!html.html.contains("<a "), "no link is made: {}", html.html);
    assert_eq!(
        codes(&diags),
        vec![
            ("reference-undefined", Some(12), Some(6)),
            ("reference-undefined", Some(12), Some(36))
        ],
        "{diags:?}"
    );
    assert!(diags[0].message.contains("[charte]"), "{}", diags[0].message);
    assert!(diags[0].hint.as_deref().unwrap().contains("[charte]: adresse"));
    assert!(diags[1].message.contains("[^1]"), "{}", diags[1].message);
    assert!(diags[1].hint.as_deref().unwrap().contains("[^1]: le texte"));
    let (_, diags) = render_at("Voir [la charte][].\n", 1);
    assert_eq!(
        codes(&diags),
        vec![("reference-undefined", Some(1), Some(6))],
        "{diags:?}"
    );
    for fine in [
        "Cliquez sur [Valider] puis [Fermer].\n",
        "Voir [la charte][c].\n\n[c]: https://exemple.fr/charte\n",
        "Une note[^n].\n\n[^n]: Le texte.\n",
        "`[x][y]` dans du code.\n",
    ] {
        let (_, diags) = render_at(fine, 1);
        assert_eq!(codes(&diags), vec![], "{fine:?}: {diags:?}");
    }
}

/// A tight list item has no paragraph event: a table not read there is
/// found as in a paragraph, at its line; a table read there is not.
#[test]
fn a_table_not_read_in_a_tight_list_item_is_a_warning_too() {
    let md = "Étapes :\n\n- Repérez la zone :\n  | Zone | Où ? | Comment |\n  |---|---|\n  - sous-étape\n- Fermez le capot\n";
    let (html, diags) = render_at(md, 20);
    assert!(!html.html.contains("<table"), "{}", html.html);
    assert_eq!(codes(&diags), vec![("table-not-read", Some(24), Some(3))], "{diags:?}");
    assert!(
        diags[0].message.contains("3 colonnes et sa ligne de séparation 2"),
        "{}",
        diags[0].message
    );
    // The first row on the item's own line, no separator, numbered list.
    let (_, diags) = render_at("1. | Zone | Où |\n   | B | droite |\n2. fin\n", 1);
    assert_eq!(codes(&diags), vec![("table-not-read", Some(2), Some(4))], "{diags:?}");
    // Read as a table in the item, or plain text in it: nothing said.
    for fine in [
        "- | Zone | Où |\n  |---|---|\n  | B | droite |\n- fin\n",
        "- Ouvrez | fermez\n- fin\n",
        "- un\n  - deux | trois\n",
    ] {
        let (_, diags) = render_at(fine, 1);
        assert_eq!(codes(&diags), vec![], "{fine:?}: {diags:?}");
    }
}

/// `[texte]()` and `![image]()`: an address forgotten.
#[test]
fn a_link_or_an_image_without_address_is_a_warning() {
    let (_, diags) = render_at("Ouvrez [le guide]() puis :\n\n![Capot]()\n", 5);
    assert_eq!(
        codes(&diags),
        vec![("link-empty", Some(5), Some(8)), ("link-empty", Some(7), Some(1))],
        "{diags:?}"
    );
    assert!(diags[0].message.contains("ramène le lecteur"), "{}", diags[0].message);
    assert!(diags[1].message.contains("n'affiche rien"), "{}", diags[1].message);
    let (_, diags) = render_at("[le guide](#etapes) et [l'ENT](https://ent.exemple.fr)\n", 1);
    assert_eq!(codes(&diags), vec![], "{diags:?}");
}

/// A separator row with fewer (or more) cells than the header, or none:
/// GFM reads no table, and the page shows pipes and dashes as text.
#[test]
fn a_table_gfm_does_not_read_is_a_warning_at_its_line() {
    let md = "Les zones :\n\n| Zone | Où ? | Comment |\n|---|\n| B | à droite | doucement |\n";
    let (html, diags) = render_at(md, 10);
    assert!(!html.html.contains("<table"), "{}", html.html);
    assert_eq!(codes(&diags), vec![("table-not-read", Some(13), Some(1))], "{diags:?}");
    assert!(
        diags[0]
            .message
            .contains("sa ligne d'en-tête a 3 colonnes et sa ligne de séparation 1"),
        "{}",
        diags[0].message
    );
    assert_eq!(
        diags[0].hint.as_deref(),
        Some("une séparation par colonne de l'en-tête : `| --- | --- | --- |`")
    );
    // More cells than the header, without edge pipes, in a quotation.
    let (_, diags) = render_at("> Zone | Où\n> :-- | --- | ---\n", 1);
    assert_eq!(codes(&diags), vec![("table-not-read", Some(2), Some(3))], "{diags:?}");
    assert!(diags[0].message.contains("2 colonnes et sa ligne de séparation 3"));
    // No separator at all.
    let (_, diags) = render_at("| Zone | Où |\n| B | droite |\n", 1);
    assert_eq!(codes(&diags), vec![("table-not-read", Some(2), Some(1))], "{diags:?}");
    assert_eq!(
        diags[0].hint.as_deref(),
        Some("ajoutez sous la première ligne, une séparation par colonne : `| --- | --- |`")
    );
    for fine in [
        "| Zone | Où |\n|---|:-:|\n| B | droite |\n",
        "Zone | Où\n--- | ---\n",
        "| a \\| b | c |\n| --- | --- |\n",
        "Texte | avec une barre.\n\nAutre | ligne.\n",
        "Un choix : oui | non\nsuite du texte\n",
        "```\n| a | b |\n|---|\n```\n",
        "Titre\n---\n",
    ] {
        let (html, diags) = render_at(fine, 1);
        assert_eq!(codes(&diags), vec![], "{fine:?}: {diags:?} {}", html.html);
    }
}

/// `..\wifi\capture.png`, a path as the Windows explorer writes it: the
/// hint said where images go, not that `\` is no folder on the web.
#[test]
fn a_path_written_with_backslashes_gets_it_with_slashes() {
    let (_, diags) = render_at(
        "![Capture](..\\wifi\\capture.png) et [la fiche](..\\wifi\\portail.md)\n",
        1,
    );
    let hints: Vec<(&str, Option<&str>)> = diags.iter().map(|d| (d.code, d.hint.as_deref())).collect();
    assert_eq!(
        hints,
        [
            (
                "missing-image",
                Some("dans une adresse, les dossiers se séparent par `/`, jamais par `\\` comme dans l'explorateur Windows : écrivez `../wifi/capture.png`")
            ),
            (
                "broken-link",
                Some("dans une adresse, les dossiers se séparent par `/`, jamais par `\\` comme dans l'explorateur Windows : écrivez `../wifi/portail.md`")
            ),
        ]
    );
}

#[test]
fn a_links_text_is_marked_for_search() {
    // rank32: search weighs a link's text less than the page's own words
    // (it names the page it points to); the text keeps the words, between
    // marks that snippets drop and the page's length does not count.
    let (r, _) =
        render_md("Le compte reste bloqué. Voir [la fiche du copieur](https://example.org/copieur) puis l'ENT.\n");
    let (s, e) = (fiches_search::LINK_START, fiches_search::LINK_END);
    assert!(
        r.text.contains(&format!("Voir {s}la fiche du copieur{e} puis")),
        "{:?}",
        r.text
    );
    assert_eq!(
        r.text_chars,
        r.text.chars().count() - 2,
        "the marks are not the page's length: {:?}",
        r.text
    );
    let (r, _) = render_md("Rien à lier ici.\n");
    assert!(!r.text.contains([s, e]), "{:?}", r.text);
}
