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
    /// The counselor's name as partners and colleagues see it.
    pub counselor_name: String,
    /// Days between the check-ins the counselor asks of this couple.
    pub check_in_days: i64,
    /// The counselor's choice for the couple's wins wall: on, off, or (`None`) as the
    /// practice sets it.
    pub wins_wall: Option<bool>,
    /// The step of their program the couple is on (`None` before they start one).
    pub current_step: Option<i64>,
    /// That step: its title, and its words for partners.
    pub step: Option<ProgramPlace>,
    /// When the betrayal came to light, as the counselor recorded it.
    pub rupture_date: Option<chrono::NaiveDate>,
    /// When the case was closed (UTC milliseconds), while it is.
    pub closed_at: Option<i64>,
    /// Partner 1 and partner 2, in that order.
    pub partners: [Seat; 2],
}

/// The step of their program a couple is on.
#[derive(Clone, Debug)]
pub struct ProgramPlace {
    pub number: i64,
    pub title: String,
    /// Steps in the couple's program.
    pub of: i64,
    /// What the step is for, written to both partners (empty when the program has none).
    pub for_partners: String,
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

/// What one request has read about couples and the people in them (provided per request
/// by the server), so the guard and every panel of a page read each fact once. A request
/// that changes a couple or a person's seat in one calls `forget`; one that changes a time
/// zone calls `forget_time_zone`.
#[derive(Clone, Default)]
pub struct RequestCouples(Arc<Mutex<Remembered>>);

impl RequestCouples {
    /// The request's memory: the one the server's middleware started (already holding what
    /// it read with the session), or a new one.
    pub fn for_request() -> Self {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<RequestCouples>().cloned())
            .unwrap_or_default()
    }

    /// Keeps a time zone already read (the signed-in person's, read with their session).
    pub fn remember_time_zone(&self, user_id: &str, zone: chrono_tz::Tz) {
        if let Ok(mut memo) = self.0.lock() {
            memo.zones.insert(
                user_id.to_string(),
                Arc::new(tokio::sync::OnceCell::new_with(Some(zone))),
            );
        }
    }
}

/// One fact, read once: the first panel to ask reads it, and panels that ask meanwhile
/// (a page's panels load at the same time) wait for that read instead of making their own.
type Once<V> = Arc<tokio::sync::OnceCell<V>>;

/// A partner's place in a couple: (couple, position, case status).
pub type PartnerSeat = (String, i64, String);

#[derive(Default)]
pub(super) struct Remembered {
    couples: HashMap<CoupleId, Once<Option<Arc<CoupleContext>>>>,
    /// A person's time zone, by account.
    pub(super) zones: HashMap<String, Once<chrono_tz::Tz>>,
    /// A partner's seat in the couple they asked for (or their default one): by account and
    /// the couple asked for.
    pub(super) seats: HashMap<(String, String), Once<Option<PartnerSeat>>>,
    /// How many couples a person is a partner in, by account.
    pub(super) couple_counts: HashMap<String, Once<i64>>,
    /// Every couple a person is a partner in, by account (`partner_contexts`).
    partner_couples: HashMap<String, Once<Arc<Vec<Arc<CoupleContext>>>>>,
}

/// The value this request already read for `key`, or `read`'s (kept for the rest of the
/// request). Outside a request (jobs, the command line) it always reads.
pub(super) async fn remembered<K, V>(
    map: impl Fn(&mut Remembered) -> &mut HashMap<K, Once<V>>,
    key: K,
    read: impl std::future::Future<Output = Result<V, AppError>>,
) -> Result<V, AppError>
where
    K: std::hash::Hash + Eq,
    V: Clone,
{
    let cell = leptos::prelude::use_context::<RequestCouples>().and_then(|cache| {
        let mut memo = cache.0.lock().ok()?;
        Some(map(&mut memo).entry(key).or_default().clone())
    });
    match cell {
        Some(cell) => cell.get_or_try_init(|| read).await.cloned(),
        None => read.await,
    }
}

/// Keeps `value` for `key` for the rest of the request, when nothing was kept for it yet (a
/// statement that read it alongside something else).
pub(super) fn remember<K, V>(
    map: impl Fn(&mut Remembered) -> &mut HashMap<K, Once<V>>,
    key: K,
    value: V,
) where
    K: std::hash::Hash + Eq,
{
    if let Some(cache) = leptos::prelude::use_context::<RequestCouples>()
        && let Ok(mut memo) = cache.0.lock()
    {
        // Already kept (or being read): that copy stands.
        let _ = map(&mut memo).entry(key).or_default().set(value);
    }
}

/// The couple, from this request's copy when there is one; `None` when it does not exist.
pub async fn load(db: &Db, couple_id: &CoupleId) -> Result<Option<Arc<CoupleContext>>, AppError> {
    remembered(|m| &mut m.couples, couple_id.clone(), async {
        Ok(super::repo::context(db, couple_id).await?.map(Arc::new))
    })
    .await
}

/// Every couple `user_id` is a partner in, with its context, in the order their home opens
/// them (open cases first, the newest first): one statement for the whole request, which
/// also answers the request's later questions about each of those couples, the person's
/// seat in them and how many there are.
pub async fn partner_contexts(
    db: &Db,
    user_id: &str,
) -> Result<Arc<Vec<Arc<CoupleContext>>>, AppError> {
    remembered(|m| &mut m.partner_couples, user_id.to_string(), async {
        let couples: Vec<Arc<CoupleContext>> = super::repo::partner_contexts(db, user_id)
            .await?
            .into_iter()
            .map(Arc::new)
            .collect();
        for couple in &couples {
            remember(
                |m| &mut m.couples,
                couple.couple_id.clone(),
                Some(couple.clone()),
            );
        }
        let seats: Vec<PartnerSeat> = couples
            .iter()
            .filter_map(|c| super::repo::seat_of(c, user_id))
            .collect();
        super::repo::remember_seats(user_id, &seats);
        Ok(Arc::new(couples))
    })
    .await
}

/// Drops this request's copy of the couple after a change to it (its row or a partner),
/// and what it knew of anyone's seats in couples.
pub fn forget(couple_id: &str) {
    if let Some(cache) = leptos::prelude::use_context::<RequestCouples>()
        && let Ok(mut memo) = cache.0.lock()
    {
        memo.couples.remove(&CoupleId::from(couple_id));
        memo.seats.clear();
        memo.couple_counts.clear();
        memo.partner_couples.clear();
    }
}

/// Drops this request's copy of a person's time zone after it changed.
pub fn forget_time_zone(user_id: &str) {
    if let Some(cache) = leptos::prelude::use_context::<RequestCouples>()
        && let Ok(mut memo) = cache.0.lock()
    {
        memo.zones.remove(user_id);
    }
}

/// The partners' names, partner 1 first ("not found" when there is no such couple).
pub async fn partner_names(db: &Db, couple_id: &CoupleId) -> Result<[String; 2], AppError> {
    Ok(load(db, couple_id)
        .await?
        .ok_or(AppError::NotFound)?
        .names())
}
