// A listing for the book and a doc-test in `src/send.rs`.
// ANCHOR: snippet
use std::rc::Rc;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // A `LocalSet` runs its tasks on this thread only: no `Send` needed.
    let local = tokio::task::LocalSet::new();
    local
        .run_until(async {
            let handle = tokio::task::spawn_local(async {
                let url = Rc::new("api/users");
                tokio::task::yield_now().await;
                println!("fetched {url}");
            });
            handle.await.unwrap();
        })
        .await;
}
// ANCHOR_END: snippet
