//! Which documents an input names, in which category and order: a single
//! file, a folder of documents (sub-folders are categories), or the source
//! folder of an mdBook (SUMMARY.md), MkDocs (`mkdocs.yml` nav) or VuePress site.

use super::{category_id, CategoryPlan, Format, Plan, Source};
use crate::slug::slugify_path;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::path::{Path, PathBuf};

pub fn plan_input(input: &Path, category: Option<&str>, plan: &mut Plan) -> Result<(), String> {
    let input = super::normalize_path(input);
    if input.is_file() {
        let Some(format) = Format::of(&input) else {
            return Err(unsupported(&input));
        };
        let dir = input.parent().unwrap_or(Path::new("/")).to_path_buf();
        let cat = category.map(str::to_string).unwrap_or_else(|| folder_category(&dir));
        plan.sources.push(Source {
            path: input.clone(),
            format,
            category: cat,
            weight: None,
            nav_title: None,
            site_root: dir,
        });
        return Ok(());
    }
    if let Some(src) = mdbook_src(&input) {
        return mdbook(&input, &src, category, plan);
    }
    for name in ["mkdocs.yml", "mkdocs.yaml"] {
        if input.join(name).is_file() {
            return mkdocs(&input, &input.join(name), category, plan);
        }
    }
    for cand in [input.clone(), input.join("docs")] {
        if cand.join(".vuepress").is_dir() || cand.join(".vitepress").is_dir() {
            walk(&cand, category, plan);
            return Ok(());
        }
    }
    walk(&input, category, plan);
    Ok(())
}

fn unsupported(p: &Path) -> String {
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "doc" => format!(
            "`{}` : format Word 97-2003 (.doc) ; ouvrez-le dans LibreOffice ou Word et enregistrez-le en .docx ou .odt",
            p.display()
        ),
        "pdf" => format!(
            "`{}` : un PDF ne garde pas la structure (titres, étapes) ; importez le document d'origine (.odt, .docx)",
            p.display()
        ),
        _ => format!(
            "`{}` : format non pris en charge (formats acceptés : .odt, .docx, .html, .md)",
            p.display()
        ),
    }
}

/// `Wi-Fi et réseau` → `wi-fi-et-reseau`.
fn folder_category(dir: &Path) -> String {
    dir.file_name()
        .and_then(|n| n.to_str())
        .map(category_id)
        .unwrap_or_else(|| "fiches-importees".into())
}

fn title_of_folder(name: &str) -> String {
    let t = name.replace(['-', '_'], " ");
    let mut c = t.trim().chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn skipped(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.starts_with(".~lock")
        || matches!(name, "node_modules" | "_book" | "site" | "dist" | "public" | "target")
}

/// A plain folder: each sub-folder is a category.
fn walk(dir: &Path, category: Option<&str>, plan: &mut Plan) {
    let mut docs = 0;
    let mut old = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skipped(&e.file_name().to_string_lossy()));
    for e in walker.flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let p = e.path();
        let Some(format) = Format::of(p) else {
            if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("doc")) {
                old.push(p.display().to_string());
            }
            continue;
        };
        let rel_dir = p
            .parent()
            .and_then(|d| d.strip_prefix(dir).ok())
            .unwrap_or(Path::new(""));
        let cat = match category {
            Some(c) => c.to_string(),
            None if rel_dir.as_os_str().is_empty() => folder_category(dir),
            None => {
                let r = rel_dir.to_string_lossy().replace('\\', "/");
                let id = slugify_path(&r);
                // The folder's own name (accents, capitals) titles the category.
                let mut acc = String::new();
                for (seg, orig) in id.split('/').zip(r.split('/')) {
                    if !acc.is_empty() {
                        acc.push('/');
                    }
                    acc.push_str(seg);
                    if orig != seg && !plan.categories.iter().any(|c| c.id == acc) {
                        plan.categories.push(CategoryPlan {
                            id: acc.clone(),
                            title: title_of_folder(orig),
                            weight: None,
                        });
                    }
                }
                id
            }
        };
        docs += 1;
        plan.sources.push(Source {
            path: super::normalize_path(p),
            format,
            category: cat,
            weight: None,
            nav_title: None,
            site_root: super::normalize_path(dir),
        });
    }
    for o in old {
        plan.notes.push(format!(
            "`{o}` ignoré : format Word 97-2003 (.doc) ; enregistrez-le en .docx ou .odt puis relancez l'import"
        ));
    }
    if docs == 0 {
        plan.notes
            .push(format!("aucun document importable dans `{}`", dir.display()));
    }
}

