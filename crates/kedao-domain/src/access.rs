//! Who may do what: the permission table.
//!
//! Each (role, resource, action) maps to a [`Reach`]: how far the caller's rights extend.
//! The data layer turns the reach into the row filter of every query, so the table below is
//! the single written-down source of the rules (the docs print it from [`PERMISSIONS`]).

use serde::{Deserialize, Serialize};

/// A staff role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Manager,
    Sales,
    Service,
    Finance,
    /// A dealer's (经销商) administrator: the dealer's records, its users' tokens.
    DealerAdmin,
    /// A dealer's salesperson: the dealer's records.
    DealerUser,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Manager,
        Role::Sales,
        Role::Service,
        Role::Finance,
        Role::DealerAdmin,
        Role::DealerUser,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Sales => "sales",
            Role::Service => "service",
            Role::Finance => "finance",
            Role::DealerAdmin => "dealer_admin",
            Role::DealerUser => "dealer_user",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether the role belongs to a dealer's staff (and so must come with a dealer).
    pub fn is_dealer(self) -> bool {
        matches!(self, Role::DealerAdmin | Role::DealerUser)
    }
}

/// A kind of record the API exposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Accounts,
    Contacts,
    Leads,
    Opportunities,
    Pipelines,
    Users,
    Teams,
    /// The price book.
    Products,
    /// Quotes (报价), scoped like the opportunities they price.
    Quotes,
    /// Orders (订单), scoped like the quotes they come from.
    Orders,
    /// Receivables (应收款): payment plans, payments (回款) and their reports.
    Receivables,
    /// Credit control (信用控制): accounts' credit limits and releasing orders' credit holds.
    Credit,
    /// Dealers (经销商), the channel partners.
    Dealers,
    /// Activities (跟进记录): calls, visits, meetings, tasks, notes. Read like the account
    /// (or lead) they hang on; changed by their owner's reach.
    Activities,
    /// Notifications (通知): reminders and mentions addressed to a user, read and marked
    /// read by that user only.
    Notifications,
}

impl Resource {
    pub const ALL: [Resource; 15] = [
        Resource::Accounts,
        Resource::Contacts,
        Resource::Leads,
        Resource::Opportunities,
        Resource::Pipelines,
        Resource::Users,
        Resource::Teams,
        Resource::Products,
        Resource::Quotes,
        Resource::Orders,
        Resource::Receivables,
        Resource::Credit,
        Resource::Dealers,
        Resource::Activities,
        Resource::Notifications,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Resource::Accounts => "accounts",
            Resource::Contacts => "contacts",
            Resource::Leads => "leads",
            Resource::Opportunities => "opportunities",
            Resource::Pipelines => "pipelines",
            Resource::Users => "users",
            Resource::Teams => "teams",
            Resource::Products => "products",
            Resource::Quotes => "quotes",
            Resource::Orders => "orders",
            Resource::Receivables => "receivables",
            Resource::Credit => "credit",
            Resource::Dealers => "dealers",
            Resource::Activities => "activities",
            Resource::Notifications => "notifications",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Write,
}

/// How far a right extends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// Nothing.
    None,
    /// Records that carry the caller's dealer (a dealer's staff see their dealer's records
    /// and nothing else, whoever owns them).
    Dealer,
    /// Records the caller owns.
    Own,
    /// Records owned by anyone in the caller's team.
    Team,
    /// Every record.
    All,
}

use Reach::{All, Dealer, None as No, Own, Team};

