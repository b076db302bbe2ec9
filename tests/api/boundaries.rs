//! Architecture checks: the domain crate stays pure.

use std::process::Command;

#[test]
fn domain_crate_depends_on_no_io_framework() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree",
            "-p",
            "kedao-domain",
            "-e",
            "normal",
            "--prefix",
            "none",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.contains("rust_decimal"), "unexpected tree: {tree}");
    for banned in ["actix", "sea-orm", "sqlx", "tokio", "reqwest"] {
        assert!(
            !tree.lines().any(|l| l.starts_with(banned)),
            "kedao-domain depends on {banned}:\n{tree}"
        );
    }
}
