//! Demo signals for `serve --demo`: every category and status, in both demo regions, spread
//! over the past year, with a history that walks the real transitions. Inserted with their
//! historical dates (so no emails go out) and only when there are no signals yet.
use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use uuid::Uuid;

use crate::auth::tokens;
use crate::db::entities::{provider, signal, user};
use crate::domain::working_days::dutch_date;
use crate::error::AppResult;
use crate::signals::create::CalamityDetails;
use crate::signals::queries::{record_event, triage_due};
use crate::signals::reference;
use crate::signals::rules::{Category, Priority, ReporterRole, SignalStatus};

struct DemoSignal {
    region: &'static str,
    /// Index into the region's providers by name; `None`: a provider not in the register.
    provider: Option<usize>,
    category: Category,
    status: SignalStatus,
    days_ago: i64,
    role: ReporterRole,
    contact: Option<(&'static str, &'static str)>,
    description: &'static str,
}

const SIGNALS: [DemoSignal; 15] = [
    DemoSignal {
        region: "GG1106",
        provider: Some(0),
        category: Category::KwaliteitZorg,
        status: SignalStatus::Ontvangen,
        days_ago: 1,
        role: ReporterRole::Naaste,
        contact: Some(("Ingrid Bosman", "ingrid.bosman@voorbeeld.example")),
        description: "De hulp bij het huishouden van mijn moeder komt al drie weken niet opdagen, zonder bericht vooraf.",
    },
    DemoSignal {
        region: "GG1106",
        provider: Some(3),
        category: Category::Bejegening,
        status: SignalStatus::Ontvangen,
        days_ago: 8,
        role: ReporterRole::Naaste,
        contact: Some(("Gerrit Oude Wesselink", "g.oudewesselink@voorbeeld.example")),
        description: "Mijn vader wordt door een vaste begeleider kleinerend toegesproken en uitgelachen als hij iets niet begrijpt.",
    },
    DemoSignal {
        region: "GG1106",
        provider: Some(5),
        category: Category::Veiligheid,
        status: SignalStatus::InBehandeling,
        days_ago: 20,
        role: ReporterRole::Medewerker,
        contact: None,
        description: "In de woonvoorziening zitten de nooduitgangen 's nachts op slot en er is dan geen slaapwacht aanwezig.",
    },
    DemoSignal {
        region: "GG1106",
        provider: Some(7),
        category: Category::Geweld,
        status: SignalStatus::Onderzoek,
        days_ago: 45,
        role: ReporterRole::Medewerker,
        contact: Some(("Anoek Brinkman", "anoek.brinkman@voorbeeld.example")),
        description: "Een bewoner is door een medebewoner geslagen; de begeleiding greep niet in en heeft het niet vastgelegd.",
    },
    DemoSignal {
        region: "GG1106",
        provider: Some(2),
        category: Category::Financieel,
        status: SignalStatus::Doorverwezen,
        days_ago: 80,
        role: ReporterRole::Client,
        contact: Some(("Henk Scholten", "h.scholten@voorbeeld.example")),
        description: "De aanbieder rekent mij een eigen bijdrage voor dagbesteding die de gemeente al vergoedt.",
    },
    DemoSignal {
        region: "GG1106",
        provider: Some(9),
        category: Category::Overig,
        status: SignalStatus::Afgesloten,
        days_ago: 150,
        role: ReporterRole::Client,
        contact: None,
        description: "Het is mij onduidelijk bij wie ik terecht kan met een klacht over de dagbesteding; niemand reageert.",
    },
    DemoSignal {
        region: "GG1106",
        provider: Some(11),
        category: Category::KwaliteitZorg,
        status: SignalStatus::Afgesloten,
        days_ago: 300,
        role: ReporterRole::Naaste,
        contact: Some(("Marloes Tijhuis", "marloes.tijhuis@voorbeeld.example")),
        description: "Het ondersteuningsplan van mijn zoon is al twee jaar niet met hem besproken of bijgewerkt.",
    },
    DemoSignal {
        region: "GG1106",
        provider: Some(4),
        category: Category::KwaliteitZorg,
        status: SignalStatus::Afgesloten,
        days_ago: 250,
        role: ReporterRole::Medewerker,
        contact: None,
        description: "Door personeelstekort worden cliënten in het weekend maar één keer per dag bezocht in plaats van drie keer.",
    },
    DemoSignal {
        region: "GG1106",
        provider: Some(6),
        category: Category::Financieel,
        status: SignalStatus::Ontvangen,
        days_ago: 0,
        role: ReporterRole::Naaste,
        contact: Some(("Jan Kamphuis", "jan.kamphuis@voorbeeld.example")),
        description: "Er zijn twee keer zoveel uren gedeclareerd bij de gemeente als er begeleiding is geweest.",
    },
    DemoSignal {
        region: "GG7014",
        provider: Some(1),
        category: Category::Bejegening,
        status: SignalStatus::InBehandeling,
        days_ago: 3,
        role: ReporterRole::Client,
        contact: Some(("Samira el Idrissi", "samira.elidrissi@voorbeeld.example")),
        description: "Bij de dagbesteding wordt er over mij gepraat waar ik bij sta, en mijn vragen worden weggewuifd.",
    },
    DemoSignal {
        region: "GG7014",
        provider: None,
        category: Category::Veiligheid,
        status: SignalStatus::Ontvangen,
        days_ago: 2,
        role: ReporterRole::Anders,
        contact: Some(("Peter de Graaf", "p.degraaf@voorbeeld.example")),
        description: "Als buurman zie ik dat er regelmatig niemand aanwezig is bij de bewoners van dit beschermd-wonenhuis.",
    },
    DemoSignal {
        region: "GG7014",
        provider: Some(3),
        category: Category::Geweld,
        status: SignalStatus::Afgesloten,
        days_ago: 200,
        role: ReporterRole::Naaste,
        contact: None,
        description: "Mijn zus vertelde dat een begeleider haar hard bij de arm pakte en haar in haar kamer opsloot.",
    },
    DemoSignal {
        region: "GG7014",
        provider: Some(5),
        category: Category::Calamiteit,
        status: SignalStatus::Onderzoek,
        days_ago: 30,
        role: ReporterRole::Medewerker,
        contact: Some(("Lotte Verbeek", "lotte.verbeek@voorbeeld.example")),
        description: "Een cliënt kreeg een verkeerde dosis medicatie en is met spoed in het ziekenhuis opgenomen.",
    },
    DemoSignal {
        region: "GG7014",
        provider: Some(7),
        category: Category::Overig,
        status: SignalStatus::Doorverwezen,
        days_ago: 120,
        role: ReporterRole::Client,
        contact: None,
        description: "Ik wil overstappen naar een andere aanbieder maar mijn dossier wordt niet overgedragen.",
    },
    DemoSignal {
        region: "GG7014",
        provider: Some(2),
        category: Category::KwaliteitZorg,
        status: SignalStatus::InBehandeling,
        days_ago: 60,
        role: ReporterRole::Naaste,
        contact: Some(("Wim van Dijk", "wim.vandijk@voorbeeld.example")),
        description: "Mijn moeder krijgt steeds andere hulpen over de vloer die haar situatie en wensen niet kennen.",
    },
];

