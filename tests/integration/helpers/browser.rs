//! A browser-like client for the tests: cookies kept the way a browser keeps them, forms
//! posted the way a same-origin form posts them, and the answer read as a `Page`.

use std::collections::BTreeMap;

/// A browser-like client: keeps cookies (honouring removal), never follows redirects on
/// its own, and sends the headers a same-origin form submission carries.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub cookies: BTreeMap<String, String>,
    /// Sent as `X-Forwarded-For` (the address a proxy saw), when set.
    pub forwarded_for: Option<String>,
    /// Whether a partner signing in here signs the practice's consent at once, through its
    /// form (off for the tests of the consent gate); `consent_name` is the name they type.
    pub auto_consent: bool,
    pub consent_name: String,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Browser {
            // A server that stops answering fails the test instead of hanging the run.
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(20))
                .build()
                .unwrap(),
            base: base.to_string(),
            cookies: BTreeMap::new(),
            forwarded_for: None,
            auto_consent: true,
            consent_name: "Test Partner".into(),
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.base, path)
        }
    }

    /// A request with this browser's cookies (and forwarded address).
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let req = self
            .client
            .request(method, self.url(path))
            .header("cookie", self.cookie_header());
        match &self.forwarded_for {
            Some(ip) => req.header("x-forwarded-for", ip),
            None => req,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Takes a response as a browser does: stores and removes cookies, reads the page.
    pub async fn receive(&mut self, res: reqwest::Response) -> Page {
        for sc in res.headers().get_all(reqwest::header::SET_COOKIE) {
            let sc = sc.to_str().unwrap();
            let (pair, attrs) = sc.split_once(';').unwrap_or((sc, ""));
            let (name, value) = pair.split_once('=').unwrap();
            let attrs = attrs.to_ascii_lowercase();
            if value.is_empty()
                || attrs.contains("max-age=0")
                || attrs.contains("expires=thu, 01 jan 1970")
            {
                self.cookies.remove(name.trim());
            } else {
                self.cookies
                    .insert(name.trim().to_string(), value.trim().to_string());
            }
        }
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get(reqwest::header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let headers = res.headers().clone();
        let body = res.text().await.unwrap_or_default();
        Page {
            status,
            location,
            headers,
            body,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let before = self.session_cookie();
        let res = self
            .request(reqwest::Method::GET, path)
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        let page = self.receive(res).await;
        self.after_sign_in(before, page).await
    }

    /// Follows redirects (as a browser would) until a page answers.
    pub async fn visit(&mut self, path: &str) -> (String, Page) {
        let mut at = path.to_string();
        for _ in 0..10 {
            let page = self.get(&at).await;
            match page.location.clone() {
                Some(next) if (300..400).contains(&page.status) => {
                    at = next.strip_prefix(&self.base).unwrap_or(&next).to_string();
                }
                _ => return (at, page),
            }
        }
        panic!("too many redirects from {path}");
    }

    /// A plain HTML form submission from `from_page`, as a browser sends it with JS off:
    /// no `Referer` (pages say `no-referrer`); the form's hidden field says where it was.
    pub async fn submit(&mut self, from_page: &str, action: &str, form: &[(&str, &str)]) -> Page {
        let mut fields = form.to_vec();
        fields.push(("return_to", from_page));
        let before = self.session_cookie();
        let res = self
            .request(reqwest::Method::POST, action)
            .header("accept", "text/html")
            .header("origin", &self.base)
            .header("sec-fetch-site", "same-origin")
            .form(&fields)
            .send()
            .await
            .unwrap();
        let page = self.receive(res).await;
        self.after_sign_in(before, page).await
    }

    /// A server-function call as a non-browser client makes it (no text/html, no Origin).
    pub async fn call(&mut self, action: &str, form: &[(&str, &str)]) -> Page {
        let before = self.session_cookie();
        let res = self
            .request(reqwest::Method::POST, action)
            .form(form)
            .send()
            .await
            .unwrap();
        let page = self.receive(res).await;
        self.after_sign_in(before, page).await
    }

    /// Signs in through the sign-in form; returns the response to the form post.
    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/api/sign_in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.cookies
            .get(app::auth::session::SESSION_COOKIE)
            .cloned()
    }
}
