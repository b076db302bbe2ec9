//! The first screen after sign-in: the funnel by stage, receivables by age, my plans, the
//! forecast by close month (`dashboard_plans`), what is overdue.

use kedao_api_types::ListPage;
use kedao_api_types::opportunities::Funnel;
use kedao_api_types::receivables::{AgingReport, AgingRow, OverdueView};
use rust_decimal::Decimal;
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::charts::{AGING_BUCKETS, AgingTotals, aging_by_currency, bar_lengths};
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::i18n::Lang;
use crate::money::format_money;
use crate::problem::ApiFailure;

/// A panel's data: loading, arrived, or failed.
#[derive(Clone, PartialEq)]
enum Load<T> {
    Loading,
    Ready(T),
    Failed(ApiFailure),
}

/// Fetches once per mount into a `Load` state.
#[hook]
fn use_load<T, F, Fut>(fetch: F) -> UseStateHandle<Load<T>>
where
    T: 'static,
    F: FnOnce() -> Fut + 'static,
    Fut: std::future::Future<Output = Result<T, ApiFailure>> + 'static,
{
    let app = use_app();
    let state = use_state(|| Load::Loading);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match fetch().await {
                    Ok(value) => state.set(Load::Ready(value)),
                    Err(err) => {
                        if let Some(err) = app.check(err) {
                            state.set(Load::Failed(err));
                        }
                    }
                }
            });
        });
    }
    state
}

