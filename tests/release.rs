//! The files of scripts/release.sh: the Windows executable's PE header and
//! import table (with the `object` crate), read without Windows.
//!
//! They are in `target/release-files/` once scripts/release.sh has run (which runs this
//! test with FICHES_DIST_DIR set). Without FICHES_DIST_DIR and without a
//! release, the executable checks say so and pass; with FICHES_DIST_DIR, a
//! missing file is a failure.

use object::pe;
use object::read::pe::{ImageNtHeaders, PeFile64};
use object::LittleEndian as LE;
use std::path::PathBuf;

const EXE: &str = "fiches-windows-x86_64.exe";
/// The issue's target for a download a teacher makes on a school PC.
const MAX_SIZE: u64 = 15 * 1024 * 1024;

/// DLLs that every Windows 10 and 11 installation ships (system32), and the
/// API sets (`api-ms-win-*`, `ext-ms-win-*`) that map to them. Not here on
/// purpose: the MinGW runtime (libgcc_s_seh-1, libwinpthread-1,
/// libstdc++-6) and the Visual C++ redistributable (vcruntime140,
/// msvcp140), which a school PC may lack.
const SYSTEM_DLLS: &[&str] = &[
    "kernel32.dll",
    "kernelbase.dll",
    "ntdll.dll",
    "advapi32.dll",
    "bcrypt.dll",
    "bcryptprimitives.dll",
    "crypt32.dll",
    "gdi32.dll",
    "iphlpapi.dll",
    "msvcrt.dll",
    "ucrtbase.dll",
    "ole32.dll",
    "oleaut32.dll",
    "secur32.dll",
    "shell32.dll",
    "shlwapi.dll",
    "user32.dll",
    "userenv.dll",
    "version.dll",
    "ws2_32.dll",
    "synchronization.dll",
    "dbghelp.dll",
];

fn is_system_dll(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    SYSTEM_DLLS.contains(&n.as_str()) || n.starts_with("api-ms-win-") || n.starts_with("ext-ms-win-")
}

fn dist() -> (PathBuf, bool) {
    match std::env::var_os("FICHES_DIST_DIR") {
        Some(d) => (PathBuf::from(d), true),
        None => (
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release-files"),
            false,
        ),
    }
}

/// The DLLs an executable loads at start and on first use (delay-load).
fn imported_dlls(data: &[u8]) -> Result<(u16, u16, Vec<String>), String> {
    let file = PeFile64::parse(data).map_err(|e| format!("not a 64-bit PE file: {e}"))?;
    let nt = file.nt_headers();
    let machine = nt.file_header().machine.get(LE);
    let subsystem = nt.optional_header().subsystem.get(LE);
    let mut dlls = Vec::new();
    let dirs = file.data_directories();
    let sections = file.section_table();
    if let Some(table) = dirs.import_table(data, &sections).map_err(|e| e.to_string())? {
        for d in table.descriptors().map_err(|e| e.to_string())? {
            let d = d.map_err(|e| e.to_string())?;
            let name = table.name(d.name.get(LE)).map_err(|e| e.to_string())?;
            dlls.push(String::from_utf8_lossy(name).into_owned());
        }
    }
    if let Some(table) = dirs
        .delay_load_import_table(data, &sections)
        .map_err(|e| e.to_string())?
    {
        for d in table.descriptors().map_err(|e| e.to_string())? {
            let d = d.map_err(|e| e.to_string())?;
            let name = table.name(d.dll_name_rva.get(LE)).map_err(|e| e.to_string())?;
            dlls.push(String::from_utf8_lossy(name).into_owned());
        }
    }
    Ok((machine, subsystem, dlls))
}

