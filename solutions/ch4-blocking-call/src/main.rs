//! `cargo run -p ch4-blocking-call`: the dashboard on the real clock, each line
//! stamped with its time. `EVENT_LOOP_DEBUG=1 cargo run -p ch4-blocking-call`
//! runs it with debug mode on, which warns about any poll that runs longer
//! than 100 ms and names its task.

use std::process::ExitCode;

use ch4_blocking_call::run_dashboard;
use event_loop::hand::{DEBUG_ENV, EventLoop};

fn main() -> ExitCode {
    if let Err(error) = timeline::record::install_printer() {
        eprintln!("error: {error}");
        return ExitCode::from(2);
    }
    let event_loop = match EventLoop::builder().build() {
        Ok(event_loop) => event_loop,
        Err(error) => {
            eprintln!("error: could not create the event loop: {error}");
            return ExitCode::FAILURE;
        }
    };
    if event_loop.debug() {
        println!("debug mode is on");
    } else {
        println!("debug mode is off: run with {DEBUG_ENV}=1 to turn it on");
    }
    timeline::record::restart_clock();
    let dashboard = run_dashboard(&event_loop);
    println!("answers: {}", dashboard.answers.join(", "));
    ExitCode::SUCCESS
}
