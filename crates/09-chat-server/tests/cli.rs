//! The command line as a reader meets it: `serve` prints where it listens,
//! serves, and shuts down cleanly on Ctrl-C (SIGINT); `client` chats; bad
//! flags and addresses are clear errors, never a panic.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Output, Stdio};

use support::{Client, Runtime, clients, server};
use timeline::testing::within;

fn chat_server() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chat-server"));
    command.env_remove("RUST_LOG");
    command
}

fn run(args: &[&str]) -> Output {
    chat_server()
        .args(args)
        .output()
        .expect("the binary starts")
}

/// Starts `serve` on a free port; gives the child and its address.
fn serve(runtime: Runtime) -> (Child, std::net::SocketAddr) {
    let mut child = chat_server()
        .args([
            "serve",
            "--runtime",
            runtime.name(),
            "--addr",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("a pipe");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("a line");
    let addr = line
        .strip_prefix("listening on ")
        .and_then(|rest| rest.trim_end().parse().ok())
        .unwrap_or_else(|| panic!("not a `listening on` line: {line:?}"));
    (child, addr)
}

fn interrupt(child: &Child) {
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
}

#[test]
fn serve_prints_its_address_serves_and_stops_cleanly_on_ctrl_c() {
    within(|| {
        for runtime in Runtime::ALL {
            let (child, addr) = serve(runtime);
            let mut room = clients(addr, 2);
            room[0].send("over the wire");
            let relayed = format!("{}: over the wire\n", room[0].name);
            room[1].expect(&relayed);
            interrupt(&child);
            for client in &mut room {
                client.expect("* bye\n");
                client.expect_eof();
            }
            let output = child.wait_with_output().expect("it exits");
            assert!(output.status.success(), "{runtime}: {output:?}");
            let log = String::from_utf8_lossy(&output.stderr);
            let joined = format!("{} joined", room[0].name);
            assert!(log.contains(&joined), "{runtime}: {log}");
            assert!(log.contains("shut down"), "{runtime}: {log}");
        }
    });
}

#[test]
fn the_client_sends_what_is_typed_and_prints_what_arrives() {
    within(|| {
        let server = server(Runtime::Tokio);
        let addr = server.addr().to_string();
        let mut other = Client::connect(server.addr());
        let mut child = chat_server()
            .args(["client", "--addr", &addr, "--name", "ada"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut stdin = child.stdin.take().expect("a pipe");
        let mut stdout = BufReader::new(child.stdout.take().expect("a pipe"));
        let mut line = || {
            let mut line = String::new();
            stdout.read_line(&mut line).expect("a line");
            line
        };
        assert!(line().starts_with("* welcome 127.0.0.1:"));
        let renamed = line();
        assert!(renamed.ends_with(" is now ada\n"), "{renamed}");
        let joined = other.line().expect("a join");
        assert!(joined.ends_with(" joined\n"), "{joined}");
        other.expect(&renamed);
        stdin.write_all(b"hello from a terminal\n").expect("typed");
        other.expect("ada: hello from a terminal\n");
        other.send("hello back");
        assert_eq!(line(), format!("{}: hello back\n", other.name));
        drop(stdin); // end of input: the client closes its side and is let go
        other.expect("* ada left\n");
        assert!(child.wait().expect("it exits").success());
    });
}

#[test]
fn bad_flags_and_addresses_are_clear_errors() {
    let output = run(&["serve", "--runtime", "trio"]);
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(
        text.contains("[possible values: hand, tokio, async-std, smol]"),
        "{text}"
    );

    let output = run(&["serve", "--addr", "nonsense"]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(
        text.contains("--addr \"nonsense\"") && text.contains("IP:PORT"),
        "{text}"
    );

    let output = run(&["client", "--addr", "127.0.0.1:1"]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("could not connect to 127.0.0.1:1"), "{text}");

    let output = run(&["shout"]);
    assert_eq!(output.status.code(), Some(2));
    for output in [run(&["serve", "--runtime", "trio"]), run(&["shout"])] {
        let text = String::from_utf8_lossy(&output.stderr);
        assert!(!text.contains("panicked"), "{text}");
    }
}

#[test]
fn an_address_in_use_is_a_clear_error() {
    let server = server(Runtime::Tokio);
    for runtime in Runtime::ALL {
        let addr = server.addr().to_string();
        let output = run(&["serve", "--runtime", runtime.name(), "--addr", &addr]);
        assert_eq!(output.status.code(), Some(1), "{runtime}");
        let text = String::from_utf8_lossy(&output.stderr);
        assert!(
            text.contains(&addr) && text.contains("in use"),
            "{runtime}: {text}"
        );
        assert!(output.stdout.is_empty(), "{runtime}");
    }
}
