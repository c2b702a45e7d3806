//! Chapter 10: the libraries (skeleton; being written).
#![forbid(unsafe_code)]