/// The permission table: for each role, the reach of (read, write) on each resource.
/// Write covers create, update and delete; creating a record for someone else needs the
/// write reach to cover that owner.
pub const PERMISSIONS: [(Role, Resource, Reach, Reach); 105] = [
    (Role::Admin, Resource::Accounts, All, All),
    (Role::Admin, Resource::Contacts, All, All),
    (Role::Admin, Resource::Leads, All, All),
    (Role::Admin, Resource::Opportunities, All, All),
    (Role::Admin, Resource::Pipelines, All, All),
    (Role::Admin, Resource::Users, All, All),
    (Role::Admin, Resource::Teams, All, All),
    (Role::Manager, Resource::Accounts, Team, Team),
    (Role::Manager, Resource::Contacts, Team, Team),
    (Role::Manager, Resource::Leads, Team, Team),
    (Role::Manager, Resource::Opportunities, Team, Team),
    (Role::Manager, Resource::Pipelines, All, No),
    (Role::Manager, Resource::Users, All, No),
    (Role::Manager, Resource::Teams, All, No),
    (Role::Sales, Resource::Accounts, Own, Own),
    (Role::Sales, Resource::Contacts, Own, Own),
    (Role::Sales, Resource::Leads, Own, Own),
    (Role::Sales, Resource::Opportunities, Own, Own),
    (Role::Sales, Resource::Pipelines, All, No),
    (Role::Sales, Resource::Users, All, No),
    (Role::Sales, Resource::Teams, All, No),
    // Service staff answer any customer's call: they read every account and keep contact
    // details current, and log the leads that calls bring in.
    (Role::Service, Resource::Accounts, All, No),
    (Role::Service, Resource::Contacts, All, All),
    (Role::Service, Resource::Leads, Own, Own),
    (Role::Service, Resource::Opportunities, No, No),
    (Role::Service, Resource::Pipelines, All, No),
    (Role::Service, Resource::Users, All, No),
    // Finance follows every customer's money and the forecast, and changes no sales record.
    (Role::Finance, Resource::Accounts, All, No),
    (Role::Finance, Resource::Contacts, All, No),
    (Role::Finance, Resource::Leads, No, No),
    (Role::Finance, Resource::Opportunities, All, No),
    (Role::Finance, Resource::Pipelines, All, No),
    (Role::Finance, Resource::Users, All, No),
    (Role::Finance, Resource::Teams, All, No),
    (Role::Service, Resource::Teams, All, No),
    // Everyone prices from the one price book; only admins change it.
    (Role::Admin, Resource::Products, All, All),
    (Role::Manager, Resource::Products, All, No),
    (Role::Sales, Resource::Products, All, No),
    (Role::Service, Resource::Products, All, No),
    (Role::Finance, Resource::Products, All, No),
    // A quote prices an opportunity, so it is seen and changed by whoever has the deal.
    (Role::Admin, Resource::Quotes, All, All),
    (Role::Manager, Resource::Quotes, Team, Team),
    (Role::Sales, Resource::Quotes, Own, Own),
    (Role::Service, Resource::Quotes, No, No),
    (Role::Finance, Resource::Quotes, All, No),
    // An order is what an accepted quote becomes: the same people see and move it.
    (Role::Admin, Resource::Orders, All, All),
    (Role::Manager, Resource::Orders, Team, Team),
    (Role::Sales, Resource::Orders, Own, Own),
    (Role::Service, Resource::Orders, No, No),
    (Role::Finance, Resource::Orders, All, No),
    // Receivables follow the orders' owners; finance records every customer's payments.
    (Role::Admin, Resource::Receivables, All, All),
    (Role::Manager, Resource::Receivables, Team, Team),
    (Role::Sales, Resource::Receivables, Own, Own),
    (Role::Service, Resource::Receivables, No, No),
    (Role::Finance, Resource::Receivables, All, All),
    // Credit is finance's call, or a manager's for the team; a rep sees the limits of their
    // own accounts but cannot change them or release their own orders.
    (Role::Admin, Resource::Credit, All, All),
    (Role::Manager, Resource::Credit, Team, Team),
    (Role::Sales, Resource::Credit, Own, No),
    (Role::Service, Resource::Credit, No, No),
    (Role::Finance, Resource::Credit, All, All),
    // Staff pick a dealer for an account from the whole list; admins keep the list.
    (Role::Admin, Resource::Dealers, All, All),
    (Role::Manager, Resource::Dealers, All, No),
    (Role::Sales, Resource::Dealers, All, No),
    (Role::Service, Resource::Dealers, All, No),
    (Role::Finance, Resource::Dealers, All, No),
    // A dealer works its own customers end to end: leads distributed to it, the deals, quotes
    // and orders it places, and the money owed on them. Its administrator also records what
    // the dealer's customers paid; its salespeople see the money but record none of it.
    (Role::DealerAdmin, Resource::Accounts, Dealer, Dealer),
    (Role::DealerAdmin, Resource::Contacts, Dealer, Dealer),
    (Role::DealerAdmin, Resource::Leads, Dealer, Dealer),
    (Role::DealerAdmin, Resource::Opportunities, Dealer, Dealer),
    (Role::DealerAdmin, Resource::Pipelines, All, No),
    (Role::DealerAdmin, Resource::Users, Dealer, No),
    (Role::DealerAdmin, Resource::Teams, No, No),
    (Role::DealerAdmin, Resource::Products, All, No),
    (Role::DealerAdmin, Resource::Quotes, Dealer, Dealer),
    (Role::DealerAdmin, Resource::Orders, Dealer, Dealer),
    (Role::DealerAdmin, Resource::Receivables, Dealer, Dealer),
    (Role::DealerAdmin, Resource::Credit, Dealer, No),
    (Role::DealerAdmin, Resource::Dealers, Dealer, No),
    (Role::DealerUser, Resource::Accounts, Dealer, Dealer),
    (Role::DealerUser, Resource::Contacts, Dealer, Dealer),
    (Role::DealerUser, Resource::Leads, Dealer, Dealer),
    (Role::DealerUser, Resource::Opportunities, Dealer, Dealer),
    (Role::DealerUser, Resource::Pipelines, All, No),
    (Role::DealerUser, Resource::Users, Dealer, No),
    (Role::DealerUser, Resource::Teams, No, No),
    (Role::DealerUser, Resource::Products, All, No),
    (Role::DealerUser, Resource::Quotes, Dealer, Dealer),
    (Role::DealerUser, Resource::Orders, Dealer, Dealer),
    (Role::DealerUser, Resource::Receivables, Dealer, No),
    (Role::DealerUser, Resource::Credit, Dealer, No),
    (Role::DealerUser, Resource::Dealers, Dealer, No),
    // Everyone who talks to customers logs it; an activity is read by whoever may read the
    // customer it hangs on, and changed within the owner's reach.
    (Role::Admin, Resource::Activities, All, All),
    (Role::Manager, Resource::Activities, Team, Team),
    (Role::Sales, Resource::Activities, Own, Own),
    (Role::Service, Resource::Activities, All, Own),
    (Role::Finance, Resource::Activities, All, Own),
    (Role::DealerAdmin, Resource::Activities, Dealer, Dealer),
    (Role::DealerUser, Resource::Activities, Dealer, Dealer),
    // Every user has their own notifications and nobody else's, whatever the role.
    (Role::Admin, Resource::Notifications, Own, Own),
    (Role::Manager, Resource::Notifications, Own, Own),
    (Role::Sales, Resource::Notifications, Own, Own),
    (Role::Service, Resource::Notifications, Own, Own),
    (Role::Finance, Resource::Notifications, Own, Own),
    (Role::DealerAdmin, Resource::Notifications, Own, Own),
    (Role::DealerUser, Resource::Notifications, Own, Own),
];

