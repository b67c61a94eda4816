//! Builds the browser console (the `frontend` crate) for wasm32, runs wasm-bindgen on it,
//! gzips each file once with Zopfli (smaller than gzip's best, and no compressing per request),
//! and generates `console_assets.rs`, which embeds every file so the `tributary` binary serves
//! the console on its own.
//!
//! The designer is split off into a module of its own (`split_designer.wasm`, see
//! `frontend/src/pages/mod.rs`) that the browser fetches when the designer first opens: the
//! linked module is split before wasm-bindgen, which keeps the exports the split modules link
//! against; the split modules are re-encoded without their name sections.
//!
//! The nested cargo gets its own target dir (sharing the outer one deadlocks on its lock) and
//! none of the host-only variables (flags, wrappers such as clippy's). `SKIP_FRONTEND_BUILD=1`
//! embeds a one-page placeholder instead, for IDE checks.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

type BuildResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

const HOST_ONLY_VARS: &[&str] = &[
    "RUSTFLAGS",
    "CARGO_ENCODED_RUSTFLAGS",
    "CARGO_BUILD_RUSTFLAGS",
    "RUSTC_WRAPPER",
    "RUSTC_WORKSPACE_WRAPPER",
    "CARGO_BUILD_RUSTC_WRAPPER",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET",
    "CLIPPY_ARGS",
    "CLIPPY_CONF_DIR",
];

fn main() -> BuildResult {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let workspace = manifest_dir.parent().ok_or("backend has no parent directory")?.to_path_buf();
    let out_dir = PathBuf::from(env::var("OUT_DIR")?);
    let console_dir = out_dir.join("console");
    if console_dir.exists() {
        fs::remove_dir_all(&console_dir)?;
    }
    fs::create_dir_all(&console_dir)?;

    println!("cargo:rerun-if-env-changed=SKIP_FRONTEND_BUILD");
    for watched in [
        "frontend/src",
        "frontend/assets",
        "frontend/index.html",
        "frontend/Cargo.toml",
        "model/src",
        "model/Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
    ] {
        println!("cargo:rerun-if-changed={}", workspace.join(watched).display());
    }

    if env::var_os("SKIP_FRONTEND_BUILD").is_some_and(|v| v != "0") {
        fs::write(
            console_dir.join("index.html"),
            "<!doctype html><title>Tributary</title><p>This binary was built with SKIP_FRONTEND_BUILD=1; the console is not included.</p>",
        )?;
    } else {
        build_console(&workspace, &out_dir, &console_dir)?;
    }
    write_asset_table(&console_dir, &out_dir.join("console_assets.rs"))
}

fn build_console(workspace: &Path, out_dir: &Path, console_dir: &Path) -> BuildResult {
    // OUT_DIR is <target>/[<triple>/]<profile>/build/backend-<hash>/out.
    let outer_target = out_dir.ancestors().nth(4).ok_or("unexpected OUT_DIR layout")?;
    let nested_target = outer_target.join("console-build");
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(workspace)
        .args(["build", "-p", "frontend", "--lib", "--target", "wasm32-unknown-unknown"])
        .args(["--profile", "wasm-release", "--target-dir"])
        .arg(&nested_target)
        .stdout(Stdio::from(std::io::stderr()))
        .stderr(Stdio::inherit());
    for var in HOST_ONLY_VARS {
        command.env_remove(var);
    }
    let status = command.status()?;
    if !status.success() {
        return Err(format!(
            "building the console for wasm32 failed ({status}); is the target installed? \
             run `rustup target add wasm32-unknown-unknown`"
        )
        .into());
    }

    let wasm = nested_target.join("wasm32-unknown-unknown/wasm-release/frontend.wasm");
    let main_module = nested_target.join("frontend_main.wasm");
    split_on_demand_modules(&wasm, &main_module, console_dir)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&main_module)
        .web(true)
        .map_err(|e| e.to_string())?
        .typescript(false)
        .keep_lld_exports(true)
        .demangle(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .out_name("frontend")
        .generate(console_dir)
        .map_err(|e| format!("wasm-bindgen failed: {e}"))?;

    fs::copy(workspace.join("frontend/index.html"), console_dir.join("index.html"))?;
    for entry in fs::read_dir(workspace.join("frontend/assets"))? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            fs::copy(entry.path(), console_dir.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// Split `linked` at its `wasm_split` points: the main module goes to `main_module` (for
/// wasm-bindgen), each split module and the script that loads them into `console_dir`.
fn split_on_demand_modules(linked: &Path, main_module: &Path, console_dir: &Path) -> BuildResult {
    let bytes = fs::read(linked)?;
    let mut options = wasm_split_cli_support::Options::new(&bytes);
    options.output_dir = console_dir;
    options.main_out_path = main_module;
    options.main_module = "./frontend.js";
    options.link_name = "./__wasm_split.js";
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| format!("splitting the console failed: {e:#}"))?;
    if split.split_modules.is_empty() {
        return Err(
            "splitting the console found no split point; is the designer still loaded on demand?".into()
        );
    }
    for module in &split.split_modules {
        let mut parsed = walrus::ModuleConfig::new()
            .generate_name_section(false)
            .generate_producers_section(false)
            .parse_file(module)
            .map_err(|e| format!("reading {}: {e}", module.display()))?;
        parsed.emit_wasm_file(module)?;
    }
    Ok(())
}

/// Files smaller than this are sent as they are.
const COMPRESS_FROM: usize = 1024;

/// `pub static CONSOLE_ASSETS: &[ConsoleAsset]` (see `http/console.rs`): URL path under
/// `/assets/` → bytes and, for files worth it, their gzip encoding (`index.html` is served at `/` and for
/// every console route).
fn write_asset_table(console_dir: &Path, target: &Path) -> BuildResult {
    let mut files = Vec::new();
    collect_files(console_dir, &mut files)?;
    files.sort();
    let gzip_dir = console_dir.with_file_name("console-gzip");
    if gzip_dir.exists() {
        fs::remove_dir_all(&gzip_dir)?;
    }
    let mut code = String::from("pub static CONSOLE_ASSETS: &[ConsoleAsset] = &[\n");
    for file in files {
        let relative = file.strip_prefix(console_dir)?.to_string_lossy().replace('\\', "/");
        let gzipped = match gzip(&file, &gzip_dir.join(&relative))? {
            Some(path) => format!("Some(include_bytes!({:?}))", path.display().to_string()),
            None => "None".to_owned(),
        };
        let bytes = format!("include_bytes!({:?})", file.display().to_string());
        code.push_str(&format!("    ({relative:?}, {bytes}, {gzipped}),\n"));
    }
    code.push_str("];\n");
    fs::write(target, code)?;
    Ok(())
}

/// Write the gzip encoding of `file` to `target` when the file is large enough to gain from it.
fn gzip(file: &Path, target: &Path) -> BuildResult<Option<PathBuf>> {
    let bytes = fs::read(file)?;
    if bytes.len() < COMPRESS_FROM {
        return Ok(None);
    }
    let options = zopfli::Options {
        // Past a few passes the console shrinks by bytes while the build takes seconds more.
        iteration_count: std::num::NonZeroU64::new(5).ok_or("zero iterations")?,
        ..zopfli::Options::default()
    };
    let mut gzipped = Vec::new();
    zopfli::compress(options, zopfli::Format::Gzip, bytes.as_slice(), &mut gzipped)?;
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir)?;
    }
    fs::write(target, gzipped)?;
    Ok(Some(target.to_path_buf()))
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> BuildResult {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}
