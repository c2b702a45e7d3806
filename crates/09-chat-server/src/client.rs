//! The interactive client, on tokio: what is typed goes to the server, what
//! the server sends is printed. `nc 127.0.0.1 7878` does the same job.

use std::io;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

// ANCHOR: chat
/// Connects to `addr`, sends `/nick NAME` first if given, then sends each
/// line of `input` and writes each line the server sends to `output`,
/// until the server closes the connection. At the end of `input`, it
/// closes its sending side, and the server, reading end of file, lets the
/// client go: what it had in flight still arrives.
pub async fn chat(
    addr: &str,
    name: Option<&str>,
    input: impl AsyncBufRead + Unpin,
    mut output: impl AsyncWrite + Unpin,
) -> io::Result<()> {
    let stream = TcpStream::connect(addr).await.map_err(|error| {
        io::Error::new(
            error.kind(),
            format!("could not connect to {addr}: {error}"),
        )
    })?;
    let (reader, mut writer) = stream.into_split();
    if let Some(name) = name {
        writer
            .write_all(format!("/nick {name}\n").as_bytes())
            .await?;
    }
    let mut typed = input.lines();
    let mut received = BufReader::new(reader).lines();
    let mut typing = true;
    loop {
        tokio::select! {
            line = typed.next_line(), if typing => match line? {
                Some(line) => writer.write_all(format!("{line}\n").as_bytes()).await?,
                None => {
                    writer.shutdown().await?;
                    typing = false;
                }
            },
            line = received.next_line() => match line? {
                Some(line) => {
                    output.write_all(format!("{line}\n").as_bytes()).await?;
                    output.flush().await?;
                }
                None => return Ok(()),
            },
        }
    }
}
// ANCHOR_END: chat

/// [`chat`] with the terminal: stdin in, stdout out, on a tokio runtime of
/// its own.
pub fn run(addr: &str, name: Option<&str>) -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(chat(
        addr,
        name,
        BufReader::new(tokio::io::stdin()),
        tokio::io::stdout(),
    ))
}
