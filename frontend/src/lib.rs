//! Kedao's browser app.

use yew::prelude::*;

#[function_component]
fn App() -> Html {
    html! { <main id="app">{ "Kedao" }</main> }
}

/// Renders the app into `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}
