// A listing for the book, compiled by `tests/pin.rs` to record the error. It
// uses the chapter's own `join_all`, which takes only `Unpin` futures.
#[path = "../src/hand/join.rs"]
mod join;

use join::join_all;

// ANCHOR: borrow
async fn greet_async(name: &str) {
    let greeting = format!("Hello, {name}!");
    let words: &str = &greeting; // points into this future's own state
    std::future::ready(()).await; // paused here, with `words` alive
    println!("{words}");
}
// ANCHOR_END: borrow

// ANCHOR: join
pub async fn greet_all() {
    let names = ["Ada", "Grace", "Linus"];
    join_all(names.map(|name| greet_async(name))).await;
}
// ANCHOR_END: join
