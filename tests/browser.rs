//! Opening links with a fake browser that records its arguments and whether its input
//! is a terminal: a text browser runs on the reader's terminal (here a pseudo-terminal
//! made by `script`), a graphical one away from it, and the link is one argument.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use kiosque::browser::Choice;

const LINK: &str = "https://fr.wikipedia.org/wiki/Ch%C3%AAne?a=1&b=$(id)";

/// Not a test by itself: run by the next one inside a pseudo-terminal.
#[test]
#[ignore = "run by a_text_browser_gets_the_terminal_and_a_graphical_one_does_not"]
fn child_opens_a_link_both_ways() {
    let fake = std::env::var("KIOSQUE_FAKE_BROWSER").expect("run by its parent test");
    let text = Choice { command: Some(format!("{fake} --text %u")), in_terminal: None };
    let launch = text.launch(None, LINK).unwrap();
    assert!(!launch.in_terminal, "an unknown name is taken for a graphical browser");
    let text = Choice { in_terminal: Some(true), ..text };
    text.launch(None, LINK).unwrap().in_foreground().unwrap();
    let graphical = Choice { command: Some(format!("{fake} --graphical")), in_terminal: None };
    graphical.launch(None, LINK).unwrap().detached().unwrap();
}

#[test]
fn a_text_browser_gets_the_terminal_and_a_graphical_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let (fake, out) = (dir.path().join("fake-browser"), dir.path().join("opened"));
    let script = format!(
        "#!/bin/sh\nt=none; if [ -t 0 ] && [ -t 1 ]; then t=terminal; fi\n{{ printf '%s|' \"$@\"; echo $t; }} >> '{}'\n",
        out.display()
    );
    std::fs::write(&fake, script).unwrap();
    std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let child = format!(
        "'{}' child_opens_a_link_both_ways --exact --ignored --nocapture --test-threads=1",
        std::env::current_exe().unwrap().display()
    );
    let status = Command::new("script")
        .args(["-qec", &child, "/dev/null"])
        .env("KIOSQUE_FAKE_BROWSER", &fake)
        .stdin(std::process::Stdio::null())
        .status()
        .expect("script (util-linux) runs");
    assert!(status.success());
    let lines = wait_for_lines(&out, 2);
    assert!(lines.contains(&format!("--text|{LINK}|terminal")), "{lines:?}");
    assert!(lines.contains(&format!("--graphical|{LINK}|none")), "{lines:?}");
}

/// The lines of `path` once it has `n` of them: a detached browser writes when it will.
fn wait_for_lines(path: &Path, n: usize) -> Vec<String> {
    let started = Instant::now();
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        if lines.len() >= n || started.elapsed() > Duration::from_secs(10) {
            return lines;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
