//! Writes that depend on nothing but each other's keys, sent to the database together.
//!
//! A quote accept or a payment ends with several inserts and guarded updates whose values are
//! all known beforehand. On PostgreSQL a batch goes as one statement of data-modifying CTEs
//! (`WITH w0 AS (UPDATE … RETURNING 1), w1 AS (INSERT … RETURNING 1) SELECT count(*) …`): one
//! round trip instead of one per write, and each write's row count still comes back. On
//! SQLite (one connection, no network) the writes run one after the other, in the order they
//! were added.
//!
//! What a batch may hold follows from PostgreSQL running the CTEs in one snapshot, in no set
//! order: no write may depend on another's effect (a row inserted by one and updated by
//! another, two updates of one row). Foreign keys between the rows are fine: they are checked
//! once the statement is done. So add writes in the order SQLite needs (parents first), and
//! never two that touch the same row.

use sea_orm::sea_query::{
    Alias, CommonTableExpression, Expr, InsertStatement, Query, ReturningClause, SelectStatement,
    SubQueryStatement, UpdateStatement, WithClause,
};
use sea_orm::{ConnectionTrait, DbBackend, DbErr};

/// One write of a batch.
#[derive(Debug, Clone)]
enum Write {
    Insert(InsertStatement),
    Update(UpdateStatement),
}

/// Where a write sits in its batch: reads its row count from [`WriteBatch::run`]'s answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteIndex(usize);

/// The row counts of a run batch, one per write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowCounts(Vec<u64>);

impl RowCounts {
    /// Rows the write at `index` inserted or updated.
    pub fn of(&self, index: WriteIndex) -> u64 {
        self.0.get(index.0).copied().unwrap_or(0)
    }
}

/// Writes gathered to be sent together.
#[derive(Debug, Clone, Default)]
pub struct WriteBatch {
    writes: Vec<Write>,
}

impl WriteBatch {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn insert(&mut self, statement: InsertStatement) -> WriteIndex {
        self.push(Write::Insert(statement))
    }

    pub fn update(&mut self, statement: UpdateStatement) -> WriteIndex {
        self.push(Write::Update(statement))
    }

    fn push(&mut self, write: Write) -> WriteIndex {
        self.writes.push(write);
        WriteIndex(self.writes.len() - 1)
    }

    /// Moves `other`'s writes to the end of this batch (their indexes in `other` no longer
    /// hold).
    pub fn append(&mut self, other: &mut WriteBatch) {
        self.writes.append(&mut other.writes);
    }

    /// Sends the writes and answers how many rows each one wrote.
    pub async fn run<C: ConnectionTrait>(self, db: &C) -> Result<RowCounts, DbErr> {
        match db.get_database_backend() {
            DbBackend::Postgres if self.writes.len() > 1 => self.run_as_one(db).await,
            _ => self.run_each(db).await,
        }
    }

    async fn run_each<C: ConnectionTrait>(self, db: &C) -> Result<RowCounts, DbErr> {
        let mut counts = Vec::with_capacity(self.writes.len());
        for write in self.writes {
            let result = match write {
                Write::Insert(statement) => db.execute(&statement).await?,
                Write::Update(statement) => db.execute(&statement).await?,
            };
            counts.push(result.rows_affected());
        }
        Ok(RowCounts(counts))
    }

    async fn run_as_one<C: ConnectionTrait>(self, db: &C) -> Result<RowCounts, DbErr> {
        let n = self.writes.len();
        let query = self.into_one_statement();
        let row = db
            .query_one(&query)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("the write batch answered no row".into()))?;
        let mut counts = Vec::with_capacity(n);
        for i in 0..n {
            let count: i64 = row.try_get_by_index(i)?;
            counts.push(u64::try_from(count).unwrap_or(0));
        }
        Ok(RowCounts(counts))
    }

    /// `WITH w0 AS (… RETURNING 1), … SELECT (SELECT count(*) FROM w0), …`: every write a
    /// CTE, so that each one's count can be read.
    fn into_one_statement(self) -> sea_orm::sea_query::WithQuery {
        let mut with = WithClause::new();
        let mut counts = Query::select();
        for (i, write) in self.writes.into_iter().enumerate() {
            let name = format!("w{i}");
            let statement: SubQueryStatement = match write {
                Write::Insert(mut s) => s.returning(one()).to_owned().into(),
                Write::Update(mut s) => s.returning(one()).to_owned().into(),
            };
            with.cte(
                CommonTableExpression::new()
                    .query(statement)
                    .table_name(Alias::new(name.as_str()))
                    .to_owned(),
            );
            counts.expr(Expr::SubQuery(None, Box::new(count_of(&name).into())));
        }
        with.query(counts)
    }
}

/// `RETURNING 1`: a row per written row, nothing else.
fn one() -> ReturningClause {
    Query::returning().expr(Expr::cust("1"))
}

/// `SELECT count(*) FROM <cte>`.
fn count_of(cte: &str) -> SelectStatement {
    Query::select()
        .expr(Expr::cust("count(*)"))
        .from(Alias::new(cte))
        .to_owned()
}
