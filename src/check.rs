//! Findings that only `fiches check` reports (the build reports the rest):
//! undocumented actions, stale sheets, sheets to revalidate, missing alt
//! text, duplicate titles.

use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::render::Bodies;
use std::collections::HashMap;

pub fn findings(site: &Site, bodies: &Bodies) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let f = crate::followup::compute(site);
    for a in &site.actions {
        if a.sheets.is_empty() {
            out.push(
                Diagnostic::warning("action-undocumented", &a.source, format!("l'action `{}` (« {} ») n'est documentée par aucune fiche", a.id, a.title))
                    .at(a.line, None)
                    .hint(format!("écrivez une fiche avec `action = \"{}\"` dans son en-tête", a.id)),
            );
        }
    }
    for item in &f.stale {
        out.push(
            Diagnostic::warning("sheet-stale", &item.file, format!("fiche ancienne : {} (seuil : {} jours)", item.detail, f.stale_after_days))
                .hint("relisez la fiche et mettez à jour `updated`"),
        );
    }
    for item in &f.to_revalidate {
        let line = site.sheet_by_id.get(&item.id).and_then(|&i| site.sheets[i].validation.as_ref()).map(|v| v.line).filter(|l| *l > 0);
        let mut d = Diagnostic::warning("sheet-revalidate", &item.file, format!("à faire revalider : {}", item.detail))
            .hint("faites valider la nouvelle version par la collectivité, puis mettez à jour `[validation] on`");
        if let Some(l) = line {
            d = d.at(l, None);
        }
        out.push(d);
    }
    for (s, b) in site.sheets.iter().zip(&bodies.sheets) {
        for (line, src) in &b.images_without_alt {
            out.push(
                Diagnostic::warning("image-no-alt", &s.source, format!("l'image `{src}` n'a pas de texte alternatif"))
                    .at(*line, None)
                    .hint("décrivez l'image entre les crochets : `![Écran de connexion de l'ENT](/images/ent.png)`"),
            );
        }
    }
    let mut titles: HashMap<String, Vec<&str>> = HashMap::new();
    for s in &site.sheets {
        titles.entry(deunicode::deunicode(s.title.trim()).to_lowercase()).or_default().push(&s.source);
    }
    for s in &site.sheets {
        let same = &titles[&deunicode::deunicode(s.title.trim()).to_lowercase()];
        if same.len() > 1 {
            let others: Vec<&&str> = same.iter().filter(|o| **o != s.source).collect();
            out.push(
                Diagnostic::warning("duplicate-title", &s.source, format!("le titre « {} » est aussi celui de {}", s.title, others.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")))
                    .at(2, None)
                    .hint("donnez à chaque fiche un titre distinct, pour la recherche et la navigation"),
            );
        }
    }
    out
}
