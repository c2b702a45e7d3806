//! `cargo run -p chat-server -- serve` (being written).

fn main() {
    println!("chapter 9 is being written");
}
