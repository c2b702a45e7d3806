//! `cargo run -p locks`: being written (issue 12).

fn main() {
    println!("locks: being written");
}
