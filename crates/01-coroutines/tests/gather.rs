//! `asyncio.gather` and `join!` both run coroutines at once, but gather wraps
//! each one in a task, scheduled as soon as the gather is made; `join!` polls
//! its futures inside the one future that contains it, only when that future
//! is polled. The same scene on each side shows the difference.

use std::time::Duration;

use coroutines::with_tokio::greet;
use timeline::Recording;
use tracing::info;

const NOT_AWAITED: &str = "joining, not awaited yet";
const AWAITING: &str = "awaiting the joining";

#[test]
fn asyncio_gather_starts_its_coroutines_before_it_is_awaited() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/gather_starts.py");
    let Some(lines) = timeline::python::run(script, &[]) else {
        return;
    };
    let at = |text: &str| {
        let at = lines.iter().position(|line| line == text);
        at.unwrap_or_else(|| panic!("{text:?} is not in {lines:#?}"))
    };
    let awaiting = at("awaiting the gathering");
    assert!(at("gathering, not awaited yet") < at("Hello, Ada!"));
    assert!(at("Hello, Ada!") < awaiting, "{lines:#?}");
    assert!(at("Hello, Grace!") < awaiting, "{lines:#?}");
}

#[test]
fn tokio_join_starts_its_futures_only_when_it_is_polled() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime builds");
    let recording = Recording::start();
    let joining = async {
        tokio::join!(greet("Ada", Duration::ZERO), greet("Grace", Duration::ZERO))
    };
    info!("{NOT_AWAITED}");
    // The runtime turns, as asyncio's loop does at `asyncio.sleep(0)`.
    runtime.block_on(tokio::task::yield_now());
    info!("{AWAITING}");
    runtime.block_on(joining);
    let timeline = recording.finish();
    let texts = timeline.texts();
    assert_eq!(
        texts[..3],
        [NOT_AWAITED, AWAITING, "Hello, Ada!"],
        "{texts:#?}"
    );
    assert_eq!(texts.len(), 6, "two hellos, two goodbyes: {texts:#?}");
}
