//! A real database: SQLite through `sqlx`, on tokio.
