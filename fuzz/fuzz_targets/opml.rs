//! Subscription import (OPML, or newsboat's urls file) on any bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = kiosque::sources::import::read(bytes);
});
