fn main() -> std::process::ExitCode {
    give_big_blocks_back();
    kiosque::cli::main()
}

/// glibc raises its mmap threshold each time it frees a large block (up to 32 MB), and
/// from then on keeps the big feeds a refresh frees in its heap: 16 feeds of 12 MB at once
/// peaked at 400 MiB instead of 200. A fixed threshold gives such blocks back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn give_big_blocks_back() {
    // SAFETY: mallopt only sets one of the allocator's parameters, before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn give_big_blocks_back() {}
