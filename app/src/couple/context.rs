//! One couple as the pages about it need it, loaded once per request: its row and both
//! partners, from one query. A guard that asks who the caller is to the couple, and every
//! panel after it, read the same copy.

use super::CaseStatus;
use crate::db::Db;
use crate::error::AppError;
use crate::ids::{CoupleId, UserId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A couple's case as every page about it needs it.
#[derive(Clone, Debug)]
pub struct CoupleContext {
    pub couple_id: CoupleId,
    pub case_name: String,
    pub status: CaseStatus,
    pub counselor_id: UserId,
    /// Partner 1 and partner 2, in that order.
    pub partners: [Seat; 2],
}

/// One partner's place in the couple.
#[derive(Clone, Debug)]
pub struct Seat {
    pub position: i64,
    pub display_name: String,
    pub email: String,
    /// Their account, once they have joined.
    pub account: Option<UserId>,
    pub rupture_role: super::RuptureRole,
}

/// Who a person is to a case: its counselor, one of its partners, or nobody.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseRelation {
    Counselor,
    Partner { position: i64 },
}

impl CoupleContext {
    /// How `user` relates to the couple; `None` if they are neither its counselor nor a
    /// partner in it.
    pub fn relation(&self, user: &UserId) -> Option<CaseRelation> {
        if self.counselor_id == *user {
            return Some(CaseRelation::Counselor);
        }
        self.partners
            .iter()
            .find(|s| s.account.as_ref() == Some(user))
            .map(|s| CaseRelation::Partner {
                position: s.position,
            })
    }

    /// The partners' names, partner 1 first.
    pub fn names(&self) -> [String; 2] {
        self.partners.clone().map(|s| s.display_name)
    }

    pub fn is_closed(&self) -> bool {
        self.status == CaseStatus::Closed
    }

    /// Refuses a change to a closed case, which is read-only, saying what to do.
    pub fn require_open(&self, what: &str) -> Result<(), AppError> {
        if self.is_closed() {
            Err(AppError::Conflict(format!(
                "This case is closed and read-only. Reopen it to {what}."
            )))
        } else {
            Ok(())
        }
    }
}

/// The couples loaded during one request (provided per request by the server).
#[derive(Clone, Default)]
pub struct RequestCouples(Arc<Mutex<HashMap<CoupleId, Arc<CoupleContext>>>>);

/// The couple, from this request's copy when there is one; `None` when it does not exist.
pub async fn load(db: &Db, couple_id: &CoupleId) -> Result<Option<Arc<CoupleContext>>, AppError> {
    let cache = leptos::prelude::use_context::<RequestCouples>();
    if let Some(found) = cache
        .as_ref()
        .and_then(|c| c.0.lock().ok()?.get(couple_id).cloned())
    {
        return Ok(Some(found));
    }
    let Some(context) = super::repo::context(db, couple_id).await? else {
        return Ok(None);
    };
    let context = Arc::new(context);
    if let Some(Ok(mut map)) = cache.as_ref().map(|c| c.0.lock()) {
        map.insert(couple_id.clone(), context.clone());
    }
    Ok(Some(context))
}

/// Drops this request's copy of the couple after a change to it (its row or a partner).
pub fn forget(couple_id: &str) {
    if let Some(cache) = leptos::prelude::use_context::<RequestCouples>()
        && let Ok(mut map) = cache.0.lock()
    {
        map.remove(&CoupleId::from(couple_id));
    }
}

/// The partners' names, partner 1 first ("not found" when there is no such couple).
pub async fn partner_names(db: &Db, couple_id: &CoupleId) -> Result<[String; 2], AppError> {
    Ok(load(db, couple_id)
        .await?
        .ok_or(AppError::NotFound)?
        .names())
}
