//! Sync timings against a real Tiny Tiny RSS (`tests/common/ttrss.rs` starts it): a first
//! sync of 5,000 articles, a sync with nothing new, and a first sync of 50,000 unread
//! articles, whose memory must not grow with their number (pages of 200, each saved
//! before the next). The server's articles are written straight into its database: its
//! own updater would take minutes for as many. `cargo bench --bench sync [-- 5000|50000]`.

use std::process::Stdio;
use std::time::{Duration, Instant};

mod common;
#[path = "../tests/common/sync_reader.rs"]
mod sync_reader;
#[path = "../tests/common/ttrss.rs"]
mod ttrss;

fn main() {
    let Some(server) = ttrss::ttrss() else {
        println!("sync bench skipped: no tt-rss (see above)");
        return;
    };
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    for n in [5_000, 50_000] {
        if only.as_deref().is_some_and(|o| o != n.to_string()) {
            continue;
        }
        let user = server.user(&format!("bench{n}"));
        let feed = user.feed("bulk", 1, None);
        fill(server, &user, feed, n - 1);
        let reader = sync_reader::Reader::new("ttrss", &user.login, &server.base);
        let first = sync(&reader);
        first.print(&format!("first sync, {} articles", n));
        let again = sync(&reader);
        again.print("a sync with nothing new");
        let store = reader.store();
        let unread: u32 = store.sources().unwrap().iter().map(|s| s.unread).sum();
        assert_eq!(unread as usize, n, "every article came, unread");
    }
}

/// `n` more unread articles of about 3 KB in feed `feed` of `user`, in one statement.
fn fill(server: &ttrss::Ttrss, user: &ttrss::User<'_>, feed: i64, n: usize) {
    let body = "<p>".to_owned() + &"Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(50) + "</p>";
    server.sql(&format!(
        "WITH e AS (
           INSERT INTO ttrss_entries (title, guid, link, updated, content, content_hash, date_entered, date_updated, author)
           SELECT 'bulk article ' || g, '{run}:' || g, 'http://example.org/bulk/' || g, now() - g * interval '1 minute',
                  '{body}', 'h' || g, now(), now(), 'Ana'
           FROM generate_series(1, {n}) g RETURNING id)
         INSERT INTO ttrss_user_entries (ref_id, uuid, feed_id, owner_uid, tag_cache, label_cache, unread)
         SELECT id, '', {feed}, (SELECT id FROM ttrss_users WHERE login = '{login}'), '', '', true FROM e",
        run = user.run,
        login = user.login,
    ));
}

struct Run {
    wall: Duration,
    cpu: Duration,
    peak_mib: f64,
}

impl Run {
    fn print(&self, what: &str) {
        println!(
            "{what}: {:.2} s ({:.2} s of CPU), peak RSS {:.0} MiB",
            self.wall.as_secs_f64(),
            self.cpu.as_secs_f64(),
            self.peak_mib
        );
    }
}

fn sync(reader: &sync_reader::Reader) -> Run {
    let started = Instant::now();
    let mut child = reader.command(&["sync"]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let (status, cpu, peak_kb) = common::watch(&mut child);
    assert!(status.success(), "kiosque sync failed");
    Run { wall: started.elapsed(), cpu, peak_mib: peak_kb / 1024.0 }
}
