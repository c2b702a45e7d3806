//! The framer, pushed bytes in every way a socket can deliver them.
//!
//! Run with `cargo test -p ch9-framing`.

use ch9_framing::{Frame, Framer};

/// Every frame that comes out now, until `next_line` says `None`.
fn frames(framer: &mut Framer) -> Vec<Frame> {
    std::iter::from_fn(|| framer.next_line()).collect()
}

fn line(text: &str) -> Frame {
    Frame::Line(text.to_string())
}

#[test]
fn step_1_a_line_comes_out_without_its_newline() {
    let mut framer = Framer::new(64);
    framer.push(b"hello\n");
    assert_eq!(frames(&mut framer), [line("hello")]);
}

#[test]
fn step_2_half_a_line_waits_for_the_rest() {
    let mut framer = Framer::new(64);
    framer.push(b"hel");
    assert_eq!(frames(&mut framer), [], "no `\\n` yet: no line yet");
    framer.push(b"lo\nwo");
    assert_eq!(frames(&mut framer), [line("hello")]);
    framer.push(b"rld\n");
    assert_eq!(frames(&mut framer), [line("world")]);
}

#[test]
fn step_3_two_lines_in_one_push_come_out_one_at_a_time() {
    let mut framer = Framer::new(64);
    framer.push(b"one\ntwo\n\nthree\n");
    let expected = [line("one"), line("two"), line(""), line("three")];
    assert_eq!(frames(&mut framer), expected);
}

#[test]
fn step_4_a_crlf_ending_is_stripped_too() {
    let mut framer = Framer::new(64);
    framer.push(b"telnet\r\nnc\n\r\n");
    assert_eq!(frames(&mut framer), [line("telnet"), line("nc"), line("")]);
}

#[test]
fn step_5_the_limit_is_exact_and_counts_no_line_end() {
    let mut framer = Framer::new(8);
    framer.push(b"12345678\n12345678\r\n");
    assert_eq!(frames(&mut framer), [line("12345678"), line("12345678")]);
    framer.push(b"123456789\n");
    assert_eq!(frames(&mut framer), [Frame::TooLong]);
    framer.push(b"ok\n");
    assert_eq!(frames(&mut framer), [], "nothing after a line too long");
}

#[test]
fn step_5_a_line_too_long_is_refused_before_its_end_arrives() {
    // A `\r` may still come before the `\n`, so 9 bytes of an 8-byte limit
    // are not too long yet; 10 are, with no `\n` in sight.
    let mut framer = Framer::new(8);
    framer.push(b"123456789");
    assert_eq!(frames(&mut framer), []);
    framer.push(b"0");
    assert_eq!(frames(&mut framer), [Frame::TooLong]);
}

#[test]
fn step_6_a_line_that_is_not_utf8_is_reported_and_the_next_comes() {
    let mut framer = Framer::new(64);
    framer.push(b"caf\xc3\xa9\n\xff\xfe\nok\n");
    assert_eq!(
        frames(&mut framer),
        [line("café"), Frame::NotUtf8, line("ok")]
    );
}

#[test]
fn step_7_the_same_lines_come_out_however_the_bytes_are_cut() {
    let text = "one\r\ntwo\n\ncafé\nthe last line\n".as_bytes();
    let whole = {
        let mut framer = Framer::new(16);
        framer.push(text);
        frames(&mut framer)
    };
    assert_eq!(whole.len(), 5, "{whole:?}");
    // Cut in two at every position, and in three at every pair of them (a
    // cut may fall inside `\r\n` or inside the two bytes of `é`).
    for first in 0..=text.len() {
        for second in first..=text.len() {
            let mut framer = Framer::new(16);
            let mut got = Vec::new();
            for piece in [&text[..first], &text[first..second], &text[second..]] {
                framer.push(piece);
                got.extend(frames(&mut framer));
            }
            assert_eq!(got, whole, "cut at {first} and {second}");
        }
    }
}

#[test]
fn step_7_one_byte_at_a_time_works_too() {
    let mut framer = Framer::new(16);
    let mut got = Vec::new();
    for byte in b"a\nbc\r\n\xff\ntoo long for sixteen\n" {
        framer.push(&[*byte]);
        got.extend(frames(&mut framer));
    }
    let expected = [line("a"), line("bc"), Frame::NotUtf8, Frame::TooLong];
    assert_eq!(got, expected);
}
