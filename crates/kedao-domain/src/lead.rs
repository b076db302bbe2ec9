//! The lead (销售线索) life cycle: new → working → qualified | disqualified.
//!
//! Qualification happens only by converting the lead, which creates the account, contact and
//! opportunity in one go; so `qualified` is reachable through [`LeadStatus::convert`] alone and
//! is final. A disqualified lead may be reopened (back to working) when the prospect returns.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    New,
    Working,
    Qualified,
    Disqualified,
}

/// Where a lead came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeadSource {
    Web,
    Call,
    Exhibition,
    Referral,
    Campaign,
    Dealer,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LeadError {
    #[error("a lead cannot go from {from} to {to}")]
    InvalidTransition {
        from: &'static str,
        to: &'static str,
    },
    #[error("a {0} lead cannot be converted")]
    NotConvertible(&'static str),
    #[error("score must be a whole number from 0 to 100")]
    ScoreOutOfRange,
    #[error("a disqualified lead needs a reason")]
    DisqualifyReasonRequired,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 4] = [
        LeadStatus::New,
        LeadStatus::Working,
        LeadStatus::Qualified,
        LeadStatus::Disqualified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Working => "working",
            LeadStatus::Qualified => "qualified",
            LeadStatus::Disqualified => "disqualified",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        LeadStatus::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// Whether a person may set the status directly (not by converting).
    pub fn can_move_to(self, to: LeadStatus) -> bool {
        use LeadStatus::*;
        matches!(
            (self, to),
            (New, Working)
                | (New, Disqualified)
                | (Working, Disqualified)
                | (Disqualified, Working)
        ) || self == to && self != Qualified
    }

    /// Checks a direct status change.
    pub fn move_to(self, to: LeadStatus) -> Result<LeadStatus, LeadError> {
        if self.can_move_to(to) {
            Ok(to)
        } else {
            Err(LeadError::InvalidTransition {
                from: self.as_str(),
                to: to.as_str(),
            })
        }
    }

    /// Checks that the lead may be converted; the result is the status it ends in.
    pub fn convert(self) -> Result<LeadStatus, LeadError> {
        match self {
            LeadStatus::New | LeadStatus::Working => Ok(LeadStatus::Qualified),
            other => Err(LeadError::NotConvertible(other.as_str())),
        }
    }
}

impl LeadSource {
    pub const ALL: [LeadSource; 7] = [
        LeadSource::Web,
        LeadSource::Call,
        LeadSource::Exhibition,
        LeadSource::Referral,
        LeadSource::Campaign,
        LeadSource::Dealer,
        LeadSource::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LeadSource::Web => "web",
            LeadSource::Call => "call",
            LeadSource::Exhibition => "exhibition",
            LeadSource::Referral => "referral",
            LeadSource::Campaign => "campaign",
            LeadSource::Dealer => "dealer",
            LeadSource::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        LeadSource::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Checks the reason that goes with a status change: a disqualified lead must say why (the
/// reason feeds lead-quality analysis); other statuses keep none.
pub fn check_disqualify_reason(
    to: LeadStatus,
    reason: Option<&str>,
) -> Result<Option<String>, LeadError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    match (to, reason) {
        (LeadStatus::Disqualified, None) => Err(LeadError::DisqualifyReasonRequired),
        (LeadStatus::Disqualified, Some(r)) => Ok(Some(r.to_owned())),
        _ => Ok(None),
    }
}

/// Checks a lead score (0–100).
pub fn check_score(score: i64) -> Result<i16, LeadError> {
    if (0..=100).contains(&score) {
        i16::try_from(score).map_err(|_| LeadError::ScoreOutOfRange)
    } else {
        Err(LeadError::ScoreOutOfRange)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn status() -> impl Strategy<Value = LeadStatus> {
        proptest::sample::select(LeadStatus::ALL.to_vec())
    }

    #[test]
    fn qualified_is_reached_only_by_converting() {
        for from in LeadStatus::ALL {
            assert!(from.move_to(LeadStatus::Qualified).is_err(), "{from:?}");
        }
        assert_eq!(LeadStatus::Working.convert(), Ok(LeadStatus::Qualified));
        assert_eq!(
            LeadStatus::Qualified.convert(),
            Err(LeadError::NotConvertible("qualified"))
        );
        assert_eq!(
            LeadStatus::Disqualified.convert(),
            Err(LeadError::NotConvertible("disqualified"))
        );
    }

    #[test]
    fn names_round_trip() {
        for s in LeadStatus::ALL {
            assert_eq!(LeadStatus::parse(s.as_str()), Some(s));
        }
        for s in LeadSource::ALL {
            assert_eq!(LeadSource::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn disqualifying_needs_a_reason() {
        assert_eq!(
            check_disqualify_reason(LeadStatus::Disqualified, Some(" ")),
            Err(LeadError::DisqualifyReasonRequired)
        );
        assert_eq!(
            check_disqualify_reason(LeadStatus::Disqualified, Some("无预算")),
            Ok(Some("无预算".into()))
        );
        assert_eq!(
            check_disqualify_reason(LeadStatus::Working, Some("x")),
            Ok(None)
        );
    }

    proptest! {
        #[test]
        fn qualified_is_final(to in status()) {
            prop_assert!(LeadStatus::Qualified.move_to(to).is_err());
        }

        #[test]
        fn no_direct_move_reaches_qualified_or_new_again(from in status(), to in status()) {
            if let Ok(reached) = from.move_to(to) {
                prop_assert_ne!(reached, LeadStatus::Qualified);
                if reached == LeadStatus::New { prop_assert_eq!(from, LeadStatus::New); }
            }
        }

        #[test]
        fn score_range(v in -500_i64..500) {
            prop_assert_eq!(check_score(v).is_ok(), (0..=100).contains(&v));
        }
    }
}
