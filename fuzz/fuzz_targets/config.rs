//! The config parser on any text: a clear error or a config, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = kiosque::config::parse(text, std::path::Path::new("config.toml"));
});
