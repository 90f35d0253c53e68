//! Markdown documents (mdBook, MkDocs, VuePress, Zola/Hugo, loose files):
//! the text is kept as written; front matter (YAML or TOML) becomes fiches
//! front matter, links to other imported pages (`page.md`, `page.html`,
//! `page.html#dépannage`) become links between sheets, images are copied
//! into `static/`, admonitions (`!!! note`, `::: tip`) become callouts.

use super::report::FileReport;
use super::{Files, FrontMatter, LinkCtx, Resolved, Site, Source};
use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

pub fn convert(
    site: &Site,
    src: &Source,
    target: &str,
    written: &mut HashSet<String>,
    rep: &mut FileReport,
) -> Result<Files, String> {
    let bytes = std::fs::read(&src.path).map_err(|e| format!("lecture impossible : {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        "le fichier n'est pas en UTF-8 : enregistrez-le en UTF-8 (Bloc-notes : Enregistrer sous > Encodage UTF-8)"
            .to_string()
    })?;
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let (fm, body) = front_matter(&text)?;
    let mut meta = Meta::default();
    if let Some(fm) = fm {
        read_front_matter(fm, &mut meta, rep);
    }
    let body = directives(&body, rep);
    let body = admonitions(&body);
    // The title: front matter, else the first `# ` heading (removed: the page shows the title).
    let (h1, body) = take_h1(&body);
    let title = meta
        .title
        .clone()
        .or(h1)
        .or_else(|| src.nav_title.clone())
        .unwrap_or_else(|| {
            crate::scaffold::title_from_slug(src.path.file_stem().and_then(|s| s.to_str()).unwrap_or("fiche"))
        });
    let body = shift_h1(&body);
    let ctx = LinkCtx {
        root: site.root,
        src,
        target,
        link_map: site.link_map,
    };
    let mut images = Vec::new();
    let body = rewrite_links(&body, &ctx, &mut images, written, rep);
    let (summary_para, plain) = plain_text(&body);
    let summary = meta.summary.clone().or(summary_para).map(|s| super::shorten(&s));
    let fm = FrontMatter {
        title: title.clone(),
        summary,
        tags: meta.tags,
        updated: meta.updated,
        weight: meta.weight.or(src.weight),
        extra: meta.extra,
    };
    let plain = format!("{title}\n{plain}");
    super::finish(fm, &body, &plain, site, images, rep)
}

#[derive(Default)]
struct Meta {
    title: Option<String>,
    summary: Option<String>,
    tags: Vec<String>,
    updated: Option<String>,
    weight: Option<i64>,
    extra: Vec<(String, String)>,
}

fn front_matter(text: &str) -> Result<(Option<FrontMatterText>, String), String> {
    for (fence, kind) in [("---", Kind::Yaml), ("+++", Kind::Toml)] {
        if let Some(rest) = text.strip_prefix(fence).and_then(|r| r.strip_prefix('\n')) {
            let mut offset = 0;
            for line in rest.split_inclusive('\n') {
                let l = line.trim_end();
                if l == fence || (kind == Kind::Yaml && l == "...") {
                    let fm = rest[..offset].to_string();
                    let body = rest[offset + line.len()..].to_string();
                    return Ok((Some(FrontMatterText { kind, text: fm }), body));
                }
                offset += line.len();
            }
            return Err(format!(
                "en-tête `{fence}` jamais fermé : ajoutez une ligne `{fence}` après l'en-tête"
            ));
        }
    }
    Ok((None, text.to_string()))
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Yaml,
    Toml,
}

struct FrontMatterText {
    kind: Kind,
    text: String,
}

