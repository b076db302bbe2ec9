//! The one way the app talks to the API: JSON over `fetch`, the session's bearer token, one
//! silent refresh when the token is spent, and every error status turned into an
//! [`ApiFailure`].

use std::cell::{Cell, RefCell};

use gloo_net::http::{Method, RequestBuilder, Response};
use kedao_api_types::auth::{RefreshRequest, TokenPair};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::problem::ApiFailure;
use crate::session::Tokens;

const SESSION_KEY: &str = "kedao.session";

thread_local! {
    static TOKENS: RefCell<Option<Tokens>> = const { RefCell::new(None) };
    static REFRESHING: Cell<bool> = const { Cell::new(false) };
}

/// An answer and the version header that later writes must send back.
pub struct Fetched<T> {
    pub value: T,
    pub etag: Option<String>,
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The session kept in this tab (sessionStorage survives reloads, not closing the tab).
pub fn restore_session() -> Option<Tokens> {
    let stored = session_storage()?.get_item(SESSION_KEY).ok()??;
    let tokens: Tokens = serde_json::from_str(&stored).ok()?;
    TOKENS.with(|t| *t.borrow_mut() = Some(tokens.clone()));
    Some(tokens)
}

/// Starts a session from a sign-in or refresh answer.
pub fn keep_session(pair: &TokenPair) -> Tokens {
    let tokens = Tokens::new(
        pair.access_token.clone(),
        pair.refresh_token.clone(),
        now_ms(),
        pair.expires_in,
    );
    if let (Some(storage), Ok(json)) = (session_storage(), serde_json::to_string(&tokens)) {
        let _ = storage.set_item(SESSION_KEY, &json);
    }
    TOKENS.with(|t| *t.borrow_mut() = Some(tokens.clone()));
    tokens
}

pub fn forget_session() {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(SESSION_KEY);
    }
    TOKENS.with(|t| *t.borrow_mut() = None);
}

