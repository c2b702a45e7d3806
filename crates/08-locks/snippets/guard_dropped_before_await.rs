use std::sync::{Arc, Mutex};

async fn add_one(counter: Arc<Mutex<u64>>) {
    {
        let mut value = counter.lock().expect("no one panicked holding it");
        *value += 1;
    } // the std guard is dropped here, before the await
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let counter = Arc::new(Mutex::new(0));
    tokio::spawn(add_one(Arc::clone(&counter))).await.unwrap();
    assert_eq!(*counter.lock().unwrap(), 1);
}
