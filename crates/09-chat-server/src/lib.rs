//! Chapter 9: a TCP chat server (skeleton; being written).
#![forbid(unsafe_code)]

pub mod naive;
