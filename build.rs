// The theme and the scaffolding templates are embedded in the binary
// (include_dir!/include_str!): rebuild when any of their files changes.
// Also gives `fiches --version` its commit and build date, and minifies the
// default theme's scripts (`minify_scripts`).
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=scaffold");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=FICHES_COMMIT");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    println!("cargo:rustc-env=FICHES_COMMIT={}", commit(&dir));
    println!("cargo:rustc-env=FICHES_BUILD_DATE={}", build_date());
    minify_scripts(&dir.join("themes/default/assets"));
}

/// The default theme's scripts, minified with their local names renamed
/// (oxc), into `$OUT_DIR/minified.rs`: `MINIFIED`, (asset name, bytes) for
/// src/theme.rs. Done here rather than when a site is built so that the
/// minifier (some 2 MB of code) stays out of the executable. The engine is
/// loaded by a first query: its weight counts (issue 14). `/*!` licence
/// comments stay. The compressor may write ES2015 syntax (template
/// strings), no later: the scripts already need ES2015 (Promise,
/// Array.from), and `a ||= b` (ES2021) would cut off older tablets. Each
/// script is one function scope, so renaming never reaches a global that
/// another script reads.
fn minify_scripts(assets: &Path) {
    use oxc::allocator::Allocator;
    use oxc::codegen::{Codegen, CodegenOptions, CommentOptions, LegalComment};
    use oxc::minifier::{CompressOptions, Minifier, MinifierOptions};
    use oxc::parser::Parser;
    use oxc::span::SourceType;

    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(assets)
        .expect("themes/default/assets")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".js"))
        .collect();
    names.sort();
    let mut table = String::from("pub static MINIFIED: &[(&str, &[u8])] = &[\n");
    for name in names {
        let src = std::fs::read_to_string(assets.join(&name)).expect("script");
        let allocator = Allocator::default();
        let parsed = Parser::new(&allocator, &src, SourceType::script()).parse();
        if parsed.panicked || parsed.diagnostics.has_errors() {
            panic!("themes/default/assets/{name}: {:?}", parsed.diagnostics);
        }
        let mut program = parsed.program;
        let compress = CompressOptions {
            target: oxc_compat::EngineTargets::from_target("es2015").expect("es2015"),
            ..CompressOptions::smallest()
        };
        let options = MinifierOptions {
            compress: Some(compress),
            ..MinifierOptions::default()
        };
        let ret = Minifier::new(options).minify(&allocator, &mut program);
        let options = CodegenOptions {
            comments: CommentOptions {
                legal: LegalComment::Inline,
                ..CommentOptions::disabled()
            },
            ..CodegenOptions::minify()
        };
        let code = Codegen::new()
            .with_options(options)
            .with_scoping(ret.scoping)
            .build(&program)
            .code;
        let file = out.join(format!("min-{name}"));
        std::fs::write(&file, code).expect("OUT_DIR");
        table.push_str(&format!(
            "    ({name:?}, include_bytes!({:?})),\n",
            file.display().to_string()
        ));
    }
    table.push_str("];\n");
    std::fs::write(out.join("minified.rs"), table).expect("OUT_DIR");
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !s.is_empty()).then_some(s)
}

/// FICHES_COMMIT if set; else the checkout's HEAD, only when this folder is
/// the top of that checkout (a tarball unpacked inside another repository
/// must not take its commit); else the commit that `cargo package` recorded;
/// else "inconnu".
fn commit(dir: &Path) -> String {
    if let Some(c) = std::env::var("FICHES_COMMIT").ok().filter(|c| !c.trim().is_empty()) {
        return c.trim().to_string();
    }
    if is_checkout_top(dir) {
        if let Some(c) = git(dir, &["rev-parse", "--short=10", "HEAD"]) {
            // A checkout rewrites HEAD; a commit, reset or checkout appends
            // to its log. Only files that exist: a missing one would rerun
            // this script on every build.
            for p in ["HEAD", "logs/HEAD"] {
                if let Some(f) = git(dir, &["rev-parse", "--git-path", p]) {
                    let f = dir.join(f);
                    if f.is_file() {
                        println!("cargo:rerun-if-changed={}", f.display());
                    }
                }
            }
            return c;
        }
    }
    if let Ok(info) = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")) {
        if let Some(sha) = info
            .split("\"sha1\"")
            .nth(1)
            .and_then(|r| r.split('"').nth(1))
            .filter(|s| s.len() >= 10 && s.chars().all(|c| c.is_ascii_hexdigit()))
        {
            return sha[..10].to_string();
        }
    }
    "inconnu".to_string()
}

fn is_checkout_top(dir: &Path) -> bool {
    let top = git(dir, &["rev-parse", "--show-toplevel"]).and_then(|t| PathBuf::from(t).canonicalize().ok());
    top.is_some() && top == dir.canonicalize().ok()
}

/// The UTC day of the build; SOURCE_DATE_EPOCH (reproducible builds) wins.
fn build_date() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm): no
    // dependency for the build script.
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
