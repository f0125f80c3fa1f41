//! A kiosque of a test's own, set to sync with a feed server: its config, its cache, and
//! the command line run on them.
#![allow(dead_code)] // the tests and the bench use their own parts

use std::process::{Command, Output};

use kiosque::model::{ArticleId, Scope};
use kiosque::store::{Anchor, Store};

/// A kiosque of its own: config with `[sync]` for `login` (password "pw", in a file of
/// its own).
pub struct Reader {
    pub dir: tempfile::TempDir,
}

impl Reader {
    pub fn new(kind: &str, login: &str, url: &str) -> Reader {
        let dir = tempfile::tempdir().unwrap();
        let password = dir.path().join("password");
        std::fs::write(&password, "pw\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&password, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let config = format!(
            "refresh_on_start = false\n[sync]\nkind = \"{kind}\"\nurl = \"{url}\"\nuser = \"{login}\"\npassword_file = \"password\"\n"
        );
        std::fs::write(dir.path().join("config.toml"), config).unwrap();
        Reader { dir }
    }

    pub fn kiosque(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// kiosque with `args`, on this reader's config and cache.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kiosque"));
        command
            .arg("--config")
            .arg(self.dir.path().join("config.toml"))
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .args(args)
            .env_remove(kiosque::sync::password::VARIABLE);
        command
    }

    /// `kiosque sync`, which must succeed: what it said.
    pub fn sync(&self) -> String {
        let out = self.kiosque(&["sync"]);
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "kiosque sync failed: {said}");
        said
    }

    pub fn store(&self) -> Store {
        Store::open(&self.dir.path().join("data/cache.sqlite")).unwrap()
    }

    /// The feed server's own source in the cache.
    pub fn server(&self) -> kiosque::model::SourceState {
        let sources = self.store().sources().unwrap();
        let server = sources.into_iter().find(|s| s.url.starts_with("ttrss+") || s.url.starts_with("greader+"));
        server.expect("no feed server in the cache")
    }

    pub fn article(&self, title: &str) -> ArticleId {
        let store = self.store();
        let all = Scope::Sources(store.sources().unwrap().iter().map(|s| s.id).collect());
        let rows = store.rows(&all, Anchor::First, 10_000).unwrap();
        rows.iter().find(|r| r.title == title).unwrap_or_else(|| panic!("no article {title:?} here")).key.id
    }
}
