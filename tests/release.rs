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
    eprintln!(
        "{} ({} bytes, {:.1} MB) imports: {}",
        exe.display(),
        data.len(),
        data.len() as f64 / 1048576.0,
        dlls.join(", ")
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
    Some(PathBuf::from("/usr/lib/wine/wine64")).filter(|p| p.is_file())
}

fn windows_path(p: &std::path::Path) -> String {
    format!("Z:{}", p.display()).replace('/', "\\")
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
    let Some(wine) = wine() else {
        eprintln!("Wine not installed (apt-get install wine64): the Windows executable was not run");
        return;
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
    // One prefix for every run: the first `wineboot` takes a while.
    let prefix = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("wine-prefix");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(&wine)
            .arg(&exe)
            .args(args)
            .env("WINEPREFIX", &prefix)
            .env("WINEDEBUG", "-all")
            .env("NO_COLOR", "1")
            .env_remove("DISPLAY")
            .output()
            .expect("wine");
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert!(o.status.success(), "fiches.exe {args:?}: {err}\n{out}");
        (out, err)
    };
    let (version, _) = run(&["--version"]);
    assert!(version.starts_with("fiches "), "{version}");
    let root = windows_path(&site);
    let out = tmp.path().join("publié");
    run(&["--root", &root, "check"]);
    run(&["--root", &root, "build", "--quiet", "--output", &windows_path(&out)]);
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
    // `init` in a folder given the Windows way: base-url from its name.
    let new = tmp.path().join("clg-test");
    run(&["init", &windows_path(&new)]);
    let book = std::fs::read_to_string(new.join("book.toml")).unwrap();
    assert!(book.contains("base-url = \"/clg-test/\""), "{book}");
    run(&["--root", &windows_path(&new), "check", "--strict"]);
}
