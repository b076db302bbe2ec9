//! Administration of pipelines and their stages (admins only): create a pipeline, add a stage,
//! rename a stage, move stages up or down. The server keeps the won/lost stages' rules and
//! refuses what breaks them; its answer is shown.

use kedao_api_types::ListPage;
use kedao_api_types::pipelines::{
    PipelineCreate, PipelineView, StageCreate, StageReorder, StageUpdate, StageView,
};
use kedao_domain::pipeline::StageKind;
use uuid::Uuid;
use yew::prelude::*;

use crate::api::{self, etag_of};
use crate::components::fetched::use_fetched;
use crate::components::field::input_value;
use crate::components::notice::FailureNote;
use crate::context::use_app;
use crate::problem::ApiFailure;

/// The stage order after moving the stage at `index` by `delta` places (unchanged when that
/// would leave the list).
pub fn moved(ids: &[Uuid], index: usize, delta: isize) -> Vec<Uuid> {
    let mut order = ids.to_vec();
    let target = index as isize + delta;
    if index < order.len() && target >= 0 && (target as usize) < order.len() {
        order.swap(index, target as usize);
    }
    order
}

/// A new pipeline's stages: the open ones typed (comma-separated), then won and lost.
pub fn new_stages(open: &str, won: &str, lost: &str) -> Vec<StageCreate> {
    let names: Vec<&str> = open
        .split([',', '，'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .collect();
    let count = names.len().max(1) as i64;
    let mut stages: Vec<StageCreate> = names
        .iter()
        .enumerate()
        .map(|(i, name)| StageCreate {
            name: (*name).to_owned(),
            name_zh: None,
            // Evenly rising chances towards the win.
            probability: (i as i64 + 1) * 90 / (count + 1),
            kind: Some(StageKind::Open),
            position: None,
        })
        .collect();
    for (name, probability, kind) in [(won, 100, StageKind::Won), (lost, 0, StageKind::Lost)] {
        stages.push(StageCreate {
            name: name.to_owned(),
            name_zh: None,
            probability,
            kind: Some(kind),
            position: None,
        });
    }
    stages
}

#[derive(Clone)]
enum Change {
    Rename(StageView, String),
    Reorder(Uuid, Vec<Uuid>),
    AddStage(Uuid, String),
    NewPipeline(String, String),
}

#[function_component]
pub fn AdminPipelines() -> Html {
    let app = use_app();
    let generation = use_state(|| 0_u32);
    let pipelines =
        use_fetched::<ListPage<PipelineView>>("/api/v1/pipelines".to_owned(), *generation);
    let failure = use_state(|| None::<ApiFailure>);
    let new_name = use_state(String::new);
    let new_open = use_state(String::new);

    let on_change = {
        let (app, failure, generation) = (app.clone(), failure.clone(), generation.clone());
        Callback::from(move |change: Change| {
            let (app, failure, generation) = (app.clone(), failure.clone(), generation.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let done = match change {
                    Change::Rename(stage, name) => {
                        let body = StageUpdate {
                            name: Some(name),
                            ..StageUpdate::default()
                        };
                        let path = format!("/api/v1/stages/{}", stage.id);
                        api::patch::<StageView, _>(&path, &body, &etag_of(stage.version))
                            .await
                            .map(|_| ())
                    }
                    Change::Reorder(pipeline, stage_ids) => {
                        let path = format!("/api/v1/pipelines/{pipeline}/stages/reorder");
                        api::post::<PipelineView, _>(&path, &StageReorder { stage_ids })
                            .await
                            .map(|_| ())
                    }
                    Change::AddStage(pipeline, name) => {
                        let body = StageCreate {
                            name,
                            name_zh: None,
                            probability: 50,
                            kind: None,
                            position: None,
                        };
                        let path = format!("/api/v1/pipelines/{pipeline}/stages");
                        api::post::<StageView, _>(&path, &body).await.map(|_| ())
                    }
                    Change::NewPipeline(name, open) => {
                        let body = PipelineCreate {
                            name,
                            stages: new_stages(
                                &open,
                                app.t("stage_kind.won"),
                                app.t("stage_kind.lost"),
                            ),
                            is_default: None,
                        };
                        api::post::<PipelineView, _>("/api/v1/pipelines", &body)
                            .await
                            .map(|_| ())
                    }
                };
                match done {
                    Ok(()) => {
                        failure.set(None);
                        generation.set(*generation + 1);
                    }
                    Err(err) => failure.set(app.check(err)),
                }
            });
        })
    };
    let on_create = {
        let (on_change, name, open) = (on_change.clone(), new_name.clone(), new_open.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_change.emit(Change::NewPipeline(name.trim().to_owned(), (*open).clone()));
        })
    };

    html! {
        <section class="admin" id="admin-pipelines">
            <h1>{ app.t("admin.pipelines") }</h1>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
            { pipelines.note() }
            if let Some(page) = pipelines.value() {
                { for page.items.iter().map(|p| html! {
                    <PipelineCard pipeline={p.clone()} on_change={on_change.clone()} />
                }) }
            }
            <form class="card form" id="new-pipeline" onsubmit={on_create}>
                <h2>{ app.t("admin.new_pipeline") }</h2>
                <div class="field">
                    <label for="field-pipeline-name">{ app.t("admin.pipeline_name") }</label>
                    <input id="field-pipeline-name" value={(*new_name).clone()}
                        oninput={let s = new_name.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                </div>
                <div class="field">
                    <label for="field-pipeline-stages">{ app.t("admin.open_stages") }</label>
                    <input id="field-pipeline-stages" value={(*new_open).clone()}
                        oninput={let s = new_open.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                </div>
                <button type="submit" class="primary">{ app.t("admin.create") }</button>
            </form>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct PipelineCardProps {
    pipeline: PipelineView,
    on_change: Callback<Change>,
}

#[function_component]
fn PipelineCard(props: &PipelineCardProps) -> Html {
    let app = use_app();
    let p = &props.pipeline;
    let added = use_state(String::new);
    let ids: Vec<Uuid> = p.stages.iter().map(|s| s.id).collect();
    let on_add = {
        let (on_change, added, id) = (props.on_change.clone(), added.clone(), p.id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            on_change.emit(Change::AddStage(id, added.trim().to_owned()));
            added.set(String::new());
        })
    };
    html! {
        <article class="card pipeline" data-pipeline={p.id.to_string()}>
            <h2>{ &p.name }if p.is_default { { " · " }{ app.t("admin.default") } }</h2>
            <ol class="stages">
                { for p.stages.iter().enumerate().map(|(i, stage)| {
                    let move_by = |delta: isize| {
                        let (on_change, order, id) = (props.on_change.clone(), moved(&ids, i, delta), p.id);
                        Callback::from(move |_: MouseEvent| on_change.emit(Change::Reorder(id, order.clone())))
                    };
                    let rename = {
                        let (on_change, stage) = (props.on_change.clone(), stage.clone());
                        Callback::from(move |e: Event| {
                            let name = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
                            if !name.trim().is_empty() && name != stage.name {
                                on_change.emit(Change::Rename(stage.clone(), name.trim().to_owned()));
                            }
                        })
                    };
                    html! {
                        <li class="stage" data-stage={stage.id.to_string()} data-kind={stage.kind.as_str()}>
                            <input class="stage-name" aria-label={app.t("admin.stage_name")} value={stage.name.clone()} onchange={rename} />
                            <span class="when">{ format!("{}% · ", stage.probability) }{ app.t(&format!("stage_kind.{}", stage.kind.as_str())) }</span>
                            <button class="move-up" disabled={i == 0} onclick={move_by(-1)} aria-label={app.t("admin.move_up")}>{ "↑" }</button>
                            <button class="move-down" disabled={i + 1 == ids.len()} onclick={move_by(1)} aria-label={app.t("admin.move_down")}>{ "↓" }</button>
                        </li>
                    }
                }) }
            </ol>
            <form class="filters" onsubmit={on_add}>
                <input class="new-stage" aria-label={app.t("admin.stage_name")} placeholder={app.t("admin.stage_name")} value={(*added).clone()}
                    oninput={let s = added.clone(); move |e: InputEvent| s.set(input_value(&e))} />
                <button type="submit">{ app.t("admin.add_stage") }</button>
            </form>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_a_stage_swaps_it_with_its_neighbour_and_stays_in_bounds() {
        let ids: Vec<Uuid> = (1..=3).map(Uuid::from_u128).collect();
        assert_eq!(moved(&ids, 1, -1), [ids[1], ids[0], ids[2]]);
        assert_eq!(moved(&ids, 1, 1), [ids[0], ids[2], ids[1]]);
        assert_eq!(moved(&ids, 0, -1), ids);
        assert_eq!(moved(&ids, 2, 1), ids);
    }

    #[test]
    fn a_new_pipeline_ends_with_won_and_lost() {
        let stages = new_stages("初步接触，方案, ,谈判", "Won", "Lost");
        let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["初步接触", "方案", "谈判", "Won", "Lost"]);
        let chances: Vec<i64> = stages.iter().map(|s| s.probability).collect();
        assert_eq!(chances, [22, 45, 67, 100, 0]);
        assert_eq!(stages[3].kind, Some(StageKind::Won));
    }
}
