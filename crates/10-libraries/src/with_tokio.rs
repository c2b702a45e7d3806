//! The fetches with `reqwest`, aiohttp's counterpart, on tokio: one
//! `Client` (a pool of connections, cheap to clone), one task per fetch,
//! the results awaited in the order asked, as chapter 3 awaited its tasks.

use std::time::Duration;

use tracing::info;

use crate::{ApiError, ENDPOINTS, Fetched, Items, error_chain, result_line};

// ANCHOR: fetch
/// `GET base/url`: the items of a success, or the status and error message
/// of a failure; `Err` if no answer came or its JSON is not what we expect.
pub async fn fetch(
    client: &reqwest::Client,
    base: &str,
    url: &str,
) -> Result<Fetched, reqwest::Error> {
    let response = client.get(format!("{base}/{url}")).send().await?;
    let status = response.status();
    if status.is_success() {
        return Ok(Fetched::Items(response.json::<Items>().await?));
    }
    let ApiError { error } = response.json().await?;
    Ok(Fetched::Failed {
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or("").to_string(),
        error,
    })
}

/// The three fetches as tasks, collected in the order asked: one line
/// each, as [`result_line`] writes it.
pub async fn fetch_all(client: &reqwest::Client, base: &str) -> Vec<String> {
    let tasks: Vec<_> = ENDPOINTS
        .iter()
        .map(|endpoint| {
            let (client, base) = (client.clone(), base.to_string());
            info!("GET {}", endpoint.url);
            tokio::spawn(async move { fetch(&client, &base, endpoint.url).await })
        })
        .collect();
    let mut lines = Vec::new();
    for (task, endpoint) in tasks.into_iter().zip(ENDPOINTS) {
        let result = task.await.expect("a fetch does not panic");
        let result = result.map_err(|error| error_chain(&error));
        lines.push(result_line(endpoint.url, &result));
    }
    lines
}
// ANCHOR_END: fetch

/// A client whose every request gives up after `timeout`; reqwest has no
/// timeout by default.
pub fn client_with_timeout(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .build()
        .expect("a client without TLS always builds")
}

/// The fetches on a fresh tokio runtime, for `main`.
pub fn run_fetch_all(base: &str) -> Vec<String> {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        let lines = fetch_all(&reqwest::Client::new(), base).await;
        for line in &lines {
            info!("{line}");
        }
        lines
    })
}
