//! The partner's home's server function for the cards read together.

use super::HomeCards;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in partner's check-in, agreements, intake and messages cards for one of their couples
/// (`couple_id`; empty: the one their home opens with), in one statement. "Not found" when
/// they are in no such couple.
#[server(prefix = "/api", endpoint = "my_home_cards")]
pub async fn my_home_cards(#[server(default)] couple_id: String) -> Result<HomeCards, AppError> {
    use crate::auth::{Role, guard};
    let partner = guard::require_role(&[Role::Partner])?;
    let state = crate::state::app_state()?;
    let db = &state.db;
    let me = &partner.user.user_id;
    let Some((couple_id, position, status)) =
        crate::couple::partner_couple(db, me, &couple_id).await?
    else {
        return crate::error::not_found();
    };
    let couple = crate::couple::load(db, &couple_id.as_str().into())
        .await?
        .ok_or(AppError::NotFound)?;
    let zone = crate::couple::time_zone(db, me).await?;
    let param = crate::couple::couple_param(db, me, &couple_id).await?;
    let since = crate::features::progress::api::flag_news_since(crate::db::now_ms());
    let news = super::repo::home_news(db, &couple_id, position, me, since).await?;
    Ok(HomeCards {
        check_in: crate::features::progress::api::check_in_due(
            &news.flags,
            couple.check_in_days,
            zone,
            param.clone(),
        ),
        agreements: crate::features::agreements::AgreementsCount {
            couple_id: param.clone(),
            active: news.agreements.0,
            waiting_for_me: news.agreements.1,
        },
        intake: crate::features::intake::api::intake_task(
            news.intake_started,
            news.intake_sent,
            status == "closed",
            couple.counselor_name.clone(),
            param.clone(),
            zone,
        ),
        messages: crate::features::messages::page::partner_links(
            &couple,
            &crate::features::messages::page::Reader {
                user_id: me,
                relation: crate::couple::CaseRelation::Partner { position },
                couple_param: &param,
            },
            news.unread.0,
            news.unread.1,
        ),
    })
}
