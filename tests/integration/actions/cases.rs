//! A counselor opens a case, invites its partners and moves the couple through a program; a
//! partner accepts their invitation.

use super::{Partner, lands_on};
use crate::helpers::{Browser, PASSWORD, Page, TestApp};

/// The counselor fills in the new-couple form and saves it; returns the new case's id (from
/// the case page it lands on).
pub async fn open_case(b: &mut Browser, fields: &[(&str, &str)]) -> String {
    let res = b.submit("/cases/new", "/api/create_couple", fields).await;
    let location = res.location.expect("redirected");
    // A new case opens on its partners, to invite them.
    location
        .strip_prefix("/cases/")
        .and_then(|rest| rest.strip_suffix("/partners"))
        .unwrap_or_else(|| panic!("to the new case's partners, not {location}"))
        .to_string()
}

/// The invitation links shown on a page (the read-only fields).
pub fn links_on(body: &str) -> Vec<String> {
    body.match_indices("/invite/")
        .filter_map(|(i, _)| {
            let start = body[..i].rfind('"')? + 1;
            let end = i + body[i..].find('"')?;
            let link = &body[start..end];
            link.starts_with("http").then(|| link.to_string())
        })
        .collect()
}

/// The secret part of an invitation link.
pub fn token_of(link: &str) -> &str {
    link.rsplit('/').next().unwrap()
}

/// The invitation page a link opens, as a path on this server.
pub fn path_of(link: &str) -> String {
    format!("/invite/{}", token_of(link))
}

/// The counselor presses "Create an invitation link" for a partner on the case page and
/// copies the link it then shows; returns that link.
pub async fn invite_partner(b: &mut Browser, couple: &str, partner: Partner) -> String {
    let case_page = format!("/cases/{couple}/partners");
    let position = partner.position();
    let pos = position.to_string();
    let res = b
        .submit(
            &case_page,
            "/api/invite_partner",
            &[("couple_id", couple), ("position", &pos)],
        )
        .await;
    assert_eq!(
        res.status, 302,
        "invite_partner redirects back: {}",
        res.body
    );
    let page = b.get(&case_page).await;
    let field = format!("invitation-link-{position}");
    let at = page.body.find(&field).expect("the new link is shown");
    links_on(&page.body[at..])
        .into_iter()
        .next()
        .expect("a link in the field")
}

/// Sends the invitation page's form for people new to Trellis (a name and a new password,
/// twice); returns the response to the form post, whatever it is.
pub async fn accept_invitation(
    b: &mut Browser,
    link: &str,
    name: &str,
    password: &str,
    confirm: &str,
) -> Page {
    b.submit(
        &path_of(link),
        "/api/accept_invitation",
        &[
            ("token", token_of(link)),
            ("display_name", name),
            ("password", password),
            ("password_confirm", confirm),
        ],
    )
    .await
}

/// Someone new opens their invitation link in their own browser and sets up their account
/// with `name` and the test password; returns that browser, signed in as them.
pub async fn join(app: &TestApp, link: &str, name: &str) -> Browser {
    let mut b = app.browser();
    let res = accept_invitation(&mut b, link, name, PASSWORD, PASSWORD).await;
    lands_on(&res, "/?welcome=1");
    b
}

/// The counselor moves the couple to `step` on the case page, giving `reason`; `program`
/// starts them on that program (their first move). The page comes back to the program panel.
pub async fn move_to_step(
    b: &mut Browser,
    couple: &str,
    program: Option<&str>,
    step: u8,
    reason: &str,
) {
    let case_page = format!("/cases/{couple}/homework");
    let step = step.to_string();
    let mut form = vec![("couple_id", couple)];
    if let Some(program) = program {
        form.push(("program_id", program));
    }
    form.extend([("to_step", step.as_str()), ("reason", reason)]);
    let res = b.submit(&case_page, "/api/move_couple_step", &form).await;
    lands_on(&res, &format!("{case_page}#program"));
}
