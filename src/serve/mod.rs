//! `fiches serve`: builds the site into a private temporary folder, serves
//! it under its base URL, watches the sources, rebuilds what changed (see
//! `engine`) and reloads every open page over Server-Sent Events (`live`).
//!
//! Threads: the HTTP runtime's two workers plus one per live-reload
//! connection (`http`), the notify watcher (`watch`), the rebuild loop that owns all
//! build state, and the search-index writer. The main thread waits for
//! Ctrl-C and removes the temporary folder.

mod bodies;
mod disk;
mod engine;
#[cfg(test)]
mod engine_tests;
mod fingerprint;
mod http;
mod live;
mod watch;

pub use http::{content_type, route, Route};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::report;
use engine::{Engine, Outcome, Plan};
use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Condvar, Mutex, RwLock};
use std::time::{Duration, Instant};

pub struct Options {
    pub root: PathBuf,
    pub port: u16,
    pub bind: String,
    pub open: bool,
    pub drafts: bool,
    /// Polls the files instead of the system's notifications.
    pub poll: bool,
}

/// What the HTTP threads read and the rebuild loop updates.
#[derive(Default)]
pub struct Shared {
    hub: live::Hub,
    out: RwLock<Option<PathBuf>>,
    base: RwLock<String>,
    placeholder: RwLock<String>,
    /// Set (under the lock) when the server stops: the search writer holds
    /// the lock while it writes, and writes nothing once it is set.
    stopping: std::sync::Mutex<bool>,
}

impl Shared {
    fn out(&self) -> Option<PathBuf> {
        self.out.read().map(|g| g.clone()).unwrap_or(None)
    }
    fn base(&self) -> String {
        self.base.read().map(|g| g.clone()).unwrap_or_else(|_| "/".into())
    }
    fn placeholder(&self) -> String {
        self.placeholder.read().map(|g| g.clone()).unwrap_or_default()
    }
    fn update(&self, engine: &Engine) {
        if let Ok(mut g) = self.out.write() {
            *g = engine.out().map(Path::to_path_buf);
        }
        if let Ok(mut g) = self.base.write() {
            *g = engine.base().to_string();
        }
    }
}

/// What wakes the main thread once the server runs.
enum Wake {
    Stop,
    /// The search writer finished a job: the memory it freed belongs to
    /// the threads that allocated it (see `release_memory`).
    Collect,
}

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP on Unix; Ctrl-C, Ctrl-Break and
/// closing the console window on Windows: all stop the server cleanly,
/// removing the temporary folder. Through the `ctrlc` crate, which knows
/// each system's API.
fn on_ctrl_c(tx: mpsc::Sender<Wake>) {
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = tx.send(Wake::Stop);
    }) {
        eprintln!("avertissement : Ctrl-C ne pourra pas arrêter proprement le serveur ({e})");
    }
}

