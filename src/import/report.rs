//! The report of `fiches import`: per document, what was converted (counted
//! on the Markdown written, the same way the tests count pandoc's output),
//! what was dropped, images without description, proposed actions.

use pulldown_cmark::{Event, Parser, Tag};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Status {
    #[default]
    Created,
    /// The same sheet is already there (a second run).
    Unchanged,
    /// A different file is already there: left as it is, nothing written.
    Kept,
    WouldCreate,
    Failed(String),
}

/// Structure of a Markdown text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub headings: usize,
    pub list_items: usize,
    pub ordered_items: usize,
    pub tables: usize,
    pub table_cells: usize,
    pub links: usize,
    pub images: usize,
    pub footnotes: usize,
    pub code_blocks: usize,
}

/// Counts with the same parser and options as the site.
pub fn count(md: &str) -> Counts {
    let mut c = Counts::default();
    let mut ordered: Vec<bool> = Vec::new();
    for e in Parser::new_ext(md, crate::markdown::options()) {
        match e {
            Event::Start(Tag::Heading { .. }) => c.headings += 1,
            Event::Start(Tag::List(start)) => ordered.push(start.is_some()),
            Event::End(pulldown_cmark::TagEnd::List(_)) => {
                ordered.pop();
            }
            Event::Start(Tag::Item) => {
                c.list_items += 1;
                if ordered.last() == Some(&true) {
                    c.ordered_items += 1;
                }
            }
            Event::Start(Tag::Table(_)) => c.tables += 1,
            Event::Start(Tag::TableCell) => c.table_cells += 1,
            Event::Start(Tag::Link { .. }) => c.links += 1,
            Event::Start(Tag::Image { .. }) => c.images += 1,
            Event::Start(Tag::FootnoteDefinition(_)) => c.footnotes += 1,
            Event::Start(Tag::CodeBlock(_)) => c.code_blocks += 1,
            _ => {}
        }
    }
    c
}

#[derive(Debug, Clone, Default)]
pub struct FileReport {
    pub source: PathBuf,
    /// The sheet, from the site root.
    pub target: Option<String>,
    pub title: String,
    pub status: Status,
    pub counts: Counts,
    pub dropped: Vec<(String, usize)>,
    pub images_without_alt: Vec<String>,
    /// Images and files written under `static/`.
    pub images: Vec<String>,
    /// Allowed actions the sheet names by their title: `(id, title)`.
    pub actions: Vec<(String, String)>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub dry_run: bool,
    pub files: Vec<FileReport>,
    /// `_index.md` files created for new categories.
    pub categories: Vec<String>,
    pub notes: Vec<String>,
}

impl Summary {
    pub fn failed(&self) -> usize {
        self.files
            .iter()
            .filter(|f| matches!(f.status, Status::Failed(_)))
            .count()
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

impl Counts {
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let mut add = |n: usize, one: &str, many: &str| {
            if n > 0 {
                parts.push(plural(n, one, many));
            }
        };
        add(self.headings, "titre", "titres");
        add(self.ordered_items, "étape numérotée", "étapes numérotées");
        add(
            self.list_items - self.ordered_items,
            "élément de liste",
            "éléments de liste",
        );
        add(self.tables, "tableau", "tableaux");
        add(self.links, "lien", "liens");
        add(self.images, "image", "images");
        add(self.footnotes, "note", "notes");
        add(self.code_blocks, "bloc de code", "blocs de code");
        if parts.is_empty() {
            "texte seul".into()
        } else {
            parts.join(", ")
        }
    }
}

/// The human report, in French, one block per document.
pub fn human(s: &Summary) -> String {
    let mut out = String::new();
    for f in &s.files {
        let src = f.source.display();
        let target = f.target.as_deref().unwrap_or("");
        let head = match &f.status {
            Status::Created => format!("créé       {target}  ← {src}"),
            Status::WouldCreate => format!("à créer    {target}  ← {src}"),
            Status::Unchanged => format!("inchangé   {target}  ← {src} (déjà importé à l'identique)"),
            Status::Kept => format!(
                "conservé   {target}  ← {src} : ce fichier existe déjà et diffère ; il n'a pas été remplacé (renommez-le ou supprimez-le pour réimporter)"
            ),
            Status::Failed(e) => format!("ÉCHEC      {src} : {e} ; rien n'a été écrit pour ce document"),
        };
        let _ = writeln!(out, "{head}");
        if matches!(f.status, Status::Failed(_)) {
            continue;
        }
        let _ = writeln!(out, "    « {} » : {}", f.title, f.counts.describe());
        for (what, n) in &f.dropped {
            let times = if *n > 1 { format!(" (×{n})") } else { String::new() };
            let _ = writeln!(out, "    non importé : {what}{times}");
        }
        for i in &f.images_without_alt {
            let _ = writeln!(
                out,
                "    image sans description : {i} — ajoutez le texte alternatif entre les crochets `![…]` (`fiches check` le signale)"
            );
        }
        for (id, title) in &f.actions {
            let _ = writeln!(
                out,
                "    action proposée : `{id}` (« {title} ») est citée — si la fiche la documente, ajoutez `action = \"{id}\"` à son en-tête"
            );
        }
        for n in &f.notes {
            let _ = writeln!(out, "    à vérifier : {n}");
        }
    }
    for c in &s.categories {
        let verb = if s.dry_run { "à créer " } else { "créé    " };
        let _ = writeln!(out, "{verb}   {c} (titre de la catégorie)");
    }
    for n in &s.notes {
        let _ = writeln!(out, "note : {n}");
    }
    let count = |st: fn(&Status) -> bool| s.files.iter().filter(|f| st(&f.status)).count();
    let created = count(|s| matches!(s, Status::Created | Status::WouldCreate));
    let unchanged = count(|s| matches!(s, Status::Unchanged));
    let kept = count(|s| matches!(s, Status::Kept));
    let images: usize = s.files.iter().map(|f| f.images.len()).sum();
    let verb = if s.dry_run {
        "Simulation (rien n'a été écrit)"
    } else {
        "Import terminé"
    };
    let _ = writeln!(
        out,
        "\n{verb} : fiches créées : {created}, inchangées : {unchanged}, conservées : {kept}, en échec : {} ; fichiers écrits dans static/ : {images}.",
        s.failed()
    );
    if created > 0 && !s.dry_run {
        let _ = writeln!(
            out,
            "Ensuite : `fiches check` pour relire ce qui est signalé, puis `fiches serve --open`."
        );
    }
    out
}
