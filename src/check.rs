//! `fiches check`: everything `build` rejects (through `build::prepare`),
//! plus findings that do not stop a build: undocumented actions, stale
//! sheets, sheets to revalidate, images without alternative text,
//! duplicate titles, a truncated git history. Every code is listed with
//! its fix in `docs/check.md`.

use crate::build::{self, Options};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::followup::{self, FollowUp};
use crate::model::{DocKind, Site};
use crate::render::Bodies;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Runs every validation on the site at `root`; writes nothing.
pub fn run(root: &Path, opts: &Options) -> Diagnostics {
    let mut d = match build::prepare(root, opts) {
        Ok(p) if p.diags.has_errors() => {
            // The errors are exactly what `build` prints, and the findings
            // of `check` itself are added, so that one run shows everything
            // to fix. An action may look undocumented only because its
            // sheet failed to load: that finding waits for a clean site.
            let mut d = p.diags;
            d.extend(
                findings(&p.site, &p.bodies)
                    .into_iter()
                    .filter(|d| d.code != "action-undocumented" && d.severity != Severity::Error),
            );
            d
        }
        Ok(p) => {
            let theme = theme_errors(&p.site);
            let written = match theme {
                Some(_) => Vec::new(),
                None => written_findings(&p),
            };
            let mut d = p.diags;
            d.extend(theme);
            d.extend(written);
            d.extend(findings(&p.site, &p.bodies));
            d
        }
        Err(d) => d,
    };
    d.extend(output_dir_finding(root));
    d.sort();
    d
}

/// The files a merge request changes (`check PATHS…`, `--changed-since`):
/// the whole site is checked, but only their warnings are shown (a stale
/// sheet the request did not touch is not its business). Errors are all
/// shown, wherever they are: a link to a sheet the request renamed or
/// deleted is an error of an untouched sheet, and the build fails on it.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Paths relative to the site root, `/` separated: files, or folders
    /// (everything under them).
    paths: Vec<String>,
}

impl Selection {
    pub fn new(paths: impl IntoIterator<Item = String>) -> Self {
        let mut paths: Vec<String> = paths.into_iter().map(|p| p.trim_end_matches('/').to_string()).collect();
        paths.sort();
        paths.dedup();
        Selection { paths }
    }

