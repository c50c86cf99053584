//! Driving a browser through the provider's login and consent pages and back to Trellis.

use crate::helpers::{Browser, Page, TestApp};
use std::sync::OnceLock;

use super::provider::*;

// ---------------------------------------------------------------------------------------------
// Driving a browser through the provider

/// What the person does at the provider.
#[derive(Clone, Copy)]
pub(super) enum AtProvider<'a> {
    /// Types this login (and any password) on the login page and consents.
    SignInAs(&'a str),
    /// Follows the login page's Cancel link.
    Cancel,
}

/// A trip to the provider and back.
pub(super) struct Trip {
    /// The provider's redirect back to Trellis, not yet visited.
    pub(super) callback: String,
    /// The provider's pages the person saw ("login", "consent").
    pub(super) prompts: Vec<String>,
}

/// Presses "Sign in with …" on Trellis's sign-in page and acts at the provider until it sends
/// the browser back to Trellis. The browser keeps one cookie jar for both servers, as a browser
/// does for one host (cookies are not port-scoped); the names do not clash.
pub(super) async fn to_provider_and_back(b: &mut Browser, act: AtProvider<'_>) -> Trip {
    to_provider_and_back_from(b, "/login", &[], act).await
}

/// As `to_provider_and_back`, pressing the button on `page` whose form carries `fields`
/// (an invitation page sends its token).
pub(super) async fn to_provider_and_back_from(
    b: &mut Browser,
    page: &str,
    fields: &[(&str, &str)],
    act: AtProvider<'_>,
) -> Trip {
    let start = b.submit(page, "/auth/oidc/start", fields).await;
    assert_eq!(start.status, 303, "start: {}", start.body);
    assert!(
        b.cookies.contains_key("trellis_oidc"),
        "the flow is bound to the browser"
    );
    let mut url = start.location.expect("start redirects");
    let authorize = url::Url::parse(&url).unwrap();
    let issuer = &authorize.origin().ascii_serialization();
    assert!(
        PROVIDERS
            .iter()
            .any(|p| p.get().is_some_and(|p| &p.issuer == issuer)),
        "sent to the test provider: {url}"
    );
    let query: Vec<(String, String)> = authorize.query_pairs().into_owned().collect();
    let param = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(param("response_type"), Some("code"));
    assert_eq!(param("code_challenge_method"), Some("S256"));
    assert!(param("nonce").is_some() && param("state").is_some());
    assert_eq!(param("scope"), Some("openid email profile"));

    let callback = format!("{}/auth/oidc/callback", b.base);
    let mut prompts = Vec::new();
    for _ in 0..12 {
        if url.starts_with(&callback) {
            return Trip {
                callback: url,
                prompts,
            };
        }
        assert!(
            url.starts_with(&format!("{issuer}/")),
            "left for somewhere else: {url}"
        );
        let page = provider_request(b, &url, None).await;
        if (300..400).contains(&page.status) {
            url = resolve(&url, page.location.as_deref().unwrap());
            continue;
        }
        assert_eq!(
            page.status,
            200,
            "provider at {url}: {}\n{}",
            page.body,
            provider_log()
        );
        let form = Form::first_in(&page.body)
            .unwrap_or_else(|| panic!("no form on the provider's page {url}:\n{}", page.body));
        let prompt = form.value("prompt").unwrap_or_default().to_string();
        prompts.push(prompt.clone());
        let mut fields = form.fields.clone();
        match (prompt.as_str(), act) {
            ("login", AtProvider::Cancel) => {
                url = resolve(&url, &cancel_link(&page.body).expect("a Cancel link"));
                continue;
            }
            ("login", AtProvider::SignInAs(login)) => {
                for (name, value) in &mut fields {
                    match name.as_str() {
                        "login" => *value = login.to_string(),
                        "password" => *value = "any password will do".to_string(),
                        _ => {}
                    }
                }
            }
            ("consent", _) => {}
            (other, _) => panic!("unexpected provider prompt {other:?} at {url}"),
        }
        let action = resolve(&url, &form.action);
        let res = provider_request(b, &action, Some((&url, &fields))).await;
        assert!(
            (300..400).contains(&res.status),
            "posting the {prompt} form: {} {}",
            res.status,
            res.body
        );
        url = resolve(&action, res.location.as_deref().unwrap());
    }
    panic!("the provider never sent the browser back to Trellis (last at {url})");
}