/// Every page of the aging report grouped by owner (one row per owner and currency).
async fn all_aging_rows() -> Result<Vec<AgingRow>, ApiFailure> {
    let mut rows = Vec::new();
    let mut cursor: Option<String> = None;
    // A company has far fewer owners than this many pages of 200.
    for _ in 0..50 {
        let path = with_query(
            "/api/v1/receivables/aging",
            &[
                ("group_by", Some("owner")),
                ("limit", Some("200")),
                ("cursor", cursor.as_deref()),
            ],
        );
        let page = api::get::<AgingReport>(&path).await?.value;
        rows.extend(page.rows);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(rows)
}

#[function_component]
pub fn Dashboard() -> Html {
    let app = use_app();
    let funnel = use_load(|| async { api::get::<Funnel>("/api/v1/funnel").await.map(|f| f.value) });
    let aging = use_load(|| async { all_aging_rows().await.map(|rows| aging_by_currency(&rows)) });
    let overdue = use_load(|| async {
        api::get::<ListPage<OverdueView>>("/api/v1/receivables/overdue?limit=10")
            .await
            .map(|p| p.value.items)
    });

    html! {
        <section class="dashboard">
            <h1>{ app.t("dashboard.title") }</h1>
            <div class="panels">
                <article class="card panel" id="funnel-panel">
                    <h2>{ app.t("dashboard.funnel") }</h2>
                    { panel(&funnel, |f: &Funnel| funnel_chart(&app, f)) }
                </article>
                <article class="card panel" id="aging-panel">
                    <h2>{ app.t("dashboard.aging") }</h2>
                    { panel(&aging, |totals: &Vec<AgingTotals>| aging_charts(&app, totals)) }
                </article>
                <crate::pages::dashboard_plans::MyPlans />
                <crate::pages::dashboard_plans::ForecastPanel />
                <article class="card panel wide" id="overdue-panel">
                    <h2>{ app.t("dashboard.overdue") }</h2>
                    <crate::components::export_button::ExportButton id="overdue-export"
                        path="/api/v1/receivables/overdue/export" file_name="receivables-overdue.csv" />
                    { panel(&overdue, |items: &Vec<OverdueView>| overdue_list(&app, items)) }
                </article>
            </div>
        </section>
    }
}

fn panel<T>(state: &Load<T>, render: impl Fn(&T) -> Html) -> Html {
    match state {
        Load::Loading => html! { <Loading /> },
        Load::Failed(f) => html! { <FailureNote failure={f.clone()} /> },
        Load::Ready(value) => render(value),
    }
}

const LABEL_WIDTH: f64 = 150.0;
const BAR_SPACE: f64 = 170.0;
/// Room for the figures right of the bars (the largest amounts have 13 digits).
const VALUE_WIDTH: f64 = 190.0;
const CHART_WIDTH: f64 = LABEL_WIDTH + BAR_SPACE + VALUE_WIDTH;
const ROW_HEIGHT: f64 = 28.0;

fn funnel_chart(app: &AppContext, funnel: &Funnel) -> Html {
    if funnel.stages.iter().all(|s| s.count == 0) {
        return html! { <Empty message="dashboard.funnel_empty" /> };
    }
    let counts: Vec<Decimal> = funnel
        .stages
        .iter()
        .map(|s| Decimal::from(s.count))
        .collect();
    let lengths = bar_lengths(&counts, BAR_SPACE);
    let height = ROW_HEIGHT * funnel.stages.len() as f64;
    html! {
        <svg class="chart funnel" id="funnel-chart" viewBox={format!("0 0 {CHART_WIDTH} {height}")} role="img" aria-label={app.t("dashboard.funnel")}>
            { for funnel.stages.iter().zip(lengths).enumerate().map(|(i, (stage, length))| {
                let y = i as f64 * ROW_HEIGHT;
                let name = match (app.lang, &stage.name_zh) {
                    (Lang::ZhCn, Some(zh)) => zh.clone(),
                    _ => stage.name.clone(),
                };
                // Amounts are never added across currencies: the largest figure is
                // written out, every currency's total is in the tooltip.
                let amount = stage
                    .totals
                    .iter()
                    .max_by_key(|t| t.amount)
                    .map(|t| format_money(t.amount, t.currency))
                    .unwrap_or_default();
                let all_totals = stage
                    .totals
                    .iter()
                    .map(|t| format_money(t.amount, t.currency))
                    .collect::<Vec<_>>()
                    .join(" + ");
                // Centred bars make the funnel's shape.
                let x = LABEL_WIDTH + (BAR_SPACE - length) / 2.0;
                html! {
                    <g class="stage" data-stage={stage.stage_id.to_string()} data-count={stage.count.to_string()}>
                        <title>{ format!("{name}: {} · {all_totals}", stage.count) }</title>
                        <text x="0" y={format!("{}", y + 18.0)} class="label">{ name }</text>
                        <rect x={format!("{x:.1}")} y={format!("{}", y + 4.0)} width={format!("{length:.1}")} height="20" rx="3" class={classes!("bar", format!("kind-{:?}", stage.kind).to_lowercase())} />
                        <text x={format!("{}", LABEL_WIDTH + BAR_SPACE + 6.0)} y={format!("{}", y + 18.0)} class="value">{ format!("{} · {amount}", stage.count) }</text>
                    </g>
                }
            }) }
        </svg>
    }
}

pub fn aging_charts(app: &AppContext, totals: &[AgingTotals]) -> Html {
    if totals.is_empty() {
        return html! { <Empty message="dashboard.aging_empty" /> };
    }
    html! {
        { for totals.iter().map(|t| aging_chart(app, t)) }
    }
}

fn aging_chart(app: &AppContext, totals: &AgingTotals) -> Html {
    let lengths = bar_lengths(&totals.buckets, BAR_SPACE);
    let height = ROW_HEIGHT * AGING_BUCKETS.len() as f64;
    html! {
        <figure class="aging">
            <figcaption>{ format!("{} {}", totals.currency.code(), format_money(totals.total, totals.currency)) }</figcaption>
            <svg class="chart aging-chart" data-currency={totals.currency.code()} viewBox={format!("0 0 {CHART_WIDTH} {height}")} role="img" aria-label={app.t("dashboard.aging")}>
                { for AGING_BUCKETS.iter().zip(totals.buckets.iter()).zip(lengths).enumerate().map(|(i, ((key, amount), length))| {
                    let y = i as f64 * ROW_HEIGHT;
                    html! {
                        <g class="bucket">
                            <text x="0" y={format!("{}", y + 18.0)} class="label">{ app.t(key) }</text>
                            <rect data-amount={amount.to_string()} x={format!("{LABEL_WIDTH}")} y={format!("{}", y + 4.0)} width={format!("{length:.1}")} height="20" rx="3" class={classes!("bar", format!("age-{i}"))} />
                            <text x={format!("{}", LABEL_WIDTH + BAR_SPACE + 6.0)} y={format!("{}", y + 18.0)} class="value">{ format_money(*amount, totals.currency) }</text>
                        </g>
                    }
                }) }
            </svg>
        </figure>
    }
}

fn overdue_list(app: &AppContext, items: &[OverdueView]) -> Html {
    if items.is_empty() {
        return html! { <Empty message="dashboard.overdue_empty" /> };
    }
    html! {
        <table class="list" id="overdue-list">
            <thead><tr>
                <th>{ app.t("receivables.account") }</th>
                <th>{ app.t("overdue.due_date") }</th>
                <th class="num">{ app.t("overdue.days") }</th>
                <th class="num">{ app.t("overdue.outstanding") }</th>
            </tr></thead>
            <tbody>
                { for items.iter().map(|o| html! {
                    <tr>
                        <td class="overdue-account" data-label={app.t("receivables.account")}>{ o.account_name.clone() }</td>
                        <td data-label={app.t("overdue.due_date")}>{ o.installment.due_date.to_string() }</td>
                        <td class="num" data-label={app.t("overdue.days")}>{ o.days_overdue }</td>
                        <td class="num" data-label={app.t("overdue.outstanding")}>{ format_money(o.installment.outstanding, o.installment.currency) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
