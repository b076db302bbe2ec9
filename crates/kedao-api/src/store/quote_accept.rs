//! Accepting a quote: in one transaction the quote becomes `accepted`, its opportunity moves
//! to the pipeline's first won stage (with a stage-history row), and an order is created with
//! the quote's lines and figures.
//!
//! The reads come first (the quote, the deal and its stages, the lines, the credit check,
//! which locks the account); every write then goes in one batch (`write_batch`): one round
//! trip for the quote, the deal, their history, the order, its lines, plan and timeline, and
//! the webhook event.
//!
//! Two concurrent accepts of one quote cannot both make an order: the second waits for the
//! account's lock, then its version-checked quote update writes nothing (412), or the unique
//! index on `orders.quote_id` stops its order (409).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{InsertStatement, UpdateStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait, TryIntoModel,
};
use uuid::Uuid;

use kedao_api_types::orders::OrderView;
use kedao_api_types::quotes::{QuoteStatus, QuoteView};
use kedao_domain::access::{Action, Resource};
use kedao_domain::pipeline::{StageKind, effective_probability};

use crate::auth::Principal;
use crate::error::ApiError;
use crate::store::entities::quotes::{self as entity, Column};
use crate::store::entities::stages;
use crate::store::entities::{field_changes, opportunities};
use crate::store::fields::{stale, versioned_update};
use crate::store::history;
use crate::store::now;
use crate::store::opportunities::view as opportunity_view;
use crate::store::opportunity_moves::{closed_at, move_insert};
use crate::store::orders::{self, NewOrder, OrderTerms};
use crate::store::quote_lines as lines;
use crate::store::quote_status::effective_status;
use crate::store::quotes::{self, writable};
use crate::store::stages::{stage_kind, stage_probability};
use crate::store::write_batch::WriteBatch;
use crate::webhooks;

/// Accepts the latest revision of a sent, still valid quote and answers with the new order.
pub async fn accept(
    db: &DatabaseConnection,
    principal: &Principal,
    id: Uuid,
    expected_version: i32,
    terms: OrderTerms,
) -> Result<OrderView, ApiError> {
    principal.reach(Resource::Orders, Action::Write)?;
    let txn = db.begin().await?;
    // Drawn in the transaction, so the accept takes one pooled connection, not two (a refused
    // accept leaves a gap on PostgreSQL, which numbering allows).
    let number = orders::next_order_number(&txn, now()).await?;
    let current = writable(&txn, principal, id, expected_version).await?;
    let status = effective_status(&current.status, current.valid_until, principal.today);
    if status != QuoteStatus::Sent {
        return Err(ApiError::conflict(
            "invalid-transition",
            format!(
                "the quote is {}: only a sent, still valid quote can be accepted",
                status.as_str()
            ),
        ));
    }
    // A sent quote is its number's latest revision: revising supersedes the old revision in
    // the same version-checked transaction that opens the new one, so no later-revision
    // count is needed here.

    let at = now();
    // History compares key fields only, never lines: the record before needs no lines read.
    let before = quotes::view(current.clone(), Vec::new(), principal.today);
    let mut model: entity::ActiveModel = current.clone().into();
    model.status = Set(QuoteStatus::Accepted.as_str().to_owned());
    model.version = Set(current.version + 1);
    model.updated_at = Set(at);
    // The saved quote differs from `before` only in what was just set.
    let accepted = QuoteView {
        status: QuoteStatus::Accepted,
        version: current.version + 1,
        updated_at: at,
        ..before.clone()
    };
    let mut batch = WriteBatch::new();
    // The version check lets exactly one of several concurrent accepts through.
    let quote_write = batch.update(versioned_update(
        model,
        Column::Id,
        Column::Version,
        id,
        current.version,
    ));
    let mut changes = history::changes(principal, Resource::Quotes, id, &before, &accepted, at)?;
    let win = win_opportunity(&txn, principal, current.opportunity_id, at).await?;
    let mut deal_write = None;
    if let Some(w) = win {
        deal_write = Some((batch.update(w.update), w.version));
        batch.insert(w.stage_move);
        changes.extend(w.changes);
    }
    // The quote's and the deal's history in one statement.
    if let Some(insert) = history::insert_rows(changes) {
        batch.insert(insert);
    }

    let quote_lines = lines::of(&txn, vec![current.id]).await?;
    let mut order = orders::plan(
        &txn,
        principal,
        NewOrder {
            number,
            quote_id: Some(current.id),
            opportunity_id: Some(current.opportunity_id),
            account_id: current.account_id,
            owner_id: current.owner_id,
            dealer_id: current.dealer_id,
            currency: current.currency.clone(),
            subtotal: current.subtotal,
            discount: current.discount,
            net: current.net,
            tax: current.tax,
            grand_total: current.grand_total,
            notes: current.notes.clone(),
            lines: quote_lines,
            terms,
        },
    )
    .await?;
    order.write_into(&mut batch);
    let view = order.view();
    let event = serde_json::json!({ "quote": &accepted, "order": &view });
    batch.insert(webhooks::emit_insert(
        "quote.accepted",
        view.dealer_id,
        &event,
    )?);
    // Every write of the accept in one round trip (see `write_batch`); the quote's and the
    // deal's version checks are read from the row counts.
    let written = batch.run(&txn).await.map_err(|e| order.insert_error(e))?;
    if written.of(quote_write) == 0 {
        return Err(stale(current.version));
    }
    if let Some((index, version)) = deal_write
        && written.of(index) == 0
    {
        return Err(stale(version));
    }
    order.finish(&txn).await?;
    txn.commit().await?;
    Ok(view)
}

