//! The command line, run as the real binary: `--help`, `migrate`, `user add`, `serve --demo`.
use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

use crate::helpers::{TestApp, TestDb};

const BIN: &str = env!("CARGO_BIN_EXE_toezicht");

struct Output {
    ok: bool,
    stdout: String,
    stderr: String,
}

async fn run(database_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start toezicht");
    let mut pipe = child.stdin.take().unwrap();
    if let Some(input) = stdin {
        // A command that refuses its arguments exits before reading its input; the pipe is then
        // closed, which is what the test wants to see, not an error of the test.
        let _ = pipe.write_all(input.as_bytes()).await;
    }
    drop(pipe);
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("command finishes")
        .unwrap();
    Output {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[tokio::test]
async fn every_command_has_help() {
    for (args, expect) in [
        (vec!["--help"], "serve"),
        (vec!["serve", "--help"], "--demo"),
        (vec!["migrate", "--help"], "--database-url"),
        (vec!["user", "add", "--help"], "--password-stdin"),
    ] {
        let out = run("sqlite::memory:", &args, None).await;
        assert!(out.ok, "{args:?}: {}", out.stderr);
        assert!(
            out.stdout.contains(expect),
            "{args:?} mentions {expect}: {}",
            out.stdout
        );
    }
    let serve_help = run("sqlite::memory:", &["serve", "--help"], None)
        .await
        .stdout;
    for env in [
        "BIND_ADDR",
        "BASE_URL",
        "SMTP_URL",
        "MAIL_FROM",
        "SIGNAL_RATE_PER_MINUTE",
    ] {
        assert!(serve_help.contains(env), "serve --help names {env}");
    }
}

#[tokio::test]
async fn user_add_creates_a_user_who_can_sign_in() {
    let app = TestApp::spawn().await;
    let out = run(
        &app.test_db.url,
        &[
            "user",
            "add",
            "--email",
            "Nieuw@GGD.example",
            "--name",
            "Nieuwe Toezichthouder",
            "--role",
            "inspector",
            "--region",
            "gg1106",
            "--password-stdin",
        ],
        Some("een-lang-wachtwoord\n"),
    )
    .await;
    assert!(out.ok, "{}", out.stderr);
    assert!(out.stdout.contains("nieuw@ggd.example"));
    assert!(
        !out.stdout.contains("een-lang-wachtwoord") && !out.stderr.contains("een-lang-wachtwoord")
    );

    let response = app
        .post_json(
            "/api/v1/session",
            &json!({"email": "nieuw@ggd.example", "password": "een-lang-wachtwoord"}),
            None,
        )
        .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["region_code"], "GG1106");
    assert_eq!(body["user"]["name"], "Nieuwe Toezichthouder");
}

#[tokio::test]
async fn user_add_refuses_what_breaks_the_role_rules_and_stores_nothing() {
    let db = TestDb::create().await;
    let base = [
        "user",
        "add",
        "--email",
        "x@ggd.example",
        "--name",
        "X",
        "--password-stdin",
    ];
    let cases: [(&[&str], &str, &str); 6] = [
        (&["--role", "inspector"], "goed-wachtwoord-1", "GGD-regio"),
        (
            &["--role", "inspector", "--region", "GG0000"],
            "goed-wachtwoord-1",
            "Onbekende GGD-regio GG0000",
        ),
        (
            &[
                "--role",
                "provider",
                "--provider",
                "6d0e1a2b-0000-4000-8000-000000000099",
            ],
            "goed-wachtwoord-1",
            "Onbekende aanbieder",
        ),
        (
            &["--role", "admin", "--region", "GG1106"],
            "goed-wachtwoord-1",
            "beheerder",
        ),
        (&["--role", "admin"], "kort", "minstens 10 tekens"),
        (&["--role", "superuser"], "goed-wachtwoord-1", "superuser"),
    ];
    for (extra, password, message) in cases {
        let args: Vec<&str> = base.iter().chain(extra.iter()).copied().collect();
        let out = run(&db.url, &args, Some(password)).await;
        assert!(!out.ok, "{extra:?} should fail");
        assert!(out.stderr.contains(message), "{extra:?}: {}", out.stderr);
    }
    let no_stdin = run(
        &db.url,
        &[
            "user",
            "add",
            "--email",
            "y@ggd.example",
            "--name",
            "Y",
            "--role",
            "admin",
        ],
        None,
    )
    .await;
    assert!(!no_stdin.ok);
    assert!(no_stdin.stderr.contains("--password-stdin"));

    // The same email twice: the second is refused, the first still works.
    let add = |email: &'static str| {
        let url = db.url.clone();
        async move {
            run(
                &url,
                &[
                    "user",
                    "add",
                    "--email",
                    email,
                    "--name",
                    "Z",
                    "--role",
                    "admin",
                    "--password-stdin",
                ],
                Some("goed-wachtwoord-1"),
            )
            .await
        }
    };
    assert!(add("z@ggd.example").await.ok);
    let again = add("Z@GGD.example").await;
    assert!(!again.ok);
    assert!(
        again.stderr.contains("Er is al een gebruiker"),
        "{}",
        again.stderr
    );
}

