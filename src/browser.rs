//! Opening an article in the user's browser: `$BROWSER` (its first entry, if it lists
//! several with `:`), else `xdg-open`. The URL is one argument of a process started
//! directly, never a shell, so a hostile link cannot run anything.

use std::process::{Command, Stdio};

use crate::http::checked_url;

/// The command that would open `url`, given the value of `$BROWSER`.
pub fn command(browser: Option<&str>, url: &str) -> Result<Command, String> {
    let url = checked_url(url).map_err(|e| format!("{url}: {e}"))?;
    let spec = browser.and_then(|b| b.split(':').map(str::trim).find(|s| !s.is_empty())).unwrap_or("xdg-open");
    let mut words = spec.split_whitespace();
    let program = words.next().unwrap_or("xdg-open");
    let mut command = Command::new(program);
    command.args(words).arg(url.as_str()).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    Ok(command)
}

/// Starts the browser on `url` without waiting for it.
pub fn open(url: &str) -> Result<(), String> {
    let browser = std::env::var("BROWSER").ok();
    let mut command = command(browser.as_deref(), url)?;
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command.spawn().map_err(|e| format!("cannot start {program}: {e}"))?;
    // Reaped in the background so it does not linger as a zombie.
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(command: &Command) -> Vec<String> {
        std::iter::once(command.get_program())
            .chain(command.get_args())
            .map(|s| s.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn the_url_is_one_argument_even_with_shell_characters() {
        let url = "https://example.com/a?b=1&c=$(rm -rf ~);d='x y'";
        let command = command(Some("firefox --new-tab"), url).unwrap();
        let args = argv(&command);
        assert_eq!(args[..2], ["firefox", "--new-tab"]);
        assert_eq!(args.len(), 3);
        assert_eq!(url::Url::parse(&args[2]).unwrap(), url::Url::parse(url).unwrap());
    }

    #[test]
    fn falls_back_to_xdg_open_and_takes_the_first_of_a_list() {
        assert_eq!(argv(&command(None, "https://a.example/").unwrap()), ["xdg-open", "https://a.example/"]);
        assert_eq!(argv(&command(Some("lynx:w3m"), "https://a.example/").unwrap())[0], "lynx");
    }

    #[test]
    fn refuses_links_that_are_not_http() {
        assert!(command(None, "file:///etc/passwd").unwrap_err().contains("only http and https"));
        assert!(command(None, "javascript:alert(1)").is_err());
    }
}
