use serde_json::{Value, json};

use super::*;
use crate::error::AppError;
use crate::framework::upload::parse_text;

fn valid() -> Value {
    json!({
        "version": "Toetsingskader Twente 2027",
        "themes": [
            {"code": "A", "title": "Veilige ondersteuning", "legal_basis": "Wmo 2015 art. 3.1 lid 2a",
             "criteria": [
                {"code": "A1", "title": "Medewerkers hebben een VOG", "description": "Steekproef."},
                {"code": "A12", "title": "Calamiteiten worden gemeld"}
             ]},
            {"code": "VZ", "title": "Verzorging", "legal_basis": "Wmo 2015 art. 3.1",
             "criteria": [{"code": "VZ3", "title": "Zorg is passend", "description": ""}]}
        ]
    })
}

fn check(document: Value) -> Result<NewFramework, Vec<FieldError>> {
    let upload: FrameworkUpload = crate::web::json::parse(document.to_string().as_bytes())
        .unwrap_or_else(|err| panic!("deserialises: {err:?}"));
    validate(upload)
}

/// The fields named by the errors of an invalid document.
fn fields(document: Value) -> Vec<String> {
    match check(document) {
        Ok(_) => panic!("expected validation errors"),
        Err(errors) => errors.into_iter().map(|e| e.field).collect(),
    }
}

/// `document` with the value at a JSON pointer set (its parent must exist).
fn with(mut document: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    let parent = document.pointer_mut(parent).expect("parent exists");
    match parent {
        Value::Array(items) => items[key.parse::<usize>().expect("an index")] = value,
        other => other[key] = value,
    }
    document
}

#[test]
fn a_valid_document_gets_the_standard_scale_and_trimmed_texts() {
    let doc = with(valid(), "/version", json!("  Toetsingskader Twente 2027 "));
    let framework = check(doc).expect("valid");
    assert_eq!(framework.version, "Toetsingskader Twente 2027");
    assert_eq!(framework.ratings, Rating::standard_scale());
    assert_eq!(framework.themes.len(), 2);
    assert_eq!(framework.themes[0].criteria[1].code, "A12");
    assert_eq!(framework.themes[0].criteria[1].description, "");
}

#[test]
fn the_version_needs_a_name_of_at_most_200_characters() {
    assert_eq!(fields(with(valid(), "/version", json!("  "))), ["version"]);
    let mut doc = valid();
    doc.as_object_mut().unwrap().remove("version");
    assert_eq!(fields(doc), ["version"]);
    assert!(check(with(valid(), "/version", json!("é".repeat(200)))).is_ok());
    assert_eq!(
        fields(with(valid(), "/version", json!("é".repeat(201)))),
        ["version"]
    );
}

#[test]
fn at_least_one_theme_and_one_criterion_per_theme() {
    assert_eq!(fields(with(valid(), "/themes", json!([]))), ["themes"]);
    let mut doc = valid();
    doc.as_object_mut().unwrap().remove("themes");
    assert_eq!(fields(doc), ["themes"]);
    assert_eq!(
        fields(with(valid(), "/themes/1/criteria", json!([]))),
        ["themes[1].criteria"]
    );
}

#[test]
fn theme_codes_are_one_to_three_capitals_and_unique() {
    for bad in ["a", "ABCD", "A1", "Ä", ""] {
        let doc = with(valid(), "/themes/1/code", json!(bad));
        assert_eq!(fields(doc), ["themes[1].code"], "{bad:?}");
    }
    let doc = with(valid(), "/themes/1/code", json!("A"));
    let doc = with(doc, "/themes/1/criteria/0/code", json!("A3"));
    assert_eq!(fields(doc), ["themes[1].code"], "duplicate theme code");
}

#[test]
fn criterion_codes_start_with_their_theme_code_and_a_number() {
    for bad in ["B1", "A", "A01", "AX", "A1a", "A12345", "a1"] {
        let doc = with(valid(), "/themes/0/criteria/1/code", json!(bad));
        let errors = check(doc).expect_err(bad);
        assert_eq!(errors.len(), 1, "{bad:?}");
        assert_eq!(errors[0].field, "themes[0].criteria[1].code");
        assert!(errors[0].message.contains("themacode A"), "{bad:?}");
    }
    let doc = with(valid(), "/themes/1/criteria/0/code", json!("VZ1234"));
    assert!(check(doc).is_ok(), "four digits are fine");
}

#[test]
fn criterion_codes_are_unique_across_the_document() {
    let doc = with(valid(), "/themes/0/criteria/1/code", json!("A1"));
    let errors = check(doc).expect_err("duplicate");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "themes[0].criteria[1].code");
    assert!(errors[0].message.contains("A1 komt vaker voor"));
}

