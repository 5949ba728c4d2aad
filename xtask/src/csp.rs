//! The Content-Security-Policy the built page carries, written into dist/index.html as a
//! `<meta http-equiv>` with the hash of each inline script Trunk leaves there.

use crate::workspace::Result;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The policy, given the `'sha256-…'` sources of the page's inline scripts: scripts only from
/// the page's own origin (the wasm compiled under `'wasm-unsafe-eval'`) and those hashes;
/// styles only from its stylesheet; requests to the page's origin and to any http(s) endpoint
/// a user types for the measurement; no plugins, no `<base>`, no form posts.
pub fn policy(script_hashes: &[String]) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; \
         img-src 'self'; connect-src 'self' http: https:; object-src 'none'; base-uri 'none'; \
         form-action 'none'",
        script_hashes.join(" ")
    )
}

/// `html` with the policy for its inline scripts as the first element after its
/// `<meta charset>`. Refuses a page with an inline style or an inline script it cannot read,
/// since the policy would block them.
pub fn with_policy(html: &str) -> Result<String> {
    if html.contains("http-equiv=Content-Security-Policy")
        || html.contains("http-equiv=\"Content-Security-Policy\"")
    {
        return Err("index.html already has a Content-Security-Policy".into());
    }
    if html.contains("<style") || html.contains(" style=") {
        return Err("index.html has an inline style, which the policy refuses".into());
    }
    let hashes = inline_scripts(html)?
        .into_iter()
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect::<Vec<_>>();
    let charset = html
        .find("<meta charset")
        .and_then(|at| html[at..].find('>').map(|end| at + end + 1))
        .ok_or("index.html has no <meta charset>")?;
    Ok(format!(
        "{}<meta http-equiv=Content-Security-Policy content=\"{}\">{}",
        &html[..charset],
        policy(&hashes),
        &html[charset..]
    ))
}

/// The text of every `<script>` without a `src`.
fn inline_scripts(html: &str) -> Result<Vec<&str>> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let tag_end = rest[at..]
            .find('>')
            .map(|end| at + end)
            .ok_or("index.html has an unclosed <script> tag")?;
        let close = rest[tag_end..]
            .find("</script>")
            .map(|end| tag_end + end)
            .ok_or("index.html has a <script> without </script>")?;
        if !rest[at..tag_end].contains(" src=") {
            scripts.push(&rest[tag_end + 1..close]);
        }
        rest = &rest[close + "</script>".len()..];
    }
    Ok(scripts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str, expected: std::result::Result<&str, &str>) {
        assert_eq!(
            with_policy(html).as_deref(),
            expected.map_err(str::to_owned).as_deref()
        );
    }

    #[test]
    fn hashes_each_inline_script_and_leaves_external_ones() {
        // printf 'alert(1)' | openssl dgst -sha256 -binary | base64
        let hash = "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='";
        check(
            "<!doctype html><meta charset=utf-8><title>t</title><script type=module>alert(1)</script><script src=a.js></script>",
            Ok(&format!(
                "<!doctype html><meta charset=utf-8><meta http-equiv=Content-Security-Policy content=\"{}\"><title>t</title><script type=module>alert(1)</script><script src=a.js></script>",
                policy(&[hash.to_owned()])
            )),
        );
    }

    #[test]
    fn refuses_what_the_policy_would_block() {
        check(
            "<meta charset=utf-8><p style=\"color:red\">",
            Err("index.html has an inline style, which the policy refuses"),
        );
        check("<title>t</title>", Err("index.html has no <meta charset>"));
        check(
            "<meta charset=utf-8><script>x",
            Err("index.html has a <script> without </script>"),
        );
    }

    #[test]
    fn the_policy_keeps_measurement_open_and_plugins_shut() {
        let p = policy(&[]);
        for directive in [
            "script-src 'self' 'wasm-unsafe-eval'",
            "connect-src 'self' http: https:",
            "object-src 'none'",
            "base-uri 'none'",
        ] {
            assert!(p.contains(directive), "{directive} in {p}");
        }
        assert!(!p.contains("unsafe-inline"), "{p}");
    }
}
