//! The live-reload channel: Server-Sent Events at `<base>__fiches/events`.
//! Every open page listens; the server pushes `reload` after a rebuild and
//! `build-error` while the sources do not build. A page that connects while
//! the error lasts gets it at once, so it shows on page load too.

use crate::diagnostics::Diagnostics;
use crate::i18n::Strings;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Mutex;

/// Path of the channel under the base URL; `__` keeps it out of any slug.
pub const EVENTS: &str = "__fiches/events";

#[derive(Default)]
pub struct Hub {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    clients: Vec<Sender<String>>,
    /// The `build-error` frame while the sources do not build.
    error: Option<String>,
    /// Count of successful builds, so a client can tell a restart.
    build: u64,
    /// Connections open now (a sender stays in `clients` until the next send).
    open: usize,
}

/// Tells this server from the next one: a page that reconnects to a
/// restarted `fiches serve` reloads, the site may have changed meanwhile.
fn server_id() -> String {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        format!("{:x}-{t:x}", std::process::id())
    })
    .clone()
}

/// One SSE frame. JSON never holds a raw newline, so one `data:` line is enough.
pub fn frame(event: &str, data: &serde_json::Value) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

impl Hub {
    /// A new listener and the frames it must get first.
    pub fn subscribe(&self) -> (Receiver<String>, Vec<String>) {
        let (tx, rx) = channel();
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.clients.push(tx);
        g.open += 1;
        let mut first = vec![frame(
            "hello",
            &serde_json::json!({ "build": g.build, "error": g.error.is_some(), "server": server_id() }),
        )];
        first.extend(g.error.clone());
        (rx, first)
    }

    fn send(g: &mut Inner, f: &str) {
        // A closed page has dropped its receiver: forget it.
        g.clients.retain(|c| c.send(f.to_string()).is_ok());
    }

    /// After a successful rebuild: clears the error and reloads every page.
    pub fn reload(&self, data: serde_json::Value) {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.error = None;
        g.build += 1;
        Self::send(&mut g, &frame("reload", &data));
    }

    /// The sources do not build: every page shows the errors over the last
    /// good version until the next successful rebuild.
    pub fn error(&self, diags: &Diagnostics) {
        let f = frame("build-error", &errors_json(diags));
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.error = Some(f.clone());
        Self::send(&mut g, &f);
    }

    pub fn current_error(&self) -> Option<serde_json::Value> {
        let g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.error.as_ref().and_then(|f| {
            f.lines()
                .find_map(|l| l.strip_prefix("data: "))
                .and_then(|d| serde_json::from_str(d).ok())
        })
    }

    /// A listener's connection closed.
    pub fn leave(&self) {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.open = g.open.saturating_sub(1);
    }

    pub fn clients(&self) -> usize {
        self.inner.lock().map(|g| g.open).unwrap_or(0)
    }
}

/// Errors only: warnings stay in the terminal, the overlay is for what
/// stops the build.
pub fn errors_json(diags: &Diagnostics) -> serde_json::Value {
    let errors: Vec<serde_json::Value> = diags
        .items
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
        .map(|d| {
            serde_json::json!({
                "file": d.file,
                "line": d.line,
                "column": d.column,
                "code": d.code,
                "message": d.message,
                "hint": d.hint,
            })
        })
        .collect();
    serde_json::json!({ "errors": errors })
}

