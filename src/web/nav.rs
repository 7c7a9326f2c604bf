//! The main navigation per role. Later areas add their pages here.
use crate::domain::role::Role;
use crate::web::templates::NavItem;

pub fn items(role: Option<Role>, current_path: &str) -> Vec<NavItem> {
    let mut items: Vec<(&str, &'static str)> = vec![("/", "Start")];
    match role {
        None => {
            items.push(("/melding", "Melding doen"));
            items.push(("/login", "Inloggen"));
        }
        Some(role) => {
            match role {
                Role::Admin | Role::Inspector => {
                    items.push(("/meldingen", "Meldingen"));
                    items.push(("/bezoeken", "Bezoeken"));
                    items.push(("/rapporten", "Rapporten"));
                    items.push(("/aanbieders", "Aanbieders"));
                    items.push(("/toetsingskader", "Toetsingskader"));
                }
                Role::Provider => {
                    items.push(("/portaal", "Portaal"));
                    items.push(("/aanbieders", "Onze gegevens"));
                }
            }
            if role == Role::Admin {
                items.push(("/beheer/gemeenten", "Gemeenten en regio's"));
                items.push(("/beheer/outbox", "Uitgaande e-mail"));
                items.push(("/beheer/e-mails", "E-mailvoorbeelden"));
            }
            items.push(("/account", "Mijn account"));
        }
    }
    items
        .into_iter()
        .map(|(href, label)| NavItem {
            href: href.to_string(),
            label,
            // A section stays marked on its sub-pages (`/aanbieders/…`).
            current: href == current_path
                || (href != "/" && current_path.starts_with(&format!("{href}/"))),
        })
        .collect()
}

/// "Dashboard": an inspector's own region, the admins' overview of all regions.
pub fn dashboard_item(role: Role, region: Option<&str>, current_path: &str) -> Option<NavItem> {
    let href = match (role, region) {
        (Role::Admin, _) => "/regio".to_string(),
        (Role::Inspector, Some(code)) => format!("/regio/{code}"),
        _ => return None,
    };
    Some(NavItem {
        current: current_path == href || current_path.starts_with("/regio/"),
        href,
        label: "Dashboard",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dashboard_is_the_inspectors_region_or_the_overview() {
        let own = dashboard_item(Role::Inspector, Some("GG1106"), "/regio/GG1106").unwrap();
        assert_eq!((own.href.as_str(), own.current), ("/regio/GG1106", true));
        assert_eq!(
            dashboard_item(Role::Admin, None, "/").unwrap().href,
            "/regio"
        );
        assert!(dashboard_item(Role::Provider, None, "/").is_none());
    }

    #[test]
    fn the_public_sees_the_signal_form_and_sign_in() {
        let hrefs: Vec<_> = items(None, "/").into_iter().map(|i| i.href).collect();
        assert_eq!(hrefs, ["/", "/melding", "/login"]);
    }

    #[test]
    fn signed_in_users_see_their_account_not_sign_in() {
        let nav = items(Some(Role::Inspector), "/account");
        assert!(nav.iter().all(|i| i.href != "/login"));
        assert!(nav.iter().any(|i| i.href == "/account" && i.current));
        assert!(
            nav.iter().all(|i| i.href != "/beheer/gemeenten"),
            "admin pages only for admins"
        );
        assert!(
            items(Some(Role::Admin), "/")
                .iter()
                .any(|i| i.href == "/beheer/gemeenten")
        );
    }

    #[test]
    fn only_admins_see_the_outbox() {
        let admin = items(Some(Role::Admin), "/beheer/outbox");
        assert!(
            admin
                .iter()
                .any(|i| i.href == "/beheer/outbox" && i.label == "Uitgaande e-mail" && i.current)
        );
        for role in [Some(Role::Inspector), Some(Role::Provider), None] {
            assert!(
                items(role, "/").iter().all(|i| i.href != "/beheer/outbox"),
                "{role:?}"
            );
        }
    }

    #[test]
    fn only_admins_see_the_email_previews() {
        assert!(
            items(Some(Role::Admin), "/beheer/e-mails/report_reminder")
                .iter()
                .any(|i| i.href == "/beheer/e-mails"
                    && i.label == "E-mailvoorbeelden"
                    && i.current)
        );
        for role in [Some(Role::Inspector), Some(Role::Provider), None] {
            assert!(
                items(role, "/").iter().all(|i| i.href != "/beheer/e-mails"),
                "{role:?}"
            );
        }
    }

    #[test]
    fn admins_and_inspectors_see_the_framework_providers_do_not() {
        for role in [Role::Admin, Role::Inspector] {
            let nav = items(Some(role), "/toetsingskader");
            assert!(
                nav.iter().any(|i| i.href == "/toetsingskader"
                    && i.label == "Toetsingskader"
                    && i.current),
                "{role:?}"
            );
        }
        assert!(
            items(Some(Role::Provider), "/")
                .iter()
                .all(|i| i.href != "/toetsingskader")
        );
        assert!(items(None, "/").iter().all(|i| i.href != "/toetsingskader"));
    }
}

/// Where to go after signing in: back to the page that asked for it when that is a path on this
/// site (never another site: `//evil.example` and `https://…` are refused), else the role's home.
pub fn after_sign_in(next: &str, role: Role, region: Option<&str>) -> String {
    let is_local_path = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control);
    if is_local_path && next != "/login" {
        next.to_string()
    } else {
        home_of(role, region)
    }
}

/// The first page of each role: an inspector's region dashboard, the national overview for
/// admins, the portal for providers.
pub fn home_of(role: Role, region: Option<&str>) -> String {
    match (role, region) {
        (Role::Inspector, Some(code)) => format!("/regio/{code}"),
        (Role::Inspector, None) => "/meldingen".into(),
        (Role::Admin, _) => "/regio".into(),
        (Role::Provider, _) => "/portaal".into(),
    }
}

#[cfg(test)]
mod redirect_tests {
    use super::*;

    #[test]
    fn returns_to_local_pages_only() {
        assert_eq!(
            after_sign_in("/aanbieders?q=zorg", Role::Inspector, Some("GG1106")),
            "/aanbieders?q=zorg"
        );
        for unsafe_next in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "",
            "/login",
        ] {
            assert_eq!(
                after_sign_in(unsafe_next, Role::Admin, None),
                "/regio",
                "{unsafe_next}"
            );
        }
        assert_eq!(
            after_sign_in("", Role::Provider, None),
            "/portaal",
            "providers land in their portal"
        );
        assert_eq!(
            after_sign_in("", Role::Inspector, Some("GG1106")),
            "/regio/GG1106",
            "inspectors land on their region's dashboard"
        );
    }
}
