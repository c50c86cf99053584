//! How each stored audit event reads to people: the administrator's log and a case's
//! timeline. Ids and short details in, plain sentences out; never clinical text.

/// How a stored event reads to people. `partners` names the case's partners (by
/// position) where known; otherwise they are "partner 1" and "partner 2".
pub fn describe(action: &str, detail: Option<&str>, partners: &[String]) -> String {
    let who = |detail: Option<&str>| match detail {
        Some("counselor") => "a counselor".to_string(),
        Some("together") => "both partners, together".to_string(),
        Some(d) => d
            .strip_prefix("partner_")
            .and_then(|p| p.parse::<usize>().ok())
            .map(|p| {
                partners
                    .get(p.wrapping_sub(1))
                    .cloned()
                    .unwrap_or_else(|| format!("partner {p}"))
            })
            .unwrap_or_else(|| "someone".into()),
        None => "someone".into(),
    };
    let thread = |detail: Option<&str>| match detail.map(|d| d.split(':').next().unwrap_or(d)) {
        Some("joint") => "the joint thread".to_string(),
        Some(d) => format!("the private thread of {}", who(Some(d))),
        None => "a thread".to_string(),
    };
    match action {
        "sign_in" => "Signed in".into(),
        "mfa_setup_started" => "Two-factor set-up started".into(),
        "mfa_enabled" => "Two-factor sign-in turned on (new recovery codes made)".into(),
        "mfa_disabled" => match detail {
            Some("password") => {
                "Two-factor sign-in turned off (confirmed with the password)".into()
            }
            _ => "Two-factor sign-in turned off (confirmed with a code)".into(),
        },
        "mfa_recovery_codes_renewed" => {
            "New recovery codes made (the previous ones no longer work)".into()
        }
        "mfa_recovery_code_used" => match detail {
            Some(left) => format!("Signed in with a recovery code ({left} left)"),
            None => "Signed in with a recovery code".into(),
        },
        "mfa_code_asked" => match detail {
            Some("oidc") => "Single sign-on accepted; two-factor code asked for".into(),
            _ => "Password accepted; two-factor code asked for".into(),
        },
        "mfa_code_refused" => match detail {
            Some("secret_unreadable") => "Two-factor code could not be checked: the stored \
                secret does not open with this server's encryption keys"
                .into(),
            _ => format!(
                "Two-factor code refused ({})",
                detail.unwrap_or("wrong code").replace('_', " ")
            ),
        },
        "mfa_reset" => match detail.and_then(|d| d.strip_prefix("sessions_ended_")) {
            Some("0") | None => "Two-factor sign-in reset by an administrator".into(),
            Some("1") => "Two-factor sign-in reset by an administrator (1 session ended)".into(),
            Some(n) => {
                format!("Two-factor sign-in reset by an administrator ({n} sessions ended)")
            }
        },
        "mfa_policy_changed" => match detail {
            Some("on") => {
                "Two-factor sign-in now required for counselors and administrators".into()
            }
            _ => "Two-factor sign-in no longer required by the practice".into(),
        },
        "sign_in_failed" => format!(
            "Sign-in refused ({})",
            detail.unwrap_or("wrong password").replace('_', " ")
        ),
        "sign_in_throttled" => "Sign-in blocked after repeated failures".into(),
        "sign_out" => "Signed out".into(),
        "session_expired" => "Session expired".into(),
        "words_kept" => format!(
            "Kept what was written after the session had ended ({})",
            detail.unwrap_or("a form").replace('_', " ")
        ),
        "words_resumed" => format!(
            "Sent what was kept, after signing in again ({})",
            detail.unwrap_or("a form").replace('_', " ")
        ),
        "oidc_sign_in" => "Signed in with single sign-on".into(),
        "oidc_sign_in_refused" => format!(
            "Single sign-on refused ({})",
            detail.unwrap_or("failed").replace('_', " ")
        ),
        "account_created" => format!("Account created ({})", detail.unwrap_or("account")),
        "demo_practice_seeded" => "Demo practice created".into(),
        "case_created" => "Case opened".into(),
        "case_viewed" => "Case page viewed".into(),
        "case_status_changed" => format!(
            "Status changed to {}",
            detail
                .and_then(crate::couple::CaseStatus::parse)
                .map(|s| s.label())
                .unwrap_or("another status")
        ),
        "case_updated" => "Case details changed".into(),
        "program_changed" => match detail {
            Some("duplicated") => "Program duplicated".into(),
            _ => "Program exercise saved".into(),
        },
        "homework_assigned" => format!("Homework assigned to {}", who(detail)),
        "homework_cancelled" => format!("Homework cancelled for {}", who(detail)),
        "homework_submitted" => format!("Homework submitted by {}", who(detail)),
        "homework_reviewed" => format!("Homework of {} reviewed", who(detail)),
        "submission_viewed" => format!("Homework of {} read", who(detail)),
        "step_moved" => format!("Moved to step {}", detail.unwrap_or("?")),
        "case_reassigned" => "Case reassigned to another counselor".into(),
        "invitation_created" => format!("Invitation link created for {}", who(detail)),
        "invitation_resent" => format!(
            "New invitation link created for {} (the previous link no longer works)",
            who(detail)
        ),
        "invitation_revoked" => format!("Invitation link revoked for {}", who(detail)),
        "invitation_accepted" => match detail {
            Some("counselor") => "A counselor accepted their invitation and joined".into(),
            _ => {
                let who = who(detail);
                let mut chars = who.chars();
                let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
                format!(
                    "{}{} accepted the invitation and joined",
                    first.unwrap_or_default(),
                    chars.as_str()
                )
            }
        },
        // Never tied to the invitation's case: its timeline must not tell the inviter
        // that the address already has an account.
        "invitation_refused" => format!(
            "An invitation was not accepted ({})",
            detail.unwrap_or("refused").replace('_', " ")
        ),
        "account_deactivated" => "Account deactivated".into(),
        "account_reactivated" => "Account reactivated".into(),
        "setting_changed" => format!(
            "Practice setting changed ({})",
            detail.unwrap_or("setting").replace('_', " ")
        ),
        "reminders_on" => "Turned reminder emails on".into(),
        "reminders_off" => "Turned reminder emails off".into(),
        "session_scheduled" => match detail {
            Some("both") | None => "Session scheduled".into(),
            d => format!("Individual session scheduled with {}", who(d)),
        },
        "session_rescheduled" => "Session rescheduled".into(),
        "session_status_changed" => match detail {
            Some("attended") => "Session attended".into(),
            Some("no_show") => "Session missed (no-show)".into(),
            Some("cancelled") => "Session cancelled".into(),
            _ => "Session updated".into(),
        },
        "note_created" => match detail {
            Some("psychotherapy") => "Psychotherapy note started".into(),
            _ => "Session note started".into(),
        },
        "note_signed" => "Session note signed and locked".into(),
        "addendum_signed" => "Addendum signed".into(),
        "note_cosigned" => "Session note co-signed by a supervisor".into(),
        "note_viewed" => "Session note read".into(),
        "note_change_refused" => "Attempt to change a signed note refused".into(),
        "goal_changed" => match detail {
            Some("added") => "Treatment goal added".into(),
            Some(s) => format!("Treatment goal marked {}", s),
            None => "Treatment goal changed".into(),
        },
        "supervision_changed" => format!("Supervision {}", detail.unwrap_or("changed")),
        "profile_changed" => "Profile settings changed".into(),
        "check_in_submitted" => format!("Check-in from {}", who(detail)),
        "safety_flag_raised" => match detail.and_then(|d| d.split_once(':')) {
            Some((partner, "homework")) => {
                format!(
                    "Safety flag raised by the homework of {}",
                    who(Some(partner))
                )
            }
            Some((partner, "intake")) => {
                format!("Safety flag raised by the intake of {}", who(Some(partner)))
            }
            Some((partner, "measure")) => format!(
                "Safety flag raised by a questionnaire of {}",
                who(Some(partner))
            ),
            _ => format!("Safety flag raised by the check-in of {}", who(detail)),
        },
        "safety_flag_acknowledged" => "Safety flag acknowledged".into(),
        "case_exported" => match detail {
            Some("partner_json") => "A partner downloaded their own data".into(),
            Some(d) => format!("Exported ({})", d.replace('_', " ")),
            None => "Exported".into(),
        },
        "report_viewed" => "Progress report produced".into(),
        "agreement_written" => "Agreement written".into(),
        "agreement_changed" => "Agreement reworded (both partners acknowledge it again)".into(),
        "agreement_proposed" => format!("Agreement proposed by {}", who(detail)),
        "agreement_approved" => "Proposed agreement approved".into(),
        "agreement_declined" => "Proposed agreement declined".into(),
        "agreement_acknowledged" => format!("Agreement acknowledged by {}", who(detail)),
        "agreement_ended" => "Agreement ended".into(),
        // `detail`: the thread ("partner_1", "partner_2" or "joint") and, for a send or a
        // retraction, who (after a colon).
        "message_sent" => format!("Message sent in {}", thread(detail)),
        "message_retracted" => format!("Message retracted in {}", thread(detail)),
        "message_thread_read" => format!("Messages read in {}", thread(detail)),
        "joint_thread_opened" => "Joint message thread opened".into(),
        "consent_published" => "New consent version published".into(),
        "consent_signed" => "Consent signed".into(),
        "intake_submitted" => format!("Intake sent by {}", who(detail)),
        "intake_viewed" => "Intake answers read".into(),
        "measure_answered" => format!("Questionnaire answered by {}", who(detail)),
        "measures_chosen" => format!("Questionnaires chosen for {}", who(detail)),
        "joint_answer_saved" => format!("Shared answer changed by {}", who(detail)),
        "joint_answer_sent" => format!("Shared answer sent to the counselor by {}", who(detail)),
        "joint_answer_viewed" => "Shared answer read".into(),
        "joint_agreements_drafted" => "Draft agreements made from a shared answer".into(),
        "password_changed" => match detail.and_then(|d| d.strip_prefix("sessions_ended_")) {
            Some("0") | None => "Password changed".into(),
            Some("1") => "Password changed (1 other session ended)".into(),
            Some(n) => format!("Password changed ({n} other sessions ended)"),
        },
        "password_reset_asked" => match detail {
            Some("unknown_email") => {
                "Password reset link asked for an address with no account (nothing sent)".into()
            }
            Some("no_email") => "Password reset link asked for while email is off".into(),
            _ => "Password reset link asked for by email".into(),
        },
        "password_reset_link_made" => match detail {
            Some("admin") => "Password reset link made by an administrator".into(),
            _ => "Password reset link made by a counselor".into(),
        },
        "password_reset_used" => match detail.and_then(|d| d.strip_prefix("sessions_ended_")) {
            Some("0") | None => "Password set with a reset link".into(),
            Some("1") => "Password set with a reset link (1 session ended)".into(),
            Some(n) => format!("Password set with a reset link ({n} sessions ended)"),
        },
        "password_reset_refused" => format!(
            "Password reset link refused ({})",
            detail.unwrap_or("not valid").replace('_', " ")
        ),
        other => other.replace('_', " "),
    }
}

#[cfg(test)]
mod tests {
    use super::super::AuditAction;

    #[test]
    fn every_action_has_words_of_its_own() {
        for action in AuditAction::ALL {
            let name = action.as_str();
            let said = AuditAction::describe(name, None, &[]);
            assert_ne!(said, name.replace('_', " "), "{name} has no label");
        }
    }
}
