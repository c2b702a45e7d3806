//! `cargo run -p libraries` (being written).

fn main() {
    println!("chapter 10 is being written");
}
