//! What pages carry for use outside the screen: the QR code of a sheet's
//! published URL (for the printed sheet), the public address of each link
//! (printed after it), the category booklet (every sheet of a category in
//! one printable page) and the pre-filled help request.

use crate::markdown::Rendered;
use crate::model::{Sheet, Site};
use regex::Regex;
use std::sync::OnceLock;
use tera::Context;

/// The public URL of a page: absolute when `base-url` names a host
/// (`https://host/path/`), else a path from the host's root (`/path/`).
pub fn public_url(site: &Site, url: &str) -> String {
    site.config.site.base_url.public_url(url)
}

type QrCache = std::sync::Mutex<std::collections::HashMap<(String, String), Option<String>>>;
static QR_CACHE: std::sync::OnceLock<QrCache> = std::sync::OnceLock::new();

/// Empties the cache of `qr_svg`: `serve` keeps running after a build,
/// and the codes of every sheet in a booklet would stay in memory for
/// nothing (about 5 MiB at 10,000 sheets, all in booklets). Redrawing the
/// few a rebuild needs costs little.
pub fn forget_qr_codes() {
    if let Some(Ok(mut c)) = QR_CACHE.get().map(|c| c.lock()) {
        *c = Default::default();
    }
}

/// The QR code of `data` as an inline SVG (no XML prolog, no fixed size:
/// the print style sheet sizes it), or `None` when `data` is too long.
/// Dark modules of a row are merged into runs, which keeps the page light.
pub fn qr_svg(data: &str, label: &str) -> Option<String> {
    // A sheet is in its category's booklet and in those of the categories
    // above that have one: make each code once.
    let cache = QR_CACHE.get_or_init(Default::default);
    let key = (data.to_string(), label.to_string());
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let svg = draw_qr_svg(data, label);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, svg.clone());
    }
    svg
}

/// The modules of `data`'s QR code with one fixed mask. Any of the eight
/// masks gives a valid symbol; choosing the "best" one means building all
/// eight and scoring them, 20 times the cost (see docs/benchmarks.md), to
/// spare scanners long runs that a short URL rarely has.
fn qr_modules(data: &str) -> Option<(Vec<qrcode::Color>, usize)> {
    use qrcode::canvas::{Canvas, MaskPattern};
    use qrcode::{EcLevel, Version};
    let bits = qrcode::bits::encode_auto(data.as_bytes(), EcLevel::M).ok()?;
    let version = bits.version();
    let bytes = bits.into_bytes();
    let (enc, ec) = qrcode::ec::construct_codewords(&bytes, version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&enc, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let w = match version {
        Version::Normal(v) => (v * 4 + 17) as usize,
        Version::Micro(v) => (v * 2 + 9) as usize,
    };
    Some((canvas.into_colors(), w))
}

/// A sheet's QR code as an empty SVG that carries its modules:
/// `data-qr="W BITS"`, the width then the modules row by row, dark as 1,
/// in base64. The theme's `site.js` draws them (a path of dark runs) and
/// their frame (view box, quiet zone) when the page loads: a drawn code
/// was 2 to 4 KB of every sheet page, its modules are under 300 bytes, and
/// the code only shows on paper (without JavaScript `print.css` leaves it
/// out; the sheet's URL is printed as text).
fn draw_qr_svg(data: &str, label: &str) -> Option<String> {
    use base64::Engine as _;
    let (colors, w) = qr_modules(data)?;
    let mut bits = vec![0u8; (w * w).div_ceil(8)];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            bits[i / 8] |= 0x80 >> (i % 8);
        }
    }
    Some(format!(
        "<svg class=\"qr-code\" role=\"img\" aria-label=\"{}\" data-qr=\"{w} {}\"></svg>",
        crate::html::escape(label),
        base64::engine::general_purpose::STANDARD.encode(&bits)
    ))
}

