//! `cargo run -p ch7-heartbeat`: the server runs; it prints how late each
//! heartbeat came.

use ch7_heartbeat::{BEAT, serve};
use event_loop::hand::EventLoop;

fn main() {
    let run = serve(&EventLoop::new(), 6, Default::default());
    for (n, late) in run.late.iter().enumerate() {
        let due = BEAT.as_millis() * (n as u128 + 1);
        println!(
            "beat {} (due at {due} ms): {} ms late",
            n + 1,
            late.as_millis()
        );
    }
    for (name, sum) in &run.checksums {
        println!("{name}: checksum {sum}");
    }
}
