//! The HTTP side of `fiches serve`: files of the output folder under the base
//! URL, with content types, HEAD, ETag/Last-Modified and 304, the site's
//! 404 page, directory indexes, and nothing outside the output folder.

use super::live::EVENTS;
use super::Shared;
use percent_encoding::percent_decode_str;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// Open pages listening for reloads, at most (each holds a thread).
const MAX_LISTENERS: usize = 256;

/// What a request target asks for, before looking at the disk.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// Decoded path segments under the base URL; `dir` when it ends with `/`.
    File {
        segments: Vec<String>,
        dir: bool,
    },
    Redirect(String),
    /// `<base>__fiches/<name>`.
    Internal(String),
    /// Outside the base URL.
    Outside,
    BadRequest,
}

/// Splits `target` (as sent, percent-encoded) against `base` (`/x/`).
/// Every segment is decoded on its own, so an encoded `/`, `\`, `..` or NUL
/// can never become a path separator or a parent step: it is refused.
pub fn route(target: &str, base: &str) -> Route {
    let (path, query) = match target.find('?') {
        Some(i) => (&target[..i], &target[i..]),
        None => (target, ""),
    };
    let path = path.split('#').next().unwrap_or("");
    if !path.starts_with('/') || path.contains(['\\', '\0']) {
        return Route::BadRequest;
    }
    let mut segments = Vec::new();
    for raw in path[1..].split('/') {
        let Ok(seg) = percent_decode_str(raw).decode_utf8() else {
            return Route::BadRequest;
        };
        if seg == "." || seg == ".." || seg.contains(['/', '\\', '\0']) || (cfg!(windows) && seg.contains(':')) {
            return Route::BadRequest;
        }
        segments.push(seg.into_owned());
    }
    let dir = path.ends_with('/');
    // Empty segments (`a//b`, the trailing `/`) name nothing.
    segments.retain(|s| !s.is_empty());
    let base_segs: Vec<String> = base
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
        .collect();
    if !segments.starts_with(&base_segs) {
        if segments.is_empty() {
            return Route::Redirect(format!("{base}{query}"));
        }
        return Route::Outside;
    }
    let rest: Vec<String> = segments.split_off(base_segs.len());
    if rest.is_empty() && !dir {
        // `/aide` → `/aide/`: relative links need the slash.
        return Route::Redirect(format!("{base}{query}"));
    }
    if rest.first().is_some_and(|s| s == "__fiches") {
        return Route::Internal(rest[1..].join("/"));
    }
    Route::File { segments: rest, dir }
}

pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "xml" if path.file_name().is_some_and(|n| n == "atom.xml") => "application/atom+xml; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t)
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

fn parse_http_date(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc2822(s.trim())
        .ok()
        .map(|d| d.timestamp())
}

fn etag_matches(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

/// Starts `n` workers; live-reload connections get a thread each, so they
/// never hold a worker.
pub fn spawn_workers(server: Arc<tiny_http::Server>, shared: Arc<Shared>, n: usize) {
    for i in 0..n {
        let server = server.clone();
        let shared = shared.clone();
        let _ = std::thread::Builder::new()
            .name(format!("fiches-http-{i}"))
            .spawn(move || {
                while let Ok(req) = server.recv() {
                    handle(req, &shared);
                }
            });
    }
}

fn request_header<'a>(req: &'a Request, name: &'static str) -> Option<&'a str> {
    req.headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str())
}

