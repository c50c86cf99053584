//! Small wins (step 10 of the program): either partner posts one, both partners see the wall,
//! and the couple's counselor can react.

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
/// opens with).
#[server(prefix = "/api", endpoint = "my_wins")]
pub async fn my_wins(#[server(default)] couple_id: String) -> Result<Vec<WinView>, AppError> {
    let partner = guard::require_role(&[Role::Partner])?;
    let state = app_state()?;
    let Some((couple_id, position, _)) =
        partner_couple(&state.db, &partner.user.user_id, &couple_id).await?
    else {
        return not_found();
    };
    let zone = crate::couple::time_zone(&state.db, &partner.user.user_id).await?;
    wall(&state.db, &couple_id, zone, Some(position)).await
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
    finish(&result, &format!("/cases/{couple_id}#wins"));
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
) -> impl IntoView {
    let post_action = ServerAction::<PostWin>::new();
    let react_action = ServerAction::<ReactToWin>::new();
    view! {
        <section id="wins" aria-labelledby="wins-heading">
            <h2 id="wins-heading">"Small wins"</h2>
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
