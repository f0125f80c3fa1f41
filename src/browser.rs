//! Opening a link in the user's browser: `browser` in the config, else `$BROWSER` (its
//! first entry, if it lists several with `:`), else the platform's opener. `%u` in it
//! stands for the URL, which is appended when there is none. The command is split into
//! words and run as an argument vector, never through a shell, so a hostile link cannot
//! run anything. A text browser (lynx, w3m…) gets the terminal and is waited for; a
//! graphical one starts detached.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::http::checked_url;

/// How the config says to open links; both unset means `$BROWSER` and a guess.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    /// `browser`: the command, with `%u` for the URL.
    pub command: Option<String>,
    /// `browser_in_terminal`: whether it needs the terminal, when the guess from its name
    /// is wrong.
    pub in_terminal: Option<bool>,
}

/// A browser about to be started on a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    pub argv: Vec<String>,
    /// It runs in the reader's terminal, which it gets until it exits.
    pub in_terminal: bool,
}

/// Browsers that draw in the terminal they are started from.
const TEXT_BROWSERS: &[&str] = &["lynx", "w3m", "links", "links2", "elinks", "browsh", "carbonyl", "www-browser"];

#[cfg(target_os = "macos")]
const OPENER: &str = "open";
#[cfg(not(target_os = "macos"))]
const OPENER: &str = "xdg-open";

impl Choice {
    /// What opens `url`, given the value of `$BROWSER`.
    pub fn launch(&self, env_browser: Option<&str>, url: &str) -> Result<Launch, String> {
        let url = checked_url(url).map_err(|e| format!("{}: {e}", crate::wording::shorten(url, 200)))?;
        let first = |list: &str| list.split(':').map(str::trim).find(|s| !s.is_empty()).map(str::to_owned);
        let spec = self
            .command
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .or_else(|| env_browser.and_then(first))
            .unwrap_or_else(|| OPENER.to_owned());
        let mut argv: Vec<String> = spec.split_whitespace().map(|word| word.replace("%u", url.as_str())).collect();
        if !spec.split_whitespace().skip(1).any(|word| word.contains("%u")) {
            argv.push(url.to_string());
        }
        let name = Path::new(&argv[0]).file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let in_terminal = self.in_terminal.unwrap_or(TEXT_BROWSERS.contains(&name));
        Ok(Launch { argv, in_terminal })
    }
}

impl Launch {
    fn command(&self) -> Command {
        let mut command = Command::new(&self.argv[0]);
        command.args(&self.argv[1..]);
        command
    }

    fn program(&self) -> &str {
        &self.argv[0]
    }

    /// Starts a graphical browser without waiting for it, away from the terminal: in a
    /// process group of its own, so that closing the terminal does not close it too.
    pub fn detached(&self) -> Result<(), String> {
        let mut command = self.command();
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", self.program()))?;
        // Reaped in the background so it does not linger as a zombie.
        std::thread::spawn(move || child.wait());
        Ok(())
    }

    /// Runs a text browser on the terminal as it is, and waits for it to exit.
    pub fn in_foreground(&self) -> Result<(), String> {
        let status = self.command().status().map_err(|e| format!("cannot start {}: {e}", self.program()))?;
        match status.code() {
            Some(0) => Ok(()),
            Some(code) => Err(format!("{} exited with status {code}", self.program())),
            None => Err(format!("{} was stopped by a signal", self.program())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn launch(command: Option<&str>, env: Option<&str>, url: &str) -> Launch {
        Choice { command: command.map(str::to_owned), in_terminal: None }.launch(env, url).unwrap()
    }

    #[test]
    fn the_url_is_one_argument_even_with_shell_characters() {
        let url = "https://example.com/a?b=1&c=$(rm -rf ~);d='x y'";
        let argv = launch(Some("firefox --new-tab"), None, url).argv;
        assert_eq!(argv[..2], ["firefox", "--new-tab"]);
        assert_eq!(argv.len(), 3);
        assert_eq!(url::Url::parse(&argv[2]).unwrap(), url::Url::parse(url).unwrap());
    }

    #[test]
    fn percent_u_stands_for_the_url_which_is_appended_without_it() {
        let url = "https://a.example/b";
        assert_eq!(launch(None, Some("firefox %u"), url).argv, ["firefox", url]);
        assert_eq!(
            launch(Some("chromium --app=%u --new-window"), None, url).argv,
            ["chromium", "--app=https://a.example/b", "--new-window"]
        );
        assert_eq!(launch(Some("qutebrowser"), Some("firefox"), url).argv, ["qutebrowser", url], "the config first");
    }

    #[test]
    fn falls_back_to_the_opener_and_takes_the_first_of_a_list() {
        assert_eq!(launch(None, None, "https://a.example/").argv, [OPENER, "https://a.example/"]);
        assert_eq!(launch(None, Some(" :lynx:w3m"), "https://a.example/").argv[0], "lynx");
        assert_eq!(launch(Some("  "), None, "https://a.example/").argv[0], OPENER, "an empty setting is none");
    }

    #[test]
    fn text_browsers_get_the_terminal_unless_the_config_says_otherwise() {
        let url = "https://a.example/";
        assert!(launch(None, Some("lynx"), url).in_terminal);
        assert!(launch(Some("/usr/bin/w3m -no-mouse"), None, url).in_terminal);
        assert!(!launch(Some("firefox"), None, url).in_terminal);
        let forced = Choice { command: Some("my-browser".to_owned()), in_terminal: Some(true) };
        assert!(forced.launch(None, url).unwrap().in_terminal);
        let detached = Choice { command: Some("lynx".to_owned()), in_terminal: Some(false) };
        assert!(!detached.launch(None, url).unwrap().in_terminal);
    }

    #[test]
    fn refuses_links_that_are_not_http() {
        let choice = Choice::default();
        assert!(choice.launch(None, "file:///etc/passwd").unwrap_err().contains("only http and https"));
        assert!(choice.launch(None, "javascript:alert(1)").is_err());
    }

    #[test]
    fn a_failure_names_the_program_and_why() {
        let missing = launch(Some("/nonexistent/browser"), None, "https://a.example/");
        let err = missing.detached().unwrap_err();
        assert!(err.starts_with("cannot start /nonexistent/browser: "), "{err}");
        let failing = Launch { argv: vec!["false".to_owned()], in_terminal: true };
        assert_eq!(failing.in_foreground().unwrap_err(), "false exited with status 1");
    }
}
