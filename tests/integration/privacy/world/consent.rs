//! Consent (issue 15, part 2): the administrator publishes the practice's own consent before
//! anyone joins, and every partner signs it on joining, through the consent form (the
//! test browser does that for every partner who signs in; see `Browser::auto_consent`).
//! Jordan types their name with a marker.

use super::{World, column, scalar};
use crate::privacy::model::Actor::*;

/// The practice's consent in the world: what every partner signs (version 2; Trellis's
/// default was version 1, made when the administrator first opened the page).
pub const PRACTICE_CONSENT: &str =
    "Consent of the test practice\nWhat you write, your counselor reads.";

/// What Jordan types as their signature.
pub const JORDAN_SIGNS_AS: &str = "Jordan Lee ZCONSENTSIG9Q";

impl World<'_> {
    /// The administrator opens the consent page (the default becomes version 1) and
    /// publishes the practice's own text as version 2.
    pub(super) async fn publish_practice_consent(&mut self) {
        let page = self.browser(Admin).get("/admin/consent").await;
        assert_eq!(
            page.status, 200,
            "the consent page opens for the administrator"
        );
        self.form(Admin, "publish_consent", &[("body", PRACTICE_CONSENT)])
            .await;
        self.ids.insert("consent_version", "2".into());
    }

    /// After the administrator published a new version: every partner signs it, through the
    /// form, as they would at their next page.
    pub async fn sign_again(&mut self) {
        for actor in [PartnerA, PartnerB, OtherPartner, DualPartner] {
            self.browser(actor).sign_consent_if_asked().await;
        }
    }

    /// Every signature (for reading each record as everyone) and Jordan's.
    pub(super) async fn consent_fixtures(&mut self) {
        let jordan = self.ids["jordan_id"].clone();
        let id = scalar(
            self.app,
            "select consent_signature_id from consent_signature where app_user_id = $1",
            &jordan,
        )
        .await;
        self.ids.insert("consent_a", id);
        let all = column(
            self.app,
            "select consent_signature_id from consent_signature order by signed_at",
            None,
        )
        .await;
        assert!(all.len() >= 4, "every partner signed the consent");
        self.sets.insert("consent_records", all);
    }
}
