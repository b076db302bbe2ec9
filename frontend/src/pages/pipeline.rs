//! The pipeline board: a column per stage of the default pipeline, opportunities as cards
//! dragged between columns (HTML5 drag and drop). A move is sent with the card's version in
//! `If-Match`; if someone else changed the deal meanwhile the move is undone, the board says
//! so and reloads.

use std::rc::Rc;

use kedao_api_types::ListPage;
use kedao_api_types::opportunities::{Funnel, OpportunityUpdate, OpportunityView};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, with_query};
use crate::board::{Board, PendingMove, if_match};
use crate::components::notice::{Empty, FailureNote, Loading};
use crate::context::{AppContext, use_app};
use crate::i18n::Lang;
use crate::money::format_money;
use crate::problem::ApiFailure;
use crate::route::Route;

/// The board as the screen holds it.
#[derive(Clone, PartialEq, Default)]
struct Screen {
    board: Option<Board>,
    failure: Option<ApiFailure>,
}

enum Action {
    Loaded(Board),
    LoadFailed(ApiFailure),
    Moved(Uuid, Uuid),
    Confirmed(OpportunityView),
    Refused(PendingMove, ApiFailure),
}

impl Reducible for Screen {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Loaded(board) => next.board = Some(board),
            Action::LoadFailed(failure) => next.failure = Some(failure),
            Action::Moved(card, to) => {
                next.failure = None;
                if let Some(board) = next.board.as_mut() {
                    board.move_card(card, to);
                }
            }
            Action::Confirmed(view) => {
                if let Some(board) = next.board.as_mut() {
                    board.confirm(view);
                }
            }
            Action::Refused(pending, failure) => {
                if let Some(board) = next.board.as_mut() {
                    board.undo(&pending);
                }
                next.failure = Some(failure);
            }
        }
        Rc::new(next)
    }
}

/// The default pipeline's stages and its opportunities (at most this many pages of 200).
const MAX_PAGES: usize = 5;

async fn load_board() -> Result<Board, ApiFailure> {
    let funnel = api::get::<Funnel>("/api/v1/funnel").await?.value;
    let pipeline = funnel.pipeline_id.to_string();
    let mut cards = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let path = with_query(
            "/api/v1/opportunities",
            &[
                ("pipeline_id", Some(&pipeline)),
                ("limit", Some("200")),
                ("cursor", cursor.as_deref()),
            ],
        );
        let page = api::get::<ListPage<OpportunityView>>(&path).await?.value;
        cards.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(Board::new(funnel.stages, cards))
}

#[function_component]
pub fn Pipeline() -> Html {
    let app = use_app();
    let screen = use_reducer(Screen::default);
    // Bumped to load the board again (after a refused move).
    let generation = use_state(|| 0_u32);

    {
        let (screen, app) = (screen.dispatcher(), app.clone());
        use_effect_with(*generation, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match load_board().await {
                    Ok(board) => screen.dispatch(Action::Loaded(board)),
                    Err(err) => {
                        if let Some(err) = app.check(err) {
                            screen.dispatch(Action::LoadFailed(err));
                        }
                    }
                }
            });
        });
    }

    let on_drop = {
        let (screen, app, generation) = (screen.clone(), app.clone(), generation.clone());
        Callback::from(move |(card, to): (Uuid, Uuid)| {
            let Some(board) = &screen.board else { return };
            let mut preview = board.clone();
            let Some(pending) = preview.move_card(card, to) else {
                return;
            };
            let lost_reason = if board.needs_reason(to) {
                match ask(app.t("pipeline.lost_reason")) {
                    Some(reason) => Some(reason),
                    None => return,
                }
            } else {
                None
            };
            screen.dispatch(Action::Moved(card, to));
            let (screen, app, generation) = (screen.dispatcher(), app.clone(), generation.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let body = OpportunityUpdate {
                    stage_id: Some(to),
                    lost_reason,
                    ..OpportunityUpdate::default()
                };
                let path = format!("/api/v1/opportunities/{card}");
                match api::patch::<OpportunityView, _>(&path, &body, &if_match(pending.version))
                    .await
                {
                    Ok(updated) => screen.dispatch(Action::Confirmed(updated.value)),
                    Err(err) => {
                        if let Some(err) = app.check(err) {
                            let stale = matches!(err, ApiFailure::Stale(_));
                            screen.dispatch(Action::Refused(pending, err));
                            if stale {
                                generation.set(*generation + 1);
                            }
                        }
                    }
                }
            });
        })
    };

    html! {
        <section class="pipeline">
            <h1>{ app.t("pipeline.title") }</h1>
            if let Some(failure) = &screen.failure {
                <FailureNote failure={failure.clone()} />
            }
            {
                match &screen.board {
                    None if screen.failure.is_none() => html! { <Loading /> },
                    None => html! {},
                    Some(board) if board.cards.is_empty() => html! { <Empty message="pipeline.empty" /> },
                    Some(board) => html! {
                        <div class="board" id="board">
                            { for board.stages.iter().map(|stage| column(&app, board, stage, &on_drop)) }
                        </div>
                    },
                }
            }
        </section>
    }
}

fn column(
    app: &AppContext,
    board: &Board,
    stage: &kedao_api_types::opportunities::FunnelStage,
    on_drop: &Callback<(Uuid, Uuid)>,
) -> Html {
    let stage_id = stage.stage_id;
    let name = match (app.lang, &stage.name_zh) {
        (Lang::ZhCn, Some(zh)) => zh.clone(),
        _ => stage.name.clone(),
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let on_drop = on_drop.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let card = e
                .data_transfer()
                .and_then(|d| d.get_data("text/plain").ok())
                .and_then(|id| id.parse::<Uuid>().ok());
            if let Some(card) = card {
                on_drop.emit((card, stage_id));
            }
        })
    };
    let cards: Vec<&OpportunityView> = board.cards_in(stage_id).collect();
    html! {
        <div class="column" data-stage={stage_id.to_string()} {ondragover} {ondrop}>
            <h2>{ name }<span class="count">{ cards.len() }</span></h2>
            { for cards.into_iter().map(|card| card_view(app, card)) }
        </div>
    }
}

fn card_view(app: &AppContext, card: &OpportunityView) -> Html {
    let id = card.id;
    let ondragstart = Callback::from(move |e: DragEvent| {
        if let Some(transfer) = e.data_transfer() {
            let _ = transfer.set_data("text/plain", &id.to_string());
            transfer.set_effect_allowed("move");
        }
    });
    let quote = Route::QuoteNew(id);
    let onclick = {
        let (navigate, quote) = (app.navigate.clone(), quote.clone());
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            navigate.emit(quote.clone());
        })
    };
    html! {
        <div class="deal" draggable="true" data-id={id.to_string()} {ondragstart}>
            <strong>{ &card.title }</strong>
            <span class="amount">{ format_money(card.amount, card.currency) }</span>
            <a href={quote.to_path()} class="quote-link" {onclick}>{ app.t("pipeline.quote") }</a>
        </div>
    }
}

/// Asks for a line of text (the reason a deal was lost); `None` when cancelled or blank.
fn ask(question: &str) -> Option<String> {
    web_sys::window()
        .and_then(|w| w.prompt_with_message(question).ok().flatten())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}