/// JSON made safe inside `<script>`: no `</script>` or `<!--` can close it.
fn script_json(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The script injected before `</body>` of every page in serve mode only.
/// It keeps the scroll position across reloads (sessionStorage) and draws
/// the error overlay with `textContent`, so no message is ever parsed as HTML.
pub fn client_script(base: &str, s: &Strings) -> String {
    let cfg = serde_json::json!({
        "events": format!("{base}{EVENTS}"),
        "base": base,
        "t": {
            "title": s.get("serve_error_title"),
            "kept": s.get("serve_error_kept"),
            "line": s.get("serve_error_line"),
            "hint": s.get("serve_error_hint"),
            "close": s.get("serve_error_close"),
        }
    });
    format!(
        "<script id=\"fiches-live-reload\">(function(){{\"use strict\";var C={cfg};\
var K=\"fiches-serve-scroll:\"+location.pathname;\
try{{var y=sessionStorage.getItem(K);if(y!==null){{sessionStorage.removeItem(K);var go=function(){{window.scrollTo(0,parseInt(y,10)||0);}};go();window.addEventListener(\"load\",go);}}}}catch(e){{}}\
var box=null;\
function el(tag,css,text){{var e=document.createElement(tag);if(css)e.style.cssText=css;if(text!=null)e.textContent=String(text);return e;}}\
function hide(){{if(box){{box.remove();box=null;}}}}\
function show(d){{hide();box=el(\"div\",\"position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.72);overflow:auto;padding:2rem 1rem;font:15px/1.5 system-ui,sans-serif\");\
box.setAttribute(\"role\",\"alertdialog\");box.setAttribute(\"aria-modal\",\"true\");box.id=\"fiches-error-overlay\";\
var p=el(\"div\",\"max-width:52rem;margin:0 auto;background:#fff;color:#1a1a1a;border-top:6px solid #c9191e;border-radius:6px;padding:1.25rem 1.5rem;box-shadow:0 8px 32px rgba(0,0,0,.4)\");\
var h=el(\"h2\",\"margin:0 0 .5rem;font-size:1.3rem;color:#c9191e\",C.t.title);h.id=\"fiches-error-title\";box.setAttribute(\"aria-labelledby\",h.id);p.appendChild(h);\
p.appendChild(el(\"p\",\"margin:0 0 1rem\",C.t.kept));\
(d.errors||[]).forEach(function(x){{var it=el(\"div\",\"margin:0 0 1rem;padding:.75rem;background:#fdf0f0;border-radius:4px\");\
var loc=x.file+(x.line?\" : \"+C.t.line+\" \"+x.line+(x.column?\":\"+x.column:\"\"):\"\");\
it.appendChild(el(\"div\",\"font:600 14px/1.4 ui-monospace,monospace\",loc));\
it.appendChild(el(\"div\",\"margin-top:.25rem;white-space:pre-wrap\",x.message));\
if(x.hint)it.appendChild(el(\"div\",\"margin-top:.25rem;color:#444;white-space:pre-wrap\",C.t.hint+\" : \"+x.hint));p.appendChild(it);}});\
var b=el(\"button\",\"font:inherit;padding:.4rem 1rem;cursor:pointer\",C.t.close);b.type=\"button\";b.addEventListener(\"click\",hide);p.appendChild(b);\
box.appendChild(p);document.body.appendChild(box);b.focus();}}\
if(!window.EventSource)return;var es=new EventSource(C.events);\
es.addEventListener(\"reload\",function(ev){{var d={{}};try{{d=JSON.parse(ev.data);}}catch(e){{}}\
if(d.base&&d.base!==C.base){{location.href=d.base;return;}}\
var here=location.pathname.replace(/index\\.html$/,\"\");function has(l){{return !!l&&l.indexOf(here)>=0;}}\
if(d.only&&!has(d.only))return;if(has(d.pending))return;\
try{{sessionStorage.setItem(K,String(window.scrollY||window.pageYOffset||0));}}catch(e){{}}location.reload();}});\
var sid=null;es.addEventListener(\"hello\",function(ev){{try{{var h=JSON.parse(ev.data);if(sid&&h.server!==sid){{location.reload();return;}}sid=h.server;if(!h.error)hide();}}catch(e){{}}}});\
es.addEventListener(\"build-error\",function(ev){{try{{show(JSON.parse(ev.data));}}catch(e){{}}}});\
}})();</script>",
        cfg = script_json(&cfg)
    )
}

/// The URL path of a page for the live-reload channel (`/base/x/`).
pub fn page_path(base: &str, url: &str) -> String {
    format!("{base}{}", url.strip_suffix("index.html").unwrap_or(url))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;

    #[test]
    fn frames_are_one_data_line() {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error("x", "content/fiches/a.md", "two\nlines <script>").at(3, Some(1)));
        let f = frame("build-error", &errors_json(&d));
        assert_eq!(f.matches('\n').count(), 3, "{f}");
        assert!(f.contains("\"line\":3"));
    }

    #[test]
    fn script_cannot_be_closed_by_a_string() {
        let s = Strings::for_language_or_default("fr");
        let js = client_script("/a</script><b>/", s);
        assert_eq!(js.matches("</script>").count(), 1);
    }
}
