//! `fiches serve` from the outside, for every test file that needs it: the
//! real binary on a free port of 127.0.0.1, its terminal output captured,
//! plain HTTP/1.1 over `TcpStream`. Every wait has a timeout, and the
//! server is stopped when the test ends, even when it fails.

use super::bin;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `fiches serve`; stopped (SIGTERM, then SIGKILL) on drop.
pub struct Serve {
    pub child: Child,
    pub port: u16,
    /// The base URL's path, from the printed URL (`/numerique/`).
    pub base: String,
    log: Arc<Mutex<String>>,
    pub root: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        // SIGTERM first, so the server removes its temporary folder.
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .stderr(Stdio::null())
            .status();
        let end = Instant::now() + Duration::from_secs(5);
        while Instant::now() < end {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `fiches serve --port 0` on `root` with `extra` arguments; `tmp`
/// (the folder holding `root`) lives as long as the server.
pub fn serve_at(root: &Path, tmp: Option<tempfile::TempDir>, extra: &[&str]) -> Serve {
    serve_env(root, tmp, extra, &[])
}

/// `serve_at` with extra environment variables.
pub fn serve_env(root: &Path, tmp: Option<tempfile::TempDir>, extra: &[&str], env: &[(&str, &str)]) -> Serve {
    let cache =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("fiches-test-cache-{}", std::process::id()));
    let mut child = Command::new(bin())
        .args(["--root", root.to_str().unwrap(), "serve", "--port", "0"])
        .args(extra)
        .envs(env.iter().copied())
        .env("FICHES_CACHE_DIR", cache)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start fiches serve");
    let log = Arc::new(Mutex::new(String::new()));
    let err = child.stderr.take().unwrap();
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut s = Serve {
        child,
        port: 0,
        base: String::new(),
        log,
        root: root.to_path_buf(),
        _tmp: tmp,
    };
    let end = Instant::now() + Duration::from_secs(120);
    while s.port == 0 {
        let left = end.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                // "Site servi sur http://127.0.0.1:PORT/base/"
                if let Some(p) = line.split("http://127.0.0.1:").nth(1) {
                    let (port, base) = p.split_once('/').unwrap();
                    s.port = port.parse().unwrap();
                    s.base = format!("/{base}");
                }
            }
            Err(_) => panic!("no URL printed by fiches serve; stderr:\n{}", s.stderr()),
        }
    }
    s
}

impl Serve {
    /// What the server printed on stderr so far.
    pub fn stderr(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The terminal output once `pred` holds (it is read by another
    /// thread), or after 10 s.
    pub fn log_until(&self, pred: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + Duration::from_secs(10);
        loop {
            let log = self.stderr();
            if pred(&log) || Instant::now() > end {
                return log;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn get(&self, target: &str) -> Resp {
        request(self.port, "GET", target, &[])
    }
}

/// One HTTP response, its body de-chunked.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request on a fresh connection, `target` sent as is.
pub fn request(port: u16, method: &str, target: &str, headers: &[(&str, &str)]) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end for {target}: {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Resp { status, headers, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 2 + n + 2..];
    }
    out
}

/// Sends `request` as is (malformed or oversized on purpose) and returns
/// the status and the whole response; the server may close early.
pub fn raw_request(port: u16, request: &[u8], timeout: Duration) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(timeout)).unwrap();
    s.set_write_timeout(Some(timeout)).unwrap();
    let _ = s.write_all(request);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no response: {text:?}"));
    (status, text)
}
