//! The protocol, byte for byte, on every runtime: welcome, joins, relays
//! without echo and in order, `/nick`, `/quit`, leaves, `\r\n`, and each
//! error line.

mod support;

use chat_server::protocol::{MAX_LINE, MAX_NAME};
use support::{Client, Runtime, clients, rename, server, still_serves};

every_runtime!(
    welcome_join_relay_and_no_echo,
    each_senders_lines_arrive_in_order,
    nick_renames_for_everyone_and_relays_use_the_new_name,
    nick_refuses_bad_and_taken_names,
    quit_says_bye_then_closes_and_the_others_see_a_leave,
    a_crlf_line_end_is_stripped_and_empty_lines_ignored,
    an_unknown_command_is_an_error_line,
    a_line_not_utf8_is_dropped_and_the_connection_stays,
    a_line_over_the_limit_is_an_error_and_closes,
    a_last_line_without_newline_is_relayed_at_end_of_file,
    shutdown_says_bye_to_everyone,
    dropping_the_server_shuts_it_down_too,
    shutdown_never_waits_for_ever_on_a_client_that_does_not_read,
);

fn welcome_join_relay_and_no_echo(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 3);
    room[0].send("hello");
    let relayed = format!("{}: hello\n", room[0].name);
    room[1].expect(&relayed);
    room[2].expect(&relayed);
    room[1].send("hi");
    let relayed = format!("{}: hi\n", room[1].name);
    room[0].expect(&relayed); // not "hello" back first: no echo
    room[2].expect(&relayed);
    server.shutdown().expect("a clean shutdown");
}

fn each_senders_lines_arrive_in_order(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 3);
    const LINES: usize = 200;
    for n in 0..LINES {
        room[0].send(&format!("a{n}"));
        room[1].send(&format!("b{n}"));
    }
    let (a, b) = (room[0].name.clone(), room[1].name.clone());
    let (mut next_a, mut next_b) = (0, 0);
    while next_a < LINES || next_b < LINES {
        let line = room[2].line().expect("a line");
        if line == format!("{a}: a{next_a}\n") {
            next_a += 1;
        } else if line == format!("{b}: b{next_b}\n") {
            next_b += 1;
        } else {
            panic!("out of order: {line:?} after a{next_a} and b{next_b}");
        }
    }
    for n in 0..LINES {
        room[0].expect(&format!("{b}: b{n}\n"));
        room[1].expect(&format!("{a}: a{n}\n"));
    }
}

fn nick_renames_for_everyone_and_relays_use_the_new_name(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    rename(&mut room, 0, "ada"); // ada reads her own `* OLD is now ada` too
    room[0].send("hi");
    room[1].expect("ada: hi\n");
    let longest = "é".repeat(MAX_NAME); // characters, not bytes
    rename(&mut room, 0, &longest);
    room[0].send("hi");
    room[1].expect(&format!("{longest}: hi\n"));
}

fn nick_refuses_bad_and_taken_names(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    rename(&mut room, 0, "ada");
    let too_long = format!("/nick {}", "a".repeat(MAX_NAME + 1));
    for bad in [
        "/nick",
        "/nick ",
        "/nick two words",
        "/nick tab\there",
        &too_long,
    ] {
        room[1].send(bad);
        room[1].expect("* error: bad name\n");
    }
    room[1].send("/nick ada");
    room[1].expect("* error: name taken\n");
    room[1].send("still me");
    let relayed = format!("{}: still me\n", room[1].name);
    room[0].expect(&relayed); // the refusals went to no one else
}

fn quit_says_bye_then_closes_and_the_others_see_a_leave(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 3);
    rename(&mut room, 2, "bob");
    room[2].send("/quit");
    room[2].expect("* bye\n");
    room[2].expect_eof();
    room[0].expect("* bob left\n");
    room[1].expect("* bob left\n");
    room[0].send("bob is gone");
    let relayed = format!("{}: bob is gone\n", room[0].name);
    room[1].expect(&relayed);
}

fn a_crlf_line_end_is_stripped_and_empty_lines_ignored(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    room[0].send_bytes(b"from telnet\r\n\n\r\nsecond\n");
    let line = format!("{}: from telnet\n", room[0].name);
    room[1].expect(&line);
    let line = format!("{}: second\n", room[0].name);
    room[1].expect(&line);
}

fn an_unknown_command_is_an_error_line(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    room[0].send("/shrug");
    room[0].expect("* error: unknown command\n");
    room[0].send("after");
    let line = format!("{}: after\n", room[0].name);
    room[1].expect(&line); // no /shrug
}

fn a_line_not_utf8_is_dropped_and_the_connection_stays(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    room[0].send_bytes(b"caf\xe9 in Latin-1\nafter\n");
    room[0].expect("* error: not UTF-8\n");
    let line = format!("{}: after\n", room[0].name);
    room[1].expect(&line);
}

fn a_line_over_the_limit_is_an_error_and_closes(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    let longest = "a".repeat(MAX_LINE);
    room[0].send(&longest);
    let line = format!("{}: {longest}\n", room[0].name);
    room[1].expect(&line);
    room[0].send(&format!("{longest}b"));
    room[0].expect("* error: line too long\n");
    room[0].expect_eof();
    let line = format!("* {} left\n", room[0].name);
    room[1].expect(&line);
    still_serves(server.addr());
}

fn a_last_line_without_newline_is_relayed_at_end_of_file(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    room[0].send_bytes(b"no newline");
    room[0].close_write();
    let line = format!("{}: no newline\n", room[0].name);
    room[1].expect(&line);
    let line = format!("* {} left\n", room[0].name);
    room[1].expect(&line);
    room[0].expect_eof(); // a half-closed client is let go, nothing lost
}

fn shutdown_says_bye_to_everyone(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    server.shutdown().expect("a clean shutdown");
    for client in &mut room {
        client.expect("* bye\n");
        client.expect_eof();
    }
    let late = std::net::TcpStream::connect(room[0].socket().peer_addr().unwrap());
    assert!(late.is_err(), "no one listens after a shutdown");
    let _ = Client::connect_quietly; // used by other files
}

fn dropping_the_server_shuts_it_down_too(runtime: Runtime) {
    let server = server(runtime);
    let mut client = Client::connect(server.addr());
    drop(server);
    client.expect("* bye\n");
    client.expect_eof();
}

fn shutdown_never_waits_for_ever_on_a_client_that_does_not_read(runtime: Runtime) {
    let server = server(runtime);
    let mut ada = Client::connect(server.addr());
    let mut carol = support::stalled_client(server.addr());
    ada.expect(&format!("* {} joined\n", carol.name));
    // About 4 MB for carol, who reads none of it: her writer may be stuck
    // on a full socket when the shutdown comes, and then the grace ends it.
    let line = "x".repeat(MAX_LINE - 100);
    for _ in 0..1000 {
        ada.send(&line);
    }
    ada.send("/nick ada"); // once this is answered, the lines are all in
    let renamed = format!("* {} is now ada\n", ada.name);
    loop {
        let got = ada.line().expect("ada is kept");
        if got == renamed {
            break;
        }
        assert!(got.ends_with(" left\n"), "{got:?}"); // carol, cut off
    }
    server
        .shutdown()
        .expect("a clean shutdown, in bounded time");
    ada.expect("* bye\n");
    ada.expect_eof();
    carol.rest(); // and carol's connection ends too (or this panics)
}
