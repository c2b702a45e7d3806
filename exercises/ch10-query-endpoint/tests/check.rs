//! `GET /users/{id}`, called through the router as a tower service, on
//! tokio, with an in-memory SQLite. Run with `cargo test -p ch10-query-endpoint`.

use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode};
use ch10_query_endpoint::{ApiError, User, database, router};
use tower::ServiceExt;

/// `GET path` on a fresh API with Ada and Grace: the status and the body.
async fn get(path: &str) -> (StatusCode, Vec<u8>) {
    let pool = database(&["Ada", "Grace"]).await.expect("SQLite in memory");
    let request = Request::get(path).body(Body::empty()).expect("a request");
    let response = router(pool)
        .oneshot(request)
        .await
        .expect("no service error");
    let status = response.status();
    let body = to_bytes(response.into_body(), 64 * 1024)
        .await
        .expect("a body");
    (status, body.to_vec())
}

#[tokio::test]
async fn step_1_the_route_exists() {
    let (status, _) = get("/users/1").await;
    assert_ne!(status, StatusCode::NOT_FOUND, "no route /users/{{id}} yet");
    assert_ne!(
        status,
        StatusCode::NOT_IMPLEMENTED,
        "the handler is not written"
    );
}

#[tokio::test]
async fn step_2_a_user_is_found_by_row_id() {
    for (id, name) in [(1, "Ada"), (2, "Grace")] {
        let (status, body) = get(&format!("/users/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        let user: User = serde_json::from_slice(&body).expect("a user as JSON");
        assert_eq!(user.name, name);
    }
}

#[tokio::test]
async fn step_3_a_missing_user_is_a_404_with_a_json_error() {
    let (status, body) = get("/users/7").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let error: ApiError = serde_json::from_slice(&body).expect("an error as JSON");
    assert_eq!(error.error, "no user 7");
}