/// A JSON-like value read from YAML or TOML front matter.
fn read_front_matter(fm: FrontMatterText, meta: &mut Meta, rep: &mut FileReport) {
    let value: serde_json::Value = match fm.kind {
        Kind::Yaml => match serde_yaml_ng::from_str::<serde_json::Value>(&fm.text) {
            Ok(v) => v,
            Err(e) => {
                rep.notes.push(format!("en-tête YAML illisible, ignoré : {e}"));
                return;
            }
        },
        Kind::Toml => match fm.text.parse::<toml::Table>() {
            Ok(t) => serde_json::to_value(t).unwrap_or_default(),
            Err(e) => {
                rep.notes.push(format!("en-tête TOML illisible, ignoré : {e}"));
                return;
            }
        },
    };
    let Some(obj) = value.as_object() else { return };
    let mut ignored = Vec::new();
    let string = |v: &serde_json::Value| -> Option<String> {
        match v {
            serde_json::Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    for (k, v) in obj {
        match k.as_str() {
            "title" => meta.title = string(v),
            "description" | "summary" | "excerpt" | "subtitle" => {
                if meta.summary.is_none() {
                    meta.summary = string(v)
                }
            }
            "tags" | "keywords" | "tag" => match v {
                serde_json::Value::Array(a) => meta.tags.extend(a.iter().filter_map(string)),
                other => meta
                    .tags
                    .extend(string(other).map(|s| super::split_keywords(&s)).unwrap_or_default()),
            },
            "taxonomies" => {
                if let Some(t) = v.get("tags").and_then(|t| t.as_array()) {
                    meta.tags.extend(t.iter().filter_map(string));
                }
            }
            "updated" | "lastmod" | "last_modified_at" | "lastUpdated" | "last_update" | "modified" | "date" => {
                if let Some(d) = string(v).and_then(|d| super::iso_date(&d)) {
                    // The last modification wins over the creation date.
                    if k != "date" || meta.updated.is_none() {
                        meta.updated = Some(d);
                    }
                }
            }
            "weight" | "nav_order" | "sidebar_position" | "order" => meta.weight = v.as_i64(),
            "draft" if v.as_bool() == Some(true) => meta.extra.push(("draft".into(), "true".into())),
            "audience" => {
                let known = ["enseignant", "eleve", "referent", "direction", "collectivite"];
                let list: Vec<String> = match v {
                    serde_json::Value::Array(a) => a.iter().filter_map(string).collect(),
                    other => string(other).into_iter().collect(),
                };
                let ok: Vec<String> = list.into_iter().filter(|a| known.contains(&a.as_str())).collect();
                if !ok.is_empty() {
                    let t: Vec<String> = ok.iter().map(|a| super::toml_string(a)).collect();
                    meta.extra.push(("audience".into(), format!("[{}]", t.join(", "))));
                }
            }
            _ => ignored.push(k.clone()),
        }
    }
    if !ignored.is_empty() {
        rep.dropped.push((
            format!("clés d'en-tête sans équivalent dans une fiche : {}", ignored.join(", ")),
            1,
        ));
    }
}

/// mdBook's `{{#include …}}` and friends need mdBook: reported, removed.
fn directives(body: &str, rep: &mut FileReport) -> String {
    let mut out = String::with_capacity(body.len());
    for line in body.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with("{{#") && t.ends_with("}}") {
            let name = t[3..].split_whitespace().next().unwrap_or("").trim_end_matches("}}");
            rep.dropped.push((format!("directive mdBook `{{{{#{name}}}}}`"), 1));
            continue;
        }
        out.push_str(line);
    }
    out
}

fn alert_kind(word: &str) -> &'static str {
    match word.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" => "TIP",
        "important" | "question" | "help" | "faq" => "IMPORTANT",
        "warning" | "attention" | "caution" if word.eq_ignore_ascii_case("caution") => "CAUTION",
        "warning" | "attention" => "WARNING",
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "CAUTION",
        _ => "NOTE",
    }
}

