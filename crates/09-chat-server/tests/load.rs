//! Load: 200 clients each send 50 lines; every line reaches every other
//! client, in order per sender, none lost, on every runtime.
//!
//! The outbox is bounded and a client that falls behind is cut off by
//! design, so the senders are paced by the readers: a client sends its line
//! `k` only once it has received line `k - 1` of every other client. No
//! outbox then ever holds more than two rounds (2 x 199 lines), far below
//! its 1,024, however the machine schedules the threads.

mod support;

use std::collections::HashMap;
use std::thread;

use chat_server::protocol::OUTBOX;
use support::{Client, Runtime, clients, server};

const CLIENTS: usize = 200;
const LINES: usize = 50;

// The pacing keeps outboxes far from full.
const _: () = assert!(2 * (CLIENTS - 1) < OUTBOX);

every_runtime!(every_line_reaches_every_other_client_in_order);

fn every_line_reaches_every_other_client_in_order(runtime: Runtime) {
    let server = server(runtime);
    let room = clients(server.addr(), CLIENTS);
    let names: Vec<String> = room.iter().map(|client| client.name.clone()).collect();
    let threads: Vec<_> = room
        .into_iter()
        .map(|client| {
            let others: Vec<String> = names
                .iter()
                .filter(|&name| *name != client.name)
                .cloned()
                .collect();
            thread::spawn(move || chat_in_rounds(client, others))
        })
        .collect();
    let mut delivered = 0;
    for thread in threads {
        delivered += thread.join().expect("a client saw everything in order");
    }
    assert_eq!(delivered, CLIENTS * (CLIENTS - 1) * LINES);
    server.shutdown().expect("a clean shutdown");
}

/// Sends `LINES` lines in rounds, checking that each other client's lines
/// arrive in the order sent; gives how many lines it received.
fn chat_in_rounds(mut client: Client, others: Vec<String>) -> usize {
    let mut next: HashMap<String, usize> = others.into_iter().map(|n| (n, 0)).collect();
    let mut received = 0;
    for round in 0..LINES {
        client.send(&format!("line {round}"));
        // Wait for every other client's line of this round (some may be a
        // round ahead already); after the last round, that is everything.
        while next.values().any(|&n| n <= round) {
            let line = client.line().expect("the server keeps the connection");
            let (sender, text) = line.split_once(": ").expect("a relayed line");
            let expected = next.get_mut(sender).expect("a known sender");
            assert_eq!(text, format!("line {expected}\n"), "from {sender}");
            *expected += 1;
            received += 1;
        }
    }
    received
}
