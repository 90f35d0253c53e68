//! Redirect pages: a sheet's old ids (`aliases`) keep their address, so
//! that printed QR codes and bookmarks lead to the sheet after a rename or
//! a move. Each is a small page, left out of the sitemap, the search index
//! and the lists (none of them reads the aliases).

use crate::html::{escape, relative};
use crate::model::{Sheet, Site};
use std::path::Path;

/// Each alias's redirect page URL with its sheet.
pub fn urls(site: &Site) -> impl Iterator<Item = (&str, &Sheet)> {
    site.sheets
        .iter()
        .flat_map(|s| s.aliases.iter().filter_map(move |a| Some((a.url.as_deref()?, s))))
}

/// The redirect page at `from` to `sheet`: relative links (from a sub-path
/// and from `file://` alike), `noindex`, and a visible link for browsers
/// that do not follow `refresh`.
pub fn page(site: &Site, from: &str, sheet: &Sheet) -> String {
    let t = site.strings();
    let to = escape(&relative(from, &sheet.url));
    let base = &site.config.site.base_url;
    let canonical = match base.is_absolute() {
        true => escape(&base.public_uri(&sheet.url)),
        false => to.clone(),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={to}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n\
         </head>\n<body>\n<p>{moved} <a href=\"{to}\">{sheet_title}</a></p>\n</body>\n</html>\n",
        lang = escape(t.lang),
        title = escape(t.get("moved_title")),
        moved = escape(t.get("moved_to")),
        sheet_title = escape(&sheet.title),
    )
}

/// Writes every redirect page under `out`.
pub fn write(site: &Site, out: &Path) -> anyhow::Result<()> {
    for (url, sheet) in urls(site) {
        crate::output::write(out, url, page(site, url, sheet).as_bytes())?;
    }
    Ok(())
}
