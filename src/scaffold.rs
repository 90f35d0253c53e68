//! `fiches init` and `fiches new`: a content repository ready to push, and
//! new sheets and sessions from templates. The templates live in
//! `scaffold/` at the top of this repository and are embedded in the binary,
//! so that the one executable is all a school needs.

use crate::slug::slugify;
use std::path::{Path, PathBuf};

/// Every file of a new site: destination path, template. Dot-files are
/// stored without their dot, so that `scaffold/` itself is not taken for a
/// GitLab or GitHub configuration, nor its `.gitignore` applied here.
const INIT_FILES: &[(&str, &str)] = &[
    ("book.toml", include_str!("../scaffold/init/book.toml")),
    (
        "content/actions.toml",
        include_str!("../scaffold/init/content/actions.toml"),
    ),
    (
        "content/fiches/wifi/_index.md",
        include_str!("../scaffold/init/content/fiches/wifi/_index.md"),
    ),
    (
        "content/fiches/wifi/compte-invite.md",
        include_str!("../scaffold/init/content/fiches/wifi/compte-invite.md"),
    ),
    (
        "content/apero-tice/2025-11-14-wifi-invites.md",
        include_str!("../scaffold/init/content/apero-tice/2025-11-14-wifi-invites.md"),
    ),
    (
        "content/parcours/premiers-pas.md",
        include_str!("../scaffold/init/content/parcours/premiers-pas.md"),
    ),
    (
        "static/images/ticket-invite.svg",
        include_str!("../scaffold/init/static/images/ticket-invite.svg"),
    ),
    ("CONTRIBUTING.md", include_str!("../scaffold/init/CONTRIBUTING.md")),
    ("README.md", include_str!("../scaffold/init/README.md")),
    (".gitignore", include_str!("../scaffold/init/gitignore")),
    (".gitlab-ci.yml", include_str!("../scaffold/init/gitlab-ci.yml")),
    (
        ".github/workflows/fiches.yml",
        include_str!("../scaffold/init/github-workflow.yml"),
    ),
];

const SHEET_TEMPLATE: &str = include_str!("../scaffold/new/fiche.md");
const SESSION_TEMPLATE: &str = include_str!("../scaffold/new/apero.md");
const CATEGORY_TEMPLATE: &str = include_str!("../scaffold/new/_index.md");
const PATH_TEMPLATE: &str = include_str!("../scaffold/new/parcours.md");

/// The lines of text that `fiches new` writes for the writer to replace
/// (`1. Première chose à faire.`, `- …`): `check` points out a published
/// page that still holds one.
pub fn placeholder_lines() -> impl Iterator<Item = &'static str> {
    [SHEET_TEMPLATE, SESSION_TEMPLATE, PATH_TEMPLATE]
        .into_iter()
        .flat_map(|t| {
            // The body: what follows the front matter's closing `+++`.
            t.splitn(3, "+++\n")
                .nth(2)
                .unwrap_or("")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
        })
}

/// Where the CI templates download fiches from: `<url>/v<version>/` holds
/// the files of scripts/release.sh. Set `FICHES_DOWNLOAD_URL` when building
/// the binary to give new sites the right address.
const FICHES_DOWNLOAD: &str = match option_env!("FICHES_DOWNLOAD_URL") {
    Some(u) => u,
    None => "https://forge.example.org/api/v4/projects/outils%2Ffiches/packages/generic/fiches",
};

/// The git address of fiches, for the compile-from-source fallback that the
/// CI templates document (`FICHES_GIT_URL` when building the binary).
const FICHES_GIT: &str = match option_env!("FICHES_GIT_URL") {
    Some(u) => u,
    None => "https://forge.example.org/outils/fiches.git",
};

const DEFAULT_TITLE: &str = "Aide numérique";

/// What `init` did with each file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Created(PathBuf),
    /// Already there (a README of a fresh forge repository): left untouched.
    Kept(PathBuf),
    /// A `.gitignore` already there, which lacked these lines of ours
    /// (`/public/`…): added at its end, nothing of it changed. Kept as it
    /// was, the first `git add .` put the built site in the repository.
    Completed(PathBuf, Vec<String>),
}

