//! The daily `installments.overdue` job: an `installment.overdue` event for each installment
//! overdue on the company's date, once per installment and day (deduped by key, so a rerun
//! or a second replica announces nothing twice).

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::jobs::handlers::{JobError, payload};
use crate::jobs::schedule::Slot;
use crate::jobs::worker::JobContext;
use crate::store::entities::installments::{Column, Entity};
use crate::store::entities::jobs::Model as Job;
use crate::store::receivables::is_open;
use crate::store::receivables::{day, view};
use crate::webhooks::emit_once;

/// Installments read per query.
const BATCH: u64 = 500;

pub async fn run(ctx: &JobContext, job: &Job) -> Result<(), JobError> {
    let Slot { date, .. } = payload(job)?;
    let mut after = None;
    let mut announced = 0_usize;
    loop {
        let mut select = Entity::find()
            .filter(is_open())
            .filter(Column::DueDate.lt(date));
        if let Some(last) = after {
            select = select.filter(Column::Id.gt(last));
        }
        let rows = select
            .order_by_asc(Column::Id)
            .limit(BATCH)
            .all(&ctx.db)
            .await?;
        for row in &rows {
            let key = format!("installment.overdue:{}:{date}", row.id);
            let installment = view(row, day(date));
            if emit_once(
                &ctx.db,
                "installment.overdue",
                row.dealer_id,
                &installment,
                key,
            )
            .await?
            {
                announced += 1;
            }
        }
        match rows.last() {
            Some(last) if rows.len() as u64 == BATCH => after = Some(last.id),
            _ => break,
        }
    }
    tracing::info!(%date, announced, "overdue installments announced");
    Ok(())
}
