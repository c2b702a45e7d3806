//! `cargo run -p context-managers`: being written (issue 10).

fn main() {
    println!("context-managers: being written");
}
