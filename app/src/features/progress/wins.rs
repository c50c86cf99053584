//! Small wins (step 10 of the program): either partner posts one, both partners see the wall,
//! and the couple's counselor can react (the reaction is for the partner who posted). The wall
//! opens to a couple's partners from the program step the practice chooses, or when their
//! counselor turns it on.

use crate::components::ReturnTo;
use crate::error::AppError;
use leptos::either::Either;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::auth::{Role, guard},
    crate::couple::couple_page,
    crate::couple::partner_couple,
    crate::db::Db,
    crate::error::{finish, not_found},
    crate::state::app_state,
    crate::time as tz,
    chrono_tz::Tz,
};

/// Longest small win.
pub const MAX_WIN_CHARS: usize = 1_000;

/// The step from which a couple's wall opens by itself, until the practice chooses: the
/// program's own place for celebrating small wins.
pub const DEFAULT_FROM_STEP: i64 = 10;

/// Whether a couple's wall is open to its partners, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallState {
    pub open: bool,
    /// The counselor's choice for this couple; `None`: as the practice sets it.
    pub choice: Option<bool>,
    pub from_step: i64,
    pub current_step: Option<i64>,
}

impl WallState {
    pub fn new(choice: Option<bool>, from_step: i64, current_step: Option<i64>) -> Self {
        WallState {
            open: choice.unwrap_or(current_step.is_some_and(|s| s >= from_step)),
            choice,
            from_step,
            current_step,
        }
    }

    /// What the counselor reads above the wall.
    pub fn sentence(&self) -> String {
        let practice = format!(
            "the practice opens the wall from step {} of the program",
            self.from_step
        );
        match self.choice {
            Some(true) => "Partners see this wall: you turned it on.".into(),
            Some(false) => "Partners do not see this wall: you turned it off.".into(),
            None if self.open => format!("Partners see this wall: {practice}."),
            None => format!("Partners do not see this wall yet: {practice}."),
        }
    }
}

/// Whether the couple's partners see their wall.
#[cfg(feature = "ssr")]
pub async fn wall_state(db: &Db, couple_id: &str) -> Result<WallState, AppError> {
    let step = crate::couple::load(db, &couple_id.into())
        .await?
        .ok_or(AppError::NotFound)?
        .current_step;
    wall_state_at(db, couple_id, step).await
}

/// `wall_state`, for a caller that knows the couple's current step already.
#[cfg(feature = "ssr")]
pub async fn wall_state_at(
    db: &Db,
    couple_id: &str,
    step: Option<i64>,
) -> Result<WallState, AppError> {
    let choice = super::repo::wins::couple_choice(db, couple_id).await?;
    let from = super::repo::wins::from_step(db).await?;
    Ok(WallState::new(choice, from, step))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WinView {
    pub win_id: String,
    pub author: String,
    pub when: String,
    pub body: String,
    /// The counselor's reaction, as the wall shows it.
    pub reaction: Option<String>,
}

#[cfg(feature = "ssr")]
fn reaction_label(key: &str) -> Option<&'static str> {
    match key {
        "celebrate" => Some("\u{1f389} Celebrated by your counselor"),
        "noticed" => Some("\u{1f49a} Your counselor noticed this"),
        _ => None,
    }
}

/// A couple's wall, newest first, as `reader` sees it: the counselor (`None`) sees every
/// reaction; a partner (their position) sees the counselor's reaction to their own wins
/// only, as the program advises (praise for one is not a verdict on the other).
#[cfg(feature = "ssr")]
pub async fn wall(
    db: &Db,
    couple_id: &str,
    zone: Tz,
    reader: Option<i64>,
) -> Result<Vec<WinView>, AppError> {
    let rows = super::repo::wins::wall_rows(db, couple_id).await?;
    Ok(rows
        .into_iter()
        .map(|(win_id, author, position, at, body, reaction)| WinView {
            win_id,
            author,
            when: tz::when(at, zone),
            body,
            reaction: reaction
                .filter(|_| reader.is_none_or(|r| r == position))
                .as_deref()
                .and_then(reaction_label)
                .map(String::from),
        })
        .collect())
}

