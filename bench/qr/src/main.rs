//! What one sheet's QR code costs, as fiches makes it today (best of 8 masks,
//! one SVG sub-path per dark module) and with two changes: a fixed mask and
//! one path segment per horizontal run. Reads URLs, one per line, on stdin.
//!
//!     find bench/.work/c10000/fiches/content/fiches -name '*.md' ! -name _index.md \
//!       | sed 's|.*/content/fiches/|/fiches/|; s|\.md$|/|' \
//!       | CARGO_TARGET_DIR=bench/.work/target cargo run --release --manifest-path bench/qr/Cargo.toml

use qrcode::bits::Bits;
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::render::svg;
use qrcode::{Color, EcLevel, QrCode, Version};
use std::io::BufRead;
use std::time::Instant;

/// As `fiches::publish::qr_svg` does today.
fn today(data: &str) -> String {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).unwrap();
    code.render::<svg::Color>().module_dimensions(1, 1).quiet_zone(true).dark_color(svg::Color("#000")).light_color(svg::Color("#fff")).build()
}

/// Same symbol size, one fixed mask (any mask is valid; the best one only
/// spares scanners some long runs, which a short URL rarely has).
fn fixed_mask_colors(data: &str) -> (Vec<Color>, usize) {
    let bits = qrcode::bits::encode_auto(data.as_bytes(), EcLevel::M).unwrap();
    let version = bits.version();
    let bytes = Bits::into_bytes(bits);
    let (enc, ec) = qrcode::ec::construct_codewords(&bytes, version, EcLevel::M).unwrap();
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&enc, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let w = match version {
        Version::Normal(v) => (v * 4 + 17) as usize,
        Version::Micro(v) => (v * 2 + 9) as usize,
    };
    (canvas.into_colors(), w)
}

/// One `h` segment per horizontal run of dark modules, drawn with a stroke.
fn compact_svg(colors: &[Color], w: usize) -> String {
    use std::fmt::Write;
    let q = 4;
    let size = w + 2 * q;
    let mut d = String::with_capacity(2048);
    for y in 0..w {
        let mut x = 0;
        let mut pen = 0usize; // x after the last segment of this row
        let mut first = true;
        while x < w {
            if colors[y * w + x] == Color::Dark {
                let start = x;
                while x < w && colors[y * w + x] == Color::Dark {
                    x += 1;
                }
                if first {
                    let _ = write!(d, "M{} {}.5h{}", start + q, y + q, x - start);
                    first = false;
                } else {
                    let _ = write!(d, "m{} 0h{}", start - pen, x - start);
                }
                pen = x;
            } else {
                x += 1;
            }
        }
    }
    format!("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" class=\"qr-code\" role=\"img\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path stroke=\"#000\" d=\"{d}\"/></svg>")
}

fn main() {
    let urls: Vec<String> = std::io::stdin().lock().lines().map_while(Result::ok).filter(|l| !l.is_empty()).collect();
    assert!(!urls.is_empty(), "no URL on stdin");
    let t = Instant::now();
    let a: usize = urls.iter().map(|u| today(u).len()).sum();
    let t_today = t.elapsed();
    let t = Instant::now();
    let mut b = 0usize;
    for u in &urls {
        let (c, w) = fixed_mask_colors(u);
        b += compact_svg(&c, w).len();
    }
    let t_fixed = t.elapsed();
    if let Ok(path) = std::env::var("QR_DUMP") {
        // The first URL's compact SVG, to check that it scans (zbarimg).
        let (c, w) = fixed_mask_colors(&urls[0]);
        std::fs::write(&path, compact_svg(&c, w)).unwrap();
    }
    let n = urls.len() as f64;
    println!("{} URLs (mean {:.0} bytes)", urls.len(), urls.iter().map(|u| u.len()).sum::<usize>() as f64 / n);
    println!("today (best of 8 masks, rect per module): {:>7.1} µs/QR, {:>6.0} bytes/SVG", t_today.as_secs_f64() * 1e6 / n, a as f64 / n);
    println!("fixed mask + one segment per run:         {:>7.1} µs/QR, {:>6.0} bytes/SVG", t_fixed.as_secs_f64() * 1e6 / n, b as f64 / n);
}