#[tokio::test]
async fn migrate_is_repeatable() {
    let db = TestDb::create().await;
    for _ in 0..2 {
        let out = run(&db.url, &["migrate"], None).await;
        assert!(out.ok, "{}", out.stderr);
        assert!(out.stdout.contains("bijgewerkt"));
    }
}

/// Starts `serve --demo` on a free port and returns the process and its address.
async fn serve_demo(url: &str) -> (tokio::process::Child, String, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--demo"])
        .env("DATABASE_URL", url)
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    let address = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            printed.push_str(&line);
            printed.push('\n');
            if let Some(rest) = line.strip_prefix("toezicht draait op ") {
                return rest.split_whitespace().next().unwrap().to_string();
            }
        }
        panic!("serve stopped before it was ready: {printed}");
    })
    .await
    .expect("serve becomes ready");
    (child, address, printed)
}

#[tokio::test]
async fn serve_demo_prints_demo_users_who_can_sign_in_and_loads_them_once() {
    let db = TestDb::create().await;
    let (mut child, address, printed) = serve_demo(&db.url).await;
    assert!(
        printed.contains("toezichthouder.twente@toezicht.example"),
        "{printed}"
    );
    assert!(printed.contains(toezicht::db::demo::DEMO_PASSWORD));
    let client = reqwest::Client::new();
    for login in &toezicht::db::demo::DEMO_LOGINS {
        let response = client
            .post(format!("{address}/api/v1/session"))
            .json(&json!({"email": login.email, "password": toezicht::db::demo::DEMO_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", login.email);
    }
    let page = client.get(format!("{address}/login")).send().await.unwrap();
    assert_eq!(page.status(), 200);

    // The demo register: providers in both demo regions, each inspector seeing its own.
    let total_for = |email: &'static str| {
        let client = client.clone();
        let address = address.clone();
        async move {
            let session: Value = client
                .post(format!("{address}/api/v1/session"))
                .json(&json!({"email": email, "password": toezicht::db::demo::DEMO_PASSWORD}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let list: Value = client
                .get(format!("{address}/api/v1/providers?per_page=200"))
                .bearer_auth(session["token"].as_str().unwrap())
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let regions: std::collections::BTreeSet<String> = list["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["region_code"].as_str().unwrap().to_string())
                .collect();
            (list["total"].as_u64().unwrap(), regions)
        }
    };
    let (all, regions) = total_for("beheerder@toezicht.example").await;
    assert!(all >= 40, "at least 40 demo providers, got {all}");
    assert_eq!(
        regions.into_iter().collect::<Vec<_>>(),
        ["GG1106", "GG7014"]
    );
    let (twente, regions) = total_for("toezichthouder.twente@toezicht.example").await;
    assert!(twente >= 20 && twente < all);
    assert_eq!(regions.into_iter().collect::<Vec<_>>(), ["GG1106"]);

    // Demo signals: every category and every status, each region seeing its own.
    let signals_for = |email: &'static str| {
        let client = client.clone();
        let address = address.clone();
        async move {
            let session: Value = client
                .post(format!("{address}/api/v1/session"))
                .json(&json!({"email": email, "password": toezicht::db::demo::DEMO_PASSWORD}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let list: Value = client
                .get(format!("{address}/api/v1/signals?per_page=200"))
                .bearer_auth(session["token"].as_str().unwrap())
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            list["items"].as_array().unwrap().clone()
        }
    };
    let all_signals = signals_for("beheerder@toezicht.example").await;
    let set = |key: &str| {
        all_signals
            .iter()
            .map(|s| s[key].as_str().unwrap().to_string())
            .collect::<std::collections::BTreeSet<_>>()
    };
    assert_eq!(set("category").len(), 7, "every category");
    assert_eq!(set("status").len(), 5, "every status");
    assert!(
        all_signals
            .iter()
            .any(|s| s["reporter_role"] == "aanbieder" && s["calamity"].is_object()),
        "the demo provider's calamity report"
    );
    let twente_signals = signals_for("toezichthouder.twente@toezicht.example").await;
    assert!(
        !twente_signals.is_empty() && twente_signals.iter().all(|s| s["region_code"] == "GG1106")
    );

    // Demo visits (their story is checked in `demo.rs`): the inspector's completed visits.
    let session: Value = client
        .post(format!("{address}/api/v1/session"))
        .json(&json!({"email": "toezichthouder.twente@toezicht.example", "password": toezicht::db::demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let done: Value = client
        .get(format!("{address}/api/v1/visits?status=uitgevoerd"))
        .bearer_auth(session["token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(done["total"].as_u64().unwrap() >= 12, "{done}");
    child.kill().await.unwrap();

    // A second start finds the demo data present and starts just the same.
    let (mut again, address, printed) = serve_demo(&db.url).await;
    assert!(printed.contains("beheerder@toezicht.example"));
    let response = client
        .post(format!("{address}/api/v1/session"))
        .json(&json!({"email": "kwaliteit@delinde.example", "password": toezicht::db::demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["user"]["provider_id"],
        toezicht::db::demo::DEMO_PROVIDER_ID.to_string()
    );
    again.kill().await.unwrap();
}

#[tokio::test]
async fn providers_import_stores_nothing_when_a_row_is_bad_unless_asked() {
    let db = TestDb::create().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lijst.csv");
    std::fs::write(
        &file,
        "naam;kvk_nummer;email;straat;huisnummer;postcode;plaats;gemeente;diensten\n\
         Goede Zorg;80001111;info@goed.example;Markt;1;7511 AA;Enschede;Enschede;begeleiding\n\
         Foute Zorg;80002222;info@fout.example;Markt;2;0511 AA;Enschede;Enschede;begeleiding\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let out = run(&db.url, &["providers", "import", path], None).await;
    assert!(!out.ok);
    assert!(
        out.stderr
            .contains("regel 3: postcode: Een postcode begint niet met een 0."),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("0 aanbieders opgeslagen"));

    let out = run(
        &db.url,
        &["providers", "import", "--valid-only", path],
        None,
    )
    .await;
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stdout.contains("1 aanbieder opgeslagen"),
        "{}",
        out.stdout
    );

    let missing = run(&db.url, &["providers", "import", "/bestaat/niet.csv"], None).await;
    assert!(!missing.ok);
    assert!(missing.stderr.contains("kan /bestaat/niet.csv niet lezen"));
}

#[tokio::test]
async fn signals_erase_contacts_runs_from_the_command_line() {
    let db = TestDb::create().await;
    let out = run(
        &db.url,
        &["signals", "erase-contacts", "--retention-days", "30"],
        None,
    )
    .await;
    assert!(out.ok, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("Geen contactgegevens te wissen (bewaartermijn 30 dagen)."),
        "{}",
        out.stdout
    );
}