/// The search index is background work: it must not slow the rebuilds a
/// writer waits for (on Linux, threads have their own nice value).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn lower_priority() {
    extern "C" {
        fn gettid() -> i32;
        fn setpriority(which: i32, who: u32, prio: i32) -> i32;
    }
    // PRIO_PROCESS with a thread id: this thread only.
    unsafe {
        setpriority(0, gettid() as u32, 10);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn lower_priority() {}

// The allocator of the `fiches` binary (src/main.rs), linked here for
// `release_memory`.
#[cfg(not(windows))]
extern crate mimalloc as _;

/// Gives what a rebuild freed back to the system now, in `pool` (its
/// threads) and in this thread: mimalloc keeps freed pages for seconds
/// before it returns them, and only when it allocates again, while
/// `serve` idles between saves. Without mimalloc (tests), it does nothing
/// of note.
#[cfg(not(windows))]
fn release_memory(pool: Option<&rayon::ThreadPool>) {
    extern "C" {
        fn mi_collect(force: bool);
    }
    // SAFETY: `mi_collect` only returns free memory to the system.
    let collect = || unsafe { mi_collect(true) };
    match pool {
        Some(p) => p.broadcast(|_| collect()),
        None => rayon::broadcast(|_| collect()),
    };
    collect();
}

#[cfg(windows)]
fn release_memory(_: Option<&rayon::ThreadPool>) {}

/// Pages freed by serve's threads go back to the system as soon as they
/// are free (mimalloc's `purge_delay`, 10 ms by default, is only checked
/// when the thread allocates again): a rebuild after an add and the
/// search writer's update free tens of MiB in bursts, and serve's resident
/// memory is what a writer's machine sees. `fiches build` keeps the default.
#[cfg(not(windows))]
fn purge_at_once() {
    extern "C" {
        fn mi_option_set(option: i32, value: std::ffi::c_long);
    }
    // `mi_option_purge_delay` in mimalloc.h's `mi_option_e` (v2, as vendored by
    // libmimalloc-sys 0.1.49, pinned in Cargo.lock): check it again on an upgrade.
    const MI_OPTION_PURGE_DELAY: i32 = 15;
    // SAFETY: sets one of mimalloc's options, read at each purge.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

#[cfg(windows)]
fn purge_at_once() {}

/// Folders left by a `fiches serve` that was killed (its process is gone).
fn remove_stale_folders() {
    #[cfg(target_os = "linux")]
    if let Ok(rd) = std::fs::read_dir(std::env::temp_dir()) {
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().to_string();
            let Some(pid) = name
                .strip_prefix("fiches-serve-")
                .and_then(|r| r.split('-').next())
                .and_then(|p| p.parse::<u32>().ok())
            else {
                continue;
            };
            if pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists() {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn stamp() -> String {
    chrono::Local::now().format("%H:%M:%S").to_string()
}

fn print_diags(d: &Diagnostics) {
    let mut err = std::io::stderr().lock();
    report::print_human(d, &mut err, color());
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0).replace('.', ",")
    } else {
        format!("{ms:.0} ms")
    }
}

/// The changed files, as a writer reads them: `a.md, b.md et 3 autres`.
fn what(shown: &std::collections::BTreeSet<String>) -> String {
    let list: Vec<&str> = shown.iter().map(|s| s.strip_prefix("content/").unwrap_or(s)).collect();
    match list.len() {
        0 => "changement".into(),
        1..=3 => list.join(", "),
        n => format!("{} et {} autres", list[..2].join(", "), n - 2),
    }
}

/// The page served while no version of the site has built yet.
fn placeholder(engine: &Engine, errors: &Diagnostics) -> String {
    let s = crate::i18n::Strings::for_language_or_default(
        engine.site().map(|s| s.config.book.language.as_str()).unwrap_or("fr"),
    );
    let esc = crate::html::escape;
    let mut items = String::new();
    for d in errors
        .items
        .iter()
        .filter(|d| d.severity == crate::diagnostics::Severity::Error)
    {
        items.push_str(&format!(
            "<li><code>{}</code><br>{}",
            esc(&d.location()),
            esc(&d.message)
        ));
        if let Some(h) = &d.hint {
            items.push_str(&format!(
                "<br><small>{} : {}</small>",
                esc(s.get("serve_error_hint")),
                esc(h)
            ));
        }
        items.push_str("</li>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title></head>\n<body style=\"font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem\">\n<h1>{}</h1>\n<p>{}</p>\n<ul>\n{items}</ul>\n{}\n</body></html>\n",
        esc(s.lang),
        esc(s.get("serve_error_title")),
        esc(s.get("serve_error_title")),
        esc(s.get("serve_no_site")),
        live::client_script(engine.base(), s)
    )
}

/// The default browser, through the `open` crate (ShellExecute on Windows,
/// `open` on macOS, xdg-open and its kin elsewhere). Best effort: without a
/// browser the URL is in the terminal anyway.
fn open_browser(url: &str) {
    if let Err(e) = open::that_detached(url) {
        eprintln!("avertissement : navigateur impossible à ouvrir ({e}) : ouvrez {url}");
    }
}

fn warning_set(d: &Diagnostics) -> HashSet<String> {
    d.items.iter().map(|x| x.to_string()).collect()
}

/// The warnings of `now` not printed yet (`said`: the last ones printed).
fn unsaid(now: &Diagnostics, said: &HashSet<String>) -> Vec<Diagnostic> {
    now.items
        .iter()
        .filter(|d| !said.contains(&d.to_string()))
        .cloned()
        .collect()
}

pub fn run(opts: Options) -> std::process::ExitCode {
    use std::process::ExitCode;
    let Some(root) = site_root(&opts.root) else {
        return ExitCode::FAILURE;
    };
    remove_stale_folders();
    purge_at_once();
    let work = match tempfile::Builder::new()
        .prefix(&format!("fiches-serve-{}-", std::process::id()))
        .tempdir()
    {
        Ok(w) => w,
        Err(e) => {
            eprintln!("erreur : dossier temporaire impossible à créer : {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(server) = bind_server(&opts) else {
        return ExitCode::FAILURE;
    };
    let (wake_tx, wake) = mpsc::channel();
    on_ctrl_c(wake_tx.clone());
    let shared = Arc::new(Shared::default());
    let mut engine = Engine::new(&root, opts.drafts, work.path());
    engine.progress = std::io::stderr().is_terminal();
    let failing = first_build(&mut engine, &shared);
    release_memory(None);
    // Watching starts before the URL is shown: no save can be missed.
    let (tx, rx) = mpsc::channel();
    let watcher = start_watching(&engine, tx, opts.poll);
    let server = start_server(server, &opts, &shared);
    let search_done = Arc::new(SearchDone::default());
    let (search_tx, known) = spawn_search_writer(shared.clone(), wake_tx, search_done.clone());
    let mut search_sent = 0;
    if let Some(job) = engine.search_job(&known) {
        search_sent += u64::from(search_tx.send(job).is_ok());
    }
    let rebuilds = Rebuilds {
        engine,
        shared: shared.clone(),
        watcher,
        search_tx,
        known,
        search_sent,
        search_done,
        failing,
        warnings: HashSet::new(),
    };
    std::thread::Builder::new()
        .name("fiches-rebuild".into())
        .spawn(move || rebuilds.run(rx))
        .ok();
    // The first build ran on this thread: the search job's texts, freed
    // by the writer, are on its pages (and the global pool's) until this
    // thread collects them, and it allocates nothing else while it waits
    // (about 40 MiB at 10,000 sheets).
    loop {
        match wake.recv() {
            Ok(Wake::Collect) => release_memory(None),
            Ok(Wake::Stop) => break,
            // No handler: the process ends when killed, as any program does.
            Err(_) => loop {
                std::thread::park();
            },
        }
    }
    eprintln!("\nArrêt du serveur.");
    if let Ok(mut s) = shared.stopping.lock() {
        *s = true;
    }
    drop(server);
    drop(work);
    ExitCode::SUCCESS
}

/// The site folder, canonical; `None` (with a message) without `book.toml`.
fn site_root(given: &Path) -> Option<PathBuf> {
    // dunce: on Windows, `C:\site` rather than `\\?\C:\site`, a
    // verbatim path where `/` is no separator and that tools misread.
    match dunce::canonicalize(given) {
        Ok(r) if r.join(crate::config::CONFIG_FILE).is_file() => Some(r),
        _ => {
            eprintln!(
                "erreur : pas de fichier book.toml dans {} (indiquez le dossier du site avec --root)",
                given.display()
            );
            None
        }
    }
}

/// Builds the whole site once; true when it failed (the error page is
/// served until a rebuild succeeds).
fn first_build(engine: &mut Engine, shared: &Shared) -> bool {
    eprintln!("Construction du site…");
    let start = Instant::now();
    let mut failing = false;
    match engine.build(&Plan {
        full: true,
        ..Default::default()
    }) {
        Outcome::Written { pages, .. } => {
            let warnings = engine.warnings();
            print_diags(&warnings);
            // The budget is measured once the site is served (`Rebuilds::measure_offline`).
            let later = match engine.offline_due() {
                true => " (budget hors connexion : mesure à suivre)",
                false => "",
            };
            eprintln!(
                "Site construit : {}, {}{later}, en {}",
                crate::i18n::count(pages, "page", "pages"),
                crate::i18n::count(warnings.items.len(), "avertissement", "avertissements"),
                ms(start.elapsed())
            );
        }
        Outcome::Failed(d) => {
            print_diags(&d);
            eprintln!(
                "Échec de la construction : {}. Le site sera servi dès que ces erreurs seront corrigées.",
                report::summary_line(&d)
            );
            shared.hub.error(&d);
            if let Ok(mut g) = shared.placeholder.write() {
                *g = placeholder(engine, &d);
            }
            failing = true;
        }
        Outcome::Nothing => {}
    }
    shared.update(engine);
    failing
}

fn start_watching(engine: &Engine, tx: mpsc::Sender<watch::Msg>, poll: bool) -> Option<watch::Watch> {
    let kind = if poll { watch::Kind::Poll } else { watch::Kind::Native };
    let mut w = match watch::Watch::new(tx, kind) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("avertissement : surveillance des fichiers impossible ({e}) : relancez `fiches serve` après chaque modification");
            return None;
        }
    };
    let (deep, shallow) = engine.watch_list();
    w.set(&deep, &shallow);
    if w.kind() == watch::Kind::Poll {
        eprintln!("Surveillance des fichiers par scrutation (toutes les 0,5 s).");
    }
    Some(w)
}

/// Binds the port, before the first build: a port taken is said at once,
/// not after a build of a minute on a large site.
fn bind_server(opts: &Options) -> Option<http::Server> {
    match http::Server::bind(&opts.bind, opts.port) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("erreur : {}", bind_error(&e, &opts.bind, opts.port));
            None
        }
    }
}

/// Why the port cannot be listened on, in French (the system says it in
/// English: `Address already in use (os error 98)`).
fn bind_error(e: &std::io::Error, bind: &str, port: u16) -> String {
    use std::io::ErrorKind;
    let other = port.checked_add(1).unwrap_or(3000);
    match e.kind() {
        ErrorKind::AddrInUse => format!(
            "le port {port} est déjà utilisé, peut-être par un autre `fiches serve` encore ouvert : arrêtez-le (Ctrl-C dans sa fenêtre) ou choisissez un autre port (`--port {other}`, ou `--port 0` pour un port libre)"
        ),
        ErrorKind::PermissionDenied => format!(
            "le port {port} est réservé à l'administrateur de l'ordinateur : choisissez un port au-dessus de 1024 (`--port 3000`)"
        ),
        ErrorKind::AddrNotAvailable => format!(
            "l'adresse `{bind}` n'est pas celle de cet ordinateur : retirez `--bind` (le site n'est alors visible que de cet ordinateur) ou donnez `--bind 0.0.0.0`"
        ),
        _ => format!("impossible d'écouter sur {bind}:{port} : {e} (essayez un autre port avec --port)"),
    }
}

/// Prints the URL, serves, and opens the browser if asked.
fn start_server(mut server: http::Server, opts: &Options, shared: &Arc<Shared>) -> http::Server {
    let port = server.port();
    let host = match opts.bind.as_str() {
        "0.0.0.0" => "127.0.0.1".to_string(),
        "::" | "[::]" => "[::1]".to_string(),
        h if h.contains(':') && !h.starts_with('[') => format!("[{h}]"),
        h => h.to_string(),
    };
    let url = format!("http://{host}:{port}{}", shared.base());
    println!("Site servi sur {url}");
    let _ = std::io::stdout().flush();
    eprintln!("Modifiez une fiche : la page se recharge d'elle-même. Ctrl-C pour arrêter.");
    if opts.bind == "0.0.0.0" || opts.bind == "::" {
        eprintln!(
            "Attention : le site est aussi accessible depuis le réseau local (--bind {}).",
            opts.bind
        );
    }
    server.start(shared.clone());
    if opts.open {
        open_browser(&url);
    }
    server
}

/// The search index is written in the background, latest job only, after
/// the pages have reloaded: the first one takes seconds on a large site
/// (every document is analysed); then a save costs the analysis of the
/// saved sheet and the files that change (`fiches_search::LiveIndex`).
fn spawn_search_writer(
    shared: Arc<Shared>,
    wake: mpsc::Sender<Wake>,
    finished: Arc<SearchDone>,
) -> (mpsc::Sender<disk::SearchJob>, Arc<Mutex<fiches_search::Known>>) {
    let (search_tx, search_rx) = mpsc::channel::<disk::SearchJob>();
    let mut index = fiches_search::LiveIndex::new();
    let known = index.known();
    std::thread::Builder::new()
        .name("fiches-search-index".into())
        .spawn(move || {
            lower_priority();
            // Its own pool, at low priority: page rendering keeps the
            // global one and wins the cores whenever it needs them.
            let pool = rayon::ThreadPoolBuilder::new()
                .start_handler(|_| lower_priority())
                .build()
                .ok();
            let timings = std::env::var_os("FICHES_TIMINGS").is_some();
            while let Ok(mut job) = search_rx.recv() {
                let mut jobs = 1;
                while let Ok(newer) = search_rx.try_recv() {
                    job = newer;
                    jobs += 1;
                }
                let t = Instant::now();
                let done = match &pool {
                    Some(p) => p.install(|| disk::write_search(job, &mut index, &shared.stopping)),
                    None => disk::write_search(job, &mut index, &shared.stopping),
                };
                release_memory(pool.as_ref());
                finished.add(jobs);
                // The job's documents were allocated by the rebuild threads.
                let _ = wake.send(Wake::Collect);
                match done {
                    Ok(None) => break,
                    Ok(Some(u)) if timings || t.elapsed() > Duration::from_secs(1) => eprintln!(
                        "[{}] index de recherche à jour ({} ; {} document(s) analysé(s), {} fichier(s) écrit(s), {} supprimé(s))",
                        stamp(),
                        ms(t.elapsed()),
                        u.analysed,
                        u.written,
                        u.removed
                    ),
                    Ok(Some(_)) => {}
                    Err(e) => eprintln!("[{}] index de recherche non mis à jour : {e}", stamp()),
                }
            }
        })
        .ok();
    (search_tx, known)
}

/// How many search jobs the writer has done; a job replaced by a newer one
/// before it started is done with it.
#[derive(Default)]
struct SearchDone {
    count: Mutex<u64>,
    cv: Condvar,
}

impl SearchDone {
    fn add(&self, jobs: u64) {
        if let Ok(mut c) = self.count.lock() {
            *c += jobs;
        }
        self.cv.notify_all();
    }

    /// Whether `jobs` jobs are done, waiting at most `slice` for it.
    fn reached(&self, jobs: u64, slice: Duration) -> bool {
        let Ok(c) = self.count.lock() else { return true };
        match self.cv.wait_timeout_while(c, slice, |c| *c < jobs) {
            Ok((c, _)) => *c >= jobs,
            Err(_) => true,
        }
    }
}

/// How long the late pages wait for the search index (see `Rebuilds::run`).
const LATE_PAGES_WAIT: Duration = Duration::from_secs(3);

/// The rebuild loop: owns the engine, reports each rebuild on the
/// terminal and to the open pages.
struct Rebuilds {
    engine: Engine,
    shared: Arc<Shared>,
    watcher: Option<watch::Watch>,
    search_tx: mpsc::Sender<disk::SearchJob>,
    /// What the search writer keeps: the documents a job sends the text of.
    known: Arc<Mutex<fiches_search::Known>>,
    /// Search jobs sent, and done by the writer.
    search_sent: u64,
    search_done: Arc<SearchDone>,
    /// The last rebuild failed: the error overlay is shown.
    failing: bool,
    /// Warnings already printed.
    warnings: HashSet<String>,
}

impl Rebuilds {
    fn run(mut self, rx: mpsc::Receiver<watch::Msg>) {
        self.warnings = warning_set(&self.engine.warnings());
        // The site is served: the first build's offline budget now.
        self.measure_offline();
        let mut inbox = watch::Inbox::new(rx);
        loop {
            let engine = &self.engine;
            let batch = inbox.next_batch(Duration::from_secs(3600), &|p| engine.relevant(p));
            let plan = match batch {
                watch::Batch::Paths(set) => engine.plan(&set),
                watch::Batch::Rescan => Plan {
                    full: true,
                    ..Default::default()
                },
                watch::Batch::Timeout => continue,
                watch::Batch::Closed => break,
            };
            if plan.is_empty() {
                // Late pages left to this rebuild by a change that came
                // meanwhile (below) are due even if that change changed
                // nothing: they would otherwise stay stale until the next.
                self.later(&plan);
                continue;
            }
            let t = Instant::now();
            let outcome = self.engine.build(&plan);
            match outcome {
                Outcome::Written {
                    pages,
                    full,
                    files,
                    pending,
                } => {
                    self.written(&plan, t.elapsed(), (pages, full, files), pending);
                    // The rest (booklets, follow-up, sitemap, feeds), unless
                    // the writer saved again: the next rebuild redoes it.
                    let engine = &self.engine;
                    let waiting = !full && inbox.waiting(&|p| engine.relevant(p));
                    // The search index first: it is written at low priority,
                    // beside the late pages, and is what a writer waits for.
                    if full || !waiting {
                        self.search();
                    }
                    if full {
                        self.measure_offline();
                    }
                    // What the rebuild freed (the model and fingerprints it
                    // replaced: 40-70 MiB at 10,000 sheets after an add)
                    // goes back now, not after the late pages.
                    release_memory(None);
                    // After a save, the late pages wait for the index
                    // update: on two cores they took the writer's (at low
                    // priority) for 200 ms of a save's 800 ms to search. A
                    // new save ends the wait and they are left to the next
                    // rebuild. After an add or a remove the index update
                    // takes seconds: the late pages do not wait for it.
                    let saved = !full && !waiting && !plan.reload_content && plan.came_or_went.is_empty();
                    let changed_meanwhile = saved && self.wait_for_search(&mut inbox);
                    if !full && !waiting && !changed_meanwhile {
                        self.later(&plan);
                    }
                }
                Outcome::Failed(d) => self.failed(&plan, &d),
                Outcome::Nothing => {}
            }
            release_memory(None);
        }
    }

    fn reset_watches(&mut self) {
        if let Some(w) = self.watcher.as_mut() {
            let (deep, shallow) = self.engine.watch_list();
            w.set(&deep, &shallow);
        }
    }

    fn written(
        &mut self,
        plan: &Plan,
        took: Duration,
        (pages, full, files): (usize, bool, usize),
        pending: Vec<String>,
    ) {
        // Watches first (pools may have changed): the reload may be
        // followed at once by another save.
        if full {
            self.reset_watches();
        }
        self.shared.update(&self.engine);
        // Pages still to be written reload when they are. Nothing new on
        // screen (a draft that stays a draft): no reload, unless the
        // overlay of an error must go.
        if full || self.failing || pages > 0 || files > 0 || !pending.is_empty() {
            self.shared
                .hub
                .reload(serde_json::json!({ "base": self.engine.base(), "changed": plan.shown, "pending": pending }));
        }
        let fixed = if self.failing { "corrigé, " } else { "" };
        self.failing = false;
        let done = if full {
            format!("site reconstruit ({pages} pages)")
        } else if pages == 0 && files == 0 {
            "aucune page ne change".to_string()
        } else if pages == 0 {
            crate::i18n::count(files, "fichier copié", "fichiers copiés")
        } else {
            crate::i18n::count(pages, "page régénérée", "pages régénérées")
        };
        eprintln!("[{}] {} : {fixed}{done} en {}", stamp(), what(&plan.shown), ms(took));
        let now = self.engine.warnings();
        let fresh = unsaid(&now, &self.warnings);
        if !fresh.is_empty() {
            print_diags(&Diagnostics { items: fresh });
        }
        self.warnings = warning_set(&now);
    }

    fn later(&mut self, plan: &Plan) {
        let t = Instant::now();
        match self.engine.later() {
            Some(Ok(paths)) => {
                if !paths.is_empty() {
                    self.shared.hub.reload(
                        serde_json::json!({ "base": self.engine.base(), "changed": plan.shown, "only": paths }),
                    );
                }
                if std::env::var_os("FICHES_TIMINGS").is_some() {
                    eprintln!("[{}] {} page(s) longue(s) en {}", stamp(), paths.len(), ms(t.elapsed()));
                }
            }
            Some(Err(d)) => {
                print_diags(&d);
                self.shared.hub.error(&d);
                self.failing = true;
            }
            None => {}
        }
    }

    /// Measures the offline budget of the last full build, once its site
    /// is served, and prints what it finds that was not said yet, as
    /// `build` says it, with the count `build` gives.
    fn measure_offline(&mut self) {
        let t = Instant::now();
        if !self.engine.measure_offline_now() {
            return;
        }
        release_memory(None);
        let now = self.engine.warnings();
        let fresh = unsaid(&now, &self.warnings);
        if !fresh.is_empty() {
            print_diags(&Diagnostics { items: fresh });
            eprintln!(
                "[{}] budget hors connexion mesuré en {} : {} en tout",
                stamp(),
                ms(t.elapsed()),
                crate::i18n::count(now.items.len(), "avertissement", "avertissements")
            );
        }
        self.warnings = warning_set(&now);
    }

    /// Hands the search documents of the site just written to the writer.
    fn search(&mut self) {
        if let Some(job) = self.engine.search_job(&self.known) {
            self.search_sent += u64::from(self.search_tx.send(job).is_ok());
        }
    }

    /// Waits, at most `LATE_PAGES_WAIT`, until the writer has done every
    /// job sent; true when a relevant change came meanwhile.
    fn wait_for_search(&self, inbox: &mut watch::Inbox) -> bool {
        let start = Instant::now();
        let engine = &self.engine;
        while start.elapsed() < LATE_PAGES_WAIT {
            if self.search_done.reached(self.search_sent, Duration::from_millis(25)) {
                return false;
            }
            if inbox.waiting(&|p| engine.relevant(p)) {
                return true;
            }
        }
        false
    }

    fn failed(&mut self, plan: &Plan, d: &Diagnostics) {
        eprintln!(
            "[{}] {} : échec de la construction ({}) ; la dernière version correcte reste servie.",
            stamp(),
            what(&plan.shown),
            report::summary_line(d)
        );
        print_diags(d);
        if plan.full {
            self.reset_watches();
        }
        if self.engine.out().is_none() {
            if let Ok(mut g) = self.shared.placeholder.write() {
                *g = placeholder(&self.engine, d);
            }
        }
        self.shared.hub.error(d);
        self.failing = true;
    }
}
