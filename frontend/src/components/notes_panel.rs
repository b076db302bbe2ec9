//! Notes on a record (a customer, lead or deal), newest first, and a form to add one with
//! @mentions of colleagues, who are notified. The mention picker lists the users the caller
//! may see; the server still refuses one who cannot see the record, and says so.

use std::collections::HashMap;

use kedao_api_types::ListPage;
use kedao_api_types::notes::{NoteCreate, NoteView, RecordType};
use kedao_api_types::users::UserView;
use uuid::Uuid;
use yew::prelude::*;

use crate::api;
use crate::components::fetched::use_fetched;
use crate::components::field::select_value;
use crate::components::notice::{Empty, FailureNote};
use crate::context::use_app;
use crate::mentions::NoteDraft;
use crate::problem::ApiFailure;

#[derive(Properties, PartialEq)]
pub struct NotesPanelProps {
    pub record_type: RecordType,
    pub record_id: Uuid,
}

#[function_component]
pub fn NotesPanel(props: &NotesPanelProps) -> Html {
    let app = use_app();
    let generation = use_state(|| 0_u32);
    let notes = use_fetched::<ListPage<NoteView>>(
        format!(
            "/api/v1/notes?record_type={}&record_id={}&limit=50",
            props.record_type.as_str(),
            props.record_id
        ),
        *generation,
    );
    let users = use_fetched::<ListPage<UserView>>(
        "/api/v1/users?limit=200&sort=display_name".to_owned(),
        0,
    );
    let names: HashMap<Uuid, String> = users
        .value()
        .map(|p| {
            p.items
                .iter()
                .map(|u| (u.id, u.display_name.clone()))
                .collect()
        })
        .unwrap_or_default();
    let draft = use_state(NoteDraft::default);
    let failure = use_state(|| None::<ApiFailure>);
    let saving = use_state(|| false);

    let on_pick = {
        let (draft, names) = (draft.clone(), names.clone());
        Callback::from(move |e: Event| {
            let picked = select_value(&e);
            if let Some((id, name)) = picked
                .parse::<Uuid>()
                .ok()
                .and_then(|id| names.get(&id).map(|n| (id, n.clone())))
            {
                draft.set(draft.mention(id, &name));
            }
            // Back to the prompt, so the same colleague can be picked again.
            e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                .set_value("");
        })
    };
    let on_body = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*draft).clone();
            next.body = e
                .target_unchecked_into::<web_sys::HtmlTextAreaElement>()
                .value();
            draft.set(next);
        })
    };
    let on_submit = {
        let (app, draft, failure, saving, generation) = (
            app.clone(),
            draft.clone(),
            failure.clone(),
            saving.clone(),
            generation.clone(),
        );
        let (record_type, record_id) = (props.record_type, props.record_id);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if draft.is_blank() || *saving {
                return;
            }
            let body = NoteCreate {
                record_type,
                record_id,
                body: draft.body.trim().to_owned(),
                mentions: draft.mentions(),
            };
            let (app, draft, failure, saving, generation) = (
                app.clone(),
                draft.clone(),
                failure.clone(),
                saving.clone(),
                generation.clone(),
            );
            saving.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match api::post::<NoteView, _>("/api/v1/notes", &body).await {
                    Ok(_) => {
                        draft.set(NoteDraft::default());
                        failure.set(None);
                        generation.set(*generation + 1);
                    }
                    Err(f) => failure.set(app.check(f)),
                }
                saving.set(false);
            });
        })
    };

    html! {
        <section class="card notes" id="notes-panel">
            <h2>{ app.t("notes.title") }</h2>
            <form id="note-form" onsubmit={on_submit}>
                <textarea id="note-body" rows="3" maxlength="10000" placeholder={app.t("notes.placeholder")}
                    value={draft.body.clone()} oninput={on_body} />
                <div class="toolbar">
                    <label>
                        <span class="sr-only">{ app.t("notes.mention") }</span>
                        <select id="note-mention" onchange={on_pick}>
                            <option value="" selected=true>{ app.t("notes.mention") }</option>
                            { for users.value().into_iter().flat_map(|p| p.items.iter()).filter(|u| u.active).map(|u| html! {
                                <option value={u.id.to_string()}>{ &u.display_name }</option>
                            }) }
                        </select>
                    </label>
                    <button type="submit" id="note-save" disabled={*saving || draft.is_blank()}>{ app.t("notes.add") }</button>
                </div>
                if let Some(f) = &*failure {
                    <FailureNote failure={f.clone()} />
                }
            </form>
            { notes.note() }
            if let Some(page) = notes.value() {
                if page.items.is_empty() {
                    <Empty message="notes.empty" />
                } else {
                    <ul class="plain" id="note-list">
                        { for page.items.iter().map(|n| html! {
                            <li class="note" data-id={n.id.to_string()}>
                                <span class="when">{ app.date(n.created_at) }</span>{ " · " }
                                <strong>{ names.get(&n.author_id).cloned().unwrap_or_default() }</strong>
                                <p class="body">{ &n.body }</p>
                            </li>
                        }) }
                    </ul>
                }
            }
        </section>
    }
}
