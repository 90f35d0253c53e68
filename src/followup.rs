//! The follow-up of the sheets for referents and the collectivity: actions
//! that no sheet documents, sheets to revalidate, stale sheets, drafts.
//! Shown on `suivi/index.html` and reported by `fiches check`.

use crate::model::Site;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, Default)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub file: String,
    pub url: Option<String>,
    pub detail: String,
    pub authors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct FollowUp {
    pub undocumented_actions: Vec<Item>,
    pub to_revalidate: Vec<Item>,
    pub stale: Vec<Item>,
    pub drafts: Vec<Item>,
    pub stale_after_days: i64,
}

pub fn compute(site: &Site) -> FollowUp {
    let s = site.strings();
    let mut f = FollowUp { stale_after_days: site.config.check.stale_after_days, ..Default::default() };
    for a in &site.actions {
        if a.sheets.is_empty() {
            f.undocumented_actions.push(Item {
                id: a.id.clone(),
                title: a.title.clone(),
                file: format!("{}:{}", a.source, a.line),
                url: None,
                detail: a.reference.clone(),
                authors: Vec::new(),
            });
        }
    }
    for sh in &site.sheets {
        let item = |detail: String| Item {
            id: sh.id.clone(),
            title: sh.title.clone(),
            file: sh.source.clone(),
            url: Some(sh.url.clone()),
            detail,
            authors: sh.contributors.clone(),
        };
        if let (Some(v), Some(changed)) = (&sh.validation, sh.last_change) {
            if changed > v.on {
                f.to_revalidate.push(item(format!(
                    "validée le {}, modifiée le {}",
                    s.long_date(v.on),
                    s.long_date(changed)
                )));
            }
        }
        if let Some(u) = sh.updated {
            let age = u.days_until(site.today);
            if age > site.config.check.stale_after_days {
                f.stale.push(item(format!("mise à jour le {} (il y a {age} jours)", s.long_date(u))));
            }
        }
    }
    for (id, file) in &site.drafts {
        f.drafts.push(Item { id: id.clone(), title: id.clone(), file: file.clone(), ..Default::default() });
    }
    for sh in site.sheets.iter().filter(|s| s.draft) {
        f.drafts.push(Item { id: sh.id.clone(), title: sh.title.clone(), file: sh.source.clone(), url: Some(sh.url.clone()), ..Default::default() });
    }
    f
}
