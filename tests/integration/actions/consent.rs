//! A partner signs the practice's consent through the consent form, as a person does: the
//! test browser does it for every partner who signs in (`Browser::auto_consent`).

use crate::helpers::{Browser, Page};

impl Browser {
    /// After a response that started a new session: a partner asked to sign the practice's
    /// consent signs it through the consent form, when `auto_consent` is on.
    pub(crate) async fn after_sign_in(&mut self, before: Option<String>, page: Page) -> Page {
        let now = self.session_cookie();
        if self.auto_consent && now.is_some() && now != before {
            Box::pin(self.sign_consent_if_asked()).await;
        }
        page
    }

    /// Signs the current consent if the consent page offers this person its form (a partner
    /// who has not signed it); returns whether it did.
    pub async fn sign_consent_if_asked(&mut self) -> bool {
        let page = Box::pin(self.get("/consent")).await;
        if page.status != 200 || !page.body.contains("name=\"full_name\"") {
            return false;
        }
        let version = consent_version_on(&page.body);
        let name = self.consent_name.clone();
        let res = Box::pin(self.submit(
            "/consent",
            "/api/sign_consent",
            &[("version", &version), ("agree", "on"), ("full_name", &name)],
        ))
        .await;
        if res.location.as_deref() != Some("/?consented=1") {
            // Another tab of the same person may have signed a moment before: then the form
            // is refused as done, and the consent no longer asks.
            let again = Box::pin(self.get("/consent")).await;
            assert!(
                !again.body.contains("name=\"full_name\""),
                "the consent is signed: {} {:?} {}",
                res.status,
                res.location,
                res.body
            );
        }
        true
    }
}

/// The consent version a consent page's form signs (its hidden `version` field).
pub fn consent_version_on(body: &str) -> String {
    let at = body
        .find("name=\"version\"")
        .expect("the consent form names its version");
    let rest = &body[at..];
    let start = rest.find("value=\"").expect("a version value") + 7;
    let end = start + rest[start..].find('"').unwrap();
    rest[start..end].to_string()
}
