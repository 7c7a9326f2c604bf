//! The OpenAPI 3.1 document, collected from the handlers' `#[utoipa::path]` annotations as each
//! area's API router is merged in `app.rs`: it grows with every endpoint, never by hand.
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "toezicht API",
        description = "Toezicht op de kwaliteit van Wmo-aanbieders door de GGD. Contract: shared/spec/API.md.",
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Inloggen en sessies"),
        (name = "regions", description = "GGD-regio's en gemeenten"),
        (name = "providers", description = "Register van gecontracteerde aanbieders"),
        (name = "visits", description = "Inspectiebezoeken: planning en beoordeling"),
        (name = "signals", description = "Meldingen over aanbieders en calamiteitenmeldingen"),
        (name = "framework", description = "Toetsingskader: thema's, criteria en oordelen, in versies"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}
