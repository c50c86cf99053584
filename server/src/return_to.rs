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

/// Leptos needs an absolute URL to add the error to; this stands in for the site and is
/// removed again from the redirect, so it never reaches the browser.
const STAND_IN: &str = "http://trellis.invalid";

pub async fn form_return(req: Request, next: Next) -> Response {
    let headers = req.headers();
    let accepts_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if req.method() != Method::POST
        || !req.uri().path().starts_with("/api/")
        || !accepts_html
        || !is_form
        || headers.contains_key(header::REFERER)
    {
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
        .and_then(|v| v.strip_prefix(STAND_IN))
        .and_then(|rest| HeaderValue::from_str(if rest.is_empty() { "/" } else { rest }).ok());
    if let Some(local) = local {
        res.headers_mut().insert(header::LOCATION, local);
    }
    res
}

/// The page if it is a path on this site, without the error a previous attempt left in its
/// query; otherwise nothing (the browser then goes to the home page).
fn local_page(page: &str) -> Option<String> {
    if !page.starts_with('/') || page.starts_with("//") || page.contains(['\\', '\r', '\n']) {
        return None;
    }
    let (path, query) = page.split_once('?').unwrap_or((page, ""));
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
    use super::local_page;

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
}
