//! A printable document the server renders (a quote, a statement), shown in a frame on the
//! page with a button that opens the browser's print dialog for the frame alone.

use yew::prelude::*;

use crate::context::use_app;

#[derive(Properties, PartialEq)]
pub struct DocumentFrameProps {
    /// The document's HTML, as the server sent it.
    pub html: String,
}

#[function_component]
pub fn DocumentFrame(props: &DocumentFrameProps) -> Html {
    let app = use_app();
    let frame = use_node_ref();
    let on_print = {
        let frame = frame.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(window) = frame
                .cast::<web_sys::HtmlIFrameElement>()
                .and_then(|f| f.content_window())
            {
                let _ = window.print();
            }
        })
    };
    html! {
        <div class="document-view">
            <button id="print-document" class="primary" onclick={on_print}>{ app.t("document.print") }</button>
            <iframe id="document" ref={frame} class="document" srcdoc={props.html.clone()} title={app.t("quote.print")} />
        </div>
    }
}
