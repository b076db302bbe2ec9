//! A note's draft with its @mentions: picking a colleague writes `@Name` into the text and
//! remembers who; deleting the `@Name` from the text drops the mention, so no one is notified
//! of a note that no longer names them.

use kedao_api_types::notes::MENTIONS_MAX;
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct NoteDraft {
    pub body: String,
    /// Who was picked, with the name written for them.
    pub mentioned: Vec<(Uuid, String)>,
}

impl NoteDraft {
    /// `@name` added to the text (on a word boundary) and `user` to the mentions; a user
    /// already mentioned, or one past the server's limit, only gets the text.
    pub fn mention(&self, user: Uuid, name: &str) -> NoteDraft {
        let mut next = self.clone();
        if !(next.body.is_empty() || next.body.ends_with(char::is_whitespace)) {
            next.body.push(' ');
        }
        next.body.push('@');
        next.body.push_str(name);
        next.body.push(' ');
        let known = next.mentioned.iter().any(|(id, _)| *id == user);
        if !known && next.mentioned.len() < MENTIONS_MAX {
            next.mentioned.push((user, name.to_owned()));
        }
        next
    }

    /// The users to notify: those picked whose `@name` is still in the text.
    pub fn mentions(&self) -> Vec<Uuid> {
        self.mentioned
            .iter()
            .filter(|(_, name)| self.body.contains(&format!("@{name}")))
            .map(|(id, _)| *id)
            .collect()
    }

    /// Whether there is anything to send.
    pub fn is_blank(&self) -> bool {
        self.body.trim().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picking_writes_the_name_and_remembers_the_user_once() {
        let (wang, li) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let d = NoteDraft {
            body: "请确认交期".into(),
            mentioned: vec![],
        };
        let d = d
            .mention(wang, "王经理")
            .mention(li, "李会计")
            .mention(wang, "王经理");
        assert_eq!(d.body, "请确认交期 @王经理 @李会计 @王经理 ");
        assert_eq!(d.mentions(), [wang, li]);
    }

    #[test]
    fn deleting_the_name_drops_the_mention() {
        let wang = Uuid::from_u128(1);
        let mut d = NoteDraft::default().mention(wang, "王经理");
        assert_eq!(d.body, "@王经理 ");
        d.body = "no one".into();
        assert!(d.mentions().is_empty());
        assert!(!d.is_blank());
        assert!(NoteDraft::default().is_blank());
    }

    #[test]
    fn no_more_than_the_server_takes() {
        let mut d = NoteDraft::default();
        for i in 0..(MENTIONS_MAX as u128 + 3) {
            d = d.mention(Uuid::from_u128(i), &format!("u{i}"));
        }
        assert_eq!(d.mentions().len(), MENTIONS_MAX);
    }
}
