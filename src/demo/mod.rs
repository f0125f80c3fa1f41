//! The sample news site, served on 127.0.0.1: what `kiosque --demo` opens and what the
//! tests browse. It behaves like a small WordPress webzine (menu, REST API, feeds, article
//! pages with the usual clutter) built from `demo/site.toml`, so anyone can try kiosque
//! without network and the tests exercise the same code paths as a real site.
//!
//! The server is a few lines over tokio's TCP listener: one request per connection,
//! GET only, answers from `site::respond`, which is pure.

mod site;

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub use site::{Options, Response, Site};

/// A running sample site; dropping it stops the server.
pub struct DemoServer {
    /// The site's address: the host's root, or the path it is installed under.
    pub url: String,
    /// The host's root, `http://127.0.0.1:port`.
    pub origin: String,
    task: JoinHandle<()>,
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the sample site on a free port of 127.0.0.1, on the current tokio runtime.
pub async fn serve(options: Options) -> std::io::Result<DemoServer> {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let origin = format!("http://{}", listener.local_addr()?);
    let url = format!("{origin}{}", options.prefix);
    let site = std::sync::Arc::new(Site::new(&url, options));
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let site = std::sync::Arc::clone(&site);
            tokio::spawn(async move {
                if let Err(e) = answer(stream, &site).await {
                    tracing::debug!("demo site: {e}");
                }
            });
        }
    });
    Ok(DemoServer { url, origin, task })
}

/// Requests are small: a head larger than this is refused.
const MAX_HEAD: usize = 16 * 1024;

async fn answer(mut stream: TcpStream, site: &Site) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buffer).await?;
        if n == 0 || head.len() > MAX_HEAD {
            return Ok(());
        }
        head.extend_from_slice(&buffer[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    let response = match (words.next(), words.next()) {
        (Some("GET"), Some(target)) => {
            tokio::time::sleep(site.delay(target)).await;
            site.respond(target)
        }
        _ => Response::status(405, "GET only"),
    };
    let mut out = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    for (name, value) in &response.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes()).await?;
    stream.write_all(response.body.as_bytes()).await?;
    stream.shutdown().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        _ => "Other",
    }
}
