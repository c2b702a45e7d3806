//! What the tests share: a raw server that answers fixed bytes, and the
//! Python server as a child process killed on drop.
#![allow(dead_code)] // each test file uses a part

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A server on a std `TcpListener` that answers each of its first
/// `connections` with `bytes` once the request's head is in, then closes:
/// a server that misbehaves exactly as a test needs.
pub fn raw_server(bytes: &'static [u8], connections: usize) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let addr = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        for _ in 0..connections {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let mut head = Vec::new();
            let mut byte = [0];
            while !head.ends_with(b"\r\n\r\n")
                && stream.read(&mut byte).unwrap_or(0) == 1
            {
                head.push(byte[0]);
            }
            let _ = stream.write_all(bytes);
            // Dropping the stream closes it: the client reads end-of-file.
        }
    });
    addr
}

/// Whether aiohttp, FastAPI and uvicorn can be imported; says why not.
pub fn python_packages() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import aiohttp, fastapi, uvicorn"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        eprintln!(
            "skipped: python3 with aiohttp, fastapi and uvicorn is not installed \
             (run `just python-packages`)"
        );
    }
    found
}

/// The path of a listing in `python/`.
pub fn listing(name: &str) -> String {
    format!("{}/python/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The FastAPI server, run by uvicorn as a child process; killed on drop.
pub struct PythonServer {
    child: Child,
    pub addr: SocketAddr,
}

impl PythonServer {
    /// Starts `python/server.py STEP` and waits (bounded) for the port it
    /// prints once it listens.
    pub fn start(step: Duration) -> PythonServer {
        let mut child = Command::new("python3")
            .arg(listing("server.py"))
            .arg(step.as_secs_f64().to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 starts");
        let stdout = child.stdout.take().expect("its stdout is piped");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let mut server = PythonServer {
            child,
            addr: "127.0.0.1:0".parse().expect("an address"),
        };
        let line = receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the Python server prints its port within 30 s");
        let port = line
            .trim()
            .strip_prefix("listening on port ")
            .unwrap_or_default();
        let port: u16 = port
            .parse()
            .unwrap_or_else(|_| panic!("not a port: {line:?}"));
        server.addr.set_port(port);
        server
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
