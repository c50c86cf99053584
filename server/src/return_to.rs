//! The way back for forms posted without JavaScript.
//!
//! Leptos sends a browser that posted a form (it accepts HTML) back to the `Referer`, with
//! the error in the query when the server refused the form. Trellis pages are served with
//! `Referrer-Policy: no-referrer`, so browsers send no `Referer`; instead every form carries
//! the page it is on in a hidden field (`app::components::ReturnTo`). This middleware turns
//! that field into the `Referer` leptos reads, and turns the redirect leptos builds from it
//! back into a path on this site.

use app::components::RETURN_FIELD;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;
use url::Url;

/// Leptos needs an absolute URL to add the error to; this stands in for the site and is
/// removed again from the redirect, so it never reaches the browser.
const STAND_IN: &str = "http://trellis.invalid";

static SITE: LazyLock<Url> = LazyLock::new(|| Url::parse(STAND_IN).expect("the stand-in parses"));

/// Whether the request is a form a browser posted to a server function as a plain HTML
/// form (JavaScript off, or not yet loaded): it wants a page back, not data.
pub fn is_plain_form(req: &Request) -> bool {
    let headers = req.headers();
    let accepts_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    req.method() == Method::POST && req.uri().path().starts_with("/api/") && accepts_html && is_form
}

pub async fn form_return(req: Request, next: Next) -> Response {
    if !is_plain_form(&req) || req.headers().contains_key(header::REFERER) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    // The request body limit (applied outside this layer) bounds what is read here.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            "That form is too large to send. Shorten what you wrote and try again.",
        )
            .into_response();
    };
    // A way back that is not a page of this site is ignored: leptos then sends the browser
    // to the home page.
    let back = url::form_urlencoded::parse(&bytes)
        .find(|(key, _)| key == RETURN_FIELD)
        .and_then(|(_, page)| local_page(&page));
    if let Some(page) = back
        && let Ok(value) = HeaderValue::from_str(&format!("{STAND_IN}{page}"))
    {
        parts.headers.insert(header::REFERER, value);
    }
    let mut res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let local = res
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(back_on_site)
        .and_then(|path| HeaderValue::from_str(&path).ok());
    if let Some(local) = local {
        res.headers_mut().insert(header::LOCATION, local);
    }
    res
}

/// A redirect leptos built from the stand-in, as a path on this site (checked again, as
/// leptos parsed and rebuilt it); the home page if it no longer is one. `None` for any
/// other redirect (the server function's own, which are paths already).
fn back_on_site(location: &str) -> Option<String> {
    let url = Url::parse(location).ok()?;
    if url.origin() != SITE.origin() {
        return None;
    }
    Some(path_on_site(&url).unwrap_or_else(|| "/".into()))
}

/// The path and query of `url` if it is on this site and stays there however a browser
/// reads it again: the parsed form (tabs and newlines dropped, dot segments resolved,
/// backslashes read as slashes, the rest percent-encoded), never starting with `//`
/// (which a browser reads as another host).
fn path_on_site(url: &Url) -> Option<String> {
    let path = url.path();
    if url.origin() != SITE.origin()
        || !path.starts_with('/')
        || path.starts_with("//")
        || path.contains('\\')
    {
        return None;
    }
    Some(match url.query() {
        Some(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_string(),
    })
}

/// The page if it is a path on this site, without the error a previous attempt left in its
/// query; otherwise nothing. It is read as a browser reads an address (WHATWG URL parsing:
/// joined onto the site, so `/\t/x` or `/.//x` become `//x`) and must still be on the
/// site after that; what is kept is the parsed form, so nothing reads it differently later.
fn local_page(page: &str) -> Option<String> {
    if !page.starts_with('/') {
        return None;
    }
    let parsed = SITE.join(page).ok()?;
    let page = path_on_site(&parsed)?;
    let (path, query) = page.split_once('?').unwrap_or((&page, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            !pair.is_empty() && !pair.starts_with("__path=") && !pair.starts_with("__err=")
        })
        .collect();
    Some(if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    })
}

#[cfg(test)]
mod tests {
    use super::{SITE, back_on_site, local_page};

