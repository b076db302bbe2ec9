//! Funnel stages and the rules for moving an opportunity through them.
//!
//! A pipeline is an ordered list of stages. Open stages carry a win probability; a won stage
//! is 100% and a lost stage 0% by definition, so forecasts can never count a lost deal or
//! discount a won one. An opportunity's probability is its stage's unless a person overrides
//! it; moving to a lost stage requires a reason, because lost-deal analysis needs one.

use std::collections::HashSet;
use std::hash::Hash;

use serde::{Deserialize, Serialize};

/// A win probability in whole percent, 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "i64", into = "u8")]
pub struct Probability(u8);

impl Probability {
    pub const ZERO: Probability = Probability(0);
    pub const CERTAIN: Probability = Probability(100);

    pub fn new(percent: u8) -> Result<Self, StageError> {
        if percent > 100 {
            return Err(StageError::ProbabilityOutOfRange);
        }
        Ok(Probability(percent))
    }

    pub fn percent(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Probability {
    type Error = StageError;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        u8::try_from(value)
            .map_err(|_| StageError::ProbabilityOutOfRange)
            .and_then(Probability::new)
    }
}

impl From<Probability> for u8 {
    fn from(p: Probability) -> u8 {
        p.0
    }
}

/// What reaching a stage means for the deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    Open,
    Won,
    Lost,
}

impl StageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Open => "open",
            StageKind::Won => "won",
            StageKind::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(StageKind::Open),
            "won" => Some(StageKind::Won),
            "lost" => Some(StageKind::Lost),
            _ => None,
        }
    }

    /// Whether a deal in this stage is finished.
    pub fn is_closed(self) -> bool {
        !matches!(self, StageKind::Open)
    }
}

/// Why a stage definition or a move was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    #[error("probability must be a whole number from 0 to 100")]
    ProbabilityOutOfRange,
    #[error("a won stage has probability 100")]
    WonMustBeCertain,
    #[error("a lost stage has probability 0")]
    LostMustBeZero,
    #[error("a lost reason is required when moving to a lost stage")]
    LostReasonRequired,
    #[error("a lost reason is only kept for lost deals")]
    LostReasonOnOpenDeal,
    #[error("a pipeline needs at least one open stage, one won stage and one lost stage")]
    IncompletePipeline,
    #[error("the new order must list every stage of the pipeline exactly once")]
    NotAPermutation,
    #[error("the stage belongs to another pipeline")]
    ForeignStage,
}

/// Checks that a stage's probability agrees with its kind.
pub fn validate_stage(kind: StageKind, probability: Probability) -> Result<(), StageError> {
    match kind {
        StageKind::Won if probability != Probability::CERTAIN => Err(StageError::WonMustBeCertain),
        StageKind::Lost if probability != Probability::ZERO => Err(StageError::LostMustBeZero),
        _ => Ok(()),
    }
}

/// The probability an opportunity counts with: the person's override if any, else the stage's.
/// A closed stage always wins over an override, so a won deal is 100% and a lost one 0%.
pub fn effective_probability(
    stage_kind: StageKind,
    stage_probability: Probability,
    overridden: Option<Probability>,
) -> Probability {
    match (stage_kind, overridden) {
        (StageKind::Open, Some(p)) => p,
        _ => stage_probability,
    }
}

/// Checks a move to a stage of `kind`, given the lost reason that comes with it; returns the
/// lost reason to keep (cleared for open and won stages).
pub fn check_move(
    kind: StageKind,
    lost_reason: Option<&str>,
) -> Result<Option<String>, StageError> {
    let reason = lost_reason.map(str::trim).filter(|r| !r.is_empty());
    match (kind, reason) {
        (StageKind::Lost, None) => Err(StageError::LostReasonRequired),
        (StageKind::Lost, Some(r)) => Ok(Some(r.to_owned())),
        (_, _) => Ok(None),
    }
}

/// Checks that a pipeline's stages can carry deals from start to finish.
pub fn validate_pipeline(kinds: &[StageKind]) -> Result<(), StageError> {
    let has = |k| kinds.contains(&k);
    if has(StageKind::Open) && has(StageKind::Won) && has(StageKind::Lost) {
        Ok(())
    } else {
        Err(StageError::IncompletePipeline)
    }
}

/// Checks a requested new order of stages against the current ones and returns it.
pub fn reorder<T: Eq + Hash + Clone>(current: &[T], requested: &[T]) -> Result<Vec<T>, StageError> {
    let current_set: HashSet<&T> = current.iter().collect();
    let requested_set: HashSet<&T> = requested.iter().collect();
    if requested.len() != current.len()
        || requested_set.len() != requested.len()
        || current_set != requested_set
    {
        return Err(StageError::NotAPermutation);
    }
    Ok(requested.to_vec())
}

