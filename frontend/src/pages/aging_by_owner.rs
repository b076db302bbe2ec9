//! Receivables by age per owner (the rep responsible): one row per owner and currency with
//! its buckets, under the chart of the totals per currency. The report is read to its last
//! page (following `next_cursor`), so the chart's totals hold every owner.

use kedao_api_types::ListPage;
use kedao_api_types::receivables::{AgingReport, AgingRow};
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::charts::{AGING_BUCKETS, aging_by_currency};
use crate::components::export_button::ExportButton;
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::list_state::{ListAction, ListState};
use crate::money::format_money;
use crate::pages::dashboard::aging_charts;

/// The rows asked for at a time.
const PAGE_ROWS: &str = "200";

/// The path of the page after `cursor` (the first page without one).
fn page_path(cursor: Option<&str>) -> String {
    with_query(
        "/api/v1/receivables/aging",
        &[
            ("group_by", Some("owner")),
            ("limit", Some(PAGE_ROWS)),
            ("cursor", cursor),
        ],
    )
}

/// A report page as a list page, for the paging state.
fn as_page(report: AgingReport) -> ListPage<AgingRow> {
    ListPage {
        items: report.rows,
        next_cursor: report.next_cursor,
        total: None,
    }
}

#[derive(Properties, PartialEq)]
pub struct AgingByOwnerProps {
    /// Bumped when the figures changed (a payment was recorded or voided).
    pub generation: u32,
}

#[function_component]
pub fn AgingByOwner(props: &AgingByOwnerProps) -> Html {
    let app = use_app();
    let list = use_reducer(ListState::<AgingRow>::default);
    {
        let (list, app) = (list.dispatcher(), app.clone());
        // Request numbers start at 1 so the first answer is never taken for a stale one.
        use_effect_with(props.generation, move |generation| {
            let request = generation + 1;
            list.dispatch(ListAction::Reload(request));
            wasm_bindgen_futures::spawn_local(async move {
                let mut cursor: Option<String> = None;
                loop {
                    let append = cursor.is_some();
                    match api::get::<AgingReport>(&page_path(cursor.as_deref())).await {
                        Ok(found) => {
                            let page = as_page(found.value);
                            cursor = page.next_cursor.clone();
                            list.dispatch(ListAction::Page {
                                request,
                                page,
                                append,
                            });
                            if cursor.is_none() {
                                break;
                            }
                            list.dispatch(ListAction::LoadMore);
                        }
                        Err(failure) => {
                            if let Some(failure) = app.check(failure) {
                                list.dispatch(ListAction::Failed { request, failure });
                            }
                            break;
                        }
                    }
                }
            });
        });
    }
    html! {
        <section class="card" id="aging-by-owner" data-loading={list.loading.to_string()}>
            <h2>{ app.t("receivables.aging_by_owner") }</h2>
            <ExportButton id="aging-owner-export" path="/api/v1/receivables/aging/export?group_by=owner"
                file_name="receivables-aging-by-owner.csv" />
            if let Some(failure) = &list.failure {
                <FailureNote failure={failure.clone()} />
            }
            if list.loading {
                <Loading />
            } else if list.is_empty() {
                <Empty message="dashboard.aging_empty" />
            } else if list.loaded {
                { aging_charts(&app, &aging_by_currency(&list.items)) }
                { owner_table(&app, &list.items) }
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use kedao_api_types::receivables::ReceivablesGroupBy;
    use kedao_domain::Currency;
    use rust_decimal::Decimal;

    fn row(owner: &str, total: i64) -> AgingRow {
        let total = Decimal::from(total);
        AgingRow {
            group_id: None,
            group_name: Some(owner.into()),
            currency: Currency::Cny,
            not_due: total,
            d1_30: Decimal::ZERO,
            d31_60: Decimal::ZERO,
            d61_90: Decimal::ZERO,
            over_90: Decimal::ZERO,
            total,
        }
    }

    fn report(rows: Vec<AgingRow>, next: Option<&str>) -> ListPage<AgingRow> {
        as_page(AgingReport {
            group_by: ReceivablesGroupBy::Owner,
            as_of: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
            rows,
            next_cursor: next.map(str::to_owned),
        })
    }

    #[test]
    fn pages_follow_the_cursor() {
        assert_eq!(
            page_path(None),
            "/api/v1/receivables/aging?group_by=owner&limit=200"
        );
        assert_eq!(
            page_path(Some("a~CNY")),
            "/api/v1/receivables/aging?group_by=owner&limit=200&cursor=a~CNY"
        );
    }

    #[test]
    fn every_page_is_kept_and_the_chart_counts_them_all() {
        let s = ListState::default().reduce(ListAction::Reload(1));
        let first = report(vec![row("甲", 100), row("乙", 50)], Some("c1"));
        let s = s.reduce(ListAction::Page {
            request: 1,
            page: first,
            append: false,
        });
        assert_eq!(s.next_cursor.as_deref(), Some("c1"));
        let s = s.reduce(ListAction::LoadMore);
        assert!(s.loading);
        let s = s.reduce(ListAction::Page {
            request: 1,
            page: report(vec![row("丙", 25)], None),
            append: true,
        });
        assert!(!s.loading && s.next_cursor.is_none());
        assert_eq!(s.items.len(), 3);
        let totals = aging_by_currency(&s.items);
        assert_eq!(totals.len(), 1);
        assert_eq!(totals[0].total, Decimal::from(175));
    }

    #[test]
    fn a_page_of_an_earlier_reading_is_dropped() {
        let s = ListState::default().reduce(ListAction::Reload(1));
        let s = s.reduce(ListAction::Reload(2));
        let s = s.reduce(ListAction::Page {
            request: 1,
            page: report(vec![row("甲", 100)], Some("c1")),
            append: false,
        });
        assert!(s.items.is_empty() && s.loading);
    }
}
