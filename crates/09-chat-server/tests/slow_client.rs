//! The recorded run the book shows: the server's log while a client that
//! never reads is cut off, the same on every runtime.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use support::{Client, FLOOD, Runtime, clients, flood, rename, server, stalled_client};
use timeline::testing::{check_output, within};

/// Where the server's log goes in this test: a buffer.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl Write for Log {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().unwrap())).unwrap()
    }
}

#[test]
fn a_slow_client_is_cut_off_and_the_log_says_so() {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter("chat_server=info")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .without_time()
        .with_target(false)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    let recorded = within(move || {
        let mut recorded = Vec::new();
        for runtime in Runtime::ALL {
            recorded.push(run(runtime, &log));
        }
        recorded
    });
    for (runtime, text) in Runtime::ALL.iter().zip(&recorded) {
        assert_eq!(
            text, &recorded[0],
            "{runtime} logs as the hand-rolled server"
        );
    }
    check_output(env!("CARGO_MANIFEST_DIR"), "slow-client", &recorded[0]);
}

/// ada sends the flood; bob reads it; carol never reads.
fn run(runtime: Runtime, log: &Log) -> String {
    let server = server(runtime);
    let mut room = clients(server.addr(), 2);
    let mut carol: Client = stalled_client(server.addr());
    for client in &mut room {
        client.expect(&format!("* {} joined\n", carol.name));
    }
    let addrs = [
        room[0].name.clone(),
        room[1].name.clone(),
        carol.name.clone(),
    ];
    rename(&mut room, 0, "ada");
    rename(&mut room, 1, "bob");
    carol.send("/nick carol"); // it sends; it just never reads
    for client in &mut room {
        client.expect(&format!("* {} is now carol\n", addrs[2]));
    }
    flood(&mut room, "* carol left\n");
    room[0].expect("* carol left\n"); // the sender is told too
    let carol_got = carol.rest().iter().filter(|&&b| b == b'\n').count();
    assert!(carol_got < FLOOD);
    room[1].send("/quit");
    room[1].expect("* bye\n");
    room[0].expect("* bob left\n");
    room[0].send("/quit");
    room[0].expect("* bye\n");
    server.shutdown().expect("a clean shutdown");
    let mut text = log.take();
    for (addr, name) in addrs.iter().zip(["ada", "bob", "carol"]) {
        text = text.replace(addr, &format!("<{name}'s address>"));
    }
    let seen = format!(
        "bob read {FLOOD} of {FLOOD} lines from ada, in order; carol read fewer, \
         then end of file\n"
    );
    format!("{text}{seen}")
}
