//! The tutorial's server, faults and all (being written).