/// The `src` folder of an mdBook: `book.toml` says where, `SUMMARY.md` is in it.
fn mdbook_src(dir: &Path) -> Option<PathBuf> {
    if dir.join("SUMMARY.md").is_file() {
        return Some(dir.to_path_buf());
    }
    let book = std::fs::read_to_string(dir.join("book.toml")).ok()?;
    let t: toml::Table = book.parse().ok()?;
    // A fiches site also has a book.toml: it has no SUMMARY.md.
    let src = t
        .get("book")
        .and_then(|b| b.get("src"))
        .and_then(|s| s.as_str())
        .unwrap_or("src");
    let src = dir.join(src);
    src.join("SUMMARY.md").is_file().then_some(src)
}

fn mdbook(dir: &Path, src: &Path, category: Option<&str>, plan: &mut Plan) -> Result<(), String> {
    let summary_path = src.join("SUMMARY.md");
    let text =
        std::fs::read_to_string(&summary_path).map_err(|e| format!("`{}` illisible : {e}", summary_path.display()))?;
    let book_title = std::fs::read_to_string(dir.join("book.toml"))
        .ok()
        .and_then(|b| b.parse::<toml::Table>().ok())
        .and_then(|t| t.get("book")?.get("title")?.as_str().map(str::to_string));
    let default_cat = category
        .map(str::to_string)
        .or_else(|| book_title.as_deref().map(category_id))
        .unwrap_or_else(|| folder_category(dir));
    let entries = summary_entries(&text);
    let has_parts = entries.iter().any(|e| e.0.is_some());
    let nested = entries.iter().any(|e| e.1 >= 2);
    let mut top_title: Option<String> = None;
    let mut weights: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    let mut cat_order = 0;
    let mut listed = std::collections::HashSet::new();
    for (i, (p, d, title, dest)) in entries.iter().enumerate() {
        let dest = percent_encoding::percent_decode_str(dest.split('#').next().unwrap_or(dest)).decode_utf8_lossy();
        let path = super::normalize_path(&src.join(dest.as_ref()));
        let Some(format) = Format::of(&path) else { continue };
        if !path.is_file() {
            plan.notes.push(format!(
                "`{}` cite `{}`, qui n'existe pas",
                summary_path.display(),
                path.display()
            ));
            continue;
        }
        // A chapter with sub-chapters is a category (when the book has no parts).
        if *d <= 1 {
            let has_children = entries.get(i + 1).is_some_and(|n| n.1 >= 2);
            top_title = has_children.then(|| title.clone());
        }
        let (cat, cat_title) = match (category, has_parts, nested) {
            (Some(c), _, _) => (c.to_string(), None),
            (None, true, _) => match p {
                Some(pt) => (category_id(pt), Some(pt.clone())),
                None => (default_cat.clone(), None),
            },
            (None, false, true) => match &top_title {
                Some(t) => (category_id(t), Some(t.clone())),
                None => (default_cat.clone(), None),
            },
            _ => (default_cat.clone(), None),
        };
        if let Some(t) = cat_title {
            if !plan.categories.iter().any(|c| c.id == cat) {
                cat_order += 1;
                plan.categories.push(CategoryPlan {
                    id: cat.clone(),
                    title: t,
                    weight: Some(cat_order * 10),
                });
            }
        } else if book_title.is_some() && category.is_none() && !plan.categories.iter().any(|c| c.id == cat) {
            plan.categories.push(CategoryPlan {
                id: cat.clone(),
                title: book_title.clone().unwrap_or_default(),
                weight: None,
            });
        }
        let w = weights.entry(cat.clone()).or_insert(0);
        *w += 10;
        listed.insert(path.clone());
        if plan.sources.iter().any(|s| s.path == path) {
            continue;
        }
        plan.sources.push(Source {
            path,
            format,
            category: cat,
            weight: Some(*w),
            nav_title: Some(title.clone()),
            site_root: src.to_path_buf(),
        });
    }
    note_unlisted(src, &listed, plan);
    Ok(())
}

/// The chapters of an mdBook's `SUMMARY.md`, in order: (part, list depth,
/// title, link); the part is the heading above, the summary's own title aside.
fn summary_entries(text: &str) -> Vec<(Option<String>, usize, String, String)> {
    let mut entries: Vec<(Option<String>, usize, String, String)> = Vec::new();
    let mut part: Option<String> = None;
    let mut depth = 0usize;
    let mut seen_link = false;
    let mut heading: Option<String> = None;
    let mut link: Option<(String, String)> = None;
    for e in Parser::new(text) {
        match e {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                let h = heading.take().unwrap_or_default();
                // The first heading before any chapter is the summary's own title.
                if seen_link || !entries.is_empty() {
                    part = Some(h.trim().to_string());
                } else if !h.trim().eq_ignore_ascii_case("summary") && !h.trim().eq_ignore_ascii_case("sommaire") {
                    part = None;
                }
            }
            Event::Start(Tag::List(_)) => depth += 1,
            Event::End(TagEnd::List(_)) => depth = depth.saturating_sub(1),
            Event::Start(Tag::Link { dest_url, .. }) => link = Some((dest_url.to_string(), String::new())),
            Event::End(TagEnd::Link) => {
                if let Some((dest, title)) = link.take() {
                    seen_link = true;
                    if !dest.trim().is_empty() {
                        entries.push((part.clone(), depth, title.trim().to_string(), dest));
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                } else if let Some((_, title)) = link.as_mut() {
                    title.push_str(&t);
                }
            }
            _ => {}
        }
    }
    entries
}

