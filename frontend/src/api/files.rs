//! Files to and from the API over XMLHttpRequest: an upload reports its progress (fetch
//! cannot), and a download arrives as a Blob the browser saves under the file's name (a plain
//! link could not carry the session's token).

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ProgressEvent, XmlHttpRequest, XmlHttpRequestResponseType};

use crate::api::client::{access_token, refresh_session};
use crate::problem::ApiFailure;

/// How far an upload is, in whole percent.
pub fn percent(loaded: f64, total: f64) -> u8 {
    if total <= 0.0 {
        return 0;
    }
    ((loaded / total) * 100.0).clamp(0.0, 100.0).round() as u8
}

/// POSTs `file` as the raw body to `path` with the session, calling `progress` with the
/// percent sent; the answer's JSON on success.
pub async fn upload<T: serde::de::DeserializeOwned>(
    path: &str,
    file: &Blob,
    progress: impl Fn(u8) + 'static,
) -> Result<T, ApiFailure> {
    let progress = std::rc::Rc::new(progress);
    let send = |token: String| {
        let progress = progress.clone();
        async move {
            let xhr = open("POST", path, &token).ok_or(ApiFailure::Network)?;
            xhr.set_request_header("Content-Type", "application/octet-stream")
                .map_err(|_| ApiFailure::Network)?;
            let on_progress = Closure::<dyn Fn(ProgressEvent)>::new(move |e: ProgressEvent| {
                if e.length_computable() {
                    progress(percent(e.loaded(), e.total()));
                }
            });
            let upload = xhr.upload().map_err(|_| ApiFailure::Network)?;
            upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
            let done = finished(&xhr);
            xhr.send_with_opt_blob(Some(file))
                .map_err(|_| ApiFailure::Network)?;
            done.await?;
            drop(on_progress);
            let status = xhr.status().map_err(|_| ApiFailure::Network)?;
            let text = xhr.response_text().ok().flatten().unwrap_or_default();
            if (200..300).contains(&status) {
                serde_json::from_str(&text).map_err(|_| ApiFailure::Unexpected(status))
            } else {
                Err(ApiFailure::from_response(status, &text))
            }
        }
    };
    match send(access_token().await?).await {
        Err(ApiFailure::SignedOut) => send(refresh_session().await?.access_token).await,
        other => other,
    }
}

/// GETs `path` with the session as a Blob and has the browser save it as `file_name`.
pub async fn download(path: &str, file_name: &str) -> Result<(), ApiFailure> {
    let fetch = |token: String| async move {
        let xhr = open("GET", path, &token).ok_or(ApiFailure::Network)?;
        xhr.set_response_type(XmlHttpRequestResponseType::Blob);
        let done = finished(&xhr);
        xhr.send().map_err(|_| ApiFailure::Network)?;
        done.await?;
        let status = xhr.status().map_err(|_| ApiFailure::Network)?;
        let blob: Blob = xhr
            .response()
            .map_err(|_| ApiFailure::Network)?
            .dyn_into()
            .map_err(|_| ApiFailure::Unexpected(status))?;
        if (200..300).contains(&status) {
            Ok(blob)
        } else {
            // The problem+json of a refusal arrives as a Blob too.
            let text = JsFuture::from(blob.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
                .unwrap_or_default();
            Err(ApiFailure::from_response(status, &text))
        }
    };
    let blob = match fetch(access_token().await?).await {
        Err(ApiFailure::SignedOut) => fetch(refresh_session().await?.access_token).await?,
        other => other?,
    };
    save(&blob, file_name).ok_or(ApiFailure::Network)
}

/// An authorised request, not yet sent; `None` if the browser would not make one.
fn open(method: &str, path: &str, token: &str) -> Option<XmlHttpRequest> {
    let xhr = XmlHttpRequest::new().ok()?;
    xhr.open_with_async(method, path, true).ok()?;
    xhr.set_request_header("Authorization", &format!("Bearer {token}"))
        .ok()?;
    xhr.set_request_header("Accept", "application/json").ok()?;
    Some(xhr)
}

/// Resolves when the request has an answer, fails when the network failed.
fn finished(xhr: &XmlHttpRequest) -> impl std::future::Future<Output = Result<(), ApiFailure>> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        xhr.set_onload(Some(&resolve));
        xhr.set_onerror(Some(&reject));
        xhr.set_onabort(Some(&reject));
    });
    async move {
        JsFuture::from(promise)
            .await
            .map(|_| ())
            .map_err(|_| ApiFailure::Network)
    }
}

/// Saves a Blob through a temporary link with the `download` attribute.
fn save(blob: &Blob, file_name: &str) -> Option<()> {
    let url = web_sys::Url::create_object_url_with_blob(blob).ok()?;
    let document = web_sys::window()?.document()?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // Revoked once the browser has taken the download.
    gloo_timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Some(())
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn progress_in_whole_percent() {
        assert_eq!(percent(0.0, 0.0), 0);
        assert_eq!(percent(512.0, 1024.0), 50);
        assert_eq!(percent(1023.0, 1024.0), 100);
        assert_eq!(percent(2048.0, 1024.0), 100);
    }
}
