//! The interactive client (being written).