/// The wall of one of the signed-in partner's couples (`couple_id`; empty: the one their home
/// opens with); `None` while it is not open to them.
#[server(prefix = "/api", endpoint = "my_wins")]
pub async fn my_wins(
    #[server(default)] couple_id: String,
) -> Result<Option<Vec<WinView>>, AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    let Some((couple_id, position, _)) =
        partner_couple(&state.db, &partner.user.user_id, &couple_id).await?
    else {
        return not_found();
    };
    if !wall_state(&state.db, &couple_id).await?.open {
        return Ok(None);
    }
    let zone = crate::couple::time_zone(&state.db, &partner.user.user_id).await?;
    wall(&state.db, &couple_id, zone, Some(position))
        .await
        .map(Some)
}

/// A partner posts a small win; both partners and the counselor see it.
#[server(prefix = "/api", endpoint = "post_win")]
pub async fn post_win(body: String, #[server(default)] couple_id: String) -> Result<(), AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let result = async {
        let body = body.trim();
        if body.is_empty() || body.chars().count() > MAX_WIN_CHARS {
            return Err(AppError::validation(
                "body",
                format!("Write the win in up to {MAX_WIN_CHARS} characters."),
            ));
        }
        let state = app_state()?;
        let Some((couple_id, position, status)) =
            partner_couple(&state.db, &partner.user.user_id, &couple_id).await?
        else {
            return not_found();
        };
        if status == "closed" {
            return Err(AppError::Conflict("Your counseling case is closed.".into()));
        }
        if !wall_state(&state.db, &couple_id).await?.open {
            return Err(AppError::Conflict(
                "Your counselor has not opened the small wins wall for you yet.".into(),
            ));
        }
        super::repo::wins::post(&state.db, &couple_id, position, &partner.user.user_id, body).await
    }
    .await;
    finish(&result, &couple_page("/?win=1#wins", &couple_id));
    result
}

/// The couple's counselor reacts to a win ("celebrate" or "noticed").
#[server(prefix = "/api", endpoint = "react_to_win")]
pub async fn react_to_win(win_id: String, reaction: String) -> Result<(), AppError> {
    let _signed_in = guard::require_user()?;
    let state = app_state()?;
    let couple = super::repo::wins::couple_of(&state.db, &win_id).await?;
    let Some(couple_id) = couple else {
        return not_found();
    };
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        if reaction_label(&reaction).is_none() {
            return Err(AppError::BadRequest);
        }
        super::repo::wins::react(&state.db, &win_id, &reaction, &counselor.user.user_id).await
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Progress.path_then(couple_id.as_str(), "#wins"),
    );
    result
}

/// The couple's counselor turns the wall on or off for the couple's partners, or leaves it
/// to the practice's setting (`wall`: "on", "off" or "practice").
#[server(prefix = "/api", endpoint = "set_wins_wall")]
pub async fn set_wins_wall(couple_id: crate::ids::CoupleId, wall: String) -> Result<(), AppError> {
    let counselor = guard::require_case_counselor(&couple_id).await?;
    let result = async {
        let choice = match wall.trim() {
            "on" => Some(true),
            "off" => Some(false),
            "practice" => None,
            _ => return Err(AppError::BadRequest),
        };
        let state = app_state()?;
        let couple = crate::couple::load(&state.db, &couple_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if couple.status == crate::couple::CaseStatus::Closed {
            return Err(AppError::Conflict("This case is closed.".into()));
        }
        let ip = guard::request_context().ip;
        let actor = &counselor.user.user_id;
        super::repo::wins::set_couple_choice(
            &state.db,
            couple_id.as_str(),
            choice,
            actor,
            ip.as_deref(),
        )
        .await
    }
    .await;
    finish(
        &result,
        &crate::couple::CaseSection::Progress.path_then(couple_id.as_str(), "#wins"),
    );
    result
}

/// The administrator chooses the program step from which every couple's wall opens (unless
/// their counselor turned it on or off).
#[server(prefix = "/api", endpoint = "set_wins_from_step")]
pub async fn set_wins_from_step(step: String) -> Result<(), AppError> {
    let admin = guard::require_role(&[Role::Admin])?;
    let result = async {
        let step = step
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| (1..=10).contains(s))
            .ok_or_else(|| AppError::validation("step", "Choose a step from 1 to 10."))?;
        let state = app_state()?;
        let ip = guard::request_context().ip;
        super::repo::wins::set_from_step(&state.db, step, &admin.user.user_id, ip.as_deref()).await
    }
    .await;
    finish(&result, "/?saved=settings#settings");
    result
}