fn html_attr_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"(<a\s[^>]*?)?\b(href|src)="([^"]*)""#).expect("regex"))
}

/// True for a link that leaves the page as written (`https:`, `mailto:`,
/// `#x`, `/x`): only relative paths are rebased.
fn is_relative(url: &str) -> bool {
    if url.is_empty() || url.starts_with('#') || url.starts_with('/') {
        return false;
    }
    match url.find(':') {
        Some(p) => url[..p].contains('/'),
        None => true,
    }
}

/// Adds `data-print-url="<public URL>"` to every link to another page or file of
/// the site, so that the printed sheet shows where the link leads.
pub fn annotate_links(site: &Site, page_url: &str, html: &str) -> String {
    html_attr_re()
        .replace_all(html, |c: &regex::Captures| {
            let whole = c.get(0).map(|m| m.as_str()).unwrap_or("");
            let (Some(_a), "href") = (c.get(1), &c[2]) else {
                return whole.to_string();
            };
            let href = &c[3];
            if !is_relative(href) {
                return whole.to_string();
            }
            match crate::html::resolve(page_url, href.split('#').next().unwrap_or(href)) {
                Some(target) => {
                    let frag = href.find('#').map(|p| &href[p..]).unwrap_or("");
                    let public = public_url(site, &format!("{target}{frag}"));
                    format!("{whole} data-print-url=\"{public}\"")
                }
                None => whole.to_string(),
            }
        })
        .into_owned()
}

/// Moves a sheet body rendered for `from` into the page at `to`: relative
/// links rebased, ids prefixed (many sheets share `#etapes`), headings one
/// level down (the sheet's title is the booklet's `h2`).
pub fn rebase_for_booklet(html: &str, from: &str, to: &str, id_prefix: &str) -> String {
    let html = html_attr_re().replace_all(html, |c: &regex::Captures| {
        let whole = c.get(0).map(|m| m.as_str()).unwrap_or("");
        let url = &c[3];
        let before = &whole[..whole.len() - url.len() - 1 - c[2].len() - 2];
        if let Some(frag) = url.strip_prefix('#') {
            return format!("{before}{}=\"#{id_prefix}{frag}\"", &c[2]);
        }
        if !is_relative(url) {
            return whole.to_string();
        }
        match crate::html::resolve(from, url) {
            Some(target) => format!("{before}{}=\"{}\"", &c[2], crate::html::relative(to, &target)),
            None => whole.to_string(),
        }
    });
    static ID: OnceLock<Regex> = OnceLock::new();
    let id = ID.get_or_init(|| Regex::new(r#"(\s)id="([^"]*)""#).expect("regex"));
    let html = id.replace_all(&html, |c: &regex::Captures| {
        format!("{}id=\"{id_prefix}{}\"", &c[1], &c[2])
    });
    static H: OnceLock<Regex> = OnceLock::new();
    let h = H.get_or_init(|| Regex::new(r"<(/?)h([1-5])\b").expect("regex"));
    h.replace_all(&html, |c: &regex::Captures| {
        let n: u8 = c[2].parse().unwrap_or(5);
        format!("<{}h{}", &c[1], (n + 1).min(6))
    })
    .into_owned()
}

/// Where the booklet of category `i` is published: `livret/` inside the
/// category's folder, unless a sheet already took that name.
pub fn booklet_url(site: &Site, i: usize) -> String {
    let dir = site.categories[i].url.trim_end_matches("index.html");
    let taken = |u: &str| {
        site.sheets.iter().any(|s| s.url == u)
            || site.categories.iter().any(|c| c.url == u)
            || site.sessions.iter().any(|s| s.url == u)
            || site.paths.iter().any(|p| p.url == u)
    };
    let mut url = format!("{dir}livret/index.html");
    let mut n = 2;
    while taken(&url) {
        url = format!("{dir}livret-{n}/index.html");
        n += 1;
    }
    url
}

/// The sheets of category `i` and of its subcategories, in reading order;
/// none when the category has no booklet (`Category::booklet`).
pub fn booklet_sheets(site: &Site, i: usize) -> Vec<usize> {
    if !site.categories[i].booklet {
        return Vec::new();
    }
    fn all(site: &Site, i: usize, v: &mut Vec<usize>) {
        v.extend_from_slice(&site.categories[i].sheets);
        for (j, c) in site.categories.iter().enumerate() {
            if c.parent == Some(i) {
                all(site, j, v);
            }
        }
    }
    let mut v = Vec::new();
    all(site, i, &mut v);
    v
}

/// Whether category `i` has a booklet page: `booklet_sheets` is not
/// empty, found without listing the sheets (asked once per category link).
pub fn has_booklet(site: &Site, i: usize) -> bool {
    fn any(site: &Site, i: usize) -> bool {
        !site.categories[i].sheets.is_empty()
            || site
                .categories
                .iter()
                .enumerate()
                .any(|(j, c)| c.parent == Some(i) && any(site, j))
    }
    site.categories[i].booklet && any(site, i)
}

/// What the booklet shows of one sheet, besides its card.
pub fn booklet_sheet(
    site: &Site,
    sh: &Sheet,
    body: &Rendered,
    booklet: &str,
    n: usize,
    qr_label: &str,
) -> serde_json::Value {
    let url = public_url(site, &sh.url);
    let prefix = format!("f{n}-");
    let html = annotate_links(site, &sh.url, &body.html);
    serde_json::json!({
        "anchor": format!("fiche-{n}"),
        "public_url": url,
        "qr_svg": qr_svg(&url, &format!("{qr_label} : {url}")),
        "body": rebase_for_booklet(&html, &sh.url, booklet, &prefix),
        "print_columns": body.text_chars > PRINT_COLUMNS_FROM,
    })
}

/// The pre-filled help request's first lines, for the links that work
/// without JavaScript (site.js adds ticked steps, room and equipment).
fn support_body(title: &str, url: &str) -> String {
    format!("{title}\n{url}\n")
}

/// A help request's links, pre-filled with `subject`, the page's public
/// `url`, an `id` and the message's `body`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HelpLinks {
    /// `[support] ticket-url` with `{title}`, `{url}`, `{id}` and `{body}`
    /// replaced, URL-encoded.
    pub ticket: Option<String>,
    /// A `mailto:` to `[support] email` with that subject and body.
    pub mailto: Option<String>,
}

/// The help request's links of a page: a sheet's « Ça ne marche toujours
/// pas ? », the actions page's « tout le reste passe par un ticket »
/// (search.js fills the search page's the same way, with the query).
pub fn help_links(sup: &crate::config::Support, subject: &str, url: &str, id: &str, body: &str) -> HelpLinks {
    let enc = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
    HelpLinks {
        ticket: sup.ticket_url.as_ref().map(|t| {
            t.replace("{title}", &enc(subject))
                .replace("{url}", &enc(url))
                .replace("{id}", &enc(id))
                .replace("{body}", &enc(body))
        }),
        mailto: sup
            .email
            .as_ref()
            .map(|e| format!("mailto:{e}?subject={}&body={}", enc(subject), enc(body))),
    }
}

/// Characters of text from which a sheet prints in two columns.
const PRINT_COLUMNS_FROM: usize = 1800;

pub fn sheet_extras(site: &Site, sh: &Sheet, body: &Rendered, ctx: &mut Context) {
    let url = public_url(site, &sh.url);
    ctx.insert("public_url", &url);
    // A sheet's page leaves its links' public addresses to site.js
    // (`.print-url` gives the site's); a booklet carries them.
    ctx.insert("body", &body.html);
    // A long sheet prints in two columns to fit one A4 page; a short one
    // reads better in one.
    ctx.insert("print_columns", &(body.text_chars > PRINT_COLUMNS_FROM));
    // No QR code: site.js makes it from the address printed above it
    // (`.print-url`), the same symbol as `qr_modules` (about 450 bytes a
    // page with its figure). A booklet's codes, many on a page, come with
    // their modules (`booklet_sheet`).
    if let Some(sup) = &site.config.support {
        let text = support_body(&sh.title, &url);
        let HelpLinks { ticket, mailto } = help_links(sup, &sh.title, &url, &sh.id, &text);
        ctx.insert(
            "support",
            &serde_json::json!({
                "email": sup.email,
                "ticket_url": ticket,
                "mailto": mailto,
                "ticket_template": sup.ticket_url,
                "title": sh.title,
                "url": url,
                "id": sh.id,
                "text": text,
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(
            crate::html::resolve("fiches/a/x/index.html", "../y/index.html").as_deref(),
            Some("fiches/a/y/index.html")
        );
        assert_eq!(
            crate::html::resolve("fiches/a/x/index.html", "../../../images/p.png").as_deref(),
            Some("images/p.png")
        );
        assert_eq!(crate::html::resolve("index.html", "../x"), None);
    }

    #[test]
    fn booklet_rebases_links_ids_and_headings() {
        let html = r##"<h2 id="etapes">Étapes<a class="anchor" href="#etapes">#</a></h2><p><a href="../y/index.html#b">y</a> <img src="../../../../images/p.png" alt=""> <a href="https://x.org/">x</a></p>"##;
        let out = rebase_for_booklet(html, "fiches/a/sub/x/index.html", "fiches/a/livret/index.html", "f1-");
        assert!(out.contains(r#"<h3 id="f1-etapes">"#), "{out}");
        assert!(out.contains(r##"href="#f1-etapes""##), "{out}");
        // The shortest relative path from the booklet, `fiches/a/livret/`.
        assert!(out.contains(r#"href="../sub/y/index.html#b""#), "{out}");
        assert!(out.contains(r#"src="../../../images/p.png""#), "{out}");
        assert!(out.contains(r#"href="https://x.org/""#), "{out}");
        assert!(out.ends_with("</p>") && out.contains("</h3>"));
    }

    #[test]
    fn qr_svg_is_inline_and_scalable() {
        let svg = qr_svg("/aide-numerique/fiches/wifi/compte-invite/", "QR").unwrap();
        assert!(
            svg.starts_with("<svg class=\"qr-code\" role=\"img\" aria-label=\"QR\""),
            "{svg}"
        );
        let root = &svg[..svg.find('>').unwrap()];
        assert!(!root.contains(" width="), "{svg}");
        assert!(svg.len() < 500, "{} bytes", svg.len());
    }

    #[test]
    fn qr_modules_are_carried_row_by_row() {
        use base64::Engine as _;
        let url = "/aide-numerique/fiches/wifi/compte-invite/";
        let svg = qr_svg(url, "QR").unwrap();
        let data = svg.split("data-qr=\"").nth(1).unwrap().split('"').next().unwrap();
        let (w, b64) = data.split_once(' ').unwrap();
        let w: usize = w.parse().unwrap();
        let bits = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
        let (colors, width) = qr_modules(url).unwrap();
        assert_eq!(w, width);
        for (i, c) in colors.iter().enumerate() {
            let dark = bits[i / 8] & (0x80 >> (i % 8)) != 0;
            assert_eq!(dark, *c == qrcode::Color::Dark, "module {i}");
        }
        // The three finder patterns: a 7-module dark run opens the first row.
        assert_eq!(bits[0] & 0xfe, 0xfe);
    }
}
