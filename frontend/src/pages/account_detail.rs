//! The 360 view of one customer: who they are, their contacts, the relationship network as a
//! graph, their deals, quotes and orders, what they owe, their credit (`account_credit`), and
//! (in `account_activity`) the history of key fields and the timeline. Each section loads on its own.

use kedao_api_types::ListPage;
use kedao_api_types::accounts::{AccountView, Network};
use kedao_api_types::contacts::ContactView;
use kedao_api_types::notes::RecordType;
use kedao_api_types::opportunities::OpportunityView;
use kedao_api_types::orders::OrderView;
use kedao_api_types::quotes::QuoteView;
use kedao_domain::access::{Action, Resource};
use kedao_domain::pipeline::StageKind;
use uuid::Uuid;
use yew::prelude::*;

use crate::components::attachments_panel::AttachmentsPanel;
use crate::components::fetched::use_fetched;
use crate::components::network_graph::NetworkGraph;
use crate::components::notes_panel::NotesPanel;
use crate::components::notice::Empty;
use crate::context::{AppContext, use_app};
use crate::money::format_money;
use crate::pages::account_activity::{AccountTimeline, Installments};
use crate::pages::account_credit::AccountCredit;
use crate::pages::account_history::AccountHistory;
use crate::pages::account_payments::AccountPayments;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct AccountDetailProps {
    pub id: Uuid,
}

#[function_component]
pub fn AccountDetail(props: &AccountDetailProps) -> Html {
    let app = use_app();
    let id = props.id;
    let account = use_fetched::<AccountView>(format!("/api/v1/accounts/{id}"), 0);
    let contacts = use_fetched::<ListPage<ContactView>>(
        format!("/api/v1/contacts?account_id={id}&limit=50"),
        0,
    );
    let network = use_fetched::<Network>(format!("/api/v1/accounts/{id}/network?depth=2"), 0);
    let deals = use_fetched::<ListPage<OpportunityView>>(
        format!("/api/v1/opportunities?account_id={id}&limit=50"),
        0,
    );
    let quotes =
        use_fetched::<ListPage<QuoteView>>(format!("/api/v1/quotes?account_id={id}&limit=50"), 0);
    let orders =
        use_fetched::<ListPage<OrderView>>(format!("/api/v1/orders?account_id={id}&limit=50"), 0);

    let Some(account) = account.value() else {
        return account.note();
    };
    html! {
        <section class="account-360" id="account-360" data-account={id.to_string()}>
            <div class="toolbar">
                <h1 id="account-name">{ &account.name }</h1>
                { app.link(Route::Statement(id), app.t("statement.title")) }
                if app.can(Resource::Orders, Action::Write) {
                    <span id="new-order">{ app.link(Route::OrderNew(id), app.t("order.new")) }</span>
                }
            </div>
            { facts(&app, account) }
            <div class="panels">
                <section class="card" id="account-contacts">
                    <h2>{ app.t("account.contacts") }</h2>
                    { contacts.note() }
                    if let Some(page) = contacts.value() {
                        { contact_list(&app, &page.items) }
                    }
                </section>
                <section class="card" id="account-network">
                    <h2>{ app.t("account.network") }</h2>
                    { network.note() }
                    if let Some(network) = network.value() {
                        if network.edges.is_empty() {
                            <Empty message="account.network_empty" />
                        } else {
                            <NetworkGraph network={network.clone()} />
                        }
                    }
                </section>
            </div>
            <section class="card" id="account-deals">
                <h2>{ app.t("account.deals") }</h2>
                { deals.note() }
                if let Some(page) = deals.value() {
                    { deal_list(&app, &page.items) }
                }
            </section>
            <section class="card" id="account-quotes">
                <h2>{ app.t("account.quotes") }</h2>
                { quotes.note() }
                if let Some(page) = quotes.value() {
                    { quote_list(&app, &page.items) }
                }
            </section>
            <section class="card" id="account-orders">
                <h2>{ app.t("account.orders") }</h2>
                { orders.note() }
                if let Some(page) = orders.value() {
                    { order_list(&app, &page.items) }
                }
            </section>
            <section class="card" id="account-receivables">
                <h2>{ app.t("account.receivables") }</h2>
                { orders.note() }
                if let Some(page) = orders.value() {
                    <Installments orders={page.items.iter().map(|o| (o.id, o.number.clone())).collect::<Vec<_>>()} />
                }
            </section>
            if app.can(Resource::Credit, Action::Read) {
                <AccountCredit id={id} />
            }
            if app.can(Resource::Receivables, Action::Read) {
                <AccountPayments id={id} />
            }
            <NotesPanel record_type={RecordType::Account} record_id={id} />
            <AttachmentsPanel record_type={RecordType::Account} record_id={id} />
            <AccountHistory id={id} />
            <AccountTimeline id={id} />
        </section>
    }
}