    /// How many paths were given (files and folders).
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    /// Whether a finding about `file` is shown: the file, or a file under a
    /// folder, that was given; the site's root (`.`) selects everything.
    pub fn contains(&self, file: &str) -> bool {
        self.paths.iter().any(|p| {
            p.is_empty()
                || p == "."
                || file == p
                || file.strip_prefix(p.as_str()).is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// Leaves out the warnings about files outside the selection; errors,
    /// and findings about the whole site (no file: a shallow git history),
    /// stay. Returns how many were left out.
    pub fn keep_selected(&self, diags: &mut Diagnostics) -> usize {
        let before = diags.items.len();
        diags
            .items
            .retain(|d| d.severity == Severity::Error || d.file.is_empty() || self.contains(&d.file));
        before - diags.items.len()
    }
}

/// `path` (as given on the command line: from the current folder, or
/// absolute) relative to the site's root, `/` separated. A file that no
/// longer exists (deleted or renamed by the merge request) is accepted.
pub fn site_relative(root: &Path, path: &Path) -> Result<String, String> {
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    // Real paths where they exist (a link, `/tmp` on macOS), the rest as
    // written: a deleted file's folder may still exist.
    let real = |p: &Path| -> std::path::PathBuf {
        let p = cwd.join(p);
        let mut missing = Vec::new();
        let mut at = p.as_path();
        loop {
            if let Ok(r) = at.canonicalize() {
                return missing.iter().rev().fold(r, |acc, c| acc.join(c));
            }
            match (at.parent(), at.file_name()) {
                (Some(parent), Some(name)) => {
                    missing.push(name.to_os_string());
                    at = parent;
                }
                _ => return p,
            }
        }
    };
    let root_real = real(root);
    let given = real(path);
    match given.strip_prefix(&root_real) {
        Ok(rel) => Ok(crate::diagnostics::rel_string(rel)),
        Err(_) => Err(format!(
            "`{}` n'est pas dans le site ({}) : donnez des chemins de fichiers ou de dossiers du site",
            path.display(),
            root.display()
        )),
    }
}

/// The theme is only read when writing: load it and compile its templates
/// here, so that a typo there fails `check` as it fails `build`.
fn theme_errors(site: &Site) -> Option<Diagnostic> {
    match crate::theme::Theme::load(&site.root, &site.config.build.theme) {
        Ok(theme) => crate::render::Renderer::new(&theme, site.strings(), String::new()).err(),
        Err(e) => Some(e),
    }
}

/// What only writing the site shows, as `build` says it: a template that
/// fails on a page, and the offline budget (`offline-budget`, measured on
/// the files written: a category that no longer fits failed no `check
/// --strict` in CI while every build warned). The site is written into a
/// temporary folder outside it, removed after (and by Ctrl-C: `main.rs`).
fn written_findings(p: &build::Prepared) -> Vec<Diagnostic> {
    // Without offline use nor templates of its own, writing finds nothing.
    let own_templates =
        crate::theme::Theme::load(&p.site.root, &p.site.config.build.theme).is_ok_and(|t| !t.own.is_empty());
    if !p.site.config.offline.enabled && !own_templates {
        return Vec::new();
    }
    write_aside(p, !own_templates, None)
}

/// The offline budget's findings, as `build` says them: for `serve`,
/// which writes no service worker nor index into its folder, so measures
/// nothing there (a référent who only ran `serve` saw « 0 avertissement »
/// where `build` said `offline-budget`).
/// The search documents are given: `serve` copies them before its
/// search writer takes the bodies' text.
pub(crate) fn offline_findings_with(p: &build::Prepared, docs: Vec<fiches_search::SearchDoc>) -> Vec<Diagnostic> {
    if !p.site.config.offline.enabled {
        return Vec::new();
    }
    write_aside(p, true, Some(docs))
}

/// Writes the site (only what the offline budget measures when
/// `offline_only`) into a temporary folder outside it, removed after, and
/// returns what writing found.
fn write_aside(
    p: &build::Prepared,
    offline_only: bool,
    docs: Option<Vec<fiches_search::SearchDoc>>,
) -> Vec<Diagnostic> {
    let prefix = format!(".check.fiches-{}-", std::process::id());
    let parent = std::env::temp_dir();
    // What a killed check left.
    crate::output::remove_leftovers(&parent, ".check.fiches-", true);
    crate::output::hold(&parent, &prefix, true);
    let tmp = match tempfile::Builder::new().prefix(&prefix).tempdir_in(&parent) {
        Ok(t) => t,
        // Nowhere to write: the other checks still run.
        Err(_) => return Vec::new(),
    };
    let wopts = build::WriteOptions {
        inject: None,
        progress: false,
        // The index is in the offline core; without offline use, only the
        // pages are wanted (about half the time at 3,000 sheets).
        search: p.site.config.offline.enabled,
        // The default templates do not fail on a page: without templates of
        // its own, only what the offline budget measures is written (at
        // 3,000 sheets in no marked category, the fixed pages alone).
        offline_only,
        // The index's 2,535 files at 3,000 sheets are measured, not written.
        measure_only: true,
    };
    let written = match docs {
        Some(docs) => build::write_all_over(p, docs, tmp.path(), &wopts, None),
        None => build::write_all(p, tmp.path(), &wopts),
    };
    let found = match written {
        Ok(stats) => stats.offline.warnings,
        Err(d) => d.items,
    };
    // Removed as `build` removes a replaced output (in the background from
    // the command line): thousands of files at 3,000 sheets.
    crate::output::discard(&tmp.keep(), "check");
    found
}

/// An `output-dir` that a build would refuse (`content`, `.`, `..`).
fn output_dir_finding(root: &Path) -> Option<Diagnostic> {
    let config = crate::config::load(root).ok()?;
    let out = build::output_dir(root, None);
    let pools: Vec<_> = config.pool.into_iter().map(|p| p.path).collect();
    crate::output::check_output_place(root, &out, &pools, build::output_given(root, None)).err()
}

/// Findings that only `check` reports. Those about the content of a pool
/// (a shared sheet's age, alt text, validation) belong to the pool's own
/// repository, where the same check runs: a school cannot fix them, so they
/// would only make its `--strict` pipeline fail. Actions are the exception:
/// knowing which shared actions still lack a sheet is the point.
pub fn findings(site: &Site, bodies: &Bodies) -> Vec<Diagnostic> {
    let f = followup::compute(site);
    let mut out = followup_findings(&f);
    images_without_alt(site, bodies, &mut out);
    heavy_images(site, bodies, &mut out);
    heavy_pages(site, &mut out);
    template_text(site, &mut out);
    anchors_across_pools(site, bodies, &mut out);
    duplicate_titles(site, &mut out);
    if site.history.is_shallow() {
        let why = site
            .history
            .warning()
            .unwrap_or("historique git incomplet (clone superficiel)");
        out.push(
            Diagnostic::warning("git-shallow", "", format!("{why} ; les fiches datées du plus ancien commit ne sont pas vérifiées pour la revalidation"))
                .hint("en intégration continue : `GIT_DEPTH: 0` (GitLab) ou `fetch-depth: 0` (GitHub) ; en local : `git fetch --unshallow`"),
        );
    }
    out
}

fn followup_findings(f: &FollowUp) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let at = |d: Diagnostic, line: Option<usize>| match line {
        Some(l) => d.at(l, None),
        None => d,
    };
    for a in &f.undocumented_actions {
        let mut d = Diagnostic::warning(
            "action-undocumented",
            &a.file,
            format!(
                "l'action `{}` (« {} ») n'est documentée par aucune fiche",
                a.id, a.title
            ),
        )
        .hint(format!(
            "écrivez une fiche avec `action = \"{}\"` dans son en-tête (`fiches new fiche <catégorie>/<nom>`)",
            a.id
        ));
        if !a.drafts.is_empty() {
            d.message
                .push_str(&format!(" publiée (brouillon en cours : {})", a.drafts.join(", ")));
        }
        out.push(at(d, a.line));
    }
    for i in f.stale.iter().filter(|i| i.origin.is_none()) {
        out.push(at(
            Diagnostic::warning(
                "sheet-stale",
                &i.file,
                format!("fiche ancienne : {} (seuil : {} jours)", i.detail, f.stale_after_days),
            )
            .hint(
                "relisez la fiche ; si elle est toujours juste, mettez `updated` à la date du jour, sinon corrigez-la",
            ),
            i.line,
        ));
    }
    for i in f.to_revalidate.iter().filter(|i| i.origin.is_none()) {
        out.push(at(
            Diagnostic::warning("sheet-revalidate", &i.file, format!("à faire revalider : {}", i.detail))
                .hint("faites valider la nouvelle version par la collectivité, puis mettez `on` de `[validation]` à la date de cette validation"),
            i.line,
        ));
    }
    out
}

/// A sheet, session or path published with the text `fiches new` wrote for its
/// author to replace (« 1. Première chose à faire. »): once per file, at
/// the first such line.
fn template_text(site: &Site, out: &mut Vec<Diagnostic>) {
    let placeholders: Vec<&str> = crate::scaffold::placeholder_lines().collect();
    let sheets = site
        .sheets
        .iter()
        .filter(|s| s.origin.is_none() && !s.draft)
        .map(|s| (&s.source, &s.body, s.body_line));
    let sessions = site.sessions.iter().map(|s| (&s.source, &s.body, s.body_line));
    let paths = site.paths.iter().map(|p| (&p.source, &p.body, p.body_line));
    for (source, body, body_line) in sheets.chain(sessions).chain(paths) {
        let found = body.lines().enumerate().find(|(_, l)| placeholders.contains(&l.trim()));
        if let Some((i, l)) = found {
            out.push(
                Diagnostic::warning(
                    "template-text",
                    source,
                    format!("la page contient encore le texte du modèle de `fiches new` : « {} »", l.trim()),
                )
                .at(body_line + i, None)
                .hint("remplacez-le par ce qu'il faut faire ou savoir, ou supprimez la section ; tant que la page n'est pas prête : `draft = true`"),
            );
        }
    }
}

/// Above this, an image is a photo straight from a phone or a camera
/// (3 to 12 MiB): every reader on a phone downloads it whole, on the
/// school's Wi-Fi or their data plan, and it takes an offline budget.
pub const HEAVY_IMAGE: u64 = 1024 * 1024;

fn heavy_images(site: &Site, bodies: &Bodies, out: &mut Vec<Diagnostic>) {
    let pooled = |source: &str| site.config.pool.iter().any(|p| Path::new(source).starts_with(&p.path));
    let mut seen = std::collections::HashSet::new();
    for d in site.documents() {
        let Some(source) = d.file.filter(|s| !pooled(s)) else {
            continue;
        };
        for (line, column, src, file) in &bodies.of(&d).image_files {
            let Ok(meta) = std::fs::metadata(site.root.join(file)) else {
                continue;
            };
            // One finding per image and page, the first place it is shown.
            if meta.len() <= HEAVY_IMAGE || !seen.insert((source, file)) {
                continue;
            }
            let mib = format!("{:.1}", meta.len() as f64 / (1024.0 * 1024.0)).replace('.', ",");
            out.push(
                Diagnostic::warning(
                    "image-heavy",
                    source,
                    format!("l'image `{src}` pèse {mib} Mio : chaque lecteur la télécharge en entier, sur son téléphone aussi"),
                )
                .at(*line, Some(*column))
                .hint("réduisez-la à 1 600 pixels de large au plus (JPEG qualité 80 pour une photo, PNG pour une capture d'écran) : quelques centaines de Kio suffisent"),
            );
        }
    }
}

/// Above this, a sheet's Markdown is no procedure but something pasted (a
/// log, a whole register, an image as text): the longest sheets of the
/// corpora weigh tens of KiB, and each reader downloads the page whole.
pub const HEAVY_PAGE: u64 = 1024 * 1024;

/// A page whose Markdown weighs more than `HEAVY_PAGE` (a 5 MB
/// line from a merge request was published without a word).
fn heavy_pages(site: &Site, out: &mut Vec<Diagnostic>) {
    let pooled = |source: &str| site.config.pool.iter().any(|p| Path::new(source).starts_with(&p.path));
    for d in site.documents() {
        let Some(source) = d.file.filter(|s| !pooled(s)) else {
            continue;
        };
        // The body in memory: no file read again (50,000 sheets).
        let len = d.body.len() as u64;
        if len <= HEAVY_PAGE {
            continue;
        }
        let mib = format!("{:.1}", len as f64 / (1024.0 * 1024.0)).replace('.', ",");
        out.push(
            Diagnostic::warning(
                "page-heavy",
                source,
                format!("la page pèse {mib} Mio de texte : chaque lecteur la télécharge en entier, sur son téléphone aussi (une fiche de procédure pèse quelques dizaines de Kio)"),
            )
            .hint("un journal, un registre ou une sortie de commande collés : gardez dans la fiche les lignes utiles et joignez le reste en fichier (`static/documents/journal.txt`, écrit `/documents/journal.txt`), ou découpez la page en plusieurs fiches"),
        );
    }
}

fn images_without_alt(site: &Site, bodies: &Bodies, out: &mut Vec<Diagnostic>) {
    let pooled = |source: &str| site.config.pool.iter().any(|p| Path::new(source).starts_with(&p.path));
    let pages = site.documents().filter_map(|d| Some((d.file?, bodies.of(&d))));
    for (source, body) in pages {
        if pooled(source) {
            continue;
        }
        for (line, column, src) in &body.images_without_alt {
            out.push(
                Diagnostic::warning("image-no-alt", source, format!("l'image `{src}` n'a pas de texte alternatif"))
                    .at(*line, Some(*column))
                    .hint("décrivez l'image entre les crochets, pour qui ne la voit pas : `![Écran de connexion de l'ENT](/images/ent.png)`"),
            );
        }
    }
}

/// `build` checks `page.md#section` when `page.md` is the file itself. A
/// link written in a pool reaches a sheet through another root (the local
/// override of `compte-invite.md`), which build does not follow: checked
/// here, since an override that lacks the section breaks the pool's link.
fn anchors_across_pools(site: &Site, bodies: &Bodies, out: &mut Vec<Diagnostic>) {
    let by_url: HashMap<&str, usize> = site
        .sheets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.url.as_str(), i))
        .collect();
    let pages: Vec<(&str, &crate::markdown::Rendered)> = site
        .documents()
        .filter(|d| d.kind != DocKind::Category)
        .map(|d| (d.source(), bodies.of(&d)))
        .collect();
    let real: HashSet<&str> = pages.iter().map(|(s, _)| *s).collect();
    for (source, body) in &pages {
        for r in &body.anchor_refs {
            if real.contains(r.target_source.as_str()) {
                continue;
            }
            let Some(&i) = site.pages.get(&r.target_source).and_then(|u| by_url.get(u.as_str())) else {
                continue;
            };
            let target = &bodies.sheets[i].anchors;
            // Footnote and task anchors are generated by the renderer, as in build.
            if target.contains(&r.anchor) || r.anchor.starts_with("fn") || r.anchor.starts_with("action-") {
                continue;
            }
            let mut names: Vec<&str> = target.iter().map(String::as_str).collect();
            names.sort();
            out.push(
                Diagnostic::warning(
                    "broken-anchor",
                    *source,
                    format!(
                        "la section `#{}` n'existe pas dans `{}`",
                        r.written, site.sheets[i].source
                    ),
                )
                .at(r.line, Some(r.column))
                .hint(match crate::tomlerr::closest(&r.anchor, &names) {
                    Some(k) => format!("vouliez-vous dire `#{k}` ?"),
                    None => format!("sections de cette page : {}", names.join(", ")),
                }),
            );
        }
    }
}

/// Two sheets with the same title (ignoring case and accents) are hard to
/// tell apart in search results and lists.
fn duplicate_titles(site: &Site, out: &mut Vec<Diagnostic>) {
    let mut titles: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    // A title read leniently (`header_error`) may be the line left out.
    for (i, s) in site.sheets.iter().enumerate().filter(|(_, s)| !s.header_error) {
        titles
            .entry(deunicode::deunicode(s.title.trim()).to_lowercase())
            .or_default()
            .push(i);
    }
    for same in titles.values().filter(|v| v.len() > 1) {
        for &i in same {
            let s = &site.sheets[i];
            if s.origin.is_some() {
                continue;
            }
            let others: Vec<String> = same
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| format!("`{}`", site.sheets[j].source))
                .collect();
            let mut d = Diagnostic::warning(
                "duplicate-title",
                &s.source,
                format!("le titre « {} » est aussi celui de {}", s.title, others.join(", ")),
            )
            .hint("donnez à chaque fiche un titre qui la distingue (l'appareil, le logiciel, le public…)");
            if let Some(l) = followup::front_matter_line(site, &s.source, "title") {
                d = d.at(l, None);
            }
            out.push(d);
        }
    }
}