/// A TOML basic string, quotes and escapes included.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `compte-invite` → `Compte invite`: a starting point when no title is
/// given (accents cannot be guessed back, hence the hint printed by `main`).
pub fn title_from_slug(slug: &str) -> String {
    let words = slug.rsplit('/').next().unwrap_or(slug).replace(['-', '_'], " ");
    let mut c = words.trim().chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Creates a content repository in `dir` (created if needed). Refuses when
/// `dir` already holds a `book.toml`; never overwrites any other file.
/// `url` (`--url`) is the full address the site will be published at: it
/// becomes `base-url`, so that a new site's QR codes, feeds and calendar
/// carry links that open, and `check` has nothing to say about it.
pub fn init(dir: &Path, title: Option<&str>, url: Option<&str>) -> Result<Vec<Written>, String> {
    let url = url.map(site_address).transpose()?;
    if dir.join(crate::config::CONFIG_FILE).exists() {
        return Err(format!(
            "`{}` existe déjà : `fiches init` ne remplace jamais un site existant (supprimez-le d'abord, ou choisissez un autre dossier)",
            dir.join(crate::config::CONFIG_FILE).display()
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("impossible de créer le dossier `{}` : {e}", dir.display()))?;
    // The repository name is, on GitLab and GitHub Pages, the path of the site.
    let name = dunce::canonicalize(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let slug = slugify(&name);
    let base_url = match url {
        Some(url) => url,
        None if slug.is_empty() => "/".to_string(),
        None => format!("/{slug}/"),
    };
    let title = title.map(str::to_string).unwrap_or_else(|| DEFAULT_TITLE.to_string());
    let mut done = Vec::new();
    for (rel, template) in INIT_FILES {
        let path = dir.join(rel);
        if path.exists() {
            done.push(match *rel == ".gitignore" {
                true => complete_gitignore(&path, template)?,
                false => Written::Kept(path),
            });
            continue;
        }
        let text = template
            .replace("@TITLE@", &toml_string(&title))
            .replace("@BASE_URL@", &toml_string(&base_url))
            .replace("@FICHES_GIT@", FICHES_GIT)
            .replace("@FICHES_DOWNLOAD@", FICHES_DOWNLOAD)
            // The CI of a new site pins the version that created it.
            .replace("@FICHES_VERSION@", env!("CARGO_PKG_VERSION"));
        crate::files::create_new(&path, text.as_bytes())?;
        done.push(Written::Created(path));
    }
    Ok(done)
}

/// The full address `--url` gives, ending with `/` as `base-url` does;
/// anything without `http(s)://` and a host is refused with an example.
fn site_address(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or("");
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || host.contains(char::is_whitespace) || url.contains(['?', '#', '"']) {
        return Err(format!(
            "`--url {url}` n'est pas une adresse complète : écrivez par exemple `--url https://college.example.org/aide-numerique/`"
        ));
    }
    Ok(match url.ends_with('/') {
        true => url.to_string(),
        false => format!("{url}/"),
    })
}

/// Adds to an existing `.gitignore` the patterns of `ours` it lacks (a
/// line written with or without its leading `/` counts), under our
/// comment; `Kept` when none lacks.
fn complete_gitignore(path: &Path, ours: &str) -> Result<Written, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("lecture impossible de `{}` : {e}", path.display()))?;
    let norm = |l: &str| l.trim().trim_start_matches('/').trim_end_matches('/').to_string();
    let have: std::collections::HashSet<String> = text.lines().map(norm).collect();
    let missing: Vec<String> = ours
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#') && !have.contains(&norm(l)))
        .map(str::to_string)
        .collect();
    if missing.is_empty() {
        return Ok(Written::Kept(path.to_path_buf()));
    }
    let mut add = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        add.push('\n');
    }
    add.push_str("\n# Ajouté par `fiches init` : le site construit et les outils de l'intégration continue.\n");
    for l in &missing {
        add.push_str(l);
        add.push('\n');
    }
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(|e| format!("écriture impossible dans `{}` : {e}", path.display()))?;
    std::io::Write::write_all(&mut f, add.as_bytes())
        .map_err(|e| format!("écriture impossible dans `{}` : {e}", path.display()))?;
    Ok(Written::Completed(path.to_path_buf(), missing))
}

fn require_site(root: &Path) -> Result<(), String> {
    if root.join(crate::config::CONFIG_FILE).is_file() {
        Ok(())
    } else {
        Err(format!(
            "aucun `book.toml` dans `{}` : placez-vous dans le dossier du site, indiquez-le avec `--root`, ou créez un site avec `fiches init`",
            root.display()
        ))
    }
}

/// Checks one path segment typed by a user: no way out of `content/`, no
/// hidden file, nothing a file system of the school's computers refuses.
fn check_segment(seg: &str, whole: &str) -> Result<(), String> {
    if seg.is_empty() || seg == "." || seg == ".." || seg.starts_with('.') {
        return Err(format!(
            "chemin invalide `{whole}` : chaque partie doit être un nom, par exemple `wifi/compte-invite`"
        ));
    }
    if let Some(c) = seg.chars().find(|c| "\\:*?\"<>|".contains(*c) || c.is_control()) {
        return Err(format!(
            "chemin invalide `{whole}` : le caractère `{c}` n'est pas permis dans un nom de fichier"
        ));
    }
    Ok(())
}

/// What `fiches new` wrote, relative to the site's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    /// The new sheet or session.
    pub file: PathBuf,
    /// The `_index.md` of each category folder it created whose name was
    /// typed with accents, capitals or spaces: its title as typed.
    pub categories: Vec<(PathBuf, String)>,
    /// The title was made from a name typed as an address
    /// (`oublier-reseau` → « Oublier reseau »): its accents are to check.
    /// A name typed as a title (`"Oublier le réseau"`) is kept as typed.
    pub title_guessed: bool,
}

