//! Order and quote numbers: many first draws of a new counter at one moment (as on the first
//! order of a year, on several replicas) each get their own number, one after another, and
//! none fails. On PostgreSQL a first draw creates the counter's sequence; on SQLite it is a
//! row.

use std::sync::Arc;

use kedao_api::store::quote_numbers;
use kedao_tests::{TestApp, both};

/// Draws per counter at once: more than the server's pool holds, so some wait for a
/// connection while others create the sequence.
const AT_ONCE: i64 = 12;

async fn first_draws_at_one_moment_get_one_to_n(app: TestApp) {
    let db = Arc::new(app.db().await);
    for round in 0..8 {
        let name = format!("probe-{round}");
        let mut tasks = Vec::new();
        for _ in 0..AT_ONCE {
            let (db, name) = (db.clone(), name.clone());
            tasks.push(tokio::spawn(async move {
                quote_numbers::next(db.as_ref(), &name).await
            }));
        }
        let mut drawn = Vec::new();
        for t in tasks {
            match t.await.unwrap() {
                Ok(n) => drawn.push(n),
                Err(e) => panic!("a first draw of {name} failed: {e:?}"),
            }
        }
        drawn.sort_unstable();
        assert_eq!(drawn, (1..=AT_ONCE).collect::<Vec<_>>(), "counter {name}");
    }
}

both!(first_draws_at_one_moment_get_one_to_n);
