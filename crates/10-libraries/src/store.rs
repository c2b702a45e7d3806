//! Where the API's answers come from: the constants of [`crate::ENDPOINTS`]
//! in memory, or a SQLite database made and filled from them, queried
//! through `sqlx`'s pool by every request.
//!
//! The database is a temporary file (chapter 6's [`TempDb`]): a pool opens
//! several connections, and each would see an empty database of its own if
//! it were `sqlite::memory:`. Its `users` table is chapter 6's, made with
//! chapter 6's code.

use context_managers::sqlite::{TempDb, add_user, create_users};
use sqlx::sqlite::{SqlitePool, SqlitePoolOptions};
use sqlx::{Connection, SqliteConnection};

use crate::{Answer, ENDPOINTS};

/// Which store a server answers from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The constants, no I/O.
    Memory,
    /// A SQLite database, queried on every request.
    Sqlite,
}

/// What a lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The endpoint's items.
    Items(Vec<String>),
    /// The endpoint is down, for this reason.
    Down(String),
    /// No such endpoint.
    Missing,
}

/// A store, open.
#[derive(Debug)]
pub enum Store {
    /// Answers from [`ENDPOINTS`].
    Memory,
    /// Answers from SQLite.
    Sqlite {
        /// The connections the handlers share.
        pool: SqlitePool,
        /// The file, removed when the store is dropped.
        db: TempDb,
    },
}

impl Store {
    /// Opens a store; for SQLite, makes the database and fills it.
    pub async fn open(source: Source) -> Result<Store, sqlx::Error> {
        match source {
            Source::Memory => Ok(Store::Memory),
            Source::Sqlite => {
                let db = TempDb::new("ch10-api");
                seed(&db).await?;
                let pool = SqlitePoolOptions::new()
                    .max_connections(3)
                    .connect_with(db.options())
                    .await?;
                Ok(Store::Sqlite { pool, db })
            }
        }
    }

    /// What the endpoint `url` answers.
    pub async fn find(&self, url: &str) -> Result<Found, sqlx::Error> {
        match self {
            Store::Memory => Ok(from_memory(url)),
            Store::Sqlite { pool, .. } => from_sqlite(pool, url).await,
        }
    }

    /// Closes the pool, waiting for its connections to end.
    pub async fn close(self) {
        if let Store::Sqlite { pool, db } = self {
            pool.close().await;
            drop(db);
        }
    }
}

fn from_memory(url: &str) -> Found {
    match ENDPOINTS.iter().find(|e| e.url == url).map(|e| e.answer) {
        Some(Answer::Items(items)) => {
            Found::Items(items.iter().map(|s| s.to_string()).collect())
        }
        Some(Answer::Down(reason)) => Found::Down(reason.to_string()),
        None => Found::Missing,
    }
}

/// The table behind each endpoint: a fixed list, so that no SQL is ever
/// made from what a client sent.
fn table(url: &str) -> Option<&'static str> {
    match url {
        "api/users" => Some("users"),
        "api/posts" => Some("posts"),
        "api/comments" => Some("comments"),
        _ => None,
    }
}

// ANCHOR: query
/// Two queries, each awaited: is the endpoint down, and if not, its rows.
async fn from_sqlite(pool: &SqlitePool, url: &str) -> Result<Found, sqlx::Error> {
    let Some(table) = table(url) else {
        return Ok(Found::Missing);
    };
    let outage: Option<String> =
        sqlx::query_scalar("SELECT reason FROM outages WHERE endpoint = ?")
            .bind(url)
            .fetch_optional(pool)
            .await?;
    if let Some(reason) = outage {
        return Ok(Found::Down(reason));
    }
    let sql = format!("SELECT name FROM {table} ORDER BY rowid");
    let names: Vec<String> = sqlx::query_scalar(&sql).fetch_all(pool).await?;
    Ok(Found::Items(names))
}
// ANCHOR_END: query

/// Makes the tables and fills them from [`ENDPOINTS`], on one connection
/// closed before the pool opens.
async fn seed(db: &TempDb) -> Result<(), sqlx::Error> {
    let mut conn = SqliteConnection::connect_with(&db.options()).await?;
    create_users(&mut conn).await?;
    for sql in [
        "CREATE TABLE posts (name TEXT NOT NULL)",
        "CREATE TABLE comments (name TEXT NOT NULL)",
        "CREATE TABLE outages (endpoint TEXT NOT NULL, reason TEXT NOT NULL)",
    ] {
        sqlx::query(sql).execute(&mut conn).await?;
    }
    for endpoint in ENDPOINTS {
        match endpoint.answer {
            Answer::Items(names) if endpoint.url == "api/users" => {
                for name in names {
                    add_user(&mut conn, name).await?;
                }
            }
            Answer::Items(names) => {
                let table = table(endpoint.url).expect("every endpoint has a table");
                let sql = format!("INSERT INTO {table} (name) VALUES (?)");
                for name in names {
                    sqlx::query(&sql).bind(name).execute(&mut conn).await?;
                }
            }
            Answer::Down(reason) => {
                sqlx::query("INSERT INTO outages (endpoint, reason) VALUES (?, ?)")
                    .bind(endpoint.url)
                    .bind(reason)
                    .execute(&mut conn)
                    .await?;
            }
        }
    }
    conn.close().await
}
