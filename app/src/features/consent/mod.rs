//! Informed consent: the practice's consent document (versioned; every published version kept
//! as it was), and each partner's electronic signature of one exact version, which opens the
//! rest of Trellis to them. A new version asks every partner again.

pub mod api;
#[cfg(feature = "ssr")]
pub mod repo;
pub mod ui;

use serde::{Deserialize, Serialize};

/// Where a partner reads and signs the consent.
pub const PAGE: &str = "/consent";
/// Where an administrator edits it.
pub const ADMIN_PAGE: &str = "/admin/consent";

/// Server functions a partner who has not signed the current consent may still call
/// (besides the consent page, crisis help and invitation links).
pub const ALLOWED_WHILE_CONSENTING: [&str; 7] = [
    "/api/read_consent",
    "/api/sign_consent",
    "/api/sign_out",
    "/api/current_user",
    "/api/crisis_help",
    "/api/accept_invitation",
    "/api/accept_invitation_with_account",
];

/// The longest consent document (characters): several pages, never a book.
pub const MAX_BODY: usize = 20_000;
/// The longest typed name.
pub const MAX_NAME: usize = 120;

/// One published version of the consent, as a reader sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentVersion {
    pub version: i64,
    pub body: String,
    /// SHA-256 (hex) of `body` exactly as published.
    pub sha256: String,
    /// When it was published ("3 Dec 2026").
    pub published: String,
}

/// The consent page: the current version and where the reader stands with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentToSign {
    pub current: ConsentVersion,
    /// Whether this reader is a partner (only partners sign).
    pub is_partner: bool,
    /// The reader's latest signature: (version, when, record id).
    pub signed: Option<(i64, String, String)>,
}

/// For the administrator's page: the current version and the earlier ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentSettings {
    pub current: ConsentVersion,
    /// Whether the current version is the default Trellis ships (nobody has published yet).
    pub is_default: bool,
    /// Every version, newest first: (version, published, by whom).
    pub history: Vec<(i64, String, String)>,
}

/// One partner's consent, as their counselor sees it on the case page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentStatus {
    pub partner_name: String,
    /// Their latest signature: version, date, record id.
    pub signed: Option<(i64, String, String)>,
    /// The practice's current version (a signature of an older one asks again).
    pub current_version: i64,
    /// Whether the partner has joined (an account); nobody signs before joining.
    pub joined: bool,
}

impl ConsentStatus {
    /// "Jordan signed version 2 on 3 Dec 2026", or what is still missing.
    pub fn sentence(&self) -> String {
        match &self.signed {
            Some((v, on, _)) if *v == self.current_version => {
                format!("{} signed version {v} on {on}", self.partner_name)
            }
            Some((v, on, _)) => format!(
                "{} signed version {v} on {on}; version {} is waiting for their signature",
                self.partner_name, self.current_version
            ),
            None if !self.joined => format!("{} has not joined yet", self.partner_name),
            None => format!("{} has not signed yet", self.partner_name),
        }
    }
}

/// A signature, as its printable record shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureRecord {
    pub signer_account_name: String,
    pub typed_name: String,
    /// When it was signed, in UTC ("2026-12-03 09:41:07 UTC").
    pub signed_at: String,
    pub ip: Option<String>,
    pub version: i64,
    pub sha256: String,
    /// The full text signed.
    pub body: String,
}

/// The default consent: plain and careful, for couples counselling, naming no country's
/// laws or numbers. `retention_years` is the practice's setting when the text is first used.
pub fn default_text(retention_years: u32) -> String {
    format!(
        "Consent for couples counselling with this practice

Please read this before you start. It explains what happens to what you write here, who can see it, and what we ask of you. It is not legal advice. If anything is unclear, ask your counselor before you sign.

What your counselor sees
Your counselor sees everything each of you submits in Trellis: homework answers, check-ins (including the safety question), agreements and anything you send them. Drafts you have not sent stay with you until you send them.

What your partner sees, and how you choose
Your partner never sees your check-ins, your safety answers or your intake answers. For each homework answer you decide, when you send it, whether it goes to your counselor only or is also shared with your partner. You can change that choice later for your latest version.

Secrets between sessions
In couples counselling, the couple is the client. Your counselor will not keep secrets that affect the relationship from your partner indefinitely. If you tell your counselor something privately that your partner does not know and that bears on your work together, your counselor may encourage and help you to share it yourself, in a session, within a reasonable time. Your counselor will not pass on what you write in private answers to your partner without talking with you first, unless the law or someone's safety requires it.

Limits of confidentiality
What you share is confidential, with the exceptions the law where you live sets. Those usually include a serious risk of harm to you or to someone else, the abuse of a child or of a vulnerable adult, and a court order. Your counselor can explain the rules that apply to you.

How long records are kept
The practice keeps the records of your counselling for at least {retention_years} years after your case closes, and longer where the law requires it. At any time you can download a copy of everything you can see in Trellis, from your check-in page.

Electronic communication
Trellis protects your records with encryption in transit, individual sign-in and an audit of who opened what. No electronic system is risk-free. Someone who can use your device or your email may see that you use Trellis. Use a device and an email address that only you can open, sign out when you finish, and use \u{201c}Quick exit\u{201d} if someone might see your screen.

Emergencies
Trellis and its messages are not watched around the clock and are not for emergencies. If you or anyone else is in danger, call your local emergency number. The \u{201c}Get help now\u{201d} page (/help), linked at the top of every page, lists services that can help right away.

Your choice
Taking part is your choice. You can stop at any time by telling your counselor. Signing below says that you have read this, that you had the chance to ask questions, and that you agree to counselling on these terms."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_covers_what_a_partner_needs_to_know_and_names_no_country_number() {
        let text = default_text(7);
        for topic in [
            "What your counselor sees",
            "What your partner sees",
            "Secrets between sessions",
            "How long records are kept",
            "Electronic communication",
            "Emergencies",
            "/help",
            "7 years",
        ] {
            assert!(text.contains(topic), "{topic}");
        }
        for number in ["911", "999", "112", "000", "988"] {
            assert!(!text.contains(number), "{number}");
        }
    }

    #[test]
    fn a_status_says_who_signed_what_and_who_has_not() {
        let mut s = ConsentStatus {
            partner_name: "Jordan".into(),
            signed: Some((2, "3 Dec 2026".into(), "r".into())),
            current_version: 2,
            joined: true,
        };
        assert_eq!(s.sentence(), "Jordan signed version 2 on 3 Dec 2026");
        s.current_version = 3;
        assert!(s.sentence().contains("version 3 is waiting"));
        s.signed = None;
        assert_eq!(s.sentence(), "Jordan has not signed yet");
    }
}
