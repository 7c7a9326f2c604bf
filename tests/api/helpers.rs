//! `TestApp::spawn()`: the real application on a random port against its own fresh database,
//! migrated with the real migrations: a temp SQLite file, or a new PostgreSQL database when
//! `TEST_DATABASE_URL` is set (the CI runs every test both ways).
use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use reqwest::header::CONTENT_TYPE;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, Set};
use serde_json::{Value, json};
use toezicht::app::{self, AppState};
use toezicht::auth::users::{self, NewUser};
use toezicht::config::Config;
use toezicht::db::entities::provider;
use toezicht::domain::role::Role;
use uuid::Uuid;

pub use crate::smtp_sink::SmtpSink;

pub const PASSWORD: &str = "een-goed-wachtwoord";

/// A database of its own for one test.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn create() -> TestDb {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(base) if !base.is_empty() => {
                let admin = Database::connect(&base)
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                let name = format!("toezicht_test_{}", Uuid::new_v4().simple());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                let (prefix, _) = base.rsplit_once('/').expect("database URL has a path");
                TestDb {
                    url: format!("{prefix}/{name}"),
                    _dir: None,
                }
            }
            _ => {
                let dir = tempfile::tempdir().expect("temp dir");
                let path = dir.path().join("test.db");
                TestDb {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    _dir: Some(dir),
                }
            }
        }
    }
}

pub struct TestApp {
    pub base_url: String,
    pub db: DatabaseConnection,
    /// The app's own state (templates for `mail::enqueue`, `mail::worker::run_once`).
    pub state: AppState,
    /// Does not follow redirects, so tests see them; keeps cookies like a browser.
    pub client: reqwest::Client,
    pub test_db: TestDb,
    /// The SMTP server the app sends to, unless the test configured another `smtp_url`.
    pub smtp: SmtpSink,
    /// Where the file mailer writes when a test sets `smtp_url` to `None`.
    pub mail_dir: PathBuf,
    /// Keeps `mail_dir` alive as long as the app.
    pub _mail_dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// With changes to the configuration. By default email goes over SMTP to `app.smtp`, the
    /// outbox worker runs, and a failed send is tried again after 1 s, 2 s, 4 s, …
    pub async fn spawn_with(configure: impl FnOnce(&mut Config)) -> TestApp {
        Self::start(TestDb::create().await, configure).await
    }

    /// Another instance of the app on the database of an existing one (`app.test_db.url`),
    /// as behind a load balancer. The first app keeps the database alive.
    pub async fn spawn_on(database_url: &str, configure: impl FnOnce(&mut Config)) -> TestApp {
        let test_db = TestDb {
            url: database_url.to_string(),
            _dir: None,
        };
        Self::start(test_db, configure).await
    }

    async fn start(test_db: TestDb, configure: impl FnOnce(&mut Config)) -> TestApp {
        // Errors the app logs (a template that fails, say) show up in a failing test's output.
        toezicht::telemetry::init();
        let db = toezicht::db::connect(&test_db.url).await.expect("connect");
        toezicht::db::migrate(&db).await.expect("migrate");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let base_url = format!("http://{address}");
        let smtp = SmtpSink::start().await;
        let mail_dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config::with_defaults(&base_url);
        config.mail_from = "GGD Toezicht <toezicht@ggd.example>".into();
        config.smtp_url = Some(smtp.url());
        config.mail_dir = mail_dir.path().join("mail-out");
        config.mail_retry_base_secs = 1;
        configure(&mut config);
        let state = AppState::new(db.clone(), config).expect("state");
        tokio::spawn(app::serve(listener, state.clone()));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .unwrap();
        TestApp {
            base_url,
            db,
            state,
            client,
            test_db,
            smtp,
            mail_dir: mail_dir.path().join("mail-out"),
            _mail_dir: mail_dir,
        }
    }

    /// Queues the sample email `emails/test` for `to` through the code other areas use, and
    /// wakes the worker as they would after their commit.
    pub async fn enqueue_test_mail(&self, to: &str, name: &str, note: &str) -> Uuid {
        let id = toezicht::mail::enqueue(
            &self.db,
            &self.state.templates,
            to,
            "test",
            &json!({"name": name, "note": note}),
        )
        .await
        .expect("enqueue");
        self.state.wake_mail_worker();
        id
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// A user created directly through the same code the command line uses.
    pub async fn add_user(
        &self,
        email: &str,
        role: Role,
        region: Option<&str>,
        provider: Option<Uuid>,
    ) -> Uuid {
        users::add_user(
            &self.db,
            NewUser {
                email: email.into(),
                name: format!("Test {}", role.as_str()),
                role,
                region_code: region.map(str::to_string),
                provider_id: provider,
                password: PASSWORD.into(),
            },
        )
        .await
        .expect("add user")
        .id
    }

    pub async fn post_json(
        &self,
        path: &str,
        body: &Value,
        token: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request")
    }

    /// Signs in through the API and returns the bearer token.
    pub async fn token_for(&self, email: &str) -> String {
        let response = self
            .post_json(
                "/api/v1/session",
                &json!({"email": email, "password": PASSWORD}),
                None,
            )
            .await;
        assert_eq!(response.status(), 201, "sign-in of {email}");
        let body: Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_string()
    }

    pub async fn admin_token(&self) -> String {
        self.add_user("beheer@ggd.example", Role::Admin, None, None)
            .await;
        self.token_for("beheer@ggd.example").await
    }

    pub async fn inspector_token(&self, region: &str) -> String {
        let email = format!("toezicht.{}@ggd.example", region.to_lowercase());
        self.add_user(&email, Role::Inspector, Some(region), None)
            .await;
        self.token_for(&email).await
    }

    /// Inserts a provider row (the register's API builds on the same table).
    pub async fn insert_provider(&self, name: &str, municipality: &str, region: &str) -> Uuid {
        let id = Uuid::new_v4();
        let kvk: String = id.as_u128().to_string().chars().take(8).collect();
        provider::ActiveModel {
            id: Set(id),
            name: Set(name.into()),
            kvk_number: Set(kvk),
            agb_code: Set(None),
            email: Set("info@aanbieder.example".into()),
            phone: Set(None),
            street: Set("Dorpsstraat".into()),
            house_number: Set("1".into()),
            postcode: Set("1234 AB".into()),
            city: Set("Plaats".into()),
            municipality_code: Set(municipality.into()),
            region_code: Set(region.into()),
            services: Set(r#"["begeleiding"]"#.into()),
            active: Set(true),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
            last_visit_at: Set(None),
        }
        .insert(&self.db)
        .await
        .expect("insert provider");
        id
    }
}

/// Polls `check` every 50 ms until it returns `Some`, for at most 20 s; then fails naming `what`.
/// For things that happen in the background (the outbox worker), instead of fixed sleeps.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub async fn problem(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(content_type, "application/problem+json", "status {status}");
    let body: Value = response.json().await.expect("problem body");
    assert_eq!(
        body["status"].as_u64(),
        Some(u64::from(status)),
        "status member matches"
    );
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["type"].as_str().is_some());
    (status, body)
}

/// The CSRF token of the (first) form on a page: the hidden field's value.
pub fn csrf_of(html: &str) -> String {
    let marker = r#"name="csrf_token" value=""#;
    let start = html.find(marker).expect("form has a CSRF field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// Signs in through the login page, as a person would; the client keeps the session cookie.
pub async fn sign_in_on_page(app: &TestApp, email: &str) {
    let csrf = csrf_of(&app.get("/login", None).await.text().await.unwrap());
    let response = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("email", email),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303, "sign-in of {email}");
}