/// MkDocs `!!! note "Titre"` (indented body) and VuePress / Docusaurus
/// `::: tip Titre … :::` become GitHub alerts, which fiches shows as callouts.
fn admonitions(body: &str) -> String {
    let lines: Vec<&str> = body.lines().collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    let mut fence: Option<String> = None;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim_start();
        if let Some(f) = &fence {
            if t.starts_with(f.as_str()) {
                fence = None;
            }
            out.push(line.to_string());
            i += 1;
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(t[..3].to_string());
            out.push(line.to_string());
            i += 1;
            continue;
        }
        let mk = t
            .strip_prefix("!!! ")
            .or_else(|| t.strip_prefix("???+ "))
            .or_else(|| t.strip_prefix("??? "));
        if let Some(rest) = mk.filter(|_| line.len() == t.len()) {
            let (kind, title) = split_kind_title(rest);
            out.push(format!("> [!{}]", alert_kind(kind)));
            if let Some(ti) = title {
                out.push(format!("> **{ti}**"));
                out.push(">".into());
            }
            i += 1;
            while i < lines.len()
                && (lines[i].starts_with("    ") || lines[i].starts_with('\t') || lines[i].trim().is_empty())
            {
                // A blank line followed by unindented text ends the block.
                if lines[i].trim().is_empty()
                    && !lines
                        .get(i + 1)
                        .is_some_and(|n| n.starts_with("    ") || n.starts_with('\t'))
                {
                    break;
                }
                let l = lines[i]
                    .strip_prefix("    ")
                    .or_else(|| lines[i].strip_prefix('\t'))
                    .unwrap_or("");
                out.push(if l.is_empty() { ">".into() } else { format!("> {l}") });
                i += 1;
            }
            continue;
        }
        if let Some(rest) = t
            .strip_prefix(":::")
            .filter(|r| !r.trim().is_empty() && !r.starts_with(':'))
        {
            let (kind, title) = split_kind_title(rest.trim());
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim() != ":::" {
                j += 1;
            }
            if j < lines.len() {
                out.push(format!("> [!{}]", alert_kind(kind)));
                if let Some(ti) = title {
                    out.push(format!("> **{ti}**"));
                    out.push(">".into());
                }
                for l in &lines[i + 1..j] {
                    out.push(if l.trim().is_empty() {
                        ">".into()
                    } else {
                        format!("> {l}")
                    });
                }
                i = j + 1;
                continue;
            }
        }
        out.push(line.to_string());
        i += 1;
    }
    let mut s = out.join("\n");
    if body.ends_with('\n') {
        s.push('\n');
    }
    s
}

fn split_kind_title(rest: &str) -> (&str, Option<String>) {
    let rest = rest.trim();
    let (kind, title) = match rest.split_once(char::is_whitespace) {
        Some((k, t)) => (k, t.trim().trim_matches('"').trim().to_string()),
        None => (rest, String::new()),
    };
    let kind = kind.trim_matches(|c: char| !c.is_alphanumeric());
    (kind, (!title.is_empty()).then_some(title))
}

/// The first heading, when it is a level-1 one before any text.
fn take_h1(body: &str) -> (Option<String>, String) {
    let mut title = None;
    let mut range: Option<Range<usize>> = None;
    let mut in_h1 = false;
    for (e, r) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match e {
            Event::Start(Tag::Heading { level, .. }) => {
                if level == pulldown_cmark::HeadingLevel::H1 {
                    in_h1 = true;
                    title = Some(String::new());
                    range = Some(r);
                } else {
                    break;
                }
            }
            Event::End(TagEnd::Heading(_)) if in_h1 => break,
            Event::Text(t) | Event::Code(t) if in_h1 => {
                if let Some(s) = title.as_mut() {
                    s.push_str(&t)
                }
            }
            Event::Start(Tag::Paragraph | Tag::List(_) | Tag::Table(_) | Tag::CodeBlock(_) | Tag::BlockQuote(_)) => {
                break
            }
            _ => {}
        }
    }
    match (title, range) {
        (Some(t), Some(r)) if !t.trim().is_empty() => {
            let mut b = String::with_capacity(body.len());
            b.push_str(&body[..r.start]);
            b.push_str(body[r.end..].trim_start_matches('\n'));
            (Some(t.trim().to_string()), b)
        }
        _ => (None, body.to_string()),
    }
}

/// Other `# ` headings become `## `: a sheet has one `h1`, its title.
fn shift_h1(body: &str) -> String {
    let mut starts: Vec<usize> = Vec::new();
    let mut has_h1 = false;
    for (e, r) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        if let Event::Start(Tag::Heading { level, .. }) = e {
            if level == pulldown_cmark::HeadingLevel::H1 {
                has_h1 = true;
            }
            if body[r.start..].starts_with('#') && level != pulldown_cmark::HeadingLevel::H6 {
                starts.push(r.start);
            }
        }
    }
    if !has_h1 {
        return body.to_string();
    }
    let mut out = body.to_string();
    for s in starts.into_iter().rev() {
        out.insert(s, '#');
    }
    out
}

