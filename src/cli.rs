//! The command line: `serve`, `migrate`, `user add`, `providers import`, `signals erase-contacts`,
//! `demo-data`. Every option of `serve` can also come from
//! the environment; a flag wins over the environment.
use std::io::BufRead;

use clap::{Args, Parser, Subcommand};
use uuid::Uuid;

use crate::app::{self, AppState};
use crate::auth::users::{self, NewUser};
use crate::config::{Config, DEFAULT_DATABASE_URL, ServeConfig};
use crate::db;
use crate::domain::role::Role;
use crate::error::AppError;

#[derive(Debug, Parser)]
#[command(
    name = "toezicht",
    version,
    about = "Toezicht op de kwaliteit van Wmo-aanbieders door de GGD"
)]
pub struct Cli {
    /// Database: sqlite://pad.db?mode=rwc (standaard) of postgres://gebruiker@host/naam.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Werk de database bij en start de webserver.
    Serve(ServeArgs),
    /// Werk alleen de database bij (migraties en referentiegegevens).
    Migrate,
    /// Beheer gebruikers.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Meldingen.
    Signals {
        #[command(subcommand)]
        command: SignalCommand,
    },
    /// Maak een grote demodataset aan (reproduceerbaar uit --seed) in een lege database.
    DemoData(DemoDataArgs),
    /// Het register van aanbieders.
    Providers {
        #[command(subcommand)]
        command: ProviderCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum SignalCommand {
    /// Wis de naam en het e-mailadres van melders bij meldingen die langer dan de bewaartermijn
    /// zijn afgesloten (gebeurt ook dagelijks vanzelf in `serve`).
    EraseContacts {
        /// Bewaartermijn in dagen na het afsluiten.
        #[arg(long, env = "SIGNAL_CONTACT_RETENTION_DAYS", default_value_t = crate::config::DEFAULT_SIGNAL_CONTACT_RETENTION_DAYS)]
        retention_days: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum ProviderCommand {
    /// Importeer een lijst aanbieders uit een CSV-bestand (kolommen: zie README). Het hele bestand
    /// wordt eerst gecontroleerd; zonder --valid-only wordt niets opgeslagen als er één fout is.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Het CSV-bestand (; of , als scheidingsteken, UTF-8).
    pub file: std::path::PathBuf,
    /// Sla de goede regels op en sla de foute over.
    #[arg(long)]
    pub valid_only: bool,
}

#[derive(Debug, Args)]
pub struct DemoDataArgs {
    /// small: 200 aanbieders, 2.000 bezoeken, 10.000 meldingen (tests); national: 20.000
    /// aanbieders, 200.000 bezoeken, 3 miljoen beoordelingen, 1 miljoen meldingen.
    #[arg(long, value_enum)]
    pub scale: ScaleName,
    /// Startwaarde van de generator: dezelfde seed geeft (op dezelfde dag) dezelfde gegevens.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ScaleName {
    Small,
    National,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Laad ook demogegevens (eenmalig) en toon de demo-gebruikers.
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    pub config: ServeConfig,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Voeg een gebruiker toe; het wachtwoord komt via standaardinvoer.
    Add(UserAddArgs),
}

#[derive(Debug, Args)]
pub struct UserAddArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    #[arg(long, value_enum)]
    pub role: Role,
    /// GGD-regio van een toezichthouder, bijvoorbeeld GG1106.
    #[arg(long)]
    pub region: Option<String>,
    /// Id van de aanbieder van een aanbiedergebruiker.
    #[arg(long)]
    pub provider: Option<Uuid>,
    /// Lees het wachtwoord van standaardinvoer (eerste regel).
    #[arg(long)]
    pub password_stdin: bool,
}

pub async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve(args) => serve(&cli.database_url, args).await,
        Command::Migrate => {
            let db = connect_and_migrate(&cli.database_url).await?;
            db.close().await.ok();
            println!("De database is bijgewerkt.");
            Ok(())
        }
        Command::User {
            command: UserCommand::Add(args),
        } => add_user(&cli.database_url, args).await,
        Command::Providers {
            command: ProviderCommand::Import(args),
        } => import_providers(&cli.database_url, args).await,
        Command::DemoData(args) => {
            let scale = match args.scale {
                ScaleName::Small => db::generate::Scale::SMALL,
                ScaleName::National => db::generate::Scale::NATIONAL,
            };
            let db = connect_and_migrate(&cli.database_url).await?;
            let today = crate::domain::working_days::dutch_date(chrono::Utc::now());
            eprintln!("Demodata ({:?}, seed {}) aanmaken…", args.scale, args.seed);
            let summary = db::generate::generate(&db, scale, args.seed, today)
                .await
                .map_err(describe)?;
            db.close().await.ok();
            println!("{summary}");
            Ok(())
        }
        Command::Signals {
            command: SignalCommand::EraseContacts { retention_days },
        } => {
            let db = connect_and_migrate(&cli.database_url).await?;
            let erased = crate::signals::retention::erase_expired_contacts(
                &db,
                retention_days,
                chrono::Utc::now(),
            )
            .await
            .map_err(describe)?;
            if erased.is_empty() {
                println!("Geen contactgegevens te wissen (bewaartermijn {retention_days} dagen).");
            } else {
                println!(
                    "Contactgegevens gewist bij {}: {}",
                    plural(erased.len(), "melding", "meldingen"),
                    erased.join(", ")
                );
            }
            Ok(())
        }
    }
}

async fn import_providers(database_url: &str, args: ImportArgs) -> Result<(), String> {
    let bytes = std::fs::read(&args.file)
        .map_err(|err| format!("kan {} niet lezen: {err}", args.file.display()))?;
    let db = connect_and_migrate(database_url).await?;
    let outcome = crate::providers::csv_io::import(
        &db,
        &crate::audit::Actor::command_line(),
        &bytes,
        args.valid_only,
    )
    .await
    .map_err(describe)?;
    let checked = &outcome.checked;
    if let Some(problem) = &checked.file_error {
        return Err(format!("{}: {problem}", args.file.display()));
    }
    for error in &checked.errors {
        for message in &error.messages {
            eprintln!("regel {}: {message}", error.line);
        }
    }
    println!(
        "{} gelezen, {} goed, {} met fouten; {} opgeslagen.",
        plural(checked.rows, "regel", "regels"),
        checked.valid.len(),
        checked.errors.len(),
        plural(outcome.stored, "aanbieder", "aanbieders")
    );
    if !checked.errors.is_empty() && !args.valid_only {
        return Err("niets opgeslagen: verbeter de regels hierboven, of gebruik --valid-only om alleen de goede regels op te slaan".into());
    }
    Ok(())
}

async fn connect_and_migrate(url: &str) -> Result<sea_orm::DatabaseConnection, String> {
    let db = db::connect(url)
        .await
        .map_err(|err| format!("kan niet verbinden met de database: {err}"))?;
    db::migrate(&db)
        .await
        .map_err(|err| format!("bijwerken van de database mislukt: {err}"))?;
    Ok(db)
}

async fn serve(database_url: &str, args: ServeArgs) -> Result<(), String> {
    // Before anything else, so a bad weights file stops `serve` before it touches the database.
    let risk_weights = match &args.config.risk_weights_file {
        Some(path) => crate::risk::RiskWeights::from_file(path)?,
        None => crate::risk::RiskWeights::default(),
    };
    let db = connect_and_migrate(database_url).await?;
    if args.demo {
        db::demo::load(&db).await.map_err(describe)?;
    }
    let listener = tokio::net::TcpListener::bind(&args.config.bind_addr)
        .await
        .map_err(|err| format!("kan niet luisteren op {}: {err}", args.config.bind_addr))?;
    let addr = listener.local_addr().map_err(|err| err.to_string())?;
    let mut config = Config::from_serve(&args.config, addr);
    config.risk_weights = risk_weights;
    if args.demo {
        println!("{}", db::demo::sign_in_table(&config.base_url));
    }
    println!("toezicht draait op http://{addr} (stoppen: Ctrl-C)");
    let state = AppState::new(db, config).map_err(|err| err.to_string())?;
    app::serve(listener, state)
        .await
        .map_err(|err| format!("webserver gestopt: {err}"))
}

async fn add_user(database_url: &str, args: UserAddArgs) -> Result<(), String> {
    if !args.password_stdin {
        return Err(
            "geef het wachtwoord via standaardinvoer met --password-stdin, zodat het niet in \
             de shellgeschiedenis belandt"
                .into(),
        );
    }
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(|err| format!("kan het wachtwoord niet lezen: {err}"))?;
    let password = password.trim_end_matches(['\r', '\n']).to_string();
    let db = connect_and_migrate(database_url).await?;
    let created = users::add_user(
        &db,
        NewUser {
            email: args.email,
            name: args.name,
            role: args.role,
            region_code: args.region.map(|r| r.trim().to_uppercase()),
            provider_id: args.provider,
            password,
        },
    )
    .await
    .map_err(describe)?;
    println!("Gebruiker toegevoegd: {} ({})", created.email, created.id);
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A readable line for the terminal; validation errors name each field, and an internal error
/// its cause: the person at the terminal runs the installation, and "something went wrong on
/// our side" alone (what a web visitor reads) leaves them nothing to act on.
fn describe(err: AppError) -> String {
    match err {
        AppError::Validation(errors) => errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("\n"),
        AppError::Internal(cause) => cause,
        other => other.problem().detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldError;

    #[test]
    fn an_internal_error_names_its_cause_at_the_terminal() {
        let line = describe(AppError::Internal("no such table: main.signals".into()));
        assert_eq!(line, "no such table: main.signals");
    }

    #[test]
    fn a_validation_error_names_each_field() {
        let line = describe(AppError::Validation(vec![
            FieldError::new("email", "Vul een e-mailadres in."),
            FieldError::new("name", "Vul een naam in."),
        ]));
        assert_eq!(
            line,
            "email: Vul een e-mailadres in.\nname: Vul een naam in."
        );
    }
}
