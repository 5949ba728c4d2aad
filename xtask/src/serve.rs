//! A small static file server for dist/, mountable under several URL prefixes.

use crate::site;
use crate::tools::{self, Need};
use crate::workspace::{Result, Workspace};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// Where `cargo xtask serve` listens: Ollama accepts this origin without configuration.
const ADDRESS: &str = "127.0.0.1:8080";

/// `cargo xtask serve`: tools, release build, then serve dist/ until interrupted.
pub fn command(ws: &Workspace) -> Result {
    tools::ensure(ws, Need::Site)?;
    site::build(ws)?;
    let listener =
        TcpListener::bind(ADDRESS).map_err(|e| format!("cannot listen on {ADDRESS}: {e}"))?;
    let site = Site::new(&ws.dist(), &["/"])?;
    println!("xtask: serving dist/ at http://{ADDRESS}/ (Ctrl-C stops)");
    site.serve(listener);
    Ok(())
}

/// A directory served under one or more URL prefixes (each starting and ending with `/`).
pub struct Site {
    root: PathBuf,
    mounts: Vec<String>,
}

impl Site {
    /// Serves `root` under each of `mounts`.
    pub fn new(root: &Path, mounts: &[&str]) -> Result<Site> {
        let root = root
            .canonicalize()
            .map_err(|e| format!("cannot serve {}: {e}", root.display()))?;
        let mut mounts: Vec<String> = mounts.iter().map(|m| m.to_string()).collect();
        // The longest prefix wins, so `/sub/dir/` is tried before `/`.
        mounts.sort_by_key(|m| std::cmp::Reverse(m.len()));
        Ok(Site { root, mounts })
    }

    /// Answers connections on `listener` forever, one thread per connection.
    pub fn serve(self, listener: TcpListener) {
        let site = Arc::new(self);
        for stream in listener.incoming().flatten() {
            let site = Arc::clone(&site);
            thread::spawn(move || site.answer(stream));
        }
    }

    fn answer(&self, stream: TcpStream) {
        // A client that vanishes mid-request is no concern of ours.
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let Ok(request) = read_request(&stream) else {
            return;
        };
        let (response, with_body) = match request {
            Some((method, target)) if method == "GET" || method == "HEAD" => {
                (self.respond(&target), method == "GET")
            }
            Some(_) => (Response::status(405, "Method Not Allowed"), true),
            None => (Response::status(400, "Bad Request"), true),
        };
        let _ = response.write(stream, with_body);
    }

    /// The response to a GET of `target` (a request target such as `/sub/dir/app.js?x=1`).
    fn respond(&self, target: &str) -> Response {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let query = if query.is_empty() {
            String::new()
        } else {
            format!("?{query}")
        };
        let Some(path) = percent_decode(path) else {
            return Response::status(400, "Bad Request");
        };
        if let Some(mount) = self
            .mounts
            .iter()
            .find(|m| m.strip_suffix('/') == Some(&path))
        {
            return Response::redirect(&format!("{mount}{query}"));
        }
        let Some(mount) = self.mounts.iter().find(|m| path.starts_with(m.as_str())) else {
            return Response::status(404, "Not Found");
        };
        let relative = &path[mount.len()..];
        let Some(file) = self.resolve(relative) else {
            return Response::status(404, "Not Found");
        };
        if file.is_dir() {
            return if relative.is_empty() || relative.ends_with('/') {
                Response::file(&file.join("index.html"))
            } else {
                Response::redirect(&format!("{path}/{query}"))
            };
        }
        Response::file(&file)
    }

    /// The file or directory that `relative` names inside the root, refusing any way out.
    fn resolve(&self, relative: &str) -> Option<PathBuf> {
        let mut file = self.root.clone();
        for segment in relative.split('/').filter(|s| !s.is_empty() && *s != ".") {
            if segment == ".." || segment.contains(['\\', '\0']) {
                return None;
            }
            file.push(segment);
        }
        // Symbolic links must not lead outside the root either.
        let file = file.canonicalize().ok()?;
        file.starts_with(&self.root).then_some(file)
    }
}