/// The first paragraph (for the summary) and all visible text (for actions).
fn plain_text(body: &str) -> (Option<String>, String) {
    let mut first: Option<String> = None;
    let mut cur: Option<String> = None;
    let mut all = String::new();
    let mut depth = 0;
    for e in Parser::new_ext(body, crate::markdown::options()) {
        match e {
            Event::Start(Tag::Paragraph) if depth == 0 && first.is_none() => cur = Some(String::new()),
            Event::End(TagEnd::Paragraph) => {
                if let Some(c) = cur.take() {
                    if c.split_whitespace().count() >= 3 {
                        first = Some(c);
                    }
                }
                all.push('\n');
            }
            Event::Start(Tag::BlockQuote(_) | Tag::List(_) | Tag::Table(_)) => depth += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_) | TagEnd::Table) => depth -= 1,
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cur.as_mut() {
                    c.push_str(&t);
                }
                all.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = cur.as_mut() {
                    c.push(' ');
                }
                all.push(' ');
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Item) => all.push('\n'),
            _ => {}
        }
    }
    (first, all)
}

/// The destination token inside `[text](dest "title")`.
fn dest_range(src: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let s = &src[range.clone()];
    let open = s.rfind("](")? + 2;
    let bytes = s.as_bytes();
    let mut i = open;
    while i < s.len() && (bytes[i] == b' ' || bytes[i] == b'\n') {
        i += 1;
    }
    let start = i;
    if bytes.get(i) == Some(&b'<') {
        let end = s[i..].find('>')? + i + 1;
        return Some(range.start + start..range.start + end);
    }
    let mut depth = 0i32;
    while i < s.len() {
        match bytes[i] {
            b'(' => depth += 1,
            b')' if depth == 0 => break,
            b')' => depth -= 1,
            b' ' | b'\n' | b'\t' => break,
            b'\\' => i += 1,
            _ => {}
        }
        i += 1;
    }
    Some(range.start + start..range.start + i.min(s.len()))
}

fn rewrite_links(
    body: &str,
    ctx: &LinkCtx,
    images: &mut Vec<(String, Vec<u8>)>,
    written: &mut HashSet<String>,
    rep: &mut FileReport,
) -> String {
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut counter = 0usize;
    let mut img_alt: Option<(Range<usize>, String, String, LinkType)> = None;
    for (e, r) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        match e {
            Event::Start(Tag::Link {
                link_type, dest_url, ..
            }) => {
                if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    continue;
                }
                let inline = matches!(link_type, LinkType::Inline);
                match ctx.resolve(&dest_url) {
                    Resolved::Keep(u) | Resolved::Sheet(u) => {
                        if u != dest_url.as_ref() && inline {
                            if let Some(d) = dest_range(body, &r) {
                                edits.push((d, md_dest(&u)));
                            }
                        }
                    }
                    Resolved::File(p, frag) => {
                        if let Some(u) = save(&p, ctx, images, written) {
                            if let Some(d) = dest_range(body, &r).filter(|_| inline) {
                                edits.push((d, md_dest(&format!("{u}{}", frag.unwrap_or_default()))));
                            }
                        }
                    }
                    Resolved::Missing(u) => {
                        rep.notes.push(format!(
                            "lien vers `{u}`, qui n'a pas été importé : lien retiré, texte gardé (importez ce document aussi, ou remettez le lien à la main)"
                        ));
                        if inline {
                            let s = &body[r.clone()];
                            if let Some(close) = s.rfind("](") {
                                edits.push((r.clone(), s[1..close].to_string()));
                            }
                        }
                    }
                }
            }
            Event::Start(Tag::Image {
                link_type, dest_url, ..
            }) => {
                img_alt = Some((r.clone(), dest_url.to_string(), String::new(), link_type));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, alt, _)) = img_alt.as_mut() {
                    alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => {
                let Some((r, src, alt, lt)) = img_alt.take() else {
                    continue;
                };
                let inline = matches!(lt, LinkType::Inline);
                if super::is_external(&src) {
                    if alt.trim().is_empty() {
                        rep.images_without_alt.push(src);
                    }
                    continue;
                }
                let decoded = percent_encoding::percent_decode_str(src.split(['#', '?']).next().unwrap_or(&src))
                    .decode_utf8_lossy()
                    .to_string();
                let p = match decoded.strip_prefix('/') {
                    Some(abs) => ctx.src.site_root.join(abs),
                    None => ctx.src.path.parent().unwrap_or(Path::new(".")).join(&decoded),
                };
                let bytes = std::fs::read(&p).ok();
                let ext = bytes.as_deref().and_then(|b| super::image_ext(&src, b));
                match (bytes, ext) {
                    (Some(b), Some(ext)) => {
                        counter += 1;
                        let sheet = ctx.target.trim_start_matches("content/fiches/").trim_end_matches(".md");
                        let name =
                            super::pick_name(&format!("images/{sheet}-{counter}"), ext, &b, ctx, images, written);
                        images.push((format!("static/{name}"), b));
                        if alt.trim().is_empty() {
                            rep.images_without_alt.push(format!("/{name}"));
                        }
                        if let Some(d) = dest_range(body, &r).filter(|_| inline) {
                            edits.push((d, format!("/{name}")));
                        }
                    }
                    _ => {
                        rep.notes.push(format!(
                            "image `{src}` introuvable ou dans un format non affiché : retirée"
                        ));
                        edits.push((r, String::new()));
                    }
                }
            }
            _ => {}
        }
    }
    // Innermost edits last in the list would be overwritten: apply from the end, skipping overlaps.
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = body.to_string();
    let mut floor = usize::MAX;
    for (r, s) in edits {
        if r.end > floor {
            continue;
        }
        out.replace_range(r.clone(), &s);
        floor = r.start;
    }
    rewrite_definitions(&out, ctx, rep)
}

