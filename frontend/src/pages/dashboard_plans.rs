//! The dashboard's forward-looking panels: my open tasks and next steps (planned activities),
//! and the forecast by close month drawn from the open deals.

use kedao_api_types::ListPage;
use kedao_api_types::activities::{ActivityKind, ActivityView};
use kedao_api_types::opportunities::OpportunityView;
use rust_decimal::Decimal;
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::charts::bar_lengths;
use crate::components::fetched::{Fetch, use_fetched};
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::forecast::{Forecast, forecast_by_month};
use crate::money::format_money;
use crate::problem::ApiFailure;

/// The signed-in user's planned activities, soonest first.
#[function_component]
pub fn MyPlans() -> Html {
    let app = use_app();
    let me = app
        .user
        .as_ref()
        .map(|u| u.id.to_string())
        .unwrap_or_default();
    let path = with_query(
        "/api/v1/activities",
        &[
            ("owner_id", Some(&me)),
            ("status", Some("planned")),
            ("sort", Some("created_at")),
            ("limit", Some("20")),
        ],
    );
    let plans = use_fetched::<ListPage<ActivityView>>(path, 0);
    html! {
        <article class="card panel" id="plans-panel">
            <h2>{ app.t("dashboard.plans") }</h2>
            { plans.note() }
            if let Some(page) = plans.value() {
                if page.items.is_empty() {
                    <Empty message="dashboard.plans_empty" />
                } else {
                    <ul class="plain" id="plan-list">
                        { for page.items.iter().map(|a| plan_item(&app, a)) }
                    </ul>
                }
            }
        </article>
    }
}

fn plan_item(app: &AppContext, a: &ActivityView) -> Html {
    let when = match (a.kind, a.due_date, a.planned_start) {
        (ActivityKind::Task, Some(due), _) => {
            format!("{} {}", app.t("dashboard.due"), app.day(due))
        }
        (_, _, Some(start)) => app.date(start),
        (_, Some(due), None) => app.day(due),
        _ => String::new(),
    };
    html! {
        <li class="plan" data-kind={a.kind.as_str()}>
            <span class="badge">{ app.t(&format!("activity_kind.{}", a.kind.as_str())) }</span>{ " " }
            <strong>{ &a.subject }</strong>
            if !when.is_empty() { { " · " }<span class="when">{ when }</span> }
        </li>
    }
}

/// Every page of the open deals (a dashboard figure, so bounded: 20 pages of 200).
async fn open_deals() -> Result<Vec<OpportunityView>, ApiFailure> {
    let mut deals = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..20 {
        let path = with_query(
            "/api/v1/opportunities",
            &[
                ("status", Some("open")),
                ("limit", Some("200")),
                ("cursor", cursor.as_deref()),
            ],
        );
        let page = api::get::<ListPage<OpportunityView>>(&path).await?.value;
        deals.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(deals)
}

/// Weighted open pipeline per expected close month, a bar chart per currency.
#[function_component]
pub fn ForecastPanel() -> Html {
    let app = use_app();
    let state = use_state(|| Fetch::<Vec<Forecast>>::Loading);
    {
        let (state, app) = (state.clone(), app.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match open_deals().await {
                    Ok(deals) => {
                        // The browser's date (the system clock is not reachable from wasm).
                        let now = js_sys::Date::new_0();
                        let today = chrono::NaiveDate::from_ymd_opt(
                            now.get_full_year() as i32,
                            now.get_month() + 1,
                            now.get_date(),
                        )
                        .unwrap_or_default();
                        state.set(Fetch::Loaded {
                            value: std::rc::Rc::new(forecast_by_month(&deals, today)),
                            etag: None,
                        });
                    }
                    Err(failure) => {
                        if let Some(failure) = app.check(failure) {
                            state.set(Fetch::Failed(failure));
                        }
                    }
                }
            });
        });
    }
    html! {
        <article class="card panel" id="forecast-panel">
            <h2>{ app.t("dashboard.forecast") }</h2>
            { match &*state {
                Fetch::Loading => html! { <Loading /> },
                Fetch::Failed(f) => html! { <FailureNote failure={f.clone()} /> },
                Fetch::Loaded { value, .. } if value.is_empty() => html! { <Empty message="dashboard.forecast_empty" /> },
                Fetch::Loaded { value, .. } => html! { { for value.iter().map(|f| forecast_chart(&app, f)) } },
            } }
        </article>
    }
}

const BAR_HEIGHT: f64 = 140.0;
const COLUMN: f64 = 44.0;
const TOP: f64 = 8.0;
const LABELS: f64 = 22.0;

fn forecast_chart(app: &AppContext, f: &Forecast) -> Html {
    let values: Vec<Decimal> = f.months.iter().map(|(_, v)| *v).collect();
    let heights = bar_lengths(&values, BAR_HEIGHT);
    let width = (COLUMN * f.months.len() as f64).max(COLUMN * 3.0);
    let height = TOP + BAR_HEIGHT + LABELS;
    html! {
        <figure class="forecast">
            <figcaption>{ format!("{} {}", f.currency.code(), format_money(f.total, f.currency)) }</figcaption>
            <svg class="chart forecast-chart" data-currency={f.currency.code()} viewBox={format!("0 0 {width} {height}")}
                role="img" aria-label={app.t("dashboard.forecast")}>
                { for f.months.iter().zip(heights).enumerate().map(|(i, (((year, month), amount), h))| {
                    let x = i as f64 * COLUMN;
                    html! {
                        <g class="month" data-month={format!("{year}-{month:02}")} data-amount={amount.to_string()}>
                            <title>{ format_money(*amount, f.currency) }</title>
                            <rect class="bar" x={format!("{}", x + 8.0)} y={format!("{:.1}", TOP + BAR_HEIGHT - h)} width={format!("{}", COLUMN - 16.0)} height={format!("{h:.1}")} rx="2" />
                            <text class="label" x={format!("{}", x + COLUMN / 2.0)} y={format!("{}", TOP + BAR_HEIGHT + 16.0)} text-anchor="middle">{ format!("{year}-{month:02}") }</text>
                        </g>
                    }
                }) }
            </svg>
        </figure>
    }
}
