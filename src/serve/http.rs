//! The HTTP side of `fiches serve`: files of the output folder under the base
//! URL, with content types, HEAD, ETag/Last-Modified and 304, the site's
//! 404 page, directory indexes, and nothing outside the output folder.
//!
//! hyper on a small tokio runtime: a slow reader of a large file holds a
//! task, not a worker, so it never delays other requests; a connection that
//! sends no complete request head within `IDLE` is closed (half-open and
//! idle keep-alive ones alike); an oversized head gets 431, a body 413.

use super::live::EVENTS;
use super::Shared;
use bytes::Bytes;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::header::{HeaderValue, CONTENT_LENGTH};
use hyper::{Method, Request, Response, StatusCode};
use percent_encoding::percent_decode_str;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Open pages listening for reloads, at most (each holds a thread).
const MAX_LISTENERS: usize = 256;
/// Connections open at once; more are closed as they come.
const MAX_CONNECTIONS: usize = 1024;
/// Time for a client to send a complete request head, from the connection
/// or from the previous response.
const IDLE: Duration = Duration::from_secs(10);
/// Largest request head (request line and headers): beyond, 431.
const MAX_HEAD: usize = 32 * 1024;
/// The server takes no request body: one declared larger than this gets 413.
const MAX_BODY: u64 = 64 * 1024;
/// Bytes of a file sent per write.
const CHUNK: usize = 64 * 1024;

/// The listening socket and the runtime that serves it.
pub struct Server {
    runtime: Option<tokio::runtime::Runtime>,
    listener: Option<std::net::TcpListener>,
    addr: SocketAddr,
}