/// A note for the Markdown files of `src` that SUMMARY.md does not list
/// (`listed`): they are not imported.
fn note_unlisted(src: &Path, listed: &std::collections::HashSet<PathBuf>, plan: &mut Plan) {
    let unlisted = walkdir::WalkDir::new(src)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && Format::of(e.path()) == Some(Format::Markdown))
        .filter(|e| e.file_name() != "SUMMARY.md" && !listed.contains(&super::normalize_path(e.path())))
        .count();
    if unlisted > 0 {
        plan.notes.push(format!(
            "{unlisted} fichier(s) Markdown de `{}` absents de SUMMARY.md : non importés (mdBook ne les publie pas non plus)",
            src.display()
        ));
    }
}

fn mkdocs(dir: &Path, config: &Path, category: Option<&str>, plan: &mut Plan) -> Result<(), String> {
    let text = std::fs::read_to_string(config).map_err(|e| format!("`{}` illisible : {e}", config.display()))?;
    let v: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(&text).map_err(|e| format!("`{}` : YAML invalide : {e}", config.display()))?;
    let docs = dir.join(v.get("docs_dir").and_then(|d| d.as_str()).unwrap_or("docs"));
    let site_name = v.get("site_name").and_then(|s| s.as_str()).map(str::to_string);
    let default_cat = category
        .map(str::to_string)
        .or_else(|| site_name.as_deref().map(category_id))
        .unwrap_or_else(|| folder_category(dir));
    let Some(nav) = v.get("nav").and_then(|n| n.as_sequence()) else {
        walk(&docs, category, plan);
        return Ok(());
    };
    let mut order = 0i64;
    let mut cat_order = 0i64;
    nav_walk(
        nav,
        &docs,
        category,
        &default_cat,
        &mut Vec::new(),
        &mut order,
        &mut cat_order,
        plan,
    );
    if let Some(name) = site_name.filter(|_| category.is_none()) {
        if plan.sources.iter().any(|s| s.category == default_cat)
            && !plan.categories.iter().any(|c| c.id == default_cat)
        {
            plan.categories.push(CategoryPlan {
                id: default_cat,
                title: name,
                weight: None,
            });
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn nav_walk(
    items: &[serde_yaml_ng::Value],
    docs: &Path,
    category: Option<&str>,
    default_cat: &str,
    section: &mut Vec<(String, String)>,
    order: &mut i64,
    cat_order: &mut i64,
    plan: &mut Plan,
) {
    for item in items {
        let (title, target) = match item {
            serde_yaml_ng::Value::String(s) => (None, serde_yaml_ng::Value::String(s.clone())),
            serde_yaml_ng::Value::Mapping(m) => match m.iter().next() {
                Some((k, v)) => (k.as_str().map(str::to_string), v.clone()),
                None => continue,
            },
            _ => continue,
        };
        match target {
            serde_yaml_ng::Value::String(file) => {
                if super::is_external(&file) {
                    continue;
                }
                let path = super::normalize_path(&docs.join(&file));
                let Some(format) = Format::of(&path) else { continue };
                if !path.is_file() || plan.sources.iter().any(|s| s.path == path) {
                    continue;
                }
                let cat = match (category, section.is_empty()) {
                    (Some(c), _) => c.to_string(),
                    (None, true) => default_cat.to_string(),
                    (None, false) => section.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join("/"),
                };
                *order += 10;
                plan.sources.push(Source {
                    path,
                    format,
                    category: cat,
                    weight: Some(*order),
                    nav_title: title,
                    site_root: docs.to_path_buf(),
                });
            }
            serde_yaml_ng::Value::Sequence(children) => {
                let t = title.unwrap_or_else(|| "Section".into());
                section.push((category_id(&t), t.clone()));
                let id = section.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join("/");
                if category.is_none() && !plan.categories.iter().any(|c| c.id == id) {
                    *cat_order += 10;
                    plan.categories.push(CategoryPlan {
                        id,
                        title: t,
                        weight: Some(*cat_order),
                    });
                }
                nav_walk(&children, docs, category, default_cat, section, order, cat_order, plan);
                section.pop();
            }
            _ => {}
        }
    }
}
