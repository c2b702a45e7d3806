//! Faults real clients bring, on every runtime: a client that never reads,
//! an endless line, bytes that are not UTF-8, a reset in the middle of a
//! line, a half-closed client, a burst of connects and disconnects. After
//! each, the server still serves a fresh pair of clients.

mod support;

use std::collections::HashMap;
use std::io::Write;
use std::net::TcpStream;
use std::thread;

use socket2::Socket;
use support::{
    Client, FLOOD, Runtime, clients, flood, server, stalled_client, still_serves,
};

every_runtime!(
    a_client_that_never_reads_is_cut_off_and_delays_no_one,
    an_endless_line_is_refused_before_it_ends,
    bytes_not_utf8_cost_only_their_line,
    a_reset_in_the_middle_of_a_line_relays_nothing_of_it,
    a_half_closed_client_gets_what_was_in_flight,
    a_burst_of_connects_and_disconnects_leaves_the_room_whole,
);

// ANCHOR: stall
fn a_client_that_never_reads_is_cut_off_and_delays_no_one(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 3);
    let mut stalled = stalled_client(server.addr());
    for client in &mut room {
        client.expect(&format!("* {} joined\n", stalled.name));
    }
    let stalled_left = format!("* {} left\n", stalled.name);
    flood(&mut room, &stalled_left); // checks every healthy client got it all
    // What the stalled client gets: a part of the flood, then end of file.
    let got = stalled.rest();
    let lines = got.iter().filter(|&&b| b == b'\n').count();
    assert!(
        lines < FLOOD,
        "{lines} lines reached a client that never read"
    );
    room[0].expect(&stalled_left);
    still_serves(server.addr());
}
// ANCHOR_END: stall

fn an_endless_line_is_refused_before_it_ends(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    let mut writer = room[0].socket().try_clone().expect("a handle");
    // A megabyte with no `\n`, from a thread: the server stops reading
    // long before the end, so this write never finishes on its own.
    let flood = thread::spawn(move || {
        let _ = writer.write_all(&vec![b'a'; 1 << 20]);
    });
    room[0].expect("* error: line too long\n");
    room[0].expect_eof();
    let left = format!("* {} left\n", room[0].name);
    room[1].expect(&left);
    flood.join().expect("the flood ends with an error");
    still_serves(server.addr());
}

fn bytes_not_utf8_cost_only_their_line(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    let garbage: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let mut bytes = garbage.clone(); // holds `\n`s: many lines, most invalid
    bytes.extend_from_slice(b"\nclean\n");
    room[0].send_bytes(&bytes);
    let relayed = format!("{}: clean\n", room[0].name);
    loop {
        let line = room[1].line().expect("the sender stays");
        if line == relayed {
            break;
        }
        // Whatever valid pieces the garbage held are relayed as lines.
        assert!(line.starts_with(&format!("{}: ", room[0].name)), "{line:?}");
    }
    let mut errors = 0;
    while errors < 12 {
        match room[0].line().as_deref() {
            Some("* error: not UTF-8\n") => errors += 1,
            other => panic!("{other:?}"),
        }
    }
    still_serves(server.addr());
}

fn a_reset_in_the_middle_of_a_line_relays_nothing_of_it(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    room[0].send_bytes(b"whole\nhalf a li");
    let whole = format!("{}: whole\n", room[0].name);
    room[1].expect(&whole);
    let left = format!("* {} left\n", room[0].name);
    let socket = Socket::from(room.remove(0).socket().try_clone().expect("a handle"));
    socket
        .set_linger(Some(std::time::Duration::ZERO))
        .expect("linger 0");
    drop(socket); // with the client's other handles gone: an RST
    room[0].expect(&left); // and not "half a li"
    still_serves(server.addr());
}

fn a_half_closed_client_gets_what_was_in_flight(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 3);
    room[1].send("before you go");
    let before = format!("{}: before you go\n", room[1].name);
    room[2].expect(&before); // so it is in room[0]'s outbox too
    room[0].send("last words");
    room[0].close_write();
    let last = format!("{}: last words\n", room[0].name);
    let left = format!("* {} left\n", room[0].name);
    for other in &mut room[1..] {
        other.expect(&last);
        other.expect(&left);
    }
    room[0].expect(&before); // it still reads, and gets what was in flight
    room[0].expect_eof();
    still_serves(server.addr());
}

fn a_burst_of_connects_and_disconnects_leaves_the_room_whole(runtime: Runtime) {
    const BURST: usize = 1000;
    const AT_ONCE: usize = 100; // the watcher reads each wave before the next
    let server = server(runtime);
    let mut watcher = Client::connect(server.addr());
    let mut joined: HashMap<String, bool> = HashMap::new();
    for _ in 0..BURST / AT_ONCE {
        let wave: Vec<TcpStream> = (0..AT_ONCE)
            .map(|_| TcpStream::connect(server.addr()).expect("the server accepts"))
            .collect();
        drop(wave);
        for _ in 0..2 * AT_ONCE {
            let line = watcher.line().expect("the watcher is kept");
            if let Some(name) = line
                .strip_prefix("* ")
                .and_then(|l| l.strip_suffix(" joined\n"))
            {
                assert!(
                    joined.insert(name.to_owned(), true).is_none(),
                    "{name} twice"
                );
            } else if let Some(name) = line
                .strip_prefix("* ")
                .and_then(|l| l.strip_suffix(" left\n"))
            {
                assert_eq!(joined.insert(name.to_owned(), false), Some(true), "{name}");
            } else {
                panic!("{line:?}");
            }
        }
    }
    assert_eq!(joined.len(), BURST);
    assert!(joined.values().all(|&still_in| !still_in), "everyone left");
    watcher.send("/quit");
    watcher.expect("* bye\n");
    still_serves(server.addr());
}
