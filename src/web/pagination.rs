//! Paged lists (API.md "Lists"): `{"items", "total", "page", "per_page"}`, `per_page` at most 200.
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, FieldError};

pub const DEFAULT_PER_PAGE: u64 = 50;
pub const MAX_PER_PAGE: u64 = 200;
pub const MAX_PAGE: u64 = 1_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u64,
    pub per_page: u64,
}

impl Paging {
    pub fn new(page: Option<u64>, per_page: Option<u64>) -> Result<Paging, AppError> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
        let mut errors = Vec::new();
        if page == 0 {
            errors.push(FieldError::new("page", "De eerste pagina is 1."));
        } else if page > MAX_PAGE {
            // Far beyond any list, and (page - 1) × per_page must fit a database offset.
            errors.push(FieldError::new("page", "Dit paginanummer is te groot."));
        }
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            errors.push(FieldError::new(
                "per_page",
                format!("Kies 1 tot en met {MAX_PER_PAGE} per pagina."),
            ));
        }
        if errors.is_empty() {
            Ok(Paging { page, per_page })
        } else {
            Err(AppError::Validation(errors))
        }
    }

    pub fn offset(self) -> u64 {
        (self.page - 1) * self.per_page
    }

    pub fn page_count(self, total: u64) -> u64 {
        total.div_ceil(self.per_page).max(1)
    }
}

/// One page of a query and the total it pages through: the same two statements for every list.
pub async fn fetch<E>(
    db: &sea_orm::DatabaseConnection,
    select: sea_orm::Select<E>,
    paging: Paging,
) -> Result<(Vec<E::Model>, u64), sea_orm::DbErr>
where
    E: sea_orm::EntityTrait,
    E::Model: Send + Sync,
{
    use sea_orm::{PaginatorTrait, QuerySelect};
    let total = select.clone().count(db).await?;
    let items = select
        .offset(paging.offset())
        .limit(paging.per_page)
        .all(db)
        .await?;
    Ok((items, total))
}

/// The links of a paged HTML list: the same address with another `page`, keeping the filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLinks {
    /// The query without `page` (the filters), for "clear filters" and exports.
    pub filters: String,
    pub pages: u64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

pub fn page_links(path: &str, raw_query: &str, paging: Paging, total: u64) -> PageLinks {
    let filters: String = raw_query
        .split('&')
        .filter(|p| !p.starts_with("page=") && !p.is_empty())
        .collect::<Vec<_>>()
        .join("&");
    let href = |p: u64| {
        let joiner = if filters.is_empty() { "" } else { "&" };
        format!("{path}?{filters}{joiner}page={p}")
    };
    let pages = paging.page_count(total);
    PageLinks {
        prev_href: (paging.page > 1).then(|| href(paging.page - 1)),
        next_href: (paging.page < pages).then(|| href(paging.page + 1)),
        pages,
        filters,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, total: u64, paging: Paging) -> Self {
        Page {
            items,
            total,
            page: paging.page,
            per_page: paging.per_page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_limits() {
        assert_eq!(
            Paging::new(None, None).unwrap(),
            Paging {
                page: 1,
                per_page: 50
            }
        );
        assert!(Paging::new(Some(0), None).is_err());
        assert!(Paging::new(None, Some(201)).is_err());
        assert!(Paging::new(None, Some(0)).is_err());
        assert!(
            Paging::new(Some(u64::MAX), None).is_err(),
            "no overflow into a 500"
        );
        assert!(Paging::new(Some(MAX_PAGE), Some(MAX_PER_PAGE)).is_ok());
        let p = Paging::new(Some(3), Some(20)).unwrap();
        assert_eq!(p.offset(), 40);
        assert_eq!(p.page_count(41), 3);
        assert_eq!(p.page_count(0), 1);
    }
}

#[cfg(test)]
mod page_link_tests {
    use super::*;

    #[test]
    fn page_links_keep_the_filters_and_replace_the_page() {
        let paging = Paging::new(Some(2), Some(50)).unwrap();
        let links = page_links("/meldingen", "status=ontvangen&page=2", paging, 120);
        assert_eq!(links.filters, "status=ontvangen");
        assert_eq!(links.pages, 3);
        assert_eq!(
            links.prev_href.as_deref(),
            Some("/meldingen?status=ontvangen&page=1")
        );
        assert_eq!(
            links.next_href.as_deref(),
            Some("/meldingen?status=ontvangen&page=3")
        );
        let first = page_links("/rapporten", "", Paging::new(None, Some(50)).unwrap(), 10);
        assert_eq!(
            (first.prev_href, first.next_href, first.pages),
            (None, None, 1)
        );
    }
}
