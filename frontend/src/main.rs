//! Mounts the app into the page.

fn main() {
    kedao_frontend::start();
}
