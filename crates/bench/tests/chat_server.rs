//! Chapter 9's fan-out, scaled down, against every server: every line
//! arrives, at every other client, in order per sender (the run checks it
//! and would be an error otherwise). No timing is asserted.

use std::time::Duration;

use bench::chat_server::{self, FanOut, Figures, SERVERS, Server};

const SCALE: FanOut = FanOut::SMOKE;

#[test]
fn every_server_delivers_every_line_of_the_fan_out() {
    for server in SERVERS {
        match chat_server::run(server, SCALE) {
            Ok(Some(figures)) => {
                assert_eq!(figures.received, SCALE.receipts(), "{server:?}");
                assert!(figures.p50 <= figures.p99, "{server:?}: {figures:?}");
            }
            Ok(None) => eprintln!("skipped: {} cannot run here", server.describe()),
            Err(error) => panic!("{error}"),
        }
    }
}

#[test]
fn the_section_has_a_row_per_server_and_names_what_was_not_measured() {
    let figures = |lines_per_second: u64| Figures {
        received: 1_000,
        elapsed: Duration::from_secs(1_000) / lines_per_second as u32,
        p50: Duration::from_micros(300),
        p99: Duration::from_millis(2),
    };
    let measured = [
        (SERVERS[0], Some(figures(500))),
        (SERVERS[1], Some(figures(1_000))),
        (Server::Uvloop, None),
    ];
    let text = chat_server::render(FanOut::FULL, &measured);
    assert!(text.starts_with("### Fan-out (chapter 9)\n"), "{text}");
    assert!(
        text.contains("| hand-rolled loop | 500/s | 0.50× | 0.300 ms | 2.000 ms |"),
        "{text}"
    );
    assert!(
        text.contains("| tokio (multi-thread) | 1,000/s | 1.00× |"),
        "{text}"
    );
    assert!(
        text.contains("Not measured here: uvloop (Python)"),
        "{text}"
    );
}
