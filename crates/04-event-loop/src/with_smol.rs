//! The scene on tokio (written by the scene's author).
