//! Building a thread as one reader sees it (and the links to their other threads), and the
//! email notice of a new message. The server functions in `api.rs` check access first.

use super::repo;
use super::{
    JOINT, MessageView, NOT_FOR_EMERGENCIES, ThreadLink, ThreadPage, retractable, thread_name,
};
use crate::couple::{CaseRelation, CoupleContext, couple_page};
use crate::db::now_ms;
use crate::error::AppError;
use crate::state::AppState;

/// Who is reading, and how their links name the couple.
pub struct Reader<'a> {
    pub user_id: &'a str,
    pub relation: CaseRelation,
    /// The couple as a partner's links name it (empty with one couple); unused for counselors.
    pub couple_param: &'a str,
}

fn partner_name(couple: &CoupleContext, position: i64) -> String {
    couple
        .partners
        .iter()
        .find(|s| s.position == position)
        .map(|s| s.display_name.clone())
        .unwrap_or_else(|| format!("Partner {position}"))
}

/// The address of a thread for this reader.
pub fn href(reader: &Reader, couple_id: &str, position: i64) -> String {
    match reader.relation {
        CaseRelation::Counselor => format!("/cases/{couple_id}/messages/{}", thread_name(position)),
        CaseRelation::Partner { .. } => {
            let path = if position == JOINT {
                "/messages/joint"
            } else {
                "/messages"
            };
            couple_page(path, reader.couple_param)
        }
    }
}

/// The reader's threads in this couple (the joint one only once it is open), each with its
/// unread count, and whether the joint thread is open. `asked_privately`: the partners whose
/// request to talk privately is still open, when the caller has read them already.
async fn links_and_joint(
    state: &AppState,
    couple: &CoupleContext,
    reader: &Reader<'_>,
    asked_privately: Option<Vec<i64>>,
) -> Result<(Vec<ThreadLink>, bool), AppError> {
    let db = &state.db;
    let couple_id = couple.couple_id.as_str();
    let unread = repo::unread_by_thread(db, couple_id, reader.user_id).await?;
    let asked_privately = match (reader.relation, asked_privately) {
        (CaseRelation::Partner { .. }, _) => vec![],
        (CaseRelation::Counselor, Some(known)) => known,
        (CaseRelation::Counselor, None) => {
            crate::features::progress::repo::open_private_talk(db, couple_id).await?
        }
    };
    Ok(thread_links(couple, reader, &unread, &asked_privately))
}

/// A partner's links from the counts their home reads (`repo::home_columns`): unread in
/// their private thread, and in the joint one (`None` while it is not open).
pub fn partner_links(
    couple: &CoupleContext,
    reader: &Reader<'_>,
    own: i64,
    joint: Option<i64>,
) -> Vec<ThreadLink> {
    let position = match reader.relation {
        CaseRelation::Partner { position } => position,
        CaseRelation::Counselor => return vec![],
    };
    let mut unread = vec![(position, own)];
    unread.extend(joint.map(|n| (JOINT, n)));
    thread_links(couple, reader, &unread, &[]).0
}