#[test]
fn windows_executable_needs_only_dlls_that_windows_ships() {
    let (dir, required) = dist();
    let exe = dir.join(EXE);
    let data = match std::fs::read(&exe) {
        Ok(d) => d,
        Err(e) if !required => {
            eprintln!("{}: {e}; run scripts/release.sh to check it", exe.display());
            return;
        }
        Err(e) => panic!("{}: {e}", exe.display()),
    };
    let (machine, subsystem, dlls) = imported_dlls(&data).unwrap_or_else(|e| panic!("{}: {e}", exe.display()));
    assert_eq!(machine, pe::IMAGE_FILE_MACHINE_AMD64, "x86-64");
    assert_eq!(
        subsystem,
        pe::IMAGE_SUBSYSTEM_WINDOWS_CUI,
        "a console program (it prints, and Ctrl-C stops serve)"
    );
    // MinGW writes one import descriptor per object file: one name each.
    let mut names: Vec<String> = dlls.iter().map(|d| d.to_ascii_lowercase()).collect();
    names.sort();
    names.dedup();
    eprintln!(
        "{} ({} bytes, {:.1} MB) imports: {}",
        exe.display(),
        data.len(),
        data.len() as f64 / 1048576.0,
        names.join(", ")
    );
    assert!(dlls.iter().any(|d| d.eq_ignore_ascii_case("kernel32.dll")), "{dlls:?}");
    let foreign: Vec<&String> = dlls.iter().filter(|d| !is_system_dll(d)).collect();
    assert!(
        foreign.is_empty(),
        "DLLs that Windows does not ship: {foreign:?} (all: {dlls:?})"
    );
    assert!(
        (data.len() as u64) < MAX_SIZE,
        "{} is {} bytes, over 15 MB",
        exe.display(),
        data.len()
    );
}

#[test]
fn the_dll_check_rejects_runtimes_that_windows_lacks() {
    for ok in [
        "KERNEL32.dll",
        "ntdll.dll",
        "api-ms-win-core-synch-l1-2-0.dll",
        "WS2_32.dll",
    ] {
        assert!(is_system_dll(ok), "{ok}");
    }
    for bad in [
        "libgcc_s_seh-1.dll",
        "libwinpthread-1.dll",
        "libstdc++-6.dll",
        "VCRUNTIME140.dll",
        "zstd.dll",
    ] {
        assert!(!is_system_dll(bad), "{bad}");
    }
    // Not a PE file: an error, not an empty list.
    assert!(imported_dlls(b"\x7fELF not a PE file").is_err());
}

#[test]
fn linux_binary_and_checksums_match() {
    let (dir, required) = dist();
    let sums = match std::fs::read_to_string(dir.join("SHA256SUMS")) {
        Ok(s) => s,
        Err(e) if !required => {
            eprintln!("{}: {e}; run scripts/release.sh to check it", dir.display());
            return;
        }
        Err(e) => panic!("{}/SHA256SUMS: {e}", dir.display()),
    };
    // sha256sum's own check, as the README tells a teacher to do.
    let o = std::process::Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .expect("sha256sum");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let names: Vec<&str> = sums
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(|n| n.trim_start_matches('*'))
        .collect();
    assert!(names.contains(&"fiches-linux-x86_64"), "{sums}");
    let v = std::process::Command::new(dir.join("fiches-linux-x86_64"))
        .arg("--version")
        .output()
        .expect("run the static binary");
    let line = String::from_utf8_lossy(&v.stdout).trim().to_string();
    // `fiches 0.1.0 (<commit> <AAAA-MM-JJ>)`
    let re = regex::Regex::new(r"^fiches \d+\.\d+\.\d+ \(\S+ \d{4}-\d{2}-\d{2}\)$").unwrap();
    assert!(re.is_match(&line), "{line:?}");
    assert_eq!(
        std::fs::read_to_string(dir.join("VERSION")).unwrap().trim(),
        line,
        "VERSION file"
    );
}

/// Wine, when installed, maps `Z:` to `/`: the Windows executable is given
/// drive letters and backslashes, for real.
fn wine() -> Option<PathBuf> {
    for name in ["wine64", "wine"] {
        if let Some(p) = std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
        {
            return Some(p);
        }
    }
    // Debian's wine64 package puts it there, outside PATH.
    Some(PathBuf::from("/usr/lib/wine/wine64")).filter(|p| p.is_file())
}

fn windows_path(p: &std::path::Path) -> String {
    format!("Z:{}", p.display()).replace('/', "\\")
}

