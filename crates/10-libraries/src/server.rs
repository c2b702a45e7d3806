//! The API on `axum`: `GET /api/{name}` waits its endpoint's delay, asks
//! the [`Store`], and answers JSON. It runs on a tokio runtime on a thread
//! of its own, so that any client, on any runtime or none, can fetch from
//! it: reqwest on tokio, and the hand-written client on chapter 4's loop.
//!
//! For the tests it counts the requests in flight and keeps the most seen
//! at once: three means the three fetches overlapped, whatever the clock
//! says. With a `gate`, each handler also waits (a bounded while) until
//! that many requests have arrived, so a client that does fetch them at
//! once is sure to be seen doing so.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::{oneshot, watch};
use tracing::info;

use crate::store::{Found, Source, Store};
use crate::{ApiError, ENDPOINTS, Items};

/// How long a handler waits at the gate for the others at most: far past
/// what a concurrent client needs, short enough that a sequential one
/// fails its test instead of hanging it.
pub const GATE_LIMIT: Duration = Duration::from_secs(5);

/// How the server behaves.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Where the answers come from.
    pub source: Source,
    /// The unit of the endpoints' delays.
    pub step: Duration,
    /// Each handler waits until this many requests have arrived (at most
    /// [`GATE_LIMIT`]); 0 or 1 for no gate.
    pub gate: usize,
}

impl Config {
    /// The demo's server: no gate.
    pub fn new(source: Source, step: Duration) -> Config {
        Config {
            source,
            step,
            gate: 0,
        }
    }
}

/// What the handlers share.
#[derive(Debug)]
struct Api {
    store: Store,
    step: Duration,
    gate: usize,
    arrived: watch::Sender<usize>,
    stats: Arc<Stats>,
}

/// Requests counted by the server.
#[derive(Debug, Default)]
pub struct Stats {
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    answered: AtomicUsize,
}

impl Stats {
    /// The most requests that were being handled at once.
    pub fn most_in_flight(&self) -> usize {
        self.most_in_flight.load(Ordering::SeqCst)
    }

    /// How many requests have been answered.
    pub fn answered(&self) -> usize {
        self.answered.load(Ordering::SeqCst)
    }
}

/// A request being handled: counted in on creation, out on drop, so a
/// request whose client went away is counted out too.
struct InFlight(Arc<Stats>);

impl InFlight {
    fn new(stats: &Arc<Stats>) -> InFlight {
        let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        stats.most_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(Arc::clone(stats))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

// ANCHOR: router
/// The API's routes.
fn router(api: Arc<Api>) -> Router {
    Router::new()
        .route("/api/{name}", get(endpoint))
        .with_state(api)
}

/// `GET /api/{name}`: the delay, then the store's answer as JSON.
async fn endpoint(State(api): State<Arc<Api>>, Path(name): Path<String>) -> Response {
    let _counted = InFlight::new(&api.stats);
    api.wait_at_gate().await;
    let url = format!("api/{name}");
    let steps = ENDPOINTS
        .iter()
        .find(|e| e.url == url)
        .map_or(0, |e| e.steps);
    tokio::time::sleep(api.step * steps).await;
    let response = match api.store.find(&url).await {
        Ok(Found::Items(items)) => Json(Items {
            url: url.clone(),
            items,
        })
        .into_response(),
        Ok(Found::Down(reason)) => error(StatusCode::SERVICE_UNAVAILABLE, reason),
        Ok(Found::Missing) => {
            error(StatusCode::NOT_FOUND, format!("no endpoint {url}"))
        }
        Err(db) => error(StatusCode::INTERNAL_SERVER_ERROR, format!("database: {db}")),
    };
    api.stats.answered.fetch_add(1, Ordering::SeqCst);
    info!("answered {url}: {}", response.status());
    response
}

fn error(status: StatusCode, error: String) -> Response {
    (status, Json(ApiError { error })).into_response()
}
// ANCHOR_END: router

impl Api {
    async fn wait_at_gate(&self) {
        self.arrived.send_modify(|n| *n += 1);
        if self.gate > 1 {
            let mut arrived = self.arrived.subscribe();
            let all_in = arrived.wait_for(|&n| n >= self.gate);
            let _ = tokio::time::timeout(GATE_LIMIT, all_in).await;
        }
    }
}

// ANCHOR: server
/// The API serving on `127.0.0.1`, on a port the system picked, from a
/// thread of its own; stopped when dropped.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stats: Arc<Stats>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Server {
    /// Starts the server and returns once it listens and its store is
    /// filled: the first request is then answered.
    pub fn start(config: Config) -> Result<Server, String> {
        let stats = Arc::new(Stats::default());
        let (ready, started) = std::sync::mpsc::channel();
        let (stop, stopped) = oneshot::channel();
        let for_thread = Arc::clone(&stats);
        let thread = thread::Builder::new()
            .name("axum-server".into())
            .spawn(move || serve(config, for_thread, ready, stopped))
            .map_err(|error| format!("cannot start the server's thread: {error}"))?;
        let addr = started.recv().map_err(|_| {
            "the server's thread ended before it listened".to_string()
        })??;
        Ok(Server {
            addr,
            stats,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its address as a URL's start: `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests it counted.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }
}

/// The server's thread: a current-thread tokio runtime running
/// `axum::serve` until told to stop.
fn serve(
    config: Config,
    stats: Arc<Stats>,
    ready: std::sync::mpsc::Sender<Result<SocketAddr, String>>,
    stopped: oneshot::Receiver<()>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            return drop(ready.send(Err(format!("no tokio runtime: {error}"))));
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(error) => {
                return drop(ready.send(Err(format!("cannot listen: {error}"))));
            }
        };
        let store = match Store::open(config.source).await {
            Ok(store) => store,
            Err(error) => return drop(ready.send(Err(format!("no store: {error}")))),
        };
        let api = Arc::new(Api {
            store,
            step: config.step,
            gate: config.gate,
            arrived: watch::Sender::new(0),
            stats,
        });
        let addr = listener.local_addr().map_err(|error| error.to_string());
        let _ = ready.send(addr);
        tokio::select! {
            _ = axum::serve(listener, router(Arc::clone(&api))) => {}
            _ = stopped => {}
        }
        // Requests still in progress are dropped with the runtime; the pool
        // is closed if nothing else holds the store (bounded, in case).
        if let Ok(api) = Arc::try_unwrap(api) {
            let _ =
                tokio::time::timeout(Duration::from_secs(2), api.store.close()).await;
        }
    });
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
// ANCHOR_END: server
