//! A small W3C WebDriver client: exactly the commands the browser tests use, over the
//! `reqwest` the API tests already use.
//!
//! Why not a WebDriver crate: `thirtyfour` turns on `serde_json/preserve_order`, and Cargo
//! unifies features across the workspace, so `cargo test --workspace` would then render the
//! OpenAPI examples in another key order than `kedao openapi` and fail the committed-spec
//! test. The protocol (<https://www.w3.org/TR/webdriver2/>) is a handful of JSON calls.

use std::path::Path;

use anyhow::{Context, bail};
use base64::Engine;
use reqwest::{Method, Url};
use serde_json::{Value, json};

/// How an element is looked for.
#[derive(Debug, Clone)]
pub struct By {
    css: String,
}

impl By {
    /// By `id` attribute.
    pub fn id(id: &str) -> By {
        By {
            css: format!("[id=\"{id}\"]"),
        }
    }

    /// By CSS selector.
    pub fn css(selector: impl Into<String>) -> By {
        By {
            css: selector.into(),
        }
    }

    fn body(&self) -> Value {
        json!({"using": "css selector", "value": self.css})
    }
}

/// The key under which WebDriver names an element (a constant of the protocol).
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A session with a browser.
#[derive(Clone)]
pub struct WebDriver {
    http: reqwest::Client,
    /// `http://127.0.0.1:<port>/session/<id>`.
    session: String,
}

/// An element of the current page.
#[derive(Clone)]
pub struct Element {
    driver: WebDriver,
    id: String,
}

impl WebDriver {
    /// Opens a session with these W3C capabilities (`alwaysMatch`).
    pub async fn new(server: &str, capabilities: Value) -> anyhow::Result<WebDriver> {
        let http = reqwest::Client::new();
        let reply = send(
            &http,
            Method::POST,
            &format!("{server}/session"),
            Some(json!({"capabilities": {"alwaysMatch": capabilities}})),
        )
        .await?;
        let id = reply["sessionId"]
            .as_str()
            .context("no session id in the answer")?;
        Ok(WebDriver {
            http,
            session: format!("{server}/session/{id}"),
        })
    }

    async fn command(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        send(&self.http, method, &format!("{}{path}", self.session), body).await
    }

    pub async fn goto(&self, url: &str) -> anyhow::Result<()> {
        self.command(Method::POST, "/url", Some(json!({"url": url})))
            .await
            .map(drop)
    }

    pub async fn current_url(&self) -> anyhow::Result<Url> {
        let url = self.command(Method::GET, "/url", None).await?;
        Ok(Url::parse(url.as_str().context("url is not a string")?)?)
    }

    pub async fn find(&self, by: By) -> anyhow::Result<Element> {
        let found = self
            .command(Method::POST, "/element", Some(by.body()))
            .await?;
        self.element(&found)
    }

    pub async fn find_all(&self, by: By) -> anyhow::Result<Vec<Element>> {
        let found = self
            .command(Method::POST, "/elements", Some(by.body()))
            .await?;
        self.elements(&found)
    }

    /// Runs a script in the page (`arguments` are `args`); returns its result.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> anyhow::Result<Value> {
        self.command(
            Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    pub async fn set_window_size(&self, width: u32, height: u32) -> anyhow::Result<()> {
        self.command(
            Method::POST,
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        )
        .await
        .map(drop)
    }

    /// Saves a PNG of the viewport.
    pub async fn screenshot(&self, path: &Path) -> anyhow::Result<()> {
        let encoded = self.command(Method::GET, "/screenshot", None).await?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().context("screenshot is not a string")?)?;
        std::fs::write(path, png)?;
        Ok(())
    }

    /// Ends the session (and the browser).
    pub async fn quit(&self) -> anyhow::Result<()> {
        self.command(Method::DELETE, "", None).await.map(drop)
    }

    fn element(&self, found: &Value) -> anyhow::Result<Element> {
        let id = found[ELEMENT_KEY]
            .as_str()
            .context("the answer names no element")?;
        Ok(Element {
            driver: self.clone(),
            id: id.to_owned(),
        })
    }

    fn elements(&self, found: &Value) -> anyhow::Result<Vec<Element>> {
        found
            .as_array()
            .context("the answer is no list")?
            .iter()
            .map(|f| self.element(f))
            .collect()
    }
}

impl Element {
    async fn command(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        self.driver
            .command(method, &format!("/element/{}{path}", self.id), body)
            .await
    }

    pub async fn click(&self) -> anyhow::Result<()> {
        self.command(Method::POST, "/click", Some(json!({})))
            .await
            .map(drop)
    }

    pub async fn clear(&self) -> anyhow::Result<()> {
        self.command(Method::POST, "/clear", Some(json!({})))
            .await
            .map(drop)
    }

    /// Types `text` as keystrokes.
    pub async fn send_keys(&self, text: &str) -> anyhow::Result<()> {
        self.command(Method::POST, "/value", Some(json!({"text": text})))
            .await
            .map(drop)
    }

    /// The rendered text.
    pub async fn text(&self) -> anyhow::Result<String> {
        let text = self.command(Method::GET, "/text", None).await?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }

    pub async fn attr(&self, name: &str) -> anyhow::Result<Option<String>> {
        let value = self
            .command(Method::GET, &format!("/attribute/{name}"), None)
            .await?;
        Ok(value.as_str().map(str::to_owned))
    }

    pub async fn is_displayed(&self) -> anyhow::Result<bool> {
        let shown = self.command(Method::GET, "/displayed", None).await?;
        Ok(shown.as_bool().unwrap_or(false))
    }

    pub async fn find(&self, by: By) -> anyhow::Result<Element> {
        let found = self
            .command(Method::POST, "/element", Some(by.body()))
            .await?;
        self.driver.element(&found)
    }

    pub async fn find_all(&self, by: By) -> anyhow::Result<Vec<Element>> {
        let found = self
            .command(Method::POST, "/elements", Some(by.body()))
            .await?;
        self.driver.elements(&found)
    }

    /// The element as a script argument.
    pub fn to_json(&self) -> Value {
        json!({ ELEMENT_KEY: self.id })
    }
}

/// One command; an error answer becomes an error naming WebDriver's error code and message.
async fn send(
    http: &reqwest::Client,
    method: Method,
    url: &str,
    body: Option<Value>,
) -> anyhow::Result<Value> {
    let mut request = http.request(method.clone(), url);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let reply = request
        .send()
        .await
        .with_context(|| format!("{method} {url}"))?;
    let status = reply.status();
    let mut answer: Value = reply
        .json()
        .await
        .with_context(|| format!("{method} {url}"))?;
    if !status.is_success() {
        bail!(
            "{method} {url}: {status} {}: {}",
            answer["value"]["error"],
            answer["value"]["message"]
        );
    }
    Ok(answer["value"].take())
}
