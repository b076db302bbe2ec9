//! Compiling the app to WebAssembly with the ordinary `cargo`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

/// The target the browser app is compiled for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The Cargo profile of the app (small code: opt-level "z", LTO; see the workspace manifest).
pub const WASM_PROFILE: &str = "wasm-release";
const APP_PACKAGE: &str = "kedao-frontend";

/// Installs the wasm32 target through rustup (a no-op when it is there). Without rustup the
/// target is assumed to be installed some other way; `cargo build` says so if it is not.
pub fn ensure_wasm_target() -> anyhow::Result<()> {
    match Command::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .output()
    {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => bail!(
            "`rustup target add {WASM_TARGET}` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(_) => Ok(()),
    }
}

/// Builds the app's `.wasm` and returns its path.
pub fn compile_wasm(workspace: &Path, target_dir: &Path) -> anyhow::Result<PathBuf> {
    // The cargo that runs this tool (or the tests), so the same toolchain builds the app.
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(workspace)
        .args([
            "build",
            "--package",
            APP_PACKAGE,
            "--bin",
            APP_PACKAGE,
            "--target",
            WASM_TARGET,
            "--profile",
            WASM_PROFILE,
        ])
        .env("CARGO_TARGET_DIR", target_dir)
        // Flags meant for the host build (coverage, sanitizers) do not fit wasm32.
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .status()
        .context("running cargo to build the browser app")?;
    if !status.success() {
        bail!("building the browser app ({APP_PACKAGE}) for {WASM_TARGET} failed");
    }
    let wasm = target_dir
        .join(WASM_TARGET)
        .join(WASM_PROFILE)
        .join(format!("{APP_PACKAGE}.wasm"));
    if !wasm.is_file() {
        bail!("cargo succeeded but {} is missing", wasm.display());
    }
    Ok(wasm)
}