impl Reach {
    fn label(self) -> &'static str {
        match self {
            Reach::None => "—",
            Reach::Dealer => "dealer",
            Reach::Own => "own",
            Reach::Team => "team",
            Reach::All => "all",
        }
    }
}

/// The permission table as the README shows it (a test keeps the two the same): one row per
/// resource, one column per role, each cell `read / write`.
pub fn permissions_markdown() -> String {
    let mut out = String::from("| resource |");
    for role in Role::ALL {
        out.push_str(&format!(" {} |", role.as_str()));
    }
    out.push_str("\n|---|");
    for _ in Role::ALL {
        out.push_str("---|");
    }
    for resource in Resource::ALL {
        out.push_str(&format!("\n| {} |", resource.as_str()));
        for role in Role::ALL {
            let (read, write) = (
                reach(role, resource, Action::Read),
                reach(role, resource, Action::Write),
            );
            out.push_str(&format!(" {} / {} |", read.label(), write.label()));
        }
    }
    out.push('\n');
    out
}

/// The reach of `role` for `action` on `resource`; anything not in the table is denied.
pub fn reach(role: Role, resource: Resource, action: Action) -> Reach {
    PERMISSIONS
        .iter()
        .find(|(r, res, _, _)| *r == role && *res == resource)
        .map(|(_, _, read, write)| match action {
            Action::Read => *read,
            Action::Write => *write,
        })
        .unwrap_or(Reach::None)
}

/// Who owns a record, as far as access is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ownership<Id> {
    pub owner: Id,
    /// The dealer the record belongs to, if any.
    pub dealer: Option<Id>,
    /// The owner's team and every team above it (empty when the owner has no team). Team
    /// reach covers a record when the caller's team is among them: a manager sees their
    /// team and all of its sub-teams (上级可见下级).
    pub owner_teams: Vec<Id>,
}

/// The caller, as far as access is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller<Id> {
    pub user: Id,
    pub role: Role,
    pub team: Option<Id>,
    /// The dealer a dealer's staff member works for (none for the company's own staff).
    pub dealer: Option<Id>,
}

