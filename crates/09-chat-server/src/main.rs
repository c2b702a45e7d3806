//! `cargo run -p chat-server -- serve [--runtime hand|tokio|async-std|smol]
//! [--addr ADDR]`: the fixed chat server; it prints `listening on IP:PORT`
//! once it listens, logs joins, leaves and errors to stderr, and shuts down
//! cleanly on Ctrl-C. `cargo run -p chat-server -- client [--addr ADDR]
//! [--name NAME]`: a client for a terminal.

use std::io::{self, IsTerminal, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;

use chat_server::Runtime;
use clap::{Parser, Subcommand};
use tracing::info;
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;

/// Chapter 9: a TCP chat server on every runtime, and a client for it.
#[derive(Debug, Parser)]
#[command(name = "chat-server", bin_name = "cargo run -p chat-server --")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs the server until Ctrl-C.
    Serve {
        /// The runtime to serve on.
        #[arg(long, value_enum, default_value = "tokio")]
        runtime: Runtime,
        /// Where to listen (port 0 picks a free port).
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: String,
    },
    /// Chats: lines typed are sent, lines received are printed.
    Client {
        /// The server's address.
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: String,
        /// A name to take (`/nick NAME`) before anything else.
        #[arg(long)]
        name: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let logged = EnvFilter::builder()
        .with_default_directive(LevelFilter::INFO.into())
        .from_env();
    let filter = match logged {
        Ok(filter) => filter,
        Err(error) => {
            eprintln!("error: RUST_LOG: {error}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        // Colours for a terminal only, not for a log file or a pipe.
        .with_ansi(io::stderr().is_terminal())
        .init();
    let done = match cli.command {
        Command::Serve { runtime, addr } => serve(runtime, &addr),
        Command::Client { addr, name } => {
            chat_server::client::run(&addr, name.as_deref())
        }
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

// ANCHOR: serve
fn serve(runtime: Runtime, addr: &str) -> io::Result<()> {
    let addr = resolve(addr)?;
    let (stop, stopping) = async_channel::bounded(1);
    ctrlc::set_handler(move || {
        stop.close();
    })
    .map_err(io::Error::other)?;
    let ready = |addr: SocketAddr| {
        println!("listening on {addr}");
        let _ = io::stdout().flush();
        info!("serving on {runtime}; Ctrl-C stops");
    };
    chat_server::run(runtime, addr, ready, stopping)
        .map_err(|error| io::Error::new(error.kind(), format!("{addr}: {error}")))?;
    info!("shut down");
    Ok(())
}
// ANCHOR_END: serve

/// The first address `addr` names, or an error that says what was wrong.
fn resolve(addr: &str) -> io::Result<SocketAddr> {
    let invalid = |why: String| {
        let message =
            format!("--addr {addr:?}: {why} (expected IP:PORT, e.g. 127.0.0.1:7878)");
        io::Error::new(io::ErrorKind::InvalidInput, message)
    };
    addr.to_socket_addrs()
        .map_err(|error| invalid(error.to_string()))?
        .next()
        .ok_or_else(|| invalid("no address".to_owned()))
}
