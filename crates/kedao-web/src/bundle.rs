//! From the compiled `.wasm` to the files the server serves: wasm-bindgen's JavaScript glue,
//! the processed `.wasm`, the style sheet, each under a name carrying a hash of its content,
//! and the `index.html` that loads them.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use wasm_bindgen_cli_support::Bindgen;

/// What a build wrote.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub dir: PathBuf,
    /// The `app-<hash>.wasm` file name.
    pub wasm_name: String,
    pub wasm_bytes: usize,
    pub wasm_gzip_bytes: usize,
}

/// Runs wasm-bindgen (`--target web`) on `wasm` and writes the bundle into `out_dir`.
///
/// Files are written under a temporary name and renamed, and content-addressed names never
/// change meaning, so several test processes building at once cannot see a torn file. Files
/// of older builds are removed.
pub fn write_bundle(wasm: &Path, css: &str, out_dir: &Path) -> anyhow::Result<Bundle> {
    let mut output = Bindgen::new()
        .input_path(wasm)
        .web(true)?
        .typescript(false)
        .generate_output()
        .context("wasm-bindgen")?;
    if !output.npm_dependencies().is_empty() {
        bail!(
            "the app imports npm packages, which a bundle without a JavaScript bundler cannot hold"
        );
    }
    let wasm_bytes = output.wasm_mut().emit_wasm();
    let js = output.js().to_owned();

    let wasm_name = hashed_name("app", "wasm", &wasm_bytes);
    let js_name = hashed_name("app", "js", js.as_bytes());
    let css_name = hashed_name("style", "css", css.as_bytes());
    let index = index_html(&js_name, &wasm_name, &css_name);

    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    write_atomically(&out_dir.join(&wasm_name), &wasm_bytes)?;
    write_atomically(&out_dir.join(&js_name), js.as_bytes())?;
    write_atomically(&out_dir.join(&css_name), css.as_bytes())?;
    write_snippets(&output, out_dir)?;
    write_atomically(&out_dir.join("index.html"), index.as_bytes())?;
    remove_stale(out_dir, &[&wasm_name, &js_name, &css_name, "index.html"])?;

    Ok(Bundle {
        dir: out_dir.to_path_buf(),
        wasm_gzip_bytes: gzip_len(&wasm_bytes)?,
        wasm_bytes: wasm_bytes.len(),
        wasm_name,
    })
}

/// `stem-<16 hex digits of SHA-256>.ext`: the server caches names of this shape forever.
pub fn hashed_name(stem: &str, ext: &str, content: &[u8]) -> String {
    let digest = Sha256::digest(content);
    format!("{stem}-{}.{ext}", &hex::encode(digest)[..16])
}

/// The page: the style sheet, and a module script that starts the app from the hashed files.
/// It has no text of its own; the app renders every word in the reader's language.
pub fn index_html(js_name: &str, wasm_name: &str, css_name: &str) -> String {
    format!(
        r#"<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kedao 客道</title>
<link rel="stylesheet" href="/{css_name}">
<link rel="preload" href="/{wasm_name}" as="fetch" type="application/wasm" crossorigin>
</head>
<body>
<script type="module">
import init from "/{js_name}";
init({{ module_or_path: "/{wasm_name}" }});
</script>
</body>
</html>
"#
    )
}

/// JavaScript that crates ship with `#[wasm_bindgen(inline_js)]` or `module = "…"`: the
/// glue imports it as `./snippets/…`, relative to itself, exactly where wasm-bindgen's own
/// command line puts it.
fn write_snippets(output: &wasm_bindgen_cli_support::Output, out_dir: &Path) -> anyhow::Result<()> {
    let snippets = out_dir.join("snippets");
    for (identifier, list) in output.snippets() {
        for (i, js) in list.iter().enumerate() {
            let path = snippets.join(identifier).join(format!("inline{i}.js"));
            write_creating_dirs(&path, js.as_bytes())?;
        }
    }
    for (path, contents) in output.local_modules() {
        write_creating_dirs(&snippets.join(path), contents.as_bytes())?;
    }
    Ok(())
}

fn write_creating_dirs(path: &Path, content: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    write_atomically(path, content)
}

fn write_atomically(path: &Path, content: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, content).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))
}

/// Removes earlier builds' hashed files (and nothing that does not look like one).
fn remove_stale(dir: &Path, keep: &[&str]) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = ["app-", "style-"].iter().any(|p| name.starts_with(p))
            && [".js", ".wasm", ".css"].iter().any(|s| name.ends_with(s));
        if ours && !keep.contains(&name.as_str()) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> anyhow::Result<usize> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_follow_content() {
        let a = hashed_name("app", "js", b"one");
        assert!(a.starts_with("app-") && a.ends_with(".js"));
        assert_eq!(a.len(), "app-".len() + 16 + ".js".len());
        assert_eq!(a, hashed_name("app", "js", b"one"));
        assert_ne!(a, hashed_name("app", "js", b"two"));
    }

    #[test]
    fn index_loads_the_hashed_files() {
        let html = index_html("app-1.js", "app-2.wasm", "style-3.css");
        assert!(html.contains(r#"import init from "/app-1.js""#));
        assert!(html.contains(r#"module_or_path: "/app-2.wasm""#));
        assert!(html.contains(r#"href="/style-3.css""#));
    }

    #[test]
    fn stale_builds_are_removed_and_other_files_kept() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["app-old.js", "app-new.js", "style-old.css", "robots.txt"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        remove_stale(dir.path(), &["app-new.js"]).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["app-new.js", "robots.txt"]);
    }
}