/// A GET (or, with a form, a POST from `from`) to the provider, with the browser's cookies.
pub(super) async fn provider_request(
    b: &mut Browser,
    url: &str,
    form: Option<(&str, &[(String, String)])>,
) -> Page {
    let cookie = b
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let req = match form {
        None => b.client.get(url),
        Some((from, fields)) => {
            let origin = url::Url::parse(url).unwrap().origin().ascii_serialization();
            b.client
                .post(url)
                .header("origin", origin)
                .header("sec-fetch-site", "same-origin")
                .header("referer", from)
                .form(fields)
        }
    };
    let res = req
        .header("accept", "text/html")
        .header("cookie", cookie)
        .send()
        .await
        .unwrap_or_else(|e| panic!("the OIDC provider at {url} did not answer: {e}"));
    for sc in res.headers().get_all(reqwest::header::SET_COOKIE) {
        let name = sc.to_str().unwrap().split('=').next().unwrap().trim();
        assert!(
            !name.starts_with("trellis_"),
            "provider cookie {name} would clash with Trellis's"
        );
    }
    b.receive(res).await
}

pub(super) fn provider_log() -> String {
    PROVIDERS
        .iter()
        .filter_map(OnceLock::get)
        .map(|p| format!("{} said:\n{}", p.issuer, p.log.lock().unwrap()))
        .collect()
}

pub(super) fn resolve(base: &str, location: &str) -> String {
    url::Url::parse(base)
        .unwrap()
        .join(location)
        .unwrap()
        .to_string()
}

/// The first HTML form on a page: its action and its inputs' names and values.
pub(super) struct Form {
    action: String,
    fields: Vec<(String, String)>,
}

impl Form {
    fn first_in(html: &str) -> Option<Form> {
        let start = html.find("<form")?;
        let end = start + html[start..].find("</form>")?;
        let form = &html[start..end];
        let open = &form[..form.find('>')?];
        let action = attr(open, "action")?;
        let fields = form
            .match_indices("<input")
            .filter_map(|(i, _)| {
                let tag = &form[i..i + form[i..].find('>')?];
                Some((attr(tag, "name")?, attr(tag, "value").unwrap_or_default()))
            })
            .collect();
        Some(Form { action, fields })
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

pub(super) fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let len = tag[at..].find('"')?;
    Some(unescape(&tag[at..at + len]))
}

pub(super) fn cancel_link(html: &str) -> Option<String> {
    let end = html.find("\">[ Cancel ]</a>")?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    Some(unescape(&html[start..end]))
}

pub(super) fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The whole sign-in: to the provider, back to Trellis's callback; returns the trip and
/// Trellis's answer to the callback.
pub(super) async fn sign_in_with_provider(b: &mut Browser, act: AtProvider<'_>) -> (Trip, Page) {
    let trip = to_provider_and_back(b, act).await;
    finish_trip(b, trip).await
}

/// Follows the provider's redirect back to Trellis.
pub(super) async fn finish_trip(b: &mut Browser, trip: Trip) -> (Trip, Page) {
    let answer = b.get(&trip.callback).await;
    assert!(
        !b.cookies.contains_key("trellis_oidc"),
        "the callback always ends the flow"
    );
    (trip, answer)
}

/// Asserts Trellis refused the sign-in with `code`, and returns the sign-in page shown.
pub(super) async fn assert_refused(b: &mut Browser, answer: &Page, code: &str) -> String {
    assert_eq!(answer.status, 303, "{}", answer.body);
    let location = answer.location.clone().unwrap();
    assert_eq!(location, format!("/login?oidc_error={code}"));
    assert!(b.session_cookie().is_none(), "no session after a refusal");
    let (at, page) = b.visit(&location).await;
    assert_eq!(at, location);
    assert_eq!(page.status, 200);
    page.body
}

pub(super) async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
}

pub(super) async fn audit(app: &TestApp) -> Vec<(String, Option<String>)> {
    app::audit::repo::latest(app.state.db.pool(), 1000)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.action, r.detail))
        .collect()
}
