//! Builds the browser app (`frontend/`) into a static bundle the server serves at `/`.
//!
//! Nothing but rustup's Rust is needed: the WebAssembly is compiled by `cargo build` in the
//! `wasm-release` profile, and wasm-bindgen runs here as a library (pinned to the exact
//! version of the `wasm-bindgen` crate, whose private schema it must match), so there is no
//! `cargo install`, no trunk and no download. The bundle is an `index.html` (never cached)
//! and content-hashed `app-<hash>.js`, `app-<hash>.wasm` and `style-<hash>.css` (cached
//! forever: a new build has new names).

mod bundle;
mod compile;

pub use bundle::{Bundle, write_bundle};
pub use compile::{compile_wasm, ensure_wasm_target};

use std::path::{Path, PathBuf};

/// The workspace this tool belongs to (it is built from it).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set, else the workspace's `target/`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map_or_else(|| workspace_root().join("target"), |dir| absolute(&dir))
}

/// Where `kedao-web build` writes the bundle unless told otherwise (gitignored).
pub fn default_out_dir() -> PathBuf {
    workspace_root().join("frontend").join("dist")
}

/// Compiles the app of this tool's workspace and writes the bundle into `out_dir`.
pub fn build(out_dir: &Path) -> anyhow::Result<Bundle> {
    build_workspace(&workspace_root(), out_dir)
}

/// Compiles the app of the workspace at `workspace` and writes the bundle into `out_dir`: the
/// one entry point for the command and for the browser tests (which name their own
/// workspace, so they always test the tree they were built from).
pub fn build_workspace(workspace: &Path, out_dir: &Path) -> anyhow::Result<Bundle> {
    ensure_wasm_target()?;
    let wasm = compile_wasm(workspace, &target_dir())?;
    let css = std::fs::read_to_string(workspace.join("frontend").join("style.css"))?;
    write_bundle(&wasm, &css, out_dir)
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}
