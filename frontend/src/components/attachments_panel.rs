//! Files on a record: the list (name, type, size, when), download, and upload with a progress
//! bar. What the server refuses (too large, a type it does not take) shows its own words.

use kedao_api_types::ListPage;
use kedao_api_types::attachments::{AttachmentView, RecordType};
use uuid::Uuid;
use yew::prelude::*;

use crate::api::files::{download, upload};
use crate::api::with_query;
use crate::components::fetched::use_fetched;
use crate::components::notice::{Empty, FailureNote};
use crate::context::use_app;
use crate::problem::ApiFailure;

/// A size for people: `512 B`, `1.5 KB`, `2.0 MB`.
pub fn human_size(bytes: i64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes.max(0) as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{:.1} MB", b / (KB * KB))
    }
}

#[derive(Properties, PartialEq)]
pub struct AttachmentsPanelProps {
    pub record_type: RecordType,
    pub record_id: Uuid,
}

#[function_component]
pub fn AttachmentsPanel(props: &AttachmentsPanelProps) -> Html {
    let app = use_app();
    let generation = use_state(|| 0_u32);
    let files = use_fetched::<ListPage<AttachmentView>>(
        format!(
            "/api/v1/attachments?record_type={}&record_id={}&limit=50",
            props.record_type.as_str(),
            props.record_id
        ),
        *generation,
    );
    // Percent sent while an upload runs.
    let progress = use_state(|| None::<u8>);
    let failure = use_state(|| None::<ApiFailure>);

    let on_file = {
        let (app, progress, failure, generation) = (
            app.clone(),
            progress.clone(),
            failure.clone(),
            generation.clone(),
        );
        let (record_type, record_id) = (props.record_type, props.record_id);
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            // Cleared so the same file can be chosen again after a refusal.
            input.set_value("");
            let path = with_query(
                "/api/v1/attachments",
                &[
                    ("record_type", Some(record_type.as_str())),
                    ("record_id", Some(&record_id.to_string())),
                    ("file_name", Some(&file.name())),
                ],
            );
            let (app, progress, failure, generation) = (
                app.clone(),
                progress.clone(),
                failure.clone(),
                generation.clone(),
            );
            progress.set(Some(0));
            failure.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let shown = progress.clone();
                let sent =
                    upload::<AttachmentView>(&path, &file, move |p| shown.set(Some(p))).await;
                progress.set(None);
                match sent {
                    Ok(_) => generation.set(*generation + 1),
                    Err(f) => failure.set(app.check(f)),
                }
            });
        })
    };
    let on_download = {
        let (app, failure) = (app.clone(), failure.clone());
        Callback::from(move |(id, name): (Uuid, String)| {
            let (app, failure) = (app.clone(), failure.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let path = format!("/api/v1/attachments/{id}/content");
                if let Err(f) = download(&path, &name).await {
                    failure.set(app.check(f));
                }
            });
        })
    };

    html! {
        <section class="card attachments" id="attachments-panel">
            <h2>{ app.t("attachments.title") }</h2>
            <label class="upload">
                <span>{ app.t("attachments.upload") }</span>
                <input id="attachment-file" type="file" disabled={progress.is_some()} onchange={on_file} />
            </label>
            if let Some(p) = *progress {
                <progress id="upload-progress" max="100" value={p.to_string()}>{ format!("{p}%") }</progress>
            }
            if let Some(f) = &*failure {
                <div id="attachment-failure"><FailureNote failure={f.clone()} /></div>
            }
            { files.note() }
            if let Some(page) = files.value() {
                if page.items.is_empty() {
                    <Empty message="attachments.empty" />
                } else {
                    <ul class="plain" id="attachment-list">
                        { for page.items.iter().map(|a| {
                            let on_download = on_download.clone();
                            let target = (a.id, a.file_name.clone());
                            html! {
                                <li class="attachment" data-id={a.id.to_string()}>
                                    <button class="link download" onclick={move |_: MouseEvent| on_download.emit(target.clone())}>
                                        { &a.file_name }
                                    </button>
                                    <span class="muted">{ format!(" · {} · {} · ", a.content_type, human_size(a.size_bytes)) }{ app.date(a.created_at) }</span>
                                </li>
                            }
                        }) }
                    </ul>
                }
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::human_size;

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(1536), "1.5 KB");
        assert_eq!(human_size(2 * 1024 * 1024), "2.0 MB");
    }
}
