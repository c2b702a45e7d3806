//! Chapter 6 exercise: find the leaked connection.
//!
//! [`report`] looks a user up and lists their orders over one connection.
//! It works, and the demo's happy path closes its connection. But a
//! connection that is never closed is only found out later, by the server
//! running out of connections; here the [`Server`] counts them, and the
//! tests count what is left open after each way `report` can end.
//!
//! The tests run on chapter 4's loop with virtual time.
//!
//! Check your work with `cargo test -p ch6-leak`.
#![forbid(unsafe_code)]

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;
use std::time::Duration;

use event_loop::hand::sleep;

/// How long a connect, a query and a close each take.
pub const STEP: Duration = Duration::from_millis(500);

/// What can go wrong in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportError {
    /// No user has that name.
    NoSuchUser(String),
    /// The server failed the query.
    Query(String),
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::NoSuchUser(name) => write!(f, "no user named {name:?}"),
            ReportError::Query(sql) => write!(f, "the server failed {sql:?}"),
        }
    }
}

impl std::error::Error for ReportError {}

/// The database server: it counts the connections open now.
#[derive(Debug, Clone, Default)]
pub struct Server {
    open: Rc<Cell<u32>>,
}

impl Server {
    /// A server with no connection yet.
    pub fn new() -> Server {
        Server::default()
    }

    /// Connects: takes [`STEP`].
    pub async fn connect(&self) -> Connection {
        sleep(STEP).await;
        self.open.set(self.open.get() + 1);
        Connection {
            open: Rc::clone(&self.open),
        }
    }

    /// How many connections are open now: closed ones are not counted, and
    /// neither would a dropped one be on a real server until its timeout.
    pub fn open_now(&self) -> u32 {
        self.open.get()
    }
}

/// An open connection. It must be closed with [`Connection::close`]: its
/// `Drop` does nothing (a destructor cannot await the close).
#[derive(Debug)]
pub struct Connection {
    open: Rc<Cell<u32>>,
}

impl Connection {
    /// The id of the user called `name`, if any. The user `mallory` makes
    /// the server fail the query.
    pub async fn user_id(&mut self, name: &str) -> Result<Option<u32>, ReportError> {
        sleep(STEP).await;
        match name {
            "ada" => Ok(Some(1)),
            "grace" => Ok(Some(2)),
            "mallory" => Err(ReportError::Query(format!("SELECT id ... {name:?}"))),
            _ => Ok(None),
        }
    }

    /// The orders of user `id`.
    pub async fn orders(&mut self, id: u32) -> Result<Vec<String>, ReportError> {
        sleep(STEP).await;
        Ok((1..=id).map(|n| format!("order {id}-{n}")).collect())
    }

    /// Closes the connection: takes [`STEP`].
    pub async fn close(self) {
        sleep(STEP).await;
        self.open.set(self.open.get() - 1);
    }
}

/// The orders of the user called `name`, over one connection.
pub async fn report(server: &Server, name: &str) -> Result<Vec<String>, ReportError> {
    let mut conn = server.connect().await;
    // The work may return early, with `?` or `return`: it does so out of
    // `orders_of`, never past the close. No `?` between connect and close.
    let result = orders_of(&mut conn, name).await;
    conn.close().await;
    result
}

/// The work of a report, on a connection it only borrows: every early
/// return leaves the connection with `report`, which closes it.
async fn orders_of(
    conn: &mut Connection,
    name: &str,
) -> Result<Vec<String>, ReportError> {
    let Some(id) = conn.user_id(name).await? else {
        return Err(ReportError::NoSuchUser(name.to_string()));
    };
    conn.orders(id).await
}
