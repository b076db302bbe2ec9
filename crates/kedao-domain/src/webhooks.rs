//! The events outbound webhooks announce.

/// Every event type a webhook may subscribe to.
pub const EVENT_TYPES: [&str; 11] = [
    "lead.created",
    "lead.converted",
    "opportunity.stage_changed",
    "quote.accepted",
    "order.status_changed",
    "payment.recorded",
    "payment.voided",
    "installment.overdue",
    "activity.created",
    "activity.updated",
    "activity.completed",
];

/// Whether `name` is a known event type.
pub fn is_event_type(name: &str) -> bool {
    EVENT_TYPES.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_events_only() {
        assert!(is_event_type("lead.created"));
        assert!(is_event_type("installment.overdue"));
        assert!(!is_event_type("lead.deleted"));
        assert!(!is_event_type("LEAD.CREATED"));
    }
}
