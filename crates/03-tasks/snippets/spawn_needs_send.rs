// A listing for the book and a `compile_fail` doc-test in `src/send.rs`.
// ANCHOR: snippet
use std::rc::Rc;

#[tokio::main]
async fn main() {
    let handle = tokio::spawn(async {
        let url = Rc::new("api/users");
        // The task may resume on another worker thread after this `.await`,
        // and `url` with it; an `Rc` must not change threads: refused.
        tokio::task::yield_now().await;
        println!("fetched {url}");
    });
    handle.await.unwrap();
}
// ANCHOR_END: snippet