/// A 64-bit Wine prefix that runs fiches.exe: the program, the prefix and
/// the DLL overrides its runs need.
struct Wine {
    bin: PathBuf,
    prefix: PathBuf,
    overrides: &'static str,
}

impl Wine {
    fn command(&self) -> std::process::Command {
        let mut c = std::process::Command::new(&self.bin);
        c.env("WINEPREFIX", &self.prefix)
            .env("WINEARCH", "win64")
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", self.overrides)
            .env("NO_COLOR", "1")
            .env_remove("DISPLAY");
        c
    }
}

/// Sets up the prefix once (target/tmp/wine-prefix), or says why Wine
/// cannot run the executable here.
fn wine_prefix() -> Result<Wine, String> {
    let bin = wine().ok_or("Wine is not installed (apt-get install wine64)")?;
    let prefix = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wine-prefix");
    let system32 = prefix.join("drive_c/windows/system32");
    if !prefix.join("system.reg").is_file() || !system32.join("kernel32.dll").is_file() {
        // 64-bit only: Debian's wine64 has no 32-bit half, so wineboot's
        // "failed to open C:\windows\syswow64\rundll32.exe" is expected and
        // harmless. No Mono or Gecko: fiches needs neither, and their
        // installers would ask for a download.
        let o = std::process::Command::new(&bin)
            .args(["wineboot", "--init"])
            .env("WINEPREFIX", &prefix)
            .env("WINEARCH", "win64")
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("DISPLAY")
            .output()
            .map_err(|e| format!("{}: {e}", bin.display()))?;
        if !system32.join("kernel32.dll").is_file() {
            return Err(format!(
                "wineboot --init could not set up {} ({}): {}",
                prefix.display(),
                o.status,
                String::from_utf8_lossy(&o.stderr)
            ));
        }
    }
    let shim = system32.join("bcryptprimitives.dll");
    let marker = prefix.join("fiches-bcryptprimitives-stand-in");
    if !shim.is_file() || marker.is_file() {
        // Wine 8 (Debian 12) lacks bcryptprimitives.dll, which Rust's std
        // imports for ProcessPrng and Windows 10/11 ship: its loader stops
        // with STATUS_DLL_NOT_FOUND (exit code 53) before fiches runs. A
        // stand-in built from tests/wine/ goes into this prefix only.
        if !marker.is_file() {
            let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/wine");
            let o = std::process::Command::new("x86_64-w64-mingw32-gcc")
                .args(["-O2", "-shared", "-s", "-nostdlib", "-Wl,--entry,DllMain", "-o"])
                .arg(&shim)
                .arg(src.join("bcryptprimitives.c"))
                .arg(src.join("bcryptprimitives.def"))
                .arg("-ladvapi32")
                .output()
                .map_err(|e| {
                    format!(
                        "this Wine lacks bcryptprimitives.dll, and its stand-in cannot be built without \
                         x86_64-w64-mingw32-gcc (apt-get install gcc-mingw-w64-x86-64): {e}"
                    )
                })?;
            if !o.status.success() {
                return Err(format!(
                    "building the bcryptprimitives.dll stand-in: {}",
                    String::from_utf8_lossy(&o.stderr)
                ));
            }
            std::fs::write(&marker, "tests/wine/bcryptprimitives.c\n").unwrap();
        }
        return Ok(Wine {
            bin,
            prefix,
            overrides: "mscoree,mshtml=;bcryptprimitives=n",
        });
    }
    Ok(Wine {
        bin,
        prefix,
        overrides: "mscoree,mshtml=",
    })
}

/// Every file under `dir`, as relative paths with `/`.
fn files_under(dir: &std::path::Path) -> std::collections::BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

