//! Chapter 10 exercise: an axum endpoint that awaits an sqlx query.
//!
//! The API holds users in SQLite. `GET /users` lists them; what is missing
//! is `GET /users/{id}`: one user by its row id, as `{"name": "Ada"}`, or a
//! `404` with `{"error": "no user 7"}`. FastAPI would write it as an
//! `async def` that awaits `database.fetch_one(...)`; in Rust it is an
//! `async fn` handler that awaits `sqlx::query_scalar(...).fetch_optional`.
//!
//! Check your work with `cargo test -p ch10-query-endpoint`.
//!
//! Solved: the route `/users/{id}` goes to `user`, which awaits one query
//! and answers its three outcomes.
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
    // Solved: the path parameter in braces, parsed by `user`'s `Path`.
    Router::new()
        .route("/users", get(users))
        .route("/users/{id}", get(user))
        .with_state(pool)
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
async fn user(State(pool): State<SqlitePool>, Path(id): Path<i64>) -> Response {
    // Solved: the id is bound, never formatted into the SQL; the await
    // is where the handler waits for SQLite's thread to answer.
    let name =
        sqlx::query_scalar::<_, String>("SELECT name FROM users WHERE rowid = ?")
            .bind(id)
            .fetch_optional(&pool)
            .await;
    match name {
        Ok(Some(name)) => Json(User { name }).into_response(),
        Ok(None) => failure(StatusCode::NOT_FOUND, format!("no user {id}")),
        Err(error) => failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("database: {error}"),
        ),
    }
}

fn failure(status: StatusCode, error: String) -> Response {
    (status, Json(ApiError { error })).into_response()
}
