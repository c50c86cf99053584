//! Lists and details agree: whatever an actor sees in a list they can open, and whatever
//! they can open is in the list. Ids are looked for in the list's response, so the check
//! needs no knowledge of each list's shape.

use super::world::World;
use super::{Actor, Row, row};
use Actor::*;

struct Pair {
    list: Row,
    detail: &'static str,
    detail_arg: &'static str,
    /// Every id of the kind (`$1` is the target couple).
    universe: &'static str,
    actors: &'static [Actor],
}

const PAIRS: [Pair; 5] = [
    Pair {
        list: row(
            "list_caseload",
            &[("q", ""), ("status", ""), ("page", "1")],
            &[],
        ),
        detail: "get_case_section",
        detail_arg: "couple_id",
        universe: "select couple_id from couple",
        actors: &[Counselor, OtherCounselor, Supervisor],
    },
    Pair {
        list: row("my_homework", &[], &[]),
        detail: "get_homework",
        detail_arg: "assignment_id",
        // Cancelled homework leaves the list; its page still answers (a reminder may link to
        // it) and says it was cancelled.
        universe: "select assignment_id from assignment where cancelled_at is null",
        actors: &[PartnerA, PartnerB, OtherPartner],
    },
    Pair {
        list: row("list_programs", &[], &[]),
        detail: "get_program",
        detail_arg: "program_id",
        universe: "select program_id from program",
        actors: &[Counselor, OtherCounselor, Supervisor],
    },
    Pair {
        list: row(
            "get_case_section",
            &[("couple_id", "{couple}"), ("section", "homework")],
            &[],
        ),
        detail: "get_assignment",
        detail_arg: "assignment_id",
        universe: "select assignment_id from assignment where couple_id = $1",
        actors: &[Counselor],
    },
    Pair {
        list: row("my_supervised_notes", &[], &[]),
        detail: "get_note",
        detail_arg: "note_id",
        universe: "select clinical_note_id from clinical_note where couple_id = $1 and signed_at is not null",
        actors: &[Supervisor],
    },
];

/// Views of one couple's shared things that must all show the same set.
struct SameSet {
    what: &'static str,
    universe: &'static str,
    views: &'static [(Actor, Row)],
}

const SAME: [SameSet; 2] = [
    SameSet {
        what: "small wins",
        universe: "select small_win_id from small_win where couple_id = $1",
        views: &[
            (PartnerA, row("my_wins", &[], &[])),
            (PartnerB, row("my_wins", &[], &[])),
            (
                Counselor,
                row(
                    "get_case_section",
                    &[("couple_id", "{couple}"), ("section", "progress")],
                    &[],
                ),
            ),
        ],
    },
    SameSet {
        what: "agreements",
        universe: "select distinct v.agreement_id from agreement_version v join agreement a \
                   on a.agreement_id = v.agreement_id \
                   where v.approved_at is not null and a.couple_id = $1",
        views: &[
            (PartnerA, row("my_agreements", &[], &[])),
            (PartnerB, row("my_agreements", &[], &[])),
            (
                Counselor,
                row(
                    "get_case_section",
                    &[("couple_id", "{couple}"), ("section", "agreements")],
                    &[],
                ),
            ),
        ],
    },
];

async fn ids(world: &World<'_>, sql: &str) -> Vec<String> {
    let couple = world.ids["couple"].clone();
    let query = sqlx::query_scalar(sql);
    let query = if sql.contains("$1") {
        query.bind(couple)
    } else {
        query
    };
    query
        .fetch_all(world.app.state.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Every page of the list (a paged list is read until a page adds nothing), as one text.
async fn whole_list(
    world: &mut World<'_>,
    actor: Actor,
    list: &Row,
    universe: &[String],
    failures: &mut Vec<String>,
) -> String {
    let mut all = String::new();
    for page in 1..=50 {
        let mut args = world.resolve(list.args).await;
        let paged = args.iter_mut().find(|(k, _)| k == "page");
        let is_paged = paged.is_some();
        if let Some(arg) = paged {
            arg.1 = page.to_string();
        }
        let res = world.call_as(actor, list, &args, None).await;
        assert_eq!(res.status, 200, "{} as {actor:?}", list.endpoint);
        let what = format!("{} page {page} as {actor:?}", list.endpoint);
        world.observe(actor, &what, &res.body, failures);
        let new = universe
            .iter()
            .any(|id| res.body.contains(id.as_str()) && !all.contains(id.as_str()));
        all.push_str(&res.body);
        if !is_paged || !new {
            break;
        }
    }
    all
}

pub async fn check_lists_agree(world: &mut World<'_>, failures: &mut Vec<String>) {
    for pair in &PAIRS {
        let universe = ids(world, pair.universe).await;
        assert!(
            !universe.is_empty(),
            "{}: nothing to compare",
            pair.list.endpoint
        );
        for &actor in pair.actors {
            let list = whole_list(world, actor, &pair.list, &universe, failures).await;
            let mut shown = 0;
            for id in &universe {
                let detail = row(pair.detail, &[], &[]);
                let args = vec![(pair.detail_arg.to_string(), id.clone())];
                let res = world.call_as(actor, &detail, &args, None).await;
                let what = format!("{} {id} as {actor:?}", pair.detail);
                world.observe(actor, &what, &res.body, failures);
                let opened = res.status == 200;
                let listed = list.contains(id.as_str());
                shown += usize::from(listed);
                if listed != opened {
                    failures.push(format!(
                        "{actor:?}: {} {} but {} {}",
                        pair.list.endpoint,
                        if listed { "lists" } else { "omits" },
                        pair.detail,
                        if opened { "opens it" } else { "refuses it" },
                    ));
                }
            }
            if shown == 0 {
                failures.push(format!(
                    "{actor:?}: {} showed nothing to compare",
                    pair.list.endpoint
                ));
            }
        }
    }
    for same in &SAME {
        let mine = ids(world, same.universe).await;
        let couple = world.ids["couple"].clone();
        assert!(!mine.is_empty(), "{}: nothing to compare", same.what);
        let others: Vec<String> =
            sqlx::query_scalar(&same.universe.replace("couple_id = $1", "couple_id <> $1"))
                .bind(&couple)
                .fetch_all(world.app.state.db.pool())
                .await
                .unwrap();
        for (actor, view) in same.views {
            let args = world.resolve(view.args).await;
            let page = world.call_as(*actor, view, &args, None).await;
            let what = format!("{} as {actor:?}", view.endpoint);
            world.observe(*actor, &what, &page.body, failures);
            let missing = mine
                .iter()
                .filter(|id| !page.body.contains(id.as_str()))
                .count();
            let foreign = others
                .iter()
                .filter(|id| page.body.contains(id.as_str()))
                .count();
            if missing + foreign > 0 {
                failures.push(format!(
                    "{actor:?}: {} shows {} {}: {missing} missing, {foreign} of another couple",
                    view.endpoint, same.what, page.status
                ));
            }
        }
    }
}
