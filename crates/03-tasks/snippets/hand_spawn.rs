// A listing for the book and a doc-test in `src/send.rs`.
// ANCHOR: snippet
use std::rc::Rc;

use tasks::hand::{block_on, spawn, yield_now};

fn main() {
    // The hand-rolled executor polls every task on its own thread.
    block_on(async {
        let handle = spawn(async {
            let url = Rc::new("api/users");
            yield_now().await;
            println!("fetched {url}");
        });
        handle.await.unwrap();
    });
}
// ANCHOR_END: snippet
