//! Receivables by age per owner (the rep responsible): one row per owner and currency with
//! its buckets, under the chart of the totals per currency.

use kedao_api_types::receivables::{AgingReport, AgingRow};
use yew::prelude::*;

use crate::charts::{AGING_BUCKETS, aging_by_currency};
use crate::components::fetched::use_fetched;
use crate::components::notice::Empty;
use crate::context::{AppContext, use_app};
use crate::money::format_money;
use crate::pages::dashboard::aging_charts;

#[derive(Properties, PartialEq)]
pub struct AgingByOwnerProps {
    /// Bumped when the figures changed (a payment was recorded or voided).
    pub generation: u32,
}

#[function_component]
pub fn AgingByOwner(props: &AgingByOwnerProps) -> Html {
    let app = use_app();
    let report = use_fetched::<AgingReport>(
        "/api/v1/receivables/aging?group_by=owner&limit=200".to_owned(),
        props.generation,
    );
    html! {
        <section class="card" id="aging-by-owner">
            <h2>{ app.t("receivables.aging_by_owner") }</h2>
            { report.note() }
            if let Some(r) = report.value() {
                if r.rows.is_empty() {
                    <Empty message="dashboard.aging_empty" />
                } else {
                    { aging_charts(&app, &aging_by_currency(&r.rows)) }
                    { owner_table(&app, &r.rows) }
                }
            }
        </section>
    }
}

fn owner_table(app: &AppContext, rows: &[AgingRow]) -> Html {
    html! {
        <table class="list" id="aging-owner-list">
            <thead><tr>
                <th>{ app.t("receivables.owner") }</th>
                { for AGING_BUCKETS.iter().map(|k| html! { <th class="num">{ app.t(k) }</th> }) }
                <th class="num">{ app.t("receivables.outstanding") }</th>
            </tr></thead>
            <tbody>
                { for rows.iter().map(|r| {
                    let buckets = [r.not_due, r.d1_30, r.d31_60, r.d61_90, r.over_90];
                    html! {
                        <tr data-owner={r.group_id.map(|g| g.to_string()).unwrap_or_default()} data-currency={r.currency.code()}>
                            <td data-label={app.t("receivables.owner")}>{ r.group_name.clone().unwrap_or_default() }</td>
                            { for AGING_BUCKETS.iter().zip(buckets).map(|(k, amount)| html! {
                                <td class="num" data-label={app.t(k)}>{ format_money(amount, r.currency) }</td>
                            }) }
                            <td class="num" data-label={app.t("receivables.outstanding")}>{ format_money(r.total, r.currency) }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
