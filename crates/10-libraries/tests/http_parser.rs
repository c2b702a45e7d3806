//! The hand-written parser, without a socket: every framing, every error,
//! and responses cut at every byte, which a real network may do.

use libraries::http::{Error, MAX_BODY, MAX_HEAD, Response, ResponseParser};

/// Feeds `bytes` in two pieces, cut at `at`, then the end of the stream.
fn parse_cut_at(bytes: &[u8], at: usize) -> Result<Response, Error> {
    let mut parser = ResponseParser::new();
    for piece in [&bytes[..at], &bytes[at..]] {
        if let Some(response) = parser.push(piece)? {
            return Ok(response);
        }
    }
    parser.finish()
}

/// Feeds `bytes` one at a time.
fn parse_byte_by_byte(bytes: &[u8]) -> Result<Response, Error> {
    let mut parser = ResponseParser::new();
    for byte in bytes {
        if let Some(response) = parser.push(std::slice::from_ref(byte))? {
            return Ok(response);
        }
    }
    parser.finish()
}

/// The same answer whatever the cuts: every cut, and byte by byte.
fn parse_every_way(bytes: &[u8]) -> Result<Response, String> {
    let whole = parse_cut_at(bytes, 0).map_err(|e| e.to_string());
    for at in 0..=bytes.len() {
        let cut = parse_cut_at(bytes, at).map_err(|e| e.to_string());
        assert_eq!(cut, whole, "cut at byte {at}");
    }
    let by_byte = parse_byte_by_byte(bytes).map_err(|e| e.to_string());
    assert_eq!(by_byte, whole, "fed byte by byte");
    whole
}

fn error_of(bytes: &[u8]) -> String {
    parse_every_way(bytes).expect_err("an error")
}

const CHUNKED: &[u8] = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
    5\r\nHello\r\n1a;note=ext\r\n, these are two chunks: 26\r\n0\r\nX-Trailer: t\r\n\r\n";

#[test]
fn a_content_length_body_is_read_whatever_the_cuts() {
    let bytes = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Case: Kept\r\n\r\nHello";
    let response = parse_every_way(bytes).expect("a response");
    assert_eq!((response.status, response.reason.as_str()), (200, "OK"));
    assert_eq!(response.header("x-case"), Some("Kept"));
    assert_eq!(response.body, b"Hello");
}

#[test]
fn a_chunked_body_is_read_at_every_cut_with_extensions_and_trailers() {
    let response = parse_every_way(CHUNKED).expect("a response");
    assert_eq!(response.body, b"Hello, these are two chunks: 26");
}

#[test]
fn a_body_without_length_or_chunks_ends_with_the_connection() {
    let bytes = b"HTTP/1.0 503 Service Unavailable\r\n\r\n{\"error\": \"down\"}";
    let response = parse_every_way(bytes).expect("a response");
    assert_eq!(response.status, 503);
    assert_eq!(response.reason, "Service Unavailable");
    assert_eq!(response.body, b"{\"error\": \"down\"}");
}

#[test]
fn a_204_has_no_body_whatever_its_headers_say() {
    let bytes = b"HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n";
    assert_eq!(parse_every_way(bytes).expect("a response").body, b"");
}

#[test]
fn bytes_after_a_complete_response_are_ignored() {
    let mut parser = ResponseParser::new();
    let bytes = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 500";
    let response = parser.push(bytes).expect("no error").expect("complete");
    assert_eq!(response.body, b"ok");
}

#[test]
fn a_status_line_that_is_not_http_1_is_malformed() {
    for line in [
        "HTTP/2 200 OK",
        "SSH-2.0-OpenSSH_9.6",
        "HTTP/1.1 20 OK",
        "HTTP/1.1 2x0 OK",
    ] {
        let bytes = format!("{line}\r\nContent-Length: 0\r\n\r\n");
        assert_eq!(
            error_of(bytes.as_bytes()),
            format!("malformed status line: {line:?}")
        );
    }
}

#[test]
fn a_bad_status_line_fails_before_the_head_ends() {
    let mut parser = ResponseParser::new();
    let error = parser
        .push(b"SSH-2.0-OpenSSH_9.6\r\n")
        .expect_err("at once");
    assert!(matches!(error, Error::MalformedStatusLine(_)), "{error:?}");
}