    #[test]
    fn only_paths_on_this_site_are_a_way_back() {
        assert_eq!(
            local_page("/cases/1?tab=notes").as_deref(),
            Some("/cases/1?tab=notes")
        );
        assert_eq!(
            local_page("/check-in?__path=%2Fapi%2Fx&__err=abc&week=2").as_deref(),
            Some("/check-in?week=2")
        );
        assert_eq!(local_page("/x?__err=abc").as_deref(), Some("/x"));
        for elsewhere in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil",
            "cases",
            "",
        ] {
            assert_eq!(local_page(elsewhere), None, "{elsewhere}");
        }
    }

    /// Ways back that a browser's URL parser (tabs and newlines dropped, dot segments
    /// resolved, backslashes read as slashes) would turn into `//evil.example`: another host.
    const BECOME_ANOTHER_HOST: &[&str] = &[
        "/\t/evil.example",
        "/\t\t/evil.example/x?y=1",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/.//evil.example",
        "/..//evil.example",
        "/./..//evil.example",
        "/x/..//evil.example",
        "/x/../..//evil.example",
        "/%2e//evil.example",
        "/%2E%2e//evil.example",
        "/.%2e//evil.example",
        "/.\t//evil.example",
        "/\\evil.example",
        "/\\/evil.example",
        "/\t\\evil.example",
        "\\\\evil.example",
        "///evil.example",
        "/\t//evil.example",
        " //evil.example",
        "\t//evil.example",
        "http://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "data:text/html,hi",
        "http://trellis.invalid/x",
    ];

    /// Odd, but a path on this site however it is read: kept, in its parsed form.
    const ODD_BUT_HERE: &[(&str, &str)] = &[
        ("/%2F/evil.example", "/%2F/evil.example"),
        ("/%2f%2fevil.example", "/%2f%2fevil.example"),
        ("/\u{b}/evil.example", "/%0B/evil.example"),
        ("/\u{c}/evil.example", "/%0C/evil.example"),
        ("/\u{3000}/evil.example", "/%E3%80%80/evil.example"),
        ("/\u{ff0f}evil.example", "/%EF%BC%8Fevil.example"),
        ("/\u{2215}evil.example", "/%E2%88%95evil.example"),
        ("/cases/../settings", "/settings"),
        ("/a b?c d", "/a%20b?c%20d"),
        ("/x#fragment", "/x"),
    ];

    /// What a browser makes of a `Location` on this site: still this site, and no `//`.
    fn stays_here(location: &str) -> bool {
        let read = SITE.join(location).unwrap();
        read.origin() == SITE.origin()
            && location.starts_with('/')
            && !location.starts_with("//")
            && !location.contains('\\')
            && read.path() == location.split('?').next().unwrap()
    }

    #[test]
    fn ways_back_that_a_browser_reads_as_another_host_are_refused() {
        for page in BECOME_ANOTHER_HOST {
            assert_eq!(local_page(page), None, "{page:?}");
        }
    }

    #[test]
    fn odd_ways_back_on_this_site_are_kept_in_their_parsed_form() {
        for (page, kept) in ODD_BUT_HERE {
            assert_eq!(local_page(page).as_deref(), Some(*kept), "{page:?}");
            assert!(stays_here(kept), "{kept:?}");
        }
    }

    #[test]
    fn the_redirect_leptos_builds_is_checked_again() {
        assert_eq!(
            back_on_site("http://trellis.invalid/x?__path=%2Fapi&__err=e").as_deref(),
            Some("/x?__path=%2Fapi&__err=e")
        );
        assert_eq!(back_on_site("http://trellis.invalid").as_deref(), Some("/"));
        for elsewhere in [
            "http://trellis.invalid//evil.example?__err=e",
            "http://trellis.invalid/\t/evil.example",
            "http://trellis.invalid/.//evil.example",
        ] {
            assert_eq!(back_on_site(elsewhere).as_deref(), Some("/"), "{elsewhere}");
        }
        // The server function's own redirects are paths already, and left alone.
        assert_eq!(back_on_site("/cases/1?saved=1"), None);
    }
}
