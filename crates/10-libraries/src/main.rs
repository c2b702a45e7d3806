//! `cargo run -p libraries`: an API served by axum on loopback, its three
//! endpoints fetched at once and collected in order: with reqwest on tokio
//! (from memory, then from SQLite), and with the client written by hand on
//! chapter 4's loop. `-- --runtime hand` picks one client.

use std::process::ExitCode;
use std::time::Instant;

use libraries::server::{Config, Server};
use libraries::store::Source;
use libraries::{STEP, hand, with_tokio};
use timeline::{Chapter, Runtime};

const CHAPTER: Chapter = Chapter {
    package: "libraries",
    title: "Chapter 10: the libraries. An axum API on loopback, three endpoints \
            of 0.5 to 1.5 s, one failing, fetched at once and collected in order.",
    runtimes: &[Runtime::Hand, Runtime::Tokio],
};

fn main() -> ExitCode {
    timeline::run(&CHAPTER, |runtime| match runtime {
        Runtime::Hand => {
            let took = scene(
                "chapter 4's loop, the client by hand",
                Source::Memory,
                |s| hand::run_fetch_all(s.addr()),
            );
            format!("by hand: {took}")
        }
        _ => {
            let memory =
                scene("reqwest on tokio; axum from memory", Source::Memory, |s| {
                    with_tokio::run_fetch_all(&s.base_url())
                });
            let sqlite =
                scene("reqwest on tokio; axum from SQLite", Source::Sqlite, |s| {
                    with_tokio::run_fetch_all(&s.base_url())
                });
            format!("memory: {memory}; SQLite: {sqlite}")
        }
    })
}

/// Starts a server, runs `fetch_all` against it, and says how it went.
fn scene(
    title: &str,
    source: Source,
    fetch_all: impl FnOnce(&Server) -> Vec<String>,
) -> String {
    println!("-- {title} --");
    let server = match Server::start(Config::new(source, STEP)) {
        Ok(server) => server,
        Err(error) => return format!("no server: {error}"),
    };
    let started = Instant::now();
    let lines = fetch_all(&server);
    let took = started.elapsed().as_secs_f64();
    let failed = lines
        .iter()
        .filter(|line| !line.contains(": 200 OK:"))
        .count();
    format!("{} fetches in {took:.2} s, {failed} failed", lines.len())
}
