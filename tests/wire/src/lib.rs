//! The client generated from `spec.yaml`; `tests/wire.rs` checks what it sends
//! and how it reads answers.

include!(concat!(env!("OUT_DIR"), "/oxgen/lib.rs"));