fn facts(app: &AppContext, account: &AccountView) -> Html {
    let fact = |key: &str, value: Option<String>| {
        value.filter(|v| !v.is_empty()).map(|v| {
            html! { <><dt>{ app.t(key) }</dt><dd>{ v }</dd></> }
        })
    };
    html! {
        <dl class="facts card" id="account-facts">
            { fact("account.customer_type", Some(app.t(&format!("customer_type.{}", account.customer_type.as_str())).to_owned())) }
            { fact("account.industry", account.industry.clone()) }
            { fact("account.region", account.region.clone()) }
            { fact("lead.phone", account.phone.clone()) }
            { fact("lead.email", account.email.clone()) }
            { fact("account.address", account.address.clone()) }
            { fact("account.tags", Some(account.tags.join(", "))) }
        </dl>
    }
}

fn contact_list(app: &AppContext, contacts: &[ContactView]) -> Html {
    if contacts.is_empty() {
        return html! { <Empty message="account.contacts_empty" /> };
    }
    html! {
        <ul class="plain" id="contact-list">
            { for contacts.iter().map(|c| html! {
                <li class="contact" data-contact={c.id.to_string()}>
                    <strong>{ &c.name }</strong>
                    if c.is_primary { { " · " }{ app.t("contact.primary") } }
                    if let Some(title) = &c.title { { " · " }{ title } }
                    if let Some(phone) = c.mobile.as_ref().or(c.phone.as_ref()) { { " · " }{ phone } }
                    if let Some(email) = &c.email { { " · " }{ email } }
                </li>
            }) }
        </ul>
    }
}

fn deal_list(app: &AppContext, deals: &[OpportunityView]) -> Html {
    if deals.is_empty() {
        return html! { <Empty message="account.deals_empty" /> };
    }
    html! {
        <table class="list" id="deal-list">
            <thead><tr>
                <th>{ app.t("convert.deal_title") }</th>
                <th>{ app.t("deal.stage") }</th>
                <th class="num">{ app.t("deal.amount") }</th>
                <th>{ app.t("convert.close_date") }</th>
            </tr></thead>
            <tbody>
                { for deals.iter().map(|d| html! {
                    <tr class="deal-row" data-deal={d.id.to_string()}>
                        <td data-label={app.t("convert.deal_title")}>
                            { &d.title }
                            if d.stage_kind == StageKind::Open && app.can(Resource::Quotes, Action::Write) {
                                { " · " }{ app.link(Route::QuoteNew(d.id), app.t("pipeline.quote")) }
                            }
                        </td>
                        <td data-label={app.t("deal.stage")}>{ app.t(&format!("stage_kind.{}", d.stage_kind.as_str())) }{ format!(" · {}%", d.probability) }</td>
                        <td class="num" data-label={app.t("deal.amount")}>{ format_money(d.amount, d.currency) }</td>
                        <td data-label={app.t("convert.close_date")}>{ d.expected_close_date.to_string() }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn quote_list(app: &AppContext, quotes: &[QuoteView]) -> Html {
    if quotes.is_empty() {
        return html! { <Empty message="account.quotes_empty" /> };
    }
    html! {
        <table class="list" id="account-quote-list">
            <thead><tr>
                <th>{ app.t("quote.number") }</th>
                <th>{ app.t("quote.status") }</th>
                <th class="num">{ app.t("quote.grand_total") }</th>
                <th>{ app.t("quote.valid_until") }</th>
            </tr></thead>
            <tbody>
                { for quotes.iter().map(|q| html! {
                    <tr data-quote={q.id.to_string()}>
                        <td data-label={app.t("quote.number")}>{ app.link(Route::Quote(q.id), &format!("{} r{}", q.number, q.revision)) }</td>
                        <td data-label={app.t("quote.status")}>{ app.t(&format!("quote_status.{}", q.status.as_str())) }</td>
                        <td class="num" data-label={app.t("quote.grand_total")}>{ format_money(q.grand_total, q.currency) }</td>
                        <td data-label={app.t("quote.valid_until")}>{ q.valid_until.to_string() }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// Orders as a table; also used by the order list.
pub fn order_list(app: &AppContext, orders: &[OrderView]) -> Html {
    if orders.is_empty() {
        return html! { <Empty message="orders.empty" /> };
    }
    html! {
        <table class="list" id="order-list">
            <thead><tr>
                <th>{ app.t("order.number") }</th>
                <th>{ app.t("order.status") }</th>
                <th>{ app.t("order.credit") }</th>
                <th class="num">{ app.t("quote.grand_total") }</th>
                <th>{ app.t("order.created") }</th>
            </tr></thead>
            <tbody>
                { for orders.iter().map(|o| html! {
                    <tr class="order" data-order={o.id.to_string()} data-status={o.status.as_str()}>
                        <td data-label={app.t("order.number")}>{ app.link(Route::Order(o.id), &o.number) }</td>
                        <td data-label={app.t("order.status")}>{ app.t(&format!("order_status.{}", o.status.as_str())) }</td>
                        <td data-label={app.t("order.credit")}>{ app.t(&format!("credit_status.{}", o.credit_status.as_str())) }</td>
                        <td class="num" data-label={app.t("quote.grand_total")}>{ format_money(o.grand_total, o.currency) }</td>
                        <td data-label={app.t("order.created")}>{ app.date(o.created_at) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