/// The seeds' funnel (销售漏斗): the default pipeline every new installation starts with.
/// Each entry is (English name, Chinese name, kind, probability).
pub const DEFAULT_FUNNEL: [(&str, &str, StageKind, u8); 7] = [
    ("Opportunity established", "机会建立", StageKind::Open, 10),
    ("Proposal", "方案提供", StageKind::Open, 30),
    ("Evaluation", "方案评估", StageKind::Open, 50),
    ("Negotiation", "商务谈判", StageKind::Open, 70),
    ("Contract signed", "合同签定", StageKind::Won, 100),
    ("Implementation", "项目实施", StageKind::Won, 100),
    ("Lost", "丢单", StageKind::Lost, 0),
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn kind() -> impl Strategy<Value = StageKind> {
        prop_oneof![
            Just(StageKind::Open),
            Just(StageKind::Won),
            Just(StageKind::Lost)
        ]
    }

    #[test]
    fn the_default_funnel_is_a_valid_pipeline() {
        let kinds: Vec<_> = DEFAULT_FUNNEL.iter().map(|s| s.2).collect();
        assert_eq!(validate_pipeline(&kinds), Ok(()));
        for (_, _, k, p) in DEFAULT_FUNNEL {
            assert_eq!(validate_stage(k, Probability::new(p).unwrap()), Ok(()));
        }
    }

    #[test]
    fn a_pipeline_without_a_lost_stage_is_refused() {
        assert_eq!(
            validate_pipeline(&[StageKind::Open, StageKind::Won]),
            Err(StageError::IncompletePipeline)
        );
    }

    #[test]
    fn moving_to_lost_needs_a_reason() {
        assert_eq!(
            check_move(StageKind::Lost, None),
            Err(StageError::LostReasonRequired)
        );
        assert_eq!(
            check_move(StageKind::Lost, Some("   ")),
            Err(StageError::LostReasonRequired)
        );
        assert_eq!(
            check_move(StageKind::Lost, Some(" 价格太高 ")),
            Ok(Some("价格太高".into()))
        );
        assert_eq!(check_move(StageKind::Open, Some("x")), Ok(None));
    }

    proptest! {
        #[test]
        fn probability_accepts_exactly_0_to_100(v in -1000_i64..1000) {
            let p = Probability::try_from(v);
            prop_assert_eq!(p.is_ok(), (0..=100).contains(&v));
            if let Ok(p) = p { prop_assert_eq!(i64::from(p.percent()), v); }
        }

        #[test]
        fn closed_stages_ignore_overrides(k in kind(), stage in 0_u8..=100, o in proptest::option::of(0_u8..=100)) {
            let stage_p = Probability::new(stage).unwrap();
            let over = o.map(|v| Probability::new(v).unwrap());
            let eff = effective_probability(k, stage_p, over);
            match (k, over) {
                (StageKind::Open, Some(p)) => prop_assert_eq!(eff, p),
                _ => prop_assert_eq!(eff, stage_p),
            }
        }

        #[test]
        fn stage_kind_fixes_probability(k in kind(), p in 0_u8..=100) {
            let ok = validate_stage(k, Probability::new(p).unwrap()).is_ok();
            let expected = match k { StageKind::Open => true, StageKind::Won => p == 100, StageKind::Lost => p == 0 };
            prop_assert_eq!(ok, expected);
        }

        #[test]
        fn reorder_accepts_only_permutations(mut ids in proptest::collection::vec(0_u32..50, 1..10), swap in any::<bool>(), drop_one in any::<bool>()) {
            ids.sort_unstable();
            ids.dedup();
            let mut requested = ids.clone();
            if swap { requested.reverse(); }
            if drop_one { requested.pop(); }
            let result = reorder(&ids, &requested);
            prop_assert_eq!(result.is_ok(), !drop_one);
            if let Ok(order) = result { prop_assert_eq!(order, requested); }
        }

        #[test]
        fn lost_moves_always_keep_a_nonempty_reason(k in kind(), r in proptest::option::of(".{0,20}")) {
            match check_move(k, r.as_deref()) {
                Ok(Some(kept)) => { prop_assert_eq!(k, StageKind::Lost); prop_assert!(!kept.trim().is_empty()); }
                Ok(None) => prop_assert_ne!(k, StageKind::Lost),
                Err(e) => { prop_assert_eq!(k, StageKind::Lost); prop_assert_eq!(e, StageError::LostReasonRequired); }
            }
        }
    }
}
