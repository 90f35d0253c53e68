//! What a sheet page carries for use outside the screen: the QR code of its
//! published URL (for the printed sheet) and the pre-filled help request.

use crate::model::{Sheet, Site};
use tera::Context;

/// The public URL of a page: absolute when `base-url` names a host.
pub fn public_url(site: &Site, url: &str) -> String {
    let pretty = url.strip_suffix("index.html").unwrap_or(url);
    format!("{}{}", site.config.site.base(), pretty)
}

pub fn qr_svg(data: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(120, 120)
            .quiet_zone(true)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    )
}

pub fn sheet_extras(site: &Site, sh: &Sheet, ctx: &mut Context) {
    let url = public_url(site, &sh.url);
    ctx.insert("public_url", &url);
    if let Some(svg) = qr_svg(&url) {
        // Drop the XML prolog: the SVG is inlined in the page.
        let svg = match svg.find("<svg") {
            Some(p) => svg[p..].to_string(),
            None => svg,
        };
        ctx.insert("qr_svg", &svg);
    }
    if let Some(sup) = &site.config.support {
        let enc = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
        let ticket = sup.ticket_url.as_ref().map(|t| t.replace("{title}", &enc(&sh.title)).replace("{url}", &enc(&url)).replace("{id}", &enc(&sh.id)));
        let mailto = sup.email.as_ref().map(|e| format!("mailto:{e}?subject={}&body={}", enc(&sh.title), enc(&url)));
        ctx.insert(
            "support",
            &serde_json::json!({
                "email": sup.email,
                "ticket_url": ticket,
                "mailto": mailto,
                "ticket_template": sup.ticket_url,
                "title": sh.title,
                "url": url,
            }),
        );
    }
}
