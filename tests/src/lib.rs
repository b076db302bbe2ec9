//! Support for Kedao's end-to-end tests: spawn the real server on a random port over a fresh
//! database (a SQLite file, or a new PostgreSQL database when `KEDAO_TEST_POSTGRES_URL` is set),
//! and talk to it over HTTP as typed actors.
//!
//! `TEST_LOG=1` shows the server's logs.

pub mod actors;
pub mod app;
pub mod postgres;
pub mod receiver;

pub use actors::Actor;
pub use app::{Backend, Reply, TestApp};

/// Runs a test body once on SQLite and once on PostgreSQL:
/// `both!(name)` after `async fn name(app: TestApp)`; `both!(name with configure)` starts the
/// server with settings changed by `fn configure(&mut Settings)`.
#[macro_export]
macro_rules! both {
    ($name:ident with $configure:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::TestApp::spawn_with($crate::Backend::Sqlite, super::$configure).await;
                super::$name(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) = $crate::TestApp::spawn_postgres_with(super::$configure).await {
                    super::$name(app).await;
                }
            }
        }
    };
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::TestApp::spawn($crate::Backend::Sqlite).await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::TestApp::spawn_postgres().await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}