/// The method and target of the request line, after reading the whole header (at most
/// 16 KiB); `None` for a malformed request.
fn read_request(stream: &TcpStream) -> std::io::Result<Option<(String, String)>> {
    let mut reader = BufReader::new(stream.take(16 * 1024));
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut header = String::new();
    for _ in 0..100 {
        header.clear();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut words = request_line.split_whitespace();
    Ok(match (words.next(), words.next(), words.next()) {
        (Some(method), Some(target), Some(version))
            if target.starts_with('/') && version.starts_with("HTTP/1.") =>
        {
            Some((method.to_owned(), target.to_owned()))
        }
        _ => None,
    })
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the result is not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// The `Content-Type` for a file, by extension.
fn content_type(file: &Path) -> &'static str {
    match file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// An HTTP/1.1 response; the connection closes after it.
struct Response {
    code: u16,
    reason: &'static str,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn file(file: &Path) -> Response {
        match fs::read(file) {
            Ok(body) => Response {
                code: 200,
                reason: "OK",
                headers: vec![("Content-Type", content_type(file).into())],
                body,
            },
            Err(_) => Response::status(404, "Not Found"),
        }
    }

    fn status(code: u16, reason: &'static str) -> Response {
        let body = format!("{code} {reason}\n").into_bytes();
        let headers = vec![("Content-Type", "text/plain; charset=utf-8".into())];
        Response {
            code,
            reason,
            headers,
            body,
        }
    }

    fn redirect(location: &str) -> Response {
        let mut response = Response::status(301, "Moved Permanently");
        response.headers.push(("Location", location.to_owned()));
        response
    }

    /// Sends the response; a response to HEAD has `with_body` false and keeps its length.
    fn write(self, mut stream: TcpStream, with_body: bool) -> std::io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.code, self.reason);
        for (name, value) in &self.headers {
            head += &format!("{name}: {value}\r\n");
        }
        head += &format!(
            "Content-Length: {}\r\nCache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
            self.body.len()
        );
        stream.write_all(head.as_bytes())?;
        if with_body {
            stream.write_all(&self.body)?;
        }
        stream.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site over a directory of target/ holding `index.html`, `app.wasm` and
    /// `sub/index.html`, mounted at `/` and `/sub/dir/`.
    fn site(name: &str) -> Site {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/xtask-serve-tests")
            .join(name);
        fs::create_dir_all(root.join("sub")).unwrap();
        fs::write(root.join("index.html"), "<p>home</p>").unwrap();
        fs::write(root.join("app.wasm"), b"\0asm").unwrap();
        fs::write(root.join("sub/index.html"), "<p>sub</p>").unwrap();
        Site::new(&root, &["/", "/sub/dir/"]).unwrap()
    }

    fn check(site: &Site, target: &str, code: u16, expect: &str) {
        let response = site.respond(target);
        assert_eq!(response.code, code, "{target}");
        let text = match code {
            200 => String::from_utf8_lossy(&response.body).into_owned(),
            _ => response
                .headers
                .iter()
                .map(|(n, v)| format!("{n}: {v}"))
                .collect::<Vec<_>>()
                .join("\n"),
        };
        assert!(text.contains(expect), "{target}: {text:?} lacks {expect:?}");
    }

    #[test]
    fn serves_files_under_every_mount() {
        let site = site("mounts");
        check(&site, "/", 200, "home");
        check(&site, "/index.html?v=1&rpd=5", 200, "home");
        check(&site, "/sub/dir/", 200, "home");
        check(&site, "/sub/dir/app.wasm", 200, "asm");
        check(&site, "/sub/", 200, "sub");
        check(&site, "/%73ub/", 200, "sub");
    }

    #[test]
    fn redirects_directories_to_their_slash() {
        let site = site("redirects");
        check(&site, "/sub/dir", 301, "Location: /sub/dir/");
        check(
            &site,
            "/sub/dir?v=1&rpd=5",
            301,
            "Location: /sub/dir/?v=1&rpd=5",
        );
        check(&site, "/sub", 301, "Location: /sub/");
    }

    #[test]
    fn refuses_to_leave_the_root() {
        let site = site("traversal");
        check(&site, "/../Cargo.toml", 404, "text/plain");
        check(&site, "/sub/dir/../../etc/passwd", 404, "text/plain");
        check(&site, "/%2e%2e/%2e%2e/etc/passwd", 404, "text/plain");
        check(&site, "/..%5c..%5cetc/passwd", 404, "text/plain");
        check(&site, "/missing.js", 404, "text/plain");
        check(&site, "/%zz", 400, "text/plain");
    }

    #[test]
    fn names_the_content_types_browsers_check() {
        let site = site("types");
        check(&site, "/app.wasm", 200, "asm");
        assert_eq!(site.respond("/app.wasm").headers[0].1, "application/wasm");
        for (file, expect) in [
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.html", "text/html; charset=utf-8"),
            ("a.svg", "image/svg+xml"),
            ("a.png", "image/png"),
            ("a.json", "application/json"),
            ("a.bin", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(file)), expect);
        }
    }
}
