//! Reminders to providers (`reports::reminders`): the response deadline of a sent report, and
//! improvement points due within 10 days, each once, over real SMTP. The job runs with a chosen
//! `now` a year ahead, so the app's own hourly run (with the real time) never touches these rows.
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use toezicht::db::entities::{improvement_point, outbox_message, report};
use toezicht::domain::text::date_nl;
use toezicht::domain::working_days::{add_working_days, dutch_date, sub_working_days};

use crate::helpers::{TestApp, eventually};
use crate::reminder_fixtures::{far_day, noon, outbox_count, point, provider_at, report_of, run};

#[tokio::test]
async fn a_report_near_its_deadline_is_reminded_once() {
    let app = TestApp::spawn().await;
    let deadline = add_working_days(far_day(), 10);
    let today = sub_working_days(deadline, 2);
    let visit_day = today - Duration::days(20);
    let due_soon = provider_at(
        &app,
        "Zorggroep Herinnering",
        "herinnering@aanbieder.example",
    )
    .await;
    let later = provider_at(&app, "Thuiszorg Later", "later@aanbieder.example").await;
    let answered = provider_at(
        &app,
        "Begeleiding Gereageerd",
        "gereageerd@aanbieder.example",
    )
    .await;
    let reminded = report_of(&app, due_soon, visit_day, "verzonden", Some(deadline)).await;
    let further = report_of(
        &app,
        later,
        visit_day,
        "verzonden",
        Some(add_working_days(deadline, 5)),
    )
    .await;
    let responded = report_of(
        &app,
        answered,
        visit_day,
        "zienswijze_ontvangen",
        Some(deadline),
    )
    .await;
    let passed = report_of(
        &app,
        later,
        visit_day,
        "verzonden",
        Some(today - Duration::days(1)),
    )
    .await;

    // Two instances at once: the claim lets exactly one of them queue the email.
    let (first, second) = tokio::join!(run(&app, noon(today)), run(&app, noon(today)));
    assert_eq!(first.0 + second.0, 1, "{first:?} {second:?}");
    assert_eq!(first.1 + second.1, 0);

    let mails = app.smtp.wait_for(1).await;
    let mail = &mails[0];
    assert_eq!(mail.rcpt_to, ["herinnering@aanbieder.example"]);
    let deadline_nl = date_nl(deadline);
    assert_eq!(
        mail.header("Subject").unwrap(),
        format!("Herinnering: uw reactie op het conceptrapport uiterlijk {deadline_nl}")
    );
    let link = format!("{}/portaal/rapporten/{reminded}", app.base_url);
    let text = mail.part("text/plain").unwrap();
    let html = mail.part("text/html").unwrap();
    for part in [&text, &html] {
        assert!(part.contains(&deadline_nl), "{part}");
        assert!(part.contains(&link), "{part}");
        assert!(part.contains("Zorggroep Herinnering"), "{part}");
        assert!(part.contains(&date_nl(visit_day)), "{part}");
        assert!(
            !part.contains("Jan Voorbeeld"),
            "nothing of the report's text: {part}"
        );
    }

    // Again the same day, on the deadline day itself: nothing more.
    assert_eq!(run(&app, noon(today)).await, (0, 0));
    assert_eq!(run(&app, noon(deadline)).await, (0, 0));
    assert_eq!(outbox_count(&app).await, 1);
    let reminder_of = |id| {
        let db = app.db.clone();
        async move {
            report::Entity::find_by_id(id)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
                .reminder_sent_at
        }
    };
    assert_eq!(reminder_of(reminded).await, Some(noon(today)));
    for id in [further, responded, passed] {
        assert_eq!(reminder_of(id).await, None);
    }

    // The report further away gets its reminder when its own window opens, and only it.
    assert_eq!(run(&app, noon(deadline + Duration::days(1))).await.0, 0);
    assert_eq!(run(&app, noon(add_working_days(deadline, 2))).await, (1, 0));
    let mails = app.smtp.wait_for(2).await;
    assert_eq!(mails[1].rcpt_to, ["later@aanbieder.example"]);
    assert_eq!(reminder_of(passed).await, None);
}