pub fn current_tokens() -> Option<Tokens> {
    TOKENS.with(|t| t.borrow().clone())
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// Exchanges the refresh token for a new pair. Refresh tokens are single-use and reuse revokes
/// the session, so concurrent callers wait for the one exchange in flight instead of racing.
pub async fn refresh_session() -> Result<Tokens, ApiFailure> {
    let before = current_tokens().ok_or(ApiFailure::SignedOut)?;
    while REFRESHING.with(Cell::get) {
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
    match current_tokens() {
        Some(now) if now != before => return Ok(now),
        None => return Err(ApiFailure::SignedOut),
        Some(_) => {}
    }
    REFRESHING.with(|r| r.set(true));
    let body = RefreshRequest {
        refresh_token: before.refresh_token.clone(),
    };
    let answer = send::<TokenPair, _>(
        Method::POST,
        "/api/v1/auth/refresh",
        Some(&body),
        None,
        None,
    )
    .await;
    REFRESHING.with(|r| r.set(false));
    match answer {
        Ok(pair) => Ok(keep_session(&pair.value)),
        Err(failure) => {
            if failure == ApiFailure::SignedOut {
                forget_session();
            }
            Err(failure)
        }
    }
}

/// The session's access token, renewed first when it is about to end.
pub async fn access_token() -> Result<String, ApiFailure> {
    let tokens = current_tokens().ok_or(ApiFailure::SignedOut)?;
    if tokens.is_nearly_spent(now_ms()) {
        return Ok(refresh_session().await?.access_token);
    }
    Ok(tokens.access_token)
}

/// A GET with the session.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<Fetched<T>, ApiFailure> {
    authorized::<T, ()>(Method::GET, path, None, None).await
}

/// A POST of `body` with the session.
pub async fn post<T: DeserializeOwned, B: Serialize>(
    path: &str,
    body: &B,
) -> Result<Fetched<T>, ApiFailure> {
    authorized(Method::POST, path, Some(body), None).await
}

/// A PATCH of `body` with the session and `If-Match: etag`.
pub async fn patch<T: DeserializeOwned, B: Serialize>(
    path: &str,
    body: &B,
    etag: &str,
) -> Result<Fetched<T>, ApiFailure> {
    authorized(Method::PATCH, path, Some(body), Some(etag)).await
}

/// A POST of `body` with the session and `If-Match: etag` (a state change of a versioned
/// record: sending a quote, advancing an order).
pub async fn post_versioned<T: DeserializeOwned, B: Serialize>(
    path: &str,
    body: &B,
    etag: &str,
) -> Result<Fetched<T>, ApiFailure> {
    authorized(Method::POST, path, Some(body), Some(etag)).await
}

/// A PUT of `body` with the session and `If-Match: etag` (a versioned replacement: an
/// order's payment plan).
pub async fn put<T: DeserializeOwned, B: Serialize>(
    path: &str,
    body: &B,
    etag: &str,
) -> Result<Fetched<T>, ApiFailure> {
    authorized(Method::PUT, path, Some(body), Some(etag)).await
}

/// A GET with the session of a page the server renders (a printable document), as text.
pub async fn get_text(path: &str) -> Result<String, ApiFailure> {
    let mut tokens = current_tokens().ok_or(ApiFailure::SignedOut)?;
    if tokens.is_nearly_spent(now_ms()) {
        tokens = refresh_session().await?;
    }
    let fetch = |token: String| async move {
        let response = RequestBuilder::new(path)
            .method(Method::GET)
            .header("Accept", "text/html")
            .header("Authorization", &format!("Bearer {token}"))
            .send()
            .await
            .map_err(|_| ApiFailure::Network)?;
        let status = response.status();
        let text = response.text().await.map_err(|_| ApiFailure::Network)?;
        if (200..300).contains(&status) {
            Ok(text)
        } else {
            Err(ApiFailure::from_response(status, &text))
        }
    };
    match fetch(tokens.access_token).await {
        Err(ApiFailure::SignedOut) => fetch(refresh_session().await?.access_token).await,
        other => other,
    }
}

/// A request without a session (signing in).
pub async fn post_public<T: DeserializeOwned, B: Serialize>(
    path: &str,
    body: &B,
) -> Result<T, ApiFailure> {
    send(Method::POST, path, Some(body), None, None)
        .await
        .map(|f| f.value)
}

async fn authorized<T: DeserializeOwned, B: Serialize>(
    method: Method,
    path: &str,
    body: Option<&B>,
    if_match: Option<&str>,
) -> Result<Fetched<T>, ApiFailure> {
    let mut tokens = current_tokens().ok_or(ApiFailure::SignedOut)?;
    if tokens.is_nearly_spent(now_ms()) {
        tokens = refresh_session().await?;
    }
    match send(
        method.clone(),
        path,
        body,
        if_match,
        Some(&tokens.access_token),
    )
    .await
    {
        Err(ApiFailure::SignedOut) => {
            // The token may have been revoked or the clock skewed: one refresh, one retry.
            let tokens = refresh_session().await?;
            send(method, path, body, if_match, Some(&tokens.access_token)).await
        }
        other => other,
    }
}

async fn send<T: DeserializeOwned, B: Serialize>(
    method: Method,
    path: &str,
    body: Option<&B>,
    if_match: Option<&str>,
    token: Option<&str>,
) -> Result<Fetched<T>, ApiFailure> {
    let mut builder = RequestBuilder::new(path)
        .method(method)
        .header("Accept", "application/json");
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    if let Some(etag) = if_match {
        builder = builder.header("If-Match", etag);
    }
    let request = match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    }
    .map_err(|_| ApiFailure::Network)?;
    let response = request.send().await.map_err(|_| ApiFailure::Network)?;
    read(response).await
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<Fetched<T>, ApiFailure> {
    let status = response.status();
    let etag = response.headers().get("etag");
    let text = response.text().await.map_err(|_| ApiFailure::Network)?;
    if !(200..300).contains(&status) {
        return Err(ApiFailure::from_response(status, &text));
    }
    // 204 No Content reads as JSON `null`, which `()` accepts.
    let text = if text.is_empty() { "null" } else { &text };
    serde_json::from_str(text)
        .map(|value| Fetched { value, etag })
        .map_err(|_| ApiFailure::Unexpected(status))
}
