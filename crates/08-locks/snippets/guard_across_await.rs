use std::sync::{Arc, Mutex};

async fn add_one(counter: Arc<Mutex<u64>>) {
    let mut value = counter.lock().expect("no one panicked holding it");
    tokio::task::yield_now().await; // the std guard is held across this
    *value += 1;
}

#[tokio::main]
async fn main() {
    let counter = Arc::new(Mutex::new(0));
    tokio::spawn(add_one(counter)).await.unwrap(); // error: not `Send`
}