#[tokio::test]
async fn improvement_points_due_within_ten_days_are_announced_once_per_provider() {
    let app = TestApp::spawn().await;
    let today = far_day();
    let day = |n: i64| today + Duration::days(n);
    let first = provider_at(&app, "Zorggroep Verbeter", "verbeter@aanbieder.example").await;
    let other = provider_at(&app, "Wooncentrum Ander", "ander@aanbieder.example").await;
    let quiet = provider_at(&app, "Stichting Stil", "stil@aanbieder.example").await;

    let final_report = report_of(&app, first, day(-120), "definitief", Some(day(-100))).await;
    point(
        &app,
        final_report,
        "A1",
        "Punt over drie dagen",
        day(3),
        "open",
    )
    .await;
    point(
        &app,
        final_report,
        "F1",
        "Punt over tien dagen",
        day(10),
        "open",
    )
    .await;
    point(
        &app,
        final_report,
        "B1",
        "Punt over elf dagen",
        day(11),
        "open",
    )
    .await;
    point(
        &app,
        final_report,
        "B2",
        "Opgelost punt",
        day(2),
        "opgelost",
    )
    .await;
    point(
        &app,
        final_report,
        "C1",
        "Punt van gisteren",
        day(-1),
        "open",
    )
    .await;
    let sent_report = report_of(&app, first, day(-30), "verzonden", Some(day(30))).await;
    point(
        &app,
        sent_report,
        "D1",
        "Punt uit het verzonden rapport",
        day(5),
        "open",
    )
    .await;
    let concept = report_of(&app, first, day(-10), "concept", None).await;
    point(&app, concept, "E1", "Punt uit een concept", day(4), "open").await;
    let responded = report_of(
        &app,
        other,
        day(-60),
        "zienswijze_ontvangen",
        Some(day(-40)),
    )
    .await;
    point(&app, responded, "C3", "Punt van de ander", day(1), "open").await;
    let far = report_of(&app, quiet, day(-60), "definitief", Some(day(-40))).await;
    point(&app, far, "A2", "Punt ver weg", day(40), "open").await;

    let (a, b) = tokio::join!(run(&app, noon(today)), run(&app, noon(today)));
    assert_eq!((a.0 + b.0, a.1 + b.1), (0, 2), "{a:?} {b:?}");

    let mails = app.smtp.wait_for(2).await;
    let to = |address: &str| {
        mails
            .iter()
            .find(|m| m.rcpt_to == [address])
            .unwrap_or_else(|| panic!("a mail to {address}"))
    };
    let mine = to("verbeter@aanbieder.example");
    assert_eq!(
        mine.header("Subject").unwrap(),
        format!(
            "Verbeterpunten met een termijn tussen {} en {}",
            date_nl(day(3)),
            date_nl(day(10))
        )
    );
    for part in [
        mine.part("text/plain").unwrap(),
        mine.part("text/html").unwrap(),
    ] {
        // Criteria by code and title; never the point's own text (it quotes findings).
        for expected in ["A1", "F1", "D1", "medewerkers hebben een geldige VOG"] {
            assert!(part.contains(expected), "{expected}: {part}");
        }
        for date in [day(3), day(5), day(10)] {
            assert!(part.contains(&date_nl(date)), "{part}");
        }
        for link in [final_report, sent_report] {
            assert!(part.contains(&format!("{}/portaal/rapporten/{link}", app.base_url)));
        }
        for absent in [
            "Punt over drie dagen",
            "Punt over tien dagen",
            "Punt uit het verzonden rapport",
            "B1",
            "B2",
            "C1",
            "E1",
            "C3",
            "A2",
            "Jan Voorbeeld",
        ] {
            assert!(!part.contains(absent), "{absent}: {part}");
        }
    }
    let theirs = to("ander@aanbieder.example");
    assert_eq!(
        theirs.header("Subject").unwrap(),
        format!("Verbeterpunt met een termijn tot {}", date_nl(day(1)))
    );
    let text = theirs.part("text/plain").unwrap();
    assert!(text.contains("C3") && !text.contains("A1"), "{text}");

    assert_eq!(run(&app, noon(today)).await, (0, 0));
    assert_eq!(outbox_count(&app).await, 2);
    let announced = improvement_point::Entity::find()
        .filter(improvement_point::Column::DueReminderSentAt.is_not_null())
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(announced, 4, "A1, F1, D1 and C3");

    // The next day the point due on day 11 enters the window: a message with only that one.
    assert_eq!(run(&app, noon(day(1))).await, (0, 1));
    let mails = app.smtp.wait_for(3).await;
    assert_eq!(mails[2].rcpt_to, ["verbeter@aanbieder.example"]);
    let text = mails[2].part("text/plain").unwrap();
    assert!(text.contains("B1"), "{text}");
    assert!(!text.contains("A1"), "{text}");
    assert_eq!(run(&app, noon(day(1))).await, (0, 0));
}

#[tokio::test]
async fn the_app_runs_the_job_when_it_starts() {
    let app = TestApp::spawn().await;
    let today = dutch_date(Utc::now());
    let provider = provider_at(&app, "Zorggroep Nu", "nu@aanbieder.example").await;
    let due = add_working_days(today, 1);
    let id = report_of(
        &app,
        provider,
        today - Duration::days(14),
        "verzonden",
        Some(due),
    )
    .await;

    // A second instance on the same database runs the job at its start, without being asked
    // (or, should the first one's start-up run come late, that one: either way `serve` runs it).
    let _second = TestApp::spawn_on(&app.test_db.url, |_| {}).await;
    let queued = eventually("the reminder of the starting instance", || async {
        outbox_message::Entity::find()
            .filter(outbox_message::Column::ToAddress.eq("nu@aanbieder.example"))
            .one(&app.db)
            .await
            .unwrap()
    })
    .await;
    assert_eq!(
        queued.subject,
        format!(
            "Herinnering: uw reactie op het conceptrapport uiterlijk {}",
            date_nl(due)
        )
    );
    let found = report::Entity::find_by_id(id).one(&app.db).await.unwrap();
    assert!(found.unwrap().reminder_sent_at.is_some());
}
