//! A printable document the server renders (a quote, a statement), shown in a frame on the
//! page; the browser's print dialog opens once it has loaded.

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
    html! {
        <iframe id="document" class="document" srcdoc={props.html.clone()} title={app.t("quote.print")}
            onload={Callback::from(print_frame)} />
    }
}

fn print_frame(e: Event) {
    if let Some(window) = e
        .target_dyn_into::<web_sys::HtmlIFrameElement>()
        .and_then(|f| f.content_window())
    {
        let _ = window.print();
    }
}