/// The wall; with `post` a form to add a win (partners, to `couple_id`), with `react`
/// reaction buttons (the couple's counselor).
#[component]
pub fn WinsWall(
    wins: Vec<WinView>,
    post: bool,
    react: bool,
    #[prop(optional, into)] couple_id: String,
    /// For the counselor: whether the partners see the wall, with the way to change it.
    #[prop(optional)]
    state: Option<WallState>,
) -> impl IntoView {
    let post_action = ServerAction::<PostWin>::new();
    let react_action = ServerAction::<ReactToWin>::new();
    let toggle = ServerAction::<SetWinsWall>::new();
    let switch = state.map(|st| {
        let (couple_id, again) = (couple_id.clone(), couple_id.clone());
        let (value, label) = if st.open {
            ("off", "Turn the wall off for this couple")
        } else {
            ("on", "Turn the wall on for this couple")
        };
        view! {
            <p class="muted">{st.sentence()}</p>
            <ActionForm action=toggle attr:class="inline-form">
                <ReturnTo />
                <crate::components::ActionError error=crate::components::error_of(toggle) />
                <input type="hidden" name="couple_id" value=couple_id />
                <input type="hidden" name="wall" value=value />
                <button type="submit" class="button-secondary button-small">{label}</button>
            </ActionForm>
            {st.choice.is_some().then(|| view! {
                <ActionForm action=toggle attr:class="inline-form">
                    <ReturnTo />
                    <input type="hidden" name="couple_id" value=again />
                    <input type="hidden" name="wall" value="practice" />
                    <button type="submit" class="button-secondary button-small">"Follow the practice's setting"</button>
                </ActionForm>
            })}
        }
    });
    view! {
        <section id="wins" aria-labelledby="wins-heading">
            <h2 id="wins-heading">"Small wins"</h2>
            {switch}
            {post.then(|| view! {
                <ActionForm action=post_action attr:class="form-stack">
                    <ReturnTo />
                    <crate::components::ActionError error=crate::components::error_of(post_action) />
                    <input type="hidden" name="couple_id" value=couple_id />
                    <label for="win-body">"Share a small win (your partner and counselor will see it)"</label>
                    <textarea id="win-body" name="body" rows="2" required maxlength="1000"></textarea>
                    <button type="submit" class="button-secondary">"Post the win"</button>
                </ActionForm>
            })}
            {if wins.is_empty() {
                Either::Left(view! { <p class="empty-state">"No wins posted yet. Small ones count."</p> })
            } else {
                Either::Right(view! {
                    <ul class="wins">
                        {wins.into_iter().map(|w| {
                            let id = w.win_id.clone();
                            view! {
                                <li class="win">
                                    <p class="prose">{w.body}</p>
                                    <p class="muted">{format!("{} \u{b7} {}", w.author, w.when)}</p>
                                    {w.reaction.map(|r| view! { <p class="reaction">{r}</p> })}
                                    {react.then(|| view! {
                                        <div class="button-row">
                                            {[("celebrate", "Celebrate"), ("noticed", "Mark as noticed")].into_iter().map(|(v, l)| {
                                                let id = id.clone();
                                                view! {
                                                    <ActionForm action=react_action attr:class="inline-form">
                                                        <ReturnTo />
                                                        <input type="hidden" name="win_id" value=id />
                                                        <input type="hidden" name="reaction" value=v />
                                                        <button type="submit" class="button-secondary button-small">{l}</button>
                                                    </ActionForm>
                                                }
                                            }).collect_view()}
                                        </div>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
    .into_any()
}
