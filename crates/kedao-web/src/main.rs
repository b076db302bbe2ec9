//! `kedao-web build [--out DIR]`: builds the browser app into DIR (default `frontend/dist`).
//! `kedao-web serve [ARGS…]`: builds it, then runs `kedao serve ARGS…` (release build)
//! serving it; this is what `cargo serve --demo` (an alias in `.cargo/config.toml`) does.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, bail};

const USAGE: &str = "usage: kedao-web build [--out DIR] | kedao-web serve [kedao serve options]";

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("build") => {
            let out = match (args.next().as_deref(), args.next()) {
                (None, _) => kedao_web::default_out_dir(),
                (Some("--out"), Some(dir)) => PathBuf::from(dir),
                _ => bail!("{USAGE}"),
            };
            build(out).map(|_| ())
        }
        Some("serve") => {
            let bundle = build(kedao_web::default_out_dir())?;
            serve(bundle.dir, args.collect())
        }
        _ => bail!("{USAGE}"),
    }
}

fn build(out: PathBuf) -> anyhow::Result<kedao_web::Bundle> {
    let bundle = kedao_web::build(&out)?;
    eprintln!(
        "browser app written to {} ({}: {} KB, {} KB gzipped)",
        bundle.dir.display(),
        bundle.wasm_name,
        bundle.wasm_bytes / 1024,
        bundle.wasm_gzip_bytes / 1024
    );
    Ok(bundle)
}

/// Runs the server from the same workspace, in place of this process where the platform
/// allows, so that Ctrl-C and exit codes reach it directly.
fn serve(web_dir: PathBuf, args: Vec<String>) -> anyhow::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(kedao_web::workspace_root())
        .args(["run", "--release", "--package", "kedao-api", "--", "serve"])
        .args(args)
        .env("KEDAO_WEB_DIR", web_dir);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        Err(command.exec()).context("starting the server")
    }
    #[cfg(not(unix))]
    {
        let status = command.status().context("starting the server")?;
        std::process::exit(status.code().unwrap_or(1));
    }
}
