//! Chapter 10 exercise: an axum endpoint that awaits an sqlx query.
//!
//! The API holds users in SQLite. `GET /users` lists them; what is missing
//! is `GET /users/{id}`: one user by its row id, as `{"name": "Ada"}`, or a
//! `404` with `{"error": "no user 7"}`. FastAPI would write it as an
//! `async def` that awaits `database.fetch_one(...)`; in Rust it is an
//! `async fn` handler that awaits `sqlx::query_scalar(...).fetch_optional`.
//!
//! Check your work with `cargo test -p ch10-query-endpoint`.
#![forbid(unsafe_code)]

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use sqlx::sqlite::SqlitePoolOptions;

/// One user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Their name.
    pub name: String,
}

/// The body of a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// What went wrong.
    pub error: String,
}

/// An in-memory database with the users `names`, in that order (row ids 1,
/// 2, ...). One connection: each connection to `sqlite::memory:` would be a
/// database of its own.
pub async fn database(names: &[&str]) -> Result<SqlitePool, sqlx::Error> {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect("sqlite::memory:")
        .await?;
    sqlx::query("CREATE TABLE users (name TEXT NOT NULL)")
        .execute(&pool)
        .await?;
    for name in names {
        sqlx::query("INSERT INTO users (name) VALUES (?)")
            .bind(name)
            .execute(&pool)
            .await?;
    }
    Ok(pool)
}

/// The API's routes, on `pool`.
pub fn router(pool: SqlitePool) -> Router {
    // TODO: add the route `/users/{id}`, answered by `user`.
    Router::new().route("/users", get(users)).with_state(pool)
}

/// `GET /users`: every name, in row order.
async fn users(State(pool): State<SqlitePool>) -> Response {
    let names =
        sqlx::query_scalar::<_, String>("SELECT name FROM users ORDER BY rowid")
            .fetch_all(&pool)
            .await;
    match names {
        Ok(names) => Json(names).into_response(),
        Err(error) => failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("database: {error}"),
        ),
    }
}

/// `GET /users/{id}`: the user whose row id is `id`.
#[allow(dead_code)] // until `router` routes to it
async fn user(State(pool): State<SqlitePool>, Path(id): Path<i64>) -> Response {
    // TODO: await `SELECT name FROM users WHERE rowid = ?` with `id` bound,
    // through `sqlx::query_scalar::<_, String>(..).bind(id).fetch_optional(&pool)`:
    // `Some(name)` is `Json(User { name })`, `None` is a 404 whose error
    // is `no user {id}`, and an `Err` a 500, as in `users`.
    let _ = (pool, id);
    failure(StatusCode::NOT_IMPLEMENTED, "not written yet".to_string())
}

fn failure(status: StatusCode, error: String) -> Response {
    (status, Json(ApiError { error })).into_response()
}