/// Capitalised as typed (`wi-fi élèves` → `Wi-fi élèves`).
fn capitalised(typed: &str) -> String {
    let mut c = typed.trim().chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `fiches new fiche <category>/<slug>`: the new file, relative to `root`.
pub fn new_sheet(root: &Path, spec: &str, title: Option<&str>) -> Result<Made, String> {
    require_site(root)?;
    let spec = spec.trim().trim_matches('/');
    let spec = spec.strip_suffix(".md").unwrap_or(spec);
    let spec = spec.strip_prefix("content/fiches/").unwrap_or(spec);
    if !spec.contains('/') {
        return Err(format!(
            "`{spec}` : indiquez la catégorie et le nom de la fiche, par exemple `wifi/{spec}`"
        ));
    }
    for seg in spec.split('/') {
        check_segment(seg, spec)?;
    }
    // `Imprimantes/Bourrage Papier` as a teacher types it: the file is
    // named as its address (`imprimantes/bourrage-papier.md`: no space,
    // accent nor capital, which a link must then repeat exactly, and a
    // second `Imprimantes/` folder beside `imprimantes/` that Windows
    // would merge); a folder that exists under another spelling is kept.
    // The title keeps what was typed.
    let sheets = root.join(crate::load::CONTENT).join(crate::load::SHEETS_DIR);
    let mut dir = sheets.clone();
    let mut parts = Vec::new();
    // New folders typed as titles (`Équipements`): the folder is named
    // `equipements`, whose title would be « Equipements » without an
    // `_index.md` saying the accent.
    let mut new_categories = Vec::new();
    let segs: Vec<&str> = spec.split('/').collect();
    for (i, seg) in segs.iter().enumerate() {
        let slug = crate::slug::slugify(seg);
        let slug = if slug.is_empty() { seg.to_string() } else { slug };
        let last = i + 1 == segs.len();
        let folders: Vec<String> = (!last)
            .then(|| std::fs::read_dir(&dir).ok())
            .flatten()
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        // The same address, else the same letters: `Wi-Fi/` typed for the
        // `wifi/` folder, `salle info/` for `salleinfo/`, is that category,
        // not a second one beside it.
        let bare = |s: &str| s.replace('-', "");
        let existing = [true, false].into_iter().find_map(|exact| {
            folders
                .iter()
                .filter(|n| {
                    let n = crate::slug::slugify(n);
                    if exact {
                        n == slug
                    } else {
                        bare(&n) == bare(&slug)
                    }
                })
                .min()
                .cloned()
        });
        let typed_title =
            (!last && existing.is_none() && seg.trim() != slug && !dir.join(&slug).exists()).then(|| capitalised(seg));
        let name = existing.unwrap_or(slug);
        dir = dir.join(&name);
        parts.push(name);
        if let Some(t) = typed_title {
            new_categories.push((PathBuf::from(parts.join("/")), t));
        }
    }
    let named = parts.join("/");
    let rel = PathBuf::from(crate::load::CONTENT)
        .join(crate::load::SHEETS_DIR)
        .join(format!("{named}.md"));
    let typed = segs.last().copied().unwrap_or_default();
    let title_guessed = title.is_none() && typed == crate::slug::slugify(typed);
    let title = title
        .map(str::to_string)
        .unwrap_or_else(|| match typed == crate::slug::slugify(typed) {
            true => title_from_slug(spec),
            // Typed as a title: kept as typed (its dashes too), capitalised.
            false => capitalised(typed),
        });
    crate::files::create_new(
        &root.join(&rel),
        SHEET_TEMPLATE.replace("@TITLE@", &toml_string(&title)).as_bytes(),
    )?;
    let mut categories = Vec::new();
    for (folder, title) in new_categories {
        let index = PathBuf::from(crate::load::CONTENT)
            .join(crate::load::SHEETS_DIR)
            .join(folder)
            .join("_index.md");
        let text = CATEGORY_TEMPLATE.replace("@TITLE@", &toml_string(&title));
        crate::files::create_new(&root.join(&index), text.as_bytes())?;
        categories.push((index, title));
    }
    Ok(Made {
        file: rel,
        categories,
        title_guessed,
    })
}

/// `fiches new apero <slug> --date YYYY-MM-DD`: the file is named after the
/// date, like the sessions of the archive, so that they sort by date.
pub fn new_session(root: &Path, slug: &str, date: &str, title: Option<&str>) -> Result<Made, String> {
    require_site(root)?;
    let day = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
        // `12/09/2026`, day first as in French: the option to type.
        let french = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
            .iter()
            .find_map(|f| chrono::NaiveDate::parse_from_str(date.trim(), f).ok());
        match french {
            Some(d) => format!(
                "{} ; écrivez `--date {}`",
                crate::date::invalid_date(date.trim()),
                d.format("%Y-%m-%d")
            ),
            None => crate::date::invalid_date(date.trim()),
        }
    })?;
    let iso = day.format("%Y-%m-%d").to_string();
    let slug = slug.trim().strip_suffix(".md").unwrap_or(slug.trim());
    check_segment(slug, slug)?;
    if slug.contains('/') {
        return Err(format!(
            "`{slug}` : une séance est un fichier de `content/apero-tice/`, sans sous-dossier"
        ));
    }
    // `Tableur partie 2` as typed: the file named as its address, as a
    // sheet's (`2026-12-10-tableur-partie-2.md`), the title as typed.
    let typed = slug
        .strip_prefix(&iso)
        .unwrap_or(slug)
        .trim_start_matches(['-', '_', ' '])
        .trim();
    let file_slug = match slugify(slug) {
        s if s.is_empty() => slug.to_string(),
        s => s,
    };
    let name = if file_slug.starts_with(&iso) {
        file_slug
    } else {
        format!("{iso}-{file_slug}")
    };
    let rel = PathBuf::from(crate::load::CONTENT)
        .join(crate::load::SESSIONS_DIR)
        .join(format!("{name}.md"));
    let title_guessed = title.is_none() && typed == slugify(typed);
    let title = title
        .map(str::to_string)
        .unwrap_or_else(|| match typed == slugify(typed) {
            true => title_from_slug(typed),
            false => capitalised(typed),
        });
    crate::files::create_new(
        &root.join(&rel),
        SESSION_TEMPLATE
            .replace("@TITLE@", &toml_string(&title))
            .replace("@DATE@", &iso)
            .as_bytes(),
    )?;
    Ok(Made {
        file: rel,
        categories: Vec::new(),
        title_guessed,
    })
}

