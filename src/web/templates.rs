//! The handlebars registry, built once at start from the templates compiled into the binary, in
//! strict mode so that a typo in a template is an error rather than an empty spot on the page.
use std::sync::Arc;

use axum::response::Html;
use handlebars::{Context, Handlebars};
use rust_embed::RustEmbed;
use serde::Serialize;

use crate::error::{AppError, AppResult};
use crate::web::current_user::CurrentUser;

#[derive(RustEmbed)]
#[folder = "templates/"]
struct TemplateFiles;

#[derive(Clone)]
pub struct Templates {
    registry: Arc<Handlebars<'static>>,
}

impl Templates {
    pub fn load() -> Result<Self, handlebars::TemplateError> {
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        // Handlebars indents a standalone partial's every line like the `{{> content}}` tag in the
        // layout; inside a <textarea> or <pre> that would change what the person typed.
        registry.set_prevent_indent(true);
        registry.register_escape_fn(crate::web::html_escape::escape_html);
        registry.register_embed_templates_with_extension::<TemplateFiles>(".hbs")?;
        registry.register_helper("options", Box::new(options_helper));
        Ok(Templates {
            registry: Arc::new(registry),
        })
    }

    pub fn render<T: Serialize>(&self, name: &str, context: &T) -> AppResult<String> {
        self.registry
            .render(name, context)
            .map_err(|err| AppError::internal(format!("template {name}: {err}")))
    }

    /// A whole page: the page's own template (`name`, its content), then the base layout around
    /// it (`layouts/base`, with the layout's fields of the same context and the content).
    ///
    /// Not a partial block in the page template: handlebars copies the whole context for each
    /// partial it enters, and a list page's context is hundreds of rows and options (on the
    /// signal list of the national benchmark those copies were a tenth of the server's time).
    pub fn page<T: Serialize>(&self, name: &str, context: &T) -> AppResult<Html<String>> {
        let failed =
            |err: handlebars::RenderError| AppError::internal(format!("template {name}: {err}"));
        let data = Context::wraps(context).map_err(failed)?;
        let content = self
            .registry
            .render_with_context(name, &data)
            .map_err(failed)?;
        let mut around = serde_json::Map::new();
        if let serde_json::Value::Object(fields) = data.data() {
            for key in LAYOUT_FIELDS {
                if let Some(value) = fields.get(*key) {
                    around.insert((*key).to_string(), value.clone());
                }
            }
        }
        around.insert("content".into(), serde_json::Value::String(content));
        self.registry
            .render("layouts/base", &around)
            .map(Html)
            .map_err(|err| AppError::internal(format!("template layouts/base: {err}")))
    }

    /// The names of the email templates (`emails/<name>/subject`), sorted.
    pub fn email_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .registry
            .get_templates()
            .keys()
            .filter_map(|key| key.strip_prefix("emails/")?.strip_suffix("/subject"))
            .map(str::to_string)
            .collect();
        names.sort();
        names
    }

    /// Renders a text part of an email: no HTML escaping.
    pub fn render_text<T: Serialize>(&self, name: &str, context: &T) -> AppResult<String> {
        let mut registry = (*self.registry).clone();
        registry.register_escape_fn(handlebars::no_escape);
        registry
            .render(name, context)
            .map_err(|err| AppError::internal(format!("template {name}: {err}")))
    }
}

/// One line of the error summary at the top of a form: a link to the field and its message.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryItem {
    pub href: String,
    pub message: String,
}

/// `{{options list}}`: an `<option>` for each item of `list` (`value`, `label`, `selected`), the
/// selected one marked. One helper call for the whole list instead of a block and an `if` per
/// option: a region's provider filter has hundreds (the signal list of the national benchmark).
fn options_helper(
    h: &handlebars::Helper,
    r: &Handlebars,
    _: &Context,
    _: &mut handlebars::RenderContext,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let list = h.param(0).and_then(|p| p.value().as_array()).ok_or(
        handlebars::RenderErrorReason::ParamNotFoundForIndex("options", 0),
    )?;
    let escape = r.get_escape_fn();
    for item in list {
        let text = |key: &str| item.get(key).and_then(|v| v.as_str()).unwrap_or_default();
        out.write("<option value=\"")?;
        out.write(&escape(text("value")))?;
        out.write("\"")?;
        if item.get("selected").and_then(|v| v.as_bool()) == Some(true) {
            out.write(" selected")?;
        }
        out.write(">")?;
        out.write(&escape(text("label")))?;
        out.write("</option>")?;
    }
    Ok(())
}

/// The fields of [`Layout`], which a page's context carries (flattened) for `layouts/base`.
const LAYOUT_FIELDS: &[&str] = &["title", "user", "nav", "csrf_token", "script"];

/// What the base layout needs on every page: the title, who is signed in, the navigation for
/// that role, and the CSRF token for the forms on the page (including the sign-out button).
#[derive(Debug, Clone, Serialize)]
pub struct Layout {
    pub title: String,
    pub user: Option<LayoutUser>,
    pub nav: Vec<NavItem>,
    pub csrf_token: String,
    /// A page's own script from `static/` (the CSP allows no inline script).
    pub script: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LayoutUser {
    pub name: String,
    pub role_label: &'static str,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

impl Layout {
    pub fn new(
        title: impl Into<String>,
        user: Option<&CurrentUser>,
        csrf_token: &str,
        path: &str,
    ) -> Self {
        let mut nav = super::nav::items(user.map(|u| u.role), path);
        if let Some(item) =
            user.and_then(|u| super::nav::dashboard_item(u.role, u.region_code.as_deref(), path))
        {
            nav.insert(1.min(nav.len()), item);
        }
        Layout {
            title: title.into(),
            user: user.map(|u| LayoutUser {
                name: u.name.clone(),
                role_label: u.role.label_nl(),
            }),
            nav,
            csrf_token: csrf_token.to_string(),
            script: None,
        }
    }

    pub fn with_script(mut self, file: &str) -> Self {
        self.script = Some(file.to_string());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_fields_carried_around_a_page_are_the_layouts() {
        let layout = Layout {
            title: "Titel".into(),
            user: None,
            nav: Vec::new(),
            csrf_token: String::new(),
            script: None,
        };
        let value = serde_json::to_value(&layout).unwrap();
        let mut fields: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        fields.sort_unstable();
        let mut carried = LAYOUT_FIELDS.to_vec();
        carried.sort_unstable();
        assert_eq!(
            fields, carried,
            "Templates::page must carry every field of Layout"
        );
    }
}
