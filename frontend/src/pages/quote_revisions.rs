//! Every revision of a quote's number, oldest first: which one is current, what each was
//! worth and how it ended (superseded, sent, accepted …). Shown once a quote has been revised.

use kedao_api_types::ListPage;
use kedao_api_types::quotes::QuoteView;
use uuid::Uuid;
use yew::prelude::*;

use crate::components::fetched::use_fetched;
use crate::context::use_app;
use crate::money::format_money;
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct QuoteRevisionsProps {
    /// The revision on screen.
    pub id: Uuid,
    /// Read again whenever this changes (after a change of the quote on screen).
    pub generation: u32,
}

#[function_component]
pub fn QuoteRevisions(props: &QuoteRevisionsProps) -> Html {
    let app = use_app();
    let revisions = use_fetched::<ListPage<QuoteView>>(
        format!("/api/v1/quotes/{}/revisions", props.id),
        props.generation,
    );
    let Some(page) = revisions.value() else {
        return revisions.note();
    };
    if page.items.len() < 2 {
        return Html::default();
    }
    html! {
        <section class="card" id="quote-revisions">
            <h2>{ app.t("quote.revisions") }</h2>
            <ol class="plain">
                { for page.items.iter().map(|q| {
                    let current = q.id == props.id;
                    let label = format!("{} r{}", q.number, q.revision);
                    html! {
                        <li class={classes!("revision", current.then_some("current"))} data-revision={q.revision.to_string()} data-status={q.status.as_str()}>
                            if current { <strong>{ label }</strong> } else { { app.link(Route::Quote(q.id), &label) } }
                            { " · " }{ app.t(&format!("quote_status.{}", q.status.as_str())) }
                            { " · " }{ format_money(q.grand_total, q.currency) }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
