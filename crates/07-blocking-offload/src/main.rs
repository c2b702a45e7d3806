//! `cargo run -p blocking-offload`: being written (issue 11).

fn main() {
    println!("blocking-offload: being written");
}