impl Server {
    pub fn bind(host: &str, port: u16) -> std::io::Result<Server> {
        let listener = std::net::TcpListener::bind((host, port))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("fiches-http")
            .enable_io()
            .enable_time()
            .build()?;
        Ok(Server {
            runtime: Some(runtime),
            listener: Some(listener),
            addr,
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Accepts connections in the background until the server is dropped.
    pub fn start(&mut self, shared: Arc<Shared>) {
        let Some(std_listener) = self.listener.take() else {
            return;
        };
        let Some(runtime) = &self.runtime else {
            return;
        };
        runtime.spawn(async move {
            let listener = match tokio::net::TcpListener::from_std(std_listener) {
                Ok(l) => l,
                Err(e) => return eprintln!("erreur : écoute impossible : {e}"),
            };
            let open = Arc::new(AtomicUsize::new(0));
            loop {
                let stream = match listener.accept().await {
                    Ok((s, _)) => s,
                    // Out of descriptors, for instance: wait, do not spin.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
                    open.fetch_sub(1, Ordering::SeqCst);
                    drop(stream);
                    continue;
                }
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                let open = open.clone();
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let shared = shared.clone();
                        async move { Ok::<_, std::convert::Infallible>(handle(req, &shared).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .timer(hyper_util::rt::TokioTimer::new())
                        .header_read_timeout(IDLE)
                        .max_header_size(MAX_HEAD)
                        .max_buf_size(2 * MAX_HEAD)
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Connections may be in the middle of a file: do not wait for them.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

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

/// A response body: bytes in memory, a file read as it is sent, or the
/// live-reload stream.
pub enum Reply {
    Bytes(Option<Bytes>),
    File { file: tokio::fs::File, left: u64 },
    Events(tokio::sync::mpsc::UnboundedReceiver<String>),
}

impl Body for Reply {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        match self.get_mut() {
            Reply::Bytes(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            Reply::File { file, left } => {
                if *left == 0 {
                    return Poll::Ready(None);
                }
                use tokio::io::AsyncRead;
                let mut buf = vec![0u8; CHUNK.min(*left as usize)];
                let mut rb = tokio::io::ReadBuf::new(&mut buf);
                match Pin::new(file).poll_read(cx, &mut rb) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
                    Poll::Ready(Ok(())) => {
                        let n = rb.filled().len();
                        if n == 0 {
                            // Shorter than announced (rewritten meanwhile):
                            // the client sees a truncated response, not a hang.
                            return Poll::Ready(Some(Err(std::io::ErrorKind::UnexpectedEof.into())));
                        }
                        *left -= n as u64;
                        buf.truncate(n);
                        Poll::Ready(Some(Ok(Frame::data(Bytes::from(buf)))))
                    }
                }
            }
            Reply::Events(rx) => rx.poll_recv(cx).map(|f| f.map(|f| Ok(Frame::data(Bytes::from(f))))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Reply::Bytes(b) => b.is_none(),
            Reply::File { left, .. } => *left == 0,
            Reply::Events(_) => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Reply::Bytes(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Reply::File { left, .. } => SizeHint::with_exact(*left),
            Reply::Events(_) => SizeHint::default(),
        }
    }
}

type Resp = Response<Reply>;

fn response(status: u16, headers: &[(&str, &str)], body: Reply) -> Resp {
    let mut r = Response::new(body);
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(v),
        ) {
            r.headers_mut().append(k, v);
        }
    }
    r
}

fn text(status: u16, body: &str) -> Resp {
    response(
        status,
        &[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Cache-Control", "no-cache"),
        ],
        Reply::Bytes(Some(Bytes::copy_from_slice(body.as_bytes()))),
    )
}

fn request_header<'a>(req: &'a Request<Incoming>, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

async fn handle(req: Request<Incoming>, shared: &Arc<Shared>) -> Resp {
    let head = req.method() == Method::HEAD;
    let mut r = respond(&req, shared).await;
    if head && !matches!(r.body(), Reply::Events(_)) {
        // The length of what GET would send, and no body.
        let len = r.body().size_hint().exact();
        *r.body_mut() = Reply::Bytes(None);
        if let Some(n) = len.filter(|n| *n > 0) {
            r.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(n));
        }
    }
    r
}

async fn respond(req: &Request<Incoming>, shared: &Arc<Shared>) -> Resp {
    // No request here has a body: one announced larger than a few pages
    // is refused before a byte of it is read (the connection then closes).
    let declared = request_header(req, "content-length").and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY)
        || (declared.is_none() && request_header(req, "transfer-encoding").is_some())
    {
        let mut r = text(413, "413 Requête trop volumineuse\n");
        r.headers_mut().insert("connection", HeaderValue::from_static("close"));
        return r;
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let mut r = text(405, "405 Méthode non autorisée\n");
        r.headers_mut().insert("allow", HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let base = shared.base();
    let target = req.uri().to_string();
    match route(&target, &base) {
        Route::BadRequest => text(400, "400 Requête invalide\n"),
        Route::Redirect(loc) => redirect(&loc),
        Route::Outside => not_found(shared).await,
        Route::Internal(name) if name == EVENTS.trim_start_matches("__fiches/") => events(req, shared),
        Route::Internal(name) if name == "status" => {
            let body =
                serde_json::json!({ "error": shared.hub.current_error(), "clients": shared.hub.clients() }).to_string();
            response(
                200,
                &[
                    ("Content-Type", "application/json; charset=utf-8"),
                    ("Cache-Control", "no-cache"),
                ],
                Reply::Bytes(Some(Bytes::from(body))),
            )
        }
        Route::Internal(_) => not_found(shared).await,
        Route::File { segments, dir } => {
            let Some(out) = shared.out() else {
                return placeholder(shared);
            };
            match locate(&out, &segments, dir) {
                Located::File(p) => send_file(req, &p, 200).await,
                Located::AddSlash => {
                    let (path, query) = target.split_at(target.find('?').unwrap_or(target.len()));
                    redirect(&format!("{path}/{query}"))
                }
                Located::Missing => not_found(shared).await,
            }
        }
    }
}

fn redirect(location: &str) -> Resp {
    response(
        302,
        &[("Location", location), ("Cache-Control", "no-cache")],
        Reply::Bytes(None),
    )
}

enum Located {
    File(PathBuf),
    AddSlash,
    Missing,
}

/// Finds the file for `segments` under `out`. Its real path must stay
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
    match crate::fence::Fence::dir(out).check(&p) {
        Ok(real) if real.is_file() => Located::File(real),
        _ => Located::Missing,
    }
}

async fn not_found(shared: &Shared) -> Resp {
    let page = shared.out().map(|o| o.join("404.html"));
    match page.and_then(|p| crate::fence::Fence::dir(p.parent()?).check(&p).ok()) {
        Some(p) if p.is_file() => send_file_as(None, &p, 404).await,
        _ => text(404, "404 Page introuvable\n"),
    }
}

/// Before the first good build there is nothing to serve: a page with the
/// errors and the live-reload script, which reloads once the site builds.
fn placeholder(shared: &Shared) -> Resp {
    response(
        503,
        &[
            ("Content-Type", "text/html; charset=utf-8"),
            ("Cache-Control", "no-cache"),
        ],
        Reply::Bytes(Some(Bytes::from(shared.placeholder()))),
    )
}

async fn send_file(req: &Request<Incoming>, path: &Path, status: u16) -> Resp {
    send_file_as(Some(req), path, status).await
}

async fn send_file_as(req: Option<&Request<Incoming>>, path: &Path, status: u16) -> Resp {
    let Ok(file) = tokio::fs::File::open(path).await else {
        return text(404, "404 Page introuvable\n");
    };
    let Ok(meta) = file.metadata().await else {
        return text(500, "500 Lecture impossible\n");
    };
    let modified = meta.modified().unwrap_or(UNIX_EPOCH);
    let since = modified.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    // Size and nanosecond time: every rewrite by a rebuild changes it.
    let etag = format!("\"{:x}-{:x}\"", meta.len(), since.as_nanos());
    let last_modified = http_date(modified);
    let mut headers = vec![
        ("Content-Type", content_type(path)),
        ("Cache-Control", "no-cache"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    if status == 200 {
        headers.push(("ETag", &etag));
        headers.push(("Last-Modified", &last_modified));
        // If-None-Match wins over If-Modified-Since (RFC 9110, 13.2.2).
        let fresh = match req.map(|r| {
            (
                request_header(r, "if-none-match"),
                request_header(r, "if-modified-since"),
            )
        }) {
            Some((Some(inm), _)) => etag_matches(inm, &etag),
            Some((None, Some(ims))) => parse_http_date(ims).is_some_and(|t| t >= since.as_secs() as i64),
            _ => false,
        };
        if fresh {
            headers.retain(|(k, _)| *k != "Content-Type");
            return response(304, &headers, Reply::Bytes(None));
        }
    }
    response(status, &headers, Reply::File { file, left: meta.len() })
}

/// One live-reload connection. The hub hands frames to a thread (as many
/// as open pages, bounded), which forwards them to the connection's task.
fn events(req: &Request<Incoming>, shared: &Arc<Shared>) -> Resp {
    // One thread each: a bound keeps a runaway page from exhausting them.
    if shared.hub.clients() >= MAX_LISTENERS {
        return text(503, "503 Trop de pages ouvertes\n");
    }
    let headers = [
        ("Content-Type", "text/event-stream; charset=utf-8"),
        ("Cache-Control", "no-cache"),
        ("X-Accel-Buffering", "no"),
    ];
    if req.method() == Method::HEAD {
        return response(200, &headers, Reply::Bytes(None));
    }
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let (hub_rx, first) = shared.hub.subscribe();
    let shared = shared.clone();
    let spawned = std::thread::Builder::new().name("fiches-sse".into()).spawn(move || {
        let send = |f: String| tx.send(f).is_ok();
        let mut ok = send("retry: 1000\n\n".into()) && first.into_iter().all(send);
        while ok {
            ok = match hub_rx.recv_timeout(Duration::from_secs(15)) {
                Ok(f) => send(f),
                // A comment now and then finds closed connections.
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => send(": ping\n\n".into()),
                Err(_) => false,
            };
        }
        shared.hub.leave();
    });
    if spawned.is_err() {
        return text(503, "503 Trop de pages ouvertes\n");
    }
    response(200, &headers, Reply::Events(rx))
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
