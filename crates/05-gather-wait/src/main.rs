//! `cargo run -p gather-wait`: being written (issue 9).

fn main() {
    println!("gather-wait: being written");
}