/// `fiches new parcours <nom>`: a training path, `content/parcours/<nom>.md`,
/// named as its address (`"Accueil des nouveaux"` → `accueil-des-nouveaux.md`).
pub fn new_path(root: &Path, slug: &str, title: Option<&str>) -> Result<Made, String> {
    require_site(root)?;
    let typed = slug.trim().strip_suffix(".md").unwrap_or(slug.trim());
    check_segment(typed, typed)?;
    if typed.contains('/') {
        return Err(format!(
            "`{typed}` : un parcours est un fichier de `content/parcours/`, sans sous-dossier"
        ));
    }
    let name = match slugify(typed) {
        s if s.is_empty() => typed.to_string(),
        s => s,
    };
    let rel = PathBuf::from(crate::load::CONTENT)
        .join(crate::load::PATHS_DIR)
        .join(format!("{name}.md"));
    let title_guessed = title.is_none() && typed == name;
    let title = title.map(str::to_string).unwrap_or_else(|| match typed == name {
        true => title_from_slug(typed),
        false => capitalised(typed),
    });
    crate::files::create_new(
        &root.join(&rel),
        PATH_TEMPLATE.replace("@TITLE@", &toml_string(&title)).as_bytes(),
    )?;
    Ok(Made {
        file: rel,
        categories: Vec::new(),
        title_guessed,
    })
}