/// The path of statuses a signal took to reach `status`.
fn path_to(status: SignalStatus) -> Vec<SignalStatus> {
    use SignalStatus::*;
    match status {
        Ontvangen => vec![Ontvangen],
        InBehandeling => vec![Ontvangen, InBehandeling],
        Onderzoek => vec![Ontvangen, InBehandeling, Onderzoek],
        Doorverwezen => vec![Ontvangen, InBehandeling, Doorverwezen],
        Afgesloten => vec![Ontvangen, InBehandeling, Onderzoek, Afgesloten],
    }
}

pub async fn load<C: ConnectionTrait>(db: &C, demo_provider: Uuid) -> AppResult<()> {
    if signal::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let now = Utc::now();
    for demo in &SIGNALS {
        let providers = provider::Entity::find()
            .filter(provider::Column::RegionCode.eq(demo.region))
            .order_by_asc(provider::Column::Name)
            .all(db)
            .await?;
        let chosen = demo
            .provider
            .and_then(|i| providers.get(i % providers.len().max(1)));
        let received_at = now - Duration::days(demo.days_ago) - Duration::hours(3);
        insert(db, demo, chosen, received_at, None, None).await?;
    }
    // The demo provider's own calamity report.
    let filer = crate::db::entities::user::Entity::find()
        .filter(user::Column::ProviderId.eq(demo_provider))
        .one(db)
        .await?;
    if let (Some(filer), Some(linde)) = (
        filer,
        provider::Entity::find_by_id(demo_provider).one(db).await?,
    ) {
        let report = DemoSignal {
            region: "GG1106",
            provider: None,
            category: Category::Calamiteit,
            status: SignalStatus::InBehandeling,
            days_ago: 10,
            role: ReporterRole::Aanbieder,
            contact: None,
            description: "Een bewoner is 's nachts gevallen bij het naar het toilet gaan en heeft haar heup gebroken.",
        };
        let details = CalamityDetails {
            client_harm: "Heupfractuur; opgenomen in het ziekenhuis en geopereerd.".into(),
            board_informed: true,
            measures_taken: "Bewegingssensoren en nachtverlichting geplaatst; valrisico's van alle bewoners opnieuw beoordeeld.".into(),
            aftercare: "Gesprekken met de familie en het team; de bewoner krijgt na terugkeer extra begeleiding.".into(),
        };
        insert(
            db,
            &report,
            Some(&linde),
            now - Duration::days(10),
            Some(filer.id),
            Some(details),
        )
        .await?;
    }
    Ok(())
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    demo: &DemoSignal,
    chosen: Option<&provider::Model>,
    received_at: chrono::DateTime<Utc>,
    filed_by: Option<Uuid>,
    calamity: Option<CalamityDetails>,
) -> AppResult<()> {
    let path = path_to(demo.status);
    let closed = demo.status == SignalStatus::Afgesloten;
    let ended = closed || demo.status == SignalStatus::Doorverwezen;
    let step = Duration::days((demo.days_ago / path.len() as i64).clamp(0, 7)) + Duration::hours(1);
    let reference = reference::next(db, chrono::Datelike::year(&dutch_date(received_at))).await?;
    let model = signal::ActiveModel {
        id: Set(Uuid::new_v4()),
        reference: Set(reference),
        tracking_token_hash: Set(tokens::hash_token(&tokens::new_token())),
        status: Set(demo.status.as_str().into()),
        priority: Set(Priority::initial(demo.category).as_str().into()),
        category: Set(demo.category.as_str().into()),
        description: Set(demo.description.into()),
        occurred_on: Set(Some(dutch_date(received_at) - Duration::days(2))),
        reporter_role: Set(demo.role.as_str().into()),
        anonymous: Set(demo.contact.is_none() && filed_by.is_none()),
        contact_name: Set(demo.contact.map(|c| c.0.to_string())),
        contact_email: Set(demo.contact.map(|c| c.1.to_string())),
        provider_id: Set(chosen.map(|p| p.id)),
        provider_name: Set(Some(
            chosen.map_or("Stichting Thuis in de Wijk".to_string(), |p| p.name.clone()),
        )),
        municipality_code: Set(Some(
            chosen.map_or("GM0518".to_string(), |p| p.municipality_code.clone()),
        )),
        region_code: Set(demo.region.into()),
        assignee_id: Set(None),
        visit_id: Set(None),
        resolution: Set(ended.then(|| {
            if closed {
                "Besproken met de aanbieder; verbeterafspraken gemaakt en bij een bezoek nagegaan."
                    .to_string()
            } else {
                "Doorverwezen naar de gemeente, die hierover gaat.".to_string()
            }
        })),
        duplicate_of: Set(None),
        filed_by: Set(filed_by),
        calamity: Set(calamity.map(|c| serde_json::to_string(&c).unwrap_or_default())),
        received_at: Set(received_at),
        triage_due: Set(triage_due(received_at)),
        closed_at: Set(closed.then(|| received_at + step * path.len() as i32)),
        contact_erased_at: Set(None),
        updated_at: Set(received_at + step * path.len() as i32),
    }
    .insert(db)
    .await?;
    for (i, status) in path.iter().enumerate() {
        record_event(db, model.id, *status, received_at + step * i as i32, None).await?;
    }
    Ok(())
}