/// `[label]: page.html#dépannage` reference definitions.
fn rewrite_definitions(body: &str, ctx: &LinkCtx, rep: &mut FileReport) -> String {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(r"(?m)^( {0,3}\[[^\]]+\]:[ \t]*)(<[^>\n]*>|\S+)").expect("regex"));
    re.replace_all(body, |c: &regex::Captures| {
        let dest = c[2].trim_start_matches('<').trim_end_matches('>');
        let new = match ctx.resolve(dest) {
            Resolved::Keep(u) | Resolved::Sheet(u) => u,
            Resolved::File(..) => dest.to_string(),
            Resolved::Missing(u) => {
                rep.notes.push(format!(
                    "lien vers `{u}`, qui n'a pas été importé : à corriger à la main"
                ));
                dest.to_string()
            }
        };
        format!("{}{}", &c[1], md_dest(&new))
    })
    .to_string()
}

fn md_dest(u: &str) -> String {
    if u.contains([' ', '(', ')']) {
        format!("<{u}>")
    } else {
        u.to_string()
    }
}

fn save(p: &Path, ctx: &LinkCtx, images: &mut Vec<(String, Vec<u8>)>, written: &mut HashSet<String>) -> Option<String> {
    super::save_file(p, ctx, images, written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mkdocs_and_vuepress_admonitions() {
        let md = "Avant\n\n!!! warning \"Attention\"\n    Ne débranchez pas.\n\nAprès\n";
        assert_eq!(
            admonitions(md),
            "Avant\n\n> [!WARNING]\n> **Attention**\n>\n> Ne débranchez pas.\n\nAprès\n"
        );
        let md = "::: tip\nUn conseil\n:::\n";
        assert_eq!(admonitions(md), "> [!TIP]\n> Un conseil\n");
    }

    #[test]
    fn h1_becomes_title_and_others_shift() {
        let (t, b) = take_h1("# Titre\n\nTexte\n\n# Partie\n");
        assert_eq!(t.as_deref(), Some("Titre"));
        assert_eq!(shift_h1(&b), "Texte\n\n## Partie\n");
    }

    #[test]
    fn destination_of_an_inline_link() {
        let s = "voir [la *page*](page.html#dépannage \"t\") ici";
        let r = s.find('[').unwrap()..s.find(" ici").unwrap();
        let d = dest_range(s, &r).unwrap();
        assert_eq!(&s[d], "page.html#dépannage");
    }
}
