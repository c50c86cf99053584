//! Everyone joins the practice the way people do: the administrator invites the counselors,
//! counselors open cases and invite partners, and each person accepts their own link. Riley
//! joins a second couple with the account they already have.

use super::{World, user_id};
use crate::helpers::{Browser, PASSWORD};
use crate::privacy::model::Actor::{self, *};
use app::auth::Role;

/// The address Pat's sign-ins come from, as the proxy reports it (an audit-entry marker).
pub const PAT_ADDRESS: &str = "203.0.113.77";

/// The token at the end of an invitation link (a server function's JSON answer).
pub fn token_of(body: &str) -> String {
    let link: String = serde_json::from_str(body).unwrap_or_else(|_| panic!("a link: {body}"));
    link.rsplit('/').next().unwrap().to_string()
}

impl World<'_> {
    /// Accepts an invitation in `b` as a person new to Trellis, who chooses a password.
    pub async fn accept_new(&self, b: &mut Browser, token: &str, name: &str) {
        let res = b
            .submit(
                &format!("/invite/{token}"),
                "/api/accept_invitation",
                &[
                    ("token", token),
                    ("display_name", name),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some("/?welcome=1"),
            "{name} accepts: {} {}",
            res.status,
            res.body
        );
    }

    /// Accepts an invitation with the password of the account the person already has.
    pub async fn accept_existing(&self, b: &mut Browser, token: &str) {
        let res = b
            .submit(
                &format!("/invite/{token}"),
                "/api/accept_invitation_with_account",
                &[("token", token), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            res.location.as_deref(),
            Some("/?welcome=1"),
            "accepts with an existing account: {} {}",
            res.status,
            res.body
        );
    }

    async fn invite_counselor(&mut self, actor: Actor, name: &str) {
        let email = actor.email().unwrap();
        let res = self
            .ok(
                Admin,
                "invite_counselor",
                &[("display_name", name), ("email", email)],
            )
            .await;
        let token = token_of(&res.body);
        self.sets.entry("tokens").or_default().push(token.clone());
        let mut b = self.app.browser();
        self.accept_new(&mut b, &token, name).await;
        self.browsers.insert(actor, b);
    }

    /// Invites partner `position` of `couple` (as `counselor`) and returns the link's token.
    pub async fn invite_partner(
        &mut self,
        counselor: Actor,
        couple: &str,
        position: &str,
    ) -> String {
        let res = self
            .ok(
                counselor,
                "invite_partner",
                &[("couple_id", couple), ("position", position)],
            )
            .await;
        let token = token_of(&res.body);
        self.sets.entry("tokens").or_default().push(token.clone());
        token
    }

    async fn partner_joins(
        &mut self,
        actor: Actor,
        counselor: Actor,
        couple: &str,
        position: &str,
        name: &str,
    ) {
        let token = self.invite_partner(counselor, couple, position).await;
        let mut b = self.app.browser();
        if actor == PartnerA {
            b.consent_name = super::consent::JORDAN_SIGNS_AS.into();
        }
        if actor == OtherPartner {
            b.forwarded_for = Some(PAT_ADDRESS.to_string());
            // Pat signs the consent later, from another address: the address Pat signed in
            // from is the audit entry's marker, which only the administrator reads.
            b.auto_consent = false;
        }
        self.accept_new(&mut b, &token, name).await;
        if actor == OtherPartner {
            b.forwarded_for = Some("198.51.100.20".into());
            assert!(b.sign_consent_if_asked().await, "Pat signs the consent");
            b.forwarded_for = Some(PAT_ADDRESS.to_string());
            b.auto_consent = true;
        }
        self.browsers.insert(actor, b);
    }

    async fn open_case(&mut self, counselor: Actor, fields: &[(&str, &str)]) -> String {
        let to = self.form(counselor, "create_couple", fields).await;
        to.strip_prefix("/cases/")
            .and_then(|rest| rest.strip_suffix("/partners"))
            .unwrap_or_else(|| panic!("to the new case's partners, not {to}"))
            .to_string()
    }

    pub(super) async fn join_everyone(&mut self) {
        let app = self.app;
        app.create_user(Role::Admin, "Morgan Admin", Admin.email().unwrap())
            .await;
        // An account with no couple, for the sign-in row.
        app.create_user(Role::Partner, "Spare", "spare@example.org")
            .await;
        let admin = self.fresh_browser(Admin).await;
        self.browsers.insert(Admin, admin);
        self.publish_practice_consent().await;
        for (actor, name) in [
            (Counselor, "Robin Hale"),
            (FormerCounselor, "Lee Park"),
            (OtherCounselor, "Dana Ortiz"),
            (Supervisor, "Sky Chen"),
        ] {
            self.invite_counselor(actor, name).await;
        }
        for (name, email) in [
            ("robin_id", "robin@example.org"),
            ("lee_id", "lee@example.org"),
            ("dana_id", "dana@example.org"),
            ("sky_id", "sky@example.org"),
        ] {
            self.ids.insert(name, user_id(app, email).await);
        }
        let (sky, robin) = (self.ids["sky_id"].clone(), self.ids["robin_id"].clone());
        self.ok(
            Admin,
            "set_supervision",
            &[
                ("supervisor_id", sky.as_str()),
                ("supervisee_id", robin.as_str()),
                ("on", "on"),
            ],
        )
        .await;

        // The couple, opened by Lee (it moves to Robin later).
        let couple = self
            .open_case(
                FormerCounselor,
                &[
                    ("couple[case_name]", "Jordan & Casey"),
                    ("couple[partner1_name]", "Jordan Lee"),
                    ("couple[partner1_email]", "jordan@example.org"),
                    ("couple[partner1_role]", "broke_trust"),
                    ("couple[partner2_name]", "Casey Lee"),
                    ("couple[partner2_email]", "casey@example.org"),
                    ("couple[partner2_role]", "hurt"),
                    ("couple[rupture_date]", "2026-05-01"),
                    (
                        "couple[presenting_concerns]",
                        "Affair disclosed in May. ZCONCERNS9Q",
                    ),
                    ("couple[intake_notes]", "Both came willingly. ZINTAKE9Q"),
                ],
            )
            .await;
        self.partner_joins(PartnerA, FormerCounselor, &couple, "1", "Jordan Lee")
            .await;
        self.partner_joins(PartnerB, FormerCounselor, &couple, "2", "Casey Lee")
            .await;
        self.ids.insert("couple", couple);
        self.ids
            .insert("jordan_id", user_id(app, "jordan@example.org").await);

        // Pat & Riley, Dana's case.
        let other = self
            .open_case(
                OtherCounselor,
                &[
                    ("couple[case_name]", "Pat & Riley ZCASEOTHER9Q"),
                    ("couple[partner1_name]", "Pat ZNAMEPAT9Q"),
                    ("couple[partner1_email]", "pat@example.org"),
                    ("couple[partner2_name]", "Riley Moss"),
                    ("couple[partner2_email]", "riley@example.org"),
                    ("couple[presenting_concerns]", "Trust after a long affair."),
                ],
            )
            .await;
        self.partner_joins(OtherPartner, OtherCounselor, &other, "1", "Pat ZNAMEPAT9Q")
            .await;
        self.partner_joins(DualPartner, OtherCounselor, &other, "2", "Riley Moss")
            .await;
        self.ids.insert("other_couple", other);
        self.ids
            .insert("pat_id", user_id(app, "pat@example.org").await);

        // Riley & Quinn, Robin's case: Riley joins with the account they already have; Quinn's
        // link stays open.
        let second = self
            .open_case(
                Counselor,
                &[
                    ("couple[case_name]", "Riley & Quinn"),
                    ("couple[partner1_name]", "Riley Moss"),
                    ("couple[partner1_email]", "riley@example.org"),
                    ("couple[partner2_name]", "Quinn Ash"),
                    ("couple[partner2_email]", "quinn@example.org"),
                ],
            )
            .await;
        let token = self.invite_partner(Counselor, &second, "1").await;
        let mut riley = self.browsers.remove(&DualPartner).unwrap();
        self.accept_existing(&mut riley, &token).await;
        self.browsers.insert(DualPartner, riley);
        let quinn = self.invite_partner(Counselor, &second, "2").await;
        self.ids.insert("quinn_token", quinn);
        self.ids.insert("second_couple", second);

        // A case with nobody in it yet, for calls that need a couple of their own.
        let spare = self
            .open_case(
                Counselor,
                &[
                    ("couple[case_name]", "Spare & Case"),
                    ("couple[partner1_name]", "Spare One"),
                    ("couple[partner1_email]", "spare1@example.org"),
                    ("couple[partner2_name]", "Spare Two"),
                    ("couple[partner2_email]", "spare2@example.org"),
                ],
            )
            .await;
        self.ids.insert("spare_couple", spare);
    }

    /// The administrator moves the couple from Lee to Robin.
    pub(super) async fn move_case_to_robin(&mut self) {
        let couple = self.ids["couple"].clone();
        let robin = self.ids["robin_id"].clone();
        self.ok(
            Admin,
            "reassign_couple",
            &[
                ("couple_id", couple.as_str()),
                ("counselor_id", robin.as_str()),
            ],
        )
        .await;
    }

    /// Holding an invitation link made for someone else's address, a counselor signs in at
    /// the single sign-on provider as themselves (and a stranger as someone else) to accept
    /// it. Trellis must refuse: whatever those browsers are shown afterwards, the counselor
    /// (or anyone not signed in) saw. Once, an existing account was simply taken over.
    pub async fn try_to_take_over_accounts(&mut self) {
        for (actor, login) in [
            (Counselor, "robin@example.org"),
            (Anonymous, "stranger@example.org"),
        ] {
            let case = self
                .open_case(
                    Counselor,
                    &[
                        ("couple[case_name]", &format!("Takeover by {login}")),
                        ("couple[partner1_name]", "Someone"),
                        ("couple[partner1_email]", "pat@example.org"),
                        ("couple[partner2_name]", "Another"),
                        ("couple[partner2_email]", "another@example.org"),
                    ],
                )
                .await;
            let token = self.invite_partner(Counselor, &case, "1").await;
            let (b, at, _) = crate::oidc::accept_invitation_with_sso(self.app, &token, login).await;
            let how =
                format!("{login} accepting Pat's invitation by single sign-on, landed on {at}");
            self.extra.push((actor, how, b));
        }
    }
}
