//! Where the sync password comes from: a file only its owner can read, or the
//! `KIOSQUE_SYNC_PASSWORD` variable. Never the command line, where `ps` shows it, and
//! never a shell command. The password itself prints as `***` wherever it goes.

use std::path::{Path, PathBuf};

use super::{Result, SyncError};

/// The variable read when the config names no file.
pub const VARIABLE: &str = "KIOSQUE_SYNC_PASSWORD";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum From {
    File(PathBuf),
    Variable,
}

/// A password: its `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn new(text: impl Into<String>) -> Password {
        Password(text.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From {
    pub fn read(&self) -> Result<Password> {
        match self {
            From::File(path) => from_file(path),
            From::Variable => match std::env::var(VARIABLE) {
                Ok(text) if !text.is_empty() => Ok(Password(text)),
                _ => Err(SyncError::Password(format!("set password_file in [sync], or the variable {VARIABLE}"))),
            },
        }
    }
}

/// The file's first line. A file others may read is refused: the password would not be
/// the user's alone.
fn from_file(path: &Path) -> Result<Password> {
    let fail = |why: String| SyncError::Password(format!("{}: {why}", path.display()));
    let meta = std::fs::metadata(path).map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail("not a regular file".to_owned()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mode = meta.mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(fail(format!("others may read it (mode {mode:o}): chmod 600 it")));
        }
    }
    if meta.len() > 64 * 1024 {
        return Err(fail("larger than 64 KB: not a password".to_owned()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    let line = text.lines().next().unwrap_or_default();
    if line.is_empty() {
        return Err(fail("empty".to_owned()));
    }
    Ok(Password(line.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_file_others_may_read_is_refused_and_an_owners_file_is_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pw");
        std::fs::write(&path, "s3cret\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = From::File(path.clone()).read().unwrap_err().to_string();
        assert!(refused.contains("others may read it (mode 644)"), "{refused}");
        assert!(!refused.contains("s3cret"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let password = From::File(path).read().unwrap();
        assert_eq!(password.expose(), "s3cret");
        assert_eq!(format!("{password:?}"), "Password(***)");
    }
}