fn handle(req: Request, shared: &Arc<Shared>) {
    if !matches!(req.method(), Method::Get | Method::Head) {
        let r = Response::from_string("405 Méthode non autorisée\n")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"))
            .with_header(header("Content-Type", "text/plain; charset=utf-8"));
        let _ = req.respond(r);
        return;
    }
    let base = shared.base();
    match route(req.url(), &base) {
        Route::BadRequest => respond_text(req, 400, "400 Requête invalide\n"),
        Route::Redirect(loc) => {
            let r = Response::empty(302)
                .with_header(header("Location", &loc))
                .with_header(header("Cache-Control", "no-cache"));
            let _ = req.respond(r);
        }
        Route::Outside => not_found(req, shared),
        Route::Internal(name) if name == EVENTS.trim_start_matches("__fiches/") => {
            // One thread each: a bound keeps a runaway page from exhausting them.
            if shared.hub.clients() >= MAX_LISTENERS {
                return respond_text(req, 503, "503 Trop de pages ouvertes\n");
            }
            let shared = shared.clone();
            let _ = std::thread::Builder::new()
                .name("fiches-sse".into())
                .spawn(move || events(req, &shared));
        }
        Route::Internal(name) if name == "status" => {
            let body =
                serde_json::json!({ "error": shared.hub.current_error(), "clients": shared.hub.clients() }).to_string();
            let r = Response::from_string(body)
                .with_header(header("Content-Type", "application/json; charset=utf-8"))
                .with_header(header("Cache-Control", "no-cache"));
            let _ = req.respond(r);
        }
        Route::Internal(_) => not_found(req, shared),
        Route::File { segments, dir } => {
            let Some(out) = shared.out() else {
                return placeholder(req, shared);
            };
            match locate(&out, &segments, dir) {
                Located::File(p) => send_file(req, &p, 200),
                Located::AddSlash => {
                    let url = req.url();
                    let (path, query) = url.split_at(url.find('?').unwrap_or(url.len()));
                    let r = Response::empty(302)
                        .with_header(header("Location", &format!("{path}/{query}")))
                        .with_header(header("Cache-Control", "no-cache"));
                    let _ = req.respond(r);
                }
                Located::Missing => not_found(req, shared),
            }
        }
    }
}

enum Located {
    File(PathBuf),
    AddSlash,
    Missing,
}

/// Finds the file for `segments` under `out`. The canonical path must stay
/// inside `out`: even a symbolic link cannot lead out of it.
fn locate(out: &Path, segments: &[String], dir: bool) -> Located {
    let mut p = out.to_path_buf();
    for s in segments {
        p.push(s);
    }
    let Ok(meta) = std::fs::metadata(&p) else {
        return Located::Missing;
    };
    if meta.is_dir() {
        if !dir {
            return Located::AddSlash;
        }
        p.push("index.html");
    } else if dir {
        return Located::Missing;
    }
    let (Ok(real), Ok(root)) = (p.canonicalize(), out.canonicalize()) else {
        return Located::Missing;
    };
    if !real.starts_with(&root) || !real.is_file() {
        return Located::Missing;
    }
    Located::File(real)
}

fn respond_text(req: Request, status: u16, text: &str) {
    let r = Response::from_string(text)
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
        .with_header(header("Cache-Control", "no-cache"));
    let _ = req.respond(r);
}

fn not_found(req: Request, shared: &Shared) {
    match shared.out().map(|o| o.join("404.html")).filter(|p| p.is_file()) {
        Some(p) => send_file(req, &p, 404),
        None => respond_text(req, 404, "404 Page introuvable\n"),
    }
}

/// Before the first good build there is nothing to serve: a page with the
/// errors and the live-reload script, which reloads once the site builds.
fn placeholder(req: Request, shared: &Shared) {
    let r = Response::from_string(shared.placeholder())
        .with_status_code(503)
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-cache"));
    let _ = req.respond(r);
}

fn send_file(req: Request, path: &Path, status: u16) {
    let Ok(file) = std::fs::File::open(path) else {
        return respond_text(req, 404, "404 Page introuvable\n");
    };
    let Ok(meta) = file.metadata() else {
        return respond_text(req, 500, "500 Lecture impossible\n");
    };
    let modified = meta.modified().unwrap_or(UNIX_EPOCH);
    let since = modified.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    // Size and nanosecond time: every rewrite by a rebuild changes it.
    let etag = format!("\"{:x}-{:x}\"", meta.len(), since.as_nanos());
    let mut headers = vec![
        header("Content-Type", content_type(path)),
        header("Cache-Control", "no-cache"),
        header("X-Content-Type-Options", "nosniff"),
    ];
    if status == 200 {
        headers.push(header("ETag", &etag));
        headers.push(header("Last-Modified", &http_date(modified)));
        // If-None-Match wins over If-Modified-Since (RFC 9110, 13.2.2).
        let fresh = match (
            request_header(&req, "If-None-Match"),
            request_header(&req, "If-Modified-Since"),
        ) {
            (Some(inm), _) => etag_matches(inm, &etag),
            (None, Some(ims)) => parse_http_date(ims).is_some_and(|t| t >= since.as_secs() as i64),
            _ => false,
        };
        if fresh {
            let mut r = Response::empty(304);
            for h in headers.into_iter().filter(|h| !h.field.equiv("Content-Type")) {
                r.add_header(h);
            }
            let _ = req.respond(r);
            return;
        }
    }
    let len = meta.len() as usize;
    let r = Response::new(StatusCode(status), headers, file, Some(len), None);
    let _ = req.respond(r);
}