#[test]
fn windows_executable_builds_the_demo_site_with_windows_paths_under_wine() {
    let (dir, required) = dist();
    let exe = dir.join(EXE);
    if !exe.is_file() {
        assert!(!required, "{} missing", exe.display());
        eprintln!("{} missing; run scripts/release.sh to check it", exe.display());
        return;
    }
    let wine = match wine_prefix() {
        Ok(w) => w,
        // scripts/release.sh installs Wine and sets FICHES_REQUIRE_WINE=1:
        // there, not running the executable is a failure.
        Err(why) if std::env::var_os("FICHES_REQUIRE_WINE").is_some_and(|v| v == "1") => {
            panic!("the Windows executable could not be run: {why}")
        }
        Err(why) => {
            eprintln!("SKIPPED: the Windows executable was not run under Wine: {why}");
            return;
        }
    };
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(demo.join("book.toml"), site.join("book.toml")).unwrap();
    for sub in ["content", "static"] {
        let o = std::process::Command::new("cp")
            .args(["-r"])
            .arg(demo.join(sub))
            .arg(&site)
            .status()
            .unwrap();
        assert!(o.success());
    }
    let run = |args: &[&str]| {
        let o = wine.command().arg(&exe).args(args).output().expect("wine");
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(o.status.success(), "fiches.exe {args:?} ({}): {err}\n{out}", o.status);
        (out, err)
    };
    let (version, _) = run(&["--version"]);
    assert!(version.starts_with("fiches "), "{version}");
    if let Ok(linux) = std::fs::read_to_string(dir.join("VERSION")) {
        // Both built by one run of release.sh: same commit, same day.
        assert_eq!(version.trim(), linux.trim(), "the two binaries' version lines");
    }
    eprintln!("under Wine: {}", version.trim());
    let root = windows_path(&site);
    let out = tmp.path().join("publié");
    let (_, report) = run(&["--root", &root, "check"]);
    assert!(report.contains("0 erreur"), "{report}");
    let (_, built) = run(&["--root", &root, "build", "--output", &windows_path(&out)]);
    // Messages name the output the Windows way it was given.
    assert!(built.contains(&windows_path(&out)), "{built}");
    assert!(out.join("index.html").is_file());
    assert!(out.join("fiches").is_dir());
    // URLs are made of `/`, whatever the system's separator.
    let href = regex::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&out).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "html") {
            pages += 1;
            let html = std::fs::read_to_string(e.path()).unwrap();
            for c in href.captures_iter(&html) {
                assert!(!c[1].contains('\\'), "{}: {}", e.path().display(), &c[1]);
            }
        }
    }
    assert!(pages > 20, "{pages} pages");
    // The same site built on Linux: the same files. By the Linux binary of
    // the same release, the same bytes too.
    let linux_out = tmp.path().join("linux");
    let release_linux = dir.join("fiches-linux-x86_64");
    let (linux, same_release) = if release_linux.is_file() {
        (release_linux, true)
    } else {
        (PathBuf::from(env!("CARGO_BIN_EXE_fiches")), false)
    };
    let o = std::process::Command::new(&linux)
        .arg("--root")
        .arg(&site)
        .args(["build", "--quiet", "--output"])
        .arg(&linux_out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (windows_files, linux_files) = (files_under(&out), files_under(&linux_out));
    assert_eq!(
        windows_files.symmetric_difference(&linux_files).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "files only one of the builds wrote"
    );
    if same_release {
        let differ: Vec<&String> = windows_files
            .iter()
            .filter(|f| {
                std::fs::read(out.join(f.as_str())).unwrap() != std::fs::read(linux_out.join(f.as_str())).unwrap()
            })
            .collect();
        assert!(differ.is_empty(), "differ between Windows and Linux: {differ:?}");
    }
    eprintln!(
        "under Wine: {} files, {pages} pages, the same as the Linux build{}",
        windows_files.len(),
        if same_release { ", byte for byte" } else { "" }
    );
    // `init` in a folder given the Windows way: base-url from its name.
    let new = tmp.path().join("clg-test");
    run(&["init", &windows_path(&new)]);
    let book = std::fs::read_to_string(new.join("book.toml")).unwrap();
    assert!(book.contains("base-url = \"/clg-test/\""), "{book}");
    // With the full address the path-only base-url warning asks for.
    std::fs::write(
        new.join("book.toml"),
        book.replace(
            "base-url = \"/clg-test/\"",
            "base-url = \"https://college.example.org/clg-test/\"",
        ),
    )
    .unwrap();
    run(&["--root", &windows_path(&new), "check", "--strict"]);
}
