//! Orders (订单): what a customer bought, and the fulfilment machine it moves through.
//!
//! confirmed → in_fulfilment → shipped → delivered → completed, one step at a time; an order
//! can be cancelled only before it ships (confirmed or in_fulfilment). Completed and cancelled
//! are final.

use serde::{Deserialize, Serialize};

/// Where an order is in its fulfilment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Accepted by the customer; nothing done yet.
    Confirmed,
    /// Being picked, built or prepared.
    InFulfilment,
    Shipped,
    Delivered,
    /// Final: delivered and closed.
    Completed,
    /// Final: called off before shipping.
    Cancelled,
}

/// Why a status change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    #[error("an order cannot move from {from} to {to}")]
    InvalidTransition {
        from: &'static str,
        to: &'static str,
    },
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Confirmed,
        OrderStatus::InFulfilment,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::InFulfilment => "in_fulfilment",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Completed => "completed",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<OrderStatus> {
        OrderStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether no move leaves this status.
    pub fn is_final(self) -> bool {
        matches!(self, OrderStatus::Completed | OrderStatus::Cancelled)
    }

    /// Whether one step may go from `self` to `to`.
    pub fn can_move_to(self, to: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, to),
            (Confirmed, InFulfilment)
                | (InFulfilment, Shipped)
                | (Shipped, Delivered)
                | (Delivered, Completed)
                | (Confirmed | InFulfilment, Cancelled)
        )
    }

    /// The status after a move, or the error naming both ends.
    pub fn move_to(self, to: OrderStatus) -> Result<OrderStatus, OrderError> {
        if self.can_move_to(to) {
            Ok(to)
        } else {
            Err(OrderError::InvalidTransition {
                from: self.as_str(),
                to: to.as_str(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    fn status() -> impl Strategy<Value = OrderStatus> {
        proptest::sample::select(OrderStatus::ALL.to_vec())
    }

    /// Every status reachable from `from` in one or more moves.
    fn reachable(from: OrderStatus) -> HashSet<OrderStatus> {
        let mut seen = HashSet::new();
        let mut todo = vec![from];
        while let Some(s) = todo.pop() {
            for to in OrderStatus::ALL {
                if s.can_move_to(to) && seen.insert(to) {
                    todo.push(to);
                }
            }
        }
        seen
    }

    #[test]
    fn names_round_trip() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(OrderStatus::parse("lost"), None);
    }

    #[test]
    fn the_happy_path_walks_to_completed() {
        let mut s = OrderStatus::Confirmed;
        for to in [
            OrderStatus::InFulfilment,
            OrderStatus::Shipped,
            OrderStatus::Delivered,
            OrderStatus::Completed,
        ] {
            s = s.move_to(to).unwrap();
        }
        assert_eq!(s, OrderStatus::Completed);
    }

    #[test]
    fn cancelling_only_before_shipping() {
        assert!(OrderStatus::Confirmed.can_move_to(OrderStatus::Cancelled));
        assert!(OrderStatus::InFulfilment.can_move_to(OrderStatus::Cancelled));
        assert_eq!(
            OrderStatus::Shipped.move_to(OrderStatus::Cancelled),
            Err(OrderError::InvalidTransition {
                from: "shipped",
                to: "cancelled"
            })
        );
        assert_eq!(
            OrderStatus::Shipped
                .move_to(OrderStatus::Cancelled)
                .unwrap_err()
                .to_string(),
            "an order cannot move from shipped to cancelled"
        );
    }

    #[test]
    fn every_status_is_reachable_from_confirmed() {
        let seen = reachable(OrderStatus::Confirmed);
        for s in OrderStatus::ALL {
            if s != OrderStatus::Confirmed {
                assert!(seen.contains(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn no_path_cancels_after_shipping() {
        for from in [
            OrderStatus::Shipped,
            OrderStatus::Delivered,
            OrderStatus::Completed,
        ] {
            assert!(
                !reachable(from).contains(&OrderStatus::Cancelled),
                "{from:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn final_states_have_no_moves(from in status(), to in status()) {
            if from.is_final() {
                prop_assert!(from.move_to(to).is_err());
            }
        }

        #[test]
        fn no_move_stays_or_returns_to_confirmed(from in status(), to in status()) {
            if from.can_move_to(to) {
                prop_assert_ne!(from, to);
                prop_assert_ne!(to, OrderStatus::Confirmed);
            }
        }

        #[test]
        fn walks_never_cancel_after_shipping(steps in proptest::collection::vec(status(), 0..12)) {
            let mut s = OrderStatus::Confirmed;
            let mut shipped = false;
            for to in steps {
                if let Ok(next) = s.move_to(to) {
                    s = next;
                    shipped |= s == OrderStatus::Shipped;
                    if shipped { prop_assert_ne!(s, OrderStatus::Cancelled); }
                }
            }
        }
    }
}