#[test]
fn a_wrong_theme_code_is_not_repeated_on_every_criterion() {
    let doc = with(valid(), "/themes/0/code", json!("a"));
    assert_eq!(fields(doc), ["themes[0].code"]);
}

#[test]
fn titles_and_legal_bases_are_required() {
    let doc = with(valid(), "/themes/0/title", json!(""));
    let doc = with(doc, "/themes/1/legal_basis", Value::Null);
    let doc = with(doc, "/themes/0/criteria/0/title", json!(" "));
    assert_eq!(
        fields(doc),
        [
            "themes[0].title",
            "themes[0].criteria[0].title",
            "themes[1].legal_basis"
        ]
    );
}

#[test]
fn ratings_must_be_exactly_the_five_contract_codes() {
    let all = json!([
        "voldoet",
        "voldoet_deels",
        "voldoet_niet",
        "niet_beoordeeld",
        "nvt"
    ]);
    assert!(check(with(valid(), "/ratings", all)).is_ok());

    let reordered = json!([
        "nvt",
        "niet_beoordeeld",
        "voldoet_niet",
        "voldoet_deels",
        "voldoet"
    ]);
    let framework = check(with(valid(), "/ratings", reordered)).unwrap();
    assert_eq!(
        framework.ratings[0].code,
        Rating::Nvt,
        "the given order is kept"
    );

    let unknown = json!([
        "voldoet",
        "voldoet_deels",
        "voldoet_niet",
        "niet_beoordeeld",
        "nvt",
        "goed"
    ]);
    assert_eq!(fields(with(valid(), "/ratings", unknown)), ["ratings[5]"]);

    let twice = json!([
        "voldoet",
        "voldoet",
        "voldoet_deels",
        "voldoet_niet",
        "niet_beoordeeld",
        "nvt"
    ]);
    assert_eq!(fields(with(valid(), "/ratings", twice)), ["ratings[1]"]);

    let errors = check(with(valid(), "/ratings", json!(["voldoet"]))).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "ratings");
    assert!(
        errors[0]
            .message
            .contains("voldoet_deels, voldoet_niet, niet_beoordeeld, nvt ontbreekt")
    );
}

#[test]
fn every_problem_is_reported_at_once_in_document_order() {
    let doc = json!({
        "version": "",
        "ratings": ["voldoet"],
        "themes": [
            {"code": "a", "title": "", "legal_basis": "Wmo 2015", "criteria": []},
            {"code": "B", "title": "B", "legal_basis": "Wmo 2015",
             "criteria": [{"code": "C1", "title": ""}]}
        ]
    });
    assert_eq!(
        fields(doc),
        [
            "version",
            "ratings",
            "themes[0].code",
            "themes[0].title",
            "themes[0].criteria",
            "themes[1].criteria[0].code",
            "themes[1].criteria[0].title"
        ]
    );
}

#[test]
fn a_downloaded_version_can_be_uploaded_again_but_typos_are_named() {
    let mut doc = valid();
    doc["id"] = json!("0b5c2f8e-3c1a-4f2e-9d7a-1c2b3d4e5f60");
    doc["published_at"] = json!("2026-11-22T10:00:00Z");
    assert!(check(doc).is_ok());

    let mut typo = valid();
    typo["themes"][0]["criteria"][0]["descripton"] = json!("x");
    match crate::web::json::parse::<FrameworkUpload>(typo.to_string().as_bytes()) {
        Err(AppError::Validation(errors)) => {
            assert_eq!(errors[0].field, "themes[0].criteria[0].descripton");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn names_are_compared_as_people_read_them() {
    assert!(same_name(
        "Model toetsingskader Wmo v1",
        " model Toetsingskader WMO v1 "
    ));
    assert!(!same_name(
        "Model toetsingskader Wmo v1",
        "Model toetsingskader Wmo v2"
    ));
}

#[test]
fn pasted_text_gets_a_message_a_person_can_act_on() {
    let only = |text: &str| {
        let errors = parse_text(text).expect_err(text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors.into_iter().next().unwrap()
    };
    assert_eq!(only("  ").field, "document");
    let syntax = only("{\n  \"version\": \"v2\",\n  \"themes\": [}\n}");
    assert_eq!(syntax.field, "document");
    assert!(syntax.message.contains("regel 3"), "{}", syntax.message);
    assert!(only("{\"version\": \"v2\"").message.contains("halverwege"));
    assert!(only("[1, 2]").message.contains("JSON-object"));
    let mistyped = only(r#"{"version": 2, "themes": []}"#);
    assert_eq!(mistyped.field, "version");
    assert!(parse_text(&valid().to_string()).is_ok());
}
