// A listing for the book, compiled by `tests/must_use.rs` to show the warning.

async fn greet(name: &str) {
    println!("Hello, {name}!");
}

pub fn main() {
    greet("Ada"); // forgot `.await`: nothing is printed
}
