//! Scopes of integration API tokens: one per resource and action (`leads:read`,
//! `orders:write`), taken from the permission table's own [`Resource`] × [`Action`], so a new
//! resource gets its scopes without anyone writing them down.
//!
//! A scope only narrows: a token acts with its creator's role, and may do an operation only
//! when it holds the operation's scope *and* the role may do it.

use std::fmt;

use crate::access::{self, Action, Reach, Resource, Role};

/// The right to do one action on one resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    pub resource: Resource,
    pub action: Action,
}

impl Scope {
    pub const fn new(resource: Resource, action: Action) -> Scope {
        Scope { resource, action }
    }

    /// Every scope there is, resource by resource, read before write.
    pub fn all() -> impl Iterator<Item = Scope> {
        Resource::ALL.into_iter().flat_map(|resource| {
            [Action::Read, Action::Write]
                .into_iter()
                .map(move |action| Scope { resource, action })
        })
    }

    /// Reads `resource:action` (`leads:read`); `None` for anything else.
    pub fn parse(text: &str) -> Option<Scope> {
        let (resource, action) = text.split_once(':')?;
        let resource = Resource::ALL.into_iter().find(|r| r.as_str() == resource)?;
        let action = match action {
            "read" => Action::Read,
            "write" => Action::Write,
            _ => return None,
        };
        Some(Scope { resource, action })
    }

    /// Whether a role has any reach for this scope's action on its resource: a token created
    /// by that role may carry it.
    pub fn granted_to(self, role: Role) -> bool {
        access::reach(role, self.resource, self.action) != Reach::None
    }
}

/// A set of scopes small enough to copy: one bit per resource and action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScopeSet(u64);

impl ScopeSet {
    fn bit(scope: Scope) -> u64 {
        let (resource, write) = scope.position();
        1_u64
            .checked_shl(u32::try_from(resource * 2 + usize::from(write)).unwrap_or(u32::MAX))
            .unwrap_or(0)
    }

    pub fn contains(self, scope: Scope) -> bool {
        let bit = ScopeSet::bit(scope);
        bit != 0 && self.0 & bit != 0
    }
}

impl FromIterator<Scope> for ScopeSet {
    fn from_iter<I: IntoIterator<Item = Scope>>(scopes: I) -> Self {
        ScopeSet(scopes.into_iter().fold(0, |set, s| set | ScopeSet::bit(s)))
    }
}

impl Scope {
    /// Position in [`Scope::all`], which orders lists of scopes.
    fn position(self) -> (usize, bool) {
        let resource = Resource::ALL
            .iter()
            .position(|r| *r == self.resource)
            .unwrap_or(usize::MAX);
        (resource, self.action == Action::Write)
    }
}

impl Ord for Scope {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.position().cmp(&other.position())
    }
}

impl PartialOrd for Scope {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let action = match self.action {
            Action::Read => "read",
            Action::Write => "write",
        };
        write!(f, "{}:{action}", self.resource.as_str())
    }
}

/// The scopes of a space-separated list (the JWT `scope` claim, the stored column), skipping
/// words that are not scopes: a scope removed from the code simply stops granting anything.
pub fn parse_list(text: &str) -> Vec<Scope> {
    let mut scopes: Vec<Scope> = text.split_whitespace().filter_map(Scope::parse).collect();
    scopes.sort();
    scopes.dedup();
    scopes
}

/// The space-separated form of a list of scopes.
pub fn format_list(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(Scope::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_set_holds_exactly_its_scopes() {
        let all: Vec<Scope> = Scope::all().collect();
        assert!(all.len() <= 64, "one bit per scope");
        for (n, chosen) in all.iter().enumerate() {
            let set: ScopeSet = all.iter().copied().skip(n).step_by(3).collect();
            for (m, s) in all.iter().enumerate() {
                assert_eq!(set.contains(*s), m >= n && (m - n) % 3 == 0, "{chosen} {s}");
            }
        }
    }

    #[test]
    fn every_scope_reads_back_as_itself() {
        let all: Vec<Scope> = Scope::all().collect();
        assert_eq!(all.len(), Resource::ALL.len() * 2);
        for scope in all {
            assert_eq!(Scope::parse(&scope.to_string()), Some(scope));
        }
        assert_eq!(
            Scope::parse("leads:read"),
            Some(Scope::new(Resource::Leads, Action::Read))
        );
    }

    #[test]
    fn anything_else_is_no_scope() {
        for text in [
            "",
            "leads",
            "leads:",
            ":read",
            "leads:delete",
            "lead:read",
            "LEADS:READ",
            "leads:read:x",
        ] {
            assert_eq!(Scope::parse(text), None, "{text}");
        }
    }

    #[test]
    fn lists_are_sorted_deduplicated_and_skip_unknown_words() {
        let scopes = parse_list("orders:write leads:read bogus leads:read");
        assert_eq!(format_list(&scopes), "leads:read orders:write");
        let all: Vec<Scope> = Scope::all().collect();
        let mut sorted = all.clone();
        sorted.sort();
        assert_eq!(sorted, all);
    }

    #[test]
    fn a_role_is_granted_exactly_what_its_table_row_reaches() {
        assert!(Scope::new(Resource::Leads, Action::Write).granted_to(Role::Admin));
        assert!(!Scope::new(Resource::Leads, Action::Read).granted_to(Role::Finance));
        assert!(!Scope::new(Resource::Products, Action::Write).granted_to(Role::Sales));
    }
}
