//! The pipeline board's state: stage columns and the opportunities in them. A drop moves the
//! card at once (so the board answers the hand) and is undone if the server refuses the move.

use kedao_api_types::opportunities::{FunnelStage, OpportunityView};
use kedao_domain::pipeline::StageKind;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    pub stages: Vec<FunnelStage>,
    pub cards: Vec<OpportunityView>,
}

/// A move on its way to the server: enough to undo it.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMove {
    pub card: Uuid,
    pub from: Uuid,
    pub to: Uuid,
    /// The version the move was made against (sent as `If-Match`).
    pub version: i32,
}

impl Board {
    pub fn new(mut stages: Vec<FunnelStage>, cards: Vec<OpportunityView>) -> Board {
        stages.sort_by_key(|s| s.position);
        Board { stages, cards }
    }

    pub fn cards_in(&self, stage: Uuid) -> impl Iterator<Item = &OpportunityView> {
        self.cards.iter().filter(move |c| c.stage_id == stage)
    }

    pub fn stage(&self, id: Uuid) -> Option<&FunnelStage> {
        self.stages.iter().find(|s| s.stage_id == id)
    }

    /// Moves a card to another stage; `None` when there is nothing to move (unknown card or
    /// stage, or the card is already there).
    pub fn move_card(&mut self, card: Uuid, to: Uuid) -> Option<PendingMove> {
        let kind = self.stage(to)?.kind;
        let found = self.cards.iter_mut().find(|c| c.id == card)?;
        if found.stage_id == to {
            return None;
        }
        let pending = PendingMove {
            card,
            from: found.stage_id,
            to,
            version: found.version,
        };
        found.stage_id = to;
        found.stage_kind = kind;
        Some(pending)
    }

    /// The server took the move: its answer replaces the card.
    pub fn confirm(&mut self, updated: OpportunityView) {
        if let Some(card) = self.cards.iter_mut().find(|c| c.id == updated.id) {
            *card = updated;
        }
    }

    /// The server refused: the card goes back.
    pub fn undo(&mut self, pending: &PendingMove) {
        let kind = self.stage(pending.from).map(|s| s.kind);
        if let Some(card) = self.cards.iter_mut().find(|c| c.id == pending.card) {
            card.stage_id = pending.from;
            if let Some(kind) = kind {
                card.stage_kind = kind;
            }
        }
    }

    /// Whether moving into the stage needs a reason (lost stages do).
    pub fn needs_reason(&self, stage: Uuid) -> bool {
        self.stage(stage).is_some_and(|s| s.kind == StageKind::Lost)
    }
}

/// The `If-Match` value for a version, in the API's ETag form.
pub fn if_match(version: i32) -> String {
    format!("\"{version}\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use kedao_domain::Currency;
    use kedao_domain::lead::LeadSource;
    use rust_decimal::Decimal;

    fn stage(position: i32, kind: StageKind) -> FunnelStage {
        FunnelStage {
            stage_id: Uuid::from_u128(position as u128 + 1),
            name: format!("s{position}"),
            name_zh: None,
            position,
            probability: 10,
            kind,
            count: 0,
            totals: Vec::new(),
        }
    }

    fn card(id: u128, stage: &FunnelStage) -> OpportunityView {
        OpportunityView {
            id: Uuid::from_u128(id),
            dealer_id: None,
            internal_notes: None,
            title: "deal".into(),
            account_id: Uuid::nil(),
            contact_id: None,
            pipeline_id: Uuid::nil(),
            stage_id: stage.stage_id,
            stage_kind: stage.kind,
            amount: Decimal::ONE,
            currency: Currency::Cny,
            probability: 10,
            probability_overridden: false,
            weighted_amount: Decimal::ONE,
            expected_close_date: chrono::NaiveDate::MIN,
            source: LeadSource::Other,
            competitors: Vec::new(),
            lost_reason: None,
            description: None,
            lead_id: None,
            owner_id: Uuid::nil(),
            stage_changed_at: Utc::now(),
            closed_at: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            version: 3,
        }
    }

    fn board() -> Board {
        let stages = vec![
            stage(2, StageKind::Lost),
            stage(0, StageKind::Open),
            stage(1, StageKind::Won),
        ];
        let first = stages[1].clone();
        Board::new(stages, vec![card(100, &first)])
    }

    #[test]
    fn columns_follow_stage_positions() {
        let positions: Vec<i32> = board().stages.iter().map(|s| s.position).collect();
        assert_eq!(positions, [0, 1, 2]);
    }

    #[test]
    fn a_move_shows_at_once_and_can_be_undone() {
        let mut b = board();
        let (open, won) = (b.stages[0].stage_id, b.stages[1].stage_id);
        let pending = b.move_card(Uuid::from_u128(100), won).unwrap();
        assert_eq!(pending.version, 3);
        assert_eq!(b.cards_in(won).count(), 1);
        assert_eq!(b.cards[0].stage_kind, StageKind::Won);
        b.undo(&pending);
        assert_eq!(b.cards_in(open).count(), 1);
        assert_eq!(b.cards[0].stage_kind, StageKind::Open);
    }

    #[test]
    fn nothing_to_move_is_no_move() {
        let mut b = board();
        let open = b.stages[0].stage_id;
        assert!(b.move_card(Uuid::from_u128(100), open).is_none());
        assert!(b.move_card(Uuid::from_u128(7), open).is_none());
        assert!(b.move_card(Uuid::from_u128(100), Uuid::nil()).is_none());
        assert!(b.needs_reason(b.stages[2].stage_id));
        assert_eq!(if_match(4), "\"4\"");
    }
}
