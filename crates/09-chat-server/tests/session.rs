//! The session the book shows: two clients chat, byte for byte the same on
//! every runtime.

mod support;

use support::{Client, Runtime, server};
use timeline::testing::{check_output, within};

#[test]
fn a_session_between_two_clients_is_the_same_on_every_runtime() {
    let sessions = within(|| Runtime::ALL.map(session));
    for (runtime, session) in Runtime::ALL.iter().zip(&sessions) {
        assert_eq!(session, &sessions[0], "{runtime} as the hand-rolled server");
    }
    check_output(env!("CARGO_MANIFEST_DIR"), "session", &sessions[0]);
}

/// What each of two clients reads, as a terminal would show it: `>` for
/// what it typed, the server's lines as they are.
fn session(runtime: Runtime) -> String {
    let server = server(runtime);
    let mut ada = Client::connect_quietly(server.addr());
    let mut shown = [String::new(), String::new()];
    let read = |client: &mut Client, shown: &mut String| {
        shown.push_str(&client.line().expect("a line"));
    };
    read(&mut ada, &mut shown[0]); // welcome
    let mut bob = Client::connect_quietly(server.addr());
    read(&mut bob, &mut shown[1]); // welcome
    read(&mut ada, &mut shown[0]); // joined
    let addrs = [ada.name.clone(), bob.name.clone()];
    let script: [(usize, &str, [usize; 2]); 6] = [
        // (who types, what, how many lines each then reads)
        (0, "/nick ada", [1, 1]),
        (1, "/nick bob", [1, 1]),
        (0, "hello, is anyone here?", [0, 1]),
        (1, "hi ada!", [1, 0]),
        (1, "/shrug", [0, 1]),
        (1, "/quit", [1, 1]),
    ];
    for (who, typed, reads) in script {
        shown[who].push_str(&format!("> {typed}\n"));
        [&mut ada, &mut bob][who].send(typed);
        // The typist's own answer first, then the other's view.
        for n in [who, 1 - who] {
            for _ in 0..reads[n] {
                read([&mut ada, &mut bob][n], &mut shown[n]);
            }
        }
    }
    bob.expect_eof();
    server.shutdown().expect("a clean shutdown");
    read(&mut ada, &mut shown[0]); // the server's goodbye
    ada.expect_eof();
    let mut text = format!(
        "ada's terminal:\n{}\nbob's terminal:\n{}",
        shown[0], shown[1]
    );
    for (addr, name) in addrs.iter().zip(["ada", "bob"]) {
        text = text.replace(addr, &format!("127.0.0.1:{name}-port"));
    }
    text
}
