//! The SSRF guard: webhook URLs must be `http(s)` and, unless
//! `KEDAO_WEBHOOK_ALLOW_PRIVATE` allows it, reach only public addresses — checked when a URL
//! is subscribed and again at each delivery, after resolving the host, on the very addresses
//! the delivery then connects to (so a DNS answer that changes in between cannot redirect
//! it). The classification itself is `kedao_domain::outbound`.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use reqwest::Url;

use kedao_domain::outbound::non_public_reason;

/// The longest wait for the resolver (a subscribe request waits for it too).
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

/// A URL that may be posted to, with the addresses its host resolved to.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: Url,
    /// Host name and the checked addresses to pin it to (none for an IP-literal host).
    pub pinned: Option<(String, Vec<SocketAddr>)>,
}

/// Why a URL is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The URL's form: absolute `http`/`https` with a host, no credentials.
pub fn parse(url: &str) -> Result<Url, Refused> {
    let parsed = Url::parse(url.trim())
        .map_err(|_| Refused("must be an absolute http or https URL".to_owned()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Refused("must be an http or https URL".to_owned()));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(Refused("must name a host".to_owned()));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Refused(
            "must not carry credentials; the signature authenticates deliveries".to_owned(),
        ));
    }
    Ok(parsed)
}

fn check_ip(ip: IpAddr, allow_private: bool) -> Result<(), Refused> {
    match non_public_reason(ip) {
        Some(reason) if !allow_private => Err(Refused(format!(
            "resolves to {reason} ({ip}); webhooks go to public addresses only"
        ))),
        _ => Ok(()),
    }
}

/// The host as an IP address, if it is one (`[::1]` included).
fn literal_ip(url: &Url) -> Option<IpAddr> {
    let host = url.host_str()?;
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
        .parse()
        .ok()
}

/// Checks a URL at subscribe time: its form, and its host when that is an IP address or
/// resolves now (a name that does not resolve yet is checked again at delivery).
pub async fn check_subscribable(url: &str, allow_private: bool) -> Result<Url, Refused> {
    let parsed = parse(url)?;
    if allow_private {
        return Ok(parsed);
    }
    let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") {
        return Err(Refused(
            "is a loopback host; webhooks go to public addresses only".to_owned(),
        ));
    }
    match resolve(&parsed, allow_private).await {
        Ok(_) => Ok(parsed),
        Err(Resolve::Refused(r)) => Err(r),
        Err(Resolve::Failed(_)) => Ok(parsed),
    }
}

/// Why a delivery target could not be used.
#[derive(Debug)]
pub enum Resolve {
    /// An address it reaches is not allowed.
    Refused(Refused),
    /// The host did not resolve (retry later).
    Failed(String),
}

/// Resolves and checks the URL's host for a delivery: every address it resolves to must be
/// allowed, and the delivery connects only to those.
pub async fn resolve(url: &Url, allow_private: bool) -> Result<Target, Resolve> {
    if let Some(ip) = literal_ip(url) {
        check_ip(ip, allow_private).map_err(Resolve::Refused)?;
        return Ok(Target {
            url: url.clone(),
            pinned: None,
        });
    }
    let host = url.host_str().unwrap_or_default().to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let lookup = tokio::net::lookup_host((host.as_str(), port));
    let addrs: Vec<SocketAddr> = tokio::time::timeout(RESOLVE_TIMEOUT, lookup)
        .await
        .map_err(|_| Resolve::Failed(format!("resolving {host} timed out")))?
        .map_err(|e| Resolve::Failed(format!("cannot resolve {host}: {e}")))?
        .collect();
    if addrs.is_empty() {
        return Err(Resolve::Failed(format!("{host} has no address")));
    }
    for addr in &addrs {
        check_ip(addr.ip(), allow_private).map_err(Resolve::Refused)?;
    }
    Ok(Target {
        url: url.clone(),
        pinned: Some((host, addrs)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_urls() {
        assert!(parse("https://example.com/hook").is_ok());
        assert!(parse("http://203.0.113.9:8080/x").is_ok());
        for bad in [
            "ftp://example.com",
            "example.com/hook",
            "https://u:p@example.com",
            "file:///etc/passwd",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn private_literals_are_refused_unless_allowed() {
        for url in [
            "http://127.0.0.1:9/x",
            "http://[::1]/x",
            "http://10.0.0.5/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[::ffff:127.0.0.1]/x",
            "http://localhost:8080/x",
        ] {
            assert!(check_subscribable(url, false).await.is_err(), "{url}");
            assert!(check_subscribable(url, true).await.is_ok(), "{url}");
        }
        assert!(check_subscribable("http://8.8.8.8/x", false).await.is_ok());
    }

    #[tokio::test]
    async fn delivery_checks_the_resolved_address() {
        let url = parse("http://127.0.0.1:1/x").unwrap();
        assert!(matches!(
            resolve(&url, false).await,
            Err(Resolve::Refused(_))
        ));
        assert!(resolve(&url, true).await.is_ok());
    }
}