/// One live-reload connection: raw HTTP on the request's socket, flushed
/// frame by frame (a chunked tiny_http response would buffer them).
fn events(req: Request, shared: &Shared) {
    let head = req.method() == &Method::Head;
    let mut w = req.into_writer();
    let ok = w
        .write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\n\
X-Accel-Buffering: no\r\nConnection: close\r\n\r\n",
        )
        .and_then(|_| w.flush());
    if ok.is_err() || head {
        return;
    }
    let (rx, first) = shared.hub.subscribe();
    let mut send = |f: &str| w.write_all(f.as_bytes()).and_then(|_| w.flush()).is_ok();
    let mut ok = send("retry: 1000\n\n") && first.iter().all(|f| send(f));
    while ok {
        ok = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(f) => send(&f),
            // A comment now and then finds closed connections.
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => send(": ping\n\n"),
            Err(_) => false,
        };
    }
    shared.hub.leave();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(s: &[&str], dir: bool) -> Route {
        Route::File {
            segments: s.iter().map(|x| x.to_string()).collect(),
            dir,
        }
    }

    #[test]
    fn routes_under_the_base() {
        let b = "/aide/";
        assert_eq!(route("/", b), Route::Redirect("/aide/".into()));
        assert_eq!(route("/aide", b), Route::Redirect("/aide/".into()));
        assert_eq!(route("/aide?x=1", b), Route::Redirect("/aide/?x=1".into()));
        assert_eq!(route("/aide/", b), file(&[], true));
        assert_eq!(route("/aide/fiches/x/", b), file(&["fiches", "x"], true));
        assert_eq!(route("/aide/fiches/x", b), file(&["fiches", "x"], false));
        assert_eq!(route("/aide/a%20b.png?v=2", b), file(&["a b.png"], false));
        assert_eq!(route("/autre/", b), Route::Outside);
        assert_eq!(route("/aide/__fiches/events", b), Route::Internal("events".into()));
        assert_eq!(route("/x/", "/"), file(&["x"], true));
    }

    #[test]
    fn refuses_traversal_in_every_encoding() {
        let b = "/aide/";
        for t in [
            "/aide/../etc/passwd",
            "/aide/%2e%2e/etc/passwd",
            "/aide/%2E%2E/%2E%2E/etc/passwd",
            "/aide/..%2fetc%2fpasswd",
            "/aide/%2e%2e%2f%2e%2e%2fetc/passwd",
            "/aide/..\\..\\etc\\passwd",
            "/aide/%5c..%5c..%5cetc",
            "/aide/index.html%00.png",
            "/aide/./index.html",
            "/aide/%ff%fe",
            "http://localhost/etc/passwd",
            "*",
        ] {
            assert_eq!(route(t, b), Route::BadRequest, "{t}");
        }
        // Absolute paths stay under the base (then 404).
        assert_eq!(route("/aide//etc/passwd", b), file(&["etc", "passwd"], false));
    }

    #[test]
    fn types_and_dates() {
        assert_eq!(content_type(Path::new("a/index.html")), "text/html; charset=utf-8");
        assert_eq!(content_type(Path::new("x.WOFF2")), "font/woff2");
        assert!(etag_matches("W/\"1-2\", \"3-4\"", "\"3-4\""));
        let t = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
    }
}
