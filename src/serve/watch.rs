//! Watching the sources: notify on `content/`, `static/`, `themes/`,
//! `book.toml` and the pools, with a quiet-period debounce so that an
//! editor's save (temporary file, rename, backup, several writes) makes one
//! rebuild.

use notify::{EventKind, PollWatcher, RecursiveMode, Watcher};
use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// A save is over when nothing moved for this long. Editors write their
/// temporary file, rename it and remove the backup within a few ms.
pub const QUIET: Duration = Duration::from_millis(25);
/// A stream of events (a `git checkout`) still rebuilds this often.
pub const MAX_WAIT: Duration = Duration::from_millis(600);
/// How often the polling watcher looks at the files.
pub const POLL_EVERY: Duration = Duration::from_millis(500);

pub enum Msg {
    Paths(Vec<PathBuf>),
    /// The watcher lost events (queue overflow): only a full rebuild is safe.
    Rescan,
}

/// How changes are seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The system's notifications (inotify, ReadDirectoryChangesW, FSEvents).
    Native,
    /// Looking at every file every [`POLL_EVERY`], comparing contents as well
    /// as modification times: for network drives and USB keys, where
    /// notifications do not come, and where times are coarse (2 s on FAT, and
    /// notify's poller keeps whole seconds): two saves within the same second
    /// are still two changes.
    Poll,
}

pub struct Watch {
    watcher: Box<dyn Watcher + Send>,
    kind: Kind,
    tx: Sender<Msg>,
    watched: Vec<(PathBuf, RecursiveMode)>,
}

fn handler(tx: Sender<Msg>) -> impl notify::EventHandler {
    move |res: notify::Result<notify::Event>| match res {
        Ok(ev) => {
            if ev.need_rescan() {
                let _ = tx.send(Msg::Rescan);
                return;
            }
            // Reads (our own builds open every file) are not changes.
            if matches!(ev.kind, EventKind::Access(_)) || ev.paths.is_empty() {
                return;
            }
            let _ = tx.send(Msg::Paths(ev.paths));
        }
        Err(_) => {
            let _ = tx.send(Msg::Rescan);
        }
    }
}

fn watcher(kind: Kind, tx: Sender<Msg>) -> notify::Result<Box<dyn Watcher + Send>> {
    Ok(match kind {
        Kind::Native => Box::new(notify::recommended_watcher(handler(tx))?),
        Kind::Poll => Box::new(PollWatcher::new(
            handler(tx),
            notify::Config::default()
                .with_poll_interval(POLL_EVERY)
                .with_compare_contents(true),
        )?),
    })
}

impl Watch {
    /// A watcher of `kind`; the system's, when it cannot be had, falls back
    /// to polling.
    pub fn new(tx: Sender<Msg>, kind: Kind) -> notify::Result<Watch> {
        let (watcher, kind) = match watcher(kind, tx.clone()) {
            Ok(w) => (w, kind),
            Err(e) if kind == Kind::Native => {
                eprintln!("avertissement : notifications du système indisponibles ({e}) : les fichiers seront surveillés par scrutation");
                (watcher(Kind::Poll, tx.clone())?, Kind::Poll)
            }
            Err(e) => return Err(e),
        };
        Ok(Watch {
            watcher,
            kind,
            tx,
            watched: Vec::new(),
        })
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Watches `dirs` recursively and each of `shallow` without its subfolders
    /// (the site root: for `book.toml` and folders created later). Only the
    /// differences with the current watches are applied: a watch removed and
    /// added again could miss a save in between. A folder the system cannot
    /// watch (some network shares) switches everything to polling.
    pub fn set(&mut self, dirs: &[PathBuf], shallow: &[PathBuf]) {
        let wanted: Vec<(PathBuf, RecursiveMode)> = shallow
            .iter()
            .map(|d| (d.clone(), RecursiveMode::NonRecursive))
            .chain(dirs.iter().map(|d| (d.clone(), RecursiveMode::Recursive)))
            .filter(|(d, _)| d.is_dir())
            .collect();
        for (p, m) in std::mem::take(&mut self.watched) {
            if wanted.contains(&(p.clone(), m)) {
                self.watched.push((p, m));
            } else {
                let _ = self.watcher.unwatch(&p);
            }
        }
        for (d, m) in wanted {
            if self.watched.contains(&(d.clone(), m)) {
                continue;
            }
            match self.watcher.watch(&d, m) {
                Ok(()) => self.watched.push((d, m)),
                Err(e) if self.kind == Kind::Native => {
                    eprintln!(
                        "avertissement : {} ne peut pas être surveillé par le système ({e}) : les fichiers seront surveillés par scrutation",
                        d.display()
                    );
                    if let Ok(w) = watcher(Kind::Poll, self.tx.clone()) {
                        self.watcher = w;
                        self.kind = Kind::Poll;
                        let all: Vec<_> = std::mem::take(&mut self.watched);
                        for (p, m) in all.into_iter().chain([(d, m)]) {
                            if self.watcher.watch(&p, m).is_ok() {
                                self.watched.push((p, m));
                            }
                        }
                    }
                }
                Err(_) => {}
            }
        }
    }
}

/// Editors' temporary and backup files: `.#x`, `x~`, `#x#`, `.x.swp`, vim's
/// `4913` probe, JetBrains' `___jb_tmp___`, `.goutputstream-*` (hidden).
pub fn is_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return true;
    };
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".bak",
            ".orig",
            ".part",
            ".crdownload",
            "___jb_tmp___",
            "___jb_old___",
            ".kate-swp",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

