//! `/beheer/e-mails`: an admin sees every email template rendered with its sample data; the HTML
//! part comes with its own, framable policy while every page around it keeps the strict one.
use toezicht::domain::role::Role;
use toezicht::mail::{render, samples};

use crate::helpers::{TestApp, sign_in_on_page};

/// The template directories on disk: a new one without a sample fails here.
fn template_names() -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/emails");
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers()[name].to_str().unwrap().to_string()
}

#[tokio::test]
async fn an_admin_previews_every_email_template() {
    let app = TestApp::spawn().await;
    app.add_user("beheer@ggd.example", Role::Admin, None, None)
        .await;
    sign_in_on_page(&app, "beheer@ggd.example").await;

    let list = app.get("/beheer/e-mails", None).await;
    assert_eq!(list.status(), 200);
    let list = list.text().await.unwrap();
    assert!(list.contains(r#"href="/beheer/e-mails" aria-current="page">E-mailvoorbeelden"#));
    assert!(
        !list.contains("Geen voorbeeld"),
        "every template has a sample"
    );

    let names = template_names();
    for required in [
        "improvement_due",
        "report_reminder",
        "signal_confirmation",
        "signal_status",
        "test",
        "visit_notice",
    ] {
        assert!(names.iter().any(|n| n == required), "{required}");
    }
    for name in &names {
        let sample =
            samples::find(name).unwrap_or_else(|| panic!("templates/emails/{name} has no sample"));
        let expected = render(&app.state.templates, name, &(sample.context)()).unwrap();
        assert!(
            list.contains(&format!(r#"href="/beheer/e-mails/{name}""#)),
            "{name}"
        );

        let page = app.get(&format!("/beheer/e-mails/{name}"), None).await;
        assert_eq!(page.status(), 200, "{name}");
        let csp = header(&page, "content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"));
        let page = page.text().await.unwrap();
        assert!(
            page.contains(&handlebars::html_escape(&expected.subject)),
            "{name}: {page}"
        );
        let first_line = expected.text.lines().next().unwrap();
        assert!(
            page.contains(&handlebars::html_escape(first_line)),
            "{name}"
        );
        assert!(page.contains(&format!(
            r#"<iframe class="email-frame" src="/beheer/e-mails/{name}/html" sandbox"#
        )));

        let part = app.get(&format!("/beheer/e-mails/{name}/html"), None).await;
        assert_eq!(part.status(), 200, "{name}");
        let csp = header(&part, "content-security-policy");
        for directive in [
            "default-src 'none'",
            "style-src 'unsafe-inline'",
            "frame-ancestors 'self'",
            "sandbox",
        ] {
            assert!(csp.contains(directive), "{name}: {csp}");
        }
        assert!(!csp.contains("script-src"), "no script at all: {csp}");
        assert_eq!(header(&part, "x-frame-options"), "SAMEORIGIN");
        assert!(header(&part, "content-type").starts_with("text/html"));
        assert_eq!(part.text().await.unwrap(), expected.html, "{name}");
    }

    let sample = app.get("/beheer/e-mails/report_reminder", None).await;
    let sample = sample.text().await.unwrap();
    assert!(sample.contains("Herinnering: uw reactie op het conceptrapport uiterlijk"));
    assert!(sample.contains("Zorggroep Voorbeeld"));
    assert_eq!(
        app.get("/beheer/e-mails/bestaat_niet", None).await.status(),
        404
    );
    assert_eq!(
        app.get("/beheer/e-mails/bestaat_niet/html", None)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_previews_are_for_admins_only() {
    let app = TestApp::spawn().await;
    app.add_user(
        "toezicht@ggd.example",
        Role::Inspector,
        Some("GG1106"),
        None,
    )
    .await;
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for path in [
        "/beheer/e-mails",
        "/beheer/e-mails/report_reminder",
        "/beheer/e-mails/report_reminder/html",
    ] {
        let response = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 303, "{path}");
        assert!(header(&response, "location").starts_with("/login?next="));
    }
    sign_in_on_page(&app, "toezicht@ggd.example").await;
    for path in [
        "/beheer/e-mails",
        "/beheer/e-mails/report_reminder",
        "/beheer/e-mails/report_reminder/html",
    ] {
        assert_eq!(app.get(path, None).await.status(), 403, "{path}");
    }
    let home = app.get("/account", None).await.text().await.unwrap();
    assert!(!home.contains("/beheer/e-mails"), "no link for inspectors");
}
