//! The protocol, byte for byte, on every runtime.

mod support;

use support::{Client, Runtime, clients, server, still_serves};

every_runtime!(
    welcome_join_relay_and_no_echo,
    shutdown_says_bye_to_everyone
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
    room[0].expect(&relayed); // not "hello" again: no echo
    room[2].expect(&relayed);
    still_serves(server.addr());
    server.shutdown().expect("a clean shutdown");
}

fn shutdown_says_bye_to_everyone(runtime: Runtime) {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    server.shutdown().expect("a clean shutdown");
    for client in &mut room {
        client.expect("* bye\n");
        client.expect_eof();
    }
    let _ = Client::connect_quietly;
}
