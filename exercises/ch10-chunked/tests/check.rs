//! The chunked decoder: one chunk, several, cut at every byte, and bad
//! input. Run with `cargo test -p ch10-chunked`.

use ch10_chunked::{ChunkError, ChunkedDecoder};

const BODY: &[u8] = b"5\r\nHello\r\n7;note=x\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";

fn decode(bytes: &[u8]) -> Result<Option<Vec<u8>>, ChunkError> {
    ChunkedDecoder::new().push(bytes)
}

#[test]
fn step_1_one_chunk_and_the_last_chunk_make_a_body() {
    let body = decode(b"5\r\nHello\r\n0\r\n\r\n").expect("no error");
    assert_eq!(body.as_deref(), Some(&b"Hello"[..]));
}

#[test]
fn step_2_several_chunks_with_extensions_and_trailers_are_joined() {
    let body = decode(BODY).expect("no error");
    assert_eq!(body.as_deref(), Some(&b"Hello, world"[..]));
}

#[test]
fn step_3_a_body_cut_at_any_byte_is_decoded_the_same() {
    for at in 0..BODY.len() {
        let mut decoder = ChunkedDecoder::new();
        let first = decoder.push(&BODY[..at]).expect("no error");
        assert_eq!(first, None, "complete after only {at} bytes");
        let second = decoder.push(&BODY[at..]).expect("no error");
        assert_eq!(second.as_deref(), Some(&b"Hello, world"[..]), "cut at {at}");
    }
    let mut decoder = ChunkedDecoder::new();
    let last = BODY
        .iter()
        .map(|b| decoder.push(&[*b]).expect("no error"))
        .last();
    assert_eq!(last.flatten().as_deref(), Some(&b"Hello, world"[..]));
}

#[test]
fn step_4_bad_sizes_and_a_missing_crlf_are_errors() {
    for line in ["zz", "", "-5", "0x5"] {
        let bytes = format!("{line}\r\n");
        let expected = ChunkError::BadChunkSize(line.to_string());
        assert_eq!(decode(bytes.as_bytes()), Err(expected));
    }
    assert_eq!(decode(b"2\r\nokXX"), Err(ChunkError::MissingCrlf));
}