#[test]
fn a_header_line_without_a_colon_or_with_a_space_in_its_name_is_malformed() {
    for line in ["No colon here", "Content Length: 5", ": no name"] {
        let bytes = format!("HTTP/1.1 200 OK\r\n{line}\r\n\r\n");
        assert_eq!(
            error_of(bytes.as_bytes()),
            format!("malformed header line: {line:?}")
        );
    }
}

#[test]
fn a_head_that_never_ends_is_too_large() {
    let mut bytes = b"HTTP/1.1 200 OK\r\n".to_vec();
    while bytes.len() <= MAX_HEAD {
        bytes.extend_from_slice(b"X-Filler: 0123456789abcdef\r\n");
    }
    let mut parser = ResponseParser::new();
    let error = parser.push(&bytes).expect_err("too large");
    assert!(matches!(error, Error::HeadTooLarge), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the response head is larger than 16384 bytes"
    );
}

#[test]
fn a_content_length_that_is_not_a_number_or_disagrees_is_refused() {
    let cases = [
        ("Content-Length: ten", "bad Content-Length: \"ten\""),
        ("Content-Length: -1", "bad Content-Length: \"-1\""),
        (
            "Content-Length: 1\r\nContent-Length: 2",
            "bad Content-Length: \"two lengths that differ\"",
        ),
    ];
    for (headers, message) in cases {
        let bytes = format!("HTTP/1.1 200 OK\r\n{headers}\r\n\r\nx");
        assert_eq!(error_of(bytes.as_bytes()), message);
    }
}

#[test]
fn a_body_over_the_limit_is_refused_before_it_is_read() {
    let bytes = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n",
        MAX_BODY + 1
    );
    let mut parser = ResponseParser::new();
    let error = parser.push(bytes.as_bytes()).expect_err("too large");
    assert!(matches!(error, Error::BodyTooLarge(_)), "{error:?}");
}

#[test]
fn a_transfer_coding_other_than_chunked_is_unsupported() {
    let bytes = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n";
    assert_eq!(
        error_of(bytes),
        "unsupported Transfer-Encoding: \"gzip, chunked\""
    );
}

#[test]
fn a_chunk_size_that_is_not_hexadecimal_is_a_bad_chunk_size() {
    for size in ["zz", "", "-1", "0x10", "ffffffffffffffffff"] {
        let bytes =
            format!("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{size}\r\n");
        assert_eq!(
            error_of(bytes.as_bytes()),
            format!("bad chunk size: {size:?}"),
            "size {size:?}"
        );
    }
}

#[test]
fn a_chunk_size_line_that_never_ends_is_a_bad_chunk_size() {
    let mut bytes = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1".to_vec();
    bytes.extend(std::iter::repeat_n(b'0', 2000));
    let mut parser = ResponseParser::new();
    let error = parser.push(&bytes).expect_err("too long");
    assert!(matches!(error, Error::BadChunkSize(_)), "{error:?}");
}

#[test]
fn chunk_data_not_followed_by_crlf_is_malformed() {
    let bytes =
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\n";
    assert_eq!(error_of(bytes), "a chunk's data is not followed by CRLF");
}

#[test]
fn a_close_before_the_response_is_whole_says_where_it_came() {
    let cases: [(&[u8], &str); 5] = [
        (b"", "the connection closed before sending a response"),
        (
            b"HTTP/1.1 200 OK\r\nContent-",
            "the connection closed in the middle of the head",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789",
            "the connection closed after 10 of 100 body bytes",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHel",
            "the connection closed in the middle of a chunked body",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
            "the connection closed in the middle of a chunked body",
        ),
    ];
    for (bytes, message) in cases {
        assert_eq!(error_of(bytes), message);
    }
}

#[test]
fn every_cut_of_the_chunked_body_before_its_end_is_cut_short() {
    for end in 0..CHUNKED.len() {
        let mut parser = ResponseParser::new();
        let result = match parser.push(&CHUNKED[..end]) {
            Ok(None) => parser.finish(),
            other => panic!("{end}: {other:?}"),
        };
        assert!(
            matches!(result, Err(Error::CutShort(_))),
            "{end}: {result:?}"
        );
    }
}
