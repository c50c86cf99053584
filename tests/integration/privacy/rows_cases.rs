//! Rows for cases, homework and the program.

use super::{A_ONLY, Actor::*, CASE_COUNSELOR, COUNSELORS, COUPLE, PARTNERS, Row, row};

pub const ROWS: &[Row] = &[
    // Cases.
    row(
        "create_couple",
        &[
            ("couple[case_name]", "Matrix case"),
            ("couple[partner1_name]", "One"),
            ("couple[partner1_email]", "{new_email}"),
            ("couple[partner2_name]", "Two"),
            ("couple[partner2_email]", "{new_email}"),
        ],
        COUNSELORS,
    ),
    row(
        "list_caseload",
        &[("q", ""), ("status", ""), ("page", "1")],
        COUNSELORS,
    ),
    // One row for every section: the section changes what is read, never who may read it.
    row(
        "get_case_section",
        &[("couple_id", "{couple}")],
        CASE_COUNSELOR,
    ),
    row("get_couple", &[("couple_id", "{couple}")], CASE_COUNSELOR),
    row(
        "set_case_status",
        &[("couple_id", "{new_couple}"), ("status", "active")],
        CASE_COUNSELOR,
    ),
    row("my_couples", &[], PARTNERS),
    row(
        "update_couple",
        &[
            ("couple_id", "{couple}"),
            ("couple[case_name]", "Jordan & Casey"),
            ("couple[partner1_name]", "Jordan Lee"),
            ("couple[partner1_email]", "jordan@example.org"),
            ("couple[partner1_role]", "broke_trust"),
            ("couple[partner2_name]", "Casey Lee"),
            ("couple[partner2_email]", "casey@example.org"),
            ("couple[partner2_role]", "hurt"),
            ("couple[rupture_date]", "2026-05-01"),
            ("couple[presenting_concerns]", "Affair disclosed in May."),
        ],
        CASE_COUNSELOR,
    ),
    // Homework.
    row(
        "assign_homework",
        &[
            ("couple_id", "{couple}"),
            ("recipients", "1"),
            ("title", "Matrix homework"),
            ("instructions", "Write."),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "cancel_homework",
        &[("assignment_id", "{new_assignment}")],
        CASE_COUNSELOR,
    ),
    row("my_homework", &[], PARTNERS),
    row(
        "get_homework",
        &[("assignment_id", "{assignment_a}")],
        A_ONLY,
    ),
    row(
        "save_homework",
        &[
            ("assignment_id", "{new_assignment}"),
            ("answers[response]", "draft words"),
            ("visibility", "counselor"),
            ("intent", "draft"),
        ],
        A_ONLY,
    ),
    // Autosave while typing: a draft, the partner's alone (never submitted, never shared).
    row(
        "autosave_homework",
        &[
            ("assignment_id", "{new_assignment}"),
            ("answers[response]", "words typed so far"),
            ("visibility", "shared"),
        ],
        A_ONLY,
    ),
    // Work done together: both partners write; their counselor reads, cancels and drafts
    // agreements from it.
    row(
        "get_joint",
        &[("joint_id", "{joint}")],
        &[PartnerA, PartnerB, Counselor],
    ),
    row(
        "save_joint",
        &[
            ("joint_id", "{new_joint}"),
            ("answers[pause_signal]", "A hand up"),
            ("base_version", "0"),
            ("intent", "save"),
        ],
        COUPLE,
    ),
    row(
        "cancel_joint",
        &[("joint_id", "{new_joint}")],
        CASE_COUNSELOR,
    ),
    row(
        "joint_agreements",
        &[
            ("joint_id", "{new_written_joint}"),
            ("version", "1"),
            ("chosen[pause_signal]", "on"),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "get_assignment",
        &[("assignment_id", "{assignment_a}")],
        CASE_COUNSELOR,
    ),
    row(
        "review_homework",
        &[
            ("assignment_id", "{new_submitted_assignment}"),
            ("feedback", "Thank you"),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "assignment_form",
        &[("couple_id", "{couple}")],
        CASE_COUNSELOR,
    ),
    row("review_queue", &[], COUNSELORS),
    // The program.
    row("list_programs", &[], COUNSELORS),
    row("get_program", &[("program_id", "{program}")], COUNSELORS),
    row(
        "move_couple_step",
        &[
            ("couple_id", "{couple}"),
            ("program_id", "{program}"),
            ("to_step", "1"),
            ("reason", "Starting"),
        ],
        CASE_COUNSELOR,
    ),
    row(
        "duplicate_program",
        &[("program_id", "{program}"), ("title", "Copy")],
        COUNSELORS,
    ),
    row(
        "get_template_edit",
        &[("template_id", "{template}")],
        COUNSELORS,
    ),
    row(
        "save_template",
        &[
            ("program_id", "{program_copy}"),
            ("step", "2"),
            ("exercise[title]", "Weather report"),
            ("exercise[instructions]", "Name the weather inside you."),
            ("exercise[audience]", "both"),
            ("exercise[cadence]", "daily"),
            ("exercise[questions]", "text: Today's weather"),
        ],
        COUNSELORS,
    ),
];