/// The reader's threads from each open thread's unread count (`(position, count)`), and
/// whether the joint thread is open.
fn thread_links(
    couple: &CoupleContext,
    reader: &Reader<'_>,
    unread: &[(i64, i64)],
    asked_privately: &[i64],
) -> (Vec<ThreadLink>, bool) {
    let couple_id = couple.couple_id.as_str();
    let unread_in = |position: i64| {
        unread
            .iter()
            .find(|(p, _)| *p == position)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    let joint_open = unread.iter().any(|(p, _)| *p == JOINT);
    let counselor = couple.counselor_name.clone();
    let mut threads: Vec<(i64, String)> = match reader.relation {
        CaseRelation::Counselor => [1, 2]
            .into_iter()
            .map(|p| {
                (
                    p,
                    format!("Private messages with {}", partner_name(couple, p)),
                )
            })
            .collect(),
        CaseRelation::Partner { position } => {
            vec![(position, format!("Your private messages with {counselor}"))]
        }
    };
    if joint_open {
        threads.push((
            JOINT,
            "Joint messages (both of you and the counselor)".into(),
        ));
    }
    let links = threads
        .into_iter()
        .map(|(position, label)| ThreadLink {
            href: href(reader, couple_id, position),
            label,
            unread: unread_in(position),
            asked_privately: asked_privately.contains(&position),
        })
        .collect();
    (links, joint_open)
}

/// The case page's messages panel, for the couple's counselor. `flags`: the couple's safety
/// flags, open ones at least, as the case page has read them (a partner who asked to talk
/// privately has an open flag saying so).
pub async fn case_panel(
    state: &AppState,
    couple: &CoupleContext,
    counselor_id: &str,
    flags: &[crate::features::progress::FlagView],
) -> Result<super::CaseMessages, AppError> {
    let reader = Reader {
        user_id: counselor_id,
        relation: CaseRelation::Counselor,
        couple_param: "",
    };
    let asked: Vec<i64> = flags
        .iter()
        .filter(|f| f.private_talk && f.acknowledged.is_none())
        .map(|f| f.position)
        .collect();
    let (threads, joint_open) = links_and_joint(state, couple, &reader, Some(asked)).await?;
    Ok(super::CaseMessages {
        threads,
        joint_open,
    })
}

/// Exactly who reads the thread, in the reader's words.
fn readers(couple: &CoupleContext, counselor: &str, reader: &Reader, position: i64) -> String {
    match (reader.relation, position) {
        (CaseRelation::Counselor, JOINT) => format!(
            "Everything written here is read by you, {} and {}.",
            partner_name(couple, 1),
            partner_name(couple, 2)
        ),
        (CaseRelation::Counselor, p) => format!(
            "Only you and {} can read this conversation. {} cannot see it.",
            partner_name(couple, p),
            partner_name(couple, 3 - p)
        ),
        (CaseRelation::Partner { position: mine }, JOINT) => format!(
            "Everything written here is read by you, {} and {counselor} (your counselor).",
            partner_name(couple, 3 - mine)
        ),
        (CaseRelation::Partner { position: mine }, _) => format!(
            "Only you and {counselor} (your counselor) can read this conversation. {} cannot see it.",
            partner_name(couple, 3 - mine)
        ),
    }
}

/// The thread at `position` as the reader sees it, recording that they read it (`poll`: an
/// open page asking for news, audited only when it shows something new).
pub async fn thread(
    state: &AppState,
    couple: &CoupleContext,
    reader: &Reader<'_>,
    position: i64,
    poll: bool,
    ip: Option<&str>,
) -> Result<ThreadPage, AppError> {
    let db = &state.db;
    let couple_id = couple.couple_id.as_str();
    let zone = crate::couple::time_zone(db, reader.user_id).await?;
    let counselor = couple.counselor_name.clone();
    let settings = repo::messaging(db).await?;
    let thread_id = repo::thread_id(db, couple_id, position).await?;
    let is_counselor = reader.relation == CaseRelation::Counselor;
    let now = now_ms();
    let mut messages = Vec::new();
    if let Some(thread_id) = &thread_id {
        let read = repo::read_up_to(db, thread_id, reader.user_id).await?;
        let rows = repo::messages(db, thread_id).await?;
        let newest = rows.iter().map(|m| m.sent_at).max();
        for m in rows {
            let mine = m.author_user_id == reader.user_id;
            let name = match m.author.as_str() {
                // A counselor the case has since moved from is named as themselves.
                "counselor" if m.author_user_id != couple.counselor_id.as_str() => {
                    crate::auth::repo::find_by_id(db.pool(), &m.author_user_id)
                        .await?
                        .map(|u| u.display_name)
                        .unwrap_or_else(|| "A former counselor".into())
                }
                "counselor" => counselor.clone(),
                other => partner_name(
                    couple,
                    other
                        .strip_prefix("partner_")
                        .and_then(|p| p.parse().ok())
                        .unwrap_or(0),
                ),
            };
            let retracted = m.retracted_at.map(|at| {
                format!(
                    "Message retracted by {} ({})",
                    if mine {
                        "you".to_string()
                    } else {
                        name.clone()
                    },
                    crate::time::when(at, zone)
                )
            });
            messages.push(MessageView {
                message_id: m.message_id,
                author: if mine { "You".into() } else { name },
                mine,
                can_retract: mine && m.body.is_some() && retractable(m.sent_at, now),
                body: m.body,
                sent: crate::time::when(m.sent_at, zone),
                retracted,
                unread: !mine && m.sent_at > read,
            });
        }
        if let Some(newest) = newest {
            repo::mark_read(
                db,
                couple_id,
                position,
                thread_id,
                reader.user_id,
                newest,
                !poll,
                ip,
            )
            .await?;
        }
    }
    let open = thread_id.is_some() || position != JOINT;
    let closed_reason = if couple.is_closed() {
        Some("This case is closed, so its messages are read-only.".to_string())
    } else if !open {
        Some(if is_counselor {
            "Open the joint thread to write to both partners at once.".to_string()
        } else {
            format!("{counselor} has not opened a joint thread for the two of you.")
        })
    } else if !is_counselor && !settings.partners_may_write {
        Some(
            "Your practice does not take messages between sessions, so this box is closed. \
             You can still read past messages here, and bring what you would like to say to \
             your next session."
                .to_string(),
        )
    } else {
        None
    };
    // Read once: for this thread's cue and for the links to the others.
    let asked = if is_counselor {
        Some(crate::features::progress::repo::open_private_talk(db, couple_id).await?)
    } else {
        None
    };
    let asked_privately = position != JOINT
        && asked
            .as_ref()
            .is_some_and(|asked| asked.contains(&position));
    let heading = match (is_counselor, position) {
        (_, JOINT) => "Joint messages".to_string(),
        (true, p) => format!("Private messages with {}", partner_name(couple, p)),
        (false, _) => format!("Your private messages with {counselor}"),
    };
    let others = links_and_joint(state, couple, reader, asked)
        .await?
        .0
        .into_iter()
        .filter(|l| l.href != href(reader, couple_id, position))
        .collect();
    Ok(ThreadPage {
        couple_id: if is_counselor {
            couple_id.to_string()
        } else {
            reader.couple_param.to_string()
        },
        thread: match (is_counselor, position) {
            (true, p) => thread_name(p),
            (false, JOINT) => "joint".into(),
            (false, _) => "private".into(),
        },
        href: href(reader, couple_id, position),
        heading,
        readers: readers(couple, &counselor, reader, position),
        response: format!("{} {NOT_FOR_EMERGENCIES}", settings.response),
        messages,
        open,
        can_write: closed_reason.is_none(),
        closed_reason,
        asked_privately,
        counselor: is_counselor,
        others,
    })
}

/// Emails everyone else who reads the thread that there is a new message: no words, only a
/// link. One notice per reader until they read the thread again (the dedupe key holds where
/// they had read up to).
pub async fn notify(
    state: &AppState,
    couple: &CoupleContext,
    position: i64,
    sender: &str,
    thread_id: &str,
) -> Result<(), AppError> {
    use crate::outbox::{NewEmail, enqueue};
    let couple_id = couple.couple_id.as_str();
    let mut readers: Vec<(String, CaseRelation)> =
        vec![(couple.counselor_id.to_string(), CaseRelation::Counselor)];
    for seat in &couple.partners {
        if (position == JOINT || seat.position == position)
            && let Some(account) = &seat.account
        {
            readers.push((
                account.to_string(),
                CaseRelation::Partner {
                    position: seat.position,
                },
            ));
        }
    }
    for (user_id, relation) in readers.into_iter().filter(|(u, _)| u != sender) {
        let Some(user) = crate::auth::repo::find_by_id(state.db.pool(), &user_id).await? else {
            continue;
        };
        let read = repo::read_up_to(&state.db, thread_id, &user_id).await?;
        let reader = Reader {
            user_id: &user_id,
            relation,
            // A link that names the couple works for a person in any number of couples.
            couple_param: couple_id,
        };
        let link = href(&reader, couple_id, position);
        let body = format!(
            "Hello {},\n\nThere is a new message for you in Trellis. Please sign in to read it:\n\
             {}{link}\n\nThis email contains nothing of what was written.\n",
            user.display_name, state.auth.public_url
        );
        let key = format!("message:{thread_id}:{user_id}:{read}");
        enqueue(
            state.db.writer(),
            NewEmail {
                dedupe_key: &key,
                kind: "message",
                app_user_id: Some(&user_id),
                to_address: &user.email,
                subject: "Trellis: a new message",
                body: &body,
            },
            now_ms(),
        )
        .await?;
    }
    Ok(())
}