pub enum Batch {
    Paths(BTreeSet<PathBuf>),
    Rescan,
    Timeout,
    Closed,
}

/// The watcher's messages, with a look ahead: a rebuild's second part is
/// skipped when the writer has already saved again.
pub struct Inbox {
    rx: Receiver<Msg>,
    ahead: VecDeque<Msg>,
}

impl Inbox {
    pub fn new(rx: Receiver<Msg>) -> Inbox {
        Inbox {
            rx,
            ahead: VecDeque::new(),
        }
    }

    /// Whether a change that matters is already waiting.
    pub fn waiting(&mut self, relevant: &dyn Fn(&Path) -> bool) -> bool {
        while let Ok(m) = self.rx.try_recv() {
            self.ahead.push_back(m);
        }
        self.ahead.iter().any(|m| match m {
            Msg::Rescan => true,
            Msg::Paths(ps) => ps.iter().any(|p| relevant(p)),
        })
    }

    fn recv_timeout(&mut self, t: Duration) -> Result<Msg, RecvTimeoutError> {
        match self.ahead.pop_front() {
            Some(m) => Ok(m),
            None => self.rx.recv_timeout(t),
        }
    }

    /// Waits for the next burst of changes and returns its paths once quiet.
    /// `relevant` filters paths as they come, so that unrelated files written
    /// next to the site neither start nor prolong a burst.
    pub fn next_batch(&mut self, timeout: Duration, relevant: &dyn Fn(&Path) -> bool) -> Batch {
        let mut set = BTreeSet::new();
        let mut rescan = false;
        let mut take = |m: Msg, set: &mut BTreeSet<PathBuf>| match m {
            Msg::Rescan => {
                rescan = true;
                true
            }
            Msg::Paths(ps) => {
                let before = set.len();
                set.extend(ps.into_iter().filter(|p| relevant(p)));
                set.len() > before
            }
        };
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.recv_timeout(left) {
                Ok(m) => {
                    if take(m, &mut set) {
                        break;
                    }
                }
                Err(RecvTimeoutError::Timeout) => return Batch::Timeout,
                Err(RecvTimeoutError::Disconnected) => return Batch::Closed,
            }
        }
        let start = Instant::now();
        let mut quiet_until = start + QUIET;
        loop {
            let until = quiet_until.min(start + MAX_WAIT);
            let now = Instant::now();
            if now >= until {
                break;
            }
            match self.recv_timeout(until - now) {
                Ok(m) => {
                    if take(m, &mut set) {
                        quiet_until = Instant::now() + QUIET;
                    }
                }
                Err(_) => break,
            }
        }
        if rescan {
            Batch::Rescan
        } else {
            Batch::Paths(set)
        }
    }
}

/// The folders of a site to watch recursively, and the ones to watch alone
/// (a `book.toml`, a pool that may appear).
pub fn folders(root: &Path, pools: &[crate::config::Pool]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut deep = vec![root.join("content"), root.join("static"), root.join("themes")];
    let mut shallow = vec![root.to_path_buf()];
    for p in pools {
        let dir = root.join(&p.path);
        deep.push(dir.join("content"));
        deep.push(dir.join("static"));
        shallow.push(dir);
    }
    (deep, shallow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_files() {
        for n in [
            ".#a.md",
            "a.md~",
            "#a.md#",
            ".a.md.swp",
            "4913",
            "a.md___jb_tmp___",
            ".goutputstream-X1",
            "a.md.tmp",
        ] {
            assert!(is_scratch(Path::new(n)), "{n}");
        }
        for n in ["a.md", "book.toml", "image.png", "_index.md"] {
            assert!(!is_scratch(Path::new(n)), "{n}");
        }
    }
}
