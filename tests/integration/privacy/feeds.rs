//! Every calendar feed is a place too, read by whoever holds its address. Each person makes
//! theirs in Settings; it is then read as a calendar app reads it (no cookies, no sign-in)
//! and what it shows counts as shown to its owner. A counselor's is read by initials and
//! again with the names they may choose to show.

use super::model::{ALL, Actor};
use super::world::World;
use crate::helpers::Browser;

/// Everyone signed in makes their feed, through the Settings form; returns each address.
pub async fn make_every_feed(world: &mut World<'_>) -> Vec<(Actor, String)> {
    let mut feeds = Vec::new();
    for actor in ALL.into_iter().filter(|a| *a != Actor::Anonymous) {
        let b = world.browser(actor);
        let res = b.submit("/settings", "/api/make_calendar_link", &[]).await;
        assert!(
            res.location.is_some(),
            "{actor:?} makes a feed: {} {}",
            res.status,
            res.body
        );
        let page = b.get("/settings").await;
        let address = crate::calendar::shown_address(&page)
            .unwrap_or_else(|| panic!("{actor:?}'s Settings show the address"));
        feeds.push((actor, address));
    }
    feeds
}

/// Reads each feed as its owner; returns how many reads were made.
pub async fn read_every_feed(
    world: &mut World<'_>,
    feeds: &[(Actor, String)],
    failures: &mut Vec<String>,
) -> usize {
    let mut reads = 0;
    for (actor, address) in feeds {
        let counselor = super::COUNSELORS.contains(actor);
        for names in [false, true] {
            if names && !counselor {
                continue;
            }
            if names {
                world
                    .ok(*actor, "set_calendar_names", &[("full_names", "on")])
                    .await;
            }
            let page = Browser::new("").get(address).await;
            reads += 1;
            let what = format!("the calendar feed of {actor:?} (names: {names})");
            if page.status != 200 || !page.body.starts_with("BEGIN:VCALENDAR\r\n") {
                failures.push(format!("{what}: {} {}", page.status, page.body));
            }
            world.observe(*actor, &what, &page.body, failures);
        }
    }
    reads
}
