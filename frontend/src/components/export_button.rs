//! A button that downloads a report's CSV export under the session (a plain link could not
//! carry the bearer token) and says so when the server refuses.

use yew::prelude::*;

use crate::api::files::download;
use crate::components::notice::FailureNote;
use crate::context::use_app;
use crate::problem::ApiFailure;

#[derive(Properties, PartialEq)]
pub struct ExportButtonProps {
    /// The button's element id.
    pub id: AttrValue,
    /// The export's API path, query included.
    pub path: AttrValue,
    /// The name the browser saves the file under.
    pub file_name: AttrValue,
}

#[function_component]
pub fn ExportButton(props: &ExportButtonProps) -> Html {
    let app = use_app();
    let failure = use_state(|| None::<ApiFailure>);
    let busy = use_state(|| false);
    let onclick = {
        let (app, failure, busy) = (app.clone(), failure.clone(), busy.clone());
        let (path, file_name) = (props.path.clone(), props.file_name.clone());
        Callback::from(move |_: MouseEvent| {
            let (app, failure, busy) = (app.clone(), failure.clone(), busy.clone());
            let (path, file_name) = (path.clone(), file_name.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = download(&path, &file_name).await;
                busy.set(false);
                failure.set(outcome.err().and_then(|f| app.check(f)));
            });
        })
    };
    html! {
        <span class="export">
            <button id={props.id.clone()} disabled={*busy} {onclick}>
                { app.t("report.export_csv") }
            </button>
            if let Some(f) = &*failure {
                <FailureNote failure={f.clone()} />
            }
        </span>
    }
}