/// The writes that move a deal to its won stage.
struct Win {
    /// Version-checked: writes no row if the deal changed since it was read.
    update: UpdateStatement,
    version: i32,
    stage_move: InsertStatement,
    changes: Vec<field_changes::ActiveModel>,
}

/// Plans the opportunity's move to its pipeline's first won stage, as a stage move does
/// (closed, probability 100, stage-history row and field history); none for a deal already in
/// a won stage, which stays where it is.
async fn win_opportunity<C: ConnectionTrait>(
    db: &C,
    principal: &Principal,
    opportunity_id: Uuid,
    at: DateTime<Utc>,
) -> Result<Option<Win>, ApiError> {
    let opp = opportunities::Entity::find_by_id(opportunity_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("opportunity"))?;
    // The deal's stage and its pipeline's won stages in one read.
    let candidates = stages::Entity::find()
        .filter(
            Condition::any()
                .add(stages::Column::Id.eq(opp.stage_id))
                .add(
                    Condition::all()
                        .add(stages::Column::PipelineId.eq(opp.pipeline_id))
                        .add(stages::Column::Kind.eq(StageKind::Won.as_str())),
                ),
        )
        .order_by_asc(stages::Column::Position)
        .all(db)
        .await?;
    let from = candidates
        .iter()
        .find(|s| s.id == opp.stage_id)
        .cloned()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("opportunity without its stage")))?;
    let from_kind = stage_kind(&from);
    if from_kind == StageKind::Won {
        return Ok(None);
    }
    let won = candidates
        .into_iter()
        .find(|s| s.pipeline_id == opp.pipeline_id && stage_kind(s) == StageKind::Won)
        .ok_or_else(|| {
            ApiError::conflict(
                "no-won-stage",
                "the opportunity's pipeline has no won stage to move it to",
            )
        })?;
    let probability = effective_probability(StageKind::Won, stage_probability(&won), None);
    let mut model: opportunities::ActiveModel = opp.clone().into();
    model.stage_id = Set(won.id);
    model.stage_changed_at = Set(at);
    model.closed_at = Set(closed_at(
        Some(from_kind),
        StageKind::Won,
        opp.closed_at,
        at,
    ));
    model.lost_reason = Set(None);
    model.probability = Set(i16::from(probability.percent()));
    model.probability_overridden = Set(false);
    model.version = Set(opp.version + 1);
    model.updated_at = Set(at);
    let saved = model.clone().try_into_model()?;
    let changes = history::changes(
        principal,
        Resource::Opportunities,
        opp.id,
        &opportunity_view(opp.clone(), from_kind),
        &opportunity_view(saved, StageKind::Won),
        at,
    )?;
    Ok(Some(Win {
        update: versioned_update(
            model,
            opportunities::Column::Id,
            opportunities::Column::Version,
            opp.id,
            opp.version,
        ),
        version: opp.version,
        stage_move: move_insert(opp.id, Some(from.id), won.id, principal.user_id, at),
        changes,
    }))
}
