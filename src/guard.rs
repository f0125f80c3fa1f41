//! Parsers from other crates (feed-rs and quick-xml, dom_smoothie, html2text) run behind
//! a guard: a panic on odd but legal input (quick-xml on a UTF-16BE feed, once) becomes
//! an error for that input, named by its caller, not the end of the program.

/// Runs `f`; a panic in it comes back as `Err` with its message.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_owned());
        tracing::error!("a parser panicked: {message}");
        crate::sanitize::clean_line(&message)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_an_error_and_a_result_passes() {
        assert_eq!(super::guarded(|| 2 + 2), Ok(4));
        let caught = super::guarded(|| -> u8 { panic!("odd input at byte {}", 7) });
        assert_eq!(caught, Err("odd input at byte 7".to_owned()));
    }
}