/// Whether the caller may act on a record with the given ownership. The data layer applies
/// the same rule as a row filter; this form checks one record (e.g. the owner of a new one).
pub fn allows<Id: PartialEq + Copy>(
    caller: &Caller<Id>,
    reach: Reach,
    record: &Ownership<Id>,
) -> bool {
    match reach {
        Reach::All => true,
        Reach::Team => {
            record.owner == caller.user
                || caller
                    .team
                    .is_some_and(|team| record.owner_teams.contains(&team))
        }
        Reach::Own => record.owner == caller.user,
        Reach::Dealer => caller.dealer.is_some() && record.dealer == caller.dealer,
        Reach::None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_role_and_resource_has_exactly_one_row() {
        for role in Role::ALL {
            for res in Resource::ALL {
                let rows = PERMISSIONS
                    .iter()
                    .filter(|(r, s, _, _)| *r == role && *s == res)
                    .count();
                assert_eq!(rows, 1, "{role:?} {res:?}");
            }
        }
    }

    #[test]
    fn dealer_roles_reach_no_further_than_their_dealer() {
        for (role, res, read, write) in PERMISSIONS {
            if role.is_dealer() && !matches!(res, Resource::Products | Resource::Pipelines) {
                // A user's own notifications are theirs alone: no further than the dealer.
                let own_only = res == Resource::Notifications;
                for reach in [read, write] {
                    assert!(
                        matches!(reach, Reach::Dealer | Reach::None)
                            || (own_only && reach == Reach::Own),
                        "{role:?} {res:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn write_never_reaches_further_than_read() {
        for (role, res, read, write) in PERMISSIONS {
            assert!(write <= read, "{role:?} {res:?}");
        }
    }

    #[test]
    fn reps_see_own_managers_team_admins_all() {
        assert_eq!(
            reach(Role::Sales, Resource::Leads, Action::Read),
            Reach::Own
        );
        assert_eq!(
            reach(Role::Manager, Resource::Leads, Action::Read),
            Reach::Team
        );
        assert_eq!(
            reach(Role::Admin, Resource::Leads, Action::Write),
            Reach::All
        );
        assert_eq!(
            reach(Role::Finance, Resource::Leads, Action::Read),
            Reach::None
        );
    }

    fn caller_and_record() -> impl Strategy<Value = (Caller<u8>, Ownership<u8>)> {
        (
            0_u8..4,
            proptest::option::of(0_u8..3),
            0_u8..4,
            proptest::collection::vec(0_u8..3, 0..3),
            proptest::option::of(0_u8..3),
            proptest::option::of(0_u8..3),
        )
            .prop_map(|(user, team, owner, owner_teams, dealer, record_dealer)| {
                (
                    Caller {
                        user,
                        role: Role::Sales,
                        team,
                        dealer,
                    },
                    Ownership {
                        owner,
                        owner_teams,
                        dealer: record_dealer,
                    },
                )
            })
    }

    proptest! {
        #[test]
        fn reach_is_monotonic((caller, record) in caller_and_record()) {
            let own = allows(&caller, Reach::Own, &record);
            let team = allows(&caller, Reach::Team, &record);
            prop_assert!(!allows(&caller, Reach::None, &record));
            prop_assert!(!own || team, "own implies team");
            prop_assert!(allows(&caller, Reach::All, &record));
            prop_assert_eq!(own, caller.user == record.owner);
        }

        /// Team reach covers exactly the owner, or owners whose team sits under the caller's.
        #[test]
        fn team_reach_follows_the_hierarchy((caller, record) in caller_and_record()) {
            let expected = caller.user == record.owner
                || caller.team.is_some_and(|t| record.owner_teams.contains(&t));
            prop_assert_eq!(allows(&caller, Reach::Team, &record), expected);
        }

        /// Dealer reach covers exactly the records of the caller's own dealer: never a record
        /// without a dealer, never another dealer's, whoever owns it.
        #[test]
        fn dealer_reach_is_the_callers_dealer_only((caller, record) in caller_and_record()) {
            let expected = caller.dealer.is_some() && record.dealer == caller.dealer;
            prop_assert_eq!(allows(&caller, Reach::Dealer, &record), expected);
        }

        #[test]
        fn no_team_means_no_team_reach((mut caller, record) in caller_and_record()) {
            caller.team = None;
            prop_assert_eq!(allows(&caller, Reach::Team, &record), caller.user == record.owner);
        }
    }

    #[test]
    fn the_readme_shows_this_table() {
        let readme = include_str!("../../../README.md");
        assert!(
            readme.contains(&permissions_markdown()),
            "README's permission table is stale; paste:\n{}",
            permissions_markdown()
        );
    }
}
